//! Reading a parsed [`Value`] tree into serde types, with the JSON pointer and line:column of
//! the value that did not fit.
//!
//! The configuration, the bundle and the law data are parsed once by [`super::parse`] (which
//! keeps spans and refuses duplicate keys); [`from_value`] then fills the typed model from that
//! tree instead of parsing the text a second time with `serde_json`. That keeps `serde_json`'s
//! deserializer out of the Envoy filter (a large share of its size) and lets errors point at
//! the exact value.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use super::pointer::push_token;
use super::value::{Member, Number, Span, Value, ValueKind};

/// Why a [`Value`] did not fit the type asked for: serde's message (e.g. ``unknown field
/// `failure_mod`, expected one of ...``), the JSON pointer of the value (relative to the tree
/// given to [`from_value`]) and where it sits in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeError {
    message: String,
    pointer: String,
    span: Option<Span>,
}

impl DeError {
    /// What did not fit, as serde words it (lowercase, field names in backticks).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// JSON pointer of the innermost value that did not fit, e.g. `/routes/api/audience`
    /// (empty for the root).
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// 1-based line and column of that value in the source, when known.
    pub fn line_column(&self) -> Option<(u32, u32)> {
        self.span.map(|s| (s.line, s.column))
    }

    /// Records the span of the innermost value the error came from (outer values keep it).
    fn at(mut self, span: Span) -> DeError {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }

    /// Prefixes the pointer with the step from the parent (`key` or array index).
    fn under(mut self, step: &str) -> DeError {
        let mut pointer = String::with_capacity(step.len() + 1 + self.pointer.len());
        push_token(&mut pointer, step);
        pointer.push_str(&self.pointer);
        self.pointer = pointer;
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(span) = self.span {
            write!(f, "{}:{}: ", span.line, span.column)?;
        }
        if !self.pointer.is_empty() {
            write!(f, "at `{}`: ", self.pointer)?;
        }
        f.write_str(&self.message)
    }
}

impl core::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> DeError {
        DeError {
            message: msg.to_string(),
            pointer: String::new(),
            span: None,
        }
    }
}

/// Fills a `T` from a parsed tree. Strings are borrowed from the tree where `T` allows it.
///
/// # Errors
///
/// A [`DeError`] with the pointer and line:column of the first value that does not fit `T`
/// (wrong type, unknown or missing field, unknown variant, number out of range).
///
/// ```
/// let tree = scrim_core::json::parse(r#"{"a": [1, "two"]}"#).unwrap();
/// let err = scrim_core::json::from_value::<std::collections::BTreeMap<String, Vec<u8>>>(&tree)
///     .unwrap_err();
/// assert_eq!(err.pointer(), "/a/1");
/// assert_eq!(err.line_column(), Some((1, 11)));
/// ```
pub fn from_value<'a, T: de::Deserialize<'a>>(value: &'a Value) -> Result<T, DeError> {
    T::deserialize(ValueDeserializer(value))
}

/// A serde [`Deserializer`] over one [`Value`].
struct ValueDeserializer<'a>(&'a Value);

impl<'de> ValueDeserializer<'de> {
    /// The error for a value of the wrong type, located at the value.
    fn wrong(&self, expected: &dyn de::Expected) -> DeError {
        let e: DeError = de::Error::invalid_type(unexpected(self.0), expected);
        e.at(self.0.span)
    }
}

// Each method calls only the visitor methods its type can use (`deserialize_struct` only
// `visit_map`), as serde_json does: a catch-all `deserialize_any` would instantiate every
// `visit_*` of every model type, which made the filter larger, not smaller.
impl<'de> Deserializer<'de> for ValueDeserializer<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let value = self.0;
        let result = match &value.kind {
            ValueKind::Null => visitor.visit_unit(),
            ValueKind::Bool(b) => visitor.visit_bool(*b),
            ValueKind::Number(n) => number(n, visitor),
            ValueKind::String(s) => visitor.visit_borrowed_str(s),
            ValueKind::Array(items) => visitor.visit_seq(SeqAccess::new(items)),
            ValueKind::Object(members) => visitor.visit_map(MapAccess::new(members)),
        };
        result.map_err(|e| e.at(value.span))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0.kind {
            ValueKind::Bool(b) => visitor
                .visit_bool(b)
                .map_err(|e: DeError| e.at(self.0.span)),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.kind {
            ValueKind::Number(n) => number(n, visitor).map_err(|e: DeError| e.at(self.0.span)),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.kind {
            ValueKind::Number(n) => visitor
                .visit_f64(n.as_f64())
                .map_err(|e: DeError| e.at(self.0.span)),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.kind {
            ValueKind::String(s) => visitor
                .visit_borrowed_str(s)
                .map_err(|e: DeError| e.at(self.0.span)),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0.kind {
            ValueKind::Null => visitor.visit_unit().map_err(|e: DeError| e.at(self.0.span)),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.kind {
            ValueKind::Array(items) => visitor
                .visit_seq(SeqAccess::new(items))
                .map_err(|e: DeError| e.at(self.0.span)),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.kind {
            ValueKind::Object(members) => visitor
                .visit_map(MapAccess::new(members))
                .map_err(|e: DeError| e.at(self.0.span)),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0.kind {
            ValueKind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let value = self.0;
        let result = match &value.kind {
            // A unit variant: `"closed"`.
            ValueKind::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            // A variant with data: `{"variant": ...}`.
            ValueKind::Object(members) => match members.as_slice() {
                [member] => visitor.visit_enum(EnumAccess(member)),
                _ => Err(de::Error::invalid_length(
                    members.len(),
                    &"an object with exactly one member (the variant)",
                )),
            },
            _ => return Err(self.wrong(&visitor)),
        };
        result.map_err(|e| e.at(value.span))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_u64(visitor)
    }

    forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf
    }
}

/// A number as the narrowest of `u64`, `i64` or `f64` that holds it, as serde_json reads it.
fn number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, DeError> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else {
        visitor.visit_f64(n.as_f64())
    }
}

/// How serde names a value of the wrong type in its messages.
fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match &value.kind {
        ValueKind::Null => de::Unexpected::Unit,
        ValueKind::Bool(b) => de::Unexpected::Bool(*b),
        ValueKind::Number(n) => de::Unexpected::Other(n.as_str()),
        ValueKind::String(s) => de::Unexpected::Str(s),
        ValueKind::Array(_) => de::Unexpected::Seq,
        ValueKind::Object(_) => de::Unexpected::Map,
    }
}

struct SeqAccess<'a> {
    items: core::slice::Iter<'a, Value>,
    index: usize,
}

impl<'a> SeqAccess<'a> {
    fn new(items: &'a [Value]) -> SeqAccess<'a> {
        SeqAccess {
            items: items.iter(),
            index: 0,
        }
    }
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(ValueDeserializer(item))
            .map(Some)
            .map_err(|e| e.under(&format!("{index}")))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapAccess<'a> {
    members: core::slice::Iter<'a, Member>,
    current: Option<&'a Member>,
}

impl<'a> MapAccess<'a> {
    fn new(members: &'a [Member]) -> MapAccess<'a> {
        MapAccess {
            members: members.iter(),
            current: None,
        }
    }
}

impl<'de> de::MapAccess<'de> for MapAccess<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(member) = self.members.next() else {
            return Ok(None);
        };
        self.current = Some(member);
        seed.deserialize(BorrowedStrDeserializer::<DeError>::new(&member.key))
            .map(Some)
            .map_err(|e| e.at(member.key_span).under(&member.key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some(member) = self.current.take() else {
            return Err(de::Error::custom(
                "a map value was asked for before its key",
            ));
        };
        seed.deserialize(ValueDeserializer(&member.value))
            .map_err(|e| e.under(&member.key))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// An externally tagged enum variant with data: the one member of `{"variant": data}`.
struct EnumAccess<'a>(&'a Member);

impl<'de> de::EnumAccess<'de> for EnumAccess<'de> {
    type Error = DeError;
    type Variant = VariantAccess<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, VariantAccess<'de>), DeError> {
        let member = self.0;
        let variant = seed
            .deserialize(BorrowedStrDeserializer::<DeError>::new(&member.key))
            .map_err(|e| e.at(member.key_span).under(&member.key))?;
        Ok((variant, VariantAccess(member)))
    }
}

struct VariantAccess<'a>(&'a Member);

impl<'de> de::VariantAccess<'de> for VariantAccess<'de> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        de::Deserialize::deserialize(ValueDeserializer(&self.0.value))
            .map_err(|e: DeError| e.under(&self.0.key))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(ValueDeserializer(&self.0.value))
            .map_err(|e| e.under(&self.0.key))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        ValueDeserializer(&self.0.value)
            .deserialize_any(visitor)
            .map_err(|e| e.under(&self.0.key))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        ValueDeserializer(&self.0.value)
            .deserialize_any(visitor)
            .map_err(|e| e.under(&self.0.key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use alloc::collections::BTreeMap;
    use alloc::vec;
    use alloc::vec::Vec;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Conf {
        name: String,
        #[serde(default)]
        limit: Option<u32>,
        mode: Mode,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        routes: BTreeMap<String, Route>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Mode {
        Closed,
        Open,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Route {
        disabled: bool,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(untagged)]
    enum Setting {
        On(bool),
        Named { name: String },
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum Shape {
        Circle { r: f64 },
        Square { side: i64 },
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum External {
        Pair(u8, u8),
        Wrap(String),
    }

    fn read<T: for<'a> Deserialize<'a>>(text: &str) -> Result<T, DeError> {
        let tree = parse(text).unwrap();
        from_value(&tree)
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#"{"name": "n", "limit": 7, "mode": "open", "tags": ["a", "b"],
            "routes": {"api": {"disabled": true}}}"#;
        let ours: Conf = read(text).unwrap();
        let theirs: Conf = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.mode, Mode::Open);
        assert_eq!(ours.routes.get("api"), Some(&Route { disabled: true }));
    }

    #[test]
    fn untagged_internally_and_externally_tagged_enums() {
        assert_eq!(read::<Setting>("true").unwrap(), Setting::On(true));
        assert_eq!(
            read::<Setting>(r#"{"name": "x"}"#).unwrap(),
            Setting::Named { name: "x".into() }
        );
        assert_eq!(
            read::<Vec<Shape>>(r#"[{"type": "circle", "r": 1.5}, {"type": "square", "side": -2}]"#)
                .unwrap(),
            vec![Shape::Circle { r: 1.5 }, Shape::Square { side: -2 }]
        );
        assert_eq!(
            read::<External>(r#"{"Pair": [1, 2]}"#).unwrap(),
            External::Pair(1, 2)
        );
        assert_eq!(
            read::<External>(r#"{"Wrap": "w"}"#).unwrap(),
            External::Wrap("w".into())
        );
    }

    #[test]
    fn unknown_field_points_at_its_key() {
        let e = read::<Conf>("{\"name\": \"n\", \"mode\": \"open\",\n  \"limt\": 3}").unwrap_err();
        assert!(e.message().starts_with("unknown field `limt`"), "{e}");
        assert_eq!(e.pointer(), "/limt");
        assert_eq!(e.line_column(), Some((2, 3)));
    }

    #[test]
    fn wrong_type_deep_inside_points_at_the_value() {
        let e = read::<Conf>(
            r#"{"name": "n", "mode": "open", "routes": {"a/b": {"disabled": "yes"}}}"#,
        )
        .unwrap_err();
        assert_eq!(e.pointer(), "/routes/a~1b/disabled");
        assert!(e.message().contains("invalid type: string \"yes\""), "{e}");
        assert_eq!(e.line_column(), Some((1, 62)));
        assert!(
            e.to_string()
                .starts_with("1:62: at `/routes/a~1b/disabled`: "),
            "{e}"
        );
    }

    #[test]
    fn numbers_out_of_range_and_unknown_variants_are_refused() {
        let e = read::<Conf>(r#"{"name": "n", "mode": "open", "limit": -1}"#).unwrap_err();
        assert_eq!(e.pointer(), "/limit");
        let e = read::<Conf>(r#"{"name": "n", "mode": "ajar"}"#).unwrap_err();
        assert!(e.message().starts_with("unknown variant `ajar`"), "{e}");
        assert_eq!(e.pointer(), "/mode");
        let e = read::<Conf>(r#"{"mode": "open"}"#).unwrap_err();
        assert_eq!(e.message(), "missing field `name`");
        assert_eq!(e.line_column(), Some((1, 1)));
    }
}
