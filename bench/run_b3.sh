#!/usr/bin/env bash
# bench/run_b3.sh — run benchmark B3 (BENCHMARKS.md): resolve every distinct supplier name of
# spend/odileeds_processed (beneficiary_name) and spend/trafford (BeneficiaryName) with
# Anchornet, splink (DuckDB backend) and an exact-normalised-key baseline; measure wall time,
# CPU time and peak memory of each under /usr/bin/time; score each on the dev gold set with
# shared/tools/score_clusters.py; print the markdown table of docs/benchmarks.md (B3).
#
# Environment:
#   B3_DATA    where names.csv and the outputs go (default /tmp/anchornet-b3; names.csv reused)
#   B3_SHARED  the shared data and tools (default: ../shared beside the repository)
#   B3_RUNS    runs of Anchornet; the median wall time is reported (default 3)
#   B3_SPLINK_RUNS  runs of splink (default 1: it takes minutes)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${B3_SHARED:-$(cd "$root/../shared" && pwd)}"
data="${B3_DATA:-/tmp/anchornet-b3}"
runs="${B3_RUNS:-3}"
splink_runs="${B3_SPLINK_RUNS:-1}"
gold="$shared/data/validation/supplier_names_dev.csv"
mkdir -p "$data"

# 1. Input: every distinct non-empty (trimmed) supplier name, one CSV column `name` (not timed).
if [ ! -s "$data/names.csv" ]; then
    echo "building $data/names.csv" >&2
    python3 - "$shared/data/spend" "$data/names.csv.part" <<'PY'
import csv, glob, lzma, sys
spend, out = sys.argv[1], sys.argv[2]
csv.field_size_limit(10**9)
names = set()
for pattern, col in [("odileeds_processed/*.csv.xz", "beneficiary_name"), ("trafford/*.csv.xz", "BeneficiaryName")]:
    for f in sorted(glob.glob(f"{spend}/{pattern}")):
        with lzma.open(f, "rt", encoding="utf-8", errors="replace", newline="") as fh:
            for row in csv.DictReader(fh):
                n = (row.get(col) or "").strip()
                if n:
                    names.add(n)
with open(out, "w", newline="", encoding="utf-8") as g:
    w = csv.writer(g)
    w.writerow(["name"])
    for n in sorted(names):
        w.writerow([n])
print(f"{len(names)} names", file=sys.stderr)
PY
    mv "$data/names.csv.part" "$data/names.csv"
fi

# 2. Tools (versions pinned in bench/b3_splink.py).
if [ ! -x /usr/bin/time ]; then
    apt-get install -y -qq time >&2 || { apt-get update -qq >&2 && apt-get install -y -qq time >&2; }
fi
python3 -c 'import splink' 2>/dev/null || python3 -m pip install -q "splink==5.0.0" >&2
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q "duckdb==2.0.0" >&2
cargo build --release --quiet -p anchornet-resolve --example b3 --manifest-path "$root/Cargo.toml"

# 3. Runs: wall seconds, max RSS KB, user and system CPU seconds from GNU time.
: > "$data/anchornet.times"; : > "$data/splink.times"; : > "$data/baseline.times"
measure_once() { # name out command...
    local name="$1" out="$2"
    shift 2
    /usr/bin/time -f '%e %M %U %S' -o "$data/$name.time1" "$@" "$data/names.csv" "$out" 2> "$data/$name.err"
    cat "$data/$name.time1" >> "$data/$name.times"
    echo "$name: $(cat "$data/$name.time1") (wall s, KB, user s, sys s)   $(tail -1 "$data/$name.err")" >&2
}
for _ in $(seq "$runs"); do
    measure_once anchornet "$data/anchornet.csv" env B3_SKIP_BUILD=1 "$root/bench/b3"
done
for _ in $(seq "$splink_runs"); do
    measure_once splink "$data/splink.csv" python3 "$root/bench/b3_splink.py"
done
measure_once baseline "$data/baseline.csv" python3 "$root/bench/b3_baseline.py"

# 4. Score and tabulate.
for t in anchornet splink baseline; do
    python3 "$shared/tools/score_clusters.py" "$gold" "$data/$t.csv" > "$data/$t.score"
done
python3 - "$data" <<'PY'
import re, statistics, sys
d = sys.argv[1]

def stats(name):
    t = [tuple(map(float, l.split())) for l in open(f"{d}/{name}.times") if l.strip()]
    return statistics.median(r[0] for r in t), max(r[1] for r in t) / 1024, len(t), statistics.median(r[2] + r[3] for r in t)

def score(name):
    text = open(f"{d}/{name}.score").read()
    get = lambda k: float(re.search(rf"{k}:\s+([0-9.]+)", text).group(1))
    return (get("pairwise precision"), get("pairwise recall"), get("pairwise F1"),
            get("B-cubed precision"), get("B-cubed recall"), get("B-cubed F1"))

base = stats("anchornet")
print("| tool | seconds (median wall) | runs | peak MB | splink / tool (wall) | CPU seconds | "
      "pairwise P | pairwise R | pairwise F1 | B³ P | B³ R | B³ F1 |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
sp = stats("splink")
for name in ["anchornet", "splink", "baseline"]:
    secs, mb, n, cpu = stats(name)
    p, r, f, bp, br, bf = score(name)
    print(f"| {name} | {secs:.2f} | {n} | {mb:.0f} | {sp[0] / secs:.1f}x | {cpu:.2f} | "
          f"{p:.4f} | {r:.4f} | {f:.4f} | {bp:.4f} | {br:.4f} | {bf:.4f} |")
lines = sum(1 for _ in open(f"{d}/names.csv")) - 1
print(f"\n{lines:,} names; scores on validation/supplier_names_dev.csv (889 names; names of the gold "
      f"set absent from the B3 input count as singletons for every tool).")
PY
