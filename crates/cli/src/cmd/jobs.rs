//! `anchornet jobs`: job titles coded to SOC 2020. Glue only: the work is in the
//! `anchornet-workforce` crate.

use std::path::PathBuf;

use anchornet_workforce::code_csv::code_file;
use anchornet_workforce::Coder;
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
    }
}
