//! The CSV set and the XLSX workbook, on a real network (see `common/mod.rs`): written
//! atomically, read back, and their figures equal to the analysis — and adding up the way the
//! money does (anchors to the network, categories and deciles to the total, exclusions plus
//! influenceable to the total).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use anchornet_core::Pence;
use anchornet_report::{csv_set, tables, xlsx};
use calamine::{open_workbook, Data, Reader, Xlsx};

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("report-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A CSV file as header → column index, and rows.
fn read_csv(path: &std::path::Path) -> (BTreeMap<String, usize>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let h = r
        .headers()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, h)| (h.to_string(), i))
        .collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (h, rows)
}

fn p(s: &str) -> i64 {
    Pence::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}")).0
}

#[test]
fn csv_set_holds_the_analysis_and_reconciles() {
    let f = common::fixture();
    let a = &f.analysis;
    let dir = tmp("csv");
    let written = csv_set::write(&f.input(), &dir).unwrap();
    let names: Vec<String> = tables::all(&f.input())
        .iter()
        .map(|t| format!("{}.csv", t.file))
        .collect();
    let got: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    assert_eq!(got, names);
    for n in [
        "headline.csv",
        "categories.csv",
        "leakage.csv",
        "exclusions.csv",
        "top_suppliers.csv",
        "year_coverage.csv",
        "year_on_year.csv",
        "checks.csv",
        "definitions.csv",
    ] {
        assert!(names.contains(&n.to_string()), "{n}");
    }
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(left.is_empty(), "partial files left: {left:?}");

    // headline: every figure equals the analysis; anchors add up to the network
    let (h, rows) = read_csv(&dir.join("headline.csv"));
    assert_eq!(rows.len(), a.figures.len());
    let mut anchors_total: BTreeMap<String, i64> = BTreeMap::new();
    for r in &rows {
        let (scope, fy) = (&r[h["scope"]], &r[h["financial_year"]]);
        let fig = a.get(scope, fy).expect("scope and year");
        assert_eq!(p(&r[h["total_gbp"]]), fig.total.pence, "{scope} {fy}");
        assert_eq!(p(&r[h["influenceable_gbp"]]), fig.influenceable.pence);
        assert_eq!(
            p(&r[h["excluded_gbp"]]) + p(&r[h["influenceable_gbp"]]),
            p(&r[h["total_gbp"]])
        );
        assert_eq!(p(&r[h["local_gbp"]]), fig.local.matched);
        assert_eq!(p(&r[h["local_known_gbp"]]), fig.local.known);
        assert_eq!(
            r[h["local_pct_of_known"]],
            format!("{:.2}", 100.0 * fig.local.of_known().unwrap())
        );
        assert_eq!(p(&r[h["deprived_gbp"]]), fig.deprived.share.matched);
        assert_eq!(r[h["vcse_pct_of_known"]], "", "VCSE is never known here");
        if scope != "network" {
            *anchors_total.entry(fy.clone()).or_default() += p(&r[h["total_gbp"]]);
        }
    }
    for (fy, t) in &anchors_total {
        assert_eq!(*t, a.get("network", fy).unwrap().total.pence, "{fy}");
    }
    // Salford's 2021/22 total, summed independently from the ingested payments
    let salford: i64 = f
        .payments
        .iter()
        .filter(|x| x.anchor == "Salford City Council" && x.financial_year.to_string() == "2021/22")
        .map(|x| x.amount.0)
        .sum();
    let row = rows
        .iter()
        .find(|r| r[h["scope"]] == "Salford City Council" && r[h["financial_year"]] == "2021/22")
        .unwrap();
    assert_eq!(p(&row[h["total_gbp"]]), salford);

    // categories and deciles add up to the network's figures
    let (h, rows) = read_csv(&dir.join("categories.csv"));
    let (dh, drows) = read_csv(&dir.join("deciles.csv"));
    for fy in a.year_names() {
        let net = a.get("network", &fy).unwrap();
        let cats: i64 = rows
            .iter()
            .filter(|r| r[h["scope"]] == "network" && r[h["financial_year"]] == fy)
            .map(|r| p(&r[h["total_gbp"]]))
            .sum();
        assert_eq!(cats, net.total.pence, "categories {fy}");
        let dec: Vec<&Vec<String>> = drows
            .iter()
            .filter(|r| r[dh["scope"]] == "network" && r[dh["financial_year"]] == fy)
            .collect();
        assert_eq!(dec.len(), 11);
        let s: i64 = dec.iter().map(|r| p(&r[dh["influenceable_gbp"]])).sum();
        assert_eq!(s, net.influenceable.pence, "deciles {fy}");
    }

    // leakage: local + leaked + not located = influenceable, and categories cover it all
    let (h, rows) = read_csv(&dir.join("leakage.csv"));
    for fy in a.year_names() {
        let mut inf = 0;
        for r in rows.iter().filter(|r| r[h["financial_year"]] == fy) {
            let i = p(&r[h["influenceable_gbp"]]);
            assert_eq!(
                p(&r[h["local_gbp"]]) + p(&r[h["leaked_gbp"]]) + p(&r[h["not_located_gbp"]]),
                i
            );
            inf += i;
        }
        assert_eq!(inf, a.get("network", &fy).unwrap().influenceable.pence);
    }

    // exclusions: removed + influenceable = total, per scope and year
    let (h, rows) = read_csv(&dir.join("exclusions.csv"));
    for sf in &a.figures {
        let fy = sf.fy.unwrap().to_string();
        let removed: i64 = rows
            .iter()
            .filter(|r| sf.scope == r[h["scope"]].as_str() && r[h["financial_year"]] == fy)
            .map(|r| p(&r[h["removed_gbp"]]))
            .sum();
        assert_eq!(
            removed + sf.figures.influenceable.pence,
            sf.figures.total.pence
        );
    }

    // year coverage says Manchester is not in 2022/23
    let (h, rows) = read_csv(&dir.join("year_coverage.csv"));
    let m = rows
        .iter()
        .find(|r| {
            r[h["financial_year"]] == "2022/23" && r[h["anchor"]] == "Manchester City Council"
        })
        .unwrap();
    assert_eq!(m[h["covered"]], "no");

    // definitions name every column of every other file
    let (h, defs) = read_csv(&dir.join("definitions.csv"));
    for t in tables::all(&f.input())
        .iter()
        .filter(|t| t.file != "definitions")
    {
        for c in &t.columns {
            let want = format!("{} / {}.csv: {}", t.sheet, t.file, c.name);
            assert!(defs.iter().any(|r| r[h["name"]] == want), "{want}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn workbook_has_a_sheet_per_breakdown_with_money_as_pounds() {
    let f = common::fixture();
    let a = &f.analysis;
    let dir = tmp("xlsx");
    let path = dir.join("report.xlsx");
    xlsx::write(&f.input(), &path).unwrap();
    assert!(!dir.join("report.xlsx.partial").exists());
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let want: Vec<String> = tables::all(&f.input())
        .iter()
        .map(|t| t.sheet.to_string())
        .collect();
    assert_eq!(wb.sheet_names(), want);
    assert_eq!(want.last().unwrap(), "Definitions");

    let range = wb.worksheet_range("Headline").unwrap();
    let mut rows = range.rows();
    let head: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = |t: &str| {
        head.iter()
            .position(|h| h == t)
            .unwrap_or_else(|| panic!("{t}"))
    };
    let (c_scope, c_fy, c_total, c_inf, c_local_pct) = (
        col("Scope"),
        col("Financial year"),
        col("Total £"),
        col("Influenceable £"),
        col("Local % of known"),
    );
    let mut n = 0;
    for r in rows {
        let fig = a
            .get(&r[c_scope].to_string(), &r[c_fy].to_string())
            .expect("scope and year");
        let pounds = |d: &Data| match d {
            Data::Float(x) => (x * 100.0).round() as i64,
            other => panic!("money stored as {other:?}, not a number"),
        };
        assert_eq!(pounds(&r[c_total]), fig.total.pence);
        assert_eq!(pounds(&r[c_inf]), fig.influenceable.pence);
        match &r[c_local_pct] {
            Data::Float(x) => assert!((x - fig.local.of_known().unwrap()).abs() < 1e-12),
            other => panic!("share stored as {other:?}"),
        }
        n += 1;
    }
    assert_eq!(n, a.figures.len());

    // the leakage sheet adds up to the network's influenceable spend
    let range = wb.worksheet_range("Leakage").unwrap();
    let mut rows = range.rows();
    let head: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let (c_fy, c_inf) = (
        head.iter().position(|h| h == "Financial year").unwrap(),
        head.iter().position(|h| h == "Influenceable £").unwrap(),
    );
    let mut by_year: BTreeMap<String, i64> = BTreeMap::new();
    for r in rows {
        if let Data::Float(x) = r[c_inf] {
            *by_year.entry(r[c_fy].to_string()).or_default() += (x * 100.0).round() as i64;
        }
    }
    for fy in a.year_names() {
        assert_eq!(
            by_year[&fy],
            a.get("network", &fy).unwrap().influenceable.pence,
            "{fy}"
        );
    }

    // money cells carry the currency format, shares the percentage format
    let file = std::fs::File::open(&path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(styles.contains("formatCode=\"£#,##0.00\""), "{styles}");
    assert!(styles.contains("formatCode=\"0.0%\""), "{styles}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn docs_describe_every_file_and_sheet() {
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.md"),
    )
    .unwrap();
    let f = common::fixture();
    for t in tables::all(&f.input()) {
        let row = format!("| `{}.csv` | {} |", t.file, t.sheet);
        assert!(doc.contains(&row), "docs/report.md lacks the row {row}");
    }
}
