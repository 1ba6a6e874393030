//! Custom detectors from a bundle: regexes (regex-automata, one ASCII byte-oriented dialect
//! on every target) and dictionaries (aho-corasick, whole words).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;

use super::builder::{CustomDictionary, CustomRegex, ValidatorName};
use super::error::{DetectError, ErrorKind};
use super::text::{ceil_char, floor_char, is_word};
use super::{Confidence, Scan};

/// Compiled-size limit of one custom regex (NFA and DFA), like Relay's 256 KiB.
pub(crate) const MAX_REGEX_SIZE: usize = 256 * 1024;
/// Lazy-DFA cache per regex.
const REGEX_CACHE: usize = 512 * 1024;
/// Most words in one dictionary.
pub(crate) const MAX_DICTIONARY_WORDS: usize = 100_000;
/// Most matches one custom detector reports per value (bounds work on hostile input).
const MAX_MATCHES: usize = 1024;

#[derive(Debug)]
enum Matcher {
    Regex(Regex),
    Dictionary(AhoCorasick),
}

/// One compiled custom detector.
#[derive(Debug)]
pub(crate) struct Custom {
    matcher: Matcher,
    context_required: bool,
    validator: Option<ValidatorName>,
}

/// Formats a regex syntax error with the pattern and a caret line under the span.
fn regex_error(spec: &CustomRegex, err: &meta::BuildError) -> DetectError {
    let id = &spec.id;
    if let Some(syn) = err.syntax_error() {
        let (span, what) = match syn {
            regex_syntax::Error::Parse(e) => (Some(*e.span()), format!("{}", e.kind())),
            regex_syntax::Error::Translate(e) => (Some(*e.span()), format!("{}", e.kind())),
            _ => (None, format!("{syn}")),
        };
        if let Some(span) = span {
            let col = spec
                .pattern
                .get(..span.start.offset)
                .map_or(0, |p| p.chars().count());
            let width = spec
                .pattern
                .get(span.start.offset..span.end.offset)
                .map_or(1, |p| p.chars().count())
                .max(1);
            let mut caret = String::new();
            caret.extend(core::iter::repeat_n(' ', col));
            caret.extend(core::iter::repeat_n('^', width));
            return DetectError::new(
                ErrorKind::BadRegex,
                format!(
                    "custom detector `{id}`: regex error at column {}: {what}\n    {}\n    {caret}\nfix the pattern (the dialect is ASCII byte-oriented: no lookaround, no backreferences)",
                    col + 1,
                    spec.pattern
                ),
            );
        }
        return DetectError::new(
            ErrorKind::BadRegex,
            format!("custom detector `{id}`: regex error: {what}"),
        );
    }
    if err.size_limit().is_some() {
        return DetectError::new(
            ErrorKind::Limit,
            format!(
                "custom detector `{id}`: regex `{}` compiles to more than {} KiB; use smaller bounded repeats or fewer alternatives",
                spec.pattern,
                MAX_REGEX_SIZE / 1024
            ),
        );
    }
    DetectError::new(
        ErrorKind::BadRegex,
        format!(
            "custom detector `{id}`: regex `{}` does not compile: {err}",
            spec.pattern
        ),
    )
}

/// Keeps only ASCII letters and digits (what validators see).
fn compact(m: &[u8], buf: &mut [u8; 64]) -> usize {
    let mut n = 0usize;
    for &b in m.iter().filter(|b| b.is_ascii_alphanumeric()) {
        match buf.get_mut(n) {
            Some(slot) => *slot = b.to_ascii_uppercase(),
            None => return 0,
        }
        n += 1;
    }
    n
}

impl Custom {
    pub(crate) fn compile_regex(spec: &CustomRegex) -> Result<Custom, DetectError> {
        if spec.pattern.len() > CustomRegex::MAX_PATTERN_LEN {
            return Err(DetectError::new(
                ErrorKind::Limit,
                format!(
                    "custom detector `{}`: pattern is {} bytes, more than the limit of {}; shorten it",
                    spec.id,
                    spec.pattern.len(),
                    CustomRegex::MAX_PATTERN_LEN
                ),
            ));
        }
        if spec.pattern.is_empty() {
            return Err(DetectError::new(
                ErrorKind::BadRegex,
                format!(
                    "custom detector `{}`: pattern is empty; give a regex such as `EMP-\\d{{6}}`",
                    spec.id
                ),
            ));
        }
        let config = Regex::config()
            .nfa_size_limit(Some(MAX_REGEX_SIZE))
            .dfa_size_limit(Some(MAX_REGEX_SIZE))
            .onepass_size_limit(Some(MAX_REGEX_SIZE))
            .hybrid_cache_capacity(REGEX_CACHE)
            .utf8_empty(false);
        let syn = syntax::Config::new()
            .unicode(false)
            .utf8(false)
            .nest_limit(64);
        let re = Regex::builder()
            .configure(config)
            .syntax(syn)
            .build(&spec.pattern)
            .map_err(|e| regex_error(spec, &e))?;
        Ok(Custom {
            matcher: Matcher::Regex(re),
            context_required: spec.context_required,
            validator: spec.validator,
        })
    }

    pub(crate) fn compile_dictionary(spec: &CustomDictionary) -> Result<Custom, DetectError> {
        let words: Vec<&str> = spec
            .words
            .iter()
            .map(|w| w.trim())
            .filter(|w| !w.is_empty())
            .collect();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(!spec.case_sensitive)
            .build(&words)
            .map_err(|e| {
                DetectError::new(
                    ErrorKind::Limit,
                    format!(
                        "custom dictionary `{}` does not compile: {e}; use fewer or shorter words",
                        spec.id
                    ),
                )
            })?;
        Ok(Custom {
            matcher: Matcher::Dictionary(ac),
            context_required: spec.context_required,
            validator: spec.validator,
        })
    }

    /// Reports this detector's matches in the scan's view.
    pub(crate) fn scan(&self, index: u16, sc: &mut Scan<'_, '_>) {
        let s = sc.s;
        let mut count = 0usize;
        match &self.matcher {
            Matcher::Regex(re) => {
                for m in re.find_iter(s) {
                    if m.is_empty() {
                        continue;
                    }
                    let (a, b) = (floor_char(s, m.start()), ceil_char(s, m.end()));
                    self.report(index, sc, a, b);
                    count += 1;
                    if count >= MAX_MATCHES {
                        break;
                    }
                }
            }
            Matcher::Dictionary(ac) => {
                for m in ac.find_iter(s) {
                    let (a, b) = (m.start(), m.end());
                    let first_word = s.get(a).is_some_and(|&c| is_word(c));
                    let last_word = b > 0 && s.get(b - 1).is_some_and(|&c| is_word(c));
                    let before_ok =
                        !first_word || a == 0 || !s.get(a - 1).is_some_and(|&c| is_word(c));
                    let after_ok = !last_word || !s.get(b).is_some_and(|&c| is_word(c));
                    if before_ok && after_ok {
                        self.report(index, sc, a, b);
                        count += 1;
                        if count >= MAX_MATCHES {
                            break;
                        }
                    }
                }
            }
        }
    }

    fn report(&self, index: u16, sc: &mut Scan<'_, '_>, a: usize, b: usize) {
        let validated = match self.validator {
            Some(v) => {
                let mut buf = [0u8; 64];
                let n = compact(sc.s.get(a..b).unwrap_or_default(), &mut buf);
                if n == 0 || !v.check(buf.get(..n).unwrap_or_default()) {
                    return;
                }
                true
            }
            None => false,
        };
        let context = sc.has_context(index, a, b);
        if self.context_required && !context {
            return;
        }
        let confidence = match (validated, context) {
            (true, true) => Confidence::VeryLikely,
            (true, false) | (false, true) => Confidence::Likely,
            (false, false) => Confidence::Possible,
        };
        sc.push(index, a, b, confidence);
    }
}
