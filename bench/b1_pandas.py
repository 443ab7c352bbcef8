#!/usr/bin/env python3
"""B1 peer in pandas (see BENCHMARKS.md, "B1"), written the way a careful analyst would.

Usage: bench/b1_pandas.py DIR  -> prints `publisher,fy,rows,rejected,total_pence,suppliers,top10_share`
for every (publisher, financial year) over DIR/*.csv, sorted, no header. Timing goes to stderr.

One file (= one publisher) at a time, only the three needed columns, every cell as a string with
no NA conversion. Rules as in the spec: ISO date that is a real day -> financial year April-March
(else `unknown`); amount with `,`/`£` removed and spaces trimmed must match the spec's regex
(else rejected), pence from the digit strings with half-away-from-zero rounding (no floats);
supplier key computed once per distinct name; the empty key counts as a supplier.
"""
import glob
import os
import sys
import time

import pandas as pd

AMOUNT = r"^([+-]?)(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))$"


def financial_years(dates: pd.Series) -> pd.Series:
    uniq = pd.Series(dates.unique())
    iso = uniq.where(uniq.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"))
    dt = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
    fy = (dt.dt.year - (dt.dt.month < 4).astype("Int64")).astype("Int64").astype("string")
    mapping = dict(zip(uniq, fy.fillna("unknown")))
    return dates.map(mapping)


def supplier_keys(names: pd.Series) -> pd.Series:
    uniq = pd.Series(names.unique())
    k = (uniq.str.replace("&", " AND ", regex=False)
         .str.replace(r"[^A-Za-z0-9]+", " ", regex=True)  # before upper(): ASCII-only upper-casing
         .str.upper().str.strip()
         .str.replace(r"^THE ", "", regex=True))
    k = (" " + k).str.replace(r"( (?:LTD|LIMITED|PLC|LLP))+$", "", regex=True).str.strip()
    return names.map(dict(zip(uniq, k)))


def one_file(path: str) -> list:
    publisher = os.path.basename(path)[: -len(".csv")]
    df = pd.read_csv(path, usecols=["payment_date", "amount", "beneficiary_name"], dtype=str,
                     na_filter=False, keep_default_na=False, encoding="utf-8")
    df["fy"] = financial_years(df["payment_date"])
    a = (df["amount"].str.replace(",", "", regex=False).str.replace("£", "", regex=False)
         .str.strip(" "))
    parts = a.str.extract(AMOUNT)
    ok = parts[1].notna() | parts[3].notna()
    df["ok"] = ok
    acc = df[ok].copy()
    p = parts[ok]
    whole = p[1].fillna("0").astype("int64")
    frac3 = (p[2].fillna(p[3]).fillna("") + "000").str[:3].astype("int64")
    magnitude = whole * 100 + frac3 // 10 + (frac3 % 10 >= 5).astype("int64")
    acc["pence"] = magnitude.where(p[0] != "-", -magnitude)
    acc["key"] = supplier_keys(acc["beneficiary_name"])

    counts = df.groupby("fy").agg(rows=("ok", "size"), accepted=("ok", "sum"))
    totals = acc.groupby("fy")["pence"].sum()
    per_sup = acc.groupby(["fy", "key"], as_index=False)["pence"].sum()
    suppliers = per_sup.groupby("fy").size()
    pos = per_sup[per_sup["pence"] > 0].sort_values(["fy", "pence", "key"],
                                                    ascending=[True, False, True])
    pos_all = pos.groupby("fy")["pence"].sum()
    pos_top = pos.groupby("fy").head(10).groupby("fy")["pence"].sum()

    out = []
    for fy, row in counts.iterrows():
        rows = int(row["rows"])
        allp = int(pos_all.get(fy, 0))
        share = float(pos_top.get(fy, 0)) / float(allp) if allp > 0 else 0.0
        out.append((publisher, fy,
                    f"{publisher},{fy},{rows},{rows - int(row['accepted'])},"
                    f"{int(totals.get(fy, 0))},{int(suppliers.get(fy, 0))},{share:.12f}"))
    return out


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: b1_pandas.py DIR", file=sys.stderr)
        return 2
    start = time.perf_counter()
    lines = []
    for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.csv"))):
        lines.extend(one_file(path))
    lines.sort(key=lambda t: (t[0], t[1]))
    sys.stdout.write("".join(line + "\n" for _, _, line in lines))
    sys.stdout.flush()
    print(f"b1_pandas: {time.perf_counter() - start:.3f} s, pandas {pd.__version__}, "
          f"{len(lines)} groups", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
