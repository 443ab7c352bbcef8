//! `anchornet workforce`: fair-work measures from anonymised workforce extracts. Glue only:
//! the work is in the `anchornet-workforce` crate.

use std::path::PathBuf;

use anchornet_core::cell::spreadsheet_text;
use anchornet_core::fy::FinancialYear;
use anchornet_geo::{Deprivation, GeoIndex, Places};
use anchornet_workforce::{extract, metrics, rates::Rates};
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
    let (mut posts, mut issues, mut reports) = (Vec::new(), Vec::new(), Vec::new());
    for p in &a.extracts {
        let (ps, is, rs) = extract::read(p);
        posts.extend(ps);
        issues.extend(is);
        reports.extend(rs);
    }
    let cx = metrics::Context {
        geo: &geo,
        place: &place,
        deprivation,
        rates: &rates,
        rlw_area: a.rlw_area.clone(),
        year: FinancialYear(a.year),
        hire_target: a.hire_target_pct / 100.0,
    };
    let m = metrics::measure(&cx, &posts)?;
    issues.extend(m.warnings.iter().cloned());
    let table = metrics::table(&m, cx.hire_target);
    std::fs::create_dir_all(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(metrics::COLUMNS)?;
    for r in &table {
        w.write_record(r.iter().map(|c| spreadsheet_text(c.text()).into_owned()))?;
    }
    let path = a.out.join("workforce.csv");
    anchornet_report::write_atomic(&path, &w.into_inner()?)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["file", "line", "column", "value", "problem", "outcome"])?;
    for i in &issues {
        let outcome = serde_json::to_value(i.outcome)?;
        w.write_record([
            spreadsheet_text(&i.file).into_owned(),
            i.line.to_string(),
            spreadsheet_text(&i.column).into_owned(),
            spreadsheet_text(&i.value).into_owned(),
            spreadsheet_text(&i.problem).into_owned(),
            outcome.as_str().unwrap_or("").to_string(),
        ])?;
    }
    anchornet_report::write_atomic(&a.out.join("issues.csv"), &w.into_inner()?)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    }
    for r in &reports {
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
