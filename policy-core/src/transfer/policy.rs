//! The transfer-relevant part of a bundle, read from bundle JSON and compiled for fast decisions.
//!
//! Region groups are expanded once into sorted code lists, so deciding a request is a few
//! binary searches and no parsing.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::bundle::{self, Bundle};
use crate::gateway::route::method_name;
use crate::law::{PiplVolumes, is_region_code};

pub use crate::bundle::RecipientMatch;

/// A set of regions: ISO 3166 codes, expanded groups (group names kept), or `*`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegionSet {
    any: bool,
    codes: Vec<String>,
}

impl RegionSet {
    /// Whether `code` (`FR`, `US-CA`, or a group name) is in the set. `US-CA` is in any set
    /// containing `US`.
    #[must_use]
    pub fn contains(&self, code: &str) -> bool {
        if self.any {
            return true;
        }
        let found = |c: &str| self.codes.binary_search_by(|m| m.as_str().cmp(c)).is_ok();
        found(code)
            || code
                .split_once('-')
                .is_some_and(|(country, _)| found(country))
    }

    /// Whether the set matches everything (`*`).
    #[must_use]
    pub fn is_any(&self) -> bool {
        self.any
    }

    /// The expanded codes, sorted.
    #[must_use]
    pub fn codes(&self) -> &[String] {
        &self.codes
    }
}

pub use crate::bundle::{Action, Mode};

impl Action {
    /// `allow`, `redact` or `deny`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Redact => "redact",
            Action::Deny => "deny",
        }
    }
}

fn basis_name(basis: bundle::Basis) -> &'static str {
    match basis {
        bundle::Basis::Adequacy => "adequacy",
        bundle::Basis::Dpf => "dpf",
        bundle::Basis::Scc => "scc",
        bundle::Basis::Bcr => "bcr",
        bundle::Basis::Consent => "consent",
        bundle::Basis::Contract => "contract",
        bundle::Basis::Exempt => "exempt",
        bundle::Basis::PiplStandardContract => "pipl_standard_contract",
        bundle::Basis::PiplCertification => "pipl_certification",
        bundle::Basis::PiplSecurityAssessment => "pipl_security_assessment",
    }
}

/// A data category as far as transfers care.
#[derive(Debug, Clone)]
pub struct Category {
    /// Category id.
    pub id: String,
    /// Human label.
    pub label: String,
    /// Sensitive categories are redacted by `redact_sensitive` profiles and flagged by `explain`.
    pub sensitive: bool,
}

/// A recipient of personal data, with its region and the attributes that evidence safeguards.
#[derive(Debug, Clone)]
pub struct Recipient {
    /// Recipient id.
    pub id: String,
    /// Legal name.
    pub name: String,
    /// Region code where it processes the data.
    pub region: String,
    /// Attributes: `dpf_certified`, `scc`, `bcr`, `pipl_standard_contract`, ...
    pub attributes: Vec<String>,
    /// Purposes: `sale`, `share`, `ads`, `analytics`, `support`, `processing`, ...
    pub purposes: Vec<String>,
    /// How the gateway recognises it.
    pub matcher: RecipientMatch,
}

impl Recipient {
    /// Whether the recipient sells or shares personal data (CCPA), or does targeted ads.
    #[must_use]
    pub fn sells_or_shares(&self) -> bool {
        self.purposes
            .iter()
            .any(|p| matches!(p.as_str(), "sale" | "share" | "ads"))
    }
}

/// Optional conditions of a transfer rule; all given ones must hold.
#[derive(Debug, Clone, Default)]
pub struct When {
    /// `true`: only with a GPC signal; `false`: only without.
    pub gpc: Option<bool>,
    /// Only when consent for this consent category is missing.
    pub consent_missing: Option<String>,
    /// Only for these audiences.
    pub audiences: Vec<String>,
    /// Only for data subjects whose verified residency (or citizenship) is in these regions.
    pub subject: Option<RegionSet>,
}

/// One explicit transfer rule of the bundle.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Rule id, reported in decisions.
    pub id: String,
    /// What it is for.
    pub description: Option<String>,
    /// Subject (client) regions it applies to; `None` = any.
    pub from: Option<RegionSet>,
    /// Recipient regions it applies to; `None` = any.
    pub to: Option<RegionSet>,
    /// Recipient ids it applies to; empty = any.
    pub recipients: Vec<String>,
    /// Categories it applies to; empty = any.
    pub categories: Vec<String>,
    /// Extra conditions.
    pub when: When,
    /// What it does.
    pub action: Action,
    /// Status for deny (403 unless 451 is chosen).
    pub status: Option<u16>,
    /// Categories to redact for `redact`.
    pub redact: Vec<String>,
    /// The legal basis the author claims (`adequacy`, `dpf`, `scc`, `consent`, ...).
    pub basis: Option<String>,
    /// Enforce or shadow.
    pub mode: Mode,
}

/// A named profile (e.g. `lockdown` for breach response).
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// Profile name.
    pub id: String,
    /// What it is for.
    pub description: Option<String>,
    /// Redact every sensitive category on every route.
    pub redact_sensitive: bool,
    /// Deny transfers to recipients outside `home_region`.
    pub deny_outside_home: bool,
}

/// A consent category.
#[derive(Debug, Clone)]
pub struct ConsentCategory {
    /// Id (`analytics`, `ads`).
    pub id: String,
    /// Strictly necessary categories never lack consent.
    pub required: bool,
}

/// Consent settings relevant to transfers.
#[derive(Debug, Clone, Default)]
pub struct ConsentSettings {
    /// Current consent revision; cookies with an older one count as no consent.
    pub revision: u32,
    /// Consent categories.
    pub categories: Vec<ConsentCategory>,
    /// Service id → (consent category, recipient id).
    pub services: Vec<(String, String, Option<String>)>,
    /// What a GPC signal opts out of.
    pub gpc: GpcMode,
    /// Jurisdiction modes: regions and their consent mode.
    pub jurisdictions: Vec<(RegionSet, ConsentMode)>,
}

/// A bundle route as far as transfers care.
#[derive(Debug, Clone, Default)]
pub struct RouteInfo {
    /// Route id.
    pub id: String,
    /// Host patterns.
    pub hosts: Vec<String>,
    /// Path patterns.
    pub paths: Vec<String>,
    /// Methods (upper case); empty = any.
    pub methods: Vec<String>,
    /// The recipient all traffic on this route goes to.
    pub recipient: Option<String>,
    /// Profile the route selects.
    pub profile: Option<String>,
    /// Per-category record limits per response (breach guard).
    pub bulk_limit: BTreeMap<String, u64>,
}

pub use crate::bundle::{ConsentMode, GpcMode, Retention};

/// The transfer-relevant view of a bundle, compiled.
#[derive(Debug, Clone)]
pub struct TransferPolicy {
    /// Bundle name.
    pub name: String,
    /// Bundle revision.
    pub revision: String,
    /// Home region (code or group name), used by lockdown and `explain`.
    pub home_region: Option<String>,
    /// Expanded home region.
    pub home: Option<RegionSet>,
    /// Every rule acts as shadow.
    pub dry_run: bool,
    /// Categories.
    pub categories: Vec<Category>,
    /// Recipients.
    pub recipients: Vec<Recipient>,
    /// Explicit rules in order.
    pub rules: Vec<Rule>,
    /// Profiles by name.
    pub profiles: Vec<Profile>,
    /// Consent settings.
    pub consent: ConsentSettings,
    /// Routes in order.
    pub routes: Vec<RouteInfo>,
    /// Retention per category.
    pub retention: BTreeMap<String, Retention>,
    /// Envoy locality region → ISO code of where it is (`localities`), sorted by locality.
    pub localities: Vec<(String, String)>,
    /// The declared PIPL outbound volume (`pipl_volume`), if any.
    pub pipl_volume: Option<PiplVolumes>,
}

/// A problem in the transfer part of a bundle: JSON pointer (and line:column for syntax
/// errors) and a message with a fix hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// JSON pointer of the offending value.
    pub pointer: String,
    /// 1-based line and column, when known.
    pub line_column: Option<(usize, usize)>,
    /// Lowercase message.
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((l, c)) = self.line_column {
            write!(f, "{l}:{c}: ")?;
        }
        if self.pointer.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.pointer, self.message)
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for PolicyError {}

fn perr(pointer: String, message: String) -> PolicyError {
    PolicyError {
        pointer,
        line_column: None,
        message,
    }
}

struct Groups<'a>(&'a BTreeMap<String, Vec<String>>);

impl Groups<'_> {
    fn expand(&self, codes: &[String], pointer: &str) -> Result<RegionSet, PolicyError> {
        let mut set = RegionSet::default();
        for (i, code) in codes.iter().enumerate() {
            self.add(&mut set, code, &format!("{pointer}/{i}"), 0)?;
        }
        set.codes.sort();
        set.codes.dedup();
        Ok(set)
    }

    fn add(
        &self,
        set: &mut RegionSet,
        code: &str,
        pointer: &str,
        depth: usize,
    ) -> Result<(), PolicyError> {
        if depth > 8 {
            return Err(perr(
                pointer.to_owned(),
                format!("region group `{code}` nests more than 8 levels deep; check for a cycle"),
            ));
        }
        if code == "*" {
            set.any = true;
        } else if let Some(members) = self.0.get(code) {
            set.codes.push(code.to_owned());
            for m in members {
                self.add(set, m, pointer, depth + 1)?;
            }
        } else if is_region_code(code) {
            set.codes.push(code.to_owned());
        } else {
            let known: Vec<&str> = self.0.keys().map(String::as_str).collect();
            return Err(perr(
                pointer.to_owned(),
                format!(
                    "unknown region `{code}`; use an ISO 3166 code like `DE` or `US-CA`, `*`, or a group from `regions` ({})",
                    if known.is_empty() {
                        "none defined".to_owned()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        }
        Ok(())
    }
}

impl TransferPolicy {
    /// Reads a bundle from JSON ([`Bundle::from_json`]) and compiles its transfer part.
    ///
    /// # Errors
    /// Malformed JSON or unknown keys (with line:column), then as [`TransferPolicy::from_bundle`].
    pub fn from_bundle_json(text: &str) -> Result<TransferPolicy, PolicyError> {
        let bundle = Bundle::from_json(text).map_err(|e| PolicyError {
            pointer: String::new(),
            line_column: Some((e.line(), e.column())),
            message: format!("{e}"),
        })?;
        TransferPolicy::from_bundle(&bundle).map_err(|mut e| {
            if e.line_column.is_none() {
                e.line_column = crate::law::locate(text, &e.pointer);
            }
            e
        })
    }

    /// Compiles the transfer part of a loaded [`Bundle`]: `home_region`, `dry_run`,
    /// `categories`, `regions`, `recipients`, `transfers`, `profiles`, `consent`, `routes`,
    /// `retention`.
    ///
    /// # Errors
    /// Unknown regions, recipients, categories, consent categories or profiles (with the JSON
    /// pointer and a did-you-mean), `status` other than 403/451 or on a non-deny rule, `redact`
    /// on a non-redact rule, region groups nested in a cycle.
    pub fn from_bundle(bundle: &Bundle) -> Result<TransferPolicy, PolicyError> {
        compile(bundle)
    }

    /// The category with this id.
    #[must_use]
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The recipient with this id.
    #[must_use]
    pub fn recipient(&self, id: &str) -> Option<&Recipient> {
        self.recipients.iter().find(|r| r.id == id)
    }

    /// The profile with this name.
    #[must_use]
    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }

    /// Ids of sensitive categories.
    pub fn sensitive_categories(&self) -> impl Iterator<Item = &str> {
        self.categories
            .iter()
            .filter(|c| c.sensitive)
            .map(|c| c.id.as_str())
    }

    /// The region code an Envoy locality region (`eu-west-1`) is mapped to by `localities`.
    #[must_use]
    pub fn locality(&self, region: &str) -> Option<&str> {
        self.localities
            .binary_search_by(|(k, _)| k.as_str().cmp(region))
            .ok()
            .and_then(|i| self.localities.get(i))
            .map(|(_, code)| code.as_str())
    }

    /// The consent category a recipient's services need, if any.
    #[must_use]
    pub fn consent_category_of(&self, recipient: &str) -> Option<&str> {
        self.consent
            .services
            .iter()
            .find(|(_, _, r)| r.as_deref() == Some(recipient))
            .map(|(_, category, _)| category.as_str())
    }
}

fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let list: Vec<&str> = candidates.collect();
    let close = list.iter().find(|c| {
        c.starts_with(word.get(..2).unwrap_or(word)) || word.starts_with(c.get(..2).unwrap_or(c))
    });
    match close {
        Some(c) => format!("did you mean `{c}`?"),
        None if list.is_empty() => "none are defined".to_owned(),
        None => format!("defined: {}", list.join(", ")),
    }
}

fn compile(raw: &Bundle) -> Result<TransferPolicy, PolicyError> {
    let groups = Groups(&raw.regions);
    let categories: Vec<Category> = raw
        .categories
        .iter()
        .map(|c| Category {
            id: c.id.clone(),
            label: c.label.clone(),
            sensitive: c.sensitive,
        })
        .collect();
    let check_category = |id: &str, pointer: String| -> Result<(), PolicyError> {
        if categories.iter().any(|c| c.id == id) {
            Ok(())
        } else {
            Err(perr(
                pointer,
                format!(
                    "unknown category `{id}`; {}",
                    did_you_mean(id, categories.iter().map(|c| c.id.as_str()))
                ),
            ))
        }
    };
    let home = match &raw.home_region {
        Some(h) => Some(groups.expand(core::slice::from_ref(h), "/home_region")?),
        None => None,
    };
    let mut recipients = Vec::with_capacity(raw.recipients.len());
    for (i, r) in raw.recipients.iter().enumerate() {
        let at = format!("/recipients/{i}");
        if recipients.iter().any(|x: &Recipient| x.id == r.id) {
            return Err(perr(
                format!("{at}/id"),
                format!("duplicate recipient id `{}`", r.id),
            ));
        }
        if !is_region_code(&r.region)
            && !raw.regions.contains_key(&r.region)
            && !r.region.starts_with("org:")
        {
            return Err(perr(
                format!("{at}/region"),
                format!(
                    "recipient region `{}` must be an ISO 3166 code like `US`, a group, or an `org:` id",
                    r.region
                ),
            ));
        }
        recipients.push(Recipient {
            id: r.id.clone(),
            name: r.name.clone().unwrap_or_else(|| r.id.clone()),
            region: r.region.clone(),
            attributes: r.attributes.clone(),
            purposes: r.purposes.clone(),
            matcher: r.matcher.clone(),
        });
    }
    let recipient_known = |id: &str, pointer: String| -> Result<(), PolicyError> {
        if recipients.iter().any(|r: &Recipient| r.id == id) {
            Ok(())
        } else {
            Err(perr(
                pointer,
                format!(
                    "unknown recipient `{id}`; {}",
                    did_you_mean(id, recipients.iter().map(|r| r.id.as_str()))
                ),
            ))
        }
    };
    let consent = match &raw.consent {
        None => ConsentSettings::default(),
        Some(c) => {
            let mut jurisdictions = Vec::new();
            for (i, j) in c.jurisdictions.iter().enumerate() {
                jurisdictions.push((
                    groups.expand(&j.regions, &format!("/consent/jurisdictions/{i}/regions"))?,
                    j.mode,
                ));
            }
            for (i, s) in c.services.iter().enumerate() {
                if let Some(r) = &s.recipient {
                    recipient_known(r, format!("/consent/services/{i}/recipient"))?;
                }
            }
            ConsentSettings {
                revision: c.revision,
                categories: c
                    .categories
                    .iter()
                    .map(|k| ConsentCategory {
                        id: k.id.clone(),
                        required: k.required,
                    })
                    .collect(),
                services: c
                    .services
                    .iter()
                    .map(|s| (s.id.clone(), s.category.clone(), s.recipient.clone()))
                    .collect(),
                gpc: c.gpc,
                jurisdictions,
            }
        }
    };
    let mut rules = Vec::with_capacity(raw.transfers.len());
    for (i, r) in raw.transfers.iter().enumerate() {
        let at = format!("/transfers/{i}");
        if rules.iter().any(|x: &Rule| x.id == r.id) {
            return Err(perr(
                format!("{at}/id"),
                format!("duplicate transfer rule id `{}`", r.id),
            ));
        }
        let from = if r.from.is_empty() {
            None
        } else {
            Some(groups.expand(&r.from, &format!("{at}/from"))?)
        };
        let to = if r.to.is_empty() {
            None
        } else {
            Some(groups.expand(&r.to, &format!("{at}/to"))?)
        };
        let empty_when = bundle::When::default();
        let when = r.when.as_ref().unwrap_or(&empty_when);
        for (j, id) in r.recipients.iter().enumerate() {
            recipient_known(id, format!("{at}/recipients/{j}"))?;
        }
        for (j, id) in r.categories.iter().enumerate() {
            check_category(id, format!("{at}/categories/{j}"))?;
        }
        for (j, id) in r.redact.iter().enumerate() {
            check_category(id, format!("{at}/redact/{j}"))?;
        }
        match (r.action, r.status) {
            (Action::Deny, None | Some(403 | 451)) => {}
            (Action::Deny, Some(s)) => {
                return Err(perr(
                    format!("{at}/status"),
                    format!(
                        "status `{s}` is not allowed; use 403 (policy or consent) or 451 (legal block)"
                    ),
                ));
            }
            (_, Some(_)) => {
                return Err(perr(
                    format!("{at}/status"),
                    "`status` only applies to `\"action\": \"deny\"`; remove it".to_owned(),
                ));
            }
            (_, None) => {}
        }
        if r.action != Action::Redact && !r.redact.is_empty() {
            return Err(perr(
                format!("{at}/redact"),
                "`redact` only applies to `\"action\": \"redact\"`; remove it or change the action"
                    .to_owned(),
            ));
        }
        if r.action == Action::Redact && r.redact.is_empty() {
            return Err(perr(
                format!("{at}/redact"),
                "a redact rule lists the categories to redact, e.g. `\"redact\": [\"contact\"]`"
                    .to_owned(),
            ));
        }
        if let Some(c) = &when.consent_missing
            && !consent.categories.iter().any(|k| &k.id == c)
        {
            return Err(perr(
                format!("{at}/when/consent_missing"),
                format!(
                    "unknown consent category `{c}`; {}",
                    did_you_mean(c, consent.categories.iter().map(|k| k.id.as_str()))
                ),
            ));
        }
        let subject = if when.subject.is_empty() {
            None
        } else {
            Some(groups.expand(&when.subject, &format!("{at}/when/subject"))?)
        };
        rules.push(Rule {
            id: r.id.clone(),
            description: r.description.clone(),
            from,
            to,
            recipients: r.recipients.clone(),
            categories: r.categories.clone(),
            when: When {
                gpc: when.gpc,
                consent_missing: when.consent_missing.clone(),
                audiences: when.audiences.clone(),
                subject,
            },
            action: r.action,
            status: match r.action {
                Action::Deny => Some(r.status.unwrap_or(403)),
                _ => None,
            },
            redact: r.redact.clone(),
            basis: r.basis.map(|b| basis_name(b).to_owned()),
            mode: r.mode,
        });
    }
    let profiles = raw
        .profiles
        .iter()
        .map(|(id, p)| Profile {
            id: id.clone(),
            description: p.description.clone(),
            redact_sensitive: p.redact_sensitive,
            deny_outside_home: p.deny_outside_home,
        })
        .collect::<Vec<_>>();
    let mut routes = Vec::with_capacity(raw.routes.len());
    for (i, r) in raw.routes.iter().enumerate() {
        if let Some(rec) = &r.recipient {
            recipient_known(rec, format!("/routes/{i}/recipient"))?;
        }
        if let Some(p) = &r.profile
            && !profiles.iter().any(|x| &x.id == p)
        {
            return Err(perr(
                format!("/routes/{i}/profile"),
                format!(
                    "unknown profile `{p}`; {}",
                    did_you_mean(p, profiles.iter().map(|x| x.id.as_str()))
                ),
            ));
        }
        for id in r.bulk_limit.keys() {
            check_category(id, format!("/routes/{i}/bulk_limit/{id}"))?;
        }
        routes.push(RouteInfo {
            id: r.id.clone(),
            hosts: r.hosts.clone(),
            paths: r.paths.clone(),
            methods: r
                .methods
                .iter()
                .map(|m| method_name(*m).to_owned())
                .collect(),
            recipient: r.recipient.clone(),
            profile: r.profile.clone(),
            bulk_limit: r
                .bulk_limit
                .iter()
                .map(|(k, v)| (k.clone(), u64::from(*v)))
                .collect(),
        });
    }
    let mut localities = Vec::with_capacity(raw.localities.len());
    for (locality, code) in &raw.localities {
        if !is_region_code(code) {
            return Err(perr(
                format!("/localities/{locality}"),
                format!(
                    "locality `{locality}` maps to `{code}`, which is not an ISO 3166 code; a locality is in one country: write e.g. `\"{locality}\": \"IE\"`"
                ),
            ));
        }
        localities.push((locality.clone(), code.clone()));
    }
    Ok(TransferPolicy {
        name: raw.name.clone(),
        revision: raw.revision.clone(),
        home_region: raw.home_region.clone(),
        home,
        dry_run: raw.dry_run,
        categories,
        recipients,
        rules,
        profiles,
        consent,
        routes,
        retention: raw.retention.clone(),
        localities,
        pipl_volume: raw.pipl_volume.map(|v| PiplVolumes {
            non_sensitive_individuals: v.non_sensitive_individuals,
            sensitive_individuals: v.sensitive_individuals,
            ciio: v.ciio,
            important_data: v.important_data,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"{
      "scrim": 1, "name": "t", "revision": "1", "home_region": "EEA",
      "categories": [{"id": "contact", "label": "Contact"}, {"id": "health", "label": "Health", "sensitive": true}],
      "regions": {"EEA": ["DE", "FR"], "WEST": ["EEA", "GB"]},
      "recipients": [{"id": "us", "region": "US", "attributes": ["scc"], "match": {"clusters": ["us_c"]}}],
      "transfers": [{"id": "r1", "from": ["WEST"], "to": ["US"], "action": "deny", "status": 451}]
    }"#;

    #[test]
    fn groups_expand_through_nesting_and_subdivisions() {
        let p = TransferPolicy::from_bundle_json(BASE).unwrap();
        let from = p.rules[0].from.as_ref().unwrap();
        assert!(from.contains("DE"));
        assert!(from.contains("GB"));
        assert!(from.contains("EEA"));
        assert!(!from.contains("US"));
        assert!(p.rules[0].to.as_ref().unwrap().contains("US-CA"));
        assert_eq!(p.rules[0].status, Some(451));
        assert!(p.home.as_ref().unwrap().contains("FR"));
    }

    #[test]
    fn bad_references_point_at_the_rule() {
        let bad = BASE.replace(r#""to": ["US"]"#, r#""to": ["USA"]"#);
        let e = TransferPolicy::from_bundle_json(&bad).unwrap_err();
        assert_eq!(e.pointer, "/transfers/0/to/0");
        assert_eq!(e.line_column.map(|(l, _)| l), Some(6), "{e}");
        assert!(e.message.contains("unknown region `USA`"), "{e}");

        let bad = BASE.replace(r#""status": 451"#, r#""status": 500"#);
        let e = TransferPolicy::from_bundle_json(&bad).unwrap_err();
        assert_eq!(e.pointer, "/transfers/0/status");

        let bad = BASE.replace(
            r#""action": "deny", "status": 451"#,
            r#""action": "redact", "redact": ["contcat"]"#,
        );
        let e = TransferPolicy::from_bundle_json(&bad).unwrap_err();
        assert!(e.message.contains("did you mean `contact`"), "{e}");

        let bad = BASE
            .replace(
                r#""regions": {"EEA": ["DE", "FR"], "WEST": ["EEA", "GB"]}"#,
                r#""regions": {"A": ["B"], "B": ["A"]}"#,
            )
            .replace(r#""from": ["WEST"]"#, r#""from": ["A"]"#)
            .replace(r#""home_region": "EEA""#, r#""home_region": "DE""#);
        let e = TransferPolicy::from_bundle_json(&bad).unwrap_err();
        assert!(e.message.contains("cycle"), "{e}");

        let bad = BASE.replace(
            r#""home_region": "EEA","#,
            r#""home_region": "EEA", "localities": {"eu-west-1": "Ireland"},"#,
        );
        let e = TransferPolicy::from_bundle_json(&bad).unwrap_err();
        assert_eq!(e.pointer, "/localities/eu-west-1");
        assert!(e.message.contains("`Ireland`"), "{e}");
    }

    #[test]
    fn localities_map_to_codes() {
        let p = TransferPolicy::from_bundle_json(&BASE.replace(
            r#""home_region": "EEA","#,
            r#""home_region": "EEA", "localities": {"us-east-1": "US", "eu-west-1": "IE"},"#,
        ))
        .unwrap();
        assert_eq!(p.locality("eu-west-1"), Some("IE"));
        assert_eq!(p.locality("us-east-1"), Some("US"));
        assert_eq!(p.locality("ap-south-1"), None);
    }
}
