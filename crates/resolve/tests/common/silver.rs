//! A silver standard for supplier-name resolution, built from identifiers, not by hand.
//!
//! Two names are the same entity when the files in `../shared/data` give them the same
//! identifier, and different entities when they end up under different identifiers:
//!
//! | source | name | identifiers |
//! |---|---|---|
//! | `spend/trafford/*.csv.xz` | `BeneficiaryName` | Trafford's supplier id (`BeneficiaryOtherID`) |
//! | `spend/original_layouts/wakefield/*.csv.xz` | `Supplier Name` | `Company Registration` (company or mutual-society number), `Charity Registration`, Wakefield's `Supplier ID` |
//! | `procurement/salford_contracts_register_2022.csv` | `Supplier Company Name` | `Company Number` |
//! | `procurement/trafford_council_vcse_grants_360giving.csv` | `Recipient Org:Name` | charity and company numbers |
//! | `procurement/contracts_finder_ocds_*` | supplier and tenderer parties | `GB-COH`, `GB-CHC` (read by the crate's OCDS reader) |
//! | `suppliers/coops_uk_open_data_2023.csv.xz` | `Name` | `Companies House Number` |
//! | `companies/*` (Companies House) | `CompanyName` and any previous names | `CompanyNumber` |
//!
//! Rules, fixed before any score was seen:
//! - identifiers are normalised (`2535986` = `02535986`) with the crate's `ids` functions,
//!   whose own tests check them against the registers' formats;
//! - one row's identifiers are one entity (a charitable company has both numbers);
//! - names equal under the B1 supplier key of `BENCHMARKS.md` (`&` = `and`, case,
//!   punctuation, a leading `The`, trailing `Ltd`/`Limited`/`PLC`/`LLP`; see [`b1_key`])
//!   are one entity:
//!   Companies House treats such names as "the same" and registers only one of them (the
//!   Company, Limited Liability Partnership and Business (Names and Trading Disclosures)
//!   Regulations 2015, Schedule 3), so they are one payee under several vendor records;
//! - a name (or key) given two different company (or charity) numbers is ambiguous and left
//!   out; an entity that ends up with two company numbers is left out whole;
//! - redaction markers (`REDACTED`, `Personal data`) and strings of fewer than three letters
//!   or digits are left out;
//! - only entities with two or more distinct names are kept (an entity's other names are
//!   the negatives of the rest), at most 12 per entity (evenly spread over its names in
//!   sorted order) so that a few large suppliers do not dominate pairwise scores, as in
//!   the hand-checked dev set.
//!
//! Caveat: an identifier proves a positive, but two identifiers do not always prove two
//! bodies: a council's vendor file can hold one company twice under different spellings,
//! and such a pair, rightly merged, counts here as a false merge. Silver precision is
//! therefore a lower bound.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;

use anchornet_resolve::ids::{charity_number, company_number};
use anchornet_resolve::parse::{hint, parse};
use anchornet_resolve::Registers;

/// One name of the silver set.
#[derive(Debug, Clone)]
pub struct SilverName {
    /// The name as written (trimmed).
    pub name: String,
    /// The entity: its smallest identifier key (`coh:01234567`, `chc:216250`, `sid:trafford:4600`).
    pub entity: String,
    /// Sources the string was read from (sorted).
    pub sources: Vec<String>,
}

/// Counts that describe a build.
#[derive(Debug, Default, Clone)]
pub struct SilverStats {
    /// (name, identifier) rows read per source.
    pub rows: BTreeMap<String, usize>,
    /// Name strings left out because they carry two company or charity numbers.
    pub ambiguous_names: usize,
    /// Entities left out because they joined two company or charity numbers.
    pub conflicting_entities: usize,
    /// Entities kept.
    pub entities: usize,
    /// Names kept.
    pub names: usize,
    /// Positive pairs (same entity) among the kept names.
    pub positive_pairs: u64,
}

struct Row {
    name: String,
    keys: Vec<String>,
    source: &'static str,
}

fn open(path: &Path) -> Box<dyn Read> {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let r = std::io::BufReader::new(f);
    if path.extension().is_some_and(|e| e == "xz") {
        Box::new(xz2::read::XzDecoder::new_multi_decoder(r))
    } else {
        Box::new(r)
    }
}

/// Read a CSV, calling `f` with the values of the named columns for each row (a column
/// is found by any of its `|`-separated header spellings; empty when absent).
fn each_csv(path: &Path, cols: &[&str], mut f: impl FnMut(&[String])) {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(open(path));
    let header: Vec<String> = rdr
        .byte_headers()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .trim_start_matches("ï»¿")
                .to_string()
        })
        .collect();
    let idx: Vec<Option<usize>> = cols
        .iter()
        .map(|c| {
            c.split('|')
                .find_map(|c| header.iter().position(|h| h.eq_ignore_ascii_case(c)))
        })
        .collect();
    if idx[0].is_none() {
        return;
    }
    assert!(
        idx[0].is_some(),
        "{}: no column {:?} in {header:?}",
        path.display(),
        cols[0]
    );
    let mut vals = vec![String::new(); cols.len()];
    for rec in rdr.byte_records() {
        let Ok(rec) = rec else { continue };
        for (v, i) in vals.iter_mut().zip(&idx) {
            v.clear();
            if let Some(cell) = i.and_then(|i| rec.get(i)) {
                v.push_str(String::from_utf8_lossy(cell).trim());
            }
        }
        f(&vals);
    }
}

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

fn usable(name: &str) -> bool {
    name.chars().filter(|c| c.is_alphanumeric()).count() >= 3
        && parse(name).hints & hint::REDACTED == 0
}

fn coh(raw: &str) -> Option<String> {
    company_number(raw).map(|c| format!("coh:{c}"))
}

fn chc(raw: &str) -> Option<String> {
    charity_number(raw).map(|c| format!("chc:{c}"))
}

/// Every (name, identifiers) row of the sources in the table above.
fn read_rows(shared: &Path) -> Vec<Row> {
    let mut seen: std::collections::HashSet<(String, Vec<String>, &'static str)> =
        std::collections::HashSet::new();
    let mut ok: HashMap<String, bool> = HashMap::new();
    let mut rows = Vec::new();
    let mut push = |name: &str, keys: Vec<String>, source: &'static str| {
        let name = name.trim();
        if keys.is_empty() {
            return;
        }
        let good = *ok.entry(name.to_string()).or_insert_with(|| usable(name));
        if good && seen.insert((name.to_string(), keys.clone(), source)) {
            rows.push(Row {
                name: name.to_string(),
                keys,
                source,
            });
        }
    };
    for f in files(&shared.join("spend/trafford")) {
        each_csv(&f, &["BeneficiaryName", "BeneficiaryOtherID"], |v| {
            let keys = (!v[1].is_empty())
                .then(|| format!("sid:trafford:{}", v[1]))
                .into_iter()
                .collect();
            push(&v[0], keys, "trafford");
        });
    }
    // Publishers' own files that carry registered numbers or supplier ids beside the name.
    for (publisher, source, cols) in [
        (
            "wakefield",
            "wakefield",
            [
                "Supplier Name",
                "Company Registration|Comp. reg. no|Company Registraation Number",
                "Charity Registration|Charity Number|Charity Registration Number",
                "Supplier ID",
            ],
        ),
        (
            "calderdale",
            "calderdale",
            [
                "Supplier(Beneficiary) Name",
                "Supplier Registered Company Number",
                "Supplier Registered Charity Number",
                "Supplier ID",
            ],
        ),
        (
            "bradford",
            "bradford",
            ["Supplier Name", "-", "-", "Supplier Number"],
        ),
        (
            "sheffield",
            "sheffield",
            [
                "Supplier Name|Supplier",
                "-",
                "-",
                "Address Book No.|Address Book No|Supplier No",
            ],
        ),
        (
            "northtyneside",
            "northtyneside",
            [
                "Supplier (Beneficiary) Name",
                "-",
                "-",
                "Local Supplier Internal Reference",
            ],
        ),
        ("london", "london", ["Vendor Name", "-", "-", "Vendor ID"]),
    ] {
        for f in files(&shared.join("spend/original_layouts").join(publisher)) {
            each_csv(&f, &cols, |v| {
                let mut keys: Vec<String> = coh(&v[1]).into_iter().chain(chc(&v[2])).collect();
                let sid = v[3].to_ascii_lowercase();
                if !sid.is_empty()
                    && !sid.contains("redact")
                    && sid != "n/a"
                    && sid.chars().any(|c| c.is_ascii_alphanumeric())
                {
                    keys.push(format!("sid:{publisher}:{}", v[3]));
                }
                push(&v[0], keys, source);
            });
        }
    }
    each_csv(
        &shared.join("procurement/salford_contracts_register_2022.csv"),
        &["Supplier Company Name", "Company Number"],
        |v| push(&v[0], coh(&v[1]).into_iter().collect(), "salford_register"),
    );
    each_csv(
        &shared.join("procurement/trafford_council_vcse_grants_360giving.csv"),
        &[
            "Recipient Org:Name",
            "Recipient Org:Charity Number",
            "Recipient Org:Company Number",
        ],
        |v| {
            let keys = chc(&v[1]).into_iter().chain(coh(&v[2])).collect();
            push(&v[0], keys, "trafford_grants");
        },
    );
    each_csv(
        &shared.join("suppliers/coops_uk_open_data_2023.csv.xz"),
        &["Name", "Companies House Number"],
        |v| push(&v[0], coh(&v[1]).into_iter().collect(), "coops_uk"),
    );
    // OCDS parties and Companies House rows through the crate's own register readers.
    let mut regs = Registers::new();
    for d in [
        "procurement/contracts_finder_ocds_2019_2020/raw",
        "procurement/contracts_finder_ocds_2019_2020/supplier_ids_match",
        "procurement/contracts_finder_ocds_2025",
    ] {
        regs.load(&shared.join(d), None)
            .unwrap_or_else(|e| panic!("{d}: {e}"));
    }
    let ocds = regs.records.len();
    for f in [
        "companies/ch_live_companies_south_yorkshire_2024-11.csv.xz",
        "companies/companies_house_incorporations_first7days_jan2024_jan2025.csv.xz",
    ] {
        regs.load(&shared.join(f), None)
            .unwrap_or_else(|e| panic!("{f}: {e}"));
    }
    for (k, r) in regs.records.iter().enumerate() {
        let keys: Vec<String> = r
            .company_number
            .iter()
            .filter_map(|c| coh(c))
            .chain(r.charity_number.iter().filter_map(|c| chc(c)))
            .collect();
        let source = if k < ocds { "ocds" } else { "companies_house" };
        push(&r.name, keys.clone(), source);
        for p in &r.previous_names {
            push(p, keys.clone(), source);
        }
    }
    rows
}

struct Dsu(Vec<usize>);

impl Dsu {
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut y = x;
        while self.0[y] != r {
            let n = self.0[y];
            self.0[y] = r;
            y = n;
        }
        r
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

fn registered(k: &str) -> bool {
    k.starts_with("coh:") || k.starts_with("chc:")
}

/// The B1 supplier key K(name) of `BENCHMARKS.md` (`&` → ` AND `, ASCII upper case, runs
/// of non-`A-Z0-9` → one space, trim, drop a leading `THE ` and trailing
/// `LTD|LIMITED|PLC|LLP` tokens), with apostrophes and full stops removed first, as
/// Companies House ignores punctuation (`Alzheimer's` = `Alzheimers`, `T.G.N.` = `TGN`).
pub fn b1_key(name: &str) -> String {
    let up = name
        .replace(['\'', '.', '\u{2019}'], "")
        .replace('&', " AND ")
        .to_ascii_uppercase();
    let mut toks: Vec<&str> = up
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    if toks.first() == Some(&"THE") {
        toks.remove(0);
    }
    while toks.len() > 1 && matches!(toks.last(), Some(&("LTD" | "LIMITED" | "PLC" | "LLP"))) {
        toks.pop();
    }
    toks.join(" ")
}

/// Build the silver set from `shared` (`../shared/data`). Deterministic: the same files
/// give the same rows in the same order.
pub fn build(shared: &Path) -> (Vec<SilverName>, SilverStats) {
    let rows = read_rows(shared);
    let mut stats = SilverStats::default();
    for r in &rows {
        *stats.rows.entry(r.source.to_string()).or_default() += 1;
    }
    // Keys → nodes.
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut keys: Vec<String> = Vec::new();
    let mut node = |k: &str, ids: &mut HashMap<String, usize>| -> usize {
        if let Some(&i) = ids.get(k) {
            return i;
        }
        keys.push(k.to_string());
        ids.insert(k.to_string(), keys.len() - 1);
        keys.len() - 1
    };
    let mut by_name: BTreeMap<&str, (BTreeSet<usize>, BTreeSet<&'static str>)> = BTreeMap::new();
    let mut by_key: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for r in &rows {
        let e = by_name.entry(r.name.as_str()).or_default();
        let kk = by_key.entry(b1_key(&r.name)).or_default();
        for k in &r.keys {
            let id = node(k, &mut ids);
            e.0.insert(id);
            kk.insert(id);
        }
        e.1.insert(r.source);
    }
    let mut dsu = Dsu((0..keys.len()).collect());
    for r in &rows {
        let first = ids[&r.keys[0]];
        for k in &r.keys[1..] {
            dsu.union(first, ids[k]);
        }
    }
    // A name string with two registered numbers of one kind is ambiguous.
    let ambiguous = |ks: &BTreeSet<usize>| {
        ["coh:", "chc:"]
            .iter()
            .any(|p| ks.iter().filter(|&&k| keys[k].starts_with(p)).count() >= 2)
    };
    for ks in by_key.values() {
        if ambiguous(ks) {
            continue;
        }
        let v: Vec<usize> = ks.iter().copied().collect();
        for k in &v[1..] {
            dsu.union(v[0], *k);
        }
    }
    // Entities, and those that joined two numbers of one kind.
    let mut numbers: HashMap<usize, BTreeSet<&str>> = HashMap::new();
    for (k, key) in keys.iter().enumerate() {
        if registered(key) {
            let root = dsu.find(k);
            numbers.entry(root).or_default().insert(key.as_str());
        }
    }
    let bad: BTreeSet<usize> = numbers
        .iter()
        .filter(|(_, ns)| {
            ns.iter().filter(|n| n.starts_with("coh:")).count() >= 2
                || ns.iter().filter(|n| n.starts_with("chc:")).count() >= 2
        })
        .map(|(r, _)| *r)
        .collect();
    stats.conflicting_entities = bad.len();
    let mut label: HashMap<usize, String> = HashMap::new();
    for (k, key) in keys.iter().enumerate() {
        let root = dsu.find(k);
        let l = label.entry(root).or_insert_with(|| key.clone());
        // Prefer a registered number as the label, then the smallest key.
        if (registered(key), std::cmp::Reverse(key.as_str()))
            > (registered(l), std::cmp::Reverse(l.as_str()))
        {
            *l = key.clone();
        }
    }
    let mut entities: BTreeMap<String, Vec<(&str, Vec<String>)>> = BTreeMap::new();
    for (name, (ks, sources)) in &by_name {
        if ambiguous(ks) {
            stats.ambiguous_names += 1;
            continue;
        }
        let Some(&k) = ks.iter().next() else { continue };
        let root = dsu.find(k);
        if bad.contains(&root) {
            continue;
        }
        entities
            .entry(label[&root].clone())
            .or_default()
            .push((name, sources.iter().map(|s| s.to_string()).collect()));
    }
    let mut out = Vec::new();
    for (entity, names) in entities {
        if names.len() < 2 {
            continue;
        }
        let take: Vec<usize> = if names.len() <= 12 {
            (0..names.len()).collect()
        } else {
            (0..12).map(|i| i * names.len() / 12).collect()
        };
        stats.entities += 1;
        let k = take.len() as u64;
        stats.positive_pairs += k * (k - 1) / 2;
        for i in take {
            out.push(SilverName {
                name: names[i].0.to_string(),
                entity: entity.clone(),
                sources: names[i].1.clone(),
            });
        }
    }
    stats.names = out.len();
    (out, stats)
}

/// Write the silver set as `name,entity_id,sources` (the dev set's layout, so
/// `../shared/tools/score_clusters.py` scores it).
pub fn write(path: &Path, rows: &[SilverName]) -> std::io::Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record(["name", "entity_id", "publishers", "note"])?;
    for r in rows {
        w.write_record([r.name.as_str(), r.entity.as_str(), &r.sources.join(";"), ""])?;
    }
    w.flush()
}
