//! `anchornet analyse`: the network's spend analysis, end to end.

use std::path::PathBuf;

use anchornet_core::FinancialYear;
use anchornet_network::config::{AnchorConfig, AnchorKind, Deprivation, NetworkConfig};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

/// Analyse a network's spend: local, wider-place, deprived-area, SME and VCSE shares of
/// influenceable spend, with coverage, by anchor, year and category; leakage; concentration.
///
/// Give a network file (`--network anchornet.toml`), or payment files and a place
/// (`FILES… --place Salford`), one anchor per file or folder. Writes `report.html` (one
/// self-contained file), `report.xlsx`, `csv/`, `analysis.json`, `payments.parquet` (the
/// resolved payments) and `issues.csv` into `--out`, and prints a summary.
///
/// Re-analysing into the same `--out` reuses what reading each unchanged payment file gave
/// (kept in `--out/.cache/ingest`, one entry per file, checked against the file's size,
/// modification time and content hash): after one month's file is added, only that file
/// is read. The outputs are the same as a run without the cache; `--no-cache` reads every
/// file and leaves the cache alone.
///
/// Exit codes: 0 done; 2 usage or input error (unreadable network file, unknown place).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The network: a network file, or payment files and a place.
    #[command(flatten)]
    pub net: NetworkArgs,
    /// Only this financial year, e.g. 2021/22.
    #[arg(long)]
    pub year: Option<String>,
    /// Output directory.
    #[arg(long, default_value = "anchornet-report")]
    pub out: PathBuf,
    /// Print the analysis as JSON on stdout instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Read every payment file, without the ingest cache in `--out/.cache/ingest`.
    #[arg(long)]
    pub no_cache: bool,
    /// Print how long each stage took (and how the cache was used) on stderr.
    #[arg(long)]
    pub timings: bool,
    /// Write the resolved payments as a hive-partitioned Parquet tree,
    /// `OUT/payments/anchor=…/financial_year=…/part-00000.parquet`, instead of
    /// `OUT/payments.parquet` (DuckDB, Spark and pandas read the tree as one table).
    #[arg(long)]
    pub partitioned: bool,
}

/// How a run reads and reports: the ingest cache, stage timings and the payments' layout.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Use the ingest cache in `OUT/.cache/ingest`.
    pub cache: bool,
    /// Print stage timings on stderr.
    pub timings: bool,
    /// Write the resolved payments as a hive-partitioned tree.
    pub partitioned: bool,
}

/// The network a command works on: a network file, or payment files and a place; with
/// more registers and an overrides file (shared by `analyse` and `suppliers`).
#[derive(clap::Args, Debug)]
pub struct NetworkArgs {
    /// Payment files, folders or globs (one anchor each), with `--place`.
    #[arg(conflicts_with = "network")]
    pub files: Vec<String>,
    /// The network file.
    #[arg(long)]
    pub network: Option<PathBuf>,
    /// The local place, with FILES (a district, region, combined authority or built-in place).
    #[arg(long, requires = "files")]
    pub place: Option<String>,
    /// The wider place, with FILES (defaults to the local place).
    #[arg(long, requires = "place")]
    pub wider: Option<String>,
    /// More supplier evidence, each file detected by its layout: contracts registers and
    /// vendor lists, Companies House (bulk or search export), the Charity Commission
    /// extract, OCDS JSON files or folders. Added to the network file's registers.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub registers: Vec<PathBuf>,
    /// People's decisions (must-link, cannot-link, set-postcode, reject-location, set-sme,
    /// not-local, …): replaces the network file's overrides file. The workspace writes its
    /// review decisions in this format at `/review/overrides.csv`.
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
}

impl NetworkArgs {
    /// The network configuration these arguments describe.
    pub fn config(&self) -> anyhow::Result<NetworkConfig> {
        let mut cfg = self.base()?;
        let abs = |p: &PathBuf| {
            std::path::absolute(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string()
        };
        for r in &self.registers {
            anyhow::ensure!(r.exists(), "--registers: {} does not exist", r.display());
            cfg.registers.push(abs(r));
        }
        if let Some(o) = &self.overrides {
            anyhow::ensure!(o.exists(), "--overrides: {} does not exist", o.display());
            cfg.overrides = Some(abs(o));
        }
        Ok(cfg)
    }

    fn base(&self) -> anyhow::Result<NetworkConfig> {
        let a = self;
        Ok(match (&a.network, a.files.is_empty()) {
            (Some(n), _) => NetworkConfig::load(n)?,
            (None, false) => {
                let place = a
                    .place
                    .clone()
                    .context("give --place NAME with payment files (or use --network)")?;
                NetworkConfig {
                    name: format!("{place} (ad hoc)"),
                    wider_place: a.wider.clone().unwrap_or_else(|| place.clone()),
                    local_place: place,
                    deprivation: Deprivation::default(),
                    rules: None,
                    places: None,
                    registers: Vec::new(),
                    overrides: None,
                    suppliers: Default::default(),
                    targets: Default::default(),
                    anchors: a
                        .files
                        .iter()
                        .map(|f| AnchorConfig {
                            name: anchornet_ingest::run::default_anchor(f),
                            kind: AnchorKind::Other,
                            payments: vec![f.clone()],
                            vendors: Vec::new(),
                            registers: Vec::new(),
                            mapping: None,
                        })
                        .collect(),
                    base: PathBuf::new(),
                }
            }
            (None, true) => {
                anyhow::bail!("give --network anchornet.toml, or payment files with --place")
            }
        })
    }
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    let cfg = a.net.config()?;
    let year = a
        .year
        .as_deref()
        .map(|y| y.parse::<FinancialYear>())
        .transpose()
        .map_err(|e| anyhow::anyhow!("--year: {e}"))?;
    let opts = RunOptions {
        cache: !a.no_cache,
        timings: a.timings,
        partitioned: a.partitioned,
    };
    run_network(&cfg, year, &a.out, a.json, opts)
}

/// The progress spinner long commands show on stderr.
pub fn spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed:>4} {prefix:8} {wide_msg}")
            .expect("valid template"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Run a network and print the summary (or JSON); shared with `demo`.
pub fn run_network(
    cfg: &NetworkConfig,
    year: Option<FinancialYear>,
    out: &std::path::Path,
    json: bool,
    opts: RunOptions,
) -> anyhow::Result<u8> {
    let start = std::time::Instant::now();
    // (stage, when it started) for `--timings`.
    let stages = std::sync::Mutex::new(vec![("geo".to_string(), start)]);
    let bar = spinner();
    bar.set_prefix("geo");
    bar.set_message("opening the geography index (built on first use)");
    let geo = anchornet_geo::GeoIndex::open_default().context("geography index")?;
    let progress = |stage: &str, detail: &str| {
        if let Ok(mut s) = stages.lock() {
            if s.last().is_none_or(|(last, _)| last != stage) {
                s.push((stage.to_string(), std::time::Instant::now()));
            }
        }
        bar.set_prefix(stage.to_string());
        bar.set_message(detail.to_string());
    };
    let cache = opts
        .cache
        .then(|| anchornet_network::IngestCache::new(out.join(".cache").join("ingest")));
    let layout = if opts.partitioned {
        anchornet_report::run::PaymentsLayout::Partitioned
    } else {
        anchornet_report::run::PaymentsLayout::File
    };
    let r =
        anchornet_report::run::run_with(cfg, &geo, year, out, &progress, cache.as_ref(), layout);
    bar.finish_and_clear();
    if opts.timings {
        let end = std::time::Instant::now();
        let s = stages.lock().map(|s| s.clone()).unwrap_or_default();
        let mut line = String::from("timings:");
        for (i, (stage, t)) in s.iter().enumerate() {
            let next = s.get(i + 1).map_or(end, |n| n.1);
            line.push_str(&format!(" {stage} {:.2} s,", (next - *t).as_secs_f64()));
        }
        line.push_str(&format!(" total {:.2} s", (end - start).as_secs_f64()));
        eprintln!("{line}");
        if let Some(c) = &cache {
            let (hits, misses, invalid) = c.stats.counts();
            eprintln!(
                "ingest cache {}: {hits} files reused, {misses} read ({invalid} entries unusable)",
                c.dir().display()
            );
        }
    }
    let r = r?;
    if json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &r.analysis)?;
        println!();
    } else {
        print!("{}", anchornet_report::summary::terminal(&r.analysis));
        println!();
        for w in &r.written {
            println!("wrote {}", w.display());
        }
    }
    let failed: Vec<_> = r.analysis.checks.iter().filter(|c| !c.ok).collect();
    anyhow::ensure!(
        failed.is_empty(),
        "reconciliation failed: {}",
        failed
            .iter()
            .map(|c| c.what.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    );
    Ok(0)
}
