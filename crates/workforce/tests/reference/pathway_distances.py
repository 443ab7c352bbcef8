#!/usr/bin/env python3
"""Independent check of `anchornet jobs match`'s travel distances (python standard library).

usage: pathway_distances.py ROOT CANDIDATES.csv VACANCIES.csv MATCHES.csv

For every row of MATCHES.csv, recomputes the straight-line distance from the centroid of the
candidate's home postcode sector to the vacancy, with none of the product's code:

* the sector's centroid: the mean latitude and longitude of every postcode in the sector in the
  National Statistics Postcode Lookup file the project bundles
  (ROOT/data/reference/nspl_may25_latlong_uk.csv.xz), found by the postcode's text (everything
  but the last two characters), not by enumerating inward codes;
* the vacancy's point: its `latitude`/`longitude` columns when both are given and in Great
  Britain's box, else its postcode's NSPL coordinates;
* the distance: haversine on a sphere of radius 6371.0088 km (the IUGG mean Earth radius).

Prints `rows=N checked=M max_diff_km=X` and exits 1 if any distance differs from the product's
(written to 0.1 km) by more than 0.05 km, or a distance the reference can compute is missing.
"""
import csv
import lzma
import math
import os
import sys

root, cand_path, vac_path, match_path = sys.argv[1:5]


def opener(p):
    return lzma.open(p, "rt", encoding="utf-8", newline="") if p.endswith(".xz") else open(p, encoding="utf-8", newline="")


def norm_pc(s):
    s = "".join(s.split()).upper()
    return f"{s[:-3]} {s[-3:]}" if len(s) >= 5 else None


with opener(cand_path) as f:
    cands = {r["candidate_id"].strip(): r for r in csv.DictReader(f)}


def sector_of(s):
    t = s.strip().upper().split()
    if len(t) == 2 and len(t[1]) == 1 and t[1].isdigit():
        return f"{t[0]} {t[1]}"
    if len(t) == 2 and len(t[1]) == 3:
        return f"{t[0]} {t[1][0]}"
    return None


sectors = {sector_of(r.get("home_sector", "")) for r in cands.values()} - {None}
with opener(vac_path) as f:
    vacs = {r["vacancy_id"].strip(): r for r in csv.DictReader(f)}
want_pcs = {norm_pc(r.get("location_postcode", "")) for r in vacs.values()} - {None}

sums = {}
pc_point = {}
with lzma.open(os.path.join(root, "data/reference/nspl_may25_latlong_uk.csv.xz"), "rt", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        try:
            lat, lon = float(r["lat"]), float(r["long"])
        except ValueError:
            continue
        if not (-90 <= lat <= 90):
            continue
        pc = r["pcds"].strip()
        sec = pc[:-2]
        if sec in sectors:
            s = sums.setdefault(sec, [0.0, 0.0, 0])
            s[0] += lat
            s[1] += lon
            s[2] += 1
        if pc in want_pcs:
            pc_point[pc] = (lat, lon)
centroid = {k: (v[0] / v[2], v[1] / v[2]) for k, v in sums.items()}


def haversine(a, b):
    r = 6371.0088
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def vac_point(v):
    try:
        lat, lon = float(v["latitude"]), float(v["longitude"])
        if 49 <= lat <= 61.5 and -9 <= lon <= 2.5:
            return (lat, lon)
    except (KeyError, ValueError):
        pass
    return pc_point.get(norm_pc(v.get("location_postcode", "")))


rows = checked = 0
worst = 0.0
bad = []
with open(match_path, encoding="utf-8", newline="") as f:
    for m in csv.DictReader(f):
        rows += 1
        c = cands[m["candidate_id"]]
        home = centroid.get(sector_of(c.get("home_sector", "")))
        pt = vac_point(vacs[m["vacancy_id"]])
        if home is None or pt is None:
            if m["distance_km"]:
                bad.append((m["candidate_id"], m["vacancy_id"], m["distance_km"], None))
            continue
        d = haversine(home, pt)
        if not m["distance_km"]:
            bad.append((m["candidate_id"], m["vacancy_id"], "", round(d, 1)))
            continue
        diff = abs(float(m["distance_km"]) - d)
        worst = max(worst, diff)
        checked += 1
        if diff > 0.05 + 1e-9:
            bad.append((m["candidate_id"], m["vacancy_id"], m["distance_km"], round(d, 3)))
print(f"rows={rows} checked={checked} max_diff_km={worst:.3f}")
for b in bad[:20]:
    print("DIFFERS", *b, file=sys.stderr)
sys.exit(1 if bad else 0)
