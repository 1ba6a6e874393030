//! Decoding and re-encoding of JSON string escapes and form percent-encoding.
//!
//! Decoders fill a map from each decoded byte to its raw byte, so that a finding in decoded
//! text can be reported and rewritten at its place in the input, and unchanged parts of a
//! string are copied raw (their original escapes kept).

use alloc::string::String;
use alloc::vec::Vec;

/// Why a JSON string could not be decoded; the offset is into the raw string content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeError {
    BadEscape(usize),
    Control(usize),
    Utf8,
}

/// Decode JSON string content (between the quotes) into `text`, with `map[d]` the raw offset
/// of decoded byte `d` (plus one final entry for the end). A lone surrogate decodes as U+FFFD.
pub(crate) fn decode_json(
    raw: &[u8],
    text: &mut String,
    map: &mut Vec<u32>,
) -> Result<(), DecodeError> {
    text.clear();
    map.clear();
    // Escapes only shrink (`\n` → 1 byte, `\uXXXX` → at most 3, a surrogate pair → 4), so
    // the decoded text fits in `raw.len()` bytes: reserve once instead of growing per run.
    text.reserve(raw.len());
    map.reserve(raw.len() + 1);
    let mut i = 0usize;
    // Copy unescaped runs as validated UTF-8.
    while i < raw.len() {
        let rest = raw.get(i..).unwrap_or(&[]);
        let n = run_len(rest);
        // A control character ends the run: it is reported before the run's UTF-8 is
        // checked, as a check of the whole run up to the next backslash would.
        if rest.get(n).is_some_and(|&b| b < 0x20) {
            return Err(DecodeError::Control(i + n));
        }
        if n > 0 {
            let run = rest.get(..n).unwrap_or(&[]);
            let s = core::str::from_utf8(run).map_err(|_| DecodeError::Utf8)?;
            text.push_str(s);
            map.extend((i..i + n).map(|v| v as u32));
            i += n;
            continue;
        }
        let esc = raw.get(i + 1).copied().ok_or(DecodeError::BadEscape(i))?;
        let (c, len) = match esc {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => {
                let hi = hex4(raw.get(i + 2..i + 6)).ok_or(DecodeError::BadEscape(i))?;
                if (0xD800..0xDC00).contains(&hi)
                    && raw.get(i + 6) == Some(&b'\\')
                    && raw.get(i + 7) == Some(&b'u')
                {
                    match hex4(raw.get(i + 8..i + 12)) {
                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                            let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            (char::from_u32(cp).unwrap_or('\u{FFFD}'), 12)
                        }
                        Some(_) => ('\u{FFFD}', 6),
                        None => return Err(DecodeError::BadEscape(i + 6)),
                    }
                } else {
                    (char::from_u32(hi).unwrap_or('\u{FFFD}'), 6)
                }
            }
            _ => return Err(DecodeError::BadEscape(i)),
        };
        text.push(c);
        map.extend(core::iter::repeat_n(i as u32, c.len_utf8()));
        i += len;
    }
    map.push(raw.len() as u32);
    Ok(())
}

/// Length of the run at the start of `s` before the first backslash or control character
/// (a `"` inside is content).
fn run_len(s: &[u8]) -> usize {
    let mut n = 0usize;
    loop {
        match special_byte(s.get(n..).unwrap_or(&[])) {
            Some(p) if s.get(n + p) == Some(&b'"') => n += p + 1,
            Some(p) => return n + p,
            None => return s.len(),
        }
    }
}

/// Offset of the first `"`, `\\` or control character (below 0x20) in `s`, eight bytes at a
/// time (strings are mostly plain text between their quotes).
#[inline]
pub(crate) fn special_byte(s: &[u8]) -> Option<usize> {
    let mut base = 0usize;
    while let Some(w) = s.get(base..base + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(w) else {
            break;
        };
        let m = specials(u64::from_le_bytes(bytes));
        if m != 0 {
            return Some(base + (m.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    // Fewer than eight bytes are left (only at the end of a chunk or a string).
    let rest = s.get(base..).unwrap_or(&[]);
    rest.iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|p| base + p)
}

/// The high bit of each byte of `w` (little-endian) that may be `"`, `\\` or below 0x20.
/// Bits above the lowest one can be false alarms (a borrow carries upward), but the lowest
/// set bit always marks a real one, which is all [`special_byte`] uses.
#[inline]
fn specials(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_byte = |b: u8| {
        let x = w ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x
    };
    (has_byte(b'"') | has_byte(b'\\') | w.wrapping_sub(ONES * 0x20)) & !w & HIGHS
}

fn hex4(b: Option<&[u8]>) -> Option<u32> {
    let b = b?;
    if b.len() != 4 {
        return None;
    }
    b.iter()
        .try_fold(0u32, |acc, &c| Some(acc * 16 + char::from(c).to_digit(16)?))
}

/// Append `s` escaped for the inside of a JSON string.
pub(crate) fn escape_json(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    let mut start = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(bytes.get(start..i).unwrap_or(&[]));
        if esc.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
            out.push(HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0'));
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or(&[]));
}

/// Percent-decode form content (`+` is a space). Invalid `%` sequences stay literal.
/// `map[d]` is the raw offset of decoded byte `d`, with a final entry for the end.
pub(crate) fn decode_form(raw: &[u8], bytes: &mut Vec<u8>, map: &mut Vec<u32>) {
    bytes.clear();
    map.clear();
    let mut i = 0usize;
    while let Some(&b) = raw.get(i) {
        map.push(i as u32);
        match b {
            b'+' => {
                bytes.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = raw.get(i + 1).and_then(|c| char::from(*c).to_digit(16));
                let lo = raw.get(i + 2).and_then(|c| char::from(*c).to_digit(16));
                if let (Some(h), Some(l)) = (hi, lo) {
                    bytes.push((h * 16 + l) as u8);
                    i += 3;
                } else {
                    bytes.push(b'%');
                    i += 1;
                }
            }
            _ => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    map.push(raw.len() as u32);
}

/// Append `s` percent-encoded for a form value (unreserved characters kept, space as `+`).
pub(crate) fn encode_form(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'*' => {
                out.push(b)
            }
            b' ' => out.push(b'+'),
            _ => {
                out.push(b'%');
                out.push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
                out.push(HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0'));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(raw: &str) -> (String, Vec<u32>) {
        let (mut t, mut m) = (String::new(), Vec::new());
        decode_json(raw.as_bytes(), &mut t, &mut m).unwrap();
        (t, m)
    }

    #[test]
    fn json_escapes_decode_with_offsets() {
        let (t, m) = dec(r"a\u0040b.com");
        assert_eq!(t, "a@b.com");
        assert_eq!(m, [0, 1, 7, 8, 9, 10, 11, 12]);
        let (t, _) = dec(r"\ud83d\ude00 \u4e2d\n");
        assert_eq!(t, "😀 中\n");
        let (t, _) = dec(r"\ud800x");
        assert_eq!(t, "\u{FFFD}x");
        let mut s = String::new();
        assert!(decode_json(br"\x", &mut s, &mut Vec::new()).is_err());
        assert!(decode_json(b"a\nb", &mut s, &mut Vec::new()).is_err());
    }

    #[test]
    fn special_byte_finds_the_first_quote_backslash_or_control_character() {
        let cases: [&[u8]; 7] = [
            b"plain text longer than one word, no specials at all",
            b"0123456\\",
            b"01234567\"x",
            b"\xe4\xb8\xad\x7f\x80\xff\x1f",
            b"short\t",
            b"",
            b"\x20\x21\x5b\x5d\x23\x60\x7c\x22",
        ];
        for case in cases {
            for from in 0..=case.len() {
                let s = &case[from..];
                let expected = s.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
                assert_eq!(special_byte(s), expected, "{s:?}");
            }
        }
    }

    #[test]
    fn decoding_reports_a_control_character_before_bad_utf8_in_its_run() {
        let mut s = String::new();
        let mut m = Vec::new();
        assert_eq!(
            decode_json(b"\xff ok \x01", &mut s, &mut m),
            Err(DecodeError::Control(5))
        );
        assert_eq!(
            decode_json(b"\xff \\n \x01", &mut s, &mut m),
            Err(DecodeError::Utf8)
        );
        // A quote inside the content (never the case in JSON) is plain text here.
        let (t, m) = dec(r#"a"b\n"#);
        assert_eq!(t, "a\"b\n");
        assert_eq!(m, [0, 1, 2, 3, 5]);
    }

    #[test]
    fn escaping_round_trips_through_serde() {
        let s = "q\"b\\s\n\u{1}中";
        let mut out = b"\"".to_vec();
        escape_json(s, &mut out);
        out.push(b'"');
        let back: String = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn form_decoding_and_encoding() {
        let (mut b, mut m) = (Vec::new(), Vec::new());
        decode_form(b"a%40b.com+x%zz", &mut b, &mut m);
        assert_eq!(b, b"a@b.com x%zz");
        assert_eq!(m.get(2), Some(&4));
        let mut out = Vec::new();
        encode_form("[contact] a@b", &mut out);
        assert_eq!(out, b"%5Bcontact%5D+a%40b");
    }
}
