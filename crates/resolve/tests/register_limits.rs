//! Register files are national and read by the CLI from wherever a user points it, so a
//! hostile or broken one must stop at a limit with an error naming the file and the limit,
//! and load nothing: a compressed stream that expands past `max_ratio`, and a file with a
//! line longer than `max_cell_chars` (which the CSV reader would otherwise buffer whole).
//! The real Companies House extract, the largest compressed register in the data, loads
//! within the same limits.

use std::io::Write;
use std::path::PathBuf;

use anchornet_ingest::limits::Limits;
use anchornet_resolve::registers::Registers;

const HEADER: &str = "CompanyName, CompanyNumber,RegAddress.PostTown,RegAddress.PostCode,\
CompanyCategory,CompanyStatus,CountryOfOrigin,IncorporationDate,SICCode.SicText_1,\
SICCode.SicText_2,SICCode.SicText_3,SICCode.SicText_4,URI\n";
const ROW: &str = "\"EXAMPLE TRADING LIMITED\",\"01234567\",\"BARNSLEY\",\"S70 2SB\",\
\"Private Limited Company\",\"Active\",\"United Kingdom\",\"14/04/2005\",\
\"74990 - Non-trading company\",\"\",\"\",\"\",\"http://business.data.gov.uk/id/company/01234567\"\n";

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("anchornet-reg-limits-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn a_compression_bomb_stops_at_the_ratio_limit_and_loads_nothing() {
    // 40 MB of one repeated row gzip to about 0.1% of that: far past 250:1 once 16 MiB are out.
    let p = dir().join("bomb_basic_company_data.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(HEADER.as_bytes()).unwrap();
    for _ in 0..(40_000_000 / ROW.len()) {
        gz.write_all(ROW.as_bytes()).unwrap();
    }
    let bytes = gz.finish().unwrap();
    assert!(bytes.len() < 200_000, "{}", bytes.len());
    std::fs::write(&p, &bytes).unwrap();
    let mut regs = Registers::new();
    let e = regs.load(&p, None).unwrap_err().to_string();
    let limit = Limits::default().max_ratio;
    assert!(e.contains("bomb_basic_company_data.csv.gz"), "{e}");
    assert!(e.contains(&format!("max_ratio = {limit}")), "{e}");
    assert!(e.contains("ANCHORNET_LIMIT_MAX_RATIO"), "{e}");
    assert!(
        regs.records.is_empty(),
        "nothing of a refused file is loaded"
    );
}

#[test]
fn a_line_without_end_stops_at_the_line_limit_and_loads_nothing() {
    let p = dir().join("no_breaks_basic_company_data.csv");
    let most = Limits::default().max_cell_chars;
    let mut text = String::from(HEADER);
    text.push_str(ROW);
    text.push_str(&"A".repeat(most as usize * 3));
    std::fs::write(&p, text).unwrap();
    let mut regs = Registers::new();
    let e = regs.load(&p, None).unwrap_err().to_string();
    assert!(e.contains("no_breaks_basic_company_data.csv"), "{e}");
    assert!(
        e.contains(&format!("line 3 is longer than {most} bytes")),
        "{e}"
    );
    assert!(e.contains("max_cell_chars"), "{e}");
    assert!(
        regs.records.is_empty(),
        "nothing of a refused file is loaded"
    );
}

#[test]
fn the_real_extract_loads_within_the_limits() {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/companies/ch_live_companies_south_yorkshire_2024-11.csv.xz");
    let mut regs = Registers::new();
    regs.load(&p, None).unwrap();
    // SOURCES.md: 75,740 live companies.
    assert_eq!(regs.records.len(), 75_740);
}
