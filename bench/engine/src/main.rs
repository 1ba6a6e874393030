//! `scrim-bench-engine`: how much faster the streaming engine is than the naive pipeline.
//!
//! Generates a deterministic corpus of typical API JSON (ids, UUIDs, timestamps, notes in
//! English and Chinese, about one piece of personal data per 500 bytes), then measures, in the
//! same run and on the same bytes:
//!
//! * **scrim**: `Policy::compile` once, then the streaming redactor over 64 KiB chunks;
//! * **baseline**: `serde_json::Value` parse, one `regex` per entity over every string
//!   (`replace_all`), serialize — what a first implementation usually looks like.
//!
//! Prints MB/s for both and the ratio. Run: `cargo run --release -p scrim-bench -- [MB]`.

use std::time::Instant;

use regex::Regex;
use scrim_core::bundle::Bundle;
use scrim_core::policy::{CompileOptions, Policy, RunOptions};
use scrim_core::stream::Format;
use serde_json::Value;

const BUNDLE: &str = r#"{
  "scrim": 1, "name": "bench", "revision": "1",
  "categories": [
    {"id": "contact", "label": "Contact"}, {"id": "government_id", "label": "Ids"},
    {"id": "financial", "label": "Financial"}, {"id": "credentials", "label": "Secrets"},
    {"id": "online_id", "label": "Online"}, {"id": "identity", "label": "Identity"},
    {"id": "location", "label": "Location"}
  ],
  "redaction": {"default": {"method": "replace", "template": "[{category}]"}}
}"#;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn luhn_complete(prefix: &str) -> String {
    let digits: Vec<u32> = prefix.chars().filter_map(|c| c.to_digit(10)).collect();
    let mut sum = 0;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = *d;
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    format!("{prefix}{}", (10 - sum % 10) % 10)
}

fn record(r: &mut Rng, i: u64) -> String {
    let uuid = format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        r.next() as u32,
        r.below(0x10000),
        r.below(0x1000),
        r.below(0x1000),
        r.next() & 0xffff_ffff_ffff
    );
    let pii = match r.below(5) {
        0 => format!("contact: user{}@example.com", r.below(100_000)),
        1 => format!("联系电话 138{:08}", r.below(100_000_000)),
        2 => format!(
            "card {}",
            luhn_complete(&format!("411111{:09}", r.below(1_000_000_000)))
        ),
        3 => format!("from 203.0.113.{}", r.below(255)),
        _ => String::from("no personal data in this note"),
    };
    format!(
        concat!(
            "{{\"id\":{},\"order_id\":\"ORD-{:010}\",\"uuid\":\"{}\",\"created_at\":{},",
            "\"status\":\"shipped\",\"amount\":{}.{:02},\"currency\":\"EUR\",",
            "\"items\":[{{\"sku\":\"SKU-{:06}\",\"qty\":{},\"title\":\"Blue widget, large\"}},",
            "{{\"sku\":\"SKU-{:06}\",\"qty\":1,\"title\":\"蓝色小部件\"}}],",
            "\"note\":\"{}\",\"shipping\":{{\"method\":\"express\",\"carrier\":\"DHL\",",
            "\"tracking\":\"JD{:012}\",\"eta_days\":{}}},\"flags\":{{\"gift\":false,\"priority\":true}},",
            "\"description\":\"Customer asked for delivery before noon; leave at the reception desk if nobody answers.\"}}"
        ),
        i,
        r.below(10_000_000_000),
        uuid,
        1_732_000_000_000 + r.below(1_000_000_000),
        r.below(1000),
        r.below(100),
        r.below(1_000_000),
        1 + r.below(5),
        r.below(1_000_000),
        pii,
        r.below(1_000_000_000_000),
        r.below(9),
    )
}

fn corpus(mb: usize) -> Vec<u8> {
    let mut r = Rng(0x2545_f491_4f6c_dd1d);
    let mut out = String::from("{\"orders\":[");
    let mut i = 0;
    while out.len() < mb << 20 {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&record(&mut r, i));
        i += 1;
    }
    out.push_str("]}");
    out.into_bytes()
}

fn baseline_patterns() -> Vec<(Regex, &'static str)> {
    [
        (
            r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
            "[contact]",
        ),
        (r"\b1[3-9][0-9]{9}\b", "[contact]"),
        (r"\b[0-9]{13,19}\b", "[financial]"),
        (r"\b[0-9]{17}[0-9Xx]\b", "[government_id]"),
        (r"\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b", "[online_id]"),
        (r"\b[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\b", "[financial]"),
        (
            r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
            "[credentials]",
        ),
        (r"\bAKIA[0-9A-Z]{16}\b", "[credentials]"),
    ]
    .into_iter()
    .map(|(p, t)| {
        (
            Regex::new(p).unwrap_or_else(|e| panic!("bad baseline pattern: {e}")),
            t,
        )
    })
    .collect()
}

fn baseline_walk(v: &mut Value, pats: &[(Regex, &str)]) {
    match v {
        Value::String(s) => {
            for (re, t) in pats {
                if let std::borrow::Cow::Owned(n) = re.replace_all(s, *t) {
                    *s = n;
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| baseline_walk(x, pats)),
        Value::Object(o) => o.values_mut().for_each(|x| baseline_walk(x, pats)),
        _ => {}
    }
}

fn collect_strings(v: &Value, key: Option<&str>, out: &mut Vec<(Option<String>, String)>) {
    match v {
        Value::String(s) => out.push((key.map(String::from), s.clone())),
        Value::Number(n) => out.push((key.map(String::from), n.to_string())),
        Value::Array(a) => a.iter().for_each(|x| collect_strings(x, key, out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| collect_strings(x, Some(k), out)),
        _ => {}
    }
}

fn best_of<F: FnMut() -> usize>(runs: usize, mut f: F) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut size = 0;
    for _ in 0..runs {
        let t = Instant::now();
        size = f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, size)
}

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(8);
    let input = corpus(mb);
    let megabytes = input.len() as f64 / (1u64 << 20) as f64;
    let bundle = Bundle::from_json(BUNDLE).unwrap_or_else(|e| panic!("bench bundle: {e}"));
    let policy = Policy::compile(&bundle, &CompileOptions::default())
        .unwrap_or_else(|e| panic!("bench bundle: {e}"));
    let opts = RunOptions::default();

    let mut findings = 0;
    let (t_scrim, out_len) = best_of(5, || {
        let mut r = policy
            .redactor(Format::Json, &opts)
            .unwrap_or_else(|e| panic!("redactor: {e}"));
        let mut out = Vec::with_capacity(input.len() + input.len() / 8);
        for chunk in input.chunks(64 * 1024) {
            r.push(chunk, &mut out)
                .unwrap_or_else(|e| panic!("redact: {e}"));
        }
        let s = r.finish(&mut out).unwrap_or_else(|e| panic!("redact: {e}"));
        findings = s.remarks.len();
        out.len()
    });

    let pats = baseline_patterns();
    let (t_base, base_len) = best_of(3, || {
        let mut v: Value = serde_json::from_slice(&input).unwrap_or_else(|e| panic!("parse: {e}"));
        baseline_walk(&mut v, &pats);
        serde_json::to_vec(&v).map(|o| o.len()).unwrap_or(0)
    });

    // Detection alone over the same decoded strings (collected beforehand, not timed).
    let mut strings = Vec::new();
    collect_strings(
        &serde_json::from_slice(&input).unwrap_or(Value::Null),
        None,
        &mut strings,
    );
    let det = policy.scanner();
    let (t_detect, _) = best_of(3, || {
        let mut f = Vec::new();
        for (k, s) in &strings {
            let class = k.as_deref().map(|k| det.classify_key(k));
            det.scan(
                s,
                &scrim_core::detect::ScanContext {
                    key: class.as_ref(),
                },
                &mut f,
            );
        }
        f.len()
    });
    println!(
        "detection alone:        {:8.1} MiB/s  (same strings, no tokenizing)",
        megabytes / t_detect
    );
    println!(
        "corpus: {megabytes:.1} MiB of order JSON, {findings} findings (one per {:.0} bytes)",
        input.len() as f64 / findings.max(1) as f64
    );
    println!(
        "scrim streaming engine: {:8.1} MiB/s  (output {out_len} bytes)",
        megabytes / t_scrim
    );
    println!(
        "baseline DOM + regex:   {:8.1} MiB/s  (output {base_len} bytes)",
        megabytes / t_base
    );
    println!("ratio scrim / baseline: {:8.2}x", t_base / t_scrim);
}
