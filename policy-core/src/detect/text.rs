//! The text the scanners see: the value itself, or a folded copy when it hides characters.
//!
//! Full-width ASCII (`１３８`, `Ａ`, `＠`, U+FF01–U+FF5E) is folded to ASCII and zero-width
//! characters (U+200B–U+200D, U+2060, U+FEFF) are dropped, so neither can hide a value. The copy
//! is only made when the value contains a full-width letter or digit or a zero-width character;
//! Chinese punctuation alone (`，`, `：`) does not trigger it. Every byte of the copy remembers
//! where its character started in the original, so findings cover the original bytes.

use alloc::vec::Vec;

/// A byte view of one value plus the way back to the original offsets.
pub(crate) struct View<'a> {
    /// Bytes to scan (folded when `map` is `Some`).
    pub bytes: &'a [u8],
    /// For each byte of `bytes`, the offset in `original` of the character it came from.
    map: Option<&'a [u32]>,
    /// The original value.
    original: &'a [u8],
}

/// Is this UTF-8 sequence (starting at `s[0]`) a zero-width character?
fn zero_width_len(s: &[u8]) -> Option<usize> {
    match s {
        [0xE2, 0x80, 0x8B..=0x8D, ..] | [0xE2, 0x81, 0xA0, ..] | [0xEF, 0xBB, 0xBF, ..] => Some(3),
        _ => None,
    }
}

/// The ASCII byte a full-width form (U+FF01–U+FF5E, encoded EF BC 81..EF BD 9E) stands for.
fn full_width_ascii(s: &[u8]) -> Option<u8> {
    match s {
        [0xEF, 0xBC, b @ 0x81..=0xBF, ..] => Some(b - 0x81 + 0x21),
        [0xEF, 0xBD, b @ 0x80..=0x9E, ..] => Some(b - 0x80 + 0x60),
        _ => None,
    }
}

/// `0x01` in every byte of a `u64`.
const LO: u64 = 0x0101_0101_0101_0101;
/// `0x80` in every byte of a `u64`.
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether some byte of `v` is zero (exact: a borrow only crosses a byte that is zero).
#[inline]
fn has_zero(v: u64) -> bool {
    v.wrapping_sub(LO) & !v & HI != 0
}

/// Position of the first byte of `s` for which `hit` holds, like `iter().position(hit)`, but
/// eight bytes at a time are first ruled out by `none8` (the eight bytes as a little-endian
/// `u64`), which must return true only when none of them is a hit.
#[inline]
pub(crate) fn find_by(
    s: &[u8],
    none8: impl Fn(u64) -> bool,
    hit: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut chunks = s.chunks_exact(8);
    let mut base = 0usize;
    for c in &mut chunks {
        let skip = <[u8; 8]>::try_from(c).is_ok_and(|a| none8(u64::from_le_bytes(a)));
        if !skip && let Some(p) = c.iter().position(|&b| hit(b)) {
            return Some(base + p);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| hit(b))
        .map(|p| base + p)
}

/// Position of the first `a` or `b` in `s` (eight bytes at a time).
#[inline]
pub(crate) fn find2(s: &[u8], a: u8, b: u8) -> Option<usize> {
    let (pa, pb) = (LO * u64::from(a), LO * u64::from(b));
    find_by(
        s,
        |x| !has_zero(x ^ pa) && !has_zero(x ^ pb),
        |y| y == a || y == b,
    )
}

/// Position of the first ASCII digit in `s` (eight bytes at a time).
#[inline]
pub(crate) fn find_digit(s: &[u8]) -> Option<usize> {
    // `b ^ 0x30` is below 10 exactly for the digits; "some byte below 10" is exact too (a
    // borrow only crosses a byte that is below 10).
    find_by(
        s,
        |x| {
            let t = x ^ (LO * 0x30);
            t.wrapping_sub(LO * 10) & !t & HI == 0
        },
        |b| b.is_ascii_digit(),
    )
}

/// Position of the first byte of `s` in `lo..=hi`, both at least `0x80` (eight bytes at a
/// time: ASCII chunks are skipped by their high bits).
#[inline]
pub(crate) fn find_high_in(s: &[u8], lo: u8, hi: u8) -> Option<usize> {
    find_by(s, |x| x & HI == 0, |y| (lo..=hi).contains(&y))
}

/// Whether `text` contains anything the folded copy would change in a way that matters.
pub(crate) fn needs_folding(text: &[u8]) -> bool {
    let mut rest = text;
    while let Some(pos) = find2(rest, 0xE2, 0xEF) {
        let Some(tail) = rest.get(pos..) else {
            return false;
        };
        if zero_width_len(tail).is_some() {
            return true;
        }
        if let Some(a) = full_width_ascii(tail)
            && (a.is_ascii_alphanumeric() || a == b'@')
        {
            return true;
        }
        rest = tail.get(1..).unwrap_or_default();
    }
    false
}

/// Builds the folded copy of `text` into `bytes` and `map` (both cleared first).
pub(crate) fn fold(text: &[u8], bytes: &mut Vec<u8>, map: &mut Vec<u32>) {
    bytes.clear();
    map.clear();
    let mut i = 0usize;
    while let Some(tail) = text.get(i..) {
        let Some(&first) = tail.first() else { break };
        let at = u32::try_from(i).unwrap_or(u32::MAX);
        if let Some(len) = zero_width_len(tail) {
            i += len;
            continue;
        }
        if let Some(a) = full_width_ascii(tail) {
            bytes.push(a);
            map.push(at);
            i += 3;
            continue;
        }
        let len = utf8_len(first);
        for &b in tail.iter().take(len) {
            bytes.push(b);
            map.push(at);
        }
        i += len;
    }
}

/// Length of the UTF-8 sequence starting with `first` (1 for stray continuation bytes).
pub(crate) fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

impl<'a> View<'a> {
    /// A view of `text` as it is.
    pub(crate) fn plain(text: &'a [u8]) -> Self {
        View {
            bytes: text,
            map: None,
            original: text,
        }
    }

    /// A view of a folded copy made by [`fold`].
    pub(crate) fn folded(original: &'a [u8], bytes: &'a [u8], map: &'a [u32]) -> Self {
        View {
            bytes,
            map: Some(map),
            original,
        }
    }

    /// Maps a byte range of [`View::bytes`] back to the original value.
    pub(crate) fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let Some(map) = self.map else {
            return (start, end);
        };
        let o_start = map.get(start).map_or(self.original.len(), |&s| s as usize);
        let o_end = if end == 0 {
            o_start
        } else {
            match map.get(end - 1) {
                Some(&last) => {
                    let last = last as usize;
                    let len = self.original.get(last).map_or(1, |&b| utf8_len(b));
                    (last + len).min(self.original.len())
                }
                None => self.original.len(),
            }
        };
        (o_start, o_end.max(o_start))
    }
}

/// Presence flags: which kinds of bytes a value contains (see [`presence`]).
pub(crate) mod has {
    /// The type of a set of presence flags.
    pub(crate) type Has = u16;
    /// An ASCII digit.
    pub(crate) const DIGIT: Has = 1;
    /// `@`.
    pub(crate) const AT: Has = 2;
    /// `:` or `-` (MAC, IPv6).
    pub(crate) const SEPARATOR: Has = 8;
    /// A byte of a multi-byte UTF-8 character.
    pub(crate) const HIGH: Has = 16;
    /// An ASCII letter.
    pub(crate) const ALPHA: Has = 32;
    /// `J` (the `J` of a JWT's `eyJ`).
    pub(crate) const J: Has = 64;
    /// `A` (AWS key ids start with it).
    pub(crate) const A: Has = 128;
    /// `I` or `C` (the third byte of `AKIA`, `ASIA`, `ABIA`, `ACCA`).
    pub(crate) const I_OR_C: Has = 256;
    /// `B` (`Bearer `, `-----BEGIN `).
    pub(crate) const B: Has = 512;
    /// `:`.
    pub(crate) const COLON: Has = 1024;
    /// `/`.
    pub(crate) const SLASH: Has = 2048;
    /// `y` (the `y` of `eyJ`).
    pub(crate) const Y: Has = 4;
    /// `r` or `G` (`Bearer `, `-----BEGIN `).
    pub(crate) const R_OR_G: Has = 4096;
    /// An ASCII uppercase letter.
    pub(crate) const UPPER: Has = 8192;
    /// An ASCII lowercase letter.
    pub(crate) const LOWER: Has = 16384;

    /// Whether a value with flags `f` may contain a secret prefix (`eyJ`, `AKIA`, `ASIA`,
    /// `ABIA`, `ACCA`, `Bearer `, `-----BEGIN `, `://`): each prefix needs the bytes named
    /// here, so a value without them holds none.
    pub(crate) fn may_hold_secret(f: Has) -> bool {
        let both = |a: Has, b: Has| f & a != 0 && f & b != 0;
        both(J, Y) || both(A, I_OR_C) || both(B, R_OR_G) || both(COLON, SLASH)
    }
}

use has::Has;

/// The presence flags of one byte.
const fn flags(b: u8) -> Has {
    let mut f: Has = 0;
    if b.is_ascii_digit() {
        f |= has::DIGIT;
    }
    if b == b'@' {
        f |= has::AT;
    }
    if matches!(b, b'-' | b':') {
        f |= has::SEPARATOR;
    }
    if b >= 0x80 {
        f |= has::HIGH;
    }
    if b.is_ascii_alphabetic() {
        f |= has::ALPHA;
    }
    if b.is_ascii_uppercase() {
        f |= has::UPPER;
    }
    if b.is_ascii_lowercase() {
        f |= has::LOWER;
    }
    match b {
        b'J' => f |= has::J,
        b'A' => f |= has::A,
        b'I' | b'C' => f |= has::I_OR_C,
        b'B' => f |= has::B,
        b':' => f |= has::COLON,
        b'/' => f |= has::SLASH,
        b'y' => f |= has::Y,
        b'r' | b'G' => f |= has::R_OR_G,
        _ => {}
    }
    f
}

/// A table of `$f(b)` for every byte value `b`, computed at compile time (a macro because a
/// `const` initializer cannot call a function pointer).
macro_rules! byte_table {
    ($f:ident) => {{
        let mut t = [$f(0); 256];
        let mut i = 0usize;
        while i < 256 {
            t[i] = $f(i as u8);
            i += 1;
        }
        t
    }};
}

/// [`flags`] of every byte value, computed at compile time.
#[expect(
    clippy::indexing_slicing,
    reason = "const evaluation: `i < 256` is checked by the loop, and an error fails the build"
)]
static FLAGS: [Has; 256] = byte_table!(flags);

/// One pass over `s` saying which kinds of bytes occur, so scanners with nothing to find are
/// skipped.
pub(crate) fn presence(s: &[u8]) -> Has {
    let table = &FLAGS;
    s.iter().fold(0, |f, &b| {
        f | table.get(usize::from(b)).copied().unwrap_or(0)
    })
}

/// Byte classes for the word-shaped scanners: one table load instead of a chain of range
/// comparisons per byte (see [`class_of`]).
pub(crate) mod class {
    /// An ASCII letter.
    pub(crate) const ALPHA: u8 = 1;
    /// An ASCII digit.
    pub(crate) const DIGIT: u8 = 2;
    /// `_`.
    pub(crate) const UNDERSCORE: u8 = 4;
    /// A byte that glues a token together: letter, digit or `_`.
    pub(crate) const WORD: u8 = ALPHA | DIGIT | UNDERSCORE;
}

/// The [`class`] bits of one byte.
const fn byte_class(b: u8) -> u8 {
    if b.is_ascii_alphabetic() {
        class::ALPHA
    } else if b.is_ascii_digit() {
        class::DIGIT
    } else if b == b'_' {
        class::UNDERSCORE
    } else {
        0
    }
}

/// [`byte_class`] of every byte value, computed at compile time.
#[expect(
    clippy::indexing_slicing,
    reason = "const evaluation: `i < 256` is checked by the loop, and an error fails the build"
)]
static CLASS: [u8; 256] = byte_table!(byte_class);

/// The [`class`] bits of `b` (0 for every byte that is not a letter, digit or `_`).
#[inline]
pub(crate) fn class_of(b: u8) -> u8 {
    // A `u8` always indexes a 256-entry table; the fallback is never taken.
    CLASS.get(usize::from(b)).copied().unwrap_or(0)
}

/// ASCII letter, digit or underscore: the bytes that glue a token together.
#[inline]
pub(crate) fn is_word(b: u8) -> bool {
    class_of(b) & class::WORD != 0
}

/// End of the run of word bytes ([`is_word`]) starting at `i` (`i` itself when none).
pub(crate) fn word_end(s: &[u8], i: usize) -> usize {
    i + s
        .get(i..)
        .map_or(0, |t| t.iter().take_while(|&&b| is_word(b)).count())
}

/// Whether the byte at `i` (if any) is a word byte.
pub(crate) fn word_at(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(|&b| is_word(b))
}

/// Whether the byte before `i` is a word byte (false at the start).
pub(crate) fn word_before(s: &[u8], i: usize) -> bool {
    i > 0 && word_at(s, i - 1)
}

/// Moves `i` back to the start of the UTF-8 character containing it.
pub(crate) fn floor_char(s: &[u8], mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && s.get(i).is_some_and(|&b| (0x80..0xC0).contains(&b)) {
        i -= 1;
    }
    i
}

/// Moves `i` forward to the next UTF-8 character start (or the end).
pub(crate) fn ceil_char(s: &[u8], mut i: usize) -> usize {
    while s.get(i).is_some_and(|&b| (0x80..0xC0).contains(&b)) {
        i += 1;
    }
    i.min(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_and_zero_width_and_maps_back() {
        let text = "手机１３８\u{200B}００";
        assert!(needs_folding(text.as_bytes()));
        let (mut b, mut m) = (Vec::new(), Vec::new());
        fold(text.as_bytes(), &mut b, &mut m);
        let view = View::folded(text.as_bytes(), &b, &m);
        let digits_at = view.bytes.iter().position(u8::is_ascii_digit).unwrap();
        assert_eq!(&view.bytes[digits_at..], b"13800");
        let (s, e) = view.original_range(digits_at, view.bytes.len());
        assert_eq!(&text[s..e], "１３８\u{200B}００");
    }

    #[test]
    fn byte_classes_match_the_ascii_predicates() {
        for b in 0..=255u8 {
            assert_eq!(
                is_word(b),
                b.is_ascii_alphanumeric() || b == b'_',
                "byte {b}"
            );
            assert_eq!(class_of(b) & class::ALPHA != 0, b.is_ascii_alphabetic());
            assert_eq!(class_of(b) & class::DIGIT != 0, b.is_ascii_digit());
        }
        assert_eq!(word_end(b"ab_1 c", 0), 4);
        assert_eq!(word_end(b"ab_1 c", 4), 4);
        assert_eq!(word_end(b"ab", 9), 9);
    }

    #[test]
    fn word_at_a_time_search_matches_the_byte_loop() {
        let samples: [&[u8]; 7] = [
            b"",
            b"2026-10-23T12:41:02Z and more text here",
            b"no separators in this fairly long value at all",
            "手机１３８\u{200B}００ 2001:db8::1 地址：北京市".as_bytes(),
            b"-:-:-:-:-:",
            b"abcdefgh:",
            b"/:;<=>?@ 09 \x00\x0f\x39\xb0\xb9 xyz////////9",
        ];
        for s in samples {
            for from in 0..=s.len() {
                let t = &s[from..];
                let want = t.iter().position(|&b| b == b':' || b == b'-');
                assert_eq!(find2(t, b':', b'-'), want);
                let want = t.iter().position(|&b| b == 0xE2 || b == 0xEF);
                assert_eq!(find2(t, 0xE2, 0xEF), want);
                assert_eq!(find_digit(t), t.iter().position(u8::is_ascii_digit));
                let want = t.iter().position(|&b| (0xE4..=0xE9).contains(&b));
                assert_eq!(find_high_in(t, 0xE4, 0xE9), want);
            }
        }
    }

    #[test]
    fn every_secret_prefix_passes_the_presence_gate() {
        for p in crate::detect::secrets::PREFIXES {
            assert!(has::may_hold_secret(presence(p.as_bytes())), "{p}");
        }
        assert!(!has::may_hold_secret(presence(b"2026-10-23T12:41:02Z")));
        assert!(!has::may_hold_secret(presence(b"Order 42 at 10:30")));
        assert!(!has::may_hold_secret(presence(b"Job 42: ABBA")));
    }

    #[test]
    fn chinese_punctuation_alone_is_not_folded() {
        assert!(!needs_folding("联系方式：13812345678，谢谢".as_bytes()));
    }
}
