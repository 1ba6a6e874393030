//! A small stand-in scanner for the engine's own tests: email (`@`), 11-digit Chinese
//! mobile numbers, Luhn-valid 13–19 digit card numbers; keys `password` force `credentials`,
//! keys ending in `id` suppress, `phone` hints nothing (the engine only passes it through).

use alloc::vec::Vec;

use super::{Hit, KeyForce, Scanner};
use crate::select::normalize_key;

pub(crate) struct TestScanner;

pub(crate) const DETECTORS: [(&str, &str); 3] = [
    ("email", "contact"),
    ("cn_mobile", "contact"),
    ("payment_card", "financial"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TestKey {
    Plain,
    Password,
    Id,
}

fn luhn(d: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &c) in d.iter().rev().enumerate() {
        let mut v = u32::from(c - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

impl Scanner for TestScanner {
    type Key = TestKey;
    type Finding = Hit;

    fn classify_key(&self, key: &str) -> TestKey {
        let n = normalize_key(key);
        if n == "password" || n.ends_with("_password") {
            TestKey::Password
        } else if n == "id" || n.ends_with("_id") {
            TestKey::Id
        } else {
            TestKey::Plain
        }
    }

    fn key_force<'a>(&'a self, key: &'a TestKey) -> KeyForce<'a> {
        match key {
            TestKey::Password => KeyForce::Force {
                category: "credentials",
                detector: None,
            },
            TestKey::Id => KeyForce::Suppress,
            TestKey::Plain => KeyForce::Scan,
        }
    }

    fn scan(&self, text: &str, _key: Option<&TestKey>, out: &mut Vec<Hit>) {
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_digit() {
                let s = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let run = &b[s..i];
                if run.len() == 11 && run[0] == b'1' && (b'3'..=b'9').contains(&run[1]) {
                    out.push(Hit {
                        start: s,
                        end: i,
                        detector: 1,
                    });
                } else if (13..=19).contains(&run.len()) && luhn(run) {
                    out.push(Hit {
                        start: s,
                        end: i,
                        detector: 2,
                    });
                }
                continue;
            }
            if c == b'@' {
                let word =
                    |x: u8| x.is_ascii_alphanumeric() || matches!(x, b'.' | b'_' | b'-' | b'+');
                let mut s = i;
                while s > 0 && word(b[s - 1]) {
                    s -= 1;
                }
                let mut e = i + 1;
                while e < b.len() && word(b[e]) {
                    e += 1;
                }
                let domain = &text[i + 1..e];
                let prev_end = out.last().map_or(0, |h| h.end);
                if s < i && s >= prev_end && domain.contains('.') && !domain.ends_with('.') {
                    out.push(Hit {
                        start: s,
                        end: e,
                        detector: 0,
                    });
                }
                i = e;
                continue;
            }
            i += 1;
        }
    }

    fn hit(&self, finding: &Hit) -> Hit {
        *finding
    }

    fn detector(&self, index: u16) -> (&str, &str) {
        DETECTORS[usize::from(index)]
    }

    fn detector_count(&self) -> usize {
        DETECTORS.len()
    }
}
