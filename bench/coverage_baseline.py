#!/usr/bin/env python3
"""Exact normalised-name matching: the baseline the supplier register must beat (issue 15).

Usage: coverage_baseline.py SPEND.csv[.xz][,SPEND…] REGISTER.csv[.xz][,REGISTER…] [--name-column COL]

Several spend files or registers are joined by commas (a network's anchors and its lists).

Reads a processed ODI Leeds spend file (columns amount, beneficiary_name) and a register
(a Companies House BasicCompanyData file: CompanyName; a business-rates list: Ratepayer) and
prints the share of positive spend whose payee's key equals a register name's key. The key is
B3's exact baseline key (bench/b3_baseline.py): lower case, `&` -> `and`, punctuation and
spaces removed, the words ltd, limited, plc, llp and the removed. Standard library only.
"""
import csv
import lzma
import re
import sys

LEGAL = re.compile(r"\b(ltd|limited|plc|llp|the)\b")


def key(s: str) -> str:
    s = s.lower().replace("&", " and ")
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    s = LEGAL.sub(" ", s)
    return "".join(s.split())


def rows(path):
    op = lzma.open if path.endswith(".xz") else open
    with op(path, "rt", newline="", encoding="utf-8-sig", errors="replace") as f:
        r = csv.reader(f)
        head = [h.strip() for h in next(r)]
        for row in r:
            yield dict(zip(head, row))


def register_keys(path, column=None):
    keys = set()
    for row in rows(path):
        name = row.get(column) if column else (row.get("CompanyName") or row.get("Ratepayer"))
        if name:
            k = key(name)
            if k:
                keys.add(k)
    return keys


def main() -> None:
    args = sys.argv[1:]
    column = None
    if "--name-column" in args:
        i = args.index("--name-column")
        column = args[i + 1]
        del args[i : i + 2]
    spend_paths, reg_paths = (a.split(",") for a in args)
    keys = set()
    for reg_path in reg_paths:
        keys |= register_keys(reg_path, column)
    total = matched = 0.0
    for row in (r for p in spend_paths for r in rows(p)):
        try:
            amount = float(row["amount"])
        except (KeyError, ValueError):
            continue
        if amount <= 0:
            continue
        total += amount
        if key(row.get("beneficiary_name", "")) in keys:
            matched += amount
    print(f"positive spend {total:.2f}")
    print(f"matched {matched:.2f}")
    print(f"share {100 * matched / total:.1f}%")


if __name__ == "__main__":
    main()
