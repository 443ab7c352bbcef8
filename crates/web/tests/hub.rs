//! The supply chain hub's pages (issue 19) on real data: the 200 Contracts Finder releases
//! of January–March 2025 (../shared/data, OGL v3.0) as the workspace's `[hub] sources`, over
//! the test network (Salford's and Manchester's July 2021 payments), on SQLite and
//! PostgreSQL.
//!
//! Expected values come from outside the code under test:
//! * the notices themselves, read here from the JSON files (opportunity count, one field
//!   after another of every single-release tender notice);
//! * the re-procurement windows of docs/hub.md's table of value bands, written out here;
//! * the aggregated demand of `crates/hub/tests/reference/demand.py` (Python standard
//!   library) on the workspace's own analysis;
//! * the primary suppression rule (5 suppliers, 10 payments) counted here from the payments,
//!   for what a network viewer is shown;
//! * each CSV twin against its JSON twin.

mod common;

use std::collections::{HashMap, HashSet};

use chrono::{Months, NaiveDate};
use common::{Session, TestApp};
use serde_json::Value;

/// Every release of the 2025 set, read from the files.
fn releases() -> Vec<Value> {
    let dir = common::contracts_finder_2025();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

fn table(page: &Value, i: usize) -> &Value {
    &page["tables"][i]
}

fn rows(page: &Value, i: usize) -> &Vec<Value> {
    page["tables"][i]["rows"].as_array().unwrap()
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        o => o.to_string(),
    }
}

/// The CSV twin holds the JSON twin's table: the same columns and cells (text a spreadsheet
/// would run as a formula is prefixed with `'` in CSV only).
fn same_as_json(csv: &str, t: &Value) {
    let cols: Vec<String> = t["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(head, cols, "{}", t["name"]);
    let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let rows = t["rows"].as_array().unwrap();
    assert_eq!(recs.len(), rows.len(), "{}", t["name"]);
    for (rec, row) in recs.iter().zip(rows) {
        for (c, cell) in cols.iter().zip(rec.iter()) {
            let j = text(&row[c.as_str()]);
            assert!(
                cell == j || cell == format!("'{j}"),
                "{} {c}: CSV {cell:?}, JSON {j:?}",
                t["name"]
            );
        }
    }
}

/// Exact pence of a money cell (`"1234.56"`).
fn pence(s: &str) -> i64 {
    let (neg, s) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
    let (a, b) = s.split_once('.').unwrap_or((s, "0"));
    let b = format!("{b:0<2}");
    let p = a.parse::<i64>().unwrap() * 100 + b[..2].parse::<i64>().unwrap();
    if neg {
        -p
    } else {
        p
    }
}

/// docs/hub.md's lead times: under £30,000 3 months; to £214,904 6; to £5,372,609 9; then
/// 12; an unknown value takes the lowest band's.
fn lead_months(value: Option<i64>) -> u32 {
    match value.unwrap_or(0) {
        v if v >= 537_260_900 => 12,
        v if v >= 21_490_400 => 9,
        v if v >= 3_000_000 => 6,
        _ => 3,
    }
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap()
}

fn money(v: &Value) -> Option<i64> {
    v.as_str().filter(|s| !s.is_empty()).map(pence)
}

const Q: &str = "from=2025-01-01&months=120";

async fn json(app: &TestApp, s: &Session, path: &str) -> Value {
    let r = app.get(Some(s), path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.json()
}

async fn csv_of(app: &TestApp, s: &Session, path: &str) -> String {
    let r = app.get(Some(s), path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

async fn calendar_and_filters(app: &TestApp) {
    // Signed in only.
    for p in [
        "/hub",
        "/hub.json",
        "/hub.csv",
        "/hub/demand.json",
        "/hub/opportunities/ocds-b5fd17-a89fc5c2-eed8-48fa-b4e3-727a8f32fd6d.json",
    ] {
        let r = app.get(None, p).await;
        assert!(
            matches!(r.status, 303 | 401),
            "{p} signed out: {}",
            r.status
        );
    }
    // The notices are public data: a network viewer sees the whole calendar.
    let s = app.login("viewer").await;
    let page = json(app, &s, &format!("/hub.json?{Q}")).await;
    let rel = releases();
    let ocids: HashSet<&str> = rel.iter().map(|r| r["ocid"].as_str().unwrap()).collect();
    // counts.py ocds contracts_finder_ocds_2025 → releases=200 ocids=190
    assert_eq!((rel.len(), ocids.len()), (200, 190));
    assert_eq!(page["opportunities"], ocids.len());
    assert_eq!(page["read"], rel.len());
    assert_eq!(page["rejected"], 0);

    // Sorted by when to act; each contract's window opens its band's lead time before it
    // ends; every event in the horizon.
    let all = rows(&page, 0);
    assert!(all.len() > 100, "{} entries", all.len());
    let from = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let until = from + Months::new(120);
    let inside = |d: NaiveDate| d >= from && d <= until;
    let mut last = from - Months::new(1200);
    let mut seen = HashSet::new();
    let mut ends = 0;
    for r in all {
        assert!(ocids.contains(r["ocid"].as_str().unwrap()), "{r}");
        assert!(seen.insert(r["ocid"].as_str().unwrap()), "twice: {r}");
        let act = date(&r["act_from"]);
        assert!(act >= last, "not sorted by when to act: {r}");
        last = act;
        let d = date(&r["date"]);
        match r["event"].as_str().unwrap() {
            "contract ends" => {
                ends += 1;
                assert_eq!(d, date(&r["contract_end"]));
                let lead = lead_months(money(&r["value_gbp"]));
                assert_eq!(r["lead_months"], lead.to_string(), "{r}");
                assert_eq!(act, d - Months::new(lead), "{r}");
                assert!(inside(d) || inside(act), "{r}");
            }
            "comes to market" => {
                assert_eq!((act, d), (d, date(&r["to_market"])));
                assert!(inside(d));
            }
            "tender closes" => {
                assert_eq!((act, d), (d, date(&r["tender_end"])));
                assert!(inside(d));
            }
            e => panic!("event {e}"),
        }
    }
    assert!(ends > 50, "{ends} contracts ending");
    eprintln!("calendar: {} entries, {ends} contracts ending", all.len());
    same_as_json(
        &csv_of(app, &s, &format!("/hub.csv?{Q}")).await,
        table(&page, 0),
    );
    same_as_json(
        &csv_of(app, &s, &format!("/hub.csv?{Q}&table=sources")).await,
        table(&page, 1),
    );
    let html = app.get(Some(&s), &format!("/hub?{Q}")).await;
    assert_eq!(html.status, 200);
    assert!(html.body.contains("/hub/opportunities/"));

    // A CPV division drops the rows outside it, and keeps every row inside it.
    let mut by_div: HashMap<String, usize> = HashMap::new();
    for r in all {
        let divs: HashSet<String> = r["cpv"]
            .as_str()
            .unwrap()
            .split(';')
            .filter(|c| c.len() >= 2)
            .map(|c| c[..2].to_string())
            .collect();
        for d in divs {
            *by_div.entry(d).or_default() += 1;
        }
    }
    let (div, n) = by_div.iter().max_by_key(|(d, n)| (**n, *d)).unwrap();
    assert!(*n < all.len());
    let f = json(app, &s, &format!("/hub.json?{Q}&cpv={div}")).await;
    assert_eq!(rows(&f, 0).len(), *n, "division {div}");
    eprintln!("cpv={div}: {n} of {}", all.len());
    for r in rows(&f, 0) {
        assert!(
            r["cpv"]
                .as_str()
                .unwrap()
                .split(';')
                .any(|c| c.starts_with(div.as_str())),
            "{r}"
        );
    }
    // The lowest value band: values under £30,000 only.
    let small = all
        .iter()
        .filter(|r| money(&r["value_gbp"]).is_some_and(|p| p < 3_000_000))
        .count();
    let f = json(app, &s, &format!("/hub.json?{Q}&band=0")).await;
    assert_eq!(rows(&f, 0).len(), small);
    assert!(small < all.len());
    eprintln!("band=0: {small}");
    // An anchor: Manchester City Council's own notices (its name as the buyer).
    let mine = all
        .iter()
        .filter(|r| {
            r["buyer"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case(&app.manchester.name)
        })
        .count();
    assert!(mine >= 1);
    eprintln!("anchor Manchester: {mine}");
    let f = json(
        app,
        &s,
        &format!("/hub.json?{Q}&anchor={}", app.manchester.id),
    )
    .await;
    assert_eq!(rows(&f, 0).len(), mine);
    for r in rows(&f, 0) {
        assert_eq!(r["anchor"], app.manchester.name.as_str());
    }
    // The network's anchors only: the buyers named as an anchor is (Salford is no buyer).
    let anchors = [&app.salford.name, &app.manchester.name];
    let ours = all
        .iter()
        .filter(|r| {
            anchors
                .iter()
                .any(|a| r["buyer"].as_str().unwrap().eq_ignore_ascii_case(a))
        })
        .count();
    let f = json(app, &s, &format!("/hub.json?{Q}&anchors_only=1")).await;
    assert_eq!(rows(&f, 0).len(), ours);
    // Bad filters say what is wrong.
    for (q, status) in [
        ("from=2025-13-01", 400),
        ("cpv=4", 400),
        ("band=99", 400),
        ("months=x", 400),
        ("anchor=999999", 404),
        ("anchors_only=maybe", 400),
    ] {
        assert_eq!(
            app.get(Some(&s), &format!("/hub.json?{q}")).await.status,
            status,
            "{q}"
        );
    }
}

async fn opportunities(app: &TestApp) {
    let s = app.login("salford").await;
    let rel = releases();
    let mut per: HashMap<&str, usize> = HashMap::new();
    for r in &rel {
        *per.entry(r["ocid"].as_str().unwrap()).or_default() += 1;
    }
    // Every tender notice that is its procurement's only release, field by field against
    // the file.
    let tenders: Vec<&Value> = rel
        .iter()
        .filter(|r| {
            per[r["ocid"].as_str().unwrap()] == 1 && r["tag"] == serde_json::json!(["tender"])
        })
        .collect();
    assert!(tenders.len() >= 20, "{}", tenders.len());
    eprintln!(
        "{} single-release tender notices checked field by field",
        tenders.len()
    );
    let day = |v: &Value| v.as_str().map(|s| s[..10].to_string()).unwrap_or_default();
    let yes = |v: &Value| match v.as_bool() {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    for r in &tenders {
        let ocid = r["ocid"].as_str().unwrap();
        let page = json(app, &s, &format!("/hub/opportunities/{ocid}.json")).await;
        let o = &rows(&page, 0)[0];
        let t = &r["tender"];
        assert_eq!(o["ocid"], ocid);
        assert_eq!(o["buyer"], r["buyer"]["name"], "{ocid}");
        assert_eq!(o["title"], t["title"], "{ocid}");
        assert_eq!(
            o["cpv"].as_str().unwrap().split(';').next().unwrap(),
            t["classification"]["id"].as_str().unwrap(),
            "{ocid}"
        );
        if let Some(a) = t["value"]["amount"].as_f64() {
            assert_eq!(
                money(&o["value_gbp"]),
                Some((a * 100.0).round() as i64),
                "{ocid}"
            );
        }
        assert_eq!(
            text(&o["tender_end"]),
            day(&t["tenderPeriod"]["endDate"]),
            "{ocid}"
        );
        assert_eq!(
            text(&o["contract_start"]),
            day(&t["contractPeriod"]["startDate"]),
            "{ocid}"
        );
        assert_eq!(
            text(&o["contract_end"]),
            day(&t["contractPeriod"]["endDate"]),
            "{ocid}"
        );
        assert_eq!(o["sme_suitable"], yes(&t["suitability"]["sme"]), "{ocid}");
        assert_eq!(o["vcse_suitable"], yes(&t["suitability"]["vcse"]), "{ocid}");
    }
    let ocid = tenders[0]["ocid"].as_str().unwrap();
    let page = json(app, &s, &format!("/hub/opportunities/{ocid}.json")).await;
    same_as_json(
        &csv_of(app, &s, &format!("/hub/opportunities/{ocid}.csv")).await,
        table(&page, 0),
    );
    same_as_json(
        &csv_of(
            app,
            &s,
            &format!("/hub/opportunities/{ocid}.csv?table=matches"),
        )
        .await,
        table(&page, 1),
    );
    assert_eq!(
        app.get(Some(&s), &format!("/hub/opportunities/{ocid}"))
            .await
            .status,
        200
    );
    for p in [
        "/hub/opportunities/ocds-b5fd17-no-such-notice",
        "/hub/opportunities/ocds-b5fd17-no-such-notice.json",
        "/hub/suppliers/no-such-supplier.json",
    ] {
        assert_eq!(app.get(Some(&s), p).await.status, 404, "{p}");
    }
}

/// Every opportunity's shortlist as `who` sees it: ocid → rows of the matches table.
async fn shortlists(app: &TestApp, s: &Session) -> Vec<(String, Vec<Value>)> {
    let page = json(app, s, &format!("/hub.json?{Q}")).await;
    let mut out = Vec::new();
    for r in rows(&page, 0) {
        let ocid = r["ocid"].as_str().unwrap();
        let p = json(app, s, &format!("/hub/opportunities/{ocid}.json")).await;
        out.push((ocid.to_string(), rows(&p, 1).clone()));
    }
    out
}

async fn matches_follow_the_viewers_rows(app: &TestApp) {
    let snap = app.state.snap();
    let ds = &snap.prepared.dataset;
    let admin = app.login("admin").await;
    let all = shortlists(app, &admin).await;
    let with: Vec<&(String, Vec<Value>)> = all.iter().filter(|x| !x.1.is_empty()).collect();
    assert!(!with.is_empty(), "no opportunity has a local supplier");
    eprintln!(
        "admin: {} of {} calendar opportunities with local suppliers, {} matches",
        with.len(),
        all.len(),
        with.iter().map(|x| x.1.len()).sum::<usize>()
    );
    for (ocid, ms) in &with {
        for (k, m) in ms.iter().enumerate() {
            assert_eq!(m["rank"], (k + 1).to_string(), "{ocid}");
            assert!(
                m["reasons"]
                    .as_str()
                    .unwrap()
                    .starts_with("located in the place"),
                "{m}"
            );
        }
        let scores: Vec<f64> = ms
            .iter()
            .map(|m| m["score"].as_str().unwrap().parse().unwrap())
            .collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "{ocid}: {scores:?}"
        );
    }
    // The same shortlist from the supplier's side.
    let (ocid, ms) = with[0];
    let name = ms[0]["supplier"].as_str().unwrap();
    let i = ds.suppliers.iter().position(|x| x.name == name).unwrap();
    let key = &snap.suppliers[i].key;
    let page = json(app, &admin, &format!("/hub/suppliers/{key}.json")).await;
    let fit = rows(&page, 0)
        .iter()
        .find(|r| r["ocid"] == ocid.as_str())
        .unwrap_or_else(|| panic!("{name} does not list {ocid}"));
    assert_eq!(
        (&fit["rank"], &fit["score"]),
        (&ms[0]["rank"], &ms[0]["score"])
    );
    same_as_json(
        &csv_of(app, &admin, &format!("/hub/suppliers/{key}.csv")).await,
        table(&page, 0),
    );

    // A member's shortlists read their own anchor's payments only: every supplier the
    // network "pays" in a reason was paid by Salford, and no more than Salford paid it.
    let si = snap.anchor_index(app.salford.id).unwrap();
    let mut paid_by_salford: HashMap<&str, i64> = HashMap::new();
    for t in ds.txns.iter().filter(|t| t.anchor == si && t.pence > 0) {
        *paid_by_salford
            .entry(ds.suppliers[t.supplier as usize].name.as_str())
            .or_default() += t.pence;
    }
    let member = app.login("salford").await;
    let mut pays = 0;
    for (ocid, ms) in shortlists(app, &member).await {
        for m in &ms {
            let reasons = m["reasons"].as_str().unwrap();
            if let Some(rest) = reasons
                .split(" | ")
                .find_map(|r| r.strip_prefix("the network pays it "))
            {
                pays += 1;
                let name = m["supplier"].as_str().unwrap();
                let amount = pence(
                    rest.split(' ')
                        .next()
                        .unwrap()
                        .trim_start_matches('£')
                        .replace(',', "")
                        .as_str(),
                );
                let paid = paid_by_salford.get(name).copied().unwrap_or(0);
                assert!(
                    amount <= paid,
                    "{ocid}: {name}: {amount} shown, Salford paid {paid}"
                );
            }
        }
    }
    assert!(pays > 0, "no match from Salford's payments");
    eprintln!("salford member: {pays} matches from Salford's payments");
    // A viewer sees no payment in any reason.
    let viewer = app.login("viewer").await;
    let mut seen = 0;
    for (ocid, ms) in shortlists(app, &viewer).await {
        seen += ms.len();
        for m in &ms {
            assert!(
                !m["reasons"].as_str().unwrap().contains("pays it"),
                "{ocid}: {m}"
            );
        }
    }
    eprintln!("viewer: {seen} matches (past awards only)");
}

async fn aggregated_demand(app: &TestApp) {
    let snap = app.state.snap();
    let ds = &snap.prepared.dataset;
    let admin = app.login("admin").await;
    let page = json(app, &admin, "/hub/demand.json?from=2025-01-01").await;
    same_as_json(
        &csv_of(app, &admin, "/hub/demand.csv?from=2025-01-01").await,
        table(&page, 0),
    );
    // demand.py on the workspace's own analysis.
    let dir = common::tempdir("demand");
    let path = dir.join("analysis.json");
    std::fs::write(&path, serde_json::to_string(&snap.analysis).unwrap()).unwrap();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../hub/tests/reference/demand.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&path)
        .arg("2")
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let want: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let got = rows(&page, 0);
    assert!(!want.is_empty(), "demand.py found no candidates");
    assert_eq!(got.len(), want.len());
    eprintln!("demand: {} candidates, as demand.py", got.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g["key"], w[0].to_string());
        assert_eq!(g["anchors"], w[1].to_string());
        assert_eq!(
            money(&g["leaked_gbp"]),
            Some(w[2].parse().unwrap()),
            "{}",
            &w[0]
        );
        assert_eq!(money(&g["influenceable_gbp"]), Some(w[3].parse().unwrap()));
        assert_eq!(money(&g["local_gbp"]), Some(w[4].parse().unwrap()));
        assert_eq!(money(&g["pooled_gbp"]), Some(w[5].parse().unwrap()));
        assert_eq!(g["lots_small"], w[6].to_string());
        assert_eq!(g["lots_micro"], w[7].to_string());
    }

    // A viewer: the same categories; a row's figures only where every anchor's part is
    // made from 5 suppliers and 10 influenceable payments or more (counted here).
    let viewer = app.login("viewer").await;
    let vpage = json(app, &viewer, "/hub/demand.json?from=2025-01-01").await;
    let vrows = rows(&vpage, 0);
    assert_eq!(vrows.len(), got.len());
    let names: Vec<&str> = ds.anchors.iter().map(|a| a.name.as_str()).collect();
    let (mut open, mut hidden) = (0, 0);
    for row in vrows {
        if row["leaked_gbp"] == "suppressed" {
            hidden += 1;
            assert_eq!(row["by_anchor"], "suppressed");
            continue;
        }
        open += 1;
        for part in row["by_anchor"].as_str().unwrap().split(" | ") {
            let a = names.iter().position(|n| part.starts_with(n)).unwrap();
            let rest = &part[names[a].len() + 1..];
            let fy = rest.split(' ').next().unwrap();
            let cat = rest[fy.len() + 2..].split("\": ").next().unwrap();
            let (mut sup, mut n) = (HashSet::new(), 0);
            for t in ds.txns.iter().filter(|t| {
                t.anchor as usize == a
                    && t.fy.to_string() == fy
                    && ds.categories[t.category as usize] == cat
                    && t.excluded_by.is_none()
            }) {
                sup.insert(t.supplier);
                n += 1;
            }
            assert!(
                sup.len() >= 5 && n >= 10,
                "{part}: {} suppliers, {n} payments shown to a viewer",
                sup.len()
            );
        }
    }
    // Shown rows first, suppressed after.
    assert!(vrows[..open]
        .iter()
        .all(|r| r["leaked_gbp"] != "suppressed"));
    assert_eq!(open + hidden, vrows.len());
    eprintln!("viewer demand: {open} shown, {hidden} suppressed");
    same_as_json(
        &csv_of(app, &viewer, "/hub/demand.csv?from=2025-01-01").await,
        table(&vpage, 0),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_calendar_and_opportunities_on_the_2025_notices() {
    for db in common::backends().await {
        let app = TestApp::spawn(db, false).await;
        calendar_and_filters(&app).await;
        opportunities(&app).await;
        app.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_matches_and_demand_follow_the_privacy_rules() {
    for db in common::backends().await {
        let app = TestApp::spawn(db, false).await;
        matches_follow_the_viewers_rows(&app).await;
        aggregated_demand(&app).await;
        app.cleanup().await;
    }
}

/// `anchornet demo --serve`'s workspace takes the hub's sources from the network file: every
/// anchor's registers, each named as that anchor's own (`[hub.anchors]`), so the rows of
/// Salford's contracts register, which name no buyer, are Salford's in the calendar.
#[test]
fn the_demo_workspace_makes_each_anchors_register_its_own_pipeline() {
    let net = anchornet_network::NetworkConfig::load(&common::demo("anchornet.toml")).unwrap();
    let dir = common::tempdir("demo-hub");
    let cfg = anchornet_web::workspace::write_for_network(&dir, &net, false, None).unwrap();
    let register = common::demo("registers/salford_contracts_register_2022.csv.xz")
        .canonicalize()
        .unwrap()
        .display()
        .to_string();
    assert_eq!(cfg.hub.sources, std::slice::from_ref(&register));
    assert_eq!(
        cfg.hub.anchors.get("Salford City Council"),
        Some(&vec![register.clone()])
    );
    // Read back from the file written: the same section.
    let again = anchornet_web::workspace::WorkspaceConfig::load(&dir).unwrap();
    assert_eq!(again.hub, cfg.hub);
    // A register that names no buyer (Salford's, its purchasing-body column taken out) is
    // its anchor's own when `[hub.anchors]` says so (a path relative to the workspace): linked
    // as the pages link them, every opportunity of it is Salford's; without the entry, none is.
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut xz2::read::XzDecoder::new(std::fs::File::open(&register).unwrap()),
        &mut text,
    )
    .unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let drop = head.iter().position(|h| h == "Purchasing Body").unwrap();
    std::fs::create_dir_all(dir.join("registers")).unwrap();
    let mut w = csv::Writer::from_path(dir.join("registers/salford_no_buyer.csv")).unwrap();
    let keep = |r: Vec<String>| -> Vec<String> {
        r.into_iter()
            .enumerate()
            .filter(|(i, _)| *i != drop)
            .map(|(_, v)| v)
            .collect()
    };
    w.write_record(keep(head.clone())).unwrap();
    for r in rdr.records() {
        w.write_record(keep(r.unwrap().iter().map(str::to_string).collect()))
            .unwrap();
    }
    w.flush().unwrap();
    let mut own = again.clone();
    own.hub.anchors = [(
        "Salford City Council".to_string(),
        vec!["registers/salford_no_buyer.csv".to_string()],
    )]
    .into();
    let names = ["Salford City Council", "Manchester City Council"];
    let whole = anchornet_hub::sources::read(
        &[std::path::PathBuf::from(&register)],
        &anchornet_ingest::Limits::default(),
    )
    .opportunities
    .len();
    for (cfg, want) in [(&own, Some("Salford City Council")), (&again, None)] {
        let mut pipe = anchornet_hub::sources::read(
            &[dir.join("registers/salford_no_buyer.csv")],
            &anchornet_ingest::Limits::default(),
        );
        assert_eq!(
            pipe.opportunities.len(),
            whole,
            "the same contracts, no buyer"
        );
        let anchors = anchornet_web::hub::anchors_of(cfg, names.into_iter());
        anchornet_hub::anchors::link(&mut pipe.opportunities, &anchors);
        for o in &pipe.opportunities {
            assert_eq!(o.anchor.as_deref(), want, "{}", o.id);
        }
    }
    std::fs::remove_dir_all(dir).ok();
}

/// The sheets of a workbook, each as rows of text (the header row first).
fn workbook(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|n| {
            let r = wb.worksheet_range(&n).unwrap();
            let rows = r
                .rows()
                .map(|row| row.iter().map(|c| c.to_string()).collect())
                .collect();
            (n, rows)
        })
        .collect()
}

async fn get_bytes(app: &TestApp, s: &Session, path: &str) -> (u16, String, Vec<u8>) {
    let r = app
        .http
        .get(format!("{}{path}", app.base))
        .header("cookie", &s.cookie)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .map(|h| h.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, r.bytes().await.unwrap().to_vec())
}

/// `/hub/pack.xlsx`: the meet-the-buyer workbook. Its Opportunities sheet holds exactly the
/// opportunities whose page lists local suppliers, with buyer and title as their release
/// files give them; its Matches sheet the shortlists of those pages, rank by rank; its
/// Suppliers sheet each shortlisted supplier once; a CPV filter keeps only opportunities
/// whose release files carry a code of that division.
async fn meet_the_buyer_pack(app: &TestApp) {
    let r = app.get(None, "/hub/pack.xlsx").await;
    assert!(matches!(r.status, 303 | 401), "signed out: {}", r.status);
    let admin = app.login("admin").await;
    let (status, kind, bytes) = get_bytes(app, &admin, "/hub/pack.xlsx").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let sheets = workbook(&bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Opportunities", "Suppliers to invite", "Matches"]);

    // Every ocid of the files, single-release ones with their buyer and title.
    let rels = releases();
    let mut by_ocid: HashMap<String, Vec<&Value>> = HashMap::new();
    for r in &rels {
        by_ocid
            .entry(r["ocid"].as_str().unwrap().to_string())
            .or_default()
            .push(r);
    }
    // The pages' shortlists, for every opportunity.
    let mut pages: HashMap<String, Vec<Value>> = HashMap::new();
    for ocid in by_ocid.keys() {
        let p = json(app, &admin, &format!("/hub/opportunities/{ocid}.json")).await;
        let ms = rows(&p, 1).clone();
        if !ms.is_empty() {
            pages.insert(ocid.clone(), ms);
        }
    }
    assert!(!pages.is_empty(), "no opportunity has a local supplier");

    let opp = &sheets[0].1;
    let col = |head: &[String], name: &str| head.iter().position(|h| h == name).unwrap();
    let (ocid_c, buyer_c, title_c) = (
        col(&opp[0], "ocid"),
        col(&opp[0], "buyer"),
        col(&opp[0], "title"),
    );
    let in_pack: HashSet<String> = opp[1..].iter().map(|r| r[ocid_c].clone()).collect();
    assert_eq!(opp.len() - 1, in_pack.len(), "an opportunity listed twice");
    let with: HashSet<String> = pages.keys().cloned().collect();
    assert_eq!(in_pack, with);
    for r in &opp[1..] {
        let rs = &by_ocid[&r[ocid_c]];
        if rs.len() == 1 {
            let rel = rs[0];
            assert_eq!(
                r[buyer_c],
                text(&rel["buyer"]["name"]).trim(),
                "{}",
                r[ocid_c]
            );
            assert_eq!(
                r[title_c],
                text(&rel["tender"]["title"]).trim(),
                "{}",
                r[ocid_c]
            );
        }
    }

    let m = &sheets[2].1;
    let (mo, mr, ms) = (
        col(&m[0], "ocid"),
        col(&m[0], "rank"),
        col(&m[0], "supplier"),
    );
    let want: usize = pages.values().map(Vec::len).sum();
    assert_eq!(m.len() - 1, want);
    for r in &m[1..] {
        let page = &pages[&r[mo]];
        let rank: usize = r[mr].parse().unwrap();
        assert_eq!(
            text(&page[rank - 1]["supplier"]),
            r[ms],
            "{} rank {rank}",
            r[mo]
        );
    }
    let suppliers: HashSet<&String> = m[1..].iter().map(|r| &r[ms]).collect();
    assert_eq!(sheets[1].1.len() - 1, suppliers.len());

    // A CPV division filter: construction work (45).
    let (status, _, bytes) = get_bytes(app, &admin, "/hub/pack.xlsx?cpv=45").await;
    assert_eq!(status, 200);
    let sheets = workbook(&bytes);
    let kept: HashSet<String> = sheets[0].1[1..].iter().map(|r| r[ocid_c].clone()).collect();
    let in_45 = |ocid: &String| {
        by_ocid[ocid].iter().any(|r| {
            let t = &r["tender"];
            let mut codes: Vec<String> = vec![text(&t["classification"]["id"])];
            for c in t["additionalClassifications"]
                .as_array()
                .into_iter()
                .flatten()
            {
                codes.push(text(&c["id"]));
            }
            for i in t["items"].as_array().into_iter().flatten() {
                codes.push(text(&i["classification"]["id"]));
            }
            codes.iter().any(|c| c.starts_with("45"))
        })
    };
    let want: HashSet<String> = with.iter().filter(|o| in_45(o)).cloned().collect();
    assert_eq!(kept, want);
    let r = app.get(Some(&admin), "/hub/pack.xlsx?cpv=4").await;
    assert_eq!(r.status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_meet_the_buyer_pack_as_xlsx() {
    for db in common::backends().await {
        let app = TestApp::spawn(db, false).await;
        meet_the_buyer_pack(&app).await;
        app.cleanup().await;
    }
}

/// The hub's sources are read again when they change, without a restart: a notice's title
/// edited in its file shows on its page, and a file added adds its opportunity.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_pages_follow_their_source_files_without_a_restart() {
    let src = common::contracts_finder_2025();
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for db in common::backends().await {
        let dir = common::tempdir("hub-reload");
        for f in &files[..5] {
            std::fs::copy(f, dir.join(f.file_name().unwrap())).unwrap();
        }
        let ocids = |n: usize| -> HashSet<String> {
            files[..n]
                .iter()
                .map(|f| {
                    let v: Value =
                        serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
                    v["ocid"].as_str().unwrap().to_string()
                })
                .collect()
        };
        let app = TestApp::spawn_with_sources(db, false, "", &dir).await;
        let s = app.login("admin").await;
        let page = json(&app, &s, &format!("/hub.json?{Q}")).await;
        assert_eq!(page["opportunities"], ocids(5).len());

        // Edit the first notice's title in its file.
        let first = dir.join(files[0].file_name().unwrap());
        let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&first).unwrap()).unwrap();
        let ocid = v["ocid"].as_str().unwrap().to_string();
        let before = json(&app, &s, &format!("/hub/opportunities/{ocid}.json")).await;
        let new_title = "Edited after the server started";
        assert_ne!(before["title"], new_title);
        v["tender"]["title"] = Value::String(new_title.into());
        std::fs::write(&first, serde_json::to_string_pretty(&v).unwrap()).unwrap();
        let after = json(&app, &s, &format!("/hub/opportunities/{ocid}.json")).await;
        assert_eq!(after["title"], new_title);

        // Add a file.
        std::fs::copy(&files[5], dir.join(files[5].file_name().unwrap())).unwrap();
        let page = json(&app, &s, &format!("/hub.json?{Q}")).await;
        assert_eq!(page["opportunities"], ocids(6).len());
        app.cleanup().await;
        std::fs::remove_dir_all(dir).ok();
    }
}

/// The payments compliance page (UK8, Procurement Act 2023 s.69) on the two hand-built UK8
/// notices of `crates/hub/tests/fixtures/uk_act` (see its NOTICE): one row per notice, by
/// buyer then period, each figure equal to the notice's JSON read here; its CSV twin equal to
/// its JSON twin; linked from the pipeline page; signed in only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_payments_compliance_page_on_the_uk8_notices() {
    let src =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../hub/tests/fixtures/uk_act");
    let names = [
        "F1_UK8_payments_compliance.json",
        "F2_UK8_payments_compliance.json",
    ];
    // The notices' releases, from the files, ordered by period start.
    let mut notices: Vec<Value> = names
        .iter()
        .map(|n| {
            let v: Value =
                serde_json::from_str(&std::fs::read_to_string(src.join(n)).unwrap()).unwrap();
            v["releases"][0].clone()
        })
        .collect();
    notices.sort_by_key(|r| {
        r["paymentsCompliance"]["period"]["startDate"]
            .as_str()
            .unwrap()
            .to_string()
    });
    for db in common::backends().await {
        let dir = common::tempdir("hub-uk8");
        for n in names {
            std::fs::copy(src.join(n), dir.join(n)).unwrap();
        }
        let app = TestApp::spawn_with_sources(db, false, "", &dir).await;
        for p in [
            "/hub/payments-compliance",
            "/hub/payments-compliance.json",
            "/hub/payments-compliance.csv",
        ] {
            let r = app.get(None, p).await;
            assert!(
                matches!(r.status, 303 | 401),
                "{p} signed out: {}",
                r.status
            );
        }
        let s = app.login("viewer").await;
        let page = json(&app, &s, "/hub/payments-compliance.json").await;
        assert_eq!(page["notices"], 2);
        assert_eq!(page["buyers"], 1);
        let got = rows(&page, 0);
        assert_eq!(got.len(), notices.len());
        for (row, r) in got.iter().zip(&notices) {
            let pc = &r["paymentsCompliance"];
            let doc = &r["planning"]["documents"][0];
            assert_eq!(text(&row["buyer"]), r["buyer"]["name"].as_str().unwrap());
            assert_eq!(
                text(&row["period_start"]),
                pc["period"]["startDate"].as_str().unwrap()[..10]
            );
            assert_eq!(
                text(&row["period_end"]),
                pc["period"]["endDate"].as_str().unwrap()[..10]
            );
            assert_eq!(text(&row["invoices_paid"]), pc["invoicesPaid"].to_string());
            // Pounds on the page: the notice's amount to the penny.
            assert_eq!(
                money(&row["value_paid_gbp"]),
                Some(pence(&pc["value"]["amount"].to_string()))
            );
            assert_eq!(
                text(&row["paid_within_30_days_percent"]),
                pc["paidWithin30DaysPercent"].to_string()
            );
            assert_eq!(
                text(&row["paid_31_to_60_days_percent"]),
                pc["paidIn31To60DaysPercent"].to_string()
            );
            assert_eq!(
                text(&row["paid_after_60_days_percent"]),
                pc["paidAfter60DaysPercent"].to_string()
            );
            assert_eq!(
                text(&row["average_days_to_pay"]),
                pc["averageDaysToPay"].to_string()
            );
            assert_eq!(text(&row["notice_id"]), doc["id"].as_str().unwrap());
            assert_eq!(text(&row["url"]), doc["url"].as_str().unwrap());
            assert_eq!(text(&row["ocid"]), r["ocid"].as_str().unwrap());
        }
        let csv = csv_of(&app, &s, "/hub/payments-compliance.csv").await;
        same_as_json(&csv, table(&page, 0));
        // The pipeline page links to it, and the page itself is served.
        let hub = app.get(Some(&s), &format!("/hub?{Q}")).await;
        assert_eq!(hub.status, 200);
        assert!(hub.body.contains("href=\"/hub/payments-compliance\""));
        let html = app.get(Some(&s), "/hub/payments-compliance").await;
        assert_eq!(html.status, 200);
        assert!(html.body.contains("000808-2025"), "{}", html.body);
        app.cleanup().await;
        std::fs::remove_dir_all(dir).ok();
    }
}
