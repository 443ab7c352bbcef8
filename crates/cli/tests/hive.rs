//! `anchornet ingest --out DIR --partitioned` (issue 18): payments as Parquet partitioned by
//! anchor and financial year in the hive layout. Four real demo ledgers (Salford and
//! Manchester, March and April 2022: two anchors, two financial years) are written as a tree
//! and as one file; every part is read back with the `parquet` crate, and per (anchor, year)
//! the row count and total pence equal an independent count of the source CSVs (read here
//! with the `csv` crate and the columns named by hand, sharing no code with ingest); the
//! union of the parts, with anchor and year restored from the paths, equals the single file
//! row for row. `anchornet analyse --partitioned` writes the resolved payments of the same
//! ledgers as such a tree: counted and totalled the same way, and equal row for row to the
//! single `payments.parquet` of the same analysis.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use parquet::file::reader::{FileReader, SerializedFileReader};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn tmp(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("anchornet-hive-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// (file, body column, date column, amount column): the demo's original layouts.
const FILES: [(&str, &str, &str, &str); 4] = [
    (
        "data/demo/spend/salford/2022-03.csv.xz",
        "Authority Name",
        "Date of Payment",
        "Net",
    ),
    (
        "data/demo/spend/salford/2022-04.csv.xz",
        "Authority Name",
        "Date of Payment",
        "Net",
    ),
    (
        "data/demo/spend/manchester/2022-03.csv.xz",
        "Body Name",
        "Invoice Payment Date",
        "Net Amount",
    ),
    (
        "data/demo/spend/manchester/2022-04.csv.xz",
        "Body Name",
        "Invoice Payment Date",
        "Net Amount",
    ),
];

/// Plain decimal pounds (`-1,234.5`) to pence, exactly; `None` if not such a number.
fn pence(s: &str) -> Option<i64> {
    let s = s.trim().replace(',', "");
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, s),
    };
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
    {
        return None;
    }
    let p = whole.parse::<i64>().unwrap_or(0) * 100 + format!("{frac:0<2}").parse::<i64>().unwrap();
    Some(if neg { -p } else { p })
}

/// An ISO date's financial year (1 April – 31 March) as `2021/22`.
fn financial_year(date: &str) -> Option<String> {
    let y: i32 = date.get(0..4)?.parse().ok()?;
    let m: u32 = date.get(5..7)?.parse().ok()?;
    let start = if m >= 4 { y } else { y - 1 };
    Some(format!("{start}/{:02}", (start + 1) % 100))
}

/// The independent count: per (anchor, financial year), rows with an ISO date and a plain
/// amount, and their pence.
fn expected() -> BTreeMap<(String, String), (u64, i64)> {
    expected_by(|_, body| body.to_string())
}

/// [`expected`], each row counted under `anchor(file, body)`.
fn expected_by(anchor: impl Fn(&str, &str) -> String) -> BTreeMap<(String, String), (u64, i64)> {
    let mut out = BTreeMap::new();
    for (file, body, date, amount) in FILES {
        let f = std::fs::File::open(root().join(file)).unwrap();
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(xz2::read::XzDecoder::new(f));
        let h = r.headers().unwrap().clone();
        let col = |n: &str| h.iter().position(|x| x.trim() == n).unwrap();
        let (bi, di, ai) = (col(body), col(date), col(amount));
        for rec in r.records() {
            let rec = rec.unwrap();
            let (Some(fy), Some(p)) = (
                financial_year(rec.get(di).unwrap_or("")),
                rec.get(ai).and_then(pence),
            ) else {
                continue;
            };
            let e = out
                .entry((anchor(file, rec[bi].trim()), fy))
                .or_insert((0, 0));
            e.0 += 1;
            e.1 += p;
        }
    }
    out
}

fn ingest(out: &Path, partitioned: bool) -> std::process::Output {
    let mut args: Vec<String> = vec!["ingest".into(), "--json".into()];
    args.extend(FILES.iter().map(|f| f.0.to_string()));
    args.push("--out".into());
    args.push(out.display().to_string());
    if partitioned {
        args.push("--partitioned".into());
    }
    Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .current_dir(root())
        .args(&args)
        .output()
        .unwrap()
}

/// `%XX` to its byte; the default partition to null (what hive-aware readers do).
fn unescape(s: &str) -> Option<String> {
    if s == "__HIVE_DEFAULT_PARTITION__" {
        return None;
    }
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let Some(x) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(x);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    Some(String::from_utf8(out).unwrap())
}

/// Every row of a Parquet file as `name=value` cells, sorted by name.
fn rows(path: &Path, extra: &[(String, String)]) -> Vec<Vec<String>> {
    let r = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    r.get_row_iter(None)
        .unwrap()
        .map(|row| {
            let mut cells: Vec<String> = row
                .unwrap()
                .get_column_iter()
                .map(|(n, f)| format!("{n}={f}"))
                .chain(extra.iter().map(|(n, v)| format!("{n}={v:?}")))
                .collect();
            cells.sort();
            cells
        })
        .collect()
}

fn parquet_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            parquet_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "parquet") {
            out.push(p);
        }
    }
}

/// Totals and rows of a partitioned tree.
type Tree = (
    Vec<PathBuf>,
    BTreeMap<(String, String), (u64, i64)>,
    Vec<Vec<String>>,
);

/// Read a hive tree of payments: its part files (sorted), each (anchor, year)'s row count and
/// total pence, and every row with anchor and year restored from its path. Each part must
/// hold `columns` columns, the partition columns not among them, `last` the last.
fn read_tree(tree: &Path, columns: usize, last: &str) -> Tree {
    let mut files = Vec::new();
    parquet_files(tree, &mut files);
    files.sort();
    let mut got: BTreeMap<(String, String), (u64, i64)> = BTreeMap::new();
    let mut union = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(tree).unwrap();
        let segs: Vec<String> = rel
            .iter()
            .map(|s| s.to_str().unwrap().to_string())
            .collect();
        assert_eq!(segs.len(), 3, "{}", rel.display());
        let anchor = unescape(segs[0].strip_prefix("anchor=").unwrap()).unwrap();
        let fy = unescape(segs[1].strip_prefix("financial_year=").unwrap()).unwrap();
        assert!(segs[2].starts_with("part-") && segs[2].ends_with(".parquet"));
        let r = SerializedFileReader::new(std::fs::File::open(f).unwrap()).unwrap();
        // The partition columns are in the path only.
        let names: Vec<String> = r
            .metadata()
            .file_metadata()
            .schema_descr()
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        assert!(!names.iter().any(|n| n == "anchor" || n == "financial_year"));
        assert_eq!(names.len(), columns, "{names:?}");
        assert_eq!(names.last().map(String::as_str), Some(last));
        let amount = names.iter().position(|n| n == "amount_pence").unwrap();
        let e = got.entry((anchor.clone(), fy.clone())).or_insert((0, 0));
        for row in r.get_row_iter(None).unwrap() {
            let row = row.unwrap();
            e.0 += 1;
            e.1 += parquet::record::RowAccessor::get_long(&row, amount).unwrap();
        }
        union.extend(rows(
            f,
            &[
                ("anchor".to_string(), anchor),
                ("financial_year".to_string(), fy),
            ],
        ));
    }
    (files, got, union)
}

/// Every row of a single payments file, with anchor and year quoted as [`read_tree`] quotes
/// its path values, each row's cells sorted.
fn single_rows(single: &Path) -> Vec<Vec<String>> {
    rows(single, &[])
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|c| {
                    for n in ["anchor=", "financial_year="] {
                        if let Some(v) = c.strip_prefix(n) {
                            return format!("{n}{:?}", v.trim_matches('"'));
                        }
                    }
                    c
                })
                .collect::<Vec<_>>()
        })
        .map(|mut r| {
            r.sort();
            r
        })
        .collect()
}

#[test]
fn partitioned_payments_match_an_independent_count_and_the_single_file() {
    let t = tmp("tree");
    let tree = t.join("payments");
    let single = t.join("payments.parquet");
    let o = ingest(&tree, true);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = ingest(&single, false);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Complete, and nothing half-written beside it.
    assert!(tree.join("_SUCCESS").is_file());
    assert!(!t.join("payments.partial").exists());

    // The 23 columns of `--out payments.parquet` (docs/ingest.md, `proclass_code` last) less
    // the two in the path.
    let (files, got, mut union) = read_tree(&tree, 21, "proclass_code");
    let want = expected();
    assert_eq!(want.len(), 4, "{want:?}");
    assert_eq!(got, want);
    // The path value of a year is escaped as Hive escapes `/`.
    assert!(tree
        .join("anchor=Salford City Council/financial_year=2021%2F22/part-00000.parquet")
        .is_file());

    // The union of the parts is the single file, row for row (text values quoted alike).
    let mut single_rows = single_rows(&single);
    single_rows.sort();
    union.sort();
    assert_eq!(union.len(), single_rows.len());
    assert!(
        union == single_rows,
        "the parts differ from the single file"
    );

    // A second run replaces the tree it made.
    let o = ingest(&tree, true);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut again = Vec::new();
    parquet_files(&tree, &mut again);
    again.sort();
    assert_eq!(again, files);
    std::fs::remove_dir_all(&t).unwrap();
}

#[test]
fn a_partitioned_run_that_fails_leaves_nothing_and_touches_nothing() {
    let t = tmp("fail");
    // A directory that is not a partitioned output: refused, left as it was, nothing beside.
    let dir = t.join("mine");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "keep me").unwrap();
    let o = ingest(&dir, true);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("is not a partitioned output"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    let left: Vec<_> = std::fs::read_dir(&t)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["mine"], "{left:?}");
    std::fs::remove_dir_all(&t).unwrap();
}

/// `anchornet analyse FOLDERS --place Salford --out OUT [ARGS]` over the four ledgers, each
/// anchor a folder of its two months (the anchor's name is the folder's).
fn analyse(net: &Path, out: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .arg("analyse")
        .arg(net.join("salford"))
        .arg(net.join("manchester"))
        .args(["--place", "Salford", "--no-cache", "--out"])
        .arg(out)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn analyse_writes_the_resolved_payments_partitioned_when_asked() {
    let t = tmp("analyse");
    let net = t.join("net");
    for (file, ..) in FILES {
        let src = root().join(file);
        let folder = src.parent().unwrap().file_name().unwrap();
        std::fs::create_dir_all(net.join(folder)).unwrap();
        std::fs::copy(&src, net.join(folder).join(src.file_name().unwrap())).unwrap();
    }
    let (tree_out, single_out) = (t.join("tree"), t.join("single"));
    // The single file first into the tree's directory too: the partitioned run replaces it.
    for out in [&tree_out, &single_out] {
        let o = analyse(&net, out, &[]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = analyse(&net, &tree_out, &["--partitioned"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("payments"), "{stdout}");
    let tree = tree_out.join("payments");
    assert!(tree.join("_SUCCESS").is_file());
    assert!(
        !tree_out.join("payments.parquet").exists(),
        "the other layout is left behind"
    );
    assert!(!tree_out.join("payments.partial").exists());

    // 18 columns in all, anchor and year only in the paths.
    let (_, got, mut union) = read_tree(&tree, 16, "excluded_by");
    // Every payment of the ledgers, counted independently, under its folder's anchor.
    let want = expected_by(|file, _| {
        let folder = Path::new(file).parent().unwrap().file_name().unwrap();
        folder.to_str().unwrap().to_string()
    });
    assert_eq!(want.len(), 4, "{want:?}");
    assert_eq!(got, want);
    let mut single = single_rows(&single_out.join("payments.parquet"));
    single.sort();
    union.sort();
    assert_eq!(union.len(), single.len());
    assert!(union == single, "the parts differ from the single file");

    // Back to one file: the tree the partitioned run made is removed.
    let o = analyse(&net, &tree_out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(tree_out.join("payments.parquet").is_file());
    assert!(!tree.exists());
    std::fs::remove_dir_all(&t).unwrap();
}
