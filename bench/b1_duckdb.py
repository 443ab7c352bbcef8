#!/usr/bin/env python3
"""B1 peer: the whole benchmark as one DuckDB SQL query (see BENCHMARKS.md, "B1").

Usage: bench/b1_duckdb.py DIR  -> prints `publisher,fy,rows,rejected,total_pence,suppliers,top10_share`
for every (publisher, financial year) over DIR/*.csv, sorted, no header. Timing goes to stderr.

The SQL follows the spec literally and independently of the Rust code:
- fy: `YYYY-MM-DD` that is also a real calendar date, April-March, named by its starting year;
  anything else is `unknown`.
- amount: drop `,` and `£`, trim spaces, full-match the spec's regex, else the row is rejected;
  pence are computed from the digit strings (half away from zero), never through a float.
- supplier key: `&` -> ` AND `, runs of non-alphanumerics -> one space (done before upper() so
  that only ASCII letters are upper-cased, as the spec's "uppercase (ASCII)" says), trim, drop a
  leading `THE `, drop trailing LTD/LIMITED/PLC/LLP tokens, trim. An empty key (blank or
  all-punctuation name) is a key like any other: it counts once in `suppliers`.
"""
import os
import sys
import time

import duckdb

QUERY = r"""
WITH raw AS (
    SELECT filename AS f,
           coalesce(payment_date, '') AS d,
           trim(replace(replace(coalesce(amount, ''), ',', ''), '£', ''), ' ') AS a,
           coalesce(beneficiary_name, '') AS n
    FROM read_csv($glob, all_varchar = true, header = true, delim = ',', quote = '"',
                  escape = '"', filename = true, strict_mode = true)
),
parsed AS (
    SELECT f,
           CASE WHEN regexp_full_match(d, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
                     AND try_cast(d AS DATE) IS NOT NULL
                THEN CAST(year(CAST(d AS DATE)) - CASE WHEN month(CAST(d AS DATE)) < 4 THEN 1 ELSE 0 END
                          AS VARCHAR)
                ELSE 'unknown' END AS fy,
           regexp_full_match(a, '[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)') AS ok,
           a,
           n
    FROM raw
),
-- Aggregate by raw name first, so that the supplier key is computed once per distinct
-- (file, year, name) rather than once per row, and the file stem once per group.
by_name AS (
    SELECT parse_filename(f, true) AS publisher, fy, n,
           count(*) AS rows,
           count(*) FILTER (WHERE NOT ok) AS rejected,
           count(*) FILTER (WHERE ok) AS accepted,
           sum(CASE
               WHEN NOT ok THEN NULL
               -- Fast exact path: a string of at most 14 characters with at most 4 decimals
               -- fits DECIMAL(18,4) with no rounding on the cast (at most 14 integer digits);
               -- round(DECIMAL, 2) is half away from zero.
               WHEN length(a) <= 14 AND length(split_part(a, '.', 2)) <= 4
                   THEN CAST(round(CAST(a AS DECIMAL(18, 4)), 2) * 100 AS BIGINT)
               -- General exact path on the digit strings (any length).
               ELSE (CASE WHEN starts_with(a, '-') THEN -1 ELSE 1 END) *
                    (coalesce(try_cast(nullif(split_part(ltrim(a, '+-'), '.', 1), '') AS HUGEINT), 0) * 100
                     + CAST(substr(split_part(ltrim(a, '+-'), '.', 2) || '000', 1, 2) AS HUGEINT)
                     + CASE WHEN substr(split_part(ltrim(a, '+-'), '.', 2) || '000', 3, 1) >= '5'
                            THEN 1 ELSE 0 END)
           END) AS pence
    FROM parsed GROUP BY f, fy, n
),
keyed AS (
    SELECT *,
           trim(regexp_replace(
               ' ' || regexp_replace(
                   upper(trim(regexp_replace(replace(n, '&', ' AND '), '[^A-Za-z0-9]+', ' ', 'g'))),
                   '^THE ', ''),
               '( (LTD|LIMITED|PLC|LLP))+$', '')) AS k
    FROM by_name
),
groups AS (
    SELECT publisher, fy, sum(rows) AS rows, sum(rejected) AS rejected,
           coalesce(sum(pence), 0) AS total_pence
    FROM keyed GROUP BY publisher, fy
),
per_supplier AS (
    SELECT publisher, fy, k, sum(pence) AS t FROM keyed WHERE accepted > 0
    GROUP BY publisher, fy, k
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY publisher, fy ORDER BY t DESC, k) AS rn
    FROM per_supplier
),
shares AS (
    SELECT publisher, fy, count(*) AS suppliers,
           sum(t) FILTER (WHERE t > 0) AS pos,
           sum(t) FILTER (WHERE t > 0 AND rn <= 10) AS top10
    FROM ranked GROUP BY publisher, fy
)
SELECT g.publisher || ',' || g.fy || ',' || g.rows || ',' || g.rejected || ',' || g.total_pence
       || ',' || coalesce(s.suppliers, 0) || ','
       || printf('%.12f', CASE WHEN s.pos > 0 THEN CAST(s.top10 AS DOUBLE) / CAST(s.pos AS DOUBLE)
                               ELSE 0.0 END) AS line
FROM groups g LEFT JOIN shares s USING (publisher, fy)
ORDER BY g.publisher, g.fy
"""


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: b1_duckdb.py DIR", file=sys.stderr)
        return 2
    start = time.perf_counter()
    con = duckdb.connect()
    rows = con.execute(QUERY, {"glob": os.path.join(sys.argv[1], "*.csv")}).fetchall()
    out = sys.stdout
    for (line,) in rows:
        out.write(line + "\n")
    out.flush()
    print(f"b1_duckdb: {time.perf_counter() - start:.3f} s, duckdb {duckdb.__version__}, "
          f"{len(rows)} groups", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
