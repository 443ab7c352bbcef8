//! `anchornet resolve`: one entity per real supplier, across anchors and years.

use std::io::Write;
use std::path::{Path, PathBuf};

use anchornet_report::write::atomic;
use anchornet_resolve::input::FileRead;
use anchornet_resolve::{NameFilter, Overrides, Registers, Resolution, Resolver, State};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

/// Resolve supplier names into entities: one per real supplier, with its evidence.
///
/// INPUT is payment files in any layout (CSV/TSV, XLSX, ODS; .gz/.xz/.zip; directories;
/// globs; `-` for stdin), supplier lists, or a CSV with a `name` column (and optionally
/// `anchor`/`publishers`, `supplier_id`, `company_number`, `charity_number`, `vat_number`,
/// `spend`). The output has one row per distinct input name:
/// `name,cluster_id,canonical_name,confidence,kind,identifiers`.
///
/// `anchornet resolve review INPUT…` lists instead the uncertain links that matter most:
/// links made with low confidence, near misses and links refused by a conflict, ranked by
/// the spend that would move if the decision were wrong. Write corrections to an overrides
/// file (see docs/resolve.md) and run again.
///
/// Exit codes: 0 done; 1 done, but some input, register or override row could not be used
/// (reported on stderr); 2 usage error or nothing readable.
#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Sub>,
    #[command(flatten)]
    pub run: RunArgs,
}

/// Subcommands of `resolve`.
#[derive(clap::Subcommand, Debug)]
pub enum Sub {
    /// List the most consequential uncertain links, most spend at stake first.
    Review(ReviewArgs),
    /// Learn the resolver's thresholds from unlabelled supplier names (no gold set):
    /// Fellegi-Sunter EM over pairs of names sharing a word, as docs/resolve.md describes.
    /// Writes the calibration file (`crates/resolve/data/calibration.tsv` is made this way
    /// from the 217,312 B3 names).
    Calibrate(CalibrateArgs),
}

/// `anchornet resolve calibrate NAMES.csv`.
#[derive(clap::Args, Debug)]
pub struct CalibrateArgs {
    /// CSV with a `name` column: one supplier name a row (trimmed; empty and repeated
    /// names are skipped).
    pub names: PathBuf,
    /// Write the calibration file here (`-` or none: stdout).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Inputs and evidence, shared by `resolve` and `resolve review`.
#[derive(clap::Args, Debug)]
pub struct Common {
    /// Payment files, supplier lists or a CSV with a `name` column.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// Registers to link entities to: Companies House (BasicCompanyData bulk CSV or
    /// advanced-search export), Charity Commission extract, OCDS JSON (file or directory),
    /// or a supplier list / contracts register.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub registers: Vec<PathBuf>,
    /// Overrides file (CSV: action,name,value,note) applied on every run.
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
    /// State file (JSON) of earlier runs: existing entities keep their ids and members,
    /// and the file is updated with this run's entities.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Anchor (paying body) for every input row, overriding what the files say.
    #[arg(long)]
    pub anchor: Option<String>,
}

/// `anchornet resolve INPUT… --out clusters.csv`.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub common: Common,
    /// Write one row per input name here (`-` for stdout).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write one row per entity, with register facts and their sources.
    #[arg(long, value_name = "FILE")]
    pub entities: Option<PathBuf>,
    /// Replace individuals' names (sole traders, people) by "Individual (redacted)", for
    /// outputs shared beyond the anchor.
    #[arg(long)]
    pub redact_individuals: bool,
    /// Print the run's summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `anchornet resolve review INPUT…`.
#[derive(clap::Args, Debug)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub common: Common,
    /// How many items to list.
    #[arg(long, default_value_t = 50)]
    pub top: usize,
    /// Write the full review list here as CSV (`-` for stdout) instead of a table.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    match a.command {
        Some(Sub::Review(r)) => review(r),
        Some(Sub::Calibrate(c)) => calibrate(c),
        None => resolve(a.run),
    }
}

/// Read inputs and evidence and resolve. Returns the resolution, the file reports and
/// whether anything could not be used.
fn prepare(c: &Common) -> anyhow::Result<(Resolution, Vec<FileRead>, Option<State>, bool)> {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} files {wide_msg}")
            .expect("valid template"),
    );
    let (inputs, reads) =
        anchornet_resolve::input::read(&c.inputs, c.anchor.as_deref(), |i, n, name| {
            bar.set_length(n as u64);
            bar.set_position(i as u64);
            bar.set_message(name.to_string());
        })?;
    bar.finish_and_clear();
    let mut trouble = false;
    for r in reads.iter().filter(|r| r.error.is_some()) {
        eprintln!("warning: {}: {}", r.file, r.error.as_deref().unwrap_or(""));
        trouble = true;
    }
    if inputs.is_empty() {
        anyhow::bail!("no supplier names found in the inputs");
    }
    let mut resolver = Resolver::default();
    if let Some(p) = &c.overrides {
        let o = Overrides::load(p)?;
        resolver = resolver.with_overrides(o);
    }
    let state = match &c.state {
        Some(p) if p.exists() => Some(State::load(p)?),
        _ => None,
    };
    if let Some(s) = &state {
        resolver = resolver.with_state(s.clone());
    }
    if !c.registers.is_empty() {
        let filter = NameFilter::from_inputs(&inputs);
        let mut regs = Registers::new();
        for p in &c.registers {
            let kept = regs.load(p, Some(&filter))?;
            eprintln!("register {}: {kept} records may match", p.display());
        }
        for i in regs.issues.iter().take(20) {
            eprintln!("warning: {}:{}: {}", i.file, i.line, i.problem);
        }
        if regs.issues.len() > 20 {
            eprintln!(
                "warning: … and {} more register rows not used",
                regs.issues.len() - 20
            );
        }
        trouble |= !regs.issues.is_empty();
        resolver = resolver.with_registers(regs);
    }
    let res = resolver.resolve(&inputs);
    for i in &res.override_issues {
        eprintln!(
            "warning: {}:{}: {}",
            c.overrides
                .as_deref()
                .map_or("overrides".into(), |p| p.display().to_string()),
            i.line,
            i.problem
        );
        trouble = true;
    }
    Ok((res, reads, state, trouble))
}

/// Write to a file atomically, or to stdout for `-`.
fn write_to(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    if path.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        f(&mut out)?;
        out.flush()?;
        return Ok(());
    }
    let (mut w, pending) =
        atomic(path).with_context(|| format!("cannot create {}", path.display()))?;
    f(&mut w)?;
    w.flush()?;
    drop(w);
    pending.commit()?;
    Ok(())
}

fn resolve(a: RunArgs) -> anyhow::Result<u8> {
    let (res, reads, state, trouble) = prepare(&a.common)?;
    if let Some(p) = &a.out {
        write_to(p, |w| Ok(res.write_clusters_csv(w, a.redact_individuals)?))?;
    }
    if let Some(p) = &a.entities {
        write_to(p, |w| Ok(res.write_entities_csv(w, a.redact_individuals)?))?;
    }
    if let Some(p) = &a.common.state {
        State::from_resolution(&res, state.as_ref()).save(p)?;
    }
    let inputs = res.names.iter().filter(|n| n.input).count();
    let merged = res
        .entities
        .iter()
        .filter(|e| e.members.iter().filter(|&&m| res.names[m].input).count() > 1)
        .count();
    let with_postcode = res
        .entities
        .iter()
        .filter(|e| e.facts.postcode.is_some())
        .count();
    if a.json {
        let summary = serde_json::json!({
            "files": reads,
            "names": inputs,
            "entities": res.entities.len(),
            "entities_with_several_names": merged,
            "register_records": res.stats.register_records,
            "register_links": res.register_links.len(),
            "entities_with_postcode": with_postcode,
            "review_items": res.review.len(),
            "override_issues": res.override_issues,
            "stats": res.stats,
        });
        serde_json::to_writer_pretty(std::io::stdout().lock(), &summary)?;
        println!();
    } else {
        let to_stdout = a.out.as_deref().is_some_and(|p| p.as_os_str() == "-");
        let mut o: Box<dyn Write> = if to_stdout {
            Box::new(std::io::stderr())
        } else {
            Box::new(std::io::stdout())
        };
        writeln!(
            o,
            "{inputs} names from {} files → {} entities ({merged} with several names); {} register records linked, {with_postcode} entities with a postcode; {} items to review (anchornet resolve review)",
            reads.len(),
            res.entities.len(),
            res.register_links.len(),
            res.review.len()
        )?;
        if a.out.is_none() {
            writeln!(o, "(no --out given: nothing written)")?;
        }
    }
    Ok(u8::from(trouble))
}

fn review(a: ReviewArgs) -> anyhow::Result<u8> {
    let (res, _, _, trouble) = prepare(&a.common)?;
    if let Some(p) = &a.out {
        write_to(p, |w| Ok(res.write_review_csv(w, None)?))?;
        return Ok(u8::from(trouble));
    }
    let mut o = std::io::stdout().lock();
    writeln!(
        o,
        "{:>4} {:>16} {:<7} {:>5}  names / why",
        "#", "spend at stake £", "now", "score"
    )?;
    for (k, r) in res.review.iter().take(a.top).enumerate() {
        writeln!(
            o,
            "{:>4} {:>16} {:<7} {:>5.2}  {:?} / {:?}\n{:>36}{}",
            k + 1,
            r.spend_at_stake.to_pounds_string(),
            r.decision,
            r.score,
            r.a,
            r.b,
            "",
            r.reason
        )?;
    }
    if res.review.len() > a.top {
        writeln!(
            o,
            "… {} more (--top N, or --out review.csv for all)",
            res.review.len() - a.top
        )?;
    }
    Ok(u8::from(trouble))
}

/// The names of a CSV's `name` column (trimmed, non-empty), and the rows that could not be
/// read as `FILE:LINE: problem`.
fn read_names(path: &Path) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::io::BufReader::new(file));
    let headers = rdr
        .byte_headers()
        .with_context(|| format!("{}: cannot read the header row", path.display()))?
        .clone();
    let col = headers
        .iter()
        .position(|h| {
            String::from_utf8_lossy(h)
                .trim_start_matches('\u{feff}')
                .trim()
                .eq_ignore_ascii_case("name")
        })
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{}:1: no `name` column (the header has: {})",
                path.display(),
                headers
                    .iter()
                    .map(|h| String::from_utf8_lossy(h).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
    let (mut names, mut issues) = (Vec::new(), Vec::new());
    let mut rec = csv::ByteRecord::new();
    loop {
        let line = rdr.position().line();
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                issues.push(format!("{}:{line}: {e}", path.display()));
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = rec.position().map_or(line, |p| p.line());
        let Some(raw) = rec.get(col) else {
            issues.push(format!("{}:{line}: no `name` field", path.display()));
            continue;
        };
        let name = match std::str::from_utf8(raw) {
            Ok(n) => n.to_string(),
            Err(_) => {
                issues.push(format!(
                    "{}:{line}: name is not UTF-8 (read with replacement characters)",
                    path.display()
                ));
                String::from_utf8_lossy(raw).into_owned()
            }
        };
        let name = name.trim();
        if !name.is_empty() {
            names.push(name.to_string());
        }
    }
    Ok((names, issues))
}

fn calibrate(a: CalibrateArgs) -> anyhow::Result<u8> {
    let (names, issues) = read_names(&a.names)?;
    for i in issues.iter().take(20) {
        eprintln!("warning: {i}");
    }
    if issues.len() > 20 {
        eprintln!("warning: … and {} more rows not used", issues.len() - 20);
    }
    if names.is_empty() {
        anyhow::bail!("{}: no names in the `name` column", a.names.display());
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{elapsed:>4} {bar:30} {pos}/{len} {wide_msg}")
            .expect("valid template"),
    );
    let c = anchornet_resolve::calibrate::calibrate_with(&names, &|stage, done, of| {
        if bar.message() != stage {
            bar.set_message(stage.to_string());
        }
        bar.set_length(of);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let mut command = format!("anchornet resolve calibrate {}", a.names.display());
    if let Some(p) = &a.out {
        command.push_str(&format!(" --out {}", p.display()));
    }
    let text = c.to_tsv(&command);
    write_to(a.out.as_deref().unwrap_or(Path::new("-")), |w| {
        Ok(w.write_all(text.as_bytes())?)
    })?;
    let t = &c.thresholds;
    eprintln!(
        "{} distinct names, {} pairs, {} EM iterations: rare_word {:.1}, alias_weight {:.1}, alias_one_word {:.1}, big_block_weight {:.1}, word_cap_weight {:.1}",
        c.names, c.pairs, c.iterations, t.rare_word, t.alias_weight, t.alias_one_word, t.big_block_weight, t.word_cap_weight
    );
    Ok(u8::from(!issues.is_empty()))
}
