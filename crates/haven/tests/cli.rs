//! The `haven` binary as an administrator uses it: users, tokens, audit
//! verification after tampering, backups, refusals, hashing and matching.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct TempDir(PathBuf);
impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let p =
            std::env::temp_dir().join(format!("haven-cli-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn haven(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_haven"));
    cmd.args(args);
    if !matches!(args[0], "hash" | "match") {
        cmd.arg("--data-dir").arg(dir);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

fn conformance() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/conformance/pdq")
}

#[test]
fn users_tokens_audit_and_backup() {
    let dir = TempDir::new("admin");
    let d = &dir.0;
    // A small demo database to work on.
    let out = haven(d, &["demo", "--children", "30"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = haven(
        d,
        &[
            "user",
            "add",
            "fatou",
            "--role",
            "caseworker",
            "--location",
            "HV-ER",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = haven(
        d,
        &[
            "user",
            "add",
            "fatou",
            "--role",
            "caseworker",
            "--location",
            "HV-ER",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("already exists"));
    let out = haven(d, &["user", "add", "x", "--role", "root"], None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("unknown role"));
    let out = haven(d, &["user", "add", "y", "--role", "caseworker"], None);
    assert!(
        text(&out.stderr).contains("location"),
        "a caseworker needs an area"
    );
    let out = haven(
        d,
        &["user", "add", "z", "--role", "analyst", "--password-stdin"],
        Some("short\n"),
    );
    assert!(text(&out.stderr).contains("at least 10"));

    let out = haven(d, &["token", "create", "fatou"], None);
    assert!(out.status.success());
    let token = text(&out.stdout);
    assert!(
        token.trim().starts_with("hvn_") && token.lines().count() == 1,
        "only the token on stdout: {token:?}"
    );
    assert!(!haven(d, &["token", "create", "nobody"], None)
        .status
        .success());

    let out = haven(d, &["audit", "verify"], None);
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("intact"));

    let backup = d.join("copy.db");
    let out = haven(d, &["backup", backup.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(backup.exists());
    assert!(
        !haven(d, &["backup", backup.to_str().unwrap()], None)
            .status
            .success(),
        "never overwrites"
    );

    // The raw database holds no readable names or addresses.
    let raw = std::fs::read(d.join("haven.db")).unwrap();
    for name in ["Amina", "Diallo", "Fatou", "compound, near"] {
        assert!(
            !raw.windows(name.len()).any(|w| w == name.as_bytes()),
            "{name} readable in the database file"
        );
    }

    // Tamper with one audit entry: verify names it and fails.
    let conn = rusqlite::Connection::open(d.join("haven.db")).unwrap();
    conn.execute(
        "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 3",
        [],
    )
    .unwrap();
    drop(conn);
    let out = haven(d, &["audit", "verify"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("audit entry 3"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn unknown_database_schemes_are_refused() {
    let dir = TempDir::new("scheme");
    for url in ["mysql://localhost/haven", "haven.db", "sqlite://"] {
        let out = haven(&dir.0, &["audit", "verify", "--database-url", url], None);
        assert_eq!(out.status.code(), Some(2), "{url}");
        let err = text(&out.stderr);
        assert!(
            err.contains("sqlite://") || err.contains("scheme"),
            "{url}: {err}"
        );
    }
    assert!(!dir.0.join("haven.db").exists(), "nothing was created");
}

#[test]
fn a_missing_or_wrong_key_or_an_empty_folder_is_refused() {
    let dir = TempDir::new("keys");
    let d = &dir.0;
    // A mistyped folder holds no Haven data: nothing is made there.
    let typo = d.join("haven-dta");
    for args in [
        vec!["audit", "verify"],
        vec!["backup", "/tmp/never-written.db"],
        vec!["token", "create", "admin"],
    ] {
        let out = haven(&typo, &args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains("holds no Haven database"),
            "{}",
            text(&out.stderr)
        );
        assert!(!typo.join("haven.db").exists() && !typo.join("haven.key").exists());
    }
    assert!(!Path::new("/tmp/never-written.db").exists());

    let out = haven(d, &["demo", "--children", "5"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let key = std::fs::read(d.join("haven.key")).unwrap();

    // The key file gone: no command makes a new one for existing data.
    std::fs::remove_file(d.join("haven.key")).unwrap();
    for args in [
        vec!["audit", "verify"],
        vec!["serve", "--listen", "127.0.0.1:0"],
    ] {
        let out = haven(d, &args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains("is missing"),
            "{}",
            text(&out.stderr)
        );
        assert!(!d.join("haven.key").exists(), "no new key was made");
    }

    // Another installation's key file is not this database's key.
    let other = TempDir::new("keys2");
    assert!(haven(&other.0, &["demo", "--children", "1"], None)
        .status
        .success());
    std::fs::copy(other.0.join("haven.key"), d.join("haven.key")).unwrap();
    let out = haven(d, &["audit", "verify"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not the key this database was sealed with"),
        "{}",
        text(&out.stderr)
    );

    // Its own key back: all is well, and the audit head is kept beside it.
    std::fs::write(d.join("haven.key"), key).unwrap();
    let out = haven(d, &["audit", "verify"], None);
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(d.join("haven.audit-head").exists());

    // Deleting the newest audit entries is noticed.
    let conn = rusqlite::Connection::open(d.join("haven.db")).unwrap();
    conn.execute(
        "DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) - 2 FROM audit_log)",
        [],
    )
    .unwrap();
    drop(conn);
    let out = haven(d, &["audit", "verify"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("newest entries were removed"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn hash_files_and_folders_and_match_against_a_list() {
    let dir = TempDir::new("hash");
    let images = conformance().join("images");
    let broken = dir.0.join("broken.jpg");
    std::fs::write(&broken, b"\xff\xd8\xff not really a jpeg").unwrap();
    let out = haven(
        &dir.0,
        &["hash", images.to_str().unwrap(), broken.to_str().unwrap()],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "unreadable files make the exit code non-zero"
    );
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout.lines().count(),
        25,
        "the other files are still hashed"
    );
    assert!(
        stdout.contains("f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22,100,")
    );
    assert!(text(&out.stderr).contains("broken.jpg"));

    let one = images.join("pen-and-coaster.png");
    let out = haven(
        &dir.0,
        &[
            "hash",
            "--format",
            "json",
            "--dihedral",
            one.to_str().unwrap(),
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(v["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(v["dihedral"].as_object().unwrap().len(), 8);

    let list = dir.0.join("list.csv");
    std::fs::write(&list, stdout).unwrap();
    let bridge = images.join("bridge-2-rotate-90.jpg");
    let out = haven(
        &dir.0,
        &[
            "match",
            "--list",
            list.to_str().unwrap(),
            "--threshold",
            "0",
            bridge.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success());
    assert!(text(&out.stdout).contains(",0\n"));
    let out = haven(
        &dir.0,
        &["match", "--list", list.to_str().unwrap(), "nonsense"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
}
