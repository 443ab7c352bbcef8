//! Authorisation, by enumeration. Every route of `router::routes()` — and so every route
//! added later — is requested, page and twins, with every parameter filled by the other
//! anchor's ids, as a member of Salford, as a viewer and signed out: none may show one of
//! Manchester's payments. Canaries are Manchester's transaction numbers (real, from its July
//! 2021 file) and its batch's file name; a positive control shows the same canaries are
//! visible to an admin, so the check can fail.
//!
//! The public view: every published figure is checked against counts made here from the
//! dataset (at least 5 suppliers and 10 payments, else suppressed, and never exactly one
//! suppressed cell in a table); and a supplier confirmed as an individual never appears
//! outside the anchor that paid them.

mod common;

use std::collections::{HashMap, HashSet};

use anchornet_web::router::{paths_of, routes, Access};
use common::{Db, Session, TestApp};

/// Manchester's payment canaries: transaction numbers found nowhere in Salford's data.
fn canaries(app: &TestApp) -> Vec<String> {
    let snap = app.state.snap();
    let salford_text: String = snap
        .prepared
        .payments
        .iter()
        .filter(|p| p.anchor == app.salford.name)
        .map(|p| format!("{p:?}"))
        .collect();
    let mut c: Vec<String> = snap
        .prepared
        .payments
        .iter()
        .filter(|p| p.anchor == app.manchester.name)
        .filter_map(|p| p.transaction_id.clone())
        .filter(|t| t.len() >= 8 && !salford_text.contains(t.as_str()))
        .collect();
    c.sort();
    c.dedup();
    assert!(c.len() > 3000, "{} canaries", c.len());
    c.push("manchester-2021-07".into());
    c
}

/// Every concrete GET URL, with parameters filled by `fill`.
fn urls(fill: &HashMap<&str, Vec<String>>) -> Vec<(String, Access)> {
    let mut out = Vec::new();
    for r in routes().iter().filter(|r| r.method == "GET") {
        for p in paths_of(r) {
            let mut expanded = vec![p.clone()];
            for (k, vals) in fill {
                let ph = format!("{{{k}}}");
                if p.contains(&ph) {
                    expanded = expanded
                        .iter()
                        .flat_map(|e| vals.iter().map(|v| e.replace(&ph, v)).collect::<Vec<_>>())
                        .collect();
                }
            }
            assert!(
                expanded.iter().all(|e| !e.contains('{')),
                "a new route parameter in {p}: give it values in this test"
            );
            out.extend(expanded.into_iter().map(|e| (e, r.access)));
        }
    }
    out
}

/// Suppliers and payments, all and influenceable.
type Counts = (HashSet<u32>, u64, HashSet<u32>, u64);

fn leaks(body: &str, canaries: &[String]) -> Vec<String> {
    canaries
        .iter()
        .filter(|c| body.contains(c.as_str()))
        .take(3)
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_route_shows_another_anchors_payments() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let canaries = canaries(&app);
    let admin = app.login("admin").await;
    let member = app.login("salford").await;
    let viewer = app.login("viewer").await;

    // A Manchester import job, so job URLs exist.
    let bytes = std::fs::read(common::demo("spend/manchester/2021-08.csv.xz")).unwrap();
    let manchester = app.login("manchester").await;
    let job = app
        .import(
            &manchester,
            app.manchester.id,
            "manchester-2021-08.csv.xz",
            bytes,
        )
        .await;
    let job_id = job["id"].as_i64().unwrap().to_string();

    let snap = app.state.snap();
    let mi = snap.anchor_index(app.manchester.id).unwrap();
    let si = snap.anchor_index(app.salford.id).unwrap();
    // Suppliers paid by Manchester: only by it, and by both.
    let paid_by_m: Vec<String> = snap
        .suppliers
        .iter()
        .filter(|s| s.anchors.contains(&mi))
        .map(|s| s.key.clone())
        .collect();
    let both: Vec<String> = snap
        .suppliers
        .iter()
        .filter(|s| s.anchors.contains(&mi) && s.anchors.contains(&si))
        .map(|s| s.key.clone())
        .collect();
    assert!(!both.is_empty());
    let mut suppliers: Vec<String> = paid_by_m.iter().take(30).cloned().collect();
    suppliers.extend(both.iter().take(30).cloned());
    let m_batches: Vec<String> = app
        .store
        .batches(Some(app.manchester.id))
        .await
        .unwrap()
        .iter()
        .map(|b| b.id.to_string())
        .collect();
    let users: Vec<String> = app
        .store
        .users()
        .await
        .unwrap()
        .iter()
        .map(|u| u.id.to_string())
        .collect();
    // Hub opportunities: a few, and Manchester City Council's own notices.
    let pipe = app.state.hub.pipeline(&app.state.cfg).await;
    let mut ocids: Vec<String> = pipe
        .opportunities
        .iter()
        .filter(|o| o.buyer == app.manchester.name)
        .chain(pipe.opportunities.iter().take(3))
        .map(|o| o.id.clone())
        .collect();
    ocids.push("ocds-no-such-notice".into());
    let fill: HashMap<&str, Vec<String>> = HashMap::from([
        ("ocid", ocids),
        (
            "anchor",
            vec![app.manchester.id.to_string(), app.salford.id.to_string()],
        ),
        ("supplier", suppliers),
        ("batch", m_batches.clone()),
        ("job", vec![job_id]),
        ("user", users),
        ("file", vec!["style.css".into()]),
        ("asset", vec!["TMBC0004".into()]),
    ]);
    let all = urls(&fill);
    assert!(all.len() > 150, "{}", all.len());

    // Positive control: an admin does see the canaries (on the payments pages).
    let mut admin_saw = 0;
    for (u, _) in &all {
        let r = app.get(Some(&admin), u).await;
        assert!(r.status < 500, "{u}: {}", r.status);
        if !leaks(&r.body, &canaries).is_empty() {
            admin_saw += 1;
        }
    }
    assert!(
        admin_saw >= 5,
        "the canaries must be visible to an admin ({admin_saw} URLs)"
    );

    // The member of Salford, the viewer, and nobody: no canary anywhere.
    for (who, s) in [
        ("salford member", Some(&member)),
        ("viewer", Some(&viewer)),
        ("signed out", None::<&Session>),
    ] {
        for (u, access) in &all {
            let r = app.get(s, u).await;
            assert!(r.status < 500, "{who} {u}: {} {}", r.status, r.body);
            let l = leaks(&r.body, &canaries);
            assert!(
                l.is_empty(),
                "{who} saw Manchester's payments at {u}: {l:?}"
            );
            if s.is_none() && *access != Access::Public {
                assert!(
                    matches!(r.status, 303 | 401),
                    "{u} answered {} signed out",
                    r.status
                );
            }
            if who == "viewer" && matches!(access, Access::Rows | Access::Admin) {
                assert!(matches!(r.status, 403 | 404), "viewer {u}: {}", r.status);
            }
        }
    }

    // Changes too: a member cannot withdraw or import another anchor's batches.
    for b in &m_batches {
        let r = app
            .post_form(
                Some(&member),
                &format!("/imports/{b}/withdraw"),
                &[("csrf", &member.csrf)],
            )
            .await;
        assert!(matches!(r.status, 403 | 404), "{}", r.status);
    }
    assert!(app
        .store
        .batches(Some(app.manchester.id))
        .await
        .unwrap()
        .iter()
        .all(|b| b.live()));
    for r in routes()
        .iter()
        .filter(|r| r.method == "POST" && r.access == Access::Admin)
    {
        let path = r.path.replace("{user}", "1");
        let resp = app
            .post_form(Some(&member), &path, &[("csrf", &member.csrf)])
            .await;
        assert!(
            matches!(resp.status, 403 | 422 | 400),
            "member POST {path}: {}",
            resp.status
        );
    }
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_view_suppresses_small_cells_and_names_no_individual() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let admin = app.login("admin").await;
    let snap = app.state.snap();
    let ds = &snap.prepared.dataset;
    let mi = snap.anchor_index(app.manchester.id).unwrap();

    // Confirm, in review, that a supplier paid only by Manchester is an individual.
    let (k, person) = snap
        .suppliers
        .iter()
        .enumerate()
        .filter(|(_, s)| s.anchors.len() == 1 && s.anchors.contains(&mi) && s.payments >= 2)
        .map(|(i, s)| (s.key.clone(), ds.suppliers[i].name.clone()))
        .find(|(_, n)| n.len() > 8)
        .unwrap();
    let r = app
        .post_form(
            Some(&admin),
            "/review",
            &[
                ("csrf", &admin.csrf),
                ("kind", "individual"),
                ("subject", &k),
                ("decision", "confirm"),
                ("note", "test"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(app
        .state
        .snap()
        .prepared
        .dataset
        .suppliers
        .iter()
        .any(|s| s.individual && s.name == person));

    // The person is named to Manchester's members and admins, to nobody else.
    let manchester = app.login("manchester").await;
    let member = app.login("salford").await;
    let viewer = app.login("viewer").await;
    assert!(app
        .get(Some(&manchester), "/suppliers.json")
        .await
        .body
        .contains(&person));
    assert!(app
        .get(Some(&admin), &format!("/suppliers/{k}.json"))
        .await
        .body
        .contains(&person));
    for s in [&member, &viewer] {
        for u in [
            "/suppliers.json",
            "/suppliers.csv",
            "/overview.json",
            "/leakage.json",
            "/categories.json",
        ] {
            assert!(!app.get(Some(s), u).await.body.contains(&person), "{u}");
        }
        assert_eq!(
            app.get(Some(s), &format!("/suppliers/{k}")).await.status,
            404
        );
    }

    // Every public route, page and twins: no individual's name, no supplier's name at all.
    let snap = app.state.snap();
    let ds = &snap.prepared.dataset;
    // (The anchors themselves are named, as scopes, even where one paid another.)
    let named: HashSet<&str> = ds
        .suppliers
        .iter()
        .filter(|s| {
            s.name.len() > 12 && !s.redacted && !ds.anchors.iter().any(|a| a.name == s.name)
        })
        .map(|s| s.name.as_str())
        .collect();
    for r in routes()
        .iter()
        .filter(|r| r.access == Access::Public && r.method == "GET" && !r.path.contains('{'))
    {
        for p in paths_of(r) {
            let b = app.get(None, &p).await.body;
            assert!(!b.contains(&person), "{p} names the individual");
            let n: Vec<&&str> = named.iter().filter(|n| b.contains(**n)).take(3).collect();
            assert!(
                n.is_empty() || p == "/" || p == "/healthz",
                "{p} names suppliers: {n:?}"
            );
        }
    }

    // Every published category figure is from at least 5 suppliers and 10 payments, counted
    // here independently; the rest are suppressed, and never just one.
    for y in snap.years_desc() {
        let mut per: HashMap<&str, Counts> = HashMap::new();
        for t in ds.txns.iter().filter(|t| t.fy == y) {
            let e = per
                .entry(ds.categories[t.category as usize].as_str())
                .or_default();
            e.0.insert(t.supplier);
            e.1 += 1;
            if t.excluded_by.is_none() {
                e.2.insert(t.supplier);
                e.3 += 1;
            }
        }
        let page = app
            .get(None, &format!("/public/categories.json?year={y}"))
            .await
            .json();
        let rows = page["tables"][0]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), per.len());
        let (mut shown, mut hidden) = (0, 0);
        for row in rows {
            let (s, n, si, ni) = &per[row["category"].as_str().unwrap()];
            let small = s.len() < 5 || *n < 10 || si.len() < 5 || *ni < 10;
            let suppressed = row["total_gbp"] == "suppressed";
            if small {
                assert!(
                    suppressed,
                    "{y} {row}: from {} suppliers, {n} payments",
                    s.len()
                );
                for v in row
                    .as_object()
                    .unwrap()
                    .iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "category" | "year"))
                {
                    assert_eq!(v.1, "suppressed", "{row}");
                }
            }
            if suppressed {
                hidden += 1;
            } else {
                shown += 1;
            }
        }
        assert!(
            shown > 10 && hidden > 0,
            "{y}: {shown} shown, {hidden} suppressed"
        );
        assert_ne!(
            hidden, 1,
            "one suppressed cell could be found by subtraction"
        );
        // The CSV twin says the same.
        let csv = app
            .get(None, &format!("/public/categories.csv?year={y}"))
            .await
            .body;
        assert_eq!(
            csv.lines()
                .filter(|l| l.ends_with(",suppressed,suppressed"))
                .count(),
            hidden
        );
    }
    app.cleanup().await;
}
