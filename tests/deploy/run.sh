#!/usr/bin/env bash
# Validate deploy/ against Envoy's protos (and the Istio WasmPlugin structurally).
# Creates or reuses a venv at ${SCRIM_VENV:-.venv-deploy} (relative to the repository root),
# installs tests/deploy/requirements.txt when it changed, and runs validate_envoy.py.
# Arguments are passed on: `tests/deploy/run.sh my-envoy.yaml` validates your own file.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

venv="${SCRIM_VENV:-.venv-deploy}"
python="${PYTHON:-python3}"
requirements="$here/requirements.txt"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi

# Reinstall only when requirements.txt changed since the last successful install.
stamp="$venv/.scrim-requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  printf '%s\n' "$want" > "$stamp"
fi

exec "$venv/bin/python" "$here/validate_envoy.py" "$@"
