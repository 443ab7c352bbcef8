//! ods: bytes read as an uploaded `payments.ods`.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::ingest("payments.ods", data);
});
