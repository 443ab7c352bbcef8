#!/usr/bin/env bash
# bench/run_b1.sh — benchmark B1 (BENCHMARKS.md): `anchornet ingest`, the command a user runs,
# against DuckDB's COPY of the same CSVs to Parquet, in the same run. Decompresses the 16
# ODI Leeds files once (not timed), builds the release binary and copies it aside, then runs
# Anchornet and DuckDB alternately under GNU time (wall, peak memory, CPU), checks Anchornet's
# per-file rows, accepted rows and total pence against the previous release's
# (bench/b1_expected_ingest.csv) and against DuckDB's independent per-file totals, and prints
# the markdown table of docs/benchmarks.md.
#
# Environment:
#   ANCHORNET_BIN  time this binary instead of building one
#   B1_DATA   where the decompressed CSVs go (default /tmp/anchornet-b1; reused if present)
#   B1_SRC    the .csv.xz inputs (default /work/shared/data/spend/odileeds_processed)
#   B1_RUNS   runs of each tool; the median wall time is reported (default 3)
#   B1_OUT    where outputs and timings are kept (default $B1_DATA-results; not inside
#             B1_DATA, which ingest searches recursively: a second run would read the
#             first one's duckdb_totals.csv as a 17th ledger)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${B1_SRC:-$root/../shared/data/spend/odileeds_processed}"
data="${B1_DATA:-/tmp/anchornet-b1}"
runs="${B1_RUNS:-3}"
out="${B1_OUT:-${data%/}-results}"
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

# 2. Tools, and the binary copied aside (a later build elsewhere cannot change what is timed).
if [ ! -x /usr/bin/time ]; then
    apt-get install -y -qq time >&2 || { apt-get update -qq >&2 && apt-get install -y -qq time >&2; }
fi
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb >&2
if [ -n "${ANCHORNET_BIN:-}" ]; then   # a binary built beforehand
    cp "$ANCHORNET_BIN" "$out/anchornet"
else
    cargo build --release --quiet -p anchornet --manifest-path "$root/Cargo.toml"
    cp "${CARGO_TARGET_DIR:-$root/target}/release/anchornet" "$out/anchornet"
fi
bin="$out/anchornet"

# 3. Runs, alternating so that both see the same background load.
: > "$out/anchornet.times"; : > "$out/duckdb.times"
measure_once() { # name stdout command...
    local name="$1" stdout="$2"
    shift 2
    /usr/bin/time -f '%e %M %U %S' -o "$out/$name.time1" "$@" > "$stdout" 2> "$out/$name.err"
    cat "$out/$name.time1" >> "$out/$name.times"
    echo "$name: $(cat "$out/$name.time1") (wall s, KB, user s, sys s)" >&2
}
uptime >&2
for _ in $(seq "$runs"); do
    measure_once anchornet "$out/anchornet.json" "$bin" ingest "$data" --out "$out/anchornet.parquet" --json
    measure_once duckdb /dev/null python3 "$root/bench/b1_copy_duckdb.py" "$data" "$out/duckdb.parquet"
done
# Independent per-file totals (not timed).
python3 "$root/bench/b1_copy_duckdb.py" --totals "$data" > "$out/duckdb_totals.csv"

# 4. Check and tabulate.
python3 - "$out" "$root/bench/b1_expected_ingest.csv" <<'PY'
import csv, json, os, statistics, sys
out, expected = sys.argv[1:3]
reports = {os.path.basename(r["file"]): r for r in json.load(open(f"{out}/anchornet.json"))}
exp = {r["file"]: r for r in csv.DictReader(l for l in open(expected) if not l.startswith("#"))}
same = [f for f, e in exp.items() if f in reports and all(
    str(reports[f][k]) == e[k] for k in ("rows_read", "accepted", "skipped", "rejected"))
    and str(reports[f]["total"]) == e["total_pence"]]
duck = {l.split(",")[0] + ".csv": l.strip().split(",")[1:] for l in open(f"{out}/duckdb_totals.csv")}
agree = [f for f, (n, t) in duck.items() if f in reports
         and (str(reports[f]["accepted"]), str(reports[f]["total"])) == (n, t)]
def stats(name):
    t = [tuple(map(float, l.split())) for l in open(f"{out}/{name}.times") if l.strip()]
    return statistics.median(r[0] for r in t), max(r[1] for r in t) / 1024, len(t), statistics.median(r[2] + r[3] for r in t), [r[0] for r in t]
a, amb, n, acpu, at = stats("anchornet")
d, dmb, _, dcpu, dt = stats("duckdb")
print("| tool | command | seconds (median wall) | runs | peak MB | ratio duckdb/anchornet (wall) | CPU seconds (median) | ratio (CPU) |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
print(f"| anchornet | `anchornet ingest DIR --out p.parquet --json` | {a:.2f} | {n} | {amb:.0f} | 1.0 | {acpu:.2f} | 1.0 |")
print(f"| duckdb | `COPY (SELECT * FROM read_csv('DIR/*.csv', all_varchar = true, filename = true)) TO 'x.parquet'` | {d:.2f} | {n} | {dmb:.0f} | {d / a:.2f}x | {dcpu:.2f} | {dcpu / acpu:.2f}x |")
print("\nPairs (duckdb/anchornet per run): " + ", ".join(f"{y / x:.2f}x" for x, y in zip(at, dt)))
rows = sum(r["rows_read"] for r in reports.values())
print(f"{len(reports)} files, {rows:,} rows read, {sum(r['accepted'] for r in reports.values()):,} accepted.")
print(f"Rows read, accepted, skipped, rejected and total pence equal the previous release's "
      f"(bench/b1_expected_ingest.csv) for {len(same)} of {len(exp)} files.")
print(f"Accepted rows and total pence equal DuckDB's independent totals (ISO dates, plain decimal "
      f"amounts) for {len(agree)} of {len(duck)} files; the others: " + "; ".join(
      f"{f} anchornet {reports[f]['accepted']} / {reports[f]['total']}, duckdb {duck[f][0]} / {duck[f][1]}"
      for f in sorted(set(duck) - set(agree)) if f in reports))
PY
