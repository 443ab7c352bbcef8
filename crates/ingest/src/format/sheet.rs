//! Shared reading of spreadsheet workbooks (XLSX and ODS) through calamine.
//! Dates stored as spreadsheet dates become ISO text; numbers keep full precision.
//! Every sheet is checked against the [`Limits`] before a rectangle of its size is laid out.

use calamine::{Data, DataRef, Reader};

use super::{ReadError, Row, Table};
use crate::limits::{LimitError, Limits};

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

/// Where a sheet's cell is, in spreadsheet terms (`XFD1048576`), for messages.
pub fn a1(row: u32, col: u32) -> String {
    let mut c = col as u64 + 1;
    let mut letters = Vec::new();
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8(letters).unwrap_or_default(),
        row as u64 + 1
    )
}

fn check_cell(
    sheet: &str,
    row: u32,
    col: u32,
    text: &str,
    limits: &Limits,
) -> Result<(), LimitError> {
    // Bytes bound characters from above, so count characters only when bytes are over.
    if text.len() as u64 > limits.max_cell_chars {
        let n = text.chars().count() as u64;
        Limits::check(n, limits.max_cell_chars, "max_cell_chars", || {
            format!("sheet {sheet:?}, cell {}: {n} characters", a1(row, col))
        })?;
    }
    Ok(())
}

/// Check a sheet's rectangle of data — rows `r0..=r1`, columns `c0..=c1` (0-based) —
/// against the limits, before anything of that size is allocated.
pub fn check_dimensions(
    sheet: &str,
    (r0, c0): (u32, u32),
    (r1, c1): (u32, u32),
    limits: &Limits,
) -> Result<(), LimitError> {
    let rows = u64::from(r1.saturating_sub(r0)) + 1;
    let cols = u64::from(c1.saturating_sub(c0)) + 1;
    let span = || format!("{}:{}", a1(r0, c0), a1(r1, c1));
    Limits::check(rows, limits.max_rows, "max_rows", || {
        format!("sheet {sheet:?}: data spans {} ({rows} rows)", span())
    })
    .and_then(|_| {
        Limits::check(cols, limits.max_columns, "max_columns", || {
            format!("sheet {sheet:?}: data spans {} ({cols} columns)", span())
        })
    })
    .and_then(|_| {
        Limits::check(
            rows.saturating_mul(cols),
            limits.max_sheet_cells,
            "max_sheet_cells",
            || {
                format!(
                    "sheet {sheet:?}: data spans {} ({rows} rows × {cols} columns)",
                    span()
                )
            },
        )
    })
}

/// A table from a sheet's non-empty cells (0-based row, column, text), laid out as the
/// rectangle from the first to the last of them, like calamine's ranges: rows numbered from
/// the sheet's first row with data, each row's cells from the first column with data.
/// The rectangle is checked against the limits before it is built.
fn table_from_cells(
    kind: &str,
    name: &str,
    cells: Vec<(u32, u32, String)>,
    limits: &Limits,
) -> Result<Option<Table>, ReadError> {
    let Some(r0) = cells.iter().map(|c| c.0).min() else {
        return Ok(None);
    };
    let r1 = cells.iter().map(|c| c.0).max().unwrap_or(r0);
    let c0 = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let c1 = cells.iter().map(|c| c.1).max().unwrap_or(c0);
    check_dimensions(name, (r0, c0), (r1, c1), limits)?;
    let width = (c1 - c0) as usize + 1;
    let mut rows: Vec<Row> = (r0..=r1)
        .map(|r| Row {
            line: r as u64 + 1,
            cells: vec![String::new(); width],
        })
        .collect();
    for (r, c, text) in cells {
        rows[(r - r0) as usize].cells[(c - c0) as usize] = text;
    }
    if rows.iter().all(Row::is_blank) {
        return Ok(None);
    }
    Ok(Some(Table {
        description: format!("{kind}, sheet {name:?}"),
        rows,
        sheet: Some(name.to_string()),
    }))
}

/// Read every non-empty sheet of an XLSX workbook, streaming its cells: only cells that
/// hold something are kept, and the sheet's rectangle is checked against the limits before
/// it is laid out, so a file that declares a cell at XFD1048576 costs nothing.
pub fn read_xlsx(
    mut wb: calamine::Xlsx<std::io::Cursor<Vec<u8>>>,
    limits: &Limits,
) -> Result<Vec<Table>, ReadError> {
    let names = wb.sheet_names().to_vec();
    let mut out = Vec::new();
    for name in names {
        let mut reader = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // Chart sheets and the like hold no cells.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(format!("sheet {name:?}: {e}").into()),
        };
        let mut cells = Vec::new();
        while let Some(c) = reader
            .next_cell()
            .map_err(|e| format!("sheet {name:?}: {e}"))?
        {
            if matches!(c.get_value(), DataRef::Empty) {
                continue;
            }
            let (r, col) = c.get_position();
            let text = cell_text(&Data::from(c.get_value().clone()));
            check_cell(&name, r, col, &text, limits)?;
            cells.push((r, col, text));
            Limits::check(
                cells.len() as u64,
                limits.max_sheet_cells,
                "max_sheet_cells",
                || {
                    format!(
                        "sheet {name:?}: more than {} cells with data",
                        limits.max_sheet_cells
                    )
                },
            )?;
        }
        drop(reader);
        out.extend(table_from_cells("xlsx", &name, cells, limits)?);
    }
    if out.is_empty() {
        return Err(ReadError::Other("workbook has no sheet with data".into()));
    }
    Ok(out)
}

/// Read every non-empty sheet of a workbook whose reader loads whole ranges (ODS, whose
/// declared sizes [`check_ods`] has checked first; legacy XLS, at most 65,536 × 256 cells
/// by its format).
pub fn read_workbook<R: Reader<std::io::Cursor<Vec<u8>>>>(
    mut wb: R,
    kind: &str,
    limits: &Limits,
) -> Result<Vec<Table>, ReadError>
where
    R::Error: std::fmt::Display,
{
    let names = wb.sheet_names().to_vec();
    let mut out = Vec::new();
    for name in names {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| format!("sheet {name:?}: {e}"))?;
        let (Some(start), Some(end)) = (range.start(), range.end()) else {
            continue;
        };
        check_dimensions(&name, start, end, limits)?;
        let (r0, c0) = start;
        let mut rows = Vec::with_capacity(range.height());
        for (i, r) in range.rows().enumerate() {
            let mut cells = Vec::with_capacity(r.len());
            for (j, d) in r.iter().enumerate() {
                let text = cell_text(d);
                check_cell(&name, r0 + i as u32, c0 + j as u32, &text, limits)?;
                cells.push(text);
            }
            rows.push(Row {
                line: r0 as u64 + i as u64 + 1,
                cells,
            });
        }
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
        return Err(ReadError::Other("workbook has no sheet with data".into()));
    }
    Ok(out)
}

/// Decompress every part of a workbook's zip (XLSX and ODS are zips of XML) into nothing,
/// counting, within the decompression limits — before the workbook reader inflates any
/// part into memory. Returns `content.xml` when asked for it (ODS), read within the same
/// budget.
pub fn check_parts(
    bytes: &[u8],
    limits: &Limits,
    keep: Option<&str>,
) -> Result<Option<Vec<u8>>, ReadError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::Other(format!("zip: {e}")))?;
    let mut budget = limits.max_decompressed_bytes();
    let mut kept = None;
    for i in 0..zip.len() {
        let f = zip
            .by_index(i)
            .map_err(|e| ReadError::Other(format!("zip: {e}")))?;
        let part = f.name().to_string();
        let compressed = f.compressed_size();
        let what = format!("workbook part {part}");
        if keep == Some(part.as_str()) {
            kept = Some(crate::input::read_limited(
                f,
                compressed,
                limits,
                &mut budget,
                "",
                &what,
            )?);
        } else {
            crate::input::pump_limited(f, compressed, limits, &mut budget, "", &what, |_| {})?;
        }
    }
    Ok(kept)
}

fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.try_get_attribute(key)
        .ok()
        .flatten()
        .map(|a| a.value.into_owned())
}

/// Check an ODS `content.xml`'s tables against the limits as calamine will expand them:
/// `table:number-rows-repeated` and `table:number-columns-repeated` multiply a row or cell
/// that holds something, and calamine lays out every table from its first to its last row
/// with data, from column A to the last column with data. An 800-byte file can declare
/// billions of cells this way; this walk counts them without allocating any.
pub fn check_ods(content: &[u8], limits: &Limits) -> Result<(), ReadError> {
    use quick_xml::events::Event;
    let mut rd = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut table = String::new();
    let (mut row, mut first, mut last, mut width) = (0u64, None::<u64>, 0u64, 0u64);
    let (mut reps, mut col, mut row_width, mut in_row) = (1u64, 0u64, 0u64, false);
    let num = |v: Option<String>| v.and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(1);
    loop {
        let ev = rd
            .read_event_into(&mut buf)
            .map_err(|e| format!("ods content.xml: {e}"))?;
        let (start, empty) = match &ev {
            Event::Start(_) => (true, false),
            Event::Empty(_) => (true, true),
            _ => (false, false),
        };
        match ev {
            Event::Start(e) | Event::Empty(e) if start => match e.name().as_ref() {
                "table:table" if !empty => {
                    table = attr(&e, "table:name").unwrap_or_default();
                    (row, first, last, width) = (0, None, 0, 0);
                }
                "table:table-row" => {
                    reps = num(attr(&e, "table:number-rows-repeated"));
                    (col, row_width, in_row) = (0, 0, !empty);
                    if empty {
                        row = row.saturating_add(reps);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if in_row => {
                    let n = num(attr(&e, "table:number-columns-repeated"));
                    // Anything inside the cell, or a value or formula on it, makes it hold
                    // something (an over-estimate errs towards refusing, never allocating).
                    let holds = !empty
                        || [
                            "office:value-type",
                            "office:value",
                            "office:string-value",
                            "office:date-value",
                            "office:time-value",
                            "office:boolean-value",
                            "table:formula",
                        ]
                        .iter()
                        .any(|k| attr(&e, k).is_some());
                    col = col.saturating_add(n);
                    if holds {
                        row_width = col;
                    }
                    if !empty {
                        // Skip the cell's content (a nested table is not a row of this one).
                        let end = e.to_end().into_owned();
                        let mut skip = Vec::new();
                        rd.read_to_end_into(end.name(), &mut skip)
                            .map_err(|e| format!("ods content.xml: {e}"))?;
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => {
                    if row_width > 0 {
                        first.get_or_insert(row);
                        last = row.saturating_add(reps);
                        width = width.max(row_width);
                    }
                    row = row.saturating_add(reps);
                    in_row = false;
                }
                "table:table" => {
                    if let Some(f) = first {
                        let rows = last - f;
                        let what = |n: u64, unit: &str| {
                            format!("sheet {table:?}: {n} {unit} once repeated rows and columns are expanded")
                        };
                        Limits::check(rows, limits.max_rows, "max_rows", || what(rows, "rows"))
                            .and_then(|_| {
                                Limits::check(width, limits.max_columns, "max_columns", || {
                                    what(width, "columns")
                                })
                            })
                            .and_then(|_| {
                                let cells = rows.saturating_mul(width);
                                Limits::check(
                                    cells,
                                    limits.max_sheet_cells,
                                    "max_sheet_cells",
                                    || what(cells, "cells"),
                                )
                            })?;
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}
