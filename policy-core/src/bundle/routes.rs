//! Routes (which traffic the policy applies to) and profiles (named variants a route selects).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::redaction::RedactionOverride;

/// A named variant of the policy, selected by a route or pushed by configuration
/// (e.g. `lockdown` during a breach).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// What the profile is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Redact every category marked `sensitive`, even where the method would be `keep`.
    #[serde(default)]
    pub redact_sensitive: bool,
    /// Deny every transfer whose destination is outside `home_region`.
    #[serde(default)]
    pub deny_outside_home: bool,
    /// Redaction overrides while this profile is active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redaction: Option<RedactionOverride>,
}

/// Which requests or responses the policy applies to. Routes are tried in order and the first
/// match wins; traffic matching no route passes untouched.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Route id, shown in explanations and metrics.
    pub id: String,
    /// Host patterns: `api.example.com`, `*.example.com`, `*`. Empty means any host.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Path patterns: `/v1/*`, `/collect`. Empty means any path.
    #[serde(default)]
    pub paths: Vec<String>,
    /// HTTP methods. Empty means any method.
    #[serde(default)]
    pub methods: Vec<HttpMethod>,
    /// Which body is inspected (default `response`).
    #[serde(default)]
    pub direction: Direction,
    /// Profile applied on this route.
    #[serde(default)]
    pub profile: Option<String>,
    /// The recipient traffic on this route goes to (for transfer decisions).
    #[serde(default)]
    pub recipient: Option<String>,
    /// Category id → the most findings of that category one body may carry before the
    /// response is withheld (bulk exfiltration guard).
    #[serde(default)]
    pub bulk_limit: BTreeMap<String, u32>,
}

/// Which body of an exchange a route inspects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Response bodies (data leaving the API to a client).
    #[default]
    Response,
    /// Request bodies (data sent to a third party).
    Request,
    /// Both.
    Both,
}

/// An HTTP method a route matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `HEAD`
    Head,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
}
