//! One analysis run, end to end: prepare the network, compute the metrics, and write every
//! output into a directory — the self-contained HTML report, the XLSX workbook, the CSV set,
//! the analysis as JSON, the resolved payments as Parquet and the issues file.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::columnar::{Cell, ColType, ColumnSpec, ParquetTable};
use crate::write::{atomic, OutFormat, RecordWriter};
use crate::{Count, FileQuality, MapArea, MapData, Quality as ReportQuality, ReportInput};
use anchornet_core::FinancialYear;
use anchornet_geo::GeoIndex;
use anchornet_metrics::{analyse, Analysis};

use anchornet_network::cache::IngestCache;
use anchornet_network::config::NetworkConfig;
use anchornet_network::pipeline::{prepare_cached, PipelineError, Prepared, Progress};

/// What a run produced.
pub struct RunResult {
    /// The analysis.
    pub analysis: Analysis,
    /// The prepared network (dataset, quality facts, issues).
    pub prepared: Prepared,
    /// Files written, in order.
    pub written: Vec<PathBuf>,
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Preparing the network.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// Writing an output.
    #[error("{path}: {source}")]
    Write {
        /// The output.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> RunError + '_ {
    move |source| RunError::Write {
        path: path.display().to_string(),
        source,
    }
}

/// Prepare, analyse and write everything into `out`.
pub fn run(
    cfg: &NetworkConfig,
    geo: &GeoIndex,
    year: Option<FinancialYear>,
    out: &Path,
    progress: Progress<'_>,
) -> Result<RunResult, RunError> {
    run_cached(cfg, geo, year, out, progress, None)
}

/// [`run`], reading the payment files through an ingest cache when one is given (an
/// unchanged file is not read again; the outputs are the same).
pub fn run_cached(
    cfg: &NetworkConfig,
    geo: &GeoIndex,
    year: Option<FinancialYear>,
    out: &Path,
    progress: Progress<'_>,
    cache: Option<&IngestCache>,
) -> Result<RunResult, RunError> {
    run_with(cfg, geo, year, out, progress, cache, PaymentsLayout::File)
}

/// How the resolved payments are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PaymentsLayout {
    /// One file, `payments.parquet`.
    #[default]
    File,
    /// A hive-partitioned tree, `payments/anchor=…/financial_year=…/part-00000.parquet`,
    /// which DuckDB, Spark, Trino and pandas read as one table, pruning on anchor and year.
    Partitioned,
}

impl PaymentsLayout {
    /// The file or directory the payments are written to under `out`.
    pub fn path(self, out: &Path) -> PathBuf {
        match self {
            PaymentsLayout::File => out.join("payments.parquet"),
            PaymentsLayout::Partitioned => out.join("payments"),
        }
    }
}

/// [`run_cached`], writing the resolved payments in the given layout.
pub fn run_with(
    cfg: &NetworkConfig,
    geo: &GeoIndex,
    year: Option<FinancialYear>,
    out: &Path,
    progress: Progress<'_>,
    cache: Option<&IngestCache>,
    layout: PaymentsLayout,
) -> Result<RunResult, RunError> {
    let prepared = prepare_cached(cfg, geo, year, progress, cache)?;
    std::fs::create_dir_all(out).map_err(write_err(out))?;
    // The resolved payments need only the prepared network: written on a thread of their
    // own while the metrics are computed and the reports written.
    let pq = layout.path(out);
    let (rest, payments) = std::thread::scope(|s| {
        let payments = s.spawn(|| write_payments(&prepared, &pq, layout));
        let rest = measure_and_present(&prepared, geo, year, out, progress);
        progress("parquet", "payments");
        (rest, payments.join().expect("payments writer panicked"))
    });
    let (analysis, mut written) = rest?;
    payments.map_err(write_err(&pq))?;
    remove_other_layout(out, layout).map_err(write_err(out))?;
    written.push(pq);
    let issues = out.join("issues.csv");
    progress("issues", "issues.csv");
    write_issues(&prepared, &issues).map_err(write_err(&issues))?;
    written.push(issues);
    Ok(RunResult {
        analysis,
        prepared,
        written,
    })
}

/// Compute the metrics and write the reports, the CSV set and the analysis as JSON.
fn measure_and_present(
    prepared: &Prepared,
    geo: &GeoIndex,
    year: Option<FinancialYear>,
    out: &Path,
    progress: Progress<'_>,
) -> Result<(Analysis, Vec<PathBuf>), RunError> {
    progress("measure", "metrics");
    let analysis = analyse(&prepared.dataset, year);
    // One stage per output, so `--timings` shows which writer the time goes to.
    progress("present:html", "report.html");
    let input = report_input(prepared, &analysis, geo);
    let mut written = Vec::new();
    let html = out.join("report.html");
    crate::html::write(&input, &html).map_err(write_err(&html))?;
    written.push(html);
    progress("present:xlsx", "report.xlsx");
    let xlsx = out.join("report.xlsx");
    crate::xlsx::write(&input, &xlsx).map_err(write_err(&xlsx))?;
    written.push(xlsx);
    progress("present:csv", "csv/");
    let csv_dir = out.join("csv");
    written.extend(crate::csv_set::write(&input, &csv_dir).map_err(write_err(&csv_dir))?);
    progress("present:json", "analysis.json");
    let json = out.join("analysis.json");
    let bytes = serde_json::to_vec_pretty(&analysis).map_err(|e| write_err(&json)(e.into()))?;
    crate::write_atomic(&json, &bytes).map_err(write_err(&json))?;
    written.push(json);
    Ok((analysis, written))
}

/// The report's input: the analysis, a map of where spend lands over the wider place's
/// neighbourhoods, and the data-quality facts.
pub fn report_input<'a>(p: &Prepared, a: &'a Analysis, geo: &GeoIndex) -> ReportInput<'a> {
    let ds = &p.dataset;
    let q = &p.quality;
    let mut quality = ReportQuality {
        files: q
            .files
            .iter()
            .map(FileQuality::from)
            .chain(q.register_files.iter().map(|r| FileQuality {
                anchor: "(supplier evidence)".into(),
                file: r.file.clone(),
                format: "register".into(),
                rows_read: r.read() as u64,
                accepted: r.kept as u64,
                // Rows about no supplier of the network are not data for this network.
                skipped: r.not_relevant as u64,
                rejected: r.rejected as u64,
                ..Default::default()
            }))
            .collect(),
        suppliers: vec![
            Count {
                label: "distinct supplier names".into(),
                count: q.supplier_names,
                pence: None,
            },
            Count {
                label: "supplier entities".into(),
                count: q.entities,
                pence: None,
            },
            Count {
                label: "rows not used (see issues.csv)".into(),
                count: q.issues,
                pence: None,
            },
        ],
        locations: ReportQuality::locations_from(ds, None),
        head_offices: ReportQuality::head_offices_from(ds, None),
        notes: vec![format!("Influenceable-spend rules: {}.", q.rules)],
    };
    if !q.unplaced_postcodes.is_empty() {
        quality.notes.push(format!(
            "{} supplier postcode(s) could not be placed, e.g. {}.",
            q.unplaced_postcodes.len(),
            q.unplaced_postcodes
                .iter()
                .take(5)
                .map(|(pc, why)| format!("{pc} ({why})"))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    let districts: HashSet<String> = p.wider.districts.iter().map(|d| d.to_string()).collect();
    let deciles = deciles_by_lsoa(ds);
    let mut maps = Vec::new();
    if let Ok(shapes) =
        anchornet_geo::boundaries::lsoa21_in(&anchornet_geo::default_reference_dir(), &districts)
    {
        let mut m = MapData {
            title: format!(
                "Where the network's influenceable spend lands in {}, {}",
                p.wider.name,
                a.year_names().join(", ")
            ),
            level: "LSOA (2021)".into(),
            areas: shapes
                .into_iter()
                .map(|s| MapArea {
                    decile: geo
                        .lsoa(&s.code)
                        .and_then(|_| deciles.get(s.code.as_str()).copied().flatten()),
                    code: s.code,
                    name: s.name,
                    rings: s.rings,
                })
                .collect(),
            ..Default::default()
        };
        m.add_spend(ds, None, |l| l.lsoa.clone());
        maps.push(m);
    }
    ReportInput {
        analysis: a,
        maps,
        quality,
        generated: format!("anchornet {}", env!("CARGO_PKG_VERSION")),
        sources: vec![
            "Payment data: the anchors' published spend files (Open Government Licence v3.0).".into(),
            "Postcodes, areas and boundaries: ONS (OGL v3.0); contains OS data © Crown copyright and database right; contains Royal Mail data © Royal Mail copyright and database right.".into(),
            "English Indices of Deprivation 2025 and 2019: MHCLG (OGL v3.0).".into(),
        ],
    }
}

/// The deprivation decile of each LSOA, as recorded on the first located supplier there
/// (one pass over the suppliers, not one per map area).
fn deciles_by_lsoa(ds: &anchornet_metrics::Dataset) -> HashMap<&str, Option<u8>> {
    let mut by = HashMap::new();
    for l in ds.suppliers.iter().filter_map(|s| s.location.as_ref()) {
        if let Some(lsoa) = l.lsoa.as_deref() {
            by.entry(lsoa).or_insert(l.decile);
        }
    }
    by
}

/// The resolved payments: each payment with its supplier entity, location and the rule that
/// excluded it.
const RESOLVED_PARQUET: [ColumnSpec; 18] = {
    use ColType::*;
    [
        ColumnSpec::required("anchor", Str),
        ColumnSpec::required("source_file", Str),
        ColumnSpec::required("line", I64),
        ColumnSpec::required("date", Date),
        ColumnSpec::required("financial_year", Str),
        ColumnSpec::required("amount_pence", I64),
        ColumnSpec::required("supplier_name", Str),
        ColumnSpec::required("category", Str),
        ColumnSpec::required("supplier_entity", Str),
        ColumnSpec::required("supplier_kind", Str),
        ColumnSpec::optional("postcode", Str),
        ColumnSpec::optional("location_source", Str),
        ColumnSpec::optional("district", Str),
        ColumnSpec::optional("lsoa", Str),
        ColumnSpec::optional("deprivation_decile", I64),
        ColumnSpec::optional("local", Bool),
        ColumnSpec::optional("wider", Bool),
        ColumnSpec::optional("excluded_by", Str),
    ]
};

/// Remove the payments a previous run wrote in the other layout, so the directory holds one
/// copy that agrees with its reports. A tree is removed only if a run wrote it (it holds the
/// hive writer's success marker).
fn remove_other_layout(out: &Path, layout: PaymentsLayout) -> std::io::Result<()> {
    match layout {
        PaymentsLayout::Partitioned => {
            let f = PaymentsLayout::File.path(out);
            if f.is_file() {
                std::fs::remove_file(f)?;
            }
        }
        PaymentsLayout::File => {
            let d = PaymentsLayout::Partitioned.path(out);
            if d.join(crate::hive::SUCCESS).is_file() {
                std::fs::remove_dir_all(d)?;
            }
        }
    }
    Ok(())
}

/// The hive partition columns of the resolved payments.
const RESOLVED_PARTITIONS: [&str; 2] = ["anchor", "financial_year"];

/// Write the resolved payments at `path` in `layout` (atomically: a file through a temporary
/// name, a tree through `path.partial`, either replacing what was there).
fn write_payments(p: &Prepared, path: &Path, layout: PaymentsLayout) -> std::io::Result<()> {
    match layout {
        PaymentsLayout::File => {
            let (w, pending) = atomic(path)?;
            let mut t = ParquetTable::new(w, "resolved_payment", &RESOLVED_PARQUET)?;
            resolved_rows(p, |cells| t.push(cells))?;
            let w = t.finish()?;
            drop(w.into_inner().map_err(|e| e.into_error())?);
            pending.commit()
        }
        PaymentsLayout::Partitioned => {
            let mut t = crate::hive::HiveTable::create(
                path,
                "resolved_payment",
                &RESOLVED_PARQUET,
                &RESOLVED_PARTITIONS,
            )?;
            resolved_rows(p, |cells| t.push(cells))?;
            t.finish().map(drop)
        }
    }
}

/// Each resolved payment as a row of [`RESOLVED_PARQUET`], in the prepared order.
fn resolved_rows(
    p: &Prepared,
    mut emit: impl FnMut(&[Cell<'_>]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let ds = &p.dataset;
    let st = &p.strings;
    // Texts that depend only on the year or the supplier, made once each, not per payment.
    let kinds: Vec<String> = ds
        .suppliers
        .iter()
        .map(|s| {
            if s.redacted {
                "redacted".to_string()
            } else {
                s.kind.label()
            }
        })
        .collect();
    let mut fy_text: HashMap<FinancialYear, String> = HashMap::new();
    for (row, tx) in p.rows.iter().zip(&ds.txns) {
        let s = ds.supplier(tx);
        let l = s.location.as_ref();
        let fy = fy_text.entry(row.fy).or_insert_with(|| row.fy.to_string());
        let kind = &kinds[tx.supplier as usize];
        emit(&[
            Cell::Str(Some(&ds.anchors[row.anchor as usize].name)),
            Cell::Str(st.files.get(row.file)),
            Cell::I64(Some(i64::from(row.line))),
            Cell::Date(Some(row.date)),
            Cell::Str(Some(fy)),
            Cell::I64(Some(row.pence)),
            Cell::Str(Some(st.names.get(row.name).unwrap_or("(redacted)"))),
            Cell::Str(Some(&ds.categories[tx.category as usize])),
            Cell::Str(Some(&s.name)),
            Cell::Str(Some(kind)),
            Cell::Str(l.map(|l| l.postcode.as_str())),
            Cell::Str(l.map(|l| l.source.describe())),
            Cell::Str(l.map(|l| l.lad_name.as_str())),
            Cell::Str(l.and_then(|l| l.lsoa.as_deref())),
            Cell::I64(l.and_then(|l| l.decile).map(i64::from)),
            Cell::Bool(l.map(|l| l.local)),
            Cell::Bool(l.map(|l| l.wider)),
            Cell::Str(tx.excluded_by.map(|r| ds.rules[r as usize].id.as_str())),
        ])?;
    }
    Ok(())
}

/// Write every skipped or rejected row (file, line, column, value, problem) as CSV.
pub fn write_issues(p: &Prepared, path: &Path) -> std::io::Result<()> {
    let (mut w, pending) = atomic(path)?;
    if p.issues.is_empty() {
        // Header only: every row was used.
        std::io::Write::write_all(&mut w, b"file,line,column,value,problem,outcome\n")?;
    }
    let mut r = RecordWriter::new(w, OutFormat::Csv);
    for i in &p.issues {
        r.issue(i)?;
    }
    drop(r.finish()?.into_inner().map_err(|e| e.into_error())?);
    pending.commit()
}
