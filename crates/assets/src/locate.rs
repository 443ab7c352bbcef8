//! Placing an asset: its 2021 LSOA, ward, district and IoD 2025 decile, from the best
//! evidence its row has, or why it cannot be placed.
//!
//! Evidence, best first:
//!
//! 1. **Coordinates** — the asset's own point, so the neighbourhood it stands in (a parcel of
//!    land often has no postcode, or the postcode of a nearby street): a National Grid
//!    easting and northing (converted to WGS84 by the Ordnance Survey's published method,
//!    [`anchornet_geo::osgb`]), a latitude and longitude, `GeoX`/`GeoY` read by the
//!    register's coordinate reference system or, where none is given, by their magnitude,
//!    or a WKT `POINT(x y)`. The LSOA and ward are those whose ONS boundary contains the
//!    point ([`PointIndex`]).
//! 2. **Postcode** — the register's postcode column, placed by the geography index
//!    ([`GeoIndex::lookup`]), as suppliers are.
//! 3. **A postcode inside the address text** (any address, street, town or name column).
//!
//! A UPRN would place an asset exactly, but that needs the ONS UPRN Directory (ONSUD) or OS
//! AddressBase, which are not among the bundled reference files: UPRNs are kept, not used.

use anchornet_core::{GssCode, Postcode};
use anchornet_geo::{osgb, GeoIndex, PointIndex};

use crate::fields::Field;
use crate::register::{Asset, Sheet};

/// How an asset was placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// A National Grid easting and northing, by point in polygon.
    GridPoint,
    /// A WGS84 latitude and longitude, by point in polygon.
    LatLongPoint,
    /// The register's postcode.
    Postcode,
    /// A postcode found in the address text.
    PostcodeInAddress,
}

impl Method {
    /// The name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::GridPoint => "point (British National Grid)",
            Method::LatLongPoint => "point (WGS84)",
            Method::Postcode => "postcode",
            Method::PostcodeInAddress => "postcode in address",
        }
    }
}

/// Why an asset could not be placed: the column and value that were tried last, and the reason
/// each piece of evidence failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Unplaced {
    /// The column (header) of the evidence tried.
    pub column: String,
    /// Its value.
    pub value: String,
    /// Why nothing placed the asset (each attempt, `; `-joined).
    pub reason: String,
}

/// Where an asset is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placement {
    /// How, or `None` with [`Placement::unplaced`] set.
    pub method: Option<Method>,
    /// The point used (longitude, latitude, WGS84), for coordinate placements and postcodes
    /// with coordinates.
    pub point: Option<(f64, f64)>,
    /// The postcode used, or the register's postcode beside a point.
    pub postcode: Option<Postcode>,
    /// 2021 LSOA code and name.
    pub lsoa21: Option<(String, String)>,
    /// Ward code and name.
    pub ward: Option<(String, String)>,
    /// District code and name.
    pub lad: Option<(String, String)>,
    /// IoD 2025 decile (1 = most deprived 10% of England's LSOAs).
    pub iod2025_decile: Option<u8>,
    /// When the register's postcode also places the asset: its LSOA (to compare with a point).
    pub postcode_lsoa21: Option<String>,
    /// Why it could not be placed.
    pub unplaced: Option<Unplaced>,
    /// Remarks (coordinates swapped, a point outside every LSOA and the postcode used…).
    pub notes: Vec<String>,
}

/// The coordinate reference system of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Crs {
    Wgs84,
    Grid,
}

fn crs_of(text: &str) -> Option<Crs> {
    let t = text.to_ascii_lowercase();
    if ["4326", "4258", "wgs", "etrs", "6709", "lat", "degree"]
        .iter()
        .any(|k| t.contains(k))
    {
        Some(Crs::Wgs84)
    } else if [
        "27700",
        "osgb",
        "bng",
        "national grid",
        "british",
        "ordnance",
        "os grid",
    ]
    .iter()
    .any(|k| t.contains(k))
    {
        Some(Crs::Grid)
    } else {
        None
    }
}

fn number(s: &str) -> Option<f64> {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    let v: f64 = t.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Great Britain and its islands in WGS84, with a margin (Scilly to Shetland).
fn in_gb(lon: f64, lat: f64) -> bool {
    (-9.0..=2.5).contains(&lon) && (49.0..=61.5).contains(&lat)
}

/// A pair read as (longitude, latitude) in WGS84, the system it was in, and a remark.
type Read = ((f64, f64), Crs, Option<String>);

/// Read a pair as (longitude, latitude) in WGS84, by the stated system or by magnitude.
fn as_wgs84(x: f64, y: f64, crs: Option<Crs>) -> Result<Read, String> {
    let wgs = |x: f64, y: f64| -> Option<((f64, f64), Option<String>)> {
        if in_gb(x, y) {
            Some(((x, y), None))
        } else if in_gb(y, x) {
            Some((
                (y, x),
                Some("longitude and latitude were given the other way round".into()),
            ))
        } else {
            None
        }
    };
    let grid = |x: f64, y: f64| -> Option<(f64, f64)> {
        osgb::is_grid(x, y).then(|| {
            let (lat, lon) = osgb::grid_to_wgs84(x, y);
            (lon, lat)
        })
    };
    match crs {
        Some(Crs::Wgs84) => wgs(x, y)
            .map(|(p, n)| (p, Crs::Wgs84, n))
            .ok_or_else(|| format!("({x}, {y}) is not a longitude and latitude in Great Britain")),
        Some(Crs::Grid) => grid(x, y)
            .map(|p| (p, Crs::Grid, None))
            .ok_or_else(|| format!("({x}, {y}) is not a National Grid easting and northing")),
        None => {
            if let Some((p, n)) = wgs(x, y) {
                Ok((p, Crs::Wgs84, n))
            } else if x.abs() <= 180.0 && y.abs() <= 180.0 {
                // Degrees, not metres: no grid point is within 180 m of the false origin.
                Err(format!(
                    "({x}, {y}) reads as a longitude and latitude outside Great Britain"
                ))
            } else if let Some(p) = grid(x, y) {
                Ok((p, Crs::Grid, None))
            } else {
                Err(format!(
                    "({x}, {y}) is neither a longitude and latitude in Great Britain nor a \
                     National Grid easting and northing"
                ))
            }
        }
    }
}

/// A WKT point: `POINT(x y)` (any case, spaces optional).
fn wkt_point(s: &str) -> Option<(f64, f64)> {
    let u = s.trim().to_ascii_uppercase();
    let inner = u
        .strip_prefix("POINT")?
        .trim()
        .strip_prefix('(')?
        .strip_suffix(')')?;
    let mut it = inner.split_whitespace();
    let x = number(it.next()?)?;
    let y = number(it.next()?)?;
    Some((x, y))
}

/// The coordinate evidence of a row: `Ok(None)` when it has none; `Err` (column, value,
/// reason) when it has some that cannot be read.
fn coordinates(sheet: &Sheet, a: &Asset) -> Result<Option<Read>, (String, String, String)> {
    let col = |f: Field| sheet.columns.get(f).map(|i| sheet.header[i].clone());
    let pairs = [
        (Field::Easting, Field::Northing, Some(Crs::Grid)),
        (Field::Longitude, Field::Latitude, Some(Crs::Wgs84)),
        (Field::X, Field::Y, crs_of(sheet.value(a, Field::Crs))),
    ];
    for (fx, fy, crs) in pairs {
        let (vx, vy) = (sheet.value(a, fx), sheet.value(a, fy));
        if vx.is_empty() && vy.is_empty() {
            continue;
        }
        let what = format!(
            "{},{}",
            col(fx).unwrap_or_default(),
            col(fy).unwrap_or_default()
        );
        let value = format!("{vx},{vy}");
        let (Some(x), Some(y)) = (number(vx), number(vy)) else {
            return Err((what, value, "coordinates are not two numbers".into()));
        };
        if x == 0.0 && y == 0.0 {
            // A placeholder some registers write for "no coordinates".
            continue;
        }
        return as_wgs84(x, y, crs).map(Some).map_err(|r| (what, value, r));
    }
    let p = sheet.value(a, Field::Point);
    if !p.is_empty() {
        let what = col(Field::Point).unwrap_or_default();
        let Some((x, y)) = wkt_point(p) else {
            return Err((what, p.to_string(), "not a WKT POINT(x y)".into()));
        };
        return as_wgs84(x, y, None)
            .map(Some)
            .map_err(|r| (what, p.to_string(), r));
    }
    Ok(None)
}

/// What locating needs: the postcode index and the boundaries.
pub struct Locator<'a> {
    /// The postcode index.
    pub geo: &'a GeoIndex,
    /// LSOA and ward boundaries.
    pub points: &'a PointIndex,
}

impl Locator<'_> {
    fn district(&self, code: &str) -> Option<(String, String)> {
        if code.is_empty() {
            return None;
        }
        let name = GssCode::parse(code)
            .ok()
            .and_then(|c| self.geo.district_name(&c).map(str::to_string))
            .unwrap_or_default();
        Some((code.to_string(), name))
    }

    /// Place a point (longitude, latitude), or say why it is in no LSOA.
    fn by_point(&self, lon: f64, lat: f64, p: &mut Placement) -> Result<(), String> {
        let Some(l) = self.points.lsoa21_at(lon, lat) else {
            return Err(format!(
                "the point ({lon:.6}, {lat:.6}) lies inside no 2021 LSOA boundary (outside \
                 England and Wales, or off the generalised coastline)"
            ));
        };
        p.point = Some((lon, lat));
        p.lsoa21 = Some((l.code.clone(), l.name.clone()));
        p.lad = self.district(&l.lad);
        p.ward = self
            .points
            .ward_at(lon, lat)
            .map(|w| (w.code.clone(), w.name.clone()));
        p.iod2025_decile = self.geo.iod2025_of(&l.code).map(|d| d.decile);
        Ok(())
    }

    /// Place a postcode, or say why not.
    fn by_postcode(&self, pc: &Postcode, p: &mut Placement) -> Result<(), String> {
        let l = self
            .geo
            .lookup(pc)
            .ok_or_else(|| format!("unknown postcode {pc}: {}", self.geo.why_unknown(pc)))?;
        let Some(lsoa) = l.lsoa21 else {
            return Err(format!(
                "postcode {pc} has no 2021 LSOA: {}",
                l.iod2025_note().unwrap_or_default()
            ));
        };
        p.postcode = Some(*pc);
        p.lsoa21 = Some((lsoa.code.to_string(), lsoa.name.unwrap_or("").to_string()));
        p.ward = l
            .ward
            .map(|w| (w.code.to_string(), w.name.unwrap_or("").to_string()));
        p.lad = l
            .lad
            .map(|d| (d.code.to_string(), d.name.unwrap_or("").to_string()));
        p.iod2025_decile = l.iod2025.as_ref().map(|d| d.decile);
        p.point = l.long.zip(l.lat);
        Ok(())
    }

    /// The register's postcode column, parsed; `Err` says why it is not a postcode.
    fn postcode_column(sheet: &Sheet, a: &Asset) -> Option<Result<Postcode, String>> {
        let v = sheet.value(a, Field::Postcode);
        if v.is_empty() {
            return None;
        }
        Some(Postcode::parse(v).map_err(|e| {
            if anchornet_core::postcode::is_valid_outward(v) {
                format!("'{v}' is a postcode district only, not a full postcode")
            } else {
                format!("'{v}' is not a postcode: {e}")
            }
        }))
    }

    /// The address text of a row: address columns, then number, street, town and name.
    fn address_text(sheet: &Sheet, a: &Asset) -> String {
        let mut parts = Vec::new();
        for f in [
            Field::Name,
            Field::StreetNumber,
            Field::Street,
            Field::Address,
            Field::Town,
        ] {
            parts.extend(sheet.values(a, f));
        }
        parts.join(", ")
    }

    /// Place one asset.
    pub fn place(&self, sheet: &Sheet, a: &Asset) -> Placement {
        let mut p = Placement::default();
        let mut tried: Vec<String> = Vec::new();
        let mut last: Option<(String, String)> = None;
        // 1. Coordinates.
        match coordinates(sheet, a) {
            Ok(Some(((lon, lat), crs, note))) => {
                if let Some(n) = note {
                    p.notes.push(n);
                }
                match self.by_point(lon, lat, &mut p) {
                    Ok(()) => {
                        p.method = Some(match crs {
                            Crs::Grid => Method::GridPoint,
                            Crs::Wgs84 => Method::LatLongPoint,
                        });
                    }
                    Err(e) => tried.push(e),
                }
            }
            Ok(None) => {}
            Err((col, value, reason)) => {
                tried.push(format!("{col} = {value}: {reason}"));
                last = Some((col, value));
            }
        }
        // 2. The postcode column (beside a point: kept to compare).
        let pc_col = sheet
            .columns
            .get(Field::Postcode)
            .map(|i| sheet.header[i].clone())
            .unwrap_or_default();
        match Self::postcode_column(sheet, a) {
            Some(Ok(pc)) => {
                if p.method.is_some() {
                    let mut q = Placement::default();
                    if self.by_postcode(&pc, &mut q).is_ok() {
                        p.postcode_lsoa21 = q.lsoa21.map(|l| l.0);
                    }
                    p.postcode = Some(pc);
                } else {
                    match self.by_postcode(&pc, &mut p) {
                        Ok(()) => {
                            p.postcode_lsoa21 = p.lsoa21.as_ref().map(|l| l.0.clone());
                            p.method = Some(Method::Postcode);
                        }
                        Err(e) => {
                            tried.push(e);
                            last = Some((pc_col.clone(), pc.to_string()));
                        }
                    }
                }
            }
            Some(Err(e)) if p.method.is_none() => {
                tried.push(e);
                last = Some((pc_col.clone(), sheet.value(a, Field::Postcode).to_string()));
            }
            Some(Err(_)) | None => {}
        }
        // 3. A postcode in the address text.
        if p.method.is_none() {
            let text = Self::address_text(sheet, a);
            match anchornet_resolve::registers::postcode_in(&text)
                .and_then(|s| Postcode::parse(&s).ok())
            {
                // The register's own postcode again: already tried above.
                Some(pc) if Some(pc) == Self::postcode_column(sheet, a).and_then(Result::ok) => {}
                Some(pc) => match self.by_postcode(&pc, &mut p) {
                    Ok(()) => p.method = Some(Method::PostcodeInAddress),
                    Err(e) => {
                        tried.push(e);
                        last = Some(("address".into(), text));
                    }
                },
                _ => {
                    if !text.is_empty() {
                        tried.push("no full postcode in the address".into());
                        if last.is_none() {
                            last = Some(("address".into(), text));
                        }
                    }
                }
            }
        }
        if p.method.is_none() {
            if tried.is_empty() {
                tried.push("the row has no coordinates, postcode or address".into());
            }
            let (column, value) = last.unwrap_or_default();
            p.unplaced = Some(Unplaced {
                column,
                value,
                reason: tried.join("; "),
            });
        } else if !tried.is_empty() {
            p.notes.extend(tried);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_by_system_and_by_magnitude() {
        let (p, c, n) = as_wgs84(-2.352, 53.388, None).unwrap();
        assert_eq!((p, c, n), ((-2.352, 53.388), Crs::Wgs84, None));
        let (p, c, n) = as_wgs84(53.388, -2.352, Some(Crs::Wgs84)).unwrap();
        assert_eq!((p, c), ((-2.352, 53.388), Crs::Wgs84));
        assert!(n.is_some());
        let (p, c, _) = as_wgs84(376_600.0, 387_900.0, None).unwrap();
        assert_eq!(c, Crs::Grid);
        assert!(
            (p.0 + 2.35).abs() < 0.01 && (p.1 - 53.39).abs() < 0.01,
            "{p:?}"
        );
        assert!(as_wgs84(376_600.0, 387_900.0, Some(Crs::Wgs84)).is_err());
        assert!(as_wgs84(12.5, 41.9, None).is_err()); // Rome
        assert_eq!(crs_of("EPSG:27700"), Some(Crs::Grid));
        assert_eq!(crs_of("WGS84"), Some(Crs::Wgs84));
        assert_eq!(crs_of(""), None);
        assert_eq!(wkt_point("POINT (-2.35 53.38)"), Some((-2.35, 53.38)));
        assert_eq!(number("376,600"), Some(376_600.0));
    }
}
