//! Each anchor's self-assessment: ten questions, one for each of the five community wealth
//! building pillars and one for each of the five dimensions of anchor progression, answered
//! on four levels from *starting out* to *leading*, with the evidence for each answer and the
//! measured indicator shown beside the self-score.
//!
//! The structure follows the published frameworks — CLES's five pillars of community wealth
//! building, and the five dimensions and four levels of the anchor progression framework
//! (Les Newby and Nicky Denison, *Harnessing the power of anchor institutions*, for the
//! Leeds anchors: employment, procurement, environment and assets, service delivery,
//! corporate and community behaviour) — but the questions and the level descriptions are Anchornet's own words
//! (`docs/plan.md`, "Self-assessment").
//!
//! Answers are a CSV per anchor and year (`anchor,year,question,level,evidence`), read by
//! [`Assessments::parse`]; a bad row is reported with its file, line, column and value and
//! the rest are read.

use std::collections::BTreeMap;

use anchornet_core::FinancialYear;
use anchornet_metrics::ScopeName;
use anchornet_report::tables::{Cell, Column, Table};
use maud::{html, Markup};

use crate::indicator::{Facts, IndicatorId};

/// The four levels.
pub const LEVELS: [&str; 4] = ["starting out", "developing", "embedding", "leading"];

/// Which framework a question's dimension belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framework {
    /// CLES's five pillars of community wealth building.
    Pillar,
    /// The anchor progression dimensions.
    Progression,
}

/// One question of the self-assessment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Question {
    /// Its id, as written in answer files.
    pub id: &'static str,
    /// The framework of its dimension.
    pub framework: Framework,
    /// The dimension's name.
    pub dimension: &'static str,
    /// The question.
    pub text: &'static str,
    /// What each level looks like, from starting out to leading.
    pub levels: [&'static str; 4],
    /// The measured indicator shown beside the self-score, where one exists.
    pub indicator: Option<IndicatorId>,
}

/// The ten questions: the five pillars, then the five progression dimensions.
pub const QUESTIONS: [Question; 10] = [
    Question {
        id: "procurement",
        framework: Framework::Pillar,
        dimension: "Progressive procurement",
        text: "How far does your buying deliberately widen the chances of local, small and social-economy suppliers?",
        levels: [
            "We know our total spend but not where our suppliers are.",
            "We have measured local spend once and talk to local suppliers informally.",
            "Local and social value goals are written into procurement strategy and checked each year against measured spend.",
            "We shape markets with other anchors: pooled pipelines, lots sized for local firms, measured results published.",
        ],
        indicator: Some(IndicatorId::LocalShareOfLocated),
    },
    Question {
        id: "employment",
        framework: Framework::Pillar,
        dimension: "Fair employment",
        text: "How far do your pay, contracts and recruitment give good work to people from the place?",
        levels: [
            "Pay and recruitment are set without regard to the place or to low pay.",
            "We know how many staff are below the Real Living Wage and have a plan to close the gap.",
            "All direct staff are paid at least the Real Living Wage and we recruit in our most deprived neighbourhoods.",
            "We are accredited, extend fair pay through our contracts and track hires from deprived areas against a target.",
        ],
        indicator: Some(IndicatorId::StaffBelowRealLivingWageShare),
    },
    Question {
        id: "land",
        framework: Framework::Pillar,
        dimension: "Land and property",
        text: "How far is your land and property used for the good of the community?",
        levels: [
            "We have no current list of our land and buildings or of those standing empty.",
            "We hold an asset register and know which assets are vacant.",
            "Vacant assets are offered for community or meanwhile use through an open process.",
            "Community asset transfer is routine and planned with other anchors across the place.",
        ],
        indicator: Some(IndicatorId::VacantAssetsInProgress),
    },
    Question {
        id: "finance",
        framework: Framework::Pillar,
        dimension: "Finance",
        text: "How far do your investments, pension fund and banking serve the local economy?",
        levels: [
            "Treasury and investment decisions take no account of the place.",
            "We have looked at where our funds are invested and banked.",
            "A share of investment is directed to local or social purposes under an agreed policy.",
            "We work with local lenders, credit unions or a community bank, and report the local share of our investments.",
        ],
        indicator: None,
    },
    Question {
        id: "ownership",
        framework: Framework::Pillar,
        dimension: "Plural ownership",
        text: "How far do you help co-operatives, social enterprises and community businesses to start and grow?",
        levels: [
            "We do not know which of our suppliers are social-economy organisations.",
            "We can name our social-economy suppliers and what we spend with them.",
            "We support new co-operatives and social enterprises with advice, grants or contracts.",
            "A growing share of our spend and services is with organisations owned by workers or the community.",
        ],
        indicator: Some(IndicatorId::VcseShareOfAll),
    },
    Question {
        id: "progression-employment",
        framework: Framework::Progression,
        dimension: "Employment",
        text: "How far do your jobs and training reach people furthest from work in the place?",
        levels: [
            "Entry routes are open in principle, with no outreach.",
            "We run some placements or apprenticeships aimed at local people.",
            "Pathways from local employment services into our entry roles are in place and followed up.",
            "Hiring from the most deprived neighbourhoods is targeted, measured and reported to the board.",
        ],
        indicator: Some(IndicatorId::NewHiresDeprivedShare),
    },
    Question {
        id: "progression-procurement",
        framework: Framework::Progression,
        dimension: "Procurement",
        text: "How far is social value weighed in what you buy, and are small firms able to bid?",
        levels: [
            "Contracts are awarded on price and quality alone.",
            "Social value is asked for in some large contracts.",
            "Social value is weighted in every contract above a threshold and delivery is checked.",
            "We publish our pipeline early, split contracts so small firms can win them, and report the results.",
        ],
        indicator: Some(IndicatorId::SmeShareOfKnown),
    },
    Question {
        id: "progression-assets",
        framework: Framework::Progression,
        dimension: "Environment and assets",
        text: "How far do you manage your estate and its environmental impact with the community in mind?",
        levels: [
            "The estate is managed for the institution's needs alone.",
            "We know where our assets are and have a carbon baseline.",
            "Our estate plans include community use and a route to net zero with local partners.",
            "Our land, buildings and green spaces are shared with the community by default and the impact is reported.",
        ],
        indicator: Some(IndicatorId::AssetsLocatedShare),
    },
    Question {
        id: "progression-services",
        framework: Framework::Progression,
        dimension: "Service delivery",
        text: "How far do you design services with and for the neighbourhoods with the greatest need?",
        levels: [
            "Services are planned for the whole population without regard to need by area.",
            "We can see where our service users live and where need is greatest.",
            "Services are designed with residents of the most deprived neighbourhoods.",
            "We pool budgets and data with other anchors to act on the causes of poor outcomes.",
        ],
        indicator: None,
    },
    Question {
        id: "progression-corporate",
        framework: Framework::Progression,
        dimension: "Corporate and community behaviour",
        text: "How far is acting as an anchor part of your strategy, governance and culture?",
        levels: [
            "The institution does not see itself as an anchor.",
            "An individual champions the anchor role without a formal remit.",
            "The board has agreed anchor commitments with named leads and reports progress.",
            "The anchor role shapes every strategy, and we lead the network's shared plan.",
        ],
        indicator: None,
    },
];

/// The index in [`QUESTIONS`] of a question id.
pub fn question_index(id: &str) -> Option<usize> {
    let id = id.trim().to_ascii_lowercase();
    QUESTIONS.iter().position(|q| q.id == id)
}

/// One answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The anchor.
    pub anchor: String,
    /// The financial year.
    pub year: FinancialYear,
    /// Index into [`QUESTIONS`].
    pub question: usize,
    /// Level 1–4.
    pub level: u8,
    /// The evidence for it.
    pub evidence: String,
    /// Where it was read.
    pub file: String,
    /// Line.
    pub line: u64,
}

pub use crate::Problem;

/// The answers read, with the measured figures to show beside them.
#[derive(Debug, Clone, Default)]
pub struct Assessments {
    /// Every answer (a later answer for the same anchor, year and question replaces an
    /// earlier one; the replaced one is reported).
    pub answers: Vec<Answer>,
    /// Rows not read.
    pub problems: Vec<Problem>,
    /// Measured figure per (anchor, question index): the indicator's reading for the answer's
    /// year, or the latest before it, with its year.
    pub measured: BTreeMap<(String, FinancialYear, usize), (FinancialYear, String)>,
}

/// A level from its number (`1`–`4`) or its name (`embedding`); `None` otherwise.
pub fn level_of(s: &str) -> Option<u8> {
    let t = s.trim().to_ascii_lowercase();
    if let Ok(n) = t.parse::<u8>() {
        return (1..=4).contains(&n).then_some(n);
    }
    LEVELS
        .iter()
        .position(|l| *l == t.replace(['-', '_'], " "))
        .map(|i| i as u8 + 1)
}

impl Assessments {
    /// Read an answers file.
    pub fn read(path: &std::path::Path) -> std::io::Result<Assessments> {
        let text = std::fs::read_to_string(path)?;
        let mut a = Assessments::default();
        a.parse(&path.display().to_string(), &text);
        Ok(a)
    }

    /// Parse answers (`anchor,year,question,level,evidence`), adding to these.
    pub fn parse(&mut self, file: &str, text: &str) {
        const HEAD: [&str; 5] = ["anchor", "year", "question", "level", "evidence"];
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let prob = |line: u64, column: &str, value: &str, problem: String| Problem {
            file: file.to_string(),
            line,
            column: column.to_string(),
            value: value.to_string(),
            problem,
        };
        let header: Vec<String> = match r.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
            Err(e) => {
                self.problems.push(prob(1, "", "", e.to_string()));
                return;
            }
        };
        if header != HEAD {
            self.problems.push(prob(
                1,
                "",
                &header.join(","),
                format!("expected the header {}", HEAD.join(",")),
            ));
            return;
        }
        for rec in r.records() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    self.problems.push(prob(line, "", "", e.to_string()));
                    continue;
                }
            };
            let line = rec.position().map_or(0, |p| p.line());
            let get = |i: usize| rec.get(i).unwrap_or("").trim();
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if get(0).is_empty() {
                self.problems
                    .push(prob(line, "anchor", "", "no anchor named".into()));
                continue;
            }
            let Ok(year) = get(1).parse::<FinancialYear>() else {
                self.problems.push(prob(
                    line,
                    "year",
                    get(1),
                    "not a financial year (e.g. 2025/26)".into(),
                ));
                continue;
            };
            let Some(q) = QUESTIONS
                .iter()
                .position(|q| q.id == get(2).to_ascii_lowercase())
            else {
                self.problems.push(prob(
                    line,
                    "question",
                    get(2),
                    format!(
                        "unknown question; known: {}",
                        QUESTIONS.map(|q| q.id).join(", ")
                    ),
                ));
                continue;
            };
            let Some(level) = level_of(get(3)) else {
                self.problems.push(prob(
                    line,
                    "level",
                    get(3),
                    format!("a level is 1–4 or one of: {}", LEVELS.join(", ")),
                ));
                continue;
            };
            if get(4).is_empty() {
                self.problems.push(prob(
                    line,
                    "evidence",
                    "",
                    "an answer needs its evidence".into(),
                ));
                continue;
            }
            let a = Answer {
                anchor: get(0).to_string(),
                year,
                question: q,
                level,
                evidence: get(4).to_string(),
                file: file.to_string(),
                line,
            };
            if let Some(old) = self
                .answers
                .iter_mut()
                .find(|o| o.anchor == a.anchor && o.year == a.year && o.question == q)
            {
                self.problems.push(prob(
                    old.line,
                    "question",
                    QUESTIONS[q].id,
                    format!("replaced by the answer on line {line} of {file}"),
                ));
                *old = a;
            } else {
                self.answers.push(a);
            }
        }
    }

    /// Add an answer kept elsewhere (the workspace's store): it replaces any answer for the
    /// same anchor, year and question, silently (a stored answer is the later word).
    pub fn insert(&mut self, a: Answer) {
        match self
            .answers
            .iter_mut()
            .find(|o| o.anchor == a.anchor && o.year == a.year && o.question == a.question)
        {
            Some(old) => *old = a,
            None => self.answers.push(a),
        }
    }

    /// Look up the measured figure beside each answer.
    pub fn measure(&mut self, facts: &Facts) {
        self.measured.clear();
        for a in &self.answers {
            let Some(id) = QUESTIONS[a.question].indicator else {
                continue;
            };
            let series = facts.series(id, &ScopeName::Anchor(a.anchor.clone()));
            if let Some(r) = series
                .iter()
                .rev()
                .find(|r| r.fy <= a.year)
                .or(series.last())
            {
                self.measured.insert(
                    (a.anchor.clone(), a.year, a.question),
                    (r.fy, id.unit().show(r.value)),
                );
            }
        }
    }

    /// The anchors answered for, in first-seen order.
    pub fn anchors(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for a in &self.answers {
            if !v.contains(&a.anchor) {
                v.push(a.anchor.clone());
            }
        }
        v
    }

    /// The years answered, ascending.
    pub fn years(&self) -> Vec<FinancialYear> {
        let mut v: Vec<FinancialYear> = self.answers.iter().map(|a| a.year).collect();
        v.sort();
        v.dedup();
        v
    }

    /// The answer of an anchor to a question in a year.
    pub fn get(&self, anchor: &str, year: FinancialYear, q: usize) -> Option<&Answer> {
        self.answers
            .iter()
            .find(|a| a.anchor == anchor && a.year == year && a.question == q)
    }
}

/// One row per answer, with the measured indicator beside it and the change from the
/// anchor's answer the year before.
pub fn answers_table(s: &Assessments) -> Table {
    let col = Column::new;
    let mut rows = Vec::new();
    for a in &s.answers {
        let q = &QUESTIONS[a.question];
        let before = s.get(&a.anchor, FinancialYear(a.year.0 - 1), a.question);
        let measured = s.measured.get(&(a.anchor.clone(), a.year, a.question));
        rows.push(vec![
            Cell::Text(a.anchor.clone()),
            Cell::Text(a.year.to_string()),
            Cell::Text(q.id.into()),
            Cell::Text(q.dimension.into()),
            Cell::Int(i64::from(a.level)),
            Cell::Text(LEVELS[a.level as usize - 1].into()),
            Cell::Text(
                before
                    .map(|b| format!("{:+}", i64::from(a.level) - i64::from(b.level)))
                    .unwrap_or_default(),
            ),
            Cell::Text(a.evidence.clone()),
            Cell::Text(q.indicator.map(|i| i.as_str()).unwrap_or("").into()),
            Cell::Text(measured.map(|m| m.1.clone()).unwrap_or_default()),
            Cell::Text(measured.map(|m| m.0.to_string()).unwrap_or_default()),
        ]);
    }
    Table {
        file: "assessment",
        sheet: "Self-assessment",
        about: "one row per anchor, year and question answered",
        columns: vec![
            col("anchor", "Anchor", "the anchor"),
            col("year", "Year", "financial year of the assessment"),
            col("question", "Question", "question id (docs/plan.md)"),
            col("dimension", "Dimension", "pillar or progression dimension"),
            col("level", "Level", "1 starting out … 4 leading"),
            col("level_name", "Level name", "the level's name"),
            col("change", "Change", "level change from the year before"),
            col("evidence", "Evidence", "the evidence given"),
            col(
                "indicator",
                "Indicator",
                "measured indicator shown beside the score",
            ),
            col(
                "measured",
                "Measured",
                "the indicator's figure for the anchor",
            ),
            col("measured_year", "Measured year", "the year of that figure"),
        ],
        rows,
    }
}

/// The heatmap as a table: one row per anchor and year answered, one column per question
/// (its id) holding the level, blank where not answered.
pub fn heatmap_table(s: &Assessments) -> Table {
    let mut columns = vec![
        Column::new("anchor", "Anchor", "the anchor"),
        Column::new("year", "Year", "the financial year of the self-assessment"),
    ];
    columns.extend(
        QUESTIONS
            .iter()
            .map(|q| Column::new(q.id, q.dimension, q.text)),
    );
    let mut rows = Vec::new();
    for y in s.years() {
        for a in s.anchors() {
            if (0..QUESTIONS.len()).all(|q| s.get(&a, y, q).is_none()) {
                continue;
            }
            let mut r = vec![Cell::Text(a.clone()), Cell::Text(y.to_string())];
            r.extend((0..QUESTIONS.len()).map(|q| {
                s.get(&a, y, q)
                    .map_or(Cell::Text(String::new()), |x| Cell::Int(i64::from(x.level)))
            }));
            rows.push(r);
        }
    }
    Table {
        file: "heatmap",
        sheet: "Heatmap",
        about: "one row per anchor and year, one column per question: the level",
        columns,
        rows,
    }
}

/// The network heatmap: anchors by questions for each year, levels coloured, with the
/// measured figure beside each score.
pub fn heatmap_html(s: &Assessments) -> Markup {
    let anchors = s.anchors();
    html! {
        h2 id="assessment" { "Self-assessment" }
        p class="note" {
            "Each anchor's own score on ten questions — the five community wealth building pillars and the five anchor progression dimensions — from 1 (starting out) to 4 (leading), with the measured figure beside the score where the data hold one. A high score beside a low figure is a question to ask."
        }
        @for y in s.years() {
            h3 { (y.to_string()) }
            div class="wide" {
                table {
                    tr {
                        th { "Anchor" }
                        @for q in &QUESTIONS { th title=(q.text) { (q.dimension) } }
                    }
                    @for an in &anchors {
                        tr {
                            td { (an) }
                            @for (qi, _) in QUESTIONS.iter().enumerate() {
                                @match s.get(an, y, qi) {
                                    Some(a) => {
                                        @let before = s.get(an, FinancialYear(y.0 - 1), qi);
                                        @let m = s.measured.get(&(an.clone(), y, qi));
                                        td class=(format!("lv lv{}", a.level)) title=(a.evidence) {
                                            (a.level)
                                            @if let Some(b) = before {
                                                @if a.level > b.level { " ↑" } @else if a.level < b.level { " ↓" } @else { " =" }
                                            }
                                            @if let Some((_, v)) = m { br; small { (v) } }
                                        }
                                    }
                                    None => { td class="lv" { "–" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        details {
            summary { "The questions and levels" }
            dl class="defs" {
                @for q in &QUESTIONS {
                    dt { (q.dimension) " (" code { (q.id) } ", " (match q.framework { Framework::Pillar => "pillar", Framework::Progression => "anchor progression" }) ")" }
                    dd { (q.text) ol { @for l in q.levels { li { (l) } } } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_and_bad_rows_reported_with_where() {
        let mut s = Assessments::default();
        s.parse(
            "a.csv",
            "anchor,year,question,level,evidence\n\
             Salford City Council,2024/25,procurement,3,strategy 2023\n\
             Salford City Council,2025/26,procurement,leading,pipeline published\n\
             Salford City Council,2025/26,land,5,x\n\
             Salford City Council,2025/26,housing,2,x\n\
             Salford City Council,2025/26,finance,2,\n",
        );
        assert_eq!(s.answers.len(), 2);
        assert_eq!(s.answers[1].level, 4);
        let p: Vec<(u64, &str)> = s
            .problems
            .iter()
            .map(|p| (p.line, p.column.as_str()))
            .collect();
        assert_eq!(p, vec![(4, "level"), (5, "question"), (6, "evidence")]);
        let t = answers_table(&s);
        assert_eq!(t.rows[1][6], Cell::Text("+1".into()));
    }
}
