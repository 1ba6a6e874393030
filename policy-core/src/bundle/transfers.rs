//! Recipients and cross-border transfer rules. Region groups are a plain map on the bundle.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

/// A third party data is sent to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    /// Recipient id, referenced by routes, transfers and consent services.
    pub id: String,
    /// Legal name, shown in the generated notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the recipient processes data: a region code or group.
    pub region: String,
    /// Safeguards the recipient has: `dpf_certified`, `scc`, `bcr`, `pipl_standard_contract`,
    /// `pipl_certification`, `pipl_security_assessment`, ...
    #[serde(default)]
    pub attributes: Vec<String>,
    /// Purposes data is used for: `sale`, `share`, `ads`, `analytics`, `support`, `processing`, ...
    #[serde(default)]
    pub purposes: Vec<String>,
    /// How the gateway recognizes traffic to this recipient.
    #[serde(default, rename = "match")]
    pub matcher: RecipientMatch,
}

/// How traffic is attributed to a recipient; any one criterion suffices.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientMatch {
    /// Envoy upstream cluster names.
    #[serde(default)]
    pub clusters: Vec<String>,
    /// Value of the route metadata key `scrim.recipient`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_metadata: Option<String>,
    /// Upstream host names (`:authority`).
    #[serde(default)]
    pub hosts: Vec<String>,
}

/// One cross-border transfer rule. Rules are evaluated in order; the first match decides.
/// An empty list in `from`, `to`, `recipients` or `categories` matches anything.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TransferRule {
    /// Rule id, reported with every decision.
    pub id: String,
    /// What the rule is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Origin regions (where the data subject or the data is).
    #[serde(default)]
    pub from: Vec<String>,
    /// Destination regions (where the recipient is).
    #[serde(default)]
    pub to: Vec<String>,
    /// Recipient ids.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Category ids present in the payload.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Extra conditions, all of which must hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<When>,
    /// What happens when the rule matches.
    pub action: Action,
    /// HTTP status for `deny`: 403 (default: a policy or consent denial) or 451 (opt-in: a
    /// denial for legal reasons, RFC 7725).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Category ids to redact, for `action: redact`.
    #[serde(default)]
    pub redact: Vec<String>,
    /// The legal basis relied on, recorded with each decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
    /// `enforce` (default) or `shadow` (decide and log only).
    #[serde(default)]
    pub mode: Mode,
}

/// Extra conditions on a transfer rule; every condition given must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// Matches when the request's Global Privacy Control signal equals this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpc: Option<bool>,
    /// Matches when consent for this consent category id is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_missing: Option<String>,
    /// Matches only for these audiences (names from `redaction.audiences`).
    #[serde(default)]
    pub audiences: Vec<String>,
    /// Matches only when the data subject is in one of these regions.
    #[serde(default)]
    pub subject: Vec<String>,
}

/// What a matching transfer rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Let the transfer through (redaction still applies).
    Allow,
    /// Let it through after redacting the categories in `redact`.
    Redact,
    /// Refuse it with `status`.
    Deny,
}

/// Whether a transfer rule is enforced or only observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The decision is applied.
    #[default]
    Enforce,
    /// The decision is computed, logged and counted, but not applied.
    Shadow,
}

/// The legal basis a transfer rule relies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// An adequacy decision for the destination.
    Adequacy,
    /// EU-US Data Privacy Framework certification.
    Dpf,
    /// Standard contractual clauses.
    Scc,
    /// Binding corporate rules.
    Bcr,
    /// The data subject's consent.
    Consent,
    /// Necessary for a contract with the data subject.
    Contract,
    /// An exemption (e.g. PIPL volume thresholds, GDPR Art. 49 derogation).
    Exempt,
    /// PIPL standard contract filed with the CAC.
    PiplStandardContract,
    /// PIPL personal information protection certification.
    PiplCertification,
    /// CAC security assessment under PIPL.
    PiplSecurityAssessment,
}
