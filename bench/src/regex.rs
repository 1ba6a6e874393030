//! `scrim-bench regex`: custom-regex speed, Scrim's matcher (`compile_regex`: a lazy DFA)
//! vs the meta regex Scrim shipped before (the `regex` crate's bytes regex with the same
//! dialect and limits: ASCII, byte-oriented, 256 KiB NFA, 512 KiB lazy-DFA cache, literal
//! prefilters), on the same generated text, side by side in one run.

use std::time::{Duration, Instant};

use ::regex::bytes::{Regex as MetaRegex, RegexBuilder};
use scrim_core::detect::{CompiledRegex, REGEX_SIZE_LIMIT, compile_regex};

/// Patterns a bundle's custom detectors use (the table in BENCHMARKS.md).
const PATTERNS: [&str; 4] = [
    r"\bEMP-[0-9]{6}\b",
    r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}",
    r"(?i)\b(?:acct|account)[ #:]*[0-9]{8,12}\b",
    r"\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b",
];

const WORDS: [&str; 16] = [
    "order", "shipped", "customer", "Account", "note", "the", "of", "payment", "EMP-", "id", "DE",
    "status", "pending", "mail", "@", "review",
];

/// `count` short string values (5..20 words each) from a fixed seed, some with matches.
fn values(count: usize) -> Vec<String> {
    let mut seed: u64 = 0x5c12_1a7e;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    (0..count)
        .map(|_| {
            let mut v = String::new();
            for _ in 0..5 + next() % 16 {
                if !v.is_empty() {
                    v.push(' ');
                }
                match next() % 200 {
                    0 => v.push_str(&format!("EMP-{:06}", next() % 1_000_000)),
                    1 => v.push_str(&format!("DE{:02}{:018}", next() % 100, next())),
                    2 => v.push_str(&format!("acct #{:010}", next() % 10_000_000_000)),
                    3 => v.push_str(&format!("user{}@example.org", next() % 1000)),
                    _ => v.push_str(WORDS[next() % WORDS.len()]),
                }
            }
            v
        })
        .collect()
}

fn meta(pattern: &str) -> MetaRegex {
    RegexBuilder::new(pattern)
        .unicode(false)
        .nest_limit(64)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(512 * 1024)
        .build()
        .unwrap_or_else(|e| panic!("`{pattern}`: {e}"))
}

/// Best time of `runs` over `texts`, and the matches found in one pass.
fn time(runs: usize, texts: &[&[u8]], mut find: impl FnMut(&[u8]) -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut found = 0;
    for _ in 0..runs {
        let t = Instant::now();
        found = texts.iter().map(|s| find(s)).sum();
        best = best.min(t.elapsed());
    }
    (best, found)
}

fn ours(re: &CompiledRegex, s: &[u8]) -> usize {
    let mut n = 0;
    re.for_each_match(s, |_, _| {
        n += 1;
        true
    });
    n
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// Prints the table: short values, then the same text as one long string.
pub fn run(count: usize, runs: usize) {
    let values = values(count);
    let short: Vec<&[u8]> = values.iter().map(String::as_bytes).collect();
    let joined = values.join(" ");
    let long: [&[u8]; 1] = [joined.as_bytes()];
    println!(
        "{count} values ({} bytes), then one {}-byte string; best of {runs} runs",
        joined.len() + 1 - count,
        joined.len()
    );
    println!("| pattern | matches | meta regex short / long | lazy DFA short / long |");
    println!("|---|---:|---|---|");
    for pattern in PATTERNS {
        let old = meta(pattern);
        let new = compile_regex(pattern).unwrap_or_else(|e| panic!("`{pattern}`: {e}"));
        let (old_short, n_old) = time(runs, &short, |s| old.find_iter(s).count());
        let (new_short, n_new) = time(runs, &short, |s| ours(&new, s));
        let (old_long, l_old) = time(runs, &long, |s| old.find_iter(s).count());
        let (new_long, l_new) = time(runs, &long, |s| ours(&new, s));
        assert_eq!(
            (n_old, l_old),
            (n_new, l_new),
            "`{pattern}`: match counts differ"
        );
        println!(
            "| `{}` | {n_new} / {l_new} | {} / {} | {} / {} |",
            pattern.replace('|', "\\|"),
            ms(old_short),
            ms(old_long),
            ms(new_short),
            ms(new_long)
        );
    }
}
