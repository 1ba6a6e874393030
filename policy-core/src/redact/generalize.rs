//! The `generalize` method: keep a coarser value that is still useful for analytics.

use alloc::format;
use alloc::string::String;
use core::net::{Ipv4Addr, Ipv6Addr};

/// Generalize `text`: IPv4 → `/24` network, IPv6 → `/48`, a date (`YYYY-MM-DD`, `YYYY/MM/DD`,
/// `YYYY.MM.DD`, `YYYY年M月D日`) → the year, GPS coordinates (`lat, lng` or one decimal
/// degree) → 2 decimals (~1 km), a postcode → its prefix (3 digits, or the UK outward code).
/// Returns `None` when the value has none of these shapes (the caller then replaces it).
pub fn generalize(text: &str, detector: Option<&str>) -> Option<String> {
    let t = text.trim();
    // The address parsers only run on text that can be an address: dotted IPv4 is digits and
    // dots only, and every IPv6 text has a `:` (the parsers would reject anything else).
    let v4_shape = t.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if let Some(ip) = v4_shape.then(|| t.parse::<Ipv4Addr>().ok()).flatten() {
        // Written digit by digit: the same text as `format!("{a}.{b}.{c}.0/24")`, without
        // the formatting machinery (IPs are the most common generalized value).
        let mut out = String::with_capacity(18);
        for n in ip.octets().iter().take(3) {
            push_decimal(&mut out, *n);
            out.push('.');
        }
        out.push_str("0/24");
        return Some(out);
    }
    let v6_shape = t.as_bytes().contains(&b':');
    if let Some(ip) = v6_shape.then(|| t.parse::<Ipv6Addr>().ok()).flatten() {
        let [a, b, c, ..] = ip.segments();
        let net = Ipv6Addr::new(a, b, c, 0, 0, 0, 0, 0);
        return Some(format!("{net}/48"));
    }
    if let Some(year) = date_year(t) {
        return Some(String::from(year));
    }
    if let Some(g) = gps(t) {
        return Some(g);
    }
    if detector.is_none_or(|d| d.contains("post") || d.contains("address")) {
        return postcode_prefix(t);
    }
    None
}

/// Append `n` in decimal without leading zeros.
fn push_decimal(out: &mut String, n: u8) {
    if n >= 100 {
        out.push(char::from(b'0' + n / 100));
    }
    if n >= 10 {
        out.push(char::from(b'0' + n / 10 % 10));
    }
    out.push(char::from(b'0' + n % 10));
}

fn date_year(t: &str) -> Option<&str> {
    let year = t.get(..4)?;
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = t.get(4..)?;
    let sep = rest.chars().next()?;
    if !matches!(sep, '-' | '/' | '.' | '年') {
        return None;
    }
    let body = rest.get(sep.len_utf8()..)?;
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let ok = (2..=4).contains(&digits)
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | '月' | '日'))
        || body.get(2..3).is_some_and(|s| s == "T") && digits >= 4;
    ok.then_some(year)
}

fn gps(t: &str) -> Option<String> {
    let parts: alloc::vec::Vec<&str> = t.split(',').map(str::trim).collect();
    if parts.is_empty() || parts.len() > 2 {
        return None;
    }
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        let (int, frac) = p.split_once('.')?;
        let int_digits = int.strip_prefix('-').unwrap_or(int);
        if int_digits.is_empty()
            || int_digits.len() > 3
            || !int_digits.bytes().all(|b| b.is_ascii_digit())
            || frac.len() < 3
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(int);
        out.push('.');
        out.push_str(frac.get(..2)?);
    }
    Some(out)
}

fn postcode_prefix(t: &str) -> Option<String> {
    if (4..=6).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.get(..3).map(String::from);
    }
    // UK: outward code before the space, e.g. `SW1A 1AA` → `SW1A`.
    let (out, inward) = t.split_once(' ')?;
    let uk = (2..=4).contains(&out.len())
        && inward.len() == 3
        && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ');
    uk.then(|| String::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalizes_known_shapes() {
        assert_eq!(
            generalize("203.0.113.57", None).as_deref(),
            Some("203.0.113.0/24")
        );
        assert_eq!(
            generalize("2001:db8:85a3::8a2e:370:7334", None).as_deref(),
            Some("2001:db8:85a3::/48")
        );
        assert_eq!(generalize("1990-03-07", None).as_deref(), Some("1990"));
        assert_eq!(generalize("1990年3月7日", None).as_deref(), Some("1990"));
        assert_eq!(
            generalize("39.904211, 116.407395", None).as_deref(),
            Some("39.90, 116.40")
        );
        assert_eq!(
            generalize("100080", Some("postal_address")).as_deref(),
            Some("100")
        );
        assert_eq!(generalize("SW1A 1AA", None).as_deref(), Some("SW1A"));
    }

    #[test]
    fn ipv4_networks_match_the_formatted_text() {
        for (a, b, c) in [(0, 0, 0), (9, 10, 99), (100, 255, 7), (1, 20, 250)] {
            let ip = alloc::format!("{a}.{b}.{c}.33");
            let want = alloc::format!("{a}.{b}.{c}.0/24");
            assert_eq!(generalize(&ip, None), Some(want));
        }
    }

    #[test]
    fn other_values_are_not_generalized() {
        assert_eq!(generalize("a@b.com", Some("email")), None);
        assert_eq!(generalize("13812345678", Some("cn_mobile")), None);
        assert_eq!(generalize("100080", Some("cn_mobile")), None);
    }
}
