#!/usr/bin/env python3
"""B2 peer: DuckDB normalises every input line in SQL and joins it to the ONS postcode
directory and the IMD 2019 file (see BENCHMARKS.md, "B2").

Usage:
  bench/b2_duckdb.py --load DB DIRECTORY.csv IMD2019.csv   load both CSVs into tables (not timed:
                                                          DuckDB's counterpart of Anchornet's index)
  bench/b2_duckdb.py DB INPUT OUTPUT                       answer INPUT into OUTPUT (timed)

Answer line, in input order: `postcode,lsoa11,imd2019_decile,lad,terminated` — the canonical
postcode (outward, one space, inward), the directory's 2011 LSOA (blank for the pseudo codes
`…99999999` of the Channel Islands and Isle of Man), its IMD 2019 decile (blank outside
England), the directory's district, 1 if terminated else 0. A string that is not a postcode gives
`,invalid,,,`; a valid postcode not in the directory `POSTCODE,unknown,,,`.

Validity follows the Royal Mail rules as written in SQL below, independently of the Rust code:
white space removed, upper-cased, then outward code A9 A99 A9A AA9 AA99 AA9A (no Q V X first,
no I J Z second, A9A's letter from ABCDEFGHJKPSTUW, AA9A's from ABEHMNPRVWXY) and inward 9AA
(letters never C I K M O V); GIR 0AA and the ten overseas-territory codes are valid too.
"""
import sys
import time

import duckdb

OUTWARD = (
    "(?:[A-PR-UWYZ][0-9]|[A-PR-UWYZ][0-9][0-9]|[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]"
    "|[A-PR-UWYZ][A-HK-Y][0-9]|[A-PR-UWYZ][A-HK-Y][0-9][0-9]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
)
# The pre-standard districts the ONS directory still lists (NPT, W1M/N/R/V/X/Y), accepted with
# any inward letters, as anchornet-core's Postcode does.
HISTORIC = "(?:NPT|W1[MNRVXY])[0-9][A-Z][A-Z]"
RULE = "(?:" + OUTWARD + "[0-9][ABD-HJLNP-UW-Z][ABD-HJLNP-UW-Z]|" + HISTORIC + ")"
SPECIAL = ["GIR0AA", "ASCN1ZZ", "STHL1ZZ", "TDCU1ZZ", "BBND1ZZ", "BIQQ1ZZ", "FIQQ1ZZ",
           "GX111AA", "PCRN1ZZ", "SIQQ1ZZ", "TKCA1ZZ"]

QUERY = f"""
COPY (
    WITH inp AS (
        SELECT row_number() OVER () AS i, raw
        FROM read_csv($input, columns = {{'raw': 'VARCHAR'}}, header = false, delim = '\\t',
                      quote = '', escape = '', auto_detect = false, strict_mode = false)
    ),
    norm AS (
        SELECT i, upper(regexp_replace(coalesce(raw, ''), '[ \\t\\r\\n\\x0b\\x0c]', '', 'g')) AS c FROM inp
    ),
    valid AS (
        SELECT i,
               CASE WHEN regexp_full_match(c, '{RULE}') OR c IN ({", ".join(f"'{s}'" for s in SPECIAL)})
                    THEN substr(c, 1, length(c) - 3) || ' ' || right(c, 3) END AS p
        FROM norm
    )
    SELECT v.p,
           CASE WHEN v.p IS NULL THEN 'invalid'
                WHEN d.pcds IS NULL THEN 'unknown'
                WHEN d.lsoa11cd LIKE '%99999999' THEN NULL
                ELSE d.lsoa11cd END,
           m.imd_decile,
           d.ladcd,
           CASE WHEN d.pcds IS NULL THEN NULL WHEN d.doterm IS NULL THEN 0 ELSE 1 END
    FROM valid v
    LEFT JOIN directory d ON d.pcds = v.p
    LEFT JOIN imd m ON m.lsoa11_code = d.lsoa11cd
    ORDER BY v.i
) TO '__OUT__' (FORMAT csv, HEADER false)
"""


def main():
    if sys.argv[1] == "--load":
        db, directory, imd = sys.argv[2:5]
        con = duckdb.connect(db)
        con.execute("CREATE OR REPLACE TABLE directory AS SELECT pcds, doterm, lsoa11cd, ladcd "
                    "FROM read_csv($p, all_varchar = true)", {"p": directory})
        con.execute("CREATE OR REPLACE TABLE imd AS SELECT lsoa11_code, CAST(IMD_decile AS INTEGER) AS imd_decile "
                    "FROM read_csv($p, all_varchar = true)", {"p": imd})
        con.close()
        return
    db, inp, out = sys.argv[1:4]
    t = time.time()
    con = duckdb.connect(db, read_only=True)
    con.execute(QUERY.replace("__OUT__", out.replace("'", "''")), {"input": inp})
    print(f"duckdb: {time.time() - t:.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
