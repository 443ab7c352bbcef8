//! `anchornet hub` through the real binary on the demo network (`data/demo/anchornet.toml`,
//! whose Salford anchor lists Salford's contracts register) and the real Contracts Finder
//! notices of 2025 (`../shared/data/procurement/contracts_finder_ocds_2025`). Expected values
//! are read from the raw files here with the csv and serde_json crates, not from the code
//! under test.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn scratch(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("anchornet-hub-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn notices() -> PathBuf {
    root().join("../shared/data/procurement/contracts_finder_ocds_2025")
}

/// The demo register's rows as header → value maps.
fn register() -> Vec<HashMap<String, String>> {
    let mut s = String::new();
    xz2::read::XzDecoder::new(
        std::fs::File::open(
            root().join("data/demo/registers/salford_contracts_register_2022.csv.xz"),
        )
        .unwrap(),
    )
    .read_to_string(&mut s)
    .unwrap();
    let mut r = csv::Reader::from_reader(s.trim_start_matches('\u{feff}').as_bytes());
    let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|x| {
            h.iter()
                .cloned()
                .zip(x.unwrap().iter().map(|v| v.trim().to_string()))
                .collect()
        })
        .collect()
}

fn words(s: &str) -> Vec<String> {
    s.replace('&', " and ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn csv_rows(p: &std::path::Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(p).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|x| {
            h.iter()
                .cloned()
                .zip(x.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn hub_pipeline_on_the_demo_network_with_real_notices() {
    let d = scratch("pipeline");
    let out = d.join("opportunities.csv");
    let run = Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .args([
            "hub",
            "pipeline",
            "--network",
            "data/demo/anchornet.toml",
            "--json",
            "--out",
        ])
        .arg(&out)
        .arg(notices())
        .arg("--issues")
        .arg(d.join("issues.csv"))
        .arg("--ocds")
        .arg(d.join("opportunities.json"))
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();

    // Expected, from the raw files: one opportunity per register contract (its reference,
    // else its title) and per ocid; anchors are the buyers whose name words equal an anchor's.
    let anchors = [
        "Salford City Council",
        "Manchester City Council",
        "Trafford Council",
    ]
    .map(words);
    let reg = register();
    let mut keys = HashSet::new();
    let mut anchor_keys = 0;
    for r in &reg {
        let k = if r["Contract Reference"].is_empty() {
            &r["Contract Title"]
        } else {
            &r["Contract Reference"]
        };
        if keys.insert(k.clone()) && anchors.contains(&words(&r["Purchasing Body"])) {
            anchor_keys += 1;
        }
    }
    let mut ocids = HashMap::new();
    for e in std::fs::read_dir(notices()).unwrap() {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(e.unwrap().path()).unwrap()).unwrap();
        ocids.insert(
            v["ocid"].as_str().unwrap().to_string(),
            v["buyer"]["name"].as_str().unwrap_or("").to_string(),
        );
    }
    let anchor_ocids = ocids
        .values()
        .filter(|b| anchors.contains(&words(b)))
        .count();
    assert_eq!(summary["read"], reg.len() as u64 + 200);
    assert_eq!(summary["rejected"], 0);
    assert_eq!(summary["opportunities"], (keys.len() + ocids.len()) as u64);
    assert_eq!(
        summary["anchor_opportunities"],
        (anchor_keys + anchor_ocids) as u64
    );

    let rows = csv_rows(&out);
    assert_eq!(rows.len(), keys.len() + ocids.len());
    for c in [
        "ocid",
        "buyer",
        "title",
        "cpv",
        "value_pence",
        "status",
        "tender_end",
        "contract_start",
        "contract_end",
        "sme_suitable",
        "vcse_suitable",
        "incumbent",
    ] {
        assert!(rows[0].contains_key(c), "column {c} missing");
    }
    // A register row read by meaning: S1417, £5,015.20, Underwater Diving Services Ltd.
    let s = rows
        .iter()
        .find(|r| r["ocid"] == "register:salford_contracts_register_2022:S1417")
        .unwrap();
    let raw = reg
        .iter()
        .find(|r| r["Contract Reference"] == "S1417")
        .unwrap();
    assert_eq!(s["incumbent"], raw["Supplier Company Name"]);
    assert_eq!(s["contract_end"], raw["Current Expiry Date"]);
    assert_eq!(s["anchor"], "Salford City Council");
    assert_eq!(
        s["value_pence"],
        raw["Total Contract Value (including extensions)"].replace('.', "")
    );
    // The OCDS twin: one record per opportunity.
    let pkg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("opportunities.json")).unwrap()).unwrap();
    assert_eq!(pkg["records"].as_array().unwrap().len(), rows.len());
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn hub_calendar_windows_on_the_salford_register() {
    let d = scratch("calendar");
    let out = d.join("calendar.csv");
    let run = Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .args([
            "hub",
            "calendar",
            "--network",
            "data/demo/anchornet.toml",
            "--anchor",
            "Salford City Council",
        ])
        .args(["--from", "2022-07-01", "--months", "6", "--out"])
        .arg(&out)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Expected, from the raw register: contracts (first row of each) of Salford City Council
    // whose current expiry (else end) falls from 2022-07-01 to 2023-01-01, or whose window
    // (expiry minus 3, 6, 9 or 12 months by total value, else annual value: £30,000,
    // £214,904, £5,372,609) opens then.
    let day = |s: &str| -> Option<(i32, u32, u32)> {
        let p: Vec<&str> = s.split('-').collect();
        (p.len() == 3)
            .then(|| Some((p[0].parse().ok()?, p[1].parse().ok()?, p[2].parse().ok()?)))
            .flatten()
    };
    let minus = |(y, m, dd): (i32, u32, u32), k: u32| {
        let t = y * 12 + m as i32 - 1 - k as i32;
        (t.div_euclid(12), t.rem_euclid(12) as u32 + 1, dd)
    };
    let (from, until) = ((2022, 7, 1), (2023, 1, 1));
    let inside = |x: (i32, u32, u32)| x >= from && x <= until;
    let mut seen = HashSet::new();
    let mut want = 0;
    for r in register() {
        let k = if r["Contract Reference"].is_empty() {
            r["Contract Title"].clone()
        } else {
            r["Contract Reference"].clone()
        };
        if !seen.insert(k) || words(&r["Purchasing Body"]) != words("Salford City Council") {
            continue;
        }
        let end = day(&r["Current Expiry Date"]).or_else(|| day(&r["End Date"]));
        let Some(end) = end else { continue };
        let v: f64 = r["Total Contract Value (including extensions)"]
            .parse()
            .ok()
            .filter(|v| *v != 0.0)
            .or_else(|| r["Annual Value"].parse().ok())
            .unwrap_or(0.0);
        let lead = if v >= 5_372_609.0 {
            12
        } else if v >= 214_904.0 {
            9
        } else if v >= 30_000.0 {
            6
        } else {
            3
        };
        if inside(end) || inside(minus(end, lead)) {
            want += 1;
        }
    }
    let rows = csv_rows(&out);
    assert!(want > 0);
    assert_eq!(rows.len(), want);
    assert!(rows
        .iter()
        .all(|r| r["event"] == "contract ends" && r["anchor"] == "Salford City Council"));
    let _ = std::fs::remove_dir_all(&d);
}

/// Aggregated demand and SME/VCSE targets on the demo network, the
/// network prepared once (`anchornet analyse`) and its `analysis.json` read by each.
///
/// Expected candidates: `crates/hub/tests/reference/demand.py analysis.json` (standard
/// library, the rules of docs/hub.md, not the code under test) on the demo's analysis gives
/// contractor 2 421105254, building 2 92464331, postage 2 30757221, security 2 29528544,
/// gas 2 6642353, cleaning material 2 1042027 (key, anchors, leaked pence);
/// `.ci/independent_checks.py` reruns it against the product.
#[test]
fn hub_demand_and_targets_on_the_demo_network() {
    let d = scratch("demand");
    let bin = env!("CARGO_BIN_EXE_anchornet");
    let run = |args: &[&str]| {
        let o = Command::new(bin)
            .args(args)
            .current_dir(root())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o
    };
    let a = d.join("a");
    run(&[
        "analyse",
        "--network",
        "data/demo/anchornet.toml",
        "--out",
        a.to_str().unwrap(),
    ]);
    let analysis = a.join("analysis.json");
    let out = d.join("demand.csv");
    run(&[
        "hub",
        "demand",
        "--network",
        "data/demo/anchornet.toml",
        "--analysis",
        analysis.to_str().unwrap(),
        "--from",
        "2022-04-01",
        "--out",
        out.to_str().unwrap(),
    ]);
    let rows = csv_rows(&out);
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["key"].as_str(),
                r["anchors"].as_str(),
                r["leaked_pence"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("contractor", "2", "421105254"),
            ("building", "2", "92464331"),
            ("postage", "2", "30757221"),
            ("security", "2", "29528544"),
            ("gas", "2", "6642353"),
            ("cleaning material", "2", "1042027"),
        ]
    );
    // Lots by hand: £4,211,052.54 ÷ £7,500,000 → 1 lot for small businesses, ÷ £500,000 → 9
    // for micro businesses.
    assert_eq!(
        (&*rows[0]["lots_small"], &*rows[0]["lots_micro"]),
        ("1", "9")
    );
    // Salford's register: "Security staffing and associated vehicle hire" (S1101) ends
    // 2023-03-31; £295,285.44 is in the £214,904 – £5,372,609 band: 9 months' lead.
    assert_eq!(rows[3]["first_end"], "2023-03-31");
    assert_eq!(rows[3]["start_by"], "2022-06-30");

    // Targets: one row per scope and year, no verdict without [targets].
    let t = d.join("targets.csv");
    run(&[
        "hub",
        "targets",
        "--network",
        "data/demo/anchornet.toml",
        "--analysis",
        analysis.to_str().unwrap(),
        "--out",
        t.to_str().unwrap(),
    ]);
    let trows = csv_rows(&t);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&analysis).unwrap()).unwrap();
    assert_eq!(trows.len(), json["figures"].as_array().unwrap().len());
    assert!(trows.iter().all(|r| r["sme_verdict"].is_empty()));
    for (r, f) in trows.iter().zip(json["figures"].as_array().unwrap()) {
        assert_eq!(r["scope"], f["scope"].as_str().unwrap());
        assert_eq!(r["sme_pence"], f["figures"]["sme"]["matched"].to_string());
        assert_eq!(
            r["vcse_known_pence"],
            f["figures"]["vcse"]["known"].to_string()
        );
    }
}

/// Exact pence of a JSON amount in pounds (`41250000.5` → 4125000050), from its decimal
/// text, not through a float.
fn json_pence(v: &serde_json::Value) -> i64 {
    let s = v.to_string();
    let (a, b) = s.split_once('.').unwrap_or((&s, "0"));
    let b = format!("{b:0<2}");
    a.parse::<i64>().unwrap() * 100 + b[..2].parse::<i64>().unwrap()
}

/// `hub pipeline --payments-compliance`: one CSV row per UK8 notice of the hand-built
/// Procurement Act fixtures (crates/hub/tests/fixtures/uk_act, see its NOTICE), each figure
/// equal to the notice's JSON read here; the count in the summary.
#[test]
fn hub_pipeline_writes_the_payments_compliance_notices() {
    let d = scratch("payments-compliance");
    let fixtures = root().join("crates/hub/tests/fixtures/uk_act");
    let run = Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .args(["hub", "pipeline", "--json", "--out"])
        .arg(d.join("opportunities.csv"))
        .arg("--payments-compliance")
        .arg(d.join("payments_compliance.csv"))
        .arg(&fixtures)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();

    // The UK8 notices, from the files: releases whose documents are all of notice type UK8.
    let mut files: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut expected = Vec::new();
    for f in &files {
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        for r in v["releases"].as_array().unwrap() {
            let docs = r["planning"]["documents"].as_array();
            if docs.is_some_and(|d| !d.is_empty() && d.iter().all(|x| x["noticeType"] == "UK8")) {
                expected.push((f.clone(), r.clone()));
            }
        }
    }
    assert_eq!(expected.len(), 2);
    assert_eq!(summary["payments_compliance"], expected.len());

    let rows = csv_rows(&d.join("payments_compliance.csv"));
    assert_eq!(rows.len(), expected.len());
    // Rows are by buyer, then period: both notices are one buyer's, so by period start.
    expected.sort_by_key(|(_, r)| {
        r["paymentsCompliance"]["period"]["startDate"]
            .as_str()
            .unwrap()
            .to_string()
    });
    for (row, (file, r)) in rows.iter().zip(&expected) {
        let pc = &r["paymentsCompliance"];
        let doc = &r["planning"]["documents"][0];
        assert_eq!(row["buyer"], r["buyer"]["name"].as_str().unwrap());
        assert_eq!(
            row["period_start"],
            pc["period"]["startDate"].as_str().unwrap()[..10]
        );
        assert_eq!(
            row["period_end"],
            pc["period"]["endDate"].as_str().unwrap()[..10]
        );
        assert_eq!(row["invoices_paid"], pc["invoicesPaid"].to_string());
        assert_eq!(
            row["value_paid_pence"],
            json_pence(&pc["value"]["amount"]).to_string()
        );
        assert_eq!(
            row["paid_within_30_days_percent"],
            pc["paidWithin30DaysPercent"].to_string()
        );
        assert_eq!(
            row["paid_31_to_60_days_percent"],
            pc["paidIn31To60DaysPercent"].to_string()
        );
        assert_eq!(
            row["paid_after_60_days_percent"],
            pc["paidAfter60DaysPercent"].to_string()
        );
        assert_eq!(
            row["average_days_to_pay"],
            pc["averageDaysToPay"].to_string()
        );
        assert_eq!(row["notice_id"], doc["id"].as_str().unwrap());
        assert_eq!(row["url"], doc["url"].as_str().unwrap());
        assert_eq!(row["ocid"], r["ocid"].as_str().unwrap());
        assert!(
            row["source"].ends_with(file.file_name().unwrap().to_str().unwrap()),
            "{} is not from {}",
            row["source"],
            file.display()
        );
    }
    std::fs::remove_dir_all(&d).ok();
}
