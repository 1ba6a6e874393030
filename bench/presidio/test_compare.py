"""Tests for compare.py's scoring glue; Presidio itself is not needed (python3 -m unittest)."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import compare  # noqa: E402

CORPUS = ['{"a":{"card_no":"paid with 4539 1488 0343 6467","name":"John Smith","id":"110105194912310021"}}']
LABELS = [
    {"doc": 0, "pointer": "/a/card_no", "value": "4539 1488 0343 6467", "detector": "payment_card",
     "tier": "validated"},
    {"doc": 0, "pointer": "/a/name", "value": "John Smith", "detector": "person_name", "tier": "context"},
    {"doc": 0, "pointer": "/a/id", "value": "110105194912310021", "detector": "cn_resident_id",
     "tier": "lookalike"},
]


class CompareTest(unittest.TestCase):
    def test_context_words_split_member_names(self):
        self.assertEqual(compare.context_words("billing_email"), ["billing", "email"])
        self.assertEqual(compare.context_words("cardNo"), ["card", "no"])
        self.assertEqual(compare.context_words("身份证号"), [])

    def test_typed_catch_needs_a_mapped_entity_over_the_value(self):
        spans = [{"/a/card_no": [(10, 29, "DATE_TIME")], "/a/name": [(0, 4, "PERSON")]}]
        table = compare.typed_catches(LABELS, CORPUS, spans)
        self.assertEqual(table["payment_card"]["typed"], 0)  # removed, but as DATE_TIME
        self.assertEqual(table["person_name"]["typed"], 1)   # overlap is enough
        self.assertNotIn("cn_resident_id", table)            # look-alikes are not planted values
        spans = [{"/a/card_no": [(10, 29, "CREDIT_CARD")]}]
        self.assertEqual(compare.typed_catches(LABELS, CORPUS, spans)["payment_card"]["typed"], 1)

    def test_side_by_side_reports_speed_ratio_against_presidio(self):
        gates = [{"tier": "validated", "measure": "caught", "minimum": 0.995, "share": 1.0}]
        fast = {"gates": gates}
        slow = {"gates": [dict(gates[0], share=0.5)]}
        table = compare.side_by_side([("Scrim", fast, 0.5), ("Presidio", slow, 50.0)], 100, 10**6)
        self.assertIn("| validated caught (≥ 99.5%) | 100.00% | 50.00% |", table)
        self.assertIn("| documents / second | 200.0 | 2.0 |", table)
        self.assertIn("| speed vs. Presidio | 100.0× | 1.0× |", table)
        self.assertEqual(json.loads(json.dumps(compare.ENTITY_MAP))["IBAN_CODE"], ["iban"])


if __name__ == "__main__":
    unittest.main()
