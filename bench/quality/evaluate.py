#!/usr/bin/env python3
"""Score a redacted copy of the seeded corpus against its labels.

    scrim redact --bundle policies/default.json --content-type application/x-ndjson \\
        DIR/corpus.ndjson > FILE
    python3 bench/quality/evaluate.py --corpus DIR --redacted FILE [--json OUT] [--no-gate]

For each label the value at its JSON pointer is looked up in the redacted document (a
missing member counts as removed):
  * a planted value (tier validated or context) is *caught* when its text no longer
    appears there;
  * a look-alike is *untouched* when the string there is identical to the original.
Prints a Markdown report and exits 1 when a gate fails (unless --no-gate).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from dataclasses import dataclass

# Gates from the quality requirement: (tier, measure, minimum share).
GATES = (
    ("validated", "caught", 0.995),
    ("lookalike", "untouched", 0.995),
    ("context", "caught", 0.95),
)
PLANTED_TIERS = ("validated", "context")


class EvaluationError(Exception):
    """The inputs cannot be scored (wrong line count, bad label, ...)."""


_MISSING = object()


def resolve(doc, pointer: str):
    """Follow an RFC 6901 pointer; returns _MISSING when a member or index is absent."""
    node = doc
    if pointer == "":
        return node
    if not pointer.startswith("/"):
        raise EvaluationError(f"pointer `{pointer}` does not start with `/`; "
                              "labels must hold RFC 6901 pointers")
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            if token not in node:
                return _MISSING
            node = node[token]
        elif isinstance(node, list):
            if not token.isdigit() or int(token) >= len(node):
                return _MISSING
            node = node[int(token)]
        else:
            return _MISSING
    return node


def read_lines(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_labels(path: str) -> list[dict]:
    labels = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            label = json.loads(line)
            for key in ("doc", "pointer", "value", "detector", "tier"):
                if key not in label:
                    raise EvaluationError(f"{path}:{n}: label has no `{key}`; regenerate the corpus "
                                          "with bench/corpus/generate.py")
            labels.append(label)
    return labels


def judge(label: dict, original_doc, redacted_doc, redacted_raw: str) -> bool:
    """True when the label's outcome is good: planted → caught, look-alike → untouched.

    `redacted_doc` is None when the redacted line is not valid JSON; then a planted value
    counts as caught only if its text is absent from the whole line, and a look-alike
    counts as touched.
    """
    before = resolve(original_doc, label["pointer"])
    if not isinstance(before, str) or label["value"] not in before:
        raise EvaluationError(f"doc {label['doc']}: pointer `{label['pointer']}` does not hold "
                              f"`{label['value']}` in the corpus; labels and corpus do not match")
    if label["tier"] == "lookalike":
        if redacted_doc is None:
            return False
        return resolve(redacted_doc, label["pointer"]) == before
    if redacted_doc is None:
        return label["value"] not in redacted_raw
    after = resolve(redacted_doc, label["pointer"])
    if after is _MISSING:
        return True
    text = after if isinstance(after, str) else json.dumps(after, ensure_ascii=False)
    return label["value"] not in text


@dataclass
class Result:
    """Per-label outcomes plus the facts needed to report them."""
    labels: list[dict]
    good: list[bool]
    unparsable_docs: int


def score(corpus_lines: list[str], redacted_lines: list[str], labels: list[dict]) -> Result:
    """Judge every label; raises EvaluationError when the files do not line up."""
    if len(corpus_lines) != len(redacted_lines):
        raise EvaluationError(f"the redacted file has {len(redacted_lines)} lines but the corpus has "
                              f"{len(corpus_lines)}; redact the whole corpus.ndjson, one output line "
                              "per input line")
    originals: dict[int, object] = {}
    redacted: dict[int, object] = {}
    unparsable = set()
    good = []
    for label in labels:
        i = label["doc"]
        if not 0 <= i < len(corpus_lines):
            raise EvaluationError(f"label names doc {i}, but the corpus has {len(corpus_lines)} docs")
        if i not in originals:
            originals[i] = json.loads(corpus_lines[i])
            try:
                redacted[i] = json.loads(redacted_lines[i])
            except json.JSONDecodeError:
                redacted[i] = None
                unparsable.add(i)
        good.append(judge(label, originals[i], redacted[i], redacted_lines[i]))
    return Result(labels, good, len(unparsable))


def _ratio(hit: int, total: int):
    return hit / total if total else None


def summarize(result: Result) -> dict:
    """Counts and shares per tier, per (tier, detector), per placement, per form, per kind."""
    def bucket():
        return {"n": 0, "ok": 0}

    by_tier = defaultdict(bucket)
    by_detector = defaultdict(bucket)
    by_placement = defaultdict(bucket)
    by_form = defaultdict(bucket)
    by_escaped = defaultdict(bucket)
    by_kind = defaultdict(bucket)
    for label, ok in zip(result.labels, result.good):
        tier = label["tier"]
        keys = [(by_tier, tier), (by_detector, (label["detector"], tier)),
                (by_placement, (tier, label.get("placement", "?"))),
                (by_escaped, (tier, bool(label.get("escaped"))))]
        if tier != "lookalike":
            keys.append((by_form, (tier, label.get("form", "plain"))))
        else:
            keys.append((by_kind, label.get("kind", label["detector"])))
        for table, key in keys:
            table[key]["n"] += 1
            table[key]["ok"] += int(ok)

    def rows(table, names):
        out = []
        for key in sorted(table, key=str):
            row = dict(zip(names, key if isinstance(key, tuple) else (key,)))
            row.update(n=table[key]["n"], ok=table[key]["ok"],
                       share=_ratio(table[key]["ok"], table[key]["n"]))
            out.append(row)
        return out

    gates = []
    for tier, measure, minimum in GATES:
        n, ok = by_tier[tier]["n"], by_tier[tier]["ok"]
        share = _ratio(ok, n)
        gates.append({"tier": tier, "measure": measure, "minimum": minimum, "n": n, "ok": ok,
                      "share": share, "passed": share is not None and share >= minimum})
    return {
        "labels": len(result.labels),
        "unparsable_docs": result.unparsable_docs,
        "gates": gates,
        "passed": all(g["passed"] for g in gates),
        "by_detector": rows(by_detector, ("detector", "tier")),
        "by_placement": rows(by_placement, ("tier", "placement")),
        "by_escaped": rows(by_escaped, ("tier", "escaped")),
        "by_form": rows(by_form, ("tier", "form")),
        "by_lookalike_kind": rows(by_kind, ("kind",)),
    }


def pct(share) -> str:
    return "–" if share is None else f"{share * 100:.2f}%"


def render_markdown(summary: dict, title: str = "Scrim") -> str:
    """The report as Markdown: gates, then per-detector and breakdown tables."""
    out = [f"## {title}: detection quality", ""]
    out += ["| gate | labels | result | minimum | pass |", "|---|---:|---:|---:|:---:|"]
    for g in summary["gates"]:
        name = f"{g['tier']} {g['measure']}"
        out.append(f"| {name} | {g['n']} | {pct(g['share'])} | {g['minimum'] * 100:.1f}% | "
                   f"{'yes' if g['passed'] else '**NO**'} |")
    if summary["unparsable_docs"]:
        out.append(f"\n{summary['unparsable_docs']} redacted documents were not valid JSON.")
    out += ["", "| detector | tier | planted | caught | look-alikes | untouched |",
            "|---|---|---:|---:|---:|---:|"]
    for row in summary["by_detector"]:
        if row["tier"] == "lookalike":
            out.append(f"| {row['detector']} | lookalike | | | {row['n']} | {pct(row['share'])} |")
        else:
            out.append(f"| {row['detector']} | {row['tier']} | {row['n']} | {pct(row['share'])} | | |")
    out += ["", "| tier | breakdown | labels | caught / untouched |", "|---|---|---:|---:|"]
    for table, field in (("by_placement", "placement"), ("by_escaped", "escaped"), ("by_form", "form")):
        for row in summary[table]:
            value = row[field]
            name = f"{field}={str(value).lower() if isinstance(value, bool) else value}"
            out.append(f"| {row['tier']} | {name} | {row['n']} | {pct(row['share'])} |")
    for row in summary["by_lookalike_kind"]:
        out.append(f"| lookalike | kind={row['kind']} | {row['n']} | {pct(row['share'])} |")
    return "\n".join(out) + "\n"


def evaluate_files(corpus_dir: str, redacted_path: str) -> dict:
    """Score `redacted_path` against DIR/corpus.ndjson and DIR/labels.jsonl."""
    corpus = read_lines(os.path.join(corpus_dir, "corpus.ndjson"))
    labels = read_labels(os.path.join(corpus_dir, "labels.jsonl"))
    return summarize(score(corpus, read_lines(redacted_path), labels))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", required=True, help="directory with corpus.ndjson and labels.jsonl")
    p.add_argument("--redacted", required=True, help="redacted NDJSON, one line per corpus line")
    p.add_argument("--json", help="also write the summary as JSON to this file")
    p.add_argument("--no-gate", action="store_true", help="report only; exit 0 even if a gate fails")
    p.add_argument("--title", default="Scrim", help="name shown in the report heading")
    args = p.parse_args(argv)
    try:
        summary = evaluate_files(args.corpus, args.redacted)
    except (EvaluationError, OSError, json.JSONDecodeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(render_markdown(summary, args.title))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False, indent=2)
            f.write("\n")
    if not summary["passed"] and not args.no_gate:
        failed = ", ".join(f"{g['tier']} {g['measure']} {pct(g['share'])} < {g['minimum'] * 100:.1f}%"
                           for g in summary["gates"] if not g["passed"])
        print(f"gate failed: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
