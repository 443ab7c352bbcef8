#!/usr/bin/env python3
"""B3 baseline: exact normalised key. Names whose key is equal are one cluster.

Usage: b3_baseline.py NAMES.csv OUT.csv

Key: lower case, `&` -> `and`, punctuation and spaces removed, and the words ltd,
limited, plc, llp and the removed (the README's third reference row).
"""
import csv
import re
import sys

LEGAL = re.compile(r"\b(ltd|limited|plc|llp|the)\b")


def key(s: str) -> str:
    s = s.lower().replace("&", " and ")
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    s = LEGAL.sub(" ", s)
    return "".join(s.split())


def main() -> None:
    src, out = sys.argv[1], sys.argv[2]
    with open(src, newline="", encoding="utf-8") as f, open(out, "w", newline="", encoding="utf-8") as g:
        w = csv.writer(g)
        w.writerow(["name", "cluster_id"])
        seen = set()
        for row in csv.DictReader(f):
            n = row["name"].strip()
            if n and n not in seen:
                seen.add(n)
                w.writerow([n, key(n) or n])


if __name__ == "__main__":
    main()
