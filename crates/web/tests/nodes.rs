//! Two web nodes on one database behave as one (issue 18, several stateless web nodes): a
//! session made on node 1 works on node 2 and ends on both when signed out; an import through
//! node 1 is in node 2's overview on the very next request, not after node 2's five-second
//! watcher; node 2's figures equal node 1's. On SQLite (one file, two processes' worth of
//! state) and on PostgreSQL when reachable. A node's rebuild reads only the batches it does not
//! hold, and equals a new node's full read.

mod common;

use common::{Db, TestApp};

fn payments(overview_json: &serde_json::Value) -> i64 {
    overview_json["tables"][0]["rows"][0]["payments"]
        .as_i64()
        .unwrap()
}

async fn story(db: Db) {
    let one = TestApp::spawn(db, false).await;
    let two = one.second_node().await;

    // Signed in on node 1; the session is node 2's too.
    let s = one.login("admin").await;
    let me = two.get(Some(&s), "/me.json").await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.json()["tables"][0]["rows"][0]["username"], "admin");

    // An import through node 1, then at once node 2's overview.
    let before = payments(&two.get(Some(&s), "/overview.json").await.json());
    let bytes = std::fs::read(common::demo("spend/salford/2021-08.csv.xz")).unwrap();
    one.import(&s, one.salford.id, "2021-08.csv.xz", bytes)
        .await;
    let on_one = one.get(Some(&s), "/overview.json").await.json();
    let on_two = two.get(Some(&s), "/overview.json").await.json();
    assert!(payments(&on_one) > before, "node 1 did not take the import");
    assert_eq!(
        payments(&on_two),
        payments(&on_one),
        "node 2 served the analysis from before node 1's import"
    );
    assert_eq!(on_two["tables"], on_one["tables"]);

    // Signed out on node 2: the session ends on node 1 as well.
    let r = two
        .post_form(Some(&s), "/logout", &[("csrf", &s.csrf)])
        .await;
    assert!(
        r.status == 303 || r.status == 200,
        "{} {}",
        r.status,
        r.body
    );
    assert_eq!(one.get(Some(&s), "/overview.json").await.status, 401);
    one.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_one_database_behave_as_one() {
    for db in common::backends().await {
        story(db).await;
    }
}

/// The register as the pages and the store see it.
fn register(app: &TestApp) -> Vec<Vec<String>> {
    anchornet_suppliers::table::rows(&app.state.snap().prepared.register).collect()
}

/// Node 1's analysis, rebuilt from what it held plus what the store gained or lost, against
/// a new node's, which reads every batch: the same payments in the same order, the same
/// figures, the same register.
async fn same_as_a_full_read(one: &TestApp, what: &str) {
    let fresh = one.second_node().await;
    let (inc, full) = (one.state.snap(), fresh.state.snap());
    assert_eq!(inc.batches, full.batches, "{what}: batches");
    assert!(
        inc.prepared.payments == full.prepared.payments,
        "{what}: payments differ"
    );
    assert_eq!(
        serde_json::to_value(&inc.analysis).unwrap(),
        serde_json::to_value(&full.analysis).unwrap(),
        "{what}: analysis"
    );
    assert_eq!(register(one), register(&fresh), "{what}: register");
}

async fn incremental_story(db: Db) {
    let one = TestApp::spawn(db, false).await;
    let live = |app: &TestApp| app.state.snap().batches.len();
    let held = live(&one);
    assert!(held >= 3, "{held} batches held after the first build");
    let limits = one.state.cfg.limits;
    // Two more months, imported as the CLI does (another process), then node 1 rebuilds:
    // it reads only these two batches from the store.
    for (anchor, path, name) in [
        (
            &one.manchester,
            "spend/manchester/2021-08.csv.xz",
            "m-2021-08.csv.xz",
        ),
        (
            &one.salford,
            "spend/salford/2021-08.csv.xz",
            "s-2021-08.csv.xz",
        ),
    ] {
        let p = common::renamed(&one.dir, path, name);
        anchornet_web::import::import_file(one.store.as_ref(), anchor, &p, "cli", &limits)
            .await
            .unwrap();
    }
    let before = one.state.snap().prepared.payments.len();
    one.state.rebuild().await.unwrap();
    assert_eq!(live(&one), held + 2);
    assert!(one.state.snap().prepared.payments.len() > before);
    same_as_a_full_read(&one, "after two imports").await;

    // A batch withdrawn: node 1 drops what it held of it.
    let first = one.state.snap().batches[0].0;
    assert!(one.store.withdraw_batch(first, "admin").await.unwrap());
    one.state.rebuild().await.unwrap();
    assert_eq!(live(&one), held + 1);
    assert!(one.state.snap().batches.iter().all(|b| b.0 != first));
    same_as_a_full_read(&one, "after a withdrawal").await;
    one.cleanup().await;
}

/// Incremental re-analysis in the workspace (issue 18): a rebuild takes the batches the
/// current analysis holds from it and reads only new ones from the store, with the same
/// result as reading everything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebuild_reads_only_new_batches_and_equals_a_full_read() {
    for db in common::backends().await {
        incremental_story(db).await;
    }
}
