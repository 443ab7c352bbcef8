//! The employment pages (issue 20): `/workforce` and `/jobs` over the workspace's
//! `[workforce]` files — the GENERATED demo extract and funnel events of
//! `data/demo/workforce` (synthetic people, see its NOTICE.md) — on SQLite and PostgreSQL.
//!
//! Expected values come from outside the code under test:
//! * the CSV twins against `crates/workforce/tests/reference/expected_workforce_2023-24.csv`
//!   and `expected_funnel.csv`, the outputs of the independent python scripts beside them,
//!   which `crates/cli/tests/{workforce,funnel}.rs` prove `anchornet workforce` and
//!   `anchornet jobs funnel` write byte for byte: so the pages equal the CLI's files;
//! * on a small extract cut here from the demo one (5 Salford posts, 6 Trafford, 30
//!   Manchester, counted here), the rule itself: no count under 10 shown, and no hidden
//!   figure recoverable by subtraction by the public or by a member knowing their own row.

mod common;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use common::{Db, Session, TestApp};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn reference(name: &str) -> String {
    std::fs::read_to_string(root().join("crates/workforce/tests/reference").join(name)).unwrap()
}

/// The demo's workforce files, copied into the workspace (the section names them relative to
/// it).
const SECTION: &str = "[workforce]\nextracts = [\"workforce/extract_2023-24.csv.xz\"]\nyear = 2023\nfunnel = [\"workforce/events.csv.xz\"]\nas_at = \"2025-12-31\"\n";

fn copy_demo(dir: &Path) {
    let to = dir.join("workforce");
    std::fs::create_dir_all(&to).unwrap();
    for (from, name) in [
        (
            "workforce/generated_workforce_2023-24.csv.xz",
            "extract_2023-24.csv.xz",
        ),
        ("workforce/generated_funnel_events.csv.xz", "events.csv.xz"),
    ] {
        std::fs::copy(common::demo(from), to.join(name)).unwrap();
    }
}

async fn get_ok(app: &TestApp, s: &Session, path: &str) -> common::Resp {
    let r = app.get(Some(s), path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        o => o.to_string(),
    }
}

/// The first table of a JSON twin as rows of text, in column order.
fn rows(page: &Value) -> (Vec<String>, Vec<Vec<String>>) {
    let t = &page["tables"][0];
    let cols: Vec<String> = t["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    let rows = t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| cols.iter().map(|c| text(&r[c.as_str()])).collect())
        .collect();
    (cols, rows)
}

/// Subtraction, as an attacker: in each column the last row (the network) is the sum of the
/// anchors' rows. `own` is the row the audience knows anyway (a member's anchor). Fails when
/// exactly one cell of a column is unknown to the audience (it would follow from the rest).
fn nothing_recoverable(rows: &[Vec<String>], first_value: usize, own: Option<usize>, who: &str) {
    let n = rows.len();
    for k in first_value..rows[0].len() {
        let unknown: Vec<usize> = (0..n)
            .filter(|&i| rows[i][k] == "[c]" && Some(i) != own)
            .collect();
        assert_ne!(
            unknown.len(),
            1,
            "{who}: column {k}: row {:?} follows from the others",
            unknown.first().map(|&i| &rows[i][0])
        );
    }
}

async fn demo_pages(app: &TestApp) {
    copy_demo(&app.dir);
    let want_workforce = reference("expected_workforce_2023-24.csv");
    let want_funnel = reference("expected_funnel.csv");
    // Signed in only; the public view gains nothing.
    for p in ["/workforce", "/workforce.csv", "/jobs", "/jobs.json"] {
        let r = app.get(None, p).await;
        assert!(
            matches!(r.status, 303 | 401),
            "{p} signed out: {}",
            r.status
        );
    }
    for p in ["/public/workforce", "/public/jobs"] {
        assert_eq!(app.get(None, p).await.status, 404, "{p}");
    }
    let mut own_rows: HashMap<&str, usize> = HashMap::new();
    for user in ["admin", "viewer", "salford", "manchester"] {
        let s = app.login(user).await;
        // The CSV twins are the CLI's files, byte for byte, for everyone: one published table.
        let csv = get_ok(app, &s, "/workforce.csv").await;
        assert!(csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        assert_eq!(csv.body, want_workforce, "{user}: /workforce.csv");
        assert_eq!(
            get_ok(app, &s, "/workforce.csv?table=workforce").await.body,
            want_workforce
        );
        assert_eq!(
            get_ok(app, &s, "/jobs.csv").await.body,
            want_funnel,
            "{user}: /jobs.csv"
        );

        // The JSON twin holds the same cells.
        let page = get_ok(app, &s, "/workforce.json").await.json();
        let (cols, got) = rows(&page);
        let mut r = csv::Reader::from_reader(want_workforce.as_bytes());
        let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        let want: Vec<Vec<String>> = r
            .records()
            .map(|x| x.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!((cols, &got), (head, &want));
        assert_eq!(page["year"], "2023/24");
        assert_eq!(page["nlw_gbp"], "10.42");
        assert_eq!(page["rlw_gbp"], "10.90");
        // Trafford has 9 posts: every figure of it hidden, and so the network's.
        let trafford = got.iter().find(|r| r[0] == "Trafford Council").unwrap();
        assert!(trafford[1..].iter().all(|c| c == "[c]"), "{trafford:?}");
        let own = match user {
            "salford" => got.iter().position(|r| r[0] == "Salford City Council"),
            "manchester" => got.iter().position(|r| r[0] == "Manchester City Council"),
            _ => None,
        };
        if let Some(i) = own {
            own_rows.insert(user, i);
        }
        nothing_recoverable(&got, 1, own, user);
        // The files: the reconciliation (915 read = 909 accepted + 6 rejected) for admins
        // only — 909 is the network's headcount, which would give Trafford's 9 away.
        let files = &page["tables"][1];
        let names: Vec<&str> = files["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        let f0 = &files["rows"][0];
        assert_eq!(f0["file"], "workforce/extract_2023-24.csv.xz");
        if user == "admin" {
            assert_eq!(
                (&f0["rows_read"], &f0["accepted"], &f0["rejected"]),
                (&Value::from(915), &Value::from(909), &Value::from(6))
            );
        } else {
            assert_eq!(names, ["file", "error"], "{user}");
            let all = page.to_string();
            assert!(
                !all.contains("909"),
                "{user}: the network's headcount shown"
            );
        }
        let html = get_ok(app, &s, "/workforce").await.body;
        assert!(html.contains("Trafford Council") && html.contains("[c]"));
        assert!(html.contains("href=\"/workforce\""), "navigation");

        // The funnel's JSON twin: its table, Trafford's small counts hidden; no subtraction
        // gives one back, to anyone or to a member.
        let jobs = get_ok(app, &s, "/jobs.json").await.json();
        let (_, frows) = rows(&jobs);
        assert_eq!(frows.len(), want_funnel.lines().count() - 1);
        assert_eq!(jobs["as_at"], "2025-12-31");
        let t = frows.iter().find(|r| r[1] == "Trafford Council").unwrap();
        assert_eq!((t[6].as_str(), t[7].as_str()), ("[c]", "[c]"));
        // Count columns only (2..8): the conversions and medians are not additive.
        let counts: Vec<Vec<String>> = frows.iter().map(|r| r[1..8].to_vec()).collect();
        let own = match user {
            "salford" => counts.iter().position(|r| r[0] == "Salford City Council"),
            "manchester" => counts
                .iter()
                .position(|r| r[0] == "Manchester City Council"),
            _ => None,
        };
        nothing_recoverable(&counts, 1, own, user);
        let html = get_ok(app, &s, "/jobs").await.body;
        assert!(html.contains("Hospitality to Health and Care (demo)"));
    }
    assert_eq!(own_rows.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_equal_the_cli_files_for_every_viewer() {
    for db in common::backends().await {
        let app = TestApp::spawn_with(db, false, SECTION).await;
        demo_pages(&app).await;
        app.cleanup().await;
    }
}

/// The demo extract's valid rows (not the deliberately invalid ones), as CSV text lines by
/// anchor.
fn demo_rows() -> (String, HashMap<String, Vec<String>>) {
    let mut text = String::new();
    xz2::read::XzDecoder::new(
        std::fs::File::open(common::demo("workforce/generated_workforce_2023-24.csv.xz")).unwrap(),
    )
    .read_to_string(&mut text)
    .unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    let mut by: HashMap<String, Vec<String>> = HashMap::new();
    for l in lines {
        if l.contains("deliberately invalid") {
            continue;
        }
        let anchor = l.split(',').next().unwrap().to_string();
        by.entry(anchor).or_default().push(l.to_string());
    }
    (header, by)
}

/// Two small anchors: under the CLI's earlier rule (one secondary cell, only when exactly one
/// anchor was small) the network's figures were shown, and Salford's members, who know their
/// own 5 posts, could take them and Manchester's 30 from the network's 41 to get Trafford's 6.
async fn two_small_anchors(app: &TestApp) {
    let (header, by) = demo_rows();
    let take = [
        ("Salford City Council", 5),
        ("Trafford Council", 6),
        ("Manchester City Council", 30),
    ];
    let dir = app.dir.join("workforce");
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = header + "\n";
    for (a, n) in take {
        assert!(by[a].len() >= n, "{a}");
        for l in &by[a][..n] {
            out.push_str(l);
            out.push('\n');
        }
    }
    std::fs::write(dir.join("small.csv"), out).unwrap();
    for user in ["admin", "viewer", "salford", "manchester"] {
        let s = app.login(user).await;
        let page = get_ok(app, &s, "/workforce.json").await.json();
        let (_, got) = rows(&page);
        let row = |a: &str| got.iter().find(|r| r[0] == a).unwrap().clone();
        assert_eq!(row("Manchester City Council")[1], "30");
        for a in ["Salford City Council", "Trafford Council", "network"] {
            assert_eq!(row(a)[1], "[c]", "{user}: {a} staff");
        }
        // Nothing from fewer than 10 people: no anchor's figure with a base under 10.
        for a in ["Salford City Council", "Trafford Council"] {
            assert!(row(a)[1..].iter().all(|c| c == "[c]"), "{user}: {a}");
        }
        let own = match user {
            "salford" => got.iter().position(|r| r[0] == "Salford City Council"),
            "manchester" => got.iter().position(|r| r[0] == "Manchester City Council"),
            _ => None,
        };
        nothing_recoverable(&got, 1, own, user);
        assert!(!page["tables"][0].to_string().contains("\"41\""), "{user}");
        // The CSV twin is the same table.
        let csv = get_ok(app, &s, "/workforce.csv").await.body;
        assert_eq!(csv.lines().count(), got.len() + 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_cannot_work_out_a_small_anchor() {
    for db in common::backends().await {
        let app = TestApp::spawn_with(
            db,
            false,
            "[workforce]\nextracts = [\"workforce/small.csv\"]\nyear = 2023\n",
        )
        .await;
        two_small_anchors(&app).await;
        app.cleanup().await;
    }
}

/// Without a `[workforce]` section the pages say so, with empty tables.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_section_the_pages_say_so() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let s = app.login("salford").await;
    for (p, key) in [
        ("/workforce", "[workforce] extracts"),
        ("/jobs", "[workforce] funnel"),
    ] {
        let html = get_ok(&app, &s, p).await.body;
        assert!(html.contains(key), "{p}");
        let csv = get_ok(&app, &s, &format!("{p}.csv")).await.body;
        assert_eq!(csv.lines().count(), 1, "{p}: {csv}");
    }
    app.cleanup().await;
}

/// The section is strict: unknown keys and bad values are errors that name the key.
#[test]
fn the_workforce_section_is_strict() {
    let load = |section: &str| {
        let dir = common::tempdir("wf-config");
        std::fs::write(
            dir.join("anchornet.toml"),
            format!("name = \"N\"\nlocal_place = \"Salford\"\n[workforce]\n{section}"),
        )
        .unwrap();
        let c = anchornet_web::workspace::WorkspaceConfig::load(&dir);
        std::fs::remove_dir_all(&dir).ok();
        c.map_err(|e| e.to_string())
    };
    let c =
        load("extracts = [\"a.csv\"]\nyear = 2025\nfunnel = [\"f.csv\"]\nas_at = \"2025-12-31\"\n")
            .unwrap();
    assert_eq!(c.workforce.year, Some(2025));
    assert_eq!(c.workforce.rlw_area, "UK");
    assert_eq!(c.workforce.hire_target_pct, 10.0);
    for (bad, names) in [
        ("extract = [\"a.csv\"]\n", "extract"),
        ("extracts = [\"a.csv\"]\n", "[workforce] year"),
        ("rlw_area = \"Scotland\"\n", "rlw_area"),
        ("hire_target_pct = 120\n", "hire_target_pct"),
        ("as_at = \"soon\"\n", "as_at"),
    ] {
        let e = load(bad).unwrap_err();
        assert!(e.contains(names), "{bad}: {e}");
    }
}
