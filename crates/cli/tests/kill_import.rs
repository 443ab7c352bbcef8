//! The server is killed (`kill -9`) in the middle of an import: no partial batch remains, and
//! the same import afterwards succeeds. The real binary, a real workspace made with
//! `anchornet init`, and a large real file: Trafford Council's 2025/26 supplier payments
//! (data/demo, Open Government Licence v3.0), uploaded through the API.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "kill-test-password";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_anchornet"))
}

fn demo(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/demo")
        .join(p)
}

fn run(args: &[&str], dir: &Path) {
    let out = bin()
        .args(args)
        .env("ANCHORNET_WORKSPACE", dir)
        .env("ANCHORNET_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Start `anchornet serve` on port 0; returns the child and its address.
fn serve(dir: &Path) -> (Child, String) {
    let mut child = bin()
        .args(["serve", "--bind", "127.0.0.1:0", "--insecure-cookies"])
        .env("ANCHORNET_WORKSPACE", dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    (child, addr)
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

/// One HTTP/1.1 request, `Connection: close`.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Resp> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(120)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(Resp {
        status,
        headers,
        body: body.to_string(),
    })
}

fn cookie(r: &Resp, name: &str) -> String {
    r.headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .find_map(|(_, v)| {
            v.strip_prefix(&format!("{name}="))
                .map(|x| x.split(';').next().unwrap().to_string())
        })
        .unwrap_or_else(|| panic!("no cookie {name}"))
}

fn json_str<'a>(body: &'a str, key: &str) -> Option<&'a str> {
    let at = body.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = &body[at..];
    Some(rest[..rest.find([',', '}'])?].trim_matches('"'))
}

/// Sign in; returns (session cookie header, CSRF token).
fn login(addr: &str) -> (String, String) {
    let page = http(addr, "GET", "/login", &[], b"").unwrap();
    let pre = cookie(&page, "anchornet_login");
    let at = page.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let token = &page.body[at..at + 64];
    let form = format!("csrf={token}&username=admin&password={PASSWORD}&next=/overview");
    let r = http(
        addr,
        "POST",
        "/login",
        &[
            ("cookie", &format!("anchornet_login={pre}")),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        form.as_bytes(),
    )
    .unwrap();
    assert_eq!(r.status, 303, "{}", r.body);
    let session = format!("anchornet_session={}", cookie(&r, "anchornet_session"));
    let me = http(addr, "GET", "/me.json", &[("cookie", &session)], b"").unwrap();
    (
        session.clone(),
        json_str(&me.body, "csrf").unwrap().to_string(),
    )
}

fn counts(db: &Path) -> (i64, i64, i64) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let s = anchornet_store::sqlite::SqliteStore::open(db)
            .await
            .unwrap();
        let mut out = [0i64; 3];
        for (i, t) in ["batches", "payments", "issues"].iter().enumerate() {
            let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {t}"))
                .fetch_one(s.pool())
                .await
                .unwrap();
            out[i] = n;
        }
        (out[0], out[1], out[2])
    })
}

#[test]
fn killed_mid_import_leaves_no_partial_batch_and_the_import_then_succeeds() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kill-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = bin()
        .args(["init", dir.to_str().unwrap(), "--place", "Trafford"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    run(
        &["anchor", "add", "Trafford Council", "--kind", "council"],
        &dir,
    );
    run(&["user", "add", "admin", "--role", "admin"], &dir);
    let bytes = std::fs::read(demo(
        "spend/trafford/trafford-supplier-spend-2025-26.csv.xz",
    ))
    .unwrap();
    let path = "/api/imports?anchor=1&name=trafford-supplier-spend-2025-26.csv.xz";

    let (mut server, addr) = serve(&dir);
    let (session, csrf) = login(&addr);
    let r = http(
        &addr,
        "POST",
        path,
        &[("cookie", &session), ("x-csrf-token", &csrf)],
        &bytes,
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let job = json_str(&r.body, "id").unwrap().to_string();
    // Wait until rows are being written inside the batch's transaction, then kill -9.
    let deadline = Instant::now() + Duration::from_secs(120);
    let (written, rows) = loop {
        let j = http(
            &addr,
            "GET",
            &format!("/imports/jobs/{job}.json"),
            &[("cookie", &session)],
            b"",
        )
        .unwrap()
        .body;
        let w: u64 = json_str(&j, "written")
            .and_then(|x| x.parse().ok())
            .unwrap_or(0);
        let n: u64 = json_str(&j, "rows")
            .and_then(|x| x.parse().ok())
            .unwrap_or(0);
        if json_str(&j, "stage") == Some("writing") && w > 0 {
            break (w, n);
        }
        assert_ne!(
            json_str(&j, "stage"),
            Some("done"),
            "the import finished before it could be killed"
        );
        assert!(Instant::now() < deadline, "no writing stage: {j}");
        std::thread::sleep(Duration::from_millis(5));
    };
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    assert!(written < rows, "killed after {written} of {rows} rows");

    // Nothing of the batch remains: no batch row, no payment, no issue row.
    assert_eq!(counts(&dir.join("anchornet.db")), (0, 0, 0));

    // The same import now succeeds, whole.
    let (mut server, addr) = serve(&dir);
    let (session, csrf) = login(&addr);
    let r = http(
        &addr,
        "POST",
        &format!("{path}&wait=true"),
        &[("cookie", &session), ("x-csrf-token", &csrf)],
        &bytes,
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(json_str(&r.body, "stage"), Some("done"), "{}", r.body);
    assert_eq!(json_str(&r.body, "already_imported"), Some("false"));
    let (batches, payments, _) = counts(&dir.join("anchornet.db"));
    assert_eq!((batches, payments as u64), (1, rows));
    let overview = http(&addr, "GET", "/overview.json", &[("cookie", &session)], b"").unwrap();
    assert_eq!(
        json_str(&overview.body, "payments").and_then(|x| x.parse::<u64>().ok()),
        Some(rows)
    );
    server.kill().unwrap();
    server.wait().unwrap();
    std::fs::remove_dir_all(&dir).ok();
}
