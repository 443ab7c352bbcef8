//! Pages and their twins. A table page is built once as a [`Page`] — a title, HTML around
//! the tables, and the tables themselves (`anchornet_report::tables::Table`, the same type
//! the CSV set and workbook are written from) — and answered in the format its URL asks
//! for: `/categories` as HTML, `/categories.json` as JSON (every table, rows as objects, money
//! as exact decimal pounds in text, percentages as numbers), `/categories.csv` as CSV (the
//! page's first table, or `?table=NAME`). Like datasette, every table page has both twins.

use anchornet_report::tables::{Cell, Column, Table};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde_json::{json, Map, Value};

use crate::auth::Viewer;

/// The format a URL asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fmt {
    /// A page.
    Html,
    /// The JSON twin.
    Json,
    /// The CSV twin.
    Csv,
}

impl Fmt {
    /// From a request path's ending.
    pub fn of_path(path: &str) -> Fmt {
        if path.ends_with(".json") {
            Fmt::Json
        } else if path.ends_with(".csv") {
            Fmt::Csv
        } else {
            Fmt::Html
        }
    }
}

/// A path segment without its twin's extension (`3.json` → `3`).
pub fn strip_ext(s: &str) -> &str {
    s.strip_suffix(".json")
        .or_else(|| s.strip_suffix(".csv"))
        .unwrap_or(s)
}

/// Percent-encode for a query value.
pub fn urlencode(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

/// A page: HTML body (with its tables placed where they belong) and the tables for the twins.
pub struct Page {
    /// Title.
    pub title: String,
    /// The HTML body.
    pub body: Markup,
    /// The tables, for the twins.
    pub tables: Vec<Table>,
    /// Extra facts for the JSON twin (filters in force, counts).
    pub meta: Value,
}

/// A new empty table.
pub fn table(
    file: &'static str,
    sheet: &'static str,
    about: &'static str,
    cols: &[(&str, &str)],
) -> Table {
    Table {
        file,
        sheet,
        about,
        columns: cols
            .iter()
            .map(|(n, m)| Column {
                name: n.to_string(),
                title: title_of(n),
                meaning: m.to_string(),
            })
            .collect(),
        rows: Vec::new(),
    }
}

fn title_of(name: &str) -> String {
    let base = name
        .trim_end_matches("_gbp")
        .trim_end_matches("_pct")
        .replace('_', " ");
    let mut c = base.chars();
    let mut t = match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    };
    if name.ends_with("_gbp") {
        t.push_str(" £");
    } else if name.ends_with("_pct") {
        t.push_str(" %");
    }
    t
}

/// Text cell.
pub fn txt(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// A cell as HTML text.
pub fn cell_html(c: &Cell) -> (String, bool) {
    use anchornet_report::fmt;
    match c {
        Cell::Text(s) => (s.clone(), false),
        Cell::Int(n) => (
            if *n < 0 {
                format!("-{}", fmt::group(n.unsigned_abs()))
            } else {
                fmt::group(*n as u64)
            },
            true,
        ),
        Cell::Money(p) => (fmt::money(*p), true),
        Cell::Pct(x) => (fmt::pct(*x), true),
        Cell::Num(Some(x)) => (format!("{x:.1}"), true),
        Cell::Num(None) => (String::new(), true),
    }
}

/// A table as HTML, with a link to each twin. `link` may turn a row's first cell into a link.
pub fn table_html(
    t: &Table,
    twin_base: Option<&str>,
    link: &dyn Fn(usize) -> Option<String>,
) -> Markup {
    html! {
        div.wide {
            table data-table=(t.file) {
                thead { tr { @for c in &t.columns {
                    @let num = t.rows.first().map(|r| matches!(r.get(t.index(&c.name).unwrap_or(0)), Some(Cell::Money(_) | Cell::Int(_) | Cell::Pct(_) | Cell::Num(_)))).unwrap_or(false);
                    th.n[num] title=(c.meaning) { (c.title) }
                } } }
                tbody {
                    @for (i, r) in t.rows.iter().enumerate() {
                        tr { @for (j, c) in r.iter().enumerate() {
                            @let (s, num) = cell_html(c);
                            td.n[num] {
                                @if j == 0 { @if let Some(href) = link(i) { a href=(href) { (s) } } @else { (s) } }
                                @else { (s) }
                            }
                        } }
                    }
                    @if t.rows.is_empty() { tr { td colspan=(t.columns.len().max(1)) { em { "No rows." } } } }
                }
            }
            @if let Some(b) = twin_base {
                p.note { (t.rows.len()) " rows · " (t.about) " per row · download "
                    a href=(format!("{b}.csv{}", if t.file.is_empty() { String::new() } else { format!("?table={}", t.file) })) { "CSV" } " · "
                    a href=(format!("{b}.json")) { "JSON" } }
            }
        }
    }
}

/// A cell as JSON: money as exact decimal pounds in a string (`"1234.56"`), percentages
/// as numbers (18.23), counts as integers, nothing as null.
pub fn cell_json(c: &Cell) -> Value {
    match c {
        Cell::Text(s) => Value::String(s.clone()),
        Cell::Int(n) => json!(n),
        Cell::Money(_) => Value::String(c.csv()),
        Cell::Pct(Some(x)) if x.is_finite() => json!((x * 10000.0).round() / 100.0),
        Cell::Num(Some(x)) if x.is_finite() => json!(x),
        Cell::Pct(_) | Cell::Num(_) => Value::Null,
    }
}

/// A table as JSON.
pub fn table_json(t: &Table) -> Value {
    let rows: Vec<Value> = t
        .rows
        .iter()
        .map(|r| {
            let mut m = Map::new();
            for (c, v) in t.columns.iter().zip(r) {
                m.insert(c.name.clone(), cell_json(v));
            }
            Value::Object(m)
        })
        .collect();
    json!({
        "name": t.file,
        "about": t.about,
        "columns": t.columns.iter().map(|c| json!({"name": c.name, "title": c.title, "meaning": c.meaning})).collect::<Vec<_>>(),
        "rows": rows,
    })
}

/// A table as CSV text. CSV twins are for spreadsheets: text a spreadsheet would run as a
/// formula is neutralised ([`anchornet_core::cell::spreadsheet_text`]); numbers are kept as
/// they are. The JSON twin keeps every value exact.
pub fn table_csv(t: &Table) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(t.columns.iter().map(|c| c.name.as_str()));
    for r in &t.rows {
        let _ = w.write_record(
            r.iter()
                .map(|c| anchornet_core::cell::spreadsheet_text(&c.csv()).into_owned()),
        );
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

impl Page {
    /// Answer in a format.
    pub fn respond(self, fmt: Fmt, v: &Viewer, csv_table: Option<&str>) -> Response {
        match fmt {
            Fmt::Html => axum::response::Html(layout(v, &self.title, self.body).into_string())
                .into_response(),
            Fmt::Json => {
                let mut m = Map::new();
                m.insert("title".into(), Value::String(self.title));
                if let Value::Object(extra) = self.meta {
                    m.extend(extra);
                }
                m.insert(
                    "tables".into(),
                    Value::Array(self.tables.iter().map(table_json).collect()),
                );
                let mut r = Value::Object(m).to_string().into_response();
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                r
            }
            Fmt::Csv => {
                let t = csv_table
                    .and_then(|n| self.tables.iter().find(|t| t.file == n))
                    .or(self.tables.first());
                let body = t.map(table_csv).unwrap_or_default();
                let name = t.map(|t| t.file).unwrap_or("table");
                let mut r = body.into_response();
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                );
                if let Ok(h) =
                    HeaderValue::from_str(&format!("attachment; filename=\"{name}.csv\""))
                {
                    r.headers_mut().insert(header::CONTENT_DISPOSITION, h);
                }
                r
            }
        }
    }
}

/// The HTML around every page: navigation for the viewer's role, sign-out, and the footer
/// with sources and licences.
pub fn layout(v: &Viewer, title: &str, body: Markup) -> maud::Markup {
    let user = v.user.as_ref();
    let admin = v.is_admin();
    let rows = admin || v.member_anchor().is_some();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Anchornet" }
                link rel="stylesheet" href="/static/style.css";
                script src="/static/htmx.min.js" defer {}
            }
            body {
                header.top {
                    a.brand href=(if user.is_some() { "/overview" } else { "/public" }) { "Anchornet" }
                    @if let Some(u) = user {
                        nav {
                            a href="/overview" { "Overview" }
                            a href="/anchors" { "Anchors" }
                            a href="/suppliers" { "Suppliers" }
                            a href="/categories" { "Categories" }
                            a href="/leakage" { "Leakage" }
                            a href="/map" { "Map" }
                            a href="/hub" { "Hub" }
                            a href="/assets" { "Assets" }
                            a href="/plan" { "Plan" }
                            a href="/workforce" { "Workforce" }
                            a href="/jobs" { "Jobs" }
                            @if rows { a href="/imports" { "Imports" } }
                            @if admin { a href="/review" { "Review" } a href="/admin/users" { "Users" } a href="/admin/audit" { "Audit" } }
                            a href="/public" { "Public view" }
                        }
                        form.who method="post" action="/logout" {
                            span { (u.username) " · " (role_label(v)) }
                            input type="hidden" name="csrf" value=(v.csrf);
                            button type="submit" { "Sign out" }
                        }
                    } @else {
                        nav { a href="/public" { "Published figures" } a href="/login" { "Sign in" } }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
                footer {
                    p { "Anchornet " (env!("CARGO_PKG_VERSION")) " · open source (MIT or Apache-2.0). "
                        "Payment data: the anchors' own files and published spend data (Open Government Licence v3.0). "
                        "Postcodes, areas and boundaries: ONS (OGL v3.0); contains OS data © Crown copyright and database right; contains Royal Mail data © Royal Mail copyright and database right. "
                        "English Indices of Deprivation: MHCLG (OGL v3.0)." }
                }
            }
        }
    }
}

/// A page outside the layout (errors, sign-in).
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { (title) " · Anchornet" }
                link rel="stylesheet" href="/static/style.css";
            }
            body { header.top { a.brand href="/" { "Anchornet" } } main { h1 { (title) } (body) } }
        }
    }
}

fn role_label(v: &Viewer) -> String {
    match v.user.as_ref().map(|u| u.role) {
        Some(anchornet_store::Role::Admin) => "network admin".into(),
        Some(anchornet_store::Role::Viewer) => "network viewer".into(),
        Some(anchornet_store::Role::Member(_)) => {
            format!("member, {}", v.anchor_name.clone().unwrap_or_default())
        }
        None => String::new(),
    }
}

/// Raw SVG from the report crate (already escaped there).
pub fn svg(s: String) -> Markup {
    PreEscaped(s)
}

/// A filter form (GET) with selects; htmx is not needed, a plain form works everywhere.
pub fn select(
    name: &str,
    label: &str,
    options: &[(String, String)],
    current: Option<&str>,
) -> Markup {
    html! {
        label { (label) " "
            select name=(name) {
                option value="" { "all" }
                @for (v, l) in options {
                    option value=(v) selected[Some(v.as_str()) == current] { (l) }
                }
            }
        }
    }
}
