//! The store conformance suite on a real PostgreSQL server, and the check
//! that both backends' migrations reach the same schema.
//!
//! Needs `HAVEN_TEST_POSTGRES_URL` (the README's test command starts a
//! server on loopback and sets it). Without it the tests say so and pass,
//! unless `HAVEN_REQUIRE_POSTGRES=1`, which CI sets, makes that a failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use haven_store::sql::Backend;
use haven_store::{conformance, Keyring, SqlStore, Store};
use haven_store_postgres::PostgresBackend;

fn server_url() -> Option<String> {
    match std::env::var("HAVEN_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            assert!(
                std::env::var("HAVEN_REQUIRE_POSTGRES").is_err(),
                "HAVEN_TEST_POSTGRES_URL is required but not set"
            );
            eprintln!("skipping: HAVEN_TEST_POSTGRES_URL not set");
            None
        }
    }
}

/// A fresh database per test, dropped afterwards.
struct TestDb {
    admin_url: String,
    name: String,
}

impl TestDb {
    fn create(admin_url: &str, tag: &str) -> TestDb {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let name = format!(
            "haven_test_{tag}_{}_{}",
            std::process::id(),
            nanos % 1_000_000_000
        );
        let mut c = postgres::Client::connect(admin_url, postgres::NoTls).unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        TestDb {
            admin_url: admin_url.to_string(),
            name,
        }
    }

    fn url(&self) -> String {
        // Replace the database name at the end of the URL.
        let base = self
            .admin_url
            .rsplit_once('/')
            .map_or(self.admin_url.as_str(), |(b, _)| b);
        format!("{base}/{}", self.name)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

#[test]
fn conformance_suite_on_postgres_and_same_schema_as_sqlite() {
    let Some(admin) = server_url() else { return };
    let db = TestDb::create(&admin, "conf");
    let backend = PostgresBackend::open(&db.url(), conformance::NOW).unwrap();
    let pg_columns = backend.columns().unwrap();
    // Migrations are idempotent: opening again changes nothing.
    let again = PostgresBackend::open(&db.url(), conformance::NOW).unwrap();
    assert_eq!(again.columns().unwrap(), pg_columns);

    let dir = std::env::temp_dir().join(format!("haven-pg-schema-{}", std::process::id()));
    let sqlite =
        haven_store_sqlite::SqliteBackend::open(&dir.join("schema.db"), conformance::NOW).unwrap();
    let sqlite_columns = sqlite.columns().unwrap();
    let sqlite_indexes = sqlite.indexes().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        pg_columns, sqlite_columns,
        "both backends reach the same schema"
    );
    // Scope checks compare location paths as byte ranges: every path column
    // must sort bytewise whatever the cluster's own collation.
    let mut c = postgres::Client::connect(&db.url(), postgres::NoTls).unwrap();
    let paths = c
        .query(
            "SELECT table_name::text, column_name::text, COALESCE(collation_name::text, '') FROM information_schema.columns \
             WHERE table_schema = current_schema() AND column_name LIKE '%path'",
            &[],
        )
        .unwrap();
    assert!(paths.len() >= 7);
    for r in &paths {
        let (t, col, coll): (String, String, String) = (r.get(0), r.get(1), r.get(2));
        assert_eq!(coll, "C", "{t}.{col} must use the C collation");
    }
    // A child's identifier is compared across tables (a child's cases,
    // assessments, referrals): every column naming a child must use the
    // collation of children.id, or the planner cannot use its index and
    // reads the whole table once per child.
    let refs = c
        .query(
            "SELECT cl.relname::text, a.attname::text, COALESCE(co.collname::text, '') \
             FROM pg_constraint k JOIN pg_class cl ON cl.oid = k.conrelid \
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey) \
             LEFT JOIN pg_collation co ON co.oid = a.attcollation \
             WHERE k.contype = 'f' AND k.confrelid = 'children'::regclass",
            &[],
        )
        .unwrap();
    assert!(refs.len() >= 5, "{} columns name a child", refs.len());
    for r in &refs {
        let (t, col, coll): (String, String, String) = (r.get(0), r.get(1), r.get(2));
        assert_eq!(
            coll, "C",
            "{t}.{col} names a child: it must use the C collation"
        );
    }
    let pg_indexes = backend.indexes().unwrap();
    assert!(!pg_indexes.is_empty());
    assert_eq!(
        pg_indexes, sqlite_indexes,
        "both backends have the same indexes and unique constraints"
    );

    let store = SqlStore::open(
        Box::new(backend),
        Keyring::generate().unwrap(),
        conformance::NOW,
    )
    .unwrap();
    conformance::run_all(&store);
    conformance::assessment_notes_at_rest(&store);
    conformance::inspection_findings_at_rest(&store);
    conformance::attempt_counters(&store);
}

/// A store opened on a new, empty test database (dropped with the
/// returned `TestDb`).
fn fresh_store(admin: &str, name: &str) -> (TestDb, SqlStore) {
    let db = TestDb::create(admin, name);
    let backend = PostgresBackend::open(&db.url(), conformance::NOW).unwrap();
    let store = SqlStore::open(
        Box::new(backend),
        Keyring::generate().unwrap(),
        conformance::NOW,
    )
    .unwrap();
    (db, store)
}

#[test]
fn two_connections_reading_together_on_postgres() {
    let Some(admin) = server_url() else { return };
    let db = TestDb::create(&admin, "together");
    let backend = PostgresBackend::open(&db.url(), conformance::NOW).unwrap();
    conformance::run_reading_together(&backend);
}

#[test]
fn indicators_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_db, store) = fresh_store(&admin, "indicators");
    conformance::run_indicators(&store);
}

#[test]
fn victims_and_populations_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_db, store) = fresh_store(&admin, "populations");
    conformance::run_victims_and_populations(&store);
}

#[test]
fn exchange_between_two_nodes_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_a_db, a) = fresh_store(&admin, "exchange_a");
    let (_b_db, b) = fresh_store(&admin, "exchange_b");
    conformance::run_exchange(&a, &b);
}

#[test]
fn signed_audit_heads_between_two_nodes_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_a_db, a) = fresh_store(&admin, "heads_a");
    let (_b_db, b) = fresh_store(&admin, "heads_b");
    conformance::run_audit_heads(&a, &b);
}

#[test]
fn key_rotation_between_two_nodes_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_a_db, a) = fresh_store(&admin, "rotation_a");
    let (_b_db, b) = fresh_store(&admin, "rotation_b");
    conformance::run_key_rotation(&a, &b);
}

#[test]
fn a_large_bundle_is_applied_in_bulk_as_item_by_item_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_db, b) = fresh_store(&admin, "exchange_bulk");
    conformance::run_exchange_in_bulk(&b);
}

#[test]
fn a_large_bundle_is_applied_in_steps_that_let_other_writers_through_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_db, b) = fresh_store(&admin, "exchange_steps");
    conformance::run_exchange_in_steps(&b);
}

#[test]
fn travelling_offender_alerts_between_two_nodes_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_a_db, a) = fresh_store(&admin, "alerts_a");
    let (_b_db, b) = fresh_store(&admin, "alerts_b");
    conformance::run_alerts(&a, &b);
}

#[test]
fn published_figures_between_two_nodes_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_a_db, a) = fresh_store(&admin, "statistics_a");
    let (_b_db, b) = fresh_store(&admin, "statistics_b");
    conformance::run_statistics(&a, &b);
}

#[test]
fn retention_purges_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_db, store) = fresh_store(&admin, "retention");
    conformance::run_retention(&store);
}

#[test]
fn old_name_tokens_are_rebuilt_on_postgres() {
    let Some(admin) = server_url() else { return };
    let db = TestDb::create(&admin, "reindex");
    let keys = Keyring::generate().unwrap();
    let open = || {
        let backend = PostgresBackend::open(&db.url(), conformance::NOW).unwrap();
        SqlStore::open(Box::new(backend), keys.clone(), conformance::NOW).unwrap()
    };
    conformance::old_name_tokens_are_rebuilt(open(), &open);
}

#[test]
fn unreachable_server_is_a_clear_error_without_the_password() {
    let err = PostgresBackend::open("postgres://haven:s3cret-pw@127.0.0.1:1/haven", 0)
        .err()
        .unwrap();
    let msg = err.to_string();
    assert!(msg.contains("cannot connect"), "{msg}");
    assert!(!msg.contains("s3cret-pw"));
}

#[test]
fn tampering_with_the_audit_log_is_detected_on_postgres() {
    let Some(admin) = server_url() else { return };
    let db = TestDb::create(&admin, "tamper");
    let head = std::env::temp_dir().join(format!("haven-pg-head-{}", std::process::id()));
    let store = SqlStore::new(
        Box::new(PostgresBackend::open(&db.url(), conformance::NOW).unwrap()),
        Keyring::generate().unwrap(),
    )
    .with_audit_head(&head)
    .unwrap();
    store.prepare(conformance::NOW).unwrap();
    conformance::audit_tampering(&store);
    let _ = std::fs::remove_file(&head);
}

#[test]
fn the_audit_log_keeps_verifying_after_its_oldest_entries_are_purged_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_db, store) = fresh_store(&admin, "auditage");
    conformance::audit_retention(&store);
}

#[test]
fn a_database_without_haven_data_is_not_begun_by_accident() {
    let Some(admin) = server_url() else { return };
    let db = TestDb::create(&admin, "empty");
    assert!(matches!(
        PostgresBackend::open_existing(&db.url(), conformance::NOW).err(),
        Some(haven_store::StoreError::NotFound(_))
    ));
    PostgresBackend::open(&db.url(), conformance::NOW).unwrap();
    PostgresBackend::open_existing(&db.url(), conformance::NOW).unwrap();
    // The wrong key is refused before anything is written.
    let store = SqlStore::new(
        Box::new(PostgresBackend::open_existing(&db.url(), conformance::NOW).unwrap()),
        Keyring::generate().unwrap(),
    );
    store.prepare(conformance::NOW).unwrap();
    let other = SqlStore::new(
        Box::new(PostgresBackend::open_existing(&db.url(), conformance::NOW).unwrap()),
        Keyring::generate().unwrap(),
    );
    assert!(matches!(
        other.prepare(conformance::NOW).unwrap_err(),
        haven_store::StoreError::WrongKey(_)
    ));
}

#[test]
fn backups_take_the_password_from_the_environment_and_are_private() {
    let Some(admin) = server_url() else { return };
    let db = TestDb::create(&admin, "dump");
    // The test server trusts loopback, so any password works: what matters
    // is that the URL pg_dump is given still connects without it.
    let with_password = db
        .url()
        .replacen("://haven@", "://haven:not-on-the-command-line@", 1);
    assert!(with_password.contains("not-on-the-command-line"));
    let backend = PostgresBackend::open(&with_password, conformance::NOW).unwrap();
    let file = std::env::temp_dir().join(format!("haven-pg-dump-{}", std::process::id()));
    let _ = std::fs::remove_file(&file);
    backend.backup(&file).unwrap();
    let meta = std::fs::metadata(&file).unwrap();
    assert!(meta.len() > 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
    let _ = std::fs::remove_file(&file);
    assert_eq!(
        haven_store_postgres::redacted(&with_password),
        with_password.replace("not-on-the-command-line", "***")
    );
}

/// The TLS-only role's URL and the CA that signed the server's
/// certificate (`scripts/start-postgres` sets both).
fn tls_server() -> Option<(String, String)> {
    match (
        std::env::var("HAVEN_TEST_POSTGRES_TLS_URL"),
        std::env::var("HAVEN_TEST_POSTGRES_CA"),
    ) {
        (Ok(u), Ok(ca)) if !u.is_empty() && !ca.is_empty() => Some((u, ca)),
        _ => {
            assert!(
                std::env::var("HAVEN_REQUIRE_POSTGRES").is_err(),
                "HAVEN_TEST_POSTGRES_TLS_URL and HAVEN_TEST_POSTGRES_CA are required"
            );
            eprintln!("skipping: no TLS-only PostgreSQL role given");
            None
        }
    }
}

#[test]
fn a_server_that_requires_tls_is_reached_over_tls_and_checked() {
    let Some(admin) = server_url() else { return };
    let Some((tls_url, ca)) = tls_server() else {
        return;
    };
    let db = TestDb::create(&admin, "tls");
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    c.batch_execute(&format!("ALTER DATABASE {} OWNER TO tls_only", db.name))
        .unwrap();
    let base = tls_url.rsplit_once('/').unwrap().0;
    // A password in the URL, to show it never reaches a message.
    let url = format!(
        "{}/{}",
        base.replace("tls_only@", "tls_only:n0t-shown@"),
        db.name
    );
    let encrypted = |backend: &PostgresBackend| {
        let mut ssl = String::new();
        backend
            .transaction(false, &mut |c| {
                let r = c.query(
                    "SELECT CASE WHEN ssl THEN 'tls' ELSE 'clear' END FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                    &[],
                )?;
                ssl = haven_store::sql::text(&r[0], 0)?;
                Ok(())
            })
            .unwrap();
        ssl
    };

    // Encrypted without checking the server (sslmode=require)...
    let required =
        PostgresBackend::open(&format!("{url}?sslmode=require"), conformance::NOW).unwrap();
    assert_eq!(encrypted(&required), "tls");
    // ...and with its certificate and host name checked against the CA.
    let ca_param = ca.replace('/', "%2F");
    let verified = PostgresBackend::open(
        &format!("{url}?sslmode=verify-full&sslrootcert={ca_param}"),
        conformance::NOW,
    )
    .unwrap();
    assert_eq!(encrypted(&verified), "tls");
    let store = SqlStore::open(
        Box::new(verified),
        Keyring::generate().unwrap(),
        conformance::NOW,
    )
    .unwrap();
    conformance::seed(&store);

    // A server whose certificate no known CA signed is refused when it
    // must be checked.
    let unknown = PostgresBackend::open(&format!("{url}?sslmode=verify-full"), conformance::NOW)
        .err()
        .expect("an unknown CA is refused");
    assert!(
        unknown.to_string().contains("certificate verify failed"),
        "{unknown}"
    );
    // In clear, the server refuses; the message never shows the password.
    for mode in ["?sslmode=disable", ""] {
        let refused = PostgresBackend::open(&format!("{url}{mode}"), conformance::NOW)
            .err()
            .expect("a TLS-only server refuses a clear connection");
        let message = refused.to_string();
        assert!(message.contains("cannot connect"), "{message}");
        assert!(!message.contains("n0t-shown"), "{message}");
    }
    assert!(!haven_store_postgres::redacted(&url).contains("n0t-shown"));
}

/// A test setting that `scripts/start-postgres` provides; required in CI.
fn required_env(name: &str) -> Option<String> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            assert!(
                std::env::var("HAVEN_REQUIRE_POSTGRES").is_err(),
                "{name} is required but not set"
            );
            eprintln!("skipping: {name} not set");
            None
        }
    }
}

/// `url` with its database name replaced, its query kept.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let base = base.rsplit_once('/').unwrap().0;
    if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    }
}

/// Behind PgBouncer in transaction mode, consecutive transactions run on
/// different server connections (the test pooler hands them round robin):
/// a statement prepared in one transaction and reused in the next, or a
/// session setting, would fail or leak. The whole suite runs that way, and
/// two stores (two Haven servers) write through it at once.
#[test]
fn conformance_suite_through_pgbouncer_in_transaction_mode() {
    let Some(admin) = server_url() else { return };
    let Some(bouncer) = required_env("HAVEN_TEST_PGBOUNCER_URL") else {
        return;
    };
    let db = TestDb::create(&admin, "bouncer");
    let url = with_database(&bouncer, &db.name);
    let keys = Keyring::generate().unwrap();
    let open = || {
        let backend = PostgresBackend::open(&url, conformance::NOW).unwrap();
        SqlStore::open(Box::new(backend), keys.clone(), conformance::NOW).unwrap()
    };
    let first = open();
    conformance::run_all(&first);

    // Two servers registering children at once, each seeing the other's.
    let second = open();
    let cw1 = first
        .actor_for_token(
            &first
                .create_api_token(&haven_domain::Actor::system(), "cw1", 0)
                .unwrap(),
        )
        .unwrap();
    let registered = std::thread::scope(|s| {
        let jobs: Vec<_> = [&first, &second]
            .into_iter()
            .enumerate()
            .map(|(n, store)| {
                let cw1 = cw1.clone();
                s.spawn(move || {
                    (0..20)
                        .map(|i| {
                            let child = conformance::child(
                                &format!("Pool{n}x{i}"),
                                "Bouncer",
                                "2015-01-01",
                                "D11",
                            );
                            store
                                .create_child(&cw1, &child, conformance::NOW)
                                .unwrap()
                                .0
                                .id
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        jobs.into_iter()
            .flat_map(|j| j.join().unwrap())
            .collect::<Vec<_>>()
    });
    assert_eq!(registered.len(), 40);
    for id in &registered {
        first.get_child(&cw1, id, conformance::NOW).unwrap();
        second.get_child(&cw1, id, conformance::NOW).unwrap();
    }
    // The audit chain stayed one chain with two writers on pooled connections.
    assert!(first.verify_audit().unwrap().is_ok());
}

/// A primary with a synchronous standby: stop the primary hard while a
/// caseworker keeps registering children, promote the standby, and every
/// registration that was acknowledged is on the new primary. Failures while
/// no primary answers are "unavailable" (a 503), never anything else, and
/// the store reconnects by itself through the URL's second host.
#[test]
fn failover_to_a_promoted_standby_loses_no_acknowledged_write() {
    let (Some(url), Some(standby), Some(stop_primary), Some(promote)) = (
        required_env("HAVEN_TEST_FAILOVER_URL"),
        required_env("HAVEN_TEST_FAILOVER_STANDBY_URL"),
        required_env("HAVEN_TEST_FAILOVER_STOP_PRIMARY"),
        required_env("HAVEN_TEST_FAILOVER_PROMOTE"),
    ) else {
        return;
    };
    let run = |cmd: &str| {
        let ok = std::process::Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap()
            .success();
        assert!(ok, "{cmd}");
    };
    let backend = PostgresBackend::open(&url, conformance::NOW).unwrap();
    let keys = Keyring::generate().unwrap();
    let store = SqlStore::open(Box::new(backend), keys.clone(), conformance::NOW).unwrap();
    let [admin, cw1, _, _, monitor, _] = conformance::seed(&store);
    // Before the failure, the standby serves as the read replica: the
    // figures come from it (the report is there once acknowledged).
    let reporting = SqlStore::new(
        Box::new(PostgresBackend::open_existing(&url, conformance::NOW).unwrap()),
        keys,
    )
    .with_read_replica(Box::new(PostgresBackend::open_replica(&standby).unwrap()));
    conformance::aggregates_come_from_the_read_replica(&reporting, &monitor, 1);
    drop(reporting);

    let stop = std::sync::atomic::AtomicBool::new(false);
    let (progress, acknowledgements) = std::sync::mpsc::channel::<usize>();
    let (acknowledged, refusals) = std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut acknowledged = Vec::new();
            let mut refusals = 0usize;
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                i += 1;
                let child = conformance::child(&format!("Fail{i}"), "Over", "2014-05-05", "D11");
                match store.create_child(&cw1, &child, conformance::NOW) {
                    Ok((c, _)) => {
                        acknowledged.push(c.id);
                        let _ = progress.send(acknowledged.len());
                    }
                    Err(haven_store::StoreError::Unavailable(_)) => refusals += 1,
                    Err(other) => panic!("a failover error must be 'unavailable': {other}"),
                }
            }
            (acknowledged, refusals)
        });
        let wait_for = |n: usize| {
            while acknowledgements.recv().unwrap() < n {}
        };
        wait_for(30);
        run(&stop_primary);
        run(&promote);
        // Writes resume on the new primary without any restart.
        let before = acknowledgements.try_iter().last().unwrap_or(30);
        wait_for(before + 30);
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        writer.join().unwrap()
    });
    assert!(acknowledged.len() >= 60);
    eprintln!(
        "failover: {} registrations acknowledged, {refusals} refused as unavailable",
        acknowledged.len()
    );
    for id in &acknowledged {
        store
            .get_child(&admin, id, conformance::NOW)
            .unwrap_or_else(|e| panic!("acknowledged registration {id} lost: {e}"));
    }
    assert!(store.verify_audit().unwrap().is_ok());
}

/// Aggregate figures are computed on the read replica and nothing else
/// is: here the "replica" is another database with Haven's schema and no
/// reports, so the figures it gives differ from the primary's. A replica
/// whose schema is not this Haven's is refused at start.
#[test]
fn aggregate_figures_are_read_from_the_read_replica() {
    let Some(admin) = server_url() else { return };
    let primary = TestDb::create(&admin, "primary");
    let replica = TestDb::create(&admin, "replica");
    let empty = TestDb::create(&admin, "noschema");
    assert!(PostgresBackend::open_replica(&empty.url()).is_err());
    drop(PostgresBackend::open(&replica.url(), conformance::NOW).unwrap());
    let store = SqlStore::open(
        Box::new(PostgresBackend::open(&primary.url(), conformance::NOW).unwrap()),
        Keyring::generate().unwrap(),
        conformance::NOW,
    )
    .unwrap()
    .with_read_replica(Box::new(
        PostgresBackend::open_replica(&replica.url()).unwrap(),
    ));
    let [_, _, _, _, monitor, _] = conformance::seed(&store);
    conformance::aggregates_come_from_the_read_replica(&store, &monitor, 0);
    // Without the replica, the same figures count the report.
    let direct = SqlStore::new(
        Box::new(PostgresBackend::open_existing(&primary.url(), conformance::NOW).unwrap()),
        Keyring::generate().unwrap(),
    );
    assert_eq!(
        direct
            .hotline_figures(&monitor, conformance::NOW)
            .unwrap()
            .reports_received,
        1
    );
}

#[test]
fn logframes_and_readiness_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_db, store) = fresh_store(&admin, "monitoring");
    conformance::run_monitoring(&store);
}

#[test]
fn a_field_laptop_syncs_each_change_once_and_keeps_conflicts_for_a_person_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_db, s) = fresh_store(&admin, "field_sync");
    conformance::run_field_sync(&s);
}

#[test]
fn a_field_laptop_answers_referrals_to_its_agency_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_db, s) = fresh_store(&admin, "field_referrals");
    conformance::run_field_referral_answers(&s);
}

#[test]
fn a_field_laptop_opens_cases_offline_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_db, s) = fresh_store(&admin, "field_openings");
    conformance::run_field_case_openings(&s);
}

#[test]
fn a_field_laptop_takes_only_the_assessments_written_since_on_postgres() {
    let Some(admin) = server_url() else { return };
    let (_db, s) = fresh_store(&admin, "field_deltas");
    conformance::run_field_checkout_deltas(&s);
}
