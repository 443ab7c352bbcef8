//! Reading the ONS boundary FeatureCollections: each feature's properties we use and its
//! rings, flattened (Polygon and MultiPolygon alike) into one vertex list with ring ends.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

/// The properties the index reads; others are ignored.
#[derive(Debug, Default, Deserialize)]
#[allow(non_snake_case)]
pub(crate) struct Props {
    pub LSOA21CD: Option<String>,
    pub LSOA21NM: Option<String>,
    pub LADCD_ACTIVE: Option<String>,
    pub CAUTHCD: Option<String>,
    pub RGNCD: Option<String>,
    #[serde(alias = "WD24CD", alias = "WD23CD", alias = "WD22CD")]
    pub WD25CD: Option<String>,
    #[serde(alias = "WD24NM", alias = "WD23NM", alias = "WD22NM")]
    pub WD25NM: Option<String>,
    #[serde(alias = "LAD24CD", alias = "LAD23CD", alias = "LAD22CD")]
    pub LAD25CD: Option<String>,
    #[serde(alias = "LAD24NM", alias = "LAD23NM", alias = "LAD22NM")]
    pub LAD25NM: Option<String>,
}

/// A feature's outline: vertices (longitude, latitude) and the end of each ring in `pts`.
/// Holes and the parts of a MultiPolygon are just more rings: the even-odd rule treats them
/// correctly as long as parts do not overlap, which ONS boundaries never do.
#[derive(Debug, Default)]
pub(crate) struct Shape {
    pub pts: Vec<[f64; 2]>,
    pub ring_ends: Vec<u32>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(deserialize_with = "shape")]
    coordinates: Shape,
}

#[derive(Deserialize)]
pub(crate) struct Feature {
    #[serde(default)]
    pub properties: Props,
    geometry: Option<Geometry>,
}

impl Feature {
    #[cfg(test)]
    pub(crate) fn shape(&self) -> Option<&Shape> {
        self.geometry.as_ref().map(|g| &g.coordinates)
    }

    /// The outline, taking it out of the feature.
    pub(crate) fn take_shape(self) -> Option<Shape> {
        self.geometry.map(|g| g.coordinates)
    }
}

#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
}

/// Parse a FeatureCollection.
pub(crate) fn features(b: &[u8]) -> Result<Vec<Feature>, serde_json::Error> {
    let c: Collection = serde_json::from_slice(b)?;
    Ok(c.features)
}

fn shape<'de, D: Deserializer<'de>>(d: D) -> Result<Shape, D::Error> {
    let mut s = Shape::default();
    Nest { out: &mut s }.deserialize(d)?;
    Ok(s)
}

/// What one level of nested coordinate arrays turned out to be.
enum Level {
    Num(f64),
    Point,
    Ring,
    Other,
}

struct Nest<'a> {
    out: &'a mut Shape,
}

impl<'de> DeserializeSeed<'de> for Nest<'_> {
    type Value = Level;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Level, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Nest<'_> {
    type Value = Level;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("GeoJSON coordinates")
    }
    fn visit_f64<E>(self, v: f64) -> Result<Level, E> {
        Ok(Level::Num(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Level, E> {
        Ok(Level::Num(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Level, E> {
        Ok(Level::Num(v as f64))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Level, A::Error> {
        let mut nums = [0.0f64; 2];
        let mut n = 0;
        let mut points = 0usize;
        while let Some(l) = seq.next_element_seed(Nest {
            out: &mut *self.out,
        })? {
            match l {
                Level::Num(v) => {
                    if n < 2 {
                        nums[n] = v;
                    }
                    n += 1;
                }
                Level::Point => points += 1,
                Level::Ring | Level::Other => {}
            }
        }
        if n >= 2 {
            self.out.pts.push(nums);
            Ok(Level::Point)
        } else if points > 0 {
            self.out.ring_ends.push(self.out.pts.len() as u32);
            Ok(Level::Ring)
        } else {
            Ok(Level::Other)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polygon_and_multipolygon_rings() {
        let j = br#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"LSOA21CD":"E01000001","X":1},
           "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0.2,0.1],[0.3,0.1],[0.3,0.2],[0.2,0.1]]]}},
          {"type":"Feature","properties":{"WD22CD":"E05000001"},
           "geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}}]}"#;
        let f = features(j).unwrap();
        assert_eq!(f[0].properties.LSOA21CD.as_deref(), Some("E01000001"));
        assert_eq!(f[0].shape().unwrap().ring_ends, [4, 8]);
        assert_eq!(f[1].properties.WD25CD.as_deref(), Some("E05000001"));
        let s = f[1].shape().unwrap();
        assert_eq!(s.ring_ends, [4, 8]);
        assert_eq!(s.pts[4], [5.0, 5.0]);
    }
}
