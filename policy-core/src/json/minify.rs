//! Removing insignificant whitespace from JSON at compile time, so data embedded with
//! `include_str!` (the bundle schema, the transfer-law reference data) costs the filter only
//! its significant bytes.

/// Whether `byte` is JSON whitespace (RFC 8259 `ws`).
const fn is_ws(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// Copies the significant bytes of `text` into `out` (as many as fit): whitespace outside
/// strings is dropped, strings are kept verbatim. Returns how many bytes are significant.
#[expect(
    clippy::mem_replace_with_default,
    reason = "`core::mem::take` is not a `const fn`"
)]
const fn strip(mut text: &[u8], mut out: &mut [u8]) -> usize {
    let mut kept = 0;
    let mut in_string = false;
    let mut escaped = false;
    while let Some((&byte, rest)) = text.split_first() {
        text = rest;
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if is_ws(byte) {
            continue;
        } else if byte == b'"' {
            in_string = true;
        }
        if let Some((slot, rest)) = core::mem::replace(&mut out, &mut []).split_first_mut() {
            *slot = byte;
            out = rest;
        }
        kept += 1;
    }
    kept
}

/// The length of `text` once [`minify`] has removed its insignificant whitespace.
#[must_use]
pub const fn minified_len(text: &str) -> usize {
    strip(text.as_bytes(), &mut [])
}

/// `text` without insignificant whitespace, as `N` bytes (`N` from [`minified_len`]). Meant
/// for constants, through [`crate::minified_json`]; the text itself is not validated.
#[must_use]
pub const fn minify<const N: usize>(text: &str) -> [u8; N] {
    let mut out = [0u8; N];
    let _ = strip(text.as_bytes(), &mut out);
    out
}

/// A `&'static str` constant holding JSON text (usually `include_str!`) without insignificant
/// whitespace, computed at compile time.
///
/// ```
/// const COMPACT: &str = scrim_core::minified_json!("{ \"a\" : [1, 2],\n \"b c\": \" x \" }");
/// assert_eq!(COMPACT, r#"{"a":[1,2],"b c":" x "}"#);
/// ```
#[macro_export]
macro_rules! minified_json {
    ($text:expr) => {{
        const TEXT: &str = $text;
        const BYTES: [u8; $crate::json::minified_len(TEXT)] = $crate::json::minify(TEXT);
        // Removing ASCII whitespace between tokens keeps UTF-8 valid; the fallback is never
        // taken but keeps this panic-free.
        match ::core::str::from_utf8(&BYTES) {
            Ok(compact) => compact,
            Err(_) => TEXT,
        }
    }};
}

#[cfg(test)]
mod tests {
    use crate::json::parse;

    const SCHEMA: &str = include_str!("../../../policies/schema/bundle.v1.schema.json");

    #[test]
    fn minified_text_parses_to_the_same_tree_and_keeps_strings() {
        const COMPACT: &str = crate::minified_json!(include_str!(
            "../../../policies/schema/bundle.v1.schema.json"
        ));
        assert!(COMPACT.len() < SCHEMA.len() * 3 / 4, "{}", COMPACT.len());
        let a = parse(SCHEMA).unwrap();
        let b = parse(COMPACT).unwrap();
        assert!(a.json_eq(&b));
        const TRICKY: &str = crate::minified_json!(r#" { "k e\"y" : "a \\" , "v" : [ " " ] } "#);
        assert_eq!(TRICKY, r#"{"k e\"y":"a \\","v":[" "]}"#);
    }
}
