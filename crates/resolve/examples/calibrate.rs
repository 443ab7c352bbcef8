//! Learn the resolver's thresholds from unlabelled names and print `data/calibration.tsv`.
//!
//! Usage: `cargo run --release -p anchornet-resolve --example calibrate -- NAMES.csv > crates/resolve/data/calibration.tsv`
//! where NAMES.csv has a `name` column (the B3 name list: every distinct supplier name of
//! `spend/odileeds_processed` and `spend/trafford`, built as bench/run_b3.sh builds it).
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: calibrate NAMES.csv")?;
    let mut rdr = csv::Reader::from_path(&path)?;
    let col = rdr
        .headers()?
        .iter()
        .position(|h| h.trim() == "name")
        .ok_or("no name column")?;
    let mut names = Vec::new();
    for rec in rdr.records() {
        names.push(rec?.get(col).unwrap_or("").to_string());
    }
    let c = anchornet_resolve::calibrate::calibrate(&names);
    print!(
        "{}",
        c.to_tsv("cargo run --release -p anchornet-resolve --example calibrate -- names.csv")
    );
    Ok(())
}
