//! Regression alarm for the hot path of benchmark B2 (docs/benchmarks.md): the product's own
//! `anchornet_geo::bulk::annotate_bytes` (what `anchornet geo bulk` runs on a file) with B2's
//! answer columns, in process, without the CLI around it. The headline B2 figure times the
//! `anchornet` binary (`bench/run_b2.sh`); this side program only shows where a regression is.
//!
//!     b2 --build                 build (or check) the index in the cache; not timed
//!     b2 INPUT.csv OUTPUT        annotate INPUT's `postcode` column into OUTPUT (timed)
//!
//! The index comes from the cache (`$ANCHORNET_CACHE_DIR`, see `anchornet_geo::OpenOptions`):
//! opening it maps the file, it is not rebuilt.
use std::io::Write;
use std::time::Instant;

use anchornet_geo::bulk::{annotate_bytes, Selection};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` appends `--bench`; it means nothing here.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let t0 = Instant::now();
    let index = anchornet_geo::GeoIndex::open_default()?;
    if args.first().map(String::as_str) == Some("--build") {
        eprintln!(
            "index ready: {} postcodes, {} ({:.2} s)",
            index.len(),
            index
                .path()
                .map_or("in memory".into(), |p| p.display().to_string()),
            t0.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    let [input, output] = args.as_slice() else {
        return Err("usage: b2 INPUT.csv OUTPUT | b2 --build".into());
    };
    let opened = t0.elapsed().as_secs_f64();
    let bytes = std::fs::read(input)?;
    let select = Selection::parse(
        "geo_status,geo_postcode,geo_lsoa11,geo_imd2019_decile,geo_directory_lad",
    )?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(output)?);
    let s = annotate_bytes(&index, &bytes, &mut out, "postcode", &select)?;
    out.flush()?;
    eprintln!(
        "{} rows; index open {opened:.3} s, total {:.3} s",
        s.rows,
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
