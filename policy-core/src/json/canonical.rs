//! The canonical form of a JSON value, which the bundle hash is computed over.
//!
//! Object members are sorted by their keys' UTF-16 code units (as RFC 8785 JCS does, so the
//! hash can be reproduced with any JCS implementation for bundles whose numbers are
//! integers), no whitespace, strings escaped minimally (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
//! `\t`, other control characters as `\u00xx`, everything else literal). Integers up to 2^53
//! are written as integers; other numbers use the shortest text that reads back as the same
//! `f64` (this differs from JCS only in exponent notation for very large or small numbers).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use super::value::{Value, ValueKind};

/// Writes the canonical form of `value`.
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match &value.kind {
        ValueKind::Null => out.push_str("null"),
        ValueKind::Bool(true) => out.push_str("true"),
        ValueKind::Bool(false) => out.push_str("false"),
        ValueKind::Number(n) => {
            let v = n.as_f64();
            if n.is_integer() && v.abs() <= 9_007_199_254_740_992.0 {
                let _ = write!(out, "{}", v as i64);
            } else {
                let _ = write!(out, "{v}");
            }
        }
        ValueKind::String(s) => write_string(out, s),
        ValueKind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        ValueKind::Object(members) => {
            let mut sorted: Vec<_> = members.iter().collect();
            sorted.sort_by(|a, b| a.key.encode_utf16().cmp(b.key.encode_utf16()));
            out.push('{');
            for (i, m) in sorted.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, &m.key);
                out.push(':');
                write_value(out, &m.value);
            }
            out.push('}');
        }
    }
}

/// Writes `s` as a JSON string literal with minimal escaping.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    #[test]
    fn canonical_form_sorts_keys_and_drops_whitespace() {
        let a = parse("{ \"b\": [1.0, 2e2, -0.5],\n \"a\": \"x\\u0041\\/\\u0001\", \"\u{e9}\": 1, \"\u{1f600}\": 2, \"\u{ff61}\": 3 }").unwrap();
        assert_eq!(
            canonical(&a),
            "{\"a\":\"xA/\\u0001\",\"b\":[1,200,-0.5],\"\u{e9}\":1,\"\u{1f600}\":2,\"\u{ff61}\":3}"
        );
        let b = parse(
            "{\"\u{ff61}\":3,\"\u{1f600}\":2,\"\u{e9}\":1,\"b\":[1,200,-0.5],\"a\":\"xA/\\u0001\"}",
        )
        .unwrap();
        assert_eq!(canonical(&a), canonical(&b));
    }
}
