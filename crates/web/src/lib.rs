//! Haven's HTTP server: the JSON API under `/api/v1/`, server-rendered pages
//! for people in the field, and the authentication, CSRF and security-header
//! layers both share.
//!
//! Handlers are thin: they parse, call the [`Store`] on the blocking pool and
//! render. Access rules and audit live in the store, so the API and the pages
//! cannot drift apart. The server starts with [`launch`] on a listener the
//! caller binds, so tests use port 0 and never sleep.
#![recursion_limit = "512"]
#![deny(missing_docs)]

pub mod api;
pub mod auth;
pub mod error;
pub mod exchange;
mod field_gzip;
pub mod field_link;
pub mod i18n;
pub mod limiter;
pub mod match_index;
pub mod metrics;
pub mod middleware;
pub mod pages;
#[cfg(test)]
mod test_support;

use axum::routing::get;
use axum::Router;
use error::WebError;
use haven_store::{Store, StoreResult};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// The current time in Unix seconds; injected so tests can fix it.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    })
}

/// What every handler needs.
#[derive(Clone)]
pub struct AppState {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The clock.
    pub clock: Clock,
    /// Sign-in attempt limits.
    pub limiter: Arc<limiter::LoginLimiter>,
    /// Limits on the public reporting page and API.
    pub public_limits: Arc<limiter::Windows>,
    /// Mark cookies `Secure` (when served over HTTPS behind a proxy).
    pub secure_cookies: bool,
    /// Take the client's address from the reverse proxy's `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// Hash lists, indexed for matching. Matches take the current index
    /// (an `Arc`, under the lock only long enough to clone it); changes
    /// build the next index beside it and swap it in (see
    /// [`AppState::update_lists`]), so a match never waits for an import.
    pub lists: Arc<std::sync::RwLock<Arc<match_index::ListIndex>>>,
    /// Held while the next index is built, so that changes apply one after
    /// another and none is lost.
    pub lists_writer: Arc<std::sync::Mutex<()>>,
    /// Store calls allowed to run at once.
    pub store_slots: Arc<tokio::sync::Semaphore>,
    /// Images hashed at once: with the decoder's memory bound, this bounds
    /// the memory uploads can take.
    pub hash_slots: Arc<tokio::sync::Semaphore>,
    /// Image uploads read at once (each holds up to 20 MB until hashed).
    pub upload_slots: Arc<tokio::sync::Semaphore>,
    /// Pixel, size and memory limits on every uploaded image.
    pub decode_limits: haven_pdq::DecodeLimits,
    /// Limits an operator may tune.
    pub limits: Limits,
    /// What `/metrics` reports.
    pub metrics: Arc<metrics::Metrics>,
    /// The retention rules a daily purge applies (none by default).
    pub retention: haven_domain::retention::RetentionRules,
    /// The categories of material a hotline analyst may choose, in order
    /// (values of `haven_domain::hotline::CATEGORIES`; `[hotline]
    /// categories` in the settings file).
    pub hotline_categories: Vec<String>,
    /// Where the public pages' quick-exit link leads: a neutral page
    /// outside Haven (`haven serve --quick-exit-url`).
    pub quick_exit: Arc<str>,
    /// This node's identity for the exchange with trusted peers (issue
    /// 13); without it the feed answers 404 and nothing is pulled.
    pub node: Option<Arc<haven_domain::exchange::NodeKey>>,
    /// How often `haven serve` pulls from each peer that has an address
    /// (`--exchange-pull-seconds`; off when `None`, as in tests).
    pub exchange_pull: Option<std::time::Duration>,
    /// The indicator definitions: the shipped catalogue or the
    /// deployment's own version (`--indicator-catalogue`).
    pub catalogue: Arc<haven_domain::indicators::Catalogue>,
    /// How peers are reached (HTTPS, and which authorities are trusted).
    pub peer_client: exchange::PeerClient,
    /// How often `haven serve` signs the audit log's head with the node
    /// key (none: only exports sign it).
    pub audit_head_every: Option<std::time::Duration>,
    /// The deployment's DHIS2 codes for the `dhis2` export (`haven serve
    /// --dhis2-mapping FILE`); Haven's shipped example codes when `None`.
    pub dhis2_mapping: Option<Arc<haven_domain::indicators::dhis2::Mapping>>,
    /// Serving a field laptop's folder (issue 16): only the changes a sync
    /// carries (children's records) may be made, so nothing done offline
    /// is lost silently.
    pub field_laptop: bool,
    /// A field laptop's link to its server, for its sync page.
    pub field_link: Option<Arc<dyn field_link::FieldLink>>,
    /// How often a field laptop syncs by itself (`haven serve
    /// --field-sync-seconds`; never when `None`, as in tests).
    pub field_sync_every: Option<std::time::Duration>,
}

/// The quick-exit link's default: a weather page, which looks ordinary on
/// a shared phone.
pub const DEFAULT_QUICK_EXIT: &str = "https://www.bbc.com/weather";

/// The window of [`Limits::partner_matches`], in seconds.
pub const PARTNER_WINDOW: i64 = 600;

/// Limits an operator may tune (`haven serve` flags).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Matches one partner may ask for in [`PARTNER_WINDOW`]: a platform's
    /// real traffic fits, walking distances to recover a listed hash does not.
    pub partner_matches: u32,
    /// How long an upload waits for a hashing slot before it is answered 503.
    pub hash_wait: std::time::Duration,
    /// How often the match index takes in list changes made through other
    /// servers sharing the database.
    pub index_refresh: std::time::Duration,
    /// Disclosure control on published indicators: the smallest count shown.
    pub disclosure: haven_domain::indicators::Rule,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            partner_matches: 3_000,
            hash_wait: std::time::Duration::from_secs(20),
            index_refresh: std::time::Duration::from_secs(2),
            disclosure: haven_domain::indicators::Rule::default(),
        }
    }
}

impl AppState {
    /// State with the system clock; loads the hash lists into memory.
    pub fn new(store: Arc<dyn Store>) -> StoreResult<AppState> {
        let (entries, generation) = store.hash_changes_since(0)?;
        let mut lists = match_index::ListIndex::build(&entries);
        lists.generation = generation;
        let slots = store_slots(store.backend_name());
        Ok(AppState {
            limiter: Arc::new(limiter::LoginLimiter::new(Some(store.device_cookie_key()))),
            store,
            clock: system_clock(),
            public_limits: Arc::default(),
            secure_cookies: false,
            trust_proxy: false,
            lists: Arc::new(std::sync::RwLock::new(Arc::new(lists))),
            lists_writer: Arc::default(),
            store_slots: Arc::new(tokio::sync::Semaphore::new(slots)),
            hash_slots: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, |n| n.get()),
            )),
            upload_slots: Arc::new(tokio::sync::Semaphore::new(8)),
            decode_limits: haven_pdq::DecodeLimits::default(),
            limits: Limits::default(),
            metrics: Arc::default(),
            retention: Default::default(),
            hotline_categories: haven_domain::hotline::CATEGORIES
                .iter()
                .map(|c| c.to_string())
                .collect(),
            quick_exit: Arc::from(DEFAULT_QUICK_EXIT),
            node: None,
            exchange_pull: None,
            catalogue: Arc::new(
                haven_domain::indicators::Catalogue::default_catalogue().map_err(|e| {
                    haven_store::StoreError::Database(format!(
                        "the shipped indicator catalogue: {e}"
                    ))
                })?,
            ),
            peer_client: exchange::PeerClient::new(None)
                .map_err(haven_store::StoreError::Crypto)?,
            audit_head_every: None,
            dhis2_mapping: None,
            field_laptop: false,
            field_link: None,
            field_sync_every: None,
        })
    }

    /// The match index, for matching: the current one, which later changes
    /// replace rather than alter. A lock poisoned by a panic fails closed:
    /// the caller answers 500, never "no matches".
    pub fn lists_read(&self) -> Result<Arc<match_index::ListIndex>, WebError> {
        self.lists
            .read()
            .map(|idx| idx.clone())
            .map_err(|_| index_failed())
    }

    /// Changes the match index without stalling matches: on the blocking
    /// pool, a copy of the current index is changed by `f` (and its tables
    /// rebuilt as needed) while matches go on against the current one, then
    /// swapped in. Changes run one at a time.
    pub async fn update_lists<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut match_index::ListIndex) -> T + Send + 'static,
    ) -> Result<T, WebError> {
        let st = self.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let _one_at_a_time = st.lists_writer.lock().map_err(|_| index_failed())?;
            let mut next = (*st.lists_read()?).clone();
            let out = f(&mut next);
            next.settle();
            *st.lists.write().map_err(|_| index_failed())? = Arc::new(next);
            Ok(out)
        })
        .await;
        joined.unwrap_or_else(|e| {
            tracing::error!(error = %e, "updating the match index failed");
            Err(index_failed())
        })
    }

    /// Now, in Unix seconds.
    pub fn now(&self) -> i64 {
        (self.clock)()
    }

    /// Runs a store call on the blocking pool.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store, i64) -> StoreResult<T> + Send + 'static,
    ) -> Result<T, WebError> {
        let store = self.store.clone();
        let now = self.now();
        // A few store calls at a time: more only make threads fight for the
        // cores and the database's write lock, and raise every latency.
        let _permit = self.store_slots.acquire().await.map_err(|_| {
            WebError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the server is shutting down",
            )
        })?;
        let started = std::time::Instant::now();
        // The request's span goes with the call, so what the store logs
        // carries the request id too, and so does every audit entry it
        // writes.
        let span = tracing::Span::current();
        let request = middleware::current_request_id();
        let joined = tokio::task::spawn_blocking(move || {
            haven_store::audit::with_request_id(request.as_deref(), || {
                span.in_scope(|| f(store.as_ref(), now))
            })
        })
        .await;
        self.metrics.store_call(started.elapsed());
        match joined {
            Ok(r) => r.map_err(WebError::from),
            Err(e) => {
                tracing::error!(error = %e, "store task failed");
                Err(WebError::new(
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the server could not finish the request",
                ))
            }
        }
    }
}

/// How many store calls run at once. On SQLite a call is work for this
/// machine's cores, so a few per core: more only make threads fight for the
/// cores and the write lock, and raise every latency. On PostgreSQL a call
/// mostly waits (for the network, and for the commit to reach the
/// server's disk), so as many as the connection pool keeps: with four in
/// flight, reads stopped at 1,100 a second with half the CPU idle (grouped
/// audit entries need callers waiting together to form a group).
fn store_slots(backend: &str) -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    match backend {
        "postgres" => 16.max(cores * 2),
        _ => cores * 2,
    }
}

pub(crate) fn index_failed() -> WebError {
    tracing::error!("the match index is unusable (a lock was poisoned); restart the server");
    WebError::new(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "matching is unavailable on this server; nothing was matched",
    )
}

/// Brings this server's match index up to date with list changes made
/// through any server sharing the database (entries added, disabled,
/// enabled); returns how many changes it applied. Run every few seconds by
/// [`launch`].
pub async fn refresh_index(st: &AppState) -> Result<usize, WebError> {
    let since = st.lists_read()?.generation;
    let (changes, mark) = st.run(move |s, _| s.hash_changes_since(since)).await?;
    // Another refresh may have gone further meanwhile: never step back.
    if mark <= st.lists_read()?.generation {
        return Ok(0);
    }
    st.update_lists(move |idx| {
        if mark <= idx.generation {
            return 0;
        }
        for e in &changes {
            idx.add(e);
        }
        idx.generation = mark;
        changes.len()
    })
    .await
}

/// `/readyz`: whether this server can serve now — its database answers
/// (migrations ran at start) and its match index is usable. A load
/// balancer sends traffic only to servers that say so.
async fn ready(
    axum::extract::State(st): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let index_ok = st.lists_read().is_ok();
    let db_ok = st.run(|s, _| s.is_empty()).await.is_ok();
    let body = serde_json::json!({"database": db_ok, "match_index": index_ok});
    let status = if db_ok && index_ok {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(body)).into_response()
}

/// All routes with their layers.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics::page))
        .merge(api::routes())
        .merge(pages::routes())
        .fallback(pages::layout::not_found)
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::record,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(field_gzip::MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::laptop_changes_only,
        ))
        .layer(axum::middleware::from_fn(middleware::refuse_cross_site))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(axum::middleware::from_fn(middleware::request_id))
        .with_state(state)
}

/// Applies the retention rules once a day, the first time a minute after
/// start (so that a server restarting in a loop does not purge in a loop).
/// Several servers on one database may all run it: a record purged by one
/// is simply not found by the others.
async fn purge_daily(state: AppState) {
    let mut tick = tokio::time::interval_at(
        tokio::time::Instant::now() + std::time::Duration::from_secs(60),
        std::time::Duration::from_secs(24 * 3600),
    );
    loop {
        tick.tick().await;
        let rules = state.retention;
        let done = state
            .run(move |s, now| s.purge(&haven_domain::Actor::system(), &rules, now, true))
            .await;
        match done {
            Ok(r) => tracing::info!(
                children = r.children,
                reports = r.reports,
                contacts = r.contacts,
                households = r.households,
                sessions = r.sessions,
                audit_entries = r.audit_entries,
                alerts = r.alerts,
                "retention rules applied"
            ),
            Err(e) => {
                tracing::warn!(error = %e.message, "the retention rules could not be applied")
            }
        }
    }
}

/// Serves until `shutdown` completes.
pub async fn launch(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let follower = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(follower.limits.index_refresh);
        loop {
            tick.tick().await;
            if let Err(e) = refresh_index(&follower).await {
                tracing::warn!(error = %e.message, "the match index could not be refreshed");
            }
        }
    });
    // Always: expired travelling-offender alerts are purged whatever the
    // rules (their expiry is their own rule), and sessions are tidied.
    tokio::spawn(purge_daily(state.clone()));
    if let (Some(every), Some(_)) = (state.exchange_pull, &state.node) {
        tokio::spawn(exchange::pull_periodically(state.clone(), every));
    }
    if let (Some(every), Some(_)) = (state.audit_head_every, &state.node) {
        tokio::spawn(exchange::sign_audit_heads_periodically(
            state.clone(),
            every,
        ));
    }
    if let (Some(every), Some(link)) = (state.field_sync_every, state.field_link.clone()) {
        tokio::spawn(field_link::sync_periodically(link, every));
    }
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

#[cfg(test)]
mod swap_tests {
    #![allow(clippy::unwrap_used)]
    use crate::test_support::state;

    fn entry(i: usize) -> haven_store::HashEntry {
        haven_store::HashEntry {
            id: format!("e{i}"),
            list_id: "l".into(),
            list: "national".into(),
            pdq: None,
            quality: None,
            md5: Some(format!("{i:032x}")),
            sha256: None,
            source: "test".into(),
            category: "test".into(),
            added_by: "analyst".into(),
            added_at: 0,
            enabled: true,
            import_id: None,
            origin: None,
        }
    }

    #[tokio::test]
    async fn a_match_in_progress_never_holds_up_a_change_nor_sees_half_of_one() {
        let (st, _dir) = state();
        // A match holds the index it started with...
        let during = st.lists_read().unwrap();
        // ...while a whole import is applied (with a lock held by readers,
        // as before, this would wait for the match to finish).
        st.update_lists(|idx| {
            for i in 0..2000 {
                idx.add(&entry(i));
            }
        })
        .await
        .unwrap();
        assert!(during.is_empty(), "the match sees the index as it was");
        let after = st.lists_read().unwrap();
        assert_eq!(after.len(), 2000);
        assert_eq!(after.match_md5(&format!("{:032x}", 1999)).len(), 1);
        st.update_lists(|idx| idx.set_enabled("e7", false))
            .await
            .unwrap();
        assert_eq!(after.match_md5(&format!("{:032x}", 7)).len(), 1);
        assert!(st
            .lists_read()
            .unwrap()
            .match_md5(&format!("{:032x}", 7))
            .is_empty());
        // A disable, or a few entries added, copies flags and those
        // entries, never the whole list: at ten million entries a copy is
        // over a gigabyte, and two servers refresh every few seconds.
        st.update_lists(|idx| {
            idx.set_enabled("e8", false);
            idx.add(&entry(5000));
        })
        .await
        .unwrap();
        let latest = st.lists_read().unwrap();
        assert!(latest.shares_bulk_with(&after));
        assert!(latest.match_md5(&format!("{:032x}", 8)).is_empty());
        assert_eq!(latest.match_md5(&format!("{:032x}", 5000)).len(), 1);
        assert_eq!(after.match_md5(&format!("{:032x}", 8)).len(), 1);
        assert!(after.match_md5(&format!("{:032x}", 5000)).is_empty());
        assert_eq!(latest.len(), 2001);
    }
}
