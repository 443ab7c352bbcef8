//! `/plan`: the network's action plan (`[plan] file` in `anchornet.toml`) with every
//! action's status recomputed from the data on each request — the workspace's analysis for
//! the spend indicators, the plan's own `[[assets]]` registers with the decisions stored in
//! the workspace for the asset indicators, its `[workforce]` extracts for the workforce
//! indicators — by the same [`anchornet_plan`] functions as `anchornet plan`; and each
//! anchor's self-assessment (`[plan] assessments`) as the network heatmap, anchors by
//! pillars and progression dimensions, with the measured figure beside each score.
//!
//! The self-assessment is kept in the workspace too: `/plan/assessment` is the form an
//! anchor's member (or an admin) answers for one anchor and year, `POST
//! /plan/assessment/import` takes an answers CSV in the layout `anchornet plan
//! --assessments` reads (bad rows listed by line, the rest saved in one transaction); the
//! heatmap reads the stored answers over the configured files. `/plan/history` is the
//! plan's change log kept in the store: every change of an action's fields seen when the
//! plan is recomputed ([`record_changes`], after every rebuild of the analysis, decision and
//! page view) and every answer changed.

use std::collections::HashMap;

use anchornet_core::FinancialYear;
use anchornet_plan::assess::{
    answers_table, heatmap_html, heatmap_table, level_of, question_index, Answer, Assessments,
    LEVELS, QUESTIONS,
};
use anchornet_plan::indicator::{Facts, Source};
use anchornet_plan::{history, render, Evaluated, Plan};
use anchornet_report::tables::Cell;
use anchornet_store::{Anchor, NewAnswer, PlanChangeKind};
use axum::extract::{Multipart, OriginalUri, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use super::Filter;
use crate::auth::{Signed, Viewer};
use crate::error::{AppError, AppResult};
use crate::page::{table, table_html, txt, urlencode, Fmt, Page};
use crate::state::AppState;

/// The facts the plan's indicators read, gathered as `anchornet plan` gathers them.
async fn facts(st: &AppState, plan: &Plan) -> AppResult<(Facts, Vec<String>)> {
    let snap = st.snap();
    let mut notes = Vec::new();
    let mut facts = Facts::default();
    if !snap.anchors.is_empty() {
        facts.analysis = Some(snap.analysis.clone());
    }
    facts.assets_year = plan.as_of.or_else(|| snap.years_desc().first().copied());
    if !plan.assets.is_empty() && plan.uses(Source::Assets) {
        let points = st.points().await?;
        let stored = st.store.asset_decisions().await?;
        let geo = st.geo.clone();
        let inputs = plan.assets.clone();
        let limits = st.cfg.limits;
        let (counted, problems) = tokio::task::spawn_blocking(move || {
            let locator = anchornet_assets::Locator {
                geo: &geo,
                points: &points,
            };
            let mut counted = Facts::default();
            let mut problems = Vec::new();
            for input in &inputs {
                let files: Vec<String> = input
                    .registers
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect();
                let register = anchornet_assets::Register::read(&files, &limits);
                problems.extend(
                    register
                        .problems
                        .iter()
                        .map(|p| format!("{}: {}", p.file, p.problem)),
                );
                // The workspace's stored decisions in place of the plan's decisions file;
                // a decision about another register's asset names none of these.
                let mut located = anchornet_assets::Located::build(register, &locator, None);
                located.decide(crate::land::decisions_of(&stored));
                counted.add_assets(&input.anchor, &located);
            }
            (counted, problems)
        })
        .await
        .map_err(AppError::internal)?;
        facts.assets = counted.assets;
        notes.extend(problems);
    }
    if let (Some(w), true) = (&plan.workforce, plan.uses(Source::Workforce)) {
        let net = st.cfg.network(&snap.anchors);
        let geo = st.geo.clone();
        let w = w.clone();
        let measured = tokio::task::spawn_blocking(move || {
            let (local, _, _) =
                anchornet_network::places_and_rules(&net, &geo).map_err(|e| e.to_string())?;
            let mut f = Facts::default();
            let unread = f
                .add_workforce(&w, &geo, &local, net.deprivation)
                .map_err(|e| e.to_string())?;
            Ok::<_, String>((f.workforce, unread))
        })
        .await
        .map_err(AppError::internal)?;
        match measured {
            Ok((w, unread)) => {
                facts.workforce = w;
                notes.extend(unread.into_iter().map(|(f, e)| format!("{f}: {e}")));
            }
            Err(e) => notes.push(format!("workforce indicators: {e}")),
        }
    }
    Ok((facts, notes))
}

/// The workspace's plan (`[plan] file`), or an empty one with a note saying why.
async fn load_plan(st: &AppState) -> AppResult<(Plan, Vec<String>)> {
    Ok(match st.cfg.plan.file.clone() {
        Some(file) => {
            let path = st.cfg.path(&file);
            let plan = tokio::task::spawn_blocking(move || Plan::load(std::path::Path::new(&path)))
                .await
                .map_err(AppError::internal)?
                .map_err(AppError::internal)?;
            (plan, Vec::new())
        }
        // No plan: the page says so, with empty tables.
        None => (
            Plan {
                name: "Action plan".into(),
                as_of: None,
                assets: Vec::new(),
                workforce: None,
                actions: Vec::new(),
                file: String::new(),
            },
            vec![
                "This workspace has no action plan: name it under [plan] file in anchornet.toml."
                    .to_string(),
            ],
        ),
    })
}

/// The self-assessments: the answer files of `[plan] assessments`, then the answers stored
/// in the workspace (which replace a file's answer for the same anchor, year and question),
/// measured against `facts`.
async fn assessments(st: &AppState, facts: &Facts) -> AppResult<(Assessments, Vec<String>)> {
    let mut notes = Vec::new();
    let mut assessments = Assessments::default();
    if !st.cfg.plan.assessments.is_empty() {
        let paths: Vec<String> = st
            .cfg
            .plan
            .assessments
            .iter()
            .map(|p| st.cfg.path(p))
            .collect();
        match anchornet_ingest::input::expand(&paths) {
            Ok(files) => {
                for p in files {
                    match std::fs::read_to_string(&p) {
                        Ok(text) => assessments.parse(&p.display().to_string(), &text),
                        Err(e) => notes.push(format!("{}: {e}", p.display())),
                    }
                }
            }
            Err(e) => notes.push(format!("{}: {}", e.name, e.message)),
        }
        notes.extend(assessments.problems.iter().map(|p| {
            format!(
                "{}:{}: {} = {:?}: {}",
                p.file, p.line, p.column, p.value, p.problem
            )
        }));
    }
    let snap = st.snap();
    for a in st.store.answers().await? {
        let Some(anchor) = snap.anchors.iter().find(|x| x.id == a.anchor_id) else {
            continue;
        };
        let Some(question) = question_index(&a.question) else {
            notes.push(format!(
                "stored answer of {} for {}: unknown question `{}`",
                anchor.name, a.year, a.question
            ));
            continue;
        };
        assessments.insert(Answer {
            anchor: anchor.name.clone(),
            year: a.year,
            question,
            level: a.level,
            evidence: a.evidence,
            file: "workspace".into(),
            line: 0,
        });
    }
    assessments.measure(facts);
    Ok((assessments, notes))
}

/// The plan judged now, with the facts it was judged on and any input not read.
async fn evaluate(st: &AppState) -> AppResult<(Evaluated, Facts, Vec<String>)> {
    let (plan, mut notes) = load_plan(st).await?;
    let (facts, more) = facts(st, &plan).await?;
    notes.extend(more);
    Ok((Evaluated::new(plan, &facts), facts, notes))
}

/// Log in the store what changed in the plan's actions since the log's last record (as
/// `anchornet plan` appends to plan-history.csv): called after every rebuild of the
/// analysis (an import, a withdrawal, a review decision), after an asset decision, and on
/// every view of `/plan`, so that a change of the data or of the plan file is logged once,
/// stamped with when it was first seen and what made it. A workspace with no plan logs
/// nothing. Returns how many changes were logged.
pub async fn record_changes(st: &AppState, cause: &str) -> AppResult<usize> {
    if st.cfg.plan.file.is_none() {
        return Ok(0);
    }
    let (evaluated, _, _) = evaluate(st).await?;
    record(st, &evaluated, cause).await
}

/// [`record_changes`] for a plan already judged (the `/plan` view judges it once for both).
async fn record(st: &AppState, evaluated: &Evaluated, cause: &str) -> AppResult<usize> {
    if st.cfg.plan.file.is_none() {
        return Ok(0);
    }
    let now = evaluated.state();
    // Two tries: another web node may log the same step between our read and our write.
    for _ in 0..2 {
        let log: Vec<history::Change> = st
            .store
            .plan_changes()
            .await?
            .into_iter()
            .filter(|c| c.kind == PlanChangeKind::Action)
            .map(|c| history::Change {
                at: String::new(),
                action: c.action,
                field: c.field,
                from: c.from,
                to: c.to,
            })
            .collect();
        let changes = history::diff(&history::replay(&log), &now, "");
        let rows: Vec<(String, String, String, String)> = changes
            .into_iter()
            .map(|c| (c.action, c.field, c.from, c.to))
            .collect();
        if st
            .store
            .add_plan_changes(log.len() as i64, &rows, anchornet_store::now(), cause)
            .await?
        {
            return Ok(rows.len());
        }
    }
    Ok(0)
}

/// `/plan`.
pub async fn plan(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    let (evaluated, facts, mut notes) = evaluate(&st).await?;
    let (assessments, more) = assessments(&st, &facts).await?;
    notes.extend(more);
    if let Err(e) = record(&st, &evaluated, "view").await {
        notes.push(format!(
            "the change log could not be written: {}",
            e.message
        ));
    }
    let actions = render::actions_table(&evaluated);
    let readings = render::readings_table(&evaluated);
    let heat = heatmap_table(&assessments);
    let answers = answers_table(&assessments);
    let counts = evaluated.counts();
    for n in &notes {
        eprintln!("anchornet-web: plan: {n}");
    }
    let body = html! {
        p { (evaluated.actions.len()) " actions: "
            @for (i, (s, n)) in counts.iter().enumerate() {
                @if i > 0 { ", " }
                span class=(format!("badge {}", s.css())) { (n) " " (s.as_str()) }
            }
            ". Each status is recomputed from the data now (docs/methodology/plan-status.md)." }
        div.wide { table data-table="actions" {
            thead { tr { th { "Action" } th { "Owner" } th { "Target" } th { "Now" } th { "Status" } } }
            tbody { @for (a, x) in &evaluated.actions { tr {
                td { strong { (a.id) } " " (a.title) br; small { (a.pillar.title()) } }
                td { (a.owner) }
                td { (a.target.describe(a.deadline)) }
                td { (x.current.map(|r| format!("{} ({})", a.target.indicator.unit().show(r.value), r.fy)).unwrap_or_else(|| "no data".into())) }
                td { span class=(format!("badge {}", x.status.css())) { (x.status.as_str()) } br; small { (x.reason) } }
            } } }
        } }
        p.note { "Download: " a href="/plan.csv?table=plan" { "actions CSV" } " · "
            a href="/plan.csv?table=plan-readings" { "readings CSV" } " · " a href="/plan.json" { "JSON" } }
        p.note { a href="/plan/history" { "The plan's change log" } " · "
            @if v.sees_any_rows() { a href="/plan/assessment" { "Answer the self-assessment" } }
            @else { "Anchors' members answer the self-assessment." } }
        @if assessments.answers.is_empty() {
            p { "No self-assessments yet: an anchor's members answer at /plan/assessment, or list answer files under [plan] assessments in anchornet.toml." }
        } @else {
            (heatmap_html(&assessments))
            (table_html(&heat, Some("/plan"), &|_| None))
        }
        @if !notes.is_empty() {
            h2 { "Notes" }
            ul { @for n in notes.iter().take(50) { li { (n) } } }
        }
    };
    Ok(Page {
        title: evaluated.plan.name.clone(),
        body,
        tables: vec![actions, readings, heat, answers],
        meta: json!({
            "actions": evaluated.actions.len(),
            "statuses": counts.iter().map(|(s, n)| (s.as_str().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
            "not_read": notes,
        }),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}

/// The financial year now (April–March, UTC).
fn this_year() -> FinancialYear {
    let t = history::rfc3339(anchornet_store::now());
    let y: i32 = t[..4].parse().unwrap_or(2025);
    let m: u32 = t[5..7].parse().unwrap_or(1);
    FinancialYear(if m >= 4 { y } else { y - 1 })
}

/// Who may answer for `anchor`: an admin for any, a member for their own; viewers none.
fn may_answer(v: &Viewer, anchor: &Anchor) -> AppResult<()> {
    if v.is_admin() || v.member_anchor() == Some(anchor.id) {
        Ok(())
    } else if v.member_anchor().is_some() {
        Err(AppError::forbidden(format!(
            "A member answers the self-assessment of their own anchor only, not {}'s.",
            anchor.name
        )))
    } else {
        Err(AppError::forbidden(
            "Only an anchor's members and network admins answer its self-assessment.",
        ))
    }
}

/// The anchor a request names by id, else the member's own, else (an admin) the first.
fn anchor_of(st: &AppState, v: &Viewer, id: Option<&str>) -> AppResult<Anchor> {
    let snap = st.snap();
    let wanted = match id.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::bad_request(format!("anchor `{s}`: give an anchor id")))?,
        ),
        None => v.member_anchor(),
    };
    let found = match wanted {
        Some(id) => snap.anchors.iter().find(|a| a.id == id),
        None => snap.anchors.first(),
    };
    found
        .cloned()
        .ok_or_else(|| AppError::not_found(format!("anchor {}", wanted.unwrap_or(0))))
}

/// The filters of `/plan/assessment`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssessmentQuery {
    /// Anchor id (default: the member's own; an admin's first anchor).
    pub anchor: Option<String>,
    /// Financial year (default: the latest answered for the anchor, else this year).
    pub year: Option<String>,
    /// Which table the CSV twin gives.
    pub table: Option<String>,
}

/// `/plan/assessment`: the self-assessment form for one anchor and year, with the answers
/// stored and the measured figure beside each question.
pub async fn assessment(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<AssessmentQuery>,
) -> AppResult<Response> {
    if !v.sees_any_rows() {
        return Err(AppError::forbidden(
            "Only an anchor's members and network admins answer its self-assessment.",
        ));
    }
    let anchor = anchor_of(&st, &v, q.anchor.as_deref())?;
    may_answer(&v, &anchor)?;
    let stored: Vec<_> = st
        .store
        .answers()
        .await?
        .into_iter()
        .filter(|a| a.anchor_id == anchor.id)
        .collect();
    let year = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(y) => y
            .parse::<FinancialYear>()
            .map_err(|e| AppError::bad_request(format!("year: {e}")))?,
        None => stored
            .iter()
            .map(|a| a.year)
            .max()
            .unwrap_or_else(this_year),
    };
    let (plan, _) = load_plan(&st).await?;
    let (facts, _) = facts(&st, &plan).await?;
    let (all, _) = assessments(&st, &facts).await?;

    let mut t = table(
        "assessment-answers",
        "Answers",
        "question",
        &[
            ("question", "The question's id (docs/plan.md, Self-assessment)."),
            ("dimension", "The pillar or progression dimension."),
            ("level", "1 starting out, 2 developing, 3 embedding, 4 leading; blank: not answered."),
            ("level_name", "The level's name."),
            ("evidence", "The evidence given."),
            ("answered_by", "Who answered in the workspace (blank: from an answers file of the workspace's configuration)."),
            ("answered_at", "When (UTC)."),
            ("indicator", "The measured indicator shown beside the score."),
            ("measured", "Its figure for the anchor: the year's, else the latest before."),
            ("measured_year", "The year of that figure."),
        ],
    );
    for (qi, question) in QUESTIONS.iter().enumerate() {
        let a = all.get(&anchor.name, year, qi);
        let s = stored
            .iter()
            .find(|s| s.year == year && s.question == question.id);
        let m = all.measured.get(&(anchor.name.clone(), year, qi));
        t.rows.push(vec![
            txt(question.id),
            txt(question.dimension),
            a.map_or(txt(""), |a| Cell::Int(i64::from(a.level))),
            txt(a.map_or("", |a| LEVELS[a.level as usize - 1])),
            txt(a.map_or("", |a| a.evidence.as_str())),
            txt(s.map_or("", |s| s.answered_by.as_str())),
            txt(s.map_or(String::new(), |s| history::rfc3339(s.answered_at))),
            txt(question.indicator.map_or("", |i| i.as_str())),
            txt(m.map_or(String::new(), |m| m.1.clone())),
            txt(m.map_or(String::new(), |m| m.0.to_string())),
        ]);
    }
    let snap = st.snap();
    let choices: Vec<&Anchor> = snap
        .anchors
        .iter()
        .filter(|a| v.is_admin() || v.member_anchor() == Some(a.id))
        .collect();
    let body = html! {
        p { "Score " strong { (anchor.name) } " for " strong { (year.to_string()) }
            " on each question, from 1 (starting out) to 4 (leading), with the evidence for the score. "
            "The measured figure for the anchor is beside each question that has one: a high score beside a low figure is a question the network will ask. "
            a href="/plan#assessment" { "The network heatmap" } "." }
        form.filters method="get" action="/plan/assessment" {
            label { "Anchor " select name="anchor" {
                @for a in &choices { option value=(a.id) selected[a.id == anchor.id] { (a.name) } }
            } }
            " " label { "Year " input type="text" name="year" value=(year.to_string()) size="8"; }
            " " button { "Show" }
        }
        form method="post" action="/plan/assessment" {
            input type="hidden" name="csrf" value=(v.csrf);
            input type="hidden" name="anchor" value=(anchor.id);
            input type="hidden" name="year" value=(year.to_string());
            @for (qi, question) in QUESTIONS.iter().enumerate() {
                @let a = all.get(&anchor.name, year, qi);
                @let m = all.measured.get(&(anchor.name.clone(), year, qi));
                fieldset {
                    legend { (question.dimension) " (" code { (question.id) } ")" }
                    p { (question.text) }
                    @if let (Some(i), Some((fy, val))) = (question.indicator, m) {
                        p.note { "Measured: " (i.label()) " " strong { (val) } " (" (fy.to_string()) ")" }
                    }
                    @for (l, what) in question.levels.iter().enumerate() {
                        @let n = l as u8 + 1;
                        label.level {
                            input type="radio" name=(format!("level_{}", question.id)) value=(n) checked[a.is_some_and(|a| a.level == n)];
                            " " strong { (n) " " (LEVELS[l]) } ": " (what)
                        }
                        br;
                    }
                    label { "Evidence " br;
                        textarea name=(format!("evidence_{}", question.id)) rows="2" cols="80" maxlength="2000" {
                            (a.map_or("", |a| a.evidence.as_str()))
                        }
                    }
                }
            }
            button { "Save" }
        }
        h2 { "Upload answers" }
        form method="post" action="/plan/assessment/import" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(v.csrf);
            p.note { "A CSV with the header " code { "anchor,year,question,level,evidence" } " (the layout anchornet plan --assessments reads), one row per answer; rows that cannot be used are listed by line and the others saved, all at once." }
            input type="file" name="file" accept=".csv,text/csv";
            " " button { "Upload" }
        }
        h2 { "Stored" }
        (table_html(&t, None, &|_| None))
    };
    Ok(Page {
        title: format!("Self-assessment: {} {}", anchor.name, year),
        body,
        tables: vec![t],
        meta: json!({"anchor": anchor.name, "anchor_id": anchor.id, "year": year.to_string()}),
    }
    .respond(Fmt::of_path(uri.path()), &v, q.table.as_deref()))
}

/// Where the form goes after a save.
fn assessment_href(anchor: i64, year: FinancialYear) -> String {
    format!(
        "/plan/assessment?anchor={anchor}&year={}",
        urlencode(&year.to_string())
    )
}

/// `POST /plan/assessment`: save the form's answers (a question with no level is left as
/// it was), all or none.
pub async fn save_assessment(
    Signed(v): Signed,
    State(st): State<AppState>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    v.check_csrf(form.get("csrf").map_or("", String::as_str))?;
    let anchor = anchor_of(&st, &v, Some(form.get("anchor").map_or("", String::as_str)))?;
    may_answer(&v, &anchor)?;
    let year: FinancialYear = form
        .get("year")
        .map_or("", String::as_str)
        .parse()
        .map_err(|e| AppError::bad_request(format!("year: {e}")))?;
    let mut answers = Vec::new();
    for q in &QUESTIONS {
        let level = form
            .get(&format!("level_{}", q.id))
            .map_or("", |s| s.trim());
        let evidence = form
            .get(&format!("evidence_{}", q.id))
            .map_or("", |s| s.trim());
        if level.is_empty() {
            if !evidence.is_empty() {
                return Err(AppError::bad_request(format!(
                    "{} ({}): choose a level for the evidence given",
                    q.dimension, q.id
                )));
            }
            continue;
        }
        let level = level_of(level).ok_or_else(|| {
            AppError::bad_request(format!(
                "{} ({}): level `{level}` is not 1–4",
                q.dimension, q.id
            ))
        })?;
        if evidence.is_empty() {
            return Err(AppError::bad_request(format!(
                "{} ({}): an answer needs its evidence",
                q.dimension, q.id
            )));
        }
        answers.push(NewAnswer {
            anchor_id: anchor.id,
            anchor: anchor.name.clone(),
            year,
            question: q.id.to_string(),
            level,
            evidence: evidence.to_string(),
        });
    }
    if answers.is_empty() {
        return Err(AppError::bad_request(
            "No answer given: choose a level and give the evidence for at least one question.",
        ));
    }
    st.store.save_answers(&answers, &v.name(), "form").await?;
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, assessment_href(anchor.id, year))],
    )
        .into_response())
}

/// `POST /plan/assessment/import`: an answers CSV (`anchor,year,question,level,evidence`).
/// Rows that cannot be used — not parsed, an anchor not in the workspace, or (for a member)
/// another anchor's — are listed with their line; the others are saved in one transaction.
pub async fn import_assessment(
    Signed(v): Signed,
    State(st): State<AppState>,
    mut mp: Multipart,
) -> AppResult<Response> {
    if !v.sees_any_rows() {
        return Err(AppError::forbidden(
            "Only an anchor's members and network admins answer its self-assessment.",
        ));
    }
    let (_, file) = super::read_upload(&mut mp, &v, "answers.csv").await?;
    let (name, bytes) = file.ok_or_else(|| AppError::bad_request("choose a file to upload"))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| AppError::bad_request(format!("{name}: not UTF-8 text ({e})")))?;
    let mut parsed = Assessments::default();
    parsed.parse(&name, text.trim_start_matches('\u{feff}'));
    let mut problems: Vec<(u64, String, String, String)> = parsed
        .problems
        .iter()
        .map(|p| (p.line, p.column.clone(), p.value.clone(), p.problem.clone()))
        .collect();
    let snap = st.snap();
    let mut answers = Vec::new();
    for a in &parsed.answers {
        let Some(anchor) = snap
            .anchors
            .iter()
            .find(|x| x.name.eq_ignore_ascii_case(a.anchor.trim()))
        else {
            problems.push((
                a.line,
                "anchor".into(),
                a.anchor.clone(),
                "not an anchor of this workspace".into(),
            ));
            continue;
        };
        if may_answer(&v, anchor).is_err() {
            problems.push((
                a.line,
                "anchor".into(),
                a.anchor.clone(),
                "a member answers for their own anchor only".into(),
            ));
            continue;
        }
        answers.push(NewAnswer {
            anchor_id: anchor.id,
            anchor: anchor.name.clone(),
            year: a.year,
            question: QUESTIONS[a.question].id.to_string(),
            level: a.level,
            evidence: a.evidence.clone(),
        });
    }
    problems.sort_by_key(|p| p.0);
    let changed = if answers.is_empty() {
        0
    } else {
        st.store
            .save_answers(&answers, &v.name(), &format!("upload {name}"))
            .await?
    };
    let mut t = table(
        "not_used",
        "Rows not used",
        "row not used",
        &[
            ("line", "Line in the file."),
            ("column", "Column."),
            ("value", "Value."),
            ("problem", "Why."),
        ],
    );
    t.rows = problems
        .iter()
        .map(|(l, c, val, p)| {
            vec![
                Cell::Int(*l as i64),
                txt(c.clone()),
                txt(val.clone()),
                txt(p.clone()),
            ]
        })
        .collect();
    let body = html! {
        p { (answers.len()) " answers read from " code { (name) } " and saved (" (changed) " changed). " }
        @if !problems.is_empty() {
            h2 { (problems.len()) " rows not used" }
            (table_html(&t, None, &|_| None))
        }
        p { a href="/plan/assessment" { "Back to the self-assessment" } " · " a href="/plan#assessment" { "The heatmap" } }
    };
    Ok(Page {
        title: "Self-assessment answers uploaded".into(),
        body,
        tables: vec![t],
        meta: json!({"saved": answers.len(), "changed": changed, "not_used": problems.len()}),
    }
    .respond(Fmt::Html, &v, None))
}

/// `/plan/history`: the plan's change log kept in the workspace, newest first.
pub async fn plan_history(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    if let Err(e) = record_changes(&st, "view").await {
        eprintln!("anchornet-web: plan history: {}", e.message);
    }
    let log = st.store.plan_changes().await?;
    let mut t = table(
        "plan-history",
        "History",
        "change",
        &[
            ("at", "When the change was first seen (UTC, RFC 3339)."),
            ("action", "The action's id; assessment:ANCHOR for a self-assessment answer."),
            ("field", "title, owner, deadline, target, current or status (action: added or removed); YEAR QUESTION for an answer's level, YEAR QUESTION evidence for its evidence."),
            ("from", "The value before (blank: none)."),
            ("to", "The value after (blank: removed)."),
            ("cause", "What made it: data (an import, withdrawal or review rebuilt the analysis), asset-decision, view (the plan recomputed when shown, e.g. after its file changed), or the user who answered."),
        ],
    );
    t.rows = log
        .iter()
        .rev()
        .map(|c| {
            vec![
                txt(history::rfc3339(c.at)),
                txt(c.action.clone()),
                txt(c.field.clone()),
                txt(c.from.clone()),
                txt(c.to.clone()),
                txt(c.cause.clone()),
            ]
        })
        .collect();
    let statuses = log
        .iter()
        .filter(|c| c.kind == PlanChangeKind::Action && c.field == "status" && !c.from.is_empty())
        .count();
    let body = html! {
        p { (log.len()) " changes logged, newest first; " (statuses) " of them an action's status moving. "
            "The log is never rewritten: as anchornet plan appends to plan-history.csv, every change of an action's title, owner, deadline, target, current figure or status is logged when the plan is recomputed, and every self-assessment answer changed when it is saved. "
            a href="/plan" { "The plan" } "." }
        (table_html(&t, Some("/plan/history"), &|_| None))
    };
    Ok(Page {
        title: "The plan's change log".into(),
        body,
        tables: vec![t],
        meta: json!({"changes": log.len(), "status_changes": statuses}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}
