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
    SqlStore::new(
        Box::new(backend),
        Keyring::load_or_create(&dir.0.join("haven.key")).unwrap(),
    )
    .with_audit_head(&dir.0.join("haven.audit-head"))
    .unwrap()
    .opened(conformance::NOW)
    .unwrap()
}

#[test]
fn victims_and_populations_on_sqlite() {
    let dir = TempDir::new("populations");
    conformance::run_victims_and_populations(&open(&dir));
}

#[test]
fn signed_audit_heads_between_two_nodes_on_sqlite() {
    let a = TempDir::new("heads-a");
    let b = TempDir::new("heads-b");
    conformance::run_audit_heads(&open(&a), &open(&b));
}

#[test]
fn key_rotation_between_two_nodes_on_sqlite() {
    let a = TempDir::new("rotation-a");
    let b = TempDir::new("rotation-b");
    conformance::run_key_rotation(&open(&a), &open(&b));
}

#[test]
fn exchange_between_two_nodes_on_sqlite() {
    let a = TempDir::new("exchange-a");
    let b = TempDir::new("exchange-b");
    conformance::run_exchange(&open(&a), &open(&b));
}

#[test]
fn a_large_bundle_is_applied_in_bulk_as_item_by_item_on_sqlite() {
    let b = TempDir::new("exchange-bulk");
    conformance::run_exchange_in_bulk(&open(&b));
}

#[test]
fn a_large_bundle_is_applied_in_steps_that_let_other_writers_through_on_sqlite() {
    let b = TempDir::new("exchange-steps");
    conformance::run_exchange_in_steps(&open(&b));
}

#[test]
fn travelling_offender_alerts_between_two_nodes_on_sqlite() {
    let a = TempDir::new("alerts-a");
    let b = TempDir::new("alerts-b");
    conformance::run_alerts(&open(&a), &open(&b));
    // Sealed at rest: no name or document number in either raw file.
    for dir in [&a, &b] {
        for file in ["haven.db", "haven.db-wal"] {
            let bytes = std::fs::read(dir.0.join(file)).unwrap_or_default();
            for word in [&b"Quint"[..], b"P-4471", b"Child Protection Unit"] {
                assert!(
                    !bytes.windows(word.len()).any(|w| w == word),
                    "{file} holds {:?} in the clear",
                    String::from_utf8_lossy(word)
                );
            }
        }
    }
}

#[test]
fn published_figures_between_two_nodes_on_sqlite() {
    let a = TempDir::new("statistics-a");
    let b = TempDir::new("statistics-b");
    conformance::run_statistics(&open(&a), &open(&b));
}

#[test]
fn indicators_on_sqlite() {
    let dir = TempDir::new("indicators");
    conformance::run_indicators(&open(&dir));
}

#[test]
fn retention_purges_on_sqlite_and_leaves_no_readable_name() {
    let dir = TempDir::new("retention");
    let store = open(&dir);
    conformance::run_retention(&store);
    drop(store);
    // secure_delete: the purged child's sealed name is gone from the file,
    // and so are the plain parts of their row that were never sealed.
    let raw = std::fs::read(dir.0.join("haven.db")).unwrap();
    let wal = std::fs::read(dir.0.join("haven.db-wal")).unwrap_or_default();
    let needle = b"2010-03-01";
    let count = |hay: &[u8]| hay.windows(needle.len()).filter(|w| w == needle).count();
    // One child born that day is still in care and kept; the other's row
    // is gone, overwritten rather than left in the page's free space.
    assert_eq!(count(&raw) + count(&wal), 1);
}

#[test]
fn conformance_suite_on_sqlite() {
    let dir = TempDir::new("sqlite");
    let store = open(&dir);
    conformance::run_all(&store);
    conformance::assessment_notes_at_rest(&store);
    conformance::inspection_findings_at_rest(&store);
    conformance::attempt_counters(&store);

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
    let wrong = SqlStore::new(
        Box::new(backend),
        Keyring::load_or_create(&other_dir.0.join("k")).unwrap(),
    );
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
    conformance::audit_tampering(&open(&dir));
}

#[test]
fn the_audit_log_keeps_verifying_after_its_oldest_entries_are_purged() {
    let dir = TempDir::new("audit-retention");
    conformance::audit_retention(&open(&dir));
}

#[test]
fn a_key_file_that_is_not_the_databases_own_is_refused() {
    let dir = TempDir::new("wrongkey");
    let store = open(&dir);
    let [_, cw1, ..] = conformance::seed(&store);
    store
        .create_child(
            &cw1,
            &conformance::child("Amina", "Diallo", "2014-03-02", "D11"),
            conformance::NOW,
        )
        .unwrap();
    drop(store);
    let other = TempDir::new("wrongkey2");
    let wrong = SqlStore::new(
        Box::new(SqliteBackend::open(&dir.0.join("haven.db"), conformance::NOW).unwrap()),
        Keyring::load_or_create(&other.0.join("k")).unwrap(),
    );
    let e = wrong.prepare(conformance::NOW).unwrap_err();
    assert!(matches!(e, haven_store::StoreError::WrongKey(_)), "{e}");
    // A database from before fingerprints were kept: the key must open its names.
    rusqlite_conn(&dir)
        .execute("DELETE FROM haven_meta WHERE name = 'key_fingerprint'", [])
        .unwrap();
    assert!(matches!(
        wrong.prepare(conformance::NOW).unwrap_err(),
        haven_store::StoreError::WrongKey(_)
    ));
    let right = open(&dir);
    right.prepare(conformance::NOW).unwrap();
    // A missing key file is never replaced by a new one.
    assert!(matches!(
        Keyring::load(&other.0.join("absent")).unwrap_err(),
        haven_store::StoreError::KeyMissing(_)
    ));
}

#[test]
fn an_audit_log_from_before_the_key_is_rechained_once() {
    let dir = TempDir::new("legacy");
    let store = open(&dir);
    conformance::seed(&store);
    let n = store.verify_audit().unwrap().unwrap() as i64;
    drop(store);
    // Make it look as the first round left it: plain SHA-256, no head file.
    let conn = rusqlite_conn(&dir);
    let rows: Vec<(i64, i64, String, String, String, String, String)> = conn
        .prepare(
            "SELECT seq, at, actor, action, target, outcome, detail FROM audit_log ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = haven_store::audit::GENESIS.to_string();
    for (seq, at, actor, action, target, outcome, detail) in rows {
        let h = haven_store::audit::entry_hash(
            haven_store::audit::ChainHash::Legacy,
            &prev,
            seq,
            at,
            &actor,
            &action,
            &target,
            &outcome,
            &detail,
            None,
        );
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev, h, seq],
        )
        .unwrap();
        prev = h;
    }
    conn.execute(
        "UPDATE haven_meta SET value = ?1 WHERE name = 'audit_legacy_upto'",
        [n.to_string()],
    )
    .unwrap();
    conn.execute("DELETE FROM haven_meta WHERE name = 'key_fingerprint'", [])
        .unwrap();
    std::fs::remove_file(dir.0.join("haven.audit-head")).unwrap();
    let store = open(&dir);
    // Re-chained once, and its own entry started the head file.
    assert_eq!(store.verify_audit().unwrap().unwrap() as i64, n + 1);
    // The head file lost: reported, until a start begins a new one.
    std::fs::remove_file(dir.0.join("haven.audit-head")).unwrap();
    assert!(
        store.verify_audit().unwrap().is_err(),
        "a missing head is reported"
    );
    assert!(store.start_audit_head(conformance::NOW).unwrap());
    assert_eq!(store.verify_audit().unwrap().unwrap() as i64, n + 2);
    let recent = store
        .recent_audit(&haven_domain::Actor::system(), 2, conformance::NOW)
        .unwrap();
    assert_eq!(recent[0].action, "audit.head_started");
    assert_eq!(recent[1].action, "audit.rechained");
    // Now keyed: a plain recomputation no longer passes.
    conn.execute("UPDATE audit_log SET detail = 'x' WHERE seq = 2", [])
        .unwrap();
    assert_eq!(store.verify_audit().unwrap().unwrap_err().seq, 2);
}

#[test]
fn url_entries_keyed_the_old_way_are_rekeyed_with_a_tombstone() {
    let dir = TempDir::new("rekey");
    let store = open(&dir);
    let [_, _, _, analyst, ..] = conformance::seed(&store);
    let partner = haven_domain::Actor {
        role: haven_domain::Role::Partner,
        ..analyst.clone()
    };
    drop(store);
    let conn = rusqlite_conn(&dir);
    // As the first round keyed it: the dot segment and the escape kept.
    conn.execute(
        "INSERT INTO url_entries (id, url_key, level, original, category, added_by, added_at, version) VALUES ('old1', 'bad.example/a/./b%2Fc', 'url', 'http://bad.example/a/./b%2Fc', 'csam', 'analyst', 1, 1)",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE haven_meta SET value = 'old' WHERE name = 'url_canonical_form'",
        [],
    )
    .unwrap();
    let store = open(&dir);
    let found = store
        .check_url(&partner, "http://bad.example/a/b/c", conformance::NOW)
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].url, "bad.example/a/b/c");
    let changes = store.url_list_since(&partner, 1, conformance::NOW).unwrap();
    assert!(
        changes.removed.iter().any(|e| e.id == "old1"),
        "the old key is tombstoned for ISPs"
    );
}

#[cfg(unix)]
#[test]
fn database_wal_and_backups_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("modes");
    let store = open(&dir);
    conformance::seed(&store);
    let copy = dir.0.join("copy.db");
    store.backup(&copy).unwrap();
    for f in ["haven.db", "haven.db-wal", "haven.audit-head", "copy.db"] {
        let mode = std::fs::metadata(dir.0.join(f))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{f}");
    }
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
    assert!(matches!(wrong, Err(haven_store::StoreError::WrongKey(_))));
    assert_eq!(state(), before, "nothing changed");
    drop(open(&dir));
    assert_eq!(state(), (haven_domain::duplicates::TOKEN_SCHEME, before.1));
}

fn rusqlite_conn(dir: &TempDir) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.0.join("haven.db")).unwrap()
}

#[test]
fn the_write_ahead_log_stays_bounded_under_writes_and_reads() {
    let dir = TempDir::new("wal");
    let limit = 1024 * 1024;
    let backend = SqliteBackend::open(&dir.0.join("haven.db"), conformance::NOW)
        .unwrap()
        .with_wal_limit(limit);
    let store = std::sync::Arc::new(SqlStore::new(
        Box::new(backend),
        Keyring::load_or_create(&dir.0.join("haven.key")).unwrap(),
    ));
    let [admin, cw1, ..] = conformance::seed(store.as_ref());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Readers that always hold a snapshot, as a busy office's do.
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (store, stop, admin) = (store.clone(), stop.clone(), admin.clone());
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let _ = store.child_counts(&admin, conformance::NOW);
                }
            })
        })
        .collect();
    let wal = dir.0.join("haven.db-wal");
    let mut largest = 0;
    for i in 0..400 {
        let name = format!("Child{i}");
        store
            .create_child(
                &cw1,
                &conformance::child(&name, "Walker", "2014-03-02", "D11"),
                conformance::NOW,
            )
            .unwrap();
        largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for r in readers {
        r.join().unwrap();
    }
    assert!(
        largest < 4 * limit,
        "the WAL reached {largest} bytes with a limit of {limit}"
    );
}

#[test]
fn a_report_decision_that_fails_leaves_no_child_or_case_behind() {
    use haven_domain::report::{Decision, NewReport};
    let dir = TempDir::new("decision");
    let store = open(&dir);
    let [_, cw1, ..] = conformance::seed(&store);
    let report = NewReport {
        category: "child_at_risk".into(),
        reporter: "child".into(),
        description: "A child sleeps at the bus station".into(),
        ..Default::default()
    };
    store
        .submit_report(&report.validate().unwrap(), Some("D11"), conformance::NOW)
        .unwrap();
    let id = store
        .list_reports(
            &cw1,
            &haven_store::reports::ReportFilter::open(),
            conformance::NOW,
        )
        .unwrap()[0]
        .id
        .clone();
    // The last step, recording the decision, fails (a trigger stands in
    // for a crash or a lost connection at that moment).
    rusqlite_conn(&dir)
        .execute_batch("CREATE TRIGGER fail_decision BEFORE UPDATE OF decision ON reports BEGIN SELECT RAISE(ABORT, 'injected failure'); END;")
        .unwrap();
    let link = haven_store::reports::ChildLink::New(Box::new(conformance::child(
        "Atomic",
        "Station",
        "2015-05-05",
        "D11",
    )));
    assert!(store
        .decide_report(
            &cw1,
            &id,
            Decision::OpenCase,
            Some("at risk"),
            Some(&link),
            conformance::NOW
        )
        .is_err());
    let admin = haven_domain::Actor::system();
    let found = store
        .list_children(
            &admin,
            &haven_domain::ChildFilter {
                name: Some("Atomic Station".into()),
                ..Default::default()
            },
            None,
            10,
            conformance::NOW,
        )
        .unwrap();
    assert!(
        found.items.is_empty(),
        "the child was registered without the decision"
    );
    let cases = store
        .list_cases(&admin, &Default::default(), conformance::NOW)
        .unwrap();
    assert!(cases.is_empty(), "a case was opened without the decision");
}

#[test]
fn minority_groups_are_sealed_like_names() {
    let dir = TempDir::new("minority");
    let store = open(&dir);
    let [_, cw1, ..] = conformance::seed(&store);
    let mut input = conformance::child("Amina", "Diallo", "2014-03-02", "D11");
    input.minority_group = Some("Wodaabe-one".into());
    let (made, _) = store.create_child(&cw1, &input, conformance::NOW).unwrap();
    let mut other = conformance::child("Mariama", "Sow", "2013-03-02", "D11");
    other.minority_group = Some("placeholder".into());
    let (old, _) = store.create_child(&cw1, &other, conformance::NOW).unwrap();
    drop(store);
    // As the first round stored it: in plain text.
    let conn = rusqlite_conn(&dir);
    conn.execute(
        "UPDATE children SET minority_group = 'Wodaabe-two', minority_group_enc = NULL WHERE id = ?1",
        [&old.id],
    )
    .unwrap();
    drop(conn);
    let store = open(&dir);
    assert_eq!(
        store
            .get_child(&cw1, &made.id, conformance::NOW)
            .unwrap()
            .minority_group
            .as_deref(),
        Some("Wodaabe-one")
    );
    assert_eq!(
        store
            .get_child(&cw1, &old.id, conformance::NOW)
            .unwrap()
            .minority_group
            .as_deref(),
        Some("Wodaabe-two")
    );
    drop(store);
    let conn = rusqlite_conn(&dir);
    // VACUUM writes its copy into the write-ahead log: copy that back into
    // the file too, here, since the store's checkpoint thread may still
    // hold the database open (then closing this connection would not).
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    drop(conn);
    let raw = std::fs::read(dir.0.join("haven.db")).unwrap();
    for needle in ["Wodaabe-one", "Wodaabe-two"] {
        assert!(
            !raw.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle} readable in the database file"
        );
    }
}

#[test]
fn a_damaged_head_file_never_stops_a_start() {
    let dir = TempDir::new("damagedhead");
    let store = open(&dir);
    conformance::seed(&store);
    drop(store);
    // What a crash in the middle of writing it could leave.
    std::fs::write(dir.0.join("haven.audit-head"), "HVNHEAD1 12").unwrap();
    let store = open(&dir);
    assert!(store.verify_audit().unwrap().is_err(), "reported");
    assert!(store.start_audit_head(conformance::NOW).unwrap());
    assert!(store.verify_audit().unwrap().is_ok());
    let recent = store
        .recent_audit(&haven_domain::Actor::system(), 1, conformance::NOW)
        .unwrap();
    assert!(recent[0].detail.contains("damaged"), "{:?}", recent[0]);
}

#[test]
fn logframes_and_readiness_on_sqlite() {
    let dir = TempDir::new("monitoring");
    conformance::run_monitoring(&open(&dir));
}

/// The signed head catches what the head file cannot: someone who deletes
/// the newest entries and writes the head file back to match the shorter
/// log (it is plain text) still cannot make a signed head that says so.
#[test]
fn cutting_off_the_newest_entries_fails_verification_against_the_signed_head() {
    let dir = TempDir::new("signed-head");
    let node = haven_domain::exchange::NodeKey::from_seed(&[9; 32]);
    let store = open(&dir).with_node_public_key(node.public());
    conformance::seed(&store);
    let signed = store
        .sign_audit_head(&node, conformance::NOW)
        .unwrap()
        .expect("a head to sign");
    assert_eq!(
        store.sign_audit_head(&node, conformance::NOW).unwrap(),
        None,
        "nothing appended since: nothing new to sign"
    );
    assert_eq!(store.verify_audit().unwrap().unwrap() as i64, signed.seq);
    // After a rotation the old key's heads still verify: the rotation,
    // signed by both keys, leads from it to the key in use.
    let rotated = haven_domain::exchange::NodeKey::from_seed(&[10; 32]);
    let admin = haven_domain::Actor::system();
    store
        .record_key_rotation(
            &admin,
            &haven_domain::exchange::KeyRotationItem::sign(&node, &rotated, conformance::NOW),
            conformance::NOW,
        )
        .unwrap();
    drop(store);
    let store = open(&dir).with_node_public_key(rotated.public());
    let entries = store.verify_audit().unwrap().unwrap() as i64;
    assert_eq!(entries, signed.seq + 1, "the rotation's own entry");
    let stranger = haven_domain::exchange::NodeKey::from_seed(&[11; 32]);
    drop(store);
    let store = open(&dir).with_node_public_key(stranger.public());
    assert!(
        store.verify_audit().unwrap().is_err(),
        "a key that is not this node's does not vouch for its heads"
    );
    drop(store);

    let conn = rusqlite_conn(&dir);
    let keep = signed.seq - 3;
    let hash: String = conn
        .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [keep], |r| {
            r.get(0)
        })
        .unwrap();
    conn.execute("DELETE FROM audit_log WHERE seq > ?1", [keep])
        .unwrap();
    std::fs::write(
        dir.0.join("haven.audit-head"),
        format!("HVNHEAD1 {keep} {hash}\n"),
    )
    .unwrap();
    drop(conn);
    let store = open(&dir).with_node_public_key(rotated.public());
    let problem = store.verify_audit().unwrap().unwrap_err();
    assert_eq!(problem.seq, keep + 1);
    assert!(
        problem
            .reason
            .contains(&format!("that it reached entry {}", signed.seq)),
        "{problem}"
    );

    // Nor can the signed head be moved back to match: its signature breaks.
    let conn = rusqlite_conn(&dir);
    conn.execute(
        "UPDATE signed_audit_heads SET seq = ?1, hash = ?2",
        rusqlite::params![keep, hash],
    )
    .unwrap();
    let problem = store.verify_audit().unwrap().unwrap_err();
    assert!(
        problem
            .reason
            .contains("does not carry this node's signature"),
        "{problem}"
    );
}

#[test]
fn a_field_laptop_syncs_each_change_once_and_keeps_conflicts_for_a_person_on_sqlite() {
    let d = TempDir::new("field-sync");
    conformance::run_field_sync(&open(&d));
}

/// A bulk command's larger page cache reaches every connection, pooled ones
/// included; a server keeps the small default.
#[test]
fn a_bulk_command_gets_a_larger_page_cache_and_a_server_the_default() {
    use haven_store::sql::Backend;
    let dir = TempDir::new("cache");
    let cache = |b: &SqliteBackend| {
        let mut kib = 0;
        b.transaction(false, &mut |c| {
            kib = haven_store::sql::int(&c.query("PRAGMA cache_size", &[])?[0], 0)?;
            Ok(())
        })
        .unwrap();
        kib
    };
    let path = dir.0.join("haven.db");
    let served = SqliteBackend::open(&path, conformance::NOW).unwrap();
    assert_eq!(cache(&served), -haven_store_sqlite::DEFAULT_CACHE_KIB);
    let bulk = SqliteBackend::open(&path, conformance::NOW)
        .unwrap()
        .with_page_cache_mib(64);
    assert_eq!(cache(&bulk), -64 * 1024);
}

#[test]
fn a_field_laptop_answers_referrals_to_its_agency_on_sqlite() {
    let d = TempDir::new("field-referrals");
    conformance::run_field_referral_answers(&open(&d));
}

#[test]
fn a_field_laptop_opens_cases_offline_on_sqlite() {
    let d = TempDir::new("field-openings");
    conformance::run_field_case_openings(&open(&d));
}

/// On a laptop: a case opened for a child whose offline registration the
/// server held for a person is sent again with the work taken on it once
/// the person decided, in the order it was done; not while it is held.
#[test]
fn a_case_opened_for_a_held_registration_is_sent_again_with_its_work() {
    use haven_domain::field_ops::{OperationResult, Outcome, Refusal};
    let d = TempDir::new("held-case");
    let s = open(&d).with_field_outbox();
    let [_admin, cw1, ..] = conformance::seed(&s);
    let now = conformance::NOW;
    let (kid, _) = s
        .create_child(
            &cw1,
            &conformance::child("Awa", "Sow", "2018-04-01", "D11"),
            now,
        )
        .unwrap();
    let case = s.open_case(&cw1, &kid.id, None, now).unwrap();
    s.add_case_note(&cw1, &case.id, "Met her aunt", now)
        .unwrap();
    let sys = haven_domain::Actor::system();
    let (ops, _) = s.field_outbox(&sys, 0, 10).unwrap();
    let kinds: Vec<&str> = ops.iter().map(|o| o.kind.as_str()).collect();
    assert_eq!(kinds, ["child.register", "case.open", "case.note"]);
    assert_eq!(ops[1].record, kid.id);
    assert_eq!(ops[2].record, case.id);
    // The server held the registration; the opening waited for it, and the
    // note on the case it did not open was refused.
    let answer = |n: u64, outcome, code: Option<Refusal>| OperationResult {
        n,
        outcome,
        reason: code.map(|c| c.as_str().to_string()),
        code,
        conflicts: Vec::new(),
    };
    s.field_outbox_answered(
        &sys,
        3,
        &[
            answer(1, Outcome::Conflict, None),
            answer(2, Outcome::Refused, Some(Refusal::RegistrationHeld)),
            answer(3, Outcome::Refused, Some(Refusal::CaseNotOpened)),
        ],
    )
    .unwrap();
    assert_eq!(
        s.requeue_held(&sys, std::slice::from_ref(&kid.id), now)
            .unwrap(),
        0
    );
    assert_eq!(s.refused_operations(&sys).unwrap().len(), 2);
    // Decided: both go again, the opening first.
    assert_eq!(s.requeue_held(&sys, &[], now).unwrap(), 2);
    let (ops, _) = s.field_outbox(&sys, 3, 10).unwrap();
    let again: Vec<(u64, &str)> = ops.iter().map(|o| (o.n, o.kind.as_str())).collect();
    assert_eq!(again, [(4, "case.open"), (5, "case.note")]);
    assert!(s.refused_operations(&sys).unwrap().is_empty());
}

#[test]
fn a_field_laptop_takes_only_the_assessments_written_since_on_sqlite() {
    let d = TempDir::new("field-deltas");
    conformance::run_field_checkout_deltas(&open(&d));
}

#[test]
fn two_connections_reading_together_on_sqlite() {
    let dir = TempDir::new("together");
    let backend = SqliteBackend::open(&dir.0.join("haven.db"), conformance::NOW).unwrap();
    conformance::run_reading_together(&backend);
}

/// Rowids may lie anywhere in i64 (another tool can write them): the
/// pieces still hold every row once, and there are few of them.
#[test]
fn pieces_cover_rowids_across_the_whole_range() {
    use haven_store::sql::{Backend, Value};
    let dir = TempDir::new("rowids");
    let backend = SqliteBackend::open(&dir.0.join("haven.db"), conformance::NOW).unwrap();
    let rowids = [i64::MIN + 1, -5, 0, 7, i64::MAX - 1, i64::MAX];
    backend
        .transaction(true, &mut |c| {
            for (n, rowid) in rowids.iter().enumerate() {
                c.execute(
                    "INSERT INTO locations (rowid, code, name, parent, level, path) VALUES (?, ?, 'Place', NULL, 'country', ?)",
                    &[(*rowid).into(), format!("R{n}").into(), format!("/R{n}/").into()],
                )?;
            }
            Ok(())
        })
        .unwrap();
    for parts in [1, 2, 16] {
        let mut read = Vec::new();
        backend
            .transaction(false, &mut |c| {
                let pieces = c.scan_pieces("locations", "l", parts)?;
                assert!(pieces.len() <= parts + 1, "{parts}: {}", pieces.len());
                for (condition, params) in pieces {
                    for r in c.query(
                        &format!("SELECT l.rowid FROM locations l WHERE {condition}"),
                        &params,
                    )? {
                        match r[0] {
                            Value::Int(n) => read.push(n),
                            ref other => panic!("{other:?}"),
                        }
                    }
                }
                Ok(())
            })
            .unwrap();
        read.sort_unstable();
        assert_eq!(read, rowids, "{parts} pieces");
    }
}

/// While another process holds the write lock, a report still reads, on
/// one connection, rather than waiting for that write to end.
#[test]
fn a_report_reads_on_one_connection_while_another_process_writes() {
    use haven_store::sql::Backend;
    let dir = TempDir::new("locked");
    let path = dir.0.join("haven.db");
    let backend = SqliteBackend::open(&path, conformance::NOW).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut read = None;
    backend
        .read_together(&mut |c, second| {
            let rows = c.query("SELECT count(*) FROM locations", &[])?;
            read = Some((rows.len(), second.is_some()));
            Ok(())
        })
        .unwrap();
    assert_eq!(read, Some((1, false)));
    other.execute_batch("ROLLBACK").unwrap();
    backend
        .read_together(&mut |_, second| {
            read = Some((0, second.is_some()));
            Ok(())
        })
        .unwrap();
    assert_eq!(read, Some((0, true)));
}
