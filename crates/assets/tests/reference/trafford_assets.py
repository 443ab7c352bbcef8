#!/usr/bin/env python3
"""Independent reference figures for Trafford's land and building assets register.

Python standard library only. Reads the raw register as published and the official ONS/MHCLG
files directly (not through Anchornet), and prints one JSON object:

  assets, vacant                     rows, and rows whose TenureDetail is "Vacant"
  point_rows, point_placed           rows with WGS84 GeoX/GeoY, and those inside a 2021 LSOA
  point_lsoa21 {lsoa: n}             by an even-odd point-in-polygon test on the ONS 2021 LSOA
                                     boundaries (CRS84)
  point_decile {decile: n}           IoD 2025 decile of those LSOAs
  postcode_rows, postcode_placed     rows whose PostCode is a full postcode, and those placed
  postcode_lsoa21 {lsoa: n}          the postcode's 2021 LSOA: ONS postcode → 2011 LSOA (May
                                     2022 directory) → 2021 LSOA (ONS lookup); where the 2011
                                     LSOA split, the one containing the postcode's NSPL point;
                                     a postcode newer than the directory, by its NSPL point
  postcode_decile {decile: n}
  postcode_unplaced [postcode…]      full postcodes not placed (unknown, or split and ambiguous)
  vacant_deciles_1_2                 vacant rows placed (point first, else postcode) in deciles 1–2
  vacant_placed                      vacant rows placed by either

usage: trafford_assets.py [SHARED_DATA_DIR]
"""
import csv
import io
import json
import lzma
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.abspath(
    sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ANCHORNET_SHARED_DATA") or os.path.join(HERE, "../../../../../shared/data")
)


def xz_csv(rel):
    return csv.DictReader(io.TextIOWrapper(lzma.open(os.path.join(SHARED, rel)), encoding="utf-8-sig"))


rows = list(xz_csv("assets/trafford_land_and_building_assets.csv.xz"))

# --- postcodes ---------------------------------------------------------------------------
PC = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def norm_pc(s):
    m = PC.match(re.sub(r"\s+", "", s.upper()))
    return f"{m.group(1)} {m.group(2)}" if m else None


wanted = {norm_pc(r["PostCode"]) for r in rows} - {None}
pc_lsoa11 = {}
for r in xz_csv("geography/postcodes/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz"):
    if r["pcds"] in wanted:
        pc_lsoa11[r["pcds"]] = r["lsoa11cd"]
pc_point = {}
for r in xz_csv("geography/postcodes/nspl_may25_latlong_uk.csv.xz"):
    if r["pcds"] in wanted and r["lat"].strip():
        pc_point[r["pcds"]] = (float(r["long"]), float(r["lat"]))
l11_to_21 = {}
with open(os.path.join(SHARED, "geography/lookups/lookup_lsoa11_lsoa21_ltla22.csv"), encoding="utf-8") as f:
    for r in csv.DictReader(f):
        l11_to_21.setdefault(r["lsoa11_code"], set()).add(r["lsoa21_code"])
decile = {}
with open(os.path.join(SHARED, "deprivation/imd2025_england_lsoa21.csv"), encoding="utf-8") as f:
    for r in csv.DictReader(f):
        decile[r["lsoa21_code"]] = int(r["IMD_decile"])

# --- boundaries: even-odd rule on every ring ---------------------------------------------
with lzma.open(os.path.join(SHARED, "geography/boundaries/lsoa21_boundaries_england_wales.geojson.xz")) as f:
    gj = json.load(f)
polys = []  # (code, bbox, rings)
for feat in gj["features"]:
    g = feat["geometry"]
    parts = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
    rings = [ring for part in parts for ring in part]
    xs = [p[0] for ring in rings for p in ring]
    ys = [p[1] for ring in rings for p in ring]
    polys.append((feat["properties"]["LSOA21CD"], (min(xs), min(ys), max(xs), max(ys)), rings))
del gj


def inside(rings, x, y):
    c = False
    for ring in rings:
        n = len(ring)
        j = n - 1
        for i in range(n):
            xi, yi = ring[i][0], ring[i][1]
            xj, yj = ring[j][0], ring[j][1]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                c = not c
            j = i
    return c


def lsoa_at(x, y, among=None):
    hits = [
        code
        for code, (x0, y0, x1, y1), rings in polys
        if (among is None or code in among) and x0 <= x <= x1 and y0 <= y <= y1 and inside(rings, x, y)
    ]
    return hits[0] if len(hits) == 1 else None


def by_postcode(pc):
    l11 = pc_lsoa11.get(pc)
    pt = pc_point.get(pc)
    if l11:
        cands = l11_to_21.get(l11, set())
        if len(cands) == 1:
            return next(iter(cands))
        if len(cands) > 1 and pt:
            return lsoa_at(pt[0], pt[1], cands)
        return None
    return lsoa_at(pt[0], pt[1]) if pt else None


out = {
    "assets": len(rows),
    "vacant": sum(r["TenureDetail"].strip().lower() == "vacant" for r in rows),
}
point_l, pc_l = Counter(), Counter()
point_rows = pc_rows = 0
unplaced = []
vac_placed = vac_deprived = 0
for r in rows:
    p = None
    if r["CoordinateReferenceSystem"].strip().upper() == "WGS84" and r["GeoX"].strip() and r["GeoY"].strip():
        point_rows += 1
        x, y = float(r["GeoX"]), float(r["GeoY"])
        if not (-9 <= x <= 2.5) and (-9 <= y <= 2.5):
            # One asset (Davyhulme Youth Centre) has latitude in GeoX and longitude in GeoY.
            x, y = y, x
            out["point_swapped"] = out.get("point_swapped", 0) + 1
        p = lsoa_at(x, y)
        if p:
            point_l[p] += 1
    q = None
    pc = norm_pc(r["PostCode"])
    if pc:
        pc_rows += 1
        q = by_postcode(pc)
        if q:
            pc_l[q] += 1
        else:
            unplaced.append(pc)
    if r["TenureDetail"].strip().lower() == "vacant" and (p or q):
        vac_placed += 1
        if decile.get(p or q) in (1, 2):
            vac_deprived += 1

def dec(c):
    return dict(sorted(Counter(str(decile.get(k, 0)) for k in c.elements()).items()))


out.update(
    point_rows=point_rows,
    point_placed=sum(point_l.values()),
    point_lsoa21=dict(sorted(point_l.items())),
    point_decile=dec(point_l),
    postcode_rows=pc_rows,
    postcode_placed=sum(pc_l.values()),
    postcode_lsoa21=dict(sorted(pc_l.items())),
    postcode_decile=dec(pc_l),
    postcode_unplaced=sorted(unplaced),
    vacant_placed=vac_placed,
    vacant_deciles_1_2=vac_deprived,
)
print(json.dumps(out, indent=1))
