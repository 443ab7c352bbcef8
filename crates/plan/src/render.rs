//! The plan as a board reads it: one self-contained HTML document (the report's stylesheet
//! and Content-Security-Policy: no script, nothing loaded, every text escaped by maud), and
//! the same rows as tables for the CSV files and the XLSX workbook, written by the report's
//! formula-safe writers ([`anchornet_report::csv_set::to_bytes`],
//! [`anchornet_report::xlsx::tables_to_bytes`]).

use std::path::{Path, PathBuf};

use anchornet_report::tables::{Cell, Column, Table};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::action::Pillar;
use crate::assess::Assessments;
use crate::history::Change;
use crate::status::Status;
use crate::Evaluated;

/// Extra styles: status badges and the heatmap.
const PLAN_STYLE: &str = r#"
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12.5px;font-weight:600;white-space:nowrap}
.st-on{background:#d9f0d3;color:#1b7837}.st-risk{background:#fee8c8;color:#a35200}
.st-off{background:#f8d3d3;color:#b2182b}.st-none{background:#eceff3;color:#5b6675}
td.lv{text-align:center;font-weight:600;min-width:44px}
.lv1{background:#f8d3d3}.lv2{background:#fee8c8}.lv3{background:#d9ecf7}.lv4{background:#cde9c6}
"#;

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// One row per action: who, what, the target and where it stands.
pub fn actions_table(e: &Evaluated) -> Table {
    let columns = vec![
        Column::new("id", "Action", "the action's id"),
        Column::new("title", "Title", "what will be done"),
        Column::new("owner", "Owner", "who answers for it"),
        Column::new("anchors", "Anchors", "the anchors taking part"),
        Column::new("pillar", "Pillar", "community wealth building pillar"),
        Column::new(
            "deadline",
            "Deadline",
            "financial year by which the target is to be met",
        ),
        Column::new("indicator", "Indicator", "the measured indicator's id"),
        Column::new("scope", "Scope", "whose figure: network or an anchor"),
        Column::new("direction", "Direction", "at_least or at_most"),
        Column::new("target", "Target", "target value in the indicator's unit"),
        Column::new("unit", "Unit", "percent, pounds or count"),
        Column::new("baseline_year", "Baseline year", "year the path starts"),
        Column::new("baseline", "Baseline", "value the path starts from"),
        Column::new("current_year", "Current year", "latest year with a figure"),
        Column::new("current", "Current", "latest figure"),
        Column::new(
            "milestone",
            "Milestone",
            "the straight path's value in the current year",
        ),
        Column::new(
            "status",
            "Status",
            "on track, at risk, off track or no data (docs/methodology/plan-status.md)",
        ),
        Column::new("reason", "Reason", "why, with the figures"),
        Column::new("source", "Source", "where the figure comes from"),
    ];
    let num = |v: Option<f64>| Cell::Num(v);
    let rows = e
        .actions
        .iter()
        .map(|(a, x)| {
            let t = &a.target;
            vec![
                text(&a.id),
                text(&a.title),
                text(&a.owner),
                text(a.anchors.join("; ")),
                text(a.pillar.as_str()),
                text(a.deadline.to_string()),
                text(t.indicator.as_str()),
                text(t.scope.as_str()),
                text(match t.direction {
                    crate::Direction::AtLeast => "at_least",
                    crate::Direction::AtMost => "at_most",
                }),
                num(Some(t.value)),
                text(unit_name(t.indicator.unit())),
                text(x.baseline.map(|r| r.fy.to_string()).unwrap_or_default()),
                num(x.baseline.map(|r| r.value)),
                text(x.current.map(|r| r.fy.to_string()).unwrap_or_default()),
                num(x.current.map(|r| r.value)),
                num(x.milestone),
                text(x.status.as_str()),
                text(&x.reason),
                text(t.indicator.source().as_str()),
            ]
        })
        .collect();
    Table {
        file: "plan",
        sheet: "Actions",
        about: "one row per action of the plan",
        columns,
        rows,
    }
}

fn unit_name(u: crate::indicator::Unit) -> &'static str {
    match u {
        crate::indicator::Unit::Percent => "percent",
        crate::indicator::Unit::Pounds => "pounds",
        crate::indicator::Unit::Count => "count",
    }
}

/// Every reading behind the statuses: one row per action and year.
pub fn readings_table(e: &Evaluated) -> Table {
    let mut rows = Vec::new();
    for (a, x) in &e.actions {
        for r in &x.series {
            rows.push(vec![
                text(&a.id),
                text(a.target.indicator.as_str()),
                text(a.target.scope.as_str()),
                text(r.fy.to_string()),
                Cell::Num(Some(r.value)),
                text(unit_name(a.target.indicator.unit())),
            ]);
        }
    }
    Table {
        file: "plan-readings",
        sheet: "Readings",
        about: "one row per action and financial year with a figure",
        columns: vec![
            Column::new("action", "Action", "the action's id"),
            Column::new("indicator", "Indicator", "the indicator's id"),
            Column::new("scope", "Scope", "network or an anchor"),
            Column::new("year", "Year", "financial year"),
            Column::new("value", "Value", "the figure, in the unit"),
            Column::new("unit", "Unit", "percent, pounds or count"),
        ],
        rows,
    }
}

/// The change log as a table.
pub fn history_table(log: &[Change]) -> Table {
    Table {
        file: "plan-history",
        sheet: "History",
        about: "one row per change of an action between runs",
        columns: crate::history::HEADER
            .iter()
            .map(|h| Column::new(h, h, "see docs/plan.md"))
            .collect(),
        rows: log
            .iter()
            .map(|c| {
                vec![
                    text(&c.at),
                    text(&c.action),
                    text(&c.field),
                    text(&c.from),
                    text(&c.to),
                ]
            })
            .collect(),
    }
}

fn badge(s: Status) -> Markup {
    html! { span class=(format!("badge {}", s.css())) { (s.as_str()) } }
}

/// The plan as one self-contained HTML document.
pub fn html(e: &Evaluated, log: &[Change], assessments: Option<&Assessments>) -> String {
    let title = format!("{}: action plan", e.plan.name);
    let counts = e.counts();
    let page = html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(anchornet_report::html::CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) }
                style { (PreEscaped(anchornet_report::html::STYLE)) (PreEscaped(PLAN_STYLE)) }
            }
            body {
                header {
                    h1 { (title) }
                    p { "Every status is recomputed from the data on each run; the rule is on the last page." }
                    p { "Plan file: " (e.plan.file) }
                }
                nav {
                    a href="#summary" { "Summary" }
                    @for p in Pillar::ALL { a href=(format!("#{}", p.as_str())) { (p.title()) } }
                    @if assessments.is_some() { a href="#assessment" { "Self-assessment" } }
                    a href="#history" { "Changes" }
                    a href="#method" { "How statuses are set" }
                }
                main {
                    h2 id="summary" { "Summary" }
                    div class="cards" {
                        @for (s, n) in counts {
                            div class="card" { div class="big" { (n) } div class="lab" { (badge(s)) } }
                        }
                    }
                    table {
                        tr { th { "Action" } th { "Title" } th { "Owner" } th { "Deadline" } th { "Target" } th class="n" { "Current" } th { "Status" } }
                        @for (a, x) in &e.actions {
                            tr {
                                td { a href=(format!("#a-{}", a.id)) { (a.id) } }
                                td { (a.title) }
                                td { (a.owner) }
                                td { (a.deadline.to_string()) }
                                td { (a.target.direction.symbol()) " " (a.target.indicator.unit().show(a.target.value)) " " small { (a.target.indicator.label()) " (" (a.target.scope) ")" } }
                                td class="n" { (x.current.map(|r| format!("{} ({})", a.target.indicator.unit().show(r.value), r.fy)).unwrap_or_else(|| "–".into())) }
                                td { (badge(x.status)) }
                            }
                        }
                    }
                    @for p in Pillar::ALL {
                        h2 id=(p.as_str()) { (p.title()) }
                        @let mine: Vec<_> = e.actions.iter().filter(|(a, _)| a.pillar == p).collect();
                        @if mine.is_empty() { p class="note" { "No action under this pillar." } }
                        @for (a, x) in mine {
                            h3 id=(format!("a-{}", a.id)) { (a.id) ": " (a.title) " " (badge(x.status)) }
                            p {
                                "Owner: " b { (a.owner) } ". Anchors: " (if a.anchors.is_empty() { "all".to_string() } else { a.anchors.join(", ") }) ". Deadline: " (a.deadline.to_string()) "."
                            }
                            p {
                                "Target: " b { (a.target.describe(a.deadline)) } " — " (a.target.indicator.label()) " (" (a.target.indicator.source().as_str()) "; method: " code { "docs/" (a.target.indicator.methodology()) } ")."
                            }
                            p { "Status: " (x.reason) "." }
                            @if !x.series.is_empty() {
                                table {
                                    tr { th { "Year" } @for r in &x.series { th class="n" { (r.fy.to_string()) } } th class="n" { "Target " (a.deadline.to_string()) } }
                                    tr { td { "Figure" } @for r in &x.series { td class="n" { (a.target.indicator.unit().show(r.value)) } } td class="n" { (a.target.direction.symbol()) " " (a.target.indicator.unit().show(a.target.value)) } }
                                }
                            }
                            @let mine_log: Vec<&Change> = log.iter().filter(|c| c.action == a.id && c.field != "current").collect();
                            @if !mine_log.is_empty() {
                                details {
                                    summary { "History (" (mine_log.len()) " changes)" }
                                    ul { @for c in mine_log { li { (c.at) ": " (c.field) " " (if c.from.is_empty() { "set".to_string() } else { format!("from {:?}", c.from) }) " to " (format!("{:?}", c.to)) } } }
                                }
                            }
                        }
                    }
                    @if let Some(s) = assessments { (crate::assess::heatmap_html(s)) }
                    h2 id="history" { "Changes between runs" }
                    p class="note" { "The append-only change log (plan-history.csv): every change of an action's title, owner, deadline, target, current figure or status since the plan was first run." }
                    @let shown: Vec<&Change> = log.iter().rev().filter(|c| c.field != "current").take(60).collect();
                    @if shown.is_empty() { p { "No changes recorded yet." } } @else {
                        table {
                            tr { th { "When" } th { "Action" } th { "Field" } th { "From" } th { "To" } }
                            @for c in shown { tr { td { (c.at) } td { (c.action) } td { (c.field) } td { (c.from) } td { (c.to) } } }
                        }
                    }
                    h2 id="method" { "How statuses are set" }
                    p { "Each target names a measured indicator, a scope (the network or one anchor), a value and a deadline year. On every run the indicator is read for the scope from the data: the " b { "current" } " figure is the latest year with one; the " b { "baseline" } " is the figure for the target's baseline year (or the first year with a figure). The " b { "path" } " runs straight from the baseline to the target in the deadline year; its value in the current year is the milestone." }
                    ul {
                        li { (badge(Status::OnTrack)) " the target is met, or the current figure is at least as good as the milestone." }
                        li { (badge(Status::AtRisk)) " behind the milestone, but not worse than the baseline; or one reading only (the baseline year) with the target not met." }
                        li { (badge(Status::OffTrack)) " worse than the baseline, or the deadline year has come without the target met." }
                        li { (badge(Status::NoData)) " the data hold no figure for the scope (or for the baseline year named)." }
                    }
                    p class="note" { "Full rule and worked examples: docs/methodology/plan-status.md. Spend figures are shares of influenceable spend as the analysis computes them (docs/methodology/)." }
                }
                footer {
                    p { "This file is self-contained: it loads nothing from anywhere, and can be read offline or printed." }
                    p { "Made by anchornet plan from " (e.plan.file) "." }
                }
            }
        }
    };
    page.into_string()
}

/// The columns of `plan.csv` the board paper's table of actions shows, in order.
pub const DOCX_ACTION_COLUMNS: [&str; 8] = [
    "id", "title", "owner", "pillar", "deadline", "target", "current", "status",
];

/// The plan as a Word document for the board (`plan.docx`): the title, the summary of
/// statuses, one table of the actions (the [`DOCX_ACTION_COLUMNS`] of `plan.csv`, the same
/// values), each action's reason, and the self-assessment heatmap as a table (the rows of
/// [`crate::assess::heatmap_table`]).
pub fn docx(e: &Evaluated, assessments: Option<&Assessments>) -> std::io::Result<Vec<u8>> {
    use anchornet_report::docx::Block;
    let all = actions_table(e);
    let picked: Vec<usize> = DOCX_ACTION_COLUMNS
        .iter()
        .map(|c| all.index(c).expect("a column of plan.csv"))
        .collect();
    let actions = Table {
        file: "plan",
        sheet: "Actions",
        about: all.about,
        columns: picked.iter().map(|&i| all.columns[i].clone()).collect(),
        rows: all
            .rows
            .iter()
            .map(|r| picked.iter().map(|&i| r[i].clone()).collect())
            .collect(),
    };
    let counts = e
        .counts()
        .iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut blocks = vec![
        Block::Heading(1, format!("{}: action plan", e.plan.name)),
        Block::Paragraph(format!(
            "{} actions: {counts}. Every status is recomputed from the data on each run \
             (docs/methodology/plan-status.md): on track when the target is met or the \
             current figure is on or ahead of the straight path from the baseline to the \
             target; at risk when behind it but not worse than the baseline; off track when \
             worse than the baseline or the deadline has come without the target met.",
            e.actions.len()
        )),
        Block::Heading(2, "Actions".into()),
        Block::Table(&actions),
    ];
    let reasons: Vec<String> = e
        .actions
        .iter()
        .map(|(a, x)| {
            format!(
                "{} ({}): {}: {}.",
                a.id,
                x.status,
                a.target.describe(a.deadline),
                x.reason
            )
        })
        .collect();
    blocks.push(Block::Heading(2, "Why each status".into()));
    blocks.extend(reasons.into_iter().map(Block::Paragraph));
    let heat = assessments.map(crate::assess::heatmap_table);
    blocks.push(Block::Heading(2, "Self-assessment heatmap".into()));
    match &heat {
        Some(h) => {
            blocks.push(Block::Paragraph(
                "Each anchor's own score on the ten questions (docs/plan.md, Self-assessment), \
                 from 1 (starting out) to 4 (leading); blank where not answered."
                    .into(),
            ));
            blocks.push(Block::Table(h));
        }
        None => blocks.push(Block::Paragraph("No self-assessment was given.".into())),
    }
    blocks.push(Block::Paragraph(format!(
        "Made by anchornet plan from {}.",
        e.plan.file
    )));
    anchornet_report::docx::to_bytes(&blocks)
}

/// Write `plan.html`, `plan.docx`, `plan.xlsx` and the CSV files (`plan.csv`, `plan-readings.csv`) into
/// `dir`; the change log (`plan-history.csv`) is appended to by the caller before. Returns
/// the paths written.
pub fn write(
    dir: &Path,
    e: &Evaluated,
    log: &[Change],
    assessments: Option<&Assessments>,
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut tables = vec![actions_table(e), readings_table(e)];
    if let Some(a) = assessments {
        tables.push(crate::assess::answers_table(a));
    }
    let mut written = Vec::new();
    let html_path = dir.join("plan.html");
    anchornet_report::write_atomic(&html_path, html(e, log, assessments).as_bytes())?;
    written.push(html_path);
    for t in &tables {
        let p = dir.join(format!("{}.csv", t.file));
        anchornet_report::write_atomic(&p, &anchornet_report::csv_set::to_bytes(t))?;
        written.push(p);
    }
    let d = dir.join("plan.docx");
    anchornet_report::write_atomic(&d, &docx(e, assessments)?)?;
    written.push(d);
    tables.push(history_table(log));
    let x = dir.join("plan.xlsx");
    anchornet_report::write_atomic(&x, &anchornet_report::xlsx::tables_to_bytes(&tables)?)?;
    written.push(x);
    Ok(written)
}
