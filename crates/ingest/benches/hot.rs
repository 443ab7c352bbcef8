//! Microbenchmarks of ingest's hot paths, so regressions show (issue 18): layout detection,
//! row conversion, and one whole file through `Ingest::source` (the path `anchornet ingest`
//! takes: fast reader, conversion, de-duplication).
//!
//!     cargo bench -p anchornet-ingest --bench hot
//!
//! Input: Salford City Council's payments of July 2021 as bundled with the demo
//! (`data/demo/spend/salford/2021-07.csv.xz`, real published data, OGL v3.0; see
//! data/demo/README.md). Times are per call (divan: median of samples).

use std::path::Path;

use anchornet_ingest::dedupe::Deduper;
use anchornet_ingest::format::Table;
use anchornet_ingest::rows::RowContext;
use anchornet_ingest::{detect, input, vocab, Ingest};

fn main() {
    divan::main();
}

fn source() -> input::Source {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/spend/salford/2021-07.csv.xz");
    input::open(&path)
        .expect("the demo's Salford ledger")
        .remove(0)
}

fn table() -> Table {
    let (_, mut tables) = anchornet_ingest::format::read(&source()).expect("a readable CSV");
    tables.remove(0)
}

/// Detect the layout (header, column roles, date and amount forms) of the file's table.
#[divan::bench]
fn detect_layout(b: divan::Bencher) {
    let t = table();
    b.bench(|| divan::black_box(detect::detect(&t, None).unwrap()));
}

/// Convert every row of the table into a payment, with its de-duplication key.
#[divan::bench]
fn convert_rows(b: divan::Bencher) {
    let t = table();
    let det = detect::detect(&t, None).unwrap();
    let h = det.header_index.expect("a header row");
    let header_norm: Vec<String> = t.rows[h]
        .cells
        .iter()
        .map(|c| vocab::normalise(c))
        .collect();
    let ctx = RowContext::new(&det, "2021-07.csv", "Salford", false, header_norm);
    let rows = &t.rows[h + 1..];
    b.counter(divan::counter::ItemsCount::new(rows.len()))
        .bench(|| {
            for r in rows {
                divan::black_box(ctx.converted(r, true));
            }
        });
}

/// The whole file as `anchornet ingest` reads it: read, detect, convert, de-duplicate.
#[divan::bench(sample_count = 20)]
fn ingest_file(b: divan::Bencher) {
    let s = source();
    let ingest = Ingest::default();
    b.bench(|| {
        let mut n = 0u64;
        let reports = ingest.source(&s, &mut Deduper::default(), &mut |_| n += 1, &mut |_| {});
        divan::black_box((reports, n))
    });
}
