//! The official files an index is built from: finding them in a directory, reading them
//! (plain, `.xz`, `.gz`, or `.csv` members of a `.zip` as ONS publishes them) and recognising
//! each by its header, not its name, so that a newer release with a new file name works.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::GeoError;

/// One source file as found on disk (for a `.zip`, the archive itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    /// File name inside the source directory.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since 1970.
    pub mtime_ns: i128,
}

/// The files of a source directory, with sizes and times: what the index records so that it
/// is rebuilt when any of them changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sources {
    /// The directory, as given (made absolute).
    pub dir: PathBuf,
    /// Its data files, sorted by name.
    pub files: Vec<SourceFile>,
}

const EXTENSIONS: [&str; 9] = [
    ".csv",
    ".csv.xz",
    ".csv.gz",
    ".geojson",
    ".geojson.xz",
    ".geojson.gz",
    ".json",
    ".json.xz",
    ".zip",
];

impl Sources {
    /// List the data files of `dir` (not recursive; other files such as README.md are
    /// ignored).
    pub fn discover(dir: &Path) -> Result<Sources, GeoError> {
        let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let rd = std::fs::read_dir(&abs).map_err(|e| GeoError::io(&abs, e))?;
        let mut files = Vec::new();
        for entry in rd {
            let entry = entry.map_err(|e| GeoError::io(&abs, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let lower = name.to_ascii_lowercase();
            if !EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
                continue;
            }
            let md = entry
                .metadata()
                .map_err(|e| GeoError::io(&entry.path(), e))?;
            if !md.is_file() {
                continue;
            }
            let mtime_ns = md
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i128);
            files.push(SourceFile {
                name,
                size: md.len(),
                mtime_ns,
            });
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
        if files.is_empty() {
            return Err(GeoError::Source {
                path: abs,
                message: "no data files (.csv, .csv.xz, .geojson.xz, .zip …) in this directory"
                    .into(),
            });
        }
        Ok(Sources { dir: abs, files })
    }

    /// Whether the files on disk are still those recorded (same names, sizes and times).
    pub fn unchanged(&self) -> bool {
        Sources::discover(&self.dir).is_ok_and(|now| now.files == self.files)
    }
}

/// A readable unit: a whole file, or one CSV member of a zip.
pub(crate) struct Unit {
    /// For messages: `file` or `file.zip:member`.
    pub label: String,
    pub bytes: Vec<u8>,
}

/// What a source file is read as: a decompressing stream, or (a `.zip`) its CSV and GeoJSON
/// members in memory, except the ONSPD/NSPL `multi_csv` per-area copies of the main file.
pub(crate) enum Opened {
    Stream(Box<dyn Read + Send>),
    Members(Vec<Unit>),
}

/// Open a source file for reading, decompressing `.xz` and `.gz`.
pub(crate) fn open_file(dir: &Path, f: &SourceFile) -> Result<Opened, GeoError> {
    let path = dir.join(&f.name);
    let lower = f.name.to_ascii_lowercase();
    let file = std::fs::File::open(&path).map_err(|e| GeoError::io(&path, e))?;
    let buffered = std::io::BufReader::with_capacity(1 << 20, file);
    if lower.ends_with(".xz") {
        return Ok(Opened::Stream(Box::new(
            xz2::read::XzDecoder::new_multi_decoder(buffered),
        )));
    }
    if lower.ends_with(".gz") {
        return Ok(Opened::Stream(Box::new(flate2::read::MultiGzDecoder::new(
            buffered,
        ))));
    }
    if !lower.ends_with(".zip") {
        return Ok(Opened::Stream(Box::new(buffered)));
    }
    let mut z = zip::ZipArchive::new(buffered).map_err(|e| GeoError::Source {
        path: path.clone(),
        message: format!("not a readable zip: {e}"),
    })?;
    let mut units = Vec::new();
    for i in 0..z.len() {
        let mut m = z.by_index(i).map_err(|e| GeoError::Source {
            path: path.clone(),
            message: format!("zip member {i}: {e}"),
        })?;
        let name = m.name().to_string();
        let ln = name.to_ascii_lowercase();
        if !(ln.ends_with(".csv") || ln.ends_with(".geojson")) || ln.contains("multi_csv") {
            continue;
        }
        let mut b = Vec::with_capacity(m.size() as usize);
        m.read_to_end(&mut b).map_err(|e| GeoError::io(&path, e))?;
        units.push(Unit {
            label: format!("{}:{name}", f.name),
            bytes: b,
        });
    }
    Ok(Opened::Members(units))
}

/// Read until `buf` holds `want` bytes or the stream ends; false at the end. (Reads into the
/// buffer's spare capacity: nothing is zeroed first.)
pub(crate) fn fill(r: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    let need = want.saturating_sub(buf.len());
    if need == 0 {
        return Ok(true);
    }
    let got = r.take(need as u64).read_to_end(buf)?;
    Ok(got == need)
}

/// Column positions of a postcode directory (ONS May 2022 lookup, ONSPD, NSPL).
#[derive(Debug, Clone, Default)]
pub(crate) struct DirCols {
    pub postcode: usize,
    pub dointr: Option<usize>,
    pub doterm: Option<usize>,
    pub usertype: Option<usize>,
    pub oa11: Option<usize>,
    pub lsoa11: Option<usize>,
    pub msoa11: Option<usize>,
    pub lad: Option<usize>,
    pub ward: Option<usize>,
    pub lsoa21: Option<usize>,
    pub lat: Option<usize>,
    pub long: Option<usize>,
}

/// One index of deprivation: the LSOA code column and, for the overall index and its seven
/// domains (in `DOMAINS` order, overall first), the decile, rank and score columns.
#[derive(Debug, Clone)]
pub(crate) struct ImdCols {
    pub code: usize,
    pub decile: [Option<usize>; 8],
    pub rank: [Option<usize>; 8],
    pub score: [Option<usize>; 8],
}

/// What a source is, recognised from its header.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Directory(DirCols),
    /// Postcode, latitude, longitude.
    LatLong {
        postcode: usize,
        lat: usize,
        long: usize,
    },
    /// OS Code-Point Open: postcode, 2025 district and ward. `header` false for the official
    /// headerless CSVs (fixed column positions).
    CodePoint {
        postcode: usize,
        lad: usize,
        ward: usize,
        header: bool,
    },
    Imd2019(ImdCols),
    Iod2025(ImdCols),
    Lsoa11To21 {
        lsoa11: usize,
        lsoa21: usize,
        change: usize,
    },
    Lsoa11Names {
        lsoa11: usize,
        name: usize,
        msoa11: Option<usize>,
        msoa11_name: Option<usize>,
        lad: Option<usize>,
    },
    LadNames {
        code: usize,
        name: usize,
    },
    LadRegion {
        lad: usize,
        lad_name: Option<usize>,
        region: usize,
        region_name: Option<usize>,
    },
    WardNames {
        code: usize,
        name: usize,
    },
    /// A GeoJSON FeatureCollection of 2021 LSOAs (`LSOA21CD`).
    Lsoa21Boundaries,
    /// A GeoJSON FeatureCollection of wards (`WD25CD` or earlier years).
    WardBoundaries,
    Unused,
}

impl Kind {
    /// A short name for build reports.
    pub(crate) fn label(&self) -> &'static str {
        match self {
            Kind::Directory(_) => "postcode directory",
            Kind::LatLong { .. } => "postcode coordinates",
            Kind::CodePoint { .. } => "Code-Point Open",
            Kind::Imd2019(_) => "IMD 2019 (LSOA 2011)",
            Kind::Iod2025(_) => "IoD 2025 (LSOA 2021)",
            Kind::Lsoa11To21 { .. } => "LSOA 2011 to 2021 lookup",
            Kind::Lsoa11Names { .. } => "LSOA 2011 names",
            Kind::LadNames { .. } => "district names",
            Kind::LadRegion { .. } => "district to region",
            Kind::WardNames { .. } => "ward names",
            Kind::Lsoa21Boundaries => "LSOA 2021 boundaries",
            Kind::WardBoundaries => "ward boundaries",
            Kind::Unused => "not used",
        }
    }
}

/// The domain names, overall index first, in the order of `ImdCols` arrays.
pub const DOMAINS: [&str; 8] = [
    "IMD",
    "Income",
    "Employment",
    "Education, Skills and Training",
    "Health Deprivation and Disability",
    "Crime",
    "Barriers to Housing and Services",
    "Living Environment",
];

fn is_year_code(h: &str, prefix: &str, suffix: &str) -> bool {
    h.strip_prefix(prefix)
        .and_then(|r| r.strip_suffix(suffix))
        .is_some_and(|y| y.len() == 2 && y.bytes().all(|b| b.is_ascii_digit()))
}

fn domain_of(h: &str) -> Option<usize> {
    if h.contains("sub-domain")
        || h.contains("subdomain")
        || h.contains("idaci")
        || h.contains("idaopi")
        || h.contains("affecting")
    {
        return None;
    }
    if h.starts_with("imd") || h.contains("index of multiple deprivation") {
        Some(0)
    } else if h.starts_with("income") {
        Some(1)
    } else if h.starts_with("employment") {
        Some(2)
    } else if h.starts_with("education") {
        Some(3)
    } else if h.starts_with("health") {
        Some(4)
    } else if h.starts_with("crime") {
        Some(5)
    } else if h.contains("housing") {
        Some(6)
    } else if h.contains("environment") {
        Some(7)
    } else {
        None
    }
}

fn imd_cols(h: &[String], code: usize) -> Option<ImdCols> {
    let mut c = ImdCols {
        code,
        decile: [None; 8],
        rank: [None; 8],
        score: [None; 8],
    };
    for (i, name) in h.iter().enumerate() {
        let Some(d) = domain_of(name) else { continue };
        if name.contains("decile") {
            c.decile[d].get_or_insert(i);
        } else if name.contains("rank") && !name.contains("average") {
            c.rank[d].get_or_insert(i);
        } else if name.contains("score") {
            c.score[d].get_or_insert(i);
        }
    }
    (c.decile[0].is_some() && c.rank[0].is_some()).then_some(c)
}

/// Recognise a CSV by its header (lower-cased, trimmed).
pub(crate) fn classify_csv(h: &[String], first_row: &[String]) -> Kind {
    let find = |names: &[&str]| h.iter().position(|x| names.contains(&x.as_str()));
    let find_by = |f: &dyn Fn(&str) -> bool| h.iter().position(|x| f(x));
    let postcode = find(&["pcds", "pcd", "pcd7", "pcd8", "postcode"]);
    if let Some(pc) = postcode {
        let ward_cp = find(&["admin_ward_code"]);
        let lad_cp = find(&["admin_district_code"]);
        if let (Some(ward), Some(lad)) = (ward_cp, lad_cp) {
            return Kind::CodePoint {
                postcode: pc,
                lad,
                ward,
                header: true,
            };
        }
        let d = DirCols {
            postcode: pc,
            dointr: find(&["dointr"]),
            doterm: find(&["doterm"]),
            usertype: find(&["usertype", "usrtypind"]),
            oa11: find(&["oa11", "oa11cd"]),
            lsoa11: find(&["lsoa11", "lsoa11cd"]),
            msoa11: find(&["msoa11", "msoa11cd"]),
            lad: find(&["ladcd", "laua", "oslaua"])
                .or_else(|| find_by(&|x| is_year_code(x, "lad", "cd"))),
            ward: find(&["osward"]).or_else(|| find_by(&|x| is_year_code(x, "wd", "cd"))),
            lsoa21: find(&["lsoa21", "lsoa21cd"]),
            lat: find(&["lat"]),
            long: find(&["long", "lon"]),
        };
        if d.oa11.is_some()
            || d.lsoa11.is_some()
            || d.lad.is_some()
            || d.doterm.is_some()
            || d.lsoa21.is_some()
        {
            return Kind::Directory(d);
        }
        if let (Some(lat), Some(long)) = (d.lat, d.long) {
            return Kind::LatLong {
                postcode: pc,
                lat,
                long,
            };
        }
        return Kind::Unused;
    }
    // Official Code-Point Open CSVs have no header: 10 columns, a postcode first.
    if h.len() == 10 && anchornet_core::Postcode::parse(&h[0]).is_ok() && first_row.len() == 10 {
        return Kind::CodePoint {
            postcode: 0,
            lad: 8,
            ward: 9,
            header: false,
        };
    }
    let lsoa11 = find(&["lsoa11_code", "lsoa11cd", "lsoa code (2011)", "lsoa11"]);
    let lsoa21 = find(&["lsoa21_code", "lsoa21cd", "lsoa code (2021)", "lsoa21"]);
    let change = find(&["change_code", "chgind"]);
    if let (Some(a), Some(b), Some(c)) = (lsoa11, lsoa21, change) {
        return Kind::Lsoa11To21 {
            lsoa11: a,
            lsoa21: b,
            change: c,
        };
    }
    if let Some(code) = lsoa11.filter(|_| lsoa21.is_none()) {
        if let Some(c) = imd_cols(h, code) {
            return Kind::Imd2019(c);
        }
        if let Some(name) = find(&["lsoa11nm", "lsoa11_name", "lsoa name (2011)"]) {
            return Kind::Lsoa11Names {
                lsoa11: code,
                name,
                msoa11: find(&["msoa11cd", "msoa11_code"]),
                msoa11_name: find(&["msoa11nm", "msoa11_name"]),
                lad: find(&["ladcd"]).or_else(|| find_by(&|x| is_year_code(x, "lad", "cd"))),
            };
        }
        return Kind::Unused;
    }
    if let Some(code) = lsoa21.filter(|_| lsoa11.is_none()) {
        if let Some(c) = imd_cols(h, code) {
            return Kind::Iod2025(c);
        }
        let ward = find_by(&|x| is_year_code(x, "ward", "_code") || is_year_code(x, "wd", "cd"));
        let wname = find_by(&|x| is_year_code(x, "ward", "_name") || is_year_code(x, "wd", "nm"));
        if let (Some(code), Some(name)) = (ward, wname) {
            return Kind::WardNames { code, name };
        }
        return Kind::Unused;
    }
    let lad = find(&["ladcd"])
        .or_else(|| find_by(&|x| is_year_code(x, "lad", "cd") || is_year_code(x, "ltla", "_code")));
    let lad_name = find(&["ladnm"])
        .or_else(|| find_by(&|x| is_year_code(x, "lad", "nm") || is_year_code(x, "ltla", "_name")));
    let region = find_by(&|x| is_year_code(x, "region", "_code") || is_year_code(x, "rgn", "cd"));
    let region_name =
        find_by(&|x| is_year_code(x, "region", "_name") || is_year_code(x, "rgn", "nm"));
    if let (Some(lad), Some(region)) = (lad, region) {
        return Kind::LadRegion {
            lad,
            lad_name,
            region,
            region_name,
        };
    }
    if let (Some(code), Some(name)) = (lad, lad_name) {
        return Kind::LadNames { code, name };
    }
    Kind::Unused
}

/// Recognise a GeoJSON file by the property names in its first kilobytes.
pub(crate) fn classify_geojson(b: &[u8]) -> Kind {
    let head = &b[..b.len().min(8192)];
    let has = |s: &[u8]| memchr::memmem::find(head, s).is_some();
    if has(b"\"LSOA21CD\"") {
        Kind::Lsoa21Boundaries
    } else if has(b"\"WD25CD\"") || has(b"\"WD24CD\"") || has(b"\"WD23CD\"") || has(b"\"WD22CD\"") {
        Kind::WardBoundaries
    } else {
        Kind::Unused
    }
}

/// Header and first data row of a CSV, lower-cased and trimmed.
pub(crate) fn csv_head(b: &[u8]) -> (Vec<String>, Vec<String>) {
    let b = crate::csvfast::strip_bom(b);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(b);
    let mut rows = r.records().take(2).filter_map(Result::ok);
    let norm = |rec: csv::StringRecord| -> Vec<String> {
        rec.iter().map(|s| s.trim().to_ascii_lowercase()).collect()
    };
    let h = rows.next().map(norm).unwrap_or_default();
    let f = rows.next().map(norm).unwrap_or_default();
    (h, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(s: &str) -> Vec<String> {
        s.split(',')
            .map(|x| x.trim().to_ascii_lowercase())
            .collect()
    }

    /// Headers of the official releases a quarterly refresh uses (ONS Postcode Directory,
    /// National Statistics Postcode Lookup, IoD 2025 File 7), and of the bundled files.
    #[test]
    fn recognises_official_releases() {
        let onspd = head("pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,oshlthau,nhser,ctry,rgn,streg,pcon,eer,teclec,ttwa,pct,itl,statsward,oa11,casward,national_park,lsoa11,msoa11,ur01ind,oac11,ward98,oa21,lsoa21,msoa21,lat,long");
        let Kind::Directory(d) = classify_csv(&onspd, &[]) else {
            panic!()
        };
        assert_eq!(
            (d.postcode, d.lad, d.ward, d.lsoa11, d.lsoa21, d.usertype),
            (0, Some(7), Some(8), Some(29), Some(35), Some(10))
        );
        assert_eq!((d.lat, d.long), (Some(37), Some(38)));
        let nspl = head("pcd7,pcd8,pcds,dointr,doterm,usrtypind,east1m,north1m,gridind,oa21cd,cty25cd,ced25cd,lad25cd,wd25cd,nparkcd,hlth19cd,ctry25cd,rgn25cd,pcon24cd,ttwa15cd,itl25cd,npark16cd,oa11cd,lsoa11cd,msoa11cd,wz11cd,sicbl24cd,bua24cd,lsoa21cd,msoa21cd,ruc21ind,lat,long,imd20ind");
        let Kind::Directory(d) = classify_csv(&nspl, &[]) else {
            panic!()
        };
        assert_eq!(
            (d.lad, d.ward, d.oa11, d.lsoa21, d.usertype, d.lat),
            (Some(12), Some(13), Some(22), Some(28), Some(5), Some(31))
        );
        let file7 = head("LSOA code (2021),LSOA name (2021),Local Authority District code (2024),Local Authority District name (2024),Index of Multiple Deprivation (IMD) Score,Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived),Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs),Income Score (rate),Income Rank (where 1 is most deprived),Income Decile (where 1 is most deprived 10% of LSOAs),Income Deprivation Affecting Children Index (IDACI) Score (rate),Living Environment Score,Living Environment Rank (where 1 is most deprived),Living Environment Decile (where 1 is most deprived 10% of LSOAs)");
        let Kind::Iod2025(c) = classify_csv(&file7, &[]) else {
            panic!()
        };
        assert_eq!(
            (c.code, c.score[0], c.rank[0], c.decile[0]),
            (0, Some(4), Some(5), Some(6))
        );
        assert_eq!(
            (c.score[1], c.rank[1], c.decile[1]),
            (Some(7), Some(8), Some(9))
        );
        assert_eq!(
            (c.score[7], c.rank[7], c.decile[7]),
            (Some(11), Some(12), Some(13))
        );
        let bundled19 = head("lsoa11_code,IMD_decile,Income_decile,Employment_decile,Education_decile,Health_decile,Crime_decile,Housing_and_Access_decile,Environment_decile,IMD_rank,Income_rank");
        let Kind::Imd2019(c) = classify_csv(&bundled19, &[]) else {
            panic!()
        };
        assert_eq!(
            (c.decile[0], c.decile[6], c.rank[0], c.rank[1], c.score[0]),
            (Some(1), Some(7), Some(9), Some(10), None)
        );
        let lookup = head("LSOA11CD,LSOA11NM,CHGIND,LSOA21CD,LSOA21NM,LAD22CD,LAD22NM,ObjectId");
        assert!(matches!(
            classify_csv(&lookup, &[]),
            Kind::Lsoa11To21 {
                lsoa11: 0,
                lsoa21: 3,
                change: 2
            }
        ));
        let cp = head("AB10 1AB,10,394235,806529,S92000003,,S08000020,,S12000033,S13002842");
        assert!(matches!(
            classify_csv(&cp, &cp),
            Kind::CodePoint {
                header: false,
                lad: 8,
                ward: 9,
                ..
            }
        ));
        assert!(matches!(
            classify_csv(&head("pcds,lat,long"), &[]),
            Kind::LatLong { .. }
        ));
        assert!(matches!(
            classify_csv(
                &head("ltla24_name,ltla24_code,region24_name,region24_code"),
                &[]
            ),
            Kind::LadRegion {
                lad: 1,
                region: 3,
                ..
            }
        ));
        assert!(matches!(
            classify_csv(&head("LAD24CD,LAD24NM,LAD24NMW"), &[]),
            Kind::LadNames { code: 0, name: 1 }
        ));
        assert!(matches!(
            classify_csv(&head("lsoa21_code,ruc21_code,classification"), &[]),
            Kind::Unused
        ));
    }
}
