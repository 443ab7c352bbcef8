//! The bundled demo network (real Salford, Manchester and Trafford payments) through the
//! pipeline and the metrics: everything reconciles.

use std::path::PathBuf;

use anchornet_metrics::analyse;
use anchornet_network::{prepare, NetworkConfig};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn demo_network_reconciles() {
    let cfg = NetworkConfig::load(&root().join("data/demo/anchornet.toml")).unwrap();
    let geo = anchornet_geo::GeoIndex::open_default().unwrap();
    let p = prepare(&cfg, &geo, None, &|_, _| {}).unwrap();
    // Every accepted payment row becomes one transaction.
    let accepted: u64 = p
        .quality
        .files
        .iter()
        .filter(|f| f.kind == "payments")
        .map(|f| f.accepted)
        .sum();
    assert_eq!(p.dataset.txns.len() as u64, accepted);
    let a = analyse(&p.dataset, None);
    for c in &a.checks {
        assert!(c.ok, "check failed: {}", c.what);
    }
    for f in &a.figures {
        eprintln!(
            "{:<28} {} total {:>14} infl {:>14} local {:?}/{:?} cov {:?} wider {:?} dep {:?}",
            f.scope,
            f.fy.unwrap(),
            f.figures.total.pence,
            f.figures.influenceable.pence,
            f.figures.local.of_known(),
            f.figures.local.of_all(),
            f.figures.local.coverage(),
            f.figures.wider.of_known(),
            f.figures.deprived.share.of_known(),
        );
    }
    eprintln!("{:?}", p.quality.location_sources);
    let net = a.get("network", "2021/22").expect("2021/22 analysed");
    let cov = &a.years.iter().find(|y| y.fy == "2021/22").unwrap().anchors;
    assert_eq!(
        cov.len(),
        2,
        "2021/22 covers Salford and Manchester: {cov:?}"
    );
    assert!(cov.iter().all(|a| a.months.len() == 12), "{cov:?}");
    assert!(net.local.coverage().unwrap() > 0.0);
}

#[test]
fn greater_manchester_lsoa_shapes_load() {
    let geo_dir = anchornet_geo::default_reference_dir();
    let geo = anchornet_geo::GeoIndex::open_default().unwrap();
    let places = anchornet_geo::Places::builtin(&geo);
    let gm: std::collections::HashSet<String> = places
        .get("Greater Manchester")
        .expect("built-in place")
        .districts
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(gm.len(), 10);
    let t = std::time::Instant::now();
    let shapes = anchornet_geo::boundaries::lsoa21_in(&geo_dir, &gm).unwrap();
    eprintln!(
        "{} shapes in {:?}, {} points",
        shapes.len(),
        t.elapsed(),
        shapes
            .iter()
            .flat_map(|s| &s.rings)
            .map(|r| r.len())
            .sum::<usize>()
    );
    // Greater Manchester has 1,702 LSOAs (2021).
    assert_eq!(shapes.len(), 1702);
    assert!(shapes.iter().any(|s| s.name.starts_with("Salford ")));
}
