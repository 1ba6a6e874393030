//! The tree [`super::parse`] produces.

use alloc::string::String;
use alloc::vec::Vec;

/// Where a value or key sits in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// 1-based line of the first byte.
    pub line: u32,
    /// 1-based column (in characters) of the first byte.
    pub column: u32,
}

/// A JSON number, kept as written so no precision is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    text: String,
}

impl Number {
    pub(crate) fn new(text: String) -> Number {
        Number { text }
    }

    /// The number exactly as written in the source, e.g. `1.50`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The number as a `f64` (nearest value).
    pub fn as_f64(&self) -> f64 {
        self.text.parse::<f64>().unwrap_or(f64::NAN)
    }

    /// The number as an `i64` if it is written as an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.text.parse::<i64>().ok()
    }

    /// The number as a `u64` if it is written as a non-negative integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        self.text.parse::<u64>().ok()
    }

    /// Whether the number has no fraction (`2`, `2.0` and `2e3` are integers).
    pub fn is_integer(&self) -> bool {
        let v = self.as_f64();
        v.is_finite() && v == libm_trunc(v)
    }
}

/// `f64::trunc` is not in `core`; values beyond 2^52 are already integers.
fn libm_trunc(v: f64) -> f64 {
    if v.abs() >= 4_503_599_627_370_496.0 {
        v
    } else {
        (v as i64) as f64
    }
}

/// An object member: a key and its value, in source order.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key, unescaped.
    pub key: String,
    /// Where the key (with its quotes) sits.
    pub key_span: Span,
    /// The member's value.
    pub value: Value,
}

/// The kind and content of a JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written.
    Number(Number),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object; members in source order, keys unique.
    Object(Vec<Member>),
}

/// A JSON value and where it sits in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// What the value is.
    pub kind: ValueKind,
    /// Where it is.
    pub span: Span,
}

impl Value {
    /// The member value for `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.member(key).map(|m| &m.value)
    }

    /// The member (key, key span and value) for `key`, if this is an object that has it.
    pub fn member(&self, key: &str) -> Option<&Member> {
        match &self.kind {
            ValueKind::Object(members) => members.iter().find(|m| m.key == key),
            _ => None,
        }
    }

    /// The string content, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            ValueKind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The boolean, if this is `true` or `false`.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            ValueKind::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is a number.
    pub fn as_number(&self) -> Option<&Number> {
        match &self.kind {
            ValueKind::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The JSON type name as used in messages and JSON Schema: `null`, `boolean`, `number`,
    /// `string`, `array`, `object`.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            ValueKind::Null => "null",
            ValueKind::Bool(_) => "boolean",
            ValueKind::Number(_) => "number",
            ValueKind::String(_) => "string",
            ValueKind::Array(_) => "array",
            ValueKind::Object(_) => "object",
        }
    }

    /// Equality of JSON values (numbers by value, objects regardless of member order), as
    /// JSON Schema's `const`, `enum` and `uniqueItems` use it.
    pub fn json_eq(&self, other: &Value) -> bool {
        match (&self.kind, &other.kind) {
            (ValueKind::Null, ValueKind::Null) => true,
            (ValueKind::Bool(a), ValueKind::Bool(b)) => a == b,
            (ValueKind::Number(a), ValueKind::Number(b)) => a.as_f64() == b.as_f64(),
            (ValueKind::String(a), ValueKind::String(b)) => a == b,
            (ValueKind::Array(a), ValueKind::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.json_eq(y))
            }
            (ValueKind::Object(a), ValueKind::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|m| other.get(&m.key).is_some_and(|v| m.value.json_eq(v)))
            }
            _ => false,
        }
    }
}
