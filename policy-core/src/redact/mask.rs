//! The `mask` method: hide characters, keep a few at either end.

use alloc::string::String;

/// Masking presets for common formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaskPreset {
    /// Keep the first 3 and last 4 digits: `13812345678` → `138****5678`.
    Phone,
    /// Keep the first 6 and last 4 characters: `110101********1234`.
    CnId,
    /// Keep the first 6 and last 4 digits of a card number.
    Card,
    /// Keep the first letter of the local part and the domain: `j***@example.com`.
    Email,
}

impl MaskPreset {
    /// Parse a preset name as written in a bundle (`phone`, `cn_id`, `card`, `email`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "phone" => Some(Self::Phone),
            "cn_id" => Some(Self::CnId),
            "card" => Some(Self::Card),
            "email" => Some(Self::Email),
            _ => None,
        }
    }
}

/// How to mask: a character, how many characters to keep at each end, or a preset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskSpec {
    /// The masking character (default `*`).
    pub ch: char,
    /// Characters kept at the start (default 0, or the preset's).
    pub keep_first: Option<u32>,
    /// Characters kept at the end (default 0, or the preset's).
    pub keep_last: Option<u32>,
    /// A preset for a common format; explicit `keep_first` / `keep_last` win over it.
    pub preset: Option<MaskPreset>,
}

impl Default for MaskSpec {
    fn default() -> Self {
        Self {
            ch: '*',
            keep_first: None,
            keep_last: None,
            preset: None,
        }
    }
}

impl MaskSpec {
    /// A spec for `preset` with the default `*` character.
    pub fn preset(preset: MaskPreset) -> Self {
        Self {
            preset: Some(preset),
            ..Self::default()
        }
    }
}

/// Mask `text` according to `spec`.
///
/// Counts are in characters. When the kept characters would cover the whole value, everything
/// is masked: a mask never returns the value unchanged. Presets for phone and card numbers
/// count digits only and keep separators (`+86 138 **** 5678`).
pub fn mask(spec: &MaskSpec, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    mask_into(spec, text, &mut out);
    out
}

/// [`mask`] appended to `out`.
pub(crate) fn mask_into(spec: &MaskSpec, text: &str, out: &mut String) {
    let keep = |first: u32, last: u32| {
        (
            spec.keep_first.unwrap_or(first),
            spec.keep_last.unwrap_or(last),
        )
    };
    let explicit = spec.keep_first.is_some() || spec.keep_last.is_some();
    match spec.preset {
        // When every character counts (a bare number, an ID without separators: the common
        // case), counting characters is counting all of them, so [`mask_chars`] gives the
        // same text without a decision per character.
        Some(MaskPreset::Phone) => {
            let (f, l) = keep(3, 4);
            match text.bytes().all(|b| b.is_ascii_digit()) {
                true => mask_chars(text, spec.ch, f, l, out),
                false => mask_counting(text, spec.ch, f, l, is_digit, out),
            }
        }
        Some(MaskPreset::Card) => {
            let (f, l) = keep(6, 4);
            match text.bytes().all(|b| b.is_ascii_digit()) {
                true => mask_chars(text, spec.ch, f, l, out),
                false => mask_counting(text, spec.ch, f, l, is_digit, out),
            }
        }
        Some(MaskPreset::CnId) => {
            let (f, l) = keep(6, 4);
            match text.bytes().all(|b| b.is_ascii_alphanumeric()) {
                true => mask_chars(text, spec.ch, f, l, out),
                false => mask_counting(text, spec.ch, f, l, char::is_alphanumeric, out),
            }
        }
        Some(MaskPreset::Email) if !explicit => mask_email(text, spec.ch, out),
        _ => {
            let (f, l) = keep(0, 0);
            mask_chars(text, spec.ch, f, l, out)
        }
    }
}

/// A digit as detection sees it: ASCII or full-width (`１`, U+FF10..U+FF19). A full-width
/// digit left unmasked would leak the value the detector found.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c)
}

/// Mask the characters for which `counts` is true, except the first `first` and last `last`
/// of them; characters that do not count are kept (separators). Appends to `out`.
fn mask_counting(
    text: &str,
    ch: char,
    first: u32,
    last: u32,
    counts: impl Fn(char) -> bool,
    out: &mut String,
) {
    // ASCII text with an ASCII mask character (most values): every character is one byte,
    // so the loop runs over bytes without UTF-8 decoding or encoding.
    let ascii = text.is_ascii() && ch.is_ascii();
    let total = if ascii {
        text.bytes().filter(|&b| counts(char::from(b))).count()
    } else {
        text.chars().filter(|&c| counts(c)).count()
    };
    let (first, last) = (first as usize, last as usize);
    let keep_all = first.saturating_add(last) >= total;
    // Whether the `i`-th counted character is masked (all are when the kept ones would
    // cover the whole value).
    let masked_at = |i: usize| keep_all || (i >= first && i < total - last);
    let mut i = 0usize;
    out.reserve(text.len());
    if ascii {
        let masked = char::from(u8::try_from(ch).unwrap_or(b'*'));
        for b in text.bytes() {
            let c = char::from(b);
            if counts(c) {
                // An ASCII `char` is pushed as its one byte.
                out.push(if masked_at(i) { masked } else { c });
                i += 1;
            } else {
                out.push(c);
            }
        }
    } else {
        for c in text.chars() {
            if counts(c) {
                out.push(if masked_at(i) { ch } else { c });
                i += 1;
            } else {
                out.push(c);
            }
        }
    }
}

/// [`mask_counting`] where every character counts: the kept head and tail are copied as
/// slices and the rest is `ch` once per character, without deciding character by character
/// (the same output; addresses and identifiers masked whole are the common case).
fn mask_chars(text: &str, ch: char, first: u32, last: u32, out: &mut String) {
    let ascii = text.is_ascii();
    let total = if ascii {
        text.len()
    } else {
        text.chars().count()
    };
    let (first, last) = (first as usize, last as usize);
    // Byte offset of the `n`-th character (`n` < `total`).
    let offset = |n: usize| match ascii {
        true => n,
        false => text.char_indices().nth(n).map_or(text.len(), |(i, _)| i),
    };
    if first.saturating_add(last) >= total {
        // The kept characters would cover the whole value: all are masked.
        out.extend(core::iter::repeat_n(ch, total));
        return;
    }
    let head = text.get(..offset(first)).unwrap_or("");
    let tail = text.get(offset(total - last)..).unwrap_or("");
    out.reserve(head.len() + (total - first - last) * ch.len_utf8() + tail.len());
    out.push_str(head);
    out.extend(core::iter::repeat_n(ch, total - first - last));
    out.push_str(tail);
}

fn mask_email(text: &str, ch: char, out: &mut String) {
    match text.rsplit_once('@') {
        Some((local, domain)) if !local.is_empty() => {
            out.reserve(text.len());
            if let Some(first) = local.chars().next() {
                out.push(first);
            }
            for _ in 0..3 {
                out.push(ch);
            }
            out.push('@');
            out.push_str(domain);
        }
        _ => mask_chars(text, ch, 0, 0, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(preset: MaskPreset, s: &str) -> String {
        mask(&MaskSpec::preset(preset), s)
    }

    /// The masking rule written plainly, one character at a time, as a reference.
    fn reference(text: &str, ch: char, first: u32, last: u32, counts: fn(char) -> bool) -> String {
        let total = text.chars().filter(|c| counts(*c)).count();
        let (first, last) = (first as usize, last as usize);
        let keep_all = first.saturating_add(last) >= total;
        let mut out = String::new();
        let mut i = 0usize;
        for c in text.chars() {
            if !counts(c) {
                out.push(c);
                continue;
            }
            let kept = !keep_all && (i < first || i >= total - last);
            out.push(if kept { c } else { ch });
            i += 1;
        }
        out
    }

    #[test]
    fn the_ascii_path_masks_exactly_like_the_char_path() {
        let texts = [
            "",
            "1",
            "13812345678",
            "+86 138-1234-5678",
            "4111 1111 1111 1111",
            "11010119900307123X",
            "ab",
            "a b c d e f g",
            "john.doe@example.com",
            "北京市海淀区中关村大街1号",
            "x张",
        ];
        let counters: [fn(char) -> bool; 3] = [is_digit, char::is_alphanumeric, |_| true];
        for text in texts {
            for counts in counters {
                for (first, last) in [(0, 0), (3, 4), (6, 4), (0, 2), (20, 0), (1, 1)] {
                    for ch in ['*', '#', '●'] {
                        let want = reference(text, ch, first, last, counts);
                        let mut got = String::from("kept:");
                        mask_counting(text, ch, first, last, counts, &mut got);
                        assert_eq!(
                            got.strip_prefix("kept:").unwrap(),
                            want,
                            "{text:?} {first} {last} {ch}"
                        );
                        let mut all = String::from("kept:");
                        mask_chars(text, ch, first, last, &mut all);
                        let want_all = reference(text, ch, first, last, |_| true);
                        assert_eq!(all.strip_prefix("kept:").unwrap(), want_all);
                    }
                }
            }
        }
    }

    #[test]
    fn presets_on_bare_values_mask_like_the_counting_path() {
        let presets = [
            (MaskPreset::Phone, is_digit as fn(char) -> bool, 3, 4),
            (MaskPreset::Card, is_digit, 6, 4),
            (MaskPreset::CnId, char::is_alphanumeric, 6, 4),
        ];
        let texts = [
            "",
            "1",
            "1234567",
            "13812345678",
            "11010119900307123X",
            "4111111111111111",
        ];
        for (preset, counts, first, last) in presets {
            for text in texts {
                for ch in ['*', '●'] {
                    let spec = MaskSpec {
                        ch,
                        ..MaskSpec::preset(preset)
                    };
                    assert_eq!(
                        mask(&spec, text),
                        reference(text, ch, first, last, counts),
                        "{preset:?} {text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn full_width_digits_are_masked_like_ascii_ones() {
        let phone = MaskSpec::preset(MaskPreset::Phone);
        assert_eq!(mask(&phone, "１３８１２３４５６７８"), "１３８****５６７８");
    }

    #[test]
    fn presets_match_chinese_conventions() {
        assert_eq!(p(MaskPreset::Phone, "13812345678"), "138****5678");
        assert_eq!(
            p(MaskPreset::CnId, "11010119900307123X"),
            "110101********123X"
        );
        assert_eq!(
            p(MaskPreset::Card, "6222021234567890123"),
            "622202*********0123"
        );
        assert_eq!(
            p(MaskPreset::Email, "john.doe@example.com"),
            "j***@example.com"
        );
        assert_eq!(p(MaskPreset::Phone, "138-1234-5678"), "138-****-5678");
    }

    #[test]
    fn keep_counts_are_characters_not_bytes() {
        let spec = MaskSpec {
            keep_first: Some(1),
            keep_last: Some(1),
            ..MaskSpec::default()
        };
        assert_eq!(mask(&spec, "张三丰"), "张*丰");
        let spec = MaskSpec {
            ch: '#',
            keep_last: Some(4),
            ..MaskSpec::default()
        };
        assert_eq!(mask(&spec, "4111111111111111"), "############1111");
    }

    #[test]
    fn short_values_are_fully_masked_never_kept() {
        let spec = MaskSpec {
            keep_first: Some(3),
            keep_last: Some(4),
            ..MaskSpec::default()
        };
        assert_eq!(mask(&spec, "12345"), "*****");
        // explicit counts win over a preset's
        let spec = MaskSpec {
            keep_last: Some(2),
            ..MaskSpec::preset(MaskPreset::Phone)
        };
        assert_eq!(mask(&spec, "13812345678"), "138******78");
        assert_eq!(p(MaskPreset::Email, "@x"), "**");
    }
}
