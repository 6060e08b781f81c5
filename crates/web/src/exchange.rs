//! Pulling a trusted peer's feed over HTTP, and checking a peer's signed
//! request for ours (issue 13).
//!
//! A feed request is authenticated by the requesting node's own key: it
//! sends its fingerprint (`X-Haven-Node`), the time (`X-Haven-Time`, Unix
//! seconds) and an Ed25519 signature (`X-Haven-Signature`, base64) of
//! [`feed_request_message`] (method, path, query and time). The time must
//! be within [`FEED_WINDOW_SECONDS`] of ours, so a captured request cannot
//! be replayed later; what it returns is signed anyway and chained, so a
//! replayed answer would be refused by the importer too.

use crate::AppState;
use haven_domain::exchange::{
    feed_request_message, parse_public_key, peer_address_problem, verify, NodeKey, PublicKey,
    FEED_WINDOW_SECONDS, MAX_BUNDLE_BYTES,
};
use haven_domain::Actor;
use haven_store::{ImportSummary, Peer, Store, StoreError};
use std::io::Read;

/// The feed's path.
pub const FEED_PATH: &str = "/api/v1/exchange/feed";
/// Header: the requesting node's fingerprint.
pub const NODE_HEADER: &str = "x-haven-node";
/// Header: the request's time (Unix seconds).
pub const TIME_HEADER: &str = "x-haven-time";
/// Header: the signature of the request.
pub const SIGNATURE_HEADER: &str = "x-haven-signature";

/// Header: a node that rotated its key shows the rotations (base64 of a
/// JSON list of statements, each signed by the retired key and the new
/// one), so that a peer that has not received a bundle from it since can
/// still recognise its signed feed request.
pub const ROTATION_HEADER: &str = "x-haven-key-rotation";

/// The most rotations a feed request carries: a peer that missed more
/// learns them from the next bundle instead.
const MAX_ROTATIONS_SHOWN: usize = 20;

/// This node's rotations as [`ROTATION_HEADER`] carries them; none when
/// it never rotated.
fn rotation_header(store: &dyn Store) -> Result<Option<String>, StoreError> {
    use base64::Engine;
    let all = store.own_key_rotations()?;
    if all.is_empty() {
        return Ok(None);
    }
    let shown = &all[all.len().saturating_sub(MAX_ROTATIONS_SHOWN)..];
    let json = serde_json::to_vec(shown)
        .map_err(|e| StoreError::Database(format!("writing the key rotations: {e}")))?;
    Ok(Some(base64::engine::general_purpose::STANDARD.encode(json)))
}

/// Reads [`ROTATION_HEADER`]; none when it is not a list of statements.
pub fn parse_rotation_header(text: &str) -> Option<Vec<haven_domain::exchange::KeyRotationItem>> {
    use base64::Engine;
    if text.len() > 64 * 1024 {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()?;
    let items: Vec<haven_domain::exchange::KeyRotationItem> =
        serde_json::from_slice(&bytes).ok()?;
    (!items.is_empty() && items.len() <= MAX_ROTATIONS_SHOWN).then_some(items)
}

/// What a pull did.
#[derive(Debug)]
pub enum Pulled {
    /// The peer had nothing new.
    UpToDate,
    /// A bundle was applied.
    Applied(ImportSummary),
}

/// Why a pull did not apply anything.
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    /// No such peer, no address, or revoked.
    #[error("{0}")]
    Peer(String),
    /// The peer could not be reached or answered an error.
    #[error("{0}")]
    Transport(String),
    /// The bundle was refused (the reason names it) or the store failed.
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// How this node reaches its peers: over HTTPS checked against the
/// system's certificate authorities and, when the deployment has one of its
/// own (ministries' private networks often do), that one too
/// (`--exchange-ca-file`). Redirects are not followed, so that a peer's
/// answer cannot lead the pull to plain HTTP or elsewhere.
#[derive(Clone)]
pub struct PeerClient {
    agent: ureq::Agent,
}

impl PeerClient {
    /// A client trusting the system's authorities and `extra_ca` (PEM).
    pub fn new(extra_ca: Option<&[u8]>) -> Result<PeerClient, String> {
        let mut tls = native_tls::TlsConnector::builder();
        tls.min_protocol_version(Some(native_tls::Protocol::Tlsv12));
        if let Some(pem) = extra_ca {
            let ca = native_tls::Certificate::from_pem(pem)
                .map_err(|e| format!("the certificate authority is not a PEM certificate: {e}"))?;
            tls.add_root_certificate(ca);
        }
        let tls = tls
            .build()
            .map_err(|e| format!("TLS could not be set up: {e}"))?;
        let agent = ureq::AgentBuilder::new()
            .tls_connector(std::sync::Arc::new(tls))
            .redirects(0)
            .timeout_connect(std::time::Duration::from_secs(10))
            .timeout(std::time::Duration::from_secs(600))
            .build();
        Ok(PeerClient { agent })
    }

    /// The HTTP agent, for other calls to a Haven server with the same
    /// rules (a field laptop's to its server).
    pub fn agent(&self) -> &ureq::Agent {
        &self.agent
    }
}

/// The query a node sends for the bundle after what it holds from a peer.
pub fn feed_query(peer: &Peer) -> String {
    match &peer.last_bundle_hash {
        Some(h) if peer.last_seq > 0 => format!("since={}&prev={h}", peer.last_seq),
        _ => format!("since={}", peer.last_seq),
    }
}

/// Pulls peer `name`'s feed once through `client` and imports what it
/// sends (blocking).
pub fn pull(
    store: &dyn Store,
    key: &NodeKey,
    client: &PeerClient,
    name: &str,
    now: i64,
) -> Result<Pulled, PullError> {
    let sys = Actor::system();
    let peer = store
        .list_peers(&sys, now)?
        .into_iter()
        .find(|p| p.name == name)
        .ok_or_else(|| PullError::Peer(format!("there is no peer named {name:?}")))?;
    if peer.revoked {
        return Err(PullError::Peer(format!("peer {name} is revoked")));
    }
    let Some(base) = peer.url.as_deref() else {
        return Err(PullError::Peer(format!(
            "peer {name} has no address to pull from: add one, or exchange files"
        )));
    };
    // Peers added before plain HTTP was refused are refused here too.
    if let Some(problem) = peer_address_problem(base) {
        return Err(PullError::Peer(format!(
            "peer {name}'s address {base} {problem}: change it to its https:// address"
        )));
    }
    let query = feed_query(&peer);
    let started = std::time::Instant::now();
    let signature = key.sign(&feed_request_message("GET", FEED_PATH, &query, now));
    let url = format!("{}{FEED_PATH}?{query}", base.trim_end_matches('/'));
    let mut request = client
        .agent
        .get(&url)
        .set(NODE_HEADER, &key.fingerprint())
        .set(TIME_HEADER, &now.to_string())
        .set(SIGNATURE_HEADER, &signature);
    if let Some(rotations) = rotation_header(store)? {
        request = request.set(ROTATION_HEADER, &rotations);
    }
    let answer = request.call();
    let response = match answer {
        Ok(r) => r,
        Err(ureq::Error::Status(code, r)) => {
            let body = r.into_string().unwrap_or_default();
            let message = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
                .unwrap_or(body);
            return Err(PullError::Transport(format!(
                "{name} answered {code}: {message}"
            )));
        }
        Err(e) => {
            return Err(PullError::Transport(format!(
                "{name} could not be reached at {base}: {e}"
            )))
        }
    };
    if response.status() == 204 {
        return Ok(Pulled::UpToDate);
    }
    let mut bytes = Vec::new();
    response
        .into_reader()
        .take(MAX_BUNDLE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| PullError::Transport(format!("reading {name}'s bundle: {e}")))?;
    let transfer = started.elapsed();
    // A cut-off transfer is refused by the import as truncated, audited.
    let summary = store.import_bundle(&sys, &bytes, &key.fingerprint(), now)?;
    tracing::info!(
        peer = name,
        bytes = bytes.len(),
        transfer_seconds = transfer.as_secs_f64(),
        import_seconds = (started.elapsed() - transfer).as_secs_f64(),
        "a bundle was received and applied"
    );
    Ok(Pulled::Applied(summary))
}

/// Why a feed request is refused (401).
#[derive(Debug, PartialEq, Eq)]
pub struct Unsigned(pub String);

/// Whether `key` signed a feed request for `query` at `time` (the header's
/// text), refusing a time that is not one or not now.
pub fn signed_now(
    key: &PublicKey,
    time: &str,
    signature: &str,
    query: &str,
    now: i64,
) -> Result<bool, Unsigned> {
    let Ok(time) = time.trim().parse::<i64>() else {
        return Err(Unsigned(
            "X-Haven-Time is not a time in Unix seconds".into(),
        ));
    };
    if (now - time).abs() > FEED_WINDOW_SECONDS {
        return Err(Unsigned(format!(
            "the request's time is more than {FEED_WINDOW_SECONDS} seconds from this node's clock"
        )));
    }
    Ok(verify(
        key,
        &feed_request_message("GET", FEED_PATH, query, time),
        signature,
    ))
}

/// Checks a peer's signed feed request; the peer it comes from.
pub fn check_feed_request(
    peer: Option<Peer>,
    node: Option<&str>,
    time: Option<&str>,
    signature: Option<&str>,
    query: &str,
    now: i64,
) -> Result<Peer, Unsigned> {
    let (Some(node), Some(time), Some(signature)) = (node, time, signature) else {
        return Err(Unsigned(
            "a feed request is signed by the requesting node: send X-Haven-Node, X-Haven-Time and X-Haven-Signature".into(),
        ));
    };
    let Some(peer) = peer else {
        return Err(Unsigned(format!(
            "{node} is not a trusted peer of this node"
        )));
    };
    let key = parse_public_key(&peer.public_key)
        .map_err(|_| Unsigned("the peer's key here is unusable".into()))?;
    if !signed_now(&key, time, signature, query, now)? {
        return Err(Unsigned(format!(
            "the request's signature does not match {}'s key",
            peer.name
        )));
    }
    if peer.revoked {
        return Err(Unsigned(format!("{} is revoked", peer.name)));
    }
    Ok(peer)
}

/// `haven serve`'s schedule of signed audit heads: every `every`, the
/// log's newest entry is signed with the node key (when anything was
/// appended since the last), kept, and queued for the peers that want it.
pub async fn sign_audit_heads_periodically(state: AppState, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(key) = state.node.clone() else {
            return;
        };
        let store = state.store.clone();
        let now = state.now();
        match tokio::task::spawn_blocking(move || store.sign_audit_head(&key, now)).await {
            Ok(Ok(Some(head))) => tracing::info!(entry = head.seq, "audit head signed"),
            Ok(Ok(None)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "the audit head could not be signed"),
            Err(e) => tracing::warn!(error = %e, "the audit head task failed"),
        }
    }
}

/// `haven serve`'s periodic pull: every `every`, each unrevoked peer with
/// an address, one after the other; a failure is logged and tried again
/// next time (nothing is applied from a refused bundle).
pub async fn pull_periodically(state: AppState, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(key) = state.node.clone() else {
            return;
        };
        let store = state.store.clone();
        let client = state.peer_client.clone();
        let now = state.now();
        let done = tokio::task::spawn_blocking(move || {
            let peers = store.list_peers(&Actor::system(), now)?;
            let mut results = Vec::new();
            for p in peers.iter().filter(|p| !p.revoked && p.url.is_some()) {
                results.push((
                    p.name.clone(),
                    pull(store.as_ref(), &key, &client, &p.name, now),
                ));
            }
            Ok::<_, StoreError>(results)
        })
        .await;
        match done {
            Ok(Ok(results)) => {
                for (peer, r) in results {
                    match r {
                        Ok(Pulled::UpToDate) => {}
                        Ok(Pulled::Applied(s)) => tracing::info!(
                            peer,
                            bundle = s.bundle,
                            hashes = s.hashes_added,
                            urls = s.urls_added,
                            "bundle applied"
                        ),
                        Err(e) => tracing::warn!(peer, error = %e, "pull failed"),
                    }
                }
                if let Err(e) = crate::refresh_index(&state).await {
                    tracing::warn!(error = %e.message, "the match index could not be refreshed");
                }
            }
            Ok(Err(e)) => tracing::warn!(error = %e, "the peers could not be read"),
            Err(e) => tracing::warn!(error = %e, "the pull task failed"),
        }
    }
}

/// Who the public figures are counted for: nobody signed in, so a role
/// without record access (the store counts for it, whole country, counts
/// only), and the disclosure rule always applies. The public figures page
/// and the figures sent to peers both count as this reader.
pub fn public_reader() -> Actor {
    Actor {
        user_id: "public".into(),
        name: "public".into(),
        role: haven_domain::Role::Monitor,
        scope_path: None,
        agency: None,
    }
}

/// Computes the figures of this node's public indicators exactly as the
/// public figures page does (counted for [`public_reader`], small counts
/// hidden with `rule`, never a raw count), for the periods and places that
/// [`haven_domain::exchange::published_periods`] explains, and records
/// those that changed for the peers this node publishes statistics to.
/// Returns how many changed.
pub fn publish_statistics(
    store: &dyn Store,
    cat: &haven_domain::indicators::Catalogue,
    rule: haven_domain::indicators::Rule,
    now: i64,
) -> Result<u64, StoreError> {
    use haven_domain::exchange::{publishable, published_periods, statistic_item};
    use haven_domain::indicators::{Dimension, RecordType, Tallies};
    use haven_store::indicators::IndicatorQuery;
    let public = store.public_indicators()?;
    if public.is_empty() {
        // Nothing public any more: what was published is withdrawn.
        return store.publish_statistics(&Actor::system(), &[], now);
    }
    let places = store.list_locations(&Actor::system())?;
    let Some(country) = places.iter().find(|l| l.parent.is_none()) else {
        return Ok(0);
    };
    let country = country.code.clone();
    let regions: Vec<&str> = places
        .iter()
        .filter(|l| l.parent.as_deref() == Some(country.as_str()))
        .map(|l| l.code.as_str())
        .collect();
    let today = haven_domain::Date::from_unix(now);
    let reader = public_reader();
    let mut items = Vec::new();
    for d in cat.indicators.iter().filter(|d| public.contains(&d.id)) {
        let Ok(pp) = published_periods(today, d.period) else {
            continue;
        };
        let query = |periods: Vec<haven_domain::indicators::Period>, by: Option<Dimension>| {
            store.indicator_tallies(
                &reader,
                &IndicatorQuery {
                    definition: d.clone(),
                    periods,
                    location: country.clone(),
                    by,
                },
                now,
            )
        };
        let whole = query(pp.years.to_vec(), None)?;
        // Regions only where the catalogue offers the breakdown by place
        // (hotline items have no place).
        let by_region = d.disaggregations.contains(&Dimension::Location)
            && d.numerator.record != RecordType::HotlineItems;
        let regional = if by_region && !regions.is_empty() {
            query(pp.years.to_vec(), Some(Dimension::Location))?
        } else {
            Vec::new()
        };
        for (i, (year, w)) in pp.years.iter().zip(&whole).enumerate() {
            let p = publishable(d, w, regional.get(i), rule);
            items.push(statistic_item(
                d,
                cat.version,
                year,
                &country,
                p.value,
                p.suppressed,
            ));
            for (code, value, hidden) in &p.parts {
                // Only the regions themselves: the places unknown or not
                // below one stay in the table that protects them.
                if regions.contains(&code.as_str()) {
                    items.push(statistic_item(d, cat.version, year, code, *value, *hidden));
                }
            }
        }
        // The quarters begun, suppressed as one table with the current year.
        if let Some(current) = whole.get(1).filter(|_| pp.begun > 0) {
            let quarters = query(pp.quarters.clone(), None)?;
            let parts = Tallies {
                total: current.total.clone(),
                cells: pp
                    .quarters
                    .iter()
                    .zip(quarters)
                    .map(|(q, t)| (q.to_string(), t.total))
                    .collect(),
            };
            let p = publishable(d, current, Some(&parts), rule);
            for (quarter, (_, value, hidden)) in pp.quarters.iter().zip(&p.parts).take(pp.begun) {
                items.push(statistic_item(
                    d,
                    cat.version,
                    quarter,
                    &country,
                    *value,
                    *hidden,
                ));
            }
        }
    }
    store.publish_statistics(&Actor::system(), &items, now)
}
