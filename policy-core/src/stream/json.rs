//! JSON and NDJSON: a byte-level, resumable tokenizer that rewrites only redacted values.
//!
//! Structural bytes and whitespace are copied through as they arrive. A string, number or
//! literal is held until it is complete (strings wholly inside a chunk are processed in place,
//! without copying). Inside a container, the separator and key before a value (`, "key": `)
//! are held too, until the value is decided: a `remove` drops the whole member, and the comma
//! of the next kept member is dropped when nothing was written before it, so the output stays
//! valid JSON.

use alloc::string::String;
use alloc::vec::Vec;

use super::escape::{DecodeError, decode_json, escape_json};
use super::keycache::KeyTable;
use super::{Core, Location, RedactError, Scanner, control};
use crate::redact::Replacement;
use crate::remark::push_pointer_segment;
use crate::select::{FieldRule, Segment, normalize_key_into};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// A value is expected (top level, after `:`, after `,` in an array).
    Value,
    /// After `[`: a value or `]`.
    ValueOrEnd,
    /// After `{`: a key or `}`.
    KeyOrEnd,
    /// After `,` in an object: a key.
    Key,
    /// After a key: `:`.
    Colon,
    /// After a value in a container: `,` or the closing bracket.
    CommaOrEnd,
    /// After the top-level value.
    Done,
    /// Inside a string token (held in `tok`).
    Str { key: bool },
    /// Inside a number token.
    Num,
    /// Inside `true` / `false` / `null`.
    Lit,
}

struct Frame<'p, K> {
    obj: bool,
    /// Index of the current element (arrays).
    index: usize,
    /// Decoded key of the current member (objects).
    key: String,
    /// `key` normalized for field rules (only filled when a rule selects by key).
    norm: String,
    /// The field rule selecting `key` by name, when no rule selects by path.
    key_rule: Option<&'p FieldRule>,
    key_class: Option<K>,
    /// A field rule selecting this container (inherited by everything inside).
    field: Option<&'p FieldRule>,
    /// Whether anything was written inside this container (comma handling after removals).
    emitted_any: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Num,
}

pub(crate) struct JsonMachine<'p, K> {
    ndjson: bool,
    state: State,
    frames: Vec<Frame<'p, K>>,
    /// Held-back separator, whitespace and key of the current member or element.
    pending: Vec<u8>,
    holding: bool,
    /// Incomplete token across chunks.
    tok: Vec<u8>,
    tok_start: u64,
    tok_loc: Location,
    esc: bool,
    /// The current string token has neither escapes nor control characters (known from
    /// [`string_end`]; `false` when unknown).
    tok_plain: bool,
    text: String,
    map: Vec<u32>,
    /// Absolute offset of the current chunk's first byte.
    offset: u64,
    line: u64,
    line_start: u64,
    /// NDJSON: 0-based line index of the current record.
    record: u64,
    /// Classified keys of this body (bounded: short keys, limited entries).
    key_cache: KeyTable<K>,
    /// Scratch buffer for a key's normalized form.
    norm: String,
    /// Key buffers of closed containers, reused by the next ones.
    spare: Vec<(String, String)>,
}

#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

#[inline]
fn is_num(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
}

/// Find the end (index after the closing quote) of a string whose content continues at
/// `from`; `esc` carries a pending backslash across chunks. `plain` is cleared when the
/// content up to the end holds a backslash or a control character (so it needs decoding or
/// an error); it is left alone otherwise.
#[inline]
fn string_end(chunk: &[u8], from: usize, esc: &mut bool, plain: &mut bool) -> Option<usize> {
    let mut i = from;
    loop {
        if *esc {
            chunk.get(i)?;
            *esc = false;
            i += 1;
        }
        i += special_byte(chunk.get(i..)?)?;
        match chunk.get(i) {
            Some(b'"') => return Some(i + 1),
            Some(b'\\') => {
                *plain = false;
                *esc = true;
                i += 1;
            }
            Some(_) => {
                // A control character: not the end, but the string is not plain.
                *plain = false;
                i += 1;
            }
            None => return None,
        }
    }
}

/// Offset of the first `"`, `\\` or control character (below 0x20) in `s`, eight bytes at a
/// time (strings are mostly plain text between their quotes).
#[inline]
fn special_byte(s: &[u8]) -> Option<usize> {
    let mut words = s.chunks_exact(8);
    let mut base = 0usize;
    for w in words.by_ref() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(w);
        let m = specials(u64::from_le_bytes(bytes));
        if m != 0 {
            return Some(base + (m.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    // The last partial word, padded with spaces (never special), instead of a byte loop.
    let rest = words.remainder();
    let mut bytes = [b' '; 8];
    bytes.get_mut(..rest.len())?.copy_from_slice(rest);
    let m = specials(u64::from_le_bytes(bytes));
    (m != 0).then(|| base + (m.trailing_zeros() / 8) as usize)
}

/// The high bit of each byte of `w` (little-endian) that may be `"`, `\\` or below 0x20.
/// Bits above the lowest one can be false alarms (a borrow carries upward), but the lowest
/// set bit always marks a real one, which is all [`special_byte`] uses.
#[inline]
fn specials(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_byte = |b: u8| {
        let x = w ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    has_byte(b'"') | has_byte(b'\\') | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS)
}

fn valid_number(n: &[u8]) -> bool {
    let mut i = usize::from(n.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let s = *i;
        while n.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > s
    };
    if n.get(i) == Some(&b'0') {
        i += 1;
    } else if !digits(&mut i) {
        return false;
    }
    if n.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(n.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(n.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == n.len()
}

impl<'p, K: Clone> JsonMachine<'p, K> {
    pub(crate) fn new(ndjson: bool) -> Self {
        Self {
            ndjson,
            state: State::Value,
            frames: Vec::new(),
            // A member prefix (`, "key": `) is held per member: room for a typical one up
            // front instead of growing from empty in every body.
            pending: Vec::with_capacity(64),
            holding: false,
            tok: Vec::new(),
            tok_start: 0,
            tok_loc: Location {
                line: 1,
                column: 1,
                offset: 0,
            },
            esc: false,
            tok_plain: false,
            text: String::new(),
            map: Vec::new(),
            offset: 0,
            line: 1,
            line_start: 0,
            record: 0,
            key_cache: KeyTable::new(),
            norm: String::new(),
            spare: Vec::new(),
        }
    }

    /// Exchanges this body's key table with `other` (a table lent for one call).
    pub(crate) fn swap_keys(&mut self, other: &mut KeyTable<K>) {
        core::mem::swap(&mut self.key_cache, other);
    }

    fn loc(&self, abs: u64) -> Location {
        Location {
            line: self.line,
            column: abs.saturating_sub(self.line_start) + 1,
            offset: abs,
        }
    }

    fn malformed(&self, abs: u64, message: &'static str) -> RedactError {
        RedactError::Malformed {
            at: self.loc(abs),
            message,
        }
    }

    /// Write one whitespace or `:` byte, or hold it with the member prefix.
    #[inline]
    fn emit(
        &mut self,
        b: u8,
        out: &mut Vec<u8>,
        limit: usize,
        abs: u64,
    ) -> Result<(), RedactError> {
        if self.holding {
            self.pending.push(b);
            if self.pending.len() > limit {
                return Err(RedactError::TokenTooLarge { offset: abs, limit });
            }
        } else {
            out.push(b);
        }
        Ok(())
    }

    /// Write the held member prefix; drop its comma if nothing was written before it.
    fn flush_pending(&mut self, out: &mut Vec<u8>) {
        if !self.holding {
            return;
        }
        let first = self.frames.last().is_some_and(|f| !f.emitted_any);
        let skip = usize::from(first && self.pending.first() == Some(&b','));
        out.extend_from_slice(self.pending.get(skip..).unwrap_or(&[]));
        self.pending.clear();
        self.holding = false;
        if let Some(f) = self.frames.last_mut() {
            f.emitted_any = true;
        }
    }

    fn after_value(&mut self) {
        self.state = if self.frames.is_empty() {
            State::Done
        } else {
            State::CommaOrEnd
        };
    }

    fn inherited_field(&self) -> Option<&'p FieldRule> {
        self.frames.iter().rev().find_map(|f| f.field)
    }

    /// Evaluate field rules for the value at the current position.
    fn eval_field(&self, rules: &'p crate::select::FieldRules) -> Option<&'p FieldRule> {
        if rules.is_empty() {
            return None;
        }
        let key = self
            .frames
            .last()
            .filter(|f| f.obj)
            .map(|f| f.norm.as_str());
        if !rules.uses_paths() {
            // Decided once per key in `finish_key`.
            return self
                .frames
                .last()
                .filter(|f| f.obj)
                .and_then(|f| f.key_rule);
        }
        let path: Vec<Segment<'_>> = self
            .frames
            .iter()
            .map(|f| {
                if f.obj {
                    Segment::Key(&f.key)
                } else {
                    Segment::Index(f.index)
                }
            })
            .collect();
        rules.find(&path, key)
    }

    fn nearest_key_class(&self) -> Option<&K> {
        self.frames
            .iter()
            .rev()
            .find(|f| f.obj)
            .and_then(|f| f.key_class.as_ref())
    }

    fn pointer(&self) -> String {
        let mut p = String::with_capacity(64);
        let mut num = itoa_buf();
        if self.ndjson {
            push_pointer_segment(&mut p, fmt_u64(&mut num, self.record));
        }
        for f in &self.frames {
            if f.obj {
                push_pointer_segment(&mut p, &f.key);
            } else {
                push_pointer_segment(&mut p, fmt_u64(&mut num, f.index as u64));
            }
        }
        p
    }

    pub(crate) fn push<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        chunk: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), RedactError> {
        let limit = core.limits.max_token_bytes;
        // Validate the chunk once: strings wholly inside it then need no check of their own.
        // A chunk boundary may split a character: its valid prefix still counts.
        let chunk_str = match core::str::from_utf8(chunk) {
            Ok(c) => Some(c),
            Err(e) => chunk
                .get(..e.valid_up_to())
                .and_then(|p| core::str::from_utf8(p).ok()),
        };
        let mut i = 0usize;
        while i < chunk.len() {
            let abs = self.offset + i as u64;
            match self.state {
                State::Str { key } => {
                    // Strings split across chunks are decoded the careful way.
                    self.tok_plain = false;
                    let end = string_end(chunk, i, &mut self.esc, &mut self.tok_plain);
                    let stop = end.unwrap_or(chunk.len());
                    self.tok
                        .extend_from_slice(chunk.get(i..stop).unwrap_or(&[]));
                    if self.tok.len() > limit {
                        return Err(RedactError::TokenTooLarge {
                            offset: self.tok_start,
                            limit,
                        });
                    }
                    i = stop;
                    if end.is_some() {
                        let raw = core::mem::take(&mut self.tok);
                        let r = self.finish_token(core, &raw, None, Some(key), out);
                        self.tok = raw;
                        self.tok.clear();
                        r?;
                    }
                }
                State::Num | State::Lit => {
                    let rest = chunk.get(i..).unwrap_or(&[]);
                    let n = rest
                        .iter()
                        .position(|&b| {
                            if self.state == State::Num {
                                !is_num(b)
                            } else {
                                !b.is_ascii_lowercase()
                            }
                        })
                        .unwrap_or(rest.len());
                    if i + n < chunk.len() && self.tok.is_empty() {
                        // The whole token is inside this chunk (it started here and its end
                        // byte is here): borrow it instead of copying it into `tok`. Same
                        // length check and same bytes as the copying path below.
                        let raw = rest.get(..n).unwrap_or(&[]);
                        if raw.len() > limit {
                            return Err(RedactError::TokenTooLarge {
                                offset: self.tok_start,
                                limit,
                            });
                        }
                        i += n;
                        self.finish_token(core, raw, None, None, out)?;
                        continue;
                    }
                    self.tok.extend_from_slice(rest.get(..n).unwrap_or(&[]));
                    if self.tok.len() > limit {
                        return Err(RedactError::TokenTooLarge {
                            offset: self.tok_start,
                            limit,
                        });
                    }
                    i += n;
                    if i < chunk.len() {
                        let raw = core::mem::take(&mut self.tok);
                        let r = self.finish_token(core, &raw, None, None, out);
                        self.tok = raw;
                        self.tok.clear();
                        r?;
                    }
                }
                _ => {
                    let Some(&b) = chunk.get(i) else { break };
                    if is_ws(b) {
                        self.emit(b, out, limit, abs)?;
                        if b == b'\n' {
                            self.line += 1;
                            self.line_start = abs + 1;
                            if self.ndjson && self.state == State::Done {
                                self.state = State::Value;
                            }
                        }
                        i += 1;
                        continue;
                    }
                    i = self.structural(core, chunk, chunk_str, i, abs, out)?;
                }
            }
        }
        self.offset += chunk.len() as u64;
        Ok(())
    }

    /// Handle a non-whitespace byte outside a token; returns the next index.
    fn structural<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        chunk: &[u8],
        chunk_str: Option<&str>,
        i: usize,
        abs: u64,
        out: &mut Vec<u8>,
    ) -> Result<usize, RedactError> {
        let limit = core.limits.max_token_bytes;
        let b = chunk.get(i).copied().unwrap_or(0);
        let top_obj = self.frames.last().map(|f| f.obj);
        match (self.state, b) {
            (State::KeyOrEnd | State::Key, b'"') | (State::Value | State::ValueOrEnd, b'"') => {
                let key = matches!(self.state, State::KeyOrEnd | State::Key);
                self.start_token(abs);
                self.esc = false;
                self.tok_plain = true;
                match string_end(chunk, i + 1, &mut self.esc, &mut self.tok_plain) {
                    Some(end) => {
                        let raw = chunk.get(i..end).unwrap_or(&[]);
                        if raw.len() > limit {
                            return Err(RedactError::TokenTooLarge { offset: abs, limit });
                        }
                        // The quotes are ASCII, so `i + 1..end - 1` are character boundaries.
                        let text = chunk_str.and_then(|c| c.get(i + 1..end.saturating_sub(1)));
                        self.finish_token(core, raw, text, Some(key), out)?;
                        Ok(end)
                    }
                    None => {
                        self.tok.clear();
                        self.tok.extend_from_slice(chunk.get(i..).unwrap_or(&[]));
                        if self.tok.len() > limit {
                            return Err(RedactError::TokenTooLarge { offset: abs, limit });
                        }
                        self.state = State::Str { key };
                        Ok(chunk.len())
                    }
                }
            }
            (State::Value | State::ValueOrEnd, b'-' | b'0'..=b'9') => {
                self.start_token(abs);
                self.tok.clear();
                self.state = State::Num;
                Ok(i)
            }
            (State::Value | State::ValueOrEnd, b't' | b'f' | b'n') => {
                self.start_token(abs);
                self.tok.clear();
                self.state = State::Lit;
                Ok(i)
            }
            (State::Value | State::ValueOrEnd, b'{' | b'[') => {
                if self.frames.len() >= core.limits.max_depth {
                    return Err(RedactError::TooDeep {
                        at: self.loc(abs),
                        limit: core.limits.max_depth,
                    });
                }
                if self.frames.is_empty() {
                    self.record = self.line - 1;
                }
                let field = self
                    .inherited_field()
                    .or_else(|| self.eval_field(core.fields));
                self.flush_pending(out);
                out.push(b);
                let (mut key, mut norm) = self.spare.pop().unwrap_or_default();
                key.clear();
                norm.clear();
                self.frames.push(Frame {
                    obj: b == b'{',
                    index: 0,
                    key,
                    norm,
                    key_rule: None,
                    key_class: None,
                    field,
                    emitted_any: false,
                });
                self.holding = true;
                self.pending.clear();
                self.state = if b == b'{' {
                    State::KeyOrEnd
                } else {
                    State::ValueOrEnd
                };
                Ok(i + 1)
            }
            (State::KeyOrEnd | State::CommaOrEnd, b'}') if top_obj == Some(true) => {
                self.close(b, out);
                Ok(i + 1)
            }
            (State::ValueOrEnd | State::CommaOrEnd, b']') if top_obj == Some(false) => {
                self.close(b, out);
                Ok(i + 1)
            }
            (State::CommaOrEnd, b',') => {
                if let Some(f) = self.frames.last_mut().filter(|f| !f.obj) {
                    f.index += 1;
                }
                self.holding = true;
                self.pending.clear();
                self.pending.push(b',');
                self.state = if top_obj == Some(true) {
                    State::Key
                } else {
                    State::Value
                };
                Ok(i + 1)
            }
            (State::Colon, b':') => {
                self.emit(b':', out, limit, abs)?;
                self.state = State::Value;
                Ok(i + 1)
            }
            (state, _) => Err(self.malformed(
                abs,
                match state {
                    State::KeyOrEnd => "expected a key string or `}`",
                    State::Key => "expected a key string after `,`",
                    State::Colon => "expected `:` after an object key",
                    State::CommaOrEnd if top_obj == Some(true) => {
                        "expected `,` or `}` after a member"
                    }
                    State::CommaOrEnd => "expected `,` or `]` after an element",
                    State::Done if self.ndjson => "expected a newline after an ndjson record",
                    State::Done => "unexpected data after the top-level value",
                    _ => "expected a value",
                },
            )),
        }
    }

    fn start_token(&mut self, abs: u64) {
        self.tok_start = abs;
        self.tok_loc = self.loc(abs);
        if self.frames.is_empty() {
            self.record = self.line - 1;
        }
    }

    fn close(&mut self, b: u8, out: &mut Vec<u8>) {
        if self.holding {
            // Only whitespace is held here (after `{` or `[`); write it as it was.
            out.extend_from_slice(&self.pending);
            self.pending.clear();
            self.holding = false;
        }
        out.push(b);
        if let Some(f) = self.frames.pop() {
            self.spare.push((f.key, f.norm));
        }
        if let Some(f) = self.frames.last_mut() {
            f.emitted_any = true;
        }
        self.after_value();
    }

    /// A complete token: a string (`Some(is_key)`) or a number / literal (`None`).
    /// `text` is a string's content between the quotes when it is known to be UTF-8.
    fn finish_token<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        raw: &[u8],
        text: Option<&str>,
        string_key: Option<bool>,
        out: &mut Vec<u8>,
    ) -> Result<(), RedactError> {
        match string_key {
            Some(true) => self.finish_key(core, raw, text),
            Some(false) => self.finish_scalar(core, raw, text, Kind::Str, out),
            None if self.state == State::Lit => {
                if !matches!(raw, b"true" | b"false" | b"null") {
                    return Err(RedactError::Malformed {
                        at: self.tok_loc,
                        message: "expected `true`, `false` or `null`",
                    });
                }
                self.flush_pending(out);
                out.extend_from_slice(raw);
                self.after_value();
                Ok(())
            }
            None => {
                if !valid_number(raw) {
                    return Err(RedactError::Malformed {
                        at: self.tok_loc,
                        message: "invalid number",
                    });
                }
                self.finish_scalar(core, raw, None, Kind::Num, out)
            }
        }
    }

    /// Where the current token is, for errors while decoding it.
    fn tok(&self) -> Tok {
        Tok {
            loc: self.tok_loc,
            start: self.tok_start,
            plain: self.tok_plain,
        }
    }

    fn decode<'t>(
        &self,
        content: &'t [u8],
        valid: Option<&'t str>,
        text: &'t mut String,
        map: &mut Vec<u32>,
    ) -> Result<&'t str, RedactError> {
        decode(self.tok(), content, valid, text, map)
    }

    fn finish_key<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        raw: &[u8],
        valid: Option<&str>,
    ) -> Result<(), RedactError> {
        let content = raw.get(1..raw.len().saturating_sub(1)).unwrap_or(&[]);
        let tok = self.tok();
        // Disjoint fields are borrowed directly: no buffer is moved out and back per key.
        let s = decode(tok, content, valid, &mut self.text, &mut self.map)?;
        let frame = self.frames.last_mut();
        // Records in an array repeat their keys, and bodies of one API too: classify and
        // normalize each distinct short key once (per body, or per lent `KeyCache`).
        let (class, rule) = if let Some(info) = self.key_cache.get(s) {
            if let Some(f) = frame {
                set_key(&mut f.key, s);
                set_key(&mut f.norm, self.key_cache.norm(info));
            }
            (info.class.clone(), info.rule)
        } else {
            let class = core.scanner.classify_key(s);
            let scratch = &mut self.norm;
            scratch.clear();
            if core.fields.uses_keys() {
                normalize_key_into(s, scratch);
            }
            let rule = match core.fields.uses_paths() {
                false => core.fields.position(&[], Some(scratch.as_str())),
                true => None,
            };
            self.key_cache.insert(s, class.clone(), scratch, rule);
            if let Some(f) = frame {
                set_key(&mut f.key, s);
                set_key(&mut f.norm, scratch);
            }
            (class, rule)
        };
        if let Some(f) = self.frames.last_mut() {
            f.key_class = Some(class);
            f.key_rule = rule.and_then(|i| core.fields.get(i));
        }
        self.pending.extend_from_slice(raw);
        if self.pending.len() > core.limits.max_token_bytes {
            return Err(RedactError::TokenTooLarge {
                offset: self.tok_start,
                limit: core.limits.max_token_bytes,
            });
        }
        self.state = State::Colon;
        Ok(())
    }

    fn finish_scalar<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        raw: &[u8],
        valid: Option<&str>,
        kind: Kind,
        out: &mut Vec<u8>,
    ) -> Result<(), RedactError> {
        let content = match kind {
            Kind::Str => raw.get(1..raw.len().saturating_sub(1)).unwrap_or(&[]),
            Kind::Num => raw,
        };
        let mut text = core::mem::take(&mut self.text);
        let mut map = core::mem::take(&mut self.map);
        let content = (content, valid);
        let result = self.rewrite_scalar(core, raw, content, kind, &mut text, &mut map, out);
        self.text = text;
        self.map = map;
        result?;
        self.after_value();
        Ok(())
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "scratch buffers are passed in to reuse their capacity"
    )]
    fn rewrite_scalar<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        raw: &[u8],
        (content, valid): (&[u8], Option<&str>),
        kind: Kind,
        text: &mut String,
        map: &mut Vec<u32>,
        out: &mut Vec<u8>,
    ) -> Result<(), RedactError> {
        let decoded = match kind {
            Kind::Str => self.decode(content, valid, text, map)?,
            Kind::Num => {
                map.clear();
                core::str::from_utf8(content)
                    .map_err(|_| RedactError::InvalidUtf8 { at: self.tok_loc })?
            }
        };
        let field = self
            .inherited_field()
            .or_else(|| self.eval_field(core.fields));
        let key = self.nearest_key_class();
        let ctl = control(core.scanner, field, key);
        core.decide(decoded, key, ctl)?;

        let pos = |d: usize| -> usize {
            if map.is_empty() {
                d
            } else {
                map.get(d).map_or(content.len(), |&v| v as usize)
            }
        };
        let content_abs = self.tok_start + u64::from(kind == Kind::Str);
        let edits = &core.edits;
        if edits.is_empty() {
            self.flush_pending(out);
            out.extend_from_slice(raw);
            return Ok(());
        }
        let whole = match edits.as_slice() {
            [e] if e.whole => Some(&e.repl),
            _ => None,
        };
        match whole {
            Some(Replacement::Remove) if !self.frames.is_empty() => {
                self.pending.clear();
                self.holding = false;
            }
            Some(Replacement::Remove | Replacement::Null) => {
                self.flush_pending(out);
                out.extend_from_slice(b"null");
            }
            Some(Replacement::Text(t)) => {
                self.flush_pending(out);
                out.push(b'"');
                escape_json(t, out);
                out.push(b'"');
            }
            Some(Replacement::Keep) => {
                self.flush_pending(out);
                out.extend_from_slice(raw);
            }
            None if edits.iter().all(|e| e.repl == Replacement::Keep) => {
                self.flush_pending(out);
                out.extend_from_slice(raw);
            }
            None => {
                self.flush_pending(out);
                out.push(b'"');
                let mut cursor = 0usize;
                for e in edits {
                    out.extend_from_slice(content.get(pos(cursor)..pos(e.start)).unwrap_or(&[]));
                    match &e.repl {
                        Replacement::Text(t) => escape_json(t, out),
                        Replacement::Keep => {
                            out.extend_from_slice(
                                content.get(pos(e.start)..pos(e.end)).unwrap_or(&[]),
                            );
                        }
                        Replacement::Remove | Replacement::Null => {}
                    }
                    cursor = e.end;
                }
                out.extend_from_slice(content.get(pos(cursor)..).unwrap_or(&[]));
                out.push(b'"');
            }
        }
        let pointer = self.pointer();
        core.record_owned(Some(pointer), |s, e| {
            [content_abs + pos(s) as u64, content_abs + pos(e) as u64]
        });
        Ok(())
    }

    pub(crate) fn finish<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        out: &mut Vec<u8>,
    ) -> Result<(), RedactError> {
        match self.state {
            State::Str { .. } => return Err(RedactError::Truncated { at: self.tok_loc }),
            State::Num | State::Lit => {
                let raw = core::mem::take(&mut self.tok);
                self.finish_token(core, &raw, None, None, out)?;
            }
            _ => {}
        }
        if !self.frames.is_empty() || !matches!(self.state, State::Done | State::Value) {
            return Err(RedactError::Truncated {
                at: self.loc(self.offset),
            });
        }
        self.flush_pending(out);
        Ok(())
    }
}

/// Where a string token is and what `string_end` learnt about it.
#[derive(Clone, Copy)]
struct Tok {
    loc: Location,
    start: u64,
    /// Neither escapes nor control characters (`false`: unknown).
    plain: bool,
}

/// The decoded content of a string token (`valid`: the content when known to be UTF-8);
/// `map` is filled when decoding moved bytes (escapes), else left empty.
#[inline]
fn decode<'t>(
    tok: Tok,
    content: &'t [u8],
    valid: Option<&'t str>,
    text: &'t mut String,
    map: &mut Vec<u32>,
) -> Result<&'t str, RedactError> {
    let bad = |off: usize, message| RedactError::Malformed {
        at: Location {
            line: tok.loc.line,
            column: tok.loc.column + 1 + off as u64,
            offset: tok.start + 1 + off as u64,
        },
        message,
    };
    // Most strings have neither escapes nor control characters: `string_end` saw that
    // while looking for the closing quote (`tok_plain`), else one pass says so.
    if let (true, Some(s)) = (tok.plain, valid) {
        map.clear();
        return Ok(s);
    }
    if !content.iter().any(|&b| b < 0x20 || b == b'\\') {
        map.clear();
        if let Some(s) = valid {
            return Ok(s);
        }
        return core::str::from_utf8(content).map_err(|_| RedactError::InvalidUtf8 { at: tok.loc });
    }
    if content.contains(&b'\\') {
        match decode_json(content, text, map) {
            Ok(()) => Ok(text.as_str()),
            Err(DecodeError::BadEscape(o)) => Err(bad(o, "invalid escape in string")),
            Err(DecodeError::Control(o)) => Err(bad(o, "control character in string (escape it)")),
            Err(DecodeError::Utf8) => Err(RedactError::InvalidUtf8 { at: tok.loc }),
        }
    } else {
        map.clear();
        if let Some(o) = content.iter().position(|&b| b < 0x20) {
            return Err(bad(o, "control character in string (escape it)"));
        }
        core::str::from_utf8(content).map_err(|_| RedactError::InvalidUtf8 { at: tok.loc })
    }
}

/// Replace a frame's key buffer with `s`. A new frame's buffers start empty: the first key
/// reserves room for typical keys at once, so later (longer) keys of the same container do
/// not grow it again step by step.
#[inline]
fn set_key(dst: &mut String, s: &str) {
    dst.clear();
    if dst.capacity() < s.len() {
        dst.reserve(s.len().max(32));
    }
    dst.push_str(s);
}

/// A small buffer for formatting integers without `format!`.
#[inline]
fn itoa_buf() -> [u8; 20] {
    [0u8; 20]
}

#[inline]
fn fmt_u64(buf: &mut [u8; 20], mut v: u64) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (v % 10) as u8;
        }
        v /= 10;
        if v == 0 || i == 0 {
            break;
        }
    }
    core::str::from_utf8(buf.get(i..).unwrap_or(&[])).unwrap_or("0")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-at-a-time definition `string_end` must agree with.
    fn reference(chunk: &[u8], from: usize, esc: &mut bool) -> Option<usize> {
        for (i, &b) in chunk.get(from..)?.iter().enumerate() {
            if *esc {
                *esc = false;
            } else if b == b'\\' {
                *esc = true;
            } else if b == b'"' {
                return Some(from + i + 1);
            }
        }
        None
    }

    #[test]
    fn string_end_finds_the_closing_quote_across_escapes_and_chunk_ends() {
        let cases: [&[u8]; 13] = [
            b"\x00\x01\x02 \x1f\x1e\"\\\x05 borrow chains \x7f\x80\xff\x1f\"",
            b"\xe4\xb8\xad\x22\x5c\x20\x21\x1f\xe4\xb8\xad\x22",
            b"tab\there and a longer tail\" x",
            b"0123456\x01\" newline at 7",
            b"\x1f\x20\x7f\x80 high and low bytes\"",
            br#"plain text that is longer than eight bytes" rest"#,
            br#"a\"b\\" tail"#,
            br#"ends with a backslash \"#,
            br#"\\\\\\\\\\\\\\\\\\""#,
            "中文字符串，没有引号".as_bytes(),
            br#"""#,
            b"",
            br#"0123456\"89abcdef0123456"x"#,
        ];
        for case in cases {
            for from in 0..=case.len() {
                for start_esc in [false, true] {
                    let (mut a, mut b) = (start_esc, start_esc);
                    let mut plain = true;
                    let end = string_end(case, from, &mut a, &mut plain);
                    assert_eq!(end, reference(case, from, &mut b), "{case:?} from {from}");
                    assert_eq!(a, b, "escape state for {case:?} from {from}");
                    // Plain exactly when the scanned content has no backslash or control.
                    let scanned = case.get(from..end.map_or(case.len(), |e| e - 1)).unwrap();
                    let special = scanned.iter().any(|&b| b == b'\\' || b < 0x20);
                    if end.is_some() && !start_esc {
                        assert_eq!(plain, !special, "plain for {case:?} from {from}");
                    }
                }
            }
        }
    }
}
