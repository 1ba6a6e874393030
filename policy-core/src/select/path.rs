//! Path selectors (`$.users[*].email`, `**.phone`) and their matcher.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// One step of the engine's current location: an object key or an array index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// A member of an object.
    Key(&'a str),
    /// An element of an array.
    Index(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
    /// `*` or `[*]`: any one level.
    Any,
    /// `..` or `**`: zero or more levels.
    Deep,
}

/// A compiled path selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    steps: Vec<Step>,
}

/// A path selector that does not parse; the message says where and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    selector: String,
    column: usize,
    message: &'static str,
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid path selector `{}` at column {}: {} (write e.g. `$.users[*].email` or `**.phone`)",
            self.selector, self.column, self.message
        )
    }
}

impl PathPattern {
    /// Parse a selector. A leading `$` is optional; `**` and `..` match any depth.
    pub fn parse(selector: &str) -> Result<Self, SelectorError> {
        let err = |column: usize, message| SelectorError {
            selector: String::from(selector),
            column: column + 1,
            message,
        };
        let bytes = selector.as_bytes();
        let mut steps = Vec::new();
        let mut i = usize::from(bytes.first() == Some(&b'$'));
        let mut need_sep = false;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'.' if bytes.get(i + 1) == Some(&b'.') => {
                    steps.push(Step::Deep);
                    i += 2;
                    need_sep = false;
                    continue;
                }
                b'.' => {
                    i += 1;
                    need_sep = false;
                    continue;
                }
                b'[' => {
                    let close = selector
                        .get(i..)
                        .and_then(|s| s.find(']'))
                        .ok_or_else(|| err(i, "`[` without a closing `]`"))?;
                    let inner = selector.get(i + 1..i + close).unwrap_or("");
                    steps.push(if inner == "*" {
                        Step::Any
                    } else if let Ok(n) = inner.parse::<usize>() {
                        Step::Index(n)
                    } else if let Some(q) = inner
                        .strip_prefix('\'')
                        .and_then(|s| s.strip_suffix('\''))
                        .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
                    {
                        Step::Key(String::from(q))
                    } else {
                        return Err(err(
                            i + 1,
                            "expected `*`, an index or a quoted key in `[...]`",
                        ));
                    });
                    i += close + 1;
                    need_sep = true;
                    continue;
                }
                _ if need_sep => return Err(err(i, "expected `.` or `[` between steps")),
                _ => {}
            }
            let end = selector
                .get(i..)
                .and_then(|s| s.find(['.', '[']))
                .map_or(bytes.len(), |n| i + n);
            let name = selector.get(i..end).unwrap_or("");
            steps.push(match name {
                "**" => Step::Deep,
                "*" => Step::Any,
                _ => Step::Key(String::from(name)),
            });
            i = end;
            need_sep = true;
        }
        if steps.is_empty() || steps.last() == Some(&Step::Deep) {
            return Err(err(
                bytes.len().saturating_sub(1),
                "the selector must end with a key, `*` or an index",
            ));
        }
        Ok(Self { steps })
    }

    /// Whether the selector matches exactly `path` (from the root).
    pub fn matches(&self, path: &[Segment<'_>]) -> bool {
        match_steps(&self.steps, path)
    }
}

fn match_steps(steps: &[Step], path: &[Segment<'_>]) -> bool {
    let Some((step, rest)) = steps.split_first() else {
        return path.is_empty();
    };
    match step {
        Step::Deep => {
            (0..=path.len()).any(|skip| match_steps(rest, path.get(skip..).unwrap_or(&[])))
        }
        _ => {
            let Some((seg, tail)) = path.split_first() else {
                return false;
            };
            let ok = match (step, seg) {
                (Step::Any, _) => true,
                (Step::Key(k), Segment::Key(s)) => k == s,
                (Step::Index(n), Segment::Index(i)) => n == i,
                _ => false,
            };
            ok && match_steps(rest, tail)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Segment::{Index as I, Key as K};

    fn m(sel: &str, path: &[Segment<'_>]) -> bool {
        PathPattern::parse(sel).unwrap().matches(path)
    }

    #[test]
    fn selectors_match_paths() {
        assert!(m("$.users[*].email", &[K("users"), I(3), K("email")]));
        assert!(!m("$.users[*].email", &[K("users"), K("email")]));
        assert!(m("$.a.b", &[K("a"), K("b")]));
        assert!(!m("$.a.b", &[K("x"), K("a"), K("b")]));
        assert!(m("**.phone", &[K("x"), I(0), K("phone")]));
        assert!(m("$..phone", &[K("phone")]));
        assert!(m("$.*.id", &[K("anything"), K("id")]));
        assert!(m("$.items[0].sku", &[K("items"), I(0), K("sku")]));
        assert!(!m("$.items[0].sku", &[K("items"), I(1), K("sku")]));
        assert!(m("$['a.b'].c", &[K("a.b"), K("c")]));
    }

    #[test]
    fn bad_selectors_say_where() {
        let e = PathPattern::parse("$.users[*.email").unwrap_err();
        assert!(alloc::format!("{e}").contains("column 8"), "{e}");
        assert!(PathPattern::parse("$..").is_err());
        assert!(PathPattern::parse("$.a[x]").is_err());
    }
}
