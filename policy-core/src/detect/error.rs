//! The error type of detector configuration.

use alloc::string::String;
use core::fmt;

/// Why a detector configuration was rejected.
///
/// The message is lowercase, names the offending input in backticks, and says how to fix it
/// (a "did you mean" for unknown ids, a caret under the bad part of a regex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectError {
    kind: ErrorKind,
    message: String,
}

/// The broad reason, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A built-in detector id, pack code or validator name that does not exist.
    UnknownName,
    /// A custom detector id that is empty, malformed or already used.
    BadId,
    /// A custom regex that does not compile or exceeds a limit.
    BadRegex,
    /// A custom dictionary that is empty or exceeds a limit.
    BadDictionary,
    /// Too many detectors or context words.
    Limit,
}

impl DetectError {
    pub(crate) fn new(kind: ErrorKind, message: String) -> Self {
        DetectError { kind, message }
    }

    /// The broad reason for the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The full message (the same text `Display` prints).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DetectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl core::error::Error for DetectError {}

/// Edit distance between two short ASCII-ish names (for "did you mean").
fn distance(a: &str, b: &str) -> usize {
    let b: &[u8] = b.as_bytes();
    let mut row: [usize; 64] = [0; 64];
    let n = b.len().min(63);
    for (j, cell) in row.iter_mut().enumerate().take(n + 1) {
        *cell = j;
    }
    for (i, ca) in a.bytes().enumerate() {
        let mut prev_diag = i;
        if let Some(first) = row.get_mut(0) {
            *first = i + 1;
        }
        for j in 1..=n {
            let cb = b.get(j - 1).copied().unwrap_or(0);
            let up = row.get(j).copied().unwrap_or(usize::MAX);
            let left = row.get(j - 1).copied().unwrap_or(usize::MAX);
            let cost = usize::from(ca != cb);
            let value = (prev_diag + cost).min(up + 1).min(left + 1);
            prev_diag = up;
            if let Some(cell) = row.get_mut(j) {
                *cell = value;
            }
        }
    }
    row.get(n).copied().unwrap_or(usize::MAX)
}

/// The closest of `candidates` to `input`, if it is close enough to suggest.
pub(crate) fn did_you_mean<'a>(
    input: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (input.len() / 3).max(2);
    candidates
        .map(|c| (distance(input, c), c))
        .filter(|(d, c)| *d <= limit || c.contains(input) && input.len() >= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let names = ["email", "cn_mobile", "payment_card"];
        assert_eq!(did_you_mean("emial", names.iter().copied()), Some("email"));
        assert_eq!(
            did_you_mean("mobile", names.iter().copied()),
            Some("cn_mobile")
        );
        assert_eq!(did_you_mean("zzzzzz", names.iter().copied()), None);
    }
}
