#!/usr/bin/env bash
# Page weight: the gzipped size (`gzip -9`) of every file `trunk build --release` put in
# dist/, one line per file, and the total (BENCHMARKS.md, "Browser figures"; target 250 KB).
# Build first: scripts/test.sh does, or
#   PATH="$PWD/tools/node_modules/.bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true trunk build --release
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
[[ -f "$dist/index.html" ]] || { echo "no $dist/index.html: run trunk build --release first" >&2; exit 1; }
total=0 raw_total=0
printf '%10s %10s  %s\n' raw gzip-9 file
while IFS= read -r -d '' f; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + gz)) raw_total=$((raw_total + raw))
  printf '%10d %10d  %s\n' "$raw" "$gz" "${f#"$dist"/}"
done < <(find "$dist" -type f -print0 | sort -z)
printf '%10d %10d  total\n' "$raw_total" "$total"
awk -v t="$total" 'BEGIN { printf "page weight: %d bytes gzipped = %.1f KB = %.1f KiB (target 250 KB)\n", t, t / 1000, t / 1024 }'
