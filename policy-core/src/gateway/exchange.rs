//! One HTTP exchange through the gateway, phase by phase, as values the filter applies.

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use crate::bundle::Direction;
use crate::law::Date;
use crate::remark::Summary;
use crate::stream::Format;
use crate::transfer::{
    Action, Alert, Decision, HeaderSource, MatchedRoute, RequestFacts, bulk_guard,
};

use super::Gateway;
use super::options::media_type;

/// What the gateway knows when a request's headers arrive (the request phase is the only
/// time Envoy lets a filter read them, so everything needed later is taken now).
#[derive(Debug, Clone, Copy)]
pub struct RequestHead<'a, H: HeaderSource + ?Sized> {
    /// `:method`.
    pub method: &'a str,
    /// `:path`, query included.
    pub path: &'a str,
    /// `:authority` (or `host`).
    pub authority: &'a str,
    /// The request headers, lower-case names.
    pub headers: &'a H,
    /// Envoy's `xds.route_name`, for per-route options.
    pub route_name: Option<&'a str>,
    /// Envoy's `xds.cluster_name`.
    pub cluster: Option<&'a str>,
    /// `filter_metadata.scrim.recipient` of the route (`xds.route_metadata`).
    pub route_recipient: Option<&'a str>,
    /// Region of the upstream (`upstream.locality`), when known this early.
    pub upstream_region: Option<&'a str>,
    /// Today, for dated law entries.
    pub today: Date,
}

/// A complete answer the gateway sends instead of the upstream's (Envoy's local reply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Response headers, lower-case names.
    pub headers: Vec<(String, String)>,
    /// Response body.
    pub body: Vec<u8>,
    /// Envoy's response code details (shows in access logs), e.g. `scrim_transfer_denied`.
    pub details: String,
}

/// Per-exchange state decided in the request phase and used by the later phases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exchange {
    /// The bundle route this exchange falls under (`None`: the bundle does not cover it).
    pub route: Option<String>,
    /// Redact the response body.
    pub redact_response: bool,
    /// Redact the request body (data sent to a third party).
    pub redact_request: bool,
    /// The audience whose overrides apply.
    pub audience: Option<String>,
    /// The profile in force (configuration push, else the route's).
    pub profile: Option<String>,
    /// The transfer decision (allow or redact; a deny never gets this far).
    pub decision: Decision,
    /// Category → most values one body may release (bulk guard); buffers the body when set.
    pub bulk_limit: BTreeMap<String, u32>,
    /// The request id for logs (`x-request-id`).
    pub request_id: String,
    /// Largest body the gateway reads on this exchange.
    pub max_body_bytes: usize,
    /// A decision put off until the upstream is known ([`Gateway::upstream_known`]).
    #[serde(skip)]
    pub upstream: Option<Box<super::upstream::Pending>>,
}

/// The outcome of the request phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestVerdict {
    /// The gateway does not touch this exchange (no route, or the route is disabled).
    Pass,
    /// Answer locally (a denied transfer); the upstream is never called.
    Reply(Reply),
    /// Go on, and handle the later phases with this state.
    Proceed {
        /// State for later phases.
        exchange: Box<Exchange>,
        /// Request header changes: names to remove (`accept-encoding`, `content-length`).
        remove_headers: Vec<&'static str>,
    },
}

/// What to do with the response headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponsePlan {
    /// Leave the body alone; add these headers.
    Pass {
        /// Headers to set.
        set: Vec<(String, String)>,
    },
    /// Redact the body as `format`; remove `content-length` (the length changes), set these.
    Redact {
        /// How to read the body.
        format: Format,
        /// Headers to set.
        set: Vec<(String, String)>,
    },
    /// Refuse the response (a body the gateway must read but cannot): answer locally.
    Reply(Reply),
}

/// What the gateway concludes once a body is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// One audit log line (JSON, no values) when anything was redacted or decided.
    pub audit: Option<String>,
    /// The bulk guard fired: withhold the body and log this alert.
    pub withheld: Option<Alert>,
}

#[derive(Serialize)]
struct AuditLine<'a> {
    r#type: &'static str,
    request_id: &'a str,
    route: Option<&'a str>,
    bundle: &'a str,
    direction: &'static str,
    decision: &'a Action,
    rules: Vec<&'a str>,
    counts: &'a BTreeMap<crate::remark::Name, u64>,
    shadow: Vec<&'a str>,
    withheld: bool,
}

impl Gateway {
    /// The request phase: route, transfer decision, and what the later phases must do.
    pub fn request<H: HeaderSource + ?Sized>(&self, head: &RequestHead<'_, H>) -> RequestVerdict {
        let matched = crate::gateway::route::select_index(
            &self.bundle.routes,
            head.authority,
            head.path,
            head.method,
        );
        let route = matched.and_then(|i| self.bundle.routes.get(i));
        let route_options = head.route_name.and_then(|n| self.options.routes.get(n));
        if route_options.is_some_and(|r| r.disabled) {
            return RequestVerdict::Pass;
        }
        let profile = self
            .options
            .profile
            .clone()
            .or_else(|| route.and_then(|r| r.profile.clone()));
        let audience = route_options
            .and_then(|r| r.audience.clone())
            .or_else(|| {
                head.headers
                    .header(&self.options.audience_header)
                    .map(str::to_owned)
            })
            .filter(|a| self.bundle.redaction.audiences.contains_key(a.as_str()));
        let facts = RequestFacts {
            method: head.method,
            path: head.path,
            route: matched.map_or(MatchedRoute::None, MatchedRoute::Index),
            host: head.authority,
            headers: head.headers,
            cluster: head.cluster,
            route_metadata: head.route_recipient,
            upstream_region: head.upstream_region,
            audience: audience.as_deref(),
            audience_header: &self.options.audience_header,
            profile: profile.as_deref(),
            categories: None,
            at: head.today,
        };
        let (decision, deferred) =
            self.transfers
                .decide_request_or_defer(&self.law, &self.chain, &facts);
        let request_id = head
            .headers
            .header("x-request-id")
            .unwrap_or("-")
            .to_owned();
        if decision.action == Action::Deny {
            return RequestVerdict::Reply(self.denial(&decision, &request_id));
        }
        // With a configured profile (lockdown), every exchange is redacted, even off-route.
        // Off-route with a decision put off until the upstream is known: kept, not redacted.
        let direction = match route {
            Some(r) => Some(r.direction),
            None if self.options.profile.is_some() => Some(Direction::Response),
            None if decision.action == Action::Redact => Some(Direction::Both),
            None if deferred.is_some() => None,
            None => return RequestVerdict::Pass,
        };
        let redact_response = matches!(direction, Some(Direction::Response | Direction::Both));
        let redact_request = matches!(direction, Some(Direction::Request | Direction::Both));
        let mut remove_headers = Vec::new();
        if redact_response && self.options.strip_accept_encoding {
            remove_headers.push("accept-encoding");
        }
        if redact_request {
            remove_headers.push("content-length");
        }
        RequestVerdict::Proceed {
            exchange: Box::new(Exchange {
                route: route.map(|r| r.id.clone()),
                redact_response,
                redact_request,
                audience,
                profile,
                decision,
                bulk_limit: route.map(|r| r.bulk_limit.clone()).unwrap_or_default(),
                request_id,
                max_body_bytes: route_options
                    .and_then(|r| r.max_body_bytes)
                    .unwrap_or(self.options.max_body_bytes),
                upstream: deferred.map(|d| super::upstream::Pending::boxed(d, direction.is_none())),
            }),
            remove_headers,
        }
    }

    /// How to read a body with these headers, or why the gateway must refuse it.
    ///
    /// `Ok(None)`: a content type the gateway does not handle (passes untouched).
    /// `Err(reply)`: an encoded body (gzip, br...) the gateway cannot read, never passed
    /// through unredacted.
    pub fn body_format(
        &self,
        exchange: &Exchange,
        content_type: Option<&str>,
        content_encoding: Option<&str>,
    ) -> Result<Option<Format>, Reply> {
        let Some(content_type) = content_type.filter(|t| self.options.handles(t)) else {
            return Ok(None);
        };
        let encoding = content_encoding.map(str::trim).unwrap_or("identity");
        if !encoding.is_empty() && !encoding.eq_ignore_ascii_case("identity") {
            return Err(self.problem(
                502,
                "encoded-body",
                "Response body cannot be inspected",
                &format!(
                    "the upstream answered with content-encoding `{encoding}`, which the privacy \
                     filter cannot read; configure it to send identity bodies"
                ),
                &exchange.request_id,
            ));
        }
        Ok(Format::from_content_type(media_type(content_type)).or(Some(Format::Text)))
    }

    /// The response-headers phase.
    pub fn response_headers(
        &self,
        exchange: &Exchange,
        content_type: Option<&str>,
        content_encoding: Option<&str>,
    ) -> ResponsePlan {
        let mut set = Vec::from([(String::from("x-scrim-policy"), self.label.clone())]);
        if !exchange.decision.shadow.is_empty() {
            let hits: Vec<String> = exchange
                .decision
                .shadow
                .iter()
                .map(|s| format!("{}={}", s.rule, s.action.as_str()))
                .collect();
            set.push((String::from("x-scrim-shadow"), hits.join(", ")));
        }
        if !exchange.decision.vary.is_empty() {
            set.push((String::from("vary"), exchange.decision.vary.join(", ")));
        }
        if !exchange.redact_response {
            return ResponsePlan::Pass { set };
        }
        match self.body_format(exchange, content_type, content_encoding) {
            Ok(Some(format)) => ResponsePlan::Redact { format, set },
            Ok(None) => ResponsePlan::Pass { set },
            Err(reply) => ResponsePlan::Reply(reply),
        }
    }

    /// Once a body is done: the audit line, and whether the bulk guard withholds it.
    pub fn complete(&self, exchange: &Exchange, request: bool, summary: &Summary) -> Completion {
        let withheld = if request || exchange.bulk_limit.is_empty() {
            None
        } else {
            let counts: Vec<(&str, u64)> = summary
                .counts
                .iter()
                .map(|(c, n)| (c.as_str(), *n))
                .collect();
            let limits = exchange
                .bulk_limit
                .iter()
                .map(|(c, n)| (c.clone(), u64::from(*n)))
                .collect();
            bulk_guard(&counts, &limits)
        };
        let decided =
            exchange.decision.action != Action::Allow || !exchange.decision.shadow.is_empty();
        let audit = (!summary.remarks.is_empty() || decided || withheld.is_some()).then(|| {
            let mut rules: Vec<&str> = summary.remarks.iter().map(|r| r.rule.as_str()).collect();
            rules.extend(exchange.decision.rules.iter().map(String::as_str));
            rules.sort_unstable();
            rules.dedup();
            let line = AuditLine {
                r#type: "scrim.audit",
                request_id: &exchange.request_id,
                route: exchange.route.as_deref(),
                bundle: &self.label,
                direction: if request { "request" } else { "response" },
                decision: &exchange.decision.action,
                rules,
                counts: &summary.counts,
                shadow: exchange
                    .decision
                    .shadow
                    .iter()
                    .map(|s| s.rule.as_str())
                    .collect(),
                withheld: withheld.is_some(),
            };
            serde_json::to_string(&line).unwrap_or_default()
        });
        Completion { audit, withheld }
    }

    /// The body that replaces a response the bulk guard withheld (headers are already sent,
    /// so the status stays; the body says why).
    pub fn withheld_body(&self, exchange: &Exchange, alert: &Alert) -> Vec<u8> {
        let body = serde_json::json!({
            "type": "urn:scrim:problem:bulk-withheld",
            "title": "Response withheld by privacy policy",
            "detail": "the response carries more values of a category than this route allows",
            "exceeded": alert.exceeded,
            "instance": exchange.request_id,
        });
        serde_json::to_vec(&body).unwrap_or_default()
    }

    /// An RFC 9457 problem reply of the gateway's own (not a transfer decision).
    pub fn problem(
        &self,
        status: u16,
        kind: &str,
        title: &str,
        detail: &str,
        instance: &str,
    ) -> Reply {
        let body = serde_json::json!({
            "type": format!("urn:scrim:problem:{kind}"),
            "title": title,
            "status": status,
            "detail": detail,
            "instance": instance,
        });
        Reply {
            status,
            headers: Vec::from([
                (
                    String::from("content-type"),
                    String::from("application/problem+json"),
                ),
                (String::from("cache-control"), String::from("no-store")),
                (String::from("x-scrim-policy"), self.label.clone()),
            ]),
            body: serde_json::to_vec(&body).unwrap_or_default(),
            details: format!("scrim_{}", kind.replace('-', "_")),
        }
    }
}
