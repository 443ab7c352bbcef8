//! The hive-partitioned writer's bounds and atomicity on real payments (Salford's demo ledgers
//! for March and April 2022: two financial years): with one file open at a time and rows
//! alternating between the years, every switch finishes a part and starts the next; every
//! row is in exactly one part; an unfinished tree leaves nothing behind.

use std::path::{Path, PathBuf};

use anchornet_report::hive::{HiveTable, SUCCESS};
use parquet::file::reader::{FileReader, SerializedFileReader};

fn payments(rel: &str) -> Vec<anchornet_core::Payment> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/demo/spend")
        .join(rel);
    anchornet_ingest::Ingest::default()
        .payments(&[path.display().to_string()], |_| true)
        .unwrap()
        .0
}

fn tmp(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("anchornet-hive-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn parts(dir: &Path) -> Vec<(PathBuf, i64)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(parts(&p));
        } else if p.extension().is_some_and(|x| x == "parquet") {
            let r = SerializedFileReader::new(std::fs::File::open(&p).unwrap()).unwrap();
            out.push((p, r.metadata().file_metadata().num_rows()));
        }
    }
    out.sort();
    out
}

#[test]
fn one_open_file_rolls_over_to_new_parts_and_keeps_every_row() {
    let march = payments("salford/2022-03.csv.xz");
    let april = payments("salford/2022-04.csv.xz");
    assert!(march.len() > 1000 && april.len() > 1000);
    let t = tmp("lru");
    let dest = t.join("tree");
    let mut h = HiveTable::payments(&dest)
        .unwrap()
        .with_max_open(1)
        .with_row_group_rows(300);
    // Blocks of 500 rows from each year in turn.
    let (mut m, mut a) = (march.chunks(500), april.chunks(500));
    // Runs of one year in the order written: each should be one part.
    let mut runs = [0usize; 2];
    let mut last = None;
    loop {
        let (x, y) = (m.next(), a.next());
        if x.is_none() && y.is_none() {
            break;
        }
        for (which, block) in [(0, x), (1, y)] {
            let Some(block) = block else { continue };
            if last != Some(which) {
                runs[which] += 1;
                last = Some(which);
            }
            for p in block {
                h.payment(p).unwrap();
            }
        }
    }
    // Nothing is at the destination until the tree is finished.
    assert!(!dest.exists() && t.join("tree.partial").is_dir());
    assert_eq!(h.finish().unwrap() as usize, march.len() + april.len());
    assert!(dest.join(SUCCESS).is_file() && !t.join("tree.partial").exists());

    let got = parts(&dest);
    let year = |y: &str| -> Vec<i64> {
        got.iter()
            .filter(|(p, _)| {
                p.to_str()
                    .unwrap()
                    .contains(&format!("financial_year={y}/"))
            })
            .map(|(_, n)| *n)
            .collect()
    };
    let (y21, y22) = (year("2021%2F22"), year("2022%2F23"));
    // One part per run: each switch of year finished the other year's file.
    assert!(runs[0] > 1 && runs[1] > 1, "{runs:?}");
    assert_eq!([y21.len(), y22.len()], runs);
    assert_eq!(y21.iter().sum::<i64>() as usize, march.len());
    assert_eq!(y22.iter().sum::<i64>() as usize, april.len());
    assert!(got[0]
        .0
        .ends_with("anchor=Salford City Council/financial_year=2021%2F22/part-00000.parquet"));
    std::fs::remove_dir_all(&t).unwrap();
}

#[test]
fn an_unfinished_tree_leaves_nothing() {
    let t = tmp("drop");
    let dest = t.join("tree");
    {
        let mut h = HiveTable::payments(&dest).unwrap();
        for p in payments("salford/2022-04.csv.xz").iter().take(100) {
            h.payment(p).unwrap();
        }
        // Dropped without finish: an error or a panic on the way.
    }
    assert_eq!(std::fs::read_dir(&t).unwrap().count(), 0);
    std::fs::remove_dir_all(&t).unwrap();
}
