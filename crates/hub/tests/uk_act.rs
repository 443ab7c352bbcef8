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

const D: [&str; 4] = [
    "D1_UK13_dynamic_market_intention.json",
    "D2_UK14_dynamic_market_establishment.json",
    "D3_UK15_dynamic_market_modification.json",
    "D4_UK16_dynamic_market_cessation.json",
];

#[test]
fn dynamic_market_is_open_until_it_ceases() {
    // UK13: techniques/hasDynamicPurchasingSystem true, tender active, suppliers may apply
    // from 2025-11-03 until 2029-10-31; no value yet; CPV 85312000; suits SMEs and VCSEs.
    let o = after(&D, 1);
    assert_eq!(o.id, "ocds-h6vhtk-0d0004");
    assert_eq!(o.title, "Dynamic market for community support services");
    assert_eq!(
        (o.status.as_deref(), o.stage),
        (Some("active"), "dynamic market")
    );
    assert_eq!(o.procedure.as_deref(), Some("Dynamic market"));
    assert_eq!(o.to_market, day("2025-11-03"));
    assert_eq!(o.tender_end, day("2029-10-31"));
    assert_eq!(o.value, None);
    assert_eq!((o.sme_suitable, o.vcse_suitable), (Some(true), Some(true)));
    assert_eq!(
        o.cpv.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        ["85312000"]
    );
    assert_eq!(o.notices, ["UK13"]);
    // UK14 establishes it with an estimated value of £4,000,000: still open.
    let o = after(&D, 2);
    assert_eq!(o.stage, "dynamic market");
    assert_eq!(o.value, Some(Pence(400_000_000)));
    assert_eq!(o.value_basis, Some("tender value"));
    assert_eq!(o.notices, ["UK13", "UK14"]);
    // UK15 extends it to 2030-10-31 and adds CPV 85320000; the title stays.
    let o = after(&D, 3);
    assert_eq!(o.stage, "dynamic market");
    assert_eq!(o.tender_end, day("2030-10-31"));
    assert_eq!(
        o.cpv.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        ["85312000", "85320000"]
    );
    assert_eq!(o.title, "Dynamic market for community support services");
    assert_eq!(o.notices, ["UK13", "UK14", "UK15"]);
    // UK16: tender complete, the market closed to new members on 2028-03-31.
    let o = after(&D, 4);
    assert_eq!((o.status.as_deref(), o.stage), (Some("complete"), "ceased"));
    assert_eq!(o.tender_end, day("2028-03-31"));
    assert_eq!(o.value, Some(Pence(400_000_000)));
    assert_eq!(o.notices, ["UK13", "UK14", "UK15", "UK16"]);
    assert_eq!(o.releases, 4);
}

#[test]
fn qualifying_utilities_dynamic_market() {
    // UK17 of a private utility: open 2025-09-15 to 2028-09-14, £12,000,000, CPV 45232150.
    let o = after(&["E1_UK17_utilities_dynamic_market.json"], 1);
    assert_eq!(o.id, "ocds-h6vhtk-0e0005");
    assert_eq!(o.buyer, "Example Water Services Ltd");
    assert_eq!(o.stage, "dynamic market");
    assert_eq!(o.procedure.as_deref(), Some("Utilities dynamic market"));
    assert_eq!(o.to_market, day("2025-09-15"));
    assert_eq!(o.tender_end, day("2028-09-14"));
    assert_eq!(o.value, Some(Pence(1_200_000_000)));
    assert_eq!(o.cpv[0].to_string(), "45232150");
    assert_eq!(o.notices, ["UK17"]);
}

#[test]
fn payments_compliance_notices_are_read_not_opportunities() {
    let paths: Vec<_> = [
        "F1_UK8_payments_compliance.json",
        "F2_UK8_payments_compliance.json",
    ]
    .iter()
    .map(|f| common::fixture(&format!("uk_act/{f}")))
    .collect();
    let p = sources::read(&paths, &Limits::default());
    assert!(p.opportunities.is_empty());
    // Each file: 1 release read, 0 used, 1 rejected with its reason.
    assert_eq!(p.reports.len(), 2);
    for r in &p.reports {
        assert_eq!((r.read, r.used, r.rejected), (1, 0, 1), "{r:?}");
        assert!(r.reconciles());
    }
    assert_eq!(p.issues.len(), 2, "{:#?}", p.issues);
    for i in &p.issues {
        assert_eq!(i.value, "UK8");
        assert_eq!(i.outcome, anchornet_ingest::Outcome::Skipped);
        assert!(
            i.problem.contains("payments compliance notice"),
            "{}",
            i.problem
        );
        assert!(
            i.problem.contains("Example Borough Council"),
            "{}",
            i.problem
        );
    }
    let mut pc = p.payments_compliance.clone();
    pc.sort_by_key(|x| x.period_start);
    assert_eq!(pc.len(), 2);
    // F1: April–September 2025, 18,240 invoices worth £41,250,000.50; 91.5 % within 30
    // days, 6.2 % in 31–60, 2.3 % after 60; 17.4 days on average.
    let a = &pc[0];
    assert_eq!(a.ocid, "ocds-h6vhtk-0f0006");
    // The notice's id and page: its UK8 planning document's `id` and `url`.
    assert_eq!(a.notice_id, "000808-2025");
    assert_eq!(
        a.url.as_deref(),
        Some("https://www.find-tender.service.gov.uk/Notice/000808-2025")
    );
    assert_eq!(a.buyer, "Example Borough Council");
    assert_eq!(
        (a.period_start, a.period_end),
        (day("2025-04-01"), day("2025-09-30"))
    );
    assert_eq!(a.invoices_paid, Some(18_240));
    assert_eq!(a.value_paid, Some(Pence(4_125_000_050)));
    assert_eq!(
        (
            a.within_30_days_percent,
            a.days_31_to_60_percent,
            a.after_60_days_percent,
            a.average_days
        ),
        (Some(91.5), Some(6.2), Some(2.3), Some(17.4))
    );
    // F2: October 2025 – March 2026, 17,905 invoices worth £39,820,110.25; 93.1 / 5.4 / 1.5 %.
    let b = &pc[1];
    assert_eq!(
        (b.period_start, b.period_end),
        (day("2025-10-01"), day("2026-03-31"))
    );
    assert_eq!(b.invoices_paid, Some(17_905));
    assert_eq!(b.value_paid, Some(Pence(3_982_011_025)));
    assert_eq!(b.within_30_days_percent, Some(93.1));
    assert_eq!(b.average_days, Some(16.2));
}

#[test]
fn the_whole_folder_gives_five_procurements_and_two_payment_reports() {
    let p = sources::read(&[common::fixture("uk_act")], &Limits::default());
    let read: u64 = p.reports.iter().map(|r| r.read).sum();
    let used: u64 = p.reports.iter().map(|r| r.used).sum();
    let rejected: u64 = p.reports.iter().map(|r| r.rejected).sum();
    // 21 files of one release each: 19 merged into 5 procurements, the 2 UK8 rejected.
    assert_eq!((read, used, rejected), (21, 19, 2));
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
            ("ocds-h6vhtk-0d0004", "ceased"),
            ("ocds-h6vhtk-0e0005", "dynamic market"),
        ]
    );
    assert_eq!(p.payments_compliance.len(), 2);
}
