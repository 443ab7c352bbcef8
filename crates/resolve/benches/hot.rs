//! Microbenchmarks of the resolver's hot paths, so regressions show (issue 18): parsing a
//! name, comparing two name forms, the first judging pass over candidate pairs (the bound of
//! `anchornet_resolve::bound`, then the full judgement of the pairs it keeps), and the whole
//! resolver on one anchor's real payees.
//!
//!     cargo bench -p anchornet-resolve --bench hot
//!
//! Input: the supplier names of the bundled demo's Manchester ledgers
//! (`data/demo/spend/manchester/*.csv.xz`, the `Supplier Name` or `beneficiary_name` column; real published data, OGL v3.0; see data/demo/README.md).
//! Pairs for the comparison are neighbours in sorted order, which share their first words as the
//! candidate pairs of blocking do. Times are per call (divan: median of samples).

use std::path::Path;

use anchornet_resolve::bound::Sketches;
use anchornet_resolve::compare::{compare_forms, Context};
use anchornet_resolve::judge::{judge, Item, Pair};
use anchornet_resolve::model::{FRec, Vocab};
use anchornet_resolve::{parse::parse, NameInput, Resolver};

fn main() {
    divan::main();
}

/// Every distinct supplier name of the demo's Manchester ledgers, sorted.
fn names() -> &'static [String] {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/spend/manchester");
        let mut out = std::collections::BTreeSet::new();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("the demo's Manchester ledgers")
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let xz = xz2::read::XzDecoder::new(std::fs::File::open(&f).unwrap());
            let mut rdr = csv::Reader::from_reader(xz);
            let col = rdr
                .headers()
                .unwrap()
                .iter()
                .position(|h| {
                    let h = h.trim_start_matches('\u{feff}');
                    h == "Supplier Name" || h == "beneficiary_name"
                })
                .expect("a supplier name column");
            for rec in rdr.records() {
                let n = rec.unwrap()[col].trim().to_string();
                if !n.is_empty() {
                    out.insert(n);
                }
            }
        }
        out.into_iter().collect()
    })
}

/// Parse and normalise every name (legal form, brackets, public-body key, hints).
#[divan::bench]
fn parse_names(b: divan::Bencher) {
    let names = names();
    b.counter(divan::counter::ItemsCount::new(names.len()))
        .bench(|| {
            for n in names {
                divan::black_box(parse(divan::black_box(n)));
            }
        });
}

/// Judge each name against its neighbour in sorted order.
#[divan::bench]
fn compare_neighbours(b: divan::Bencher) {
    let names = names();
    let mut v = Vocab::default();
    let forms: Vec<FRec> = names
        .iter()
        .map(|n| FRec::from_form(&parse(n).main, &mut v))
        .collect();
    for f in &forms {
        let mut seen = f.toks.clone();
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            v.df_in[t as usize] += 1;
        }
    }
    v.n_in = forms.len() as u32;
    v.reweigh();
    b.counter(divan::counter::ItemsCount::new(forms.len() - 1))
        .bench(|| {
            for w in forms.windows(2) {
                divan::black_box(compare_forms(&v, &w[0], &w[1], Context::default()));
            }
        });
}

/// The resolver's first judging pass on each name and its next eight in sorted order (pairs
/// sharing their first words, as many candidate pairs do): the bound first, then the full
/// judgement of the pairs it does not rule out, keeping links and near misses.
#[divan::bench]
fn first_pass_neighbours(b: divan::Bencher) {
    let (v, items) = Item::of_names(names());
    let sketches = Sketches::new(&v, &items);
    let pairs: Vec<(u32, u32)> = (0..items.len() as u32)
        .flat_map(|i| (i + 1..(i + 9).min(items.len() as u32)).map(move |j| (i, j)))
        .collect();
    b.counter(divan::counter::ItemsCount::new(pairs.len()))
        .bench(|| {
            pairs
                .iter()
                .filter(|&&(i, j)| sketches.may_keep(&v, i, j, 0.6))
                .filter(|&&(i, j)| match judge(&v, &items, i, j) {
                    Pair::Link(_) => true,
                    Pair::Near(s, _) => s >= 0.6,
                    _ => false,
                })
                .count()
        });
}

/// The whole resolver (parse, weigh, block, judge, cluster) on the names.
#[divan::bench(sample_count = 10)]
fn resolve_all(b: divan::Bencher) {
    let input: Vec<NameInput> = names().iter().map(|n| NameInput::new(n.as_str())).collect();
    b.counter(divan::counter::ItemsCount::new(input.len()))
        .bench(|| divan::black_box(Resolver::default().resolve(&input)));
}
