//! The validator entry point, [`check`].

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use sha2::{Digest, Sha256};

use super::diagnostic::{Diagnostic, Report, Severity};
use super::model::Bundle;
use super::schema::{BUNDLE_SCHEMA, SchemaChecker};
use super::semantic::check_semantics;
use crate::json::{self, Value, ValueKind};

/// Validates a bundle's JSON text and reports every problem at once.
///
/// Three passes: the text must be JSON (else one error with line:column); the JSON must fit
/// the bundle JSON Schema (unknown fields with "did you mean", wrong types, missing fields,
/// values outside their enum or range); then the semantic checks (references, unique ids,
/// region codes, regexes, rule order, durations), whenever the text can be read into the
/// model at all. Errors come first, each group in source order.
///
/// ```
/// let report = scrim_core::bundle::check(r#"{"scrim": 1, "name": "x", "revision": "1",
///   "categories": [{"id": "contact", "label": "Contact"}], "redacton": {}}"#);
/// let first = report.errors().next().unwrap();
/// assert_eq!(first.pointer, "/redacton");
/// assert_eq!(first.message, "unknown field, did you mean \"redaction\"?");
/// ```
pub fn check(source: &str) -> Report {
    let tree = match json::parse(source) {
        Ok(tree) => tree,
        Err(e) => {
            return Report {
                bundle: None,
                diagnostics: alloc::vec![Diagnostic {
                    severity: Severity::Error,
                    pointer: String::new(),
                    line: e.line(),
                    column: e.column(),
                    message: String::from(e.message()),
                    help: String::from(e.help()),
                }],
                canonical_sha256: String::new(),
            };
        }
    };
    let canonical_sha256 = sha256_hex(&canonical_bundle(&tree));
    let mut diagnostics = Vec::new();
    match json::parse(BUNDLE_SCHEMA) {
        Ok(schema) => SchemaChecker::new(&schema).check(&tree, &mut diagnostics),
        Err(e) => diagnostics.push(internal(
            &tree,
            format!("the embedded schema does not parse: {e}"),
        )),
    }
    // Semantic checks need the model. serde reads some shapes the schema refuses (a name
    // with a space, a number out of range), so they run whenever it can, and report only
    // places the structural pass has not already flagged.
    let structural_ok = diagnostics.is_empty();
    let mut bundle = None;
    match json::from_value::<Bundle>(&tree) {
        Ok(b) => {
            let semantic = check_semantics(&b, &tree);
            let flagged: Vec<String> = diagnostics.iter().map(|d| d.pointer.clone()).collect();
            diagnostics.extend(
                semantic
                    .into_iter()
                    .filter(|d| !flagged.iter().any(|f| f == &d.pointer)),
            );
            bundle = Some(b);
        }
        Err(e) if structural_ok => diagnostics.push(internal(
            &tree,
            format!("the schema accepted the bundle but the model did not: {e}"),
        )),
        Err(_) => {}
    }
    diagnostics.sort_by_key(|d| (d.severity, d.line, d.column));
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        bundle = None;
    }
    Report {
        bundle,
        diagnostics,
        canonical_sha256,
    }
}

fn internal(tree: &Value, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        pointer: String::new(),
        line: tree.span.line,
        column: tree.span.column,
        message,
        help: String::from("this is a bug in scrim: please report it with the bundle"),
    }
}

/// The canonical form of a bundle: [`json::canonical`] without the top-level `"$schema"`,
/// which only tells editors where the schema is.
pub fn canonical_bundle(tree: &Value) -> String {
    match &tree.kind {
        ValueKind::Object(members) => {
            let kept = Value {
                kind: ValueKind::Object(
                    members
                        .iter()
                        .filter(|m| m.key != "$schema")
                        .cloned()
                        .collect(),
                ),
                span: tree.span,
            };
            json::canonical(&kept)
        }
        _ => json::canonical(tree),
    }
}

fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    const MINIMAL: &str = r#"{
  "scrim": 1,
  "name": "minimal",
  "revision": "1",
  "categories": [
    {"id": "contact", "label": "Contact"}, {"id": "financial", "label": "Financial"},
    {"id": "government_id", "label": "Ids"}, {"id": "online_id", "label": "Online"},
    {"id": "credentials", "label": "Secrets"}, {"id": "identity", "label": "Identity"},
    {"id": "location", "label": "Location"}
  ]
}"#;

    #[test]
    fn shipped_bundles_pass_without_errors() {
        for (name, text) in [
            ("gdpr-eu", include_str!("../../../policies/gdpr-eu.json")),
            ("ccpa-us", include_str!("../../../policies/ccpa-us.json")),
            ("pipl-cn", include_str!("../../../policies/pipl-cn.json")),
        ] {
            let report = check(text);
            let shown: Vec<String> = report.diagnostics.iter().map(|d| format!("{d}")).collect();
            assert!(!report.has_errors(), "{name}: {shown:#?}");
            assert_eq!(report.bundle.map(|b| b.name), Some(String::from(name)));
            assert_eq!(report.canonical_sha256.len(), 64);
        }
    }

    #[test]
    fn misspelled_top_level_key_points_at_the_key() {
        let text = MINIMAL.replace(
            "\"revision\": \"1\",",
            "\"revision\": \"1\",\n  \"redacton\": {},",
        );
        let report = check(&text);
        let d = report.errors().next().unwrap();
        assert_eq!(d.pointer, "/redacton");
        assert_eq!((d.line, d.column), (5, 3));
        assert_eq!(
            d.to_string(),
            "5:3: error: /redacton: unknown field, did you mean \"redaction\"?"
        );
        assert!(d.help.contains("`redaction`"), "{}", d.help);
        assert_eq!(
            d.with_path("policies/x.json").to_string(),
            "policies/x.json:5:3: error: /redacton: unknown field, did you mean \"redaction\"?"
        );
        assert!(report.bundle.is_none());
    }

    #[test]
    fn malformed_json_gives_line_and_column() {
        let text = MINIMAL.replace("\"revision\": \"1\",", "\"revision\": \"1\"");
        let report = check(&text);
        assert_eq!(report.diagnostics.len(), 1);
        let d = report.diagnostics.first().unwrap();
        assert_eq!((d.line, d.column), (5, 3));
        assert_eq!(d.message, "expected `,` or `}` after an object member");
        assert!(report.canonical_sha256.is_empty());
    }

    #[test]
    fn every_structural_problem_is_reported_at_once() {
        let text = MINIMAL
            .replace("\"scrim\": 1", "\"scrim\": 2")
            .replace("\"minimal\"", "\"Minimal!\"")
            .replace(
                "\"revision\": \"1\",",
                "\"revision\": \"1\", \"routes\": [{\"id\": \"r\", \"methods\": [\"GTE\"], \"direction\": 3}],",
            );
        let report = check(&text);
        let pointers: Vec<&str> = report.errors().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/scrim",
                "/name",
                "/routes/0/methods/0",
                "/routes/0/direction"
            ]
        );
        let msgs: Vec<&str> = report.errors().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs[0], "expected `1`, found the number `2`");
        assert_eq!(msgs[2], "`GTE` is not allowed here, did you mean `GET`?");
        assert_eq!(msgs[3], "expected a string, found the number `3`");
    }

    #[test]
    fn semantic_problems_are_reported_beside_structural_ones() {
        let text = MINIMAL
            .replace("\"minimal\"", "\"Minimal bundle\"")
            .replace(
                "\"revision\": \"1\",",
                "\"revision\": \"1\", \"home_region\": \"EEE\",",
            );
        let report = check(&text);
        let pointers: Vec<&str> = report.errors().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["/name", "/home_region"]);
    }

    #[test]
    fn hash_ignores_whitespace_order_and_schema_reference() {
        let a = check(MINIMAL);
        let b = check(
            &MINIMAL
                .replace("\n", " ")
                .replace("{\n  \"scrim\"", "{\"$schema\": \"x\", \"scrim\""),
        );
        assert!(!a.has_errors());
        assert_eq!(a.canonical_sha256, b.canonical_sha256);
        let c = check(&MINIMAL.replace("\"1\"", "\"2\""));
        assert_ne!(a.canonical_sha256, c.canonical_sha256);
    }
}
