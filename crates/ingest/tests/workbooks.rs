//! XLSX and ODS workbooks: real Manchester rows (fixtures/NOTICE.md) under a title row,
//! with real spreadsheet dates and numbers; also read from inside .zip and .gz.

mod common;

use anchornet_core::Role;
use common::*;
use std::io::Write;
use std::path::PathBuf;

fn fixture(n: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(n)
}

// expected.py .../spend/fixtures/odileeds_manchester_2022-05_first200.csv "Invoice Payment Date" "Net Amount"
// → records=200 accepted=200 total_pence=1023060406
fn check(path: &std::path::Path) {
    let got = ingest(path);
    let d = &got.detection;
    assert_eq!(
        d.header_line,
        Some(3),
        "header under a title row and a blank row"
    );
    assert_eq!(
        header_of(d, Role::Date).as_deref(),
        Some("Invoice Payment Date")
    );
    assert_eq!(header_of(d, Role::NetAmount).as_deref(), Some("Net Amount"));
    assert_eq!(
        header_of(d, Role::SupplierName).as_deref(),
        Some("Supplier Name")
    );
    assert_eq!((got.report.rows_read, got.report.accepted), (200, 200));
    assert_eq!(got.report.total.0, 1023060406);
    assert_eq!(got.report.first_date.unwrap().to_string(), "2022-05-03");
}

#[test]
fn xlsx() {
    check(&fixture("manchester_2022-05_first200.xlsx"));
}

#[test]
fn ods() {
    check(&fixture("manchester_2022-05_first200.ods"));
}

#[test]
fn xlsx_inside_a_zip_and_csv_inside_gzip() {
    let dir = std::env::temp_dir().join(format!("anchornet-wb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zip_path = dir.join("bundle.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    z.start_file(
        "may/manchester.xlsx",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    z.write_all(&std::fs::read(fixture("manchester_2022-05_first200.xlsx")).unwrap())
        .unwrap();
    z.finish().unwrap();
    let s = anchornet_ingest::input::open(&zip_path).unwrap();
    assert_eq!(s.len(), 1);
    assert!(s[0].name.ends_with("bundle.zip!may/manchester.xlsx"));

    let gz_path = dir.join("manchester.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz_path).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(
        &std::fs::read(spend("fixtures/odileeds_manchester_2022-05_first200.csv")).unwrap(),
    )
    .unwrap();
    gz.finish().unwrap();
    let got = ingest(&gz_path);
    assert_eq!(got.report.total.0, 1023060406);
    std::fs::remove_dir_all(&dir).unwrap();
}
