//! `plan.docx`, the board's paper, checked by an independent reader: the demo network's plan
//! judged on Salford City Council's real payments (July 2021 to June 2022, data/demo/spend,
//! Open Government Licence v3.0) with the demo's self-assessments, written by
//! [`render::write`]; then `tests/reference/plan_docx.py` (Python standard library: zipfile,
//! xml.etree, csv) opens the package, checks every part is well-formed XML, and compares the
//! document's table of actions with `plan.csv` and its heatmap with `assessment.csv` of the
//! same run, cell for cell.

use std::path::PathBuf;
use std::process::Command;

use anchornet_network::{prepare, NetworkConfig};
use anchornet_plan::assess::Assessments;
use anchornet_plan::indicator::Facts;
use anchornet_plan::{render, Evaluated, Plan};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_board_paper_holds_the_plan_csv_and_the_heatmap() {
    let mut cfg = NetworkConfig::load(&root().join("data/demo/anchornet.toml")).unwrap();
    cfg.anchors.retain(|a| a.name == "Salford City Council");
    cfg.anchors[0].payments = [
        "2021-07", "2021-08", "2021-09", "2021-10", "2021-11", "2021-12", "2022-01", "2022-02",
        "2022-03", "2022-04", "2022-05", "2022-06",
    ]
    .iter()
    .map(|m| {
        root()
            .join(format!("data/demo/spend/salford/{m}.csv.xz"))
            .display()
            .to_string()
    })
    .collect();
    let geo = anchornet_geo::GeoIndex::open_default().unwrap();
    let prepared = prepare(&cfg, &geo, None, &|_, _| {}).unwrap();
    let facts = Facts {
        analysis: Some(anchornet_metrics::analyse(&prepared.dataset, None)),
        ..Facts::default()
    };
    let plan = Plan::load(&root().join("data/demo/plan.toml")).unwrap();
    let mut answers = Assessments::default();
    for f in ["self-assessment-2024-25.csv", "self-assessment-2025-26.csv"] {
        let p = root().join("data/demo/assessments").join(f);
        answers.parse(
            &p.display().to_string(),
            &std::fs::read_to_string(&p).unwrap(),
        );
    }
    assert!(answers.problems.is_empty(), "{:?}", answers.problems);
    answers.measure(&facts);
    let e = Evaluated::new(plan, &facts);

    let out = std::env::temp_dir().join(format!("anchornet-plan-docx-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let written = render::write(&out, &e, &[], Some(&answers)).unwrap();
    assert!(
        written.iter().any(|p| p.ends_with("plan.docx")),
        "{written:?}"
    );

    let script = root().join("crates/plan/tests/reference/plan_docx.py");
    let run = Command::new("python3")
        .arg(&script)
        .arg(&out)
        .output()
        .expect("python3 runs the reference script");
    let said = String::from_utf8_lossy(&run.stdout);
    println!("{said}");
    assert!(
        run.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Salford's actions have figures; the others' anchors are not in this run.
    assert!(said.starts_with("ok: 10 actions ("), "{said}");
    assert!(said.contains("no data"), "{said}");
    std::fs::remove_dir_all(&out).ok();
}
