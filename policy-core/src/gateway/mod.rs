//! The gateway: what the Envoy filter does with one HTTP exchange, as plain values.
//!
//! The proxy-wasm glue in `scrim-envoy` only moves bytes between Envoy and this module, so the
//! same decisions run natively (`scrim test`, `scrim redact`) and inside Envoy, and the
//! conformance vectors prove they agree.
//!
//! A [`Gateway`] is built once per configuration from the filter's plugin configuration
//! (`{"bundle": {...}, "options": {...}}`), then for each exchange:
//!
//! 1. [`Gateway::request`] in the request-headers phase: route, transfer decision (a deny is
//!    answered locally with problem+json), header changes, and an [`Exchange`] for later;
//! 2. [`Gateway::response_headers`]: pass, redact (as which format), or refuse a body it
//!    cannot read;
//! 3. [`Gateway::redactor`] streams a body chunk by chunk;
//! 4. [`Gateway::complete`]: the audit line and the bulk guard.

// Wired in once the engine and transfer branches land:
// mod config;
pub mod envoy_proto;
// mod exchange;
pub mod options;
pub mod route;

pub use options::{FailureMode, Options, RouteOptions};
