//! `anchornet geo`: postcodes to neighbourhoods, districts and deprivation deciles, offline.
//! Glue only: the work is in the `anchornet-geo` crate.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anchornet_core::Postcode;
use anchornet_geo::bulk::{annotate, OutField};
use anchornet_geo::cache::{build_from, cache_path, default_cache_dir, reference_dir_for};
use anchornet_geo::{BuildStats, GeoIndex, Location, OpenOptions, Places, SourceFiles};
use anyhow::Context;

/// Postcodes to neighbourhoods (OA, LSOA, MSOA, ward), districts, regions, combined
/// authorities and English deprivation deciles — offline, from the official ONS, OS and MHCLG
/// files in data/reference (or a newer release given to `build --from`).
///
/// The index is built on first use (about 10 seconds) into the cache directory and reused
/// until a source file changes.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Directory for the built index [default: $ANCHORNET_CACHE, else ~/.cache/anchornet]
    #[arg(long, global = true, value_name = "DIR")]
    cache_dir: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Look up postcodes, written any way (`m54bd`, `M5  4BD`): areas, district, region,
    /// combined authority, coordinates, IMD 2019 and IoD 2025.
    Lookup {
        /// Postcodes to look up.
        #[arg(required = true, value_name = "POSTCODE")]
        postcodes: Vec<String>,
        /// Print JSON (one array) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Add area and deprivation columns (`geo_*`) to every row of a CSV file. Rows whose
    /// postcode is empty, invalid or unknown are kept and marked in `geo_status` with the
    /// reason in `geo_reason`.
    Bulk {
        /// Input CSV (`-` for standard input).
        #[arg(value_name = "IN.csv")]
        input: PathBuf,
        /// Name of the postcode column (case-insensitive).
        #[arg(long, value_name = "NAME")]
        column: String,
        /// Output CSV (`-` for standard output).
        #[arg(long, value_name = "OUT.csv")]
        out: PathBuf,
    },
    /// List the places: combined authorities, regions, districts, built-in and configured
    /// custom sets (`[places."Name"]` in ./anchornet.toml or --config).
    Places {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// A TOML file with `[places."Name"] districts = [...]` or `within_km`/`postcode`.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Build (or rebuild) the index and print what each LSOA 2021 route assigned.
    Build {
        /// Directory of official files (same names as data/reference, or an NSPL/ONSPD CSV);
        /// later commands use it until the next `build --from`.
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
    },
}

/// Run `anchornet geo`. Exit code 0 on success (invalid or unknown postcodes are reported,
/// not errors); errors (unreadable files, bad configuration) are returned and exit 2.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let cache_dir = args.cache_dir.unwrap_or_else(default_cache_dir);
    match args.command {
        Command::Lookup { postcodes, json } => lookup(&open(&cache_dir)?, &postcodes, json),
        Command::Bulk { input, column, out } => bulk(&open(&cache_dir)?, &input, &column, &out),
        Command::Places { json, config } => places(&open(&cache_dir)?, json, config.as_deref()),
        Command::Build { from } => {
            let dir = from.unwrap_or_else(|| reference_dir_for(&cache_dir));
            eprintln!("building the geography index from {}", dir.display());
            let t = Instant::now();
            let (ix, stats) = build_from(&dir, &cache_dir)?;
            print_build(&ix, &stats, t.elapsed().as_secs_f64());
            Ok(0)
        }
    }
}

fn open(cache_dir: &Path) -> anyhow::Result<GeoIndex> {
    let opts = OpenOptions {
        reference_dir: reference_dir_for(cache_dir),
        cache_dir: cache_dir.to_path_buf(),
        rebuild: false,
    };
    let src = SourceFiles::discover(&opts.reference_dir)?;
    if !cache_path(cache_dir, &src)?.exists() {
        eprintln!(
            "building the geography index from {} (first use, about 10 s)…",
            opts.reference_dir.display()
        );
    }
    let (ix, _) = anchornet_geo::open(&opts)?;
    Ok(ix)
}

fn print_build(ix: &GeoIndex, s: &BuildStats, secs: f64) {
    println!(
        "index: {} postcodes, {:.1} MB, built in {secs:.1} s",
        ix.len(),
        ix.size_bytes() as f64 / 1e6
    );
    if let Some(p) = ix.path() {
        println!("file: {}", p.display());
    }
    println!(
        "in ONS directory {} (terminated {}), newer postcodes {}, with coordinates {}, in Code-Point Open {}",
        s.in_directory, s.terminated, s.not_in_directory, s.with_coordinates, s.in_codepoint
    );
    for k in &s.skipped {
        println!("skipped {} rows of {}: {} (e.g. {})", k.rows, k.file, k.reason, k.examples.join(", "));
    }
    println!("LSOA 2021 by route:");
    for r in anchornet_geo::Lsoa21Route::ALL {
        if let Some(n) = s.lsoa21_routes.get(r.as_str()) {
            println!("  {:<18} {n:>9}", r.as_str());
        }
    }
    println!("  ambiguous (England/Wales, no LSOA 2021): {}", s.lsoa21_ambiguous);
    println!("district source:");
    for (k, n) in &s.district_sources {
        println!("  {k:<34} {n:>9}");
    }
}

fn lookup(ix: &GeoIndex, inputs: &[String], json: bool) -> anyhow::Result<u8> {
    let mut out: Vec<serde_json::Value> = Vec::new();
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    for input in inputs {
        let parsed = Postcode::parse(input);
        let found = parsed.as_ref().ok().map(|p| (p, ix.lookup(p)));
        if json {
            out.push(match (&parsed, found) {
                (Err(e), _) => serde_json::json!({"input": input, "status": "invalid", "reason": e.to_string()}),
                (_, Some((p, None))) => serde_json::json!({"input": input, "postcode": p.as_str(), "status": "unknown", "reason": "not in the ONS postcode files"}),
                (_, Some((_, Some(loc)))) => serde_json::to_value(&loc)?,
                _ => unreachable!(),
            });
            continue;
        }
        match (&parsed, found) {
            (Err(e), _) => writeln!(w, "{input}: invalid: {e}\n")?,
            (_, Some((p, None))) => writeln!(w, "{p}: unknown: not in the ONS postcode files\n")?,
            (_, Some((_, Some(loc)))) => write_table(&mut w, &loc)?,
            _ => unreachable!(),
        }
    }
    if json {
        serde_json::to_writer_pretty(&mut w, &out)?;
        writeln!(w)?;
    }
    Ok(0)
}

fn write_table(w: &mut impl Write, l: &Location) -> std::io::Result<()> {
    let area = |a: &Option<anchornet_geo::Area>| match a {
        Some(a) => match &a.name {
            Some(n) => format!("{} {n}", a.code),
            None => a.code.clone(),
        },
        None => "-".into(),
    };
    let status = match l.terminated {
        Some(t) => format!("terminated {t}"),
        None => "live".into(),
    };
    writeln!(w, "{}  ({status})", l.postcode)?;
    let row = |w: &mut dyn Write, k: &str, v: String| writeln!(w, "  {k:<20} {v}");
    row(w, "country", l.country.map(|c| c.to_string()).unwrap_or("-".into()))?;
    row(w, "OA 2011", l.oa11.clone().unwrap_or("-".into()))?;
    row(w, "LSOA 2011", area(&l.lsoa11))?;
    row(w, "MSOA 2011", area(&l.msoa11))?;
    row(w, "LSOA 2021", format!("{} (route: {})", area(&l.lsoa21), l.lsoa21_route))?;
    row(w, "ward 2025", area(&l.ward))?;
    row(w, "district", area(&l.district))?;
    if l.district_may22.as_ref().map(|d| &d.code) != l.district.as_ref().map(|d| &d.code) {
        row(w, "district (May 2022)", area(&l.district_may22))?;
    }
    row(w, "region", area(&l.region))?;
    row(w, "combined authority", area(&l.combined_authority))?;
    row(
        w,
        "lat, long",
        match (l.lat, l.long) {
            (Some(a), Some(o)) => format!("{a:.5}, {o:.5}"),
            _ => "-".into(),
        },
    )?;
    for d in [&l.imd2019, &l.iod2025].into_iter().flatten() {
        let score = d.score.map(|s| format!(", score {s}")).unwrap_or_default();
        row(w, d.edition, format!("decile {}, rank {}{score} (LSOA {})", d.decile, d.rank, d.lsoa))?;
    }
    if let Some(n) = &l.note {
        row(w, "note", n.clone())?;
    }
    writeln!(w)
}

fn bulk(ix: &GeoIndex, input: &Path, column: &str, out: &Path) -> anyhow::Result<u8> {
    let t = Instant::now();
    let reader: Box<dyn Read> = if input == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(input).with_context(|| format!("{}", input.display()))?)
    };
    let writer: Box<dyn Write> = if out == Path::new("-") {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(std::fs::File::create(out).with_context(|| format!("{}", out.display()))?)
    };
    let s = annotate(ix, reader, writer, column, OutField::ALL)
        .with_context(|| format!("{}", input.display()))?;
    eprintln!(
        "{} rows in {:.2} s: {} live, {} terminated, {} unknown, {} invalid, {} empty",
        s.rows,
        t.elapsed().as_secs_f64(),
        s.live,
        s.terminated,
        s.unknown,
        s.invalid,
        s.empty
    );
    Ok(0)
}

fn places(ix: &GeoIndex, json: bool, config: Option<&Path>) -> anyhow::Result<u8> {
    let mut places = Places::builtin(ix);
    let cfg = config.map(Path::to_path_buf).or_else(|| {
        let p = PathBuf::from("anchornet.toml");
        p.exists().then_some(p)
    });
    if let Some(p) = cfg {
        let text = std::fs::read_to_string(&p).with_context(|| format!("{}", p.display()))?;
        places.add_toml(ix, &text).with_context(|| format!("{}", p.display()))?;
    }
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    if json {
        serde_json::to_writer_pretty(&mut w, places.all())?;
        writeln!(w)?;
        return Ok(0);
    }
    writeln!(w, "{:<20} {:<10} {:<40} districts", "kind", "code", "name")?;
    for p in places.all() {
        let kind = serde_json::to_value(p.kind)?.as_str().unwrap_or("").to_string();
        let members = match p.circle {
            Some(((a, o), km)) => format!("within {km} km of {a:.5}, {o:.5}"),
            None if p.districts.len() == 1 => String::new(),
            None => {
                let v: Vec<&str> = p.districts.iter().map(String::as_str).collect();
                format!("{} ({})", v.len(), v.join(" "))
            }
        };
        writeln!(w, "{kind:<20} {:<10} {:<40} {members}", p.code.as_deref().unwrap_or("-"), p.name)?;
    }
    Ok(0)
}
