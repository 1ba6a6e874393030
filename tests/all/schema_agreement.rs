//! The JSON Schema and the Rust model agree: every shipped bundle and valid fixture passes an
//! independent JSON Schema validator (the `jsonschema` crate) and `bundle::check`; every
//! structurally invalid fixture is refused by both; semantic-only invalid fixtures pass the
//! schema and are refused by `bundle::check`. Each invalid fixture's `.expect` file lists the
//! diagnostics it must produce:
//!
//! ```text
//! kind: structural | semantic | malformed | warnings
//! <severity> <pointer or (root)> :: <message substring>
//! ```

use std::path::{Path, PathBuf};

use scrim_core::bundle::{self, BUILTIN_DETECTORS, Bundle, Pack, Report, Severity};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures/bundles").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

fn policies() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("policies"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn schema_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(bundle::BUNDLE_SCHEMA).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

struct Expected {
    kind: String,
    lines: Vec<(Severity, String, String)>,
}

fn expected(json: &Path) -> Option<Expected> {
    let text = std::fs::read_to_string(json.with_extension("expect")).ok()?;
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let kind = lines
        .next()?
        .strip_prefix("kind: ")
        .unwrap()
        .trim()
        .to_string();
    let lines = lines
        .map(|l| {
            let (head, message) = l.split_once(" :: ").unwrap();
            let (severity, pointer) = head.split_once(' ').unwrap();
            let severity = match severity {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                other => panic!("bad severity {other} in {}", json.display()),
            };
            let pointer = if pointer == "(root)" { "" } else { pointer };
            (severity, pointer.to_string(), message.to_string())
        })
        .collect();
    Some(Expected { kind, lines })
}

fn shown(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| format!("{d}\n  help: {}\n", d.help))
        .collect()
}

/// Every expected line is matched, and there are no diagnostics of that severity beyond them.
fn assert_matches(path: &Path, report: &Report, expect: &Expected, severity: Severity) {
    for (sev, pointer, message) in &expect.lines {
        assert!(
            report.diagnostics.iter().any(|d| d.severity == *sev
                && d.pointer == *pointer
                && d.message.contains(message)),
            "{}: expected {sev:?} at `{pointer}` containing `{message}`, got:\n{}",
            path.display(),
            shown(report)
        );
    }
    let want = expect
        .lines
        .iter()
        .filter(|(s, _, _)| *s == severity)
        .count();
    let got = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count();
    assert_eq!(
        got,
        want,
        "{}: unexpected diagnostics:\n{}",
        path.display(),
        shown(report)
    );
    for d in &report.diagnostics {
        assert!(
            d.line > 0 && d.column > 0,
            "{}: no location for {d}",
            path.display()
        );
        assert!(!d.help.is_empty(), "{}: no help for {d}", path.display());
    }
}

#[test]
fn shipped_bundles_and_valid_fixtures_pass_schema_and_model() {
    let validator = schema_validator();
    let files: Vec<PathBuf> = policies().into_iter().chain(fixtures("valid")).collect();
    assert!(files.len() >= 8);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let instance: Value = serde_json::from_str(&text).unwrap();
        let schema_errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            schema_errors.is_empty(),
            "{}: {schema_errors:#?}",
            path.display()
        );
        let report = bundle::check(&text);
        assert!(
            !report.has_errors(),
            "{}:\n{}",
            path.display(),
            shown(&report)
        );
        assert_eq!(
            report.bundle.as_ref(),
            Some(&Bundle::from_json(&text).unwrap())
        );
        match expected(&path) {
            Some(expect) => {
                assert_eq!(expect.kind, "warnings");
                assert_matches(&path, &report, &expect, Severity::Warning);
            }
            None => assert_eq!(
                report.warnings().count(),
                0,
                "{}:\n{}",
                path.display(),
                shown(&report)
            ),
        }
    }
}

#[test]
fn invalid_fixtures_are_refused_by_the_right_checkers() {
    let validator = schema_validator();
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for path in fixtures("invalid") {
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = expected(&path).unwrap_or_else(|| panic!("{} has no .expect", path.display()));
        *kinds.entry(expect.kind.clone()).or_default() += 1;
        let report = bundle::check(&text);
        assert!(report.bundle.is_none(), "{} was accepted", path.display());
        assert_matches(&path, &report, &expect, Severity::Error);
        match expect.kind.as_str() {
            "structural" => {
                let instance: Value = serde_json::from_str(&text).unwrap();
                assert!(
                    !validator.is_valid(&instance),
                    "{}: schema accepted it",
                    path.display()
                );
            }
            "semantic" => {
                let instance: Value = serde_json::from_str(&text).unwrap();
                let errors: Vec<String> = validator
                    .iter_errors(&instance)
                    .map(|e| e.to_string())
                    .collect();
                assert!(
                    errors.is_empty(),
                    "{}: not semantic-only: {errors:?}",
                    path.display()
                );
                assert!(
                    Bundle::from_json(&text).is_ok(),
                    "{}: serde refused it",
                    path.display()
                );
            }
            "malformed" => {
                let (line, column) = report.errors().next().map(|d| (d.line, d.column)).unwrap();
                assert!(line > 1 && column > 1, "{}: vague location", path.display());
            }
            other => panic!("{}: unknown kind `{other}`", path.display()),
        }
    }
    assert!(
        kinds.get("structural").copied().unwrap_or(0) >= 10,
        "{kinds:?}"
    );
    assert!(
        kinds.get("semantic").copied().unwrap_or(0) >= 20,
        "{kinds:?}"
    );
}

#[test]
fn schema_lists_exactly_the_builtin_detectors_and_packs() {
    let schema: Value = serde_json::from_str(bundle::BUNDLE_SCHEMA).unwrap();
    let builtin = schema
        .pointer("/properties/detectors/properties/builtin/properties")
        .and_then(Value::as_object)
        .unwrap();
    let mut in_schema: Vec<&str> = builtin.keys().map(String::as_str).collect();
    let mut in_table: Vec<&str> = BUILTIN_DETECTORS.iter().map(|d| d.id).collect();
    in_schema.sort_unstable();
    in_table.sort_unstable();
    assert_eq!(in_schema, in_table);
    let packs: Vec<&str> = schema
        .pointer("/properties/detectors/properties/packs/items/enum")
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(packs, Pack::ALL.map(Pack::code));
}

#[test]
fn policies_declare_the_schema_for_editors() {
    for path in policies() {
        let text = std::fs::read_to_string(&path).unwrap();
        let bundle = Bundle::from_json(&text).unwrap();
        assert_eq!(
            bundle.schema.as_deref(),
            Some("./schema/bundle.v1.schema.json"),
            "{}",
            path.display()
        );
        assert!(
            root()
                .join("policies")
                .join(bundle.schema.unwrap())
                .exists()
        );
    }
}
