//! Docs that run: every `$ anchornet …` command in the README's console blocks is executed
//! from the repository root with the built binary; it must succeed, and every output line the
//! README shows must appear in the real output (`…` in a shown line stands for any text).

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// `anchornet ingest --mapping M` on a real bundled Salford file.
fn ingest_salford_with_mapping(m: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .current_dir(root())
        .args([
            "ingest",
            "--mapping",
            m.to_str().unwrap(),
            "data/demo/spend/salford/2021-07.csv.xz",
        ])
        .output()
        .unwrap()
}

fn matches(shown: &str, actual: &str) -> bool {
    let parts: Vec<&str> = shown
        .split('…')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    actual.lines().any(|line| {
        let mut at = 0;
        parts.iter().all(|p| match line[at..].find(p) {
            Some(i) => {
                at += i + p.len();
                true
            }
            None => false,
        })
    })
}

#[test]
fn readme_console_blocks_run() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let tmp = std::env::temp_dir().join(format!("anchornet-readme-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    // (command, output lines shown under it), from the ```console blocks.
    let cmds = console_commands(&readme);
    let run = |cmd: &str, shown: &[String]| {
        let words: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        let args: Vec<String> = words
            .iter()
            .enumerate()
            .map(|(i, &a)| {
                // An output directory named after `--out` goes to the scratch folder too
                // (`-` is standard output).
                if i > 0
                    && words[i - 1] == "--out"
                    && a != "-"
                    && !a.contains('/')
                    && !a.contains('.')
                {
                    return tmp.join(a).display().to_string();
                }
                // Outputs go to a scratch folder; inputs are read from the repository.
                if (a.ends_with(".csv") || a.ends_with(".parquet"))
                    && !a.contains('/')
                    && !a.starts_with("odd")
                {
                    tmp.join(a).display().to_string()
                } else {
                    a.to_string()
                }
            })
            .collect();
        if args.iter().any(|a| a == "my-layout.toml") {
            // The mapping example names files the user supplies; run it on a real file with a real mapping.
            let m = tmp.join("my-layout.toml");
            std::fs::write(&m, "[columns]\ndate = \"Date of Payment\"\nnet_amount = \"Net\"\nsupplier_name = \"Vendor Name\"\n").unwrap();
            let out = ingest_salford_with_mapping(&m);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            return;
        }
        let out = Command::new(env!("CARGO_BIN_EXE_anchornet"))
            .current_dir(root())
            .args(&args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "`{cmd}` failed: {}\n{stdout}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in shown {
            assert!(
                matches(line, &stdout),
                "`{cmd}`: README shows\n{line}\nbut the output was\n{stdout}"
            );
        }
    };
    for (cmd, shown) in &cmds {
        run(cmd, shown);
    }
    let ran = cmds.len();
    assert!(ran >= 4, "only {ran} README commands found");
    assert!(tmp.join("payments.csv").is_file() && tmp.join("issues.csv").is_file());
    // The analysis example wrote its report.
    assert!(tmp.join("report/report.html").is_file());
    // The Parquet example wrote a Parquet file (magic bytes at both ends), not CSV.
    let pq = std::fs::read(tmp.join("payments.parquet")).unwrap();
    assert!(
        pq.starts_with(b"PAR1") && pq.ends_with(b"PAR1"),
        "not Parquet"
    );
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn unknown_layout_is_explained_and_exits_1() {
    let tmp = std::env::temp_dir().join(format!("anchornet-bad-{}.csv", std::process::id()));
    std::fs::write(&tmp, "Foo,Bar\nx,12\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .args(["ingest", tmp.to_str().unwrap()])
        .output()
        .unwrap();
    std::fs::remove_file(&tmp).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("Missing: date") && s.contains("\"Foo\"") && s.contains("--mapping"),
        "{s}"
    );
    // The whole file is the failure: its one data row is counted as rejected (not lost), the
    // explain table says what was found, and the count of unwritten rows is that one row.
    let summary = s.lines().nth(1).unwrap();
    assert!(
        summary.contains("       1        0       0       1  ERROR: layout not recognised"),
        "{summary}"
    );
    assert!(s.contains("  kind: payments; header row: line 1"), "{s}");
    assert!(
        s.contains("all 1 data rows of this file are counted as rejected"),
        "{s}"
    );
    assert!(
        s.contains("1 skipped/rejected rows not written anywhere"),
        "{s}"
    );
}

#[test]
fn bad_mapping_key_is_named_and_exits_2() {
    let m = std::env::temp_dir().join(format!("anchornet-map-{}.toml", std::process::id()));
    std::fs::write(&m, "[columns]\nsuplier_name = \"x\"\n").unwrap();
    let out = ingest_salford_with_mapping(&m);
    std::fs::remove_file(&m).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("suplier_name"));
}

#[test]
fn stdin_is_read() {
    use std::io::Write;
    let bytes = std::fs::read(root().join("data/demo/spend/salford/2021-07.csv.xz")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_anchornet"))
        .args(["ingest", "--json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // python3 tests/expected.py .../salford/2021-07.csv.xz "Date of Payment" Net → total_pence=3742738249
    assert_eq!(v[0]["total"], 3742738249i64);
    assert_eq!(v[0]["accepted"], 1974);
}

/// The `$ anchornet …` commands of a Markdown text's console blocks, each with the output
/// lines shown under it.
fn console_commands(text: &str) -> Vec<(String, Vec<String>)> {
    let mut cmds: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_block = line.starts_with("```console");
        } else if in_block {
            match line.strip_prefix("$ ") {
                Some(cmd) => cmds.push((cmd.to_string(), Vec::new())),
                None => cmds
                    .last_mut()
                    .expect("output follows a command")
                    .1
                    .push(line.to_string()),
            }
        }
    }
    cmds
}

/// Split a command line as a shell would for the simple cases docs use: words, and
/// double-quoted words with spaces (`"m5 4wt"`, `--column "Supplier Postcode"`).
fn shell_words(cmd: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut any) = (false, false);
    for c in cmd.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    words.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(cur);
    }
    words
}

/// Docs that run: every `$ anchornet …` command in the console blocks of docs/*.md (and
/// docs/methodology/*.md) is executed from the repository root with the built binary, into a
/// fresh index cache; it must exit as the page implies (0, or 1 for a layout the page shows
/// failing), and every output line the page shows must appear in its output (`…` stands for
/// any text). Names the pages use for the reader's own files are mapped to real files:
/// `suppliers.csv` is Salford's contracts register (../shared/data), the file whose figures
/// docs/geography.md shows. Commands on a path under `~/` (a future official release the
/// reader downloads) cannot run here and are listed, so that a new one is noticed.
#[test]
fn docs_console_blocks_run() {
    let docs = root().join("docs");
    let mut pages: Vec<PathBuf> = Vec::new();
    for dir in [docs.clone(), docs.join("methodology")] {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") {
                pages.push(p);
            }
        }
    }
    pages.sort();
    let tmp = std::env::temp_dir().join(format!("anchornet-docs-{}", std::process::id()));
    let cache = tmp.join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    let shared = root().join("../shared/data");
    let mut ran = Vec::new();
    let mut skipped = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        let name = page.strip_prefix(&docs).unwrap().display().to_string();
        for (cmd, shown) in console_commands(&text) {
            let words = shell_words(&cmd);
            assert_eq!(words[0], "anchornet", "{name}: `{cmd}`");
            if words.iter().any(|w| w.starts_with("~/")) {
                skipped.push(format!("{name}: {cmd}"));
                continue;
            }
            let args: Vec<String> = words[1..]
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let after_out = i > 0 && words[i] == "--out";
                    if a == "suppliers.csv" {
                        shared
                            .join("procurement/salford_contracts_register_2022.csv")
                            .display()
                            .to_string()
                    } else if after_out || a == "issues.csv" {
                        tmp.join(a).display().to_string()
                    } else {
                        a.to_string()
                    }
                })
                .collect();
            let out = Command::new(env!("CARGO_BIN_EXE_anchornet"))
                .current_dir(root())
                .env("ANCHORNET_CACHE_DIR", &cache)
                .args(&args)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let both = format!("{stdout}\n{stderr}");
            // A page that shows a layout failure ("ERROR: layout not recognised") shows the
            // exit code 1 that goes with it; any other command must succeed.
            let want_fail = shown
                .iter()
                .any(|l| l.contains("ERROR: layout not recognised"));
            let code = out.status.code();
            assert_eq!(
                code,
                Some(i32::from(want_fail)),
                "{name}: `{cmd}` exited {code:?}\n{both}"
            );
            for line in &shown {
                assert!(
                    matches(line, &both),
                    "{name}: `{cmd}`: the page shows\n{line}\nbut the output was\n{both}"
                );
            }
            ran.push(format!("{name}: {cmd}"));
        }
    }
    assert_eq!(
        skipped,
        ["geography.md: anchornet geo build --from ~/Downloads/onspd-2026-11"],
        "commands on the reader's own files"
    );
    assert!(
        ran.len() >= 6,
        "only {} docs commands ran: {ran:#?}",
        ran.len()
    );
    std::fs::remove_dir_all(&tmp).unwrap();
}
