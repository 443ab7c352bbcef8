//! The ingest cache: one entry per payment file, so that re-analysing a network after one
//! month's file is added reads only that file.
//!
//! An entry holds what reading the file **on its own** gave: its accepted payments as
//! compact rows (with each payment's de-duplication key), its skipped and rejected rows'
//! issues (each with its place among the payments), and its file reports. The cross-file
//! de-duplication is not in the entry: it depends on the other files, so it is replayed
//! over the entries in file order on every run ([`crate::pipeline`]), exactly as a full
//! read applies it.
//!
//! An entry is used only when everything it was made from is unchanged: the file's name as
//! given and its canonical path (the entry's name is a hash of both and of the anchor's
//! ingest settings: its name and mapping file), its size, modification time and XXH3-128
//! hash of its bytes, the cache format [`VERSION`] and the running program (its size and
//! modification time: a rebuilt binary may read files differently). The body carries its
//! own hash. An entry that fails any check, or cannot be decoded, is ignored and rebuilt;
//! it never changes a result. Entries are written to a temporary file and renamed into
//! place, so a run that stops half-way leaves no half-written entry.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anchornet_core::{FinancialYear, PaymentDate, Pence};
use anchornet_ingest::{FileReport, Issue, Outcome};

use crate::pipeline::{Ids, Row, Strings, NONE};

/// The format version: bump it whenever the entry layout or the meaning of a field changes.
/// 3: a payment's ProClass codes ([`Strings::category_codes`]) come from its own ProClass
/// column ([`crate::pipeline::proclass_code_of`]), no longer from a six-digit expense code.
pub const VERSION: u32 = 3;

const MAGIC: &[u8; 16] = b"ANCHORNET-INGEST";

/// How the cache was used in one run.
#[derive(Debug, Default)]
pub struct Stats {
    /// Files whose entry was used.
    pub hits: AtomicU64,
    /// Files read (no entry, or a stale one).
    pub misses: AtomicU64,
    /// Entries that were present but unusable (corrupt, another format or program).
    pub invalid: AtomicU64,
}

impl Stats {
    /// (hits, misses, invalid).
    pub fn counts(&self) -> (u64, u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
            self.invalid.load(Ordering::Relaxed),
        )
    }
}

/// A directory of ingest entries.
#[derive(Debug)]
pub struct IngestCache {
    dir: PathBuf,
    build: u128,
    /// The entries this run looked up (the others are pruned).
    used: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// How this run used it.
    pub stats: Stats,
}

impl IngestCache {
    /// A cache in `dir` (created when the first entry is written).
    pub fn new(dir: impl Into<PathBuf>) -> IngestCache {
        IngestCache {
            dir: dir.into(),
            build: build_stamp(),
            used: Default::default(),
            stats: Stats::default(),
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the entry for `name` (a payment file as the ingest names it) read with
    /// `settings` lives, and the file's current identity; `None` when the file cannot be
    /// read (it is then read the ordinary way, which reports why).
    pub(crate) fn locate(&self, name: &str, settings: u128) -> Option<(PathBuf, Identity)> {
        let path = Path::new(name);
        let canonical = std::fs::canonicalize(path).ok()?;
        let meta = std::fs::metadata(&canonical).ok()?;
        if !meta.is_file() {
            return None;
        }
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let bytes = std::fs::read(&canonical).ok()?;
        let id = Identity {
            size: meta.len(),
            mtime,
            content: twox_hash::XxHash3_128::oneshot(&bytes),
        };
        let mut w = Writer::default();
        w.str(name);
        w.str(&canonical.to_string_lossy());
        w.u128(settings);
        let key = twox_hash::XxHash3_128::oneshot(&w.0);
        let at = self.dir.join(format!("{key:032x}.ingest"));
        if let Ok(mut used) = self.used.lock() {
            used.insert(at.clone());
        }
        Some((at, id))
    }

    /// The entry at `at` if it was made from a file with identity `id` by this program.
    pub(crate) fn load(&self, at: &Path, id: &Identity) -> Option<Entry> {
        let bytes = std::fs::read(at).ok()?;
        let got = self.decode(&bytes, id);
        if got.is_none() {
            self.stats.invalid.fetch_add(1, Ordering::Relaxed);
        }
        got
    }

    fn decode(&self, bytes: &[u8], id: &Identity) -> Option<Entry> {
        let mut r = Reader(bytes);
        if r.take(16)? != MAGIC
            || r.u32()? != VERSION
            || r.u128()? != self.build
            || r.u64()? != id.size
            || r.u128()? != id.mtime
            || r.u128()? != id.content
        {
            return None;
        }
        let hash = r.u128()?;
        let body = r.0;
        if twox_hash::XxHash3_128::oneshot(body) != hash {
            return None;
        }
        let e = Entry::decode(&mut Reader(body))?;
        Some(e)
    }

    /// Write `entry` at `at` for a file with identity `id`: a temporary file renamed into
    /// place. A failure only costs the next run a read of the file.
    pub(crate) fn store(&self, at: &Path, id: &Identity, entry: &Entry) {
        let mut body = Writer::default();
        entry.encode(&mut body);
        let mut w = Writer::default();
        w.0.extend_from_slice(MAGIC);
        w.u32(VERSION);
        w.u128(self.build);
        w.u64(id.size);
        w.u128(id.mtime);
        w.u128(id.content);
        w.u128(twox_hash::XxHash3_128::oneshot(&body.0));
        w.0.extend_from_slice(&body.0);
        let _ = std::fs::create_dir_all(&self.dir);
        let tmp = at.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, &w.0).is_err() || std::fs::rename(&tmp, at).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// Remove the entries this run did not look up (files no longer in the network, or
    /// read with other settings), so the cache does not grow with every renamed file.
    pub(crate) fn prune(&self) {
        let Ok(used) = self.used.lock() else {
            return;
        };
        let Ok(list) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in list.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "ingest") && !used.contains(&p) {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
}

/// The ingest settings of an anchor that change what a file reads as: the anchor's name
/// (every payment carries it, and its de-duplication key hashes it) and its mapping file's
/// bytes.
pub(crate) fn settings(anchor: &str, mapping: Option<&[u8]>) -> u128 {
    let mut w = Writer::default();
    w.str(anchor);
    match mapping {
        Some(m) => {
            w.u8(1);
            w.bytes(m);
        }
        None => w.u8(0),
    }
    twox_hash::XxHash3_128::oneshot(&w.0)
}

/// The running program: a rebuilt binary invalidates every entry.
fn build_stamp() -> u128 {
    let mut w = Writer::default();
    w.str(env!("CARGO_PKG_VERSION"));
    if let Some(m) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        w.u64(m.len());
        let t = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        w.u128(t);
    }
    twox_hash::XxHash3_128::oneshot(&w.0)
}

/// A payment file's identity when it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    size: u64,
    mtime: u128,
    content: u128,
}

/// What one payment file read on its own gave.
#[derive(Debug, Default)]
pub(crate) struct Entry {
    /// Its file reports (one per table), before cross-file de-duplication.
    pub reports: Vec<FileReport>,
    /// Its strings; `rows` refer to them.
    pub strings: Strings,
    /// Its accepted payments in file order (anchor 0), each with its de-duplication key
    /// and whether the payment itself was marked redacted (a [`Row`] is also redacted
    /// when the name is blank; the report counts only the former).
    pub rows: Vec<(Row, u128, bool)>,
    /// Its issues, each with the number of payments accepted before it.
    pub issues: Vec<(u64, Issue)>,
}

impl Entry {
    fn encode(&self, w: &mut Writer) {
        w.u64(self.reports.len() as u64);
        for r in &self.reports {
            encode_report(w, r);
        }
        let s = &self.strings;
        for i in [
            &s.files,
            &s.names,
            &s.categories,
            &s.postcodes,
            &s.companies,
            &s.ids,
            &s.category_codes,
        ] {
            w.u64(i.len() as u64);
            for x in &i.list {
                w.str(x);
            }
        }
        let mut pairs: Vec<_> = s.category_code_pairs.iter().copied().collect();
        pairs.sort_unstable();
        w.u64(pairs.len() as u64);
        for (cat, code) in pairs {
            w.idx(cat);
            w.idx(code);
        }
        w.u64(s.id_sets.list.len() as u64);
        for x in &s.id_sets.list {
            for v in [x.postcode, x.company, x.supplier_id, x.charity, x.vat] {
                w.idx(v);
            }
        }
        w.u64(self.rows.len() as u64);
        for (r, key, redacted) in &self.rows {
            w.u8(u8::from(r.redacted) | u8::from(*redacted) << 1);
            w.idx(r.file);
            w.u64(u64::from(r.line));
            w.date(r.date);
            w.i64(i64::from(r.fy.0));
            w.i64(r.pence);
            w.idx(r.name);
            w.idx(r.category);
            w.idx(r.ids);
            w.u128(*key);
        }
        w.u64(self.issues.len() as u64);
        for (at, i) in &self.issues {
            w.u64(*at);
            encode_issue(w, i);
        }
    }

    fn decode(r: &mut Reader<'_>) -> Option<Entry> {
        let mut e = Entry::default();
        let n = r.len()?;
        for _ in 0..n {
            e.reports.push(decode_report(r)?);
        }
        let s = &mut e.strings;
        for i in [
            &mut s.files,
            &mut s.names,
            &mut s.categories,
            &mut s.postcodes,
            &mut s.companies,
            &mut s.ids,
            &mut s.category_codes,
        ] {
            let n = r.len()?;
            for _ in 0..n {
                let x = r.str()?;
                i.intern(x);
            }
            if i.len() != n {
                return None;
            }
        }
        let n = r.len()?;
        for _ in 0..n {
            let (cat, code) = (r.idx()?, r.idx()?);
            if cat as usize >= s.categories.len() || code as usize >= s.category_codes.len() {
                return None;
            }
            s.category_code_pairs.insert((cat, code));
        }
        let n = r.len()?;
        for _ in 0..n {
            let ids = Ids {
                postcode: r.idx()?,
                company: r.idx()?,
                supplier_id: r.idx()?,
                charity: r.idx()?,
                vat: r.idx()?,
            };
            s.id_sets.intern(ids);
        }
        let n = r.len()?;
        e.rows.reserve(n);
        for _ in 0..n {
            let flags = r.u8()?;
            let row = Row {
                anchor: 0,
                redacted: flags & 1 != 0,
                file: r.idx()?,
                line: u32::try_from(r.u64()?).ok()?,
                date: r.date()?,
                fy: FinancialYear(i32::try_from(r.i64()?).ok()?),
                pence: r.i64()?,
                name: r.idx()?,
                category: r.idx()?,
                ids: r.idx()?,
            };
            let key = r.u128()?;
            e.rows.push((row, key, flags & 2 != 0));
        }
        let n = r.len()?;
        for _ in 0..n {
            let at = r.u64()?;
            e.issues.push((at, decode_issue(r)?));
        }
        // Every index must point into its table, so a damaged entry cannot panic later.
        let s = &e.strings;
        let ok = |i: u32, t: usize| i == NONE || (i as usize) < t;
        let sets_ok = s.id_sets.list.iter().all(|x| {
            ok(x.postcode, s.postcodes.len())
                && ok(x.company, s.companies.len())
                && ok(x.supplier_id, s.ids.len())
                && ok(x.charity, s.ids.len())
                && ok(x.vat, s.ids.len())
        });
        let rows_ok = e.rows.iter().all(|(x, _, _)| {
            (x.file as usize) < s.files.len()
                && ok(x.name, s.names.len())
                && (x.category as usize) < s.categories.len()
                && ok(x.ids, s.id_sets.list.len())
        });
        (r.0.is_empty() && sets_ok && rows_ok).then_some(e)
    }
}

fn encode_report(w: &mut Writer, r: &FileReport) {
    for s in [&r.file, &r.format, &r.kind, &r.layout, &r.anchor] {
        w.str(s);
    }
    for n in [r.rows_read, r.accepted, r.skipped, r.rejected, r.duplicates] {
        w.u64(n);
    }
    w.u64(r.reasons.len() as u64);
    for (k, v) in &r.reasons {
        w.str(k);
        w.u64(*v);
    }
    w.i64(r.total.0);
    for d in [r.first_date, r.last_date] {
        match d {
            Some(d) => {
                w.u8(1);
                w.date(d);
            }
            None => w.u8(0),
        }
    }
    w.u64(r.redacted);
    w.opt_str(r.error.as_deref());
    w.u8(u8::from(r.over_limit));
    w.opt_str(r.explain.as_deref());
}

fn decode_report(r: &mut Reader<'_>) -> Option<FileReport> {
    let mut f = FileReport {
        file: r.str()?.to_string(),
        format: r.str()?.to_string(),
        kind: r.str()?.to_string(),
        layout: r.str()?.to_string(),
        anchor: r.str()?.to_string(),
        rows_read: r.u64()?,
        accepted: r.u64()?,
        skipped: r.u64()?,
        rejected: r.u64()?,
        duplicates: r.u64()?,
        ..Default::default()
    };
    let n = r.len()?;
    for _ in 0..n {
        let k = r.str()?.to_string();
        f.reasons.insert(k, r.u64()?);
    }
    f.total = Pence(r.i64()?);
    let date = |r: &mut Reader<'_>| -> Option<Option<PaymentDate>> {
        match r.u8()? {
            0 => Some(None),
            1 => Some(Some(r.date()?)),
            _ => None,
        }
    };
    f.first_date = date(r)?;
    f.last_date = date(r)?;
    f.redacted = r.u64()?;
    f.error = r.opt_str()?;
    f.over_limit = match r.u8()? {
        0 => false,
        1 => true,
        _ => return None,
    };
    f.explain = r.opt_str()?;
    Some(f)
}

fn encode_issue(w: &mut Writer, i: &Issue) {
    w.str(&i.file);
    w.u64(i.line);
    w.str(&i.column);
    w.str(&i.value);
    w.str(&i.problem);
    w.u8(match i.outcome {
        Outcome::Skipped => 0,
        Outcome::Rejected => 1,
        Outcome::Warning => 2,
        Outcome::FileError => 3,
    });
}

fn decode_issue(r: &mut Reader<'_>) -> Option<Issue> {
    Some(Issue {
        file: r.str()?.to_string(),
        line: r.u64()?,
        column: r.str()?.to_string(),
        value: r.str()?.to_string(),
        problem: r.str()?.to_string(),
        outcome: match r.u8()? {
            0 => Outcome::Skipped,
            1 => Outcome::Rejected,
            2 => Outcome::Warning,
            3 => Outcome::FileError,
            _ => return None,
        },
    })
}

/// Little-endian, LEB128 for counts and numbers (most are small), strings with their
/// length first.
#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u128(&mut self, v: u128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    /// Zig-zag, then LEB128.
    fn i64(&mut self, v: i64) {
        self.u64(((v << 1) ^ (v >> 63)) as u64);
    }
    /// An index, [`NONE`] as 0 and every other as one more.
    fn idx(&mut self, v: u32) {
        self.u64(if v == NONE { 0 } else { u64::from(v) + 1 });
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }
    fn date(&mut self, d: PaymentDate) {
        self.i64(i64::from(d.year()));
        self.u8(d.month() as u8);
        self.u8(d.day() as u8);
    }
}

/// The reverse of [`Writer`]; every read is checked (`None` at the end of the bytes or on
/// a value out of range).
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
    /// A count: at most the bytes left (each item takes at least one byte).
    fn len(&mut self) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        (n <= self.0.len()).then_some(n)
    }
    fn i64(&mut self) -> Option<i64> {
        let z = self.u64()?;
        Some((z >> 1) as i64 ^ -((z & 1) as i64))
    }
    fn idx(&mut self) -> Option<u32> {
        match self.u64()? {
            0 => Some(NONE),
            v => u32::try_from(v - 1).ok().filter(|&v| v != NONE),
        }
    }
    fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }
    fn opt_str(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.str()?.to_string())),
            _ => None,
        }
    }
    fn date(&mut self) -> Option<PaymentDate> {
        let y = i32::try_from(self.i64()?).ok()?;
        let m = self.u8()?;
        let d = self.u8()?;
        PaymentDate::from_ymd(y, u32::from(m), u32::from(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        let mut w = Writer::default();
        let ints = [0i64, 1, -1, 63, -64, 64, i64::MAX, i64::MIN, 123_456_789];
        for v in ints {
            w.i64(v);
        }
        for v in [0u32, 1, 127, 128, NONE - 1, NONE] {
            w.idx(v);
        }
        let mut r = Reader(&w.0);
        for v in ints {
            assert_eq!(r.i64(), Some(v));
        }
        for v in [0u32, 1, 127, 128, NONE - 1, NONE] {
            assert_eq!(r.idx(), Some(v));
        }
        assert!(r.0.is_empty());
    }

    #[test]
    fn a_truncated_body_does_not_decode() {
        let mut e = Entry::default();
        e.strings.files.intern("f.csv");
        e.strings.categories.intern("Uncategorised");
        e.rows.push((
            Row {
                anchor: 0,
                redacted: false,
                file: 0,
                line: 2,
                date: PaymentDate::from_ymd(2022, 5, 3).unwrap(),
                fy: FinancialYear(2022),
                pence: 12_345,
                name: NONE,
                category: 0,
                ids: NONE,
            },
            7,
            false,
        ));
        let mut w = Writer::default();
        e.encode(&mut w);
        assert!(Entry::decode(&mut Reader(&w.0)).is_some());
        for cut in 0..w.0.len() {
            assert!(Entry::decode(&mut Reader(&w.0[..cut])).is_none(), "{cut}");
        }
    }
}
