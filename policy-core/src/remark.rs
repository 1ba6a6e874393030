//! Remarks: the record of every change the engine made, and why — never the value.
//!
//! A [`Remark`] names the rule that fired, the detector and category, where the change happened
//! (a JSON pointer, and the byte range in the input) and the method applied. A [`Summary`]
//! collects the remarks of one body with counts per category; both serialize with serde for
//! audit logs, `scrim redact --report` and the playground's highlighting.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An id in a [`Remark`] (rule, detector, category, method): a string that is cheap to clone.
///
/// Ids are fixed per compiled policy, so the engine shares one copy of each between all the
/// remarks of all bodies instead of allocating a new string per finding. Use it like a `&str`
/// (it derefs to `str`, compares with `&str`, and serializes as a plain JSON string).
///
/// ```
/// use scrim_core::remark::Name;
/// let n = Name::from("contact");
/// assert_eq!(n, "contact");
/// assert_eq!(n.as_str().len(), 7);
/// ```
#[derive(Clone)]
pub struct Name(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Name {
    /// A name for a string that lives for the whole program (no allocation).
    pub const fn from_static(s: &'static str) -> Self {
        Self(Repr::Static(s))
    }

    /// Whether both are the same copy (then they are equal; unequal copies may still be
    /// equal strings).
    #[inline]
    pub(crate) fn same(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Repr::Shared(a), Repr::Shared(b)) => Arc::ptr_eq(a, b),
            (Repr::Static(a), Repr::Static(b)) => core::ptr::eq(*a, *b),
            _ => false,
        }
    }

    /// The name as a string slice.
    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Shared(s) => s,
        }
    }
}

impl Deref for Name {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Self {
        Self(Repr::Shared(Arc::from(s)))
    }
}

impl From<String> for Name {
    fn from(s: String) -> Self {
        Self(Repr::Shared(Arc::from(s)))
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Name {}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // The same as `str`'s hash, as `Borrow<str>` requires.
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Name {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Name::from)
    }
}

/// One change (or, for `keep`, one reported finding) in a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remark {
    /// Which rule fired: `detector:<id>`, `field:<id>` (a `fields` rule) or `key:<detector>`
    /// (a built-in key class such as `password`).
    pub rule: Name,
    /// The detector that found the value; `None` when a field rule forced the category.
    pub detector: Option<Name>,
    /// The category id the value was put in.
    pub category: Name,
    /// RFC 6901 pointer of the value (JSON, NDJSON with the line index as first segment, form
    /// keys as `/key`); `None` for plain text, where `range` locates the change.
    pub pointer: Option<String>,
    /// Byte range `[start, end)` in the input body.
    pub range: [u64; 2],
    /// The method applied (`mask`, `remove`, ...).
    pub method: Name,
}

/// What one run of the engine did to a body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Every change, in input order.
    pub remarks: Vec<Remark>,
    /// Number of remarks per category id.
    pub counts: BTreeMap<Name, u64>,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
}

impl Summary {
    /// Record a remark and count it.
    pub fn push(&mut self, remark: Remark) {
        // Count without cloning the category when it was seen before (the common case).
        if let Some(n) = self.counts.get_mut(remark.category.as_str()) {
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
    // A byte test is the same as `contains(['~', '/'])` (both are ASCII, and UTF-8 never
    // uses ASCII bytes inside a multi-byte character) without the generic char matcher.
    if !has_escaped_byte(segment.as_bytes()) {
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

/// Whether `b` has a `~` or `/` (eight bytes at a time).
fn has_escaped_byte(b: &[u8]) -> bool {
    crate::detect::text::find2(b, b'~', b'/').is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_bytes_are_found_anywhere() {
        let plain = "abcdefghijklmnopqrstuvwxyz é0123";
        for n in 0..plain.len() {
            let Some(base) = plain.get(..n) else { continue };
            assert!(!has_escaped_byte(base.as_bytes()), "{base:?}");
            for at in 0..=base.len() {
                for c in ["~", "/"] {
                    let mut t = String::from(base);
                    if t.is_char_boundary(at) {
                        t.insert_str(at, c);
                        assert!(has_escaped_byte(t.as_bytes()), "{t:?}");
                    }
                }
            }
        }
        // Bytes next to the targets (0x7d, 0x7f, 0x2e, 0x30) and high bytes are not hits.
        assert!(!has_escaped_byte(b"}}}}\x7f\x7f..0000\xff\xfe"));
    }

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
