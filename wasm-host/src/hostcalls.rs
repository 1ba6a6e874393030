//! The `env.proxy_*` host functions of ABI 0.2.1 (spec §2.2), with Envoy's strictness.

use wasmtime::{Caller, Linker};

use crate::abi::{buffer, status, stream};
use crate::exchange::LocalReply;
use crate::headers::HeaderMap;
use crate::logs::LogLevel;
use crate::memory::{
    Fail, HostResult, read, read_string, return_bytes, to_status, write_u32, write_u64,
};
use crate::vm::{Dir, VmState};

type C<'a> = Caller<'a, VmState>;

/// The shape most hostcalls share: compute bytes from the guest's arguments, then hand them to
/// the guest through the two out-pointers (`rp`, `rl`). Any failure becomes the call's status.
fn returning_bytes(
    c: &mut C<'_>,
    rp: u32,
    rl: u32,
    f: impl FnOnce(&mut C<'_>) -> HostResult<Vec<u8>>,
) -> wasmtime::Result<i32> {
    to_status(f(c).and_then(|bytes| return_bytes(c, &bytes, rp, rl)))
}

/// Like [`returning_bytes`], for calls that answer one `u32` at `ret`.
fn returning_u32(
    c: &mut C<'_>,
    ret: u32,
    f: impl FnOnce(&mut C<'_>) -> HostResult<u32>,
) -> wasmtime::Result<i32> {
    to_status(f(c).and_then(|value| write_u32(c, ret, value)))
}

/// Adds every `env.proxy_*` function to `linker`.
pub(crate) fn add_to_linker(linker: &mut Linker<VmState>) -> wasmtime::Result<()> {
    let m = "env";
    linker.func_wrap(
        m,
        "proxy_log",
        |mut c: C<'_>, level: u32, p: u32, l: u32| to_status(log(&mut c, level, p, l)),
    )?;
    linker.func_wrap(m, "proxy_get_log_level", |mut c: C<'_>, ret: u32| {
        let level = c.data().options.log_level.to_abi();
        to_status(write_u32(&mut c, ret, level))
    })?;
    linker.func_wrap(
        m,
        "proxy_get_current_time_nanoseconds",
        |mut c: C<'_>, ret: u32| {
            let now = c.data().options.clock_ns;
            to_status(write_u64(&mut c, ret, now))
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_set_tick_period_milliseconds",
        |mut c: C<'_>, period: u32| {
            c.data_mut().tick_period_ms = period;
            to_status(Ok(()))
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_get_buffer_bytes",
        |mut c: C<'_>, t: u32, start: u32, max: u32, rp: u32, rl: u32| {
            returning_bytes(&mut c, rp, rl, |c| get_buffer_bytes(c, t, start, max))
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_set_buffer_bytes",
        |mut c: C<'_>, t: u32, start: u32, size: u32, p: u32, l: u32| {
            to_status(set_buffer_bytes(&mut c, t, start, size, p, l))
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_get_buffer_status",
        |mut c: C<'_>, t: u32, rs: u32, ru: u32| to_status(get_buffer_status(&mut c, t, rs, ru)),
    )?;
    linker.func_wrap(
        m,
        "proxy_get_header_map_size",
        |mut c: C<'_>, t: u32, rs: u32| {
            returning_u32(&mut c, rs, |c| {
                Ok(c.data_mut().header_map(t, false)?.serialize().len() as u32)
            })
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_get_header_map_pairs",
        |mut c: C<'_>, t: u32, rp: u32, rl: u32| {
            returning_bytes(&mut c, rp, rl, |c| {
                Ok(c.data_mut().header_map(t, false)?.serialize())
            })
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_set_header_map_pairs",
        |mut c: C<'_>, t: u32, p: u32, l: u32| {
            to_status((|| {
                let bytes = read(&c, p, l)?;
                let new = HeaderMap::deserialize(&bytes)
                    .map_err(|_| Fail::Status(status::BAD_ARGUMENT))?;
                *c.data_mut().header_map(t, true)? = new;
                Ok(())
            })())
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_get_header_map_value",
        |mut c: C<'_>, t: u32, kp: u32, kl: u32, rp: u32, rl: u32| {
            returning_bytes(&mut c, rp, rl, |c| {
                let key = read_string(c, kp, kl)?;
                c.data_mut()
                    .header_map(t, false)?
                    .get(&key)
                    .map(|value| value.as_bytes().to_vec())
                    .ok_or(Fail::Status(status::NOT_FOUND))
            })
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_add_header_map_value",
        |mut c: C<'_>, t: u32, kp: u32, kl: u32, vp: u32, vl: u32| {
            to_status((|| {
                let (key, value) = (read_string(&c, kp, kl)?, read_string(&c, vp, vl)?);
                c.data_mut().header_map(t, true)?.add(&key, &value);
                Ok(())
            })())
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_replace_header_map_value",
        |mut c: C<'_>, t: u32, kp: u32, kl: u32, vp: u32, vl: u32| {
            to_status((|| {
                let (key, value) = (read_string(&c, kp, kl)?, read_string(&c, vp, vl)?);
                c.data_mut().header_map(t, true)?.set(&key, &value);
                Ok(())
            })())
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_remove_header_map_value",
        |mut c: C<'_>, t: u32, kp: u32, kl: u32| {
            to_status((|| {
                let key = read_string(&c, kp, kl)?;
                c.data_mut().header_map(t, true)?.remove(&key);
                Ok(())
            })())
        },
    )?;
    linker.func_wrap(m, "proxy_continue_stream", |mut c: C<'_>, t: u32| {
        to_status(continue_stream(&mut c, t))
    })?;
    linker.func_wrap(m, "proxy_close_stream", |mut c: C<'_>, _t: u32| {
        to_status((|| {
            let (s, _) = c
                .data_mut()
                .effective_stream()
                .ok_or(Fail::Status(status::NOT_FOUND))?;
            s.pending_reset = true;
            Ok(())
        })())
    })?;
    linker.func_wrap(
        m,
        "proxy_get_status",
        |mut c: C<'_>, rc: u32, rp: u32, rl: u32| {
            to_status((|| {
                write_u32(&mut c, rc, 0)?;
                return_bytes(&mut c, &[], rp, rl)
            })())
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_send_local_response",
        |mut c: C<'_>,
         code: u32,
         dp: u32,
         dl: u32,
         bp: u32,
         bl: u32,
         hp: u32,
         hl: u32,
         grpc: i32| {
            to_status(send_local_response(
                &mut c,
                code,
                (dp, dl),
                (bp, bl),
                (hp, hl),
                grpc,
            ))
        },
    )?;
    // No upstream clusters exist in this host: Envoy answers an unknown cluster with BAD_ARGUMENT.
    linker.func_wrap(
        m,
        "proxy_http_call",
        |_c: C<'_>,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32| { status::BAD_ARGUMENT as i32 },
    )?;
    linker.func_wrap(
        m,
        "proxy_grpc_call",
        |_c: C<'_>,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32,
         _: u32| { status::BAD_ARGUMENT as i32 },
    )?;
    linker.func_wrap(
        m,
        "proxy_grpc_stream",
        |_c: C<'_>, _: u32, _: u32, _: u32, _: u32, _: u32, _: u32, _: u32, _: u32, _: u32| {
            status::BAD_ARGUMENT as i32
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_grpc_send",
        |_c: C<'_>, _: u32, _: u32, _: u32, _: u32| status::NOT_FOUND as i32,
    )?;
    linker.func_wrap(m, "proxy_grpc_cancel", |_c: C<'_>, _: u32| {
        status::NOT_FOUND as i32
    })?;
    linker.func_wrap(m, "proxy_grpc_close", |_c: C<'_>, _: u32| {
        status::NOT_FOUND as i32
    })?;
    linker.func_wrap(
        m,
        "proxy_set_shared_data",
        |mut c: C<'_>, kp: u32, kl: u32, vp: u32, vl: u32, cas: u32| {
            to_status((|| {
                let (key, value) = (read_string(&c, kp, kl)?, read(&c, vp, vl)?);
                let entry = c
                    .data_mut()
                    .shared_data
                    .entry(key)
                    .or_insert((Vec::new(), 0));
                if cas != 0 && cas != entry.1 {
                    return Err(Fail::Status(status::CAS_MISMATCH));
                }
                *entry = (value, entry.1.wrapping_add(1).max(1));
                Ok(())
            })())
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_get_shared_data",
        |mut c: C<'_>, kp: u32, kl: u32, rp: u32, rl: u32, rc: u32| {
            to_status((|| {
                let key = read_string(&c, kp, kl)?;
                let (value, cas) = c
                    .data()
                    .shared_data
                    .get(&key)
                    .cloned()
                    .ok_or(Fail::Status(status::NOT_FOUND))?;
                return_bytes(&mut c, &value, rp, rl)?;
                write_u32(&mut c, rc, cas)
            })())
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_register_shared_queue",
        |mut c: C<'_>, np: u32, nl: u32, ret: u32| {
            returning_u32(&mut c, ret, |c| {
                let name = read_string(c, np, nl)?;
                let queues = &mut c.data_mut().queues;
                let id = match queues.iter().position(|(n, _)| *n == name) {
                    Some(i) => i + 1,
                    None => {
                        queues.push((name, Default::default()));
                        queues.len()
                    }
                };
                Ok(id as u32)
            })
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_resolve_shared_queue",
        |mut c: C<'_>, _vp: u32, _vl: u32, np: u32, nl: u32, ret: u32| {
            returning_u32(&mut c, ret, |c| {
                let name = read_string(c, np, nl)?;
                let i = c
                    .data()
                    .queues
                    .iter()
                    .position(|(n, _)| *n == name)
                    .ok_or(Fail::Status(status::NOT_FOUND))?;
                Ok(i as u32 + 1)
            })
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_enqueue_shared_queue",
        |mut c: C<'_>, id: u32, vp: u32, vl: u32| {
            to_status((|| {
                let value = read(&c, vp, vl)?;
                let q = queue(&mut c, id)?;
                q.push_back(value);
                Ok(())
            })())
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_dequeue_shared_queue",
        |mut c: C<'_>, id: u32, rp: u32, rl: u32| {
            returning_bytes(&mut c, rp, rl, |c| {
                queue(c, id)?.pop_front().ok_or(Fail::Status(status::EMPTY))
            })
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_define_metric",
        |mut c: C<'_>, kind: u32, np: u32, nl: u32, ret: u32| {
            returning_u32(&mut c, ret, |c| {
                let name = read_string(c, np, nl)?;
                Ok(c.data_mut().metrics.define(kind, &name)?)
            })
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_increment_metric",
        |mut c: C<'_>, id: u32, delta: i64| {
            to_status(
                c.data_mut()
                    .metrics
                    .increment(id, delta)
                    .map_err(Fail::Status),
            )
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_record_metric",
        |mut c: C<'_>, id: u32, value: u64| {
            to_status(c.data_mut().metrics.record(id, value).map_err(Fail::Status))
        },
    )?;
    linker.func_wrap(m, "proxy_get_metric", |mut c: C<'_>, id: u32, ret: u32| {
        to_status((|| {
            let value = c.data_mut().metrics.get(id)?;
            write_u64(&mut c, ret, value)
        })())
    })?;
    linker.func_wrap(
        m,
        "proxy_get_property",
        |mut c: C<'_>, pp: u32, pl: u32, rp: u32, rl: u32| {
            returning_bytes(&mut c, rp, rl, |c| {
                let path = property_path(&read(c, pp, pl)?);
                c.data()
                    .property(&path)
                    .ok_or(Fail::Status(status::NOT_FOUND))
            })
        },
    )?;
    linker.func_wrap(
        m,
        "proxy_set_property",
        |mut c: C<'_>, pp: u32, pl: u32, vp: u32, vl: u32| {
            to_status((|| {
                let path = property_path(&read(&c, pp, pl)?);
                let value = read(&c, vp, vl)?;
                let state = c.data_mut();
                match state.streams.get_mut(&state.effective) {
                    Some(s) => s.properties.set_raw(path, value),
                    None => state.plugin_properties.set_raw(path, value),
                }
                Ok(())
            })())
        },
    )?;
    linker.func_wrap(m, "proxy_set_effective_context", |mut c: C<'_>, id: u32| {
        let state = c.data_mut();
        if id == state.root_context || state.streams.contains_key(&id) {
            state.effective = id;
            status::OK as i32
        } else {
            status::BAD_ARGUMENT as i32
        }
    })?;
    linker.func_wrap(m, "proxy_done", |_c: C<'_>| status::OK as i32)?;
    linker.func_wrap(
        m,
        "proxy_call_foreign_function",
        |_c: C<'_>, _: u32, _: u32, _: u32, _: u32, _: u32, _: u32| status::NOT_FOUND as i32,
    )?;
    Ok(())
}

fn log(c: &mut C<'_>, level: u32, p: u32, l: u32) -> HostResult<()> {
    let level = LogLevel::from_abi(level).ok_or(Fail::Status(status::BAD_ARGUMENT))?;
    let message = read_string(c, p, l)?;
    c.data_mut().log(level, &message);
    Ok(())
}

/// Configuration buffers exist only in their callback; body buffers only in theirs.
/// Calls `f` with the buffer's bytes without copying the whole buffer.
fn with_buffer<T>(c: &mut C<'_>, t: u32, f: impl FnOnce(&[u8]) -> T) -> HostResult<T> {
    match t {
        buffer::VM_CONFIGURATION | buffer::PLUGIN_CONFIGURATION => match &c.data().exposed_config {
            Some((exposed, bytes)) if *exposed == t => Ok(f(bytes)),
            _ => Err(Fail::Status(status::NOT_FOUND)),
        },
        _ => Ok(f(c.data_mut().body(t)?)),
    }
}

/// Clamps `start` and `max` to the buffer, as Envoy does (the SDK passes `usize::MAX`).
fn get_buffer_bytes(c: &mut C<'_>, t: u32, start: u32, max: u32) -> HostResult<Vec<u8>> {
    with_buffer(c, t, |bytes| {
        let start = (start as usize).min(bytes.len());
        let end = start.saturating_add(max as usize).min(bytes.len());
        bytes.get(start..end).unwrap_or_default().to_vec()
    })
}

fn get_buffer_status(c: &mut C<'_>, t: u32, rs: u32, ru: u32) -> HostResult<()> {
    let len = with_buffer(c, t, <[u8]>::len)? as u32;
    write_u32(c, rs, len)?;
    write_u32(c, ru, 0)
}

/// Envoy's `Buffer::copyFrom`: `start == 0` drains `size` bytes and prepends the value;
/// `start >= len` appends; anything else is BAD_ARGUMENT.
fn set_buffer_bytes(
    c: &mut C<'_>,
    t: u32,
    start: u32,
    size: u32,
    p: u32,
    l: u32,
) -> HostResult<()> {
    let value = read(c, p, l)?;
    let body = c.data_mut().body(t)?;
    let start = start as usize;
    if start == 0 {
        // Replace the prefix with two bulk copies; `Vec::splice` moves byte by byte, which
        // showed up as a fixed per-body cost in the benchmark (the host builds unoptimized).
        let drain = (size as usize).min(body.len());
        if drain == body.len() {
            *body = value;
        } else {
            let mut replaced = value;
            replaced.extend_from_slice(body.get(drain..).unwrap_or_default());
            *body = replaced;
        }
        Ok(())
    } else if start >= body.len() {
        body.extend_from_slice(&value);
        Ok(())
    } else {
        Err(Fail::Status(status::BAD_ARGUMENT))
    }
}

fn continue_stream(c: &mut C<'_>, t: u32) -> HostResult<()> {
    let dir = match t {
        stream::HTTP_REQUEST => Dir::Request,
        stream::HTTP_RESPONSE => Dir::Response,
        _ => return Err(Fail::Status(status::BAD_ARGUMENT)),
    };
    let (s, _) = c
        .data_mut()
        .effective_stream()
        .ok_or(Fail::Status(status::NOT_FOUND))?;
    s.dir_mut(dir).pending_continue = true;
    Ok(())
}

/// Deferred until the callback returns; refused once response headers went downstream.
fn send_local_response(
    c: &mut C<'_>,
    code: u32,
    details: (u32, u32),
    body: (u32, u32),
    headers: (u32, u32),
    grpc: i32,
) -> HostResult<()> {
    let details = read_string(c, details.0, details.1)?;
    let body = read(c, body.0, body.1)?;
    let headers = HeaderMap::deserialize(&read(c, headers.0, headers.1)?)
        .map_err(|_| Fail::Status(status::BAD_ARGUMENT))?;
    let (s, _) = c
        .data_mut()
        .effective_stream()
        .ok_or(Fail::Status(status::NOT_FOUND))?;
    if s.dir(Dir::Response).sent.headers.is_some() {
        return Err(Fail::Status(status::BAD_ARGUMENT));
    }
    s.pending_local = Some(LocalReply {
        status: code,
        headers,
        body,
        details,
        grpc_status: (grpc >= 0).then_some(grpc),
    });
    Ok(())
}

fn queue<'a>(c: &'a mut C<'_>, id: u32) -> HostResult<&'a mut std::collections::VecDeque<Vec<u8>>> {
    let index = (id as usize)
        .checked_sub(1)
        .ok_or(Fail::Status(status::NOT_FOUND))?;
    c.data_mut()
        .queues
        .get_mut(index)
        .map(|(_, q)| q)
        .ok_or(Fail::Status(status::NOT_FOUND))
}

/// A property path arrives as segments joined by NUL (no trailing NUL).
fn property_path(bytes: &[u8]) -> Vec<String> {
    let bytes = bytes.strip_suffix(&[0]).unwrap_or(bytes);
    bytes
        .split(|b| *b == 0)
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect()
}
