//! The library API on small inputs: identifiers, overrides, registers, kinds, incremental
//! runs, review. (Real-data tests are in `dev_quality.rs` and `salford.rs`.)

use anchornet_core::Pence;
use anchornet_resolve::registers::RegisterRecord;
use anchornet_resolve::{
    Kind, MatchKind, NameInput, Overrides, PublicType, RegisterKind, Registers, Resolver, Sme,
    State,
};

fn same(res: &anchornet_resolve::Resolution, a: &str, b: &str) -> bool {
    res.name(a).unwrap().entity == res.name(b).unwrap().entity
}

fn names(v: &[&str]) -> Vec<NameInput> {
    v.iter().map(|n| NameInput::new(*n)).collect()
}

#[test]
fn variants_join_and_group_companies_stay_apart() {
    let res = Resolver::default().resolve(&names(&[
        "Schofield & Sons Ltd",
        "SCHOFIELD AND SONS LIMITED",
        "Schofield and Sons",
        "Corbel LG Ltd",
        "Corbel TPT Ltd",
        "Little Acorns Day Nurseries Ltd",
        "Little Acorns Day Nur Ltd (Hale)",
    ]));
    assert!(same(
        &res,
        "Schofield & Sons Ltd",
        "SCHOFIELD AND SONS LIMITED"
    ));
    assert!(same(&res, "Schofield & Sons Ltd", "Schofield and Sons"));
    assert!(!same(&res, "Corbel LG Ltd", "Corbel TPT Ltd"));
    assert!(same(
        &res,
        "Little Acorns Day Nurseries Ltd",
        "Little Acorns Day Nur Ltd (Hale)"
    ));
    let e = res.entity_of(res.name("Schofield and Sons").unwrap());
    assert_eq!(e.kind, Kind::Company);
    assert_eq!(e.members.len(), 3);
}

#[test]
fn identifiers_are_strong_but_vat_groups_are_not_proof() {
    let mut a = NameInput::new("Hartside Homes Ltd");
    a.company_number = Some("01738371".into());
    let mut b = NameInput::new("Brookvale Living Ltd");
    b.company_number = Some("1738371".into());
    // Same VAT group, different companies.
    let mut c = NameInput::new("Corbel OW Ltd");
    c.vat_number = Some("GB 123456789".into());
    let mut d = NameInput::new("Corbel Rail Ltd");
    d.vat_number = Some("123456789".into());
    // Different company numbers keep look-alike names apart.
    let mut e = NameInput::new("Acme Services Ltd");
    e.company_number = Some("01111111".into());
    let mut f = NameInput::new("ACME SERVICES LIMITED");
    f.company_number = Some("02222222".into());
    let res = Resolver::default().resolve(&[a, b, c, d, e, f]);
    assert!(same(&res, "Hartside Homes Ltd", "Brookvale Living Ltd"));
    assert!(!same(&res, "Corbel OW Ltd", "Corbel Rail Ltd"));
    assert!(!same(&res, "Acme Services Ltd", "ACME SERVICES LIMITED"));
    let k = res.entity_of(res.name("Brookvale Living Ltd").unwrap());
    assert_eq!(k.identifiers.company_numbers, vec!["01738371".to_string()]);
    assert_eq!(
        res.name("Brookvale Living Ltd")
            .unwrap()
            .evidence
            .as_ref()
            .unwrap()
            .reason,
        anchornet_resolve::Reason::SameIdentifier
    );
}

#[test]
fn supplier_ids_join_within_one_anchor() {
    let mut a = NameInput::new("Barnet Mind").with_anchor("sheffield");
    a.supplier_id = Some("556296".into());
    let mut b = NameInput::new("BARNET MIND MHRE").with_anchor("sheffield");
    b.supplier_id = Some("556296".into());
    let res = Resolver::default().resolve(&[a, b]);
    assert!(same(&res, "Barnet Mind", "BARNET MIND MHRE"));
}

#[test]
fn overrides_apply_every_run() {
    let o = Overrides::parse(
        "action,name,value,note\n\
         must-link,Ferncastle Counters Ltd,Ferncastle Ltd,renamed 2001\n\
         cannot-link,Harbour Minds Ltd,Harbour Minds Residential,\n\
         rename,Ferncastle Ltd,Ferncastle Limited,\n\
         set-company-number,Harbour Minds Ltd,05098767,\n\
         set-kind,Open Doors Arts,cic,\n\
         must-link,Nobody,Ferncastle Ltd,\n",
    )
    .unwrap();
    let res = Resolver::default().with_overrides(o).resolve(&names(&[
        "Ferncastle Counters Ltd",
        "Ferncastle Ltd",
        "Harbour Minds Ltd",
        "Harbour Minds Residential",
        "Open Doors Arts",
    ]));
    assert!(same(&res, "Ferncastle Counters Ltd", "Ferncastle Ltd"));
    assert!(!same(
        &res,
        "Harbour Minds Ltd",
        "Harbour Minds Residential"
    ));
    let po = res.entity_of(res.name("Ferncastle Ltd").unwrap());
    assert_eq!(po.canonical_name, "Ferncastle Limited");
    let cim = res.entity_of(res.name("Harbour Minds Ltd").unwrap());
    assert_eq!(
        cim.identifiers.company_numbers,
        vec!["05098767".to_string()]
    );
    assert_eq!(
        res.entity_of(res.name("Open Doors Arts").unwrap()).kind,
        Kind::Cic
    );
    assert_eq!(res.override_issues.len(), 1);
    assert_eq!(res.override_issues[0].line, 7);
}

#[test]
fn kinds_with_evidence() {
    let res = Resolver::default().resolve(&names(&[
        "Wirral MBC",
        "Wirral Metropolitan Borough Council",
        "HMRC",
        "H M Revenue & Customs",
        "Open Doors Arts CIC",
        "Norfolk and Norwich Hospitals NHS Trust",
        "MR J SMITH",
    ]));
    let k = |n: &str| res.entity_of(res.name(n).unwrap()).kind;
    assert_eq!(k("Wirral MBC"), Kind::PublicBody(PublicType::Council));
    assert!(same(
        &res,
        "Wirral MBC",
        "Wirral Metropolitan Borough Council"
    ));
    assert!(same(&res, "HMRC", "H M Revenue & Customs"));
    assert_eq!(k("HMRC"), Kind::PublicBody(PublicType::Hmrc));
    assert_eq!(k("Open Doors Arts CIC"), Kind::Cic);
    assert_eq!(
        k("Norfolk and Norwich Hospitals NHS Trust"),
        Kind::PublicBody(PublicType::Nhs)
    );
    let person = res.entity_of(res.name("MR J SMITH").unwrap());
    assert_eq!(person.kind, Kind::Individual);
    assert_eq!(person.display_name(None), "Individual (redacted)");
    assert!(!res
        .entity_of(res.name("HMRC").unwrap())
        .kind_evidence
        .is_empty());
}

#[test]
fn registers_give_facts_with_sources() {
    let mut regs = Registers::new();
    regs.push(RegisterRecord {
        register: Some(RegisterKind::SupplierList),
        file: "register.csv".into(),
        line: 2,
        name: "Underwater Diving Services Ltd".into(),
        postcode: Some("LA14 2TB".into()),
        company_number: Some("02535986".into()),
        sme: Sme::Yes,
        sme_basis: Some("declared".into()),
        ..RegisterRecord::default()
    });
    regs.push(RegisterRecord {
        register: Some(RegisterKind::CompaniesHouse),
        file: "ch.csv".into(),
        line: 9,
        name: "UNDERWATER DIVING SERVICES LIMITED".into(),
        company_number: Some("02535986".into()),
        postcode: Some("LA14 1AA".into()),
        sic: vec!["42990".into()],
        legal_form: Some("Private Limited Company".into()),
        kind: Some(Kind::Company),
        status: Some("Active".into()),
        ..RegisterRecord::default()
    });
    regs.push(RegisterRecord {
        register: Some(RegisterKind::SupplierList),
        file: "register.csv".into(),
        line: 3,
        name: "Keolis Corbel Metrolink Ltd".into(),
        postcode: Some("M8 0RY".into()),
        ..RegisterRecord::default()
    });
    let res = Resolver::default().with_registers(regs).resolve(&[
        NameInput::new("UNDERWATER DIVING SERVICES LTD").with_spend(Pence(1000)),
        NameInput::new("Keolis Corbel Metrolink").with_spend(Pence(500)),
        NameInput::new("Nobody In Particular"),
    ]);
    let e = res.entity_of(res.name("UNDERWATER DIVING SERVICES LTD").unwrap());
    let pc = e.facts.postcode.as_ref().unwrap();
    // The anchor's own register outranks the registered office.
    assert_eq!(pc.value, "LA14 2TB");
    assert_eq!(pc.register, RegisterKind::SupplierList);
    assert_eq!(pc.matched, MatchKind::ExactName);
    assert_eq!(e.facts.other_postcodes[0].value, "LA14 1AA");
    assert_eq!(e.facts.sic.as_ref().unwrap().value, "42990");
    assert_eq!(e.facts.status.as_ref().unwrap().value, "Active");
    assert_eq!(e.facts.sme, Sme::Yes);
    assert_eq!(e.facts.company_number.as_ref().unwrap().value, "02535986");
    assert_eq!(e.kind, Kind::Company);
    let k = res.entity_of(res.name("Keolis Corbel Metrolink").unwrap());
    assert_eq!(
        k.facts.postcode.as_ref().unwrap().matched,
        MatchKind::ExactName
    );
    let n = res.entity_of(res.name("Nobody In Particular").unwrap());
    assert!(n.facts.postcode.is_none());
    assert_eq!(n.facts.sme, Sme::Unknown);
}

#[test]
fn incremental_runs_keep_entities() {
    let first = Resolver::default().resolve(&names(&[
        "Ravensworth Resourcing Ltd",
        "RAVENSWORTH RESOURCING LIMITED",
        "Ravensworth Business Services Ltd",
    ]));
    let mut state = State::from_resolution(&first, None);
    // A person splits what the matcher joined, in the state itself.
    let id_res = first
        .entity_of(first.name("Ravensworth Resourcing Ltd").unwrap())
        .id
        .clone();
    let dir = std::env::temp_dir().join(format!("anchornet-resolve-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    state.entities.iter_mut().for_each(|e| e.confirmed = true);
    state.save(&path).unwrap();
    let state = State::load(&path).unwrap();
    let second = Resolver::default()
        .with_state(state.clone())
        .resolve(&names(&[
            "Ravensworth Resourcing Ltd.",
            "Ravensworth Business Services",
            "Seddon Construction Ltd",
        ]));
    // The new variant joins the earlier entity, which keeps its id.
    let e = second.entity_of(second.name("Ravensworth Resourcing Ltd.").unwrap());
    assert_eq!(e.id, id_res);
    assert!(e.known);
    assert!(e.members.len() >= 3);
    // Names known only from the state are kept, but are not inputs.
    assert!(!second.name("RAVENSWORTH RESOURCING LIMITED").unwrap().input);
    assert!(second.name("Seddon Construction Ltd").unwrap().input);
    // Earlier entities are never joined by evidence alone.
    assert!(!same(
        &second,
        "Ravensworth Resourcing Ltd.",
        "Ravensworth Business Services"
    ));
    let next = State::from_resolution(&second, Some(&state));
    assert!(next.entities.iter().any(|s| s.id == id_res && s.confirmed));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn earlier_entities_are_not_reshuffled() {
    use anchornet_resolve::StateEntity;
    // A person kept two look-alike names apart in an earlier run.
    let state = State {
        version: 1,
        entities: vec![
            StateEntity {
                id: "E1".into(),
                canonical_name: "Ferncastle Ltd".into(),
                confirmed: true,
                names: vec!["Ferncastle Ltd".into()],
                identifiers: Default::default(),
            },
            StateEntity {
                id: "E2".into(),
                canonical_name: "FERNCASTLE LIMITED".into(),
                confirmed: true,
                names: vec!["FERNCASTLE LIMITED".into()],
                identifiers: Default::default(),
            },
        ],
    };
    let res = Resolver::default()
        .with_state(state)
        .resolve(&names(&["ferncastle ltd", "Ferncastle Ltd"]));
    assert!(!same(&res, "Ferncastle Ltd", "FERNCASTLE LIMITED"));
    let e = res.entity_of(res.name("ferncastle ltd").unwrap());
    assert!(e.id == "E1" || e.id == "E2");
    // The refused join is offered for review.
    assert!(res.review.iter().any(|r| r.decision == "apart"));
}

#[test]
fn review_ranks_by_spend_at_stake() {
    let res = Resolver::default().resolve(&[
        NameInput::new("Barnet Mind").with_spend(Pence(1_000_000)),
        NameInput::new("BARNET MIND MHRE").with_spend(Pence(500_000)),
        NameInput::new("Fieldwork Exeter").with_spend(Pence(100)),
        NameInput::new("Fieldwork Exeter Enterprises").with_spend(Pence(50)),
    ]);
    assert!(!res.review.is_empty());
    let first = &res.review[0];
    assert!(
        first.a.contains("MIND") || first.a.contains("Mind"),
        "{:?}",
        res.review
    );
    assert_eq!(first.spend_at_stake, Pence(500_000), "{:?}", res.review);
    for w in res.review.windows(2) {
        assert!(w[0].spend_at_stake >= w[1].spend_at_stake);
    }
}
