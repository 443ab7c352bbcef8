#!/usr/bin/env python3
"""Key fields of compiled OCDS releases (one JSON object per line on stdin, as `ocdskit compile`
prints them, or `anchornet hub compile` writes them), as one sorted JSON document on stdout.

Standard library only. The fields compared with the hub's merge (docs/hub.md):
ocid, id, date, tender/value, tender/minValue, tender/tenderPeriod, tender/contractPeriod,
tender/status, the buyer's name, and each award's id, status, date, value and suppliers' ids
and names, in the order of the compiled array.

usage: python3 bench/hub/keyfields.py < compiled.jsonl > keyfields.json
"""
import json
import sys


def pick(r):
    t = r.get("tender") or {}
    return {
        "ocid": r.get("ocid"),
        "id": r.get("id"),
        "date": r.get("date"),
        "buyer": (r.get("buyer") or {}).get("name"),
        "tender_status": t.get("status"),
        "tender_value": t.get("value"),
        "tender_min_value": t.get("minValue"),
        "tender_period": t.get("tenderPeriod"),
        "contract_period": t.get("contractPeriod"),
        "awards": [
            {
                "id": a.get("id"),
                "status": a.get("status"),
                "date": a.get("date"),
                "value": a.get("value"),
                "suppliers": [[s.get("id"), s.get("name")] for s in a.get("suppliers") or []],
            }
            for a in r.get("awards") or []
        ],
    }


def main():
    out = []
    dec = json.JSONDecoder()
    text = sys.stdin.read()
    i = 0
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        v, i = dec.raw_decode(text, i)
        # A record package (ocdskit compile --package) or bare compiled releases.
        if isinstance(v, dict) and "records" in v:
            out.extend(pick(rec["compiledRelease"]) for rec in v["records"])
        else:
            out.append(pick(v))
    out.sort(key=lambda r: r["ocid"] or "")
    json.dump(out, sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")


main()
