//! ISO 7064 checks: MOD 11-2 (China resident ID) and MOD 97-10 (IBAN).

/// Weights 2^(17-i) mod 11 for the first 17 characters of a China resident ID.
const MOD11_2_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder.
const MOD11_2_CHECK: &[u8; 11] = b"10X98765432";

/// Returns `true` when an 18-character China resident ID number (17 digits and a check
/// character `0`–`9`, `X` or `x`) has the right ISO 7064 MOD 11-2 check character.
///
/// Only the check character is verified; [`crate::detect`] also checks the birth date and the
/// province code.
///
/// ```
/// assert!(scrim_core::checksum::cn_resident_id_check(b"11010519491231002X"));
/// assert!(!scrim_core::checksum::cn_resident_id_check(b"110105194912310021"));
/// ```
pub fn cn_resident_id_check(id: &[u8]) -> bool {
    if id.len() != 18 {
        return false;
    }
    let mut sum = 0u32;
    for (b, w) in id.iter().zip(MOD11_2_WEIGHTS.iter()) {
        if !b.is_ascii_digit() {
            return false;
        }
        sum += u32::from(b - b'0') * w;
    }
    let expected = MOD11_2_CHECK.get((sum % 11) as usize).copied();
    let got = id.get(17).map(u8::to_ascii_uppercase);
    expected.is_some() && expected == got
}

/// Value of an alphanumeric character in ISO 7064 MOD 97-10 (`0`–`9` → 0–9, `A`–`Z` → 10–35,
/// case-insensitive), or `None` for anything else.
fn mod97_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        b'a'..=b'z' => Some(u32::from(b - b'a') + 10),
        _ => None,
    }
}

/// Remainder mod 97 of the number formed by `chars` with letters expanded to two digits, or
/// `None` when a character is not alphanumeric.
fn mod97_remainder<'a>(chars: impl Iterator<Item = &'a u8>) -> Option<u32> {
    // The same remainder as reducing after every digit: up to 16 digits are gathered in a
    // `u64` (below 97 * 10^16, far from overflow) and reduced once.
    let mut r = 0u64;
    let mut pending = 0u32;
    for &b in chars {
        let v = u64::from(mod97_value(b)?);
        if v >= 10 {
            r = r * 100 + v;
            pending += 2;
        } else {
            r = r * 10 + v;
            pending += 1;
        }
        if pending >= 15 {
            r %= 97;
            pending = 0;
        }
    }
    u32::try_from(r % 97).ok()
}

/// Returns `true` when the alphanumeric string `s`, read as a number with letters worth
/// 10–35, is congruent to 1 mod 97 (ISO 7064 MOD 97-10, as used by IBAN after rotation).
///
/// ```
/// assert!(scrim_core::checksum::mod97_10(b"3214282912345698765432161182"));
/// ```
pub fn mod97_10(s: &[u8]) -> bool {
    !s.is_empty() && mod97_remainder(s.iter()) == Some(1)
}

/// Returns `true` when `iban` (no spaces, upper- or lowercase) has a valid IBAN check: two
/// letters, two check digits, then the BBAN, with the first four characters moved to the end
/// giving 1 mod 97. The per-country length is checked by the detector, not here.
///
/// ```
/// assert!(scrim_core::checksum::iban_mod97(b"GB82WEST12345698765432"));
/// assert!(!scrim_core::checksum::iban_mod97(b"GB83WEST12345698765432"));
/// ```
pub fn iban_mod97(iban: &[u8]) -> bool {
    let (Some(head), Some(tail)) = (iban.get(..4), iban.get(4..)) else {
        return false;
    };
    if tail.is_empty()
        || !head.iter().take(2).all(u8::is_ascii_alphabetic)
        || !head.iter().skip(2).all(u8::is_ascii_digit)
    {
        return false;
    }
    mod97_remainder(tail.iter().chain(head.iter())) == Some(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_id_vectors() {
        assert!(cn_resident_id_check(b"11010519491231002X"));
        assert!(cn_resident_id_check(b"11010519491231002x"));
        assert!(!cn_resident_id_check(b"11010519491231002"));
        assert!(!cn_resident_id_check(b"1101051949123100AX"));
    }

    #[test]
    fn mod97_matches_digit_by_digit_reduction() {
        let samples: [&[u8]; 4] = [
            b"3214282912345698765432161182",
            b"WEST12345698765432GB82",
            b"ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ99",
            b"9999999999999999999999999999999999999999",
        ];
        for s in samples {
            let mut want = 0u32;
            for &b in s {
                let v = mod97_value(b).unwrap();
                want = if v >= 10 {
                    (want * 100 + v) % 97
                } else {
                    (want * 10 + v) % 97
                };
            }
            assert_eq!(mod97_remainder(s.iter()), Some(want));
        }
        assert_eq!(mod97_remainder(b"12-3".iter()), None);
    }

    #[test]
    fn iban_vectors() {
        assert!(iban_mod97(b"DE89370400440532013000"));
        assert!(iban_mod97(b"de89370400440532013000"));
        assert!(!iban_mod97(b"DE88370400440532013000"));
        assert!(!iban_mod97(b"DE8"));
        assert!(!iban_mod97(b"D189370400440532013000"));
    }
}
