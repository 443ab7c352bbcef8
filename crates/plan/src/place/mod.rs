//! Total Place: all the public money landing in a place, side by side, by service and by ward,
//! with the source and years of every stream (Institute for Government, *Total Place 2.0*:
//! see the money of the council, the NHS and the other public bodies in a place together).
//!
//! | stream | from | service is | area is |
//! |---|---|---|---|
//! | council revenue spending | MHCLG revenue outturn, RS service lines ([`outturn`]) | the RS service line | the council's district (county councils: the county) |
//! | anchors' procurement spend | the spend analysis's dataset (influenceable payments) | the payment's category | the supplier's ward when it is in the place; else "outside the place" or "not located" |
//! | grants | 360Giving files ([`grants`]) | the grant programme | the recipient's ward (by its postcode) when in the place; else the beneficiary district when in the place |
//! | published notices | Contracts Finder / OCDS / notices tables, read by `anchornet-hub` | the CPV description or category | the buyer's place |
//! | assets | located asset registers (`anchornet-assets`) | vacant or in use | the asset's ward |
//!
//! Money is in pence; counts are rows (grants, notices, assets). Streams are not added up:
//! they measure different things (a council's net spending, payments to suppliers, grants
//! awarded, contract values advertised) and overlap (a council's payments are part of its
//! revenue spending), so each is shown beside the others with its own source and years.

pub mod grants;
pub mod outturn;

use std::collections::BTreeMap;
use std::path::Path;

use anchornet_core::{FinancialYear, GssCode, Postcode};
use anchornet_geo::{GeoIndex, Place};
use anchornet_ingest::format::Table as RawTable;
use anchornet_ingest::Limits;
use anchornet_report::tables::{Cell, Column, Table};
use maud::{html, PreEscaped, DOCTYPE};

pub use crate::Problem;

/// Open a file with ingest's openers and decode its tables (sheets).
fn read_tables(path: &Path, limits: &Limits) -> Result<Vec<(String, RawTable)>, Problem> {
    let name = path.display().to_string();
    let sources = anchornet_ingest::input::open_with(path, limits)
        .map_err(|e| Problem::file(&name, &e.message))?;
    let mut out = Vec::new();
    for src in sources {
        let (_, tables) = anchornet_ingest::format::read(&src)
            .map_err(|e| Problem::file(&src.name, &e.to_string()))?;
        let several = tables.len() > 1;
        for t in tables {
            let file = match (&t.sheet, several) {
                (Some(s), true) => format!("{}!{s}", src.name),
                _ => src.name.clone(),
            };
            out.push((file, t));
        }
    }
    Ok(out)
}

/// A stream of public money (or assets) in the place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stream {
    /// Councils' revenue spending by service (revenue outturn).
    CouncilRevenue,
    /// The anchors' influenceable payments to suppliers.
    AnchorSpend,
    /// Grants awarded.
    Grants,
    /// Contract notices published by the place's buyers.
    Notices,
    /// Land and buildings.
    Assets,
}

impl Stream {
    /// As shown.
    pub fn title(self) -> &'static str {
        match self {
            Stream::CouncilRevenue => "Council revenue spending (net, by service)",
            Stream::AnchorSpend => "Anchors' procurement spend (influenceable)",
            Stream::Grants => "Grants awarded (360Giving)",
            Stream::Notices => "Contract notices published",
            Stream::Assets => "Land and building assets",
        }
    }

    /// As written in files.
    pub fn id(self) -> &'static str {
        match self {
            Stream::CouncilRevenue => "council_revenue",
            Stream::AnchorSpend => "anchor_spend",
            Stream::Grants => "grants",
            Stream::Notices => "notices",
            Stream::Assets => "assets",
        }
    }
}

/// One figure: a stream's money (and count) in a year, for a service, in an area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The stream.
    pub stream: Stream,
    /// The financial year (none for assets, which are as the register stands).
    pub year: Option<FinancialYear>,
    /// The service, category or programme.
    pub service: String,
    /// Area code (ward or district GSS code), or empty.
    pub area: String,
    /// Area name, or what the area is when there is no code ("outside the place").
    pub area_name: String,
    /// Pence.
    pub pence: i64,
    /// Rows behind it (payments, grants, notices, assets).
    pub count: u64,
}

/// Where a stream came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceNote {
    /// The stream.
    pub stream: Stream,
    /// Its files or publisher.
    pub source: String,
    /// The years it covers.
    pub years: String,
    /// What was read and used.
    pub note: String,
}

/// The Total Place view of one place.
#[derive(Debug, Clone, Default)]
pub struct TotalPlace {
    /// The place's name.
    pub place: String,
    /// Figures (aggregated by stream, year, service and area).
    pub rows: Vec<Row>,
    /// Sources, one per stream added.
    pub sources: Vec<SourceNote>,
    /// Rows not read or not used, with the reason.
    pub problems: Vec<Problem>,
}

type Key = (Stream, Option<FinancialYear>, String, String, String);

fn years_of(mut ys: Vec<FinancialYear>) -> String {
    ys.sort();
    ys.dedup();
    match (ys.first(), ys.last()) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} – {b} ({} years)", ys.len()),
        _ => "none".into(),
    }
}

impl TotalPlace {
    /// An empty view of `place`.
    pub fn new(place: &str) -> TotalPlace {
        TotalPlace {
            place: place.to_string(),
            ..TotalPlace::default()
        }
    }

    fn push_all(&mut self, acc: BTreeMap<Key, (i64, u64)>) {
        for ((stream, year, service, area, area_name), (pence, count)) in acc {
            self.rows.push(Row {
                stream,
                year,
                service,
                area,
                area_name,
                pence,
                count,
            });
        }
    }

    /// Councils' service lines: those of councils in the place, and of `also` (GSS codes of
    /// councils serving it, such as its county council).
    pub fn add_outturn(
        &mut self,
        o: &outturn::Outturn,
        place: &Place,
        also: &[String],
        source: &str,
    ) {
        let mut acc: BTreeMap<Key, (i64, u64)> = BTreeMap::new();
        let mut ys = Vec::new();
        let mut councils: Vec<String> = Vec::new();
        for l in o.lines.iter().filter(|l| !l.total) {
            let inside = GssCode::parse(&l.code).is_ok_and(|c| place.contains_district(&c));
            if !inside && !also.iter().any(|a| a.eq_ignore_ascii_case(&l.code)) {
                continue;
            }
            ys.push(l.year);
            let name = format!(
                "{} ({})",
                l.authority,
                if inside {
                    "in the place"
                } else {
                    "serving the place"
                }
            );
            if !councils.contains(&name) {
                councils.push(name.clone());
            }
            let e = acc
                .entry((
                    Stream::CouncilRevenue,
                    Some(l.year),
                    l.service.clone(),
                    l.code.clone(),
                    name,
                ))
                .or_default();
            e.0 += l.pence;
            e.1 += 1;
        }
        for (c, y, s, t) in o.unreconciled() {
            if councils.iter().any(|n| n.contains(&c)) || also.contains(&c) {
                self.problems.push(Problem {
                    file: source.to_string(),
                    line: 0,
                    column: "TOTAL SERVICE EXPENDITURE".into(),
                    value: format!("{c} {y}"),
                    problem: format!(
                        "service lines sum to {} but the total line says {}",
                        anchornet_core::Pence(s),
                        anchornet_core::Pence(t)
                    ),
                });
            }
        }
        self.problems.extend(o.problems.iter().cloned());
        self.sources.push(SourceNote {
            stream: Stream::CouncilRevenue,
            source: format!("{source} (MHCLG revenue outturn, RS service expenditure)"),
            years: years_of(ys),
            note: format!(
                "{} rows read, {} of other forms or measures; councils: {}",
                o.read,
                o.other,
                if councils.is_empty() {
                    "none in the place".to_string()
                } else {
                    councils.join(", ")
                }
            ),
        });
        self.push_all(acc);
    }

    /// The anchors' influenceable payments, by category and by the supplier's ward when the
    /// supplier's district is one of the place's.
    pub fn add_spend(&mut self, ds: &anchornet_metrics::Dataset, place: &Place, source: &str) {
        let mut acc: BTreeMap<Key, (i64, u64)> = BTreeMap::new();
        let mut ys = Vec::new();
        let (mut used, mut excluded) = (0u64, 0u64);
        for t in &ds.txns {
            if t.excluded_by.is_some() {
                excluded += 1;
                continue;
            }
            used += 1;
            ys.push(t.fy);
            let (area, name) = match ds.location(t) {
                Some(l) if GssCode::parse(&l.lad).is_ok_and(|c| place.contains_district(&c)) => (
                    l.ward.clone().unwrap_or_default(),
                    l.ward_name
                        .clone()
                        .unwrap_or_else(|| format!("{} (ward unknown)", l.lad_name)),
                ),
                Some(_) => (String::new(), "outside the place".to_string()),
                None => (String::new(), "supplier not located".to_string()),
            };
            let cat = ds
                .categories
                .get(t.category as usize)
                .cloned()
                .unwrap_or_default();
            let e = acc
                .entry((Stream::AnchorSpend, Some(t.fy), cat, area, name))
                .or_default();
            e.0 += t.pence;
            e.1 += 1;
        }
        self.sources.push(SourceNote {
            stream: Stream::AnchorSpend,
            source: format!(
                "{source}: {}",
                ds.anchors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")
            ),
            years: years_of(ys),
            note: format!("{used} influenceable payments; {excluded} excluded by the influenceable-spend rules"),
        });
        self.push_all(acc);
    }

    /// Grants landing in the place: the recipient's postcode in the place (placed at its
    /// ward), or a beneficiary location in the place's districts (placed at the district).
    pub fn add_grants(&mut self, g: &grants::Grants, geo: &GeoIndex, place: &Place, source: &str) {
        let mut acc: BTreeMap<Key, (i64, u64)> = BTreeMap::new();
        let mut ys = Vec::new();
        let (mut inside, mut outside) = (0u64, 0u64);
        for x in &g.grants {
            let loc = Postcode::parse(&x.postcode)
                .ok()
                .and_then(|p| geo.lookup(&p));
            let benefit = x
                .beneficiary_codes
                .iter()
                .find(|c| GssCode::parse(c).is_ok_and(|g| place.contains_district(&g)));
            let area = match (&loc, benefit) {
                (Some(l), _) if place.contains(l) => Some(match &l.ward {
                    Some(w) => (w.code.to_string(), w.name.unwrap_or(w.code).to_string()),
                    None => (String::new(), "ward unknown".to_string()),
                }),
                (_, Some(c)) => Some((
                    c.clone(),
                    format!("{} as a whole (beneficiary area)", place.name),
                )),
                _ => None,
            };
            let Some((code, name)) = area else {
                outside += 1;
                self.problems.push(Problem {
                    file: x.file.clone(),
                    line: x.line,
                    column: "Recipient Org:Postal Code".into(),
                    value: x.postcode.clone(),
                    problem: format!("grant not in {}: recipient not placed in it, and no beneficiary area in it", place.name),
                });
                continue;
            };
            inside += 1;
            ys.push(x.year);
            let e = acc
                .entry((
                    Stream::Grants,
                    Some(x.year),
                    x.programme.clone(),
                    code,
                    name,
                ))
                .or_default();
            e.0 += x.pence;
            e.1 += 1;
        }
        self.problems.extend(g.problems.iter().cloned());
        self.sources.push(SourceNote {
            stream: Stream::Grants,
            source: format!("{source} (360Giving)"),
            years: years_of(ys),
            note: format!(
                "{} grants read, {inside} in the place, {outside} not, {} rows rejected",
                g.read,
                g.problems.len()
            ),
        });
        self.push_all(acc);
    }

    /// Notices published by buyers whose name contains `buyer` (case-insensitive), by the
    /// financial year of the contract start (else the date to market, else the tender end).
    pub fn add_notices(&mut self, p: &anchornet_hub::sources::Pipeline, buyer: &str, source: &str) {
        let mut acc: BTreeMap<Key, (i64, u64)> = BTreeMap::new();
        let mut ys = Vec::new();
        let want = buyer.to_lowercase();
        let mut n = 0u64;
        for o in &p.opportunities {
            if !o.buyer.to_lowercase().contains(&want) {
                continue;
            }
            let d = o.contract_start.or(o.to_market).or(o.tender_end);
            let year = d.map(|d| {
                use chrono::Datelike;
                FinancialYear(if d.month() >= 4 {
                    d.year()
                } else {
                    d.year() - 1
                })
            });
            n += 1;
            if let Some(y) = year {
                ys.push(y);
            }
            let service = o
                .category
                .clone()
                .filter(|c| !c.trim().is_empty())
                .or_else(|| {
                    o.cpv.first().map(|c| {
                        format!("{c} {}", c.label().unwrap_or(""))
                            .trim()
                            .to_string()
                    })
                })
                .unwrap_or_else(|| "(no category)".into());
            let e = acc
                .entry((
                    Stream::Notices,
                    year,
                    service,
                    String::new(),
                    o.buyer.clone(),
                ))
                .or_default();
            e.0 += o.value.map_or(0, |v| v.0);
            e.1 += 1;
        }
        self.sources.push(SourceNote {
            stream: Stream::Notices,
            source: format!("{source} (buyers named like {buyer:?})"),
            years: years_of(ys),
            note: format!(
                "{} opportunities read, {n} from the place's buyers; value is the notice's awarded or advertised value",
                p.opportunities.len()
            ),
        });
        self.push_all(acc);
    }

    /// Assets by ward: vacant or in use, counted.
    pub fn add_assets(&mut self, l: &anchornet_assets::Located, source: &str) {
        let mut acc: BTreeMap<Key, (i64, u64)> = BTreeMap::new();
        for (i, p) in l.placements.iter().enumerate() {
            let vacant = matches!(l.vacancy[i], Some((true, _)));
            let (code, name) = match (&p.ward, p.method) {
                (Some((c, n)), _) => (c.clone(), if n.is_empty() { c.clone() } else { n.clone() }),
                (None, Some(_)) => (String::new(), "ward unknown".into()),
                (None, None) => (String::new(), "not located".into()),
            };
            let service = if vacant {
                "vacant"
            } else {
                "in use or not stated"
            };
            acc.entry((Stream::Assets, None, service.into(), code, name))
                .or_default()
                .1 += 1;
        }
        self.sources.push(SourceNote {
            stream: Stream::Assets,
            source: source.to_string(),
            years: "as the register stands".into(),
            note: format!("{} assets", l.placements.len()),
        });
        self.push_all(acc);
    }

    /// Per stream and year: money and rows.
    pub fn summary_table(&self) -> Table {
        // Councils are kept apart: a county's figures are county-wide, not the place's share.
        let mut acc: BTreeMap<(Stream, String, Option<FinancialYear>), (i64, u64)> =
            BTreeMap::new();
        for r in &self.rows {
            let body = match r.stream {
                Stream::CouncilRevenue => r.area_name.clone(),
                _ => String::new(),
            };
            let e = acc.entry((r.stream, body, r.year)).or_default();
            e.0 += r.pence;
            e.1 += r.count;
        }
        Table {
            file: "place-summary",
            sheet: "Summary",
            about: "one row per stream and financial year",
            columns: vec![
                Column::new("stream", "Stream", "what the money is"),
                Column::new(
                    "body",
                    "Body",
                    "for council spending, the council (county councils' figures are county-wide)",
                ),
                Column::new("year", "Year", "financial year"),
                Column::new("amount_gbp", "Amount £", "money in the stream and year"),
                Column::new(
                    "rows",
                    "Rows",
                    "payments, service lines, grants, notices or assets behind it",
                ),
            ],
            rows: acc
                .into_iter()
                .map(|((s, b, y), (p, n))| {
                    vec![
                        Cell::Text(s.id().into()),
                        Cell::Text(b),
                        Cell::Text(y.map(|y| y.to_string()).unwrap_or_default()),
                        Cell::Money(p),
                        Cell::Int(n as i64),
                    ]
                })
                .collect(),
        }
    }

    /// Per stream, year and service.
    pub fn services_table(&self) -> Table {
        let mut acc: BTreeMap<(Stream, Option<FinancialYear>, String), (i64, u64)> =
            BTreeMap::new();
        for r in &self.rows {
            let service = match r.stream {
                Stream::CouncilRevenue => format!("{} — {}", r.service, r.area_name),
                _ => r.service.clone(),
            };
            let e = acc.entry((r.stream, r.year, service)).or_default();
            e.0 += r.pence;
            e.1 += r.count;
        }
        Table {
            file: "place-services",
            sheet: "By service",
            about: "one row per stream, financial year and service (category, programme)",
            columns: vec![
                Column::new("stream", "Stream", "what the money is"),
                Column::new("year", "Year", "financial year"),
                Column::new(
                    "service",
                    "Service",
                    "service line, spend category, grant programme or CPV",
                ),
                Column::new("amount_gbp", "Amount £", "money"),
                Column::new("rows", "Rows", "rows behind it"),
            ],
            rows: acc
                .into_iter()
                .map(|((s, y, sv), (p, n))| {
                    vec![
                        Cell::Text(s.id().into()),
                        Cell::Text(y.map(|y| y.to_string()).unwrap_or_default()),
                        Cell::Text(sv),
                        Cell::Money(p),
                        Cell::Int(n as i64),
                    ]
                })
                .collect(),
        }
    }

    /// Per area (ward or district) and stream, all years together.
    pub fn areas_table(&self) -> Table {
        let mut acc: BTreeMap<(String, String, Stream), (i64, u64)> = BTreeMap::new();
        for r in &self.rows {
            let e = acc
                .entry((r.area.clone(), r.area_name.clone(), r.stream))
                .or_default();
            e.0 += r.pence;
            e.1 += r.count;
        }
        Table {
            file: "place-areas",
            sheet: "By area",
            about: "one row per area (ward or district) and stream, every year together",
            columns: vec![
                Column::new("area", "Area code", "ward or district GSS code"),
                Column::new("area_name", "Area", "its name, or what it stands for"),
                Column::new("stream", "Stream", "what the money is"),
                Column::new("amount_gbp", "Amount £", "money"),
                Column::new("rows", "Rows", "rows behind it"),
            ],
            rows: acc
                .into_iter()
                .map(|((a, n, s), (p, c))| {
                    vec![
                        Cell::Text(a),
                        Cell::Text(n),
                        Cell::Text(s.id().into()),
                        Cell::Money(p),
                        Cell::Int(c as i64),
                    ]
                })
                .collect(),
        }
    }

    /// The sources table.
    pub fn sources_table(&self) -> Table {
        Table {
            file: "place-sources",
            sheet: "Sources",
            about: "one row per stream: its source, years and what was used",
            columns: vec![
                Column::new("stream", "Stream", "what the money is"),
                Column::new("source", "Source", "files and publisher"),
                Column::new("years", "Years", "financial years covered"),
                Column::new("note", "Note", "rows read and used"),
            ],
            rows: self
                .sources
                .iter()
                .map(|s| {
                    vec![
                        Cell::Text(s.stream.id().into()),
                        Cell::Text(s.source.clone()),
                        Cell::Text(s.years.clone()),
                        Cell::Text(s.note.clone()),
                    ]
                })
                .collect(),
        }
    }

    /// Every table.
    pub fn tables(&self) -> Vec<Table> {
        vec![
            self.sources_table(),
            self.summary_table(),
            self.services_table(),
            self.areas_table(),
        ]
    }

    /// The view as one self-contained HTML document.
    pub fn html(&self) -> String {
        let title = format!("{}: Total Place", self.place);
        let summary = self.summary_table();
        let services = self.services_table();
        let areas = self.areas_table();
        let mut streams: Vec<Stream> = self.rows.iter().map(|r| r.stream).collect();
        streams.sort();
        streams.dedup();
        // Per stream: its service rows, each year's largest 15 (by amount, then rows).
        let by_stream: Vec<(Stream, Vec<&Vec<Cell>>, usize)> = streams
            .iter()
            .map(|s| {
                let mut v: Vec<&Vec<Cell>> = services
                    .rows
                    .iter()
                    .filter(|r| r[0] == Cell::Text(s.id().into()))
                    .collect();
                let all = v.len();
                let size = |r: &Vec<Cell>| match (&r[3], &r[4]) {
                    (Cell::Money(p), Cell::Int(n)) => (p.abs(), *n),
                    _ => (0, 0),
                };
                v.sort_by(|a, b| cell(&a[1]).cmp(&cell(&b[1])).then(size(b).cmp(&size(a))));
                let mut shown = Vec::new();
                let mut n = 0;
                for (i, r) in v.iter().enumerate() {
                    n = if i > 0 && v[i - 1][1] == r[1] {
                        n + 1
                    } else {
                        0
                    };
                    if n < 15 {
                        shown.push(*r);
                    }
                }
                (*s, shown, all)
            })
            .collect();
        html! {
            (DOCTYPE)
            html lang="en-GB" {
                head {
                    meta charset="utf-8";
                    meta http-equiv="Content-Security-Policy" content=(anchornet_report::html::CSP);
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta name="referrer" content="no-referrer";
                    title { (title) }
                    style { (PreEscaped(anchornet_report::html::STYLE)) }
                }
                body {
                    header { h1 { (title) } p { "All the public money landing in the place, side by side, with its source and years. Streams measure different things and overlap, so they are not added together." } }
                    main {
                        h2 { "Sources and years" }
                        table {
                            tr { th { "Stream" } th { "Source" } th { "Years" } th { "Read and used" } }
                            @for s in &self.sources { tr { td { (s.stream.title()) } td { (s.source) } td { (s.years) } td { (s.note) } } }
                        }
                        h2 { "Each stream by year" }
                        table {
                            tr { th { "Stream" } th { "Body" } th { "Year" } th class="n" { "Amount" } th class="n" { "Rows" } }
                            @for r in &summary.rows { tr { td { (cell(&r[0])) } td { (cell(&r[1])) } td { (cell(&r[2])) } td class="n" { (cell(&r[3])) } td class="n" { (cell(&r[4])) } } }
                        }
                        h2 { "By service" }
                        @for (s, mine, all) in &by_stream {
                            h3 { (s.title()) }
                            p class="note" { (all) " rows; the largest 15 of each year shown (all in place-services.csv)." }
                            table {
                                tr { th { "Year" } th { "Service" } th class="n" { "Amount" } th class="n" { "Rows" } }
                                @for r in mine {
                                    tr { td { (cell(&r[1])) } td { (cell(&r[2])) } td class="n" { (cell(&r[3])) } td class="n" { (cell(&r[4])) } }
                                }
                            }
                        }
                        h2 { "By ward or area" }
                        p class="note" { "Every year together. Spend is placed at the supplier's ward when the supplier is in the place; grants at the recipient's ward; council spending at the council's district." }
                        table {
                            tr { th { "Area" } th { "Code" } th { "Stream" } th class="n" { "Amount" } th class="n" { "Rows" } }
                            @for r in &areas.rows { tr { td { (cell(&r[1])) } td { (cell(&r[0])) } td { (cell(&r[2])) } td class="n" { (cell(&r[3])) } td class="n" { (cell(&r[4])) } } }
                        }
                        @if !self.problems.is_empty() {
                            h2 { "Rows not used" }
                            p { (self.problems.len()) " rows, each with its file, line and reason (all in place-issues.csv)." }
                        }
                    }
                    footer { p { "This file is self-contained: it loads nothing from anywhere, and can be read offline or printed." } }
                }
            }
        }
        .into_string()
    }
}

fn cell(c: &Cell) -> String {
    match c {
        Cell::Money(p) => anchornet_report::fmt::money(*p),
        Cell::Int(n) => anchornet_report::fmt::group(*n as u64),
        other => other.csv(),
    }
}
