//! Point in polygon over the 2021 LSOA boundaries: the even-odd rule on each feature's rings,
//! a bounding box first, and a coarse grid to find the candidate features of a point.

use crate::geojson::Shape;

/// One feature's outline and bounding box (longitude, latitude).
pub(crate) struct Poly {
    pub shape: Shape,
    pub min: [f64; 2],
    pub max: [f64; 2],
}

impl Poly {
    pub(crate) fn new(shape: Shape) -> Poly {
        let mut min = [f64::INFINITY; 2];
        let mut max = [f64::NEG_INFINITY; 2];
        for p in &shape.pts {
            for k in 0..2 {
                min[k] = min[k].min(p[k]);
                max[k] = max[k].max(p[k]);
            }
        }
        Poly { shape, min, max }
    }

    /// Whether (x = longitude, y = latitude) is inside: even-odd crossings over all rings.
    pub(crate) fn contains(&self, x: f64, y: f64) -> bool {
        if x < self.min[0] || x > self.max[0] || y < self.min[1] || y > self.max[1] {
            return false;
        }
        let mut inside = false;
        let mut start = 0usize;
        for &end in &self.shape.ring_ends {
            let ring = &self.shape.pts[start..end as usize];
            start = end as usize;
            if ring.len() < 3 {
                continue;
            }
            let mut j = ring.len() - 1;
            for i in 0..ring.len() {
                let (xi, yi) = (ring[i][0], ring[i][1]);
                let (xj, yj) = (ring[j][0], ring[j][1]);
                if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
                    inside = !inside;
                }
                j = i;
            }
        }
        inside
    }

    /// Distance in metres from (x = longitude, y = latitude) to the nearest edge of the outline
    /// (equirectangular projection around the point: ample at these distances).
    pub(crate) fn distance_m(&self, x: f64, y: f64) -> f64 {
        let ky = 111_195.0;
        let kx = ky * y.to_radians().cos();
        let mut best = f64::INFINITY;
        let mut start = 0usize;
        for &end in &self.shape.ring_ends {
            let ring = &self.shape.pts[start..end as usize];
            start = end as usize;
            for w in ring.windows(2) {
                let (ax, ay) = ((w[0][0] - x) * kx, (w[0][1] - y) * ky);
                let (bx, by) = ((w[1][0] - x) * kx, (w[1][1] - y) * ky);
                let (dx, dy) = (bx - ax, by - ay);
                let len2 = dx * dx + dy * dy;
                let t = if len2 > 0.0 {
                    (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let (px, py) = (ax + t * dx, ay + t * dy);
                best = best.min((px * px + py * py).sqrt());
            }
        }
        best
    }

    /// An area-weighted centre of the outer rings (shoelace formula), for distances to an LSOA.
    pub(crate) fn centroid(&self) -> [f64; 2] {
        let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
        let mut start = 0usize;
        for &end in &self.shape.ring_ends {
            let ring = &self.shape.pts[start..end as usize];
            start = end as usize;
            for w in ring.windows(2) {
                let c = w[0][0] * w[1][1] - w[1][0] * w[0][1];
                a += c;
                cx += (w[0][0] + w[1][0]) * c;
                cy += (w[0][1] + w[1][1]) * c;
            }
        }
        if a.abs() < 1e-12 {
            return [
                (self.min[0] + self.max[0]) / 2.0,
                (self.min[1] + self.max[1]) / 2.0,
            ];
        }
        [cx / (3.0 * a), cy / (3.0 * a)]
    }
}

/// Features bucketed by grid cell (cells of `CELL` degrees), for points anywhere.
pub(crate) struct Grid {
    origin: [f64; 2],
    cols: usize,
    rows: usize,
    cells: Vec<Vec<u32>>,
}

const CELL: f64 = 0.02;

impl Grid {
    pub(crate) fn new(polys: &[Poly]) -> Grid {
        let mut min = [f64::INFINITY; 2];
        let mut max = [f64::NEG_INFINITY; 2];
        for p in polys.iter().filter(|p| p.min[0].is_finite()) {
            for k in 0..2 {
                min[k] = min[k].min(p.min[k]);
                max[k] = max[k].max(p.max[k]);
            }
        }
        if !min[0].is_finite() {
            return Grid {
                origin: [0.0; 2],
                cols: 0,
                rows: 0,
                cells: Vec::new(),
            };
        }
        let cols = ((max[0] - min[0]) / CELL) as usize + 1;
        let rows = ((max[1] - min[1]) / CELL) as usize + 1;
        let mut cells = vec![Vec::new(); cols * rows];
        let g = |v: f64, o: f64, n: usize| (((v - o) / CELL) as usize).min(n - 1);
        for (i, p) in polys
            .iter()
            .enumerate()
            .filter(|(_, p)| p.min[0].is_finite())
        {
            for r in g(p.min[1], min[1], rows)..=g(p.max[1], min[1], rows) {
                for c in g(p.min[0], min[0], cols)..=g(p.max[0], min[0], cols) {
                    cells[r * cols + c].push(i as u32);
                }
            }
        }
        Grid {
            origin: min,
            cols,
            rows,
            cells,
        }
    }

    /// The features whose outline contains the point.
    pub(crate) fn find(&self, polys: &[Poly], x: f64, y: f64) -> Vec<u32> {
        if self.cols == 0 || x < self.origin[0] || y < self.origin[1] {
            return Vec::new();
        }
        let c = ((x - self.origin[0]) / CELL) as usize;
        let r = ((y - self.origin[1]) / CELL) as usize;
        if c >= self.cols || r >= self.rows {
            return Vec::new();
        }
        self.cells[r * self.cols + c]
            .iter()
            .copied()
            .filter(|&i| polys[i as usize].contains(x, y))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, s: f64) -> Vec<[f64; 2]> {
        vec![
            [x0, y0],
            [x0 + s, y0],
            [x0 + s, y0 + s],
            [x0, y0 + s],
            [x0, y0],
        ]
    }

    #[test]
    fn hole_and_parts() {
        let mut pts = square(0.0, 0.0, 1.0);
        pts.extend(square(0.4, 0.4, 0.2)); // a hole
        pts.extend(square(2.0, 2.0, 1.0)); // a second part
        let p = Poly::new(Shape {
            pts,
            ring_ends: vec![5, 10, 15],
        });
        assert!(p.contains(0.1, 0.1));
        assert!(!p.contains(0.5, 0.5));
        assert!(p.contains(2.5, 2.5));
        assert!(!p.contains(1.5, 1.5));
        let polys = vec![
            p,
            Poly::new(Shape {
                pts: square(0.4, 0.4, 0.2),
                ring_ends: vec![5],
            }),
        ];
        let g = Grid::new(&polys);
        assert_eq!(g.find(&polys, 0.5, 0.5), [1]);
        assert_eq!(g.find(&polys, 0.1, 0.9), [0]);
        assert!(g.find(&polys, 9.0, 9.0).is_empty());
        assert!((polys[1].distance_m(0.5, 0.7) - 0.1 * 111_195.0).abs() < 1.0);
        let c = polys[1].centroid();
        assert!((c[0] - 0.5).abs() < 1e-9 && (c[1] - 0.5).abs() < 1e-9);
    }
}
