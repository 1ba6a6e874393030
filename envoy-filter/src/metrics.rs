//! The filter's metrics, defined once per configuration with `proxy_define_metric`.
//!
//! Envoy exposes them with a `wasmcustom.` prefix (Istio needs them included in the proxy's
//! stats matcher). Counters per category are named `scrim_redactions.<category>`.

use std::collections::BTreeMap;

use proxy_wasm::types::MetricType;

use crate::abi;

/// Metric ids of one configuration. A metric that could not be defined has no id and is
/// skipped: metrics must never take the filter down.
#[derive(Debug, Default)]
pub struct Metrics {
    responses: Option<u32>,
    requests_redacted: Option<u32>,
    blocked: Option<u32>,
    shadow: Option<u32>,
    oversize: Option<u32>,
    errors: Option<u32>,
    withheld: Option<u32>,
    processing_us: Option<u32>,
    per_category: BTreeMap<String, u32>,
}

/// Something the filter counts.
#[derive(Clone, Copy, Debug)]
pub enum Event {
    /// A response body the filter read.
    Response,
    /// A request body redacted before it left for a third party.
    RequestRedacted,
    /// A request denied (403/451) by a transfer rule.
    Blocked,
    /// A shadow rule that would have acted.
    Shadow,
    /// A body over `max_body_bytes`.
    Oversize,
    /// An internal error (the failure mode applied).
    Error,
    /// A response withheld by the bulk guard.
    Withheld,
}

impl Metrics {
    /// Defines every metric for `categories`.
    pub fn define<'a>(categories: impl IntoIterator<Item = &'a str>) -> Metrics {
        let counter = |name: &str| abi::define_metric(MetricType::Counter, name).ok();
        Metrics {
            responses: counter("scrim_responses_total"),
            requests_redacted: counter("scrim_requests_redacted_total"),
            blocked: counter("scrim_blocked_total"),
            shadow: counter("scrim_shadow_total"),
            oversize: counter("scrim_oversize_total"),
            errors: counter("scrim_errors_total"),
            withheld: counter("scrim_withheld_total"),
            processing_us: abi::define_metric(MetricType::Histogram, "scrim_processing_us").ok(),
            per_category: categories
                .into_iter()
                .filter_map(|c| {
                    let id = counter(&format!("scrim_redactions.{c}"))?;
                    Some((c.to_owned(), id))
                })
                .collect(),
        }
    }

    /// Counts one `event`.
    pub fn count(&self, event: Event) {
        let id = match event {
            Event::Response => self.responses,
            Event::RequestRedacted => self.requests_redacted,
            Event::Blocked => self.blocked,
            Event::Shadow => self.shadow,
            Event::Oversize => self.oversize,
            Event::Error => self.errors,
            Event::Withheld => self.withheld,
        };
        if let Some(id) = id {
            let _ignored = abi::increment_metric(id, 1);
        }
    }

    /// Adds `n` redactions of `category`.
    pub fn redactions(&self, category: &str, n: u64) {
        if let Some(id) = self.per_category.get(category) {
            let _ignored = abi::increment_metric(*id, i64::try_from(n).unwrap_or(i64::MAX));
        }
    }

    /// Records time spent redacting one body, in microseconds.
    pub fn processing(&self, micros: u64) {
        if let Some(id) = self.processing_us {
            let _ignored = abi::record_metric(id, micros);
        }
    }
}
