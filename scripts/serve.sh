#!/usr/bin/env bash
# Serves the page on http://127.0.0.1:8080 and rebuilds it when sources change (reload the
# page by hand: see Trunk.toml). Extra arguments go to `trunk serve`, e.g. --release.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
exec trunk serve "$@"
