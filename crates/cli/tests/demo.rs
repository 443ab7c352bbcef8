//! `anchornet demo` on the bundled real network: the headline figures the README prints are
//! the figures the run computes, every reconciliation holds, and every output is written.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn pct(a: i64, b: i64) -> String {
    if b <= 0 {
        "–".into()
    } else {
        format!("{:.1}%", 100.0 * a as f64 / b as f64)
    }
}

/// `of located / of all (coverage)`, as in the README table.
fn share(s: &Value) -> String {
    let g = |k: &str| s[k].as_i64().unwrap();
    format!(
        "{} / {} ({})",
        pct(g("matched"), g("known")),
        pct(g("matched"), g("base")),
        pct(g("known"), g("base"))
    )
}

#[test]
fn demo_headline_figures_are_the_readmes() {
    let out = std::env::temp_dir().join(format!("anchornet-demo-{}", std::process::id()));
    let run = Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .args(["demo", "--json", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let a: Value = serde_json::from_slice(&run.stdout).expect("JSON analysis on stdout");
    for c in a["checks"].as_array().unwrap() {
        assert_eq!(c["ok"], true, "{}", c["what"]);
    }
    // Rows of the README's headline table: | scope | year | local | wider | deprived |
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("<!-- demo-headline -->")
        .expect("README has the demo headline table");
    let rows: Vec<Vec<String>> = readme[start..]
        .lines()
        .skip(3)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    assert!(rows.len() >= 6, "{rows:?}");
    for r in &rows {
        let f = a["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["scope"] == r[0].as_str() && f["fy"] == r[1].as_str())
            .unwrap_or_else(|| panic!("no figures for {} {}", r[0], r[1]));
        let f = &f["figures"];
        assert_eq!(share(&f["local"]), r[2], "local share, {} {}", r[0], r[1]);
        assert_eq!(share(&f["wider"]), r[3], "wider share, {} {}", r[0], r[1]);
        assert_eq!(
            share(&f["deprived"]["share"]),
            r[4],
            "deprived share, {} {}",
            r[0],
            r[1]
        );
    }
    // 2021/22 covers Salford and Manchester, all twelve months each.
    let y = a["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["fy"] == "2021/22")
        .unwrap();
    let anchors: Vec<&str> = y["anchors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["anchor"].as_str().unwrap())
        .collect();
    assert_eq!(anchors, ["Salford City Council", "Manchester City Council"]);
    for f in [
        "report.html",
        "report.xlsx",
        "analysis.json",
        "payments.parquet",
        "issues.csv",
        "csv/headline.csv",
    ] {
        let p = out.join(f);
        assert!(
            p.metadata().map(|m| m.len() > 0).unwrap_or(false),
            "{} missing",
            p.display()
        );
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Salford, Manchester and Trafford anchor network (demo)"));
    std::fs::remove_dir_all(&out).unwrap();
}
