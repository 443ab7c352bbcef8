//! Asset registers on real data: Trafford Council's land and building assets register as
//! published, checked against an independent reference script; real rows in another
//! council's layout; the grid conversion and point in polygon against the official postcode
//! files; the status workflow.
//!
//! Expected figures come from `tests/reference/trafford_assets.py` (Python standard library:
//! the raw register, the ONS postcode directory, the ONS 2011→2021 LSOA lookup, NSPL
//! coordinates, the IoD 2025 file and its own point-in-polygon test on the ONS boundaries),
//! run as `python3 crates/assets/tests/reference/trafford_assets.py ../shared/data`;
//! `.ci/independent_checks.py` runs it again and compares every LSOA count with
//! `anchornet assets`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::sync::OnceLock;

use anchornet_assets::{Decisions, Located, Locator, Method, Register, Status};
use anchornet_core::Postcode;
use anchornet_geo::{osgb, GeoIndex, PointIndex};
use anchornet_ingest::Limits;

fn shared() -> PathBuf {
    let p = std::env::var_os("ANCHORNET_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    assert!(
        p.is_dir(),
        "real data not found at {} (set ANCHORNET_SHARED_DATA)",
        p.display()
    );
    p
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn trafford() -> String {
    shared()
        .join("assets/trafford_land_and_building_assets.csv.xz")
        .to_string_lossy()
        .into_owned()
}

struct Geo {
    index: GeoIndex,
    points: PointIndex,
}

fn geo() -> &'static Geo {
    static G: OnceLock<Geo> = OnceLock::new();
    G.get_or_init(|| Geo {
        index: GeoIndex::open_default().expect("geography index"),
        points: PointIndex::open_reference(&anchornet_geo::default_reference_dir())
            .expect("boundaries"),
    })
}

fn locate(paths: &[String], decisions: Option<Decisions>) -> Located {
    let g = geo();
    let reg = Register::read(paths, &Limits::default());
    Located::build(
        reg,
        &Locator {
            geo: &g.index,
            points: &g.points,
        },
        decisions,
    )
}

fn deciles<'a>(it: impl Iterator<Item = Option<u8>> + 'a) -> BTreeMap<u8, usize> {
    let mut m = BTreeMap::new();
    for d in it {
        *m.entry(d.unwrap_or(0)).or_default() += 1;
    }
    m
}

/// trafford_assets.py → assets 608, vacant 187; point_rows 373, point_placed 373 (one with
/// latitude and longitude swapped), point_decile {1: 17, 2: 9, 3: 50, 4: 16, 5: 54, 6: 21,
/// 7: 27, 8: 38, 9: 90, 10: 51}; postcode_rows 374, postcode_placed 370, postcode_decile
/// {1: 19, 2: 9, 3: 47, 4: 22, 5: 50, 6: 20, 7: 27, 8: 41, 9: 85, 10: 50}; vacant_placed 22,
/// vacant_deciles_1_2 1 (by the register's coordinates or postcode column).
#[test]
fn trafford_register_agrees_with_the_reference_script() {
    let l = locate(&[trafford()], None);
    let s = l.summary();
    assert_eq!(s.assets, 608);
    assert_eq!(s.vacant, 187);
    assert_eq!(l.register.sheets.len(), 1);
    let points: Vec<_> = l
        .placements
        .iter()
        .filter(|p| p.method == Some(Method::LatLongPoint))
        .collect();
    assert_eq!(points.len(), 373);
    assert_eq!(
        deciles(points.iter().map(|p| p.iod2025_decile)),
        BTreeMap::from([
            (1, 17),
            (2, 9),
            (3, 50),
            (4, 16),
            (5, 54),
            (6, 21),
            (7, 27),
            (8, 38),
            (9, 90),
            (10, 51)
        ])
    );
    assert_eq!(
        points.iter().filter(|p| !p.notes.is_empty()).count(),
        1,
        "one asset's coordinates are swapped"
    );
    // The postcode column's LSOA, placed or beside a point.
    let pcs: Vec<&str> = l
        .placements
        .iter()
        .filter_map(|p| p.postcode_lsoa21.as_deref())
        .collect();
    assert_eq!(pcs.len(), 370);
    assert_eq!(
        deciles(
            pcs.iter()
                .map(|c| geo().index.iod2025_of(c).map(|d| d.decile))
        ),
        BTreeMap::from([
            (1, 19),
            (2, 9),
            (3, 47),
            (4, 22),
            (5, 50),
            (6, 20),
            (7, 27),
            (8, 41),
            (9, 85),
            (10, 50)
        ])
    );
    // Every row is kept: placed or with its reason.
    assert_eq!(s.assets, s.by_method.values().sum::<usize>() + s.unplaced);
    for p in &l.placements {
        assert_eq!(p.method.is_none(), p.unplaced.is_some());
    }
    let unplaced: Vec<_> = l
        .placements
        .iter()
        .filter_map(|p| p.unplaced.as_ref())
        .collect();
    assert!(unplaced
        .iter()
        .all(|u| !u.reason.is_empty() && u.column == "PostCode" || u.column == "address"));
    // 'M41': a postcode district only (the register's most common form without coordinates).
    assert!(unplaced
        .iter()
        .any(|u| u.value == "M41" && u.reason.contains("postcode district only")));
    // Vacant assets placed by the register's coordinates or postcode column.
    let vac = |i: usize| matches!(l.vacancy[i], Some((true, _)));
    let by_register: Vec<usize> = (0..s.assets)
        .filter(|&i| vac(i))
        .filter(|&i| {
            matches!(
                l.placements[i].method,
                Some(Method::LatLongPoint | Method::Postcode)
            )
        })
        .collect();
    assert_eq!(by_register.len(), 22);
    assert_eq!(
        by_register
            .iter()
            .filter(|&&i| matches!(l.placements[i].iod2025_decile, Some(1 | 2)))
            .count(),
        1
    );
    // Every vacant asset is a candidate; no other asset has a status.
    for i in 0..s.assets {
        assert_eq!(l.status(i), vac(i).then_some(Status::Candidate));
    }
}

/// OS Code-Point Open gives each postcode's National Grid reference; the ONS gives its
/// latitude and longitude (NSPL) and its 2021 LSOA (directory and lookup). Over Trafford's
/// register postcodes: the grid reference converted by the OS method lands within metres of
/// the ONS point, and the LSOA containing it is the ONS's LSOA for the postcode, but for
/// postcodes whose point lies near a boundary (the ONS assigns a postcode by its output
/// area, not its point).
#[test]
fn grid_references_convert_and_land_in_the_postcodes_lsoa() {
    let g = geo();
    let l = locate(&[trafford()], None);
    let wanted: HashSet<Postcode> = l.placements.iter().filter_map(|p| p.postcode).collect();
    let f =
        std::fs::File::open(shared().join("geography/postcodes/codepoint_open_may25_gb.csv.xz"))
            .unwrap();
    let mut grid: HashMap<Postcode, (f64, f64)> = HashMap::new();
    for line in BufReader::new(xz2::read::XzDecoder::new(f)).lines().skip(1) {
        let line = line.unwrap();
        let c: Vec<&str> = line.split(',').collect();
        if let Ok(p) = Postcode::parse(c[0]) {
            if wanted.contains(&p) {
                grid.insert(p, (c[2].parse().unwrap(), c[3].parse().unwrap()));
            }
        }
    }
    let (mut n, mut same, mut worst, mut total) = (0, 0, 0.0f64, 0.0);
    for (pc, (e, nn)) in &grid {
        let Some(loc) = g.index.lookup(pc) else {
            continue;
        };
        let (Some(lat), Some(lon), Some(lsoa)) = (loc.lat, loc.long, loc.lsoa21) else {
            continue;
        };
        let (la, lo) = osgb::grid_to_wgs84(*e, *nn);
        let dn = (la - lat) * 111_195.0;
        let de = (lo - lon) * 111_195.0 * lat.to_radians().cos();
        let d = (dn * dn + de * de).sqrt();
        worst = worst.max(d);
        total += d;
        n += 1;
        if g.points.lsoa21_at(lo, la).map(|a| a.code.as_str()) == Some(lsoa.code) {
            same += 1;
        }
    }
    eprintln!(
        "{n} postcodes: grid → WGS84 vs NSPL mean {:.2} m, worst {worst:.2} m; LSOA by point = ONS LSOA for {same}",
        total / n as f64
    );
    assert!(n >= 250, "{n}"); // 253 distinct register postcodes are in Code-Point Open
                              // NSPL rounds to 5 decimal places (≈ 1 m); the Helmert step is good to a few metres.
    assert!(worst < 5.0, "worst {worst} m"); // measured: mean 1.32 m, worst 1.95 m
    assert!(same as f64 >= 0.9 * n as f64, "{same} of {n}");
}

/// Real Trafford rows in another council's layout (title rows, other spellings, extra
/// columns, Windows-1252, grid references only, postcodes inside a free-text address): every
/// row kept, ten placed in the LSOA the ONS files give for their postcode
/// (other_layout_expected.csv, from the ONS lookup by make_other_layout.py), the last
/// unplaced with its reason.
#[test]
fn another_councils_layout_with_grid_references_in_windows_1252() {
    let l = locate(&[fixture("other_layout_bng_cp1252.csv")], None);
    let sheet = &l.register.sheets[0];
    assert_eq!(sheet.header_line, 3);
    assert!(sheet.format.contains("1252"), "{}", sheet.format);
    assert_eq!(sheet.header[15], "Notes £");
    let expected = std::fs::read_to_string(fixture("other_layout_expected.csv")).unwrap();
    let rows: Vec<Vec<&str>> = expected
        .lines()
        .skip(1)
        .map(|r| r.split(',').collect())
        .collect();
    assert_eq!(rows.len(), l.register.assets.len());
    for (i, r) in rows.iter().enumerate() {
        let a = &l.register.assets[i];
        let p = &l.placements[i];
        assert_eq!(a.line.to_string(), r[0]);
        assert_eq!(l.keys[i][0], r[1]);
        let want = match i {
            0..=7 => Some(Method::GridPoint),
            8 | 9 => Some(Method::PostcodeInAddress),
            _ => None,
        };
        assert_eq!(p.method, want, "line {}: {:?}", a.line, p.unplaced);
        assert_eq!(
            p.lsoa21.as_ref().map_or("", |x| x.0.as_str()),
            r[2],
            "line {}",
            a.line
        );
        assert_eq!(matches!(l.vacancy[i], Some((true, _))), r[3] == "yes");
    }
    let last = l.placements.last().unwrap().unplaced.as_ref().unwrap();
    assert_eq!(
        (last.column.as_str(), last.value.as_str()),
        ("Post Code", "M41")
    );
    assert_eq!(l.status(rows.len() - 1), Some(Status::Candidate));
    // Every grid-placed row also has the district and a decile.
    for p in &l.placements[..8] {
        assert_eq!(p.lad.as_ref().unwrap().0, "E08000009"); // Trafford
        assert!(p.iod2025_decile.is_some() && p.ward.is_some());
    }
}

/// The asset-of-community-value fields of the planning data specification (a WKT point,
/// `reference`, `name`): placed by the point, in the LSOAs the ONS gives for the same
/// buildings' postcodes (other_layout_expected.csv lines 4–6).
#[test]
fn assets_of_community_value_by_the_planning_data_fields() {
    let l = locate(&[fixture("acv_planning_data_spec.csv")], None);
    let got: Vec<(&str, Option<Method>)> = l
        .placements
        .iter()
        .map(|p| (p.lsoa21.as_ref().map_or("", |x| x.0.as_str()), p.method))
        .collect();
    let m = Some(Method::LatLongPoint);
    assert_eq!(got, [("E01006075", m), ("E01006207", m), ("E01006160", m)]);
    assert_eq!(l.keys[0][0], "ACV-T-001");
    assert!(l.vacancy.iter().all(Option::is_none));
}

/// The status workflow: decisions applied in order with who, when and why; a decision naming
/// no asset is reported with its line.
#[test]
fn decisions_move_a_vacant_asset_on_and_keep_its_history() {
    let d = Decisions::parse(
        "decisions.csv",
        "asset,status,by,at,note\n\
         TMBC0004,in-discussion,jo,2026-11-02,Partington group asked for a viewing\n\
         TMBC9999,agreed,jo,2026-11-03,\n\
         TMBC0004,agreed,cabinet,2026-12-01,community asset transfer on a 25-year lease\n",
    );
    let l = locate(&[trafford()], Some(d));
    let i = l.keys.iter().position(|k| k[0] == "TMBC0004").unwrap();
    let h = &l.histories[i];
    assert_eq!(
        h.iter().map(|s| s.status).collect::<Vec<_>>(),
        [Status::Candidate, Status::InDiscussion, Status::Agreed]
    );
    assert_eq!(
        (h[2].by.as_str(), h[2].at.as_str()),
        ("cabinet", "2026-12-01")
    );
    assert_eq!(l.status(i), Some(Status::Agreed));
    assert_eq!(l.decision_problems.len(), 1);
    assert_eq!(
        (
            l.decision_problems[0].line,
            l.decision_problems[0].value.as_str()
        ),
        (3, "TMBC9999")
    );
    let (header, rows) = anchornet_assets::table::rows(&l);
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    assert_eq!(rows[i][col("status")], "agreed");
    assert!(rows[i][col("status_history")]
        .starts_with("candidate (register: vacant (TenureDetail=Vacant))"));
    // The register's own columns come first, unchanged.
    assert_eq!(
        &header[..3],
        ["OrganisationLabel", "OrganisationURI", "EffectiveDate"]
    );
    assert_eq!(rows[i][col("AssetCode")], "TMBC0004");
}
