//! GB 32100-2015 Unified Social Credit Code (统一社会信用代码) and the GB 11714 organization code
//! embedded in it.

/// The 31 characters a USCC may use, in value order (no I, O, S, V, Z).
const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights 3^(i-1) mod 31 for the first 17 characters.
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn uscc_value(b: u8) -> Option<u32> {
    let up = b.to_ascii_uppercase();
    USCC_ALPHABET
        .iter()
        .position(|&c| c == up)
        .and_then(|p| u32::try_from(p).ok())
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
    fn lowercase_is_accepted_and_bad_chars_rejected() {
        assert!(uscc(b"91110000600037341l"));
        assert!(!uscc(b"91110000600037341"));
        assert!(!uscc(b"9111000060003734IL"));
    }
}
