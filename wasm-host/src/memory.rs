//! Reading and writing guest linear memory, and returning data through the guest allocator
//! (spec §2.4).

use wasmtime::{Caller, Memory};

use crate::abi::status;
use crate::vm::VmState;

/// Why a host function stopped: a status for the guest, or a trap that ends the call.
pub(crate) enum Fail {
    Status(u32),
    Trap(wasmtime::Error),
}

impl From<u32> for Fail {
    fn from(s: u32) -> Self {
        Self::Status(s)
    }
}

impl From<wasmtime::Error> for Fail {
    fn from(e: wasmtime::Error) -> Self {
        Self::Trap(e)
    }
}

pub(crate) type HostResult<T> = Result<T, Fail>;

/// Turns a host function's result into the `proxy_status_t` it returns.
pub(crate) fn to_status(r: HostResult<()>) -> wasmtime::Result<i32> {
    match r {
        Ok(()) => Ok(status::OK as i32),
        Err(Fail::Status(s)) => Ok(s as i32),
        Err(Fail::Trap(e)) => Err(e),
    }
}

fn memory(caller: &Caller<'_, VmState>) -> HostResult<Memory> {
    caller
        .data()
        .memory
        .ok_or(Fail::Status(status::INVALID_MEMORY_ACCESS))
}

/// Copies `len` bytes at `ptr` out of guest memory.
pub(crate) fn read(caller: &Caller<'_, VmState>, ptr: u32, len: u32) -> HostResult<Vec<u8>> {
    let mem = memory(caller)?;
    let start = ptr as usize;
    let end = start
        .checked_add(len as usize)
        .ok_or(Fail::Status(status::INVALID_MEMORY_ACCESS))?;
    mem.data(caller)
        .get(start..end)
        .map(<[u8]>::to_vec)
        .ok_or(Fail::Status(status::INVALID_MEMORY_ACCESS))
}

/// Reads a guest string (lossy UTF-8).
pub(crate) fn read_string(caller: &Caller<'_, VmState>, ptr: u32, len: u32) -> HostResult<String> {
    Ok(String::from_utf8_lossy(&read(caller, ptr, len)?).into_owned())
}

/// Writes bytes into guest memory at `ptr`.
pub(crate) fn write(caller: &mut Caller<'_, VmState>, ptr: u32, bytes: &[u8]) -> HostResult<()> {
    let mem = memory(caller)?;
    mem.write(caller, ptr as usize, bytes)
        .map_err(|_| Fail::Status(status::INVALID_MEMORY_ACCESS))
}

/// Writes a little-endian u32 at `ptr`.
pub(crate) fn write_u32(caller: &mut Caller<'_, VmState>, ptr: u32, value: u32) -> HostResult<()> {
    write(caller, ptr, &value.to_le_bytes())
}

/// Writes a little-endian u64 at `ptr`.
pub(crate) fn write_u64(caller: &mut Caller<'_, VmState>, ptr: u32, value: u64) -> HostResult<()> {
    write(caller, ptr, &value.to_le_bytes())
}

/// Gives `bytes` to the guest: allocates exactly `len` bytes with the guest allocator, copies,
/// and writes pointer and length at the two out-addresses. Empty data is returned as 0/0
/// without allocating, as cpp-host does.
pub(crate) fn return_bytes(
    caller: &mut Caller<'_, VmState>,
    bytes: &[u8],
    ret_ptr: u32,
    ret_len: u32,
) -> HostResult<()> {
    if bytes.is_empty() {
        write_u32(caller, ret_ptr, 0)?;
        return write_u32(caller, ret_len, 0);
    }
    let alloc = caller
        .data()
        .allocator
        .clone()
        .ok_or(Fail::Status(status::INVALID_MEMORY_ACCESS))?;
    let len =
        u32::try_from(bytes.len()).map_err(|_| Fail::Status(status::INVALID_MEMORY_ACCESS))?;
    let ptr = alloc.call(&mut *caller, len)?;
    if ptr == 0 {
        return Err(Fail::Status(status::INVALID_MEMORY_ACCESS));
    }
    write(caller, ptr, bytes)?;
    write_u32(caller, ret_ptr, ptr)?;
    write_u32(caller, ret_len, len)
}
