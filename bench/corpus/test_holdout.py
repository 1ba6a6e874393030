"""Tests for holdout.py (run: python3 -m unittest discover -s bench/corpus -p 'test_*.py')."""

import base64
import contextlib
import datetime
import io
import ipaddress
import json
import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from stdnum import iban, imei, luhn, mac  # noqa: E402
from stdnum.cn import ric, uscc  # noqa: E402
from stdnum.us import ssn  # noqa: E402

import generate  # noqa: E402
import holdout  # noqa: E402


def run(seed, docs, out=None):
    """Generate into a directory; returns (corpus bytes, labels bytes)."""
    with contextlib.ExitStack() as stack:
        d = out or stack.enter_context(tempfile.TemporaryDirectory())
        with contextlib.redirect_stderr(io.StringIO()):
            holdout.main(["--seed", str(seed), "--docs", str(docs), "--out", d])
        with open(os.path.join(d, "corpus.ndjson"), "rb") as c, \
                open(os.path.join(d, "labels.jsonl"), "rb") as lab:
            return c.read(), lab.read()


def plain(value: str) -> str:
    return generate.normalize(value)


class HoldoutTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.corpus, cls.labels_raw = run(11, 500)
        cls.lines = cls.corpus.decode("utf-8").splitlines()
        cls.docs = [json.loads(line) for line in cls.lines]
        cls.labels = [json.loads(line) for line in cls.labels_raw.decode("utf-8").splitlines()]

    def test_same_seed_same_bytes_other_seed_other_bytes(self):
        self.assertEqual(run(11, 500), (self.corpus, self.labels_raw))
        self.assertNotEqual(run(12, 500)[0], self.corpus)

    def test_every_detector_shape_and_placement_and_30_percent_lookalikes(self):
        tiers = [lab["tier"] for lab in self.labels]
        self.assertGreaterEqual(tiers.count("lookalike") / len(tiers), 0.30)
        detectors = {lab["detector"] for lab in self.labels if lab["tier"] != "lookalike"}
        self.assertEqual(detectors, set(generate.VALIDATED) | set(generate.CONTEXT))
        self.assertEqual({lab["kind"] for lab in self.labels if lab["tier"] == "lookalike"},
                         set(holdout.LA_KINDS))
        placements = {(lab["tier"], lab["placement"]) for lab in self.labels}
        for tier in ("validated", "context"):
            self.assertIn((tier, "telling_key"), placements)
            self.assertIn((tier, "free_text"), placements)
        self.assertIn(("validated", "neutral_key"), placements)
        self.assertNotIn(("context", "neutral_key"), placements)
        for placement in ("neutral_key", "suppressing_key", "free_text"):
            self.assertIn(("lookalike", placement), placements)
        tops = {next(iter(doc)) for doc in self.docs}
        self.assertGreaterEqual(len(tops), 6, tops)

    def test_labels_carry_the_evaluator_fields_and_pointers_hold_values(self):
        for lab in self.labels:
            for key in ("doc", "pointer", "value", "detector", "tier", "placement", "escaped"):
                self.assertIn(key, lab)
            self.assertIn(lab["value"], generate.resolve(self.docs[lab["doc"]], lab["pointer"]))
            if lab["escaped"]:
                self.assertIn("\\u", self.lines[lab["doc"]])
        self.assertTrue(any(lab["escaped"] for lab in self.labels))

    def test_planted_values_pass_independent_oracles(self):
        checks = {
            "payment_card": lambda v: luhn.is_valid(generate.digits(v)) and holdout.is_card_any_issuer(v),
            "iban": iban.is_valid,
            "cn_resident_id": ric.is_valid,
            "cn_uscc": uscc.is_valid,
            "us_ssn": lambda v: ssn.is_valid(v) and re.fullmatch(r"\d{3}-\d{2}-\d{4}", v),
            "us_ssn_plain": lambda v: ssn.is_valid(v) and re.fullmatch(r"\d{9}", v),
            "imei": imei.is_valid,
            "mac": mac.is_valid,
            "ipv4": lambda v: ipaddress.IPv4Address(v).is_global,
            "ipv6": lambda v: ipaddress.IPv6Address(v).is_global,
            "email": lambda v: generate.EMAIL_RE.match(v) and v.split("@")[1].split(".")[-2] == "example",
            "cn_mobile": generate.is_cn_mobile,
            "phone_intl": lambda v: v.startswith("+") and 8 <= len(generate.digits(v)) <= 15,
            "aws_access_key": lambda v: re.fullmatch(r"(AKIA|ASIA)[A-Z2-7]{16}", v),
            "jwt": lambda v: json.loads(base64.urlsafe_b64decode(v.split(".")[0] + "==")).get("typ") == "JWT",
            "pem_private_key": lambda v: "-----BEGIN" in v and "PRIVATE KEY-----" in v,
            "url_credentials": lambda v: re.fullmatch(r"[\w-]+:[\w%]+", v),
            "cn_resident_id_legacy": lambda v: re.fullmatch(r"\d{15}", v) and v[:6] in holdout.CN_COUNTIES
            and datetime.date(1900 + int(v[6:8]), int(v[8:10]), int(v[10:12])),
        }
        seen = set()
        for lab in self.labels:
            if lab["tier"] == "lookalike" or lab["detector"] not in checks:
                continue
            value = plain(lab["value"])
            self.assertTrue(checks[lab["detector"]](value), f"{lab['detector']}: {lab['value']!r}")
            seen.add(lab["detector"])
        self.assertEqual(seen, set(checks))

    def test_context_values_sit_under_a_telling_key_or_after_a_telling_word(self):
        for lab in self.labels:
            if lab["tier"] != "context":
                continue
            key = lab["pointer"].rsplit("/", 1)[-1]
            if lab["placement"] == "telling_key":
                keys = holdout.TELLING_KEYS[lab["detector"]]
                self.assertIn(key, keys[0] + keys[1] + ["name", "姓名", "accountHolder", "开户名"], lab)
            else:
                text = generate.resolve(self.docs[lab["doc"]], lab["pointer"])
                templates = holdout.SENTENCES[lab["detector"]]
                self.assertTrue(any(t.format(lab["value"]) == text for t in templates[0] + templates[1]), lab)

    def test_lookalikes_fail_every_oracle(self):
        for lab in self.labels:
            if lab["tier"] != "lookalike":
                continue
            holdout.assert_lookalike(lab["value"], lab["kind"])  # raises OracleError
            v = plain(lab["value"])
            for run_ in re.findall(r"\d+", v):
                self.assertFalse(13 <= len(run_) <= 19 and luhn.is_valid(run_) and
                                 re.match(r"4|5[1-5]|62|3[47]|35[2-8]|6011|65", run_), lab["value"])
            self.assertFalse(iban.is_valid(v), lab["value"])

    def test_oracle_rejects_a_valid_card_posing_as_a_lookalike(self):
        with self.assertRaises(generate.OracleError):
            holdout.assert_lookalike("3530 1113 3330 0000", "test")  # a JCB test number
        with self.assertRaises(generate.OracleError):
            holdout.assert_lookalike("+65 6123 4567", "test")

    def test_miss_listing_names_every_planted_value_an_unchanged_copy_misses(self):
        with tempfile.TemporaryDirectory() as d:
            run(3, 60, d)
            corpus = os.path.join(d, "corpus.ndjson")
            with contextlib.redirect_stdout(io.StringIO()) as out:
                holdout.main(["--out", d, "--misses", corpus])
            rows = [r for r in out.getvalue().splitlines()[2:] if r.startswith("|")]
            with open(os.path.join(d, "labels.jsonl"), encoding="utf-8") as f:
                planted = [json.loads(x) for x in f if '"lookalike"' not in x]
            self.assertEqual(sum(int(r.split("|")[4]) for r in rows), len(planted))
            self.assertFalse(any("| lookalike |" in r for r in rows))


if __name__ == "__main__":
    unittest.main()
