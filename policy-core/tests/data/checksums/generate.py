#!/usr/bin/env python3
"""Writes the checksum and detector test vectors used by scrim-core's unit tests.

Oracle: python-stdnum (validity labels); generators: Faker plus small local generators.
Deterministic: fixed seed. Run from anywhere:

    pip install python-stdnum faker
    python3 policy-core/tests/data/checksums/generate.py

Outputs (committed):
    checksums/{luhn,iban,cn_ric,uscc,imei}.json  {"valid": [...], "invalid": [...]}
    detect/generated.json                         [{"text", "key", "expect": [[id, value]]}]
"""

import json
import os
import random

from faker import Faker
from stdnum import iban, imei, luhn
from stdnum.cn import ric, uscc

SEED = 20261129
N = 300
HERE = os.path.dirname(os.path.abspath(__file__))
DETECT = os.path.join(HERE, "..", "detect")

rng = random.Random(SEED)
Faker.seed(SEED)
fake_en = Faker("en_US")
fake_cn = Faker("zh_CN")
fake_all = Faker(["en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL"])


def bump_last(value, alphabet):
    """Same value with a different last character (a checksum near-miss)."""
    last = value[-1]
    choices = [c for c in alphabet if c != last]
    return value[:-1] + rng.choice(choices)


def dump(name, valid, invalid):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump({"valid": valid, "invalid": invalid}, f, ensure_ascii=False, indent=None)
        f.write("\n")


# ---- Luhn: Faker cards of every brand, labelled by stdnum.
cards = []
for card_type in ["visa16", "visa13", "mastercard", "amex", "discover", "jcb16", "diners"]:
    for _ in range(N // 7):
        cards.append(fake_en.credit_card_number(card_type=card_type))
luhn_valid = sorted({c for c in cards if luhn.is_valid(c)})
luhn_invalid = sorted({x for x in (bump_last(c, "0123456789") for c in luhn_valid) if not luhn.is_valid(x)})
dump("luhn.json", luhn_valid, luhn_invalid)

# ---- IBAN: Faker IBANs from several locales; near-misses change one check digit.
ibans = sorted({fake_all.iban() for _ in range(N)})
iban_valid = [x for x in ibans if iban.is_valid(x)]
iban_invalid = []
for x in iban_valid:
    d = x[2:4]
    y = x[:2] + ("%02d" % ((int(d) + 1 + rng.randrange(90)) % 100)) + x[4:]
    if not iban.is_valid(y):
        iban_invalid.append(y)
dump("iban.json", iban_valid, iban_invalid)

# ---- China resident ID: Faker zh_CN ssn (checksum right, area code not always current).
def ric_checksum_ok(x):
    return ric.calc_check_digit(x) == x[17].upper()  # stdnum expects the full number

rics = sorted({fake_cn.ssn() for _ in range(N)})
ric_valid = [x for x in rics if ric_checksum_ok(x)]
ric_invalid = [y for y in (bump_last(x, "0123456789X") for x in ric_valid) if not ric_checksum_ok(y)]
dump("cn_ric.json", ric_valid, ric_invalid)

# ---- USCC: random bodies, check character from stdnum.
ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
usccs = []
for _ in range(N):
    province = rng.choice([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44,
                           45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65])
    body = rng.choice("9159") + rng.choice("123") + "%02d%04d" % (province, rng.randrange(100, 9999))
    body += "".join(rng.choice(ALPHA) for _ in range(9))
    usccs.append(body + uscc.calc_check_digit(body))
uscc_valid = sorted(x for x in set(usccs) if uscc.is_valid(x))
uscc_invalid = [y for y in (bump_last(x, ALPHA) for x in uscc_valid) if not uscc.is_valid(y)]
dump("uscc.json", uscc_valid, uscc_invalid)

# ---- IMEI: 14 random digits after a common reporting body, check digit from stdnum.
imeis = []
for _ in range(N):
    body = rng.choice(["35", "86", "01", "99"]) + "".join(rng.choice("0123456789") for _ in range(12))
    imeis.append(body + luhn.calc_check_digit(body))
imei_valid = sorted(x for x in set(imeis) if imei.is_valid(x))
imei_invalid = [y for y in (bump_last(x, "0123456789") for x in imei_valid) if not imei.is_valid(y)]
dump("imei.json", imei_valid, imei_invalid)

# ---- Detector cases: valid values in English and Chinese sentences, in several written forms.
def spaced(d, groups):
    out, i = [], 0
    for g in groups:
        out.append(d[i:i + g])
        i += g
    return out


def cn_mobile():
    prefix = rng.choice(["138", "139", "150", "186", "177", "199", "166", "147"])
    return prefix + "".join(rng.choice("0123456789") for _ in range(8))


cases = []
for i in range(60):
    m = cn_mobile()
    form = i % 6
    if form == 0:
        v = m
    elif form == 1:
        v = " ".join(spaced(m, [3, 4, 4]))
    elif form == 2:
        v = "-".join(spaced(m, [3, 4, 4]))
    elif form == 3:
        v = "+86 " + m
    elif form == 4:
        v = "+86-" + "-".join(spaced(m, [3, 4, 4]))
    else:
        v = "0086" + m
    tmpl = rng.choice(["联系方式：{}。", "请拨打{}联系我们", "call me at {} tomorrow", "tel: {}"])
    cases.append({"text": tmpl.format(v), "key": None, "expect": [["cn_mobile", v]]})

for c in luhn_valid[:40]:
    v = c if len(c) != 16 or rng.random() < 0.5 else " ".join(spaced(c, [4, 4, 4, 4]))
    tmpl = rng.choice(["卡号{}已绑定", "paid with {} yesterday", "card: {}"])
    cases.append({"text": tmpl.format(v), "key": None, "expect": [["payment_card", v]]})

for r in ric_valid:
    if not ric.is_valid(r):
        continue  # stdnum also checks area codes and dates; keep only fully valid ids
    tmpl = rng.choice(["身份证号{}，", "ID {} on file", "{}"])
    cases.append({"text": tmpl.format(r), "key": None, "expect": [["cn_resident_id", r]]})
    if len(cases) > 200:
        break

for x in iban_valid[:30]:
    v = x if rng.random() < 0.5 else " ".join(x[i:i + 4] for i in range(0, len(x), 4))
    cases.append({"text": "IBAN: {} (main)".format(v), "key": None, "expect": [["iban", v]]})

for x in uscc_valid[:20]:
    cases.append({"text": "统一社会信用代码{}。".format(x), "key": None, "expect": [["cn_uscc", x]]})

for x in imei_valid[:20]:
    cases.append({"text": "IMEI {}".format(x), "key": None, "expect": [["imei", x]]})

for _ in range(20):
    e = fake_en.email()
    cases.append({"text": rng.choice(["邮箱{}谢谢", "mail <{}>", "{}"]).format(e), "key": None, "expect": [["email", e]]})

# Look-alikes that must stay untouched.
negatives = []
negatives += luhn_invalid[:30]
negatives += ric_invalid[:30]
negatives += iban_invalid[:20]
negatives += imei_invalid[:10]
negatives += [str(rng.randrange(1_600_000_000_000, 1_800_000_000_000)) for _ in range(20)]  # epoch ms
negatives += [fake_en.uuid4() for _ in range(20)]
negatives += [fake_en.sha256() for _ in range(10)] + [fake_en.md5() for _ in range(10)]
negatives += ["1" + rng.choice("012") + "".join(rng.choice("0123456789") for _ in range(9)) for _ in range(20)]
negatives += ["SKU-%d-%04d" % (rng.randrange(100, 999), rng.randrange(10000)) for _ in range(10)]
negatives += ["%d.%02d" % (rng.randrange(1, 99999), rng.randrange(100)) for _ in range(10)]
negatives += ["v%d.%d.%d" % (rng.randrange(10), rng.randrange(30), rng.randrange(100)) for _ in range(10)]
negatives += ["1Z%s" % "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16)) for _ in range(10)]
for v in negatives:
    tmpl = rng.choice(["订单{}已发货", "ref {} done", "{}"])
    cases.append({"text": tmpl.format(v), "key": None, "expect": []})

with open(os.path.join(DETECT, "generated.json"), "w", encoding="utf-8") as f:
    f.write("[\n")
    f.write(",\n".join(json.dumps(c, ensure_ascii=False) for c in cases))
    f.write("\n]\n")
print("cases:", len(cases), "luhn:", len(luhn_valid), "iban:", len(iban_valid), "ric:", len(ric_valid),
      "uscc:", len(uscc_valid), "imei:", len(imei_valid))
