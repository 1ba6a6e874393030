//! Detector behaviour as a user sees it: what is found, what stays untouched.

use alloc::string::{String, ToString};
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
    run_cases_with(&detectors(), json)
}

fn run_cases_with(d: &Detectors, json: &str) -> usize {
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
        let got = found(d, key, text);
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

#[test]
fn quality_fixes_on_corpus_shapes() {
    assert!(run_cases(include_str!("../../tests/data/detect/quality.json")) > 40);
}

#[test]
fn weak_pack_checksums_need_context() {
    let mut b = Detectors::builder();
    b.today(2026, 11, 29);
    for pack in ["in", "jp", "pl", "de", "br", "tw", "kr"] {
        b.pack(pack).unwrap();
    }
    let d = b.build().unwrap();
    // One check digit passes for one random number in ten: a bare value is not enough.
    for (text, id) in [
        ("ref 234123412346 ok", "in_aadhaar"),
        ("ref 44091109398 ok", "pl_pesel"),
        ("ref 45099514502 ok", "br_cpf"),
        ("SKU A123456789 ok", "tw_id"),
    ] {
        assert!(
            !ids(&found(&d, None, text)).contains(&id),
            "{text}: {:?}",
            found(&d, None, text)
        );
    }
    // Named by a nearby word or the key, the same values are found.
    assert_eq!(
        ids(&found(&d, None, "Aadhaar 234123412346 ok")),
        ["in_aadhaar"]
    );
    assert_eq!(ids(&found(&d, None, "PESEL 44091109398 ok")), ["pl_pesel"]);
    assert_eq!(ids(&found(&d, None, "CPF 45099514502 ok")), ["br_cpf"]);
    assert_eq!(ids(&found(&d, Some("pesel"), "44091109398")), ["pl_pesel"]);
    // The dotted CPF form carries its own shape and needs no context.
    assert_eq!(ids(&found(&d, None, "ref 450.995.145-02 ok")), ["br_cpf"]);
    // An IBAN with a wrong check digit hides no Aadhaar or My Number inside.
    assert!(found(&d, Some("v"), "PL92 6788 3713 2494 0160 3854 9378").is_empty());
    assert!(found(&d, None, "Build AT46 5446 4674 1901 6131 deployed").is_empty());
}

#[test]
fn country_packs_use_their_checksums() {
    let mut b = Detectors::builder();
    b.today(2026, 11, 29);
    for pack in [
        "in", "sg", "kr", "jp", "br", "es", "it", "fr", "de", "gb", "pl", "hk", "tw",
    ] {
        b.pack(pack).unwrap();
    }
    let d = b.build().unwrap();
    assert!(run_cases_with(&d, include_str!("../../tests/data/detect/packs.json")) > 40);
    // Without the pack, the same value is not reported.
    assert!(found(&detectors(), None, "NRIC S1728872E ok").is_empty());
}

#[test]
fn custom_regex_with_context_and_validator() {
    let mut b = Detectors::builder();
    b.custom_regex(CustomRegex {
        id: "employee_id".into(),
        pattern: r"\bEMP-\d{6}\b".into(),
        category: "internal_id".into(),
        context: alloc::vec!["工号".into(), "employee".into()],
        context_required: true,
        validator: None,
    })
    .unwrap();
    b.custom_regex(CustomRegex {
        id: "member_card".into(),
        pattern: r"M\d{15}".into(),
        category: "financial".into(),
        validator: Some(ValidatorName::from_name("luhn").unwrap()),
        ..Default::default()
    })
    .unwrap();
    let d = b.build().unwrap();
    assert_eq!(
        found(&d, None, "工号EMP-123456。"),
        [("employee_id".into(), "EMP-123456".into())]
    );
    assert_eq!(found(&d, None, "ref EMP-123456"), []);
    assert_eq!(
        found(&d, Some("employeeRef"), "EMP-123456"),
        [("employee_id".into(), "EMP-123456".into())]
    );
    // The validator sees the digits: Luhn-valid passes, Luhn-invalid is dropped.
    assert_eq!(
        ids(&found(&d, None, "x M490154203237518 y")),
        ["member_card"]
    );
    assert!(found(&d, None, "x M490154203237519 y").is_empty());
    let i = d.index_of("employee_id").unwrap();
    assert_eq!(d.info(i).tier, Tier::Custom);
    assert_eq!(d.info(i).category, "internal_id");
}

#[test]
fn custom_regex_dialect_is_ascii_and_bytes() {
    let mut b = Detectors::builder();
    b.custom_regex(CustomRegex {
        id: "kahao".into(),
        pattern: r"卡号\d{4}".into(),
        ..Default::default()
    })
    .unwrap();
    b.custom_regex(CustomRegex {
        id: "digits".into(),
        pattern: r"\bZ\d+\b".into(),
        ..Default::default()
    })
    .unwrap();
    let d = b.build().unwrap();
    assert_eq!(
        found(&d, None, "我的卡号1234号"),
        [("kahao".into(), "卡号1234".into())]
    );
    // `\d` is ASCII only: Arabic-Indic digits do not match.
    assert_eq!(found(&d, None, "Z١٢٣"), []);
}

#[test]
fn regex_errors_point_at_the_span() {
    let mut b = Detectors::builder();
    let err = b
        .custom_regex(CustomRegex {
            id: "bad".into(),
            pattern: r"ab(c".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadRegex);
    let msg = err.to_string();
    assert!(msg.contains("custom detector `bad`"), "{msg}");
    assert!(msg.contains("    ab(c\n      ^"), "{msg}");
    let err = b
        .custom_regex(CustomRegex {
            id: "look".into(),
            pattern: r"(?=x)y".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("column 1"), "{err}");
    let err = b
        .custom_regex(CustomRegex {
            id: "huge".into(),
            pattern: r"\w{1000}\w{1000}\w{1000}".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit, "{err}");
    let long = "a".repeat(CustomRegex::MAX_PATTERN_LEN + 1);
    let err = b
        .custom_regex(CustomRegex {
            id: "long".into(),
            pattern: long,
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
}

#[test]
fn unknown_names_suggest_the_right_one() {
    let mut b = Detectors::builder();
    let err = b.builtin("cn_mobil", true).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownName);
    assert!(
        err.to_string().contains("did you mean `cn_mobile`?"),
        "{err}"
    );
    let err = b.pack("uk").unwrap_err();
    assert!(
        err.to_string().starts_with("unknown country pack `uk`"),
        "{err}"
    );
    let err = ValidatorName::from_name("luhm").unwrap_err();
    assert!(err.to_string().contains("did you mean `luhn`?"), "{err}");
    let err = b
        .custom_regex(CustomRegex {
            id: "email".into(),
            pattern: "x".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadId);
    let err = b
        .custom_regex(CustomRegex {
            id: "Bad Id".into(),
            pattern: "x".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadId);
}

#[test]
fn custom_dictionary_whole_words() {
    let mut b = Detectors::builder();
    b.custom_dictionary(CustomDictionary {
        id: "project_codename".into(),
        words: alloc::vec!["Falcon".into(), "蓝鲸".into()],
        category: "confidential".into(),
        ..Default::default()
    })
    .unwrap();
    let d = b.build().unwrap();
    assert_eq!(
        ids(&found(&d, None, "project falcon ships")),
        ["project_codename"]
    );
    assert!(found(&d, None, "falconry is old").is_empty());
    assert_eq!(
        found(&d, None, "代号蓝鲸计划"),
        [("project_codename".into(), "蓝鲸".into())]
    );
    let mut b = Detectors::builder();
    let err = b
        .custom_dictionary(CustomDictionary {
            id: "empty".into(),
            words: alloc::vec![" ".into()],
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadDictionary);
}

#[test]
fn builtins_can_be_turned_off_and_recategorized() {
    let mut b = Detectors::builder();
    b.builtin("email", false)
        .unwrap()
        .builtin_category("cn_mobile", "phone")
        .unwrap();
    let d = b.build().unwrap();
    assert!(found(&d, None, "a@example.com").is_empty());
    let mut out = Vec::new();
    d.scan("13812345678", &ScanContext::default(), &mut out);
    assert_eq!(d.info(out[0].detector).category, "phone");
    assert!(!d.is_enabled(d.index_of("email").unwrap()));
}

#[test]
fn key_classes() {
    let d = detectors();
    let idx = |id: &str| d.index_of(id).unwrap();
    for key in [
        "customerEmail",
        "customer_email",
        "CUSTOMER-EMAIL",
        "客户邮箱",
    ] {
        assert_eq!(d.classify_key(key).force(), Some(idx("email")), "{key}");
    }
    for key in [
        "password",
        "db_passwd",
        "apiKey",
        "X-Api-Key",
        "accessToken",
        "密码",
    ] {
        assert_eq!(
            d.classify_key(key).force(),
            Some(idx("credential_key")),
            "{key}"
        );
    }
    assert_eq!(
        d.classify_key("身份证号").force(),
        Some(idx("cn_resident_id"))
    );
    assert_eq!(d.classify_key("手机号码").force(), Some(idx("cn_mobile")));
    for key in [
        "order_id",
        "orderId",
        "traceId",
        "span-id",
        "sku",
        "tracking_number",
        "sha256",
        "ETag",
        "订单号",
    ] {
        assert!(d.classify_key(key).suppress(), "{key}");
    }
    assert!(d.classify_key("passportNo").hints(idx("passport")));
    assert!(d.classify_key("出生日期").hints(idx("date_of_birth")));
    assert!(
        d.classify_key("plate_number")
            .hints(idx("cn_license_plate"))
    );
    assert!(d.classify_key("lng").hints(idx("gps")));
    // Whole words only, and vetoes.
    assert!(!d.classify_key("publication").hints(idx("passport")));
    assert!(d.classify_key("republic").is_neutral());
    assert!(!d.classify_key("productName").hints(idx("person_name")));
    assert!(!d.classify_key("ip_address").hints(idx("postal_address")));
    assert_eq!(d.classify_key("token_type").force(), None);
    assert_eq!(
        d.classify_key("password_sha256").force(),
        Some(idx("credential_key"))
    );
    assert!(d.classify_key("").is_neutral());
}

#[test]
fn findings_are_sorted_and_never_overlap() {
    let d = detectors();
    let text = "张三 13812345678, card 4111111111111111, mail a@b.cn, ip 10.1.2.3, \
                jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc, 身份证11010519491231002X";
    let mut out = Vec::new();
    d.scan(text, &ScanContext::default(), &mut out);
    assert!(out.len() >= 6, "{out:?}");
    for pair in out.windows(2) {
        assert!(pair[0].end <= pair[1].start, "{pair:?}");
    }
    for f in &out {
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
    }
}

#[test]
fn confidence_grows_with_context() {
    let d = detectors();
    let scan = |key: Option<&str>, text: &str| {
        let class = key.map(|k| d.classify_key(k));
        let mut out = Vec::new();
        d.scan(
            text,
            &ScanContext {
                key: class.as_ref(),
            },
            &mut out,
        );
        out[0].confidence
    };
    assert_eq!(scan(None, "x 4111111111111111"), Confidence::Likely);
    assert_eq!(
        scan(None, "信用卡 4111111111111111"),
        Confidence::VeryLikely
    );
    assert_eq!(
        scan(Some("cardNumber"), "4111111111111111"),
        Confidence::VeryLikely
    );
    assert_eq!(scan(Some("passport"), "E12345678"), Confidence::Likely);
    assert_eq!(scan(None, "护照 E12345678"), Confidence::Possible);
    assert!(
        Confidence::Possible < Confidence::Likely && Confidence::Likely < Confidence::VeryLikely
    );
}

#[test]
fn full_width_and_zero_width_forms() {
    let d = detectors();
    assert_eq!(
        found(&d, None, "邮箱：ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ。"),
        [("email".into(), "ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ".into())]
    );
    assert_eq!(
        found(&d, None, "卡4111\u{FEFF}1111\u{2060}1111\u{200C}1111"),
        [(
            "payment_card".into(),
            "4111\u{FEFF}1111\u{2060}1111\u{200C}1111".into()
        )]
    );
    assert_eq!(
        found(&d, None, "身份证１１０１０５１９４９１２３１００２Ｘ"),
        [(
            "cn_resident_id".into(),
            "１１０１０５１９４９１２３１００２Ｘ".into()
        )]
    );
}

#[test]
fn builtin_catalogue_lists_every_detector_once() {
    let cat = builtin_catalogue();
    let d = detectors();
    assert_eq!(d.infos().len(), cat.len());
    for (i, spec) in cat.iter().enumerate() {
        assert_eq!(d.index_of(spec.id), Some(DetectorIndex(i as u16)));
        assert_eq!(spec.default_enabled, spec.pack.is_none());
    }
}

#[test]
fn hostile_input_does_not_panic() {
    let d = detectors();
    let mut inputs: Vec<String> = alloc::vec![
        String::from("@@@@....----::::"),
        "1".repeat(10_000),
        "1 ".repeat(5_000),
        "a@".repeat(3_000),
        "eyJ".repeat(3_000),
        "-----BEGIN PRIVATE KEY-----".repeat(10),
        String::from("\u{200B}\u{FEFF}１"),
        String::from("+"),
        String::from("年年年1990年"),
    ];
    for c in ["京", "张", "地址", "：", "１", "\u{200B}"] {
        inputs.push(c.repeat(500));
    }
    for s in &inputs {
        let mut out = Vec::new();
        d.scan(s, &ScanContext::default(), &mut out);
        for f in &out {
            assert!(f.start < f.end && f.end <= s.len());
        }
    }
}

#[test]
fn pack_ids_with_weak_checks_need_context_from_the_holdout_corpus() {
    let mut b = Detectors::builder();
    b.today(2026, 11, 29);
    for pack in ["fr", "hk"] {
        b.pack(pack).unwrap();
    }
    let d = b.build().unwrap();
    // A Luhn-failing 15-digit serial whose last two digits happen to be a NIR key.
    assert!(found(&d, None, "serial 867812039133048 shipped").is_empty());
    assert!(found(&d, Some("serialNumber"), "867812039133048").is_empty());
    // Named, a NIR is found as before.
    assert_eq!(
        found(&d, None, "NIR 154113726116133 ok"),
        [("fr_nir".to_string(), "154113726116133".to_string())]
    );
    // A passport number with the shape of an HKID without its parenthesized check digit.
    assert_eq!(
        ids(&found(&d, Some("passport_no"), "EA5069214")),
        ["passport"]
    );
    assert_eq!(ids(&found(&d, None, "passport EA5069214")), ["passport"]);
    assert!(found(&d, None, "ref EA5069214").is_empty());
    // The written HKID form keeps its own evidence; a bare one needs the word.
    assert_eq!(ids(&found(&d, None, "ref A123456(3)")), ["hk_id"]);
    assert_eq!(ids(&found(&d, None, "HKID EA5069214")), ["hk_id"]);
}

#[test]
fn validated_findings_beat_a_key_forced_category() {
    let d = detectors();
    // `地址` forces a postal address, but a URL with credentials is a credential.
    let url = found(
        &d,
        Some("连接地址"),
        "https://admin:s3cret@db.example.com:5432/app",
    );
    assert_eq!(ids(&url), ["url_credentials"]);
    assert_eq!(
        ids(&found(&d, Some("MAC地址"), "00:0c:29:49:cb:c8")),
        ["mac"]
    );
    assert_eq!(ids(&found(&d, Some("IP地址"), "10.2.3.4")), ["ipv4"]);
    // A password key still forces the whole value, whatever is inside.
    assert_eq!(
        found(&d, Some("password"), "me@example.com1"),
        [("credential_key".to_string(), "me@example.com1".to_string())]
    );
    // `id card` beats `card`.
    let class = d.classify_key("idCardNo");
    assert_eq!(class.force(), d.index_of("cn_resident_id"));
    let class = d.classify_key("cardNo");
    assert_eq!(class.force(), d.index_of("payment_card"));
    // Paging keys are no credentials; real tokens still are.
    assert_eq!(d.classify_key("nextPageToken").force(), None);
    assert_eq!(
        d.classify_key("refreshToken").force(),
        d.index_of("credential_key")
    );
}

/// Every case text of the vector files, with its key.
fn vector_texts() -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for json in [
        include_str!("../../tests/data/detect/generated.json"),
        include_str!("../../tests/data/detect/cases.json"),
        include_str!("../../tests/data/detect/quality.json"),
    ] {
        let cases: serde_json::Value = serde_json::from_str(json).unwrap();
        for case in cases.as_array().unwrap() {
            let text = case["text"].as_str().unwrap().to_string();
            out.push((text, case["key"].as_str().map(String::from)));
        }
    }
    out
}

#[test]
fn scan_ranges_finds_what_scan_finds() {
    let d = detectors();
    let mut texts = vector_texts();
    texts.push((
        "张三 13812345678, card 4111111111111111, mail a@b.cn, ip 10.1.2.3, 信用卡 \
         5555555555554444 jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc"
            .to_string(),
        None,
    ));
    let mut lowered = 0;
    for (text, key) in &texts {
        let class = key.as_deref().map(|k| d.classify_key(k));
        let ctx = ScanContext {
            key: class.as_ref(),
        };
        let (mut exact, mut ranges) = (Vec::new(), Vec::new());
        d.scan(text, &ctx, &mut exact);
        d.scan_ranges(text, &ctx, &mut ranges);
        let spans =
            |v: &[Finding]| -> Vec<_> { v.iter().map(|f| (f.detector, f.start, f.end)).collect() };
        assert_eq!(spans(&exact), spans(&ranges), "{text:?} under {key:?}");
        for (e, r) in exact.iter().zip(&ranges) {
            let same = e.confidence == r.confidence;
            let lowered_one =
                e.confidence == Confidence::VeryLikely && r.confidence == Confidence::Likely;
            assert!(same || lowered_one, "{text:?}: {e:?} vs {r:?}");
            lowered += usize::from(lowered_one);
        }
    }
    // The shortcut did skip context searches (the confidence says so) on some of them.
    assert!(lowered > 0);
}

#[test]
fn a_tie_is_broken_by_the_context_of_an_undecided_checksum_finding() {
    let d = detectors();
    let (card, iban) = (Builtin::PaymentCard.index(), Builtin::Iban.index());
    assert_eq!(d.info(DetectorIndex(card)).tier, Tier::Validated);
    assert_eq!(d.info(DetectorIndex(iban)).tier, Tier::Validated);
    let finding = |det: u16, start: usize, confidence: Confidence| Finding {
        detector: DetectorIndex(det),
        start,
        end: start + 16,
        confidence,
    };
    // Two validated findings of one length overlap: only the confidence decides. The card
    // comes second and is undecided (bit 1); `card` before it makes it `VeryLikely`.
    let resolve = |text: &str, undecided: u16, card_confidence: Confidence| {
        let s = text.as_bytes();
        let mut out = alloc::vec![
            finding(iban, 5, Confidence::Likely),
            finding(card, 6, card_confidence),
        ];
        d.resolve_overlaps(0, &mut out, undecided, s, text::presence(s));
        out.iter().map(|f| f.detector.0).collect::<Vec<_>>()
    };
    let near = "card 0411111111111111111 x";
    let far = "xxxx 0411111111111111111 x";
    // Undecided and with context: it wins, as a decided `VeryLikely` does.
    assert_eq!(resolve(near, 0b10, Confidence::Likely), [card]);
    assert_eq!(resolve(near, 0, Confidence::VeryLikely), [card]);
    // Without context it stays `Likely` and the first one keeps its place.
    assert_eq!(resolve(far, 0b10, Confidence::Likely), [iban]);
    // A decided `Likely` is not upgraded by a word nearby.
    assert_eq!(resolve(near, 0, Confidence::Likely), [iban]);
}
