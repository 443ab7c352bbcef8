//! `anchornet geo`: postcodes to neighbourhoods, wards, districts and deprivation deciles,
//! offline. Glue only: the work is in the `anchornet-geo` crate.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anchornet_geo::{bulk, GeoIndex, Location, LookupError, OpenOptions, Places, INDEX_FILE};
use anyhow::Context;

/// Postcodes to 2011 and 2021 neighbourhoods (OA, LSOA, MSOA), 2025 wards, districts,
/// regions, combined authorities and English deprivation deciles (IMD 2019, IoD 2025) —
/// offline, from the official ONS, Ordnance Survey and MHCLG files shipped in data/reference.
///
/// The index is built from those files on first use (a few seconds) into the cache directory
/// and reused until a source file changes. `anchornet geo build --from DIR` rebuilds it from
/// a newer official release (ONSPD or NSPL, IoD CSVs), for the quarterly refresh.
///
/// Exit codes: 0 success; 1 (`lookup` only) some input was not a postcode or is not in the
/// index; 2 usage error, or files that cannot be read.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where the built index is kept [default: $ANCHORNET_CACHE_DIR, else
    /// $XDG_CACHE_HOME/anchornet, else ~/.cache/anchornet].
    #[arg(long, global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// The official files to build from [default: $ANCHORNET_REFERENCE_DIR, else the
    /// repository's data/reference].
    #[arg(long, global = true, value_name = "DIR")]
    pub reference_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// The `geo` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Look up postcodes written any way (`m54bd`, `M5  4BD`): areas, district, region,
    /// combined authority, coordinates, IMD 2019 and IoD 2025, or why there is no answer.
    Lookup {
        /// The postcodes.
        #[arg(required = true, value_name = "POSTCODE")]
        postcodes: Vec<String>,
        /// Print JSON (an array, one object per input) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Add area and deprivation columns (`geo_*`) to every row of a CSV file. No row is
    /// dropped: rows whose postcode is blank, invalid or unknown are marked in `geo_status`,
    /// with the reason in `geo_reason`.
    Bulk {
        /// Input CSV (`-` for standard input).
        #[arg(value_name = "IN.csv")]
        input: PathBuf,
        /// The postcode column's header (case and surrounding spaces ignored).
        #[arg(long, value_name = "NAME")]
        column: String,
        /// Output CSV (`-` for standard output).
        #[arg(long, value_name = "OUT.csv")]
        out: PathBuf,
        /// The `geo_*` columns to add, comma separated, in the order wanted (the `geo_` prefix
        /// may be left off) [default: all 28: geo_status, geo_reason, geo_postcode,
        /// geo_terminated, geo_country, geo_oa11, geo_lsoa11, geo_lsoa11_name, geo_msoa11,
        /// geo_lsoa21, geo_lsoa21_name, geo_lsoa21_route, geo_ward, geo_ward_name, geo_lad,
        /// geo_lad_name, geo_region, geo_region_name, geo_combined_authority,
        /// geo_combined_authority_name, geo_lat, geo_long, geo_imd2019_decile,
        /// geo_imd2019_rank, geo_iod2025_decile, geo_iod2025_rank, geo_iod2025_score,
        /// geo_deprivation_note]. Also available: geo_directory_lad, the district as the
        /// postcode directory gives it (May 2022 in the bundled directory), where geo_lad is
        /// the district now. Fewer columns, less work.
        #[arg(long, value_name = "NAMES", value_parser = parse_columns)]
        columns: Option<bulk::Selection>,
    },
    /// List the places: districts, regions, combined authorities, built-in sets
    /// (Greater Manchester, Lancashire-14, Birmingham and Solihull …) and configured ones.
    Places {
        /// A TOML file with `[places."Name"]` tables [default: ./anchornet.toml if present].
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Build (or rebuild) the index and report what it holds and how each 2021 LSOA was
    /// assigned. With `--from DIR`, from a newer official release: the index then keeps
    /// using DIR until its files change.
    Build {
        /// A directory of official files (ONSPD or NSPL CSV or zip, IoD CSVs, lookups,
        /// boundaries), recognised by their columns.
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
        /// Print the build statistics as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Run `anchornet geo`.
pub fn run(a: Args) -> anyhow::Result<u8> {
    let mut opts = OpenOptions::default();
    if let Some(d) = a.cache_dir {
        opts.cache_dir = d;
    }
    if let Some(d) = a.reference_dir {
        opts.reference_dir = d;
    }
    match a.command {
        Command::Lookup { postcodes, json } => lookup(&open(&opts)?, &postcodes, json),
        Command::Bulk {
            input,
            column,
            out,
            columns,
        } => run_bulk(
            &open(&opts)?,
            &input,
            &column,
            &out,
            &columns.unwrap_or_default(),
        ),
        Command::Places { config, json } => places(&open(&opts)?, config.as_deref(), json),
        Command::Build { from, json } => build(&opts, from.as_deref(), json),
    }
}

fn open(opts: &OpenOptions) -> anyhow::Result<GeoIndex> {
    if !opts.cache_dir.join(INDEX_FILE).exists() {
        eprintln!(
            "building the geography index from {} into {} (first use, a few seconds)…",
            opts.reference_dir.display(),
            opts.cache_dir.display()
        );
    }
    GeoIndex::open(opts).context("opening the geography index")
}

fn lookup(ix: &GeoIndex, inputs: &[String], json: bool) -> anyhow::Result<u8> {
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    let mut out = Vec::new();
    for input in inputs {
        let r = ix.lookup_str(input);
        failed |= r.is_err();
        if json {
            out.push(match &r {
                Ok(loc) => {
                    let mut v = serde_json::to_value(loc)?;
                    v["input"] = input.as_str().into();
                    v["status"] = if loc.terminated.is_some() { "terminated" } else { "live" }.into();
                    v["imd2019_note"] = loc.imd2019_note().into();
                    v["iod2025_note"] = loc.iod2025_note().into();
                    v
                }
                Err(e) => {
                    let postcode = match e {
                        LookupError::Unknown { postcode, .. } => Some(postcode.to_string()),
                        LookupError::Invalid(_) => None,
                    };
                    serde_json::json!({"input": input, "status": e.status(), "postcode": postcode, "reason": e.to_string()})
                }
            });
            continue;
        }
        match &r {
            Ok(loc) => table(&mut w, loc)?,
            Err(e) => writeln!(w, "{input:?}: {e}\n")?,
        }
    }
    if json {
        serde_json::to_writer_pretty(&mut w, &out)?;
        writeln!(w)?;
    }
    Ok(u8::from(failed))
}

fn table(w: &mut impl Write, l: &Location) -> std::io::Result<()> {
    let area = |a: Option<anchornet_geo::Area>| match a {
        Some(a) => match a.name {
            Some(n) => format!("{} {n}", a.code),
            None => a.code.to_string(),
        },
        None => "-".into(),
    };
    let district = |d: Option<anchornet_geo::District>| match d {
        Some(d) => format!("{} {}", d.code, d.name.unwrap_or("")),
        None => "-".into(),
    };
    let status = match l.terminated {
        Some(t) => format!("terminated {t} — still locates the supplier"),
        None => "live".into(),
    };
    writeln!(w, "{}  ({status})", l.postcode)?;
    let mut row = |k: &str, v: String| writeln!(w, "  {k:<20} {v}");
    row("country", l.country.name().into())?;
    row("OA 2011", l.oa11.unwrap_or("-").into())?;
    row("LSOA 2011", area(l.lsoa11))?;
    row("MSOA 2011", area(l.msoa11))?;
    row(
        "LSOA 2021",
        format!("{} (route: {})", area(l.lsoa21), l.lsoa21_route),
    )?;
    row("ward 2025", area(l.ward))?;
    row("district", district(l.lad))?;
    if l.directory_lad.map(|d| d.code) != l.lad.map(|d| d.code) {
        row("district (directory)", district(l.directory_lad))?;
    }
    row("region", area(l.region))?;
    row("combined authority", area(l.combined_authority))?;
    row(
        "lat, long",
        match (l.lat, l.long) {
            (Some(a), Some(o)) => format!("{a:.5}, {o:.5}"),
            _ => "-".into(),
        },
    )?;
    row(
        "IMD 2019",
        match &l.imd2019 {
            Some(d) => format!(
                "decile {}, rank {} of 32,844 (LSOA {})",
                d.decile, d.rank, d.lsoa11
            ),
            None => format!("- ({})", l.imd2019_note().unwrap_or_default()),
        },
    )?;
    row(
        "IoD 2025",
        match &l.iod2025 {
            Some(d) => format!(
                "decile {}, rank {} of 33,755, score {} (LSOA {})",
                d.decile,
                d.rank,
                d.score.map_or("-".into(), |s| s.to_string()),
                d.lsoa21
            ),
            None => format!("- ({})", l.iod2025_note().unwrap_or_default()),
        },
    )?;
    if let Some(d) = &l.iod2025 {
        let doms: Vec<String> = d
            .domains
            .iter()
            .map(|x| format!("{} {}", x.domain, x.decile))
            .collect();
        row("IoD 2025 deciles", doms.join(", "))?;
    }
    writeln!(w)
}

/// `--columns`: a clap value parser, so that a bad name is a usage error (exit 2) before the
/// index is opened.
fn parse_columns(s: &str) -> Result<bulk::Selection, bulk::BulkError> {
    bulk::Selection::parse(s)
}

fn run_bulk(
    ix: &GeoIndex,
    input: &Path,
    column: &str,
    out: &Path,
    select: &bulk::Selection,
) -> anyhow::Result<u8> {
    let t = Instant::now();
    // A file is read whole and answered in parallel pieces; stdin is streamed.
    let bytes = if input == Path::new("-") {
        None
    } else {
        Some(std::fs::read(input).with_context(|| format!("cannot read {}", input.display()))?)
    };
    let answer = |w: &mut dyn Write| match &bytes {
        Some(b) => bulk::annotate_bytes(
            ix,
            b,
            &mut std::io::BufWriter::with_capacity(1 << 20, w),
            column,
            select,
        ),
        None => bulk::annotate(
            ix,
            std::io::stdin().lock(),
            std::io::BufWriter::new(w),
            column,
            select,
        ),
    };
    let s = if out == Path::new("-") {
        answer(&mut std::io::stdout().lock())
    } else {
        // Written beside the target, then renamed: no half-written output on failure.
        let tmp = out.with_extension("csv.part");
        let mut f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        let r = answer(&mut f);
        match &r {
            Ok(_) => std::fs::rename(&tmp, out)
                .with_context(|| format!("cannot write {}", out.display()))?,
            Err(_) => {
                let _ = std::fs::remove_file(&tmp);
            }
        }
        r
    }
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

fn places(ix: &GeoIndex, config: Option<&Path>, json: bool) -> anyhow::Result<u8> {
    let mut places = Places::builtin(ix);
    let cfg = config.map(Path::to_path_buf).or_else(|| {
        let p = PathBuf::from("anchornet.toml");
        p.exists().then_some(p)
    });
    if let Some(p) = cfg {
        let text =
            std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
        places
            .add_toml(ix, &text)
            .with_context(|| format!("{}", p.display()))?;
    }
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    if json {
        serde_json::to_writer_pretty(&mut w, places.all())?;
        writeln!(w)?;
        return Ok(0);
    }
    writeln!(w, "{:<18} {:<10} {:<40} members", "kind", "code", "name")?;
    for p in places.all() {
        let members = match p.circle {
            Some(c) => format!("within {} km of {:.5}, {:.5}", c.km, c.lat, c.long),
            None if p.kind == anchornet_geo::PlaceKind::District => String::new(),
            None => {
                let v: Vec<String> = p.districts.iter().map(|c| c.to_string()).collect();
                format!("{} districts: {}", v.len(), v.join(" "))
            }
        };
        writeln!(
            w,
            "{:<18} {:<10} {:<40} {members}",
            p.kind.as_str(),
            p.code.as_deref().unwrap_or("-"),
            p.name
        )?;
    }
    Ok(0)
}

fn build(opts: &OpenOptions, from: Option<&Path>, json: bool) -> anyhow::Result<u8> {
    let dir = from.unwrap_or(&opts.reference_dir);
    eprintln!("building the geography index from {} …", dir.display());
    let t = Instant::now();
    let (ix, s) = GeoIndex::build_into_cache(dir, &opts.cache_dir, from.is_some())
        .with_context(|| format!("building from {}", dir.display()))?;
    if json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &s)?;
        println!();
        return Ok(0);
    }
    println!(
        "{} postcodes ({} in the directory, {} terminated; {} newer, from the coordinates and Code-Point files)",
        s.postcodes, s.in_directory, s.terminated, s.newer_than_directory
    );
    println!(
        "with coordinates {}, with a 2025 ward {}, with a district {}",
        s.with_coordinates, s.with_ward, s.with_district
    );
    println!(
        "index {:.1} MB, built in {:.1} s: {}",
        ix.size_bytes() as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        ix.path().map_or(
            "(in memory: the cache directory is not writable)".into(),
            |p| p.display().to_string()
        )
    );
    println!("2021 LSOA by route:");
    for r in anchornet_geo::Lsoa21Route::ALL {
        if let Some(n) = s.lsoa21_routes.get(r.as_str()) {
            println!("  {:<18} {n:>9}", r.as_str());
        }
    }
    for (cause, n) in &s.ambiguous_causes {
        println!("  ambiguous because {cause}: {n}");
    }
    println!("files:");
    for f in &s.files {
        println!("  {:<50} {:<28} {:>9} rows", f.file, f.kind, f.rows);
    }
    for k in &s.skipped {
        println!(
            "skipped {} rows of {}: {} (e.g. {})",
            k.rows,
            k.file,
            k.reason,
            k.examples.join(", ")
        );
    }
    for (what, n) in &s.unnamed {
        println!("{n} {what} have no name in the source files (codes shown)");
    }
    Ok(0)
}
