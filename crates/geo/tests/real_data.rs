//! The geography index on real postcodes, checked against the official files in
//! `../shared/data` (read here independently of the index's own build code).

mod common;

use std::collections::{HashMap, HashSet};

use anchornet_core::{Pence, Postcode, PostcodeError};
use anchornet_geo::bulk::Selection;
use anchornet_geo::{Country, GeoIndex, LookupError, Lsoa21Route, OpenOptions, Places};
use common::{index, lines, rows_for, shared};

fn pc(s: &str) -> Postcode {
    Postcode::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

/// Every 997th row of the official ONS postcode directory (May 2022), live and terminated,
/// in every country: the index gives the same output area, LSOA, MSOA, district and
/// termination date, the NSPL coordinates, and the IMD 2019 decile and rank of the official
/// IMD file.
#[test]
fn sample_of_the_directory_matches_the_official_files() {
    let ix = index();
    let d = shared();
    let mut sample: Vec<Vec<String>> = Vec::new();
    for (i, line) in
        lines(&d.join("geography/postcodes/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz")).enumerate()
    {
        if i > 0 && i % 997 == 0 {
            sample.push(line.split(',').map(str::to_string).collect());
        }
    }
    assert_eq!(sample.len(), 2684); // counted below, with the file's own rows
    let wanted: HashSet<String> = sample.iter().map(|r| r[0].clone()).collect();
    let latlong = rows_for(
        &d.join("geography/postcodes/nspl_may25_latlong_uk.csv.xz"),
        &|k| wanted.contains(k),
    );
    let imd = rows_for(&d.join("deprivation/imd2019_england_lsoa11.csv"), &|_| true);
    let (mut checked, mut historic, mut terminated, mut countries) = (0, 0, 0, HashMap::new());
    for r in &sample {
        let (pcds, doterm, oa, lsoa, msoa, lad) = (&r[0], &r[2], &r[4], &r[5], &r[6], &r[7]);
        // Every postcode of the directory parses, the pre-standard districts (NPT, W1M…) too.
        let p = Postcode::parse(pcds).unwrap_or_else(|e| panic!("{pcds}: {e}"));
        if p.is_historic() {
            assert!(!doterm.is_empty(), "{pcds} is historic but live");
            historic += 1;
        }
        let loc = ix
            .lookup(&p)
            .unwrap_or_else(|| panic!("{pcds} not in the index"));
        assert_eq!(loc.postcode.as_str(), pcds.as_str());
        let real = |s: &str| (!s.is_empty() && !s.ends_with("99999999")).then(|| s.to_string());
        assert_eq!(loc.oa11.map(str::to_string), real(oa), "{pcds} oa11");
        assert_eq!(
            loc.lsoa11.map(|a| a.code.to_string()),
            real(lsoa),
            "{pcds} lsoa11"
        );
        assert_eq!(
            loc.msoa11.map(|a| a.code.to_string()),
            real(msoa),
            "{pcds} msoa11"
        );
        let dlad = loc
            .directory_lad
            .map(|d| d.code.to_string())
            .unwrap_or_default();
        assert_eq!(dlad, *lad, "{pcds} district");
        assert_eq!(
            loc.terminated.map(|t| t.to_string()).unwrap_or_default(),
            *doterm,
            "{pcds} doterm"
        );
        terminated += usize::from(loc.terminated.is_some());
        let ll = &latlong[pcds.as_str()];
        match ll[1].as_str() {
            "" => assert_eq!(loc.lat, None, "{pcds}"),
            lat => {
                assert!(
                    (loc.lat.unwrap() - lat.parse::<f64>().unwrap()).abs() < 1e-9,
                    "{pcds} lat"
                );
                assert!(
                    (loc.long.unwrap() - ll[2].parse::<f64>().unwrap()).abs() < 1e-9,
                    "{pcds} long"
                );
            }
        }
        match (lsoa.starts_with("E01"), &loc.imd2019) {
            (true, Some(d)) => {
                let row = &imd[lsoa.as_str()];
                assert_eq!(d.decile.to_string(), row[1], "{pcds} IMD decile");
                assert_eq!(d.rank.to_string(), row[9], "{pcds} IMD rank");
            }
            (false, None) => {
                let note = loc.imd2019_note().unwrap();
                if lsoa.starts_with('W') || lsoa.starts_with('S') || lad.starts_with('N') {
                    assert!(note.contains("cover England only"), "{pcds}: {note}");
                }
            }
            other => panic!("{pcds}: {other:?}"),
        }
        *countries.entry(loc.country).or_insert(0) += 1;
        checked += 1;
    }
    // Counted from the file by hand, independently of the index:
    // xz -dc pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz | python3 -c "import sys
    //   rows=[l.split(',') for i,l in enumerate(sys.stdin) if i and i%997==0]
    //   print(len(rows), sum(r[2]!='' for r in rows), sum(r[0].split()[0] in
    //   ('NPT','W1M','W1N','W1R','W1V','W1X','W1Y') for r in rows))"   → 2684 911 9
    assert_eq!(
        (checked, terminated, historic),
        (2684, 911, 9),
        "checked, terminated, of which historic districts"
    );
    for c in [
        Country::England,
        Country::Wales,
        Country::Scotland,
        Country::NorthernIreland,
    ] {
        assert!(
            countries.get(&c).copied().unwrap_or(0) > 20,
            "{c}: {countries:?}"
        );
    }
}

/// A live English postcode whose 2011 LSOA split in 2021: the point-in-polygon route, and
/// both indices of deprivation as the official files give them.
#[test]
fn live_english_postcode_in_a_split_lsoa() {
    let loc = index().lookup(&pc("m5 4wt")).unwrap();
    assert_eq!(loc.country, Country::England);
    assert_eq!(loc.terminated, None);
    assert_eq!(loc.oa11, Some("E00028381"));
    assert_eq!(loc.lsoa11.unwrap().code, "E01032907");
    assert_eq!(loc.lsoa11.unwrap().name, Some("Salford 022H"));
    // lookup_lsoa11_lsoa21_ltla22.csv: E01032907 (S) → E01033991 and E01033992.
    assert_eq!(loc.lsoa21_route, Lsoa21Route::SplitByPoint);
    assert_eq!(loc.lsoa21.unwrap().code, "E01033991");
    assert_eq!(loc.lad.unwrap().code.as_str(), "E08000006");
    assert_eq!(loc.lad.unwrap().name, Some("Salford"));
    assert_eq!(loc.ward.unwrap().code, "E05013028"); // Code-Point Open
    assert_eq!(loc.ward.unwrap().name, Some("Ordsall"));
    assert_eq!(loc.region.unwrap().name, Some("North West"));
    assert_eq!(
        loc.combined_authority.unwrap().name,
        Some("Greater Manchester")
    );
    assert_eq!((loc.lat, loc.long), (Some(53.4835), Some(-2.27064)));
    // imd2019_england_lsoa11.csv: E01032907,2,…,4982 ; imd2025_england_lsoa21.csv: E01033991,3,…,8057.
    let imd = loc.imd2019.as_ref().unwrap();
    assert_eq!((imd.decile, imd.rank), (2, 4982));
    assert_eq!(imd.domains[0].domain, "Income");
    assert_eq!((imd.domains[0].decile, imd.domains[0].rank), (2, 5507));
    let iod = loc.iod2025.as_ref().unwrap();
    assert_eq!((iod.decile, iod.rank, iod.score), (3, 8057, Some(30.448)));
    assert_eq!(iod.domains.len(), 7);
}

/// Terminated postcodes still locate (flagged); a Cumbrian postcode shows the district before
/// and after the 2023 reorganisation.
#[test]
fn terminated_and_reorganised() {
    let ix = index();
    let t = ix.lookup(&pc("BL4 9LW")).unwrap();
    assert_eq!(t.terminated, Some(198612));
    assert_eq!(t.introduced, Some(198001));
    assert_eq!(t.lsoa11.unwrap().code, "E01005702");
    assert_eq!(t.lad.unwrap().code.as_str(), "E08000006");
    assert!(t.imd2019.is_some());
    let t = ix.lookup(&pc("M17 1AJ")).unwrap();
    assert_eq!(t.terminated, Some(200306));
    assert_eq!(
        t.ward, None,
        "no 2025 ward for a postcode terminated in 2003"
    );
    let c = ix.lookup(&pc("CA12 4AA")).unwrap();
    assert_eq!(c.directory_lad.unwrap().code.as_str(), "E07000026");
    assert_eq!(c.directory_lad.unwrap().name, Some("Allerdale"));
    assert_eq!(c.lad.unwrap().code.as_str(), "E06000063"); // Code-Point Open: Cumberland
    assert_eq!(c.lad.unwrap().name, Some("Cumberland"));
}

/// Postcodes of pre-standard districts (Newport's `NPT`, London's `W1N`, `W1Y`…) that the
/// ONS directory still lists: found and answered as terminated, with their areas. The
/// expected values are the rows of `pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz`,
/// `nspl_may25_latlong_uk.csv.xz` and `lad_names_may22_uk.csv`, copied by hand:
///   NPT 3JX,198001,198412,0,W00008467,W01001632,W02000363,W06000022 ; 51.57200,-3.02298
///   W1N 1PE,198001,200007,0,E00023811,E01004716,E02000970,E09000033 ; 51.52182,-0.15017
///   W1Y 0DS,198109,198412,1,E00175196,E01033595,E02000972,E09000033 ; 51.51053,-0.14391
///   W06000022,Newport ; E09000033,Westminster
#[test]
fn historic_districts_answered_as_terminated_with_their_areas() {
    let ix = index();
    for (input, term, intro, oa, lsoa, msoa, lad, lad_name, country, lat, long) in [
        (
            "npt 3jx",
            198412,
            198001,
            "W00008467",
            "W01001632",
            "W02000363",
            "W06000022",
            "Newport",
            Country::Wales,
            51.572,
            -3.02298,
        ),
        (
            "W1N1PE",
            200007,
            198001,
            "E00023811",
            "E01004716",
            "E02000970",
            "E09000033",
            "Westminster",
            Country::England,
            51.52182,
            -0.15017,
        ),
        (
            "W1Y 0DS",
            198412,
            198109,
            "E00175196",
            "E01033595",
            "E02000972",
            "E09000033",
            "Westminster",
            Country::England,
            51.51053,
            -0.14391,
        ),
    ] {
        let loc = ix
            .lookup_str(input)
            .unwrap_or_else(|e| panic!("{input:?} refused: {e}"));
        assert!(loc.in_directory, "{input}");
        assert_eq!(loc.terminated, Some(term), "{input}");
        assert_eq!(loc.introduced, Some(intro), "{input}");
        assert_eq!(loc.oa11, Some(oa), "{input}");
        assert_eq!(loc.lsoa11.unwrap().code, lsoa, "{input}");
        assert_eq!(loc.msoa11.unwrap().code, msoa, "{input}");
        assert_eq!(loc.directory_lad.unwrap().code.as_str(), lad, "{input}");
        assert_eq!(loc.directory_lad.unwrap().name, Some(lad_name), "{input}");
        assert_eq!(loc.country, country, "{input}");
        assert_eq!((loc.lat, loc.long), (Some(lat), Some(long)), "{input}");
    }
    // Shaped like a historic postcode but not in the directory: unknown, not invalid.
    assert!(matches!(
        ix.lookup_str("W1M 4ZZ"),
        Err(LookupError::Unknown { .. })
    ));
}

/// A postcode newer than the May 2022 directory (in NSPL and Code-Point Open 2025 only): no
/// 2011 areas, its 2021 LSOA found by its point, its district and ward from Code-Point Open.
#[test]
fn newer_postcode_placed_by_its_point() {
    let ix = index();
    let loc = ix.lookup(&pc("M1 2DU")).unwrap();
    assert!(!loc.in_directory);
    assert_eq!(loc.lsoa11, None);
    assert_eq!(loc.lsoa21_route, Lsoa21Route::ByPoint);
    let l21 = loc.lsoa21.unwrap();
    assert!(
        l21.code.starts_with("E01") && l21.name.unwrap().starts_with("Manchester "),
        "{l21:?}"
    );
    // codepoint_open_may25_gb.csv: M1 2DU,…,E08000003,E05011376 ; NSPL: 53.48079,-2.23350
    assert_eq!(loc.lad.unwrap().code.as_str(), "E08000003");
    assert_eq!(loc.ward.unwrap().code, "E05011376");
    assert_eq!((loc.lat, loc.long), (Some(53.48079), Some(-2.2335)));
    assert_eq!(
        places_of(ix)
            .get("Manchester")
            .unwrap()
            .contains_lsoa(ix, l21.code),
        Some(true)
    );
    assert!(loc
        .imd2019_note()
        .unwrap()
        .contains("newer than the postcode directory"));
    assert!(loc.iod2025.is_some());
}

fn places_of(ix: &GeoIndex) -> Places {
    Places::builtin(ix)
}

/// Wales, Scotland, Northern Ireland and the Channel Islands: areas yes, English deprivation
/// no, with the reason.
#[test]
fn outside_england_no_english_deprivation() {
    let ix = index();
    let w = ix.lookup(&pc("CF10 1EP")).unwrap();
    assert_eq!(w.country, Country::Wales);
    assert_eq!(w.lsoa11.unwrap().code, "W01001941");
    assert_eq!(w.lad.unwrap().code.as_str(), "W06000015");
    assert!(w.lsoa21.unwrap().code.starts_with("W01"));
    assert!(w.imd2019.is_none() && w.iod2025.is_none());
    assert!(w
        .imd2019_note()
        .unwrap()
        .contains("Welsh postcode: the English Indices of Deprivation cover England only"));
    assert!(w.iod2025_note().unwrap().contains("England only"));
    let s = ix.lookup(&pc("EH1 1YZ")).unwrap();
    assert_eq!(s.country, Country::Scotland);
    assert_eq!(s.lsoa11.unwrap().code, "S01008675");
    assert_eq!(s.lad.unwrap().code.as_str(), "S12000036");
    assert_eq!(s.lsoa21, None);
    assert!(s.imd2019_note().unwrap().starts_with("Scottish postcode"));
    let n = ix.lookup(&pc("BT1 5GS")).unwrap();
    assert_eq!(n.country, Country::NorthernIreland);
    assert_eq!(n.lsoa11.unwrap().code, "95GG39S1");
    assert_eq!(n.lad.unwrap().code.as_str(), "N09000003");
    assert!(n
        .imd2019_note()
        .unwrap()
        .starts_with("Northern Irish postcode"));
    let j = ix.lookup(&pc("JE2 3AB")).unwrap();
    assert_eq!(j.country, Country::ChannelIslands);
    assert_eq!(j.lsoa11, None);
    assert!(j.imd2019_note().unwrap().contains("Crown dependency"));
}

/// Invalid strings and unknown postcodes, each with its reason.
#[test]
fn invalid_and_unknown_with_reasons() {
    let ix = index();
    let invalid = |s: &str| match ix.lookup_str(s) {
        Err(LookupError::Invalid(e)) => e,
        other => panic!("{s:?}: {other:?}"),
    };
    assert_eq!(invalid(""), PostcodeError::Empty);
    assert_eq!(invalid("BFPO 123"), PostcodeError::Bfpo);
    assert!(matches!(invalid("M5 4BC"), PostcodeError::InwardLetter(_)));
    assert!(matches!(invalid("Q1 1AA"), PostcodeError::Outward(_)));
    assert!(matches!(invalid("T12 VP94"), PostcodeError::Inward(_))); // an Irish Eircode
    assert_eq!(invalid("Various"), PostcodeError::Inward("OUS".into())); // Salford's register has 20
    let unknown = |s: &str| match ix.lookup_str(s) {
        Err(LookupError::Unknown { reason, .. }) => reason,
        other => panic!("{s:?}: {other:?}"),
    };
    assert!(unknown("ASCN 1ZZ").contains("Overseas Territory"));
    assert!(unknown("BF1 3AA").contains("British Forces"));
    assert!(unknown("SN5 6NS").starts_with("not in the ONS postcode directory"));
    assert!(unknown("FY10 4PL").starts_with("no such postcode district"));
    // GIR 0AA is in the directory, with no areas.
    let g = ix.lookup(&pc("GIR 0AA")).unwrap();
    assert_eq!(g.lsoa11, None);
    assert_eq!(g.lad, None);
}

/// The 360 supplier postcodes of Salford City Council's contracts register (2022): which
/// resolve, why the others do not, and the share of annual contract value with suppliers in
/// Salford and in Greater Manchester. The same figures come from
/// `tests/salford_crosscheck.py`, written independently from the official files.
#[test]
fn salford_register_suppliers() {
    let ix = index();
    let places = Places::builtin(ix);
    let salford = places.get("Salford").unwrap();
    let gm = places.get("Greater Manchester").unwrap();
    let path = shared().join("procurement/salford_contracts_register_2022.csv");
    let mut r = csv::Reader::from_path(&path).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| {
        h.iter()
            .position(|x| x.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    let (pcol, vcol) = (col("Supplier Postcode"), col("Annual Value"));
    let (mut rows, mut resolved, mut terminated) = (0, 0, 0);
    let mut failures: HashMap<String, Vec<String>> = HashMap::new();
    let (mut total, mut in_salford, mut in_gm) = (Pence(0), Pence(0), Pence(0));
    for rec in r.records() {
        let rec = rec.unwrap();
        rows += 1;
        let v = match rec[vcol].trim() {
            "" | "-" => Pence(0),
            s => Pence::parse(s).unwrap(),
        };
        total = total.checked_add(v).unwrap();
        match ix.lookup_str(&rec[pcol]) {
            Ok(loc) => {
                resolved += 1;
                terminated += usize::from(loc.terminated.is_some());
                if salford.contains(&loc) {
                    in_salford = in_salford.checked_add(v).unwrap();
                }
                if gm.contains(&loc) {
                    in_gm = in_gm.checked_add(v).unwrap();
                }
            }
            Err(e) => failures
                .entry(e.status().to_string())
                .or_default()
                .push(format!("{:?}: {e}", &rec[pcol])),
        }
    }
    for (k, v) in &failures {
        eprintln!("{k} ({}):\n  {}", v.len(), v.join("\n  "));
    }
    assert_eq!(rows, 360);
    assert_eq!(resolved, 337);
    assert_eq!(failures["invalid"].len(), 21); // 20 × "Various", 1 Irish Eircode "T12 VP94"
    assert_eq!(
        failures["invalid"]
            .iter()
            .filter(|f| f.starts_with("\"Various\""))
            .count(),
        20
    );
    assert_eq!(failures["unknown"].len(), 2); // H15 3SS (no such district), SN5 6NS
                                              // Rows whose postcode the May 2022 directory lists with a termination date, counted
                                              // from the files with Python's csv module: 6 rows (EC2M 4PL, HA4 9NA, M5 4WD, M5 4WH,
                                              // M6 6AP; one of them twice).
    assert_eq!(terminated, 6);
    assert_eq!(total, Pence(20_851_595_129)); // £208,515,951.29
    assert_eq!(in_salford, Pence(2_910_813_205));
    assert_eq!(in_gm, Pence(8_020_225_362));
    let share = |x: Pence| (x.0 as f64) / (total.0 as f64) * 100.0;
    assert_eq!(format!("{:.4}", share(in_salford)), "13.9597");
    assert_eq!(format!("{:.4}", share(in_gm)), "38.4634");
}

/// Places: built-in sets by name, each district named as expected; districts by name or code;
/// custom sets and circles from TOML; membership by LSOA.
#[test]
fn places_builtin_custom_and_by_lsoa() {
    let ix = index();
    let mut places = Places::builtin(ix);
    let names = |p: &str| -> Vec<String> {
        places
            .get(p)
            .unwrap()
            .districts
            .iter()
            .map(|c| ix.district_name(c).unwrap_or("?").to_string())
            .collect()
    };
    let gm = names("greater manchester");
    assert_eq!(gm.len(), 10);
    for n in [
        "Bolton",
        "Bury",
        "Manchester",
        "Oldham",
        "Rochdale",
        "Salford",
        "Stockport",
        "Tameside",
        "Trafford",
        "Wigan",
    ] {
        assert!(gm.contains(&n.to_string()), "{n}");
    }
    let l14 = names("Lancashire-14");
    assert_eq!(l14.len(), 14);
    for n in [
        "Preston",
        "Blackburn with Darwen",
        "Blackpool",
        "Burnley",
        "Wyre",
        "West Lancashire",
        "Rossendale",
    ] {
        assert!(l14.contains(&n.to_string()), "{n}: {l14:?}");
    }
    assert_eq!(names("Birmingham and Solihull"), ["Birmingham", "Solihull"]);
    let ne = names("North East Mayoral Combined Authority");
    assert!(
        ne.contains(&"Newcastle upon Tyne".to_string())
            && ne.contains(&"County Durham".to_string())
            && ne.len() == 7,
        "{ne:?}"
    );
    assert!(names("York and North Yorkshire").contains(&"North Yorkshire".to_string()));
    let em = names("East Midlands Combined County Authority");
    assert!(
        em.contains(&"Derby".to_string())
            && em.contains(&"Rushcliffe".to_string())
            && !em.contains(&"?".to_string()),
        "{em:?}"
    );
    // The same set from the combined authority code in the boundary files.
    let gmca = places.get("E47000001").unwrap();
    assert_eq!(
        gmca.districts,
        places.get("Greater Manchester").unwrap().districts
    );
    assert_eq!(
        places.get("North West").unwrap().kind,
        anchornet_geo::PlaceKind::Region
    );
    assert_eq!(places.get("E08000006").unwrap().name, "Salford");
    places
        .add_toml(
            ix,
            r#"
            [other]
            ignored = true
            [places."Salford and Trafford"]
            districts = ["Salford", "E08000009"]
            [places."Near MediaCity"]
            within_km = 2.0
            postcode = "M50 2EQ"
            [places."GM and Preston"]
            districts = ["Greater Manchester", "preston"]
            "#,
        )
        .unwrap();
    let st = places.get("Salford and Trafford").unwrap();
    assert_eq!(st.districts.len(), 2);
    assert_eq!(places.get("GM and Preston").unwrap().districts.len(), 11);
    let m5 = ix.lookup(&pc("M5 4WT")).unwrap(); // Salford, about 2.0 km from M50 2EQ
    let m17 = ix
        .lookup(&pc("M17 1DA"))
        .or_else(|| ix.lookup(&pc("M17 1AA")))
        .unwrap(); // Trafford Park
    let near = places.get("Near MediaCity").unwrap();
    let d = anchornet_geo::distance_km(53.47253, -2.29769, m5.lat.unwrap(), m5.long.unwrap());
    assert_eq!(near.contains(&m5), d <= 2.0);
    assert!(st.contains(&m5));
    assert!(!places
        .get("Birmingham and Solihull")
        .unwrap()
        .contains(&m17));
    let mc = ix.lookup(&pc("M50 2EQ")).unwrap();
    assert!(near.contains(&mc));
    // By LSOA: 2021 and 2011 codes.
    assert_eq!(
        places
            .get("Salford")
            .unwrap()
            .contains_lsoa(ix, "E01033991"),
        Some(true)
    );
    assert_eq!(
        places
            .get("Salford")
            .unwrap()
            .contains_lsoa(ix, "E01032907"),
        Some(true)
    );
    assert_eq!(
        places
            .get("Trafford")
            .unwrap()
            .contains_lsoa(ix, "E01033991"),
        Some(false)
    );
    assert_eq!(
        places
            .get("Salford")
            .unwrap()
            .contains_lsoa(ix, "E01999999"),
        None
    );
    // The area-weighted centre of the LSOA's outer ring in the official boundary file,
    // computed exactly (rational arithmetic) outside Anchornet, then to 6 decimals as kept:
    //   python3: ring = feature E01033991 of lsoa21_boundaries_england_wales.geojson.xz;
    //   A = Σ x0*y1 - x1*y0 over Fractions; lat = Σ (y0+y1)(x0*y1-x1*y0) / 3A,
    //   long = Σ (x0+x1)(x0*y1-x1*y0) / 3A  → 53.48374025624903, -2.2717719770321456
    let (clat, clong) = ix.lsoa("E01033991").unwrap().centre.unwrap();
    assert_eq!((clat, clong), (53.48374, -2.271772));
    let d = anchornet_geo::distance_km(53.47253, -2.29769, clat, clong);
    assert_eq!(near.contains_lsoa(ix, "E01033991"), Some(d <= 2.0));
    // Errors name what is wrong.
    let e = places
        .add_toml(ix, "[places.\"X\"]\ndistrcts = [\"Salford\"]\n")
        .unwrap_err();
    assert!(e.to_string().contains("distrcts"), "{e}");
    let e = places
        .add_toml(ix, "[places.\"X\"]\ndistricts = [\"Atlantis\"]\n")
        .unwrap_err();
    assert!(e.to_string().contains("Atlantis"), "{e}");
    let e = places
        .add_toml(ix, "[places.\"X\"]\nwithin_km = 3\n")
        .unwrap_err();
    assert!(e.to_string().contains("centre"), "{e}");
}

/// The index is kept in the cache and reopened from it (memory-mapped) without rebuilding;
/// batch lookups equal single ones.
#[test]
fn cache_reopen_and_batch() {
    let ix = index();
    let path = ix.path().expect("index kept as a file in the cache");
    assert!(path.starts_with(common::cache_dir()));
    let t = std::time::Instant::now();
    let again = GeoIndex::open(&OpenOptions {
        reference_dir: common::reference(),
        cache_dir: common::cache_dir().to_path_buf(),
    })
    .unwrap();
    assert!(
        t.elapsed().as_secs_f64() < 1.0,
        "reopening should not rebuild: {:?}",
        t.elapsed()
    );
    assert_eq!(again.len(), ix.len());
    let stats = ix.build_stats();
    assert_eq!(stats.postcodes as usize, ix.len());
    // Every directory postcode whose 2011 LSOA split in 2021 takes one of the split routes.
    // Counted from the official files, outside Anchornet: the rows of
    // pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz whose lsoa11cd maps to two or more
    // lsoa21_code in lookup_lsoa11_lsoa21_ltla22.csv (864 such LSOAs) → 132,985 postcodes.
    let route = |r: &str| stats.lsoa21_routes.get(r).copied().unwrap_or(0);
    assert_eq!(
        route("split-by-point") + route("split-by-nearest") + route("ambiguous"),
        132_985,
        "{:?}",
        stats.lsoa21_routes
    );
    assert!(route("split-by-point") > route("ambiguous") + route("split-by-nearest"));
    let ps: Vec<Postcode> = ["M5 4WT", "CF10 1EP", "SN5 6NS", "BT1 5GS"]
        .iter()
        .map(|s| pc(s))
        .collect();
    let many = again.lookup_many(&ps);
    for (p, m) in ps.iter().zip(&many) {
        assert_eq!(m.as_ref(), ix.lookup(p).as_ref());
    }
    assert!(many[2].is_none());
}

/// `bulk::annotate` keeps every row, marks the bad ones with the reason.
#[test]
fn bulk_annotate_keeps_every_row() {
    let input = "name,Post Code\nA,m5 4wt\nB,Various\nC,\nD,SN5 6NS\nE,bl49lw\nF\n";
    let mut out = Vec::new();
    let s = anchornet_geo::bulk::annotate(
        index(),
        input.as_bytes(),
        &mut out,
        " post code ",
        &Selection::all(),
    )
    .unwrap();
    assert_eq!(
        (s.rows, s.live, s.invalid, s.empty, s.unknown, s.terminated),
        (6, 1, 1, 2, 1, 1)
    );
    let text = String::from_utf8(out).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let at = |n: &str| h.iter().position(|x| x == n).unwrap();
    let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 6);
    assert_eq!(&recs[0][at("geo_lsoa11")], "E01032907");
    assert_eq!(&recs[0][at("geo_imd2019_decile")], "2");
    assert_eq!(&recs[1][at("geo_status")], "invalid");
    assert!(
        recs[1][at("geo_reason")].contains("inward code \"OUS\""),
        "{}",
        &recs[1][at("geo_reason")]
    );
    assert_eq!(&recs[2][at("geo_status")], "empty");
    assert_eq!(&recs[3][at("geo_status")], "unknown");
    assert_eq!(&recs[4][at("geo_status")], "terminated");
    assert_eq!(&recs[5][at("geo_status")], "empty");
    let e = anchornet_geo::bulk::annotate(
        index(),
        input.as_bytes(),
        Vec::new(),
        "postcode",
        &Selection::all(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("post code"), "{e}");
}

/// Every 101st postcode of the official ONS directory (May 2022), typed the ways people type
/// them, with strings that are not postcodes and a postcode no file holds between them,
/// through `anchornet geo bulk`'s parallel path with a column selection (the columns of
/// benchmark B2): status, postcode, 2011 LSOA, IMD 2019 decile and the directory's own
/// district agree with the directory and the IMD 2019 file, read here line by line; and the
/// record-at-a-time path writes the same bytes.
#[test]
fn bulk_selected_columns_match_the_official_files() {
    let d = shared();
    let mut sample: Vec<Vec<String>> = Vec::new();
    for (i, line) in
        lines(&d.join("geography/postcodes/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz")).enumerate()
    {
        if i > 0 && i % 101 == 0 {
            sample.push(line.split(',').map(str::to_string).collect());
        }
    }
    let imd = rows_for(&d.join("deprivation/imd2019_england_lsoa11.csv"), &|_| true);
    // (typed input, expected status, postcode, lsoa11, decile, directory district)
    let mut want: Vec<[String; 6]> = Vec::new();
    let mut input = String::from("ref,postcode\n");
    for (i, r) in sample.iter().enumerate() {
        let (pcds, doterm, lsoa, lad) = (&r[0], &r[2], &r[5], &r[7]);
        let typed = match i % 4 {
            0 => pcds.replace(' ', "").to_lowercase(),
            1 => pcds.replace(' ', "  "),
            2 => format!(" {} ", pcds.to_lowercase()),
            _ => pcds.clone(),
        };
        input.push_str(&format!("{i},{typed}\n"));
        // The directory's pseudo codes (`…99999999`: Channel Islands, Isle of Man) are no LSOA.
        let lsoa = if lsoa.ends_with("99999999") {
            ""
        } else {
            lsoa.as_str()
        };
        let decile = imd.get(lsoa).map_or("", |row| row[1].as_str());
        let status = if doterm.is_empty() {
            "live"
        } else {
            "terminated"
        };
        want.push([
            typed,
            status.into(),
            pcds.clone(),
            lsoa.into(),
            decile.into(),
            lad.clone(),
        ]);
        if i % 50 == 0 {
            for (typed, status, postcode) in [
                ("Various", "invalid", ""),
                ("n/a", "invalid", ""),
                ("sn5 6ns", "unknown", "SN5 6NS"),
            ] {
                input.push_str(&format!("x,{typed}\n"));
                want.push([typed, status, postcode, "", "", ""].map(String::from));
            }
        }
    }
    let select =
        Selection::parse("geo_status, postcode,LSOA11,geo_imd2019_decile,directory_lad").unwrap();
    let mut fast = Vec::new();
    let s = anchornet_geo::bulk::annotate_fast(
        index(),
        input.as_bytes(),
        &mut fast,
        "postcode",
        &select,
    )
    .expect("the parallel path reads it")
    .unwrap();
    assert_eq!(s.rows as usize, want.len());
    let mut r = csv::Reader::from_reader(&fast[..]);
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "ref",
            "postcode",
            "geo_status",
            "geo_postcode",
            "geo_lsoa11",
            "geo_imd2019_decile",
            "geo_directory_lad"
        ]
    );
    let mut n = 0;
    let mut deciles = 0;
    for (rec, w) in r.records().zip(&want) {
        let rec = rec.unwrap();
        let got: Vec<&str> = rec.iter().skip(1).collect();
        assert_eq!(got, w.iter().map(String::as_str).collect::<Vec<_>>());
        deciles += usize::from(!w[4].is_empty());
        n += 1;
    }
    assert_eq!(n, want.len());
    assert!(deciles > sample.len() / 2, "{deciles} of {}", sample.len());
    let mut general = Vec::new();
    anchornet_geo::bulk::annotate(index(), input.as_bytes(), &mut general, "postcode", &select)
        .unwrap();
    assert!(general == fast, "the two paths differ");
}

/// A column selection names only columns `geo bulk` writes; the error lists them.
#[test]
fn bulk_column_selection_errors_name_the_column() {
    let e = Selection::parse("geo_lsoa11,geo_imd_decile")
        .unwrap_err()
        .to_string();
    assert!(e.contains("\"geo_imd_decile\""), "{e}");
    assert!(
        e.contains("geo_imd2019_decile") && e.contains("geo_directory_lad"),
        "{e}"
    );
    assert!(Selection::parse("lsoa11, geo_lsoa11").is_err());
    assert!(Selection::parse(" , ").is_err());
    assert_eq!(
        Selection::all().names().collect::<Vec<_>>(),
        anchornet_geo::bulk::COLUMNS
    );
}

/// `bulk::annotate_bytes` (parallel pieces, what `anchornet geo bulk` runs on a file) writes
/// byte for byte what `bulk::annotate` (one `csv` record at a time, a full `Location` per
/// row) writes, with all 28 columns and with selections: on Salford's contracts register
/// (real, OGL v3.0; quoted names with commas), on rows with quotes, short and long rows, CRLF
/// and blank lines, and on every 20th postcode of the ONS directory (every country, live and
/// terminated, every kind of deprivation note).
#[test]
fn bulk_annotate_in_parallel_writes_the_same() {
    let register =
        std::fs::read(shared().join("procurement/salford_contracts_register_2022.csv")).unwrap();
    let register = register
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&register)
        .to_vec();
    let mut synthetic = b"name,\"Post, Code\",x\r\n".to_vec();
    for i in 0..20_000 {
        let row = match i % 7 {
            0 => format!("\"A \"\"{i}\"\" Ltd\",m5 4wt,\"1,2\"\r\n"),
            1 => format!("B{i},Various\r\n"),
            2 => format!("C{i},,,,extra\r\n"),
            3 => "\r\n".to_string(),
            4 => format!("\"D\n{i}\",\"SN5 6NS\",y\n"),
            5 => format!("E{i},bl49lw,\"\"\n"),
            _ => format!("F{i}\n"),
        };
        synthetic.extend_from_slice(row.as_bytes());
    }
    let mut directory = b"pcds\n".to_vec();
    for (i, line) in
        lines(&shared().join("geography/postcodes/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz"))
            .enumerate()
    {
        if i > 0 && i % 20 == 0 {
            directory.extend_from_slice(line.split(',').next().unwrap().as_bytes());
            directory.push(b'\n');
        }
    }
    let all = Selection::all();
    let some =
        Selection::parse("geo_deprivation_note,geo_lat,geo_lad,directory_lad,geo_reason").unwrap();
    for (input, column, select) in [
        (&register, "Supplier Postcode", &all),
        (&synthetic, "post, code", &all),
        (&synthetic, "post, code", &some),
        (&directory, "pcds", &all),
        (&directory, "pcds", &some),
    ] {
        let mut general = Vec::new();
        let a = anchornet_geo::bulk::annotate(index(), &input[..], &mut general, column, select)
            .unwrap();
        let mut parallel = Vec::new();
        let b = anchornet_geo::bulk::annotate_fast(index(), input, &mut parallel, column, select)
            .expect("the parallel path reads it")
            .unwrap();
        assert_eq!(a, b);
        assert!(a.rows > 300, "{a:?}");
        if general != parallel {
            let (g, p) = (
                String::from_utf8_lossy(&general),
                String::from_utf8_lossy(&parallel),
            );
            let (x, y) = g.lines().zip(p.lines()).find(|(x, y)| x != y).unwrap();
            panic!("outputs differ for column {column}:\n{x}\n{y}");
        }
    }
}
