//! Property tests of the streaming engine over generated bodies (deterministic generator).
//!
//! Properties: any chunking gives the whole-body output and remarks; valid JSON in gives
//! valid JSON out; redacting the output again changes nothing; no planted value survives.
//! The scanner here finds planted tokens (`pii` + 6 digits, 16-digit runs) so that the
//! properties test the engine, not detection quality.

#![expect(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    reason = "test data generator and fixture scanner; a panic here is a test failure"
)]

use std::collections::BTreeMap;

use scrim_core::policy::{MethodTable, Overrides, Policy, RunOptions, redact_all};
use scrim_core::redact::{HashKey, MaskSpec, Method};
use scrim_core::select::{FieldAction, FieldRule, FieldRules};
use scrim_core::stream::{Format, Hit, KeyForce, Scanner};
use serde_json::Value;

struct Planted;

#[derive(PartialEq)]
enum Key {
    Plain,
    Password,
}

impl Scanner for Planted {
    type Key = Key;
    type Finding = Hit;
    fn classify_key(&self, key: &str) -> Key {
        if key == "password" {
            Key::Password
        } else {
            Key::Plain
        }
    }
    fn key_force<'a>(&'a self, key: &'a Key) -> KeyForce<'a> {
        match key {
            Key::Password => KeyForce::Force {
                category: "credentials",
                detector: None,
            },
            Key::Plain => KeyForce::Scan,
        }
    }
    fn scan(&self, text: &str, _key: Option<&Key>, out: &mut Vec<Hit>) {
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_digit() {
                let s = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let planted = s >= 3 && &b[s - 3..s] == b"pii" && i - s == 6;
                if planted && out.last().is_none_or(|h: &Hit| h.end <= s - 3) {
                    out.push(Hit {
                        start: s - 3,
                        end: i,
                        detector: 0,
                    });
                } else if i - s == 16 {
                    out.push(Hit {
                        start: s,
                        end: i,
                        detector: 1,
                    });
                }
            } else {
                i += 1;
            }
        }
    }
    fn hit(&self, finding: &Hit) -> Hit {
        *finding
    }

    fn detector(&self, index: u16) -> (&str, &str) {
        if index == 0 {
            ("planted", "contact")
        } else {
            ("card", "financial")
        }
    }
}

fn detected(text: &str) -> usize {
    let mut hits = Vec::new();
    Planted.scan(text, None, &mut hits);
    hits.len()
}

/// xorshift64*: small, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const WORDS: [&str; 8] = [
    "hello",
    "中文地址",
    "a b",
    "q\"uote",
    "back\\slash",
    "tab\tnl\n",
    "😀",
    "x",
];
const KEYS: [&str; 8] = ["a", "note", "password", "items", "na/me", "k~", "用户", "n"];

fn ws(r: &mut Rng, out: &mut String) {
    if r.chance(20) {
        out.push_str([" ", "\n", "  ", "\t", " \r\n "][r.below(5) as usize]);
    }
}

fn write_str(r: &mut Rng, s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if r.chance(15) => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{:04X}", u));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn planted(r: &mut Rng) -> String {
    format!("pii{:06}", r.below(1_000_000))
}

fn gen_string(r: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..r.below(4) {
        match r.below(6) {
            0 => s.push_str(&planted(r)),
            1 => s.push_str(&format!(
                "{}",
                4_000_000_000_000_000u64 + r.below(999_999_999_999_999)
            )),
            _ => s.push_str(WORDS[r.below(WORDS.len() as u64) as usize]),
        }
        if r.chance(60) {
            s.push(' ');
        }
    }
    s
}

fn gen_value(r: &mut Rng, depth: u32, out: &mut String) {
    let kind = if depth > 4 {
        2 + r.below(3)
    } else {
        r.below(6)
    };
    match kind {
        0 => {
            out.push('{');
            let n = r.below(4);
            for i in 0..n {
                if i > 0 {
                    out.push(',');
                }
                ws(r, out);
                let k = KEYS[r.below(KEYS.len() as u64) as usize];
                write_str(r, k, out);
                ws(r, out);
                out.push(':');
                ws(r, out);
                gen_value(r, depth + 1, out);
                ws(r, out);
            }
            out.push('}');
        }
        1 => {
            out.push('[');
            let n = r.below(4);
            for i in 0..n {
                if i > 0 {
                    out.push(',');
                }
                ws(r, out);
                gen_value(r, depth + 1, out);
                ws(r, out);
            }
            out.push(']');
        }
        2 | 5 => {
            let s = gen_string(r);
            write_str(r, &s, out);
        }
        3 => match r.below(4) {
            0 => out.push_str(&format!(
                "{}",
                9_000_000_000_000_000u64 + r.below(999_999_999_999_999)
            )),
            1 => out.push_str(&format!(
                "-{}.{}e{}",
                r.below(1000),
                r.below(100),
                r.below(5)
            )),
            _ => out.push_str(&format!("{}", r.below(100_000))),
        },
        _ => out.push_str(["true", "false", "null"][r.below(3) as usize]),
    }
}

fn gen_doc(r: &mut Rng) -> String {
    let mut s = String::new();
    ws(r, &mut s);
    gen_value(r, 0, &mut s);
    ws(r, &mut s);
    s
}

fn policy(methods: &[Method], r: &mut Rng) -> Policy<Planted> {
    let pick = |r: &mut Rng| methods[r.below(methods.len() as u64) as usize].clone();
    let mut t = MethodTable {
        default: pick(r),
        ..MethodTable::default()
    };
    for c in ["contact", "financial", "credentials", "identity"] {
        t.categories.insert(c.into(), pick(r));
    }
    let fields = FieldRules::new(vec![
        FieldRule::new(
            "items",
            FieldAction::Force("identity".into()),
            &["$.items[*]", "**.n"],
            &[],
        )
        .unwrap(),
    ]);
    Policy::from_parts(
        Planted,
        fields,
        t,
        BTreeMap::<String, Overrides>::new(),
        BTreeMap::new(),
    )
}

fn chunked(
    p: &Policy<Planted>,
    f: Format,
    opts: &RunOptions<'_>,
    input: &[u8],
    r: &mut Rng,
) -> (Vec<u8>, scrim_core::remark::Summary) {
    let mut red = p.redactor(f, opts).unwrap();
    let mut out = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let bound = if r.chance(50) { 4 } else { 64 };
        let n = (1 + r.below(bound) as usize).min(rest.len());
        red.push(&rest[..n], &mut out).unwrap();
        rest = &rest[n..];
    }
    let s = red.finish(&mut out).unwrap();
    (out, s)
}

fn survivors(v: &Value) -> usize {
    match v {
        Value::String(s) => detected(s),
        Value::Number(n) if n.is_u64() => detected(&n.to_string()),
        Value::Array(a) => a.iter().map(survivors).sum(),
        Value::Object(o) => o.values().map(survivors).sum(),
        _ => 0,
    }
}

fn all_methods() -> Vec<Method> {
    vec![
        Method::Replace {
            template: "[{category}]".into(),
        },
        Method::Remove,
        Method::Null,
        Method::Mask(MaskSpec::default()),
        Method::Mask(MaskSpec {
            keep_first: Some(1),
            ..MaskSpec::default()
        }),
        Method::Hash { length: 8 },
    ]
}

#[test]
fn json_any_chunking_same_output_valid_json_nothing_survives() {
    let mut r = Rng(0x5eed_1234_abcd_0001);
    let key = HashKey::new(b"test key");
    let mut total = 0usize;
    for case in 0..400 {
        let p = policy(&all_methods(), &mut r);
        let opts = RunOptions {
            hmac_key: Some(key.clone()),
            ..RunOptions::default()
        };
        let doc = gen_doc(&mut r);
        let parsed: Value =
            serde_json::from_str(&doc).unwrap_or_else(|e| panic!("generator bug {e}: {doc}"));
        let (whole, summary) = redact_all(&p, Format::Json, &opts, doc.as_bytes()).unwrap();
        total += summary.remarks.len();
        for _ in 0..3 {
            let (out, s) = chunked(&p, Format::Json, &opts, doc.as_bytes(), &mut r);
            assert_eq!(
                out, whole,
                "case {case}: chunking changed the output of {doc}"
            );
            assert_eq!(s, summary, "case {case}: chunking changed the remarks");
        }
        let text = String::from_utf8(whole).unwrap();
        let out: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("case {case}: invalid output {e}: {doc} -> {text}"));
        assert_eq!(
            survivors(&out),
            0,
            "case {case}: planted value survived: {doc} -> {text}"
        );
        if survivors(&parsed) > 0 {
            assert!(
                !summary.remarks.is_empty(),
                "case {case}: findings without remarks"
            );
        }
        // every remark range lies inside the input
        for rm in &summary.remarks {
            assert!(rm.range[0] <= rm.range[1] && rm.range[1] as usize <= doc.len());
        }
    }
    assert!(
        total > 100,
        "the generator planted too little: {total} remarks"
    );
}

#[test]
fn redacting_twice_changes_nothing_more() {
    let mut r = Rng(0x5eed_1234_abcd_0002);
    let methods = [
        Method::Replace {
            template: "[{category}]".into(),
        },
        Method::Mask(MaskSpec::default()),
        Method::Mask(MaskSpec {
            keep_last: Some(2),
            ..MaskSpec::default()
        }),
    ];
    for case in 0..300 {
        let p = policy(&methods, &mut r);
        let doc = gen_doc(&mut r);
        let opts = RunOptions::default();
        let (once, _) = redact_all(&p, Format::Json, &opts, doc.as_bytes()).unwrap();
        let (twice, _) = redact_all(&p, Format::Json, &opts, &once).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&twice),
            String::from_utf8_lossy(&once),
            "case {case}: second pass changed {doc}"
        );
    }
}

#[test]
fn ndjson_and_text_any_chunking_same_output() {
    let mut r = Rng(0x5eed_1234_abcd_0003);
    for case in 0..150 {
        let p = policy(&all_methods()[..4], &mut r);
        let opts = RunOptions::default();
        let mut nd = String::new();
        let mut text = String::new();
        for _ in 0..r.below(5) {
            let mut line = String::new();
            gen_value(&mut r, 0, &mut line);
            nd.push_str(&line.replace(['\n', '\r'], " "));
            nd.push('\n');
            text.push_str(&gen_string(&mut r));
            text.push_str(if r.chance(50) { "\n" } else { " " });
        }
        for (f, input) in [(Format::Ndjson, &nd), (Format::Text, &text)] {
            let (whole, summary) = redact_all(&p, f, &opts, input.as_bytes()).unwrap();
            let (out, s) = chunked(&p, f, &opts, input.as_bytes(), &mut r);
            assert_eq!(out, whole, "case {case} {f:?}: {input:?}");
            assert_eq!(s, summary);
            if f == Format::Text {
                assert_eq!(
                    detected(&String::from_utf8_lossy(&whole)),
                    0,
                    "case {case}: {input:?}"
                );
            } else {
                for line in String::from_utf8(whole)
                    .unwrap()
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                {
                    let v: Value = serde_json::from_str(line).unwrap();
                    assert_eq!(survivors(&v), 0);
                }
            }
        }
    }
}
