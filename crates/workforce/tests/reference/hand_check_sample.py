#!/usr/bin/env python3
"""Draw the hand-check sample of NHS Jobs titles (python3 standard library only).

usage: hand_check_sample.py NHS_JOBS.csv.xz CODED.csv

Draws 200 data rows of the NHS Jobs 2020 sample (../shared/data/workforce/
nhs_jobs_vacancies_2020_sample.csv.xz) at random with a fixed seed, and prints for each the
row number (1 = first data row after the header), the code `anchornet jobs code` gave it
(CODED.csv, the same file coded with --column title), and the title, for a person to judge
against the SOC 2020 descriptions. The titles are printed, not stored: the file's licence is
unknown, so docs/employment.md keeps only row numbers, codes and verdicts.
"""
import csv
import lzma
import random
import sys

SEED = 20201106  # the NHS Jobs scrape date, fixed before any coding was looked at
N = 200

src, coded = sys.argv[1], sys.argv[2]
with lzma.open(src, "rt", encoding="utf-8", newline="") as f:
    titles = [r["title"] for r in csv.DictReader(f)]
with open(coded, encoding="utf-8", newline="") as f:
    codes = [(r["soc2020"], r["confidence"]) for r in csv.DictReader(f)]
assert len(codes) == len(titles), (len(codes), len(titles))
rows = sorted(random.Random(SEED).sample(range(1, len(titles) + 1), N))
w = csv.writer(sys.stdout)
w.writerow(["row", "soc2020", "confidence", "title"])
for r in rows:
    w.writerow([r, codes[r - 1][0], codes[r - 1][1], titles[r - 1]])
