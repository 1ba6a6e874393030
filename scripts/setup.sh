#!/usr/bin/env bash
# Makes a fresh machine ready to build and test Scrim. Idempotent: a second run changes nothing.
# Installs only from the package registries (rustup's targets, crates.io, apt, PyPI, npm).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== setup: %s\n' "$*"; }

log "rust targets and components"
rustup component add rustfmt clippy >/dev/null
for t in wasm32-wasip1 wasm32-unknown-unknown; do
  rustup target list --installed | grep -qx "$t" || rustup target add "$t"
done

# Debian packages: binaryen (wasm-opt, for the filter's size check).
need_apt=()
command -v wasm-opt >/dev/null || need_apt+=(binaryen)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt: ${need_apt[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
fi

# wasm-bindgen-cli must match the wasm-bindgen version in Cargo.lock exactly.
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ -n "$want" ] && [ "$want" != "$have" ]; then
  log "wasm-bindgen-cli $want (from crates.io)"
  # --locked pins the CLI's own dependencies; when the registry lacks one of those exact
  # versions, fall back to a fresh resolution of the same CLI version.
  cargo install wasm-bindgen-cli --version "=$want" --locked \
    || cargo install wasm-bindgen-cli --version "=$want"
fi

# Python packages live in per-purpose venvs that their runners create and keep up to date:
# tests/deploy/run.sh (.venv-deploy: xds-protos for the Envoy config check) and
# bench/presidio/setup.sh (.venv-bench: the Presidio comparator, benchmarks only).
python3 -c 'import venv' 2>/dev/null || { echo "python3 with venv is required" >&2; exit 1; }

# npm packages (browser tests), once the project has a package-lock.json.
if [ -f package-lock.json ] && [ ! -d node_modules ]; then
  log "npm ci"
  npm ci --no-audit --no-fund
fi
log "ready"
