//! The pipeline from a network file to a [`Dataset`]: ingest → resolve → locate → classify →
//! rules. Every input row is accounted for in the file reports; every supplier's location and
//! classification keeps its evidence.

use std::collections::HashMap;

use anchornet_core::{FinancialYear, Payment, Postcode};
use anchornet_geo::{GeoIndex, Place, Places};
use anchornet_ingest::{FileReport, Ingest, Issue, Record, SupplierRecord};
use anchornet_metrics::{AnchorInfo, Dataset, Location, NetworkInfo, SupplierInfo, Txn};

use crate::config::{Deprivation, NetworkConfig};
use crate::resolve_step;
use crate::rules::{words, Rules};
use anchornet_resolve::{Kind, RegisterKind, Sme};

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
    /// Register files linked, with the rows kept from each.
    pub register_files: Vec<(String, usize)>,
    /// Register records linked to entities, by how (`identifier`, `exact_name`, `fuzzy_name`).
    pub register_links: Vec<(String, u64)>,
    /// Uncertain supplier links a person should review.
    pub review: u64,
}

/// A network ready to measure.
pub struct Prepared {
    /// The metrics' input.
    pub dataset: Dataset,
    /// The data-quality facts.
    pub quality: Quality,
    /// The supplier resolution (entities, links, register links, review list).
    pub resolution: anchornet_resolve::Resolution,
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

/// Why a network could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// A place name that is not known.
    #[error("unknown place `{0}` (see `anchornet geo places`)")]
    UnknownPlace(String),
    /// Inputs could not be listed.
    #[error("{anchor}: {message}")]
    Input {
        /// Anchor.
        anchor: String,
        /// What went wrong.
        message: String,
    },
    /// Rules or places file.
    #[error("{0}")]
    Config(String),
}

/// Progress callback: (stage, detail); called from several threads.
pub type Progress<'a> = &'a (dyn Fn(&str, &str) + Sync);

/// Location evidence precedence (DESIGN.md): the anchor's own vendor/trading address first,
/// then a contracts register or OCDS party address, then a registered office.
const SOURCE_RANK: [&str; 4] = [
    "payment file (the anchor's vendor address)",
    "vendor list",
    "contracts register or supplier list",
    "Companies House registered office",
];

/// How a register fact is described as a location source.
fn register_source(f: &anchornet_resolve::Fact) -> &'static str {
    match f.register {
        RegisterKind::SupplierList => SOURCE_RANK[2],
        RegisterKind::Ocds => "OCDS party address",
        RegisterKind::CompaniesHouse | RegisterKind::CompaniesHouseSearch => SOURCE_RANK[3],
        RegisterKind::CharityCommission => "charity register address",
    }
}

/// A registered office may be far from where the work is done (the head-office effect).
fn is_registered_office(r: RegisterKind) -> bool {
    matches!(
        r,
        RegisterKind::CompaniesHouse | RegisterKind::CompaniesHouseSearch
    )
}

/// Interned strings: each distinct value stored once, rows hold its index.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    ix: HashMap<String, u32>,
    list: Vec<String>,
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

/// The network's interned strings.
#[derive(Debug, Default, Clone)]
pub struct Strings {
    /// Source files.
    pub files: Interner,
    /// Supplier names as written (trimmed).
    pub names: Interner,
    /// Categories (see [`category_of`]).
    pub categories: Interner,
    /// Supplier postcodes given in payment files.
    pub postcodes: Interner,
    /// Company numbers given in payment files.
    pub companies: Interner,
}

/// One accepted payment, compact (about 48 bytes, so a national-scale network fits in memory);
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
    /// Supplier postcode from the payment file ([`NONE`] when not given).
    pub postcode: u32,
    /// Company number from the payment file ([`NONE`] when not given).
    pub company: u32,
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
        Some(m) => Some(
            anchornet_ingest::Mapping::load(&cfg.path(m))
                .map_err(|e| PipelineError::Config(e.to_string()))?,
        ),
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
            .map_err(|e| PipelineError::Input {
                anchor: a.name.clone(),
                message: e.to_string(),
            })?;
        out.files.extend(reports);
    }
    Ok(out)
}

/// Run the pipeline for a network.
pub fn prepare(
    cfg: &NetworkConfig,
    geo: &GeoIndex,
    only_year: Option<FinancialYear>,
    progress: Progress<'_>,
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
        .map(|(ai, a)| ingest_anchor(cfg, ai as u16, a, only_year, progress))
        .collect();
    let mut rows: Vec<Row> = Vec::new();
    let mut strings = Strings::default();
    let mut issues = Vec::new();
    let mut files = Vec::new();
    for r in per_anchor {
        let r = r?;
        let map = |m: &[u32], i: u32| if i == NONE { NONE } else { m[i as usize] };
        let f = strings.files.absorb(&r.strings.files);
        let n = strings.names.absorb(&r.strings.names);
        let c = strings.categories.absorb(&r.strings.categories);
        let pc = strings.postcodes.absorb(&r.strings.postcodes);
        let co = strings.companies.absorb(&r.strings.companies);
        rows.extend(r.rows.into_iter().map(|x| Row {
            file: map(&f, x.file),
            name: map(&n, x.name),
            category: map(&c, x.category),
            postcode: map(&pc, x.postcode),
            company: map(&co, x.company),
            ..x
        }));
        issues.extend(r.issues);
        files.extend(r.files);
    }

    let registers = resolve_step::RegisterFiles {
        files: register_files(cfg),
        records: Vec::new(),
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
    /// Supplier-side records, each with its input kind (`vendor list`, `contracts register`).
    pub suppliers: Vec<(SupplierRecord, &'static str)>,
    /// Skipped and rejected rows.
    pub issues: Vec<Issue>,
    /// Per-file reconciliation.
    pub files: Vec<FileReport>,
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
fn register_files(cfg: &NetworkConfig) -> Vec<(std::path::PathBuf, Option<String>)> {
    let mut out = Vec::new();
    for a in &cfg.anchors {
        for f in a.vendors.iter().chain(&a.registers) {
            out.push((cfg.path(f), Some(a.name.clone())));
        }
    }
    for f in &cfg.registers {
        out.push((cfg.path(f), None));
    }
    out
}

/// One payment as a compact row, its strings interned.
fn compact(p: &Payment, anchor: u16, st: &mut Strings) -> Row {
    let name = p.supplier_name.trim();
    let redacted = p.redacted || name.is_empty();
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
        category: st.categories.intern(&category_of(p)),
        postcode: st.postcodes.intern_opt(p.supplier_postcode.as_deref()),
        company: st.companies.intern_opt(p.company_number.as_deref()),
    }
}

/// Resolve, locate, classify and apply the rules to payments already read.
fn finish(
    cfg: &NetworkConfig,
    geo: &GeoIndex,
    read: Compact,
    registers: resolve_step::RegisterFiles,
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
    // spend and any company number the payment files give; registers are linked to entities.
    progress("resolve", "supplier names");
    let mut first_anchor: Vec<Option<u16>> = vec![None; strings.names.len()];
    let mut spend: Vec<i64> = vec![0; strings.names.len()];
    let mut company: Vec<u32> = vec![NONE; strings.names.len()];
    for r in rows.iter().filter(|r| r.name != NONE) {
        let n = r.name as usize;
        first_anchor[n].get_or_insert(r.anchor);
        spend[n] += r.pence;
        if company[n] == NONE {
            company[n] = r.company;
        }
    }
    let inputs: Vec<anchornet_resolve::NameInput> = strings
        .names
        .list
        .iter()
        .enumerate()
        .map(|(i, n)| {
            resolve_step::input(
                n,
                &cfg.anchors[first_anchor[i].unwrap_or(0) as usize].name,
                spend[i],
                strings.companies.get(company[i]),
            )
        })
        .collect();
    let (resolution, register_files) = resolve_step::resolve_names(
        &inputs,
        registers,
        cfg.overrides.as_ref().map(|o| cfg.path(o)).as_deref(),
    )?;
    let entity_of: Vec<u32> = resolution.names.iter().map(|n| n.entity as u32).collect();
    let n_entities = resolution.entities.len();

    // The anchor's own address for a supplier: the postcode its payment rows give most often.
    let mut pay_pc: HashMap<(u32, u32), (u64, u16)> = HashMap::new();
    for r in rows.iter().filter(|r| r.name != NONE && r.postcode != NONE) {
        pay_pc
            .entry((entity_of[r.name as usize], r.postcode))
            .or_insert((0, r.anchor))
            .0 += 1;
    }
    let mut pay_pc: Vec<((u32, u32), (u64, u16))> = pay_pc.into_iter().collect();
    pay_pc.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    // Location candidates per entity: (postcode, source, where exactly, registered office?).
    type Candidate = (String, &'static str, String, bool);
    let mut candidates: Vec<Vec<Candidate>> = vec![Vec::new(); n_entities];
    for ((entity, pc), (_, anchor)) in pay_pc {
        candidates[entity as usize].push((
            strings.postcodes.get(pc).unwrap_or_default().to_string(),
            SOURCE_RANK[0],
            format!("{}'s payment files", cfg.anchors[anchor as usize].name),
            false,
        ));
    }

    // locate and classify
    progress("locate", "supplier postcodes");
    let dep = cfg.deprivation;
    let mut unplaced = Vec::new();
    let mut infos: Vec<SupplierInfo> = Vec::with_capacity(n_entities);
    for (e, mut cands) in resolution.entities.iter().zip(candidates) {
        let facts = &e.facts;
        for f in facts.postcode.iter().chain(&facts.other_postcodes) {
            cands.push((
                f.value.clone(),
                register_source(f),
                format!("{}, record \"{}\"", f.source, f.record_name),
                is_registered_office(f.register),
            ));
        }
        let mut info = SupplierInfo {
            name: e.canonical_name.clone(),
            kind: e.kind.label(),
            individual: e.kind == Kind::Individual,
            vcse: match e.kind {
                Kind::Unknown => None,
                k => Some(k.is_vcse()),
            },
            sme: match facts.sme {
                Sme::Yes => Some(true),
                Sme::No => Some(false),
                Sme::Unknown => None,
            },
            evidence: e
                .kind_evidence
                .iter()
                .map(|k| format!("{}: {} ({})", e.kind.label(), k.detail, k.source))
                .collect(),
            ..Default::default()
        };
        if let (Some(sme), Some(src)) = (info.sme, &facts.sme_source) {
            info.evidence.push(format!(
                "{} according to {}",
                if sme { "SME" } else { "not an SME" },
                src.source
            ));
        }
        for (pc, src, detail, head_office) in &cands {
            match locate(geo, pc, src, *head_office, dep, &local, &wider) {
                Ok(loc) => {
                    info.evidence.push(format!(
                        "located in {} ({}): postcode {} from the {src} ({detail}){}",
                        loc.lad_name,
                        if loc.local {
                            "local"
                        } else if loc.wider {
                            "wider place"
                        } else {
                            "outside"
                        },
                        loc.postcode,
                        if loc.head_office {
                            " — a registered office, which may not be where the work is done"
                        } else {
                            ""
                        }
                    ));
                    info.location = Some(loc);
                    break;
                }
                Err(why) => unplaced.push((pc.clone(), why)),
            }
        }
        infos.push(info);
    }

    // categories and rules
    progress("classify", "rules and categories");
    let categories: Vec<String> = strings.categories.list.clone();
    let cat_words: Vec<Vec<String>> = categories.iter().map(|c| words(c)).collect();
    let name_words: Vec<Vec<String>> = infos.iter().map(|i| words(&i.name)).collect();
    let redacted_entity = infos.len() as u32;
    // The rule depends only on (supplier, category): decide each pair once.
    let mut decided: HashMap<(u32, u32), Option<u16>> = HashMap::new();
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
                    &infos[s].kind,
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
        kind: "redacted".into(),
        individual: true,
        evidence: vec!["the anchor withheld the recipient's name".into()],
        ..Default::default()
    });

    let mut by_source: HashMap<String, (u64, i64)> = HashMap::new();
    for t in &txns {
        let src = match &infos[t.supplier as usize].location {
            Some(l) => SOURCE_RANK
                .iter()
                .find(|s| l.source.starts_with(**s))
                .map(|s| s.to_string())
                .unwrap_or_else(|| l.source.clone()),
            None => "not located".to_string(),
        };
        let e = by_source.entry(src).or_default();
        e.0 += 1;
        e.1 += t.pence;
    }
    let mut location_sources: Vec<(String, u64, i64)> =
        by_source.into_iter().map(|(k, (n, p))| (k, n, p)).collect();
    location_sources.sort_by_key(|s| std::cmp::Reverse(s.2));
    unplaced.sort();
    unplaced.dedup();

    let quality = Quality {
        issues: issues.len() as u64,
        files,
        supplier_names: resolution.names.len() as u64,
        entities: n_entities as u64,
        location_sources,
        unplaced_postcodes: unplaced,
        head_office_flags: infos
            .iter()
            .filter(|i| i.location.as_ref().is_some_and(|l| l.head_office))
            .count() as u64,
        rules: format!("{} (version {})", rules.source, rules.version),
        register_files,
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
        suppliers: infos,
        rules: rules.infos(),
        txns,
    };
    Ok(Prepared {
        dataset,
        quality,
        issues,
        resolution,
        rows,
        payments: Vec::new(),
        strings,
        local,
        wider,
    })
}

/// The network's local and wider places and its rules.
fn places_and_rules(
    cfg: &NetworkConfig,
    geo: &GeoIndex,
) -> Result<(Place, Place, Rules), PipelineError> {
    let mut places = Places::builtin(geo);
    if let Some(p) = &cfg.places {
        let path = cfg.path(p);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| PipelineError::Config(format!("{}: {e}", path.display())))?;
        places
            .add_toml(geo, &text)
            .map_err(|e| PipelineError::Config(format!("{}: {e}", path.display())))?;
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
        Some(r) => Rules::load(&cfg.path(r)).map_err(|e| PipelineError::Config(e.to_string()))?,
        None => Rules::builtin(),
    };
    Ok((local, wider, rules))
}

/// The category a payment is analysed under: its procurement category (ProClass etc.), else
/// its expense type, else its expense code, else `Uncategorised`.
pub fn category_of(p: &Payment) -> String {
    [&p.procurement_category, &p.expense_type, &p.expense_code]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .find(|s| !s.is_empty())
        .unwrap_or("Uncategorised")
        .to_string()
}

fn locate(
    geo: &GeoIndex,
    postcode: &str,
    source: &str,
    head_office: bool,
    dep: Deprivation,
    local: &Place,
    wider: &Place,
) -> Result<Location, String> {
    let pc = Postcode::parse(postcode).map_err(|e| e.to_string())?;
    let l = geo
        .lookup(&pc)
        .ok_or_else(|| format!("unknown postcode: {}", geo.why_unknown(&pc)))?;
    let lad = l.lad.ok_or("the postcode has no district")?;
    let (lsoa, decile) = match dep {
        Deprivation::Iod2025 => (
            l.lsoa21.map(|a| a.code.to_string()),
            l.iod2025.as_ref().map(|i| i.decile),
        ),
        Deprivation::Imd2019 => (
            l.lsoa11.map(|a| a.code.to_string()),
            l.imd2019.as_ref().map(|i| i.decile),
        ),
    };
    Ok(Location {
        postcode: pc.as_str().to_string(),
        source: source.to_string(),
        lad: lad.code.to_string(),
        lad_name: lad.name.unwrap_or("").to_string(),
        ward: l.ward.map(|w| w.code.to_string()),
        ward_name: l.ward.and_then(|w| w.name.map(str::to_string)),
        lsoa,
        decile,
        lat: l.lat,
        long: l.long,
        local: local.contains(&l),
        wider: wider.contains(&l),
        head_office,
    })
}
