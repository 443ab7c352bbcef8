//! # anchornet-workforce
//!
//! Employment at the anchors: jobs as well as spend.
//!
//! ```text
//! job titles ──► coder (SOC 2020, from the ONS text) ──► coded CSV
//! workforce extracts ──► extract (layout by meaning, strict rows) ──► metrics ──► tables
//!                                  wage rates (data) ─────────────────┘      ▲
//!                                  postcodes → deprivation (anchornet-geo) ──┘
//! funnel events ──► funnel (layout by meaning, journeys checked) ──► counts ──► suppression
//!                                       (anchornet_metrics::disclosure) ──► CSV, JSON, HTML
//! ```
//!
//! * [`soc`] — the 412 SOC 2020 unit groups (ONS Volume 1), bundled.
//! * [`coder`] — free-text job titles to SOC 2020 unit groups with a confidence.
//! * [`code_csv`] — `anchornet jobs code`: add the coding to every row of any table.
//! * [`rates`] — the National Minimum/Living Wage and the Real Living Wage by year, as data.
//! * [`extract`] — the anonymised per-post workforce layout, read by meaning and validated.
//! * [`metrics`] — the fair-work measures per anchor and for the network, with suppression.
//! * [`esco`] — ESCO occupations and skills (bundled) and the TF-IDF text index.
//! * [`pathway`] — the SOC↔ESCO crosswalk, occupations' skills, vacancies and candidate
//!   profiles, and `anchornet jobs match`.
//! * [`issues`] — the issues report (`issues.csv`) every command here writes.
//! * [`layout`] — columns found by the meaning of their headers, for every layout here.
//! * [`funnel`] — the jobs pathway funnel (referred → … → in post at six months) per
//!   programme and anchor, with suppression; [`funnel_report`] writes it.
#![deny(missing_docs)]

pub mod code_csv;
pub mod coder;
pub mod esco;
pub mod pathway;
pub mod soc;

pub use coder::{Coder, Coding};
pub use soc::{Soc, SocCode, UnitGroup};
pub mod extract;
pub mod funnel;
pub mod funnel_report;
pub mod issues;
pub mod layout;
pub mod metrics;
pub mod rates;
