//! Helpers for the hub's tests on the real files in `../shared/data`.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared/data`, or `$ANCHORNET_SHARED_DATA`. Missing data is a failure, not a skip.
pub fn shared() -> PathBuf {
    let p = std::env::var_os("ANCHORNET_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    assert!(
        p.is_dir(),
        "real data not found at {} (set ANCHORNET_SHARED_DATA)",
        p.display()
    );
    p
}

pub fn procurement(rel: &str) -> PathBuf {
    shared().join("procurement").join(rel)
}

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}
