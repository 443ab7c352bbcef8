#!/usr/bin/env python3
"""Independent reference for `anchornet jobs funnel` (python3 standard library only).

usage: funnel_reference.py EVENTS.csv[.xz] AS_AT

Reads funnel events in the layout's plain column names (programme, anchor, candidate_id,
stage, date; the GENERATED demo file uses them) and prints funnel.csv as the product should
write it, from the rules in docs/methodology/jobs-funnel.md — none of the product's code:

* a row is rejected when a required value is missing, the candidate id is not one word with
  a digit, the stage is not one of the five names, the date is not an ISO date or is after
  AS_AT; then per journey (programme, anchor, candidate): a second event at a stage is
  rejected (the first in the file kept), and an in_post_6m fewer than 182 days after the
  journey's started is rejected;
* a journey reaches every stage up to its latest event; it is due at six months when it
  reached in_post_6m, or started at least 182 days before AS_AT;
* suppression, written from the subtraction attack rather than as a search: in each count
  column of each programme, an anchor's count is hidden when under 10; the programme total
  (the sum of its anchors) is hidden when it, or the number of distinct people in it, is
  under 10 — and also when exactly one or two of its anchors are hidden: with one, the
  total minus the others gives it away to anyone; with two, either anchor (knowing its own
  figure) gets the other's. With three or more hidden, no one learns any single one, so
  the total stays. (The case of a total hidden for too few distinct people while an anchor
  is shown would need more; the script stops if it meets it.)
* conversions (tenths of a percent, rounded half up) only where both counts are shown;
  medians (in half days) only from 10 or more journeys with both dates, in order.

Also prints to stderr the counts of rows read, accepted and rejected.
"""
import csv
import io
import lzma
import sys
from datetime import date

path, as_at = sys.argv[1], date.fromisoformat(sys.argv[2])
STAGES = ["referred", "interviewed", "offered", "started", "in_post_6m"]
MIN = 10

op = lzma.open if path.endswith(".xz") else open
with op(path, "rt", encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))

events = []  # (line, programme, anchor, candidate, stage index, date)
rejected = 0
for n, r in enumerate(rows, start=2):
    prog, anchor, cand = r["programme"].strip(), r["anchor"].strip(), r["candidate_id"].strip()
    stage = r["stage"].strip()
    try:
        d = date.fromisoformat(r["date"].strip())
    except ValueError:
        d = None
    ok = (prog and anchor and cand and not any(c.isspace() for c in cand)
          and any(c.isdigit() for c in cand) and stage in STAGES and d is not None and d <= as_at)
    if not ok:
        rejected += 1
        continue
    events.append((n, prog, anchor, cand, STAGES.index(stage), d))

journeys = {}
for e in events:
    journeys.setdefault(e[1:4], []).append(e)
kept = {}
for k, evs in journeys.items():
    first = {}
    for e in sorted(evs):
        if e[4] in first:
            rejected += 1
        else:
            first[e[4]] = e[5]
    if 3 in first and 4 in first and (first[4] - first[3]).days < 182:
        rejected += 1
        del first[4]
    kept[k] = first
print(f"rows {len(rows)} accepted {len(rows) - rejected} rejected {rejected}", file=sys.stderr)

INTERVALS = [(0, 1), (1, 2), (2, 3), (0, 3)]


def empty():
    return {"n": [0] * 6, "people": [set() for _ in range(6)], "days": [[] for _ in INTERVALS]}


by = {}
for (prog, anchor, cand), dates in kept.items():
    top = max(dates)
    for cell in (by.setdefault(prog, {}).setdefault(anchor, empty()),
                 by[prog].setdefault(None, empty())):
        for s in range(top + 1):
            col = s if s < 4 else 5
            cell["n"][col] += 1
            cell["people"][col].add(cand)
        due = top == 4 or (3 in dates and (as_at - dates[3]).days >= 182)
        if due:
            cell["n"][4] += 1
            cell["people"][4].add(cand)
        for k, (a, b) in enumerate(INTERVALS):
            if a in dates and b in dates and dates[b] >= dates[a]:
                cell["days"][k].append((dates[b] - dates[a]).days)


def median_halves(v):
    v = sorted(v)
    m = len(v) // 2
    return 2 * v[m] if len(v) % 2 else v[m - 1] + v[m]


def halves(h):
    return str(h // 2) if h % 2 == 0 else f"{h // 2}.5"


out = io.StringIO()
w = csv.writer(out, lineterminator="\n")
w.writerow(["programme", "anchor", "referred", "interviewed", "offered", "started",
            "started_182_days_before_as_at", "in_post_6m", "interviewed_of_referred_pct",
            "offered_of_interviewed_pct", "started_of_offered_pct", "in_post_6m_of_due_pct",
            "started_of_referred_pct", "median_days_referred_to_interviewed",
            "median_days_interviewed_to_offered", "median_days_offered_to_started",
            "median_days_referred_to_started"])
for prog in sorted(by):
    anchors = sorted(a for a in by[prog] if a is not None)
    hidden = {a: [by[prog][a]["n"][k] < MIN for k in range(6)] for a in anchors}
    total = by[prog][None]
    hidden[None] = []
    for k in range(6):
        small = total["n"][k] < MIN or len(total["people"][k]) < MIN
        n_hidden = sum(hidden[a][k] for a in anchors)
        if small and n_hidden < len(anchors):
            sys.exit(f"{prog} column {k}: a small total with an anchor shown: not covered")
        hidden[None].append(small or n_hidden in (1, 2))
    for a in anchors + [None]:
        c, h = by[prog][a], hidden[a]
        shown = [None if h[k] else c["n"][k] for k in range(6)]
        row = [prog, a if a is not None else "all anchors"]
        row += ["[c]" if x is None else str(x) for x in shown]
        for num, den in [(1, 0), (2, 1), (3, 2), (5, 4), (3, 0)]:
            if shown[num] is None or shown[den] is None:
                row.append("[c]")
            elif shown[den] == 0:
                row.append("")
            else:
                t = (2000 * shown[num] + shown[den]) // (2 * shown[den])
                row.append(f"{t // 10}.{t % 10}")
        for days in c["days"]:
            row.append("[c]" if len(days) < MIN else halves(median_halves(days)))
        w.writerow(row)
sys.stdout.write(out.getvalue())
