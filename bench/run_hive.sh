#!/usr/bin/env bash
# bench/run_hive.sh — issue 18's interchange: `anchornet ingest` writes the payments once as a
# single Parquet file and once as hive-partitioned Parquet (`--partitioned`: by anchor and
# financial year), each timed with GNU time; then DuckDB reads the tree
# (bench/hive_duckdb.py: read_parquet('TREE/**/*.parquet', hive_partitioning = true)) and
# compares every partition's rows and pence, and every row, with the single file.
#
# Usage: bench/run_hive.sh [INPUT...]   (default: the demo network's three ledgers)
# Environment:
#   ANCHORNET_BIN  use this binary instead of building the release one
#   HIVE_OUT       where the outputs go (default /tmp/anchornet-hive; replaced)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${HIVE_OUT:-/tmp/anchornet-hive}"
if [ "$#" -eq 0 ]; then
    set -- data/demo/spend/salford data/demo/spend/manchester data/demo/spend/trafford
fi
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb >&2
if [ -n "${ANCHORNET_BIN:-}" ]; then
    bin="$ANCHORNET_BIN"
else
    cargo build --release --quiet -p anchornet
    bin="${CARGO_TARGET_DIR:-$root/target}/release/anchornet"
fi
rm -rf "$out"
mkdir -p "$out"
/usr/bin/time -f 'single file: %e s wall, %U s user, %S s sys, %M KB peak' \
    "$bin" ingest "$@" --out "$out/payments.parquet" --json > "$out/single.json"
/usr/bin/time -f 'partitioned: %e s wall, %U s user, %S s sys, %M KB peak' \
    "$bin" ingest "$@" --out "$out/payments" --partitioned --json > "$out/tree.json"
cmp "$out/single.json" "$out/tree.json" && echo "per-file reports identical" >&2
python3 bench/hive_duckdb.py "$out/payments" "$out/payments.parquet"
