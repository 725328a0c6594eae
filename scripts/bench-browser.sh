#!/usr/bin/env bash
# The browser figures of BENCHMARKS.md ("Browser figures"): builds the release page, prints
# its weight (scripts/page-weight.sh), then runs e2e/tests/bench.rs in full (ZKPLAY_BENCH=full,
# a release build, so that the native side of the throughput ratio is the optimized core).
# Prints figures; fails only if the page misbehaves, never on timing. Needs scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
mkdir -p target/tmp
export TMPDIR="$PWD/target/tmp"

trunk build --release
bash scripts/page-weight.sh
ZKPLAY_BENCH=full cargo test --release -p zkplay-e2e --test bench -- --nocapture
