#!/usr/bin/env python3
"""Draw the hand-check sample of register links (issue 15's precision measure).

Usage: link_sample.py N SUPPLIERS.csv [SUPPLIERS.csv ...] > sample.csv

From each `anchornet suppliers --out` file, the suppliers located by a register (a
`location_source` other than a person's decision or the payment file itself) are ordered by
the SHA-256 of their key and the first N are taken: a draw that does not depend on spend,
name or score and that a later run repeats. For each, the register row at
`location_file:location_line` is read back, so the checker sees the payee's names beside the
register's own name and address. Standard library only.
"""
import csv
import hashlib
import lzma
import sys

csv.field_size_limit(1 << 24)


def register_row(path, line, cache={}):
    if path not in cache:
        op = lzma.open if path.endswith(".xz") else open
        with op(path, "rt", newline="", encoding="utf-8-sig", errors="replace") as f:
            r = csv.reader(f)
            head = next(r)
            rows = {}
            # csv line numbers: the header is line 1; count physical lines as the reader goes.
            for row in r:
                rows[r.line_num] = dict(zip([h.strip() for h in head], row))
        cache[path] = rows
    return cache[path].get(int(line), {})


def main() -> None:
    n = int(sys.argv[1])
    out = csv.writer(sys.stdout)
    out.writerow(["file", "key", "payee_names", "spend_pounds", "source", "register_name",
                  "register_postcode", "register_address", "verdict"])
    for path in sys.argv[2:]:
        with open(path, newline="", encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f)
                    if r["location_source"] and r["location_source"] not in ("decision", "payment_file")
                    and r["location_file"].endswith((".csv", ".xz"))]
        rows.sort(key=lambda r: hashlib.sha256(r["key"].encode()).hexdigest())
        for r in rows[:n]:
            reg = register_row(r["location_file"], r["location_line"])
            name = reg.get("Ratepayer") or reg.get("CompanyName") or ""
            addr = reg.get("Address") or reg.get("RegAddress.PostTown") or ""
            out.writerow([path.split("/")[-1], r["key"], r["names"],
                          f"{int(r['spend_pence']) / 100:.0f}", r["location_source"], name,
                          r["postcode"], addr, ""])


if __name__ == "__main__":
    main()
