//! Deployment options of the gateway: the `options` half of the filter's plugin configuration.
//!
//! ```json
//! { "bundle": { "scrim": 1, "...": "the policy bundle, inline" },
//!   "options": { "failure_mode": "closed", "region_header": "x-geo-country" } }
//! ```
//!
//! Every option has a default, so `{"bundle": {...}}` alone is a complete configuration.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use serde::Deserialize;

/// What the filter does after an internal error (a body it cannot parse, a limit exceeded).
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FailureMode {
    /// Withhold: never let unredacted content out (a local error reply while headers are
    /// unsent, a stream reset after). The default.
    #[default]
    Closed,
    /// Pass the rest of the body through unredacted, logged at warn on every use. Only for
    /// explicit, temporary use.
    Open,
}

/// Per-route overrides, keyed by Envoy's `xds.route_name`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RouteOptions {
    /// Overrides `max_body_bytes` on this route.
    pub max_body_bytes: Option<usize>,
    /// The audience this route always serves (for example `support`), instead of the header.
    pub audience: Option<String>,
    /// Turns the filter off on this route (health checks, binary downloads).
    #[serde(default)]
    pub disabled: bool,
}

/// Deployment options of the filter.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Name of the `vm_config` environment variable that holds the HMAC key for the `hash`
    /// method. The key never appears in the bundle.
    pub hmac_key_env: String,
    /// Largest body (request or response) the filter redacts; larger bodies get the failure
    /// mode.
    pub max_body_bytes: usize,
    /// Content types the filter reads (media type without parameters); others pass untouched.
    pub content_types: Vec<String>,
    /// What happens after an internal error.
    pub failure_mode: FailureMode,
    /// Request header naming the audience (`support`, `analyst`) whose overrides apply. Set it
    /// from a verified source only (jwt_authn `claim_to_headers`), and strip client copies.
    pub audience_header: String,
    /// Request header that carries the client's country (written by Envoy's geoip filter or a
    /// CDN such as `cf-ipcountry`; strip client copies before this filter).
    pub region_header: String,
    /// Request header carrying the data subject's residency from a verified token.
    pub claim_header: String,
    /// Remove `accept-encoding` from requests on redacted routes, so upstreams answer with
    /// identity bodies the filter can read.
    pub strip_accept_encoding: bool,
    /// A bundle profile forced on every route, e.g. `lockdown` during a breach, pushed as a
    /// configuration change.
    pub profile: Option<String>,
    /// Per-route overrides keyed by `xds.route_name`.
    pub routes: BTreeMap<String, RouteOptions>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            hmac_key_env: "SCRIM_HMAC_KEY".into(),
            max_body_bytes: 4 * 1024 * 1024,
            content_types: vec![
                "application/json".into(),
                "application/x-ndjson".into(),
                "application/problem+json".into(),
                "text/plain".into(),
                "application/x-www-form-urlencoded".into(),
            ],
            failure_mode: FailureMode::Closed,
            audience_header: "x-scrim-audience".into(),
            region_header: "x-geo-country".into(),
            claim_header: "x-scrim-residency".into(),
            strip_accept_encoding: true,
            profile: None,
            routes: BTreeMap::new(),
        }
    }
}

crate::json::decode::decode_enum!(FailureMode {
    "closed" => Closed,
    "open" => Open,
});

crate::json::decode::decode_struct!(RouteOptions {
    "max_body_bytes" => max_body_bytes: def,
    "audience" => audience: def,
    "disabled" => disabled: def,
});

impl crate::json::decode::Decode for Options {
    /// Every key is optional; an absent key keeps [`Options::default`]'s value.
    fn decode(v: &crate::json::Value) -> Result<Options, crate::json::DeError> {
        let o = crate::json::decode::Obj::new(
            v,
            &[
                "hmac_key_env",
                "max_body_bytes",
                "content_types",
                "failure_mode",
                "audience_header",
                "region_header",
                "claim_header",
                "strip_accept_encoding",
                "profile",
                "routes",
            ],
        )?;
        let d = Options::default();
        Ok(Options {
            hmac_key_env: o.opt("hmac_key_env")?.unwrap_or(d.hmac_key_env),
            max_body_bytes: o.opt("max_body_bytes")?.unwrap_or(d.max_body_bytes),
            content_types: o.opt("content_types")?.unwrap_or(d.content_types),
            failure_mode: o.opt("failure_mode")?.unwrap_or(d.failure_mode),
            audience_header: o.opt("audience_header")?.unwrap_or(d.audience_header),
            region_header: o.opt("region_header")?.unwrap_or(d.region_header),
            claim_header: o.opt("claim_header")?.unwrap_or(d.claim_header),
            strip_accept_encoding: o
                .opt("strip_accept_encoding")?
                .unwrap_or(d.strip_accept_encoding),
            profile: o.opt("profile")?.unwrap_or(d.profile),
            routes: o.opt("routes")?.unwrap_or(d.routes),
        })
    }
}

impl Options {
    /// Whether `content_type` (a full header value, parameters allowed) is one the filter reads.
    pub fn handles(&self, content_type: &str) -> bool {
        let media = media_type(content_type);
        self.content_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(media))
            || (media.ends_with("+json")
                && self.content_types.iter().any(|t| t == "application/json"))
    }
}

/// The media type of a `content-type` value, without parameters (`application/json`).
pub fn media_type(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn defaults_fail_closed_and_read_json() {
        let o = Options::default();
        assert_eq!(o.failure_mode, FailureMode::Closed);
        assert!(o.handles("application/json; charset=utf-8"));
        assert!(o.handles("application/vnd.api+json"));
        assert!(!o.handles("image/png"));
    }

    #[test]
    fn unknown_option_is_refused() {
        let e = serde_json::from_str::<Options>(r#"{"failure_mod": "open"}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field `failure_mod`"), "{e}");
    }

    #[test]
    fn hand_decoder_reads_options_as_serde_does() {
        use crate::json::decode::Decode;
        let text = r#"{"max_body_bytes": 1024, "failure_mode": "open", "profile": null,
            "content_types": ["text/plain"], "strip_accept_encoding": false,
            "routes": {"health": {"disabled": true}, "support": {"audience": "support",
            "max_body_bytes": 10}}}"#;
        let tree = crate::json::parse(text).unwrap();
        let ours = Options::decode(&tree).unwrap();
        assert_eq!(ours, serde_json::from_str::<Options>(text).unwrap());
        assert_eq!(ours.failure_mode, FailureMode::Open);
        assert_eq!(ours.hmac_key_env, Options::default().hmac_key_env);

        let tree = crate::json::parse(r#"{"routes": {"a": {"disabled": 1}}}"#).unwrap();
        let e = Options::decode(&tree).unwrap_err();
        assert_eq!(e.pointer(), "/routes/a/disabled");
        assert_eq!(e.line_column(), Some((1, 31)));
    }
}
