//! A compiled policy: detectors, field rules and redaction methods, ready to redact bodies.
//!
//! A [`Policy`] is immutable and `Send + Sync`: compile it once (at filter configuration)
//! and create a cheap [`Redactor`] per body with [`Policy::redactor`].

mod compile;
mod methods;
mod scanner;

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;

pub use compile::{CompileOptions, PolicyError, method};
pub use methods::MethodTable;

use crate::redact::{HashKey, Method};
use crate::remark::Summary;
use crate::select::FieldRules;
use crate::stream::{
    DetectorNames, EngineParts, Format, KeyCache, Limits, RedactError, Redactor, Scanner,
};
use core::sync::atomic::{AtomicUsize, Ordering};

/// Method overrides selected at run time (an audience's, or a profile's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Replaces the default method.
    pub default: Option<Method>,
    /// Per category id.
    pub categories: BTreeMap<String, Method>,
    /// Per detector id.
    pub detectors: BTreeMap<String, Method>,
}

/// Per-run choices: who the body is for, which profile is active, the hash key and limits.
#[derive(Debug, Clone, Default)]
pub struct RunOptions<'a> {
    /// An audience from `redaction.audiences` (its overrides apply).
    pub audience: Option<&'a str>,
    /// A profile from `profiles` (its overrides apply, after the audience's).
    pub profile: Option<&'a str>,
    /// The key for the `hash` method. Never taken from the bundle. Without it, a policy
    /// that hashes refuses to run ([`RedactError::MissingHashKey`]): hashing fails closed.
    pub hmac_key: Option<HashKey>,
    /// Bounds for untrusted bodies.
    pub limits: Limits,
    /// Categories that must be redacted on this run whatever the bundle's methods say (the
    /// categories of a transfer decision's `redact`). Every finding of one of them is redacted
    /// with the method in effect for it; where that method is `keep` (for the category, or a
    /// detector override of that category), the table's default method applies instead, or
    /// `replace` with the default template when the default is `keep` too.
    pub force_categories: &'a [String],
}

/// A compiled policy over a scanner `S` (the detectors).
pub struct Policy<S: Scanner = crate::detect::Detectors> {
    scanner: S,
    fields: FieldRules,
    methods: MethodTable,
    audiences: BTreeMap<String, Overrides>,
    profile_rules: BTreeMap<String, ProfileRules>,
    sensitive: BTreeSet<String>,
    /// Detector id → category, for detectors with a method override (so a forced category
    /// also lifts a detector-level `keep`).
    detector_categories: BTreeMap<String, String>,
    /// The base table's method for each detector index, resolved once here so that an edit
    /// is an index lookup rather than two map searches.
    by_detector: Vec<Method>,
    /// The remark ids of each detector index, shared by all remarks of all runs.
    detector_names: Vec<DetectorNames>,
    /// Unique per policy in the process (never 0): a lent [`KeyCache`] holds one policy's keys.
    id: usize,
}

/// The next [`Policy`] id.
static NEXT_ID: AtomicUsize = AtomicUsize::new(1);

/// What a profile changes in redaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileRules {
    /// Method overrides while the profile is active.
    pub overrides: Overrides,
    /// Redact every sensitive category even where its method is `keep`.
    pub redact_sensitive: bool,
}

impl<S: Scanner> Policy<S> {
    /// Assemble a policy from compiled parts.
    pub fn from_parts(
        scanner: S,
        fields: FieldRules,
        methods: MethodTable,
        audiences: BTreeMap<String, Overrides>,
        profiles: BTreeMap<String, Overrides>,
    ) -> Self {
        let profile_rules = profiles
            .into_iter()
            .map(|(k, overrides)| {
                let rules = ProfileRules {
                    overrides,
                    redact_sensitive: false,
                };
                (k, rules)
            })
            .collect();
        let by_detector = (0..scanner.detector_count())
            .map(|i| {
                let (detector, category) =
                    u16::try_from(i).map_or(("", ""), |i| scanner.detector(i));
                methods.method_for(category, Some(detector)).clone()
            })
            .collect();
        let detector_names = (0..scanner.detector_count())
            .map(|i| {
                let (detector, category) =
                    u16::try_from(i).map_or(("", ""), |i| scanner.detector(i));
                DetectorNames::new(detector, category)
            })
            .collect();
        Self {
            scanner,
            fields,
            by_detector,
            detector_names,
            methods,
            audiences,
            profile_rules,
            sensitive: BTreeSet::new(),
            detector_categories: BTreeMap::new(),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed).max(1),
        }
    }

    /// The detectors this policy runs.
    pub fn scanner(&self) -> &S {
        &self.scanner
    }

    /// The methods in effect for `audience` and `profile` (base, then audience, then profile).
    pub fn methods_for(
        &self,
        audience: Option<&str>,
        profile: Option<&str>,
    ) -> Result<MethodTable, RedactError> {
        let mut table = self.methods.clone();
        if let Some(a) = audience {
            let o = self
                .audiences
                .get(a)
                .ok_or_else(|| RedactError::UnknownAudience(String::from(a)))?;
            table.overlay(o);
        }
        if let Some(p) = profile {
            let rules = self
                .profile_rules
                .get(p)
                .ok_or_else(|| RedactError::UnknownProfile(String::from(p)))?;
            table.overlay(&rules.overrides);
            if rules.redact_sensitive {
                for c in &self.sensitive {
                    if *table.method_for(c, None) == Method::Keep {
                        table
                            .categories
                            .insert(c.clone(), MethodTable::default().default);
                    }
                }
            }
        }
        Ok(table)
    }

    /// Makes every category of `forced` redacted in `table`: a category (or a detector of
    /// it) whose method is `keep` gets the default method, or `replace` when the default is
    /// `keep` as well. Other methods stay, so a forced category looks as it would on a route
    /// that redacts it anyway.
    pub fn force_categories(&self, table: &mut MethodTable, forced: &[String]) {
        if forced.is_empty() {
            return;
        }
        let fallback = if table.default == Method::Keep {
            MethodTable::default().default
        } else {
            table.default.clone()
        };
        for c in forced {
            if *table.method_for(c, None) == Method::Keep {
                table.categories.insert(c.clone(), fallback.clone());
            }
        }
        for (detector, method) in &mut table.detectors {
            let forced_here = self
                .detector_categories
                .get(detector)
                .is_some_and(|c| forced.contains(c));
            if forced_here && *method == Method::Keep {
                *method = fallback.clone();
            }
        }
    }

    /// Start redacting one body of `format`.
    #[inline]
    pub fn redactor(
        &self,
        format: Format,
        opts: &RunOptions<'_>,
    ) -> Result<Redactor<'_, S>, RedactError> {
        let mut r = self.redactor_inner(format, opts)?;
        r.set_policy_id(self.id);
        r.set_detector_names(&self.detector_names);
        Ok(r)
    }

    #[inline]
    fn redactor_inner(
        &self,
        format: Format,
        opts: &RunOptions<'_>,
    ) -> Result<Redactor<'_, S>, RedactError> {
        if opts.audience.is_none() && opts.profile.is_none() && opts.force_categories.is_empty() {
            let parts = (
                &self.scanner,
                &self.fields,
                &self.methods,
                self.by_detector.as_slice(),
            );
            return Redactor::with_policy_methods(
                format,
                parts,
                opts.hmac_key.clone(),
                opts.limits,
            );
        }
        let mut methods = self.methods_for(opts.audience, opts.profile)?;
        self.force_categories(&mut methods, opts.force_categories);
        Redactor::new(
            format,
            EngineParts {
                scanner: &self.scanner,
                fields: &self.fields,
                methods,
                hmac_key: opts.hmac_key.clone(),
                limits: opts.limits,
            },
        )
    }
}

/// Redact a whole body in one call; returns the output and the summary.
pub fn redact_all<S: Scanner>(
    policy: &Policy<S>,
    format: Format,
    opts: &RunOptions<'_>,
    input: &[u8],
) -> Result<(Vec<u8>, Summary), RedactError> {
    let mut out = Vec::with_capacity(input.len() + input.len() / 8);
    let mut r = policy.redactor(format, opts)?;
    r.push(input, &mut out)?;
    let summary = r.finish(&mut out)?;
    Ok((out, summary))
}

/// Like [`redact_all`], with a [`KeyCache`] lent for the body: a caller that redacts many
/// bodies of one policy keeps one cache and passes it to each, so keys are classified once
/// rather than once per body. Same output and summary as [`redact_all`].
pub fn redact_all_with_keys<S: Scanner>(
    policy: &Policy<S>,
    format: Format,
    opts: &RunOptions<'_>,
    input: &[u8],
    keys: &mut KeyCache<S::Key>,
) -> Result<(Vec<u8>, Summary), RedactError> {
    let mut out = Vec::with_capacity(input.len() + input.len() / 8);
    let mut r = policy.redactor(format, opts)?;
    r.push_with_keys(input, &mut out, keys)?;
    let summary = r.finish_with_keys(&mut out, keys)?;
    Ok((out, summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::Bundle;

    const BUNDLE: &str = r#"{"scrim": 1, "name": "t", "revision": "1",
      "categories": [{"id": "contact", "label": "Contact"}, {"id": "location", "label": "Location"},
                     {"id": "online_id", "label": "Online identifiers"}],
      "redaction": {"default": {"method": "replace", "template": "[{category}]"},
                    "categories": {"contact": {"method": "keep"}, "online_id": {"method": "mask", "keep_last": 2}},
                    "detectors": {"email": {"method": "keep"}}}}"#;

    fn run(force: &[String], body: &str) -> String {
        let bundle = Bundle::from_json(BUNDLE).unwrap();
        let policy = Policy::compile(&bundle, &CompileOptions::default()).unwrap();
        let opts = RunOptions {
            force_categories: force,
            ..RunOptions::default()
        };
        let (out, _) = redact_all(&policy, Format::Json, &opts, body.as_bytes()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn forced_categories_are_redacted_even_when_their_method_is_keep() {
        let body = r#"{"note": "mail jane@example.com", "ip": "192.0.2.17"}"#;
        let kept = run(&[], body);
        assert!(kept.contains("jane@example.com"), "{kept}");
        // `contact` is `keep` for the category and for the `email` detector: forcing it lifts
        // both to the default method.
        let forced = run(&["contact".into()], body);
        assert!(!forced.contains("jane@example.com"), "{forced}");
        assert!(forced.contains("[contact]"), "{forced}");
        // A forced category that already redacts keeps its own method (mask, not replace).
        let masked = run(&["online_id".into()], body);
        assert!(masked.contains("*17\""), "{masked}");
        assert_eq!(masked, run(&[], body));
    }

    #[test]
    fn a_lent_key_cache_changes_nothing_across_bodies_and_policies() {
        let plain = Policy::compile(&Bundle::from_json(BUNDLE).unwrap(), &Default::default());
        let with_fields = BUNDLE.replacen(
            r#""redaction""#,
            r#""fields": [{"id": "n", "keys": ["note"], "category": "location"},
                          {"id": "i", "keys": ["sku"], "ignore": true}], "redaction""#,
            1,
        );
        let fields = Policy::compile(
            &Bundle::from_json(&with_fields).unwrap(),
            &Default::default(),
        );
        let (plain, fields) = (plain.unwrap(), fields.unwrap());
        let bodies = [
            r#"{"note": "mail jane@example.com", "ip": "192.0.2.17", "sku": "192.0.2.18"}"#,
            r#"[{"note": "192.0.2.19"}, {"Note": "x", "sku": "jane@example.com"}]"#,
            r#"{"ip": {"note": "a", "ip": "192.0.2.20"}, "note": "b"}"#,
        ];
        let opts = RunOptions::default();
        let mut keys = KeyCache::new();
        // The same cache serves both policies in turn: it must never answer for the wrong one.
        for round in 0..3 {
            for policy in [&plain, &fields] {
                for body in bodies {
                    let want = redact_all(policy, Format::Json, &opts, body.as_bytes()).unwrap();
                    let got = redact_all_with_keys(
                        policy,
                        Format::Json,
                        &opts,
                        body.as_bytes(),
                        &mut keys,
                    )
                    .unwrap();
                    assert_eq!(got, want, "round {round}: {body}");
                }
            }
        }
        assert!(!keys.is_empty());
        // Chunk by chunk, as the filter feeds it (the cache is lent per call), with two bodies
        // interleaved as two streams of one worker would be.
        for size in [1, 3, 7, 64] {
            let (a, b) = (bodies[0].as_bytes(), bodies[1].as_bytes());
            let mut ra = fields.redactor(Format::Json, &opts).unwrap();
            let mut rb = fields.redactor(Format::Json, &opts).unwrap();
            let (mut oa, mut ob) = (Vec::new(), Vec::new());
            let (mut ca, mut cb) = (a.chunks(size), b.chunks(size));
            loop {
                let (x, y) = (ca.next(), cb.next());
                if x.is_none() && y.is_none() {
                    break;
                }
                if let Some(x) = x {
                    ra.push_with_keys(x, &mut oa, &mut keys).unwrap();
                }
                if let Some(y) = y {
                    rb.push_with_keys(y, &mut ob, &mut keys).unwrap();
                }
            }
            let sa = ra.finish_with_keys(&mut oa, &mut keys).unwrap();
            let sb = rb.finish_with_keys(&mut ob, &mut keys).unwrap();
            let want_a = redact_all(&fields, Format::Json, &opts, a).unwrap();
            let want_b = redact_all(&fields, Format::Json, &opts, b).unwrap();
            assert_eq!((oa, sa), want_a, "chunks of {size}");
            assert_eq!((ob, sb), want_b, "chunks of {size}");
        }
        // The two policies disagree about `note`, so the cache did serve different answers.
        let a = redact_all(&plain, Format::Json, &opts, bodies[2].as_bytes()).unwrap();
        let b = redact_all(&fields, Format::Json, &opts, bodies[2].as_bytes()).unwrap();
        assert_ne!(a.0, b.0);
    }

    #[test]
    fn forcing_with_a_keep_default_falls_back_to_replace() {
        let mut table = MethodTable {
            default: Method::Keep,
            ..MethodTable::default()
        };
        let bundle = Bundle::from_json(BUNDLE).unwrap();
        let policy = Policy::compile(&bundle, &CompileOptions::default()).unwrap();
        policy.force_categories(&mut table, &[String::from("location")]);
        assert_eq!(
            table.method_for("location", None),
            &MethodTable::default().default
        );
        assert_eq!(table.method_for("contact", None), &Method::Keep);
    }
}
