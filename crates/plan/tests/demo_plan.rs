//! The demo network's plan, judged on the real data; then the data change (Salford's 2022/23
//! payment files are taken away) and the statuses change as worked out by hand.
//!
//! Salford City Council alone, with its contracts register, as in `data/demo/anchornet.toml`.
//! The figures the statuses are worked from are printed by the test (`--nocapture`) and are
//! the analysis's; the statuses are the rule of `docs/methodology/plan-status.md` applied to
//! them by hand, below.

use std::path::{Path, PathBuf};

use anchornet_core::FinancialYear;
use anchornet_metrics::{analyse, ScopeName};
use anchornet_network::{prepare, NetworkConfig};
use anchornet_plan::indicator::{Facts, IndicatorId};
use anchornet_plan::{Evaluated, Plan, Status};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The demo network cut to Salford, paying from `payments`.
fn salford(payments: &Path) -> Facts {
    let mut cfg = NetworkConfig::load(&root().join("data/demo/anchornet.toml")).unwrap();
    cfg.anchors.retain(|a| a.name == "Salford City Council");
    cfg.anchors[0].payments = vec![payments.display().to_string()];
    let geo = anchornet_geo::GeoIndex::open_default().unwrap();
    let p = prepare(&cfg, &geo, None, &|_, _| {}).unwrap();
    Facts {
        analysis: Some(analyse(&p.dataset, None)),
        ..Facts::default()
    }
}

const PLAN: &str = r#"
name = "Salford actions of the demo plan"

[[action]]
id = "P1"
title = "Local firms first for quotes under the threshold"
owner = "Head of Procurement"
anchors = ["Salford City Council"]
pillar = "progressive-procurement"
deadline = "2026/27"
target = { indicator = "local_share_of_located", at_least = 40, baseline_year = "2021/22" }

[[action]]
id = "P2"
title = "Locate the suppliers of the largest spend"
owner = "Procurement analyst"
anchors = ["Salford City Council"]
pillar = "progressive-procurement"
deadline = "2026/27"
target = { indicator = "location_coverage", at_least = 36, baseline_year = "2021/22" }

[[action]]
id = "P3"
title = "Keep spend with the ten largest suppliers from rising"
owner = "Head of Procurement"
anchors = ["Salford City Council"]
pillar = "plural-ownership"
deadline = "2026/27"
target = { indicator = "top10_supplier_share", at_most = 30, baseline_year = "2021/22" }
"#;

#[test]
fn statuses_follow_the_data() {
    let plan = Plan::parse("plan.toml", PLAN, Path::new("")).unwrap();
    let scope = ScopeName::Anchor("Salford City Council".into());
    let show = |f: &Facts| {
        for id in [
            IndicatorId::LocalShareOfLocated,
            IndicatorId::LocationCoverage,
            IndicatorId::Top10Share,
        ] {
            eprintln!("{id}: {:?}", f.series(id, &scope));
        }
    };

    // All of Salford's files: 2021/22 and April–June 2022 (2022/23).
    let all = salford(&root().join("data/demo/spend/salford"));
    show(&all);
    let fy = |r: &anchornet_plan::Reading| r.fy;
    let local = all.series(IndicatorId::LocalShareOfLocated, &scope);
    assert_eq!(
        local.iter().map(fy).collect::<Vec<_>>(),
        [FinancialYear(2021), FinancialYear(2022)]
    );
    // Salford alone (the demo network's figures for Salford, 32.1% and 16.6%, come from the
    // three councils resolved together; alone its suppliers resolve slightly differently).
    // Readings of this run (printed above), to one decimal:
    //   local_share_of_located  2021/22 32.4   2022/23 16.7
    //   location_coverage       2021/22 37.8   2022/23 37.4
    //   top10_supplier_share    2021/22 35.7   2022/23 40.5
    let one = |id| {
        all.series(id, &scope)
            .iter()
            .map(|r| format!("{:.1}", r.value))
            .collect::<Vec<_>>()
    };
    assert_eq!(one(IndicatorId::LocalShareOfLocated), ["32.4", "16.7"]);
    assert_eq!(one(IndicatorId::LocationCoverage), ["37.8", "37.4"]);
    assert_eq!(one(IndicatorId::Top10Share), ["35.7", "40.5"]);
    let e = Evaluated::new(plan.clone(), &all);
    let got: Vec<Status> = e.actions.iter().map(|(_, x)| x.status).collect();
    // By hand (docs/methodology/plan-status.md); the path runs 2021/22 → 2026/27, so 2022/23
    // is 1/5 of the way:
    // P1 (≥ 40): milestone 32.4 + (40 − 32.4)/5 = 33.9; 16.7 is below it and below the
    //     baseline 32.4 → off track.
    // P2 (≥ 36): 37.4 meets the target → on track.
    // P3 (≤ 30): milestone 35.7 + (30 − 35.7)/5 = 34.6; 40.5 is above it and above (worse
    //     than) the baseline 35.7 → off track.
    assert_eq!(
        got,
        [Status::OffTrack, Status::OnTrack, Status::OffTrack],
        "{:?}",
        e.actions
    );

    // The data change: Salford's 2022/23 files are taken away.
    let dir = std::env::temp_dir().join(format!("anchornet-plan-salford-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in std::fs::read_dir(root().join("data/demo/spend/salford")).unwrap() {
        let p = f.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("2022-04")
            && !name.starts_with("2022-05")
            && !name.starts_with("2022-06")
        {
            std::fs::copy(&p, dir.join(&name)).unwrap();
        }
    }
    let less = salford(&dir);
    show(&less);
    let e2 = Evaluated::new(plan, &less);
    // Now 2021/22 is the only reading, and it is the baseline year (rule 4: one reading):
    // P1: 32.4 < 40, not met → at risk (was off track).
    // P2: 37.8 ≥ 36 → on track.
    // P3: 35.7 > 30, not met → at risk (was off track).
    let got2: Vec<Status> = e2.actions.iter().map(|(_, x)| x.status).collect();
    assert_eq!(
        got2,
        [Status::AtRisk, Status::OnTrack, Status::AtRisk],
        "{:?}",
        e2.actions
    );
    // The change log records the status change of P1 and nothing for P2's status.
    let log = anchornet_plan::history::diff(&e.state(), &e2.state(), "t");
    assert!(log.iter().any(|c| c.action == "P1"
        && c.field == "status"
        && c.from == "off track"
        && c.to == "at risk"));
    assert!(!log.iter().any(|c| c.action == "P2" && c.field == "status"));
    std::fs::remove_dir_all(&dir).unwrap();
}
