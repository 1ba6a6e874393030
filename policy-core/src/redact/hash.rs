//! The `hash` method: keyed pseudonyms, `tok_<category>_<hex>`.
//!
//! HMAC-SHA-256 over the category id and the value, keyed by a secret supplied at run time
//! (never from the bundle: a bundle is published, and an unkeyed or public-keyed hash of a
//! phone number is reversed by enumerating all numbers). The same key, category and value
//! always give the same token, so joins across records still work.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A secret key for the `hash` method. Its `Debug` output never shows the key.
#[derive(Clone)]
pub struct HashKey(Vec<u8>);

impl HashKey {
    /// Wrap key bytes (any length; 32 random bytes recommended).
    pub fn new(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
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
    out.push_str("tok_");
    out.push_str(category);
    out.push('_');
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key.0) else {
        // HMAC accepts keys of any length; this branch cannot be taken, but stay closed.
        out.push_str("unkeyed");
        return out;
    };
    mac.update(category.as_bytes());
    mac.update(&[0]);
    mac.update(value.as_bytes());
    let digest = mac.finalize().into_bytes();
    let want = usize::from(length.clamp(8, 64));
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in digest.iter() {
        for nibble in [b >> 4, b & 0xf] {
            if out.len() >= 5 + category.len() + want {
                return out;
            }
            if let Some(h) = HEX.get(usize::from(nibble)) {
                out.push(char::from(*h));
            }
        }
    }
    out
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
    fn debug_hides_the_key() {
        assert!(!alloc::format!("{:?}", HashKey::new(b"secret")).contains("secret"));
    }
}
