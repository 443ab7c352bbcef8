//! The reader never panics, whatever bytes it is given, and every run reconciles.

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
