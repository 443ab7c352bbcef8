#!/usr/bin/env python3
"""Draw the hand-check sample of the SOC 2020 <-> ESCO crosswalk (python standard library).

usage: crosswalk_sample.py CROSSWALK.csv   (the output of `anchornet jobs crosswalk`)

Prints 60 rows drawn at random with a fixed seed (20201207), in file order: row number, ESCO
label, the unit group given, method and score. The verdicts are in
docs/employment-crosswalk-hand-check.md.
"""
import csv
import random
import sys

rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
pick = sorted(random.Random(20201207).sample(range(len(rows)), 60))
for i in pick:
    r = rows[i]
    print(f"{i + 2}|{r['esco_label']}|{r['soc2020']} {r['soc2020_title']}|{r['method']}|{r['score']}")
