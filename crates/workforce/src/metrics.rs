//! Fair-work measures per anchor and for the network, with small-number suppression.
//!
//! For a financial year *Y*/*Y+1* (docs/employment.md, "Workforce metrics"):
//!
//! * **living in the place**: staff whose home postcode is in the network's local place, of
//!   staff whose postcode was placed; **in the most deprived neighbourhoods**: of those placed
//!   in England, staff whose neighbourhood is in deciles 1–2 of the deprivation edition
//!   (IoD 2025 by default). A postcode sector places nobody (a sector spans many
//!   neighbourhoods and can cross district boundaries).
//! * **paid below the Real Living Wage** (the rate accredited employers must pay from 1 May
//!   *Y*) and **below the National Living Wage** (in force from 1 April *Y*; only staff whose
//!   age band is at or above the NLW's age are compared), with the **gap** in pounds per year:
//!   what it would cost to lift each of them to the rate for their contracted hours. Hourly
//!   pay from annual pay is `annual / (weekly hours × 365/7)`; compared exactly in integers.
//! * **new hires from deprived neighbourhoods**: staff who started in the year, placed in
//!   England, against a target (default 10%: the US Healthcare Anchor Network's commitment).
//!
//! **Suppression**: a figure drawn from fewer than [`MIN_PEOPLE`] people is not shown (`[c]`):
//! a share whose denominator is under 10, a count under 10, a gap summed over fewer than 10
//! people (1–9), or a zero gap of fewer than 10 people compared. Then further cells are hidden (secondary suppression, the shared
//! `anchornet_metrics::disclosure::suppress`) until no hidden figure can be worked out by
//! subtracting the anchors shown from the network — by the public, or by an anchor that
//! knows its own figures: in practice, the network's figure is hidden when one or two
//! anchors' are.

use std::collections::BTreeMap;

use anchornet_core::fy::FinancialYear;
use anchornet_core::PaymentDate;
use anchornet_geo::{Deprivation, GeoIndex, Place};
use anchornet_ingest::{Issue, Outcome};

use crate::extract::{ExtractReport, Home, Pay, Post};
use crate::rates::{RateKind, Rates};

/// Figures drawn from fewer people than this are suppressed.
pub const MIN_PEOPLE: u64 = 10;

/// What the measures need.
pub struct Context<'a> {
    /// Postcode index.
    pub geo: &'a GeoIndex,
    /// The network's local place.
    pub place: &'a Place,
    /// Deprivation edition.
    pub deprivation: Deprivation,
    /// Wage rates.
    pub rates: &'a Rates,
    /// Area of the Real Living Wage (`UK` or `London`).
    pub rlw_area: String,
    /// The financial year (its first calendar year).
    pub year: FinancialYear,
    /// New-hire target, as a fraction (0.10).
    pub hire_target: f64,
}

/// Raw counts for one scope (an anchor or the network). Not for publication: see [`Row`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Posts.
    pub staff: u64,
    /// Posts with a placed home postcode.
    pub placed: u64,
    /// Of those, in the local place.
    pub in_place: u64,
    /// Placed with a deprivation decile (England).
    pub with_decile: u64,
    /// Of those, deciles 1–2.
    pub deprived: u64,
    /// Below the Real Living Wage.
    pub below_rlw: u64,
    /// Compared with the NLW (age band at or above its age, or not given).
    pub nlw_compared: u64,
    /// Below the NLW.
    pub below_nlw: u64,
    /// Gap to the RLW, pence × 700 (exact).
    pub gap_rlw_x700: i128,
    /// Gap to the NLW, pence × 700 (exact).
    pub gap_nlw_x700: i128,
    /// Started in the year.
    pub hires: u64,
    /// Of those, placed with a decile.
    pub hires_with_decile: u64,
    /// Of those, deciles 1–2.
    pub hires_deprived: u64,
}

/// The measures, per anchor (sorted by name) and then the network.
#[derive(Debug, Clone)]
pub struct Measures {
    /// (scope, counts); the last is the network.
    pub scopes: Vec<(String, Counts)>,
    /// Rates used: (NLW pence/h, its age, RLW pence/h).
    pub nlw: i64,
    /// The NLW's youngest age.
    pub nlw_age: u8,
    /// RLW pence/h.
    pub rlw: i64,
    /// Warnings about posts (unknown postcodes), not rejections.
    pub warnings: Vec<Issue>,
}

/// The name of the network scope.
pub const NETWORK: &str = "network";

/// Why measuring failed.
#[derive(Debug, thiserror::Error)]
pub enum MeasureError {
    /// No rate for the year.
    #[error("no {0} rate in force on {1} in the wage rates data")]
    NoRate(&'static str, PaymentDate),
}

/// Gap (pence × 700) below `rate` for one post, or `None` when not below.
fn gap_x700(pay: Pay, hours_x100: u32, rate: i64) -> Option<i128> {
    let h = hours_x100 as i128;
    let r = rate as i128;
    match pay {
        // (r − p) × h/100 × 365/7, times 700.
        Pay::Hourly(p) => (i128::from(p.0) < r).then(|| (r - i128::from(p.0)) * h * 365),
        // r × h/100 × 365/7 − A, times 700.
        Pay::Annual(a) => {
            let g = r * h * 365 - 700 * i128::from(a.0);
            (g > 0).then_some(g)
        }
    }
}

/// Measure the posts.
pub fn measure(cx: &Context<'_>, posts: &[Post]) -> Result<Measures, MeasureError> {
    let y = cx.year.0;
    let april = PaymentDate::from_ymd(y, 4, 1).expect("a date");
    let may = PaymentDate::from_ymd(y, 5, 1).expect("a date");
    let nlw = cx
        .rates
        .in_force(RateKind::Nlw, "UK", april)
        .ok_or(MeasureError::NoRate("National Living Wage", april))?;
    let rlw = cx
        .rates
        .in_force(RateKind::Rlw, &cx.rlw_area, may)
        .ok_or(MeasureError::NoRate("Real Living Wage", may))?;
    let mut by: BTreeMap<String, Counts> = BTreeMap::new();
    let mut net = Counts::default();
    let mut warnings = Vec::new();
    for p in posts {
        let mut c = Counts {
            staff: 1,
            ..Default::default()
        };
        let mut decile = None;
        if let Home::Postcode(pc) = &p.home {
            match cx.geo.lookup(pc) {
                Some(l) => {
                    c.placed = 1;
                    c.in_place = u64::from(cx.place.contains(&l));
                    decile = cx.deprivation.area_and_decile(&l).1;
                }
                None => warnings.push(Issue {
                    file: p.file.clone(),
                    line: p.line,
                    column: "home postcode".into(),
                    value: pc.as_str().into(),
                    problem: format!("unknown postcode: {}", cx.geo.why_unknown(pc)),
                    outcome: Outcome::Warning,
                }),
            }
        }
        if let Some(d) = decile {
            c.with_decile = 1;
            c.deprived = u64::from(d <= 2);
        }
        if let Some(g) = gap_x700(p.pay, p.hours_x100, rlw.hourly.0) {
            c.below_rlw = 1;
            c.gap_rlw_x700 = g;
        }
        if p.age_from.is_none_or(|a| a >= nlw.min_age) {
            c.nlw_compared = 1;
            if let Some(g) = gap_x700(p.pay, p.hours_x100, nlw.hourly.0) {
                c.below_nlw = 1;
                c.gap_nlw_x700 = g;
            }
        }
        if cx.year.contains(p.start) {
            c.hires = 1;
            c.hires_with_decile = c.with_decile;
            c.hires_deprived = c.deprived;
        }
        add(by.entry(p.anchor.clone()).or_default(), &c);
        add(&mut net, &c);
    }
    let mut scopes: Vec<(String, Counts)> = by.into_iter().collect();
    scopes.push((NETWORK.to_string(), net));
    Ok(Measures {
        scopes,
        nlw: nlw.hourly.0,
        nlw_age: nlw.min_age,
        rlw: rlw.hourly.0,
        warnings,
    })
}

fn add(a: &mut Counts, b: &Counts) {
    a.staff += b.staff;
    a.placed += b.placed;
    a.in_place += b.in_place;
    a.with_decile += b.with_decile;
    a.deprived += b.deprived;
    a.below_rlw += b.below_rlw;
    a.nlw_compared += b.nlw_compared;
    a.below_nlw += b.below_nlw;
    a.gap_rlw_x700 += b.gap_rlw_x700;
    a.gap_nlw_x700 += b.gap_nlw_x700;
    a.hires += b.hires;
    a.hires_with_decile += b.hires_with_decile;
    a.hires_deprived += b.hires_deprived;
}

/// The published columns.
pub const COLUMNS: [&str; 15] = [
    "scope",
    "staff",
    "placed",
    "living_in_place_pct",
    "placed_in_england",
    "in_deprived_deciles_1_2_pct",
    "below_real_living_wage_pct",
    "gap_to_real_living_wage_gbp_per_year",
    "compared_with_nlw",
    "below_national_living_wage_pct",
    "gap_to_national_living_wage_gbp_per_year",
    "new_hires",
    "new_hires_placed_in_england",
    "new_hires_from_deprived_pct",
    "new_hires_target_met",
];

/// A cell: a value, or suppressed.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Shown.
    Shown(String),
    /// Suppressed (`[c]`): drawn from fewer than 10 people, or secondary.
    Suppressed,
}

impl Cell {
    /// As written in CSV.
    pub fn text(&self) -> &str {
        match self {
            Cell::Shown(s) => s,
            Cell::Suppressed => "[c]",
        }
    }
}

fn pct(n: u64, d: u64) -> String {
    if d == 0 {
        String::new()
    } else {
        format!("{:.2}", 100.0 * n as f64 / d as f64)
    }
}

/// Pence × 700 to pounds with two decimals, rounded half away from zero.
fn gbp_x700(v: i128) -> String {
    let pence = (v + 350).div_euclid(700);
    format!("{}.{:02}", pence / 100, pence % 100)
}

/// Per column: its value and the number of people it is drawn from (its base).
type Col = (String, u64);

/// The people a pay gap is drawn from: those below the rate, or, when none is, everyone
/// compared (no gap is a statement about all of them).
fn gap_base(below: u64, compared: u64) -> u64 {
    if below == 0 {
        compared
    } else {
        below
    }
}

/// One scope's columns, unsuppressed.
fn columns(c: &Counts, hire_target: f64) -> Vec<Col> {
    vec![
        (c.staff.to_string(), c.staff),
        (c.placed.to_string(), c.placed),
        (pct(c.in_place, c.placed), c.placed),
        (c.with_decile.to_string(), c.with_decile),
        (pct(c.deprived, c.with_decile), c.with_decile),
        (pct(c.below_rlw, c.staff), c.staff),
        (gbp_x700(c.gap_rlw_x700), gap_base(c.below_rlw, c.staff)),
        (c.nlw_compared.to_string(), c.nlw_compared),
        (pct(c.below_nlw, c.nlw_compared), c.nlw_compared),
        (
            gbp_x700(c.gap_nlw_x700),
            gap_base(c.below_nlw, c.nlw_compared),
        ),
        (c.hires.to_string(), c.hires),
        (c.hires_with_decile.to_string(), c.hires_with_decile),
        (
            pct(c.hires_deprived, c.hires_with_decile),
            c.hires_with_decile,
        ),
        (
            if c.hires_with_decile == 0 {
                String::new()
            } else if c.hires_deprived as f64 >= hire_target * c.hires_with_decile as f64 {
                "yes".into()
            } else {
                "no".into()
            },
            c.hires_with_decile,
        ),
    ]
}

/// The published table: one row per anchor and the network, suppressed as documented.
pub fn table(m: &Measures, hire_target: f64) -> Vec<Vec<Cell>> {
    let all: Vec<Vec<Col>> = m
        .scopes
        .iter()
        .map(|(_, c)| columns(c, hire_target))
        .collect();
    let hidden = hide(&all);
    m.scopes
        .iter()
        .enumerate()
        .map(|(i, (scope, _))| {
            let mut row = vec![Cell::Shown(scope.clone())];
            for (k, (v, _)) in all[i].iter().enumerate() {
                row.push(if hidden[i][k] {
                    Cell::Suppressed
                } else {
                    Cell::Shown(v.clone())
                });
            }
            row
        })
        .collect()
}

/// Which cells to hide, per scope and column, given each cell's base (the number of people
/// it is drawn from; the last scope is the network, the sum of the anchors): primary — a
/// base under [`MIN_PEOPLE`] — then secondary, by the shared
/// [`anchornet_metrics::disclosure::suppress`] (the web's published figures and the jobs
/// funnel suppress with it too), each column one line whose parts are the anchors, each
/// anchor's cell known to its own members. So no hidden figure can be worked out by
/// subtracting the shown anchors from the network — by the public, or by an anchor that
/// knows its own figures. In practice the network's cell is hidden when one or two anchors'
/// are (with three or more hidden, nobody learns any one of them).
fn hide(all: &[Vec<(String, u64)>]) -> Vec<Vec<bool>> {
    use anchornet_metrics::disclosure::{self, Line};
    let n = all.len();
    let width = all.first().map_or(0, Vec::len);
    // Cell (scope i, column k) is at k × n + i.
    let cells: Vec<disclosure::Cell> = (0..width)
        .flat_map(|k| {
            all.iter().enumerate().map(move |(i, r)| disclosure::Cell {
                value: r[k].1 as i64,
                small: r[k].1 < MIN_PEOPLE,
                empty: false,
                owner: (i + 1 < n).then_some(i as u16),
            })
        })
        .collect();
    let lines: Vec<Line> = (0..width)
        .filter(|_| n > 1)
        .map(|k| Line {
            total: k * n + n - 1,
            parts: (0..n - 1).map(|i| k * n + i).collect(),
        })
        .collect();
    let marks = disclosure::suppress(&cells, &lines);
    (0..n)
        .map(|i| (0..width).map(|k| marks[k * n + i].hidden()).collect())
        .collect()
}

/// Titles and meanings of [`COLUMNS`] (after `scope`), for pages and workbooks.
pub const MEANINGS: [(&str, &str); 15] = [
    (
        "Scope",
        "an anchor, as named in the extracts, or the network",
    ),
    ("Staff", "posts in the extracts"),
    ("Placed", "posts whose home postcode was found"),
    (
        "Living in the place %",
        "of staff placed, living in the local place",
    ),
    (
        "Placed in England",
        "staff placed with a deprivation decile",
    ),
    (
        "Deciles 1–2 %",
        "of those, living in the most deprived neighbourhoods (deciles 1–2)",
    ),
    (
        "Below Real Living Wage %",
        "of staff, paid below the Real Living Wage for the year",
    ),
    (
        "Gap to RLW £/yr",
        "what lifting each of them to the Real Living Wage would cost a year",
    ),
    (
        "Compared with NLW",
        "staff at or above the National Living Wage's age (or age not given)",
    ),
    (
        "Below NLW %",
        "of those, paid below the National Living Wage",
    ),
    (
        "Gap to NLW £/yr",
        "what lifting each of them to the National Living Wage would cost a year",
    ),
    ("New hires", "staff who started in the year"),
    (
        "New hires placed in England",
        "new hires placed with a deprivation decile",
    ),
    (
        "New hires from deciles 1–2 %",
        "of those, from the most deprived neighbourhoods",
    ),
    ("Target met", "whether that share meets the new-hire target"),
];

/// The published table as a report table (every cell as written, `[c]` when suppressed):
/// `workforce.csv` is written from it, and the web's `/workforce` twins show it.
pub fn report_table(rows: &[Vec<Cell>]) -> anchornet_report::tables::Table {
    use anchornet_report::tables::{Cell as TCell, Column, Table};
    Table {
        file: "workforce",
        sheet: "Workforce",
        about: "one row per anchor and one for the network",
        columns: COLUMNS
            .iter()
            .zip(MEANINGS)
            .map(|(c, (title, meaning))| Column::new(c, title, meaning))
            .collect(),
        rows: rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| TCell::Text(c.text().to_string()))
                    .collect()
            })
            .collect(),
    }
}

/// Everything one run over a set of extracts gives: what `anchornet workforce` writes and
/// the web's `/workforce` shows, computed once by [`run`].
#[derive(Debug, Clone)]
pub struct Run {
    /// The raw measures (not for publication).
    pub measures: Measures,
    /// The published, suppressed table ([`table`]).
    pub table: Vec<Vec<Cell>>,
    /// Every rejected row and warning (they name postcodes: they stay with the anchors).
    pub issues: Vec<Issue>,
    /// Each file's reconciliation.
    pub reports: Vec<ExtractReport>,
}

/// Read the extracts, measure and suppress: the one pipeline of `anchornet workforce` and the
/// web's `/workforce`.
pub fn run(cx: &Context<'_>, extracts: &[&std::path::Path]) -> Result<Run, MeasureError> {
    let (mut posts, mut issues, mut reports) = (Vec::new(), Vec::new(), Vec::new());
    for p in extracts {
        let (ps, is, rs) = crate::extract::read(p);
        posts.extend(ps);
        issues.extend(is);
        reports.extend(rs);
    }
    let measures = measure(cx, &posts)?;
    issues.extend(measures.warnings.iter().cloned());
    let table = table(&measures, cx.hire_target);
    Ok(Run {
        measures,
        table,
        issues,
        reports,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchornet_core::Pence;

    #[test]
    fn gaps_are_exact() {
        // £10.00/h for 37.5 h against £12.60: 2.60 × 37.5 × 365/7 = £5,083.93 (hand: 97.5 ×
        // 52.142857 = 5083.93).
        assert_eq!(
            gbp_x700(gap_x700(Pay::Hourly(Pence(1000)), 3750, 1260).unwrap()),
            "5083.93"
        );
        // Exactly the annual equivalent of £12.60 × 37.5 h is not below.
        // £12.60 × 37.5 h × 365/7 = £24,637.50 a year: a penny more is not below, a penny less is.
        let a = 1260 * 3750 * 365 / 700;
        assert_eq!(a, 2_463_750);
        assert!(gap_x700(Pay::Annual(Pence(a as i64 + 1)), 3750, 1260).is_none());
        assert!(gap_x700(Pay::Annual(Pence(a as i64 - 1)), 3750, 1260).is_some());
        assert!(gap_x700(Pay::Hourly(Pence(1260)), 3750, 1260).is_none());
    }

    fn counts(staff: u64) -> Counts {
        Counts {
            staff,
            placed: staff,
            with_decile: staff,
            nlw_compared: staff,
            ..Default::default()
        }
    }

    #[test]
    fn small_numbers_are_suppressed_so_that_no_anchor_can_subtract() {
        let m = Measures {
            scopes: vec![
                ("A".into(), counts(100)),
                ("B".into(), counts(5)),
                ("C".into(), counts(40)),
                (NETWORK.into(), counts(145)),
            ],
            nlw: 1221,
            nlw_age: 21,
            rlw: 1260,
            warnings: vec![],
        };
        let t = table(&m, 0.1);
        // staff column: B primary (5); the network secondary — C hidden instead would let
        // C's members work B out (145 − 100 − 40); A and C shown.
        assert_eq!(t[0][1].text(), "100");
        assert_eq!(t[1][1], Cell::Suppressed);
        assert_eq!(t[2][1].text(), "40");
        assert_eq!(t[3][1], Cell::Suppressed);
        // No hires anywhere: hire columns are drawn from 0 people, suppressed everywhere.
        assert_eq!(t[3][11], Cell::Suppressed);
    }

    /// Random networks of one to five anchors, attacked by subtraction in every column by
    /// the public and by each anchor (who knows its own row): nothing hidden is recovered,
    /// and no figure shown has a base under 10.
    #[test]
    fn random_tables_leak_nothing_to_anyone() {
        let mut x: u64 = 7;
        let mut next = |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        for _ in 0..500 {
            let anchors = 1 + next(5) as usize;
            let mut scopes = Vec::new();
            let mut net = Counts::default();
            for a in 0..anchors {
                let staff = next(40);
                let placed = next(staff + 1);
                let c = Counts {
                    staff,
                    placed,
                    in_place: next(placed + 1),
                    with_decile: placed,
                    deprived: next(placed + 1),
                    below_rlw: next(staff.min(15) + 1),
                    nlw_compared: staff,
                    below_nlw: next(staff.min(12) + 1),
                    hires: next(staff.min(20) + 1),
                    ..Default::default()
                };
                let c = Counts {
                    gap_rlw_x700: 700 * c.below_rlw as i128,
                    gap_nlw_x700: 700 * c.below_nlw as i128,
                    ..c
                };
                add(&mut net, &c);
                scopes.push((format!("A{a}"), c));
            }
            scopes.push((NETWORK.to_string(), net));
            let m = Measures {
                scopes,
                nlw: 1221,
                nlw_age: 21,
                rlw: 1260,
                warnings: vec![],
            };
            let t = table(&m, 0.1);
            let n = t.len();
            for k in 1..COLUMNS.len() {
                // With one anchor, the network is that anchor: its own figure.
                let members = if anchors == 1 { 0 } else { anchors };
                for own in std::iter::once(None).chain((0..members).map(Some)) {
                    let unknown: Vec<usize> = (0..n)
                        .filter(|&i| t[i][k] == Cell::Suppressed && Some(i) != own)
                        .collect();
                    // The public may learn nothing hidden; a member nothing from fewer than
                    // 10 people (a hidden network figure of 10 or more is theirs to work out).
                    let base = |i: usize| columns(&m.scopes[i].1, 0.1)[k - 1].1;
                    if let [u] = unknown.as_slice() {
                        assert!(
                            own.is_some() && base(*u) >= MIN_PEOPLE,
                            "column {k}, audience {own:?} recovers row {u}: {t:?}"
                        );
                    }
                }
                // Shown counts are never under 10.
                if matches!(k, 1 | 2 | 4 | 8 | 11 | 12) {
                    for r in &t {
                        if let Cell::Shown(v) = &r[k] {
                            assert!(v.parse::<u64>().unwrap() >= MIN_PEOPLE, "{k}: {v}");
                        }
                    }
                }
            }
        }
    }
}
