//! The compressed wrappers: the first byte picks the name (`.gz`, `.xz`, `.zip`, or none:
//! compression is also recognised by magic bytes), the rest is the file — so nested
//! containers, bombs and truncated streams all come through `input::from_bytes_with`.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&k, rest)) = data.split_first() else {
        return;
    };
    let name = ["f.csv.gz", "f.csv.xz", "f.zip", "f.csv", "f.xlsx.gz", "f.zip.xz"][k as usize % 6];
    common::ingest(name, rest);
});
