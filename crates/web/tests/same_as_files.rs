//! The workspace analyses what the file pipeline analyses: the same real files (Salford's and
//! Manchester's July 2021 payments and Salford's contracts register) imported as batches, read
//! back from the store and prepared from records give the same figures, for every scope,
//! year and category, as `anchornet analyse` reading the files directly.

mod common;

use anchornet_metrics::analyse;
use anchornet_network::config::{AnchorConfig, AnchorKind, NetworkConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspace_figures_equal_the_file_pipelines() {
    let app = common::TestApp::spawn(common::Db::Sqlite, false).await;
    let files = app.dir.join("files");
    let anchor = |name: &str, payments: &str, registers: Vec<String>| AnchorConfig {
        name: name.into(),
        kind: AnchorKind::Council,
        payments: vec![files.join(payments).display().to_string()],
        vendors: Vec::new(),
        registers,
        mapping: None,
    };
    let net = NetworkConfig {
        name: "Test network".into(),
        local_place: "Manchester, Salford and Trafford".into(),
        wider_place: "Greater Manchester".into(),
        deprivation: Default::default(),
        rules: None,
        places: Some(common::demo("places.toml").display().to_string()),
        registers: Vec::new(),
        overrides: None,
        anchors: vec![
            anchor(
                "Salford City Council",
                "salford-2021-07.csv.xz",
                vec![files.join("salford-register.csv.xz").display().to_string()],
            ),
            anchor(
                "Manchester City Council",
                "manchester-2021-07.csv.xz",
                Vec::new(),
            ),
        ],
        base: app.dir.clone(),
    };
    let geo = anchornet_geo::GeoIndex::open_default().unwrap();
    let from_files = anchornet_network::prepare(&net, &geo, None, &|_, _| {}).unwrap();
    let direct = analyse(&from_files.dataset, None);
    let snap = app.state.snap();
    assert_eq!(
        snap.prepared.dataset.txns.len(),
        from_files.dataset.txns.len()
    );
    assert_eq!(
        snap.prepared.payments.len(),
        snap.prepared.dataset.txns.len()
    );
    assert!(!direct.figures.is_empty());
    assert_eq!(snap.analysis.figures, direct.figures);
    assert_eq!(snap.analysis.categories, direct.categories);
    assert_eq!(snap.analysis.leakage, direct.leakage);
    app.cleanup().await;
}
