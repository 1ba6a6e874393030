//! IPv6 and MAC addresses, found from each `:` (and `-` for MACs). IPv4 addresses are found
//! by the digit-run scanner.

use super::catalogue::Builtin;
use super::text::{find2, is_word, word_at};
use super::vocabulary::glued_label_before;
use super::{Evidence, Scan};

fn hex_or_colon(b: u8) -> bool {
    b.is_ascii_hexdigit() || b == b':' || b == b'.'
}

/// Whether what stands right before a MAC starting at `a` makes it part of a longer token:
/// a word byte (unless a glued label such as `MAC` in `设备MACF4-F5-...`), or a `:`/`-`
/// continuing hex groups (`aa:bb:cc:dd:ee:ff:00`). After a `:` or `-` that ends a word with
/// a non-hex letter (`MAC:`, `mac-`) the address starts fresh.
fn glued_before_mac(s: &[u8], a: usize) -> bool {
    let Some(&b) = a.checked_sub(1).and_then(|i| s.get(i)) else {
        return false;
    };
    if is_word(b) {
        return !glued_label_before(s, a);
    }
    if b != b':' && b != b'-' {
        return false;
    }
    let mut k = a - 1;
    let mut non_hex_letter = false;
    while k > 0 && s.get(k - 1).is_some_and(u8::is_ascii_alphanumeric) {
        k -= 1;
        non_hex_letter |= s
            .get(k)
            .is_some_and(|c| c.is_ascii_alphabetic() && !c.is_ascii_hexdigit());
    }
    !non_hex_letter
}

/// Six pairs of hex digits separated by the same `:` or `-`, starting at `a`.
fn mac_at(s: &[u8], a: usize) -> Option<usize> {
    let sep = *s.get(a + 2)?;
    if sep != b':' && sep != b'-' {
        return None;
    }
    // Every test here must pass, so their order does not change the answer: the last
    // separator first, which rules out dates and times (`2026-10-23T12:41`) in one compare.
    if s.get(a + 14) != Some(&sep) {
        return None;
    }
    for k in 0..6 {
        let p = a + k * 3;
        if !s.get(p).is_some_and(u8::is_ascii_hexdigit)
            || !s.get(p + 1).is_some_and(u8::is_ascii_hexdigit)
        {
            return None;
        }
        if k < 5 && s.get(p + 2) != Some(&sep) {
            return None;
        }
    }
    let end = a + 17;
    let glued = word_at(s, end)
        || (s.get(end) == Some(&sep) && s.get(end + 1).is_some_and(u8::is_ascii_hexdigit));
    // All-zero and broadcast-like constants are not device identifiers.
    let all_same = s.get(a..end).is_some_and(|m| {
        m.iter()
            .filter(|b| b.is_ascii_hexdigit())
            .all(|&b| b == b'0')
    });
    (!glued && !all_same).then_some(end)
}

/// Strict IPv6 parse (RFC 4291 text forms, optional trailing dotted IPv4).
pub(crate) fn ipv6_ok(c: &[u8]) -> bool {
    if c.len() < 3 || c.len() > 45 {
        return false;
    }
    let double = c.windows(2).filter(|w| w == b"::").count();
    if double > 1 || c.windows(3).any(|w| w == b":::") {
        return false;
    }
    let mut groups = 0usize;
    let mut nonempty = 0usize;
    let parts: usize = c.split(|&b| b == b':').count();
    for (i, part) in c.split(|&b| b == b':').enumerate() {
        if part.is_empty() {
            // Empty parts only as part of "::" (or at the ends next to it).
            continue;
        }
        nonempty += 1;
        if part.contains(&b'.') {
            if i + 1 != parts || !ipv4_ok(part) {
                return false;
            }
            groups += 2;
        } else {
            if part.len() > 4 || !part.iter().all(u8::is_ascii_hexdigit) {
                return false;
            }
            groups += 1;
        }
    }
    // A single leading or trailing ':' that is not part of "::" is invalid.
    if (c.first() == Some(&b':') && !c.starts_with(b"::"))
        || (c.last() == Some(&b':') && !c.ends_with(b"::"))
    {
        return false;
    }
    if double == 1 {
        groups < 8 && (nonempty >= 2 || c.len() >= 6)
    } else {
        groups == 8
    }
}

fn ipv4_ok(p: &[u8]) -> bool {
    let mut n = 0usize;
    for octet in p.split(|&b| b == b'.') {
        n += 1;
        let ok = !octet.is_empty()
            && octet.len() <= 3
            && octet.iter().all(u8::is_ascii_digit)
            && (octet.len() == 1 || octet.first() != Some(&b'0'))
            && octet
                .iter()
                .fold(0u32, |a, &b| a * 10 + u32::from(b - b'0'))
                <= 255;
        if !ok {
            return false;
        }
    }
    n == 4
}

/// Scans for MAC and IPv6 addresses.
pub(crate) fn scan(sc: &mut Scan<'_, '_>) {
    let (mac, v6) = (sc.on(Builtin::Mac), sc.on(Builtin::Ipv6));
    if !mac && !v6 {
        return;
    }
    let s = sc.s;
    let mut from = 0usize;
    while let Some(off) = s.get(from..).and_then(|t| find2(t, b':', b'-')) {
        let p = from + off;
        from = p + 1;
        // MAC: the separator is the third byte of the address, or it ends a label
        // (`MAC:00:1a:...`) and the address starts right after it.
        if mac {
            let found = [p.checked_sub(2), Some(p + 1)]
                .into_iter()
                .flatten()
                .find_map(|a| {
                    // Both tests are pure: the cheap shape test goes first.
                    mac_at(s, a)
                        .filter(|_| !glued_before_mac(s, a))
                        .filter(|&end| sc.emit(Builtin::Mac, a, end, Evidence::Checksum))
                });
            if let Some(end) = found {
                from = end;
                continue;
            }
        }
        if !v6 || s.get(p) != Some(&b':') {
            continue;
        }
        let mut l = p;
        while l > 0 && s.get(l - 1).is_some_and(|&b| hex_or_colon(b)) {
            l -= 1;
        }
        let mut r = p;
        while s.get(r).is_some_and(|&b| hex_or_colon(b)) {
            r += 1;
        }
        // Trailing dots belong to the sentence, not the address.
        while r > p && s.get(r - 1) == Some(&b'.') {
            r -= 1;
        }
        from = r.max(p + 1);
        // `IP:2001:db8::1`: a single `:` after a word is the label's colon, not the address.
        if s.get(l) == Some(&b':') && s.get(l + 1) != Some(&b':') {
            l += 1;
        }
        // Both tests are pure; the cheap one on the right goes first.
        if word_at(s, r)
            || l > 0 && s.get(l - 1).is_some_and(|&b| is_word(b)) && !glued_label_before(s, l)
        {
            continue;
        }
        if s.get(l..r).is_some_and(ipv6_ok) {
            sc.emit(Builtin::Ipv6, l, r, Evidence::Checksum);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_forms() {
        assert!(ipv6_ok(b"2001:db8::1"));
        assert!(ipv6_ok(b"2001:0db8:85a3:0000:0000:8a2e:0370:7334"));
        assert!(ipv6_ok(b"::ffff:192.0.2.1"));
        assert!(ipv6_ok(b"fe80::"));
        assert!(!ipv6_ok(b"12:30:45"));
        assert!(!ipv6_ok(b"2001:db8::1::2"));
        assert!(!ipv6_ok(b"2001:db8:85a3:0:0:8a2e:370"));
        assert!(!ipv6_ok(b"::"));
        assert!(!ipv6_ok(b"1:2:3:4:5:6:7:12345"));
    }

    #[test]
    fn mac_boundaries() {
        assert!(!glued_before_mac(b"MAC:00:1a", 4));
        assert!(!glued_before_mac("设备MACF4-F5".as_bytes(), 9));
        assert!(glued_before_mac(b"aa:bb:cc", 3));
        assert!(glued_before_mac(b"XMACF4-F5", 4));
    }
}
