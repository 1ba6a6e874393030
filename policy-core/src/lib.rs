//! Scrim's policy core.
//!
//! One JSON **policy bundle** is enforced in two places: a proxy-wasm filter in Envoy or Istio
//! and a browser SDK. Both compile from this crate, which is `#![no_std]` + `alloc` so that the
//! native CLI, `wasm32-wasip1` (Envoy) and `wasm32-unknown-unknown` (browser) give the same
//! answer for the same bundle and input.
//!
//! # Untrusted input
//!
//! Bundles, bodies and headers are untrusted. Nothing in this crate panics on any input: the
//! lints deny `unwrap`, `expect`, `panic` and slice indexing outside tests, and `unsafe` is
//! forbidden. Size limits are documented on the types that enforce them.
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod bundle;
pub mod checksum;
pub mod consent;
pub mod detect;
pub mod explain;
pub mod gateway;
pub mod json;
pub mod law;
pub mod policy;
pub mod redact;
pub mod remark;
pub mod select;
pub mod stream;
pub mod transfer;
