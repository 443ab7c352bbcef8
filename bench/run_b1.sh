#!/usr/bin/env bash
# bench/run_b1.sh — run benchmark B1 (BENCHMARKS.md) for Anchornet, DuckDB and pandas on the same
# decompressed input, measure wall time and peak memory of each, diff the outputs, and print a
# markdown table (the one in docs/benchmarks.md).
#
# Environment:
#   B1_DATA   where the decompressed CSVs go (default /tmp/anchornet-b1; reused if present)
#   B1_SRC    the .csv.xz inputs (default /work/shared/data/spend/odileeds_processed)
#   B1_RUNS   runs of Anchornet and DuckDB; the median wall time is reported (default 3)
#   B1_PANDAS_RUNS  runs of pandas (default 1: it takes minutes)
#   B1_OUT    where outputs and timings are kept (default $B1_DATA/results)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${B1_SRC:-/work/shared/data/spend/odileeds_processed}"
data="${B1_DATA:-/tmp/anchornet-b1}"
runs="${B1_RUNS:-3}"
pandas_runs="${B1_PANDAS_RUNS:-1}"
out="${B1_OUT:-$data/results}"
mkdir -p "$data" "$out"

# 1. Inputs: decompress once (not timed).
for xz in "$src"/*.csv.xz; do
    csv="$data/$(basename "$xz" .xz)"
    if [ ! -s "$csv" ]; then
        echo "decompressing $(basename "$xz")" >&2
        xz -dc "$xz" > "$csv.part"
        mv "$csv.part" "$csv"
    fi
done

# 2. Tools.
if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time (Debian package 'time')" >&2
    apt-get install -y -qq time >&2 || { apt-get update -qq >&2 && apt-get install -y -qq time >&2; }
fi
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb >&2
python3 -c 'import pandas' 2>/dev/null || python3 -m pip install -q pandas >&2
cargo build --release --quiet -p anchornet-bench --manifest-path "$root/Cargo.toml"

# 3. Runs: wall seconds, max RSS, user and system CPU seconds from GNU time, one line per run. Anchornet and
# DuckDB runs alternate, so that both see the same background load on a shared machine.
: > "$out/anchornet.times"; : > "$out/duckdb.times"; : > "$out/pandas.times"
measure_once() { # name command...
    local name="$1"
    shift
    /usr/bin/time -f '%e %M %U %S' -o "$out/$name.time1" "$@" > "$out/$name.out" 2> "$out/$name.err"
    cat "$out/$name.time1" >> "$out/$name.times"
    echo "$name: $(cat "$out/$name.time1") (wall s, KB, user s, sys s)   $(tail -1 "$out/$name.err")" >&2
}
for _ in $(seq "$runs"); do
    measure_once anchornet env B1_SKIP_BUILD=1 "$root/bench/b1" "$data"
    measure_once duckdb python3 "$root/bench/b1_duckdb.py" "$data"
done
for _ in $(seq "$pandas_runs"); do
    measure_once pandas python3 "$root/bench/b1_pandas.py" "$data"
done

# 4. Compare and tabulate.
python3 - "$out" <<'PY'
import statistics, sys
out = sys.argv[1]

def lines(name):
    return [l.split(",") for l in open(f"{out}/{name}.out").read().splitlines()]

def same(a, b):
    """Integers (and keys) identical, top10_share equal to 1e-9."""
    if len(a) != len(b) or not a:
        return False
    return all(x[:6] == y[:6] and abs(float(x[6]) - float(y[6])) <= 1e-9 for x, y in zip(a, b))

def stats(name):
    t = [tuple(map(float, l.split())) for l in open(f"{out}/{name}.times") if l.strip()]
    wall = statistics.median(r[0] for r in t)
    cpu = statistics.median(r[2] + r[3] for r in t)
    return wall, max(r[1] for r in t) / 1024, len(t), cpu

ref = lines("anchornet")
base, _, _, base_cpu = stats("anchornet")
print("| tool | seconds (median wall) | runs | peak MB | ratio peer/anchornet (wall) "
      "| CPU seconds (median) | ratio (CPU) | identical to anchornet |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
for name in ["anchornet", "duckdb", "pandas"]:
    secs, mb, n, cpu = stats(name)
    ratio = "1.0" if name == "anchornet" else f"{secs / base:.1f}x"
    cpu_ratio = "1.0" if name == "anchornet" else f"{cpu / base_cpu:.1f}x"
    ident = "—" if name == "anchornet" else ("yes" if same(lines(name), ref) else "NO")
    print(f"| {name} | {secs:.2f} | {n} | {mb:.0f} | {ratio} | {cpu:.2f} | {cpu_ratio} | {ident} |")
print(f"\n{len(ref)} groups, {sum(int(r[2]) for r in ref):,} rows.")
PY
