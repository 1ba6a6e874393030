#!/usr/bin/env bash
# Builds the wasm artifacts the tests and the demo run: the Envoy filter and the host's test filter.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
pkgs=(-p scrim-envoy)
grep -q 'wasm-host/test-filter' Cargo.toml && pkgs+=(-p scrim-test-filter)
cargo build --locked "${pkgs[@]}" --target wasm32-wasip1 --profile wasm-release
out="$target_dir/wasm32-wasip1/wasm-release"
if [ -f "$out/scrim_envoy.wasm" ] && command -v wasm-opt >/dev/null; then
  wasm-opt -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-sign-ext \
    --enable-nontrapping-float-to-int --enable-mutable-globals \
    "$out/scrim_envoy.wasm" -o "$out/scrim_envoy.opt.wasm"
fi
ls -l "$out"/*.wasm
