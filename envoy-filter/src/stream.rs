//! One HTTP stream: applies the gateway's decisions phase by phase.
//!
//! Bodies stream through the redactor chunk by chunk: each chunk is replaced in place with its
//! redacted bytes (a whole-prefix replace, the only edit Envoy allows), so memory stays bounded
//! by the largest token, not the body. Routes with a bulk limit buffer the whole body instead,
//! so the gateway can withhold it.

use std::rc::Rc;
use std::time::Instant;

use proxy_wasm::traits::{Context, HttpContext};
use proxy_wasm::types::{Action, BufferType, MapType};
use scrim_core::detect::Detectors;
use scrim_core::gateway::{
    Exchange, FailureMode, Reply, RequestHead, RequestVerdict, ResponsePlan, UpstreamVerdict,
};
use scrim_core::law::Date;
use scrim_core::stream::{Format, RedactError, Redactor};

use crate::abi::{self, Level, StreamType};
use crate::metrics::Event;
use crate::root::Shared;

/// Which body a [`Body`] is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

impl Side {
    fn buffer(self) -> BufferType {
        match self {
            Side::Request => BufferType::HttpRequestBody,
            Side::Response => BufferType::HttpResponseBody,
        }
    }

    fn stream(self) -> StreamType {
        match self {
            Side::Request => StreamType::Request,
            Side::Response => StreamType::Response,
        }
    }
}

/// A body being redacted.
struct Body {
    side: Side,
    // INVARIANT: borrows from the `Gateway` inside `Stream::shared`, which the stream keeps
    // alive (an `Rc`) for at least as long as this body exists; see `Stream::open_body`.
    redactor: Option<Redactor<'static, Detectors>>,
    /// Whole-body mode (bulk guard): pause until the end, redact at once.
    buffered: bool,
    /// Bytes seen so far.
    seen: usize,
    /// Time spent redacting.
    micros: u64,
    /// After an error under `failure_mode: open`, the rest passes unredacted.
    passthrough: bool,
}

/// The per-request context.
pub struct Stream {
    // Field order matters: bodies (which borrow from `shared`) drop first.
    request: Option<Body>,
    response: Option<Body>,
    exchange: Option<Exchange>,
    replied: bool,
    shared: Option<Rc<Shared>>,
}

impl Stream {
    /// A stream under `shared`'s configuration (`None`: the plugin never got a valid one).
    pub fn new(shared: Option<Rc<Shared>>) -> Stream {
        Stream {
            request: None,
            response: None,
            exchange: None,
            replied: false,
            shared,
        }
    }

    fn reply(&mut self, reply: &Reply) -> Action {
        let headers: Vec<(&str, &str)> = reply
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if let Err(status) = abi::send_local_response(
            u32::from(reply.status),
            &reply.details,
            &headers,
            &reply.body,
        ) {
            abi::log(
                Level::Error,
                &format!("scrim: local reply refused (status {})", status.0),
            );
        }
        self.replied = true;
        Action::Pause
    }

    /// Response headers: Envoy has picked the upstream host, so a transfer decision the
    /// request phase put off for lack of `upstream.locality` is taken now. `Some`: the
    /// callback's answer (a local reply, or leave the exchange alone).
    fn upstream_known(&mut self) -> Option<Action> {
        let shared = self.shared.clone()?;
        let exchange = self.exchange.as_mut().filter(|e| e.awaits_upstream())?;
        let locality = abi::get_property(&["upstream", "locality"]).ok().flatten();
        let region = locality
            .as_deref()
            .and_then(scrim_core::gateway::envoy_proto::locality_region);
        match shared.gateway.upstream_known(exchange, region) {
            UpstreamVerdict::Continue => {
                if !exchange.decision.shadow.is_empty() {
                    shared.metrics.count(Event::Shadow);
                }
                None
            }
            UpstreamVerdict::Pass => {
                self.exchange = None;
                Some(Action::Continue)
            }
            UpstreamVerdict::Reply(reply) => {
                shared.metrics.count(Event::Blocked);
                abi::log(
                    Level::Info,
                    &format!("scrim: denied at response headers ({})", reply.details),
                );
                Some(self.reply(&reply))
            }
        }
    }

    fn open_body(
        shared: &Rc<Shared>,
        side: Side,
        format: Format,
        exchange: &Exchange,
    ) -> Result<Body, RedactError> {
        let redactor = shared.gateway.redactor(exchange, format)?;
        // SAFETY: the redactor borrows `shared.gateway`, which lives in an `Rc` allocation that
        // never moves. The stream this body is stored in holds a clone of the same `Rc`
        // (`Stream::shared`, set at creation and never replaced) until it is dropped, and
        // `Stream`'s fields are declared so that the bodies (and this redactor) drop before
        // `shared`. The `'static` lifetime is never exposed outside this module.
        let redactor = unsafe {
            std::mem::transmute::<Redactor<'_, Detectors>, Redactor<'static, Detectors>>(redactor)
        };
        Ok(Body {
            side,
            redactor: Some(redactor),
            buffered: side == Side::Response && !exchange.bulk_limit.is_empty(),
            seen: 0,
            micros: 0,
            passthrough: false,
        })
    }

    fn body(&mut self, side: Side, size: usize, end: bool) -> Action {
        let (Some(shared), Some(exchange)) = (self.shared.clone(), self.exchange.as_ref()) else {
            return Action::Continue;
        };
        let slot = match side {
            Side::Request => &mut self.request,
            Side::Response => &mut self.response,
        };
        let Some(body) = slot.as_mut() else {
            return Action::Continue;
        };
        if body.passthrough {
            return Action::Continue;
        }
        if body.buffered && !end {
            if size > exchange.max_body_bytes {
                return fail(&shared, body, size, Failure::Oversize);
            }
            return Action::Pause;
        }
        let chunk = match abi::get_buffer(side.buffer(), 0, size) {
            Ok(chunk) => chunk.unwrap_or_default(),
            Err(status) => return fail(&shared, body, size, Failure::Host(status.0)),
        };
        body.seen = if body.buffered {
            chunk.len()
        } else {
            body.seen.saturating_add(chunk.len())
        };
        if body.seen > exchange.max_body_bytes {
            return fail(&shared, body, size, Failure::Oversize);
        }
        let started = Instant::now();
        let mut out = Vec::with_capacity(chunk.len() + 64);
        let Some(redactor) = body.redactor.as_mut() else {
            return Action::Continue;
        };
        // The worker's key cache is lent for this call only (a body never holds it), so
        // interleaved streams all use it; it cannot be borrowed twice in one thread.
        let mut keys = shared.keys.try_borrow_mut().ok();
        let pushed = match keys.as_deref_mut() {
            Some(keys) => redactor.push_with_keys(&chunk, &mut out, keys),
            None => redactor.push(&chunk, &mut out),
        };
        if let Err(e) = pushed {
            return fail(&shared, body, size, Failure::Redact(e));
        }
        if end {
            let Some(redactor) = body.redactor.take() else {
                return Action::Continue;
            };
            let finished = match keys.as_deref_mut() {
                Some(keys) => redactor.finish_with_keys(&mut out, keys),
                None => redactor.finish(&mut out),
            };
            drop(keys);
            match finished {
                Ok(summary) => {
                    let completion =
                        shared
                            .gateway
                            .complete(exchange, side == Side::Request, &summary);
                    for (category, n) in &summary.counts {
                        shared.metrics.redactions(category, *n);
                    }
                    shared.metrics.count(match side {
                        Side::Request => Event::RequestRedacted,
                        Side::Response => Event::Response,
                    });
                    if let Some(alert) = &completion.withheld {
                        shared.metrics.count(Event::Withheld);
                        let detail = serde_json::to_string(alert).unwrap_or_default();
                        abi::log(
                            Level::Warn,
                            &format!("scrim: bulk guard withheld a response: {detail}"),
                        );
                        out = shared.gateway.withheld_body(exchange, alert);
                    }
                    if let Some(line) = completion.audit {
                        abi::log(Level::Info, &line);
                    }
                }
                Err(e) => return fail(&shared, body, size, Failure::Redact(e)),
            }
        }
        body.micros = body
            .micros
            .saturating_add(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
        if end {
            shared.metrics.processing(body.micros);
        }
        if let Err(status) = abi::set_buffer(side.buffer(), 0, size, &out) {
            return fail(&shared, body, size, Failure::Host(status.0));
        }
        Action::Continue
    }
}

/// Why a body could not be redacted.
enum Failure {
    Oversize,
    Trailers,
    Host(u32),
    Redact(RedactError),
}

/// Applies the failure mode: `closed` drops this chunk and resets the stream (the peer gets a
/// broken message, never unredacted data); `open` lets the rest through, loudly.
fn fail(shared: &Shared, body: &mut Body, size: usize, why: Failure) -> Action {
    let reason = match &why {
        Failure::Oversize => "body exceeds max_body_bytes".to_owned(),
        Failure::Trailers => {
            "trailers ended the body while the redactor held bytes back".to_owned()
        }
        Failure::Host(status) => format!("host call failed with status {status}"),
        Failure::Redact(e) => e.to_string(),
    };
    shared.metrics.count(match why {
        Failure::Oversize => Event::Oversize,
        _ => Event::Error,
    });
    body.redactor = None;
    match shared.gateway.options().failure_mode {
        FailureMode::Closed => {
            abi::log(
                Level::Error,
                &format!("scrim: withholding the body: {reason}"),
            );
            let _ignored = abi::set_buffer(body.side.buffer(), 0, size, &[]);
            let _ignored = abi::reset(body.side.stream());
            Action::Pause
        }
        FailureMode::Open => {
            abi::log(
                Level::Warn,
                &format!("scrim: failure_mode open: passing the body unredacted: {reason}"),
            );
            body.passthrough = true;
            Action::Continue
        }
    }
}

impl Context for Stream {}

impl HttpContext for Stream {
    fn on_http_request_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        let Some(shared) = self.shared.clone() else {
            let body = br#"{"type":"urn:scrim:problem:not-configured","title":"Privacy filter not configured","status":503}"#;
            let reply = Reply {
                status: 503,
                headers: vec![("content-type".into(), "application/problem+json".into())],
                body: body.to_vec(),
                details: "scrim_not_configured".into(),
            };
            return self.reply(&reply);
        };
        let raw = abi::get_headers(MapType::HttpRequestHeaders).unwrap_or_default();
        let headers: Vec<(String, String)> = raw
            .into_iter()
            .filter_map(|(k, v)| Some((k, String::from_utf8(v).ok()?)))
            .collect();
        let get = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let property = |path: &[&str]| abi::get_property(path).ok().flatten();
        let route_name = property(&["xds", "route_name"]).and_then(|v| String::from_utf8(v).ok());
        let cluster = property(&["xds", "cluster_name"]).and_then(|v| String::from_utf8(v).ok());
        let metadata = property(&["xds", "route_metadata"]);
        let recipient =
            metadata.as_deref().and_then(
                |m| match scrim_core::gateway::envoy_proto::metadata_value(m, "scrim", "recipient")
                {
                    Some(scrim_core::gateway::envoy_proto::Scalar::Str(s)) => Some(s.to_owned()),
                    _ => None,
                },
            );
        let locality = property(&["upstream", "locality"]);
        let upstream_region = locality
            .as_deref()
            .and_then(scrim_core::gateway::envoy_proto::locality_region);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let head = RequestHead {
            method: get(":method").unwrap_or("GET"),
            path: get(":path").unwrap_or("/"),
            authority: get(":authority").or_else(|| get("host")).unwrap_or(""),
            headers: &headers,
            route_name: route_name.as_deref(),
            cluster: cluster.as_deref(),
            route_recipient: recipient.as_deref(),
            upstream_region,
            today: Date::from_unix_seconds(i64::try_from(now).unwrap_or(0)),
        };
        match shared.gateway.request(&head) {
            RequestVerdict::Pass => Action::Continue,
            RequestVerdict::Reply(reply) => {
                shared.metrics.count(Event::Blocked);
                abi::log(
                    Level::Info,
                    &format!("scrim: denied {} ({})", head.path, reply.details),
                );
                self.reply(&reply)
            }
            RequestVerdict::Proceed {
                exchange,
                remove_headers,
            } => {
                for name in remove_headers {
                    let _ignored = abi::remove_header(MapType::HttpRequestHeaders, name);
                }
                if !exchange.decision.shadow.is_empty() {
                    shared.metrics.count(Event::Shadow);
                }
                if exchange.redact_request && !end_of_stream {
                    match shared.gateway.body_format(
                        &exchange,
                        get("content-type"),
                        get("content-encoding"),
                    ) {
                        Ok(Some(format)) => {
                            match Self::open_body(&shared, Side::Request, format, &exchange) {
                                Ok(body) => self.request = Some(body),
                                Err(e) => {
                                    let reply = shared.gateway.problem(
                                        500,
                                        "internal",
                                        "Privacy filter error",
                                        &e.to_string(),
                                        &exchange.request_id,
                                    );
                                    return self.reply(&reply);
                                }
                            }
                        }
                        Ok(None) => {}
                        Err(reply) => return self.reply(&reply),
                    }
                }
                self.exchange = Some(*exchange);
                Action::Continue
            }
        }
    }

    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        self.body(Side::Request, body_size, end_of_stream)
    }

    fn on_http_response_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        if self.replied {
            return Action::Continue;
        }
        if let Some(action) = self.upstream_known() {
            return action;
        }
        let (Some(shared), Some(exchange)) = (self.shared.clone(), self.exchange.clone()) else {
            return Action::Continue;
        };
        let header = |name: &str| {
            abi::get_header(MapType::HttpResponseHeaders, name)
                .ok()
                .flatten()
                .and_then(|v| String::from_utf8(v).ok())
        };
        let content_type = header("content-type");
        let content_encoding = header("content-encoding");
        match shared.gateway.response_headers(
            &exchange,
            content_type.as_deref(),
            content_encoding.as_deref(),
        ) {
            ResponsePlan::Pass { set } => {
                set_headers(&set);
                Action::Continue
            }
            ResponsePlan::Reply(reply) => {
                shared.metrics.count(Event::Error);
                self.reply(&reply)
            }
            ResponsePlan::Redact { format, set } => {
                let _ignored = abi::remove_header(MapType::HttpResponseHeaders, "content-length");
                set_headers(&set);
                if end_of_stream {
                    return Action::Continue;
                }
                match Self::open_body(&shared, Side::Response, format, &exchange) {
                    Ok(body) => {
                        self.response = Some(body);
                        Action::Continue
                    }
                    Err(e) => {
                        shared.metrics.count(Event::Error);
                        let reply = shared.gateway.problem(
                            500,
                            "internal",
                            "Privacy filter error",
                            &e.to_string(),
                            &exchange.request_id,
                        );
                        self.reply(&reply)
                    }
                }
            }
        }
    }

    fn on_http_response_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        self.body(Side::Response, body_size, end_of_stream)
    }

    fn on_http_response_trailers(&mut self, _num_trailers: usize) -> Action {
        // Trailers end the body without an end-of-stream body callback, so bytes the redactor
        // still holds could not be emitted: withhold rather than truncate silently.
        if let (Some(shared), Some(body)) = (self.shared.clone(), self.response.as_mut())
            && body.redactor.is_some()
            && !body.passthrough
        {
            return fail(&shared, body, 0, Failure::Trailers);
        }
        Action::Continue
    }
}

fn set_headers(set: &[(String, String)]) {
    for (name, value) in set {
        let _ignored = abi::set_header(MapType::HttpResponseHeaders, name, value.as_bytes());
    }
}
