//! Bulk work: area and deprivation columns added to every row of a CSV file
//! (`anchornet geo bulk`).
//!
//! Two paths write the same bytes. [`annotate`] reads one `csv` record at a time and builds a
//! full [`Location`] per row: the reference, and the path for standard input and for files
//! the fast reader does not read exactly as the `csv` crate. [`annotate_bytes`] (a file held
//! in memory) cuts the input at record ends with ingest's `csvfast`, answers the pieces on
//! every core and writes them in input order; each answer cell is copied from a table of
//! preformatted, already CSV-quoted cells per area (per 2011 LSOA, 2021 LSOA, ward, district,
//! output area), built once per run for the selected columns only, so a row costs a postcode
//! parse, one lookup and a few memory copies — no string is assembled or UTF-8-validated per
//! row.

use std::io::{Read, Write};

use anchornet_core::Postcode;
use rayon::prelude::*;
use serde::Serialize;

use crate::build::yyyymm;
use crate::index::{imd2019_note, iod2025_note, GeoIndex, Location, Lsoa21Route, Rows};
use crate::Country;

/// The columns [`annotate`] appends by default, in order.
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

/// Columns written only when named in a [`Selection`]: `geo_directory_lad` is the district
/// as the postcode directory gives it (May 2022 for the bundled directory, before the 2023
/// reorganisations), where `geo_lad` is the district now.
pub const EXTRA_COLUMNS: [&str; 1] = ["geo_directory_lad"];

/// One output column: its position in [`COLUMNS`] followed by [`EXTRA_COLUMNS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Col {
    Status,
    Reason,
    Postcode,
    Terminated,
    Country,
    Oa11,
    Lsoa11,
    Lsoa11Name,
    Msoa11,
    Lsoa21,
    Lsoa21Name,
    Lsoa21Route,
    Ward,
    WardName,
    Lad,
    LadName,
    Region,
    RegionName,
    CombinedAuthority,
    CombinedAuthorityName,
    Lat,
    Long,
    Imd2019Decile,
    Imd2019Rank,
    Iod2025Decile,
    Iod2025Rank,
    Iod2025Score,
    DeprivationNote,
    DirectoryLad,
}

impl Col {
    const ALL: [Col; 29] = [
        Col::Status,
        Col::Reason,
        Col::Postcode,
        Col::Terminated,
        Col::Country,
        Col::Oa11,
        Col::Lsoa11,
        Col::Lsoa11Name,
        Col::Msoa11,
        Col::Lsoa21,
        Col::Lsoa21Name,
        Col::Lsoa21Route,
        Col::Ward,
        Col::WardName,
        Col::Lad,
        Col::LadName,
        Col::Region,
        Col::RegionName,
        Col::CombinedAuthority,
        Col::CombinedAuthorityName,
        Col::Lat,
        Col::Long,
        Col::Imd2019Decile,
        Col::Imd2019Rank,
        Col::Iod2025Decile,
        Col::Iod2025Rank,
        Col::Iod2025Score,
        Col::DeprivationNote,
        Col::DirectoryLad,
    ];
    fn name(self) -> &'static str {
        let i = self as usize;
        COLUMNS
            .get(i)
            .copied()
            .unwrap_or_else(|| EXTRA_COLUMNS[i - COLUMNS.len()])
    }
}

/// Which `geo_*` columns [`annotate`] writes, in the order given. The default is the 28
/// [`COLUMNS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    cols: Vec<Col>,
}

impl Default for Selection {
    fn default() -> Selection {
        Selection::all()
    }
}

impl Selection {
    /// The 28 [`COLUMNS`], in order.
    pub fn all() -> Selection {
        Selection {
            cols: Col::ALL[..COLUMNS.len()].to_vec(),
        }
    }

    /// Columns named in a comma-separated list (`geo_lsoa11,geo_imd2019_decile`), in that
    /// order; case and surrounding spaces are ignored and the `geo_` prefix may be left off.
    /// An unknown name is an error that lists the valid ones; so are a name given twice and
    /// an empty list.
    pub fn parse(list: &str) -> Result<Selection, BulkError> {
        let valid = || {
            COLUMNS
                .iter()
                .chain(&EXTRA_COLUMNS)
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut cols = Vec::new();
        for item in list.split(',') {
            let want = item.trim().to_ascii_lowercase();
            if want.is_empty() {
                continue;
            }
            let want = if want.starts_with("geo_") {
                want
            } else {
                format!("geo_{want}")
            };
            let col = Col::ALL
                .iter()
                .copied()
                .find(|c| c.name() == want)
                .ok_or_else(|| BulkError::UnknownColumn {
                    column: item.trim().to_string(),
                    valid: valid(),
                })?;
            if cols.contains(&col) {
                return Err(BulkError::UnknownColumn {
                    column: format!("{} (named twice)", item.trim()),
                    valid: valid(),
                });
            }
            cols.push(col);
        }
        if cols.is_empty() {
            return Err(BulkError::UnknownColumn {
                column: list.to_string(),
                valid: valid(),
            });
        }
        Ok(Selection { cols })
    }

    /// The selected column names, in output order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.cols.iter().map(|c| c.name())
    }
}

impl std::str::FromStr for Selection {
    type Err = BulkError;
    fn from_str(s: &str) -> Result<Selection, BulkError> {
        Selection::parse(s)
    }
}

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
    /// A column of the selection is not one [`annotate`] writes (or is named twice, or none
    /// is named).
    #[error("no output column {column:?}; the columns are: {valid}")]
    UnknownColumn {
        /// The name asked for.
        column: String,
        /// The valid names, comma separated.
        valid: String,
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

/// Copy a CSV from `input` to `output`, adding the selected `geo_*` columns (by default the
/// 28 [`COLUMNS`]) to every row. The postcode is read from the column named `column` (case
/// and surrounding spaces ignored). No row is dropped: rows whose postcode is blank, invalid
/// or unknown are written with `geo_status` `empty`, `invalid` or `unknown` and the reason in
/// `geo_reason`. Bytes of the other cells are copied as they are (any encoding).
pub fn annotate(
    index: &GeoIndex,
    input: impl Read,
    output: impl Write,
    column: &str,
    select: &Selection,
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
    let cells: Vec<&[u8]> = headers.iter().collect();
    let col = find_column(&cells, column)?;
    let mut out_h = headers.clone();
    for c in select.names() {
        out_h.push_field(c.as_bytes());
    }
    wtr.write_byte_record(&out_h)
        .map_err(|e| BulkError::Csv { line: 1, source: e })?;
    let mut s = BulkSummary::default();
    let mut rec = csv::ByteRecord::new();
    let mut cells: Vec<String> = Vec::with_capacity(Col::ALL.len());
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
        answer(index, raw, &mut s, &mut |c: &str| cells.push(c.to_string()));
        let mut out = rec.clone();
        // A short row (fewer cells than the header) is padded so the added columns line up.
        while out.len() < headers.len() {
            out.push_field(b"");
        }
        for c in &select.cols {
            out.push_field(cells.get(*c as usize).map_or(&b""[..], |c| c.as_bytes()));
        }
        wtr.write_byte_record(&out)
            .map_err(|e| BulkError::Csv { line, source: e })?;
    }
    wtr.flush()?;
    Ok(s)
}

/// The position of the postcode column in the header (case, surrounding spaces and a byte
/// order mark ignored).
fn find_column(header: &[&[u8]], column: &str) -> Result<usize, BulkError> {
    let norm = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .trim()
            .trim_start_matches('\u{feff}')
            .to_lowercase()
    };
    let want = column.trim().to_lowercase();
    header
        .iter()
        .position(|h| norm(h) == want)
        .ok_or_else(|| BulkError::NoColumn {
            column: column.to_string(),
            headers: header
                .iter()
                .map(|h| norm(h))
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Every output cell for the postcode cell `raw`, in the order of `Col::ALL` (as many as
/// apply; the rest are blank), each handed to `cell`, and the row counted in `s`.
fn answer(index: &GeoIndex, raw: &[u8], s: &mut BulkSummary, cell: &mut dyn FnMut(&str)) {
    if raw.trim_ascii().is_empty() {
        s.empty += 1;
        cell("empty");
        cell("no postcode in this row");
        return;
    }
    match Postcode::parse_bytes(raw) {
        Err(e) => {
            s.invalid += 1;
            cell("invalid");
            cell(&e.to_string());
        }
        Ok(p) => match index.lookup(&p) {
            None => {
                s.unknown += 1;
                cell("unknown");
                cell(index.why_unknown(&p));
                cell(p.as_str());
            }
            Some(loc) => {
                if loc.terminated.is_some() {
                    s.terminated += 1;
                } else {
                    s.live += 1;
                }
                location_fields(&loc, cell);
                match loc.directory_lad {
                    Some(d) => cell(&d.code.to_string()),
                    None => cell(""),
                }
            }
        },
    }
}

/// The [`COLUMNS`] cells of a found postcode.
pub fn location_cells(loc: &Location, cells: &mut Vec<String>) {
    location_fields(loc, &mut |c: &str| cells.push(c.to_string()));
}

/// The [`COLUMNS`] cells of a found postcode, each handed to `cell` in order.
pub fn location_fields(loc: &Location, cell: &mut dyn FnMut(&str)) {
    fn opt(v: Option<&str>) -> &str {
        v.unwrap_or("")
    }
    let num = |v: Option<u32>, cell: &mut dyn FnMut(&str)| match v {
        Some(x) => cell(itoa(x, &mut [0u8; 10])),
        None => cell(""),
    };
    cell(if loc.terminated.is_some() {
        "terminated"
    } else {
        "live"
    });
    match loc.terminated {
        Some(t) => cell(&format!("terminated {t}: still locates the supplier")),
        None => cell(""),
    }
    cell(loc.postcode.as_str());
    num(loc.terminated, cell);
    cell(loc.country.name());
    cell(opt(loc.oa11));
    cell(opt(loc.lsoa11.map(|a| a.code)));
    cell(opt(loc.lsoa11.and_then(|a| a.name)));
    cell(opt(loc.msoa11.map(|a| a.code)));
    cell(opt(loc.lsoa21.map(|a| a.code)));
    cell(opt(loc.lsoa21.and_then(|a| a.name)));
    cell(loc.lsoa21_route.as_str());
    cell(opt(loc.ward.map(|a| a.code)));
    cell(opt(loc.ward.and_then(|a| a.name)));
    match loc.lad {
        Some(d) => cell(&d.code.to_string()),
        None => cell(""),
    }
    cell(opt(loc.lad.and_then(|d| d.name)));
    cell(opt(loc.region.map(|a| a.code)));
    cell(opt(loc.region.and_then(|a| a.name)));
    cell(opt(loc.combined_authority.map(|a| a.code)));
    cell(opt(loc.combined_authority.and_then(|a| a.name)));
    cell(&loc.lat.map(|v| format!("{v:.6}")).unwrap_or_default());
    cell(&loc.long.map(|v| format!("{v:.6}")).unwrap_or_default());
    num(loc.imd2019.as_ref().map(|d| u32::from(d.decile)), cell);
    num(loc.imd2019.as_ref().map(|d| d.rank), cell);
    num(loc.iod2025.as_ref().map(|d| u32::from(d.decile)), cell);
    num(loc.iod2025.as_ref().map(|d| d.rank), cell);
    cell(&iod_score(loc.iod2025.as_ref()));
    cell(&deprivation_note(
        loc.country,
        loc.imd2019.is_some(),
        loc.imd2019_note(),
        loc.iod2025_note(),
    ));
}

/// `geo_iod2025_score`: the score as Rust prints an `f64` (shortest form), blank if none.
fn iod_score(d: Option<&crate::Iod2025>) -> String {
    d.and_then(|d| d.score)
        .map(|v| format!("{v}"))
        .unwrap_or_default()
}

/// `geo_deprivation_note`: why IMD 2019 and IoD 2025 are missing, where they are. The IoD
/// note is left out where IMD 2019 is missing for a reason outside England (the same reason).
fn deprivation_note(
    country: Country,
    imd2019: bool,
    imd_note: Option<String>,
    iod_note: Option<String>,
) -> String {
    let mut notes: Vec<String> = Vec::new();
    if let Some(n) = imd_note {
        notes.push(format!("IMD 2019: {n}"));
    }
    if let Some(n) = iod_note {
        if imd2019 || country == Country::England {
            notes.push(format!("IoD 2025: {n}"));
        }
    }
    notes.join("; ")
}

/// `x` in decimal, in `buf`.
fn itoa(mut x: u32, buf: &mut [u8; 10]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (x % 10) as u8;
        x /= 10;
        if x == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("")
}

/// Bytes of input converted and written as one task by [`annotate_bytes`].
const PIECE: usize = 512 << 10;

/// [`annotate`] of an input held in memory, in parallel: the input is cut into pieces at
/// record ends ([`anchornet_ingest::csvfast`]), pieces are answered on every core from
/// preformatted cells, and their output is written in input order. The output is byte for
/// byte [`annotate`]'s (cells re-quoted by the same rule as the `csv` writer: only when they
/// hold a comma, a quote or a line end). An input the fast reader does not read exactly as
/// the `csv` crate (a quote inside a field, a byte order mark) is handed to [`annotate`].
pub fn annotate_bytes(
    index: &GeoIndex,
    input: &[u8],
    output: &mut impl Write,
    column: &str,
    select: &Selection,
) -> Result<BulkSummary, BulkError> {
    match annotate_fast(index, input, output, column, select) {
        Some(r) => r,
        None => annotate(index, input, output, column, select),
    }
}

/// [`annotate_bytes`]'s parallel path: `None` (nothing written) when the input is not one
/// the fast reader reads exactly as the `csv` crate.
pub fn annotate_fast(
    index: &GeoIndex,
    input: &[u8],
    output: &mut impl Write,
    column: &str,
    select: &Selection,
) -> Option<Result<BulkSummary, BulkError>> {
    use anchornet_ingest::csvfast::{pieces, Reader};
    let reader = Reader::new(b',');
    let mut fields = Vec::new();
    let mut pos = 0;
    let header = match reader.record(input, &mut pos, &mut fields) {
        Ok(Some(_)) if !input.starts_with(b"\xEF\xBB\xBF") => fields.clone(),
        _ => return None,
    };
    let body = &input[pos..];
    let ranges = pieces(body, PIECE);
    let regular = ranges.par_iter().all(|r| {
        let b = &body[r.clone()];
        let (mut p, mut f) = (0, Vec::new());
        loop {
            match reader.record(b, &mut p, &mut f) {
                Ok(Some(_)) => {}
                Ok(None) => return true,
                Err(_) => return false,
            }
        }
    });
    if !regular {
        return None;
    }
    Some(answer_pieces(
        index, &reader, input, body, &header, &ranges, output, column, select,
    ))
}

#[allow(clippy::too_many_arguments)]
fn answer_pieces(
    index: &GeoIndex,
    reader: &anchornet_ingest::csvfast::Reader,
    input: &[u8],
    body: &[u8],
    header: &[anchornet_ingest::csvfast::Field],
    ranges: &[std::ops::Range<usize>],
    output: &mut impl Write,
    column: &str,
    select: &Selection,
) -> Result<BulkSummary, BulkError> {
    let cells: Vec<Vec<u8>> = header.iter().map(|f| unescape(input, f)).collect();
    let refs: Vec<&[u8]> = cells.iter().map(Vec::as_slice).collect();
    let col = find_column(&refs, column)?;
    let width = cells.len();
    let mut out = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        put(&mut out, c);
    }
    for c in select.names() {
        out.push(b',');
        put(&mut out, c.as_bytes());
    }
    out.push(b'\n');
    output.write_all(&out)?;
    let prep = Prepared::new(index, select);
    let mut s = BulkSummary::default();
    let threads = rayon::current_num_threads().max(1);
    // Windows of pieces are answered on every core by one thread while this one writes the
    // window before, in order: the cores do not wait for the disk.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(Vec<u8>, BulkSummary)>>(1);
    let written = std::thread::scope(|scope| {
        scope.spawn(|| {
            for window in ranges.chunks(threads * 4) {
                let outs: Vec<(Vec<u8>, BulkSummary)> = window
                    .par_iter()
                    .map(|r| annotate_piece(&prep, reader, &body[r.clone()], col, width))
                    .collect();
                if tx.send(outs).is_err() {
                    break; // the writer stopped on an error
                }
            }
            drop(tx);
        });
        let mut written = Ok(());
        'windows: for outs in &rx {
            for (o, n) in outs {
                if let Err(e) = output.write_all(&o) {
                    written = Err(e);
                    break 'windows;
                }
                s.rows += n.rows;
                s.live += n.live;
                s.terminated += n.terminated;
                s.unknown += n.unknown;
                s.invalid += n.invalid;
                s.empty += n.empty;
            }
        }
        drop(rx);
        written
    });
    written?;
    output.flush()?;
    Ok(s)
}

/// A field's value: the bytes inside its quotes with `""` un-doubled.
fn unescape(buf: &[u8], f: &anchornet_ingest::csvfast::Field) -> Vec<u8> {
    let raw = f.raw(buf);
    if !f.escaped {
        return raw.to_vec();
    }
    let mut v = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        v.push(raw[i]);
        i += if raw[i] == b'"' { 2 } else { 1 };
    }
    v
}

/// Write a cell as the `csv` writer does: quoted (quotes doubled) only when it holds a
/// comma, a quote or a line end.
fn put(out: &mut Vec<u8>, c: &[u8]) {
    if c.iter().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for &b in c {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(c);
    }
}

/// Cells preformatted once per run, one per id of an area table (and a last, blank one for
/// "no area"), already quoted as the `csv` writer would.
struct Cells {
    offs: Vec<u32>,
    blob: Vec<u8>,
}

impl Cells {
    /// The cells of ids `0..n`, then the blank cell for "none" at `n`.
    fn new<'a>(n: usize, f: impl Fn(usize) -> std::borrow::Cow<'a, str>) -> Cells {
        let mut offs = Vec::with_capacity(n + 2);
        let mut blob = Vec::new();
        offs.push(0);
        for i in 0..n {
            put(&mut blob, f(i).as_bytes());
            offs.push(blob.len() as u32);
        }
        offs.push(blob.len() as u32);
        Cells { offs, blob }
    }
    /// The cell of `id`; any id out of the table (the "none" marker) gives the blank cell.
    #[inline]
    fn get(&self, id: usize) -> &[u8] {
        let i = id.min(self.offs.len() - 2);
        &self.blob[self.offs[i] as usize..self.offs[i + 1] as usize]
    }
}

/// What [`annotate_piece`] needs, built once per run: the index's row columns, the selected
/// columns, and for each a table of preformatted cells where the column depends on an area.
struct Prepared<'a> {
    ix: &'a GeoIndex,
    rows: Rows<'a>,
    cols: Vec<(Col, Option<Cells>)>,
    /// Per district id (then "none"): its country, where its code is a GSS code.
    lad_country: Vec<Option<Country>>,
    /// Per 2011 LSOA id: whether IMD 2019 covers it; per 2021 LSOA id: whether IoD 2025 does.
    imd_present: Vec<bool>,
    iod_present: Vec<bool>,
}

impl<'a> Prepared<'a> {
    fn new(ix: &'a GeoIndex, select: &Selection) -> Prepared<'a> {
        use std::borrow::Cow;
        let [n_oa, n11, n21, n_ward, n_lad] = ix.area_counts();
        let id = |i: usize| i as u16;
        let code = |a: Option<crate::Area<'a>>| Cow::Borrowed(a.map_or("", |a| a.code));
        let name = |a: Option<crate::Area<'a>>| Cow::Borrowed(a.and_then(|a| a.name).unwrap_or(""));
        let num = |v: Option<u32>| Cow::Owned(v.map(|x| x.to_string()).unwrap_or_default());
        let cols = select
            .cols
            .par_iter()
            .map(|&c| {
                let cells = match c {
                    Col::Oa11 => Some(Cells::new(n_oa, |i| {
                        Cow::Borrowed(ix.oa11_code(i as u32).unwrap_or(""))
                    })),
                    Col::Lsoa11 => Some(Cells::new(n11, |i| code(ix.lsoa11_area(id(i))))),
                    Col::Lsoa11Name => Some(Cells::new(n11, |i| name(ix.lsoa11_area(id(i))))),
                    Col::Msoa11 => Some(Cells::new(n11, |i| code(ix.msoa11_of(id(i))))),
                    Col::Imd2019Decile => Some(Cells::new(n11, |i| {
                        num(ix.imd2019_of(id(i)).map(|d| u32::from(d.decile)))
                    })),
                    Col::Imd2019Rank => Some(Cells::new(n11, |i| {
                        num(ix.imd2019_of(id(i)).map(|d| d.rank))
                    })),
                    Col::Lsoa21 => Some(Cells::new(n21, |i| code(ix.lsoa21_area_of(id(i))))),
                    Col::Lsoa21Name => Some(Cells::new(n21, |i| name(ix.lsoa21_area_of(id(i))))),
                    Col::Iod2025Decile => Some(Cells::new(n21, |i| {
                        num(ix.iod2025_of_id(id(i)).map(|d| u32::from(d.decile)))
                    })),
                    Col::Iod2025Rank => Some(Cells::new(n21, |i| {
                        num(ix.iod2025_of_id(id(i)).map(|d| d.rank))
                    })),
                    Col::Iod2025Score => Some(Cells::new(n21, |i| {
                        Cow::Owned(iod_score(ix.iod2025_of_id(id(i)).as_ref()))
                    })),
                    Col::Ward => Some(Cells::new(n_ward, |i| code(ix.ward_area(id(i))))),
                    Col::WardName => Some(Cells::new(n_ward, |i| name(ix.ward_area(id(i))))),
                    Col::Lad | Col::DirectoryLad => Some(Cells::new(n_lad, |i| {
                        Cow::Owned(
                            ix.district(id(i))
                                .map(|d| d.code.to_string())
                                .unwrap_or_default(),
                        )
                    })),
                    Col::LadName => Some(Cells::new(n_lad, |i| {
                        Cow::Borrowed(ix.district(id(i)).and_then(|d| d.name).unwrap_or(""))
                    })),
                    Col::Region => Some(Cells::new(n_lad, |i| code(ix.region_and_cauth(id(i)).0))),
                    Col::RegionName => {
                        Some(Cells::new(n_lad, |i| name(ix.region_and_cauth(id(i)).0)))
                    }
                    Col::CombinedAuthority => {
                        Some(Cells::new(n_lad, |i| code(ix.region_and_cauth(id(i)).1)))
                    }
                    Col::CombinedAuthorityName => {
                        Some(Cells::new(n_lad, |i| name(ix.region_and_cauth(id(i)).1)))
                    }
                    Col::Status
                    | Col::Reason
                    | Col::Postcode
                    | Col::Terminated
                    | Col::Country
                    | Col::Lsoa21Route
                    | Col::Lat
                    | Col::Long
                    | Col::DeprivationNote => None,
                };
                (c, cells)
            })
            .collect();
        let needs = |cs: &[Col]| select.cols.iter().any(|c| cs.contains(c));
        let country = needs(&[Col::Country, Col::DeprivationNote]);
        let note = needs(&[Col::DeprivationNote]);
        Prepared {
            ix,
            rows: ix.rows(),
            cols,
            lad_country: if country {
                (0..=n_lad)
                    .map(|i| {
                        (i < n_lad)
                            .then(|| ix.district(id(i)))
                            .flatten()
                            .map(|d| Country::of_code(d.code.as_str()))
                    })
                    .collect()
            } else {
                Vec::new()
            },
            imd_present: if note {
                (0..=n11)
                    .map(|i| i < n11 && ix.imd2019_of(id(i)).is_some())
                    .collect()
            } else {
                Vec::new()
            },
            iod_present: if note {
                (0..=n21)
                    .map(|i| i < n21 && ix.iod2025_of_id(id(i)).is_some())
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    /// The country of row `r` of postcode `p`, as [`GeoIndex::location`] gives it: of the
    /// current district, else the directory's, else of the postcode's area letters.
    fn country(&self, p: &Postcode, r: usize) -> Country {
        let last = self.lad_country.len() - 1;
        let of = |id: u16| self.lad_country[usize::from(id).min(last)];
        of(self.rows.lad[r])
            .or_else(|| of(self.rows.core[r][1]))
            .unwrap_or_else(|| Country::of_postcode_area(p))
    }

    /// The selected cells of a found postcode, each after a comma.
    fn found(&self, p: &Postcode, r: usize, out: &mut Vec<u8>) {
        let rows = &self.rows;
        let c = rows.core[r];
        let term = yyyymm(c[2]);
        let mut buf = [0u8; 10];
        for (col, cells) in &self.cols {
            out.push(b',');
            let cell: &[u8] = match (col, cells) {
                (Col::Status, _) => match term {
                    Some(_) => b"terminated",
                    None => b"live",
                },
                (Col::Reason, _) => {
                    if let Some(t) = term {
                        out.extend_from_slice(b"terminated ");
                        out.extend_from_slice(itoa(t, &mut buf).as_bytes());
                        out.extend_from_slice(b": still locates the supplier");
                    }
                    continue;
                }
                (Col::Postcode, _) => p.as_bytes(),
                (Col::Terminated, _) => match term {
                    Some(t) => itoa(t, &mut buf).as_bytes(),
                    None => b"",
                },
                (Col::Country, _) => self.country(p, r).name().as_bytes(),
                (Col::Lsoa21Route, _) => Lsoa21Route::from_bits(c[3]).as_str().as_bytes(),
                (Col::Lat, _) => {
                    fixed6(rows.lat[r], out);
                    continue;
                }
                (Col::Long, _) => {
                    fixed6(rows.lon[r], out);
                    continue;
                }
                (Col::DeprivationNote, _) => {
                    self.note(p, r, out);
                    continue;
                }
                (Col::Oa11, Some(t)) => t.get(rows.oa11[r] as usize),
                (
                    Col::Lsoa11
                    | Col::Lsoa11Name
                    | Col::Msoa11
                    | Col::Imd2019Decile
                    | Col::Imd2019Rank,
                    Some(t),
                ) => t.get(usize::from(c[0])),
                (
                    Col::Lsoa21
                    | Col::Lsoa21Name
                    | Col::Iod2025Decile
                    | Col::Iod2025Rank
                    | Col::Iod2025Score,
                    Some(t),
                ) => t.get(usize::from(rows.lsoa21[r])),
                (Col::Ward | Col::WardName, Some(t)) => t.get(usize::from(rows.ward[r])),
                (
                    Col::Lad
                    | Col::LadName
                    | Col::Region
                    | Col::RegionName
                    | Col::CombinedAuthority
                    | Col::CombinedAuthorityName,
                    Some(t),
                ) => t.get(usize::from(rows.lad[r])),
                (Col::DirectoryLad, Some(t)) => t.get(usize::from(c[1])),
                (_, None) => b"",
            };
            out.extend_from_slice(cell);
        }
    }

    /// `geo_deprivation_note` of row `r`: blank where both indices cover it (most English
    /// rows); else the notes [`Location`] gives, from the same functions.
    fn note(&self, p: &Postcode, r: usize, out: &mut Vec<u8>) {
        let c = self.rows.core[r];
        let l21 = self.rows.lsoa21[r];
        let imd = self.imd_present[usize::from(c[0]).min(self.imd_present.len() - 1)];
        let iod = self.iod_present[usize::from(l21).min(self.iod_present.len() - 1)];
        if imd && iod {
            return;
        }
        let country = self.country(p, r);
        let l11 = self.ix.lsoa11_area(c[0]).map(|a| a.code);
        let note = deprivation_note(
            country,
            imd,
            imd2019_note(country, imd, l11),
            iod2025_note(
                country,
                iod,
                self.ix.lsoa21_area_of(l21).map(|a| a.code),
                Lsoa21Route::from_bits(c[3]),
                l11,
            ),
        );
        put(out, note.as_bytes());
    }

    /// The selected cells of a row without a location (`status` empty, invalid or unknown),
    /// each after a comma.
    fn other(&self, status: &str, reason: &str, postcode: Option<&Postcode>, out: &mut Vec<u8>) {
        for (col, _) in &self.cols {
            out.push(b',');
            match col {
                Col::Status => out.extend_from_slice(status.as_bytes()),
                Col::Reason => put(out, reason.as_bytes()),
                Col::Postcode => {
                    if let Some(p) = postcode {
                        out.extend_from_slice(p.as_bytes());
                    }
                }
                _ => {}
            }
        }
    }
}

/// A coordinate held in millionths of a degree, written with six decimals: what `{:.6}`
/// prints for the `f64` [`GeoIndex::location`] gives (that `f64` is the nearest to the
/// decimal, far closer than half a millionth); blank for none.
fn fixed6(v: i32, out: &mut Vec<u8>) {
    if v == crate::tags::NO_COORD {
        return;
    }
    if v < 0 {
        out.push(b'-');
    }
    let a = v.unsigned_abs();
    let mut buf = [0u8; 10];
    out.extend_from_slice(itoa(a / 1_000_000, &mut buf).as_bytes());
    out.push(b'.');
    let f = a % 1_000_000;
    let digits = itoa(f, &mut buf).as_bytes();
    out.extend(std::iter::repeat_n(b'0', 6 - digits.len()));
    out.extend_from_slice(digits);
}

fn annotate_piece(
    prep: &Prepared,
    reader: &anchornet_ingest::csvfast::Reader,
    b: &[u8],
    col: usize,
    width: usize,
) -> (Vec<u8>, BulkSummary) {
    let mut out = Vec::with_capacity(b.len() * 4);
    let mut s = BulkSummary::default();
    let mut fields = Vec::new();
    let mut pos = 0;
    let mut pcbuf: Vec<u8>;
    while let Ok(Some(_)) = reader.record(b, &mut pos, &mut fields) {
        s.rows += 1;
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            if f.escaped {
                put(&mut out, &unescape(b, f));
            } else {
                put(&mut out, f.raw(b));
            }
        }
        out.extend(std::iter::repeat_n(
            b',',
            width.saturating_sub(fields.len()),
        ));
        let raw: &[u8] = match fields.get(col) {
            Some(f) if f.escaped => {
                pcbuf = unescape(b, f);
                &pcbuf
            }
            Some(f) => f.raw(b),
            None => b"",
        };
        if raw.trim_ascii().is_empty() {
            s.empty += 1;
            prep.other("empty", "no postcode in this row", None, &mut out);
        } else {
            match Postcode::parse_bytes(raw) {
                Err(e) => {
                    s.invalid += 1;
                    prep.other("invalid", &e.to_string(), None, &mut out);
                }
                Ok(p) => match prep.rows.find(&p) {
                    None => {
                        s.unknown += 1;
                        prep.other("unknown", prep.ix.why_unknown(&p), Some(&p), &mut out);
                    }
                    Some(r) => {
                        if prep.rows.core[r as usize][2] != 0 {
                            s.terminated += 1;
                        } else {
                            s.live += 1;
                        }
                        prep.found(&p, r as usize, &mut out);
                    }
                },
            }
        }
        out.push(b'\n');
    }
    (out, s)
}
