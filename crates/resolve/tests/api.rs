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
        "Amey LG Ltd",
        "Amey TPT Ltd",
        "Kids Planet Day Nurseries Ltd",
        "Kids Planet Day Nur Ltd (Stretford)",
    ]));
    assert!(same(
        &res,
        "Schofield & Sons Ltd",
        "SCHOFIELD AND SONS LIMITED"
    ));
    assert!(same(&res, "Schofield & Sons Ltd", "Schofield and Sons"));
    assert!(!same(&res, "Amey LG Ltd", "Amey TPT Ltd"));
    assert!(same(
        &res,
        "Kids Planet Day Nurseries Ltd",
        "Kids Planet Day Nur Ltd (Stretford)"
    ));
    let e = res.entity_of(res.name("Schofield and Sons").unwrap());
    assert_eq!(e.kind, Kind::Company);
    assert_eq!(e.members.len(), 3);
}

#[test]
fn identifiers_are_strong_but_vat_groups_are_not_proof() {
    let mut a = NameInput::new("Keepmoat Regeneration Ltd");
    a.company_number = Some("01738371".into());
    let mut b = NameInput::new("Equans Regeneration Ltd");
    b.company_number = Some("1738371".into());
    // Same VAT group, different companies.
    let mut c = NameInput::new("Amey OW Ltd");
    c.vat_number = Some("GB 123456789".into());
    let mut d = NameInput::new("Amey Rail Ltd");
    d.vat_number = Some("123456789".into());
    // Different company numbers keep look-alike names apart.
    let mut e = NameInput::new("Acme Services Ltd");
    e.company_number = Some("01111111".into());
    let mut f = NameInput::new("ACME SERVICES LIMITED");
    f.company_number = Some("02222222".into());
    let res = Resolver::default().resolve(&[a, b, c, d, e, f]);
    assert!(same(
        &res,
        "Keepmoat Regeneration Ltd",
        "Equans Regeneration Ltd"
    ));
    assert!(!same(&res, "Amey OW Ltd", "Amey Rail Ltd"));
    assert!(!same(&res, "Acme Services Ltd", "ACME SERVICES LIMITED"));
    let k = res.entity_of(res.name("Equans Regeneration Ltd").unwrap());
    assert_eq!(k.identifiers.company_numbers, vec!["01738371".to_string()]);
    assert_eq!(
        res.name("Equans Regeneration Ltd")
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
    let mut a = NameInput::new("Sheffield Mind").with_anchor("sheffield");
    a.supplier_id = Some("556296".into());
    let mut b = NameInput::new("SHEFFIELD MIND MHRE").with_anchor("sheffield");
    b.supplier_id = Some("556296".into());
    let res = Resolver::default().resolve(&[a, b]);
    assert!(same(&res, "Sheffield Mind", "SHEFFIELD MIND MHRE"));
}

#[test]
fn overrides_apply_every_run() {
    let o = Overrides::parse(
        "action,name,value,note\n\
         must-link,Post Office Counters Ltd,Post Office Ltd,renamed 2001\n\
         cannot-link,Care In Mind Ltd,Care In Mind Residential,\n\
         rename,Post Office Ltd,Post Office Limited,\n\
         set-company-number,Care In Mind Ltd,05098767,\n\
         set-kind,Get Out More,cic,\n\
         must-link,Nobody,Post Office Ltd,\n",
    )
    .unwrap();
    let res = Resolver::default().with_overrides(o).resolve(&names(&[
        "Post Office Counters Ltd",
        "Post Office Ltd",
        "Care In Mind Ltd",
        "Care In Mind Residential",
        "Get Out More",
    ]));
    assert!(same(&res, "Post Office Counters Ltd", "Post Office Ltd"));
    assert!(!same(&res, "Care In Mind Ltd", "Care In Mind Residential"));
    let po = res.entity_of(res.name("Post Office Ltd").unwrap());
    assert_eq!(po.canonical_name, "Post Office Limited");
    let cim = res.entity_of(res.name("Care In Mind Ltd").unwrap());
    assert_eq!(
        cim.identifiers.company_numbers,
        vec!["05098767".to_string()]
    );
    assert_eq!(
        res.entity_of(res.name("Get Out More").unwrap()).kind,
        Kind::Cic
    );
    assert_eq!(res.override_issues.len(), 1);
    assert_eq!(res.override_issues[0].line, 7);
}

#[test]
fn kinds_with_evidence() {
    let res = Resolver::default().resolve(&names(&[
        "Bradford MDC",
        "City of Bradford Metropolitan District Council",
        "HMRC",
        "H M Revenue & Customs",
        "Get Out More CIC",
        "Leeds Teaching Hospitals NHS Trust",
        "MR J SMITH",
    ]));
    let k = |n: &str| res.entity_of(res.name(n).unwrap()).kind;
    assert_eq!(k("Bradford MDC"), Kind::PublicBody(PublicType::Council));
    assert!(same(
        &res,
        "Bradford MDC",
        "City of Bradford Metropolitan District Council"
    ));
    assert!(same(&res, "HMRC", "H M Revenue & Customs"));
    assert_eq!(k("HMRC"), Kind::PublicBody(PublicType::Hmrc));
    assert_eq!(k("Get Out More CIC"), Kind::Cic);
    assert_eq!(
        k("Leeds Teaching Hospitals NHS Trust"),
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
        name: "Keolis Amey Metrolink Ltd".into(),
        postcode: Some("M8 0RY".into()),
        ..RegisterRecord::default()
    });
    let res = Resolver::default().with_registers(regs).resolve(&[
        NameInput::new("UNDERWATER DIVING SERVICES LTD").with_spend(Pence(1000)),
        NameInput::new("Keolis Amey Metrolink").with_spend(Pence(500)),
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
    let k = res.entity_of(res.name("Keolis Amey Metrolink").unwrap());
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
        "Capita Resourcing Ltd",
        "CAPITA RESOURCING LIMITED",
        "Capita Business Services Ltd",
    ]));
    let mut state = State::from_resolution(&first, None);
    // A person splits what the matcher joined, in the state itself.
    let id_res = first
        .entity_of(first.name("Capita Resourcing Ltd").unwrap())
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
            "Capita Resourcing Ltd.",
            "Capita Business Services",
            "Seddon Construction Ltd",
        ]));
    // The new variant joins the earlier entity, which keeps its id.
    let e = second.entity_of(second.name("Capita Resourcing Ltd.").unwrap());
    assert_eq!(e.id, id_res);
    assert!(e.known);
    assert!(e.members.len() >= 3);
    // Names known only from the state are kept, but are not inputs.
    assert!(!second.name("CAPITA RESOURCING LIMITED").unwrap().input);
    assert!(second.name("Seddon Construction Ltd").unwrap().input);
    // Earlier entities are never joined by evidence alone.
    assert!(!same(
        &second,
        "Capita Resourcing Ltd.",
        "Capita Business Services"
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
                canonical_name: "Post Office Ltd".into(),
                confirmed: true,
                names: vec!["Post Office Ltd".into()],
                identifiers: Default::default(),
            },
            StateEntity {
                id: "E2".into(),
                canonical_name: "POST OFFICE LIMITED".into(),
                confirmed: true,
                names: vec!["POST OFFICE LIMITED".into()],
                identifiers: Default::default(),
            },
        ],
    };
    let res = Resolver::default()
        .with_state(state)
        .resolve(&names(&["post office ltd", "Post Office Ltd"]));
    assert!(!same(&res, "Post Office Ltd", "POST OFFICE LIMITED"));
    let e = res.entity_of(res.name("post office ltd").unwrap());
    assert!(e.id == "E1" || e.id == "E2");
    // The refused join is offered for review.
    assert!(res.review.iter().any(|r| r.decision == "apart"));
}

#[test]
fn review_ranks_by_spend_at_stake() {
    let res = Resolver::default().resolve(&[
        NameInput::new("Sheffield Mind").with_spend(Pence(1_000_000)),
        NameInput::new("SHEFFIELD MIND MHRE").with_spend(Pence(500_000)),
        NameInput::new("Groundwork Leeds").with_spend(Pence(100)),
        NameInput::new("Groundwork Leeds Enterprises").with_spend(Pence(50)),
    ]);
    assert!(!res.review.is_empty());
    let first = &res.review[0];
    assert!(
        first.a.contains("MIND") || first.a.contains("Mind"),
        "{:?}",
        res.review
    );
    assert_eq!(first.spend_at_stake, Pence(500_000));
    for w in res.review.windows(2) {
        assert!(w[0].spend_at_stake >= w[1].spend_at_stake);
    }
}
