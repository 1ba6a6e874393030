//! Retention periods per category, for the generated privacy notice.

use alloc::string::String;

use serde::{Deserialize, Serialize};

/// How long data of one category is kept.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// ISO 8601 duration, e.g. `P2Y`, `P90D`, `P1Y6M`.
    pub period: String,
    /// Why it is kept (e.g. `contract`, `legal_obligation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// Free text for the notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
