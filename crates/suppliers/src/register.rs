//! The register's types and [`build`]: resolved entities plus every piece of evidence into
//! one typed row per supplier.

use std::collections::HashSet;

use anchornet_core::{Kind, LocationKind, PaymentDate, Pence, Size, SourceKind};
use anchornet_metrics::{Location, SupplierInfo};
use anchornet_resolve::{Identifiers, KindEvidence, RegisterKind, RegisterRecord, Resolution, Sme};
use serde::Serialize;

use crate::decisions::{Action, DecisionIssue, Decisions};
use crate::locate::{place, Context};

/// A supplier address given in an anchor's payment rows: the distinct name it was given for
/// (its index in the resolution's names), and where it was first seen.
#[derive(Debug, Clone)]
pub struct PaymentAddress {
    /// Index into [`Resolution::names`].
    pub name: usize,
    /// The postcode as written.
    pub postcode: String,
    /// The anchor whose file it is.
    pub anchor: String,
    /// The file.
    pub file: String,
    /// The first line it was seen on.
    pub line: u64,
    /// Payment rows giving it.
    pub rows: u64,
    /// The latest payment date giving it.
    pub date: PaymentDate,
}

/// One fact with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The source.
    pub source: SourceKind,
    /// What it says, for a reader.
    pub detail: String,
}

/// One location of a supplier.
#[derive(Debug, Clone, Serialize)]
pub struct SupplierLocation {
    /// Postcode as given (canonical when it parses).
    pub postcode: String,
    /// What kind of address.
    pub kind: LocationKind,
    /// Where the evidence came from.
    pub source: SourceKind,
    /// File it came from (empty for a person's decision).
    pub file: String,
    /// Line in that file.
    pub line: u64,
    /// A reader's description (`Salford City Council's payment files`, the record's name).
    pub detail: String,
    /// When the evidence was current, where known: the latest payment giving it; a register
    /// row's own date or its file's ([`RegisterRecord::date`]); a person's decision has its
    /// own date in the decision.
    pub date: Option<PaymentDate>,
    /// Confidence that the evidence belongs to this supplier (1 for the anchor's own files).
    pub confidence: f32,
    /// Where the postcode is, or why it could not be placed.
    #[serde(skip)]
    pub place: Result<Location, String>,
    /// A person rejected this location (who, note).
    pub rejected: Option<String>,
}

/// Evidence a person might accept: a register record one of the supplier's names came close
/// to without being linked (see [`Resolution::register_suggestions`]). Never used by the
/// metrics; the worklist offers it as a decision.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// The decision that accepts it (an overrides-file action: `set-postcode`).
    pub action: &'static str,
    /// Its value (the postcode).
    pub value: String,
    /// What the evidence is, for a reader.
    pub evidence: String,
    /// The similarity of the names.
    pub confidence: f32,
}

/// One supplier: a resolved entity with everything known about it.
#[derive(Debug, Clone, Serialize)]
pub struct Supplier {
    /// The resolver's entity id (stable across runs with `--state`).
    pub id: String,
    /// The stable key used in URLs and decisions ([`crate::supplier_key`]).
    pub key: String,
    /// Shown name.
    pub canonical_name: String,
    /// Every name it was paid or registered under.
    pub names: Vec<String>,
    /// Identifiers: company, charity and VAT numbers, anchors' supplier ids.
    pub identifiers: Identifiers,
    /// Kind of body.
    pub kind: Kind,
    /// Evidence for the kind (from the name, a register or a person), as the resolver gave it.
    pub kind_evidence: Vec<KindEvidence>,
    /// Size by PPN 001.
    pub size: Size,
    /// Evidence for the size.
    pub size_evidence: Option<Evidence>,
    /// Social economy (charity, CIO, CIC, society): `None` when the kind is unknown.
    pub vcse: Option<bool>,
    /// Every location, best first (see [`SourceKind::ALL`]).
    pub locations: Vec<SupplierLocation>,
    /// The location the metrics use: the first placed, not rejected one.
    pub chosen: Option<usize>,
    /// Local because of a branch (premises) in the place, when the chosen location is not.
    pub branch: Option<usize>,
    /// A person said the supplier is national: never counted local.
    pub national: bool,
    /// Spend under its names, all payments (pence).
    pub spend: Pence,
    /// Every line of evidence, for a reader.
    pub evidence: Vec<String>,
    /// Register records its names came close to, best first: for a person to accept.
    pub suggestions: Vec<Suggestion>,
}

impl Supplier {
    /// The chosen location.
    pub fn location(&self) -> Option<&SupplierLocation> {
        self.chosen.map(|i| &self.locations[i])
    }

    /// The placed location the metrics read, with "local" and "wider" as the policy decides
    /// (a branch in the place counts; a national supplier never does).
    pub fn placed(&self) -> Option<Location> {
        let l = self.location()?;
        let mut loc = l.place.as_ref().ok()?.clone();
        if let Some(b) = self
            .branch
            .and_then(|b| self.locations[b].place.as_ref().ok())
        {
            loc.local |= b.local;
            loc.wider |= b.wider;
        }
        if self.national {
            loc.local = false;
        }
        Some(loc)
    }

    /// What the metrics read.
    pub fn info(&self) -> SupplierInfo {
        SupplierInfo {
            name: self.canonical_name.clone(),
            kind: self.kind,
            individual: self.kind == Kind::Individual,
            redacted: false,
            sme: self.size.is_sme(),
            vcse: self.vcse,
            location: self.placed(),
            evidence: self.evidence.clone(),
        }
    }
}

/// The register.
#[derive(Debug, Clone, Default)]
pub struct Register {
    /// One row per supplier entity, in the resolution's entity order.
    pub suppliers: Vec<Supplier>,
    /// For each of the resolution's names, its supplier.
    pub of_name: Vec<u32>,
    /// Postcodes found in evidence that could not be placed, with the reason.
    pub unplaced: Vec<(String, String)>,
    /// Decisions that could not be applied (unknown supplier), with where they came from.
    pub decision_issues: Vec<DecisionIssue>,
}

impl Register {
    /// The supplier with a name or key.
    pub fn find(&self, name_or_key: &str) -> Option<usize> {
        let n = name_or_key.trim();
        self.suppliers
            .iter()
            .position(|s| s.key == n || s.names.iter().any(|x| x.trim() == n))
    }

    /// How many suppliers are located.
    pub fn located(&self) -> usize {
        self.suppliers.iter().filter(|s| s.chosen.is_some()).count()
    }
}

/// The source a register is.
pub fn register_source(r: RegisterKind) -> SourceKind {
    match r {
        RegisterKind::SupplierList => SourceKind::ContractsRegister,
        RegisterKind::Ocds => SourceKind::Ocds,
        RegisterKind::CompaniesHouse | RegisterKind::CompaniesHouseSearch => {
            SourceKind::CompaniesHouse
        }
        RegisterKind::CharityCommission => SourceKind::CharityRegister,
        RegisterKind::BusinessRates => SourceKind::BusinessRates,
        RegisterKind::CooperativesUk => SourceKind::CooperativesUk,
        RegisterKind::Giving360 => SourceKind::Giving360,
    }
}

/// The source a register record is: an anchor's vendor list when its file was given as one.
fn source_of(r: &RegisterRecord, vendor_files: &HashSet<String>) -> SourceKind {
    match r.register.unwrap_or(RegisterKind::SupplierList) {
        RegisterKind::SupplierList if vendor_files.contains(&r.file) => SourceKind::VendorList,
        k => register_source(k),
    }
}

/// Build the register: each entity of `res`, its payment addresses, the register records
/// linked to it (`records` are the records the resolver was given, in order), people's
/// decisions, placed by `cx`.
pub fn build(
    res: &Resolution,
    records: &[RegisterRecord],
    addresses: &[PaymentAddress],
    decisions: &Decisions,
    cx: &Context<'_>,
) -> Register {
    let n = res.entities.len();
    let of_name: Vec<u32> = res.names.iter().map(|x| x.entity as u32).collect();
    let mut locs: Vec<Vec<SupplierLocation>> = vec![Vec::new(); n];
    for a in addresses {
        locs[of_name[a.name] as usize].push(SupplierLocation {
            postcode: a.postcode.clone(),
            kind: LocationKind::VendorMaster,
            source: SourceKind::PaymentFile,
            file: a.file.clone(),
            line: a.line,
            detail: format!("{}'s payment files", a.anchor),
            date: Some(a.date),
            confidence: 1.0,
            place: Err(String::new()),
            rejected: None,
        });
    }
    for l in &res.register_links {
        let Some(r) = records.get(l.record) else {
            continue;
        };
        let Some(pc) = r.postcode.as_deref().filter(|p| !p.trim().is_empty()) else {
            continue;
        };
        let source = source_of(r, &cx.vendor_files);
        locs[l.entity].push(SupplierLocation {
            postcode: pc.to_string(),
            kind: source.location_kind(),
            source,
            file: r.file.clone(),
            line: r.line,
            detail: format!("{}, record \"{}\"", r.source(), r.name),
            date: r.date,
            confidence: l.confidence,
            place: Err(String::new()),
            rejected: None,
        });
    }

    let mut unplaced = Vec::new();
    let mut suppliers: Vec<Supplier> = res
        .entities
        .iter()
        .zip(locs)
        .map(|(e, mut locations)| {
            // Best evidence first (a stable sort: payment addresses come most-given first,
            // register records in the resolver's order); the same postcode from the same
            // source once.
            locations.sort_by(|a, b| {
                a.source
                    .rank()
                    .cmp(&b.source.rank())
                    .then(b.confidence.total_cmp(&a.confidence))
            });
            let mut seen = HashSet::new();
            locations.retain(|l| seen.insert((l.source, l.postcode.clone())));
            let names: Vec<String> = e
                .members
                .iter()
                .map(|&m| res.names[m].name.clone())
                .collect();
            let f = &e.facts;
            let size = match f.sme {
                Sme::Yes => Size::Sme,
                Sme::No => Size::Large,
                Sme::Unknown => Size::Unknown,
            };
            let size_evidence = f.sme_source.as_ref().map(|s| Evidence {
                source: register_source(s.register),
                detail: s.source.clone(),
            });
            Supplier {
                id: e.id.clone(),
                key: crate::supplier_key(&e.canonical_name),
                canonical_name: e.canonical_name.clone(),
                names,
                identifiers: e.identifiers.clone(),
                kind: e.kind,
                kind_evidence: e.kind_evidence.clone(),
                size,
                size_evidence,
                vcse: match e.kind {
                    Kind::Unknown => None,
                    k => Some(k.is_vcse()),
                },
                locations,
                chosen: None,
                branch: None,
                national: false,
                spend: e.spend,
                evidence: e
                    .kind_evidence
                    .iter()
                    .map(|k| format!("{}: {} ({})", e.kind.label(), k.detail, k.source))
                    .collect(),
                suggestions: Vec::new(),
            }
        })
        .collect();
    for l in &res.register_suggestions {
        let (Some(r), Some(s)) = (records.get(l.record), suppliers.get_mut(l.entity)) else {
            continue;
        };
        let Some(pc) = r.postcode.as_deref().filter(|p| !p.trim().is_empty()) else {
            continue;
        };
        let number = r
            .company_number
            .as_deref()
            .map(|c| format!(", company {c}"))
            .unwrap_or_default();
        s.suggestions.push(Suggestion {
            action: "set-postcode",
            value: pc.to_string(),
            evidence: format!(
                "{} \"{}\"{number} at {pc} ({}:{}): names {:.2} alike with `{}`",
                source_of(r, &cx.vendor_files).describe(),
                r.name,
                r.file,
                r.line,
                l.confidence,
                res.names.get(l.name).map_or("", |n| n.name.trim())
            ),
            confidence: l.confidence,
        });
    }
    for s in &mut suppliers {
        if let (Some(sme), Some(src)) = (s.size.is_sme(), &s.size_evidence) {
            s.evidence.push(format!(
                "{} according to {}",
                if sme { "SME" } else { "not an SME" },
                src.detail
            ));
        }
    }

    let mut issues = Vec::new();
    let mut register = Register {
        suppliers,
        of_name,
        unplaced: Vec::new(),
        decision_issues: Vec::new(),
    };
    // People's decisions on the register (those on entities were applied by the resolver).
    // Names and keys to suppliers, built once for all decisions (not a scan per decision).
    let mut by_name: std::collections::HashMap<String, usize> = Default::default();
    if decisions.items.iter().any(|d| !d.action.is_resolver()) {
        for (i, s) in register.suppliers.iter().enumerate() {
            for n in s.names.iter().map(|n| n.trim()).chain([s.key.as_str()]) {
                by_name.entry(n.to_string()).or_insert(i);
            }
        }
    }
    for d in &decisions.items {
        if d.action.is_resolver() {
            continue;
        }
        let Some(&i) = by_name.get(d.subject.text().trim()) else {
            issues.push(d.issue(format!(
                "no supplier is named or keyed `{}` in this run",
                d.subject.text()
            )));
            continue;
        };
        let s = &mut register.suppliers[i];
        let who = d.origin.describe();
        match &d.action {
            Action::SetPostcode(pc) => s.locations.insert(
                0,
                SupplierLocation {
                    postcode: pc.as_str().to_string(),
                    kind: LocationKind::TradingAddress,
                    source: SourceKind::Person,
                    file: d.origin.file().to_string(),
                    line: d.origin.line(),
                    detail: format!("set {who}"),
                    date: None,
                    confidence: 1.0,
                    place: Err(String::new()),
                    rejected: None,
                },
            ),
            Action::RejectLocation => {
                for l in &mut s.locations {
                    l.rejected.get_or_insert_with(|| who.clone());
                }
                s.evidence
                    .push(format!("location evidence rejected in review {who}"));
            }
            Action::ConfirmLocation => {
                s.evidence
                    .push(format!("location confirmed in review {who}"));
            }
            Action::SetSize(size) => {
                s.size = *size;
                s.size_evidence = Some(Evidence {
                    source: SourceKind::Person,
                    detail: format!("set {who}"),
                });
                s.evidence.push(format!("size {} set {who}", size.label()));
            }
            Action::NotLocal => {
                s.national = true;
                s.evidence
                    .push(format!("national, never counted local: {who}"));
            }
            Action::ConfirmLink { name } => {
                s.evidence
                    .push(format!("name `{name}` confirmed in review {who}"));
            }
            Action::ConfirmIndividual => {
                s.evidence
                    .push(format!("an individual or sole trader, in review {who}"));
            }
            Action::Resolver(_) => {}
        }
    }

    // Locate: place every location, choose the best placed one.
    for s in &mut register.suppliers {
        for l in &mut s.locations {
            l.place = place(cx, &l.postcode, l.source, l.kind);
            if let Err(why) = &l.place {
                unplaced.push((l.postcode.clone(), why.clone()));
            }
        }
        s.chosen = s
            .locations
            .iter()
            .position(|l| l.rejected.is_none() && l.place.is_ok());
        if cx.policy.branch_is_local {
            s.branch = s.locations.iter().position(|l| {
                l.kind == LocationKind::Premises
                    && l.rejected.is_none()
                    && l.place.as_ref().is_ok_and(|p| p.local)
            });
            if s.branch.is_some()
                && s.placed().is_some_and(|_| {
                    s.location()
                        .and_then(|l| l.place.as_ref().ok())
                        .is_some_and(|p| p.local)
                })
            {
                s.branch = None; // already local where it is based
            }
        }
        if let Some(l) = s.location() {
            let p = l.place.as_ref().expect("chosen locations are placed");
            s.evidence.push(format!(
                "located in {} ({}): postcode {} from the {} ({}){}",
                p.lad_name,
                if p.local {
                    "local"
                } else if p.wider {
                    "wider place"
                } else {
                    "outside"
                },
                p.postcode,
                l.source.describe(),
                l.detail,
                if p.head_office {
                    " — a registered office, which may not be where the work is done"
                } else {
                    ""
                }
            ));
        }
        if let Some(b) = s.branch.map(|b| &s.locations[b]) {
            s.evidence.push(format!(
                "local because branched: premises at {} ({})",
                b.postcode, b.detail
            ));
        }
    }
    unplaced.sort();
    unplaced.dedup();
    register.unplaced = unplaced;
    register.decision_issues = issues;
    register
}
