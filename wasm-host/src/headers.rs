//! HTTP header maps and their proxy-wasm pair serialization (spec §2.5).

/// An ordered HTTP header map as Envoy holds it: lower-case names, repeated names allowed,
/// pseudo-headers (`:method`, `:path`, `:authority`, `:scheme`, `:status`) included.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeaderMap {
    pairs: Vec<(String, String)>,
}

/// Why a serialized header map from the guest could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MalformedPairs;

/// cpp-host's limits (`limits.h`): at most 1024 pairs and 1 MiB of serialized data.
const MAX_PAIRS: usize = 1024;
const MAX_PAIRS_BYTES: usize = 1 << 20;

impl HeaderMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a map from `(name, value)` pairs, lower-casing the names.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut map = Self::new();
        for (k, v) in pairs {
            map.add(k.as_ref(), v.as_ref());
        }
        map
    }

    /// The FIRST value of `name` (case-insensitive), as Envoy's `get_header_map_value` returns it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// True when `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Appends a value (a repeated header keeps the earlier values).
    pub fn add(&mut self, name: &str, value: &str) {
        self.pairs
            .push((name.to_ascii_lowercase(), value.to_owned()));
    }

    /// Replaces every value of `name` with one value (added if absent).
    pub fn set(&mut self, name: &str, value: &str) {
        match self
            .pairs
            .iter()
            .position(|(k, _)| k.eq_ignore_ascii_case(name))
        {
            Some(first) => {
                if let Some(pair) = self.pairs.get_mut(first) {
                    pair.1 = value.to_owned();
                }
                let mut index = 0;
                self.pairs.retain(|(k, _)| {
                    let keep = index <= first || !k.eq_ignore_ascii_case(name);
                    index += 1;
                    keep
                });
            }
            None => self.add(name, value),
        }
    }

    /// Removes every value of `name` (nothing happens when absent).
    pub fn remove(&mut self, name: &str) {
        self.pairs.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    }

    /// The pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Number of pairs (a repeated name counts once per value).
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// True when there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The proxy-wasm serialization: `u32 count`, `count × (u32 key_len, u32 value_len)`, then
    /// each key and value followed by a NUL byte; little-endian. An empty map is `00 00 00 00`.
    pub fn serialize(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&(self.pairs.len() as u32).to_le_bytes());
        for (k, v) in &self.pairs {
            out.extend_from_slice(&(k.len() as u32).to_le_bytes());
            out.extend_from_slice(&(v.len() as u32).to_le_bytes());
        }
        for (k, v) in &self.pairs {
            out.extend_from_slice(k.as_bytes());
            out.push(0);
            out.extend_from_slice(v.as_bytes());
            out.push(0);
        }
        out
    }

    /// Decodes the serialization produced by a guest (the inverse of [`HeaderMap::serialize`]).
    pub(crate) fn deserialize(bytes: &[u8]) -> Result<Self, MalformedPairs> {
        if bytes.is_empty() || bytes == [0] {
            return Ok(Self::new());
        }
        if bytes.len() > MAX_PAIRS_BYTES {
            return Err(MalformedPairs);
        }
        let read_u32 = |at: usize| -> Result<usize, MalformedPairs> {
            let b = bytes.get(at..at + 4).ok_or(MalformedPairs)?;
            Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        };
        let count = read_u32(0)?;
        if count > MAX_PAIRS {
            return Err(MalformedPairs);
        }
        let mut data = 4 + count * 8;
        let mut map = Self::new();
        for i in 0..count {
            let key_len = read_u32(4 + i * 8)?;
            let value_len = read_u32(8 + i * 8)?;
            let key = bytes.get(data..data + key_len).ok_or(MalformedPairs)?;
            data += key_len + 1;
            let value = bytes.get(data..data + value_len).ok_or(MalformedPairs)?;
            data += value_len + 1;
            map.add(
                &String::from_utf8_lossy(key),
                &String::from_utf8_lossy(value),
            );
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialization_matches_the_sdk_layout() {
        let map = HeaderMap::from_pairs([(":method", "GET"), ("X-A", "1")]);
        let bytes = map.serialize();
        assert_eq!(&bytes[..12], &[2, 0, 0, 0, 7, 0, 0, 0, 3, 0, 0, 0]);
        assert!(bytes.ends_with(b":method\0GET\0x-a\x001\0"));
        assert_eq!(HeaderMap::deserialize(&bytes), Ok(map));
        assert_eq!(HeaderMap::new().serialize(), vec![0, 0, 0, 0]);
    }

    #[test]
    fn first_value_wins_and_set_collapses_repeats() {
        let mut map = HeaderMap::from_pairs([("a", "1"), ("b", "x"), ("A", "2")]);
        assert_eq!(map.get("a"), Some("1"));
        assert_eq!(map.get_all("a").collect::<Vec<_>>(), ["1", "2"]);
        map.set("a", "3");
        assert_eq!(map.iter().collect::<Vec<_>>(), [("a", "3"), ("b", "x")]);
    }

    #[test]
    fn truncated_pairs_are_rejected() {
        let bytes = HeaderMap::from_pairs([("a", "1")]).serialize();
        assert_eq!(
            HeaderMap::deserialize(&bytes[..bytes.len() - 3]),
            Err(MalformedPairs)
        );
    }
}
