#!/usr/bin/env bash
# bench/run_ch_national.sh — issue 15's Companies House benchmark: link every distinct supplier
# name of B3 (217,312 names) to a national-scale BasicCompanyData file (5.5 million companies,
# generated in the published layout from the real extracts by bench/ch/generate_national.py,
# since the national file is not in ../shared), with the `anchornet resolve` command a user
# runs, twice: the first indexes the national file into the cache, the second links from the
# index. Prints wall time, CPU time and peak memory (/usr/bin/time) of each, the index's size,
# and checks both runs wrote the same clusters.
#
# Environment: CH_DATA (default /tmp/anchornet-ch) holds the generated file and the outputs;
# B3_DATA (default /tmp/anchornet-b3) holds names.csv (made by bench/run_b3.sh's first step).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(cd "$root/../shared" && pwd)"
data="${CH_DATA:-/tmp/anchornet-ch}"
names="${B3_DATA:-/tmp/anchornet-b3}/names.csv"
mkdir -p "$data"
[ -s "$names" ] || { echo "no $names: run bench/run_b3.sh once (its first step writes it)" >&2; exit 2; }
[ -s "$data/ch_national.csv" ] || python3 "$root/bench/ch/generate_national.py" "$shared/data" "$data/ch_national.csv"
[ -n "${ANCHORNET_BIN:-}" ] || cargo build --release -q -p anchornet --manifest-path "$root/Cargo.toml"
bin="${ANCHORNET_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/anchornet}"
# The first run indexes the national file into an empty cache (bench/ch's own), then links;
# the second finds the index there and links from it.
export ANCHORNET_CACHE_DIR="$data/cache"
rm -rf "$ANCHORNET_CACHE_DIR"
for run in "first (builds the index)" "second (index cached)"; do
    echo "== $run"
    /usr/bin/time -f "wall %e s, user %U s, system %S s, peak %M KB" \
        "$bin" resolve "$names" --registers "$data/ch_national.csv" --out "$data/clusters-${run%% *}.csv" 2>&1 \
        | grep -v '^warning'
done
du -sh "$ANCHORNET_CACHE_DIR"/ch-index-*
cmp "$data/clusters-first.csv" "$data/clusters-second.csv" && echo "both runs wrote the same clusters"
