//! Regenerate `data/token_df.tsv`, the background word frequencies that weigh rare words
//! above common ones when the input itself is small.
//!
//! Usage: `cargo run --release -p anchornet-resolve --example token_df -- NAMES.csv > data/token_df.tsv`
//! where NAMES.csv has a `name` column (the B3 name list: every distinct supplier name of
//! `spend/odileeds_processed` and `spend/trafford`, see bench/run_b3.sh).
use std::collections::HashMap;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: token_df NAMES.csv")?;
    let mut rdr = csv::Reader::from_path(&path)?;
    let col = rdr
        .headers()?
        .iter()
        .position(|h| h.trim() == "name")
        .ok_or("no name column")?;
    let mut df: HashMap<String, u32> = HashMap::new();
    let mut n = 0u32;
    for rec in rdr.records() {
        let rec = rec?;
        let p = anchornet_resolve::parse::parse(rec.get(col).unwrap_or(""));
        let mut seen: Vec<&str> = p.main.toks.iter().map(|t| &*t.s).collect();
        if let Some(a) = &p.alias {
            seen.extend(a.toks.iter().map(|t| &*t.s));
        }
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            *df.entry(t.to_string()).or_default() += 1;
        }
        n += 1;
    }
    let mut v: Vec<(String, u32)> = df.into_iter().filter(|(_, c)| *c >= 8).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("# Background document frequencies of name tokens (after anchornet-resolve's");
    println!("# normalisation) over every distinct supplier name in spend/odileeds_processed and");
    println!("# spend/trafford (OGL v3.0); tokens seen in at least 8 names. Regenerate with");
    println!("# examples/token_df.rs when the normaliser changes.");
    println!("N\t{n}");
    for (t, c) in v {
        println!("{t}\t{c}");
    }
    Ok(())
}
