//! Key-name context: what the name of a JSON key says about the value under it.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::catalogue::Builtin;
use super::error::{DetectError, ErrorKind};
use super::vocabulary::{FORCES, HINTS, SUPPRESS, VETOES};
use super::{DetSet, DetectorIndex};

/// Longest normalized key considered; longer keys are classified by their first 256 bytes.
const MAX_KEY: usize = 256;

/// What a key name says about the value under it. Get one from
/// [`super::Detectors::classify_key`] and pass it in [`super::ScanContext`].
///
/// Keys are split into words: camelCase, snake_case, kebab-case, dots and spaces separate
/// words, full-width letters become ASCII, everything is lowercased, and a run of Chinese
/// characters is one word (`customerEmail`, `customer_email`, `CUSTOMER-EMAIL` all give
/// `customer email`). ASCII words match whole words only (`public` never matches `pub`);
/// Chinese words match inside a run (`身份证号码` contains `身份证`).
///
/// Built-in key words (the same words count as context near a value):
///
/// * **force** a detector on the whole value: `password`, `passwd`, `pwd`, `secret`,
///   `api_key`, `access_key`, `private_key`, `token`, `authorization`, `otp`, `密码`, `口令`,
///   `密钥`, `验证码` (→ `credential_key`); `身份证`, `身份证号` (→ `cn_resident_id`);
///   `phone`, `mobile`, `手机`, `电话` (→ `cn_mobile`); `email`, `邮箱` (→ `email`);
///   `first_name`, `full_name`, `surname`, `姓名`, `收件人`, `联系人` (→ `person_name`);
///   `地址`, `住址`, `home_address` (→ `postal_address`); `card_number`, `卡号`
///   (→ `payment_card`);
/// * **hint** a detector (enable a context-gated one, raise a validated one to very likely):
///   `passport`, `护照`, `dob`, `birthday`, `date_of_birth`, `出生日期`, `name`, `address`,
///   `ssn`, `plate`, `车牌`, `lat`, `lng`, `latitude`, `longitude`, `gps`, `经纬度`, `tel`,
///   `fax`, `座机`, `card`, `iban`, `ip`, `mac`, `imei`, and the country-pack words
///   (`aadhaar`, `nric`, `rrn`, `my_number`, `cpf`, `dni`, `codice_fiscale`, `nir`,
///   `steuer_id`, `nino`, `nhs`, `pesel`, `hkid`, `身分證`);
/// * **suppress** detection: `order_id`, `trace_id`, `span_id`, `request_id`,
///   `correlation_id`, `transaction_id`, `message_id`, `event_id`, `sku`, `tracking_number`,
///   `waybill`, `sha1`, `sha256`, `md5`, `hash`, `checksum`, `digest`, `etag`, `uuid`,
///   `nonce`, `version`, `timestamp`, `cursor`, `page_token`, `amount`, `price`,
///   `created_at_ms`, `订单号`, `流水号`, `运单号`. Under a suppressing key only `email` and
///   credential findings are reported; paging words (`page`, `cursor`, `pagination`) also
///   cancel the credential force (`nextPageToken` is not a secret);
/// * **veto** a wrong reading: `product_name`, `file_name`, `host_name` are not person
///   names; `ip_address`, `email_address`, `wallet_address` are not postal addresses;
///   `token_type`, `expires_in` are not secrets.
///
/// When words disagree, suppression wins over a force except for secrets
/// (`password_sha256` is still a secret), the force of the last word wins
/// (`phone_owner_name` is a name), and of two forcing words ending at the same place the
/// longer wins (`id_card_no` is a resident id, not a card). A forced category does not
/// replace a validated finding of another category (an IP under `客户端地址` stays an IP),
/// and an already masked value (`135****2885`) is not forced again.
///
/// The word lists in `detect/vocabulary.rs` are the full reference; the lists above are
/// the most common words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct KeyClass {
    hints: DetSet,
    force: Option<DetectorIndex>,
    suppress: bool,
}

impl KeyClass {
    /// A key that says nothing (the same as no key).
    pub fn none() -> Self {
        KeyClass::default()
    }

    /// Whether the key names detector `d` (a hint or a force).
    pub fn hints(&self, d: DetectorIndex) -> bool {
        self.hints.contains(d.0)
    }

    pub(crate) fn hints_index(&self, d: u16) -> bool {
        self.hints.contains(d)
    }

    /// The detector whose data the whole value is, if the key says so (`password`,
    /// `身份证号`, `email`, ...).
    pub fn force(&self) -> Option<DetectorIndex> {
        self.force
    }

    /// Whether the key names an identifier or digest (`order_id`, `trace_id`, `sha256`, ...)
    /// whose values look like personal data but are not.
    pub fn suppress(&self) -> bool {
        self.suppress
    }

    /// Whether the key says nothing at all.
    pub fn is_neutral(&self) -> bool {
        self.hints.is_empty() && self.force.is_none() && !self.suppress
    }
}

/// What one key word does.
#[derive(Debug, Clone, Default)]
struct KeyEntry {
    hints: DetSet,
    force: Option<u16>,
    suppress: bool,
    veto: DetSet,
    ascii_start: bool,
    ascii_end: bool,
}

/// The compiled key vocabulary (built-in words plus custom detectors' context words).
#[derive(Debug)]
pub(crate) struct KeyMatcher {
    ac: Option<AhoCorasick>,
    entries: Vec<KeyEntry>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Sep,
    Lower,
    Upper,
    Digit,
    Other,
}

/// Whether a word boundary falls before a character of class `class` that follows one of
/// class `prev` (`next_lower`: the character after it is an ASCII lowercase letter).
fn boundary(prev: Class, class: Class, next_lower: bool) -> bool {
    match (prev, class) {
        (_, Class::Sep) => true,
        (Class::Lower | Class::Digit, Class::Upper) => true,
        (Class::Upper, Class::Upper) => next_lower,
        (Class::Other, Class::Lower | Class::Upper | Class::Digit) => true,
        (Class::Lower | Class::Upper | Class::Digit, Class::Other) => true,
        _ => false,
    }
}

/// Writes the normalized word form of `raw` into `buf`; returns the used length.
pub(crate) fn normalize(raw: &str, buf: &mut [u8; MAX_KEY]) -> usize {
    let mut n = 0usize;
    let mut prev = Class::Sep;
    let mut chars = raw.chars().peekable();
    while let Some(c0) = chars.next() {
        let c = match u32::from(c0) {
            0xFF01..=0xFF5E => char::from_u32(u32::from(c0) - 0xFEE0).unwrap_or(c0),
            0x200B..=0x200D | 0x2060 | 0xFEFF => continue,
            _ => c0,
        };
        let class = if c.is_ascii_lowercase() {
            Class::Lower
        } else if c.is_ascii_uppercase() {
            Class::Upper
        } else if c.is_ascii_digit() {
            Class::Digit
        } else if c.is_ascii() || c.is_whitespace() {
            Class::Sep
        } else {
            Class::Other
        };
        let next_lower = chars.peek().is_some_and(char::is_ascii_lowercase);
        if boundary(prev, class, next_lower) && n > 0 && buf.get(n - 1) != Some(&b' ') {
            if n >= MAX_KEY {
                break;
            }
            if let Some(slot) = buf.get_mut(n) {
                *slot = b' ';
            }
            n += 1;
        }
        prev = class;
        if class == Class::Sep {
            continue;
        }
        let mut utf8 = [0u8; 4];
        // ASCII needs no Unicode case tables (the common case for keys).
        let lower = if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            c.to_lowercase().next().unwrap_or(c)
        };
        let encoded = lower.encode_utf8(&mut utf8).as_bytes();
        if n + encoded.len() > MAX_KEY {
            break;
        }
        for &b in encoded {
            if let Some(slot) = buf.get_mut(n) {
                *slot = b;
            }
            n += 1;
        }
    }
    while n > 0 && buf.get(n - 1) == Some(&b' ') {
        n -= 1;
    }
    n
}

/// Normalized form of a vocabulary word (as an owned string).
pub(crate) fn normalize_word(word: &str) -> String {
    let mut buf = [0u8; MAX_KEY];
    let n = normalize(word, &mut buf);
    String::from_utf8_lossy(buf.get(..n).unwrap_or_default()).into_owned()
}

/// The entry for vocabulary word `w` (normalized), created on first use.
fn entry<'m>(map: &'m mut BTreeMap<String, KeyEntry>, w: &str) -> Option<&'m mut KeyEntry> {
    let norm = normalize_word(w);
    if norm.is_empty() {
        return None;
    }
    let bytes = norm.as_bytes();
    let ascii_start = bytes.first().is_some_and(u8::is_ascii);
    let ascii_end = bytes.last().is_some_and(u8::is_ascii);
    let e = map.entry(norm).or_default();
    e.ascii_start = ascii_start;
    e.ascii_end = ascii_end;
    Some(e)
}

impl KeyMatcher {
    /// Builds the key vocabulary: built-in lists plus `custom` (detector index, words) hints.
    pub(crate) fn build(custom: &[(u16, Vec<String>)]) -> Result<Self, DetectError> {
        let mut map: BTreeMap<String, KeyEntry> = BTreeMap::new();
        for (d, words) in HINTS {
            for w in *words {
                if let Some(e) = entry(&mut map, w) {
                    e.hints.insert(d.index());
                }
            }
        }
        for (d, words) in FORCES {
            for w in *words {
                if let Some(e) = entry(&mut map, w) {
                    e.force = Some(d.index());
                    e.hints.insert(d.index());
                }
            }
        }
        for w in SUPPRESS {
            if let Some(e) = entry(&mut map, w) {
                e.suppress = true;
            }
        }
        for (d, words) in VETOES {
            for w in *words {
                if let Some(e) = entry(&mut map, w) {
                    e.veto.insert(d.index());
                }
            }
        }
        for (d, words) in custom {
            for w in words {
                if let Some(e) = entry(&mut map, w) {
                    e.hints.insert(*d);
                }
            }
        }
        let (patterns, entries): (Vec<String>, Vec<KeyEntry>) = map.into_iter().unzip();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| {
                DetectError::new(
                    ErrorKind::Limit,
                    alloc::format!(
                        "key vocabulary does not compile: {e}; use fewer or shorter context words"
                    ),
                )
            })?;
        Ok(KeyMatcher {
            ac: Some(ac),
            entries,
        })
    }

    /// Classifies one raw key.
    pub(crate) fn classify(&self, raw: &str) -> KeyClass {
        let mut buf = [0u8; MAX_KEY];
        let n = normalize(raw, &mut buf);
        let key = buf.get(..n).unwrap_or_default();
        let mut class = KeyClass::default();
        let Some(ac) = &self.ac else {
            return class;
        };
        let mut veto = DetSet::default();
        // (end, start, detector): the force of the last word wins; at the same end the longer
        // word wins (`id card no` names a resident id, not the `card no` of a payment card).
        let mut force: Option<(usize, usize, u16)> = None;
        let Ok(matches) = ac.try_find_overlapping_iter(key) else {
            return class;
        };
        for m in matches {
            let Some(e) = self.entries.get(m.pattern().as_usize()) else {
                continue;
            };
            let start_ok =
                !e.ascii_start || m.start() == 0 || key.get(m.start() - 1) == Some(&b' ');
            let end_ok = !e.ascii_end || m.end() == n || key.get(m.end()) == Some(&b' ');
            if !(start_ok && end_ok) {
                continue;
            }
            class.hints.union(&e.hints);
            veto.union(&e.veto);
            class.suppress |= e.suppress;
            if let Some(f) = e.force
                && force.is_none_or(|(end, start, _)| {
                    m.end() > end || m.end() == end && m.start() <= start
                })
            {
                force = Some((m.end(), m.start(), f));
            }
        }
        for (i, w) in veto.0.iter().enumerate() {
            if let Some(h) = class.hints.0.get_mut(i) {
                *h &= !w;
            }
        }
        class.force = force
            .map(|(_, _, f)| f)
            .filter(|f| !veto.contains(*f))
            .filter(|f| !class.suppress || *f == Builtin::CredentialKey.index())
            .map(DetectorIndex);
        class
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize_word(s)
    }

    #[test]
    fn key_forms_normalize_to_the_same_words() {
        assert_eq!(norm("customerEmail"), "customer email");
        assert_eq!(norm("customer_email"), "customer email");
        assert_eq!(norm("CUSTOMER-EMAIL"), "customer email");
        assert_eq!(norm("HTTPServerName"), "http server name");
        assert_eq!(norm("ｃｕｓｔｏｍｅｒＥｍａｉｌ"), "customer email");
        assert_eq!(norm("用户身份证号"), "用户身份证号");
        assert_eq!(norm("user身份证No"), "user 身份证 no");
        assert_eq!(norm("sha256"), "sha256");
        assert_eq!(norm("  a..b  "), "a b");
    }
}
