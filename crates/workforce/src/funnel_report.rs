//! The funnel's outputs: `funnel.csv` (through the report's formula-safe CSV writer),
//! `funnel.json`, `issues.csv` and `funnel.html` — one self-contained programme report (the
//! report's stylesheet and Content-Security-Policy: no script, nothing loaded, every text
//! escaped by maud). All four are written from the one suppressed table of
//! [`crate::funnel::table`], so they cannot disagree and none shows a suppressed count.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anchornet_ingest::{Issue, Outcome};
use anchornet_report::tables::{Cell as TCell, Column, Table};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::extract::ExtractReport;
use crate::funnel::{
    Cell, Funnel, Stage, ALL_ANCHORS, COLUMNS, MIN_PEOPLE, SIX_MONTHS_DAYS, SUPPRESSED,
};

/// What the report is about.
pub struct ReportInfo<'a> {
    /// The network's name, when a network file was given.
    pub network: Option<&'a str>,
    /// The files read, as given.
    pub files: Vec<String>,
}

const FUNNEL_STYLE: &str = r#"
.bar{fill:#1f5f8b}.bar.c{fill:#d9dee5}
td.c{color:#5b6675}
"#;

/// The published table as a report table: `funnel.csv` is written from it, and the web's
/// `/jobs` twins show it.
pub fn csv_table(rows: &[Vec<Cell>]) -> Table {
    Table {
        file: "funnel",
        sheet: "Funnel",
        about: "one row per programme and anchor, and one per programme (all anchors)",
        columns: COLUMNS.iter().map(|c| Column::new(c, c, "")).collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| TCell::Text(c.text())).collect())
            .collect(),
    }
}

/// `funnel.json`: the as-at date, the rule, the rows (numbers, `"[c]"` when suppressed,
/// null when there is no base) and each file's reconciliation.
pub fn json(f: &Funnel, rows: &[Vec<Cell>], reports: &[ExtractReport]) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::Value::Object(
                COLUMNS
                    .iter()
                    .zip(r)
                    .map(|(k, c)| (k.to_string(), c.json()))
                    .collect(),
            )
        })
        .collect();
    serde_json::json!({
        "as_at": f.as_at.map(|d| d.to_string()),
        "suppressed": SUPPRESSED,
        "min_people": MIN_PEOPLE,
        "rows": rows,
        "files": reports,
    })
}

fn td(c: &Cell) -> Markup {
    html! {
        @if c.hidden() { td class="n c" title="suppressed: fewer than 10 people, or hidden so that one cannot be worked out" { (c.text()) } }
        @else { td class="n" { (c.text()) } }
    }
}

/// The funnel of a programme's total row as horizontal bars (suppressed stages drawn grey).
fn bars(row: &[Cell]) -> Markup {
    let stages: Vec<(&str, &Cell)> = Stage::ALL
        .iter()
        .map(|s| s.title())
        .zip([&row[2], &row[3], &row[4], &row[5], &row[7]])
        .collect();
    let max = stages
        .iter()
        .filter_map(|(_, c)| match c {
            Cell::Count(n) => Some(*n),
            _ => None,
        })
        .max()
        .unwrap_or(1)
        .max(1);
    let h = 26 * stages.len() + 4;
    html! {
        svg class="chart" width="560" height=(h) viewBox=(format!("0 0 560 {h}")) role="img" aria-label="funnel" {
            @for (i, (label, c)) in stages.iter().enumerate() {
                @let y = 4 + 26 * i;
                text class="lb" x="0" y=(y + 15) { (label) }
                @match c {
                    Cell::Count(n) => {
                        @let w = (360 * n / max).max(1);
                        rect class="bar" x="150" y=(y) width=(w) height="20" {}
                        text class="val" x=(156 + w) y=(y + 15) { (n) }
                    }
                    _ => {
                        rect class="bar c" x="150" y=(y) width="360" height="20" {}
                        text class="val" x="156" y=(y + 15) { (SUPPRESSED) " suppressed" }
                    }
                }
            }
        }
    }
}

/// The programme report as one HTML document.
pub fn html(
    f: &Funnel,
    rows: &[Vec<Cell>],
    reports: &[ExtractReport],
    issues: &[Issue],
    info: &ReportInfo<'_>,
) -> String {
    let progs: Vec<&str> = f.programmes.iter().map(|(p, _, _)| p.as_str()).collect();
    let title = match progs.as_slice() {
        [one] => format!("{one}: jobs pathway funnel"),
        _ => "Jobs pathway funnel".to_string(),
    };
    let as_at = f.as_at.map(|d| d.to_string()).unwrap_or_else(|| "–".into());
    let mut problems: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for i in issues {
        let kind = i
            .problem
            .split([':', '('])
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        let outcome = match i.outcome {
            Outcome::Rejected => "rejected",
            Outcome::Warning => "kept, with a warning",
            Outcome::FileError => "file not read",
            Outcome::Skipped => "skipped",
        };
        *problems.entry((kind, outcome)).or_default() += 1;
    }
    let page = html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(anchornet_report::html::CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) }
                style { (PreEscaped(anchornet_report::html::STYLE)) (PreEscaped(FUNNEL_STYLE)) }
            }
            body {
                header {
                    h1 { (title) }
                    @if let Some(n) = info.network { p { (n) } }
                    p { "Referred → interviewed → offered → started → in post at 6 months. As at " (as_at) "." }
                }
                nav {
                    @for (i, p) in progs.iter().enumerate() { a href=(format!("#p{i}")) { (p) } }
                    a href="#method" { "How to read it" }
                    a href="#quality" { "Data" }
                }
                main {
                    @for (i, p) in progs.iter().enumerate() {
                        @let mine: Vec<&Vec<Cell>> = rows.iter().filter(|r| r[0].text() == *p).collect();
                        @let total = mine.iter().find(|r| r[1].text() == ALL_ANCHORS);
                        h2 id=(format!("p{i}")) { (p) }
                        @if let Some(t) = total {
                            div class="cards" {
                                div class="card" { div class="big" { (t[2].text()) } div class="lab" { "referred" } }
                                div class="card" { div class="big" { (t[5].text()) } div class="lab" { "started" } }
                                div class="card" { div class="big" { (t[7].text()) } div class="lab" { "in post at 6 months" } }
                                div class="card" { div class="big" { (t[11].text()) @if matches!(t[11], Cell::Tenths(_)) { "%" } } div class="lab" { "in post at 6 months, of those who started 182 days before " (as_at) } }
                            }
                            figure { (bars(t)) figcaption { "All anchors: journeys reaching each stage." } }
                        }
                        h3 { "Journeys reaching each stage" }
                        div class="wide" { table {
                            tr { th { "Anchor" } @for s in Stage::ALL.iter().take(4) { th class="n" { (s.title()) } } th class="n" { "Started ≥ 182 days before " (as_at) } th class="n" { (Stage::InPost6m.title()) } }
                            @for r in &mine {
                                tr class=[(r[1].text() == ALL_ANCHORS).then_some("net")] {
                                    td { (r[1].text()) } @for c in &r[2..8] { (td(c)) }
                                }
                            }
                        } }
                        h3 { "Conversion from stage to stage (%)" }
                        div class="wide" { table {
                            tr { th { "Anchor" } th class="n" { "Interviewed of referred" } th class="n" { "Offered of interviewed" } th class="n" { "Started of offered" } th class="n" { "In post at 6 months of those due" } th class="n" { "Started of referred" } }
                            @for r in &mine {
                                tr class=[(r[1].text() == ALL_ANCHORS).then_some("net")] {
                                    td { (r[1].text()) } @for c in &r[8..13] { (td(c)) }
                                }
                            }
                        } }
                        h3 { "Median days between stages" }
                        div class="wide" { table {
                            tr { th { "Anchor" } th class="n" { "Referred → interviewed" } th class="n" { "Interviewed → offered" } th class="n" { "Offered → started" } th class="n" { "Referred → started" } }
                            @for r in &mine {
                                tr class=[(r[1].text() == ALL_ANCHORS).then_some("net")] {
                                    td { (r[1].text()) } @for c in &r[13..17] { (td(c)) }
                                }
                            }
                        } }
                    }
                    h2 id="method" { "How to read it" }
                    p { "Each row counts candidates' journeys with one anchor: a journey has reached a stage when the records show that stage or a later one (a start without a recorded offer counts as an offer; the gap is listed in issues.csv). The row “" (ALL_ANCHORS) "” is the sum of the anchors. In post at 6 months is recorded at least " (SIX_MONTHS_DAYS) " days (26 weeks) after the start; its rate is of those who started at least " (SIX_MONTHS_DAYS) " days before the as-at date, since the others cannot be in post at 6 months yet." }
                    p { b { (SUPPRESSED) } " marks a figure that is not shown: a count of fewer than " (MIN_PEOPLE) " people (zero included), a rate from such a count, a median from fewer than " (MIN_PEOPLE) " journeys — or a count hidden as well so that a hidden one cannot be worked out by subtracting the anchors shown from the total, by the public or by an anchor that knows its own figures." }
                    p class="note" { "Method: docs/methodology/jobs-funnel.md. Conversions are rounded half up to one decimal; medians are in whole or half days." }
                    h2 id="quality" { "Data" }
                    table {
                        tr { th { "File" } th class="n" { "Rows read" } th class="n" { "Accepted" } th class="n" { "Rejected" } th class="n" { "Blank" } th { "Problem" } }
                        @for r in reports {
                            tr { td { (r.file) } td class="n" { (r.rows_read) } td class="n" { (r.accepted) } td class="n" { (r.rejected) } td class="n" { (r.blank) } td { (r.error.clone().unwrap_or_default()) } }
                        }
                    }
                    @if problems.is_empty() { p { "No row had a problem." } } @else {
                        p class="note" { "Problems by kind (each row, with its file, line, column and value, is in issues.csv, which stays with the programme: it names candidates' references)." }
                        table {
                            tr { th { "Problem" } th { "Outcome" } th class="n" { "Rows" } }
                            @for ((k, o), n) in &problems { tr { td { (k) } td { (o) } td class="n" { (n) } } }
                        }
                    }
                }
                footer {
                    p { "This file is self-contained: it loads nothing from anywhere, and can be read offline or printed. It shows no figure made from fewer than " (MIN_PEOPLE) " people." }
                    p { "Made by anchornet jobs funnel from " (info.files.join(", ")) "." }
                }
            }
        }
    };
    page.into_string()
}

/// Write `funnel.csv`, `funnel.json`, `funnel.html` and `issues.csv` into `dir`; returns the
/// paths written.
pub fn write(
    dir: &Path,
    f: &Funnel,
    rows: &[Vec<Cell>],
    reports: &[ExtractReport],
    issues: &[Issue],
    info: &ReportInfo<'_>,
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut out = Vec::new();
    let mut put = |name: &str, bytes: &[u8]| -> std::io::Result<()> {
        let p = dir.join(name);
        anchornet_report::write_atomic(&p, bytes)?;
        out.push(p);
        Ok(())
    };
    put(
        "funnel.csv",
        &anchornet_report::csv_set::to_bytes(&csv_table(rows)),
    )?;
    let j = serde_json::to_vec_pretty(&json(f, rows, reports)).map_err(std::io::Error::other)?;
    put("funnel.json", &j)?;
    put(
        "funnel.html",
        html(f, rows, reports, issues, info).as_bytes(),
    )?;
    put("issues.csv", &crate::issues::csv(issues))?;
    Ok(out)
}
