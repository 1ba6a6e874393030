//! Golden files: `tests/golden/<name>.<ext>` redacted with `tests/golden/_bundle.json` must
//! give `<name>.<ext>.out` and `<name>.<ext>.remarks.json`. Re-bless with `SCRIM_BLESS=1`.
//! Each input is also run in 7-byte chunks, which must give the same output.

#![expect(
    clippy::unwrap_used,
    reason = "test harness; a panic is a test failure"
)]

use std::path::{Path, PathBuf};

use scrim_core::bundle::Bundle;
use scrim_core::policy::{CompileOptions, Policy, RunOptions, redact_all};
use scrim_core::redact::HashKey;
use scrim_core::stream::Format;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn format_of(name: &str) -> Option<Format> {
    match name.rsplit('.').next()? {
        "json" => Some(Format::Json),
        "ndjson" => Some(Format::Ndjson),
        "txt" => Some(Format::Text),
        "form" => Some(Format::FormUrlEncoded),
        _ => None,
    }
}

fn check(path: &Path, expected: &[u8], bless: bool, failures: &mut Vec<String>) {
    if bless {
        std::fs::write(path, expected).unwrap();
        return;
    }
    match std::fs::read(path) {
        Ok(want) if want == expected => {}
        Ok(_) => failures.push(format!(
            "{} differs; got:\n{}",
            path.display(),
            String::from_utf8_lossy(expected)
        )),
        Err(_) => failures.push(format!(
            "{} is missing (run with SCRIM_BLESS=1)",
            path.display()
        )),
    }
}

#[test]
fn golden_files() {
    let dir = golden_dir();
    let bless = std::env::var_os("SCRIM_BLESS").is_some_and(|v| v == "1");
    let bundle_text = std::fs::read_to_string(dir.join("_bundle.json")).unwrap();
    let bundle = Bundle::from_json(&bundle_text).unwrap();
    let opts = CompileOptions {
        today: Some((2026, 11, 29)),
    };
    let policy = Policy::compile(&bundle, &opts).unwrap();
    let run = RunOptions {
        hmac_key: Some(HashKey::new(b"golden-key")),
        ..RunOptions::default()
    };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !n.starts_with('_') && !n.ends_with(".out") && !n.ends_with(".remarks.json"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 4,
        "golden inputs missing in {}",
        dir.display()
    );
    let mut failures = Vec::new();
    for name in names {
        let format =
            format_of(&name).unwrap_or_else(|| panic!("unknown golden input type: {name}"));
        let input = std::fs::read(dir.join(&name)).unwrap();
        let (out, summary) =
            redact_all(&policy, format, &run, &input).unwrap_or_else(|e| panic!("{name}: {e}"));
        // chunked run gives the same bytes
        let mut r = policy.redactor(format, &run).unwrap();
        let mut chunked = Vec::new();
        for c in input.chunks(7) {
            r.push(c, &mut chunked).unwrap();
        }
        assert_eq!(
            r.finish(&mut chunked).unwrap(),
            summary,
            "{name}: chunked remarks differ"
        );
        assert_eq!(chunked, out, "{name}: chunked output differs");
        match format {
            Format::Json => {
                serde_json::from_slice::<serde_json::Value>(&out).unwrap();
            }
            Format::Ndjson => {
                for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                    serde_json::from_slice::<serde_json::Value>(line).unwrap();
                }
            }
            _ => {}
        }
        let mut remarks = serde_json::to_vec_pretty(&summary).unwrap();
        remarks.push(b'\n');
        check(&dir.join(format!("{name}.out")), &out, bless, &mut failures);
        check(
            &dir.join(format!("{name}.remarks.json")),
            &remarks,
            bless,
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
