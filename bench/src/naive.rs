//! The naive baseline the engine is measured against: parse the body into a DOM
//! (`serde_json::Value`), run one regex per entity over every string, serialize again.
//! This is how most hand-written redaction filters work.

use regex::Regex;
use serde_json::Value;

/// One regex per entity, roughly what a hand-written filter ships.
pub struct Naive {
    patterns: Vec<Regex>,
}

impl Naive {
    /// Compiles the baseline's patterns.
    pub fn new() -> Naive {
        let sources = [
            r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
            r"(?:\+?86[ -]?|0086)?1[3-9]\d{9}",
            r"\+\d{1,3}[ -]?\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}",
            r"\b(?:\d[ -]?){13,19}\b",
            r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b",
            r"\b[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]\b",
            r"\b\d{3}-\d{2}-\d{4}\b",
            r"\b(?:\d{1,3}\.){3}\d{1,3}\b",
            r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
            r"\bAKIA[0-9A-Z]{16}\b",
            r"\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b",
            r"\b(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\b",
            r"Bearer\s+[A-Za-z0-9._~+/-]+=*",
        ];
        Naive {
            patterns: sources.iter().filter_map(|s| Regex::new(s).ok()).collect(),
        }
    }

    /// Redacts a JSON body: DOM in, every string through every regex, DOM out.
    pub fn redact(&self, body: &[u8]) -> Option<Vec<u8>> {
        let mut value: Value = serde_json::from_slice(body).ok()?;
        self.walk(&mut value);
        serde_json::to_vec(&value).ok()
    }

    fn walk(&self, value: &mut Value) {
        match value {
            Value::String(s) => {
                for re in &self.patterns {
                    if re.is_match(s) {
                        *s = re.replace_all(s, "[REDACTED]").into_owned();
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.walk(v)),
            Value::Object(map) => map.values_mut().for_each(|v| self.walk(v)),
            _ => {}
        }
    }
}
