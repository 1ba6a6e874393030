//! `scrim explain`: a privacy impact summary of a bundle, as Markdown (or JSON).
//!
//! The analysis is [`scrim_core::explain`]; this module only prints its [`Report`].

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args as ClapArgs;
use scrim_core::explain::{Reach, Report, explain};
use scrim_core::transfer::Action;

use super::decide::{load_law, load_policy, parse_at};

/// Summarise which data can reach which recipients and regions, on which basis, and flag risks.
#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Policy bundle (JSON).
    pub file: PathBuf,
    /// Transfer law reference data [default: policies/reference/transfer-law.json].
    #[arg(long)]
    pub law: Option<PathBuf>,
    /// Date to evaluate the law at (RFC 3339 or YYYY-MM-DD) [default: today].
    #[arg(long)]
    pub at: Option<String>,
    /// Print the report as JSON instead of Markdown.
    #[arg(long)]
    pub json: bool,
}

/// Runs `scrim explain`.
pub fn run(args: &Args) -> ExitCode {
    let result = (|| {
        let law = load_law(args.law.as_deref())?;
        let policy = load_policy(&args.file)?;
        let at = parse_at(args.at.as_deref())?;
        let report = explain(&policy, &law, at);
        if args.json {
            serde_json::to_string_pretty(&report)
                .map(|j| j + "\n")
                .map_err(|e| format!("cannot render the report: {e}"))
        } else {
            Ok(render(&report))
        }
    })();
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn list(items: &[String], empty: &str) -> String {
    if items.is_empty() {
        empty.to_owned()
    } else {
        items.join(", ")
    }
}

/// Renders a report as Markdown.
pub fn render(report: &Report) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Privacy impact summary: `{}`\n", report.bundle);
    let _ = writeln!(
        md,
        "Bundle revision `{}`; home region `{}`; law data reviewed {}; evaluated at {}.\n",
        if report.revision.is_empty() {
            "-"
        } else {
            &report.revision
        },
        report.home_region.as_deref().unwrap_or("not set"),
        report.law_reviewed,
        report.at
    );
    let _ = writeln!(md, "> {}\n", report.notice);
    let regimes: Vec<String> = report
        .regimes
        .iter()
        .map(|r| format!("{} ({})", r.id, r.label))
        .collect();
    let _ = writeln!(
        md,
        "Transfer regimes that apply: {}.\n",
        if regimes.is_empty() {
            "none in the law data".to_owned()
        } else {
            regimes.join("; ")
        }
    );
    if let Some(p) = report.pipl {
        let _ = writeln!(
            md,
            "PIPL volume: {}.\n",
            match p.required {
                Some(t) => format!(
                    "the declared `pipl_volume` calls for mechanisms of tier `{}`",
                    t.as_str()
                ),
                None => "not declared; mechanisms are accepted whatever their tier".to_owned(),
            }
        );
    }

    let _ = writeln!(md, "## Recipients\n");
    if report.recipients.is_empty() {
        let _ = writeln!(
            md,
            "No recipients are defined: no transfer to a third party is recognised.\n"
        );
    }
    for r in &report.recipients {
        let _ = writeln!(md, "### `{}`: {} ({})\n", r.id, r.name, r.region);
        let _ = writeln!(
            md,
            "- Purposes: {}; attributes: {}.",
            list(&r.purposes, "none"),
            list(&r.attributes, "none")
        );
        if let Some(c) = &r.consent_category {
            let _ = writeln!(md, "- Needs consent category `{c}` in the browser.");
        }
        for b in &r.bases {
            let _ = writeln!(md, "- Basis under {}: {}.", b.regime, b.basis);
            if let Some(note) = &b.note {
                let _ = writeln!(md, "  - Note: {note}");
            }
        }
        for rule in &r.rules {
            let _ = writeln!(
                md,
                "- Rule `{}` ({}): {}{}, {}.",
                rule.id,
                if rule.enforced { "enforced" } else { "shadow" },
                rule.action.as_str(),
                if rule.action == Action::Allow {
                    String::new()
                } else {
                    format!(" {}", rule.effect)
                },
                rule.when
            );
        }
        if r.gpc_builtin_only {
            let _ = writeln!(
                md,
                "- GPC: the built-in guard denies it (403) when `Sec-GPC: 1` or the persisted opt-out is present; no explicit `when.gpc` rule."
            );
        }
        let _ = match &r.reach {
            Reach::DeniedBy { rule } => writeln!(
                md,
                "- Categories that can reach it: none (rule `{rule}` denies).\n"
            ),
            Reach::NoBasis { regimes } => writeln!(
                md,
                "- Categories that can reach it: none from subjects under {} (no basis: the default denies with 403).\n",
                regimes.join(", ")
            ),
            Reach::Categories { categories } => writeln!(
                md,
                "- Categories that can reach it: {}.\n",
                list(categories, "none")
            ),
        };
    }

    if !report.localities.is_empty() {
        let _ = writeln!(md, "## Upstreams by locality\n");
        for l in &report.localities {
            let bases: Vec<String> = l
                .bases
                .iter()
                .map(|b| format!("{}: {}", b.regime, b.basis))
                .collect();
            let _ = writeln!(
                md,
                "- `{}` → `{}`; an upstream there with no recipient match: {}.",
                l.locality,
                l.region,
                list(&bases, "no regime applies")
            );
        }
        md.push('\n');
    }

    let _ = writeln!(md, "## Routes\n");
    for route in &report.routes {
        let limits: Vec<String> = route
            .bulk_limit
            .iter()
            .map(|(c, n)| format!("{c} > {n}"))
            .collect();
        let _ = writeln!(
            md,
            "- `{}`: hosts {}, paths {}; recipient {}; profile {}; bulk limit {}.",
            route.id,
            if route.hosts.is_empty() {
                "any".to_owned()
            } else {
                route.hosts.join(" ")
            },
            if route.paths.is_empty() {
                "any".to_owned()
            } else {
                route.paths.join(" ")
            },
            route
                .recipient
                .as_deref()
                .map_or("none".to_owned(), |r| format!("`{r}`")),
            route.profile.as_deref().unwrap_or("none"),
            list(&limits, "none")
        );
    }
    if report.routes.is_empty() {
        let _ = writeln!(md, "No routes are defined.");
    }
    md.push('\n');

    let _ = writeln!(md, "## Breach response\n");
    match &report.breach_profile {
        Some(p) => {
            let _ = writeln!(
                md,
                "Profile `{}`{}: {}{}. Switch it on with `options.profile` in the filter configuration or `--profile {}`.\n",
                p.id,
                p.description
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default(),
                if p.redact_sensitive {
                    "redacts every sensitive category"
                } else {
                    "keeps redaction as is"
                },
                if p.deny_outside_home {
                    ", denies transfers outside the home region"
                } else {
                    ""
                },
                p.id
            );
        }
        None => {
            let _ = writeln!(md, "No breach-response profile.\n");
        }
    }

    let _ = writeln!(md, "## Flagged risks\n");
    if report.risks.is_empty() {
        let _ = writeln!(md, "None found.");
    }
    for r in &report.risks {
        let _ = writeln!(md, "- {}", r.message);
    }
    md
}
