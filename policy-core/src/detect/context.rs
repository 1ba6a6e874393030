//! Context words near a candidate ("hotwords"), matched as whole words.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::DetSet;
use super::error::{DetectError, ErrorKind};
use super::text::{ceil_char, floor_char, has, is_word};
use super::vocabulary::{FORCES, HINTS};

/// Bytes before a candidate searched for context words.
pub(crate) const WINDOW_BEFORE: usize = 60;
/// Bytes after a candidate searched for context words.
pub(crate) const WINDOW_AFTER: usize = 30;

/// Most context-word occurrences remembered per value; a value with more falls back to
/// searching each candidate's window.
const MAX_HITS: usize = 32;

/// Context-word occurrences in one value, found by one pass on first need (most values never
/// need context, and a value with many candidates is searched once instead of per window).
#[derive(Debug)]
pub(crate) struct ContextHits {
    /// `(start, end, pattern)` of each occurrence, in the value's bytes.
    hits: [(u32, u32, u32); MAX_HITS],
    len: usize,
    /// More occurrences than fit (or offsets beyond `u32`): search windows instead.
    overflow: bool,
}

/// All context words, compiled once (ASCII case-insensitive).
#[derive(Debug)]
pub(crate) struct ContextMatcher {
    ac: AhoCorasick,
    sets: Vec<DetSet>,
    /// Every word has an ASCII letter or a non-ASCII character, so a value of digits and
    /// punctuation only has no context word (and is not searched).
    words_need_letters: bool,
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
        let words_need_letters = patterns
            .iter()
            .all(|w| w.bytes().any(|b| b.is_ascii_alphabetic() || b >= 0x80));
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
        Ok(ContextMatcher {
            ac,
            sets,
            words_need_letters,
        })
    }

    /// Whether a value with [`super::text::presence`] flags `has` can hold a context word.
    pub(crate) fn may_occur(&self, has: u8) -> bool {
        !self.words_need_letters || has & (has::ALPHA | has::HIGH) != 0
    }

    /// Every context-word occurrence in `s` (one overlapping search over the whole value).
    /// `has` are the value's [`super::text::presence`] flags.
    pub(crate) fn hits(&self, s: &[u8], has: u8) -> ContextHits {
        let mut out = ContextHits {
            hits: [(0, 0, 0); MAX_HITS],
            len: 0,
            overflow: false,
        };
        if !self.may_occur(has) {
            return out;
        }
        // Standard match kind supports overlapping search; the `try_` form keeps this panic-free.
        let Ok(matches) = self.ac.try_find_overlapping_iter(s) else {
            out.overflow = true;
            return out;
        };
        for m in matches {
            let entry = (
                u32::try_from(m.start()),
                u32::try_from(m.end()),
                u32::try_from(m.pattern().as_usize()),
            );
            match (entry, out.hits.get_mut(out.len)) {
                ((Ok(a), Ok(b), Ok(p)), Some(slot)) => {
                    *slot = (a, b, p);
                    out.len += 1;
                }
                _ => {
                    out.overflow = true;
                    return out;
                }
            }
        }
        out
    }

    /// Whether a context word of detector `d` occurs near `start..end` of `s`, as a whole
    /// word for ASCII words. `hits` are the occurrences in `s` from [`ContextMatcher::hits`].
    pub(crate) fn near_in(
        &self,
        hits: &ContextHits,
        s: &[u8],
        start: usize,
        end: usize,
        d: u16,
    ) -> bool {
        if hits.overflow {
            return self.near(s, start, end, d);
        }
        let lo = floor_char(s, start.saturating_sub(WINDOW_BEFORE));
        let hi = ceil_char(s, end.saturating_add(WINDOW_AFTER).min(s.len()));
        hits.hits.iter().take(hits.len).any(|&(ms, me, p)| {
            let (ms, me) = (ms as usize, me as usize);
            // Only occurrences wholly inside the window count, as in [`ContextMatcher::near`].
            ms >= lo && me <= hi && self.counts(s, ms, me, p as usize, start, end, d)
        })
    }

    /// Whether a context word of detector `d` occurs near `start..end` of `s`, as a whole
    /// word for ASCII words.
    pub(crate) fn near(&self, s: &[u8], start: usize, end: usize, d: u16) -> bool {
        let lo = floor_char(s, start.saturating_sub(WINDOW_BEFORE));
        let hi = ceil_char(s, end.saturating_add(WINDOW_AFTER).min(s.len()));
        let Some(window) = s.get(lo..hi) else {
            return false;
        };
        // Standard match kind supports overlapping search; the `try_` form keeps this panic-free.
        let Ok(matches) = self.ac.try_find_overlapping_iter(window) else {
            return false;
        };
        for m in matches {
            let (ms, me) = (lo + m.start(), lo + m.end());
            if self.counts(s, ms, me, m.pattern().as_usize(), start, end, d) {
                return true;
            }
        }
        false
    }

    /// Whether occurrence `ms..me` of pattern `p` is a context word of `d` for the candidate
    /// `start..end`.
    #[expect(
        clippy::too_many_arguments,
        reason = "two ranges, a pattern and a detector; a struct would only rename them"
    )]
    fn counts(
        &self,
        s: &[u8],
        ms: usize,
        me: usize,
        p: usize,
        start: usize,
        end: usize,
        d: u16,
    ) -> bool {
        if !self.sets.get(p).is_some_and(|set| set.contains(d)) {
            return false;
        }
        // The candidate itself is not its own context (`fin` inside `FIN123`).
        if ms < end && me > start {
            return false;
        }
        let first_ascii = s.get(ms).is_some_and(u8::is_ascii_alphanumeric);
        let last_ascii = me > 0 && s.get(me - 1).is_some_and(u8::is_ascii_alphanumeric);
        let before_ok = !first_ascii || ms == 0 || !s.get(ms - 1).is_some_and(|&b| is_word(b));
        let after_ok = !last_ascii || !s.get(me).is_some_and(|&b| is_word(b));
        before_ok && after_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::catalogue::Builtin;
    use crate::detect::text::presence;

    #[test]
    fn whole_words_only_for_ascii() {
        let m = ContextMatcher::build(&[]).unwrap();
        let d = Builtin::Passport.index();
        let text = b"passport: E12345678";
        assert!(m.near(text, 10, 19, d));
        assert!(m.near_in(&m.hits(text, presence(text)), text, 10, 19, d));
        let text = b"nopassporting E12345678";
        assert!(!m.near(text, 14, 23, d));
        assert!(!m.near_in(&m.hits(text, presence(text)), text, 14, 23, d));
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
        let hits = m.hits(text.as_bytes(), presence(text.as_bytes()));
        assert!(!m.near_in(&hits, text.as_bytes(), start, start + 9, d));
    }

    #[test]
    fn values_without_letters_have_no_context_words() {
        let m = ContextMatcher::build(&[]).unwrap();
        assert!(m.words_need_letters);
        let text = b"4608 3778 3533 7403";
        let hits = m.hits(text, presence(text));
        assert_eq!(hits.len, 0);
        assert!(!m.near_in(&hits, text, 0, 19, Builtin::PaymentCard.index()));
    }

    #[test]
    fn one_pass_over_the_value_agrees_with_window_searches() {
        let m = ContextMatcher::build(&[]).unwrap();
        let text = "护照 passport no. E12345678, born 1980-02-03; dob 1980-02-03 tel 010-12345678 \
                    and a long tail of words without any hint at all here 13812345678 phone";
        let s = text.as_bytes();
        let hits = m.hits(s, presence(s));
        for d in 0..40u16 {
            for start in (0..s.len()).step_by(7) {
                for len in [1usize, 8, 11] {
                    let end = (start + len).min(s.len());
                    assert_eq!(
                        m.near(s, start, end, d),
                        m.near_in(&hits, s, start, end, d),
                        "d={d} {start}..{end}"
                    );
                }
            }
        }
    }
}
