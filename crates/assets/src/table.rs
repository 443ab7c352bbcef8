//! The located register as rows: every input row with its own columns (the union of the
//! registers' headers, by name, in order of first appearance), then
//! `lsoa21,ward,lad,iod2025_decile,status` and the evidence behind them. Cells are made safe
//! for spreadsheets ([`anchornet_core::cell::spreadsheet_text`]).

use std::collections::HashMap;

use crate::Located;

/// The columns added after the register's own, in order.
pub const ADDED: [&str; 16] = [
    "lsoa21",
    "ward",
    "lad",
    "iod2025_decile",
    "status",
    "lsoa21_name",
    "ward_name",
    "lad_name",
    "located_by",
    "vacant",
    "status_history",
    "postcode_lsoa21",
    "locate_problem",
    "asset_key",
    "source_file",
    "source_line",
];

/// The output header and, for each sheet, where each of its columns goes.
fn layout(l: &Located) -> (Vec<String>, Vec<Vec<usize>>) {
    let mut header: Vec<String> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut maps = Vec::new();
    for s in &l.register.sheets {
        let mut seen_here: HashMap<String, usize> = HashMap::new();
        let mut map = Vec::with_capacity(s.header.len());
        for (i, h) in s.header.iter().enumerate() {
            let mut name = if h.is_empty() {
                format!("column {}", i + 1)
            } else {
                h.clone()
            };
            if ADDED.iter().any(|a| a.eq_ignore_ascii_case(&name)) {
                name = format!("{name} (register)");
            }
            // The same header twice in one file: number the repeats.
            let n = seen_here.entry(name.clone()).or_default();
            *n += 1;
            if *n > 1 {
                name = format!("{name} ({n})");
            }
            let idx = *at.entry(name.clone()).or_insert_with(|| {
                header.push(name.clone());
                header.len() - 1
            });
            map.push(idx);
        }
        maps.push(map);
    }
    (header, maps)
}

/// The header and rows.
pub fn rows(l: &Located) -> (Vec<String>, Vec<Vec<String>>) {
    let (mut header, maps) = layout(l);
    let width = header.len();
    header.extend(ADDED.iter().map(|s| s.to_string()));
    let mut out = Vec::with_capacity(l.register.assets.len());
    for (i, a) in l.register.assets.iter().enumerate() {
        let sheet = &l.register.sheets[a.sheet];
        let p = &l.placements[i];
        let mut row = vec![String::new(); width];
        for (k, c) in a.cells.iter().enumerate() {
            if let Some(&j) = maps[a.sheet].get(k) {
                row[j] = c.clone();
            }
        }
        let pair = |x: &Option<(String, String)>| x.clone().unwrap_or_default();
        let (lsoa, lsoa_nm) = pair(&p.lsoa21);
        let (ward, ward_nm) = pair(&p.ward);
        let (lad, lad_nm) = pair(&p.lad);
        let history = l.histories[i]
            .iter()
            .map(|s| {
                let mut t = format!("{} ({}", s.status.as_str(), s.by);
                if !s.at.is_empty() {
                    t.push_str(&format!(" {}", s.at));
                }
                if !s.note.is_empty() {
                    t.push_str(&format!(": {}", s.note));
                }
                t.push(')');
                t
            })
            .collect::<Vec<_>>()
            .join(" → ");
        let mut problem = p
            .unplaced
            .as_ref()
            .map(|u| u.reason.clone())
            .unwrap_or_default();
        if problem.is_empty() && !p.notes.is_empty() {
            problem = format!("(placed) {}", p.notes.join("; "));
        }
        row.extend([
            lsoa,
            ward,
            lad,
            p.iod2025_decile.map(|d| d.to_string()).unwrap_or_default(),
            l.status(i)
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            lsoa_nm,
            ward_nm,
            lad_nm,
            p.method.map(|m| m.as_str().to_string()).unwrap_or_default(),
            match &l.vacancy[i] {
                Some((true, _)) => "yes".into(),
                Some((false, _)) => "no".into(),
                None => String::new(),
            },
            history,
            p.postcode_lsoa21.clone().unwrap_or_default(),
            problem,
            l.keys[i].first().cloned().unwrap_or_default(),
            sheet.file.clone(),
            a.line.to_string(),
        ]);
        out.push(row);
    }
    (header, out)
}

/// Write the located register as CSV.
pub fn write_csv<W: std::io::Write>(l: &Located, w: W) -> csv::Result<W> {
    let (header, rows) = rows(l);
    let mut w = csv::Writer::from_writer(w);
    w.write_record(&header)?;
    for r in rows {
        w.write_record(
            r.iter()
                .map(|c| anchornet_core::cell::spreadsheet_text(c).into_owned()),
        )?;
    }
    w.flush()?;
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// One problem row: file, line, column, value, reason.
pub type ProblemRow = [String; 5];

/// Every asset not placed, every decision not applied and every file not read, as
/// `file,line,column,value,problem` rows.
pub fn problems(l: &Located) -> Vec<ProblemRow> {
    let mut out = Vec::new();
    for f in &l.register.problems {
        out.push([
            f.file.clone(),
            "0".into(),
            String::new(),
            String::new(),
            f.problem.clone(),
        ]);
    }
    for (i, p) in l.placements.iter().enumerate() {
        if let Some(u) = &p.unplaced {
            let a = &l.register.assets[i];
            out.push([
                l.register.sheets[a.sheet].file.clone(),
                a.line.to_string(),
                u.column.clone(),
                u.value.clone(),
                format!("not located: {}", u.reason),
            ]);
        }
    }
    for d in &l.decision_problems {
        out.push([
            d.file.clone(),
            d.line.to_string(),
            d.column.clone(),
            d.value.clone(),
            d.problem.clone(),
        ]);
    }
    out
}

/// Write [`problems`] as CSV.
pub fn write_problems<W: std::io::Write>(l: &Located, w: W) -> csv::Result<W> {
    let mut w = csv::Writer::from_writer(w);
    w.write_record(["file", "line", "column", "value", "problem"])?;
    for r in problems(l) {
        w.write_record(
            r.iter()
                .map(|c| anchornet_core::cell::spreadsheet_text(c).into_owned()),
        )?;
    }
    w.flush()?;
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
