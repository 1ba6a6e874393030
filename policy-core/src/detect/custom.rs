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

/// Largest compiled size (bytes) of one custom regex, for its NFA and each DFA it builds.
/// The bundle validator (`scrim check`) and the engine share this limit through
/// [`compile_regex`], so a bundle that passes `scrim check` compiles at run time on every
/// target.
pub const REGEX_SIZE_LIMIT: usize = 256 * 1024;
/// Longest custom regex pattern, in bytes.
pub const REGEX_PATTERN_MAX_LEN: usize = 1024;
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

/// Why [`compile_regex`] refused a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexError {
    /// [`ErrorKind::BadRegex`] for syntax, [`ErrorKind::Limit`] for length and size.
    pub kind: ErrorKind,
    /// One lowercase line saying what is wrong (`unclosed character class`,
    /// `compiled size exceeds the limit of 256 KiB`).
    pub summary: String,
    /// For syntax errors, the 1-based column (in characters) and width of the bad part.
    pub span: Option<(usize, usize)>,
}

impl RegexError {
    /// The pattern again with a caret line under the bad part, indented by four spaces, or
    /// an empty string when the error has no position.
    pub fn caret(&self, pattern: &str) -> String {
        let Some((col, width)) = self.span else {
            return String::new();
        };
        let mut out = format!("    {pattern}\n    ");
        out.extend(core::iter::repeat_n(' ', col.saturating_sub(1)));
        out.extend(core::iter::repeat_n('^', width.max(1)));
        out
    }
}

impl core::fmt::Display for RegexError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.span {
            Some((col, _)) => write!(f, "regex error at column {col}: {}", self.summary),
            None => f.write_str(&self.summary),
        }
    }
}

/// Compiles a custom regex the one way Scrim runs it, on every target: the detector engine
/// and the bundle validator (`scrim check`) both call this.
///
/// The dialect is byte-oriented with ASCII classes (`\d` is `[0-9]`, `\w` is
/// `[0-9A-Za-z_]`, `(?i)` folds ASCII only; no lookaround, no backreferences; groups nest at
/// most 64 deep). Patterns are at most [`REGEX_PATTERN_MAX_LEN`] bytes and compile to at
/// most [`REGEX_SIZE_LIMIT`] bytes. An empty pattern is refused; a pattern that matches the
/// empty string compiles (callers decide, the validator refuses it).
///
/// ```
/// use scrim_core::detect::compile_regex;
///
/// assert!(compile_regex(r"EMP-\d{6}").is_ok());
/// let err = compile_regex("EMP-[0-9").unwrap_err();
/// assert_eq!(err.summary, "unclosed character class");
/// assert_eq!(err.span, Some((5, 1)));
/// ```
pub fn compile_regex(pattern: &str) -> Result<Regex, RegexError> {
    if pattern.len() > REGEX_PATTERN_MAX_LEN {
        return Err(RegexError {
            kind: ErrorKind::Limit,
            summary: format!(
                "pattern is {} bytes long, the limit is {REGEX_PATTERN_MAX_LEN}; shorten it",
                pattern.len()
            ),
            span: None,
        });
    }
    if pattern.is_empty() {
        return Err(RegexError {
            kind: ErrorKind::BadRegex,
            summary: String::from("pattern is empty; give a regex such as `EMP-\\d{6}`"),
            span: None,
        });
    }
    let config = Regex::config()
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .dfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .onepass_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(REGEX_CACHE)
        .utf8_empty(false);
    let syn = syntax::Config::new()
        .unicode(false)
        .utf8(false)
        .nest_limit(64);
    Regex::builder()
        .configure(config)
        .syntax(syn)
        .build(pattern)
        .map_err(|e| regex_error(pattern, &e))
}

/// Turns a build error into a [`RegexError`] with the span of a syntax error.
fn regex_error(pattern: &str, err: &meta::BuildError) -> RegexError {
    if let Some(syn) = err.syntax_error() {
        let (span, what) = match syn {
            regex_syntax::Error::Parse(e) => (Some(*e.span()), format!("{}", e.kind())),
            regex_syntax::Error::Translate(e) => (Some(*e.span()), format!("{}", e.kind())),
            _ => (None, format!("{syn}")),
        };
        let span = span.map(|span| {
            let col = pattern
                .get(..span.start.offset)
                .map_or(0, |p| p.chars().count());
            let width = pattern
                .get(span.start.offset..span.end.offset)
                .map_or(1, |p| p.chars().count())
                .max(1);
            (col + 1, width)
        });
        return RegexError {
            kind: ErrorKind::BadRegex,
            summary: what,
            span,
        };
    }
    if err.size_limit().is_some() {
        return RegexError {
            kind: ErrorKind::Limit,
            summary: format!(
                "compiled size exceeds the limit of {} KiB; use smaller bounded repeats or fewer alternatives",
                REGEX_SIZE_LIMIT / 1024
            ),
            span: None,
        };
    }
    RegexError {
        kind: ErrorKind::BadRegex,
        summary: format!("{err}"),
        span: None,
    }
}

/// Keeps only ASCII letters and digits (what validators see), or only digits for
/// digit-only checks.
fn compact(m: &[u8], digits_only: bool, buf: &mut [u8; 64]) -> usize {
    let mut n = 0usize;
    let keep = |b: &&u8| {
        if digits_only {
            b.is_ascii_digit()
        } else {
            b.is_ascii_alphanumeric()
        }
    };
    for &b in m.iter().filter(keep) {
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
        let re = compile_regex(&spec.pattern).map_err(|e| {
            let id = &spec.id;
            let message = match e.span {
                Some(_) => format!(
                    "custom detector `{id}`: {e}\n{}\nfix the pattern (the dialect is ASCII byte-oriented: no lookaround, no backreferences)",
                    e.caret(&spec.pattern)
                ),
                None => format!("custom detector `{id}`: {e}"),
            };
            DetectError::new(e.kind, message)
        })?;
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
                let Ok(matches) = ac.try_find_iter(s) else {
                    return;
                };
                for m in matches {
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
                let digits_only = v == ValidatorName::Luhn;
                let n = compact(sc.s.get(a..b).unwrap_or_default(), digits_only, &mut buf);
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
