//! The workspace analyses what the file pipeline analyses: the same real files (Salford's and
//! Manchester's July 2021 payments and Salford's contracts register) imported as batches, read
//! back from the store and prepared from records give the same supplier register and the
//! same figures, for every scope, year and category, as `anchornet analyse` reading the files
//! directly — and a decision made in the web's review is an override the command line
//! applies the same way.

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
        suppliers: Default::default(),
        targets: Default::default(),
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
    same_register_and_figures(&app, &net, &geo);
    same_register_persisted(&app).await;

    // Decisions in the web: reject a merge the resolver made and a location.
    let admin = app.login("admin").await;
    let queue = app.get(Some(&admin), "/review.json").await.json();
    let items = queue["tables"][0]["rows"].as_array().unwrap().clone();
    let link = common::merged_link(&app, &items);
    let loc = items
        .iter()
        .find(|i| i["kind"] == "location")
        .expect("a location to review")
        .clone();
    for (kind, item) in [("link", &link), ("location", &loc)] {
        let r = app
            .post_form(
                Some(&admin),
                "/review",
                &[
                    ("csrf", &admin.csrf),
                    ("kind", kind),
                    ("subject", item["subject"].as_str().unwrap()),
                    ("entity", item["entity"].as_str().unwrap()),
                    ("decision", "reject"),
                    ("note", "checked"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    // The command line reads the web's decisions as its overrides file.
    let overrides = app.get(Some(&admin), "/review/overrides.csv").await;
    assert_eq!(overrides.status, 200);
    let path = app.dir.join("overrides-from-web.csv");
    std::fs::write(&path, &overrides.body).unwrap();
    let net = NetworkConfig {
        overrides: Some(path.display().to_string()),
        ..net
    };
    let from_files = same_register_and_figures(&app, &net, &geo);
    same_register_persisted(&app).await;
    // And the decisions took effect on both paths.
    let r = &from_files.resolution;
    let (a, b) = (
        link["subject"].as_str().unwrap(),
        link["entity"].as_str().unwrap(),
    );
    assert_ne!(r.name(a).unwrap().entity, r.name(b).unwrap().entity);
    let s = from_files
        .register
        .find(loc["subject"].as_str().unwrap())
        .unwrap();
    assert!(from_files.register.suppliers[s].chosen.is_none());
    assert_eq!(from_files.quality.decisions, 2);
    app.cleanup().await;
}

/// The register as comparable rows: sorted, with files named by their file name (the
/// workspace keeps an upload's name, the command line its path).
fn register_rows(r: &anchornet_suppliers::Register) -> Vec<Vec<String>> {
    comparable(anchornet_suppliers::table::rows(r))
}

fn comparable(rows: impl Iterator<Item = Vec<String>>) -> Vec<Vec<String>> {
    let header = anchornet_suppliers::table::header(Default::default());
    let file = header.iter().position(|h| *h == "location_file").unwrap();
    let mut rows: Vec<Vec<String>> = rows
        .map(|mut row| {
            row[file] = std::path::Path::new(&row[file])
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_default();
            row
        })
        .collect();
    rows.sort();
    rows
}

/// The workspace persists the register it shows: the store's table holds the same rows, in
/// the columns of `anchornet suppliers --out`.
async fn same_register_persisted(app: &common::TestApp) {
    assert_eq!(
        anchornet_store::REGISTER_COLUMNS.len(),
        anchornet_suppliers::table::header(Default::default()).len()
    );
    let stored = app.state.store.register().await.unwrap();
    let shown = register_rows(&app.state.snap().prepared.register);
    assert!(!stored.is_empty());
    assert_eq!(comparable(stored.into_iter()), shown);
}

fn same_register_and_figures(
    app: &common::TestApp,
    net: &NetworkConfig,
    geo: &anchornet_geo::GeoIndex,
) -> anchornet_network::Prepared {
    let from_files = anchornet_network::prepare(net, geo, None, &|_, _| {}).unwrap();
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
    let (web, cli) = (
        register_rows(&snap.prepared.register),
        register_rows(&from_files.register),
    );
    assert!(cli.len() > 1000, "{}", cli.len());
    assert_eq!(web.len(), cli.len());
    for (w, c) in web.iter().zip(&cli) {
        assert_eq!(w, c);
    }
    from_files
}
