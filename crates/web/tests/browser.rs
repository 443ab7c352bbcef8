//! The web app in a real headless Chromium (Debian's `chromium`), driven over the DevTools
//! protocol on `--remote-debugging-pipe` (JSON messages on file descriptors 3 and 4, no
//! WebDriver, no extra crates): sign in, upload a real spend file (Salford City Council's
//! October 2021 payments, uncompressed CSV, data/demo, OGL v3.0) through the imports page,
//! watch its progress (htmx), open its import report, and see the overview's payment count
//! grow by exactly the batch's accepted rows. The page must log no console error or
//! Content-Security-Policy violation, and every host but loopback is unresolvable.
//!
//! Screenshots go to the test's temporary directory, and to `docs/web-*.png` with
//! `ANCHORNET_UPDATE_SCREENSHOTS=1`. Without a browser the test prints a loud note and
//! passes, unless `ANCHORNET_REQUIRE_BROWSER=1` (CI), when it fails.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn chromium() -> Option<PathBuf> {
    let p = std::env::var_os("ANCHORNET_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if p.is_file() {
        return Some(p);
    }
    let msg = "\n\n*** NO CHROMIUM: the web app's browser test did NOT run. Install it with `apt-get install -y chromium` (or set ANCHORNET_CHROMIUM). ***\n";
    if std::env::var("ANCHORNET_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("{msg}ANCHORNET_REQUIRE_BROWSER=1, so this is a failure.");
    }
    let _ = std::io::stderr().write_all(msg.as_bytes());
    None
}

/// A browser on the DevTools pipe, with one page attached.
struct Browser {
    child: Child,
    to: std::io::PipeWriter,
    from: Receiver<Value>,
    next: u64,
    session: String,
    events: Vec<Value>,
}

impl Browser {
    fn launch(bin: &Path, profile: &Path) -> Browser {
        let (cmd_r, cmd_w) = std::io::pipe().unwrap();
        let (out_r, out_w) = std::io::pipe().unwrap();
        let (a, b) = (cmd_r.as_raw_fd(), out_w.as_raw_fd());
        let mut c = Command::new(bin);
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--remote-debugging-pipe",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--window-size=1280,900",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        // SAFETY: only async-signal-safe calls (dup2) between fork and exec.
        unsafe {
            c.pre_exec(move || {
                if libc::dup2(a, 3) < 0 || libc::dup2(b, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = c.spawn().expect("start chromium");
        drop(cmd_r);
        drop(out_w);
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(out_r);
            loop {
                let mut buf = Vec::new();
                match r.read_until(0, &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        buf.pop();
                        if let Ok(v) = serde_json::from_slice::<Value>(&buf) {
                            if tx.send(v).is_err() {
                                break;
                            }
                        }
                    }
                }
            }
        });
        let mut br = Browser {
            child,
            to: cmd_w,
            from: rx,
            next: 0,
            session: String::new(),
            events: Vec::new(),
        };
        let t = br.call("Target.createTarget", json!({"url": "about:blank"}), false);
        let target = t["targetId"].as_str().unwrap().to_string();
        let s = br.call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
            false,
        );
        br.session = s["sessionId"].as_str().unwrap().to_string();
        for d in ["Page.enable", "Runtime.enable", "Log.enable", "DOM.enable"] {
            br.call(d, json!({}), true);
        }
        br.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
            true,
        );
        br
    }

    fn call(&mut self, method: &str, params: Value, in_page: bool) -> Value {
        self.next += 1;
        let id = self.next;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if in_page {
            msg["sessionId"] = json!(self.session);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.to.write_all(&bytes).unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let v = self
                .from
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no answer to {method}"));
            if v["id"].as_u64() == Some(id) {
                if let Some(e) = v.get("error") {
                    panic!("{method}: {e}");
                }
                return v["result"].clone();
            }
            self.events.push(v);
        }
    }

    /// Wait for a page event (events already received count).
    fn wait_event(&mut self, method: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(i) = self.events.iter().position(|e| e["method"] == method) {
                self.events.drain(..=i);
                return;
            }
            let v = self
                .from
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no {method}"));
            self.events.push(v);
        }
    }

    fn goto(&mut self, url: &str) {
        self.events.retain(|e| e["method"] != "Page.loadEventFired");
        self.call("Page.navigate", json!({"url": url}), true);
        self.wait_event("Page.loadEventFired");
    }

    fn eval(&mut self, js: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": js, "returnByValue": true, "awaitPromise": true}),
            true,
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{js}: {e}");
        }
        r["result"]["value"].clone()
    }

    /// Run script that navigates, and wait for the new page.
    fn eval_and_load(&mut self, js: &str) {
        self.events.retain(|e| e["method"] != "Page.loadEventFired");
        self.eval(js);
        self.wait_event("Page.loadEventFired");
    }

    fn screenshot(&mut self, dir: &Path, name: &str) {
        let r = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": false}),
            true,
        );
        let png = base64(r["data"].as_str().unwrap());
        assert_eq!(&png[1..4], b"PNG");
        std::fs::write(dir.join(name), &png).unwrap();
        if std::env::var("ANCHORNET_UPDATE_SCREENSHOTS").as_deref() == Ok("1") {
            std::fs::write(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../docs")
                    .join(name),
                &png,
            )
            .unwrap();
        }
    }

    /// Console errors, uncaught exceptions and CSP violations seen so far.
    fn problems(&mut self) -> Vec<String> {
        // Drain what has arrived.
        while let Ok(v) = self.from.try_recv() {
            self.events.push(v);
        }
        self.events
            .iter()
            .filter(|e| {
                e["method"] == "Runtime.exceptionThrown"
                    || (e["method"] == "Log.entryAdded" && e["params"]["entry"]["level"] == "error")
                    || (e["method"] == "Runtime.consoleAPICalled" && e["params"]["type"] == "error")
            })
            .map(|e| e.to_string())
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => 0,
        }
    };
    let b: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut out = Vec::with_capacity(b.len() / 4 * 3);
    for ch in b.chunks(4) {
        let n = ch.iter().take_while(|c| **c != b'=').count();
        let v = ch
            .iter()
            .take(n)
            .enumerate()
            .fold(0u32, |acc, (i, c)| acc | (val(*c) << (18 - 6 * i)));
        out.extend(&[(v >> 16) as u8, (v >> 8) as u8, v as u8][..n.saturating_sub(1)]);
    }
    out
}

fn number(v: &Value) -> i64 {
    v.as_str()
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_upload_see_report_and_overview_change() {
    let Some(bin) = chromium() else { return };
    let app = common::TestApp::spawn(common::Db::Sqlite, false).await;
    let dir = common::tempdir("browser");
    // A real file, uncompressed, as a council officer would have it.
    let mut csv = Vec::new();
    let raw = std::fs::read(common::demo("spend/salford/2021-10.csv.xz")).unwrap();
    xz_decode(&raw, &mut csv);
    let upload = dir.join("salford-2021-10.csv");
    std::fs::write(&upload, &csv).unwrap();

    let base = app.base.clone();
    let salford = app.salford.id;
    let (dir2, upload2) = (dir.clone(), upload.clone());
    let before_batches = app.store.batches(None).await.unwrap().len();
    let (payments_before, payments_after, report_text) = tokio::task::spawn_blocking(move || {
        let mut b = Browser::launch(&bin, &dir2.join("profile"));
        b.goto(&format!("{base}/login"));
        b.screenshot(&dir2, "web-login.png");
        b.eval_and_load(&format!(
            "document.querySelector('[name=username]').value='admin';\
             document.querySelector('[name=password]').value='{}';\
             document.querySelector('form.login').submit()",
            common::PASSWORD
        ));
        assert_eq!(b.eval("location.pathname"), "/overview");
        let before = number(&b.eval("document.querySelectorAll('.card .big')[3].textContent"));

        b.goto(&format!("{base}/imports"));
        let input = b.call(
            "Runtime.evaluate",
            json!({"expression": "document.querySelector('input[type=file]')"}),
            true,
        );
        let object = input["result"]["objectId"].as_str().unwrap().to_string();
        b.call(
            "DOM.setFileInputFiles",
            json!({"files": [upload2.display().to_string()], "objectId": object}),
            true,
        );
        b.eval(&format!(
            "document.querySelector('select[name=anchor]').value='{salford}'"
        ));
        b.eval_and_load("document.querySelector('form.upload').submit()");
        assert!(b
            .eval("location.pathname")
            .as_str()
            .unwrap()
            .starts_with("/imports/jobs/"));
        // htmx polls the job until the batch link appears.
        let deadline = Instant::now() + Duration::from_secs(120);
        while b.eval("!!document.querySelector('#batch-link')") != json!(true) {
            assert!(
                Instant::now() < deadline,
                "the import never finished: {}",
                b.eval("document.body.innerText")
            );
            std::thread::sleep(Duration::from_millis(300));
        }
        b.screenshot(&dir2, "web-import-done.png");
        b.eval_and_load("document.querySelector('#batch-link').click()");
        let report = b
            .eval("document.querySelector('main').innerText")
            .as_str()
            .unwrap()
            .to_string();
        b.screenshot(&dir2, "web-import-report.png");

        b.goto(&format!("{base}/overview"));
        let after = number(&b.eval("document.querySelectorAll('.card .big')[3].textContent"));
        b.screenshot(&dir2, "web-overview.png");
        b.goto(&format!("{base}/map"));
        b.screenshot(&dir2, "web-map.png");
        let problems = b.problems();
        assert!(
            problems.is_empty(),
            "console errors or CSP violations: {problems:?}"
        );
        (before, after, report)
    })
    .await
    .unwrap();

    let batches = app.store.batches(None).await.unwrap();
    assert_eq!(batches.len(), before_batches + 1);
    let b = &batches[0];
    assert_eq!(b.file_name, "salford-2021-10.csv");
    assert!(b.accepted > 1000);
    assert!(
        report_text.contains(&format!("{} rows accepted", b.accepted)),
        "{report_text}"
    );
    assert!(report_text.contains("Reconciliation"));
    assert_eq!(
        payments_after,
        payments_before + b.accepted,
        "the overview's payment count"
    );
    app.cleanup().await;
    std::fs::remove_dir_all(dir).ok();
}

fn xz_decode(raw: &[u8], out: &mut Vec<u8>) {
    // Through the ingest crate's own reader, so no extra dependency is needed here.
    let s = anchornet_ingest::input::from_bytes("x.csv.xz", raw.to_vec()).unwrap();
    out.extend_from_slice(&s[0].bytes);
}
