//! Two web nodes on one database behave as one (issue 18, several stateless web nodes): a
//! session made on node 1 works on node 2 and ends on both when signed out; an import through
//! node 1 is in node 2's overview on the very next request, not after node 2's five-second
//! watcher; node 2's figures equal node 1's. On SQLite (one file, two processes' worth of
//! state) and on PostgreSQL when reachable.

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
