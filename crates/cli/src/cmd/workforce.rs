//! `anchornet workforce`: fair-work measures from anonymised workforce extracts. Glue only:
//! the work is in the `anchornet-workforce` crate.

use std::path::PathBuf;

use anchornet_core::fy::FinancialYear;
use anchornet_geo::{Deprivation, GeoIndex, Places};
use anchornet_workforce::{issues, metrics, rates::Rates};
use anyhow::{bail, Context};

/// Workforce measures per anchor and for the network: staff living in the place and in the
/// most deprived neighbourhoods (deciles 1–2), paid below the Real Living Wage and the
/// National Living Wage with the gap in pounds a year, and new hires from deprived
/// neighbourhoods against a target. Figures drawn from fewer than 10 people are shown as
/// `[c]` (with secondary suppression). See docs/employment.md.
///
/// Exit codes: 0 done; 1 some rows were rejected (see issues.csv), only with `--strict`;
/// 2 usage or input error.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Workforce extract files (CSV, TSV, XLSX, ODS; compressed or not).
    #[arg(required = true, value_name = "EXTRACT")]
    pub extracts: Vec<PathBuf>,
    /// The network file: its local place and deprivation edition.
    #[arg(long, conflicts_with = "place")]
    pub network: Option<PathBuf>,
    /// The local place, without a network file (a district, region, combined authority or
    /// built-in place).
    #[arg(long)]
    pub place: Option<String>,
    /// The financial year, by its first calendar year (2025 = 2025/26).
    #[arg(long)]
    pub year: i32,
    /// The Real Living Wage's area: UK or London.
    #[arg(long, default_value = "UK")]
    pub rlw_area: String,
    /// The new-hire target: share of new hires from deciles 1–2, in percent.
    #[arg(long, default_value_t = 10.0)]
    pub hire_target_pct: f64,
    /// Output directory (workforce.csv, issues.csv).
    #[arg(long)]
    pub out: PathBuf,
    /// Exit 1 when any row was rejected.
    #[arg(long)]
    pub strict: bool,
    /// Print the files' reconciliation as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    let geo = GeoIndex::open_default().context("geography index")?;
    let (place, deprivation) = match (&a.network, &a.place) {
        (Some(n), _) => {
            let cfg = anchornet_network::NetworkConfig::load(n)?;
            let (local, _, _) = anchornet_network::places_and_rules(&cfg, &geo)?;
            (local, cfg.deprivation)
        }
        (None, Some(p)) => {
            let places = Places::builtin(&geo);
            let place = places
                .get(p)
                .cloned()
                .with_context(|| format!("unknown place {p:?} (see `anchornet geo places`)"))?;
            (place, Deprivation::default())
        }
        (None, None) => bail!("give --network FILE or --place NAME"),
    };
    let rates = Rates::bundled()?;
    let cx = metrics::Context {
        geo: &geo,
        place: &place,
        deprivation,
        rates: &rates,
        rlw_area: a.rlw_area.clone(),
        year: FinancialYear(a.year),
        hire_target: a.hire_target_pct / 100.0,
    };
    let paths: Vec<&std::path::Path> = a.extracts.iter().map(PathBuf::as_path).collect();
    let run = metrics::run(&cx, &paths)?;
    let (m, reports) = (&run.measures, &run.reports);
    std::fs::create_dir_all(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
    let path = a.out.join("workforce.csv");
    anchornet_report::write_atomic(
        &path,
        &anchornet_report::csv_set::to_bytes(&metrics::report_table(&run.table)),
    )?;
    anchornet_report::write_atomic(&a.out.join("issues.csv"), &issues::csv(&run.issues))?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    }
    for r in reports {
        match &r.error {
            Some(e) => eprintln!("{}: {e}", r.file),
            None => eprintln!(
                "{}: {} rows read = {} accepted + {} rejected + {} blank",
                r.file, r.rows_read, r.accepted, r.rejected, r.blank
            ),
        }
    }
    eprintln!(
        "{}/{:02}: NLW £{} (age {}+), Real Living Wage ({}) £{}; place {}; {}",
        a.year,
        (a.year + 1) % 100,
        anchornet_core::Pence(m.nlw),
        m.nlw_age,
        a.rlw_area,
        anchornet_core::Pence(m.rlw),
        place.name,
        deprivation.label()
    );
    eprintln!(
        "wrote {} and {}",
        path.display(),
        a.out.join("issues.csv").display()
    );
    let rejected = reports.iter().any(|r| r.rejected > 0 || r.error.is_some());
    Ok(if a.strict && rejected { 1 } else { 0 })
}
