//! Land and assets, and the action plan, in the workspace — on both databases, on Trafford
//! Council's real land and building register (data/demo/assets, Open Government Licence
//! v3.0; the copy of ../shared/data/assets/trafford_land_and_building_assets.csv.xz).
//!
//! The register's counts are checked against the file read here independently (the raw CSV,
//! rows and the Transparency Code's `TenureDetail = Vacant`; the same figures as
//! crates/assets/tests/reference/trafford_assets.py: 608 assets, 187 vacant). A decision
//! moves an asset's status and shows in its history; an invalid status, an unknown asset, a
//! move the workflow refuses and a non-admin's form are refused with a clear message and
//! nothing stored; the CSV twin holds what the JSON twin holds. The plan's asset action
//! changes status when decisions are recorded, as `anchornet plan` does with a decisions
//! file (crates/cli/tests/plan.rs), and its heatmap holds every answer of the demo's
//! self-assessment files.

mod common;

use std::io::Read;

use common::{demo, Db, Session, TestApp};
use serde_json::Value;

fn register() -> String {
    demo("assets/trafford_land_and_building_assets.csv.xz")
        .canonicalize()
        .unwrap()
        .display()
        .to_string()
}

/// The raw register, read here: (rows, rows whose TenureDetail is "Vacant").
fn independent_counts() -> (usize, usize) {
    let mut text = String::new();
    xz2::read::XzDecoder::new(std::fs::File::open(register()).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let mut rd = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let col = rd
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "TenureDetail")
        .unwrap();
    let (mut rows, mut vacant) = (0, 0);
    for r in rd.records() {
        let r = r.unwrap();
        rows += 1;
        vacant += usize::from(r[col].trim().eq_ignore_ascii_case("vacant"));
    }
    (rows, vacant)
}

fn toml() -> String {
    format!(
        "[assets]\nregisters = [{:?}]\n[plan]\nfile = {:?}\nassessments = [{:?}]\n",
        register(),
        demo("plan.toml")
            .canonicalize()
            .unwrap()
            .display()
            .to_string(),
        demo("assessments")
            .canonicalize()
            .unwrap()
            .display()
            .to_string(),
    )
}

/// The rows of a JSON twin's first table (or the named one).
fn rows<'a>(j: &'a Value, table: &str) -> &'a Vec<Value> {
    j["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| table.is_empty() || t["name"] == table)
        .unwrap_or_else(|| panic!("no table {table}"))["rows"]
        .as_array()
        .unwrap()
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        o => o.to_string(),
    }
}

async fn decide(app: &TestApp, s: &Session, asset: &str, status: &str, note: &str) -> common::Resp {
    app.post_form(
        Some(s),
        &format!("/assets/{asset}/status"),
        &[("csrf", &s.csrf), ("status", status), ("note", note)],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_and_their_status_on_both_databases() {
    let (rows_in_file, vacant_in_file) = independent_counts();
    assert_eq!((rows_in_file, vacant_in_file), (608, 187));
    for db in common::backends().await {
        let app = TestApp::spawn_with(db, false, &toml()).await;
        let admin = app.login("admin").await;
        let viewer = app.login("viewer").await;
        let member = app.login("salford").await;

        // Every row of the register, each vacant one a candidate.
        let r = app.get(Some(&viewer), "/assets.json").await;
        assert_eq!(r.status, 200, "{db:?}: {}", r.body);
        let j = r.json();
        assert_eq!(j["assets"], rows_in_file);
        assert_eq!(j["vacant"], vacant_in_file);
        let all = rows(&j, "assets");
        assert_eq!(all.len(), rows_in_file);
        let vacant = all.iter().filter(|r| r["vacant"] == "yes").count();
        assert_eq!(vacant, vacant_in_file);
        let candidates = all.iter().filter(|r| r["status"] == "candidate").count();
        assert_eq!(candidates, vacant_in_file);
        let with_lsoa = all.iter().filter(|r| r["lsoa21"] != "").count();
        assert_eq!(j["placed"], with_lsoa);

        // The filters.
        let j = app
            .get(Some(&viewer), "/assets.json?status=candidate")
            .await
            .json();
        assert_eq!(rows(&j, "assets").len(), vacant_in_file);
        let decile1 = all.iter().filter(|r| r["iod2025_decile"] == 1).count();
        assert!(decile1 > 0);
        let j = app.get(Some(&viewer), "/assets.json?decile=1").await.json();
        assert_eq!(rows(&j, "assets").len(), decile1);
        let r = app.get(Some(&viewer), "/assets.json?status=sold").await;
        assert_eq!(r.status, 400);
        assert!(r.body.contains("not a status"), "{}", r.body);
        assert_eq!(
            app.get(Some(&viewer), "/assets.json?decile=11")
                .await
                .status,
            400
        );

        // The CSV twin holds what the JSON twin holds, cell for cell.
        let csv_text = app.get(Some(&viewer), "/assets.csv").await.body;
        let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
        let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
        let csv_rows: Vec<Vec<String>> = rd
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(csv_rows.len(), all.len());
        for (c, jr) in csv_rows.iter().zip(all) {
            for (h, v) in header.iter().zip(c) {
                assert_eq!(v, &text(&jr[h]), "{h}");
            }
        }

        // Signed out: sign in first. Viewers and members see the pages.
        assert!(matches!(app.get(None, "/assets").await.status, 303 | 401));
        assert_eq!(app.get(Some(&member), "/assets/TMBC0004").await.status, 200);
        assert_eq!(app.get(Some(&viewer), "/assets/map.json").await.status, 200);

        // A decision moves the asset on and shows in its history.
        let r = decide(
            &app,
            &admin,
            "TMBC0004",
            "in-discussion",
            "Partington group asked for a viewing",
        )
        .await;
        assert_eq!(r.status, 303, "{db:?}: {}", r.body);
        let j = app.get(Some(&viewer), "/assets/TMBC0004.json").await.json();
        assert_eq!(j["status"], "in-discussion");
        let h = rows(&j, "history");
        let steps: Vec<(String, String)> = h
            .iter()
            .map(|s| (text(&s["status"]), text(&s["by"])))
            .collect();
        assert_eq!(
            steps,
            [
                ("candidate".to_string(), "register".to_string()),
                ("in-discussion".to_string(), "admin".to_string())
            ]
        );
        assert_eq!(h[1]["note"], "Partington group asked for a viewing");
        let j = app
            .get(Some(&viewer), "/assets.json?status=in-discussion")
            .await
            .json();
        let ids: Vec<String> = rows(&j, "assets").iter().map(|r| text(&r["id"])).collect();
        assert_eq!(ids, ["TMBC0004"]);
        let history_csv = app
            .get(Some(&viewer), "/assets/TMBC0004.csv?table=history")
            .await
            .body;
        assert!(
            history_csv.starts_with("step,status,by,at,note\n"),
            "{history_csv}"
        );
        assert!(
            history_csv.contains(",in-discussion,admin,"),
            "{history_csv}"
        );

        // Refused, with a clear message, and nothing stored.
        let stored = app.store.asset_decisions().await.unwrap().len();
        assert_eq!(stored, 1);
        let r = decide(&app, &admin, "TMBC0004", "sold", "").await;
        assert_eq!(r.status, 400);
        assert!(r.body.contains("`sold` is not a status"), "{}", r.body);
        let r = decide(&app, &admin, "NOPE9999", "agreed", "").await;
        assert_eq!(r.status, 404);
        assert!(r.body.contains("Asset `NOPE9999`"), "{}", r.body);
        let r = decide(&app, &admin, "TMBC0004", "in-discussion", "again").await;
        assert_eq!(r.status, 400);
        assert!(r.body.contains("already in-discussion"), "{}", r.body);
        for who in [&viewer, &member] {
            let r = decide(&app, who, "TMBC0004", "agreed", "").await;
            assert_eq!(r.status, 403, "{}", r.body);
        }
        let no_csrf = app
            .post_form(
                Some(&admin),
                "/assets/TMBC0004/status",
                &[("csrf", "x"), ("status", "agreed")],
            )
            .await;
        assert_eq!(no_csrf.status, 403);
        assert_eq!(app.store.asset_decisions().await.unwrap().len(), stored);

        // Audited like every admin write.
        let log = app.store.audit_log(10).await.unwrap();
        assert!(log.iter().any(
            |e| e.action == "asset-status" && e.detail == "TMBC0004: candidate → in-discussion"
        ));

        // The map: a point for every asset with one, and counts by decile that add up.
        let j = app.get(Some(&viewer), "/assets/map.json").await.json();
        assert_eq!(j["shown"], rows_in_file);
        let by_decile: i64 = rows(&j, "deciles")
            .iter()
            .map(|r| r["assets"].as_i64().unwrap())
            .sum();
        assert_eq!(by_decile as usize, rows_in_file);
        assert_eq!(
            rows(&j, "points").len() as i64,
            j["drawn"].as_i64().unwrap()
        );
        let html = app.get(Some(&viewer), "/assets/map").await.body;
        assert!(html.contains("<svg"));
        for p in rows(&j, "points") {
            assert!(html.contains(&format!("<title>{} ", text(&p["id"]))), "{p}");
        }

        app.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_is_recomputed_from_stored_decisions_with_the_heatmap() {
    let db = Db::Sqlite;
    let app = TestApp::spawn_with(db, false, &toml()).await;
    let admin = app.login("admin").await;
    let viewer = app.login("viewer").await;
    let status_of = |j: &Value, id: &str| {
        rows(j, "plan")
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| text(&r["status"]))
            .unwrap()
    };
    let r = app.get(Some(&viewer), "/plan.json").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    assert_eq!(j["actions"], 10);
    // By hand (docs/methodology/plan-status.md, as crates/cli/tests/plan.rs): P8's path runs
    // from 0 in 2024/25 to 10 in 2027/28, so the 2025/26 milestone is 3.33. With no
    // decision, 0 agreed: behind the path but not below the baseline 0 → at risk.
    assert_eq!(status_of(&j, "P8"), "at risk");
    // Four vacant assets agreed or transferred: 4 ≥ 3.33 → on track.
    for (a, s) in [
        ("TMBC0103", "agreed"),
        ("TMBC0101", "transferred"),
        ("TMBC0102", "agreed"),
        ("TMBC0104", "agreed"),
    ] {
        assert_eq!(decide(&app, &admin, a, s, "test").await.status, 303);
    }
    let j = app.get(Some(&viewer), "/plan.json").await.json();
    assert_eq!(status_of(&j, "P8"), "on track");
    // P9 reads the vacant assets on the register: 187, whatever their status.
    let p9 = rows(&j, "plan")
        .iter()
        .find(|r| r["id"] == "P9")
        .unwrap()
        .clone();
    assert!(text(&p9["current"]).starts_with("187"), "{p9}");

    // The heatmap: one row per anchor and year answered, each level as in the files.
    let mut answers = Vec::new();
    for f in ["self-assessment-2024-25.csv", "self-assessment-2025-26.csv"] {
        let mut rd = csv::Reader::from_path(demo(&format!("assessments/{f}"))).unwrap();
        for r in rd.records() {
            let r = r.unwrap();
            answers.push((
                r[0].to_string(),
                r[1].to_string(),
                r[2].to_string(),
                r[3].to_string(),
            ));
        }
    }
    let heat = rows(&j, "heatmap");
    let mut pairs: Vec<(String, String)> =
        answers.iter().map(|a| (a.0.clone(), a.1.clone())).collect();
    pairs.sort();
    pairs.dedup();
    assert_eq!(heat.len(), pairs.len());
    for (anchor, year, q, level) in &answers {
        let row = heat
            .iter()
            .find(|r| r["anchor"] == anchor.as_str() && r["year"] == year.as_str())
            .unwrap();
        assert_eq!(text(&row[q.as_str()]), *level, "{anchor} {year} {q}");
    }
    // Its CSV twin, the same.
    let csv_text = app.get(Some(&viewer), "/plan.csv?table=heatmap").await.body;
    assert_eq!(csv_text.lines().count(), heat.len() + 1);
    let html = app.get(Some(&viewer), "/plan").await.body;
    assert!(html.contains("Self-assessment") && html.contains("lv4"));
    app.cleanup().await;
}

/// `anchornet demo --serve`'s workspace names the demo's plan, its answers, the plan's
/// asset register and its workforce extract, so its /assets, /plan and /workforce pages are
/// populated.
#[test]
fn the_demo_workspace_names_the_plan_and_its_registers() {
    let net = anchornet_network::NetworkConfig::load(&demo("anchornet.toml")).unwrap();
    let dir = common::tempdir("demo-ws");
    let plan = demo("plan.toml");
    let cfg = anchornet_web::workspace::write_for_network(&dir, &net, false, Some(plan.as_path()))
        .unwrap();
    let abs = |p: std::path::PathBuf| p.canonicalize().unwrap().display().to_string();
    assert_eq!(cfg.plan.file, Some(abs(plan)));
    assert_eq!(cfg.plan.assessments, [abs(demo("assessments"))]);
    assert_eq!(cfg.assets.registers, [register()]);
    // The plan's `[workforce]` extract (data/demo/plan.toml: 2023/24) is the workspace's.
    let extract = abs(demo("workforce/generated_workforce_2023-24.csv.xz"));
    assert_eq!(cfg.workforce.extracts, std::slice::from_ref(&extract));
    assert_eq!(cfg.workforce.year, Some(2023));
    // Read back from the file written: the sections are strict TOML like the rest.
    let again = anchornet_web::workspace::WorkspaceConfig::load(&dir).unwrap();
    assert_eq!((again.plan, again.assets), (cfg.plan, cfg.assets));
    assert_eq!(
        (again.workforce.extracts, again.workforce.year),
        (vec![extract], Some(2023))
    );
    std::fs::write(
        dir.join("anchornet.toml"),
        "name = \"x\"\nlocal_place = \"Salford\"\n[assets]\nregister = []\n",
    )
    .unwrap();
    let e = anchornet_web::workspace::WorkspaceConfig::load(&dir)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown field `register`"), "{e}");
    std::fs::remove_dir_all(dir).ok();
}
