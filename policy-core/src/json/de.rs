//! The error of reading a parsed [`Value`] tree into a typed model: what did not fit, the JSON
//! pointer of the value and its line:column.
//!
//! The configuration, the bundle and the law data are parsed once by [`super::parse`] (which
//! keeps spans and refuses duplicate keys) and decoded from that tree by hand
//! (`json::decode`, `bundle::decode`), not through serde's generated deserializers: that keeps
//! serde's visitor code out of the Envoy filter and lets errors point at the exact value.

use alloc::string::String;
use core::fmt;

use super::pointer::push_token;
use super::value::Span;
#[cfg(doc)]
use super::value::Value;

/// Why a [`Value`] did not fit the type asked for: serde's message (e.g. ``unknown field
/// `failure_mod`, expected one of ...``), the JSON pointer of the value (relative to the tree
/// that was decoded) and where it sits in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeError {
    message: String,
    pointer: String,
    span: Option<Span>,
}

impl DeError {
    /// What did not fit, as serde words it (lowercase, field names in backticks).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// JSON pointer of the innermost value that did not fit, e.g. `/routes/api/audience`
    /// (empty for the root).
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// 1-based line and column of that value in the source, when known.
    pub fn line_column(&self) -> Option<(u32, u32)> {
        self.span.map(|s| (s.line, s.column))
    }

    /// An error with `message` about the value at `span` (pointer filled in by the callers).
    pub(crate) fn new(message: String, span: Span) -> DeError {
        DeError {
            message,
            pointer: String::new(),
            span: Some(span),
        }
    }

    /// Prefixes the pointer with the step from the parent (`key` or array index).
    pub(crate) fn under(mut self, step: &str) -> DeError {
        let mut pointer = String::with_capacity(step.len() + 1 + self.pointer.len());
        push_token(&mut pointer, step);
        pointer.push_str(&self.pointer);
        self.pointer = pointer;
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(span) = self.span {
            write!(f, "{}:{}: ", span.line, span.column)?;
        }
        if !self.pointer.is_empty() {
            write!(f, "at `{}`: ", self.pointer)?;
        }
        f.write_str(&self.message)
    }
}

impl core::error::Error for DeError {}
