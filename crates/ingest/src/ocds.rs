//! OCDS JSON in every packaging, and the OCDS merge of releases into compiled releases.
//!
//! ```text
//! paths ──► files (.json, .jsonl, .ndjson; .gz/.xz/.zip through crate::input, within Limits)
//!       ──► documents (one JSON text, JSON Lines, or JSON texts one after another), read
//!           forward through a window, each text checked whole without building a Value
//!       ──► releases (release package, record package, single release, compiled release, list)
//!           located by byte span: Index { source, offset, length, ocid, date } per release
//!       ──► group by ocid ──► each group read again and compiled (OCDS 1.1 merge routine)
//!           ──► one compiled release per ocid, made, used and dropped
//! ```
//!
//! **Memory** ([`index_paths`], [`Index`]): the first pass keeps per release only where it
//! is and what the merge orders it by; a plain file is read a window (4 MiB) at a time and
//! one JSON text is held while it is read (a JSON Lines line, or a whole package when a file
//! is one package); compressed inputs are decompressed once, within the limits, into one
//! anonymous temporary file. [`Index::compile_group`] reads one ocid's releases again and
//! merges them. [`read_paths`] and [`read_bytes`] do the same and parse every release (for
//! small inputs and tests).
//!
//! **Packagings read** (OCDS 1.1 "Packaging"): a release package (`releases`); a record
//! package (`records[]`, each with embedded `releases` and/or a `compiledRelease`; linked
//! releases, which only give a `url`, are reported and not followed); a single release (an
//! object with `ocid`); a JSON array of any of these; JSON Lines or concatenated JSON texts
//! of any of these (one release or package per line, as `ocdskit` and bulk downloads write).
//! A record whose releases are embedded is read from them (its `compiledRelease` is derived
//! from them and not counted again); a record with only a `compiledRelease` is read as that.
//!
//! **Accounting.** Every release found is either [`Release`] (kept) or rejected with an
//! [`Issue`] naming the file, the JSON path (`column`, a JSON Pointer such as
//! `/releases/3/ocid`), the value and the reason: no `ocid`, a `date` missing or not an
//! RFC 3339 date-time (OCDS `date-time` format; the merge orders releases by it), not an
//! object. A document that is not JSON is a file-level issue with its line and column; in
//! JSON Lines or concatenated texts reading resumes at the next line that starts a JSON
//! object, so the rest of the file is read.
//!
//! **Limits.** Files are opened with [`crate::input::open_with`] (size, decompression ratio,
//! nested archives). JSON nesting is bounded by serde_json's recursion limit (128 levels),
//! which also bounds the recursion of the merge; a deeper document is refused with that
//! reason. At most `max_rows` releases are read from one file.
//!
//! **Merge** ([`compile`]): the OCDS 1.1 merge routine ("Merging" in the standard, with the
//! merge rules of the 1.1.5 release schema, [`WHOLE_LIST_MERGE`]): releases in chronological
//! order by `date` (ties keep input order); `id`, `date` and `tag` are omitted when merged;
//! a field set to `null` is removed; objects merge field by field; arrays of objects merge by
//! `id` (an object without an `id` is appended, as the reference implementation ocdsmerge
//! does); arrays of anything else, and the arrays the schema marks `wholeListMerge`, are
//! replaced whole; an empty object or array in a later release changes nothing. The
//! compiled release gets `tag: ["compiled"]`, the latest `date`, and `id` =
//! `{ocid}-{date}`, as the standard's note and ocdsmerge do.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::input;
use crate::limits::Limits;
use crate::report::{Issue, Outcome};

/// Arrays replaced whole when merged, by their path of field names (array positions left
/// out): the `wholeListMerge` fields of the OCDS 1.1.5 release schema
/// (github.com/open-contracting/standard, tag `1__1__5`), as ocdsmerge derives them.
/// Arrays of non-objects (e.g. `parties/roles`) are replaced whole in any case.
pub const WHOLE_LIST_MERGE: [&str; 21] = [
    "awards.amendment.changes",
    "awards.amendments.changes",
    "awards.items.additionalClassifications",
    "awards.suppliers.additionalIdentifiers",
    "buyer.additionalIdentifiers",
    "contracts.amendment.changes",
    "contracts.amendments.changes",
    "contracts.implementation.transactions.payee.additionalIdentifiers",
    "contracts.implementation.transactions.payer.additionalIdentifiers",
    "contracts.items.additionalClassifications",
    "contracts.relatedProcesses.relationship",
    "parties.additionalIdentifiers",
    "parties.roles",
    "relatedProcesses.relationship",
    "tender.additionalProcurementCategories",
    "tender.amendment.changes",
    "tender.amendments.changes",
    "tender.items.additionalClassifications",
    "tender.procuringEntity.additionalIdentifiers",
    "tender.submissionMethod",
    "tender.tenderers.additionalIdentifiers",
];

/// One release read, with where it came from.
#[derive(Debug, Clone)]
pub struct Release {
    /// Source file (or `archive.zip!member`).
    pub file: String,
    /// JSON Pointer of the release in its document (`/releases/0`; empty for a single
    /// release), prefixed `line N:` in JSON Lines.
    pub path: String,
    /// Its `ocid`.
    pub ocid: String,
    /// Its `date`, parsed.
    pub date: DateTime<FixedOffset>,
    /// The release as published.
    pub json: Value,
}

/// How one file was read.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OcdsFile {
    /// Source name.
    pub file: String,
    /// Packagings found (`release package`, `record package`, `release`, `JSON Lines`…).
    pub packaging: String,
    /// Releases found.
    pub releases_read: u64,
    /// Releases kept.
    pub accepted: u64,
    /// Releases rejected (each with an issue).
    pub rejected: u64,
    /// JSON texts that could not be parsed (each with an issue).
    pub unreadable: u64,
    /// Set when the whole file could not be opened.
    pub error: Option<String>,
}

impl OcdsFile {
    /// releases read = accepted + rejected.
    pub fn reconciles(&self) -> bool {
        self.releases_read == self.accepted + self.rejected
    }
}

/// Everything read from a set of OCDS inputs.
#[derive(Debug, Default)]
pub struct OcdsRead {
    /// Releases kept, in input order.
    pub releases: Vec<Release>,
    /// Per-file reconciliation.
    pub files: Vec<OcdsFile>,
    /// Rejected releases, unreadable documents and files, with where and why.
    pub issues: Vec<Issue>,
}

impl OcdsRead {
    /// Releases found in all files.
    pub fn releases_read(&self) -> u64 {
        self.files.iter().map(|f| f.releases_read).sum()
    }
    /// Releases rejected in all files.
    pub fn rejected(&self) -> u64 {
        self.files.iter().map(|f| f.rejected).sum()
    }
}

/// Whether a file name looks like OCDS JSON (after compression suffixes).
pub fn is_json_file(p: &Path) -> bool {
    let name = p
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let s = input::strip_compression(&name);
    s.ends_with(".json")
        || s.ends_with(".jsonl")
        || s.ends_with(".ndjson")
        || name.ends_with(".zip")
}

/// The files a path stands for: the file itself, or every JSON file under a directory
/// (recursively, sorted by path so that ties in `date` merge in a stable order).
pub fn json_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for e in std::fs::read_dir(dir)? {
            let p = e?.path();
            if p.is_dir() {
                walk(&p, out)?;
            } else if is_json_file(&p) {
                out.push(p);
            }
        }
        Ok(())
    }
    if path.is_dir() {
        let mut out = Vec::new();
        walk(path, &mut out)?;
        out.sort();
        Ok(out)
    } else {
        Ok(vec![path.to_path_buf()])
    }
}

/// Read files and directories of OCDS JSON within `limits`, every release parsed and held
/// (for small inputs and tests; [`index_paths`] holds only where each release is).
pub fn read_paths(paths: &[PathBuf], limits: &Limits) -> OcdsRead {
    let ix = index_paths(paths, limits);
    let mut reader = ix.reader();
    let mut out = OcdsRead::default();
    for (i, r) in ix.releases.iter().enumerate() {
        match ix.load(&mut reader, i) {
            Ok(rel) => out.releases.push(rel),
            Err(e) => out.issues.push(reread_issue(&ix, r, e)),
        }
    }
    out.files = ix.files;
    out.issues.extend(ix.issues);
    out
}

fn reread_issue(ix: &Index, r: &Located, e: String) -> Issue {
    Issue {
        file: ix.source_name(r).to_string(),
        line: 0,
        column: r.path.clone(),
        value: String::new(),
        problem: format!("release could not be read again (the file changed?): {e}"),
        outcome: Outcome::Rejected,
    }
}

/// Read one decompressed input named `name`, every release parsed and held.
pub fn read_bytes(name: &str, bytes: &[u8], limits: &Limits, out: &mut OcdsRead) {
    let mut ix = Index::default();
    scan(name, 0, bytes, limits, &mut ix);
    for r in &ix.releases {
        let text = &bytes[r.offset as usize..(r.offset + r.len) as usize];
        match serde_json::from_slice(text) {
            Ok(json) => out.releases.push(Release {
                file: name.to_string(),
                path: r.path.clone(),
                ocid: r.ocid.clone(),
                date: r.date,
                json,
            }),
            Err(e) => out.issues.push(Issue {
                file: name.to_string(),
                line: 0,
                column: r.path.clone(),
                value: String::new(),
                problem: e.to_string(),
                outcome: Outcome::Rejected,
            }),
        }
    }
    out.files.append(&mut ix.files);
    out.issues.append(&mut ix.issues);
}

/// Where one kept release is: enough to read it again, and what the merge orders it by.
#[derive(Debug, Clone)]
pub struct Located {
    /// Index of its source in the [`Index`].
    pub source: u32,
    /// Byte offset of the release's JSON text in its (decompressed) source.
    pub offset: u64,
    /// Length of that text in bytes.
    pub len: u64,
    /// JSON Pointer of the release in its document, as [`Release::path`].
    pub path: String,
    /// Its `ocid`.
    pub ocid: String,
    /// Its `date`, parsed.
    pub date: DateTime<FixedOffset>,
}

/// Where a source's bytes are read again from.
enum Backing {
    /// A plain file, read again at the release's offset.
    File(PathBuf),
    /// Decompressed bytes written to the index's spill file, from this offset.
    Spill(u64),
    /// Decompressed bytes held (when no temporary file could be made).
    Memory(Vec<u8>),
}

struct SourceText {
    name: String,
    backing: Backing,
}

impl std::fmt::Debug for SourceText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = match &self.backing {
            Backing::File(p) => format!("file {}", p.display()),
            Backing::Spill(at) => format!("spilled at {at}"),
            Backing::Memory(b) => format!("{} bytes held", b.len()),
        };
        write!(f, "{} ({how})", self.name)
    }
}

/// The first pass over OCDS inputs: every release found is checked and either located
/// ([`Located`]: source, byte offset and length, ocid, date — not its JSON) or rejected with
/// an issue. Plain files are read in windows of a few MiB, one JSON text at a time, and read
/// again at each release's offset when it is merged; compressed inputs are decompressed
/// once (within the limits) into one anonymous temporary file. Memory: the index itself and
/// the largest single JSON text (a JSON Lines line, or a whole package when a file is one
/// package).
#[derive(Debug, Default)]
pub struct Index {
    /// Releases kept, in input order.
    pub releases: Vec<Located>,
    /// Per-file reconciliation.
    pub files: Vec<OcdsFile>,
    /// Rejected releases, unreadable documents and files, with where and why.
    pub issues: Vec<Issue>,
    sources: Vec<SourceText>,
    spill: Option<File>,
}

/// The releases of one `ocid`: indexes into [`Index::releases`], in input order.
#[derive(Debug, Clone)]
pub struct Group {
    /// The ocid.
    pub ocid: String,
    /// Its releases.
    pub releases: Vec<u32>,
}

/// An open handle reused while releases are read again (one per thread).
#[derive(Default)]
pub struct Reader {
    open: Option<(u32, File)>,
}

impl Index {
    /// Releases found in all files.
    pub fn releases_read(&self) -> u64 {
        self.files.iter().map(|f| f.releases_read).sum()
    }

    /// Releases rejected in all files.
    pub fn rejected(&self) -> u64 {
        self.files.iter().map(|f| f.rejected).sum()
    }

    /// The name (file, or `archive.zip!member`) a release was read from.
    pub fn source_name(&self, r: &Located) -> &str {
        self.sources
            .get(r.source as usize)
            .map_or("", |s| s.name.as_str())
    }

    /// A reader for [`Index::load`].
    pub fn reader(&self) -> Reader {
        Reader::default()
    }

    /// The releases grouped by `ocid`, in order of first appearance.
    pub fn groups(&self) -> Vec<Group> {
        let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let mut out: Vec<Group> = Vec::new();
        for (i, r) in self.releases.iter().enumerate() {
            let g = *at.entry(&r.ocid).or_insert_with(|| {
                out.push(Group {
                    ocid: r.ocid.clone(),
                    releases: Vec::new(),
                });
                out.len() - 1
            });
            out[g].releases.push(i as u32);
        }
        out
    }

    /// Read release `i` again and parse it.
    pub fn load(&self, reader: &mut Reader, i: usize) -> Result<Release, String> {
        let r = &self.releases[i];
        let src = &self.sources[r.source as usize];
        let len = usize::try_from(r.len).map_err(|e| e.to_string())?;
        let mut owned = Vec::new();
        let text: &[u8] = match &src.backing {
            Backing::Memory(b) => b
                .get(r.offset as usize..r.offset as usize + len)
                .ok_or("past the end of the input")?,
            Backing::Spill(base) => {
                let f = self.spill.as_ref().ok_or("no spill file")?;
                owned.resize(len, 0);
                read_at(f, base + r.offset, &mut owned).map_err(|e| e.to_string())?;
                &owned
            }
            Backing::File(p) => {
                if reader.open.as_ref().is_none_or(|(s, _)| *s != r.source) {
                    let f = File::open(p).map_err(|e| e.to_string())?;
                    reader.open = Some((r.source, f));
                }
                let (_, f) = reader.open.as_ref().ok_or("not open")?;
                owned.resize(len, 0);
                read_at(f, r.offset, &mut owned).map_err(|e| e.to_string())?;
                &owned
            }
        };
        let json = serde_json::from_slice(text).map_err(|e| e.to_string())?;
        Ok(Release {
            file: src.name.clone(),
            path: r.path.clone(),
            ocid: r.ocid.clone(),
            date: r.date,
            json,
        })
    }

    /// Read one group's releases again and merge them ([`compile`]).
    pub fn compile_group(&self, reader: &mut Reader, g: &Group) -> Result<Compiled, String> {
        let mut rs = Vec::with_capacity(g.releases.len());
        for &i in &g.releases {
            rs.push(
                self.load(reader, i as usize)
                    .map_err(|e| format!("{}: {e}", self.releases[i as usize].path))?,
            );
        }
        let refs: Vec<&Release> = rs.iter().collect();
        Ok(Compiled {
            ocid: g.ocid.clone(),
            releases: g.releases.iter().map(|&i| i as usize).collect(),
            json: compile(&refs),
        })
    }

    fn add_source(&mut self, name: &str, backing: Backing) -> u32 {
        self.sources.push(SourceText {
            name: name.to_string(),
            backing,
        });
        (self.sources.len() - 1) as u32
    }

    /// Keep decompressed bytes for reading again: in the spill file, else in memory.
    fn keep(&mut self, bytes: Vec<u8>) -> Backing {
        if self.spill.is_none() {
            self.spill = temp_file().ok();
        }
        if let Some(f) = self.spill.as_mut() {
            if let Ok(base) = f.seek(SeekFrom::End(0)) {
                if f.write_all(&bytes).is_ok() {
                    return Backing::Spill(base);
                }
            }
        }
        Backing::Memory(bytes)
    }
}

fn read_at(f: &File, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        f.read_exact_at(buf, offset)
    }
    #[cfg(not(unix))]
    {
        let mut g = f.try_clone()?;
        g.seek(SeekFrom::Start(offset))?;
        g.read_exact(buf)
    }
}

/// An anonymous temporary file (removed at once; it lives while open).
fn temp_file() -> std::io::Result<File> {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let p = std::env::temp_dir().join(format!("anchornet-ocds-{}-{n}", std::process::id()));
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&p)?;
    let _ = std::fs::remove_file(&p);
    Ok(f)
}

/// The first pass over files and directories of OCDS JSON within `limits` (see [`Index`]).
pub fn index_paths(paths: &[PathBuf], limits: &Limits) -> Index {
    let mut ix = Index::default();
    for p in paths {
        let files = match json_files(p) {
            Ok(f) => f,
            Err(e) => {
                file_error(&mut ix, &p.to_string_lossy(), e.to_string());
                continue;
            }
        };
        for f in files {
            index_file(&f, limits, &mut ix);
        }
    }
    ix
}

fn index_file(path: &Path, limits: &Limits, ix: &mut Index) {
    let name = path.to_string_lossy().to_string();
    // A plain file is streamed; a compressed one (recognised by its magic bytes, as the
    // input opener does) is decompressed within the limits first.
    let plain = name != "-" && {
        match File::open(path) {
            Ok(mut f) => {
                let mut head = [0u8; 6];
                let mut n = 0;
                while n < head.len() {
                    match f.read(&mut head[n..]) {
                        Ok(0) => break,
                        Ok(k) => n += k,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(_) => break,
                    }
                }
                let head = &head[..n];
                let compressed = head.starts_with(&[0x1f, 0x8b])
                    || head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00])
                    || (head.starts_with(b"PK\x03\x04")
                        && name.to_ascii_lowercase().ends_with(".zip"));
                !compressed
            }
            Err(e) => {
                file_error(ix, &name, e.to_string());
                return;
            }
        }
    };
    if plain {
        match File::open(path) {
            Ok(f) => {
                let src = ix.add_source(&name, Backing::File(path.to_path_buf()));
                scan(&name, src, f, limits, ix);
            }
            Err(e) => file_error(ix, &name, e.to_string()),
        }
        return;
    }
    match input::open_with(path, limits) {
        Ok(sources) => {
            for s in sources {
                // Offsets are the decompressed bytes', wherever they are kept.
                let src = ix.add_source(&s.name, Backing::Memory(Vec::new()));
                scan(&s.name, src, &s.bytes[..], limits, ix);
                let backing = ix.keep(s.bytes);
                ix.sources[src as usize].backing = backing;
            }
        }
        Err(e) => file_error(ix, &name, e.message),
    }
}

fn file_error(ix: &mut Index, name: &str, message: String) {
    ix.issues.push(Issue {
        file: name.to_string(),
        line: 0,
        column: String::new(),
        value: String::new(),
        problem: message.clone(),
        outcome: Outcome::FileError,
    });
    ix.files.push(OcdsFile {
        file: name.to_string(),
        error: Some(message),
        ..OcdsFile::default()
    });
}

/// Bytes read at a time; a text longer than the window grows it (doubling).
const WINDOW: usize = 4 << 20;

/// A window on an input read forward: `buf` holds bytes from offset `base`.
struct Window<R> {
    r: R,
    buf: Vec<u8>,
    base: u64,
    eof: bool,
    err: Option<std::io::Error>,
}

impl<R: Read> Window<R> {
    /// Append at least `want` (at least a window's worth) more bytes unless the input ends;
    /// whether any came.
    fn more(&mut self, want: usize) -> bool {
        if self.eof {
            return false;
        }
        let old = self.buf.len();
        let target = old + want.max(WINDOW);
        self.buf.resize(target, 0);
        let mut n = old;
        while n < target {
            match self.r.read(&mut self.buf[n..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.err = Some(e);
                    self.eof = true;
                    break;
                }
            }
        }
        self.buf.truncate(n);
        n > old
    }

    fn rel(&self, abs: u64) -> usize {
        (abs - self.base) as usize
    }

    /// Forget the bytes before `abs` (counting their lines first).
    fn forget_before(&mut self, abs: u64, lines: &mut LineCounter) {
        if abs <= self.base {
            return;
        }
        lines.line_at(self, abs);
        let k = self.rel(abs).min(self.buf.len());
        self.buf.drain(..k);
        self.base += k as u64;
    }

    /// Whether nothing but whitespace follows `from` (reading on as needed).
    fn rest_blank(&mut self, from: usize) -> bool {
        let mut i = from;
        loop {
            if let Some(k) = self.buf[i..].iter().position(|b| !b.is_ascii_whitespace()) {
                let _ = k;
                return false;
            }
            i = self.buf.len();
            if !self.more(0) {
                return true;
            }
        }
    }
}

/// 1-based line numbers of absolute byte offsets asked in increasing order.
#[derive(Default)]
struct LineCounter {
    pos: u64,
    line: u64,
}

impl LineCounter {
    fn line_at<R>(&mut self, w: &Window<R>, at: u64) -> u64 {
        let at = at.min(w.base + w.buf.len() as u64);
        if at > self.pos {
            let from = self.pos.max(w.base);
            let (a, b) = ((from - w.base) as usize, (at - w.base) as usize);
            self.line += memchr::memchr_iter(b'\n', &w.buf[a..b]).count() as u64;
            self.pos = at;
        }
        self.line + 1
    }
}

/// A JSON text checked whole — syntax, UTF-8, numbers and serde_json's nesting limit, as
/// parsing it into a `Value` would — without building it.
struct Valid;

impl<'de> serde::Deserialize<'de> for Valid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValidVisitor).map(|()| Valid)
    }
}

struct ValidVisitor;

impl<'de> serde::de::Visitor<'de> for ValidVisitor {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<(), A::Error> {
        while a.next_element::<Valid>()?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<(), A::Error> {
        while a.next_key::<serde::de::IgnoredAny>()?.is_some() {
            a.next_value::<Valid>()?;
        }
        Ok(())
    }
}

/// Read one input forward: its JSON texts one at a time, each checked whole, then walked
/// for releases by their byte spans (no `Value` of the document is built).
fn scan<R: Read>(name: &str, source: u32, r: R, limits: &Limits, ix: &mut Index) {
    let mut report = OcdsFile {
        file: name.to_string(),
        ..OcdsFile::default()
    };
    let mut w = Window {
        r,
        buf: Vec::new(),
        base: 0,
        eof: false,
        err: None,
    };
    let mut lines = LineCounter::default();
    w.more(0);
    while w.buf.len() < 3 && w.more(0) {}
    if w.buf.starts_with(b"\xEF\xBB\xBF") {
        w.buf.drain(..3);
        w.base = 3;
        lines.pos = 3;
    }
    let mut kinds: Vec<&'static str> = Vec::new();
    let mut texts = 0u64;
    // Set once reading has resumed after a text that is not JSON.
    let mut resumed = false;
    let mut start = w.base;
    loop {
        // The next text starts at the first byte that is not whitespace.
        let mut i = w.rel(start);
        let at = loop {
            match w.buf[i..].iter().position(|b| !b.is_ascii_whitespace()) {
                Some(k) => break Some(w.base + (i + k) as u64),
                None => {
                    i = w.buf.len();
                    if !w.more(0) {
                        break None;
                    }
                }
            }
        };
        let Some(at) = at else { break };
        if w.rel(at) > WINDOW {
            w.forget_before(at, &mut lines);
        }
        // Parse one text, reading on while the window cuts it.
        let parsed = loop {
            let s = w.rel(at);
            let mut stream = serde_json::Deserializer::from_slice(&w.buf[s..]).into_iter::<Valid>();
            let item = stream.next();
            let end = s + stream.byte_offset();
            match item {
                Some(Ok(_)) if end < w.buf.len() || w.eof => break Ok(end),
                Some(Err(e)) if !e.is_eof() || w.eof => break Err(e),
                None => break Ok(end),
                _ => {
                    let want = w.buf.len() - s;
                    w.more(want);
                }
            }
        };
        match parsed {
            Ok(end) => {
                texts += 1;
                // Lines are named only where a file holds several texts.
                let several = texts > 1 || resumed || !w.rest_blank(end);
                let line = several.then(|| lines.line_at(&w, at));
                let s = w.rel(at);
                let kind = walk_text(
                    name,
                    source,
                    line,
                    &w.buf[s..end],
                    at,
                    limits,
                    &mut report,
                    ix,
                );
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
                start = w.base + end as u64;
            }
            Err(e) => {
                // The error's place, counted in the whole file, and the line the text began.
                let text_line = lines.line_at(&w, at);
                let line = text_line as usize + e.line().saturating_sub(1);
                report.unreadable += 1;
                let problem = if e.to_string().contains("recursion limit") {
                    "JSON nested deeper than 128 levels (the reader's nesting limit); this text is not read"
                        .to_string()
                } else if text_line as usize != line {
                    format!(
                        "not JSON: the text starting on this line: {e} (line {line} of the file)"
                    )
                } else {
                    format!("not JSON: {e}")
                };
                ix.issues.push(Issue {
                    file: name.to_string(),
                    line: text_line,
                    column: format!("column {}", e.column()),
                    value: snippet(&w.buf, w.rel(at)),
                    problem,
                    outcome: Outcome::Rejected,
                });
                // Resume at the next line after the start of the failed text that starts a
                // JSON object or array in its first column, so that one bad line of JSON
                // Lines does not lose the rest of the file (an indented document has no such
                // line inside it).
                match next_text_start(&mut w, &mut lines, at) {
                    Some(s) => {
                        start = s;
                        resumed = true;
                    }
                    None => break,
                }
            }
        }
    }
    if let Some(e) = w.err.take() {
        let message = format!("read error: {e}");
        ix.issues.push(Issue {
            file: name.to_string(),
            line: 0,
            column: String::new(),
            value: String::new(),
            problem: message.clone(),
            outcome: Outcome::FileError,
        });
        report.error = Some(message);
    }
    if texts > 1 {
        kinds.push("JSON Lines / several JSON texts");
    }
    report.packaging = kinds.join(", ");
    ix.files.push(report);
}

/// The first line after the one holding `from` whose first byte is `{` or `[`.
fn next_text_start<R: Read>(w: &mut Window<R>, lines: &mut LineCounter, from: u64) -> Option<u64> {
    let mut pos = from;
    // The end of the line holding `from`.
    loop {
        let r = w.rel(pos);
        match memchr::memchr(b'\n', &w.buf[r..]) {
            Some(k) => {
                pos += (k + 1) as u64;
                break;
            }
            None => {
                pos = w.base + w.buf.len() as u64;
                w.forget_before(pos, lines);
                if !w.more(0) {
                    return None;
                }
            }
        }
    }
    // `pos` is the start of a line.
    loop {
        let r = w.rel(pos);
        if r >= w.buf.len() {
            w.forget_before(pos, lines);
            if !w.more(0) {
                return None;
            }
            continue;
        }
        if w.buf[r] == b'{' || w.buf[r] == b'[' {
            return Some(pos);
        }
        match memchr::memchr(b'\n', &w.buf[r..]) {
            Some(k) => pos += (k + 1) as u64,
            None => {
                w.forget_before(pos, lines);
                if !w.more(0) {
                    return None;
                }
            }
        }
    }
}

fn snippet(bytes: &[u8], at: usize) -> String {
    let s = at.min(bytes.len());
    let e = (s + 60).min(bytes.len());
    String::from_utf8_lossy(&bytes[s..e])
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

/// Find the releases of one JSON text `t` (which starts at byte `at` of its source);
/// returns the packaging seen.
#[allow(clippy::too_many_arguments)]
fn walk_text(
    file: &str,
    source: u32,
    line: Option<u64>,
    t: &[u8],
    at: u64,
    limits: &Limits,
    report: &mut OcdsFile,
    ix: &mut Index,
) -> &'static str {
    let prefix = line.map(|l| format!("line {l}:")).unwrap_or_default();
    let mut found: Vec<(String, usize, usize)> = Vec::new();
    let kind = collect(t, 0, t.len(), String::new(), &mut found);
    for (path, s, e) in found {
        report.releases_read += 1;
        let path = format!("{prefix}{path}");
        if report.releases_read > limits.max_rows {
            reject(ix, report, file, &path, "", "over the limit max_rows releases in one file; raise it with `max_rows = …` under [limits] in anchornet.toml, or ANCHORNET_LIMIT_MAX_ROWS".into());
            continue;
        }
        match check(t, s, e) {
            Ok((ocid, date)) => {
                report.accepted += 1;
                ix.releases.push(Located {
                    source,
                    offset: at + s as u64,
                    len: (e - s) as u64,
                    path,
                    ocid,
                    date,
                });
            }
            Err((field, value, problem)) => {
                let at = format!("{path}{field}");
                reject(ix, report, file, &at, &value, problem);
            }
        }
    }
    kind
}

fn reject(
    ix: &mut Index,
    report: &mut OcdsFile,
    file: &str,
    path: &str,
    value: &str,
    problem: String,
) {
    report.rejected += 1;
    ix.issues.push(Issue {
        file: file.to_string(),
        line: 0,
        column: path.to_string(),
        value: value.to_string(),
        problem,
        outcome: Outcome::Rejected,
    });
}

// Byte spans in a JSON text already checked whole (`Valid`): the scanner trusts its syntax.

fn skip_ws(t: &[u8], mut i: usize) -> usize {
    while i < t.len() && matches!(t[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The end of the string starting at `i` (just past its closing quote).
fn string_end(t: &[u8], mut i: usize) -> usize {
    i += 1;
    loop {
        match memchr::memchr2(b'"', b'\\', &t[i.min(t.len())..]) {
            Some(k) if t[i + k] == b'\\' => i += k + 2,
            Some(k) => return i + k + 1,
            None => return t.len(),
        }
    }
}

/// The end of the value starting at `i`.
fn value_end(t: &[u8], i: usize) -> usize {
    match t.get(i) {
        Some(b'"') => string_end(t, i),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < t.len() {
                match t[j] {
                    b'"' => {
                        j = string_end(t, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            t.len()
        }
        _ => {
            let mut j = i;
            while j < t.len() && !matches!(t[j], b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
            {
                j += 1;
            }
            j
        }
    }
}

type Member<'a> = (std::borrow::Cow<'a, str>, usize, usize);

/// The members of the object starting at `i`: key, value start, value end.
fn members(t: &[u8], i: usize) -> Vec<Member<'_>> {
    let mut out = Vec::new();
    let mut j = skip_ws(t, i + 1);
    while j < t.len() && t[j] == b'"' {
        let ke = string_end(t, j);
        let raw = &t[j + 1..ke.saturating_sub(1).max(j + 1)];
        let key = if raw.contains(&b'\\') {
            std::borrow::Cow::Owned(serde_json::from_slice::<String>(&t[j..ke]).unwrap_or_default())
        } else {
            std::borrow::Cow::Borrowed(std::str::from_utf8(raw).unwrap_or(""))
        };
        let vs = skip_ws(t, skip_ws(t, ke) + 1);
        let ve = value_end(t, vs);
        out.push((key, vs, ve));
        j = skip_ws(t, ve);
        if j < t.len() && t[j] == b',' {
            j = skip_ws(t, j + 1);
        } else {
            break;
        }
    }
    out
}

/// The elements of the array starting at `i`: start and end of each.
fn elements(t: &[u8], i: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut j = skip_ws(t, i + 1);
    while j < t.len() && t[j] != b']' {
        let e = value_end(t, j);
        out.push((j, e));
        j = skip_ws(t, e);
        if j < t.len() && t[j] == b',' {
            j = skip_ws(t, j + 1);
        } else {
            break;
        }
    }
    out
}

/// A member's value span; the last of a repeated key, as a parsed object keeps.
fn member(m: &[Member<'_>], key: &str) -> Option<(usize, usize)> {
    m.iter().rev().find(|x| x.0 == key).map(|x| (x.1, x.2))
}

/// Gather the releases of the value at `s..e` with their JSON Pointers; returns the
/// packaging.
fn collect(
    t: &[u8],
    s: usize,
    e: usize,
    at: String,
    found: &mut Vec<(String, usize, usize)>,
) -> &'static str {
    match t.get(s) {
        Some(b'[') => {
            for (i, (a, b)) in elements(t, s).into_iter().enumerate() {
                collect(t, a, b, format!("{at}/{i}"), found);
            }
            "list"
        }
        Some(b'{') => {
            let m = members(t, s);
            // A release always has a `date`; a package or record never does.
            let container = member(&m, "date").is_none();
            if let Some((a, b)) = member(&m, "releases").filter(|_| container) {
                each(t, a, b, &format!("{at}/releases"), found);
                if member(&m, "ocid").is_some() {
                    "record"
                } else {
                    "release package"
                }
            } else if let Some((a, b)) = member(&m, "records").filter(|_| container) {
                if t[a] == b'[' {
                    for (i, (ra, rb)) in elements(t, a).into_iter().enumerate() {
                        let rat = format!("{at}/records/{i}");
                        let rm = if t[ra] == b'{' {
                            members(t, ra)
                        } else {
                            Vec::new()
                        };
                        match member(&rm, "releases") {
                            Some((xa, xb)) if t[xa] == b'[' && t[skip_ws(t, xa + 1)] != b']' => {
                                each(t, xa, xb, &format!("{rat}/releases"), found)
                            }
                            _ => match member(&rm, "compiledRelease") {
                                Some((ca, cb)) => {
                                    found.push((format!("{rat}/compiledRelease"), ca, cb))
                                }
                                None => found.push((rat, ra, rb)),
                            },
                        }
                    }
                } else {
                    found.push((format!("{at}/records"), a, b));
                }
                "record package"
            } else if let Some((a, b)) = member(&m, "compiledRelease").filter(|_| container) {
                found.push((format!("{at}/compiledRelease"), a, b));
                "record"
            } else {
                found.push((at, s, e));
                "release"
            }
        }
        _ => {
            found.push((at, s, e));
            "release"
        }
    }
}

fn each(t: &[u8], a: usize, b: usize, at: &str, found: &mut Vec<(String, usize, usize)>) {
    if t[a] == b'[' {
        for (i, (x, y)) in elements(t, a).into_iter().enumerate() {
            found.push((format!("{at}/{i}"), x, y));
        }
    } else {
        found.push((at.to_string(), a, b));
    }
}

type Rejection = (&'static str, String, String);

/// A release's `ocid` and `date`, or which field is wrong, its value and why.
fn check(t: &[u8], s: usize, e: usize) -> Result<(String, DateTime<FixedOffset>), Rejection> {
    if t[s] != b'{' {
        return Err((
            "",
            short(&t[s..e]),
            "not a release: not a JSON object".into(),
        ));
    }
    let m = members(t, s);
    let text = |(a, b): (usize, usize)| -> Option<String> {
        (t[a] == b'"')
            .then(|| serde_json::from_slice::<String>(&t[a..b]).ok())
            .flatten()
    };
    let ocid_at = member(&m, "ocid");
    if let (Some(url), None) = (member(&m, "url"), ocid_at) {
        return Err((
            "/url",
            short(&t[url.0..url.1]),
            "linked release (only a url): read the release package it points to".into(),
        ));
    }
    let ocid = match ocid_at {
        Some(v) => match text(v) {
            Some(s) if !s.trim().is_empty() => s.trim().to_string(),
            _ => {
                return Err((
                    "/ocid",
                    short(&t[v.0..v.1]),
                    "release without a usable ocid".into(),
                ))
            }
        },
        None => return Err(("/ocid", String::new(), "release without an ocid".into())),
    };
    let date = match member(&m, "date") {
        Some(v) => match text(v) {
            Some(s) => parse_date_time(&s).ok_or_else(|| {
                (
                    "/date",
                    s.clone(),
                    "release date is not an RFC 3339 date-time (OCDS `date-time`, e.g. 2025-01-23T14:59:07Z); the merge orders releases by it".to_string(),
                )
            })?,
            None => {
                return Err((
                    "/date",
                    short(&t[v.0..v.1]),
                    "release date is not a string".into(),
                ))
            }
        },
        None => {
            return Err((
                "/date",
                String::new(),
                "release without a date (the merge orders releases by it)".into(),
            ))
        }
    };
    Ok((ocid, date))
}

/// An OCDS `date-time` (RFC 3339, with an offset or `Z`).
pub fn parse_date_time(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s.trim()).ok()
}

/// A value as compact JSON, cut at 80 characters.
fn short(raw: &[u8]) -> String {
    let s = serde_json::from_slice::<Value>(raw)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned());
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

/// The releases grouped by `ocid` (in order of first appearance) and merged.
pub fn compile_all(releases: &[Release]) -> Vec<Compiled> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (i, r) in releases.iter().enumerate() {
        let g = groups.entry(&r.ocid).or_default();
        if g.is_empty() {
            order.push(&r.ocid);
        }
        g.push(i);
    }
    order
        .into_iter()
        .map(|ocid| {
            let idx = &groups[ocid];
            let rs: Vec<&Release> = idx.iter().map(|&i| &releases[i]).collect();
            Compiled {
                ocid: ocid.to_string(),
                releases: idx.clone(),
                json: compile(&rs),
            }
        })
        .collect()
}

/// One procurement's compiled release.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// Its `ocid`.
    pub ocid: String,
    /// Indexes (into the releases given) of the releases merged, in input order.
    pub releases: Vec<usize>,
    /// The compiled release.
    pub json: Value,
}

/// Merge releases of one `ocid` into a compiled release (see the module docs).
pub fn compile(releases: &[&Release]) -> Value {
    let mut sorted: Vec<&Release> = releases.to_vec();
    // Stable: releases with the same date merge in input order.
    sorted.sort_by_key(|r| r.date);
    let mut out = Map::new();
    let mut path: Vec<String> = Vec::new();
    for r in &sorted {
        if let Value::Object(o) = &r.json {
            merge_object(&mut out, o, &mut path, true);
        }
    }
    if let Some(last) = sorted.last() {
        let date = last.json.get("date").cloned().unwrap_or(Value::Null);
        let date_text = date.as_str().unwrap_or("").to_string();
        out.insert("ocid".into(), Value::String(last.ocid.clone()));
        out.insert(
            "id".into(),
            Value::String(format!("{}-{}", last.ocid, date_text)),
        );
        out.insert("date".into(), date);
        out.insert(
            "tag".into(),
            Value::Array(vec![Value::String("compiled".into())]),
        );
    }
    Value::Object(out)
}

fn whole_list(path: &[String]) -> bool {
    let dotted = path.join(".");
    WHOLE_LIST_MERGE.contains(&dotted.as_str())
}

fn merge_object(
    out: &mut Map<String, Value>,
    input: &Map<String, Value>,
    path: &mut Vec<String>,
    top: bool,
) {
    for (k, v) in input {
        // `omitWhenMerged`: the release's own metadata.
        if top && matches!(k.as_str(), "id" | "date" | "tag") {
            continue;
        }
        path.push(k.clone());
        match v {
            Value::Null => {
                out.remove(k);
            }
            Value::Object(m) => {
                if !m.is_empty() {
                    let slot = out
                        .entry(k.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if !slot.is_object() {
                        *slot = Value::Object(Map::new());
                    }
                    if let Value::Object(so) = slot {
                        merge_object(so, m, path, false);
                    }
                }
            }
            Value::Array(items) => {
                if whole_list(path) || items.iter().any(|x| !x.is_object()) {
                    out.insert(k.clone(), v.clone());
                } else if !items.is_empty() {
                    let slot = out
                        .entry(k.clone())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if !slot
                        .as_array()
                        .is_some_and(|a| a.iter().all(Value::is_object))
                    {
                        *slot = Value::Array(Vec::new());
                    }
                    if let Value::Array(sa) = slot {
                        merge_by_id(sa, items, path);
                    }
                }
            }
            literal => {
                out.insert(k.clone(), literal.clone());
            }
        }
        path.pop();
    }
}

/// An `id` as text: ocdsmerge matches `1` and `"1"` as the same identifier.
fn id_text(v: &Value) -> Option<String> {
    match v.get("id")? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn merge_by_id(out: &mut Vec<Value>, items: &[Value], path: &mut Vec<String>) {
    for item in items {
        let Value::Object(m) = item else { continue };
        let id = id_text(item);
        let found = id
            .as_ref()
            .and_then(|id| out.iter().position(|o| id_text(o).as_ref() == Some(id)));
        match found {
            Some(i) => {
                if let Value::Object(o) = &mut out[i] {
                    merge_object(o, m, path, false);
                }
            }
            None => {
                let mut fresh = Map::new();
                merge_object(&mut fresh, m, path, false);
                if item.get("id").is_some_and(|v| !v.is_null()) {
                    fresh.insert("id".into(), item["id"].clone());
                }
                out.push(Value::Object(fresh));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> OcdsRead {
        let mut out = OcdsRead::default();
        read_bytes("t.json", text.as_bytes(), &Limits::default(), &mut out);
        out
    }

    #[test]
    fn merge_follows_the_standard_worked_rules() {
        let text = r#"{"releases":[
          {"ocid":"o","id":"2","date":"2020-02-01T00:00:00Z","tag":["award"],
           "tender":{"title":"B","value":null},"awards":[{"id":"a1","status":"active"},{"id":"a2"}],
           "parties":[{"id":"p","roles":["supplier"]}]},
          {"ocid":"o","id":"1","date":"2020-01-01T00:00:00Z","tag":["tender"],
           "tender":{"title":"A","value":{"amount":5},"status":"active"},
           "awards":[{"id":"a1","status":"pending","date":"2020-01-01"}],
           "parties":[{"id":"p","roles":["buyer","supplier"]}]}]}"#;
        let r = read(text);
        assert_eq!(r.releases.len(), 2);
        let c = compile_all(&r.releases);
        assert_eq!(c.len(), 1);
        let j = &c[0].json;
        // Latest release wins a literal; null removes; other fields survive.
        assert_eq!(j["tender"]["title"], json!("B"));
        assert!(j["tender"].get("value").is_none());
        assert_eq!(j["tender"]["status"], json!("active"));
        // Identifier merge: a1 merged field by field, a2 appended.
        assert_eq!(
            j["awards"][0],
            json!({"id":"a1","status":"active","date":"2020-01-01"})
        );
        assert_eq!(j["awards"][1]["id"], json!("a2"));
        // Arrays of strings are replaced whole.
        assert_eq!(j["parties"][0]["roles"], json!(["supplier"]));
        assert_eq!(j["id"], json!("o-2020-02-01T00:00:00Z"));
        assert_eq!(j["tag"], json!(["compiled"]));
    }

    #[test]
    fn every_packaging_is_read() {
        let rel = r#"{"ocid":"o","id":"1","date":"2020-01-01T00:00:00Z"}"#;
        assert_eq!(read(rel).releases.len(), 1);
        let lines = format!("{rel}\n{rel}\n");
        assert_eq!(read(&lines).releases.len(), 2);
        let rec = format!(
            r#"{{"records":[{{"ocid":"o","releases":[{rel}],"compiledRelease":{rel}}},{{"ocid":"p","compiledRelease":{rel}}}]}}"#
        );
        assert_eq!(read(&rec).releases.len(), 2);
        let list = format!("[{rel},{{\"releases\":[{rel}]}}]");
        assert_eq!(read(&list).releases.len(), 2);
    }

    #[test]
    fn bad_releases_are_reported_and_the_rest_read() {
        let text = "{\"ocid\":\"o\",\"id\":\"1\",\"date\":\"2020-01-01T00:00:00Z\"}\n{\"ocid\": oops}\n{\"id\":\"2\",\"date\":\"2020-01-01T00:00:00Z\"}\n{\"ocid\":\"q\",\"date\":\"01/02/2020\"}\n{\"ocid\":\"r\",\"date\":\"2020-01-02T00:00:00Z\"}\n";
        let r = read(text);
        assert_eq!(r.releases.len(), 2, "{:?}", r.issues);
        let f = &r.files[0];
        assert_eq!(
            (f.releases_read, f.accepted, f.rejected, f.unreadable),
            (4, 2, 2, 1)
        );
        assert!(f.reconciles());
        assert!(r
            .issues
            .iter()
            .any(|i| i.line == 2 && i.problem.starts_with("not JSON")));
        assert!(r.issues.iter().any(|i| i.column == "line 3:/ocid"));
        assert!(r
            .issues
            .iter()
            .any(|i| i.column == "line 4:/date" && i.value == "01/02/2020"));
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let r = read(&text);
        assert_eq!(r.files[0].unreadable, 1);
        assert!(r.issues[0].problem.contains("nested deeper"));
    }
}
