//! # anchornet-assets
//!
//! Land and assets, the fourth thing an anchor network does (DESIGN.md): the public bodies'
//! land and building registers, each asset placed in its neighbourhood with the
//! neighbourhood's deprivation, and the vacant ones tracked for community use, meanwhile use
//! or community asset transfer.
//!
//! ```text
//! register files ──► register (ingest's openers; header found; columns by meaning: fields)
//!                ──► locate (coordinates by point in polygon, postcode, postcode in address)
//!                ──► status (vacancy → candidate; people's decisions with their history)
//!                ──► table (every row, its columns + lsoa21, ward, lad, iod2025_decile, status)
//! ```
//!
//! * [`fields`] gives each column of a register its [`Field`] from the header's words: the
//!   Local Government Transparency Code 2015's land and building fields, in any council's
//!   spelling.
//! * [`register`] reads files with `anchornet-ingest`'s openers (CSV/TSV in UTF-8 or
//!   Windows-1252, XLSX, ODS; compressed or not; within [`anchornet_ingest::Limits`]).
//! * [`locate`] places each asset with `anchornet-geo` ([`anchornet_geo::PointIndex`],
//!   [`anchornet_geo::GeoIndex`]) or says why it cannot.
//! * [`status`] reads vacancy and applies the decisions file.
//! * [`table`] writes the located register.
//! * [`estates`] reads NHS estates returns (ERIC): land owned and not delivering services,
//!   empty and under-used floor area, estates costs, per trust and year.
//!
//! Every row read is an asset in the output: read = placed + unplaced (with the reason).
#![deny(missing_docs)]

pub mod estates;
pub mod fields;
pub mod locate;
pub mod register;
pub mod status;
pub mod table;

pub use fields::{Columns, Field};
pub use locate::{Locator, Method, Placement, Unplaced};
pub use register::{Asset, Register, Sheet};
pub use status::{Decision, DecisionProblem, Decisions, Status, Step};

/// A register located and with its statuses: what `anchornet assets` writes.
#[derive(Debug, Clone)]
pub struct Located {
    /// The register read.
    pub register: Register,
    /// One placement per asset.
    pub placements: Vec<Placement>,
    /// Whether each asset is vacant, and the cell that says so.
    pub vacancy: Vec<Option<(bool, String)>>,
    /// Each asset's status history (the register's default first, then decisions).
    pub histories: Vec<Vec<Step>>,
    /// The names each asset answers to in decisions.
    pub keys: Vec<Vec<String>>,
    /// Decisions that could not be applied.
    pub decision_problems: Vec<DecisionProblem>,
}

impl Located {
    /// Place every asset, default its status from its vacancy, apply the decisions.
    pub fn build(
        register: Register,
        locator: &Locator<'_>,
        decisions: Option<Decisions>,
    ) -> Located {
        let mut placements = Vec::with_capacity(register.assets.len());
        let mut vacancy = Vec::with_capacity(register.assets.len());
        let mut keys = Vec::with_capacity(register.assets.len());
        for a in &register.assets {
            let sheet = &register.sheets[a.sheet];
            placements.push(locator.place(sheet, a));
            vacancy.push(status::vacancy(sheet, a));
            let mut k = Vec::new();
            for f in [Field::AssetId, Field::Uprn] {
                let v = sheet.value(a, f);
                if !v.is_empty() {
                    k.push(v.to_string());
                }
            }
            k.push(format!("{}:{}", sheet.file, a.line));
            keys.push(k);
        }
        let mut l = Located {
            register,
            placements,
            vacancy,
            histories: Vec::new(),
            keys,
            decision_problems: Vec::new(),
        };
        l.decide(decisions.unwrap_or_default());
        l
    }

    /// Set every asset's history afresh: the register's default (a vacant asset is a
    /// `candidate`), then `decisions` in order; those that name no asset or make a move the
    /// workflow refuses become [`Located::decision_problems`]. The command line passes its
    /// decisions file; a workspace passes its stored decisions, without placing the assets
    /// again.
    pub fn decide(&mut self, mut decisions: Decisions) {
        self.histories = self
            .vacancy
            .iter()
            .map(|v| match v {
                Some((true, ev)) => vec![Step {
                    status: Status::Candidate,
                    by: "register".into(),
                    at: String::new(),
                    note: format!("vacant ({ev})"),
                }],
                _ => Vec::new(),
            })
            .collect();
        decisions.apply(&self.keys, &mut self.histories);
        self.decision_problems = decisions.problems;
    }

    /// The index of the asset a decision's `asset` names (asset id, UPRN or `file:line`),
    /// when it names exactly one.
    pub fn find(&self, key: &str) -> Result<usize, usize> {
        let hits: Vec<usize> = (0..self.keys.len())
            .filter(|&i| self.keys[i].iter().any(|k| k == key))
            .collect();
        match hits[..] {
            [i] => Ok(i),
            _ => Err(hits.len()),
        }
    }

    /// The status asset `i` has from the register alone, before any decision.
    pub fn default_status(&self, i: usize) -> Option<Status> {
        matches!(self.vacancy[i], Some((true, _))).then_some(Status::Candidate)
    }

    /// The current status of asset `i` (the last step of its history).
    pub fn status(&self, i: usize) -> Option<Status> {
        self.histories[i].last().map(|s| s.status)
    }

    /// Counts for the terminal: assets, placed by method, unplaced, vacant.
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            assets: self.placements.len(),
            ..Summary::default()
        };
        for (i, p) in self.placements.iter().enumerate() {
            match p.method {
                Some(m) => *s.by_method.entry(m).or_default() += 1,
                None => s.unplaced += 1,
            }
            if matches!(self.vacancy[i], Some((true, _))) {
                s.vacant += 1;
                if matches!(p.iod2025_decile, Some(1 | 2)) {
                    s.vacant_deciles_1_2 += 1;
                }
            }
        }
        s
    }
}

/// Counts of a located register.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Assets read.
    pub assets: usize,
    /// Placed, by method.
    pub by_method: std::collections::BTreeMap<Method, usize>,
    /// Not placed.
    pub unplaced: usize,
    /// Vacant.
    pub vacant: usize,
    /// Vacant and in an LSOA of IoD 2025 decile 1 or 2.
    pub vacant_deciles_1_2: usize,
}
