#!/usr/bin/env python3
"""Generate the hub's matching scale network: one anchor paying N suppliers (default
100,000), each located in the demo network's place, so that `anchornet hub match` ranks
every opportunity against a register of N local suppliers.

Built from real material of the repository's demo network (data/demo): the spend
categories ("GL Description") of Salford's July 2021 payments and the supplier postcodes of
Salford's 2022 contracts register that lie in Manchester (M…), both cycled; supplier names
are made up (`Bench Supplier 000123 Ltd`), one payment each (Salford's own layout plus a
`Supplier Postcode` column). Python standard library only; the output goes where it is told
(a temporary directory), never into the repository.

    python3 bench/gen_hub_network.py REPO_ROOT OUT_DIR [N]
"""
import csv
import io
import lzma
import os
import random
import sys


def main():
    root, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    demo = os.path.join(root, "data", "demo")
    with lzma.open(os.path.join(demo, "spend/salford/2021-07.csv.xz"), "rt", encoding="utf-8", newline="") as f:
        cats = sorted({r["GL Description"].strip() for r in csv.DictReader(f) if r["GL Description"].strip()})
    with lzma.open(os.path.join(demo, "registers/salford_contracts_register_2022.csv.xz"), "rb") as f:
        text = f.read().decode("utf-8-sig", errors="replace")
    pcs = sorted({(r.get("Supplier Postcode") or "").strip().upper()
                  for r in csv.DictReader(io.StringIO(text))} - {""})
    pcs = [p for p in pcs if p.startswith("M") and p[1:2].isdigit()]
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(7)
    with open(os.path.join(out, "payments.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Authority Name", "Date of Payment", "DocumentNo", "Gross", "VAT", "Net",
                    "Vendor Name", "Supplier Postcode", "Service Area", "GL Description"])
        for i in range(n):
            net = rnd.randint(50_00, 500_000_00) / 100
            w.writerow(["Bench City Council", f"2021-07-{1 + i % 28:02d}", 700_000_000 + i,
                        f"{net:.2f}", "0", f"{net:.2f}", f"Bench Supplier {i:06d} Ltd",
                        pcs[i % len(pcs)], "Place Directorate", cats[i % len(cats)]])
    places = os.path.abspath(os.path.join(demo, "places.toml"))
    with open(os.path.join(out, "anchornet.toml"), "w", encoding="utf-8") as f:
        f.write(f'''name = "Hub matching scale network ({n} suppliers)"
local_place = "Manchester, Salford and Trafford"
wider_place = "Greater Manchester"
deprivation = "iod2025"
places = "{places}"

[[anchor]]
name = "Bench City Council"
kind = "council"
payments = ["payments.csv"]
''')
    print(f"{n} suppliers, {len(cats)} categories, {len(pcs)} postcodes -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
