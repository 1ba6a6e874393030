//! Which detectors run: built-in detectors, country packs and custom detectors.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

/// The `detectors` section of a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Detectors {
    /// Built-in detector id → on/off or `{ "enabled", "category" }`. Ids not listed keep their
    /// default state (see the built-in table in this module's validator).
    #[serde(default)]
    pub builtin: BTreeMap<String, BuiltinSetting>,
    /// Country packs to switch on; each enables its national id detectors.
    #[serde(default)]
    pub packs: Vec<Pack>,
    /// Custom detectors defined by this bundle.
    #[serde(default)]
    pub custom: Vec<CustomDetector>,
}

/// How a bundle sets one built-in detector: `true`, `false`, or an object.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum BuiltinSetting {
    /// `true` switches the detector on, `false` off; it keeps its default category.
    Enabled(bool),
    /// On/off plus a different category for its findings.
    Configured(BuiltinConfig),
}

impl BuiltinSetting {
    /// Whether this setting switches the detector on.
    pub fn enabled(&self) -> bool {
        match self {
            BuiltinSetting::Enabled(on) => *on,
            BuiltinSetting::Configured(c) => c.enabled,
        }
    }

    /// The category this setting assigns, if it overrides the default.
    pub fn category(&self) -> Option<&str> {
        match self {
            BuiltinSetting::Enabled(_) => None,
            BuiltinSetting::Configured(c) => c.category.as_deref(),
        }
    }
}

/// The object form of a built-in detector setting.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BuiltinConfig {
    /// Whether the detector runs (default `true`).
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Category id for this detector's findings, replacing its default category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

fn default_true() -> bool {
    true
}

/// A country pack of national identifier detectors (off unless listed in `packs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pack {
    /// India: `in_aadhaar`.
    In,
    /// Singapore: `sg_nric`.
    Sg,
    /// South Korea: `kr_rrn`.
    Kr,
    /// Japan: `jp_my_number`.
    Jp,
    /// Brazil: `br_cpf`.
    Br,
    /// Spain: `es_dni`.
    Es,
    /// Italy: `it_codice_fiscale`.
    It,
    /// France: `fr_nir`.
    Fr,
    /// Germany: `de_steuer_id`.
    De,
    /// United Kingdom: `gb_nino`, `gb_nhs`.
    Gb,
    /// Poland: `pl_pesel`.
    Pl,
    /// Hong Kong: `hk_id`.
    Hk,
    /// Taiwan: `tw_id`.
    Tw,
}

impl Pack {
    /// Every pack, in the order the format lists them.
    pub const ALL: [Pack; 13] = [
        Pack::In,
        Pack::Sg,
        Pack::Kr,
        Pack::Jp,
        Pack::Br,
        Pack::Es,
        Pack::It,
        Pack::Fr,
        Pack::De,
        Pack::Gb,
        Pack::Pl,
        Pack::Hk,
        Pack::Tw,
    ];

    /// The pack's code as written in a bundle, e.g. `"gb"`.
    pub fn code(self) -> &'static str {
        match self {
            Pack::In => "in",
            Pack::Sg => "sg",
            Pack::Kr => "kr",
            Pack::Jp => "jp",
            Pack::Br => "br",
            Pack::Es => "es",
            Pack::It => "it",
            Pack::Fr => "fr",
            Pack::De => "de",
            Pack::Gb => "gb",
            Pack::Pl => "pl",
            Pack::Hk => "hk",
            Pack::Tw => "tw",
        }
    }

    /// The built-in detector ids this pack switches on.
    pub fn detectors(self) -> &'static [&'static str] {
        match self {
            Pack::In => &["in_aadhaar"],
            Pack::Sg => &["sg_nric"],
            Pack::Kr => &["kr_rrn"],
            Pack::Jp => &["jp_my_number"],
            Pack::Br => &["br_cpf"],
            Pack::Es => &["es_dni"],
            Pack::It => &["it_codice_fiscale"],
            Pack::Fr => &["fr_nir"],
            Pack::De => &["de_steuer_id"],
            Pack::Gb => &["gb_nino", "gb_nhs"],
            Pack::Pl => &["pl_pesel"],
            Pack::Hk => &["hk_id"],
            Pack::Tw => &["tw_id"],
        }
    }
}

/// A detector defined by the bundle, selected by its `"type"`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CustomDetector {
    /// `"type": "regex"`: a regular expression (see [`crate::bundle::REGEX_SIZE_LIMIT`]).
    Regex(RegexDetector),
    /// `"type": "dictionary"`: a word list matched on whole words.
    Dictionary(DictionaryDetector),
}

impl CustomDetector {
    /// The detector's id, unique among built-in and custom detectors.
    pub fn id(&self) -> &str {
        match self {
            CustomDetector::Regex(d) => &d.id,
            CustomDetector::Dictionary(d) => &d.id,
        }
    }

    /// The category id of this detector's findings.
    pub fn category(&self) -> &str {
        match self {
            CustomDetector::Regex(d) => &d.category,
            CustomDetector::Dictionary(d) => &d.category,
        }
    }

    /// Context words that must (or may) appear near a finding.
    pub fn context(&self) -> &[String] {
        match self {
            CustomDetector::Regex(d) => &d.context,
            CustomDetector::Dictionary(d) => &d.context,
        }
    }

    /// Whether a finding counts only with a context word or key hint nearby.
    pub fn context_required(&self) -> bool {
        match self {
            CustomDetector::Regex(d) => d.context_required,
            CustomDetector::Dictionary(d) => d.context_required,
        }
    }

    /// The checksum a match must pass, if any.
    pub fn validator(&self) -> Option<ValidatorName> {
        match self {
            CustomDetector::Regex(d) => d.validator,
            CustomDetector::Dictionary(d) => d.validator,
        }
    }
}

/// A custom detector that matches a regular expression.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegexDetector {
    /// Detector id, e.g. `employee_id`.
    pub id: String,
    /// The pattern, in the `regex-automata` dialect (Unicode-aware).
    pub pattern: String,
    /// Category id of its findings.
    pub category: String,
    /// Words that, near a match or in its key, make the match count.
    #[serde(default)]
    pub context: Vec<String>,
    /// When true a match without a context word or key hint is ignored.
    #[serde(default)]
    pub context_required: bool,
    /// A checksum a match must also pass.
    #[serde(default)]
    pub validator: Option<ValidatorName>,
}

/// A custom detector that matches whole words from a list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DictionaryDetector {
    /// Detector id, e.g. `project_codename`.
    pub id: String,
    /// The words to find (whole words only).
    pub words: Vec<String>,
    /// Category id of its findings.
    pub category: String,
    /// Match case exactly (default: case-insensitive).
    #[serde(default)]
    pub case_sensitive: bool,
    /// Words that, near a match or in its key, make the match count.
    #[serde(default)]
    pub context: Vec<String>,
    /// When true a match without a context word or key hint is ignored.
    #[serde(default)]
    pub context_required: bool,
    /// A checksum a match must also pass.
    #[serde(default)]
    pub validator: Option<ValidatorName>,
}

/// A checksum a custom detector's match must pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum ValidatorName {
    /// Luhn mod 10 over the digits (payment cards, IMEI).
    #[serde(rename = "luhn")]
    Luhn,
    /// ISO 7064 mod 97-10 (IBAN).
    #[serde(rename = "mod97")]
    Mod97,
    /// ISO 7064 MOD 11-2 (China resident id).
    #[serde(rename = "mod11_2")]
    Mod11_2,
}
