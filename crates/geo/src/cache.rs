//! Where the index lives: built from the bundled reference files on first use into a cache
//! directory, reopened in place (memory map) afterwards, rebuilt when a source file changes.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::build::{self, BuildStats};
use crate::index::{Backing, GeoIndex};
use crate::{GeoError, Sources};

/// The index file name inside the cache directory (the number is the format version; v4
/// holds the directory's pre-standard historic postcodes, `NPT`, `W1M`…, which v3 skipped).
pub const INDEX_FILE: &str = "geo-index-v4.bin";

pub use anchornet_core::cache::default_cache_dir;

/// The bundled reference files: `$ANCHORNET_REFERENCE_DIR`, else the repository's
/// `data/reference` (fixed when the crate is compiled).
pub fn default_reference_dir() -> PathBuf {
    match std::env::var_os("ANCHORNET_REFERENCE_DIR").filter(|v| !v.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => {
            let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/reference"));
            p.canonicalize().unwrap_or(p)
        }
    }
}

/// Where to find the reference files and where to keep the built index.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// The official files to build from (unless the cache holds an index built by an
    /// explicit `build --from` whose files are unchanged).
    pub reference_dir: PathBuf,
    /// Where the index file is kept.
    pub cache_dir: PathBuf,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            reference_dir: default_reference_dir(),
            cache_dir: default_cache_dir(),
        }
    }
}

impl GeoIndex {
    /// Open the index from the default cache, building it from the bundled reference files
    /// first if there is none or a source file changed (see [`OpenOptions::default`]).
    pub fn open_default() -> Result<GeoIndex, GeoError> {
        GeoIndex::open(&OpenOptions::default())
    }

    /// Open the index kept in `opts.cache_dir`, (re)building it when needed: when there is no
    /// usable index file, or the files it was built from changed (names, sizes or
    /// modification times). An index built by [`GeoIndex::build_into_cache`] (`anchornet geo
    /// build --from DIR`) is kept while DIR's files are unchanged, even though it differs
    /// from the reference directory; if DIR changed it is rebuilt from DIR, and if DIR is
    /// gone, from the reference directory. If the reference directory cannot be read but an
    /// index file exists, that index is used as it is.
    pub fn open(opts: &OpenOptions) -> Result<GeoIndex, GeoError> {
        if let Some(ix) = GeoIndex::cached(opts)? {
            return Ok(ix);
        }
        // Several processes starting at once (test binaries, a CLI beside the web server)
        // would each build: the first takes a lock file, the others wait for its index.
        let lock = BuildLock::acquire(&opts.cache_dir);
        if lock.is_none() {
            if let Some(ix) = GeoIndex::cached(opts)? {
                return Ok(ix);
            }
        }
        let path = opts.cache_dir.join(INDEX_FILE);
        if let Ok(ix) = GeoIndex::load(&path) {
            let m = ix.meta();
            if m.pinned && m.sources.dir.is_dir() {
                let dir = m.sources.dir.clone();
                drop(ix);
                return GeoIndex::build_into_cache(&dir, &opts.cache_dir, true).map(|(ix, _)| ix);
            }
        }
        let sources = Sources::discover(&opts.reference_dir)?;
        let (ix, _) = GeoIndex::build_sources(&sources, Some(&opts.cache_dir), false)?;
        drop(lock);
        Ok(ix)
    }

    /// The cached index if it can be used as it is.
    fn cached(opts: &OpenOptions) -> Result<Option<GeoIndex>, GeoError> {
        let path = opts.cache_dir.join(INDEX_FILE);
        let Ok(ix) = GeoIndex::load(&path) else {
            return Ok(None);
        };
        let wanted = Sources::discover(&opts.reference_dir);
        let m = ix.meta();
        let fresh = matches!(&wanted, Ok(w) if m.sources == *w);
        // Without its reference files (an installed binary away from the repository), a
        // built index is still the best answer there is.
        Ok((fresh || (m.pinned && m.sources.unchanged()) || wanted.is_err()).then_some(ix))
    }

    /// Open an index file as it is (memory-mapped), without checking its sources.
    pub fn load(path: &Path) -> Result<GeoIndex, GeoError> {
        let file = std::fs::File::open(path).map_err(|e| GeoError::io(path, e))?;
        // SAFETY: index files are only ever replaced by rename, never written in place, so
        // the mapped bytes do not change while mapped.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| GeoError::io(path, e))?;
        GeoIndex::from_backing(Backing::Map(map), Some(path.to_path_buf()))
    }

    /// Build an index from the official files in `dir`, in memory (no cache file).
    pub fn build_from(dir: &Path) -> Result<GeoIndex, GeoError> {
        let sources = Sources::discover(dir)?;
        GeoIndex::build_sources(&sources, None, false).map(|(ix, _)| ix)
    }

    /// Build from `dir` into the cache directory, replacing the index there; with `pinned`,
    /// later opens keep using it while `dir`'s files are unchanged. This is
    /// `anchornet geo build --from DIR`, for a newer official release.
    pub fn build_into_cache(
        dir: &Path,
        cache_dir: &Path,
        pinned: bool,
    ) -> Result<(GeoIndex, BuildStats), GeoError> {
        let sources = Sources::discover(dir)?;
        GeoIndex::build_sources(&sources, Some(cache_dir), pinned)
    }

    fn build_sources(
        sources: &Sources,
        cache_dir: Option<&Path>,
        pinned: bool,
    ) -> Result<(GeoIndex, BuildStats), GeoError> {
        let (words, stats) = build::build(sources, pinned)?;
        if let Some(dir) = cache_dir {
            if let Ok(path) = save(&words, dir) {
                drop(words);
                return GeoIndex::load(&path).map(|ix| (ix, stats));
            }
        }
        // No writable cache: the index stays in memory for this run.
        GeoIndex::from_backing(Backing::Owned(words), None).map(|ix| (ix, stats))
    }
}

/// Write atomically: a temporary file in the same directory, then rename.
fn save(words: &[u64], dir: &Path) -> Result<PathBuf, GeoError> {
    let path = dir.join(INDEX_FILE);
    write_atomic_file(&path, crate::store::bytes_of(words)).map_err(|e| GeoError::io(&path, e))?;
    Ok(path)
}

/// Write `bytes` to `path` atomically: a temporary file in the same directory (created if
/// need be), synced, then renamed over `path`; the temporary file is removed on failure.
pub(crate) fn write_atomic_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map_or_else(|| "file".to_string(), |n| n.to_string_lossy().into_owned());
    // Unique per process and call: threads of one process may write the same file at once.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!("{name}.{}.{n}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A lock file beside the index while one process builds it.
struct BuildLock(PathBuf);

impl BuildLock {
    /// Take the lock, waiting while another process holds it (up to two minutes; a lock older
    /// than that is taken to be left by a process that died). `None` when this process waited
    /// for another's build, or cannot create the lock: it then checks the cache again.
    fn acquire(dir: &Path) -> Option<BuildLock> {
        let path = dir.join(format!("{INDEX_FILE}.lock"));
        std::fs::create_dir_all(dir).ok()?;
        let start = std::time::Instant::now();
        let mut waited = false;
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(_) if !waited => return Some(BuildLock(path)),
                Ok(_) => {
                    // The other build finished: let the caller look at its index first.
                    let _ = std::fs::remove_file(&path);
                    return None;
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let age = std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .unwrap_or_default();
                    if age > std::time::Duration::from_secs(120)
                        || start.elapsed() > std::time::Duration::from_secs(120)
                    {
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    waited = true;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(_) => return None,
            }
        }
    }
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
