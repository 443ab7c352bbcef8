#!/usr/bin/env python3
"""B1 peer (BENCHMARKS.md): DuckDB converting the same CSVs to Parquet, and the independent
per-file totals the benchmark checks Anchornet's ingest against.

Usage:
  bench/b1_copy_duckdb.py DIR OUT.parquet   COPY (SELECT * FROM read_csv(DIR/*.csv, all_varchar,
                                            filename)) TO OUT (FORMAT parquet)   [timed]
  bench/b1_copy_duckdb.py --totals DIR      per file: `file,accepted,total_pence` for rows whose
                                            payment_date is a real ISO date and whose amount (after
                                            removing `,` and `£`) is a plain decimal, in pence
                                            rounded half away from zero — the B1 rules of
                                            bench/b1_duckdb.py, written in SQL, sharing no code with
                                            Anchornet                                  [not timed]
"""
import os
import sys
import time

import duckdb

COPY = """
COPY (SELECT * FROM read_csv($glob, all_varchar = true, filename = true))
TO '__OUT__' (FORMAT parquet)
"""

TOTALS = r"""
WITH raw AS (
    SELECT parse_filename(filename, true) AS f,
           coalesce(payment_date, '') AS d,
           trim(replace(replace(coalesce(amount, ''), ',', ''), '£', ''), ' ') AS a
    FROM read_csv($glob, all_varchar = true, header = true, delim = ',', quote = '"',
                  escape = '"', filename = true, strict_mode = true)
),
ok AS (
    SELECT f, a FROM raw
    WHERE regexp_full_match(trim(d), '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND try_cast(trim(d) AS DATE) IS NOT NULL
      AND regexp_full_match(a, '[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)')
)
SELECT f, count(*),
       sum((CASE WHEN starts_with(a, '-') THEN -1 ELSE 1 END) *
           (coalesce(try_cast(nullif(split_part(ltrim(a, '+-'), '.', 1), '') AS HUGEINT), 0) * 100
            + CAST(substr(split_part(ltrim(a, '+-'), '.', 2) || '000', 1, 2) AS HUGEINT)
            + CASE WHEN substr(split_part(ltrim(a, '+-'), '.', 2) || '000', 3, 1) >= '5' THEN 1 ELSE 0 END))
FROM ok GROUP BY f ORDER BY f
"""


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--totals":
        con = duckdb.connect()
        for f, n, t in con.execute(TOTALS, {"glob": os.path.join(sys.argv[2], "*.csv")}).fetchall():
            print(f"{f},{n},{t}")
        return 0
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    start = time.perf_counter()
    con = duckdb.connect()
    out = sys.argv[2].replace("'", "''")
    con.execute(COPY.replace("__OUT__", out), {"glob": os.path.join(sys.argv[1], "*.csv")})
    n = con.execute("SELECT count(*) FROM read_parquet($p)", {"p": sys.argv[2]}).fetchone()[0]
    print(f"b1_copy_duckdb: {time.perf_counter() - start:.3f} s, duckdb {duckdb.__version__}, "
          f"{n} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
