//! Write the body of docs/suppliers-report.md: every distinct supplier name in
//! `../shared/data/spend` resolved into entities, the largest clusters, 50 random merges
//! to check by eye, and Salford's 2021/22 payments linked to its contracts register.
//!
//! `cargo run --release -p anchornet-resolve --example suppliers_report -- ../shared/data > out.md`
use std::collections::BTreeMap;
use std::time::Instant;

use anchornet_core::{FinancialYear, Pence};
use anchornet_ingest::Ingest;
use anchornet_resolve::{MatchKind, NameFilter, NameInput, Registers, Resolver};

/// A fixed pseudo-random rank of a link from its two names alone (FNV-1a, then a
/// 64-bit finaliser), so the sample is the same on every run and a link, once drawn,
/// stays drawn while it exists: a change elsewhere in the resolver does not redraw the
/// whole sample that a person has checked.
fn rank(a: &str, b: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ 0x5eed_2026;
    for byte in a.bytes().chain([0]).chain(b.bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: suppliers_report SHARED_DATA")?,
    );
    let t0 = Instant::now();
    let spend = data.join("spend");
    let (inputs, reads) =
        anchornet_resolve::input::read(&[spend.to_string_lossy().to_string()], None, |i, n, f| {
            eprintln!("[{}/{n}] {f}", i + 1);
        })?;
    let t1 = Instant::now();
    let res = Resolver::default().resolve(&inputs);
    let t2 = Instant::now();
    let rows: u64 = reads.iter().map(|r| r.rows).sum();
    let named: u64 = inputs.iter().map(|i| i.rows).sum();
    let names: Vec<_> = res.names.iter().filter(|n| n.input).collect();
    let multi: Vec<_> = res
        .entities
        .iter()
        .filter(|e| e.members.len() > 1)
        .collect();
    let in_multi: usize = multi.iter().map(|e| e.members.len()).sum();
    println!("## Over all supplier names in `spend/`\n");
    println!(
        "{} files ({} rows, {} with a supplier name) give **{} distinct supplier names**, resolved into **{} entities**: {} entities have two names or more, holding {} names ({:.1}% of names); the other {} names stand alone. Reading took {:.0} s and resolving {:.1} s on this machine (2 shared vCPUs).\n",
        reads.len(),
        rows,
        named,
        names.len(),
        res.entities.len(),
        multi.len(),
        in_multi,
        100.0 * in_multi as f64 / names.len() as f64,
        names.len() - in_multi,
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64()
    );
    println!(
        "Candidate pairs compared: {}; links: {}; conflicts that mattered: {}; links refused because of a conflict: {}; items on the review list: {}.\n",
        res.stats.pairs, res.stats.links, res.stats.conflicts, res.stats.blocked, res.review.len()
    );
    // Kinds.
    let mut kinds: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for e in &res.entities {
        let k = kinds.entry(e.kind.label()).or_default();
        k.0 += 1;
        k.1 += e.members.len();
    }
    println!("### Kinds (from names alone; no registers in this run)\n");
    println!("| kind | entities | names |\n|---|---:|---:|");
    let mut kv: Vec<_> = kinds.into_iter().collect();
    kv.sort_by_key(|(_, (e, _))| std::cmp::Reverse(*e));
    for (k, (e, n)) in kv {
        println!("| {k} | {e} | {n} |");
    }
    println!();
    // Largest clusters.
    let mut ents: Vec<_> = res.entities.iter().collect();
    ents.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.canonical_name.cmp(&b.canonical_name))
    });
    println!("### The 30 largest clusters\n");
    println!("| # | entity (shown name) | kind | names | anchors | examples of its names |\n|---:|---|---|---:|---:|---|");
    for (k, e) in ents.iter().take(30).enumerate() {
        let step = (e.members.len() / 6).max(1);
        let sample: Vec<String> = e
            .members
            .iter()
            .step_by(step)
            .take(6)
            .map(|&m| format!("`{}`", cell(&res.names[m].name)))
            .collect();
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            k + 1,
            cell(&e.canonical_name),
            e.kind.label(),
            e.members.len(),
            e.anchors.len(),
            sample.join(", ")
        );
    }
    println!();
    // 50 random merges: links between names whose keys differ (not only case or spacing).
    let key = |i: usize| res.names[i].key.clone();
    let candidates: Vec<_> = res
        .links
        .iter()
        .filter(|l| key(l.a) != key(l.b) && l.reason != anchornet_resolve::Reason::Override)
        .collect();
    let mut picked: Vec<usize> = (0..candidates.len()).collect();
    picked.sort_by_key(|&k| {
        let l = candidates[k];
        (rank(&res.names[l.a].name, &res.names[l.b].name), k)
    });
    picked.truncate(50);
    picked.sort_unstable();
    println!("### 50 random merges to check\n");
    println!(
        "Drawn by a fixed hash of the two names from the {} links that joined two names whose normalised keys differ (links between names that differ only in case, spacing, punctuation or legal-form spelling are left out: they are not in doubt).\n",
        candidates.len()
    );
    println!("| # | name | linked to | why | confidence |\n|---:|---|---|---|---:|");
    for (n, &k) in picked.iter().enumerate() {
        let l = candidates[k];
        println!(
            "| {} | `{}` | `{}` | {} | {:.2} |",
            n + 1,
            cell(&res.names[l.a].name),
            cell(&res.names[l.b].name),
            l.reason.text(),
            l.score
        );
    }
    println!();
    // Salford.
    salford(&data)?;
    Ok(())
}

fn salford(data: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let fy: FinancialYear = "2021/22".parse()?;
    let (payments, _) = Ingest::default().payments(
        &[data
            .join("spend/original_layouts/salford")
            .to_string_lossy()
            .to_string()],
        |p| p.financial_year == fy,
    )?;
    let inputs: Vec<NameInput> = payments
        .iter()
        .filter_map(NameInput::from_payment)
        .collect();
    let mut regs = Registers::new();
    let f = NameFilter::from_inputs(&inputs);
    regs.load(
        &data.join("procurement/salford_contracts_register_2022.csv"),
        Some(&f),
    )?;
    let records = regs.records.clone();
    let res = Resolver::default().with_registers(regs).resolve(&inputs);
    let total: i64 = payments.iter().map(|p| p.amount.0).sum();
    let redacted: i64 = payments
        .iter()
        .filter(|p| p.redacted || p.supplier_name.is_empty())
        .map(|p| p.amount.0)
        .sum();
    let cov = res.postcode_coverage();
    println!("## Salford 2021/22: payments linked to the contracts register\n");
    println!(
        "{} payments dated in 2021/22 (the files hold July 2021 – March 2022 of that year), {} in total; {} of it to withheld names. Names linked to a row of Salford's contracts register (360 contracts, a supplier postcode on 339 of them) by company number or the same normalised name (*exact*), or by the matcher's other links (*fuzzy*):\n",
        payments.len(),
        Pence(total).to_pounds_string(),
        Pence(redacted).to_pounds_string()
    );
    println!("| supplier gets a postcode | supplier names | payments | spend | share of spend |\n|---|---:|---:|---:|---:|");
    for (label, c) in [
        ("by an exact link", cov.exact),
        ("by a fuzzy link", cov.fuzzy),
        ("no postcode", cov.none),
    ] {
        println!(
            "| {label} | {} | {} | {} | {:.1}% |",
            c.names,
            c.rows,
            c.spend.to_pounds_string(),
            100.0 * c.spend.0 as f64 / total as f64
        );
    }
    println!(
        "| withheld names | – | {} | {} | {:.1}% |\n",
        payments
            .iter()
            .filter(|p| p.redacted || p.supplier_name.is_empty())
            .count(),
        Pence(redacted).to_pounds_string(),
        100.0 * redacted as f64 / total as f64
    );
    let exact = cov.exact.spend.0 as f64 / total as f64;
    let fuzzy = cov.fuzzy.spend.0 as f64 / total as f64;
    println!(
        "Exact links give {:.1}% of spend a postcode; fuzzy links add {:.1} points, to {:.1}%.\n",
        100.0 * exact,
        100.0 * fuzzy,
        100.0 * (exact + fuzzy)
    );
    let mut fuzzy_links: Vec<_> = res
        .register_links
        .iter()
        .filter(|l| l.matched == MatchKind::FuzzyName)
        .collect();
    fuzzy_links.sort_by(|a, b| res.names[a.name].name.cmp(&res.names[b.name].name));
    fuzzy_links.dedup_by_key(|l| l.name);
    println!("The fuzzy links, for checking:\n\n| payee name in the ledger | contracts register name | confidence |\n|---|---|---:|");
    for l in fuzzy_links {
        let rec = records[l.record].name.replace("\\n", " ");
        println!(
            "| `{}` | `{}` | {:.2} |",
            cell(&res.names[l.name].name),
            cell(&rec),
            l.confidence
        );
    }
    println!();
    Ok(())
}
