//! Show how names are read and how pairs are judged: `cargo run -p anchornet-resolve
//! --example explain -- "NAME A" "NAME B" …` (every pair of the names given).
use anchornet_resolve::judge::{judge, Item};
use anchornet_resolve::model::{NRec, Vocab};
use anchornet_resolve::parse::parse;

fn main() {
    let names: Vec<String> = std::env::args().skip(1).collect();
    let mut v = Vocab::default();
    let mut items = Vec::new();
    for n in &names {
        let p = parse(n);
        println!("{n:?}\n  {:?}", p);
        items.push(Item {
            name: n.clone(),
            rec: NRec::from_parsed(&p, &mut v),
            public: p.public.clone(),
            ..Item::default()
        });
    }
    // CORPUS=names.csv: weigh words as in a run over that file.
    let mut extra = Vec::new();
    if let Ok(path) = std::env::var("CORPUS") {
        let mut rdr = csv::Reader::from_path(path).expect("corpus");
        for r in rdr.records() {
            let r = r.expect("row");
            let p = parse(&r[0]);
            extra.push(NRec::from_parsed(&p, &mut v));
        }
    }
    for rec in items.iter().map(|i| &i.rec).chain(extra.iter()) {
        let mut t = rec.main.toks.clone();
        if let Some(a) = &rec.alias {
            t.extend(&a.toks);
        }
        t.sort_unstable();
        t.dedup();
        for x in t {
            v.df_in[x as usize] += 1;
        }
    }
    v.n_in = (items.len() + extra.len()) as u32;
    v.reweigh();
    for it in &items {
        let w: Vec<String> = it
            .rec
            .main
            .toks
            .iter()
            .map(|&t| format!("{}={:.1}", v.text[t as usize], v.weight[t as usize]))
            .collect();
        println!("{}: {}", it.name, w.join(" "));
    }
    for i in 0..items.len() {
        for j in i + 1..items.len() {
            println!(
                "{:?} ~ {:?}: {:?}",
                names[i],
                names[j],
                judge(&v, &items, i as u32, j as u32)
            );
        }
    }
}
