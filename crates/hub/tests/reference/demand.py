#!/usr/bin/env python3
"""Independent reference for `anchornet hub demand` (standard library only).

Reads the `analysis.json` that `anchornet analyse --out DIR` writes for a network and
recomputes, from the rules written in docs/hub.md ("Aggregated demand") and not from the
Rust code, the collaboration candidates: each anchor's latest full financial year (the year
with the most months of payments, the latest on a tie), its categories' leaked pence
(`local.known - local.matched`), grouped across anchors by the category's content words,
kept where at least MIN_ANCHORS anchors leak spend, and the lots for small (turnover
£15m / 2) and micro (£1m / 2) businesses.

usage: demand.py analysis.json [MIN_ANCHORS] [--with-unlocated]
(--with-unlocated: pool leaked + not-located pence, `base - known`, instead of leaked)
prints CSV: key,anchors,leaked_pence,influenceable_pence,local_pence,lots_small,lots_micro
largest leak first (ties by key).
"""
import csv
import json
import sys

# The generic words the hub's matcher leaves out (crates/hub/src/matching.rs, STOP): the
# rule docs/hub.md states for "the same thing".
STOP = set(
    """a an and the of for to in on with by at or from services service works work supplies
    supply products general other related various equipment costs cost contract contracts
    provision council framework lot expenses expenditure payments fees charges misc
    miscellaneous city non external internal etc""".split()
)
SMALL_CEILING = 1_500_000_000 // 2  # pence: £15m small-company turnover / 2
MICRO_CEILING = 100_000_000 // 2  # pence: £1m micro-entity turnover / 2


def words(s):
    s = s.replace("&", " and ")
    out, cur = [], ""
    for ch in s:
        if ch.isalnum():
            cur += ch
        else:
            if cur:
                out.append(cur.lower())
            cur = ""
    if cur:
        out.append(cur.lower())
    return out


def content_words(s):
    out = []
    for w in words(s):
        if len(w) < 3 or w.isdigit() or w in STOP:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        if w not in STOP and w not in out:
            out.append(w)
    return out


def fy_start(fy):
    return int(fy.split("/")[0])


def main():
    a = json.load(open(sys.argv[1], encoding="utf-8"))
    args = [x for x in sys.argv[2:] if x != "--with-unlocated"]
    unlocated = "--with-unlocated" in sys.argv[2:]
    min_anchors = int(args[0]) if args else 2
    best = {}
    for y in a["years"]:
        for ay in y["anchors"]:
            cand = (len(ay["months"]), fy_start(y["fy"]))
            if ay["anchor"] not in best or cand > best[ay["anchor"]][0]:
                best[ay["anchor"]] = (cand, y["fy"])
    taken = {k: v[1] for k, v in best.items()}
    groups = {}
    for c in a["categories"]:
        scope, fy = c["scope"], c["fy"]
        if scope == "network" or taken.get(scope) != fy or c["category"] == "Uncategorised":
            continue
        key = " ".join(sorted(content_words(c["category"])))
        loc = c["figures"]["local"]
        leaked = loc["known"] - loc["matched"]
        pooled = leaked + (loc["base"] - loc["known"] if unlocated else 0)
        if not key or pooled <= 0:
            continue
        g = groups.setdefault(key, {})
        p = g.setdefault(scope, [0, 0, 0, 0])
        p[0] += leaked
        p[1] += loc["base"]
        p[2] += loc["matched"]
        p[3] += pooled
    rows = []
    for key, g in groups.items():
        if len(g) < max(min_anchors, 1):
            continue
        leaked = sum(p[0] for p in g.values())
        pooled = sum(p[3] for p in g.values())
        lots = lambda ceiling: max(1, -(-pooled // ceiling)) if pooled > 0 else 1
        rows.append(
            (
                key,
                len(g),
                leaked,
                sum(p[1] for p in g.values()),
                sum(p[2] for p in g.values()),
                pooled,
                lots(SMALL_CEILING),
                lots(MICRO_CEILING),
            )
        )
    rows.sort(key=lambda r: (-r[5], r[0]))
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["key", "anchors", "leaked_pence", "influenceable_pence", "local_pence", "pooled_pence", "lots_small", "lots_micro"])
    w.writerows(rows)


if __name__ == "__main__":
    main()
