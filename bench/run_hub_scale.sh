#!/usr/bin/env bash
# bench/run_hub_scale.sh — the hub at scale (issue 19, "Speed"): 100,000 OCDS releases
# imported and merged, and every opportunity matched against a register of 100,000 local
# suppliers, each by the product's own command under /usr/bin/time -v (wall time, peak RSS).
#
#   1. bench/gen_hub_releases.py: the 200 real 2025 Contracts Finder releases recombined
#      into HUB_RELEASES releases (JSON Lines; two per ocid) — not timed;
#   2. anchornet hub pipeline RELEASES --out opportunities.csv            (timed)
#   3. anchornet hub pipeline RELEASES --out o.csv --ocds records.json    (timed)
#   4. bench/gen_hub_network.py: a network paying HUB_SUPPLIERS located suppliers — not timed;
#   5. anchornet hub match RELEASES --network NET --out matches.csv       (timed; its stderr
#      gives the matching alone, apart from reading and preparing the network)
#
# Environment:
#   HUB_DATA       where generated inputs and outputs go (default /tmp/anchornet-hub-scale)
#   HUB_BIN        the anchornet binary (default target/release/anchornet, built if missing
#                  with `cargo build --release -p anchornet`; CARGO_TARGET_DIR is honoured)
#   HUB_SHARED     the shared data (default ../shared/data beside the repository)
#   HUB_RELEASES   releases (default 100000); HUB_SUPPLIERS suppliers (default 100000)
#   HUB_SKIP_MATCH set to 1 to time the import only
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${HUB_SHARED:-$(cd "$root/../shared/data" && pwd)}"
data="${HUB_DATA:-/tmp/anchornet-hub-scale}"
n="${HUB_RELEASES:-100000}"
m="${HUB_SUPPLIERS:-100000}"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${HUB_BIN:-$target/release/anchornet}"
mkdir -p "$data"

if [ ! -x "$bin" ]; then
    cargo build --release -p anchornet --manifest-path "$root/Cargo.toml"
fi
if [ ! -x /usr/bin/time ]; then
    apt-get install -y -qq time >&2 || { apt-get update -qq >&2 && apt-get install -y -qq time >&2; }
fi

rel="$data/releases-$n.jsonl"
[ -s "$rel" ] || python3 "$root/bench/gen_hub_releases.py" "$shared/procurement/contracts_finder_ocds_2025" "$rel" "$n"

# One timed run: label, then the command; prints "label | wall | peak MB".
timed() {
    local label="$1"
    shift
    /usr/bin/time -v -o "$data/$label.time" "$@" > "$data/$label.out" 2> "$data/$label.err"
    local wall peak
    wall=$(grep 'Elapsed (wall clock)' "$data/$label.time" | awk '{print $NF}')
    peak=$(grep 'Maximum resident set size' "$data/$label.time" | awk '{print $NF}')
    printf '| %s | %s | %d MB |\n' "$label" "$wall" "$((peak / 1024))"
}

echo "| step | wall (m:ss) | peak RSS |"
echo "|---|---|---|"
timed pipeline "$bin" hub pipeline "$rel" --out "$data/opportunities.csv" --json
timed pipeline_ocds "$bin" hub pipeline "$rel" --out "$data/opportunities.csv" --ocds "$data/records.json"
echo "opportunities: $(($(wc -l < "$data/opportunities.csv") - 1))" >&2

if [ "${HUB_SKIP_MATCH:-0}" != 1 ]; then
    net="$data/net-$m"
    [ -s "$net/payments.csv" ] || python3 "$root/bench/gen_hub_network.py" "$root" "$net" "$m"
    timed match "$bin" hub match "$rel" --network "$net/anchornet.toml" --out "$data/matches.csv"
    grep 'opportunities matched' "$data/match.err" >&2 || tail -5 "$data/match.err" >&2
fi
