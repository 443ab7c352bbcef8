//! `web_load`: a small closed-loop HTTP load generator for the web app's benchmark
//! (`bench/web_load.sh`): N clients, each on its own keep-alive connection, request the same
//! path back to back for a fixed time; prints requests, throughput and latency percentiles.
//! Loopback only by design: it refuses any host but 127.0.0.1 / localhost.
//!
//! Usage: `web_load --addr 127.0.0.1:8080 --path /overview --cookie 'anchornet_session=…'
//! [--clients 50] [--seconds 20]`

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// One request on a keep-alive connection; returns the status.
fn request(r: &mut BufReader<TcpStream>, req: &[u8]) -> std::io::Result<u16> {
    r.get_mut().write_all(req)?;
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut len = 0usize;
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
            }
        }
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    Ok(status)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let addr = arg(&args, "--addr").unwrap_or_else(|| "127.0.0.1:8080".into());
    anyhow::ensure!(
        addr.starts_with("127.0.0.1:") || addr.starts_with("localhost:"),
        "--addr {addr}: loopback only"
    );
    let path = arg(&args, "--path").unwrap_or_else(|| "/overview".into());
    let cookie = arg(&args, "--cookie").unwrap_or_default();
    let clients: usize = arg(&args, "--clients").map_or(Ok(50), |s| s.parse())?;
    let secs: u64 = arg(&args, "--seconds").map_or(Ok(20), |s| s.parse())?;
    let req =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n").into_bytes();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let start = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (addr, req) = (addr.clone(), req.clone());
            std::thread::spawn(move || -> (Vec<u32>, u64) {
                let mut lat = Vec::new();
                let mut errors = 0u64;
                let mut conn: Option<BufReader<TcpStream>> = None;
                while Instant::now() < deadline {
                    if conn.is_none() {
                        match TcpStream::connect(&addr) {
                            Ok(s) => {
                                let _ = s.set_nodelay(true);
                                conn = Some(BufReader::new(s));
                            }
                            Err(_) => {
                                errors += 1;
                                continue;
                            }
                        }
                    }
                    let t = Instant::now();
                    match request(conn.as_mut().expect("connected"), &req) {
                        Ok(200) => lat.push(t.elapsed().as_micros() as u32),
                        Ok(_) => errors += 1,
                        Err(_) => {
                            errors += 1;
                            conn = None;
                        }
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let mut lat = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (l, e) = h.join().expect("client thread");
        lat.extend(l);
        errors += e;
    }
    let wall = start.elapsed().as_secs_f64();
    lat.sort_unstable();
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return f64::NAN;
        }
        let i = ((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1;
        lat[i] as f64 / 1000.0
    };
    println!(
        "| `{path}` | {clients} | {} | {errors} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} |",
        lat.len(),
        lat.len() as f64 / wall,
        pct(0.50),
        pct(0.95),
        pct(0.99),
        lat.last().map_or(f64::NAN, |m| *m as f64 / 1000.0)
    );
    Ok(())
}
