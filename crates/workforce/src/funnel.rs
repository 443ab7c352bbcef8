//! The jobs pathway funnel: referred → interviewed → offered → started → in post at six
//! months, per programme and anchor, with small-number suppression.
//!
//! **Events layout** (docs/employment.md, "Funnel events layout"): one row per event of a
//! candidate's journey, anonymised, columns in any order and spelling — `programme`,
//! `anchor`, `candidate id` (a pseudonymous reference, never a name), `stage`, `date`, and
//! optionally `vacancy` (or role) and `home postcode sector`. Columns are found by meaning
//! ([`crate::layout`]); every row is accepted or rejected with file, line, column, value and
//! reason, and each file reconciles (rows read = accepted + rejected + blank).
//!
//! **Journeys.** The unit is a candidate's journey with one anchor in one programme
//! (programme, anchor, candidate id). A journey has reached a stage when it has an event at
//! that stage or a later one: a `started` without `offered` is reported (a warning on the
//! `started` row) and counted as having reached `offered` — you cannot start without an
//! offer; the missing event is a gap in the records. An event dated before an earlier
//! stage's is reported and left out of the medians. An `in_post_6m` fewer than
//! [`SIX_MONTHS_DAYS`] days after the journey's `started` is rejected: it does not meet the
//! definition. A second event at the same stage of a journey is rejected (the first kept).
//!
//! **Figures** ([`measure`], [`table`]): per programme × anchor and per programme (the sum of
//! its anchors, since a journey belongs to one anchor), the journeys reaching each stage;
//! those who started at least 182 days before the as-at date (the base of six-month
//! retention); conversion from stage to stage; median days between stages.
//!
//! **Suppression** (docs/methodology/jobs-funnel.md): a count of fewer than [`MIN_PEOPLE`]
//! is not shown (`[c]`), nor is a programme count made from fewer than 10 distinct people;
//! then [`anchornet_metrics::disclosure::suppress`] hides further cells so that no count can
//! be recovered by subtracting shown anchors from the programme total, by the public or by an
//! anchor that knows its own figures. A conversion is shown only when both its counts are;
//! a median only when it is drawn from at least 10 journeys.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use anchornet_core::PaymentDate;
use anchornet_ingest::format::Row;
use anchornet_ingest::{Issue, Outcome};
use anchornet_metrics::disclosure::{self, Line, Mark};

use crate::extract::ExtractReport;
use crate::layout::{Layout, LayoutField};

/// Counts made from fewer people than this are suppressed.
pub const MIN_PEOPLE: u64 = 10;

/// Six months in post, in days: 26 weeks.
pub const SIX_MONTHS_DAYS: i64 = 182;

/// A stage of the funnel, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Referred to the programme's vacancies at the anchor.
    Referred,
    /// Interviewed.
    Interviewed,
    /// Offered a job.
    Offered,
    /// Started in post.
    Started,
    /// Still in post six months after starting.
    InPost6m,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 5] = [
        Stage::Referred,
        Stage::Interviewed,
        Stage::Offered,
        Stage::Started,
        Stage::InPost6m,
    ];

    /// As written in the layout and the outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Referred => "referred",
            Stage::Interviewed => "interviewed",
            Stage::Offered => "offered",
            Stage::Started => "started",
            Stage::InPost6m => "in_post_6m",
        }
    }

    /// For people.
    pub fn title(self) -> &'static str {
        match self {
            Stage::Referred => "Referred",
            Stage::Interviewed => "Interviewed",
            Stage::Offered => "Offered",
            Stage::Started => "Started",
            Stage::InPost6m => "In post at 6 months",
        }
    }

    /// Read a stage as programmes write it: case, spacing and punctuation ignored; the
    /// stage's name, its noun or verb, and the common phrasings of six-month retention.
    pub fn parse(s: &str) -> Option<Stage> {
        let n: String = s
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
        let stage = match n.as_str() {
            "referred" | "referral" | "refer" | "referral made" | "referred to employer" => {
                Stage::Referred
            }
            "interviewed" | "interview" | "interview attended" | "attended interview" => {
                Stage::Interviewed
            }
            "offered" | "offer" | "job offer" | "offer made" | "job offered"
            | "conditional offer" => Stage::Offered,
            "started" | "start" | "started in post" | "commenced" | "start date" | "hired" => {
                Stage::Started
            }
            "in post 6m"
            | "in post 6 m"
            | "in post 6 months"
            | "in post at 6 months"
            | "in post at six months"
            | "still in post at 6 months"
            | "in post after 6 months"
            | "6 months in post"
            | "six months in post"
            | "retained 6 months"
            | "retained at 6 months"
            | "6 month retention"
            | "sustained 6 months" => Stage::InPost6m,
            _ => return None,
        };
        Some(stage)
    }
}

/// What a column of the events layout holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The programme (pathway) the candidate is on.
    Programme,
    /// The anchor the journey is with.
    Anchor,
    /// A pseudonymous candidate reference.
    Candidate,
    /// The stage reached.
    Stage,
    /// The date of the event.
    Date,
    /// Vacancy reference or role (optional).
    Vacancy,
    /// Home postcode sector (optional).
    HomeSector,
}

impl LayoutField for Field {
    const ALL: &'static [Field] = &[
        Field::Programme,
        Field::Anchor,
        Field::Candidate,
        Field::Stage,
        Field::Date,
        Field::Vacancy,
        Field::HomeSector,
    ];

    fn phrases(self) -> &'static [&'static str] {
        match self {
            Field::Programme => &[
                "programme",
                "program",
                "programme name",
                "pathway",
                "scheme",
            ],
            Field::Anchor => &[
                "anchor",
                "employer",
                "organisation",
                "organization",
                "employing organisation",
                "trust",
                "anchor institution",
            ],
            Field::Candidate => &[
                "candidate id",
                "candidate",
                "candidate reference",
                "candidate ref",
                "participant id",
                "participant reference",
                "person id",
                "pseudonymous id",
                "id",
            ],
            Field::Stage => &[
                "stage",
                "funnel stage",
                "event",
                "milestone",
                "status",
                "outcome",
            ],
            Field::Date => &[
                "date",
                "event date",
                "stage date",
                "date of event",
                "date reached",
            ],
            Field::Vacancy => &[
                "vacancy",
                "vacancy id",
                "vacancy reference",
                "role",
                "job title",
                "post",
                "job",
            ],
            Field::HomeSector => &[
                "home postcode sector",
                "home sector",
                "postcode sector",
                "home postcode",
                "postcode",
            ],
        }
    }

    fn label(self) -> &'static str {
        match self {
            Field::Programme => "programme",
            Field::Anchor => "anchor",
            Field::Candidate => "candidate id",
            Field::Stage => "stage",
            Field::Date => "date",
            Field::Vacancy => "vacancy",
            Field::HomeSector => "home postcode sector",
        }
    }
}

const REQUIRED: [Field; 5] = [
    Field::Programme,
    Field::Anchor,
    Field::Candidate,
    Field::Stage,
    Field::Date,
];

/// One event of a journey.
#[derive(Debug, Clone)]
pub struct Event {
    /// File it came from.
    pub file: String,
    /// Line in that file.
    pub line: u64,
    /// Programme.
    pub programme: String,
    /// Anchor.
    pub anchor: String,
    /// Pseudonymous candidate reference.
    pub candidate: String,
    /// Stage.
    pub stage: Stage,
    /// Date.
    pub date: PaymentDate,
    /// Vacancy or role, as written.
    pub vacancy: String,
    /// Home postcode sector (`M5 4`), when given and valid.
    pub home_sector: Option<String>,
    /// The stage column's header and the stage as written (for the journey checks' issues).
    pub stage_cell: (String, String),
    /// The date column's header and the date as written.
    pub date_cell: (String, String),
}

/// A candidate reference that could be a name is refused: a pseudonymous reference has at
/// least one digit and no spaces (`H2H-0042`), at most 64 characters.
fn check_candidate(s: &str) -> Result<(), &'static str> {
    if s.is_empty() {
        return Err("no candidate id");
    }
    if s.chars().count() > 64
        || s.chars().any(char::is_whitespace)
        || !s.chars().any(|c| c.is_ascii_digit())
    {
        return Err("not a pseudonymous candidate id (one word with a digit, e.g. H2H-0042): it may be a name, so it is not repeated here");
    }
    Ok(())
}

/// Read funnel event files (CSV, TSV, XLSX, ODS; compressed or not, within the ingest
/// limits): every row is an [`Event`] or an [`Issue`], each file with its reconciliation.
/// Events after `as_at`, when given, are rejected ([`after_as_at`]); the journeys are then
/// checked ([`check_journeys`]).
pub fn read(
    paths: &[&Path],
    as_at: Option<PaymentDate>,
) -> (Vec<Event>, Vec<Issue>, Vec<ExtractReport>) {
    let (mut events, mut issues, mut reports) = (Vec::new(), Vec::new(), Vec::new());
    for path in paths {
        for (name, rows) in crate::layout::open_tables(path, &mut issues) {
            match rows {
                Ok(rows) => read_rows(&name, rows, &mut events, &mut issues, &mut reports),
                Err(e) => reports.push(ExtractReport {
                    file: name,
                    error: Some(e),
                    ..Default::default()
                }),
            }
        }
    }
    if let Some(a) = as_at {
        events = after_as_at(events, a, &mut issues, &mut reports);
    }
    let events = check_journeys(events, &mut issues, &mut reports);
    (events, issues, reports)
}

fn read_rows(
    name: &str,
    rows: Vec<Row>,
    events: &mut Vec<Event>,
    issues: &mut Vec<Issue>,
    reports: &mut Vec<ExtractReport>,
) {
    let required = |l: &Layout<Field>| -> Vec<&'static str> {
        REQUIRED
            .iter()
            .filter(|f| l.get(**f).is_none())
            .map(|f| f.label())
            .collect()
    };
    let Some(crate::layout::Table {
        header,
        layout,
        mut report,
        rows: it,
    }) = crate::layout::table(name, "funnel events file", rows, required, issues, reports)
    else {
        return;
    };
    let col = |f: Field| layout.get(f);
    let header_of = |f: Field| {
        col(f)
            .map(|i| header.cell(i).to_string())
            .unwrap_or_else(|| f.label().into())
    };
    for r in it {
        report.rows_read += 1;
        if r.is_blank() {
            report.blank += 1;
            continue;
        }
        let cell = |f: Field| col(f).map(|i| r.cell(i).trim()).unwrap_or("");
        let issue = |f: Field, value: &str, problem: String, outcome: Outcome| Issue {
            file: name.into(),
            line: r.line,
            column: header_of(f),
            value: value.to_string(),
            problem,
            outcome,
        };
        let reject = |f: Field, problem: &str| issue(f, cell(f), problem.into(), Outcome::Rejected);
        let event = (|| {
            let programme = cell(Field::Programme);
            if programme.is_empty() {
                return Err(reject(Field::Programme, "no programme"));
            }
            let anchor = cell(Field::Anchor);
            if anchor.is_empty() {
                return Err(reject(Field::Anchor, "no anchor"));
            }
            let candidate = cell(Field::Candidate);
            if let Err(p) = check_candidate(candidate) {
                // Never echo what may be a person's name.
                let shown = if candidate.is_empty() {
                    ""
                } else {
                    "(withheld)"
                };
                return Err(issue(Field::Candidate, shown, p.into(), Outcome::Rejected));
            }
            let stage = Stage::parse(cell(Field::Stage)).ok_or_else(|| {
                reject(
                    Field::Stage,
                    "unknown stage (referred, interviewed, offered, started, in_post_6m)",
                )
            })?;
            let date = PaymentDate::parse(cell(Field::Date))
                .map_err(|e| reject(Field::Date, &e.to_string()))?;
            Ok(Event {
                file: name.into(),
                line: r.line,
                programme: programme.to_string(),
                anchor: anchor.to_string(),
                candidate: candidate.to_string(),
                stage,
                date,
                vacancy: cell(Field::Vacancy).to_string(),
                home_sector: None,
                stage_cell: (header_of(Field::Stage), cell(Field::Stage).to_string()),
                date_cell: (header_of(Field::Date), cell(Field::Date).to_string()),
            })
        })();
        match event {
            Ok(mut e) => {
                // The home sector is optional: a bad one is reported and the row kept without it
                // (a full postcode is cut to its sector: nothing finer is kept).
                let home = cell(Field::HomeSector);
                if !home.is_empty() {
                    match crate::pathway::parse_sector(home) {
                        Some(s) => e.home_sector = Some(s),
                        None => issues.push(issue(
                            Field::HomeSector,
                            home,
                            "not a postcode sector (e.g. M5 4): kept without it".into(),
                            Outcome::Warning,
                        )),
                    }
                }
                report.accepted += 1;
                events.push(e);
            }
            Err(i) => {
                report.rejected += 1;
                issues.push(i);
            }
        }
    }
    reports.push(report);
}

/// The key of a journey.
type JourneyKey = (String, String, String);

fn key(e: &Event) -> JourneyKey {
    (e.programme.clone(), e.anchor.clone(), e.candidate.clone())
}

/// Check every journey: a second event at a stage and an `in_post_6m` too soon after
/// `started` are rejected (and the file's reconciliation moved from accepted to rejected);
/// a stage reached without an earlier one, and a date before an earlier stage's, are
/// reported as warnings. Returns the events kept.
pub fn check_journeys(
    events: Vec<Event>,
    issues: &mut Vec<Issue>,
    reports: &mut [ExtractReport],
) -> Vec<Event> {
    let mut by: BTreeMap<JourneyKey, Vec<usize>> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        by.entry(key(e)).or_default().push(i);
    }
    let mut drop = vec![false; events.len()];
    // Whether an issue is about the stage cell (else the date cell) of an event.
    let cell_of = |e: &Event, stage: bool| {
        if stage {
            e.stage_cell.clone()
        } else {
            e.date_cell.clone()
        }
    };
    let mut reject = |e: &Event, stage: bool, problem: String, drop: &mut Vec<bool>, i: usize| {
        drop[i] = true;
        let (column, value) = cell_of(e, stage);
        issues.push(Issue {
            file: e.file.clone(),
            line: e.line,
            column,
            value,
            problem,
            outcome: Outcome::Rejected,
        });
        if let Some(r) = reports.iter_mut().find(|r| r.file == e.file) {
            r.accepted -= 1;
            r.rejected += 1;
        }
    };
    let mut warnings = Vec::new();
    for idx in by.values() {
        // The first event at each stage, in file order.
        let mut at: BTreeMap<Stage, usize> = BTreeMap::new();
        for &i in idx {
            let e = &events[i];
            match at.get(&e.stage) {
                Some(&first) => reject(
                    e,
                    true,
                    format!(
                        "a second `{}` for this candidate at this anchor (the first, {} line {}, is kept)",
                        e.stage.as_str(),
                        events[first].file,
                        events[first].line
                    ),
                    &mut drop,
                    i,
                ),
                None => {
                    at.insert(e.stage, i);
                }
            }
        }
        if let (Some(&s), Some(&p)) = (at.get(&Stage::Started), at.get(&Stage::InPost6m)) {
            let days = (events[p].date.naive() - events[s].date.naive()).num_days();
            if days < SIX_MONTHS_DAYS {
                reject(
                    &events[p],
                    false,
                    format!(
                        "in_post_6m only {days} days after started ({}); at least {SIX_MONTHS_DAYS} days (26 weeks) are needed",
                        events[s].date
                    ),
                    &mut drop,
                    p,
                );
                at.remove(&Stage::InPost6m);
            }
        }
        let mut reported: BTreeSet<Stage> = BTreeSet::new();
        let mut previous: Option<usize> = None;
        for (&stage, &i) in &at {
            let e = &events[i];
            let gaps: Vec<&str> = Stage::ALL
                .iter()
                .filter(|s| **s < stage && !at.contains_key(s) && !reported.contains(s))
                .map(|s| s.as_str())
                .collect();
            if !gaps.is_empty() {
                let (column, value) = cell_of(e, true);
                warnings.push(Issue {
                    file: e.file.clone(),
                    line: e.line,
                    column,
                    value,
                    problem: format!(
                        "`{}` without `{}`: counted as having reached it",
                        stage.as_str(),
                        gaps.join("`, `")
                    ),
                    outcome: Outcome::Warning,
                });
                reported.extend(
                    Stage::ALL
                        .iter()
                        .filter(|s| **s < stage && !at.contains_key(s)),
                );
            }
            if let Some(p) = previous {
                if e.date < events[p].date {
                    let (column, value) = cell_of(e, false);
                    warnings.push(Issue {
                        file: e.file.clone(),
                        line: e.line,
                        column,
                        value,
                        problem: format!(
                            "`{}` dated before `{}` ({}): stages out of order; left out of the medians",
                            stage.as_str(),
                            events[p].stage.as_str(),
                            events[p].date
                        ),
                        outcome: Outcome::Warning,
                    });
                }
            }
            previous = Some(i);
        }
    }
    issues.extend(warnings);
    events
        .into_iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(e, _)| e)
        .collect()
}

/// Reject events dated after the as-at date (and move them in their file's reconciliation
/// from accepted to rejected): a figure as at a date counts nothing after it.
pub fn after_as_at(
    events: Vec<Event>,
    as_at: PaymentDate,
    issues: &mut Vec<Issue>,
    reports: &mut [ExtractReport],
) -> Vec<Event> {
    let (keep, late): (Vec<Event>, Vec<Event>) = events.into_iter().partition(|e| e.date <= as_at);
    for e in late {
        issues.push(Issue {
            file: e.file.clone(),
            line: e.line,
            column: e.date_cell.0.clone(),
            value: e.date_cell.1.clone(),
            problem: format!("after the as-at date {as_at}"),
            outcome: Outcome::Rejected,
        });
        if let Some(r) = reports.iter_mut().find(|r| r.file == e.file) {
            r.accepted -= 1;
            r.rejected += 1;
        }
    }
    keep
}

/// A warning for the first event naming each anchor that is not one of the network's
/// (its journeys are still counted, under the name written).
pub fn unknown_anchors(events: &[Event], anchors: &[&str], network: &str) -> Vec<Issue> {
    let mut seen = BTreeSet::new();
    events
        .iter()
        .filter(|e| !anchors.contains(&e.anchor.as_str()) && seen.insert(e.anchor.clone()))
        .map(|e| Issue {
            file: e.file.clone(),
            line: e.line,
            column: "anchor".into(),
            value: e.anchor.clone(),
            problem: format!("not an anchor of {network}: counted under this name"),
            outcome: Outcome::Warning,
        })
        .collect()
}

/// One journey, as measured.
#[derive(Debug, Clone, Default)]
struct Journey {
    /// The latest stage reached (an event at it or later).
    reached: Option<Stage>,
    /// The date of each stage's event, where recorded.
    dates: [Option<PaymentDate>; 5],
}

/// The intervals measured, in days: (from, to).
pub const INTERVALS: [(Stage, Stage); 4] = [
    (Stage::Referred, Stage::Interviewed),
    (Stage::Interviewed, Stage::Offered),
    (Stage::Offered, Stage::Started),
    (Stage::Referred, Stage::Started),
];

/// Raw figures for one row (a programme × anchor, or a programme). Not for publication:
/// see [`table`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Journeys reaching each stage, in [`Stage::ALL`] order.
    pub reached: [u64; 5],
    /// Journeys that started at least 182 days before the as-at date (or reached
    /// `in_post_6m`): the base of six-month retention.
    pub due_6m: u64,
    /// Distinct candidates reaching each stage (for a programme: people with journeys at
    /// several anchors count once).
    pub people: [u64; 5],
    /// Distinct candidates due at six months.
    pub people_due_6m: u64,
    /// Days of each of [`INTERVALS`], one per journey with both dates in order.
    pub days: [Vec<i64>; 4],
}

/// One programme's figures: its name, its anchors' rows (sorted by anchor) and its total.
pub type Programme = (String, Vec<(String, Counts)>, Counts);

/// The funnel of every programme.
#[derive(Debug, Clone)]
pub struct Funnel {
    /// The as-at date: six-month retention is due for those who started 182 days before it.
    pub as_at: Option<PaymentDate>,
    /// Per programme: its anchors' rows (sorted by anchor), then its total.
    pub programmes: Vec<Programme>,
}

/// The label of a programme's total row.
pub const ALL_ANCHORS: &str = "all anchors";

/// Measure the events: `as_at` defaults to the latest event date.
pub fn measure(events: &[Event], as_at: Option<PaymentDate>) -> Funnel {
    let as_at = as_at.or_else(|| events.iter().map(|e| e.date).max());
    let mut journeys: BTreeMap<JourneyKey, Journey> = BTreeMap::new();
    for e in events {
        let j = journeys.entry(key(e)).or_default();
        j.reached = j.reached.max(Some(e.stage));
        j.dates[e.stage as usize] = Some(e.date);
    }
    let mut by: BTreeMap<String, BTreeMap<String, Counts>> = BTreeMap::new();
    let mut people: BTreeMap<String, [BTreeSet<String>; 6]> = BTreeMap::new();
    for ((prog, anchor, cand), j) in &journeys {
        let c = by
            .entry(prog.clone())
            .or_default()
            .entry(anchor.clone())
            .or_default();
        let seen = people.entry(prog.clone()).or_default();
        let Some(top) = j.reached else { continue };
        for s in Stage::ALL.iter().filter(|s| **s <= top) {
            c.reached[*s as usize] += 1;
            c.people[*s as usize] += 1;
            seen[*s as usize].insert(cand.clone());
        }
        let due = top == Stage::InPost6m
            || (top >= Stage::Started
                && match (j.dates[Stage::Started as usize], as_at) {
                    (Some(s), Some(a)) => (a.naive() - s.naive()).num_days() >= SIX_MONTHS_DAYS,
                    _ => false,
                });
        if due {
            c.due_6m += 1;
            c.people_due_6m += 1;
            seen[5].insert(cand.clone());
        }
        for (k, (a, b)) in INTERVALS.iter().enumerate() {
            if let (Some(x), Some(y)) = (j.dates[*a as usize], j.dates[*b as usize]) {
                let d = (y.naive() - x.naive()).num_days();
                if d >= 0 {
                    c.days[k].push(d);
                }
            }
        }
    }
    let programmes = by
        .into_iter()
        .map(|(prog, anchors)| {
            let mut total = Counts::default();
            for c in anchors.values() {
                for s in 0..5 {
                    total.reached[s] += c.reached[s];
                }
                total.due_6m += c.due_6m;
                for k in 0..4 {
                    total.days[k].extend(&c.days[k]);
                }
            }
            let seen = &people[&prog];
            for (n, who) in total.people.iter_mut().zip(seen) {
                *n = who.len() as u64;
            }
            total.people_due_6m = seen[5].len() as u64;
            (prog, anchors.into_iter().collect(), total)
        })
        .collect();
    Funnel { as_at, programmes }
}

/// The published columns of funnel.csv.
pub const COLUMNS: [&str; 17] = [
    "programme",
    "anchor",
    "referred",
    "interviewed",
    "offered",
    "started",
    "started_182_days_before_as_at",
    "in_post_6m",
    "interviewed_of_referred_pct",
    "offered_of_interviewed_pct",
    "started_of_offered_pct",
    "in_post_6m_of_due_pct",
    "started_of_referred_pct",
    "median_days_referred_to_interviewed",
    "median_days_interviewed_to_offered",
    "median_days_offered_to_started",
    "median_days_referred_to_started",
];

/// What a suppressed cell shows.
pub const SUPPRESSED: &str = "[c]";

/// A cell of the published table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text (programme, anchor).
    Text(String),
    /// A count.
    Count(u64),
    /// A percentage in tenths (`453` = 45.3%).
    Tenths(u64),
    /// A median in halves of a day (`25` = 12.5 days).
    Halves(u64),
    /// Not applicable (no base).
    Empty,
    /// Suppressed: too few people, or hidden so that a suppressed count cannot be recovered.
    Suppressed(Mark),
}

impl Cell {
    /// As written in CSV and HTML.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Tenths(t) => format!("{}.{}", t / 10, t % 10),
            Cell::Halves(h) if h % 2 == 0 => (h / 2).to_string(),
            Cell::Halves(h) => format!("{}.5", h / 2),
            Cell::Empty => String::new(),
            Cell::Suppressed(_) => SUPPRESSED.into(),
        }
    }

    /// As a JSON value: numbers as numbers, suppressed as `"[c]"`, not applicable as null.
    pub fn json(&self) -> serde_json::Value {
        match self {
            Cell::Text(s) => s.clone().into(),
            Cell::Count(n) => (*n).into(),
            Cell::Tenths(_) | Cell::Halves(_) => self
                .text()
                .parse::<f64>()
                .map(serde_json::Value::from)
                .unwrap_or_default(),
            Cell::Empty => serde_json::Value::Null,
            Cell::Suppressed(_) => SUPPRESSED.into(),
        }
    }

    /// Whether it is hidden.
    pub fn hidden(&self) -> bool {
        matches!(self, Cell::Suppressed(_))
    }
}

/// `n / d` as a percentage in tenths, rounded half up, in integers.
fn tenths(n: u64, d: u64) -> u64 {
    (2000 * n + d) / (2 * d)
}

/// The median of days, in halves of a day.
fn median_halves(v: &[i64]) -> u64 {
    let mut v = v.to_vec();
    v.sort_unstable();
    let m = v.len() / 2;
    let h = if v.len() % 2 == 1 {
        2 * v[m]
    } else {
        v[m - 1] + v[m]
    };
    h.max(0) as u64
}

/// The six count columns: the five stages and the retention base, in table order.
fn counts_of(c: &Counts) -> [(u64, u64); 6] {
    [
        (c.reached[0], c.people[0]),
        (c.reached[1], c.people[1]),
        (c.reached[2], c.people[2]),
        (c.reached[3], c.people[3]),
        (c.due_6m, c.people_due_6m),
        (c.reached[4], c.people[4]),
    ]
}

/// The published table: per programme, its anchors then its total (`all anchors`);
/// suppressed as documented. Rows are [`COLUMNS`] long.
pub fn table(f: &Funnel) -> Vec<Vec<Cell>> {
    // Disclosure control over every count cell at once: owners are anchors (by name, across
    // programmes: an anchor knows its figures in every programme).
    let anchor_ids: BTreeMap<&str, u16> = f
        .programmes
        .iter()
        .flat_map(|(_, a, _)| a.iter().map(|(n, _)| n.as_str()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .enumerate()
        .map(|(i, n)| (n, i as u16))
        .collect();
    let mut cells: Vec<disclosure::Cell> = Vec::new();
    let mut lines: Vec<Line> = Vec::new();
    // (programme index, row index within it — anchors then the total) → first cell index.
    let mut at: HashMap<(usize, usize), usize> = HashMap::new();
    for (p, (_, anchors, total)) in f.programmes.iter().enumerate() {
        let rows: Vec<(Option<u16>, &Counts)> = anchors
            .iter()
            .map(|(n, c)| (Some(anchor_ids[n.as_str()]), c))
            .chain(std::iter::once((None, total)))
            .collect();
        for (r, (owner, c)) in rows.iter().enumerate() {
            at.insert((p, r), cells.len());
            for (n, people) in counts_of(c) {
                cells.push(disclosure::Cell {
                    value: n as i64,
                    small: n < MIN_PEOPLE || people < MIN_PEOPLE,
                    empty: false,
                    owner: *owner,
                });
            }
        }
        let t = anchors.len();
        for k in 0..6 {
            lines.push(Line {
                total: at[&(p, t)] + k,
                parts: (0..t).map(|r| at[&(p, r)] + k).collect(),
            });
        }
    }
    let marks = disclosure::suppress(&cells, &lines);
    let mut out = Vec::new();
    for (p, (prog, anchors, total)) in f.programmes.iter().enumerate() {
        let rows = anchors
            .iter()
            .map(|(n, c)| (n.as_str(), c))
            .chain(std::iter::once((ALL_ANCHORS, total)));
        for (r, (name, c)) in rows.enumerate() {
            let first = at[&(p, r)];
            let counts = counts_of(c);
            let count = |k: usize| -> Cell {
                match marks[first + k] {
                    Mark::Published => Cell::Count(counts[k].0),
                    m => Cell::Suppressed(m),
                }
            };
            let mut row = vec![Cell::Text(prog.clone()), Cell::Text(name.to_string())];
            row.extend((0..6).map(count));
            // Conversions: (numerator, denominator) as count column indices.
            for (n, d) in [(1, 0), (2, 1), (3, 2), (5, 4), (3, 0)] {
                row.push(match (count(n), count(d)) {
                    (Cell::Count(_), Cell::Count(0)) => Cell::Empty,
                    (Cell::Count(a), Cell::Count(b)) => Cell::Tenths(tenths(a, b)),
                    (Cell::Suppressed(m), _) | (_, Cell::Suppressed(m)) => Cell::Suppressed(m),
                    _ => Cell::Empty,
                });
            }
            for days in &c.days {
                row.push(if (days.len() as u64) < MIN_PEOPLE {
                    Cell::Suppressed(Mark::Primary)
                } else {
                    Cell::Halves(median_halves(days))
                });
            }
            out.push(row);
        }
    }
    out
}

/// Everything one run over a programme's event files gives: what `anchornet jobs funnel`
/// writes and the web's `/jobs` shows, computed once by [`run`].
#[derive(Debug, Clone)]
pub struct Run {
    /// The events kept.
    pub events: Vec<Event>,
    /// The raw figures (not for publication).
    pub funnel: Funnel,
    /// The published, suppressed table ([`table`]).
    pub table: Vec<Vec<Cell>>,
    /// Every rejected row and warning (they name candidates' references: they stay with the
    /// programme).
    pub issues: Vec<Issue>,
    /// Each file's reconciliation.
    pub reports: Vec<ExtractReport>,
}

/// The network the events are checked against: its name and its anchors' names (an event
/// naming another anchor is a warning, [`unknown_anchors`]).
pub struct NetworkNames<'a> {
    /// The network's name.
    pub name: &'a str,
    /// Its anchors.
    pub anchors: Vec<&'a str>,
}

/// Read, check, measure and suppress: the one pipeline of `anchornet jobs funnel` and the
/// web's `/jobs`.
pub fn run(paths: &[&Path], as_at: Option<PaymentDate>, network: Option<&NetworkNames<'_>>) -> Run {
    let (events, mut issues, reports) = read(paths, as_at);
    if let Some(n) = network {
        issues.extend(unknown_anchors(&events, &n.anchors, n.name));
    }
    let funnel = measure(&events, as_at);
    let table = table(&funnel);
    Run {
        events,
        funnel,
        table,
        issues,
        reports,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, cells: &[&str]) -> Row {
        Row {
            line,
            cells: cells.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn stages_are_read_as_programmes_write_them() {
        for (s, want) in [
            ("Referred", Stage::Referred),
            ("referral", Stage::Referred),
            ("Interview attended", Stage::Interviewed),
            ("Job offer", Stage::Offered),
            ("STARTED", Stage::Started),
            ("in_post_6m", Stage::InPost6m),
            ("In post at 6 months", Stage::InPost6m),
            ("6-month retention", Stage::InPost6m),
        ] {
            assert_eq!(Stage::parse(s), Some(want), "{s}");
        }
        for s in ["", "withdrew", "in post", "6 months"] {
            assert_eq!(Stage::parse(s), None, "{s}");
        }
    }

    #[test]
    fn layout_is_found_by_meaning() {
        let h: Vec<String> = [
            "Event Date",
            "Programme Name",
            "Employing Organisation",
            "Candidate Ref",
            "Funnel Stage",
            "Vacancy ID",
            "Home Postcode Sector",
        ]
        .map(String::from)
        .to_vec();
        let l: Layout<Field> = Layout::detect(&h);
        for (k, f) in [
            Field::Date,
            Field::Programme,
            Field::Anchor,
            Field::Candidate,
            Field::Stage,
            Field::Vacancy,
            Field::HomeSector,
        ]
        .into_iter()
        .enumerate()
        {
            assert_eq!(l.get(f), Some(k), "{f:?}");
        }
    }

    const HEADER: [&str; 6] = [
        "programme",
        "anchor",
        "candidate_id",
        "stage",
        "date",
        "home_sector",
    ];

    fn read_these(rows: Vec<Row>) -> (Vec<Event>, Vec<Issue>, Vec<ExtractReport>) {
        let (mut ev, mut is, mut rep) = (Vec::new(), Vec::new(), Vec::new());
        read_rows("x.csv", rows, &mut ev, &mut is, &mut rep);
        let ev = check_journeys(ev, &mut is, &mut rep);
        (ev, is, rep)
    }

    #[test]
    fn bad_rows_are_reported_with_where_and_the_rest_read() {
        let rows = vec![
            row(1, &HEADER),
            row(2, &["P", "A", "C-1", "referred", "2025-01-06", "M5 4"]),
            row(3, &["P", "A", "C-1", "hired", "2025-03-03", "M5 4WT"]),
            row(
                4,
                &["P", "A", "C-1", "in post at 6 months", "2025-06-02", ""],
            ),
            row(5, &["P", "A", "C-2", "shortlisted", "2025-01-06", ""]),
            row(6, &["P", "A", "C-2", "referred", "31/02/2025", ""]),
            row(7, &["P", "A", "Jane Smith", "referred", "2025-01-06", ""]),
            row(8, &["P", "A", "C-3", "referred", "2025-02-01", "nowhere"]),
            row(9, &["P", "A", "C-3", "interviewed", "2025-01-20", ""]),
            row(10, &["P", "A", "C-3", "referred", "2025-02-02", ""]),
            row(11, &["", "", "", "", "", ""]),
            row(12, &["P", "", "C-4", "referred", "2025-01-06", ""]),
        ];
        let (ev, issues, rep) = read_these(rows);
        let got: Vec<(u64, &str, &str, Outcome)> = issues
            .iter()
            .map(|i| (i.line, i.column.as_str(), i.value.as_str(), i.outcome))
            .collect();
        assert_eq!(
            got,
            [
                (5, "stage", "shortlisted", Outcome::Rejected),
                (6, "date", "31/02/2025", Outcome::Rejected),
                (7, "candidate_id", "(withheld)", Outcome::Rejected),
                (8, "home_sector", "nowhere", Outcome::Warning),
                (12, "anchor", "", Outcome::Rejected),
                // Journey checks, after every row is read.
                (4, "date", "2025-06-02", Outcome::Rejected),
                (10, "stage", "referred", Outcome::Rejected),
                (3, "stage", "hired", Outcome::Warning),
                (9, "date", "2025-01-20", Outcome::Warning),
            ]
        );
        assert!(issues[7]
            .problem
            .contains("without `interviewed`, `offered`"));
        assert!(issues[5].problem.contains("only 91 days"));
        // Rows read = accepted + rejected + blank, after the journey checks moved two.
        let r = &rep[0];
        assert_eq!(
            (r.rows_read, r.accepted, r.rejected, r.blank),
            (11, 4, 6, 1)
        );
        assert_eq!(ev.len(), 4);
        // A full postcode is cut to its sector.
        assert_eq!(ev[1].home_sector.as_deref(), Some("M5 4"));
        let f = measure(&ev, None);
        let (_, anchors, _) = &f.programmes[0];
        // C-1 reached started (interviewed, offered implied); C-3 interviewed.
        assert_eq!(anchors[0].1.reached, [2, 2, 1, 1, 0]);
    }

    #[test]
    fn medians_and_rates_are_exact() {
        assert_eq!(median_halves(&[3, 1, 2]), 4);
        assert_eq!(median_halves(&[1, 2, 3, 6]), 5);
        assert_eq!(Cell::Halves(5).text(), "2.5");
        assert_eq!(tenths(1, 3), 333);
        assert_eq!(tenths(2, 3), 667);
        assert_eq!(tenths(1, 8), 125);
        assert_eq!(tenths(1, 16), 63);
        assert_eq!(Cell::Tenths(625).text(), "62.5");
    }

    fn counts(reached: [u64; 5]) -> Counts {
        Counts {
            reached,
            due_6m: reached[3],
            people: reached,
            people_due_6m: reached[3],
            days: Default::default(),
        }
    }

    #[test]
    fn no_small_count_is_shown_and_none_can_be_recovered() {
        let f = Funnel {
            as_at: None,
            programmes: vec![(
                "P".into(),
                vec![
                    ("A".into(), counts([120, 80, 60, 50, 30])),
                    ("B".into(), counts([60, 40, 25, 20, 12])),
                    ("C".into(), counts([30, 14, 9, 8, 5])),
                ],
                counts([210, 134, 94, 78, 47]),
            )],
        };
        let t = table(&f);
        for r in &t {
            for c in &r[2..8] {
                if let Cell::Count(n) = c {
                    assert!(*n >= MIN_PEOPLE, "{r:?}");
                }
            }
        }
        // C's offered (9) is primary; the total's offered hidden, not B's (B knows its own).
        assert_eq!(t[2][4], Cell::Suppressed(Mark::Primary));
        assert_eq!(t[3][4], Cell::Suppressed(Mark::Secondary));
        assert_eq!(t[1][4], Cell::Count(25));
        // C's referred is 30: shown, and the total too.
        assert_eq!(t[3][2], Cell::Count(210));
        // Conversions touching a hidden count are hidden.
        assert!(t[2][10].hidden() && t[3][10].hidden());
        assert_eq!(t[0][8], Cell::Tenths(667));
        // Subtraction recovers nothing: in every column where the total is shown, no anchor
        // is hidden, or all three are (with one or two hidden, the public or a hidden anchor
        // would work out a hidden one).
        for (k, total) in t[3].iter().enumerate().take(8).skip(2) {
            if total.hidden() {
                continue;
            }
            let hidden = (0..3).filter(|&r| t[r][k].hidden()).count();
            assert!(hidden == 0 || hidden == 3, "column {k}");
        }
    }

    /// Random funnels (a fixed linear congruential sequence: 1..=4 programmes of 1..=5
    /// anchors of 0..60 referrals, each stage a random share of the one before): no shown
    /// count is under 10, and the independent attacker of `disclosure::recovered` finds no
    /// suppressed count, for the public or any anchor.
    #[test]
    fn random_funnels_show_no_small_count_and_leak_none() {
        let mut x: u64 = 20;
        let mut next = |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        for _ in 0..300 {
            let mut programmes = Vec::new();
            let names = ["A", "B", "C", "D", "E"];
            for p in 0..=next(4) {
                let mut anchors = Vec::new();
                let mut total = Counts::default();
                for name in names.iter().take(1 + next(5) as usize) {
                    let mut reached = [0u64; 5];
                    reached[0] = next(60);
                    for s in 1..5 {
                        reached[s] = next(reached[s - 1] + 1);
                    }
                    let c = counts(reached);
                    for (s, n) in reached.iter().enumerate() {
                        total.reached[s] += n;
                        total.people[s] += n;
                    }
                    total.due_6m += c.due_6m;
                    total.people_due_6m += c.due_6m;
                    anchors.push((name.to_string(), c));
                }
                programmes.push((format!("P{p}"), anchors, total));
            }
            let f = Funnel {
                as_at: None,
                programmes,
            };
            let t = table(&f);
            // Rebuild the cells, lines and marks the table shows, and attack them.
            let owner = |a: &str| names.iter().position(|n| *n == a).map(|i| i as u16);
            let (mut cells, mut marks, mut lines) = (Vec::new(), Vec::new(), Vec::new());
            let mut row = 0;
            for (_, anchors, total) in &f.programmes {
                let first = cells.len();
                for (name, c) in anchors
                    .iter()
                    .map(|(n, c)| (n.as_str(), c))
                    .chain([(ALL_ANCHORS, total)])
                {
                    for (k, (n, _)) in counts_of(c).into_iter().enumerate() {
                        let shown = &t[row][2 + k];
                        if let Cell::Count(v) = shown {
                            assert!(*v >= MIN_PEOPLE);
                            assert_eq!(*v, n);
                        }
                        // A programme at one anchor: its total is that anchor's own figure.
                        let who = match anchors.as_slice() {
                            [(only, _)] => owner(only),
                            _ => owner(name),
                        };
                        cells.push(disclosure::Cell {
                            value: n as i64,
                            small: n < MIN_PEOPLE,
                            empty: false,
                            owner: who,
                        });
                        marks.push(match shown {
                            Cell::Suppressed(m) => *m,
                            _ => Mark::Published,
                        });
                    }
                    row += 1;
                }
                let a = anchors.len();
                for k in 0..6 {
                    lines.push(Line {
                        total: first + a * 6 + k,
                        parts: (0..a).map(|r| first + r * 6 + k).collect(),
                    });
                }
            }
            for who in std::iter::once(None).chain((0..5).map(Some)) {
                assert_eq!(
                    disclosure::recovered(&cells, &lines, &marks, who),
                    Vec::<usize>::new(),
                    "{who:?} {t:?}"
                );
            }
        }
    }
}
