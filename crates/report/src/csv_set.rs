//! The CSV set: one file per breakdown of [`crate::tables`], named `<table>.csv`, in UTF-8 with
//! a header row. Money is exact decimal pounds (`1234.56`, columns ending `_gbp`); shares are
//! percentages to two decimals (columns ending `_pct`); an undefined value is empty.
//! The set is meant for spreadsheets, so text that a spreadsheet would run as a formula is
//! neutralised ([`anchornet_core::cell::spreadsheet_text`]); numbers are written as they are.

use std::io::Write;
use std::path::{Path, PathBuf};

use anchornet_core::cell::spreadsheet_text;

use crate::input::ReportInput;
use crate::tables::{self, Table};

/// One table as CSV bytes.
pub fn to_bytes(t: &Table) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(t.columns.iter().map(|c| c.name.as_str()));
    for r in &t.rows {
        let _ = w.write_record(r.iter().map(|c| spreadsheet_text(&c.csv()).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

/// Write every breakdown into `dir` (created if missing) and return the paths written. Each
/// file goes to `NAME.partial` first; all are renamed into place only when every one is
/// complete, so a failure leaves no half-written set.
pub fn write(input: &ReportInput, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut pending = Vec::new();
    let mut paths = Vec::new();
    for t in tables::all(input) {
        let path = dir.join(format!("{}.csv", t.file));
        let (mut w, p) = crate::write::atomic(&path)?;
        w.write_all(&to_bytes(&t))?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        pending.push(p);
        paths.push(path);
    }
    for p in pending {
        p.commit()?;
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::{Cell, Column};

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        let col = |n: &str| Column {
            name: n.into(),
            title: n.into(),
            meaning: String::new(),
        };
        let t = Table {
            file: "t",
            sheet: "T",
            about: "one row",
            columns: vec![col("supplier"), col("gbp"), col("n")],
            rows: vec![
                vec![
                    Cell::Text("=HYPERLINK(\"http://evil.example/\")".into()),
                    Cell::Money(-1250),
                    Cell::Int(-3),
                ],
                vec![Cell::Text("\t@SUM(1)".into()), Cell::Money(5), Cell::Int(0)],
            ],
        };
        let text = String::from_utf8(to_bytes(&t)).unwrap();
        assert_eq!(
            text,
            "supplier,gbp,n\n\"'=HYPERLINK(\"\"http://evil.example/\"\")\",-12.50,-3\n'\t@SUM(1),0.05,0\n"
        );
    }
}
