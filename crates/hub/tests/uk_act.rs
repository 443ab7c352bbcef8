//! Procurement Act 2023 notices (OCDS for the UK profile), one hand-built release per notice
//! type in `fixtures/uk_act/` (see its NOTICE: built from the notice specification, not
//! published data). Each procurement is read one notice at a time, in the order they are
//! published, and the merged opportunity is checked after each: the expected values below
//! are written by hand from the fixture files, not from the code under test.

mod common;

use anchornet_core::Pence;
use anchornet_hub::sources;
use anchornet_hub::Opportunity;
use anchornet_ingest::Limits;
use chrono::NaiveDate;

fn day(s: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

/// The one opportunity the first `n` of `files` merge into.
fn after(files: &[&str], n: usize) -> Opportunity {
    let paths: Vec<_> = files[..n]
        .iter()
        .map(|f| common::fixture(&format!("uk_act/{f}")))
        .collect();
    let p = sources::read(&paths, &Limits::default());
    let read: u64 = p.reports.iter().map(|r| r.read).sum();
    let rejected: u64 = p.reports.iter().map(|r| r.rejected).sum();
    assert_eq!((read, rejected), (n as u64, 0), "{:#?}", p.issues);
    assert!(p.issues.is_empty(), "{:#?}", p.issues);
    assert_eq!(p.opportunities.len(), 1);
    p.opportunities.into_iter().next().unwrap()
}

const A: [&str; 9] = [
    "A1_UK1_pipeline.json",
    "A2_UK2_preliminary_market_engagement.json",
    "A3_UK3_planned_procurement.json",
    "A4_UK4_tender.json",
    "A5_UK6_contract_award.json",
    "A6_UK7_contract_details.json",
    "A7_payments_s70.json",
    "A8_UK9_contract_performance.json",
    "A9_UK10_contract_change.json",
];

#[test]
fn pipeline_and_planned_procurement_notices_are_planned() {
    // UK1: tender/status "planned", value £2,400,000 net, futureNoticeDate 2025-07-01.
    let o = after(&A, 1);
    assert_eq!(o.id, "ocds-h6vhtk-0a0001");
    assert_eq!(o.buyer, "Example Borough Council");
    assert_eq!(o.title, "Grounds maintenance of parks and open spaces");
    assert_eq!(o.status.as_deref(), Some("planned"));
    assert_eq!(o.stage, "planning");
    assert_eq!(o.value, Some(Pence(240_000_000)));
    assert_eq!(o.value_basis, Some("tender value"));
    assert_eq!(o.cpv[0].to_string(), "77314000");
    assert_eq!(o.to_market, day("2025-07-01"));
    assert_eq!(o.notices, ["UK1"]);
    // UK2 adds its notice; UK3 moves the expected tender notice date to 2025-07-15.
    let o = after(&A, 2);
    assert_eq!(o.notices, ["UK1", "UK2"]);
    assert_eq!(o.stage, "planning");
    let o = after(&A, 3);
    assert_eq!(o.notices, ["UK1", "UK2", "UK3"]);
    assert_eq!(o.status.as_deref(), Some("planned"));
    assert_eq!(o.to_market, day("2025-07-15"));
    assert_eq!(o.title, "Grounds maintenance of parks and open spaces");
}

#[test]
fn a_tender_notice_makes_it_active() {
    // UK4: status active, tender period 2025-07-15 to 2025-08-20, contract period
    // 2025-10-01 to 2028-09-30 (max extent 2029-09-30), suitable for SMEs and VCSEs, 2 lots.
    let o = after(&A, 4);
    assert_eq!(o.status.as_deref(), Some("active"));
    assert_eq!(o.stage, "tender");
    assert_eq!(o.procedure.as_deref(), Some("Open procedure"));
    assert_eq!(o.to_market, day("2025-07-15"));
    assert_eq!(o.tender_end, day("2025-08-20"));
    assert_eq!(o.contract_start, day("2025-10-01"));
    assert_eq!(o.contract_end, day("2028-09-30"));
    assert_eq!(o.max_extent, day("2029-09-30"));
    assert_eq!((o.sme_suitable, o.vcse_suitable), (Some(true), Some(true)));
    assert_eq!(o.lots, ["North parks", "South parks"]);
    assert!(o.incumbents.is_empty());
    assert_eq!(o.notices, ["UK1", "UK2", "UK3", "UK4"]);
}

#[test]
fn contract_award_then_contract_details() {
    // UK6: award 1 pending (standstill to 2025-09-17), Green Spaces Salford CIC: the award
    // stage, no incumbent yet; the tender closed ("complete").
    let o = after(&A, 5);
    assert_eq!(o.stage, "award");
    assert_eq!(o.status.as_deref(), Some("complete"));
    assert!(o.incumbents.is_empty());
    assert_eq!(o.notices, ["UK1", "UK2", "UK3", "UK4", "UK6"]);
    // UK7: award 1 active, contract 1 signed and active, £2,350,000.
    let o = after(&A, 6);
    assert_eq!(o.stage, "contract");
    assert_eq!(o.contract_status.as_deref(), Some("active"));
    assert_eq!(o.value, Some(Pence(235_000_000)));
    assert_eq!(o.value_basis, Some("contract value"));
    assert_eq!(o.incumbent_names(), "Green Spaces Salford CIC");
    let inc = &o.incumbents[0];
    assert_eq!(inc.postcode.as_deref(), Some("M6 8HD"));
    assert_eq!(inc.sme, Some(true));
    assert_eq!(o.contract_end, day("2028-09-30"));
    assert_eq!(o.notices, ["UK1", "UK2", "UK3", "UK4", "UK6", "UK7"]);
}

#[test]
fn payments_performance_and_change() {
    // Section 70 payments: £195,833.33 + £195,833.34 = £391,666.67.
    let o = after(&A, 7);
    assert_eq!(o.paid, Some(Pence(39_166_667)));
    // UK9 adds its notice and changes nothing else.
    let o = after(&A, 8);
    assert_eq!(o.notices.last().map(String::as_str), Some("UK9"));
    assert_eq!(o.contract_end, day("2028-09-30"));
    assert_eq!(o.paid, Some(Pence(39_166_667)));
    // UK10: the contract now ends 2029-03-31 and is worth £2,600,000; it started as before.
    let o = after(&A, 9);
    assert_eq!(o.stage, "contract");
    assert_eq!(o.contract_end, day("2029-03-31"));
    assert_eq!(o.contract_start, day("2025-10-01"));
    assert_eq!(o.max_extent, day("2029-09-30"));
    assert_eq!(o.value, Some(Pence(260_000_000)));
    assert_eq!(
        o.notices,
        ["UK1", "UK2", "UK3", "UK4", "UK6", "UK7", "UK9", "UK10"]
    );
    assert_eq!(o.releases, 9);
}

#[test]
fn procurement_termination_cancels_the_tender() {
    let b = ["B1_UK4_tender.json", "B2_UK12_procurement_termination.json"];
    let o = after(&b, 1);
    assert_eq!((o.status.as_deref(), o.stage), (Some("active"), "tender"));
    assert_eq!(o.value, Some(Pence(9_000_000)));
    let o = after(&b, 2);
    assert_eq!(o.status.as_deref(), Some("cancelled"));
    assert_eq!(o.stage, "terminated");
    assert_eq!(o.title, "Catering for civic events");
    assert_eq!(o.notices, ["UK4", "UK12"]);
}

#[test]
fn transparency_notice_direct_award_then_contract_termination() {
    let c = [
        "C1_UK5_transparency.json",
        "C2_UK7_contract_details.json",
        "C3_UK11_contract_termination.json",
    ];
    // UK5: a direct award, pending: the award stage.
    let o = after(&c, 1);
    assert_eq!(o.procedure.as_deref(), Some("Direct award"));
    assert_eq!(o.stage, "award");
    assert_eq!(o.value, Some(Pence(30_000_000)));
    // UK7: contract to 2027-03-31; the incumbent is a large company (details/scale).
    let o = after(&c, 2);
    assert_eq!(o.stage, "contract");
    assert_eq!(o.contract_end, day("2027-03-31"));
    assert_eq!(o.incumbent_names(), "Northern Cleaning Services Ltd");
    assert_eq!(o.incumbents[0].company_number.as_deref(), Some("01234567"));
    assert_eq!(o.incumbents[0].sme, Some(false));
    // UK11: terminated, ending 2026-02-28 (implementation/endDate), not 2027-03-31.
    let o = after(&c, 3);
    assert_eq!(o.stage, "terminated");
    assert_eq!(o.contract_status.as_deref(), Some("terminated"));
    assert_eq!(o.contract_end, day("2026-02-28"));
    assert_eq!(o.contract_start, day("2025-04-01"));
    assert_eq!(o.notices, ["UK5", "UK7", "UK11"]);
}

#[test]
fn the_whole_folder_gives_three_procurements() {
    let p = sources::read(&[common::fixture("uk_act")], &Limits::default());
    let read: u64 = p.reports.iter().map(|r| r.read).sum();
    assert_eq!(read, 14);
    let mut stages: Vec<(&str, &str)> = p
        .opportunities
        .iter()
        .map(|o| (o.id.as_str(), o.stage))
        .collect();
    stages.sort();
    assert_eq!(
        stages,
        [
            ("ocds-h6vhtk-0a0001", "contract"),
            ("ocds-h6vhtk-0b0002", "terminated"),
            ("ocds-h6vhtk-0c0003", "terminated"),
        ]
    );
}
