#!/usr/bin/env bash
# Issue 5's speed benchmark: the whole analysis (ingest → resolve → locate → classify → measure
# → present, every output written) timed end to end, on
#   1. the bundled demo network (data/demo/anchornet.toml), and
#   2. every ODI Leeds publisher as one large network (bench/networks/odileeds.toml,
#      12.3 million payments from ../shared/data/spend/odileeds_processed).
# Wall time and peak memory come from GNU time; the geography index is built beforehand
# (cached), as a user's second run would find it. Usage: bench/analyse.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
cargo build --release -q -p anchornet
bin=target/release/anchornet
"$bin" geo lookup M5 4BD >/dev/null   # build the index cache if needed
out=$(mktemp -d)
for net in data/demo/anchornet.toml bench/networks/odileeds.toml; do
  for i in $(seq "$runs"); do
    /usr/bin/time -f "$net run $i: %e s wall, %U s user, %M KB peak" \
      "$bin" analyse --network "$net" --out "$out/r" --no-cache >/dev/null 2>"$out/err" || { cat "$out/err"; exit 1; }
    tail -1 "$out/err"
  done
done
rm -rf "$out"
