#!/usr/bin/env python3
"""Print the README's demo headline table from an analysis.json (anchornet demo --json)."""
import json, sys
a = json.load(open(sys.argv[1]))
def pct(x, y): return "–" if y <= 0 else f"{100*x/y:.1f}%"
def share(s): return f"{pct(s['matched'], s['known'])} / {pct(s['matched'], s['base'])} ({pct(s['known'], s['base'])})"
print("<!-- demo-headline -->")
print("| scope | year | local: of located / of all (coverage) | Greater Manchester | deprived areas (deciles 1–2) |")
print("|---|---|---|---|---|")
for f in a["figures"]:
    g = f["figures"]
    print(f"| {f['scope']} | {f['fy']} | {share(g['local'])} | {share(g['wider'])} | {share(g['deprived']['share'])} |")
