#!/usr/bin/env bash
# Installs everything that building, serving and testing zkplay needs. Idempotent: when all
# is in place it only checks versions and takes a few seconds. From nothing it takes about
# 13 minutes on 2 cores, most of it compiling trunk.
set -euo pipefail
cd "$(dirname "$0")/.."

# Keep these in step with Trunk.toml [tools], web/Cargo.toml (wasm-bindgen "=") and
# tools/package.json (binaryen).
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130

step() { printf '\n==> %s\n' "$*"; }

# Browser tests: Debian's Chromium and its chromedriver. Node and npm for wasm-opt.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v npm >/dev/null || missing+=(nodejs npm)
# A Chinese font, so that the end-to-end screenshots of the zh-CN page show its text.
fc-list :lang=zh family 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei)
if ((${#missing[@]})); then
  step "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# trunk 0.22 needs a newer rustc than this toolchain; 0.21.14 is the newest that fits.
if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
  step "cargo install trunk $TRUNK_VERSION (about 9 minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# No --locked: its lockfile wants a webpki-roots release the registry here does not have.
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]] ||
  ! command -v wasm-bindgen-test-runner >/dev/null; then
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# wasm-opt 132 from npm (Debian's binaryen 108 cannot read wasm-bindgen's output). The
# scripts put tools/node_modules/.bin first on PATH.
if [[ "$(tools/node_modules/.bin/wasm-opt --version 2>/dev/null)" != *"(version_132)"* ]]; then
  step "npm ci --prefix tools (binaryen 132)"
  npm ci --prefix tools --no-audit --no-fund
fi

step "setup done: $(trunk --version), $(wasm-bindgen --version), $(tools/node_modules/.bin/wasm-opt --version)"
