#!/usr/bin/env bash
# Installs what the build and the tests need. Idempotent; a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
rustup target add wasm32-unknown-unknown >/dev/null
