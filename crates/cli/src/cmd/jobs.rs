//! `anchornet jobs`: job titles coded to SOC 2020, and candidates matched with vacancies. Glue only: the work is in the
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
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    match args.command {
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
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(["file", "line", "column", "value", "problem", "outcome"])?;
                for i in &problems {
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
                anchornet_report::write_atomic(&p, &w.into_inner()?)
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
