//! Benchmark B2 (BENCHMARKS.md): every UK postcode, typed any way, to its 2011 LSOA, district,
//! IMD 2019 decile and termination flag. Run by `bench/b2` / `bench/run_b2.sh`:
//!
//!     b2 --build                 build (or check) the index in the cache; not timed
//!     b2 INPUT OUTPUT            answer every line of INPUT into OUTPUT (timed)
//!
//! The index comes from the cache (`$ANCHORNET_CACHE_DIR`, see `anchornet_geo::OpenOptions`):
//! opening it maps the file, it is not rebuilt. Timing covers opening the index, reading the
//! input (memory-mapped) and writing every answer.
use std::io::Write;
use std::time::Instant;

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
        return Err("usage: b2 INPUT OUTPUT | b2 --build".into());
    };
    let opened = t0.elapsed().as_secs_f64();
    let file = std::fs::File::open(input)?;
    // SAFETY: the benchmark's input file is not modified while it is read.
    let map = unsafe { memmap2::MmapOptions::new().populate().map(&file)? };
    let mut out = std::fs::File::create(output)?;
    let lines = anchornet_geo::bulk::b2_answers(&index, &map, &mut out)?;
    out.flush()?;
    eprintln!(
        "{lines} lines; index open {opened:.3} s, total {:.3} s",
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
