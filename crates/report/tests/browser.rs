//! The HTML report opened in a real headless Chromium (Debian's `chromium` package): it renders,
//! logs nothing to the console, and makes no request — checked three ways: the page's
//! Content-Security-Policy, the browser's own network log (every request the page starts is
//! recorded there, whatever its fate), and a host-resolver rule that makes every host name
//! unresolvable, so even a missed request could not reach anything.
//!
//! Each check has a negative control: the same report with an injected `console.error`, and
//! with an injected outside image (with and without the CSP), must be caught.
//!
//! Without a browser the tests print a loud message and pass, unless
//! `ANCHORNET_REQUIRE_BROWSER=1` (CI sets it), when they fail. `ANCHORNET_CHROMIUM` names the
//! browser binary if it is not `/usr/bin/chromium`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anchornet_report::html;

/// One browser at a time: the machine's cores are shared.
static BROWSER: Mutex<()> = Mutex::new(());

fn chromium() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = std::env::var_os("ANCHORNET_CHROMIUM")
        .map(|p| vec![PathBuf::from(p)])
        .unwrap_or_else(|| {
            ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
                .iter()
                .map(PathBuf::from)
                .collect()
        });
    let found = candidates.into_iter().find(|p| p.is_file());
    if found.is_none() {
        let msg = "\n\n*** NO CHROMIUM: the browser tests of the HTML report did NOT run. \
                   Install it with `apt-get install -y chromium` (or set ANCHORNET_CHROMIUM). ***\n";
        if std::env::var("ANCHORNET_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("{msg}ANCHORNET_REQUIRE_BROWSER=1, so this is a failure.");
        }
        // Straight to stderr, past the test harness's capture, so a skip is never silent.
        let _ = std::io::Write::write_all(&mut std::io::stderr(), msg.as_bytes());
    }
    found
}

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("browser-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// What the browser did with a page.
struct Visit {
    /// Console messages (any level: the report runs no script, so it should log nothing).
    console: Vec<String>,
    /// URLs of requests the page itself started (the browser's own background requests,
    /// which never carry the page's `file://` site, are not counted).
    page_requests: Vec<String>,
    /// Every URL request in the network log, whoever started it, with its error code.
    all_requests: Vec<(String, Option<i64>)>,
    /// The screenshot.
    png: Vec<u8>,
    /// The browser's stderr, for failure messages.
    stderr: String,
}

fn visit(browser: &Path, page: &Path, dir: &Path) -> Visit {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let shot = dir.join("shot.png");
    let netlog = dir.join("netlog.json");
    let profile = dir.join("profile");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2400",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stderr = reader.join().unwrap();
    assert!(status.success(), "chromium failed: {status}\n{stderr}");

    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(|l| l.split("] ").nth(1).unwrap_or(l).to_string())
        .collect();

    let log: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&netlog).expect("chromium wrote its network log"),
    )
    .expect("network log is JSON");
    let types = &log["constants"]["logEventTypes"];
    let start_job = types["URL_REQUEST_START_JOB"].as_i64().expect("event type");
    let mut page_requests = Vec::new();
    let mut all_requests = Vec::new();
    let events = log["events"].as_array().expect("events");
    for e in events
        .iter()
        .filter(|e| e["type"].as_i64() == Some(start_job))
    {
        let p = &e["params"];
        if let Some(url) = p["url"].as_str() {
            // The error, if any, is on the matching end event of the same source.
            let id = &e["source"]["id"];
            let error = events
                .iter()
                .filter(|x| &x["source"]["id"] == id)
                .find_map(|x| x["params"]["net_error"].as_i64());
            all_requests.push((url.to_string(), error));
            let nik = p["network_isolation_key"].as_str().unwrap_or("");
            if nik.contains("file://") || p["initiator"].as_str() == Some("null") {
                page_requests.push(url.to_string());
            }
        }
    }
    let png = std::fs::read(&shot).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&profile);
    Visit {
        console,
        page_requests,
        all_requests,
        png,
        stderr,
    }
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(
        png.len() > 24 && png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG"
    );
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

fn report_html() -> String {
    html::render(&common::fixture().input())
}

#[test]
fn report_renders_with_no_console_message_and_no_request() {
    let Some(browser) = chromium() else { return };
    let dir = tmp("report");
    let page = dir.join("report.html");
    std::fs::write(&page, report_html()).unwrap();
    let v = visit(&browser, &page, &dir);
    assert!(v.console.is_empty(), "console: {:?}", v.console);
    assert!(
        v.page_requests.is_empty(),
        "the page made requests: {:?}",
        v.page_requests
    );
    // Whatever the browser itself tried, nothing resolved: every request failed, none
    // succeeded (no `net_error` means it completed).
    for (url, err) in &v.all_requests {
        assert!(err.is_some_and(|e| e < 0), "{url} did not fail: {err:?}");
    }
    assert_eq!(png_size(&v.png), (1280, 2400), "{}", v.stderr);
    // A blank page compresses to a few kilobytes; the report's header, cards, tables and
    // charts do not.
    assert!(
        v.png.len() > 100_000,
        "screenshot only {} bytes",
        v.png.len()
    );
    // Keep a copy beside the other test output, for looking at.
    std::fs::copy(dir.join("shot.png"), dir.join("report-screenshot.png")).unwrap();
    eprintln!(
        "screenshot: {}",
        dir.join("report-screenshot.png").display()
    );
}

#[test]
fn report_dom_is_whole_after_parsing() {
    let Some(browser) = chromium() else { return };
    let dir = tmp("dom");
    let page = dir.join("report.html");
    let src = report_html();
    std::fs::write(&page, &src).unwrap();
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let out = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("start chromium");
    assert!(out.status.success());
    let dom = String::from_utf8_lossy(&out.stdout);
    // The browser's parse holds every section, chart and table of the source: nothing was
    // swallowed by a stray `<` or an unclosed element.
    for tag in ["<section ", "<svg ", "<table", "<path ", "<tr", "<td"] {
        assert_eq!(
            dom.matches(tag).count(),
            src.matches(tag).count(),
            "{tag} count differs after parsing"
        );
    }
    assert!(dom.contains("Reconciliation checks"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn negative_controls_are_caught() {
    let Some(browser) = chromium() else { return };
    let src = report_html();

    // An injected console.error shows in the console log.
    let dir = tmp("neg-console");
    let page = dir.join("report.html");
    std::fs::write(
        &page,
        src.replace(
            "</body>",
            "<script>console.error('anchornet negative control')</script></body>",
        ),
    )
    .unwrap();
    let v = visit(&browser, &page, &dir);
    assert!(
        v.console
            .iter()
            .any(|m| m.contains("anchornet negative control")),
        "injected console.error not detected: {:?}\n{}",
        v.console,
        v.stderr
    );

    // An injected outside image is blocked by the CSP, which says so on the console, and
    // never becomes a request.
    let dir = tmp("neg-csp");
    let page = dir.join("report.html");
    let img = r#"<img src="https://example.invalid/tracker.png" alt="">"#;
    std::fs::write(&page, src.replace("</main>", &format!("{img}</main>"))).unwrap();
    let v = visit(&browser, &page, &dir);
    assert!(
        v.console
            .iter()
            .any(|m| m.contains("Content Security Policy") && m.contains("example.invalid")),
        "CSP violation not logged: {:?}",
        v.console
    );
    assert!(v.page_requests.is_empty(), "{:?}", v.page_requests);

    // Without the CSP the same image is a request the network log records — so the log
    // check would catch a page that fetched anything — and it fails to resolve.
    let dir = tmp("neg-request");
    let page = dir.join("report.html");
    let meta = format!(
        r#"<meta http-equiv="Content-Security-Policy" content="{}">"#,
        html::CSP
    );
    assert!(src.contains(&meta));
    std::fs::write(
        &page,
        src.replace(&meta, "")
            .replace("</main>", &format!("{img}</main>")),
    )
    .unwrap();
    let v = visit(&browser, &page, &dir);
    assert_eq!(
        v.page_requests,
        vec!["https://example.invalid/tracker.png".to_string()]
    );
    let (_, err) = v
        .all_requests
        .iter()
        .find(|(u, _)| u.contains("example.invalid"))
        .unwrap();
    // net::ERR_NAME_NOT_RESOLVED: the host-resolver rule stopped it.
    assert_eq!(*err, Some(-105));
    for d in ["neg-console", "neg-csp", "neg-request"] {
        let _ = std::fs::remove_dir_all(tmp(d));
    }
}
