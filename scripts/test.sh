#!/usr/bin/env bash
# Runs every test that the tree currently has. Idempotent; quick when everything is built.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/tmp
export TMPDIR="$PWD/target/tmp"
cargo fmt --all --check
cargo clippy -p zkplay-core -p zkplay-tests --all-targets -- -D warnings
cargo test -p zkplay-core -p zkplay-tests
cargo check -p zkplay-core --no-default-features --target wasm32-unknown-unknown
