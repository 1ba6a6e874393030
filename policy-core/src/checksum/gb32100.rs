//! GB 32100-2015 Unified Social Credit Code (统一社会信用代码) and the GB 11714 organization code
//! embedded in it.

/// The 31 characters a USCC may use, in value order (no I, O, S, V, Z).
const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights 3^(i-1) mod 31 for the first 17 characters.
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// For every byte, its value in [`USCC_ALPHABET`] (either case) plus one, or 0 when it is
/// not in it: one table load instead of a search of the alphabet.
#[expect(
    clippy::indexing_slicing,
    reason = "const evaluation: indices are checked by the loops, and an error fails the build"
)]
static USCC_VALUES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut p = 0usize;
    while p < USCC_ALPHABET.len() {
        let c = USCC_ALPHABET[p];
        t[c as usize] = p as u8 + 1;
        t[c.to_ascii_lowercase() as usize] = p as u8 + 1;
        p += 1;
    }
    t
};

fn uscc_value(b: u8) -> Option<u32> {
    match USCC_VALUES.get(usize::from(b)).copied().unwrap_or(0) {
        0 => None,
        v => Some(u32::from(v) - 1),
    }
}

/// Returns `true` when `code` is 18 characters of the USCC alphabet whose last character is
/// the GB 32100 mod 31 check character of the first 17.
///
/// ```
/// assert!(scrim_core::checksum::uscc(b"91110000600037341L"));
/// assert!(!scrim_core::checksum::uscc(b"91110000600037341M"));
/// ```
pub fn uscc(code: &[u8]) -> bool {
    if code.len() != 18 {
        return false;
    }
    let mut sum = 0u32;
    for (&b, w) in code.iter().zip(USCC_WEIGHTS.iter()) {
        let Some(v) = uscc_value(b) else {
            return false;
        };
        sum += v * w;
    }
    let check = (31 - sum % 31) % 31;
    code.get(17).and_then(|&b| uscc_value(b)) == Some(check)
}

/// Returns `true` when `code` is a 9-character GB 11714 organization code (8 digits or
/// uppercase letters and a check character `0`–`9` or `X`) with a correct check character.
///
/// ```
/// assert!(scrim_core::checksum::gb11714(b"D2143569X"));
/// ```
pub fn gb11714(code: &[u8]) -> bool {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    if code.len() != 9 {
        return false;
    }
    let mut sum = 0u32;
    for (&b, w) in code.iter().zip(WEIGHTS.iter()) {
        let v = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return false,
        };
        sum += v * w;
    }
    let c = 11 - sum % 11;
    let expected = match c {
        10 => b'X',
        11 => b'0',
        d => b'0' + (d as u8),
    };
    code.get(8) == Some(&expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_table_matches_the_alphabet_search() {
        for b in 0..=255u8 {
            let up = b.to_ascii_uppercase();
            let want = USCC_ALPHABET
                .iter()
                .position(|&c| c == up)
                .map(|p| p as u32);
            assert_eq!(uscc_value(b), want, "byte {b}");
        }
    }

    #[test]
    fn lowercase_is_accepted_and_bad_chars_rejected() {
        assert!(uscc(b"91110000600037341l"));
        assert!(!uscc(b"91110000600037341"));
        assert!(!uscc(b"9111000060003734IL"));
    }
}
