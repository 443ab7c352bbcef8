//! `anchornet jobs`: job titles coded to SOC 2020, candidates matched with vacancies, and
//! the pathway funnel. Glue only: the work is in the
//! `anchornet-workforce` crate.

use std::path::PathBuf;

use std::io::Write;

use anchornet_core::cell::spreadsheet_text;
use anchornet_workforce::code_csv::code_file;
use anchornet_workforce::{pathway, Coder};
use anyhow::Context;

/// Jobs: code job titles to SOC 2020 unit groups from the official ONS text.
///
/// Exit codes: 0 success; 2 usage error, or a file that cannot be read.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// The `jobs` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Add `soc2020,soc2020_title,confidence` to every row of a table of job titles (CSV, TSV,
    /// XLSX or ODS, compressed or not). Every column and row is kept; a title that fits no
    /// unit group well enough (confidence below 0.3) gets empty codes and its confidence.
    Code {
        /// Input table.
        #[arg(value_name = "TITLES")]
        input: PathBuf,
        /// The job title column's header (case, spacing and punctuation ignored).
        #[arg(long, value_name = "NAME")]
        column: String,
        /// Output CSV (`-` for standard output).
        #[arg(long, value_name = "OUT.csv")]
        out: PathBuf,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the SOC 2020 ↔ ESCO occupations crosswalk (each ESCO occupation's unit group, by
    /// its label coded or by text similarity): `esco_uri,esco_label,soc2020,soc2020_title,method,score`.
    Crosswalk {
        /// Output CSV (`-` for standard output).
        #[arg(long, value_name = "OUT.csv")]
        out: PathBuf,
    },
    /// Match anonymised candidate profiles with vacancies by transferable skills: each
    /// occupation's ESCO skills (from its SOC 2020 tasks), skills in common and gaps, and the
    /// straight-line distance from the home postcode sector. See docs/employment.md.
    Match {
        /// Vacancies feed (NHS Jobs-style: title, employer, band, salary, postcode, closing date).
        #[arg(value_name = "VACANCIES")]
        vacancies: PathBuf,
        /// Candidate profiles (candidate_id, current_occupation, previous_occupations, skills,
        /// home_sector, hours_wanted).
        #[arg(value_name = "CANDIDATES")]
        candidates: PathBuf,
        /// Output CSV (`-` for standard output).
        #[arg(long, value_name = "OUT.csv")]
        out: PathBuf,
        /// Vacancies kept per candidate.
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// Keep vacancies above entry level too.
        #[arg(long)]
        all_levels: bool,
        /// Only vacancies closing on or after this date.
        #[arg(long, value_name = "DATE")]
        open_on: Option<String>,
        /// Only vacancies within this many km of the home sector's centre.
        #[arg(long, value_name = "KM")]
        max_km: Option<f64>,
        /// At most this many vacancies of one SOC unit group per candidate.
        #[arg(long, value_name = "N")]
        per_occupation: Option<usize>,
        /// Do not compute distances (no geography index needed).
        #[arg(long)]
        no_distance: bool,
        /// Where to write rows that could not be read (CSV).
        #[arg(long, value_name = "ISSUES.csv")]
        issues: Option<PathBuf>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The jobs pathway funnel — referred → interviewed → offered → started → in post at 6
    /// months — per programme and anchor, from anonymised funnel events (CSV, TSV, XLSX or
    /// ODS, compressed or not; layout in docs/employment.md): counts reaching each stage,
    /// conversion from stage to stage and median days between stages. Counts of fewer than 10
    /// people are shown as `[c]`, with further cells hidden so that none can be worked out by
    /// subtraction. Writes funnel.csv, funnel.json, funnel.html (the programme's report) and
    /// issues.csv into DIR.
    ///
    /// Exit codes: 0 done; 1 some rows were rejected, only with `--strict`; 2 usage error.
    Funnel {
        /// Funnel event files.
        #[arg(required = true, value_name = "EVENTS")]
        events: Vec<PathBuf>,
        /// The network file: its name heads the report, and events naming an anchor that is
        /// not one of its anchors are reported.
        #[arg(long, value_name = "F")]
        network: Option<PathBuf>,
        /// The as-at date (six-month retention is due for those who started 182 days before
        /// it); default the latest event date. Later events are rejected.
        #[arg(long, value_name = "DATE")]
        as_at: Option<String>,
        /// Output directory.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Exit 1 when any row was rejected.
        #[arg(long)]
        strict: bool,
        /// Print the files' reconciliation as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    match args.command {
        Command::Funnel {
            events,
            network,
            as_at,
            out,
            strict,
            json,
        } => funnel_cmd(events, network, as_at, out, strict, json),
        Command::Code {
            input,
            column,
            out,
            json,
        } => {
            let coder = Coder::bundled().context("loading the SOC 2020 unit groups")?;
            let summary = if out.as_os_str() == "-" {
                code_file(&coder, &input, &column, std::io::stdout().lock())?
            } else {
                let mut buf = Vec::new();
                let s = code_file(&coder, &input, &column, &mut buf)?;
                anchornet_report::write_atomic(&out, &buf)
                    .with_context(|| format!("writing {}", out.display()))?;
                s
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else {
                let pct = |n: u64| {
                    if summary.rows == 0 {
                        0.0
                    } else {
                        100.0 * n as f64 / summary.rows as f64
                    }
                };
                eprintln!(
                    "{}: {} rows, {} coded ({:.1}%), {} by exact ONS title ({:.1}%), {} empty titles",
                    summary.file,
                    summary.rows,
                    summary.coded,
                    pct(summary.coded),
                    summary.exact,
                    pct(summary.exact),
                    summary.empty
                );
            }
            Ok(0)
        }
        Command::Crosswalk { out } => {
            let skills = pathway::Skills::bundled().map_err(anyhow::Error::msg)?;
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(pathway::CROSSWALK_COLUMNS)?;
            for r in pathway::crosswalk_rows(&skills) {
                w.write_record(r)?;
            }
            let buf = w.into_inner()?;
            if out.as_os_str() == "-" {
                std::io::stdout().lock().write_all(&buf)?;
            } else {
                anchornet_report::write_atomic(&out, &buf)
                    .with_context(|| format!("writing {}", out.display()))?;
            }
            eprintln!(
                "{} ESCO occupations placed in SOC 2020",
                skills.crosswalk.len()
            );
            Ok(0)
        }
        Command::Match {
            vacancies,
            candidates,
            out,
            top,
            all_levels,
            open_on,
            max_km,
            per_occupation,
            no_distance,
            issues,
            json,
        } => {
            let open_on = open_on
                .map(|d| anchornet_core::PaymentDate::parse(&d))
                .transpose()
                .context("--open-on")?;
            let geo = if no_distance {
                None
            } else {
                Some(anchornet_geo::GeoIndex::open_default().context("geography index")?)
            };
            let skills = pathway::Skills::bundled().map_err(anyhow::Error::msg)?;
            let (vs, mut problems) = pathway::read_vacancies(&vacancies, geo.as_ref());
            let (cs, more) = pathway::read_candidates(&candidates);
            problems.extend(more);
            let opt = pathway::MatchOptions {
                top,
                entry_only: !all_levels,
                open_on,
                max_km,
                per_occupation,
            };
            let (matches, summary) = pathway::match_all(&skills, &vs, &cs, geo.as_ref(), &opt);
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(pathway::MATCH_COLUMNS)?;
            for r in pathway::match_rows(&skills, &vs, &cs, &matches) {
                w.write_record(r.iter().map(|c| spreadsheet_text(c).into_owned()))?;
            }
            let buf = w.into_inner()?;
            if out.as_os_str() == "-" {
                std::io::stdout().lock().write_all(&buf)?;
            } else {
                anchornet_report::write_atomic(&out, &buf)
                    .with_context(|| format!("writing {}", out.display()))?;
            }
            if let Some(p) = issues {
                anchornet_report::write_atomic(&p, &anchornet_workforce::issues::csv(&problems))
                    .with_context(|| format!("writing {}", p.display()))?;
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else {
                eprintln!(
                    "{} vacancies, {} coded to SOC 2020, {} entry level; {} candidates, {} coded; {} matches; {} rows with problems",
                    summary.vacancies,
                    summary.vacancies_coded,
                    summary.vacancies_entry_level,
                    summary.candidates,
                    summary.candidates_coded,
                    summary.matches,
                    problems.len()
                );
            }
            Ok(0)
        }
    }
}

fn funnel_cmd(
    events: Vec<PathBuf>,
    network: Option<PathBuf>,
    as_at: Option<String>,
    out: PathBuf,
    strict: bool,
    json: bool,
) -> anyhow::Result<u8> {
    use anchornet_workforce::{funnel, funnel_report};
    let as_at = as_at
        .map(|d| anchornet_core::PaymentDate::parse(&d))
        .transpose()
        .context("--as-at")?;
    let cfg = network
        .as_ref()
        .map(|n| anchornet_network::NetworkConfig::load(n))
        .transpose()?;
    let paths: Vec<&std::path::Path> = events.iter().map(PathBuf::as_path).collect();
    let names = cfg.as_ref().map(|c| funnel::NetworkNames {
        name: &c.name,
        anchors: c.anchors.iter().map(|a| a.name.as_str()).collect(),
    });
    let funnel::Run {
        events: evs,
        funnel: f,
        table: rows,
        issues,
        reports,
    } = funnel::run(&paths, as_at, names.as_ref());
    let info = funnel_report::ReportInfo {
        network: cfg.as_ref().map(|c| c.name.as_str()),
        files: events.iter().map(|p| p.display().to_string()).collect(),
    };
    funnel_report::write(&out, &f, &rows, &reports, &issues, &info)
        .with_context(|| format!("writing {}", out.display()))?;
    if json {
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
    let warnings = issues
        .iter()
        .filter(|i| i.outcome == anchornet_ingest::Outcome::Warning)
        .count();
    eprintln!(
        "{} programmes, {} events kept, {} warnings; as at {}",
        f.programmes.len(),
        evs.len(),
        warnings,
        f.as_at.map(|d| d.to_string()).unwrap_or_else(|| "-".into())
    );
    eprintln!(
        "wrote funnel.csv, funnel.json, funnel.html and issues.csv in {}",
        out.display()
    );
    let rejected = reports.iter().any(|r| r.rejected > 0 || r.error.is_some());
    Ok(if strict && rejected { 1 } else { 0 })
}
