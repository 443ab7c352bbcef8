//! Bulk work: area and deprivation columns added to every row of a CSV file, and the answers
//! of benchmark B2.

use std::io::{Read, Write};

use anchornet_core::Postcode;
use rayon::prelude::*;
use serde::Serialize;

use crate::index::{find_in, GeoIndex, Location};

/// The columns [`annotate`] appends, in order.
pub const COLUMNS: [&str; 28] = [
    "geo_status",
    "geo_reason",
    "geo_postcode",
    "geo_terminated",
    "geo_country",
    "geo_oa11",
    "geo_lsoa11",
    "geo_lsoa11_name",
    "geo_msoa11",
    "geo_lsoa21",
    "geo_lsoa21_name",
    "geo_lsoa21_route",
    "geo_ward",
    "geo_ward_name",
    "geo_lad",
    "geo_lad_name",
    "geo_region",
    "geo_region_name",
    "geo_combined_authority",
    "geo_combined_authority_name",
    "geo_lat",
    "geo_long",
    "geo_imd2019_decile",
    "geo_imd2019_rank",
    "geo_iod2025_decile",
    "geo_iod2025_rank",
    "geo_iod2025_score",
    "geo_deprivation_note",
];

/// Counts of one [`annotate`] run: rows = live + terminated + unknown + invalid + empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BulkSummary {
    /// Data rows read (and written).
    pub rows: u64,
    /// Found, live.
    pub live: u64,
    /// Found, terminated.
    pub terminated: u64,
    /// Well-formed postcodes not in the index.
    pub unknown: u64,
    /// Not postcodes.
    pub invalid: u64,
    /// Blank postcode cell (or a short row without the column).
    pub empty: u64,
}

/// Why [`annotate`] could not run.
#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    /// The column is not in the header.
    #[error("no column {column:?} in the header; the columns are: {headers}")]
    NoColumn {
        /// The column asked for.
        column: String,
        /// The header, comma separated.
        headers: String,
    },
    /// The CSV cannot be read or written.
    #[error("line {line}: {source}")]
    Csv {
        /// Line of the input.
        line: u64,
        /// The error.
        source: csv::Error,
    },
    /// Writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Copy a CSV from `input` to `output`, adding the [`COLUMNS`] to every row. The postcode is
/// read from the column named `column` (case and surrounding spaces ignored). No row is
/// dropped: rows whose postcode is blank, invalid or unknown are written with `geo_status`
/// `empty`, `invalid` or `unknown` and the reason in `geo_reason`. Bytes of the other cells
/// are copied as they are (any encoding).
pub fn annotate(
    index: &GeoIndex,
    input: impl Read,
    output: impl Write,
    column: &str,
) -> Result<BulkSummary, BulkError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let mut wtr = csv::WriterBuilder::new().flexible(true).from_writer(output);
    let headers = rdr
        .byte_headers()
        .map_err(|e| BulkError::Csv { line: 1, source: e })?
        .clone();
    let norm = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .trim()
            .trim_start_matches('\u{feff}')
            .to_lowercase()
    };
    let want = column.trim().to_lowercase();
    let col = headers
        .iter()
        .position(|h| norm(h) == want)
        .ok_or_else(|| BulkError::NoColumn {
            column: column.to_string(),
            headers: headers.iter().map(norm).collect::<Vec<_>>().join(", "),
        })?;
    let mut out_h = headers.clone();
    for c in COLUMNS {
        out_h.push_field(c.as_bytes());
    }
    wtr.write_byte_record(&out_h)
        .map_err(|e| BulkError::Csv { line: 1, source: e })?;
    let mut s = BulkSummary::default();
    let mut rec = csv::ByteRecord::new();
    let mut cells: Vec<String> = Vec::with_capacity(COLUMNS.len());
    loop {
        let line = rdr.position().line();
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(BulkError::Csv { line, source: e }),
        }
        s.rows += 1;
        let raw = rec.get(col).unwrap_or(b"");
        cells.clear();
        if raw.trim_ascii().is_empty() {
            s.empty += 1;
            cells.push("empty".into());
            cells.push("no postcode in this row".into());
        } else {
            match Postcode::parse_bytes(raw) {
                Err(e) => {
                    s.invalid += 1;
                    cells.push("invalid".into());
                    cells.push(e.to_string());
                }
                Ok(p) => match index.lookup(&p) {
                    None => {
                        s.unknown += 1;
                        cells.push("unknown".into());
                        cells.push(index.why_unknown(&p).into());
                        cells.push(p.to_string());
                    }
                    Some(loc) => {
                        if loc.terminated.is_some() {
                            s.terminated += 1;
                        } else {
                            s.live += 1;
                        }
                        location_cells(&loc, &mut cells);
                    }
                },
            }
        }
        let mut out = rec.clone();
        // A short row (fewer cells than the header) is padded so the added columns line up.
        while out.len() < headers.len() {
            out.push_field(b"");
        }
        for i in 0..COLUMNS.len() {
            out.push_field(cells.get(i).map_or(&b""[..], |c| c.as_bytes()));
        }
        wtr.write_byte_record(&out)
            .map_err(|e| BulkError::Csv { line, source: e })?;
    }
    wtr.flush()?;
    Ok(s)
}

/// The [`COLUMNS`] cells of a found postcode.
pub fn location_cells(loc: &Location, cells: &mut Vec<String>) {
    let opt = |v: Option<&str>| v.unwrap_or("").to_string();
    let num = |v: Option<u32>| v.map(|x| x.to_string()).unwrap_or_default();
    cells.push(if loc.terminated.is_some() {
        "terminated".into()
    } else {
        "live".into()
    });
    cells.push(match loc.terminated {
        Some(t) => format!("terminated {t}: still locates the supplier"),
        None => String::new(),
    });
    cells.push(loc.postcode.to_string());
    cells.push(num(loc.terminated));
    cells.push(loc.country.name().into());
    cells.push(opt(loc.oa11));
    cells.push(opt(loc.lsoa11.map(|a| a.code)));
    cells.push(opt(loc.lsoa11.and_then(|a| a.name)));
    cells.push(opt(loc.msoa11.map(|a| a.code)));
    cells.push(opt(loc.lsoa21.map(|a| a.code)));
    cells.push(opt(loc.lsoa21.and_then(|a| a.name)));
    cells.push(loc.lsoa21_route.as_str().into());
    cells.push(opt(loc.ward.map(|a| a.code)));
    cells.push(opt(loc.ward.and_then(|a| a.name)));
    cells.push(loc.lad.map(|d| d.code.to_string()).unwrap_or_default());
    cells.push(opt(loc.lad.and_then(|d| d.name)));
    cells.push(opt(loc.region.map(|a| a.code)));
    cells.push(opt(loc.region.and_then(|a| a.name)));
    cells.push(opt(loc.combined_authority.map(|a| a.code)));
    cells.push(opt(loc.combined_authority.and_then(|a| a.name)));
    cells.push(loc.lat.map(|v| format!("{v:.6}")).unwrap_or_default());
    cells.push(loc.long.map(|v| format!("{v:.6}")).unwrap_or_default());
    cells.push(num(loc.imd2019.as_ref().map(|d| u32::from(d.decile))));
    cells.push(num(loc.imd2019.as_ref().map(|d| d.rank)));
    cells.push(num(loc.iod2025.as_ref().map(|d| u32::from(d.decile))));
    cells.push(num(loc.iod2025.as_ref().map(|d| d.rank)));
    cells.push(
        loc.iod2025
            .as_ref()
            .and_then(|d| d.score)
            .map(|v| format!("{v}"))
            .unwrap_or_default(),
    );
    let mut notes: Vec<String> = Vec::new();
    if let Some(n) = loc.imd2019_note() {
        notes.push(format!("IMD 2019: {n}"));
    }
    if let Some(n) = loc.iod2025_note() {
        if loc.imd2019.is_some() || loc.country == crate::Country::England {
            notes.push(format!("IoD 2025: {n}"));
        }
    }
    cells.push(notes.join("; "));
}

/// Benchmark B2 (BENCHMARKS.md): one answer line per input line, in input order:
/// `postcode,lsoa11,lad,imd2019_decile,terminated` with the normalised postcode, the 2011 LSOA,
/// the directory's district, the IMD 2019 decile (blank if none) and `1`/`0`; a valid
/// postcode the index does not hold gives `POSTCODE,unknown,,,`, an invalid string
/// `,invalid,,,`. The input is split at line ends and answered in parallel; each answer is
/// written straight into a byte buffer (no allocation per line).
pub fn b2_answers(index: &GeoIndex, input: &[u8], out: &mut impl Write) -> std::io::Result<u64> {
    let t = index.brief_tables();
    let threads = rayon::current_num_threads().max(1);
    let pieces = crate::csvfast::chunks(input, threads * 16);
    let mut lines = 0u64;
    // Groups of pieces: answer a group in parallel, write it, go on (bounded memory).
    for group in pieces.chunks(threads * 4) {
        let bufs: Vec<(Vec<u8>, u64)> = group
            .par_iter()
            .map(|piece| {
                let mut buf = Vec::with_capacity(piece.len() * 3 / 2 + 64);
                let mut n = 0u64;
                for line in piece.split_inclusive(|&b| b == b'\n') {
                    let line = line.strip_suffix(b"\n").unwrap_or(line);
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    b2_line(&t, line, &mut buf);
                    n += 1;
                }
                (buf, n)
            })
            .collect();
        for (b, n) in bufs {
            out.write_all(&b)?;
            lines += n;
        }
    }
    Ok(lines)
}

#[inline]
fn b2_line(t: &crate::index::BriefTables, line: &[u8], buf: &mut Vec<u8>) {
    let Ok(p) = Postcode::parse_bytes(line) else {
        buf.extend_from_slice(b",invalid,,,\n");
        return;
    };
    buf.extend_from_slice(p.as_str().as_bytes());
    let k = crate::build::key_of(&p);
    let row = t.outwards.get(&((k >> 24) as u32)).and_then(|&oid| {
        find_in(
            t.starts,
            t.bits,
            oid as usize,
            ((k >> 16) & 0xff) as u8,
            ((k >> 8) & 0xff) as u8,
            (k & 0xff) as u8,
        )
    });
    let Some(r) = row else {
        buf.extend_from_slice(b",unknown,,,\n");
        return;
    };
    let c = t.core[r as usize];
    buf.push(b',');
    if c[0] != crate::tags::NONE16 {
        buf.extend_from_slice(t.lsoa11[usize::from(c[0])]);
    }
    buf.push(b',');
    if c[1] != crate::tags::NONE16 {
        buf.extend_from_slice(t.lad[usize::from(c[1])]);
    }
    buf.push(b',');
    if c[0] != crate::tags::NONE16 {
        let d = t.lsoa11_decile[usize::from(c[0])];
        if d == 10 {
            buf.extend_from_slice(b"10");
        } else if d != 0 {
            buf.push(b'0' + d);
        }
    }
    buf.extend_from_slice(if c[2] != 0 { b",1\n" } else { b",0\n" });
}
