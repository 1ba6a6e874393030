//! Field selectors: JSON paths and key names that force a category or suppress detection.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

/// One `fields` entry. It has at least one of `paths` / `keys`, and exactly one of
/// `category` / `"ignore": true`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    /// Rule id, shown in explanations.
    pub id: String,
    /// JSON paths: `$.users[*].email` (from the root), `**.phone` (at any depth).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Key names matched after normalization (`customerEmail` has the tokens `customer`, `email`).
    #[serde(default)]
    pub keys: Vec<String>,
    /// Treat every value selected as this category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// When true, values selected are never reported or redacted.
    #[serde(default)]
    pub ignore: bool,
}
