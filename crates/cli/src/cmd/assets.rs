//! `anchornet assets`: land and building registers located. Glue only: the work is in the
//! `anchornet-assets` crate.

use std::io::Write;
use std::path::PathBuf;

use anchornet_assets::{table, Decisions, Located, Locator, Register};
use anyhow::Context;

/// Locate land and building asset registers: every row of every register (the Local
/// Government Transparency Code's land and building assets, in any council's column
/// spellings, CSV in UTF-8 or Windows-1252, XLSX or ODS, compressed or not) with its own
/// columns plus `lsoa21,ward,lad,iod2025_decile,status` and the evidence.
///
/// Each asset is placed by its coordinates (British National Grid eastings and northings,
/// or latitude and longitude: the 2021 LSOA and ward whose ONS boundary contains the point),
/// else its postcode, else a postcode in its address. Rows that cannot be placed are kept,
/// with the reason, and listed on the terminal (file, line, column, value, reason). A vacant
/// asset's status is `candidate` (for community use, meanwhile use or community asset
/// transfer) until a decision in `--decisions` moves it on.
///
/// Exit codes: 0 done (unplaced rows are reported, not errors); 2 usage error, or no file
/// could be read.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Register files, directories or patterns.
    #[arg(required_unless_present = "estates", value_name = "REGISTER")]
    pub registers: Vec<String>,
    /// NHS estates returns (ERIC, trust level: land owned and not delivering services, empty
    /// and under-used floor area, estates costs), written one row per trust and year to
    /// `--estates-out`.
    #[arg(long, num_args = 1.., value_name = "ERIC")]
    pub estates: Vec<String>,
    /// Where the estates rows go.
    #[arg(long, default_value = "estates.csv", value_name = "FILE")]
    pub estates_out: PathBuf,
    /// The located register as CSV (`-` for stdout).
    #[arg(long, default_value = "assets.csv")]
    pub out: PathBuf,
    /// Status decisions (`asset,status,by,at,note`), applied in order on every run.
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
    /// Write unplaced rows, unapplied decisions and unreadable files to this CSV
    /// (`file,line,column,value,problem`).
    #[arg(long, value_name = "FILE")]
    pub issues: Option<PathBuf>,
    /// The 2021 LSOA boundaries (GeoJSON, plain or .xz) [default: the reference directory's
    /// lsoa21_boundaries_england_wales.geojson.xz].
    #[arg(long, value_name = "FILE")]
    pub boundaries: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print, instead of the summary, a Markdown table of the vacant assets in the most
    /// deprived neighbourhoods (IoD 2025 deciles 1–2).
    #[arg(long)]
    pub vacant_deprived: bool,
}

/// Run `anchornet assets`.
pub fn run(a: Args) -> anyhow::Result<u8> {
    if !a.estates.is_empty() {
        estates(&a)?;
        if a.registers.is_empty() {
            return Ok(0);
        }
    }
    let register = Register::read(&a.registers, &anchornet_ingest::Limits::process());
    if register.sheets.is_empty() {
        for p in &register.problems {
            eprintln!("{}: {}", p.file, p.problem);
        }
        anyhow::bail!("no asset register could be read");
    }
    let decisions = a
        .decisions
        .as_deref()
        .map(Decisions::read)
        .transpose()
        .context("decisions")?;
    let geo = anchornet_geo::GeoIndex::open_default().context("geography index")?;
    let reference = anchornet_geo::default_reference_dir();
    let points = match &a.boundaries {
        Some(f) => anchornet_geo::PointIndex::open(f, None),
        None => anchornet_geo::PointIndex::open_reference(&reference),
    }
    .context("LSOA boundaries")?;
    let locator = Locator {
        geo: &geo,
        points: &points,
    };
    let located = Located::build(register, &locator, decisions);

    if a.out.as_os_str() == "-" {
        table::write_csv(&located, std::io::stdout().lock())?.flush()?;
    } else {
        let f = std::fs::File::create(&a.out).with_context(|| format!("{}", a.out.display()))?;
        table::write_csv(&located, std::io::BufWriter::new(f))?.flush()?;
    }
    if let Some(path) = &a.issues {
        let f = std::fs::File::create(path).with_context(|| format!("{}", path.display()))?;
        table::write_problems(&located, std::io::BufWriter::new(f))?.flush()?;
    }
    let s = located.summary();
    if a.vacant_deprived {
        print!("{}", vacant_deprived(&located));
        return Ok(0);
    }
    let problems = table::problems(&located);
    if a.json {
        let by: serde_json::Map<String, serde_json::Value> = s
            .by_method
            .iter()
            .map(|(m, n)| (m.as_str().to_string(), (*n).into()))
            .collect();
        let j = serde_json::json!({
            "assets": s.assets,
            "located": s.assets - s.unplaced,
            "located_by": by,
            "unplaced": s.unplaced,
            "vacant": s.vacant,
            "vacant_deciles_1_2": s.vacant_deciles_1_2,
            "problems": problems.len(),
        });
        println!("{}", serde_json::to_string_pretty(&j)?);
        return Ok(0);
    }
    let mut err = std::io::stderr().lock();
    for sh in &located.register.sheets {
        writeln!(
            err,
            "{}: header line {}; {}",
            sh.file,
            sh.header_line,
            sh.columns.summary(&sh.header)
        )?;
    }
    // Every problem when there are few; else the first ones and where to find the rest.
    const SHOWN: usize = 12;
    for [file, line, column, value, problem] in problems.iter().take(SHOWN) {
        writeln!(err, "{file}:{line}: {column} = {value:?}: {problem}")?;
    }
    if problems.len() > SHOWN {
        writeln!(
            err,
            "… and {} more{}",
            problems.len() - SHOWN,
            match &a.issues {
                Some(p) => format!(" (all in {})", p.display()),
                None => " (write them all with --issues FILE)".to_string(),
            }
        )?;
    }
    let methods = s
        .by_method
        .iter()
        .map(|(m, n)| format!("{n} by {}", m.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    println!(
        "{} assets: {} located ({methods}), {} not located; {} vacant, {} of them in IoD 2025 deciles 1–2",
        s.assets,
        s.assets - s.unplaced,
        s.unplaced,
        s.vacant,
        s.vacant_deciles_1_2
    );
    Ok(0)
}

/// The vacant assets in deciles 1–2 as a Markdown table, most deprived first.
fn vacant_deprived(l: &Located) -> String {
    let (header, rows) = table::rows(l);
    let col = |n: &str| header.iter().position(|h| h == n).unwrap_or(0);
    let mut picked: Vec<(u8, usize)> = l
        .placements
        .iter()
        .enumerate()
        .filter(|(i, _)| matches!(l.vacancy[*i], Some((true, _))))
        .filter_map(|(i, p)| match p.iod2025_decile {
            Some(d @ (1 | 2)) => Some((d, i)),
            _ => None,
        })
        .collect();
    picked.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(rows[a.1][col("lsoa21")].cmp(&rows[b.1][col("lsoa21")]))
    });
    let mut out = String::from(
        "| asset | name | holding | LSOA 2021 | ward | IoD 2025 decile | located by | status |\n|---|---|---|---|---|---|---|---|\n",
    );
    let cell = |s: &str| s.replace('|', "/");
    for (_, i) in picked {
        let a = &l.register.assets[i];
        let sh = &l.register.sheets[a.sheet];
        let r = &rows[i];
        out.push_str(&format!(
            "| {} | {} | {} | {} {} | {} | {} | {} | {} |\n",
            cell(&r[col("asset_key")]),
            cell(sh.value(a, anchornet_assets::Field::Name)),
            cell(sh.value(a, anchornet_assets::Field::HoldingType)),
            r[col("lsoa21")],
            cell(&r[col("lsoa21_name")]),
            cell(&r[col("ward_name")]),
            r[col("iod2025_decile")],
            r[col("located_by")],
            r[col("status")],
        ));
    }
    out
}

/// Read the ERIC returns, write them, print what they hold.
fn estates(a: &Args) -> anyhow::Result<()> {
    use anchornet_assets::estates::{Estates, Measure, Value};
    let e = Estates::read(&a.estates, &anchornet_ingest::Limits::process());
    let f = std::fs::File::create(&a.estates_out)
        .with_context(|| format!("{}", a.estates_out.display()))?;
    e.write_csv(std::io::BufWriter::new(f))?.flush()?;
    let mut years: std::collections::BTreeMap<String, (usize, f64, f64, f64)> = Default::default();
    for t in &e.rows {
        let y = years
            .entry(t.year.map(|y| y.to_string()).unwrap_or_default())
            .or_default();
        let n = |m| match t.get(m) {
            Some(Value::Number(x)) => x,
            _ => 0.0,
        };
        y.0 += 1;
        y.1 += n(Measure::LandHa);
        y.2 += n(Measure::LandNotDeliveringHa);
        y.3 += t.empty_m2().unwrap_or(0.0);
    }
    for p in &e.problems {
        eprintln!(
            "{}:{}: {} = {:?}: {}",
            p.file, p.line, p.column, p.value, p.problem
        );
    }
    for (y, (n, land, idle, empty)) in years {
        println!(
            "{y}: {n} trusts, land owned {land:.1} ha, not delivering services {idle:.1} ha, empty floor area {empty:.0} m²"
        );
    }
    Ok(())
}
