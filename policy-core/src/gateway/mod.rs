//! The gateway: what the Envoy filter does with one HTTP exchange, as plain values.
//!
//! The proxy-wasm glue in `scrim-envoy` only moves bytes between Envoy and this module, so the
//! same decisions run natively (`scrim test`, `scrim redact`) and inside Envoy.

pub mod envoy_proto;
pub mod options;
pub mod route;

pub use options::{FailureMode, Options, RouteOptions};
