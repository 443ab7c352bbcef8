//! Companies House indexed into the cache: the same records, in the same order, with the
//! same issues and the same count of companies left out, as reading the file itself with the
//! same filter — on the real South Yorkshire extract (75,740 live companies, SOURCES.md) and
//! the real payees of Sheffield's ledger. The index is built once and reused, and rebuilt
//! when the file changes.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;

use anchornet_resolve::registers::{ch_index, companies_house, NameFilter, Registers};

fn shared(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(p)
}

/// Every distinct payee name of Sheffield's ledger (the csv crate directly).
fn sheffield_payees() -> Vec<String> {
    let mut text = String::new();
    xz2::read::XzDecoder::new(
        std::fs::File::open(shared("spend/odileeds_processed/sheffield.csv.xz")).unwrap(),
    )
    .read_to_string(&mut text)
    .unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let col = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "beneficiary_name")
        .unwrap();
    let names: BTreeSet<String> = r
        .records()
        .map(|x| x.unwrap()[col].trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    names.into_iter().collect()
}

#[test]
fn the_index_gives_what_reading_the_file_gives() {
    let src = shared("companies/ch_live_companies_south_yorkshire_2024-11.csv.xz");
    let payees = sheffield_payees();
    assert!(payees.len() > 10_000, "{}", payees.len());
    let numbers = ["05424123", "not a number"];
    let filter = || NameFilter::new(payees.iter().map(String::as_str), numbers, []);

    let f1 = filter();
    let mut streamed = Registers::new();
    companies_house::load_bulk(&src, &mut streamed, Some(&f1)).unwrap();

    let cache = std::env::temp_dir().join(format!("anchornet-ch-index-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    let f2 = filter();
    let mut indexed = Registers::new();
    ch_index::load_indexed(&src, &mut indexed, &f2, &cache).unwrap();

    assert!(streamed.records.len() > 1_000, "{}", streamed.records.len());
    assert_eq!(indexed.records, streamed.records);
    assert_eq!(indexed.issues.len(), streamed.issues.len());
    assert_eq!(f2.dropped(), f1.dropped());
    assert_eq!(f1.dropped() + streamed.records.len(), 75_740);
    // The company given by number is there whatever its name.
    assert!(indexed
        .records
        .iter()
        .any(|r| r.company_number.as_deref() == Some("05424123")));

    // Built once: the index directory holds every company and is reused as it is.
    let dir = ch_index::index_dir(&src, &cache).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("rows.count")).unwrap(),
        "75740"
    );
    let stamp = std::fs::metadata(dir.join("keys.bin"))
        .unwrap()
        .modified()
        .unwrap();
    let f3 = filter();
    let mut again = Registers::new();
    ch_index::load_indexed(&src, &mut again, &f3, &cache).unwrap();
    assert_eq!(again.records, streamed.records);
    assert_eq!(
        std::fs::metadata(dir.join("keys.bin"))
            .unwrap()
            .modified()
            .unwrap(),
        stamp
    );
    let _ = std::fs::remove_dir_all(&cache);
}

#[test]
fn a_changed_file_gets_a_new_index() {
    let tmp = std::env::temp_dir().join(format!("anchornet-ch-change-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let src = tmp.join("basic.csv");
    let header = "CompanyName, CompanyNumber,RegAddress.PostCode,CompanyCategory,CompanyStatus\n";
    std::fs::write(&src, format!("{header}\"ACME WIDGETS LIMITED\",\"01234567\",\"S1 2HE\",\"Private Limited Company\",\"Active\"\n")).unwrap();
    let cache = tmp.join("cache");
    let filter = NameFilter::new(["Acme Widgets Ltd", "Bramall Lane Bakery Ltd"], [], []);
    let mut regs = Registers::new();
    ch_index::load_indexed(&src, &mut regs, &filter, &cache).unwrap();
    assert_eq!(regs.records.len(), 1);
    let first = ch_index::index_dir(&src, &cache).unwrap();
    std::fs::write(&src, format!("{header}\"ACME WIDGETS LIMITED\",\"01234567\",\"S1 2HE\",\"Private Limited Company\",\"Active\"\n\"BRAMALL LANE BAKERY LTD\",\"07654321\",\"S2 4SU\",\"Private Limited Company\",\"Active\"\n")).unwrap();
    let second = ch_index::index_dir(&src, &cache).unwrap();
    assert_ne!(first, second, "a changed file is another index");
    let mut regs = Registers::new();
    ch_index::load_indexed(&src, &mut regs, &filter, &cache).unwrap();
    let names: Vec<&str> = regs.records.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["ACME WIDGETS LIMITED", "BRAMALL LANE BAKERY LTD"]);
    let _ = std::fs::remove_dir_all(&tmp);
}
