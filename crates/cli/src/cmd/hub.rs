//! `anchornet hub`: the supply chain hub — the pooled pipeline of the anchors' contracts,
//! its calendar, and the local suppliers matched to each opportunity.

use std::io::Write;
use std::path::{Path, PathBuf};

use anchornet_core::Pence;
use anchornet_hub::anchors::Anchor;
use anchornet_hub::calendar::{self, Bands, Filter};
use anchornet_hub::demand::{self, LotRule};
use anchornet_hub::matching::Index;
use anchornet_hub::output::{self, Rows};
use anchornet_hub::sources::{self, Pipeline};
use anchornet_hub::targets::{self, Targets};
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
    Demand(DemandArgs),
    Targets(TargetsArgs),
    Pack(PackArgs),
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
    /// Also write the payments compliance notices (UK8, Procurement Act 2023 s.69) as CSV,
    /// one row per notice: buyer, reporting period, invoices paid, their value, the shares
    /// paid within 30, in 31 to 60 and after 60 days, average days to pay, notice id, ocid,
    /// page and source file (`-` for stdout). They are not opportunities.
    #[arg(long, value_name = "FILE")]
    payments_compliance: Option<PathBuf>,
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

/// Aggregated demand: spend categories in which several anchors buy the same thing from
/// suppliers outside the place (one year of each anchor, from the spend analysis), their
/// combined value, the anchors' contract ends in the category from the pipeline, and a
/// lotting suggestion sized for small and micro businesses (see docs/hub.md for the rule
/// and its sources). Needs --network; SOURCES are optional pipeline sources.
#[derive(clap::Args, Debug)]
struct DemandArgs {
    #[command(flatten)]
    src: SourceArgs,
    /// Contract ends from this date (YYYY-MM-DD; default today).
    #[arg(long)]
    from: Option<String>,
    /// Lead times by value band for the joint procurement's start, `POUNDS:MONTHS,…`
    /// (default as `hub calendar`).
    #[arg(long)]
    lead: Option<String>,
    /// At least this many anchors leaking spend in the category.
    #[arg(long, default_value_t = 2)]
    min_anchors: usize,
    /// Pool the spend whose supplier is not located too (leaked + not located), for
    /// networks whose suppliers are not located (no register gives their postcodes).
    #[arg(long)]
    with_unlocated: bool,
    /// Turnover ceiling of a small business, pounds (Companies Act 2006 s.382 from April 2025).
    #[arg(long, default_value = "15000000")]
    small_turnover: String,
    /// Turnover ceiling of a micro business, pounds (Companies Act 2006 s.384A from April 2025).
    #[arg(long, default_value = "1000000")]
    micro_turnover: String,
    /// Only the first N candidates (0: all).
    #[arg(long, default_value_t = 0)]
    top: usize,
    /// Read the spend analysis from this `analysis.json` (what `anchornet analyse --out`
    /// wrote for the same network) instead of preparing the network again.
    #[arg(long, value_name = "FILE")]
    analysis: Option<PathBuf>,
    /// The candidates as CSV (`-` for stdout).
    #[arg(long, default_value = "demand.csv")]
    out: PathBuf,
}

/// The "meet the buyer" pack, an XLSX workbook: the opportunities that have local
/// suppliers to invite, the suppliers with the opportunities that fit them, and every match
/// with its reasons. Needs --network.
#[derive(clap::Args, Debug)]
struct PackArgs {
    #[command(flatten)]
    src: SourceArgs,
    #[command(flatten)]
    filter: FilterArgs,
    /// Suppliers per opportunity.
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// The workbook.
    #[arg(long, default_value = "pack.xlsx")]
    out: PathBuf,
}

/// SME and VCSE shares of each anchor's (and the network's) influenceable spend, year by
/// year, against the targets in the network file's `[targets]` (`sme = 0.3`, `vcse = 0.05`;
/// none by default: PPN 001 asks each body to set its own). See
/// docs/methodology/sme-vcse-targets.md.
#[derive(clap::Args, Debug)]
struct TargetsArgs {
    /// The network file.
    #[arg(long)]
    network: PathBuf,
    /// Read the spend analysis from this `analysis.json` (what `anchornet analyse --out`
    /// wrote for the same network) instead of preparing the network again.
    #[arg(long, value_name = "FILE")]
    analysis: Option<PathBuf>,
    /// The shares and verdicts as CSV (`-` for stdout).
    #[arg(long, default_value = "targets.csv")]
    out: PathBuf,
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    match a.cmd {
        Cmd::Pipeline(p) => pipeline(p),
        Cmd::Calendar(c) => run_calendar(c),
        Cmd::Match(m) => run_match(m),
        Cmd::Demand(d) => run_demand(d),
        Cmd::Targets(t) => run_targets(t),
        Cmd::Pack(p) => run_pack(p),
    }
}

fn load(src: &SourceArgs) -> anyhow::Result<(Pipeline, Option<NetworkConfig>)> {
    load_sources(src, true)
}

/// The sources (required unless `need` is false: aggregated demand reads the pipeline
/// only for contract ends, where known).
fn load_sources(src: &SourceArgs, need: bool) -> anyhow::Result<(Pipeline, Option<NetworkConfig>)> {
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
    anyhow::ensure!(!need || !paths.is_empty(), "give pipeline sources (OCDS JSON, registers, notices, forward plans), or --network with anchors' registers");
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
            "payments_compliance": p.payments_compliance.len(),
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
        "read {read} = used {used} + rejected {rejected}; {} opportunities ({anchors} of the network's anchors); {} payments compliance notices (UK8); {} issues",
        p.opportunities.len(),
        p.payments_compliance.len(),
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
    if let Some(path) = &a.payments_compliance {
        write_rows(
            path,
            "payments_compliance",
            output::payments_compliance(&p.payments_compliance),
        )?;
    }
    if let Some(path) = &a.ocds {
        // One compiled release merged again, written and dropped at a time.
        let mut reader = p.ocds.reader();
        let compiled = |o: &anchornet_hub::Opportunity| p.compiled_release(&mut reader, &o.id);
        let now = format!("{}T00:00:00Z", calendar::today());
        if path.as_os_str() == "-" {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            output::write_record_package(&mut w, &p.opportunities, compiled, &now)?;
            writeln!(w)?;
            w.flush()?;
        } else {
            let f = std::fs::File::create(path).with_context(|| format!("{}", path.display()))?;
            let mut w = std::io::BufWriter::new(f);
            output::write_record_package(&mut w, &p.opportunities, compiled, &now)
                .with_context(|| format!("{}", path.display()))?;
            w.flush().with_context(|| format!("{}", path.display()))?;
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

/// The network's prepared payments and register (the same pipeline as `analyse`).
fn prepare(cfg: &NetworkConfig) -> anyhow::Result<anchornet_network::Prepared> {
    let geo = anchornet_geo::GeoIndex::open_default().context("geography index")?;
    let bar = super::analyse::spinner();
    let progress = |stage: &str, detail: &str| {
        bar.set_prefix(stage.to_string());
        bar.set_message(detail.to_string());
    };
    let prepared = anchornet_network::prepare(cfg, &geo, None, &progress);
    bar.finish_and_clear();
    Ok(prepared?)
}

/// Each kept opportunity (its index) with its shortlist.
type Shortlists = Vec<(usize, Vec<anchornet_hub::matching::Match>)>;

/// Each kept opportunity's shortlist of local suppliers (the network prepared once).
fn shortlists(
    src: &SourceArgs,
    filter: &Filter,
    top: usize,
    what: &str,
) -> anyhow::Result<(Pipeline, Shortlists)> {
    anyhow::ensure!(
        src.network.is_some(),
        "hub {what} needs --network (its payments and registers make the supplier register)"
    );
    let (p, cfg) = load(src)?;
    let cfg = cfg.context("network")?;
    let prepared = prepare(&cfg)?;
    // Timed on stderr: the matching alone, apart from reading the sources and preparing the
    // network (bench/run_hub_scale.sh reads it).
    let started = std::time::Instant::now();
    let index = Index::new(&prepared.dataset);
    let all = index.shortlists(&p.opportunities, |o| filter.keeps(o), top);
    let with = all.iter().filter(|x| !x.1.is_empty()).count();
    let pairs: usize = all.iter().map(|x| x.1.len()).sum();
    eprintln!(
        "{} opportunities matched against {} suppliers in {:.2} s; {with} with at least one local supplier; {pairs} matches",
        all.len(),
        prepared.dataset.suppliers.len(),
        started.elapsed().as_secs_f64()
    );
    Ok((p, all))
}

/// The network's spend analysis: read from a saved `analysis.json`, else computed (the
/// network prepared and analysed as `anchornet analyse` does).
fn analysis_of(
    cfg: &NetworkConfig,
    saved: Option<&Path>,
) -> anyhow::Result<anchornet_metrics::Analysis> {
    if let Some(path) = saved {
        let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
        let a: anchornet_metrics::Analysis = serde_json::from_str(&text)
            .with_context(|| format!("{}: not an analysis.json", path.display()))?;
        anyhow::ensure!(
            a.network.name == cfg.name,
            "{}: the analysis of `{}`, not of this network (`{}`)",
            path.display(),
            a.network.name,
            cfg.name
        );
        return Ok(a);
    }
    let prepared = prepare(cfg)?;
    Ok(anchornet_metrics::analyse(&prepared.dataset, None))
}

fn run_match(a: MatchArgs) -> anyhow::Result<u8> {
    let filter = a.filter.filter()?;
    let (p, all) = shortlists(&a.src, &filter, a.top, "match")?;
    write_rows(&a.out, "matches", output::matches(&p.opportunities, &all))?;
    Ok(0)
}

fn run_pack(a: PackArgs) -> anyhow::Result<u8> {
    let filter = a.filter.filter()?;
    let (p, mut all) = shortlists(&a.src, &filter, a.top, "pack")?;
    // The pack is for opportunities someone can be invited to: those with a shortlist.
    all.retain(|x| !x.1.is_empty());
    let tables = output::pack_tables(&p.opportunities, &all);
    let bytes = anchornet_report::xlsx::tables_to_bytes(&tables)?;
    anchornet_report::write_atomic(&a.out, &bytes)
        .with_context(|| format!("{}", a.out.display()))?;
    eprintln!(
        "{}: {} opportunities, {} suppliers to invite",
        a.out.display(),
        tables[0].rows.len(),
        tables[1].rows.len()
    );
    Ok(0)
}

fn run_demand(a: DemandArgs) -> anyhow::Result<u8> {
    anyhow::ensure!(
        a.src.network.is_some(),
        "hub demand needs --network (its spend analysis gives the categories)"
    );
    let bands = match &a.lead {
        Some(s) => Bands::parse(s).map_err(|e| anyhow::anyhow!("--lead: {e}"))?,
        None => Bands::default(),
    };
    let money = |s: &str, flag: &str| -> anyhow::Result<Pence> {
        Pence::parse(s).map_err(|e| anyhow::anyhow!("{flag} {s}: {e}"))
    };
    let rule = LotRule {
        small_turnover: money(&a.small_turnover, "--small-turnover")?,
        micro_turnover: money(&a.micro_turnover, "--micro-turnover")?,
        ..LotRule::default()
    };
    let from = match &a.from {
        Some(s) => calendar::parse_date(s).map_err(|e| anyhow::anyhow!("--from: {e}"))?,
        None => calendar::today(),
    };
    let (p, cfg) = load_sources(&a.src, false)?;
    let cfg = cfg.context("network")?;
    let analysis = analysis_of(&cfg, a.analysis.as_deref())?;
    let years = demand::years_taken(&analysis);
    let mut rows = demand::demand(
        &analysis,
        &p.opportunities,
        from,
        &bands,
        &rule,
        a.min_anchors,
        a.with_unlocated,
    );
    let total = rows.len();
    let pooled: i64 = rows.iter().map(|r| r.pooled).sum();
    if a.top > 0 {
        rows.truncate(a.top);
    }
    eprintln!(
        "years taken: {}",
        years
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    eprintln!(
        "{total} categories in which {}+ anchors {}; {} in them; {} with a contract ending from {from}",
        a.min_anchors,
        if a.with_unlocated { "pay suppliers not known to be local" } else { "leak spend" },
        Pence(pooled).to_pounds_string(),
        rows.iter().filter(|r| !r.ends.is_empty()).count()
    );
    write_rows(&a.out, "demand", output::demand(&rows, &rule))?;
    Ok(0)
}

fn run_targets(a: TargetsArgs) -> anyhow::Result<u8> {
    let cfg = NetworkConfig::load(&a.network)?;
    let t = Targets {
        sme: cfg.targets.sme,
        vcse: cfg.targets.vcse,
    };
    let analysis = analysis_of(&cfg, a.analysis.as_deref())?;
    let rows = targets::targets(&analysis, &t);
    let show = |x: Option<f64>| x.map_or("none".to_string(), |v| format!("{:.1}%", v * 100.0));
    eprintln!(
        "targets: SME {}, VCSE {}; {} scope-years",
        show(t.sme),
        show(t.vcse),
        rows.len()
    );
    write_rows(&a.out, "targets", output::targets(&rows, &t))?;
    Ok(0)
}
