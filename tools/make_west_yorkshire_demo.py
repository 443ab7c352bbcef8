#!/usr/bin/env python3
"""Build data/west-yorkshire/ (the second bundled demo network) from the shared data folder.

Four West Yorkshire councils' payments for the financial year 2018/19 (1 April 2018 – 31
March 2019), the year their business-rates lists were collected, and the three ratepayer
lists of the shared folder. Rows are selected from ODI Leeds' harmonised files by
`payment_date`, every field unchanged (rewritten by Python's csv module: the quoting may
differ, the values do not); the ratepayer lists are copied byte for byte.

    python3 tools/make_west_yorkshire_demo.py [SHARED_DATA] [OUT]

Standard library only; deterministic (xz preset 9, no timestamps in the output).
"""
import csv, io, lzma, os, shutil, sys

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../shared/data")
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "../data/west-yorkshire")
COUNCILS = ["leeds", "bradford", "calderdale", "wakefield"]
FIRST, LAST = "2018-04-01", "2019-03-31"

os.makedirs(os.path.join(out, "spend"), exist_ok=True)
os.makedirs(os.path.join(out, "registers"), exist_ok=True)
for c in COUNCILS:
    src = os.path.join(shared, "spend/odileeds_processed", f"{c}.csv.xz")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    kept = 0
    with lzma.open(src, "rt", encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        w.writerow(header)
        at = header.index("payment_date")
        for row in r:
            if len(row) > at and FIRST <= row[at][:10] <= LAST:
                w.writerow(row)
                kept += 1
    dst = os.path.join(out, "spend", f"{c}_2018-19.csv.xz")
    with lzma.open(dst, "wb", preset=9) as f:
        f.write(buf.getvalue().encode("utf-8"))
    print(f"{dst}: {kept} payments")
for c in ["bradford", "calderdale", "kirklees"]:
    name = f"nndr_ratepayers_{c}_2019.csv.xz"
    shutil.copyfile(os.path.join(shared, "companies", name), os.path.join(out, "registers", name))
    print(f"{out}/registers/{name}: copied")
