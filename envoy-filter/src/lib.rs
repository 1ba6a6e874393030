//! Scrim's proxy-wasm filter (built for `wasm32-wasip1` as `scrim_envoy.wasm`).
//!
//! The glue stays thin: policy logic lives in `scrim-core`, where it is tested natively.
