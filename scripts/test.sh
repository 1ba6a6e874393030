#!/usr/bin/env bash
# Sets up a fresh machine and runs every test Scrim has: formatting, clippy on the host and both
# wasm targets, the no_std build of scrim-core, the wasm artifacts, Rust tests, Python tests.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n== test: %s (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

step setup
bash scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (host, all targets)"
cargo clippy --locked --workspace --all-targets -- -D warnings
step "clippy (wasm32-wasip1: core, filter)"
cargo clippy --locked -p scrim-core -p scrim-envoy --target wasm32-wasip1 -- -D warnings
step "clippy (wasm32-unknown-unknown: core no_std, browser)"
cargo clippy --locked -p scrim-core --no-default-features --target wasm32-unknown-unknown -- -D warnings
cargo clippy --locked -p scrim-browser --target wasm32-unknown-unknown -- -D warnings

step "no_std build of scrim-core"
cargo build --locked -p scrim-core --no-default-features --target wasm32-unknown-unknown

step "wasm artifacts"
bash scripts/build-wasm.sh

step "rust tests"
cargo test --locked --workspace

step "envoy and istio configs against envoy's protos"
bash tests/deploy/run.sh
step "benchmark evaluator and comparator unit tests"
python3 -m unittest discover -s bench/quality -p 'test_*.py'
python3 -m unittest discover -s bench/presidio -p 'test_*.py'

step "done"
