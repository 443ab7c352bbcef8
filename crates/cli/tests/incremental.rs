//! Incremental re-analysis (issue 18): `anchornet analyse` into the same `--out` reuses what
//! reading each unchanged payment file gave (its ingest-cache entry) and reads only the
//! files that are new or changed.
//!
//! The expected outputs come from the independent path: a fresh run of the same network with
//! `--no-cache`, which reads every file through the ordinary ingest (the code that existed
//! before the cache, untouched by it) into an empty directory. Every output must be
//! byte-identical to that run's, except `report.xlsx`, whose workbook properties carry the
//! time it was written: there every part of the zip but `docProps/core.xml` must be equal.
//!
//! The network is the bundled demo (real Salford, Manchester and Trafford payment files),
//! copied to a temporary directory so that files can be held back, changed and damaged.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// The demo network copied into a fresh temporary directory.
fn demo_copy(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "anchornet-incremental-{tag}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("data/demo"), &dir);
    dir
}

/// `anchornet analyse --network NET/anchornet.toml --out OUT --timings ARGS`: its stderr.
fn analyse(net: &Path, out: &Path, args: &[&str]) -> String {
    let run = Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .arg("analyse")
        .arg("--network")
        .arg(net.join("anchornet.toml"))
        .arg("--out")
        .arg(out)
        .arg("--timings")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    assert!(run.status.success(), "{stderr}");
    stderr
}

/// (files reused, files read) from `--timings`' cache line.
fn cache_use(stderr: &str) -> (u64, u64) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("ingest cache"))
        .unwrap_or_else(|| panic!("no cache line in {stderr}"));
    let n = |word: &str| -> u64 {
        let before = &line[..line.find(word).unwrap()];
        before
            .split_whitespace()
            .last()
            .unwrap()
            .trim_start_matches(':')
            .parse()
            .unwrap()
    };
    (n(" files reused"), n(" read"))
}

/// Every output file under `out` (not the cache), by path relative to `out`.
fn outputs(out: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, acc: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(base).unwrap().display().to_string();
            if rel == ".cache" {
                continue;
            }
            if p.is_dir() {
                walk(base, &p, acc);
            } else {
                acc.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut acc = BTreeMap::new();
    walk(out, out, &mut acc);
    acc
}

/// The parts of an XLSX (a zip) but its properties (which hold the time it was written).
fn xlsx_parts(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name() == "docProps/core.xml" {
            continue;
        }
        let mut v = Vec::new();
        f.read_to_end(&mut v).unwrap();
        parts.insert(f.name().to_string(), v);
    }
    parts
}

/// Every output in `got` equals the one in `want`, and there are the same outputs.
fn same_outputs(got: &Path, want: &Path) {
    let (g, w) = (outputs(got), outputs(want));
    assert_eq!(
        g.keys().collect::<Vec<_>>(),
        w.keys().collect::<Vec<_>>(),
        "the same files are written"
    );
    for (name, bytes) in &w {
        if name == "report.xlsx" {
            assert!(xlsx_parts(&g[name]) == xlsx_parts(bytes), "{name} differs");
        } else {
            assert!(&g[name] == bytes, "{name} differs from the full run's");
        }
    }
    assert!(w.contains_key("analysis.json") && w.contains_key("issues.csv"));
    assert!(w.contains_key("payments.parquet"));
}

/// The last month of Manchester's files: the one held back and then added.
fn last_month(net: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(net.join("spend/manchester"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.pop().unwrap()
}

#[test]
fn adding_one_month_reads_only_that_file_and_gives_the_full_runs_outputs() {
    let net = demo_copy("add");
    let month = last_month(&net);
    let held = net.join("held-back");
    std::fs::rename(&month, &held).unwrap();
    let out = net.join("out");
    let first = analyse(&net, &out, &[]);
    let (reused, read) = cache_use(&first);
    assert_eq!(reused, 0, "{first}");
    assert!(read > 10, "{first}");

    std::fs::rename(&held, &month).unwrap();
    let again = analyse(&net, &out, &[]);
    assert_eq!(
        cache_use(&again),
        (read, 1),
        "only the added file is read: {again}"
    );

    let full = net.join("full");
    analyse(&net, &full, &["--no-cache"]);
    assert!(!full.join(".cache").exists(), "--no-cache writes no cache");
    same_outputs(&out, &full);
    let _ = std::fs::remove_dir_all(&net);
}

#[test]
fn a_changed_file_is_read_again_and_a_damaged_entry_is_rebuilt() {
    let net = demo_copy("change");
    let out = net.join("out");
    let first = analyse(&net, &out, &[]);
    let (_, files) = cache_use(&first);

    // The same path with other content: another month's bytes (its rows then duplicate
    // that month's, which the de-duplication must report as in a full read).
    let month = last_month(&net);
    let mut others: Vec<PathBuf> = std::fs::read_dir(month.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p != &month)
        .collect();
    others.sort();
    std::fs::copy(others.last().unwrap(), &month).unwrap();
    let again = analyse(&net, &out, &[]);
    assert_eq!(cache_use(&again), (files - 1, 1), "{again}");
    let full = net.join("full");
    analyse(&net, &full, &["--no-cache"]);
    same_outputs(&out, &full);

    // Damage every entry: a flipped byte in one, the rest cut short. None is used, each is
    // rebuilt, and the outputs are still the full run's.
    let mut entries: Vec<PathBuf> = std::fs::read_dir(out.join(".cache/ingest"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    assert_eq!(entries.len() as u64, files);
    for (i, e) in entries.iter().enumerate() {
        let mut b = std::fs::read(e).unwrap();
        if i == 0 {
            let mid = b.len() / 2;
            b[mid] ^= 0x55;
        } else {
            b.truncate(b.len() / 3);
        }
        std::fs::write(e, b).unwrap();
    }
    let damaged = analyse(&net, &out, &[]);
    assert_eq!(cache_use(&damaged), (0, files), "{damaged}");
    assert!(
        damaged.contains(&format!("({files} entries unusable)")),
        "{damaged}"
    );
    same_outputs(&out, &full);
    let rebuilt = analyse(&net, &out, &[]);
    assert_eq!(cache_use(&rebuilt), (files, 0), "{rebuilt}");
    same_outputs(&out, &full);
    let _ = std::fs::remove_dir_all(&net);
}
