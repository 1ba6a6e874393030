//! Word-shaped candidates: tokens of ASCII letters and digits (IBAN, USCC, passports,
//! lettered national ids, licence plates), Han names and Chinese addresses after a lead word,
//! and whole values under name/address keys.

use super::catalogue::Builtin;
use super::numeric::cn_province;
use super::text::{
    class, class_of, find_high_in, is_word, utf8_len, word_at, word_before, word_end,
};
use super::{Evidence, Scan};
use crate::checksum;

/// IBAN length per country (ISO 13616 registry).
static IBAN_LENGTHS: &[(&[u8; 2], u8)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NL", 18),
    (b"NO", 15),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"SA", 24),
    (b"SC", 31),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
];

/// Scans word-shaped candidates in a value with [`super::text::presence`] flags `has`.
/// Every token-shaped id has a digit or (plates) a Chinese character, and every Chinese lead
/// word is non-ASCII. Tokens, English month names and English lead words all need an ASCII
/// letter, so a value without one skips them; see [`english_leads`] for what it needs.
pub(crate) fn scan(sc: &mut Scan<'_, '_>, has: super::text::has::Has) {
    use super::text::has::{ALPHA, DIGIT, HIGH, LOWER, UPPER};
    let any = |flag| has & flag != 0;
    let (digits, high, alpha) = (any(DIGIT), any(HIGH), any(ALPHA));
    // Ids have a digit; a plate may have none but always has its Chinese province character.
    // Every token reported has a letter (`tokens` skips the others).
    if (digits || high) && alpha {
        tokens(sc);
    }
    if digits && alpha {
        super::dates::scan_month_names(sc);
    }
    if high {
        lead_words(sc);
    }
    // A name after an English lead is two or more capitalized words (an uppercase and a
    // lowercase letter); an address ends in a state code or UK postcode (uppercase letters)
    // and a digit.
    let (names, addresses) = (any(UPPER) && any(LOWER), any(UPPER) && digits);
    if names || addresses {
        english_leads(sc, names, addresses);
    }
    whole_value(sc);
}

/// Where a run of IBAN-shaped groups ends when the digits at `digit_start` are the check
/// digits of an IBAN head (`DE44 5001 0517 ...`, country letters right before them): the
/// groups are one account number whether or not its check digits are right, so the digit
/// scanner skips them instead of reading cards or national ids inside.
pub(crate) fn iban_run_end(s: &[u8], digit_start: usize) -> Option<usize> {
    let head = digit_start.checked_sub(2)?;
    let country = s.get(head..digit_start)?;
    // Every test must pass, so their order does not change the answer: the cheapest first,
    // the search of the country list last.
    if s.get(digit_start + 2) != Some(&b' ')
        || !country.iter().all(u8::is_ascii_uppercase)
        || !s
            .get(digit_start..digit_start + 2)
            .is_some_and(|c| c.iter().all(u8::is_ascii_digit))
        || word_before(s, head)
        || !IBAN_LENGTHS.iter().any(|(c, _)| c.as_slice() == country)
    {
        return None;
    }
    let mut j = digit_start + 2;
    let mut groups = 0usize;
    while s.get(j) == Some(&b' ') {
        let g = s
            .get(j + 1..)
            .map_or(0, |t| t.iter().take_while(|&&b| upper_alnum(b)).count());
        if g == 0 || g > 4 || word_at(s, j + 1 + g) {
            break;
        }
        j += 1 + g;
        groups += 1;
        if g < 4 {
            break;
        }
    }
    (groups >= 2).then_some(j)
}

fn upper_alnum(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

/// Walks ASCII tokens that contain a letter and start at a word boundary.
fn tokens(sc: &mut Scan<'_, '_>) {
    let s = sc.s;
    let mut i = 0usize;
    while i < s.len() {
        // One tight loop per token: where it starts, where it ends, what it contains.
        let Some(&b0) = s.get(i) else { return };
        if class_of(b0) & (class::ALPHA | class::DIGIT) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        let glued_before = word_before(s, start);
        // The classes seen in the token, one table load per byte.
        let mut seen = 0u8;
        let mut end = start;
        while let Some(&b) = s.get(end) {
            let c = class_of(b);
            if c == 0 {
                break;
            }
            seen |= c;
            end += 1;
        }
        let (letter, digit, underscore) = (
            seen & class::ALPHA != 0,
            seen & class::DIGIT != 0,
            seen & class::UNDERSCORE != 0,
        );
        i = end.max(start + 1);
        // Every token-shaped id has a letter and a digit, except plates: a lone letter
        // (`京A·12345`) or a serial of letters only (`鄂FHDEFD`, GA 36-2018 allows it).
        let len = end - start;
        if glued_before || !letter || underscore {
            continue;
        }
        if !digit {
            if (len == 1 || len == 6 || len == 7)
                && let Some(tok) = s.get(start..end)
            {
                plate(sc, start, tok);
            }
            continue;
        }
        let Some(tok) = s.get(start..end) else {
            continue;
        };
        if let Some(e) = iban(sc, start, tok) {
            i = e;
            continue;
        }
        if tok.len() == 18
            && uscc_lettered(tok)
            && sc.emit(Builtin::CnUscc, start, end, Evidence::Checksum)
        {
            continue;
        }
        // A token glued to `-` + word (`AB-123`, UUID parts) is not an id.
        let glued = matches!(s.get(end), Some(b'-' | b'.')) && word_at(s, end + 1)
            || start > 0
                && matches!(s.get(start - 1), Some(b'-' | b'.' | b'/'))
                && start >= 2
                && word_at(s, start - 2);
        if glued {
            continue;
        }
        if plate(sc, start, tok) {
            continue;
        }
        if lettered_pack(sc, start, tok) {
            continue;
        }
        if passport_shape(tok) {
            sc.emit(Builtin::Passport, start, end, Evidence::Format);
        }
    }
}

/// IBAN at `start` (contiguous, or in groups of four separated by single spaces).
fn iban(sc: &mut Scan<'_, '_>, start: usize, tok: &[u8]) -> Option<usize> {
    if !sc.on(Builtin::Iban) {
        return None;
    }
    let head = tok.get(..4)?;
    if !(head.iter().take(2).all(u8::is_ascii_uppercase)
        && head.iter().skip(2).all(u8::is_ascii_digit))
    {
        return None;
    }
    // The list is sorted by country code (a test checks it): a binary search.
    let country = head.get(..2)?;
    let want = IBAN_LENGTHS
        .binary_search_by(|(c, _)| c.as_slice().cmp(country))
        .ok()
        .and_then(|k| IBAN_LENGTHS.get(k))
        .map(|&(_, n)| usize::from(n))?;
    let s = sc.s;
    let mut buf = [0u8; 34];
    let mut n = 0usize;
    let end;
    if tok.len() == want {
        for &b in tok {
            *buf.get_mut(n)? = b;
            n += 1;
        }
        end = start + tok.len();
    } else if tok.len() == 4 {
        // Spaced form: groups of 4, the last may be shorter.
        let mut j = start;
        loop {
            let g = s
                .get(j..)
                .map_or(0, |t| t.iter().take_while(|&&b| upper_alnum(b)).count());
            if g == 0 || g > 4 {
                return None;
            }
            for &b in s.get(j..j + g)? {
                *buf.get_mut(n)? = b;
                n += 1;
            }
            j += g;
            if n >= want || g < 4 {
                break;
            }
            if s.get(j) != Some(&b' ') || !s.get(j + 1).is_some_and(|&b| upper_alnum(b)) {
                break;
            }
            j += 1;
        }
        if n != want || word_at(s, j) {
            return None;
        }
        end = j;
    } else {
        return None;
    }
    let compact = buf.get(..n)?;
    if !compact.iter().all(|&b| upper_alnum(b)) || !checksum::iban_mod97(compact) {
        return None;
    }
    sc.emit(Builtin::Iban, start, end, Evidence::Checksum)
        .then_some(end)
}

/// A USCC with letters: registration authority and type codes, province, mod 31.
fn uscc_lettered(tok: &[u8]) -> bool {
    matches!(tok.first(), Some(b'1'..=b'9' | b'A' | b'N' | b'Y'))
        && matches!(tok.get(1), Some(b'1' | b'2' | b'3' | b'9'))
        && tok.get(2..).is_some_and(cn_province)
        && tok
            .get(2..8)
            .is_some_and(|a| a.iter().all(u8::is_ascii_digit))
        && checksum::uscc(tok)
}

/// Passport numbers: CN `E` + 8 digits or `E` + letter + 7 digits, `G`/`D`/`S`/`P` + 7-8
/// digits, permits `C`/`H`/`M` + 8 digits, and a generic 1-2 letters + 6-9 digits.
fn passport_shape(tok: &[u8]) -> bool {
    let letters = tok.iter().take_while(|b| b.is_ascii_uppercase()).count();
    let digits = tok.len() - letters;
    if !tok.iter().skip(letters).all(u8::is_ascii_digit) {
        return false;
    }
    match letters {
        1 => (6..=9).contains(&digits),
        2 => (6..=9).contains(&digits) || tok.first() == Some(&b'E') && digits == 7,
        _ => false,
    }
}

/// The province abbreviations that start a licence plate.
const PLATE_PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

fn plate_letter(b: u8) -> bool {
    b.is_ascii_uppercase() && b != b'I' && b != b'O'
}

/// `京A12345`, `粤B·D12345` (new energy), `沪A1234学`: province character, a letter, 5-6
/// letters/digits (or 4 and a special character).
fn plate(sc: &mut Scan<'_, '_>, start: usize, tok: &[u8]) -> bool {
    if !sc.on(Builtin::CnLicensePlate)
        || start < 3
        || !tok.first().is_some_and(|&b| plate_letter(b))
    {
        return false;
    }
    let s = sc.s;
    // Every province is one 3-byte character, and a valid UTF-8 string occurs inside another
    // only at character boundaries, so "the 3 bytes are one of the characters" is the same
    // test as a substring search, without decoding.
    let Some(prov) = s.get(start - 3..start) else {
        return false;
    };
    let province = prov.first().is_some_and(|&b| b >= 0xE4)
        && PLATE_PROVINCES
            .as_bytes()
            .chunks_exact(3)
            .any(|c| c == prov);
    if !province {
        return false;
    }
    // Body after the letter: directly, or after `·` / a space.
    let (body_start, body) = if tok.len() == 1 {
        let sep = if s.get(start + 1..start + 3) == Some("·".as_bytes()) {
            2
        } else if s.get(start + 1) == Some(&b' ') {
            1
        } else {
            return false;
        };
        let b0 = start + 1 + sep;
        let len = s.get(b0..).map_or(0, |t| {
            t.iter().take_while(|b| b.is_ascii_alphanumeric()).count()
        });
        (b0, s.get(b0..b0 + len).unwrap_or_default())
    } else {
        (start + 1, tok.get(1..).unwrap_or_default())
    };
    let ok_chars = body.iter().all(|&b| b.is_ascii_digit() || plate_letter(b));
    let mut end = body_start + body.len();
    let ok = ok_chars
        && match body.len() {
            5 | 6 => true,
            4 => {
                let special = ["挂", "学", "警", "港", "澳"]
                    .iter()
                    .any(|c| s.get(end..end + 3) == Some(c.as_bytes()));
                if special {
                    end += 3;
                }
                special
            }
            _ => false,
        };
    ok && !word_at(s, end) && sc.emit(Builtin::CnLicensePlate, start - 3, end, Evidence::Format)
}

/// Lettered national ids of the country packs, judged by their checksums.
fn lettered_pack(sc: &mut Scan<'_, '_>, start: usize, tok: &[u8]) -> bool {
    let s = sc.s;
    let end = start + tok.len();
    let digits =
        |r: core::ops::Range<usize>| tok.get(r).is_some_and(|t| t.iter().all(u8::is_ascii_digit));
    let upper = |i: usize| tok.get(i).is_some_and(u8::is_ascii_uppercase);
    let n = tok.len();
    let mut cands: [Option<(Builtin, usize)>; 1] = [None];
    if n == 9
        && matches!(tok.first(), Some(b'S' | b'T' | b'F' | b'G' | b'M'))
        && digits(1..8)
        && upper(8)
    {
        cands[0] = Some((Builtin::SgNric, end));
    } else if n == 10
        && upper(0)
        && matches!(tok.get(1), Some(b'1' | b'2' | b'8' | b'9'))
        && digits(1..10)
    {
        cands[0] = Some((Builtin::TwId, end));
    } else if n == 9
        && upper(0)
        && upper(1)
        && digits(2..8)
        && matches!(tok.get(8), Some(b'A'..=b'D'))
    {
        cands[0] = Some((Builtin::GbNino, end));
    } else if n == 9
        && (digits(0..8) || matches!(tok.first(), Some(b'X' | b'Y' | b'Z')) && digits(1..8))
        && upper(8)
    {
        cands[0] = Some((Builtin::EsDni, end));
    } else if n == 16 && (0..6).all(upper) && upper(8) && upper(11) && upper(15) {
        cands[0] = Some((Builtin::ItCodiceFiscale, end));
    } else if (n == 7 || n == 8) && (upper(0)) && digits(n - 6..n) && (n == 7 || upper(1)) {
        // HKID: A123456(3) or AB123456(3) or A1234563.
        let paren = s.get(end) == Some(&b'(')
            && s.get(end + 2) == Some(&b')')
            && s.get(end + 1)
                .is_some_and(|&b| b.is_ascii_digit() || b == b'A');
        if paren {
            cands[0] = Some((Builtin::HkId, end + 3));
        }
    } else if (n == 8 || n == 9) && upper(0) && digits(n - 7..n) && (n == 8 || upper(1)) {
        cands[0] = Some((Builtin::HkId, end));
    }
    for (d, e) in cands.into_iter().flatten() {
        if !sc.on(d) {
            continue;
        }
        let mut buf = [0u8; 24];
        let id = super::packs::compact(s.get(start..e).unwrap_or_default(), &mut buf);
        // Without its parenthesized check digit an HKID is a letter or two and seven digits,
        // the shape of many passports (`EA5069214`): one in eleven passes, so it needs context.
        let ev = match super::packs::evidence(d, id) {
            Some(Evidence::Checksum) if d == Builtin::HkId && e == end => {
                Some(Evidence::ChecksumNeedsContext)
            }
            ev => ev,
        };
        if let Some(ev) = ev
            && sc.emit(d, start, e, ev)
        {
            return true;
        }
    }
    false
}

/// Common Chinese surnames (single characters).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝危鞠荆晁储揭蔺郜於伏骞贲匡阎燕钮厉璩桓萧赖洪官封谈惠乐郁胥班栗楚鄢劳谌奚皮粟冼楼满闻伊仝阚权帅屠豆朴盖练廉禹祖漆巴丰卿狄索宣晋相芮扈阙浦戈鹿邸雍辜裘亓修邰赫杭况宿逯茹诸战慕亢嵇湛宾戎勾茅居尉冶檀昝幸衡尧由";
/// Compound surnames.
const COMPOUND_SURNAMES: [&str; 24] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "呼延", "闻人", "赫连", "澹台", "申屠",
];

/// Whether a UTF-8 char starting at `s[i]` is a CJK unified ideograph; returns its length.
fn han_at(s: &[u8], i: usize) -> Option<usize> {
    let len = utf8_len(*s.get(i)?);
    let c = core::str::from_utf8(s.get(i..i + len)?)
        .ok()?
        .chars()
        .next()?;
    matches!(u32::from(c), 0x4E00..=0x9FFF | 0x3400..=0x4DBF).then_some(len)
}

/// A Han name at `i`: a known surname then given-name characters, 2-4 characters in total.
/// Returns the end.
fn han_name_at(s: &[u8], i: usize) -> Option<usize> {
    let compound = COMPOUND_SURNAMES
        .iter()
        .any(|c| s.get(i..i + c.len()) == Some(c.as_bytes()));
    let surname_chars = if compound {
        2
    } else {
        let len = han_at(s, i)?;
        let c = core::str::from_utf8(s.get(i..i + len)?).ok()?;
        if !SURNAMES.contains(c) {
            return None;
        }
        1
    };
    // Characters that start what follows a name (a title, a field, a particle).
    const STOPS: [&str; 12] = [
        "先", "女", "小", "的", "电", "手", "联", "地", "身", "性", "年", "住",
    ];
    let mut j = i;
    let mut count = 0usize;
    let mut stopped = false;
    while count < 4 {
        let Some(len) = han_at(s, j) else { break };
        let c = s.get(j..j + len).unwrap_or_default();
        if count > surname_chars && STOPS.iter().any(|t| t.as_bytes() == c) {
            stopped = true;
            break;
        }
        j += len;
        count += 1;
    }
    (count > surname_chars && (stopped || han_at(s, j).is_none())).then_some(j)
}

/// Lead words after which a name or an address follows (`姓名：张三`, `地址：北京市...`).
const NAME_LEADS: [&str; 15] = [
    "姓名",
    "我叫",
    "我是",
    "开户名",
    "开户人",
    "收款人",
    "受益人",
    "收件人",
    "收货人",
    "联系人",
    "持卡人",
    "申请人",
    "户主",
    "法人",
    "客户",
];
const ADDRESS_LEADS: [&str; 12] = [
    "收货地址",
    "详细地址",
    "地址",
    "住址",
    "居住地",
    "寄到",
    "寄至",
    "寄往",
    "送到",
    "送至",
    "我住在",
    "住在",
];
/// Characters that mark a Chinese address.
const ADDRESS_MARKS: [&str; 16] = [
    "省", "市", "区", "县", "镇", "乡", "村", "路", "街", "巷", "弄", "号", "栋", "楼", "室",
    "大道",
];

/// The first three bytes of `s` as one number (0 when shorter): a 3-byte character as an
/// integer, so a walk over characters compares integers instead of slices.
const fn key3(s: &[u8]) -> u32 {
    match s {
        [a, b, c, ..] => (*a as u32) << 16 | (*b as u32) << 8 | *c as u32,
        _ => 0,
    }
}

/// [`key3`] of every lead word's first character (name leads, then address leads).
#[expect(
    clippy::indexing_slicing,
    reason = "const evaluation: indices are checked by the loops, and an error fails the build"
)]
static LEAD_FIRSTS: [u32; NAME_LEADS.len() + ADDRESS_LEADS.len()] = {
    let mut t = [0u32; NAME_LEADS.len() + ADDRESS_LEADS.len()];
    let mut i = 0usize;
    while i < NAME_LEADS.len() {
        t[i] = key3(NAME_LEADS[i].as_bytes());
        i += 1;
    }
    let mut j = 0usize;
    while j < ADDRESS_LEADS.len() {
        t[NAME_LEADS.len() + j] = key3(ADDRESS_LEADS[j].as_bytes());
        j += 1;
    }
    t
};

/// For the second and the third byte of every lead word's first character, one bit per
/// value of its low six bits: a character whose bytes miss a bit starts no lead word (a
/// necessary condition tested before the list; about one character in ten passes it).
#[expect(
    clippy::indexing_slicing,
    reason = "const evaluation: the index is checked by the loop, and an error fails the build"
)]
static LEAD_FIRST_BITS: (u64, u64) = {
    let (mut mid, mut last) = (0u64, 0u64);
    let mut i = 0usize;
    while i < LEAD_FIRSTS.len() {
        let k = LEAD_FIRSTS[i];
        mid |= 1u64 << ((k >> 8) & 63);
        last |= 1u64 << (k & 63);
        i += 1;
    }
    (mid, last)
};

/// Whether the character with [`key3`] `k` may start a lead word ([`LEAD_FIRSTS`]).
#[inline]
fn may_start_lead(k: u32) -> bool {
    let (mid, last) = LEAD_FIRST_BITS;
    mid >> ((k >> 8) & 63) & 1 != 0 && last >> (k & 63) & 1 != 0 && LEAD_FIRSTS.contains(&k)
}

/// Skips `：`, `:`, `=`, spaces and a copula (`为`, `是`) after a lead word.
fn skip_colon(s: &[u8], mut j: usize) -> usize {
    loop {
        let three = s.get(j..j + 3);
        if three == Some("：".as_bytes())
            || three == Some("为".as_bytes())
            || three == Some("是".as_bytes())
        {
            j += 3;
        } else if matches!(s.get(j), Some(b':' | b' ' | b'=')) {
            j += 1;
        } else {
            return j;
        }
    }
}

/// Finds Han names and Chinese addresses after their lead words.
fn lead_words(sc: &mut Scan<'_, '_>) {
    let (names, addresses) = (sc.on(Builtin::PersonName), sc.on(Builtin::PostalAddress));
    if !names && !addresses {
        return;
    }
    let s = sc.s;
    // One pass over the 3-byte characters: only where a lead word starts is more work done.
    let mut i = 0usize;
    while i < s.len() {
        // Chinese text is mostly such characters in a row: the byte at `i` is tested before
        // the search (which would return `i` for it).
        let at = match s.get(i) {
            Some(0xE4..=0xE9) => i,
            _ => {
                let Some(off) = s.get(i..).and_then(|t| find_high_in(t, 0xE4, 0xE9)) else {
                    return;
                };
                i + off
            }
        };
        i = at + 3;
        let rest = s.get(at..).unwrap_or_default();
        // Cheap filter: the first character must start some lead word (compared as numbers).
        let Some(first) = rest.get(..3) else { return };
        let first = key3(first);
        if !may_start_lead(first) {
            continue;
        }
        // Every lead word is at least one 3-byte character: comparing `key3` (a number) first
        // rules out the leads with another first character without a slice compare.
        let starts = |l: &&&str| key3(l.as_bytes()) == first && rest.starts_with(l.as_bytes());
        if names && let Some(lead) = NAME_LEADS.iter().find(starts) {
            let from = skip_colon(s, at + lead.len());
            if let Some(end) = han_name_at(s, from)
                && sc.emit(Builtin::PersonName, from, end, Evidence::Format)
            {
                i = end;
                continue;
            }
        }
        if addresses {
            // Longest lead first (`收货地址` before `地址`).
            if let Some(lead) = ADDRESS_LEADS.iter().find(starts) {
                let from = skip_colon(s, at + lead.len());
                let end = address_end(s, from);
                let body = s.get(from..end).unwrap_or_default();
                let marks = ADDRESS_MARKS
                    .iter()
                    .filter(|m| {
                        // Marks are 3-byte characters or longer: equal `key3` first (a
                        // number), then the slice.
                        let k = key3(m.as_bytes());
                        body.windows(m.len())
                            .any(|w| key3(w) == k && w == m.as_bytes())
                    })
                    .count();
                if marks >= 2
                    && body.len() >= 12
                    && sc.emit(Builtin::PostalAddress, from, end, Evidence::Format)
                {
                    i = end;
                }
            }
        }
    }
}

/// End of an address run: Han characters, ASCII letters/digits, `-`, `#` and spaces, up to
/// Chinese or ASCII sentence punctuation.
fn address_end(s: &[u8], mut j: usize) -> usize {
    let stops = ["，", "。", "；", "！", "？", "、", "（", "）"];
    // Addresses are short; the cap also bounds the work per lead word.
    let cap = j + 300;
    while let Some(&b) = s.get(j) {
        if j >= cap {
            break;
        }
        if b < 0x80 {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'#' | b' ') {
                j += 1;
                continue;
            }
            break;
        }
        if stops.iter().any(|p| s.get(j..j + 3) == Some(p.as_bytes())) {
            break;
        }
        j += utf8_len(b);
    }
    while j > 0 && s.get(j - 1) == Some(&b' ') {
        j -= 1;
    }
    j
}

/// English words after which a person's name follows in free text (`recipient: Jane Doe`).
/// Bare `name` only counts when written `name:`, `name=` or `name is` and not after a word
/// that makes it a thing's name (`product name: Desk Lamp`).
const NAME_LEADS_EN: [&str; 18] = [
    "signed by",
    "signed",
    "sincerely",
    "regards",
    "deliver to",
    "consignee",
    "beneficiary",
    "payee",
    "customer name",
    "contact person",
    "contact name",
    "full name",
    "recipient",
    "addressee",
    "cardholder",
    "card holder",
    "account holder",
    "name",
];
/// English words after which a postal address follows in free text (`ship to 12 Main St, ...`).
const ADDRESS_LEADS_EN: [&str; 7] = [
    "shipping address",
    "billing address",
    "mailing address",
    "home address",
    "address",
    "ship to",
    "deliver to",
];
/// For each first letter (`a`..`z`), one bit per length of the first word of the `leads`
/// starting with it: a word of another length or letter starts none of them.
#[expect(
    clippy::indexing_slicing,
    reason = "const evaluation: indices are checked by the loops, and an error fails the build"
)]
const fn lead_shapes(leads: &[&str]) -> [u32; 26] {
    let mut t = [0u32; 26];
    let mut k = 0usize;
    while k < leads.len() {
        let l = leads[k].as_bytes();
        let mut n = 0usize;
        while n < l.len() && l[n] != b' ' {
            n += 1;
        }
        // A first word of 32 letters or more would not fit the mask: fail the build.
        t[(l[0] - b'a') as usize] |= 1u32 << n;
        k += 1;
    }
    t
}
/// [`lead_shapes`] of the English name leads.
static NAME_SHAPES: [u32; 26] = lead_shapes(&NAME_LEADS_EN);
/// [`lead_shapes`] of the English address leads.
static ADDRESS_SHAPES: [u32; 26] = lead_shapes(&ADDRESS_LEADS_EN);

/// Capitalized words that make a phrase an organization, team or product rather than a
/// person (`Support Desk`, `Acme Corp`, `Desk Lamp Pro`).
const NOT_NAME_WORDS: [&str; 31] = [
    "Inc",
    "Corp",
    "Ltd",
    "Llc",
    "Co",
    "Company",
    "Group",
    "Team",
    "Support",
    "Desk",
    "Service",
    "Services",
    "Department",
    "Dept",
    "Admin",
    "Administrator",
    "System",
    "Bot",
    "Store",
    "Shop",
    "Bank",
    "Pro",
    "Plus",
    "Lamp",
    "Cable",
    "Center",
    "Office",
    "Customer",
    "User",
    "Account",
    "Order",
];
/// Titles that may stand before a name.
const TITLES: [&str; 5] = ["Mr.", "Mrs.", "Ms.", "Dr.", "Miss"];

/// Whether `s[at..]` starts with `word` (ASCII case-insensitive) ending at a word boundary.
fn word_here(s: &[u8], at: usize, word: &str) -> bool {
    s.get(at..at + word.len())
        .is_some_and(|t| t.eq_ignore_ascii_case(word.as_bytes()))
        && !word_at(s, at + word.len())
}

/// Skips `:`, `=`, `,`, spaces and a copula `is` after an English lead word; also says
/// whether the lead was explicit (a `:`, `=` or `is` was seen).
fn skip_en_separator(s: &[u8], mut j: usize) -> (usize, bool) {
    let mut explicit = false;
    loop {
        match s.get(j) {
            Some(b':' | b'=') => {
                explicit = true;
                j += 1;
            }
            Some(b' ' | b',') => j += 1,
            _ if word_here(s, j, "is") && s.get(j + 2) == Some(&b' ') => {
                explicit = true;
                j += 3;
            }
            _ => return (j, explicit),
        }
    }
}

/// The lowercase ASCII word ending right before `at` (spaces and `_` skipped), if any.
fn word_ending_before(s: &[u8], at: usize) -> &[u8] {
    let mut e = at;
    while e > 0 && matches!(s.get(e - 1), Some(b' ' | b'_' | b'-')) {
        e -= 1;
    }
    let mut b = e;
    while b > 0 && s.get(b - 1).is_some_and(u8::is_ascii_alphabetic) {
        b -= 1;
    }
    s.get(b..e).unwrap_or_default()
}

/// Finds English names and US-style postal addresses after their lead words in free text.
/// `names` and `addresses` say whether the value can hold a name (it has an uppercase and a
/// lowercase ASCII letter) and an address (an uppercase letter and a digit).
fn english_leads(sc: &mut Scan<'_, '_>, names: bool, addresses: bool) {
    let (names, addresses) = (
        names && sc.on(Builtin::PersonName),
        addresses && sc.on(Builtin::PostalAddress),
    );
    if !names && !addresses {
        return;
    }
    let s = sc.s;
    let mut i = 0usize;
    while i < s.len() {
        let Some(&b) = s.get(i) else { return };
        if !is_word(b) {
            i += 1;
            continue;
        }
        // The run of word bytes at `i`. Only a run that starts with a letter and has no word
        // byte before it can start a lead; every later byte of the run has a word byte before
        // it, so a run that cannot start one is skipped whole (the byte-by-byte walk skipped
        // each of its bytes).
        let w = word_end(s, i) - i;
        if !b.is_ascii_alphabetic() || word_before(s, i) {
            i += w;
            continue;
        }
        let first = b.to_ascii_lowercase();
        // A lead can start here only if one starts with this letter and its first word is
        // exactly this run (`word_here` needs the byte after the lead's first word to end the
        // run): one table load rules out most words before any comparing.
        let shaped = |table: &[u32; 26]| {
            first
                .checked_sub(b'a')
                .and_then(|k| table.get(usize::from(k)))
                .is_some_and(|m| w < 32 && m & (1u32 << w) != 0)
        };
        let (name_here, address_here) = (shaped(&NAME_SHAPES), shaped(&ADDRESS_SHAPES));
        if !name_here && !address_here {
            i += w;
            continue;
        }
        // `word_here` needs the lead's first word to be this whole run: its byte `w` is the
        // end of the lead or a space. Checking that first saves most case-folding compares.
        let fits = |l: &&str| {
            l.as_bytes().first() == Some(&first)
                && l.len() >= w
                && l.as_bytes().get(w).is_none_or(|&c| c == b' ')
                && word_here(s, i, l)
        };
        // Addresses first: `deliver to` leads to either, and an address ends in a code.
        if addresses
            && address_here
            && let Some(lead) = ADDRESS_LEADS_EN.iter().find(|l| fits(l))
        {
            let (from, _) = skip_en_separator(s, i + lead.len());
            if let Some(end) = us_address_at(s, from)
                && sc.emit(Builtin::PostalAddress, from, end, Evidence::Format)
            {
                i = end;
                continue;
            }
        }
        if names
            && name_here
            && let Some(lead) = NAME_LEADS_EN.iter().find(|l| fits(l))
        {
            let (from, explicit) = skip_en_separator(s, i + lead.len());
            let thing_name = *lead == "name"
                && (!explicit || super::vocabulary::vetoes_name(word_ending_before(s, i)));
            if !thing_name
                && let Some(end) = latin_name_at(s, from)
                && sc.emit(Builtin::PersonName, from, end, Evidence::Format)
            {
                i = end;
                continue;
            }
        }
        i += w;
    }
}

/// A Latin name at `i`: an optional title, then 2-4 capitalized words (`Jane O'Neil`,
/// `Mary-Kate Smith`). Returns the end of the last word.
fn latin_name_at(s: &[u8], mut i: usize) -> Option<usize> {
    if let Some(t) = TITLES
        .iter()
        .find(|t| s.get(i..i + t.len()) == Some(t.as_bytes()))
        && s.get(i + t.len()) == Some(&b' ')
    {
        i += t.len() + 1;
    }
    let mut words = 0usize;
    let mut end = i;
    let mut j = i;
    while words < 4 {
        if !s.get(j).is_some_and(u8::is_ascii_uppercase) {
            break;
        }
        let mut k = j + 1;
        let mut lower = 0usize;
        while let Some(&b) = s.get(k) {
            if b.is_ascii_lowercase() {
                lower += 1;
            } else if !(matches!(b, b'\'' | b'-')
                && s.get(k + 1).is_some_and(u8::is_ascii_alphabetic))
                && !(b.is_ascii_uppercase()
                    && (lower > 0 || matches!(s.get(k - 1), Some(b'\'' | b'-'))))
            {
                break;
            }
            k += 1;
        }
        if lower == 0 || word_at(s, k) {
            break;
        }
        let word = s.get(j..k).unwrap_or_default();
        if NOT_NAME_WORDS
            .iter()
            .any(|w| w.as_bytes().eq_ignore_ascii_case(word))
        {
            return None;
        }
        words += 1;
        end = k;
        if s.get(k) != Some(&b' ') {
            break;
        }
        j = k + 1;
    }
    (words >= 2).then_some(end)
}

/// A US-style postal address at `i` ending with a state code and a ZIP code
/// (`12 Main St Apt. 4, Springfield, IL 62704`, `PSC 1234, Box 5678, APO AE 09876`): it
/// starts with a digit or a capital letter and the state and ZIP come within 160 bytes, before
/// any `;`, `(`, quote or line break. Returns the end of the ZIP code.
fn us_address_at(s: &[u8], i: usize) -> Option<usize> {
    if !s
        .get(i)
        .is_some_and(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        return None;
    }
    let mut k = i + 1;
    while k < i + 160 {
        let b = *s.get(k)?;
        if matches!(b, b';' | b'(' | b'"' | b'\n' | b'\r') || b >= 0x80 {
            return None;
        }
        // ` ST 12345` (optionally `-6789`), not glued to anything after.
        if b == b' '
            && k > i + 3
            && s.get(k + 1..k + 3)
                .is_some_and(|st| st.iter().all(u8::is_ascii_uppercase))
            && s.get(k + 3) == Some(&b' ')
            && s.get(k + 4..k + 9)
                .is_some_and(|z| z.iter().all(u8::is_ascii_digit))
        {
            let mut end = k + 9;
            if s.get(end) == Some(&b'-')
                && s.get(end + 1..end + 5)
                    .is_some_and(|z| z.iter().all(u8::is_ascii_digit))
            {
                end += 5;
            }
            if !word_at(s, end) {
                return Some(end);
            }
        }
        // `, S62 3ND`: a UK postcode after a comma ends the address.
        if b == b' '
            && k > i + 3
            && s.get(k - 1) == Some(&b',')
            && let Some(len) = uk_postcode_len(s.get(k + 1..).unwrap_or_default())
            && !word_at(s, k + 1 + len)
        {
            return Some(k + 1 + len);
        }
        k += 1;
    }
    None
}

/// Length of a UK postcode at the start of `t` (`S62 3ND`, `W8B 4FL`, `SW1A 1AA`): an
/// outward code of one or two letters, a digit and an optional letter or digit, a space, then
/// a digit and two letters.
fn uk_postcode_len(t: &[u8]) -> Option<usize> {
    let letters = t.iter().take_while(|b| b.is_ascii_uppercase()).count();
    if !(1..=2).contains(&letters) || !t.get(letters).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut j = letters + 1;
    if t.get(j)
        .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        j += 1;
    }
    let inward = t.get(j + 1..j + 4)?;
    let ok = t.get(j) == Some(&b' ')
        && inward.first().is_some_and(u8::is_ascii_digit)
        && inward
            .get(1..)
            .is_some_and(|l| l.iter().all(u8::is_ascii_uppercase));
    ok.then_some(j + 4)
}

/// Under a name or address key, the whole value is checked for the shape of a name or an
/// address.
fn whole_value(sc: &mut Scan<'_, '_>) {
    // Both findings need their key hint (pure tests, asked first: most keys hint neither).
    let name = sc.key_hints(Builtin::PersonName.index()) && sc.on(Builtin::PersonName);
    let address = sc.key_hints(Builtin::PostalAddress.index()) && sc.on(Builtin::PostalAddress);
    if !name && !address {
        return;
    }
    let s = sc.s;
    let lead = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let trail = s
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    if lead + trail >= s.len() {
        return;
    }
    let (a, b) = (lead, s.len() - trail);
    let v = s.get(a..b).unwrap_or_default();
    if name && name_shape(v) {
        sc.emit(Builtin::PersonName, a, b, Evidence::Format);
    }
    if address && address_shape(v) {
        sc.emit(Builtin::PostalAddress, a, b, Evidence::Format);
    }
}

/// A Han name (surname + 1-3 characters), or 1-4 Latin words that start with a capital.
fn name_shape(v: &[u8]) -> bool {
    if han_name_at(v, 0) == Some(v.len()) {
        return true;
    }
    if v.len() > 60 || !v.first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    let mut words = 0usize;
    for w in v.split(|&b| b == b' ') {
        if w.is_empty() {
            continue;
        }
        words += 1;
        let ok = w.first().is_some_and(|b| b.is_ascii_uppercase())
            && w.iter()
                .all(|&b| b.is_ascii_alphabetic() || matches!(b, b'-' | b'\'' | b'.') || b >= 0x80);
        if !ok {
            return false;
        }
    }
    (1..=4).contains(&words)
}

/// An address: a Chinese address with two markers, or text with a number and a word.
fn address_shape(v: &[u8]) -> bool {
    if v.len() < 6 || v.len() > 400 {
        return false;
    }
    let marks = ADDRESS_MARKS
        .iter()
        .filter(|m| {
            // As in `lead_words`: equal `key3` first, then the slice.
            let k = key3(m.as_bytes());
            v.windows(m.len())
                .any(|w| key3(w) == k && w == m.as_bytes())
        })
        .count();
    if marks >= 2 {
        return true;
    }
    let has_digit = v.iter().any(u8::is_ascii_digit);
    let has_word = v.split(|&b| !b.is_ascii_alphabetic()).any(|w| w.len() >= 3);
    has_digit && has_word && v.contains(&b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_names() {
        assert_eq!(han_name_at("张三".as_bytes(), 0), Some(6));
        assert_eq!(han_name_at("欧阳娜娜".as_bytes(), 0), Some(12));
        assert_eq!(han_name_at("张三先生".as_bytes(), 0), Some(6));
        assert_eq!(han_name_at("你好".as_bytes(), 0), None);
        assert_eq!(han_name_at("王".as_bytes(), 0), None);
        assert!(name_shape(b"Jane O'Neil"));
        assert!(!name_shape(b"jane"));
        assert!(!name_shape(b"Order 12345"));
    }

    #[test]
    fn latin_names_after_a_lead() {
        assert_eq!(latin_name_at(b"Jane O'Neil, thanks", 0), Some(11));
        assert_eq!(latin_name_at(b"Dr. Ann Mullins.", 0), Some(15));
        assert_eq!(latin_name_at(b"Duane Mcpherson", 0), Some(15));
        assert_eq!(latin_name_at(b"Jane", 0), None);
        assert_eq!(latin_name_at(b"jane doe", 0), None);
        assert_eq!(latin_name_at(b"ABC Corp", 0), None);
        assert_eq!(latin_name_at(b"Acme Corp", 0), None);
        assert_eq!(latin_name_at(b"Support Desk", 0), None);
    }

    #[test]
    fn us_addresses_end_at_the_zip_code() {
        let a = b"8353 Kathleen Highway Apt. 681, Lake Victoria, VI 39349 (verified)";
        assert_eq!(us_address_at(a, 0), Some(55));
        let b = b"PSC 7084, Box 1451, APO AA 04982, thanks.";
        assert_eq!(us_address_at(b, 0), Some(32));
        assert_eq!(us_address_at(b"12 Main St; NY 10001", 0), None);
        assert_eq!(us_address_at(b"the NY 10001", 0), None);
    }

    #[test]
    fn lead_words_start_with_a_three_byte_character() {
        for l in NAME_LEADS.iter().chain(ADDRESS_LEADS.iter()) {
            let c = l.chars().next().unwrap();
            assert_eq!(c.len_utf8(), 3, "{l}");
            assert!(LEAD_FIRSTS.contains(&key3(l.as_bytes())));
            assert!(may_start_lead(key3(l.as_bytes())), "{l}");
        }
        assert!(!LEAD_FIRSTS.contains(&key3("你".as_bytes())));
        assert!(!may_start_lead(key3("你".as_bytes())));
    }

    #[test]
    fn english_leads_are_ruled_out_by_first_letter_and_length() {
        // `deliver` leads both ways; `name` is 4 letters, `beneficiary` 11.
        assert_ne!(NAME_SHAPES[usize::from(b'd' - b'a')] & (1 << 7), 0);
        assert_ne!(ADDRESS_SHAPES[usize::from(b'd' - b'a')] & (1 << 7), 0);
        assert_ne!(NAME_SHAPES[usize::from(b'n' - b'a')] & (1 << 4), 0);
        assert_ne!(NAME_SHAPES[usize::from(b'b' - b'a')] & (1 << 11), 0);
        assert_eq!(NAME_SHAPES[usize::from(b'n' - b'a')] & (1 << 5), 0);
        assert_eq!(ADDRESS_SHAPES[usize::from(b'n' - b'a')], 0);
        for l in NAME_LEADS_EN.iter().chain(ADDRESS_LEADS_EN.iter()) {
            assert!(
                l.bytes().all(|b| b.is_ascii_lowercase() || b == b' '),
                "{l}"
            );
        }
    }

    #[test]
    fn plate_provinces_are_three_byte_characters() {
        assert!(PLATE_PROVINCES.chars().all(|c| c.len_utf8() == 3));
        assert_eq!(PLATE_PROVINCES.len(), 3 * PLATE_PROVINCES.chars().count());
    }

    #[test]
    fn iban_countries_are_sorted_and_unique() {
        assert!(IBAN_LENGTHS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn iban_shaped_runs_are_skipped_whole() {
        let s = b"AT72 5881 7961 8917 9746 ok";
        assert_eq!(iban_run_end(s, 2), Some(24));
        assert_eq!(iban_run_end(b"XX72 5881 7961", 2), None);
        assert_eq!(iban_run_end(b"AT72", 2), None);
    }
}
