//! Deciding one transfer: lockdown, explicit rules, GPC, then the law data.
//!
//! Order of evaluation (the first step that decides wins; later steps only add to it):
//!
//! 1. **No recipient**: nothing leaves to a third party; allow (lockdown redaction still applies).
//! 2. **Lockdown** (`profiles.<p>.deny_outside_home`): a recipient outside `home_region`, or
//!    with no known region, is denied with 403. Not weakened by `dry_run`.
//! 3. **Explicit rules** in bundle order; shadow rules (and every rule under `dry_run`) are
//!    recorded in `shadow` and do not decide. The first enforced match sets the action; an
//!    `allow` or `redact` rule whose `basis` is not `consent`, `contract` or `exempt` must
//!    still find its basis in the law data (step 5) on that date, or the default applies. A
//!    rule cannot create adequacy the law does not give (e.g. after an adequacy decision ends).
//! 4. **GPC**: with `Sec-GPC: 1` (or the opt-out persisted in the consent cookie), a recipient
//!    with purpose `sale`, `share` or `ads` is denied with 403, unless `consent.gpc` is
//!    `ignore`.
//! 5. **Law data**: every regime that applies (the subject's region's, the home region's; all
//!    regimes when the subject's region is unknown) must give a basis: inside the regime,
//!    adequacy with its scope met by a recipient attribute, a safeguard attribute (`scc`,
//!    `bcr`, a PIPL mechanism), an exemption attribute, or a negative list that does not name
//!    the destination. Russian localisation denies a `primary_database` recipient abroad for
//!    Russian citizens. Under a regime with PIPL thresholds, a bundle's declared
//!    `pipl_volume` selects the mechanism tier: a lower-tier mechanism is no basis.
//! 6. **Default without a basis: deny with 403** (`law:no-basis:<regime>`). A 403 because this
//!    is the organisation's policy applying the law, not a legal demand (RFC 7725); write an
//!    explicit rule with `"status": 451` or `"action": "redact"` to choose otherwise.
//! 7. **Lockdown redaction** (`redact_sensitive`) turns allow into redact of every sensitive
//!    category.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::decision::{Decision, ShadowHit};
use super::policy::{Action, GpcMode, Mode, Profile, Recipient, RegionSet, Rule, TransferPolicy};
use super::region::Subject;
use crate::consent::ConsentCookie;
use crate::law::{Basis, Date, LawData, PiplTier, Regime, RegimeDefault};

/// Where the exchange's data goes.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// No third party (the data stays with the client or the origin).
    None,
    /// A bundle recipient.
    Recipient(&'a Recipient),
    /// An upstream known only by its region code.
    Region(&'a str),
}

/// Everything one decision looks at.
#[derive(Debug, Clone, Copy)]
pub struct TransferRequest<'a> {
    /// The data subject's and client's regions.
    pub subject: &'a Subject,
    /// Where the data goes.
    pub target: Target<'a>,
    /// Categories present in the exchange; `None` when not known yet (rules then match on
    /// any category).
    pub categories: Option<&'a [String]>,
    /// A `Sec-GPC: 1` header was present.
    pub gpc: bool,
    /// The decoded consent cookie, if any.
    pub consent: Option<&'a ConsentCookie>,
    /// The audience, if any.
    pub audience: Option<&'a str>,
    /// Header the audience came from (for `Vary`).
    pub audience_header: Option<&'a str>,
    /// Active profile name.
    pub profile: Option<&'a str>,
    /// When the decision is taken.
    pub at: Date,
}

struct Ctx<'a> {
    policy: &'a TransferPolicy,
    req: &'a TransferRequest<'a>,
    recipient: Option<&'a Recipient>,
    region: Option<&'a str>,
}

fn in_set(set: Option<&RegionSet>, code: Option<&str>, protective: bool) -> bool {
    match (set, code) {
        (None, _) => true,
        (Some(set), Some(code)) => set.contains(code),
        // Unknown region: only rules that restrict match (the most protective reading).
        (Some(_), None) => protective,
    }
}

impl Ctx<'_> {
    fn gpc(&self) -> bool {
        self.req.gpc || self.req.consent.is_some_and(|c| c.gpc)
    }

    fn consent_missing(&self, category: &str) -> bool {
        let settings = &self.policy.consent;
        if settings
            .categories
            .iter()
            .any(|c| c.id == category && c.required)
        {
            return false;
        }
        !self
            .req
            .consent
            .is_some_and(|c| c.grants(category, settings.revision))
    }

    fn rule_matches(&self, rule: &Rule, d: &mut Decision) -> bool {
        let protective = rule.action != Action::Allow;
        let subject = self.req.subject;
        if !in_set(rule.from.as_ref(), subject.region(), protective)
            || !in_set(rule.to.as_ref(), self.region, protective)
        {
            return false;
        }
        if let Some(set) = &rule.when.subject {
            let verified = [subject.residency.as_deref(), subject.citizenship.as_deref()];
            let known = verified.iter().flatten().count() > 0;
            let hit = verified.iter().flatten().any(|c| set.contains(c));
            if !(hit || (!known && protective)) {
                return false;
            }
        }
        if !rule.recipients.is_empty()
            && !self
                .recipient
                .is_some_and(|r| rule.recipients.contains(&r.id))
        {
            return false;
        }
        if !rule.categories.is_empty()
            && self
                .req
                .categories
                .is_some_and(|present| !present.iter().any(|c| rule.categories.contains(c)))
        {
            return false;
        }
        if !rule.when.audiences.is_empty() {
            if let Some(h) = self.req.audience_header {
                d.add_vary(h);
            }
            if !self
                .req
                .audience
                .is_some_and(|a| rule.when.audiences.iter().any(|x| x == a))
            {
                return false;
            }
        }
        if let Some(want) = rule.when.gpc {
            d.add_vary("sec-gpc");
            d.add_vary("cookie");
            if self.gpc() != want {
                return false;
            }
        }
        if let Some(category) = &rule.when.consent_missing {
            d.add_vary("cookie");
            if !self.consent_missing(category) {
                return false;
            }
        }
        true
    }
}

fn target_name(recipient: Option<&Recipient>, region: Option<&str>) -> String {
    match (recipient, region) {
        (Some(r), Some(g)) => format!("recipient `{}` in `{g}`", r.id),
        (Some(r), None) => format!("recipient `{}` (region unknown)", r.id),
        (None, Some(g)) => format!("upstream in `{g}`"),
        (None, None) => "an upstream of unknown region".to_owned(),
    }
}

impl TransferPolicy {
    /// Decides one exchange. See the module docs for the order of steps. Never panics; cost is
    /// a few set lookups per rule and regime.
    #[must_use]
    pub fn decide(&self, law: &LawData, req: &TransferRequest<'_>) -> Decision {
        let (recipient, region) = match req.target {
            Target::None => (None, None),
            Target::Recipient(r) => (Some(r), Some(r.region.as_str())),
            Target::Region(g) => (None, Some(g)),
        };
        let ctx = Ctx {
            policy: self,
            req,
            recipient,
            region,
        };
        let profile = req.profile.and_then(|p| self.profile(p));
        let mut d = Decision::allow();
        d.recipient = recipient.map(|r| r.id.clone());
        if matches!(req.target, Target::None) {
            d.reasons.push(
                "no recipient matched: the exchange is not a transfer to a third party".to_owned(),
            );
            apply_redact_sensitive(self, profile, &mut d);
            return d;
        }
        for name in &req.subject.vary {
            d.add_vary(name);
        }
        let name = target_name(recipient, region);

        // 2. Lockdown: deny outside home.
        if let Some(p) = profile.filter(|p| p.deny_outside_home) {
            let inside = match (&self.home, region) {
                (Some(home), Some(g)) => home.contains(g),
                _ => false,
            };
            if !inside {
                d.action = Action::Deny;
                d.status = Some(403);
                d.rules.push(format!("profile:{}", p.id));
                d.reasons.push(format!(
                    "profile `{}` denies transfers outside home region `{}`; {name} is outside",
                    p.id,
                    self.home_region.as_deref().unwrap_or("(none set)")
                ));
                return d;
            }
        }

        // 3. Explicit rules.
        let mut decided = false;
        let mut law_verdict = None;
        for rule in &self.rules {
            if !ctx.rule_matches(rule, &mut d) {
                continue;
            }
            if rule.mode == Mode::Shadow || self.dry_run {
                d.shadow.push(ShadowHit {
                    rule: rule.id.clone(),
                    action: rule.action,
                    status: rule.status,
                });
                d.reasons.push(format!(
                    "rule `{}` matched in {} and would {}",
                    rule.id,
                    if self.dry_run {
                        "dry_run"
                    } else {
                        "shadow mode"
                    },
                    rule.action.as_str()
                ));
                continue;
            }
            d.action = rule.action;
            d.status = rule.status;
            d.rules.push(rule.id.clone());
            match rule.action {
                Action::Redact => d.categories.clone_from(&rule.redact),
                _ => d.categories.clone_from(&rule.categories),
            }
            d.reasons.push(format!(
                "rule `{}` {} the transfer to {name}{}",
                rule.id,
                match rule.action {
                    Action::Allow => "allows",
                    Action::Redact => "redacts",
                    Action::Deny => "denies",
                },
                rule.basis
                    .as_deref()
                    .map(|b| format!(" (basis: {b})"))
                    .unwrap_or_default()
            ));
            decided = true;
            // An allow or redact rule relies on a basis: unless it names one the law data cannot
            // verify (consent, contract, exempt: Art. 49 derogations, PIPL exemptions), the law
            // must still provide it on this date.
            if rule.action != Action::Deny && !trusted_basis(rule.basis.as_deref()) {
                law_verdict = self.law_check(law, &ctx, &name, &mut d);
            }
            break;
        }

        let outcome = if decided {
            law_verdict
        } else {
            self.implicit(law, &ctx, &name, &mut d)
        };
        {
            let implicit = outcome;
            if let Some((rule, action, status, reason)) = implicit {
                if self.dry_run {
                    d.shadow.push(ShadowHit {
                        rule: rule.clone(),
                        action,
                        status,
                    });
                    d.reasons
                        .push(format!("{reason} (dry_run: reported, not enforced)"));
                } else {
                    if action == Action::Deny {
                        d.categories.clear();
                    }
                    d.action = action;
                    d.status = status;
                    d.rules.push(rule);
                    d.reasons.push(reason);
                }
            }
        }
        apply_redact_sensitive(self, profile, &mut d);
        d
    }

    /// Steps 4 to 6. Returns a non-allow outcome, or `None` after recording the basis.
    fn implicit(
        &self,
        law: &LawData,
        ctx: &Ctx<'_>,
        name: &str,
        d: &mut Decision,
    ) -> Option<(String, Action, Option<u16>, String)> {
        // 4. GPC opt-out of sale/share (or of every non-essential recipient with opt-out-all).
        let gpc_scope = |r: &&Recipient| match self.consent.gpc {
            GpcMode::Ignore => false,
            GpcMode::OptOutSaleShare => r.sells_or_shares(),
            GpcMode::OptOutAll => {
                r.sells_or_shares()
                    || self.consent_category_of(&r.id).is_some_and(|c| {
                        !self
                            .consent
                            .categories
                            .iter()
                            .any(|k| k.id == c && k.required)
                    })
            }
        };
        if let Some(r) = ctx.recipient.filter(gpc_scope) {
            d.add_vary("sec-gpc");
            d.add_vary("cookie");
            if ctx.gpc() {
                return Some((
                    "gpc:opt-out-sale-share".to_owned(),
                    Action::Deny,
                    Some(403),
                    format!(
                        "Global Privacy Control opts out of {} (Cal. Civ. Code 1798.120, 11 CCR 7025) and recipient `{}` is in scope",
                        if self.consent.gpc == GpcMode::OptOutAll {
                            "sale, sharing and non-essential processing"
                        } else {
                            "sale and sharing"
                        },
                        r.id
                    ),
                ));
            }
        }
        self.law_check(law, ctx, name, d)
    }

    /// Step 5: the law data's verdict; `None` after recording the basis in `d`.
    fn law_check(
        &self,
        law: &LawData,
        ctx: &Ctx<'_>,
        name: &str,
        d: &mut Decision,
    ) -> Option<(String, Action, Option<u16>, String)> {
        if ctx.req.categories.is_some_and(<[String]>::is_empty) {
            d.reasons.push(
                "no personal data categories in the exchange: no transfer rules apply".to_owned(),
            );
            return None;
        }
        let subject = ctx.req.subject;
        let mut regimes: Vec<&Regime> = match subject.region() {
            Some(code) => law.regimes_for(code).collect(),
            None => law
                .regimes
                .iter()
                .filter(|r| r.default == RegimeDefault::NeedBasis)
                .collect(),
        };
        if let Some(c) = subject.citizenship.as_deref() {
            regimes.extend(law.regimes_for(c));
        }
        if let (Some(home), Some(name)) = (&self.home, self.home_region.as_deref()) {
            // The home region's name (`EEA`, `CN`) usually names a law group or code: one
            // lookup. Only a bundle-specific group falls back to checking its member codes.
            let before = regimes.len();
            regimes.extend(law.regimes.iter().filter(|r| r.contains(name)));
            if regimes.len() == before {
                regimes.extend(
                    law.regimes
                        .iter()
                        .filter(|r| home.codes().iter().any(|c| r.contains(c))),
                );
            }
        }
        let mut seen: Vec<&str> = Vec::new();
        regimes.retain(|r| {
            let fresh = !seen.contains(&r.id.as_str());
            seen.push(&r.id);
            fresh
        });
        if regimes.is_empty() {
            d.reasons.push(format!(
                "no regime in the law data covers subject region `{}` or home region `{}`: no transfer restriction applies",
                subject.region().unwrap_or("unknown"),
                self.home_region.as_deref().unwrap_or("none")
            ));
            return None;
        }
        if subject.region().is_none() {
            d.reasons.push(
                "subject region unknown: every regime that needs a basis applies (most protective)"
                    .to_owned(),
            );
        }
        let empty: [String; 0] = [];
        let attributes: &[String] = ctx.recipient.map_or(&empty[..], |r| &r.attributes);
        let at = ctx.req.at;
        for regime in regimes {
            // Russian localisation: citizens' data first recorded in Russia.
            if let (Some(loc), Some(citizen)) =
                (law.localization(regime, at), subject.citizenship.as_deref())
            {
                let abroad = ctx.region.is_none_or(|g| !regime.contains(g));
                let primary = loc
                    .attribute
                    .as_deref()
                    .is_some_and(|a| attributes.iter().any(|x| x == a));
                if regime.contains(citizen) && abroad && primary {
                    return Some((
                        format!("law:{}", loc.id),
                        Action::Deny,
                        Some(403),
                        format!(
                            "{}: `{}` ({}) requires citizens' data to be recorded in `{}` first; {name} is a primary database abroad",
                            regime.id, loc.id, loc.instrument, regime.id
                        ),
                    ));
                }
            }
            // A declared PIPL volume selects the mechanism tier the thresholds call for.
            let required = regime
                .thresholds
                .and(self.pipl_volume.as_ref())
                .and_then(|v| law.pipl_tier(v));
            let basis = match ctx.region {
                Some(g) => law.basis_for_tier(regime, g, attributes, at, required),
                None => Basis::Missing { near: None },
            };
            match basis {
                Basis::Inside => d.reasons.push(format!(
                    "{}: {name} is inside the regime, not a restricted transfer",
                    regime.id
                )),
                Basis::Adequacy(e) | Basis::Safeguard(e) | Basis::Exemption(e) => {
                    d.rules.push(format!("law:{}", e.id));
                    let what = match basis {
                        Basis::Adequacy(_) if e.scope != "all" => {
                            format!(
                                "adequacy for `{}` with scope `{}` met",
                                e.jurisdiction, e.scope
                            )
                        }
                        Basis::Adequacy(_) => format!("adequacy for `{}`", e.jurisdiction),
                        Basis::Safeguard(_) => format!(
                            "safeguard evidenced by attribute `{}`",
                            e.attribute.as_deref().unwrap_or("")
                        ),
                        _ => format!(
                            "exemption asserted by attribute `{}`",
                            e.attribute.as_deref().unwrap_or("")
                        ),
                    };
                    d.reasons.push(format!(
                        "{}: {name} allowed on `{}`, {what} ({}, in force since {}){}",
                        regime.id,
                        e.id,
                        e.instrument,
                        e.effective_from,
                        required
                            .map(|t| format!(
                                "; the declared `pipl_volume` calls for tier `{}`",
                                t.as_str()
                            ))
                            .unwrap_or_default()
                    ));
                }
                Basis::NotRestricted => d.reasons.push(format!(
                    "{}: destination not on the restriction list in force on {at}",
                    regime.id
                )),
                Basis::BelowTier { entry, required } => {
                    return Some((
                        format!("law:no-basis:{}", regime.id),
                        Action::Deny,
                        Some(403),
                        format!(
                            "{} ({}): the bundle's declared `pipl_volume` calls for tier `{}`, but {name} has only `{}` (tier `{}`); default for transfers without a sufficient basis is deny 403. Fix: give the recipient a mechanism of tier `{}` (e.g. `pipl_security_assessment`) or correct `pipl_volume`",
                            regime.id,
                            regime.label,
                            required.as_str(),
                            entry.id,
                            entry.tier.map_or("none", PiplTier::as_str),
                            required.as_str(),
                        ),
                    ));
                }
                Basis::Restricted(e) => {
                    return Some((
                        format!("law:{}", e.id),
                        Action::Deny,
                        Some(403),
                        format!(
                            "{}: {name} is on the restriction list `{}` ({})",
                            regime.id, e.id, e.instrument
                        ),
                    ));
                }
                Basis::Missing { near } => {
                    let hint = match near {
                        Some(e) => format!(
                            "adequacy `{}` covers `{}` only for recipients with attribute `{}`",
                            e.id, e.jurisdiction, e.scope
                        ),
                        None => format!("no adequacy decision in force on {at}"),
                    };
                    let fix = if regime.id == "CN" {
                        "pipl_security_assessment, pipl_standard_contract, pipl_certification or a pipl_exempt_* attribute"
                    } else if regime.id == "RU" {
                        "rkn_notified"
                    } else if regime.id == "UK" {
                        "uk_idta or bcr"
                    } else {
                        "scc or bcr"
                    };
                    return Some((
                        format!("law:no-basis:{}", regime.id),
                        Action::Deny,
                        Some(403),
                        format!(
                            "{} ({}): no basis for {name}: {hint}; default for transfers without a basis is deny 403. Fix: give the recipient evidence ({fix}) or add a transfer rule",
                            regime.id, regime.label
                        ),
                    ));
                }
            }
        }
        None
    }
}

/// Bases a rule may assert that the law data cannot check: consent, contract necessity and
/// exemptions are facts about the exchange, not about the recipient.
fn trusted_basis(basis: Option<&str>) -> bool {
    matches!(basis, Some("consent" | "contract" | "exempt"))
}

fn apply_redact_sensitive(policy: &TransferPolicy, profile: Option<&Profile>, d: &mut Decision) {
    let Some(p) = profile.filter(|p| p.redact_sensitive) else {
        return;
    };
    if d.action == Action::Deny {
        return;
    }
    let before = d.categories.len();
    if d.action == Action::Allow {
        d.categories.clear();
    }
    for c in policy.sensitive_categories() {
        if !d.categories.iter().any(|x| x == c) {
            d.categories.push(c.to_owned());
        }
    }
    if !d.categories.is_empty() && (d.action == Action::Allow || d.categories.len() > before) {
        d.action = Action::Redact;
        d.rules.push(format!("profile:{}", p.id));
        d.reasons.push(format!(
            "profile `{}` redacts every sensitive category: {}",
            p.id,
            d.categories.join(", ")
        ));
    }
}
