//! Privacy impact analysis of a bundle: which categories can reach which recipients and
//! regions, on which legal basis, and which risks to look at (`scrim explain`).
//!
//! [`explain`] returns a [`Report`], a plain value that `scrim explain` prints as Markdown (or
//! JSON) and that tests and other tools can inspect. The analysis is static: it reads the
//! bundle's transfer part and the law data on one date; it does not see traffic.
//!
//! ```
//! use scrim_core::explain::{RiskKind, explain};
//! use scrim_core::law::{Date, LawData};
//! use scrim_core::transfer::TransferPolicy;
//!
//! let law = LawData::from_json(include_str!("../../../policies/reference/transfer-law.json")).unwrap();
//! let policy = TransferPolicy::from_bundle_json(r#"{
//!   "scrim": 1, "name": "demo", "revision": "1", "home_region": "EEA", "categories": [],
//!   "regions": {"EEA": ["DE", "FR"]},
//!   "recipients": [{"id": "us-crm", "region": "US", "match": {"clusters": ["crm"]}}]
//! }"#).unwrap();
//! let report = explain(&policy, &law, Date::parse("2026-06-01").unwrap());
//! assert!(report.risks.iter().any(|r| r.kind == RiskKind::NoBasis && r.subject == "us-crm"));
//! ```

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use crate::law::{Basis, Date, LawData, PiplTier, Regime};
use crate::transfer::{Action, GpcMode, Mode, Recipient, Rule, TransferPolicy};

/// The privacy impact summary of one bundle on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Bundle name.
    pub bundle: String,
    /// Bundle revision.
    pub revision: String,
    /// Home region, if set.
    pub home_region: Option<String>,
    /// When the law data was last reviewed.
    pub law_reviewed: String,
    /// The law data's "not legal advice" notice.
    pub notice: String,
    /// The date the law was evaluated at.
    pub at: String,
    /// Exporter regimes that govern the bundle's data.
    pub regimes: Vec<RegimeRef>,
    /// The PIPL tier the declared `pipl_volume` calls for, when the CN regime applies.
    pub pipl: Option<PiplSummary>,
    /// One entry per recipient, in bundle order.
    pub recipients: Vec<RecipientReport>,
    /// Upstreams known only by their Envoy locality (`localities`), with the basis an
    /// anonymous upstream there gets.
    pub localities: Vec<LocalityReport>,
    /// The bundle's routes.
    pub routes: Vec<RouteReport>,
    /// The breach-response profile, if the bundle has one.
    pub breach_profile: Option<BreachProfile>,
    /// Risks to review, in the order found.
    pub risks: Vec<Risk>,
}

/// An exporter regime by id and label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegimeRef {
    /// Regime id (`EU`, `CN`).
    pub id: String,
    /// The law it names.
    pub label: String,
}

/// What the declared PIPL volume means for the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PiplSummary {
    /// The tier the declared volume calls for; `None` when no `pipl_volume` is declared.
    pub required: Option<PiplTier>,
}

/// The legal basis one regime gives for one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasisLine {
    /// Regime id.
    pub regime: String,
    /// The basis in words, e.g. ``adequacy `eu-adequacy-us-dpf` ``.
    pub basis: String,
    /// Whether it lets the transfer go ahead.
    pub permits: bool,
    /// A caveat from the law entry, if any.
    pub note: Option<String>,
}

/// One transfer rule as it applies to a recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleLine {
    /// Rule id.
    pub id: String,
    /// Enforced (not shadow, not `dry_run`).
    pub enforced: bool,
    /// `allow`, `redact` or `deny`.
    pub action: Action,
    /// Categories redacted (redact) or the status (deny), in words.
    pub effect: String,
    /// Its conditions in words (`no analytics consent, GPC on`) or `in every case`.
    pub when: String,
}

/// Which categories can reach a recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Reach {
    /// An unconditional enforced rule denies every transfer to it.
    DeniedBy {
        /// The rule.
        rule: String,
    },
    /// No regime basis and no rule with a trusted basis: the default denies (403).
    NoBasis {
        /// Regimes without a basis.
        regimes: Vec<String>,
    },
    /// These categories can reach it (unconditional redact rules removed).
    Categories {
        /// Category ids.
        categories: Vec<String>,
    },
}

/// The analysis of one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecipientReport {
    /// Recipient id.
    pub id: String,
    /// Legal name.
    pub name: String,
    /// Region.
    pub region: String,
    /// Purposes.
    pub purposes: Vec<String>,
    /// Attributes.
    pub attributes: Vec<String>,
    /// The consent category its browser services need, if any.
    pub consent_category: Option<String>,
    /// The basis under each regime.
    pub bases: Vec<BasisLine>,
    /// The rules that can apply to it.
    pub rules: Vec<RuleLine>,
    /// It sells or shares and only the built-in GPC guard (no explicit `when.gpc` rule)
    /// handles the opt-out.
    pub gpc_builtin_only: bool,
    /// Which categories can reach it.
    pub reach: Reach,
}

/// An Envoy locality the bundle maps to a country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalityReport {
    /// Locality region (`us-east-1`).
    pub locality: String,
    /// The ISO code it is mapped to.
    pub region: String,
    /// The basis under each regime for an upstream there that carries no attributes.
    pub bases: Vec<BasisLine>,
}

/// A route in brief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteReport {
    /// Route id.
    pub id: String,
    /// Host patterns (empty: any).
    pub hosts: Vec<String>,
    /// Path patterns (empty: any).
    pub paths: Vec<String>,
    /// The recipient all traffic goes to.
    pub recipient: Option<String>,
    /// The profile it selects.
    pub profile: Option<String>,
    /// Bulk guard limits, `(category, limit)`.
    pub bulk_limit: Vec<(String, u64)>,
}

/// The breach-response profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreachProfile {
    /// Profile name.
    pub id: String,
    /// Its description.
    pub description: Option<String>,
    /// Redacts every sensitive category.
    pub redact_sensitive: bool,
    /// Denies transfers outside the home region.
    pub deny_outside_home: bool,
}

/// The kinds of risk [`explain`] flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskKind {
    /// A recipient has no adequacy or safeguard under a regime (denied by default).
    NoBasis,
    /// Sensitive data reaches a recipient without adequacy or safeguard, on a rule's
    /// consent/contract/exempt basis alone.
    SensitiveOnDerogation,
    /// A recipient sells or shares but `consent.gpc` is `ignore`.
    GpcIgnored,
    /// `deny_outside_home` without `home_region`: every transfer is denied.
    ProfileWithoutHome,
    /// No breach-response profile.
    NoBreachProfile,
    /// `dry_run` is on.
    DryRun,
    /// A rule is still in shadow mode.
    Shadow,
    /// An allow rule names no basis.
    AllowWithoutBasis,
    /// A category has no retention period.
    NoRetention,
    /// The CN regime applies but no `pipl_volume` is declared: any PIPL mechanism is accepted
    /// whatever the volume.
    PiplVolumeUndeclared,
    /// A recipient's PIPL mechanism is of a lower tier than the declared volume requires.
    PiplBelowTier,
}

/// One flagged risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Risk {
    /// What kind of risk.
    pub kind: RiskKind,
    /// What it is about: a recipient, rule, category or profile id, or the bundle name.
    pub subject: String,
    /// One sentence saying what and what to do.
    pub message: String,
}

/// Analyses `policy` under `law` on date `at`.
#[must_use]
pub fn explain(policy: &TransferPolicy, law: &LawData, at: Date) -> Report {
    let mut risks: Vec<Risk> = Vec::new();
    let risk = |kind, subject: &str, message: String| Risk {
        kind,
        subject: subject.to_owned(),
        message,
    };
    let regimes = regimes(policy, law);
    let cn_applies = regimes.iter().any(|r| r.thresholds.is_some());
    let required = policy
        .pipl_volume
        .as_ref()
        .and_then(|v| law.pipl_tier(v))
        .filter(|_| cn_applies);
    let sensitive: Vec<&str> = policy.sensitive_categories().collect();
    let all: Vec<&str> = policy.categories.iter().map(|c| c.id.as_str()).collect();

    let mut recipients = Vec::with_capacity(policy.recipients.len());
    for r in &policy.recipients {
        let mut bases = Vec::new();
        let mut missing_basis: Vec<String> = Vec::new();
        for regime in &regimes {
            let need = regime.thresholds.and(required);
            let basis = law.basis_for_tier(regime, &r.region, &r.attributes, at, need);
            let note = match basis {
                Basis::Adequacy(e) | Basis::Safeguard(e) => e.note.clone(),
                _ => None,
            };
            if let Basis::BelowTier { entry, required } = basis {
                risks.push(risk(
                    RiskKind::PiplBelowTier,
                    &r.id,
                    format!(
                        "`{}` has `{}` but the declared `pipl_volume` calls for tier `{}` under {}: transfers to it are denied (403). Obtain the mechanism (e.g. `pipl_security_assessment`) or correct `pipl_volume`.",
                        r.id,
                        entry.id,
                        required.as_str(),
                        regime.id
                    ),
                ));
            }
            if !basis.permits() {
                missing_basis.push(regime.id.clone());
            }
            bases.push(BasisLine {
                regime: regime.id.clone(),
                basis: basis_text(&basis),
                permits: basis.permits(),
                note,
            });
        }
        // What the enforced rules do to this recipient.
        let mut blocked: Option<&Rule> = None;
        let mut redacted: Vec<&str> = Vec::new();
        let mut rules = Vec::new();
        for rule in policy.rules.iter().filter(|x| rule_applies_to(x, r)) {
            let enforced = rule.mode == Mode::Enforce && !policy.dry_run;
            rules.push(RuleLine {
                id: rule.id.clone(),
                enforced,
                action: rule.action,
                effect: match rule.action {
                    Action::Redact => rule.redact.join(", "),
                    Action::Deny => format!("{}", rule.status.unwrap_or(403)),
                    Action::Allow => String::new(),
                },
                when: describe_when(rule),
            });
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
        let mut gpc_builtin_only = false;
        if r.sells_or_shares() {
            let explicit = policy.rules.iter().any(|x| {
                x.when.gpc == Some(true) && rule_applies_to(x, r) && x.mode == Mode::Enforce
            });
            if policy.consent.gpc == GpcMode::Ignore {
                risks.push(risk(
                    RiskKind::GpcIgnored,
                    &r.id,
                    format!(
                        "`{}` sells or shares data but `consent.gpc` is `ignore`: GPC opt-outs are not honoured (CCPA 11 CCR 7025, Colorado CPA Rule 5).",
                        r.id
                    ),
                ));
            } else {
                gpc_builtin_only = !explicit;
            }
        }
        let reach = match (blocked, trusted_rule) {
            (Some(rule), _) => Reach::DeniedBy {
                rule: rule.id.clone(),
            },
            (None, None) if !missing_basis.is_empty() => {
                // A tier shortfall is already flagged on its own.
                if !risks
                    .iter()
                    .any(|x| x.kind == RiskKind::PiplBelowTier && x.subject == r.id)
                {
                    risks.push(Risk {
                        kind: RiskKind::NoBasis,
                        subject: r.id.clone(),
                        message: format!(
                            "`{}` in `{}` has no adequacy or safeguard under {}: transfers of personal data to it are denied by default (403). Record its safeguard as an attribute (e.g. `scc`, `dpf_certified`, `pipl_standard_contract`) or stop sending it data.",
                            r.id,
                            r.region,
                            missing_basis.join(", ")
                        ),
                    });
                }
                Reach::NoBasis {
                    regimes: missing_basis,
                }
            }
            (None, trusted) => {
                let sensitive_reach: Vec<&str> = reach
                    .iter()
                    .copied()
                    .filter(|c| sensitive.contains(c))
                    .collect();
                if let Some(rule) = trusted.filter(|_| !missing_basis.is_empty())
                    && !sensitive_reach.is_empty()
                {
                    risks.push(Risk {
                        kind: RiskKind::SensitiveOnDerogation,
                        subject: r.id.clone(),
                        message: format!(
                            "Sensitive data ({}) can reach `{}` in `{}` without adequacy or a safeguard under {}, on rule `{}` and its `{}` basis alone; check that the basis holds for every exchange (Art. 49 derogations are occasional, not bulk).",
                            sensitive_reach.join(", "),
                            r.id,
                            r.region,
                            missing_basis.join(", "),
                            rule.id,
                            rule.basis.as_deref().unwrap_or("")
                        ),
                    });
                }
                Reach::Categories {
                    categories: reach.iter().map(|c| (*c).to_owned()).collect(),
                }
            }
        };
        recipients.push(RecipientReport {
            id: r.id.clone(),
            name: r.name.clone(),
            region: r.region.clone(),
            purposes: r.purposes.clone(),
            attributes: r.attributes.clone(),
            consent_category: policy.consent_category_of(&r.id).map(str::to_owned),
            bases,
            rules,
            gpc_builtin_only,
            reach,
        });
    }

    let pipl = cn_applies.then_some(PiplSummary { required });
    let abroad_from_cn = cn_applies
        && policy
            .recipients
            .iter()
            .any(|r| law.regime("CN").is_some_and(|cn| !cn.contains(&r.region)));
    if abroad_from_cn && policy.pipl_volume.is_none() {
        risks.push(Risk {
            kind: RiskKind::PiplVolumeUndeclared,
            subject: policy.name.clone(),
            message: "The CN regime applies but `pipl_volume` is not declared: any PIPL mechanism (even the small-volume exemption) is accepted whatever the yearly volume. A gateway cannot count a year's volume; declare it (`\"pipl_volume\": {\"non_sensitive_individuals\": N, \"sensitive_individuals\": N}`) and keep it current.".to_owned(),
        });
    }

    let localities = policy
        .localities
        .iter()
        .map(|(locality, region)| LocalityReport {
            locality: locality.clone(),
            region: region.clone(),
            bases: regimes
                .iter()
                .map(|regime| {
                    let need = regime.thresholds.and(required);
                    let basis = law.basis_for_tier(regime, region, &[] as &[&str], at, need);
                    BasisLine {
                        regime: regime.id.clone(),
                        basis: basis_text(&basis),
                        permits: basis.permits(),
                        note: None,
                    }
                })
                .collect(),
        })
        .collect();
    let routes = policy
        .routes
        .iter()
        .map(|route| RouteReport {
            id: route.id.clone(),
            hosts: route.hosts.clone(),
            paths: route.paths.clone(),
            recipient: route.recipient.clone(),
            profile: route.profile.clone(),
            bulk_limit: route
                .bulk_limit
                .iter()
                .map(|(c, n)| (c.clone(), *n))
                .collect(),
        })
        .collect();

    let breach_profile = policy
        .profiles
        .iter()
        .find(|p| p.deny_outside_home || p.redact_sensitive)
        .map(|p| BreachProfile {
            id: p.id.clone(),
            description: p.description.clone(),
            redact_sensitive: p.redact_sensitive,
            deny_outside_home: p.deny_outside_home,
        });
    match &breach_profile {
        Some(p) if p.deny_outside_home && policy.home.is_none() => risks.push(Risk {
            kind: RiskKind::ProfileWithoutHome,
            subject: p.id.clone(),
            message: format!(
                "Profile `{}` denies transfers outside the home region but `home_region` is not set, so it denies every transfer.",
                p.id
            ),
        }),
        Some(_) => {}
        None => risks.push(Risk {
            kind: RiskKind::NoBreachProfile,
            subject: policy.name.clone(),
            message: "No breach-response profile (`profiles.lockdown` with `redact_sensitive` and `deny_outside_home`).".to_owned(),
        }),
    }
    if policy.dry_run {
        risks.push(Risk {
            kind: RiskKind::DryRun,
            subject: policy.name.clone(),
            message: "`dry_run` is on: no transfer rule or default is enforced.".to_owned(),
        });
    }
    for rule in policy.rules.iter().filter(|r| r.mode == Mode::Shadow) {
        risks.push(Risk {
            kind: RiskKind::Shadow,
            subject: rule.id.clone(),
            message: format!(
                "Rule `{}` is still in shadow mode: it reports but does not {}.",
                rule.id,
                rule.action.as_str()
            ),
        });
    }
    for rule in policy
        .rules
        .iter()
        .filter(|r| r.action == Action::Allow && r.basis.is_none())
    {
        risks.push(Risk {
            kind: RiskKind::AllowWithoutBasis,
            subject: rule.id.clone(),
            message: format!(
                "Rule `{}` allows transfers without naming a `basis`.",
                rule.id
            ),
        });
    }
    for c in &policy.categories {
        if !policy.retention.contains_key(&c.id) {
            risks.push(Risk {
                kind: RiskKind::NoRetention,
                subject: c.id.clone(),
                message: format!("Category `{}` has no retention period.", c.id),
            });
        }
    }

    Report {
        bundle: policy.name.clone(),
        revision: policy.revision.clone(),
        home_region: policy.home_region.clone(),
        law_reviewed: format!("{}", law.reviewed),
        notice: law.notice.clone(),
        at: format!("{at}"),
        regimes: regimes
            .iter()
            .map(|r| RegimeRef {
                id: r.id.clone(),
                label: r.label.clone(),
            })
            .collect(),
        pipl,
        recipients,
        localities,
        routes,
        breach_profile,
        risks,
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
        parts.push(if g { "GPC on" } else { "GPC off" }.to_owned());
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
        let first: Vec<&str> = codes.iter().take(6).map(String::as_str).collect();
        format!("{} and {} more", first.join(", "), codes.len() - 6)
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
        Basis::BelowTier { entry, required } => format!(
            "**none**: `{}` is below the tier `{}` the declared volume calls for",
            entry.id,
            required.as_str()
        ),
        Basis::Missing { near: Some(e) } => {
            format!("**none** (`{}` needs attribute `{}`)", e.id, e.scope)
        }
        Basis::Missing { near: None } => "**none**".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAW: &str = include_str!("../../../policies/reference/transfer-law.json");

    fn report(bundle: &str) -> Report {
        let law = LawData::from_json(LAW).unwrap();
        let policy = TransferPolicy::from_bundle_json(bundle).unwrap();
        explain(&policy, &law, Date::parse("2026-06-01").unwrap())
    }

    fn kinds(r: &Report, subject: &str) -> Vec<RiskKind> {
        r.risks
            .iter()
            .filter(|x| x.subject == subject)
            .map(|x| x.kind)
            .collect()
    }

    fn recipient<'a>(r: &'a Report, id: &str) -> &'a RecipientReport {
        r.recipients.iter().find(|x| x.id == id).unwrap()
    }

    #[test]
    fn gdpr_bundle_flags_the_recipient_without_basis_and_the_shadow_rule() {
        let r = report(include_str!("../../../policies/gdpr-eu.json"));
        assert!(r.regimes.iter().any(|g| g.id == "EU"));
        assert_eq!(kinds(&r, "growth-lab"), [RiskKind::NoBasis]);
        assert_eq!(kinds(&r, "sensitive-to-us"), [RiskKind::Shadow]);
        assert!(r.breach_profile.is_some());
        // Categories without retention would be flagged: the shipped bundle has them all.
        assert!(r.risks.iter().all(|x| x.kind != RiskKind::NoRetention));
        assert!(matches!(
            recipient(&r, "growth-lab").reach,
            Reach::NoBasis { .. }
        ));
        assert!(r.pipl.is_none(), "CN does not govern an EU bundle");
        let us = r
            .localities
            .iter()
            .find(|l| l.locality == "us-east-1")
            .unwrap();
        assert_eq!(us.region, "US");
        assert!(us.bases.iter().any(|b| b.regime == "EU" && !b.permits));
        let ie = r
            .localities
            .iter()
            .find(|l| l.locality == "eu-west-1")
            .unwrap();
        assert!(ie.bases.iter().all(|b| b.permits), "{:?}", ie.bases);
    }

    #[test]
    fn pipl_bundle_declares_its_volume_and_flags_what_falls_short() {
        let text = include_str!("../../../policies/pipl-cn.json");
        let r = report(text);
        assert!(r.regimes.iter().any(|g| g.id == "CN"));
        assert!(
            r.pipl.is_some_and(|p| p.required.is_some()),
            "the shipped CN bundle declares pipl_volume: {:?}",
            r.pipl
        );
        assert!(kinds(&r, "crash-reports").contains(&RiskKind::NoBasis));
        assert!(kinds(&r, "domestic").contains(&RiskKind::AllowWithoutBasis));
        assert!(
            r.risks
                .iter()
                .all(|x| x.kind != RiskKind::PiplVolumeUndeclared)
        );

        // Without the declaration, explain says the tier is not checked.
        let undeclared = report(&remove_key(text, "pipl_volume"));
        assert!(
            undeclared
                .risks
                .iter()
                .any(|x| x.kind == RiskKind::PiplVolumeUndeclared)
        );
        // Above a million individuals, a standard contract falls short.
        let big = set_key(
            text,
            "pipl_volume",
            serde_json::json!({"non_sensitive_individuals": 2_000_000}),
        );
        let big = report(&big);
        assert!(big.risks.iter().any(|x| x.kind == RiskKind::PiplBelowTier));
    }

    #[test]
    fn ccpa_bundle_handles_gpc_and_ignoring_it_is_flagged() {
        let text = include_str!("../../../policies/ccpa-us.json");
        let r = report(text);
        assert!(
            r.risks.iter().all(|x| x.kind != RiskKind::GpcIgnored),
            "{:?}",
            r.risks
        );
        let sellers: Vec<&RecipientReport> = r
            .recipients
            .iter()
            .filter(|x| x.purposes.iter().any(|p| p == "sale" || p == "share"))
            .collect();
        assert!(!sellers.is_empty());
        let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
        doc["consent"]["gpc"] = serde_json::json!("ignore");
        let ignored = report(&serde_json::to_string(&doc).unwrap());
        let flagged: Vec<&str> = ignored
            .risks
            .iter()
            .filter(|x| x.kind == RiskKind::GpcIgnored)
            .map(|x| x.subject.as_str())
            .collect();
        assert_eq!(flagged.len(), sellers.len(), "{flagged:?}");
    }

    #[test]
    fn missing_breach_profile_dry_run_and_retention_are_flagged() {
        let r = report(
            r#"{"scrim": 1, "name": "bare", "revision": "1", "dry_run": true,
                "categories": [{"id": "contact", "label": "Contact"}]}"#,
        );
        assert_eq!(
            kinds(&r, "bare"),
            [RiskKind::NoBreachProfile, RiskKind::DryRun]
        );
        assert_eq!(kinds(&r, "contact"), [RiskKind::NoRetention]);
    }

    fn remove_key(text: &str, key: &str) -> String {
        let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
        doc.as_object_mut().unwrap().remove(key);
        serde_json::to_string(&doc).unwrap()
    }

    fn set_key(text: &str, key: &str, value: serde_json::Value) -> String {
        let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
        doc[key] = value;
        serde_json::to_string(&doc).unwrap()
    }
}
