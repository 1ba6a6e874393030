//! The policy bundle: one hand-edited JSON file that says what Scrim detects, how it redacts,
//! which traffic it applies to, which cross-border transfers it allows, and how the browser asks
//! for consent.
//!
//! [`Bundle::from_json`] is the quick path for a bundle already known to be valid. To load a
//! bundle a person wrote, use the validator, which reports every problem at once with a JSON
//! pointer, a line:column and a fix hint.
//!
//! The format is described section by section in `docs/bundle-format.md`, and the JSON Schema
//! `policies/schema/bundle.v1.schema.json` gives editors completion and help.

mod consent;
mod detectors;
mod fields;
mod model;
mod redaction;
mod retention;
mod routes;
mod transfers;

pub use consent::{
    Consent, ConsentCategory, ConsentMode, ConsentService, GpcMode, Jurisdiction, MinimizeRule,
};
pub use detectors::{
    BuiltinConfig, BuiltinSetting, CustomDetector, Detectors, DictionaryDetector, Pack,
    RegexDetector, ValidatorName,
};
pub use fields::FieldRule;
pub use model::{Bundle, Category, FORMAT_VERSION, LoadError};
pub use redaction::{MaskMethod, MaskPreset, Method, Redaction, RedactionOverride};
pub use retention::Retention;
pub use routes::{Direction, HttpMethod, Profile, Route};
pub use transfers::{Action, Basis, Mode, Recipient, RecipientMatch, TransferRule, When};

/// Largest compiled size (bytes) of a custom regex detector, for both its NFA and any lazy DFA
/// cache. The validator and the detector engine use this same limit, so a bundle that passes
/// `scrim check` compiles at run time on every target.
pub const REGEX_SIZE_LIMIT: usize = 256 * 1024;

/// Longest custom regex pattern, in bytes.
pub const REGEX_PATTERN_MAX_LEN: usize = 1024;
