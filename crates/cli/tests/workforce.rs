//! `anchornet jobs code` on the real NHS Jobs sample (../shared/data, never copied) and
//! `anchornet workforce` on the GENERATED demo extract.
//!
//! Expected values: the hand check of 200 codings (docs/employment-soc-hand-check.md, judged
//! by a person against the SOC 2020 descriptions) and the independent reference
//! `crates/workforce/tests/reference/workforce_metrics.py`, whose output is committed as
//! `expected_workforce_2023-24.csv` (and re-run against the product by .ci/independent_checks.py).

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared() -> PathBuf {
    let p = std::env::var_os("ANCHORNET_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data"));
    assert!(
        p.is_dir(),
        "real data not found at {} (set ANCHORNET_SHARED_DATA)",
        p.display()
    );
    p
}

fn anchornet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

fn scratch(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("anchornet-workforce-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn read_csv(p: &std::path::Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(p).unwrap();
    let h = r.headers().unwrap().clone();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            h.iter()
                .zip(x.iter())
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn nhs_jobs_titles_are_coded_as_hand_checked() {
    let tmp = scratch("code");
    let out = tmp.join("coded.csv");
    let nhs = shared().join("workforce/nhs_jobs_vacancies_2020_sample.csv.xz");
    let run = anchornet(&[
        "jobs",
        "code",
        nhs.to_str().unwrap(),
        "--column",
        "title",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    // SOURCES.md §6: 14,842 rows; every one kept, with every column.
    assert_eq!(summary["rows"], 14842);
    let rows = read_csv(&out);
    assert_eq!(rows.len(), 14842);
    assert!(rows[0].contains_key("vacancy_id") && rows[0].contains_key("closing_date"));
    let coded = rows.iter().filter(|r| !r["soc2020"].is_empty()).count();
    assert_eq!(summary["coded"], coded as u64);
    // The figure in docs/employment.md.
    assert_eq!(coded, 10493);
    // The 200 hand-checked rows get the codes that were judged (docs/employment-soc-hand-check.md):
    // a change to the coder must be judged again.
    let doc = std::fs::read_to_string(root().join("docs/employment-soc-hand-check.md")).unwrap();
    let (mut judged, mut correct) = (0, 0);
    for line in doc
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| row"))
    {
        let c: Vec<&str> = line.split('|').map(str::trim).collect();
        let (row, code, verdict) = (c[1].parse::<usize>().unwrap(), c[2], c[4]);
        assert_eq!(rows[row - 1]["soc2020"], code, "row {row}");
        if verdict != "uncoded" {
            judged += 1;
            correct += usize::from(verdict == "correct");
        }
    }
    assert_eq!((judged, correct), (149, 125));
}

#[test]
fn workforce_measures_equal_the_independent_reference() {
    let tmp = scratch("measures");
    let run = anchornet(&[
        "workforce",
        "data/demo/workforce/generated_workforce_2023-24.csv.xz",
        "--network",
        "data/demo/anchornet.toml",
        "--year",
        "2023",
        "--out",
        tmp.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // workforce_metrics.py data/demo/workforce/generated_workforce_2023-24.csv.xz 2023
    // E08000003,E08000006,E08000009 → expected_workforce_2023-24.csv
    let got = std::fs::read_to_string(tmp.join("workforce.csv")).unwrap();
    let want = std::fs::read_to_string(
        root().join("crates/workforce/tests/reference/expected_workforce_2023-24.csv"),
    )
    .unwrap();
    assert_eq!(got, want);
    // The six deliberately invalid rows, each reported where it is.
    let issues = read_csv(&tmp.join("issues.csv"));
    let lines: Vec<&str> = issues.iter().map(|r| r["line"].as_str()).collect();
    assert_eq!(lines, ["5", "55", "105", "155", "205", "255"]);
    assert!(issues.iter().all(|r| r["outcome"] == "rejected"));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("915 rows read = 909 accepted + 6 rejected + 0 blank"),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_an_extract_is_reported_not_fatal() {
    let tmp = scratch("notextract");
    let run = anchornet(&[
        "workforce",
        "data/demo/registers/salford_contracts_register_2022.csv.xz",
        "--place",
        "Salford",
        "--year",
        "2025",
        "--out",
        tmp.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let issues = read_csv(&tmp.join("issues.csv"));
    assert_eq!(issues.len(), 1);
    assert!(issues[0]["problem"].starts_with("not a workforce extract: no column for"));
}

/// `anchornet jobs match`: the ten hospitality profiles against the real NHS Jobs sample. The
/// expected suggestions are those judged one by one in docs/employment-pathway-hand-check.md
/// (vacancy and unit group per rank); the distances are the independent reference
/// `crates/workforce/tests/reference/pathway_distances.py`'s (sector centroids from the NSPL
/// file itself), to the output's 0.1 km.
#[test]
fn hospitality_profiles_match_as_hand_checked() {
    let data = shared().join("workforce/nhs_jobs_vacancies_2020_sample.csv.xz");
    let dir = scratch("match");
    let out = dir.join("matches.csv");
    let issues = dir.join("issues.csv");
    let o = anchornet(&[
        "jobs",
        "match",
        data.to_str().unwrap(),
        "data/demo/workforce/hospitality_ten_candidates.csv",
        "--top",
        "3",
        "--per-occupation",
        "1",
        "--max-km",
        "25",
        "--out",
        out.to_str().unwrap(),
        "--issues",
        issues.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = read_csv(&out);
    // (person, rank, vacancy, unit group, km) from the hand check.
    let expected: [(&str, &str, &str, &str, &str); 30] = [
        ("H01", "1", "916256876", "9263", "8.9"),
        ("H01", "2", "916254835", "4215", "16.6"),
        ("H01", "3", "916258611", "6135", "2.2"),
        ("H02", "1", "916256876", "9263", "8.9"),
        ("H02", "2", "916258611", "6135", "2.2"),
        ("H02", "3", "916247882", "6136", "16.3"),
        ("H03", "1", "916256876", "9263", "8.9"),
        ("H03", "2", "916251372", "7132", "9.8"),
        ("H03", "3", "916255540", "6131", "4.4"),
        ("H04", "1", "916256876", "9263", "8.9"),
        ("H04", "2", "916251372", "7132", "9.8"),
        ("H04", "3", "916255540", "6131", "4.4"),
        ("H05", "1", "916255540", "6131", "4.4"),
        ("H05", "2", "916258611", "6135", "2.2"),
        ("H05", "3", "916247882", "6136", "16.3"),
        ("H06", "1", "916256876", "9263", "8.9"),
        ("H06", "2", "916255540", "6131", "4.4"),
        ("H06", "3", "916240922", "4211", "2.0"),
        ("H07", "1", "916251372", "7132", "9.8"),
        ("H07", "2", "916247882", "6136", "16.3"),
        ("H07", "3", "916250795", "9261", "5.8"),
        ("H08", "1", "916255828", "9223", "4.5"),
        ("H08", "2", "916258611", "6135", "2.2"),
        ("H08", "3", "916247882", "6136", "16.3"),
        ("H09", "1", "916255930", "4216", "4.5"),
        ("H09", "2", "916246145", "7212", "14.6"),
        ("H09", "3", "916250002", "4141", "14.9"),
        ("H10", "1", "916255540", "6131", "4.4"),
        ("H10", "2", "916258355", "6231", "3.9"),
        ("H10", "3", "916256876", "9263", "8.9"),
    ];
    let got: Vec<(&str, &str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["candidate_id"].as_str(),
                r["rank"].as_str(),
                r["vacancy_id"].as_str(),
                r["soc2020"].as_str(),
                r["distance_km"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert!(rows.iter().all(|r| r["entry_level"] == "yes"));
    // Skills the hand check names as shared.
    let common = |p: &str, rank: &str| {
        rows.iter()
            .find(|r| r["candidate_id"] == p && r["rank"] == rank)
            .map(|r| r["skills_in_common"].clone())
            .unwrap()
    };
    assert!(common("H01", "1").contains("clean kitchen"));
    assert!(common("H05", "2").contains("serve food"));
    assert!(common("H09", "1").contains("maintain reception"));
}

/// Hostile candidate rows are reported with line, column and value, not fatal; the counts are
/// those of the GENERATED file's two labelled invalid rows (its `note` column).
#[test]
fn bad_candidate_rows_are_reported() {
    let dir = scratch("badcand");
    let vac = dir.join("vacancies.csv");
    std::fs::write(
        &vac,
        "vacancy_id,title,employer,band,location_postcode,closing_date\n\
         1,Catering Assistant,Trust,2,B9 5SS,2020-12-01\n\
         2,,Trust,2,B9 5SS,2020-12-01\n\
         3,Domestic,Trust,2,NOT A POSTCODE,31/02/2020\n",
    )
    .unwrap();
    let out = dir.join("m.csv");
    let issues = dir.join("i.csv");
    let o = anchornet(&[
        "jobs",
        "match",
        vac.to_str().unwrap(),
        "data/demo/workforce/generated_candidates.csv",
        "--no-distance",
        "--out",
        out.to_str().unwrap(),
        "--issues",
        issues.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let is = read_csv(&issues);
    let find = |line: &str, col: &str| {
        is.iter()
            .find(|r| r["line"] == line && r["column"] == col)
            .map(|r| (r["value"].clone(), r["outcome"].clone()))
    };
    assert_eq!(find("3", "title"), Some((String::new(), "rejected".into())));
    assert_eq!(
        find("4", "location_postcode"),
        Some(("NOT A POSTCODE".into(), "warning".into()))
    );
    assert_eq!(
        find("4", "closing_date"),
        Some(("31/02/2020".into(), "warning".into()))
    );
    assert_eq!(
        find("7", "current_occupation"),
        Some((String::new(), "rejected".into()))
    );
    assert_eq!(
        find("47", "home_sector"),
        Some(("B99".into(), "warning".into()))
    );
    assert_eq!(is.len(), 5);
    // 200 valid generated people + the one with a bad sector, two vacancies each at most.
    let rows = read_csv(&out);
    assert!(!rows.is_empty() && rows.len() <= 201 * 2);
}
