//! The WASI preview1 functions proxy-wasm requires (spec §2.2), hand-written and
//! deterministic: stdout/stderr become logs, the clock is frozen, randomness is seeded,
//! the environment is the plugin's env vars, there are no arguments.

use wasmtime::{Caller, Linker};

use crate::abi::errno;
use crate::logs::LogLevel;
use crate::memory::{Fail, HostResult, read, write, write_u32, write_u64};
use crate::vm::VmState;

type C<'a> = Caller<'a, VmState>;
const M: &str = "wasi_snapshot_preview1";

fn to_errno(r: HostResult<()>) -> wasmtime::Result<i32> {
    match r {
        Ok(()) => Ok(errno::SUCCESS),
        Err(Fail::Status(_)) => Ok(errno::FAULT),
        Err(Fail::Trap(e)) => Err(e),
    }
}

/// Adds the WASI functions to `linker`.
pub(crate) fn add_to_linker(linker: &mut Linker<VmState>) -> wasmtime::Result<()> {
    linker.func_wrap(
        M,
        "fd_write",
        |mut c: C<'_>, fd: u32, iovs: u32, n: u32, ret: u32| {
            let level = match fd {
                1 => LogLevel::Info,
                2 => LogLevel::Error,
                _ => return Ok(errno::BADF),
            };
            to_errno((|| {
                let mut text = Vec::new();
                for i in 0..n {
                    let iov = read(&c, iovs.wrapping_add(i * 8), 8)?;
                    let ptr = u32::from_le_bytes([iov[0], iov[1], iov[2], iov[3]]);
                    let len = u32::from_le_bytes([iov[4], iov[5], iov[6], iov[7]]);
                    text.extend(read(&c, ptr, len)?);
                }
                let written = text.len() as u32;
                c.data_mut().log(level, &String::from_utf8_lossy(&text));
                write_u32(&mut c, ret, written)
            })())
        },
    )?;
    linker.func_wrap(
        M,
        "clock_time_get",
        |mut c: C<'_>, _id: u32, _precision: u64, ret: u32| {
            let now = c.data().options.clock_ns;
            to_errno(write_u64(&mut c, ret, now))
        },
    )?;
    linker.func_wrap(M, "random_get", |mut c: C<'_>, buf: u32, len: u32| {
        // cpp-host caps a single request at 64 KiB.
        if len > 64 * 1024 {
            return Ok(errno::INVAL);
        }
        let mut bytes = vec![0; len as usize];
        c.data_mut().rng.fill(&mut bytes);
        to_errno(write(&mut c, buf, &bytes))
    })?;
    linker.func_wrap(
        M,
        "environ_sizes_get",
        |mut c: C<'_>, count: u32, size: u32| {
            let env = environ(&c);
            let total: usize = env.iter().map(Vec::len).sum();
            to_errno((|| {
                write_u32(&mut c, count, env.len() as u32)?;
                write_u32(&mut c, size, total as u32)
            })())
        },
    )?;
    linker.func_wrap(M, "environ_get", |mut c: C<'_>, ptrs: u32, buf: u32| {
        let env = environ(&c);
        to_errno((|| {
            let mut at = buf;
            for (i, entry) in env.iter().enumerate() {
                write_u32(&mut c, ptrs.wrapping_add(i as u32 * 4), at)?;
                write(&mut c, at, entry)?;
                at = at.wrapping_add(entry.len() as u32);
            }
            Ok(())
        })())
    })?;
    linker.func_wrap(M, "args_sizes_get", |mut c: C<'_>, argc: u32, size: u32| {
        to_errno((|| {
            write_u32(&mut c, argc, 0)?;
            write_u32(&mut c, size, 0)
        })())
    })?;
    linker.func_wrap(M, "args_get", |_c: C<'_>, _argv: u32, _buf: u32| {
        errno::SUCCESS
    })?;
    linker.func_wrap(
        M,
        "proc_exit",
        |_c: C<'_>, code: u32| -> wasmtime::Result<()> {
            Err(wasmtime::Error::msg(format!(
                "the plugin called proc_exit({code})"
            )))
        },
    )?;
    Ok(())
}

/// `KEY=VALUE\0` entries of the plugin's environment.
fn environ(c: &C<'_>) -> Vec<Vec<u8>> {
    c.data()
        .options
        .env
        .iter()
        .map(|(k, v)| format!("{k}={v}\0").into_bytes())
        .collect()
}
