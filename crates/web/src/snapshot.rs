//! The analysis the pages read: every live batch's payments run through the pipeline
//! (resolve → locate → classify → rules), the reviewers' overrides applied, the metrics
//! computed. Built once per change (an import, a withdrawal, a review decision) and shared
//! read-only by every request, so a page answers in milliseconds.

use std::collections::{BTreeSet, HashMap, HashSet};

use anchornet_core::{FinancialYear, Payment};
use anchornet_geo::GeoIndex;
use anchornet_metrics::{analyse, Analysis, Figures, Scope};
use anchornet_network::{prepare_records, Inputs, Prepared};
use anchornet_report::{MapArea, MapData};
use anchornet_store::{Anchor, Override, SupplierRow};

use crate::workspace::WorkspaceConfig;

/// A supplier entity's stable id in URLs: the first 12 hex digits of the SHA-256 of its
/// normalised name (a person's name never appears in a URL or a log).
pub fn supplier_key(name: &str) -> String {
    let words = anchornet_network::rules::words(name).join(" ");
    anchornet_store::sha256_hex(words.as_bytes())[..12].to_string()
}

/// Per supplier entity: what the pages list.
#[derive(Debug, Clone, Default)]
pub struct SupplierStats {
    /// Stable id.
    pub key: String,
    /// Every payment, pence.
    pub pence: i64,
    /// Influenceable pence.
    pub influenceable: i64,
    /// Payments.
    pub payments: u64,
    /// Anchors (dataset indices) that paid it.
    pub anchors: BTreeSet<u16>,
    /// The names it was paid under (the resolver's links), with pence each.
    pub names: Vec<(String, i64)>,
}

/// What the pages read.
pub struct Snapshot {
    /// The store's anchors; index `i` is the dataset's anchor `i`.
    pub anchors: Vec<Anchor>,
    /// The prepared network: dataset, payments (parallel to `dataset.txns`), quality.
    pub prepared: Prepared,
    /// The metrics by scope, year and category.
    pub analysis: Analysis,
    /// All years together: the network, then each anchor.
    pub all_years: Vec<(String, Figures)>,
    /// Per supplier entity.
    pub suppliers: Vec<SupplierStats>,
    /// Supplier id → entity index.
    pub by_key: HashMap<String, u32>,
    /// Payment (txn) indices per supplier entity.
    pub txns_of: Vec<Vec<u32>>,
    /// Where the network's influenceable spend lands, over the wider place's LSOAs.
    pub map: Option<MapData>,
    /// The overrides applied.
    pub overrides: Vec<Override>,
    /// Increases with every rebuild.
    pub version: u64,
    /// The store's fingerprint when it was read.
    pub fingerprint: String,
    /// When built, Unix seconds.
    pub built_at: i64,
}

/// What a snapshot is built from, as read from the store.
pub struct Source {
    /// Anchors.
    pub anchors: Vec<Anchor>,
    /// Payments with their anchor id.
    pub payments: Vec<(i64, Payment)>,
    /// Supplier-side records.
    pub suppliers: Vec<SupplierRow>,
    /// Review decisions.
    pub overrides: Vec<Override>,
    /// The store's fingerprint, read before the rest.
    pub fingerprint: String,
}

/// Map shapes, read once per process: (LSOA code, name, rings).
pub type Shapes = Vec<(String, String, Vec<Vec<[f64; 2]>>)>;

impl Snapshot {
    /// An empty snapshot (no anchors yet).
    pub fn empty() -> Snapshot {
        let prepared = Prepared {
            dataset: Default::default(),
            quality: Default::default(),
            issues: Vec::new(),
            resolution: Default::default(),
            rows: Vec::new(),
            payments: Vec::new(),
            strings: Default::default(),
            local: empty_place(),
            wider: empty_place(),
        };
        let analysis = analyse(&prepared.dataset, None);
        Snapshot {
            anchors: Vec::new(),
            prepared,
            analysis,
            all_years: Vec::new(),
            suppliers: Vec::new(),
            by_key: HashMap::new(),
            txns_of: Vec::new(),
            map: None,
            overrides: Vec::new(),
            version: 0,
            fingerprint: String::new(),
            built_at: 0,
        }
    }

    /// Build from what the store holds.
    pub fn build(
        cfg: &WorkspaceConfig,
        geo: &GeoIndex,
        src: Source,
        shapes: Option<&Shapes>,
        version: u64,
    ) -> Result<Snapshot, String> {
        let net = cfg.network(&src.anchors);
        let index: HashMap<i64, u16> = src
            .anchors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id, i as u16))
            .collect();
        let mut inputs = Inputs::default();
        for (a, p) in src.payments {
            if let Some(&i) = index.get(&a) {
                inputs.anchor_of.push(i);
                inputs.payments.push(p);
            }
        }
        inputs.suppliers = src
            .suppliers
            .into_iter()
            .map(|s| (s.record, "contracts register"))
            .collect();
        let mut prepared =
            prepare_records(&net, geo, inputs, &|_, _| {}).map_err(|e| e.to_string())?;
        apply_overrides(&mut prepared, &src.overrides);
        let ds = &prepared.dataset;
        let analysis = analyse(ds, None);
        let mut all_years = vec![(
            anchornet_report::NETWORK.to_string(),
            Figures::compute(ds, &Scope::default()),
        )];
        for (i, a) in ds.anchors.iter().enumerate() {
            all_years.push((
                a.name.clone(),
                Figures::compute(
                    ds,
                    &Scope {
                        anchor: Some(i as u16),
                        ..Default::default()
                    },
                ),
            ));
        }
        let n = ds.suppliers.len();
        let mut suppliers: Vec<SupplierStats> = ds
            .suppliers
            .iter()
            .map(|s| SupplierStats {
                key: supplier_key(&s.name),
                ..Default::default()
            })
            .collect();
        // The pseudo-supplier for redacted recipients has its own fixed id.
        if let Some(last) = suppliers.last_mut() {
            if ds.suppliers[n - 1].kind == "redacted" {
                last.key = "redacted".into();
            }
        }
        let mut txns_of: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut names: Vec<HashMap<&str, i64>> = vec![HashMap::new(); n];
        for (i, (t, p)) in ds.txns.iter().zip(&prepared.payments).enumerate() {
            let s = &mut suppliers[t.supplier as usize];
            s.pence += t.pence;
            if t.excluded_by.is_none() {
                s.influenceable += t.pence;
            }
            s.payments += 1;
            s.anchors.insert(t.anchor);
            txns_of[t.supplier as usize].push(i as u32);
            if !p.redacted {
                *names[t.supplier as usize]
                    .entry(p.supplier_name.trim())
                    .or_default() += t.pence;
            }
        }
        for (s, n) in suppliers.iter_mut().zip(names) {
            let mut v: Vec<(String, i64)> =
                n.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            s.names = v;
        }
        let mut by_key = HashMap::new();
        for (i, s) in suppliers.iter().enumerate() {
            by_key.entry(s.key.clone()).or_insert(i as u32);
        }
        let map = shapes.map(|shapes| {
            let mut deciles: HashMap<&str, u8> = HashMap::new();
            for l in ds.suppliers.iter().filter_map(|s| s.location.as_ref()) {
                if let (Some(code), Some(d)) = (&l.lsoa, l.decile) {
                    deciles.insert(code.as_str(), d);
                }
            }
            let mut m = MapData {
                title: format!(
                    "Where the network's influenceable spend lands in {}",
                    prepared.wider.name
                ),
                level: "LSOA (2021)".into(),
                areas: shapes
                    .iter()
                    .map(|(code, name, rings)| MapArea {
                        decile: deciles.get(code.as_str()).copied(),
                        code: code.clone(),
                        name: name.clone(),
                        rings: rings.clone(),
                    })
                    .collect(),
                ..Default::default()
            };
            m.add_spend(ds, None, |l| l.lsoa.clone());
            m
        });
        Ok(Snapshot {
            anchors: src.anchors,
            analysis,
            all_years,
            suppliers,
            by_key,
            txns_of,
            map,
            overrides: src.overrides,
            fingerprint: src.fingerprint,
            prepared,
            version,
            built_at: anchornet_store::now(),
        })
    }

    /// The years analysed, newest first.
    pub fn years_desc(&self) -> Vec<FinancialYear> {
        let mut y: Vec<FinancialYear> = self
            .analysis
            .years
            .iter()
            .filter_map(|y| y.fy.parse().ok())
            .collect();
        y.reverse();
        y
    }

    /// The dataset index of a store anchor id.
    pub fn anchor_index(&self, id: i64) -> Option<u16> {
        self.anchors
            .iter()
            .position(|a| a.id == id)
            .map(|i| i as u16)
    }
}

fn empty_place() -> anchornet_geo::Place {
    anchornet_geo::Place {
        name: String::new(),
        code: None,
        kind: anchornet_geo::PlaceKind::Custom,
        districts: Default::default(),
        circle: None,
        source: String::new(),
    }
}

/// Apply the reviewers' decisions to a prepared network:
///
/// * `link` **reject** (subject: a supplier name as paid): payments under that name leave
///   the entity they were resolved into and form an entity of their own, unlocated — the
///   location evidence belonged to the entity, not to this name.
/// * `location` **reject** (subject: a supplier id): the entity's location is removed, so
///   it counts as not located rather than wrongly local or not.
/// * `individual` **confirm**: the entity is a person or sole trader, redacted outside the
///   anchors that paid them.
/// * Every **confirm** adds a line of evidence saying who confirmed what.
pub fn apply_overrides(p: &mut Prepared, overrides: &[Override]) {
    if overrides.is_empty() {
        return;
    }
    let ds = &mut p.dataset;
    let keys: Vec<String> = ds.suppliers.iter().map(|s| supplier_key(&s.name)).collect();
    let stamp = |o: &Override| format!("by {} ({})", o.decided_by, o.note.trim());
    // Links first: they change which entity a payment belongs to.
    let rejected_links: HashMap<String, &Override> = overrides
        .iter()
        .filter(|o| o.kind == "link" && o.decision == "reject")
        .map(|o| (o.subject.trim().to_string(), o))
        .collect();
    if !rejected_links.is_empty() {
        let mut split: HashMap<(u32, String), u32> = HashMap::new();
        for (t, pay) in ds.txns.iter_mut().zip(&p.payments) {
            let name = pay.supplier_name.trim();
            let Some(o) = rejected_links.get(name) else {
                continue;
            };
            let from = t.supplier;
            if ds.suppliers[from as usize].name.trim() == name {
                continue; // the entity's own canonical name stays
            }
            let id = *split.entry((from, name.to_string())).or_insert_with(|| {
                let parent = &ds.suppliers[from as usize];
                ds.suppliers.push(anchornet_metrics::SupplierInfo {
                    name: name.to_string(),
                    kind: "unknown".into(),
                    individual: parent.individual,
                    evidence: vec![format!(
                        "link to `{}` rejected in review {}",
                        parent.name,
                        stamp(o)
                    )],
                    ..Default::default()
                });
                (ds.suppliers.len() - 1) as u32
            });
            t.supplier = id;
        }
    }
    let by_key: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    for o in overrides {
        let entity = by_key.get(o.subject.as_str()).copied();
        match (o.kind.as_str(), o.decision.as_str(), entity) {
            ("location", "reject", Some(i)) => {
                let s = &mut ds.suppliers[i];
                if let Some(l) = s.location.take() {
                    s.evidence.push(format!(
                        "location {} ({}) rejected in review {}",
                        l.postcode,
                        l.source,
                        stamp(o)
                    ));
                }
            }
            ("location", "confirm", Some(i)) => {
                ds.suppliers[i]
                    .evidence
                    .push(format!("location confirmed in review {}", stamp(o)));
            }
            ("individual", "confirm", Some(i)) => {
                let s = &mut ds.suppliers[i];
                s.individual = true;
                s.kind = "individual".into();
                s.evidence.push(format!(
                    "an individual or sole trader, in review {}",
                    stamp(o)
                ));
            }
            ("link", "confirm", _) => {
                let name = o.subject.trim();
                let mut seen = HashSet::new();
                for (t, pay) in ds.txns.iter().zip(&p.payments) {
                    if pay.supplier_name.trim() == name && seen.insert(t.supplier) {
                        ds.suppliers[t.supplier as usize]
                            .evidence
                            .push(format!("name `{name}` confirmed in review {}", stamp(o)));
                    }
                }
            }
            _ => {}
        }
    }
}
