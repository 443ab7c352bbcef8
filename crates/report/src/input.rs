//! What the outputs are made from: the [`Analysis`] plus the facts it does not hold — the map
//! of where spend lands ([`MapData`]) and the data-quality facts of the run ([`Quality`]).

use std::collections::BTreeMap;

use anchornet_core::FinancialYear;
use anchornet_ingest::FileReport;
use anchornet_metrics::{Analysis, Dataset, Location};
use serde::Serialize;

/// Everything a report is rendered from.
#[derive(Debug, Clone, Serialize)]
pub struct ReportInput<'a> {
    /// The computed analysis.
    pub analysis: &'a Analysis,
    /// Maps of where spend lands (none, one, or e.g. one per year), shown in order.
    pub maps: Vec<MapData>,
    /// Data-quality facts for the appendix.
    pub quality: Quality,
    /// When and by what the report was made (e.g. `anchornet 0.1.0, 2026-11-22`). Passed in,
    /// not read from the clock, so the same input renders the same bytes.
    pub generated: String,
    /// Attribution lines for the footer: sources and their licences.
    pub sources: Vec<String>,
}

impl<'a> ReportInput<'a> {
    /// An input with no map, no quality facts and no attributions.
    pub fn new(analysis: &'a Analysis) -> ReportInput<'a> {
        ReportInput {
            analysis,
            maps: Vec::new(),
            quality: Quality::default(),
            generated: String::new(),
            sources: Vec::new(),
        }
    }
}

/// A choropleth of areas coloured by deprivation decile, with the spend landing in each.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MapData {
    /// Heading, e.g. `Where the network's influenceable spend lands, 2021/22`.
    pub title: String,
    /// The kind of area, e.g. `LSOA (2011)` or `ward (2025)`.
    pub level: String,
    /// The areas drawn.
    pub areas: Vec<MapArea>,
    /// Pence landing in each area (keyed by area code); codes not among `areas` count as
    /// elsewhere when the map is drawn.
    pub spend: BTreeMap<String, i64>,
    /// Pence with suppliers located, but outside every area drawn.
    pub elsewhere_pence: i64,
    /// Pence with suppliers not located.
    pub unlocated_pence: i64,
}

/// One area of a map.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MapArea {
    /// Area code (LSOA or ward GSS code).
    pub code: String,
    /// Area name.
    pub name: String,
    /// Deprivation decile (1 = most deprived 10%), when known.
    pub decile: Option<u8>,
    /// Polygon rings as (longitude, latitude) pairs; outer rings and holes alike (drawn with
    /// the even-odd rule, so holes show as holes).
    pub rings: Vec<Vec<[f64; 2]>>,
}

impl MapData {
    /// Fill `spend`, `elsewhere_pence` and `unlocated_pence` from the influenceable payments of
    /// a dataset (optionally one financial year), putting each payment in the area
    /// `area_of(location)` names. A located payment whose area is `None` or is not among
    /// `self.areas` counts as elsewhere. Call after `areas` is set.
    pub fn add_spend<F>(&mut self, ds: &Dataset, fy: Option<FinancialYear>, area_of: F)
    where
        F: Fn(&Location) -> Option<String>,
    {
        let codes: std::collections::HashSet<&str> =
            self.areas.iter().map(|a| a.code.as_str()).collect();
        let mut spend: BTreeMap<String, i64> = BTreeMap::new();
        let (mut elsewhere, mut unlocated) = (0i64, 0i64);
        for t in &ds.txns {
            if t.excluded_by.is_some() || fy.is_some_and(|y| y != t.fy) {
                continue;
            }
            match ds.location(t) {
                None => unlocated += t.pence,
                Some(l) => match area_of(l) {
                    Some(code) if codes.contains(code.as_str()) => {
                        *spend.entry(code).or_default() += t.pence
                    }
                    _ => elsewhere += t.pence,
                },
            }
        }
        for (k, v) in spend {
            *self.spend.entry(k).or_default() += v;
        }
        self.elsewhere_pence += elsewhere;
        self.unlocated_pence += unlocated;
    }
}

/// Data-quality facts the pipeline gathered, for the appendix.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Quality {
    /// Each input file and what happened to its rows.
    pub files: Vec<FileQuality>,
    /// Supplier resolution: labelled counts, e.g. `payee names seen`, `supplier entities`,
    /// `matched by company number`.
    pub suppliers: Vec<Count>,
    /// Location coverage by evidence source (`not located` included).
    pub locations: Vec<LocationSource>,
    /// Suppliers located at a registered office that may not be where the work is done.
    pub head_offices: Vec<HeadOffice>,
    /// Anything else the reader should know, one sentence each.
    pub notes: Vec<String>,
}

/// One input file's reconciliation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileQuality {
    /// Anchor the file belongs to.
    pub anchor: String,
    /// File name as given.
    pub file: String,
    /// How it was read (`csv, utf-8, ','-separated, LF`).
    pub format: String,
    /// Data rows read.
    pub rows_read: u64,
    /// Rows accepted.
    pub accepted: u64,
    /// Rows skipped (blank, totals, duplicates…).
    pub skipped: u64,
    /// Rows rejected (data that could not be used).
    pub rejected: u64,
    /// Of the skipped rows, duplicates of rows in earlier files.
    pub duplicates: u64,
    /// Accepted rows whose supplier the publisher withheld.
    pub redacted: u64,
    /// Sum of accepted amounts, pence.
    pub total_pence: i64,
    /// First and last payment date accepted (`YYYY-MM-DD`).
    pub dates: Option<(String, String)>,
    /// Why the file could not be read, when it could not.
    pub error: Option<String>,
}

impl From<&FileReport> for FileQuality {
    fn from(r: &FileReport) -> FileQuality {
        FileQuality {
            anchor: r.anchor.clone(),
            file: r.file.clone(),
            format: r.format.clone(),
            rows_read: r.rows_read,
            accepted: r.accepted,
            skipped: r.skipped,
            rejected: r.rejected,
            duplicates: r.duplicates,
            redacted: r.redacted,
            total_pence: r.total.0,
            dates: r
                .first_date
                .zip(r.last_date)
                .map(|(a, b)| (a.to_string(), b.to_string())),
            error: r.error.clone(),
        }
    }
}

/// A labelled count, with pence where it has one.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Count {
    /// What is counted.
    pub label: String,
    /// How many.
    pub count: u64,
    /// Pence involved, where meaningful.
    pub pence: Option<i64>,
}

/// Influenceable spend located by one evidence source.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LocationSource {
    /// The source (`Salford contracts register 2022`, `payment file postcode`, `not located`).
    pub source: String,
    /// Suppliers located by it.
    pub suppliers: u64,
    /// Their influenceable pence.
    pub pence: i64,
}

/// A supplier whose location is a registered office (the head-office effect).
#[derive(Debug, Clone, Default, Serialize)]
pub struct HeadOffice {
    /// Supplier name (individuals redacted).
    pub supplier: String,
    /// Postcode used.
    pub postcode: String,
    /// District of that postcode.
    pub district: String,
    /// Influenceable pence paid to the supplier.
    pub pence: i64,
}

/// The label used for suppliers without a location.
pub const NOT_LOCATED: &str = "not located";

impl Quality {
    /// Location coverage by evidence source, from a dataset's influenceable payments
    /// (optionally one year): suppliers and pence per `Location::source`, and `not located`.
    /// Largest first.
    pub fn locations_from(ds: &Dataset, fy: Option<FinancialYear>) -> Vec<LocationSource> {
        // Per supplier first (an array update per payment), then per source: a supplier's
        // location, and so its source, is the same on all its payments.
        let mut per_supplier: Vec<Option<i64>> = vec![None; ds.suppliers.len()];
        for t in &ds.txns {
            if t.excluded_by.is_some() || fy.is_some_and(|y| y != t.fy) {
                continue;
            }
            *per_supplier[t.supplier as usize].get_or_insert(0) += t.pence;
        }
        let mut by: BTreeMap<&str, (u64, i64)> = BTreeMap::new();
        for (s, pence) in per_supplier.iter().enumerate() {
            if let Some(p) = pence {
                let src = ds.suppliers[s]
                    .location
                    .as_ref()
                    .map_or(NOT_LOCATED, |l| l.source.describe());
                let e = by.entry(src).or_default();
                e.0 += 1;
                e.1 += p;
            }
        }
        let mut out: Vec<LocationSource> = by
            .into_iter()
            .map(|(s, (suppliers, p))| LocationSource {
                source: s.to_string(),
                suppliers,
                pence: p,
            })
            .collect();
        out.sort_by(|a, b| b.pence.cmp(&a.pence).then(a.source.cmp(&b.source)));
        out
    }

    /// Suppliers flagged as located at a head office, with their influenceable pence
    /// (optionally one year), largest first.
    pub fn head_offices_from(ds: &Dataset, fy: Option<FinancialYear>) -> Vec<HeadOffice> {
        let mut by: BTreeMap<u32, i64> = BTreeMap::new();
        for t in &ds.txns {
            if t.excluded_by.is_some() || fy.is_some_and(|y| y != t.fy) {
                continue;
            }
            if ds.location(t).is_some_and(|l| l.head_office) {
                *by.entry(t.supplier).or_default() += t.pence;
            }
        }
        let mut out: Vec<HeadOffice> = by
            .into_iter()
            .map(|(s, pence)| {
                let sup = &ds.suppliers[s as usize];
                let l = sup.location.as_ref();
                HeadOffice {
                    supplier: ds.public_name(s).to_string(),
                    // An individual's postcode is their address: never shown.
                    postcode: l
                        .filter(|_| !sup.individual)
                        .map(|l| l.postcode.clone())
                        .unwrap_or_default(),
                    district: l.map(|l| l.lad_name.clone()).unwrap_or_default(),
                    pence,
                }
            })
            .collect();
        out.sort_by(|a, b| b.pence.cmp(&a.pence).then(a.supplier.cmp(&b.supplier)));
        out
    }
}
