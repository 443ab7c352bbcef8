//! `anchornet geo` on real inputs: bulk annotation of Salford's contracts register keeps every
//! row and says why a postcode has no answer; lookup as JSON; the places list.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn anchornet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn bulk_keeps_every_register_row_with_reasons() {
    let tmp = std::env::temp_dir().join(format!("anchornet-geo-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    // The register as published (xz): decompress it to a plain CSV first.
    let input = tmp.join("register.csv");
    let xz =
        std::fs::read(root().join("data/demo/registers/salford_contracts_register_2022.csv.xz"))
            .unwrap();
    let mut text = Vec::new();
    std::io::Read::read_to_end(&mut xz2::read::XzDecoder::new(&xz[..]), &mut text).unwrap();
    std::fs::write(&input, &text).unwrap();
    let out = tmp.join("located.csv");
    let run = anchornet(&[
        "geo",
        "bulk",
        input.to_str().unwrap(),
        "--column",
        "Supplier Postcode",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut rdr = csv::Reader::from_path(&out).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let status = headers
        .iter()
        .position(|h| h == "geo_status")
        .expect("geo_status column");
    let reason = headers
        .iter()
        .position(|h| h == "geo_reason")
        .expect("geo_reason column");
    let lad = headers
        .iter()
        .position(|h| h == "geo_lad")
        .expect("geo_lad column");
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    // Every one of the register's 360 supplier rows is there, in order.
    assert_eq!(rows.len(), 360);
    let count = |s: &str| rows.iter().filter(|r| &r[status] == s).count();
    // 337 of 360 supplier postcodes resolve (6 of them terminated, still located); 21 are not
    // postcodes ("Various", an Irish Eircode) and 2 are not in the directory.
    assert_eq!((count("live"), count("terminated")), (331, 6));
    assert_eq!((count("invalid"), count("unknown")), (21, 2));
    // "Various" is not a postcode: marked, with a reason, not dropped.
    let various = rows
        .iter()
        .find(|r| r.iter().any(|c| c == "Various"))
        .expect("a 'Various' row");
    assert_eq!(&various[status], "invalid");
    assert!(!various[reason].is_empty());
    // Seddon Construction's register postcode BL4 0NN is in Bolton (E08000001).
    let seddon = rows
        .iter()
        .find(|r| r.iter().any(|c| c.contains("Seddon Construction")))
        .unwrap();
    assert_eq!(&seddon[lad], "E08000001");
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// `--columns` writes the columns named, in that order, after the input's own; an unknown
/// name is a usage error (exit 2) that names it and lists the valid ones.
#[test]
fn bulk_writes_the_selected_columns() {
    let tmp = std::env::temp_dir().join(format!("anchornet-geo-cols-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let input = tmp.join("in.csv");
    // Postcodes of the ONS directory (May 2022): M5 4WT in Salford's LSOA E01032907 (IMD 2019
    // decile 2, in imd2019_england_lsoa11.csv); BL4 9LW terminated, directory district
    // E08000006; "Various" no postcode.
    std::fs::write(&input, "name,postcode\nA,m5 4wt\nB,Various\nC,bl4 9lw\n").unwrap();
    let out = tmp.join("out.csv");
    let run = anchornet(&[
        "geo",
        "bulk",
        input.to_str().unwrap(),
        "--column",
        "postcode",
        "--columns",
        "imd2019_decile, geo_lsoa11,geo_status,geo_directory_lad",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "name,postcode,geo_imd2019_decile,geo_lsoa11,geo_status,geo_directory_lad"
    );
    assert_eq!(lines[1], "A,m5 4wt,2,E01032907,live,E08000006");
    assert_eq!(lines[2], "B,Various,,,invalid,");
    assert!(lines[3].starts_with("C,bl4 9lw,") && lines[3].ends_with(",terminated,E08000006"));
    assert_eq!(lines.len(), 4);
    let run = anchornet(&[
        "geo",
        "bulk",
        input.to_str().unwrap(),
        "--column",
        "postcode",
        "--columns",
        "geo_lsoa11,geo_imd_decile",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("geo_imd_decile") && err.contains("geo_imd2019_decile, geo_imd2019_rank"),
        "{err}"
    );
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn lookup_json_and_places() {
    let run = anchornet(&["geo", "lookup", "--json", "M5 4BD", "not-a-postcode"]);
    // One input is not a postcode: exit 1, both answered.
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let s = v.to_string();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert!(s.contains("E08000006") && s.contains("E01033991"), "{s}");
    let run = anchornet(&["geo", "places"]);
    assert!(run.status.success());
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        out.contains("Greater Manchester") && out.contains("Lancashire-14"),
        "{out}"
    );
}
