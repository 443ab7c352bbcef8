#!/usr/bin/env python3
"""Independent counts for the hub's tests (Python standard library only; reads the raw files).

  counts.py ocds PATH...      every OCDS release in the files (directories walked), in any
                              packaging: release packages, record packages (embedded releases,
                              else the compiledRelease), single releases, lists, JSON Lines.
                              A release is rejected when it has no ocid or its date is not an
                              RFC 3339 date-time. Prints one line per file and a total:
                              `total files=F releases=R accepted=A rejected=X ocids=O`.
  counts.py table FILE KEY[|KEY…] VALUE[,VALUE…] | VALUE+VALUE…
                              rows of a CSV (.xz allowed), distinct keys (the first non-empty
                              KEY column of a row; first row of each key kept) and the sum in
                              pence of each kept row's value: the first non-zero of VALUE,…
                              or the sum of VALUE+VALUE…:
                              `rows=N keys=K value_pence=P valued=V`.

The Rust tests cite these lines; .ci/independent_checks.py reruns them and compares them with
`anchornet hub pipeline --json`.
"""
import csv
import io
import json
import lzma
import os
import re
import sys
from decimal import Decimal, InvalidOperation

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def files(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                for n in sorted(names):
                    if n.lower().endswith((".json", ".jsonl", ".ndjson")):
                        yield os.path.join(root, n)
        else:
            yield p


def texts(raw):
    """Every JSON text of a file: one document, or several (JSON Lines)."""
    dec = json.JSONDecoder()
    i, n = 0, len(raw)
    while i < n:
        while i < n and raw[i].isspace():
            i += 1
        if i >= n:
            return
        v, i = dec.raw_decode(raw, i)
        yield v


def releases(v):
    if isinstance(v, list):
        for x in v:
            yield from releases(x)
    elif isinstance(v, dict) and "date" not in v and "releases" in v:
        yield from (v["releases"] if isinstance(v["releases"], list) else [v["releases"]])
    elif isinstance(v, dict) and "date" not in v and "records" in v:
        for rec in v["records"]:
            rs = rec.get("releases") if isinstance(rec, dict) else None
            if isinstance(rs, list) and rs:
                yield from rs
            elif isinstance(rec, dict) and "compiledRelease" in rec:
                yield rec["compiledRelease"]
            else:
                yield rec
    elif isinstance(v, dict) and "date" not in v and "compiledRelease" in v:
        yield v["compiledRelease"]
    else:
        yield v


def ok(r):
    if not isinstance(r, dict):
        return None
    ocid = r.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        return None
    d = r.get("date")
    if not isinstance(d, str) or not DATE.match(d.strip()):
        return None
    return ocid.strip()


def ocds(paths):
    tot = [0, 0, 0, 0]
    ocids = set()
    for f in files(paths):
        raw = open(f, encoding="utf-8-sig").read()
        n = a = 0
        for v in texts(raw):
            for r in releases(v):
                n += 1
                o = ok(r)
                if o is not None:
                    a += 1
                    ocids.add(o)
        print(f"{f} releases={n} accepted={a} rejected={n - a}")
        tot[0] += 1
        tot[1] += n
        tot[2] += a
    print(f"total files={tot[0]} releases={tot[1]} accepted={tot[2]} rejected={tot[1] - tot[2]} ocids={len(ocids)}")


def table(path, key, values):
    raw = open(path, "rb").read()
    if path.endswith(".xz"):
        raw = lzma.decompress(raw)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    seen = set()
    pence = valued = 0
    def money(r, col):
        try:
            return int(Decimal((r.get(col) or "").strip().replace(",", "").replace("£", "")) * 100)
        except InvalidOperation:
            return 0

    for r in rows:
        k = next((r.get(c, "").strip() for c in key.split("|") if (r.get(c) or "").strip()), "")
        if not k or k in seen:
            continue
        seen.add(k)
        if "+" in values:
            p = sum(money(r, c) for c in values.split("+"))
        else:
            p = next((money(r, c) for c in values.split(",") if money(r, c) != 0), 0)
        if p != 0:
            pence += p
            valued += 1
    print(f"rows={len(rows)} keys={len(seen)} value_pence={pence} valued={valued}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "ocds":
        ocds(sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "table":
        table(*sys.argv[2:])
    else:
        sys.exit(__doc__)
