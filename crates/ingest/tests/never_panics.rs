//! The reader never panics, whatever bytes it is given, and every run reconciles: random
//! bytes, and real files (a CSV, an XLSX and an ODS workbook, an OCDS record package) cut
//! and corrupted at random, bare and inside gzip, xz and zip wrappers, through the same
//! entry points an upload takes (`input::from_bytes_with`, then the ingest stage; OCDS
//! through `ocds::read_bytes`), within small limits (issue 17; the cargo-fuzz targets in
//! fuzz/ do the same for longer).

use anchornet_ingest::input::Source;
use proptest::prelude::*;

fn run(name: &str, bytes: Vec<u8>) {
    let ing = anchornet_ingest::Ingest::default();
    let src = Source {
        name: name.into(),
        inner_name: name.into(),
        bytes,
        limits: Default::default(),
    };
    for r in ing.source(&src, &mut Default::default(), &mut |_| {}, &mut |_| {}) {
        assert!(r.reconciles(), "{r:?}");
    }
}

const REAL: &[u8] = include_bytes!("fixtures/hyndburn_1701_first40.csv");

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        run("x.csv", bytes);
    }

    #[test]
    fn arbitrary_bytes_named_as_spreadsheets(bytes in proptest::collection::vec(any::<u8>(), 0..500)) {
        let mut b = b"PK\x03\x04".to_vec();
        b.extend(bytes);
        run("x.xlsx", b.clone());
        run("x.ods", b);
    }

    /// A real file (CR-only lines, Windows-1252 header), cut and corrupted at random.
    #[test]
    fn mangled_real_file(cut in 0usize..REAL.len(), at in 0usize..REAL.len(), junk in proptest::collection::vec(any::<u8>(), 0..20)) {
        let mut b = REAL[..cut.max(1)].to_vec();
        let at = at.min(b.len());
        b.splice(at..at, junk);
        run("hyndburn.csv", b);
    }
}

const XLSX: &[u8] = include_bytes!("fixtures/manchester_2022-05_first200.xlsx");
const ODS: &[u8] = include_bytes!("fixtures/manchester_2022-05_first200.ods");
/// A legacy XLS written by `tests/hostile.rs` (no real .xls file is in the shared data).
const XLS: &[u8] = include_bytes!("fixtures/generated_small.xls");
const OCDS: &[u8] = include_bytes!("../../hub/tests/fixtures/bad/record_package.json");

fn small_limits() -> anchornet_ingest::Limits {
    anchornet_ingest::Limits {
        max_decompressed_mib: 16,
        max_rows: 50_000,
        max_sheet_cells: 1_000_000,
        ..Default::default()
    }
}

/// As an upload is read: decompress within the limits (an error is fine), then ingest.
fn upload(name: &str, bytes: Vec<u8>) {
    if let Ok(sources) = anchornet_ingest::input::from_bytes_with(name, bytes, &small_limits()) {
        let ing = anchornet_ingest::Ingest::default();
        for src in &sources {
            for r in ing.source(src, &mut Default::default(), &mut |_| {}, &mut |_| {}) {
                assert!(r.reconciles(), "{r:?}");
            }
        }
    }
}

/// `bytes` with `flips` (position, value) written over it and cut at `cut`.
fn mangle(bytes: &[u8], cut: usize, flips: &[(usize, u8)]) -> Vec<u8> {
    let mut b = bytes[..cut.clamp(1, bytes.len())].to_vec();
    let n = b.len();
    for &(at, v) in flips {
        b[at % n] = v;
    }
    b
}

fn gzip(b: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

fn xz(b: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = xz2::write::XzEncoder::new(Vec::new(), 1);
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

fn zipped(name: &str, b: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(name, zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(b).unwrap();
    w.finish().unwrap().into_inner()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, .. ProptestConfig::default() })]

    /// A real XLSX and ODS workbook and a generated XLS, cut and with bytes overwritten.
    #[test]
    fn mangled_real_workbooks(cut in 1usize..40_000, flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6)) {
        upload("m.xlsx", mangle(XLSX, cut, &flips));
        upload("m.ods", mangle(ODS, cut, &flips));
        upload("m.xls", mangle(XLS, cut, &flips));
    }

    /// A real CSV wrapped in gzip, xz, zip and zip-in-gzip, the wrapper then corrupted.
    #[test]
    fn mangled_compressed_wrappers(kind in 0usize..4, cut in 1usize..4000, flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..4)) {
        let (name, wrapped) = match kind {
            0 => ("h.csv.gz", gzip(REAL)),
            1 => ("h.csv.xz", xz(REAL)),
            2 => ("h.zip", zipped("h.csv", REAL)),
            _ => ("h.zip.gz", gzip(&zipped("h.csv", REAL))),
        };
        upload(name, mangle(&wrapped, cut, &flips));
    }

    /// Random bytes under every compressed name, and behind each magic number.
    #[test]
    fn arbitrary_bytes_named_as_compressed(kind in 0usize..3, bytes in proptest::collection::vec(any::<u8>(), 0..1000)) {
        let (name, magic): (&str, &[u8]) = [
            ("r.csv.gz", &[0x1f, 0x8b, 0x08][..]),
            ("r.csv.xz", &[0xfd, b'7', b'z', b'X', b'Z', 0][..]),
            ("r.zip", &b"PK\x03\x04"[..]),
        ][kind];
        upload(name, bytes.clone());
        let mut b = magic.to_vec();
        b.extend(bytes);
        upload(name, b);
    }

    /// A real OCDS record package, cut and corrupted; and random bytes.
    #[test]
    fn mangled_ocds(cut in 1usize..16_000, flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6), bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut out = anchornet_ingest::ocds::OcdsRead::default();
        anchornet_ingest::ocds::read_bytes("p.json", &mangle(OCDS, cut, &flips), &small_limits(), &mut out);
        anchornet_ingest::ocds::read_bytes("r.jsonl", &bytes, &small_limits(), &mut out);
    }
}

/// Found by the `csv` fuzz target: a date cell with a day of eleven digits panicked while
/// the header was looked for (`PaymentDate::parse` unwrapped an overflowing number).
#[test]
fn a_date_with_too_many_digits_is_an_issue_not_a_panic() {
    run(
        "overflow.csv",
        b"Date,Supplier,Amount\n2021-07-99999999999,Acme Ltd,1.00\n2021-07-01,Acme Ltd,2.00\n"
            .to_vec(),
    );
}
