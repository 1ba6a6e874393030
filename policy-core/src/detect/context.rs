//! Context words near a candidate ("hotwords"), matched as whole words.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::DetSet;
use super::error::{DetectError, ErrorKind};
use super::text::{ceil_char, floor_char, is_word};
use super::vocabulary::{FORCES, HINTS};

/// Bytes before a candidate searched for context words.
pub(crate) const WINDOW_BEFORE: usize = 60;
/// Bytes after a candidate searched for context words.
pub(crate) const WINDOW_AFTER: usize = 30;

/// All context words, compiled once (ASCII case-insensitive).
#[derive(Debug)]
pub(crate) struct ContextMatcher {
    ac: AhoCorasick,
    sets: Vec<DetSet>,
}

/// Text form of a vocabulary word: key words use single spaces between words, text may
/// use `_` or `-` as well, so both are accepted by matching the plain-space form only after
/// folding in [`ContextMatcher::near`]. Here we only lowercase.
fn text_form(w: &str) -> String {
    w.to_lowercase()
}

impl ContextMatcher {
    /// Builds the matcher from the built-in lists and custom (detector, words) pairs.
    pub(crate) fn build(custom: &[(u16, Vec<String>)]) -> Result<Self, DetectError> {
        let mut map: BTreeMap<String, DetSet> = BTreeMap::new();
        let mut add = |w: &str, d: u16| {
            let t = text_form(w);
            if !t.trim().is_empty() {
                map.entry(t).or_default().insert(d);
            }
        };
        for (d, words) in HINTS.iter().chain(FORCES.iter()) {
            for w in *words {
                add(w, d.index());
            }
        }
        for (d, words) in custom {
            for w in words {
                add(w, *d);
            }
        }
        let (patterns, sets): (Vec<String>, Vec<DetSet>) = map.into_iter().unzip();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&patterns)
            .map_err(|e| {
                DetectError::new(
                    ErrorKind::Limit,
                    alloc::format!(
                        "context words do not compile: {e}; use fewer or shorter context words"
                    ),
                )
            })?;
        Ok(ContextMatcher { ac, sets })
    }

    /// Whether a context word of detector `d` occurs near `start..end` of `s`, as a whole
    /// word for ASCII words.
    pub(crate) fn near(&self, s: &[u8], start: usize, end: usize, d: u16) -> bool {
        let lo = floor_char(s, start.saturating_sub(WINDOW_BEFORE));
        let hi = ceil_char(s, end.saturating_add(WINDOW_AFTER).min(s.len()));
        let Some(window) = s.get(lo..hi) else {
            return false;
        };
        for m in self.ac.find_overlapping_iter(window) {
            let Some(set) = self.sets.get(m.pattern().as_usize()) else {
                continue;
            };
            if !set.contains(d) {
                continue;
            }
            let (ms, me) = (lo + m.start(), lo + m.end());
            // The candidate itself is not its own context (`fin` inside `FIN123`).
            if ms < end && me > start {
                continue;
            }
            let first_ascii = s.get(ms).is_some_and(u8::is_ascii_alphanumeric);
            let last_ascii = me > 0 && s.get(me - 1).is_some_and(u8::is_ascii_alphanumeric);
            let before_ok = !first_ascii || ms == 0 || !s.get(ms - 1).is_some_and(|&b| is_word(b));
            let after_ok = !last_ascii || !s.get(me).is_some_and(|&b| is_word(b));
            if before_ok && after_ok {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::catalogue::Builtin;

    #[test]
    fn whole_words_only_for_ascii() {
        let m = ContextMatcher::build(&[]).unwrap();
        let d = Builtin::Passport.index();
        let text = b"passport: E12345678";
        assert!(m.near(text, 10, 19, d));
        let text = b"nopassporting E12345678";
        assert!(!m.near(text, 14, 23, d));
        let text = "护照号码E12345678".as_bytes();
        assert!(m.near(text, 12, 21, d));
    }

    #[test]
    fn far_words_do_not_count() {
        let m = ContextMatcher::build(&[]).unwrap();
        let d = Builtin::Passport.index();
        let mut text = String::from("passport");
        text.push_str(&" ".repeat(80));
        let start = text.len();
        text.push_str("E12345678");
        assert!(!m.near(text.as_bytes(), start, start + 9, d));
    }
}
