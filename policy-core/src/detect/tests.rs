//! Detector behaviour as a user sees it: what is found, what stays untouched.

use alloc::string::String;
use alloc::vec::Vec;

use super::*;

fn detectors() -> Detectors {
    let mut b = Detectors::builder();
    b.today(2026, 11, 29);
    b.build().unwrap()
}

/// (detector id, matched text) for every finding in `text` under `key`.
fn found(d: &Detectors, key: Option<&str>, text: &str) -> Vec<(String, String)> {
    let class = key.map(|k| d.classify_key(k));
    let mut out = Vec::new();
    d.scan(
        text,
        &ScanContext {
            key: class.as_ref(),
        },
        &mut out,
    );
    out.iter()
        .map(|f| {
            (
                d.info(f.detector).id.clone(),
                String::from(&text[f.start..f.end]),
            )
        })
        .collect()
}

fn ids(v: &[(String, String)]) -> Vec<&str> {
    v.iter().map(|(i, _)| i.as_str()).collect()
}

#[test]
fn finds_the_four_core_detectors() {
    let d = detectors();
    assert_eq!(
        found(&d, None, "mail zhang.san@example.com now"),
        [("email".into(), "zhang.san@example.com".into())]
    );
    assert_eq!(
        found(&d, None, "联系方式：13812345678。"),
        [("cn_mobile".into(), "13812345678".into())]
    );
    assert_eq!(
        found(&d, None, "card 4111 1111 1111 1111 ok"),
        [("payment_card".into(), "4111 1111 1111 1111".into())]
    );
    assert_eq!(
        found(&d, None, "身份证11010519491231002X号"),
        [("cn_resident_id".into(), "11010519491231002X".into())]
    );
    assert!(ids(&found(&d, None, "order 4111111111111112")).is_empty());
}

/// Runs every case of a vector file: `{"text", "key", "expect": [[id, matched text]]}`.
fn run_cases(json: &str) -> usize {
    let d = detectors();
    let cases: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut failures = Vec::new();
    for case in cases.as_array().unwrap() {
        let text = case["text"].as_str().unwrap();
        let key = case["key"].as_str();
        let expect: Vec<(String, String)> = case["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    String::from(p[0].as_str().unwrap()),
                    String::from(p[1].as_str().unwrap()),
                )
            })
            .collect();
        let got = found(&d, key, text);
        if got != expect {
            failures.push(alloc::format!(
                "{text:?} (key {key:?}): expected {expect:?}, got {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    cases.as_array().unwrap().len()
}

#[test]
fn generated_vectors() {
    assert!(run_cases(include_str!("../../tests/data/detect/generated.json")) > 300);
}

#[test]
fn written_forms_look_alikes_and_keys() {
    assert!(run_cases(include_str!("../../tests/data/detect/cases.json")) > 80);
}
