//! `/assets`: the network's land and building assets ([`crate::land`]): every asset of the
//! workspace's registers with where it is (2021 LSOA, ward, IoD 2025 decile) and where it
//! stands for community use; `/assets/{asset}` one asset with its status history and, for
//! an admin, the form that moves it on; `/assets/map` the assets over deprivation.
//!
//! A decision (`POST /assets/{asset}/status`) is checked — a status of
//! [`anchornet_assets::Status`], an asset of the registers, a move the workflow allows
//! ([`anchornet_assets::Status::may_move`]) — then stored with who and when, audited, and
//! applied at once: the same typed decision `anchornet assets --decisions` reads from a file.

use anchornet_assets::{Field, Located, Status};
use anchornet_report::map::MapPoint;
use anchornet_report::tables::Cell;
use anchornet_store::NewAssetDecision;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use crate::auth::Signed;
use crate::error::{AppError, AppResult};
use crate::land::AssetsView;
use crate::page::{select, strip_ext, svg, table, table_html, txt, Fmt, Page};
use crate::state::AppState;

/// The filters of `/assets` and `/assets/map`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssetFilter {
    /// A status (`candidate`, `in-discussion`, …), or `none` for assets without one.
    pub status: Option<String>,
    /// An IoD 2025 decile, 1–10.
    pub decile: Option<String>,
    /// Which table the CSV twin gives.
    pub table: Option<String>,
}

/// What the status filter asks for.
enum Wanted {
    All,
    None,
    Is(Status),
}

impl AssetFilter {
    fn status(&self) -> Result<Wanted, AppError> {
        match self.status.as_deref().map(str::trim) {
            None | Some("") => Ok(Wanted::All),
            Some("none") => Ok(Wanted::None),
            Some(s) => s
                .parse::<Status>()
                .map(Wanted::Is)
                .map_err(|e| AppError::bad_request(format!("status: {e}, or none"))),
        }
    }

    fn decile(&self) -> Result<Option<u8>, AppError> {
        match self.decile.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(d) => match d.parse::<u8>() {
                Ok(n @ 1..=10) => Ok(Some(n)),
                _ => Err(AppError::bad_request(format!(
                    "decile `{d}`: give a whole number from 1 (most deprived) to 10"
                ))),
            },
        }
    }

    /// The assets kept by the filters, in register order.
    fn pick(&self, l: &Located) -> Result<Vec<usize>, AppError> {
        let (status, decile) = (self.status()?, self.decile()?);
        Ok((0..l.placements.len())
            .filter(|&i| match &status {
                Wanted::All => true,
                Wanted::None => l.status(i).is_none(),
                Wanted::Is(s) => l.status(i) == Some(*s),
            })
            .filter(|&i| decile.is_none() || l.placements[i].iod2025_decile == decile)
            .collect())
    }
}

/// The register's values of a field for asset `i`, `; `-joined.
fn field(l: &Located, i: usize, f: Field) -> String {
    let a = &l.register.assets[i];
    l.register.sheets[a.sheet].values(a, f).join("; ")
}

/// The asset's address: its address columns, else number, street, town; and postcode.
fn address(l: &Located, i: usize) -> String {
    let mut parts = Vec::new();
    let addr = field(l, i, Field::Address);
    if addr.is_empty() {
        let street = [field(l, i, Field::StreetNumber), field(l, i, Field::Street)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        parts.extend([street, field(l, i, Field::Town)]);
    } else {
        parts.push(addr);
    }
    parts.push(field(l, i, Field::Postcode));
    parts.retain(|s| !s.is_empty());
    parts.join(", ")
}

fn tenure(l: &Located, i: usize) -> String {
    [field(l, i, Field::Tenure), field(l, i, Field::TenureDetail)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

fn vacancy(l: &Located, i: usize) -> &'static str {
    match l.vacancy[i] {
        Some((true, _)) => "yes",
        Some((false, _)) => "no",
        None => "",
    }
}

/// The asset's key: the name its decisions use (asset id, UPRN or `file:line`).
fn key(l: &Located, i: usize) -> &str {
    l.keys[i].first().map_or("", String::as_str)
}

/// The path of an asset's page (the key percent-encoded, `/` too).
pub fn href(key: &str) -> String {
    format!(
        "/assets/{}",
        crate::page::urlencode(key).replace('/', "%2F")
    )
}

/// A file's name without its directories (the workspace's paths stay off the pages).
fn base_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

/// The columns of the asset list.
const COLUMNS: [(&str, &str); 12] = [
    ("id", "The asset's key: its asset id, else its UPRN, else file:line; decisions name it."),
    ("name", "The register's property name."),
    ("address", "Number, street, town and postcode as the register gives them."),
    ("tenure", "Tenure and tenure detail (freehold, leasehold; vacant, owner occupied…)."),
    ("use", "The register's use or holding type (land, buildings…)."),
    ("vacant", "yes when the register says the asset stands empty (the cell is in the asset's page); no; blank when it does not say."),
    ("lsoa21", "The 2021 LSOA the asset is in (blank: not placed; the reason is in its page)."),
    ("ward", "Its ward."),
    ("iod2025_decile", "IoD 2025 decile of the LSOA (1 = the most deprived 10% of England's neighbourhoods)."),
    ("status", "Where it stands for community use: candidate, in-discussion, agreed, transferred, not-suitable (blank: none)."),
    ("located_by", "What placed it: a point by its coordinates, its postcode, or a postcode in its address."),
    ("source", "The register file and line."),
];

fn row(l: &Located, i: usize) -> Vec<Cell> {
    let p = &l.placements[i];
    let a = &l.register.assets[i];
    let pair = |x: &Option<(String, String)>, name: bool| {
        x.as_ref()
            .map(|(c, n)| if name { n.clone() } else { c.clone() })
            .unwrap_or_default()
    };
    let usage = [field(l, i, Field::Use), field(l, i, Field::HoldingType)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    vec![
        txt(key(l, i)),
        txt(field(l, i, Field::Name)),
        txt(address(l, i)),
        txt(tenure(l, i)),
        txt(usage),
        txt(vacancy(l, i)),
        txt(pair(&p.lsoa21, false)),
        txt(pair(&p.ward, true)),
        p.iod2025_decile
            .map_or(txt(""), |d| Cell::Int(i64::from(d))),
        txt(l.status(i).map_or("", Status::as_str)),
        txt(p.method.map_or("", |m| m.as_str())),
        txt(format!(
            "{}:{}",
            base_name(&l.register.sheets[a.sheet].file),
            a.line
        )),
    ]
}

/// What a workspace without registers is told.
const NO_REGISTERS: &str =
    "This workspace has no asset registers: list them under [assets] registers in anchornet.toml.";

async fn view(st: &AppState) -> AppResult<std::sync::Arc<AssetsView>> {
    st.assets().await?.ok_or_else(|| AppError {
        status: StatusCode::NOT_FOUND,
        code: "not_found",
        message: NO_REGISTERS.into(),
    })
}

/// The view, or an empty one (the list and the map answer with empty tables and say why).
async fn view_or_empty(st: &AppState) -> AppResult<(std::sync::Arc<AssetsView>, bool)> {
    Ok(match st.assets().await? {
        Some(v) => (v, true),
        None => (std::sync::Arc::new(AssetsView::empty()), false),
    })
}

fn status_options() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Status::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), s.as_str().to_string()))
        .collect();
    v.push(("none".into(), "none".into()));
    v
}

fn decile_options() -> Vec<(String, String)> {
    (1..=10).map(|d| (d.to_string(), d.to_string())).collect()
}

/// `/assets`.
pub async fn list(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<AssetFilter>,
) -> AppResult<Response> {
    let (view, configured) = view_or_empty(&st).await?;
    let l = &view.located;
    let picked = f.pick(l)?;
    let mut t = table("assets", "Assets", "land or building asset", &COLUMNS);
    t.rows = picked.iter().map(|&i| row(l, i)).collect();
    let s = l.summary();
    let body = html! {
        @if !configured { p { (NO_REGISTERS) } }
        p { (s.assets) " assets in the registers: " (s.assets - s.unplaced) " placed in their neighbourhood, "
            (s.unplaced) " not (each with the reason on its page); " (s.vacant) " vacant, "
            (s.vacant_deciles_1_2) " of them in the most deprived 20% of neighbourhoods (IoD 2025 deciles 1–2). "
            a href="/assets/map" { "Map" } "." }
        form.filters method="get" action="/assets" {
            (select("status", "Status", &status_options(), f.status.as_deref()))
            " "
            (select("decile", "IoD 2025 decile", &decile_options(), f.decile.as_deref()))
            " " button { "Show" }
        }
        (table_html(&t, Some("/assets"), &|r| picked.get(r).map(|&i| href(key(l, i)))))
    };
    Ok(Page {
        title: "Land and building assets".into(),
        body,
        tables: vec![t],
        meta: json!({
            "assets": s.assets,
            "placed": s.assets - s.unplaced,
            "vacant": s.vacant,
            "vacant_deciles_1_2": s.vacant_deciles_1_2,
            "shown": picked.len(),
            "filters": {"status": f.status, "decile": f.decile},
        }),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}

/// `/assets/{asset}`.
pub async fn show(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path(asset): Path<String>,
    Query(f): Query<AssetFilter>,
) -> AppResult<Response> {
    let name = strip_ext(&asset).to_string();
    let view = view(&st).await?;
    let l = &view.located;
    let i = find(l, &name)?;
    let a = &l.register.assets[i];
    let sheet = &l.register.sheets[a.sheet];
    let p = &l.placements[i];

    let mut facts = table(
        "asset",
        "Asset",
        "fact",
        &[
            ("field", "The register's column, or what Anchornet added."),
            ("value", "Its value."),
        ],
    );
    for (h, c) in sheet.header.iter().zip(&a.cells) {
        facts.rows.push(vec![txt(h.clone()), txt(c.clone())]);
    }
    let pair = |x: &Option<(String, String)>| {
        x.as_ref()
            .map(|(c, n)| format!("{c} {n}").trim().to_string())
            .unwrap_or_default()
    };
    let added = [
        ("asset_key", key(l, i).to_string()),
        ("lsoa21", pair(&p.lsoa21)),
        ("ward", pair(&p.ward)),
        ("lad", pair(&p.lad)),
        (
            "iod2025_decile",
            p.iod2025_decile.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "located_by",
            p.method.map(|m| m.as_str().to_string()).unwrap_or_default(),
        ),
        (
            "locate_problem",
            p.unplaced
                .as_ref()
                .map(|u| u.reason.clone())
                .unwrap_or_else(|| p.notes.join("; ")),
        ),
        (
            "vacant",
            match &l.vacancy[i] {
                Some((b, ev)) => format!("{} ({ev})", if *b { "yes" } else { "no" }),
                None => String::new(),
            },
        ),
        ("status", l.status(i).map_or("", Status::as_str).to_string()),
        ("source", format!("{}:{}", base_name(&sheet.file), a.line)),
    ];
    for (k, val) in added {
        facts.rows.push(vec![txt(k), txt(val)]);
    }

    let mut hist = table(
        "history",
        "Status history",
        "step",
        &[
            ("step", "Order."),
            ("status", "The status set."),
            (
                "by",
                "Who (register: the register's own default, a vacant asset being a candidate).",
            ),
            ("at", "When (UTC)."),
            ("note", "Why."),
        ],
    );
    for (n, s) in l.histories[i].iter().enumerate() {
        hist.rows.push(vec![
            Cell::Int(n as i64 + 1),
            txt(s.status.as_str()),
            txt(s.by.clone()),
            txt(s.at.clone()),
            txt(s.note.clone()),
        ]);
    }
    let current = l.status(i);
    let moves: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|s| Status::may_move(current, *s).is_ok())
        .collect();
    let title = match field(l, i, Field::Name) {
        n if n.is_empty() => format!("Asset {}", key(l, i)),
        n => format!("{n} ({})", key(l, i)),
    };
    let me = href(key(l, i));
    let body = html! {
        p { "Status: " strong { (current.map_or("none", Status::as_str)) } " · "
            @match p.iod2025_decile { Some(d) => { "IoD 2025 decile " (d) }, None => { "deprivation not known" } }
            " · " a href="/assets" { "All assets" } }
        h2 { "Status history" }
        (table_html(&hist, None, &|_| None))
        @if v.is_admin() {
            h2 { "Move it on" }
            form.inline method="post" action=(format!("{me}/status")) {
                input type="hidden" name="csrf" value=(v.csrf);
                label { "Status " select name="status" {
                    @for s in &moves { option value=(s.as_str()) { (s.as_str()) } }
                } }
                " "
                input type="text" name="note" placeholder="why (who asked, what was agreed)" size="40" maxlength="1000";
                " " button { "Record" }
            }
            p.note { "Candidate → in-discussion → agreed → transferred; not-suitable sets it aside. Each decision is kept with who and when, and audited." }
        }
        h2 { "The register's row, and where it is" }
        (table_html(&facts, None, &|_| None))
        p.note { "Download: " a href=(format!("{me}.json")) { "JSON" } " · "
            a href=(format!("{me}.csv?table=history")) { "history CSV" } " · "
            a href=(format!("{me}.csv?table=asset")) { "asset CSV" } }
    };
    Ok(Page {
        title,
        body,
        tables: vec![hist, facts],
        meta: json!({
            "asset": key(l, i),
            "status": current.map(Status::as_str),
            "moves": moves.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        }),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}

/// The asset a key names, or a 404 that says so.
fn find(l: &Located, key: &str) -> AppResult<usize> {
    l.find(key).map_err(|n| match n {
        0 => AppError::not_found(format!(
            "Asset `{key}` (no asset of the registers has this asset id, UPRN or file:line)"
        )),
        n => AppError::conflict(format!(
            "`{key}` names {n} assets of the registers: use the asset id or file:line"
        )),
    })
}

/// A decision from the form.
#[derive(Deserialize)]
pub struct Decision {
    csrf: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

/// `POST /assets/{asset}/status`.
pub async fn decide(
    Signed(v): Signed,
    State(st): State<AppState>,
    Path(asset): Path<String>,
    Form(d): Form<Decision>,
) -> AppResult<Response> {
    v.require_admin()?;
    v.check_csrf(&d.csrf)?;
    let status: Status = d
        .status
        .parse()
        .map_err(|e| AppError::bad_request(format!("status: {e}")))?;
    let view = view(&st).await?;
    let l = &view.located;
    let i = find(l, asset.trim())?;
    let key = key(l, i).to_string();
    st.store
        .add_asset_decision(&NewAssetDecision {
            asset: key.clone(),
            status,
            from_register: l.default_status(i),
            decided_by: v.name(),
            note: d.note.trim().to_string(),
        })
        .await?;
    // The plan's asset actions move with the decision: log what changed.
    if let Err(e) = crate::handlers::plan::record_changes(&st, "asset-decision").await {
        eprintln!("anchornet-web: plan change log: {}", e.message);
    }
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, href(&key))]).into_response())
}

/// Status colours on the map (white: not yet moved; warm to green as it moves on).
fn fill(s: Option<Status>) -> &'static str {
    match s {
        None => "#555555",
        Some(Status::Candidate) => "#ffffff",
        Some(Status::InDiscussion) => "#f4c542",
        Some(Status::Agreed) => "#3d8bd9",
        Some(Status::Transferred) => "#2e9e4f",
        Some(Status::NotSuitable) => "#b0b0b0",
    }
}

/// `/assets/map`.
pub async fn map(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<AssetFilter>,
) -> AppResult<Response> {
    let (view, configured) = view_or_empty(&st).await?;
    let l = &view.located;
    let picked = f.pick(l)?;
    let mut by_decile = table(
        "deciles",
        "By decile",
        "IoD 2025 decile",
        &[
            (
                "iod2025_decile",
                "IoD 2025 decile of the asset's LSOA (blank: not placed).",
            ),
            ("assets", "Assets (of those the filters keep)."),
            ("vacant", "Of them, vacant."),
            ("candidates", "Of them, candidates now."),
            ("in_progress", "In discussion or agreed."),
            ("transferred", "Transferred."),
        ],
    );
    let mut counts = [[0i64; 5]; 11];
    for &i in &picked {
        let d = l.placements[i].iod2025_decile.map_or(0, usize::from);
        let c = &mut counts[d.min(10)];
        c[0] += 1;
        c[1] += i64::from(matches!(l.vacancy[i], Some((true, _))));
        match l.status(i) {
            Some(Status::Candidate) => c[2] += 1,
            Some(Status::InDiscussion | Status::Agreed) => c[3] += 1,
            Some(Status::Transferred) => c[4] += 1,
            _ => {}
        }
    }
    for (d, c) in counts
        .iter()
        .enumerate()
        .skip(1)
        .chain(counts.iter().enumerate().take(1))
    {
        if c[0] == 0 {
            continue;
        }
        let mut r = vec![if d == 0 { txt("") } else { Cell::Int(d as i64) }];
        r.extend(c.iter().map(|n| Cell::Int(*n)));
        by_decile.rows.push(r);
    }
    let mut pts = table(
        "points",
        "Assets on the map",
        "placed asset",
        &[
            ("id", "The asset's key."),
            ("name", "Its name."),
            ("status", "Its status."),
            ("iod2025_decile", "IoD 2025 decile of its LSOA."),
            (
                "longitude",
                "The point drawn (WGS84): the asset's own, or its postcode's.",
            ),
            ("latitude", "Latitude."),
        ],
    );
    let mut points = Vec::new();
    for &i in &picked {
        let Some((lon, lat)) = l.placements[i].point else {
            continue;
        };
        let s = l.status(i);
        let name = field(l, i, Field::Name);
        points.push(MapPoint {
            lon,
            lat,
            fill: fill(s).into(),
            title: format!(
                "{} {name}: {}; decile {}",
                key(l, i),
                s.map_or("no status", Status::as_str),
                l.placements[i]
                    .iod2025_decile
                    .map_or("not known".into(), |d| d.to_string())
            ),
        });
        pts.rows.push(vec![
            txt(key(l, i)),
            txt(name),
            txt(s.map_or("", Status::as_str)),
            l.placements[i]
                .iod2025_decile
                .map_or(txt(""), |d| Cell::Int(i64::from(d))),
            Cell::Num(Some(lon)),
            Cell::Num(Some(lat)),
        ]);
    }
    let legend: Vec<(String, String)> = Status::ALL
        .iter()
        .map(|s| (fill(Some(*s)).to_string(), s.as_str().to_string()))
        .chain([(fill(None).to_string(), "no status".to_string())])
        .collect();
    let drawn = (*view.map)
        .as_ref()
        .map(|m| anchornet_report::map::svg_with_points(m, &points, &legend));
    let body = html! {
        @if !configured { p { (NO_REGISTERS) } }
        p { (points.len()) " of " (picked.len()) " assets drawn (the others have no point: not placed). "
            "Areas are coloured by IoD 2025 decile; each dot is an asset, coloured by its status. "
            a href="/assets" { "The list" } "." }
        form.filters method="get" action="/assets/map" {
            (select("status", "Status", &status_options(), f.status.as_deref()))
            " "
            (select("decile", "IoD 2025 decile", &decile_options(), f.decile.as_deref()))
            " " button { "Show" }
        }
        @if let Some(s) = drawn { figure.map { (svg(s)) } } @else { p { "No boundaries to draw." } }
        (table_html(&by_decile, Some("/assets/map"), &|_| None))
    };
    Ok(Page {
        title: "Land and building assets over deprivation".into(),
        body,
        tables: vec![by_decile, pts],
        meta: json!({"shown": picked.len(), "drawn": points.len()}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}
