#!/usr/bin/env bash
# Runs the schemathesis conformance suite against a running sora-emulator.
#
# Usage: conformance/run.sh BASE_URL [EXTRA_ST_RUN_ARGS...]
#   BASE_URL is the emulator's origin (http://127.0.0.1:8787) or its API base (.../openai/v1).
#   Extra arguments go to `st run` unchanged (e.g. --report junit).
#   Needs a venv with conformance/requirements.txt installed, at $SCHEMATHESIS_VENV or by default
#   /root/.cache/sora-studio/venv (`cargo xtask setup` makes it):
#     python3 -m venv /root/.cache/sora-studio/venv
#     /root/.cache/sora-studio/venv/bin/pip install -r conformance/requirements.txt
#   Environment: SORA_EMULATOR_KEY (default emulator-key), SORA_EMULATOR_ADMIN_TOKEN (the
#   emulator's --admin-token, for /admin/config), ST_MAX_EXAMPLES (default 60),
#   ST_SEED (default fixed, so runs are reproducible).
# The emulator's limits are raised through /admin/config for the run and restored afterwards.
# Exits non-zero if schemathesis reports any failure or error.
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 BASE_URL [EXTRA_ST_RUN_ARGS...]" >&2
    exit 2
fi
base="${1%/}"
shift
origin="${base%/openai/v1}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${SCHEMATHESIS_VENV:-/root/.cache/sora-studio/venv}"
key="${SORA_EMULATOR_KEY:-emulator-key}"
work="$(mktemp -d)"

restore() {
    if [[ -f "$work/settings.json" ]]; then
        curl -fsS -o /dev/null -X POST -H 'content-type: application/json' \
            -H "x-admin-token: ${SORA_EMULATOR_ADMIN_TOKEN:-}" --data @"$work/settings.json" "$origin/admin/config" || true
    fi
    rm -rf "$work"
}
trap restore EXIT

"$venv/bin/python" "$here/overlay.py" "$here/openapi.yaml" "$work/openapi.yaml"
"$venv/bin/python" "$here/seed.py" "$origin" "$key" "$work"
cp "$here/schemathesis.toml" "$work/schemathesis.toml"

cd "$work"
set +e
"$venv/bin/st" --config-file "$work/schemathesis.toml" run "$work/openapi.yaml" \
    --url "$origin/openai/v1" \
    --header "api-key: $key" \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "${ST_MAX_EXAMPLES:-60}" \
    --seed "${ST_SEED:-20251127}" \
    --generation-database none \
    --request-timeout 30 \
    --workers 1 \
    --no-color \
    "$@" 2>&1 | tee "$work/st.log"
status=${PIPESTATUS[0]}
set -e
# One figure for the test runner: generated requests are not tests, so this is not an
# "N passed, N failed" line (see crates/xtask/src/test.rs).
operations=$(sed -n 's/^ *Tested: *\([0-9]*\).*/\1/p' "$work/st.log" | tail -n 1)
phases=$(sed -n '/^Test Phases:/,/^$/p' "$work/st.log" | grep -E '✅|❌|🚫' | sed 's/^[^A-Za-z]*//' | paste -sd '/' -)
cases=$(sed -n '/^Test cases:/{n;p}' "$work/st.log" | tail -n 1)
generated=$(grep -oE '[0-9]+ generated' <<<"$cases" | grep -oE '[0-9]+' || true)
failed=0
for n in $(grep -oE '[0-9]+ (failed|errored)' <<<"$cases" | grep -oE '^[0-9]+' || true); do
    failed=$((failed + n))
done
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
echo "conformance: ${operations:-0} operations, phases ${phases:-none}, ${generated:-0} requests generated, ${failed} failures"
exit "$status"
