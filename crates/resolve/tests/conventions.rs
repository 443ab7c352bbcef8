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

#[test]
fn police_fire_and_universities() {
    check(&[
        &[
            "Lancashire Constabulary",
            "Lancashire Police",
            "LANCASHIRE CONSTABULARY",
        ],
        &[
            "Lancashire Fire and Rescue Service",
            "LANCASHIRE FIRE & RESCUE",
            "Lancashire Fire & Rescue Service",
            "Lancashire Fire and Rescue Authority",
        ],
        // A police authority (before 2012) governed the force; it was not the force.
        &["Lancashire Police Authority"],
        &[
            "University of Exeter",
            "Univ of Exeter",
            "The University of Exeter",
        ],
        &[
            "University Hospitals of Exeter NHS Trust",
            "Univ Hospitals of Exeter NHS Trust",
        ],
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
        // Bodies named after the council are other bodies, each its own.
        groups.push(vec![format!("{x} Council for Voluntary Service")]);
        groups.push(vec![format!("{x} Council Credit Union")]);
        groups.push(vec![format!("{x} Council of Faiths")]);
    }
    assert!(groups.len() >= 1200, "{} groups", groups.len());
    let refs: Vec<Vec<&str>> = groups
        .iter()
        .map(|g| g.iter().map(String::as_str).collect())
        .collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    check(&slices);
}

/// Every NHS trust of NHS Digital's Estates Returns (ERIC 2016-17, one row per trust, the
/// official names), written the ways ledgers write them: the full name in capitals and in
/// title case, `NHS FT` / `NHS Trust`, a department after the name, and the name cut at 35
/// characters (as Trafford, Bradford and Salford cut names; a cut that is the start of two
/// trusts' names is left out, since it names neither). Each trust's forms are one entity
/// and no two trusts share one.
#[test]
fn every_nhs_trust_by_its_usual_names() {
    let path = common::shared().join("estates/nhs_eric_trust_2013-14_to_2016-17/ERIC-2016-17.csv");
    let text = std::fs::read_to_string(&path).expect("ERIC 2016-17");
    let mut names: Vec<String> = text
        .lines()
        .skip(2)
        .filter_map(|l| l.split('$').nth(1))
        .map(|n| n.trim().to_string())
        .filter(|n| n.ends_with(" NHS TRUST") || n.ends_with(" NHS FOUNDATION TRUST"))
        .collect();
    names.sort();
    names.dedup();
    assert!(names.len() >= 200, "{} trusts", names.len());
    let title = |s: &str| {
        s.split(' ')
            .map(|w| {
                let mut c = w.chars();
                match c.next() {
                    Some(f) => f.to_string() + &c.as_str().to_lowercase(),
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
            .replace(" Nhs ", " NHS ")
    };
    let cut = |s: &str| {
        s.chars()
            .take(35)
            .collect::<String>()
            .trim_end()
            .to_string()
    };
    let mut groups: Vec<Vec<String>> = Vec::new();
    for n in &names {
        let ft = n.ends_with(" NHS FOUNDATION TRUST");
        let base = n
            .trim_end_matches(" NHS FOUNDATION TRUST")
            .trim_end_matches(" NHS TRUST");
        let mut g = vec![
            n.clone(),
            title(n),
            if ft {
                format!("{} NHS FT", title(base))
            } else {
                format!("{} NHS Trust", title(base))
            },
            format!("{} - Pharmacy Department", title(n)),
        ];
        let c = cut(n);
        let ambiguous = names.iter().filter(|m| m.starts_with(&c)).count() > 1;
        // (A cut that leaves only place names, `SOUTH STAFFORDSHIRE AND SHROPSHIRE`, names
        // no body in particular: left out too.)
        let places_only = c.split_whitespace().all(|w| {
            w == "AND"
                || w == "SOUTH"
                || w == "NORTH"
                || w == "EAST"
                || w == "WEST"
                || w.ends_with("SHIRE")
        });
        // (Nor a cut that falls between two words: once the ledger trims the space, the
        // name is not visibly cut and reads as a shorter name.)
        let between_words = n.chars().nth(35) == Some(' ') || n.chars().nth(34) == Some(' ');
        if n.chars().count() > 35
            && !ambiguous
            && !places_only
            && !between_words
            && !c.ends_with(" NHS")
        {
            g.push(c);
        }
        g.dedup();
        groups.push(g);
    }
    let refs: Vec<Vec<&str>> = groups
        .iter()
        .map(|g| g.iter().map(String::as_str).collect())
        .collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    check(&slices);
}
