//! An action's status, recomputed from the data on every run: on track, at risk, off track
//! (or no data). The rule, with worked examples, is `docs/methodology/plan-status.md`:
//!
//! * the **current** reading is the latest year the indicator has a figure for the target's
//!   scope; the **baseline** is the reading of `baseline_year` (or the plan's `baseline`
//!   value), else the first year with a figure;
//! * the **path** is the straight line from the baseline (its year and value) to the target
//!   (the deadline year and the target value); its value in the current year is the
//!   *milestone*;
//! * **on track**: the target is met, or the current value is at least as good as the
//!   milestone;
//! * **off track**: the deadline year has come and the target is not met, or the current value
//!   is worse than the baseline (gone backwards);
//! * **at risk**: otherwise — better than (or equal to) the baseline, short of the path; and
//!   when the only reading is the baseline's year (no trend yet) and the target is not met;
//! * **no data**: no figure for the scope at all, or none for the baseline year named.

use anchornet_core::FinancialYear;

use crate::action::Action;
use crate::indicator::{Facts, Reading};

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// The target is met, or the figure is on or ahead of the straight path to it.
    OnTrack,
    /// Better than the baseline, behind the path.
    AtRisk,
    /// Worse than the baseline, or the deadline year has come without the target met.
    OffTrack,
    /// The data hold no figure to judge by.
    NoData,
}

impl Status {
    /// As written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::OnTrack => "on track",
            Status::AtRisk => "at risk",
            Status::OffTrack => "off track",
            Status::NoData => "no data",
        }
    }

    /// A class for the HTML.
    pub fn css(self) -> &'static str {
        match self {
            Status::OnTrack => "st-on",
            Status::AtRisk => "st-risk",
            Status::OffTrack => "st-off",
            Status::NoData => "st-none",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An action judged against the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessed {
    /// The status.
    pub status: Status,
    /// Why, in words (with the figures).
    pub reason: String,
    /// The current reading.
    pub current: Option<Reading>,
    /// The baseline reading.
    pub baseline: Option<Reading>,
    /// The path's value in the current year.
    pub milestone: Option<f64>,
    /// Every reading of the indicator for the scope, oldest first.
    pub series: Vec<Reading>,
}

/// The path's value in `year`: the straight line from `(b.fy, b.value)` to
/// `(deadline, target)`, by financial years.
pub fn milestone(b: Reading, deadline: FinancialYear, target: f64, year: FinancialYear) -> f64 {
    let span = f64::from(deadline.0 - b.fy.0);
    if span <= 0.0 {
        return target;
    }
    let t = (f64::from(year.0 - b.fy.0) / span).clamp(0.0, 1.0);
    b.value + (target - b.value) * t
}

/// Judge an action by the facts of this run.
pub fn assess(a: &Action, facts: &Facts) -> Assessed {
    let t = &a.target;
    let series = facts.series(t.indicator, &t.scope);
    let unit = t.indicator.unit();
    let none = |reason: String, series: Vec<Reading>| Assessed {
        status: Status::NoData,
        reason,
        current: None,
        baseline: None,
        milestone: None,
        series,
    };
    let Some(current) = series.last().copied() else {
        return none(
            format!(
                "no figure for {} ({}) in the {}",
                t.indicator,
                t.scope,
                t.indicator.source().as_str()
            ),
            series,
        );
    };
    let baseline = match (t.baseline, t.baseline_year) {
        (Some(v), Some(fy)) => Reading { fy, value: v },
        (_, Some(fy)) => match series.iter().find(|r| r.fy == fy) {
            Some(r) => *r,
            None => return none(format!("no figure for the baseline year {fy}"), series),
        },
        (_, None) => series[0],
    };
    let m = milestone(baseline, a.deadline, t.value, current.fy);
    let show = |v: f64| unit.show(v);
    let d = t.direction;
    let (status, reason) = if d.meets(current.value, t.value) {
        (
            Status::OnTrack,
            format!(
                "target met: {} in {} {} {}",
                show(current.value),
                current.fy,
                d.symbol(),
                show(t.value)
            ),
        )
    } else if current.fy >= a.deadline {
        (
            Status::OffTrack,
            format!(
                "deadline {} reached: {} in {}, target {} {}",
                a.deadline,
                show(current.value),
                current.fy,
                d.symbol(),
                show(t.value)
            ),
        )
    } else if current.fy <= baseline.fy {
        (
            Status::AtRisk,
            format!(
                "one reading only ({} in {}), target {} {} not met: no trend to judge yet",
                show(current.value),
                current.fy,
                d.symbol(),
                show(t.value)
            ),
        )
    } else if d.at_least_as_good(current.value, m) {
        (
            Status::OnTrack,
            format!(
                "{} in {} is on or ahead of the path ({} for {})",
                show(current.value),
                current.fy,
                show(m),
                current.fy
            ),
        )
    } else if !d.at_least_as_good(current.value, baseline.value) {
        (
            Status::OffTrack,
            format!(
                "{} in {} is worse than the baseline {} in {}",
                show(current.value),
                current.fy,
                show(baseline.value),
                baseline.fy
            ),
        )
    } else {
        (
            Status::AtRisk,
            format!(
                "{} in {} is behind the path ({} for {}), not below the baseline {} in {}",
                show(current.value),
                current.fy,
                show(m),
                current.fy,
                show(baseline.value),
                baseline.fy
            ),
        )
    };
    Assessed {
        status,
        reason,
        current: Some(current),
        baseline: Some(baseline),
        milestone: Some(m),
        series,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_is_a_straight_line_by_financial_years() {
        let b = Reading {
            fy: FinancialYear(2021),
            value: 10.0,
        };
        // 10 → 30 over 2021/22 … 2025/26: 5 points a year.
        assert_eq!(
            milestone(b, FinancialYear(2025), 30.0, FinancialYear(2021)),
            10.0
        );
        assert_eq!(
            milestone(b, FinancialYear(2025), 30.0, FinancialYear(2023)),
            20.0
        );
        assert_eq!(
            milestone(b, FinancialYear(2025), 30.0, FinancialYear(2030)),
            30.0
        );
    }
}
