//! Primary and secondary suppression, attacked from outside (issue 17, items 8 and 9).
//!
//! On the demo data (Salford's and Manchester's payments of July 2021), every published
//! table of the public view and of a viewer's pages is fetched — `/public`,
//! `/public/categories` for each year, `/overview` for every year and category filter,
//! `/categories` for every year and scope, `/leakage`, `/anchors` and each anchor's page —
//! and the figures are put in one cube, scope × year × category, by the names the tables
//! give. Then an attacker's every subtraction is tried: the network minus the other
//! anchors, all years minus the other years, all categories minus the other categories,
//! chained (what one subtraction finds is used in the next) until nothing new is found. No
//! suppressed cell may come out. The same attack by a member of one anchor, who knows their
//! own anchor's figures, must not recover any small cell of the other.
//!
//! Expected values are independent of the code under test: which cells are small is
//! counted here from the dataset's payments (distinct suppliers and payments, the
//! thresholds of docs/security.md), and the attack reads only the HTTP answers.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use common::{Db, Session, TestApp};
use serde_json::Value;

/// (scope, year text, category; "" for all categories).
type Key = (String, String, String);

/// A cube's published figures: per cell, the value of each additive column (`None` where
/// suppressed).
#[derive(Default)]
struct Cube {
    cells: BTreeMap<Key, [Option<i64>; 3]>,
}

/// The additive columns the attack reads: payments, every payment (pence), influenceable
/// spend (pence).
const COLUMNS: [&str; 3] = ["payments", "total_gbp", "influenceable_gbp"];

fn pence(v: &Value) -> Option<i64> {
    let s = v.as_str()?;
    if s == "suppressed" {
        return None;
    }
    let neg = s.starts_with('-');
    let s = s.trim_start_matches('-');
    let (p, f) = s.split_once('.').unwrap_or((s, "00"));
    let v = p.parse::<i64>().ok()? * 100 + f.parse::<i64>().ok()?;
    Some(if neg { -v } else { v })
}

fn value(row: &Value, col: &str) -> Option<Option<i64>> {
    let v = row.get(col)?;
    Some(match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if s == "suppressed" => None,
        _ => Some(pence(v).unwrap_or_else(|| panic!("{col}: {v}"))),
    })
}

impl Cube {
    /// Add a row of a table, checking that a cell already seen (in another table or with
    /// another filter) is published, or suppressed, alike and with the same values.
    fn add(&mut self, key: Key, row: &Value, from: &str) {
        let mut got = [None; 3];
        let mut present = [false; 3];
        let mut hidden = false;
        for (i, c) in COLUMNS.iter().enumerate() {
            if let Some(v) = value(row, c) {
                present[i] = true;
                got[i] = v;
                hidden |= v.is_none();
            }
        }
        let e = self.cells.entry(key.clone()).or_insert([Some(i64::MIN); 3]);
        for i in 0..3 {
            if !present[i] {
                continue;
            }
            if e[i] == Some(i64::MIN) {
                e[i] = got[i];
            } else {
                assert_eq!(
                    e[i].is_none(),
                    got[i].is_none(),
                    "{key:?} {} suppressed in one table, shown in another ({from})",
                    COLUMNS[i]
                );
                assert_eq!(e[i], got[i], "{key:?} {} differs ({from})", COLUMNS[i]);
            }
        }
        if hidden {
            // A hidden row hides every column.
            for (i, c) in COLUMNS.iter().enumerate() {
                if present[i] {
                    assert!(got[i].is_none(), "{key:?}: {c} shown in a suppressed row");
                }
            }
        }
    }

    fn hidden(&self, k: &Key) -> bool {
        self.cells
            .get(k)
            .is_some_and(|v| v.iter().any(|x| x.is_none()))
    }
}

/// The attacker: every line of the cube (a total and its parts), subtraction chained to a
/// fixed point. `known` are the cells the attacker knows besides the published ones (a
/// member's own anchor's). A cell in no table is a known zero when the tables cover the
/// whole cube (`exhaustive`: the overview with every filter), else unknown. Returns the
/// cells recovered (suppressed or unpublished), with the column.
fn attack(
    cube: &Cube,
    scopes: &[String],
    years: &[String],
    cats: &[String],
    known: &dyn Fn(&Key) -> bool,
    exhaustive: bool,
) -> Vec<(Key, &'static str)> {
    let mut lines: Vec<(Key, Vec<Key>)> = Vec::new();
    let k = |s: &str, y: &str, c: &str| (s.to_string(), y.to_string(), c.to_string());
    let all_years = "all";
    let ys: Vec<&str> = std::iter::once(all_years)
        .chain(years.iter().map(String::as_str))
        .collect();
    let cs: Vec<&str> = std::iter::once("")
        .chain(cats.iter().map(String::as_str))
        .collect();
    for y in &ys {
        for c in &cs {
            lines.push((
                k(&scopes[0], y, c),
                scopes[1..].iter().map(|s| k(s, y, c)).collect(),
            ));
        }
    }
    for s in scopes {
        for c in &cs {
            lines.push((
                k(s, all_years, c),
                years.iter().map(|y| k(s, y, c)).collect(),
            ));
        }
        for y in &ys {
            lines.push((k(s, y, ""), cats.iter().map(|c| k(s, y, c)).collect()));
        }
    }
    let mut out = Vec::new();
    for (ci, col) in COLUMNS.iter().enumerate() {
        // Unknown: suppressed and not otherwise known. A cell absent from every table is
        // a zero (no payments), known.
        let mut unknown: HashSet<Key> = cube
            .cells
            .iter()
            // Suppressed, or a column no table gives for this cell.
            .filter(|(k, v)| (v[ci].is_none() || v[ci] == Some(i64::MIN)) && !known(k))
            .map(|(k, _)| k.clone())
            .collect();
        if !exhaustive {
            for (t, parts) in &lines {
                for k in std::iter::once(t).chain(parts) {
                    if !cube.cells.contains_key(k) && !known(k) {
                        unknown.insert(k.clone());
                    }
                }
            }
        }
        let start = unknown.clone();
        loop {
            let mut found = false;
            for (t, parts) in &lines {
                let u: Vec<&Key> = std::iter::once(t)
                    .chain(parts)
                    .filter(|k| unknown.contains(*k))
                    .collect();
                if u.len() == 1 {
                    let k = u[0].clone();
                    unknown.remove(&k);
                    found = true;
                }
            }
            if !found {
                break;
            }
        }
        for k in start.difference(&unknown) {
            out.push((k.clone(), *col));
        }
    }
    out.sort();
    out
}

/// Distinct suppliers and payments of a cell, over all its payments and over the
/// influenceable ones, counted here from the dataset.
fn small_cells(app: &TestApp) -> HashSet<Key> {
    let snap = app.state.snap();
    let ds = &snap.prepared.dataset;
    type C = (HashSet<u32>, u64, HashSet<u32>, u64);
    let mut per: HashMap<Key, C> = HashMap::new();
    for t in &ds.txns {
        for s in [
            anchornet_metrics::NETWORK.to_string(),
            ds.anchors[t.anchor as usize].name.clone(),
        ] {
            for y in ["all".to_string(), t.fy.to_string()] {
                for c in ["".to_string(), ds.categories[t.category as usize].clone()] {
                    let e = per.entry((s.clone(), y.clone(), c)).or_default();
                    e.0.insert(t.supplier);
                    e.1 += 1;
                    if t.excluded_by.is_none() {
                        e.2.insert(t.supplier);
                        e.3 += 1;
                    }
                }
            }
        }
    }
    per.into_iter()
        .filter(|(_, (s, n, si, ni))| s.len() < 5 || *n < 10 || si.len() < 5 || *ni < 10)
        .map(|(k, _)| k)
        .collect()
}

fn rows(page: &Value, table: usize) -> Vec<Value> {
    page["tables"][table]["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("no table {table}: {page}"))
        .clone()
}

/// Every published table a signed-in `who` (or the public) sees, as one cube.
async fn collect(
    app: &TestApp,
    who: Option<&Session>,
    years: &[String],
    cats: &[String],
) -> (Cube, usize) {
    let mut cube = Cube::default();
    let mut tables = 0;
    let get = |p: String| async move {
        let r = app.get(who, &p).await;
        assert_eq!(r.status, 200, "{p}: {}", r.body);
        r.json()
    };
    // The public view (the same pattern for everyone).
    let page = get("/public.json".into()).await;
    tables += 1;
    for r in rows(&page, 0) {
        let key = (str_of(&r["scope"]), str_of(&r["year"]), String::new());
        cube.add(key, &r, "/public");
    }
    for y in years {
        let page = get(format!("/public/categories.json?year={y}")).await;
        tables += 1;
        for r in rows(&page, 0) {
            let key = (
                anchornet_metrics::NETWORK.to_string(),
                y.clone(),
                str_of(&r["category"]),
            );
            cube.add(key, &r, "/public/categories");
        }
    }
    if who.is_none() {
        return (cube, tables);
    }
    let snap = app.state.snap();
    let enc = anchornet_web::page::urlencode;
    // The overview, every filter of year (all, each) and category (all, each).
    for y in std::iter::once("").chain(years.iter().map(String::as_str)) {
        for c in std::iter::once("").chain(cats.iter().map(String::as_str)) {
            let page = get(format!(
                "/overview.json?year={}&category={}",
                enc(y),
                enc(c)
            ))
            .await;
            tables += 1;
            for r in rows(&page, 0) {
                let key = (str_of(&r["scope"]), str_of(&r["year"]), c.to_string());
                cube.add(key, &r, "/overview");
            }
        }
    }
    // Categories per scope and year; leakage per year.
    for y in years {
        for (scope, a) in std::iter::once((anchornet_metrics::NETWORK.to_string(), String::new()))
            .chain(
                snap.anchors
                    .iter()
                    .map(|a| (a.name.clone(), a.id.to_string())),
            )
        {
            let page = get(format!("/categories.json?year={}&anchor={a}", enc(y))).await;
            tables += 1;
            for r in rows(&page, 0) {
                let key = (scope.clone(), y.clone(), str_of(&r["category"]));
                cube.add(key, &r, "/categories");
            }
        }
        let page = get(format!("/leakage.json?year={}", enc(y))).await;
        tables += 1;
        for r in rows(&page, 0) {
            let key = (
                anchornet_metrics::NETWORK.to_string(),
                y.clone(),
                str_of(&r["category"]),
            );
            cube.add(key, &r, "/leakage");
        }
    }
    // Anchors: all years; each anchor's figures by year, and its largest categories.
    let page = get("/anchors.json".into()).await;
    tables += 1;
    for r in rows(&page, 0) {
        let key = (str_of(&r["anchor"]), "all".into(), String::new());
        cube.add(key, &r, "/anchors");
    }
    for a in &snap.anchors {
        let page = get(format!("/anchors/{}.json", a.id)).await;
        tables += 2;
        for r in rows(&page, 0) {
            let key = (str_of(&r["scope"]), str_of(&r["year"]), String::new());
            cube.add(key, &r, "/anchors/{id}");
        }
        for r in rows(&page, 1) {
            let key = (a.name.clone(), str_of(&r["year"]), str_of(&r["category"]));
            cube.add(key, &r, "/anchors/{id} categories");
        }
    }
    (cube, tables)
}

/// Pence as the JSON twins write money.
fn money(p: i64) -> String {
    let sign = if p < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        p.unsigned_abs() / 100,
        p.unsigned_abs() % 100
    )
}

fn str_of(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not text: {v}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_suppressed_cell_is_recovered_by_any_subtraction() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let snap = app.state.snap();
    let ds = &snap.prepared.dataset;
    let years: Vec<String> = snap.years_desc().iter().map(|y| y.to_string()).collect();
    let cats: Vec<String> = ds.categories.clone();
    let mut scopes = vec![anchornet_metrics::NETWORK.to_string()];
    scopes.extend(ds.anchors.iter().map(|a| a.name.clone()));
    let small = small_cells(&app);
    // The cells with payments, (scope, year, category), counted from the dataset.
    let mut paid: HashSet<Key> = HashSet::new();
    for t in &ds.txns {
        for y in ["all".to_string(), t.fy.to_string()] {
            for c in ["".to_string(), ds.categories[t.category as usize].clone()] {
                paid.insert((ds.anchors[t.anchor as usize].name.clone(), y.clone(), c));
            }
        }
    }

    // The public: /public and /public/categories.
    let (public, n_public) = collect(&app, None, &years, &cats).await;
    let got: Vec<_> = attack(&public, &scopes, &years, &cats, &|_| false, false)
        .into_iter()
        .filter(|(k, _)| public.cells.contains_key(k) || small.contains(k))
        .collect();
    assert!(
        got.is_empty(),
        "the public recovers {} cells: {:?}",
        got.len(),
        &got[..got.len().min(10)]
    );

    // A viewer: every aggregate page.
    let viewer = app.login("viewer").await;
    let (cube, n_tables) = collect(&app, Some(&viewer), &years, &cats).await;
    // The public view is the viewer's pattern (so the two cannot be combined).
    for (k, v) in &public.cells {
        let w = cube
            .cells
            .get(k)
            .unwrap_or_else(|| panic!("{k:?} not in the viewer's pages"));
        for i in 0..3 {
            if v[i] != Some(i64::MIN) {
                assert_eq!(v[i], w[i], "{k:?} {}", COLUMNS[i]);
            }
        }
    }
    let hidden: BTreeSet<&Key> = cube.cells.keys().filter(|k| cube.hidden(k)).collect();
    let shown = cube.cells.len() - hidden.len();
    // Primary: every small cell (counted here) is hidden.
    for k in cube.cells.keys() {
        if small.contains(k) {
            assert!(cube.hidden(k), "{k:?} is small but shown");
        }
    }
    let primary = hidden.iter().filter(|k| small.contains(**k)).count();
    eprintln!(
        "{n_public} public tables, {n_tables} viewer tables; {} cells: {shown} shown, {primary} small, {} hidden to protect them",
        cube.cells.len(),
        hidden.len() - primary
    );
    assert!(primary > 0 && hidden.len() > primary && shown > 20);
    let got = attack(&cube, &scopes, &years, &cats, &|_| false, true);
    let viewer_cells = &cube.cells;
    assert!(
        got.is_empty(),
        "a viewer recovers {} cells: {:?}",
        got.len(),
        &got[..got.len().min(10)]
    );

    // A member of each anchor knows their own anchor's cells: no small cell of the other
    // anchor or of the network comes out.
    for (user, own) in [
        ("salford", &ds.anchors[0].name),
        ("manchester", &ds.anchors[1].name),
    ] {
        let s = app.login(user).await;
        let (mut cube, _) = collect(&app, Some(&s), &years, &cats).await;
        // What they see of their own anchor is shown; the rest is the viewer's pattern.
        for (k, v) in &cube.cells {
            if &k.0 == own {
                assert!(
                    !v.iter().any(|x| x.is_none()),
                    "{user} sees own {k:?} suppressed"
                );
            }
        }
        // Everything else is the viewer's pattern.
        cube.cells.retain(|k, _| &k.0 != own);
        for (k, v) in &cube.cells {
            assert_eq!(viewer_cells.get(k), Some(v), "{user}: {k:?}");
        }
        // A network cell made of their own anchor's payments alone is theirs to know.
        let others_in = |k: &Key| {
            k.0 != *own
                && (k.0 != anchornet_metrics::NETWORK
                    || scopes[1..]
                        .iter()
                        .any(|o| o != own && paid.contains(&(o.clone(), k.1.clone(), k.2.clone()))))
        };
        let got: Vec<_> = attack(&cube, &scopes, &years, &cats, &|k| &k.0 == own, true)
            .into_iter()
            .filter(|(k, _)| small.contains(k) && others_in(k))
            .collect();
        assert!(
            got.is_empty(),
            "{user} recovers small cells: {:?}",
            &got[..got.len().min(10)]
        );
    }
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_filter_shows_one_payment_of_another_anchor() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let snap = app.state.snap();
    let ds = &snap.prepared.dataset;
    let mi = snap.anchor_index(app.manchester.id).unwrap();
    // A category and year in which Manchester made exactly one payment (found here from
    // the dataset), and a supplier Manchester paid once and nobody else paid.
    let mut per: HashMap<(u32, anchornet_core::FinancialYear), Vec<usize>> = HashMap::new();
    for (i, t) in ds.txns.iter().enumerate().filter(|(_, t)| t.anchor == mi) {
        per.entry((t.category, t.fy)).or_default().push(i);
    }
    let (&(cat, fy), one) = per
        .iter()
        .filter(|(_, v)| v.len() == 1)
        .min_by_key(|((c, _), _)| *c)
        .expect("a category with one Manchester payment");
    let t = &ds.txns[one[0]];
    let cat = ds.categories[cat as usize].clone();
    let amount = money(t.pence);
    let s = (0..snap.suppliers.len())
        .find(|&i| {
            let s = &snap.suppliers[i];
            s.payments == 1
                && s.anchors.len() == 1
                && s.anchors.contains(&mi)
                && !ds.suppliers[i].individual
                && !ds.suppliers[i].redacted
        })
        .expect("a supplier paid once, by Manchester only");
    let k = snap.txns_of[s][0] as usize;
    let key = snap.suppliers[s].key.clone();
    let name = ds.suppliers[s].name.clone();
    let s_amount = money(ds.txns[k].pence);
    let m = app.manchester.id;
    let enc = anchornet_web::page::urlencode;
    let admin = app.login("admin").await;
    let viewer = app.login("viewer").await;
    let salford = app.login("salford").await;
    let manchester = app.login("manchester").await;

    // Positive control: an admin and Manchester's members see them.
    for who in [&admin, &manchester] {
        let o = app
            .get(
                Some(who),
                &format!("/overview.json?anchor={m}&year={fy}&category={}", enc(&cat)),
            )
            .await
            .json();
        assert_eq!(o["tables"][0]["rows"][0]["total_gbp"], amount.as_str());
        let b = app
            .get(Some(who), &format!("/suppliers/{key}.json"))
            .await
            .body;
        assert!(b.contains(&s_amount), "{b}");
    }
    for who in [&viewer, &salford] {
        // The overview filtered to that anchor, year and category.
        let o = app
            .get(
                Some(who),
                &format!("/overview.json?anchor={m}&year={fy}&category={}", enc(&cat)),
            )
            .await
            .json();
        assert_eq!(o["tables"][0]["rows"][0]["total_gbp"], "suppressed", "{o}");
        assert_eq!(o["tables"][0]["rows"][0]["payments"], "suppressed");
        // Filtered to the year and category, every scope: Manchester's row hidden.
        let o = app
            .get(
                Some(who),
                &format!("/overview.json?year={fy}&category={}", enc(&cat)),
            )
            .await
            .json();
        for r in rows(&o, 0) {
            if r["scope"] == ds.anchors[mi as usize].name.as_str() {
                assert_eq!(r["total_gbp"], "suppressed", "{r}");
            }
        }
        // The categories of that anchor.
        let c = app
            .get(Some(who), &format!("/categories.json?anchor={m}&year={fy}"))
            .await
            .json();
        let row = rows(&c, 0)
            .into_iter()
            .find(|r| r["category"] == cat.as_str())
            .unwrap();
        assert_eq!(row["total_gbp"], "suppressed", "{row}");
        // The supplier: listed (searchable by name), but not what it was paid.
        for p in [
            format!("/suppliers.json?q={}", enc(&name)),
            format!("/suppliers/{key}.json"),
            format!("/suppliers/{key}"),
            format!("/suppliers.csv?q={}", enc(&name)),
        ] {
            let r = app.get(Some(who), &p).await;
            assert_eq!(r.status, 200, "{p}");
            assert!(
                !r.body.contains(&s_amount),
                "{p} shows {s_amount}: {}",
                r.body
            );
        }
        let l = app
            .get(Some(who), &format!("/suppliers.json?q={}", enc(&name)))
            .await
            .json();
        let row = rows(&l, 0)
            .into_iter()
            .find(|r| r["id"] == key.as_str() || r["supplier"] == name.as_str())
            .expect("listed");
        assert!(
            row["influenceable_gbp"] == "suppressed" || row["influenceable_gbp"] == "0.00",
            "{row}"
        );
    }
    app.cleanup().await;
}
