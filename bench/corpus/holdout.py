#!/usr/bin/env python3
"""Generate Scrim's held-out corpus: labelled JSON API responses from independent templates.

    python3 bench/corpus/holdout.py --seed 11 --docs 3000 --out bench/out/holdout
    python3 bench/corpus/holdout.py --out bench/out/holdout --misses REDACTED.ndjson

Same output format as generate.py (DIR/corpus.ndjson + DIR/labels.jsonl with the same label
fields), so bench/quality/evaluate.py scores it unchanged. The document shapes (CRM contacts,
HR records, shipping webhooks, chat transcripts, audit logs, KYC payloads, integration
configs), key names, sentences and look-alikes were written without reading the detector
code or its word lists, to measure how detection generalizes beyond generate.py's templates.

Oracles are shared with generate.py (python-stdnum, `ipaddress`, strict formats): every
planted validated value passes them and every look-alike fails all of them; the generator
raises OracleError rather than write a wrong label.
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

from faker import Faker
from stdnum import iban as std_iban
from stdnum import imei as std_imei
from stdnum import luhn as std_luhn
from stdnum import mac as std_mac
from stdnum.cn import uscc as std_uscc
from stdnum.us import ssn as std_ssn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generate as g  # noqa: E402  (shared oracles, detector ids and the serializer)
from generate import CONTEXT, VALIDATED, Cell, OracleError, check  # noqa: E402,F401

ZERO_WIDTH = "\u200b"
DIGITS = "0123456789"
UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

# ---------------------------------------------------------------------------------------
# Extra oracles (on top of generate.py's): card issuer ranges seen in real traffic that
# generate.py does not plant (JCB, Diners), international numbers, AWS temporary keys.

CARD_IIN_RE = re.compile(r"^(?:4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|6011|65|62|"
                         r"35(?:2[89]|[3-8]\d)|36)")
PHONE_INTL_RE = re.compile(r"^\+(?:1|31|34|39|44|46|49|55|61|65|81|82|852|886|91)[ -]?\d[\d -]{5,14}\d$")
AWS_KEY_RE = re.compile(r"^(?:AKIA|ASIA)[A-Z2-7]{16}$")


def is_card_any_issuer(run: str) -> bool:
    d = g.digits(run)
    return 12 <= len(d) <= 19 and bool(CARD_IIN_RE.match(d)) and std_luhn.is_valid(d)


def assert_lookalike(value: str, kind: str) -> None:
    """generate.py's look-alike oracle plus the wider card ranges planted here."""
    g.assert_lookalike(value, kind)
    v = g.normalize(value)
    for run in re.findall(r"\d[\d -]*\d", v) + g.digit_runs(v):
        check(not is_card_any_issuer(run), f"look-alike {kind} (valid card)", value)
    check(not AWS_KEY_RE.match(v), f"look-alike {kind} (aws key)", value)
    check(not PHONE_INTL_RE.match(v), f"look-alike {kind} (intl phone)", value)


# ---------------------------------------------------------------------------------------
# Value generators.

# GB/T 2260 county codes (different ones from generate.py); the stdnum oracle checks each
# value against its birth-year-aware table and we retry on a miss.
CN_COUNTIES = ("110102", "110106", "110107", "120103", "120104", "130104", "140106",
               "210203", "310101", "310110", "310112", "320205", "320583", "330102",
               "330205", "330302", "350203", "350583", "370203", "370681", "410302",
               "420102", "420111", "430104", "440106", "440304", "440604", "441900",
               "450305", "460105", "500106", "510105", "510124", "530112", "610104",
               "620103", "640105", "650104")
MOBILE_HEADS = ("134", "137", "139", "147", "150", "157", "158", "165", "172", "176",
                "178", "181", "185", "187", "193", "198", "199", "135", "186")
PLATE_PROVINCES = "京沪粤浙苏川鄂湘鲁豫闽皖辽吉黑陕渝津冀晋桂琼贵云甘青宁新藏蒙赣"
# Reserved example domains only (RFC 2606).
MAIL_DOMAINS = ("example.com", "example.org", "example.net", "hr.example.com",
                "mail.example.org", "crm.example.net", "shop.example.co.example.com")
OUIS = ("a4:83:e7", "f0:9f:c2", "00:17:88", "b4:fb:e4", "00:1e:c2", "74:83:c2", "00:25:90")
TACS = ("35391110", "35290611", "86781203", "35875011", "86091603", "01332700", "35332910")
LA_KINDS = (
    "merchant_order_no", "platform_order_19", "card_bad_luhn", "masked_card", "masked_phone",
    "uuid", "sha256", "git_sha", "md5", "epoch_s", "epoch_ms", "iso_timestamp",
    "ups_tracking", "s10_tracking", "sf_tracking", "amount", "version_4part", "semver",
    "id18_bad_check", "iban_bad_check", "imei_bad_luhn", "ssn_invalid", "uscc_bad_check",
    "digits11_bad_prefix", "ean13_barcode", "snmp_oid", "paging_cursor", "event_date",
)
LA_IMITATES = {
    "merchant_order_no": "payment_card", "platform_order_19": "payment_card",
    "card_bad_luhn": "payment_card", "masked_card": "payment_card", "masked_phone": "cn_mobile",
    "uuid": "ipv6", "sha256": "aws_access_key", "git_sha": "imei", "md5": "mac",
    "epoch_s": "us_ssn_plain", "epoch_ms": "payment_card", "iso_timestamp": "date_of_birth",
    "ups_tracking": "passport", "s10_tracking": "passport", "sf_tracking": "cn_mobile",
    "amount": "payment_card", "version_4part": "ipv4", "semver": "ipv4",
    "id18_bad_check": "cn_resident_id", "iban_bad_check": "iban", "imei_bad_luhn": "imei",
    "ssn_invalid": "us_ssn", "uscc_bad_check": "cn_uscc", "digits11_bad_prefix": "cn_mobile",
    "ean13_barcode": "payment_card", "snmp_oid": "ipv4", "paging_cursor": "jwt",
    "event_date": "date_of_birth",
}


def rand_digits(r: random.Random, n: int) -> str:
    return "".join(r.choice(DIGITS) for _ in range(n))


def luhn_fill(r: random.Random, prefix: str, length: int) -> str:
    body = prefix + rand_digits(r, length - len(prefix) - 1)
    return body + std_luhn.calc_check_digit(body)


def chunk(s: str, sizes, sep: str) -> str:
    out, i = [], 0
    for n in sizes:
        if i >= len(s):
            break
        out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(out)


def a_date(r: random.Random, first: int, last: int) -> datetime.date:
    lo = datetime.date(first, 1, 1).toordinal()
    hi = datetime.date(last, 12, 31).toordinal()
    return datetime.date.fromordinal(r.randint(lo, hi))


class Values:
    """Planted values and look-alikes from one seeded random source."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.fakers = {}
        for n, loc in enumerate(("en_US", "en_GB", "zh_CN")):
            f = Faker(loc)
            f.seed_instance(seed * 31 + n)
            self.fakers[loc] = f

    def faker(self, lang: str) -> Faker:
        return self.fakers["zh_CN"] if lang == "zh" else self.fakers[self.r.choice(("en_US", "en_GB"))]

    # ---- validated ----

    def email(self, lang: str) -> str:
        r = self.r
        if lang == "zh" and r.random() < 0.6:
            user = r.choice(["xiaoming", "wang.lei", "lina", "zhou_jie", "sun.li", "hui.chen",
                             "liuqiang", "gao.yan"]) + r.choice(["", str(r.randint(80, 99)),
                                                                  str(r.randint(1990, 2005))])
        else:
            f = self.faker(lang)
            first, last = f.first_name().lower(), f.last_name().lower()
            user = r.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}{r.randint(1, 99)}",
                             f"{last}.{first}+billing", f"{first}"])
            user = re.sub(r"[^a-z0-9._+]", "", user).strip("._+")
            if not re.match(r"^[a-z0-9][a-z0-9._+]*[a-z0-9]$", user):
                user = "member" + str(r.randint(100, 999))
        value = user + "@" + r.choice(MAIL_DOMAINS)
        if r.random() < 0.1:
            value = value[0].upper() + value[1:]
        check(bool(g.EMAIL_RE.match(value)), "email", value)
        return value

    def cn_mobile(self) -> str:
        r = self.r
        n = r.choice(MOBILE_HEADS) + rand_digits(r, 8)
        value = r.choice([
            n, n, n, f"{n[:3]} {n[3:7]} {n[7:]}", f"+86 {n}", f"+86{n}", f"+86 {n[:3]}-{n[3:7]}-{n[7:]}",
            f"0086-{n}", f"+86 {n[:3]} {n[3:7]} {n[7:]}",
        ])
        check(g.is_cn_mobile(value), "cn_mobile", value)
        return value

    def phone_intl(self) -> str:
        r = self.r
        d = lambda n: rand_digits(r, n)  # noqa: E731
        value = r.choice([
            lambda: f"+65 {r.choice('689')}{d(3)} {d(4)}",
            lambda: f"+852 {r.choice('2359')}{d(3)} {d(4)}",
            lambda: f"+34 91{d(1)} {d(3)} {d(3)}",
            lambda: f"+39 06 {d(4)} {d(4)}",
            lambda: f"+31 20 {d(3)} {d(4)}",
            lambda: f"+46 8 {d(3)} {d(3)} {d(2)}",
            lambda: f"+82 2-{d(3)}-{d(4)}",
            lambda: f"+55 11 9{d(4)}-{d(4)}",
            lambda: f"+91 9{d(4)} {d(5)}",
            lambda: f"+61 4{d(2)} {d(3)} {d(3)}",
            lambda: f"+49 15{d(1)} {d(8)}",
            lambda: f"+886 9{d(2)} {d(3)} {d(3)}",
            lambda: f"+81 90-{d(4)}-{d(4)}",
            lambda: f"+1{r.choice(['415', '646', '206'])}55501{d(2)}",
            lambda: f"+4420{d(8)}",
        ])()
        check(bool(PHONE_INTL_RE.match(value)) and 8 <= len(g.digits(value)) <= 15, "phone_intl", value)
        return value

    def payment_card(self) -> str:
        r = self.r
        prefix, length, sizes = r.choice([
            ("4", 16, (4, 4, 4, 4)), (r.choice(["51", "53", "55"]), 16, (4, 4, 4, 4)),
            (str(r.randint(2221, 2720)), 16, (4, 4, 4, 4)), ("37", 15, (4, 6, 5)),
            ("62" + str(r.randint(2126, 2925)), r.choice([16, 19]), (4, 4, 4, 4)),
            (str(r.randint(3528, 3589)), 16, (4, 4, 4, 4)), ("36", 14, (4, 6, 4)),
            ("65", 16, (4, 4, 4, 4)),
        ])
        number = luhn_fill(r, prefix, length)
        check(is_card_any_issuer(number), "payment_card", number)
        style = r.random()
        if style < 0.45:
            return number
        return chunk(number, sizes, " " if style < 0.8 else "-")

    IBAN_BBAN = {  # d digit, A letter, c alnum (upper)
        "FR": "ddddddddddcccccccccccdd", "ES": "dddddddddddddddddddd", "IT": "Addddddddddcccccccccccc",
        "BE": "dddddddddddd", "IE": "AAAAdddddddddddddd", "SE": "dddddddddddddddddddd",
        "NO": "ddddddddddd", "DK": "dddddddddddddd", "PT": "ddddddddddddddddddddd",
    }

    def _iban(self, good: bool) -> str:
        r = self.r
        for _ in range(300):
            cc = r.choice(sorted(self.IBAN_BBAN))
            bban = "".join(r.choice(DIGITS) if c == "d" else r.choice(UPPER) if c == "A"
                           else r.choice(DIGITS + UPPER) for c in self.IBAN_BBAN[cc])
            cd = std_iban.calc_check_digits(cc + "00" + bban)
            if not good:
                cd = f"{(int(cd) + r.randint(3, 60)) % 97 or 11:02d}"
            value = cc + cd + bban
            if std_iban.is_valid(value) == good:
                return value
        raise OracleError("could not build an iban")

    def iban(self) -> str:
        value = self._iban(True)
        return chunk(value, (4,) * 9, " ") if self.r.random() < 0.4 else value

    def cn_resident_id(self) -> str:
        r = self.r
        for _ in range(300):
            body = r.choice(CN_COUNTIES) + a_date(r, 1955, 2006).strftime("%Y%m%d") + rand_digits(r, 3)
            value = body + g.ric_check(body)
            if g.ric_valid(value):
                return value
        raise OracleError("could not build a resident id")

    def cn_uscc(self) -> str:
        r = self.r
        for _ in range(300):
            org8 = "".join(r.choice(g.USCC_ALPHABET) for _ in range(8))
            s = sum(g.USCC_ALPHABET.index(c) * w for c, w in zip(org8, g.ORG_WEIGHTS)) % 11
            org_check = {10: "X", 11: "0"}.get(11 - s, str(11 - s))
            body = r.choice(["91", "92", "12", "52", "93"]) + r.choice(CN_COUNTIES) + org8 + org_check
            total = sum(g.USCC_ALPHABET.index(c) * w for c, w in zip(body, g.USCC_WEIGHTS))
            value = body + g.USCC_ALPHABET[(31 - total % 31) % 31]
            if std_uscc.is_valid(value) and not g.ric_valid(value):
                return value
        raise OracleError("could not build a uscc")

    def _ssn(self) -> str:
        r = self.r
        while True:
            value = f"{r.randint(1, 772):03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}"
            if std_ssn.is_valid(value):
                return value

    def us_ssn(self) -> str:
        return self._ssn()

    def ipv4(self) -> str:
        r = self.r
        while True:
            value = f"{r.randint(1, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
            if ipaddress.ip_address(value).is_global:
                return value

    def ipv6(self) -> str:
        r = self.r
        head = r.choice([(0x2a00, 0x1450), (0x2606, 0x4700), (0x2400, 0xcb00), (0x240e, 0x0390),
                         (0x2a02, 0x0c7f), (0x2001, 0x0470)])
        words = list(head) + [r.randint(0, 0xFFFF) for _ in range(6)]
        if r.random() < 0.5:
            words[2:6] = [0, 0, 0, 0] if r.random() < 0.5 else words[2:6]
            words[4:7] = [0, 0, 0]
        ip = ipaddress.IPv6Address(":".join(f"{w:x}" for w in words))
        check(ip.is_global, "ipv6", str(ip))
        value = ip.compressed if r.random() < 0.8 else ip.exploded
        return value.upper() if r.random() < 0.1 else value

    def mac(self) -> str:
        r = self.r
        for _ in range(50):
            if r.random() < 0.75:
                octets = [int(x, 16) for x in r.choice(OUIS).split(":")]
            else:
                octets = [(r.randint(0, 255) | 0x02) & 0xFE]
            octets += [r.randint(0, 255) for _ in range(6 - len(octets))]
            sep = r.choice([":", ":", "-"])
            value = sep.join(f"{o:02x}" for o in octets)
            value = value.upper() if r.random() < 0.4 else value
            if std_mac.is_valid(value):
                return value
        raise OracleError("could not build a mac")

    def imei(self) -> str:
        value = luhn_fill(self.r, self.r.choice(TACS), 15)
        check(std_imei.is_valid(value), "imei", value)
        return value

    def jwt(self) -> str:
        r = self.r
        b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()  # noqa: E731
        header = {"alg": r.choice(["RS256", "ES256", "HS512"]), "kid": f"k{r.randint(1, 9)}", "typ": "JWT"}
        if r.random() < 0.5:
            del header["kid"]
        claims = {"iss": "https://auth.example.com/", "aud": r.choice(["api", "mobile-app"]),
                  "exp": 1790000000 + r.randint(0, 9999999), "uid": r.randint(1000, 999999)}
        sig = bytes(r.getrandbits(8) for _ in range(r.choice([32, 64, 256])))
        value = ".".join([b64(json.dumps(header, separators=(",", ":")).encode()),
                          b64(json.dumps(claims, separators=(",", ":")).encode()), b64(sig)])
        check(value.startswith("eyJ") and value.count(".") == 2, "jwt", value)
        return value

    def bearer_token(self) -> str:
        r = self.r
        return r.choice([
            lambda: "".join(r.choice(ALNUM) for _ in range(40)),
            lambda: hashlib.sha1(str(r.random()).encode()).hexdigest(),
            lambda: "at_" + "".join(r.choice(ALNUM + "-_") for _ in range(r.randint(28, 44))),
            lambda: base64.b64encode(bytes(r.getrandbits(8) for _ in range(30))).decode(),
        ])()

    def aws_access_key(self) -> str:
        value = self.r.choice(["AKIA", "AKIA", "AKIA", "ASIA"]) + \
            "".join(self.r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
        check(bool(AWS_KEY_RE.match(value)), "aws_access_key", value)
        return value

    def pem_private_key(self) -> str:
        r = self.r
        kind = r.choice(["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY",
                         "ENCRYPTED PRIVATE KEY"])
        body = base64.b64encode(bytes(r.getrandbits(8) for _ in range(r.choice([68, 180, 300])))).decode()
        width = 70 if kind == "OPENSSH PRIVATE KEY" else 64
        return f"-----BEGIN {kind}-----\n" + "\n".join(
            body[i:i + width] for i in range(0, len(body), width)) + f"\n-----END {kind}-----\n"

    def url_credentials(self) -> tuple[str, str]:
        r = self.r
        user = r.choice(["app", "reporting", "svc-sync", "mq_user", "readonly", "sftpuser"])
        pw = "".join(r.choice(ALNUM) for _ in range(r.randint(8, 20)))
        if r.random() < 0.2:
            pw = pw[:4] + r.choice(["%40", "%21", "%23"]) + pw[4:]
        scheme, host = r.choice([("amqp", "mq.example.net:5672"), ("mongodb+srv", "cluster0.example.org"),
                                 ("smtp", "smtp.example.com:587"), ("sftp", "files.example.com"),
                                 ("https", "hooks.example.com"), ("postgresql", "10.8.0.12:5432")])
        path = r.choice(["", "/vhost", "/reports?retryWrites=true", "/incoming"])
        return f"{scheme}://{user}:{pw}@{host}{path}", f"{user}:{pw}"

    # ---- context-gated ----

    def passport(self) -> str:
        r = self.r
        return r.choice([
            lambda: "E" + rand_digits(r, 8),
            lambda: "E" + r.choice(UPPER) + rand_digits(r, 7),
            lambda: "G" + rand_digits(r, 8),
            lambda: str(r.randint(1, 9)) + rand_digits(r, 8),
            lambda: r.choice(UPPER) + r.choice(UPPER) + rand_digits(r, 7),
        ])()

    def date_of_birth(self, lang: str) -> str:
        r = self.r
        d = a_date(r, 1945, 2007)
        if lang == "zh":
            return r.choice([f"{d.year}年{d.month}月{d.day}日", d.isoformat(), d.strftime("%Y/%m/%d"),
                             f"{d.year}年{d.month:02d}月{d.day:02d}日"])
        return r.choice([d.isoformat(), d.strftime("%d/%m/%Y"), d.strftime("%m/%d/%Y"),
                         f"{d.strftime('%B')} {d.day}, {d.year}", d.strftime("%d %b %Y"),
                         d.strftime("%Y/%m/%d")])

    def person_name(self, lang: str) -> str:
        f = self.faker(lang)
        if lang == "zh":
            return f.name()
        return f"{f.first_name()} {f.last_name()}"

    def postal_address(self, lang: str) -> str:
        f = self.faker(lang)
        if lang == "zh":
            return f.address().replace(" ", "")
        return f.address().replace("\n", ", ")

    def street(self, lang: str) -> str:
        f = self.faker(lang)
        if lang == "zh":
            return f.street_name() + f"{self.r.randint(1, 1999)}号"
        return f.street_address()

    def landline(self) -> str:
        r = self.r
        area = r.choice(["010", "021", "022", "023", "025", "0512", "0532", "0591", "0731", "0898"])
        local = str(r.randint(2, 8)) + rand_digits(r, 7 if len(area) == 3 else r.choice([6, 7]))
        return r.choice([f"{area}-{local}", f"{area}-{local}", f"({area}){local}", f"{area} {local}"])

    def us_ssn_plain(self) -> str:
        return self._ssn().replace("-", "")

    def cn_resident_id_legacy(self) -> str:
        r = self.r
        return r.choice(CN_COUNTIES) + a_date(r, 1935, 1984).strftime("%y%m%d") + rand_digits(r, 3)

    def gps(self) -> str:
        r = self.r
        lat, lon = r.choice([(r.uniform(22, 41), r.uniform(103, 122)), (r.uniform(-38, -27), r.uniform(115, 153)),
                             (r.uniform(33, 48), r.uniform(-122, -73)), (r.uniform(48, 55), r.uniform(-3, 14))])
        return r.choice([f"{lat:.6f},{lon:.6f}", f"{lat:.4f}, {lon:.4f}", f"{lat:.5f},{lon:.5f}"])

    def cn_license_plate(self) -> str:
        r = self.r
        head = r.choice(PLATE_PROVINCES) + r.choice(UPPER)
        if r.random() < 0.25:
            tail = r.choice("DF") + rand_digits(r, 5)
        else:
            tail = list(rand_digits(r, 5))  # an ordinary serial: at most two letters
            for i in r.sample(range(5), r.choice([0, 1, 1, 2])):
                tail[i] = r.choice(UPPER)
            tail = "".join(tail)
        return head + ("·" if r.random() < 0.3 else "") + tail

    # ---- look-alikes: returns the value; assert_lookalike is applied by lookalike() ----

    def lookalike(self, kind: str | None = None) -> tuple[str, str, str]:
        kind = kind or self.r.choice(LA_KINDS)
        for _ in range(200):
            value = getattr(self, "_la_" + kind)()
            try:
                assert_lookalike(value, kind)
            except OracleError:
                continue
            return kind, LA_IMITATES[kind], value
        raise OracleError(f"could not build look-alike `{kind}`")

    def _la_merchant_order_no(self):
        r = self.r
        return r.choice(["ORD-", "SO", "PO-", "INV-", "DD"]) + a_date(r, 2024, 2026).strftime("%Y%m%d") + \
            r.choice(["-", ""]) + rand_digits(r, r.choice([4, 6]))

    def _la_platform_order_19(self):
        return self.r.choice("123") + rand_digits(self.r, 18)

    def _la_card_bad_luhn(self):
        r = self.r
        n = luhn_fill(r, r.choice(["4", "53", "62", "35"]), 16)
        bad = n[:-1] + str((int(n[-1]) + r.randint(1, 9)) % 10)
        return r.choice([bad, chunk(bad, (4, 4, 4, 4), " ")])

    def _la_masked_card(self):
        r = self.r
        last4 = rand_digits(r, 4)
        return r.choice([f"**** **** **** {last4}", f"{r.choice(['4', '5', '6'])}{rand_digits(r, 5)}******{last4}",
                         f"XXXX-XXXX-XXXX-{last4}", f"•••• {last4}"])

    def _la_masked_phone(self):
        r = self.r
        head = r.choice(MOBILE_HEADS)
        return r.choice([f"{head}****{rand_digits(r, 4)}", f"+86 {head}****{rand_digits(r, 4)}",
                         f"{head}-****-{rand_digits(r, 4)}"])

    def _la_uuid(self):
        r = self.r
        h = "%032x" % r.getrandbits(128)
        h = h[:12] + "4" + h[13:16] + r.choice("89ab") + h[17:]
        v = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        return v.upper() if r.random() < 0.15 else v

    def _la_sha256(self):
        h = "%064x" % self.r.getrandbits(256)
        return h if self.r.random() < 0.7 else "sha256:" + h

    def _la_git_sha(self):
        h = "%040x" % self.r.getrandbits(160)
        return h if self.r.random() < 0.5 else h[:7]

    def _la_md5(self):
        h = "%032x" % self.r.getrandbits(128)
        return h.upper() if self.r.random() < 0.3 else h

    def _la_epoch_s(self):
        return str(self.r.randint(1_600_000_000, 1_800_000_000))

    def _la_epoch_ms(self):
        return str(self.r.randint(1_600_000_000_000, 1_800_000_000_000))

    def _la_iso_timestamp(self):
        r = self.r
        d = a_date(r, 2023, 2026)
        t = f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}"
        return r.choice([f"{d.isoformat()}T{t}Z", f"{d.isoformat()}T{t}.{rand_digits(r, 3)}+08:00",
                         f"{d.isoformat()} {t}"])

    def _la_ups_tracking(self):
        r = self.r
        return "1Z" + "".join(r.choice(UPPER + DIGITS) for _ in range(6)) + rand_digits(r, 10)

    def _la_s10_tracking(self):
        r = self.r
        body = rand_digits(r, 8)
        s = 11 - sum(int(c) * w for c, w in zip(body, (8, 6, 4, 2, 3, 5, 9, 7))) % 11
        cd = {10: 0, 11: 5}.get(s, s)
        return r.choice(["E", "L", "R", "C"]) + r.choice(UPPER) + body + str(cd) + r.choice(["CN", "GB", "US"])

    def _la_sf_tracking(self):
        r = self.r
        return r.choice(["SF", "JDVA", "YT", "75"]) + rand_digits(r, r.choice([12, 13]))

    def _la_amount(self):
        r = self.r
        cents = r.randint(100, 99_999_999)
        v = f"{cents // 100:,}.{cents % 100:02d}"
        return r.choice([f"¥{v}", f"${v}", f"CNY {v}", f"{v} EUR", v.replace(",", ""), f"-{v}"])

    def _la_version_4part(self):
        r = self.r
        return f"{r.randint(1, 30)}.{r.randint(0, 9)}.{r.randint(1000, 30000)}.{r.randint(1, 9999)}"

    def _la_semver(self):
        r = self.r
        return r.choice(["v", "", "release-"]) + f"{r.randint(0, 12)}.{r.randint(0, 40)}.{r.randint(0, 99)}" + \
            r.choice(["", "-rc.1", "-beta.3", "+build.512"])

    def _la_id18_bad_check(self):
        good = self.cn_resident_id()
        return good[:-1] + self.r.choice([c for c in "0123456789X" if c != good[-1]])

    def _la_iban_bad_check(self):
        v = self._iban(False)
        return chunk(v, (4,) * 9, " ") if self.r.random() < 0.4 else v

    def _la_imei_bad_luhn(self):
        good = self.imei()
        return good[:-1] + str((int(good[-1]) + self.r.randint(1, 9)) % 10)

    def _la_ssn_invalid(self):
        r = self.r
        return r.choice([f"000-{r.randint(10, 99)}-{rand_digits(r, 4)}", f"666-{r.randint(10, 99)}-{rand_digits(r, 4)}",
                         f"9{rand_digits(r, 2)}-{r.randint(10, 99)}-{rand_digits(r, 4)}",
                         f"{r.randint(100, 599)}-00-{rand_digits(r, 4)}", f"{r.randint(100, 599)}-{r.randint(10, 99)}-0000"])

    def _la_uscc_bad_check(self):
        good = self.cn_uscc()
        wrong = self.r.choice([c for c in g.USCC_ALPHABET if c != good[-1]])
        v = good[:-1] + wrong
        check(not std_uscc.is_valid(v), "uscc look-alike", v)
        return v

    def _la_digits11_bad_prefix(self):
        return self.r.choice(["10", "11", "12"]) + rand_digits(self.r, 9)

    def _la_ean13_barcode(self):
        r = self.r
        body = r.choice(["690", "692", "693", "694", "695", "400", "500"]) + rand_digits(r, 9)
        s = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
        return body + str((10 - s % 10) % 10)

    def _la_snmp_oid(self):
        r = self.r
        return "1.3.6.1." + ".".join(str(r.randint(1, 40000)) for _ in range(r.randint(3, 6)))

    def _la_paging_cursor(self):
        r = self.r
        obj = r.choice([{"offset": r.randint(20, 5000)}, {"page": r.randint(2, 90), "size": 50},
                        {"after": r.randint(10**6, 10**9)}])
        return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")

    def _la_event_date(self):
        r = self.r
        d = a_date(r, 2023, 2026)
        return r.choice([d.isoformat(), d.strftime("%d/%m/%Y"), f"{d.year}年{d.month}月{d.day}日"])


# ---------------------------------------------------------------------------------------
# Words: key names and sentences a real API or message would use. (en, zh) pairs.

TELLING_KEYS = {
    "email": (["emailAddress", "contact_email", "workEmail", "notifyEmail", "e_mail", "primaryEmail"],
              ["邮箱", "电子邮箱", "emailAddress"]),
    "cn_mobile": (["msisdn", "contactNumber", "tel", "mobileNo", "cellphone", "recipientPhone"],
                  ["手机号码", "联系电话", "收件人电话", "msisdn"]),
    "phone_intl": (["contactNumber", "tel", "phoneNumber", "whatsapp", "msisdn"], ["联系电话", "海外电话"]),
    "payment_card": (["cardNumber", "pan", "cc_number", "primaryAccountNumber", "card_no"], ["银行卡号", "卡号"]),
    "iban": (["iban", "bankAccount", "payoutAccount", "accountIban"], ["收款账号", "iban"]),
    "cn_resident_id": (["national_id", "idCardNo", "id_number", "citizenId"], ["证件号码", "身份证", "身份证号码"]),
    "cn_uscc": (["unifiedSocialCreditCode", "creditCode", "businessLicenseNo"], ["统一社会信用代码", "营业执照号"]),
    "us_ssn": (["ssn", "socialSecurityNumber", "taxpayerSsn"], ["社保号", "ssn"]),
    "ipv4": (["ip_addr", "clientIp", "remote_addr", "sourceIp", "lastLoginIp"], ["登录IP", "客户端IP", "ip_addr"]),
    "ipv6": (["ip_addr", "clientIp", "remote_addr", "ipv6Address"], ["登录IP", "客户端地址"]),
    "mac": (["macAddress", "hw_addr", "bssid", "wifiMac"], ["MAC地址", "网卡地址"]),
    "imei": (["imei", "deviceImei", "handset_imei"], ["设备IMEI", "串号"]),
    "jwt": (["id_token", "accessToken", "session_jwt"], ["登录令牌", "id_token"]),
    "bearer_token": (["Authorization", "authorization"], ["Authorization"]),
    "aws_access_key": (["aws_access_key_id", "accessKeyId", "AWS_ACCESS_KEY_ID"], ["accessKeyId"]),
    "pem_private_key": (["privateKey", "tls_key", "signingKey", "private_key_pem"], ["私钥", "privateKey"]),
    "url_credentials": (["dsn", "database_url", "brokerUrl", "callback_url"], ["连接地址", "dsn"]),
    "passport": (["passportNo", "passport_number", "travelDocumentNo"], ["护照号码", "护照号"]),
    "date_of_birth": (["dob", "birthDate", "date_of_birth", "birthday"], ["出生日期", "生日", "dob"]),
    "person_name": (["fullName", "legalName", "contactName", "consignee", "displayName", "cardholderName"],
                    ["收件人", "姓名", "联系人", "持卡人"]),
    "postal_address": (["shippingAddress", "homeAddress", "mailingAddress", "street"],
                       ["收货地址", "家庭住址", "联系地址"]),
    "landline": (["officePhone", "workTel", "fax", "landline", "deskPhone"], ["座机", "办公电话", "固定电话"]),
    "us_ssn_plain": (["ssn", "socialSecurityNumber", "tin"], ["社保号", "ssn"]),
    "cn_resident_id_legacy": (["national_id", "idCardNo", "oldIdCardNo"], ["证件号码", "身份证", "旧身份证号"]),
    "gps": (["geo", "latLng", "coordinates", "lastKnownLocation"], ["定位", "经纬度", "当前位置"]),
    "cn_license_plate": (["plateNo", "licensePlate", "vehicle_plate"], ["车牌号", "车牌号码"]),
}

SENTENCES = {
    "email": (["Please send the invoice to {} instead.", "you can email me at {} anytime",
               "cc {} on the reply pls", "Updated contact: {}"],
              ["麻烦把发票发到{}，谢谢", "我的邮箱是{}", "请抄送{}", "回复请发{}"]),
    "cn_mobile": (["call me on {} after 6pm", "New number is {}.", "Reach the driver at {}"],
                  ["我的电话{}，到了打给我", "手机号改成{}了", "联系我：{}", "有事打{}"]),
    "phone_intl": (["Customer asked for a callback on {}.", "WhatsApp me at {} please", "Our office line: {}"],
                   ["客户海外号码{}，请回电", "国外手机{}"]),
    "payment_card": (["Charge it to my card {} please", "card {} was declined twice", "Tried paying with {} but it failed."],
                     ["用这张卡付款：{}", "银行卡{}扣款失败", "卡号{}"]),
    "iban": (["Please refund to {}", "Wire to IBAN {} by Friday"], ["退款请打到{}", "收款账户{}"]),
    "cn_resident_id": (["ID on file: {}", "The ID card number she gave is {}."],
                       ["身份证{}，请核对", "我的证件号是{}", "证件{}已上传"]),
    "cn_uscc": (["Supplier registration code {} verified.", "Company credit code: {}"],
                ["公司统一信用代码{}", "营业执照号{}"]),
    "us_ssn": (["My social is {}.", "SSN on the W-9: {}"], ["社保号{}", "美国社安号{}"]),
    "ipv4": (["Blocked login attempt from {}", "connection from {} reset by peer", "client {}:51432 timed out"],
             ["异常登录，来源{}", "客户端地址{}"]),
    "ipv6": (["Blocked login attempt from {}", "connection from [{}]:443 reset by peer"],
             ["异常登录，来源{}", "客户端地址{}"]),
    "mac": (["Device {} joined the guest wifi", "unknown station {} on AP-3"], ["设备{}已连接", "陌生设备{}接入网络"]),
    "imei": (["Handset IMEI {} reported stolen", "please blacklist device {}"], ["手机串号{}", "设备识别码{}已锁定"]),
    "jwt": (["token was {} and it expired", "Replay with id token {}"], ["令牌{}已过期", "登录凭证{}"]),
    "bearer_token": (["curl -H 'Authorization: Bearer {}' https://api.example.com/v2/me",
                      "request failed with header Authorization: Bearer {}"],
                     ["请求头Authorization: Bearer {}", "调用时带上Bearer {}"]),
    "aws_access_key": (["Rotated key {} after the leak", "found {} in a public repo"], ["泄露的密钥{}已轮换", "访问密钥{}"]),
    "pem_private_key": (["Here is the key:\n{}", "key for staging\n{}"], ["私钥如下：\n{}", "证书私钥：\n{}"]),
    "url_credentials": (["Connect with {}", "backup job uses {}"], ["连接串{}", "数据源：{}"]),
    "passport": (["passport {} expires next month", "Passport no. {}"], ["护照号{}", "护照{}即将过期"]),
    "date_of_birth": (["I was born on {}", "DOB: {}", "birthday is {}"], ["出生日期{}", "我是{}出生的", "生日{}"]),
    "person_name": (["My name is {}.", "Signed, {}", "Please deliver to {} at reception", "Hi, this is {} from accounts"],
                    ["我叫{}", "收件人{}", "联系人：{}", "我是{}，订单有问题"]),
    "postal_address": (["Ship to {}", "my new address is {}", "deliver to {} please"],
                       ["寄到{}", "收货地址改为{}", "我住在{}"]),
    "landline": (["office line {}", "call our front desk at {}", "fax: {}"], ["座机{}", "办公电话{}", "固话{}"]),
    "us_ssn_plain": (["SSN {} on the form", "social security number {}"], ["社会安全号码{}", "SSN{}"]),
    "cn_resident_id_legacy": (["old ID card {}", "his ID number is {}"], ["老身份证号{}", "一代身份证{}"]),
    "gps": (["Driver location {}", "pinned at {}", "coordinates {}"], ["当前位置{}", "定位：{}", "坐标{}"]),
    "cn_license_plate": (["truck plate {}", "the car with plate {} is blocking the gate"], ["车牌{}", "车牌号：{}"]),
}

NEUTRAL_KEYS = ["value", "v", "data", "detail", "custom_field_3", "attr2", "extra", "val", "content", "text1"]
SUPPRESSING_KEYS = {
    "merchant_order_no": ["orderNumber", "merchantOrderNo", "订单号"], "platform_order_19": ["order_id", "订单编号"],
    "card_bad_luhn": ["orderNumber", "referenceNo"], "masked_card": ["maskedPan", "cardMask"],
    "masked_phone": ["maskedPhone", "phoneMask"], "uuid": ["requestId", "correlation_id", "traceId"],
    "sha256": ["sha256", "checksum", "digest"], "git_sha": ["commit", "revision"], "md5": ["etag", "md5"],
    "epoch_s": ["timestamp", "ts", "expiresAt"], "epoch_ms": ["createdAtMs", "ts_ms", "eventTime"],
    "iso_timestamp": ["createdAt", "updated_at", "occurredAt"], "ups_tracking": ["trackingNumber", "waybillNo"],
    "s10_tracking": ["trackingNumber", "运单号"], "sf_tracking": ["waybill_no", "运单号", "trackingNumber"],
    "amount": ["amount", "total", "金额", "grandTotal"], "version_4part": ["appVersion", "build"],
    "semver": ["version", "sdkVersion"], "id18_bad_check": ["batchNo", "serialNumber"],
    "iban_bad_check": ["reference", "remittanceRef"], "imei_bad_luhn": ["serialNumber", "sn"],
    "ssn_invalid": ["caseNumber", "ticketRef"], "uscc_bad_check": ["batchCode", "lotNo"],
    "digits11_bad_prefix": ["accountNo", "memberNo"], "ean13_barcode": ["barcode", "gtin", "ean"],
    "snmp_oid": ["oid", "sysObjectID"], "paging_cursor": ["next_cursor", "pageToken"],
    "event_date": ["invoiceDate", "shipDate", "发货日期"],
}
LA_SENTENCES = (["Order {} has shipped.", "see ref {} for details", "status of {}: OK", "logged under {}",
                 "Your parcel {} is out for delivery", "value was {} at close"],
                ["订单{}已发货", "参考号{}", "处理编号：{}", "包裹{}正在派送", "记录{}已归档"])


# ---------------------------------------------------------------------------------------
# Documents.

class Doc:
    """Builds one document; plants values and look-alikes into Cells that carry labels."""

    def __init__(self, vals: Values, lang: str, escape_rate: float, obfuscate_rate: float):
        self.v, self.r, self.lang = vals, vals.r, lang
        self.escape_rate, self.obfuscate_rate = escape_rate, obfuscate_rate
        self.zh = lang == "zh"

    def pick(self, pair):
        return self.r.choice(pair[1] if self.zh else pair[0])

    def value(self, det: str) -> tuple[str, str]:
        """(text to write, labelled value)."""
        v = self.v
        if det == "url_credentials":
            return v.url_credentials()
        if det == "bearer_token":
            token = v.bearer_token()
            return token, token
        if det in ("email", "date_of_birth", "person_name", "postal_address"):
            x = getattr(v, det)(self.lang)
        else:
            x = getattr(v, det)()
        return x, x

    def obfuscate(self, det: str, text: str) -> tuple[str, str]:
        if det not in ("cn_mobile", "cn_resident_id", "payment_card", "email") or \
                self.r.random() >= self.obfuscate_rate:
            return text, "plain"
        if det != "email" and self.r.random() < 0.5:
            return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text), "fullwidth"
        cut = self.r.randint(2, len(text) - 2)
        while text[cut - 1] in " -" or text[cut] in " -":
            cut -= 1
        return text[:cut] + ZERO_WIDTH + text[cut:], "zero_width"

    def cell(self, text: str, labels: list[dict]) -> Cell:
        return Cell(text, labels, self.r.random() < self.escape_rate)

    def plant(self, det: str, placement: str, prefix: str = "") -> Cell:
        """A planted value under a key (telling/neutral) or inside a sentence (free_text)."""
        tier = "validated" if det in VALIDATED else "context"
        check(placement != "neutral_key" or tier == "validated", "neutral placement of context", det)
        text, val = self.value(det)
        form = "plain"
        if text == val:
            text, form = self.obfuscate(det, text)
            val = text
        if placement == "free_text":
            text = self.pick(SENTENCES[det]).format(text)
        elif det == "bearer_token":
            text = "Bearer " + text
        label = {"value": val, "detector": det, "tier": tier, "placement": placement, "form": form}
        return self.cell(prefix + text, [label])

    def tk(self, det: str) -> str:
        return self.pick(TELLING_KEYS[det])

    def put(self, obj: dict, det: str, key: str | None = None) -> None:
        """Plant `det` under a telling key (or the given one)."""
        obj[key or self.tk(det)] = self.plant(det, "telling_key")

    def lookalike(self, placement: str, kind: str | None = None) -> tuple[str, Cell]:
        kind, imitates, value = self.v.lookalike(kind)
        label = {"value": value, "detector": imitates, "tier": "lookalike", "placement": placement,
                 "kind": kind}
        text = value
        if placement == "free_text":
            text = self.pick(LA_SENTENCES).format(value)
            key = self.r.choice(["note", "message", "备注"] if self.zh else ["note", "message", "comment"])
        elif placement == "suppressing_key":
            key = self.r.choice(SUPPRESSING_KEYS[kind])
        else:
            key = self.r.choice(NEUTRAL_KEYS)
        return key, self.cell(text, [label])

    def lookalikes(self, n: int) -> dict:
        out = {}
        for _ in range(n):
            placement = self.r.choice(["neutral_key", "suppressing_key", "suppressing_key", "free_text"])
            key, cell = self.lookalike(placement)
            while key in out:
                key += "_"
            out[key] = cell
        return out

    def neutral(self, n: int) -> list:
        """Custom-field style `{"name": "field_N", "value": ...}` entries with validated values."""
        out = []
        for _ in range(n):
            det = self.r.choice(VALIDATED)
            out.append({"name": f"field_{self.r.randint(1, 40)}", self.r.choice(NEUTRAL_KEYS): self.plant(det, "neutral_key")})
        return out

    def say(self, det: str) -> Cell:
        return self.plant(det, "free_text")

    def any_of(self, *dets: str) -> str:
        return self.r.choice(dets)

    # ---- shapes ----

    def crm_contact(self) -> dict:
        billing = {"street": self._street(), "country": "CN" if self.zh else "US"}
        doc = {"object": "contact", "owner": "sales-apac" if self.zh else "sales-emea"}
        self.put(doc, "person_name")
        self.put(doc, "email")
        self.put(doc, self.any_of("cn_mobile", "cn_mobile", "phone_intl"))
        if self.r.random() < 0.5:
            self.put(doc, "landline")
        doc["billing"] = billing
        if self.r.random() < 0.5:
            self.put(doc, "date_of_birth")
        doc["notes"] = [self.say(self.any_of("cn_mobile", "email", "phone_intl", "person_name", "postal_address",
                                          "landline", "date_of_birth")) for _ in range(self.r.randint(1, 2))]
        doc["custom_fields"] = self.neutral(self.r.randint(0, 2))
        doc["meta"] = self.lookalikes(self.r.randint(3, 6))
        return {"data": doc, "has_more": False}

    def _street(self) -> Cell:
        text = self.v.street(self.lang)
        label = {"value": text, "detector": "postal_address", "tier": "context", "placement": "telling_key",
                 "form": "plain"}
        return self.cell(text, [label])

    def hr_record(self) -> dict:
        emp = {"status": "active", "department": "财务部" if self.zh else "Finance"}
        self.put(emp, "person_name")
        idtype = self.any_of("cn_resident_id", "cn_resident_id", "cn_resident_id_legacy", "us_ssn", "us_ssn_plain")
        self.put(emp, idtype)
        self.put(emp, "date_of_birth")
        self.put(emp, "postal_address")
        emp["payroll"] = {}
        self.put(emp["payroll"], self.any_of("iban", "payment_card"))
        emp["emergencyContact"] = {}
        self.put(emp["emergencyContact"], "person_name", "name" if not self.zh else "姓名")
        self.put(emp["emergencyContact"], self.any_of("cn_mobile", "phone_intl", "landline"))
        if self.r.random() < 0.5:
            self.put(emp, "passport")
        emp["comments"] = self.say(self.any_of("cn_resident_id", "us_ssn", "us_ssn_plain", "iban", "passport",
                                               "date_of_birth", "cn_resident_id_legacy", "postal_address"))
        emp.update(self.lookalikes(self.r.randint(3, 5)))
        return {"employee": emp, "schemaVersion": 3}

    def shipping_webhook(self) -> dict:
        ship = {"event": "shipment.delivered" if self.r.random() < 0.5 else "shipment.in_transit"}
        ship.update(self.lookalikes(self.r.randint(3, 5)))
        rcpt = {}
        self.put(rcpt, "person_name")
        self.put(rcpt, self.any_of("cn_mobile", "cn_mobile", "phone_intl"))
        self.put(rcpt, "postal_address")
        ship["recipient" if not self.zh else "收件信息"] = rcpt
        courier = {}
        self.put(courier, "cn_license_plate")
        self.put(courier, "gps")
        ship["courier"] = courier
        ship["courierNote"] = self.say(self.any_of("cn_mobile", "gps", "cn_license_plate", "person_name",
                                                   "postal_address", "landline"))
        return {"type": "webhook", "payload": ship}

    def chat_transcript(self) -> dict:
        msgs = []
        for i in range(self.r.randint(3, 6)):
            who = "customer" if i % 2 == 0 else "agent"
            if self.r.random() < 0.6:
                det = self.r.choice(VALIDATED + CONTEXT)
                msgs.append({"from": who, "text": self.say(det)})
            else:
                _, cell = self.lookalike("free_text")
                msgs.append({"from": who, "text": cell})
        return {"conversationId": self.lookalike("suppressing_key", "uuid")[1], "channel": "web",
                "messages": msgs}

    def audit_log(self) -> dict:
        actor = {}
        self.put(actor, "email")
        self.put(actor, self.any_of("ipv4", "ipv4", "ipv6"))
        device = {}
        self.put(device, self.any_of("mac", "imei"))
        headers = {"User-Agent": "Mozilla/5.0"}
        if self.r.random() < 0.5:
            self.put(headers, "bearer_token")
        else:
            ips = [self.v.ipv4() for _ in range(2)]
            headers["X-Forwarded-For"] = self.cell(", ".join(ips), [
                {"value": ip, "detector": "ipv4", "tier": "validated", "placement": "telling_key", "form": "plain"}
                for ip in ips])
        entry = {"action": "user.login", "actor": actor, "device": device, "request": {"headers": headers}}
        entry["message"] = self.say(self.any_of("ipv4", "ipv6", "mac", "imei", "email", "bearer_token", "jwt"))
        entry.update(self.lookalikes(self.r.randint(3, 5)))
        return {"auditEvents": [entry]}

    def kyc_payload(self) -> dict:
        app = {}
        self.put(app, "person_name")
        self.put(app, "date_of_birth")
        doc_kind = self.any_of("passport", "cn_resident_id", "cn_resident_id_legacy")
        app["document"] = {"type": "passport" if doc_kind == "passport" else "id_card"}
        self.put(app["document"], doc_kind)
        company = {}
        self.put(company, "cn_uscc")
        bank = {}
        self.put(bank, self.any_of("iban", "payment_card"))
        self.put(bank, "person_name", "accountHolder" if not self.zh else "开户名")
        out = {"applicant": app, "company": company, "bank": bank,
               "reviewerNote": self.say(self.any_of("cn_uscc", "passport", "payment_card", "cn_resident_id",
                                                    "us_ssn_plain", "date_of_birth"))}
        out["checks"] = self.lookalikes(self.r.randint(3, 5))
        out["custom_fields"] = self.neutral(1)
        return out

    def integration_config(self) -> dict:
        cfg = {"provider": "s3" if self.r.random() < 0.5 else "smtp"}
        self.put(cfg, "aws_access_key")
        self.put(cfg, "url_credentials")
        if self.r.random() < 0.5:
            self.put(cfg, "pem_private_key")
        if self.r.random() < 0.5:
            self.put(cfg, "jwt")
        cfg["changeNote"] = self.say(self.any_of("aws_access_key", "pem_private_key", "url_credentials", "jwt",
                                                 "bearer_token"))
        cfg.update(self.lookalikes(self.r.randint(3, 5)))
        return {"integration": cfg}

    SHAPES = ("crm_contact", "hr_record", "shipping_webhook", "chat_transcript", "audit_log",
              "kyc_payload", "integration_config")

    def build(self) -> dict:
        return getattr(self, self.r.choice(self.SHAPES))()


def generate(seed: int, docs: int, escape_rate: float, obfuscate_rate: float):
    """Yields (ndjson line, labels of that line) for each document."""
    vals = Values(seed)
    for i in range(docs):
        lang = "zh" if vals.r.random() < 0.5 else "en"
        doc = Doc(vals, lang, escape_rate, obfuscate_rate).build()
        labels: list[dict] = []
        line = g.serialize(doc, "", labels, i, vals.r)
        parsed = json.loads(line)
        for label in labels:
            target = g.resolve(parsed, label["pointer"])
            if not isinstance(target, str) or label["value"] not in target:
                raise OracleError(f"pointer `{label['pointer']}` of doc {i} does not hold its value")
        yield line, [g.order_label(lab) for lab in labels]


def list_misses(corpus_dir: str, redacted_path: str, examples: int = 3) -> str:
    """Misses grouped by (tier, detector or look-alike kind, placement), largest first, with
    example (original string → redacted string) pairs, as Markdown."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "quality"))
    import evaluate as ev  # noqa: PLC0415 (only needed for this mode)

    corpus = ev.read_lines(os.path.join(corpus_dir, "corpus.ndjson"))
    redacted = ev.read_lines(redacted_path)
    result = ev.score(corpus, redacted, ev.read_labels(os.path.join(corpus_dir, "labels.jsonl")))
    groups: dict[tuple, list] = {}
    for label, ok in zip(result.labels, result.good):
        if ok:
            continue
        i = label["doc"]
        before = ev.resolve(json.loads(corpus[i]), label["pointer"])
        try:
            after = ev.resolve(json.loads(redacted[i]), label["pointer"])
        except json.JSONDecodeError:
            after = "(line not JSON)"
        after = "(removed)" if after is ev._MISSING else after
        key = label["pointer"].rsplit("/", 1)[-1]
        what = label.get("kind", label["detector"])
        groups.setdefault((label["tier"], what, label["placement"]), []).append((key, before, after))
    out = ["| tier | detector / kind | placement | misses | examples (key: before → after) |",
           "|---|---|---|---:|---|"]
    for (tier, what, placement), rows in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        shown = "; ".join(f"`{k}`: `{b}` → `{a}`" for k, b, a in rows[:examples]).replace("\n", " ")
        out.append(f"| {tier} | {what} | {placement} | {len(rows)} | {shown} |")
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", type=int, default=11, help="random seed (default 11)")
    p.add_argument("--docs", type=int, default=3000, help="number of documents (default 3000)")
    p.add_argument("--out", required=True, help="output directory (created if missing)")
    p.add_argument("--escape-rate", type=float, default=0.05,
                   help="share of labelled strings written with \\u escapes (default 0.05)")
    p.add_argument("--obfuscate-rate", type=float, default=0.02,
                   help="share of mobiles, ids, cards, emails with full-width digits or a zero-width "
                        "space (default 0.02)")
    p.add_argument("--misses", metavar="REDACTED",
                   help="do not generate: list the labels of the corpus in --out that REDACTED misses")
    args = p.parse_args(argv)
    if args.misses:
        sys.stdout.write(list_misses(args.out, args.misses))
        return 0
    g.write_corpus(args.out, args.docs,
                   generate(args.seed, args.docs, args.escape_rate, args.obfuscate_rate))
    return 0


if __name__ == "__main__":
    sys.exit(main())
