//! # anchornet-plan
//!
//! The fifth thing an anchor network does (DESIGN.md): its **action plan**, bound to the
//! figures the pipeline measures, so the plan a board reads never goes stale; the **Total
//! Place** view of all the public money landing in a place; and each anchor's
//! **self-assessment** beside the measured figures.
//!
//! ```text
//! plan.toml ──► action (typed: pillar, deadline, target on an IndicatorId)
//!                  │
//! analysis ────────┤
//! asset registers ─┼──► indicator::Facts ──► status (on track / at risk / off track)
//! workforce ───────┘                              │
//!                                                 ├──► render (HTML, CSV, XLSX tables)
//! plan-history.csv ◄── history (append-only) ◄────┘
//! ```
//!
//! * [`indicator`] — the typed indicators and the facts they are read from.
//! * [`action`] — the plan file.
//! * [`status`] — the status rule (`docs/methodology/plan-status.md`).
//! * [`history`] — the change log.
//! * [`render`] — the plan as a self-contained HTML document and as tables for CSV and XLSX.
//! * [`place`] — Total Place: revenue outturn, grants, notices and spend side by side.
//! * [`assess`] — self-assessment questions, answers and the network heatmap.
#![deny(missing_docs)]

pub mod action;
pub mod assess;
pub mod history;
pub mod indicator;
pub mod place;
pub mod render;
pub mod status;

/// A row not read, or a file not readable: the plan's inputs (answers, outturn returns,
/// grants) report their bad rows with file, line, column and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// File.
    pub file: String,
    /// Line (0 for the whole file).
    pub line: u64,
    /// Column.
    pub column: String,
    /// Value.
    pub value: String,
    /// What is wrong.
    pub problem: String,
}

impl Problem {
    pub(crate) fn file(file: &str, problem: &str) -> Problem {
        Problem {
            file: file.to_string(),
            line: 0,
            column: String::new(),
            value: String::new(),
            problem: problem.to_string(),
        }
    }
}

pub use action::{Action, Direction, Pillar, Plan, PlanError, Target};
pub use indicator::{Facts, IndicatorId, Reading};
pub use status::{Assessed, Status};

/// A plan judged against one run's facts.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// The plan.
    pub plan: Plan,
    /// Each action (plan order) with its assessment.
    pub actions: Vec<(Action, Assessed)>,
}

impl Evaluated {
    /// Judge every action of `plan`.
    pub fn new(plan: Plan, facts: &Facts) -> Evaluated {
        let actions = plan
            .actions
            .iter()
            .map(|a| (a.clone(), status::assess(a, facts)))
            .collect();
        Evaluated { plan, actions }
    }

    /// Actions per status.
    pub fn counts(&self) -> [(Status, usize); 4] {
        [
            Status::OnTrack,
            Status::AtRisk,
            Status::OffTrack,
            Status::NoData,
        ]
        .map(|s| {
            (
                s,
                self.actions.iter().filter(|(_, x)| x.status == s).count(),
            )
        })
    }

    /// The state the change log records for this run.
    pub fn state(&self) -> history::State {
        let mut s = history::State::new();
        for (a, x) in &self.actions {
            let unit = a.target.indicator.unit();
            let current = x
                .current
                .map(|r| format!("{} ({})", unit.show(r.value), r.fy))
                .unwrap_or_default();
            let f = s.entry(a.id.clone()).or_default();
            f.insert("title".into(), a.title.clone());
            f.insert("owner".into(), a.owner.clone());
            f.insert("deadline".into(), a.deadline.to_string());
            f.insert("target".into(), a.target.describe(a.deadline));
            f.insert("current".into(), current);
            f.insert("status".into(), x.status.as_str().into());
        }
        s
    }
}
