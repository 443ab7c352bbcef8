//! The XLSX workbook: one sheet per breakdown of [`crate::tables`], then the Definitions sheet.
//! Money is stored as a number of pounds (pence ÷ 100) with the `£#,##0.00` format, shares as
//! fractions with the `0.0%` format, so they sum and chart in a spreadsheet as they are.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use crate::input::ReportInput;
use crate::tables::{self, Cell, Table};

/// Currency format of money cells.
pub const MONEY_FORMAT: &str = "£#,##0.00";
/// Format of share cells.
pub const PCT_FORMAT: &str = "0.0%";

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
                    ws.write_string_with_format(r, c, s, &wrap)?;
                }
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
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
    let mut wb = Workbook::new();
    for t in tables::all(input) {
        sheet(&mut wb, &t).map_err(io)?;
    }
    wb.save_to_buffer().map_err(io)
}

/// Write the workbook to `path` atomically (via `path.partial`).
pub fn write(input: &ReportInput, path: &Path) -> std::io::Result<()> {
    crate::write_atomic(path, &to_bytes(input)?)
}
