//! The real app on port 0, on SQLite and on PostgreSQL: sign-in and its limits, cookies,
//! CSRF, imports (atomic, idempotent, withdrawable) changing the overview, the twins, the
//! error envelope, and the OpenAPI file covering every JSON route.

mod common;

use common::{set_cookie_header, Db, TestApp, PASSWORD};

fn payments(overview_json: &serde_json::Value) -> i64 {
    overview_json["tables"][0]["rows"][0]["payments"]
        .as_i64()
        .unwrap()
}

async fn story(db: Db) {
    let app = TestApp::spawn(db, true).await;

    // Signed out: pages redirect to sign-in, twins answer the envelope, the public view is open.
    let r = app.get(None, "/overview").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.headers["location"], "/login?next=/overview");
    let r = app.get(None, "/overview.json").await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"]["code"], "unauthorized");
    assert_eq!(app.get(None, "/public").await.status, 200);
    assert_eq!(app.get(None, "/healthz").await.body, "ok");
    let r = app.get(None, "/no/such/page.json").await;
    assert_eq!(
        (r.status, r.json()["error"]["status"].as_i64()),
        (404, Some(404))
    );

    // Security headers and cookie flags.
    assert!(r.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    let login = app.get(None, "/login").await;
    let c = set_cookie_header(&login.headers, "anchornet_login").unwrap();
    for flag in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(c.contains(flag), "{c}");
    }

    // Sign-in: a wrong password fails; the form's token must match its cookie.
    let bad = app
        .try_login("salford", "not the password")
        .await
        .unwrap_err();
    assert_eq!(bad.status, 401);
    assert!(bad.body.contains("do not match"));
    let r = app
        .post_form(
            None,
            "/login",
            &[
                ("csrf", "forged"),
                ("username", "admin"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, 403, "a sign-in without the pre-session token");

    let admin = app.login("admin").await;
    let me = app.get(Some(&admin), "/me.json").await.json();
    assert_eq!(me["role"], "admin");

    // The overview counts the imported payments: Salford's 1,974 and Manchester's July 2021.
    let before = app.get(Some(&admin), "/overview.json").await.json();
    let live: i64 = app
        .store
        .payment_counts()
        .await
        .unwrap()
        .iter()
        .map(|c| c.1)
        .sum();
    assert_eq!(payments(&before), live);
    assert!(live > 1974 + 3000, "{live}");

    // CSRF: a form without the session's token changes nothing.
    let r = app
        .post_form(
            Some(&admin),
            "/admin/anchors",
            &[
                ("csrf", "nope"),
                ("name", "Trafford Council"),
                ("kind", "council"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(app.store.anchors().await.unwrap().len(), 2);
    let r = app
        .post_form(
            Some(&admin),
            "/admin/anchors",
            &[
                ("csrf", &admin.csrf),
                ("name", "Trafford Council"),
                ("kind", "council"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let trafford = app.store.anchors().await.unwrap()[2].clone();
    assert_eq!(trafford.name, "Trafford Council");

    // Import through the API: a new batch; the overview changes by exactly its rows.
    let bytes = std::fs::read(common::demo("spend/salford/2021-08.csv.xz")).unwrap();
    let job = app
        .import(&admin, app.salford.id, "2021-08.csv.xz", bytes.clone())
        .await;
    assert_eq!(job["stage"], "done", "{job}");
    assert_eq!(job["already_imported"], false);
    let batch_id = job["batch_id"].as_i64().unwrap();
    let batch = app.store.batch(batch_id).await.unwrap().unwrap();
    assert!(batch.accepted > 1000);
    let after = app.get(Some(&admin), "/overview.json").await.json();
    assert_eq!(payments(&after), payments(&before) + batch.accepted);

    // The same file again is recognised; nothing changes.
    let again = app
        .import(&admin, app.salford.id, "copy-of-2021-08.csv", bytes.clone())
        .await;
    assert_eq!(
        (
            again["already_imported"].as_bool(),
            again["batch_id"].as_i64()
        ),
        (Some(true), Some(batch_id))
    );
    assert_eq!(
        payments(&app.get(Some(&admin), "/overview.json").await.json()),
        payments(&after)
    );

    // Its report: reconciliation and issues, with twins.
    let rep = app
        .get(Some(&admin), &format!("/imports/{batch_id}.json"))
        .await
        .json();
    assert_eq!(rep["batch"]["accepted"].as_i64(), Some(batch.accepted));
    let files = rep["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "files")
        .unwrap();
    assert_eq!(files["rows"][0]["reconciles"], "yes");
    let csv = app
        .get(Some(&admin), &format!("/imports/{batch_id}.csv"))
        .await;
    assert!(
        csv.body
            .starts_with("file,line,column,value,problem,outcome"),
        "{}",
        &csv.body[..100]
    );

    // Withdraw: the overview goes back; the report stays; the file may come back.
    let r = app
        .post_form(
            Some(&admin),
            &format!("/imports/{batch_id}/withdraw"),
            &[("csrf", &admin.csrf)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        payments(&app.get(Some(&admin), "/overview.json").await.json()),
        payments(&before)
    );
    let rep = app
        .get(Some(&admin), &format!("/imports/{batch_id}.json"))
        .await
        .json();
    assert!(rep["batch"]["withdrawn_at"].is_i64());
    let back = app
        .import(&admin, app.salford.id, "2021-08.csv.xz", bytes)
        .await;
    assert_eq!(back["already_imported"], false);

    // A batch stored by another process (the CLI, another web node) is in the next page.
    let other = app.store.batches(None).await.unwrap().len();
    let before = payments(&app.get(Some(&admin), "/overview.json").await.json());
    let p = common::renamed(
        &app.dir,
        "spend/manchester/2021-08.csv.xz",
        "manchester-2021-08.csv.xz",
    );
    let limits = app.state.cfg.limits;
    let r =
        anchornet_web::import::import_file(app.store.as_ref(), &app.manchester, &p, "cli", &limits)
            .await
            .unwrap();
    assert_eq!(app.store.batches(None).await.unwrap().len(), other + 1);
    assert_eq!(
        payments(&app.get(Some(&admin), "/overview.json").await.json()),
        before + r.batch().accepted,
        "the page was served from the analysis before the batch"
    );

    // An upload through the page's form (multipart), as a member for their own anchor.
    let member = app.login("salford").await;
    let file = std::fs::read(common::demo("spend/salford/2021-09.csv.xz")).unwrap();
    let boundary = "XyZb0undary";
    let mut body = Vec::new();
    for (k, v) in [
        ("csrf", member.csrf.as_str()),
        ("anchor", &app.salford.id.to_string()),
    ] {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"2021-09.csv.xz\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend(&file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = app
        .http
        .post(format!("{}/imports", app.base))
        .header("cookie", &member.cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let job_url = r.headers()["location"].to_str().unwrap().to_string();
    let mut job = serde_json::Value::Null;
    for _ in 0..600 {
        job = app
            .get(Some(&member), &format!("{job_url}.json"))
            .await
            .json()["job"]
            .clone();
        if job["stage"] == "done" || job["stage"] == "failed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(job["stage"], "done", "{job}");
    // …but not for another anchor.
    let r = app
        .post_bytes(
            &member,
            &format!("/api/imports?anchor={}&name=x.csv", app.manchester.id),
            b"a,b\n".to_vec(),
        )
        .await;
    assert_eq!(r.status, 403);

    // Roles: a viewer sees aggregates but no payments and no imports.
    let viewer = app.login("viewer").await;
    assert_eq!(app.get(Some(&viewer), "/overview.json").await.status, 200);
    assert_eq!(
        app.get(
            Some(&viewer),
            &format!("/anchors/{}/payments.json", app.salford.id)
        )
        .await
        .status,
        403
    );
    assert_eq!(app.get(Some(&viewer), "/imports").await.status, 403);
    assert_eq!(app.get(Some(&viewer), "/review.json").await.status, 403);

    // A role change ends the user's sessions at once.
    let users = app.get(Some(&admin), "/admin/users.json").await.json();
    let vid = users["tables"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "viewer")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = app
        .post_form(
            Some(&admin),
            &format!("/admin/users/{vid}/role"),
            &[
                ("csrf", &admin.csrf),
                ("role", "member"),
                ("anchor", &app.manchester.id.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(app.get(Some(&viewer), "/overview.json").await.status, 401);

    // The audit log has the imports, the withdrawal, the export and the permission changes.
    let log = app.get(Some(&admin), "/admin/audit.json").await.json();
    let actions: Vec<&str> = log["tables"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    for a in ["import", "withdraw", "anchor.add", "user.role", "export"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }

    // Sign-in is rate-limited: after five failures even the right password is refused.
    for _ in 0..5 {
        assert_eq!(
            app.try_login("admin", "wrong password!")
                .await
                .unwrap_err()
                .status,
            401
        );
    }
    let r = app.try_login("admin", PASSWORD).await.unwrap_err();
    assert_eq!(r.status, 429, "{}", r.body);

    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_story_on_every_backend() {
    for db in common::backends().await {
        story(db).await;
    }
}

/// Every table page's CSV twin has the columns its JSON twin lists, and every JSON route is
/// described in docs/openapi.yaml.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twins_agree_and_openapi_covers_every_json_route() {
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/openapi.yaml"
    ))
    .unwrap();
    let mut missing = Vec::new();
    for r in anchornet_web::router::routes() {
        let json_paths: Vec<String> = if r.twins {
            vec![format!("{}.json", r.path)]
        } else if r.path.starts_with("/api/") {
            vec![r.path.to_string()]
        } else {
            vec![]
        };
        for p in json_paths {
            let key = format!("\n  {p}:");
            let block = spec.find(&key).map(|i| &spec[i + key.len()..]);
            let method = r.method.to_lowercase();
            let documented = block.is_some_and(|b| {
                let end = b.find("\n  /").unwrap_or(b.len());
                b[..end].contains(&format!("\n    {method}:"))
            });
            if !documented {
                missing.push(format!("{} {p}", r.method));
            }
        }
    }
    assert!(missing.is_empty(), "not in docs/openapi.yaml: {missing:?}");

    let app = TestApp::spawn(Db::Sqlite, false).await;
    let admin = app.login("admin").await;
    let mut checked = 0;
    for r in anchornet_web::router::routes() {
        if !r.twins || r.path.contains('{') || r.method != "GET" {
            continue;
        }
        let j = app.get(Some(&admin), &format!("{}.json", r.path)).await;
        assert_eq!(j.status, 200, "{}: {}", r.path, j.body);
        assert_eq!(j.headers["content-type"], "application/json");
        let t = &j.json()["tables"][0];
        let c = app.get(Some(&admin), &format!("{}.csv", r.path)).await;
        assert_eq!(c.status, 200);
        assert!(c.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let header: Vec<String> = t["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            c.body.lines().next().unwrap_or(""),
            header.join(","),
            "{}",
            r.path
        );
        assert_eq!(
            c.body.lines().count() - 1,
            t["rows"].as_array().unwrap().len(),
            "{}",
            r.path
        );
        checked += 1;
    }
    assert!(checked >= 10, "{checked}");
    app.cleanup().await;
}

/// Review decisions go into the overrides and change the analysis: a rejected location
/// makes its supplier not located (the overview's located spend falls by exactly its spend),
/// a rejected link keeps the two names apart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_decisions_change_the_analysis() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let admin = app.login("admin").await;
    let queue = app.get(Some(&admin), "/review.json").await.json();
    let items = queue["tables"][0]["rows"].as_array().unwrap().clone();
    let first = |kind: &str| {
        items
            .iter()
            .find(|i| i["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} item in {}", items.len()))
            .clone()
    };

    // Location: reject it.
    let loc = first("location");
    let subject = loc["subject"].as_str().unwrap().to_string();
    let snap = app.state.snap();
    let s = snap.prepared.register.find(&subject).unwrap();
    let key = snap.suppliers[s].key.clone();
    let pence = snap.suppliers[s].influenceable;
    assert!(snap.prepared.dataset.suppliers[s].location.is_some());
    let known_before = snap.all_years[0].1.local.known;
    let r = app
        .post_form(
            Some(&admin),
            "/review",
            &[
                ("csrf", &admin.csrf),
                ("kind", "location"),
                ("subject", &subject),
                ("entity", &subject),
                ("decision", "reject"),
                ("note", "registered office"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = app
        .get(Some(&admin), &format!("/suppliers/{key}.json"))
        .await
        .json();
    assert!(page["location"].is_null(), "{}", page["location"]);
    assert!(page["tables"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["evidence"]
            .as_str()
            .unwrap()
            .contains("rejected in review by admin (registered office)")));
    let snap = app.state.snap();
    assert_eq!(snap.all_years[0].1.local.known, known_before - pence);
    // Decided items leave the queue; the decision is listed and audited.
    let queue = app.get(Some(&admin), "/review.json").await.json();
    assert!(!queue["tables"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["subject"] == subject.as_str()));
    assert_eq!(queue["tables"][1]["rows"][0]["decision"], "reject");
    let log = app.get(Some(&admin), "/admin/audit.json").await.json();
    let actions: Vec<&str> = log["tables"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        &actions[..2],
        ["export", "review"],
        "the supplier twin's payments, then the decision"
    );

    // Link: reject it; the two names are kept apart (a cannot-link for the resolver).
    {
        let entity_of = |n: &str| {
            let snap = app.state.snap();
            snap.prepared.resolution.name(n).map(|x| x.entity)
        };
        let link = common::merged_link(&app, &items);
        let name = link["subject"].as_str().unwrap().to_string();
        let other = link["entity"].as_str().unwrap().to_string();
        let r = app
            .post_form(
                Some(&admin),
                "/review",
                &[
                    ("csrf", &admin.csrf),
                    ("kind", "link"),
                    ("subject", &name),
                    ("entity", &other),
                    ("decision", "reject"),
                    ("note", "different firm"),
                ],
            )
            .await;
        assert_eq!(r.status, 303);
        assert_ne!(entity_of(&name), entity_of(&other), "kept apart");
    }
    app.cleanup().await;
}

/// The coverage worklist in the workspace: a decision from its page and a filled-in worklist
/// CSV uploaded back each become stored decisions (with who), raise the located share by
/// exactly the decided suppliers' influenceable spend (read from the worklist itself), reach
/// the overrides file the command line reads, and a bad row is listed with its line, not
/// applied. Only an administrator sees it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worklist_decisions_raise_coverage() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let admin = app.login("admin").await;
    let viewer = app.login("viewer").await;
    assert_eq!(app.get(Some(&viewer), "/review/worklist").await.status, 403);
    let page = app.get(Some(&admin), "/review/worklist.json").await.json();
    let rows = page["tables"][0]["rows"].as_array().unwrap().clone();
    let before = page["coverage"].clone();
    let total = before["influenceable_pence"].as_i64().unwrap();
    let unlocated: Vec<serde_json::Value> = rows
        .iter()
        .filter(|r| r["missing"].as_str().unwrap().contains("location"))
        .cloned()
        .collect();
    assert!(unlocated.len() > 10, "{}", unlocated.len());
    let pence = |r: &serde_json::Value| -> i64 {
        r["influenceable_pence"].as_str().unwrap().parse().unwrap()
    };
    let share = |c: &serde_json::Value| c["located_share"].as_f64().unwrap();

    // One decision from the page: the largest unlocated supplier is at a Salford postcode.
    let first = &unlocated[0];
    let r = app
        .post_form(
            Some(&admin),
            "/review/worklist",
            &[
                ("csrf", &admin.csrf),
                ("action", "set-postcode"),
                ("name", first["name"].as_str().unwrap()),
                ("value", "M5 4WU"),
                ("note", "on the invoice"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mid = app.get(Some(&admin), "/review/worklist.json").await.json()["coverage"].clone();
    let want = pence(first) as f64 / total as f64;
    assert!((share(&mid) - share(&before) - want).abs() < 1e-9);

    // The CSV to fill in offline: the next two unlocated suppliers set by hand, one bad row.
    let csv_text = app.get(Some(&admin), "/review/worklist.csv").await.body;
    assert!(
        csv_text.starts_with("action,name,value,note,"),
        "{}",
        &csv_text[..80]
    );
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    let header = rd.headers().unwrap().clone();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    let mut moved = 0;
    let mut decided = Vec::new();
    let mut bad_line = 0;
    for (i, rec) in rd.records().enumerate() {
        let mut rec: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
        let missing_location = rec[7].contains("location");
        if missing_location && decided.len() < 2 && rec[1] != first["name"].as_str().unwrap() {
            rec[0] = "set-postcode".into();
            rec[2] = "M3 2JA".into();
            moved += rec[6].parse::<i64>().unwrap();
            decided.push(rec[1].clone());
        } else if missing_location && bad_line == 0 && decided.len() == 2 {
            rec[0] = "set-postcode".into();
            rec[2] = "nowhere".into();
            bad_line = i + 2;
        }
        w.write_record(&rec).unwrap();
    }
    let body = w.into_inner().unwrap();
    let boundary = "XworklistX";
    let mut mp = Vec::new();
    mp.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n",
            admin.csrf
        )
        .bytes(),
    );
    mp.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"worklist.csv\"\r\nContent-Type: text/csv\r\n\r\n").bytes());
    mp.extend(&body);
    mp.extend(format!("\r\n--{boundary}--\r\n").bytes());
    let r = app
        .http
        .post(format!("{}/review/worklist/import", app.base))
        .header("cookie", &admin.cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(mp)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("2 decisions from"), "{html}");
    assert!(html.contains("1 rows not used"), "{html}");
    assert!(
        html.contains(&format!(">{bad_line}<")),
        "line {bad_line} in {html}"
    );
    let after = app.get(Some(&admin), "/review/worklist.json").await.json()["coverage"].clone();
    let want = moved as f64 / total as f64;
    assert!((share(&after) - share(&mid) - want).abs() < 1e-9);

    // Every path applies them: the overrides file the command line reads has all three.
    let file = app.get(Some(&admin), "/review/overrides.csv").await.body;
    let d = anchornet_suppliers::Decisions::parse(&file, "overrides.csv").unwrap();
    assert!(d.issues.is_empty(), "{:?}", d.issues);
    let set: Vec<(String, String)> = d
        .items
        .iter()
        .map(|x| x.row())
        .filter(|(a, _, _)| a == "set-postcode")
        .map(|(_, n, v)| (n, v))
        .collect();
    assert_eq!(set.len(), 3, "{set:?}");
    for n in &decided {
        assert!(set.contains(&(n.clone(), "M3 2JA".to_string())), "{n}");
    }
    let stored = app.store.overrides().await.unwrap();
    assert!(stored.iter().all(|o| o.decided_by == "admin"));
    app.cleanup().await;
}
