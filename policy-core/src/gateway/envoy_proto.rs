//! Reading the two protobuf-encoded Envoy properties the gateway needs.
//!
//! Envoy hands `xds.route_metadata` / `xds.cluster_metadata` to a wasm filter as a serialized
//! `envoy.config.core.v3.Metadata`, and `upstream.locality` as a serialized
//! `envoy.config.core.v3.Locality`. This is a small, allocation-free reader for exactly those
//! shapes; anything malformed reads as absent, never as a panic.

/// A protobuf wire value: varints, fixed 64/32-bit values, or length-delimited bytes.
enum Wire<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed64(u64),
    Fixed32,
}

/// Iterates over `(field number, value)` pairs of one message; stops at the first malformed byte.
struct Fields<'a> {
    rest: &'a [u8],
}

fn varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

impl<'a> Iterator for Fields<'a> {
    type Item = (u64, Wire<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let key = varint(&mut self.rest)?;
        let value = match key & 7 {
            0 => Wire::Varint(varint(&mut self.rest)?),
            1 => {
                let (head, tail) = self.rest.split_at_checked(8)?;
                self.rest = tail;
                Wire::Fixed64(u64::from_le_bytes(head.try_into().ok()?))
            }
            2 => {
                let len = usize::try_from(varint(&mut self.rest)?).ok()?;
                let (head, tail) = self.rest.split_at_checked(len)?;
                self.rest = tail;
                Wire::Bytes(head)
            }
            5 => {
                let (_, tail) = self.rest.split_at_checked(4)?;
                self.rest = tail;
                Wire::Fixed32
            }
            _ => {
                self.rest = &[];
                return None;
            }
        };
        Some((key >> 3, value))
    }
}

fn fields(bytes: &[u8]) -> Fields<'_> {
    Fields { rest: bytes }
}

/// The first length-delimited field `number` of a message.
fn bytes_field(message: &[u8], number: u64) -> Option<&[u8]> {
    fields(message).find_map(|(n, v)| match v {
        Wire::Bytes(b) if n == number => Some(b),
        _ => None,
    })
}

/// Looks up entry `key` of a protobuf map field `number` (entries: key = 1, value = 2).
fn map_value<'a>(message: &'a [u8], number: u64, key: &str) -> Option<&'a [u8]> {
    fields(message).find_map(|(n, v)| match v {
        Wire::Bytes(entry) if n == number => {
            (bytes_field(entry, 1)? == key.as_bytes()).then(|| bytes_field(entry, 2))?
        }
        _ => None,
    })
}

/// A scalar read from a `google.protobuf.Value`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar<'a> {
    /// `string_value`
    Str(&'a str),
    /// `number_value`
    Number(f64),
    /// `bool_value`
    Bool(bool),
}

/// Reads `filter_metadata[filter].fields[key]` from a serialized `Metadata`
/// (`xds.route_metadata`, `xds.cluster_metadata`, `xds.upstream_host_metadata`).
pub fn metadata_value<'a>(metadata: &'a [u8], filter: &str, key: &str) -> Option<Scalar<'a>> {
    let structure = map_value(metadata, 1, filter)?;
    let value = map_value(structure, 1, key)?;
    fields(value).find_map(|(n, v)| match (n, v) {
        (2, Wire::Fixed64(bits)) => Some(Scalar::Number(f64::from_bits(bits))),
        (3, Wire::Bytes(s)) => core::str::from_utf8(s).ok().map(Scalar::Str),
        (4, Wire::Varint(b)) => Some(Scalar::Bool(b != 0)),
        _ => None,
    })
}

/// Reads the `region` of a serialized `Locality` (`upstream.locality`).
pub fn locality_region(locality: &[u8]) -> Option<&str> {
    bytes_field(locality, 1)
        .and_then(|b| core::str::from_utf8(b).ok())
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn len_field(number: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = alloc::vec![(number << 3) | 2, u8::try_from(payload.len()).unwrap()];
        out.extend_from_slice(payload);
        out
    }

    fn metadata(filter: &str, key: &str, value: &[u8]) -> Vec<u8> {
        let field_entry = [len_field(1, key.as_bytes()), len_field(2, value)].concat();
        let structure = len_field(1, &field_entry);
        let filter_entry = [len_field(1, filter.as_bytes()), len_field(2, &structure)].concat();
        len_field(1, &filter_entry)
    }

    #[test]
    fn reads_string_number_and_bool_values() {
        let s = metadata("scrim", "recipient", &len_field(3, b"us-analytics"));
        assert_eq!(
            metadata_value(&s, "scrim", "recipient"),
            Some(Scalar::Str("us-analytics"))
        );
        assert_eq!(metadata_value(&s, "other", "recipient"), None);
        assert_eq!(metadata_value(&s, "scrim", "region"), None);

        let mut number = alloc::vec![(2 << 3) | 1];
        number.extend_from_slice(&2.5f64.to_bits().to_le_bytes());
        let n = metadata("scrim", "weight", &number);
        assert_eq!(
            metadata_value(&n, "scrim", "weight"),
            Some(Scalar::Number(2.5))
        );

        let b = metadata("scrim", "dpf", &[4 << 3, 1]);
        assert_eq!(metadata_value(&b, "scrim", "dpf"), Some(Scalar::Bool(true)));
    }

    #[test]
    fn reads_locality_region() {
        let loc = [len_field(1, b"us-east-1"), len_field(2, b"us-east-1a")].concat();
        assert_eq!(locality_region(&loc), Some("us-east-1"));
        assert_eq!(locality_region(&len_field(2, b"zone-only")), None);
    }

    #[test]
    fn malformed_input_reads_as_absent() {
        assert_eq!(locality_region(&[0x0a, 0x7f, b'x']), None);
        assert_eq!(
            metadata_value(&[0xff, 0xff, 0xff], "scrim", "recipient"),
            None
        );
        assert_eq!(metadata_value(&[], "scrim", "recipient"), None);
    }
}
