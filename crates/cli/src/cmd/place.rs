//! `anchornet place`: the Total Place view. Glue only: the work is in `anchornet_plan::place`.

use std::io::Write;
use std::path::PathBuf;

use anchornet_plan::place::{grants, outturn, TotalPlace};
use anyhow::Context;

/// Total Place: all the public money landing in a place side by side — councils' revenue
/// spending by service (MHCLG revenue outturn), the anchors' procurement spend by where
/// suppliers are (the network's analysis), grants (360Giving), the contract notices the
/// place's buyers published, and land and building assets — by service and by ward, with the
/// sources and years stated. Writes `place.html`, `place.xlsx` and `place-*.csv` into `--out`.
///
/// Exit codes: 0 done (rows not used are reported in place-issues.csv); 2 usage or input error.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The network file: its local place, and its anchors' spend.
    #[arg(long)]
    pub network: Option<PathBuf>,
    /// The place, without a network file (a district, region, combined authority or
    /// built-in place: `anchornet geo places`).
    #[arg(long, required_unless_present = "network")]
    pub place: Option<String>,
    /// Revenue outturn files (MHCLG RS/RSX/RO returns, long layout; columns read by meaning).
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub outturn: Vec<PathBuf>,
    /// GSS codes of councils serving the place from outside its districts (a county council).
    #[arg(long, num_args = 1.., value_name = "CODE")]
    pub council: Vec<String>,
    /// 360Giving grant files.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub grants: Vec<PathBuf>,
    /// Contract notices: Contracts Finder exports, notices tables, OCDS (as `anchornet hub`).
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub notices: Vec<PathBuf>,
    /// Keep the notices whose buyer's name contains this [default: the place's name].
    #[arg(long)]
    pub buyer: Option<String>,
    /// Land and building asset registers.
    #[arg(long, num_args = 1.., value_name = "REGISTER")]
    pub assets: Vec<String>,
    /// Output directory.
    #[arg(long, default_value = "anchornet-place")]
    pub out: PathBuf,
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    let limits = anchornet_ingest::Limits::process();
    let geo = anchornet_geo::GeoIndex::open_default().context("geography index")?;
    let cfg = a
        .network
        .as_deref()
        .map(anchornet_network::NetworkConfig::load)
        .transpose()?;
    let place = match (&cfg, &a.place) {
        (_, Some(p)) => anchornet_geo::Places::builtin(&geo)
            .get(p)
            .cloned()
            .with_context(|| format!("unknown place {p:?} (see `anchornet geo places`)"))?,
        (Some(cfg), None) => anchornet_network::places_and_rules(cfg, &geo)?.0,
        (None, None) => anyhow::bail!("give --network FILE or --place NAME"),
    };
    let mut tp = TotalPlace::new(&place.name);
    if !a.outturn.is_empty() {
        let paths: Vec<&std::path::Path> = a.outturn.iter().map(PathBuf::as_path).collect();
        let o = outturn::read(&paths, &limits);
        tp.add_outturn(&o, &place, &a.council, &names(&a.outturn));
    }
    if let Some(cfg) = &cfg {
        let bar = super::analyse::spinner();
        let progress = |stage: &str, detail: &str| {
            bar.set_prefix(stage.to_string());
            bar.set_message(detail.to_string());
        };
        let prepared = anchornet_network::pipeline::prepare(cfg, &geo, None, &progress);
        bar.finish_and_clear();
        tp.add_spend(&prepared?.dataset, &place, &cfg.name);
    }
    if !a.grants.is_empty() {
        let paths: Vec<&std::path::Path> = a.grants.iter().map(PathBuf::as_path).collect();
        let g = grants::read(&paths, &limits);
        tp.add_grants(&g, &geo, &place, &names(&a.grants));
    }
    if !a.notices.is_empty() {
        let p = anchornet_hub::sources::read(&a.notices, &limits);
        let buyer = a.buyer.clone().unwrap_or_else(|| place.name.clone());
        tp.add_notices(&p, &buyer, &names(&a.notices));
    }
    if !a.assets.is_empty() {
        let register = anchornet_assets::Register::read(&a.assets, &limits);
        let points =
            anchornet_geo::PointIndex::open_reference(&anchornet_geo::default_reference_dir())
                .context("LSOA boundaries")?;
        let locator = anchornet_assets::Locator {
            geo: &geo,
            points: &points,
        };
        let l = anchornet_assets::Located::build(register, &locator, None);
        tp.add_assets(&l, &a.assets.join(", "));
    }

    std::fs::create_dir_all(&a.out).with_context(|| a.out.display().to_string())?;
    let tables = tp.tables();
    for t in &tables {
        anchornet_report::write_atomic(
            &a.out.join(format!("{}.csv", t.file)),
            &anchornet_report::csv_set::to_bytes(t),
        )?;
    }
    anchornet_report::write_atomic(
        &a.out.join("place.xlsx"),
        &anchornet_report::xlsx::tables_to_bytes(&tables)?,
    )?;
    anchornet_report::write_atomic(&a.out.join("place.html"), tp.html().as_bytes())?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["file", "line", "column", "value", "problem"])?;
    for p in &tp.problems {
        w.write_record([
            anchornet_core::cell::spreadsheet_text(&p.file).into_owned(),
            p.line.to_string(),
            anchornet_core::cell::spreadsheet_text(&p.column).into_owned(),
            anchornet_core::cell::spreadsheet_text(&p.value).into_owned(),
            anchornet_core::cell::spreadsheet_text(&p.problem).into_owned(),
        ])?;
    }
    anchornet_report::write_atomic(&a.out.join("place-issues.csv"), &w.into_inner()?)?;

    let mut out = std::io::stdout().lock();
    writeln!(out, "{}: Total Place", tp.place)?;
    for s in &tp.sources {
        writeln!(
            out,
            "  {}: {} ({}); {}",
            s.stream.id(),
            s.years,
            s.source,
            s.note
        )?;
    }
    for r in &tp.summary_table().rows {
        writeln!(
            out,
            "  {:<16} {:<8} {:>20} {:>8} rows  {}",
            r[0].csv(),
            r[2].csv(),
            match r[3] {
                anchornet_report::tables::Cell::Money(p) => anchornet_report::fmt::money(p),
                _ => String::new(),
            },
            r[4].csv(),
            r[1].csv()
        )?;
    }
    writeln!(
        out,
        "{} rows not used (place-issues.csv); wrote {}",
        tp.problems.len(),
        a.out.display()
    )?;
    Ok(0)
}

fn names(p: &[PathBuf]) -> String {
    p.iter()
        .map(|p| {
            p.file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_else(|| p.display().to_string())
        })
        .collect::<Vec<_>>()
        .join(", ")
}
