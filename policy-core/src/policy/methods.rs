//! Which method applies to a finding: detector override, then category, then the default.

use alloc::collections::BTreeMap;
use alloc::string::String;

use super::Overrides;
use crate::redact::{DEFAULT_TEMPLATE, Method};

/// The redaction methods of a policy, after audience and profile overrides are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodTable {
    /// For categories without an entry.
    pub default: Method,
    /// Per category id.
    pub categories: BTreeMap<String, Method>,
    /// Per detector id; wins over the category.
    pub detectors: BTreeMap<String, Method>,
}

impl Default for MethodTable {
    fn default() -> Self {
        Self {
            default: Method::Replace {
                template: String::from(DEFAULT_TEMPLATE),
            },
            categories: BTreeMap::new(),
            detectors: BTreeMap::new(),
        }
    }
}

impl MethodTable {
    /// The method for a value of `category` found by `detector` (`None` when a field rule
    /// forced the category).
    pub fn method_for(&self, category: &str, detector: Option<&str>) -> &Method {
        detector
            .and_then(|d| self.detectors.get(d))
            .or_else(|| self.categories.get(category))
            .unwrap_or(&self.default)
    }

    /// Apply overrides (an audience's or a profile's): their entries replace ours.
    pub fn overlay(&mut self, o: &Overrides) {
        if let Some(d) = &o.default {
            self.default = d.clone();
        }
        for (k, v) in &o.categories {
            self.categories.insert(k.clone(), v.clone());
        }
        for (k, v) in &o.detectors {
            self.detectors.insert(k.clone(), v.clone());
        }
    }

    /// Whether any method is `hash` (then a run needs an HMAC key).
    pub fn uses_hash(&self) -> bool {
        let is_hash = |m: &Method| matches!(m, Method::Hash { .. });
        is_hash(&self.default)
            || self.categories.values().any(is_hash)
            || self.detectors.values().any(is_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detector_beats_category_beats_default_and_overlays_win() {
        let mut t = MethodTable::default();
        t.categories.insert("contact".into(), Method::Remove);
        t.detectors.insert("cn_mobile".into(), Method::Null);
        assert_eq!(t.method_for("contact", Some("cn_mobile")), &Method::Null);
        assert_eq!(t.method_for("contact", Some("email")), &Method::Remove);
        assert_eq!(t.method_for("contact", None), &Method::Remove);
        assert_eq!(
            t.method_for("health", None),
            &MethodTable::default().default
        );
        let mut over = Overrides::default();
        over.categories
            .insert(String::from("contact"), Method::Hash { length: 16 });
        assert!(!t.uses_hash());
        t.overlay(&over);
        assert_eq!(
            t.method_for("contact", Some("email")),
            &Method::Hash { length: 16 }
        );
        assert!(t.uses_hash());
    }
}
