//! Co-operatives UK's open data and a 360Giving grants file, read as registers from the real
//! files in `../shared/data`: every row is a record or an issue, and the values are those of
//! the raw file, read here with the csv crate directly (not through the code under test).

use std::io::Read;
use std::path::PathBuf;

use anchornet_resolve::registers::{RegisterKind, Registers};
use anchornet_resolve::Kind;

fn shared(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(p)
}

fn raw_rows(p: &PathBuf) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut text = String::new();
    let f = std::fs::File::open(p).unwrap();
    if p.extension().is_some_and(|e| e == "xz") {
        xz2::read::XzDecoder::new(f)
            .read_to_string(&mut text)
            .unwrap();
    } else {
        std::io::BufReader::new(f)
            .read_to_string(&mut text)
            .unwrap();
    }
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().iter().map(str::to_string).collect();
    (h, r.records().map(Result::unwrap).collect())
}

#[test]
fn cooperatives_uk_open_data() {
    let p = shared("suppliers/coops_uk_open_data_2023.csv.xz");
    let mut regs = Registers::new();
    regs.load(&p, None).unwrap();
    let (h, rows) = raw_rows(&p);
    assert_eq!(rows.len(), 7272, "SOURCES.md: 7,272 co-operatives");
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let named = rows
        .iter()
        .filter(|r| !r[col("Name")].trim().is_empty())
        .count();
    assert_eq!(regs.records.len(), named);
    assert_eq!(regs.records.len() + regs.issues.len(), rows.len());
    assert!(regs
        .records
        .iter()
        .all(|r| r.register == Some(RegisterKind::CooperativesUk)));
    // Every society in the file is a society in the register; every postcode cell that is a
    // postcode reaches it.
    let societies = rows
        .iter()
        .filter(|r| {
            r[col("Legal Form")]
                .to_ascii_lowercase()
                .contains("society")
        })
        .count();
    assert!(societies > 1000);
    assert_eq!(
        regs.records
            .iter()
            .filter(|r| r.kind == Some(Kind::Society))
            .count(),
        societies
    );
    let first = &regs.records[0];
    assert_eq!(first.name, rows[0][col("Name")].trim());
    assert_eq!(first.postcode.as_deref(), Some("M60 0AG"));
    let with_postcode = rows
        .iter()
        .filter(|r| r[col("Postcode")].trim().len() >= 5)
        .count();
    let placed = regs.records.iter().filter(|r| r.postcode.is_some()).count();
    assert!(
        placed * 100 >= with_postcode * 98,
        "{placed} of {with_postcode}"
    );
}

#[test]
fn giving360_recipients() {
    let p = shared("procurement/trafford_council_vcse_grants_360giving.csv");
    let mut regs = Registers::new();
    regs.load(&p, None).unwrap();
    let (h, rows) = raw_rows(&p);
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    assert_eq!(regs.records.len() + regs.issues.len(), rows.len());
    assert!(regs
        .records
        .iter()
        .all(|r| r.register == Some(RegisterKind::Giving360)));
    // Charity numbers where the funder gave one (its column, or a GB-CHC identifier), and
    // each record dated by its award.
    for (r, raw) in regs.records.iter().zip(&rows) {
        assert_eq!(r.name, raw[col("Recipient Org:Name")].trim());
        let given = !raw[col("Recipient Org:Charity Number")].trim().is_empty()
            || raw[col("Recipient Org:Identifier")].starts_with("GB-CHC-");
        assert_eq!(r.charity_number.is_some(), given, "{}", r.name);
        assert_eq!(
            r.date.map(|d| d.to_string()).as_deref(),
            Some(&raw[col("Award Date")][..10])
        );
    }
}

/// The Charity Commission register extract in its published layout (the hand-made, real-shaped
/// fixture described in `tests/fixtures/NOTICE.md`): every row is a record with the values
/// written in the fixture, a linked charity is numbered `N-L`, a CIO is a CIO, `NULL` is empty,
/// and a payee named as a charity in it links to it by name and gets its postcode.
#[test]
fn charity_commission_extract() {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/charity_commission_extract_sample.txt");
    let mut regs = Registers::new();
    assert_eq!(regs.load(&p, None).unwrap(), 6, "{:?}", regs.issues);
    let r = &regs.records;
    assert!(r
        .iter()
        .all(|x| x.register == Some(RegisterKind::CharityCommission)));
    let by = |n: &str| r.iter().find(|x| x.name == n).unwrap();
    let cyril = by("Cyril Flint Befrienders");
    assert_eq!(cyril.charity_number.as_deref(), Some("1146179"));
    assert_eq!(cyril.company_number.as_deref(), Some("07962245"));
    assert_eq!(cyril.postcode.as_deref(), Some("M32 0TH"));
    assert_eq!(cyril.line, 2);
    assert_eq!(by("Art with a Heart").kind, Some(Kind::Cio));
    assert_eq!(by("G-Force").kind, Some(Kind::Charity));
    assert_eq!(by("G-Force").company_number, None);
    assert_eq!(
        by("Sale Moor Community Partnership Trading")
            .charity_number
            .as_deref(),
        Some("1113664-1")
    );
    let tlc = by("TLC: Talk, Listen, Change");
    assert_eq!(tlc.status.as_deref(), Some("Removed"));
    assert_eq!(tlc.postcode, None);
    // A payee of the same name links to it (a national register: the same name only).
    let res = anchornet_resolve::Resolver::default()
        .with_registers(regs)
        .resolve(&[
            anchornet_resolve::NameInput::new("CYRIL FLINT BEFRIENDERS"),
            anchornet_resolve::NameInput::new("Cyril Flint Befriending Service"),
        ]);
    let e = res
        .entities
        .iter()
        .find(|e| {
            e.canonical_name
                .eq_ignore_ascii_case("CYRIL FLINT BEFRIENDERS")
        })
        .unwrap();
    assert_eq!(e.facts.postcode.as_ref().unwrap().value, "M32 0TH");
    assert_eq!(e.facts.charity_number.as_ref().unwrap().value, "1146179");
}
