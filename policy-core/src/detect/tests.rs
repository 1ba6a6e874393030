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
