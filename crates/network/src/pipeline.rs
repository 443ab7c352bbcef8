//! The pipeline from a network file to a [`Dataset`]: ingest → resolve → locate → classify →
//! rules. Every input row is accounted for in the file reports; every supplier's location and
//! classification keeps its evidence.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use anchornet_core::{FinancialYear, Payment, ProclassCode};
use anchornet_geo::{GeoIndex, Place, Places};
use anchornet_ingest::{FileReport, Ingest, Issue, Record, SupplierRecord};
use anchornet_metrics::{AnchorInfo, Dataset, NetworkInfo, SupplierInfo, Txn};

use std::sync::atomic::Ordering;

use crate::cache::{self, IngestCache};
use crate::config::NetworkConfig;
use crate::resolve_step;
use crate::rules::{words, Rules};
use anchornet_core::{Kind, SourceKind};
use anchornet_suppliers::{Decisions, PaymentAddress, Register};

/// What went into the dataset and what happened to it: the data-quality appendix.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Quality {
    /// Per input file: rows read, accepted, skipped, rejected, total.
    pub files: Vec<FileReport>,
    /// Issues (skipped and rejected rows) over all files.
    pub issues: u64,
    /// Distinct supplier names in the payments.
    pub supplier_names: u64,
    /// Supplier entities they resolved to.
    pub entities: u64,
    /// Influenceable-relevant location coverage: pence by where the location came from
    /// (`contracts register`, `payment file`, `not located`…), over all payments analysed.
    pub location_sources: Vec<(String, u64, i64)>,
    /// Postcodes found in evidence that the index could not place, with the reason.
    pub unplaced_postcodes: Vec<(String, String)>,
    /// Suppliers located by a registered office that may not be where work is done.
    pub head_office_flags: u64,
    /// The rules file used and its version.
    pub rules: String,
    /// Register files read, each reconciled (read = kept + not relevant + rejected).
    pub register_files: Vec<resolve_step::RegisterFileReport>,
    /// Register records linked to entities, by how (`identifier`, `exact_name`, `fuzzy_name`).
    pub register_links: Vec<(String, u64)>,
    /// Uncertain supplier links a person should review.
    pub review: u64,
    /// People's decisions applied (overrides file and review decisions).
    pub decisions: u64,
}

/// A network ready to measure.
pub struct Prepared {
    /// The metrics' input.
    pub dataset: Dataset,
    /// The data-quality facts.
    pub quality: Quality,
    /// The supplier resolution (entities, links, register links, review list).
    pub resolution: anchornet_resolve::Resolution,
    /// The supplier register: every entity located and classified, with its evidence
    /// (`dataset.suppliers[i]` is `register.suppliers[i]` as the metrics read it).
    pub register: Register,
    /// People's decisions applied (the overrides file, then a workspace's review).
    pub decisions: Decisions,
    /// Every skipped or rejected row (file, line, column, value, problem).
    pub issues: Vec<Issue>,
    /// The payments, compact (for the Parquet export), parallel to `dataset.txns`.
    pub rows: Vec<Row>,
    /// The full payment records, parallel to `dataset.txns`, when the caller supplied them
    /// ([`prepare_records`]); empty from [`prepare`], which keeps only the compact rows.
    pub payments: Vec<Payment>,
    /// The strings the rows refer to.
    pub strings: Strings,
    /// The local place.
    pub local: Place,
    /// The wider place.
    pub wider: Place,
}

impl Prepared {
    /// Each register supplier's influenceable spend (pence), parallel to
    /// `register.suppliers`: what a review question about it moves.
    pub fn influenceable_by_supplier(&self) -> Vec<i64> {
        let mut v = vec![0i64; self.register.suppliers.len()];
        for t in self.dataset.txns.iter().filter(|t| t.excluded_by.is_none()) {
            if let Some(x) = v.get_mut(t.supplier as usize) {
                *x += t.pence;
            }
        }
        v
    }

    /// The review questions not yet decided, largest first.
    pub fn questions(&self) -> Vec<anchornet_suppliers::review::Question> {
        let decided: std::collections::HashSet<&str> = self
            .decisions
            .items
            .iter()
            .map(|d| d.subject.text())
            .collect();
        anchornet_suppliers::review::questions(
            &self.register,
            &self.resolution,
            &self.influenceable_by_supplier(),
            &|_, subject| decided.contains(subject),
        )
    }
}

/// Why a network could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// A place name that is not known.
    #[error("unknown place `{0}` (see `anchornet geo places`)")]
    UnknownPlace(String),
    /// An anchor's inputs could not be listed or read.
    #[error("{anchor}: {source}")]
    Input {
        /// Anchor.
        anchor: String,
        /// Cause.
        source: anchornet_ingest::IngestError,
    },
    /// An anchor's mapping file.
    #[error(transparent)]
    Mapping(#[from] anchornet_ingest::mapping::MappingError),
    /// The influenceable-spend rules file.
    #[error(transparent)]
    Rules(#[from] crate::rules::RulesError),
    /// The places file could not be read.
    #[error("{path}: {source}")]
    PlacesFile {
        /// The file.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The places file is not valid.
    #[error("{path}: {source}")]
    Places {
        /// The file.
        path: String,
        /// Cause.
        source: anchornet_geo::PlaceError,
    },
    /// A register file in no known layout, or unreadable.
    #[error(transparent)]
    Register(#[from] anchornet_resolve::registers::RegisterError),
    /// The overrides file cannot be read at all.
    #[error(transparent)]
    Decisions(#[from] anchornet_suppliers::decisions::DecisionsError),
}

/// Progress callback: (stage, detail); called from several threads.
pub type Progress<'a> = &'a (dyn Fn(&str, &str) + Sync);

/// Interned strings: each distinct value stored once, rows hold its index.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    // FxHash: interning runs once or more per payment, and the keys are our own data.
    ix: FxHashMap<String, u32>,
    pub(crate) list: Vec<String>,
}

/// "No value" in a [`Row`] string field.
pub const NONE: u32 = u32::MAX;

impl Interner {
    /// The index of `s`, adding it if new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ix.get(s) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(s.to_string());
        self.ix.insert(s.to_string(), i);
        i
    }
    /// The index of an optional value ([`NONE`] when absent or blank).
    pub fn intern_opt(&mut self, s: Option<&str>) -> u32 {
        match s.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => self.intern(s),
            None => NONE,
        }
    }
    /// The string at `i` (`None` for [`NONE`]).
    pub fn get(&self, i: u32) -> Option<&str> {
        self.list.get(i as usize).map(String::as_str)
    }
    /// Number of distinct values.
    pub fn len(&self) -> usize {
        self.list.len()
    }
    /// No values.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
    /// Add every value of `other`, returning the map from its indices to this one's.
    fn absorb(&mut self, other: &Interner) -> Vec<u32> {
        other.list.iter().map(|s| self.intern(s)).collect()
    }
}

/// The identifiers a payment file gives with a payment, each an index into its
/// [`Interner`] ([`NONE`] when not given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ids {
    /// Supplier postcode ([`Strings::postcodes`]).
    pub postcode: u32,
    /// Company number ([`Strings::companies`]).
    pub company: u32,
    /// The anchor's supplier id ([`Strings::ids`]).
    pub supplier_id: u32,
    /// Charity number ([`Strings::ids`]).
    pub charity: u32,
    /// VAT number ([`Strings::ids`]).
    pub vat: u32,
}

impl Ids {
    /// No identifier given.
    pub const NONE: Ids = Ids {
        postcode: NONE,
        company: NONE,
        supplier_id: NONE,
        charity: NONE,
        vat: NONE,
    };
}

/// Distinct [`Ids`] combinations, each stored once; a [`Row`] holds the index of its own
/// ([`NONE`] when the payment gives no identifier, as most do). Five indices per payment
/// would be 16 more bytes on each of millions of rows.
#[derive(Debug, Default, Clone)]
pub struct IdSets {
    ix: FxHashMap<Ids, u32>,
    pub(crate) list: Vec<Ids>,
}

impl IdSets {
    /// The index of `ids` ([`NONE`] for [`Ids::NONE`]), adding it if new.
    pub fn intern(&mut self, ids: Ids) -> u32 {
        if ids == Ids::NONE {
            return NONE;
        }
        let next = self.list.len() as u32;
        let i = *self.ix.entry(ids).or_insert(next);
        if i == next {
            self.list.push(ids);
        }
        i
    }
    /// The identifiers at `i` ([`Ids::NONE`] for [`NONE`]).
    pub fn get(&self, i: u32) -> Ids {
        self.list.get(i as usize).copied().unwrap_or(Ids::NONE)
    }
}

/// The network's interned strings.
#[derive(Debug, Default, Clone)]
pub struct Strings {
    /// Source files.
    pub files: Interner,
    /// Supplier names as written (trimmed).
    pub names: Interner,
    /// Categories (see [`category_of`]).
    pub categories: Interner,
    /// ProClass codes the payments give ([`proclass_code_of`]), as six digits.
    pub category_codes: Interner,
    /// (category, code) pairs seen: the codes each category was paid under.
    pub category_code_pairs: rustc_hash::FxHashSet<(u32, u32)>,
    /// Supplier postcodes given in payment files.
    pub postcodes: Interner,
    /// Company numbers given in payment files.
    pub companies: Interner,
    /// Supplier ids, charity and VAT numbers given in payment files.
    pub ids: Interner,
    /// The combinations of identifiers rows give ([`Row::ids`]).
    pub id_sets: IdSets,
}

impl Strings {
    /// Add every value of `other`, returning how its rows' indices map to this one's.
    fn absorb(&mut self, other: &Strings) -> Remap {
        let f = self.files.absorb(&other.files);
        let n = self.names.absorb(&other.names);
        let c = self.categories.absorb(&other.categories);
        let cc = self.category_codes.absorb(&other.category_codes);
        self.category_code_pairs.extend(
            other
                .category_code_pairs
                .iter()
                .map(|&(cat, code)| (c[cat as usize], cc[code as usize])),
        );
        let pc = self.postcodes.absorb(&other.postcodes);
        let co = self.companies.absorb(&other.companies);
        let ids = self.ids.absorb(&other.ids);
        let sets = other
            .id_sets
            .list
            .iter()
            .map(|x| {
                self.id_sets.intern(Ids {
                    postcode: remap(&pc, x.postcode),
                    company: remap(&co, x.company),
                    supplier_id: remap(&ids, x.supplier_id),
                    charity: remap(&ids, x.charity),
                    vat: remap(&ids, x.vat),
                })
            })
            .collect();
        Remap {
            files: f,
            names: n,
            categories: c,
            sets,
        }
    }

    /// The identifiers `row` gives.
    pub fn ids_of(&self, row: &Row) -> Ids {
        self.id_sets.get(row.ids)
    }
}

/// `i` in an absorbed table's indices, in the absorbing one's.
fn remap(m: &[u32], i: u32) -> u32 {
    if i == NONE {
        NONE
    } else {
        m[i as usize]
    }
}

/// How one [`Strings`]' indices map to another's ([`Strings::absorb`]).
struct Remap {
    files: Vec<u32>,
    names: Vec<u32>,
    categories: Vec<u32>,
    sets: Vec<u32>,
}

impl Remap {
    /// `x` with its string indices mapped.
    fn row(&self, x: Row) -> Row {
        Row {
            file: remap(&self.files, x.file),
            name: remap(&self.names, x.name),
            category: remap(&self.categories, x.category),
            ids: remap(&self.sets, x.ids),
            ..x
        }
    }
}

/// One accepted payment, compact (40 bytes, so a national-scale network fits in memory);
/// its strings are in [`Strings`].
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Anchor index.
    pub anchor: u16,
    /// The supplier was redacted (personal data) or not named.
    pub redacted: bool,
    /// Source file.
    pub file: u32,
    /// Physical line (row for spreadsheets).
    pub line: u32,
    /// Payment date.
    pub date: anchornet_core::PaymentDate,
    /// Financial year.
    pub fy: FinancialYear,
    /// Amount, pence.
    pub pence: i64,
    /// Supplier name ([`NONE`] when redacted or blank).
    pub name: u32,
    /// Category.
    pub category: u32,
    /// The supplier postcode, company, charity and VAT numbers and supplier id the payment
    /// file gives: an index into [`Strings::id_sets`] ([`NONE`] when it gives none; see
    /// [`Strings::ids_of`]).
    pub ids: u32,
}

/// One anchor's ingested inputs.
struct Ingested {
    rows: Vec<Row>,
    strings: Strings,
    issues: Vec<Issue>,
    files: Vec<FileReport>,
}

fn ingest_anchor(
    cfg: &NetworkConfig,
    ai: u16,
    a: &crate::config::AnchorConfig,
    only_year: Option<FinancialYear>,
    progress: Progress<'_>,
) -> Result<Ingested, PipelineError> {
    let mapping = match &a.mapping {
        Some(m) => Some(anchornet_ingest::Mapping::load(&cfg.path(m))?),
        None => None,
    };
    let ing = Ingest {
        anchor: Some(a.name.clone()),
        mapping,
        keep_duplicates: false,
    };
    let mut out = Ingested {
        rows: Vec::new(),
        strings: Strings::default(),
        issues: Vec::new(),
        files: Vec::new(),
    };
    // Vendor lists and registers are read by the resolve stage, which links them to entities.
    {
        let list = &a.payments;
        let args: Vec<String> = list
            .iter()
            .map(|p| cfg.path(p).display().to_string())
            .collect();
        let reports = ing
            .paths(
                &args,
                |i, n, name| progress("ingest", &format!("{} {}/{} {name}", a.name, i + 1, n)),
                |r| match r {
                    Record::Payment(p) => {
                        if only_year.is_none_or(|y| y == p.financial_year) {
                            out.rows.push(compact(&p, ai, &mut out.strings));
                        }
                    }
                    // A supplier-side file given as payments: its rows are reported, not used.
                    Record::Supplier(_) => {}
                },
                |i| out.issues.push(i),
            )
            .map_err(|source| PipelineError::Input {
                anchor: a.name.clone(),
                source,
            })?;
        out.files.extend(reports);
    }
    Ok(out)
}

/// [`ingest_anchor`] through the cache: each payment file read on its own (or its entry
/// loaded), then the cross-file de-duplication replayed over the files in order, as
/// [`Ingest::paths`] applies it while reading.
fn ingest_anchor_cached(
    cfg: &NetworkConfig,
    ai: u16,
    a: &crate::config::AnchorConfig,
    only_year: Option<FinancialYear>,
    progress: Progress<'_>,
    cache: &IngestCache,
) -> Result<Ingested, PipelineError> {
    let (mapping, settings) = match &a.mapping {
        Some(m) => {
            let path = cfg.path(m);
            let mapping = anchornet_ingest::Mapping::load(&path)?;
            match std::fs::read(&path) {
                Ok(bytes) => (Some(mapping), cache::settings(&a.name, Some(&bytes))),
                // Read a moment ago, unreadable now: no cache for this anchor.
                Err(_) => return ingest_anchor(cfg, ai, a, only_year, progress),
            }
        }
        None => (None, cache::settings(&a.name, None)),
    };
    let input_err = |e: anchornet_ingest::input::InputError| PipelineError::Input {
        anchor: a.name.clone(),
        source: e.into(),
    };
    let args: Vec<String> = a
        .payments
        .iter()
        .map(|p| cfg.path(p).display().to_string())
        .collect();
    let paths = anchornet_ingest::input::expand(&args).map_err(input_err)?;
    // Each file on its own: no duplicates within a file, so every payment is kept and keyed
    // here, and the de-duplication across files is replayed below.
    let alone = Ingest {
        anchor: Some(a.name.clone()),
        mapping,
        keep_duplicates: true,
    };
    let mut out = Ingested {
        rows: Vec::new(),
        strings: Strings::default(),
        issues: Vec::new(),
        files: Vec::new(),
    };
    let mut dedupe = anchornet_ingest::dedupe::Deduper::default();
    let n = paths.len();
    for (i, p) in paths.iter().enumerate() {
        let name = p.to_string_lossy().to_string();
        progress("ingest", &format!("{} {}/{} {name}", a.name, i + 1, n));
        let located = (name != "-")
            .then(|| cache.locate(&name, settings))
            .flatten();
        let entry = match &located {
            Some((at, id)) => match cache.load(at, id) {
                Some(e) => {
                    cache.stats.hits.fetch_add(1, Ordering::Relaxed);
                    e
                }
                None => {
                    cache.stats.misses.fetch_add(1, Ordering::Relaxed);
                    let e = read_alone(&alone, &name).map_err(|source| PipelineError::Input {
                        anchor: a.name.clone(),
                        source,
                    })?;
                    cache.store(at, id, &e);
                    e
                }
            },
            None => read_alone(&alone, &name).map_err(|source| PipelineError::Input {
                anchor: a.name.clone(),
                source,
            })?,
        };
        replay(entry, ai, only_year, &mut out, &mut dedupe);
    }
    Ok(out)
}

/// One payment file read on its own, every payment kept with its de-duplication key.
fn read_alone(ing: &Ingest, name: &str) -> Result<cache::Entry, anchornet_ingest::IngestError> {
    let before = std::cell::Cell::new(0u64);
    let mut strings = Strings::default();
    let mut rows = Vec::new();
    let mut issues = Vec::new();
    let reports = ing.paths(
        &[name.to_string()],
        |_, _, _| {},
        |r| {
            if let Record::Payment(p) = r {
                let key = anchornet_ingest::dedupe::key(&p);
                rows.push((compact(&p, 0, &mut strings), key, p.redacted));
                before.set(before.get() + 1);
            }
        },
        |i| issues.push((before.get(), i)),
    )?;
    Ok(cache::Entry {
        reports,
        strings,
        rows,
        issues,
    })
}

/// An index not yet mapped (see [`replay`]).
const UNSET: u32 = u32::MAX - 1;

/// `i` of `from`, interned in `to` on first use (`m` remembers).
fn lazily(m: &mut [u32], i: u32, from: &Interner, to: &mut Interner) -> u32 {
    if i == NONE {
        return NONE;
    }
    let slot = &mut m[i as usize];
    if *slot == UNSET {
        *slot = to.intern(&from.list[i as usize]);
    }
    *slot
}

/// Add one file's entry to an anchor's ingest, as reading it in turn would have: its
/// issues and payments in file order, a payment that an earlier file already has skipped
/// as a duplicate (and its report corrected), the rest kept if in `only_year`. Strings are
/// interned as the kept rows use them, in their order, so the anchor's tables are exactly
/// those a full read builds.
fn replay(
    e: cache::Entry,
    ai: u16,
    only_year: Option<FinancialYear>,
    out: &mut Ingested,
    dedupe: &mut anchornet_ingest::dedupe::Deduper,
) {
    let cache::Entry {
        mut reports,
        strings: from,
        rows,
        issues,
    } = e;
    let report_of: Vec<Option<usize>> = from
        .files
        .list
        .iter()
        .map(|f| reports.iter().position(|r| &r.file == f))
        .collect();
    let unset = |n: usize| vec![UNSET; n];
    let (mut mf, mut mn, mut mc) = (
        unset(from.files.len()),
        unset(from.names.len()),
        unset(from.categories.len()),
    );
    let (mut mpc, mut mco, mut mids, mut msets) = (
        unset(from.postcodes.len()),
        unset(from.companies.len()),
        unset(from.ids.len()),
        unset(from.id_sets.list.len()),
    );
    let mut dup_in = vec![false; reports.len()];
    let mut kept = vec![true; rows.len()];
    let mut issues = issues.into_iter().peekable();
    let mut table = None;
    for (k, (row, key, payment_redacted)) in rows.iter().enumerate() {
        while let Some((_, i)) = issues.next_if(|(at, _)| *at <= k as u64) {
            out.issues.push(i);
        }
        let file = &from.files.list[row.file as usize];
        if table != Some(row.file) {
            dedupe.begin_file(file);
            table = Some(row.file);
        }
        if let Some(orig) = dedupe.check_key(*key, u64::from(row.line)) {
            // As `Ingest::consume` counts a duplicate.
            if let Some(ri) = report_of[row.file as usize] {
                let rep = &mut reports[ri];
                rep.accepted -= 1;
                rep.total.0 -= row.pence;
                if *payment_redacted {
                    rep.redacted -= 1;
                }
                rep.skipped += 1;
                rep.duplicates += 1;
                *rep.reasons
                    .entry("duplicate of a row in an earlier file".into())
                    .or_default() += 1;
                dup_in[ri] = true;
            }
            out.issues.push(Issue {
                file: file.clone(),
                line: u64::from(row.line),
                column: String::new(),
                value: String::new(),
                problem: format!("duplicate of {orig}"),
                outcome: anchornet_ingest::Outcome::Skipped,
            });
            kept[k] = false;
            continue;
        }
        if only_year.is_some_and(|y| y != row.fy) {
            continue;
        }
        let st = &mut out.strings;
        let ids = if row.ids == NONE {
            NONE
        } else if msets[row.ids as usize] != UNSET {
            msets[row.ids as usize]
        } else {
            // Interned in the order `compact` interns them.
            let x = from.id_sets.get(row.ids);
            let mapped = Ids {
                postcode: lazily(&mut mpc, x.postcode, &from.postcodes, &mut st.postcodes),
                company: lazily(&mut mco, x.company, &from.companies, &mut st.companies),
                supplier_id: lazily(&mut mids, x.supplier_id, &from.ids, &mut st.ids),
                charity: lazily(&mut mids, x.charity, &from.ids, &mut st.ids),
                vat: lazily(&mut mids, x.vat, &from.ids, &mut st.ids),
            };
            let i = st.id_sets.intern(mapped);
            msets[row.ids as usize] = i;
            i
        };
        out.rows.push(Row {
            anchor: ai,
            file: lazily(&mut mf, row.file, &from.files, &mut st.files),
            name: lazily(&mut mn, row.name, &from.names, &mut st.names),
            category: lazily(&mut mc, row.category, &from.categories, &mut st.categories),
            ids,
            ..*row
        });
    }
    out.issues.extend(issues.map(|(_, i)| i));
    // The expense codes seen beside the categories the kept payments use. (A code seen only
    // on a payment skipped as a duplicate is kept too: a duplicate repeats its original's
    // fields, so its category carries the same code.)
    for &(cat, code) in &from.category_code_pairs {
        let c = mc[cat as usize];
        if c != UNSET {
            let st = &mut out.strings;
            let code = st
                .category_codes
                .intern(&from.category_codes.list[code as usize]);
            st.category_code_pairs.insert((c, code));
        }
    }
    // A report that lost duplicates: its first and last dates over the payments it kept.
    for (ri, rep) in reports.iter_mut().enumerate().filter(|(ri, _)| dup_in[*ri]) {
        let dates = rows
            .iter()
            .zip(&kept)
            .filter(|((r, _, _), &k)| k && report_of[r.file as usize] == Some(ri))
            .map(|((r, _, _), _)| r.date);
        rep.first_date = dates.clone().min();
        rep.last_date = dates.max();
    }
    out.files.extend(reports);
}

/// Run the pipeline for a network.
pub fn prepare(
    cfg: &NetworkConfig,
    geo: &GeoIndex,
    only_year: Option<FinancialYear>,
    progress: Progress<'_>,
) -> Result<Prepared, PipelineError> {
    prepare_cached(cfg, geo, only_year, progress, None)
}

/// [`prepare`], reading each payment file through `cache` when one is given: a file whose
/// entry is valid is not read again ([`crate::cache`]). The result is the same either way.
pub fn prepare_cached(
    cfg: &NetworkConfig,
    geo: &GeoIndex,
    only_year: Option<FinancialYear>,
    progress: Progress<'_>,
    cache: Option<&IngestCache>,
) -> Result<Prepared, PipelineError> {
    // Fail on a bad place or rules file before reading any payment file.
    places_and_rules(cfg, geo)?;

    // ingest: anchors in parallel (no payment of one anchor can duplicate another's, so each
    // anchor de-duplicates on its own), results concatenated in anchor order.
    use rayon::prelude::*;
    let per_anchor: Vec<Result<Ingested, PipelineError>> = cfg
        .anchors
        .par_iter()
        .enumerate()
        .map(|(ai, a)| match cache {
            Some(c) => ingest_anchor_cached(cfg, ai as u16, a, only_year, progress, c),
            None => ingest_anchor(cfg, ai as u16, a, only_year, progress),
        })
        .collect();
    let per_anchor: Vec<Ingested> = per_anchor.into_iter().collect::<Result<_, _>>()?;
    if let Some(c) = cache {
        c.prune();
    }
    // The rows are copied into one vector of the exact size, each anchor's freed once
    // copied: no doubling, so the peak is the network's rows plus one anchor's.
    let mut rows: Vec<Row> = Vec::with_capacity(per_anchor.iter().map(|r| r.rows.len()).sum());
    let mut strings = Strings::default();
    let mut issues = Vec::new();
    let mut files = Vec::new();
    for r in per_anchor {
        let remap = strings.absorb(&r.strings);
        rows.extend(r.rows.into_iter().map(|x| remap.row(x)));
        issues.extend(r.issues);
        files.extend(r.files);
    }

    let registers = resolve_step::RegisterFiles {
        files: register_files(cfg),
        ..Default::default()
    };
    finish(
        cfg,
        geo,
        Compact {
            rows,
            strings,
            issues,
            files,
        },
        registers,
        &Decisions::new(),
        progress,
    )
}

/// A network's records already read (from files by [`prepare`], or from a workspace's
/// store): the payments with the index of the anchor that paid each, supplier-side records
/// with the kind of input they came from, and what the reading reported.
#[derive(Default)]
pub struct Inputs {
    /// Payments.
    pub payments: Vec<Payment>,
    /// For each payment, its anchor's index in `cfg.anchors`.
    pub anchor_of: Vec<u16>,
    /// Supplier-side records, each with the kind of source it is (a vendor list or a
    /// contracts register).
    pub suppliers: Vec<(SupplierRecord, SourceKind)>,
    /// Skipped and rejected rows.
    pub issues: Vec<Issue>,
    /// Per-file reconciliation.
    pub files: Vec<FileReport>,
    /// People's decisions beyond the network's overrides file (a workspace's review).
    pub decisions: Decisions,
}

/// Run the pipeline from resolve onwards on records already read. `cfg.anchors` names the
/// anchors (their file lists are not read). The payments are kept in
/// [`Prepared::payments`], parallel to the dataset's transactions.
pub fn prepare_records(
    cfg: &NetworkConfig,
    geo: &GeoIndex,
    inputs: Inputs,
    progress: Progress<'_>,
) -> Result<Prepared, PipelineError> {
    let Inputs {
        payments,
        anchor_of,
        suppliers,
        issues,
        files,
        decisions,
    } = inputs;
    places_and_rules(cfg, geo)?;
    let mut strings = Strings::default();
    let rows = payments
        .iter()
        .zip(&anchor_of)
        .map(|(p, &a)| compact(p, a, &mut strings))
        .collect();
    let registers = resolve_step::RegisterFiles {
        files: Vec::new(),
        vendor_files: suppliers
            .iter()
            .filter(|(_, k)| *k == SourceKind::VendorList)
            .map(|(s, _)| s.source_file.clone())
            .collect(),
        records: suppliers
            .iter()
            .map(|(s, _)| resolve_step::register_record(s))
            .collect(),
    };
    let mut prepared = finish(
        cfg,
        geo,
        Compact {
            rows,
            strings,
            issues,
            files,
        },
        registers,
        &decisions,
        progress,
    )?;
    prepared.payments = payments;
    Ok(prepared)
}

/// Payments read, compact.
struct Compact {
    rows: Vec<Row>,
    strings: Strings,
    issues: Vec<Issue>,
    files: Vec<FileReport>,
}

/// The register files of a network: each anchor's vendor lists and contracts registers (as
/// that anchor's own), then the network's registers.
fn register_files(cfg: &NetworkConfig) -> Vec<resolve_step::RegisterFile> {
    let mut out = Vec::new();
    for a in &cfg.anchors {
        for (f, vendor_list) in a
            .vendors
            .iter()
            .map(|f| (f, true))
            .chain(a.registers.iter().map(|f| (f, false)))
        {
            out.push(resolve_step::RegisterFile {
                path: cfg.path(f),
                anchor: Some(a.name.clone()),
                vendor_list,
            });
        }
    }
    for path in cfg.registers.iter().map(|f| cfg.path(f)) {
        out.push(resolve_step::RegisterFile {
            path,
            anchor: None,
            vendor_list: false,
        });
    }
    out
}

/// One payment as a compact row, its strings interned.
fn compact(p: &Payment, anchor: u16, st: &mut Strings) -> Row {
    let name = p.supplier_name.trim();
    let redacted = p.redacted || name.is_empty();
    let category = st.categories.intern(category_str(p));
    if let Some(code) = proclass_code_of(p) {
        let code = st.category_codes.intern(code.as_str());
        st.category_code_pairs.insert((category, code));
    }
    Row {
        anchor,
        redacted,
        file: st.files.intern(&p.source_file),
        line: p.line.min(u64::from(u32::MAX)) as u32,
        date: p.date,
        fy: p.financial_year,
        pence: p.amount.0,
        name: if redacted {
            NONE
        } else {
            st.names.intern(name)
        },
        category,
        ids: {
            let ids = Ids {
                postcode: st.postcodes.intern_opt(p.supplier_postcode.as_deref()),
                company: st.companies.intern_opt(p.company_number.as_deref()),
                supplier_id: st.ids.intern_opt(p.supplier_id.as_deref()),
                charity: st.ids.intern_opt(p.charity_number.as_deref()),
                vat: st.ids.intern_opt(p.vat_number.as_deref()),
            };
            st.id_sets.intern(ids)
        },
    }
}

/// Resolve, locate, classify and apply the rules to payments already read.
fn finish(
    cfg: &NetworkConfig,
    geo: &GeoIndex,
    read: Compact,
    registers: resolve_step::RegisterFiles,
    extra_decisions: &Decisions,
    progress: Progress<'_>,
) -> Result<Prepared, PipelineError> {
    let Compact {
        rows,
        strings,
        issues,
        files,
    } = read;
    let (local, wider, rules) = places_and_rules(cfg, geo)?;

    // resolve: each distinct payee name is one resolver input carrying its first anchor, its
    // spend and the identifiers the payment files give; registers are linked to entities;
    // people's decisions on which names are one supplier are applied.
    progress("resolve", "supplier names");
    let decisions = load_decisions(cfg, extra_decisions)?;
    let inputs = name_inputs(cfg, &rows, &strings);
    let resolved = resolve_step::resolve_names(&inputs, registers, &decisions)?;
    let resolution = resolved.resolution;

    // suppliers: the register — every entity located and classified with its evidence, and
    // people's decisions on suppliers applied.
    progress("locate", "supplier postcodes");
    let dep = cfg.deprivation;
    let cx = anchornet_suppliers::Context {
        geo,
        local: &local,
        wider: &wider,
        deprivation: dep,
        policy: cfg.suppliers,
        vendor_files: resolved.vendor_files,
    };
    let addresses = payment_addresses(cfg, &rows, &strings);
    let register =
        anchornet_suppliers::build(&resolution, &resolved.records, &addresses, &decisions, &cx);
    let entity_of: Vec<u32> = register.of_name.clone();
    let n_entities = register.suppliers.len();
    let mut infos: Vec<SupplierInfo> = register.suppliers.iter().map(|s| s.info()).collect();
    let mut issues = issues;
    issues.extend(resolved.issues);
    issues.extend(
        decisions
            .issues
            .iter()
            .chain(&register.decision_issues)
            .map(|d| Issue {
                file: d.file.clone(),
                line: d.line,
                column: "name".into(),
                value: d.value.clone(),
                problem: d.problem.clone(),
                outcome: anchornet_ingest::Outcome::Rejected,
            }),
    );
    let unplaced = register.unplaced.clone();

    // categories and rules
    progress("classify", "rules and categories");
    let categories: Vec<String> = strings.categories.list.clone();
    let mut category_codes: Vec<Vec<String>> = vec![Vec::new(); categories.len()];
    for &(cat, code) in &strings.category_code_pairs {
        if let (Some(v), Some(code)) = (
            category_codes.get_mut(cat as usize),
            strings.category_codes.get(code),
        ) {
            v.push(code.to_string());
        }
    }
    for v in &mut category_codes {
        v.sort_unstable();
    }
    let cat_words: Vec<Vec<String>> = categories.iter().map(|c| words(c)).collect();
    let name_words: Vec<Vec<String>> = infos.iter().map(|i| words(&i.name)).collect();
    let kind_labels: Vec<String> = infos.iter().map(|i| i.kind.label()).collect();
    let redacted_entity = infos.len() as u32;
    // The rule depends only on (supplier, category): decide each pair once.
    let mut decided: FxHashMap<(u32, u32), Option<u16>> = FxHashMap::default();
    let mut txns = Vec::with_capacity(rows.len());
    for r in &rows {
        let supplier = if r.name == NONE {
            redacted_entity
        } else {
            entity_of[r.name as usize]
        };
        let excluded_by = *decided.entry((supplier, r.category)).or_insert_with(|| {
            if supplier == redacted_entity {
                rules.first_match(true, "redacted", &[], &[])
            } else {
                let s = supplier as usize;
                rules.first_match(
                    false,
                    &kind_labels[s],
                    &name_words[s],
                    &cat_words[r.category as usize],
                )
            }
        });
        txns.push(Txn {
            anchor: r.anchor,
            supplier,
            category: r.category,
            date: r.date,
            fy: r.fy,
            pence: r.pence,
            excluded_by,
        });
    }
    // One pseudo-supplier stands for every redacted or unnamed recipient.
    infos.push(SupplierInfo {
        name: "Redacted recipients (personal data)".into(),
        kind: Kind::Individual,
        individual: true,
        redacted: true,
        evidence: vec!["the anchor withheld the recipient's name".into()],
        ..Default::default()
    });

    // Payments and pence per supplier first (one array update per payment), then per
    // location source (one map update per supplier).
    let mut by_supplier = vec![(0u64, 0i64); infos.len()];
    for t in &txns {
        let e = &mut by_supplier[t.supplier as usize];
        e.0 += 1;
        e.1 += t.pence;
    }
    let mut by_source: HashMap<Option<SourceKind>, (u64, i64)> = HashMap::new();
    for (info, &(n, p)) in infos.iter().zip(&by_supplier).filter(|(_, x)| x.0 > 0) {
        let e = by_source
            .entry(info.location.as_ref().map(|l| l.source))
            .or_default();
        e.0 += n;
        e.1 += p;
    }
    let mut location_sources: Vec<(String, u64, i64)> = by_source
        .into_iter()
        .map(|(k, (n, p))| {
            (
                k.map_or("not located", SourceKind::describe).to_string(),
                n,
                p,
            )
        })
        .collect();
    location_sources.sort_by_key(|s| std::cmp::Reverse(s.2));

    let quality = Quality {
        issues: issues.len() as u64,
        files,
        supplier_names: resolution.names.len() as u64,
        entities: n_entities as u64,
        location_sources,
        unplaced_postcodes: unplaced,
        decisions: decisions.items.len() as u64,
        head_office_flags: infos
            .iter()
            .filter(|i| i.location.as_ref().is_some_and(|l| l.head_office))
            .count() as u64,
        rules: format!("{} (version {})", rules.source, rules.version),
        register_files: resolved.files,
        register_links: {
            let mut by: std::collections::BTreeMap<String, u64> = Default::default();
            for l in &resolution.register_links {
                *by.entry(format!("{:?}", l.matched).to_lowercase())
                    .or_default() += 1;
            }
            by.into_iter().collect()
        },
        review: resolution.review.len() as u64,
    };
    let dataset = Dataset {
        network: NetworkInfo {
            name: cfg.name.clone(),
            local_place: local.name.clone(),
            wider_place: wider.name.clone(),
            deprivation: dep.label().to_string(),
        },
        anchors: cfg
            .anchors
            .iter()
            .map(|a| AnchorInfo {
                name: a.name.clone(),
                kind: a.kind.label().to_string(),
            })
            .collect(),
        categories,
        category_codes,
        suppliers: infos,
        rules: rules.infos(),
        txns,
    };
    Ok(Prepared {
        dataset,
        quality,
        issues,
        resolution,
        register,
        decisions,
        rows,
        payments: Vec::new(),
        strings,
        local,
        wider,
    })
}

/// The network's decisions: its overrides file, then `extra` (a workspace's review
/// decisions) — the same typed list on every path.
fn load_decisions(cfg: &NetworkConfig, extra: &Decisions) -> Result<Decisions, PipelineError> {
    let mut d = match &cfg.overrides {
        Some(o) => Decisions::load(&cfg.path(o))?,
        None => Decisions::new(),
    };
    d.items.extend(extra.items.iter().cloned());
    d.issues.extend(extra.issues.iter().cloned());
    Ok(d)
}

/// One resolver input per distinct payee name: its first anchor, its spend, and the first
/// identifiers (company, charity and VAT numbers, the anchor's supplier id) the payment
/// files give for it.
fn name_inputs(
    cfg: &NetworkConfig,
    rows: &[Row],
    strings: &Strings,
) -> Vec<anchornet_resolve::NameInput> {
    let n = strings.names.len();
    let mut inputs: Vec<anchornet_resolve::NameInput> = strings
        .names
        .list
        .iter()
        .map(|name| anchornet_resolve::NameInput::new(name.as_str()))
        .collect();
    let mut seen = vec![false; n];
    let first = |field: &mut Option<String>, i: u32, from: &Interner| {
        if field.is_none() && i != NONE {
            *field = from.get(i).map(str::to_string);
        }
    };
    for r in rows.iter().filter(|r| r.name != NONE) {
        let x = &mut inputs[r.name as usize];
        if !seen[r.name as usize] {
            seen[r.name as usize] = true;
            x.anchor = Some(cfg.anchors[r.anchor as usize].name.clone());
        }
        x.spend.0 += r.pence;
        x.rows += 1;
        if r.ids != NONE {
            let ids = strings.ids_of(r);
            first(&mut x.company_number, ids.company, &strings.companies);
            first(&mut x.supplier_id, ids.supplier_id, &strings.ids);
            first(&mut x.charity_number, ids.charity, &strings.ids);
            first(&mut x.vat_number, ids.vat, &strings.ids);
        }
    }
    for x in inputs.iter_mut().filter(|x| x.anchor.is_none()) {
        x.anchor = cfg.anchors.first().map(|a| a.name.clone());
    }
    inputs
}

/// The supplier addresses the payment rows give: per (name, postcode), the anchor, where it
/// was first seen, how often and the latest date; most-given first.
fn payment_addresses(cfg: &NetworkConfig, rows: &[Row], strings: &Strings) -> Vec<PaymentAddress> {
    let mut by: FxHashMap<(u32, u32), PaymentAddress> = FxHashMap::default();
    for r in rows.iter().filter(|r| r.name != NONE && r.ids != NONE) {
        let postcode = strings.ids_of(r).postcode;
        if postcode == NONE {
            continue;
        }
        let a = by
            .entry((r.name, postcode))
            .or_insert_with(|| PaymentAddress {
                name: r.name as usize,
                postcode: strings
                    .postcodes
                    .get(postcode)
                    .unwrap_or_default()
                    .to_string(),
                anchor: cfg.anchors[r.anchor as usize].name.clone(),
                file: strings.files.get(r.file).unwrap_or_default().to_string(),
                line: u64::from(r.line),
                rows: 0,
                date: r.date,
            });
        a.rows += 1;
        a.date = a.date.max(r.date);
    }
    let mut out: Vec<PaymentAddress> = by.into_values().collect();
    out.sort_by(|a, b| {
        b.rows
            .cmp(&a.rows)
            .then(a.name.cmp(&b.name))
            .then(a.postcode.cmp(&b.postcode))
    });
    out
}

/// The network's local and wider places and its rules.
pub fn places_and_rules(
    cfg: &NetworkConfig,
    geo: &GeoIndex,
) -> Result<(Place, Place, Rules), PipelineError> {
    let mut places = Places::builtin(geo);
    if let Some(p) = &cfg.places {
        let path = cfg.path(p);
        let text = std::fs::read_to_string(&path).map_err(|source| PipelineError::PlacesFile {
            path: path.display().to_string(),
            source,
        })?;
        places
            .add_toml(geo, &text)
            .map_err(|source| PipelineError::Places {
                path: path.display().to_string(),
                source,
            })?;
    }
    let local = places
        .get(&cfg.local_place)
        .cloned()
        .ok_or_else(|| PipelineError::UnknownPlace(cfg.local_place.clone()))?;
    let wider = places
        .get(&cfg.wider_place)
        .cloned()
        .ok_or_else(|| PipelineError::UnknownPlace(cfg.wider_place.clone()))?;
    let rules = match &cfg.rules {
        Some(r) => Rules::load(&cfg.path(r))?,
        None => Rules::builtin(),
    };
    Ok((local, wider, rules))
}

/// The category a payment is analysed under: its procurement category (ProClass etc.), else
/// its expense type, else its expense code, else `Uncategorised`.
pub fn category_of(p: &Payment) -> String {
    category_str(p).to_string()
}

/// The ProClass code a payment gives: its own [`Payment::proclass_code`], read by ingest
/// only from a column the file names as ProClass and whose values are ProClass codes (the
/// `proclass_code` role, docs/ingest.md) — never an expense or ledger code taken for one by
/// its shape. The categories paid under it ([`Strings::category_code_pairs`]) are what the
/// hub's matching fits an opportunity's ProClass code to.
pub fn proclass_code_of(p: &Payment) -> Option<ProclassCode> {
    p.proclass_code
}

/// [`category_of`], borrowed from the payment.
fn category_str(p: &Payment) -> &str {
    [&p.procurement_category, &p.expense_type, &p.expense_code]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .find(|s| !s.is_empty())
        .unwrap_or("Uncategorised")
}
