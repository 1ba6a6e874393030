//! `application/x-www-form-urlencoded`: `key=value` pairs separated by `&`.
//!
//! Keys and values are percent- and `+`-decoded; the key gives context and a pointer `/key`.
//! Replaced values are re-encoded; unchanged parts keep their original encoding. A removed
//! pair takes one `&` with it.

use alloc::string::String;
use alloc::vec::Vec;

use super::escape::{decode_form, encode_form};
use super::{Core, RedactError, Scanner, control};
use crate::redact::Replacement;
use crate::remark::push_pointer_segment;
use crate::select::{Segment, normalize_key};

#[derive(Default)]
pub(crate) struct FormMachine {
    buf: Vec<u8>,
    buf_start: u64,
    /// A `&` was read and is held until the next pair is decided.
    amp_held: bool,
    emitted_any: bool,
    bytes: Vec<u8>,
    map: Vec<u32>,
}

impl FormMachine {
    pub(crate) fn push<S: Scanner>(
        &mut self,
        core: &mut Core<'_, S>,
        chunk: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), RedactError> {
        self.buf.extend_from_slice(chunk);
        self.process(core, out, false)
    }

    pub(crate) fn finish<S: Scanner>(
        &mut self,
        core: &mut Core<'_, S>,
        out: &mut Vec<u8>,
    ) -> Result<(), RedactError> {
        self.process(core, out, true)?;
        if self.amp_held {
            // A trailing `&` with nothing after it: keep it.
            out.push(b'&');
            self.amp_held = false;
        }
        Ok(())
    }

    fn process<S: Scanner>(
        &mut self,
        core: &mut Core<'_, S>,
        out: &mut Vec<u8>,
        at_end: bool,
    ) -> Result<(), RedactError> {
        let max = core.limits.max_token_bytes;
        let buf = core::mem::take(&mut self.buf);
        let mut pos = 0usize;
        let mut result = Ok(());
        while let Some(rest) = buf.get(pos..) {
            let (len, consumed) = match rest.iter().position(|&b| b == b'&') {
                Some(a) => (a, a + 1),
                None if at_end && !rest.is_empty() => (rest.len(), rest.len()),
                None => {
                    if rest.len() > max {
                        result = Err(RedactError::TokenTooLarge {
                            offset: self.buf_start + pos as u64,
                            limit: max,
                        });
                    }
                    break;
                }
            };
            if len > max {
                result = Err(RedactError::TokenTooLarge {
                    offset: self.buf_start + pos as u64,
                    limit: max,
                });
                break;
            }
            let pair = rest.get(..len).unwrap_or(&[]);
            result = self.pair(core, pair, self.buf_start + pos as u64, out);
            if result.is_err() {
                break;
            }
            if consumed > len {
                self.amp_held = true;
            }
            pos += consumed;
        }
        self.buf = buf;
        self.buf.drain(..pos.min(self.buf.len()));
        self.buf_start += pos as u64;
        result
    }

    fn write_sep(&mut self, out: &mut Vec<u8>) {
        if self.amp_held && self.emitted_any {
            out.push(b'&');
        }
        self.amp_held = false;
        self.emitted_any = true;
    }

    fn pair<S: Scanner>(
        &mut self,
        core: &mut Core<'_, S>,
        pair: &[u8],
        abs: u64,
        out: &mut Vec<u8>,
    ) -> Result<(), RedactError> {
        let (key_raw, value_raw) = match pair.iter().position(|&b| b == b'=') {
            Some(eq) => (pair.get(..eq).unwrap_or(&[]), pair.get(eq + 1..)),
            None => (pair, None),
        };
        let Some(value_raw) = value_raw else {
            self.write_sep(out);
            out.extend_from_slice(pair);
            return Ok(());
        };
        decode_form(key_raw, &mut self.bytes, &mut self.map);
        let key = String::from_utf8_lossy(&self.bytes).into_owned();
        let class = core.scanner.classify_key(&key);
        let field = if core.fields.is_empty() {
            None
        } else {
            core.fields
                .find(&[Segment::Key(&key)], Some(&normalize_key(&key)))
        };
        let ctl = control(core.scanner, field, Some(&class));
        decode_form(value_raw, &mut self.bytes, &mut self.map);
        core.decide_bytes(&self.bytes, Some(&class), ctl)?;
        let value_abs = abs + key_raw.len() as u64 + 1;
        if core.edits.is_empty() {
            self.write_sep(out);
            out.extend_from_slice(pair);
            return Ok(());
        }
        let map = core::mem::take(&mut self.map);
        let pos = |d: usize| map.get(d).map_or(value_raw.len(), |&v| v as usize);
        let whole = match core.edits.as_slice() {
            [e] if e.whole => Some(e.repl.clone()),
            _ => None,
        };
        match whole {
            Some(Replacement::Remove) => {
                // Drop the pair and the `&` before it (the next kept pair then writes its
                // own `&` only if something was written before it).
                self.amp_held = false;
            }
            Some(Replacement::Keep) => {
                self.write_sep(out);
                out.extend_from_slice(pair);
            }
            Some(Replacement::Null) => {
                self.write_sep(out);
                out.extend_from_slice(key_raw);
                out.push(b'=');
            }
            Some(Replacement::Text(t)) => {
                self.write_sep(out);
                out.extend_from_slice(key_raw);
                out.push(b'=');
                encode_form(&t, out);
            }
            None => {
                self.write_sep(out);
                out.extend_from_slice(key_raw);
                out.push(b'=');
                let mut cursor = 0usize;
                for e in &core.edits {
                    out.extend_from_slice(value_raw.get(pos(cursor)..pos(e.start)).unwrap_or(&[]));
                    match &e.repl {
                        Replacement::Text(t) => encode_form(t, out),
                        Replacement::Keep => {
                            out.extend_from_slice(
                                value_raw.get(pos(e.start)..pos(e.end)).unwrap_or(&[]),
                            );
                        }
                        Replacement::Remove | Replacement::Null => {}
                    }
                    cursor = e.end;
                }
                out.extend_from_slice(value_raw.get(pos(cursor)..).unwrap_or(&[]));
            }
        }
        let mut pointer = String::new();
        push_pointer_segment(&mut pointer, &key);
        core.record(Some(&pointer), |s, e| {
            [value_abs + pos(s) as u64, value_abs + pos(e) as u64]
        });
        self.map = map;
        Ok(())
    }
}
