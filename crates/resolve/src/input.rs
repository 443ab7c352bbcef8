//! Reading the names to resolve: payment files in any layout (through `anchornet-ingest`),
//! supplier lists, or a plain CSV of names.
//!
//! A CSV whose header has a column called `name` is a list of names. Other columns are
//! used when present: `anchor` (or `publisher`, or `publishers` separated by `;`),
//! `supplier_id`, `company_number`, `charity_number`, `vat_number`, and `spend` or
//! `amount` (pounds). Anything else is read by ingest: each payment gives its supplier
//! name with its anchor, identifiers and amount (withheld names are skipped); each row of
//! a supplier list or contracts register gives a name with no spend.

use std::path::PathBuf;

use anchornet_core::Pence;
use anchornet_ingest::dedupe::Deduper;
use anchornet_ingest::input::{self, Source};
use anchornet_ingest::{Ingest, Record};
use serde::Serialize;

use crate::NameInput;

/// What was read from one file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileRead {
    /// The file (archive members as `archive.zip!member`).
    pub file: String,
    /// `names`, `payments` or `suppliers`.
    pub kind: String,
    /// Data rows read.
    pub rows: u64,
    /// Names taken.
    pub names: u64,
    /// Rows without a usable name (withheld, blank) or rejected by ingest.
    pub skipped: u64,
    /// Why the file could not be read, if it could not.
    pub error: Option<String>,
}

/// Read every input (files, directories, globs, `-`). A file that cannot be read is
/// reported in its [`FileRead`] and the others are still read; an argument that names
/// nothing is an error. Rows with the same name, anchor and identifiers are added up into
/// one input (spend summed, rows counted), so millions of payments take little memory.
pub fn read(
    args: &[String],
    anchor: Option<&str>,
    mut on_file: impl FnMut(usize, usize, &str),
) -> Result<(Vec<NameInput>, Vec<FileRead>), input::InputError> {
    let paths: Vec<PathBuf> = input::expand(args)?;
    let mut out = Aggregator::default();
    let mut reports = Vec::new();
    let mut dedupe = Deduper::default();
    let ing = Ingest {
        anchor: anchor.map(str::to_string),
        ..Ingest::default()
    };
    for (i, p) in paths.iter().enumerate() {
        let name = p.to_string_lossy().to_string();
        on_file(i, paths.len(), &name);
        match input::open(p) {
            Err(e) => reports.push(FileRead {
                file: name,
                error: Some(e.message),
                ..FileRead::default()
            }),
            Ok(sources) => {
                for s in sources {
                    if let Some(r) = read_names_csv(&s, anchor, &mut out) {
                        reports.push(r);
                    } else {
                        reports.extend(read_ingest(&ing, &s, &mut dedupe, &mut out));
                    }
                }
            }
        }
    }
    Ok((out.out, reports))
}

/// Adds up inputs as they come (so millions of rows never sit in memory at once).
#[derive(Default)]
struct Aggregator {
    index: rustc_hash::FxHashMap<NameInput, usize>,
    out: Vec<NameInput>,
}

impl Aggregator {
    fn push(&mut self, i: NameInput) {
        let key = NameInput {
            spend: Pence::ZERO,
            rows: 0,
            ..i.clone()
        };
        match self.index.get(&key) {
            Some(&k) => {
                self.out[k].spend += i.spend;
                self.out[k].rows += i.rows.max(1);
            }
            None => {
                self.index.insert(key, self.out.len());
                self.out.push(NameInput {
                    rows: i.rows.max(1),
                    ..i
                });
            }
        }
    }
}

/// Add up inputs with the same name, anchor and identifiers, keeping first-seen order.
pub fn aggregate(inputs: Vec<NameInput>) -> Vec<NameInput> {
    let mut index: rustc_hash::FxHashMap<NameInput, usize> = rustc_hash::FxHashMap::default();
    let mut out: Vec<NameInput> = Vec::new();
    for i in inputs {
        let key = NameInput {
            spend: Pence::ZERO,
            rows: 0,
            ..i.clone()
        };
        match index.get(&key) {
            Some(&k) => {
                out[k].spend += i.spend;
                out[k].rows += i.rows.max(1);
            }
            None => {
                index.insert(key, out.len());
                out.push(NameInput {
                    rows: i.rows.max(1),
                    ..i
                });
            }
        }
    }
    out
}

/// A CSV with a `name` column, or `None` if the source is not one.
fn read_names_csv(s: &Source, anchor: Option<&str>, out: &mut Aggregator) -> Option<FileRead> {
    let lower = s.inner_name.to_ascii_lowercase();
    if !(lower.ends_with(".csv")
        || lower.ends_with(".tsv")
        || lower.ends_with(".txt")
        || s.name == "-")
    {
        return None;
    }
    let (text, _) = anchornet_ingest::format::delimited::decode(&s.bytes);
    let first = text.lines().next()?;
    let delim = if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .ok()?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let col = |w: &[&str]| headers.iter().position(|h| w.contains(&h.as_str()));
    let name_col = col(&["name"])?;
    let anchor_col = col(&["anchor", "publisher", "publishers", "body"]);
    let sid = col(&["supplier_id"]);
    let comp = col(&["company_number"]);
    let chy = col(&["charity_number"]);
    let vat = col(&["vat_number"]);
    let spend = col(&["spend", "amount"]);
    let mut r = FileRead {
        file: s.name.clone(),
        kind: "names".into(),
        ..FileRead::default()
    };
    for rec in rdr.records() {
        r.rows += 1;
        let Ok(rec) = rec else {
            r.skipped += 1;
            continue;
        };
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let Some(name) = get(Some(name_col)) else {
            r.skipped += 1;
            continue;
        };
        let base = NameInput {
            name,
            supplier_id: get(sid),
            company_number: get(comp),
            charity_number: get(chy),
            vat_number: get(vat),
            spend: get(spend)
                .and_then(|v| Pence::parse(&v).ok())
                .unwrap_or(Pence::ZERO),
            anchor: anchor.map(str::to_string),
            rows: 1,
        };
        r.names += 1;
        let anchors: Vec<String> = get(anchor_col)
            .map(|a| {
                a.split(';')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if anchors.is_empty() || anchor.is_some() {
            out.push(base);
        } else {
            for (k, a) in anchors.into_iter().enumerate() {
                let mut n = base.clone();
                n.anchor = Some(a);
                if k > 0 {
                    n.spend = Pence::ZERO;
                }
                out.push(n);
            }
        }
    }
    Some(r)
}

fn read_ingest(
    ing: &Ingest,
    s: &Source,
    dedupe: &mut Deduper,
    out: &mut Aggregator,
) -> Vec<FileRead> {
    let mut names = 0u64;
    let mut blank = 0u64;
    let reports = ing.source(
        s,
        dedupe,
        &mut |rec| match rec {
            Record::Payment(p) => match NameInput::from_payment(&p) {
                Some(n) => {
                    names += 1;
                    out.push(n);
                }
                None => blank += 1,
            },
            Record::Supplier(sr) => {
                names += 1;
                out.push(NameInput {
                    name: sr.name.clone(),
                    anchor: Some(sr.anchor.clone()).filter(|a| !a.is_empty()),
                    supplier_id: sr.supplier_id.clone(),
                    company_number: sr.company_number.clone(),
                    charity_number: sr.charity_number.clone(),
                    vat_number: sr.vat_number.clone(),
                    spend: Pence::ZERO,
                    rows: 1,
                });
            }
        },
        &mut |_| {},
    );
    let mut first = true;
    reports
        .into_iter()
        .map(|r| {
            let fr = FileRead {
                file: r.file.clone(),
                kind: r.kind.clone(),
                rows: r.rows_read,
                names: if first { names } else { 0 },
                skipped: r.skipped + r.rejected + if first { blank } else { 0 },
                error: r.error.clone(),
            };
            first = false;
            fr
        })
        .collect()
}
