//! Scrim's proxy-wasm filter for Envoy and Istio (built for `wasm32-wasip1` as
//! `scrim_envoy.wasm`).
//!
//! The glue stays thin: [`scrim_core::gateway`] decides everything (routes, transfer decisions,
//! which bodies to read, the audit line); this crate moves bytes between Envoy and it.
//!
//! Plugin configuration (Envoy's `configuration`, Istio's `pluginConfig`):
//!
//! ```json
//! { "bundle": { "scrim": 1, "name": "default", "revision": "1", "...": "..." },
//!   "options": { "failure_mode": "closed", "hmac_key_env": "SCRIM_HMAC_KEY" } }
//! ```
//!
//! An invalid configuration makes `on_configure` return false, with every error logged with
//! its JSON pointer, so Envoy keeps the previous configuration (or refuses to start).

// Wired in once the gateway compiles:
// mod abi;
// mod metrics;
// mod root;
// mod stream;

proxy_wasm::main! {{
    proxy_wasm::set_log_level(proxy_wasm::types::LogLevel::Info);
}}
