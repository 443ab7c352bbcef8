//! csv: bytes read as an uploaded `payments.csv`.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::ingest("payments.csv", data);
});
