//! Engine behaviour, with the stand-in scanner from `testing`.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::testing::TestScanner;
use super::*;
use crate::policy::{Overrides, Policy, RunOptions, redact_all};
use crate::redact::{MaskPreset, MaskSpec};
use crate::select::{FieldAction, FieldRule};

fn table(entries: &[(&str, Method)]) -> MethodTable {
    let mut t = MethodTable::default();
    for (c, m) in entries {
        t.categories.insert(c.to_string(), m.clone());
    }
    t
}

fn policy(methods: MethodTable, fields: Vec<FieldRule>) -> Policy<TestScanner> {
    let mut audiences = BTreeMap::new();
    let mut support = Overrides::default();
    support.categories.insert("contact".into(), Method::Remove);
    audiences.insert("support".to_string(), support);
    Policy::from_parts(
        TestScanner,
        FieldRules::new(fields),
        methods,
        audiences,
        BTreeMap::new(),
    )
}

fn default_policy() -> Policy<TestScanner> {
    let mut t = table(&[
        ("contact", Method::Mask(MaskSpec::preset(MaskPreset::Email))),
        (
            "financial",
            Method::Mask(MaskSpec::preset(MaskPreset::Card)),
        ),
        ("credentials", Method::Remove),
    ]);
    t.detectors.insert(
        "cn_mobile".into(),
        Method::Mask(MaskSpec::preset(MaskPreset::Phone)),
    );
    policy(t, Vec::new())
}

fn run(p: &Policy<TestScanner>, f: Format, input: &str) -> (String, Summary) {
    let (out, s) = redact_all(p, f, &RunOptions::default(), input.as_bytes()).unwrap();
    (String::from_utf8(out).unwrap(), s)
}

fn run_chunked(
    p: &Policy<TestScanner>,
    f: Format,
    input: &[u8],
    sizes: &[usize],
) -> Result<(Vec<u8>, Summary), RedactError> {
    let mut r = p.redactor(f, &RunOptions::default())?;
    let mut out = Vec::new();
    let mut rest = input;
    let mut k = 0;
    while !rest.is_empty() {
        let n = sizes[k % sizes.len()].clamp(1, rest.len());
        r.push(&rest[..n], &mut out)?;
        rest = &rest[n..];
        k += 1;
    }
    let s = r.finish(&mut out)?;
    Ok((out, s))
}

#[test]
fn json_without_findings_is_byte_identical() {
    let p = default_policy();
    let input = "{ \"a\" : [1, 2.5e3, -0, true, null, \"x\\ny\"],\n  \"b\": {}, \"c\": [ ] }\n";
    let (out, s) = run(&p, Format::Json, input);
    assert_eq!(out, input);
    assert!(s.remarks.is_empty());
}

#[test]
fn json_values_are_redacted_in_place_and_stay_valid() {
    let p = default_policy();
    let input =
        r#"{"note":"mail john@example.com or call 13812345678","card":4111111111111111,"n":1}"#;
    let (out, s) = run(&p, Format::Json, input);
    assert_eq!(
        out,
        r#"{"note":"mail j***@example.com or call 138****5678","card":"411111******1111","n":1}"#
    );
    serde_json::from_str::<serde_json::Value>(&out).unwrap();
    assert_eq!(s.counts.get("contact"), Some(&2));
    assert_eq!(s.counts.get("financial"), Some(&1));
    // ranges point at the original bytes; pointers name the member
    let r = &s.remarks[0];
    assert_eq!(
        &input[r.range[0] as usize..r.range[1] as usize],
        "john@example.com"
    );
    assert_eq!(r.pointer.as_deref(), Some("/note"));
    assert_eq!(r.rule, "detector:email");
    let r = &s.remarks[2];
    assert_eq!(
        &input[r.range[0] as usize..r.range[1] as usize],
        "4111111111111111"
    );
}

#[test]
fn escapes_are_decoded_before_detection_and_kept_elsewhere() {
    let p = default_policy();
    let input = r#"["\u0041 a\u0040b.com \ud83d\ude00", "\u0031\u0033812345678"]"#;
    let (out, s) = run(&p, Format::Json, input);
    assert_eq!(out, r#"["\u0041 a***@b.com \ud83d\ude00", "138****5678"]"#);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0], "A a***@b.com 😀");
    let r = &s.remarks[0];
    assert_eq!(
        &input[r.range[0] as usize..r.range[1] as usize],
        r"a\u0040b.com"
    );
    assert_eq!(s.remarks[1].pointer.as_deref(), Some("/1"));
}

#[test]
fn remove_drops_members_and_elements_keeping_json_valid() {
    let p = policy(table(&[("contact", Method::Remove)]), Vec::new());
    let cases = [
        (r#"{"a":"x@y.com","b":1}"#, r#"{"b":1}"#),
        (r#"{"b":1, "a":"x@y.com"}"#, r#"{"b":1}"#),
        (r#"{"b":1, "a":"x@y.com", "c":2}"#, r#"{"b":1, "c":2}"#),
        (r#"{"a":"x@y.com", "b":"x@y.com"}"#, r#"{}"#),
        (r#"[ "x@y.com" , 1, "x@y.com" ]"#, r#"[  1 ]"#),
        (r#"["x@y.com"]"#, r#"[]"#),
        (r#""x@y.com""#, r#"null"#),
        (r#"{"n":"see x@y.com now"}"#, r#"{"n":"see  now"}"#),
    ];
    for (input, want) in cases {
        let (out, _) = run(&p, Format::Json, input);
        assert_eq!(out, want, "input {input}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap();
    }
}

#[test]
fn keys_force_and_suppress() {
    let p = default_policy();
    let input = r#"{"user":{"password":"hunter2","order_id":"4111111111111111","x":1}}"#;
    let (out, s) = run(&p, Format::Json, input);
    assert_eq!(out, r#"{"user":{"order_id":"4111111111111111","x":1}}"#);
    assert_eq!(s.remarks.len(), 1);
    assert_eq!(s.remarks[0].rule, "key:credentials");
    assert_eq!(s.remarks[0].pointer.as_deref(), Some("/user/password"));
}

#[test]
fn field_rules_force_and_ignore_with_inheritance() {
    let fields = alloc::vec![
        FieldRule::new(
            "user-email",
            FieldAction::Force("contact".into()),
            &["$.users[*].email"],
            &[]
        )
        .unwrap(),
        FieldRule::new("raw", FieldAction::Ignore, &["**.debug"], &[]).unwrap(),
        FieldRule::new(
            "names",
            FieldAction::Force("identity".into()),
            &[],
            &["fullName"]
        )
        .unwrap(),
    ];
    let p = policy(
        table(&[
            (
                "contact",
                Method::Replace {
                    template: "[{category}]".into(),
                },
            ),
            ("identity", Method::Null),
        ]),
        fields,
    );
    let input =
        r#"{"users":[{"email":"not-an-email","full_name":["Ann","Lee"]}],"debug":{"m":"a@b.co"}}"#;
    let (out, s) = run(&p, Format::Json, input);
    assert_eq!(
        out,
        r#"{"users":[{"email":"[contact]","full_name":[null,null]}],"debug":{"m":"a@b.co"}}"#
    );
    assert_eq!(s.remarks[0].rule, "field:user-email");
    assert_eq!(s.remarks[0].pointer.as_deref(), Some("/users/0/email"));
    assert_eq!(
        s.remarks[2].pointer.as_deref(),
        Some("/users/0/full_name/1")
    );
}

#[test]
fn audiences_override_methods_and_unknown_ones_are_refused() {
    let p = default_policy();
    let opts = RunOptions {
        audience: Some("support"),
        ..RunOptions::default()
    };
    let (out, _) = redact_all(&p, Format::Json, &opts, br#"{"a":"x@y.com","b":2}"#).unwrap();
    assert_eq!(out, br#"{"b":2}"#);
    let opts = RunOptions {
        audience: Some("nope"),
        ..RunOptions::default()
    };
    let err = redact_all(&p, Format::Json, &opts, b"{}").unwrap_err();
    assert_eq!(err, RedactError::UnknownAudience("nope".into()));
}

#[test]
fn hash_fails_closed_without_a_key_and_is_stable_with_one() {
    let p = policy(
        table(&[("contact", Method::Hash { length: 12 })]),
        Vec::new(),
    );
    let err = redact_all(&p, Format::Json, &RunOptions::default(), b"{}").unwrap_err();
    assert_eq!(err, RedactError::MissingHashKey);
    let opts = RunOptions {
        hmac_key: Some(HashKey::new(b"k")),
        ..RunOptions::default()
    };
    let (out, _) = redact_all(
        &p,
        Format::Json,
        &opts,
        br#"["a@b.com","a@b.com","c@b.com"]"#,
    )
    .unwrap();
    let v: Vec<String> = serde_json::from_slice(&out).unwrap();
    assert!(v[0].starts_with("tok_contact_") && v[0].len() == "tok_contact_".len() + 12);
    assert_eq!(v[0], v[1]);
    assert_ne!(v[0], v[2]);
}

#[test]
fn every_chunking_gives_the_same_output() {
    let p = policy(
        table(&[
            ("contact", Method::Remove),
            (
                "financial",
                Method::Mask(MaskSpec::preset(MaskPreset::Card)),
            ),
        ]),
        Vec::new(),
    );
    let cases: [(Format, &str); 4] = [
        (
            Format::Json,
            r#"{"a":"x@y.com", "b" : [4111111111111111, "t \u0061@b.com", 13812345678], "password":"p", "c":{"d":null}}"#,
        ),
        (
            Format::Ndjson,
            "{\"a\":\"x@y.com\"}\n\n[1,\"13812345678\"]\n\"q@r.st\"\n",
        ),
        (
            Format::FormUrlEncoded,
            "a=x%40y.com&b=hi+13812345678+there&&c&d=4111111111111111",
        ),
        (
            Format::Text,
            "mail x@y.com\nor 13812345678, card 4111 1111 4111111111111111 done",
        ),
    ];
    for (f, input) in cases {
        let (whole, ws) = run_chunked(&p, f, input.as_bytes(), &[usize::MAX]).unwrap();
        for n in 1..input.len() {
            let (out, s) = run_chunked(&p, f, input.as_bytes(), &[n]).unwrap();
            assert_eq!(out, whole, "{f:?} chunk {n}");
            assert_eq!(s, ws, "{f:?} chunk {n}");
            let (out, _) = run_chunked(&p, f, input.as_bytes(), &[n, 1, 3]).unwrap();
            assert_eq!(out, whole, "{f:?} chunks {n},1,3");
        }
    }
}

#[test]
fn ndjson_pointers_start_with_the_line_index() {
    let p = default_policy();
    let (out, s) = run(&p, Format::Ndjson, "{\"a\":1}\n\n{\"e\":\"x@y.com\"}\n");
    assert_eq!(out, "{\"a\":1}\n\n{\"e\":\"x***@y.com\"}\n");
    assert_eq!(s.remarks[0].pointer.as_deref(), Some("/2/e"));
}

#[test]
fn form_values_are_decoded_and_re_encoded() {
    let p = default_policy();
    let input = "password=s3cret&email=john%40example.com&q=call+13812345678+now&x";
    let (out, s) = run(&p, Format::FormUrlEncoded, input);
    assert_eq!(out, "email=j***%40example.com&q=call+138****5678+now&x");
    assert_eq!(s.remarks[1].pointer.as_deref(), Some("/email"));
    let r = &s.remarks[1];
    assert_eq!(
        &input[r.range[0] as usize..r.range[1] as usize],
        "john%40example.com"
    );
}

#[test]
fn text_is_scanned_across_chunks() {
    let p = default_policy();
    let input = "联系方式：13812345678。 mail: a.b@example.org";
    let (out, s) = run(&p, Format::Text, input);
    assert_eq!(out, "联系方式：138****5678。 mail: a***@example.org");
    assert_eq!(s.remarks.len(), 2);
    assert_eq!(s.remarks[0].pointer, None);
}

#[test]
fn malformed_json_is_refused_with_line_and_column() {
    let p = default_policy();
    let cases: [(&str, &str); 7] = [
        ("{\n  \"a\" 1}", "line 2, column 7"),
        ("[1,]", "line 1, column 4"),
        ("{\"a\":tru}", "line 1, column 6"),
        ("[01]", "line 1, column 2"),
        ("[\"a\\qb\"]", "line 1, column 4"),
        ("{} x", "line 1, column 4"),
        ("[1}", "line 1, column 3"),
    ];
    for (input, at) in cases {
        let e = redact_all(&p, Format::Json, &RunOptions::default(), input.as_bytes()).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(at), "{input:?}: {msg}");
    }
    let e = redact_all(&p, Format::Json, &RunOptions::default(), b"{\"a\":\"x").unwrap_err();
    assert!(matches!(e, RedactError::Truncated { .. }), "{e}");
    let e = redact_all(&p, Format::Json, &RunOptions::default(), b"[\"\xff\"]").unwrap_err();
    assert!(matches!(e, RedactError::InvalidUtf8 { .. }), "{e}");
}

#[test]
fn limits_are_enforced() {
    let p = default_policy();
    let limits = Limits {
        max_depth: 3,
        max_token_bytes: 8,
        max_findings: 2,
        max_body_bytes: 64,
    };
    let opts = RunOptions {
        limits,
        ..RunOptions::default()
    };
    let e = redact_all(&p, Format::Json, &opts, b"[[[[1]]]]").unwrap_err();
    assert!(matches!(e, RedactError::TooDeep { limit: 3, .. }));
    let e = redact_all(&p, Format::Json, &opts, b"[\"0123456789\"]").unwrap_err();
    assert!(matches!(
        e,
        RedactError::TokenTooLarge {
            offset: 1,
            limit: 8
        }
    ));
    let e = redact_all(&p, Format::Json, &opts, b"[1,             2]").unwrap_err();
    assert!(matches!(e, RedactError::TokenTooLarge { .. }), "{e}");
    let e = redact_all(&p, Format::Text, &opts, &[b'a'; 65]).unwrap_err();
    assert!(matches!(e, RedactError::BodyTooLarge { limit: 64 }));
    let opts = RunOptions {
        limits: Limits {
            max_findings: 2,
            ..Limits::default()
        },
        ..RunOptions::default()
    };
    let e = redact_all(&p, Format::Json, &opts, br#"["a@b.co","a@b.co","a@b.co"]"#).unwrap_err();
    assert!(matches!(e, RedactError::TooManyFindings { limit: 2 }));
}

#[test]
fn content_types_map_to_formats() {
    assert_eq!(
        Format::from_content_type("Application/JSON"),
        Some(Format::Json)
    );
    assert_eq!(
        Format::from_content_type("application/x-ndjson"),
        Some(Format::Ndjson)
    );
    assert_eq!(
        Format::from_content_type("application/x-www-form-urlencoded; charset=utf-8"),
        Some(Format::FormUrlEncoded)
    );
    assert_eq!(Format::from_content_type("text/plain"), Some(Format::Text));
}

#[test]
fn counts_match_the_remarks_with_many_categories_in_one_body() {
    // More categories than the engine counts on the side (the rest go to the map directly),
    // each seen more than once, with field rules and detectors naming some of the same ones.
    let categories = ["c0", "c1", "c2", "c3", "c4", "c5", "contact", "financial"];
    let fields: Vec<FieldRule> = categories
        .iter()
        .map(|c| {
            let key = alloc::format!("k_{c}");
            FieldRule::new(c, FieldAction::Force((*c).into()), &[], &[key.as_str()]).unwrap()
        })
        .collect();
    let p = policy(MethodTable::default(), fields);
    let mut input = String::from("[");
    for round in 0..3 {
        for c in categories.iter().rev() {
            input.push_str(&alloc::format!(
                r#"{{"k_{c}":"v{round}","m":"a@b.co 4111111111111111"}},"#
            ));
        }
    }
    input.push_str("{}]");
    let (_, s) = run(&p, Format::Json, &input);
    let mut want: BTreeMap<String, u64> = BTreeMap::new();
    for r in &s.remarks {
        *want.entry(r.category.to_string()).or_insert(0) += 1;
    }
    let got: BTreeMap<String, u64> = s.counts.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    assert_eq!(got, want);
    assert_eq!(got.get("contact"), Some(&27));
    assert_eq!(got.get("c4"), Some(&3));
    for sizes in [&[1usize][..], &[7, 3]] {
        let (_, chunked) = run_chunked(&p, Format::Json, input.as_bytes(), sizes).unwrap();
        assert_eq!(chunked, s);
    }
    // With a key cache lent chunk by chunk (it also lends the edit list and buffers), over
    // several bodies: the same remarks and counts every time.
    let mut keys = KeyCache::new();
    for _ in 0..3 {
        let mut r = p.redactor(Format::Json, &RunOptions::default()).unwrap();
        let mut out = Vec::new();
        for chunk in input.as_bytes().chunks(5) {
            r.push_with_keys(chunk, &mut out, &mut keys).unwrap();
        }
        assert_eq!(r.finish_with_keys(&mut out, &mut keys).unwrap(), s);
    }
}
