#!/usr/bin/env python3
"""GENERATED jobs pathway funnel events — synthetic people, stated assumptions.

No real funnel records exist for this project (they are personal data, and none may be used),
so `anchornet jobs funnel` is demonstrated on events GENERATED to the documented layout
(docs/employment.md, "Funnel events layout"): a Hospitality to Health and Care style programme
(after the Birmingham Anchor Network's Hospitality to Health pilot) run by the demo network's
three councils, which recruit care, catering, cleaning and reception staff. Python 3 standard
library only; deterministic (fixed seed). Every row says GENERATED in its `note` column.

usage: tools/generate_funnel.py OUT.csv

What is drawn from what (every figure below is an ASSUMPTION, not a measurement):
* referrals: 200 to Manchester City Council, 110 to Salford City Council, 30 to Trafford
  Council (small on purpose: shows suppression), referral dates uniform 1 April 2024 –
  30 June 2025; 5% of Manchester's and Salford's candidates are also referred to one other
  anchor (the same candidate id: two journeys).
* attrition, the same at every anchor: 65% of referrals are interviewed, 55% of interviews
  lead to an offer, 85% of offers to a start, 80% of starters are in post at six months.
* timing (days, rounded down): referral → interview 5 + exponential (mean 14); interview →
  offer 2 + exponential (mean 7); offer → start 14 + exponential (mean 28: pre-employment
  checks); the six-month check 182–196 days after the start.
* the data run to 31 December 2025 (run the funnel `--as-at 2025-12-31`): events after it are
  not written, so the latest journeys are still open.
* home postcode sector: of a live residential (usertype 0) postcode drawn from the ONS
  postcode directory (May 2022, bundled data/reference/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz),
  in the anchor's own district (70%) or another of the three (30%); sectors are weighted by
  their number of postcodes (postcodes stand in for residents).
* vacancy: a reference and one of eight entry-level roles, drawn uniformly.
* five rows are deliberately wrong (labelled in `note`) to show that they are reported: an
  unknown stage, a date that does not exist, a duplicate referral, an `in_post_6m` 120 days
  after the start (rejected) and a `started` whose `offered` was never recorded (kept, with a
  warning).
"""
import csv
import lzma
import os
import random
import sys
from datetime import date, timedelta

SEED = 2024
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = sys.argv[1]
rng = random.Random(SEED)

PROGRAMME = "Hospitality to Health and Care (demo)"
ANCHORS = [  # data/demo/anchornet.toml: name, district, referrals, code
    ("Manchester City Council", "E08000003", 200, "MCC"),
    ("Salford City Council", "E08000006", 110, "SCC"),
    ("Trafford Council", "E08000009", 30, "TC"),
]
RATES = [0.65, 0.55, 0.85, 0.80]  # interviewed, offered, started, in post at 6 months
FIRST, LAST = date(2024, 4, 1), date(2025, 6, 30)
AS_AT = date(2025, 12, 31)
ROLES = ["Care and support worker", "Catering assistant", "Kitchen assistant", "Cleaner",
         "Customer services advisor", "Receptionist", "Caretaker", "Home care assistant"]
NOTE = "GENERATED: synthetic person, not real data"

sectors = {d: [] for _, d, _, _ in ANCHORS}
with lzma.open(os.path.join(ROOT, "data/reference/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz"),
               "rt", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        if r["ladcd"] in sectors and not r["doterm"] and r["usertype"] == "0":
            out_code, inward = r["pcds"].split(" ")
            sectors[r["ladcd"]].append(f"{out_code} {inward[0]}")
for v in sectors.values():
    v.sort()


def home(district):
    if rng.random() < 0.7:
        return rng.choice(sectors[district])
    return rng.choice(sectors[rng.choice([d for d in sectors if d != district])])


def journey(anchor, cand, sector):
    """The events of one journey: [(stage, date)]."""
    name, district, _, code = anchor
    day = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1))
    vac = f"VAC-{code}-{rng.randrange(1, 400):03d}"
    role = rng.choice(ROLES)
    ev = [("referred", day)]
    steps = [("interviewed", 5, 14), ("offered", 2, 7), ("started", 14, 28)]
    for (stage, base, mean), p in zip(steps, RATES):
        if rng.random() >= p:
            break
        day = day + timedelta(days=base + int(rng.expovariate(1 / mean)))
        ev.append((stage, day))
    else:
        if rng.random() < RATES[3]:
            ev.append(("in_post_6m", day + timedelta(days=182 + rng.randrange(15))))
    return [dict(programme=PROGRAMME, anchor=name, candidate_id=cand, stage=s,
                 date=d.isoformat(), vacancy=f"{vac} {role}", home_sector=sector, note=NOTE)
            for s, d in ev if d <= AS_AT]


rows = []
n = 0
for a in ANCHORS:
    for _ in range(a[2]):
        n += 1
        cand = f"H2H-{n:04d}"
        sector = home(a[1])
        rows.extend(journey(a, cand, sector))
        if a[3] != "TC" and rng.random() < 0.05:
            other = rng.choice([b for b in ANCHORS if b is not a])
            rows.extend(journey(other, cand, sector))
rows.sort(key=lambda r: (r["date"], r["candidate_id"], r["anchor"]))


def broken(i, change, why):
    r = dict(rows[i])
    r.update(change)
    r["note"] = f"{NOTE}; deliberately wrong: {why}"
    return r


# The deliberately wrong rows, placed at fixed positions.
retained = {(r["anchor"], r["candidate_id"]) for r in rows if r["stage"] == "in_post_6m"}
started = [i for i, r in enumerate(rows)
           if r["stage"] == "started" and (r["anchor"], r["candidate_id"]) not in retained]
extra = [
    (100, broken(100, {"stage": "withdrew"}, "unknown stage")),
    (200, broken(200, {"date": "2025-02-30"}, "no such day")),
    (300, broken(300, {"stage": "referred"}, "a second referral of this candidate")),
]
s = rows[started[5]]
d = date.fromisoformat(s["date"]) + timedelta(days=120)
extra.append((started[5] + 1, broken(started[5], {"stage": "in_post_6m", "date": d.isoformat()},
                                     "in post at 6 months only 120 days after the start")))
for pos, r in sorted(extra, key=lambda x: -x[0]):
    rows.insert(pos, r)
# A start whose offer was never recorded: the offer row is removed.
s = [r for r in rows if r["stage"] == "started"][40]
gone = next(i for i, r in enumerate(rows) if r["stage"] == "offered"
            and (r["anchor"], r["candidate_id"]) == (s["anchor"], s["candidate_id"]))
del rows[gone]
s["note"] = f"{NOTE}; deliberately wrong: its offer was never recorded"

with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
print(f"{len(rows)} events, {n} candidates", file=sys.stderr)
