//! Reading the bundle, the filter options and the law data from a parsed [`Value`] tree by
//! hand, without serde's derived visitors.
//!
//! The derived `Deserialize` impls (kept for the CLI and the tests) instantiate a visitor, a
//! field enum and serde's `Content` buffer per type; in the Envoy filter that was about 100 KB
//! of the module. [`Decode`] is a plain function per type over the tree instead, with the same
//! errors: the JSON pointer and line:column of the value that does not fit, serde's wording.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::de::DeError;
use super::value::{Member, Value, ValueKind};

/// A type that can be read from a parsed [`Value`].
pub(crate) trait Decode: Sized {
    /// Reads `Self` from `v`; errors carry the pointer below `v` and the line:column.
    fn decode(v: &Value) -> Result<Self, DeError>;
}

/// The error for a value of the wrong JSON type, worded as serde does.
pub(crate) fn wrong(v: &Value, expected: &str) -> DeError {
    let found = match &v.kind {
        ValueKind::Null => String::from("null"),
        ValueKind::Bool(b) => format!("boolean `{b}`"),
        ValueKind::Number(n) => format!("number {}", n.as_str()),
        ValueKind::String(s) => format!("string {s:?}"),
        ValueKind::Array(_) => String::from("sequence"),
        ValueKind::Object(_) => String::from("map"),
    };
    DeError::new(
        format!("invalid type: {found}, expected {expected}"),
        v.span,
    )
}

/// `a`, `b`, `c` in backticks, as serde lists expected fields and variants.
fn one_of(names: &[&str]) -> String {
    let mut out = String::new();
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(n);
        out.push('`');
    }
    match names.len() {
        0 => String::from("there are no fields"),
        1 => format!("expected {out}"),
        _ => format!("expected one of {out}"),
    }
}

/// Reads a string value that must be one of `names`; returns its index in `names`.
pub(crate) fn variant(v: &Value, names: &[&str]) -> Result<usize, DeError> {
    let ValueKind::String(s) = &v.kind else {
        return Err(wrong(v, "a string"));
    };
    names
        .iter()
        .position(|n| n == s)
        .ok_or_else(|| DeError::new(format!("unknown variant `{s}`, {}", one_of(names)), v.span))
}

impl Decode for String {
    fn decode(v: &Value) -> Result<String, DeError> {
        match &v.kind {
            ValueKind::String(s) => Ok(s.clone()),
            _ => Err(wrong(v, "a string")),
        }
    }
}

impl Decode for bool {
    fn decode(v: &Value) -> Result<bool, DeError> {
        match v.kind {
            ValueKind::Bool(b) => Ok(b),
            _ => Err(wrong(v, "a boolean")),
        }
    }
}

impl Decode for char {
    fn decode(v: &Value) -> Result<char, DeError> {
        let ValueKind::String(s) = &v.kind else {
            return Err(wrong(v, "a character"));
        };
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(c),
            _ => Err(wrong(v, "a character")),
        }
    }
}

/// Reads a non-negative integer that fits in `max`.
fn unsigned(v: &Value, max: u64, name: &str) -> Result<u64, DeError> {
    let ValueKind::Number(n) = &v.kind else {
        return Err(wrong(v, name));
    };
    match n.as_u64() {
        Some(u) if u <= max => Ok(u),
        Some(u) => Err(DeError::new(
            format!("invalid value: integer `{u}`, expected {name}"),
            v.span,
        )),
        None => Err(wrong(v, name)),
    }
}

macro_rules! decode_unsigned {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode(v: &Value) -> Result<$t, DeError> {
                let u = unsigned(v, <$t>::MAX as u64, stringify!($t))?;
                <$t>::try_from(u).map_err(|_| wrong(v, stringify!($t)))
            }
        }
    )*};
}
decode_unsigned!(u8, u16, u32, u64, usize);

impl<T: Decode> Decode for Option<T> {
    fn decode(v: &Value) -> Result<Option<T>, DeError> {
        match v.kind {
            ValueKind::Null => Ok(None),
            _ => T::decode(v).map(Some),
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(v: &Value) -> Result<Vec<T>, DeError> {
        let ValueKind::Array(items) = &v.kind else {
            return Err(wrong(v, "a sequence"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::decode(item).map_err(|e| e.under(&format!("{i}")))?);
        }
        Ok(out)
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(v: &Value) -> Result<BTreeMap<String, T>, DeError> {
        let ValueKind::Object(members) = &v.kind else {
            return Err(wrong(v, "a map"));
        };
        let mut out = BTreeMap::new();
        for m in members {
            let value = T::decode(&m.value).map_err(|e| e.under(&m.key))?;
            out.insert(m.key.clone(), value);
        }
        Ok(out)
    }
}

/// An object being read field by field; unknown keys are refused when it is opened.
pub(crate) struct Obj<'a> {
    value: &'a Value,
    members: &'a [Member],
}

impl<'a> Obj<'a> {
    /// Opens `v` as an object whose keys must all be in `fields`.
    pub(crate) fn new(v: &'a Value, fields: &[&str]) -> Result<Obj<'a>, DeError> {
        let ValueKind::Object(members) = &v.kind else {
            return Err(wrong(v, "a map"));
        };
        if let Some(m) = members.iter().find(|m| !fields.contains(&m.key.as_str())) {
            return Err(DeError::new(
                format!("unknown field `{}`, {}", m.key, one_of(fields)),
                m.key_span,
            )
            .under(&m.key));
        }
        Ok(Obj { value: v, members })
    }

    /// The value under `key`, if present.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.members.iter().find(|m| m.key == key).map(|m| &m.value)
    }

    /// Reads the field `key` if present.
    pub(crate) fn opt<T: Decode>(&self, key: &str) -> Result<Option<T>, DeError> {
        match self.get(key) {
            Some(v) => T::decode(v).map(Some).map_err(|e| e.under(key)),
            None => Ok(None),
        }
    }

    /// Reads the required field `key`.
    pub(crate) fn req<T: Decode>(&self, key: &str) -> Result<T, DeError> {
        self.opt(key)?
            .ok_or_else(|| DeError::new(format!("missing field `{key}`"), self.value.span))
    }

    /// Reads the field `key`, or `T::default()` when absent.
    pub(crate) fn def<T: Decode + Default>(&self, key: &str) -> Result<T, DeError> {
        Ok(self.opt(key)?.unwrap_or_default())
    }
}

/// Implements [`Decode`] for a struct read from an object with the listed keys (all others
/// refused). Each field is `req` (required), `def` (`Default` when absent) or `or(expr)`.
macro_rules! decode_struct {
    ($ty:ident { $($key:literal => $field:ident: $how:ident $(($e:expr))?),* $(,)? }) => {
        impl $crate::json::decode::Decode for $ty {
            fn decode(
                v: &$crate::json::Value,
            ) -> Result<$ty, $crate::json::DeError> {
                let o = $crate::json::decode::Obj::new(v, &[$($key),*])?;
                Ok($ty { $($field: $crate::json::decode::decode_struct!(@get o $key $how $(($e))?)),* })
            }
        }
    };
    (@get $o:ident $key:literal req) => { $o.req($key)? };
    (@get $o:ident $key:literal def) => { $o.def($key)? };
    (@get $o:ident $key:literal or($e:expr)) => { $o.opt($key)?.unwrap_or_else(|| $e) };
}

/// Implements [`Decode`] for a unit enum read from one of the listed strings.
macro_rules! decode_enum {
    ($ty:ident { $($name:literal => $variant:ident),* $(,)? }) => {
        impl $crate::json::decode::Decode for $ty {
            fn decode(
                v: &$crate::json::Value,
            ) -> Result<$ty, $crate::json::DeError> {
                const ALL: &[$ty] = &[$($ty::$variant),*];
                let i = $crate::json::decode::variant(v, &[$($name),*])?;
                ALL.get(i).copied().ok_or_else(|| $crate::json::decode::wrong(v, "a string"))
            }
        }
    };
}

pub(crate) use {decode_enum, decode_struct};
