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
    let mut cmds: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_block = false;
    for line in readme.lines() {
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
    let run = |cmd: &str, shown: &[String]| {
        let words: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        let args: Vec<String> = words
            .iter()
            .enumerate()
            .map(|(i, &a)| {
                // An output directory named after `--out` goes to the scratch folder too.
                if i > 0 && words[i - 1] == "--out" && !a.contains('/') && !a.contains('.') {
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
