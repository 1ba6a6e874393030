//! Field selectors: which values a `fields` rule applies to.
//!
//! A rule selects values by **path** or by **key name**:
//!
//! | selector | matches |
//! |---|---|
//! | `$.a.b` | member `b` of member `a` of the root object |
//! | `$.users[*].email` | `email` of every element of the `users` array |
//! | `$.items[0].sku` | the first element only |
//! | `*` | any one level (a key or an index) |
//! | `$..phone`, `**.phone` | `phone` at any depth |
//! | `$['odd.key']` | a key containing dots |
//! | key `api_key` | any member whose key normalizes to `api_key` (`apiKey`, `API-KEY`) |
//!
//! Selectors are matched against the engine's current path (a stack of keys and indexes), so
//! no document tree is ever built.

mod path;

use alloc::string::String;
use alloc::vec::Vec;

pub use path::{PathPattern, Segment, SelectorError};

/// What a matched field rule does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldAction {
    /// Put the whole value in this category (redacted with the category's method).
    Force(String),
    /// Run no detection on the value or anything under it.
    Ignore,
}

/// One compiled `fields` rule.
#[derive(Debug, Clone)]
pub struct FieldRule {
    /// The rule id, reported in remarks as `field:<id>`.
    pub id: String,
    /// What the rule does.
    pub action: FieldAction,
    paths: Vec<PathPattern>,
    keys: Vec<String>,
}

impl FieldRule {
    /// Compile a rule from its selectors. Key names are normalized with [`normalize_key`].
    pub fn new(
        id: &str,
        action: FieldAction,
        paths: &[&str],
        keys: &[&str],
    ) -> Result<Self, SelectorError> {
        let paths = paths
            .iter()
            .map(|p| PathPattern::parse(p))
            .collect::<Result<_, _>>()?;
        let keys = keys.iter().map(|k| normalize_key(k)).collect();
        Ok(Self {
            id: String::from(id),
            action,
            paths,
            keys,
        })
    }

    /// Whether this rule selects the value at `path`, whose own key normalizes to `key`.
    pub fn matches(&self, path: &[Segment<'_>], key: Option<&str>) -> bool {
        key.is_some_and(|k| self.keys.iter().any(|r| r == k))
            || self.paths.iter().any(|p| p.matches(path))
    }
}

/// All field rules of a policy, in bundle order (the first match wins).
#[derive(Debug, Clone, Default)]
pub struct FieldRules {
    rules: Vec<FieldRule>,
    /// Some rule selects by key name.
    by_key: bool,
    /// Some rule selects by path.
    by_path: bool,
}

impl FieldRules {
    /// Rules in priority order.
    pub fn new(rules: Vec<FieldRule>) -> Self {
        let by_key = rules.iter().any(|r| !r.keys.is_empty());
        let by_path = rules.iter().any(|r| !r.paths.is_empty());
        Self {
            rules,
            by_key,
            by_path,
        }
    }

    /// Whether there are no rules (lets the engine skip matching).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Whether any rule selects by key name (then the engine normalizes each key once with
    /// [`normalize_key_into`] and passes it to [`FieldRules::find`]).
    #[inline]
    pub fn uses_keys(&self) -> bool {
        self.by_key
    }

    /// Whether any rule selects by path (otherwise [`FieldRules::find`] ignores its `path`
    /// argument, and the engine passes an empty one).
    #[inline]
    pub fn uses_paths(&self) -> bool {
        self.by_path
    }

    /// The first rule selecting the value at `path` (whose key normalizes to `key`).
    pub fn find(&self, path: &[Segment<'_>], key: Option<&str>) -> Option<&FieldRule> {
        self.rules.iter().find(|r| r.matches(path, key))
    }

    /// Like [`FieldRules::find`], the rule's position (for [`FieldRules::get`]).
    pub fn position(&self, path: &[Segment<'_>], key: Option<&str>) -> Option<usize> {
        self.rules.iter().position(|r| r.matches(path, key))
    }

    /// The rule at `index` (bundle order).
    #[inline]
    pub fn get(&self, index: usize) -> Option<&FieldRule> {
        self.rules.get(index)
    }
}

/// Normalize a key name into lowercase word tokens joined by `_`: `customerEmail`,
/// `customer_email`, `CUSTOMER-EMAIL` and `Customer Email` all become `customer_email`.
/// Full-width ASCII letters become ASCII; Chinese and other scripts are kept.
pub fn normalize_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    normalize_key_into(key, &mut out);
    out
}

/// [`normalize_key`] into a buffer you reuse (it is cleared first), to avoid one allocation
/// per key.
pub fn normalize_key_into(key: &str, out: &mut String) {
    out.clear();
    let mut prev_lower = false;
    for c in key.chars() {
        let c = fold_fullwidth(c);
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            // ASCII (the common case for keys) needs no Unicode case tables.
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
}

fn fold_fullwidth(c: char) -> char {
    match u32::from(c) {
        v @ 0xFF01..=0xFF5E => char::from_u32(v - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalize_across_conventions() {
        for k in [
            "customerEmail",
            "customer_email",
            "CUSTOMER-EMAIL",
            "Customer Email",
            "ｃｕｓｔｏｍｅｒ＿ｅｍａｉｌ",
        ] {
            assert_eq!(normalize_key(k), "customer_email", "{k}");
        }
        assert_eq!(normalize_key("密码"), "密码");
        assert_eq!(normalize_key("apiKey"), "api_key");
    }

    #[test]
    fn first_matching_rule_wins() {
        let rules = FieldRules::new(alloc::vec![
            FieldRule::new(
                "secrets",
                FieldAction::Force("credentials".into()),
                &[],
                &["api_key"]
            )
            .unwrap(),
            FieldRule::new("all", FieldAction::Ignore, &["$..*"], &[]).unwrap(),
        ]);
        let path = [Segment::Key("cfg"), Segment::Key("apiKey")];
        assert_eq!(
            rules.find(&path, Some("api_key")).map(|r| r.id.as_str()),
            Some("secrets")
        );
        assert_eq!(
            rules.find(&path, Some("other")).map(|r| r.id.as_str()),
            Some("all")
        );
    }
}
