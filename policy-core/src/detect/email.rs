//! Email addresses, found from each `@`.

use super::catalogue::Builtin;
use super::{Evidence, Scan};

fn local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// A domain of at least two labels, each 1-63 letters/digits/hyphens not starting or ending
/// with `-`, and a top-level label of 2+ letters.
fn domain_ok(d: &[u8]) -> bool {
    if d.len() > 253 {
        return false;
    }
    let mut labels = 0usize;
    let mut tld_ok = false;
    for label in d.split(|&b| b == b'.') {
        labels += 1;
        if label.is_empty()
            || label.len() > 63
            || label.first() == Some(&b'-')
            || label.last() == Some(&b'-')
        {
            return false;
        }
        tld_ok = label.len() >= 2 && label.iter().all(u8::is_ascii_alphabetic);
    }
    labels >= 2 && tld_ok
}

/// Whether the `@` after `a` ends the userinfo of a URL (`scheme://user:pass@host`), which
/// is `url_credentials`, not an email.
fn in_url_authority(s: &[u8], a: usize) -> bool {
    let lo = a.saturating_sub(256);
    let Some(before) = s.get(lo..a) else {
        return false;
    };
    let token_start = before
        .iter()
        .rposition(|b| b.is_ascii_whitespace())
        .map_or(0, |p| p + 1);
    let token = before.get(token_start..).unwrap_or_default();
    match token.windows(3).rposition(|w| w == b"://") {
        Some(p) => !token.get(p + 3..).unwrap_or_default().contains(&b'/'),
        None => false,
    }
}

/// Scans for email addresses around each `@`.
pub(crate) fn scan(sc: &mut Scan<'_, '_>) {
    if !sc.on(Builtin::Email) {
        return;
    }
    let s = sc.s;
    let mut from = 0usize;
    while let Some(off) = s
        .get(from..)
        .and_then(|t| t.iter().position(|&b| b == b'@'))
    {
        let at = from + off;
        from = at + 1;
        let mut a = at;
        while a > 0 && s.get(a - 1).is_some_and(|&b| local_byte(b)) {
            a -= 1;
        }
        while a < at && s.get(a) == Some(&b'.') {
            a += 1;
        }
        let mut e = at + 1;
        while s.get(e).is_some_and(|&b| domain_byte(b)) {
            e += 1;
        }
        while e > at + 1 && matches!(s.get(e - 1), Some(b'.' | b'-')) {
            e -= 1;
        }
        let (Some(local), Some(domain)) = (s.get(a..at), s.get(at + 1..e)) else {
            continue;
        };
        if in_url_authority(s, a) {
            continue;
        }
        if local.is_empty()
            || local.len() > 64
            || local.last() == Some(&b'.')
            || local.windows(2).any(|w| w == b"..")
            || !domain_ok(domain)
        {
            continue;
        }
        if sc.emit(Builtin::Email, a, e, Evidence::Checksum) {
            from = e;
        }
    }
}
