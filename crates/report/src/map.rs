//! The map: areas coloured by deprivation decile, with a circle on each sized by the spend that
//! lands there. Longitude/latitude are projected equirectangularly, longitude scaled by the
//! cosine of the middle latitude — at the scale of a city region the distortion is negligible
//! and it needs no projection library.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;

use crate::fmt::{esc, num, short_money};
use crate::input::MapData;
use crate::svg::{DECILE, UNKNOWN};

/// Drawing width in pixels.
const W: f64 = 860.0;
/// Largest drawing height in pixels.
const H_MAX: f64 = 640.0;
/// Radius of the largest circle.
const R_MAX: f64 = 22.0;
/// Legend band height.
const LEGEND: f64 = 70.0;

/// Pence drawn on the map and the pence the caption must account for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MapTotals {
    /// Pence landing in the drawn areas.
    pub in_areas: i64,
    /// Areas with spend.
    pub areas_with_spend: usize,
    /// Pence located outside the drawn areas (including area codes not drawn).
    pub elsewhere: i64,
    /// Pence not located.
    pub unlocated: i64,
}

/// What the map's caption reports.
pub fn totals(m: &MapData) -> MapTotals {
    let codes: HashSet<&str> = m.areas.iter().map(|a| a.code.as_str()).collect();
    let mut t = MapTotals {
        elsewhere: m.elsewhere_pence,
        unlocated: m.unlocated_pence,
        ..Default::default()
    };
    for (code, p) in &m.spend {
        if codes.contains(code.as_str()) {
            t.in_areas += p;
            if *p != 0 {
                t.areas_with_spend += 1;
            }
        } else {
            t.elsewhere += p;
        }
    }
    t
}

struct Proj {
    lon0: f64,
    lat1: f64,
    kx: f64,
    s: f64,
}

impl Proj {
    fn xy(&self, p: [f64; 2]) -> (f64, f64) {
        (
            10.0 + (p[0] - self.lon0) * self.kx * self.s,
            10.0 + (self.lat1 - p[1]) * self.s,
        )
    }
}

/// Centroid of the ring with the largest area (shoelace), in projected pixels.
fn centroid(rings: &[Vec<(f64, f64)>]) -> Option<(f64, f64)> {
    let mut best: Option<(f64, f64, f64)> = None;
    for r in rings {
        if r.len() < 3 {
            continue;
        }
        let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
        for i in 0..r.len() {
            let (x0, y0) = r[i];
            let (x1, y1) = r[(i + 1) % r.len()];
            let c = x0 * y1 - x1 * y0;
            a += c;
            cx += (x0 + x1) * c;
            cy += (y0 + y1) * c;
        }
        if a.abs() < 1e-9 {
            continue;
        }
        let c = (cx / (3.0 * a), cy / (3.0 * a), a.abs());
        if best.is_none_or(|b| c.2 > b.2) {
            best = Some(c);
        }
    }
    best.map(|(x, y, _)| (x, y))
}

/// A point drawn over the map (an asset): where, its colour and its tooltip.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    /// Longitude (WGS84).
    pub lon: f64,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Fill colour (`#rrggbb`).
    pub fill: String,
    /// Tooltip.
    pub title: String,
}

/// The map as an SVG element; empty when there are no areas.
pub fn svg(m: &MapData) -> String {
    svg_with_points(m, &[], &[])
}

/// The map with points drawn over the areas (in place of nothing: spend circles are still
/// drawn where `m.spend` has any) and a legend of the points' colours (`(fill, label)`).
pub fn svg_with_points(m: &MapData, points: &[MapPoint], legend: &[(String, String)]) -> String {
    let pts = m.areas.iter().flat_map(|a| a.rings.iter().flatten());
    let (mut lo_x, mut lo_y, mut hi_x, mut hi_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in pts {
        if p[0].is_finite() && p[1].is_finite() {
            lo_x = lo_x.min(p[0]);
            hi_x = hi_x.max(p[0]);
            lo_y = lo_y.min(p[1]);
            hi_y = hi_y.max(p[1]);
        }
    }
    if lo_x > hi_x {
        return String::new();
    }
    let kx = ((lo_y + hi_y) / 2.0).to_radians().cos();
    let (pw, ph) = (((hi_x - lo_x) * kx).max(1e-9), (hi_y - lo_y).max(1e-9));
    let s = ((W - 20.0) / pw).min((H_MAX - 20.0) / ph);
    let proj = Proj {
        lon0: lo_x,
        lat1: hi_y,
        kx,
        s,
    };
    let h = ph * s + 20.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="chart map" viewBox="0 0 {w} {th}" width="{w}" height="{th}" role="img" aria-label="{t}"><title>{t}</title>"#,
        w = num(W),
        th = num(h + LEGEND),
        t = esc(&m.title)
    );
    let spend: BTreeMap<&str, i64> = m.spend.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let mut circles = Vec::new();
    for a in &m.areas {
        let rings: Vec<Vec<(f64, f64)>> = a
            .rings
            .iter()
            .map(|r| {
                let mut v: Vec<(f64, f64)> = Vec::with_capacity(r.len());
                for p in r {
                    let q = proj.xy(*p);
                    // Points closer than half a pixel to the last kept one add bytes, not shape.
                    if v.last()
                        .is_none_or(|l| (l.0 - q.0).abs() + (l.1 - q.1).abs() >= 0.5)
                    {
                        v.push(q);
                    }
                }
                v
            })
            .collect();
        let mut d = String::new();
        for r in rings.iter().filter(|r| r.len() >= 3) {
            for (i, (x, y)) in r.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{} {}",
                    if i == 0 { "M" } else { "L" },
                    num(*x),
                    num(*y)
                );
            }
            d.push('Z');
        }
        let fill = a
            .decile
            .filter(|d| (1..=10).contains(d))
            .map_or(UNKNOWN, |d| DECILE[d as usize - 1]);
        let p = spend.get(a.code.as_str()).copied().unwrap_or(0);
        let _ = write!(
            out,
            r##"<path d="{d}" fill="{fill}" fill-rule="evenodd" stroke="#fff" stroke-width="0.4"><title>{}</title></path>"##,
            esc(&format!(
                "{} ({}): decile {}; {} lands here",
                a.name,
                a.code,
                a.decile.map_or("not known".to_string(), |d| d.to_string()),
                short_money(p)
            ))
        );
        if p > 0 {
            if let Some(c) = centroid(&rings) {
                circles.push((p, c, a));
            }
        }
    }
    let pmax = circles.iter().map(|c| c.0).max().unwrap_or(1) as f64;
    circles.sort_by_key(|c| std::cmp::Reverse(c.0));
    let radius = |p: i64| R_MAX * (p as f64 / pmax).sqrt();
    for (p, (x, y), a) in &circles {
        let _ = write!(
            out,
            r##"<circle cx="{}" cy="{}" r="{}" fill="#111" fill-opacity="0.45" stroke="#fff" stroke-width="0.8"><title>{}</title></circle>"##,
            num(*x),
            num(*y),
            num(radius(*p).max(1.5)),
            esc(&format!("{}: {}", a.name, short_money(*p)))
        );
    }
    for p in points {
        if !(p.lon.is_finite() && p.lat.is_finite()) {
            continue;
        }
        let (x, y) = proj.xy([p.lon, p.lat]);
        let _ = write!(
            out,
            r##"<circle cx="{}" cy="{}" r="3.2" fill="{}" stroke="#111" stroke-width="0.7"><title>{}</title></circle>"##,
            num(x),
            num(y),
            esc(&p.fill),
            esc(&p.title)
        );
    }
    // legend: decile swatches, then circle sizes (or the points' colours)
    let ly = h + 12.0;
    if circles.is_empty() {
        for (i, (fill, label)) in legend.iter().enumerate() {
            let x = 420.0 + 110.0 * (i % 4) as f64;
            let y = ly + 12.0 + 20.0 * (i / 4) as f64;
            let _ = write!(
                out,
                r##"<circle cx="{}" cy="{}" r="4" fill="{}" stroke="#111" stroke-width="0.7"/><text x="{}" y="{}" class="sm">{}</text>"##,
                num(x),
                num(y),
                esc(fill),
                num(x + 8.0),
                num(y + 4.0),
                esc(label)
            );
        }
    }
    let _ = write!(
        out,
        r#"<text x="10" y="{}" class="sm">deprivation decile (1 = most deprived)</text>"#,
        num(ly)
    );
    for (i, c) in DECILE.iter().enumerate() {
        let x = 10.0 + 26.0 * i as f64;
        let _ = write!(
            out,
            r#"<rect x="{x}" y="{y}" width="24" height="16" fill="{c}"/><text x="{tx}" y="{ty}" text-anchor="middle" class="sm" fill="{tc}">{n}</text>"#,
            x = num(x),
            y = num(ly + 6.0),
            tx = num(x + 12.0),
            ty = num(ly + 18.0),
            tc = crate::svg::decile_text(i),
            n = i + 1
        );
    }
    let _ = write!(
        out,
        r#"<rect x="274" y="{}" width="24" height="16" fill="{UNKNOWN}"/><text x="304" y="{}" class="sm">not known</text>"#,
        num(ly + 6.0),
        num(ly + 18.0)
    );
    if !circles.is_empty() {
        let big = circles[0].0;
        let _ = write!(
            out,
            r##"<text x="420" y="{}" class="sm">spend landing in the area</text><circle cx="{}" cy="{}" r="{}" fill="#111" fill-opacity="0.45"/><text x="{}" y="{}" class="sm">{}</text><circle cx="{}" cy="{}" r="{}" fill="#111" fill-opacity="0.45"/><text x="{}" y="{}" class="sm">{}</text>"##,
            num(ly),
            num(440.0),
            num(ly + 30.0),
            num(radius(big)),
            num(440.0 + R_MAX + 6.0),
            num(ly + 34.0),
            short_money(big),
            num(560.0),
            num(ly + 30.0),
            num(radius(big / 10)),
            num(560.0 + radius(big / 10) + 6.0),
            num(ly + 34.0),
            short_money(big / 10),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::MapArea;

    fn square(code: &str, x: f64, decile: u8) -> MapArea {
        MapArea {
            code: code.into(),
            name: format!("Area {code}"),
            decile: Some(decile),
            rings: vec![vec![
                [x, 53.0],
                [x + 0.01, 53.0],
                [x + 0.01, 53.01],
                [x, 53.01],
                [x, 53.0],
            ]],
        }
    }

    #[test]
    fn areas_coloured_by_decile_and_circles_sized_by_spend() {
        let mut m = MapData {
            title: "t".into(),
            areas: vec![square("A", -2.30, 1), square("B", -2.28, 10)],
            ..Default::default()
        };
        m.spend.insert("A".into(), 400);
        m.spend.insert("B".into(), 100);
        m.spend.insert("Z".into(), 7);
        m.elsewhere_pence = 3;
        let svg = svg(&m);
        assert!(svg.contains(DECILE[0]) && svg.contains(DECILE[9]));
        // the larger spend has the largest circle, the other half its radius (sqrt scaling)
        assert!(svg.contains(r#"r="22""#), "{svg}");
        assert!(svg.contains(r#"r="11""#), "{svg}");
        // spend under a code that is not drawn counts as elsewhere
        let t = totals(&m);
        assert_eq!(
            t,
            MapTotals {
                in_areas: 500,
                areas_with_spend: 2,
                elsewhere: 10,
                unlocated: 0
            }
        );
    }

    #[test]
    fn points_are_drawn_with_their_tooltips_and_legend() {
        let m = MapData {
            title: "t".into(),
            areas: vec![square("A", -2.30, 1)],
            ..Default::default()
        };
        let p = MapPoint {
            lon: -2.295,
            lat: 53.005,
            fill: "#ffffff".into(),
            title: "TMBC0004 <vacant>".into(),
        };
        let svg = svg_with_points(&m, &[p], &[("#ffffff".into(), "candidate".into())]);
        assert!(
            svg.contains("<title>TMBC0004 &lt;vacant&gt;</title>"),
            "{svg}"
        );
        assert!(svg.contains(">candidate</text>"), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 2);
    }

    #[test]
    fn projection_scales_longitude_by_cos_latitude() {
        let m = MapData {
            areas: vec![square("A", -2.30, 1), square("B", -2.28, 10)],
            ..Default::default()
        };
        let svg = svg(&m);
        // Width 0.03° lon × cos(53.005°) vs height 0.01° lat; width fills 840 px.
        let expect_h = 840.0 * 0.01 / (0.03 * 53.005f64.to_radians().cos()) + 20.0;
        let vb = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
        let h: f64 = vb.split(['"', ' ']).nth(1).unwrap().parse().unwrap();
        assert!((h - LEGEND - expect_h).abs() < 0.2, "{h} vs {expect_h}");
    }
}
