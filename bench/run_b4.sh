#!/usr/bin/env bash
# bench/run_b4.sh — benchmark B4 (BENCHMARKS.md): the whole analysis of the 16 ODI Leeds
# publishers as one network, `anchornet analyse --network bench/networks/odileeds.toml`
# (ingest, resolve, locate, classify, measure, every output written), against DuckDB's B1
# aggregation of the same payments (bench/b1_duckdb.py on the decompressed CSVs), in the
# same run, alternating, under GNU time (wall, CPU, peak memory). Prints the markdown table
# of docs/benchmarks.md and checks the analysis' payments and pence per (publisher,
# financial year) against DuckDB's where the two definitions agree.
#
# Anchornet reads the network file as a user gives it (the .csv.xz files, decompressed
# inside the timed run); DuckDB reads the CSVs decompressed beforehand (not timed), as in B1.
# The geography index is built before timing (a user's second run finds it cached).
#
# Environment:
#   ANCHORNET_BIN  time this binary instead of building one
#   B1_DATA   where the decompressed CSVs go (default /tmp/anchornet-b1; shared with B1)
#   B1_SRC    the .csv.xz inputs (default ../shared/data/spend/odileeds_processed)
#   B4_RUNS   runs of each tool; the median wall time is reported (default 1)
#   B4_OUT    where outputs and timings are kept (default /tmp/anchornet-b4)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${B1_SRC:-$root/../shared/data/spend/odileeds_processed}"
data="${B1_DATA:-/tmp/anchornet-b1}"
runs="${B4_RUNS:-1}"
out="${B4_OUT:-/tmp/anchornet-b4}"
net="$root/bench/networks/odileeds.toml"
mkdir -p "$data" "$out"

# 1. DuckDB's inputs: decompress once (not timed).
for xz in "$src"/*.csv.xz; do
    csv="$data/$(basename "$xz" .xz)"
    if [ ! -s "$csv" ]; then
        echo "decompressing $(basename "$xz")" >&2
        xz -dc "$xz" > "$csv.part"
        mv "$csv.part" "$csv"
    fi
done

# 2. Tools, and the binary copied aside (a later build elsewhere cannot change what is timed).
if [ ! -x /usr/bin/time ]; then
    apt-get install -y -qq time >&2 || { apt-get update -qq >&2 && apt-get install -y -qq time >&2; }
fi
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb >&2
if [ -n "${ANCHORNET_BIN:-}" ]; then
    cp "$ANCHORNET_BIN" "$out/anchornet"
else
    cargo build --release --quiet -p anchornet --manifest-path "$root/Cargo.toml"
    cp "${CARGO_TARGET_DIR:-$root/target}/release/anchornet" "$out/anchornet"
fi
bin="$out/anchornet"
# A cache of its own: another checkout's anchornet on this machine, opening the index from
# different reference files, would otherwise rebuild it inside the timed run.
export ANCHORNET_CACHE_DIR="${ANCHORNET_CACHE_DIR:-$out/cache}"
"$bin" geo lookup "M5 4BD" > /dev/null   # the geography index, built if not cached

# 3. Runs, alternating so that both see the same background load.
: > "$out/anchornet.times"; : > "$out/duckdb.times"
measure_once() { # name stdout command...
    local name="$1" stdout="$2"
    shift 2
    /usr/bin/time -f '%e %M %U %S' -o "$out/$name.time1" "$@" > "$stdout" 2> "$out/$name.err"
    cat "$out/$name.time1" >> "$out/$name.times"
    echo "$name: $(cat "$out/$name.time1") (wall s, KB, user s, sys s)" >&2
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq "$runs"); do
    rm -rf "$out/analysis"
    measure_once anchornet "$out/anchornet.stdout" "$bin" analyse --network "$net" --out "$out/analysis" --no-cache
    measure_once duckdb "$out/duckdb_b1.csv" python3 "$root/bench/b1_duckdb.py" "$data"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# 4. Tabulate and check.
python3 - "$out" "$net" "$load_before" "$load_after" <<'PY'
import json, os, statistics, sys, tomllib
out, net, load_before, load_after = sys.argv[1:5]

def stats(name):
    t = [tuple(map(float, l.split())) for l in open(f"{out}/{name}.times") if l.strip()]
    return (statistics.median(r[0] for r in t), max(r[1] for r in t) / 1024,
            statistics.median(r[2] + r[3] for r in t), len(t), [r[0] for r in t])

a, amb, acpu, n, at = stats("anchornet")
d, dmb, dcpu, _, dt = stats("duckdb")
print("| tool | command | seconds (median wall) | runs | CPU seconds (user + sys) | peak MB | ratio duckdb/anchornet (wall) |")
print("|---|---|---:|---:|---:|---:|---:|")
print(f"| anchornet | `anchornet analyse --network bench/networks/odileeds.toml --out DIR --no-cache` | {a:.2f} | {n} | {acpu:.2f} | {amb:.0f} | 1.0 |")
print(f"| duckdb | `bench/b1_duckdb.py DIR` (B1 aggregation of the decompressed CSVs) | {d:.2f} | {n} | {dcpu:.2f} | {dmb:.0f} | {d / a:.2f}x |")
print(f"\nPairs (duckdb/anchornet per run): " + ", ".join(f"{y / x:.2f}x" for x, y in zip(at, dt)))
print(f"Load average (1, 5, 15 min) before: {load_before}; after: {load_after}.")

# The check: per (publisher, financial year), Anchornet's payments and pence (analysis.json,
# each anchor's figures by year) against DuckDB's accepted rows (rows - rejected) and pence.
# The definitions agree on a group when every row of it is a payment with an ISO date and a
# plain decimal amount and none is a duplicate, blank or totals line: Anchornet also reads
# other date and amount forms and skips repeated payments, which DuckDB's B1 rules do not.
cfg = tomllib.load(open(net, "rb"))
stem = {x["name"]: os.path.basename(x["payments"][0]).split(".")[0] for x in cfg["anchor"]}
an = json.load(open(f"{out}/analysis/analysis.json"))
ours = {}
for f in an["figures"]:
    if f["scope"] != "network" and f["fy"]:
        ours[(stem[f["scope"]], f["fy"].split("/")[0])] = (f["figures"]["total"]["rows"],
                                                           f["figures"]["total"]["pence"])
duck = {}
for line in open(f"{out}/duckdb_b1.csv"):
    p, fy, rows, rej, pence = line.strip().split(",")[:5]
    duck[(p, fy)] = (int(rows) - int(rej), int(pence))
both = sorted(set(ours) & set(duck))
same = [k for k in both if ours[k] == duck[k]]
rows_same = sum(ours[k][0] for k in same)
print(f"\nPer (publisher, financial year): {len(same)} of {len(both)} groups present in both have "
      f"equal payments and pence ({rows_same:,} of {sum(v[0] for v in ours.values()):,} "
      f"payments analysed). Groups only in Anchornet's figures: {len(set(ours) - set(duck))}; "
      f"only in DuckDB's: {len(set(duck) - set(ours))} "
      f"({', '.join(f'{p} {fy}' for p, fy in sorted(set(duck) - set(ours)))}).")
diff = sorted(set(both) - set(same))
if diff:
    print("Differing groups (anchornet payments / pence, duckdb accepted rows / pence):")
    for k in diff:
        print(f"- {k[0]} {k[1]}: {ours[k][0]} / {ours[k][1]}, {duck[k][0]} / {duck[k][1]}")
PY
