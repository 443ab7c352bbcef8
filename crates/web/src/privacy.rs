//! What may be published: primary and secondary (complementary) suppression of small
//! cells, and the redaction of individuals.
//!
//! **Primary suppression.** A figure shown to anyone but a network admin is made from at
//! least [`Thresholds::min_suppliers`] distinct suppliers **and** at least
//! [`Thresholds::min_payments`] payments (defaults 5 and 10), counted over the
//! influenceable payments of its cell (a subset of all its payments, so both counts pass
//! too).
//!
//! **Secondary suppression.** The figures form one additive cube — scope (the network, each
//! anchor) × year (all years, each year) × category (all, each) — and every line of it adds
//! up: the network is the sum of its anchors, all years the sum of the years, all categories
//! the sum of the categories. Every page shows a slice of that cube, so a suppressed cell
//! could be found by subtracting published cells of the same line, even on different pages
//! or with different filters. [`suppress`] hides further cells until no chain of such
//! subtractions recovers a suppressed cell, for every audience:
//!
//! * the public and viewers: no suppressed cell may be recovered at all;
//! * a member of an anchor, who also knows their own anchor's cells: no primary-suppressed
//!   cell of any other anchor (or of the network) may be recovered.
//!
//! One pattern is computed for all of them (a member sees it plus their own anchor's cells),
//! so that what one audience sees cannot be combined with what another sees.
//!
//! Figures about one supplier (the supplier pages and list) are below any threshold by
//! definition: outside their own anchor, members and viewers see none of their spend.
//! The public view names no supplier at all; inside the workspace, an individual's name is
//! shown only to admins and to members of an anchor that paid them.

use std::collections::{BTreeSet, HashMap};

use anchornet_core::FinancialYear;
use anchornet_metrics::{disclosure, Dataset};
use serde::{Deserialize, Serialize};

use crate::auth::Viewer;
use crate::snapshot::Snapshot;

/// Default fewest distinct suppliers behind a published figure.
pub const MIN_SUPPLIERS: usize = 5;
/// Default fewest payments behind a published figure.
pub const MIN_PAYMENTS: u64 = 10;
/// What a suppressed cell shows.
pub const SUPPRESSED: &str = "suppressed";

/// The thresholds of primary suppression (`[web] min_suppliers`, `min_payments`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Fewest distinct suppliers.
    pub min_suppliers: usize,
    /// Fewest payments.
    pub min_payments: u64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_suppliers: MIN_SUPPLIERS,
            min_payments: MIN_PAYMENTS,
        }
    }
}

/// One cell of an additive table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SdcCell {
    /// Its size (what the smallest-first choice of complementary cells reads).
    pub value: i64,
    /// Distinct suppliers behind it (may saturate at the threshold).
    pub suppliers: usize,
    /// Payments behind it.
    pub payments: u64,
    /// The anchor whose data alone it is (its members know it); `None` for the network.
    pub owner: Option<u16>,
}

impl SdcCell {
    /// No payments at all: a known zero, published, never needed as a complement.
    pub fn is_empty(&self) -> bool {
        self.payments == 0 && self.value == 0
    }
}

pub use anchornet_metrics::disclosure::{Line, Mark};

/// Primary and secondary suppression of one additive table (pure): a cell is primary-
/// suppressed when it has payments but fewer than the thresholds; the secondary search is
/// [`anchornet_metrics::disclosure::suppress`] (moved there so that the jobs funnel
/// suppresses with the same code).
pub fn suppress(cells: &[SdcCell], lines: &[Line], th: Thresholds) -> Vec<Mark> {
    let cells: Vec<disclosure::Cell> = cells
        .iter()
        .map(|c| disclosure::Cell {
            value: c.value,
            small: c.suppliers < th.min_suppliers || c.payments < th.min_payments,
            empty: c.is_empty(),
            owner: c.owner,
        })
        .collect();
    disclosure::suppress(&cells, lines)
}

/// Who is looking, for what they may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// A network admin: everything.
    Full,
    /// A member of the anchor (dataset index): the published cells and their anchor's.
    Member(u16),
    /// A viewer, or the public: the published cells.
    Public,
}

impl Audience {
    /// The audience of a signed-in (or anonymous) viewer.
    pub fn of(v: &Viewer, snap: &Snapshot) -> Audience {
        if v.is_admin() {
            Audience::Full
        } else if let Some(i) = v.member_anchor().and_then(|id| snap.anchor_index(id)) {
            Audience::Member(i)
        } else {
            Audience::Public
        }
    }

    /// Whether the rows (and so per-supplier figures) of anchor `i` may be shown.
    pub fn sees_anchor(self, i: u16) -> bool {
        match self {
            Audience::Full => true,
            Audience::Member(a) => a == i,
            Audience::Public => false,
        }
    }
}

/// The published pattern of the network's cube: scope × year × category.
#[derive(Debug, Clone, Default)]
pub struct Published {
    /// The thresholds it was made with.
    pub thresholds: Thresholds,
    years: Vec<FinancialYear>,
    anchors: usize,
    categories: usize,
    cells: Vec<SdcCell>,
    marks: Vec<Mark>,
}

/// A count that stops at a limit (only whether it reaches the threshold matters).
fn add_distinct(seen: &mut Vec<u32>, s: u32, cap: usize) {
    if seen.len() < cap && !seen.contains(&s) {
        seen.push(s);
    }
}

impl Published {
    /// Count every cell of the cube from the payments and suppress.
    pub fn build(ds: &Dataset, th: Thresholds) -> Published {
        let years: Vec<FinancialYear> = ds
            .txns
            .iter()
            .map(|t| t.fy)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut p = Published {
            thresholds: th,
            anchors: ds.anchors.len(),
            categories: ds.categories.len(),
            years,
            ..Default::default()
        };
        let n = (p.anchors + 1) * (p.years.len() + 1) * (p.categories + 1);
        let mut cells = vec![SdcCell::default(); n];
        let mut seen: HashMap<usize, Vec<u32>> = HashMap::new();
        let year_index: HashMap<FinancialYear, usize> =
            p.years.iter().enumerate().map(|(i, y)| (*y, i)).collect();
        for t in &ds.txns {
            let (s, y, c) = (
                t.anchor as usize + 1,
                year_index[&t.fy] + 1,
                t.category as usize + 1,
            );
            for s in [0, s] {
                for y in [0, y] {
                    for c in [0, c] {
                        let i = p.at(s, y, c);
                        cells[i].value += t.pence;
                        if t.excluded_by.is_none() {
                            cells[i].payments += 1;
                            add_distinct(seen.entry(i).or_default(), t.supplier, th.min_suppliers);
                        }
                    }
                }
            }
        }
        // A cell with only excluded payments has none influenceable: primary-suppressed
        // (unless they net to nothing).
        for (i, c) in cells.iter_mut().enumerate() {
            c.suppliers = seen.get(&i).map_or(0, Vec::len);
            let s = i / ((p.years.len() + 1) * (p.categories + 1));
            c.owner = (s > 0).then(|| (s - 1) as u16);
        }
        let (ns, ny, nc) = (p.anchors + 1, p.years.len() + 1, p.categories + 1);
        let mut lines = Vec::new();
        let mut line = |total: usize, parts: Vec<usize>, cells: &[SdcCell]| {
            if !cells[total].is_empty() {
                let parts: Vec<usize> = parts
                    .into_iter()
                    .filter(|&i| !cells[i].is_empty())
                    .collect();
                lines.push(Line { total, parts });
            }
        };
        for y in 0..ny {
            for c in 0..nc {
                line(
                    p.at(0, y, c),
                    (1..ns).map(|s| p.at(s, y, c)).collect(),
                    &cells,
                );
            }
        }
        for s in 0..ns {
            for c in 0..nc {
                line(
                    p.at(s, 0, c),
                    (1..ny).map(|y| p.at(s, y, c)).collect(),
                    &cells,
                );
            }
            for y in 0..ny {
                line(
                    p.at(s, y, 0),
                    (1..nc).map(|c| p.at(s, y, c)).collect(),
                    &cells,
                );
            }
        }
        p.marks = suppress(&cells, &lines, th);
        p.cells = cells;
        p
    }

    fn at(&self, s: usize, y: usize, c: usize) -> usize {
        (s * (self.years.len() + 1) + y) * (self.categories + 1) + c
    }

    fn index(
        &self,
        anchor: Option<u16>,
        fy: Option<FinancialYear>,
        cat: Option<u32>,
    ) -> Option<usize> {
        let s = anchor.map_or(0, |a| a as usize + 1);
        let y = match fy {
            None => 0,
            Some(fy) => self.years.binary_search(&fy).ok()? + 1,
        };
        let c = cat.map_or(0, |c| c as usize + 1);
        (s <= self.anchors && c <= self.categories).then(|| self.at(s, y, c))
    }

    /// Whether `who` may see the figures of a cell: the network (`anchor` `None`) or an
    /// anchor, all years or one, all categories or one (a dataset category index).
    pub fn shown(
        &self,
        who: Audience,
        anchor: Option<u16>,
        fy: Option<FinancialYear>,
        cat: Option<u32>,
    ) -> bool {
        match (who, anchor) {
            (Audience::Full, _) => true,
            (Audience::Member(m), Some(a)) if m == a => true,
            // A cell outside the cube holds no payments: nothing to hide.
            _ => self
                .index(anchor, fy, cat)
                .is_none_or(|i| !self.marks[i].hidden()),
        }
    }

    /// How many cells of the cube are hidden from the public: (primary, secondary, cells
    /// with payments).
    pub fn tally(&self) -> (usize, usize, usize) {
        let mut t = (0, 0, 0);
        for (c, m) in self.cells.iter().zip(&self.marks) {
            if !c.is_empty() {
                t.2 += 1;
            }
            match m {
                Mark::Primary => t.0 += 1,
                Mark::Secondary => t.1 += 1,
                Mark::Published => {}
            }
        }
        t
    }
}

/// The map as shown to anyone but an admin: the spend of each area, of "elsewhere" and of
/// "not located" is a cell of a two-way table, area × scope (the network, each anchor), whose
/// lines add up (an area's network spend is the sum of its anchors'; each scope's spend is
/// the sum of its areas'). Only the network's column is drawn, but each anchor's members
/// know their own column, and the scopes' totals are published on other pages; so the
/// anchors' cells and the totals are taken as known unless small, and [`suppress`] hides
/// every network cell that would give a small one away.
#[derive(Debug, Clone, Default)]
pub struct PublicMap {
    /// The map with hidden areas' spend removed (and `elsewhere`/`unlocated` zeroed when
    /// hidden).
    pub map: anchornet_report::MapData,
    /// Areas whose spend is hidden.
    pub hidden: Vec<String>,
    /// Spend elsewhere is hidden.
    pub elsewhere_hidden: bool,
    /// Spend not located is hidden.
    pub unlocated_hidden: bool,
}

impl PublicMap {
    /// Suppress `m`, the network's map of influenceable spend over all years, made by
    /// `area_of` from `ds`'s payments.
    pub fn build(
        m: &anchornet_report::MapData,
        ds: &Dataset,
        th: Thresholds,
        area_of: impl Fn(&anchornet_metrics::Location) -> Option<String>,
    ) -> PublicMap {
        // Rows: the areas with spend, then elsewhere, then not located, then the total.
        let mut rows: Vec<String> = m.spend.keys().cloned().collect();
        let row_of: HashMap<String, usize> = rows
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i))
            .collect();
        let (elsewhere, unlocated, total) = (rows.len(), rows.len() + 1, rows.len() + 2);
        rows.extend(["elsewhere".into(), "not located".into(), "total".into()]);
        let ns = ds.anchors.len() + 1;
        let at = |r: usize, s: usize| r * ns + s;
        let mut cells = vec![SdcCell::default(); rows.len() * ns];
        let mut seen: HashMap<usize, Vec<u32>> = HashMap::new();
        for t in ds.txns.iter().filter(|t| t.excluded_by.is_none()) {
            let r = match ds.location(t) {
                None => unlocated,
                Some(l) => area_of(l)
                    .and_then(|c| row_of.get(&c).copied())
                    .unwrap_or(elsewhere),
            };
            for r in [r, total] {
                for s in [0, t.anchor as usize + 1] {
                    let i = at(r, s);
                    cells[i].value += t.pence;
                    cells[i].payments += 1;
                    add_distinct(seen.entry(i).or_default(), t.supplier, th.min_suppliers);
                }
            }
        }
        for (i, c) in cells.iter_mut().enumerate() {
            c.suppliers = seen.get(&i).map_or(0, Vec::len);
            c.owner = (i % ns > 0).then(|| (i % ns - 1) as u16);
        }
        let mut lines = Vec::new();
        for r in 0..rows.len() {
            lines.push(Line {
                total: at(r, 0),
                parts: (1..ns).map(|s| at(r, s)).collect(),
            });
        }
        for s in 0..ns {
            lines.push(Line {
                total: at(total, s),
                parts: (0..total).map(|r| at(r, s)).collect(),
            });
        }
        let marks = suppress(&cells, &lines, th);
        let mut out = PublicMap {
            map: m.clone(),
            ..Default::default()
        };
        for (r, code) in rows.iter().enumerate().take(elsewhere) {
            if marks[at(r, 0)].hidden() {
                out.map.spend.remove(code);
                out.hidden.push(code.clone());
            }
        }
        if marks[at(elsewhere, 0)].hidden() {
            out.elsewhere_hidden = true;
            out.map.elsewhere_pence = 0;
        }
        if marks[at(unlocated, 0)].hidden() {
            out.unlocated_hidden = true;
            out.map.unlocated_pence = 0;
        }
        out
    }
}

/// The name to show a viewer for a supplier: individuals are redacted unless `may_see`.
pub fn shown_name(ds: &Dataset, supplier: u32, may_see: bool) -> String {
    if may_see {
        ds.suppliers[supplier as usize].name.clone()
    } else {
        ds.public_name(supplier).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(value: i64, suppliers: usize, payments: u64, owner: Option<u16>) -> SdcCell {
        SdcCell {
            value,
            suppliers,
            payments,
            owner,
        }
    }

    /// Every cell an audience recovers by chains of subtraction (an attacker written
    /// separately from `leaks`: repeat over all lines until nothing new).
    fn recovered(cells: &[SdcCell], lines: &[Line], marks: &[Mark], a: Option<u16>) -> Vec<usize> {
        let mut known: Vec<bool> = (0..cells.len())
            .map(|i| !marks[i].hidden() || (a.is_some() && cells[i].owner == a))
            .collect();
        let start = known.clone();
        loop {
            let mut more = false;
            for l in lines {
                let unknown: Vec<usize> = std::iter::once(l.total)
                    .chain(l.parts.iter().copied())
                    .filter(|&i| !known[i])
                    .collect();
                if unknown.len() == 1 {
                    known[unknown[0]] = true;
                    more = true;
                }
            }
            if !more {
                break;
            }
        }
        (0..cells.len())
            .filter(|&i| known[i] && !start[i])
            .filter(|&i| a.is_none() || marks[i] == Mark::Primary)
            .collect()
    }

    fn safe(cells: &[SdcCell], lines: &[Line], marks: &[Mark]) {
        for a in [None, Some(0), Some(1), Some(2)] {
            assert_eq!(
                recovered(cells, lines, marks, a),
                Vec::<usize>::new(),
                "{a:?}"
            );
        }
    }

    #[test]
    fn thresholds_are_both_needed() {
        let th = Thresholds::default();
        let cells = [
            cell(100, 5, 10, None),
            cell(100, 4, 100, None),
            cell(100, 50, 9, None),
            cell(0, 0, 0, None),
        ];
        assert_eq!(
            suppress(&cells, &[], th),
            [
                Mark::Published,
                Mark::Primary,
                Mark::Primary,
                Mark::Published
            ]
        );
        let strict = Thresholds {
            min_suppliers: 6,
            min_payments: 10,
        };
        assert_eq!(suppress(&cells[..1], &[], strict), [Mark::Primary]);
    }

    #[test]
    fn one_suppressed_part_takes_the_smallest_other_with_it() {
        // total 175 = 100 + 5 + 40 + 30; the 5 is small.
        let cells = [
            cell(175, 50, 500, None),
            cell(100, 20, 200, None),
            cell(5, 1, 1, None),
            cell(40, 10, 100, None),
            cell(30, 10, 100, None),
        ];
        let lines = [Line {
            total: 0,
            parts: vec![1, 2, 3, 4],
        }];
        let m = suppress(&cells, &lines, Thresholds::default());
        assert_eq!(
            m,
            [
                Mark::Published,
                Mark::Published,
                Mark::Primary,
                Mark::Published,
                Mark::Secondary
            ]
        );
        safe(&cells, &lines, &m);
    }

    #[test]
    fn the_network_goes_when_one_anchor_is_small_because_the_other_knows_its_own() {
        // network = A + B; B is small. The public could be protected by hiding A (smaller
        // than the network), but A's members know A: only hiding the network protects B
        // from them.
        let cells = [
            cell(1000, 30, 300, None),
            cell(990, 29, 299, Some(0)),
            cell(10, 1, 1, Some(1)),
        ];
        let lines = [Line {
            total: 0,
            parts: vec![1, 2],
        }];
        let m = suppress(&cells, &lines, Thresholds::default());
        assert_eq!(m, [Mark::Secondary, Mark::Published, Mark::Primary]);
        safe(&cells, &lines, &m);
    }

    #[test]
    fn a_two_way_table_reaches_a_fixed_point() {
        // Rows: anchors 0..3 (row totals in column 0), columns: all years, then 3 years;
        // the first row is the network. Lines: each row, each column.
        //        all   y1   y2   y3
        // net    600  200  200  200
        // A0     300  100  100  100
        // A1     240  97   100  43  <- y3 small
        // A2      60    3    0   57 <- y1 small
        let v = [
            [600, 200, 200, 200],
            [300, 100, 100, 100],
            [240, 97, 100, 43],
            [60, 3, 0, 57],
        ];
        let small = [(2, 3), (3, 1)];
        let mut cells = Vec::new();
        for (r, row) in v.iter().enumerate() {
            for (c, &x) in row.iter().enumerate() {
                let s = small.contains(&(r, c));
                cells.push(cell(
                    x,
                    if x == 0 {
                        0
                    } else if s {
                        2
                    } else {
                        20
                    },
                    if x == 0 {
                        0
                    } else if s {
                        2
                    } else {
                        200
                    },
                    (r > 0).then(|| r as u16 - 1),
                ));
            }
        }
        let at = |r: usize, c: usize| r * 4 + c;
        let mut lines = Vec::new();
        for r in 0..4 {
            lines.push(Line {
                total: at(r, 0),
                parts: (1..4)
                    .map(|c| at(r, c))
                    .filter(|&i| v[i / 4][i % 4] != 0)
                    .collect(),
            });
        }
        for c in 0..4 {
            lines.push(Line {
                total: at(0, c),
                parts: (1..4)
                    .map(|r| at(r, c))
                    .filter(|&i| v[i / 4][i % 4] != 0)
                    .collect(),
            });
        }
        let m = suppress(&cells, &lines, Thresholds::default());
        assert_eq!(m[at(2, 3)], Mark::Primary);
        assert_eq!(m[at(3, 1)], Mark::Primary);
        assert!(m.iter().filter(|x| **x == Mark::Secondary).count() >= 2);
        safe(&cells, &lines, &m);
        // The grand total and every anchor's all-years figure stay published.
        for r in 0..4 {
            assert_eq!(m[at(r, 0)], Mark::Published, "{m:?}");
        }
    }

    #[test]
    fn a_line_of_empty_cells_needs_nothing() {
        let cells = [cell(0, 0, 0, None), cell(0, 0, 0, Some(0))];
        let lines = [Line {
            total: 0,
            parts: vec![1],
        }];
        assert_eq!(
            suppress(&cells, &lines, Thresholds::default()),
            [Mark::Published, Mark::Published]
        );
    }
}
