//! `/metrics` in the Prometheus text format, for an operations team
//! watching several servers: requests by route and status, their latency,
//! store call latency, the queues in front of the store and the image
//! hasher, the match index's size and refusals by rate limits.
//!
//! Routes are counted by their template (`/api/v1/children/:id`), never by
//! the path itself: no record id or name reaches the metrics. The page is
//! served to loopback callers (a local agent) and to administrators'
//! API tokens only.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// A latency histogram.
#[derive(Clone, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, d: Duration) {
        let s = d.as_secs_f64();
        for (i, b) in BUCKETS.iter().enumerate() {
            if s <= *b {
                self.counts[i] += 1;
            }
        }
        self.sum += s;
        self.count += 1;
    }

    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (i, b) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{sep}le=\"{b}\"}} {}",
                self.counts[i]
            );
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}",
            self.count
        );
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

/// What the server counts as it works.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    store: Mutex<Histogram>,
    /// Requests refused by a rate limit or a full queue (429 and 503).
    refused: AtomicU64,
}

impl Metrics {
    /// Records one store call's duration.
    pub fn store_call(&self, d: Duration) {
        if let Ok(mut h) = self.store.lock() {
            h.observe(d);
        }
    }

    fn request(&self, route: &str, method: &str, status: u16, d: Duration) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((route.to_string(), method.to_string(), status))
                .or_default() += 1;
        }
        if let Ok(mut m) = self.latency.lock() {
            m.entry(route.to_string()).or_default().observe(d);
        }
        if matches!(status, 429 | 503) {
            self.refused.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Counts each routed request by its route template, method and status.
pub async fn record(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_string();
    let method = req.method().as_str().to_string();
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    let elapsed = started.elapsed();
    let status = res.status().as_u16();
    st.metrics.request(&route, &method, status, elapsed);
    tracing::info!(
        route = %route,
        method = %method,
        status,
        ms = elapsed.as_millis() as u64,
        "request served"
    );
    res
}

/// `GET /metrics`.
pub async fn page(
    State(st): State<AppState>,
    crate::auth::ClientAddr(client): crate::auth::ClientAddr,
    headers: axum::http::HeaderMap,
) -> Response {
    // The client's address, the forwarded one behind a trusted proxy: a
    // proxy on this machine must not make the world look like loopback.
    let loopback = client
        .parse::<std::net::IpAddr>()
        .is_ok_and(|a| a.is_loopback());
    if !loopback && !is_admin_token(&st, &headers).await {
        return crate::error::WebError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "metrics are for this machine or an administrator's API token",
        )
        .into_response();
    }
    let body = render(&st);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

async fn is_admin_token(st: &AppState, headers: &axum::http::HeaderMap) -> bool {
    let Some(token) = crate::auth::bearer_token(headers) else {
        return false;
    };
    st.run(move |s, _| s.actor_for_token(&token))
        .await
        .is_ok_and(|a| a.role == haven_domain::Role::Admin)
}

fn render(st: &AppState) -> String {
    let m = &st.metrics;
    let mut out = String::new();
    out.push_str("# HELP haven_http_requests_total Requests by route template, method and status.\n# TYPE haven_http_requests_total counter\n");
    if let Ok(r) = m.requests.lock() {
        for ((route, method, status), n) in r.iter() {
            let _ = writeln!(
                out,
                "haven_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {n}"
            );
        }
    }
    out.push_str("# HELP haven_http_request_seconds Request latency by route template.\n# TYPE haven_http_request_seconds histogram\n");
    if let Ok(l) = m.latency.lock() {
        for (route, h) in l.iter() {
            h.write(
                &mut out,
                "haven_http_request_seconds",
                &format!("route=\"{route}\""),
            );
        }
    }
    out.push_str("# HELP haven_store_call_seconds Store call latency, from when a store slot was free.\n# TYPE haven_store_call_seconds histogram\n");
    if let Ok(h) = m.store.lock() {
        h.write(&mut out, "haven_store_call_seconds", "");
    }
    let gauges = [
        (
            "haven_store_slots_free",
            "Store calls that could start now without queueing.",
            st.store_slots.available_permits() as u64,
        ),
        (
            "haven_hash_slots_free",
            "Images that could be hashed now without queueing.",
            st.hash_slots.available_permits() as u64,
        ),
        (
            "haven_upload_slots_free",
            "Uploads that could be read now without queueing.",
            st.upload_slots.available_permits() as u64,
        ),
        (
            "haven_match_index_entries",
            "Entries in the in-memory match index.",
            st.lists_read().map_or(0, |i| i.len() as u64),
        ),
    ];
    for (name, help, v) in gauges {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
    }
    let _ = writeln!(
        out,
        "# HELP haven_refused_total Requests refused by a rate limit or a full queue (429, 503).\n# TYPE haven_refused_total counter\nhaven_refused_total {}",
        m.refused.load(Ordering::Relaxed)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_with_sum_and_count() {
        let mut h = Histogram::default();
        h.observe(Duration::from_millis(3));
        h.observe(Duration::from_millis(300));
        let mut out = String::new();
        h.write(&mut out, "x", "route=\"/a\"");
        assert!(out.contains("x_bucket{route=\"/a\",le=\"0.005\"} 1"));
        assert!(out.contains("x_bucket{route=\"/a\",le=\"0.5\"} 2"));
        assert!(out.contains("x_bucket{route=\"/a\",le=\"+Inf\"} 2"));
        assert!(out.contains("x_count{route=\"/a\"} 2"));
    }
}
