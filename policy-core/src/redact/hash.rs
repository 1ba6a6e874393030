//! The `hash` method: keyed pseudonyms, `tok_<category>_<hex>`.
//!
//! HMAC-SHA-256 over the category id and the value, keyed by a secret supplied at run time
//! (never from the bundle: a bundle is published, and an unkeyed or public-keyed hash of a
//! phone number is reversed by enumerating all numbers). The same key, category and value
//! always give the same token, so joins across records still work.

use alloc::string::String;
use core::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A secret key for the `hash` method. Its `Debug` output never shows the key.
///
/// It holds the HMAC state after the key's inner and outer pads (computed once in
/// [`HashKey::new`]), so each token costs only the hash of its own bytes, and a clone per
/// body is a copy without allocation.
#[derive(Clone)]
pub struct HashKey(Option<Hmac<Sha256>>);

impl HashKey {
    /// Wrap key bytes (any length; 32 random bytes recommended).
    pub fn new(bytes: &[u8]) -> Self {
        // HMAC accepts keys of any length, so this is always `Some`.
        Self(Hmac::<Sha256>::new_from_slice(bytes).ok())
    }
}

impl fmt::Debug for HashKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HashKey(<redacted>)")
    }
}

/// The token for `value` in `category`: `tok_<category>_<first length hex chars>`.
/// `length` is clamped to 8..=64.
pub fn hash_token(key: &HashKey, category: &str, value: &str, length: u8) -> String {
    let mut out = String::with_capacity(5 + category.len() + 64);
    hash_token_into(key, category, value, length, &mut out);
    out
}

/// [`hash_token`] appended to `out`.
pub(crate) fn hash_token_into(
    key: &HashKey,
    category: &str,
    value: &str,
    length: u8,
    out: &mut String,
) {
    out.push_str("tok_");
    out.push_str(category);
    out.push('_');
    // A clone of the keyed state: the same as keying a fresh HMAC with the key bytes.
    let Some(mut mac) = key.0.clone() else {
        // HMAC accepts keys of any length; this branch cannot be taken, but stay closed.
        out.push_str("unkeyed");
        return;
    };
    mac.update(category.as_bytes());
    mac.update(&[0]);
    mac.update(value.as_bytes());
    let digest = mac.finalize().into_bytes();
    let want = usize::from(length.clamp(8, 64));
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // `want` hex characters: two per digest byte, the last byte's low nibble dropped when
    // `want` is odd.
    for (i, b) in digest.iter().enumerate().take(want.div_ceil(2)) {
        for (j, nibble) in [b >> 4, b & 0xf].into_iter().enumerate() {
            if 2 * i + j >= want {
                return;
            }
            if let Some(h) = HEX.get(usize::from(nibble)) {
                out.push(char::from(*h));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_input_same_token_and_key_matters() {
        let k1 = HashKey::new(b"k1");
        let k2 = HashKey::new(b"k2");
        let a = hash_token(&k1, "contact", "a@b.com", 16);
        assert_eq!(a, hash_token(&k1, "contact", "a@b.com", 16));
        assert!(a.starts_with("tok_contact_"));
        assert_eq!(a.len(), "tok_contact_".len() + 16);
        assert_ne!(a, hash_token(&k2, "contact", "a@b.com", 16));
        assert_ne!(a, hash_token(&k1, "contact", "b@b.com", 16));
        assert_eq!(hash_token(&k1, "x", "v", 64).len(), "tok_x_".len() + 64);
    }

    #[test]
    fn tokens_match_a_freshly_keyed_hmac() {
        // The precomputed key state must give exactly the HMAC of the key bytes.
        let key = b"0123456789abcdef0123456789abcdef-and-longer-than-a-block-of-sixty-four-bytes";
        for k in [&key[..2], &key[..], b""] {
            let mut mac = Hmac::<Sha256>::new_from_slice(k).unwrap();
            mac.update(b"contact\0a@b.com");
            let hex: String = mac
                .finalize()
                .into_bytes()
                .iter()
                .map(|b| alloc::format!("{b:02x}"))
                .collect();
            let want = alloc::format!("tok_contact_{}", &hex[..64]);
            assert_eq!(hash_token(&HashKey::new(k), "contact", "a@b.com", 64), want);
        }
    }

    #[test]
    fn every_length_is_a_prefix_of_the_full_token() {
        let key = HashKey::new(b"k");
        let full = hash_token(&key, "contact", "a@b.com", 64);
        for length in 0..=80u8 {
            let want = "tok_contact_".len() + usize::from(length.clamp(8, 64));
            assert_eq!(
                hash_token(&key, "contact", "a@b.com", length),
                full[..want],
                "{length}"
            );
        }
    }

    #[test]
    fn debug_hides_the_key() {
        assert!(!alloc::format!("{:?}", HashKey::new(b"secret")).contains("secret"));
    }
}
