//! The browser side: consent dialog configuration and data minimization rules.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

/// The `consent` section: what the browser SDK asks for and where.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// Bump to ask every visitor again.
    pub revision: u32,
    /// Consent categories the visitor chooses among.
    pub categories: Vec<ConsentCategory>,
    /// Third-party services (tags) gated by a consent category.
    #[serde(default)]
    pub services: Vec<ConsentService>,
    /// Which consent mode applies in which regions; the first match wins.
    #[serde(default)]
    pub jurisdictions: Vec<Jurisdiction>,
    /// How a Global Privacy Control signal is honored (default `opt-out-sale-share`).
    #[serde(default)]
    pub gpc: GpcMode,
}

/// A consent category, e.g. `analytics`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentCategory {
    /// Id referenced by services, minimize rules and `when.consent_missing`.
    pub id: String,
    /// Label shown in the dialog.
    pub label: String,
    /// Always granted and not switchable (strictly necessary).
    #[serde(default)]
    pub required: bool,
    /// Longer text shown in the dialog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A third-party service loaded only with consent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentService {
    /// Service id, e.g. `ga4`.
    pub id: String,
    /// The consent category that gates it.
    pub category: String,
    /// Label shown in the dialog.
    pub label: String,
    /// Cookie names it sets (`*` as a suffix wildcard), cleared when consent is withdrawn.
    #[serde(default)]
    pub cookies: Vec<String>,
    /// The recipient the service sends data to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
}

/// The consent mode for a set of regions.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Jurisdiction {
    /// Region codes or groups; `*` matches everywhere.
    pub regions: Vec<String>,
    /// The mode there.
    pub mode: ConsentMode,
}

/// How consent is collected in a jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConsentMode {
    /// Nothing optional runs until the visitor agrees (GDPR, PIPL).
    OptIn,
    /// Everything runs until the visitor objects (CCPA/CPRA).
    OptOut,
    /// A notice only.
    Notice,
}

/// How a Global Privacy Control signal (`Sec-GPC: 1`) is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GpcMode {
    /// Treat GPC as an opt-out of sale and sharing (CCPA/CPRA).
    #[default]
    OptOutSaleShare,
    /// Treat GPC as a refusal of every optional consent category.
    OptOutAll,
    /// Ignore GPC.
    Ignore,
}

/// Browser data minimization: which categories may be sent to a destination.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MinimizeRule {
    /// Rule id.
    pub id: String,
    /// URL patterns with `*` wildcards.
    pub destinations: Vec<String>,
    /// Category ids allowed to leave; findings of other categories are removed.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Consent category required before anything is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
}
