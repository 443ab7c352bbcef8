//! `anchornet resolve` and `anchornet resolve review` through the real binary, on real
//! names: the hand-checked development set (`../shared/data/validation`), the bundled Salford
//! payments and Salford's contracts register (`data/demo/`, OGL v3.0).

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anchornet_resolve::calibrate::{calibrate, Thresholds};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn dev_set() -> PathBuf {
    let p = root().join("../shared/data/validation/supplier_names_dev.csv");
    assert!(
        p.exists(),
        "{} is missing: the tests read the shared data beside the clone",
        p.display()
    );
    p
}

fn scratch(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("anchornet-resolve-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn anchornet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Rows of a CSV file as maps from header to value.
fn rows(p: &Path) -> Vec<HashMap<String, String>> {
    let mut rdr = csv::Reader::from_path(p).unwrap();
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn header(p: &Path) -> String {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string()
}

/// name → cluster id.
fn clusters(p: &Path) -> HashMap<String, String> {
    rows(p)
        .into_iter()
        .map(|r| (r["name"].clone(), r["cluster_id"].clone()))
        .collect()
}

fn ok(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn dev_set_through_the_cli_meets_the_floors() {
    let tmp = scratch("dev");
    let out = tmp.join("clusters.csv");
    let run = anchornet(&["resolve", s(&dev_set()), "--out", s(&out)]);
    ok(&run);
    assert_eq!(
        header(&out),
        "name,cluster_id,canonical_name,confidence,kind,identifiers"
    );
    // One row per distinct input name, nothing lost.
    let gold: Vec<(String, String)> = rows(&dev_set())
        .into_iter()
        .map(|r| (r["name"].clone(), r["entity_id"].clone()))
        .collect();
    let got = rows(&out);
    assert_eq!(got.len(), gold.len());
    let pred = clusters(&out);
    // Pairwise precision and recall over the gold names.
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    for i in 0..gold.len() {
        for j in i + 1..gold.len() {
            let same_gold = gold[i].1 == gold[j].1;
            let same_pred = pred[&gold[i].0] == pred[&gold[j].0];
            match (same_gold, same_pred) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                _ => {}
            }
        }
    }
    let p = tp as f64 / (tp + fp) as f64;
    let r = tp as f64 / (tp + fn_) as f64;
    let f1 = 2.0 * p * r / (p + r);
    assert!(p >= 0.97 && f1 >= 0.95, "P={p:.4} R={r:.4} F1={f1:.4}");
    // Every row says how sure it is and what kind of body it is.
    for r in &got {
        let c: f64 = r["confidence"].parse().unwrap();
        assert!((0.0..=1.0).contains(&c), "{r:?}");
        assert!(!r["kind"].is_empty() && !r["canonical_name"].is_empty());
    }
    let by_name: HashMap<&str, &HashMap<String, String>> =
        got.iter().map(|r| (r["name"].as_str(), r)).collect();
    assert_eq!(by_name["HM Revenue & Customs"]["kind"], "public_body/hmrc");
    assert_eq!(by_name["AMEY LG LTD"]["kind"], "company");
}

#[test]
fn overrides_change_the_result_and_bad_rows_are_reported() {
    let tmp = scratch("overrides");
    // Real names of the dev set: the Amey companies and the Keepmoat / Engie / Equans
    // renames of one company (01738371), which names alone cannot join.
    let names = tmp.join("names.csv");
    let mut w = csv::Writer::from_path(&names).unwrap();
    w.write_record(["name", "publishers"]).unwrap();
    for r in rows(&dev_set()) {
        let e = &r["entity_id"];
        if e.starts_with("amey_") || e == "equans_regen" {
            w.write_record([&r["name"], &r["publishers"]]).unwrap();
        }
    }
    w.flush().unwrap();
    drop(w);
    let plain = tmp.join("plain.csv");
    ok(&anchornet(&["resolve", s(&names), "--out", s(&plain)]));
    let c = clusters(&plain);
    assert_eq!(c["AMEY LG LTD"], c["Amey LG Limited"]);
    assert_ne!(c["AMEY LG LTD"], c["Amey OW Limited"]);
    assert_ne!(c["Keepmoat Regeneration Ltd"], c["Engie Regeneration Ltd"]);

    let overrides = tmp.join("overrides.csv");
    std::fs::write(
        &overrides,
        "action,name,value,note\n\
         must-link,Keepmoat Regeneration Ltd,Engie Regeneration Ltd,renamed (company 01738371)\n\
         cannot-link,AMEY LG LTD,Amey LG Limited,a reviewer's test decision\n\
         rename,Engie Regeneration Ltd,Equans Regeneration Limited,\n\
         join,Amey Rail,Amey Rail Ltd,\n\
         must-link,Nobody Ltd,Amey Rail,\n\
         set-company-number,Amey Rail,twelve,\n",
    )
    .unwrap();
    let with = tmp.join("with.csv");
    let run = anchornet(&[
        "resolve",
        s(&names),
        "--overrides",
        s(&overrides),
        "--out",
        s(&with),
    ]);
    // Done, but three rows could not be used: exit 1, each reported with its line.
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("overrides.csv:5:"), "{err}");
    assert!(err.contains("unknown action \"join\""), "{err}");
    assert!(err.contains("overrides.csv:6:"), "{err}");
    assert!(err.contains("Nobody Ltd"), "{err}");
    assert!(err.contains("overrides.csv:7:"), "{err}");
    assert!(err.contains("\"twelve\" is not a company number"), "{err}");
    let c = clusters(&with);
    assert_eq!(c["Keepmoat Regeneration Ltd"], c["Engie Regeneration Ltd"]);
    assert_ne!(c["AMEY LG LTD"], c["Amey LG Limited"]);
    let renamed: Vec<_> = rows(&with)
        .into_iter()
        .filter(|r| r["name"] == "Keepmoat Regeneration Ltd")
        .collect();
    assert_eq!(renamed[0]["canonical_name"], "Equans Regeneration Limited");
    // Nothing else moved: Amey Rail's names are still one entity.
    assert_eq!(c["Amey Rail"], c["Amey Rail Ltd"]);
}

#[test]
fn payment_files_with_a_register_and_the_review_list() {
    let tmp = scratch("payments");
    let out = tmp.join("clusters.csv");
    let entities = tmp.join("entities.csv");
    let run = anchornet(&[
        "resolve",
        "data/demo/spend/salford",
        "--registers",
        "data/demo/registers/salford_contracts_register_2022.csv.xz",
        "--out",
        s(&out),
        "--entities",
        s(&entities),
        "--json",
    ]);
    ok(&run);
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let got = rows(&out);
    // One row per distinct name, the same count the summary gives.
    assert_eq!(got.len() as u64, summary["names"].as_u64().unwrap());
    let distinct: HashSet<&str> = got.iter().map(|r| r["name"].as_str()).collect();
    assert_eq!(distinct.len(), got.len());
    let files = std::fs::read_dir(root().join("data/demo/spend/salford"))
        .unwrap()
        .count();
    assert_eq!(summary["files"].as_array().unwrap().len(), files);
    assert!(summary["register_links"].as_u64().unwrap() > 100);
    // Entities carry the register's postcode with its source.
    let ents = rows(&entities);
    let ids: HashSet<&str> = got.iter().map(|r| r["cluster_id"].as_str()).collect();
    assert_eq!(
        ents.len(),
        ids.len(),
        "one row per entity of the input names"
    );
    let located: Vec<_> = ents.iter().filter(|e| !e["postcode"].is_empty()).collect();
    assert!(located.len() > 100, "{} entities located", located.len());
    assert!(located
        .iter()
        .all(|e| e["postcode_source"].contains("salford_contracts_register_2022.csv.xz")));

    let review = anchornet(&["resolve", "review", "data/demo/spend/salford", "--top", "3"]);
    ok(&review);
    let text = String::from_utf8_lossy(&review.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("spend at stake"), "{text}");
    assert!(lines[1].trim_start().starts_with("1 "), "{text}");
    assert!(lines.last().unwrap().contains("more (--top N"), "{text}");
    let csv_out = tmp.join("review.csv");
    ok(&anchornet(&[
        "resolve",
        "review",
        "data/demo/spend/salford",
        "--out",
        s(&csv_out),
    ]));
    let items = rows(&csv_out);
    assert!(items.len() > 3, "{} review items", items.len());
    // Most spend at stake first.
    let pence = |r: &HashMap<String, String>| -> f64 {
        r["spend_at_stake"]
            .trim_start_matches('£')
            .replace(',', "")
            .parse()
            .unwrap()
    };
    assert!(items.windows(2).all(|w| pence(&w[0]) >= pence(&w[1])));
}

#[test]
fn state_keeps_entities_across_runs() {
    let tmp = scratch("state");
    let state = tmp.join("state.json");
    let first = tmp.join("first.csv");
    ok(&anchornet(&[
        "resolve",
        "data/demo/spend/salford/2021-07.csv.xz",
        "--state",
        s(&state),
        "--out",
        s(&first),
    ]));
    assert!(state.exists());
    let second = tmp.join("second.csv");
    ok(&anchornet(&[
        "resolve",
        "data/demo/spend/salford/2021-07.csv.xz",
        "data/demo/spend/salford/2021-08.csv.xz",
        "--state",
        s(&state),
        "--out",
        s(&second),
    ]));
    let a = clusters(&first);
    let b = clusters(&second);
    assert!(b.len() > a.len(), "the second month adds names");
    // Every name of the first run keeps its entity id.
    let moved: Vec<_> = a.iter().filter(|(n, id)| b[*n] != **id).collect();
    assert!(
        moved.is_empty(),
        "{} names moved: {:?}",
        moved.len(),
        &moved[..moved.len().min(5)]
    );
}

#[test]
fn an_input_that_is_not_there_is_a_usage_error() {
    let run = anchornet(&["resolve", "no/such/payments.csv", "--out", "-"]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("no/such/payments.csv"), "{err}");
}

#[test]
fn individuals_are_redacted_on_request() {
    let tmp = scratch("redact");
    let plain = tmp.join("plain.csv");
    let redacted = tmp.join("redacted.csv");
    let month = "data/demo/spend/salford/2021-07.csv.xz";
    ok(&anchornet(&["resolve", month, "--out", s(&plain)]));
    ok(&anchornet(&[
        "resolve",
        month,
        "--redact-individuals",
        "--out",
        s(&redacted),
    ]));
    let a = rows(&plain);
    let b = rows(&redacted);
    assert_eq!(a.len(), b.len(), "redaction keeps every row");
    let text = std::fs::read_to_string(&redacted).unwrap();
    let mut people = 0;
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x["cluster_id"], y["cluster_id"]);
        if x["kind"] == "individual" {
            people += 1;
            assert_eq!(y["name"], "Individual (redacted)");
            assert_eq!(y["canonical_name"], "Individual (redacted)");
            assert!(
                !text.contains(&format!("\n{},", x["name"])),
                "{}",
                x["name"]
            );
        } else {
            assert_eq!(x, y);
        }
    }
    assert!(
        people > 5,
        "{people} individuals in a month of Salford payments"
    );
}

// `anchornet resolve calibrate NAMES.csv` on real names: the distinct supplier names of
// Trafford's 2024/25 payments (`../shared/data/spend/trafford`).

/// The distinct trimmed, non-empty `BeneficiaryName`s of one Trafford year, sorted.
fn trafford_names() -> Vec<String> {
    let p = root().join("../shared/data/spend/trafford/trafford-supplier-spend-2024-25.csv.xz");
    let f = std::fs::File::open(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut bytes = Vec::new();
    xz2::read::XzDecoder::new_multi_decoder(std::io::BufReader::new(f))
        .read_to_end(&mut bytes)
        .unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let col = rdr
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "BeneficiaryName")
        .expect("BeneficiaryName column");
    let mut names: Vec<String> = rdr
        .records()
        .filter_map(|r| r.ok())
        .filter_map(|r| r.get(col).map(|n| n.trim().to_string()))
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn calibrate_writes_what_the_library_learns_and_reads_back() {
    let tmp = scratch("trafford");
    let names = trafford_names();
    assert!(names.len() > 2000, "{} names", names.len());
    let csv_path = tmp.join("names.csv");
    let mut w = csv::Writer::from_path(&csv_path).unwrap();
    w.write_record(["name"]).unwrap();
    for n in &names {
        w.write_record([n]).unwrap();
    }
    w.flush().unwrap();
    let out = tmp.join("calibration.tsv");
    let run = anchornet(&["resolve", "calibrate", s(&csv_path), "--out", s(&out)]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    // Provenance first: how many names, and the command that made the file.
    assert!(
        text.starts_with(&format!(
            "# Thresholds learned from {} unlabelled supplier names",
            names.len()
        )),
        "{text}"
    );
    assert!(
        text.contains("# Made by: anchornet resolve calibrate "),
        "{text}"
    );
    let read = Thresholds::from_tsv(&text).expect("the file reads back");
    let learned = calibrate(&names);
    assert_eq!(read, learned.thresholds);
    // The whole file too (the band tables are the same figures).
    let command = format!(
        "anchornet resolve calibrate {} --out {}",
        csv_path.display(),
        out.display()
    );
    assert_eq!(text, learned.to_tsv(&command));
    // The learned weights are weights of rare words: between the weakest band and the
    // strongest (a smoke check that the run learned something from the names).
    for w in [read.rare_word, read.alias_weight, read.alias_one_word] {
        assert!((3.0..=15.0).contains(&w), "{read:?}");
    }
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains(&format!("{} distinct names", names.len())),
        "{err}"
    );
}

#[test]
fn a_file_without_a_name_column_is_a_usage_error_naming_it() {
    let tmp = scratch("nocolumn");
    let p = tmp.join("suppliers.csv");
    std::fs::write(&p, "supplier,amount\nSeddon Construction Ltd,10\n").unwrap();
    let run = anchornet(&["resolve", "calibrate", s(&p)]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains(&format!("{}:1: no `name` column", p.display())),
        "{err}"
    );
    assert!(err.contains("supplier, amount"), "{err}");
    let missing = tmp.join("no-such-names.csv");
    let run = anchornet(&["resolve", "calibrate", s(&missing)]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no-such-names.csv"));
}

#[test]
fn a_bad_row_is_reported_with_its_line_and_the_rest_is_used() {
    let tmp = scratch("badrow");
    let p = tmp.join("names.csv");
    // Line 3 is not UTF-8 (Latin-1 `é`): reported, read with a replacement character.
    let bytes = b"name\nSeddon Construction Ltd\nCaf\xe9 Nero Ltd\nSeddon Construction\nTarnfield Consulting\n";
    std::fs::write(&p, bytes).unwrap();
    let out = tmp.join("calibration.tsv");
    let run = anchornet(&["resolve", "calibrate", s(&p), "--out", s(&out)]);
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains(&format!("{}:3: name is not UTF-8", p.display())),
        "{err}"
    );
    assert!(err.contains("4 distinct names"), "{err}");
    Thresholds::from_tsv(&std::fs::read_to_string(&out).unwrap()).expect("written");
}
