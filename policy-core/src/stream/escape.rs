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
        let run_end = raw
            .get(i..)
            .and_then(|r| r.iter().position(|&b| b == b'\\'))
            .map_or(raw.len(), |p| i + p);
        if run_end > i {
            let run = raw.get(i..run_end).unwrap_or(&[]);
            if let Some(p) = run.iter().position(|&b| b < 0x20) {
                return Err(DecodeError::Control(i + p));
            }
            let s = core::str::from_utf8(run).map_err(|_| DecodeError::Utf8)?;
            text.push_str(s);
            map.extend((i..run_end).map(|v| v as u32));
            i = run_end;
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
