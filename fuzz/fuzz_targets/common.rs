//! What every target does: read bytes the way an upload is read (`anchornet_store::read`:
//! decompress within the limits, then the ingest stage on each source), with limits small
//! enough that a run is not slowed by legitimate large inputs. Any panic, abort, or memory
//! beyond libFuzzer's `-rss_limit_mb` is a finding.

#![allow(dead_code)]

use anchornet_ingest::dedupe::Deduper;
use anchornet_ingest::{Ingest, Limits};

/// The limits a fuzz run reads within.
pub fn limits() -> Limits {
    Limits {
        max_decompressed_mib: 64,
        max_rows: 200_000,
        max_sheet_cells: 2_000_000,
        ..Default::default()
    }
}

/// Read `data`, named `name`, as an upload: Ok or a clear error, never a panic.
pub fn ingest(name: &str, data: &[u8]) {
    let ing = Ingest {
        anchor: Some("Fuzz Council".into()),
        mapping: None,
        keep_duplicates: false,
    };
    if let Ok(sources) = anchornet_ingest::input::from_bytes_with(name, data.to_vec(), &limits()) {
        let mut dedupe = Deduper::default();
        for s in &sources {
            ing.source(s, &mut dedupe, &mut |_| {}, &mut |_| {});
        }
    }
}
