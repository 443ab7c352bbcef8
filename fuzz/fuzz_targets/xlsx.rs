//! xlsx: bytes read as an uploaded `payments.xlsx`.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::ingest("payments.xlsx", data);
});
