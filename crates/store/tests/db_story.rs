//! One story of a workspace's life, told to both backends: SQLite always, PostgreSQL at
//! `ANCHORNET_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`) in a fresh
//! schema. With `ANCHORNET_REQUIRE_POSTGRES=1` an unreachable PostgreSQL fails the test.
//! The data is real: Salford City Council's published payments for July 2021 and its
//! contracts register (data/demo, Open Government Licence v3.0).

mod common;

use anchornet_store::{
    password, read, Imported, NewAnswer, Override, PlanChangeKind, Role, Store, StoreError,
    Username,
};

fn demo(path: &str) -> Vec<u8> {
    let p = format!("{}/../../data/demo/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

async fn story(store: &dyn Store) {
    // Anchors: names are unique.
    let salford = store
        .add_anchor("Salford City Council", "council")
        .await
        .unwrap();
    let trafford = store
        .add_anchor("Trafford Council", "council")
        .await
        .unwrap();
    assert!(matches!(
        store.add_anchor("Salford City Council", "council").await,
        Err(StoreError::Exists(_))
    ));
    assert_eq!(
        store.anchors().await.unwrap(),
        vec![salford.clone(), trafford.clone()]
    );

    // Users: a hashed password, one role each; names are unique.
    let hash = password::hash("a long enough secret").unwrap();
    let ann = Username::parse("ann").unwrap();
    let admin = store.add_user(&ann, &hash, Role::Admin).await.unwrap();
    let bob = store
        .add_user(
            &Username::parse("bob").unwrap(),
            &hash,
            Role::Member(salford.id),
        )
        .await
        .unwrap();
    assert!(matches!(
        store.add_user(&ann, &hash, Role::Viewer).await,
        Err(StoreError::Exists(_))
    ));
    assert!(matches!(
        store
            .add_user(&Username::parse("eve").unwrap(), &hash, Role::Member(9999))
            .await,
        Err(StoreError::NotFound(_))
    ));
    let (u, h) = store.user_login(&ann).await.unwrap().unwrap();
    assert_eq!(u, admin);
    assert!(password::verify("a long enough secret", &h));

    // Sessions: found while live, gone when expired, ended by a role change.
    let now = anchornet_store::now();
    store
        .create_session("tok-bob", bob.id, "csrf-1", now + 60)
        .await
        .unwrap();
    let s = store.session("tok-bob", now).await.unwrap().unwrap();
    assert_eq!(
        (s.user.role, s.csrf.as_str()),
        (Role::Member(salford.id), "csrf-1")
    );
    assert!(store.session("tok-bob", now + 61).await.unwrap().is_none());
    store
        .set_role(bob.id, Role::Member(trafford.id))
        .await
        .unwrap();
    assert!(store.session("tok-bob", now).await.unwrap().is_none());
    assert_eq!(
        store.users().await.unwrap()[1].role,
        Role::Member(trafford.id)
    );

    // Import a real payment file: every accepted row is stored, exactly.
    let limits = anchornet_ingest::Limits::default();
    let fp0 = store.fingerprint().await.unwrap();
    let bytes = demo("spend/salford/2021-07.csv.xz");
    let nb = read::read(&salford, "2021-07.csv.xz", bytes.clone(), "ann", &limits).unwrap();
    assert_eq!(nb.payments.len(), 1974, "the file's accepted rows (README)");
    let batch = match store.import_batch(&nb, &|_, _| {}).await.unwrap() {
        Imported::Created(b) => b,
        other => panic!("{other:?}"),
    };
    assert_eq!((batch.accepted, batch.kind.as_str()), (1974, "payments"));
    assert_eq!(batch.total_pence, 3_742_738_249);
    let live = store.live_payments().await.unwrap();
    assert_eq!(live.len(), 1974);
    assert!(live.iter().all(|(a, _)| *a == salford.id));
    let back: Vec<_> = live.into_iter().map(|(_, p)| p).collect();
    assert_eq!(back, nb.payments, "payments read back field for field");

    // The same bytes again are recognised, and add nothing.
    let again = store.import_batch(&nb, &|_, _| {}).await.unwrap();
    assert_eq!(again, Imported::AlreadyImported(batch.clone()));
    assert_eq!(
        store.payment_counts().await.unwrap(),
        vec![(salford.id, 1974)]
    );
    let fp1 = store.fingerprint().await.unwrap();
    assert_ne!(fp0, fp1, "an import changes the fingerprint");

    // All or nothing: a batch whose 1,000th row cannot be stored leaves no row behind.
    let mut broken = read::read(
        &trafford,
        "broken.csv",
        demo("spend/salford/2021-08.csv.xz"),
        "ann",
        &limits,
    )
    .unwrap();
    assert!(broken.payments.len() > 1000);
    broken.payments[999].line = u64::MAX; // violates CHECK (line >= 0) after two chunks went in
    assert!(store.import_batch(&broken, &|_, _| {}).await.is_err());
    assert!(store
        .batch_by_sha256(trafford.id, &broken.sha256)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        store.payment_counts().await.unwrap(),
        vec![(salford.id, 1974)]
    );
    assert_eq!(store.batches(None).await.unwrap().len(), 1);
    assert_eq!(
        store.fingerprint().await.unwrap(),
        fp1,
        "a failed import changes nothing"
    );

    // Supplier-side records: Salford's contracts register.
    let reg = read::read(
        &salford,
        "salford_contracts_register_2022.csv.xz",
        demo("registers/salford_contracts_register_2022.csv.xz"),
        "ann",
        &limits,
    )
    .unwrap();
    let rb = store
        .import_batch(&reg, &|_, _| {})
        .await
        .unwrap()
        .batch()
        .clone();
    assert_eq!(rb.kind, "suppliers");
    let recs = store.live_supplier_records().await.unwrap();
    assert_eq!(recs.len() as i64, rb.accepted);
    assert_eq!(
        recs.iter().map(|r| r.record.clone()).collect::<Vec<_>>(),
        reg.suppliers
    );

    // Issues are kept with their batch; progress reaches the total.
    let harmonised = read::read(
        &salford,
        "harmonised-2021-04-to-06.csv.xz",
        demo("spend/salford/harmonised-2021-04-to-06.csv.xz"),
        "ann",
        &limits,
    )
    .unwrap();
    let seen = std::sync::Mutex::new((0u64, 0u64));
    let hb = store
        .import_batch(&harmonised, &|d, t| *seen.lock().unwrap() = (d, t))
        .await
        .unwrap()
        .batch()
        .clone();
    let n = harmonised.payments.len() as u64;
    assert_eq!(*seen.lock().unwrap(), (n, n));
    let issues = store.batch_issues(hb.id, 1_000_000, 0).await.unwrap();
    assert_eq!(issues, harmonised.issues);
    assert_eq!(hb.reports, harmonised.reports);
    assert_eq!(hb.rows_read, hb.accepted + hb.skipped + hb.rejected);

    // Withdraw: rows leave, the report and issues stay; the file can then come back.
    assert!(store.withdraw_batch(hb.id, "ann").await.unwrap());
    let fp2 = store.fingerprint().await.unwrap();
    assert!(!store.withdraw_batch(hb.id, "ann").await.unwrap());
    assert_ne!(fp2, fp1);
    assert_eq!(
        store.payment_counts().await.unwrap(),
        vec![(salford.id, 1974)]
    );
    let w = store.batch(hb.id).await.unwrap().unwrap();
    assert_eq!(w.withdrawn_by.as_deref(), Some("ann"));
    assert_eq!(
        store.batch_issues(hb.id, 1_000_000, 0).await.unwrap().len(),
        issues.len()
    );
    let back = store.import_batch(&harmonised, &|_, _| {}).await.unwrap();
    assert!(
        matches!(&back, Imported::Created(b) if b.id != hb.id),
        "{back:?}"
    );

    // Duplicates are per anchor: Salford's bytes uploaded for Trafford are Trafford's own
    // batch — not Salford's batch id (which would disclose it), and not dropped.
    let copy = read::read(&trafford, "2021-07.csv.xz", bytes.clone(), "ann", &limits).unwrap();
    assert_eq!(copy.sha256, nb.sha256);
    let theirs = store.import_batch(&copy, &|_, _| {}).await.unwrap();
    let Imported::Created(tb) = &theirs else {
        panic!("another anchor's copy was not imported: {theirs:?}");
    };
    assert_ne!(tb.id, batch.id);
    assert_eq!((tb.anchor_id, tb.accepted), (trafford.id, 1974));
    assert_eq!(
        store
            .batch_by_sha256(trafford.id, &nb.sha256)
            .await
            .unwrap()
            .map(|b| b.id),
        Some(tb.id)
    );
    assert_eq!(
        store
            .batch_by_sha256(salford.id, &nb.sha256)
            .await
            .unwrap()
            .map(|b| b.id),
        Some(batch.id)
    );
    assert!(store.withdraw_batch(tb.id, "ann").await.unwrap());

    // Review decisions: one per subject, replaced by a later one.
    let o = Override {
        kind: "location".into(),
        subject: "abc123".into(),
        decision: "reject".into(),
        note: "registered office only".into(),
        decided_by: "ann".into(),
        decided_at: 1,
        entity: "Acme Cleaning Ltd".into(),
        value: String::new(),
    };
    store.set_override(&o).await.unwrap();
    store
        .set_override(&Override {
            decision: "confirm".into(),
            decided_at: 2,
            ..o.clone()
        })
        .await
        .unwrap();
    let fp3 = store.fingerprint().await.unwrap();
    assert_ne!(fp3, fp2, "a decision changes the fingerprint");
    let all = store.overrides().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].decision, "confirm");
    assert_eq!(
        all[0].entity, "Acme Cleaning Ltd",
        "the judged supplier is kept"
    );
    assert!(store
        .set_override(&Override {
            kind: "colour".into(),
            ..o.clone()
        })
        .await
        .is_err());
    // A worklist action keeps its value, beside the review answer about the same supplier.
    store
        .set_override(&Override {
            kind: "set-postcode".into(),
            decision: "set".into(),
            value: "M5 4BD".into(),
            decided_at: 3,
            ..o.clone()
        })
        .await
        .unwrap();
    let all = store.overrides().await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        (all[1].kind.as_str(), all[1].value.as_str()),
        ("set-postcode", "M5 4BD")
    );
    assert!(store
        .set_override(&Override {
            kind: "set postcode; drop".into(),
            decision: "set".into(),
            ..o
        })
        .await
        .is_err());

    // The persisted register: replaced whole, read back in order, typed spend.
    let row = |name: &str, pence: &str| {
        let mut r = vec![String::new(); anchornet_store::REGISTER_COLUMNS.len()];
        r[2] = name.to_string();
        r[5] = pence.to_string();
        r
    };
    store
        .replace_register(&[row("A Ltd", "100"), row("B Ltd", "-5")], 10)
        .await
        .unwrap();
    store
        .replace_register(&[row("C Ltd", "7"), row("A Ltd", "100")], 11)
        .await
        .unwrap();
    assert_eq!(
        store.register().await.unwrap(),
        vec![row("C Ltd", "7"), row("A Ltd", "100")]
    );
    assert!(store
        .replace_register(&[vec!["short".into()]], 12)
        .await
        .is_err());
    assert_eq!(
        store.register().await.unwrap().len(),
        2,
        "a bad register changes nothing"
    );

    // Accounts: disabled (sessions end), reset (a change is then required), deleted.
    store
        .create_session("tok-ann", admin.id, "csrf-2", now + 60)
        .await
        .unwrap();
    assert_eq!(
        store.account_status(admin.id).await.unwrap(),
        (false, false)
    );
    store.set_disabled(admin.id, true).await.unwrap();
    assert_eq!(store.account_status(admin.id).await.unwrap(), (true, false));
    assert!(store.session("tok-ann", now).await.unwrap().is_none());
    store.set_disabled(admin.id, false).await.unwrap();
    store.reset_password(admin.id, &hash).await.unwrap();
    assert_eq!(store.account_status(admin.id).await.unwrap(), (false, true));
    store.set_password(admin.id, &hash).await.unwrap();
    assert_eq!(
        store.account_status(admin.id).await.unwrap(),
        (false, false)
    );
    let eve = store
        .add_user(&Username::parse("eve").unwrap(), &hash, Role::Viewer)
        .await
        .unwrap();
    store.delete_user(eve.id).await.unwrap();
    assert!(store
        .user_login(&Username::parse("eve").unwrap())
        .await
        .unwrap()
        .is_none());
    assert!(matches!(
        store.delete_user(eve.id).await,
        Err(StoreError::NotFound(_))
    ));

    // Asset status decisions: a vacant asset (the register makes it a candidate) moved on,
    // with its history; a move the workflow refuses stores nothing.
    use anchornet_core::AssetStatus as A;
    let decide = |asset: &str, status: A, from_register: Option<A>, note: &str| {
        anchornet_store::NewAssetDecision {
            asset: asset.into(),
            status,
            from_register,
            decided_by: "ann".into(),
            note: note.into(),
        }
    };
    let d1 = store
        .add_asset_decision(&decide(
            "TMBC0004",
            A::InDiscussion,
            Some(A::Candidate),
            "viewing",
        ))
        .await
        .unwrap();
    assert_eq!((d1.seq, d1.status), (1, A::InDiscussion));
    let e = store
        .add_asset_decision(&decide(
            "TMBC0004",
            A::InDiscussion,
            Some(A::Candidate),
            "again",
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(m) if m.contains("already in-discussion")),
        "{e}"
    );
    let e = store
        .add_asset_decision(&decide("TMBC0005", A::Candidate, Some(A::Candidate), ""))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e}");
    assert!(store
        .add_asset_decision(&decide(" ", A::Agreed, None, ""))
        .await
        .is_err());
    store
        .add_asset_decision(&decide("TMBC0004", A::Agreed, Some(A::Candidate), "lease"))
        .await
        .unwrap();
    store
        .add_asset_decision(&decide(
            "UPRN 100012345",
            A::NotSuitable,
            None,
            "flood plain",
        ))
        .await
        .unwrap();
    let all = store.asset_decisions().await.unwrap();
    let got: Vec<(&str, i64, A, &str)> = all
        .iter()
        .map(|d| (d.asset.as_str(), d.seq, d.status, d.note.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("TMBC0004", 1, A::InDiscussion, "viewing"),
            ("TMBC0004", 2, A::Agreed, "lease"),
            ("UPRN 100012345", 1, A::NotSuitable, "flood plain"),
        ]
    );
    assert!(all.iter().all(|d| d.decided_by == "ann"));

    // The audit log saw the imports, the withdrawal and the decisions, newest first.
    store
        .audit("ann", "export", "payments of Salford City Council")
        .await
        .unwrap();
    let log = store.audit_log(100).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "export",
            "asset-status",
            "asset-status",
            "asset-status",
            "review",
            "review",
            "review",
            "withdraw",
            "import",
            "import",
            "withdraw",
            "import",
            "import",
            "import"
        ]
    );

    // Self-assessment answers: saved all or none, replaced per anchor, year and question,
    // an unchanged answer changes nothing; each change logged and audited.
    let fy = |s: &str| s.parse::<anchornet_core::FinancialYear>().unwrap();
    let answer = |q: &str, level: u8, evidence: &str| NewAnswer {
        anchor_id: salford.id,
        anchor: salford.name.clone(),
        year: fy("2025/26"),
        question: q.into(),
        level,
        evidence: evidence.into(),
    };
    let two = [
        answer("procurement", 3, "strategy 2025"),
        answer("land", 1, "no register"),
    ];
    assert_eq!(store.save_answers(&two, "ann", "form").await.unwrap(), 2);
    assert_eq!(store.save_answers(&two, "ann", "form").await.unwrap(), 0);
    // A level of 5 anywhere in the batch: refused whole, the good answer not stored either.
    let bad = [answer("finance", 2, "review"), answer("ownership", 5, "x")];
    assert!(matches!(
        store.save_answers(&bad, "ann", "form").await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store
            .save_answers(&[answer("finance", 2, " ")], "ann", "form")
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(
        store
            .save_answers(
                &[answer("procurement", 4, "pipeline published")],
                "bob",
                "upload a.csv"
            )
            .await
            .unwrap(),
        1
    );
    let stored = store.answers().await.unwrap();
    let got: Vec<(&str, u8, &str, &str)> = stored
        .iter()
        .map(|a| {
            (
                a.question.as_str(),
                a.level,
                a.evidence.as_str(),
                a.answered_by.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("land", 1, "no register", "ann"),
            ("procurement", 4, "pipeline published", "bob")
        ]
    );
    assert!(stored
        .iter()
        .all(|a| a.year == fy("2025/26") && a.anchor_id == salford.id));
    let log = store.audit_log(2).await.unwrap();
    assert_eq!(log[0].action, "assessment");
    assert_eq!(
        log[0].detail,
        "upload a.csv: 1 answers: Salford City Council 2025/26 procurement 3→4"
    );

    // The plan's change log: action changes appended only after the step they were seen at.
    let step = |a: &str, f: &str, from: &str, to: &str| {
        (
            a.to_string(),
            f.to_string(),
            from.to_string(),
            to.to_string(),
        )
    };
    assert!(store
        .add_plan_changes(
            0,
            &[
                step("P1", "action", "", "added"),
                step("P1", "status", "", "at risk")
            ],
            100,
            "data"
        )
        .await
        .unwrap());
    // A writer that read the log before those two: refused, nothing written.
    assert!(!store
        .add_plan_changes(0, &[step("P1", "status", "", "on track")], 101, "view")
        .await
        .unwrap());
    assert!(store
        .add_plan_changes(
            2,
            &[step("P1", "status", "at risk", "off track")],
            102,
            "data"
        )
        .await
        .unwrap());
    let changes = store.plan_changes().await.unwrap();
    let got: Vec<(PlanChangeKind, &str, &str, &str, &str)> = changes
        .iter()
        .map(|c| {
            (
                c.kind,
                c.action.as_str(),
                c.field.as_str(),
                c.from.as_str(),
                c.to.as_str(),
            )
        })
        .collect();
    use PlanChangeKind::{Action, Assessment};
    assert_eq!(
        got,
        [
            (
                Assessment,
                "assessment:Salford City Council",
                "2025/26 procurement",
                "",
                "3"
            ),
            (
                Assessment,
                "assessment:Salford City Council",
                "2025/26 procurement evidence",
                "",
                "strategy 2025"
            ),
            (
                Assessment,
                "assessment:Salford City Council",
                "2025/26 land",
                "",
                "1"
            ),
            (
                Assessment,
                "assessment:Salford City Council",
                "2025/26 land evidence",
                "",
                "no register"
            ),
            (
                Assessment,
                "assessment:Salford City Council",
                "2025/26 procurement",
                "3",
                "4"
            ),
            (
                Assessment,
                "assessment:Salford City Council",
                "2025/26 procurement evidence",
                "strategy 2025",
                "pipeline published"
            ),
            (Action, "P1", "action", "", "added"),
            (Action, "P1", "status", "", "at risk"),
            (Action, "P1", "status", "at risk", "off track"),
        ]
    );
    assert_eq!(changes.last().unwrap().cause, "data");
}

#[tokio::test]
async fn story_on_sqlite() {
    let dir = common::tempdir();
    let store = anchornet_store::open(&format!("sqlite://{}/ws.db", dir.display()))
        .await
        .unwrap();
    story(store.as_ref()).await;
    // WAL: readers never wait for an import.
    let sqlite = anchornet_store::sqlite::SqliteStore::open(&dir.join("ws.db"))
        .await
        .unwrap();
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(sqlite.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    store.health().await.unwrap();
    // The database and its WAL are the owner's only.
    #[cfg(unix)]
    for f in ["ws.db", "ws.db-wal"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(f)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{f}: {mode:o}");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn story_on_postgres() {
    let Some((url, schema)) = common::postgres().await else {
        return;
    };
    let store = anchornet_store::postgres::PgStore::open_in_schema(&url, Some(&schema))
        .await
        .unwrap();
    story(&store).await;
    store.health().await.unwrap();
    anchornet_store::postgres::PgStore::drop_schema(&url, &schema)
        .await
        .unwrap();
}

/// A write that reads first waits for another connection's write lock instead of failing
/// with `database is locked` (CI once saw this: a dropped transaction's rollback had not run
/// yet when the next decision was recorded). Here another connection holds the lock for a
/// moment; the decision must wait for it through the busy timeout and then be recorded.
#[tokio::test]
async fn sqlite_write_waits_for_another_writer() {
    let dir = common::tempdir();
    let store = anchornet_store::sqlite::SqliteStore::open(&dir.join("ws.db"))
        .await
        .unwrap();
    let mut other = store.pool().acquire().await.unwrap();
    sqlx::raw_sql("BEGIN IMMEDIATE; INSERT INTO audit_log (at, actor, action, detail) VALUES (0, 'x', 'hold', '')")
        .execute(&mut *other)
        .await
        .unwrap();
    let release = async move {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        sqlx::raw_sql("COMMIT").execute(&mut *other).await.unwrap();
    };
    let decision = anchornet_store::NewAssetDecision {
        asset: "A1".into(),
        status: anchornet_core::AssetStatus::InDiscussion,
        from_register: Some(anchornet_core::AssetStatus::Candidate),
        decided_by: "ann".into(),
        note: String::new(),
    };
    let decide = anchornet_store::Store::add_asset_decision(&store, &decision);
    let (d, ()) = tokio::join!(decide, release);
    let d = d.expect("the decision waits for the other writer");
    assert_eq!(d.seq, 1);
    std::fs::remove_dir_all(dir).ok();
}
