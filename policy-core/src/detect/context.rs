//! Context words near a candidate ("hotwords"), matched as whole words.
//!
//! Most context words are plain ASCII phrases: words of word bytes (`[A-Za-z0-9_]`) joined by
//! single spaces, starting and ending with a letter or digit (`card`, `date of birth`). Such a
//! phrase counts as a whole word exactly where the text holds maximal runs of word bytes,
//! separated by single spaces, that spell it (ignoring ASCII case). So these are found by
//! walking the word runs of the window and looking each lowercased run (and the phrases it
//! starts) up in a small hash table: a few instructions per byte, where an overlapping
//! Aho-Corasick search over all words cost about a tenth of the whole engine. The other words
//! (Chinese, or with punctuation at an end or inside) keep an Aho-Corasick automaton, searched
//! only in values that can hold them.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::DetSet;
use super::error::{DetectError, ErrorKind};
use super::text::{ceil_char, floor_char, has, is_word, word_at, word_before, word_end};
use super::vocabulary::{FORCES, HINTS};

/// Bytes before a candidate searched for context words.
pub(crate) const WINDOW_BEFORE: usize = 60;
/// Bytes after a candidate searched for context words.
pub(crate) const WINDOW_AFTER: usize = 30;

/// Longest plain phrase kept in the hash table; longer words go to the automaton.
const MAX_PHRASE: usize = 64;

/// All context words, compiled once (ASCII case-insensitive).
#[derive(Debug)]
pub(crate) struct ContextMatcher {
    /// Plain ASCII phrases, looked up by their lowercased text.
    phrases: Phrases,
    /// Every other word, if any.
    rest: Option<AhoCorasick>,
    /// Detectors of each pattern of `rest`.
    rest_sets: Vec<DetSet>,
    /// Every word of `rest` has a non-ASCII character, so a value without one has none.
    rest_needs_high: bool,
    /// Every word has an ASCII letter or a non-ASCII character, so a value of digits and
    /// punctuation only has no context word (and is not searched).
    words_need_letters: bool,
}

/// One entry of [`Phrases`].
#[derive(Debug)]
struct Phrase {
    hash: u64,
    text: Vec<u8>,
    /// Detectors this phrase is a context word of (empty when it is only a prefix).
    set: DetSet,
    /// A longer phrase starts with this one and a space.
    prefix: bool,
}

/// Open-addressing hash table of plain phrases and their prefixes (at most half full).
#[derive(Debug, Default)]
struct Phrases {
    /// Index + 1 into `entries`, 0 for an empty slot; the length is a power of two.
    slots: Vec<u32>,
    entries: Vec<Phrase>,
}

/// FNV-1a, one byte at a time (phrases are hashed while they are read).
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
fn fnv(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
}

/// The table slot a hash starts probing at.
fn slot_of(hash: u64, mask: usize) -> usize {
    // Only the low bits are used; truncating the hash on 32-bit targets is intended.
    (hash as usize) & mask
}

impl Phrases {
    fn build(map: BTreeMap<Vec<u8>, (DetSet, bool)>) -> Self {
        let slots_len = (map.len() * 2).next_power_of_two().max(16);
        let mut table = Phrases {
            slots: alloc::vec![0; slots_len],
            entries: Vec::with_capacity(map.len()),
        };
        let mask = slots_len - 1;
        for (text, (set, prefix)) in map {
            let hash = text.iter().fold(FNV_OFFSET, |h, &b| fnv(h, b));
            let mut i = slot_of(hash, mask);
            while table.slots.get(i).is_some_and(|&k| k != 0) {
                i = (i + 1) & mask;
            }
            let id = u32::try_from(table.entries.len() + 1).unwrap_or(u32::MAX);
            if let Some(slot) = table.slots.get_mut(i) {
                *slot = id;
            }
            table.entries.push(Phrase {
                hash,
                text,
                set,
                prefix,
            });
        }
        table
    }

    /// The entry for lowercased `text` whose FNV-1a hash is `hash`.
    fn get(&self, hash: u64, text: &[u8]) -> Option<&Phrase> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = slot_of(hash, mask);
        // The table is at most half full, so an empty slot ends every probe.
        loop {
            let id = usize::try_from(*self.slots.get(i)?).ok()?.checked_sub(1)?;
            let e = self.entries.get(id)?;
            if e.hash == hash && e.text == text {
                return Some(e);
            }
            i = (i + 1) & mask;
        }
    }
}

/// Whether `w` (lowercased) is a plain phrase: words of word bytes joined by single spaces,
/// starting and ending with an ASCII letter or digit, at most [`MAX_PHRASE`] bytes.
fn is_plain(w: &[u8]) -> bool {
    w.len() <= MAX_PHRASE
        && w.first().is_some_and(u8::is_ascii_alphanumeric)
        && w.last().is_some_and(u8::is_ascii_alphanumeric)
        && w.split(|&b| b == b' ')
            .all(|word| !word.is_empty() && word.iter().all(|&b| is_word(b)))
}

/// Text form of a vocabulary word: lowercased (both lookups ignore ASCII case). Words are
/// matched as written, so `date of birth` in text needs its single spaces (a key such as
/// `date_of_birth` is classified by the key matcher instead).
fn text_form(w: &str) -> String {
    w.to_lowercase()
}

/// Every context word (lowercased) and the detectors it is context for.
fn vocabulary(custom: &[(u16, Vec<String>)]) -> BTreeMap<String, DetSet> {
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
    map
}

impl ContextMatcher {
    /// Builds the matcher from the built-in lists and custom (detector, words) pairs.
    pub(crate) fn build(custom: &[(u16, Vec<String>)]) -> Result<Self, DetectError> {
        let map = vocabulary(custom);
        let words_need_letters = map
            .keys()
            .all(|w| w.bytes().any(|b| b.is_ascii_alphabetic() || b >= 0x80));
        let mut plain: BTreeMap<Vec<u8>, (DetSet, bool)> = BTreeMap::new();
        let (mut rest, mut rest_sets) = (Vec::new(), Vec::new());
        for (w, set) in map {
            let bytes = w.as_bytes();
            if !is_plain(bytes) {
                rest.push(w);
                rest_sets.push(set);
                continue;
            }
            // Every shorter phrase this one starts with is marked, so a lookup knows when
            // reading one more word can still find something.
            for (i, _) in bytes.iter().enumerate().filter(|&(_, &b)| b == b' ') {
                if let Some(head) = bytes.get(..i) {
                    plain.entry(head.to_vec()).or_default().1 = true;
                }
            }
            plain.entry(bytes.to_vec()).or_default().0.union(&set);
        }
        let rest_needs_high = rest.iter().all(|w| !w.is_ascii());
        let rest_ac = if rest.is_empty() {
            None
        } else {
            // A contiguous NFA, as the crate picks for the full list: with fewer than 100
            // words it would pick a DFA, faster but several times larger (per policy, and the
            // filter holds one policy per worker).
            let ac = AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&rest)
                .map_err(|e| {
                    DetectError::new(
                        ErrorKind::Limit,
                        alloc::format!(
                            "context words do not compile: {e}; use fewer or shorter context words"
                        ),
                    )
                })?;
            Some(ac)
        };
        Ok(ContextMatcher {
            phrases: Phrases::build(plain),
            rest: rest_ac,
            rest_sets,
            rest_needs_high,
            words_need_letters,
        })
    }

    /// Whether a value with [`super::text::presence`] flags `has` can hold a context word.
    pub(crate) fn may_occur(&self, has: has::Has) -> bool {
        !self.words_need_letters || has & (has::ALPHA | has::HIGH) != 0
    }

    /// Whether a context word of detector `d` occurs near `start..end` of `s`, as a whole
    /// word for ASCII words. `has` are the [`super::text::presence`] flags of `s`.
    pub(crate) fn near(&self, s: &[u8], has: has::Has, start: usize, end: usize, d: u16) -> bool {
        if !self.may_occur(has) {
            return false;
        }
        let lo = floor_char(s, start.saturating_sub(WINDOW_BEFORE));
        let hi = ceil_char(s, end.saturating_add(WINDOW_AFTER).min(s.len()));
        if lo > hi {
            return false;
        }
        if self.phrase_near(s, lo, hi, start, end, d) {
            return true;
        }
        let Some(ac) = &self.rest else {
            return false;
        };
        if self.rest_needs_high && has & has::HIGH == 0 {
            return false;
        }
        // An occurrence that counts lies wholly before or wholly after the candidate (it is
        // not its own context), so the candidate's bytes are not searched.
        if start <= end {
            self.rest_near(ac, s, lo, start.max(lo), start, end, d)
                || self.rest_near(ac, s, end.min(hi), hi, start, end, d)
        } else {
            self.rest_near(ac, s, lo, hi, start, end, d)
        }
    }

    /// Whether a plain phrase of detector `d` lies wholly inside `lo..hi` of `s` and outside
    /// the candidate `start..end`, as whole words.
    fn phrase_near(
        &self,
        s: &[u8],
        lo: usize,
        hi: usize,
        start: usize,
        end: usize,
        d: u16,
    ) -> bool {
        // A run already going at `lo` is not wholly inside the window.
        let mut i = if word_before(s, lo) {
            word_end(s, lo)
        } else {
            lo
        };
        loop {
            while i < hi && !word_at(s, i) {
                i += 1;
            }
            if i >= hi {
                return false;
            }
            if start <= i && i < end {
                // Runs starting inside the candidate overlap it, and so does the run going
                // on at its end: none of them (nor phrases starting there) counts.
                i = if word_before(s, end) {
                    word_end(s, end)
                } else {
                    end
                };
                continue;
            }
            let run = word_end(s, i);
            if run > hi {
                return false;
            }
            if self.phrase_at(s, i, run, hi, start, end, d) {
                return true;
            }
            i = run;
        }
    }

    /// Whether a plain phrase of detector `d` starts with the maximal word run `a..b` of `s`,
    /// ends by `hi` and does not overlap the candidate `start..end`.
    #[expect(
        clippy::too_many_arguments,
        reason = "a run, the window end, the candidate and a detector; a struct would only rename them"
    )]
    fn phrase_at(
        &self,
        s: &[u8],
        a: usize,
        b: usize,
        hi: usize,
        start: usize,
        end: usize,
        d: u16,
    ) -> bool {
        let mut buf = [0u8; MAX_PHRASE];
        let mut len = 0;
        let mut hash = FNV_OFFSET;
        let (mut from, mut to) = (a, b);
        loop {
            let Some(run) = s.get(from..to) else {
                return false;
            };
            for &c in run {
                let c = c.to_ascii_lowercase();
                let Some(slot) = buf.get_mut(len) else {
                    return false;
                };
                *slot = c;
                hash = fnv(hash, c);
                len += 1;
            }
            // The candidate is not its own context; longer phrases overlap it too.
            if a < end && to > start {
                return false;
            }
            let Some(p) = buf.get(..len).and_then(|text| self.phrases.get(hash, text)) else {
                return false;
            };
            if p.set.contains(d) {
                return true;
            }
            // One more word: exactly one space, then the next run, still inside the window.
            if !p.prefix || s.get(to) != Some(&b' ') || !word_at(s, to + 1) {
                return false;
            }
            let next = word_end(s, to + 1);
            if next > hi {
                return false;
            }
            let Some(slot) = buf.get_mut(len) else {
                return false;
            };
            *slot = b' ';
            hash = fnv(hash, b' ');
            len += 1;
            (from, to) = (to + 1, next);
        }
    }

    /// Whether a word of the automaton for detector `d` occurs wholly inside `lo..hi` of `s`
    /// and counts for the candidate `start..end`.
    #[expect(
        clippy::too_many_arguments,
        reason = "the automaton, a window, the candidate and a detector; a struct would only rename them"
    )]
    fn rest_near(
        &self,
        ac: &AhoCorasick,
        s: &[u8],
        lo: usize,
        hi: usize,
        start: usize,
        end: usize,
        d: u16,
    ) -> bool {
        let Some(window) = s.get(lo..hi) else {
            return false;
        };
        // Standard match kind supports overlapping search; the `try_` form keeps this panic-free.
        let Ok(matches) = ac.try_find_overlapping_iter(window) else {
            return false;
        };
        for m in matches {
            let (ms, me) = (lo + m.start(), lo + m.end());
            if self
                .rest_sets
                .get(m.pattern().as_usize())
                .is_some_and(|set| set.contains(d))
                && counts(s, ms, me, start, end)
            {
                return true;
            }
        }
        false
    }
}

/// Whether occurrence `ms..me` is a context word for the candidate `start..end`: it is not
/// the candidate itself, and ASCII letters or digits at its ends are word boundaries.
fn counts(s: &[u8], ms: usize, me: usize, start: usize, end: usize) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::catalogue::Builtin;
    use crate::detect::text::presence;

    /// The matcher as it was before the phrase table: one overlapping Aho-Corasick search
    /// over all words in the window. The fast path must agree with it everywhere.
    struct Reference {
        ac: AhoCorasick,
        sets: Vec<DetSet>,
    }

    impl Reference {
        fn build(custom: &[(u16, Vec<String>)]) -> Self {
            let (patterns, sets): (Vec<String>, Vec<DetSet>) =
                vocabulary(custom).into_iter().unzip();
            let ac = AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .build(&patterns)
                .unwrap();
            Reference { ac, sets }
        }

        fn near(&self, s: &[u8], start: usize, end: usize, d: u16) -> bool {
            let lo = floor_char(s, start.saturating_sub(WINDOW_BEFORE));
            let hi = ceil_char(s, end.saturating_add(WINDOW_AFTER).min(s.len()));
            let Some(window) = s.get(lo..hi) else {
                return false;
            };
            self.ac.find_overlapping_iter(window).any(|m| {
                self.sets[m.pattern().as_usize()].contains(d)
                    && counts(s, lo + m.start(), lo + m.end(), start, end)
            })
        }
    }

    fn near(m: &ContextMatcher, s: &[u8], start: usize, end: usize, d: u16) -> bool {
        m.near(s, presence(s), start, end, d)
    }

    #[test]
    fn whole_words_only_for_ascii() {
        let m = ContextMatcher::build(&[]).unwrap();
        let d = Builtin::Passport.index();
        assert!(near(&m, b"passport: E12345678", 10, 19, d));
        assert!(near(&m, b"PassPort E12345678", 9, 18, d));
        assert!(!near(&m, b"nopassporting E12345678", 14, 23, d));
        assert!(!near(&m, b"passport_x E12345678", 11, 20, d));
        assert!(near(&m, "护照号码E12345678".as_bytes(), 12, 21, d));
    }

    #[test]
    fn phrases_need_single_spaces_between_their_words() {
        let m = ContextMatcher::build(&[]).unwrap();
        let d = Builtin::PaymentCard.index();
        let card = b"4608377835337403";
        for (text, found) in [
            (&b"primary account number "[..], true),
            (b"Primary Account Number: ", true),
            (b"primary  account number ", false),
            (b"primary account numbers ", false),
            (b"primary-account-number ", false),
        ] {
            // `card` and `pan` stay out of the text: only the long phrase can count.
            let mut s = text.to_vec();
            let start = s.len();
            s.extend_from_slice(card);
            let d_ok = near(&m, &s, start, s.len(), d);
            assert_eq!(d_ok, found, "{}", String::from_utf8_lossy(&s));
        }
    }

    #[test]
    fn far_words_do_not_count() {
        let m = ContextMatcher::build(&[]).unwrap();
        let d = Builtin::Passport.index();
        let mut text = String::from("passport");
        text.push_str(&" ".repeat(80));
        let start = text.len();
        text.push_str("E12345678");
        assert!(!near(&m, text.as_bytes(), start, start + 9, d));
    }

    #[test]
    fn values_without_letters_have_no_context_words() {
        let m = ContextMatcher::build(&[]).unwrap();
        assert!(m.words_need_letters);
        let text = b"4608 3778 3533 7403";
        assert!(!near(&m, text, 0, 19, Builtin::PaymentCard.index()));
    }

    #[test]
    fn the_candidate_is_not_its_own_context() {
        let m = ContextMatcher::build(&[]).unwrap();
        let d = Builtin::Passport.index();
        assert!(!near(&m, b"x passport y", 2, 10, d));
        assert!(!near(&m, b"x passport y", 4, 6, d));
        assert!(near(&m, b"passport passport", 9, 17, d));
    }

    /// Texts made of context words, their pieces and separators, to compare both matchers.
    fn texts(custom_words: &[&str]) -> Vec<String> {
        let pieces = [
            "passport",
            "Card",
            "card no",
            "primary account",
            "number",
            "date of birth",
            "dob",
            "e mail",
            "e-mail",
            "电话",
            "联系方式",
            "护照",
            "ip",
            "IP address",
            "tel",
            "mobile",
            "ssn",
            "social security number",
            "fin",
            "FIN123",
            "lic",
            "public",
            "_",
            "x",
            "ü",
            "12345",
            "E12345678",
            "4608377835337403",
            " ",
            "  ",
            "-",
            ":",
            "，",
            "\t",
        ];
        let mut out = Vec::new();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..400 {
            let mut t = String::new();
            let n = 2 + (state % 30) as usize;
            for _ in 0..n {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let all = pieces.len() + custom_words.len();
                let k = (state % all as u64) as usize;
                t.push_str(
                    pieces
                        .get(k)
                        .copied()
                        .unwrap_or_else(|| custom_words[k - pieces.len()]),
                );
                if state & 0x100 != 0 {
                    t.push(' ');
                }
            }
            out.push(t);
        }
        out
    }

    fn agree(custom: &[(u16, Vec<String>)], custom_words: &[&str]) {
        let m = ContextMatcher::build(custom).unwrap();
        let r = Reference::build(custom);
        for text in texts(custom_words) {
            let s = text.as_bytes();
            for d in 0..48u16 {
                for start in (0..=s.len()).step_by(3) {
                    for len in [0usize, 1, 3, 9, 16] {
                        let end = (start + len).min(s.len());
                        assert_eq!(
                            near(&m, s, start, end, d),
                            r.near(s, start, end, d),
                            "d={d} {start}..{end} in {text:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn phrase_table_agrees_with_one_automaton_over_all_words() {
        agree(&[], &[]);
    }

    #[test]
    fn custom_words_of_every_shape_agree_too() {
        let words = [
            "Kontonummer",
            "_id",
            "no.",
            "ref:",
            "x-y",
            "a b c",
            "zz9",
            "客户编号",
        ];
        let custom = [(45u16, words.iter().map(|w| String::from(*w)).collect())];
        agree(&custom, &words);
    }
}
