#!/usr/bin/env python3
"""GENERATED candidate profiles for the jobs pathway — synthetic people, real distributions.

No real personal data exists for this project (and none may be used), so `anchornet jobs match`
is demonstrated on candidate profiles GENERATED to the documented layout (docs/employment.md,
"Candidate profiles") from official distributions: residents of Birmingham working in
hospitality (the Birmingham Anchor Network's Hospitality to Health pilot). Python 3 standard
library only; deterministic (fixed seed).

usage: tools/generate_candidates.py SHARED_DATA_DIR OUT.csv [N]

What is drawn from what (assumptions marked ASSUMPTION; see docs/employment.md):
* current occupation: one of the hospitality unit groups of SOC 2020 (HOSPITALITY below: ONS
  minor groups 122 and 543, unit groups 9261–9265 and the hotel ones 4216, 6240, 9223, 9269 —
  ASSUMPTION: which groups count as hospitality), weighted by ASHE 2023 (provisional) Table 14
  number of jobs (`workforce/ashe_table14_2023p_hourly_ftpt.csv`); written as one of the
  group's ONS related job titles (bundled data/workforce/soc2020_unit_groups.csv.xz), drawn
  uniformly.
* previous occupations: none (50%), one (35%) or two (15%) (ASSUMPTION), each a unit group drawn
  from the whole national mix by ASHE job counts, written as an ONS related title.
* skills in the person's words: none (40%), else one or two of the ONS tasks of their current
  unit group, shortened to the task's first clause (ASSUMPTION: people describe their skills
  as the tasks they did).
* home: the postcode sector of a live residential (usertype 0) postcode drawn from the ONS
  postcode directory (May 2022, bundled data/reference/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz)
  in Birmingham (E08000025), so sectors are weighted by their number of postcodes (ASSUMPTION:
  postcodes stand in for residents).
* hours wanted: full time (37.5) with the occupation's full-time share of jobs in ASHE 2023
  (full-time jobs in `ashe_table14_2023p_hourly_ft.csv` over all jobs), else one of 16, 20,
  24 or 30 (ASSUMPTION).
* two rows are deliberately invalid (labelled in `note`) to show that bad rows are reported.
"""
import csv
import lzma
import os
import random
import sys

SEED = 2020
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared, out = sys.argv[1], sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 200
rng = random.Random(SEED)
BIRMINGHAM = "E08000025"
HOSPITALITY = ["1221", "1222", "4216", "5434", "5435", "5436", "6240", "9223",
               "9261", "9263", "9264", "9265", "9269"]


def ashe_jobs(name):
    out = {}
    with open(os.path.join(shared, "workforce", name), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            try:
                out[r["Code"].strip()] = float(r["No_jobs"])
            except ValueError:
                pass
    return out


all_jobs = ashe_jobs("ashe_table14_2023p_hourly_ftpt.csv")
ft_jobs = ashe_jobs("ashe_table14_2023p_hourly_ft.csv")

groups = {}
with lzma.open(os.path.join(ROOT, "data/workforce/soc2020_unit_groups.csv.xz"), "rt", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        groups[r["unit_group_code"]] = (r["related_job_titles"].split(" | "), r["tasks"].split(" | "))

hosp = [c for c in HOSPITALITY if all_jobs.get(c, 0) > 0]
hosp_w = [all_jobs[c] for c in hosp]
national = sorted(c for c in groups if all_jobs.get(c, 0) > 0)
national_w = [all_jobs[c] for c in national]

sectors = []
with lzma.open(os.path.join(ROOT, "data/reference/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz"), "rt", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        if r["ladcd"] == BIRMINGHAM and not r["doterm"] and r["usertype"] == "0":
            out_code, inward = r["pcds"].split(" ")
            sectors.append(f"{out_code} {inward[0]}")
sectors.sort()


def title(code):
    return rng.choice(groups[code][0])


def first_clause(task):
    t = task.split(",")[0].split(";")[0].strip().rstrip(".")
    return t


rows = []
for i in range(N):
    code = rng.choices(hosp, hosp_w)[0]
    u = rng.random()
    n_prev = 0 if u < 0.50 else 1 if u < 0.85 else 2
    prev = [title(rng.choices(national, national_w)[0]) for _ in range(n_prev)]
    u = rng.random()
    n_sk = 0 if u < 0.40 else rng.choice([1, 2])
    skills = [first_clause(t) for t in rng.sample(groups[code][1], min(n_sk, len(groups[code][1])))]
    ft_share = ft_jobs.get(code, 0) / all_jobs[code]
    hours = "37.5" if rng.random() < ft_share else rng.choice(["16", "20", "24", "30"])
    rows.append({
        "candidate_id": f"G{i + 1:04d}",
        "current_occupation": title(code),
        "previous_occupations": "; ".join(prev),
        "skills": "; ".join(skills),
        "home_sector": rng.choice(sectors),
        "hours_wanted": hours,
        "note": "GENERATED: synthetic person, not a real candidate",
    })

bad = [
    ("current_occupation", "", "no current occupation"),
    ("home_sector", "B99", "not a postcode sector"),
]
for i, (col, val, why) in enumerate(bad):
    r = dict(rows[i * 11])
    r["candidate_id"] = f"G9{i + 1:03d}"
    r[col] = val
    r["note"] = f"GENERATED: deliberately invalid row ({why})"
    rows.insert(i * 40 + 5, r)

with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
print(f"{out}: {len(rows)} rows ({len(bad)} deliberately invalid)", file=sys.stderr)
