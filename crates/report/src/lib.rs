//! # anchornet-report
//!
//! The *present* stage of the Anchornet pipeline
//! (`ingest → resolve → locate → classify → measure → present`).
//!
//! Input is a [`ReportInput`]: the [`Analysis`](anchornet_metrics::Analysis) the metrics
//! computed, plus what the analysis does not hold — maps of where spend lands ([`MapData`]) and
//! the run's data-quality facts ([`Quality`]). Outputs:
//!
//! | function | output |
//! |---|---|
//! | [`html::render`] | one self-contained HTML report: inline CSS and SVG charts, a map, tables, methodology, data-quality appendix; a Content-Security-Policy that lets it load nothing |
//! | [`html::write`] | the same, written atomically to a file |
//! | [`xlsx::write`] | an XLSX workbook: a sheet per breakdown plus a Definitions sheet, money in £ with a currency format |
//! | [`csv_set::write`] | one CSV per breakdown (the workbook's sheets), in a directory |
//! | [`docx::to_bytes`] | a minimal Word document: headings, paragraphs and tables (the plan's board paper) |
//! | [`summary::terminal`] | a compact plain-text summary for the terminal |
//!
//! The breakdowns behind the workbook and the CSV set are built once, in [`tables`], so the
//! two always agree. Money is integer pence until the last moment: HTML and text show it as
//! `£1,234.56` formatted from the integer; the CSV set writes exact decimal pounds; the
//! workbook stores pounds as numbers (pence ÷ 100) with a `£#,##0.00` format. Every file is
//! written to `NAME.partial` and renamed into place when complete, so a crash never leaves half
//! an output.
//!
//! ```
//! use anchornet_metrics::{analyse, Dataset};
//! use anchornet_report::{html, summary, tables, ReportInput};
//!
//! let analysis = analyse(&Dataset::default(), None); // an empty network still renders
//! let input = ReportInput::new(&analysis);
//! let page = html::render(&input);
//! assert!(page.contains(html::CSP));
//! assert_eq!(tables::all(&input).last().unwrap().sheet, "Definitions");
//! print!("{}", summary::terminal(&analysis));
//! ```
//!
//! What each output contains is described in `docs/report.md`.
//!
//! Supplier names arrive already redacted for individuals (`Dataset::public_name`); every
//! piece of text is escaped before it goes into HTML.
#![deny(missing_docs)]

pub mod columnar;
pub mod csv_set;
pub mod definitions;
pub mod docx;
pub mod fmt;
pub mod hive;
pub mod html;
pub mod input;
pub mod map;
pub mod run;
pub mod summary;
pub mod svg;
pub mod tables;
pub mod write;
pub mod xlsx;

pub use input::{
    Count, FileQuality, HeadOffice, LocationSource, MapArea, MapData, Quality, ReportInput,
};

/// The scope name the metrics give the whole network.
pub use anchornet_metrics::NETWORK;

/// Write `bytes` to `path` atomically (via `path.partial`, renamed when complete).
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let (mut w, pending) = crate::write::atomic(path)?;
    w.write_all(bytes)?;
    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    pending.commit()
}
