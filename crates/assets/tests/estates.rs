//! NHS estates returns (ERIC) as published: `$`-delimited, two header rows, a different column
//! set each year. Expected totals from `tests/reference/eric_totals.py` (Python standard
//! library, the raw file): `eric_totals.py ../shared/data` → rows 236 land_owned_ha 5923.1
//! land_not_delivering_ha 734.7.

use std::path::PathBuf;

use anchornet_assets::estates::{Estates, Measure, Value};
use anchornet_ingest::Limits;

fn dir() -> PathBuf {
    std::env::var_os("ANCHORNET_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
        .join("estates/nhs_eric_trust_2013-14_to_2016-17")
}

#[test]
fn eric_2016_17_totals_agree_with_the_reference_script() {
    let e = Estates::read(
        &[dir()
            .join("ERIC-2016-17.csv")
            .to_string_lossy()
            .into_owned()],
        &Limits::default(),
    );
    assert_eq!(e.rows.len(), 236);
    let sum = |m| -> f64 {
        e.rows
            .iter()
            .filter_map(|t| match t.get(m) {
                Some(Value::Number(x)) => Some(x),
                _ => None,
            })
            .sum()
    };
    assert_eq!(format!("{:.1}", sum(Measure::LandHa)), "5923.1");
    assert_eq!(format!("{:.1}", sum(Measure::LandNotDeliveringHa)), "734.7");
    assert!(e
        .rows
        .iter()
        .all(|t| t.year.map(|y| y.0) == Some(2016) && !t.code.is_empty()));
    // Percentages over 100 in "Floor area - empty (%)" are reported, not used.
    assert!(e.problems.iter().all(|p| p.line > 2 && !p.value.is_empty()));
    assert!(e
        .problems
        .iter()
        .any(|p| p.column == "Floor area - empty (%)"));
}

#[test]
fn every_year_is_read_by_meaning() {
    let e = Estates::read(&[dir().to_string_lossy().into_owned()], &Limits::default());
    let years: Vec<i32> = e.rows.iter().filter_map(|t| t.year.map(|y| y.0)).collect();
    for (y, n) in [(2013, 251), (2014, 241), (2015, 238), (2016, 236)] {
        assert_eq!(years.iter().filter(|&&x| x == y).count(), n, "{y}");
    }
    // The land owned is found under both of its names ("Site land area (Hectare)" before
    // 2016/17, "Land area owned (Hectares)" after).
    for y in [2013, 2016] {
        assert!(e
            .rows
            .iter()
            .any(|t| t.year.map(|x| x.0) == Some(y) && t.get(Measure::LandHa).is_some()));
    }
}
