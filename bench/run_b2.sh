#!/usr/bin/env bash
# bench/run_b2.sh — benchmark B2 (BENCHMARKS.md): `anchornet geo bulk`, the command a user runs,
# against DuckDB on the same input: every postcode of the ONS directory (May 2022), shuffled
# with a fixed seed, each typed in a random one of the forms people use (`m54bd`, `M5  4BD`,
# ` m5 4bd `, `M5 4BD`), plus 5% invalid strings, as a one-column CSV. Builds the release
# binary once and copies it aside, times the index build (`anchornet geo build`), then runs
# Anchornet and DuckDB alternately under GNU time (wall, peak memory, CPU), checks the answers
# agree on the shared columns, and prints the markdown table of docs/benchmarks.md.
#
# Both write the same answers: DuckDB the five B2 columns (postcode, lsoa11, imd2019_decile,
# lad, terminated), Anchornet the input row plus `--columns` geo_status, geo_postcode,
# geo_lsoa11, geo_imd2019_decile and geo_directory_lad (the directory's own district, like
# the peer's `ladcd`; `geo_lad` is the district now). The ratio is DuckDB's time over that
# run's. Anchornet's default output, all 28 `geo_*` columns (areas, names, coordinates, both
# deprivation indices, notes), is timed in the same rounds and reported beside it.
#
# Environment:
#   ANCHORNET_BIN  time this binary instead of building one
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

# 1. Tools: GNU time, DuckDB, and the release binary copied aside (a later build elsewhere
# cannot change what is timed).
if [ ! -x /usr/bin/time ]; then
    apt-get install -y -qq time >&2 || { apt-get update -qq >&2 && apt-get install -y -qq time >&2; }
fi
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb >&2
if [ -n "${ANCHORNET_BIN:-}" ]; then   # a binary built beforehand
    cp "$ANCHORNET_BIN" "$data/anchornet"
else
    cargo build --release --quiet -p anchornet --manifest-path "$root/Cargo.toml"
    cp "${CARGO_TARGET_DIR:-$root/target}/release/anchornet" "$data/anchornet"
fi
bin="$data/anchornet"

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

if [ ! -s "$data/input.csv" ]; then
    { echo postcode; cat "$data/input.txt"; } > "$data/input.csv"
fi

# 3. Index: built from the bundled official files into a fresh cache (timed on its own).
rm -rf "$ANCHORNET_CACHE_DIR"
/usr/bin/time -f '%e %M %U %S' -o "$out/build.time" "$bin" geo build > "$out/build.out" 2> "$out/build.err"
echo "index build: $(cat "$out/build.time") (wall s, KB, user s, sys s)" >&2
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
b2_columns=geo_status,geo_postcode,geo_lsoa11,geo_imd2019_decile,geo_directory_lad
: > "$out/anchornet28.times"
for _ in $(seq "$runs"); do
    measure_once anchornet "$bin" geo bulk "$data/input.csv" --column postcode --columns "$b2_columns" --out "$out/anchornet.csv"
    measure_once duckdb python3 "$root/bench/b2_duckdb.py" "$data/duckdb.db" "$data/input.txt" "$out/duckdb.out"
    measure_once anchornet28 "$bin" geo bulk "$data/input.csv" --column postcode --out "$out/anchornet28.csv"
done

# 5. Compare on the shared columns and tabulate.
python3 - "$out" "$b2_columns" <<'PY'
import csv, statistics, sys
out, b2_columns = sys.argv[1:3]
def stats(name):
    t = [tuple(map(float, l.split())) for l in open(f"{out}/{name}.times") if l.strip()]
    return statistics.median(r[0] for r in t), max(r[1] for r in t) / 1024, len(t), statistics.median(r[2] + r[3] for r in t), [r[0] for r in t]
# Anchornet's columns written as B2's five, by B2's rules.
def b2_line(row, lad):
    st = row["geo_status"]
    if st in ("invalid", "empty"):
        return ",invalid,,,"
    if st == "unknown":
        return f"{row['geo_postcode']},unknown,,,"
    return ",".join([row["geo_postcode"], row["geo_lsoa11"], row["geo_imd2019_decile"],
                     row[lad], "1" if st == "terminated" else "0"])
with open(f"{out}/anchornet.csv", newline="") as f:
    mine = [b2_line(row, "geo_directory_lad") for row in csv.DictReader(f)]
# The 28-column output agrees with the selection on every column both have (its geo_lad is
# the district now, so the district is left out of this check).
same28 = 0
with open(f"{out}/anchornet28.csv", newline="") as f:
    for row, m in zip(csv.DictReader(f), mine):
        a = b2_line(row, "geo_lad").split(",")
        b = m.split(",")
        same28 += a[:3] + a[4:] == b[:3] + b[4:]
theirs = open(f"{out}/duckdb.out").read().splitlines()
cols = ["postcode", "lsoa11", "imd2019_decile", "lad", "terminated"]
diff = {c: 0 for c in cols}
for a, b in zip(mine, theirs):
    for c, x, y in zip(cols, a.split(","), b.split(",")):
        diff[c] += x != y
base, base_mb, n, base_cpu, at = stats("anchornet")
dk, dk_mb, _, dk_cpu, dt = stats("duckdb")
full, full_mb, _, full_cpu, _ = stats("anchornet28")
bt, bk, bu, bs = open(f"{out}/build.time").read().split()
print("| tool | command | seconds (median wall) | runs | peak MB | ratio duckdb/anchornet (wall) | CPU seconds (median) | ratio (CPU) |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
print(f"| anchornet, B2's columns | `anchornet geo bulk input.csv --column postcode --columns {b2_columns} --out OUT` | {base:.3f} | {n} | {base_mb:.0f} | 1.0 | {base_cpu:.2f} | 1.0 |")
print(f"| duckdb | `bench/b2_duckdb.py DB input.txt OUT` | {dk:.3f} | {n} | {dk_mb:.0f} | {dk / base:.1f}x | {dk_cpu:.2f} | {dk_cpu / base_cpu:.1f}x |")
print(f"| anchornet, all 28 columns | `anchornet geo bulk input.csv --column postcode --out OUT` | {full:.3f} | {n} | {full_mb:.0f} | {dk / full:.1f}x | {full_cpu:.2f} | {dk_cpu / full_cpu:.1f}x |")
print(f"\n{len(mine):,} answers (DuckDB {len(theirs):,}); pairs (duckdb/anchornet per run): " + ", ".join(f"{y / x:.1f}x" for x, y in zip(at, dt)))
print("Answers differing, by shared column: " + ", ".join(f"{c} {v:,}" for c, v in diff.items()))
print(f"All-28-column output agreeing with the selection (status, postcode, LSOA, decile): {same28:,} of {len(mine):,} lines")
print(f"Index build (`anchornet geo build`): {float(bt):.2f} s wall, {float(bu) + float(bs):.2f} CPU s, peak {int(bk) / 1024:.0f} MB.")
PY
