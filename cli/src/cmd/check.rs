//! `scrim check FILE...`: validate policy bundles.
//!
//! Valid bundles print their name, revision, canonical hash and a one-line summary (and any
//! warnings); invalid ones print every error as `file:line:col: error: pointer: message` with a
//! `help:` line. Exit 0 when every file is valid, 1 otherwise.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args as ClapArgs, ValueEnum};
use scrim_core::bundle::{self, BUILTIN_DETECTORS, Bundle, Report};
use serde_json::{Value, json};

/// Arguments of `scrim check`.
#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Bundle files to validate.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How `scrim check` prints its results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable lines, one diagnostic per line with a help line.
    Text,
    /// One JSON document: an array with one object per file.
    Json,
}

/// The numbers `scrim check` summarizes a valid bundle with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Data categories.
    pub categories: usize,
    /// Detectors that will run: enabled built-ins (packs included) and custom detectors.
    pub detectors: usize,
    /// Field rules.
    pub fields: usize,
    /// Routes.
    pub routes: usize,
    /// Recipients.
    pub recipients: usize,
    /// Transfer rules.
    pub transfers: usize,
}

/// Counts what a bundle defines.
pub fn summarize(bundle: &Bundle) -> Summary {
    let builtin_on = BUILTIN_DETECTORS
        .iter()
        .filter(|d| match bundle.detectors.builtin.get(d.id) {
            Some(setting) => setting.enabled(),
            None => d.default_on || d.pack.is_some_and(|p| bundle.detectors.packs.contains(&p)),
        })
        .count();
    Summary {
        categories: bundle.categories.len(),
        detectors: builtin_on + bundle.detectors.custom.len(),
        fields: bundle.fields.len(),
        routes: bundle.routes.len(),
        recipients: bundle.recipients.len(),
        transfers: bundle.transfers.len(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, {}, {}, {}, {}, {}",
            plural(self.categories, "category", "categories"),
            plural(self.detectors, "detector", "detectors"),
            plural(self.fields, "field rule", "field rules"),
            plural(self.routes, "route", "routes"),
            plural(self.recipients, "recipient", "recipients"),
            plural(self.transfers, "transfer rule", "transfer rules"),
        )
    }
}

fn report_json(path: &str, report: &Report) -> Value {
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "severity": d.severity.as_str(),
                "pointer": d.pointer,
                "line": d.line,
                "column": d.column,
                "message": d.message,
                "help": d.help,
            })
        })
        .collect();
    let mut out = json!({
        "file": path,
        "valid": !report.has_errors(),
        "sha256": report.canonical_sha256,
        "diagnostics": diagnostics,
    });
    if let (Some(bundle), Some(obj)) = (&report.bundle, out.as_object_mut()) {
        let s = summarize(bundle);
        obj.insert("name".into(), json!(bundle.name));
        obj.insert("revision".into(), json!(bundle.revision));
        obj.insert(
            "summary".into(),
            json!({
                "categories": s.categories,
                "detectors": s.detectors,
                "field_rules": s.fields,
                "routes": s.routes,
                "recipients": s.recipients,
                "transfer_rules": s.transfers,
            }),
        );
    }
    out
}

/// Runs `scrim check`.
pub fn run(args: Args) -> ExitCode {
    let mut ok = true;
    let mut documents = Vec::new();
    for file in &args.files {
        let path = file.display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                ok = false;
                let message = format!("cannot read `{path}`: {e}");
                match args.format {
                    Format::Text => eprintln!("{path}: error: {message}"),
                    Format::Json => documents.push(json!({
                        "file": path, "valid": false,
                        "diagnostics": [{"severity": "error", "pointer": "", "line": 0, "column": 0,
                                         "message": message, "help": "check the path and its permissions"}],
                    })),
                }
                continue;
            }
        };
        if is_law_data(&text) {
            ok &= check_law(&path, &text, args.format, &mut documents);
            continue;
        }
        let mut report = bundle::check(&text);
        add_transfer_errors(&text, &mut report);
        ok &= !report.has_errors();
        match args.format {
            Format::Json => documents.push(report_json(&path, &report)),
            Format::Text => {
                for d in &report.diagnostics {
                    println!("{}", d.with_path(&path));
                    if !d.help.is_empty() {
                        println!("  help: {}", d.help);
                    }
                }
                match &report.bundle {
                    Some(bundle) => println!(
                        "{path}: ok: {} revision {} sha256:{}\n  {}",
                        bundle.name,
                        bundle.revision,
                        report.canonical_sha256,
                        summarize(bundle)
                    ),
                    None => {
                        let errors = report.errors().count();
                        println!(
                            "{path}: {} found, bundle refused",
                            plural(errors, "error", "errors")
                        );
                    }
                }
            }
        }
    }
    if args.format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&Value::Array(documents)).unwrap_or_default()
        );
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// A bundle the validator accepts must also compile into transfer rules (region groups,
/// `localities`, recipient and category references); if it does not, the bundle is refused
/// with that error.
fn add_transfer_errors(text: &str, report: &mut Report) {
    if report.bundle.is_none() {
        return;
    }
    if let Err(e) = scrim_core::transfer::TransferPolicy::from_bundle_json(text) {
        let (line, column) = e.line_column.unwrap_or((0, 0));
        report.diagnostics.insert(
            0,
            bundle::Diagnostic {
                severity: bundle::Severity::Error,
                pointer: e.pointer.clone(),
                line: u32::try_from(line).unwrap_or(0),
                column: u32::try_from(column).unwrap_or(0),
                message: e.message.clone(),
                help: "fix the transfer part of the bundle (docs/transfers.md)".to_owned(),
            },
        );
        report.bundle = None;
    }
}

/// Whether a file is transfer-law reference data (`"scrim_law": 1` at the top) rather than a
/// bundle.
fn is_law_data(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v.get("scrim_law").is_some())
}

/// Checks transfer-law reference data (`policies/reference/transfer-law.json`); returns whether
/// it is valid.
fn check_law(
    path: &str,
    text: &str,
    format: Format,
    documents: &mut Vec<serde_json::Value>,
) -> bool {
    match scrim_core::law::LawData::from_json(text) {
        Ok(law) => {
            match format {
                Format::Text => println!(
                    "{path}: ok: transfer law data reviewed {}, {} entries",
                    law.reviewed,
                    law.entries.len()
                ),
                Format::Json => documents.push(json!({
                    "file": path, "valid": true, "kind": "transfer-law", "entries": law.entries.len(),
                })),
            }
            true
        }
        Err(e) => {
            let (line, column) = e.line_column.unwrap_or((0, 0));
            match format {
                Format::Text => println!(
                    "{path}:{line}:{column}: error: {}: {}\n  help: the law file format is in docs/transfers.md (\"Two inputs: the bundle and the law data\")",
                    if e.pointer.is_empty() {
                        "(root)"
                    } else {
                        e.pointer.as_str()
                    },
                    e.message
                ),
                Format::Json => documents.push(json!({
                    "file": path, "valid": false, "kind": "transfer-law",
                    "diagnostics": [{"severity": "error", "pointer": e.pointer, "line": line,
                                     "column": column, "message": e.message, "help": ""}],
                })),
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_what_the_default_bundle_enables() {
        let text = include_str!("../../../policies/default.json");
        let bundle = Bundle::from_json(text).unwrap();
        let s = summarize(&bundle);
        // Every built-in, packs included, is on in the default bundle.
        assert_eq!(s.detectors, BUILTIN_DETECTORS.len());
        assert_eq!(s.categories, bundle.categories.len());
        assert!(
            s.to_string()
                .starts_with("8 categories, 40 detectors, 2 field rules, 1 route,")
        );
    }

    #[test]
    fn json_output_carries_every_diagnostic() {
        let report = bundle::check("{\"scrim\": 1, \"name\": \"x\"}");
        let doc = report_json("x.json", &report);
        assert_eq!(doc["valid"], false);
        let pointers: Vec<&str> = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["message"].as_str().unwrap())
            .collect();
        assert_eq!(
            pointers,
            [
                "missing required field `revision`",
                "missing required field `categories`"
            ]
        );
    }
}
