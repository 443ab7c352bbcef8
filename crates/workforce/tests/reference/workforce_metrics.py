#!/usr/bin/env python3
"""Independent reference for `anchornet workforce` (python3 standard library only).

usage: workforce_metrics.py EXTRACT.csv[.xz] YEAR DISTRICT_CODE[,DISTRICT_CODE…]

Reads the extract, the raw wage rates (data/workforce/uk_wage_rates.csv.xz), the ONS
postcode directory (data/reference/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz), the ONS
LSOA 2011→2021 lookup and the IoD 2025 deciles (data/reference/imd2025_england_lsoa21.csv.xz)
and prints workforce.csv as the product should write it, from the rules in
docs/employment.md — none of the product's code. Suppression: no figure from fewer than
10 people, and no hidden figure recoverable by subtraction, by the public or by an anchor
that knows its own figures (see the comment above the secondary rule). Postcodes whose 2011 LSOA split into
several 2021 LSOAs are not followed (the generated extracts contain none).
"""
import csv
import io
import lzma
import os
import re
import sys
from datetime import date
from fractions import Fraction

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../../.."))
path, year, districts = sys.argv[1], int(sys.argv[2]), set(sys.argv[3].split(","))
MIN = 10


def rows(p):
    op = lzma.open if p.endswith(".xz") else open
    with op(p, "rt", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


# Rates: NLW (or NMW) in force on 1 April, RLW (UK) on 1 May.
def in_force(kinds, on):
    best = None
    for r in rows(os.path.join(ROOT, "data/workforce/uk_wage_rates.csv.xz")):
        d = date.fromisoformat(r["effective_from"])
        if r["rate"] in kinds and r["area"] == "UK" and d <= on and (best is None or d > best[0]):
            best = (d, int(round(Fraction(r["hourly_gbp"]) * 100)), int(r["ages"].rstrip("+")))
    return best


_, nlw, nlw_age = in_force({"nmw", "nlw"}, date(year, 4, 1))
_, rlw, _ = in_force({"rlw"}, date(year, 5, 1))

ext = rows(path)
pcs = set(r["home_postcode"].strip().upper() for r in ext)
lsoa11, lad = {}, {}
for r in rows(os.path.join(ROOT, "data/reference/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz")):
    if r["pcds"] in pcs:
        lsoa11[r["pcds"]] = r["lsoa11cd"]
        lad[r["pcds"]] = r["ladcd"]
to21 = {}
for r in rows(os.path.join(ROOT, "data/reference/lookup_lsoa11_lsoa21_ltla22.csv.xz")):
    to21.setdefault(r["lsoa11_code"], set()).add(r["lsoa21_code"])
decile = {r["lsoa21_code"]: int(r["IMD_decile"]) for r in rows(os.path.join(ROOT, "data/reference/imd2025_england_lsoa21.csv.xz"))}

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")
SOC = re.compile(r"^[1-9][0-9]{3}$")


def valid(r):
    try:
        if not r["anchor"].strip():
            return False
        h = Fraction(r["weekly_hours"])
        if not (0 < h <= 100):
            return False
        pay = r["hourly_pay_gbp"] or r["annual_pay_gbp"]
        if Fraction(pay) <= 0:
            return False
        if r["soc2020"] and not SOC.match(r["soc2020"]):
            return False
        date.fromisoformat(r["start_date"])
        pc = r["home_postcode"].strip().upper()
        return bool(POSTCODE.match(pc) or re.match(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9]$", pc))
    except (ValueError, ZeroDivisionError):
        return False


def gap700(r, rate):
    h = int(Fraction(r["weekly_hours"]) * 100)
    if r["hourly_pay_gbp"]:
        p = int(Fraction(r["hourly_pay_gbp"]) * 100)
        return (rate - p) * h * 365 if p < rate else None
    a = int(Fraction(r["annual_pay_gbp"]) * 100)
    g = rate * h * 365 - 700 * a
    return g if g > 0 else None


KEYS = ["staff", "placed", "in_place", "with_decile", "deprived", "below_rlw", "gap_rlw", "nlw_compared",
        "below_nlw", "gap_nlw", "hires", "hires_with_decile", "hires_deprived"]
scopes = {}
read = accepted = 0
for r in ext:
    read += 1
    if not valid(r):
        continue
    accepted += 1
    c = dict.fromkeys(KEYS, 0)
    c["staff"] = 1
    pc = r["home_postcode"].strip().upper()
    d = None
    if pc in lsoa11:
        c["placed"] = 1
        c["in_place"] = int(lad[pc] in districts)
        l21 = to21.get(lsoa11[pc], set())
        if len(l21) == 1:
            d = decile.get(next(iter(l21)))
    if d is not None:
        c["with_decile"] = 1
        c["deprived"] = int(d <= 2)
    g = gap700(r, rlw)
    if g is not None:
        c["below_rlw"], c["gap_rlw"] = 1, g
    m = re.search(r"\d+", r["age_band"] or "")
    if not m or int(m.group()) >= nlw_age:
        c["nlw_compared"] = 1
        g = gap700(r, nlw)
        if g is not None:
            c["below_nlw"], c["gap_nlw"] = 1, g
    s = date.fromisoformat(r["start_date"])
    if date(year, 4, 1) <= s <= date(year + 1, 3, 31):
        c["hires"], c["hires_with_decile"], c["hires_deprived"] = 1, c["with_decile"], c["deprived"]
    for scope in (r["anchor"].strip(), "~network"):
        t = scopes.setdefault(scope, dict.fromkeys(KEYS, 0))
        for k in KEYS:
            t[k] += c[k]


def pct(n, d):
    return "" if d == 0 else f"{100.0 * n / d:.2f}"


def gbp(v):
    pence = (v + 350) // 700
    return f"{pence // 100}.{pence % 100:02d}"


def cols(c):
    met = "" if c["hires_with_decile"] == 0 else ("yes" if c["hires_deprived"] >= 0.10 * c["hires_with_decile"] else "no")
    return [
        (str(c["staff"]), c["staff"]), (str(c["placed"]), c["placed"]), (pct(c["in_place"], c["placed"]), c["placed"]),
        (str(c["with_decile"]), c["with_decile"]), (pct(c["deprived"], c["with_decile"]), c["with_decile"]),
        (pct(c["below_rlw"], c["staff"]), c["staff"]), (gbp(c["gap_rlw"]), c["below_rlw"] or c["staff"]),
        (str(c["nlw_compared"]), c["nlw_compared"]), (pct(c["below_nlw"], c["nlw_compared"]), c["nlw_compared"]),
        (gbp(c["gap_nlw"]), c["below_nlw"] or c["nlw_compared"]), (str(c["hires"]), c["hires"]),
        (str(c["hires_with_decile"]), c["hires_with_decile"]),
        (pct(c["hires_deprived"], c["hires_with_decile"]), c["hires_with_decile"]), (met, c["hires_with_decile"]),
    ]


names = sorted(scopes)  # "~network" sorts last
table = [cols(scopes[n]) for n in names]
hidden = [[base < MIN for _, base in row] for row in table]
anchors = len(names) - 1
# Secondary suppression, written from the subtraction attack rather than as a search: the
# network's cell is the sum of the anchors'; with exactly one anchor hidden, the network
# minus the others gives it away to anyone; with two, either anchor (knowing its own figure)
# gets the other's. So the network's cell is hidden then too. With three or more hidden no
# one learns any single one. (A network base under 10 makes every anchor's base under 10.)
for k in range(len(table[0])):
    n_hidden = sum(hidden[i][k] for i in range(anchors))
    if n_hidden in (1, 2):
        hidden[-1][k] = True
out = io.StringIO()
w = csv.writer(out, lineterminator="\n")
w.writerow(["scope", "staff", "placed", "living_in_place_pct", "placed_in_england", "in_deprived_deciles_1_2_pct",
            "below_real_living_wage_pct", "gap_to_real_living_wage_gbp_per_year", "compared_with_nlw",
            "below_national_living_wage_pct", "gap_to_national_living_wage_gbp_per_year", "new_hires",
            "new_hires_placed_in_england", "new_hires_from_deprived_pct", "new_hires_target_met"])
for n, row, hid in zip(names, table, hidden):
    w.writerow(["network" if n == "~network" else n] + ["[c]" if h else v for (v, _), h in zip(row, hid)])
sys.stdout.write(out.getvalue())
print(f"rows read {read}, accepted {accepted}, NLW {nlw}p (age {nlw_age}+), RLW {rlw}p", file=sys.stderr)
