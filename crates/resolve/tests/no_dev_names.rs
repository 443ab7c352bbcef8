//! The resolver's source must not know the development gold standard: no source line or
//! comment under `src/` may name a supplier of `validation/supplier_names_dev.csv`. Rules
//! and examples come from general knowledge and official registers; a name quoted from
//! the dev set would be a sign of tuning to the test (issue 16).
//!
//! Names are compared normalised (lower case, every run of other characters than letters
//! and digits one space, so comment markers and line breaks vanish), as whole words, and
//! only names of at least 12 characters, so that ordinary words (`Tesco`, `Hmrc`) do not
//! count.

mod common;

use std::path::{Path, PathBuf};

fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src dir") {
        let p = e.expect("dir entry").path();
        if p.is_dir() {
            sources(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn no_dev_set_name_in_the_source() {
    let dev: Vec<(String, String)> = common::dev_gold()
        .into_iter()
        .map(|g| (norm(&g.name), g.name))
        .filter(|(k, _)| k.chars().count() >= 12)
        .collect();
    assert!(dev.len() > 600, "{} dev names", dev.len());
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files.sort();
    assert!(files.len() >= 10);
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("source file");
        // The whole file at once, so that a name broken over two comment lines counts.
        let whole = format!(" {} ", norm(&text));
        for (k, name) in &dev {
            if whole.contains(&format!(" {k} ")) {
                found.push(format!("{}: {name:?}", f.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} source lines name dev-set suppliers:\n{}",
        found.len(),
        found.join("\n")
    );
}
