//! `anchornet geo build --from DIR`: a refresh from files in the published ONSPD / IoD "File 7"
//! layouts, kept while DIR is unchanged and rebuilt when it changes.

mod common;

use std::io::Write;

use anchornet_core::Postcode;
use anchornet_geo::{GeoIndex, Lsoa21Route, OpenOptions};

/// Real rows of the official May 2022 directory for a few postcodes, rewritten in the ONSPD
/// column layout (with its `oslaua`, `osward`, `lsoa21` columns), and the IoD 2025 row of one
/// LSOA in the File 7 layout.
fn write_release(dir: &std::path::Path, extra: bool) {
    let want = ["M5 4WT", "CF10 1EP", "BL4 9LW"];
    let rows = common::rows_for(
        &common::shared().join("geography/postcodes/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz"),
        &|k| want.contains(&k),
    );
    let mut f = std::fs::File::create(dir.join("ONSPD_NOV_2026_UK.csv")).unwrap();
    writeln!(f, "\"pcd\",\"pcds\",\"dointr\",\"doterm\",\"oslaua\",\"osward\",\"usertype\",\"oa11\",\"lsoa11\",\"msoa11\",\"lsoa21\",\"lat\",\"long\"").unwrap();
    for p in want.iter().take(if extra { 3 } else { 2 }) {
        let r = &rows[*p];
        // (pcds, dointr, doterm, usertype, oa11, lsoa11, msoa11, lad) from the official file;
        // ward, 2021 LSOA and coordinates as a newer release would give them.
        let (ward, l21, lat, long) = match *p {
            "M5 4WT" => ("E05013028", "E01033991", "53.483500", "-2.270640"),
            "CF10 1EP" => ("W05001274", "W01002019", "51.475760", "-3.179210"),
            _ => ("", "", "", ""),
        };
        writeln!(f, "\"{}\",\"{}\",\"{}\",\"{}\",\"{}\",\"{ward}\",\"{}\",\"{}\",\"{}\",\"{}\",\"{l21}\",{lat},{long}", r[0], r[0], r[1], r[2], r[7], r[3], r[4], r[5], r[6]).unwrap();
    }
    let mut f = std::fs::File::create(dir.join("File_7_IoD2025.csv")).unwrap();
    writeln!(f, "LSOA code (2021),LSOA name (2021),Index of Multiple Deprivation (IMD) Score,Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived),Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs),Income Score (rate),Income Rank (where 1 is most deprived),Income Decile (where 1 is most deprived 10% of LSOAs)").unwrap();
    writeln!(f, "E01033991,Salford 034A,30.448,8057,3,0.288,10193,4").unwrap();
}

#[test]
fn build_from_a_newer_release_and_keep_it() {
    let release = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    write_release(release.path(), false);
    let (ix, stats) = GeoIndex::build_into_cache(release.path(), cache.path(), true).unwrap();
    assert_eq!(ix.len(), 2);
    assert_eq!(
        stats
            .files
            .iter()
            .map(|f| f.kind.as_str())
            .collect::<Vec<_>>(),
        ["IoD 2025 (LSOA 2021)", "postcode directory"]
    );
    let loc = ix.lookup(&Postcode::parse("m54wt").unwrap()).unwrap();
    assert_eq!(loc.lsoa11.unwrap().code, "E01032907");
    assert_eq!(loc.lsoa21.unwrap().code, "E01033991");
    assert_eq!(loc.lsoa21_route, Lsoa21Route::Direct); // given by the directory itself
    assert_eq!(loc.ward.unwrap().code, "E05013028");
    assert_eq!(loc.lad.unwrap().code.as_str(), "E08000006");
    let iod = loc.iod2025.unwrap();
    assert_eq!((iod.decile, iod.rank, iod.score), (3, 8057, Some(30.448)));
    assert_eq!(
        (
            iod.domains[0].domain,
            iod.domains[0].decile,
            iod.domains[0].score
        ),
        ("Income", 4, Some(0.288))
    );
    assert_eq!(loc.imd2019, None); // no IMD 2019 file in this release
    drop(ix);

    // Opening with the bundled reference directory keeps the pinned release while unchanged.
    let opts = OpenOptions {
        reference_dir: common::reference(),
        cache_dir: cache.path().to_path_buf(),
    };
    let t = std::time::Instant::now();
    let ix = GeoIndex::open(&opts).unwrap();
    assert_eq!(ix.len(), 2, "the pinned index is used");
    assert!(t.elapsed().as_secs_f64() < 1.0);
    drop(ix);

    // The release changes (a row added): rebuilt from it, still pinned.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write_release(release.path(), true);
    let ix = GeoIndex::open(&opts).unwrap();
    assert_eq!(ix.len(), 3);
    let t = ix.lookup(&Postcode::parse("BL4 9LW").unwrap()).unwrap();
    assert_eq!(t.terminated, Some(198612));
    assert!(ix
        .sources()
        .dir
        .ends_with(release.path().file_name().unwrap()));
}

#[test]
fn a_directory_without_a_postcode_directory_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("names.csv"),
        "LAD24CD,LAD24NM\nE08000006,Salford\n",
    )
    .unwrap();
    let e = GeoIndex::build_from(d.path()).unwrap_err();
    assert!(e.to_string().contains("no postcode directory found"), "{e}");
    let e = GeoIndex::build_from(&d.path().join("missing")).unwrap_err();
    assert!(e.to_string().contains("missing"), "{e}");
}

/// Several opens of an empty cache at once (one builds under the lock file, the others wait
/// for its index): all succeed with the same index, and no lock or temporary file is left.
#[test]
fn concurrent_first_opens_succeed_and_leave_no_lock() {
    let release = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    write_release(release.path(), true);
    let opts = OpenOptions {
        reference_dir: release.path().to_path_buf(),
        cache_dir: cache.path().to_path_buf(),
    };
    let lens: Vec<usize> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..3)
            .map(|_| s.spawn(|| GeoIndex::open(&opts).unwrap().len()))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(lens, [3, 3, 3]);
    let left: Vec<String> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, [anchornet_geo::INDEX_FILE], "{left:?}");
}
