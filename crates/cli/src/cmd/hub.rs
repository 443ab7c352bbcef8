//! `anchornet hub`: the supply chain hub — the pooled pipeline of the anchors' contracts,
//! its calendar, and the local suppliers matched to each opportunity.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anchornet_core::Pence;
use anchornet_hub::anchors::Anchor;
use anchornet_hub::calendar::{self, Bands, Filter};
use anchornet_hub::matching::Index;
use anchornet_hub::output::{self, Rows};
use anchornet_hub::sources::{self, Pipeline};
use anchornet_network::NetworkConfig;
use anchornet_report::tables::{Cell, Column, Table};
use anyhow::Context;

/// The supply chain hub: the anchors' pooled pipeline of contracts (OCDS notices in any
/// packaging, contracts registers, notices tables, forward plans), one opportunity per
/// procurement, its re-procurement calendar, and the local suppliers who could bid.
///
/// Exit codes: 0 done (rejected rows and releases are in the issues report); 2 usage or
/// input error (an unreadable network file, no sources).
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(clap::Subcommand, Debug)]
enum Cmd {
    Pipeline(PipelineArgs),
    Calendar(CalendarArgs),
    Match(MatchArgs),
}

/// The sources and the network, shared by every hub command.
#[derive(clap::Args, Debug)]
struct SourceArgs {
    /// OCDS JSON files or folders (release or record packages, releases, JSON Lines; .gz,
    /// .xz, .zip), contracts registers, notices tables and forward plans (CSV, XLSX, ODS).
    sources: Vec<PathBuf>,
    /// The network file: its anchors are linked to the buyers, and each anchor's registers
    /// are read as sources too.
    #[arg(long)]
    network: Option<PathBuf>,
    /// Write every rejected release or row and every unusable value (file, line or JSON
    /// path, value, problem) to this CSV.
    #[arg(long)]
    issues: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// Read the sources into one opportunity per procurement, and write them.
#[derive(clap::Args, Debug)]
struct PipelineArgs {
    #[command(flatten)]
    src: SourceArgs,
    /// The opportunities as CSV, one row per opportunity (`-` for stdout).
    #[arg(long, default_value = "opportunities.csv")]
    out: PathBuf,
    /// Also write the opportunities as an OCDS record package (compiled releases).
    #[arg(long, value_name = "FILE")]
    ocds: Option<PathBuf>,
}

/// Which opportunities to show.
#[derive(clap::Args, Debug)]
struct FilterArgs {
    /// Only this anchor's opportunities (its name in the network file).
    #[arg(long)]
    anchor: Option<String>,
    /// Only the network's anchors' opportunities.
    #[arg(long)]
    anchors_only: bool,
    /// Only these CPV divisions (two digits, e.g. 45 for construction work); repeatable.
    #[arg(long = "cpv", value_name = "DIVISION")]
    divisions: Vec<u8>,
    /// At least this value (pounds).
    #[arg(long)]
    min_value: Option<String>,
    /// At most this value (pounds).
    #[arg(long)]
    max_value: Option<String>,
}

impl FilterArgs {
    fn filter(&self) -> anyhow::Result<Filter> {
        let money = |s: &Option<String>, flag: &str| -> anyhow::Result<Option<Pence>> {
            s.as_deref()
                .map(|v| Pence::parse(v).map_err(|e| anyhow::anyhow!("{flag} {v}: {e}")))
                .transpose()
        };
        Ok(Filter {
            anchor: self.anchor.clone(),
            anchors_only: self.anchors_only,
            divisions: self.divisions.clone(),
            min_value: money(&self.min_value, "--min-value")?,
            max_value: money(&self.max_value, "--max-value")?,
        })
    }
}

/// The pipeline calendar: contracts ending (with their re-procurement window) and
/// procurements coming to market in the next N months.
#[derive(clap::Args, Debug)]
struct CalendarArgs {
    #[command(flatten)]
    src: SourceArgs,
    #[command(flatten)]
    filter: FilterArgs,
    /// Start of the horizon (YYYY-MM-DD; default today).
    #[arg(long)]
    from: Option<String>,
    /// Months ahead.
    #[arg(long, default_value_t = 12)]
    months: u32,
    /// Lead times by value band, `POUNDS:MONTHS,…` (default 0:3,30000:6,214904:9,5372609:12;
    /// see docs/hub.md for the reasons).
    #[arg(long)]
    lead: Option<String>,
    /// The calendar as CSV (`-` for stdout).
    #[arg(long, default_value = "calendar.csv")]
    out: PathBuf,
}

/// For each opportunity, the local suppliers of the network's register who could bid,
/// ranked, with the reasons. Needs --network (its payments and registers build the register).
#[derive(clap::Args, Debug)]
struct MatchArgs {
    #[command(flatten)]
    src: SourceArgs,
    #[command(flatten)]
    filter: FilterArgs,
    /// Suppliers per opportunity.
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// The matches as CSV, one row per opportunity and supplier (`-` for stdout).
    #[arg(long, default_value = "matches.csv")]
    out: PathBuf,
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    match a.cmd {
        Cmd::Pipeline(p) => pipeline(p),
        Cmd::Calendar(c) => run_calendar(c),
        Cmd::Match(m) => run_match(m),
    }
}

fn load(src: &SourceArgs) -> anyhow::Result<(Pipeline, Option<NetworkConfig>)> {
    let cfg = src
        .network
        .as_deref()
        .map(NetworkConfig::load)
        .transpose()?;
    let mut paths = src.sources.clone();
    let mut anchors = Vec::new();
    if let Some(cfg) = &cfg {
        for a in &cfg.anchors {
            let files: Vec<PathBuf> = a.registers.iter().map(|r| cfg.path(r)).collect();
            paths.extend(files.iter().cloned());
            anchors.push(Anchor {
                name: a.name.clone(),
                files,
            });
        }
    }
    anyhow::ensure!(!paths.is_empty(), "give pipeline sources (OCDS JSON, registers, notices, forward plans), or --network with anchors' registers");
    for p in &paths {
        anyhow::ensure!(p.exists(), "{}: no such file or directory", p.display());
    }
    let mut pipe = sources::read(&paths, &anchornet_ingest::Limits::process());
    anchornet_hub::anchors::link(&mut pipe.opportunities, &anchors);
    if let Some(path) = &src.issues {
        write_rows(path, "issues", output::issues(&pipe.issues))?;
    }
    summary(&pipe, src.json)?;
    Ok((pipe, cfg))
}

fn summary(p: &Pipeline, json: bool) -> anyhow::Result<()> {
    let read: u64 = p.reports.iter().map(|r| r.read).sum();
    let used: u64 = p.reports.iter().map(|r| r.used).sum();
    let rejected: u64 = p.reports.iter().map(|r| r.rejected).sum();
    let anchors = p
        .opportunities
        .iter()
        .filter(|o| o.anchor.is_some())
        .count();
    if json {
        let v = serde_json::json!({
            "read": read, "used": used, "rejected": rejected,
            "opportunities": p.opportunities.len(),
            "anchor_opportunities": anchors,
            "issues": p.issues.len(),
            "sources": p.reports,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let mut e = std::io::stderr().lock();
    for r in &p.reports {
        writeln!(
            e,
            "{}: {} — read {} = used {} + rejected {}; {} opportunities{}",
            r.file,
            r.kind,
            r.read,
            r.used,
            r.rejected,
            r.opportunities,
            r.error
                .as_deref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default()
        )?;
    }
    writeln!(
        e,
        "read {read} = used {used} + rejected {rejected}; {} opportunities ({anchors} of the network's anchors); {} issues",
        p.opportunities.len(),
        p.issues.len()
    )?;
    Ok(())
}

fn write_rows(path: &Path, what: &'static str, (head, rows): Rows) -> anyhow::Result<()> {
    let t = Table {
        file: what,
        sheet: what,
        about: what,
        columns: head
            .iter()
            .map(|h| Column {
                name: h.to_string(),
                title: h.to_string(),
                meaning: String::new(),
            })
            .collect(),
        rows: rows
            .into_iter()
            .map(|r| r.into_iter().map(Cell::Text).collect())
            .collect(),
    };
    let bytes = anchornet_report::csv_set::to_bytes(&t);
    if path.as_os_str() == "-" {
        std::io::stdout().lock().write_all(&bytes)?;
    } else {
        std::fs::write(path, bytes).with_context(|| format!("{}", path.display()))?;
    }
    Ok(())
}

fn pipeline(a: PipelineArgs) -> anyhow::Result<u8> {
    let (p, _) = load(&a.src)?;
    write_rows(
        &a.out,
        "opportunities",
        output::opportunities(&p.opportunities),
    )?;
    if let Some(path) = &a.ocds {
        let compiled: HashMap<String, serde_json::Value> = p
            .compiled
            .iter()
            .map(|c| (c.ocid.clone(), c.json.clone()))
            .collect();
        let now = format!("{}T00:00:00Z", calendar::today());
        let pkg = output::record_package(&p.opportunities, &compiled, &now);
        let text = serde_json::to_string_pretty(&pkg)?;
        if path.as_os_str() == "-" {
            println!("{text}");
        } else {
            std::fs::write(path, text).with_context(|| format!("{}", path.display()))?;
        }
    }
    Ok(0)
}

fn run_calendar(a: CalendarArgs) -> anyhow::Result<u8> {
    let bands = match &a.lead {
        Some(s) => Bands::parse(s).map_err(|e| anyhow::anyhow!("--lead: {e}"))?,
        None => Bands::default(),
    };
    let filter = a.filter.filter()?;
    let (p, _) = load(&a.src)?;
    let from = match &a.from {
        Some(s) => calendar::parse_date(s).map_err(|e| anyhow::anyhow!("--from: {e}"))?,
        None => calendar::today(),
    };
    let entries = calendar::calendar(&p.opportunities, from, a.months, &bands, &filter);
    eprintln!(
        "calendar from {from} for {} months: {} entries",
        a.months,
        entries.len()
    );
    write_rows(
        &a.out,
        "calendar",
        output::calendar(&p.opportunities, &entries),
    )?;
    Ok(0)
}

fn run_match(a: MatchArgs) -> anyhow::Result<u8> {
    anyhow::ensure!(
        a.src.network.is_some(),
        "hub match needs --network (its payments and registers make the supplier register)"
    );
    let filter = a.filter.filter()?;
    let (p, cfg) = load(&a.src)?;
    let cfg = cfg.context("network")?;
    let geo = anchornet_geo::GeoIndex::open_default().context("geography index")?;
    let bar = super::analyse::spinner();
    let progress = |stage: &str, detail: &str| {
        bar.set_prefix(stage.to_string());
        bar.set_message(detail.to_string());
    };
    let prepared = anchornet_network::prepare(&cfg, &geo, None, &progress);
    bar.finish_and_clear();
    let prepared = prepared?;
    let index = Index::new(&prepared.dataset);
    let past = index.past_awards(&p.opportunities);
    let mut all = Vec::new();
    let mut with = 0usize;
    for (i, o) in p.opportunities.iter().enumerate() {
        if !filter.keeps(o) {
            continue;
        }
        let m = index.matches(o, &past, a.top);
        with += usize::from(!m.is_empty());
        all.push((i, m));
    }
    let pairs: usize = all.iter().map(|x| x.1.len()).sum();
    eprintln!(
        "{} opportunities matched; {with} with at least one local supplier; {pairs} matches",
        all.len()
    );
    write_rows(&a.out, "matches", output::matches(&p.opportunities, &all))?;
    Ok(0)
}
