"""Tests for generate.py (run: python3 -m unittest, from bench/corpus)."""

import contextlib
import io
import ipaddress
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from stdnum import iban, imei, luhn, mac  # noqa: E402
from stdnum.cn import ric, uscc  # noqa: E402
from stdnum.us import ssn  # noqa: E402

import generate  # noqa: E402


def run(seed, docs):
    """Generate into a temporary directory; returns (corpus bytes, labels bytes)."""
    with tempfile.TemporaryDirectory() as d, contextlib.redirect_stderr(io.StringIO()):
        generate.main(["--seed", str(seed), "--docs", str(docs), "--out", d])
        with open(os.path.join(d, "corpus.ndjson"), "rb") as c, \
                open(os.path.join(d, "labels.jsonl"), "rb") as lab:
            return c.read(), lab.read()


class GenerateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.corpus, cls.labels_raw = run(11, 400)
        cls.lines = cls.corpus.decode("utf-8").splitlines()
        cls.docs = [json.loads(line) for line in cls.lines]
        cls.labels = [json.loads(line) for line in cls.labels_raw.decode("utf-8").splitlines()]

    def test_same_seed_same_bytes_other_seed_other_bytes(self):
        again = run(11, 400)
        self.assertEqual(again, (self.corpus, self.labels_raw))
        self.assertNotEqual(run(12, 400)[0], self.corpus)

    def test_at_least_30_percent_lookalikes_and_every_tier_present(self):
        tiers = [lab["tier"] for lab in self.labels]
        self.assertGreaterEqual(tiers.count("lookalike") / len(tiers), 0.30)
        detectors = {lab["detector"] for lab in self.labels if lab["tier"] != "lookalike"}
        self.assertEqual(detectors, set(generate.VALIDATED) | set(generate.CONTEXT))
        placements = {(lab["tier"], lab["placement"]) for lab in self.labels}
        for tier in ("validated", "context"):
            self.assertIn((tier, "telling_key"), placements)
            self.assertIn((tier, "free_text"), placements)
        self.assertIn(("validated", "neutral_key"), placements)
        self.assertIn(("lookalike", "suppressing_key"), placements)

    def test_pointers_hold_values_and_escaped_strings_are_escaped(self):
        escaped = 0
        for lab in self.labels:
            target = generate.resolve(self.docs[lab["doc"]], lab["pointer"])
            self.assertIn(lab["value"], target)
            if lab["escaped"]:
                escaped += 1
                self.assertIn("\\u", self.lines[lab["doc"]])
        self.assertGreater(escaped, 0)
        self.assertTrue(any("\\u0040" in line for line in self.lines))

    def test_chinese_free_text_has_no_spaces_around_values(self):
        found = [lab for lab in self.labels if lab["detector"] == "cn_mobile"
                 and lab["placement"] == "free_text"]
        texts = [generate.resolve(self.docs[lab["doc"]], lab["pointer"]) for lab in found]
        self.assertTrue(any(f"：{lab['value']}" in t for lab, t in zip(found, texts)))

    def test_planted_values_pass_independent_oracles(self):
        checks = {
            "payment_card": lambda v: luhn.is_valid(generate.digits(v)),
            "iban": iban.is_valid,
            "cn_resident_id": ric.is_valid,
            "cn_uscc": uscc.is_valid,
            "us_ssn": ssn.is_valid,
            "us_ssn_plain": ssn.is_valid,
            "imei": imei.is_valid,
            "mac": mac.is_valid,
            "ipv4": lambda v: ipaddress.ip_address(v).version == 4,
            "ipv6": lambda v: ipaddress.ip_address(v).version == 6,
            "aws_access_key": lambda v: v.startswith("AKIA") and len(v) == 20,
            "jwt": lambda v: json.loads(generate.base64.urlsafe_b64decode(
                v.split(".")[0] + "==")).get("typ") == "JWT",
        }
        for lab in self.labels:
            if lab["tier"] != "lookalike" and lab["detector"] in checks:
                value = generate.normalize(lab["value"])
                self.assertTrue(checks[lab["detector"]](value), lab)

    def test_lookalikes_fail_the_oracles(self):
        for lab in self.labels:
            if lab["tier"] == "lookalike":
                compact = lab["value"].replace(" ", "")
                self.assertFalse(iban.is_valid(compact), lab)
                self.assertFalse(generate.ric_valid(compact), lab)
                if compact.isdigit() and 12 <= len(compact) <= 19:
                    self.assertFalse(generate.is_card(compact), lab)
        kinds = {lab["kind"] for lab in self.labels if lab["tier"] == "lookalike"}
        self.assertEqual(kinds, set(generate.LOOKALIKE_KINDS))


if __name__ == "__main__":
    unittest.main()
