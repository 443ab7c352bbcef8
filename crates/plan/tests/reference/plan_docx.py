#!/usr/bin/env python3
"""Independent check of plan.docx against the CSV files the same run wrote (Python standard
library only: zipfile, xml.etree, csv).

    python3 plan_docx.py OUT_DIR

Checks that plan.docx is a zip package with [Content_Types].xml, _rels/.rels and
word/document.xml, each well-formed XML; that the relationship points at word/document.xml;
that the document's first table is plan.csv's columns id, title, owner, pillar, deadline,
target, current and status, row for row and cell for cell (the CSV's formula guard, a
leading ' before = + - @, undone); and that its last table is the heatmap: one row per
anchor and year of assessment.csv, one column per question, each the answer's level.
Prints one line "ok: …" and exits 0, else prints what differs and exits 1.
"""
import csv
import os
import sys
import xml.etree.ElementTree as ET
import zipfile

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
COLUMNS = ["id", "title", "owner", "pillar", "deadline", "target", "current", "status"]
QUESTIONS = [
    "procurement", "employment", "land", "finance", "ownership",
    "progression-employment", "progression-procurement", "progression-assets",
    "progression-services", "progression-corporate",
]


def unguard(s):
    if len(s) > 1 and s[0] == "'" and s[1] in "=+-@\t\r":
        return s[1:]
    return s


def tables(doc):
    out = []
    for tbl in doc.iter(W + "tbl"):
        rows = []
        for tr in tbl.findall(W + "tr"):
            rows.append(["".join(t.text or "" for t in tc.iter(W + "t")) for tc in tr.findall(W + "tc")])
        out.append(rows)
    return out


def main(out_dir):
    problems = []
    with zipfile.ZipFile(os.path.join(out_dir, "plan.docx")) as z:
        names = set(z.namelist())
        for part in ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]:
            if part not in names:
                problems.append(f"no part {part}")
        parsed = {n: ET.fromstring(z.read(n)) for n in names if n.endswith(".xml") or n.endswith(".rels")}
    rels = parsed["_rels/.rels"]
    targets = [r.get("Target") for r in rels.iter(REL + "Relationship")]
    if "word/document.xml" not in targets:
        problems.append(f"the package relationship targets {targets}, not word/document.xml")
    doc = parsed["word/document.xml"]
    found = tables(doc)
    if len(found) < 2:
        problems.append(f"{len(found)} tables, expected the actions and the heatmap")
        print("\n".join(problems))
        return 1

    with open(os.path.join(out_dir, "plan.csv"), newline="", encoding="utf-8") as f:
        plan = list(csv.DictReader(f))
    want = [[unguard(r[c]) for c in COLUMNS] for r in plan]
    got = found[0][1:]
    if len(found[0][0]) != len(COLUMNS):
        problems.append(f"actions header {found[0][0]}")
    if got != want:
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w:
                problems.append(f"action row {i + 1}: docx {g} != csv {w}")
        if len(got) != len(want):
            problems.append(f"{len(got)} action rows in the docx, {len(want)} in plan.csv")

    heat = {}
    order = []
    with open(os.path.join(out_dir, "assessment.csv"), newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (r["anchor"], r["year"])
            if key not in heat:
                heat[key] = {}
                order.append(key)
            heat[key][r["question"]] = r["level"]
    got_heat = {(r[0], r[1]): dict(zip(QUESTIONS, r[2:])) for r in found[-1][1:]}
    want_heat = {k: {q: v.get(q, "") for q in QUESTIONS} for k, v in heat.items()}
    if got_heat != want_heat:
        problems.append(f"heatmap: docx {got_heat} != assessment.csv {want_heat}")
    if len(found[-1]) - 1 != len(heat):
        problems.append(f"{len(found[-1]) - 1} heatmap rows, {len(heat)} anchor-years answered")

    if problems:
        print("\n".join(problems))
        return 1
    statuses = {}
    for r in plan:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    print(f"ok: {len(want)} actions ({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))}), "
          f"{len(heat)} heatmap rows, {sum(len(v) for v in heat.values())} answers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
