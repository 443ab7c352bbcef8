//! UK naming conventions for public bodies, checked on names written the ways ledgers
//! write them. The groups follow from official naming, not from any gold set: the forms
//! of the Local Government Act 1972 and London Government Act 1963 (borough, metropolitan
//! borough, London borough and their initials), ONS district names (`Blackburn with
//! Darwen`), the NHS Act 2006 trust forms with NHS Digital's ODS names, and bodies named
//! after another body (a hospital trust named after a university, a council for voluntary
//! service) that are not it. No name here is from `validation/`.

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
    for g in groups {
        for n in &g[1..] {
            assert_eq!(ent(g[0]), ent(n), "{:?} and {n:?} should be one body", g[0]);
        }
    }
    for (i, a) in groups.iter().enumerate() {
        for b in &groups[i + 1..] {
            assert_ne!(
                ent(a[0]),
                ent(b[0]),
                "{:?} and {:?} are different bodies",
                a[0],
                b[0]
            );
        }
    }
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
