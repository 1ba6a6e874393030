#!/usr/bin/env python3
"""Writes the national-ID test vectors read by policy-core/tests/checksums_national.rs.

Run from anywhere (not run in CI; the JSON output is committed):

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install python-stdnum faker
    /tmp/venv/bin/python policy-core/tests/data/checksums/national/generate.py

Output: one JSON file per format next to this script,
``{"format", "oracle", "valid": [...], "invalid": [...]}`` (kr_rrn also has
``"unknown"``). The output is deterministic for a given python-stdnum and Faker version.

How values are produced and labelled:

* Candidates come from Faker where Faker's generator is right (pt_BR cpf, es_ES nif/nie, it_IT
  ssn, fr_FR ssn, pl_PL pesel, zh_TW ssn) and from generators in this file where Faker is wrong
  (checked against stdnum: ko_KR ssn passes the RRN checksum 7% of the time, en_IN aadhaar_id
  12%, de_DE/ja_JP ssn are US-style, en_GB ssn always uses the reserved ``ZZ`` prefix).
  Faker's wrong outputs are kept as candidates too; they are realistic invalid values.
* Invalid candidates are mutations of valid values: one digit or letter changed, a wrong check
  character, a dropped or added character, swapped neighbours, an impossible date with the
  check recomputed (so only the date is wrong), and format-specific near misses.
* Every candidate is then labelled by the oracle, never by the generator: python-stdnum's
  ``is_valid`` where stdnum has a module. SG NRIC/FIN, UK NINO, HKID and Taiwan ID have no
  stdnum module; they are labelled by the small reference implementations below, which are
  first checked against the published vectors ``S1728872E``, ``G4549883U``, ``M1234567K``,
  ``A123456(3)`` and ``A123456789``. They follow the same published algorithms as the Rust
  code, so for these four formats the vectors guard against regressions and slips in the Rust
  port, not against a misreading of the algorithm itself.
* Documented differences from stdnum: br_cpf rejects all-equal digits (stdnum accepts e.g.
  ``11111111111``); kr_rrn answers Unknown, not Invalid, for a well-formed number with a real
  birth date on or after 2020-10-01 whose region code or check digit is wrong (numbers issued
  since October 2020 have random digits there), and only accepts a ``-`` right after the
  birth date (stdnum strips ``-`` anywhere, so ``7402286-716200`` is valid to stdnum).
* Only forms the Rust validators define are written: no separators, except the ``-`` after the
  birth date of a Korean RRN and the parentheses of an HKID.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import random
import string

from faker import Faker
from stdnum import verhoeff
from stdnum.br import cpf
from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.in_ import aadhaar
from stdnum.iso7064 import mod_11_10
from stdnum.it import codicefiscale
from stdnum.jp import in_ as my_number
from stdnum.kr import rrn
from stdnum.pl import pesel
import stdnum

SEED = 20261129
COUNT = 240  # valid values per format; invalid candidates are generated until COUNT remain
OUT = pathlib.Path(__file__).resolve().parent
STDNUM = f"python-stdnum {stdnum.__version__}"

rng = random.Random(SEED)
Faker.seed(SEED)
fakers = {loc: Faker(loc) for loc in ("pt_BR", "es_ES", "it_IT", "fr_FR", "pl_PL", "zh_TW",
                                        "ko_KR", "en_IN", "en_GB", "de_DE", "ja_JP")}
for f in fakers.values():
    f.seed_instance(SEED)

DIGITS = string.digits
UPPER = string.ascii_uppercase


def rdigits(n: int) -> str:
    return "".join(rng.choice(DIGITS) for _ in range(n))


def rdate(start: int, end: int) -> datetime.date:
    first = datetime.date(start, 1, 1).toordinal()
    last = datetime.date(end, 12, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(first, last))


# --- generic mutations -----------------------------------------------------------------------

def change_one(value: str) -> str:
    """One character replaced by another of the same class (digit for digit, letter for letter)."""
    positions = [i for i, c in enumerate(value) if c.isalnum()]
    i = rng.choice(positions)
    pool = DIGITS if value[i].isdigit() else UPPER
    new = rng.choice([c for c in pool if c != value[i].upper()])
    return value[:i] + new + value[i + 1:]


def wrong_check(value: str, pool: str = DIGITS) -> str:
    """The last character replaced by another check character."""
    return value[:-1] + rng.choice([c for c in pool if c != value[-1].upper()])


def wrong_length(value: str) -> str:
    if rng.random() < 0.5 and len(value) > 1:
        i = rng.randrange(len(value))
        return value[:i] + value[i + 1:]
    i = rng.randrange(len(value) + 1)
    return value[:i] + rng.choice(DIGITS) + value[i:]


def swap_neighbours(value: str) -> str:
    i = rng.randrange(len(value) - 1)
    return value[:i] + value[i + 1] + value[i] + value[i + 2:]


def generic_mutation(value: str, check_pool: str = DIGITS) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return change_one(value)
    if kind == 1:
        return wrong_check(value, check_pool)
    if kind == 2:
        return wrong_length(value)
    return swap_neighbours(value)


# --- reference implementations for formats stdnum lacks -------------------------------------

def sg_valid(v: str) -> bool:
    v = v.upper()
    if len(v) != 9 or v[0] not in "STFGM" or not v[1:8].isdigit() or not v[1:8].isascii():
        return False
    s = sum(int(d) * w for d, w in zip(v[1:8], (2, 7, 6, 5, 4, 3, 2)))
    if v[0] in "ST":
        expect = "JZIHGFEDCBA"[(s + (4 if v[0] == "T" else 0)) % 11]
    elif v[0] in "FG":
        expect = "XWUTRQPNMLK"[(s + (4 if v[0] == "G" else 0)) % 11]
    else:
        expect = "KLJNPQRTUWX"[10 - (s + 3) % 11]
    return v[8] == expect


def sg_make(series: str) -> str:
    body = rdigits(7)
    for c in UPPER:
        if sg_valid(series + body + c):
            return series + body + c
    raise AssertionError("no check letter")


def nino_valid(v: str) -> bool:
    v = v.upper()
    return (len(v) == 9 and v[0] in UPPER and v[0] not in "DFIQUV"
            and v[1] in UPPER and v[1] not in "DFIOQUV"
            and v[:2] not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ")
            and v[2:8].isdigit() and v[2:8].isascii() and v[8] in "ABCD")


def nino_make() -> str:
    while True:
        v = rng.choice(UPPER) + rng.choice(UPPER) + rdigits(6) + rng.choice("ABCD")
        if nino_valid(v):
            return v


def hk_normalize(v: str) -> str | None:
    v = v.upper()
    if v.endswith(")"):
        if len(v) < 3 or v[-3] != "(":
            return None
        v = v[:-3] + v[-2]
    return v


def hk_valid(v: str) -> bool:
    n = hk_normalize(v)
    if n is None or len(n) not in (8, 9):
        return False
    letters, number, check = n[:-7], n[-7:-1], n[-1]
    if not all(c in UPPER for c in letters) or not number.isdigit() or not number.isascii():
        return False
    values = ([36] if len(letters) == 1 else []) + [UPPER.index(c) + 10 for c in letters]
    values += [int(d) for d in number]
    s = sum(x * w for x, w in zip(values, range(9, 1, -1)))
    expect = (11 - s % 11) % 11
    return check == ("A" if expect == 10 else str(expect))


def hk_make() -> str:
    letters = "".join(rng.choice(UPPER) for _ in range(rng.choice((1, 1, 2))))
    number = rdigits(6)
    for c in DIGITS + "A":
        if hk_valid(letters + number + c):
            return letters + number + (f"({c})" if rng.random() < 0.5 else c)
    raise AssertionError("no check character")


TW_CODES = dict(zip(UPPER, (10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24,
                            25, 26, 27, 28, 29, 32, 30, 31, 33)))


def tw_valid(v: str) -> bool:
    v = v.upper()
    if len(v) != 10 or v[0] not in UPPER or not v[1:].isdigit() or not v[1:].isascii():
        return False
    if v[1] not in "1289":
        return False
    code = TW_CODES[v[0]]
    s = code // 10 + (code % 10) * 9
    s += sum(int(d) * w for d, w in zip(v[1:], (8, 7, 6, 5, 4, 3, 2, 1, 1)))
    return s % 10 == 0


def tw_make() -> str:
    body = rng.choice(UPPER) + rng.choice("1212128989") + rdigits(7)
    for c in DIGITS:
        if tw_valid(body + c):
            return body + c
    raise AssertionError("no check digit")


for vector in ("S1728872E", "G4549883U", "M1234567K"):
    assert sg_valid(vector), vector
assert hk_valid("A123456(3)") and hk_valid("A1234563")
assert tw_valid("A123456789")


# --- per-format generators -------------------------------------------------------------------

def aadhaar_make() -> str:
    while True:
        body = rng.choice("23456789") + rdigits(10)
        v = body + verhoeff.calc_check_digit(body)
        if v != v[::-1]:
            return v


def aadhaar_near_miss() -> str:
    kind = rng.randrange(3)
    if kind == 0:  # leading 0/1 with a correct Verhoeff digit
        body = rng.choice("01") + rdigits(10)
        return body + verhoeff.calc_check_digit(body)
    if kind == 1:  # Faker en_IN: random digits, mostly wrong
        return fakers["en_IN"].aadhaar_id()
    while True:  # a palindrome that passes Verhoeff: only the palindrome rule rejects it
        half = rng.choice("23456789") + rdigits(5)
        if verhoeff.is_valid(half + half[::-1]):
            return half + half[::-1]


def kr_make() -> str:
    while True:
        born = rdate(1900, 2025) if rng.random() < 0.95 else rdate(1850, 1899)
        if born.year < 1900:
            g = rng.choice("90")
        elif born.year < 2000:
            g = rng.choice("1256")
        else:
            g = rng.choice("3478")
        recent = born >= datetime.date(2020, 10, 1)
        region = rdigits(2) if recent else f"{rng.randint(0, 96):02d}"
        body = born.strftime("%y%m%d") + g + region + rdigits(3)
        v = body + rrn.calc_check_digit(body)
        if rrn.is_valid(v):
            return v[:6] + "-" + v[6:] if rng.random() < 0.3 else v


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def kr_bad_date() -> str:
    g = rng.choice(DIGITS)
    century = 1800 if g in "90" else 1900 if g in "1256" else 2000
    yy = rdigits(2)
    mmdd = rng.choice(["0230", "0431", "1301", "0001", "0100", "0632", "1131", "0229"])
    while mmdd == "0229" and is_leap(century + int(yy)):
        yy = rdigits(2)  # 29 February only in a year that is not leap in G's century
    body = yy + mmdd + g + rdigits(5)
    return body + rrn.calc_check_digit(body)


def kr_near_miss() -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return kr_bad_date()
    if kind == 3:  # born since 2020-10 with a wrong check digit: labelled unknown
        born = rdate(2021, 2025)
        body = born.strftime("%y%m%d") + rng.choice("3478") + rdigits(5)
        return wrong_check(body + rrn.calc_check_digit(body))
    if kind == 1:
        return fakers["ko_KR"].ssn()  # Faker ko_KR: checksum mostly wrong
    # a pre-2020 number with region code > 96 and a correct check digit
    born = rdate(1950, 2019)
    body = born.strftime("%y%m%d") + rng.choice("1234") + str(rng.randint(97, 99)) + rdigits(3)
    return body + rrn.calc_check_digit(body)


def jp_make() -> str:
    body = rdigits(11)
    return body + my_number.calc_check_digit(body)


def cpf_make() -> str:
    return fakers["pt_BR"].cpf().replace(".", "").replace("-", "")


def cpf_near_miss() -> str:
    if rng.random() < 0.3:
        return rng.choice(DIGITS) * 11
    return generic_mutation(cpf_make())


def dni_make() -> str:
    return fakers["es_ES"].nif()


def nie_make() -> str:
    return fakers["es_ES"].nie()


LETTERS_23 = "TRWAGMYFPDXBNJZSQVHLCKE"


def nie_near_miss() -> str:
    v = nie_make()
    if rng.random() < 0.25:  # another series letter, same digits and check letter
        return rng.choice([c for c in UPPER if c not in "XYZ"]) + v[1:]
    return generic_mutation(v, LETTERS_23)


OMOCODIA = "LMNPQRSTUV"


def cf_make() -> str:
    v = fakers["it_IT"].ssn()
    if rng.random() < 0.3:
        # omocodia: replace digits from the right, as the registry does for clashing codes
        chars = list(v[:15])
        for i in (14, 13, 12, 10, 9, 7, 6)[: rng.randint(1, 7)]:
            chars[i] = OMOCODIA[int(chars[i])]
        body = "".join(chars)
        v = body + codicefiscale.calc_check_digit(body)
    return v


def cf_bad_date() -> str:
    v = cf_make()
    day = rng.choice(["00", "32", "40", "72", "30", "31", "29"])
    month = {"30": "B", "31": rng.choice("BDHPS"), "29": "B"}.get(day, v[8])
    year = v[6:8]
    while day == "29" and (not year.isdigit() or int(year) % 4 == 0):
        year = rdigits(2)  # 29 February in a year that is not leap (1920-2019 window)
    body = v[:6] + year + month + day + v[11:15]
    return body + codicefiscale.calc_check_digit(body)


def cf_near_miss() -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return cf_bad_date()
    if kind == 1:  # a month letter outside ABCDEHLMPRST, check recomputed
        v = cf_make()
        body = v[:8] + rng.choice("FGIJKNOQUVWXYZ") + v[9:15]
        return body + codicefiscale.calc_check_digit(body)
    if kind == 2:  # a wrong length that is not the 11-digit company code
        v = cf_make()
        return v[:-1] if rng.random() < 0.5 else v + rng.choice(UPPER)
    return generic_mutation(cf_make(), UPPER)


def nir_make() -> str:
    v = fakers["fr_FR"].ssn()
    if rng.random() < 0.25:  # Faker does not draw Corsica
        body = v[:5] + rng.choice(["2A", "2B"]) + v[7:13]
        v = body + nir.calc_check_digits(body)
    return v


def nir_near_miss() -> str:
    v = nir_make()
    if rng.random() < 0.2:  # a département that is neither digits nor 2A/2B
        body = v[:5] + rng.choice(["2C", "3A", "AB", "1B"]) + v[7:13]
        return body + nir.calc_check_digits(body[:5] + "20" + body[7:])
    return generic_mutation(v)


def idnr_make() -> str:
    while True:
        first = rng.choice("123456789")
        others = [d for d in DIGITS if d != first]
        rng.shuffle(others)
        if rng.random() < 0.5:  # one digit twice: 9 distinct digits + one repeat
            chosen = [first] + others[:8]
            chosen.append(rng.choice(chosen))
        else:  # one digit three times: 8 distinct digits + two repeats
            chosen = [first] + others[:7]
            chosen += [rng.choice(chosen)] * 2
        rest = chosen[1:]
        rng.shuffle(rest)
        body = first + "".join(rest)
        v = body + mod_11_10.calc_check_digit(body)
        if idnr.is_valid(v):
            return v


def idnr_near_miss() -> str:
    kind = rng.randrange(3)
    if kind == 0:  # digit-repetition rule broken, check digit correct
        body = rng.choice("123456789") + rdigits(9)
        return body + mod_11_10.calc_check_digit(body)
    if kind == 1:  # leading zero, check digit correct
        body = "0" + idnr_make()[1:10]
        return body + mod_11_10.calc_check_digit(body)
    return generic_mutation(idnr_make())


def nhs_make() -> str:
    while True:
        body = rdigits(9)
        check = (11 - sum(int(d) * w for d, w in zip(body, range(10, 1, -1))) % 11) % 11
        if check != 10:
            return body + str(check)


def nhs_near_miss() -> str:
    if rng.random() < 0.2:  # bodies whose check would be 10: never issued
        while True:
            body = rdigits(9)
            if (11 - sum(int(d) * w for d, w in zip(body, range(10, 1, -1))) % 11) % 11 == 10:
                return body + rng.choice(DIGITS)
    return generic_mutation(nhs_make())


def pesel_make() -> str:
    return fakers["pl_PL"].pesel()


def pesel_bad_date() -> str:
    if rng.random() < 0.5:  # a month code that is no month in any century
        mmdd = rng.choice(["00", "13", "19", "20", "33", "40", "53", "60", "79", "80", "99"])
        mmdd += f"{rng.randint(1, 28):02d}"
    else:  # a real month (of some century) with a day it does not have
        mmdd = rng.choice(["0100", "0132", "0230", "2231", "0431", "8631", "4932", "6100"])
    body = rdigits(2) + mmdd + rdigits(4)
    return body + pesel.calc_check_digit(body)


def pesel_near_miss() -> str:
    return pesel_bad_date() if rng.random() < 0.3 else generic_mutation(pesel_make())


def sg_near_miss() -> str:
    v = sg_make(rng.choice("STFGM"))
    if rng.random() < 0.2:  # another series letter with the same digits and check letter
        return rng.choice([c for c in UPPER if c != v[0]]) + v[1:]
    return generic_mutation(v, UPPER)


def nino_near_miss() -> str:
    kind = rng.randrange(5)
    v = nino_make()
    if kind == 0:
        return rng.choice(["BG", "GB", "KN", "NK", "NT", "TN", "ZZ", "QQ"]) + v[2:]
    if kind == 1:
        return v[:8] + rng.choice("EFGHQXYZ")
    if kind == 2:
        return rng.choice("DFIQUV") + v[1:]
    if kind == 3:
        return fakers["en_GB"].ssn().replace(" ", "")  # Faker en_GB: always ZZ
    return wrong_length(v)


def hk_near_miss() -> str:
    v = hk_make()
    kind = rng.randrange(3)
    if kind == 0 and v.endswith(")"):
        return rng.choice([v[:-1], v[:-3] + v[-2] + ")"])  # one parenthesis only
    return generic_mutation(v, DIGITS + "A")


def tw_near_miss() -> str:
    v = tw_make()
    if rng.random() < 0.2:  # second digit outside 1/2/8/9 with a correct check digit
        body = v[0] + rng.choice("034567") + v[2:9]
        for c in DIGITS:
            cand = body + c
            s = TW_CODES[cand[0]] // 10 + (TW_CODES[cand[0]] % 10) * 9
            s += sum(int(d) * w for d, w in zip(cand[1:], (8, 7, 6, 5, 4, 3, 2, 1, 1)))
            if s % 10 == 0:
                return cand
    return generic_mutation(v)


def cpf_oracle(v: str) -> bool:
    return cpf.is_valid(v) and len(set(v)) > 1


def kr_label(v: str) -> str:
    if "-" in v and not (len(v) == 14 and v.index("-") == 6 and v.count("-") == 1):
        return "invalid"  # the only separator defined is the one after the birth date
    if rrn.is_valid(v):
        return "valid"
    plain = v[:6] + v[7:] if len(v) == 14 and v[6] == "-" else v
    if len(plain) == 13 and plain.isdigit() and plain.isascii():
        try:
            born = rrn.get_birth_date(plain)
        except Exception:  # noqa: BLE001 - stdnum raises InvalidComponent
            return "invalid"
        if born >= datetime.date(2020, 10, 1):
            return "unknown"
    return "invalid"


FORMATS = [
    # name, oracle description, oracle, make valid, make invalid candidate
    ("in_aadhaar", f"{STDNUM} module stdnum.in_.aadhaar", aadhaar.is_valid, aadhaar_make,
     lambda: aadhaar_near_miss() if rng.random() < 0.3 else generic_mutation(aadhaar_make())),
    ("kr_rrn", f"{STDNUM} module stdnum.kr.rrn (+ Unknown rule for births since 2020-10)", None,
     kr_make, lambda: kr_near_miss() if rng.random() < 0.4 else generic_mutation(kr_make())),
    ("jp_my_number", f"{STDNUM} module stdnum.jp.in_", my_number.is_valid, jp_make,
     lambda: generic_mutation(jp_make())),
    ("br_cpf", f"{STDNUM} module stdnum.br.cpf (+ all-equal digits rejected)", cpf_oracle,
     cpf_make, cpf_near_miss),
    ("es_dni", f"{STDNUM} module stdnum.es.dni", dni.is_valid, dni_make,
     lambda: generic_mutation(dni_make(), LETTERS_23)),
    ("es_nie", f"{STDNUM} module stdnum.es.nie", nie.is_valid, nie_make, nie_near_miss),
    ("it_codice_fiscale", f"{STDNUM} module stdnum.it.codicefiscale (16-character codes only)",
     codicefiscale.is_valid, cf_make, cf_near_miss),
    ("fr_nir", f"{STDNUM} module stdnum.fr.nir", nir.is_valid, nir_make, nir_near_miss),
    ("de_steuer_id", f"{STDNUM} module stdnum.de.idnr", idnr.is_valid, idnr_make,
     idnr_near_miss),
    ("gb_nhs", f"{STDNUM} module stdnum.gb.nhs", nhs.is_valid, nhs_make, nhs_near_miss),
    ("pl_pesel", f"{STDNUM} module stdnum.pl.pesel", pesel.is_valid, pesel_make,
     pesel_near_miss),
    ("sg_nric", "no stdnum module: reference implementation in generate.py, checked against "
     "published vectors S1728872E, G4549883U, M1234567K", sg_valid,
     lambda: sg_make(rng.choice("STFGM")), sg_near_miss),
    ("gb_nino", "no stdnum module: HMRC allocation rules in generate.py (no checksum exists)",
     nino_valid, nino_make, nino_near_miss),
    ("hk_id", "no stdnum module: reference implementation in generate.py, checked against the "
     "published vector A123456(3)", hk_valid, hk_make, hk_near_miss),
    ("tw_id", "no stdnum module: reference implementation in generate.py, checked against the "
     "published vector A123456789; valid values from Faker zh_TW ssn and own generator",
     tw_valid, lambda: fakers["zh_TW"].ssn() if rng.random() < 0.5 else tw_make(), tw_near_miss),
]

PUBLISHED = {
    "sg_nric": ["S1728872E", "G4549883U", "M1234567K"],
    "hk_id": ["A123456(3)", "A1234563"],
    "tw_id": ["A123456789"],
    "gb_nino": ["AB123456C"],
}
PUBLISHED_INVALID = {
    "gb_nino": ["QQ123456C", "ZZ123456C"],  # HMRC's placeholder prefix, Faker's reserved prefix
}


def label(name: str, oracle, v: str) -> str:
    if name == "kr_rrn":
        return kr_label(v)
    return "valid" if oracle(v) else "invalid"


def build(name, description, oracle, make, near_miss) -> dict:
    lists: dict[str, list[str]] = {"valid": [], "invalid": [], "unknown": []}
    seen: set[str] = set()

    def add(v: str) -> None:
        if v and v not in seen:
            seen.add(v)
            lists[label(name, oracle, v)].append(v)

    for v in PUBLISHED.get(name, []):
        assert label(name, oracle, v) == "valid", (name, v)
        add(v)
    for v in PUBLISHED_INVALID.get(name, []):
        add(v)
    guard = 0
    while len(lists["valid"]) < COUNT:
        v = make()
        assert label(name, oracle, v) == "valid", (name, v)
        add(v)
        guard += 1
        assert guard < 100 * COUNT, name
    guard = 0
    while len(lists["invalid"]) < COUNT:
        add(near_miss())
        guard += 1
        assert guard < 100 * COUNT, name
    doc = {"format": name, "oracle": description, "valid": lists["valid"],
           "invalid": lists["invalid"]}
    if name == "kr_rrn":
        doc["unknown"] = lists["unknown"]
    else:
        assert not lists["unknown"]
    return doc


def main() -> None:
    for spec in FORMATS:
        doc = build(*spec)
        path = OUT / f"{spec[0]}.json"
        path.write_text(json.dumps(doc, indent=1, ensure_ascii=True) + "\n")
        counts = ", ".join(f"{k} {len(v)}" for k, v in doc.items() if isinstance(v, list))
        print(f"{path.name}: {counts}")


if __name__ == "__main__":
    main()
