//! The CLI side of issue 17: `anchornet user disable|enable|delete|reset`, the password
//! policy at `user add`, the input limits from `ANCHORNET_LIMIT_*` (unknown names are
//! errors) and from a workspace's `[limits]` (unknown keys are errors; an import over a limit
//! keeps nothing).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_anchornet"))
}

fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn in_ws(dir: &Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .arg("--workspace")
        .arg(dir)
        .env("ANCHORNET_PASSWORD", "Salford anchors 2024")
        .output()
        .unwrap()
}

fn workspace(tag: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("accounts-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    ok(bin()
        .args(["init", dir.to_str().unwrap(), "--place", "Salford"])
        .output()
        .unwrap());
    ok(in_ws(&dir, &["anchor", "add", "Salford City Council"]));
    dir
}

#[test]
fn users_are_disabled_reset_and_deleted_from_the_cli() {
    let dir = workspace("users");
    ok(in_ws(&dir, &["user", "add", "ann", "--role", "admin"]));
    // A common password is refused at `user add`, with the reason.
    let o = bin()
        .args(["user", "add", "bob", "--role", "viewer", "--workspace"])
        .arg(&dir)
        .env("ANCHORNET_PASSWORD", "Password2024!")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("most common"));

    ok(in_ws(&dir, &["user", "disable", "ann"]));
    assert!(ok(in_ws(&dir, &["user", "list"])).contains("ann\tadmin\tdisabled"));
    ok(in_ws(&dir, &["user", "enable", "ann"]));
    let o = bin()
        .args(["user", "reset", "ann", "--workspace"])
        .arg(&dir)
        .env_remove("ANCHORNET_PASSWORD")
        .output()
        .unwrap();
    let out = ok(o.clone());
    assert!(out.contains("must be chosen at the next sign-in"), "{out}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("temporary password (shown once): "));
    assert!(ok(in_ws(&dir, &["user", "list"])).contains("ann\tadmin\tmust-change-password"));
    ok(in_ws(&dir, &["user", "delete", "ann"]));
    assert!(!ok(in_ws(&dir, &["user", "list"])).contains("ann"));
    let o = in_ws(&dir, &["user", "delete", "ann"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no user `ann`"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn limits_come_from_the_environment_and_unknown_names_are_errors() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("limits-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("x.csv");
    let mut text = String::from("Date,Supplier Name,Amount\n");
    for _ in 0..20 {
        text.push_str("01/07/2021,Acme Ltd,1.00\n");
    }
    std::fs::write(&f, text).unwrap();
    let o = bin()
        .args(["ingest", f.to_str().unwrap()])
        .env("ANCHORNET_LIMIT_MAX_ROWS", "10")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "a file over a limit is a file error"
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(all.contains("max_rows = 10"), "{all}");
    let o = bin()
        .args(["ingest", f.to_str().unwrap()])
        .env("ANCHORNET_LIMIT_MAX_ROWZ", "10")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("ANCHORNET_LIMIT_MAX_ROWZ"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_workspaces_limits_are_strict_and_an_import_over_one_keeps_nothing() {
    let dir = workspace("limits");
    let toml = dir.join("anchornet.toml");
    let base = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{base}\n[limits]\nmax_rowz = 10\n")).unwrap();
    let o = in_ws(&dir, &["anchor", "list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("max_rowz"));

    std::fs::write(&toml, format!("{base}\n[limits]\nmax_rows = 10\n")).unwrap();
    let f = dir.join("salford.csv");
    let mut text = String::from("Date,Supplier Name,Amount\n");
    for _ in 0..20 {
        text.push_str("01/07/2021,Acme Ltd,1.00\n");
    }
    std::fs::write(&f, text).unwrap();
    let o = bin()
        .args([
            "import",
            f.to_str().unwrap(),
            "--anchor",
            "Salford City Council",
        ])
        .arg("--workspace")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("max_rows = 10") && e.contains("[limits]"), "{e}");
    // Nothing of it was kept.
    let db = dir.join("anchornet.db");
    let url = format!("sqlite://{}", db.display());
    let batches: i64 = tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query_scalar("SELECT COUNT(*) FROM batches")
            .fetch_one(&mut c)
            .await
            .unwrap()
    });
    assert_eq!(batches, 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    std::fs::remove_dir_all(dir).ok();
}
