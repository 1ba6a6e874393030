//! JSON and NDJSON: a byte-level, resumable tokenizer that rewrites only redacted values.
//!
//! Input that passes unchanged (structural bytes, whitespace, kept tokens) is not copied byte
//! by byte: the machine remembers how far the output is written and writes the unchanged
//! span in one piece when something must differ (a rewritten or removed value) or the chunk
//! ends. A string, number or literal is held until it is complete (tokens wholly inside a
//! chunk are processed in place, without copying). Inside a container, the separator and key
//! before a value (`, "key": `) are held too, until the value is decided: a `remove` drops
//! the whole member, and the comma of the next kept member is dropped when nothing was
//! written before it, so the output stays valid JSON.

use alloc::string::String;
use alloc::vec::Vec;

use super::escape::{DecodeError, decode_json, escape_json, special_byte};
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
    /// The part of the held member prefix that arrived in earlier chunks (the rest is
    /// `chunk[hold_at..]`). Only non-empty when the prefix began in an earlier chunk.
    pending: Vec<u8>,
    /// A member prefix (separator, whitespace, key) is held until its value is decided.
    holding: bool,
    /// Index in the current chunk where the held prefix continues (valid while `holding`).
    hold_at: usize,
    /// Index in the current chunk up to which output is written (or dropped, or carried).
    /// Unchanged input between it and the current position is written as one span when
    /// something must differ, instead of byte by byte and token by token. While `pending`
    /// holds bytes, `copied == hold_at`: nothing of this chunk waits in front of them.
    copied: usize,
    /// Index in the current chunk where the unfinished token starts (0 when it started in an
    /// earlier chunk).
    tok_at: usize,
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
// Always inlined: the call (saved registers and all) cost as much as scanning a short
// string, and there are only two callers.
#[inline(always)]
fn string_end(chunk: &[u8], from: usize, esc: &mut bool, plain: &mut bool) -> Option<usize> {
    let mut i = from;
    if *esc {
        chunk.get(i)?;
        *esc = false;
        i += 1;
    }
    loop {
        i += special_byte(chunk.get(i..)?)?;
        match chunk.get(i) {
            Some(b'"') => return Some(i + 1),
            Some(b'\\') => {
                *plain = false;
                // The escaped byte (perhaps a quote) is skipped; at the chunk's end the
                // escape carries over to the next chunk.
                if chunk.get(i + 1).is_none() {
                    *esc = true;
                    return None;
                }
                i += 2;
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
            pending: Vec::new(),
            holding: false,
            hold_at: 0,
            copied: 0,
            tok_at: 0,
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

    /// Write the unchanged input from `copied` up to `to`.
    #[inline]
    fn flush_to(&mut self, chunk: &[u8], to: usize, out: &mut Vec<u8>) {
        if to > self.copied {
            out.extend_from_slice(chunk.get(self.copied..to).unwrap_or(&[]));
            self.copied = to;
        }
    }

    /// Length of the held member prefix if it ends at chunk index `to`.
    #[inline]
    fn held_len(&self, to: usize) -> usize {
        self.pending.len() + to.saturating_sub(self.hold_at)
    }

    /// The value after the held member prefix is written: so is the prefix, without its
    /// comma if nothing was written before it in this container. `value_at` is where the
    /// value starts in the chunk (0 when it started in an earlier chunk).
    fn release(&mut self, chunk: &[u8], value_at: usize, out: &mut Vec<u8>) {
        if !self.holding {
            return;
        }
        let first = self.frames.last().is_some_and(|f| !f.emitted_any);
        if !self.pending.is_empty() {
            // Nothing of this chunk was written yet (`copied == hold_at`): the earlier part
            // goes out now and the part in this chunk stays in the unchanged span.
            let skip = usize::from(first && self.pending.first() == Some(&b','));
            out.extend_from_slice(self.pending.get(skip..).unwrap_or(&[]));
            self.pending.clear();
        } else if first && self.hold_at < value_at && chunk.get(self.hold_at) == Some(&b',') {
            self.flush_to(chunk, self.hold_at, out);
            self.copied = self.hold_at + 1;
        }
        self.holding = false;
        if let Some(f) = self.frames.last_mut() {
            f.emitted_any = true;
        }
    }

    /// The token at `at` is written unchanged (with its held prefix).
    fn keep_token(&mut self, chunk: &[u8], raw: &[u8], at: At, out: &mut Vec<u8>) {
        self.release(chunk, at.start, out);
        if at.carried {
            // Its bytes in this chunk are in `raw` too: write them from there.
            out.extend_from_slice(raw);
            self.copied = at.end;
        }
    }

    /// Something else is written in place of the token at `at`: its held prefix and the
    /// input before it go out first; the caller writes the replacement.
    fn replace_token(&mut self, chunk: &[u8], at: At, out: &mut Vec<u8>) {
        self.release(chunk, at.start, out);
        self.flush_to(chunk, at.start, out);
        self.copied = at.end;
    }

    fn after_value(&mut self) {
        self.state = if self.frames.is_empty() {
            State::Done
        } else {
            State::CommaOrEnd
        };
    }

    /// The field rule selecting the current container: a frame's `field` is inherited
    /// from its parent when that has one (see `structural`), so the innermost frame's is
    /// the nearest one of all.
    fn inherited_field(&self) -> Option<&'p FieldRule> {
        self.frames.last().and_then(|f| f.field)
    }

    /// Evaluate field rules for the value at the current position.
    #[inline]
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
        if chunk.is_empty() {
            return Ok(());
        }
        // Validate the chunk once: strings wholly inside it then need no check of their own.
        // A chunk boundary may split a character: its valid prefix still counts.
        let chunk_str = match core::str::from_utf8(chunk) {
            Ok(c) => Some(c),
            Err(e) => chunk
                .get(..e.valid_up_to())
                .and_then(|p| core::str::from_utf8(p).ok()),
        };
        self.copied = 0;
        self.hold_at = 0;
        self.tok_at = 0;
        self.scan(core, chunk, chunk_str, out)?;
        // End of the chunk: the unchanged span goes out; the held prefix and an unfinished
        // token (already copied into `tok`) stay behind for the next chunk.
        let end = match self.state {
            State::Str { .. } | State::Num | State::Lit => self.tok_at,
            _ => chunk.len(),
        };
        if self.holding {
            self.flush_to(chunk, self.hold_at, out);
            let held = chunk.get(self.hold_at..end).unwrap_or(&[]);
            self.pending.extend_from_slice(held);
        } else {
            self.flush_to(chunk, end, out);
        }
        self.copied = 0;
        self.hold_at = 0;
        self.tok_at = 0;
        self.offset += chunk.len() as u64;
        Ok(())
    }

    /// Run the machine over `chunk`. Bytes that pass unchanged are not written here: they
    /// stay in the span after `copied`, which the writers of anything else flush first.
    fn scan<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        chunk: &[u8],
        chunk_str: Option<&str>,
        out: &mut Vec<u8>,
    ) -> Result<(), RedactError> {
        let limit = core.limits.max_token_bytes;
        let mut i = self.continue_token(core, chunk, out)?;
        while let Some(&b) = chunk.get(i) {
            if is_ws(b) {
                let abs = self.offset + i as u64;
                if self.holding && self.held_len(i + 1) > limit {
                    return Err(RedactError::TokenTooLarge { offset: abs, limit });
                }
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
            // The two most frequent bytes after strings, handled without the general
            // dispatch of `structural` (which also reports them when out of place).
            match (b, self.state) {
                (b':', State::Colon) => {
                    if self.holding && self.held_len(i + 1) > limit {
                        let abs = self.offset + i as u64;
                        return Err(RedactError::TokenTooLarge { offset: abs, limit });
                    }
                    self.state = State::Value;
                    i += 1;
                }
                (b',', State::CommaOrEnd) => {
                    self.comma(i);
                    i += 1;
                }
                _ => i = self.structural(core, chunk, chunk_str, i, out)?,
            }
        }
        Ok(())
    }

    /// Finish a token carried over from earlier chunks; returns where the chunk goes on.
    fn continue_token<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        chunk: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<usize, RedactError> {
        let limit = core.limits.max_token_bytes;
        let too_large = |tok: &Vec<u8>, start| {
            if tok.len() > limit {
                Err(RedactError::TokenTooLarge {
                    offset: start,
                    limit,
                })
            } else {
                Ok(())
            }
        };
        match self.state {
            State::Str { key } => {
                // Strings split across chunks are decoded the careful way.
                self.tok_plain = false;
                let end = string_end(chunk, 0, &mut self.esc, &mut self.tok_plain);
                let stop = end.unwrap_or(chunk.len());
                self.tok.extend_from_slice(chunk.get(..stop).unwrap_or(&[]));
                too_large(&self.tok, self.tok_start)?;
                if let Some(end) = end {
                    let raw = core::mem::take(&mut self.tok);
                    let at = At {
                        start: 0,
                        end,
                        carried: true,
                    };
                    let r = if key {
                        self.finish_key(core, &raw, None, at)
                    } else {
                        self.finish_scalar(core, Token::new(chunk, &raw, None, Kind::Str, at), out)
                    };
                    self.tok = raw;
                    self.tok.clear();
                    r?;
                }
                Ok(stop)
            }
            State::Num | State::Lit => {
                let n = bare_len(chunk, self.state == State::Num);
                self.tok.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
                too_large(&self.tok, self.tok_start)?;
                if n < chunk.len() {
                    let raw = core::mem::take(&mut self.tok);
                    let at = At {
                        start: 0,
                        end: n,
                        carried: true,
                    };
                    let r = self.finish_bare(core, chunk, &raw, at, out);
                    self.tok = raw;
                    self.tok.clear();
                    r?;
                }
                Ok(n)
            }
            _ => Ok(0),
        }
    }

    /// A number or literal starting at `i`: finished here when it ends in this chunk, else
    /// copied into `tok`. Returns the next index.
    fn bare_token<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        chunk: &[u8],
        i: usize,
        state: State,
        out: &mut Vec<u8>,
    ) -> Result<usize, RedactError> {
        let limit = core.limits.max_token_bytes;
        self.state = state;
        let rest = chunk.get(i..).unwrap_or(&[]);
        let n = bare_len(rest, state == State::Num);
        if n > limit {
            return Err(RedactError::TokenTooLarge {
                offset: self.tok_start,
                limit,
            });
        }
        if i + n < chunk.len() {
            // The whole token is inside this chunk (its end byte is here): borrow it.
            let raw = rest.get(..n).unwrap_or(&[]);
            let at = At {
                start: i,
                end: i + n,
                carried: false,
            };
            self.finish_bare(core, chunk, raw, at, out)?;
            return Ok(i + n);
        }
        self.tok.clear();
        self.tok.extend_from_slice(rest);
        self.tok_at = i;
        Ok(chunk.len())
    }

    /// Handle a non-whitespace byte outside a token; returns the next index.
    fn structural<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        chunk: &[u8],
        chunk_str: Option<&str>,
        i: usize,
        out: &mut Vec<u8>,
    ) -> Result<usize, RedactError> {
        let limit = core.limits.max_token_bytes;
        let abs = self.offset + i as u64;
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
                        let at = At {
                            start: i,
                            end,
                            carried: false,
                        };
                        if key {
                            self.finish_key(core, raw, text, at)?;
                        } else {
                            let token = Token::new(chunk, raw, text, Kind::Str, at);
                            self.finish_scalar(core, token, out)?;
                        }
                        Ok(end)
                    }
                    None => {
                        self.tok.clear();
                        self.tok.extend_from_slice(chunk.get(i..).unwrap_or(&[]));
                        if self.tok.len() > limit {
                            return Err(RedactError::TokenTooLarge { offset: abs, limit });
                        }
                        self.state = State::Str { key };
                        self.tok_at = i;
                        Ok(chunk.len())
                    }
                }
            }
            (State::Value | State::ValueOrEnd, b'-' | b'0'..=b'9') => {
                self.start_token(abs);
                self.bare_token(core, chunk, i, State::Num, out)
            }
            (State::Value | State::ValueOrEnd, b't' | b'f' | b'n') => {
                self.start_token(abs);
                self.bare_token(core, chunk, i, State::Lit, out)
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
                // The bracket itself passes through unchanged.
                self.release(chunk, i, out);
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
                self.hold_at = i + 1;
                self.state = if b == b'{' {
                    State::KeyOrEnd
                } else {
                    State::ValueOrEnd
                };
                Ok(i + 1)
            }
            (State::KeyOrEnd | State::CommaOrEnd, b'}') if top_obj == Some(true) => {
                self.close(out);
                Ok(i + 1)
            }
            (State::ValueOrEnd | State::CommaOrEnd, b']') if top_obj == Some(false) => {
                self.close(out);
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

    /// A `,` at chunk index `i` after a value in a container: the next member's prefix is
    /// held from here.
    #[inline]
    fn comma(&mut self, i: usize) {
        let obj = match self.frames.last_mut() {
            Some(f) if !f.obj => {
                f.index += 1;
                false
            }
            f => f.is_some(),
        };
        self.holding = true;
        self.pending.clear();
        self.hold_at = i;
        self.state = if obj { State::Key } else { State::Value };
    }

    fn start_token(&mut self, abs: u64) {
        self.tok_start = abs;
        self.tok_loc = self.loc(abs);
        if self.frames.is_empty() {
            self.record = self.line - 1;
        }
    }

    /// A closing bracket (it passes through unchanged).
    fn close(&mut self, out: &mut Vec<u8>) {
        if self.holding {
            // Only whitespace is held here (after `{` or `[`): it is written as it was, the
            // part from earlier chunks now, the rest with the unchanged span (while
            // `pending` has bytes, `copied == hold_at`, so the order is kept).
            out.extend_from_slice(&self.pending);
            self.pending.clear();
            self.holding = false;
        }
        if let Some(f) = self.frames.pop() {
            self.spare.push((f.key, f.norm));
        }
        if let Some(f) = self.frames.last_mut() {
            f.emitted_any = true;
        }
        self.after_value();
    }

    /// A complete number or literal.
    fn finish_bare<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        chunk: &[u8],
        raw: &[u8],
        at: At,
        out: &mut Vec<u8>,
    ) -> Result<(), RedactError> {
        if self.state == State::Lit {
            if !matches!(raw, b"true" | b"false" | b"null") {
                return Err(RedactError::Malformed {
                    at: self.tok_loc,
                    message: "expected `true`, `false` or `null`",
                });
            }
            self.keep_token(chunk, raw, at, out);
            self.after_value();
            return Ok(());
        }
        if !valid_number(raw) {
            return Err(RedactError::Malformed {
                at: self.tok_loc,
                message: "invalid number",
            });
        }
        self.finish_scalar(core, Token::new(chunk, raw, None, Kind::Num, at), out)
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

    // Always inlined: one call per key otherwise, and there are only two callers.
    #[inline(always)]
    fn finish_key<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        raw: &[u8],
        valid: Option<&str>,
        at: At,
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
                // The normalized key is read only when rules select by path (`eval_field`).
                if core.fields.uses_paths() {
                    set_key(&mut f.norm, self.key_cache.norm(info));
                }
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
                if core.fields.uses_paths() {
                    set_key(&mut f.norm, scratch);
                }
            }
            (class, rule)
        };
        if let Some(f) = self.frames.last_mut() {
            f.key_class = Some(class);
            f.key_rule = rule.and_then(|i| core.fields.get(i));
        }
        // The key joins the held prefix: in place when it is inside this chunk, as bytes
        // when it began in an earlier one (its part in this chunk is in `raw` too).
        if at.carried {
            self.pending.extend_from_slice(raw);
            self.copied = at.end;
            self.hold_at = at.end;
        }
        if self.held_len(at.end) > core.limits.max_token_bytes {
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
        token: Token<'_>,
        out: &mut Vec<u8>,
    ) -> Result<(), RedactError> {
        let mut text = core::mem::take(&mut self.text);
        let mut map = core::mem::take(&mut self.map);
        let result = self.rewrite_scalar(core, token, &mut text, &mut map, out);
        self.text = text;
        self.map = map;
        result?;
        self.after_value();
        Ok(())
    }

    fn rewrite_scalar<S: Scanner<Key = K>>(
        &mut self,
        core: &mut Core<'p, S>,
        token: Token<'_>,
        text: &mut String,
        map: &mut Vec<u32>,
        out: &mut Vec<u8>,
    ) -> Result<(), RedactError> {
        let Token {
            chunk,
            raw,
            valid,
            kind,
            at,
        } = token;
        let content = match kind {
            Kind::Str => raw.get(1..raw.len().saturating_sub(1)).unwrap_or(&[]),
            Kind::Num => raw,
        };
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
            self.keep_token(chunk, raw, at, out);
            return Ok(());
        }
        let whole = match edits.as_slice() {
            [e] if e.whole => Some(&e.repl),
            _ => None,
        };
        match whole {
            Some(Replacement::Remove) if !self.frames.is_empty() => {
                // The member goes, with its held prefix: the input before that is written.
                let to = if self.holding { self.hold_at } else { at.start };
                self.flush_to(chunk, to, out);
                self.pending.clear();
                self.holding = false;
                self.copied = at.end;
            }
            Some(Replacement::Remove | Replacement::Null) => {
                self.replace_token(chunk, at, out);
                out.extend_from_slice(b"null");
            }
            Some(Replacement::Text(t)) => {
                self.replace_token(chunk, at, out);
                out.push(b'"');
                escape_json(t, out);
                out.push(b'"');
            }
            Some(Replacement::Keep) => self.keep_token(chunk, raw, at, out),
            None if edits.iter().all(|e| e.repl == Replacement::Keep) => {
                self.keep_token(chunk, raw, at, out);
            }
            None => {
                self.replace_token(chunk, at, out);
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
        // No chunk now: everything left is in `pending` and `tok`.
        self.copied = 0;
        self.hold_at = 0;
        match self.state {
            State::Str { .. } => return Err(RedactError::Truncated { at: self.tok_loc }),
            State::Num | State::Lit => {
                let raw = core::mem::take(&mut self.tok);
                let at = At {
                    start: 0,
                    end: 0,
                    carried: true,
                };
                self.finish_bare(core, &[], &raw, at, out)?;
            }
            _ => {}
        }
        if !self.frames.is_empty() || !matches!(self.state, State::Done | State::Value) {
            return Err(RedactError::Truncated {
                at: self.loc(self.offset),
            });
        }
        self.release(&[], 0, out);
        Ok(())
    }
}

/// Where a finished token is in the current chunk: `start..end`, or (`carried`) begun in an
/// earlier chunk and ending at `end` (its bytes are then in the token buffer).
#[derive(Clone, Copy)]
struct At {
    start: usize,
    end: usize,
    carried: bool,
}

/// A scalar token being finished: the chunk it ends in, its raw bytes (`valid`: a string's
/// content between the quotes when known to be UTF-8), its kind and its place.
#[derive(Clone, Copy)]
struct Token<'a> {
    chunk: &'a [u8],
    raw: &'a [u8],
    valid: Option<&'a str>,
    kind: Kind,
    at: At,
}

/// Length of the number (`num`) or literal at the start of `s`.
#[inline]
fn bare_len(s: &[u8], num: bool) -> usize {
    s.iter()
        .position(|&b| {
            if num {
                !is_num(b)
            } else {
                !b.is_ascii_lowercase()
            }
        })
        .unwrap_or(s.len())
}

impl<'a> Token<'a> {
    fn new(chunk: &'a [u8], raw: &'a [u8], valid: Option<&'a str>, kind: Kind, at: At) -> Self {
        Self {
            chunk,
            raw,
            valid,
            kind,
            at,
        }
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
// Always inlined: most strings take the first branch, a few instructions.
#[inline(always)]
fn decode<'t>(
    tok: Tok,
    content: &'t [u8],
    valid: Option<&'t str>,
    text: &'t mut String,
    map: &mut Vec<u32>,
) -> Result<&'t str, RedactError> {
    // Most strings have neither escapes nor control characters: `string_end` saw that
    // while looking for the closing quote (`tok_plain`).
    if let (true, Some(s)) = (tok.plain, valid) {
        map.clear();
        return Ok(s);
    }
    decode_careful(tok, content, valid, text, map)
}

/// [`decode`] of a string that may have escapes or control characters, or whose UTF-8 is
/// not known yet.
#[inline(never)]
fn decode_careful<'t>(
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
    // One word-at-a-time pass finds the first backslash or control character (a content
    // has no bare `"`); `decode_json` reports a control character before anything else in
    // its run, as a check of the whole content for one would.
    if special_byte(content).is_none() {
        map.clear();
        if let Some(s) = valid {
            return Ok(s);
        }
        return core::str::from_utf8(content).map_err(|_| RedactError::InvalidUtf8 { at: tok.loc });
    }
    match decode_json(content, text, map) {
        Ok(()) => Ok(text.as_str()),
        Err(DecodeError::BadEscape(o)) => Err(bad(o, "invalid escape in string")),
        Err(DecodeError::Control(o)) => Err(bad(o, "control character in string (escape it)")),
        Err(DecodeError::Utf8) => Err(RedactError::InvalidUtf8 { at: tok.loc }),
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
