//! Places: named sets of districts (or circles) that spend is measured against — "local" and
//! "wider" in a network's analysis. Built in: every district (by name or GSS code), every
//! English region and combined authority, and the sets networks ask for by name; more come
//! from a TOML file.

use std::collections::BTreeSet;

use anchornet_core::{GssCode, Postcode};
use serde::{Deserialize, Serialize};

use crate::index::{GeoIndex, Location};

/// What a place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceKind {
    /// One local authority district.
    District,
    /// An English region.
    Region,
    /// A combined authority.
    CombinedAuthority,
    /// A set of districts built into Anchornet.
    Builtin,
    /// A set of districts from configuration.
    Custom,
    /// Everything within a distance of a point.
    Circle,
}

impl PlaceKind {
    /// The name used in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::District => "district",
            PlaceKind::Region => "region",
            PlaceKind::CombinedAuthority => "combined-authority",
            PlaceKind::Builtin => "builtin",
            PlaceKind::Custom => "custom",
            PlaceKind::Circle => "circle",
        }
    }
}

/// A circle: everything within `km` kilometres (great-circle distance) of a point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Circle {
    /// Latitude of the centre.
    pub lat: f64,
    /// Longitude of the centre.
    pub long: f64,
    /// Radius in kilometres.
    pub km: f64,
}

/// A named place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// Its name, e.g. "Greater Manchester".
    pub name: String,
    /// Its GSS code where it has one (districts, regions, combined authorities).
    pub code: Option<String>,
    /// What it is.
    pub kind: PlaceKind,
    /// Its districts (empty for a circle).
    pub districts: BTreeSet<GssCode>,
    /// For a circle, the centre and radius.
    pub circle: Option<Circle>,
    /// Where the definition comes from.
    pub source: String,
}

/// Mean Earth radius (IUGG), km.
const EARTH_KM: f64 = 6371.0088;

/// Great-circle distance in km (haversine).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_KM * a.sqrt().asin()
}

impl Place {
    /// A circle place.
    pub fn within_km(name: &str, lat: f64, long: f64, km: f64) -> Place {
        Place {
            name: name.to_string(),
            code: None,
            kind: PlaceKind::Circle,
            districts: BTreeSet::new(),
            circle: Some(Circle { lat, long, km }),
            source: format!("within {km} km of {lat:.5}, {long:.5}"),
        }
    }

    /// Whether a located postcode is in the place: its district now or as the directory gives
    /// it is one of the place's districts (so a place defined with pre-2023 district codes
    /// still matches), or, for a circle, its coordinates are within the radius (no
    /// coordinates: not in).
    pub fn contains(&self, loc: &Location) -> bool {
        if let Some(c) = self.circle {
            return match (loc.lat, loc.long) {
                (Some(a), Some(o)) => distance_km(c.lat, c.long, a, o) <= c.km,
                _ => false,
            };
        }
        loc.lad.is_some_and(|d| self.districts.contains(&d.code))
            || loc
                .directory_lad
                .is_some_and(|d| self.districts.contains(&d.code))
    }

    /// Whether a district is in the place (a circle contains no whole district).
    pub fn contains_district(&self, lad: &GssCode) -> bool {
        self.districts.contains(lad)
    }

    /// Whether an LSOA (2011 or 2021 code) is in the place: by its district, or for a circle
    /// by its centre (2021 LSOAs only). `None` when the index does not know the LSOA (or, for
    /// a circle, has no centre for it).
    pub fn contains_lsoa(&self, index: &GeoIndex, code: &str) -> Option<bool> {
        let info = index.lsoa(code)?;
        if let Some(c) = self.circle {
            let (a, o) = info.centre?;
            return Some(distance_km(c.lat, c.long, a, o) <= c.km);
        }
        Some(info.lad.is_some_and(|l| self.districts.contains(&l)))
    }
}

/// Why a place definition cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlaceError {
    /// The TOML does not parse, or has a key that means nothing here.
    #[error("places configuration: {0}")]
    Toml(String),
    /// A name that is no district, region, combined authority or place.
    #[error("place {place:?}: {name:?} is not a district name or code, region, combined authority or place")]
    Unknown {
        /// The place being defined.
        place: String,
        /// The name not found.
        name: String,
    },
    /// A circle without a centre or radius, or a centre that does not locate.
    #[error("place {place:?}: {message}")]
    Circle {
        /// The place being defined.
        place: String,
        /// What is wrong.
        message: String,
    },
}

/// Sets of districts networks ask for by name. Codes are ONS GSS codes of the districts as
/// at 2024; the tests check each against the district names in the index.
const BUILTIN_SETS: [(&str, &str, &[&str]); 6] = [
    (
        "Greater Manchester",
        "the ten Greater Manchester districts (Greater Manchester Combined Authority)",
        &["E08000001", "E08000002", "E08000003", "E08000004", "E08000005", "E08000006", "E08000007", "E08000008", "E08000009", "E08000010"],
    ),
    (
        "Lancashire-14",
        "Lancashire's twelve districts and the unitary Blackburn with Darwen and Blackpool (the Lancashire 14 councils)",
        &["E07000117", "E07000118", "E07000119", "E07000120", "E07000121", "E07000122", "E07000123", "E07000124", "E07000125", "E07000126", "E07000127", "E07000128", "E06000008", "E06000009"],
    ),
    (
        "Birmingham and Solihull",
        "Birmingham and Solihull (the NHS Birmingham and Solihull integrated care system)",
        &["E08000025", "E08000029"],
    ),
    (
        "North East Mayoral Combined Authority",
        "the seven districts of the North East Mayoral Combined Authority (from May 2024; the boundary files carry the older North East and North of Tyne authorities)",
        &["E06000047", "E08000037", "E08000021", "E08000022", "E06000057", "E08000023", "E08000024"],
    ),
    (
        "York and North Yorkshire",
        "York and North Yorkshire Combined Authority (from 2024)",
        &["E06000014", "E06000065"],
    ),
    (
        "East Midlands Combined County Authority",
        "Derby, Derbyshire, Nottingham and Nottinghamshire (from 2024)",
        &["E06000015", "E06000018", "E07000032", "E07000033", "E07000034", "E07000035", "E07000036", "E07000037", "E07000038", "E07000039", "E07000170", "E07000171", "E07000172", "E07000173", "E07000174", "E07000175", "E07000176"],
    ),
];

/// All places known: built in, and from configuration.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Places {
    list: Vec<Place>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceDef {
    /// District names or codes, or names of other places (their districts are added).
    #[serde(default)]
    districts: Vec<String>,
    /// A circle's radius.
    within_km: Option<f64>,
    /// A circle's centre, as a postcode.
    postcode: Option<String>,
    /// A circle's centre, as latitude and longitude.
    point: Option<[f64; 2]>,
}

impl Places {
    /// The built-in places: every district in the index (current and May 2022 codes), every
    /// region and combined authority, and the named sets (Greater Manchester, Lancashire-14,
    /// Birmingham and Solihull, and the combined authorities formed in 2024).
    pub fn builtin(index: &GeoIndex) -> Places {
        let mut list = Vec::new();
        let mut regions: std::collections::BTreeMap<String, (String, BTreeSet<GssCode>)> =
            Default::default();
        let mut cauths: std::collections::BTreeMap<String, (String, BTreeSet<GssCode>)> =
            Default::default();
        let mut districts = index.districts();
        districts.sort_by_key(|(c, _)| *c);
        for (code, name) in &districts {
            list.push(Place {
                name: if name.is_empty() {
                    code.to_string()
                } else {
                    name.to_string()
                },
                code: Some(code.to_string()),
                kind: PlaceKind::District,
                districts: BTreeSet::from([*code]),
                circle: None,
                source: "district".into(),
            });
            let (rg, ca) = index.district_areas(code);
            if let Some(r) = rg {
                let e = regions
                    .entry(r.code.to_string())
                    .or_insert_with(|| (r.name.unwrap_or(r.code).to_string(), BTreeSet::new()));
                e.1.insert(*code);
            }
            if let Some(c) = ca {
                let e = cauths
                    .entry(c.code.to_string())
                    .or_insert_with(|| (c.name.unwrap_or(c.code).to_string(), BTreeSet::new()));
                e.1.insert(*code);
            }
        }
        for (kind, map, source) in [
            (
                PlaceKind::Region,
                regions,
                "region of each district (ONS district to region lookup, 2024)",
            ),
            (
                PlaceKind::CombinedAuthority,
                cauths,
                "combined authority of each district (ONS boundary files' CAUTHCD)",
            ),
        ] {
            for (code, (name, ds)) in map {
                list.push(Place {
                    name,
                    code: Some(code),
                    kind,
                    districts: ds,
                    circle: None,
                    source: source.into(),
                });
            }
        }
        for (name, source, codes) in BUILTIN_SETS {
            list.push(Place {
                name: name.into(),
                code: None,
                kind: PlaceKind::Builtin,
                districts: codes
                    .iter()
                    .map(|c| GssCode::parse(c).expect("valid built-in code"))
                    .collect(),
                circle: None,
                source: source.into(),
            });
        }
        Places { list }
    }

    /// Every place, built-in first, in a stable order.
    pub fn all(&self) -> &[Place] {
        &self.list
    }

    /// A place by name or code, ignoring case (and a district or region by its GSS code).
    /// Configured places come before built-in ones of the same name.
    pub fn get(&self, name_or_code: &str) -> Option<&Place> {
        let q = name_or_code.trim();
        self.list.iter().rev().find(|p| {
            p.name.eq_ignore_ascii_case(q)
                || p.code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(q))
        })
    }

    /// Add a place (replacing one of the same name from configuration).
    pub fn add(&mut self, place: Place) {
        self.list.retain(|p| {
            !(p.kind == PlaceKind::Custom || p.kind == PlaceKind::Circle)
                || !p.name.eq_ignore_ascii_case(&place.name)
        });
        self.list.push(place);
    }

    /// Add the places of a TOML configuration: each `[places."Name"]` table has either
    /// `districts = [...]` (district names or codes, or names of other places) or
    /// `within_km = N` with `postcode = "M50 2EQ"` or `point = [lat, long]`. Other
    /// top-level tables are left alone (the file may be `anchornet.toml`); unknown keys inside
    /// a place are errors naming the key.
    pub fn add_toml(&mut self, index: &GeoIndex, text: &str) -> Result<usize, PlaceError> {
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| PlaceError::Toml(e.to_string()))?;
        let Some(places) = table.get("places") else {
            return Ok(0);
        };
        let places = places.as_table().ok_or_else(|| {
            PlaceError::Toml("`places` must be a table of `[places.\"Name\"]` tables".into())
        })?;
        let mut added = 0;
        for (name, v) in places {
            let def: PlaceDef = v.clone().try_into().map_err(|e: toml::de::Error| {
                PlaceError::Toml(format!("[places.{name:?}]: {e}"))
            })?;
            let place = self.define(index, name, def)?;
            self.add(place);
            added += 1;
        }
        Ok(added)
    }

    fn define(&self, index: &GeoIndex, name: &str, def: PlaceDef) -> Result<Place, PlaceError> {
        if let Some(km) = def.within_km {
            let circle_err = |m: &str| PlaceError::Circle {
                place: name.into(),
                message: m.into(),
            };
            if !def.districts.is_empty() {
                return Err(circle_err(
                    "give either `districts` or `within_km`, not both",
                ));
            }
            if !(km.is_finite() && km > 0.0) {
                return Err(circle_err("`within_km` must be a positive number"));
            }
            let (lat, long) = match (def.point, def.postcode) {
                (Some([a, o]), None) => (a, o),
                (None, Some(pc)) => {
                    let p = Postcode::parse(&pc)
                        .map_err(|e| circle_err(&format!("postcode {pc:?}: {e}")))?;
                    let loc = index
                        .lookup(&p)
                        .ok_or_else(|| circle_err(&format!("postcode {p} is not in the index")))?;
                    match (loc.lat, loc.long) {
                        (Some(a), Some(o)) => (a, o),
                        _ => return Err(circle_err(&format!("postcode {p} has no coordinates"))),
                    }
                }
                _ => return Err(circle_err(
                    "a circle needs its centre: `postcode` or `point = [lat, long]`, one of them",
                )),
            };
            let mut p = Place::within_km(name, lat, long, km);
            p.source = "configuration".into();
            return Ok(p);
        }
        if def.point.is_some() || def.postcode.is_some() {
            return Err(PlaceError::Circle {
                place: name.into(),
                message: "`postcode`/`point` need `within_km`".into(),
            });
        }
        if def.districts.is_empty() {
            return Err(PlaceError::Toml(format!(
                "[places.{name:?}]: needs `districts = [...]` or `within_km`"
            )));
        }
        let mut districts = BTreeSet::new();
        for d in &def.districts {
            match self.get(d) {
                Some(p) if p.circle.is_none() => districts.extend(p.districts.iter().copied()),
                _ => {
                    // A district code the index does not name is still a valid code.
                    let code = GssCode::parse(d).map_err(|_| PlaceError::Unknown {
                        place: name.into(),
                        name: d.clone(),
                    })?;
                    districts.insert(code);
                }
            }
        }
        Ok(Place {
            name: name.into(),
            code: None,
            kind: PlaceKind::Custom,
            districts,
            circle: None,
            source: "configuration".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_known_distance() {
        // Manchester Town Hall to Salford Quays (MediaCity): about 3.6 km.
        let d = distance_km(53.4794, -2.2453, 53.4722, -2.2977);
        assert!((d - 3.56).abs() < 0.1, "{d}");
        assert!(distance_km(51.5, -0.1, 51.5, -0.1).abs() < 1e-9);
    }
}
