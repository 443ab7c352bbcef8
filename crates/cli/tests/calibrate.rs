//! `anchornet resolve calibrate NAMES.csv` through the real binary, on real names: the
//! distinct supplier names of Trafford's 2024/25 payments (`../shared/data/spend/trafford`).

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

fn scratch(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("anchornet-calibrate-{test}-{}", std::process::id()));
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
