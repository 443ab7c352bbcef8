//! xls: bytes read as an uploaded legacy `payments.xls` (BIFF in a compound file).
//!
//! The product turns a panic of the XLS reader (calamine) into an error for that file
//! (`ingest::format::xlsx`); libFuzzer's default panic hook would abort on it even so. The
//! hook is made silent here, so only a panic the product does not catch reaches the
//! harness, which still reports it as a crash, as it does an abort or a memory breach.
#![no_main]

mod common;

static QUIET: std::sync::Once = std::sync::Once::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    common::ingest("payments.xls", data);
});
