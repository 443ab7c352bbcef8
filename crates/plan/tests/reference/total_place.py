#!/usr/bin/env python3
"""Independent figures for Total Place (docs/plan.md), from the raw files, standard library only.

usage: total_place.py SHARED_DATA_DIR

Prints JSON:
* preston_outturn: for Preston (E07000123), per financial year, the sum of the RS return's
  service expenditure lines (every line of form RS, measure service_expenditure, whose name
  does not begin with "total"), in pence, with the number of lines, and the RS total line;
* trafford_grants: the Trafford 360Giving file's grants, all of whose beneficiary location is
  Trafford (E08000009), per financial year of the award date (1 April - 31 March): pence
  awarded and count;
* preston_notices: the Lancashire Contracts Finder notices whose organisation contains
  "Preston": count, and per financial year of the deadline date (the notice's tender
  deadline), the count and the value: awarded value, else the high estimate, else the low
  estimate (the first of them above zero: Contracts Finder writes 0 for "not given"), in pence.
"""
import csv
import io
import json
import lzma
import os
import sys
from decimal import Decimal


def fy(date):
    y, m = int(date[0:4]), int(date[5:7])
    s = y if m >= 4 else y - 1
    return f"{s}/{(s + 1) % 100:02d}"


def pence(text, unit=Decimal(1)):
    return int((Decimal(text) * unit * 100).to_integral_value())


def main(shared):
    out = {}
    # Revenue outturn: RS service expenditure lines, in thousands of pounds.
    rows = csv.DictReader(io.TextIOWrapper(lzma.open(os.path.join(shared, "finance/revenue_outturn_lancashire_2021-25.csv.xz")), encoding="utf-8"))
    years = {}
    for r in rows:
        if r["council_gss_code"] != "E07000123" or r["form"] != "RS" or r["measure"] != "service_expenditure":
            continue
        y = r["year"][:4] + "/" + r["year"][5:7]
        e = years.setdefault(y, {"pence": 0, "lines": 0, "total_line": None})
        v = pence(r["value_thousands"], Decimal(1000))
        if r["line_name"].strip().lower().startswith("total"):
            e["total_line"] = v
        else:
            e["pence"] += v
            e["lines"] += 1
    out["preston_outturn"] = dict(sorted(years.items()))

    # 360Giving grants (UTF-8 with or without a byte-order mark).
    g = {}
    with open(os.path.join(shared, "procurement/trafford_council_vcse_grants_360giving.csv"), encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            assert r["Beneficiary Location:Geographic Code"] == "E08000009"
            e = g.setdefault(fy(r["Award Date"]), {"pence": 0, "count": 0})
            e["pence"] += pence(r["Amount Awarded"])
            e["count"] += 1
    out["trafford_grants"] = dict(sorted(g.items()))

    # Contracts Finder notices of Preston's buyers.
    n = {}
    count = 0
    with open(os.path.join(shared, "procurement/lancashire_contracts_finder_notices.csv"), encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if "preston" not in r["organisation"].lower():
                continue
            count += 1
            y = fy(r["deadline_date"]) if r["deadline_date"] else ""
            v = 0
            for k in ("awarded_value", "value_high", "value_low"):
                if r[k].strip() and Decimal(r[k]) > 0:
                    v = pence(r[k])
                    break
            e = n.setdefault(y, {"pence": 0, "count": 0})
            e["pence"] += v
            e["count"] += 1
    out["preston_notices"] = {"count": count, "by_year": dict(sorted(n.items()))}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../../../shared/data"))
