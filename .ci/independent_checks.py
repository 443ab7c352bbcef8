#!/usr/bin/env python3
"""Run every independent reference script the tests cite, and compare it with the product.

Called by .ci/run after `cargo test` (which builds target/debug/anchornet and target/debug/b1).
Python standard library only: CI has python3 and no pip packages. Prints one line per check:

    ok    <script> <case>: <what agreed>

and exits 1 if any script fails, disagrees with the figure the test cites, or disagrees with
the product's own output. The checks:

* crates/ingest/tests/expected.py — every `expected.py FILE DATE AMOUNT → records=…
  accepted=… total_pence=…` citation in the Rust tests (real_spend.rs, workbooks.rs,
  cli/tests/readme.rs) is run; its output must equal the cited figures and the rows read,
  accepted and total of `anchornet ingest --json FILE`.
* crates/geo/tests/salford_crosscheck.py — Salford's contracts register: rows resolved,
  invalid, unknown, and the annual value with suppliers in Salford and in Greater
  Manchester, against `anchornet geo bulk` on the same file.
* bench/b1_stdlib.py — B1 on the bench fixtures, against fixtures/expected_b1.out and the
  `b1` binary's output.
* crates/network/tests/fixtures/golden/expected.py — recomputes expected.json (which the
  golden test compares with the product) and must reproduce it byte for byte.
* crates/workforce/tests/reference/workforce_metrics.py — the workforce measures on the
  GENERATED demo extract from the raw rates, postcode directory and IoD 2025 files: must
  reproduce expected_workforce_2023-24.csv (which cli/tests/workforce.rs compares with the
  product) and equal `anchornet workforce`'s workforce.csv cell for cell.
  pathway_distances.py — every travel distance `anchornet jobs match` writes for the ten
  hospitality profiles and the GENERATED candidates against the NHS Jobs sample, recomputed
  from the NSPL file's postcode coordinates (sector centroids, haversine), within 0.05 km.
  funnel_reference.py — the jobs pathway funnel on the GENERATED demo events (counts,
  conversions, medians, suppression): must reproduce expected_funnel.csv (which
  cli/tests/funnel.rs compares with the product) and equal `anchornet jobs funnel`'s
  funnel.csv cell for cell, and no shown count may be under 10.
* crates/assets/tests/reference/trafford_assets.py — Trafford's land and building assets:
  rows, vacant rows, and the 2021 LSOA of every row placed by its coordinates and of every
  postcode, against `anchornet assets` on the same file; eric_totals.py — NHS estates
  2016/17 trusts, land owned and land not delivering services, against
  `anchornet assets --estates`.
* crates/hub/tests/reference/counts.py — every `counts.py ocds|table … → …` citation in
  crates/hub/tests/real_data.rs is rerun; its output must equal the cited figures and
  `anchornet hub pipeline --json` on the same file (releases or rows read, accepted,
  rejected, opportunities; pence from the opportunities CSV). And bench/hub/keyfields.py on
  the compiled releases `anchornet hub pipeline --ocds` writes for the 2025 OCDS set must
  equal bench/hub/ocdskit_2025_keyfields.json (ocdskit compile's, committed by
  bench/hub/ocdskit_check.sh).
* crates/plan/tests/reference/total_place.py — Total Place: Preston's RS service
  expenditure per year (and its total line), the Trafford 360Giving grants per financial
  year, and Preston's Contracts Finder notices per year, against `anchornet place`'s
  place-summary.csv for Preston and for Trafford. plan_docx.py — `anchornet plan` on the
  demo plan and answers: plan.docx well-formed, its actions table equal to plan.csv and its
  heatmap to assessment.csv of the same run, cell for cell.

* bench/coverage_baseline.py — exact normalised-name matching of three councils' spend to
  their place's register: every `coverage_baseline.py SPEND REGISTER → share …%` citation in
  crates/cli/tests/suppliers.rs (the baselines the supplier register must beat) is rerun.
* crates/hub/tests/reference/demand.py — the collaboration candidates recomputed from the demo
  network's analysis.json (`anchornet analyse`) by docs/hub.md's rules, against
  `anchornet hub demand` on the same network: keys, anchor counts, pence and lot counts.

usage: .ci/independent_checks.py [SHARED_DATA_DIR]   (default: ../shared/data beside the clone)
"""
import csv
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.abspath(
    sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ANCHORNET_SHARED_DATA") or os.path.join(ROOT, "../shared/data")
)
BIN = os.path.join(ROOT, "target/debug/anchornet")
B1 = os.path.join(ROOT, "target/debug/b1")
failures = []


def ok(script, case, what):
    print(f"ok    {script} {case}: {what}", flush=True)


def fail(script, case, what):
    print(f"FAIL  {script} {case}: {what}", flush=True)
    failures.append(f"{script} {case}")


def run(args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, cwd=kw.pop("cwd", ROOT), **kw)
    return r


# --- ingest: expected.py -------------------------------------------------------------------

CITE = re.compile(
    r"expected\.py\s+(?P<args>.+?)\s*(?:\n\s*//\s*)?→\s*(?:records=(?P<rec>\d+)\s+accepted=(?P<acc>\d+)\s+)?total_pence=(?P<tot>-?\d+)"
)


def resolve(path):
    """A cited path: `$L/x` is spend/original_layouts/x; `…/x` or `.../x` and bare
    relative paths are looked up under spend/original_layouts, spend and the data root."""
    if path.startswith("$L/"):
        return os.path.join(SHARED, "spend/original_layouts", path[3:])
    rest = re.sub(r"^(\.\.\.|…)/", "", path)
    rest = re.sub(r"^(shared/data/)?", "", rest)
    for base in ("spend/original_layouts", "spend", ""):
        p = os.path.join(SHARED, base, re.sub(r"^spend/", "", rest) if base else rest)
        if os.path.exists(p):
            return p
    return None


def citations():
    files = [
        "crates/ingest/tests/real_spend.rs",
        "crates/ingest/tests/workbooks.rs",
        "crates/cli/tests/readme.rs",
    ]
    for rel in files:
        text = open(os.path.join(ROOT, rel), encoding="utf-8").read()
        for m in CITE.finditer(text):
            args = shlex.split(m.group("args"))
            yield rel, args, m


WORKBOOKS = {
    "odileeds_manchester_2022-05_first200.csv": [
        "crates/ingest/tests/fixtures/manchester_2022-05_first200.xlsx",
        "crates/ingest/tests/fixtures/manchester_2022-05_first200.ods",
    ]
}


def product_ingest(path):
    r = run([BIN, "ingest", "--json", path])
    if r.returncode not in (0, 1):
        return None, r.stderr.strip()
    reports = json.loads(r.stdout)
    rows = sum(x["rows_read"] for x in reports)
    acc = sum(x["accepted"] for x in reports)
    tot = sum(x["total"] for x in reports)
    return (rows, acc, tot), None


def check_ingest():
    script = "crates/ingest/tests/expected.py"
    n = 0
    for rel, args, m in citations():
        n += 1
        path = resolve(args[0])
        case = f"{os.path.relpath(path, SHARED) if path else args[0]} ({rel})"
        if path is None:
            fail(script, case, "cited file not found")
            continue
        r = run(["python3", os.path.join(ROOT, script), path, *args[1:3]])
        got = re.search(r"records=(\d+) accepted=(\d+) total_pence=(-?\d+)", r.stdout)
        if r.returncode != 0 or not got:
            fail(script, case, f"did not run: {r.stderr.strip()[-300:]}")
            continue
        rec, acc, tot = (int(x) for x in got.groups())
        cited_ok = int(m.group("tot")) == tot and (
            m.group("rec") is None or (int(m.group("rec")), int(m.group("acc"))) == (rec, acc)
        )
        if not cited_ok:
            fail(script, case, f"script gives records={rec} accepted={acc} total_pence={tot}, the test cites {m.group(0)!r}")
            continue
        prod, err = product_ingest(path)
        if prod is None:
            fail(script, case, f"anchornet ingest failed: {err[-300:]}")
            continue
        # The product reads a file's rows as the script does; rows the product skips (a
        # totals row) are not accepted by the script either.
        if prod[1:] != (acc, tot) or (m.group("rec") and prod[0] != rec):
            fail(script, case, f"script records={rec} accepted={acc} total_pence={tot}; anchornet rows={prod[0]} accepted={prod[1]} total={prod[2]}")
            continue
        # The same rows written into workbooks (tests/workbooks.rs) read the same.
        for extra in WORKBOOKS.get(os.path.basename(path), []):
            wb, err = product_ingest(os.path.join(ROOT, extra))
            if wb is None or wb != prod:
                fail(script, case, f"anchornet ingest {extra}: {wb or err}, not {prod}")
                break
        else:
            ok(script, case, f"records={rec} accepted={acc} total_pence={tot} = anchornet ingest")
    if n == 0:
        fail(script, "(citations)", "no citation found in the tests")


# --- geo: salford_crosscheck.py ------------------------------------------------------------

GM = {f"E080000{i:02d}" for i in range(1, 11)}


def check_salford():
    script = "crates/geo/tests/salford_crosscheck.py"
    r = run(["python3", os.path.join(ROOT, script), SHARED])
    m1 = re.search(r"rows (\d+) resolved (\d+) invalid (\d+) unknown (\d+)", r.stdout)
    m2 = re.search(r"total pence (\d+) salford pence (\d+) gm pence (\d+)", r.stdout)
    if r.returncode != 0 or not (m1 and m2):
        fail(script, "salford register", f"did not run: {r.stderr.strip()[-300:]}")
        return
    want = tuple(int(x) for x in m1.groups() + m2.groups())
    reg = os.path.join(SHARED, "procurement/salford_contracts_register_2022.csv")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "annotated.csv")
        p = run([BIN, "geo", "bulk", reg, "--column", "Supplier Postcode", "--out", out])
        if p.returncode != 0:
            fail(script, "salford register", f"anchornet geo bulk failed: {p.stderr.strip()[-300:]}")
            return
        rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    pence = lambda v: 0 if v.strip() in ("", "-") else int(Decimal(v.strip()) * 100)
    status = [r["geo_status"] for r in rows]
    total = sum(pence(r["Annual Value"]) for r in rows)
    salford = sum(pence(r["Annual Value"]) for r in rows if r["geo_lad"] == "E08000006")
    gm = sum(pence(r["Annual Value"]) for r in rows if r["geo_lad"] in GM)
    got = (
        len(rows),
        sum(s in ("live", "terminated") for s in status),
        status.count("invalid"),
        status.count("unknown"),
        total,
        salford,
        gm,
    )
    if got != want:
        fail(script, "salford register", f"script {want}, anchornet geo bulk {got}")
    else:
        ok(script, "salford register", "rows {} resolved {} invalid {} unknown {}; pence total {} salford {} gm {} = anchornet geo bulk".format(*want))


# --- bench: b1_stdlib.py -------------------------------------------------------------------


def same_b1(a, b):
    a, b = a.strip().splitlines(), b.strip().splitlines()
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        (xi, xs), (yi, ys) = x.rsplit(",", 1), y.rsplit(",", 1)
        if xi != yi or abs(float(xs) - float(ys)) > 1e-9:
            return False
    return True


def check_b1():
    script = "bench/b1_stdlib.py"
    fx = os.path.join(ROOT, "crates/bench/tests/fixtures")
    r = run(["python3", os.path.join(ROOT, script), fx])
    if r.returncode != 0:
        fail(script, "bench fixtures", f"did not run: {r.stderr.strip()[-300:]}")
        return
    want = open(os.path.join(fx, "expected_b1.out"), encoding="utf-8").read()
    prod = run([B1, fx])
    if prod.returncode != 0:
        fail(script, "bench fixtures", f"b1 failed: {prod.stderr.strip()[-300:]}")
    elif not same_b1(r.stdout, want):
        fail(script, "bench fixtures", "script output differs from expected_b1.out")
    elif not same_b1(r.stdout, prod.stdout):
        fail(script, "bench fixtures", "script output differs from the b1 binary's")
    else:
        n = len(r.stdout.strip().splitlines())
        ok(script, "bench fixtures", f"{n} groups = expected_b1.out = b1 binary")


# --- network golden: expected.py -----------------------------------------------------------


def check_golden():
    script = "crates/network/tests/fixtures/golden/expected.py"
    here = os.path.join(ROOT, os.path.dirname(script))
    committed = os.path.join(here, "expected.json")
    with tempfile.TemporaryDirectory() as tmp:
        keep = os.path.join(tmp, "expected.json")
        shutil.copyfile(committed, keep)
        try:
            r = run(["python3", os.path.join(ROOT, script)], env={**os.environ, "ANCHORNET_SHARED_DATA": SHARED})
            same = open(committed, "rb").read() == open(keep, "rb").read()
        finally:
            shutil.copyfile(keep, committed)
    if r.returncode != 0:
        fail(script, "golden network", f"did not run: {r.stderr.strip()[-300:]}")
    elif not same:
        fail(script, "golden network", "recomputed expected.json differs from the committed one")
    else:
        ok(script, "golden network", "reproduces expected.json, which the golden test compares with the product")


# --- workforce: workforce_metrics.py -------------------------------------------------------


def check_workforce():
    script = "crates/workforce/tests/reference/workforce_metrics.py"
    case = "generated demo extract 2023/24"
    extract = os.path.join(ROOT, "data/demo/workforce/generated_workforce_2023-24.csv.xz")
    expected = os.path.join(ROOT, "crates/workforce/tests/reference/expected_workforce_2023-24.csv")
    r = run(["python3", os.path.join(ROOT, script), extract, "2023", "E08000003,E08000006,E08000009"])
    if r.returncode != 0:
        fail(script, case, f"did not run: {r.stderr.strip()[-300:]}")
        return
    if r.stdout != open(expected, encoding="utf-8").read():
        fail(script, case, "script output differs from expected_workforce_2023-24.csv")
        return
    with tempfile.TemporaryDirectory() as tmp:
        p = run([BIN, "workforce", extract, "--network", "data/demo/anchornet.toml", "--year", "2023", "--out", tmp])
        if p.returncode != 0:
            fail(script, case, f"anchornet workforce failed: {p.stderr.strip()[-300:]}")
            return
        got = open(os.path.join(tmp, "workforce.csv"), encoding="utf-8").read()
    if got != r.stdout:
        fail(script, case, "anchornet workforce's workforce.csv differs from the script's")
    else:
        ok(script, case, f"{len(got.splitlines()) - 1} scopes, every cell = expected_workforce_2023-24.csv = anchornet workforce")



def check_funnel():
    script = "crates/workforce/tests/reference/funnel_reference.py"
    case = "generated demo funnel events"
    events = os.path.join(ROOT, "data/demo/workforce/generated_funnel_events.csv.xz")
    expected = os.path.join(ROOT, "crates/workforce/tests/reference/expected_funnel.csv")
    r = run(["python3", os.path.join(ROOT, script), events, "2025-12-31"])
    if r.returncode != 0:
        fail(script, case, f"did not run: {r.stderr.strip()[-300:]}")
        return
    if r.stdout != open(expected, encoding="utf-8").read():
        fail(script, case, "script output differs from expected_funnel.csv")
        return
    with tempfile.TemporaryDirectory() as tmp:
        p = run([BIN, "jobs", "funnel", events, "--network", "data/demo/anchornet.toml", "--as-at", "2025-12-31", "--out", tmp])
        if p.returncode != 0:
            fail(script, case, f"anchornet jobs funnel failed: {p.stderr.strip()[-300:]}")
            return
        got = open(os.path.join(tmp, "funnel.csv"), encoding="utf-8").read()
    counts = ["referred", "interviewed", "offered", "started", "started_182_days_before_as_at", "in_post_6m"]
    rows = list(csv.DictReader(io.StringIO(got)))
    small = [(x["anchor"], c, x[c]) for x in rows for c in counts if x[c] != "[c]" and int(x[c]) < 10]
    if got != r.stdout:
        fail(script, case, "anchornet jobs funnel's funnel.csv differs from the script's")
    elif small:
        fail(script, case, f"counts under 10 shown: {small}")
    else:
        hidden = sum(x[c] == "[c]" for x in rows for c in counts)
        ok(script, case, f"{len(rows)} rows, every cell = expected_funnel.csv = anchornet jobs funnel; {hidden} counts suppressed, none under 10 shown")


def check_pathway_distances():
    script = "crates/workforce/tests/reference/pathway_distances.py"
    vac = os.path.join(SHARED, "workforce/nhs_jobs_vacancies_2020_sample.csv.xz")
    for case, cand, extra in [
        ("ten hospitality profiles", "data/demo/workforce/hospitality_ten_candidates.csv",
         ["--top", "3", "--per-occupation", "1", "--max-km", "25"]),
        ("GENERATED candidates", "data/demo/workforce/generated_candidates.csv", ["--max-km", "25"]),
    ]:
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "matches.csv")
            p = run([BIN, "jobs", "match", vac, cand, "--out", out] + extra)
            if p.returncode != 0:
                fail(script, case, f"anchornet jobs match failed: {p.stderr.strip()[-300:]}")
                continue
            r = run(["python3", os.path.join(ROOT, script), ROOT, cand, vac, out])
        if r.returncode != 0:
            fail(script, case, f"distances differ: {r.stdout.strip()} {r.stderr.strip()[-300:]}")
        else:
            ok(script, case, f"{r.stdout.strip()} (every distance of anchornet jobs match within 0.05 km)")


# --- assets: trafford_assets.py ------------------------------------------------------------


def check_assets():
    script = "crates/assets/tests/reference/trafford_assets.py"
    r = run(["python3", os.path.join(ROOT, script), SHARED])
    if r.returncode != 0:
        fail(script, "trafford register", f"did not run: {r.stderr.strip()[-300:]}")
        return
    want = json.loads(r.stdout)
    reg = os.path.join(SHARED, "assets/trafford_land_and_building_assets.csv.xz")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "assets.csv")
        p = run([BIN, "assets", reg, "--out", out])
        if p.returncode != 0:
            fail(script, "trafford register", f"anchornet assets failed: {p.stderr.strip()[-300:]}")
            return
        rows = list(csv.DictReader(open(out, encoding="utf-8")))
    count = lambda keys: dict(sorted((k, keys.count(k)) for k in set(keys)))
    point = [x["lsoa21"] for x in rows if x["located_by"] == "point (WGS84)"]
    postcode = [x["postcode_lsoa21"] for x in rows if x["postcode_lsoa21"]]
    vac = [x for x in rows if x["vacant"] == "yes" and x["located_by"] in ("point (WGS84)", "postcode")]
    got = {
        "assets": len(rows),
        "vacant": sum(x["vacant"] == "yes" for x in rows),
        "point_placed": len(point),
        "point_lsoa21": count(point),
        "postcode_placed": len(postcode),
        "postcode_lsoa21": count(postcode),
        "vacant_placed": len(vac),
        "vacant_deciles_1_2": sum(x["iod2025_decile"] in ("1", "2") for x in vac),
    }
    diff = [k for k in got if got[k] != want[k]]
    if diff:
        fail(script, "trafford register", "differs on " + ", ".join(f"{k}: script {want[k]} product {got[k]}" for k in diff))
    else:
        ok(script, "trafford register", "assets {assets} vacant {vacant}; {point_placed} placed by point and {postcode_placed} postcodes, every LSOA count equal; vacant placed {vacant_placed}, in deciles 1-2 {vacant_deciles_1_2} = anchornet assets".format(**got))


def check_eric():
    script = "crates/assets/tests/reference/eric_totals.py"
    r = run(["python3", os.path.join(ROOT, script), SHARED])
    m = re.search(r"rows (\d+) land_owned_ha ([\d.]+) land_not_delivering_ha ([\d.]+)", r.stdout)
    if r.returncode != 0 or not m:
        fail(script, "ERIC 2016/17", f"did not run: {r.stderr.strip()[-300:]}")
        return
    eric = os.path.join(SHARED, "estates/nhs_eric_trust_2013-14_to_2016-17/ERIC-2016-17.csv")
    with tempfile.TemporaryDirectory() as tmp:
        p = run([BIN, "assets", "--estates", eric, "--estates-out", os.path.join(tmp, "e.csv")])
    want = f"2016/17: {m.group(1)} trusts, land owned {m.group(2)} ha, not delivering services {m.group(3)} ha"
    if p.returncode != 0 or want not in p.stdout:
        fail(script, "ERIC 2016/17", f"script says {want!r}, anchornet assets --estates printed {p.stdout.strip()!r}")
    else:
        ok(script, "ERIC 2016/17", want + " = anchornet assets --estates")


# --- plan: total_place.py -----------------------------------------------------------------


def check_total_place():
    script = "crates/plan/tests/reference/total_place.py"
    r = run(["python3", os.path.join(ROOT, script), SHARED])
    if r.returncode != 0:
        fail(script, "total place", f"did not run: {r.stderr.strip()[-300:]}")
        return
    want = json.loads(r.stdout)

    def summary(args):
        with tempfile.TemporaryDirectory() as tmp:
            p = run([BIN, "place", *args, "--out", tmp])
            if p.returncode != 0:
                return None, p.stderr.strip()[-300:]
            rows = list(csv.DictReader(open(os.path.join(tmp, "place-summary.csv"), encoding="utf-8")))
        got = {}
        for x in rows:
            e = got.setdefault(x["stream"], {}).setdefault(x["year"], {"pence": 0, "count": 0})
            e["pence"] += int(Decimal(x["amount_gbp"]) * 100)
            e["count"] += int(x["rows"])
        return got, ""

    preston, err = summary(["--place", "Preston",
                            "--outturn", os.path.join(SHARED, "finance/revenue_outturn_lancashire_2021-25.csv.xz"),
                            "--notices", os.path.join(SHARED, "procurement/lancashire_contracts_finder_notices.csv")])
    if preston is None:
        fail(script, "Preston", f"anchornet place failed: {err}")
    else:
        o = {y: {"pence": v["pence"], "count": v["lines"]} for y, v in want["preston_outturn"].items()}
        n = want["preston_notices"]["by_year"]
        bad = [k for k, a, b in (("outturn", o, preston.get("council_revenue")), ("notices", n, preston.get("notices"))) if a != b]
        if bad or any(v["pence"] != v["total_line"] for v in want["preston_outturn"].values()):
            fail(script, "Preston", f"differs on {bad}: script {o} {n}, product {preston}")
        else:
            ok(script, "Preston", f"RS service expenditure {len(o)} years (= the total lines) and {want['preston_notices']['count']} notices by year = anchornet place")
    trafford, err = summary(["--place", "Trafford",
                             "--grants", os.path.join(SHARED, "procurement/trafford_council_vcse_grants_360giving.csv")])
    if trafford is None:
        fail(script, "Trafford", f"anchornet place failed: {err}")
    elif trafford.get("grants") != want["trafford_grants"]:
        fail(script, "Trafford", f"grants differ: script {want['trafford_grants']}, product {trafford.get('grants')}")
    else:
        g = want["trafford_grants"]
        ok(script, "Trafford", f"{sum(v['count'] for v in g.values())} grants, {len(g)} years, pence per year = anchornet place")


def check_plan_docx():
    script = "crates/plan/tests/reference/plan_docx.py"
    demo = os.path.join(ROOT, "data/demo")
    with tempfile.TemporaryDirectory() as tmp:
        p = run([BIN, "plan", "--actions", os.path.join(demo, "plan.toml"),
                 "--assessments", os.path.join(demo, "assessments/self-assessment-2024-25.csv"),
                 os.path.join(demo, "assessments/self-assessment-2025-26.csv"),
                 "--out", tmp, "--at", "2026-01-01T00:00:00Z"])
        if p.returncode != 0:
            fail(script, "demo", f"anchornet plan failed: {p.stderr.strip()[-300:]}")
            return
        r = run(["python3", os.path.join(ROOT, script), tmp])
    if r.returncode != 0:
        fail(script, "demo", r.stdout.strip()[-500:] or r.stderr.strip()[-300:])
    else:
        ok(script, "demo", r.stdout.strip())


# --- hub: counts.py and ocdskit key fields --------------------------------------------------

HUB_CITE = re.compile(r"counts\.py (?P<mode>ocds|table) (?P<args>.+?) → (?P<out>.+)")


def hub_pipeline(path, tmp, extra=()):
    out = os.path.join(tmp, "opportunities.csv")
    r = run([BIN, "hub", "pipeline", path, "--json", "--out", out, *extra])
    if r.returncode != 0:
        return None, r.stderr.strip()[-300:]
    summary = json.loads(r.stdout)
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    return (summary, rows), None


def check_hub():
    script = "crates/hub/tests/reference/counts.py"
    text = open(os.path.join(ROOT, "crates/hub/tests/real_data.rs"), encoding="utf-8").read()
    n = 0
    for m in HUB_CITE.finditer(text):
        n += 1
        args = shlex.split(m.group("args"))
        path = os.path.join(SHARED, "procurement", args[0])
        case = f"{m.group('mode')} {args[0]}"
        r = run(["python3", os.path.join(ROOT, script), m.group("mode"), path, *args[1:]])
        last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
        got = last.replace(path + "/", "").strip()
        if r.returncode != 0 or got != m.group("out").strip():
            fail(script, case, f"script gives {got!r}, the test cites {m.group('out')!r} {r.stderr.strip()[-200:]}")
            continue
        figs = dict(kv.split("=") for kv in got.split() if "=" in kv)
        with tempfile.TemporaryDirectory() as tmp:
            prod, err = hub_pipeline(path, tmp)
        if prod is None:
            fail(script, case, f"anchornet hub pipeline failed: {err}")
            continue
        summary, rows = prod
        if m.group("mode") == "ocds":
            want = (int(figs["releases"]), int(figs["accepted"]), int(figs["rejected"]), int(figs["ocids"]))
            have = (summary["read"], summary["used"], summary["rejected"], summary["opportunities"])
        else:
            valued = [int(x["value_pence"]) for x in rows if x["value_pence"]]
            want = (int(figs["rows"]), int(figs["keys"]), int(figs["value_pence"]), int(figs["valued"]))
            have = (summary["read"], summary["opportunities"], sum(valued), len(valued))
        if want != have:
            fail(script, case, f"script {want}, anchornet hub pipeline {have}")
        else:
            ok(script, case, f"{got} = anchornet hub pipeline")
    if n == 0:
        fail(script, "(citations)", "no citation found in crates/hub/tests/real_data.rs")

    script = "bench/hub/keyfields.py"
    committed = os.path.join(ROOT, "bench/hub/ocdskit_2025_keyfields.json")
    with tempfile.TemporaryDirectory() as tmp:
        pkg = os.path.join(tmp, "records.json")
        prod, err = hub_pipeline(os.path.join(SHARED, "procurement/contracts_finder_ocds_2025"), tmp, ["--ocds", pkg])
        if prod is None:
            fail(script, "ocds 2025", f"anchornet hub pipeline failed: {err}")
            return
        lines = "".join(json.dumps(rec["compiledRelease"]) + "\n" for rec in json.load(open(pkg))["records"])
        r = subprocess.run(["python3", os.path.join(ROOT, script)], input=lines, capture_output=True, text=True)
    if r.returncode != 0:
        fail(script, "ocds 2025", f"did not run: {r.stderr.strip()[-300:]}")
    elif json.loads(r.stdout) != json.load(open(committed, encoding="utf-8")):
        fail(script, "ocds 2025", "key fields of anchornet's compiled releases differ from ocdskit compile's")
    else:
        ok(script, "ocds 2025", f"{len(json.loads(r.stdout))} compiled releases = ocdskit compile (committed key fields)")

# --- suppliers: the exact-name baseline of issue 15's coverage table -----------------------

COV_CITE = re.compile(r"coverage_baseline\.py\s+(?P<args>\S+\s+\S+)\s*→\s*share (?P<share>[\d.]+)%")


def check_coverage_baseline():
    script = "bench/coverage_baseline.py"
    text = "".join(
        open(os.path.join(ROOT, t), encoding="utf-8").read()
        for t in ("crates/cli/tests/suppliers.rs", "crates/cli/tests/demo.rs")
    )
    # Paths under data/ are the repository's bundled files; the others are ../shared/data's.
    def where(paths):
        return ",".join(os.path.join(ROOT if p.startswith("data/") else SHARED, p) for p in paths.split(","))
    n = 0
    for m in COV_CITE.finditer(text):
        n += 1
        spend, register = m.group("args").split()
        r = run(["python3", os.path.join(ROOT, script), where(spend), where(register)])
        last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
        if r.returncode != 0 or last != f"share {m.group('share')}%":
            fail(script, spend, f"script gives {last!r}, the test cites share {m.group('share')}% {r.stderr.strip()[-200:]}")
        else:
            regs = ", ".join(os.path.basename(x) for x in register.split(","))
            ok(script, spend, f"{last} with {regs} = the test's baseline")
    if n == 0:
        fail(script, "(citations)", "no citation found in crates/cli/tests/suppliers.rs")


def check_hub_demand():
    """demand.py on the demo network's analysis.json against `anchornet hub demand`."""
    script = "crates/hub/tests/reference/demand.py"
    net = os.path.join(ROOT, "data/demo/anchornet.toml")
    with tempfile.TemporaryDirectory() as tmp:
        r = run([BIN, "analyse", "--network", net, "--out", os.path.join(tmp, "a")])
        if r.returncode != 0:
            fail(script, "demo", f"anchornet analyse failed: {r.stderr.strip()[-300:]}")
            return
        ref = run(["python3", os.path.join(ROOT, script), os.path.join(tmp, "a", "analysis.json")])
        out = os.path.join(tmp, "demand.csv")
        prod = run([BIN, "hub", "demand", "--network", net, "--out", out])
        if ref.returncode != 0 or prod.returncode != 0:
            fail(script, "demo", f"did not run: {ref.stderr.strip()[-200:]} {prod.stderr.strip()[-200:]}")
            return
        cols = ["key", "anchors", "leaked_pence", "influenceable_pence", "local_pence", "pooled_pence", "lots_small", "lots_micro"]
        want = [tuple(r[c] for c in cols) for r in csv.DictReader(io.StringIO(ref.stdout))]
        have = [tuple(r[c] for c in cols) for r in csv.DictReader(open(out, encoding="utf-8-sig"))]
    if not want or want != have:
        fail(script, "demo", f"script {want[:3]}…, anchornet hub demand {have[:3]}…")
    else:
        ok(script, "demo", f"{len(want)} collaboration candidates (keys, anchors, pence, lots) = anchornet hub demand")


for f in (BIN, B1):
    if not os.path.exists(f):
        sys.exit(f"{f} not built: run `cargo test --workspace` (or cargo build) first")
check_ingest()
check_salford()
check_b1()
check_golden()
check_workforce()
check_funnel()
check_pathway_distances()
check_assets()
check_eric()
check_hub()
check_coverage_baseline()
check_total_place()
check_plan_docx()
check_hub_demand()
if failures:
    print(f"{len(failures)} independent check(s) failed: {', '.join(failures)}")
    sys.exit(1)
print("all independent checks agree")
