//! Benchmark B3 runner (see `bench/b3`): resolve every name of a one-column CSV (`name`)
//! and write `name,cluster_id`. Timings go to stderr.
//!
//! `cargo run --release -p anchornet-resolve --example b3 -- NAMES.csv OUT.csv`
use std::io::Write;
use std::time::Instant;

use anchornet_resolve::{NameInput, Resolver};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (input, output) = match (args.get(1), args.get(2)) {
        (Some(i), Some(o)) => (i, o),
        _ => return Err("usage: b3 NAMES.csv OUT.csv".into()),
    };
    let t0 = Instant::now();
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_path(input)?;
    let col = rdr
        .headers()?
        .iter()
        .position(|h| h.trim().trim_start_matches('\u{feff}') == "name")
        .ok_or("no `name` column")?;
    let mut names = Vec::new();
    for rec in rdr.records() {
        let rec = rec?;
        if let Some(n) = rec.get(col) {
            names.push(NameInput::new(n));
        }
    }
    let t1 = Instant::now();
    let res = Resolver::default().resolve(&names);
    let t2 = Instant::now();
    let mut w = std::io::BufWriter::new(std::fs::File::create(output)?);
    writeln!(w, "name,cluster_id")?;
    let mut cw = csv::Writer::from_writer(Vec::new());
    for n in &res.names {
        cw.write_record([n.name.as_str(), res.entities[n.entity].id.as_str()])?;
    }
    w.write_all(&cw.into_inner()?)?;
    w.flush()?;
    // WHY="name a|name b": the chain of links that put two names together.
    if let Ok(why) = std::env::var("WHY") {
        let (a, b) = why.split_once('|').ok_or("WHY=a|b")?;
        let ia = res
            .names
            .iter()
            .position(|n| n.name == a)
            .ok_or("a not found")?;
        let ib = res
            .names
            .iter()
            .position(|n| n.name == b)
            .ok_or("b not found")?;
        for l in res.path(ia, ib) {
            eprintln!(
                "  {:?} -- {:.3} {:?} -- {:?}",
                res.names[l.a].name, l.score, l.reason, res.names[l.b].name
            );
        }
    }
    // WHYNOT="name a|name b": review items between the two names' entities.
    if let Ok(why) = std::env::var("WHYNOT") {
        let (a, b) = why.split_once('|').ok_or("WHYNOT=a|b")?;
        let index: std::collections::HashMap<&str, usize> = res
            .names
            .iter()
            .map(|n| (n.name.as_str(), n.entity))
            .collect();
        let ent = |x: &str| index.get(x).copied();
        let (ea, eb) = (ent(a).ok_or("a not found")?, ent(b).ok_or("b not found")?);
        for r in &res.review {
            let (x, y) = (ent(&r.a), ent(&r.b));
            if (x == Some(ea) && y == Some(eb)) || (x == Some(eb) && y == Some(ea)) {
                eprintln!(
                    "  {:?} / {:?}: {:.3} {} — {}",
                    r.a, r.b, r.score, r.decision, r.reason
                );
            }
        }
    }
    // TOP=n: the n largest entities with a sample of names.
    if let Ok(top) = std::env::var("TOP") {
        let n: usize = top.parse()?;
        let mut ents: Vec<&anchornet_resolve::Entity> = res.entities.iter().collect();
        ents.sort_by_key(|e| std::cmp::Reverse(e.members.len()));
        for e in ents.iter().take(n) {
            let sample: Vec<&str> = e
                .members
                .iter()
                .step_by((e.members.len() / 12).max(1))
                .take(12)
                .map(|&m| res.names[m].name.as_str())
                .collect();
            eprintln!("{:5} {:?}: {:?}", e.members.len(), e.canonical_name, sample);
        }
    }
    eprintln!(
        "{} names, {} entities, {} pairs, {} links, {} conflicts ({} blocked); read {:.2}s, resolve {:.2}s, write {:.2}s",
        res.stats.names,
        res.stats.entities,
        res.stats.pairs,
        res.stats.links,
        res.stats.conflicts,
        res.stats.blocked,
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        t2.elapsed().as_secs_f64()
    );
    Ok(())
}
