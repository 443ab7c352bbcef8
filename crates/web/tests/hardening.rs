//! Issue 17 against the running app, each attack from a few bytes generated here: hostile
//! uploads refused whole with an error naming the limit (and the server still serving);
//! sign-in bodies bounded; guesses throttled atomically, per user and address, so that an
//! outsider cannot lock a user out; no redirect off-site after sign-in; duplicates per
//! anchor; CSV twins neutralised against formulas, JSON twins exact.

mod common;

use std::io::Write;
use std::net::IpAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use common::{Db, TestApp, PASSWORD};

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        z.start_file(
            *name,
            zip::write::SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// An XLSX of 1.6 KB with one cell at A1 and one at XFD1048576.
fn xlsx_a1_and_xfd1048576() -> Vec<u8> {
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#;
    zip_of(&[
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

/// An ODS of under 1 KB whose one cell is repeated 16,384 columns by 1,048,576 rows.
fn ods_repeats() -> Vec<u8> {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Data"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
    ])
}

/// 48 MiB of one row, gzipped to about 50 KB.
fn gzip_bomb() -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = "01/07/2021,Acme Ltd,1.00\n".repeat(40_000);
    for _ in 0..(48 << 20) / chunk.len() {
        gz.write_all(chunk.as_bytes()).unwrap();
    }
    gz.finish().unwrap()
}

/// Zips inside zips, `depth` deep.
fn nested_zips(depth: usize) -> Vec<u8> {
    let mut bytes = b"Date,Supplier Name,Amount\n01/07/2021,Acme Ltd,1.00\n".to_vec();
    let mut name = "x.csv".to_string();
    for i in 0..depth {
        bytes = zip_of(&[(&name, &bytes)]);
        name = format!("z{i}.zip");
    }
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_uploads_are_refused_whole_and_the_server_keeps_serving() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let s = app.login("salford").await;
    let before = app.store.batches(None).await.unwrap();
    for (name, bytes, key) in [
        ("bomb.xlsx", xlsx_a1_and_xfd1048576(), "max_columns"),
        ("bomb.ods", ods_repeats(), "max_columns"),
        ("bomb.csv.gz", gzip_bomb(), "max_ratio"),
        ("nested.zip", nested_zips(200), "max_nesting"),
    ] {
        assert!(bytes.len() < 200_000, "{name}: {} bytes", bytes.len());
        let job = app.import(&s, app.salford.id, name, bytes).await;
        assert_eq!(job["stage"], "failed", "{name}: {job}");
        let e = job["error"].as_str().unwrap_or_default();
        assert!(e.contains(&format!("{key} = ")), "{name}: {e}");
        assert!(
            e.contains("[limits]") && e.contains("anchornet.toml"),
            "{name}: {e}"
        );
        assert!(job["batch_id"].is_null(), "{name}: {job}");
        // Nothing of the upload is kept, and the server answers.
        assert_eq!(app.store.batches(None).await.unwrap(), before, "{name}");
        assert_eq!(app.get(None, "/healthz").await.status, 200, "{name}");
        assert_eq!(app.get(Some(&s), "/imports.json").await.status, 200);
    }
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_bodies_are_bounded() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let page = app.get(None, "/login").await;
    let pre = common::set_cookie(&page.headers, "anchornet_login").unwrap();
    let token = common::hidden(&page.body, "csrf");
    // A 1 MiB user name: refused from its declared length, before a byte of the form is read
    // (the default form limit is 64 KiB). The client asks `Expect: 100-continue` and waits
    // for the answer before sending the body, as curl does for large bodies; the server
    // must answer 413 without asking for it. (Sending the body and reading the answer races
    // the server's close of a half-read connection, which can reset it.)
    let body = format!(
        "csrf={token}&username={}&password=x&next=/overview",
        "a".repeat(1 << 20)
    );
    let head = format!(
        "POST /login HTTP/1.1\r\nhost: 127.0.0.1\r\ncookie: anchornet_login={pre}\r\n\
         content-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\
         expect: 100-continue\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), tcp.read_to_end(&mut answer))
        .await
        .expect("the server answers without the body")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(!answer.contains("100 Continue"), "{answer}");
    // Nothing was counted under that name, and the server signs people in.
    assert!(app.state.limiter.lock().unwrap().is_empty());
    app.login("admin").await;
    app.cleanup().await;
}

/// A client of the app whose connections come from `ip` (any 127/8 address is loopback).
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_are_counted_atomically_and_cannot_lock_out_from_elsewhere() {
    let mut app = TestApp::spawn(Db::Sqlite, false).await;
    app.http = client_from("127.0.0.3");
    // 100 guesses at once from one address: only the first five are checked.
    let guesses = (0..100).map(|_| app.try_login("admin", "wrong password!"));
    let results = join_all(guesses).await;
    let status = |code: u16| {
        results
            .iter()
            .filter(|r| matches!(r, Err(r) if r.status == code))
            .count()
    };
    assert_eq!((status(401), status(429)), (5, 95));
    // The right password from that address now waits too…
    let r = app.try_login("admin", PASSWORD).await.unwrap_err();
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains("try again in"), "{}", r.body);
    // …but the admin, from another address, signs in.
    app.http = client_from("127.0.0.4");
    app.try_login("admin", PASSWORD)
        .await
        .unwrap_or_else(|r| panic!("locked out from another address: {} {}", r.status, r.body));
    app.cleanup().await;
}

/// Poll every future to completion concurrently (no extra dependency).
async fn join_all<F: std::future::Future>(fs: impl Iterator<Item = F>) -> Vec<F::Output> {
    use std::task::Poll;
    let mut fs: Vec<_> = fs.map(|f| Some(Box::pin(f))).collect();
    let mut out: Vec<Option<F::Output>> = fs.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for (f, o) in fs.iter_mut().zip(out.iter_mut()) {
            if let Some(p) = f {
                match p.as_mut().poll(cx) {
                    Poll::Ready(v) => {
                        *o = Some(v);
                        *f = None;
                    }
                    Poll::Pending => done = false,
                }
            }
        }
        if done {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    out.into_iter().map(Option::unwrap).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_never_redirects_off_site() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    for next in [
        "/\t/evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/\r\n/evil.example/",
        "/\u{0}/evil.example/",
        "https://evil.example/",
    ] {
        // The form as a browser would post it after `GET /login?next=…`.
        let page = app
            .get(
                None,
                &format!("/login?next={}", anchornet_web::page::urlencode(next)),
            )
            .await;
        assert_eq!(common::hidden(&page.body, "next"), "/overview", "{next:?}");
        let pre = common::set_cookie(&page.headers, "anchornet_login").unwrap();
        let token = common::hidden(&page.body, "csrf");
        let r = app
            .http
            .post(format!("{}/login", app.base))
            .header("cookie", format!("anchornet_login={pre}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "csrf={token}&username=salford&password={}&next={}",
                anchornet_web::page::urlencode(PASSWORD),
                anchornet_web::page::urlencode(next)
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303, "{next:?}");
        assert_eq!(r.headers()["location"], "/overview", "{next:?}");
    }
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_are_per_anchor() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let salford = app.login("salford").await;
    let manchester = app.login("manchester").await;
    let bytes = std::fs::read(common::demo("spend/salford/2021-07.csv.xz")).unwrap();
    let theirs = app
        .store
        .batches(Some(app.salford.id))
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.file_name == "salford-2021-07.csv.xz")
        .unwrap();
    // Manchester uploads Salford's file: its own batch, Salford's id not revealed.
    let job = app
        .import(&manchester, app.manchester.id, "july.csv.xz", bytes.clone())
        .await;
    assert_eq!(job["stage"], "done", "{job}");
    assert_eq!(job["already_imported"], false, "{job}");
    let id = job["batch_id"].as_i64().unwrap();
    assert_ne!(id, theirs.id);
    let b = app.store.batch(id).await.unwrap().unwrap();
    assert_eq!(
        (b.anchor_id, b.accepted),
        (app.manchester.id, theirs.accepted)
    );
    // Salford's own re-upload is recognised as its batch.
    let job = app
        .import(&salford, app.salford.id, "again.csv.xz", bytes)
        .await;
    assert_eq!(job["already_imported"], true, "{job}");
    assert_eq!(job["batch_id"], theirs.id);
    app.cleanup().await;
}

const HYPERLINK: &str = "=HYPERLINK(\"http://evil.example/\",\"Invoice\")";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_twins_neutralise_formulas_and_json_twins_keep_them() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let s = app.login("salford").await;
    let ledger = format!(
        "Date,Supplier Name,Amount\n01/07/2021,\"{}\",100.00\n01/07/2021,@SUM(1+1),-12.50\n",
        HYPERLINK.replace('"', "\"\"")
    );
    let job = app
        .import(&s, app.salford.id, "hostile.csv", ledger.into_bytes())
        .await;
    assert_eq!(job["stage"], "done", "{job}");
    let path = format!("/anchors/{}/payments", app.salford.id);
    let csv = app.get(Some(&s), &format!("{path}.csv")).await;
    assert_eq!(csv.status, 200);
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .from_reader(csv.body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let head: Vec<String> = csv::ReaderBuilder::new()
        .from_reader(csv.body.as_bytes())
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (sup, amt) = (col("supplier"), col("amount_gbp"));
    let row = |name: &str| {
        rows.iter()
            .find(|r| r[sup] == name)
            .unwrap_or_else(|| panic!("{name:?} not in the CSV twin"))
    };
    assert_eq!(row(&format!("'{HYPERLINK}"))[amt], "100.00");
    // The credit note's amount stays a number.
    assert_eq!(row("'@SUM(1+1)")[amt], "-12.50");
    assert!(
        !rows.iter().flatten().any(|c| c.starts_with(['=', '@'])),
        "a formula in the CSV twin"
    );
    // The JSON twin is exact.
    let json = app.get(Some(&s), &format!("{path}.json")).await.json();
    let names: Vec<&str> = json["tables"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["supplier"].as_str())
        .collect();
    assert!(
        names.contains(&HYPERLINK) && names.contains(&"@SUM(1+1)"),
        "{names:?}"
    );
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_fails_while_the_database_is_locked() {
    use sqlx::Connection;
    let app = TestApp::spawn(Db::Sqlite, false).await;
    assert_eq!(app.get(None, "/healthz").await.status, 200);
    // Another process's write lock, as `sqlite3 anchornet.db 'BEGIN EXCLUSIVE'` holds it.
    let url = format!("sqlite://{}", app.dir.join("anchornet.db").display());
    let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::raw_sql("BEGIN EXCLUSIVE")
        .execute(&mut other)
        .await
        .unwrap();
    let t = std::time::Instant::now();
    let r = app.get(None, "/healthz").await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(t.elapsed() < std::time::Duration::from_secs(10));
    sqlx::raw_sql("COMMIT").execute(&mut other).await.unwrap();
    assert_eq!(app.get(None, "/healthz").await.status, 200);
    app.cleanup().await;
}

/// The audit log's `read` entries, oldest first: (who, what).
async fn reads(app: &TestApp) -> Vec<(String, String)> {
    let mut log = app.store.audit_log(1000).await.unwrap();
    log.reverse();
    log.into_iter()
        .filter(|e| e.action == "read")
        .map(|e| (e.actor, e.detail))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_row_level_reads_of_an_anchor_are_audited() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let admin = app.login("admin").await;
    let salford = app.login("salford").await;
    // A member reading their own anchor's rows: not logged.
    let id = app.salford.id;
    for p in [format!("/anchors/{id}"), format!("/anchors/{id}/payments")] {
        assert_eq!(app.get(Some(&salford), &p).await.status, 200);
    }
    assert_eq!(reads(&app).await, vec![]);
    // An admin reading them: each read logged, with what was read.
    for p in [format!("/anchors/{id}"), format!("/anchors/{id}/payments")] {
        assert_eq!(app.get(Some(&admin), &p).await.status, 200);
    }
    let batch = app.store.batches(Some(id)).await.unwrap()[0].id;
    assert_eq!(
        app.get(Some(&admin), &format!("/imports/{batch}"))
            .await
            .status,
        200
    );
    let got = reads(&app).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.iter().all(|(who, _)| who == "admin"), "{got:?}");
    let details: Vec<&str> = got.iter().map(|(_, d)| d.as_str()).collect();
    assert!(details
        .iter()
        .any(|d| d.starts_with("largest payments of Salford City Council")));
    assert!(details
        .iter()
        .any(|d| d.starts_with("payments of Salford City Council")));
    assert!(details
        .iter()
        .any(|d| d.starts_with(&format!("issues of batch {batch}"))));
    app.cleanup().await;
}

/// Post the sign-in form with a new password (after an admin's reset).
async fn sign_in_changing(app: &TestApp, user: &str, pw: &str, new: &str) -> common::Resp {
    let page = app.get(None, "/login").await;
    let pre = common::set_cookie(&page.headers, "anchornet_login").unwrap();
    let token = common::hidden(&page.body, "csrf");
    let enc = anchornet_web::page::urlencode;
    let r = app
        .http
        .post(format!("{}/login", app.base))
        .header("cookie", format!("anchornet_login={pre}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "csrf={token}&username={user}&password={}&new_password={}&next=/overview",
            enc(pw),
            enc(new)
        ))
        .send()
        .await
        .unwrap();
    common::Resp {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.text().await.unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_can_be_disabled_deleted_and_reset_with_a_forced_change() {
    use anchornet_store::password;
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let s = app.login("salford").await;
    let uid = app
        .store
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.username.as_str() == "salford")
        .unwrap()
        .id;

    // Disabled: the session ends and the right password is refused.
    app.store.set_disabled(uid, true).await.unwrap();
    assert_eq!(app.get(Some(&s), "/me.json").await.status, 401);
    let r = app.try_login("salford", PASSWORD).await.unwrap_err();
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("disabled"), "{}", r.body);
    app.store.set_disabled(uid, false).await.unwrap();
    app.login("salford").await;

    // Reset by an admin: the temporary password alone does not sign in…
    let temp = "Temporary pass 7";
    app.store
        .reset_password(uid, &password::hash(temp).unwrap())
        .await
        .unwrap();
    let r = app.try_login("salford", temp).await.unwrap_err();
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("name=\"new_password\""), "{}", r.body);
    // …nor with a common or the same password as the new one…
    for (new, why) in [("Password2024!", "most common"), (temp, "reset")] {
        let r = sign_in_changing(&app, "salford", temp, new).await;
        assert_eq!(r.status, 403, "{new}: {}", r.body);
        assert!(r.body.contains(why), "{new}: {}", r.body);
    }
    // …but with a good new one it does, and the new one is the password from then on.
    let new = "A much better one 42";
    let r = sign_in_changing(&app, "salford", temp, new).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.try_login("salford", temp).await.unwrap_err().status,
        401
    );
    app.try_login("salford", new)
        .await
        .unwrap_or_else(|r| panic!("the new password: {} {}", r.status, r.body));
    assert_eq!(app.store.account_status(uid).await.unwrap(), (false, false));

    // Deleted: gone.
    app.store.delete_user(uid).await.unwrap();
    assert_eq!(app.try_login("salford", new).await.unwrap_err().status, 401);
    app.cleanup().await;
}

/// The real Manchester months of the demo, each one upload.
fn manchester_months() -> Vec<(String, Vec<u8>)> {
    let dir = common::demo("spend/manchester");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".csv.xz"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// A full disk, made real by capping the SQLite file (`database_max_mib`): SQLite answers a
/// write past the cap with `SQLITE_FULL`, the same error as a disk with no space left. Months
/// are uploaded until one does not fit; that one fails with a message saying the database is
/// full, nothing of it is kept (no batch, no payment), the server keeps serving with the
/// same figures, and once the cap is lifted the same upload imports whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_database_refuses_the_upload_whole_and_keeps_serving() {
    // The setup's three real files take about 2 MiB; each Manchester month about 0.7 MiB.
    let cap = 4;
    let app = TestApp::spawn_with(Db::Sqlite, false, &format!("database_max_mib = {cap}")).await;
    let s = app.login("manchester").await;
    let mut refused = None;
    for (name, bytes) in manchester_months() {
        let before = app.store.batches(None).await.unwrap();
        let overview = app.get(Some(&s), "/overview.json").await.body;
        let job = app
            .import(&s, app.manchester.id, &name, bytes.clone())
            .await;
        if job["stage"] == "failed" {
            let e = job["error"].as_str().unwrap_or_default().to_string();
            assert!(e.contains("database is full"), "{name}: {e}");
            assert!(e.contains("database_max_mib"), "{name}: {e}");
            assert!(job["batch_id"].is_null(), "{name}: {job}");
            assert_eq!(app.store.batches(None).await.unwrap(), before, "{name}");
            assert_eq!(app.get(None, "/healthz").await.status, 200);
            assert_eq!(app.get(Some(&s), "/overview.json").await.body, overview);
            refused = Some((name, bytes, before.len()));
            break;
        }
        assert_eq!(job["stage"], "done", "{name}: {job}");
    }
    let (name, bytes, batches) = refused.expect("the months outgrow a 4 MiB database");
    let db = app.dir.join("anchornet.db");
    assert!(
        std::fs::metadata(&db).unwrap().len() <= cap << 20,
        "the file stays within its cap"
    );
    // The same upload, with the cap lifted (the workspace reopened without it), imports whole.
    let store = anchornet_store::open_capped(&format!("sqlite://{}", db.display()), None)
        .await
        .unwrap();
    let anchor = store
        .anchors()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.id == app.manchester.id)
        .unwrap();
    let p = app.dir.join(&name);
    std::fs::write(&p, &bytes).unwrap();
    let cfg = anchornet_web::workspace::WorkspaceConfig::load(&app.dir).unwrap();
    anchornet_web::import::import_file(store.as_ref(), &anchor, &p, "retry", &cfg.limits)
        .await
        .unwrap();
    assert_eq!(store.batches(None).await.unwrap().len(), batches + 1);
    app.cleanup().await;
}

/// The anchor page's "Largest payments" (found once per rebuild) are the 50 largest of the
/// anchor's payments as its full payments twin lists them, sorted here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_anchor_pages_largest_payments_are_the_largest_of_its_payments() {
    let app = TestApp::spawn(Db::Sqlite, false).await;
    let salford = app.login("salford").await;
    let id = app.salford.id;
    let page = app
        .get(Some(&salford), &format!("/anchors/{id}.json"))
        .await
        .json();
    let all = app
        .get(Some(&salford), &format!("/anchors/{id}/payments.json"))
        .await
        .json();
    let rows = |v: &serde_json::Value, file: &str| -> Vec<(f64, String, i64)> {
        let t = v["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == file)
            .unwrap_or_else(|| panic!("no table {file} in {v}"));
        t["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["amount_gbp"].as_str().unwrap().parse::<f64>().unwrap(),
                    r["source_file"].as_str().unwrap().to_string(),
                    r["line"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let largest = rows(&page, "largest_payments");
    let mut every = rows(&all, "payments");
    assert!(every.len() > 1000, "{} payments", every.len());
    every.sort_by(|a, b| b.0.total_cmp(&a.0));
    assert_eq!(largest.len(), 50);
    let want: Vec<f64> = every.iter().take(50).map(|r| r.0).collect();
    let got: Vec<f64> = largest.iter().map(|r| r.0).collect();
    assert_eq!(got, want);
    for r in &largest {
        assert!(
            every.contains(r),
            "{r:?} is not one of the anchor's payments"
        );
    }
    app.cleanup().await;
}
