//! `anchornet suppliers`: the network's supplier register.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use super::analyse::NetworkArgs;

/// Build the supplier register: one row per real supplier the network pays, with the names
/// it was paid under, its identifiers, kind, size (PPN 001), VCSE status and the location the
/// metrics use — postcode, district, LSOA, deprivation, local or not — with the kind of
/// address, its source file and line, date and confidence.
///
/// Evidence is read from the payment files (supplier addresses, company, charity and VAT
/// numbers, supplier ids) and from `--registers` (contracts registers, vendor lists,
/// Companies House, the Charity Commission extract, OCDS), each detected by its layout;
/// people's decisions come from `--overrides`. `anchornet analyse` runs the same stage with
/// the same evidence.
///
/// Exit codes: 0 done; 2 usage or input error (unreadable network file, unknown place, a
/// register file in no known layout).
#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    /// `todo`: the worklist of suppliers to complete.
    #[command(subcommand)]
    pub sub: Option<Sub>,
    /// The network: a network file, or payment files and a place.
    #[command(flatten)]
    pub net: NetworkArgs,
    /// The register as CSV (`-` for stdout).
    #[arg(long, default_value = "suppliers.csv")]
    pub out: PathBuf,
    /// Write rows that could not be used (register rows rejected, decisions that name no
    /// supplier, payment rows skipped) to this CSV.
    #[arg(long)]
    pub issues: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print the N review questions that move the most influenceable spend (the resolver's
    /// uncertain links, locations resting on a registered office or a weak link, individuals
    /// known from their name alone); answer them in the overrides file.
    #[arg(long, value_name = "N")]
    pub review: Option<usize>,
}

/// What `anchornet suppliers` does besides writing the register.
#[derive(clap::Subcommand, Debug)]
pub enum Sub {
    Todo(TodoArgs),
}

/// The coverage worklist (CLES's top 300, made systematic): every supplier with influenceable
/// spend that is not located, or whose size or kind is unknown, largest first, with the
/// evidence already found (register records its names came close to, with the postcode
/// they give) and the decision that would accept it.
///
/// The CSV's first columns are those of the overrides file (`action,name,value,note`): write
/// an action on the rows you settle — `set-postcode`, `set-sme`, `set-kind`, `not-local`,
/// `set-company-number`, … or `accept` to take the row's suggestion — and give the file
/// back with `--overrides` (rows left without an action are not yet worked on). The summary
/// says how much influenceable spend the top suppliers carry and how much of it is located,
/// so each pass shows coverage rising.
///
/// Exit codes: 0 done; 2 usage or input error.
#[derive(clap::Args, Debug)]
pub struct TodoArgs {
    /// The network: a network file, or payment files and a place.
    #[command(flatten)]
    pub net: NetworkArgs,
    /// The worklist as CSV (`-` for stdout).
    #[arg(long, default_value = "todo.csv")]
    pub out: PathBuf,
    /// How many of the largest suppliers the coverage line counts (CLES locates the top 300).
    #[arg(long, default_value_t = 300)]
    pub top: usize,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Prepare the network with a progress spinner.
fn prepare(
    net: &NetworkArgs,
) -> anyhow::Result<(anchornet_network::Prepared, anchornet_geo::Deprivation)> {
    let cfg = net.config()?;
    let geo = anchornet_geo::GeoIndex::open_default().context("geography index")?;
    let bar = super::analyse::spinner();
    let progress = |stage: &str, detail: &str| {
        bar.set_prefix(stage.to_string());
        bar.set_message(detail.to_string());
    };
    let p = anchornet_network::prepare(&cfg, &geo, None, &progress);
    bar.finish_and_clear();
    Ok((p?, cfg.deprivation))
}

/// Write to a file, or stdout for `-`.
fn output(path: &std::path::Path) -> anyhow::Result<Box<dyn Write>> {
    Ok(if path.as_os_str() == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        let f = std::fs::File::create(path).with_context(|| format!("{}", path.display()))?;
        Box::new(std::io::BufWriter::new(f))
    })
}

fn todo(a: TodoArgs) -> anyhow::Result<u8> {
    let (p, _) = prepare(&a.net)?;
    let list =
        anchornet_suppliers::worklist::worklist(&p.register, &p.influenceable_by_supplier(), a.top);
    list.write_csv(&p.register, output(&a.out)?)?.flush()?;
    let c = &list.coverage;
    let suggested = list
        .items
        .iter()
        .filter(|i| {
            !p.register.suppliers[i.supplier as usize]
                .suggestions
                .is_empty()
        })
        .count();
    if a.json {
        let summary = serde_json::json!({
            "coverage": c,
            "items": list.items.len(),
            "with_suggestion": suggested,
            "decisions": p.quality.decisions,
        });
        serde_json::to_writer_pretty(std::io::stdout().lock(), &summary)?;
        println!();
    } else {
        let mut err = std::io::stderr().lock();
        writeln!(err, "{}", c.sentence())?;
        writeln!(
            err,
            "{} suppliers to complete ({} with a suggestion to accept); {} decisions applied",
            list.items.len(),
            suggested,
            p.quality.decisions
        )?;
        if a.out.as_os_str() != "-" {
            writeln!(err, "wrote {}", a.out.display())?;
        }
    }
    Ok(0)
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    if let Some(Sub::Todo(t)) = a.sub {
        return todo(t);
    }
    let (p, deprivation) = prepare(&a.net)?;
    let reg = &p.register;
    anchornet_suppliers::table::write_csv(reg, deprivation, output(&a.out)?)?.flush()?;
    if let Some(path) = &a.issues {
        anchornet_report::run::write_issues(&p, path)
            .with_context(|| format!("{}", path.display()))?;
    }
    let spend: i64 = reg.suppliers.iter().map(|s| s.spend.0).sum();
    let located: i64 = reg
        .suppliers
        .iter()
        .filter(|s| s.chosen.is_some())
        .map(|s| s.spend.0)
        .sum();
    let summary = serde_json::json!({
        "suppliers": reg.suppliers.len(),
        "located": reg.located(),
        "spend_pence": spend,
        "located_spend_pence": located,
        "register_files": p.quality.register_files,
        "decisions": p.quality.decisions,
        "issues": p.issues.len(),
    });
    if let Some(n) = a.review {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{:>4}  {:<10} {:>16}  question",
            "#", "topic", "at stake £"
        )?;
        for (i, q) in p.questions().iter().take(n).enumerate() {
            writeln!(
                out,
                "{:>4}  {:<10} {:>16}  {}",
                i + 1,
                q.topic.label(),
                anchornet_report::fmt::money(q.pence),
                q.text
            )?;
        }
    }
    let mut err = std::io::stderr().lock();
    if a.json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &summary)?;
        println!();
    } else {
        writeln!(
            err,
            "{} suppliers, {} located ({:.1}% of spend); {} decisions applied; {} rows not used{}",
            reg.suppliers.len(),
            reg.located(),
            if spend == 0 {
                0.0
            } else {
                located as f64 * 100.0 / spend as f64
            },
            p.quality.decisions,
            p.issues.len(),
            if a.issues.is_some() {
                " (see the issues file)"
            } else {
                ""
            }
        )?;
        for r in &p.quality.register_files {
            writeln!(
                err,
                "  register {}: {} rows read = {} kept + {} about no supplier of the network + {} rejected",
                r.file,
                r.read(),
                r.kept,
                r.not_relevant,
                r.rejected
            )?;
        }
        if a.out.as_os_str() != "-" {
            writeln!(err, "wrote {}", a.out.display())?;
        }
    }
    Ok(0)
}
