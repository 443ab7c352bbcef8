//! `/plan`: the network's action plan (`[plan] file` in `anchornet.toml`) with every
//! action's status recomputed from the data on each request — the workspace's analysis for
//! the spend indicators, the plan's own `[[assets]]` registers with the decisions stored in
//! the workspace for the asset indicators, its `[workforce]` extracts for the workforce
//! indicators — by the same [`anchornet_plan`] functions as `anchornet plan`; and each
//! anchor's self-assessment (`[plan] assessments`) as the network heatmap, anchors by
//! pillars and progression dimensions, with the measured figure beside each score.

use anchornet_plan::assess::{answers_table, heatmap_html, Assessments, QUESTIONS};
use anchornet_plan::indicator::{Facts, Source};
use anchornet_plan::{render, Evaluated, Plan};
use anchornet_report::tables::{Cell, Table};
use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use maud::html;
use serde_json::json;

use super::Filter;
use crate::auth::Signed;
use crate::error::{AppError, AppResult};
use crate::page::{table, table_html, Fmt, Page};
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

/// The heatmap as a table: one row per anchor and year, one column per question.
fn heatmap_table(s: &Assessments) -> Table {
    let mut cols: Vec<(&str, &str)> = vec![
        ("anchor", "The anchor."),
        ("year", "The financial year of the self-assessment."),
    ];
    cols.extend(QUESTIONS.iter().map(|q| (q.id, q.dimension)));
    let mut t = table("heatmap", "Heatmap", "anchor and year", &cols);
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
            t.rows.push(r);
        }
    }
    t
}

/// `/plan`.
pub async fn plan(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    let (plan, mut notes) = match st.cfg.plan.file.clone() {
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
    };
    let (facts, more) = facts(&st, &plan).await?;
    notes.extend(more);

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
        assessments.measure(&facts);
    }

    let evaluated = Evaluated::new(plan, &facts);
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
        @if assessments.answers.is_empty() {
            p { "No self-assessments: list the answer files under [plan] assessments in anchornet.toml." }
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
