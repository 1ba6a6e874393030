//! Compiling a bundle into a [`Policy`]: detectors, field selectors, method tables.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::{MethodTable, Overrides, Policy, ProfileRules};
use crate::bundle::{self, Bundle, CustomDetector};
use crate::detect::{self, CustomDictionary, CustomRegex, DetectError, Detectors, ValidatorName};
use crate::redact::{DEFAULT_HASH_LENGTH, MaskPreset, MaskSpec, Method};
use crate::select::{FieldAction, FieldRule, FieldRules, SelectorError};

/// Choices made when compiling a bundle (not part of the bundle).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompileOptions {
    /// The date birth dates are checked against (`(year, month, day)`); `None` uses the
    /// detectors' built-in reference date. Set it to make results reproducible.
    pub today: Option<(u16, u8, u8)>,
}

/// Why a bundle could not be compiled, with the JSON pointer of the part at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// RFC 6901 pointer into the bundle, e.g. `/detectors/custom/0`.
    pub pointer: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for PolicyError {}

fn err(pointer: String, e: impl fmt::Display) -> PolicyError {
    PolicyError {
        pointer,
        message: format!("{e}"),
    }
}

fn validator(v: Option<bundle::ValidatorName>) -> Result<Option<ValidatorName>, DetectError> {
    v.map(|v| {
        let name = match v {
            bundle::ValidatorName::Luhn => "luhn",
            bundle::ValidatorName::Mod97 => "mod97",
            bundle::ValidatorName::Mod11_2 => "mod11_2",
        };
        ValidatorName::from_name(name)
    })
    .transpose()
}

fn detectors(b: &bundle::Detectors, opts: &CompileOptions) -> Result<Detectors, PolicyError> {
    let mut builder = detect::Detectors::builder();
    for (id, setting) in &b.builtin {
        let at = || format!("/detectors/builtin/{id}");
        builder
            .builtin(id, setting.enabled())
            .map_err(|e| err(at(), e))?;
        if let Some(c) = setting.category() {
            builder.builtin_category(id, c).map_err(|e| err(at(), e))?;
        }
    }
    for (i, pack) in b.packs.iter().enumerate() {
        builder
            .pack(pack.code())
            .map_err(|e| err(format!("/detectors/packs/{i}"), e))?;
    }
    for (i, c) in b.custom.iter().enumerate() {
        let at = || format!("/detectors/custom/{i}");
        match c {
            CustomDetector::Regex(r) => {
                let spec = CustomRegex {
                    id: r.id.clone(),
                    pattern: r.pattern.clone(),
                    category: r.category.clone(),
                    context: r.context.clone(),
                    context_required: r.context_required,
                    validator: validator(r.validator).map_err(|e| err(at(), e))?,
                };
                builder.custom_regex(spec).map_err(|e| err(at(), e))?;
            }
            CustomDetector::Dictionary(d) => {
                let spec = CustomDictionary {
                    id: d.id.clone(),
                    words: d.words.clone(),
                    category: d.category.clone(),
                    case_sensitive: d.case_sensitive,
                    context: d.context.clone(),
                    context_required: d.context_required,
                    validator: validator(d.validator).map_err(|e| err(at(), e))?,
                };
                builder.custom_dictionary(spec).map_err(|e| err(at(), e))?;
            }
        }
    }
    if let Some((y, m, d)) = opts.today {
        builder.today(y, m, d);
    }
    builder
        .build()
        .map_err(|e| err(String::from("/detectors"), e))
}

/// Convert a bundle method into an engine method.
pub fn method(m: &bundle::Method) -> Method {
    match m {
        bundle::Method::Remove => Method::Remove,
        bundle::Method::Null => Method::Null,
        bundle::Method::Replace { template } => Method::Replace {
            template: template.clone(),
        },
        bundle::Method::Mask(mm) => Method::Mask(MaskSpec {
            ch: mm.char.unwrap_or('*'),
            keep_first: mm.keep_first,
            keep_last: mm.keep_last,
            preset: mm.preset.map(|p| match p {
                bundle::MaskPreset::Phone => MaskPreset::Phone,
                bundle::MaskPreset::CnId => MaskPreset::CnId,
                bundle::MaskPreset::Card => MaskPreset::Card,
                bundle::MaskPreset::Email => MaskPreset::Email,
            }),
        }),
        bundle::Method::Hash { length } => Method::Hash {
            length: length.unwrap_or(DEFAULT_HASH_LENGTH).clamp(8, 64),
        },
        bundle::Method::Generalize => Method::Generalize,
        bundle::Method::Keep => Method::Keep,
    }
}

fn methods(map: &BTreeMap<String, bundle::Method>) -> BTreeMap<String, Method> {
    map.iter().map(|(k, v)| (k.clone(), method(v))).collect()
}

fn overrides(o: &bundle::RedactionOverride) -> Overrides {
    Overrides {
        default: o.default.as_ref().map(method),
        categories: methods(&o.categories),
        detectors: methods(&o.detectors),
    }
}

fn fields(rules: &[bundle::FieldRule]) -> Result<FieldRules, PolicyError> {
    let mut out = Vec::with_capacity(rules.len());
    for (i, r) in rules.iter().enumerate() {
        let action = match (&r.category, r.ignore) {
            (Some(c), false) => FieldAction::Force(c.clone()),
            (None, true) => FieldAction::Ignore,
            _ => {
                return Err(PolicyError {
                    pointer: format!("/fields/{i}"),
                    message: format!(
                        "field rule `{}` needs exactly one of `category` or `\"ignore\": true`",
                        r.id
                    ),
                });
            }
        };
        let paths: Vec<&str> = r.paths.iter().map(String::as_str).collect();
        let keys: Vec<&str> = r.keys.iter().map(String::as_str).collect();
        let rule = FieldRule::new(&r.id, action, &paths, &keys)
            .map_err(|e: SelectorError| err(format!("/fields/{i}/paths"), e))?;
        out.push(rule);
    }
    Ok(FieldRules::new(out))
}

impl Policy<Detectors> {
    /// Compile a bundle: build its detectors, field selectors and method tables.
    ///
    /// ```
    /// use scrim_core::bundle::Bundle;
    /// use scrim_core::policy::{CompileOptions, Policy, RunOptions, redact_all};
    /// use scrim_core::stream::Format;
    ///
    /// let bundle = Bundle::from_json(r#"{"scrim": 1, "name": "demo", "revision": "1",
    ///     "categories": [{"id": "contact", "label": "Contact"}],
    ///     "detectors": {"builtin": {"payment_card": false, "iban": false, "cn_resident_id": false,
    ///        "cn_uscc": false, "us_ssn": false, "ipv4": false, "ipv6": false, "mac": false,
    ///        "imei": false, "jwt": false, "bearer_token": false, "aws_access_key": false,
    ///        "pem_private_key": false, "url_credentials": false}},
    ///     "redaction": {"categories": {"contact": {"method": "mask", "preset": "email"}}}}"#)?;
    /// let policy = Policy::compile(&bundle, &CompileOptions::default())?;
    /// let (out, summary) = redact_all(&policy, Format::Json, &RunOptions::default(),
    ///     br#"{"note": "write to jane@example.com"}"#)?;
    /// assert_eq!(out, br#"{"note": "write to j***@example.com"}"#);
    /// assert_eq!(summary.remarks[0].pointer.as_deref(), Some("/note"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compile(bundle: &Bundle, opts: &CompileOptions) -> Result<Self, PolicyError> {
        let scanner = detectors(&bundle.detectors, opts)?;
        let r = &bundle.redaction;
        let table = MethodTable {
            default: r
                .default
                .as_ref()
                .map_or_else(|| MethodTable::default().default, method),
            categories: methods(&r.categories),
            detectors: methods(&r.detectors),
        };
        let audiences = r
            .audiences
            .iter()
            .map(|(k, v)| (k.clone(), overrides(v)))
            .collect();
        let profiles = bundle
            .profiles
            .iter()
            .map(|(k, p)| {
                let rules = ProfileRules {
                    overrides: p.redaction.as_ref().map(overrides).unwrap_or_default(),
                    redact_sensitive: p.redact_sensitive,
                };
                (k.clone(), rules)
            })
            .collect();
        let sensitive: BTreeSet<String> = bundle
            .categories
            .iter()
            .filter(|c| c.sensitive)
            .map(|c| c.id.clone())
            .collect();
        let mut policy = Policy::from_parts(
            scanner,
            fields(&bundle.fields)?,
            table,
            audiences,
            BTreeMap::new(),
        );
        // Every detector a method override names, with its category: a forced category (a
        // transfer decision's `redact`) must also lift a detector-level `keep`.
        let named = r
            .detectors
            .keys()
            .chain(r.audiences.values().flat_map(|a| a.detectors.keys()))
            .chain(
                bundle
                    .profiles
                    .values()
                    .filter_map(|p| p.redaction.as_ref())
                    .flat_map(|o| o.detectors.keys()),
            );
        for id in named {
            if let Some(index) = policy.scanner.index_of(id) {
                let category = policy.scanner.info(index).category.clone();
                policy.detector_categories.insert(id.clone(), category);
            }
        }
        policy.profile_rules = profiles;
        policy.sensitive = sensitive;
        Ok(policy)
    }
}
