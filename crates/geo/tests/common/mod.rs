//! Shared helpers for the tests on real files: the official files in `../shared/data` (beside
//! the repository) and one index per test binary, built from the bundled `data/reference`
//! into a temporary cache directory.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anchornet_geo::{GeoIndex, OpenOptions};

/// `../shared/data`, or `$ANCHORNET_SHARED_DATA`. Missing data is a test failure, not a skip:
/// CI always has `shared/` beside the clone.
pub fn shared() -> PathBuf {
    let p = std::env::var_os("ANCHORNET_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    assert!(
        p.is_dir(),
        "real data not found at {} (set ANCHORNET_SHARED_DATA)",
        p.display()
    );
    p
}

/// The bundled reference files.
pub fn reference() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/reference")
}

struct Built {
    index: GeoIndex,
    cache: tempfile::TempDir,
}

fn built() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        let cache = tempfile::tempdir().expect("temp dir");
        let opts = OpenOptions {
            reference_dir: reference(),
            cache_dir: cache.path().to_path_buf(),
        };
        let index = GeoIndex::open(&opts).expect("index builds from data/reference");
        Built { index, cache }
    })
}

/// The index, built once per test binary.
pub fn index() -> &'static GeoIndex {
    &built().index
}

/// The temporary cache directory the index was built into.
pub fn cache_dir() -> &'static Path {
    built().cache.path()
}

/// Lines of an official `.csv.xz` (or plain `.csv`) file, header first.
pub fn lines(path: &Path) -> Box<dyn Iterator<Item = String>> {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let r: Box<dyn std::io::Read> = if path.extension().is_some_and(|e| e == "xz") {
        Box::new(xz2::read::XzDecoder::new(f))
    } else {
        Box::new(f)
    };
    Box::new(
        BufReader::with_capacity(1 << 20, r)
            .lines()
            .map(|l| l.expect("readable line")),
    )
}

/// Rows of a simple official CSV (no quoted commas) keyed by its first column, for the keys
/// wanted.
pub fn rows_for(path: &Path, wanted: &dyn Fn(&str) -> bool) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    for line in lines(path).skip(1) {
        let key = line.split(',').next().unwrap_or("");
        if wanted(key) {
            out.insert(
                key.to_string(),
                line.split(',').map(str::to_string).collect(),
            );
        }
    }
    out
}
