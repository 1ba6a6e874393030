//! The consent cookie the browser SDK writes and the gateway reads, and the GPC signal.
//!
//! One format, defined here and used by both sides (docs/consent-cookie.md):
//!
//! ```text
//! scrim_consent=1.<revision>.<granted>.<gpc>.<timestamp>.<id>
//!               1.3.analytics~necessary.0.1764410000.k4dq3y7m2nbx5wza
//! ```
//!
//! * `1`: format version;
//! * `revision`: the bundle's `consent.revision` the user answered (a bump asks again);
//! * `granted`: category ids, sorted, joined with `~`, or `-` for none;
//! * `gpc`: `1` if a Global Privacy Control signal was seen and the opt-out persisted, else `0`;
//! * `timestamp`: Unix seconds of the choice;
//! * `id`: 16 characters of RFC 4648 base32 (lower case, no padding) from 80 random bits, the
//!   receipt id the user can quote. No IP, user agent or other personal data.
//!
//! ```
//! use scrim_core::consent::{ConsentCookie, ConsentId};
//! let cookie = ConsentCookie {
//!     revision: 3,
//!     granted: vec!["necessary".into(), "analytics".into()],
//!     gpc: false,
//!     timestamp: 1_764_410_000,
//!     id: ConsentId::from_random([7; 10]),
//! };
//! let text = cookie.encode();
//! assert_eq!(ConsentCookie::decode(&text).unwrap(), cookie.normalized());
//! ```

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Name of the consent cookie.
pub const COOKIE_NAME: &str = "scrim_consent";

/// Longest cookie value accepted, in bytes.
pub const MAX_COOKIE_LEN: usize = 512;

/// Most categories a cookie may grant.
pub const MAX_CATEGORIES: usize = 32;

const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// Whether a `Sec-GPC` header value expresses an opt-out (`1`, the only defined value).
#[must_use]
pub fn gpc_from_header(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.trim() == "1")
}

/// The random receipt id of a consent choice: 16 base32 characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConsentId([u8; 16]);

impl ConsentId {
    /// Encodes 80 random bits (from `crypto.getRandomValues` in the SDK) as an id.
    #[must_use]
    pub fn from_random(bytes: [u8; 10]) -> ConsentId {
        let mut out = [b'a'; 16];
        let mut acc: u128 = 0;
        for b in bytes {
            acc = (acc << 8) | u128::from(b);
        }
        for (i, slot) in out.iter_mut().enumerate() {
            let shift = 75 - 5 * i;
            let index = usize::from(u8::try_from((acc >> shift) & 0x1f).unwrap_or(0));
            *slot = BASE32.get(index).copied().unwrap_or(b'a');
        }
        ConsentId(out)
    }

    /// Parses an id; `None` unless it is 16 characters of `a-z2-7`.
    #[must_use]
    pub fn parse(text: &str) -> Option<ConsentId> {
        let bytes: [u8; 16] = text.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(|b| BASE32.contains(b))
            .then_some(ConsentId(bytes))
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or("")
    }
}

/// A decoded consent cookie: what the user granted, under which consent revision, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentCookie {
    /// The bundle's `consent.revision` this choice answered.
    pub revision: u32,
    /// Granted consent category ids.
    pub granted: Vec<String>,
    /// A GPC opt-out was seen and persists (Colorado Rule 5.09: later absence is not consent).
    pub gpc: bool,
    /// Unix seconds of the choice.
    pub timestamp: u64,
    /// Receipt id.
    pub id: ConsentId,
}

/// Why a consent cookie was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentError {
    message: String,
}

impl fmt::Display for ConsentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ConsentError {}

fn fail(message: String) -> ConsentError {
    ConsentError { message }
}

fn valid_category(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_lowercase() || b.is_ascii_digit())
        && id.len() <= 32
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

impl ConsentCookie {
    /// The same cookie with categories sorted and deduplicated (the encoded order).
    #[must_use]
    pub fn normalized(&self) -> ConsentCookie {
        let mut granted = self.granted.clone();
        granted.sort();
        granted.dedup();
        ConsentCookie {
            granted,
            ..self.clone()
        }
    }

    /// Encodes the cookie value (without the `scrim_consent=` name). Invalid category ids are
    /// left out, so the result always decodes.
    #[must_use]
    pub fn encode(&self) -> String {
        let mut granted: Vec<&str> = self
            .granted
            .iter()
            .map(String::as_str)
            .filter(|c| valid_category(c))
            .collect();
        granted.sort_unstable();
        granted.dedup();
        granted.truncate(MAX_CATEGORIES);
        let granted = if granted.is_empty() {
            "-".to_owned()
        } else {
            granted.join("~")
        };
        format!(
            "1.{}.{}.{}.{}.{}",
            self.revision,
            granted,
            u8::from(self.gpc),
            self.timestamp,
            self.id.as_str()
        )
    }

    /// Decodes a cookie value.
    ///
    /// # Errors
    /// When the value is longer than [`MAX_COOKIE_LEN`], has another version than `1`, or a
    /// field is malformed; the message names the field.
    pub fn decode(value: &str) -> Result<ConsentCookie, ConsentError> {
        if value.len() > MAX_COOKIE_LEN {
            return Err(fail(format!(
                "consent cookie is {} bytes; at most {MAX_COOKIE_LEN} are accepted",
                value.len()
            )));
        }
        let mut parts = value.split('.');
        let mut next = |field: &str| {
            parts.next().ok_or_else(|| {
                fail(format!(
                    "consent cookie ends before the `{field}` field; expected `1.<revision>.<granted>.<gpc>.<timestamp>.<id>`"
                ))
            })
        };
        let version = next("version")?;
        if version != "1" {
            return Err(fail(format!(
                "consent cookie version `{version}` is not supported; this build reads version `1`"
            )));
        }
        let revision_text = next("revision")?;
        let revision = revision_text.parse::<u32>().map_err(|_| {
            fail(format!(
                "consent cookie revision `{revision_text}` is not a whole number"
            ))
        })?;
        let granted_text = next("granted")?;
        let mut granted = Vec::new();
        if granted_text != "-" {
            for id in granted_text.split('~') {
                if !valid_category(id) {
                    return Err(fail(format!(
                        "consent cookie category `{id}` is not a category id (lower-case letters, digits, `_`, `-`)"
                    )));
                }
                granted.push(id.to_owned());
            }
        }
        if granted.len() > MAX_CATEGORIES {
            return Err(fail(format!(
                "consent cookie grants {} categories; at most {MAX_CATEGORIES}",
                granted.len()
            )));
        }
        granted.sort();
        granted.dedup();
        let gpc = match next("gpc")? {
            "0" => false,
            "1" => true,
            other => {
                return Err(fail(format!(
                    "consent cookie gpc flag `{other}` must be `0` or `1`"
                )));
            }
        };
        let ts_text = next("timestamp")?;
        let timestamp = ts_text.parse::<u64>().map_err(|_| {
            fail(format!(
                "consent cookie timestamp `{ts_text}` is not Unix seconds"
            ))
        })?;
        let id_text = next("id")?;
        let id = ConsentId::parse(id_text).ok_or_else(|| {
            fail(format!(
                "consent cookie id `{id_text}` must be 16 characters of a-z and 2-7"
            ))
        })?;
        if parts.next().is_some() {
            return Err(fail(
                "consent cookie has fields after the id; expected six `.`-separated fields"
                    .to_owned(),
            ));
        }
        Ok(ConsentCookie {
            revision,
            granted,
            gpc,
            timestamp,
            id,
        })
    }

    /// Finds and decodes `scrim_consent` in a `Cookie` request header. `None` when the cookie is
    /// absent.
    #[must_use]
    pub fn from_cookie_header(header: &str) -> Option<Result<ConsentCookie, ConsentError>> {
        header.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name.trim() == COOKIE_NAME)
                .then(|| ConsentCookie::decode(value.trim().trim_matches('"')))
        })
    }

    /// Whether the user granted `category` under a revision at least `current_revision`.
    #[must_use]
    pub fn grants(&self, category: &str, current_revision: u32) -> bool {
        self.revision >= current_revision && self.granted.iter().any(|c| c == category)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    fn sample() -> ConsentCookie {
        ConsentCookie {
            revision: 3,
            granted: vec!["necessary".into(), "analytics".into()],
            gpc: true,
            timestamp: 1_764_410_000,
            id: ConsentId::from_random([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 4, 5]),
        }
    }

    #[test]
    fn encodes_compactly_and_round_trips() {
        let text = sample().encode();
        assert!(
            text.starts_with("1.3.analytics~necessary.1.1764410000."),
            "{text}"
        );
        assert_eq!(text.rsplit('.').next().unwrap().len(), 16);
        let back = ConsentCookie::decode(&text).unwrap();
        assert_eq!(back, sample().normalized());
        assert!(back.grants("analytics", 3));
        assert!(!back.grants("analytics", 4), "a revision bump revokes");
        assert!(!back.grants("ads", 3));
    }

    #[test]
    fn empty_grant_and_ids_differ_by_randomness() {
        let mut c = sample();
        c.granted.clear();
        c.gpc = false;
        let text = c.encode();
        assert!(text.starts_with("1.3.-.0."), "{text}");
        assert!(ConsentCookie::decode(&text).unwrap().granted.is_empty());
        assert_ne!(
            ConsentId::from_random([1; 10]).as_str(),
            ConsentId::from_random([2; 10]).as_str()
        );
        assert_eq!(ConsentId::from_random([0; 10]).as_str(), "aaaaaaaaaaaaaaaa");
        assert_eq!(
            ConsentId::from_random([0xff; 10]).as_str(),
            "7777777777777777"
        );
    }

    #[test]
    fn malformed_cookies_are_refused_with_the_field_named() {
        let err = |s: &str| ConsentCookie::decode(s).unwrap_err().to_string();
        assert!(err("2.3.-.0.1.aaaaaaaaaaaaaaaa").contains("version `2`"));
        assert!(err("1.x.-.0.1.aaaaaaaaaaaaaaaa").contains("revision `x`"));
        assert!(err("1.3.Ads.0.1.aaaaaaaaaaaaaaaa").contains("category `Ads`"));
        assert!(err("1.3.-.2.1.aaaaaaaaaaaaaaaa").contains("gpc flag `2`"));
        assert!(err("1.3.-.0.-5.aaaaaaaaaaaaaaaa").contains("timestamp `-5`"));
        assert!(err("1.3.-.0.1.aaaa").contains("id `aaaa`"));
        assert!(err("1.3.-.0").contains("`timestamp` field"));
        assert!(err("1.3.-.0.1.aaaaaaaaaaaaaaaa.x").contains("after the id"));
        let long = "1.3.".to_owned() + &"a".repeat(600);
        assert!(err(&long).contains("at most 512"));
    }

    #[test]
    fn finds_the_cookie_in_a_header_and_reads_gpc() {
        let header = format!("a=b; {COOKIE_NAME}={}; c=d", sample().encode());
        let c = ConsentCookie::from_cookie_header(&header).unwrap().unwrap();
        assert!(c.gpc);
        assert!(ConsentCookie::from_cookie_header("a=b").is_none());
        assert!(
            ConsentCookie::from_cookie_header("scrim_consent=junk")
                .unwrap()
                .is_err()
        );
        assert!(gpc_from_header(Some("1")));
        assert!(gpc_from_header(Some(" 1 ")));
        assert!(!gpc_from_header(Some("0")));
        assert!(!gpc_from_header(None));
    }
}
