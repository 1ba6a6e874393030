//! Calendar dates: birth-date checks for ids, and the `date_of_birth` detector's Chinese
//! `1990年1月2日` form (numeric forms are found by the digit-run scanner).

use super::Evidence;
use super::Scan;
use super::catalogue::Builtin;
use super::text::{find2, is_word, word_at, word_before, word_end};

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Date {
    pub(crate) year: u16,
    pub(crate) month: u8,
    pub(crate) day: u8,
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date from year, month and day if it exists on the calendar.
    pub(crate) fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        (day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// Today from the system clock (with `std`), else 2099-12-31.
    pub(crate) fn today_or_far_future() -> Date {
        #[cfg(feature = "std")]
        {
            if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
                return Date::from_days_since_epoch(d.as_secs() / 86_400);
            }
        }
        Date {
            year: 2099,
            month: 12,
            day: 31,
        }
    }

    /// Civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    #[cfg_attr(
        not(feature = "std"),
        expect(dead_code, reason = "only the std clock needs it")
    )]
    pub(crate) fn from_days_since_epoch(days: u64) -> Date {
        let z = i64::try_from(days).unwrap_or(0) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = if m <= 2 { y + 1 } else { y };
        Date {
            year: u16::try_from(y).unwrap_or(2099),
            month: u8::try_from(m).unwrap_or(12),
            day: u8::try_from(d).unwrap_or(31),
        }
    }
}

/// Parses ASCII digits as a number (at most 9 digits; `None` otherwise).
pub(crate) fn num(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    let mut n = 0u32;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(b - b'0');
    }
    Some(n)
}

/// A plausible birth date: a real date between 1880-01-01 and `today`.
pub(crate) fn birth_date(year: u32, month: u32, day: u32, today: Date) -> Option<Date> {
    let d = Date::new(
        u16::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )?;
    (d.year >= 1880 && d <= today).then_some(d)
}

/// Finds `YYYY年M月D日` dates (context-gated, like every birth date).
pub(crate) fn scan(sc: &mut Scan<'_, '_>) {
    if !sc.on(Builtin::DateOfBirth) {
        return;
    }
    const NIAN: &[u8] = "年".as_bytes();
    const YUE: &[u8] = "月".as_bytes();
    const RI: &[u8] = "日".as_bytes();
    let s = sc.s;
    let mut from = 0usize;
    while let Some(pos) = s.get(from..).and_then(|t| find2(t, 0xE5, 0xE5)) {
        let nian = from + pos;
        if s.get(nian..nian + 3) != Some(NIAN) {
            from = nian + 1;
            continue;
        }
        from = nian + 3;
        let year_start = nian.saturating_sub(4);
        let Some(year) = s.get(year_start..nian).and_then(num) else {
            continue;
        };
        if word_before(s, year_start) {
            continue;
        }
        let digits_after = |at: usize| -> usize {
            s.get(at..).map_or(0, |t| {
                t.iter().take(2).take_while(|b| b.is_ascii_digit()).count()
            })
        };
        let m_start = nian + 3;
        let m_len = digits_after(m_start);
        let Some(month) = s.get(m_start..m_start + m_len).and_then(num) else {
            continue;
        };
        if s.get(m_start + m_len..m_start + m_len + 3) != Some(YUE) {
            continue;
        }
        let d_start = m_start + m_len + 3;
        let d_len = digits_after(d_start);
        let Some(day) = s.get(d_start..d_start + d_len).and_then(num) else {
            continue;
        };
        let mut end = d_start + d_len;
        if s.get(end..end + 3) == Some(RI) || s.get(end..end + 3) == Some("号".as_bytes()) {
            end += 3;
        }
        if birth_date(year, month, day, sc.det.today).is_some() {
            sc.emit(Builtin::DateOfBirth, year_start, end, Evidence::Format);
            from = end;
        }
    }
}

/// English month names; the first three letters also stand alone (`Sep`, `Sept` too).
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month (1-12) named by the ASCII letters `w`: a full name or its three-letter
/// abbreviation (`Sept` as well), any case.
fn month_named(w: &[u8]) -> Option<u32> {
    // Most words of a value are not months: reject by length and first letter before comparing.
    let first = w.first()?.to_ascii_lowercase();
    if !(3..=9).contains(&w.len())
        || !matches!(first, b'j' | b'f' | b'm' | b'a' | b's' | b'o' | b'n' | b'd')
    {
        return None;
    }
    let lower = |m: &str, n: usize| {
        m.as_bytes()
            .get(..n)
            .is_some_and(|p| p.eq_ignore_ascii_case(w))
    };
    let pos = MONTHS.iter().position(|m| {
        lower(m, m.len()) || w.len() == 3 && lower(m, 3) || *m == "september" && lower(m, 4)
    })?;
    u32::try_from(pos + 1).ok()
}

/// Digits (at most `max`) starting at `at`; returns (value, count).
fn digits_at(s: &[u8], at: usize, max: usize) -> Option<(u32, usize)> {
    let n = s
        .get(at..)?
        .iter()
        .take(max + 1)
        .take_while(|b| b.is_ascii_digit())
        .count();
    (1..=max)
        .contains(&n)
        .then(|| s.get(at..at + n).and_then(num).map(|v| (v, n)))
        .flatten()
}

/// Whether a space followed by a four-digit year from 1880 to `max_year`, with no word byte
/// after it, occurs in `s`.
fn has_space_year(s: &[u8], max_year: u16) -> bool {
    let mut from = 0usize;
    // Spaces are near each other: a plain byte search.
    while let Some(off) = s
        .get(from..)
        .and_then(|t| t.iter().position(|&b| b == b' '))
    {
        let at = from + off;
        if let Some(y) = s.get(at + 1..at + 5).and_then(num)
            && (1880..=u32::from(max_year)).contains(&y)
            && !word_at(s, at + 5)
        {
            return true;
        }
        from = at + 1;
    }
    false
}

/// Finds dates written with an English month name, `5 October 1951`, `05 Oct 1951` and
/// `October 5, 1951` (context-gated, like every birth date).
pub(crate) fn scan_month_names(sc: &mut Scan<'_, '_>) {
    if !sc.on(Builtin::DateOfBirth) {
        return;
    }
    let s = sc.s;
    // Both written forms end in a space and a four-digit birth year standing alone
    // (`05 Oct 1951`, `October 5, 1951`; `birth_date` needs 1880 to this year): a value
    // without one has no date to find, and this search over its spaces is cheaper than the
    // walk over its words.
    // `numeric::scan` ran first (the value has digits) and saw whether any such group exists.
    if !sc.maybe_year || !has_space_year(s, sc.det.today.year) {
        return;
    }
    let mut i = 0usize;
    while i < s.len() {
        let Some(&b) = s.get(i) else { return };
        if !is_word(b) {
            i += 1;
            continue;
        }
        // A word run that does not start with a letter, or has a word byte before it, holds
        // no month name: each of its later bytes has a word byte before it, so the run is
        // skipped whole (the byte-by-byte walk skipped each of them).
        if !b.is_ascii_alphabetic() || word_before(s, i) {
            i = word_end(s, i);
            continue;
        }
        let len = s.get(i..).map_or(0, |t| {
            t.iter().take_while(|b| b.is_ascii_alphabetic()).count()
        });
        let (w_start, w_end) = (i, i + len);
        i = w_end;
        let after = if s.get(w_end) == Some(&b'.') {
            w_end + 1
        } else {
            w_end
        };
        // Both forms below need a space right after the month: test that before the name.
        if s.get(after) != Some(&b' ') {
            continue;
        }
        let Some(month) = s.get(w_start..w_end).and_then(month_named) else {
            continue;
        };
        let today = sc.det.today;
        // Day before: `05 October 1951`.
        if w_start >= 2 && s.get(w_start - 1) == Some(&b' ') {
            let mut d0 = w_start - 1;
            while d0 > 0 && s.get(d0 - 1).is_some_and(u8::is_ascii_digit) {
                d0 -= 1;
            }
            if !word_before(s, d0)
                && let Some((day, _)) = digits_at(s, d0, 2).filter(|&(_, n)| d0 + n + 1 == w_start)
                && s.get(after) == Some(&b' ')
                && let Some((year, 4)) = digits_at(s, after + 1, 4)
                && !word_at(s, after + 5)
                && birth_date(year, month, day, today).is_some()
                && sc.emit(Builtin::DateOfBirth, d0, after + 5, Evidence::Format)
            {
                i = after + 5;
                continue;
            }
        }
        // Day after: `October 5, 1951`.
        if s.get(after) == Some(&b' ')
            && let Some((day, n)) = digits_at(s, after + 1, 2)
        {
            let mut j = after + 1 + n;
            if s.get(j) == Some(&b',') {
                j += 1;
            }
            if s.get(j) == Some(&b' ')
                && let Some((year, 4)) = digits_at(s, j + 1, 4)
                && !word_at(s, j + 5)
                && birth_date(year, month, day, today).is_some()
                && sc.emit(Builtin::DateOfBirth, w_start, j + 5, Evidence::Format)
            {
                i = j + 5;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_dates_need_a_space_and_a_year() {
        assert!(has_space_year(b"born 05 Oct 1951", 2026));
        assert!(has_space_year(b"October 5, 1951.", 2026));
        assert!(!has_space_year(b"October 5, 51", 2026));
        assert!(!has_space_year(b"2026-10-23T12:41:02Z", 2026));
        assert!(!has_space_year(b"ends with a space 195", 2026));
        assert!(!has_space_year(b"card 4608 3778 3533 7403", 2026));
        assert!(!has_space_year(b"in 1951x", 2026));
        assert!(!has_space_year(b"in 2030", 2026));
    }

    #[test]
    fn month_names() {
        assert_eq!(month_named(b"October"), Some(10));
        assert_eq!(month_named(b"oct"), Some(10));
        assert_eq!(month_named(b"Sept"), Some(9));
        assert_eq!(month_named(b"Octob"), None);
        assert_eq!(month_named(b"mayor"), None);
    }

    #[test]
    fn calendar_rules() {
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2023, 4, 31).is_none());
        assert!(Date::new(2023, 13, 1).is_none());
        assert_eq!(
            Date::from_days_since_epoch(0),
            Date {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            Date::from_days_since_epoch(19_723),
            Date {
                year: 2024,
                month: 1,
                day: 1
            }
        );
    }
}
