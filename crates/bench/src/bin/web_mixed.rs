//! `web_mixed`: the workspace under mixed load (issue 17, docs/security.md "Load"): N
//! clients, each on its own keep-alive connection, for a bounded time, mixing reads — pages,
//! their `.csv` and `.json` twins, the public view, `/healthz` — with imports of real files
//! through `POST /api/imports`. One client in ten imports: each takes the next file of the
//! list (so every file is imported once, then again as a duplicate, which the server must
//! recognise). Prints requests and errors by kind and status, latency percentiles, and the
//! server's peak resident memory, sampled from `/proc/PID/status` (and its `VmHWM`).
//!
//! Loopback only by design: it refuses any host but 127.0.0.1 / localhost; it stops by itself
//! after `--seconds` (default 300).
//!
//! Usage: `web_mixed --addr 127.0.0.1:8080 --cookie 'anchornet_session=…' --pid PID
//! [--clients 200] [--seconds 300] [--import ANCHOR_ID:FILE]…`

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// One request on a keep-alive connection; returns the status and the body.
fn request(
    r: &mut BufReader<TcpStream>,
    head: &[u8],
    body: &[u8],
) -> std::io::Result<(u16, Vec<u8>)> {
    let s = r.get_mut();
    s.write_all(head)?;
    s.write_all(body)?;
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let (mut len, mut chunked) = (0usize, false);
    loop {
        line.clear();
        r.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().unwrap_or(0);
            } else if k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked") {
                chunked = true;
            }
        }
    }
    let mut out = Vec::new();
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16)
                .map_err(std::io::Error::other)?;
            let mut chunk = vec![0u8; n + 2];
            r.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&chunk[..n]);
        }
    } else {
        out.resize(len, 0);
        r.read_exact(&mut out)?;
    }
    Ok((status, out))
}

fn connect(addr: &str) -> std::io::Result<BufReader<TcpStream>> {
    let s = TcpStream::connect(addr)?;
    s.set_nodelay(true)?;
    s.set_read_timeout(Some(Duration::from_secs(120)))?;
    Ok(BufReader::new(s))
}

/// Resident memory of a process, kB: (now, high-water mark).
fn rss(pid: u32) -> Option<(u64, u64)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        s.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:").unwrap_or(0)))
}

#[derive(Default)]
struct Tally {
    /// (kind, status or "io") → count.
    by_status: BTreeMap<(String, String), u64>,
    /// Latencies, microseconds, per kind.
    latency: BTreeMap<String, Vec<u32>>,
    imported: u64,
    duplicates: u64,
}

fn pct(v: &mut [u32], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_unstable();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i] as f64 / 1000.0
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let addr = arg(&args, "--addr").unwrap_or_else(|| "127.0.0.1:8080".into());
    anyhow::ensure!(
        addr.starts_with("127.0.0.1:") || addr.starts_with("localhost:"),
        "--addr {addr}: loopback only"
    );
    let cookie = arg(&args, "--cookie").unwrap_or_default();
    let pid: Option<u32> = arg(&args, "--pid").map(|s| s.parse()).transpose()?;
    let clients: usize = arg(&args, "--clients").map_or(Ok(200), |s| s.parse())?;
    let secs: u64 = arg(&args, "--seconds").map_or(Ok(300), |s| s.parse())?;
    let mut imports: Vec<(String, String, Arc<Vec<u8>>)> = Vec::new();
    for (i, a) in args.iter().enumerate() {
        if a == "--import" {
            let spec = args
                .get(i + 1)
                .ok_or_else(|| anyhow::anyhow!("--import ANCHOR:FILE"))?;
            let (anchor, file) = spec
                .split_once(':')
                .ok_or_else(|| anyhow::anyhow!("--import {spec}: give ANCHOR_ID:FILE"))?;
            let name = std::path::Path::new(file)
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            imports.push((anchor.to_string(), name, Arc::new(std::fs::read(file)?)));
        }
    }
    // The session's CSRF token, for the imports.
    let mut c = connect(&addr)?;
    let (st, me) = request(
        &mut c,
        format!("GET /me.json HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n").as_bytes(),
        b"",
    )?;
    anyhow::ensure!(st == 200, "GET /me.json: {st} (is the cookie signed in?)");
    let me: String = String::from_utf8_lossy(&me).into();
    let csrf = me
        .split("\"csrf\":\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .to_string();
    // The reads: pages and their twins, the public view, filters, health.
    let reads: Vec<String> = [
        "/overview",
        "/overview.json",
        "/overview.csv",
        "/overview.json?year=2021/22",
        "/anchors",
        "/anchors.json",
        "/anchors/1.json",
        "/suppliers?q=ltd",
        "/suppliers.json?q=care",
        "/categories.json",
        "/categories.csv",
        "/leakage.json",
        "/map.json",
        "/imports.json",
        "/public",
        "/public.json",
        "/public/categories.csv",
        "/healthz",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();

    let deadline = Instant::now() + Duration::from_secs(secs);
    let tally = Arc::new(Mutex::new(Tally::default()));
    let next_file = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(0));
    let sampler = pid.map(|pid| {
        let (done, peak) = (done.clone(), peak.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some((now, _)) = rss(pid) {
                    peak.fetch_max(now, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    });
    let start = Instant::now();
    let mut handles = Vec::new();
    for i in 0..clients {
        let (addr, cookie, csrf, reads, imports, tally, next_file) = (
            addr.clone(),
            cookie.clone(),
            csrf.clone(),
            reads.clone(),
            imports.clone(),
            tally.clone(),
            next_file.clone(),
        );
        handles.push(std::thread::spawn(move || {
            let importer = i % 10 == 0 && !imports.is_empty();
            let mut local = Tally::default();
            let mut conn: Option<BufReader<TcpStream>> = None;
            let mut n = i;
            while Instant::now() < deadline {
                n += 1;
                let (kind, head, body) = if importer {
                    let k = next_file.fetch_add(1, Ordering::Relaxed) % imports.len();
                    let (anchor, name, bytes) = &imports[k];
                    (
                        "import",
                        format!(
                            "POST /api/imports?anchor={anchor}&name={name}&wait=true HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
                            bytes.len()
                        ),
                        bytes.clone(),
                    )
                } else {
                    let p = &reads[n % reads.len()];
                    // The public view is read without a session, as the public would.
                    let c = if p.starts_with("/public") || p == "/healthz" {
                        String::new()
                    } else {
                        format!("Cookie: {cookie}\r\n")
                    };
                    (
                        "read",
                        format!("GET {p} HTTP/1.1\r\nHost: {addr}\r\n{c}\r\n"),
                        Arc::new(Vec::new()),
                    )
                };
                let t = Instant::now();
                let r = match conn.take() {
                    Some(c) => Ok(c),
                    None => connect(&addr),
                }
                .and_then(|mut c| request(&mut c, head.as_bytes(), &body).map(|r| (c, r)));
                let us = t.elapsed().as_micros().min(u32::MAX as u128) as u32;
                local.latency.entry(kind.into()).or_default().push(us);
                let status = match r {
                    Ok((c, (st, b))) => {
                        conn = Some(c);
                        if kind == "import" && st == 200 {
                            let b = String::from_utf8_lossy(&b);
                            if b.contains("\"already_imported\":true") {
                                local.duplicates += 1;
                            } else if b.contains("\"stage\":\"done\"") {
                                local.imported += 1;
                            }
                        }
                        st.to_string()
                    }
                    Err(_) => {
                        std::thread::sleep(Duration::from_millis(50));
                        "io".into()
                    }
                };
                *local.by_status.entry((kind.into(), status)).or_default() += 1;
            }
            let mut t = tally.lock().unwrap();
            for (k, v) in local.by_status {
                *t.by_status.entry(k).or_default() += v;
            }
            for (k, v) in local.latency {
                t.latency.entry(k).or_default().extend(v);
            }
            t.imported += local.imported;
            t.duplicates += local.duplicates;
        }));
    }
    for h in handles {
        let _ = h.join();
    }
    let elapsed = start.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    if let Some(s) = sampler {
        let _ = s.join();
    }
    let mut t = tally.lock().unwrap();
    let total: u64 = t.by_status.values().sum();
    println!(
        "{clients} clients for {elapsed:.0} s against {addr}: {total} requests ({:.0}/s)",
        total as f64 / elapsed
    );
    println!();
    println!("| kind | status | requests |");
    println!("|---|---|---:|");
    for ((k, s), n) in &t.by_status {
        println!("| {k} | {s} | {n} |");
    }
    println!();
    println!("| kind | requests | p50 ms | p95 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (k, v) in t.latency.iter_mut() {
        let n = v.len();
        println!(
            "| {k} | {n} | {:.1} | {:.1} | {:.1} | {:.1} |",
            pct(v, 0.5),
            pct(v, 0.95),
            pct(v, 0.99),
            pct(v, 1.0)
        );
    }
    println!();
    println!(
        "imports: {} new batches, {} recognised as duplicates",
        t.imported, t.duplicates
    );
    if let Some(pid) = pid {
        let hwm = rss(pid).map_or(0, |r| r.1);
        println!(
            "server RSS: peak sampled {:.0} MiB, VmHWM {:.0} MiB",
            peak.load(Ordering::Relaxed) as f64 / 1024.0,
            hwm as f64 / 1024.0
        );
    }
    let errors: u64 = t
        .by_status
        .iter()
        .filter(|((_, s), _)| !s.starts_with('2'))
        .map(|(_, n)| n)
        .sum();
    println!("errors (non-2xx or I/O): {errors}");
    Ok(())
}
