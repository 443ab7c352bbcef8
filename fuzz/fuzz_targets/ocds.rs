//! OCDS JSON (releases, release packages, JSON Lines), through `ocds::read_bytes`.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut out = anchornet_ingest::ocds::OcdsRead::default();
    anchornet_ingest::ocds::read_bytes("releases.json", data, &common::limits(), &mut out);
});
