#!/usr/bin/env bash
# bench/run_b2.sh — run benchmark B2 (BENCHMARKS.md) for Anchornet and DuckDB on the same input:
# every postcode of the ONS directory (May 2022), shuffled with a fixed seed, each typed in a
# random one of the forms people use (`m54bd`, `M5  4BD`, ` m5 4bd `, `M5 4BD`), plus 5% invalid
# strings. Measures the index build (once, from the bundled data/reference), the warm start of
# a lookup, then Anchornet and DuckDB alternately (wall time, peak memory), checks the answers
# are byte-identical, and prints the markdown table of docs/benchmarks.md.
#
# Environment:
#   B2_DATA   working directory (default /tmp/anchornet-b2; input, DuckDB database, index cache)
#   B2_SHARED the official files (default: ../shared/data beside the repository)
#   B2_RUNS   runs of each tool; the median wall time is reported (default 5)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${B2_SHARED:-$root/../shared/data}"
data="${B2_DATA:-/tmp/anchornet-b2}"
runs="${B2_RUNS:-5}"
out="$data/results"
mkdir -p "$data" "$out"
export ANCHORNET_CACHE_DIR="$data/cache"

# 1. Tools.
if [ ! -x /usr/bin/time ]; then
    apt-get install -y -qq time >&2 || { apt-get update -qq >&2 && apt-get install -y -qq time >&2; }
fi
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb >&2
B2_BUILD_ONLY=1 "$root/bench/b2" --build   # builds the release bench binary

# 2. Inputs (not timed): the directory decompressed, and the shuffled typed input.
dir_csv="$data/pcd_may22.csv"
if [ ! -s "$dir_csv" ]; then
    xz -dc "$shared/geography/postcodes/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz" > "$dir_csv.part"
    mv "$dir_csv.part" "$dir_csv"
fi
if [ ! -s "$data/input.txt" ]; then
    python3 - "$dir_csv" "$data/input.txt" <<'PY'
import random, re, sys
src, dst = sys.argv[1:3]
rng = random.Random(20261122)
pcs = [l.split(",", 1)[0] for l in open(src).read().splitlines()[1:]]
rng.shuffle(pcs)
def typed(p):
    out, inw = p.split(" ")
    f = rng.randrange(4)
    return [p.replace(" ", "").lower(), f"{out}  {inw}", f" {p.lower()} ", p][f]
RULE = re.compile(r"^(?:[A-PR-UWYZ][0-9]|[A-PR-UWYZ][0-9][0-9]|[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]"
                  r"|[A-PR-UWYZ][A-HK-Y][0-9]|[A-PR-UWYZ][A-HK-Y][0-9][0-9]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
                  r"[0-9][ABD-HJLNP-UW-Z]{2}$")
def valid(s):
    c = "".join(s.split()).upper()
    return bool(RULE.match(c)) or c in ("GIR0AA",)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
def invalid():
    k = rng.randrange(6)
    p = rng.choice(pcs)
    if k == 0:   # random letters, digits and spaces
        s = "".join(rng.choice(ALNUM + "  ") for _ in range(rng.randint(1, 10)))
    elif k == 1: # an inward letter Royal Mail never uses
        s = p[:-1] + rng.choice("CIKMOV")
    elif k == 2: # a first letter never used
        s = rng.choice("QVX") + p[1:]
    elif k == 3: # punctuation inside
        s = p.replace(" ", rng.choice(["-", "/", ".", "_"]))
    elif k == 4: # a number where the inward letters go
        s = p[:-2] + str(rng.randrange(10, 99))
    else:        # what registers hold instead of a postcode
        s = rng.choice(["Various", "N/A", "TBC", "BFPO 123", "unknown", "-", "0", "T12 VP94"])
    return s if (s.strip() and not valid(s)) else invalid()
lines = [typed(p) for p in pcs]
for _ in range(round(len(pcs) * 0.05)):
    lines.insert(rng.randrange(len(lines) + 1), invalid())
open(dst, "w").write("\n".join(lines) + "\n")
print(f"{len(lines)} input lines ({len(pcs)} postcodes)", file=sys.stderr)
PY
fi
if [ ! -s "$data/duckdb.db" ]; then
    python3 "$root/bench/b2_duckdb.py" --load "$data/duckdb.db" "$dir_csv" "$shared/deprivation/imd2019_england_lsoa11.csv"
fi

# 3. Index: built from the official files once (timed on its own), then a warm open.
rm -rf "$ANCHORNET_CACHE_DIR"
/usr/bin/time -f '%e %M %U %S' -o "$out/build.time" env B2_SKIP_BUILD=1 "$root/bench/b2" --build 2> "$out/build.err"
/usr/bin/time -f '%e %M' -o "$out/open.time" env B2_SKIP_BUILD=1 "$root/bench/b2" --build 2> "$out/open.err"
echo "index build: $(cat "$out/build.time") (wall s, KB, user s, sys s); warm open: $(cat "$out/open.time")" >&2
uptime >&2

# 4. Runs, alternating so that both see the same background load.
: > "$out/anchornet.times"; : > "$out/duckdb.times"
measure_once() { # name command...
    local name="$1"
    shift
    /usr/bin/time -f '%e %M %U %S' -o "$out/$name.time1" "$@" 2> "$out/$name.err"
    cat "$out/$name.time1" >> "$out/$name.times"
    echo "$name: $(cat "$out/$name.time1") (wall s, KB, user s, sys s)" >&2
}
for _ in $(seq "$runs"); do
    measure_once anchornet env B2_SKIP_BUILD=1 "$root/bench/b2" "$data/input.txt" "$out/anchornet.out"
    measure_once duckdb python3 "$root/bench/b2_duckdb.py" "$data/duckdb.db" "$data/input.txt" "$out/duckdb.out"
done

# 5. Compare and tabulate.
python3 - "$out" "$data/input.txt" <<'PY'
import statistics, sys, filecmp
out, inp = sys.argv[1:3]
def stats(name):
    t = [tuple(map(float, l.split())) for l in open(f"{out}/{name}.times") if l.strip()]
    return statistics.median(r[0] for r in t), max(r[1] for r in t) / 1024, len(t), statistics.median(r[2] + r[3] for r in t), [r[0] for r in t]
a, d = open(f"{out}/anchornet.out", "rb").read(), open(f"{out}/duckdb.out", "rb").read()
same = a == d
al, dl = a.split(b"\n"), d.split(b"\n")
diff = sum(1 for x, y in zip(al, dl) if x != y) + abs(len(al) - len(dl))
base, base_mb, _, base_cpu, at = stats("anchornet")
dk, dk_mb, n, dk_cpu, dt = stats("duckdb")
bt, bk, bu, bs = open(f"{out}/build.time").read().split()
ot, ok = open(f"{out}/open.time").read().split()
lines = len(al) - 1
print("| tool | seconds (median wall) | runs | peak MB | ratio peer/anchornet (wall) | CPU seconds (median) | ratio (CPU) | identical to anchornet |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
print(f"| anchornet | {base:.3f} | {n} | {base_mb:.0f} | 1.0 | {base_cpu:.2f} | 1.0 | — |")
print(f"| duckdb | {dk:.3f} | {n} | {dk_mb:.0f} | {dk / base:.1f}x | {dk_cpu:.2f} | {dk_cpu / base_cpu:.1f}x | {'yes' if same else f'NO ({diff} lines differ)'} |")
print(f"\n{lines:,} answers; pairs (duckdb/anchornet per run): " + ", ".join(f"{y / x:.1f}x" for x, y in zip(at, dt)))
print(f"Index build from data/reference: {float(bt):.2f} s wall, {float(bu) + float(bs):.2f} CPU s, peak {int(bk) / 1024:.0f} MB; warm open (the start of a lookup): {float(ot):.3f} s, peak {int(ok) / 1024:.0f} MB.")
kinds = {}
for l in al[:-1]:
    f = l.split(b",")
    k = "invalid" if f[1] == b"invalid" else "unknown" if f[1] == b"unknown" else ("terminated" if f[4] == b"1" else "live")
    kinds[k] = kinds.get(k, 0) + 1
print("Answers: " + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))
PY
