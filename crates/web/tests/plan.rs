//! The plan in the workspace, on both databases: the self-assessment answered through the
//! web (form and upload) and stored per anchor and year, shown in the heatmap beside the
//! measured figure; the role model (a member answers for their own anchor only, a viewer
//! not at all); and the plan's change log, where an import that moves a figure logs the
//! status change.
//!
//! The measured figure beside a procurement score is checked against the anchor's own page
//! (`/anchors/{id}.json`: local share of all influenceable spend over its location
//! coverage is the local share of located spend); the uploaded answers are the demo's
//! self-assessment file (data/demo/assessments, read here with the csv crate), with one row
//! broken on purpose; the status change is worked by hand from the rule
//! (docs/methodology/plan-status.md).

mod common;

use common::{demo, Session, TestApp};
use serde_json::Value;

/// The rows of a JSON twin's table.
fn rows<'a>(j: &'a Value, table: &str) -> &'a Vec<Value> {
    j["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == table)
        .unwrap_or_else(|| panic!("no table {table} in {j}"))["rows"]
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

/// POST a multipart upload of `body` as `file`, with the session's CSRF token first.
async fn upload(app: &TestApp, s: &Session, path: &str, name: &str, body: &[u8]) -> common::Resp {
    let boundary = "XanswersX";
    let mut mp = Vec::new();
    mp.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n",
            s.csrf
        )
        .bytes(),
    );
    mp.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").bytes());
    mp.extend(body);
    mp.extend(format!("\r\n--{boundary}--\r\n").bytes());
    let r = app
        .http
        .post(format!("{}{path}", app.base))
        .header("cookie", &s.cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(mp)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    common::Resp {
        status,
        headers,
        body: r.text().await.unwrap(),
    }
}

/// The answers of the assessment table of `/plan.json`: (anchor, year, question) → row.
fn answer<'a>(j: &'a Value, anchor: &str, year: &str, q: &str) -> Option<&'a Value> {
    rows(j, "assessment")
        .iter()
        .find(|r| r["anchor"] == anchor && r["year"] == year && r["question"] == q)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_self_assessment_is_answered_and_stored_in_the_workspace() {
    for db in common::backends().await {
        let app = TestApp::spawn_with(db, false, "").await;
        let salford = app.login("salford").await;
        let manchester = app.login("manchester").await;
        let viewer = app.login("viewer").await;
        let admin = app.login("admin").await;
        let sid = app.salford.id.to_string();

        // The form: a member's own anchor by default, every question, nothing stored yet.
        let r = app.get(Some(&salford), "/plan/assessment.json").await;
        assert_eq!(r.status, 200, "{db:?}: {}", r.body);
        let j = r.json();
        assert_eq!(j["anchor"], "Salford City Council");
        assert_eq!(rows(&j, "assessment-answers").len(), 10);
        let html = app.get(Some(&salford), "/plan/assessment").await.body;
        assert!(html.contains("name=\"level_procurement\""), "{html}");

        // A member saves two answers for 2021/22 (the year of the workspace's payments).
        let form = [
            ("csrf", salford.csrf.as_str()),
            ("anchor", sid.as_str()),
            ("year", "2021/22"),
            ("level_procurement", "3"),
            (
                "evidence_procurement",
                "Local spend goals in the 2021 procurement strategy",
            ),
            ("level_employment", "2"),
            ("evidence_employment", "Real Living Wage gap measured"),
            ("level_land", ""),
            ("evidence_land", ""),
        ];
        let r = app
            .post_form(Some(&salford), "/plan/assessment", &form)
            .await;
        assert_eq!(r.status, 303, "{db:?}: {}", r.body);
        assert_eq!(app.store.answers().await.unwrap().len(), 2);

        // The heatmap shows them, with the measured local share of located spend beside the
        // procurement score: the anchor page's local share of all influenceable spend over
        // its location coverage, for 2021/22.
        let j = app.get(Some(&viewer), "/plan.json").await.json();
        let p = answer(&j, "Salford City Council", "2021/22", "procurement").unwrap();
        assert_eq!(p["level"], 3);
        assert_eq!(p["indicator"], "local_share_of_located");
        assert_eq!(p["measured_year"], "2021/22");
        let measured: f64 = text(&p["measured"])
            .trim_end_matches('%')
            .parse()
            .unwrap_or_else(|_| panic!("{p}"));
        let page = app
            .get(Some(&admin), &format!("/anchors/{sid}.json"))
            .await
            .json();
        let fig = rows(&page, "figures")
            .iter()
            .find(|r| r["year"] == "2021/22")
            .unwrap()
            .clone();
        let by_page = fig["local_pct"].as_f64().unwrap()
            / fig["local_coverage_pct"].as_f64().unwrap()
            * 100.0;
        assert!(
            (measured - by_page).abs() < 0.06,
            "measured {measured} against {by_page} from /anchors/{sid}"
        );
        let heat = rows(&j, "heatmap");
        let h = heat
            .iter()
            .find(|r| r["anchor"] == "Salford City Council" && r["year"] == "2021/22")
            .unwrap();
        assert_eq!(
            (text(&h["procurement"]), text(&h["employment"])),
            ("3".into(), "2".into())
        );
        let html = app.get(Some(&viewer), "/plan").await.body;
        assert!(html.contains("lv lv3") && html.contains(&text(&p["measured"])));
        // The form shows what is stored.
        let j = app
            .get(Some(&salford), "/plan/assessment.json?year=2021/22")
            .await
            .json();
        let q = rows(&j, "assessment-answers")
            .iter()
            .find(|r| r["question"] == "procurement")
            .unwrap();
        assert_eq!(
            (q["level"].clone(), q["answered_by"].clone()),
            (3.into(), "salford".into())
        );

        // Another anchor's member, a viewer, a stale token: refused, nothing stored.
        let mut theirs = form;
        theirs[0].1 = manchester.csrf.as_str();
        theirs[3].1 = "4";
        let r = app
            .post_form(Some(&manchester), "/plan/assessment", &theirs)
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert!(r.body.contains("their own anchor"), "{}", r.body);
        assert_eq!(
            app.get(Some(&manchester), &format!("/plan/assessment?anchor={sid}"))
                .await
                .status,
            403
        );
        let mut viewers = form;
        viewers[0].1 = viewer.csrf.as_str();
        assert_eq!(
            app.post_form(Some(&viewer), "/plan/assessment", &viewers)
                .await
                .status,
            403
        );
        assert_eq!(app.get(Some(&viewer), "/plan/assessment").await.status, 403);
        let mut stale = form;
        stale[0].1 = "stale";
        assert_eq!(
            app.post_form(Some(&salford), "/plan/assessment", &stale)
                .await
                .status,
            403
        );
        // A level without evidence: refused, naming the question.
        let mut bare = form;
        bare[4].1 = " ";
        let r = app
            .post_form(Some(&salford), "/plan/assessment", &bare)
            .await;
        assert_eq!(r.status, 400);
        assert!(
            r.body.contains("procurement") && r.body.contains("evidence"),
            "{}",
            r.body
        );
        let stored = app.store.answers().await.unwrap();
        assert_eq!(stored.len(), 2);
        assert!(stored.iter().all(|a| a.anchor_id == app.salford.id));
        assert_eq!(
            stored
                .iter()
                .find(|a| a.question == "procurement")
                .unwrap()
                .level,
            3
        );

        // Audited, and in the plan's change log.
        let log = app.store.audit_log(20).await.unwrap();
        assert!(
            log.iter().any(|e| e.action == "assessment"
                && e.actor == "salford"
                && e.detail
                    .contains("Salford City Council 2021/22 procurement (none)→3")),
            "{log:?}"
        );
        let h = app.get(Some(&viewer), "/plan/history.json").await.json();
        assert!(rows(&h, "plan-history")
            .iter()
            .any(|r| r["action"] == "assessment:Salford City Council"
                && r["field"] == "2021/22 procurement"
                && r["to"] == "3"));

        // An upload: the demo's 2025/26 answers of the two anchors in this workspace, with
        // one row broken (a level of 7). The admin uploads it: the broken line is named,
        // every other row is stored with its level.
        let mut rd =
            csv::Reader::from_path(demo("assessments/self-assessment-2025-26.csv")).unwrap();
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(rd.headers().unwrap()).unwrap();
        let mut good = Vec::new();
        let mut line = 1;
        let mut bad_line = 0;
        for r in rd.records() {
            let mut r: Vec<String> = r.unwrap().iter().map(str::to_string).collect();
            if r[0] == "Trafford Council" {
                continue;
            }
            line += 1;
            if bad_line == 0 && r[0] == "Manchester City Council" {
                r[3] = "7".into();
                bad_line = line;
            } else {
                good.push(r.clone());
            }
            out.write_record(&r).unwrap();
        }
        assert_eq!((good.len(), bad_line), (8, 7));
        let body = out.into_inner().unwrap();
        let r = upload(
            &app,
            &admin,
            "/plan/assessment/import",
            "answers-2025-26.csv",
            &body,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains("8 answers read"), "{}", r.body);
        assert!(r.body.contains("1 rows not used"), "{}", r.body);
        assert!(
            r.body.contains(&format!(">{bad_line}<")),
            "line {bad_line}: {}",
            r.body
        );
        let j = app.get(Some(&viewer), "/plan.json").await.json();
        for g in &good {
            let a = answer(&j, &g[0], &g[1], &g[2]).unwrap_or_else(|| panic!("{g:?}"));
            assert_eq!(text(&a["level"]), g[3], "{g:?}");
            assert_eq!(text(&a["evidence"]), g[4]);
        }
        assert_eq!(app.store.answers().await.unwrap().len(), 2 + good.len());

        // A member's upload naming another anchor: that row is not used, the rest are.
        let mine = "anchor,year,question,level,evidence\nSalford City Council,2022/23,finance,2,Treasury review 2022\nManchester City Council,2022/23,finance,4,not ours to answer\n";
        let r = upload(
            &app,
            &salford,
            "/plan/assessment/import",
            "mine.csv",
            mine.as_bytes(),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(
            r.body.contains("1 answers read") && r.body.contains(">3<"),
            "{}",
            r.body
        );
        assert!(r.body.contains("own anchor only"), "{}", r.body);
        let stored = app.store.answers().await.unwrap();
        assert_eq!(stored.len(), 3 + good.len());
        assert!(!stored
            .iter()
            .any(|a| a.anchor_id == app.manchester.id && a.question == "finance"));
        app.cleanup().await;
    }
}

/// A one-action plan on Salford's local share of located spend, baseline 2021/22, target
/// 95% by 2022/23.
fn plan_file(dir: &std::path::Path) -> String {
    let p = dir.join("plan-test.toml");
    std::fs::write(
        &p,
        r#"name = "Test plan"

[[action]]
id = "T1"
title = "Raise Salford's local share of located spend"
owner = "Head of Procurement, Salford City Council"
anchors = ["Salford City Council"]
pillar = "progressive-procurement"
deadline = "2022/23"
target = { indicator = "local_share_of_located", at_least = 95, baseline_year = "2021/22" }
"#,
    )
    .unwrap();
    p.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_that_moves_a_figure_logs_the_status_change() {
    for db in common::backends().await {
        let dir = common::tempdir("plan-file");
        let toml = format!("[plan]\nfile = {:?}\n", plan_file(&dir));
        let app = TestApp::spawn_with(db, false, &toml).await;
        let admin = app.login("admin").await;
        let viewer = app.login("viewer").await;
        let status =
            |j: &Value| text(&rows(j, "plan").iter().find(|r| r["id"] == "T1").unwrap()["status"]);
        // By the rule: one reading (July 2021, the baseline year 2021/22) short of 95% is
        // at risk ("no trend to judge yet").
        let j = app.get(Some(&viewer), "/plan.json").await.json();
        assert_eq!(status(&j), "at risk");
        let h = app.get(Some(&viewer), "/plan/history.json").await.json();
        let log = rows(&h, "plan-history");
        let added: Vec<String> = log
            .iter()
            .filter(|r| r["action"] == "T1")
            .map(|r| text(&r["field"]))
            .collect();
        assert_eq!(added.len(), 7, "{added:?}"); // added, then its six fields
        assert!(log
            .iter()
            .any(|r| r["field"] == "status" && r["from"] == "" && r["to"] == "at risk"));

        // Salford's April 2022 payments: a 2022/23 figure, the deadline year, and the target
        // not met (no local share of located spend is 95%) → off track.
        let bytes = std::fs::read(demo("spend/salford/2022-04.csv.xz")).unwrap();
        app.import(&admin, app.salford.id, "salford-2022-04.csv.xz", bytes)
            .await;
        let j = app.get(Some(&viewer), "/plan.json").await.json();
        assert_eq!(status(&j), "off track");
        let h = app.get(Some(&viewer), "/plan/history.json").await.json();
        let moved: Vec<&Value> = rows(&h, "plan-history")
            .iter()
            .filter(|r| r["action"] == "T1" && r["field"] == "status" && r["from"] == "at risk")
            .collect();
        assert_eq!(moved.len(), 1, "{h}");
        assert_eq!(
            (moved[0]["to"].clone(), moved[0]["cause"].clone()),
            ("off track".into(), "data".into())
        );
        let current = rows(&h, "plan-history")
            .iter()
            .find(|r| r["action"] == "T1" && r["field"] == "current" && r["from"] != "")
            .unwrap();
        assert!(text(&current["to"]).ends_with("(2022/23)"), "{current}");
        // Viewing again logs nothing more; the CSV twin has the same rows.
        let n = rows(&h, "plan-history").len();
        let again = app.get(Some(&viewer), "/plan/history.json").await.json();
        assert_eq!(rows(&again, "plan-history").len(), n);
        let csv_text = app.get(Some(&viewer), "/plan/history.csv").await.body;
        assert!(
            csv_text.starts_with("at,action,field,from,to,cause\n"),
            "{csv_text}"
        );
        assert_eq!(csv_text.lines().count(), n + 1);
        app.cleanup().await;
        std::fs::remove_dir_all(dir).ok();
    }
}
