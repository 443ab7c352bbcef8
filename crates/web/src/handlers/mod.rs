//! Handlers, one module per top-level URL segment.

pub mod admin;
pub mod anchors;
pub mod api;
pub mod assets;
pub mod files;
pub mod hub;
pub mod imports;
pub mod jobs;
pub mod login;
pub mod map;
pub mod overview;
pub mod plan;
pub mod public;
pub mod review;
pub mod suppliers;
pub mod tables;
pub mod workforce;
pub mod worklist;

use anchornet_core::FinancialYear;
use anchornet_metrics::Figures;
use anchornet_report::tables::{Cell, Table};
use serde::Deserialize;

use crate::error::AppError;
use crate::page::{table, txt};
use crate::snapshot::Snapshot;

/// An upload form read: its text fields by name, and the file (its name and bytes). The
/// form's `csrf` field must come before the file and is checked before the file is read, so
/// no unauthenticated body is buffered; it is checked again at the end (a form without a
/// file).
pub async fn read_upload(
    mp: &mut axum::extract::Multipart,
    v: &crate::auth::Viewer,
    default_name: &str,
) -> Result<
    (
        std::collections::HashMap<String, String>,
        Option<(String, axum::body::Bytes)>,
    ),
    AppError,
> {
    let mut fields = std::collections::HashMap::new();
    let mut file = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| AppError::bad_request(format!("upload: {e}")))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            v.check_csrf(fields.get("csrf").map_or("", String::as_str))?;
            let file_name = field.file_name().unwrap_or(default_name).to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::bad_request(format!("upload: {e}")))?;
            file = Some((file_name, bytes));
        } else if !name.is_empty() {
            let text = field
                .text()
                .await
                .map_err(|e| AppError::bad_request(e.to_string()))?;
            fields.insert(name, text);
        }
    }
    v.check_csrf(fields.get("csrf").map_or("", String::as_str))?;
    Ok((fields, file))
}

/// The filters the analysis pages take.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Filter {
    /// Financial year, `2021/22`.
    pub year: Option<String>,
    /// Anchor id.
    pub anchor: Option<String>,
    /// Category name.
    pub category: Option<String>,
    /// Page number (from 1).
    pub page: Option<usize>,
    /// Search text.
    pub q: Option<String>,
    /// Which table the CSV twin gives.
    pub table: Option<String>,
}

impl Filter {
    /// The year asked for; `None` for all years. An unknown year is a 400.
    pub fn year(&self) -> Result<Option<FinancialYear>, AppError> {
        match self
            .year
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(None),
            Some(y) => y
                .parse::<FinancialYear>()
                .map(Some)
                .map_err(|e| AppError::bad_request(format!("year: {e}"))),
        }
    }

    /// The year asked for, else the latest analysed.
    pub fn year_or_latest(&self, snap: &Snapshot) -> Result<Option<FinancialYear>, AppError> {
        Ok(self.year()?.or_else(|| snap.years_desc().first().copied()))
    }

    /// The anchor asked for, as (store id, dataset index).
    pub fn anchor(&self, snap: &Snapshot) -> Result<Option<(i64, u16)>, AppError> {
        match self
            .anchor
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(None),
            Some(a) => {
                let id: i64 = a.parse().map_err(|_| {
                    AppError::bad_request(format!("anchor `{a}`: give an anchor id"))
                })?;
                let i = snap
                    .anchor_index(id)
                    .ok_or_else(|| AppError::not_found(format!("anchor {id}")))?;
                Ok(Some((id, i)))
            }
        }
    }

    /// The category asked for (dataset index).
    pub fn category(&self, snap: &Snapshot) -> Result<Option<u32>, AppError> {
        match self.category.as_deref().filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(c) => snap
                .prepared
                .dataset
                .categories
                .iter()
                .position(|x| x == c)
                .map(|i| Some(i as u32))
                .ok_or_else(|| AppError::not_found(format!("category `{c}`"))),
        }
    }
}

/// The headline columns of a figures table.
pub const FIGURE_COLUMNS: [(&str, &str); 14] = [
    ("scope", "The network or an anchor."),
    ("year", "Financial year (April–March), or `all`."),
    ("payments", "Payments in scope."),
    ("total_gbp", "Every accepted payment."),
    ("influenceable_gbp", "Total minus the payments excluded by the influenceable-spend rules."),
    ("local_pct", "Share of influenceable spend with suppliers located in the local place (unknowns count as not local)."),
    ("local_coverage_pct", "Share of influenceable spend whose supplier is located."),
    ("wider_pct", "Share with suppliers in the wider place."),
    ("deprived_pct", "Share with suppliers in the most deprived 20% of neighbourhoods."),
    ("sme_pct", "Share with SMEs (PPN 001), where known."),
    ("sme_coverage_pct", "Share of influenceable spend whose supplier's size is known."),
    ("vcse_pct", "Share with the social economy."),
    ("suppliers", "Distinct suppliers paid influenceable spend."),
    ("top10_pct", "Share of influenceable spend taken by the ten largest suppliers."),
];

/// A figures table; a row whose figures are `None` is suppressed (see [`crate::privacy`]).
pub fn figures_table(rows: &[(String, String, Option<&Figures>)]) -> Table {
    let mut t = table("figures", "Figures", "scope and year", &FIGURE_COLUMNS);
    for (scope, year, f) in rows {
        let first = vec![txt(scope.clone()), txt(year.clone())];
        let Some(f) = f else {
            t.rows.push(suppressed_row(first, FIGURE_COLUMNS.len()));
            continue;
        };
        let mut r = first;
        r.extend([
            Cell::Int(f.total.rows as i64),
            Cell::Money(f.total.pence),
            Cell::Money(f.influenceable.pence),
            Cell::Pct(f.local.of_all()),
            Cell::Pct(f.local.coverage()),
            Cell::Pct(f.wider.of_all()),
            Cell::Pct(f.deprived.share.of_all()),
            Cell::Pct(f.sme.of_all()),
            Cell::Pct(f.sme.coverage()),
            Cell::Pct(f.vcse.of_all()),
            Cell::Int(f.concentration.suppliers as i64),
            Cell::Pct(f.concentration.top10_share),
        ]);
        t.rows.push(r);
    }
    t
}

/// A row of `n` cells: `first`, then "suppressed" in every other.
pub fn suppressed_row(first: Vec<Cell>, n: usize) -> Vec<Cell> {
    let mut r = first;
    while r.len() < n {
        r.push(txt(crate::privacy::SUPPRESSED));
    }
    r
}

/// The dataset index of a category name.
pub fn category_index(snap: &Snapshot, name: &str) -> Option<u32> {
    snap.prepared
        .dataset
        .categories
        .iter()
        .position(|c| c == name)
        .map(|i| i as u32)
}

/// Year options for a filter.
pub fn year_options(snap: &Snapshot) -> Vec<(String, String)> {
    snap.years_desc()
        .into_iter()
        .map(|y| (y.to_string(), y.to_string()))
        .collect()
}

/// Anchor options for a filter.
pub fn anchor_options(snap: &Snapshot) -> Vec<(String, String)> {
    snap.anchors
        .iter()
        .map(|a| (a.id.to_string(), a.name.clone()))
        .collect()
}

/// `year` as text.
pub fn year_text(y: Option<FinancialYear>) -> String {
    y.map(|y| y.to_string()).unwrap_or_else(|| "all".into())
}
