//! Classified keys: each distinct key is decoded, classified and normalized once.
//!
//! Records in an array repeat their keys, so a body with a thousand users classifies `email`
//! once; bodies of one API repeat them too, so a [`KeyCache`] lent to every body of a policy
//! ([`super::Redactor::push_with_keys`]) classifies `email` once per process. The table is a
//! small open-addressing table over one string arena: a hit costs a hash and a comparison, a
//! miss one append to the arena (no allocation per key once warm).
//!
//! Keys are attacker-controlled, so the table is bounded: when it is full (entries or arena
//! bytes) it is emptied and starts over. Junk keys can cost a re-classification of the real
//! ones, never memory, and never a wrong answer.

use alloc::string::String;
use alloc::vec::Vec;

/// Most keys remembered per body when no cache is lent.
const BODY_ENTRIES: usize = 512;
/// Most keys remembered by a lent [`KeyCache`].
const SHARED_ENTRIES: usize = 2048;
/// Longest key remembered (bytes); longer keys are classified every time.
const MAX_KEY: usize = 64;
/// Most arena bytes per remembered entry on average (keys plus normalized forms).
const ARENA_PER_ENTRY: usize = 32;
/// Most slots looked at per lookup or insert. The hash is not keyed, so a client can send
/// keys that all land on one slot; without this bound each of them would probe the whole
/// cluster (up to every entry). A key whose probe run is longer is simply not cached.
/// At the table's load (at most half full) ordinary keys need one or two probes.
const MAX_PROBES: usize = 8;

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
    /// [`tail`] of the key: most keys are compared by length and this number alone.
    tail: u64,
    /// Range of the key normalized for field rules ([`crate::select::normalize_key`]) in
    /// `arena`; empty when no rule selects by key.
    norm: (u32, u32),
}

/// The table itself: one per body, or the one inside a lent [`KeyCache`].
pub(crate) struct KeyTable<K> {
    arena: String,
    entries: Vec<KeyInfo<K>>,
    /// `0` for an empty slot, else the entry index plus one.
    table: Vec<u16>,
    /// Most entries before the table starts over (half the slots).
    max_entries: usize,
}

/// Spreads keys over the table: eight bytes per step (keys are short, so this is one to
/// three multiplications instead of one per byte), the high half folded into the low bits
/// the table index uses. `last` is [`tail`] of `key`.
#[inline]
fn hash(key: &[u8], last: u64) -> usize {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (key.len() as u64).wrapping_mul(K);
    if key.len() > 8 {
        for w in key.chunks_exact(8) {
            h = (h ^ word(w)).wrapping_mul(K).rotate_left(31);
        }
    }
    h = (h ^ last).wrapping_mul(K);
    (h ^ (h >> 32)) as usize
}

/// Eight bytes as a little-endian number (0 for any other length).
#[inline]
fn word(bytes: &[u8]) -> u64 {
    bytes
        .first_chunk::<8>()
        .map_or(0, |w| u64::from_le_bytes(*w))
}

/// The last bytes of `b` as one number: its last eight bytes, or for a shorter `b` all of
/// them (read as two overlapping halves, or first, middle and last byte), so that two
/// strings of one length up to eight bytes are equal exactly when their tails are.
#[inline]
fn tail(b: &[u8]) -> u64 {
    if let Some(w) = b.last_chunk::<8>() {
        return u64::from_le_bytes(*w);
    }
    if let (Some(lo), Some(hi)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        return u64::from(u32::from_le_bytes(*lo)) | (u64::from(u32::from_le_bytes(*hi)) << 32);
    }
    match (b.first(), b.get(b.len() / 2), b.last()) {
        (Some(&x), Some(&y), Some(&z)) => u64::from(x) | (u64::from(y) << 8) | (u64::from(z) << 16),
        _ => 0,
    }
}

/// Whether `a` and `b`, of equal length and with equal [`tail`]s, are equal: the tail covers
/// every byte of strings up to eight bytes; longer ones also compare their eight-byte words,
/// which with the tail cover the rest (the same answer as `==`, without a call to `memcmp`
/// for a few bytes).
#[inline]
fn same_words(a: &[u8], b: &[u8]) -> bool {
    a.len() <= 8
        || a.chunks_exact(8)
            .zip(b.chunks_exact(8))
            .all(|(x, y)| word(x) == word(y))
}

#[inline]
fn range(arena: &str, r: (u32, u32)) -> &str {
    arena.get(r.0 as usize..r.1 as usize).unwrap_or("")
}

impl<K> Default for KeyTable<K> {
    fn default() -> Self {
        Self::with_entries(BODY_ENTRIES)
    }
}

impl<K: Clone> KeyTable<K> {
    pub(crate) fn new() -> Self {
        Self::default()
    }
}

impl<K> KeyTable<K> {
    fn with_entries(max_entries: usize) -> Self {
        Self {
            arena: String::new(),
            entries: Vec::new(),
            table: Vec::new(),
            max_entries,
        }
    }

    /// Slots in the table: a power of two, twice the most entries (so probes stay short).
    fn slots(&self) -> usize {
        2 * self.max_entries
    }

    /// Forgets every key (the capacity stays).
    fn clear(&mut self) {
        self.arena.clear();
        self.entries.clear();
        self.table.iter_mut().for_each(|s| *s = 0);
    }

    /// The cached info for `key`, if any.
    pub(crate) fn get(&self, key: &str) -> Option<&KeyInfo<K>> {
        if key.len() > MAX_KEY || self.entries.is_empty() {
            return None;
        }
        let mask = self.slots() - 1;
        let key = key.as_bytes();
        let last = tail(key);
        let mut slot = hash(key, last) & mask;
        // Every cached key sits within MAX_PROBES slots of its hash ([`KeyTable::insert`]),
        // and entries are only ever removed all at once, so a longer search cannot find it.
        for _ in 0..MAX_PROBES {
            let i = usize::from(*self.table.get(slot)?);
            let e = self.entries.get(i.checked_sub(1)?)?;
            // Compared as bytes: equal bytes are equal strings, and no char-boundary check.
            if e.tail == last && e.key.1.wrapping_sub(e.key.0) as usize == key.len() {
                let stored = self
                    .arena
                    .as_bytes()
                    .get(e.key.0 as usize..e.key.1 as usize);
                if stored.is_some_and(|s| same_words(s, key)) {
                    return Some(e);
                }
            }
            slot = (slot + 1) & mask;
        }
        None
    }

    /// Remembers `key` with its class and normalized form; starts over when full.
    pub(crate) fn insert(&mut self, key: &str, class: K, norm: &str, rule: Option<usize>) {
        if key.len() > MAX_KEY {
            return;
        }
        let arena_max = self.max_entries * ARENA_PER_ENTRY;
        if self.entries.len() >= self.max_entries
            || self.arena.len() + key.len() + norm.len() > arena_max
        {
            self.clear();
        }
        if self.table.is_empty() {
            // First key: room for a typical record's keys without regrowing.
            self.table.resize(self.slots(), 0);
            self.arena.reserve(1024);
            self.entries.reserve(32);
        }
        let mask = self.slots() - 1;
        let last = tail(key.as_bytes());
        let home = hash(key.as_bytes(), last) & mask;
        let Some(slot) = (0..MAX_PROBES)
            .map(|k| (home + k) & mask)
            .find(|&slot| self.table.get(slot).is_some_and(|&v| v == 0))
        else {
            // A crowded run of slots (colliding keys): leave this key uncached.
            return;
        };
        let Ok(index) = u16::try_from(self.entries.len() + 1) else {
            return;
        };
        let at = |a: &String| u32::try_from(a.len()).unwrap_or(u32::MAX);
        let k0 = at(&self.arena);
        self.arena.push_str(key);
        let k1 = at(&self.arena);
        self.arena.push_str(norm);
        let n1 = at(&self.arena);
        if let Some(v) = self.table.get_mut(slot) {
            *v = index;
        }
        self.entries.push(KeyInfo {
            class,
            rule,
            key: (k0, k1),
            tail: last,
            norm: (k1, n1),
        });
    }

    /// The normalized form stored with `info`.
    #[inline]
    pub(crate) fn norm<'c>(&'c self, info: &'c KeyInfo<K>) -> &'c str {
        range(&self.arena, info.norm)
    }
}

/// Classified keys kept across bodies: lend one to every body of a policy with
/// [`super::Redactor::push_with_keys`] and [`super::Redactor::finish_with_keys`] (or
/// [`crate::policy::redact_all_with_keys`]) so that keys seen in earlier bodies are not
/// classified again. It also lends the engine's scratch space for edits and replacement
/// text, so a body does not allocate its own.
///
/// Bounded: at most 2,048 keys of at most 64 bytes (about 200 KB when full); when full it
/// starts over. The scratch space kept between bodies is at most 64 edits and 8 buffers of
/// 1 KiB. A cache remembers the policy it was filled for and empties itself when lent
/// to another one, so one cache may safely serve several policies (it just helps less).
pub struct KeyCache<K = crate::detect::KeyClass> {
    /// Id of the policy the entries were computed for (0: none yet).
    owner: usize,
    pub(crate) table: KeyTable<K>,
    /// The engine's per-value edit list, lent to each body with the keys so that a body
    /// does not allocate its own (emptied of values between uses; see [`KeyCache::trim`]).
    pub(crate) edits: Vec<super::Edit>,
    /// The engine's replacement buffers, lent the same way.
    pub(crate) spare: Vec<String>,
}

/// Most edits' room a [`KeyCache`] keeps between bodies: a body with more edits in one value
/// grows the list for itself, and the cache gives that memory back afterwards.
const KEPT_EDITS: usize = 64;

impl<K> Default for KeyCache<K> {
    fn default() -> Self {
        Self {
            owner: 0,
            table: KeyTable::with_entries(SHARED_ENTRIES),
            edits: Vec::new(),
            spare: Vec::new(),
        }
    }
}

impl<K> KeyCache<K> {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many keys it remembers now.
    pub fn len(&self) -> usize {
        self.table.entries.len()
    }

    /// Whether it remembers no key.
    pub fn is_empty(&self) -> bool {
        self.table.entries.is_empty()
    }

    /// Drops what the lent buffers hold and gives back room beyond the usual (a body with
    /// many edits in one value). Nothing in them is needed by the next body: the engine
    /// clears the edit list before each value and each buffer before it is written.
    pub(crate) fn trim(&mut self) {
        self.edits.clear();
        if self.edits.capacity() > KEPT_EDITS {
            self.edits = Vec::new();
        }
    }

    /// Makes the entries those of policy `owner`: a cache filled for another policy is emptied.
    pub(crate) fn claim(&mut self, owner: usize) {
        if self.owner != owner {
            self.table.clear();
            self.owner = owner;
        }
    }
}

impl<K> core::fmt::Debug for KeyCache<K> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyCache")
            .field("keys", &self.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table's equality test: length, tail, then words.
    fn same_bytes(a: &[u8], b: &[u8]) -> bool {
        a.len() == b.len() && tail(a) == tail(b) && same_words(a, b)
    }

    #[test]
    fn byte_equality_matches_slice_equality() {
        let keys = [
            "",
            "a",
            "ab",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "abcdefgh12345678x",
            "é",
        ];
        for a in keys {
            for b in keys {
                assert_eq!(
                    same_bytes(a.as_bytes(), b.as_bytes()),
                    a == b,
                    "{a:?} {b:?}"
                );
            }
        }
        // Same length, differing only in the last byte of a full word or of the tail.
        assert!(!same_bytes(b"abcdefgh", b"abcdefgX"));
        assert!(!same_bytes(b"abcdefgh1", b"abcdefgh2"));
        for n in 0..20 {
            let a: Vec<u8> = (0..n).map(|i| b'a' + i).collect();
            for i in 0..a.len() {
                let mut b = a.clone();
                b[i] = b'#';
                assert!(!same_bytes(&a, &b), "{n} {i}");
            }
            assert!(same_bytes(&a, &a.clone()));
        }
    }

    #[test]
    fn remembers_keys_and_their_normal_form() {
        let mut c: KeyTable<u8> = KeyTable::new();
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
    fn colliding_keys_beyond_the_probe_bound_stay_uncached() {
        // Keys crafted to share one slot: the first MAX_PROBES are cached, the rest are
        // refused (looked up in at most MAX_PROBES slots), and every answer stays right.
        let mut c: KeyTable<usize> = KeyTable::new();
        let mask = c.slots() - 1;
        let slot = |k: &[u8]| hash(k, tail(k)) & mask;
        let target = slot(b"k0");
        let colliding: Vec<String> = (0..100_000)
            .map(|i| alloc::format!("k{i}"))
            .filter(|k| slot(k.as_bytes()) == target)
            .take(MAX_PROBES + 4)
            .collect();
        assert_eq!(colliding.len(), MAX_PROBES + 4);
        for (i, k) in colliding.iter().enumerate() {
            c.insert(k, i, "", None);
        }
        for (i, k) in colliding.iter().enumerate() {
            match c.get(k) {
                Some(e) => {
                    assert!(i < MAX_PROBES, "{k} cached past the probe bound");
                    assert_eq!(e.class, i);
                }
                None => assert!(i >= MAX_PROBES, "{k} should be cached"),
            }
        }
        assert_eq!(c.entries.len(), MAX_PROBES);
    }

    #[test]
    fn starts_over_when_full_and_never_remembers_long_keys() {
        let mut c: KeyTable<usize> = KeyTable::new();
        for i in 0..BODY_ENTRIES {
            let k = alloc::format!("k{i}");
            c.insert(&k, i, "", None);
        }
        assert_eq!(c.get("k0").unwrap().class, 0);
        let last = alloc::format!("k{}", BODY_ENTRIES - 1);
        assert_eq!(c.get(&last).unwrap().class, BODY_ENTRIES - 1);
        // One more key empties the table first: memory stays bounded, answers stay right.
        c.insert("fresh", 7, "", None);
        assert!(c.get("k0").is_none());
        assert_eq!(c.get("fresh").unwrap().class, 7);
        assert_eq!(c.entries.len(), 1);
        let long = "x".repeat(MAX_KEY + 1);
        c.insert(&long, 7, "", None);
        assert!(c.get(&long).is_none());
    }

    #[test]
    fn arena_is_bounded_even_for_long_normal_forms() {
        let mut c: KeyTable<usize> = KeyTable::new();
        let norm = "n".repeat(200);
        for i in 0..BODY_ENTRIES {
            c.insert(&alloc::format!("key{i}"), i, &norm, None);
            assert!(c.arena.len() <= BODY_ENTRIES * ARENA_PER_ENTRY);
        }
    }

    #[test]
    fn a_cache_lent_to_another_policy_forgets_the_first_ones_keys() {
        let mut c: KeyCache<u8> = KeyCache::new();
        c.claim(1);
        c.table.insert("email", 1, "", None);
        c.claim(1);
        assert_eq!(c.len(), 1);
        c.claim(2);
        assert!(c.is_empty());
        assert!(c.table.get("email").is_none());
    }
}
