#!/usr/bin/env python3
"""Independent cross-check of the Salford contracts register figures asserted in
crates/geo/tests/real_data.rs (test `salford_register_suppliers`), written from the official
files, not from the Rust code.

Usage: python3 crates/geo/tests/salford_crosscheck.py [SHARED_DATA_DIR]

A supplier is in a district if the postcode's district in the ONS May 2022 directory, or in
OS Code-Point Open (May 2025), is that district. Shares are of the total Annual Value of all
360 rows (blank and "-" count as zero), computed in integer pence.
"""
import csv
import lzma
import re
import sys
from decimal import Decimal

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
GM = {f"E080000{i:02d}" for i in range(1, 11)}
# Royal Mail format rules, as in anchornet-core's Postcode (plus GIR 0AA).
RULE = re.compile(
    r"^(?:[A-PR-UWYZ][0-9]|[A-PR-UWYZ][0-9][0-9]|[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]|[A-PR-UWYZ][A-HK-Y][0-9][0-9]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[0-9][ABD-HJLNP-UW-Z]{2}$"
)


def norm(s):
    c = "".join(s.split()).upper()
    if not (RULE.match(c) or c == "GIR0AA"):
        return None
    return c[:-3] + " " + c[-3:]


rows = list(csv.DictReader(open(f"{shared}/procurement/salford_contracts_register_2022.csv", encoding="utf-8-sig")))
wanted = {norm(r["Supplier Postcode"]) for r in rows} - {None}
lad = {}
with lzma.open(f"{shared}/geography/postcodes/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz", "rt") as f:
    next(f)
    for line in f:
        p = line.split(",", 1)[0]
        if p in wanted:
            lad.setdefault(p, set()).add(line.rstrip("\n").split(",")[7])
with lzma.open(f"{shared}/geography/postcodes/codepoint_open_may25_gb.csv.xz", "rt") as f:
    next(f)
    for line in f:
        p = line.split(",", 1)[0]
        if p in wanted:
            lad.setdefault(p, set()).add(line.rstrip("\n").split(",")[8])

def pence(v):
    v = v.strip()
    return 0 if v in ("", "-") else int(Decimal(v) * 100)

total = salford = gm = 0
resolved = invalid = unknown = 0
for r in rows:
    v = pence(r["Annual Value"])
    total += v
    p = norm(r["Supplier Postcode"])
    if p is None:
        invalid += 1
        print("invalid:", repr(r["Supplier Postcode"]))
        continue
    if p not in lad:
        unknown += 1
        print("unknown:", p)
        continue
    resolved += 1
    if "E08000006" in lad[p]:
        salford += v
    if lad[p] & GM:
        gm += v
print(f"rows {len(rows)} resolved {resolved} invalid {invalid} unknown {unknown}")
print(f"total pence {total} salford pence {salford} gm pence {gm}")
print(f"salford share {100 * salford / total:.4f}% gm share {100 * gm / total:.4f}%")
