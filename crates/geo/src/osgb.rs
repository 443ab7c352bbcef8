//! British National Grid eastings and northings to latitude and longitude, as Ordnance Survey
//! publishes the method in *A guide to coordinate systems in Great Britain* (OS, v3.6 2020):
//!
//! 1. Annex C, the Transverse Mercator projection on the Airy 1830 ellipsoid (the National
//!    Grid: true origin 49°N 2°W, scale 0.9996012717, false origin −100 km N, +400 km E) —
//!    grid to OSGB36 latitude and longitude by the series of C.2, and back by C.1;
//! 2. section 6.6, the seven-parameter Helmert transformation between OSGB36 and WGS84
//!    (ETRS89) Cartesian coordinates, with its parameters reversed for this direction.
//!
//! The projection is exact to a millimetre (it reproduces the guide's worked example). The
//! single Helmert transformation is not: the guide gives its accuracy as a few metres (up to
//! about 5 m) across Great Britain, because OSGB36 is distorted in ways no seven parameters
//! capture (OSTN15, the definitive transformation, is a 700 km × 1250 km grid of shifts that
//! is not bundled). Metres are far below the size of a neighbourhood: an LSOA is hundreds of
//! metres across, so only points within a few metres of a boundary can fall on the other side.
//! The ONS boundaries themselves are generalised by more than that.

/// Airy 1830 ellipsoid (OSGB36): semi-major and semi-minor axes, metres.
const AIRY: (f64, f64) = (6_377_563.396, 6_356_256.909);
/// GRS80 / WGS84 ellipsoid: semi-major and semi-minor axes, metres.
const GRS80: (f64, f64) = (6_378_137.000, 6_356_752.314_1);
/// National Grid: scale factor on the central meridian.
const F0: f64 = 0.999_601_271_7;
/// True origin: 49°N, 2°W.
const PHI0_DEG: f64 = 49.0;
const LAMBDA0_DEG: f64 = -2.0;
/// False origin: eastings and northings of the true origin.
const E0: f64 = 400_000.0;
const N0: f64 = -100_000.0;

/// OS guide section 6.6 gives the WGS84 → OSGB36 parameters: tx −446.448 m, ty +125.157 m,
/// tz −542.060 m, scale +20.4894 ppm, rx −0.1502″, ry −0.2470″, rz −0.8421″. This module goes
/// the other way, so each is negated (the guide's approximation of the inverse).
const TX: f64 = 446.448;
const TY: f64 = -125.157;
const TZ: f64 = 542.060;
const S_PPM: f64 = -20.4894;
const RX_SEC: f64 = 0.1502;
const RY_SEC: f64 = 0.2470;
const RZ_SEC: f64 = 0.8421;

/// The part of Great Britain's grid that holds land (with a margin): eastings 0–700 km,
/// northings 0–1,300 km. Values outside are not National Grid coordinates.
pub fn is_grid(easting: f64, northing: f64) -> bool {
    (0.0..=700_000.0).contains(&easting) && (0.0..=1_300_000.0).contains(&northing)
}

fn meridional_arc(b: f64, n: f64, phi: f64) -> f64 {
    let phi0 = PHI0_DEG.to_radians();
    let (d, s) = (phi - phi0, phi + phi0);
    b * F0
        * ((1.0 + n + 1.25 * n * n + 1.25 * n * n * n) * d
            - (3.0 * n + 3.0 * n * n + 21.0 / 8.0 * n * n * n) * d.sin() * s.cos()
            + (15.0 / 8.0 * n * n + 15.0 / 8.0 * n * n * n) * (2.0 * d).sin() * (2.0 * s).cos()
            - 35.0 / 24.0 * n * n * n * (3.0 * d).sin() * (3.0 * s).cos())
}

/// National Grid easting and northing (metres) to OSGB36 latitude and longitude (degrees),
/// by the series of the OS guide's Annex C.2.
pub fn grid_to_osgb36(easting: f64, northing: f64) -> (f64, f64) {
    let (a, b) = AIRY;
    let e2 = (a * a - b * b) / (a * a);
    let n = (a - b) / (a + b);
    let phi0 = PHI0_DEG.to_radians();
    let mut phi = (northing - N0) / (a * F0) + phi0;
    let mut m = meridional_arc(b, n, phi);
    // C.2 step 2: iterate until N − N0 − M is below 0.01 mm.
    for _ in 0..100 {
        if (northing - N0 - m).abs() < 1e-5 {
            break;
        }
        phi += (northing - N0 - m) / (a * F0);
        m = meridional_arc(b, n, phi);
    }
    let (sin, cos, tan) = (phi.sin(), phi.cos(), phi.tan());
    let nu = a * F0 / (1.0 - e2 * sin * sin).sqrt();
    let rho = a * F0 * (1.0 - e2) / (1.0 - e2 * sin * sin).powf(1.5);
    let eta2 = nu / rho - 1.0;
    let (t2, t4, t6) = (tan * tan, tan.powi(4), tan.powi(6));
    let sec = 1.0 / cos;
    let vii = tan / (2.0 * rho * nu);
    let viii = tan / (24.0 * rho * nu.powi(3)) * (5.0 + 3.0 * t2 + eta2 - 9.0 * t2 * eta2);
    let ix = tan / (720.0 * rho * nu.powi(5)) * (61.0 + 90.0 * t2 + 45.0 * t4);
    let x = sec / nu;
    let xi = sec / (6.0 * nu.powi(3)) * (nu / rho + 2.0 * t2);
    let xii = sec / (120.0 * nu.powi(5)) * (5.0 + 28.0 * t2 + 24.0 * t4);
    let xiia = sec / (5040.0 * nu.powi(7)) * (61.0 + 662.0 * t2 + 1320.0 * t4 + 720.0 * t6);
    let de = easting - E0;
    let lat = phi - vii * de.powi(2) + viii * de.powi(4) - ix * de.powi(6);
    let lon =
        LAMBDA0_DEG.to_radians() + x * de - xi * de.powi(3) + xii * de.powi(5) - xiia * de.powi(7);
    (lat.to_degrees(), lon.to_degrees())
}

/// OSGB36 latitude and longitude (degrees) to National Grid easting and northing (metres),
/// by the series of the OS guide's Annex C.1.
pub fn osgb36_to_grid(lat: f64, lon: f64) -> (f64, f64) {
    let (a, b) = AIRY;
    let e2 = (a * a - b * b) / (a * a);
    let n = (a - b) / (a + b);
    let phi = lat.to_radians();
    let (sin, cos, tan) = (phi.sin(), phi.cos(), phi.tan());
    let nu = a * F0 / (1.0 - e2 * sin * sin).sqrt();
    let rho = a * F0 * (1.0 - e2) / (1.0 - e2 * sin * sin).powf(1.5);
    let eta2 = nu / rho - 1.0;
    let (t2, t4) = (tan * tan, tan.powi(4));
    let m = meridional_arc(b, n, phi);
    let i = m + N0;
    let ii = nu / 2.0 * sin * cos;
    let iii = nu / 24.0 * sin * cos.powi(3) * (5.0 - t2 + 9.0 * eta2);
    let iiia = nu / 720.0 * sin * cos.powi(5) * (61.0 - 58.0 * t2 + t4);
    let iv = nu * cos;
    let v = nu / 6.0 * cos.powi(3) * (nu / rho - t2);
    let vi = nu / 120.0 * cos.powi(5) * (5.0 - 18.0 * t2 + t4 + 14.0 * eta2 - 58.0 * t2 * eta2);
    let dl = (lon - LAMBDA0_DEG).to_radians();
    let northing = i + ii * dl.powi(2) + iii * dl.powi(4) + iiia * dl.powi(6);
    let easting = E0 + iv * dl + v * dl.powi(3) + vi * dl.powi(5);
    (easting, northing)
}

fn to_cartesian((a, b): (f64, f64), lat: f64, lon: f64) -> [f64; 3] {
    let e2 = (a * a - b * b) / (a * a);
    let (phi, lam) = (lat.to_radians(), lon.to_radians());
    let nu = a / (1.0 - e2 * phi.sin().powi(2)).sqrt();
    [
        nu * phi.cos() * lam.cos(),
        nu * phi.cos() * lam.sin(),
        (1.0 - e2) * nu * phi.sin(),
    ]
}

fn from_cartesian((a, b): (f64, f64), [x, y, z]: [f64; 3]) -> (f64, f64) {
    let e2 = (a * a - b * b) / (a * a);
    let p = (x * x + y * y).sqrt();
    let mut phi = (z / (p * (1.0 - e2))).atan();
    // OS guide B.2: iterate the latitude until it settles (well under a millimetre).
    for _ in 0..20 {
        let nu = a / (1.0 - e2 * phi.sin().powi(2)).sqrt();
        let next = ((z + e2 * nu * phi.sin()) / p).atan();
        if (next - phi).abs() < 1e-12 {
            phi = next;
            break;
        }
        phi = next;
    }
    (phi.to_degrees(), y.atan2(x).to_degrees())
}

/// OSGB36 latitude and longitude to WGS84 (degrees), by the Helmert transformation (accurate
/// to a few metres: see the module docs).
pub fn osgb36_to_wgs84(lat: f64, lon: f64) -> (f64, f64) {
    let [x, y, z] = to_cartesian(AIRY, lat, lon);
    let s = S_PPM * 1e-6;
    let r = |sec: f64| (sec / 3600.0).to_radians();
    let (rx, ry, rz) = (r(RX_SEC), r(RY_SEC), r(RZ_SEC));
    let out = [
        TX + (1.0 + s) * x - rz * y + ry * z,
        TY + rz * x + (1.0 + s) * y - rx * z,
        TZ - ry * x + rx * y + (1.0 + s) * z,
    ];
    from_cartesian(GRS80, out)
}

/// National Grid easting and northing (metres) to WGS84 latitude and longitude (degrees):
/// [`grid_to_osgb36`] then [`osgb36_to_wgs84`].
pub fn grid_to_wgs84(easting: f64, northing: f64) -> (f64, f64) {
    let (lat, lon) = grid_to_osgb36(easting, northing);
    osgb36_to_wgs84(lat, lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dms(d: f64, m: f64, s: f64) -> f64 {
        d + m / 60.0 + s / 3600.0
    }

    /// OS guide, Annex C: the worked example (a point near Caister, Norfolk) in both
    /// directions: 52°39′27.2531″N 1°43′4.5177″E ↔ E 651409.903 m, N 313177.270 m.
    #[test]
    fn the_ordnance_survey_worked_example() {
        let (e, n) = osgb36_to_grid(dms(52.0, 39.0, 27.2531), dms(1.0, 43.0, 4.5177));
        assert!((e - 651_409.903).abs() < 0.001, "easting {e}");
        assert!((n - 313_177.270).abs() < 0.001, "northing {n}");
        let (lat, lon) = grid_to_osgb36(651_409.903, 313_177.270);
        // 0.0001 arc-second is 3 mm.
        assert!(
            ((lat - dms(52.0, 39.0, 27.2531)) * 3600.0).abs() < 1e-4,
            "lat {lat}"
        );
        assert!(
            ((lon - dms(1.0, 43.0, 4.5177)) * 3600.0).abs() < 1e-4,
            "lon {lon}"
        );
    }

    /// The Helmert step moves the worked example's point about 130 m, west and north (OSGB36
    /// lies east and south of WGS84 in East Anglia); a round trip through Cartesian
    /// coordinates on one ellipsoid is exact. Real coordinates checked against the ONS's own
    /// postcode latitudes and longitudes: `crates/assets/tests/trafford.rs`.
    #[test]
    fn the_datum_shift_has_the_known_size() {
        let (lat, lon) = grid_to_wgs84(651_409.903, 313_177.270);
        let (olat, olon) = grid_to_osgb36(651_409.903, 313_177.270);
        let dn = (lat - olat) * 111_195.0;
        let de = (lon - olon) * 111_195.0 * lat.to_radians().cos();
        let shift = (dn * dn + de * de).sqrt();
        assert!(
            (80.0..160.0).contains(&shift),
            "shift {shift} m {lat} {lon}"
        );
        assert!(lat > olat && lon < olon, "{lat} {lon}");
        let c = to_cartesian(AIRY, 53.4, -2.3);
        let (la, lo) = from_cartesian(AIRY, c);
        assert!((la - 53.4).abs() < 1e-10 && (lo + 2.3).abs() < 1e-10);
        assert!(is_grid(377_000.0, 393_000.0) && !is_grid(-2.3, 53.4));
    }
}
