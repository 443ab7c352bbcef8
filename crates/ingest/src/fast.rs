//! The fast path for delimited text in UTF-8: the same rows, layouts and reports as the
//! general path ([`crate::format::delimited`] then [`crate::detect::detect`] over the whole
//! table), without holding the table.
//!
//! 1. **Plan.** The first records give the header row ([`detect::find_header`]), exactly as
//!    the general reader finds it. The rest of the file is cut into pieces at record ends
//!    ([`csvfast::pieces`]) and the pieces are scanned in parallel for what detection needs
//!    of the whole table: the widest row, the number of non-blank data rows and where they
//!    start. Detection then sees the same header and the same evenly spread sample of rows
//!    as the general path ([`detect::sample_index`]), so it decides the same layout.
//! 2. **Convert.** Pieces are converted in parallel, a window at a time; the converted rows of
//!    one window go to the de-duplicator, the report and the sinks in file order on the
//!    caller's thread while the next window is converted ([`Pending::while_draining`]).
//!    Memory is the file's bytes plus two windows of converted rows.
//!
//! A file the fast reader cannot read exactly as the general one (a quote inside a field, an
//! unterminated quote, text that is not UTF-8, CR-only line ends, a mapping file, a limit
//! near) is not planned and takes the general path.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::csvfast::{self, Field, Reader};
use crate::dedupe::Deduper;
use crate::detect::{self, Detection};
use crate::format::{self, Format, Row};
use crate::input::Source;
use crate::report::{FileReport, Issue};
use crate::rows::{Converted, RowContext};
use crate::run::{Ingest, Record};

/// Bytes per piece converted as one task.
const PIECE: usize = 1 << 20;
/// Pieces converted together while the previous window is consumed.
const WINDOW: usize = 8;
/// Records read to find the header row (the general path looks at the first 40 rows).
const HEAD: usize = 64;

/// A source ready for the fast path.
pub(crate) struct Plan<'s> {
    body: &'s [u8],
    file: String,
    format: String,
    det: Detection,
    head: Vec<Row>,
    delim: u8,
    pieces: Vec<(Range<usize>, u64)>,
}

/// One file's settings shared by its pieces.
struct FileCtx {
    name: String,
    det: Detection,
    anchor: String,
    force: bool,
    header_norm: Vec<String>,
    report: usize,
}

/// Converted rows of one piece.
pub(crate) struct ChunkOut {
    ctx: Arc<FileCtx>,
    begin: bool,
    rows: Vec<Converted>,
}

/// What pass 1 learns of a piece.
#[derive(Default)]
struct Scan {
    records: u64,
    newlines: u64,
    width: usize,
    longest: usize,
    nonblank: Vec<usize>,
    irregular: bool,
}

/// Whether every field is empty or white space (as `str::trim` sees it).
fn blank(body: &[u8], fields: &[Field]) -> bool {
    fields.iter().all(|f| {
        let raw = f.raw(body);
        // ASCII white space as `char::is_whitespace` has it (tab to carriage return, space);
        // any other ASCII byte is not; only a field with other bytes needs decoding.
        match raw.iter().find(|b| !matches!(b, b'\t'..=b'\r' | b' ')) {
            None => true,
            Some(b) if b.is_ascii() => false,
            Some(_) => std::str::from_utf8(raw)
                .map(|s| s.trim().is_empty())
                .unwrap_or(false),
        }
    })
}

fn scan(body: &[u8], range: Range<usize>, reader: &Reader) -> Scan {
    let b = &body[range.clone()];
    let mut s = Scan {
        newlines: csvfast::newlines(b),
        ..Default::default()
    };
    let mut fields = Vec::new();
    let mut pos = 0;
    loop {
        match reader.record(b, &mut pos, &mut fields) {
            Err(_) => {
                s.irregular = true;
                return s;
            }
            Ok(None) => return s,
            Ok(Some(first)) => {
                s.records += 1;
                s.width = s.width.max(fields.len());
                for f in &fields {
                    s.longest = s.longest.max(f.end - f.start);
                }
                if !blank(b, &fields) {
                    s.nonblank.push(range.start + first);
                }
            }
        }
    }
}

fn fill(row: &mut Row, buf: &[u8], fields: &[Field]) {
    row.cells.truncate(fields.len());
    while row.cells.len() < fields.len() {
        row.cells.push(String::new());
    }
    for (c, f) in row.cells.iter_mut().zip(fields) {
        c.clear();
        f.push_to(buf, c);
    }
}

/// Plan the fast path for `source`, or `None` when it must take the general path.
pub(crate) fn plan<'s>(ing: &Ingest, source: &'s Source) -> Option<Plan<'s>> {
    if ing.mapping.is_some() || format::xlsx::Xlsx.detect(source) || format::ods::Ods.detect(source)
    {
        return None;
    }
    let bytes = &source.bytes;
    if bytes.iter().take(4096).filter(|b| **b == 0).count() > 8 {
        return None;
    }
    let (body, enc) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, "utf-8 (BOM)"),
        None => (&bytes[..], "utf-8"),
    };
    // A second BOM, or one mis-encoded through Windows-1252: the general path's business.
    if body.starts_with(b"\xEF\xBB\xBF") || body.starts_with("\u{ef}\u{bb}\u{bf}".as_bytes()) {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    let has_lf = memchr::memchr(b'\n', body).is_some();
    if !has_lf && memchr::memchr(b'\r', body).is_some() {
        return None;
    }
    let delim = format::delimited::sniff_delimiter(text);
    let dname = match delim {
        b'\t' => "tab".to_string(),
        other => format!("'{}'", other as char),
    };
    let ending = if memchr::memmem::find(body, b"\r\n").is_some() {
        "CRLF"
    } else {
        "LF"
    };
    let format = format!(
        "{}, {enc}, {dname}-separated, {ending}",
        if delim == b'\t' { "tsv" } else { "csv" }
    );
    let reader = Reader::new(delim);
    let limits = &source.limits;

    // The first records, with their lines and where each ends.
    let mut head = Vec::new();
    let mut ends = Vec::new();
    let mut fields = Vec::new();
    let (mut pos, mut nl, mut last) = (0usize, 0u64, 0usize);
    while head.len() < HEAD {
        match reader.record(body, &mut pos, &mut fields) {
            Err(_) => return None,
            Ok(None) => break,
            Ok(Some(first)) => {
                nl += csvfast::newlines(&body[last..first]);
                last = first;
                let mut row = Row {
                    line: nl + 1,
                    cells: Vec::new(),
                };
                fill(&mut row, body, &fields);
                head.push(row);
                ends.push(pos);
            }
        }
    }
    let whole = pos >= body.len() || body[pos..].iter().all(|b| matches!(b, b'\n' | b'\r'));
    if !whole && head.iter().filter(|r| !r.is_blank()).count() < 2 {
        return None;
    }
    let header_index = detect::find_header(&head);
    let start = header_index.map_or(0, |h| h + 1);
    let data_at = if start == 0 { 0 } else { ends[start - 1] };
    head.truncate(start);

    // Pass 1: the pieces, scanned in parallel.
    let ranges: Vec<Range<usize>> = csvfast::pieces(&body[data_at..], PIECE)
        .into_iter()
        .map(|r| r.start + data_at..r.end + data_at)
        .collect();
    let scans: Vec<Scan> = ranges
        .par_iter()
        .map(|r| scan(body, r.clone(), &reader))
        .collect();
    if scans.iter().any(|s| s.irregular) {
        return None;
    }
    let records = head.len() as u64 + scans.iter().map(|s| s.records).sum::<u64>();
    let width = head
        .iter()
        .map(|r| r.cells.len())
        .chain(scans.iter().map(|s| s.width))
        .max()
        .unwrap_or(0);
    let longest = head
        .iter()
        .flat_map(|r| r.cells.iter().map(String::len))
        .chain(scans.iter().map(|s| s.longest))
        .max()
        .unwrap_or(0);
    if records > limits.max_rows
        || width as u64 > limits.max_columns
        || longest as u64 > limits.max_cell_chars
    {
        return None;
    }

    // The sample detection sees: the same rows as the general path's.
    let nonblank: Vec<usize> = scans
        .iter()
        .flat_map(|s| s.nonblank.iter().copied())
        .collect();
    let n = nonblank.len();
    let mut sample = Vec::with_capacity(n.min(detect::SAMPLE_ROWS));
    for i in 0..n.min(detect::SAMPLE_ROWS) {
        let mut p = nonblank[detect::sample_index(i, n)];
        let mut row = Row {
            line: 0,
            cells: Vec::new(),
        };
        reader.record(body, &mut p, &mut fields).ok()??;
        fill(&mut row, body, &fields);
        sample.push(row);
    }
    let sample_refs: Vec<&Row> = sample.iter().collect();
    let det = detect::detect_parts(&head, header_index, width, &sample_refs, None).ok()?;

    let mut base = csvfast::newlines(&body[..data_at]);
    let pieces = ranges
        .into_iter()
        .zip(&scans)
        .map(|(r, s)| {
            let b = base;
            base += s.newlines;
            (r, b)
        })
        .collect();
    Some(Plan {
        body,
        file: source.name.clone(),
        format,
        det,
        head,
        delim,
        pieces,
    })
}

fn convert(
    ctx: &FileCtx,
    body: &[u8],
    delim: u8,
    range: &Range<usize>,
    base: u64,
    keyed: bool,
    spare: &Spare,
) -> Vec<Converted> {
    let rc = RowContext::new(
        &ctx.det,
        &ctx.name,
        &ctx.anchor,
        ctx.force,
        ctx.header_norm.clone(),
    );
    let reader = Reader::new(delim);
    let b = &body[range.clone()];
    let mut out = spare.take(b.len() / 64);
    let mut fields = Vec::new();
    let mut row = Row {
        line: 0,
        cells: Vec::new(),
    };
    let (mut pos, mut nl, mut last) = (0usize, base, 0usize);
    // Pass 1 read every piece without an irregular record, so none is met here.
    while let Ok(Some(first)) = reader.record(b, &mut pos, &mut fields) {
        // From one record's start to the next's: a short run, counted without the set-up of
        // a vectorised search.
        nl += b[last..first].iter().filter(|c| **c == b'\n').count() as u64;
        last = first;
        row.line = nl + 1;
        fill(&mut row, b, &fields);
        out.push(rc.converted(&row, keyed));
    }
    out
}

/// Run a planned source: its report is added to `reports`; its rows are converted a window
/// at a time, each window consumed while the next is converted; the last window is left in
/// `pending` (to be consumed while the next file is planned).
#[allow(clippy::too_many_arguments)]
pub(crate) fn run(
    ing: &Ingest,
    plan: Plan<'_>,
    pending: &mut Pending,
    reports: &mut Vec<FileReport>,
    dedupe: &mut Deduper,
    sink: &mut dyn FnMut(Record),
    issues: &mut dyn FnMut(Issue),
) {
    let (anchor, force) = ing.anchor_for(&plan.file);
    let mut rep = FileReport {
        file: plan.file.clone(),
        format: plan.format.clone(),
        anchor: anchor.clone(),
        ..Default::default()
    };
    crate::run::describe_layout(&plan.det, &mut rep);
    let header_norm = crate::run::header_norm(&plan.det, &plan.head);
    let ctx = Arc::new(FileCtx {
        name: plan.file,
        det: plan.det,
        anchor,
        force,
        header_norm,
        report: reports.len(),
    });
    reports.push(rep);
    let keyed = !ing.keep_duplicates;
    let (body, delim) = (plan.body, plan.delim);
    let spare = pending.spare.clone();
    let mut begin = true;
    for window in plan.pieces.chunks(WINDOW) {
        let outs: Vec<ChunkOut> =
            pending.while_draining(ing, reports, dedupe, sink, issues, || {
                window
                    .par_iter()
                    .map(|(r, base)| ChunkOut {
                        ctx: ctx.clone(),
                        begin: false,
                        rows: convert(&ctx, body, delim, r, *base, keyed, &spare),
                    })
                    .collect()
            });
        pending.outs = outs;
        if begin {
            if let Some(o) = pending.outs.first_mut() {
                o.begin = true;
            }
            begin = false;
        }
    }
    if begin {
        pending.drain(ing, reports, dedupe, sink, issues);
        pending.outs.push(ChunkOut {
            ctx,
            begin: true,
            rows: Vec::new(),
        });
    }
}

/// Converted rows not yet consumed, in file order.
#[derive(Default)]
pub(crate) struct Pending {
    outs: Vec<ChunkOut>,
    spare: Spare,
}

/// Emptied row vectors kept for the next pieces: a piece's vector is filled on a worker
/// and emptied on the consuming thread, and handing it back spares the allocator a fresh
/// block of megabytes (and the kernel its zeroed pages) for every piece.
#[derive(Default, Clone)]
struct Spare(Arc<Mutex<Vec<Vec<Converted>>>>);

impl Spare {
    /// An empty vector, with room for `n` rows when a new one is made.
    fn take(&self, n: usize) -> Vec<Converted> {
        let got = self.0.lock().ok().and_then(|mut v| v.pop());
        got.unwrap_or_else(|| Vec::with_capacity(n))
    }

    fn give(&self, mut rows: Vec<Converted>) {
        rows.clear();
        if let Ok(mut v) = self.0.lock() {
            // Two windows are in flight at most; more would only hold memory.
            if v.len() < 2 * WINDOW {
                v.push(rows);
            }
        }
    }
}

impl Pending {
    /// Consume every pending row: reports, de-duplication, sinks, in order.
    pub(crate) fn drain(
        &mut self,
        ing: &Ingest,
        reports: &mut [FileReport],
        dedupe: &mut Deduper,
        sink: &mut dyn FnMut(Record),
        issues: &mut dyn FnMut(Issue),
    ) {
        for o in std::mem::take(&mut self.outs) {
            if o.begin {
                dedupe.begin_file(&o.ctx.name);
            }
            let rep = &mut reports[o.ctx.report];
            let mut rows = o.rows;
            for c in rows.drain(..) {
                ing.consume(&o.ctx.name, &o.ctx.det, c, rep, dedupe, sink, issues);
            }
            self.spare.give(rows);
        }
    }

    /// Run `f` on the thread pool while the pending rows are consumed on this thread.
    pub(crate) fn while_draining<R: Send>(
        &mut self,
        ing: &Ingest,
        reports: &mut [FileReport],
        dedupe: &mut Deduper,
        sink: &mut dyn FnMut(Record),
        issues: &mut dyn FnMut(Issue),
        f: impl FnOnce() -> R + Send,
    ) -> R {
        if self.outs.is_empty() {
            return f();
        }
        let mut result = None;
        rayon::in_place_scope(|s| {
            s.spawn(|_| result = Some(f()));
            self.drain(ing, reports, dedupe, sink, issues);
        });
        result.expect("the scope ran the task")
    }
}
