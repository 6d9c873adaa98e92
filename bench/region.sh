#!/usr/bin/env bash
# Cost of a region's build as it grows: generates synthetic regions (bench/gen_region.py) of
# 1, 10, 100 and 800 CPTS with about 500 members each, then builds each once into an empty
# output folder, printing wall time, peak memory (/usr/bin/time -v), pages and output size.
#
# Usage: bench/region.sh [WORK_DIR] [SIZES]     (default /tmp/maillage-region, "1 10 100 800")
# Needs the release binary (cargo build --release), or another one named by MAILLAGE_BIN (to
# compare two versions: OUT_SUFFIX keeps their outputs apart). The machine should be otherwise
# idle; the figures are one run each: quote them as such.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/maillage-region}
sizes=${2:-"1 10 100 800"}
bin=${MAILLAGE_BIN:-$PWD/target/release/maillage}
suffix=${OUT_SUFFIX:-}
[ -x "$bin" ] || { echo "build the release binary first: cargo build --release" >&2; exit 2; }
mkdir -p "$work"
printf '%-6s %-8s %-8s %-10s %-10s %-8s %-10s\n' cpts members files wall_s peak_MB pages output
for n in $sizes; do
  src=$work/r$n
  if [ ! -f "$src/region.yaml" ]; then
    python3 bench/gen_region.py "$n" $((n * 500)) "$src" >/dev/null
  fi
  out=$work/out$n$suffix
  rm -rf "$out"
  log=$work/time$n$suffix.txt
  /usr/bin/time -v "$bin" build --root "$src" --output "$out" --today 2026-11-22 -q 2>"$log" >/dev/null
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$log")
  members=$(find "$src" -path '*/membres/*.yaml' | wc -l)
  pages=$(find "$out" -name '*.html' | wc -l)
  size=$(du -sh "$out" | cut -f1)
  printf '%-6s %-8s %-8s %-10s %-10s %-8s %-10s\n' "$(grep -c '^  - dossier:' "$src/region.yaml")" "$members" \
    "$(find "$src" -type f | wc -l)" "$wall" "$rss" "$pages" "$size"
done
