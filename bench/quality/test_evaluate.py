"""Tests for evaluate.py on tiny hand-made corpora (run: python3 -m unittest, from bench/quality)."""

import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import evaluate  # noqa: E402

# Two documents. Doc 0 is written with a JSON escape (\u0040) as the generator does.
CORPUS = [
    '{"users":[{"email":"li.na\\u0040example.cn","order_id":"4111111111111112",'
    '"note":"联系方式：13812345678。"}]}',
    '{"payment":{"card":"4539 1488 0343 6467","trace_id":"1718000000000",'
    '"name":"张伟","sku":"SKU-10293-BLK-L"}}',
]
LABELS = [
    {"doc": 0, "pointer": "/users/0/email", "value": "li.na@example.cn", "detector": "email",
     "tier": "validated", "placement": "telling_key", "escaped": True},
    {"doc": 0, "pointer": "/users/0/order_id", "value": "4111111111111112",
     "detector": "payment_card", "tier": "lookalike", "placement": "suppressing_key",
     "escaped": False, "kind": "order_no_luhn_invalid"},
    {"doc": 0, "pointer": "/users/0/note", "value": "13812345678", "detector": "cn_mobile",
     "tier": "validated", "placement": "free_text", "escaped": False},
    {"doc": 1, "pointer": "/payment/card", "value": "4539 1488 0343 6467",
     "detector": "payment_card", "tier": "validated", "placement": "telling_key", "escaped": False},
    {"doc": 1, "pointer": "/payment/trace_id", "value": "1718000000000", "detector": "cn_mobile",
     "tier": "lookalike", "placement": "suppressing_key", "escaped": False, "kind": "epoch_ms"},
    {"doc": 1, "pointer": "/payment/name", "value": "张伟", "detector": "person_name",
     "tier": "context", "placement": "telling_key", "escaped": False},
    {"doc": 1, "pointer": "/payment/sku", "value": "SKU-10293-BLK-L", "detector": "us_ssn",
     "tier": "lookalike", "placement": "suppressing_key", "escaped": False, "kind": "sku"},
]
# Catches everything: masks, a removed member, and look-alikes left as they were
# (re-serialized without the escape, which must not matter).
ALL_CAUGHT = [
    '{"users":[{"email":"l***@example.cn","order_id":"4111111111111112",'
    '"note":"联系方式：138****5678。"}]}',
    '{"payment":{"trace_id":"1718000000000","name":"张*","sku":"SKU-10293-BLK-L"}}',
]
# Misses the mobile in free text and the name, and rewrites one look-alike.
SOME_MISSED = [
    '{"users":[{"email":"[email]","order_id":"[payment_card]",'
    '"note":"联系方式：13812345678。"}]}',
    '{"payment":{"card":"[payment_card]","trace_id":"1718000000000",'
    '"name":"张伟","sku":"SKU-10293-BLK-L"}}',
]


class EvaluateTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.write("corpus.ndjson", CORPUS)
        self.write("labels.jsonl", [json.dumps(lab, ensure_ascii=False) for lab in LABELS])

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, lines):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def run_main(self, *args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = evaluate.main(["--corpus", self.dir, *args])
        return code, out.getvalue(), err.getvalue()

    def gate(self, summary, tier):
        return next(g for g in summary["gates"] if g["tier"] == tier)

    def test_everything_caught_passes_every_gate(self):
        summary = evaluate.evaluate_files(self.dir, self.write("red.ndjson", ALL_CAUGHT))
        self.assertEqual((self.gate(summary, "validated")["n"], self.gate(summary, "validated")["ok"]), (3, 3))
        self.assertEqual(self.gate(summary, "context")["share"], 1.0)
        self.assertEqual(self.gate(summary, "lookalike")["ok"], 3)
        self.assertTrue(summary["passed"])
        code, report, _ = self.run_main("--redacted", os.path.join(self.dir, "red.ndjson"))
        self.assertEqual(code, 0)
        self.assertIn("| validated caught | 3 | 100.00% | 99.5% | yes |", report)

    def test_misses_are_counted_and_fail_the_gates(self):
        path = self.write("red.ndjson", SOME_MISSED)
        summary = evaluate.evaluate_files(self.dir, path)
        validated = self.gate(summary, "validated")
        self.assertEqual((validated["n"], validated["ok"]), (3, 2))
        self.assertAlmostEqual(validated["share"], 2 / 3)
        self.assertEqual(self.gate(summary, "context")["ok"], 0)
        lookalike = self.gate(summary, "lookalike")
        self.assertEqual((lookalike["n"], lookalike["ok"]), (3, 2))
        self.assertFalse(summary["passed"])
        rows = {(r["detector"], r["tier"]): r for r in summary["by_detector"]}
        self.assertEqual(rows[("cn_mobile", "validated")]["ok"], 0)
        self.assertEqual(rows[("payment_card", "lookalike")]["ok"], 0)
        self.assertEqual(rows[("email", "validated")]["ok"], 1)
        kinds = {r["kind"]: r["share"] for r in summary["by_lookalike_kind"]}
        self.assertEqual(kinds, {"epoch_ms": 1.0, "order_no_luhn_invalid": 0.0, "sku": 1.0})
        placements = {(r["tier"], r["placement"]): r["share"] for r in summary["by_placement"]}
        self.assertEqual(placements[("validated", "free_text")], 0.0)
        self.assertEqual(placements[("validated", "telling_key")], 1.0)

        code, report, err = self.run_main("--redacted", path)
        self.assertEqual(code, 1)
        self.assertIn("66.67%", report)
        self.assertIn("gate failed: validated caught 66.67%", err)
        self.assertEqual(self.run_main("--redacted", path, "--no-gate")[0], 0)

    def test_json_output_matches_report(self):
        out = os.path.join(self.dir, "summary.json")
        self.run_main("--redacted", self.write("red.ndjson", SOME_MISSED), "--json", out, "--no-gate")
        with open(out, encoding="utf-8") as f:
            summary = json.load(f)
        self.assertEqual(summary["labels"], 7)
        self.assertFalse(summary["passed"])

    def test_unparsable_line_touches_lookalikes(self):
        # A filter that withholds a whole body (fail closed) writes something that is not the
        # document: its planted values are gone, its look-alikes are not untouched.
        summary = evaluate.evaluate_files(self.dir, self.write("red.ndjson", [ALL_CAUGHT[0], "[withheld"]))
        self.assertEqual(summary["unparsable_docs"], 1)
        self.assertEqual(self.gate(summary, "validated")["ok"], 3)
        self.assertEqual(self.gate(summary, "lookalike")["ok"], 1)

    def test_line_count_mismatch_is_an_error(self):
        code, _, err = self.run_main("--redacted", self.write("red.ndjson", ALL_CAUGHT[:1]))
        self.assertEqual(code, 2)
        self.assertIn("has 1 lines but the corpus has 2", err)

    def test_labels_that_do_not_match_the_corpus_are_an_error(self):
        bad = dict(LABELS[0], value="someone@else.org")
        self.write("labels.jsonl", [json.dumps(bad)])
        code, _, err = self.run_main("--redacted", self.write("red.ndjson", ALL_CAUGHT))
        self.assertEqual(code, 2)
        self.assertIn("does not hold `someone@else.org`", err)

    def test_pointer_escapes(self):
        doc = {"a/b": {"m~n": ["x", "y"]}}
        self.assertEqual(evaluate.resolve(doc, "/a~1b/m~0n/1"), "y")
        self.assertIs(evaluate.resolve(doc, "/a~1b/m~0n/2"), evaluate._MISSING)
        self.assertIs(evaluate.resolve(doc, "/missing"), evaluate._MISSING)


if __name__ == "__main__":
    unittest.main()
