//! The streamed OCDS path (a first pass that locates each release, then each ocid's
//! releases read again, merged and dropped) gives the same opportunities and compiled
//! releases as reading every file whole, on the real 2025 and 2019–20 Contracts Finder sets,
//! and whatever the packaging (one release per file, JSON Lines, one release package, a
//! record package, gzip) — including texts cut by the reader's 4 MiB window.
//!
//! "Whole" is done here without the reader under test: each file parsed with
//! `serde_json::from_str`, releases grouped by ocid in path order, merged by
//! `anchornet_ingest::ocds::compile` (the merge checked against ocdskit in `real_data.rs`),
//! each compiled release turned into an opportunity.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use anchornet_hub::output;
use anchornet_hub::sources::{self, ocds as hub_ocds};
use anchornet_ingest::ocds::{self, Release};
use anchornet_ingest::Limits;
use serde_json::{json, Value};

use common::procurement;

/// The set's releases, file by file (recursively) in path order, parsed whole: a file is a
/// release or a release package.
fn whole(dir: &Path) -> Vec<(String, Value)> {
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    // Path order, as the reader takes a folder's files.
    files.sort();
    let mut out = Vec::new();
    for p in &files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        let name = p.to_string_lossy().to_string();
        // A file is one release, or a release package (the 2019–20 set).
        match v.get("releases").and_then(Value::as_array) {
            Some(rs) => out.extend(rs.iter().map(|r| (name.clone(), r.clone()))),
            None => out.push((name, v)),
        }
    }
    out
}

/// Compiled releases and opportunities (CSV rows, without the `files` column) of releases
/// parsed whole, grouped by ocid in order of first appearance.
fn expected(releases: &[(String, Value)]) -> (Vec<Value>, Vec<Vec<String>>) {
    let mut order: Vec<String> = Vec::new();
    let mut groups: std::collections::HashMap<String, Vec<Release>> = Default::default();
    for (file, v) in releases {
        let ocid = v["ocid"].as_str().unwrap().to_string();
        let date = ocds::parse_date_time(v["date"].as_str().unwrap()).unwrap();
        let g = groups.entry(ocid.clone()).or_default();
        if g.is_empty() {
            order.push(ocid.clone());
        }
        g.push(Release {
            file: file.clone(),
            path: String::new(),
            ocid,
            date,
            json: v.clone(),
        });
    }
    let mut compiled = Vec::new();
    let mut ops = Vec::new();
    for ocid in order {
        let rs: Vec<&Release> = groups[&ocid].iter().collect();
        let c = ocds::compile(&rs);
        let mut issues = Vec::new();
        ops.push(hub_ocds::from_compiled(&c, "", &mut issues));
        compiled.push(c);
    }
    (compiled, rows(&ops))
}

/// The opportunities' CSV rows without the columns that name source files.
fn rows(ops: &[anchornet_hub::Opportunity]) -> Vec<Vec<String>> {
    let (head, rows) = output::opportunities(ops);
    let drop: Vec<usize> = head
        .iter()
        .enumerate()
        .filter(|(_, h)| matches!(**h, "files" | "source"))
        .map(|(i, _)| i)
        .collect();
    rows.into_iter()
        .map(|r| {
            r.into_iter()
                .enumerate()
                .filter(|(i, _)| !drop.contains(i))
                .map(|(_, c)| c)
                .collect()
        })
        .collect()
}

fn streamed(paths: &[PathBuf]) -> (sources::Pipeline, Vec<Value>, Vec<Vec<String>>) {
    let p = sources::read(paths, &Limits::default());
    let mut reader = p.ocds.reader();
    let compiled = p
        .opportunities
        .iter()
        .map(|o| p.compiled_release(&mut reader, &o.id).unwrap())
        .collect();
    let r = rows(&p.opportunities);
    (p, compiled, r)
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("anchornet-hub-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn check_set(set: &str, releases_n: u64, ocids: usize) {
    let dir = procurement(set);
    let rs = whole(&dir);
    let (want_c, want_rows) = expected(&rs);
    assert_eq!(want_rows.len(), ocids);

    // The files as published (one release each).
    let (p, got_c, got_rows) = streamed(std::slice::from_ref(&dir));
    assert_eq!(p.reports.iter().map(|r| r.read).sum::<u64>(), releases_n);
    assert!(p.reports.iter().all(|r| r.reconciles()));
    assert_eq!(got_rows, want_rows, "{set}: opportunities");
    assert_eq!(got_c, want_c, "{set}: compiled releases");

    // The same releases repacked: JSON Lines, a release package, a record package (releases
    // embedded), and JSON Lines gzipped.
    let tmp = tempdir(set);
    let lines: String = rs.iter().map(|(_, v)| format!("{v}\n")).collect();
    std::fs::write(tmp.join("all.jsonl"), &lines).unwrap();
    let all: Vec<&Value> = rs.iter().map(|(_, v)| v).collect();
    std::fs::write(
        tmp.join("package.json"),
        serde_json::to_string_pretty(&json!({"uri": "u", "releases": all})).unwrap(),
    )
    .unwrap();
    let mut by_ocid: Vec<(String, Vec<&Value>)> = Vec::new();
    for (_, v) in &rs {
        let o = v["ocid"].as_str().unwrap();
        match by_ocid.iter_mut().find(|(k, _)| k == o) {
            Some((_, g)) => g.push(v),
            None => by_ocid.push((o.to_string(), vec![v])),
        }
    }
    let records: Vec<Value> = by_ocid
        .iter()
        .map(|(o, g)| json!({"ocid": o, "releases": g}))
        .collect();
    std::fs::write(
        tmp.join("records.json"),
        json!({"uri": "u", "records": records}).to_string(),
    )
    .unwrap();
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(tmp.join("all.jsonl.gz")).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(lines.as_bytes()).unwrap();
    gz.finish().unwrap();
    for name in ["all.jsonl", "package.json", "records.json", "all.jsonl.gz"] {
        let (p, got_c, got_rows) = streamed(&[tmp.join(name)]);
        assert_eq!(p.reports.len(), 1, "{name}");
        assert_eq!(p.reports[0].read, releases_n, "{name}");
        assert!(p.reports[0].reconciles(), "{name}");
        assert_eq!(got_rows, want_rows, "{set} as {name}: opportunities");
        assert_eq!(got_c, want_c, "{set} as {name}: compiled releases");
    }
    std::fs::remove_dir_all(tmp).ok();
}

#[test]
fn contracts_finder_2025_streamed_as_read_whole() {
    // counts.py ocds contracts_finder_ocds_2025 → releases=200 ocids=190
    check_set("contracts_finder_ocds_2025", 200, 190);
}

#[test]
fn contracts_finder_2019_2020_streamed_as_read_whole() {
    // counts.py ocds contracts_finder_ocds_2019_2020 → releases=173 ocids=173
    check_set("contracts_finder_ocds_2019_2020", 173, 173);
}

/// Texts longer than the reader's window, and lines cut by it: the 2025 releases copied
/// 12 times under new ocids (about 8 MB of JSON), as one package and as JSON Lines with
/// one bad line in the middle.
#[test]
fn texts_longer_than_the_window_and_lines_cut_by_it() {
    let rs = whole(&procurement("contracts_finder_ocds_2025"));
    let mut copies: Vec<(String, Value)> = Vec::new();
    for k in 0..12 {
        for (f, v) in &rs {
            let mut v = v.clone();
            let o = format!("{}-copy{k}", v["ocid"].as_str().unwrap());
            v["ocid"] = json!(o);
            copies.push((f.clone(), v));
        }
    }
    let (want_c, want_rows) = expected(&copies);
    let tmp = tempdir("window");
    let all: Vec<&Value> = copies.iter().map(|(_, v)| v).collect();
    let package = serde_json::to_string_pretty(&json!({"releases": all})).unwrap();
    assert!(package.len() > 2 * (4 << 20), "{} bytes", package.len());
    std::fs::write(tmp.join("package.json"), package).unwrap();
    let half = copies.len() / 2;
    let mut lines = String::new();
    for (i, (_, v)) in copies.iter().enumerate() {
        if i == half {
            lines.push_str("{\"ocid\": oops}\n");
        }
        lines.push_str(&format!("{v}\n"));
    }
    std::fs::write(tmp.join("all.jsonl"), lines).unwrap();
    let (p, got_c, got_rows) = streamed(&[tmp.join("package.json")]);
    assert_eq!(p.reports[0].read, copies.len() as u64);
    assert_eq!(got_rows, want_rows, "package: opportunities");
    assert_eq!(got_c, want_c, "package: compiled releases");
    let (p, got_c, got_rows) = streamed(&[tmp.join("all.jsonl")]);
    assert_eq!(p.reports[0].read, copies.len() as u64);
    assert_eq!(got_rows, want_rows, "JSON Lines: opportunities");
    assert_eq!(got_c, want_c, "JSON Lines: compiled releases");
    // The bad line is reported on its line (the 1-based line after `half` good ones).
    let bad: Vec<_> = p
        .issues
        .iter()
        .filter(|i| i.problem.starts_with("not JSON"))
        .collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0].line, half as u64 + 1);
    std::fs::remove_dir_all(tmp).ok();
}
