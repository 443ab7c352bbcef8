//! UK naming conventions for public bodies, checked on names written the ways ledgers
//! write them. The groups follow from official naming, not from any gold set: the forms
//! of the Local Government Act 1972 and London Government Act 1963 (borough, metropolitan
//! borough, London borough and their initials), ONS district names (`Blackburn with
//! Darwen`), the NHS Act 2006 trust forms with NHS Digital's ODS names, and bodies named
//! after another body (a hospital trust named after a university, a council for voluntary
//! service) that are not it. No name here is from `validation/`.

mod common;

use anchornet_resolve::{NameInput, Resolver};

/// Resolve all names together; every group must be one entity and no two groups may share
/// one.
fn check(groups: &[&[&str]]) {
    let inputs: Vec<NameInput> = groups
        .iter()
        .flat_map(|g| g.iter().map(|n| NameInput::new(*n)))
        .collect();
    let res = Resolver::default().resolve(&inputs);
    let ent = |n: &str| res.name(n).unwrap_or_else(|| panic!("{n}")).entity;
    let mut wrong = Vec::new();
    for g in groups {
        for n in &g[1..] {
            if ent(g[0]) != ent(n) {
                wrong.push(format!("{:?} and {n:?} should be one body", g[0]));
            }
        }
    }
    for (i, a) in groups.iter().enumerate() {
        for b in &groups[i + 1..] {
            for (x, y) in a.iter().flat_map(|x| b.iter().map(move |y| (x, y))) {
                if ent(x) == ent(y) {
                    wrong.push(format!("{x:?} and {y:?} are different bodies"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn london_boroughs_and_metropolitan_boroughs() {
    check(&[
        &[
            "London Borough of Hackney",
            "LB of Hackney",
            "LB Hackney",
            "LB HACKNEY COUNCIL",
            "Hackney London Borough Council",
            "HACKNEY COUNCIL",
            "London Borough of Hackney - Parking Services",
            "London Borough of Hackney (Pensions)",
        ],
        &[
            "Royal Borough of Greenwich",
            "RB Greenwich",
            "Royal Borough of Greenwich Council",
        ],
        &[
            "Wirral Metropolitan Borough Council",
            "WIRRAL MBC",
            "Wirral M.B.C.",
            "Metropolitan Borough of Wirral",
            "Wirral Council Children's Services",
        ],
        &[
            "Blackburn with Darwen Borough Council",
            "BLACKBURN & DARWEN BC",
            "Blackburn and Darwen Council",
        ],
        &[
            "Lancashire County Council",
            "LANCASHIRE COUNTY COUNCIL",
            "Lancashire Conty Council",
            "Lancashire Cuonty Council",
            "Lancashire County Council - Adult Services",
        ],
        // Bodies named after a council are not the council.
        &["Hackney Council for Voluntary Service"],
        &["Wirral Council of Faiths"],
        &["Lancashire County Council Credit Union"],
    ]);
}

#[test]
fn nhs_trust_forms_and_namesakes() {
    check(&[
        &[
            "Lancashire Teaching Hospitals NHS Foundation Trust",
            "Lancashire Teaching Hospitals NHS FT",
            "LANCASHIRE TEACHING HOSPITALS NHS FO",
            "Lancashire Teaching Hospitals NHS Trust",
            "Lancashire Teaching Hospitals NHS Foundation Trust Pharmacy Department",
        ],
        &[
            "Royal Free London NHS Foundation Trust",
            "ROYAL FREE LONDON NHS FT",
            "Royal Free London NHS Fdn Trust",
        ],
        // A hospital trust named after a university and a city is not the university.
        &[
            "University Hospitals of Leicester NHS Trust",
            "UNIVERSITY HOSPITALS OF LEICESTER NHS TR",
        ],
        &["University of Leicester", "UNIVERSITY OF LEICESTER"],
        &["Leicester University Hospitals Charity"],
    ]);
}

/// Every local authority district in the ONS names file, written the usual ways: each
/// council's forms are one entity, and no two councils share one. The forms are those any
/// council may be called by (`X Council`, `X Borough Council`, `X MBC`, `Council of X`, `X
/// Council - Finance`), with `London Borough of X` / `LB X` for the London boroughs (ONS
/// codes E09) and `Royal Borough of X` where the ONS name says so.
#[test]
fn every_ons_district_by_its_usual_names() {
    let path = common::shared().join("geography/lookups/lad_names_may22_uk.csv");
    let mut rdr = csv::Reader::from_path(&path).expect("ONS LAD names");
    let mut groups: Vec<Vec<String>> = Vec::new();
    for r in rdr.records() {
        let r = r.expect("row");
        let (code, name) = (r[0].trim(), r[1].trim());
        // England and Wales districts; `, City of` and `, County of` as ledgers drop them.
        if !(code.starts_with('E') || code.starts_with('W')) || name.is_empty() {
            continue;
        }
        let x = name
            .trim_end_matches(", City of")
            .trim_end_matches(", County of")
            .to_string();
        let mut g = vec![
            format!("{x} Council"),
            format!("{} COUNCIL", x.to_uppercase()),
            format!("{x} Borough Council"),
            format!("{x} Council - Finance"),
            format!("{x} Council (Pensions)"),
        ];
        if code.starts_with("E08") {
            g.push(format!("{x} MBC"));
            g.push(format!("{x} Metropolitan Borough Council"));
        }
        // (E09000001 is the City of London, not a London borough.)
        if code.starts_with("E09") && code != "E09000001" {
            g.push(format!("London Borough of {x}"));
            g.push(format!("LB {x}"));
            g.push(format!("{x} London Borough Council"));
        }
        groups.push(g);
    }
    assert!(groups.len() >= 300, "{} districts", groups.len());
    let refs: Vec<Vec<&str>> = groups
        .iter()
        .map(|g| g.iter().map(String::as_str).collect())
        .collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    check(&slices);
}
