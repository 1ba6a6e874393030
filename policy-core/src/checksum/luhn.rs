//! The Luhn (mod 10) check used by payment cards and IMEI numbers.

/// Returns `true` when `digits` (ASCII `0`–`9` only, at least 2 of them) passes the Luhn check:
/// doubling every second digit from the right, the digit sum is a multiple of 10.
///
/// ```
/// assert!(scrim_core::checksum::luhn(b"4111111111111111"));
/// assert!(!scrim_core::checksum::luhn(b"4111111111111112"));
/// ```
pub fn luhn(digits: &[u8]) -> bool {
    if digits.len() < 2 {
        return false;
    }
    let mut sum = 0u32;
    for (i, &b) in digits.iter().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_cards_and_imei() {
        assert!(luhn(b"4111111111111111"));
        assert!(luhn(b"6212345678901265"));
        assert!(luhn(b"490154203237518"));
        assert!(!luhn(b"490154203237519"));
        assert!(!luhn(b"41111111111x1111"));
        assert!(!luhn(b"0"));
    }
}
