//! Conformance vectors: one exchange, the bundle it runs under, and what the client must see.
//!
//! The same vector runs natively (through [`scrim_core::gateway`]) and through the compiled
//! filter in [`scrim_host`] under every chunking plan; all runs must give the expected answer,
//! which proves native and Envoy wasm agree.
//!
//! ```json
//! {
//!   "description": "an order: email masked, card hashed, order id untouched",
//!   "bundle": "../../policies/default.json",
//!   "options": { "failure_mode": "closed" },
//!   "env": { "SCRIM_HMAC_KEY": "vector-key" },
//!   "at": "2026-06-01",
//!   "envoy": { "route_name": "api", "cluster": "api_eu", "route_recipient": null, "upstream_region": null,
//!              "response_properties": { "upstream_region": "us-east-1" } },
//!   "request": { "method": "GET", "path": "/v1/orders/7", "headers": { ":authority": "api.example.com" } },
//!   "response": { "status": 200, "headers": { "content-type": "application/json" }, "body": { "email": "a@b.example" } },
//!   "expect": { "status": 200, "headers": { "x-scrim-policy": "default@1", "content-length": null },
//!               "body": { "email": "a***@b.example" } }
//! }
//! ```
//!
//! `bundle` is a path relative to the vector file, or the bundle itself. A body given as a JSON
//! string is sent as those bytes; any other JSON value is sent serialized. An expected body that
//! is a string is compared byte for byte; any other JSON value is compared as parsed JSON.
//! `"headers": {"name": null}` expects the header to be absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use scrim_core::gateway::{Gateway, RequestHead, RequestVerdict, ResponsePlan, UpstreamVerdict};
use scrim_core::law::Date;
use scrim_host::{
    ChunkPlan, Exchange, Host, HttpMessage, Locality, Metadata, MetadataValue, PluginOptions,
};

/// A parsed vector.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vector {
    /// What the vector shows.
    #[serde(default)]
    pub description: String,
    /// The bundle: a path relative to the vector file, or inline.
    pub bundle: Value,
    /// Plugin options.
    #[serde(default)]
    pub options: Option<Value>,
    /// Environment variables the filter sees (the HMAC key).
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// The date decisions use (`YYYY-MM-DD`).
    #[serde(default)]
    pub at: Option<String>,
    /// Envoy properties of the stream.
    #[serde(default)]
    pub envoy: EnvoyFacts,
    /// The client's request.
    pub request: Request,
    /// The upstream's response (used if the request reaches it).
    pub response: Response,
    /// What the client must see.
    pub expect: Expect,
}

/// Envoy properties a vector sets.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvoyFacts {
    /// `xds.route_name`.
    pub route_name: Option<String>,
    /// `xds.cluster_name`.
    pub cluster: Option<String>,
    /// `xds.route_metadata` `filter_metadata.scrim.recipient`.
    pub route_recipient: Option<String>,
    /// `upstream.locality` region.
    pub upstream_region: Option<String>,
    /// Properties readable only from the response headers on (Envoy knows the upstream
    /// host's locality once its router picked the host); they override the ones above then.
    #[serde(default)]
    pub response_properties: ResponseFacts,
}

/// Envoy properties a vector sets for the response phase only
/// (`"envoy": {"response_properties": {"upstream_region": "us-east-1"}}`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseFacts {
    /// `upstream.locality` region, from the response headers on.
    pub upstream_region: Option<String>,
}

/// The request of a vector.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Method (default GET).
    #[serde(default = "get")]
    pub method: String,
    /// Path with query.
    pub path: String,
    /// Headers (lower-case names; `:authority` for the host).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Body, if any.
    #[serde(default)]
    pub body: Option<Value>,
}

fn get() -> String {
    "GET".into()
}

/// The upstream response of a vector.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// Status.
    pub status: u16,
    /// Headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Body, if any.
    #[serde(default)]
    pub body: Option<Value>,
}

/// What the client must see.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Status.
    pub status: u16,
    /// Headers that must have these values (`null`: absent).
    #[serde(default)]
    pub headers: BTreeMap<String, Option<String>>,
    /// The body (string: bytes; other JSON: parsed and compared).
    #[serde(default)]
    pub body: Option<Value>,
    /// A file with the expected body bytes, relative to the vector.
    #[serde(default)]
    pub body_file: Option<String>,
    /// The body must contain each of these strings (for bodies with run-dependent parts).
    #[serde(default)]
    pub body_contains: Vec<String>,
    /// Values that must not appear in the body (planted personal data).
    #[serde(default)]
    pub body_lacks: Vec<String>,
    /// Whether the request reached the upstream.
    #[serde(default)]
    pub upstream_called: Option<bool>,
    /// The request body the upstream received (string: bytes; other JSON: parsed).
    #[serde(default)]
    pub upstream_body: Option<Value>,
}

/// What the client saw in one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// Status.
    pub status: u16,
    /// Headers (lower-case names, first value).
    pub headers: BTreeMap<String, String>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Whether the upstream got the request.
    pub upstream_called: bool,
    /// The request body as the upstream received it.
    pub upstream_body: Vec<u8>,
}

/// A loaded vector with its resolved plugin configuration.
pub struct Loaded {
    /// Where it came from.
    pub path: PathBuf,
    /// The vector.
    pub vector: Vector,
    /// `{"bundle": ..., "options": ...}` as the filter receives it.
    pub config: String,
    /// Expected body bytes, when `body_file` is used.
    pub expected_body: Option<Vec<u8>>,
}

/// Reads a vector file and resolves its bundle and body file.
pub fn load(path: &Path) -> Result<Loaded, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let vector: Vector =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let bundle_text = match &vector.bundle {
        Value::String(rel) => std::fs::read_to_string(dir.join(rel))
            .map_err(|e| format!("{}: bundle `{rel}`: {e}", path.display()))?,
        inline => inline.to_string(),
    };
    let options = vector
        .options
        .clone()
        .unwrap_or(Value::Object(Default::default()));
    let config = format!("{{\"bundle\": {bundle_text}, \"options\": {options}}}");
    let expected_body = match &vector.expect.body_file {
        Some(rel) => Some(
            std::fs::read(dir.join(rel))
                .map_err(|e| format!("{}: body_file `{rel}`: {e}", path.display()))?,
        ),
        None => None,
    };
    Ok(Loaded {
        path: path.to_path_buf(),
        vector,
        config,
        expected_body,
    })
}

fn body_bytes(body: &Option<Value>) -> Vec<u8> {
    match body {
        None => Vec::new(),
        Some(Value::String(s)) => s.clone().into_bytes(),
        Some(other) => other.to_string().into_bytes(),
    }
}

fn today(v: &Vector) -> Result<Date, String> {
    match &v.at {
        Some(at) => Date::parse(at).map_err(|e| format!("`at`: {e}: `{at}`")),
        None => Date::parse("2026-06-01").map_err(|e| e.to_string()),
    }
}

/// Runs a vector natively through the gateway.
pub fn run_native(l: &Loaded) -> Result<Seen, String> {
    let v = &l.vector;
    let env = |name: &str| v.env.get(name).cloned();
    let gateway = Gateway::from_config(&l.config, &env).map_err(|e| e.to_string())?;
    let headers: Vec<(String, String)> = v
        .request
        .headers
        .iter()
        .map(|(k, val)| (k.to_ascii_lowercase(), val.clone()))
        .collect();
    let head = RequestHead {
        method: &v.request.method,
        path: &v.request.path,
        authority: v
            .request
            .headers
            .get(":authority")
            .or(v.request.headers.get("host"))
            .map_or("", String::as_str),
        headers: &headers,
        route_name: v.envoy.route_name.as_deref(),
        cluster: v.envoy.cluster.as_deref(),
        route_recipient: v.envoy.route_recipient.as_deref(),
        upstream_region: v.envoy.upstream_region.as_deref(),
        today: today(v)?,
    };
    let reply_seen = |r: scrim_core::gateway::Reply, upstream_body: Option<Vec<u8>>| {
        let mut headers: BTreeMap<String, String> = r.headers.into_iter().collect();
        // Envoy sets the length of a local reply's body.
        headers.insert("content-length".into(), r.body.len().to_string());
        Seen {
            status: r.status,
            headers,
            body: r.body,
            upstream_called: upstream_body.is_some(),
            upstream_body: upstream_body.unwrap_or_default(),
        }
    };
    let request_body = body_bytes(&v.request.body);
    let (exchange, upstream_body) = match gateway.request(&head) {
        RequestVerdict::Reply(r) => return Ok(reply_seen(r, None)),
        RequestVerdict::Pass => (None, request_body),
        RequestVerdict::Proceed { exchange, .. }
            if exchange.redact_request && !request_body.is_empty() =>
        {
            let ct = v.request.headers.get("content-type").map(String::as_str);
            let ce = v
                .request
                .headers
                .get("content-encoding")
                .map(String::as_str);
            match gateway.body_format(&exchange, ct, ce) {
                Err(r) => return Ok(reply_seen(r, None)),
                Ok(None) => (Some(*exchange), request_body),
                Ok(Some(format)) => {
                    let redacted = redact(&gateway, &exchange, format, &request_body, true)?;
                    (Some(*exchange), redacted)
                }
            }
        }
        RequestVerdict::Proceed { exchange, .. } => (Some(*exchange), request_body),
    };
    let mut seen_headers: BTreeMap<String, String> = v
        .response
        .headers
        .iter()
        .map(|(k, val)| (k.to_ascii_lowercase(), val.clone()))
        .collect();
    let body = body_bytes(&v.response.body);
    // As an upstream sends it (and as scrim-host's HttpMessage::body sets it).
    seen_headers.insert("content-length".into(), body.len().to_string());
    let mut exchange = exchange;
    if let Some(e) = exchange.as_mut().filter(|e| e.awaits_upstream()) {
        // From the response headers on, Envoy knows the upstream host's locality.
        let region = v
            .envoy
            .response_properties
            .upstream_region
            .as_deref()
            .or(v.envoy.upstream_region.as_deref());
        match gateway.upstream_known(e, region) {
            UpstreamVerdict::Reply(r) => return Ok(reply_seen(r, Some(upstream_body))),
            UpstreamVerdict::Pass => exchange = None,
            UpstreamVerdict::Continue => {}
        }
    }
    let Some(exchange) = exchange else {
        return Ok(Seen {
            status: v.response.status,
            headers: seen_headers,
            body,
            upstream_called: true,
            upstream_body,
        });
    };
    let ct = seen_headers.get("content-type").cloned();
    let ce = seen_headers.get("content-encoding").cloned();
    match gateway.response_headers(&exchange, ct.as_deref(), ce.as_deref()) {
        ResponsePlan::Reply(r) => Ok(reply_seen(r, Some(upstream_body))),
        ResponsePlan::Pass { set } => {
            seen_headers.extend(set);
            Ok(Seen {
                status: v.response.status,
                headers: seen_headers,
                body,
                upstream_called: true,
                upstream_body,
            })
        }
        ResponsePlan::Redact { format, set } => {
            seen_headers.remove("content-length");
            seen_headers.extend(set);
            let body = redact(&gateway, &exchange, format, &body, false)?;
            Ok(Seen {
                status: v.response.status,
                headers: seen_headers,
                body,
                upstream_called: true,
                upstream_body,
            })
        }
    }
}

/// Redacts one whole body as the filter does; a refused body yields nothing (the filter
/// resets the stream). With `SCRIM_VECTOR_DEBUG` set, the refusal is printed.
fn redact(
    gateway: &Gateway,
    exchange: &scrim_core::gateway::Exchange,
    format: scrim_core::stream::Format,
    body: &[u8],
    request: bool,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let result = gateway.redactor(exchange, format).and_then(|mut r| {
        r.push(body, &mut out)?;
        r.finish(&mut out)
    });
    match result {
        Ok(summary) => {
            let completion = gateway.complete(exchange, request, &summary);
            if let Some(alert) = &completion.withheld {
                out = gateway.withheld_body(exchange, alert);
            }
            Ok(out)
        }
        Err(e) => {
            if std::env::var_os("SCRIM_VECTOR_DEBUG").is_some() {
                eprintln!("redaction refused the body: {e}");
            }
            Ok(Vec::new())
        }
    }
}

/// Runs a vector through the compiled filter in the host, under `plan`.
pub fn run_wasm(host: &Host, l: &Loaded, plan: ChunkPlan) -> Result<Seen, String> {
    let v = &l.vector;
    let mut options = PluginOptions::new(l.config.clone());
    for (k, val) in &v.env {
        options = options.env(k, val);
    }
    let at = today(v)?;
    options.clock_ns = u64::try_from(at.unix_seconds())
        .unwrap_or(0)
        .saturating_mul(1_000_000_000);
    let mut plugin = host.start(options).map_err(|e| e.to_string())?;
    let mut request = HttpMessage::request(&v.request.method, &v.request.path);
    for (k, val) in &v.request.headers {
        request.headers.set(k, val);
    }
    request = request.body(body_bytes(&v.request.body));
    let mut response = HttpMessage::response(v.response.status);
    for (k, val) in &v.response.headers {
        response.headers.set(k, val);
    }
    response = response.body(body_bytes(&v.response.body));
    let mut exchange = Exchange::new(request, response);
    if let Some(r) = &v.envoy.route_name {
        exchange = exchange.property("xds.route_name", r.as_str());
    }
    if let Some(c) = &v.envoy.cluster {
        exchange = exchange.property("xds.cluster_name", c.as_str());
    }
    if let Some(r) = &v.envoy.route_recipient {
        exchange = exchange.property(
            "xds.route_metadata",
            Metadata::new().with("scrim", "recipient", MetadataValue::String(r.clone())),
        );
    }
    if let Some(g) = &v.envoy.upstream_region {
        exchange = exchange.property("upstream.locality", Locality::region(g));
    }
    if let Some(g) = &v.envoy.response_properties.upstream_region {
        exchange = exchange.response_property("upstream.locality", Locality::region(g));
    }
    let outcome = plugin.run(&exchange, plan);
    if let Some(trap) = &outcome.trap {
        return Err(format!(
            "the filter trapped in {}: {}",
            trap.callback, trap.message
        ));
    }
    let headers = outcome
        .downstream
        .headers
        .as_ref()
        .map(|h| {
            // First value wins, as Envoy's header lookup does.
            let mut m = BTreeMap::new();
            for (k, val) in h.iter() {
                m.entry(k.to_owned()).or_insert_with(|| val.to_owned());
            }
            m
        })
        .unwrap_or_default();
    Ok(Seen {
        status: outcome.status().unwrap_or(0),
        headers,
        body: outcome.downstream.body.clone(),
        upstream_called: outcome.upstream.headers.is_some(),
        upstream_body: outcome.upstream.body.clone(),
    })
}

/// Compares what was seen with the vector's expectations; every mismatch, one per line.
pub fn compare(l: &Loaded, seen: &Seen) -> Vec<String> {
    let e = &l.vector.expect;
    let mut problems = Vec::new();
    if seen.status != e.status {
        problems.push(format!(
            "status: expected {}, got {}",
            e.status, seen.status
        ));
    }
    for (name, want) in &e.headers {
        let got = seen.headers.get(name);
        if got != want.as_ref() {
            problems.push(format!("header `{name}`: expected {want:?}, got {got:?}"));
        }
    }
    if let Some(want) = e.upstream_called
        && want != seen.upstream_called
    {
        problems.push(format!(
            "upstream called: expected {want}, got {}",
            seen.upstream_called
        ));
    }
    match &e.upstream_body {
        Some(Value::String(want)) if want.as_bytes() != seen.upstream_body.as_slice() => problems
            .push(format!(
                "upstream body: expected {want}, got {}",
                String::from_utf8_lossy(&seen.upstream_body)
            )),
        Some(Value::String(_)) | None => {}
        Some(want) => match serde_json::from_slice::<Value>(&seen.upstream_body) {
            Ok(got) if &got == want => {}
            Ok(got) => problems.push(format!("upstream body: expected {want}, got {got}")),
            Err(err) => problems.push(format!("upstream body is not JSON ({err})")),
        },
    }
    let text = String::from_utf8_lossy(&seen.body);
    if let Some(want) = &l.expected_body
        && want != &seen.body
    {
        problems.push(format!(
            "body: expected the bytes of `body_file`, got {text}"
        ));
    }
    match &e.body {
        Some(Value::String(want)) if want.as_bytes() != seen.body.as_slice() => {
            problems.push(format!("body: expected {want}, got {text}"));
        }
        Some(Value::String(_)) | None => {}
        Some(want) => match serde_json::from_slice::<Value>(&seen.body) {
            Ok(got) if &got == want => {}
            Ok(got) => problems.push(format!("body: expected {want}, got {got}")),
            Err(err) => problems.push(format!("body is not JSON ({err}): {text}")),
        },
    }
    for planted in &e.body_lacks {
        if text.contains(planted.as_str()) {
            problems.push(format!("body still contains `{planted}`: {text}"));
        }
    }
    for needle in &e.body_contains {
        if !text.contains(needle.as_str()) {
            problems.push(format!("body does not contain `{needle}`: {text}"));
        }
    }
    problems
}

/// Every `*.json` file under `paths` (files as given, directories recursively, sorted).
pub fn collect(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            entries.sort();
            for e in entries {
                if e.is_dir() {
                    out.extend(collect(&[e]));
                } else if e.extension().is_some_and(|x| x == "json") {
                    out.push(e);
                }
            }
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// Rewrites the vector file's `expect.status` and `expect.body` with what the native run saw
/// (golden-file style: run with `SCRIM_BLESS=1`, then review the diff).
pub fn bless(l: &Loaded, seen: &Seen) -> Result<(), String> {
    let text = std::fs::read_to_string(&l.path).map_err(|e| e.to_string())?;
    let mut doc: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let body = serde_json::from_slice::<Value>(&seen.body)
        .ok()
        .filter(|v| v.is_object() || v.is_array())
        .unwrap_or_else(|| Value::String(String::from_utf8_lossy(&seen.body).into_owned()));
    if let Some(expect) = doc.get_mut("expect").and_then(Value::as_object_mut) {
        expect.insert("status".into(), Value::from(seen.status));
        let keep_bodyless = seen.body.is_empty() && expect.get("body").is_none();
        if !(expect.contains_key("body_file") || keep_bodyless) {
            expect.insert("body".into(), body);
        }
        if expect.contains_key("upstream_body") {
            let up = serde_json::from_slice::<Value>(&seen.upstream_body)
                .ok()
                .filter(|v| v.is_object() || v.is_array())
                .unwrap_or_else(|| {
                    Value::String(String::from_utf8_lossy(&seen.upstream_body).into_owned())
                });
            expect.insert("upstream_body".into(), up);
        }
    }
    let out = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())? + "\n";
    std::fs::write(&l.path, out).map_err(|e| e.to_string())
}

/// Runs one loaded vector: natively, then (with a host) under every chunking plan.
/// Returns the problems found, each prefixed with the run that saw it.
pub fn check_vector(l: &Loaded, host: Option<&Host>) -> Vec<String> {
    let mut problems = Vec::new();
    let native = match run_native(l) {
        Ok(seen) if std::env::var_os("SCRIM_BLESS").is_some() => {
            if let Err(e) = bless(l, &seen) {
                problems.push(format!("bless: {e}"));
            }
            Some(seen)
        }
        Ok(seen) => {
            problems.extend(
                compare(l, &seen)
                    .into_iter()
                    .map(|p| format!("native: {p}")),
            );
            Some(seen)
        }
        Err(e) => {
            problems.push(format!("native: {e}"));
            None
        }
    };
    if let Some(host) = host {
        for plan in ChunkPlan::all(0x5c21) {
            match run_wasm(host, l, plan) {
                Ok(seen) => {
                    problems.extend(
                        compare(l, &seen)
                            .into_iter()
                            .map(|p| format!("wasm {plan:?}: {p}")),
                    );
                    if let Some(n) = &native {
                        if n.body != seen.body {
                            problems
                                .push(format!("wasm {plan:?}: body differs from the native run"));
                        }
                        if n.upstream_body != seen.upstream_body {
                            problems.push(format!(
                                "wasm {plan:?}: upstream body differs from the native run"
                            ));
                        }
                    }
                }
                Err(e) => problems.push(format!("wasm {plan:?}: {e}")),
            }
        }
    }
    problems
}
