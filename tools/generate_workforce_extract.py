#!/usr/bin/env python3
"""GENERATED workforce extracts for the demo network — synthetic people, real distributions.

No real personal data exists for this project (and none may be used), so the workforce
metrics are demonstrated on extracts GENERATED to the documented layout (docs/employment.md)
from official distributions. Python 3 standard library only; deterministic (fixed seed).

usage: tools/generate_workforce_extract.py SHARED_DATA_DIR OUT.csv

What is drawn from what (assumptions marked ASSUMPTION; see docs/employment.md):
* occupation: a SOC 2020 unit group, weighted by ASHE 2023 (provisional) Table 14 number of
  jobs (all employees, hourly file `workforce/ashe_table14_2023p_hourly_ftpt.csv`) — the
  national mix (ASSUMPTION: not a council's own mix); job title = the unit group's first ONS
  related job title (bundled data/workforce/soc2020_unit_groups.csv.xz).
* hourly pay: a uniform draw between the occupation's 10th and 90th ASHE 2023 percentiles,
  linearly interpolated between the published percentiles (10,20,25,30,40,50,60,70,75,80,90);
  a unit group whose percentiles are suppressed (`x`) uses its minor, sub-major or major group.
  (ASSUMPTION: the tails below the 10th and above the 90th percentile are not drawn, so the
  share below the NLW is understated.)
* hours: full time 37.5 h (70%), else one of 16, 20, 22.5, 25, 30 h (ASSUMPTION); half of the
  rows give hourly pay, half annual pay = hourly × hours × 365/7 rounded to the penny.
* home: a live, residential (usertype 0) postcode from the ONS postcode directory (May 2022,
  bundled data/reference/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz), 70% in the anchor's own
  district, 20% in another Greater Manchester district, 10% in Cheshire East, Warrington or
  Blackburn with Darwen (ASSUMPTION); only postcodes whose 2011 LSOA
  maps to one 2021 LSOA (change code U or M) so the independent check can follow it without
  boundaries; 5% of rows give only the postcode sector.
* start date: uniform 1 April 2008 – 31 March 2024, except 12% started in 2023/24 (ASSUMPTION);
  age band, contract and sex drawn from fixed shares (ASSUMPTION); sex is an optional
  equality field that nothing uses.
* six rows are deliberately invalid (labelled in `note`) to show that bad rows are reported.
"""
import csv
import lzma
import os
import random
import sys
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

SEED = 2023
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared, out = sys.argv[1], sys.argv[2]
rng = random.Random(SEED)

ANCHORS = [  # demo network (data/demo/anchornet.toml): name, district, staff
    ("Manchester City Council", "E08000003", 600),
    ("Salford City Council", "E08000006", 300),
    ("Trafford Council", "E08000009", 9),  # small on purpose: shows suppression
]
GM = ["E08000001", "E08000002", "E08000003", "E08000004", "E08000005",
      "E08000006", "E08000007", "E08000008", "E08000009", "E08000010"]
FURTHER = ["E06000049", "E06000007", "E06000008"]
PCTS = ["10", "20", "25", "30", "40", "Median", "60", "70", "75", "80", "90"]
QS = [0.10, 0.20, 0.25, 0.30, 0.40, 0.50, 0.60, 0.70, 0.75, 0.80, 0.90]

# --- occupations and pay ----------------------------------------------------------------
ashe = {}
order = []
with open(os.path.join(shared, "workforce/ashe_table14_2023p_hourly_ftpt.csv"), encoding="utf-8") as f:
    for r in csv.DictReader(f):
        code = r["Code"].strip()
        ashe[code] = r
        if len(code) == 4 and code.isdigit():
            order.append(code)


def pcts(code):
    for c in (code, code[:3], code[:2], code[:1]):
        r = ashe.get(c)
        if r:
            try:
                return [float(r[p]) for p in PCTS]
            except ValueError:
                continue
    return None


def jobs(code):
    try:
        return float(ashe[code]["No_jobs"])
    except (KeyError, ValueError):
        return 0.0


titles = {}
with lzma.open(os.path.join(ROOT, "data/workforce/soc2020_unit_groups.csv.xz"), "rt", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        titles[r["unit_group_code"]] = r["related_job_titles"].split(" | ")[0]
codes = [c for c in order if jobs(c) > 0 and pcts(c) and c in titles]
weights = [jobs(c) for c in codes]


def hourly(code):
    p = pcts(code)
    u = rng.uniform(0.10, 0.90)
    for i in range(len(QS) - 1):
        if QS[i] <= u <= QS[i + 1]:
            t = (u - QS[i]) / (QS[i + 1] - QS[i])
            return Decimal(str(p[i] + t * (p[i + 1] - p[i]))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Decimal(str(p[-1]))


# --- postcodes --------------------------------------------------------------------------
one_to_one = set()
with lzma.open(os.path.join(ROOT, "data/reference/lookup_lsoa11_lsoa21_ltla22.csv.xz"), "rt", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        if r["change_code"] in ("U", "M"):
            one_to_one.add(r["lsoa11_code"])
want = set(GM) | set(FURTHER)
by_lad = {}
with lzma.open(os.path.join(ROOT, "data/reference/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz"), "rt", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        if r["ladcd"] in want and not r["doterm"] and r["usertype"] == "0" and r["lsoa11cd"] in one_to_one:
            by_lad.setdefault(r["ladcd"], []).append(r["pcds"])
for k in by_lad:
    by_lad[k].sort()


def home(own):
    u = rng.random()
    if u < 0.70:
        lad = own
    elif u < 0.90:
        lad = rng.choice([d for d in GM if d != own])
    else:
        lad = rng.choice(FURTHER)
    pc = rng.choice(by_lad[lad])
    if rng.random() < 0.05:
        out, inward = pc.split(" ")
        return f"{out} {inward[0]}"
    return pc


def start():
    if rng.random() < 0.12:
        a, b = date(2023, 4, 1), date(2024, 3, 31)
    else:
        a, b = date(2008, 4, 1), date(2024, 3, 31)
    return a + timedelta(days=rng.randint(0, (b - a).days))


AGES = (["18-20", "21-24", "25-34", "35-44", "45-54", "55-64", "65+"],
        [3, 7, 22, 24, 23, 18, 3])
CONTRACTS = (["Permanent", "Fixed term", "Bank"], [85, 10, 5])

rows = []
for anchor, lad, n in ANCHORS:
    for _ in range(n):
        code = rng.choices(codes, weights)[0]
        h = hourly(code)
        hours = Decimal("37.5") if rng.random() < 0.70 else Decimal(rng.choice(["16", "20", "22.5", "25", "30"]))
        annual = ""
        hourly_txt = ""
        if rng.random() < 0.5:
            hourly_txt = f"{h}"
        else:
            annual = f"{(h * hours * 365 / 7).quantize(Decimal('0.01'), ROUND_HALF_UP)}"
        rows.append({
            "anchor": anchor,
            "home_postcode": home(lad),
            "hourly_pay_gbp": hourly_txt,
            "annual_pay_gbp": annual,
            "weekly_hours": f"{hours}",
            "contract_type": rng.choices(*CONTRACTS)[0],
            "soc2020": code,
            "job_title": titles[code],
            "band": "",
            "start_date": start().isoformat(),
            "age_band": rng.choices(*AGES)[0],
            "sex": rng.choice(["Female", "Male"]),
            "note": "GENERATED: synthetic person, not real staff",
        })

bad = [
    ("home_postcode", "ZZ99 9ZZ9", "invalid postcode"),
    ("hourly_pay_gbp", "twelve", "pay not a number"),
    ("weekly_hours", "0", "zero hours"),
    ("soc2020", "613", "SOC code of three digits"),
    ("start_date", "31/02/2023", "impossible date"),
    ("anchor", "", "no anchor"),
]
for i, (col, val, why) in enumerate(bad):
    r = dict(rows[i * 7])
    r[col] = val
    if col == "hourly_pay_gbp":
        r["annual_pay_gbp"] = ""
    r["note"] = f"GENERATED: deliberately invalid row ({why})"
    rows.insert(i * 50 + 3, r)

with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
print(f"{out}: {len(rows)} rows ({len(bad)} deliberately invalid)", file=sys.stderr)
