#!/usr/bin/env python3
"""Read Anchornet's hive-partitioned payments with DuckDB and compare them with the single file.

usage: hive_duckdb.py TREE SINGLE.parquet

TREE is `anchornet ingest ... --out TREE --partitioned`, SINGLE the same ingest with
`--out SINGLE.parquet`. DuckDB reads the tree as one table
(`read_parquet('TREE/**/*.parquet', hive_partitioning = true)`: anchor and financial_year
restored from the paths, `%XX` decoded) and prints, per partition, the rows and total pence,
beside the single file's; then whether the two tables hold the same rows (EXCEPT ALL both
ways, every column). Exit code 1 if anything differs.
"""
import sys
import time

import duckdb

tree, single = sys.argv[1:3]
con = duckdb.connect()
t0 = time.perf_counter()
con.execute(
    f"CREATE VIEW tree AS SELECT * FROM read_parquet('{tree}/**/*.parquet', hive_partitioning = true)"
)
con.execute(f"CREATE VIEW single AS SELECT * FROM read_parquet('{single}')")
q = """SELECT anchor, financial_year, count(*) AS rows, sum(amount_pence) AS pence
       FROM {} GROUP BY ALL ORDER BY ALL"""
by_tree = con.execute(q.format("tree")).fetchall()
t1 = time.perf_counter()
by_single = {(a, y): (n, p) for a, y, n, p in con.execute(q.format("single")).fetchall()}
files = con.execute(
    f"SELECT count(*) FROM glob('{tree}/**/*.parquet')"
).fetchone()[0]

print(f"| anchor | financial_year | rows (tree) | pence (tree) | rows (single) | pence (single) | same |")
print("|---|---|---:|---:|---:|---:|---|")
ok = True
for a, y, n, p in by_tree:
    sn, sp = by_single.pop((a, y), (None, None))
    same = (n, p) == (sn, sp)
    ok &= same
    print(f"| {a} | {y} | {n:,} | {p:,} | {sn:,} | {sp:,} | {'yes' if same else 'NO'} |")
for (a, y), (sn, sp) in sorted(by_single.items()):
    ok = False
    print(f"| {a} | {y} | - | - | {sn:,} | {sp:,} | NO (not in the tree) |")

cols = [r[0] for r in con.execute("DESCRIBE single").fetchall()]
tcols = [r[0] for r in con.execute("DESCRIBE tree").fetchall()]
if sorted(cols) != sorted(tcols):
    ok = False
    print(f"columns differ: single {cols}, tree {tcols}")
else:
    sel = ", ".join(f'"{c}"' for c in cols)
    extra = con.execute(
        f"SELECT count(*) FROM (SELECT {sel} FROM tree EXCEPT ALL SELECT {sel} FROM single)"
    ).fetchone()[0]
    missing = con.execute(
        f"SELECT count(*) FROM (SELECT {sel} FROM single EXCEPT ALL SELECT {sel} FROM tree)"
    ).fetchone()[0]
    ok &= extra == 0 and missing == 0
    print(
        f"\n{len(by_tree)} partitions in {files} files; rows in the tree and not the single file: "
        f"{extra}; in the single file and not the tree: {missing} (every column compared)"
    )
total_rows = sum(r[2] for r in by_tree)
print(f"DuckDB read the tree and grouped {total_rows:,} rows in {t1 - t0:.2f} s")
print("SAME" if ok else "DIFFERENT")
sys.exit(0 if ok else 1)
