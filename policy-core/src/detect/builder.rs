//! Configuring a [`Detectors`]: built-ins on/off, categories, country packs, custom detectors.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::catalogue::{Builtin, CATALOGUE, PACKS};
use super::context::ContextMatcher;
use super::custom::{Custom, MAX_DICTIONARY_WORDS};
use super::dates::Date;
use super::error::{DetectError, ErrorKind, did_you_mean};
use super::keys::KeyMatcher;
use super::secrets::SecretPrefixes;
use super::{DetSet, DetectorInfo, Detectors, MAX_DETECTORS, Tier};
use crate::checksum;

/// A check a custom detector can require of its matches, by name.
///
/// The validator sees the match with everything but ASCII letters and digits removed
/// (`4111 1111-1111 1111` → `4111111111111111`); `luhn` sees the digits only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValidatorName {
    /// `luhn`: Luhn mod 10 over digits (cards, IMEI, many national ids).
    Luhn,
    /// `mod97`: IBAN check (letters, check digits, BBAN; rotated, mod 97 = 1).
    Mod97,
    /// `mod97_10`: plain ISO 7064 MOD 97-10 (no rotation).
    Mod97_10,
    /// `mod11_2`: ISO 7064 MOD 11-2 check character of an 18-character China resident id.
    Mod11_2,
    /// `gb32100`: China USCC mod 31 check character.
    Gb32100,
    /// `gb11714`: China organization code check character.
    Gb11714,
}

impl ValidatorName {
    /// Every validator with its bundle name.
    pub const ALL: [(&'static str, ValidatorName); 6] = [
        ("luhn", ValidatorName::Luhn),
        ("mod97", ValidatorName::Mod97),
        ("mod97_10", ValidatorName::Mod97_10),
        ("mod11_2", ValidatorName::Mod11_2),
        ("gb32100", ValidatorName::Gb32100),
        ("gb11714", ValidatorName::Gb11714),
    ];

    /// Looks a validator up by its bundle name (`luhn`, `mod97`, ...).
    pub fn from_name(name: &str) -> Result<Self, DetectError> {
        if let Some((_, v)) = Self::ALL.iter().find(|(n, _)| *n == name) {
            return Ok(*v);
        }
        let hint = match did_you_mean(name, Self::ALL.iter().map(|(n, _)| *n)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "known validators: {}",
                join(Self::ALL.iter().map(|(n, _)| *n))
            ),
        };
        Err(DetectError::new(
            ErrorKind::UnknownName,
            format!("unknown validator `{name}`; {hint}"),
        ))
    }

    /// The bundle name of this validator.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, v)| *v == self)
            .map_or("luhn", |(n, _)| *n)
    }

    /// Runs the check on already-compacted ASCII characters.
    pub(crate) fn check(self, compact: &[u8]) -> bool {
        match self {
            ValidatorName::Luhn => checksum::luhn(compact),
            ValidatorName::Mod97 => checksum::iban_mod97(compact),
            ValidatorName::Mod97_10 => checksum::mod97_10(compact),
            ValidatorName::Mod11_2 => checksum::cn_resident_id_check(compact),
            ValidatorName::Gb32100 => checksum::uscc(compact),
            ValidatorName::Gb11714 => checksum::gb11714(compact),
        }
    }
}

fn join<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut s = String::new();
    for (i, n) in names.enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('`');
        s.push_str(n);
        s.push('`');
    }
    s
}

/// A custom regex detector from a bundle.
///
/// The dialect is the same on every target: byte-oriented, ASCII classes (`\d` is `[0-9]`,
/// `\w` is `[0-9A-Za-z_]`, `\s` and `\b` are ASCII; `(?i)` folds ASCII only). Non-ASCII
/// literals such as `卡号` match their UTF-8 bytes; `.` matches one byte, and a match that
/// starts or ends inside a multi-byte character is widened to whole characters. Patterns are
/// limited to [`CustomRegex::MAX_PATTERN_LEN`] bytes and 256 KiB of compiled automaton. The
/// pattern is compiled by [`super::compile_regex`], the same function `scrim check` uses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomRegex {
    /// Detector id (`[a-z0-9_]`, starting with a letter, not a built-in id).
    pub id: String,
    /// The regex.
    pub pattern: String,
    /// Category findings are reported under.
    pub category: String,
    /// Words that count as context (near the match or in the key name).
    pub context: Vec<String>,
    /// Report only with context (a key hint or a nearby word).
    pub context_required: bool,
    /// Check each match must pass.
    pub validator: Option<ValidatorName>,
}

impl CustomRegex {
    /// Longest accepted pattern, in bytes.
    pub const MAX_PATTERN_LEN: usize = super::REGEX_PATTERN_MAX_LEN;
}

/// A custom word-list detector from a bundle: finds the words as whole words (a word never
/// matches inside a longer ASCII word; Chinese words match anywhere).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomDictionary {
    /// Detector id (`[a-z0-9_]`, starting with a letter, not a built-in id).
    pub id: String,
    /// The words or phrases to find (at most 100,000).
    pub words: Vec<String>,
    /// Category findings are reported under.
    pub category: String,
    /// Match ASCII letters exactly as written; otherwise ASCII case is ignored.
    pub case_sensitive: bool,
    /// Words that count as context (near the match or in the key name).
    pub context: Vec<String>,
    /// Report only with context (a key hint or a nearby word).
    pub context_required: bool,
    /// Check each match must pass.
    pub validator: Option<ValidatorName>,
}

/// Collects a detector configuration; finish with [`DetectorsBuilder::build`].
///
/// ```
/// use scrim_core::detect::{CustomRegex, Detectors};
///
/// let mut b = Detectors::builder();
/// b.builtin("ipv4", false)?.pack("sg")?;
/// b.custom_regex(CustomRegex {
///     id: "employee_id".into(),
///     pattern: r"\bEMP-\d{6}\b".into(),
///     category: "internal_id".into(),
///     ..Default::default()
/// })?;
/// let detectors = b.build()?;
/// assert!(detectors.index_of("employee_id").is_some());
/// # Ok::<(), scrim_core::detect::DetectError>(())
/// ```
#[derive(Debug, Clone)]
pub struct DetectorsBuilder {
    enabled: DetSet,
    categories: Vec<Option<String>>,
    customs: Vec<CustomSpec>,
    today: Option<Date>,
}

#[derive(Debug, Clone)]
enum CustomSpec {
    Regex(CustomRegex),
    Dictionary(CustomDictionary),
}

impl CustomSpec {
    fn id(&self) -> &str {
        match self {
            CustomSpec::Regex(r) => &r.id,
            CustomSpec::Dictionary(d) => &d.id,
        }
    }
}

fn builtin_position(id: &str) -> Result<usize, DetectError> {
    if let Some(p) = CATALOGUE.iter().position(|s| s.id == id) {
        return Ok(p);
    }
    let hint = match did_you_mean(id, CATALOGUE.iter().map(|s| s.id)) {
        Some(s) => format!("did you mean `{s}`?"),
        None => "see `scrim explain detectors` for the list".to_string(),
    };
    Err(DetectError::new(
        ErrorKind::UnknownName,
        format!("unknown built-in detector `{id}`; {hint}"),
    ))
}

fn check_custom_id(id: &str, taken: &[CustomSpec]) -> Result<(), DetectError> {
    let well_formed = id.len() <= 64
        && id.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !well_formed {
        return Err(DetectError::new(
            ErrorKind::BadId,
            format!(
                "custom detector id `{id}` is not valid; use 1-64 characters of `a-z`, `0-9`, `_`, starting with a letter"
            ),
        ));
    }
    if CATALOGUE.iter().any(|s| s.id == id) {
        return Err(DetectError::new(
            ErrorKind::BadId,
            format!(
                "custom detector id `{id}` is a built-in id; choose another id, or configure the built-in instead"
            ),
        ));
    }
    if taken.iter().any(|c| c.id() == id) {
        return Err(DetectError::new(
            ErrorKind::BadId,
            format!(
                "custom detector id `{id}` is defined twice; give each custom detector its own id"
            ),
        ));
    }
    if CATALOGUE.len() + taken.len() + 1 > MAX_DETECTORS {
        return Err(DetectError::new(
            ErrorKind::Limit,
            format!(
                "too many custom detectors at `{id}`: at most {} are allowed; merge dictionaries or regexes",
                MAX_DETECTORS - CATALOGUE.len()
            ),
        ));
    }
    Ok(())
}

impl Default for DetectorsBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl DetectorsBuilder {
    /// A configuration with the default-on built-ins enabled and no packs or custom detectors.
    pub fn new() -> Self {
        let mut enabled = DetSet::default();
        for (i, spec) in CATALOGUE.iter().enumerate() {
            if spec.default_enabled {
                enabled.insert(u16::try_from(i).unwrap_or(u16::MAX));
            }
        }
        DetectorsBuilder {
            enabled,
            categories: CATALOGUE.iter().map(|_| None).collect(),
            customs: Vec::new(),
            today: None,
        }
    }

    /// Turns built-in detector `id` on or off. Unknown ids are an error with a suggestion.
    pub fn builtin(&mut self, id: &str, enabled: bool) -> Result<&mut Self, DetectError> {
        let p = builtin_position(id)?;
        let i = u16::try_from(p).unwrap_or(u16::MAX);
        if enabled {
            self.enabled.insert(i);
        } else {
            self.enabled.remove(i);
        }
        Ok(self)
    }

    /// Reports built-in detector `id` under `category` instead of its default category.
    pub fn builtin_category(&mut self, id: &str, category: &str) -> Result<&mut Self, DetectError> {
        let p = builtin_position(id)?;
        if category.trim().is_empty() {
            return Err(DetectError::new(
                ErrorKind::BadId,
                format!("category for `{id}` is empty; give a category name such as `contact`"),
            ));
        }
        if let Some(slot) = self.categories.get_mut(p) {
            *slot = Some(category.to_string());
        }
        Ok(self)
    }

    /// Enables every detector of a country pack: `in`, `sg`, `kr`, `jp`, `br`, `es`, `it`,
    /// `fr`, `de`, `gb`, `pl`, `hk`, `tw`.
    pub fn pack(&mut self, code: &str) -> Result<&mut Self, DetectError> {
        if !PACKS.contains(&code) {
            let hint = match did_you_mean(code, PACKS.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known packs: {}", join(PACKS.iter().copied())),
            };
            return Err(DetectError::new(
                ErrorKind::UnknownName,
                format!("unknown country pack `{code}`; {hint}"),
            ));
        }
        for (i, spec) in CATALOGUE.iter().enumerate() {
            if spec.pack == Some(code) {
                self.enabled.insert(u16::try_from(i).unwrap_or(u16::MAX));
            }
        }
        Ok(self)
    }

    /// Adds a custom regex detector (checked now: id, pattern length and syntax).
    pub fn custom_regex(&mut self, spec: CustomRegex) -> Result<&mut Self, DetectError> {
        check_custom_id(&spec.id, &self.customs)?;
        // Compile once now so the error points at the bundle entry that caused it.
        Custom::compile_regex(&spec)?;
        self.customs.push(CustomSpec::Regex(spec));
        Ok(self)
    }

    /// Adds a custom dictionary detector.
    pub fn custom_dictionary(&mut self, spec: CustomDictionary) -> Result<&mut Self, DetectError> {
        check_custom_id(&spec.id, &self.customs)?;
        if spec.words.iter().all(|w| w.trim().is_empty()) {
            return Err(DetectError::new(
                ErrorKind::BadDictionary,
                format!(
                    "custom dictionary `{}` has no words; add at least one word",
                    spec.id
                ),
            ));
        }
        if spec.words.len() > MAX_DICTIONARY_WORDS {
            return Err(DetectError::new(
                ErrorKind::Limit,
                format!(
                    "custom dictionary `{}` has {} words, more than the limit of {MAX_DICTIONARY_WORDS}; split it or trim it",
                    spec.id,
                    spec.words.len()
                ),
            ));
        }
        self.customs.push(CustomSpec::Dictionary(spec));
        Ok(self)
    }

    /// Sets "today" for birth-date checks (a resident id born in the future is rejected).
    /// Without it, builds with the `std` feature use the system clock, and `no_std` builds
    /// accept any date up to the end of 2099.
    pub fn today(&mut self, year: u16, month: u8, day: u8) -> &mut Self {
        self.today = Some(Date { year, month, day });
        self
    }

    /// Compiles the configuration.
    pub fn build(self) -> Result<Detectors, DetectError> {
        let mut infos: Vec<DetectorInfo> = CATALOGUE
            .iter()
            .zip(self.categories.iter())
            .map(|(spec, cat)| DetectorInfo {
                id: spec.id.to_string(),
                category: cat.clone().unwrap_or_else(|| spec.category.to_string()),
                tier: spec.tier,
                pack: spec.pack,
                sensitive_hint: spec.sensitive,
                description: spec.description,
            })
            .collect();
        let mut enabled = self.enabled;
        let mut contexts: Vec<(u16, Vec<String>)> = Vec::new();
        let mut customs = Vec::new();
        for spec in &self.customs {
            let index = u16::try_from(infos.len()).unwrap_or(u16::MAX);
            let (custom, id, category, context) = match spec {
                CustomSpec::Regex(r) => (Custom::compile_regex(r)?, &r.id, &r.category, &r.context),
                CustomSpec::Dictionary(d) => (
                    Custom::compile_dictionary(d)?,
                    &d.id,
                    &d.category,
                    &d.context,
                ),
            };
            infos.push(DetectorInfo {
                id: id.clone(),
                category: if category.is_empty() {
                    "custom".to_string()
                } else {
                    category.clone()
                },
                tier: Tier::Custom,
                pack: None,
                sensitive_hint: false,
                description: "custom detector from the bundle",
            });
            enabled.insert(index);
            contexts.push((index, context.clone()));
            customs.push(custom);
        }
        let mut survives_suppress = DetSet::default();
        for (i, info) in infos.iter().enumerate() {
            if info.category == "credentials" || info.id == "email" {
                survives_suppress.insert(u16::try_from(i).unwrap_or(u16::MAX));
            }
        }
        survives_suppress.insert(Builtin::Email.index());
        Ok(Detectors {
            infos,
            enabled,
            survives_suppress,
            keys: KeyMatcher::build(&contexts)?,
            context: ContextMatcher::build(&contexts)?,
            secrets: SecretPrefixes::build()?,
            customs,
            today: self.today.unwrap_or_else(Date::today_or_far_future),
        })
    }
}
