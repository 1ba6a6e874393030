//! How findings are redacted: per category, per detector, per audience.

use alloc::collections::BTreeMap;
use alloc::string::String;

use serde::{Deserialize, Serialize};

/// The `redaction` section.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Redaction {
    /// Method for categories without an entry (default: replace with `[{category}]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Method>,
    /// Category id → method.
    #[serde(default)]
    pub categories: BTreeMap<String, Method>,
    /// Detector id → method; wins over the category's method.
    #[serde(default)]
    pub detectors: BTreeMap<String, Method>,
    /// Audience name → overrides, selected at run time (e.g. `support`).
    #[serde(default)]
    pub audiences: BTreeMap<String, RedactionOverride>,
}

/// Overrides layered on top of the `redaction` section by an audience or a profile.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RedactionOverride {
    /// Replaces the default method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Method>,
    /// Category id → method.
    #[serde(default)]
    pub categories: BTreeMap<String, Method>,
    /// Detector id → method.
    #[serde(default)]
    pub detectors: BTreeMap<String, Method>,
}

/// A redaction method, selected by `"method"`.
///
/// Each method accepts only its own parameters: `{"method": "remove", "template": "x"}` is
/// refused.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "RawMethod", into = "RawMethod")]
pub enum Method {
    /// Drop the member (in arrays: the element) entirely.
    Remove,
    /// Replace the value with JSON `null`.
    Null,
    /// Replace the value with a template; `{category}` and `{detector}` are filled in.
    Replace {
        /// The replacement text, e.g. `[EMAIL]` or `[{category}]`.
        template: String,
    },
    /// Replace characters with a mask character, keeping some at either end.
    Mask(MaskMethod),
    /// Replace the value with `tok_<category>_<hex>`: HMAC-SHA-256 under a key supplied at
    /// run time, truncated to `length` hex characters.
    Hash {
        /// Hex characters kept, 8..=64 (default 16).
        length: Option<u8>,
    },
    /// Coarsen: IPv4 to /24, IPv6 to /48, dates to the year, GPS to ~1 km, postcodes to a prefix.
    Generalize,
    /// Leave the value as is; the finding is still reported.
    Keep,
}

/// Parameters of `"method": "mask"`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MaskMethod {
    /// The mask character (default `*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub char: Option<char>,
    /// Characters kept at the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_first: Option<u32>,
    /// Characters kept at the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_last: Option<u32>,
    /// A preset for a common format; explicit `keep_first` / `keep_last` win over it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<MaskPreset>,
}

/// Common mask shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MaskPreset {
    /// Keep the first 3 and last 4 digits: `138****5678`.
    Phone,
    /// Keep the first 6 and last 4 characters of a China resident id.
    CnId,
    /// Keep the first 6 and last 4 digits of a card number.
    Card,
    /// Keep the first letter of the local part and the whole domain: `a***@example.com`.
    Email,
}

/// The names of the redaction methods, as written in `"method"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
enum MethodKind {
    Remove,
    Null,
    Replace,
    Mask,
    Hash,
    Generalize,
    Keep,
}

/// The flat JSON form of a method; [`Method`] converts from it, refusing parameters that do
/// not belong to the method.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawMethod {
    method: MethodKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    template: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    char: Option<char>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    keep_first: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    keep_last: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    preset: Option<MaskPreset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    length: Option<u8>,
}

impl MethodKind {
    fn name(self) -> &'static str {
        match self {
            MethodKind::Remove => "remove",
            MethodKind::Null => "null",
            MethodKind::Replace => "replace",
            MethodKind::Mask => "mask",
            MethodKind::Hash => "hash",
            MethodKind::Generalize => "generalize",
            MethodKind::Keep => "keep",
        }
    }
}

impl TryFrom<RawMethod> for Method {
    type Error = String;

    fn try_from(raw: RawMethod) -> Result<Method, String> {
        let RawMethod {
            method,
            template,
            char,
            keep_first,
            keep_last,
            preset,
            length,
        } = raw;
        let allowed: &[&str] = match method {
            MethodKind::Remove | MethodKind::Null | MethodKind::Generalize | MethodKind::Keep => {
                &[]
            }
            MethodKind::Replace => &["template"],
            MethodKind::Mask => &["char", "keep_first", "keep_last", "preset"],
            MethodKind::Hash => &["length"],
        };
        let given = [
            ("template", template.is_some()),
            ("char", char.is_some()),
            ("keep_first", keep_first.is_some()),
            ("keep_last", keep_last.is_some()),
            ("preset", preset.is_some()),
            ("length", length.is_some()),
        ];
        if let Some((param, _)) = given
            .iter()
            .find(|(param, present)| *present && !allowed.contains(param))
        {
            return Err(alloc::format!(
                "`{param}` does not apply to method `{}`: remove it or change the method",
                method.name()
            ));
        }
        Ok(match method {
            MethodKind::Remove => Method::Remove,
            MethodKind::Null => Method::Null,
            MethodKind::Generalize => Method::Generalize,
            MethodKind::Keep => Method::Keep,
            MethodKind::Replace => match template {
                Some(template) => Method::Replace { template },
                None => return Err(String::from("method `replace` needs a `template`")),
            },
            MethodKind::Mask => Method::Mask(MaskMethod {
                char,
                keep_first,
                keep_last,
                preset,
            }),
            MethodKind::Hash => Method::Hash { length },
        })
    }
}

crate::json::decode::decode_enum!(MethodKind {
    "remove" => Remove,
    "null" => Null,
    "replace" => Replace,
    "mask" => Mask,
    "hash" => Hash,
    "generalize" => Generalize,
    "keep" => Keep,
});

crate::json::decode::decode_struct!(RawMethod {
    "method" => method: req,
    "template" => template: def,
    "char" => char: def,
    "keep_first" => keep_first: def,
    "keep_last" => keep_last: def,
    "preset" => preset: def,
    "length" => length: def,
});

impl crate::json::decode::Decode for Method {
    fn decode(v: &crate::json::Value) -> Result<Method, crate::json::DeError> {
        Method::try_from(RawMethod::decode(v)?).map_err(|m| crate::json::DeError::new(m, v.span))
    }
}

impl From<Method> for RawMethod {
    fn from(method: Method) -> RawMethod {
        let mut raw = RawMethod {
            method: MethodKind::Remove,
            template: None,
            char: None,
            keep_first: None,
            keep_last: None,
            preset: None,
            length: None,
        };
        match method {
            Method::Remove => {}
            Method::Null => raw.method = MethodKind::Null,
            Method::Generalize => raw.method = MethodKind::Generalize,
            Method::Keep => raw.method = MethodKind::Keep,
            Method::Replace { template } => {
                raw.method = MethodKind::Replace;
                raw.template = Some(template);
            }
            Method::Mask(m) => {
                raw.method = MethodKind::Mask;
                raw.char = m.char;
                raw.keep_first = m.keep_first;
                raw.keep_last = m.keep_last;
                raw.preset = m.preset;
            }
            Method::Hash { length } => {
                raw.method = MethodKind::Hash;
                raw.length = length;
            }
        }
        raw
    }
}
