//! The recursive-descent reader behind [`parse`].

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;
use core::fmt;

use super::value::{Member, Number, Span, Value, ValueKind};

/// Deepest nesting of arrays and objects [`parse`] accepts. Deeper input is refused rather
/// than risking the stack of a proxy-wasm VM.
pub const MAX_DEPTH: usize = 64;

/// Why a text is not acceptable JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    message: String,
    help: String,
    offset: usize,
    line: u32,
    column: u32,
}

impl ParseError {
    /// What went wrong, lowercase, e.g. ``expected `,` or `}` after an object member``.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// A hint at how to fix it.
    pub fn help(&self) -> &str {
        &self.help
    }

    /// Byte offset of the problem.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// 1-based line of the problem.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// 1-based column (in characters) of the problem.
    pub fn column(&self) -> u32 {
        self.column
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}:{}", self.message, self.line, self.column)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ParseError {}

/// Reads JSON text into a tree that remembers where every value and key is.
///
/// Refuses duplicate keys in an object, nesting deeper than [`MAX_DEPTH`], and anything
/// RFC 8259 refuses (trailing commas, comments, single quotes, leading zeros, lone
/// surrogates). A leading UTF-8 byte order mark is skipped.
///
/// ```
/// let err = scrim_core::json::parse("{\"a\": 1\n \"b\": 2}").unwrap_err();
/// assert_eq!(err.to_string(), "expected `,` or `}` after an object member at 2:2");
/// ```
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
        line_start: 0,
        last_column: Cell::new((0, 1)),
    };
    if text.starts_with('\u{feff}') {
        p.pos = 3;
        p.line_start = 3;
    }
    p.skip_ws();
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.error(
            "unexpected text after the end of the document",
            "a bundle is one JSON object: remove what follows its closing `}`",
        ));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    line_start: usize,
    /// The last `(byte position, column)` computed: columns are counted on from there, so a
    /// long line (a minified document is one line) is not re-counted from its start for every
    /// value, which made parsing quadratic in the line's length.
    last_column: Cell<(usize, u32)>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn column_at(&self, pos: usize) -> u32 {
        let (last_pos, last_column) = self.last_column.get();
        let (from, column) = if (self.line_start..=pos).contains(&last_pos) {
            (last_pos, last_column)
        } else {
            (self.line_start, 1)
        };
        let chars = self.text.get(from..pos).map_or(0, |s| s.chars().count());
        let column = u32::try_from(chars)
            .unwrap_or(u32::MAX)
            .saturating_add(column);
        self.last_column.set((pos, column));
        column
    }

    fn here(&self) -> Span {
        Span {
            start: self.pos,
            end: self.pos,
            line: self.line,
            column: self.column_at(self.pos),
        }
    }

    fn error(&self, message: &str, help: &str) -> ParseError {
        let at = self.here();
        ParseError {
            message: String::from(message),
            help: String::from(help),
            offset: at.start,
            line: at.line,
            column: at.column,
        }
    }

    fn found(&self) -> String {
        match self
            .text
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
        {
            None => String::from("the end of the file"),
            Some(c) => format!("`{c}`"),
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line = self.line.saturating_add(1);
                    self.line_start = self.pos;
                }
                _ => break,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        let start = self.here();
        let kind = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => ValueKind::String(self.string()?),
            Some(b't') => self.literal("true", ValueKind::Bool(true))?,
            Some(b'f') => self.literal("false", ValueKind::Bool(false))?,
            Some(b'n') => self.literal("null", ValueKind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b'\'') => {
                return Err(self.error(
                    "expected a value, found `'`",
                    "JSON strings use double quotes: \"like this\"",
                ));
            }
            Some(b'/') => {
                return Err(self.error(
                    "expected a value, found `/`",
                    "JSON has no comments: remove the comment or move it into a `description`",
                ));
            }
            _ => {
                let msg = format!("expected a value, found {}", self.found());
                return Err(self.error(
                    &msg,
                    "a value is a string, number, object, array, `true`, `false` or `null`",
                ));
            }
        };
        Ok(Value {
            kind,
            span: Span {
                end: self.pos,
                ..start
            },
        })
    }

    fn literal(&mut self, word: &str, kind: ValueKind) -> Result<ValueKind, ParseError> {
        if self
            .bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word.as_bytes()))
        {
            self.pos += word.len();
            Ok(kind)
        } else {
            let msg = format!("expected `{word}`, found {}", self.found());
            Err(self.error(
                &msg,
                "literals are lowercase `true`, `false` and `null`; text needs double quotes",
            ))
        }
    }

    fn digits(&mut self) -> usize {
        let from = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - from
    }

    fn number(&mut self) -> Result<ValueKind, ParseError> {
        let from = self.pos;
        const HELP: &str = "numbers are written like `12`, `-3`, `0.5` or `1e3`";
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
            if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.error("leading zeros are not allowed in numbers", HELP));
            }
        } else if self.digits() == 0 {
            return Err(self.error("expected a digit", HELP));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("expected a digit after `.`", HELP));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("expected a digit in the exponent", HELP));
            }
        }
        let text = self.text.get(from..self.pos).unwrap_or("0");
        Ok(ValueKind::Number(Number::new(String::from(text))))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = self
                .peek()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or_else(|| {
                    self.error(
                        "expected 4 hex digits after `\\u`",
                        "write a character as `\\u00e9` or type it directly",
                    )
                })?;
            v = v * 16 + d;
            self.pos += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let open = self.here();
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(ParseError {
                    message: String::from("unterminated string"),
                    help: String::from("add the closing `\"`"),
                    offset: open.start,
                    line: open.line,
                    column: open.column,
                });
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let esc = self.peek();
                    self.pos += 1;
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                                    return Err(self.error(
                                        "unpaired surrogate in `\\u` escape",
                                        "a character above U+FFFF is written as two escapes, `\\ud83d\\ude00`",
                                    ));
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.error(
                                        "unpaired surrogate in `\\u` escape",
                                        "a character above U+FFFF is written as two escapes, `\\ud83d\\ude00`",
                                    ));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(code) {
                                Some(c) => out.push(c),
                                None => {
                                    return Err(self.error(
                                        "unpaired surrogate in `\\u` escape",
                                        "a character above U+FFFF is written as two escapes, `\\ud83d\\ude00`",
                                    ));
                                }
                            }
                        }
                        _ => {
                            self.pos -= 1;
                            return Err(self.error(
                                "invalid escape in string",
                                "valid escapes are `\\\"` `\\\\` `\\/` `\\b` `\\f` `\\n` `\\r` `\\t` `\\uXXXX`",
                            ));
                        }
                    }
                }
                0x00..=0x1F => {
                    return Err(self.error(
                        "control character in string",
                        "write a line break as `\\n` and a tab as `\\t`",
                    ));
                }
                _ => {
                    // Copy a run of plain characters at once.
                    let from = self.pos;
                    while self
                        .peek()
                        .is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20)
                    {
                        self.pos += 1;
                    }
                    out.push_str(self.text.get(from..self.pos).unwrap_or(""));
                }
            }
        }
    }

    fn enter(&self, depth: usize) -> Result<usize, ParseError> {
        if depth >= MAX_DEPTH {
            let msg = format!("nesting deeper than {MAX_DEPTH} levels");
            return Err(self.error(&msg, "a bundle never needs this much nesting"));
        }
        Ok(depth + 1)
    }

    fn array(&mut self, depth: usize) -> Result<ValueKind, ParseError> {
        let depth = self.enter(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(ValueKind::Array(items));
        }
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') {
                return Err(self.error("trailing comma in array", "remove the `,` before `]`"));
            }
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(ValueKind::Array(items));
                }
                _ => {
                    let msg = format!(
                        "expected `,` or `]` after an array element, found {}",
                        self.found()
                    );
                    return Err(self.error(
                        &msg,
                        "separate elements with `,` and close the array with `]`",
                    ));
                }
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<ValueKind, ParseError> {
        let depth = self.enter(depth)?;
        self.pos += 1;
        let mut members: Vec<Member> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(ValueKind::Object(members));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') if !members.is_empty() => {
                    return Err(self.error("trailing comma in object", "remove the `,` before `}`"));
                }
                _ => {
                    let msg = format!("expected a `\"` to start a key, found {}", self.found());
                    return Err(self.error(&msg, "object keys are strings in double quotes"));
                }
            }
            let key_start = self.here();
            let key = self.string()?;
            let key_span = Span {
                end: self.pos,
                ..key_start
            };
            if let Some(first) = members.iter().find(|m| m.key == key) {
                let msg = format!(
                    "duplicate key `{key}` (first at {}:{})",
                    first.key_span.line, first.key_span.column
                );
                return Err(ParseError {
                    message: msg,
                    help: String::from(
                        "keep one of the two members: JSON readers disagree on which one wins",
                    ),
                    offset: key_span.start,
                    line: key_span.line,
                    column: key_span.column,
                });
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                let msg = format!("expected `:` after an object key, found {}", self.found());
                return Err(self.error(&msg, "write members as `\"key\": value`"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(ValueKind::Object(members));
                }
                _ => {
                    let found = self.found();
                    let msg = if found.starts_with("`\"") {
                        String::from("expected `,` or `}` after an object member")
                    } else {
                        format!("expected `,` or `}}` after an object member, found {found}")
                    };
                    return Err(self.error(
                        &msg,
                        "separate members with `,` and close the object with `}`",
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_know_their_line_and_column() {
        let doc = parse("{\n  \"name\": \"中文\",\n  \"n\": [1, -2.5e3, true, null]\n}").unwrap();
        let name = doc.member("name").unwrap();
        assert_eq!((name.key_span.line, name.key_span.column), (2, 3));
        assert_eq!((name.value.span.line, name.value.span.column), (2, 11));
        let n = doc.pointer("/n/1").unwrap();
        assert_eq!((n.span.line, n.span.column), (3, 12));
        assert_eq!(n.as_number().unwrap().as_f64(), -2500.0);
        // Columns count characters: the value after a CJK string.
        let doc = parse("{\"中文\": 1, \"b\": 2}").unwrap();
        assert_eq!(doc.member("b").unwrap().key_span.column, 11);
    }

    #[test]
    fn columns_on_one_long_line_count_every_character_once() {
        // A minified document is one line; columns are counted on from the previous value,
        // and must equal a count from the line's start.
        let mut text = String::from("[");
        for i in 0..2000 {
            text.push_str(if i % 3 == 0 { "\"名字\"," } else { "12," });
        }
        text.push_str("\n  \"x\", 7]");
        let doc = parse(&text).unwrap();
        let items = doc.as_array().unwrap();
        let line_one = text.lines().next().unwrap();
        for (i, item) in items.iter().enumerate().take(2000) {
            let col = line_one[..item.span.start].chars().count() as u32 + 1;
            assert_eq!((item.span.line, item.span.column), (1, col), "item {i}");
        }
        let last = items.last().unwrap();
        assert_eq!((last.span.line, last.span.column), (2, 8));
        let err = parse(&text.replace("7]", "7,]")).unwrap_err();
        assert_eq!((err.line, err.column), (2, 10));
    }

    #[test]
    fn malformed_json_says_what_was_expected_and_where() {
        let cases: &[(&str, &str, u32, u32)] = &[
            (
                "{\"a\": 1\n  \"b\": 2}",
                "expected `,` or `}` after an object member",
                2,
                3,
            ),
            ("{\"a\": 1,}", "trailing comma in object", 1, 9),
            ("[1, 2,]", "trailing comma in array", 1, 7),
            ("{\"a\": tru}", "expected `true`, found `t`", 1, 7),
            (
                "{\"a\": 01}",
                "leading zeros are not allowed in numbers",
                1,
                8,
            ),
            (
                "{\"a\" 1}",
                "expected `:` after an object key, found `1`",
                1,
                6,
            ),
            ("{\"a\": \"x}", "unterminated string", 1, 7),
            ("{a: 1}", "expected a `\"` to start a key, found `a`", 1, 2),
            (
                "{} x",
                "unexpected text after the end of the document",
                1,
                4,
            ),
            ("{\"a\": // c\n 1}", "expected a value, found `/`", 1, 7),
            ("", "expected a value, found the end of the file", 1, 1),
        ];
        for (text, message, line, column) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.message(), *message, "for {text:?}");
            assert_eq!((err.line(), err.column()), (*line, *column), "for {text:?}");
            assert!(!err.help().is_empty());
        }
    }

    #[test]
    fn duplicate_keys_are_refused_with_both_places() {
        let err = parse("{\"routes\": [],\n \"routes\": []}").unwrap_err();
        assert_eq!(err.message(), "duplicate key `routes` (first at 1:2)");
        assert_eq!((err.line(), err.column()), (2, 2));
    }

    #[test]
    fn escapes_and_surrogates_decode() {
        let doc = parse(r#"["a\"\\\/\n\u00e9\ud83d\ude00"]"#).unwrap();
        assert_eq!(doc.pointer("/0").unwrap().as_str(), Some("a\"\\/\né😀"));
        assert!(parse(r#"["\ud83d"]"#).is_err());
        assert!(parse("[\"a\tb\"]").is_err());
    }

    #[test]
    fn nesting_is_limited() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(
            parse(&deep)
                .unwrap_err()
                .message()
                .contains("nesting deeper than 64")
        );
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }
}

#[cfg(test)]
mod robustness {
    use super::*;

    /// Every truncation and every single-byte corruption of a real bundle is either read or
    /// refused with a location inside the text; none panics.
    #[test]
    fn truncated_and_corrupted_bundles_are_refused_with_a_location() {
        let text = include_str!("../../../policies/pipl-cn.json");
        let lines = u32::try_from(text.lines().count()).unwrap();
        for (end, _) in text.char_indices().step_by(7) {
            let prefix = &text[..end];
            let err = parse(prefix).unwrap_err();
            assert!(err.line() >= 1 && err.line() <= lines, "{end}: {err}");
            assert!(err.offset() <= end);
        }
        for (at, _) in text.char_indices().step_by(13) {
            for junk in ["\"", "}", ",", "\\", "\u{0}"] {
                let mut corrupted = String::from(&text[..at]);
                corrupted.push_str(junk);
                corrupted.push_str(&text[at..]);
                if let Err(err) = parse(&corrupted) {
                    assert!(err.line() >= 1 && err.column() >= 1);
                }
            }
        }
    }
}
