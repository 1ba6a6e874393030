//! Plain text: scanned in segments that end at a newline.
//!
//! A segment ends after `\n`, or, when no newline comes within `max_token_bytes`, after the
//! last space or tab in that window (else at a character boundary). Segment ends depend only
//! on the bytes, never on how the body was chunked, so any chunking gives the same output;
//! a value that spans a segment end is not seen whole, which is why the window is the token
//! bound.

use alloc::vec::Vec;

use super::{Core, Ctl, RedactError, Scanner};
use crate::redact::Replacement;

#[derive(Default)]
pub(crate) struct TextMachine {
    buf: Vec<u8>,
    /// Absolute offset of `buf[0]`.
    buf_start: u64,
}

/// Length of the next segment of `rest`, or `None` to wait for more bytes.
fn segment_len(rest: &[u8], max: usize, at_end: bool) -> Option<usize> {
    let window = rest.get(..max.min(rest.len())).unwrap_or(rest);
    if let Some(nl) = window.iter().position(|&b| b == b'\n') {
        return Some(nl + 1);
    }
    if rest.len() >= max {
        if let Some(sp) = window
            .iter()
            .rposition(|&b| matches!(b, b' ' | b'\t' | b'\r'))
        {
            return Some(sp + 1);
        }
        // No space: cut at a UTF-8 character boundary.
        let boundary = (1..=window.len())
            .rev()
            .find(|&k| rest.get(k).is_none_or(|&b| (b & 0xC0) != 0x80))
            .unwrap_or(window.len());
        return Some(boundary.max(1));
    }
    (at_end && !rest.is_empty()).then_some(rest.len())
}

impl TextMachine {
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
        self.process(core, out, true)
    }

    fn process<S: Scanner>(
        &mut self,
        core: &mut Core<'_, S>,
        out: &mut Vec<u8>,
        at_end: bool,
    ) -> Result<(), RedactError> {
        let max = core.limits.max_token_bytes.max(1);
        let buf = core::mem::take(&mut self.buf);
        let mut pos = 0usize;
        let mut result = Ok(());
        while let Some(rest) = buf.get(pos..) {
            let Some(len) = segment_len(rest, max, at_end) else {
                break;
            };
            let seg = rest.get(..len).unwrap_or(rest);
            result = segment(core, seg, self.buf_start + pos as u64, out);
            pos += len;
            if result.is_err() || len == 0 {
                break;
            }
        }
        self.buf = buf;
        self.buf.drain(..pos.min(self.buf.len()));
        self.buf_start += pos as u64;
        result
    }
}

fn segment<S: Scanner>(
    core: &mut Core<'_, S>,
    seg: &[u8],
    abs: u64,
    out: &mut Vec<u8>,
) -> Result<(), RedactError> {
    core.decide_bytes(seg, None, Ctl::Scan)?;
    let mut cursor = 0usize;
    for e in &core.edits {
        out.extend_from_slice(seg.get(cursor..e.start).unwrap_or(&[]));
        match &e.repl {
            Replacement::Text(t) => out.extend_from_slice(t.as_bytes()),
            Replacement::Keep => out.extend_from_slice(seg.get(e.start..e.end).unwrap_or(&[])),
            Replacement::Remove | Replacement::Null => {}
        }
        cursor = e.end;
    }
    out.extend_from_slice(seg.get(cursor..).unwrap_or(&[]));
    core.record(None, |s, e| [abs + s as u64, abs + e as u64]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::segment_len;

    #[test]
    fn segments_end_at_newlines_or_last_space_within_the_bound() {
        assert_eq!(segment_len(b"ab\ncd", 100, false), Some(3));
        assert_eq!(segment_len(b"abcd", 100, false), None);
        assert_eq!(segment_len(b"abcd", 100, true), Some(4));
        assert_eq!(segment_len(b"ab cd ef", 6, false), Some(6));
        assert_eq!(segment_len(b"abcdefgh", 4, false), Some(4));
        // never split inside a UTF-8 character
        assert_eq!(segment_len("a中文".as_bytes(), 3, false), Some(1));
    }
}
