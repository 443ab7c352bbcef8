//! The analysis the pages read: every live batch's payments run through the pipeline
//! (resolve → locate → classify → rules), the reviewers' overrides applied, the metrics
//! computed. Built once per change (an import, a withdrawal, a review decision) and shared
//! read-only by every request, so a page answers in milliseconds.

use std::collections::{BTreeSet, HashMap};

use anchornet_core::{FinancialYear, Payment, SourceKind};
use anchornet_geo::GeoIndex;
use anchornet_metrics::{analyse, Analysis, Figures, Scope};
use anchornet_network::{prepare_records, Inputs, Prepared};
use anchornet_report::{MapArea, MapData};
use anchornet_store::{Anchor, Override, SupplierRow};
use anchornet_suppliers::Decisions;

use crate::workspace::WorkspaceConfig;

pub use anchornet_suppliers::supplier_key;

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
    /// Per anchor (dataset index), its [`LARGEST`] largest payments (txn indices), largest
    /// first, equal amounts in payment order: the anchor page's table, found once per
    /// rebuild rather than by scanning every payment per request.
    pub largest: Vec<Vec<u32>>,
    /// Where the network's influenceable spend lands, over the wider place's LSOAs.
    pub map: Option<MapData>,
    /// The overrides applied.
    pub overrides: Vec<Override>,
    /// The review queue's undecided questions, largest first (asked once per rebuild, not
    /// per request).
    pub questions: Vec<anchornet_suppliers::review::Question>,
    /// The coverage worklist: suppliers to complete, largest first (once per rebuild).
    pub worklist: anchornet_suppliers::worklist::Worklist,
    /// Which cells of the scope × year × category cube may be shown to whom.
    pub published: crate::privacy::Published,
    /// The map as anyone but an admin sees it.
    pub public_map: Option<crate::privacy::PublicMap>,
    /// Increases with every rebuild.
    pub version: u64,
    /// The store's fingerprint when it was read.
    pub fingerprint: String,
    /// When built, Unix seconds.
    pub built_at: i64,
    /// The batches whose payments are in `prepared.payments`, in order: (batch id, anchor
    /// id, their range there). The next rebuild takes a batch still live from here instead
    /// of reading it from the store again.
    pub batches: Vec<(i64, i64, std::ops::Range<usize>)>,
}

/// How many of an anchor's largest payments its page lists.
pub const LARGEST: usize = 50;

/// Each anchor's `n` largest payments (txn indices), largest first and equal amounts in
/// payment order, in one pass over the payments with a bounded heap per anchor.
pub fn largest_per_anchor(ds: &anchornet_metrics::Dataset, n: usize) -> Vec<Vec<u32>> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    // Ordered best first by (Reverse(pence), index): the heap's top is the worst kept.
    let mut heaps: Vec<BinaryHeap<(Reverse<i64>, u32)>> =
        (0..ds.anchors.len()).map(|_| BinaryHeap::new()).collect();
    if n == 0 {
        return vec![Vec::new(); ds.anchors.len()];
    }
    for (k, t) in ds.txns.iter().enumerate() {
        let Some(h) = heaps.get_mut(t.anchor as usize) else {
            continue;
        };
        let key = (Reverse(t.pence), k as u32);
        if h.len() < n {
            h.push(key);
        } else if h.peek().is_some_and(|top| key < *top) {
            h.pop();
            h.push(key);
        }
    }
    heaps
        .into_iter()
        .map(|h| h.into_sorted_vec().into_iter().map(|(_, k)| k).collect())
        .collect()
}

/// What a snapshot is built from, as read from the store.
pub struct Source {
    /// Anchors.
    pub anchors: Vec<Anchor>,
    /// Payments with their anchor id, batch by batch in `batches` order.
    pub payments: Vec<(i64, Payment)>,
    /// The live batches the payments come from, in id order: (batch id, anchor id, how
    /// many of `payments` are its).
    pub batches: Vec<(i64, i64, usize)>,
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
            register: Default::default(),
            decisions: Default::default(),
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
            largest: Vec::new(),
            map: None,
            overrides: Vec::new(),
            questions: Vec::new(),
            worklist: Default::default(),
            published: Default::default(),
            public_map: None,
            version: 0,
            fingerprint: String::new(),
            built_at: 0,
            batches: Vec::new(),
        }
    }

    /// Build from what the store holds.
    pub fn build(
        cfg: &WorkspaceConfig,
        geo: &GeoIndex,
        src: Source,
        shapes: Option<&Shapes>,
        version: u64,
    ) -> Result<Snapshot, anchornet_network::pipeline::PipelineError> {
        let net = cfg.network(&src.anchors);
        let index: HashMap<i64, u16> = src
            .anchors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id, i as u16))
            .collect();
        let mut inputs = Inputs::default();
        // Sized once: grown a push at a time, a vector of half a million payments is copied
        // over and over (it was most of a rebuild's time).
        inputs.payments.reserve_exact(src.payments.len());
        inputs.anchor_of.reserve_exact(src.payments.len());
        let mut batches = Vec::with_capacity(src.batches.len());
        let mut payments = src.payments.into_iter();
        for &(batch, anchor, n) in &src.batches {
            let start = inputs.payments.len();
            for (a, p) in payments.by_ref().take(n) {
                if let Some(&i) = index.get(&a) {
                    inputs.anchor_of.push(i);
                    inputs.payments.push(p);
                }
            }
            // A batch of an anchor not in the network is read again next time, not held.
            if index.contains_key(&anchor) {
                batches.push((batch, anchor, start..inputs.payments.len()));
            }
        }
        inputs.suppliers = src
            .suppliers
            .into_iter()
            .map(|s| (s.record, SourceKind::ContractsRegister))
            .collect();
        inputs.decisions = decisions_of(&src.overrides);
        let prepared = prepare_records(&net, geo, inputs, &|_, _| {})?;
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
                // The pseudo-supplier for redacted recipients has its own fixed id.
                key: if s.redacted {
                    "redacted".into()
                } else {
                    supplier_key(&s.name)
                },
                ..Default::default()
            })
            .collect();
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
        let worklist = anchornet_suppliers::worklist::worklist(
            &prepared.register,
            &suppliers
                .iter()
                .map(|s| s.influenceable)
                .collect::<Vec<_>>(),
            TOP,
        );
        let published = crate::privacy::Published::build(ds, cfg.web.thresholds());
        let public_map = map.as_ref().map(|m| {
            crate::privacy::PublicMap::build(m, ds, cfg.web.thresholds(), |l| l.lsoa.clone())
        });
        let largest = largest_per_anchor(ds, LARGEST);
        Ok(Snapshot {
            anchors: src.anchors,
            published,
            public_map,
            analysis,
            all_years,
            suppliers,
            by_key,
            txns_of,
            largest,
            map,
            questions: prepared.questions(),
            worklist,
            overrides: src.overrides,
            fingerprint: src.fingerprint,
            prepared,
            version,
            built_at: anchornet_store::now(),
            batches,
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

/// How many of the largest suppliers the worklist's coverage counts (CLES locates the top
/// 300 suppliers by hand).
pub const TOP: usize = 300;

/// The workspace's review decisions as the pipeline's typed decisions: the same list the
/// command line reads from an overrides file (`GET /review/overrides.csv` writes it).
pub fn decisions_of(overrides: &[Override]) -> Decisions {
    let mut d = Decisions::new();
    for o in overrides {
        d.push_review(
            &o.kind,
            &o.subject,
            &o.decision,
            &o.entity,
            &o.value,
            &o.decided_by,
            o.decided_at,
            &o.note,
        );
    }
    d
}
