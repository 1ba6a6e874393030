//! Classified keys of one body: each distinct key is decoded, classified and normalized once.
//!
//! Records in an array repeat their keys, so a body with a thousand users classifies `email`
//! once. The cache is a small open-addressing table over one string arena: a hit costs a
//! hash and a comparison, a miss one append to the arena (no allocation per key once warm).

use alloc::string::String;
use alloc::vec::Vec;

/// Most keys remembered per body; later keys are classified every time.
const ENTRIES: usize = 512;
/// Longest key remembered (bytes); longer keys are classified every time.
const MAX_KEY: usize = 64;
/// Slots in the table (a power of two, twice [`ENTRIES`]).
const SLOTS: usize = 2 * ENTRIES;

/// What the engine keeps for one key.
#[derive(Clone)]
pub(crate) struct KeyInfo<K> {
    /// The scanner's classification.
    pub class: K,
    /// The field rule selecting this key by name when no rule selects by path
    /// ([`crate::select::FieldRules::position`]).
    pub rule: Option<usize>,
    /// Range of the key in `arena`.
    key: (u32, u32),
    /// Range of the key normalized for field rules ([`crate::select::normalize_key`]) in
    /// `arena`; empty when no rule selects by key.
    norm: (u32, u32),
}

pub(crate) struct KeyCache<K> {
    arena: String,
    entries: Vec<KeyInfo<K>>,
    /// `0` for an empty slot, else the entry index plus one.
    table: Vec<u16>,
}

fn hash(key: &[u8]) -> usize {
    // FNV-1a: keys are short, and the table only has to spread them.
    let mut h: u32 = 0x811c_9dc5;
    for &b in key {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h as usize
}

fn range(arena: &str, r: (u32, u32)) -> &str {
    arena.get(r.0 as usize..r.1 as usize).unwrap_or("")
}

impl<K> Default for KeyCache<K> {
    fn default() -> Self {
        Self {
            arena: String::new(),
            entries: Vec::new(),
            table: Vec::new(),
        }
    }
}

impl<K: Clone> KeyCache<K> {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The cached info for `key`, if any.
    pub(crate) fn get(&self, key: &str) -> Option<&KeyInfo<K>> {
        if key.len() > MAX_KEY || self.table.is_empty() {
            return None;
        }
        let mut slot = hash(key.as_bytes()) % SLOTS;
        loop {
            let i = usize::from(*self.table.get(slot)?);
            let e = self.entries.get(i.checked_sub(1)?)?;
            if range(&self.arena, e.key) == key {
                return Some(e);
            }
            slot = (slot + 1) % SLOTS;
        }
    }

    /// Remembers `key` (if there is room) with its class and normalized form.
    pub(crate) fn insert(&mut self, key: &str, class: K, norm: &str, rule: Option<usize>) {
        if key.len() > MAX_KEY || self.entries.len() >= ENTRIES {
            return;
        }
        if self.table.is_empty() {
            // First key of the body: room for a typical record's keys without regrowing.
            self.table.resize(SLOTS, 0);
            self.arena.reserve(1024);
            self.entries.reserve(32);
        }
        let mut slot = hash(key.as_bytes()) % SLOTS;
        while self.table.get(slot).is_some_and(|&v| v != 0) {
            slot = (slot + 1) % SLOTS;
        }
        let at = |a: &String| u32::try_from(a.len()).unwrap_or(u32::MAX);
        let k0 = at(&self.arena);
        self.arena.push_str(key);
        let k1 = at(&self.arena);
        self.arena.push_str(norm);
        let n1 = at(&self.arena);
        let Ok(index) = u16::try_from(self.entries.len() + 1) else {
            return;
        };
        if let Some(v) = self.table.get_mut(slot) {
            *v = index;
        }
        self.entries.push(KeyInfo {
            class,
            rule,
            key: (k0, k1),
            norm: (k1, n1),
        });
    }

    /// The normalized form stored with `info`.
    pub(crate) fn norm<'c>(&'c self, info: &'c KeyInfo<K>) -> &'c str {
        range(&self.arena, info.norm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_keys_and_their_normal_form() {
        let mut c: KeyCache<u8> = KeyCache::new();
        assert!(c.get("email").is_none());
        c.insert("email", 1, "email", None);
        c.insert("customerPhone", 2, "customer_phone", Some(3));
        let e = c.get("customerPhone").unwrap();
        assert_eq!(e.class, 2);
        assert_eq!(c.norm(e), "customer_phone");
        assert_eq!(e.rule, Some(3));
        assert_eq!(c.get("email").unwrap().class, 1);
        assert!(c.get("emai").is_none());
    }

    #[test]
    fn stops_remembering_when_full_but_keeps_answering() {
        let mut c: KeyCache<usize> = KeyCache::new();
        for i in 0..ENTRIES + 10 {
            let k = alloc::format!("k{i}");
            c.insert(&k, i, "", None);
        }
        assert_eq!(c.get("k0").unwrap().class, 0);
        assert_eq!(
            c.get(&alloc::format!("k{}", ENTRIES - 1)).unwrap().class,
            ENTRIES - 1
        );
        assert!(c.get(&alloc::format!("k{ENTRIES}")).is_none());
        let long = "x".repeat(MAX_KEY + 1);
        c.insert(&long, 7, "", None);
        assert!(c.get(&long).is_none());
    }
}
