//! Remarks: the record of every change the engine made, and why — never the value.
//!
//! A [`Remark`] names the rule that fired, the detector and category, where the change happened
//! (a JSON pointer, and the byte range in the input) and the method applied. A [`Summary`]
//! collects the remarks of one body with counts per category; both serialize with serde for
//! audit logs, `scrim redact --report` and the playground's highlighting.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

/// One change (or, for `keep`, one reported finding) in a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remark {
    /// Which rule fired: `detector:<id>`, `field:<id>` (a `fields` rule) or `key:<detector>`
    /// (a built-in key class such as `password`).
    pub rule: String,
    /// The detector that found the value; `None` when a field rule forced the category.
    pub detector: Option<String>,
    /// The category id the value was put in.
    pub category: String,
    /// RFC 6901 pointer of the value (JSON, NDJSON with the line index as first segment, form
    /// keys as `/key`); `None` for plain text, where `range` locates the change.
    pub pointer: Option<String>,
    /// Byte range `[start, end)` in the input body.
    pub range: [u64; 2],
    /// The method applied (`mask`, `remove`, ...).
    pub method: String,
}

/// What one run of the engine did to a body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Every change, in input order.
    pub remarks: Vec<Remark>,
    /// Number of remarks per category id.
    pub counts: BTreeMap<String, u64>,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
}

impl Summary {
    /// Record a remark and count it.
    pub fn push(&mut self, remark: Remark) {
        // Count without cloning the category when it was seen before (the common case).
        if let Some(n) = self.counts.get_mut(&remark.category) {
            *n += 1;
        } else {
            self.counts.insert(remark.category.clone(), 1);
        }
        self.remarks.push(remark);
    }
}

/// Append `segment` to an RFC 6901 pointer, escaping `~` as `~0` and `/` as `~1`.
pub fn push_pointer_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    if !segment.contains(['~', '/']) {
        pointer.push_str(segment);
        return;
    }
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_segments_are_escaped() {
        let mut p = String::new();
        push_pointer_segment(&mut p, "a/b");
        push_pointer_segment(&mut p, "m~n");
        push_pointer_segment(&mut p, "0");
        assert_eq!(p, "/a~1b/m~0n/0");
    }

    #[test]
    fn summary_counts_per_category_and_round_trips() {
        let mut s = Summary::default();
        let r = Remark {
            rule: "detector:email".into(),
            detector: Some("email".into()),
            category: "contact".into(),
            pointer: Some("/email".into()),
            range: [10, 20],
            method: "mask".into(),
        };
        s.push(r.clone());
        s.push(r);
        assert_eq!(s.counts.get("contact"), Some(&2));
        let json = serde_json::to_string(&s).unwrap();
        let back: Summary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
    }
}
