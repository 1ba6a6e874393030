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
use crate::stream::{EngineParts, Format, Limits, RedactError, Redactor, Scanner};

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
}

/// A compiled policy over a scanner `S` (the detectors).
pub struct Policy<S: Scanner = crate::detect::Detectors> {
    scanner: S,
    fields: FieldRules,
    methods: MethodTable,
    audiences: BTreeMap<String, Overrides>,
    profile_rules: BTreeMap<String, ProfileRules>,
    sensitive: BTreeSet<String>,
}

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
        Self {
            scanner,
            fields,
            methods,
            audiences,
            profile_rules,
            sensitive: BTreeSet::new(),
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

    /// Start redacting one body of `format`.
    pub fn redactor(
        &self,
        format: Format,
        opts: &RunOptions<'_>,
    ) -> Result<Redactor<'_, S>, RedactError> {
        if opts.audience.is_none() && opts.profile.is_none() {
            let parts = (&self.scanner, &self.fields, &self.methods);
            return Redactor::with_policy_methods(
                format,
                parts,
                opts.hmac_key.clone(),
                opts.limits,
            );
        }
        let methods = self.methods_for(opts.audience, opts.profile)?;
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
