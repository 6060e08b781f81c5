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
    /// Hash lists, indexed for matching.
    pub lists: Arc<std::sync::RwLock<match_index::ListIndex>>,
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
        Ok(AppState {
            limiter: Arc::new(limiter::LoginLimiter::new(Some(store.device_cookie_key()))),
            store,
            clock: system_clock(),
            public_limits: Arc::default(),
            secure_cookies: false,
            trust_proxy: false,
            lists: Arc::new(std::sync::RwLock::new(lists)),
            store_slots: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()) * 2,
            )),
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
        })
    }

    /// The match index, for matching. A lock poisoned by a panic fails
    /// closed: the caller answers 500, never "no matches".
    pub fn lists_read(
        &self,
    ) -> Result<std::sync::RwLockReadGuard<'_, match_index::ListIndex>, WebError> {
        self.lists.read().map_err(|_| index_failed())
    }

    /// The match index, for keeping it in step with the store.
    pub fn lists_write(
        &self,
    ) -> Result<std::sync::RwLockWriteGuard<'_, match_index::ListIndex>, WebError> {
        self.lists.write().map_err(|_| index_failed())
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

fn index_failed() -> WebError {
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
    let mut idx = st.lists_write()?;
    // Another refresh may have gone further meanwhile: never step back.
    if mark <= idx.generation {
        return Ok(0);
    }
    for e in &changes {
        idx.add(e);
    }
    idx.generation = mark;
    Ok(changes.len())
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
        .layer(axum::extract::DefaultBodyLimit::max(2 * 1024 * 1024))
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
    if state.retention.any() {
        tokio::spawn(purge_daily(state.clone()));
    }
    if let (Some(every), Some(_)) = (state.exchange_pull, &state.node) {
        tokio::spawn(exchange::pull_periodically(state.clone(), every));
    }
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
