//! RFC 6901 JSON pointers over a [`Value`].

use alloc::string::String;

use super::value::{Value, ValueKind};

/// Escapes one reference token: `~` → `~0`, `/` → `~1`.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends `/` and the escaped token to a pointer.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    pointer.push_str(&escape_token(token));
}

fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

impl Value {
    /// The value an RFC 6901 pointer names (`""` is the whole document, `/routes/0/id` a
    /// route's id), or `None` if it names nothing.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut current = self;
        for raw in rest.split('/') {
            let token = unescape_token(raw);
            current = match &current.kind {
                ValueKind::Object(_) => current.get(&token)?,
                ValueKind::Array(items) => {
                    if token.len() > 1 && token.starts_with('0') {
                        return None;
                    }
                    items.get(token.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(current)
    }

    /// Like [`Value::pointer`], but when the last token names an object key, returns where the
    /// key is written (so a message about a key points at the key, not its value).
    pub fn pointer_key_span(&self, pointer: &str) -> Option<super::Span> {
        let (parent, last) = pointer.rsplit_once('/')?;
        let parent = self.pointer(parent)?;
        parent.member(&unescape_token(last)).map(|m| m.key_span)
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    #[test]
    fn pointers_follow_rfc_6901() {
        let doc = parse(r#"{"a/b": {"m~n": [10, 20]}, "": 1}"#).unwrap();
        let v = doc.pointer("/a~1b/m~0n/1").unwrap();
        assert_eq!(v.as_number().unwrap().as_u64(), Some(20));
        assert!(doc.pointer("/").is_some());
        assert!(doc.pointer("/a~1b/m~0n/01").is_none());
        assert!(doc.pointer("/a~1b/m~0n/2").is_none());
        assert_eq!(escape_token("a/b~c"), "a~1b~0c");
    }
}
