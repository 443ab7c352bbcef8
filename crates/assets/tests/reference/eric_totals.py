#!/usr/bin/env python3
"""Independent totals of the NHS estates returns (ERIC 2016/17, trust level), Python standard
library only: the raw `$`-delimited file with its two header rows, read directly.

Prints: rows, the sum of "Land area owned (Hectares)" and of "Land area not delivering
services (Hectares)" over the trusts that give them, to 0.1 ha.

usage: eric_totals.py [SHARED_DATA_DIR]
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../../shared/data"))
path = os.path.join(SHARED, "estates/nhs_eric_trust_2013-14_to_2016-17/ERIC-2016-17.csv")
lines = open(path, encoding="utf-8").read().splitlines()
names = lines[1].split("$")
owned = names.index("Land area owned (Hectares)")
idle = names.index("Land area not delivering services (Hectares)")
rows = [l.split("$") for l in lines[2:] if l.strip()]


def total(i):
    return sum(float(r[i]) for r in rows if r[i].strip())


print(f"rows {len(rows)} land_owned_ha {total(owned):.1f} land_not_delivering_ha {total(idle):.1f}")
