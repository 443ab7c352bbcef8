//! The geography index in memory: opened from its file in place, looked up by postcode.

use std::ops::Range;
use std::path::{Path, PathBuf};

use anchornet_core::{GssCode, Postcode};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::build::{key_of, yyyymm, BuildStats, Meta};
use crate::store::{self, cast, Plain};
use crate::tags::*;
use crate::GeoError;

/// How a postcode's 2021 LSOA was found (see docs/methodology/lsoa-2011-to-2021.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[repr(u16)]
pub enum Lsoa21Route {
    /// Not applicable or unknown: outside England and Wales, or no 2011 LSOA and no point.
    None = 0,
    /// From the directory's own 2021 LSOA, or the 2011 LSOA maps to exactly one 2021 LSOA in
    /// the ONS lookup (unchanged, merged, or a one-to-one "X" change).
    Direct = 1,
    /// The 2011 LSOA split into several 2021 LSOAs and the postcode's coordinates lie inside
    /// exactly one of them.
    SplitByPoint = 2,
    /// A postcode newer than the directory (no 2011 LSOA): the 2021 LSOA whose boundary
    /// contains its coordinates.
    ByPoint = 3,
    /// The 2011 LSOA split and the postcode has no coordinates, or its point lies in none or
    /// several of the candidate 2021 LSOAs (and within 50 m of no single one): no 2021 LSOA
    /// is given.
    Ambiguous = 4,
    /// The 2011 LSOA split, the postcode's point lies just outside every candidate's
    /// generalised boundary, and one candidate is within 50 m: that one.
    SplitByNearest = 5,
}

impl Lsoa21Route {
    /// Every route, in code order.
    pub const ALL: [Lsoa21Route; 6] = [
        Lsoa21Route::None,
        Lsoa21Route::Direct,
        Lsoa21Route::SplitByPoint,
        Lsoa21Route::ByPoint,
        Lsoa21Route::Ambiguous,
        Lsoa21Route::SplitByNearest,
    ];
    /// The name used in outputs and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Lsoa21Route::None => "none",
            Lsoa21Route::Direct => "direct",
            Lsoa21Route::SplitByPoint => "split-by-point",
            Lsoa21Route::ByPoint => "by-point",
            Lsoa21Route::Ambiguous => "ambiguous",
            Lsoa21Route::SplitByNearest => "split-by-nearest",
        }
    }
    pub(crate) fn from_bits(b: u16) -> Lsoa21Route {
        Lsoa21Route::ALL
            .get(usize::from(b & F_ROUTE_MASK))
            .copied()
            .unwrap_or(Lsoa21Route::None)
    }
}

impl std::fmt::Display for Lsoa21Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The UK country (or Crown dependency) of a postcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Country {
    /// England.
    England,
    /// Wales.
    Wales,
    /// Scotland.
    Scotland,
    /// Northern Ireland.
    NorthernIreland,
    /// Guernsey and Jersey (postcode areas GY, JE).
    ChannelIslands,
    /// The Isle of Man (IM).
    IsleOfMan,
    /// Not known (no district in any source file).
    Unknown,
}

impl Country {
    /// The name, e.g. "Northern Ireland".
    pub fn name(self) -> &'static str {
        match self {
            Country::England => "England",
            Country::Wales => "Wales",
            Country::Scotland => "Scotland",
            Country::NorthernIreland => "Northern Ireland",
            Country::ChannelIslands => "Channel Islands",
            Country::IsleOfMan => "Isle of Man",
            Country::Unknown => "unknown country",
        }
    }
    pub(crate) fn of_code(code: &str) -> Country {
        match code.as_bytes().first() {
            Some(b'E') => Country::England,
            Some(b'W') => Country::Wales,
            Some(b'S') => Country::Scotland,
            Some(b'N') => Country::NorthernIreland,
            Some(b'L') => Country::ChannelIslands,
            Some(b'M') => Country::IsleOfMan,
            _ => Country::Unknown,
        }
    }
    /// The country of a postcode no source file gives a district for, by its area letters.
    pub(crate) fn of_postcode_area(p: &Postcode) -> Country {
        match p.area() {
            "BT" => Country::NorthernIreland,
            "GY" | "JE" => Country::ChannelIslands,
            "IM" => Country::IsleOfMan,
            _ => Country::Unknown,
        }
    }
    /// Why the English indices of deprivation say nothing here (`None` for England).
    pub fn no_english_deprivation(self) -> Option<&'static str> {
        match self {
            Country::England => None,
            Country::Wales => Some("Welsh postcode: the English Indices of Deprivation cover England only (Wales has the Welsh Index of Multiple Deprivation)"),
            Country::Scotland => Some("Scottish postcode: the English Indices of Deprivation cover England only (Scotland has the Scottish Index of Multiple Deprivation)"),
            Country::NorthernIreland => Some("Northern Irish postcode: the English Indices of Deprivation cover England only (Northern Ireland has the NI Multiple Deprivation Measure)"),
            Country::ChannelIslands | Country::IsleOfMan => Some("Crown dependency: outside the UK statistical geography and the English Indices of Deprivation"),
            Country::Unknown => Some("country unknown: no district in the source files"),
        }
    }
}

impl std::fmt::Display for Country {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An area: its code and, where a source file names it, its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Area<'a> {
    /// The code, e.g. `E01005678` (a GSS code, or a Northern Irish SOA code such as `95AA01S1`).
    pub code: &'a str,
    /// The name, e.g. `Salford 019C`; `None` where no source file names it.
    pub name: Option<&'a str>,
}

/// A local authority district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct District<'a> {
    /// The GSS code, e.g. `E08000006`.
    pub code: GssCode,
    /// The name, e.g. `Salford`.
    pub name: Option<&'a str>,
}

/// One domain of an index of deprivation (or the overall index).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Domain {
    /// The domain, e.g. "Income" ("IMD" for the overall index).
    pub domain: &'static str,
    /// Decile, 1 = the most deprived 10% of LSOAs in England.
    pub decile: u8,
    /// Rank, 1 = the most deprived LSOA in England.
    pub rank: u32,
    /// Score, where the source gives it (IoD 2025; the IMD 2019 file has none).
    pub score: Option<f64>,
}

/// English Index of Multiple Deprivation 2019, on 2011 LSOAs (MHCLG, OGL v3.0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imd2019<'a> {
    /// The 2011 LSOA the figures are for.
    pub lsoa11: &'a str,
    /// IMD decile, 1 = most deprived 10%.
    pub decile: u8,
    /// IMD rank of 32,844, 1 = most deprived.
    pub rank: u32,
    /// The seven domains: Income, Employment, Education, Health, Crime, Barriers to Housing
    /// and Services, Living Environment.
    pub domains: Vec<Domain>,
}

/// English Indices of Deprivation 2025, on 2021 LSOAs (MHCLG, OGL v3.0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Iod2025<'a> {
    /// The 2021 LSOA the figures are for.
    pub lsoa21: &'a str,
    /// IMD decile, 1 = most deprived 10%.
    pub decile: u8,
    /// IMD rank of 33,755, 1 = most deprived.
    pub rank: u32,
    /// IMD score.
    pub score: Option<f64>,
    /// The seven domains, with scores.
    pub domains: Vec<Domain>,
}

/// Everything the index knows about one postcode.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location<'a> {
    /// The postcode, canonical.
    pub postcode: Postcode,
    /// Country.
    pub country: Country,
    /// When the postcode was introduced, yyyymm (from the directory).
    pub introduced: Option<u32>,
    /// When it was terminated, yyyymm; `None` while live. A terminated postcode still locates
    /// a supplier (addresses outlive their postcodes); flag it, do not drop it.
    pub terminated: Option<u32>,
    /// A large-user postcode (one address receiving much mail).
    pub large_user: bool,
    /// Whether the postcode is in the postcode directory (else only in a newer coordinates or
    /// Code-Point file, so without 2011 areas).
    pub in_directory: bool,
    /// 2011 output area.
    pub oa11: Option<&'a str>,
    /// 2011 LSOA (Scotland: data zone; Northern Ireland: super output area).
    pub lsoa11: Option<Area<'a>>,
    /// 2011 MSOA (Scotland: intermediate zone).
    pub msoa11: Option<Area<'a>>,
    /// 2021 LSOA (England and Wales).
    pub lsoa21: Option<Area<'a>>,
    /// How the 2021 LSOA was found.
    pub lsoa21_route: Lsoa21Route,
    /// Electoral ward, 2025 codes where known (Code-Point Open, live GB postcodes).
    pub ward: Option<Area<'a>>,
    /// Local authority district now (Code-Point Open's 2025 district, else that of the 2021
    /// LSOA, else the directory's).
    pub lad: Option<District<'a>>,
    /// The district as the postcode directory gives it (May 2022 for the bundled directory):
    /// before the 2023 reorganisations in Cumbria, North Yorkshire and Somerset.
    pub directory_lad: Option<District<'a>>,
    /// English region (of the current district).
    pub region: Option<Area<'a>>,
    /// Combined authority (of the current district).
    pub combined_authority: Option<Area<'a>>,
    /// Latitude (WGS84).
    pub lat: Option<f64>,
    /// Longitude (WGS84).
    pub long: Option<f64>,
    /// IMD 2019 (England only; see `imd2019_note`).
    pub imd2019: Option<Imd2019<'a>>,
    /// IoD 2025 (England only; see `iod2025_note`).
    pub iod2025: Option<Iod2025<'a>>,
}

impl Location<'_> {
    /// Why `imd2019` is `None` (`None` when it is given).
    pub fn imd2019_note(&self) -> Option<String> {
        imd2019_note(
            self.country,
            self.imd2019.is_some(),
            self.lsoa11.map(|a| a.code),
        )
    }

    /// Why `iod2025` is `None` (`None` when it is given).
    pub fn iod2025_note(&self) -> Option<String> {
        iod2025_note(
            self.country,
            self.iod2025.is_some(),
            self.lsoa21.map(|a| a.code),
            self.lsoa21_route,
            self.lsoa11.map(|a| a.code),
        )
    }
}

/// [`Location::imd2019_note`] from the few fields it depends on (shared with the bulk path,
/// which has no `Location`).
pub(crate) fn imd2019_note(
    country: Country,
    imd2019: bool,
    lsoa11: Option<&str>,
) -> Option<String> {
    if imd2019 {
        return None;
    }
    if let Some(why) = country.no_english_deprivation() {
        return Some(why.to_string());
    }
    Some(match lsoa11 {
        None => "no 2011 LSOA: the postcode is newer than the postcode directory".to_string(),
        Some(code) => format!("LSOA {code} is not in the IMD 2019 file"),
    })
}

/// [`Location::iod2025_note`] from the few fields it depends on.
pub(crate) fn iod2025_note(
    country: Country,
    iod2025: bool,
    lsoa21: Option<&str>,
    route: Lsoa21Route,
    lsoa11: Option<&str>,
) -> Option<String> {
    if iod2025 {
        return None;
    }
    if let Some(why) = country.no_english_deprivation() {
        return Some(why.to_string());
    }
    Some(match (lsoa21, route) {
        (None, Lsoa21Route::Ambiguous) => format!(
            "no 2021 LSOA: 2011 LSOA {} was split in 2021 and the postcode's point does not \
             settle which part it is in",
            lsoa11.unwrap_or("?")
        ),
        (None, _) => "no 2021 LSOA: neither a 2011 LSOA nor coordinates to place it".to_string(),
        (Some(code), _) => format!("LSOA {code} is not in the IoD 2025 file"),
    })
}

/// Why a string does not give a location.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// Not a postcode at all.
    #[error("invalid postcode: {0}")]
    Invalid(#[from] anchornet_core::PostcodeError),
    /// A well-formed postcode the index does not hold.
    #[error("unknown postcode {postcode}: {reason}")]
    Unknown {
        /// The postcode.
        postcode: Postcode,
        /// Why it is not found.
        reason: &'static str,
    },
}

impl LookupError {
    /// A short status word for tables and CSV columns: `invalid` or `unknown`.
    pub fn status(&self) -> &'static str {
        match self {
            LookupError::Invalid(_) => "invalid",
            LookupError::Unknown { .. } => "unknown",
        }
    }
}

pub(crate) enum Backing {
    Map(memmap2::Mmap),
    Owned(Vec<u64>),
}

impl Backing {
    fn bytes(&self) -> &[u8] {
        match self {
            Backing::Map(m) => m,
            Backing::Owned(v) => store::bytes_of(v),
        }
    }
}

#[derive(Clone)]
struct Strs {
    offs: Range<usize>,
    blob: Range<usize>,
}

/// Byte ranges of the sections.
struct Layout {
    core: Range<usize>,
    oa11: Range<usize>,
    lsoa21: Range<usize>,
    ward: Range<usize>,
    lad: Range<usize>,
    intr: Range<usize>,
    lat: Range<usize>,
    lon: Range<usize>,
    slot_start: Range<usize>,
    slot_bits: Range<usize>,
    oa11_codes: Strs,
    lsoa11_codes: Strs,
    lsoa11_names: Strs,
    lsoa11_msoa: Range<usize>,
    lsoa11_lad: Range<usize>,
    msoa11_codes: Strs,
    msoa11_names: Strs,
    lsoa21_codes: Strs,
    lsoa21_names: Strs,
    lsoa21_lad: Range<usize>,
    lsoa21_centre: Range<usize>,
    ward_codes: Strs,
    ward_names: Strs,
    lad_codes: Strs,
    lad_names: Strs,
    lad_region: Range<usize>,
    lad_cauth: Range<usize>,
    region_codes: Strs,
    region_names: Strs,
    cauth_codes: Strs,
    cauth_names: Strs,
    imd19_decile: Range<usize>,
    imd19_rank: Range<usize>,
    iod25_decile: Range<usize>,
    iod25_rank: Range<usize>,
    iod25_score: Range<usize>,
}

/// The geography index: every UK postcode to its areas and deprivation, read in place from a
/// memory-mapped file (or built in memory).
pub struct GeoIndex {
    backing: Backing,
    lay: Layout,
    outwards: FxHashMap<u32, u32>,
    outward_list: Vec<u32>,
    lad_by_code: FxHashMap<GssCode, u16>,
    lsoa_maps: std::sync::OnceLock<LsoaMaps>,
    meta: Meta,
    path: Option<PathBuf>,
    n: usize,
}

impl std::fmt::Debug for GeoIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoIndex")
            .field("postcodes", &self.n)
            .field("path", &self.path)
            .field("sources", &self.meta.sources.dir)
            .finish()
    }
}

/// Postcodes of British Overseas Territories, which parse but are in no UK geography file.
const OVERSEAS_OUTWARDS: [&str; 10] = [
    "ASCN", "STHL", "TDCU", "BBND", "BIQQ", "FIQQ", "GX11", "PCRN", "SIQQ", "TKCA",
];

impl GeoIndex {
    pub(crate) fn from_backing(
        backing: Backing,
        path: Option<PathBuf>,
    ) -> Result<GeoIndex, GeoError> {
        let corrupt = |what: &str| GeoError::Cache(format!("index file: {what}"));
        let b = backing.bytes();
        let h = store::read_header(b).map_err(|e| GeoError::Cache(e.to_string()))?;
        let meta: Meta = serde_json::from_slice(&b[h.meta.clone()])
            .map_err(|e| corrupt(&format!("metadata: {e}")))?;
        let sec = |t: u32| -> Result<Range<usize>, GeoError> {
            h.sections
                .get(&t)
                .cloned()
                .ok_or_else(|| corrupt(&format!("section {t} missing")))
        };
        let strs = |t: u32| -> Result<Strs, GeoError> {
            let s = Strs {
                offs: sec(t)?,
                blob: sec(t + 1)?,
            };
            let offs: &[u32] = cast(&b[s.offs.clone()]);
            if offs.is_empty()
                || offs.windows(2).any(|w| w[0] > w[1])
                || offs[offs.len() - 1] as usize != s.blob.len()
            {
                return Err(corrupt(&format!("string table {t}")));
            }
            Ok(s)
        };
        let lay = Layout {
            core: sec(PC_CORE)?,
            oa11: sec(PC_OA11)?,
            lsoa21: sec(PC_LSOA21)?,
            ward: sec(PC_WARD)?,
            lad: sec(PC_LAD)?,
            intr: sec(PC_INTR)?,
            lat: sec(PC_LAT)?,
            lon: sec(PC_LON)?,
            slot_start: sec(SLOT_START)?,
            slot_bits: sec(SLOT_BITS)?,
            oa11_codes: strs(OA11_CODES)?,
            lsoa11_codes: strs(LSOA11_CODES)?,
            lsoa11_names: strs(LSOA11_NAMES)?,
            lsoa11_msoa: sec(LSOA11_MSOA)?,
            lsoa11_lad: sec(LSOA11_LAD)?,
            msoa11_codes: strs(MSOA11_CODES)?,
            msoa11_names: strs(MSOA11_NAMES)?,
            lsoa21_codes: strs(LSOA21_CODES)?,
            lsoa21_names: strs(LSOA21_NAMES)?,
            lsoa21_lad: sec(LSOA21_LAD)?,
            lsoa21_centre: sec(LSOA21_CENTRE)?,
            ward_codes: strs(WARD_CODES)?,
            ward_names: strs(WARD_NAMES)?,
            lad_codes: strs(LAD_CODES)?,
            lad_names: strs(LAD_NAMES)?,
            lad_region: sec(LAD_REGION)?,
            lad_cauth: sec(LAD_CAUTH)?,
            region_codes: strs(REGION_CODES)?,
            region_names: strs(REGION_NAMES)?,
            cauth_codes: strs(CAUTH_CODES)?,
            cauth_names: strs(CAUTH_NAMES)?,
            imd19_decile: sec(IMD19_DECILE)?,
            imd19_rank: sec(IMD19_RANK)?,
            iod25_decile: sec(IOD25_DECILE)?,
            iod25_rank: sec(IOD25_RANK)?,
            iod25_score: sec(IOD25_SCORE)?,
        };
        let outward_list: Vec<u32> = cast::<u32>(&b[sec(OUTWARDS)?]).to_vec();
        let n = lay.core.len() / 8;
        // Every column must have n rows and every id must be in range: then lookups cannot
        // index out of bounds whatever the file says.
        let rows_ok = lay.oa11.len() == n * 4
            && lay.lsoa21.len() == n * 2
            && lay.ward.len() == n * 2
            && lay.lad.len() == n * 2
            && lay.intr.len() == n * 2
            && lay.lat.len() == n * 4
            && lay.lon.len() == n * 4
            && lay.slot_start.len() == (outward_list.len() * 10 + 1) * 4
            && lay.slot_bits.len() == outward_list.len() * 10 * 11 * 8;
        if !rows_ok {
            return Err(corrupt("column lengths differ"));
        }
        let mut ix = GeoIndex {
            backing: Backing::Owned(Vec::new()),
            lay,
            outwards: FxHashMap::default(),
            outward_list,
            lad_by_code: FxHashMap::default(),
            lsoa_maps: std::sync::OnceLock::new(),
            meta,
            path,
            n,
        };
        ix.backing = backing;
        ix.check_ids().map_err(corrupt)?;
        ix.outwards = ix
            .outward_list
            .iter()
            .enumerate()
            .map(|(i, &o)| (o, i as u32))
            .collect();
        let lads = ix.strs_len(&ix.lay.lad_codes);
        ix.lad_by_code = (0..lads)
            .filter_map(|i| {
                GssCode::parse(ix.s(&ix.lay.lad_codes, i))
                    .ok()
                    .map(|c| (c, i as u16))
            })
            .collect();
        Ok(ix)
    }

    fn check_ids(&self) -> Result<(), &'static str> {
        let starts: &[u32] = self.col(&self.lay.slot_start);
        if starts.windows(2).any(|w| w[0] > w[1])
            || starts.last().map(|&l| l as usize) != Some(self.n)
        {
            return Err("slot offsets");
        }
        let bits: &[u64] = self.col(&self.lay.slot_bits);
        for s in 0..starts.len() - 1 {
            let c: u32 = bits[s * 11..s * 11 + 11]
                .iter()
                .map(|b| b.count_ones())
                .sum();
            if c != starts[s + 1] - starts[s] {
                return Err("slot bitmaps");
            }
        }
        // Only lengths are checked here, not every id: ids are bounds-checked where they are
        // used (a corrupt file panics rather than misreads), and scanning every column would
        // fault in the whole file on each start. Files are replaced atomically, never edited.
        let n_l11 = self.strs_len(&self.lay.lsoa11_codes);
        let n_l21 = self.strs_len(&self.lay.lsoa21_codes);
        let n_lad = self.strs_len(&self.lay.lad_codes);
        let n_ward = self.strs_len(&self.lay.ward_codes);
        let ok = n_l11 < usize::from(NONE16)
            && n_l21 < usize::from(NONE16)
            && n_lad < usize::from(NONE16)
            && n_ward < usize::from(NONE16)
            && self.lay.lsoa11_msoa.len() == n_l11 * 2
            && self.lay.lsoa11_lad.len() == n_l11 * 2
            && self.lay.lsoa21_lad.len() == n_l21 * 2
            && self.lay.lsoa21_centre.len() == n_l21 * 8
            && self.lay.lad_region.len() == n_lad * 2
            && self.lay.lad_cauth.len() == n_lad * 2
            && self.lay.imd19_decile.len() == n_l11 * 8
            && self.lay.imd19_rank.len() == n_l11 * 32
            && self.lay.iod25_decile.len() == n_l21 * 8
            && self.lay.iod25_rank.len() == n_l21 * 32
            && self.lay.iod25_score.len() == n_l21 * 32
            && self.strs_len(&self.lay.lsoa11_names) == n_l11
            && self.strs_len(&self.lay.lsoa21_names) == n_l21
            && self.strs_len(&self.lay.msoa11_names) == self.strs_len(&self.lay.msoa11_codes)
            && self.strs_len(&self.lay.ward_names) == n_ward
            && self.strs_len(&self.lay.lad_names) == n_lad
            && self.strs_len(&self.lay.region_names) == self.strs_len(&self.lay.region_codes)
            && self.strs_len(&self.lay.cauth_names) == self.strs_len(&self.lay.cauth_codes);
        if ok {
            Ok(())
        } else {
            Err("area ids out of range")
        }
    }

    fn bytes(&self) -> &[u8] {
        self.backing.bytes()
    }
    fn col<T: Plain>(&self, r: &Range<usize>) -> &[T] {
        cast(&self.bytes()[r.clone()])
    }
    fn strs_len(&self, t: &Strs) -> usize {
        t.offs.len() / 4 - 1
    }
    fn s(&self, t: &Strs, i: usize) -> &str {
        let offs: &[u32] = self.col(&t.offs);
        let blob = &self.bytes()[t.blob.clone()];
        std::str::from_utf8(&blob[offs[i] as usize..offs[i + 1] as usize]).unwrap_or("")
    }
    fn name(&self, t: &Strs, i: usize) -> Option<&str> {
        Some(self.s(t, i)).filter(|s| !s.is_empty())
    }

    /// How many postcodes the index holds (live and terminated).
    pub fn len(&self) -> usize {
        self.n
    }
    /// Whether the index holds no postcode.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
    /// The index file, when opened from one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }
    /// Size of the index in bytes.
    pub fn size_bytes(&self) -> usize {
        self.bytes().len()
    }
    /// The source directory and files the index was built from.
    pub fn sources(&self) -> &crate::Sources {
        &self.meta.sources
    }
    /// What the build read and decided (route counts, skipped rows, files).
    pub fn build_stats(&self) -> &BuildStats {
        &self.meta.stats
    }
    pub(crate) fn meta(&self) -> &Meta {
        &self.meta
    }

    /// The row of a postcode, or `None` if the index does not hold it. This is the fast path
    /// (two small table reads and a popcount); see [`GeoIndex::lookup`] for the answer.
    #[inline]
    pub fn find(&self, p: &Postcode) -> Option<PostcodeRow> {
        let k = key_of(p);
        let oid = *self.outwards.get(&((k >> 24) as u32))? as usize;
        let digit = ((k >> 16) & 0xff) as u8;
        let (l1, l2) = (((k >> 8) & 0xff) as u8, (k & 0xff) as u8);
        let starts: &[u32] = self.col(&self.lay.slot_start);
        let bits: &[u64] = self.col(&self.lay.slot_bits);
        find_in(starts, bits, oid, digit, l1, l2).map(PostcodeRow)
    }

    /// Everything about a postcode, or `None` if the index does not hold it.
    pub fn lookup(&self, p: &Postcode) -> Option<Location<'_>> {
        self.find(p).map(|r| self.location(*p, r))
    }

    /// Many postcodes at once, in parallel, in input order.
    pub fn lookup_many(&self, ps: &[Postcode]) -> Vec<Option<Location<'_>>> {
        ps.par_iter().map(|p| self.lookup(p)).collect()
    }

    /// Parse and look up text as typed (`m54bd`), with the reason when there is no answer.
    pub fn lookup_str(&self, s: &str) -> Result<Location<'_>, LookupError> {
        let p = Postcode::parse(s)?;
        self.lookup(&p).ok_or_else(|| LookupError::Unknown {
            postcode: p,
            reason: self.why_unknown(&p),
        })
    }

    /// Why a well-formed postcode is not in the index.
    pub fn why_unknown(&self, p: &Postcode) -> &'static str {
        let out = p.outward();
        if OVERSEAS_OUTWARDS.contains(&out) {
            "a British Overseas Territory postcode: outside the UK geography files"
        } else if out == "BF1" {
            "a British Forces Post Office postcode: a mail route, not a place"
        } else if !self.outwards.contains_key(&((key_of(p) >> 24) as u32)) {
            "no such postcode district in the ONS directory (mistyped, or a format-valid but unused outward code)"
        } else {
            "not in the ONS postcode directory or its newer coordinates file (mistyped, or newer than the files)"
        }
    }

    fn core(&self) -> &[[u16; 4]] {
        let flat: &[u16] = self.col(&self.lay.core);
        // SAFETY: [u16; 4] has the alignment of u16 and no padding; the length is a multiple
        // of 4 (checked when the index was opened: n = len / 8 bytes).
        unsafe { std::slice::from_raw_parts(flat.as_ptr().cast::<[u16; 4]>(), flat.len() / 4) }
    }

    /// The full answer for a row.
    pub fn location(&self, postcode: Postcode, r: PostcodeRow) -> Location<'_> {
        let i = r.0 as usize;
        let c = self.core()[i];
        let lay = &self.lay;
        let l21: u16 = self.col::<u16>(&lay.lsoa21)[i];
        let lad_id: u16 = self.col::<u16>(&lay.lad)[i];
        let lad = self.district(lad_id);
        let directory_lad = self.district(c[1]);
        let (region, cauth) = self.region_and_cauth(lad_id);
        let country = match lad.or(directory_lad) {
            Some(d) => Country::of_code(d.code.as_str()),
            None => Country::of_postcode_area(&postcode),
        };
        let lat: i32 = self.col::<i32>(&lay.lat)[i];
        let lon: i32 = self.col::<i32>(&lay.lon)[i];
        let oa: u32 = self.col::<u32>(&lay.oa11)[i];
        let ward: u16 = self.col::<u16>(&lay.ward)[i];
        let intr: u16 = self.col::<u16>(&lay.intr)[i];
        Location {
            postcode,
            country,
            introduced: yyyymm(intr),
            terminated: yyyymm(c[2]),
            large_user: c[3] & F_LARGE_USER != 0,
            in_directory: c[3] & F_IN_DIRECTORY != 0,
            oa11: self.oa11_code(oa),
            lsoa11: self.lsoa11_area(c[0]),
            msoa11: self.msoa11_of(c[0]),
            lsoa21: self.lsoa21_area_of(l21),
            lsoa21_route: Lsoa21Route::from_bits(c[3]),
            ward: self.ward_area(ward),
            lad,
            directory_lad,
            region,
            combined_authority: cauth,
            lat: (lat != NO_COORD).then(|| f64::from(lat) / 1e6),
            long: (lon != NO_COORD).then(|| f64::from(lon) / 1e6),
            imd2019: (c[0] != NONE16)
                .then(|| self.imd2019(usize::from(c[0])))
                .flatten(),
            iod2025: (l21 != NONE16)
                .then(|| self.iod2025(usize::from(l21)))
                .flatten(),
        }
    }

    // ---- One area by its id: the pieces of a `Location`, shared with the bulk path ----

    fn area(&self, codes: &Strs, names: &Strs, id: u16) -> Option<Area<'_>> {
        (id != NONE16).then(|| Area {
            code: self.s(codes, usize::from(id)),
            name: self.name(names, usize::from(id)),
        })
    }
    /// A district by id (`None` for no district, or a code that is not a GSS code).
    pub(crate) fn district(&self, id: u16) -> Option<District<'_>> {
        if id == NONE16 {
            return None;
        }
        let code = GssCode::parse(self.s(&self.lay.lad_codes, usize::from(id))).ok()?;
        Some(District {
            code,
            name: self.name(&self.lay.lad_names, usize::from(id)),
        })
    }
    /// The region and combined authority of a (current) district, by its id.
    pub(crate) fn region_and_cauth(&self, lad: u16) -> (Option<Area<'_>>, Option<Area<'_>>) {
        if lad == NONE16 {
            return (None, None);
        }
        let rg: u16 = self.col::<u16>(&self.lay.lad_region)[usize::from(lad)];
        let ca: u16 = self.col::<u16>(&self.lay.lad_cauth)[usize::from(lad)];
        (
            self.area(&self.lay.region_codes, &self.lay.region_names, rg),
            self.area(&self.lay.cauth_codes, &self.lay.cauth_names, ca),
        )
    }
    pub(crate) fn oa11_code(&self, id: u32) -> Option<&str> {
        (id != NONE32).then(|| self.s(&self.lay.oa11_codes, id as usize))
    }
    pub(crate) fn lsoa11_area(&self, id: u16) -> Option<Area<'_>> {
        self.area(&self.lay.lsoa11_codes, &self.lay.lsoa11_names, id)
    }
    /// The 2011 MSOA of a 2011 LSOA, by the LSOA's id.
    pub(crate) fn msoa11_of(&self, lsoa11: u16) -> Option<Area<'_>> {
        if lsoa11 == NONE16 {
            return None;
        }
        let m = self.col::<u16>(&self.lay.lsoa11_msoa)[usize::from(lsoa11)];
        self.area(&self.lay.msoa11_codes, &self.lay.msoa11_names, m)
    }
    pub(crate) fn lsoa21_area_of(&self, id: u16) -> Option<Area<'_>> {
        self.area(&self.lay.lsoa21_codes, &self.lay.lsoa21_names, id)
    }
    pub(crate) fn ward_area(&self, id: u16) -> Option<Area<'_>> {
        self.area(&self.lay.ward_codes, &self.lay.ward_names, id)
    }
    /// How many ids each per-area table has: (OAs, 2011 LSOAs, 2021 LSOAs, wards, districts).
    pub(crate) fn area_counts(&self) -> [usize; 5] {
        [
            self.strs_len(&self.lay.oa11_codes),
            self.strs_len(&self.lay.lsoa11_codes),
            self.strs_len(&self.lay.lsoa21_codes),
            self.strs_len(&self.lay.ward_codes),
            self.strs_len(&self.lay.lad_codes),
        ]
    }
    /// The per-postcode columns, for the bulk path (which reads only those it needs).
    pub(crate) fn rows(&self) -> Rows<'_> {
        let lay = &self.lay;
        Rows {
            core: self.core(),
            lsoa21: self.col(&lay.lsoa21),
            lad: self.col(&lay.lad),
            oa11: self.col(&lay.oa11),
            ward: self.col(&lay.ward),
            lat: self.col(&lay.lat),
            lon: self.col(&lay.lon),
            starts: self.col(&lay.slot_start),
            bits: self.col(&lay.slot_bits),
            outwards: &self.outwards,
        }
    }
    /// The IMD 2019 decile and rank of a 2011 LSOA id (`None` outside the IMD file).
    pub(crate) fn imd2019_of(&self, lsoa11: u16) -> Option<Imd2019<'_>> {
        (lsoa11 != NONE16)
            .then(|| self.imd2019(usize::from(lsoa11)))
            .flatten()
    }
    /// IoD 2025 of a 2021 LSOA id (`None` outside the IoD file).
    pub(crate) fn iod2025_of_id(&self, lsoa21: u16) -> Option<Iod2025<'_>> {
        (lsoa21 != NONE16)
            .then(|| self.iod2025(usize::from(lsoa21)))
            .flatten()
    }

    fn imd2019(&self, l11: usize) -> Option<Imd2019<'_>> {
        let d: &[u8] = &self.col::<u8>(&self.lay.imd19_decile)[l11 * 8..l11 * 8 + 8];
        let r: &[u32] = &self.col::<u32>(&self.lay.imd19_rank)[l11 * 8..l11 * 8 + 8];
        if d[0] == 0 {
            return None;
        }
        Some(Imd2019 {
            lsoa11: self.s(&self.lay.lsoa11_codes, l11),
            decile: d[0],
            rank: r[0],
            domains: (1..8)
                .filter(|&k| d[k] != 0)
                .map(|k| Domain {
                    domain: crate::source::DOMAINS[k],
                    decile: d[k],
                    rank: r[k],
                    score: None,
                })
                .collect(),
        })
    }

    fn iod2025(&self, l21: usize) -> Option<Iod2025<'_>> {
        let d: &[u8] = &self.col::<u8>(&self.lay.iod25_decile)[l21 * 8..l21 * 8 + 8];
        let r: &[u32] = &self.col::<u32>(&self.lay.iod25_rank)[l21 * 8..l21 * 8 + 8];
        let s: &[i32] = &self.col::<i32>(&self.lay.iod25_score)[l21 * 8..l21 * 8 + 8];
        if d[0] == 0 {
            return None;
        }
        let score = |v: i32| (v != i32::MIN).then(|| f64::from(v) / 1000.0);
        Some(Iod2025 {
            lsoa21: self.s(&self.lay.lsoa21_codes, l21),
            decile: d[0],
            rank: r[0],
            score: score(s[0]),
            domains: (1..8)
                .filter(|&k| d[k] != 0)
                .map(|k| Domain {
                    domain: crate::source::DOMAINS[k],
                    decile: d[k],
                    rank: r[k],
                    score: score(s[k]),
                })
                .collect(),
        })
    }

    // ---- Districts, regions, combined authorities and LSOAs (for places) ----

    /// Every district: code and name (name empty where no source names it).
    pub fn districts(&self) -> Vec<(GssCode, &str)> {
        (0..self.strs_len(&self.lay.lad_codes))
            .filter_map(|i| {
                GssCode::parse(self.s(&self.lay.lad_codes, i))
                    .ok()
                    .map(|c| (c, self.s(&self.lay.lad_names, i)))
            })
            .collect()
    }
    /// A district's region (England) and combined authority, by code.
    pub fn district_areas(&self, lad: &GssCode) -> (Option<Area<'_>>, Option<Area<'_>>) {
        let Some(&i) = self.lad_by_code.get(lad) else {
            return (None, None);
        };
        let rg: u16 = self.col::<u16>(&self.lay.lad_region)[usize::from(i)];
        let ca: u16 = self.col::<u16>(&self.lay.lad_cauth)[usize::from(i)];
        let a = |codes: &Strs, names: &Strs, id: u16| {
            (id != NONE16).then(|| Area {
                code: self.s(codes, usize::from(id)),
                name: self.name(names, usize::from(id)),
            })
        };
        (
            a(&self.lay.region_codes, &self.lay.region_names, rg),
            a(&self.lay.cauth_codes, &self.lay.cauth_names, ca),
        )
    }
    /// The name of a district, by code.
    pub fn district_name(&self, lad: &GssCode) -> Option<&str> {
        self.lad_by_code
            .get(lad)
            .and_then(|&i| self.name(&self.lay.lad_names, usize::from(i)))
    }

    /// The district an LSOA (2011 or 2021 code) lies in, and for a 2021 LSOA its centre
    /// (latitude, longitude) from the boundary file.
    pub fn lsoa(&self, code: &str) -> Option<LsoaInfo> {
        let code = code.trim();
        if let Some(&i) = self.lsoa21_by_code_get(code) {
            let l: u16 = self.col::<u16>(&self.lay.lsoa21_lad)[usize::from(i)];
            let c: &[i32] = &self.col::<i32>(&self.lay.lsoa21_centre)
                [usize::from(i) * 2..usize::from(i) * 2 + 2];
            return Some(LsoaInfo {
                lad: (l != NONE16)
                    .then(|| GssCode::parse(self.s(&self.lay.lad_codes, usize::from(l))).ok())
                    .flatten(),
                centre: (c[0] != NO_COORD).then(|| (f64::from(c[0]) / 1e6, f64::from(c[1]) / 1e6)),
            });
        }
        if let Some(&i) = self.lsoa11_by_code_get(code) {
            let l: u16 = self.col::<u16>(&self.lay.lsoa11_lad)[usize::from(i)];
            return Some(LsoaInfo {
                lad: (l != NONE16)
                    .then(|| GssCode::parse(self.s(&self.lay.lad_codes, usize::from(l))).ok())
                    .flatten(),
                centre: None,
            });
        }
        None
    }

    /// IoD 2025 for a 2021 LSOA by its code (for areas found by point rather than postcode).
    pub fn iod2025_of(&self, lsoa21: &str) -> Option<Iod2025<'_>> {
        let i = *self.lsoa21_by_code_get(lsoa21.trim())?;
        self.iod2025(usize::from(i))
    }

    /// A 2021 LSOA by its code: the code and name as the index holds them.
    pub fn lsoa21_area(&self, code: &str) -> Option<Area<'_>> {
        let i = usize::from(*self.lsoa21_by_code_get(code.trim())?);
        Some(Area {
            code: self.s(&self.lay.lsoa21_codes, i),
            name: self.name(&self.lay.lsoa21_names, i),
        })
    }

    fn lsoa_maps(&self) -> &LsoaMaps {
        self.lsoa_maps.get_or_init(|| {
            let map = |t: &Strs| -> FxHashMap<String, u16> {
                (0..self.strs_len(t))
                    .map(|i| (self.s(t, i).to_string(), i as u16))
                    .collect()
            };
            LsoaMaps {
                l11: map(&self.lay.lsoa11_codes),
                l21: map(&self.lay.lsoa21_codes),
            }
        })
    }
    fn lsoa21_by_code_get(&self, code: &str) -> Option<&u16> {
        self.lsoa_maps().l21.get(code)
    }
    fn lsoa11_by_code_get(&self, code: &str) -> Option<&u16> {
        self.lsoa_maps().l11.get(code)
    }
}

struct LsoaMaps {
    l11: FxHashMap<String, u16>,
    l21: FxHashMap<String, u16>,
}

/// What the index knows of an LSOA for place membership.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LsoaInfo {
    /// The district it lies in (2021 LSOAs: the district now; 2011: as in May 2022).
    pub lad: Option<GssCode>,
    /// Its centre (latitude, longitude), for 2021 LSOAs.
    pub centre: Option<(f64, f64)>,
}

/// A postcode's row in the index (from [`GeoIndex::find`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PostcodeRow(pub(crate) u32);

/// The per-postcode columns of the index and its key structure, borrowed for the bulk path
/// ([`crate::bulk`]), which reads only the columns its selected outputs need.
pub(crate) struct Rows<'a> {
    /// 2011 LSOA id, directory district id, termination (yyyymm code), flags (route bits).
    pub core: &'a [[u16; 4]],
    pub lsoa21: &'a [u16],
    /// The current district's id.
    pub lad: &'a [u16],
    pub oa11: &'a [u32],
    pub ward: &'a [u16],
    pub lat: &'a [i32],
    pub lon: &'a [i32],
    starts: &'a [u32],
    bits: &'a [u64],
    outwards: &'a FxHashMap<u32, u32>,
}

impl Rows<'_> {
    /// The row of a postcode, as [`GeoIndex::find`].
    #[inline]
    pub fn find(&self, p: &Postcode) -> Option<u32> {
        let k = key_of(p);
        let oid = *self.outwards.get(&((k >> 24) as u32))? as usize;
        let digit = ((k >> 16) & 0xff) as u8;
        let (l1, l2) = (((k >> 8) & 0xff) as u8, (k & 0xff) as u8);
        find_in(self.starts, self.bits, oid, digit, l1, l2)
    }
}

/// The row of (outward id, sector digit, unit letters) in the slot structure.
#[inline]
pub(crate) fn find_in(
    starts: &[u32],
    bits: &[u64],
    oid: usize,
    digit: u8,
    l1: u8,
    l2: u8,
) -> Option<u32> {
    let slot = oid * 10 + usize::from(digit.wrapping_sub(b'0'));
    let pair = usize::from(l1.wrapping_sub(b'A')) * 26 + usize::from(l2.wrapping_sub(b'A'));
    if digit > b'9' || pair >= 676 {
        return None;
    }
    let words = bits.get(slot * 11..slot * 11 + 11)?;
    let (w, b) = (pair / 64, pair % 64);
    if words[w] >> b & 1 == 0 {
        return None;
    }
    let mut r = starts[slot];
    for x in &words[..w] {
        r += x.count_ones();
    }
    r += (words[w] & ((1u64 << b) - 1)).count_ones();
    Some(r)
}
