//! The policy bundle: one hand-edited JSON file that says what Scrim detects, how it redacts,
//! which traffic it applies to, which cross-border transfers it allows, and how the browser asks
//! for consent.
//!
//! [`check`] is the validator: it reports every problem at once with a JSON pointer, a
//! line:column and a fix hint, and gives the canonical SHA-256 of the bundle.
//! [`Bundle::from_json`] is the quick path for a bundle already known to be valid. To load a
//! bundle a person wrote, use [`check`].
//!
//! The format is described section by section in `docs/bundle-format.md`, and the JSON Schema
//! `policies/schema/bundle.v1.schema.json` gives editors completion and help.

mod catalog;
mod check;
mod consent;
mod detectors;
mod diagnostic;
mod fields;
mod model;
mod redaction;
mod regions;
mod retention;
mod routes;
mod schema;
mod semantic;
mod suggest;
mod transfers;

pub use catalog::{BUILTIN_DETECTORS, BuiltinDetector, builtin_detector};
pub use check::{canonical_bundle, check};
pub use consent::{
    Consent, ConsentCategory, ConsentMode, ConsentService, GpcMode, Jurisdiction, MinimizeRule,
};
pub use detectors::{
    BuiltinConfig, BuiltinSetting, CustomDetector, Detectors, DictionaryDetector, Pack,
    RegexDetector, ValidatorName,
};
pub use diagnostic::{Diagnostic, Report, Severity};
pub use fields::FieldRule;
pub use model::{Bundle, Category, FORMAT_VERSION, LoadError, PiplVolume};
pub use redaction::{MaskMethod, MaskPreset, Method, Redaction, RedactionOverride};
pub use regions::{ISO_3166_1_ALPHA_2, is_country, is_subdivision};
pub use retention::Retention;
pub use routes::{Direction, HttpMethod, Profile, Route};
pub use schema::BUNDLE_SCHEMA;
pub use transfers::{Action, Basis, Mode, Recipient, RecipientMatch, TransferRule, When};

/// Largest compiled size (bytes) and longest pattern (bytes) of a custom regex detector. They
/// are the detector engine's limits ([`crate::detect::compile_regex`] is the one compile
/// function the validator and the engine share), so a bundle that passes `scrim check`
/// compiles at run time on every target.
pub use crate::detect::{REGEX_PATTERN_MAX_LEN, REGEX_SIZE_LIMIT};
