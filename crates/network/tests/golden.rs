//! Golden test: a few hundred real Salford payments (July 2021) and the matching rows of
//! Salford's contracts register, through the whole pipeline; every metric checked against
//! `fixtures/golden/expected.json`, computed independently by `fixtures/golden/expected.py`
//! (Python standard library, from the fixture and the official ONS/MHCLG files).

use std::path::PathBuf;

use anchornet_metrics::{analyse, Share};
use anchornet_network::{prepare, NetworkConfig};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/golden")
        .join(name)
}

fn share(v: &Value) -> Share {
    let a: Vec<i64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap())
        .collect();
    Share {
        matched: a[0],
        known: a[1],
        base: a[2],
    }
}

#[test]
fn every_metric_matches_the_independent_script() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("expected.json")).unwrap()).unwrap();
    let cfg = NetworkConfig::load(&fixture("anchornet.toml")).unwrap();
    let geo = anchornet_geo::GeoIndex::open_default().unwrap();
    let p = prepare(&cfg, &geo, None, &|_, _| {}).unwrap();
    // The supplier grouping and kinds the script was given (labels.csv, checked by hand) are
    // what the resolver decided.
    let labels = std::fs::read_to_string(fixture("labels.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(labels.as_bytes());
    let mut checked = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let (name, entity, kind) = (&rec[0], &rec[1], &rec[2]);
        let (_, t) = p
            .rows
            .iter()
            .zip(&p.dataset.txns)
            .find(|(r, _)| p.strings.names.get(r.name) == Some(name))
            .unwrap_or_else(|| panic!("{name} not among the payments"));
        let s = p.dataset.supplier(t);
        assert_eq!(
            (s.name.as_str(), s.kind.label().as_str()),
            (entity, kind),
            "{name}"
        );
        checked += 1;
    }
    assert_eq!(checked, 140);
    let a = analyse(&p.dataset, None);
    assert!(a.checks.iter().all(|c| c.ok), "{:?}", a.checks);
    let f = a.get("network", "2021/22").expect("one year");
    let e = |k: &str| expected[k].as_i64().unwrap();
    assert_eq!(f.total.rows as i64, e("rows"));
    assert_eq!(f.total.pence, e("total"));
    assert_eq!(f.influenceable.pence, e("influenceable"));
    for r in &f.influenceable.removed {
        let want = expected["removed"][&r.rule].as_i64().unwrap_or(0);
        assert_eq!(r.pence, want, "rule {}", r.rule);
    }
    assert_eq!(f.local, share(&expected["local"]), "local");
    assert_eq!(f.wider, share(&expected["wider"]), "wider");
    assert_eq!(f.deprived.share, share(&expected["deprived"]), "deprived");
    let by: Vec<i64> = expected["by_decile"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap())
        .collect();
    assert_eq!(f.deprived.by_decile.to_vec(), by);
    assert_eq!(f.deprived.unknown, e("unknown_decile"));
    assert_eq!(f.sme, share(&expected["sme"]), "sme");
    assert_eq!(f.vcse, share(&expected["vcse"]), "vcse");
    assert_eq!(f.concentration.suppliers as i64, e("suppliers"));
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
    assert!(close(
        f.concentration.top10_share.unwrap(),
        expected["top10_share"].as_f64().unwrap()
    ));
    assert!(close(
        f.concentration.hhi.unwrap(),
        expected["hhi"].as_f64().unwrap()
    ));
}
