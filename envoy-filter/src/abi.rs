//! Fallible host calls.
//!
//! The proxy-wasm SDK's `hostcalls` panic on any status they do not expect, and a panic kills
//! the VM for the whole Envoy worker. The calls this filter makes on the request path go through
//! these wrappers instead: every status comes back as a [`Status`] the caller handles.

use core::ptr::null_mut;

use proxy_wasm::types::{BufferType, MapType, MetricType};

/// A non-OK proxy-wasm status, as returned by the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status(pub u32);

/// `NOT_FOUND`: the header, property or buffer does not exist.
pub const NOT_FOUND: u32 = 1;

#[link(wasm_import_module = "env")]
unsafe extern "C" {
    fn proxy_get_buffer_bytes(
        buffer_type: u32,
        start: usize,
        max_size: usize,
        return_data: *mut *mut u8,
        return_size: *mut usize,
    ) -> u32;
    fn proxy_set_buffer_bytes(
        buffer_type: u32,
        start: usize,
        size: usize,
        data: *const u8,
        data_size: usize,
    ) -> u32;
    fn proxy_get_header_map_value(
        map_type: u32,
        key: *const u8,
        key_size: usize,
        return_data: *mut *mut u8,
        return_size: *mut usize,
    ) -> u32;
    fn proxy_get_header_map_pairs(map_type: u32, return_data: *mut *mut u8, return_size: *mut usize) -> u32;
    fn proxy_replace_header_map_value(
        map_type: u32,
        key: *const u8,
        key_size: usize,
        value: *const u8,
        value_size: usize,
    ) -> u32;
    fn proxy_remove_header_map_value(map_type: u32, key: *const u8, key_size: usize) -> u32;
    fn proxy_get_property(
        path: *const u8,
        path_size: usize,
        return_data: *mut *mut u8,
        return_size: *mut usize,
    ) -> u32;
    fn proxy_send_local_response(
        status_code: u32,
        details: *const u8,
        details_size: usize,
        body: *const u8,
        body_size: usize,
        headers: *const u8,
        headers_size: usize,
        grpc_status: i32,
    ) -> u32;
    fn proxy_define_metric(
        metric_type: u32,
        name: *const u8,
        name_size: usize,
        return_id: *mut u32,
    ) -> u32;
    fn proxy_increment_metric(metric_id: u32, offset: i64) -> u32;
    fn proxy_record_metric(metric_id: u32, value: u64) -> u32;
    fn proxy_close_stream(stream_type: u32) -> u32;
    fn proxy_log(level: u32, message: *const u8, message_size: usize) -> u32;
}

/// Log levels of the proxy-wasm ABI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Routine events (configuration loaded, audit lines).
    Info = 2,
    /// Something an operator should look at (fail-open used).
    Warn = 3,
    /// A failure the filter handled by withholding data.
    Error = 4,
}

/// Writes a log line to Envoy's log. A failure to log is ignored: logging must never take
/// the filter down.
pub fn log(level: Level, message: &str) {
    // SAFETY: `message` is a live slice for the duration of the call.
    let _ignored = unsafe { proxy_log(level as u32, message.as_ptr(), message.len()) };
}

fn check(status: u32) -> Result<(), Status> {
    if status == 0 { Ok(()) } else { Err(Status(status)) }
}

/// Takes ownership of bytes the host wrote into memory it got from our allocator.
fn owned(data: *mut u8, size: usize) -> Vec<u8> {
    if data.is_null() || size == 0 {
        return Vec::new();
    }
    // SAFETY: the host allocated exactly `size` bytes through this module's exported allocator
    // (`proxy_on_memory_allocate`, a `Vec::with_capacity(size)` that was forgotten) and filled
    // them; ownership passes to us, as the ABI specifies.
    unsafe { Vec::from_raw_parts(data, size, size) }
}

/// Reads `max` bytes from `start` of a buffer. `Ok(None)` when the host has no such buffer.
pub fn get_buffer(buffer: BufferType, start: usize, max: usize) -> Result<Option<Vec<u8>>, Status> {
    let mut data = null_mut();
    let mut size = 0;
    // SAFETY: the out-pointers are valid locals; the host writes a pointer and a length.
    let status =
        unsafe { proxy_get_buffer_bytes(buffer as u32, start, max, &mut data, &mut size) };
    match status {
        0 => Ok(Some(owned(data, size))),
        NOT_FOUND => Ok(None),
        other => Err(Status(other)),
    }
}

/// Replaces `size` bytes at `start` of a buffer with `value` (Envoy: `start == 0` replaces a
/// prefix, `start >= len` appends; anything else is refused).
pub fn set_buffer(buffer: BufferType, start: usize, size: usize, value: &[u8]) -> Result<(), Status> {
    // SAFETY: `value` is a live slice for the duration of the call.
    check(unsafe {
        proxy_set_buffer_bytes(buffer as u32, start, size, value.as_ptr(), value.len())
    })
}

/// The first value of header `name` in `map`, as raw bytes (header values are untrusted and may
/// not be UTF-8).
pub fn get_header(map: MapType, name: &str) -> Result<Option<Vec<u8>>, Status> {
    let mut data = null_mut();
    let mut size = 0;
    // SAFETY: `name` is a live slice; the out-pointers are valid locals.
    let status = unsafe {
        proxy_get_header_map_value(map as u32, name.as_ptr(), name.len(), &mut data, &mut size)
    };
    match status {
        0 => Ok(Some(owned(data, size))),
        NOT_FOUND => Ok(None),
        other => Err(Status(other)),
    }
}

/// Every header of `map` as `(lower-case name, raw value)`. Values are untrusted bytes;
/// malformed serialized data reads as an error, never a panic.
pub fn get_headers(map: MapType) -> Result<Vec<(String, Vec<u8>)>, Status> {
    let mut data = null_mut();
    let mut size = 0;
    // SAFETY: the out-pointers are valid locals.
    let status = unsafe { proxy_get_header_map_pairs(map as u32, &mut data, &mut size) };
    if status != 0 {
        return Err(Status(status));
    }
    parse_pairs(&owned(data, size)).ok_or(Status(3))
}

/// Parses the proxy-wasm map format (see [`serialize_pairs`]).
fn parse_pairs(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let u32_at = |at: usize| -> Option<usize> {
        let b = bytes.get(at..at + 4)?;
        usize::try_from(u32::from_le_bytes([b.first().copied()?, *b.get(1)?, *b.get(2)?, *b.get(3)?])).ok()
    };
    if bytes.is_empty() {
        return Some(Vec::new());
    }
    let count = u32_at(0)?;
    let mut lens = Vec::with_capacity(count.min(1024));
    for i in 0..count {
        lens.push((u32_at(4 + i * 8)?, u32_at(8 + i * 8)?));
    }
    let mut at = 4 + count.checked_mul(8)?;
    let mut pairs = Vec::with_capacity(lens.len());
    for (klen, vlen) in lens {
        let key = bytes.get(at..at + klen)?;
        at += klen + 1;
        let value = bytes.get(at..at + vlen)?;
        at += vlen + 1;
        pairs.push((String::from_utf8_lossy(key).to_ascii_lowercase(), value.to_vec()));
    }
    Some(pairs)
}

/// Sets header `name` to `value` in `map`, replacing any existing values.
pub fn set_header(map: MapType, name: &str, value: &[u8]) -> Result<(), Status> {
    // SAFETY: both slices are live for the duration of the call.
    check(unsafe {
        proxy_replace_header_map_value(
            map as u32,
            name.as_ptr(),
            name.len(),
            value.as_ptr(),
            value.len(),
        )
    })
}

/// Removes header `name` from `map` (no error if absent).
pub fn remove_header(map: MapType, name: &str) -> Result<(), Status> {
    // SAFETY: `name` is a live slice.
    check(unsafe { proxy_remove_header_map_value(map as u32, name.as_ptr(), name.len()) })
}

/// Reads a property (`["xds", "route_name"]`); `Ok(None)` when the host does not have it.
pub fn get_property(path: &[&str]) -> Result<Option<Vec<u8>>, Status> {
    let mut serialized = Vec::new();
    for (i, segment) in path.iter().enumerate() {
        if i > 0 {
            serialized.push(0);
        }
        serialized.extend_from_slice(segment.as_bytes());
    }
    let mut data = null_mut();
    let mut size = 0;
    // SAFETY: `serialized` is live; the out-pointers are valid locals.
    let status = unsafe {
        proxy_get_property(serialized.as_ptr(), serialized.len(), &mut data, &mut size)
    };
    match status {
        0 => Ok(Some(owned(data, size))),
        NOT_FOUND => Ok(None),
        other => Err(Status(other)),
    }
}

/// Sends a local reply; Envoy sends it once the current callback returns.
pub fn send_local_response(
    status: u32,
    details: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<(), Status> {
    let serialized = serialize_pairs(headers);
    // SAFETY: all slices are live for the duration of the call.
    check(unsafe {
        proxy_send_local_response(
            status,
            details.as_ptr(),
            details.len(),
            body.as_ptr(),
            body.len(),
            serialized.as_ptr(),
            serialized.len(),
            -1,
        )
    })
}

/// Which direction of an HTTP stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamType {
    /// The request (client → upstream).
    Request = 0,
    /// The response (upstream → client).
    Response = 1,
}

/// Resets one direction of the HTTP stream: the peer sees a broken message, never unredacted
/// data.
pub fn reset(stream: StreamType) -> Result<(), Status> {
    // SAFETY: no pointers.
    check(unsafe { proxy_close_stream(stream as u32) })
}

/// Defines a metric and returns its id.
pub fn define_metric(kind: MetricType, name: &str) -> Result<u32, Status> {
    let mut id = 0;
    // SAFETY: `name` is live; `id` is a valid local.
    check(unsafe { proxy_define_metric(kind as u32, name.as_ptr(), name.len(), &mut id) })?;
    Ok(id)
}

/// Adds `delta` to a counter or gauge.
pub fn increment_metric(id: u32, delta: i64) -> Result<(), Status> {
    // SAFETY: no pointers.
    check(unsafe { proxy_increment_metric(id, delta) })
}

/// Records a histogram sample.
pub fn record_metric(id: u32, value: u64) -> Result<(), Status> {
    // SAFETY: no pointers.
    check(unsafe { proxy_record_metric(id, value) })
}

/// Serializes header pairs in the proxy-wasm map format: count, (key len, value len)*, then each
/// key and value followed by a NUL.
fn serialize_pairs(pairs: &[(&str, &str)]) -> Vec<u8> {
    let size = 4 + pairs.iter().map(|(k, v)| 8 + k.len() + v.len() + 2).sum::<usize>();
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&u32::try_from(pairs.len()).unwrap_or(u32::MAX).to_le_bytes());
    for (k, v) in pairs {
        out.extend_from_slice(&u32::try_from(k.len()).unwrap_or(u32::MAX).to_le_bytes());
        out.extend_from_slice(&u32::try_from(v.len()).unwrap_or(u32::MAX).to_le_bytes());
    }
    for (k, v) in pairs {
        out.extend_from_slice(k.as_bytes());
        out.push(0);
        out.extend_from_slice(v.as_bytes());
        out.push(0);
    }
    out
}
