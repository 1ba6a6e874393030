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
//! 2. [`Gateway::upstream_known`] once Envoy has picked the upstream host (response headers):
//!    a decision the request phase put off for lack of `upstream.locality` is taken now;
//!    [`Gateway::response_headers`]: pass, redact (as which format), or refuse a body it
//!    cannot read;
//! 3. [`Gateway::redactor`] streams a body chunk by chunk;
//! 4. [`Gateway::complete`]: the audit line and the bulk guard.

mod config;
pub mod envoy_proto;
mod exchange;
pub mod options;
pub mod route;
mod upstream;

use alloc::string::String;

pub use config::ConfigError;
pub use exchange::{Completion, Exchange, Reply, RequestHead, RequestVerdict, ResponsePlan};
pub use options::{FailureMode, Options, RouteOptions};
pub use upstream::{Pending, UpstreamVerdict};

use crate::bundle::Bundle;
use crate::detect::Detectors;
use crate::law::LawData;
use crate::policy::{Policy, RunOptions};
use crate::redact::HashKey;
use crate::stream::{Format, Limits, RedactError, Redactor};
use crate::transfer::{Action, RegionChain, TransferPolicy};

/// The transfer law reference data compiled into the filter (`policies/reference/
/// transfer-law.json`, without insignificant whitespace); a configuration can supply a newer
/// copy under `law`.
pub const DEFAULT_LAW: &str = crate::minified_json!(include_str!(
    "../../../policies/reference/transfer-law.json"
));

/// A compiled configuration: the bundle, its detectors and redaction plan, its transfer rules,
/// the law data, and the deployment options.
pub struct Gateway {
    bundle: Bundle,
    label: String,
    policy: Policy<Detectors>,
    transfers: TransferPolicy,
    law: LawData,
    chain: RegionChain,
    options: Options,
    hmac_key: Option<HashKey>,
}

impl Gateway {
    /// `name@revision` of the bundle, as sent in `x-scrim-policy`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The bundle this gateway enforces.
    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    /// Whether the `hash` method has its key (the environment variable was set).
    pub fn has_hmac_key(&self) -> bool {
        self.hmac_key.is_some()
    }

    /// The deployment options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Category ids of the bundle (for per-category metrics).
    pub fn categories(&self) -> impl Iterator<Item = &str> {
        self.bundle.categories.iter().map(|c| c.id.as_str())
    }

    /// Starts redacting one body of `exchange` (`request`: the request body, else the
    /// response body). A `redact` transfer decision forces its categories: they are redacted
    /// even where the bundle's method for them is `keep` ([`RunOptions::force_categories`]).
    pub fn redactor(
        &self,
        exchange: &Exchange,
        format: Format,
    ) -> Result<Redactor<'_, Detectors>, RedactError> {
        let limits = Limits {
            max_body_bytes: u64::try_from(exchange.max_body_bytes).unwrap_or(u64::MAX),
            ..Limits::default()
        };
        self.policy.redactor(
            format,
            &RunOptions {
                audience: exchange.audience.as_deref(),
                profile: exchange.profile.as_deref(),
                hmac_key: self.hmac_key.clone(),
                limits,
                force_categories: if exchange.decision.action == Action::Redact {
                    &exchange.decision.categories
                } else {
                    &[]
                },
            },
        )
    }
}
