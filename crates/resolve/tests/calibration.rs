//! The thresholds in `data/calibration.tsv` are what `calibrate` learns from the B3 names:
//! every distinct supplier name of `spend/odileeds_processed/*.csv.xz` (column
//! `beneficiary_name`) and `spend/trafford/*.csv.xz` (`BeneficiaryName`), built here as
//! `bench/run_b3.sh` builds its `names.csv` (trimmed, non-empty, distinct). No gold set
//! enters. `CALIBRATION_OUT=FILE` writes the whole file (with its band tables) there
//! (`anchornet resolve calibrate names.csv --out FILE` writes the same from bench/run_b3.sh's
//! `names.csv`, but for its `Made by` line).

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use anchornet_resolve::calibrate::{calibrate, thresholds, Thresholds, ALIAS_ONE_WORD_FIXED};

fn names_of(path: &Path, column: &str, out: &mut BTreeSet<String>) {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = Vec::new();
    xz2::read::XzDecoder::new_multi_decoder(std::io::BufReader::new(f))
        .read_to_end(&mut text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // (Python's `errors="replace"`: invalid UTF-8 becomes U+FFFD.)
    let text = String::from_utf8_lossy(&text);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let col = rdr
        .headers()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("{}: no column {column}", path.display()));
    for rec in rdr.records() {
        let rec = rec.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let n = rec.get(col).unwrap_or("").trim();
        if !n.is_empty() {
            out.insert(n.to_string());
        }
    }
}

fn b3_names() -> Vec<String> {
    let spend = common::shared().join("spend");
    let mut names = BTreeSet::new();
    for (dir, column) in [
        ("odileeds_processed", "beneficiary_name"),
        ("trafford", "BeneficiaryName"),
    ] {
        let mut files: Vec<_> = std::fs::read_dir(spend.join(dir))
            .expect("spend dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.to_string_lossy().ends_with(".csv.xz"))
            .collect();
        files.sort();
        for f in files {
            names_of(&f, column, &mut names);
        }
    }
    names.into_iter().collect()
}

#[test]
fn committed_thresholds_are_what_the_names_give() {
    let names = b3_names();
    // The count bench/run_b3.sh reports for its names.csv (docs/benchmarks.md, B3).
    assert_eq!(names.len(), 217_312);
    let c = calibrate(&names);
    let file = c.to_tsv(
        "CALIBRATION_OUT=crates/resolve/data/calibration.tsv \
         cargo test -p anchornet-resolve --test calibration",
    );
    print!("{file}");
    if let Some(out) = std::env::var_os("CALIBRATION_OUT") {
        std::fs::write(out, &file).expect("CALIBRATION_OUT");
    }
    let committed = *thresholds();
    assert_eq!(
        Thresholds::from_tsv(&file).expect("calibrate writes a readable file"),
        committed,
        "data/calibration.tsv differs from what calibrate learns; rerun with CALIBRATION_OUT"
    );
    assert_eq!(c.thresholds, committed);
    // The isotonic fit worked by hand (pool-adjacent-violators over the band tables printed
    // in the file, pooling each run's matches and pairs; docs/resolve.md) crosses 0 at 7.0
    // for the rarest shared word and for the total shared weight, and at 6.5 for the one-word
    // bands (not used: `ALIAS_ONE_WORD_FIXED`).
    assert_eq!((committed.rare_word, committed.alias_weight), (7.0, 7.0));
    assert_eq!(c.alias_one_word_learned, 6.5);
    assert_eq!(committed.alias_one_word, ALIAS_ONE_WORD_FIXED);
    // Block caps for these names, by hand: (217,312 background + 217,312 + 1) * e^-7 - 0.5
    // = 395.8.
    assert_eq!(committed.block_caps(names.len()), (395, 395));
}
