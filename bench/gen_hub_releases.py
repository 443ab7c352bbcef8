#!/usr/bin/env python3
"""Generate the hub's scale set: N OCDS releases (default 100,000) as JSON Lines, built by
recombining the 200 real Contracts Finder releases of January–March 2025
(../shared/data/procurement/contracts_finder_ocds_2025, one release per file).

Copy k is real release k mod 200 with a new `ocid` shared by copies 2j and 2j+1
(`ocds-b5fd17-bench-{j}`, so N/2 procurements each merged from two different real
releases) and a new `id`; nothing else is changed. The lines are shuffled with a fixed seed,
so the two releases of one procurement are usually far apart in the file, as in a bulk
download. Python standard library only; the output goes where it is told (a temporary
directory), never into the repository.

    python3 bench/gen_hub_releases.py SRC_DIR OUT.jsonl [N]
"""
import glob
import json
import os
import random
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    releases = []
    for path in sorted(glob.glob(os.path.join(src, "*.json"))):
        with open(path, encoding="utf-8") as f:
            releases.append(json.load(f))
    if not releases:
        sys.exit(f"no releases in {src}")
    order = list(range(n))
    random.Random(7).shuffle(order)
    with open(out + ".part", "w", encoding="utf-8") as f:
        for k in order:
            r = dict(releases[k % len(releases)])
            r["ocid"] = f"ocds-b5fd17-bench-{k // 2:06d}"
            r["id"] = f"{r.get('id', 'r')}-bench-{k}"
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
            f.write("\n")
    os.replace(out + ".part", out)
    print(f"{n} releases, {(n + 1) // 2} ocids, {os.path.getsize(out):,} bytes -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
