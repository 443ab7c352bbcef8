//! Area outlines for maps: the 2021 LSOA boundaries of a place, from the bundled ONS boundary
//! file (`data/reference/lsoa21_boundaries_england_wales.geojson.xz`, generalised, OGL v3.0,
//! contains OS data © Crown copyright and database right), read with the index's own
//! GeoJSON reader and thinned for a light SVG.
//!
//! Reading that file means decompressing and parsing every LSOA of England and Wales (about
//! 1.5 s), for the few hundred of one place. So the first reading keeps every thinned outline
//! in the cache directory ([`SHAPES_FILE`], beside the geography index), stamped with the
//! boundary file's path, size and modification time and checked by an XXH3 hash of its body;
//! later readings take the place's outlines from it in milliseconds. The outlines are the
//! same either way (each coordinate kept bit for bit). A cache that is missing, stale, damaged
//! or cannot be written is passed over: the boundary file is read as before.

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

/// One area's outline.
#[derive(Debug, Clone)]
pub struct Shape {
    /// LSOA 2021 code.
    pub code: String,
    /// LSOA 2021 name.
    pub name: String,
    /// District code.
    pub lad: String,
    /// Rings as (longitude, latitude).
    pub rings: Vec<Vec<[f64; 2]>>,
}

/// The bundled boundary file.
pub const LSOA21_FILE: &str = "lsoa21_boundaries_england_wales.geojson.xz";

/// Drop points closer than `tol` degrees to the last kept point (keeping each ring closed and
/// at least four points): enough for a report map, a fraction of the bytes.
fn thin(ring: Vec<[f64; 2]>, tol: f64) -> Vec<[f64; 2]> {
    if ring.len() <= 8 {
        return ring;
    }
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(ring.len() / 2);
    for (i, p) in ring.iter().enumerate() {
        let keep = match out.last() {
            None => true,
            Some(q) => i + 1 == ring.len() || (p[0] - q[0]).abs().max((p[1] - q[1]).abs()) >= tol,
        };
        if keep {
            out.push([(p[0] * 1e5).round() / 1e5, (p[1] * 1e5).round() / 1e5]);
        }
    }
    if out.len() < 4 {
        ring
    } else {
        out
    }
}

/// The outline cache's file name in the cache directory (the number is its format version).
pub const SHAPES_FILE: &str = "lsoa21-shapes-v1.bin";

/// The first bytes of [`SHAPES_FILE`].
const MAGIC: &[u8; 8] = b"ANSHAPE1";

/// The 2021 LSOAs of the given districts, read from `reference_dir` through the outline cache
/// in the default cache directory ([`crate::cache::default_cache_dir`]).
pub fn lsoa21_in(reference_dir: &Path, districts: &HashSet<String>) -> std::io::Result<Vec<Shape>> {
    lsoa21_in_cached(reference_dir, &crate::cache::default_cache_dir(), districts)
}

/// [`lsoa21_in`] with the outline cache kept in `cache_dir`, in the boundary file's order.
pub fn lsoa21_in_cached(
    reference_dir: &Path,
    cache_dir: &Path,
    districts: &HashSet<String>,
) -> std::io::Result<Vec<Shape>> {
    let path = reference_dir.join(LSOA21_FILE);
    let meta = std::fs::metadata(&path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    let stamp = stamp(&path, &meta);
    let cached = cache_dir.join(SHAPES_FILE);
    if let Some(shapes) = std::fs::read(&cached)
        .ok()
        .and_then(|b| decode(&b, &stamp, districts))
    {
        return Ok(shapes);
    }
    let all = lsoa21_all(&path)?;
    // Best effort: a cache that cannot be written costs the next run the reading, no more.
    let _ = crate::cache::write_atomic_file(&cached, &encode(&all, &stamp));
    Ok(all
        .into_iter()
        .filter(|s| districts.contains(&s.lad))
        .collect())
}

/// What identifies the boundary file a cache was made from: its path, size and modification
/// time.
fn stamp(path: &Path, meta: &std::fs::Metadata) -> Vec<u8> {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut out = abs.display().to_string().into_bytes();
    out.extend_from_slice(&meta.len().to_le_bytes());
    out.extend_from_slice(&mtime.to_le_bytes());
    out
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// The cache file: magic, stamp, body length and XXH3-128 hash, then the body (the outlines
/// in order: district, code, name, rings of points as the bits of two f64 each).
fn encode(shapes: &[Shape], stamp: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&(shapes.len() as u32).to_le_bytes());
    for s in shapes {
        put_str(&mut body, &s.lad);
        put_str(&mut body, &s.code);
        put_str(&mut body, &s.name);
        body.extend_from_slice(&(s.rings.len() as u32).to_le_bytes());
        for r in &s.rings {
            body.extend_from_slice(&(r.len() as u32).to_le_bytes());
            for p in r {
                body.extend_from_slice(&p[0].to_bits().to_le_bytes());
                body.extend_from_slice(&p[1].to_bits().to_le_bytes());
            }
        }
    }
    let mut out = Vec::with_capacity(body.len() + stamp.len() + 40);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(stamp.len() as u32).to_le_bytes());
    out.extend_from_slice(stamp);
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&twox_hash::XxHash3_128::oneshot(&body).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// A bounds-checked reader over the cache's bytes.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }
}

/// The outlines of `districts` from a cache file, if it is whole and made from the file
/// `stamp` names.
fn decode(bytes: &[u8], stamp: &[u8], districts: &HashSet<String>) -> Option<Vec<Shape>> {
    let mut c = Cursor(bytes);
    if c.take(8)? != MAGIC {
        return None;
    }
    let n = c.u32()? as usize;
    if c.take(n)? != stamp {
        return None;
    }
    let len = usize::try_from(c.u64()?).ok()?;
    let hash = u128::from_le_bytes(c.take(16)?.try_into().ok()?);
    let body = c.take(len)?;
    if !c.0.is_empty() || twox_hash::XxHash3_128::oneshot(body) != hash {
        return None;
    }
    let mut c = Cursor(body);
    let count = c.u32()?;
    let mut out = Vec::new();
    for _ in 0..count {
        let lad = c.str()?;
        let (code, name) = (c.str()?, c.str()?);
        let keep = districts.contains(lad);
        let nrings = c.u32()? as usize;
        let mut rings = Vec::new();
        for _ in 0..nrings {
            let npts = c.u32()? as usize;
            let pts = c.take(npts.checked_mul(16)?)?;
            if keep {
                rings.push(
                    pts.chunks_exact(16)
                        .map(|p| {
                            let x = u64::from_le_bytes(p[..8].try_into().expect("8 bytes"));
                            let y = u64::from_le_bytes(p[8..].try_into().expect("8 bytes"));
                            [f64::from_bits(x), f64::from_bits(y)]
                        })
                        .collect(),
                );
            }
        }
        if keep {
            out.push(Shape {
                code: code.to_string(),
                name: name.to_string(),
                lad: lad.to_string(),
                rings,
            });
        }
    }
    c.0.is_empty().then_some(out)
}

/// Every 2021 LSOA outline of the boundary file at `path`, thinned, in the file's order.
fn lsoa21_all(path: &Path) -> std::io::Result<Vec<Shape>> {
    let f = std::fs::File::open(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    let mut text = Vec::new();
    xz2::read::XzDecoder::new(std::io::BufReader::new(f)).read_to_end(&mut text)?;
    let features = crate::geojson::features(&text)
        .map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
    Ok(features
        .into_iter()
        .filter_map(|f| {
            let p = &f.properties;
            let lad = p.LADCD_ACTIVE.clone()?;
            let (code, name) = (p.LSOA21CD.clone()?, p.LSOA21NM.clone().unwrap_or_default());
            let shape = f.take_shape()?;
            let mut rings = Vec::with_capacity(shape.ring_ends.len());
            let mut start = 0usize;
            for &end in &shape.ring_ends {
                let ring = shape.pts[start..end as usize].to_vec();
                start = end as usize;
                rings.push(thin(ring, 0.0004));
            }
            Some(Shape {
                code,
                name,
                lad,
                rings,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An outline as comparable values, each coordinate by its bits.
    fn key(s: &Shape) -> (String, String, String, Vec<Vec<[u64; 2]>>) {
        let rings = s
            .rings
            .iter()
            .map(|r| r.iter().map(|p| [p[0].to_bits(), p[1].to_bits()]).collect())
            .collect();
        (s.code.clone(), s.name.clone(), s.lad.clone(), rings)
    }

    #[test]
    fn the_outline_cache_gives_what_the_boundary_file_gives() {
        let reference = crate::cache::default_reference_dir();
        let file = reference.join(LSOA21_FILE);
        let dir = tempfile::tempdir().unwrap();
        // Salford and Manchester.
        let districts: HashSet<String> = ["E08000006", "E08000003"].map(String::from).into();
        let direct: Vec<_> = lsoa21_all(&file)
            .unwrap()
            .iter()
            .filter(|s| districts.contains(&s.lad))
            .map(key)
            .collect();
        // Counted independently with Python's json and lzma on the bundled file: 161 LSOAs
        // have LADCD_ACTIVE E08000006 and 295 E08000003; the first and last in file order.
        assert_eq!(direct.len(), 161 + 295);
        assert_eq!(direct[0].0, "E01005061");
        assert_eq!(direct.last().unwrap().0, "E01033999");

        // The first reading writes the cache; every later one reads it.
        let first: Vec<_> = lsoa21_in_cached(&reference, dir.path(), &districts)
            .unwrap()
            .iter()
            .map(key)
            .collect();
        assert_eq!(first, direct);
        let cached = dir.path().join(SHAPES_FILE);
        let bytes = std::fs::read(&cached).unwrap();
        let stamp = stamp(&file, &std::fs::metadata(&file).unwrap());
        let from_cache: Vec<_> = decode(&bytes, &stamp, &districts)
            .expect("a whole cache")
            .iter()
            .map(key)
            .collect();
        assert_eq!(from_cache, direct);
        let again: Vec<_> = lsoa21_in_cached(&reference, dir.path(), &districts)
            .unwrap()
            .iter()
            .map(key)
            .collect();
        assert_eq!(again, direct);

        // Made from another file, damaged or cut short: passed over, and rewritten whole.
        assert!(decode(&bytes, b"another file", &districts).is_none());
        assert!(decode(&bytes[..bytes.len() - 1], &stamp, &districts).is_none());
        let mut damaged = bytes.clone();
        let last = damaged.len() - 3;
        damaged[last] ^= 0x40;
        assert!(decode(&damaged, &stamp, &districts).is_none());
        std::fs::write(&cached, &damaged).unwrap();
        let mended: Vec<_> = lsoa21_in_cached(&reference, dir.path(), &districts)
            .unwrap()
            .iter()
            .map(key)
            .collect();
        assert_eq!(mended, direct);
        assert_eq!(std::fs::read(&cached).unwrap(), bytes);
    }

    #[test]
    fn thinning_keeps_rings_closed() {
        let ring: Vec<[f64; 2]> = (0..=100)
            .map(|i| {
                let a = i as f64 / 100.0 * std::f64::consts::TAU;
                [a.cos() * 0.01, a.sin() * 0.01]
            })
            .collect();
        let t = thin(ring.clone(), 0.002);
        assert!(t.len() < ring.len() / 2 && t.len() >= 4, "{}", t.len());
        assert_eq!(t.first(), Some(&[1e-2, 0.0]));
        assert!((t.last().unwrap()[0] - 0.01).abs() < 1e-9);
    }
}
