//! Credentials found from literal prefixes: `eyJ` (JWT), `AKIA`/`ASIA` (AWS keys),
//! `Bearer ` (tokens), `-----BEGIN` (PEM private keys), `://` (URL userinfo).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::catalogue::Builtin;
use super::error::{DetectError, ErrorKind};
use super::text::is_word;
use super::{Evidence, Scan};

/// Literal prefixes of the secrets this scanner finds (the presence gate in `text::has` must
/// let every one through).
pub(super) const PREFIXES: [&str; 8] = [
    "eyJ",
    "AKIA",
    "ASIA",
    "ABIA",
    "ACCA",
    "Bearer ",
    "-----BEGIN ",
    "://",
];

/// The compiled literal prefixes.
#[derive(Debug)]
pub(crate) struct SecretPrefixes {
    ac: AhoCorasick,
}

impl SecretPrefixes {
    pub(crate) fn build() -> Result<Self, DetectError> {
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(PREFIXES)
            .map_err(|e| {
                DetectError::new(
                    ErrorKind::Limit,
                    alloc::format!("secret prefixes do not compile: {e}"),
                )
            })?;
        Ok(SecretPrefixes { ac })
    }
}

fn b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn run_len(s: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> usize {
    s.get(from..)
        .map_or(0, |t| t.iter().take_while(|&&b| pred(b)).count())
}

/// Decodes up to 48 base64url characters of a JWT header and checks it is a JSON object
/// naming an algorithm.
fn jwt_header_ok(seg: &[u8]) -> bool {
    let mut out = [0u8; 36];
    let mut n = 0usize;
    let mut acc = 0u32;
    let mut bits = 0u32;
    for &c in seg.iter().take(48) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return false,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            if let Some(slot) = out.get_mut(n) {
                *slot = ((acc >> bits) & 0xFF) as u8;
                n += 1;
            }
        }
    }
    let head = out.get(..n).unwrap_or_default();
    head.starts_with(b"{\"")
        && (head.windows(5).any(|w| w == b"\"alg\"") || head.windows(5).any(|w| w == b"\"typ\""))
}

/// On failure returns where to resume: past the whole base64url run, so a run of `eyJeyJ...`
/// is not rescanned from every position.
fn jwt(sc: &mut Scan<'_, '_>, at: usize) -> Result<usize, usize> {
    let skip = at + run_len(sc.s, at, b64url).max(1);
    jwt_at(sc, at).ok_or(skip)
}

fn jwt_at(sc: &mut Scan<'_, '_>, at: usize) -> Option<usize> {
    let s = sc.s;
    if at > 0 && s.get(at - 1).is_some_and(|&b| b64url(b)) {
        return None;
    }
    let h = run_len(s, at, b64url);
    if h < 10 || s.get(at + h) != Some(&b'.') {
        return None;
    }
    let p_start = at + h + 1;
    let p = run_len(s, p_start, b64url);
    if p < 10 || s.get(p_start + p) != Some(&b'.') {
        return None;
    }
    let sig_start = p_start + p + 1;
    let sig = run_len(s, sig_start, b64url);
    let end = sig_start + sig;
    // A fourth segment (`.` then more base64url) or padding is no JWS compact form; a `.`
    // ending the sentence is fine.
    let more = s.get(end) == Some(&b'=')
        || s.get(end) == Some(&b'.') && s.get(end + 1).is_some_and(|&b| b64url(b));
    if more || !jwt_header_ok(s.get(at..at + h)?) {
        return None;
    }
    sc.emit(Builtin::Jwt, at, end, Evidence::Checksum)
        .then_some(end)
}

fn aws_key(sc: &mut Scan<'_, '_>, at: usize) -> Option<usize> {
    let s = sc.s;
    if at > 0 && s.get(at - 1).is_some_and(|&b| is_word(b)) {
        return None;
    }
    let body = run_len(s, at + 4, |b| b.is_ascii_uppercase() || b.is_ascii_digit());
    let end = at + 4 + body;
    if body != 16 || s.get(end).is_some_and(|&b| is_word(b)) {
        return None;
    }
    sc.emit(Builtin::AwsAccessKey, at, end, Evidence::Checksum)
        .then_some(end)
}

fn bearer(sc: &mut Scan<'_, '_>, at: usize) -> Option<usize> {
    let s = sc.s;
    if at > 0 && s.get(at - 1).is_some_and(|&b| is_word(b)) {
        return None;
    }
    let t = at + "Bearer ".len();
    let len = run_len(s, t, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'+' | b'/' | b'-' | b'=')
    });
    if len < 8 {
        return None;
    }
    sc.emit(Builtin::BearerToken, t, t + len, Evidence::Checksum)
        .then_some(t + len)
}

fn find(s: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    s.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn pem(sc: &mut Scan<'_, '_>, at: usize) -> Option<usize> {
    let s = sc.s;
    let label_start = at + "-----BEGIN ".len();
    let label_len = run_len(s, label_start, |b| b.is_ascii_uppercase() || b == b' ');
    let label = s.get(label_start..label_start + label_len)?;
    if !label.ends_with(b"PRIVATE KEY")
        || s.get(label_start + label_len..label_start + label_len + 5) != Some(b"-----")
    {
        return None;
    }
    let body = label_start + label_len + 5;
    let end = match find(s, body, b"-----END ") {
        Some(e) => {
            let close = find(s, e + 9, b"-----").map_or(s.len(), |c| c + 5);
            close.min(s.len())
        }
        None => {
            body + run_len(s, body, |b| {
                b.is_ascii_alphanumeric()
                    || matches!(
                        b,
                        b'+' | b'/' | b'=' | b'\n' | b'\r' | b' ' | b':' | b'-' | b','
                    )
            })
        }
    };
    sc.emit(Builtin::PemPrivateKey, at, end, Evidence::Checksum)
        .then_some(end)
}

fn url_userinfo(sc: &mut Scan<'_, '_>, at: usize) -> Option<usize> {
    let s = sc.s;
    // A scheme of letters right before `://`.
    let scheme = (0..at)
        .rev()
        .take_while(|&k| {
            s.get(k)
                .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        })
        .count();
    if scheme == 0 || !s.get(at - scheme).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let u = at + 3;
    let len = run_len(s, u, |b| {
        b > b' ' && !matches!(b, b'/' | b'?' | b'#' | b'@' | b'"' | b'<' | b'>' | b'\\')
    });
    if s.get(u + len) != Some(&b'@') {
        return None;
    }
    let info = s.get(u..u + len)?;
    let colon = info.iter().position(|&b| b == b':')?;
    if colon == 0 || colon + 1 >= info.len() {
        return None;
    }
    let host = run_len(s, u + len + 1, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':')
    });
    if host == 0 {
        return None;
    }
    sc.emit(Builtin::UrlCredentials, u, u + len, Evidence::Checksum)
        .then_some(u + len)
}

/// Scans for credentials.
pub(crate) fn scan(sc: &mut Scan<'_, '_>) {
    let any = [
        Builtin::Jwt,
        Builtin::AwsAccessKey,
        Builtin::BearerToken,
        Builtin::PemPrivateKey,
        Builtin::UrlCredentials,
    ]
    .iter()
    .any(|&d| sc.on(d));
    if !any {
        return;
    }
    let ac = &sc.det.secrets.ac;
    let mut from = 0usize;
    while from < sc.s.len() {
        let rest = sc.s.get(from..).unwrap_or_default();
        let Ok(Some(m)) = ac.try_find(rest) else {
            return;
        };
        let at = from + m.start();
        let end = match m.pattern().as_usize() {
            0 => match jwt(sc, at) {
                Ok(end) => Some(end),
                Err(skip) => {
                    from = skip;
                    continue;
                }
            },
            1..=4 => aws_key(sc, at),
            5 => bearer(sc, at),
            6 => pem(sc, at),
            _ => url_userinfo(sc, at),
        };
        from = end.unwrap_or(at + 1).max(at + 1);
    }
}
