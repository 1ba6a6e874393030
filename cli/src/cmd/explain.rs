//! `scrim explain`: a privacy impact summary of a bundle, as Markdown.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args as ClapArgs;
use scrim_core::law::{Basis, Date, LawData, Regime};
use scrim_core::transfer::{Action, GpcMode, Mode, Recipient, Rule, TransferPolicy};

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
}

/// Runs `scrim explain`.
pub fn run(args: &Args) -> ExitCode {
    let result = (|| {
        let law = load_law(args.law.as_deref())?;
        let policy = load_policy(&args.file)?;
        let at = parse_at(args.at.as_deref())?;
        Ok::<_, String>(render(&policy, &law, at))
    })();
    match result {
        Ok(md) => {
            print!("{md}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Regimes whose rules govern the bundle's data: the home region's, and those of every region
/// named in transfer rules (`from`, `when.subject`) and consent jurisdictions.
fn regimes<'a>(policy: &TransferPolicy, law: &'a LawData) -> Vec<&'a Regime> {
    let mut codes: Vec<&str> = Vec::new();
    if let Some(home) = &policy.home {
        codes.extend(home.codes().iter().map(String::as_str));
    }
    for rule in &policy.rules {
        for set in [rule.from.as_ref(), rule.when.subject.as_ref()]
            .into_iter()
            .flatten()
        {
            codes.extend(set.codes().iter().map(String::as_str));
        }
    }
    for (set, _) in &policy.consent.jurisdictions {
        codes.extend(set.codes().iter().map(String::as_str));
    }
    law.regimes
        .iter()
        .filter(|r| codes.iter().any(|c| r.contains(c)))
        .collect()
}

fn rule_applies_to(rule: &Rule, r: &Recipient) -> bool {
    (rule.recipients.is_empty() || rule.recipients.contains(&r.id))
        && rule.to.as_ref().is_none_or(|set| set.contains(&r.region))
}

fn conditional(rule: &Rule) -> bool {
    rule.from.is_some()
        || rule.when.gpc.is_some()
        || rule.when.consent_missing.is_some()
        || !rule.when.audiences.is_empty()
        || rule.when.subject.is_some()
}

fn describe_when(rule: &Rule) -> String {
    let mut parts = Vec::new();
    if let Some(from) = &rule.from {
        parts.push(format!("subject in {}", short(from.codes())));
    }
    if let Some(g) = rule.when.gpc {
        parts.push(if g {
            "GPC on".to_owned()
        } else {
            "GPC off".to_owned()
        });
    }
    if let Some(c) = &rule.when.consent_missing {
        parts.push(format!("no `{c}` consent"));
    }
    if !rule.when.audiences.is_empty() {
        parts.push(format!("audience {}", rule.when.audiences.join("/")));
    }
    if let Some(s) = &rule.when.subject {
        parts.push(format!("verified residency in {}", short(s.codes())));
    }
    if !rule.categories.is_empty() {
        parts.push(format!("categories {}", rule.categories.join(", ")));
    }
    if parts.is_empty() {
        "in every case".to_owned()
    } else {
        parts.join(", ")
    }
}

fn short(codes: &[String]) -> String {
    // Group names are upper-case words longer than a code; show them instead of members.
    let groups: Vec<&str> = codes
        .iter()
        .map(String::as_str)
        .filter(|c| c.len() > 2 && !c.contains('-'))
        .collect();
    if !groups.is_empty() {
        return groups.join(", ");
    }
    if codes.len() > 6 {
        format!("{} and {} more", codes[..6].join(", "), codes.len() - 6)
    } else {
        codes.join(", ")
    }
}

fn basis_text(basis: &Basis<'_>) -> String {
    match basis {
        Basis::Inside => "inside the regime".to_owned(),
        Basis::Adequacy(e) => format!("adequacy `{}`", e.id),
        Basis::Safeguard(e) => format!(
            "safeguard `{}` (attribute `{}`)",
            e.id,
            e.attribute.as_deref().unwrap_or("")
        ),
        Basis::Exemption(e) => format!("exemption `{}`", e.id),
        Basis::NotRestricted => "not restricted".to_owned(),
        Basis::Restricted(e) => format!("**restricted** by `{}`", e.id),
        Basis::Missing { near: Some(e) } => {
            format!("**none** (`{}` needs attribute `{}`)", e.id, e.scope)
        }
        Basis::Missing { near: None } => "**none**".to_owned(),
    }
}

/// Renders the summary.
pub fn render(policy: &TransferPolicy, law: &LawData, at: Date) -> String {
    let mut md = String::new();
    let mut risks: Vec<String> = Vec::new();
    let regimes = regimes(policy, law);
    let _ = writeln!(md, "# Privacy impact summary: `{}`\n", policy.name);
    let _ = writeln!(
        md,
        "Bundle revision `{}`; home region `{}`; law data reviewed {}; evaluated at {at}.\n",
        if policy.revision.is_empty() {
            "-"
        } else {
            &policy.revision
        },
        policy.home_region.as_deref().unwrap_or("not set"),
        law.reviewed
    );
    let _ = writeln!(md, "> {}\n", law.notice);
    let regime_names: Vec<String> = regimes
        .iter()
        .map(|r| format!("{} ({})", r.id, r.label))
        .collect();
    let _ = writeln!(
        md,
        "Transfer regimes that apply: {}.\n",
        if regime_names.is_empty() {
            "none in the law data".to_owned()
        } else {
            regime_names.join("; ")
        }
    );

    let sensitive: Vec<&str> = policy.sensitive_categories().collect();
    let all: Vec<&str> = policy.categories.iter().map(|c| c.id.as_str()).collect();

    let _ = writeln!(md, "## Recipients\n");
    if policy.recipients.is_empty() {
        let _ = writeln!(
            md,
            "No recipients are defined: no transfer to a third party is recognised.\n"
        );
    }
    for r in &policy.recipients {
        let _ = writeln!(md, "### `{}`: {} ({})\n", r.id, r.name, r.region);
        let _ = writeln!(
            md,
            "- Purposes: {}; attributes: {}.",
            if r.purposes.is_empty() {
                "none".to_owned()
            } else {
                r.purposes.join(", ")
            },
            if r.attributes.is_empty() {
                "none".to_owned()
            } else {
                r.attributes.join(", ")
            }
        );
        if let Some(c) = policy.consent_category_of(&r.id) {
            let _ = writeln!(md, "- Needs consent category `{c}` in the browser.");
        }
        let mut missing_basis = Vec::new();
        for regime in &regimes {
            let basis = law.basis(regime, &r.region, &r.attributes, at);
            let _ = writeln!(md, "- Basis under {}: {}.", regime.id, basis_text(&basis));
            if let Basis::Adequacy(e) | Basis::Safeguard(e) = basis
                && let Some(note) = &e.note
            {
                let _ = writeln!(md, "  - Note on `{}`: {note}", e.id);
            }
            if !basis.permits() {
                missing_basis.push(regime.id.as_str());
            }
        }
        // What the enforced rules do to this recipient.
        let mut blocked: Option<&Rule> = None;
        let mut redacted: Vec<&str> = Vec::new();
        for rule in policy.rules.iter().filter(|x| rule_applies_to(x, r)) {
            let enforced = rule.mode == Mode::Enforce && !policy.dry_run;
            let _ = writeln!(
                md,
                "- Rule `{}` ({}): {}{}, {}.",
                rule.id,
                if enforced { "enforced" } else { "shadow" },
                rule.action.as_str(),
                match rule.action {
                    Action::Redact => format!(" {}", rule.redact.join(", ")),
                    Action::Deny => format!(" {}", rule.status.unwrap_or(403)),
                    Action::Allow => String::new(),
                },
                describe_when(rule)
            );
            if enforced && !conditional(rule) && blocked.is_none() {
                match rule.action {
                    Action::Deny => blocked = Some(rule),
                    Action::Redact => redacted.extend(rule.redact.iter().map(String::as_str)),
                    Action::Allow => {}
                }
            }
        }
        let reach: Vec<&str> = all
            .iter()
            .copied()
            .filter(|c| !redacted.contains(c))
            .collect();
        let trusted_rule = policy.rules.iter().find(|x| {
            rule_applies_to(x, r)
                && x.mode == Mode::Enforce
                && x.action != Action::Deny
                && matches!(x.basis.as_deref(), Some("consent" | "contract" | "exempt"))
        });
        if r.sells_or_shares() {
            let explicit = policy.rules.iter().any(|x| {
                x.when.gpc == Some(true) && rule_applies_to(x, r) && x.mode == Mode::Enforce
            });
            if policy.consent.gpc == GpcMode::Ignore {
                risks.push(format!(
                    "`{}` sells or shares data but `consent.gpc` is `ignore`: GPC opt-outs are not honoured (CCPA 11 CCR 7025, Colorado CPA Rule 5).",
                    r.id
                ));
            } else if !explicit {
                let _ = writeln!(
                    md,
                    "- GPC: the built-in guard denies it (403) when `Sec-GPC: 1` or the persisted opt-out is present; no explicit `when.gpc` rule."
                );
            }
        }
        match (blocked, trusted_rule) {
            (Some(rule), _) => {
                let _ = writeln!(
                    md,
                    "- Categories that can reach it: none (rule `{}` denies).\n",
                    rule.id
                );
            }
            (None, None) if !missing_basis.is_empty() => {
                let _ = writeln!(
                    md,
                    "- Categories that can reach it: none from subjects under {} (no basis: the default denies with 403).\n",
                    missing_basis.join(", ")
                );
                risks.push(format!(
                    "`{}` in `{}` has no adequacy or safeguard under {}: transfers of personal data to it are denied by default (403). Record its safeguard as an attribute (e.g. `scc`, `dpf_certified`, `pipl_standard_contract`) or stop sending it data.",
                    r.id,
                    r.region,
                    missing_basis.join(", ")
                ));
            }
            (None, trusted) => {
                let _ = writeln!(
                    md,
                    "- Categories that can reach it: {}.\n",
                    if reach.is_empty() {
                        "none".to_owned()
                    } else {
                        reach.join(", ")
                    }
                );
                let sensitive_reach: Vec<&str> = reach
                    .iter()
                    .copied()
                    .filter(|c| sensitive.contains(c))
                    .collect();
                if let Some(rule) = trusted.filter(|_| !missing_basis.is_empty())
                    && !sensitive_reach.is_empty()
                {
                    risks.push(format!(
                        "Sensitive data ({}) can reach `{}` in `{}` without adequacy or a safeguard under {}, on rule `{}` and its `{}` basis alone; check that the basis holds for every exchange (Art. 49 derogations are occasional, not bulk).",
                        sensitive_reach.join(", "),
                        r.id,
                        r.region,
                        missing_basis.join(", "),
                        rule.id,
                        rule.basis.as_deref().unwrap_or("")
                    ));
                }
            }
        }
    }

    let _ = writeln!(md, "## Routes\n");
    for route in &policy.routes {
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
            if route.bulk_limit.is_empty() {
                "none".to_owned()
            } else {
                route
                    .bulk_limit
                    .iter()
                    .map(|(c, n)| format!("{c} > {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
    }
    if policy.routes.is_empty() {
        let _ = writeln!(md, "No routes are defined.");
    }
    md.push('\n');

    let _ = writeln!(md, "## Breach response\n");
    match policy
        .profiles
        .iter()
        .find(|p| p.deny_outside_home || p.redact_sensitive)
    {
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
            if p.deny_outside_home && policy.home.is_none() {
                risks.push(format!(
                    "Profile `{}` denies transfers outside the home region but `home_region` is not set, so it denies every transfer.",
                    p.id
                ));
            }
        }
        None => {
            let _ = writeln!(md, "No breach-response profile.\n");
            risks.push("No breach-response profile (`profiles.lockdown` with `redact_sensitive` and `deny_outside_home`).".to_owned());
        }
    }

    if policy.dry_run {
        risks.push("`dry_run` is on: no transfer rule or default is enforced.".to_owned());
    }
    for rule in policy.rules.iter().filter(|r| r.mode == Mode::Shadow) {
        risks.push(format!(
            "Rule `{}` is still in shadow mode: it reports but does not {}.",
            rule.id,
            rule.action.as_str()
        ));
    }
    for rule in policy
        .rules
        .iter()
        .filter(|r| r.action == Action::Allow && r.basis.is_none())
    {
        risks.push(format!(
            "Rule `{}` allows transfers without naming a `basis`.",
            rule.id
        ));
    }
    for c in &policy.categories {
        if !policy.retention.contains_key(&c.id) {
            risks.push(format!("Category `{}` has no retention period.", c.id));
        }
    }

    let _ = writeln!(md, "## Flagged risks\n");
    if risks.is_empty() {
        let _ = writeln!(md, "None found.");
    }
    for r in &risks {
        let _ = writeln!(md, "- {r}");
    }
    md
}
