//! The web server end to end: a real SQLite file, a real HTTP server on
//! port 0, and a real headless Chromium for the pages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod admin;
mod alerts;
mod api;
mod assessment_pages;
mod browser;
mod cases;
mod children_pages;
mod deployment;
mod every_page;
mod exchange;
mod exchange_statistics;
mod exchange_tls;
mod field;
mod field_cases;
mod figures;
mod hardening;
mod hotline_pages;
mod http;
mod indicators;
mod lists;
mod match_batch;
mod monitoring;
mod operations;
mod pages;
mod public_pages;
mod reporting;
mod reports_api;
mod reports_pages;
mod services_pages;

mod structure;
mod victims;
mod worklists;

use haven_domain::Actor;
use haven_store::{conformance, Keyring, SqlStore, Store};
use haven_store_sqlite::SqliteBackend;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub struct TempDir(pub PathBuf);

impl TempDir {
    #[allow(clippy::new_without_default)]
    pub fn new() -> TempDir {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let p = std::env::temp_dir().join(format!("haven-web-{}-{n}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running server with the conformance suite's country and users.
pub struct App {
    pub addr: SocketAddr,
    pub store: Arc<SqlStore>,
    pub tokens: std::collections::HashMap<&'static str, String>,
    runtime: Option<tokio::runtime::Runtime>,
    _dir: TempDir,
    pg: Option<(String, String)>,
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
        if let Some((admin, name)) = &self.pg {
            if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// The fixed clock the tests' store runs on.
pub fn conformance_now() -> i64 {
    conformance::NOW
}

pub const PASSWORD: &str = "a long test password";

pub fn spawn_app() -> App {
    spawn_app_with(|_| {})
}

/// A SQLite app whose server state is adjusted first (e.g. behind a proxy).
pub fn spawn_app_with(configure: impl FnOnce(&mut haven_web::AppState)) -> App {
    let dir = TempDir::new();
    let backend = SqliteBackend::open(&dir.0.join("haven.db"), conformance::NOW).unwrap();
    start(Box::new(backend), dir, None, configure)
}

/// A second server on `first`'s database and key file, as a deployment
/// runs several behind a load balancer; its state adjusted first.
pub fn spawn_beside_with(first: &App, configure: impl FnOnce(&mut haven_web::AppState)) -> App {
    assert!(first.pg.is_none(), "a second server beside SQLite only");
    let backend = SqliteBackend::open(&first._dir.0.join("haven.db"), conformance::NOW).unwrap();
    let store = Arc::new(
        SqlStore::open(
            Box::new(backend),
            Keyring::load(&first._dir.0.join("haven.key")).unwrap(),
            conformance::NOW,
        )
        .unwrap(),
    );
    let (runtime, addr) = serve(store.clone(), configure);
    App {
        addr,
        store,
        tokens: first.tokens.clone(),
        runtime: Some(runtime),
        _dir: TempDir::new(),
        pg: None,
    }
}

/// The same server on a fresh PostgreSQL database, when the test command
/// provides a server (`HAVEN_TEST_POSTGRES_URL`); required in CI.
pub fn spawn_app_postgres() -> Option<App> {
    let admin = match std::env::var("HAVEN_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            assert!(
                std::env::var("HAVEN_REQUIRE_POSTGRES").is_err(),
                "HAVEN_TEST_POSTGRES_URL is required"
            );
            eprintln!("skipping: HAVEN_TEST_POSTGRES_URL not set");
            return None;
        }
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name = format!("haven_web_{}_{}", std::process::id(), nanos % 1_000_000_000);
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(b, _)| b)
        .to_string();
    let backend =
        haven_store_postgres::PostgresBackend::open(&format!("{base}/{name}"), conformance::NOW)
            .unwrap();
    Some(start(
        Box::new(backend),
        TempDir::new(),
        Some((admin, name)),
        |_| {},
    ))
}

/// Two servers on one fresh PostgreSQL database, both through PgBouncer in
/// transaction mode (`HAVEN_TEST_PGBOUNCER_URL`, set by the test command),
/// as a national deployment runs them; each configured by `configure`.
pub fn spawn_pair_through_pgbouncer(
    configure: impl Fn(&mut haven_web::AppState),
) -> Option<(App, App)> {
    let admin = std::env::var("HAVEN_TEST_POSTGRES_URL").ok();
    let bouncer = std::env::var("HAVEN_TEST_PGBOUNCER_URL").ok();
    let (Some(admin), Some(bouncer)) = (admin.filter(|u| !u.is_empty()), bouncer) else {
        assert!(
            std::env::var("HAVEN_REQUIRE_POSTGRES").is_err(),
            "HAVEN_TEST_POSTGRES_URL and HAVEN_TEST_PGBOUNCER_URL are required"
        );
        eprintln!("skipping: no PgBouncer given");
        return None;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name = format!(
        "haven_pool_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000
    );
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let (base, query) = bouncer.split_once('?').unwrap();
    let url = format!("{}/{name}?{query}", base.rsplit_once('/').unwrap().0);
    let open =
        || Box::new(haven_store_postgres::PostgresBackend::open(&url, conformance::NOW).unwrap());
    let first = start(open(), TempDir::new(), Some((admin, name)), &configure);
    let store = Arc::new(
        SqlStore::open(
            open(),
            Keyring::load(&first._dir.0.join("haven.key")).unwrap(),
            conformance::NOW,
        )
        .unwrap(),
    );
    let (runtime, addr) = serve(store.clone(), &configure);
    let second = App {
        addr,
        store,
        tokens: first.tokens.clone(),
        runtime: Some(runtime),
        _dir: TempDir::new(),
        pg: None,
    };
    Some((first, second))
}

fn start(
    backend: Box<dyn haven_store::sql::Backend>,
    dir: TempDir,
    pg: Option<(String, String)>,
    configure: impl FnOnce(&mut haven_web::AppState),
) -> App {
    let store = Arc::new(
        SqlStore::open(
            backend,
            Keyring::load_or_create(&dir.0.join("haven.key")).unwrap(),
            conformance::NOW,
        )
        .unwrap(),
    );
    conformance::seed(store.as_ref());
    store
        .create_user(
            &Actor::system(),
            &haven_store::NewUser {
                name: "isp".into(),
                role: haven_domain::Role::Partner,
                location: None,
                agency: None,
                password_hash: None,
            },
            conformance::NOW,
        )
        .unwrap();
    // A law-enforcement liaison officer, who alone reads offender alerts.
    store
        .create_user(
            &Actor::system(),
            &haven_store::NewUser {
                name: "liaison".into(),
                role: haven_domain::Role::Liaison,
                location: None,
                agency: None,
                password_hash: Some(haven_store::password::hash_password(PASSWORD).unwrap()),
            },
            conformance::NOW,
        )
        .unwrap();
    let mut tokens = std::collections::HashMap::new();
    for name in [
        "admin", "cw1", "cw2", "analyst", "monitor", "sup1", "isp", "liaison",
    ] {
        tokens.insert(
            name,
            store
                .create_api_token(&Actor::system(), name, conformance::NOW)
                .unwrap(),
        );
    }
    let (runtime, addr) = serve(store.clone(), configure);
    App {
        addr,
        store,
        tokens,
        runtime: Some(runtime),
        _dir: dir,
        pg,
    }
}

/// Serves `store` on a port of its own.
fn serve(
    store: Arc<SqlStore>,
    configure: impl FnOnce(&mut haven_web::AppState),
) -> (tokio::runtime::Runtime, SocketAddr) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let mut state = haven_web::AppState::new(store as Arc<dyn Store>).unwrap();
    configure(&mut state);
    runtime.spawn(haven_web::launch(state, listener, std::future::pending()));
    (runtime, addr)
}
