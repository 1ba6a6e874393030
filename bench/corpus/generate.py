#!/usr/bin/env python3
"""Generate Scrim's seeded, labelled PII corpus of JSON API responses.

    python3 bench/corpus/generate.py --seed 7 --docs 5000 --out bench/out/corpus

writes DIR/corpus.ndjson (one JSON API response per line: users, orders, support
tickets, logs, payments; English and Chinese) and DIR/labels.jsonl (one line per planted
item). The same seed and doc count always give the same bytes.

Every planted validated value is checked valid by an oracle (python-stdnum where it has
the format, `ipaddress`, or a strict format check), and every look-alike is checked
invalid by the same oracles; the generator stops with an error if one is not.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import ipaddress
import json
import os
import random
import re
import sys
import uuid
from dataclasses import dataclass, field

from faker import Faker
from stdnum import iban as std_iban
from stdnum import imei as std_imei
from stdnum import luhn as std_luhn
from stdnum import mac as std_mac
from stdnum.cn import ric as std_ric
from stdnum.cn import uscc as std_uscc
from stdnum.us import ssn as std_ssn

# ---------------------------------------------------------------------------------------
# Detector ids (must match the core's ids).

VALIDATED = (
    "email", "cn_mobile", "phone_intl", "payment_card", "iban", "cn_resident_id",
    "cn_uscc", "us_ssn", "ipv4", "ipv6", "mac", "imei", "jwt", "bearer_token",
    "aws_access_key", "pem_private_key", "url_credentials",
)
CONTEXT = (
    "passport", "date_of_birth", "person_name", "postal_address", "landline",
    "us_ssn_plain", "cn_resident_id_legacy", "gps", "cn_license_plate",
)

ZERO_WIDTH = "\u200b"


class OracleError(AssertionError):
    """A generated value disagrees with its oracle: a bug in the generator."""


def check(cond: bool, what: str, value: str) -> None:
    if not cond:
        raise OracleError(f"oracle rejected {what} `{value}`")


# ---------------------------------------------------------------------------------------
# Oracles. Validated values must pass; look-alikes must fail every one of them.

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
# libphonenumber-tight mainland mobile prefixes (pii.md §4.1).
CN_MOBILE_RE = re.compile(r"^1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}$")
CARD_PREFIX_RE = re.compile(r"^(?:4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|6011|65|62)")
AWS_RE = re.compile(r"^AKIA[A-Z2-7]{16}$")


def normalize(value: str) -> str:
    """Fold full-width digits/letters to ASCII and drop zero-width characters."""
    out = []
    for ch in value:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        if ch in ("\u200b", "\u200c", "\u200d", "\ufeff"):
            continue
        out.append(ch)
    return "".join(out)


def digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def is_card(value: str) -> bool:
    d = digits(value)
    return 12 <= len(d) <= 19 and bool(CARD_PREFIX_RE.match(d)) and std_luhn.is_valid(d)


def is_cn_mobile(value: str) -> bool:
    d = digits(value)
    if d.startswith("0086"):
        d = d[4:]
    elif d.startswith("86") and len(d) == 13:
        d = d[2:]
    return bool(CN_MOBILE_RE.match(d))


def ric_valid(value: str) -> bool:
    """stdnum's cn.ric check. Its is_valid raises KeyError for a prefix that names a
    province or city but no county (seen on random 18-digit runs): not a valid id."""
    try:
        return std_ric.is_valid(value)
    except KeyError:
        return False


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def digit_runs(value: str) -> list[str]:
    return re.findall(r"\d+", value)


def assert_lookalike(value: str, kind: str) -> None:
    """A look-alike must not be valid for any validated detector."""
    v = normalize(value)
    compact = v.replace("-", "").replace(" ", "")
    runs = digit_runs(v) + ([compact] if compact.isalnum() else [])
    for run in runs:
        check(not is_card(run), f"look-alike {kind} (valid card)", value)
        check(not ric_valid(run), f"look-alike {kind} (valid resident id)", value)
        check(not (len(run) == 15 and std_imei.is_valid(run)), f"look-alike {kind} (valid imei)", value)
        check(not is_cn_mobile(run), f"look-alike {kind} (mobile)", value)
        check(not std_uscc.is_valid(run), f"look-alike {kind} (valid uscc)", value)
    check(not std_iban.is_valid(v), f"look-alike {kind} (valid iban)", value)
    check(not EMAIL_RE.match(v), f"look-alike {kind} (email)", value)
    check(not is_ip(v), f"look-alike {kind} (ip)", value)
    check(not std_mac.is_valid(v), f"look-alike {kind} (mac)", value)
    check(not std_ssn.is_valid(v) or not re.match(r"^\d{3}-\d{2}-\d{4}$", v),
          f"look-alike {kind} (ssn)", value)


# ---------------------------------------------------------------------------------------
# Value generators. Each returns the text as it appears in the document.

# GB/T 2260 county codes that exist in stdnum's table for every birth year we draw
# (1950-2008). Checked by the stdnum oracle on every value anyway.
CN_AREAS = (
    "110101", "110105", "110108", "120101", "130102", "140105", "210102", "220102",
    "230103", "310104", "310115", "320102", "320106", "330106", "330108", "340104",
    "350102", "360102", "370102", "370202", "410105", "420106", "430102", "440103",
    "440104", "440305", "450103", "500103", "510104", "510107", "520102", "530102",
    "610103", "610113", "620102", "630102", "640104", "650102",
)
RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
MOBILE_PREFIXES = ("130", "133", "135", "136", "138", "139", "150", "151", "152", "155",
                   "158", "159", "166", "170", "177", "180", "182", "186", "188", "189",
                   "191", "195", "199", "147")
CN_PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Reserved example domains (RFC 2606) only, so no generated address can reach a real mailbox.
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com",
                 "corp.example.net", "cn.example.org", "shop.example.com")
MAC_OUIS = ("00:1a:11", "3c:5a:b4", "f4:f5:d8", "00:50:56", "00:1b:63", "b8:27:eb",
            "dc:a6:32", "00:0c:29", "28:6c:07", "f0:18:98", "00:e0:4c", "50:c7:bf")
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def ric_check(body17: str) -> str:
    r = sum(int(c) * w for c, w in zip(body17, RIC_WEIGHTS)) % 11
    return "10X98765432"[r]


def luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + std_luhn.calc_check_digit(body)


def birth_date(rng: random.Random, start: int = 1950, end: int = 2008) -> datetime.date:
    first = datetime.date(start, 1, 1).toordinal()
    last = datetime.date(end, 12, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(first, last))


def group(s: str, sizes: tuple[int, ...], sep: str) -> str:
    parts, i = [], 0
    for n in sizes:
        parts.append(s[i:i + n])
        i += n
    if i < len(s):
        parts.append(s[i:])
    return sep.join(p for p in parts if p)


class Gen:
    """All value generators, sharing one seeded random source and seeded Fakers."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.en = Faker("en_US")
        self.en.seed_instance(seed)
        self.zh = Faker("zh_CN")
        self.zh.seed_instance(seed + 1)

    # ---- validated -------------------------------------------------------------------

    def email(self, lang: str) -> str:
        r = self.rng
        if lang == "zh" and r.random() < 0.5:
            user = r.choice(["zhang.wei", "li_na", "wangfang", "liu.yang", "chen.jing",
                             "yang.min", "zhao.lei", "huang.xin"]) + str(r.randint(1, 999))
            value = f"{user}@{r.choice(EMAIL_DOMAINS)}"
        else:
            value = self.en.user_name() + r.choice(["", ".", "+news", "_"]) + \
                r.choice(["", str(r.randint(1, 99))])
            value = value.rstrip("._") + "@" + r.choice(EMAIL_DOMAINS)
        check(bool(EMAIL_RE.match(value)), "email", value)
        return value

    def cn_mobile(self) -> str:
        r = self.rng
        number = r.choice(MOBILE_PREFIXES) + "".join(r.choice("0123456789") for _ in range(8))
        check(bool(CN_MOBILE_RE.match(number)), "cn_mobile", number)
        style = r.randrange(7)
        value = [
            number,
            number,
            f"+86 {number[:3]} {number[3:7]} {number[7:]}",
            f"+86-{number[:3]}-{number[3:7]}-{number[7:]}",
            f"0086 {number}",
            f"{number[:3]}-{number[3:7]}-{number[7:]}",
            f"+86{number}",
        ][style]
        check(is_cn_mobile(value), "cn_mobile", value)
        return value

    def phone_intl(self) -> str:
        r = self.rng
        d = lambda n: "".join(r.choice("0123456789") for _ in range(n))  # noqa: E731
        value = r.choice([
            lambda: f"+44 20 7946 0{d(3)}",
            lambda: f"+44 161 496 0{d(3)}",
            lambda: f"+1 {r.choice(['212', '415', '646', '312'])} 555 01{d(2)}",
            lambda: f"+1-{r.choice(['202', '617', '303'])}-555-01{d(2)}",
            lambda: f"+49 30 {r.randint(2, 9)}{d(7)}",
            lambda: f"+33 1 {d(2)} {d(2)} {d(2)} {d(2)}",
            lambda: f"+81 3 {r.randint(1, 9)}{d(3)} {d(4)}",
            lambda: f"+61 2 {r.randint(2, 9)}{d(3)} {d(4)}",
        ])()
        check(re.match(r"^\+[1-9][\d -]{8,16}\d$", value) is not None, "phone_intl", value)
        return value

    def payment_card(self) -> str:
        r = self.rng
        brand = r.randrange(6)
        prefix, length = [
            ("4", 16), (r.choice(["51", "52", "53", "54", "55"]), 16),
            (str(r.randint(2221, 2720)), 16), (r.choice(["34", "37"]), 15),
            ("62" + str(r.randint(1000, 9999)), r.choice([16, 19])), ("6011", 16),
        ][brand]
        number = luhn_complete(r, prefix, length)
        check(is_card(number), "payment_card", number)
        style = r.randrange(3)
        if style == 0 or length not in (15, 16):
            return number
        sizes = (4, 6, 5) if length == 15 else (4, 4, 4, 4)
        return group(number, sizes, " " if style == 1 else "-")

    IBAN_SHAPES = {
        # country: (bban pattern: d = digit, A = upper letter, c = alnum)
        "DE": "dddddddddddddddddd",
        "GB": "AAAAdddddddddddddd",
        "NL": "AAAAdddddddddd",
        "AT": "dddddddddddddddd",
        "CH": "ddddddddddddddddd",
        "PL": "dddddddddddddddddddddddd",
    }

    def _iban(self, country: str, good_check: bool) -> str:
        r = self.rng
        shape = self.IBAN_SHAPES[country]
        for _ in range(200):
            bban = "".join(r.choice("0123456789") if c == "d" else r.choice(PLATE_LETTERS)
                           if c == "A" else r.choice(ALNUM.upper()) for c in shape)
            check_digits = std_iban.calc_check_digits(country + "00" + bban)
            if not good_check:
                wrong = (int(check_digits) + r.randint(1, 90)) % 97
                check_digits = f"{max(wrong, 2):02d}"
            value = country + check_digits + bban
            if std_iban.is_valid(value) == good_check:
                return value
        raise OracleError(f"could not build an iban for `{country}`")

    def iban(self) -> str:
        value = self._iban(self.rng.choice(sorted(self.IBAN_SHAPES)), True)
        return group(value, (4,) * 8, " ") if self.rng.random() < 0.5 else value

    def cn_resident_id(self) -> str:
        r = self.rng
        for _ in range(100):
            body = r.choice(CN_AREAS) + birth_date(r).strftime("%Y%m%d") + f"{r.randint(0, 999):03d}"
            value = body + ric_check(body)
            if ric_valid(value):
                return value
        raise OracleError("could not build a resident id")

    def cn_uscc(self) -> str:
        r = self.rng
        alpha = USCC_ALPHABET
        org_alpha = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        for _ in range(100):
            org8 = "".join(r.choice(org_alpha) for _ in range(8))
            s = sum(USCC_ALPHABET.index(c) * w for c, w in zip(org8, ORG_WEIGHTS)) % 11
            org_check = {10: "X", 11: "0"}.get(11 - s, str(11 - s))
            body = r.choice("915") + r.choice("12") + r.choice(CN_AREAS) + org8 + org_check
            total = sum(alpha.index(c) * w for c, w in zip(body, USCC_WEIGHTS))
            value = body + alpha[(31 - total % 31) % 31]
            if std_uscc.is_valid(value) and not ric_valid(value):
                return value
        raise OracleError("could not build a uscc")

    def _ssn_digits(self) -> str:
        r = self.rng
        while True:
            area = r.randint(1, 899)
            if area == 666:
                continue
            value = f"{area:03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}"
            if std_ssn.is_valid(value):
                return value

    def us_ssn(self) -> str:
        return self._ssn_digits()

    def ipv4(self) -> str:
        r = self.rng
        while True:
            value = ".".join(str(x) for x in (r.randint(11, 223), r.randint(0, 255),
                                               r.randint(0, 255), r.randint(1, 254)))
            ip = ipaddress.ip_address(value)
            if ip.is_global:
                return value

    def ipv6(self) -> str:
        r = self.rng
        words = [0x2001, r.choice([0x0db8, 0x4860, 0x0470, 0x41d0])] + \
            [r.randint(0, 0xFFFF) for _ in range(6)]
        if r.random() < 0.4:
            words[3:6] = [0, 0, 0]
        ip = ipaddress.IPv6Address(":".join(f"{w:x}" for w in words))
        value = ip.compressed if r.random() < 0.7 else ip.exploded
        check(is_ip(value), "ipv6", value)
        return value

    def mac(self) -> str:
        r = self.rng
        if r.random() < 0.7:  # a registered vendor prefix (stdnum checks the OUI table)
            octets = [int(x, 16) for x in r.choice(MAC_OUIS).split(":")]
        else:  # a locally administered address
            octets = [(r.randint(0, 255) | 0x02) & 0xFE]
        octets += [r.randint(0, 255) for _ in range(6 - len(octets))]
        sep = r.choice([":", "-"])
        value = sep.join(f"{o:02x}" for o in octets)
        if r.random() < 0.5:
            value = value.upper()
        check(std_mac.is_valid(value), "mac", value)
        return value

    def imei(self) -> str:
        r = self.rng
        tac = r.choice(["35", "86", "01", "99"]) + "".join(r.choice("0123456789") for _ in range(6))
        value = luhn_complete(r, tac, 15)
        check(std_imei.is_valid(value), "imei", value)
        return value

    def jwt(self) -> str:
        r = self.rng
        b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()  # noqa: E731
        header = {"alg": r.choice(["HS256", "RS256"]), "typ": "JWT"}
        payload = {"sub": str(r.randint(10000, 99999)), "iat": 1760000000 + r.randint(0, 10**7),
                   "scope": r.choice(["read", "read write", "admin"])}
        sig = bytes(r.getrandbits(8) for _ in range(32 if header["alg"] == "HS256" else 64))
        value = ".".join([b64(json.dumps(header, separators=(",", ":")).encode()),
                          b64(json.dumps(payload, separators=(",", ":")).encode()), b64(sig)])
        check(value.startswith("eyJ") and value.count(".") == 2, "jwt", value)
        return value

    def bearer_secret(self) -> str:
        r = self.rng
        return "".join(r.choice(ALNUM + "-_") for _ in range(r.randint(32, 48)))

    def aws_access_key(self) -> str:
        value = "AKIA" + "".join(self.rng.choice(B32) for _ in range(16))
        check(bool(AWS_RE.match(value)), "aws_access_key", value)
        return value

    def pem_private_key(self) -> str:
        r = self.rng
        kind = r.choice(["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"])
        body = base64.b64encode(bytes(r.getrandbits(8) for _ in range(r.choice([121, 240])))).decode()
        lines = [body[i:i + 64] for i in range(0, len(body), 64)]
        return f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----"

    def url_credentials(self) -> tuple[str, str]:
        """Returns (url, userinfo); the userinfo is the planted secret."""
        r = self.rng
        user = r.choice(["admin", "svc_backup", "deploy", "root", "etl"])
        password = "".join(r.choice(ALNUM) for _ in range(r.randint(10, 18)))
        host = r.choice(["db.internal.example.com", "10.20.30.40", "ftp.example.org",
                         "cache.example.net:6379"])
        scheme = r.choice(["https", "postgres", "redis", "ftp", "mysql"])
        return f"{scheme}://{user}:{password}@{host}/{r.choice(['', 'data', 'prod?ssl=1'])}", \
            f"{user}:{password}"

    # ---- context-gated ---------------------------------------------------------------

    def passport(self) -> str:
        r = self.rng
        return r.choice([
            lambda: "E" + "".join(r.choice("0123456789") for _ in range(8)),
            lambda: "E" + r.choice(PLATE_LETTERS) + "".join(r.choice("0123456789") for _ in range(7)),
            lambda: "G" + "".join(r.choice("0123456789") for _ in range(8)),
            lambda: "".join(r.choice("0123456789") for _ in range(9)),
        ])()

    def date_of_birth(self, lang: str) -> str:
        d = birth_date(self.rng, 1940, 2010)
        if lang == "zh":
            return self.rng.choice([f"{d.year}年{d.month}月{d.day}日", d.isoformat()])
        return self.rng.choice([d.isoformat(), d.strftime("%m/%d/%Y"), d.strftime("%d %B %Y")])

    def person_name(self, lang: str) -> str:
        return (self.zh if lang == "zh" else self.en).name()

    def postal_address(self, lang: str) -> str:
        if lang == "zh":
            return self.zh.address().replace(" ", "")
        return self.en.address().replace("\n", ", ")

    def landline(self) -> str:
        r = self.rng
        area = r.choice(["010", "021", "020", "0755", "0571", "028", "027"])
        n = 8 if len(area) == 3 else r.choice([7, 8])
        local = str(r.randint(2, 8)) + "".join(r.choice("0123456789") for _ in range(n - 1))
        return f"{area}-{local}" if r.random() < 0.8 else f"({area}){local}"

    def us_ssn_plain(self) -> str:
        return self._ssn_digits().replace("-", "")

    def cn_resident_id_legacy(self) -> str:
        r = self.rng
        d = birth_date(r, 1940, 1980)
        return r.choice(CN_AREAS) + d.strftime("%y%m%d") + f"{r.randint(0, 999):03d}"

    def gps(self) -> str:
        r = self.rng
        lat, lon = r.uniform(18.0, 45.0), r.uniform(98.0, 125.0)
        return r.choice([f"{lat:.6f},{lon:.6f}", f"{lat:.5f}, {lon:.5f}"])

    def cn_license_plate(self) -> str:
        r = self.rng
        prov, city = r.choice(CN_PLATE_PROVINCES), r.choice(PLATE_LETTERS)
        if r.random() < 0.3:  # new-energy vehicle
            tail = r.choice("DF") + r.choice(PLATE_LETTERS + "0123456789") + \
                "".join(r.choice("0123456789") for _ in range(4))
        else:
            tail = "".join(r.choice("0123456789" + PLATE_LETTERS[:8]) for _ in range(5))
        return prov + city + tail

    # ---- look-alikes: (kind, imitated detector, value) --------------------------------

    def lookalike(self) -> tuple[str, str, str]:
        r = self.rng
        kind = r.choice(LOOKALIKE_KINDS)
        for _ in range(100):
            value, detector = getattr(self, "_la_" + kind)()
            try:
                assert_lookalike(value, kind)
            except OracleError:
                continue
            return kind, detector, value
        raise OracleError(f"could not build look-alike `{kind}`")

    def _la_order_no_luhn_invalid(self):
        r = self.rng
        number = luhn_complete(r, r.choice(["4", "52", "62"]), 16)
        bad = number[:-1] + str((int(number[-1]) + r.randint(1, 9)) % 10)
        check(not std_luhn.is_valid(bad), "luhn-invalid order number", bad)
        return bad, "payment_card"

    def _la_id18_bad_check(self):
        good = self.cn_resident_id()
        wrong = self.rng.choice([c for c in "0123456789X" if c != good[-1]])
        return good[:-1] + wrong, "cn_resident_id"

    def _la_id18_bad_date(self):
        r = self.rng
        month, day = r.choice([(13, 5), (0, 12), (2, 30), (4, 31), (11, 31), (6, 0)])
        body = r.choice(CN_AREAS) + f"{r.randint(1950, 2005)}{month:02d}{day:02d}{r.randint(0, 999):03d}"
        return body + ric_check(body), "cn_resident_id"

    def _la_epoch_ms(self):
        return str(self.rng.randint(1_600_000_000_000, 1_790_000_000_000)), "cn_mobile"

    def _la_uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), "ipv6"

    def _la_hex_digest(self):
        data = self.rng.getrandbits(64).to_bytes(8, "big")
        algo = self.rng.choice(["md5", "sha1", "sha256"])
        return hashlib.new(algo, data).hexdigest(), "aws_access_key"

    def _la_digits11_no_mobile_prefix(self):
        r = self.rng
        first = r.choice(["10", "11", "12", "2", "3", "5", "6", "8", "9"])
        return first + "".join(r.choice("0123456789") for _ in range(11 - len(first))), "cn_mobile"

    def _la_iban_bad_check(self):
        value = self._iban(self.rng.choice(sorted(self.IBAN_SHAPES)), False)
        return (group(value, (4,) * 8, " ") if self.rng.random() < 0.5 else value), "iban"

    def _la_sku(self):
        r = self.rng
        return r.choice([
            lambda: f"SKU-{r.randint(10000, 99999)}-{r.choice(['BLK', 'WHT', 'RED'])}-{r.choice('SMLX')}",
            lambda: f"{r.choice(['AB', 'CN', 'US'])}{r.randint(100, 999)}-{r.randint(10, 99)}-{r.randint(1000, 9999)}X",
            lambda: f"P{r.randint(10**8, 10**9 - 1)}",
        ])(), "us_ssn"

    def _la_amount(self):
        r = self.rng
        cents = r.randint(100, 10**9)
        return r.choice([f"{cents / 100:.2f}", f"¥{cents / 100:,.2f}", f"USD {cents / 100:,.2f}"]), \
            "payment_card"

    def _la_tracking_number(self):
        r = self.rng
        d = lambda n: "".join(r.choice("0123456789") for _ in range(n))  # noqa: E731
        return r.choice([lambda: "SF" + d(13), lambda: "YT" + d(16), lambda: "1Z" +
                         "".join(r.choice(PLATE_LETTERS + "0123456789") for _ in range(16)),
                         lambda: "JD" + d(13)])(), "imei"

    def _la_version(self):
        r = self.rng
        return r.choice([
            lambda: f"v{r.randint(1, 30)}.{r.randint(0, 40)}.{r.randint(0, 99)}",
            lambda: f"{r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 60)}.{r.randint(300, 9999)}",
            lambda: f"{r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 60)}-rc.{r.randint(1, 9)}",
        ])(), "ipv4"

    def _la_snowflake(self):
        r = self.rng
        return str(r.randint(10**17, 2 * 10**18)), "cn_resident_id"

    def _la_order_no_digits(self):
        r = self.rng
        d = datetime.date(2026, 1, 1) + datetime.timedelta(days=r.randint(0, 330))
        return d.strftime("%Y%m%d") + "".join(r.choice("0123456789") for _ in range(r.choice([6, 8, 10]))), \
            "payment_card"


LOOKALIKE_KINDS = (
    "order_no_luhn_invalid", "id18_bad_check", "id18_bad_date", "epoch_ms", "uuid",
    "hex_digest", "digits11_no_mobile_prefix", "iban_bad_check", "sku", "amount",
    "tracking_number", "version", "snowflake", "order_no_digits",
)


# ---------------------------------------------------------------------------------------
# Documents. A `Cell` is a string value under construction with the labels planted in it.


@dataclass
class Cell:
    text: str
    labels: list[dict] = field(default_factory=list)
    escaped: bool = False


KEYS = {
    # detector: (english telling keys, chinese telling keys)
    "email": (["email", "contactEmail", "billing_email"], ["邮箱", "电子邮件"]),
    "cn_mobile": (["mobile", "phone", "cellPhone"], ["手机号", "联系电话"]),
    "phone_intl": (["phone", "phone_number", "tel"], ["电话"]),
    "payment_card": (["card_number", "cardNo", "pan"], ["银行卡号", "卡号"]),
    "iban": (["iban", "bank_account"], ["账户"]),
    "cn_resident_id": (["id_card", "idNumber"], ["身份证号", "证件号码"]),
    "cn_uscc": (["credit_code", "uscc"], ["统一社会信用代码"]),
    "us_ssn": (["ssn", "social_security_number"], ["社保号"]),
    "ipv4": (["client_ip", "ip"], ["IP地址"]),
    "ipv6": (["client_ipv6", "ip6"], ["IPv6地址"]),
    "mac": (["mac", "mac_address"], ["MAC地址"]),
    "imei": (["imei", "device_imei"], ["设备IMEI"]),
    "jwt": (["id_token", "access_token"], ["令牌"]),
    "bearer_token": (["authorization", "Authorization"], ["授权"]),
    "aws_access_key": (["aws_access_key_id", "accessKeyId"], ["访问密钥"]),
    "pem_private_key": (["private_key", "tls_key"], ["私钥"]),
    "url_credentials": (["database_url", "upstream"], ["数据库地址"]),
    "passport": (["passport_no", "passportNumber"], ["护照号", "护照号码"]),
    "date_of_birth": (["dob", "birth_date", "birthday"], ["出生日期", "生日"]),
    "person_name": (["name", "full_name", "recipient"], ["姓名", "收件人", "联系人"]),
    "postal_address": (["address", "shipping_address"], ["地址", "收货地址"]),
    "landline": (["landline", "office_phone"], ["座机", "固定电话"]),
    "us_ssn_plain": (["ssn", "social_security_no"], ["社会安全号"]),
    "cn_resident_id_legacy": (["id_card", "old_id_number"], ["身份证号", "旧身份证号"]),
    "gps": (["gps", "lat_lng", "coordinates"], ["坐标", "定位"]),
    "cn_license_plate": (["license_plate", "plate_no"], ["车牌号", "车牌"]),
}
# Words written right before the value in free text.
WORDS = {
    "email": (["email", "contact"], ["邮箱", "联系邮箱"]),
    "cn_mobile": (["mobile", "call"], ["手机", "联系方式"]),
    "phone_intl": (["phone", "call"], ["电话"]),
    "payment_card": (["card", "paid with card"], ["卡号", "银行卡"]),
    "iban": (["IBAN", "account"], ["账户"]),
    "cn_resident_id": (["ID", "id number"], ["身份证", "证件号"]),
    "cn_uscc": (["company code", "USCC"], ["统一社会信用代码", "信用代码"]),
    "us_ssn": (["SSN", "social security number"], ["社保号"]),
    "ipv4": (["from", "client"], ["来源IP", "登录IP"]),
    "ipv6": (["from", "client"], ["来源IP"]),
    "mac": (["device", "MAC"], ["设备MAC"]),
    "imei": (["IMEI", "handset"], ["IMEI", "手机串号"]),
    "jwt": (["token", "id_token="], ["令牌"]),
    "bearer_token": (["Authorization:", "sent header"], ["请求头", "Authorization:"]),
    "aws_access_key": (["key", "AWS key"], ["密钥"]),
    "pem_private_key": (["key:"], ["私钥："]),
    "url_credentials": (["connecting to", "upstream"], ["连接"]),
    "passport": (["passport no.", "passport number"], ["护照号码", "护照"]),
    "date_of_birth": (["date of birth", "born on", "DOB"], ["出生日期", "生日"]),
    "person_name": (["customer name", "recipient", "contact person"], ["联系人", "收件人", "姓名"]),
    "postal_address": (["ship to", "address"], ["收货地址", "地址"]),
    "landline": (["office phone", "landline"], ["座机", "固话"]),
    "us_ssn_plain": (["SSN", "social security no."], ["社会安全号"]),
    "cn_resident_id_legacy": (["old ID card", "15-digit ID"], ["旧身份证", "身份证号"]),
    "gps": (["GPS", "location"], ["坐标", "定位"]),
    "cn_license_plate": (["plate", "license plate"], ["车牌", "车牌号"]),
}
NEUTRAL_KEYS = ["value", "data", "ref", "field_7", "extra", "attr", "v", "info", "payload",
                "meta_value", "col3", "x"]
SUPPRESSING_KEYS = ["order_id", "trace_id", "sku", "request_id", "span_id", "tracking_no",
                    "version", "amount", "checksum", "created_at_ms", "orderNo"]
LOOKALIKE_TEXT_EN = ["Order {} shipped.", "trace {} ok", "ref={}; retry=0", "Build {} deployed",
                     "total {} settled", "parcel {} in transit", "job {} finished in 35 ms"]
LOOKALIKE_TEXT_ZH = ["订单{}已发货。", "追踪号：{}，状态正常。", "版本{}已发布", "流水号{}处理完成",
                     "金额{}已结算", "快递单号{}派送中"]


class DocBuilder:
    """Plants labelled values into one JSON API response."""

    def __init__(self, gen: Gen, lang: str, obfuscate_rate: float, escape_rate: float):
        self.g = gen
        self.r = gen.rng
        self.lang = lang
        self.obfuscate_rate = obfuscate_rate
        self.escape_rate = escape_rate

    # ---- planting ---------------------------------------------------------------------

    def make_value(self, detector: str) -> tuple[str, str]:
        """(text to place, planted value). They differ only for url_credentials."""
        g, lang = self.g, self.lang
        if detector == "url_credentials":
            return g.url_credentials()
        if detector == "bearer_token":
            secret = g.bearer_secret()
            return "Bearer " + secret, secret
        simple = {
            "email": lambda: g.email(lang), "date_of_birth": lambda: g.date_of_birth(lang),
            "person_name": lambda: g.person_name(lang),
            "postal_address": lambda: g.postal_address(lang),
        }
        value = simple[detector]() if detector in simple else getattr(g, detector)()
        return value, value

    def obfuscate(self, detector: str, text: str) -> tuple[str, str]:
        """Maybe rewrite digits full-width or add zero-width spaces; returns (text, form)."""
        if detector not in ("cn_mobile", "cn_resident_id", "payment_card", "email") or \
                self.r.random() >= self.obfuscate_rate:
            return text, "plain"
        if detector == "email" or self.r.random() < 0.5:
            cut = self.r.randint(1, len(text) - 1)
            if text[cut - 1] in " -" or text[cut] in " -":
                cut = len(text) // 2
            return text[:cut] + ZERO_WIDTH + text[cut:], "zero_width"
        return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text), "fullwidth"

    def planted(self, detector: str, placement: str) -> Cell:
        tier = "validated" if detector in VALIDATED else "context"
        text, value = self.make_value(detector)
        if text == value:
            text, form = self.obfuscate(detector, text)
            value = text
        else:
            form = "plain"
        label = {"value": value, "detector": detector, "tier": tier, "placement": placement,
                 "form": form}
        if placement == "free_text":
            word = self.r.choice(WORDS[detector][self.lang == "zh"])
            text = self.sentence(word, text)
        return Cell(text, [label])

    def sentence(self, word: str, text: str) -> str:
        r = self.r
        if self.lang == "zh":
            pre = r.choice(["用户反馈：", "备注：", "", "客服记录，", "请核实"])
            sep = r.choice(["：", ":", "为", ""]) if not word.endswith("：") else ""
            post = r.choice(["。", "，谢谢。", "，请尽快处理。", "", "；已登记"])
            return f"{pre}{word}{sep}{text}{post}"
        pre = r.choice(["", "Customer wrote: ", "Note - ", "Agent: please verify "])
        sep = r.choice([" ", ": ", " is "]) if not word.endswith((":", "=")) else \
            ("" if word.endswith("=") else " ")
        post = r.choice([".", ", thanks.", " (verified)", "", "; escalated to tier 2."])
        return f"{pre}{word}{sep}{text}{post}"

    def lookalike_cell(self, placement: str) -> Cell:
        kind, detector, value = self.g.lookalike()
        label = {"value": value, "detector": detector, "tier": "lookalike",
                 "placement": placement, "form": "plain", "kind": kind}
        text = value
        if placement == "free_text":
            text = self.r.choice(LOOKALIKE_TEXT_ZH if self.lang == "zh" else LOOKALIKE_TEXT_EN).format(value)
        return Cell(text, [label])

    def key_for(self, detector: str) -> str:
        en, zh = KEYS[detector]
        return self.r.choice(zh if self.lang == "zh" and self.r.random() < 0.6 else en)

    def plant_into(self, obj: dict, n_pos: int, n_la: int) -> None:
        """Add planted values and look-alikes as members of `obj`."""
        r = self.r
        for _ in range(n_pos):
            if r.random() < 0.7:
                detector = r.choice(VALIDATED)
                placement = r.choices(["telling_key", "neutral_key", "free_text"], [5, 2, 3])[0]
            else:
                detector = r.choice(CONTEXT)
                placement = r.choice(["telling_key", "free_text"])
            cell = self.planted(detector, placement)
            if placement == "telling_key":
                key = self.key_for(detector)
            elif placement == "neutral_key":
                key = r.choice(NEUTRAL_KEYS)
            else:
                key = r.choice(["note", "comment", "message", "description", "备注", "remark"])
            self.put(obj, key, cell)
        for _ in range(n_la):
            placement = r.choices(["neutral_key", "suppressing_key", "free_text"], [5, 4, 2])[0]
            cell = self.lookalike_cell(placement)
            key = r.choice(SUPPRESSING_KEYS) if placement == "suppressing_key" else \
                r.choice(NEUTRAL_KEYS) if placement == "neutral_key" else \
                r.choice(["note", "log", "message", "状态"])
            self.put(obj, key, cell)

    def put(self, obj: dict, key: str, cell: Cell) -> None:
        if self.r.random() < self.escape_rate:
            cell.escaped = True
        while key in obj:
            key = key + "_" + str(self.r.randint(2, 9))
        obj[key] = cell

    # ---- skeletons --------------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        return self.r.randint(1, 3), self.r.randint(1, 2)

    def build(self) -> dict:
        kind = self.r.choice(["users", "orders", "tickets", "logs", "payments"])
        return getattr(self, "doc_" + kind)()

    def filler_time(self) -> str:
        t = datetime.datetime(2026, 1, 1) + datetime.timedelta(seconds=self.r.randint(0, 28_000_000))
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")

    def doc_users(self) -> dict:
        r = self.r
        users = []
        for i in range(r.randint(1, 3)):
            u = {"id": r.randint(1000, 99999), "status": r.choice(["active", "locked", "pending"]),
                 "created_at": self.filler_time(), "roles": [r.choice(["admin", "member", "viewer"])]}
            self.plant_into(u, *self.counts())
            if r.random() < 0.5:
                u["profile"] = {"locale": "zh-CN" if self.lang == "zh" else "en-US"}
                self.plant_into(u["profile"], 1, 1)
            users.append(u)
        return {"users": users, "page": {"size": len(users), "next": None}}

    def doc_orders(self) -> dict:
        r = self.r
        orders = []
        for _ in range(r.randint(1, 3)):
            o = {"status": r.choice(["paid", "shipped", "refunded"]), "currency": r.choice(["CNY", "USD", "EUR"]),
                 "items": []}
            for _ in range(r.randint(1, 2)):
                item = {"qty": r.randint(1, 5), "title": r.choice(["USB-C cable", "保温杯", "Desk lamp", "蓝牙耳机"])}
                self.plant_into(item, 0, 1)
                o["items"].append(item)
            o["shipping"] = {"method": r.choice(["express", "顺丰", "standard"])}
            self.plant_into(o["shipping"], *self.counts())
            self.plant_into(o, 1, 1)
            orders.append(o)
        return {"data": {"orders": orders}, "total": len(orders)}

    def doc_tickets(self) -> dict:
        r = self.r
        t = {"ticket": {"priority": r.choice(["low", "high", "urgent"]), "channel": r.choice(["email", "chat", "电话"]),
                        "messages": []}}
        for _ in range(r.randint(1, 3)):
            m = {"from": r.choice(["customer", "agent"]), "at": self.filler_time()}
            self.plant_into(m, *self.counts())
            t["ticket"]["messages"].append(m)
        self.plant_into(t["ticket"], 1, 1)
        return t

    def doc_logs(self) -> dict:
        r = self.r
        entries = []
        for _ in range(r.randint(1, 4)):
            e = {"ts": self.filler_time(), "level": r.choice(["INFO", "WARN", "ERROR"]),
                 "service": r.choice(["auth", "gateway", "billing", "用户中心"])}
            self.plant_into(e, *self.counts())
            entries.append(e)
        return {"logs": entries, "cursor": None}

    def doc_payments(self) -> dict:
        r = self.r
        p = {"payment": {"status": r.choice(["captured", "declined", "pending"]),
                         "method": {"type": r.choice(["card", "sepa", "alipay", "unionpay"])},
                         "payer": {}}}
        self.plant_into(p["payment"]["method"], *self.counts())
        self.plant_into(p["payment"]["payer"], *self.counts())
        self.plant_into(p["payment"], 1, 2)
        return p


# ---------------------------------------------------------------------------------------
# Serialization: pointers, JSON escaping.


def pointer_token(key) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def escape_json_string(text: str, rng: random.Random) -> str:
    r"""JSON string literal with `@` as \u0040 and some digits as \u003X."""
    out, escaped_any = [], False
    for ch in text:
        if ch == "@" or (ch.isascii() and ch.isdigit() and rng.random() < 0.35):
            out.append(f"\\u{ord(ch):04x}")
            escaped_any = True
        else:
            out.append(json.dumps(ch, ensure_ascii=False)[1:-1])
    if not escaped_any:  # force one escape so the flag always means something
        for i, ch in enumerate(text):
            if ch.isalnum() and ord(ch) < 0x10000:
                out[i] = f"\\u{ord(ch):04x}"
                break
    return '"' + "".join(out) + '"'


def serialize(node, path: str, labels: list, doc_index: int, rng: random.Random) -> str:
    if isinstance(node, dict):
        parts = []
        for k, v in node.items():
            parts.append(json.dumps(k, ensure_ascii=False) + ":" +
                         serialize(v, f"{path}/{pointer_token(k)}", labels, doc_index, rng))
        return "{" + ",".join(parts) + "}"
    if isinstance(node, list):
        return "[" + ",".join(serialize(v, f"{path}/{i}", labels, doc_index, rng)
                              for i, v in enumerate(node)) + "]"
    if isinstance(node, Cell):
        for label in node.labels:
            if label["value"] not in node.text:
                raise OracleError(f"label value `{label['value']}` is not inside its string")
            labels.append({"doc": doc_index, "pointer": path, **label, "escaped": node.escaped})
        if node.escaped:
            return escape_json_string(node.text, rng)
        return json.dumps(node.text, ensure_ascii=False)
    return json.dumps(node, ensure_ascii=False)


def order_label(label: dict) -> dict:
    keys = ("doc", "pointer", "value", "detector", "tier", "placement", "escaped", "form", "kind")
    return {k: label[k] for k in keys if k in label}


def generate(seed: int, docs: int, obfuscate_rate: float, escape_rate: float):
    """Yields (ndjson line, labels of that line) for each document."""
    gen = Gen(seed)
    for i in range(docs):
        lang = "zh" if gen.rng.random() < 0.5 else "en"
        doc = DocBuilder(gen, lang, obfuscate_rate, escape_rate).build()
        labels: list[dict] = []
        line = serialize(doc, "", labels, i, gen.rng)
        parsed = json.loads(line)
        for label in labels:  # the pointer must resolve to a string holding the value
            target = resolve(parsed, label["pointer"])
            if not isinstance(target, str) or label["value"] not in target:
                raise OracleError(f"pointer `{label['pointer']}` of doc {i} does not hold its value")
        yield line, [order_label(lab) for lab in labels]


def resolve(doc, pointer: str):
    """Follow an RFC 6901 pointer; raises KeyError/IndexError when absent."""
    node = doc
    if pointer == "":
        return node
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(token)]
        elif isinstance(node, dict):
            node = node[token]
        else:
            raise KeyError(token)
    return node


def write_corpus(out_dir: str, docs: int, lines) -> None:
    """Write DIR/corpus.ndjson and DIR/labels.jsonl from (line, labels) pairs; refuse a corpus
    with fewer than 30 % look-alikes and print the tier counts to stderr."""
    os.makedirs(out_dir, exist_ok=True)
    tiers = {"validated": 0, "context": 0, "lookalike": 0}
    with open(os.path.join(out_dir, "corpus.ndjson"), "w", encoding="utf-8", newline="\n") as corpus, \
            open(os.path.join(out_dir, "labels.jsonl"), "w", encoding="utf-8", newline="\n") as out:
        for line, labels in lines:
            corpus.write(line + "\n")
            for label in labels:
                tiers[label["tier"]] += 1
                out.write(json.dumps(label, ensure_ascii=False) + "\n")
    total = sum(tiers.values())
    share = tiers["lookalike"] / total if total else 0.0
    if docs >= 50 and share < 0.30:
        raise OracleError(f"look-alikes are {share:.1%} of labels, below 30%")
    print(f"wrote {docs} docs, {total} labels ({tiers['validated']} validated, "
          f"{tiers['context']} context, {tiers['lookalike']} look-alikes = {share:.1%}) to {out_dir}",
          file=sys.stderr)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--docs", type=int, default=1000, help="number of documents (default 1000)")
    p.add_argument("--out", required=True, help="output directory (created if missing)")
    p.add_argument("--obfuscate-rate", type=float, default=0.01,
                   help="share of mobiles, ids, cards, emails written with full-width digits "
                        "or a zero-width space (default 0.01)")
    p.add_argument("--escape-rate", type=float, default=0.08,
                   help="share of labelled strings written with \\u escapes (default 0.08)")
    args = p.parse_args(argv)
    write_corpus(args.out, args.docs, generate(args.seed, args.docs, args.obfuscate_rate, args.escape_rate))
    return 0


if __name__ == "__main__":
    sys.exit(main())
