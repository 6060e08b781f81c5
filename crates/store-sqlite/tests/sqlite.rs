//! The store conformance suite on a real SQLite file, plus what only a file
//! database can show: names are not readable in the raw file, backups work.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use haven_store::{conformance, Keyring, SqlStore, Store};
use haven_store_sqlite::SqliteBackend;
use std::path::PathBuf;

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let mut r = [0u8; 8];
        getrandom(&mut r);
        let p = std::env::temp_dir().join(format!(
            "haven-{tag}-{}",
            r.iter().map(|b| format!("{b:02x}")).collect::<String>()
        ));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn getrandom(buf: &mut [u8]) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let seed = nanos ^ (std::process::id() as u128) << 64 ^ (buf.as_ptr() as u128);
    for (i, b) in buf.iter_mut().enumerate() {
        *b = (seed >> ((i % 16) * 8)) as u8;
    }
}

fn open(dir: &TempDir) -> SqlStore {
    let backend = SqliteBackend::open(&dir.0.join("haven.db"), conformance::NOW).unwrap();
    SqlStore::open(
        Box::new(backend),
        Keyring::load_or_create(&dir.0.join("haven.key")).unwrap(),
        conformance::NOW,
    )
    .unwrap()
}

#[test]
fn conformance_suite_on_sqlite() {
    let dir = TempDir::new("sqlite");
    let store = open(&dir);
    conformance::run_all(&store);

    // The raw file holds no names, and reopening with the same key reads them.
    drop(store);
    let raw = std::fs::read(dir.0.join("haven.db")).unwrap();
    let wal = std::fs::read(dir.0.join("haven.db-wal")).unwrap_or_default();
    for needle in [
        "Amina",
        "Diallo",
        "Mariama",
        "Blue door",
        "+999 123",
        "stay with her aunt",
        "aunt supportive",
        "Register the birth",
        "Panel of 3 Nov",
        "Seen on 2 Dec",
        "555-7788",
        "near the market",
        "made to work at night",
        "Фатима",
        "Παπαδόπουλος",
        "كمارا",
        "शर्मा",
        "小明",
    ] {
        let found = |hay: &[u8]| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(
            !found(&raw) && !found(&wal),
            "{needle} is readable in the database file"
        );
    }
    let store = open(&dir);
    let admin = haven_domain::Actor::system();
    let found = store
        .list_children(
            &admin,
            &haven_domain::ChildFilter {
                name: Some("Amina".into()),
                ..Default::default()
            },
            None,
            10,
            conformance::NOW,
        )
        .unwrap();
    assert_eq!(found.items[0].given_name, "Amina");

    // With another key the data cannot be read.
    let other_dir = TempDir::new("otherkey");
    let backend = SqliteBackend::open(&dir.0.join("haven.db"), conformance::NOW).unwrap();
    let wrong = SqlStore::open(
        Box::new(backend),
        Keyring::load_or_create(&other_dir.0.join("k")).unwrap(),
        conformance::NOW,
    )
    .unwrap();
    assert!(wrong
        .list_children(&admin, &Default::default(), None, 10, conformance::NOW)
        .is_err());

    // Online backup is a working database.
    let copy = dir.0.join("backup.db");
    store.backup(&copy).unwrap();
    assert!(store.backup(&copy).is_err(), "never overwrites a file");
    let restored = SqlStore::open(
        Box::new(SqliteBackend::open(&copy, conformance::NOW).unwrap()),
        Keyring::load_or_create(&dir.0.join("haven.key")).unwrap(),
        conformance::NOW,
    )
    .unwrap();
    assert_eq!(
        restored
            .child_counts(&admin, conformance::NOW)
            .unwrap()
            .total,
        store.child_counts(&admin, conformance::NOW).unwrap().total
    );
    assert!(restored.verify_audit().unwrap().is_ok());
}

#[cfg(unix)]
#[test]
fn key_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("key");
    let _ = open(&dir);
    let mode = std::fs::metadata(dir.0.join("haven.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn tampering_with_the_audit_log_is_detected() {
    let dir = TempDir::new("tamper");
    let store = open(&dir);
    conformance::seed(&store);
    let n = store.verify_audit().unwrap().unwrap();
    assert!(n >= 10);
    let conn = rusqlite_conn(&dir);
    conn.execute(
        "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 4",
        [],
    )
    .unwrap();
    let problem = store.verify_audit().unwrap().unwrap_err();
    assert_eq!(problem.seq, 4);
    assert!(problem.reason.contains("altered"));
}

#[test]
fn removed_or_reordered_audit_entries_are_detected() {
    let dir = TempDir::new("tamper2");
    let store = open(&dir);
    conformance::seed(&store);
    let conn = rusqlite_conn(&dir);
    conn.execute("DELETE FROM audit_log WHERE seq = 5", [])
        .unwrap();
    assert_eq!(store.verify_audit().unwrap().unwrap_err().seq, 5);
    // Swap two entries' positions.
    let dir = TempDir::new("tamper3");
    let store = open(&dir);
    conformance::seed(&store);
    let conn = rusqlite_conn(&dir);
    conn.execute_batch("UPDATE audit_log SET seq = -1 WHERE seq = 6; UPDATE audit_log SET seq = 6 WHERE seq = 7; UPDATE audit_log SET seq = 7 WHERE seq = -1;").unwrap();
    assert_eq!(store.verify_audit().unwrap().unwrap_err().seq, 6);
}

#[test]
fn old_name_tokens_are_rebuilt_when_opened() {
    let dir = TempDir::new("reindex");
    conformance::old_name_tokens_are_rebuilt(open(&dir), &|| open(&dir));
}

#[test]
fn a_wrong_key_rebuilds_no_name_tokens() {
    let dir = TempDir::new("reindexkey");
    let store = open(&dir);
    let [_, cw1, ..] = conformance::seed(&store);
    let fatima = conformance::child("Фатима", "Диалло", "2016-01-10", "D11");
    store.create_child(&cw1, &fatima, conformance::NOW).unwrap();
    drop(store);
    let conn = rusqlite_conn(&dir);
    conn.execute("UPDATE index_versions SET version = 1", [])
        .unwrap();
    let state = || -> (i64, i64) {
        let version = conn
            .query_row("SELECT version FROM index_versions", [], |r| r.get(0))
            .unwrap();
        let tokens = conn
            .query_row("SELECT COUNT(*) FROM child_tokens", [], |r| r.get(0))
            .unwrap();
        (version, tokens)
    };
    let before = state();
    let other_dir = TempDir::new("reindexother");
    let wrong = SqlStore::open(
        Box::new(SqliteBackend::open(&dir.0.join("haven.db"), conformance::NOW).unwrap()),
        Keyring::load_or_create(&other_dir.0.join("k")).unwrap(),
        conformance::NOW,
    );
    assert!(matches!(wrong, Err(haven_store::StoreError::Crypto(_))));
    assert_eq!(state(), before, "nothing changed");
    drop(open(&dir));
    assert_eq!(state(), (haven_domain::duplicates::TOKEN_SCHEME, before.1));
}

fn rusqlite_conn(dir: &TempDir) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.0.join("haven.db")).unwrap()
}
