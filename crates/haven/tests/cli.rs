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
    haven_with(dir, args, stdin, None)
}

/// [`haven`] with one more environment variable (a stop point to crash at).
fn haven_with(dir: &Path, args: &[&str], stdin: Option<&str>, env: Option<(&str, &str)>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_haven"));
    cmd.args(args);
    if let Some((name, value)) = env {
        cmd.env(name, value);
    }
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

/// A `haven serve` on a free port (`args` after `serve`, then
/// `--data-dir dir`; `stdin` written first, e.g. a laptop's password):
/// the process, its standard output (kept open to the end: a server whose
/// output is closed stops) and the address it printed.
/// A `haven serve` started by a test, stopped when dropped: a test that
/// fails half-way leaves no server running behind it.
struct Serving(std::process::Child);

impl std::ops::Deref for Serving {
    type Target = std::process::Child;
    fn deref(&self) -> &std::process::Child {
        &self.0
    }
}

impl std::ops::DerefMut for Serving {
    fn deref_mut(&mut self) -> &mut std::process::Child {
        &mut self.0
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(
    dir: &Path,
    args: &[&str],
    stdin: Option<&str>,
    stderr: Stdio,
) -> (
    Serving,
    std::io::BufReader<std::process::ChildStdout>,
    String,
) {
    start_server_with(dir, args, stdin, stderr, None)
}

/// [`start_server`] with one more variable in the server's environment.
fn start_server_with(
    dir: &Path,
    args: &[&str],
    stdin: Option<&str>,
    stderr: Stdio,
    env: Option<(&str, &str)>,
) -> (
    Serving,
    std::io::BufReader<std::process::ChildStdout>,
    String,
) {
    use std::io::BufRead;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_haven"));
    cmd.arg("serve")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(stderr);
    if let Some((k, v)) = env {
        cmd.env(k, v);
    }
    let mut child = Serving(cmd.spawn().unwrap());
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    (child, out, addr)
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

/// The finding: a PNG whose header declares 20,000 × 20,000 grey pixels
/// (400 megapixels) over 48 KB of (empty) data.
fn png_bomb() -> Vec<u8> {
    haven_pdq::synthetic::png_declaring(20_000, 20_000, 48_000)
}

/// A 24-bit BMP of `side` × `side` pixels, all the same grey.
fn flat_bmp(side: u32) -> Vec<u8> {
    let row = (side * 3).div_ceil(4) * 4;
    let data = row * side;
    let mut bmp = b"BM".to_vec();
    bmp.extend_from_slice(&(54 + data).to_le_bytes());
    bmp.extend_from_slice(&[0; 4]);
    bmp.extend_from_slice(&54u32.to_le_bytes());
    bmp.extend_from_slice(&40u32.to_le_bytes());
    bmp.extend_from_slice(&side.to_le_bytes());
    bmp.extend_from_slice(&side.to_le_bytes());
    bmp.extend_from_slice(&1u16.to_le_bytes());
    bmp.extend_from_slice(&24u16.to_le_bytes());
    bmp.extend_from_slice(&[0; 24]);
    bmp.resize(bmp.len() + data as usize, 0x80);
    bmp
}

fn stderr_line<'a>(err: &'a str, file: &str) -> &'a str {
    err.lines()
        .find(|l| l.starts_with("haven: ") && l.contains(file))
        .unwrap_or_else(|| panic!("no error naming {file} in:\n{err}"))
}

#[test]
fn hash_refuses_bombs_truncated_and_oversize_files_and_goes_on() {
    let dir = TempDir::new("bombs");
    let d = &dir.0;
    let good = conformance().join("images/bridge-1-original.jpg");
    let jpeg = std::fs::read(&good).unwrap();
    std::fs::copy(&good, d.join("a-good.jpg")).unwrap();
    std::fs::write(d.join("bomb.png"), png_bomb()).unwrap();
    std::fs::write(d.join("truncated.jpg"), &jpeg[..jpeg.len() / 2]).unwrap();
    std::fs::write(d.join("notes.txt"), b"not an image").unwrap();
    // 3 MiB that start like a PNG: refused by size before being read whole.
    let mut big = png_bomb();
    big.resize(3 << 20, 0);
    std::fs::write(d.join("oversize.png"), big).unwrap();

    let out = haven(
        d,
        &["hash", "--max-file-mib", "2", d.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "bad files make the exit code 1");
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "only the good file is hashed: {stdout}");
    assert!(lines[0].ends_with("a-good.jpg") && lines[0].contains(",100,"));
    let err = text(&out.stderr);
    assert!(
        stderr_line(&err, "bomb.png").ends_with(
            "the image declares 20000 × 20000 pixels (400 megapixels); the limit is 50 megapixels"
        ),
        "{err}"
    );
    assert!(
        stderr_line(&err, "truncated.jpg").contains("truncated"),
        "{err}"
    );
    assert!(
        stderr_line(&err, "oversize.png").contains("the file is 3 MiB; the limit is 2 MiB"),
        "{err}"
    );
    assert!(
        stderr_line(&err, "notes.txt").contains("not an image in a supported format"),
        "{err}"
    );

    // The pixel limit is a flag too.
    let out = haven(
        d,
        &["hash", "--max-megapixels", "1", good.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("the limit is 1 megapixels"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn hash_can_refuse_low_quality_hashes() {
    let dir = TempDir::new("quality");
    let flat = dir.0.join("flat.bmp");
    std::fs::write(&flat, flat_bmp(64)).unwrap();
    // By default every hash is printed, as the reference hasher does.
    let out = haven(&dir.0, &["hash", flat.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(",0,"), "{}", text(&out.stdout));
    let out = haven(
        &dir.0,
        &["hash", "--min-quality", "50", flat.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        stderr_line(&text(&out.stderr), "flat.bmp")
            .contains("too little detail for a reliable hash (PDQ quality 0; at least 50"),
        "{}",
        text(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn hash_walks_folders_without_following_folder_links() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("links");
    let d = &dir.0;
    let sub = d.join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(
        conformance().join("images/square-128x128.jpg"),
        d.join("a.jpg"),
    )
    .unwrap();
    // A loop back to the top, a link to a file, and a link to nowhere.
    symlink("..", sub.join("loop")).unwrap();
    symlink("../a.jpg", sub.join("linked.jpg")).unwrap();
    symlink("../missing.jpg", sub.join("dangling.jpg")).unwrap();
    // A FIFO would block a plain read forever.
    let fifo = sub.join("pipe");
    let made_fifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());

    let out = haven(d, &["hash", d.to_str().unwrap()], None);
    let stdout = text(&out.stdout);
    let names: Vec<&str> = stdout
        .lines()
        .map(|l| l.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(names, ["a.jpg", "linked.jpg"], "{stdout}");
    let err = text(&out.stderr);
    stderr_line(&err, "dangling.jpg");
    if made_fifo {
        assert!(stderr_line(&err, "pipe").ends_with("not a regular file"));
    }
    assert!(!err.contains("loop"), "{err}");
    assert_eq!(out.status.code(), Some(1), "the dangling link is an error");

    // A link named on the command line is followed.
    let out = haven(d, &["hash", sub.join("loop").to_str().unwrap()], None);
    assert!(text(&out.stdout).contains("a.jpg"), "{}", text(&out.stdout));
}

fn haven_raw(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_haven"));
    cmd.args(args).stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn a_settings_file_is_checked_and_overridden_by_environment_and_flags() {
    let dir = TempDir::new("config");
    let file = dir.0.join("haven.toml");
    let data = dir.0.join("data");
    std::fs::write(
        &file,
        format!(
            "version = 1\n[server]\nlisten = \"127.0.0.1:9999\"\n[database]\ndata_dir = {:?}\nurl = \"postgres://haven:s3cret@db.example/haven\"\nread_url = \"postgres://haven:r3plica@standby.example/haven\"\n[limits]\npartner_matches = 10\nsuppression_threshold = 7\n",
            data.display().to_string()
        ),
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let out = haven_raw(&["config", "check", "--config", f], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("partner_matches = 10"), "{shown}");
    assert!(shown.contains("suppression_threshold = 7"), "{shown}");
    assert!(shown.contains("127.0.0.1:9999"), "{shown}");
    assert!(
        !shown.contains("s3cret") && shown.contains("***"),
        "{shown}"
    );
    assert!(
        !shown.contains("r3plica") && shown.contains("standby.example"),
        "{shown}"
    );
    // The environment wins over the file, a flag over both.
    let out = haven_raw(
        &["config", "check"],
        &[("HAVEN_CONFIG", f), ("HAVEN_PARTNER_MATCHES", "20")],
    );
    assert!(
        text(&out.stdout).contains("partner_matches = 20"),
        "{}",
        text(&out.stdout)
    );
    let out = haven_raw(
        &["config", "check", "--partner-matches", "30"],
        &[("HAVEN_CONFIG", f), ("HAVEN_PARTNER_MATCHES", "20")],
    );
    assert!(
        text(&out.stdout).contains("partner_matches = 30"),
        "{}",
        text(&out.stdout)
    );

    // A misspelt key, a wrong version or a bad value is refused, naming it.
    for (bad, says) in [
        ("version = 1\n[server]\nlisten_on = \"x\"\n", "listen_on"),
        ("version = 2\n", "version 2"),
        (
            "version = 1\n[limits]\npartner_matches = 0\n",
            "partner_matches",
        ),
        (
            "version = 1\n[limits]\nsuppression_threshold = 1\n",
            "suppression_threshold",
        ),
    ] {
        std::fs::write(&file, bad).unwrap();
        let out = haven_raw(&["config", "check", "--config", f], &[]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            text(&out.stderr).contains(says),
            "{bad}: {}",
            text(&out.stderr)
        );
    }

    // The ministry's DHIS2 codes: a file that does not read, or that names
    // an indicator Haven does not have, stops `config check` and `serve`,
    // naming the file; a good one is taken.
    let mapping = dir.0.join("dhis2.json");
    std::fs::write(
        &mapping,
        r#"{"data_elements":{"no_such_indicator":{"data_element":"X","category_option_combos":{"":"default"}}}}"#,
    )
    .unwrap();
    std::fs::write(
        &file,
        format!(
            "version = 1\n[database]\ndata_dir = {:?}\n[indicators]\ndhis2_mapping = {:?}\n",
            data.display().to_string(),
            mapping.display().to_string()
        ),
    )
    .unwrap();
    let out = haven_raw(&["config", "check", "--config", f], &[]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("dhis2.json"),
        "{}",
        text(&out.stderr)
    );
    let out = haven_raw(&["serve", "--listen", "127.0.0.1:0", "--config", f], &[]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("DHIS2 mapping"),
        "{}",
        text(&out.stderr)
    );
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../domain/indicators/dhis2.json"),
        &mapping,
    )
    .unwrap();
    let out = haven_raw(&["config", "check", "--config", f], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("dhis2_mapping"),
        "{}",
        text(&out.stdout)
    );

    // Other commands take their data folder from the file.
    std::fs::write(
        &file,
        format!(
            "version = 1\n[database]\ndata_dir = {:?}\n",
            data.display().to_string()
        ),
    )
    .unwrap();
    let out = haven_raw(&["demo", "--children", "3", "--config", f], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(data.join("haven.db").exists());
    let out = haven_raw(&["audit", "verify", "--config", f], &[]);
    assert!(out.status.success(), "{}", text(&out.stdout));
}

#[test]
fn json_logs_carry_the_request_id_and_no_record_ids() {
    use std::io::Read;
    let dir = TempDir::new("logs");
    let (mut child, _out, addr) = start_server(
        &dir.0,
        &[
            "--demo",
            "--demo-children",
            "3",
            "--listen",
            "127.0.0.1:0",
            "--log-format",
            "json",
        ],
        None,
        Stdio::piped(),
    );
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.write_all(b"GET /api/v1/children/record-id-4711 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer hvn_wrong\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    let id = response
        .lines()
        .find_map(|l| l.strip_prefix("x-request-id: "))
        .unwrap_or_else(|| panic!("no request id in {response}"))
        .trim()
        .to_string();
    child.kill().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let _ = child.wait();
    let lines: Vec<serde_json::Value> = err
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let served = lines
        .iter()
        .find(|l| {
            l["fields"]["message"] == "request served" && l["span"]["request_id"] == id.as_str()
        })
        .unwrap_or_else(|| panic!("no line for request {id}: {err}"));
    assert_eq!(served["fields"]["route"], "/api/v1/children/:id");
    assert_eq!(served["fields"]["status"], 401);
    assert!(
        !err.contains("record-id-4711"),
        "a record id reached the logs: {err}"
    );
    assert!(!err.contains("hvn_wrong"), "a token reached the logs");
}

#[test]
fn retention_rules_from_the_settings_file_purge_what_they_say_and_no_more() {
    let dir = TempDir::new("purge");
    let d = &dir.0;
    let out = haven(d, &["demo", "--children", "30"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = d.join("haven.toml");
    let write = |retention: &str| {
        std::fs::write(
            &file,
            format!(
                "version = 1\n[database]\ndata_dir = {:?}\n{retention}",
                d.display().to_string()
            ),
        )
        .unwrap();
    };
    let purge = |extra: &[&str]| {
        let mut args = vec!["--config", file.to_str().unwrap(), "purge"];
        args.extend_from_slice(extra);
        haven_raw(&args, &[])
    };
    // No rules: nothing is ever purged, and it says how to set them.
    write("");
    let out = purge(&["--apply"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("No retention rules are set"));
    // A misspelt rule is refused, not ignored.
    write("[retention]\nreporter_contacts_days = 1\n");
    let out = purge(&[]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("reporter_contacts_days"),
        "{}",
        text(&out.stderr)
    );

    // Contacts of decided demo reports are past a rule of zero days.
    write("[retention]\nreporter_contact_days = 0\nchild_years_after_adulthood = 5\n");
    let dry = purge(&[]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let dry = text(&dry.stdout);
    assert!(dry.contains("Dry run: nothing was changed"), "{dry}");
    let count = |out: &str, what: &str| -> u64 {
        out.lines()
            .find(|l| l.contains(what))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no {what} in {out}"))
    };
    let contacts = count(&dry, "reporters' contact details");
    assert!(contacts > 0, "{dry}");
    // The demo's children are all under 18: none is past the rule.
    assert_eq!(count(&dry, "children's records"), 0);
    let applied = purge(&["--apply"]);
    let applied = text(&applied.stdout);
    assert_eq!(count(&applied, "reporters' contact details"), contacts);
    let again = text(&purge(&["--apply"]).stdout);
    assert_eq!(count(&again, "reporters' contact details"), 0);
    // The log holds each purge and still verifies.
    let out = haven(d, &["audit", "verify"], None);
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("audit log intact"));
}

#[test]
fn indicators_export_writes_csv_json_and_dhis2_and_refuses_bad_input() {
    let dir = TempDir::new("indicators");
    let d = &dir.0;
    let out = haven(d, &["demo", "--children", "40"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let year = {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        haven_domain::Date::from_unix(secs).year().to_string()
    };
    let export = |format: &str, period: &str, location: &str| {
        haven(
            d,
            &[
                "indicators",
                "export",
                "--format",
                format,
                "--period",
                period,
                "--location",
                location,
            ],
            None,
        )
    };
    // CSV: a header, then figures; suppressed ones have no number.
    let out = export("csv", &year, "HV");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert!(csv.starts_with("indicator,version,period,location,by,key,unit,value"));
    assert!(
        csv.contains(&format!(
            "children_registered,3,{year},HV,,,count,40,40,,false"
        )),
        "{csv}"
    );
    // DHIS2: a dataValueSets document, codes only, values as strings.
    let out = export("dhis2", &year, "HV");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["idScheme"], "CODE");
    assert_eq!(doc["period"], year.as_str());
    let values = doc["dataValues"].as_array().unwrap();
    assert!(!values.is_empty());
    for v in values {
        for k in [
            "dataElement",
            "period",
            "orgUnit",
            "categoryOptionCombo",
            "value",
        ] {
            assert!(v[k].is_string(), "{k} in {v}");
        }
    }
    assert!(values
        .iter()
        .any(|v| v["dataElement"] == "HAVEN_CHILDREN_REGISTERED"
            && v["categoryOptionCombo"] == "default"
            && v["orgUnit"] == "HV"
            && v["value"] == "40"));
    let out = export("json", &format!("{year}Q1"), "HV");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["version"], 3);
    // The whole report read at once gives what each figure asked alone
    // gives, for the country and for a region.
    let region = haven_domain::synthetic::locations()[1].code.clone();
    for place in ["HV", region.as_str()] {
        let at_once = export("json", &year, place);
        let alone = haven(
            d,
            &[
                "indicators",
                "export",
                "--format",
                "json",
                "--period",
                &year,
                "--location",
                place,
                "--figure-by-figure",
            ],
            None,
        );
        assert!(alone.status.success(), "{}", text(&alone.stderr));
        assert_eq!(text(&at_once.stdout), text(&alone.stdout), "{place}");
    }

    // The deployment's own version of the catalogue: an indicator added
    // with its French words; the export is computed and labelled with it.
    let mut own: serde_json::Value =
        serde_json::from_str(haven_domain::indicators::DEFAULT_CATALOGUE).unwrap();
    own["version"] = serde_json::json!(4);
    let mut added = own["indicators"][0].clone();
    added["id"] = serde_json::json!("children_on_the_registry");
    added["words"] = serde_json::json!({"fr": {"name": "Enfants inscrits au registre",
        "description": "Les enfants inscrits au registre à la fin de la période."}});
    own["indicators"].as_array_mut().unwrap().push(added);
    let own_file = d.join("indicators.json");
    std::fs::write(&own_file, own.to_string()).unwrap();
    let with = |extra: &[&str]| {
        let mut args = vec![
            "indicators",
            "export",
            "--format",
            "csv",
            "--period",
            &year,
            "--location",
            "HV",
        ];
        args.extend_from_slice(extra);
        haven(d, &args, None)
    };
    let out = with(&["--indicator-catalogue", own_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    for id in ["children_registered", "children_on_the_registry"] {
        assert!(
            csv.contains(&format!("{id},4,{year},HV,,,count,40,40,,false")),
            "{csv}"
        );
    }
    // A version not above the shipped one, or a broken file, stops it.
    own["version"] = serde_json::json!(3);
    std::fs::write(&own_file, own.to_string()).unwrap();
    let out = with(&["--indicator-catalogue", own_file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("number the deployment's version above it"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    std::fs::write(
        &own_file,
        "{\"version\": 5, \"indicators\": [{\"id\": \"Bad Id\"}]}",
    )
    .unwrap();
    let out = with(&["--indicator-catalogue", own_file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("indicators.json"),
        "{}",
        text(&out.stderr)
    );

    // Bad input: a clear message and a non-zero exit, nothing on stdout.
    for (args, said) in [
        (("xml", year.clone(), "HV"), "csv, json or dhis2"),
        (("csv", "2026Q9".to_string(), "HV"), "quarter"),
        (
            ("dhis2", "2026-01-01..2026-01-31".to_string(), "HV"),
            "DHIS2 takes a year",
        ),
        (("csv", year.clone(), "NOWHERE"), "NOWHERE"),
    ] {
        let out = export(args.0, &args.1, args.2);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            text(&out.stderr).contains(said),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty());
    }
}

/// The figure of `indicator` for the whole country in an exported CSV (the
/// row without a breakdown), or `None` when it is suppressed or missing.
fn national_figure(csv: &str, indicator: &str) -> Option<u64> {
    csv.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|c| c[0] == indicator && c[3] == "HV" && c[4].is_empty())
        .and_then(|c| c[7].parse().ok())
}

#[test]
fn the_demo_holds_years_of_history_for_the_monitoring_officer() {
    let dir = TempDir::new("history");
    let d = &dir.0;
    let out = haven(d, &["demo", "--children", "400"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let this_year = {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        haven_domain::Date::from_unix(secs).year()
    };
    // Each of the three years before this one has registrations,
    // assessments, finished referrals and reports to compare.
    let mut registered = Vec::new();
    for year in this_year - 3..this_year {
        let out = haven(
            d,
            &[
                "indicators",
                "export",
                "--format",
                "csv",
                "--period",
                &year.to_string(),
                "--location",
                "HV",
            ],
            None,
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let csv = text(&out.stdout);
        for indicator in [
            "children_assessed",
            "referrals_completed",
            "reports_received",
        ] {
            let n = national_figure(&csv, indicator);
            assert!(n.is_some_and(|n| n > 0), "{indicator} in {year}: {csv}");
        }
        registered.push(national_figure(&csv, "children_registered").unwrap());
    }
    // The registry grows year on year and is never all registered at once.
    assert!(registered.windows(2).all(|w| w[0] < w[1]), "{registered:?}");
    assert!(registered[0] < 400, "{registered:?}");
    // Every step of that history went through the store and its log.
    let out = haven(d, &["audit", "verify"], None);
    assert!(out.status.success(), "{}", text(&out.stdout));
}

/// The value after `label` on a line of `haven node show`.
fn shown(out: &str, label: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label} in {out}"))
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn an_air_gapped_node_imports_a_bundle_file_once() {
    use haven_store::Store;
    let (a_dir, c_dir) = (TempDir::new("node-a"), TempDir::new("node-c"));
    let (a, c) = (&a_dir.0, &c_dir.0);
    for d in [a, c] {
        let out = haven(d, &["demo", "--children", "3"], None);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(a.join("haven.node-key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the node key is private");
    }
    let show = |d: &Path| {
        let out = haven(d, &["node", "show"], None);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let (a_show, c_show) = (show(a), show(c));
    assert!(a_show.contains("name:") && a_show.contains("(Ed25519, base64)"));
    assert_ne!(
        shown(&a_show, "fingerprint:"),
        shown(&c_show, "fingerprint:")
    );
    let a_key = shown(&a_show, "public key:");
    let c_key = shown(&c_show, "public key:");

    let out = haven(
        c,
        &[
            "peer",
            "add",
            "A",
            "--key",
            &a_key,
            "--may-send",
            "hashes,urls",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = haven(c, &["peer", "add", "B", "--key", "nonsense"], None);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("public_key"),
        "{}",
        text(&out.stderr)
    );
    let out = haven(
        a,
        &["peer", "add", "C", "--key", &c_key, "--publish", "urls"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    // An analyst on A lists a URL (through the store, as the server would).
    {
        let store = haven_store::SqlStore::open(
            Box::new(haven_store_sqlite::SqliteBackend::open(&a.join("haven.db"), 0).unwrap()),
            haven_store::Keyring::load(&a.join("haven.key")).unwrap(),
            0,
        )
        .unwrap();
        store
            .add_url(
                &haven_domain::Actor::system(),
                "http://listed.example/a",
                haven_domain::lists::UrlLevel::Url,
                "csam",
                0,
            )
            .unwrap();
    }
    let file = a.join("for-c.bundle");
    let out = haven(
        a,
        &["exchange", "export", "--peer", "C", file.to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(&file).unwrap();

    let cut = c.join("cut.bundle");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = haven(c, &["exchange", "import", cut.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("cut off"),
        "{}",
        text(&out.stderr)
    );

    let out = haven(c, &["exchange", "import", file.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("URLs: 1 listed"),
        "{}",
        text(&out.stdout)
    );
    let out = haven(c, &["exchange", "import", file.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("a replay"),
        "{}",
        text(&out.stderr)
    );

    let out = haven(c, &["peer", "list"], None);
    assert!(text(&out.stdout).contains("A\t"), "{}", text(&out.stdout));
    let out = haven(
        a,
        &["exchange", "export", "--peer", "C", file.to_str().unwrap()],
        None,
    );
    assert!(out.status.success());
    assert!(
        text(&out.stderr).contains("nothing new"),
        "{}",
        text(&out.stderr)
    );
    let out = haven(c, &["audit", "verify"], None);
    assert!(out.status.success(), "{}", text(&out.stdout));
}

/// Opens a node's SQLite store directly (no server is running on it).
fn open_node(d: &Path) -> haven_store::SqlStore {
    haven_store::SqlStore::open(
        Box::new(haven_store_sqlite::SqliteBackend::open(&d.join("haven.db"), 0).unwrap()),
        haven_store::Keyring::load(&d.join("haven.key")).unwrap(),
        0,
    )
    .unwrap()
}

/// The hash entries a node holds from its peers: (origin id, enabled).
fn received(d: &Path) -> Vec<(String, bool)> {
    use haven_store::Store;
    let (all, _) = open_node(d).hash_changes_since(0).unwrap();
    all.into_iter()
        .filter_map(|e| e.origin.map(|o| (o.id, e.enabled)))
        .collect()
}

/// `n` distinct PDQ hashes with plenty of detail (a xorshift stream).
fn pdq_hashes(n: usize, seed: u64) -> Vec<haven_domain::lists::NewHashEntry> {
    let mut x = seed | 1;
    let mut word = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|_| haven_domain::lists::NewHashEntry {
            pdq: Some((0..4).map(|_| format!("{:016x}", word())).collect()),
            quality: Some(100),
            md5: None,
            sha256: None,
            source: "test".into(),
            category: "csam".into(),
        })
        .collect()
}

/// Two small demo nodes, A trusting B with `publish` and B trusting A
/// to send `may_send`.
fn demo_peers(a: &Path, b: &Path, publish: &str, may_send: &str) {
    for d in [a, b] {
        let out = haven(d, &["demo", "--children", "3"], None);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let key = |d: &Path| {
        shown(
            &text(&haven(d, &["node", "show"], None).stdout),
            "public key:",
        )
    };
    let (a_key, b_key) = (key(a), key(b));
    let out = haven(
        a,
        &["peer", "add", "B", "--key", &b_key, "--publish", publish],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = haven(
        b,
        &["peer", "add", "A", "--key", &a_key, "--may-send", may_send],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_node_killed_in_the_middle_of_an_import_is_left_consistent_and_imports_again() {
    use haven_store::Store;
    use std::io::BufRead;
    let (a_dir, b_dir) = (TempDir::new("kill-a"), TempDir::new("kill-b"));
    let (a, b) = (&a_dir.0, &b_dir.0);
    demo_peers(a, b, "hashlist:big", "hashes");

    // A lists 30,000 hashes: bundle 1; then 10 more: bundle 2.
    let n = 30_000;
    let sys = haven_domain::Actor::system();
    {
        let store = open_node(a);
        let list = store.create_hash_list(&sys, "big", "", 0).unwrap();
        let all = pdq_hashes(n + 10, 7);
        store
            .add_hash_entries(&sys, &list.id, &all[..n], Some("test"), 0)
            .unwrap();
    }
    let export = |file: &Path| {
        let out = haven(
            a,
            &["exchange", "export", "--peer", "B", file.to_str().unwrap()],
            None,
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
    };
    let (first, second) = (a.join("1.bundle"), a.join("2.bundle"));
    export(&first);
    {
        let store = open_node(a);
        let list = store
            .list_hash_lists(&sys, 0)
            .unwrap()
            .into_iter()
            .find(|l| l.name == "big")
            .unwrap();
        store
            .add_hash_entries(&sys, &list.id, &pdq_hashes(n + 10, 7)[n..], None, 0)
            .unwrap();
    }
    export(&second);

    // B imports bundle 1 and is killed once a tenth of it is applied.
    let mut child = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["exchange", "import", first.to_str().unwrap(), "--data-dir"])
        .arg(b)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push(line.clone());
        if line.contains(&format!("10000 of {n} items applied")) {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no rollback of its own
    let status = child.wait().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            status.signal(),
            Some(9),
            "the import ended before it was killed: {seen:?}"
        );
    }
    assert!(
        seen.iter()
            .any(|l| l.contains("applying 30000 items") && l.contains("from ")),
        "{seen:?}"
    );

    // The steps applied before the kill stay, each entry once and
    // announced in the audit log, which holds together; B's position in
    // A's chain has not moved, so bundle 1 is taken again.
    let kept = received(b);
    let distinct: std::collections::HashSet<_> = kept.iter().map(|(id, _)| id).collect();
    assert_eq!(distinct.len(), kept.len());
    assert!(kept.len() < n, "the import finished before the kill");
    if !kept.is_empty() {
        let audit = open_node(b).recent_audit(&sys, 20, 0).unwrap();
        assert!(
            audit
                .iter()
                .any(|e| e.action == "exchange.import" && e.outcome == "started"),
            "{audit:#?}"
        );
    }
    let out = haven(b, &["audit", "verify"], None);
    assert!(out.status.success(), "{}", text(&out.stdout));
    let out = haven(b, &["peer", "list"], None);
    assert!(
        text(&out.stdout).contains("last sequence: 0"),
        "{}",
        text(&out.stdout)
    );

    // Imported again: every entry once; then bundle 2 follows it.
    for (file, listed, total) in [(&first, n, n), (&second, 10, n + 10)] {
        let out = haven(b, &["exchange", "import", file.to_str().unwrap()], None);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains(&format!("hash entries: {listed} listed")),
            "{}",
            text(&out.stdout)
        );
        let got = received(b);
        let distinct: std::collections::HashSet<_> = got.iter().map(|(id, _)| id).collect();
        assert_eq!((got.len(), distinct.len()), (total, total));
        assert!(got.iter().all(|(_, enabled)| *enabled));
    }
    let out = haven(b, &["audit", "verify"], None);
    assert!(out.status.success(), "{}", text(&out.stdout));
}

#[test]
fn a_rotated_node_key_is_followed_by_its_peer_and_its_old_heads_still_verify() {
    use haven_store::Store;
    let (a_dir, b_dir) = (TempDir::new("rotate-a"), TempDir::new("rotate-b"));
    let (a, b) = (&a_dir.0, &b_dir.0);
    let show = |d: &Path| text(&haven(d, &["node", "show"], None).stdout);
    demo_peers(a, b, "urls,audit", "urls,audit");
    let old_fp = shown(&show(a), "fingerprint:");
    // A head signed with the key about to be retired.
    let old_key = haven_domain::exchange::NodeKey::from_file_text(
        &std::fs::read_to_string(a.join("haven.node-key")).unwrap(),
    )
    .unwrap();
    open_node(a).sign_audit_head(&old_key, 1).unwrap().unwrap();

    let out = haven(a, &["node", "rotate-key"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert_eq!(shown(&said, "retired:"), old_fp);
    let new_fp = shown(&show(a), "fingerprint:");
    assert_eq!(shown(&said, "fingerprint:"), new_fp);
    assert_ne!(new_fp, old_fp);
    assert!(!a.join("haven.node-key.new").exists());
    // The old head is still vouched for: the rotation leads to the new key.
    let out = haven(a, &["audit", "verify"], None);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    // B follows the rotation with A's next bundle, which the new key signed.
    let file = a.join("1.bundle");
    let out = haven(
        a,
        &["exchange", "export", "--peer", "B", file.to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = haven(b, &["exchange", "import", file.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains(&format!("A rotated its key: trusted now as {new_fp}")),
        "{said}"
    );
    assert!(
        said.contains("audit log: A signed that it reached entry"),
        "{said}"
    );
    let listed = text(&haven(b, &["peer", "list"], None).stdout);
    assert!(
        listed.contains(&new_fp) && !listed.contains(&old_fp),
        "{listed}"
    );
    // The same bundle again is a replay, refused.
    let out = haven(b, &["exchange", "import", file.to_str().unwrap()], None);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("replay"),
        "{}",
        text(&out.stderr)
    );
}

/// `haven field init` against a server on this machine: a wrong password
/// makes nothing; the right one enrols the laptop and fills a folder of
/// its own with the caseworker's area, sealed with the password.
#[test]
fn a_field_laptop_takes_its_users_area_into_a_sealed_folder() {
    let server = TempDir::new("field-server");
    let laptop = TempDir::new("field-laptop");
    let out = haven(&server.0, &["demo", "--children", "150"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (mut serving, serving_out, addr) =
        start_server(&server.0, &["--listen", "127.0.0.1:0"], None, Stdio::null());
    let url = format!("http://{addr}");
    let init = |password: &str| field_init(&url, &laptop.0, password);

    let out = init("not the password");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("refused (401)"),
        "{}",
        text(&out.stderr)
    );
    assert!(!laptop.0.join("haven.db").exists(), "nothing made");

    let out = init("haven-demo-2026");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("enrolled laptop"),
        "{}",
        text(&out.stdout)
    );
    // The key is kept only sealed, and the credential only sealed with it.
    assert!(laptop.0.join("haven.key.sealed").exists());
    assert!(!laptop.0.join("haven.key").exists());
    let state = std::fs::read_to_string(laptop.0.join("field.json")).unwrap();
    assert!(!state.contains("hvl_"), "{state}");
    // The caseworker's area, as the server holds it: the same children.
    let area = |db: &Path| -> Vec<String> {
        let c = rusqlite::Connection::open(db).unwrap();
        let mut s = c
            .prepare("SELECT id FROM children WHERE location_path LIKE '/HV/HV-NR/%' ORDER BY id")
            .unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let on_laptop = area(&laptop.0.join("haven.db"));
    assert!(!on_laptop.is_empty());
    assert_eq!(on_laptop, area(&server.0.join("haven.db")));
    let c = rusqlite::Connection::open(laptop.0.join("haven.db")).unwrap();
    let all: i64 = c
        .query_row("SELECT COUNT(*) FROM children", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        all as usize,
        on_laptop.len(),
        "nobody from outside the area"
    );
    // The area's households came too, with their caregivers, and each
    // child keeps theirs.
    let pairs = |db: &Path, sql: &str| -> Vec<(String, Option<String>)> {
        let c = rusqlite::Connection::open(db).unwrap();
        let mut s = c.prepare(sql).unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let homes = "SELECT h.id, h.location FROM households h WHERE h.location_path LIKE '/HV/HV-NR/%' ORDER BY h.id";
    let (laptop_db, server_db) = (laptop.0.join("haven.db"), server.0.join("haven.db"));
    assert!(
        !pairs(&laptop_db, homes).is_empty(),
        "the demo's households"
    );
    assert_eq!(pairs(&laptop_db, homes), pairs(&server_db, homes));
    let kin =
        "SELECT household_id, CAST(COUNT(*) AS TEXT) FROM caregivers GROUP BY household_id ORDER BY household_id";
    let server_kin: Vec<_> = pairs(&server_db, kin)
        .into_iter()
        .filter(|(h, _)| pairs(&laptop_db, homes).iter().any(|(id, _)| id == h))
        .collect();
    assert_eq!(pairs(&laptop_db, kin), server_kin);
    let homes_of =
        "SELECT id, household_id FROM children WHERE location_path LIKE '/HV/HV-NR/%' ORDER BY id";
    assert_eq!(pairs(&laptop_db, homes_of), pairs(&server_db, homes_of));
    // Without the password the folder names nobody: a child's name, read
    // from the server, is nowhere in its files.
    let token = text(&haven(&server.0, &["token", "create", "caseworker"], None).stdout);
    let child: serde_json::Value = serde_json::from_str(
        &ureq::get(&format!("{url}/api/v1/children/{}", on_laptop[0]))
            .set("Authorization", &format!("Bearer {}", token.trim()))
            .call()
            .unwrap()
            .into_string()
            .unwrap(),
    )
    .unwrap();
    let name = child["family_name"].as_str().unwrap().to_string();
    assert!(name.len() >= 3);
    for entry in std::fs::read_dir(&laptop.0).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(name.len()).any(|w| w == name.as_bytes()));
    }
    // The server knows the laptop; a second init into the folder is refused.
    let out = init("haven-demo-2026");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("already holds Haven data"),
        "{}",
        text(&out.stderr)
    );

    // Offline: the laptop is the same Haven for the caseworker, opened
    // with the password. A command without it is refused.
    let out = haven(&laptop.0, &["token", "create", "caseworker"], None);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--unlock-stdin"),
        "{}",
        text(&out.stderr)
    );
    let out = haven(
        &laptop.0,
        &["token", "create", "caseworker", "--unlock-stdin"],
        Some("haven-demo-2026\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let local_token = text(&out.stdout).trim().to_string();
    let (mut offline, offline_out, laptop_addr) = start_server(
        &laptop.0,
        &["--listen", "127.0.0.1:0", "--unlock-stdin"],
        Some("haven-demo-2026\n"),
        Stdio::null(),
    );
    let laptop_url = format!("http://{laptop_addr}");
    let send = call_api;
    // Two children young enough that their records take any change today
    // (a record is checked whole: a demo child registered at 16 years ago
    // is an adult now).
    let year: i64 = 1970
        + (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            / 31_557_600) as i64;
    let young: Vec<&String> = on_laptop
        .iter()
        .filter(|id| {
            let c = send(
                &laptop_url,
                &local_token,
                "GET",
                &format!("/api/v1/children/{id}"),
                None,
            );
            c["date_of_birth"].as_str().unwrap()[..4]
                .parse::<i64>()
                .unwrap()
                >= year - 14
        })
        .take(3)
        .collect();
    let (a, b, c) = (young[0], young[1], young[2]);
    let disability = send(
        &laptop_url,
        &local_token,
        "GET",
        &format!("/api/v1/children/{a}"),
        None,
    )["disability"]
        .as_bool()
        .unwrap();
    send(
        &laptop_url,
        &local_token,
        "PATCH",
        &format!("/api/v1/children/{a}"),
        Some(serde_json::json!({"disability": !disability})),
    );
    send(
        &laptop_url,
        &local_token,
        "PATCH",
        &format!("/api/v1/children/{b}"),
        Some(serde_json::json!({"family_name": "Laptopname"})),
    );
    let a_district = send(
        &laptop_url,
        &local_token,
        "GET",
        &format!("/api/v1/children/{a}"),
        None,
    )["location"]
        .as_str()
        .unwrap()
        .to_string();
    // A child registered on the laptop is kept for the sync; what a sync
    // would not carry (a case step) is refused on the laptop, not lost later.
    let registered = send(
        &laptop_url,
        &local_token,
        "POST",
        "/api/v1/children",
        Some(
            serde_json::json!({"given_name": "Ama", "family_name": "Owusu", "sex": "female", "estimated_age": 6, "location": a_district, "birth_registration": "registered"}),
        ),
    );
    let registered = registered["child"]["id"]
        .as_str()
        .or_else(|| registered["id"].as_str())
        .unwrap_or_else(|| panic!("{registered}"))
        .to_string();
    // She is assessed there too; the server scores the answers again.
    let assessed = send(
        &laptop_url,
        &local_token,
        "POST",
        &format!("/api/v1/children/{registered}/assessments"),
        Some(
            serde_json::json!({"answers": {"immediate_danger": true}, "notes": "Laptopnote by the well"}),
        ),
    );
    assert_eq!(assessed["level"], "critical", "{assessed}");
    let assessment = assessed["id"].as_str().unwrap().to_string();
    // And a child the checkout brought (moved out of the area later: the
    // laptop then forgets the assessment with the child).
    send(
        &laptop_url,
        &local_token,
        "POST",
        &format!("/api/v1/children/{a}/assessments"),
        Some(serde_json::json!({"answers": {"poverty": true}})),
    );
    let refused = ureq::post(&format!("{laptop_url}/api/v1/households"))
        .set("Authorization", &format!("Bearer {local_token}"))
        .set("Content-Type", "application/json")
        .send_string("{}");
    match refused {
        Err(ureq::Error::Status(409, r)) => {
            assert!(r.into_string().unwrap().contains("field laptop"))
        }
        other => panic!("a household registered on the laptop: {other:?}"),
    }
    // Meanwhile the supervisor changes the same field on the server.
    let supervisor = text(&haven(&server.0, &["token", "create", "supervisor"], None).stdout);
    send(
        &url,
        supervisor.trim(),
        "PATCH",
        &format!("/api/v1/children/{b}"),
        Some(serde_json::json!({"family_name": "Servername"})),
    );
    // And a third child, changed on the laptop, is moved to another region
    // on the server: the change can no longer be made there.
    send(
        &laptop_url,
        &local_token,
        "PATCH",
        &format!("/api/v1/children/{c}"),
        Some(serde_json::json!({"given_name": "Laptopgiven"})),
    );
    let national = text(&haven(&server.0, &["token", "create", "admin"], None).stdout);
    send(
        &url,
        national.trim(),
        "PATCH",
        &format!("/api/v1/children/{c}"),
        Some(serde_json::json!({"location": "HV-SR-01"})),
    );
    offline.kill().unwrap();
    let _ = offline.wait();
    // The changes waiting on the laptop are sealed as the records are: no
    // name written offline is in any of the folder's files.
    for entry in std::fs::read_dir(&laptop.0).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for name in [&b"Laptopname"[..], b"Laptopgiven", b"Laptopnote"] {
            assert!(
                !bytes.windows(name.len()).any(|w| w == name),
                "{} holds {:?} in the clear",
                path.display(),
                String::from_utf8_lossy(name)
            );
        }
    }

    // Back online: one change applied, one kept for a person. A copy of
    // the folder as it is now stands for a laptop that stopped after the
    // server applied its changes but before it recorded the answer.
    let crashed = TempDir::new("field-crashed");
    std::fs::create_dir_all(&crashed.0).unwrap();
    for entry in std::fs::read_dir(&laptop.0).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), crashed.0.join(entry.file_name())).unwrap();
    }
    let sync = || haven(&laptop.0, &["field", "sync"], Some("haven-demo-2026\n"));
    let out = sync();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("sent 6 changes: 4 applied, 1 kept as conflicts, 1 refused"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(
        send(
            &url,
            token.trim(),
            "GET",
            &format!("/api/v1/children/{a}"),
            None
        )["disability"],
        !disability
    );
    // The child registered offline is on the server, under the laptop's
    // identifier, as written there.
    let on_server = send(
        &url,
        token.trim(),
        "GET",
        &format!("/api/v1/children/{registered}"),
        None,
    );
    assert_eq!(on_server["given_name"], "Ama", "{on_server}");
    assert_eq!(on_server["family_name"], "Owusu");
    // So is her assessment, under the laptop's identifier, once.
    let history = send(
        &url,
        token.trim(),
        "GET",
        &format!("/api/v1/children/{registered}/assessments"),
        None,
    );
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{history}");
    assert_eq!(items[0]["id"], assessment.as_str());
    assert_eq!(items[0]["level"], "critical");
    assert_eq!(items[0]["notes"], "Laptopnote by the well");
    // The laptop's audit log joined the server's: its reads of the
    // children's records offline are there, marked as the laptop's.
    let laptop_reads = send(
        &url,
        national.trim(),
        "GET",
        &format!("/api/v1/audit/search?action=laptop.child.read&target=child:{a}&limit=50"),
        None,
    );
    let laptop_reads = laptop_reads["items"].as_array().unwrap();
    assert!(
        !laptop_reads.is_empty(),
        "no laptop read of {a} on the server"
    );
    assert!(laptop_reads.iter().all(
        |e| e["actor"] == "caseworker" && e["detail"].as_str().unwrap().contains("Test laptop")
    ));
    let conflicts = send(&url, token.trim(), "GET", "/api/v1/conflicts", None);
    let items = conflicts["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{conflicts}");
    assert_eq!(items[0]["child_id"], b.as_str());
    assert_eq!(items[0]["laptop"], "Laptopname");
    assert_eq!(items[0]["server"], "Servername");
    // The stopped laptop sends the same changes again: the same answers,
    // nothing applied twice, no second conflict.
    let out = haven(&crashed.0, &["field", "sync"], Some("haven-demo-2026\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("sent 6 changes: 4 applied, 1 kept as conflicts, 1 refused"),
        "{}",
        text(&out.stdout)
    );
    let again = send(&url, token.trim(), "GET", "/api/v1/conflicts", None);
    assert_eq!(again["items"].as_array().unwrap().len(), 1, "{again}");
    // The refused change stays on the laptop, with why, until discarded.
    let listed = haven(&laptop.0, &["field", "refused"], Some("haven-demo-2026\n"));
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let line = text(&listed.stdout);
    assert!(
        line.contains(c.as_str()) && line.contains("given_name → Laptopgiven"),
        "{line}"
    );
    let n = line.split('\t').next().unwrap().trim().to_string();
    let out = haven(
        &laptop.0,
        &["field", "discard", &n],
        Some("haven-demo-2026\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = haven(
        &laptop.0,
        &["field", "discard", &n],
        Some("haven-demo-2026\n"),
    );
    assert!(!out.status.success(), "a second discard finds nothing");
    let listed = haven(&laptop.0, &["field", "refused"], Some("haven-demo-2026\n"));
    assert!(
        text(&listed.stdout).contains("no refused changes"),
        "{}",
        text(&listed.stdout)
    );
    // Nothing is sent twice; a child transferred out of the area meanwhile
    // leaves the laptop.
    let held = |db: &Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM children", [], |r| r.get(0))
            .unwrap()
    };
    let before = held(&laptop.0.join("haven.db"));
    let national = text(&haven(&server.0, &["token", "create", "admin"], None).stdout);
    send(
        &url,
        national.trim(),
        "PATCH",
        &format!("/api/v1/children/{a}"),
        Some(serde_json::json!({"location": "HV-ER-01"})),
    );
    let out = sync();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("sent 0 changes")
            && text(&out.stdout).contains("removed 1 no longer in the area"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(held(&laptop.0.join("haven.db")), before - 1);
    let out = haven(&laptop.0, &["field", "sync"], Some("wrong password\n"));
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("wrong password"),
        "{}",
        text(&out.stderr)
    );

    // The laptop's own page syncs too: the caseworker signs in on the
    // laptop's server and presses "Sync now".
    let (mut offline, page_out, laptop_addr) = start_server(
        &laptop.0,
        &["--listen", "127.0.0.1:0", "--unlock-stdin"],
        Some("haven-demo-2026\n"),
        Stdio::null(),
    );
    let laptop_url = format!("http://{laptop_addr}");
    let in_school = send(
        &laptop_url,
        &local_token,
        "GET",
        &format!("/api/v1/children/{b}"),
        None,
    )["in_school"]
        .as_bool()
        .unwrap();
    send(
        &laptop_url,
        &local_token,
        "PATCH",
        &format!("/api/v1/children/{b}"),
        Some(serde_json::json!({"in_school": !in_school})),
    );
    let browser = ureq::AgentBuilder::new().redirects(0).build();
    let cookie_of = |r: &ureq::Response, name: &str| -> String {
        r.all("set-cookie")
            .into_iter()
            .find_map(|c| c.strip_prefix(&format!("{name}=")))
            .and_then(|c| c.split(';').next())
            .map(|v| format!("{name}={v}"))
            .unwrap_or_else(|| panic!("no {name} cookie"))
    };
    let field_of = |body: &str, name: &str| -> String {
        body.split(&format!("name=\"{name}\" value=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_else(|| panic!("no {name} in the page"))
            .to_string()
    };
    let form = browser.get(&format!("{laptop_url}/login")).call().unwrap();
    let login_cookie = cookie_of(&form, "haven_login");
    let login_token = field_of(&form.into_string().unwrap(), "login_token");
    let signed_in = browser
        .post(&format!("{laptop_url}/login"))
        .set("Cookie", &login_cookie)
        .send_form(&[
            ("login_token", &login_token),
            ("name", "caseworker"),
            ("password", "haven-demo-2026"),
        ])
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let session = cookie_of(&signed_in, "haven_session");
    let page = browser
        .get(&format!("{laptop_url}/field"))
        .set("Cookie", &session)
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(page.contains(&url), "the page names the server: {page}");
    let synced = browser
        .post(&format!("{laptop_url}/field/sync"))
        .set("Cookie", &session)
        .send_form(&[("csrf", &field_of(&page, "csrf"))])
        .unwrap();
    assert_eq!(synced.status(), 303);
    assert!(
        synced
            .header("location")
            .is_some_and(|l| l.starts_with("/field?synced=1.0.0.")),
        "{:?}",
        synced.header("location")
    );
    assert_eq!(
        send(
            &url,
            token.trim(),
            "GET",
            &format!("/api/v1/children/{b}"),
            None
        )["in_school"],
        !in_school,
        "the change made on the laptop reached the server"
    );
    offline.kill().unwrap();
    let _ = offline.wait();
    drop(page_out);

    // Revoked by an administrator: the next sync is refused and the
    // folder can no longer be opened.
    let admin = text(&haven(&server.0, &["token", "create", "admin"], None).stdout);
    let laptops = send(&url, admin.trim(), "GET", "/api/v1/field/laptops", None);
    let id = laptops["items"][0]["id"].as_str().unwrap().to_string();
    send(
        &url,
        admin.trim(),
        "POST",
        &format!("/api/v1/field/laptops/{id}/revoke"),
        Some(serde_json::json!({})),
    );
    let out = sync();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("revoked"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("was destroyed"),
        "{}",
        text(&out.stderr)
    );
    for gone in ["haven.key.sealed", "haven.db", "field.json"] {
        assert!(!laptop.0.join(gone).exists(), "{gone} is still there");
    }
    serving.kill().unwrap();
    let _ = serving.wait();
    drop((serving_out, offline_out));
}

/// `haven field init` of a laptop folder at `dir` for the demo's
/// caseworker, enrolled with `server`, the password written on stdin.
fn field_init(server: &str, dir: &Path, password: &str) -> Output {
    field_init_as(server, dir, "caseworker", password)
}

/// [`field_init`] for the demo user `user`.
fn field_init_as(server: &str, dir: &Path, user: &str, password: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_haven"));
    cmd.args([
        "field",
        "init",
        "--server",
        server,
        "--user",
        user,
        "--label",
        "Test laptop",
        "--data-dir",
    ])
    .arg(dir)
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // A refused folder is refused before the password is read.
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes());
    child.wait_with_output().unwrap()
}

/// An API call that must succeed: its JSON answer.
fn call_api(
    url: &str,
    token: &str,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    let r = ureq::request(method, &format!("{url}{path}"))
        .set("Authorization", &format!("Bearer {token}"));
    let r = match body {
        Some(b) => r
            .set("Content-Type", "application/json")
            .send_string(&b.to_string()),
        None => r.call(),
    };
    let r = r.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    serde_json::from_str::<serde_json::Value>(&r.into_string().unwrap()).unwrap()
}

/// A token for `user` on a laptop folder's own store, unlocked with
/// `password`.
fn laptop_token(laptop: &Path, user: &str, password: &str) -> String {
    let out = haven(
        laptop,
        &["token", "create", user, "--unlock-stdin"],
        Some(&format!("{password}\n")),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).trim().to_string()
}

/// A laptop folder's own server, as offline, unlocked with `password`.
fn serve_laptop(
    laptop: &Path,
    password: &str,
) -> (
    Serving,
    std::io::BufReader<std::process::ChildStdout>,
    String,
) {
    start_server(
        laptop,
        &["--listen", "127.0.0.1:0", "--unlock-stdin"],
        Some(&format!("{password}\n")),
        Stdio::null(),
    )
}

/// `haven field sync` on a laptop folder, which must succeed: what it
/// printed.
fn field_sync(laptop: &Path, password: &str) -> String {
    let out = haven(laptop, &["field", "sync"], Some(&format!("{password}\n")));
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout) + &text(&out.stderr)
}

/// An API call that may be refused: its status and JSON answer.
fn api_status(
    url: &str,
    token: &str,
    method: &str,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let r = ureq::request(method, &format!("{url}{path}"))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "application/json")
        .send_string(&body.to_string());
    let r = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {path}: {e}"),
    };
    let status = r.status();
    (
        status,
        serde_json::from_str(&r.into_string().unwrap()).unwrap(),
    )
}

/// One number from an SQLite file.
fn count_in(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_sync_killed_at_any_point_loses_nothing_and_applies_nothing_twice() {
    use std::os::unix::process::ExitStatusExt;
    const PASSWORD: &str = "haven-demo-2026\n";
    let server = TempDir::new("kill-server");
    let laptop = TempDir::new("kill-laptop");
    let out = haven(&server.0, &["demo", "--children", "60"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let serve = |crash_at: Option<&str>| {
        start_server_with(
            &server.0,
            &["--listen", "127.0.0.1:0"],
            None,
            Stdio::null(),
            crash_at.map(|p| ("HAVEN_TEST_CRASH_AT", p)),
        )
    };
    let (serving, _serving_out, addr) = serve(None);
    let out = field_init(&format!("http://{addr}"), &laptop.0, PASSWORD.trim());
    assert!(out.status.success(), "{}", text(&out.stderr));
    drop(serving);

    // Offline: two children of the area changed, one assessed, one
    // registered.
    let local = text(
        &haven(
            &laptop.0,
            &["token", "create", "caseworker", "--unlock-stdin"],
            Some(PASSWORD),
        )
        .stdout,
    )
    .trim()
    .to_string();
    let db = laptop.0.join("haven.db");
    // The area's youngest children: far from 18 whatever today's date (a
    // fixed "under 14" ran out of children as the demo's birthdays passed).
    let young = |n: i64| -> String {
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row(
                "SELECT id FROM children ORDER BY date_of_birth DESC, id LIMIT 1 OFFSET ?",
                [n],
                |r| r.get(0),
            )
            .unwrap()
    };
    let (a, b) = (young(0), young(1));
    // The caseworker's open cases came with the checkout; a note is
    // written on one offline.
    let case: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT id FROM cases ORDER BY id LIMIT 1", [], |r| r.get(0))
        .expect("the caseworker's open cases are on the laptop");
    let server_db = server.0.join("haven.db");
    let notes_on = |case: &str| {
        count_in(
            &server_db,
            &format!("SELECT COUNT(*) FROM case_events WHERE case_id = '{case}' AND kind = 'note'"),
        )
    };
    let notes_before = notes_on(&case);
    let mut made_here = String::new();
    // The children's assessments came with them, whoever made them.
    let laptop_assessments = count_in(&db, "SELECT COUNT(*) FROM assessments");
    let in_area = rusqlite::Connection::open(&db)
        .unwrap()
        .prepare("SELECT id FROM children")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|id| format!("'{}'", id.unwrap()))
        .collect::<Vec<_>>()
        .join(", ");
    assert_eq!(
        laptop_assessments,
        count_in(
            &server_db,
            &format!("SELECT COUNT(*) FROM assessments WHERE child_id IN ({in_area})")
        )
    );
    assert!(laptop_assessments > 0, "the demo's assessments of the area");
    // And a referral, to a service of the directory the checkout brought.
    let service: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT id FROM services ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .expect("the services directory is on the laptop");
    let referrals_on = |case: &str| {
        count_in(
            &server_db,
            &format!("SELECT COUNT(*) FROM referrals WHERE case_id = '{case}'"),
        )
    };
    let referrals_before = referrals_on(&case);
    {
        let (_offline, _out, laptop_addr) = start_server(
            &laptop.0,
            &["--listen", "127.0.0.1:0", "--unlock-stdin"],
            Some(PASSWORD),
            Stdio::null(),
        );
        let at = format!("http://{laptop_addr}");
        let district = call_api(&at, &local, "GET", &format!("/api/v1/children/{a}"), None)
            ["location"]
            .as_str()
            .unwrap()
            .to_string();
        for (method, path, body) in [
            (
                "PATCH",
                format!("/api/v1/children/{a}"),
                serde_json::json!({"given_name": "Kilian"}),
            ),
            (
                "POST",
                format!("/api/v1/children/{a}/assessments"),
                serde_json::json!({"answers": {"poverty": true}}),
            ),
            (
                "POST",
                "/api/v1/children".to_string(),
                serde_json::json!({"given_name": "Ama", "family_name": "Crashreg", "sex": "female", "estimated_age": 6, "location": district, "birth_registration": "registered"}),
            ),
            (
                "PATCH",
                format!("/api/v1/children/{b}"),
                serde_json::json!({"family_name": "Kelleher"}),
            ),
            (
                "POST",
                format!("/api/v1/cases/{case}/notes"),
                serde_json::json!({"text": "Met the aunt at the clinic"}),
            ),
            (
                "POST",
                format!("/api/v1/cases/{case}/referrals"),
                serde_json::json!({"service_id": service, "reason": "Needs a birth certificate"}),
            ),
        ] {
            let answer = call_api(&at, &local, method, &path, Some(body));
            if path.ends_with("/assessments") {
                made_here = answer["id"].as_str().unwrap().to_string();
            }
        }
    }
    let waiting = || count_in(&db, "SELECT COUNT(*) FROM field_outbox");
    assert_eq!(waiting(), 6);
    let assessed_before = count_in(
        &server_db,
        &format!("SELECT COUNT(*) FROM assessments WHERE child_id = '{a}'"),
    );

    let sync = |crash_at: Option<&str>| {
        haven_with(
            &laptop.0,
            &["field", "sync"],
            Some(PASSWORD),
            crash_at.map(|p| ("HAVEN_TEST_CRASH_AT", p)),
        )
    };
    // The server came back at another address: the laptop is told.
    let moved_to = |addr: &str| {
        let path = laptop.0.join("field.json");
        let mut state: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        state["server"] = format!("http://{addr}").into();
        std::fs::write(&path, state.to_string()).unwrap();
    };
    let admin = |addr: &str| -> (String, String) {
        let token = text(&haven(&server.0, &["token", "create", "admin"], None).stdout);
        (format!("http://{addr}"), token.trim().to_string())
    };

    // The server is killed once it has applied the first change.
    let (mut dying, _dying_out, addr) = serve(Some("server.operation_applied"));
    moved_to(&addr);
    let out = sync(None);
    assert!(!out.status.success(), "{}", text(&out.stdout));
    assert_eq!(
        dying.wait().unwrap().signal(),
        Some(9),
        "the server was killed"
    );
    assert_eq!(
        count_in(&server_db, "SELECT COUNT(*) FROM field_operations"),
        1
    );
    assert_eq!(waiting(), 6, "the laptop still holds every change");

    // The laptop is killed at each step of a sync against a server that
    // stays up, then the server again as it takes the audit log.
    let (serving, _serving_out, addr) = serve(None);
    moved_to(&addr);
    for point in [
        "laptop.answered",
        "laptop.answers_recorded",
        "laptop.checkout_received",
    ] {
        let out = sync(Some(point));
        assert_eq!(
            out.status.signal(),
            Some(9),
            "{point}: {}",
            text(&out.stderr)
        );
    }
    drop(serving);
    let (mut dying, _dying_out, addr) = serve(Some("server.audit_taken"));
    moved_to(&addr);
    let out = sync(None);
    assert!(!out.status.success(), "{}", text(&out.stdout));
    assert_eq!(dying.wait().unwrap().signal(), Some(9));
    let (_serving, _serving_out, addr) = serve(None);
    moved_to(&addr);
    let out = sync(Some("laptop.audit_answered"));
    assert_eq!(out.status.signal(), Some(9), "{}", text(&out.stderr));

    // Two syncs of one folder never run at once (a killed sync's lock
    // went with it): a second one is told so, and changes nothing.
    let held = std::fs::File::open(laptop.0.join("field.lock")).unwrap();
    held.lock().unwrap();
    let out = sync(None);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("another sync of this laptop is running"),
        "{}",
        text(&out.stderr)
    );
    drop(held);

    // Then a sync that completes.
    let out = sync(None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(waiting(), 0, "nothing waits");
    assert!(
        text(&out.stdout).contains("sent 0 changes"),
        "{}",
        text(&out.stdout)
    );

    // Everything arrived, once.
    let (url, token) = admin(&addr);
    assert_eq!(
        call_api(&url, &token, "GET", &format!("/api/v1/children/{a}"), None)["given_name"],
        "Kilian"
    );
    assert_eq!(
        call_api(&url, &token, "GET", &format!("/api/v1/children/{b}"), None)["family_name"],
        "Kelleher"
    );
    // The laptop holds it once: the checkout brought it back as the
    // server's, and it was not written twice.
    assert_eq!(
        count_in(
            &db,
            &format!("SELECT COUNT(*) FROM assessments WHERE id = '{made_here}'")
        ),
        1
    );
    assert_eq!(
        count_in(&db, "SELECT COUNT(*) FROM assessments"),
        laptop_assessments + 1
    );
    assert_eq!(
        count_in(
            &server_db,
            &format!("SELECT COUNT(*) FROM assessments WHERE child_id = '{a}'")
        ),
        assessed_before + 1,
        "the assessment made offline, once"
    );
    assert_eq!(
        count_in(
            &server_db,
            &format!("SELECT COUNT(*) FROM assessments WHERE id = '{made_here}'")
        ),
        1
    );
    let caseworker = text(&haven(&server.0, &["token", "create", "caseworker"], None).stdout);
    let found = call_api(
        &url,
        caseworker.trim(),
        "GET",
        "/api/v1/children?q=Crashreg",
        None,
    );
    let registered = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["family_name"] == "Crashreg")
        .count();
    assert_eq!(registered, 1, "{found}");
    assert_eq!(
        count_in(
            &server_db,
            "SELECT COUNT(*) - COUNT(DISTINCT n) FROM field_operations"
        ),
        0,
        "an operation answered twice"
    );
    assert_eq!(
        count_in(&server_db, "SELECT COUNT(*) FROM field_operations"),
        6
    );
    assert_eq!(
        referrals_on(&case),
        referrals_before + 1,
        "the referral made offline, once"
    );
    assert_eq!(
        notes_on(&case),
        notes_before + 1,
        "the note written offline, once"
    );
    // Each of the laptop's audit entries is in the server's chain once,
    // and the chain holds.
    assert_eq!(
        count_in(
            &server_db,
            "SELECT COUNT(*) - COUNT(DISTINCT detail) FROM audit_log WHERE action LIKE 'laptop.%'"
        ),
        0,
        "a laptop entry taken twice"
    );
    assert!(
        count_in(
            &server_db,
            "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'laptop.%'"
        ) > 0
    );

    // A case handed to the supervisor while the laptop wrote a note on
    // it: the note is refused with the reason and kept on the laptop to
    // redo or discard; the case leaves the laptop.
    let handed: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT id FROM cases ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    {
        let (_offline, _out, laptop_addr) = start_server(
            &laptop.0,
            &["--listen", "127.0.0.1:0", "--unlock-stdin"],
            Some(PASSWORD),
            Stdio::null(),
        );
        call_api(
            &format!("http://{laptop_addr}"),
            &local,
            "POST",
            &format!("/api/v1/cases/{handed}/notes"),
            Some(serde_json::json!({"text": "Asked the school for the register"})),
        );
    }
    let supervisor = text(&haven(&server.0, &["token", "create", "supervisor"], None).stdout);
    call_api(
        &url,
        supervisor.trim(),
        "POST",
        &format!("/api/v1/cases/{handed}/assignment"),
        Some(
            serde_json::json!({"assigned_to": "supervisor", "reason": "The caseworker is on leave"}),
        ),
    );
    let handed_notes = notes_on(&handed);
    let out = sync(None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout) + &text(&out.stderr);
    assert!(said.contains("handed to supervisor"), "{said}");
    assert!(said.contains("removed 1 closed or handed on"), "{said}");
    assert_eq!(
        notes_on(&handed),
        handed_notes,
        "the refused note wrote nothing"
    );
    assert_eq!(
        count_in(
            &db,
            &format!("SELECT COUNT(*) FROM cases WHERE id = '{handed}'")
        ),
        0,
        "the handed case left the laptop"
    );
    assert!(count_in(&db, "SELECT COUNT(*) FROM cases") > 0);
    let listed = text(&haven(&laptop.0, &["field", "refused"], Some(PASSWORD)).stdout);
    assert!(
        listed.contains(&format!("case {handed}")) && listed.contains("handed to supervisor"),
        "{listed}"
    );
    drop(_serving);
    let out = haven(&server.0, &["audit", "verify"], None);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[test]
fn work_that_waited_for_a_held_registration_is_sent_again_once_a_person_decides() {
    const PASSWORD: &str = "haven-demo-2026";
    let server = TempDir::new("held-server");
    let laptop = TempDir::new("held-laptop");
    let out = haven(&server.0, &["demo", "--children", "40"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (_serving, _out, addr) =
        start_server(&server.0, &["--listen", "127.0.0.1:0"], None, Stdio::null());
    let url = format!("http://{addr}");
    let out = field_init(&url, &laptop.0, PASSWORD);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let caseworker = text(&haven(&server.0, &["token", "create", "caseworker"], None).stdout);
    let caseworker = caseworker.trim();
    // A child of the area as the server holds them.
    let db = laptop.0.join("haven.db");
    let known: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT id FROM children ORDER BY date_of_birth DESC, id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let child = call_api(
        &url,
        caseworker,
        "GET",
        &format!("/api/v1/children/{known}"),
        None,
    );

    // Offline, the same child is registered again and then changed.
    let local = laptop_token(&laptop.0, "caseworker", PASSWORD);
    {
        let (_offline, _out, laptop_addr) = serve_laptop(&laptop.0, PASSWORD);
        let at = format!("http://{laptop_addr}");
        let again = call_api(
            &at,
            &local,
            "POST",
            "/api/v1/children?confirm_new=true",
            Some(serde_json::json!({
                "given_name": child["given_name"], "family_name": child["family_name"],
                "sex": child["sex"], "date_of_birth": child["date_of_birth"],
                "location": child["location"], "birth_registration": child["birth_registration"]})),
        );
        let twin = again["id"].as_str().unwrap().to_string();
        // A field the registration carried as the server holds it: the
        // change then lands, rather than waiting as a conflict (a field
        // left out of the registration, such as the minority group, would
        // conflict whenever the server's child has one).
        call_api(
            &at,
            &local,
            "PATCH",
            &format!("/api/v1/children/{twin}"),
            Some(serde_json::json!({"given_name": "Heldgiven"})),
        );
    }
    let sync = || field_sync(&laptop.0, PASSWORD);
    // The registration is held for a person; the change waits for it,
    // refused and kept on the laptop.
    let said = sync();
    assert!(said.contains("held there for a person to decide"), "{said}");
    assert!(said.contains("1 refused"), "{said}");
    let refused = || {
        count_in(
            &db,
            "SELECT COUNT(*) FROM field_outbox WHERE refused IS NOT NULL",
        )
    };
    assert_eq!(refused(), 1);
    // Syncing again while it waits sends nothing again.
    let said = sync();
    assert!(!said.contains("sent again"), "{said}");
    assert_eq!(refused(), 1);

    // A person decides it is the same child.
    let conflicts = call_api(&url, caseworker, "GET", "/api/v1/conflicts", None);
    let held = conflicts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "registration")
        .unwrap_or_else(|| panic!("{conflicts}"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    call_api(
        &url,
        caseworker,
        "POST",
        &format!("/api/v1/conflicts/{held}/resolve"),
        Some(serde_json::json!({"keep": "server"})),
    );
    // The next sync sends the change again, and it lands on that child.
    let said = sync();
    assert!(said.contains("1 changes that waited"), "{said}");
    assert_eq!(refused(), 0, "{said}");
    assert_eq!(count_in(&db, "SELECT COUNT(*) FROM field_outbox"), 0);
    let now = call_api(
        &url,
        caseworker,
        "GET",
        &format!("/api/v1/children/{known}"),
        None,
    );
    assert_eq!(now["given_name"], "Heldgiven", "{now}");
}

#[test]
fn a_referral_to_the_users_agency_is_answered_offline_and_the_answer_reaches_the_server() {
    const PASSWORD: &str = "haven-demo-2026";
    let server = TempDir::new("incoming-server");
    let laptop = TempDir::new("incoming-laptop");
    let out = haven(&server.0, &["demo", "--children", "40"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (_serving, _out, addr) =
        start_server(&server.0, &["--listen", "127.0.0.1:0"], None, Stdio::null());
    let url = format!("http://{addr}");
    let token = |user: &str| {
        text(&haven(&server.0, &["token", "create", user], None).stdout)
            .trim()
            .to_string()
    };
    let (caseworker, health) = (token("caseworker"), token("health"));
    // The caseworker refers two children of their open cases to the
    // health office, online.
    let cases = call_api(&url, &caseworker, "GET", "/api/v1/cases?mine=true", None);
    let mut referred = Vec::new();
    for case in cases["items"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let file = call_api(
            &url,
            &caseworker,
            "GET",
            &format!("/api/v1/cases/{id}"),
            None,
        );
        let Some(clinic) = file["available_services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["agency"] == "HEALTH")
        else {
            continue;
        };
        let r = call_api(
            &url,
            &caseworker,
            "POST",
            &format!("/api/v1/cases/{id}/referrals"),
            Some(
                serde_json::json!({"service_id": clinic["id"], "kind": "service",
                                    "reason": "Needs a hearing test at the clinic"}),
            ),
        );
        referred.push(r["id"].as_str().unwrap().to_string());
        if referred.len() == 2 {
            break;
        }
    }
    assert_eq!(referred.len(), 2, "the demo's open cases: {cases}");
    let (first, second) = (&referred[0], &referred[1]);

    // The health office's worker takes a laptop into the field: the
    // referrals addressed to the office come with it, sealed.
    let out = field_init_as(&url, &laptop.0, "health", PASSWORD);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let db = laptop.0.join("haven.db");
    for id in [first, second] {
        let held = format!(
            "SELECT COUNT(*) FROM field_incoming_referrals WHERE id = '{id}' AND status = 'sent'"
        );
        assert_eq!(count_in(&db, &held), 1, "{id}");
    }
    let files: Vec<u8> = ["haven.db", "haven.db-wal"]
        .iter()
        .flat_map(|f| std::fs::read(laptop.0.join(f)).unwrap_or_default())
        .collect();
    assert!(
        !String::from_utf8_lossy(&files).contains("hearing test"),
        "the reason is sealed"
    );
    // A caseworker without an agency takes none.
    let plain = TempDir::new("incoming-plain");
    assert!(field_init(&url, &plain.0, PASSWORD).status.success());
    assert_eq!(
        count_in(
            &plain.0.join("haven.db"),
            "SELECT COUNT(*) FROM field_incoming_referrals"
        ),
        0
    );

    // Offline, the first is accepted; the second is left for now. The
    // rules are the same as online.
    let local = laptop_token(&laptop.0, "health", PASSWORD);
    let offline = |work: &dyn Fn(&str)| {
        let (_offline, _out, laptop_addr) = serve_laptop(&laptop.0, PASSWORD);
        work(&format!("http://{laptop_addr}"));
    };
    offline(&|at| {
        let waiting = call_api(at, &local, "GET", "/api/v1/referrals?box=incoming", None);
        let ids: Vec<&str> = waiting["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert!(
            ids.contains(&first.as_str()) && ids.contains(&second.as_str()),
            "{waiting}"
        );
        let brief = call_api(
            at,
            &local,
            "GET",
            &format!("/api/v1/referrals/{first}"),
            None,
        );
        assert_eq!(
            brief["reason"], "Needs a hearing test at the clinic",
            "{brief}"
        );
        let answer = |id: &str, body: serde_json::Value| {
            api_status(
                at,
                &local,
                "POST",
                &format!("/api/v1/referrals/{id}/answer"),
                body,
            )
        };
        let (status, body) = answer(first, serde_json::json!({"status": "completed"}));
        assert_eq!(status, 409, "accepted before completed: {body}");
        let (status, body) = answer(first, serde_json::json!({"status": "accepted"}));
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("accepted")),
            "{body}"
        );
        let (status, body) = answer(second, serde_json::json!({"status": "declined"}));
        assert_eq!(status, 422, "a decline needs its reason: {body}");
    });
    assert_eq!(count_in(&db, "SELECT COUNT(*) FROM field_outbox"), 1);
    let sync = || field_sync(&laptop.0, PASSWORD);
    let said = sync();
    assert!(said.contains("1 applied"), "{said}");
    let on_server = |id: &str| {
        call_api(
            &url,
            &health,
            "GET",
            &format!("/api/v1/referrals/{id}"),
            None,
        )
    };
    let answered = on_server(first);
    assert_eq!(
        (
            answered["status"].as_str(),
            answered["answered_by"].as_str()
        ),
        (Some("accepted"), Some("health")),
        "{answered}"
    );
    assert_eq!(on_server(second)["status"], "sent");

    // Meanwhile a colleague at the office completes the first online; the
    // laptop, not knowing, completes it too: refused, saying why, and
    // kept on the laptop. The referral, done with, leaves the laptop.
    call_api(
        &url,
        &health,
        "POST",
        &format!("/api/v1/referrals/{first}/answer"),
        Some(serde_json::json!({"status": "completed", "note": "Seen on Tuesday"})),
    );
    offline(&|at| {
        let (status, body) = api_status(
            at,
            &local,
            "POST",
            &format!("/api/v1/referrals/{first}/answer"),
            serde_json::json!({"status": "completed", "note": "Seen on Monday"}),
        );
        assert_eq!(status, 200, "{body}");
    });
    let said = sync();
    assert!(said.contains("1 refused"), "{said}");
    assert_eq!(
        count_in(
            &db,
            "SELECT COUNT(*) FROM field_outbox WHERE refused_code = 'referral_answered'"
        ),
        1
    );
    let done = on_server(first);
    assert_eq!(done["answer"], "Seen on Tuesday", "{done}");
    assert_eq!(
        count_in(
            &db,
            &format!("SELECT COUNT(*) FROM field_incoming_referrals WHERE id = '{first}'")
        ),
        0
    );
    assert_eq!(
        count_in(
            &db,
            &format!("SELECT COUNT(*) FROM field_incoming_referrals WHERE id = '{second}'")
        ),
        1
    );
}

#[test]
fn a_case_opened_offline_reaches_the_server_under_its_identifier_with_its_note() {
    const PASSWORD: &str = "haven-demo-2026";
    let server = TempDir::new("opening-server");
    let laptop = TempDir::new("opening-laptop");
    let out = haven(&server.0, &["demo", "--children", "40"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (_serving, _out, addr) =
        start_server(&server.0, &["--listen", "127.0.0.1:0"], None, Stdio::null());
    let url = format!("http://{addr}");
    let caseworker = text(&haven(&server.0, &["token", "create", "caseworker"], None).stdout);
    let caseworker = caseworker.trim();
    // A child newly registered in the area, with no case yet.
    let place: String = rusqlite::Connection::open(server.0.join("haven.db"))
        .unwrap()
        .query_row(
            "SELECT location FROM children WHERE location_path LIKE '/HV/HV-NR/%' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let registered = call_api(
        &url,
        caseworker,
        "POST",
        "/api/v1/children?confirm_new=true",
        Some(serde_json::json!({
            "given_name": "Opened", "family_name": "Offline", "sex": "female",
            "date_of_birth": "2016-02-03", "location": place,
            "birth_registration": "registered"})),
    );
    let child = registered["id"].as_str().unwrap().to_string();
    assert!(field_init(&url, &laptop.0, PASSWORD).status.success());
    let db = laptop.0.join("haven.db");
    let local = laptop_token(&laptop.0, "caseworker", PASSWORD);
    let case = {
        let (_offline, _out, laptop_addr) = serve_laptop(&laptop.0, PASSWORD);
        let at = format!("http://{laptop_addr}");
        let case = call_api(
            &at,
            &local,
            "POST",
            &format!("/api/v1/children/{child}/cases"),
            Some(serde_json::json!({})),
        );
        let id = case["id"].as_str().unwrap().to_string();
        call_api(
            &at,
            &local,
            "POST",
            &format!("/api/v1/cases/{id}/notes"),
            Some(serde_json::json!({"text": "Opened at the school gate"})),
        );
        // A second case for the same child is refused there as online.
        let (status, body) = api_status(
            &at,
            &local,
            "POST",
            &format!("/api/v1/children/{child}/cases"),
            serde_json::json!({}),
        );
        assert_eq!(status, 409, "{body}");
        id
    };
    let said = field_sync(&laptop.0, PASSWORD);
    assert!(said.contains("2 applied"), "{said}");
    let file = call_api(
        &url,
        caseworker,
        "GET",
        &format!("/api/v1/cases/{case}"),
        None,
    );
    assert_eq!(file["child_id"], child.as_str(), "{file}");
    assert_eq!(file["assigned_to"], "caseworker", "{file}");
    assert!(
        file["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["text"] == "Opened at the school gate"),
        "{file}"
    );
    // The laptop holds it as the server's now, and nothing waits.
    assert_eq!(count_in(&db, "SELECT COUNT(*) FROM field_outbox"), 0);
    assert_eq!(
        count_in(
            &db,
            &format!("SELECT COUNT(*) FROM cases WHERE id = '{case}'")
        ),
        1
    );
}
