//! Golden tests on the real procurement files. Expected values come from independent
//! sources, never from the code under test:
//! * counts — `tests/reference/counts.py` (Python standard library, reads the raw files;
//!   rerun and compared with `anchornet hub pipeline --json` by `.ci/independent_checks.py`);
//! * the merge — ocdskit's `compile` (the Open Contracting Partnership's tool on ocdsmerge,
//!   the reference implementation), whose key fields `bench/hub/ocdskit_check.sh` committed
//!   in `bench/hub/ocdskit_2025_keyfields.json`.

mod common;

use anchornet_hub::sources;
use anchornet_ingest::ocds;
use anchornet_ingest::Limits;
use serde_json::{json, Value};

use common::procurement;

/// The fields `bench/hub/keyfields.py` keeps, from a compiled release.
fn key_fields(r: &Value) -> Value {
    let t = r.get("tender").cloned().unwrap_or(json!({}));
    let awards: Vec<Value> = r
        .get("awards")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|a| {
            let sup: Vec<Value> = a
                .get("suppliers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|s| json!([s.get("id"), s.get("name")]))
                .collect();
            json!({"id": a.get("id"), "status": a.get("status"), "date": a.get("date"),
                   "value": a.get("value"), "suppliers": sup})
        })
        .collect();
    json!({
        "ocid": r.get("ocid"), "id": r.get("id"), "date": r.get("date"),
        "buyer": r.pointer("/buyer/name"), "tender_status": t.get("status"),
        "tender_value": t.get("value"), "tender_min_value": t.get("minValue"),
        "tender_period": t.get("tenderPeriod"), "contract_period": t.get("contractPeriod"),
        "awards": awards,
    })
}

#[test]
fn contracts_finder_2025_every_release_accounted_and_merged_as_ocdskit_does() {
    let read = ocds::read_paths(
        &[procurement("contracts_finder_ocds_2025")],
        &Limits::default(),
    );
    // counts.py ocds contracts_finder_ocds_2025 → total files=200 releases=200 accepted=200 rejected=0 ocids=190
    assert_eq!(read.files.len(), 200);
    assert_eq!(read.releases_read(), 200);
    assert_eq!(read.releases.len(), 200);
    assert_eq!(read.rejected(), 0);
    assert!(read.files.iter().all(|f| f.reconciles()));
    let compiled = ocds::compile_all(&read.releases);
    assert_eq!(compiled.len(), 190);

    let mut ours: Vec<Value> = compiled.iter().map(|c| key_fields(&c.json)).collect();
    ours.sort_by(|a, b| a["ocid"].as_str().cmp(&b["ocid"].as_str()));
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../bench/hub/ocdskit_2025_keyfields.json");
    let kit: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(kit.len(), 190);
    for (a, b) in ours.iter().zip(&kit) {
        assert_eq!(
            a, b,
            "compiled release of {} differs from ocdskit's",
            b["ocid"]
        );
    }
    // The procurements with several releases really merged (10 ocids have 2 or more).
    assert_eq!(compiled.iter().filter(|c| c.releases.len() > 1).count(), 10);
}

#[test]
fn contracts_finder_2019_2020_every_release_accounted() {
    let read = ocds::read_paths(
        &[procurement("contracts_finder_ocds_2019_2020")],
        &Limits::default(),
    );
    // counts.py ocds contracts_finder_ocds_2019_2020 → total files=173 releases=173 accepted=173 rejected=0 ocids=173
    assert_eq!(read.files.len(), 173);
    assert_eq!(read.releases_read(), 173);
    assert_eq!(read.rejected(), 0);
    assert_eq!(ocds::compile_all(&read.releases).len(), 173);
}

fn report_and_values(file: &str) -> (sources::SourceReport, i64, usize) {
    let p = sources::read(&[procurement(file)], &Limits::default());
    assert_eq!(p.reports.len(), 1, "{:?}", p.reports);
    let r = p.reports[0].clone();
    assert!(r.reconciles());
    let valued: Vec<i64> = p
        .opportunities
        .iter()
        .filter_map(|o| o.value.map(|v| v.0))
        .collect();
    (r, valued.iter().sum(), valued.len())
}

#[test]
fn salford_contracts_register_one_opportunity_per_contract() {
    let (r, pence, valued) = report_and_values("salford_contracts_register_2022.csv");
    assert_eq!(r.kind, "contracts register");
    // counts.py table salford_contracts_register_2022.csv "Contract Reference|Contract Title" "Total Contract Value (including extensions),Annual Value" → rows=360 keys=300 value_pence=104171597023 valued=293
    assert_eq!(
        (r.read, r.used, r.rejected, r.opportunities),
        (360, 360, 0, 300)
    );
    assert_eq!((pence, valued), (104_171_597_023, 293));
}

#[test]
fn lancashire_notices_one_opportunity_per_notice() {
    let (r, pence, valued) = report_and_values("lancashire_contracts_finder_notices.csv");
    assert_eq!(r.kind, "notices");
    // counts.py table lancashire_contracts_finder_notices.csv "id|title" "awarded_value,value_high,value_low" → rows=1224 keys=1223 value_pence=322206341012 valued=1059
    assert_eq!((r.read, r.opportunities), (1224, 1223));
    assert_eq!((r.used, r.rejected), (1223, 1));
    assert_eq!((pence, valued), (322_206_341_012, 1059));
}

#[test]
fn contracts_finder_forward_plans_valued_by_their_spend_profile() {
    let (r, pence, valued) = report_and_values("cf_pipeline_notices_2013.csv.xz");
    assert_eq!(r.kind, "forward plan");
    // counts.py table cf_pipeline_notices_2013.csv.xz "NoticeID" "SpendFinancial2012_13+SpendFinancial2013_14+SpendFinancial2014_15+SpendFinancial2015_16+SpendFinancial2016_17+SpendFinancial2017_18+SpendFinancial2018_19" → rows=671 keys=671 value_pence=5847256557433 valued=610
    assert_eq!(
        (r.read, r.used, r.rejected, r.opportunities),
        (671, 671, 0, 671)
    );
    assert_eq!((pence, valued), (5_847_256_557_433, 610));
}
