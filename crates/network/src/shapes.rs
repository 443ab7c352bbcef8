//! Area shapes for maps: the 2021 LSOA boundaries of a place, from the bundled ONS boundary
//! file (`data/reference/lsoa21_boundaries_england_wales.geojson.xz`, generalised, OGL v3.0,
//! contains OS data © Crown copyright and database right), thinned for a light SVG.

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;

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

#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Props,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct Props {
    #[serde(rename = "LSOA21CD")]
    code: String,
    #[serde(rename = "LSOA21NM")]
    name: String,
    #[serde(rename = "LADCD_ACTIVE")]
    lad: String,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
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
    let c: Collection = serde_json::from_slice(&text)
        .map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
    Ok(c.features
        .into_iter()
        .filter(|f| districts.contains(&f.properties.lad))
        .map(|f| {
            let rings = match f.geometry {
                Geometry::Polygon(r) => r,
                Geometry::MultiPolygon(p) => p.into_iter().flatten().collect(),
            };
            Shape {
                code: f.properties.code,
                name: f.properties.name,
                lad: f.properties.lad,
                rings: rings.into_iter().map(|r| thin(r, 0.0004)).collect(),
            }
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
