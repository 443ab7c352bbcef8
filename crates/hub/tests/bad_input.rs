//! Bad input: one hand-made fixture per fault, each built from real Contracts Finder
//! releases (see `fixtures/bad/NOTICE.md`). Each fault is reported with file, JSON path and
//! value, and the rest of the file is read.

mod common;

use anchornet_hub::sources;
use anchornet_ingest::{Issue, Limits, Outcome};

use common::fixture;

fn read(name: &str) -> sources::Pipeline {
    sources::read(&[fixture(&format!("bad/{name}"))], &Limits::default())
}

fn find<'a>(p: &'a sources::Pipeline, column_ends: &str) -> &'a Issue {
    p.issues
        .iter()
        .find(|i| i.column.ends_with(column_ends))
        .unwrap_or_else(|| panic!("no issue at {column_ends}: {:#?}", p.issues))
}

#[test]
fn invalid_json_is_reported_with_line_and_column() {
    let p = read("invalid_json.json");
    let r = &p.reports[0];
    assert_eq!((r.read, r.used, r.rejected), (0, 0, 0));
    assert_eq!(p.issues.len(), 1);
    let i = &p.issues[0];
    assert!(i.file.ends_with("invalid_json.json"));
    assert!(i.problem.starts_with("not JSON"), "{}", i.problem);
    // The file was cut half way: one text, starting on line 1, broken at the file's end.
    assert_eq!(i.line, 1);
    let lines = std::fs::read_to_string(fixture("bad/invalid_json.json"))
        .unwrap()
        .lines()
        .count();
    assert!(
        i.problem.contains(&format!("line {lines}"))
            || i.problem.contains(&format!("line {}", lines + 1)),
        "{} ({lines} lines)",
        i.problem
    );
}

#[test]
fn a_release_without_an_ocid_is_rejected_and_the_others_kept() {
    let p = read("release_without_ocid.json");
    let r = &p.reports[0];
    assert_eq!((r.read, r.used, r.rejected, r.opportunities), (2, 1, 1, 1));
    let i = find(&p, "/releases/1/ocid");
    assert_eq!(i.outcome, Outcome::Rejected);
    assert_eq!(i.problem, "release without an ocid");
    assert_eq!(
        p.opportunities[0].id,
        "ocds-b5fd17-09a309a3-8541-48b9-91c4-411c52e5bd34"
    );
}

#[test]
fn dates_in_the_wrong_format_are_named_with_their_value() {
    let p = read("date_wrong_format.jsonl");
    let r = &p.reports[0];
    // The release with a day-first `date` cannot be ordered: rejected. The other is kept,
    // its day-first tender end reported and left out.
    assert_eq!((r.read, r.used, r.rejected), (2, 1, 1));
    let i = find(&p, "line 1:/date");
    assert_eq!(i.value, "23/01/2025 16:26");
    let j = find(&p, "/tender/tenderPeriod/endDate");
    assert_eq!(j.value, "07/02/2025");
    assert_eq!(j.outcome, Outcome::Warning);
    assert_eq!(p.opportunities[0].tender_end, None);
}

#[test]
fn an_unknown_cpv_code_is_reported_and_left_out() {
    let p = read("unknown_cpv.json");
    assert_eq!(p.opportunities.len(), 1);
    let i = find(&p, "/tender/classification/id");
    assert_eq!(i.value, "99999999");
    assert!(i.problem.contains("CPV 2008"));
    assert!(p.opportunities[0].cpv.is_empty());
    // Everything else of the release is read: the award's supplier is the incumbent.
    assert!(!p.opportunities[0].incumbents.is_empty());
}

#[test]
fn a_broken_line_of_json_lines_does_not_lose_the_rest() {
    let p = read("jsonl_bad_line.jsonl");
    let r = &p.reports[0];
    assert_eq!((r.read, r.used, r.rejected), (2, 2, 0));
    let bad: Vec<&Issue> = p
        .issues
        .iter()
        .filter(|i| i.problem.starts_with("not JSON"))
        .collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].line, 2);
    assert_eq!(p.opportunities.len(), 2);
}

#[test]
fn record_packages_read_embedded_releases_else_the_compiled_release() {
    let p = read("record_package.json");
    let r = &p.reports[0];
    // Two embedded releases of one ocid (the compiledRelease beside them is not counted)
    // and one record with only a compiledRelease.
    assert_eq!((r.read, r.used, r.opportunities), (3, 3, 2));
    let t = p.opportunities.iter().find(|o| o.releases == 2).unwrap();
    // The later release (listed first) wins the title.
    assert_eq!(t.title, "Amended title");
}

#[test]
fn json_nested_too_deep_is_refused_not_a_crash() {
    let dir = std::env::temp_dir().join(format!("hub-deep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("deep.json");
    std::fs::write(
        &f,
        format!(
            "{{\"releases\":{}{}}}",
            "[".repeat(50_000),
            "]".repeat(50_000)
        ),
    )
    .unwrap();
    let p = sources::read(std::slice::from_ref(&f), &Limits::default());
    assert!(
        p.issues
            .iter()
            .any(|i| i.problem.contains("nested deeper than 128")),
        "{:?}",
        p.issues
    );
    std::fs::remove_dir_all(&dir).ok();
}
