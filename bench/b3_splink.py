#!/usr/bin/env python3
"""B3 peer: splink (DuckDB backend) deduplicating supplier names.

Usage: b3_splink.py [--reference] NAMES.csv OUT.csv

NAMES.csv has one column `name`; OUT.csv gets `name,cluster_id`.

Pinned versions (installed by bench/run_b3.sh): splink==5.0.0, duckdb==2.0.0.

A sensible configuration for a name column alone, in the way splink's examples build one.
(The reference row of validation/README-supplier-names.md used a single Jaro-Winkler
comparison; with splink 5.0's training that model learns no usable match class on these
names and links nothing, so the peer here gives EM three views of the name.)
- cleaned name: lower case, `&` -> `and`, punctuation removed, legal forms (ltd, limited,
  plc, llp, cic) and `the` removed, spaces collapsed;
- comparisons: Jaro-Winkler on the cleaned name (0.97 / 0.92 / 0.85, term-frequency
  adjusted), Jaro-Winkler on its words sorted (0.95 / 0.88), exact match on the last word;
- blocking for prediction: same first word, or same first 6 letters of the cleaned name;
- training: probability two random records match from an exact-cleaned-name rule
  (recall 0.7), u by random sampling (2 million pairs), m by expectation maximisation
  blocked on the first word and on the first 6 letters;
- clusters: connected components of pairs with match probability >= 0.9.

`--reference`: the configuration of the data owners' reference run, as the row of
validation/README-supplier-names.md describes it (pairwise F1 0.409 there): one comparison,
Jaro-Winkler on the cleaned name at splink's default thresholds (0.9, 0.7); blocking on the
first word and on the first 6 letters; u by random sampling, m by expectation maximisation
blocked on the first word and on the first 6 letters (levels EM cannot identify keep splink's
default m); clusters at match probability >= 0.9.
"""
import re
import sys
import time

import csv

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

LEGAL = re.compile(r"\b(ltd|limited|plc|llp|cic|the)\b")


def clean(s: str) -> str:
    s = s.lower().replace("&", " and ")
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    s = LEGAL.sub(" ", s)
    return " ".join(s.split())


def main() -> None:
    args = sys.argv[1:]
    reference = "--reference" in args
    args = [a for a in args if a != "--reference"]
    src, out = args[0], args[1]
    t0 = time.time()
    with open(src, newline="", encoding="utf-8") as f:
        seen = {}
        for row in csv.DictReader(f):
            n = row["name"].strip()
            if n and n not in seen:
                seen[n] = len(seen)
    names = list(seen)
    cleaned = [clean(n) for n in names]
    toks = [c.split() for c in cleaned]
    cols = {
        "unique_id": list(range(len(names))),
        "name_clean": [c or None for c in cleaned],
        "name_sorted": [" ".join(sorted(t)) or None for t in toks],
        "first_token": [t[0] if t else None for t in toks],
        "last_token": [t[-1] if t else None for t in toks],
        "first6": [c.replace(" ", "")[:6] or None for c in cleaned],
    }

    if reference:
        comparisons = [cl.JaroWinklerAtThresholds("name_clean")]
    else:
        comparisons = [
            cl.JaroWinklerAtThresholds("name_clean", [0.97, 0.92, 0.85]).configure(
                term_frequency_adjustments=True
            ),
            cl.JaroWinklerAtThresholds("name_sorted", [0.95, 0.88]),
            cl.ExactMatch("last_token"),
        ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("first_token"),
            block_on("first6"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    con = duckdb.connect()
    db_api = DuckDBAPI(con)
    sdf = db_api.register(cols, dataset_display_name="names")
    linker = Linker(sdf, settings, log_level=None)
    if not reference:
        linker.training.estimate_probability_two_random_records_match(
            [block_on("name_clean")], recall=0.7
        )
    linker.training.estimate_u_using_random_sampling(max_pairs=2_000_000)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_token"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first6"))
    pred = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pred, threshold_match_probability=0.9
    )
    ids = dict(con.sql(f"select unique_id, cluster_id from {clusters.physical_name}").fetchall())
    with open(out, "w", newline="", encoding="utf-8") as g:
        w = csv.writer(g)
        w.writerow(["name", "cluster_id"])
        for i, n in enumerate(names):
            w.writerow([n, ids.get(i, i)])
    print(
        f"splink: {len(names)} names, {len(set(ids.values()))} clusters over linked names, {time.time() - t0:.1f}s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
