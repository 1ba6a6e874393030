//! A proxy-wasm ABI 0.2.1 host on wasmtime that behaves like Envoy.
//!
//! Scrim's filter cannot run in Envoy here, so this host is as strict as Envoy where Envoy is
//! strict: body edits only as whole-prefix replace or append, request headers only in the
//! request-headers callback, `request.*` properties only in the request phase, deferred
//! local replies, cumulative body sizes while paused, 413/500 over the buffer limit, and a
//! fail-closed 503 after a trap. It implements every `env.proxy_*` function of ABI 0.2.1 and
//! the WASI functions the spec requires (deterministic: frozen clock, seeded randomness).
//!
//! The API is state-based, like proxy-wasm-go-sdk's `proxytest`: feed an exchange, then
//! assert on what went upstream and downstream, logs and metrics. There is no global state,
//! so tests run in parallel; compile a [`Host`] once and [`Host::start`] a [`Plugin`] per test.
//!
//! ```no_run
//! use scrim_host::{ChunkPlan, Exchange, Host, HttpMessage, PluginOptions, module_path};
//!
//! let host = Host::from_file(module_path("scrim-test-filter")?)?;
//! let mut plugin = host.start(PluginOptions::new(r#"{"mode":"buffer-upper"}"#))?;
//! let exchange = Exchange::new(
//!     HttpMessage::request("GET", "/users"),
//!     HttpMessage::response(200).body("alice@example.com"),
//! );
//! for plan in ChunkPlan::all(7) {
//!     let outcome = plugin.run(&exchange, plan);
//!     assert_eq!(outcome.status(), Some(200));
//!     assert_eq!(outcome.downstream.body, b"ALICE@EXAMPLE.COM");
//! }
//! # Ok::<(), scrim_host::HostError>(())
//! ```
//!
//! # Envoy semantics, and where this host differs
//!
//! | behaviour | here |
//! |---|---|
//! | body `Pause` | buffers; the next body callback reports the cumulative size; `Continue` sends the buffer on |
//! | `proxy_set_buffer_bytes` | `start == 0`: drain `size`, prepend; `start >= len`: append; else BAD_ARGUMENT |
//! | body buffers | only in that direction's body callback (and its trailers callback, while buffered) |
//! | request headers / trailers | only in their own callback; later BAD_ARGUMENT |
//! | response headers | changeable only in their callback; readable in later response callbacks and `on_log` |
//! | headers `Pause` | body and trailers withheld until `proxy_continue_stream`, then re-delivered |
//! | buffer limit ([`PluginOptions::buffer_limit`]) | 413 (request), 500 (response headers not yet sent), else reset |
//! | `proxy_send_local_response`, `proxy_continue_stream`, `proxy_close_stream` | applied after the callback returns; a reply made before the response started runs through the filter's response callbacks |
//! | trap (panic, `unreachable`, past [`PluginOptions::callback_deadline`]) | VM failed: every open and later stream gets 503 `wasm_fail_stream` (reset if headers went downstream), or passes through with [`PluginOptions::fail_open`] |
//! | `request.*` properties | derived from the request headers, only in request callbacks |
//! | `response.code`, `response.headers` | only in response callbacks and `on_log` |
//! | [`Exchange::response_properties`] (e.g. `upstream.locality`) | from the response headers on (Envoy's router picks the upstream host after the request headers) |
//!
//! Not emulated: HTTP and gRPC callouts (`proxy_http_call` answers BAD_ARGUMENT, as Envoy does
//! for an unknown cluster), `on_queue_ready` after an enqueue, `allow_on_headers_stop_iteration`.
//! `request.protocol` is always `HTTP/1.1`. Header values are kept as (lossy) UTF-8 text.
//!
//! Properties are encoded as Envoy encodes them:
//!
//! ```
//! use scrim_host::{Locality, Properties, PropertyValue};
//!
//! let mut props = Properties::new();
//! props.set("upstream.locality", Locality::region("eu-west-1"));
//! props.set("source.port", 443i64);
//! let port = props.get(&["source".into(), "port".into()]).unwrap();
//! assert_eq!(port, PropertyValue::Int(443).encode());
//! ```

mod abi;
mod error;
mod exchange;
mod headers;
mod hostcalls;
mod locate;
mod logs;
mod memory;
mod metrics;
mod plan;
mod plugin;
mod properties;
mod rng;
mod stream;
mod vm;
mod wasi;

pub use error::HostError;
pub use exchange::{Exchange, HttpMessage, LocalReply, Outcome, Sent};
pub use headers::HeaderMap;
pub use locate::module_path;
pub use logs::{LogEntry, LogLevel};
pub use metrics::{Metric, MetricKind};
pub use plan::ChunkPlan;
pub use plugin::{DEFAULT_CALLBACK_DEADLINE, EPOCH_TICK, Host, Plugin, PluginOptions, TrapInfo};
pub use properties::{Locality, Metadata, MetadataValue, Properties, PropertyValue};
pub use stream::{Action, Stream};
