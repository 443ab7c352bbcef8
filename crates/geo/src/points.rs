//! Points to areas: the 2021 LSOA and the 2025 ward that contain a point (WGS84 longitude and
//! latitude), by point in polygon on the ONS boundary files (generalised, CRS84 — the same
//! files the index is built from, `lsoa21_boundaries_england_wales.geojson.xz` and
//! `ward25_boundaries_uk.geojson.xz`). For an asset register's coordinates; a National Grid
//! easting and northing is converted first with [`crate::osgb::grid_to_wgs84`].

use std::io::Read;
use std::path::Path;

use crate::pip::{Grid, Poly};
use crate::GeoError;

/// The bundled ward boundary file.
pub const WARD25_FILE: &str = "ward25_boundaries_uk.geojson.xz";

/// An area found for a point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointArea {
    /// Code (`E01…` LSOA, `E05…` ward).
    pub code: String,
    /// Name, where the boundary file gives it.
    pub name: String,
    /// The district the area lies in, where the boundary file gives it.
    pub lad: String,
}

struct Layer {
    areas: Vec<PointArea>,
    polys: Vec<Poly>,
    grid: Grid,
}

impl Layer {
    fn at(&self, lon: f64, lat: f64) -> Option<&PointArea> {
        let hits = self.grid.find(&self.polys, lon, lat);
        match hits.as_slice() {
            [one] => Some(&self.areas[*one as usize]),
            // On a shared edge of two generalised outlines: the one whose edge is farther
            // (the point is deeper inside it).
            [_, ..] => hits
                .iter()
                .max_by(|a, b| {
                    let d = |i: u32| self.polys[i as usize].distance_m(lon, lat);
                    d(**a).total_cmp(&d(**b))
                })
                .map(|i| &self.areas[*i as usize]),
            [] => None,
        }
    }
}

/// The LSOA 2021 and ward 2025 outlines, ready for point lookups.
pub struct PointIndex {
    lsoa: Layer,
    ward: Option<Layer>,
}

fn read_features(path: &Path) -> Result<Vec<crate::geojson::Feature>, GeoError> {
    let raw = std::fs::read(path).map_err(|e| GeoError::io(path, e))?;
    let text = if raw.starts_with(&[0xFD, b'7', b'z', b'X', b'Z', 0]) {
        let mut out = Vec::new();
        xz2::read::XzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| GeoError::io(path, e))?;
        out
    } else {
        raw
    };
    crate::geojson::features(&text).map_err(|e| GeoError::Source {
        path: path.to_path_buf(),
        message: format!("not a GeoJSON FeatureCollection: {e}"),
    })
}

fn layer(
    path: &Path,
    area: impl Fn(&crate::geojson::Props) -> Option<PointArea>,
) -> Result<Layer, GeoError> {
    let mut areas = Vec::new();
    let mut polys = Vec::new();
    for f in read_features(path)? {
        let Some(a) = area(&f.properties) else {
            continue;
        };
        if let Some(s) = f.take_shape() {
            areas.push(a);
            polys.push(Poly::new(s));
        }
    }
    if areas.is_empty() {
        return Err(GeoError::Source {
            path: path.to_path_buf(),
            message: "no features with the expected area codes".into(),
        });
    }
    let grid = Grid::new(&polys);
    Ok(Layer { areas, polys, grid })
}

impl PointIndex {
    /// Read the LSOA 2021 boundaries (features with `LSOA21CD`) and, if given, the ward
    /// boundaries (`WD25CD`, or the 2022–2024 codes), plain or `.xz`.
    pub fn open(lsoa21: &Path, wards: Option<&Path>) -> Result<PointIndex, GeoError> {
        let (lsoa, ward) = rayon::join(
            || {
                layer(lsoa21, |p| {
                    Some(PointArea {
                        code: p.LSOA21CD.clone()?,
                        name: p.LSOA21NM.clone().unwrap_or_default(),
                        lad: p.LADCD_ACTIVE.clone().unwrap_or_default(),
                    })
                })
            },
            || {
                wards
                    .map(|w| {
                        layer(w, |p| {
                            Some(PointArea {
                                code: p.WD25CD.clone()?,
                                name: p.WD25NM.clone().unwrap_or_default(),
                                lad: p
                                    .LAD25CD
                                    .clone()
                                    .or_else(|| p.LADCD_ACTIVE.clone())
                                    .unwrap_or_default(),
                            })
                        })
                    })
                    .transpose()
            },
        );
        Ok(PointIndex {
            lsoa: lsoa?,
            ward: ward?,
        })
    }

    /// The bundled boundary files of a reference directory (see [`crate::default_reference_dir`]).
    pub fn open_reference(dir: &Path) -> Result<PointIndex, GeoError> {
        let ward = dir.join(WARD25_FILE);
        PointIndex::open(
            &dir.join(crate::boundaries::LSOA21_FILE),
            ward.exists().then_some(ward.as_path()),
        )
    }

    /// The 2021 LSOA containing the point, if any.
    pub fn lsoa21_at(&self, lon: f64, lat: f64) -> Option<&PointArea> {
        self.lsoa.at(lon, lat)
    }

    /// The ward containing the point, if ward boundaries were read and one contains it.
    pub fn ward_at(&self, lon: f64, lat: f64) -> Option<&PointArea> {
        self.ward.as_ref().and_then(|w| w.at(lon, lat))
    }

    /// How many LSOA outlines were read.
    pub fn lsoa21_count(&self) -> usize {
        self.lsoa.areas.len()
    }
}
