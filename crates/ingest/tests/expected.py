#!/usr/bin/env python3
"""Independent check for the ingest golden tests: rows, accepted rows and exact total (pence)
of one real spend file, computed with Python's csv and decimal modules, sharing no code with
Anchornet. The columns are named by hand (not detected).

usage: expected.py FILE DATE_COLUMN AMOUNT_COLUMN
prints: records=<data records after the header> accepted=<rows with a non-empty date and a
numeric amount> total_pence=<sum of accepted amounts, rounded half away from zero>
"""
import csv, io, lzma, sys
from decimal import Decimal, ROUND_HALF_UP, InvalidOperation

path, date_col, amount_col = sys.argv[1:4]
raw = lzma.open(path).read() if path.endswith(".xz") else open(path, "rb").read()
try:
    text = raw.decode("utf-8-sig")
except UnicodeDecodeError:
    text = raw.decode("cp1252")
if "\r" in text and "\n" not in text:
    text = text.replace("\r", "\n")
rows = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
norm = lambda h: h.strip().lstrip("\ufeff")
header = [norm(h) for h in rows[0]]
di, ai = header.index(date_col), header.index(amount_col)
records = accepted = 0
total = Decimal(0)
for r in rows[1:]:
    records += 1
    d = r[di].strip() if di < len(r) else ""
    a = (r[ai] if ai < len(r) else "").replace(",", "").replace("£", "").strip()
    if not d or not a:
        continue
    neg = False
    if a.startswith("(") and a.endswith(")"):  # accounting negative: (27,669.27)
        a, neg = a[1:-1], True
    elif a.endswith("-") and len(a) > 1:  # ledger credit: 5,554.94-
        a, neg = a[:-1], True
    try:
        v = -Decimal(a) if neg else Decimal(a)
    except InvalidOperation:
        continue
    accepted += 1
    # ROUND_HALF_UP in decimal rounds half away from zero.
    total += (v * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
print(f"records={records} accepted={accepted} total_pence={total}")
