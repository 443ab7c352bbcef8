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
        answer(index, raw, &mut s, &mut |c: &str| cells.push(c.to_string()));
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

/// The [`COLUMNS`] cells for the postcode cell `raw` (as many as apply; the rest are blank),
/// each handed to `cell`, and the row counted in `s`.
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
    cell(
        &loc.iod2025
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
    cell(&notes.join("; "));
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
/// record ends ([`anchornet_ingest::csvfast`]), pieces are answered on every core, and
/// their output is written in input order. The output is byte for byte [`annotate`]'s
/// (cells re-quoted by the same rule as the `csv` writer: only when they hold a comma, a
/// quote or a line end). An input the fast reader does not read exactly as the `csv` crate
/// (a quote inside a field, a byte order mark) is handed to [`annotate`].
pub fn annotate_bytes(
    index: &GeoIndex,
    input: &[u8],
    output: &mut impl Write,
    column: &str,
) -> Result<BulkSummary, BulkError> {
    match annotate_fast(index, input, output, column) {
        Some(r) => r,
        None => annotate(index, input, output, column),
    }
}

/// [`annotate_bytes`]'s parallel path: `None` (nothing written) when the input is not one
/// the fast reader reads exactly as the `csv` crate.
pub fn annotate_fast(
    index: &GeoIndex,
    input: &[u8],
    output: &mut impl Write,
    column: &str,
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
        index, &reader, input, body, &header, &ranges, output, column,
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
) -> Result<BulkSummary, BulkError> {
    let norm = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .trim()
            .trim_start_matches('\u{feff}')
            .to_lowercase()
    };
    let cells: Vec<Vec<u8>> = header.iter().map(|f| unescape(input, f)).collect();
    let want = column.trim().to_lowercase();
    let col = cells
        .iter()
        .position(|h| norm(h) == want)
        .ok_or_else(|| BulkError::NoColumn {
            column: column.to_string(),
            headers: cells.iter().map(|h| norm(h)).collect::<Vec<_>>().join(", "),
        })?;
    let width = cells.len();
    let mut out = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        put(&mut out, c);
    }
    for c in COLUMNS {
        out.push(b',');
        put(&mut out, c.as_bytes());
    }
    out.push(b'\n');
    output.write_all(&out)?;
    let mut s = BulkSummary::default();
    let threads = rayon::current_num_threads().max(1);
    for window in ranges.chunks(threads * 4) {
        let outs: Vec<(Vec<u8>, BulkSummary)> = window
            .par_iter()
            .map(|r| annotate_piece(index, reader, &body[r.clone()], col, width))
            .collect();
        for (o, n) in outs {
            output.write_all(&o)?;
            s.rows += n.rows;
            s.live += n.live;
            s.terminated += n.terminated;
            s.unknown += n.unknown;
            s.invalid += n.invalid;
            s.empty += n.empty;
        }
    }
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

fn annotate_piece(
    index: &GeoIndex,
    reader: &anchornet_ingest::csvfast::Reader,
    b: &[u8],
    col: usize,
    width: usize,
) -> (Vec<u8>, BulkSummary) {
    let mut out = Vec::with_capacity(b.len() * 6);
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
        let mut cell = |c: &str| {
            out.push(b',');
            put(&mut out, c.as_bytes());
        };
        let mut n = 0;
        answer(index, raw, &mut s, &mut |c: &str| {
            n += 1;
            cell(c)
        });
        for _ in n..COLUMNS.len() {
            cell("");
        }
        out.push(b'\n');
    }
    (out, s)
}

/// Benchmark B2 (BENCHMARKS.md): one answer line per input line, in input order:
/// `postcode,lsoa11,imd2019_decile,lad,terminated` with the normalised postcode, the 2011
/// LSOA, its IMD 2019 decile (blank if none), the directory's district and `1`/`0`; a valid
/// postcode the index does not hold gives `POSTCODE,unknown,,,`, an invalid string
/// `,invalid,,,`. The input is split at line ends and answered in parallel, each piece in
/// batches whose memory reads are prefetched together; answers are written straight into a
/// byte buffer (no allocation per line).
pub fn b2_answers(index: &GeoIndex, input: &[u8], out: &mut impl Write) -> std::io::Result<u64> {
    let t = index.brief_tables();
    let threads = rayon::current_num_threads().max(1);
    // Pieces of about 256 KB, answered `threads` at a time into buffers that are reused, so
    // that output memory is touched once, not once per piece.
    let pieces = crate::csvfast::chunks(input, (input.len() / (256 << 10)).max(threads));
    let mut bufs: Vec<(Vec<u8>, usize, u64)> = (0..threads).map(|_| (Vec::new(), 0, 0)).collect();
    let mut lines = 0u64;
    for group in pieces.chunks(threads) {
        bufs.par_iter_mut()
            .zip(group.par_iter())
            .for_each(|((buf, pos, n), piece)| {
                *pos = 0;
                *n = b2_piece(&t, piece, buf, pos);
            });
        for (buf, pos, n) in bufs.iter().take(group.len()) {
            out.write_all(&buf[..*pos])?;
            lines += n;
        }
    }
    Ok(lines)
}

const BATCH: usize = 32;

#[inline(always)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint; it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch(p.cast::<i8>(), std::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Answer the lines of one piece: parse a batch, prefetch each postcode's slot, find the rows
/// and prefetch them, then write the answers.
fn b2_piece(
    t: &crate::index::BriefTables,
    piece: &[u8],
    out: &mut Vec<u8>,
    pos: &mut usize,
) -> u64 {
    let core: &[u16] = t.core.get();
    let starts: &[u32] = t.starts.get();
    let bits: &[u64] = t.bits.get();
    let mut n = 0u64;
    let mut rest = piece;
    let mut pcs: [Option<Postcode>; BATCH] = [None; BATCH];
    let mut slot: [usize; BATCH] = [usize::MAX; BATCH];
    let mut row: [u32; BATCH] = [u32::MAX; BATCH];
    while !rest.is_empty() {
        // 1. Parse up to BATCH lines; find each outward code's slot and prefetch its bitmap.
        let mut m = 0;
        while m < BATCH && !rest.is_empty() {
            let (line, next) = match memchr::memchr(b'\n', rest) {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &b""[..]),
            };
            rest = next;
            n += 1;
            let p = Postcode::parse_bytes(line).ok();
            slot[m] = usize::MAX;
            if let Some(p) = &p {
                let k = crate::build::key_of(p);
                if let Some(&oid) = t.outwards.get(&((k >> 24) as u32)) {
                    let s = oid as usize * 10
                        + usize::from((((k >> 16) & 0xff) as u8).wrapping_sub(b'0'));
                    slot[m] = s;
                    prefetch(bits.as_ptr().wrapping_add(s * 11));
                    prefetch(starts.as_ptr().wrapping_add(s));
                }
            }
            pcs[m] = p;
            m += 1;
        }
        // 2. The rows, and prefetch their records.
        for i in 0..m {
            row[i] = u32::MAX;
            if let (Some(p), true) = (&pcs[i], slot[i] != usize::MAX) {
                let b = p.as_bytes();
                let l = b.len();
                let oid = slot[i] / 10;
                if let Some(r) = find_in(starts, bits, oid, b[l - 3], b[l - 2], b[l - 1]) {
                    row[i] = r;
                    prefetch(core.as_ptr().wrapping_add(r as usize * 4));
                }
            }
        }
        // 3. Write the answers: fixed 16-byte copies of preformatted pieces, then the cursor
        //    moves by their real length (no call per field).
        if out.len() - *pos < BATCH * 64 {
            out.resize(out.len() * 2 + BATCH * 64, 0);
        }
        for i in 0..m {
            let w = &mut out[*pos..*pos + 64];
            let Some(p) = &pcs[i] else {
                w[..12].copy_from_slice(b",invalid,,,\n");
                *pos += 12;
                continue;
            };
            let pb = p.as_bytes();
            let mut o = pb.len();
            let mut pc8 = [0u8; 8];
            pc8[..o].copy_from_slice(pb);
            w[..8].copy_from_slice(&pc8);
            if row[i] == u32::MAX {
                w[o..o + 12].copy_from_slice(b",unknown,,,\n");
                *pos += o + 12;
                continue;
            }
            let r = row[i] as usize * 4;
            let (l11, lad, term) = (core[r], core[r + 1], core[r + 2]);
            let (f, fl) = &t.lsoa_frag[usize::from(l11.min(t.none_frag))];
            w[o..o + 16].copy_from_slice(f);
            o += usize::from(*fl);
            let (f, fl) = &t.lad_frag[usize::from(lad.min(t.none_lad))];
            w[o..o + 16].copy_from_slice(f);
            o += usize::from(*fl);
            w[o..o + 2].copy_from_slice(if term != 0 { b"1\n" } else { b"0\n" });
            *pos += o + 2;
        }
    }
    n
}
