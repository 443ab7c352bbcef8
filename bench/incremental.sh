#!/usr/bin/env bash
# Incremental re-analysis (issue 18): a full run of a network without the ingest cache, then
# the network with one payment file held back analysed into a fresh --out (filling the
# cache), then the file added back and the network analysed again into the same --out.
# Prints each run's wall time, stage timings and cache use, and checks the incremental
# run's outputs against the full run's (byte-identical; report.xlsx records when it was
# written and is left out).
#
#   bench/incremental.sh NETWORK.toml FILE_TO_HOLD_BACK [WORKDIR]
#
# ANCHORNET_BIN: the binary (default target/release/anchornet); ANCHORNET_CACHE_DIR as usual
# (the geography index is opened by a warm-up run first, not timed).
set -euo pipefail
net=$1
hold=$2
work=${3:-$(mktemp -d)}
bin=${ANCHORNET_BIN:-target/release/anchornet}
mkdir -p "$work"
t() { /usr/bin/time -f "  %e s wall, %U user + %S sys CPU s, %M KB peak" "$@"; }
echo "warm-up (geography index)"
"$bin" analyse --network "$net" --out "$work/warm" --no-cache >/dev/null
rm -rf "$work/warm" "$work/full" "$work/inc"
echo "full run, --no-cache"
t "$bin" analyse --network "$net" --out "$work/full" --no-cache --timings >/dev/null
mv "$hold" "$work/held"
trap 'if [ -e "$work/held" ]; then mv "$work/held" "$hold"; fi' EXIT
echo "without $(basename "$hold"), filling the cache"
t "$bin" analyse --network "$net" --out "$work/inc" --timings >/dev/null
mv "$work/held" "$hold"
# the file is back with its original modification time (mv keeps it)
echo "with it again, from the cache"
t "$bin" analyse --network "$net" --out "$work/inc" --timings >/dev/null
echo "and once more, nothing changed"
t "$bin" analyse --network "$net" --out "$work/inc" --timings >/dev/null
for f in $(cd "$work/full" && find . -type f ! -name report.xlsx | sort); do
  cmp -s "$work/full/$f" "$work/inc/$f" || { echo "DIFFERS: $f"; exit 1; }
done
echo "outputs identical to the full run's (report.xlsx aside)"
