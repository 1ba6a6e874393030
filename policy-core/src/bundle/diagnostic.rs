//! What the validator reports: [`Diagnostic`]s collected in a [`Report`].

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::model::Bundle;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The bundle is refused.
    Error,
    /// The bundle is accepted, but probably does not do what its author meant.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found in a bundle, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// RFC 6901 JSON pointer to the value (or key) concerned; `""` is the whole bundle.
    pub pointer: String,
    /// 1-based line in the source (0 when the source is not JSON at all).
    pub line: u32,
    /// 1-based column in characters.
    pub column: u32,
    /// What is wrong, lowercase, user input in backticks.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl Diagnostic {
    /// Renders the diagnostic with a file name in front:
    /// `policies/x.json:12:5: error: /redacton: unknown field, did you mean "redaction"?`.
    pub fn with_path<'a>(&'a self, path: &'a str) -> impl fmt::Display + 'a {
        WithPath { diag: self, path }
    }

    fn pointer_text(&self) -> &str {
        if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        }
    }
}

struct WithPath<'a> {
    diag: &'a Diagnostic,
    path: &'a str,
}

impl fmt::Display for WithPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path, self.diag)
    }
}

/// `12:5: error: /redacton: unknown field, did you mean "redaction"?` (without the help line).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}: {}",
            self.line,
            self.column,
            self.severity.as_str(),
            self.pointer_text(),
            self.message
        )
    }
}

/// Everything [`crate::bundle::check`] found in one bundle.
#[derive(Debug, Clone)]
pub struct Report {
    /// The bundle, when it has no errors (warnings allowed).
    pub bundle: Option<Bundle>,
    /// Every error and warning, errors first, each group in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Lowercase hex SHA-256 of the bundle's canonical form (see [`crate::json::canonical`];
    /// the top-level `"$schema"` is left out), or empty when the text is not JSON.
    pub canonical_sha256: String,
}

impl Report {
    /// Whether the bundle was refused.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }
}
