//! The `generalize` method: keep a coarser value that is still useful for analytics.

use alloc::string::String;
use core::net::{Ipv4Addr, Ipv6Addr};

/// Generalize `text`: IPv4 → `/24` network, IPv6 → `/48`, a date (`YYYY-MM-DD`, `YYYY/MM/DD`,
/// `YYYY.MM.DD`, `YYYY年M月D日`) → the year, GPS coordinates (`lat, lng` or one decimal
/// degree) → 2 decimals (~1 km), a postcode → its prefix (3 digits, or the UK outward code).
/// Returns `None` when the value has none of these shapes (the caller then replaces it).
pub fn generalize(text: &str, detector: Option<&str>) -> Option<String> {
    let mut out = String::new();
    generalize_into(text, detector, &mut out).then_some(out)
}

/// [`generalize`] appended to `out`; `false` (and `out` unchanged) when it returns `None`.
pub(crate) fn generalize_into(text: &str, detector: Option<&str>, out: &mut String) -> bool {
    let t = trim(text);
    // The address parsers only run on text that can be an address: dotted IPv4 is digits and
    // dots only, and every IPv6 text has a `:` (the parsers would reject anything else).
    let v4_shape = t.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if let Some(ip) = v4_shape.then(|| t.parse::<Ipv4Addr>().ok()).flatten() {
        // Written digit by digit: the same text as `format!("{a}.{b}.{c}.0/24")`, without
        // the formatting machinery (IPs are the most common generalized value).
        for n in ip.octets().iter().take(3) {
            push_decimal(out, *n);
            out.push('.');
        }
        out.push_str("0/24");
        return true;
    }
    // Without `::`, an IPv6 text has eight groups (or six and an IPv4 tail), so at least six
    // colons: MAC addresses (five) are not parsed.
    let colons = t.bytes().filter(|&b| b == b':').count();
    let v6_shape = colons >= 6 || colons >= 2 && t.as_bytes().windows(2).any(|w| w == b"::");
    if let Some(ip) = v6_shape.then(|| t.parse::<Ipv6Addr>().ok()).flatten() {
        push_v6_network(out, ip);
        return true;
    }
    if let Some(year) = date_year(t) {
        out.push_str(year);
        return true;
    }
    if gps(t, out) {
        return true;
    }
    // A byte search is the same as `str::contains` for these ASCII needles, without the
    // general substring searcher's setup (this runs for every value of an ungeneralizable
    // shape, such as IMEIs and MAC addresses).
    let names = |d: &str, needle: &[u8]| d.as_bytes().windows(needle.len()).any(|w| w == needle);
    if detector.is_none_or(|d| names(d, b"post") || names(d, b"address")) {
        return postcode_prefix(t, out);
    }
    false
}

/// `t.trim()`: a text that starts and ends with a visible ASCII character (most values) is
/// returned as it is without the Unicode whitespace test at either end.
fn trim(t: &str) -> &str {
    let b = t.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => t,
        _ => t.trim(),
    }
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

/// Append the `/48` network of `ip`: the same text as
/// `format!("{}/48", Ipv6Addr::new(a, b, c, 0, 0, 0, 0, 0))`. That address ends in at least
/// five zero groups, always the longest zero run, which `Display` writes as `::` after the
/// groups up to the last non-zero one among the first three (in lowercase hex, without
/// leading zeros); all-zero is `::`. No such address is IPv4-mapped (group 5 is zero).
fn push_v6_network(out: &mut String, ip: Ipv6Addr) {
    let [a, b, c, ..] = ip.segments();
    let head = [a, b, c];
    let n = head
        .iter()
        .rposition(|&g| g != 0)
        .map_or(0, |last| last + 1);
    for (i, g) in head.iter().take(n).enumerate() {
        if i > 0 {
            out.push(':');
        }
        push_hex(out, *g);
    }
    out.push_str("::/48");
}

/// Append `n` in lowercase hex without leading zeros.
fn push_hex(out: &mut String, n: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut started = false;
    for shift in [12u16, 8, 4, 0] {
        let nibble = (n >> shift) & 0xf;
        if nibble != 0 || started || shift == 0 {
            started = true;
            if let Some(h) = HEX.get(usize::from(nibble)) {
                out.push(char::from(*h));
            }
        }
    }
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

/// GPS coordinates: one or two comma-separated decimal degrees, each cut to 2 decimals and
/// appended to `out`; `false` (and `out` unchanged) for anything else.
fn gps(t: &str, out: &mut String) -> bool {
    // Every degree has a decimal point.
    if !t.as_bytes().contains(&b'.') {
        return false;
    }
    let start = out.len();
    let mut parts = t.split(',');
    // `split` yields at least one part; three or more are not coordinates.
    let (Some(first), second, None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let ok = degree(trim(first), out)
        && second.is_none_or(|p| {
            out.push_str(", ");
            degree(trim(p), out)
        });
    if !ok {
        out.truncate(start);
    }
    ok
}

/// One decimal degree (`-39.904211`) cut to 2 decimals, appended to `out`; `false` when `p`
/// is not one (at most 3 integer digits, at least 3 decimals).
fn degree(p: &str, out: &mut String) -> bool {
    let Some((int, frac)) = p.split_once('.') else {
        return false;
    };
    let int_digits = int.strip_prefix('-').unwrap_or(int);
    if int_digits.is_empty()
        || int_digits.len() > 3
        || !int_digits.bytes().all(|b| b.is_ascii_digit())
        || frac.len() < 3
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let Some(two) = frac.get(..2) else {
        return false;
    };
    out.push_str(int);
    out.push('.');
    out.push_str(two);
    true
}

fn postcode_prefix(t: &str, out: &mut String) -> bool {
    if (4..=6).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
        return match t.get(..3) {
            Some(prefix) => {
                out.push_str(prefix);
                true
            }
            None => false,
        };
    }
    // UK: outward code before the space, e.g. `SW1A 1AA` → `SW1A`.
    let Some((outward, inward)) = t.split_once(' ') else {
        return false;
    };
    let uk = (2..=4).contains(&outward.len())
        && inward.len() == 3
        && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ');
    if uk {
        out.push_str(outward);
    }
    uk
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
    fn ipv6_networks_match_the_formatted_text() {
        let groups = [0u16, 1, 0xa, 0xdb8, 0x85a3, 0xffff, 0x1000, 0x20];
        for &a in &groups {
            for &b in &groups {
                for &c in &groups {
                    let ip = Ipv6Addr::new(a, b, c, 0x1234, 0, 0xffff, 7, 1);
                    let want = alloc::format!("{}/48", Ipv6Addr::new(a, b, c, 0, 0, 0, 0, 0));
                    assert_eq!(
                        generalize(&alloc::format!("{ip}"), None),
                        Some(want),
                        "{ip}"
                    );
                }
            }
        }
    }

    #[test]
    fn trimming_matches_str_trim() {
        for t in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{3000}1.5\u{a0}",
            "\x0b1\x0b",
            "\x01x",
            "x y",
        ] {
            assert_eq!(trim(t), t.trim(), "{t:?}");
        }
    }

    #[test]
    fn only_texts_with_enough_colons_are_parsed_as_ipv6() {
        assert_eq!(generalize("::1", None).as_deref(), Some("::/48"));
        assert_eq!(generalize("1::", None).as_deref(), Some("1::/48"));
        assert_eq!(
            generalize("1:2:3:4:5:6:1.2.3.4", None).as_deref(),
            Some("1:2:3::/48")
        );
        assert_eq!(
            generalize("2001:db8:1:2:3:4:5:6", None).as_deref(),
            Some("2001:db8:1::/48")
        );
        assert_eq!(generalize("1:2:3:4:5", None), None);
    }

    #[test]
    fn gps_needs_one_or_two_decimal_degrees() {
        assert_eq!(generalize("-33.8688", None).as_deref(), Some("-33.86"));
        assert_eq!(generalize("1.234, 2.345, 3.456", None), None);
        assert_eq!(generalize("1.234, 2.3", None), None);
        assert_eq!(generalize("1.234,", None), None);
    }

    #[test]
    fn other_values_are_not_generalized() {
        assert_eq!(generalize("356938035643809", Some("imei")), None);
        assert_eq!(generalize("00:1A:2B:3C:4D:5E", Some("mac")), None);
        assert_eq!(generalize("1234", Some("postcode")).as_deref(), Some("123"));
        assert_eq!(generalize("a@b.com", Some("email")), None);
        assert_eq!(generalize("13812345678", Some("cn_mobile")), None);
        assert_eq!(generalize("100080", Some("cn_mobile")), None);
    }
}
