//! What the engine reports when it refuses a body. The filter then fails closed.

use core::fmt;

/// Where in the input something went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in bytes.
    pub column: u64,
    /// 0-based byte offset.
    pub offset: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Why a body was refused. Every variant is an outcome for untrusted input; none is a bug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedactError {
    /// The body is not well-formed in its declared format.
    Malformed {
        /// Where.
        at: Location,
        /// What was expected.
        message: &'static str,
    },
    /// The body ended inside a value.
    Truncated {
        /// Where the unfinished value started.
        at: Location,
    },
    /// A string value is not valid UTF-8 (JSON requires UTF-8).
    InvalidUtf8 {
        /// Where the string starts.
        at: Location,
    },
    /// Containers are nested deeper than `Limits::max_depth`.
    TooDeep {
        /// Where the limit was crossed.
        at: Location,
        /// The limit.
        limit: usize,
    },
    /// One token (string, number, key prefix, text segment, form pair) is longer than
    /// `Limits::max_token_bytes`.
    TokenTooLarge {
        /// Where the token starts.
        offset: u64,
        /// The limit.
        limit: usize,
    },
    /// More findings than `Limits::max_findings`.
    TooManyFindings {
        /// The limit.
        limit: usize,
    },
    /// The body is longer than `Limits::max_body_bytes`.
    BodyTooLarge {
        /// The limit.
        limit: u64,
    },
    /// A `hash` method is in effect but no HMAC key was supplied.
    MissingHashKey,
    /// The run asked for an audience the policy does not define.
    UnknownAudience(alloc::string::String),
    /// The run asked for a profile the policy does not define.
    UnknownProfile(alloc::string::String),
}

impl fmt::Display for RedactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed { at, message } => write!(
                f,
                "malformed body at {at}: {message} (check the content type matches the body)"
            ),
            Self::Truncated { at } => write!(
                f,
                "body ends inside a value that starts at {at} (the body was cut off)"
            ),
            Self::InvalidUtf8 { at } => {
                write!(
                    f,
                    "string at {at} is not valid utf-8 (json bodies must be utf-8)"
                )
            }
            Self::TooDeep { at, limit } => write!(
                f,
                "nesting deeper than {limit} levels at {at} (raise `max_depth` if this is legitimate)"
            ),
            Self::TokenTooLarge { offset, limit } => write!(
                f,
                "token at byte {offset} is longer than {limit} bytes (raise `max_token_bytes` if this is legitimate)"
            ),
            Self::TooManyFindings { limit } => write!(
                f,
                "more than {limit} findings in one body (raise `max_findings` if this is legitimate)"
            ),
            Self::BodyTooLarge { limit } => write!(
                f,
                "body is longer than {limit} bytes (raise `max_body_bytes` if this is legitimate)"
            ),
            Self::UnknownAudience(a) => write!(
                f,
                "unknown audience `{a}` (define it under `redaction.audiences` in the bundle)"
            ),
            Self::UnknownProfile(p) => {
                write!(
                    f,
                    "unknown profile `{p}` (define it under `profiles` in the bundle)"
                )
            }
            Self::MissingHashKey => write!(
                f,
                "the policy uses the `hash` method but no hmac key was supplied (pass `RunOptions::hmac_key`, e.g. `scrim redact --hmac-key-env VAR`)"
            ),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for RedactError {}
