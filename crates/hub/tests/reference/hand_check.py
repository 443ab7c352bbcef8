#!/usr/bin/env python3
"""Draw the matching hand check (Python standard library only).

  hand_check.py MATCHES.CSV SEED [N] [SPEND_DIR]

MATCHES.CSV is what `anchornet hub match --network data/demo/anchornet.toml --anchors-only
--out matches.csv` writes. The draw: the distinct opportunities (`ocid`) that have a match, in
the file's order, then `random.Random(SEED).sample(them, N)` (N = 20). For each drawn
opportunity it prints the title, CPV codes, the top match with its score and reasons, and —
for judging — the categories under which the demo network's raw payment files (SPEND_DIR,
default data/demo/spend) pay a supplier of the same name words (case, punctuation, `ltd` /
`limited` aside), largest first.

To compare a new matcher on the same opportunities, pass the same seed to its matches.csv and
`--ocids FILE` (one ocid a line, from the earlier draw): those opportunities are printed
whether or not they now have a match ("no match").
"""
import collections
import csv
import glob
import io
import lzma
import os
import random
import re
import sys

SUFFIX = {"ltd", "limited", "plc", "llp", "the"}


def key(name):
    return tuple(w for w in re.findall(r"[a-z0-9]+", name.lower().replace("&", " and ")) if w not in SUFFIX)


def spend(dirname):
    """name words → Counter(category → pounds), from the raw demo payment files."""
    out = collections.defaultdict(collections.Counter)
    for f in sorted(glob.glob(os.path.join(dirname, "*", "*.csv.xz"))):
        with lzma.open(f, "rt", encoding="utf-8-sig", errors="replace") as h:
            for row in csv.DictReader(h):
                name = row.get("Vendor Name") or row.get("Supplier Name") or row.get("BeneficiaryName") or ""
                cat = row.get("GL Description") or row.get("Expenses Type") or row.get("ProclassLabel") or ""
                amt = row.get("Net") or row.get("Net Amount") or row.get("Amount") or "0"
                try:
                    a = float(amt.replace(",", "").replace("£", ""))
                except ValueError:
                    continue
                if name and cat:
                    out[key(name)][cat] += a
    return out


def main():
    args = [a for a in sys.argv[1:]]
    ocids_file = None
    if "--ocids" in args:
        i = args.index("--ocids")
        ocids_file = args[i + 1]
        del args[i : i + 2]
    path, seed = args[0], int(args[1])
    n = int(args[2]) if len(args) > 2 else 20
    spend_dir = args[3] if len(args) > 3 else "data/demo/spend"
    rows = list(csv.DictReader(open(path, encoding="utf-8-sig")))
    by = collections.OrderedDict()
    for r in rows:
        by.setdefault(r["ocid"], []).append(r)
    if ocids_file:
        drawn = [l.strip() for l in open(ocids_file) if l.strip()]
    else:
        drawn = random.Random(seed).sample(list(by), n)
    paid = spend(spend_dir)
    for o in drawn:
        ms = by.get(o)
        if not ms:
            print(f"== {o}\n   no match\n")
            continue
        top = ms[0]
        print(f"== {o} | {top['title']} | cpv {top['cpv']}")
        print(f"   top: {top['supplier']} ({top['score']}) — {top['reasons']}")
        cats = paid.get(key(top["supplier"]), collections.Counter())
        print("   paid under: " + "; ".join(f"{c} £{v:,.0f}" for c, v in cats.most_common(6)))
        print()


if __name__ == "__main__":
    main()
