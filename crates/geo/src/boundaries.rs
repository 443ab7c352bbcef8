//! Area outlines for maps: the 2021 LSOA boundaries of a place, from the bundled ONS boundary
//! file (`data/reference/lsoa21_boundaries_england_wales.geojson.xz`, generalised, OGL v3.0,
//! contains OS data © Crown copyright and database right), read with the index's own
//! GeoJSON reader and thinned for a light SVG.

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

/// The 2021 LSOAs of the given districts, read from `reference_dir`.
pub fn lsoa21_in(reference_dir: &Path, districts: &HashSet<String>) -> std::io::Result<Vec<Shape>> {
    let path = reference_dir.join(LSOA21_FILE);
    let f = std::fs::File::open(&path)
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
            if !districts.contains(&lad) {
                return None;
            }
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
