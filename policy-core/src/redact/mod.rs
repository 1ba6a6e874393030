//! Redaction methods: what happens to a value (or a part of it) once a rule or a detector has
//! put it in a category.
//!
//! A [`Method`] turns the matched text into a [`Replacement`]. The streaming engine decides how
//! a replacement is written for each format (a JSON string, `null`, a dropped member, a
//! percent-encoded form value); the methods themselves only see decoded text.
//!
//! | method | whole value | part of a larger string |
//! |---|---|---|
//! | `remove` | the member / array element / form pair is dropped | the substring is cut out |
//! | `null` | JSON `null` (empty in forms and text) | the substring is cut out |
//! | `replace` | the template, `{category}` and `{detector}` filled in | same |
//! | `mask` | characters masked, `keep_first` / `keep_last` kept, or a preset | same |
//! | `hash` | `tok_<category>_<hex>`: HMAC-SHA-256 keyed at run time | same |
//! | `generalize` | IPv4 → /24, IPv6 → /48, date → year, GPS → 2 decimals, postcode → prefix | same |
//! | `keep` | unchanged, only a remark is recorded | same |

mod generalize;
mod hash;
mod mask;

use alloc::string::String;

pub use generalize::generalize;
pub use hash::{HashKey, hash_token};
pub use mask::{MaskPreset, MaskSpec, mask};

/// Default `replace` template (also used by `generalize` for values it cannot generalize).
pub const DEFAULT_TEMPLATE: &str = "[{category}]";

/// Default number of hex characters in a `hash` token.
pub const DEFAULT_HASH_LENGTH: u8 = 16;

/// How a value (or the matched part of one) is redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// Drop the member, array element or form pair; cut a substring out of a larger string.
    Remove,
    /// Write JSON `null` for a whole value; cut a substring out of a larger string.
    Null,
    /// Write a template; `{category}` and `{detector}` are filled in.
    Replace {
        /// The template, e.g. `[{category}]`.
        template: String,
    },
    /// Mask characters, keeping some at either end, or apply a preset.
    Mask(MaskSpec),
    /// Replace by a keyed pseudonym `tok_<category>_<hex>` (HMAC-SHA-256).
    Hash {
        /// Number of hex characters kept (8..=64).
        length: u8,
    },
    /// Coarsen the value (network prefix, year, ~1 km, postcode prefix).
    Generalize,
    /// Leave the value unchanged; record a remark only (report-only mode).
    Keep,
}

impl Method {
    /// The method's name as written in a bundle (`remove`, `mask`, ...), used in remarks.
    #[inline]
    pub fn name(&self) -> &'static str {
        match self {
            Method::Remove => "remove",
            Method::Null => "null",
            Method::Replace { .. } => "replace",
            Method::Mask(_) => "mask",
            Method::Hash { .. } => "hash",
            Method::Generalize => "generalize",
            Method::Keep => "keep",
        }
    }
}

/// What a method produced for one matched text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replacement {
    /// Drop the whole value (member, element, pair) or cut the substring out.
    Remove,
    /// JSON `null` for a whole value; empty for a substring.
    Null,
    /// Write this text instead (the engine escapes it for the format).
    Text(String),
    /// Leave the original bytes in place.
    Keep,
}

/// What a method needs to know about the match besides its text.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// Category id, e.g. `contact`.
    pub category: &'a str,
    /// Detector id, e.g. `email`; `None` when a field rule forced the category.
    pub detector: Option<&'a str>,
}

/// Errors a method can raise at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MethodError {
    /// A `hash` method ran without a key.
    MissingHashKey,
}

/// Apply `method` to `text` and return what to write instead.
///
/// `hmac_key` is the run-time key for `hash`; without one, `hash` fails closed with
/// [`MethodError::MissingHashKey`] (the engine refuses to start in that case, see
/// `RunOptions::hmac_key`).
///
/// ```
/// use scrim_core::redact::{apply, Method, MaskSpec, MaskPreset, Replacement, Target};
/// let t = Target { category: "contact", detector: Some("cn_mobile") };
/// let m = Method::Mask(MaskSpec::preset(MaskPreset::Phone));
/// assert_eq!(apply(&m, "13812345678", t, None).unwrap(), Replacement::Text("138****5678".into()));
/// ```
pub fn apply(
    method: &Method,
    text: &str,
    target: Target<'_>,
    hmac_key: Option<&HashKey>,
) -> Result<Replacement, MethodError> {
    apply_with(method, text, target, hmac_key, String::new)
}

/// [`apply`] with the text of a [`Replacement::Text`] written into a buffer from `buffer`
/// (cleared first): the engine hands back buffers of earlier replacements, so a replacement
/// costs no allocation once they have grown. `buffer` is only called for methods that write
/// text.
pub(crate) fn apply_with(
    method: &Method,
    text: &str,
    target: Target<'_>,
    hmac_key: Option<&HashKey>,
    buffer: impl FnOnce() -> String,
) -> Result<Replacement, MethodError> {
    Ok(match method {
        Method::Remove => Replacement::Remove,
        Method::Null => Replacement::Null,
        Method::Keep => Replacement::Keep,
        _ => {
            let mut out = buffer();
            out.clear();
            write_text(method, text, target, hmac_key, &mut out)?;
            Replacement::Text(out)
        }
    })
}

/// The text [`apply`] returns as [`Replacement::Text`], appended to `out`. Methods that
/// write no text (`remove`, `null`, `keep`) append nothing.
fn write_text(
    method: &Method,
    text: &str,
    target: Target<'_>,
    hmac_key: Option<&HashKey>,
    out: &mut String,
) -> Result<(), MethodError> {
    match method {
        Method::Remove | Method::Null | Method::Keep => {}
        Method::Replace { template } => fill_template_into(template, target, out),
        Method::Mask(spec) => mask::mask_into(spec, text, out),
        Method::Hash { length } => {
            let key = hmac_key.ok_or(MethodError::MissingHashKey)?;
            hash::hash_token_into(key, target.category, text, *length, out);
        }
        Method::Generalize => {
            if !generalize::generalize_into(text, target.detector, out) {
                fill_template_into(DEFAULT_TEMPLATE, target, out);
            }
        }
    }
    Ok(())
}

/// Fill `{category}` and `{detector}` in a `replace` template. A forced field without a
/// detector fills `{detector}` with the category id.
pub fn fill_template(template: &str, target: Target<'_>) -> String {
    let mut out = String::with_capacity(template.len() + 8);
    fill_template_into(template, target, &mut out);
    out
}

/// [`fill_template`] appended to `out`.
fn fill_template_into(template: &str, target: Target<'_>, out: &mut String) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, tail) = rest.split_at(open);
        out.push_str(before);
        if let Some(t) = tail.strip_prefix("{category}") {
            out.push_str(target.category);
            rest = t;
        } else if let Some(t) = tail.strip_prefix("{detector}") {
            out.push_str(target.detector.unwrap_or(target.category));
            rest = t;
        } else {
            out.push('{');
            rest = tail.get(1..).unwrap_or("");
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Target<'static> = Target {
        category: "contact",
        detector: Some("email"),
    };

    #[test]
    fn template_fills_placeholders_and_keeps_other_braces() {
        assert_eq!(
            fill_template("[{category}:{detector}] {x}", T),
            "[contact:email] {x}"
        );
        let forced = Target {
            category: "credentials",
            detector: None,
        };
        assert_eq!(fill_template("<{detector}>", forced), "<credentials>");
    }

    #[test]
    fn hash_without_key_fails_closed() {
        let r = apply(&Method::Hash { length: 16 }, "a@b.com", T, None);
        assert_eq!(r, Err(MethodError::MissingHashKey));
    }

    #[test]
    fn generalize_falls_back_to_replace() {
        let r = apply(&Method::Generalize, "a@b.com", T, None).unwrap();
        assert_eq!(r, Replacement::Text("[contact]".into()));
    }
}
