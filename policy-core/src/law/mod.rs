//! Cross-border transfer law as dated, sourced reference data.
//!
//! The law file (`policies/reference/transfer-law.json`, top-level `"scrim_law": 1`) is kept
//! apart from any organisation's bundle so that it can be reviewed and updated on its own. It
//! lists exporter **regimes** (EU/EEA, UK, CH, CN, RU, IN) and **entries**: adequacy decisions
//! with a scope qualifier, safeguards and exemptions evidenced by recipient attributes,
//! localisation duties and restriction lists. Every entry is dated and carries a source URL.
//!
//! ```
//! use scrim_core::law::{Basis, Date, LawData};
//! let law = LawData::from_json(include_str!("../../../policies/reference/transfer-law.json")).unwrap();
//! let eu = law.regime("EU").unwrap();
//! let at = Date::parse("2026-06-01").unwrap();
//! // The United States is adequate only for DPF-certified recipients.
//! assert!(matches!(law.basis(eu, "US", &["dpf_certified"], at), Basis::Adequacy(_)));
//! assert!(matches!(law.basis(eu, "US", &[] as &[&str], at), Basis::Missing { .. }));
//! ```
//!
//! Not legal advice: the data summarises instruments; the `notice` and `reviewed` fields say so
//! and when it was last checked.

mod date;

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::Deserialize;

pub use date::{Date, DateError};

/// What a regime does with transfers that match no entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegimeDefault {
    /// A transfer needs adequacy, a safeguard or an exemption (GDPR, UK GDPR, FADP, PIPL, 152-FZ).
    NeedBasis,
    /// Transfers are allowed unless the destination is on a restriction list (India, DPDP s.16).
    AllowedUnlessRestricted,
}

/// The kind of a law entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// An adequacy decision or data bridge for a jurisdiction, limited by its scope.
    Adequacy,
    /// A safeguard (SCCs, BCRs, PIPL mechanism, notification) a recipient attribute evidences.
    Safeguard,
    /// An exemption from the regime's mechanisms a recipient attribute asserts.
    Exemption,
    /// A localisation duty: data of the scoped subjects must first be stored in the jurisdiction.
    Localization,
    /// A list of destinations to which transfers are restricted.
    Restriction,
}

/// PIPL volume tier: which mechanism a processor's yearly volume calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PiplTier {
    /// Below every threshold: exempt from the three mechanisms (notice and consent still apply).
    Exempt,
    /// A filed standard contract or a certification suffices.
    ContractOrCertification,
    /// A CAC security assessment is required.
    Assessment,
}

impl PiplTier {
    fn parse(text: &str) -> Option<PiplTier> {
        match text {
            "exempt" => Some(PiplTier::Exempt),
            "contract_or_certification" => Some(PiplTier::ContractOrCertification),
            "assessment" => Some(PiplTier::Assessment),
            _ => None,
        }
    }

    /// The tier's name as written in the law file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PiplTier::Exempt => "exempt",
            PiplTier::ContractOrCertification => "contract_or_certification",
            PiplTier::Assessment => "assessment",
        }
    }
}

impl serde::Serialize for PiplTier {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// PIPL volume thresholds (CAC Provisions of 22 Mar 2024), counted per processor since 1 January.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PiplThresholds {
    /// Fewer non-sensitive individuals than this (and no sensitive PI) is exempt.
    pub exempt_below_non_sensitive: u64,
    /// More non-sensitive individuals than this needs a security assessment.
    pub assessment_above_non_sensitive: u64,
    /// More sensitive individuals than this needs a security assessment.
    pub assessment_above_sensitive: u64,
}

/// A processor's outbound volumes since 1 January, for [`LawData::pipl_tier`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PiplVolumes {
    /// Individuals whose non-sensitive personal information was exported.
    pub non_sensitive_individuals: u64,
    /// Individuals whose sensitive personal information was exported.
    pub sensitive_individuals: u64,
    /// The processor is a critical information infrastructure operator.
    pub ciio: bool,
    /// The export includes data a regulator has notified as important data.
    pub important_data: bool,
}

/// An exporter regime: a legal system with its own transfer rules.
#[derive(Debug, Clone)]
pub struct Regime {
    /// Short id (`EU`, `UK`, `CH`, `CN`, `RU`, `IN`).
    pub id: String,
    /// Human label naming the law.
    pub label: String,
    /// Source URL of the law.
    pub source: String,
    /// What happens to transfers no entry covers.
    pub default: RegimeDefault,
    /// PIPL thresholds, for the CN regime.
    pub thresholds: Option<PiplThresholds>,
    members: Vec<String>,
}

impl Regime {
    /// Whether a region code (`FR`, `US-CA`, or a group name from the law file) is inside this
    /// regime.
    #[must_use]
    pub fn contains(&self, region: &str) -> bool {
        contains_code(&self.members, region)
    }

    /// The expanded member codes (sorted).
    #[must_use]
    pub fn members(&self) -> &[String] {
        &self.members
    }
}

/// One dated, sourced entry of the law file.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Unique id, cited in decision reasons.
    pub id: String,
    /// Index of the regime in [`LawData::regimes`].
    pub regime: usize,
    /// What the entry provides.
    pub kind: EntryKind,
    /// Scope qualifier: `all`, or a recipient attribute the recipient must carry
    /// (`dpf_certified`, `commercial_pipeda`, `private_sector`), or `citizens` for localisation.
    pub scope: String,
    /// The recipient attribute that evidences a safeguard or exemption, or marks a primary
    /// database for localisation.
    pub attribute: Option<String>,
    /// PIPL tier the mechanism serves: with a declared volume, a mechanism of a lower tier
    /// is not enough ([`LawData::basis_for_tier`]). `None`: valid whatever the volume (the
    /// contract and HR exemptions).
    pub tier: Option<PiplTier>,
    /// The legal instrument.
    pub instrument: String,
    /// First day the entry applies.
    pub effective_from: Date,
    /// Last day the entry applies, if it ends.
    pub effective_until: Option<Date>,
    /// Source URL.
    pub source: String,
    /// Caveats.
    pub note: Option<String>,
    /// The jurisdiction as written (`US`, `EEA`, `*`, `org:epo`); for restrictions, `*`.
    pub jurisdiction: String,
    any_jurisdiction: bool,
    jurisdictions: Vec<String>,
}

impl Entry {
    /// Whether the entry applies on `at`.
    #[must_use]
    pub fn in_force(&self, at: Date) -> bool {
        self.effective_from <= at && self.effective_until.is_none_or(|until| at <= until)
    }

    /// Whether the entry covers destination `region` (for restrictions: whether it is listed).
    #[must_use]
    pub fn covers(&self, region: &str) -> bool {
        self.any_jurisdiction || contains_code(&self.jurisdictions, region)
    }

    /// Whether a recipient with these attributes satisfies the entry's scope.
    #[must_use]
    pub fn scope_met<S: AsRef<str>>(&self, attributes: &[S]) -> bool {
        self.scope == "all" || attributes.iter().any(|a| a.as_ref() == self.scope)
    }
}

/// The legal basis the law data gives (or not) for one transfer under one regime.
#[derive(Debug, Clone, Copy)]
pub enum Basis<'a> {
    /// Destination is inside the exporter regime: not a restricted transfer.
    Inside,
    /// An adequacy decision in force covers the destination and its scope is met.
    Adequacy(&'a Entry),
    /// A safeguard evidenced by a recipient attribute.
    Safeguard(&'a Entry),
    /// An exemption asserted by a recipient attribute.
    Exemption(&'a Entry),
    /// The regime allows transfers unless restricted, and the destination is not restricted.
    NotRestricted,
    /// The destination is on a restriction list in force.
    Restricted(&'a Entry),
    /// A mechanism the recipient has, but of a lower PIPL tier than the declared volume
    /// requires (a standard contract where a security assessment is needed).
    BelowTier {
        /// The mechanism the recipient has.
        entry: &'a Entry,
        /// The tier the declared volume requires.
        required: PiplTier,
    },
    /// No basis. `near` names an adequacy decision for the destination whose scope the
    /// recipient does not meet (e.g. the US without `dpf_certified`).
    Missing {
        /// Adequacy in force for the destination but out of scope for this recipient.
        near: Option<&'a Entry>,
    },
}

impl Basis<'_> {
    /// Whether the transfer may go ahead on this basis.
    #[must_use]
    pub fn permits(&self) -> bool {
        matches!(
            self,
            Basis::Inside
                | Basis::Adequacy(_)
                | Basis::Safeguard(_)
                | Basis::Exemption(_)
                | Basis::NotRestricted
        )
        // BelowTier and Missing give no basis; Restricted forbids.
    }
}

/// Transfer law reference data, loaded and checked.
#[derive(Debug, Clone)]
pub struct LawData {
    /// When the data was last reviewed.
    pub reviewed: Date,
    /// The "not legal advice" notice.
    pub notice: String,
    /// Exporter regimes.
    pub regimes: Vec<Regime>,
    /// All entries in file order.
    pub entries: Vec<Entry>,
}

/// A problem in a law file: where (JSON pointer, and line:column when known) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LawError {
    /// JSON pointer to the offending value (empty for the whole document).
    pub pointer: String,
    /// 1-based line and column, when known.
    pub line_column: Option<(usize, usize)>,
    /// Lowercase message with a fix hint.
    pub message: String,
}

impl fmt::Display for LawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.line_column {
            write!(f, "{line}:{column}: ")?;
        }
        if self.pointer.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.pointer, self.message)
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for LawError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLaw {
    #[serde(rename = "$schema")]
    _schema: Option<String>,
    scrim_law: u32,
    reviewed: String,
    notice: String,
    #[serde(default)]
    groups: alloc::collections::BTreeMap<String, Vec<String>>,
    regimes: Vec<RawRegime>,
    entries: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegime {
    id: String,
    label: String,
    members: Vec<String>,
    transfers: String,
    source: String,
    thresholds: Option<RawThresholds>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThresholds {
    exempt_below_non_sensitive: u64,
    assessment_above_non_sensitive: u64,
    assessment_above_sensitive: u64,
    #[serde(rename = "counting")]
    _counting: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    regime: String,
    kind: String,
    jurisdiction: Option<String>,
    jurisdictions: Option<Vec<String>>,
    scope: String,
    attribute: Option<String>,
    tier: Option<String>,
    instrument: String,
    effective_from: String,
    effective_until: Option<String>,
    source: String,
    note: Option<String>,
}

const SCOPES: &[&str] = &[
    "all",
    "commercial_pipeda",
    "dpf_certified",
    "private_sector",
    "public_sector",
    "citizens",
    "residents",
];

fn contains_code(sorted: &[String], region: &str) -> bool {
    let found = |code: &str| sorted.binary_search_by(|m| m.as_str().cmp(code)).is_ok();
    if found(region) {
        return true;
    }
    // `US-CA` is inside whatever contains `US`.
    match region.split_once('-') {
        Some((country, _)) => found(country),
        None => false,
    }
}

/// Whether `code` is an ISO 3166-1 alpha-2 code (`FR`) or ISO 3166-2 subdivision (`US-CA`) in
/// upper case.
#[must_use]
pub fn is_region_code(code: &str) -> bool {
    let alpha2 = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase());
    match code.split_once('-') {
        None => alpha2(code),
        Some((country, sub)) => {
            alpha2(country)
                && (1..=3).contains(&sub.len())
                && sub
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        }
    }
}

fn is_org_code(code: &str) -> bool {
    code.strip_prefix("org:").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    })
}

struct Checker<'a> {
    groups: &'a alloc::collections::BTreeMap<String, Vec<String>>,
}

impl Checker<'_> {
    /// Expands a jurisdiction into sorted codes, keeping the group name itself so that a
    /// subject claim naming the group matches too.
    fn expand(&self, code: &str, pointer: &str) -> Result<Vec<String>, LawError> {
        let mut out = Vec::new();
        if let Some(members) = self.groups.get(code) {
            out.push(code.to_owned());
            for (i, m) in members.iter().enumerate() {
                if !is_region_code(m) {
                    return Err(LawError {
                        pointer: format!("/groups/{code}/{i}"),
                        line_column: None,
                        message: format!(
                            "`{m}` is not an ISO 3166 code; use upper-case alpha-2 like `FR` or a subdivision like `US-CA`"
                        ),
                    });
                }
                out.push(m.clone());
            }
        } else if is_region_code(code) || is_org_code(code) {
            out.push(code.to_owned());
        } else {
            let known: Vec<&str> = self.groups.keys().map(String::as_str).collect();
            return Err(LawError {
                pointer: pointer.to_owned(),
                line_column: None,
                message: format!(
                    "unknown jurisdiction `{code}`; use an ISO 3166 code like `US`, `*`, an `org:` id, or a group ({})",
                    known.join(", ")
                ),
            });
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}

/// Line and column of the value at `pointer` in `text`, from the spanned JSON reader.
pub(crate) fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    if pointer.is_empty() {
        return None;
    }
    let tree = crate::json::parse(text).ok()?;
    let span = tree.pointer(pointer)?.span;
    Some((
        usize::try_from(span.line).ok()?,
        usize::try_from(span.column).ok()?,
    ))
}

fn semantic(pointer: String, message: String) -> LawError {
    LawError {
        pointer,
        line_column: None,
        message,
    }
}

fn parse_date(text: &str, pointer: String) -> Result<Date, LawError> {
    Date::parse(text).map_err(|e| semantic(pointer, format!("`{text}`: {e}")))
}

fn check_url(text: &str, pointer: String) -> Result<(), LawError> {
    if text.starts_with("https://") && text.len() > "https://".len() && !text.contains(' ') {
        Ok(())
    } else {
        Err(semantic(
            pointer,
            format!(
                "source `{text}` must be an https:// URL to the instrument or its official page"
            ),
        ))
    }
}

impl LawData {
    /// Parses and checks a law file.
    ///
    /// # Errors
    /// A [`LawError`] with the JSON pointer (and line:column for syntax errors) of the first
    /// problem: malformed JSON, unknown keys, a version other than 1, bad dates or codes,
    /// duplicate ids, an entry naming an unknown regime, a missing "not legal advice" notice.
    pub fn from_json(text: &str) -> Result<LawData, LawError> {
        LawData::from_json_unlocated(text).map_err(|mut e| {
            if e.line_column.is_none() {
                e.line_column = locate(text, &e.pointer);
            }
            e
        })
    }

    fn from_json_unlocated(text: &str) -> Result<LawData, LawError> {
        // One spanned parse, then the typed model from the tree: no second JSON reader in the
        // filter, and errors point at the value.
        let tree = crate::json::parse(text).map_err(|e| LawError {
            pointer: String::new(),
            line_column: Some((e.line() as usize, e.column() as usize)),
            message: format!("{}; {}", e.message(), e.help()),
        })?;
        let raw: RawLaw = crate::json::from_value(&tree).map_err(|e| LawError {
            pointer: e.pointer().to_owned(),
            line_column: e.line_column().map(|(l, c)| (l as usize, c as usize)),
            message: e.message().to_lowercase(),
        })?;
        if raw.scrim_law != 1 {
            return Err(semantic(
                "/scrim_law".to_owned(),
                format!(
                    "unsupported law format version `{}`; this build reads version 1",
                    raw.scrim_law
                ),
            ));
        }
        let reviewed = parse_date(&raw.reviewed, "/reviewed".to_owned())?;
        if !raw.notice.to_lowercase().contains("not legal advice") {
            return Err(semantic(
                "/notice".to_owned(),
                "the notice must say the data is \"not legal advice\"".to_owned(),
            ));
        }
        let checker = Checker {
            groups: &raw.groups,
        };
        let mut regimes: Vec<Regime> = Vec::with_capacity(raw.regimes.len());
        for (i, r) in raw.regimes.iter().enumerate() {
            let at = format!("/regimes/{i}");
            if regimes.iter().any(|x| x.id == r.id) {
                return Err(semantic(
                    format!("{at}/id"),
                    format!("duplicate regime id `{}`; ids must be unique", r.id),
                ));
            }
            let default = match r.transfers.as_str() {
                "need_basis" => RegimeDefault::NeedBasis,
                "allowed_unless_restricted" => RegimeDefault::AllowedUnlessRestricted,
                other => {
                    return Err(semantic(
                        format!("{at}/transfers"),
                        format!(
                            "unknown value `{other}`; use `need_basis` or `allowed_unless_restricted`"
                        ),
                    ));
                }
            };
            let mut members = Vec::new();
            for (j, m) in r.members.iter().enumerate() {
                members.extend(checker.expand(m, &format!("{at}/members/{j}"))?);
            }
            members.sort();
            members.dedup();
            check_url(&r.source, format!("{at}/source"))?;
            regimes.push(Regime {
                id: r.id.clone(),
                label: r.label.clone(),
                source: r.source.clone(),
                default,
                thresholds: r.thresholds.as_ref().map(|t| PiplThresholds {
                    exempt_below_non_sensitive: t.exempt_below_non_sensitive,
                    assessment_above_non_sensitive: t.assessment_above_non_sensitive,
                    assessment_above_sensitive: t.assessment_above_sensitive,
                }),
                members,
            });
        }
        let mut entries: Vec<Entry> = Vec::with_capacity(raw.entries.len());
        for (i, e) in raw.entries.iter().enumerate() {
            entries.push(check_entry(&checker, &regimes, &entries, i, e)?);
        }
        Ok(LawData {
            reviewed,
            notice: raw.notice,
            regimes,
            entries,
        })
    }

    /// The regime with this id.
    #[must_use]
    pub fn regime(&self, id: &str) -> Option<&Regime> {
        self.regimes.iter().find(|r| r.id == id)
    }

    /// Regimes that contain `region` (usually at most one).
    pub fn regimes_for<'a>(&'a self, region: &'a str) -> impl Iterator<Item = &'a Regime> + 'a {
        self.regimes.iter().filter(move |r| r.contains(region))
    }

    fn regime_entries<'a>(
        &'a self,
        regime: &'a Regime,
        at: Date,
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        let index = self
            .regimes
            .iter()
            .position(|r| core::ptr::eq(r, regime))
            .unwrap_or(usize::MAX);
        self.entries
            .iter()
            .filter(move |e| e.regime == index && e.in_force(at))
    }

    /// The basis the law gives for a transfer from `regime` to `destination` (a region code)
    /// for a recipient carrying `attributes`, on date `at`.
    ///
    /// Order: inside the regime; a restriction in force; adequacy with its scope met; a
    /// safeguard attribute; an exemption attribute; the regime's default.
    pub fn basis<'a, S: AsRef<str>>(
        &'a self,
        regime: &'a Regime,
        destination: &str,
        attributes: &[S],
        at: Date,
    ) -> Basis<'a> {
        self.basis_for_tier(regime, destination, attributes, at, None)
    }

    /// [`LawData::basis`] for an exporter whose declared volume requires PIPL tier `required`
    /// (from [`LawData::pipl_tier`]): a safeguard or exemption entry of a lower tier does not
    /// count, and when it is all the recipient has the answer is [`Basis::BelowTier`]. With
    /// `None`, every mechanism counts.
    pub fn basis_for_tier<'a, S: AsRef<str>>(
        &'a self,
        regime: &'a Regime,
        destination: &str,
        attributes: &[S],
        at: Date,
        required: Option<PiplTier>,
    ) -> Basis<'a> {
        if regime.contains(destination) {
            return Basis::Inside;
        }
        let has = |attr: &Option<String>| {
            attr.as_deref()
                .is_some_and(|a| attributes.iter().any(|x| x.as_ref() == a))
        };
        let mut near = None;
        let mut safeguard = None;
        let mut exemption = None;
        let mut below = None;
        let enough = |e: &Entry| match (required, e.tier) {
            (Some(need), Some(tier)) => tier >= need,
            _ => true,
        };
        for entry in self.regime_entries(regime, at) {
            match entry.kind {
                EntryKind::Restriction if entry.covers(destination) => {
                    return Basis::Restricted(entry);
                }
                EntryKind::Adequacy if entry.covers(destination) => {
                    if entry.scope_met(attributes) {
                        return Basis::Adequacy(entry);
                    }
                    near = Some(entry);
                }
                EntryKind::Safeguard | EntryKind::Exemption
                    if entry.covers(destination) && has(&entry.attribute) && !enough(entry) =>
                {
                    below = below.or(Some(entry));
                }
                EntryKind::Safeguard
                    if safeguard.is_none()
                        && entry.covers(destination)
                        && has(&entry.attribute) =>
                {
                    safeguard = Some(entry);
                }
                EntryKind::Exemption
                    if exemption.is_none()
                        && entry.covers(destination)
                        && has(&entry.attribute) =>
                {
                    exemption = Some(entry);
                }
                _ => {}
            }
        }
        if let Some(entry) = safeguard {
            return Basis::Safeguard(entry);
        }
        if let Some(entry) = exemption {
            return Basis::Exemption(entry);
        }
        if let (Some(entry), Some(required)) = (below, required) {
            return Basis::BelowTier { entry, required };
        }
        match regime.default {
            RegimeDefault::AllowedUnlessRestricted => Basis::NotRestricted,
            RegimeDefault::NeedBasis => Basis::Missing { near },
        }
    }

    /// A localisation duty in force for `regime` on `at` (the latest one starting), if any.
    #[must_use]
    pub fn localization<'a>(&'a self, regime: &'a Regime, at: Date) -> Option<&'a Entry> {
        self.regime_entries(regime, at)
            .filter(|e| e.kind == EntryKind::Localization)
            .max_by_key(|e| e.effective_from)
    }

    /// Which PIPL mechanism tier a processor's yearly volumes call for, under the CN regime's
    /// thresholds; `None` when the law file has no CN thresholds.
    #[must_use]
    pub fn pipl_tier(&self, volumes: &PiplVolumes) -> Option<PiplTier> {
        let t = self.regimes.iter().find_map(|r| r.thresholds)?;
        Some(
            if volumes.ciio
                || volumes.important_data
                || volumes.non_sensitive_individuals > t.assessment_above_non_sensitive
                || volumes.sensitive_individuals > t.assessment_above_sensitive
            {
                PiplTier::Assessment
            } else if volumes.sensitive_individuals > 0
                || volumes.non_sensitive_individuals >= t.exempt_below_non_sensitive
            {
                PiplTier::ContractOrCertification
            } else {
                PiplTier::Exempt
            },
        )
    }
}

fn check_entry(
    checker: &Checker<'_>,
    regimes: &[Regime],
    previous: &[Entry],
    i: usize,
    e: &RawEntry,
) -> Result<Entry, LawError> {
    let at = format!("/entries/{i}");
    if e.id.is_empty()
        || !e
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(semantic(
            format!("{at}/id"),
            format!(
                "entry id `{}` must be lower-case letters, digits and `-`",
                e.id
            ),
        ));
    }
    if previous.iter().any(|p| p.id == e.id) {
        return Err(semantic(
            format!("{at}/id"),
            format!("duplicate entry id `{}`; ids must be unique", e.id),
        ));
    }
    let Some(regime) = regimes.iter().position(|r| r.id == e.regime) else {
        let ids: Vec<&str> = regimes.iter().map(|r| r.id.as_str()).collect();
        return Err(semantic(
            format!("{at}/regime"),
            format!(
                "unknown regime `{}`; define it under `regimes` or use one of {}",
                e.regime,
                ids.join(", ")
            ),
        ));
    };
    let kind = match e.kind.as_str() {
        "adequacy" => EntryKind::Adequacy,
        "safeguard" => EntryKind::Safeguard,
        "exemption" => EntryKind::Exemption,
        "localization" => EntryKind::Localization,
        "restriction" => EntryKind::Restriction,
        other => {
            return Err(semantic(
                format!("{at}/kind"),
                format!(
                    "unknown kind `{other}`; use adequacy, safeguard, exemption, localization or restriction"
                ),
            ));
        }
    };
    if !SCOPES.contains(&e.scope.as_str()) {
        return Err(semantic(
            format!("{at}/scope"),
            format!(
                "unknown scope `{}`; use one of {}",
                e.scope,
                SCOPES.join(", ")
            ),
        ));
    }
    let (jurisdiction, any_jurisdiction, jurisdictions) = match (
        kind,
        &e.jurisdiction,
        &e.jurisdictions,
    ) {
        (EntryKind::Restriction, None, Some(list)) => {
            let mut codes = Vec::new();
            for (j, code) in list.iter().enumerate() {
                codes.extend(checker.expand(code, &format!("{at}/jurisdictions/{j}"))?);
            }
            codes.sort();
            codes.dedup();
            ("*".to_owned(), false, codes)
        }
        (EntryKind::Restriction, _, _) => {
            return Err(semantic(
                at,
                "a restriction lists its destinations in `jurisdictions` (an array, may be empty) and has no `jurisdiction`".to_owned(),
            ));
        }
        (_, Some(code), None) if code == "*" => (code.clone(), true, Vec::new()),
        (_, Some(code), None) => (
            code.clone(),
            false,
            checker.expand(code, &format!("{at}/jurisdiction"))?,
        ),
        _ => {
            return Err(semantic(
                at,
                "give exactly one `jurisdiction` (a code, group, `org:` id or `*`); `jurisdictions` is only for restrictions".to_owned(),
            ));
        }
    };
    if matches!(
        kind,
        EntryKind::Safeguard | EntryKind::Exemption | EntryKind::Localization
    ) && e.attribute.is_none()
    {
        return Err(semantic(
            format!("{at}/attribute"),
            "safeguards, exemptions and localisation duties name the recipient `attribute` that evidences them, e.g. `\"scc\"`".to_owned(),
        ));
    }
    let tier = match &e.tier {
        None => None,
        Some(t) => Some(PiplTier::parse(t).ok_or_else(|| {
            semantic(
                format!("{at}/tier"),
                format!("unknown tier `{t}`; use exempt, contract_or_certification or assessment"),
            )
        })?),
    };
    let effective_from = parse_date(&e.effective_from, format!("{at}/effective_from"))?;
    let effective_until = match &e.effective_until {
        None => None,
        Some(text) => {
            let until = parse_date(text, format!("{at}/effective_until"))?;
            if until < effective_from {
                return Err(semantic(
                    format!("{at}/effective_until"),
                    format!(
                        "`{text}` is before effective_from `{}`; swap them or fix the year",
                        e.effective_from
                    ),
                ));
            }
            Some(until)
        }
    };
    check_url(&e.source, format!("{at}/source"))?;
    Ok(Entry {
        id: e.id.clone(),
        regime,
        kind,
        scope: e.scope.clone(),
        attribute: e.attribute.clone(),
        tier,
        instrument: e.instrument.clone(),
        effective_from,
        effective_until,
        source: e.source.clone(),
        note: e.note.clone(),
        jurisdiction,
        any_jurisdiction,
        jurisdictions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    const LAW: &str = include_str!("../../../policies/reference/transfer-law.json");

    fn law() -> LawData {
        LawData::from_json(LAW).unwrap()
    }

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn basis_id(b: Basis<'_>) -> &str {
        match b {
            Basis::Adequacy(e)
            | Basis::Safeguard(e)
            | Basis::Exemption(e)
            | Basis::Restricted(e) => &e.id,
            Basis::Inside => "inside",
            Basis::NotRestricted => "not-restricted",
            Basis::Missing { .. } => "missing",
            Basis::BelowTier { .. } => "below-tier",
        }
    }

    #[test]
    fn shipped_law_file_loads_with_every_regime() {
        let law = law();
        for id in ["EU", "UK", "CH", "CN", "RU", "IN"] {
            assert!(law.regime(id).is_some(), "{id}");
        }
        assert!(law.regime("EU").unwrap().contains("FR"));
        assert!(law.regime("EU").unwrap().contains("NO"));
        assert!(!law.regime("EU").unwrap().contains("GB"));
    }

    #[test]
    fn us_needs_dpf_certification_and_dates_matter() {
        let law = law();
        let eu = law.regime("EU").unwrap();
        let dpf = ["dpf_certified"];
        assert_eq!(
            basis_id(law.basis(eu, "US", &dpf, day("2024-01-01"))),
            "eu-adequacy-us-dpf"
        );
        // Before the DPF decision there is no adequacy for the US.
        assert_eq!(
            basis_id(law.basis(eu, "US", &dpf, day("2023-07-09"))),
            "missing"
        );
        // A state subdivision is inside its country.
        assert_eq!(
            basis_id(law.basis(eu, "US-CA", &dpf, day("2024-01-01"))),
            "eu-adequacy-us-dpf"
        );
        match law.basis(eu, "US", &[] as &[&str], day("2024-01-01")) {
            Basis::Missing { near: Some(e) } => assert_eq!(e.scope, "dpf_certified"),
            other => panic!("{other:?}"),
        }
        // SCCs are an Art. 46 safeguard anywhere.
        assert_eq!(
            basis_id(law.basis(eu, "US", &["scc"], day("2024-01-01"))),
            "eu-safeguard-scc"
        );
        // Swiss-US DPF starts 15 Sep 2024.
        let ch = law.regime("CH").unwrap();
        assert_eq!(
            basis_id(law.basis(ch, "US", &dpf, day("2024-09-14"))),
            "missing"
        );
        assert_eq!(
            basis_id(law.basis(ch, "US", &dpf, day("2024-09-15"))),
            "ch-fadp-us-dpf"
        );
    }

    #[test]
    fn brazil_uk_renewal_and_scopes() {
        let law = law();
        let eu = law.regime("EU").unwrap();
        let none: [&str; 0] = [];
        assert_eq!(
            basis_id(law.basis(eu, "BR", &none, day("2025-12-01"))),
            "missing"
        );
        assert_eq!(
            basis_id(law.basis(eu, "BR", &none, day("2026-02-01"))),
            "eu-adequacy-br"
        );
        assert_eq!(
            basis_id(law.basis(eu, "GB", &none, day("2030-01-01"))),
            "eu-adequacy-gb-2025"
        );
        assert_eq!(
            basis_id(law.basis(eu, "GB", &none, day("2032-06-01"))),
            "missing"
        );
        assert_eq!(
            basis_id(law.basis(eu, "CA", &none, day("2026-01-01"))),
            "missing"
        );
        assert_eq!(
            basis_id(law.basis(eu, "CA", &["commercial_pipeda"], day("2026-01-01"))),
            "eu-adequacy-ca"
        );
        assert_eq!(
            basis_id(law.basis(eu, "DE", &none, day("2026-01-01"))),
            "inside"
        );
        let uk = law.regime("UK").unwrap();
        assert_eq!(
            basis_id(law.basis(uk, "DE", &none, day("2026-01-01"))),
            "uk-bridge-eea"
        );
    }

    #[test]
    fn india_is_a_negative_list_and_pipl_has_tiers() {
        let law = law();
        let india = law.regime("IN").unwrap();
        assert!(
            law.basis(india, "US", &[] as &[&str], day("2026-06-01"))
                .permits()
        );
        let cn = law.regime("CN").unwrap();
        assert!(
            !law.basis(cn, "US", &[] as &[&str], day("2026-06-01"))
                .permits()
        );
        assert_eq!(
            basis_id(law.basis(cn, "US", &["pipl_standard_contract"], day("2026-06-01"))),
            "cn-standard-contract"
        );
        // Certification measures start 1 Jan 2026.
        assert!(
            !law.basis(cn, "US", &["pipl_certification"], day("2025-12-31"))
                .permits()
        );
        let tier = |n, s| {
            law.pipl_tier(&PiplVolumes {
                non_sensitive_individuals: n,
                sensitive_individuals: s,
                ..PiplVolumes::default()
            })
            .unwrap()
        };
        assert_eq!(tier(99_999, 0), PiplTier::Exempt);
        // A declared volume that needs an assessment makes a standard contract too little;
        // the contract-performance exemption holds whatever the volume.
        let cn = law.regime("CN").unwrap();
        let at = Date::parse("2026-06-01").unwrap();
        let need = Some(PiplTier::Assessment);
        let b = law.basis_for_tier(cn, "US", &["pipl_standard_contract"], at, need);
        assert!(
            matches!(b, Basis::BelowTier { entry, required: PiplTier::Assessment } if entry.id == "cn-standard-contract"),
            "{b:?}"
        );
        assert!(!b.permits());
        let b = law.basis_for_tier(cn, "US", &["pipl_exempt_contract"], at, need);
        assert!(matches!(b, Basis::Exemption(_)), "{b:?}");
        let small = Some(PiplTier::ContractOrCertification);
        let b = law.basis_for_tier(cn, "US", &["pipl_exempt_volume"], at, small);
        assert!(matches!(b, Basis::BelowTier { .. }), "{b:?}");
        let b = law.basis_for_tier(cn, "US", &["pipl_standard_contract"], at, small);
        assert!(matches!(b, Basis::Safeguard(_)), "{b:?}");
        assert_eq!(tier(100_000, 0), PiplTier::ContractOrCertification);
        assert_eq!(tier(10, 5), PiplTier::ContractOrCertification);
        assert_eq!(tier(1_000_001, 0), PiplTier::Assessment);
        assert_eq!(tier(0, 10_001), PiplTier::Assessment);
        let ru = law.regime("RU").unwrap();
        assert_eq!(
            law.localization(ru, day("2026-01-01")).unwrap().id,
            "ru-localization-ban"
        );
        assert_eq!(
            law.localization(ru, day("2020-01-01")).unwrap().id,
            "ru-localization"
        );
    }

    #[test]
    fn checker_points_at_problems() {
        let bad = LAW.replacen(
            "\"effective_from\": \"2010-10-19\"",
            "\"effective_from\": \"2010-13-19\"",
            1,
        );
        let e = LawData::from_json(&bad).unwrap_err();
        assert_eq!(e.pointer, "/entries/0/effective_from");
        assert!(e.message.contains("2010-13-19"), "{e}");
        let line = LAW
            .lines()
            .position(|l| l.contains("2010-13-19") || l.contains("\"eu-adequacy-ad\""))
            .unwrap()
            + 1;
        assert_eq!(e.line_column.map(|(l, _)| l), Some(line), "{e}");

        let bad = LAW.replacen("\"regime\": \"EU\"", "\"regime\": \"EX\"", 1);
        let e = LawData::from_json(&bad).unwrap_err();
        assert_eq!(e.pointer, "/entries/0/regime");

        let bad = LAW.replacen(
            "\"jurisdiction\": \"AD\"",
            "\"jurisdiction\": \"Andorra\"",
            1,
        );
        let e = LawData::from_json(&bad).unwrap_err();
        assert!(
            e.to_string().contains("unknown jurisdiction `Andorra`"),
            "{e}"
        );

        let bad = LAW.replacen("Not legal advice", "Advice", 1);
        assert_eq!(LawData::from_json(&bad).unwrap_err().pointer, "/notice");

        let bad = LAW.replacen("\"scrim_law\": 1,", "\"scrim_law\": 1, \"extra\": true,", 1);
        let e = LawData::from_json(&bad).unwrap_err();
        assert!(e.line_column.is_some());
        assert!(e.message.contains("extra"), "{e}");
    }
}
