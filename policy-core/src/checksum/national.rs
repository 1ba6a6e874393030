//! Validators for national identity numbers (the per-country detector packs).
//!
//! Each function takes the candidate as ASCII bytes and answers whether it is a well-formed
//! number of that type: right length and alphabet, a real date where the number encodes one,
//! and a correct check digit. A detector calls the validator on a regex candidate and drops
//! look-alikes (order numbers, wrong check digits) that fail it.
//!
//! # Input conventions
//!
//! * Input is the bare number: separators (spaces, `-`, `.`, `/`) must already be stripped,
//!   except where a function documents a fixed separator it accepts (`kr_rrn` accepts the `-`
//!   after the birth date, `hk_id` accepts the parentheses around the check character).
//! * Letters are matched ASCII case-insensitively, so `x1234567l` validates like `X1234567L`.
//! * Anything else (non-ASCII bytes, surrounding whitespace, a wrong length) is simply invalid.
//!
//! Every function is total: it never allocates and never panics, whatever the input.
//!
//! Most validators answer `bool`. [`kr_rrn`] answers a three-state [`Validity`], because Korean
//! numbers issued since October 2020 no longer carry a reliable check digit.
//!
//! ```
//! use scrim_core::checksum::national::{in_aadhaar, kr_rrn, Validity};
//!
//! assert!(in_aadhaar(b"234123412346"));
//! assert!(!in_aadhaar(b"234123412347"));
//! assert_eq!(kr_rrn(b"900101-1234568"), Validity::Valid);
//! ```

/// The answer of a validator whose checksum does not cover every number in circulation.
///
/// Use it as Presidio-style three-state evidence: [`Validity::Valid`] confirms a finding,
/// [`Validity::Invalid`] drops it, and [`Validity::Unknown`] keeps it at the detector's base
/// confidence (report it only with supporting context such as a key name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Validity {
    /// The number is well formed and its check digit is correct.
    Valid,
    /// The number is malformed, has an impossible date, or has a wrong check digit where the
    /// check digit is known to be reliable.
    Invalid,
    /// The number is well formed but the check cannot confirm or refute it.
    Unknown,
}

/// The value of an ASCII digit, or `None` for any other byte.
fn digit(byte: u8) -> Option<u32> {
    if byte.is_ascii_digit() {
        Some(u32::from(byte - b'0'))
    } else {
        None
    }
}

/// The 0-based alphabet index of an ASCII letter (either case), or `None` for any other byte.
fn letter(byte: u8) -> Option<u32> {
    let upper = byte.to_ascii_uppercase();
    if upper.is_ascii_uppercase() {
        Some(u32::from(upper - b'A'))
    } else {
        None
    }
}

/// The values of exactly `N` ASCII digits, or `None` if the length or any byte is wrong.
fn digits<const N: usize>(input: &[u8]) -> Option<[u32; N]> {
    let bytes: &[u8; N] = input.try_into().ok()?;
    let mut out = [0; N];
    for (value, &byte) in out.iter_mut().zip(bytes) {
        *value = digit(byte)?;
    }
    Some(out)
}

/// Σ digitᵢ·weightᵢ over the shorter of the two slices.
fn weighted_sum(values: &[u32], weights: &[u32]) -> u32 {
    values.iter().zip(weights).map(|(v, w)| v * w).sum()
}

/// Whether `year-month-day` is a real day of the proleptic Gregorian calendar.
fn is_real_date(year: u32, month: u32, day: u32) -> bool {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// Verhoeff multiplication table (the dihedral group D5).
const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

/// Verhoeff position permutations; position `i` (from the right) uses row `i mod 8`.
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Checks a Verhoeff check digit: `digits` is a non-empty run of ASCII digits whose last digit
/// is the Verhoeff check digit of the others.
///
/// Verhoeff (dihedral group D5) catches every single-digit error and every swap of adjacent
/// digits. Aadhaar, the Aadhaar VID and Nigeria's NIN use it. Returns `false` for empty input
/// or any byte that is not an ASCII digit.
///
/// ```
/// use scrim_core::checksum::national::verhoeff_is_valid;
///
/// assert!(verhoeff_is_valid(b"2363"));
/// assert!(!verhoeff_is_valid(b"2364"));
/// ```
#[must_use]
pub fn verhoeff_is_valid(digits: &[u8]) -> bool {
    if digits.is_empty() {
        return false;
    }
    let mut check: u8 = 0;
    for (position, &byte) in digits.iter().rev().enumerate() {
        let Some(value) = digit(byte) else {
            return false;
        };
        let permuted = VERHOEFF_P
            .get(position % 8)
            .and_then(|row| row.get(value as usize));
        let next = permuted.and_then(|&p| VERHOEFF_D.get(usize::from(check))?.get(usize::from(p)));
        match next {
            Some(&c) => check = c,
            None => return false,
        }
    }
    check == 0
}

/// Validates an Indian **Aadhaar** number: 12 ASCII digits (no spaces), first digit 2–9, not a
/// palindrome, last digit a Verhoeff check digit.
///
/// The palindrome rule follows UIDAI's allocation rules (and python-stdnum). The 16-digit
/// Virtual ID uses the same check; validate it with [`verhoeff_is_valid`].
///
/// ```
/// use scrim_core::checksum::national::in_aadhaar;
///
/// assert!(in_aadhaar(b"234123412346"));
/// assert!(!in_aadhaar(b"123412341234")); // cannot start with 1
/// ```
#[must_use]
pub fn in_aadhaar(input: &[u8]) -> bool {
    let Some(values) = digits::<12>(input) else {
        return false;
    };
    let first_ok = values.first().is_some_and(|&d| d >= 2);
    let palindrome = input.iter().eq(input.iter().rev());
    first_ok && !palindrome && verhoeff_is_valid(input)
}

/// Validates a Singapore **NRIC or FIN**: 9 characters, a series letter `S`, `T`, `F`, `G` or
/// `M`, 7 digits and a check letter.
///
/// The check letter comes from Σ digitᵢ·`2 7 6 5 4 3 2` mod 11 (plus 4 for the `T` and `G`
/// series, 3 for `M`) looked up in one of three letter tables: `JZIHGFEDCBA` for S/T (citizens
/// and permanent residents), `XWUTRQPNMLK` for F/G (foreigners before 2022), and `KLJNPQRTUWX`
/// read backwards for M (foreigners since 2022).
///
/// ```
/// use scrim_core::checksum::national::sg_nric;
///
/// assert!(sg_nric(b"S1728872E"));
/// assert!(!sg_nric(b"S1728872F"));
/// ```
#[must_use]
pub fn sg_nric(input: &[u8]) -> bool {
    const WEIGHTS: [u32; 7] = [2, 7, 6, 5, 4, 3, 2];
    let &[series, ref body @ .., check] = input else {
        return false;
    };
    let Some(values) = digits::<7>(body) else {
        return false;
    };
    let sum = weighted_sum(&values, &WEIGHTS);
    let expected = match series.to_ascii_uppercase() {
        b'S' => b"JZIHGFEDCBA".get((sum % 11) as usize),
        b'T' => b"JZIHGFEDCBA".get(((sum + 4) % 11) as usize),
        b'F' => b"XWUTRQPNMLK".get((sum % 11) as usize),
        b'G' => b"XWUTRQPNMLK".get(((sum + 4) % 11) as usize),
        b'M' => b"KLJNPQRTUWX".get((10 - (sum + 3) % 11) as usize),
        _ => None,
    };
    expected == Some(&check.to_ascii_uppercase())
}

/// Validates a South Korean **resident registration number** (RRN) `YYMMDDGNNNNNC`: 13 ASCII
/// digits, or 14 characters with the usual `-` after the birth date (`YYMMDD-GNNNNNC`).
///
/// * `G` gives the century of the birth date (`9`/`0`: 1800s, `1`/`2`/`5`/`6`: 1900s,
///   `3`/`4`/`7`/`8`: 2000s); the date must be a real day (future dates are not rejected).
/// * Numbers issued before October 2020 carry a regional code (the two digits after `G`, at
///   most 96) and a check digit `C = (11 − Σ dᵢ·(2 3 4 5 6 7 8 9 2 3 4 5) mod 11) mod 10`.
/// * Since October 2020 the six digits after `G` are assigned at random, so a number that fails
///   those checks but was born on or after 2020-10-01 answers [`Validity::Unknown`].
///
/// A wrong length, alphabet or date is [`Validity::Invalid`]. A failed check for a birth date
/// before 2020-10 is [`Validity::Invalid`] too: re-issued numbers of people born earlier are
/// rare, and calling every failed check `Unknown` would make the check worthless.
///
/// ```
/// use scrim_core::checksum::national::{kr_rrn, Validity};
///
/// assert_eq!(kr_rrn(b"9001011234568"), Validity::Valid);
/// assert_eq!(kr_rrn(b"900101-1234567"), Validity::Invalid); // wrong check digit
/// assert_eq!(kr_rrn(b"2101013987654"), Validity::Unknown); // born 2021: random digits
/// ```
#[must_use]
pub fn kr_rrn(input: &[u8]) -> Validity {
    const WEIGHTS: [u32; 12] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
    // Drop the optional hyphen after the birth date.
    let mut joined = [0u8; 13];
    let bytes = match input.split_at_checked(6) {
        Some((date, [b'-', rest @ ..])) if rest.len() == 7 => {
            for (slot, &byte) in joined.iter_mut().zip(date.iter().chain(rest)) {
                *slot = byte;
            }
            joined.as_slice()
        }
        _ => input,
    };
    let Some(values) = digits::<13>(bytes) else {
        return Validity::Invalid;
    };
    let [y1, y2, m1, m2, d1, d2, gender, r1, r2, .., check] = values;
    let century = match gender {
        9 | 0 => 1800,
        1 | 2 | 5 | 6 => 1900,
        _ => 2000,
    };
    let (year, month, day) = (century + y1 * 10 + y2, m1 * 10 + m2, d1 * 10 + d2);
    if !is_real_date(year, month, day) {
        return Validity::Invalid;
    }
    let expected = (11 - weighted_sum(&values, &WEIGHTS) % 11) % 10;
    if check == expected && r1 * 10 + r2 <= 96 {
        Validity::Valid
    } else if (year, month) >= (2020, 10) {
        Validity::Unknown
    } else {
        Validity::Invalid
    }
}

/// Validates a Japanese **My Number** (individual number, 個人番号): 12 ASCII digits whose last
/// digit is the check digit.
///
/// With weights `6 5 4 3 2 7 6 5 4 3 2` over the first 11 digits, r = Σ mod 11 and the check
/// digit is 0 if r ≤ 1, else 11 − r.
///
/// ```
/// use scrim_core::checksum::national::jp_my_number;
///
/// assert!(jp_my_number(b"123456789018"));
/// assert!(!jp_my_number(b"123456789011"));
/// ```
#[must_use]
pub fn jp_my_number(input: &[u8]) -> bool {
    const WEIGHTS: [u32; 11] = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let Some(values) = digits::<12>(input) else {
        return false;
    };
    let r = weighted_sum(&values, &WEIGHTS) % 11;
    let expected = if r <= 1 { 0 } else { 11 - r };
    values.last() == Some(&expected)
}

/// Validates a Brazilian **CPF** (Cadastro de Pessoas Físicas): 11 ASCII digits (the printed
/// `ddd.ddd.ddd-dd` form with its dots and dash stripped), two mod-11 check digits.
///
/// The 10th digit checks the first 9 (weights 10…2), the 11th checks the first 10 (weights
/// 11…2); a remainder r gives 0 if r < 2, else 11 − r. Numbers with all 11 digits equal pass
/// that arithmetic but are never issued, so they are rejected.
///
/// ```
/// use scrim_core::checksum::national::br_cpf;
///
/// assert!(br_cpf(b"52998224725"));
/// assert!(!br_cpf(b"11111111111"));
/// ```
#[must_use]
pub fn br_cpf(input: &[u8]) -> bool {
    const WEIGHTS: [u32; 10] = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2];
    let Some(values) = digits::<11>(input) else {
        return false;
    };
    let check = |len: usize| {
        let start = 10 - len;
        let sum = weighted_sum(&values, WEIGHTS.get(start..).unwrap_or_default());
        let r = sum % 11;
        if r < 2 { 0 } else { 11 - r }
    };
    let all_equal = values.iter().all(|d| Some(d) == values.first());
    let [.., c1, c2] = values;
    !all_equal && c1 == check(9) && c2 == check(10)
}

/// The mod-23 letter of Spain's DNI and NIE.
fn es_check_letter(number: u32) -> Option<u8> {
    b"TRWAGMYFPDXBNJZSQVHLCKE"
        .get((number % 23) as usize)
        .copied()
}

/// The decimal value of a run of digit values.
fn decimal(values: &[u32]) -> u32 {
    values.iter().fold(0, |acc, d| acc * 10 + d)
}

/// Validates a Spanish **DNI** (Documento Nacional de Identidad, the NIF of a Spanish national):
/// 9 characters, 8 digits then a check letter.
///
/// The letter is `TRWAGMYFPDXBNJZSQVHLCKE`[number mod 23].
///
/// ```
/// use scrim_core::checksum::national::es_dni;
///
/// assert!(es_dni(b"54362315K"));
/// assert!(!es_dni(b"54362315Z"));
/// ```
#[must_use]
pub fn es_dni(input: &[u8]) -> bool {
    let Some((&letter, body)) = input.split_last() else {
        return false;
    };
    let Some(values) = digits::<8>(body) else {
        return false;
    };
    es_check_letter(decimal(&values)) == Some(letter.to_ascii_uppercase())
}

/// Validates a Spanish **NIE** (Número de Identidad de Extranjero): 9 characters, `X`, `Y` or
/// `Z`, 7 digits, then a check letter.
///
/// `X`, `Y`, `Z` stand for 0, 1, 2 in front of the digits; the letter is then computed as for
/// the DNI (mod 23).
///
/// ```
/// use scrim_core::checksum::national::es_nie;
///
/// assert!(es_nie(b"X2482300W"));
/// assert!(!es_nie(b"X2482300A"));
/// ```
#[must_use]
pub fn es_nie(input: &[u8]) -> bool {
    let &[prefix, ref body @ .., letter] = input else {
        return false;
    };
    let lead = match prefix.to_ascii_uppercase() {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        _ => return false,
    };
    let Some(values) = digits::<7>(body) else {
        return false;
    };
    es_check_letter(lead * 10_000_000 + decimal(&values)) == Some(letter.to_ascii_uppercase())
}

/// The value of an Italian codice fiscale date/serial character: a digit, or its omocodia
/// letter substitute (`LMNPQRSTUV` for 0–9).
fn cf_digit(byte: u8) -> Option<u32> {
    let upper = byte.to_ascii_uppercase();
    digit(upper).or_else(|| {
        b"LMNPQRSTUV"
            .iter()
            .position(|&c| c == upper)
            .and_then(|p| u32::try_from(p).ok())
    })
}

/// Validates an Italian **codice fiscale** of a person: 16 characters
/// `SSSNNNYYMDDCZZZX` (surname, name, year, month letter, day, birthplace, check letter).
///
/// * Digits of the year, day and birthplace number may be replaced by `LMNPQRSTUV` (omocodia,
///   used when two people would get the same code).
/// * The month letter is one of `ABCDEHLMPRST`; the day is 1–31 for men and 41–71 for women
///   and must exist in that month (the year is read as 1920–2019).
/// * The check letter is `A` + Σ mod 26, where characters in odd positions (1st, 3rd, …) map
///   through the table `1 0 5 7 9 13 15 17 19 21 2 4 18 20 11 3 6 8 12 14 16 10 22 25 24 23`
///   (for 0–9 and A–Z alike, by index) and characters in even positions count at face value
///   (A = 0 … Z = 25).
///
/// The 11-digit codice fiscale of companies (the VAT number) is not accepted here.
///
/// ```
/// use scrim_core::checksum::national::it_codice_fiscale;
///
/// assert!(it_codice_fiscale(b"RCCMNL83S18D969H"));
/// assert!(it_codice_fiscale(b"RCCMNL83S18D96RU")); // omocodia: 9 → R
/// assert!(!it_codice_fiscale(b"RCCMNL83S18D969A"));
/// ```
#[must_use]
pub fn it_codice_fiscale(input: &[u8]) -> bool {
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let Ok(
        &[
            n1,
            n2,
            n3,
            n4,
            n5,
            n6,
            y1,
            y2,
            month,
            d1,
            d2,
            place,
            p1,
            p2,
            p3,
            check,
        ],
    ) = <&[u8; 16]>::try_from(input)
    else {
        return false;
    };
    let letters_ok = [n1, n2, n3, n4, n5, n6, place, check]
        .iter()
        .all(|&b| letter(b).is_some());
    let serial_ok = [p1, p2, p3].iter().all(|&b| cf_digit(b).is_some());
    let (Some(y1), Some(y2), Some(d1), Some(d2)) =
        (cf_digit(y1), cf_digit(y2), cf_digit(d1), cf_digit(d2))
    else {
        return false;
    };
    let Some(month) = b"ABCDEHLMPRST"
        .iter()
        .position(|&c| c == month.to_ascii_uppercase())
        .and_then(|m| u32::try_from(m).ok())
    else {
        return false;
    };
    let yy = y1 * 10 + y2;
    let year = if yy < 20 { 2000 + yy } else { 1900 + yy };
    let date_ok = is_real_date(year, month + 1, (d1 * 10 + d2) % 40);
    if !(letters_ok && serial_ok && date_ok) {
        return false;
    }
    let mut sum = 0;
    for (position, &byte) in input.iter().take(15).enumerate() {
        let index = digit(byte).or_else(|| letter(byte));
        let value = if position % 2 == 0 {
            index.and_then(|i| ODD.get(i as usize).copied())
        } else {
            index
        };
        let Some(value) = value else {
            return false;
        };
        sum += value;
    }
    letter(check) == Some(sum % 26)
}

/// Validates a French **NIR** (numéro de sécurité sociale, INSEE number): 15 characters, 13
/// digits and a 2-digit key, where the département (characters 6–7) may be the Corsican `2A` or
/// `2B`.
///
/// The key is 97 − (the first 13 digits mod 97), with `2A` read as `19` and `2B` as `18`.
/// Like python-stdnum, only the structure and key are checked, not the sex digit or month.
///
/// ```
/// use scrim_core::checksum::national::fr_nir;
///
/// assert!(fr_nir(b"295109912611193"));
/// assert!(fr_nir(b"253072B07300470"));
/// assert!(!fr_nir(b"295109912611194"));
/// ```
#[must_use]
pub fn fr_nir(input: &[u8]) -> bool {
    let Some((head, rest)) = input.split_at_checked(5) else {
        return false;
    };
    let Some(([dep1, dep2], tail)) = rest.split_first_chunk::<2>() else {
        return false;
    };
    let department = match (*dep1, dep2.to_ascii_uppercase()) {
        (b'2', b'A') => Some(19),
        (b'2', b'B') => Some(18),
        (a, b) => digit(a).zip(digit(b)).map(|(a, b)| a * 10 + b),
    };
    let (Some(head), Some(department), Some(tail)) =
        (digits::<5>(head), department, digits::<8>(tail))
    else {
        return false;
    };
    let Some((serial, key)) = tail.split_at_checked(6) else {
        return false;
    };
    // 13 digits exceed u32, so reduce mod 97 as we go.
    let number = serial
        .iter()
        .fold(decimal(&head) * 100 + department, |acc, d| {
            (acc * 10 + d) % 97
        });
    97 - number % 97 == decimal(key)
}

/// Validates a German **Steuerliche Identifikationsnummer** (tax ID, IdNr): 11 ASCII digits,
/// first digit not 0.
///
/// * Among the first 10 digits exactly one digit occurs twice or three times and every other
///   digit at most once.
/// * The 11th digit is the ISO 7064 MOD 11,10 check digit: p = 10; for each of the first 10
///   digits, s = (d + p) mod 10 (0 → 10) and p = 2s mod 11; the check digit is 11 − p
///   (10 → 0).
///
/// ```
/// use scrim_core::checksum::national::de_steuer_id;
///
/// assert!(de_steuer_id(b"36574261809"));
/// assert!(!de_steuer_id(b"36574261808"));
/// ```
#[must_use]
pub fn de_steuer_id(input: &[u8]) -> bool {
    let Some(values) = digits::<11>(input) else {
        return false;
    };
    let [first, .., check] = values;
    if first == 0 {
        return false;
    }
    let mut counts = [0u8; 10];
    let mut product = 10;
    for &d in values.iter().take(10) {
        if let Some(count) = counts.get_mut(d as usize) {
            *count += 1;
        }
        let s = match (d + product) % 10 {
            0 => 10,
            s => s,
        };
        product = 2 * s % 11;
    }
    let repeated: u32 = counts.iter().map(|&c| u32::from(c > 1)).sum();
    let repetition_ok = repeated == 1 && counts.iter().all(|&c| c <= 3);
    let expected = match 11 - product {
        10 => 0,
        c => c,
    };
    repetition_ok && check == expected
}

/// Validates a UK **National Insurance number** (NINO): 9 characters, a two-letter prefix, 6
/// digits and a suffix `A`–`D`. There is no check digit; only the allocation rules are checked.
///
/// * The first letter is not `D F I Q U V`; the second is not `D F I O Q U V`.
/// * The prefixes `BG GB KN NK NT TN ZZ` are never allocated (`ZZ` appears in Faker data and
///   examples, `QQ` in HMRC's own examples).
///
/// Because any 9 characters of the right shape pass, detectors should require context.
///
/// ```
/// use scrim_core::checksum::national::gb_nino;
///
/// assert!(gb_nino(b"AB123456C"));
/// assert!(!gb_nino(b"ZZ123456C"));
/// assert!(!gb_nino(b"AB123456E"));
/// ```
#[must_use]
pub fn gb_nino(input: &[u8]) -> bool {
    let &[first, second, ref number @ .., suffix] = input else {
        return false;
    };
    let (first, second) = (first.to_ascii_uppercase(), second.to_ascii_uppercase());
    let first_ok = first.is_ascii_uppercase() && !b"DFIQUV".contains(&first);
    let second_ok = second.is_ascii_uppercase() && !b"DFIOQUV".contains(&second);
    let excluded =
        [*b"BG", *b"GB", *b"KN", *b"NK", *b"NT", *b"TN", *b"ZZ"].contains(&[first, second]);
    let suffix_ok = matches!(suffix.to_ascii_uppercase(), b'A'..=b'D');
    first_ok && second_ok && !excluded && suffix_ok && digits::<6>(number).is_some()
}

/// Validates a UK **NHS number** (England, Wales, Isle of Man): 10 ASCII digits whose last is a
/// mod-11 check digit.
///
/// With weights 10…2 over the first 9 digits, the check digit is 11 − (Σ mod 11), where 11
/// means 0 and 10 means the number is never issued.
///
/// ```
/// use scrim_core::checksum::national::gb_nhs;
///
/// assert!(gb_nhs(b"9434765919"));
/// assert!(!gb_nhs(b"9434765918"));
/// ```
#[must_use]
pub fn gb_nhs(input: &[u8]) -> bool {
    const WEIGHTS: [u32; 9] = [10, 9, 8, 7, 6, 5, 4, 3, 2];
    let Some(values) = digits::<10>(input) else {
        return false;
    };
    let expected = match 11 - weighted_sum(&values, &WEIGHTS) % 11 {
        11 => 0,
        c => c,
    };
    values.last() == Some(&expected)
}

/// Validates a Polish **PESEL**: 11 ASCII digits `YYMMDDZZZXC` with a real birth date and a
/// check digit.
///
/// * The month carries the century: +80 for 1800–1899, +0 for 1900s, +20 for 2000s, +40 for
///   2100s, +60 for 2200s.
/// * The check digit is (10 − Σ dᵢ·`1 3 7 9 1 3 7 9 1 3` mod 10) mod 10.
///
/// ```
/// use scrim_core::checksum::national::pl_pesel;
///
/// assert!(pl_pesel(b"44051401359"));
/// assert!(pl_pesel(b"02270803624")); // 2002-07-08
/// assert!(!pl_pesel(b"44051401358"));
/// ```
#[must_use]
pub fn pl_pesel(input: &[u8]) -> bool {
    const WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let Some(values) = digits::<11>(input) else {
        return false;
    };
    let [y1, y2, m1, m2, d1, d2, .., check] = values;
    let coded_month = m1 * 10 + m2;
    let century = match coded_month / 20 {
        0 => 1900,
        1 => 2000,
        2 => 2100,
        3 => 2200,
        _ => 1800,
    };
    let date_ok = is_real_date(century + y1 * 10 + y2, coded_month % 20, d1 * 10 + d2);
    date_ok && check == (10 - weighted_sum(&values, &WEIGHTS) % 10) % 10
}

/// Validates a **Hong Kong identity card** number: one or two letters, 6 digits and a check
/// character `0`–`9` or `A`.
///
/// Accepted forms: the printed `A123456(3)` / `AB123456(9)`, or the normalized form without
/// parentheses `A1234563` / `AB1234569`. Other separators must be stripped.
///
/// With one letter, a space worth 36 is prepended; letters are worth A = 10 … Z = 35; the 8
/// positions get weights 9…2; the check is (11 − Σ mod 11) mod 11, with 10 written `A`.
///
/// ```
/// use scrim_core::checksum::national::hk_id;
///
/// assert!(hk_id(b"A123456(3)"));
/// assert!(hk_id(b"A1234563"));
/// assert!(!hk_id(b"A123456(4)"));
/// ```
#[must_use]
pub fn hk_id(input: &[u8]) -> bool {
    let (body, check) = match input {
        [body @ .., b'(', check, b')'] => (body, *check),
        [body @ .., check] => (body, *check),
        [] => return false,
    };
    // A one-letter ID is padded with a space worth 36.
    let (first, second, number) = match body {
        [a, rest @ ..] if rest.len() == 6 => (Some(36), letter(*a), rest),
        [a, b, rest @ ..] if rest.len() == 6 => (letter(*a).map(|v| v + 10), letter(*b), rest),
        _ => return false,
    };
    let (Some(first), Some(second), Some(values)) =
        (first, second.map(|v| v + 10), digits::<6>(number))
    else {
        return false;
    };
    let sum = first * 9 + second * 8 + weighted_sum(&values, &[7, 6, 5, 4, 3, 2]);
    let expected = (11 - sum % 11) % 11;
    let check = match check.to_ascii_uppercase() {
        b'A' => Some(10),
        other => digit(other),
    };
    check == Some(expected)
}

/// Validates a **Taiwan** national identification number (or the resident certificate number
/// issued to foreigners since 2021): 10 characters, a letter, `1`/`2` (citizens) or `8`/`9`
/// (new-style resident certificates), 7 more digits and a check digit.
///
/// The letter becomes two digits (A=10 B=11 C=12 D=13 E=14 F=15 G=16 H=17 I=34 J=18 K=19
/// L=20 M=21 N=22 O=35 P=23 Q=24 R=25 S=26 T=27 U=28 V=29 W=32 X=30 Y=31 Z=33), weighted 1
/// and 9; the next 8 digits are weighted 8…1 and the check digit 1; the total must be a
/// multiple of 10.
///
/// ```
/// use scrim_core::checksum::national::tw_id;
///
/// assert!(tw_id(b"A123456789"));
/// assert!(!tw_id(b"A123456788"));
/// assert!(!tw_id(b"A323456789")); // second digit must be 1, 2, 8 or 9
/// ```
#[must_use]
pub fn tw_id(input: &[u8]) -> bool {
    const CODES: [u32; 26] = [
        10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32,
        30, 31, 33,
    ];
    let &[area, ref rest @ ..] = input else {
        return false;
    };
    let Some(code) = letter(area).and_then(|i| CODES.get(i as usize)) else {
        return false;
    };
    let Some(values) = digits::<9>(rest) else {
        return false;
    };
    if !matches!(values.first(), Some(1 | 2 | 8 | 9)) {
        return false;
    }
    let sum = code / 10 + (code % 10) * 9 + weighted_sum(&values, &[8, 7, 6, 5, 4, 3, 2, 1, 1]);
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_vectors_pass() {
        assert!(sg_nric(b"S1728872E"));
        assert!(sg_nric(b"G4549883U"));
        assert!(sg_nric(b"M1234567K"));
        assert!(hk_id(b"A123456(3)"));
        assert!(tw_id(b"A123456789"));
    }

    #[test]
    fn every_other_check_digit_fails() {
        // The check digit is determined by the body, so any other digit in its place fails.
        type Check = fn(&[u8]) -> bool;
        let cases: [(Check, &[u8]); 6] = [
            (in_aadhaar, b"234123412346"),
            (jp_my_number, b"123456789018"),
            (br_cpf, b"52998224725"),
            (gb_nhs, b"9434765919"),
            (pl_pesel, b"44051401359"),
            (de_steuer_id, b"36574261809"),
        ];
        for (validate, valid) in cases {
            assert!(validate(valid), "{}", core::str::from_utf8(valid).unwrap());
            let last = valid.len() - 1;
            let mut changed = valid.to_vec();
            for d in b'0'..=b'9' {
                if d == valid[last] {
                    continue;
                }
                changed[last] = d;
                assert!(
                    !validate(&changed),
                    "{}",
                    core::str::from_utf8(&changed).unwrap()
                );
            }
        }
    }

    #[test]
    fn kr_rrn_accepts_the_hyphen_only_after_the_date() {
        assert_eq!(kr_rrn(b"900101-1234568"), Validity::Valid);
        assert_eq!(kr_rrn(b"9001011-234568"), Validity::Invalid);
        assert_eq!(kr_rrn(b"900101 1234568"), Validity::Invalid);
        assert_eq!(kr_rrn(b"900230-1234568"), Validity::Invalid);
    }

    #[test]
    fn kr_rrn_is_unknown_only_for_recent_births() {
        // Same digits, wrong check: born 2020-09-30 is invalid, born 2020-10-01 unknown.
        let good = |date: &[u8]| {
            let mut n = [0u8; 13];
            n[..6].copy_from_slice(date);
            n[6..12].copy_from_slice(b"312345");
            let sum: u32 = n[..12]
                .iter()
                .zip([2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5])
                .map(|(d, w)| u32::from(d - b'0') * w)
                .sum();
            n[12] = b'0' + ((11 - sum % 11) % 10) as u8;
            n
        };
        for (date, bad_answer) in [
            (b"200930", Validity::Invalid),
            (b"201001", Validity::Unknown),
        ] {
            let valid = good(date);
            assert_eq!(kr_rrn(&valid), Validity::Valid);
            let mut bad = valid;
            bad[12] = if bad[12] == b'9' { b'0' } else { bad[12] + 1 };
            assert_eq!(kr_rrn(&bad), bad_answer);
        }
    }

    #[test]
    fn hk_id_needs_both_parentheses() {
        assert!(hk_id(b"AB987654(3)") == hk_id(b"AB9876543"));
        assert!(!hk_id(b"A123456(3"));
        assert!(!hk_id(b"A1234563)"));
        assert!(!hk_id(b"1123456(3)"));
    }

    #[test]
    fn lowercase_letters_are_accepted() {
        assert!(es_nie(b"x2482300w"));
        assert!(it_codice_fiscale(b"rccmnl83s18d969h"));
        assert!(sg_nric(b"s1728872e"));
        assert!(hk_id(b"a123456(3)"));
    }

    #[test]
    fn no_input_panics() {
        let fns: [fn(&[u8]) -> bool; 15] = [
            verhoeff_is_valid,
            in_aadhaar,
            sg_nric,
            |s| kr_rrn(s) != Validity::Invalid,
            jp_my_number,
            br_cpf,
            es_dni,
            es_nie,
            it_codice_fiscale,
            fr_nir,
            de_steuer_id,
            gb_nino,
            gb_nhs,
            pl_pesel,
            |s| hk_id(s) || tw_id(s),
        ];
        let alphabet = b"09AZaz()-\xff ";
        for f in fns {
            assert!(!f(b""));
            for len in 1..=17 {
                for &byte in alphabet {
                    let input = [byte; 17];
                    f(&input[..len]);
                }
            }
        }
    }
}
