#!/usr/bin/env python3
"""B1 (BENCHMARKS.md) in plain Python, standard library only: the slow, obvious reference.

Usage: bench/b1_stdlib.py DIR   -> the same lines as bench/b1, bench/b1_duckdb.py, bench/b1_pandas.py.
Written straight from the spec, row by row, to check the others on small inputs (it is used to
check the test fixtures' expected output, crates/bench/tests/fixtures/expected_b1.out).
"""
import csv
import datetime
import glob
import os
import re
import sys

AMOUNT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
SUFFIXES = ("LTD", "LIMITED", "PLC", "LLP")


def fy(d):
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", d):
        return "unknown"
    try:
        x = datetime.date(int(d[:4]), int(d[5:7]), int(d[8:]))
    except ValueError:
        return "unknown"
    return str(x.year - (x.month < 4))


def pence(a):
    a = a.replace(",", "").replace("£", "").strip(" ")
    if not AMOUNT.fullmatch(a):
        return None
    neg = a[0] == "-"
    i, _, f = a.lstrip("+-").partition(".")
    f += "000"
    p = int(i or 0) * 100 + int(f[:2]) + (f[2] >= "5")
    return -p if neg else p


def key(n):
    # Non-[A-Za-z0-9] runs become spaces *before* upper(), so only ASCII letters are upper-cased.
    k = re.sub("[^A-Za-z0-9]+", " ", n.replace("&", " AND ")).upper().strip()
    k = k[4:] if k.startswith("THE ") else k
    t = k.split(" ") if k else []
    while t and t[-1] in SUFFIXES:
        t.pop()
    return " ".join(t)


def main():
    groups = {}
    for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.csv"))):
        pub = os.path.basename(path)[: -len(".csv")]
        with open(path, newline="", encoding="utf-8-sig") as fh:
            for r in csv.DictReader(fh):
                g = groups.setdefault((pub, fy(r["payment_date"] or "")), [0, 0, 0, {}])
                g[0] += 1
                v = pence(r["amount"] or "")
                if v is None:
                    g[1] += 1
                    continue
                g[2] += v
                k = key(r["beneficiary_name"] or "")
                g[3][k] = g[3].get(k, 0) + v
    for (pub, y), (rows, rej, tot, sup) in sorted(groups.items()):
        pos = sorted(((t, k) for k, t in sup.items() if t > 0), key=lambda x: (-x[0], x[1]))
        allpos = sum(t for t, _ in pos)
        share = sum(t for t, _ in pos[:10]) / allpos if allpos else 0.0
        print(f"{pub},{y},{rows},{rej},{tot},{len(sup)},{share:.12f}")


if __name__ == "__main__":
    main()
