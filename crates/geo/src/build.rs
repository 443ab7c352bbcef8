//! Building the index from the official files: read and decompress them in parallel, recognise
//! each by its header, join everything on the postcode, assign 2021 LSOAs (lookup, or point in
//! polygon where a 2011 LSOA split), and write the sections of the index file.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use std::time::Instant;

use anchornet_core::Postcode;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::csvfast::{self, fixed, split, trim};
use crate::geojson;
use crate::pip::{Grid, Poly};
use crate::source::{self, ImdCols, Kind, Sources, Unit};
use crate::store::Writer;
use crate::tags::*;
use crate::{GeoError, Lsoa21Route};

/// What a build read and decided: counts for the methodology page and `geo build`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BuildStats {
    /// Postcodes in the index (the union of the directory, coordinates and Code-Point files).
    pub postcodes: u64,
    /// Postcodes in the postcode directory (with 2011 areas).
    pub in_directory: u64,
    /// Of which terminated.
    pub terminated: u64,
    /// Postcodes only in the newer coordinates or Code-Point files (no 2011 areas).
    pub newer_than_directory: u64,
    /// Postcodes with latitude and longitude.
    pub with_coordinates: u64,
    /// Postcodes in Code-Point Open (live GB postcodes, with the 2025 ward and district).
    pub in_codepoint: u64,
    /// Postcodes by how their 2021 LSOA was assigned (`Lsoa21Route` names).
    pub lsoa21_routes: BTreeMap<String, u64>,
    /// Postcodes in the directory by the ONS change code of their 2011 LSOA (U unchanged,
    /// M merged, S split, X irregular).
    pub by_change_code: BTreeMap<String, u64>,
    /// Ambiguous postcodes by cause.
    pub ambiguous_causes: BTreeMap<String, u64>,
    /// Postcodes with a 2025 ward.
    pub with_ward: u64,
    /// Postcodes with a district.
    pub with_district: u64,
    /// Each source file and what it was recognised as, with its data rows.
    pub files: Vec<FileStat>,
    /// Rows not used, by file and reason.
    pub skipped: Vec<Skipped>,
    /// Areas without a name in any source file (codes shown instead).
    pub unnamed: BTreeMap<String, u64>,
    /// Seconds the build took.
    pub seconds: f64,
}

/// One source file (or zip member) of a build.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileStat {
    /// File name (`archive.zip:member` for a zip member).
    pub file: String,
    /// What it was recognised as.
    pub kind: String,
    /// Data rows (features for GeoJSON).
    pub rows: u64,
}

/// Rows of a file not used, for one reason.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Skipped {
    /// File name.
    pub file: String,
    /// Why.
    pub reason: String,
    /// How many rows.
    pub rows: u64,
    /// Up to five examples (the value in question).
    pub examples: Vec<String>,
}

/// Pack a canonical postcode into a sortable key: the outward code padded with spaces to four
/// bytes, then the three inward bytes, big-endian in the low 56 bits.
pub(crate) fn key_of(p: &Postcode) -> u64 {
    let s = p.as_bytes();
    let n = s.len();
    let out = &s[..n - 4];
    let mut k = 0u64;
    for i in 0..4 {
        k = (k << 8) | u64::from(*out.get(i).unwrap_or(&b' '));
    }
    for &b in &s[n - 3..] {
        k = (k << 8) | u64::from(b);
    }
    k
}

/// yyyymm text to months since 1900 (+1; 0 = none).
pub(crate) fn months(s: &[u8]) -> u16 {
    let s = trim(s);
    if s.len() != 6 || !s.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    let v: u32 = std::str::from_utf8(s)
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let (y, m) = (v / 100, v % 100);
    if !(1900..2500).contains(&y) || !(1..=12).contains(&m) {
        return 0;
    }
    ((y - 1900) * 12 + (m - 1) + 1) as u16
}

/// Months (as stored) back to yyyymm.
pub(crate) fn yyyymm(m: u16) -> Option<u32> {
    (m != 0).then(|| {
        let z = u32::from(m) - 1;
        (1900 + z / 12) * 100 + z % 12 + 1
    })
}

/// Codes interned to dense ids, in first-seen order.
#[derive(Default)]
struct Interner {
    map: FxHashMap<Vec<u8>, u32>,
    codes: Vec<String>,
}

impl Interner {
    fn id(&mut self, code: &[u8]) -> u32 {
        let code = trim(code);
        if let Some(&i) = self.map.get(code) {
            return i;
        }
        let i = self.codes.len() as u32;
        self.map.insert(code.to_vec(), i);
        self.codes.push(String::from_utf8_lossy(code).into_owned());
        i
    }
    /// The id of a real code; `None` for blank and pseudo codes (`E99999999` etc.).
    fn area(&mut self, code: &[u8]) -> Option<u32> {
        let c = trim(code);
        if c.is_empty() || c.ends_with(b"99999999") {
            None
        } else {
            Some(self.id(c))
        }
    }
    fn get(&self, code: &[u8]) -> Option<u32> {
        self.map.get(trim(code)).copied()
    }
    fn len(&self) -> usize {
        self.codes.len()
    }
}

fn id16(v: Option<u32>, what: &str) -> Result<u16, GeoError> {
    match v {
        None => Ok(NONE16),
        Some(i) if i < u32::from(NONE16) => Ok(i as u16),
        Some(_) => Err(GeoError::Build(format!(
            "more than 65,534 {what}: the index format holds fewer"
        ))),
    }
}

/// Collects rows skipped with a reason.
#[derive(Default)]
struct SkipLog(BTreeMap<(String, String), (u64, Vec<String>)>);

impl SkipLog {
    fn add(&mut self, file: &str, reason: &str, example: &[u8]) {
        let e = self
            .0
            .entry((file.to_string(), reason.to_string()))
            .or_default();
        e.0 += 1;
        if e.1.len() < 5 {
            e.1.push(String::from_utf8_lossy(example).into_owned());
        }
    }
    fn merge(&mut self, o: SkipLog) {
        for (k, (n, ex)) in o.0 {
            let e = self.0.entry(k).or_default();
            e.0 += n;
            for x in ex {
                if e.1.len() < 5 {
                    e.1.push(x);
                }
            }
        }
    }
}

/// Code kinds of a postcode row, in `PcRow::ids` order.
const K_OA: usize = 0;
const K_L11: usize = 1;
const K_M11: usize = 2;
const K_LAD: usize = 3;
const K_WARD: usize = 4;
const K_L21: usize = 5;

/// One postcode row of any postcode file, its codes as ids (first chunk-local, then global;
/// `NONE32` for none).
#[derive(Clone, Copy)]
struct PcRow {
    key: u64,
    lat: i32,
    lon: i32,
    intr: u16,
    term: u16,
    large: bool,
    ids: [u32; 6],
}

/// A block of a postcode file: rows with block-local code ids, and those codes.
struct Chunk {
    rows: Vec<PcRow>,
    codes: [Vec<Box<[u8]>>; 6],
    log: SkipLog,
}

/// A source file once read: a postcode file as parsed blocks, anything else whole.
enum Loaded {
    Whole(Unit, Kind),
    /// A boundary file, parsed as soon as it is read (in parallel with the other files).
    Geo(String, Kind, Vec<geojson::Feature>),
    Postcodes {
        label: String,
        kind: Kind,
        chunks: Vec<Chunk>,
    },
}

/// Decompressed bytes parsed per block: big enough to amortise, small enough to stay in cache.
const BLOCK: usize = 8 << 20;

/// Read one source file. Postcode files are parsed block by block as they are decompressed
/// (their text is never held whole); other files are read whole and recognised.
fn load_file(dir: &Path, f: &source::SourceFile) -> Result<Vec<Loaded>, GeoError> {
    let path = dir.join(&f.name);
    let lower = f.name.to_ascii_lowercase();
    let is_geo = lower.contains(".geojson") || lower.contains(".json");
    let mut r = match source::open_file(dir, f)? {
        source::Opened::Members(units) => {
            return Ok(units
                .into_iter()
                .map(|u| {
                    let kind = classify(&u);
                    if is_postcode_kind(&kind) {
                        let chunks = source_blocks(&u.label, &kind, &u.bytes);
                        Loaded::Postcodes {
                            label: u.label,
                            kind,
                            chunks,
                        }
                    } else {
                        Loaded::Whole(u, kind)
                    }
                })
                .collect())
        }
        source::Opened::Stream(r) => r,
    };
    let io = |e| GeoError::io(&path, e);
    let mut buf = Vec::with_capacity(BLOCK + (1 << 20));
    let mut more = if is_geo {
        r.read_to_end(&mut buf).map_err(io)?;
        false
    } else {
        source::fill(&mut r, &mut buf, 1 << 16).map_err(io)?
    };
    let head = Unit {
        label: f.name.clone(),
        bytes: buf,
    };
    let kind = classify(&head);
    if matches!(kind, Kind::Lsoa21Boundaries | Kind::WardBoundaries) {
        let features = geojson::features(&head.bytes).map_err(|e| GeoError::Source {
            path: path.clone(),
            message: format!("not a readable GeoJSON FeatureCollection: {e}"),
        })?;
        return Ok(vec![Loaded::Geo(head.label, kind, features)]);
    }
    if !is_postcode_kind(&kind) {
        let mut u = head;
        if more {
            r.read_to_end(&mut u.bytes).map_err(io)?;
        }
        return Ok(vec![Loaded::Whole(u, kind)]);
    }
    let mut buf = head.bytes;
    let mut chunks = Vec::new();
    let mut first = true;
    loop {
        if more {
            more = source::fill(&mut r, &mut buf, BLOCK).map_err(io)?;
        }
        // Whole lines only; the rest waits for the next block.
        let cut = if more {
            memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1)
        } else {
            buf.len()
        };
        let mut block = &buf[..cut];
        if first {
            block = csvfast::strip_bom(block);
            if !matches!(kind, Kind::CodePoint { header: false, .. }) {
                block = memchr::memchr(b'\n', block).map_or(&[][..], |i| &block[i + 1..]);
            }
            first = false;
        }
        chunks.push(parse_block(&f.name, &kind, block));
        buf.drain(..cut);
        if !more && buf.is_empty() {
            break;
        }
        if !more {
            chunks.push(parse_block(&f.name, &kind, &buf));
            break;
        }
    }
    Ok(vec![Loaded::Postcodes {
        label: f.name.clone(),
        kind,
        chunks,
    }])
}

fn classify(u: &Unit) -> Kind {
    let lower = u.label.to_ascii_lowercase();
    if lower.contains(".geojson") || lower.contains(".json") {
        source::classify_geojson(&u.bytes)
    } else {
        let (h, f) = source::csv_head(&u.bytes);
        source::classify_csv(&h, &f)
    }
}

fn is_postcode_kind(k: &Kind) -> bool {
    matches!(
        k,
        Kind::Directory(_) | Kind::LatLong { .. } | Kind::CodePoint { .. }
    )
}

/// A postcode file already in memory (a zip member), parsed in blocks in parallel.
fn source_blocks(label: &str, kind: &Kind, bytes: &[u8]) -> Vec<Chunk> {
    let mut body = csvfast::strip_bom(bytes);
    if !matches!(kind, Kind::CodePoint { header: false, .. }) {
        body = memchr::memchr(b'\n', body).map_or(&[][..], |i| &body[i + 1..]);
    }
    csvfast::chunks(body, body.len() / BLOCK + 1)
        .par_iter()
        .map(|b| parse_block(label, kind, b))
        .collect()
}

fn coord(lat: &[u8], lon: &[u8]) -> (i32, i32) {
    match (fixed(lat, 6), fixed(lon, 6)) {
        // NSPL writes 99.999999 / 0.000000 for "no coordinates"; the coordinates file used
        // here leaves lat blank with long 0.
        (Some(a), Some(o)) if a.abs() <= 90_000_000 && o.abs() <= 180_000_000 && a != 0 => {
            (a as i32, o as i32)
        }
        _ => (NO_COORD, NO_COORD),
    }
}

/// Parse the lines of one block of a postcode file; the block numbers its own codes (no shared
/// map, no allocation per row).
fn parse_block<'a>(label: &str, kind: &Kind, part: &'a [u8]) -> Chunk {
    let mut ch = Chunk {
        rows: Vec::with_capacity(part.len() / 40),
        codes: Default::default(),
        log: SkipLog::default(),
    };
    let mut local_codes: [Vec<&'a [u8]>; 6] = Default::default();
    let mut maps: [FxHashMap<&'a [u8], u32>; 6] = Default::default();
    let mut f: Vec<&'a [u8]> = Vec::with_capacity(64);
    let pc_col = match kind {
        Kind::Directory(d) => d.postcode,
        Kind::LatLong { postcode, .. } | Kind::CodePoint { postcode, .. } => *postcode,
        _ => unreachable!("parse_block on a postcode file"),
    };
    for line in csvfast::lines(part) {
        split(line, &mut f);
        let get = |i: Option<usize>| i.and_then(|i| f.get(i).copied()).unwrap_or(b"");
        let raw = get(Some(pc_col));
        let pc = match Postcode::parse_bytes(raw) {
            Ok(p) => p,
            Err(e) => {
                ch.log.add(
                    label,
                    &format!(
                        "postcode not valid by the current format rules ({})",
                        reason_kind(&e)
                    ),
                    raw,
                );
                continue;
            }
        };
        let mut local = |k: usize, code: &'a [u8]| -> u32 {
            let code = trim(code);
            if code.is_empty() {
                return NONE32;
            }
            *maps[k].entry(code).or_insert_with(|| {
                local_codes[k].push(code);
                local_codes[k].len() as u32 - 1
            })
        };
        let mut r = PcRow {
            key: key_of(&pc),
            lat: NO_COORD,
            lon: NO_COORD,
            intr: 0,
            term: 0,
            large: false,
            ids: [NONE32; 6],
        };
        match kind {
            Kind::Directory(d) => {
                r.intr = months(get(d.dointr));
                r.term = months(get(d.doterm));
                r.large = trim(get(d.usertype)) == b"1";
                r.ids[K_OA] = local(K_OA, get(d.oa11));
                r.ids[K_L11] = local(K_L11, get(d.lsoa11));
                r.ids[K_M11] = local(K_M11, get(d.msoa11));
                r.ids[K_LAD] = local(K_LAD, get(d.lad));
                r.ids[K_WARD] = local(K_WARD, get(d.ward));
                r.ids[K_L21] = local(K_L21, get(d.lsoa21));
                if d.lat.is_some() {
                    (r.lat, r.lon) = coord(get(d.lat), get(d.long));
                }
            }
            Kind::LatLong { lat, long, .. } => {
                (r.lat, r.lon) = coord(get(Some(*lat)), get(Some(*long)));
            }
            Kind::CodePoint { lad, ward, .. } => {
                r.ids[K_LAD] = local(K_LAD, get(Some(*lad)));
                r.ids[K_WARD] = local(K_WARD, get(Some(*ward)));
            }
            _ => {}
        }
        ch.rows.push(r);
    }
    for (out, codes) in ch.codes.iter_mut().zip(&local_codes) {
        *out = codes.iter().map(|c| Box::<[u8]>::from(*c)).collect();
    }
    ch
}

fn reason_kind(e: &anchornet_core::PostcodeError) -> &'static str {
    use anchornet_core::PostcodeError as E;
    match e {
        E::Empty => "empty",
        E::BadChar(_) => "bad character",
        E::Length(_) => "length",
        E::Inward(_) | E::InwardLetter(_) => "inward code",
        // The pre-standard districts the directory lists (NPT, W1M…) parse; this is anything
        // else whose outward code breaks the rules.
        E::Outward(_) => "outward code",
        E::Bfpo => "BFPO",
    }
}

/// A parsed small CSV: every record as strings (these files are a few MB at most).
fn records(u: &Unit) -> Vec<csv::ByteRecord> {
    let b = csvfast::strip_bom(&u.bytes);
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(b);
    r.byte_records().filter_map(Result::ok).collect()
}

fn field(r: &csv::ByteRecord, i: Option<usize>) -> &[u8] {
    i.and_then(|i| r.get(i)).map(trim).unwrap_or(b"")
}

/// The English regions and the combined authorities are named in no file of the bundle (the
/// boundary files carry only their codes): names from the ONS Register of Geographic Codes
/// (combined authorities as at December 2023, the vintage of the boundary files' `CAUTHCD`).
const CAUTH_NAME_LIST: [(&str, &str); 10] = [
    ("E47000001", "Greater Manchester"),
    ("E47000002", "South Yorkshire"),
    ("E47000003", "West Yorkshire"),
    ("E47000004", "Liverpool City Region"),
    ("E47000006", "Tees Valley"),
    ("E47000007", "West Midlands"),
    ("E47000008", "Cambridgeshire and Peterborough"),
    ("E47000009", "West of England"),
    ("E47000010", "North East"),
    ("E47000011", "North of Tyne"),
];

/// How far outside the generalised boundary of a candidate 2021 LSOA a split postcode's point
/// may lie and still be assigned to it (metres). The ONS generalised ("BGC") boundaries move
/// lines by up to about 20 m; points further out are left ambiguous.
const NEAREST_M: f64 = 50.0;

/// Build the index file from the files of `dir`. Returns the file (as aligned words) and
/// the build statistics (also stored in the file).
pub(crate) fn build(sources: &Sources, pinned: bool) -> Result<(Vec<u64>, BuildStats), GeoError> {
    let t0 = Instant::now();
    let trace = std::env::var_os("ANCHORNET_GEO_TRACE").is_some();
    let phase = |what: &str| {
        if trace {
            eprintln!("geo build: {what} at {:.2} s", t0.elapsed().as_secs_f64());
        }
    };
    let mut stats = BuildStats::default();
    let dir = &sources.dir;

    // 1. Read, decompress and recognise every file, in parallel (largest first); postcode
    //    files are parsed as they are decompressed.
    let mut order: Vec<&source::SourceFile> = sources.files.iter().collect();
    order.sort_by_key(|f| std::cmp::Reverse(f.size));
    let read: Vec<Result<Vec<Loaded>, GeoError>> =
        order.par_iter().map(|f| load_file(dir, f)).collect();
    let mut units: Vec<(Unit, Kind)> = Vec::new();
    let mut chunked: Vec<(String, Kind, Vec<Chunk>)> = Vec::new();
    let mut geo_parsed: Vec<(String, Kind, Vec<geojson::Feature>)> = Vec::new();
    for r in read {
        for l in r? {
            match l {
                Loaded::Whole(u, k) => units.push((u, k)),
                Loaded::Geo(label, k, features) => geo_parsed.push((label, k, features)),
                Loaded::Postcodes {
                    label,
                    kind,
                    chunks,
                } => chunked.push((label, kind, chunks)),
            }
        }
    }
    phase("files read, postcode files parsed");
    if !chunked
        .iter()
        .any(|(_, k, _)| matches!(k, Kind::Directory(_)))
    {
        return Err(GeoError::Source {
            path: dir.clone(),
            message: "no postcode directory found (a CSV with a postcode column pcds/pcd and \
                      area columns such as lsoa11cd, oa11cd, ladcd or doterm: the ONS postcode \
                      lookup, ONSPD or NSPL)"
                .into(),
        });
    }
    let mut skips = SkipLog::default();

    // Chunk-local code ids to global ones: only each chunk's distinct codes are looked up.
    let mut oa = Interner::default();
    let mut lsoa11 = Interner::default();
    let mut msoa11 = Interner::default();
    let mut lad = Interner::default();
    let mut ward = Interner::default();
    let mut lsoa21 = Interner::default();
    let mut parsed: Vec<(Kind, Vec<PcRow>)> = Vec::new();
    for (label, kind, chunks) in chunked {
        let mut remaps: Vec<[Vec<u32>; 6]> = Vec::with_capacity(chunks.len());
        for ch in &chunks {
            let mut m: [Vec<u32>; 6] = Default::default();
            for (k, ints) in [
                (K_OA, &mut oa),
                (K_L11, &mut lsoa11),
                (K_M11, &mut msoa11),
                (K_LAD, &mut lad),
                (K_WARD, &mut ward),
                (K_L21, &mut lsoa21),
            ] {
                m[k] = ch.codes[k]
                    .iter()
                    .map(|c| {
                        if k == K_LAD {
                            ints.area_or_pseudo(c)
                        } else {
                            ints.area(c)
                        }
                        .unwrap_or(NONE32)
                    })
                    .collect();
            }
            remaps.push(m);
        }
        let mut rows: Vec<PcRow> = Vec::with_capacity(chunks.iter().map(|c| c.rows.len()).sum());
        for (ch, m) in chunks.into_iter().zip(&remaps) {
            skips.merge(ch.log);
            rows.extend(ch.rows.into_iter().map(|mut r| {
                for k in 0..6 {
                    if r.ids[k] != NONE32 {
                        r.ids[k] = m[k][r.ids[k] as usize];
                    }
                }
                r
            }));
        }
        rows.par_sort_unstable_by_key(|r| r.key);
        let before = rows.len();
        rows.dedup_by_key(|r| r.key);
        for _ in rows.len()..before {
            skips.add(&label, "postcode repeated (first row kept)", b"");
        }
        stats.files.push(FileStat {
            file: label,
            kind: kind.label().into(),
            rows: rows.len() as u64,
        });
        parsed.push((kind, rows));
    }
    let rows_of = |pred: fn(&Kind) -> bool| -> Vec<&[PcRow]> {
        parsed
            .iter()
            .filter(|(k, _)| pred(k))
            .map(|(_, r)| r.as_slice())
            .collect()
    };
    let dir_rows = rows_of(|k| matches!(k, Kind::Directory(_)));
    let ll_rows = rows_of(|k| matches!(k, Kind::LatLong { .. }));
    let cp_rows = rows_of(|k| matches!(k, Kind::CodePoint { .. }));

    // The universe of postcodes: every key of any postcode file.
    let mut keys: Vec<u64> = parsed
        .iter()
        .flat_map(|(_, r)| r.iter().map(|x| x.key))
        .collect();
    keys.par_sort_unstable();
    keys.dedup();
    let n = keys.len();
    stats.postcodes = n as u64;

    // Position of each source row in the universe (both sorted: a merge walk).
    let positions = |rows: &[PcRow]| -> Vec<u32> {
        let mut out = Vec::with_capacity(rows.len());
        let mut j = 0usize;
        for r in rows {
            while keys[j] < r.key {
                j += 1;
            }
            out.push(j as u32);
        }
        out
    };

    // 3. Columns.

    let mut c_lsoa11 = vec![NONE16; n];
    let mut c_dlad = vec![NONE16; n];
    let mut c_term = vec![0u16; n];
    let mut c_flags = vec![0u16; n];
    let mut c_oa = vec![NONE32; n];
    let mut c_lsoa21 = vec![NONE16; n];
    let mut c_ward = vec![NONE16; n];
    let mut c_lad = vec![NONE16; n];
    let mut c_intr = vec![0u16; n];
    let mut c_lat = vec![NO_COORD; n];
    let mut c_lon = vec![NO_COORD; n];
    let mut lsoa11_msoa: FxHashMap<u32, u32> = FxHashMap::default();
    let mut dir_seen = vec![false; n];

    for rows in &dir_rows {
        let pos = positions(rows);
        for (r, &p) in rows.iter().zip(&pos) {
            let p = p as usize;
            if dir_seen[p] {
                continue;
            }
            dir_seen[p] = true;
            c_flags[p] |= F_IN_DIRECTORY | if r.large { F_LARGE_USER } else { 0 };
            c_intr[p] = r.intr;
            c_term[p] = r.term;
            let opt = |v: u32| (v != NONE32).then_some(v);
            c_oa[p] = r.ids[K_OA];
            let l11 = opt(r.ids[K_L11]);
            c_lsoa11[p] = id16(l11, "2011 LSOAs")?;
            if let (Some(l), Some(m)) = (l11, opt(r.ids[K_M11])) {
                lsoa11_msoa.entry(l).or_insert(m);
            }
            c_dlad[p] = id16(opt(r.ids[K_LAD]), "districts")?;
            if let Some(w) = opt(r.ids[K_WARD]) {
                c_ward[p] = id16(Some(w), "wards")?;
            }
            if let Some(l) = opt(r.ids[K_L21]) {
                c_lsoa21[p] = id16(Some(l), "2021 LSOAs")?;
            }
            if r.lat != NO_COORD {
                c_lat[p] = r.lat;
                c_lon[p] = r.lon;
            }
        }
    }
    for rows in &ll_rows {
        let pos = positions(rows);
        for (r, &p) in rows.iter().zip(&pos) {
            let p = p as usize;
            if c_lat[p] == NO_COORD && r.lat != NO_COORD {
                c_lat[p] = r.lat;
                c_lon[p] = r.lon;
            }
        }
    }
    for rows in &cp_rows {
        let pos = positions(rows);
        for (r, &p) in rows.iter().zip(&pos) {
            let p = p as usize;
            c_flags[p] |= F_IN_CODEPOINT;
            if r.ids[K_WARD] != NONE32 {
                c_ward[p] = id16(Some(r.ids[K_WARD]), "wards")?;
            }
            if r.ids[K_LAD] != NONE32 {
                c_lad[p] = id16(Some(r.ids[K_LAD]), "districts")?;
            }
        }
    }
    drop((dir_rows, ll_rows, cp_rows));
    drop(parsed);
    stats.in_directory = dir_seen.iter().filter(|&&b| b).count() as u64;
    stats.terminated = c_term.iter().filter(|&&t| t != 0).count() as u64;
    stats.newer_than_directory = stats.postcodes - stats.in_directory;
    stats.with_coordinates = c_lat.iter().filter(|&&v| v != NO_COORD).count() as u64;
    stats.in_codepoint = c_flags.iter().filter(|&&f| f & F_IN_CODEPOINT != 0).count() as u64;

    phase("postcode columns joined");
    // 4. Small tables: names, lookups, deprivation, boundaries.
    let mut lsoa11_names: FxHashMap<u32, String> = FxHashMap::default();
    let mut msoa11_names: FxHashMap<u32, String> = FxHashMap::default();
    let mut lsoa11_lad: FxHashMap<u32, u32> = FxHashMap::default();
    let mut lad_names: FxHashMap<u32, (u8, String)> = FxHashMap::default(); // (priority, name)
    let mut lad_region: FxHashMap<u32, u32> = FxHashMap::default();
    let mut lad_region_votes: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut lad_cauth_votes: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut region = Interner::default();
    let mut region_names: FxHashMap<u32, String> = FxHashMap::default();
    let mut cauth = Interner::default();
    let mut ward_names: FxHashMap<u32, (u8, String)> = FxHashMap::default();
    let mut l11_to_21: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    let mut l11_change: FxHashMap<u32, String> = FxHashMap::default();
    let mut lsoa21_names: FxHashMap<u32, String> = FxHashMap::default();
    let mut lsoa21_lad: FxHashMap<u32, u32> = FxHashMap::default();
    let mut imd19: FxHashMap<u32, ([u8; 8], [u32; 8])> = FxHashMap::default();
    let mut iod25: FxHashMap<u32, ImdRow> = FxHashMap::default();
    let mut lsoa21_polys: Vec<(u32, Poly)> = Vec::new();

    let name_of = |b: &[u8]| String::from_utf8_lossy(trim(b)).into_owned();
    let set_name = |m: &mut FxHashMap<u32, (u8, String)>, id: u32, prio: u8, name: &[u8]| {
        let name = name_of(name);
        if name.is_empty() {
            return;
        }
        match m.get(&id) {
            Some((p, _)) if *p >= prio => {}
            _ => {
                m.insert(id, (prio, name));
            }
        }
    };

    // GeoJSON files parse in parallel with each other.
    for (u, kind) in &units {
        let mut rows = 0u64;
        match kind {
            Kind::Directory(_) | Kind::LatLong { .. } | Kind::CodePoint { .. } => continue,
            Kind::Lsoa21Boundaries | Kind::WardBoundaries => continue,
            Kind::Unused => {}
            Kind::Lsoa11To21 {
                lsoa11: a,
                lsoa21: b,
                change,
            } => {
                for r in records(u) {
                    rows += 1;
                    let (Some(x), Some(y)) = (
                        lsoa11.area(field(&r, Some(*a))),
                        lsoa21.area(field(&r, Some(*b))),
                    ) else {
                        skips.add(&u.label, "blank LSOA code", r.as_slice());
                        continue;
                    };
                    l11_change.insert(x, name_of(field(&r, Some(*change))));
                    let v = l11_to_21.entry(x).or_default();
                    if !v.contains(&y) {
                        v.push(y);
                    }
                }
            }
            Kind::Lsoa11Names {
                lsoa11: c,
                name,
                msoa11: m,
                msoa11_name,
                lad: l,
            } => {
                for r in records(u) {
                    rows += 1;
                    let Some(x) = lsoa11.area(field(&r, Some(*c))) else {
                        continue;
                    };
                    lsoa11_names.insert(x, name_of(field(&r, Some(*name))));
                    if let Some(mi) = msoa11.area(field(&r, *m)) {
                        lsoa11_msoa.entry(x).or_insert(mi);
                        let nm = name_of(field(&r, *msoa11_name));
                        if !nm.is_empty() {
                            msoa11_names.insert(mi, nm);
                        }
                    }
                    if let Some(li) = lad.area_or_pseudo(field(&r, *l)) {
                        lsoa11_lad.insert(x, li);
                    }
                }
            }
            Kind::LadNames { code, name } => {
                for r in records(u) {
                    rows += 1;
                    if let Some(li) = lad.area_or_pseudo(field(&r, Some(*code))) {
                        set_name(&mut lad_names, li, 1, field(&r, Some(*name)));
                    }
                }
            }
            Kind::LadRegion {
                lad: l,
                lad_name,
                region: rg,
                region_name,
            } => {
                for r in records(u) {
                    rows += 1;
                    let Some(li) = lad.area_or_pseudo(field(&r, Some(*l))) else {
                        continue;
                    };
                    set_name(&mut lad_names, li, 3, field(&r, *lad_name));
                    if let Some(ri) = region.area(field(&r, Some(*rg))) {
                        lad_region.insert(li, ri);
                        let nm = name_of(field(&r, *region_name));
                        if !nm.is_empty() {
                            region_names.insert(ri, nm);
                        }
                    }
                }
            }
            Kind::WardNames { code, name } => {
                for r in records(u) {
                    rows += 1;
                    if let Some(wi) = ward.area(field(&r, Some(*code))) {
                        set_name(&mut ward_names, wi, 1, field(&r, Some(*name)));
                    }
                }
            }
            Kind::Imd2019(c) | Kind::Iod2025(c) => {
                let is19 = matches!(kind, Kind::Imd2019(_));
                for r in records(u) {
                    rows += 1;
                    let code = field(&r, Some(c.code));
                    let id = if is19 {
                        lsoa11.area(code)
                    } else {
                        lsoa21.area(code)
                    };
                    let Some(id) = id else {
                        skips.add(&u.label, "blank LSOA code", code);
                        continue;
                    };
                    let (dec, rank, score) = imd_row(&r, c);
                    if is19 {
                        imd19.insert(id, (dec, rank));
                    } else {
                        iod25.insert(id, (dec, rank, score));
                    }
                }
            }
        }
        stats.files.push(FileStat {
            file: u.label.clone(),
            kind: kind.label().into(),
            rows,
        });
    }

    for (label, kind, features) in geo_parsed {
        stats.files.push(FileStat {
            file: label,
            kind: kind.label().into(),
            rows: features.len() as u64,
        });
        for f in features {
            let p = &f.properties;
            let b = |s: &Option<String>| s.as_deref().unwrap_or("").as_bytes().to_vec();
            match kind {
                Kind::Lsoa21Boundaries => {
                    let Some(id) = lsoa21.area(&b(&p.LSOA21CD)) else {
                        continue;
                    };
                    if let Some(nm) = &p.LSOA21NM {
                        lsoa21_names.insert(id, nm.clone());
                    }
                    let li = lad.area_or_pseudo(&b(&p.LADCD_ACTIVE));
                    if let Some(li) = li {
                        lsoa21_lad.insert(id, li);
                        if let Some(ri) = region.area(&b(&p.RGNCD)) {
                            *lad_region_votes.entry((li, ri)).or_default() += 1;
                        }
                        if let Some(ci) = cauth.area(&b(&p.CAUTHCD)) {
                            *lad_cauth_votes.entry((li, ci)).or_default() += 1;
                        }
                    }
                    if let Some(mut g) = f.take_shape() {
                        g.pts.shrink_to_fit();
                        lsoa21_polys.push((id, Poly::new(g)));
                    }
                }
                _ => {
                    let Some(wi) = ward.area(&b(&p.WD25CD)) else {
                        continue;
                    };
                    set_name(&mut ward_names, wi, 3, &b(&p.WD25NM));
                    if let Some(li) = lad.area_or_pseudo(&b(&p.LAD25CD)) {
                        set_name(&mut lad_names, li, 2, &b(&p.LAD25NM));
                        if let Some(ri) = region.area(&b(&p.RGNCD)) {
                            *lad_region_votes.entry((li, ri)).or_default() += 1;
                        }
                        if let Some(ci) = cauth.area(&b(&p.CAUTHCD)) {
                            *lad_cauth_votes.entry((li, ci)).or_default() += 1;
                        }
                    }
                }
            }
        }
    }
    drop(units);

    phase("small tables and boundaries read");
    // 5. 2021 LSOAs: the official lookup, and point in polygon where a 2011 LSOA split.
    let mut poly_of: FxHashMap<u32, usize> = FxHashMap::default();
    for (k, (id, _)) in lsoa21_polys.iter().enumerate() {
        poly_of.insert(*id, k);
    }
    let polys: Vec<Poly> = lsoa21_polys.into_iter().map(|(_, p)| p).collect();
    let poly_ids: Vec<u32> = {
        let mut v = vec![0u32; polys.len()];
        for (id, k) in &poly_of {
            v[*k] = *id;
        }
        v
    };
    let grid = Grid::new(&polys);
    let ew_country = |p: usize| -> bool {
        // Only England and Wales have 2021 LSOAs: skip what we know is elsewhere.
        let l = if c_lad[p] != NONE16 {
            c_lad[p]
        } else {
            c_dlad[p]
        };
        if l != NONE16 {
            let c = lad.codes[l as usize].as_bytes()[0];
            return c == b'E' || c == b'W';
        }
        let k = keys[p];
        let area = [(k >> 48) as u8, (k >> 40) as u8];
        !(area == *b"BT" || area == *b"GY" || area == *b"JE" || area == *b"IM")
    };
    #[derive(Clone, Copy)]
    enum Cause {
        None,
        NoCoords,
        InNone,
        InSeveral,
    }
    let assigned: Vec<(u16, Lsoa21Route, Cause)> = (0..n)
        .into_par_iter()
        .map(|p| {
            if c_lsoa21[p] != NONE16 {
                return (c_lsoa21[p], Lsoa21Route::Direct, Cause::None);
            }
            let has_xy = c_lat[p] != NO_COORD;
            let (x, y) = (f64::from(c_lon[p]) / 1e6, f64::from(c_lat[p]) / 1e6);
            if c_lsoa11[p] != NONE16 {
                let Some(cands) = l11_to_21.get(&u32::from(c_lsoa11[p])) else {
                    return (NONE16, Lsoa21Route::None, Cause::None);
                };
                if cands.len() == 1 {
                    return (cands[0] as u16, Lsoa21Route::Direct, Cause::None);
                }
                if !has_xy {
                    return (NONE16, Lsoa21Route::Ambiguous, Cause::NoCoords);
                }
                let inside: Vec<u32> = cands
                    .iter()
                    .copied()
                    .filter(|c| poly_of.get(c).is_some_and(|&k| polys[k].contains(x, y)))
                    .collect();
                return match inside.len() {
                    1 => (inside[0] as u16, Lsoa21Route::SplitByPoint, Cause::None),
                    0 => {
                        // Outside every candidate: the boundaries are generalised (simplified
                        // lines), so a point near an edge can fall just outside. Take the
                        // nearest candidate if it is within NEAREST_M metres and clearly
                        // nearer than the next one; otherwise leave it ambiguous.
                        let mut d: Vec<(f64, u32)> = cands
                            .iter()
                            .filter_map(|c| {
                                poly_of.get(c).map(|&k| (polys[k].distance_m(x, y), *c))
                            })
                            .collect();
                        d.sort_by(|a, b| a.0.total_cmp(&b.0));
                        match d.as_slice() {
                            [(d0, c0), rest @ ..]
                                if *d0 <= NEAREST_M
                                    && rest.first().is_none_or(|(d1, _)| *d1 > d0 + 1.0) =>
                            {
                                (*c0 as u16, Lsoa21Route::SplitByNearest, Cause::None)
                            }
                            _ => (NONE16, Lsoa21Route::Ambiguous, Cause::InNone),
                        }
                    }
                    _ => (NONE16, Lsoa21Route::Ambiguous, Cause::InSeveral),
                };
            }
            if dir_seen[p] || !has_xy || !ew_country(p) {
                return (NONE16, Lsoa21Route::None, Cause::None);
            }
            let found = grid.find(&polys, x, y);
            match found.len() {
                1 => (
                    poly_ids[found[0] as usize] as u16,
                    Lsoa21Route::ByPoint,
                    Cause::None,
                ),
                0 => (NONE16, Lsoa21Route::None, Cause::None),
                _ => (NONE16, Lsoa21Route::Ambiguous, Cause::InSeveral),
            }
        })
        .collect();
    for &l in &c_lsoa11 {
        if let Some(c) = (l != NONE16)
            .then(|| l11_change.get(&u32::from(l)))
            .flatten()
        {
            *stats.by_change_code.entry(c.clone()).or_default() += 1;
        }
    }
    for (p, (l21, route, cause)) in assigned.into_iter().enumerate() {
        c_lsoa21[p] = l21;
        c_flags[p] = (c_flags[p] & !F_ROUTE_MASK) | route as u16;
        *stats
            .lsoa21_routes
            .entry(route.as_str().to_string())
            .or_default() += 1;
        let cause = match cause {
            Cause::None => continue,
            Cause::NoCoords => "no coordinates",
            Cause::InNone => {
                "point in none of the candidate 2021 LSOAs and not within 50 m of exactly one"
            }
            Cause::InSeveral => "point in more than one 2021 LSOA",
        };
        *stats.ambiguous_causes.entry(cause.to_string()).or_default() += 1;
    }

    phase("2021 LSOAs assigned");
    // 6. Current district: Code-Point's (2025), else the 2021 LSOA's, else the directory's.
    for p in 0..n {
        if c_lad[p] == NONE16 {
            let from21 = (c_lsoa21[p] != NONE16)
                .then(|| lsoa21_lad.get(&u32::from(c_lsoa21[p])).copied())
                .flatten();
            c_lad[p] = match from21 {
                Some(l) => l as u16,
                None => c_dlad[p],
            };
        }
    }
    stats.with_ward = c_ward.iter().filter(|&&w| w != NONE16).count() as u64;
    stats.with_district = c_lad.iter().filter(|&&w| w != NONE16).count() as u64;

    // District → region and combined authority: the region lookup, else the boundary files.
    let vote = |votes: &FxHashMap<(u32, u32), u32>| -> FxHashMap<u32, u32> {
        let mut best: FxHashMap<u32, (u32, u32)> = FxHashMap::default();
        for (&(l, x), &c) in votes {
            let e = best.entry(l).or_insert((x, 0));
            if c > e.1 || (c == e.1 && x < e.0) {
                *e = (x, c);
            }
        }
        best.into_iter().map(|(l, (x, _))| (l, x)).collect()
    };
    let region_vote = vote(&lad_region_votes);
    let cauth_vote = vote(&lad_cauth_votes);

    // 7. Key structure: outward codes, 10 sector slots each, a 676-bit map of units per slot.
    let mut outwards: Vec<u32> = Vec::new();
    let mut slot_of = vec![0u32; n];
    for (p, &k) in keys.iter().enumerate() {
        let o = (k >> 24) as u32;
        if outwards.last() != Some(&o) {
            outwards.push(o);
        }
        let digit = ((k >> 16) & 0xff) as u8;
        if !digit.is_ascii_digit() {
            return Err(GeoError::Build(format!(
                "postcode key {k:x} has no sector digit"
            )));
        }
        slot_of[p] = (outwards.len() as u32 - 1) * 10 + u32::from(digit - b'0');
    }
    let n_slots = outwards.len() * 10;
    let mut slot_start = vec![0u32; n_slots + 1];
    let mut slot_bits = vec![0u64; n_slots * 11];
    for (p, &k) in keys.iter().enumerate() {
        let s = slot_of[p] as usize;
        slot_start[s + 1] += 1;
        let (l1, l2) = (((k >> 8) & 0xff) as u8, (k & 0xff) as u8);
        let pair = usize::from(l1 - b'A') * 26 + usize::from(l2 - b'A');
        slot_bits[s * 11 + pair / 64] |= 1u64 << (pair % 64);
    }
    for s in 0..n_slots {
        slot_start[s + 1] += slot_start[s];
    }

    phase("key structure");
    // 8. Write.
    let mut w = Writer::default();
    let mut core = Vec::with_capacity(n * 4);
    for p in 0..n {
        core.extend_from_slice(&[c_lsoa11[p], c_dlad[p], c_term[p], c_flags[p]]);
    }
    w.put(PC_CORE, &core);
    drop(core);
    w.put(PC_OA11, &c_oa);
    w.put(PC_LSOA21, &c_lsoa21);
    w.put(PC_WARD, &c_ward);
    w.put(PC_LAD, &c_lad);
    w.put(PC_INTR, &c_intr);
    w.put(PC_LAT, &c_lat);
    w.put(PC_LON, &c_lon);
    w.put(OUTWARDS, &outwards);
    w.put(SLOT_START, &slot_start);
    w.put(SLOT_BITS, &slot_bits);

    let names = |int: &Interner,
                 m: &FxHashMap<u32, String>,
                 what: &str,
                 stats: &mut BuildStats|
     -> Vec<String> {
        let mut missing = 0;
        let v = (0..int.len() as u32)
            .map(|i| {
                m.get(&i).cloned().unwrap_or_else(|| {
                    missing += 1;
                    String::new()
                })
            })
            .collect();
        if missing > 0 {
            stats.unnamed.insert(what.to_string(), missing);
        }
        v
    };
    let strip = |m: FxHashMap<u32, (u8, String)>| -> FxHashMap<u32, String> {
        m.into_iter().map(|(k, (_, v))| (k, v)).collect()
    };
    w.put_strs(OA11_CODES, &oa.codes);
    w.put_strs(LSOA11_CODES, &lsoa11.codes);
    w.put_strs(
        LSOA11_NAMES,
        &names(&lsoa11, &lsoa11_names, "2011 LSOAs", &mut stats),
    );
    let l11_m: Vec<u16> = (0..lsoa11.len() as u32)
        .map(|i| id16(lsoa11_msoa.get(&i).copied(), "2011 MSOAs"))
        .collect::<Result<_, _>>()?;
    w.put(LSOA11_MSOA, &l11_m);
    let l11_l: Vec<u16> = (0..lsoa11.len() as u32)
        .map(|i| id16(lsoa11_lad.get(&i).copied(), "districts"))
        .collect::<Result<_, _>>()?;
    w.put(LSOA11_LAD, &l11_l);
    w.put_strs(MSOA11_CODES, &msoa11.codes);
    w.put_strs(
        MSOA11_NAMES,
        &names(&msoa11, &msoa11_names, "2011 MSOAs", &mut stats),
    );
    w.put_strs(LSOA21_CODES, &lsoa21.codes);
    w.put_strs(
        LSOA21_NAMES,
        &names(&lsoa21, &lsoa21_names, "2021 LSOAs", &mut stats),
    );
    let l21_l: Vec<u16> = (0..lsoa21.len() as u32)
        .map(|i| id16(lsoa21_lad.get(&i).copied(), "districts"))
        .collect::<Result<_, _>>()?;
    w.put(LSOA21_LAD, &l21_l);
    let mut centres = vec![NO_COORD; lsoa21.len() * 2];
    for (k, p) in polys.iter().enumerate() {
        let c = p.centroid();
        let id = poly_ids[k] as usize;
        centres[id * 2] = (c[1] * 1e6).round() as i32;
        centres[id * 2 + 1] = (c[0] * 1e6).round() as i32;
    }
    w.put(LSOA21_CENTRE, &centres);
    w.put_strs(WARD_CODES, &ward.codes);
    w.put_strs(
        WARD_NAMES,
        &names(&ward, &strip(ward_names), "wards", &mut stats),
    );
    let mut lad_names = strip(lad_names);
    for (i, code) in lad.codes.iter().enumerate() {
        if code == "L99999999" || code == "M99999999" {
            lad_names.entry(i as u32).or_insert_with(|| {
                if code.starts_with('L') {
                    "Channel Islands".into()
                } else {
                    "Isle of Man".into()
                }
            });
        }
    }
    w.put_strs(LAD_CODES, &lad.codes);
    w.put_strs(LAD_NAMES, &names(&lad, &lad_names, "districts", &mut stats));
    let lr: Vec<u16> = (0..lad.len() as u32)
        .map(|i| {
            id16(
                lad_region.get(&i).or(region_vote.get(&i)).copied(),
                "regions",
            )
        })
        .collect::<Result<_, _>>()?;
    w.put(LAD_REGION, &lr);
    let lc: Vec<u16> = (0..lad.len() as u32)
        .map(|i| id16(cauth_vote.get(&i).copied(), "combined authorities"))
        .collect::<Result<_, _>>()?;
    w.put(LAD_CAUTH, &lc);
    w.put_strs(REGION_CODES, &region.codes);
    w.put_strs(
        REGION_NAMES,
        &names(&region, &region_names, "regions", &mut stats),
    );
    let cauth_names: FxHashMap<u32, String> = CAUTH_NAME_LIST
        .iter()
        .filter_map(|(c, nm)| cauth.get(c.as_bytes()).map(|i| (i, nm.to_string())))
        .collect();
    w.put_strs(CAUTH_CODES, &cauth.codes);
    w.put_strs(
        CAUTH_NAMES,
        &names(&cauth, &cauth_names, "combined authorities", &mut stats),
    );

    let mut d19 = vec![0u8; lsoa11.len() * 8];
    let mut r19 = vec![0u32; lsoa11.len() * 8];
    for (id, (d, r)) in &imd19 {
        let i = *id as usize * 8;
        d19[i..i + 8].copy_from_slice(d);
        r19[i..i + 8].copy_from_slice(r);
    }
    w.put(IMD19_DECILE, &d19);
    w.put(IMD19_RANK, &r19);
    let mut d25 = vec![0u8; lsoa21.len() * 8];
    let mut r25 = vec![0u32; lsoa21.len() * 8];
    let mut s25 = vec![i32::MIN; lsoa21.len() * 8];
    for (id, (d, r, s)) in &iod25 {
        let i = *id as usize * 8;
        d25[i..i + 8].copy_from_slice(d);
        r25[i..i + 8].copy_from_slice(r);
        s25[i..i + 8].copy_from_slice(s);
    }
    w.put(IOD25_DECILE, &d25);
    w.put(IOD25_RANK, &r25);
    w.put(IOD25_SCORE, &s25);

    for ((file, reason), (rows, examples)) in skips.0 {
        stats.skipped.push(Skipped {
            file,
            reason,
            rows,
            examples,
        });
    }
    stats.files.sort_by(|a, b| a.file.cmp(&b.file));
    phase("sections written");
    stats.seconds = t0.elapsed().as_secs_f64();
    let meta = Meta {
        sources: sources.clone(),
        stats: stats.clone(),
        pinned,
    };
    let meta_bytes = serde_json::to_vec(&meta).map_err(|e| GeoError::Build(e.to_string()))?;
    Ok((w.finish(&meta_bytes), stats))
}

/// Deciles, ranks and scores (thousandths) of the overall index and its seven domains.
type ImdRow = ([u8; 8], [u32; 8], [i32; 8]);

fn imd_row(r: &csv::ByteRecord, c: &ImdCols) -> ImdRow {
    let mut dec = [0u8; 8];
    let mut rank = [0u32; 8];
    let mut score = [i32::MIN; 8];
    for k in 0..8 {
        dec[k] = fixed(field(r, c.decile[k]), 0)
            .and_then(|v| u8::try_from(v).ok())
            .filter(|v| (1..=10).contains(v))
            .unwrap_or(0);
        rank[k] = fixed(field(r, c.rank[k]), 0)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0);
        score[k] = fixed(field(r, c.score[k]), 3)
            .and_then(|v| i32::try_from(v).ok())
            .unwrap_or(i32::MIN);
    }
    (dec, rank, score)
}

/// What the index file's metadata holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Meta {
    pub sources: Sources,
    pub stats: BuildStats,
    /// Built by an explicit `build --from DIR`: used until its files change, even when the
    /// bundled reference directory differs.
    pub pinned: bool,
}

impl Interner {
    /// Like `area`, but keeping the pseudo districts of the Channel Islands (`L99999999`) and
    /// the Isle of Man (`M99999999`), which are where those postcodes are.
    fn area_or_pseudo(&mut self, code: &[u8]) -> Option<u32> {
        let c = trim(code);
        if c == b"L99999999" || c == b"M99999999" {
            Some(self.id(c))
        } else {
            self.area(c)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_round_trip() {
        assert_eq!(months(b"202204"), (2022 - 1900) * 12 + 3 + 1);
        assert_eq!(yyyymm(months(b"202204")), Some(202204));
        assert_eq!(yyyymm(months(b"197308")), Some(197308));
        assert_eq!(months(b""), 0);
        assert_eq!(months(b"2022"), 0);
        assert_eq!(yyyymm(0), None);
    }

    #[test]
    fn keys_sort_like_sectors() {
        let k = |s: &str| key_of(&Postcode::parse(s).unwrap());
        assert!(k("M5 4BD") < k("M50 1AA"));
        assert!(k("M5 4BD") < k("M5 4BE"));
        assert!(k("M5 9ZZ") < k("M50 0AA"));
        assert_eq!(k("M5 4BD") >> 24, u64::from(u32::from_be_bytes(*b"M5  ")));
        assert_eq!(k("SW1A 1AA") >> 24, u64::from(u32::from_be_bytes(*b"SW1A")));
    }
}
