//! Shared helpers for tests on the real files in `../shared/data` (beside the repository).
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

use anchornet_resolve::{NameInput, Resolution};

pub mod silver;

/// `../shared/data`, or `$ANCHORNET_SHARED_DATA`. Missing data is a test failure, not a skip:
/// CI always has `shared/` beside the clone.
pub fn shared() -> PathBuf {
    let p = std::env::var_os("ANCHORNET_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    assert!(
        p.is_dir(),
        "real data not found at {} (set ANCHORNET_SHARED_DATA)",
        p.display()
    );
    p
}

/// A gold row: name, entity, publishers.
pub struct Gold {
    pub name: String,
    pub entity: String,
    pub publishers: Vec<String>,
}

pub fn dev_gold() -> Vec<Gold> {
    let path = shared().join("validation/supplier_names_dev.csv");
    let mut rdr = csv::Reader::from_path(&path).expect("dev gold file");
    rdr.records()
        .map(|r| {
            let r = r.expect("csv row");
            Gold {
                name: r[0].trim().to_string(),
                entity: r[1].trim().to_string(),
                publishers: r[2]
                    .split(';')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            }
        })
        .collect()
}

/// One input per (name, publisher), as the CLI reads a `name,…,publishers` file.
pub fn inputs(gold: &[Gold]) -> Vec<NameInput> {
    let mut v = Vec::new();
    for g in gold {
        if g.publishers.is_empty() {
            v.push(NameInput::new(g.name.clone()));
        }
        for p in &g.publishers {
            v.push(NameInput::new(g.name.clone()).with_anchor(p.clone()));
        }
    }
    v
}

/// Pairwise and B-cubed scores, as `shared/tools/score_clusters.py` computes them.
#[derive(Debug, Clone, Copy)]
pub struct Scores {
    pub p: f64,
    pub r: f64,
    pub f1: f64,
    pub b3_p: f64,
    pub b3_r: f64,
    pub b3_f1: f64,
}

pub fn score(gold: &[Gold], pred: &HashMap<String, String>) -> Scores {
    // Counted from the contingency table of (gold entity, predicted cluster), the
    // definitions of `shared/tools/score_clusters.py`: pairwise over unordered pairs of gold
    // names; B-cubed per name, averaged. A gold name missing from the prediction is its own
    // cluster.
    let n = gold.len();
    let mut both: HashMap<(&str, String), u64> = HashMap::new();
    let mut by_gold: HashMap<&str, u64> = HashMap::new();
    let mut by_pred: HashMap<String, u64> = HashMap::new();
    for (i, g) in gold.iter().enumerate() {
        let c = pred
            .get(&g.name)
            .cloned()
            .unwrap_or_else(|| format!("__single_{i}"));
        *both.entry((g.entity.as_str(), c.clone())).or_default() += 1;
        *by_gold.entry(g.entity.as_str()).or_default() += 1;
        *by_pred.entry(c).or_default() += 1;
    }
    let pairs = |k: u64| k * k.saturating_sub(1) / 2;
    let tp: u64 = both.values().map(|&k| pairs(k)).sum();
    let pred_pairs: u64 = by_pred.values().map(|&k| pairs(k)).sum();
    let gold_pairs: u64 = by_gold.values().map(|&k| pairs(k)).sum();
    let p = if pred_pairs == 0 {
        1.0
    } else {
        tp as f64 / pred_pairs as f64
    };
    let r = if gold_pairs == 0 {
        0.0
    } else {
        tp as f64 / gold_pairs as f64
    };
    let f1 = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    let (mut bp, mut br) = (0.0, 0.0);
    for ((g, c), &k) in &both {
        let k = k as f64;
        bp += k * k / by_pred[c] as f64;
        br += k * k / by_gold[g] as f64;
    }
    let (b3_p, b3_r) = (bp / n as f64, br / n as f64);
    let b3_f1 = 2.0 * b3_p * b3_r / (b3_p + b3_r);
    Scores {
        p,
        r,
        f1,
        b3_p,
        b3_r,
        b3_f1,
    }
}

/// Assert scores at or above floors: pairwise P, R, F1, then B-cubed P, R, F1.
pub fn floors(s: &Scores, f: [f64; 6]) {
    let got = [s.p, s.r, s.f1, s.b3_p, s.b3_r, s.b3_f1];
    let what = [
        "pairwise P",
        "pairwise R",
        "pairwise F1",
        "B-cubed P",
        "B-cubed R",
        "B-cubed F1",
    ];
    for i in 0..6 {
        assert!(got[i] >= f[i], "{} {:.4} < floor {}", what[i], got[i], f[i]);
    }
}

/// name → entity id of a resolution.
pub fn clusters(res: &Resolution) -> HashMap<String, String> {
    res.names
        .iter()
        .map(|n| (n.name.clone(), res.entities[n.entity].id.clone()))
        .collect()
}

/// Print wrong merges and splits (for `--nocapture` debugging).
pub fn show_errors(gold: &[Gold], pred: &HashMap<String, String>, limit: usize) {
    let mut merged = Vec::new();
    let mut split = Vec::new();
    for i in 0..gold.len() {
        for j in i + 1..gold.len() {
            let sg = gold[i].entity == gold[j].entity;
            let sp = pred.get(&gold[i].name) == pred.get(&gold[j].name);
            if sp && !sg {
                merged.push((gold[i].name.clone(), gold[j].name.clone()));
            } else if sg && !sp {
                split.push((gold[i].name.clone(), gold[j].name.clone()));
            }
        }
    }
    println!("wrongly merged: {}", merged.len());
    for (a, b) in merged.iter().take(limit) {
        println!("  MERGED {a:?} + {b:?}");
    }
    println!("wrongly split: {}", split.len());
    for (a, b) in split.iter().take(limit) {
        println!("  SPLIT  {a:?} / {b:?}");
    }
}
