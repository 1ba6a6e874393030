//! Custom detectors from a bundle: regexes (regex-automata, one ASCII byte-oriented dialect
//! on every target) and dictionaries (aho-corasick, whole words).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::hybrid::dfa;
use regex_automata::hybrid::regex::{self as hybrid, Cache};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::iter::Searcher;
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind as RegexMatchKind};

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
    Regex(CompiledRegex),
    Dictionary(AhoCorasick),
}

/// One compiled custom detector.
#[derive(Debug)]
pub(crate) struct Custom {
    matcher: Matcher,
    context_required: bool,
    validator: Option<ValidatorName>,
}

/// Makes a fresh lazy-DFA cache for one regex (held by its pool).
type NewCache = Box<dyn Fn() -> Cache + Send + Sync>;

/// A compiled custom regex, from [`compile_regex`]: a lazy DFA (forward and reverse) with
/// leftmost-first matches, as Scrim's detectors report them.
#[derive(Debug)]
pub struct CompiledRegex {
    re: Arc<hybrid::Regex>,
    /// Lazy-DFA caches, one per concurrent search (the pool the meta regex used too): one
    /// in the filter and the browser, one per thread on native targets, so detectors stay
    /// `Send + Sync`.
    caches: Pool<Cache, NewCache>,
}

impl CompiledRegex {
    /// Runs `f` with a cache from this regex's pool.
    fn with_cache<R>(&self, f: impl FnOnce(&hybrid::Regex, &mut Cache) -> R) -> R {
        let mut cache = self.caches.get();
        f(&self.re, &mut cache)
    }

    /// Whether the regex matches anywhere in `haystack`.
    ///
    /// ```
    /// use scrim_core::detect::compile_regex;
    ///
    /// let re = compile_regex(r"\bEMP-\d{6}\b").unwrap();
    /// assert!(re.is_match("id EMP-123456."));
    /// assert!(!re.is_match("EMP-1234567"));
    /// ```
    pub fn is_match(&self, haystack: impl AsRef<[u8]>) -> bool {
        let input = Input::new(haystack.as_ref()).earliest(true);
        self.with_cache(|re, cache| matches!(re.try_search(cache, &input), Ok(Some(_))))
    }

    /// Calls `f(start, end)` for each match in `haystack`, left to right, without overlaps
    /// (leftmost-first, as the `regex` crate reports them; empty matches included), until
    /// `f` returns `false`.
    ///
    /// ```
    /// use scrim_core::detect::compile_regex;
    ///
    /// let re = compile_regex(r"EMP-\d{6}").unwrap();
    /// let mut found = Vec::new();
    /// re.for_each_match(b"EMP-123456 and EMP-654321", |a, b| {
    ///     found.push((a, b));
    ///     true
    /// });
    /// assert_eq!(found, [(0, 10), (15, 25)]);
    /// ```
    pub fn for_each_match(&self, haystack: &[u8], mut f: impl FnMut(usize, usize) -> bool) {
        self.with_cache(|re, cache| {
            let mut it = Searcher::new(Input::new(haystack));
            // The lazy DFA is built without quit bytes and never gives up, so a search
            // cannot fail; an error would only end the scan early.
            while let Ok(Some(m)) = it.try_advance(|input| re.try_search(cache, input)) {
                if !f(m.start(), m.end()) {
                    break;
                }
            }
        });
    }
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
pub fn compile_regex(pattern: &str) -> Result<CompiledRegex, RegexError> {
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
    let syn = syntax::Config::new()
        .unicode(false)
        .utf8(false)
        .nest_limit(64);
    let hir = syntax::parse_with(pattern, &syn).map_err(|e| syntax_error(pattern, &e))?;
    // The two NFAs exactly as the meta regex (which Scrim used before) builds them, so the
    // same patterns pass the same size limit: forward with capture states, reverse without.
    let nfa = thompson::Config::new()
        .utf8(false)
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .shrink(false)
        .which_captures(WhichCaptures::All);
    let forward = thompson::Compiler::new()
        .configure(nfa.clone())
        .build_from_hir(&hir)
        .map_err(|e| build_error(e.size_limit().is_some(), &e))?;
    let reverse = thompson::Compiler::new()
        .configure(nfa.which_captures(WhichCaptures::None).reverse(true))
        .build_from_hir(&hir)
        .map_err(|e| build_error(e.size_limit().is_some(), &e))?;
    // Without quit bytes (Unicode is off, so `\b` is ASCII) and without a cache-clear
    // minimum, the lazy DFA never fails a search.
    let lazy = dfa::Config::new().cache_capacity(REGEX_CACHE);
    let forward = dfa::Builder::new()
        .configure(lazy.clone().match_kind(RegexMatchKind::LeftmostFirst))
        .build_from_nfa(forward)
        .map_err(|e| build_error(true, &e))?;
    let reverse = dfa::Builder::new()
        .configure(
            lazy.match_kind(RegexMatchKind::All)
                .prefilter(None)
                .specialize_start_states(false),
        )
        .build_from_nfa(reverse)
        .map_err(|e| build_error(true, &e))?;
    let re = Arc::new(hybrid::Builder::new().build_from_dfas(forward, reverse));
    let for_pool = Arc::clone(&re);
    let caches: Pool<Cache, NewCache> = Pool::new(Box::new(move || for_pool.create_cache()));
    Ok(CompiledRegex { re, caches })
}

/// Turns a syntax error into a [`RegexError`] with its span.
fn syntax_error(pattern: &str, syn: &regex_syntax::Error) -> RegexError {
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
    RegexError {
        kind: ErrorKind::BadRegex,
        summary: what,
        span,
    }
}

/// Turns an NFA or lazy-DFA build error into a [`RegexError`]: a size-limit error when
/// `size` is set.
fn build_error(size: bool, err: &dyn core::fmt::Display) -> RegexError {
    if size {
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
                re.for_each_match(s, |start, end| {
                    if start == end {
                        return true;
                    }
                    let (a, b) = (floor_char(s, start), ceil_char(s, end));
                    self.report(index, sc, a, b);
                    count += 1;
                    count < MAX_MATCHES
                });
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

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use regex::bytes::RegexBuilder;

    /// The `regex` crate's bytes regex (its meta regex, which Scrim shipped before) in
    /// Scrim's dialect and with Scrim's limits.
    fn reference(pattern: &str) -> Result<regex::bytes::Regex, regex::Error> {
        RegexBuilder::new(pattern)
            .unicode(false)
            .nest_limit(64)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_CACHE)
            .build()
    }

    fn ours(re: &CompiledRegex, haystack: &[u8]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        re.for_each_match(haystack, |a, b| {
            out.push((a, b));
            true
        });
        out
    }

    /// Patterns from the detector tests, the shipped bundles, the fixtures and the
    /// benchmark, plus the cases where leftmost-first, empty matches and bytes matter.
    const PATTERNS: &[&str] = &[
        r"\bEMP-\d{6}\b",
        "EMP-[0-9]{6}",
        "LYL-[0-9]{10}",
        r"M\d{15}",
        r"卡号\d{4}",
        r"\bZ\d+\b",
        "x",
        "[0-9]*",
        r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}",
        r"(?i)\b(?:acct|account)[ #:]*[0-9]{8,12}\b",
        r"\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b",
        "a|ab",
        "ab|a",
        "(?:ab|a)c?",
        "a+?",
        "a*?b",
        r"\B\d+",
        "^x|y$",
        "(?m)^[a-z]+$",
        ".",
        "(?s).{2}",
        "[^a-z ]+",
        r"(?-u:\xFF)+",
        r"\w+\s*=\s*\w+",
        "(a)(b)?(?:c|d)*",
        "(?i)straße",
        "",
    ];

    const HAYSTACKS: &[&[u8]] = &[
        b"",
        b"a",
        b"id EMP-123456, staff EMP-1234567 and EMP-654321.",
        "员工 卡号1234 and 卡号12 Z١٢٣ Z123 Z12x".as_bytes(),
        b"IBAN DE89370400440532013000 de89370400440532013000",
        b"Acct #12345678, ACCOUNT:123456789012, account 1234567",
        b"mail jane.doe@example.org, x@y.z, bob@host.co.uk",
        b"abc ab a abab aaab bbb",
        b"line one\nline two\r\nx\ny",
        b"\xff\xfe bytes \xff\xff not utf-8 \x00 key = value",
        "STRASSE straße Straße — ünïcödé".as_bytes(),
    ];

    #[test]
    fn matches_are_those_of_the_meta_regex() {
        for pattern in PATTERNS {
            let old = reference(pattern).unwrap();
            let new = compile_regex(pattern);
            if pattern.is_empty() {
                assert!(new.is_err(), "the empty pattern is refused");
                continue;
            }
            let new = new.unwrap();
            for haystack in HAYSTACKS {
                let want: Vec<_> = old
                    .find_iter(haystack)
                    .map(|m| (m.start(), m.end()))
                    .collect();
                assert_eq!(ours(&new, haystack), want, "`{pattern}` on {haystack:?}");
                assert_eq!(
                    new.is_match(haystack),
                    old.is_match(haystack),
                    "`{pattern}` on {haystack:?}"
                );
            }
        }
    }

    #[test]
    fn matches_agree_on_the_detector_vectors() {
        // Every string of the detector vectors, against every pattern.
        let mut texts = Vec::new();
        for file in ["cases.json", "generated.json", "packs.json", "quality.json"] {
            let path = format!("{}/tests/data/detect/{file}", env!("CARGO_MANIFEST_DIR"));
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            collect_strings(&json, &mut texts);
        }
        assert!(texts.len() > 100, "{} strings", texts.len());
        for pattern in PATTERNS.iter().filter(|p| !p.is_empty()) {
            let old = reference(pattern).unwrap();
            let new = compile_regex(pattern).unwrap();
            for text in &texts {
                let want: Vec<_> = old
                    .find_iter(text.as_bytes())
                    .map(|m| (m.start(), m.end()))
                    .collect();
                assert_eq!(ours(&new, text.as_bytes()), want, "`{pattern}` on {text:?}");
            }
        }
    }

    fn collect_strings(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|v| collect_strings(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| collect_strings(v, out)),
            _ => {}
        }
    }

    #[test]
    fn refusals_are_those_of_the_meta_regex() {
        let patterns = [
            "EMP-[0-9",
            "ab(c",
            "(?=x)y",
            r"(a)\1",
            r"\p{Greek}",
            "a{2,1}",
            "*a",
            "(?z)a",
            r"\w{1000}\w{1000}\w{1000}",
            "(?:[a-z0-9]{100}){100}",
            "[a-z]{200}[0-9]{200}",
            "(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
            "[0-9]{1000}",
        ];
        for pattern in patterns {
            match (reference(pattern), compile_regex(pattern)) {
                (Ok(_), Ok(_)) => {}
                (Err(regex::Error::Syntax(old)), Err(new)) => {
                    assert_eq!(new.kind, ErrorKind::BadRegex, "`{pattern}`: {new}");
                    assert!(old.contains(&new.summary), "`{pattern}`: {old} vs {new}");
                    assert!(new.span.is_some(), "`{pattern}`: {new}");
                }
                (Err(regex::Error::CompiledTooBig(_)), Err(new)) => {
                    assert_eq!(new.kind, ErrorKind::Limit, "`{pattern}`: {new}");
                }
                (old, new) => panic!("`{pattern}`: {old:?} vs {:?}", new.map(|_| ())),
            }
        }
        let err = compile_regex("EMP-[0-9").unwrap_err();
        assert_eq!(
            err.to_string(),
            "regex error at column 5: unclosed character class"
        );
        assert_eq!(err.caret("EMP-[0-9"), "    EMP-[0-9\n        ^");
    }

    #[test]
    fn the_size_limit_falls_where_it_did() {
        // The largest `[0-9]{n}` each accepts: the same n for both.
        let largest = |ok: &dyn Fn(&str) -> bool| {
            let (mut lo, mut hi) = (1usize, 20_000usize);
            while lo < hi {
                let mid = (lo + hi).div_ceil(2);
                if ok(&format!("[a-z0-9]{{{mid}}}")) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            lo
        };
        let old = largest(&|p| reference(p).is_ok());
        let new = largest(&|p| compile_regex(p).is_ok());
        assert!(old > 1 && old < 20_000, "{old}");
        assert_eq!(new, old);
    }

    #[test]
    fn detectors_stay_shareable_across_threads() {
        let re = std::sync::Arc::new(compile_regex(r"\bEMP-\d{6}\b").unwrap());
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let re = std::sync::Arc::clone(&re);
                std::thread::spawn(move || {
                    let text = format!("EMP-{i:06} and EMP-99999{i}; ").repeat(200);
                    ours(&re, text.as_bytes()).len()
                })
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap(), 400);
        }
    }
}
