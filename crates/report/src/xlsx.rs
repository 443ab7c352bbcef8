//! The XLSX workbook: one sheet per breakdown of [`crate::tables`], then the Definitions sheet.
//! Money is stored as a number of pounds (pence ÷ 100) with the `£#,##0.00` format, shares as
//! fractions with the `0.0%` format, so they sum and chart in a spreadsheet as they are.
//! Text cells are neutralised against formulas and cut to Excel's 32,767 characters with a
//! marker ([`cell_text`]), so one long supplier name never stops the workbook being written.

use std::path::Path;

use anchornet_core::cell::spreadsheet_text;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use crate::input::ReportInput;
use crate::tables::{self, Cell, Table};

/// Currency format of money cells.
pub const MONEY_FORMAT: &str = "£#,##0.00";
/// Format of share cells.
pub const PCT_FORMAT: &str = "0.0%";

/// The most characters an XLSX cell holds (Excel's specifications and limits: "Total
/// number of characters that a cell can contain: 32,767"); rust_xlsxwriter refuses more.
pub const MAX_CELL_CHARS: usize = 32_767;

/// A text cell's value in the workbook: formula triggers neutralised like every
/// spreadsheet-bound output ([`spreadsheet_text`]), and a value over [`MAX_CELL_CHARS`] cut
/// with a marker saying so — the CSV set, `analysis.json` and Parquet keep it whole.
pub fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    let safe = spreadsheet_text(s);
    if safe.len() <= MAX_CELL_CHARS || safe.chars().count() <= MAX_CELL_CHARS {
        return safe;
    }
    let total = safe.chars().count();
    let marker = format!(" […cut: {total} characters; the CSV set has the whole value]");
    let keep = MAX_CELL_CHARS - marker.chars().count();
    let mut out: String = safe.chars().take(keep).collect();
    out.push_str(&marker);
    std::borrow::Cow::Owned(out)
}

fn io(e: XlsxError) -> std::io::Error {
    std::io::Error::other(e)
}

fn sheet(wb: &mut Workbook, t: &Table) -> Result<(), XlsxError> {
    let head = Format::new().set_bold().set_background_color("#E8EEF4");
    let money = Format::new().set_num_format(MONEY_FORMAT);
    let pct = Format::new().set_num_format(PCT_FORMAT);
    let num = Format::new().set_num_format("0.00");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let ws = wb.add_worksheet();
    ws.set_name(t.sheet)?;
    for (c, col) in t.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, &col.title, &head)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) if t.file == "definitions" => {
                    ws.write_string_with_format(r, c, cell_text(s), &wrap)?;
                }
                Cell::Text(s) => {
                    ws.write_string(r, c, cell_text(s))?;
                }
                Cell::Int(n) => {
                    ws.write_number(r, c, *n as f64)?;
                }
                Cell::Money(p) => {
                    ws.write_number_with_format(r, c, *p as f64 / 100.0, &money)?;
                }
                Cell::Pct(Some(x)) if x.is_finite() => {
                    ws.write_number_with_format(r, c, *x, &pct)?;
                }
                Cell::Num(Some(x)) if x.is_finite() => {
                    ws.write_number_with_format(r, c, *x, &num)?;
                }
                Cell::Pct(_) | Cell::Num(_) => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if t.file == "definitions" {
        ws.set_column_width(0, 9)?;
        ws.set_column_width(1, 48)?;
        ws.set_column_width(2, 80)?;
        ws.set_column_width(3, 40)?;
        ws.set_column_width(4, 40)?;
    } else {
        ws.autofit();
    }
    Ok(())
}

/// The workbook as bytes.
pub fn to_bytes(input: &ReportInput) -> std::io::Result<Vec<u8>> {
    tables_to_bytes(&tables::all(input))
}

/// Any tables as a workbook, one sheet each, written as the report's are (formula-safe
/// text, money in pounds, shares as percentages): for other outputs built as [`Table`]s.
pub fn tables_to_bytes(ts: &[Table]) -> std::io::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    for t in ts {
        sheet(&mut wb, t).map_err(io)?;
    }
    wb.save_to_buffer().map_err(io)
}

/// Write the workbook to `path` atomically (via `path.partial`).
pub fn write(input: &ReportInput, path: &Path) -> std::io::Result<()> {
    crate::write_atomic(path, &to_bytes(input)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::Column;
    use calamine::Reader;

    fn one_cell_table(v: &str) -> Table {
        Table {
            file: "t",
            sheet: "T",
            about: "one row",
            columns: vec![Column {
                name: "supplier".into(),
                title: "Supplier".into(),
                meaning: String::new(),
            }],
            rows: vec![vec![Cell::Text(v.into())], vec![Cell::Money(-1250)]],
        }
    }

    #[test]
    fn text_over_the_cell_limit_is_cut_with_a_marker() {
        // Multi-byte characters: the limit counts characters, not bytes.
        let long = "é".repeat(40_000);
        let c = cell_text(&long);
        assert_eq!(c.chars().count(), 32_767);
        assert!(c.starts_with("éééé"));
        assert!(c.ends_with(" […cut: 40000 characters; the CSV set has the whole value]"));
        assert_eq!(cell_text(&"é".repeat(32_767)), "é".repeat(32_767));
        assert_eq!(cell_text("=1+1"), "'=1+1");
        assert_eq!(cell_text("-12.50"), "-12.50");
    }

    #[test]
    fn a_workbook_with_a_long_cell_and_a_formula_is_written_and_reads_back() {
        for (v, want) in [
            ("=HYPERLINK(\"http://evil.example/\")".to_string(), None),
            ("x".repeat(40_000), Some(32_767)),
        ] {
            let mut wb = Workbook::new();
            sheet(&mut wb, &one_cell_table(&v)).unwrap();
            let bytes = wb.save_to_buffer().unwrap();
            let mut x = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            let r = x.worksheet_range("T").unwrap();
            let got = r.get_value((1, 0)).unwrap().to_string();
            match want {
                None => assert_eq!(got, format!("'{v}")),
                Some(n) => assert_eq!(got.chars().count(), n),
            }
            // Money stays a number.
            assert_eq!(r.get_value((2, 0)), Some(&calamine::Data::Float(-12.5)));
        }
    }
}
