//! The pipeline from a network file to a [`Dataset`]: ingest → resolve → locate → classify →
//! rules. Every input row is accounted for in the file reports; every supplier's location and
//! classification keeps its evidence.

use std::collections::HashMap;

use anchornet_core::{FinancialYear, Payment, Postcode};
use anchornet_geo::{GeoIndex, Place, Places};
use anchornet_ingest::rows::SupplierRecord;
use anchornet_ingest::{FileReport, Ingest, Issue, Record};
use anchornet_metrics::{AnchorInfo, Dataset, Location, NetworkInfo, SupplierInfo, Txn};

use crate::config::{Deprivation, NetworkConfig};
use crate::resolve_step::{resolve_names, NameIn, Resolved};
use crate::rules::{words, Rules};

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
}

/// A network ready to measure.
pub struct Prepared {
    /// The metrics' input.
    pub dataset: Dataset,
    /// The data-quality facts.
    pub quality: Quality,
    /// Every skipped or rejected row (file, line, column, value, problem).
    pub issues: Vec<Issue>,
    /// The resolved payments (for the Parquet export), parallel to `dataset.txns`.
    pub payments: Vec<Payment>,
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

/// Progress callback: (stage, detail).
pub type Progress<'a> = &'a mut dyn FnMut(&str, &str);

/// Supplier-side evidence gathered per distinct name, in precedence order of source.
#[derive(Default)]
struct Evidence {
    /// (postcode, source label, head office?) candidates.
    postcodes: Vec<(String, String, bool)>,
    sme: Option<(bool, String)>,
    company_number: Option<String>,
    charity_number: Option<String>,
}

/// Location evidence precedence (DESIGN.md): the anchor's own vendor/trading address first,
/// then a contracts register or OCDS party address, then a registered office.
const SOURCE_RANK: [&str; 4] = [
    "payment file (the anchor's vendor address)",
    "vendor list",
    "contracts register",
    "registered office",
];

fn rank(source: &str) -> usize {
    SOURCE_RANK
        .iter()
        .position(|s| source.starts_with(s))
        .unwrap_or(SOURCE_RANK.len())
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

    // ingest
    let mut payments: Vec<Payment> = Vec::new();
    let mut anchor_of: Vec<u16> = Vec::new();
    let mut suppliers: Vec<(SupplierRecord, &'static str)> = Vec::new();
    let mut issues = Vec::new();
    let mut files = Vec::new();
    for (ai, a) in cfg.anchors.iter().enumerate() {
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
        for (list, label) in [
            (&a.payments, "payment"),
            (&a.vendors, "vendor list"),
            (&a.registers, "contracts register"),
        ] {
            if list.is_empty() {
                continue;
            }
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
                                payments.push(*p);
                                anchor_of.push(ai as u16);
                            }
                        }
                        Record::Supplier(s) => suppliers.push((*s, label)),
                    },
                    |i| issues.push(i),
                )
                .map_err(|e| PipelineError::Input {
                    anchor: a.name.clone(),
                    message: e.to_string(),
                })?;
            files.extend(reports);
        }
    }

    prepare_records(
        cfg,
        geo,
        Inputs {
            payments,
            anchor_of,
            suppliers,
            issues,
            files,
        },
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
/// anchors (their file lists are not read).
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
    let (local, wider, rules) = places_and_rules(cfg, geo)?;

    // resolve: every distinct supplier name, from payments and supplier-side records
    progress("resolve", "supplier names");
    let mut name_ix: HashMap<String, usize> = HashMap::new();
    let mut names: Vec<NameIn> = Vec::new();
    let mut intern = |name: &str, anchor: &str, pence: i64, company: Option<&str>| -> usize {
        let i = *name_ix.entry(name.to_string()).or_insert_with(|| {
            names.push(NameIn {
                name: name.to_string(),
                anchor: anchor.to_string(),
                pence: 0,
                company_number: None,
            });
            names.len() - 1
        });
        names[i].pence += pence;
        if names[i].company_number.is_none() {
            names[i].company_number = company.map(str::to_string);
        }
        i
    };
    let pay_name: Vec<Option<usize>> = payments
        .iter()
        .zip(&anchor_of)
        .map(|(p, &a)| {
            (!p.redacted && !p.supplier_name.trim().is_empty()).then(|| {
                intern(
                    p.supplier_name.trim(),
                    &cfg.anchors[a as usize].name,
                    p.amount.0,
                    p.company_number.as_deref(),
                )
            })
        })
        .collect();
    let sup_name: Vec<usize> = suppliers
        .iter()
        .map(|(s, _)| intern(s.name.trim(), &s.anchor, 0, s.company_number.as_deref()))
        .collect();
    let resolved: Vec<Resolved> = resolve_names(&names);

    // evidence per entity
    let n_entities = resolved.iter().map(|r| r.entity + 1).max().unwrap_or(0) as usize;
    let mut ev: Vec<Evidence> = (0..n_entities).map(|_| Evidence::default()).collect();
    for (p, n) in payments.iter().zip(&pay_name) {
        if let (Some(n), Some(pc)) = (n, &p.supplier_postcode) {
            ev[resolved[*n].entity as usize].postcodes.push((
                pc.clone(),
                format!("{} ({})", SOURCE_RANK[0], p.anchor),
                false,
            ));
        }
    }
    for ((s, label), &n) in suppliers.iter().zip(&sup_name) {
        let e = &mut ev[resolved[n].entity as usize];
        if let Some(pc) = &s.postcode {
            e.postcodes
                .push((pc.clone(), format!("{label} ({})", s.source_file), false));
        }
        if let (Some(sme), None) = (s.sme, &e.sme) {
            e.sme = Some((sme, format!("{label} ({}, line {})", s.source_file, s.line)));
        }
        if e.company_number.is_none() {
            e.company_number = s.company_number.clone();
        }
        if e.charity_number.is_none() {
            e.charity_number = s.charity_number.clone();
        }
    }

    // locate and classify
    progress("locate", "supplier postcodes");
    let dep = cfg.deprivation;
    let mut unplaced = Vec::new();
    let mut infos: Vec<SupplierInfo> = Vec::with_capacity(n_entities);
    let mut canonical: Vec<Option<&Resolved>> = vec![None; n_entities];
    for r in &resolved {
        let c = &mut canonical[r.entity as usize];
        if c.is_none() {
            *c = Some(r);
        }
    }
    for (e, evidence) in ev.iter_mut().enumerate() {
        let r = canonical[e].expect("every entity has a name");
        evidence.postcodes.sort_by_key(|(_, src, _)| rank(src));
        let mut info = SupplierInfo {
            name: r.canonical.clone(),
            kind: r.kind.clone(),
            individual: r.kind == "individual",
            evidence: r.evidence.clone(),
            ..Default::default()
        };
        for (pc, src, head_office) in &evidence.postcodes {
            match locate(geo, pc, src, *head_office, dep, &local, &wider) {
                Ok(loc) => {
                    info.evidence.push(format!(
                        "located in {} ({}): postcode {} from {src}",
                        loc.lad_name,
                        if loc.local {
                            "local"
                        } else if loc.wider {
                            "wider place"
                        } else {
                            "outside"
                        },
                        loc.postcode
                    ));
                    info.location = Some(loc);
                    break;
                }
                Err(why) => unplaced.push((pc.clone(), why)),
            }
        }
        if let Some((sme, src)) = &evidence.sme {
            info.sme = Some(*sme);
            info.evidence.push(format!(
                "{} declared in {src}",
                if *sme { "SME" } else { "not an SME" }
            ));
        }
        info.vcse = vcse_of(&info.kind);
        infos.push(info);
    }

    // categories and rules
    progress("classify", "rules and categories");
    let mut cat_ix: HashMap<String, u32> = HashMap::new();
    let mut categories: Vec<String> = Vec::new();
    let mut name_words: HashMap<u32, Vec<String>> = HashMap::new();
    let infos_ref = &infos;
    let redacted_entity = infos.len() as u32;
    let mut txns = Vec::with_capacity(payments.len());
    for ((p, n), &a) in payments.iter().zip(&pay_name).zip(&anchor_of) {
        let cat = category_of(p);
        let next = categories.len() as u32;
        let c = *cat_ix.entry(cat.clone()).or_insert_with(|| {
            categories.push(cat.clone());
            next
        });
        let (supplier, kind) = match n {
            Some(n) => {
                let e = resolved[*n].entity;
                (e, infos_ref[e as usize].kind.as_str())
            }
            None => (redacted_entity, "redacted"),
        };
        let nw = name_words
            .entry(supplier)
            .or_insert_with(|| match n {
                Some(_) => words(&infos_ref[supplier as usize].name),
                None => Vec::new(),
            })
            .clone();
        let excluded_by = rules.first_match(n.is_none(), kind, &nw, &words(&cat));
        txns.push(Txn {
            anchor: a,
            supplier,
            category: c,
            date: p.date,
            fy: p.financial_year,
            pence: p.amount.0,
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
        supplier_names: names.len() as u64,
        entities: n_entities as u64,
        location_sources,
        unplaced_postcodes: unplaced,
        head_office_flags: infos
            .iter()
            .filter(|i| i.location.as_ref().is_some_and(|l| l.head_office))
            .count() as u64,
        rules: format!("{} (version {})", rules.source, rules.version),
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
        payments,
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

/// Whether a supplier kind is part of the social economy: `Some(true)` for charities, CIOs,
/// CICs, co-operatives and community benefit societies; `Some(false)` for kinds known not to
/// be (companies limited by shares, PLCs, LLPs, public bodies, individuals); `None` otherwise.
pub fn vcse_of(kind: &str) -> Option<bool> {
    let k = kind.split(':').next().unwrap_or(kind);
    match k {
        "charity" | "cio" | "cic" | "cooperative" | "community_benefit_society" => Some(true),
        "company" | "plc" | "llp" | "public_body" | "individual" => Some(false),
        _ => None,
    }
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
