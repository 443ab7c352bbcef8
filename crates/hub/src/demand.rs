//! Aggregated demand: the spend categories in which several anchors buy the same thing from
//! suppliers outside the place — candidates for collaborative procurement (the NPPS asks
//! contracting authorities to collaborate) — with their combined value, the anchors'
//! contract end dates side by side where the pipeline knows them, and a lotting suggestion
//! sized for small and micro businesses.
//!
//! **Input.** The spend analysis the network pipeline already computes
//! ([`anchornet_metrics::Analysis`]): each anchor's figures per category and financial year.
//! Nothing is recomputed from payments: a category's *leaked* spend is its local share's
//! located-but-not-local pence (`local.known − local.matched`), its influenceable spend is
//! the share's base, its suppliers the concentration metric's count.
//!
//! **One year per anchor.** Anchors publish different years, so each contributes its
//! *latest full year*: the latest financial year with payments in all twelve months, else
//! the year with the most months (the latest on a tie). The combined value is therefore one
//! year of each anchor's demand, i.e. an annual value.
//!
//! **Same thing.** Two anchors' categories are the same when they have the same content
//! words ([`crate::matching::content_words`]: case, punctuation, plural `s`, `&`/`and` and
//! generic words aside), the rule [`crate::anchors`] uses for names. "Building Repairs &
//! Maintenance" and "building repair and maintenance" meet; "Consultancy" and "Consultants
//! Fees" do not — no synonym list is guessed. Categories with no content word
//! (`Uncategorised`, `Other`) are left out.
//!
//! **Contract ends.** An anchor's opportunity belongs to a category when its words
//! ([`crate::matching::opportunity_words`]: CPV labels, category text, title) contain all of
//! the category's words. Its contract end, if on or after the `from` date, is listed; the
//! joint procurement would have to start by the first end less the lead time of the
//! combined value's band ([`crate::calendar::Bands`]).
//!
//! **Unlocated spend.** Where the network's suppliers are not located (no register gives
//! their postcodes), no leak can be measured; `with_unlocated` pools the spend whose
//! supplier is not known to be local (leaked + not located) instead, and says so.
//!
//! **Lots sized for smaller businesses.** The lot ceiling for a business of turnover `T` is
//! `T / 2`, from the rule that a buyer may not ask for a minimum yearly turnover above twice
//! the contract's value (Directive 2014/24/EU art. 58(3), transposed as Public Contracts
//! Regulations 2015 reg. 58(9)): a lot worth at most half a business's turnover is one whose
//! turnover requirement it can always meet. The turnover ceilings are the Companies Act 2006
//! size thresholds as amended from 6 April 2025 (SI 2024/1303): a **small** company has a
//! turnover of at most £15m (s.382), a **micro** entity at most £1m (s.384A). The suggestion
//! is the fewest equal lots each within that ceiling for one year of the pooled demand.
//! The Procurement Act 2023 s.18 requires a contracting authority to consider lots for a
//! public contract (above the threshold) and to say why if it does not lot. All three numbers
//! are parameters ([`LotRule`]).

use std::collections::{BTreeMap, HashSet};

use anchornet_core::{FinancialYear, Pence};
use anchornet_metrics::analysis::CategoryFigures;
use anchornet_metrics::{Analysis, ScopeName};
use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::calendar::Bands;
use crate::matching::{content_words, opportunity_words};
use crate::opportunity::Opportunity;

/// The category the network pipeline gives a payment with none (`network::category_of`):
/// not a thing anchors buy.
const UNCATEGORISED: &str = "Uncategorised";

/// The lotting rule's parameters (pence). See the module docs for their sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LotRule {
    /// Turnover ceiling of a small company (Companies Act 2006 s.382 from 6 April 2025: £15m).
    pub small_turnover: Pence,
    /// Turnover ceiling of a micro entity (Companies Act 2006 s.384A from 6 April 2025: £1m).
    pub micro_turnover: Pence,
    /// The most a buyer may ask as minimum yearly turnover, as a multiple of the contract's
    /// value (Directive 2014/24/EU art. 58(3); PCR 2015 reg. 58(9): 2).
    pub turnover_multiple: u32,
}

impl Default for LotRule {
    fn default() -> Self {
        LotRule {
            small_turnover: Pence(1_500_000_000),
            micro_turnover: Pence(100_000_000),
            turnover_multiple: 2,
        }
    }
}

impl LotRule {
    /// The largest lot a business with this turnover can always bid for.
    pub fn ceiling(&self, turnover: Pence) -> Pence {
        Pence(turnover.0 / i64::from(self.turnover_multiple.max(1)))
    }

    /// The fewest equal lots of `value`, each at most `ceiling` (at least one).
    pub fn lots(value: Pence, ceiling: Pence) -> u64 {
        if value.0 <= 0 || ceiling.0 <= 0 {
            return 1;
        }
        (value.0 as u64).div_ceil(ceiling.0 as u64).max(1)
    }
}

/// One anchor's part of a category's demand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnchorDemand {
    /// Anchor.
    pub anchor: String,
    /// The financial year taken (`2021/22`).
    pub fy: String,
    /// The category as this anchor names it.
    pub category: String,
    /// Influenceable pence in the category.
    pub influenceable: i64,
    /// Pence with suppliers located outside the place.
    pub leaked: i64,
    /// Pence with local suppliers.
    pub local: i64,
    /// Pence with suppliers not located.
    pub unlocated: i64,
    /// Suppliers paid in the category.
    pub suppliers: u64,
}

/// A contract of one of the anchors in the category, from the pipeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractEnd {
    /// Anchor.
    pub anchor: String,
    /// Opportunity id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Contract end (current expiry).
    pub end: NaiveDate,
}

/// A collaboration candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemandRow {
    /// The category's content words, sorted (the key anchors share).
    pub key: String,
    /// The category's name as the anchor leaking most spells it.
    pub category: String,
    /// The anchors, largest leak first.
    pub anchors: Vec<AnchorDemand>,
    /// Combined leaked pence (one year of each anchor).
    pub leaked: i64,
    /// Combined influenceable pence.
    pub influenceable: i64,
    /// Combined local pence.
    pub local: i64,
    /// Combined pence with suppliers not located.
    pub unlocated: i64,
    /// The demand pooled and lotted: leaked pence, plus unlocated pence when asked.
    pub pooled: i64,
    /// The anchors' contracts in the category ending on or after `from`, soonest first.
    pub ends: Vec<ContractEnd>,
    /// When a joint procurement should start: the first end less the lead time of the
    /// combined value's band.
    pub start_by: Option<NaiveDate>,
    /// Lots so each is within a small company's reach.
    pub lots_small: u64,
    /// Lots so each is within a micro entity's reach.
    pub lots_micro: u64,
}

impl DemandRow {
    /// The suggestion in words.
    pub fn suggestion(&self, rule: &LotRule) -> String {
        let v = Pence(self.pooled);
        let small = rule.ceiling(rule.small_turnover);
        let micro = rule.ceiling(rule.micro_turnover);
        let each = |n: u64| Pence(self.pooled / n.max(1) as i64).to_pounds_string();
        if v <= micro {
            format!(
                "one lot of {}: within a micro business's reach (≤ {})",
                v.to_pounds_string(),
                micro.to_pounds_string()
            )
        } else {
            format!(
                "{} lot(s) of about {} for small businesses (≤ {} each), or {} lot(s) of about {} for micro businesses (≤ {} each)",
                self.lots_small,
                each(self.lots_small),
                small.to_pounds_string(),
                self.lots_micro,
                each(self.lots_micro),
                micro.to_pounds_string()
            )
        }
    }
}

/// Each anchor's latest full year (see the module docs), from the analysis's year coverage.
pub fn years_taken(a: &Analysis) -> BTreeMap<String, String> {
    // anchor → (months, fy), best so far.
    let mut best: BTreeMap<String, (usize, FinancialYear)> = BTreeMap::new();
    for y in &a.years {
        let Ok(fy) = y.fy.parse::<FinancialYear>() else {
            continue;
        };
        for ay in &y.anchors {
            let m = ay.months.len();
            let e = best.entry(ay.anchor.clone()).or_insert((m, fy));
            if (m, fy) > *e {
                *e = (m, fy);
            }
        }
    }
    best.into_iter()
        .map(|(k, (_, fy))| (k, fy.to_string()))
        .collect()
}

/// The category key: its content words, sorted, space-separated (empty: no content word).
pub fn key(category: &str) -> String {
    let mut w = content_words(category);
    w.sort();
    w.join(" ")
}

/// The collaboration candidates: categories in which at least `min_anchors` anchors leak
/// spend, largest combined leak first.
pub fn demand(
    a: &Analysis,
    ops: &[Opportunity],
    from: NaiveDate,
    bands: &Bands,
    rule: &LotRule,
    min_anchors: usize,
    with_unlocated: bool,
) -> Vec<DemandRow> {
    let pooled = |d: &AnchorDemand| d.leaked + if with_unlocated { d.unlocated } else { 0 };
    let years = years_taken(a);
    let mut by_key: BTreeMap<String, Vec<AnchorDemand>> = BTreeMap::new();
    for c in &a.categories {
        let Some(d) = anchor_part(c, &years) else {
            continue;
        };
        let k = key(&c.category);
        if k.is_empty() || c.category == UNCATEGORISED || pooled(&d) <= 0 {
            continue;
        }
        by_key.entry(k).or_default().push(d);
    }
    let op_words: Vec<HashSet<String>> = ops
        .iter()
        .map(|o| opportunity_words(o).into_iter().collect())
        .collect();
    let mut rows: Vec<DemandRow> = by_key
        .into_iter()
        .filter_map(|(key, mut parts)| {
            // An anchor may name two categories with the same words ("Repairs", "repair"):
            // merge them into one part.
            parts.sort_by(|x, y| x.anchor.cmp(&y.anchor).then(y.leaked.cmp(&x.leaked)));
            let mut merged: Vec<AnchorDemand> = Vec::new();
            for p in parts {
                match merged.last_mut() {
                    Some(m) if m.anchor == p.anchor => {
                        m.influenceable += p.influenceable;
                        m.leaked += p.leaked;
                        m.local += p.local;
                        m.unlocated += p.unlocated;
                        m.suppliers += p.suppliers;
                    }
                    _ => merged.push(p),
                }
            }
            if merged.len() < min_anchors.max(1) {
                return None;
            }
            merged.sort_by(|x, y| pooled(y).cmp(&pooled(x)).then(x.anchor.cmp(&y.anchor)));
            let leaked: i64 = merged.iter().map(|p| p.leaked).sum();
            let total: i64 = merged.iter().map(pooled).sum();
            let words: Vec<&str> = key.split(' ').collect();
            let names: HashSet<&str> = merged.iter().map(|p| p.anchor.as_str()).collect();
            let mut ends: Vec<ContractEnd> = ops
                .iter()
                .zip(&op_words)
                .filter(|(o, ws)| {
                    o.anchor.as_deref().is_some_and(|x| names.contains(x))
                        && words.iter().all(|w| ws.contains(*w))
                })
                .filter_map(|(o, _)| {
                    let end = o.contract_end.filter(|e| *e >= from)?;
                    Some(ContractEnd {
                        anchor: o.anchor.clone().unwrap_or_default(),
                        id: o.id.clone(),
                        title: o.title.clone(),
                        end,
                    })
                })
                .collect();
            ends.sort_by(|x, y| x.end.cmp(&y.end).then(x.id.cmp(&y.id)));
            let start_by = ends.first().and_then(|e| {
                e.end
                    .checked_sub_months(Months::new(bands.lead(Some(Pence(total)))))
            });
            Some(DemandRow {
                category: merged[0].category.clone(),
                key,
                leaked,
                influenceable: merged.iter().map(|p| p.influenceable).sum(),
                local: merged.iter().map(|p| p.local).sum(),
                unlocated: merged.iter().map(|p| p.unlocated).sum(),
                pooled: total,
                lots_small: LotRule::lots(Pence(total), rule.ceiling(rule.small_turnover)),
                lots_micro: LotRule::lots(Pence(total), rule.ceiling(rule.micro_turnover)),
                anchors: merged,
                ends,
                start_by,
            })
        })
        .collect();
    rows.sort_by(|x, y| y.pooled.cmp(&x.pooled).then(x.key.cmp(&y.key)));
    rows
}

/// An anchor's figures for one category in its year taken, or `None` for the network's
/// figures and other years.
fn anchor_part(c: &CategoryFigures, years: &BTreeMap<String, String>) -> Option<AnchorDemand> {
    let ScopeName::Anchor(anchor) = &c.scope else {
        return None;
    };
    let fy = c.fy?.to_string();
    if years.get(anchor) != Some(&fy) {
        return None;
    }
    let s = &c.figures.local;
    Some(AnchorDemand {
        anchor: anchor.clone(),
        fy,
        category: c.category.clone(),
        influenceable: s.base,
        leaked: s.known - s.matched,
        local: s.matched,
        unlocated: s.base - s.known,
        suppliers: c.figures.concentration.suppliers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lots_are_the_fewest_within_the_ceiling() {
        let r = LotRule::default();
        // £15m small-company ceiling / 2 = £7.5m; £1m micro / 2 = £500,000.
        assert_eq!(r.ceiling(r.small_turnover), Pence(750_000_000));
        assert_eq!(r.ceiling(r.micro_turnover), Pence(50_000_000));
        assert_eq!(LotRule::lots(Pence(50_000_000), Pence(50_000_000)), 1);
        assert_eq!(LotRule::lots(Pence(50_000_001), Pence(50_000_000)), 2);
        assert_eq!(LotRule::lots(Pence(0), Pence(50_000_000)), 1);
    }

    #[test]
    fn keys_ignore_spelling() {
        assert_eq!(
            key("Building Repairs & Maintenance"),
            key("building repair and maintenance")
        );
        assert_ne!(key("Consultancy"), key("Consultants Fees"));
        assert_eq!(key("Other"), "");
    }
}
