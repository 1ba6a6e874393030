//! The digit-run scanner: finds runs of digits (with single spaces, dashes, dots or slashes
//! between groups), classifies them by length and grouping, then validates.
//!
//! This one pass serves every numeric detector: mobile numbers, cards, resident ids, IMEI,
//! SSN, IPv4, dates, landlines, GPS pairs and the numeric national ids. A run glued to ASCII
//! letters (`abc123`, `a716-4466`) is part of a token such as a UUID or hex digest and is
//! skipped; a run followed by `.digit` is a decimal and is skipped.

use super::catalogue::Builtin;
use super::dates::{birth_date, num};
use super::text::{find_digit, is_word, word_at, word_before};
use super::vocabulary::{glued_label_before, glued_label_is};
use super::{Evidence, Scan};
use crate::checksum;

/// Most groups considered in one run; longer space-separated runs are split.
const MAX_GROUPS: usize = 8;
/// Most digits in one candidate (19 for cards, plus prefixes like `0086`).
const MAX_DIGITS: usize = 20;

#[derive(Debug, Clone, Copy, Default)]
struct Group {
    start: usize,
    end: usize,
    /// Separator byte before this group (0 for the first).
    sep: u8,
}

/// Whether a value is already masked: at least three mask characters (`*`, `•`, `●`, and
/// `x`/`X` when the value has no other letters) standing for at least a fifth of its digit
/// positions (`+86 135****2885`, `157-****-2449`, `xxx-xx-1234`). A key that names a category
/// does not force such a value again.
pub(crate) fn already_masked(v: &str) -> bool {
    let (mut digits, mut stars, mut xs, mut letters) = (0usize, 0usize, 0usize, 0usize);
    for c in v.chars() {
        match c {
            '0'..='9' => digits += 1,
            '*' | '•' | '●' | '∗' | '＊' => stars += 1,
            'x' | 'X' => xs += 1,
            c if c.is_alphabetic() => letters += 1,
            _ => {}
        }
    }
    let masks = if letters == 0 { stars + xs } else { stars };
    masks >= 3 && masks * 4 >= digits
}

/// Scans `sc.s` for digit runs.
pub(crate) fn scan(sc: &mut Scan<'_, '_>) {
    let s = sc.s;
    let mut groups = [Group::default(); MAX_GROUPS];
    let mut i = 0usize;
    while i < s.len() {
        let Some(off) = s.get(i..).and_then(find_digit) else {
            return;
        };
        let start = i + off;
        if let Some(end) = paren_landline(sc, start) {
            i = end;
            continue;
        }
        if word_before(s, start) && !glued_label_before(s, start) {
            // `DE44 5001 ...`: the groups of an IBAN-shaped run (valid or not) are no card,
            // Aadhaar or phone number.
            // The groups of an IBAN run are skipped unseen: one of them may be a year.
            i = match super::gated::iban_run_end(s, start) {
                Some(end) => {
                    sc.maybe_year = true;
                    end
                }
                None => skip_token(s, start),
            };
            continue;
        }
        if glued_by_punctuation(s, start) {
            i = skip_token(s, start);
            continue;
        }
        // `read_run` writes the first `n` groups, the only ones read: the array is reused.
        let (n, next) = read_run(s, start, &mut groups);
        let run = groups.get(..n).unwrap_or_default();
        // `dates::scan_month_names` needs a space and a four-digit group. Every digit run
        // that starts after a space is a group here (skip_token and paren_landline never
        // cross a space followed by exactly four digits), except those of a skipped run.
        if n == 0
            || run
                .iter()
                .any(|g| g.end - g.start == 4 && g.start > 0 && s.get(g.start - 1) == Some(&b' '))
        {
            sc.maybe_year = true;
        }
        classify_run(sc, run);
        i = next.max(start + 1);
    }
}

/// `-`, `.` or `/` right before `start`, glued to a word: `ID-123`, `v1.2`, `a716-4466`.
fn glued_by_punctuation(s: &[u8], start: usize) -> bool {
    start >= 2
        && matches!(s.get(start - 1), Some(b'-' | b'.' | b'/' | b':'))
        && s.get(start - 2).is_some_and(|&b| b.is_ascii_alphanumeric())
        && !(s.get(start - 1) == Some(&b':')
            && s.get(start - 2).is_some_and(u8::is_ascii_alphabetic))
}

/// A landline written with its area code in parentheses, `(010)68196168` or
/// `(0571) 6303965`, starting at the area code's first digit. Returns where scanning resumes
/// when it is one (reported only with context, like every landline).
fn paren_landline(sc: &mut Scan<'_, '_>, start: usize) -> Option<usize> {
    let s = sc.s;
    if start == 0 || s.get(start - 1) != Some(&b'(') || word_before(s, start - 1) {
        return None;
    }
    let digits_from = |at: usize| {
        s.get(at..)
            .map_or(0, |t| t.iter().take_while(|b| b.is_ascii_digit()).count())
    };
    let area = digits_from(start);
    let close = start + area;
    if !(3..=4).contains(&area)
        || s.get(start) != Some(&b'0')
        || s.get(start + 1) == Some(&b'0')
        || s.get(close) != Some(&b')')
    {
        return None;
    }
    let local_start = if s.get(close + 1) == Some(&b' ') {
        close + 2
    } else {
        close + 1
    };
    let local = digits_from(local_start);
    let end = local_start + local;
    let first_local = s.get(local_start).copied().unwrap_or(b'0');
    if !(7..=8).contains(&local)
        || matches!(first_local, b'0' | b'1')
        || word_at(s, end)
        || matches!(s.get(end), Some(b'-' | b'.')) && s.get(end + 1).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    sc.emit(Builtin::Landline, start - 1, end, Evidence::Format)
        .then_some(end)
}

/// End of the token (word bytes and `-`, `.` joining them) containing `at`.
fn skip_token(s: &[u8], mut at: usize) -> usize {
    while at < s.len() {
        let b = s.get(at).copied().unwrap_or(0);
        if is_word(b) {
            at += 1;
        } else if matches!(b, b'-' | b'.') && word_at(s, at + 1) {
            at += 2;
        } else {
            break;
        }
    }
    at
}

/// Reads groups from `start`; returns how many and where scanning resumes. A run with more
/// than [`MAX_GROUPS`] groups is cut at a space so the rest is scanned as a new run.
fn read_run(s: &[u8], start: usize, groups: &mut [Group; MAX_GROUPS]) -> (usize, usize) {
    let mut n = 0usize;
    let mut j = start;
    let mut sep = 0u8;
    loop {
        let gs = j;
        while s.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if let Some(g) = groups.get_mut(n) {
            *g = Group {
                start: gs,
                end: j,
                sep,
            };
        }
        n += 1;
        let next = s.get(j).copied().unwrap_or(0);
        let after_is_digit = s.get(j + 1).is_some_and(u8::is_ascii_digit);
        if !(matches!(next, b' ' | b'-' | b'.' | b'/') && after_is_digit) {
            return (n, j);
        }
        if n == MAX_GROUPS {
            // Too many groups: stop at a space (the rest is a new run), else skip the run.
            if next == b' ' {
                return (n, j);
            }
            let mut k = j;
            while s
                .get(k)
                .is_some_and(|&b| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'.' | b'/'))
            {
                k += 1;
            }
            return (0, k);
        }
        sep = next;
        j += 1;
    }
}

/// Splits a run into space-separated segments and classifies windows of segments.
fn classify_run(sc: &mut Scan<'_, '_>, run: &[Group]) {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return;
    };
    // Every window needs at least 7 digits ([`classify_window`] returns false before any
    // work otherwise) and only segments with a `.` or `/` separator go elsewhere: a run with
    // fewer digits and no such separator finds nothing.
    if run.iter().map(|g| g.end - g.start).sum::<usize>() < 7
        && run.iter().skip(1).all(|g| !matches!(g.sep, b'.' | b'/'))
    {
        return;
    }
    let s = sc.s;
    // What follows the run: a word byte kills the last segment (except an id's X).
    let after = last.end;
    let x_suffix = matches!(s.get(after), Some(b'X' | b'x')) && !word_at(s, after + 1);
    let glued_after = word_at(s, after) && !x_suffix
        || (matches!(s.get(after), Some(b'.' | b'-' | b'/')) && word_at(s, after + 1));
    let plus = first.start > 0
        && s.get(first.start - 1) == Some(&b'+')
        && !word_before(s, first.start - 1);

    // Segment boundaries: indices into `run` where a space separator starts a new segment.
    let mut seg_starts = [0usize; MAX_GROUPS];
    let mut nseg = 0usize;
    for (k, g) in run.iter().enumerate() {
        if k == 0 || g.sep == b' ' {
            if let Some(slot) = seg_starts.get_mut(nseg) {
                *slot = k;
            }
            nseg += 1;
        }
    }
    let seg = |i: usize| -> (usize, usize) {
        let a = seg_starts.get(i).copied().unwrap_or(run.len());
        let b = if i + 1 < nseg {
            seg_starts.get(i + 1).copied().unwrap_or(run.len())
        } else {
            run.len()
        };
        (a, b)
    };

    let mut a = 0usize;
    while a < nseg {
        let (ga, _) = seg(a);
        let dotted_a = {
            let (x, y) = seg(a);
            run.get(x + 1..y)
                .unwrap_or_default()
                .iter()
                .any(|g| matches!(g.sep, b'.' | b'/'))
        };
        if dotted_a {
            let (x, y) = seg(a);
            let is_last = a + 1 == nseg;
            if !(is_last && glued_after) {
                classify_dotted(
                    sc,
                    run.get(x..y).unwrap_or_default(),
                    run.get(y..).unwrap_or_default(),
                );
            }
            a += 1;
            continue;
        }
        let mut matched_to = None;
        let mut b = nseg;
        while b > a {
            let (_, gb) = seg(b - 1);
            // Windows never include dotted segments.
            let dotted = (a..b).any(|k| {
                let (x, y) = seg(k);
                run.get(x + 1..y)
                    .unwrap_or_default()
                    .iter()
                    .any(|g| matches!(g.sep, b'.' | b'/'))
            });
            let ends_run = b == nseg;
            if !(dotted || ends_run && glued_after) {
                let window = run.get(ga..gb).unwrap_or_default();
                let w = Window {
                    groups: window,
                    plus: plus && a == 0,
                    x_suffix: x_suffix && ends_run,
                };
                if classify_window(sc, &w) {
                    matched_to = Some(b);
                    break;
                }
            }
            b -= 1;
        }
        a = matched_to.unwrap_or(a + 1);
    }
}

/// A candidate: consecutive groups, with what surrounds them.
struct Window<'g> {
    groups: &'g [Group],
    plus: bool,
    x_suffix: bool,
}

impl Window<'_> {
    fn start(&self) -> usize {
        self.groups.first().map_or(0, |g| g.start)
    }
    fn end(&self) -> usize {
        self.groups.last().map_or(0, |g| g.end)
    }
    fn lens(&self) -> impl Iterator<Item = usize> + '_ {
        self.groups.iter().map(|g| g.end - g.start)
    }
    fn single(&self) -> bool {
        self.groups.len() == 1
    }
    /// Group lengths equal `pattern` exactly.
    fn shaped(&self, pattern: &[usize]) -> bool {
        self.groups.len() == pattern.len() && self.lens().zip(pattern.iter()).all(|(a, b)| a == *b)
    }
    fn seps_all(&self, sep: u8) -> bool {
        self.groups.iter().skip(1).all(|g| g.sep == sep)
    }
}

/// Copies the digits of `w` into `buf`; returns the count, or `None` when too many.
fn digits_of(s: &[u8], w: &Window<'_>, buf: &mut [u8; MAX_DIGITS]) -> Option<usize> {
    let mut n = 0usize;
    for g in w.groups {
        for &b in s.get(g.start..g.end).unwrap_or_default() {
            *buf.get_mut(n)? = b;
            n += 1;
        }
    }
    Some(n)
}

/// Whether 11 digits are a mainland China mobile number (libphonenumber's prefixes, plus
/// 149 and the 1740x satellite range).
pub(crate) fn cn_mobile_digits(d: &[u8]) -> bool {
    if d.len() != 11 || !d.iter().all(u8::is_ascii_digit) || d.first() != Some(&b'1') {
        return false;
    }
    let (a, b) = (
        d.get(1).copied().unwrap_or(0),
        d.get(2).copied().unwrap_or(0),
    );
    match a {
        b'3' | b'8' => true,
        b'4' => matches!(b, b'5' | b'7' | b'9'),
        b'5' | b'9' => b != b'4',
        b'6' => matches!(b, b'2' | b'5' | b'6' | b'7'),
        b'7' => b != b'4' && b != b'9' || d.starts_with(b"1740"),
        _ => false,
    }
}

/// Issuer prefix and length rules for payment cards.
fn card_iin_ok(d: &[u8]) -> bool {
    let len = d.len();
    let p2 = num(d.get(..2).unwrap_or_default()).unwrap_or(0);
    let p4 = num(d.get(..4).unwrap_or_default()).unwrap_or(0);
    match d.first() {
        Some(b'4') => matches!(len, 13 | 16 | 19),
        Some(b'5') => {
            (51..=55).contains(&p2) && len == 16
                || (56..=58).contains(&p2) && (16..=19).contains(&len)
        }
        Some(b'2') => len == 16 && ((2221..=2720).contains(&p4) || (2200..=2204).contains(&p4)),
        Some(b'3') => {
            (p2 == 34 || p2 == 37) && len == 15
                || (3528..=3589).contains(&p4) && (16..=19).contains(&len)
                || (p2 == 36 || p2 == 38 || p2 == 39 || (3000..=3059).contains(&p4))
                    && (14..=19).contains(&len)
        }
        // Discover 6011/644-649/65, RuPay 60, UnionPay 62, Maestro 6759/6761-6763. Other `6`
        // prefixes (61, 63, 64x, 66-69) are not card ranges but start many ids.
        Some(b'6') => {
            let p3 = num(d.get(..3).unwrap_or_default()).unwrap_or(0);
            (16..=19).contains(&len)
                && (matches!(p2, 60 | 62 | 65)
                    || (644..=649).contains(&p3)
                    || matches!(p4, 6759 | 6761..=6763))
        }
        Some(b'9') => d.starts_with(b"9") && len == 19 && d.starts_with(b"95"),
        _ => false,
    }
}

/// Province codes (first two digits) of mainland resident ids, plus 81/82/83 for the
/// Hong Kong, Macau and Taiwan residence permits.
pub(crate) fn cn_province(d: &[u8]) -> bool {
    matches!(
        num(d.get(..2).unwrap_or_default()),
        Some(11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 81..=83)
    )
}

/// Full check of an 18-character resident id (digits, last may be `X`).
pub(crate) fn cn_resident_id_valid(id: &[u8], today: super::dates::Date) -> bool {
    if !checksum::cn_resident_id_check(id) || !cn_province(id) {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (
        id.get(6..10).and_then(num),
        id.get(10..12).and_then(num),
        id.get(12..14).and_then(num),
    ) else {
        return false;
    };
    birth_date(y, m, d, today).is_some()
}

/// US SSN area/group/serial rules (no checksum exists).
fn ssn_ok(d: &[u8]) -> bool {
    let (Some(area), Some(group), Some(serial)) = (
        d.get(..3).and_then(num),
        d.get(3..5).and_then(num),
        d.get(5..9).and_then(num),
    ) else {
        return false;
    };
    let all_same = d.iter().all(|&b| Some(&b) == d.first());
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !all_same
        && d != b"123456789"
        && d != b"078051120"
        && d != b"219099999"
}

/// IMEI reporting-body prefixes seen in issued TACs.
fn imei_ok(d: &[u8]) -> bool {
    matches!(
        num(d.get(..2).unwrap_or_default()),
        Some(1 | 10 | 30 | 33 | 35 | 44 | 45 | 49 | 50..=54 | 86 | 91 | 98 | 99)
    ) && checksum::luhn(d)
}

/// Length of the E.164 country code at the start of `d`, if it is an assigned one.
fn country_code_len(d: &[u8]) -> Option<usize> {
    let c1 = num(d.get(..1)?)?;
    if c1 == 1 || c1 == 7 {
        return Some(1);
    }
    let c2 = num(d.get(..2)?)?;
    if matches!(
        c2,
        20 | 27 | 30..=34 | 36 | 39 | 40 | 41 | 43..=49 | 51..=58 | 60..=66 | 81 | 82 | 84 | 86 | 90..=95 | 98
    ) {
        return Some(2);
    }
    let c3 = num(d.get(..3)?)?;
    let assigned = matches!(
        c3,
        211..=218 | 220..=258 | 260..=269 | 290 | 291 | 297..=299 | 350..=359 | 370..=387 | 389
            | 420 | 421 | 423 | 500..=509 | 590..=599 | 670 | 672..=692 | 850 | 852 | 853 | 855
            | 856 | 880 | 886 | 960..=968 | 970..=977 | 992..=996 | 998
    );
    assigned.then_some(3)
}

/// A landline with area code: `0` + 2-3 digit area code + 7-8 digit number.
fn landline_shape(w: &Window<'_>, d: &[u8]) -> bool {
    if d.first() != Some(&b'0') || d.get(1) == Some(&b'0') || !(10..=12).contains(&d.len()) {
        return false;
    }
    let first = w.lens().next().unwrap_or(0);
    w.single() || (w.groups.len() == 2 && (3..=4).contains(&first))
}

/// Classifies one window of space/dash-separated groups. Returns whether it produced a finding.
fn classify_window(sc: &mut Scan<'_, '_>, w: &Window<'_>) -> bool {
    // Every detector below needs at least 7 digits (the shortest is a local landline under
    // its key), so a shorter window can only come out false: say so before any work.
    if w.lens().sum::<usize>() < 7 {
        return false;
    }
    let s = sc.s;
    let mut buf = [0u8; MAX_DIGITS];
    let Some(n) = digits_of(s, w, &mut buf) else {
        return false;
    };
    let d = buf.get(..n).unwrap_or_default();
    let (start, end) = (w.start(), w.end());
    if w.plus {
        return plus_number(sc, w, d);
    }
    // Groups of 1-2 digits only make sense as a country code or an SSN/date part.
    let plausible_groups = w.single() || w.lens().skip(1).all(|l| l >= 2);
    if !plausible_groups {
        return false;
    }

    if w.x_suffix {
        let mut id = [0u8; 18];
        if n == 17 && (w.single() || w.shaped(&[6, 8, 3])) {
            for (slot, b) in id.iter_mut().zip(d.iter()) {
                *slot = *b;
            }
            if let Some(last) = id.get_mut(17) {
                *last = b'X';
            }
            if cn_resident_id_valid(&id, sc.det.today) {
                return sc.emit(Builtin::CnResidentId, start, end + 1, Evidence::Checksum);
            }
        }
        return false;
    }

    if n == 15 && d.starts_with(b"0086") && cn_mobile_digits(d.get(4..).unwrap_or_default()) {
        return sc.emit(Builtin::CnMobile, start, end, Evidence::Checksum);
    }
    if n == 13 && d.starts_with(b"86") && cn_mobile_digits(d.get(2..).unwrap_or_default()) {
        let first = w.lens().next().unwrap_or(0);
        if w.single() || first == 2 {
            return sc.emit(Builtin::CnMobile, start, end, Evidence::Checksum);
        }
    }

    let mobile_shape = w.single() || w.shaped(&[3, 4, 4]) || w.shaped(&[3, 8]);
    let card_shape = w.single()
        || w.lens().all(|l| l == 4 || l == 3 && w.groups.len() == 5)
        || w.shaped(&[4, 6, 5])
        || w.shaped(&[4, 6, 4])
        || w.shaped(&[6, 13])
        || w.shaped(&[6, 12])
        || w.shaped(&[6, 10]);

    match n {
        11 => {
            // A number that is both a valid mobile and a valid enabled national id goes to
            // whichever has context; the mobile wins a tie.
            if mobile_shape
                && cn_mobile_digits(d)
                && (!pack_has_context(sc, w, d)
                    || sc.has_context(Builtin::CnMobile.index(), start, end))
            {
                return sc.emit(Builtin::CnMobile, start, end, Evidence::Checksum);
            }
            if landline_shape(w, d) && sc.emit(Builtin::Landline, start, end, Evidence::Format) {
                return true;
            }
            return numeric_pack(sc, w, d);
        }
        18 => {
            if (w.single() || w.shaped(&[6, 8, 4])) && cn_resident_id_valid(d, sc.det.today) {
                return sc.emit(Builtin::CnResidentId, start, end, Evidence::Checksum);
            }
            if w.single() && uscc_numeric_ok(d) {
                return sc.emit(Builtin::CnUscc, start, end, Evidence::Checksum);
            }
        }
        15 => {
            if w.single()
                && legacy_id_ok(d, sc.det.today)
                && sc.emit(Builtin::CnResidentIdLegacy, start, end, Evidence::Format)
            {
                return true;
            }
            if (w.single() || w.shaped(&[2, 6, 6, 1]) || w.shaped(&[8, 6, 1]))
                && !card_iin_ok(d)
                && imei_ok(d)
            {
                return sc.emit(Builtin::Imei, start, end, Evidence::Checksum);
            }
        }
        _ => {}
    }

    if (13..=19).contains(&n) && card_shape && card_iin_ok(d) {
        // Cards are issued with 13-16 or 19 digits almost always; 17- and 18-digit runs that
        // pass Luhn (one in ten) are far more often snowflake ids and resident-id look-alikes,
        // so those lengths need a key or a nearby word.
        // Bare 19-digit runs outside UnionPay's `62` (the main issuer of 19-digit cards) are
        // far more often platform order numbers (`3987977431345623459`) than Diners, JCB or
        // Visa cards, so they need context too; grouped 19-digit cards stay validated.
        let bare_19 = n == 19 && w.single() && !d.starts_with(b"62");
        // Computed once: both branches below ask for it.
        let luhn = checksum::luhn(d);
        if luhn && (n == 17 || n == 18 || bare_19) {
            return sc.emit(
                Builtin::PaymentCard,
                start,
                end,
                Evidence::ChecksumNeedsContext,
            );
        }
        if luhn {
            return sc.emit(Builtin::PaymentCard, start, end, Evidence::Checksum);
        }
        if d.starts_with(b"62") && (16..=19).contains(&n) {
            return sc.emit(
                Builtin::PaymentCard,
                start,
                end,
                Evidence::ChecksumNeedsContext,
            );
        }
    }
    if n == 15 && w.single() && imei_ok(d) {
        return sc.emit(Builtin::Imei, start, end, Evidence::Checksum);
    }

    if n == 9 {
        if w.shaped(&[3, 2, 4]) && w.seps_all(b'-') && ssn_ok(d) {
            return sc.emit(Builtin::UsSsn, start, end, Evidence::Checksum);
        }
        if w.single() {
            // `SSN772447241` in Chinese text: the glued label is the context word.
            let ev = if glued_label_is(s, start, b"ssn") {
                Evidence::Checksum
            } else {
                Evidence::Format
            };
            let ssn = ssn_ok(d) && sc.emit(Builtin::UsSsnPlain, start, end, ev);
            let passport = sc.emit(Builtin::Passport, start, end, Evidence::Format);
            if ssn || passport {
                return true;
            }
        }
    }
    if n == 8 && (w.single() || w.shaped(&[4, 2, 2]) && w.seps_all(b'-')) {
        if let (Some(y), Some(m), Some(dd)) = (
            d.get(..4).and_then(num),
            d.get(4..6).and_then(num),
            d.get(6..8).and_then(num),
        ) && birth_date(y, m, dd, sc.det.today).is_some()
            && sc.emit(Builtin::DateOfBirth, start, end, Evidence::Format)
        {
            return true;
        }
        if w.single() && sc.emit(Builtin::Passport, start, end, Evidence::Format) {
            return true;
        }
    }
    if (10..=12).contains(&n)
        && landline_shape(w, d)
        && sc.emit(Builtin::Landline, start, end, Evidence::Format)
    {
        return true;
    }
    if n == 7 || n == 8 {
        // Local landline without area code, only under a landline key.
        if w.single() && sc.key_hints(Builtin::Landline.index()) && d.first() != Some(&b'0') {
            return sc.emit(Builtin::Landline, start, end, Evidence::Format);
        }
    }
    numeric_pack(sc, w, d)
}

/// A number written with `+`: a China mobile (`+86 138 1234 5678`) or an E.164 number whose
/// first group is an assigned country code. After the country code one group may be a
/// single digit (a trunk or area code: `+33 1 42 68 53 00`, `+81 3 1234 5678`); later groups
/// have at least two digits.
fn plus_number(sc: &mut Scan<'_, '_>, w: &Window<'_>, d: &[u8]) -> bool {
    let (from, end) = (w.start().saturating_sub(1), w.end());
    let n = d.len();
    if !(w.single() || w.lens().skip(2).all(|l| l >= 2)) {
        return false;
    }
    if n == 13 && d.starts_with(b"86") && cn_mobile_digits(d.get(2..).unwrap_or_default()) {
        return sc.emit(Builtin::CnMobile, from, end, Evidence::Checksum);
    }
    if (8..=15).contains(&n)
        && let Some(cc) = country_code_len(d)
    {
        let first = w.lens().next().unwrap_or(0);
        if (n - cc >= 6) && (w.single() || first == cc) {
            return sc.emit(Builtin::PhoneIntl, from, end, Evidence::Checksum);
        }
    }
    false
}

/// All-digit USCCs are rare and collide with 18-digit snowflake ids, so they must also pass
/// the inner organization-code check and have a real province.
fn uscc_numeric_ok(d: &[u8]) -> bool {
    // Every test must pass (all are pure): the cheap ones first.
    matches!(d.first(), Some(b'1'..=b'9'))
        && d.get(2..).is_some_and(cn_province)
        && checksum::uscc(d)
        && d.get(8..17).is_some_and(checksum::gb11714)
}

/// A 15-digit legacy resident id: province code and a real `YYMMDD` birth date in the 1900s.
fn legacy_id_ok(d: &[u8], today: super::dates::Date) -> bool {
    let (Some(y), Some(m), Some(dd)) = (
        d.get(6..8).and_then(num),
        d.get(8..10).and_then(num),
        d.get(10..12).and_then(num),
    ) else {
        return false;
    };
    cn_province(d) && birth_date(1900 + y, m, dd, today).is_some()
}

/// Whether an enabled pack detector validates `d` and has context near `w`.
fn pack_has_context(sc: &Scan<'_, '_>, w: &Window<'_>, d: &[u8]) -> bool {
    pack_candidates(w, d).iter().any(|&c| {
        sc.on(c)
            && matches!(
                super::packs::evidence(c, d),
                Some(Evidence::Checksum | Evidence::ChecksumNeedsContext)
            )
            && sc.has_context(c.index(), w.start(), w.end())
    })
}

/// The pack detectors whose length and grouping fit `d`.
fn pack_candidates(w: &Window<'_>, d: &[u8]) -> &'static [Builtin] {
    match d.len() {
        10 if w.single() || w.shaped(&[3, 3, 4]) => &[Builtin::GbNhs],
        11 if w.single() => &[Builtin::PlPesel, Builtin::DeSteuerId, Builtin::BrCpf],
        12 if w.single() || w.shaped(&[4, 4, 4]) => &[Builtin::InAadhaar, Builtin::JpMyNumber],
        13 if w.single() || w.shaped(&[6, 7]) => &[Builtin::KrRrn],
        15 if w.single() || w.shaped(&[1, 2, 2, 2, 3, 3, 2]) => &[Builtin::FrNir],
        _ => &[],
    }
}

/// Numeric national ids of the country packs, judged by their checksums.
fn numeric_pack(sc: &mut Scan<'_, '_>, w: &Window<'_>, d: &[u8]) -> bool {
    let (start, end) = (w.start(), w.end());
    let candidates = pack_candidates(w, d);
    for &c in candidates {
        if !sc.on(c) {
            continue;
        }
        // Bare digits carry none of the dotted CPF's shape: its two check digits alone are
        // too weak (1 in 100 random numbers pass), so they need context like the
        // single-check-digit ids.
        let ev = match super::packs::evidence(c, d) {
            Some(Evidence::Checksum) if c == Builtin::BrCpf => Some(Evidence::ChecksumNeedsContext),
            ev => ev,
        };
        if let Some(ev) = ev
            && sc.emit(c, start, end, ev)
        {
            return true;
        }
    }
    false
}

/// Runs with `.` or `/` separators: IPv4, CPF, dates, GPS pairs.
fn classify_dotted(sc: &mut Scan<'_, '_>, seg: &[Group], rest: &[Group]) {
    let s = sc.s;
    let (Some(first), Some(last)) = (seg.first(), seg.last()) else {
        return;
    };
    let (start, end) = (first.start, last.end);
    let lens: [usize; MAX_GROUPS] = {
        let mut a = [0usize; MAX_GROUPS];
        for (slot, g) in a.iter_mut().zip(seg.iter()) {
            *slot = g.end - g.start;
        }
        a
    };
    let lens = lens.get(..seg.len()).unwrap_or_default();
    let seps_dot = seg.iter().skip(1).all(|g| g.sep == b'.');
    let field = |k: usize| {
        seg.get(k)
            .and_then(|g| s.get(g.start..g.end))
            .unwrap_or_default()
    };

    // IPv4: four decimal octets, no leading zeros.
    // A `.` right after the last octet ends the sentence unless a digit follows.
    let dot_digit = s.get(end) == Some(&b'.') && s.get(end + 1).is_some_and(u8::is_ascii_digit);
    if seps_dot && seg.len() == 4 && !dot_digit {
        let ok = (0..4).all(|k| {
            let f = field(k);
            !f.is_empty()
                && f.len() <= 3
                && (f.len() == 1 || f.first() != Some(&b'0'))
                && num(f).is_some_and(|v| v <= 255)
        });
        if ok {
            sc.emit(Builtin::Ipv4, start, end, Evidence::Checksum);
            return;
        }
    }
    // CPF ddd.ddd.ddd-dd.
    if lens == [3, 3, 3, 2]
        && seg.get(3).is_some_and(|g| g.sep == b'-')
        && seg.get(1).is_some_and(|g| g.sep == b'.')
    {
        let mut buf = [0u8; 24];
        let digits = super::packs::compact(s.get(start..end).unwrap_or_default(), &mut buf);
        if let Some(ev) = super::packs::evidence(Builtin::BrCpf, digits) {
            sc.emit(Builtin::BrCpf, start, end, ev);
        }
        return;
    }
    // Dates: YYYY-MM-DD style with . or /, or DD/MM/YYYY and MM/DD/YYYY.
    if seg.len() == 3
        && seg
            .iter()
            .skip(1)
            .all(|g| g.sep == seg.get(1).map_or(0, |h| h.sep))
    {
        let (a, b, c) = (num(field(0)), num(field(1)), num(field(2)));
        if let (Some(a), Some(b), Some(c)) = (a, b, c) {
            let today = sc.det.today;
            let ymd = lens.first() == Some(&4) && birth_date(a, b, c, today).is_some();
            let dmy = lens.get(2) == Some(&4)
                && (birth_date(c, b, a, today).is_some() || birth_date(c, a, b, today).is_some());
            if ymd || dmy {
                sc.emit(Builtin::DateOfBirth, start, end, Evidence::Format);
                return;
            }
        }
    }
    // GPS: a decimal with 4+ fraction digits (optionally negative), and a second one after a comma.
    if seg.len() == 2
        && seps_dot
        && lens.get(1).is_some_and(|&l| l >= 4)
        && lens.first().is_some_and(|&l| l <= 3)
    {
        let neg = start > 0 && s.get(start - 1) == Some(&b'-');
        let from = if neg { start - 1 } else { start };
        let value_ok = |deg: Option<u32>, max: u32| deg.is_some_and(|v| v <= max);
        let mut j = end;
        if s.get(j) == Some(&b',') {
            j += 1;
            while s.get(j) == Some(&b' ') {
                j += 1;
            }
            let neg2 = s.get(j) == Some(&b'-');
            if neg2 {
                j += 1;
            }
            let int_len = s
                .get(j..)
                .map_or(0, |t| t.iter().take_while(|b| b.is_ascii_digit()).count());
            let frac_start = j + int_len + 1;
            let frac_len = s
                .get(frac_start..)
                .map_or(0, |t| t.iter().take_while(|b| b.is_ascii_digit()).count());
            if (1..=3).contains(&int_len) && s.get(j + int_len) == Some(&b'.') && frac_len >= 4 {
                let lat = num(field(0));
                let lng = s.get(j..j + int_len).and_then(num);
                let pair_end = frac_start + frac_len;
                if value_ok(lat, 90) && value_ok(lng, 180) && !word_at(s, pair_end) {
                    sc.emit(Builtin::Gps, from, pair_end, Evidence::Format);
                    return;
                }
            }
        }
        // A single coordinate only under a lat/lng key.
        if rest.is_empty() && sc.key_hints(Builtin::Gps.index()) && value_ok(num(field(0)), 180) {
            sc.emit(Builtin::Gps, from, end, Evidence::Format);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_prefixes() {
        assert!(cn_mobile_digits(b"13812345678"));
        assert!(cn_mobile_digits(b"19912345678"));
        assert!(!cn_mobile_digits(b"12012345678"));
        assert!(!cn_mobile_digits(b"19412345678"));
        assert!(!cn_mobile_digits(b"1381234567"));
    }

    #[test]
    fn ssn_rules() {
        assert!(ssn_ok(b"536905432"));
        assert!(!ssn_ok(b"000123456"));
        assert!(!ssn_ok(b"666123456"));
        assert!(!ssn_ok(b"912123456"));
        assert!(!ssn_ok(b"536005432"));
        assert!(!ssn_ok(b"536900000"));
        assert!(!ssn_ok(b"078051120"));
    }
}
