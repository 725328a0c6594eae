#!/usr/bin/env bash
# Runs every test: formatting and lints, native tests, wasm32 builds, browser tests of the
# web crate, the release build of the page, and end-to-end tests of that build in headless
# Chromium. Needs scripts/setup.sh first. Quick when everything is built.
set -euo pipefail
cd "$(dirname "$0")/.."

# wasm-opt 132 (tools/) must shadow any other one; trunk checks its version.
export PATH="$PWD/tools/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
# Chromium and chromedriver leave profiles in $TMPDIR (about 22 MB a run): keep them here.
rm -rf target/tmp
mkdir -p target/tmp
export TMPDIR="$PWD/target/tmp"

# Each step's heading also says how long the one before it took (the last step's result line
# stays the last line of the output).
current="" started=$SECONDS
step() {
  if [[ -n "$current" ]]; then printf '    (%s took %ds)\n' "$current" $((SECONDS - started)); fi
  current="$1" started=$SECONDS
  printf '\n==> %s\n' "$*"
}

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

# e2e needs dist/ (below); doc tests are off in every crate ([lib] doctest = false), and
# skipping them keeps an empty doc-test harness from being the last word.
step "native tests"
cargo test --workspace --exclude zkplay-e2e --tests

# A deliberately broken build (FastLeaderElection's vote order ignores zxids): the fault
# checker must catch it and shrink it to a few lines. Only zkplay-core is rebuilt.
step "fault checker against a broken build (feature broken-vote-order)"
cargo test -p zkplay-core --features broken-vote-order --lib broken_vote_order

step "wasm32 build of zkplay-core (no default features) and zkplay-web"
cargo check --target wasm32-unknown-unknown --no-default-features -p zkplay-core -p zkplay-web

step "browser tests of zkplay-web (wasm-bindgen-test, headless Chromium)"
cargo test --target wasm32-unknown-unknown -p zkplay-web

step "trunk build --release"
trunk build --release

# Includes e2e/tests/bench.rs, short: it prints the browser figures and checks behaviour only
# (scripts/bench-browser.sh gives the full figures of BENCHMARKS.md).
step "end-to-end tests of dist/ (headless Chromium)"
cargo test -p zkplay-e2e
