#!/usr/bin/env bash
# Run the sora-client fuzz targets one after another (see README.md).
#
#   fuzz.sh smoke [TARGET...]   20,000 runs per target: a quick check for CI (about a minute once built)
#   fuzz.sh long  [TARGET...]   10 M runs or 30 minutes per target, whichever comes first
#   fuzz.sh run ARGS [TARGET...] any libFuzzer flags, e.g. fuzz.sh run "-runs=1000000" endpoint_url
#
# The committed seeds in corpus/TARGET are read, never written: what the fuzzer finds goes to
# work/TARGET (ignored by git). Crashes go to artifacts/TARGET. Builds use the stable toolchain with
# RUSTC_BOOTSTRAP=1 (cargo-fuzz passes -Z flags), release optimisation with debug assertions and
# overflow checks on, and AddressSanitizer.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
all=(parse_responses parse_errors endpoint_url multipart)

mode="${1:-smoke}"
shift || true
case "$mode" in
  smoke) flags=(-runs=20000) ;;
  long) flags=(-runs=10000000 -max_total_time=1800 -print_final_stats=1) ;;
  run) read -r -a flags <<< "${1:?fuzz.sh run needs libFuzzer flags}"; shift ;;
  *) echo "usage: $0 smoke|long|run FLAGS [TARGET...]" >&2; exit 2 ;;
esac
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2
  exit 1
fi
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"

for target in "${targets[@]}"; do
  mkdir -p "work/$target" "artifacts/$target" "corpus/$target"
  echo "== $target: ${flags[*]}"
  cargo fuzz run --debug-assertions "$target" "work/$target" "corpus/$target" -- \
    "${flags[@]}" -timeout=10 -rss_limit_mb=2048
done
# Reached only when every target ran clean (set -e): one passed test per target, for the runner.
echo "fuzz: ${#targets[@]} passed, 0 failed"
