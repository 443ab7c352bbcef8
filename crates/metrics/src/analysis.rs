//! The whole analysis: every metric for the network and each anchor, by financial year and by
//! category, with year coverage, leakage, year-on-year change and reconciliation checks.

use std::collections::{BTreeMap, BTreeSet};

use anchornet_core::FinancialYear;
use serde::{Deserialize, Serialize};

use crate::concentration::{Concentration, SupplierConcentration};
use crate::deprived_share::{Deprived, DeprivedShare};
use crate::influenceable::{Influenceable, InfluenceableSpend};
use crate::leakage::{Leakage, LeakageRow};
use crate::local_share::LocalShare;
use crate::metric::run;
use crate::model::{AnchorInfo, Dataset, NetworkInfo, Txn};
use crate::share::Share;
use crate::sme_share::SmeShare;
use crate::total::Total;
use crate::vcse_share::VcseShare;
use crate::wider_share::WiderShare;
use crate::yoy::{changes, Change};
use crate::ScopeName;

/// Which payments a set of figures covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// One anchor (index), or the whole network.
    pub anchor: Option<u16>,
    /// One financial year, or all.
    pub fy: Option<FinancialYear>,
    /// One category (index), or all.
    pub category: Option<u32>,
}

impl Scope {
    fn admits(&self, t: &Txn) -> bool {
        self.anchor.is_none_or(|a| a == t.anchor)
            && self.fy.is_none_or(|f| f == t.fy)
            && self.category.is_none_or(|c| c == t.category)
    }
}

/// Every metric for one scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Total spend.
    pub total: Total,
    /// Influenceable spend and exclusions.
    pub influenceable: InfluenceableSpend,
    /// Local share.
    pub local: Share,
    /// Wider-place share.
    pub wider: Share,
    /// Deprived-area share and decile distribution.
    pub deprived: Deprived,
    /// SME share.
    pub sme: Share,
    /// VCSE share.
    pub vcse: Share,
    /// Supplier count and concentration.
    pub concentration: Concentration,
}

impl Figures {
    /// Every metric over the payments of `scope`.
    pub fn compute(ds: &Dataset, scope: &Scope) -> Figures {
        let txns: Vec<&Txn> = ds.txns.iter().filter(|t| scope.admits(t)).collect();
        Figures::of(ds, &txns)
    }

    /// Every metric over these payments.
    pub fn of(ds: &Dataset, txns: &[&Txn]) -> Figures {
        Figures {
            total: run::<Total>(ds, txns),
            influenceable: run::<Influenceable>(ds, txns),
            local: run::<LocalShare>(ds, txns),
            wider: run::<WiderShare>(ds, txns),
            deprived: run::<DeprivedShare>(ds, txns),
            sme: run::<SmeShare>(ds, txns),
            vcse: run::<VcseShare>(ds, txns),
            concentration: run::<SupplierConcentration>(ds, txns),
        }
    }
}

/// Figures with the scope they describe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopedFigures {
    /// The network or an anchor.
    pub scope: ScopeName,
    /// The financial year, or `None` for all years together.
    #[serde(with = "fy_opt")]
    pub fy: Option<FinancialYear>,
    /// The figures.
    pub figures: Figures,
}

/// One category's figures within a scope and year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryFigures {
    /// The network or an anchor.
    pub scope: ScopeName,
    /// Financial year.
    #[serde(with = "fy_opt")]
    pub fy: Option<FinancialYear>,
    /// Category.
    pub category: String,
    /// The figures.
    pub figures: Figures,
}

/// Which anchors' payments a financial year's network figure covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearCoverage {
    /// The year (`2021/22`).
    pub fy: String,
    /// Per anchor: months of the year with at least one payment (1 = April … 12 = March).
    pub anchors: Vec<AnchorYear>,
}

/// One anchor's coverage of a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnchorYear {
    /// Anchor name.
    pub anchor: String,
    /// Months with payments, of the twelve.
    pub months: Vec<u8>,
    /// Payments.
    pub rows: u64,
}

/// Leakage for the network in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearLeakage {
    /// Financial year.
    pub fy: String,
    /// Categories, largest leak first.
    pub rows: Vec<LeakageRow>,
}

/// A reconciliation check and whether it held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// What is checked.
    pub what: String,
    /// It held.
    pub ok: bool,
}

/// The analysis of a network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The network.
    pub network: NetworkInfo,
    /// Anchors.
    pub anchors: Vec<AnchorInfo>,
    /// Years and the anchors each covers.
    pub years: Vec<YearCoverage>,
    /// Network and anchor figures per year (network first, then anchors in order; years ascending).
    pub figures: Vec<ScopedFigures>,
    /// Per category, for the network and each anchor, per year.
    pub categories: Vec<CategoryFigures>,
    /// Network leakage per year.
    pub leakage: Vec<YearLeakage>,
    /// Year-on-year changes.
    pub changes: Vec<Change>,
    /// Reconciliation checks.
    pub checks: Vec<Check>,
}

impl Analysis {
    /// The figures of a scope (`network` or an anchor) in a year.
    pub fn get(&self, scope: &str, fy: &str) -> Option<&Figures> {
        self.figures
            .iter()
            .find(|f| f.scope == scope && f.fy.is_some_and(|y| y.to_string() == fy))
            .map(|f| &f.figures)
    }

    /// The years analysed, ascending.
    pub fn year_names(&self) -> Vec<String> {
        self.years.iter().map(|y| y.fy.clone()).collect()
    }
}

/// Analyse a dataset; `only_year` restricts to one financial year.
pub fn analyse(ds: &Dataset, only_year: Option<FinancialYear>) -> Analysis {
    let years: BTreeSet<FinancialYear> = ds
        .txns
        .iter()
        .map(|t| t.fy)
        .filter(|f| only_year.is_none_or(|y| y == *f))
        .collect();
    let scopes: Vec<(ScopeName, Option<u16>)> = std::iter::once((ScopeName::Network, None))
        .chain(
            ds.anchors
                .iter()
                .enumerate()
                .map(|(i, a)| (ScopeName::Anchor(a.name.clone()), Some(i as u16))),
        )
        .collect();

    // Index payments by (anchor, year) once; every scope is a union of these buckets.
    let mut buckets: BTreeMap<(u16, FinancialYear), Vec<&Txn>> = BTreeMap::new();
    let mut months: BTreeMap<(FinancialYear, u16), (BTreeSet<u8>, u64)> = BTreeMap::new();
    for t in &ds.txns {
        if !years.contains(&t.fy) {
            continue;
        }
        buckets.entry((t.anchor, t.fy)).or_default().push(t);
        let m = months.entry((t.fy, t.anchor)).or_default();
        m.0.insert(((t.date.month() + 8) % 12 + 1) as u8);
        m.1 += 1;
    }
    let scope_txns = |anchor: Option<u16>, fy: FinancialYear| -> Vec<&Txn> {
        buckets
            .iter()
            .filter(|((a, f), _)| *f == fy && anchor.is_none_or(|x| x == *a))
            .flat_map(|(_, v)| v.iter().copied())
            .collect()
    };

    let mut figures = Vec::new();
    let mut categories = Vec::new();
    let mut leakage = Vec::new();
    for (name, anchor) in &scopes {
        for &fy in &years {
            let txns = scope_txns(*anchor, fy);
            if txns.is_empty() {
                continue;
            }
            figures.push(ScopedFigures {
                scope: name.clone(),
                fy: Some(fy),
                figures: Figures::of(ds, &txns),
            });
            let mut by_cat: BTreeMap<u32, Vec<&Txn>> = BTreeMap::new();
            for t in &txns {
                by_cat.entry(t.category).or_default().push(t);
            }
            for (c, ts) in by_cat {
                categories.push(CategoryFigures {
                    scope: name.clone(),
                    fy: Some(fy),
                    category: ds.categories[c as usize].clone(),
                    figures: Figures::of(ds, &ts),
                });
            }
            if anchor.is_none() {
                leakage.push(YearLeakage {
                    fy: fy.to_string(),
                    rows: run::<Leakage>(ds, &txns),
                });
            }
        }
    }

    let year_cov: Vec<YearCoverage> = years
        .iter()
        .map(|&fy| YearCoverage {
            fy: fy.to_string(),
            anchors: months
                .range((fy, 0)..=(fy, u16::MAX))
                .map(|((_, a), (m, rows))| AnchorYear {
                    anchor: ds.anchors[*a as usize].name.clone(),
                    months: m.iter().copied().collect(),
                    rows: *rows,
                })
                .collect(),
        })
        .collect();
    let anchors_of = |fy: &str| -> Vec<String> {
        year_cov
            .iter()
            .find(|y| y.fy == fy)
            .map(|y| y.anchors.iter().map(|a| a.anchor.clone()).collect())
            .unwrap_or_default()
    };
    let changes = changes(&figures, anchors_of);
    let checks = reconcile(ds, &years, &figures, &categories);
    Analysis {
        network: ds.network.clone(),
        anchors: ds.anchors.clone(),
        years: year_cov,
        figures,
        categories,
        leakage,
        changes,
        checks,
    }
}

/// The totals that must agree, each recorded as a check.
fn reconcile(
    ds: &Dataset,
    years: &BTreeSet<FinancialYear>,
    figures: &[ScopedFigures],
    categories: &[CategoryFigures],
) -> Vec<Check> {
    let mut checks = Vec::new();
    let rows_total: i64 = ds
        .txns
        .iter()
        .filter(|t| years.contains(&t.fy))
        .map(|t| t.pence)
        .sum();
    let net_total: i64 = figures
        .iter()
        .filter(|f| f.scope.is_network())
        .map(|f| f.figures.total.pence)
        .sum();
    checks.push(Check {
        what: format!(
            "network total spend over the years = sum of accepted payments ({rows_total} p)"
        ),
        ok: net_total == rows_total,
    });
    for f in figures {
        let fy = f.fy.map(|y| y.to_string()).unwrap_or_default();
        let inf = &f.figures.influenceable;
        let excluded: i64 = inf.removed.iter().map(|r| r.pence).sum();
        checks.push(Check {
            what: format!("{} {fy}: influenceable + excluded = total", f.scope),
            ok: inf.pence + excluded == f.figures.total.pence,
        });
        if f.scope.is_network() {
            let anchors: Vec<&ScopedFigures> = figures
                .iter()
                .filter(|g| !g.scope.is_network() && g.fy == f.fy)
                .collect();
            let sum = |get: &dyn Fn(&Figures) -> i64| {
                anchors.iter().map(|g| get(&g.figures)).sum::<i64>()
            };
            checks.push(Check {
                what: format!("network {fy}: anchors' total, influenceable, local, wider and deprived pence add up to the network's"),
                ok: sum(&|x| x.total.pence) == f.figures.total.pence
                    && sum(&|x| x.influenceable.pence) == f.figures.influenceable.pence
                    && sum(&|x| x.local.matched) == f.figures.local.matched
                    && sum(&|x| x.wider.matched) == f.figures.wider.matched
                    && sum(&|x| x.deprived.share.matched) == f.figures.deprived.share.matched,
            });
            let cats: i64 = categories
                .iter()
                .filter(|c| c.scope.is_network() && c.fy == f.fy)
                .map(|c| c.figures.total.pence)
                .sum();
            checks.push(Check {
                what: format!("network {fy}: categories add up to the total"),
                ok: cats == f.figures.total.pence,
            });
        }
    }
    checks
}

mod fy_opt {
    use anchornet_core::FinancialYear;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<FinancialYear>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(f) => s.serialize_str(&f.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FinancialYear>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        s.map(|s| s.parse().map_err(serde::de::Error::custom))
            .transpose()
    }
}
