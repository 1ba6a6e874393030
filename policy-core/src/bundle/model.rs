//! The top level of a bundle and its data categories.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::{Deserialize, Serialize};

use super::consent::{Consent, MinimizeRule};
use super::detectors::Detectors;
use super::fields::FieldRule;
use super::redaction::Redaction;
use super::retention::Retention;
use super::routes::{Profile, Route};
use super::transfers::{Recipient, TransferRule};

/// The bundle format version this crate reads: the value of the top-level `"scrim"` key.
pub const FORMAT_VERSION: u32 = 1;

/// A whole policy bundle, as written in a `policies/*.json` file.
///
/// Sections other than `scrim`, `name`, `revision` and `categories` are optional and default
/// to empty. Unknown keys are refused everywhere.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// The `"$schema"` reference editors use for completion (`./schema/bundle.v1.schema.json`);
    /// ignored by Scrim.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Format version; must be [`FORMAT_VERSION`].
    pub scrim: u32,
    /// Bundle name, `[a-z0-9][a-z0-9._-]{0,63}`, e.g. `gdpr-eu`.
    pub name: String,
    /// Free revision string (1..64 chars) reported in the `x-scrim-policy` header and logs.
    pub revision: String,
    /// What this bundle is for, shown by `scrim check` and in the generated notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The region the data lives in (a region code or a group from `regions`); used by the
    /// `deny_outside_home` profile switch and by `scrim explain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_region: Option<String>,
    /// When true every transfer rule behaves as `mode: shadow` (decided and logged, not enforced).
    #[serde(default)]
    pub dry_run: bool,
    /// Data categories; their ids are referenced by detectors, fields, redaction and transfers.
    pub categories: Vec<Category>,
    /// Which detectors run: built-ins, country packs and custom detectors.
    #[serde(default)]
    pub detectors: Detectors,
    /// Selectors over JSON paths and key names that force a category or suppress detection.
    #[serde(default)]
    pub fields: Vec<FieldRule>,
    /// How each category (or detector, or audience) is redacted.
    #[serde(default)]
    pub redaction: Redaction,
    /// Named variants a route or a config push selects, e.g. `lockdown`.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// Which traffic the policy applies to; the first matching route wins.
    #[serde(default)]
    pub routes: Vec<Route>,
    /// Named groups of region codes (ISO 3166-1 alpha-2, ISO 3166-2 or other groups).
    #[serde(default)]
    pub regions: BTreeMap<String, Vec<String>>,
    /// Third parties data is sent to, and how a request is matched to them.
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// Cross-border transfer rules, evaluated in order; the first matching rule decides.
    #[serde(default)]
    pub transfers: Vec<TransferRule>,
    /// The browser consent dialog: categories, services, jurisdictions and GPC handling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    /// Browser data minimization: which categories may leave the page to each destination.
    #[serde(default)]
    pub minimize: Vec<MinimizeRule>,
    /// Retention period per category id, used by the generated privacy notice.
    #[serde(default)]
    pub retention: BTreeMap<String, Retention>,
    /// Envoy upstream locality regions (`upstream.locality` region, e.g. `eu-west-1`) mapped to
    /// the region code or group they are in (`IE`), so an upstream known only by its locality
    /// is checked against the law of where it is.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub localities: BTreeMap<String, String>,
    /// The organisation's own declaration of its outbound volume from China since 1 January
    /// (PIPL counts per processor and year, which a stateless gateway cannot): it selects the
    /// PIPL mechanism a transfer needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipl_volume: Option<PiplVolume>,
}

/// A declared PIPL outbound volume (CAC Provisions of 22 Mar 2024), kept up to date by the
/// organisation; Scrim takes it as given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PiplVolume {
    /// Individuals whose non-sensitive personal information leaves China this year.
    #[serde(default)]
    pub non_sensitive_individuals: u64,
    /// Individuals whose sensitive personal information leaves China this year.
    #[serde(default)]
    pub sensitive_individuals: u64,
    /// The organisation is a critical information infrastructure operator.
    #[serde(default)]
    pub ciio: bool,
    /// The transfers include data a regulator has notified as important data.
    #[serde(default)]
    pub important_data: bool,
}

/// A data category such as `contact` or `government_id`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Identifier referenced elsewhere in the bundle, e.g. `contact`.
    pub id: String,
    /// Human-readable name shown in notices and reports.
    pub label: String,
    /// Sensitive categories are redacted by the `redact_sensitive` profile switch.
    #[serde(default)]
    pub sensitive: bool,
    /// Longer explanation for the generated notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Why [`Bundle::from_json`] refused a text, with the line and column serde stopped at.
///
/// For every problem at once, with JSON pointers and fix hints, use the validator instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    message: String,
    line: usize,
    column: usize,
}

impl LoadError {
    /// The 1-based line where reading stopped (0 if unknown).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The 1-based column where reading stopped (0 if unknown).
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: invalid bundle: {}",
            self.line, self.column, self.message
        )
    }
}

#[cfg(feature = "std")]
impl std::error::Error for LoadError {}

impl Bundle {
    /// Reads a bundle from JSON text without the validator's semantic checks.
    ///
    /// Use this for bundles that already passed `scrim check` (e.g. embedded in the filter's
    /// configuration). It still refuses unknown keys, wrong types, unknown enum values and a
    /// `scrim` version other than [`FORMAT_VERSION`], but not every pattern and range the
    /// JSON Schema checks, nor references between sections.
    pub fn from_json(text: &str) -> Result<Bundle, LoadError> {
        let bundle: Bundle = serde_json::from_str(text).map_err(|e| {
            // serde_json appends " at line L column C"; keep the message without it.
            let full = e.to_string();
            let message = match full.rfind(" at line ") {
                Some(pos) => full.get(..pos).unwrap_or(&full).to_string(),
                None => full,
            };
            LoadError {
                message,
                line: e.line(),
                column: e.column(),
            }
        })?;
        if bundle.scrim != FORMAT_VERSION {
            return Err(LoadError {
                message: alloc::format!(
                    "unsupported format version `{}`, this build reads `\"scrim\": {}`",
                    bundle.scrim,
                    FORMAT_VERSION
                ),
                line: 0,
                column: 0,
            });
        }
        Ok(bundle)
    }

    /// Looks up a category by id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{Action, CustomDetector, Method};

    #[test]
    fn shipped_bundles_load() {
        for text in [
            include_str!("../../../policies/gdpr-eu.json"),
            include_str!("../../../policies/ccpa-us.json"),
            include_str!("../../../policies/pipl-cn.json"),
        ] {
            let bundle = Bundle::from_json(text).unwrap();
            assert_eq!(bundle.scrim, FORMAT_VERSION);
            assert!(bundle.category("contact").is_some());
        }
    }

    #[test]
    fn tagged_sections_read_as_their_variants() {
        let bundle = Bundle::from_json(include_str!("../../../policies/pipl-cn.json")).unwrap();
        let custom = bundle.detectors.custom.first().unwrap();
        assert!(matches!(custom, CustomDetector::Regex(d) if d.pattern == "EMP-[0-9]{6}"));
        assert_eq!(
            bundle.redaction.categories.get("credentials"),
            Some(&Method::Remove)
        );
        assert_eq!(
            bundle.transfers.get(1).map(|t| t.action),
            Some(Action::Deny)
        );
    }

    #[test]
    fn unknown_keys_are_refused_with_a_location() {
        let err = Bundle::from_json(
            "{\"scrim\": 1, \"name\": \"x\", \"revision\": \"1\",\n \"categories\": [], \"redacton\": {}}",
        )
        .unwrap_err();
        assert_eq!(err.line(), 2);
        assert!(err.to_string().contains("redacton"), "{err}");
        let err = Bundle::from_json(
            "{\"scrim\": 1, \"name\": \"x\", \"revision\": \"1\", \"categories\": [], \"redaction\": {\"default\": {\"method\": \"remove\", \"template\": \"x\"}}}",
        )
        .unwrap_err();
        assert!(err.to_string().contains("template"), "{err}");
    }

    #[test]
    fn other_format_versions_are_refused() {
        let err = Bundle::from_json(
            "{\"scrim\": 2, \"name\": \"x\", \"revision\": \"1\", \"categories\": []}",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("unsupported format version `2`"),
            "{err}"
        );
    }
}
