//! Numeric constants of proxy-wasm ABI 0.2.1 (spec §2.3) that cross the guest boundary.

/// `proxy_status_t` values returned by host functions.
pub(crate) mod status {
    pub(crate) const OK: u32 = 0;
    pub(crate) const NOT_FOUND: u32 = 1;
    pub(crate) const BAD_ARGUMENT: u32 = 2;
    pub(crate) const INVALID_MEMORY_ACCESS: u32 = 6;
    pub(crate) const EMPTY: u32 = 7;
    pub(crate) const CAS_MISMATCH: u32 = 8;
}

/// `proxy_buffer_type_t`.
pub(crate) mod buffer {
    pub(crate) const HTTP_REQUEST_BODY: u32 = 0;
    pub(crate) const HTTP_RESPONSE_BODY: u32 = 1;
    pub(crate) const VM_CONFIGURATION: u32 = 6;
    pub(crate) const PLUGIN_CONFIGURATION: u32 = 7;
}

/// `proxy_map_type_t`.
pub(crate) mod map {
    pub(crate) const HTTP_REQUEST_HEADERS: u32 = 0;
    pub(crate) const HTTP_REQUEST_TRAILERS: u32 = 1;
    pub(crate) const HTTP_RESPONSE_HEADERS: u32 = 2;
    pub(crate) const HTTP_RESPONSE_TRAILERS: u32 = 3;
}

/// `proxy_stream_type_t`.
pub(crate) mod stream {
    pub(crate) const HTTP_REQUEST: u32 = 0;
    pub(crate) const HTTP_RESPONSE: u32 = 1;
}

/// WASI preview1 errno values the host returns.
pub(crate) mod errno {
    pub(crate) const SUCCESS: i32 = 0;
    pub(crate) const BADF: i32 = 8;
    pub(crate) const FAULT: i32 = 21;
    pub(crate) const INVAL: i32 = 28;
}
