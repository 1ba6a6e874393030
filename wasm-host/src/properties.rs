//! Envoy attributes readable with `proxy_get_property`, and Envoy's value encodings.
//!
//! Envoy encodes a property value by type: strings and bytes raw, integers as 8-byte
//! little-endian, booleans as one byte, messages (`upstream.locality`, `metadata`, ...) as
//! serialized protobuf. Build values with [`PropertyValue`] so a test sends exactly what Envoy
//! would, then put them in [`Properties`] by path. A path not set is absent (NOT_FOUND).

use std::collections::BTreeMap;

/// A property value, encoded as Envoy encodes it.
#[derive(Clone, Debug, PartialEq)]
pub enum PropertyValue {
    /// A string, sent raw (UTF-8 bytes).
    String(String),
    /// Raw bytes (e.g. a Kong-style string-typed number, or a pre-encoded message).
    Bytes(Vec<u8>),
    /// A signed integer, sent as 8 bytes little-endian (`source.port`, `response.code`).
    Int(i64),
    /// A double, sent as 8 bytes little-endian.
    Double(f64),
    /// A boolean, sent as one byte.
    Bool(bool),
    /// `envoy.config.core.v3.Locality` (as `upstream.locality`), sent as protobuf.
    Locality(Locality),
    /// `envoy.config.core.v3.Metadata` (as `xds.route_metadata`, `metadata`), sent as protobuf.
    Metadata(Metadata),
}

impl PropertyValue {
    /// The bytes the guest receives.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Self::String(s) => s.as_bytes().to_vec(),
            Self::Bytes(b) => b.clone(),
            Self::Int(i) => i.to_le_bytes().to_vec(),
            Self::Double(d) => d.to_le_bytes().to_vec(),
            Self::Bool(b) => vec![u8::from(*b)],
            Self::Locality(l) => l.encode(),
            Self::Metadata(m) => m.encode(),
        }
    }
}

impl From<&str> for PropertyValue {
    fn from(s: &str) -> Self {
        Self::String(s.to_owned())
    }
}

impl From<String> for PropertyValue {
    fn from(s: String) -> Self {
        Self::String(s)
    }
}

impl From<i64> for PropertyValue {
    fn from(i: i64) -> Self {
        Self::Int(i)
    }
}

impl From<bool> for PropertyValue {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<Locality> for PropertyValue {
    fn from(l: Locality) -> Self {
        Self::Locality(l)
    }
}

impl From<Metadata> for PropertyValue {
    fn from(m: Metadata) -> Self {
        Self::Metadata(m)
    }
}

/// `envoy.config.core.v3.Locality`: where an endpoint runs (region=1, zone=2, sub_zone=3).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Locality {
    /// E.g. `eu-west-1`.
    pub region: String,
    /// E.g. `eu-west-1a`.
    pub zone: String,
    /// Usually empty.
    pub sub_zone: String,
}

impl Locality {
    /// A locality with only a region.
    pub fn region(region: &str) -> Self {
        Self {
            region: region.to_owned(),
            ..Self::default()
        }
    }

    /// The protobuf encoding (empty fields omitted, as proto3 does).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (field, value) in [(1, &self.region), (2, &self.zone), (3, &self.sub_zone)] {
            if !value.is_empty() {
                proto::bytes_field(&mut out, field, value.as_bytes());
            }
        }
        out
    }
}

/// A `google.protobuf.Value` inside [`Metadata`]: string, number or bool.
#[derive(Clone, Debug, PartialEq)]
pub enum MetadataValue {
    /// `string_value` (field 3).
    String(String),
    /// `number_value` (field 2, a double).
    Number(f64),
    /// `bool_value` (field 4).
    Bool(bool),
}

/// `envoy.config.core.v3.Metadata`: `filter_metadata` is a map from a filter name (e.g.
/// `scrim`) to a `google.protobuf.Struct` of fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metadata {
    filters: BTreeMap<String, BTreeMap<String, MetadataValue>>,
}

impl Metadata {
    /// Empty metadata.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key = value` to the struct of `filter`, builder style.
    pub fn with(mut self, filter: &str, key: &str, value: MetadataValue) -> Self {
        self.filters
            .entry(filter.to_owned())
            .or_default()
            .insert(key.to_owned(), value);
        self
    }

    /// The protobuf encoding: `filter_metadata` (field 1) entries of `{key=1, value=2 Struct}`,
    /// each Struct a map `fields` (field 1) of `{key=1, value=2 Value}`.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (filter, fields) in &self.filters {
            let mut strukt = Vec::new();
            for (key, value) in fields {
                let mut v = Vec::new();
                match value {
                    MetadataValue::Number(n) => {
                        proto::key(&mut v, 2, 1);
                        v.extend_from_slice(&n.to_le_bytes());
                    }
                    MetadataValue::String(s) => proto::bytes_field(&mut v, 3, s.as_bytes()),
                    MetadataValue::Bool(b) => {
                        proto::key(&mut v, 4, 0);
                        proto::varint(&mut v, u64::from(*b));
                    }
                }
                let mut entry = Vec::new();
                proto::bytes_field(&mut entry, 1, key.as_bytes());
                proto::bytes_field(&mut entry, 2, &v);
                proto::bytes_field(&mut strukt, 1, &entry);
            }
            let mut entry = Vec::new();
            proto::bytes_field(&mut entry, 1, filter.as_bytes());
            proto::bytes_field(&mut entry, 2, &strukt);
            proto::bytes_field(&mut out, 1, &entry);
        }
        out
    }
}

/// Minimal protobuf writer: enough for Locality and Metadata.
mod proto {
    pub(super) fn varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    pub(super) fn key(out: &mut Vec<u8>, field: u64, wire_type: u64) {
        varint(out, (field << 3) | wire_type);
    }

    pub(super) fn bytes_field(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
        key(out, field, 2);
        varint(out, bytes.len() as u64);
        out.extend_from_slice(bytes);
    }
}

/// Property values by path. A path is a list of segments (the guest joins them with NUL);
/// [`Properties::set`] takes a dotted path (`xds.cluster_name`), [`Properties::set_path`]
/// takes segments for keys that contain dots.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Properties {
    values: BTreeMap<Vec<String>, Vec<u8>>,
}

impl Properties {
    /// No properties: every path is absent.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the property at a dotted path, e.g. `set("upstream.locality", Locality::region("eu"))`.
    pub fn set(&mut self, dotted: &str, value: impl Into<PropertyValue>) -> &mut Self {
        let path: Vec<&str> = dotted.split('.').collect();
        self.set_path(&path, value)
    }

    /// Sets the property at a path given as segments.
    pub fn set_path(&mut self, path: &[&str], value: impl Into<PropertyValue>) -> &mut Self {
        self.set_raw(
            path.iter().map(|s| (*s).to_owned()).collect(),
            value.into().encode(),
        );
        self
    }

    /// Builder form of [`Properties::set`].
    pub fn with(mut self, dotted: &str, value: impl Into<PropertyValue>) -> Self {
        self.set(dotted, value);
        self
    }

    /// Removes a property (dotted path), making it absent.
    pub fn remove(&mut self, dotted: &str) -> &mut Self {
        let path: Vec<String> = dotted.split('.').map(str::to_owned).collect();
        self.values.remove(&path);
        self
    }

    /// The encoded value at a path, if set.
    pub fn get(&self, path: &[String]) -> Option<&[u8]> {
        self.values.get(path).map(Vec::as_slice)
    }

    pub(crate) fn set_raw(&mut self, path: Vec<String>, value: Vec<u8>) {
        self.values.insert(path, value);
    }

    /// Copies every property of `other` over this one.
    pub(crate) fn overlay(&mut self, other: &Properties) {
        for (k, v) in &other.values {
            self.values.insert(k.clone(), v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_encoded_as_envoy_does() {
        assert_eq!(
            PropertyValue::Int(8080).encode(),
            8080i64.to_le_bytes().to_vec()
        );
        assert_eq!(PropertyValue::Bool(true).encode(), vec![1]);
        assert_eq!(PropertyValue::from("eu").encode(), b"eu".to_vec());
    }

    #[test]
    fn locality_is_protobuf() {
        let l = Locality {
            region: "eu".into(),
            zone: "a".into(),
            sub_zone: String::new(),
        };
        assert_eq!(l.encode(), vec![0x0a, 2, b'e', b'u', 0x12, 1, b'a']);
    }

    #[test]
    fn metadata_is_protobuf_map_of_structs() {
        let m = Metadata::new().with("s", "k", MetadataValue::Bool(true));
        // filter_metadata entry { key "s", value Struct { fields { key "k", value { bool 1 } } } }
        let value = [0x20, 1];
        let field = [&[0x0a, 1, b'k', 0x12, 2][..], &value].concat();
        let strukt = [&[0x0a, field.len() as u8][..], &field].concat();
        let entry = [&[0x0a, 1, b's', 0x12, strukt.len() as u8][..], &strukt].concat();
        let expected = [&[0x0a, entry.len() as u8][..], &entry].concat();
        assert_eq!(m.encode(), expected);
    }

    #[test]
    fn dotted_and_segment_paths_agree() {
        let mut p = Properties::new();
        p.set("xds.cluster_name", "c1");
        p.set_path(&["metadata", "filter_metadata", "envoy.lua"], "x");
        assert_eq!(
            p.get(&["xds".into(), "cluster_name".into()]),
            Some(&b"c1"[..])
        );
        assert!(
            p.get(&[
                "metadata".into(),
                "filter_metadata".into(),
                "envoy.lua".into()
            ])
            .is_some()
        );
        p.remove("xds.cluster_name");
        assert_eq!(p.get(&["xds".into(), "cluster_name".into()]), None);
    }
}
