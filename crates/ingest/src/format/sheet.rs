//! Shared reading of spreadsheet workbooks (XLSX and ODS) through calamine.
//! Dates stored as spreadsheet dates become ISO text; numbers keep full precision.

use calamine::{Data, Reader};

use super::{Row, Table};

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                // Shortest representation that round-trips; never exponent for money sizes.
                let s = format!("{f}");
                if s.contains('e') {
                    format!("{f:.6}")
                } else {
                    s
                }
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => {
            if *b {
                "TRUE".into()
            } else {
                "FALSE".into()
            }
        }
        Data::DateTime(dt) => anchornet_core::PaymentDate::from_excel_serial(dt.as_f64())
            .map(|d| d.to_string())
            .unwrap_or_else(|| dt.as_f64().to_string()),
        Data::DateTimeIso(s) => s.clone(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#ERROR {e:?}"),
    }
}

/// Read every non-empty sheet of a workbook.
pub fn read_workbook<R: Reader<std::io::Cursor<Vec<u8>>>>(
    mut wb: R,
    kind: &str,
) -> Result<Vec<Table>, String>
where
    R::Error: std::fmt::Display,
{
    let names = wb.sheet_names().to_vec();
    let mut out = Vec::new();
    for name in names {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| format!("sheet {name:?}: {e}"))?;
        let (r0, _c0) = range.start().unwrap_or((0, 0));
        let rows: Vec<Row> = range
            .rows()
            .enumerate()
            .map(|(i, r)| Row {
                line: r0 as u64 + i as u64 + 1,
                cells: r.iter().map(cell_text).collect(),
            })
            .collect();
        if rows.iter().all(Row::is_blank) {
            continue;
        }
        out.push(Table {
            description: format!("{kind}, sheet {name:?}"),
            rows,
            sheet: Some(name),
        });
    }
    if out.is_empty() {
        return Err("workbook has no sheet with data".into());
    }
    Ok(out)
}
