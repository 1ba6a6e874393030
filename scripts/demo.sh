#!/usr/bin/env bash
# Sets up a fresh machine and runs Scrim's main job: validate every shipped bundle, then redact
# an example API response natively and through the compiled Envoy filter in scrim-host.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --locked -p scrim-cli
bash scripts/build-wasm.sh >/dev/null
scrim=${CARGO_TARGET_DIR:-target}/debug/scrim
wasm=${CARGO_TARGET_DIR:-target}/wasm32-wasip1/wasm-release/scrim_envoy.wasm

printf '\n== scrim check policies/*.json\n'
"$scrim" check policies/*.json policies/reference/transfer-law.json

report=$(mktemp)
printf '\n== scrim redact --bundle policies/default.json examples/order.json\n'
SCRIM_HMAC_KEY=${SCRIM_HMAC_KEY:-demo-key-not-secret} \
  "$scrim" redact --bundle policies/default.json --hmac-key-env SCRIM_HMAC_KEY --report "$report" examples/order.json
printf '\n== remarks (what changed, where, by which rule; never the value)\n'
cat "$report"

printf '\n== the same body through the compiled Envoy filter in scrim-host (must be identical)\n'
native=$(SCRIM_HMAC_KEY=${SCRIM_HMAC_KEY:-demo-key-not-secret} "$scrim" redact --bundle policies/default.json --hmac-key-env SCRIM_HMAC_KEY examples/order.json)
wasm_out=$(SCRIM_HMAC_KEY=${SCRIM_HMAC_KEY:-demo-key-not-secret} "$scrim" redact --bundle policies/default.json --hmac-key-env SCRIM_HMAC_KEY --wasm "$wasm" examples/order.json)
if [ "$native" = "$wasm_out" ]; then echo "identical"; else echo "DIFFERENT"; diff <(echo "$native") <(echo "$wasm_out"); exit 1; fi

printf '\n== conformance vectors, natively and through the filter under every chunking\n'
"$scrim" test tests/vectors --wasm "$wasm"

printf '\n== a transfer decision: an EU visitor without analytics consent, beacon to a US analytics service\n'
"$scrim" decide --bundle policies/gdpr-eu.json --method POST --path /collect --cluster analytics_us \
  --header 'x-geo-country: DE' --at 2026-06-01
