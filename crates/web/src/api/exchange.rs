//! The exchange between nodes (issue 13): the feed a trusted peer pulls,
//! signed with its own key, and the administrators' peers.

use super::openapi::{ErrorBody, Record};
use super::ApiJson;
use crate::auth::ApiCaller;
use crate::error::WebError;
use crate::exchange::{
    check_feed_request, parse_rotation_header, pull, signed_now, Pulled, NODE_HEADER,
    ROTATION_HEADER, SIGNATURE_HEADER, TIME_HEADER,
};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use haven_domain::exchange::{fingerprint, parse_public_key};
use haven_domain::{Actor, Role};
use haven_store::NewPeer;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

fn require_admin(a: &Actor) -> Result<(), WebError> {
    if a.role == Role::Admin {
        Ok(())
    } else {
        Err(WebError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "the {} role cannot manage the exchange with other nodes",
                a.role
            ),
        ))
    }
}

fn node_key(st: &AppState) -> Result<std::sync::Arc<haven_domain::exchange::NodeKey>, WebError> {
    st.node.clone().ok_or_else(|| {
        WebError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "this node has no exchange identity",
        )
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedQuery {
    since: i64,
    prev: Option<String>,
}

/// A trusted peer's feed: a signed bundle of what changed, after `since`,
/// in what this node publishes to it.
///
/// The request is signed by the peer's own node key, not an API token:
/// `X-Haven-Node` (its fingerprint), `X-Haven-Time` (Unix seconds, within
/// 300 seconds of ours) and `X-Haven-Signature` (base64 Ed25519 signature of
/// `haven-feed-request/1\nGET\n/api/v1/exchange/feed\nQUERY\nTIME`, QUERY
/// being the query string exactly as sent). `since` is the last sequence
/// number the peer accepted from us and `prev` that bundle's hash; the
/// bundle answered starts at `since + 1` and names `prev` as its previous
/// bundle. 204 when nothing changed. Audited.
#[utoipa::path(get, path = "/api/v1/exchange/feed", operation_id = "exchange_feed", tag = "exchange",
    security(()),
    params(
        ("since" = i64, Query, description = "The last sequence number accepted from this node (0 at first)", minimum = 0),
        ("prev" = Option<String>, Query, description = "The hash of the bundle that ended at `since`"),
        ("X-Haven-Node" = String, Header, description = "The requesting node's fingerprint"),
        ("X-Haven-Time" = i64, Header, description = "The request's time, Unix seconds"),
        ("X-Haven-Signature" = String, Header, description = "Base64 Ed25519 signature of the request"),
    ),
    responses(
        (status = 200, description = "A signed bundle (`{envelope, signature}`)", content_type = "application/json", body = Record),
        (status = 204, description = "Nothing changed since `since`"),
        (status = 401, description = "The request is not signed by a trusted, unrevoked peer, or its time is stale", body = ErrorBody),
        (status = 404, description = "This node has no exchange identity", body = ErrorBody),
        (status = 409, description = "No bundle sent to this peer ends at `since` (with `prev`)", body = ErrorBody),
    ))]
pub(super) async fn feed(
    State(st): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, WebError> {
    let key = node_key(&st)?;
    let query = uri.query().unwrap_or("").to_string();
    let q: FeedQuery = serde_urlencoded::from_str(&query).map_err(|e| {
        WebError::field(
            "since",
            format!("the query is not since=SEQ[&prev=HASH]: {e}"),
        )
    })?;
    if q.since < 0 {
        return Err(WebError::field("since", "must be 0 or more"));
    }
    let h = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (node, time, signature) = (h(NODE_HEADER), h(TIME_HEADER), h(SIGNATURE_HEADER));
    let fp = node.clone().unwrap_or_default();
    let mut peer = st.run(move |s, _| s.peer_by_fingerprint(&fp)).await?;
    let now = st.now();
    // A peer that rotated its key since our last bundle from it shows the
    // rotation: followed only for a request the chain's last key signed.
    if let (None, Some(rotations), Some(node), Some(time), Some(sig)) = (
        &peer,
        h(ROTATION_HEADER)
            .as_deref()
            .and_then(parse_rotation_header),
        node.clone(),
        time.as_deref(),
        signature.as_deref(),
    ) {
        let signed_by_last = rotations
            .last()
            .and_then(|r| parse_public_key(&r.new_key).ok())
            .is_some_and(|k| {
                fingerprint(&k) == node && signed_now(&k, time, sig, &query, now) == Ok(true)
            });
        if signed_by_last {
            peer = st
                .run(
                    move |s, now| match s.follow_peer_rotation(&rotations, &node, now) {
                        Err(haven_store::StoreError::Invalid(_)) => Ok(None),
                        other => other,
                    },
                )
                .await?;
        }
    }
    let peer = match check_feed_request(
        peer,
        node.as_deref(),
        time.as_deref(),
        signature.as_deref(),
        &query,
        now,
    ) {
        Ok(p) => p,
        Err(why) => {
            let detail = why.0.clone();
            let who = node.unwrap_or_default();
            st.run(move |s, now| {
                s.record_event(
                    &format!("node:{who}"),
                    "exchange.feed",
                    "",
                    "denied",
                    &detail,
                    now,
                )
            })
            .await?;
            return Err(WebError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                why.0,
            ));
        }
    };
    // The peer asks as itself; no person's role is involved.
    let actor = Actor {
        user_id: format!("peer:{}", peer.id),
        name: format!("peer:{}", peer.name),
        role: Role::Partner,
        scope_path: None,
        agency: None,
    };
    let name = peer.name.clone();
    // This node's public figures as they are now, so that the bundle
    // carries any that changed (only to a peer it publishes them to).
    if peer.publish.iter().any(|p| p == "stats") {
        let rule = st.limits.disclosure;
        let cat = st.catalogue.clone();
        // A figure that cannot be computed now must not hold back the
        // lists: the bundle goes without it, and the next pull retries.
        if let Err(e) = st
            .run(move |s, now| crate::exchange::publish_statistics(s, &cat, rule, now))
            .await
        {
            tracing::warn!(error = %e.message, "public figures not published to peers");
        }
    }
    let bundle = st
        .run(move |s, now| {
            s.export_bundle(&actor, &name, Some(q.since), q.prev.as_deref(), &key, now)
        })
        .await?;
    let Some(bundle) = bundle else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let bytes = bundle.to_bytes().map_err(|e| {
        tracing::error!(error = %e, "a bundle could not be written");
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the bundle could not be written",
        )
    })?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

/// This node's exchange identity (admin): `{public_key, fingerprint}`.
#[utoipa::path(get, path = "/api/v1/exchange/node", operation_id = "exchange_node", tag = "exchange",
    responses((status = 200, description = "The public key (base64) and fingerprint", body = Record)))]
pub(super) async fn node(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    require_admin(&a)?;
    let key = node_key(&st)?;
    Ok(Json(
        json!({"public_key": key.public_base64(), "fingerprint": key.fingerprint()}),
    ))
}

/// Every trusted peer (admin).
#[utoipa::path(get, path = "/api/v1/exchange/peers", operation_id = "list_peers", tag = "exchange",
    responses((status = 200, description = "`{items: [peer]}`", body = Record)))]
pub(super) async fn list_peers(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let peers = st.run(move |s, now| s.list_peers(&a, now)).await?;
    Ok(Json(json!({"items": peers, "next": null})))
}

/// A peer to trust.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "neighbour", "public_key": "base64 of 32 bytes", "url": "https://haven.neighbour.example", "may_send": "hashes,urls", "publish": "urls,hashlist:national"}))]
pub(super) struct PeerInput {
    /// Its name here (letters, digits, '-', '_', '.').
    #[schema(min_length = 1, max_length = 60)]
    name: String,
    /// Its public key as `haven node show` prints it there (base64, or 64 hex digits).
    public_key: String,
    /// Where its feed is, for pulling.
    url: Option<String>,
    /// What it may send us: `hashes`, `urls`, `alerts`, `stats`, `audit` (signed heads of its audit log), comma-separated.
    #[serde(default)]
    may_send: String,
    /// What we publish to it: `urls`, `alerts`, `stats`, `audit`, `hashlist:NAME`, comma-separated.
    #[serde(default)]
    publish: String,
}

/// Trust a peer (admin; audited).
#[utoipa::path(post, path = "/api/v1/exchange/peers", operation_id = "add_peer", tag = "exchange",
    request_body = PeerInput,
    responses(
        (status = 201, description = "The peer", body = Record),
        (status = 409, description = "A peer with that name or key exists", body = ErrorBody),
    ))]
pub(super) async fn add_peer(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    ApiJson(p): ApiJson<PeerInput>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let new = NewPeer {
        name: p.name,
        public_key: p.public_key,
        url: p.url,
        may_send: p.may_send,
        publish: p.publish,
    };
    let peer = st.run(move |s, now| s.add_peer(&a, &new, now)).await?;
    Ok((StatusCode::CREATED, Json(json!(peer))))
}

/// Whether a peer is revoked.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Revoked {
    /// true: nothing more is accepted from it or sent to it; false restores it.
    revoked: bool,
}

/// Revoke or restore a peer (admin; audited).
#[utoipa::path(post, path = "/api/v1/exchange/peers/{name}/revoked", operation_id = "set_peer_revoked", tag = "exchange",
    params(("name" = String, Path, description = "The peer's name")),
    request_body = Revoked,
    responses((status = 200, description = "The peer", body = Record)))]
pub(super) async fn set_revoked(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(name): Path<String>,
    ApiJson(r): ApiJson<Revoked>,
) -> Result<Json<Value>, WebError> {
    let peer = st
        .run(move |s, now| s.set_peer_revoked(&a, &name, r.revoked, now))
        .await?;
    Ok(Json(json!(peer)))
}

/// Pull a peer's feed now (admin): `{applied: false}` when it had nothing
/// new, else `{applied: true, import: {…}}`. A refused bundle is a 422
/// whose message names it and why (audited); an unreachable peer a 502.
#[utoipa::path(post, path = "/api/v1/exchange/peers/{name}/pull", operation_id = "pull_peer", tag = "exchange",
    params(("name" = String, Path, description = "The peer's name")),
    responses(
        (status = 200, description = "What was applied", body = Record),
        (status = 409, description = "The peer is revoked or has no address", body = ErrorBody),
        (status = 502, description = "The peer could not be reached or answered an error", body = ErrorBody),
    ))]
pub(super) async fn pull_now(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(name): Path<String>,
) -> Result<Json<Value>, WebError> {
    // The role check, audited when refused.
    st.run(move |s, now| s.list_peers(&a, now)).await?;
    let key = node_key(&st)?;
    let store = st.store.clone();
    let client = st.peer_client.clone();
    let now = st.now();
    let done = tokio::task::spawn_blocking(move || pull(store.as_ref(), &key, &client, &name, now))
        .await
        .map_err(|_| {
            WebError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the pull did not finish",
            )
        })?;
    let out = match done {
        Ok(Pulled::UpToDate) => json!({"applied": false}),
        Ok(Pulled::Applied(s)) => json!({"applied": true, "import": s}),
        Err(crate::exchange::PullError::Peer(m)) => {
            return Err(WebError::new(StatusCode::CONFLICT, "conflict", m))
        }
        Err(crate::exchange::PullError::Transport(m)) => {
            return Err(WebError::new(StatusCode::BAD_GATEWAY, "unreachable", m))
        }
        Err(crate::exchange::PullError::Store(e)) => return Err(e.into()),
    };
    crate::refresh_index(&st).await?;
    Ok(Json(out))
}

/// Apply a bundle file from a peer (admin): the same checks as a pull —
/// signed by a trusted, unrevoked peer, addressed to this node, next in
/// that peer's chain, of kinds it may send — in one transaction. A refused
/// bundle is a 422 whose message names it and says why (audited). Bodies
/// up to 2 MB; larger bundles with `haven exchange import FILE`.
#[utoipa::path(post, path = "/api/v1/exchange/import", operation_id = "import_bundle", tag = "exchange",
    request_body(content = Record, content_type = "application/json", description = "A bundle file (`{envelope, signature}`)"),
    responses((status = 200, description = "What was applied", body = Record)))]
pub(super) async fn import(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    body: axum::body::Bytes,
) -> Result<Json<Value>, WebError> {
    let key = node_key(&st)?;
    let us = key.fingerprint();
    let summary = st
        .run(move |s, now| s.import_bundle(&a, &body, &us, now))
        .await?;
    crate::refresh_index(&st).await?;
    Ok(Json(json!(summary)))
}

/// The figures other nodes published (their public indicators,
/// disclosure-controlled there), the newest per origin, indicator, period
/// and place (administrators and monitoring officers).
#[utoipa::path(get, path = "/api/v1/exchange/statistics", operation_id = "received_statistics", tag = "exchange",
    responses(
        (status = 200, description = "`{items: [{origin, indicator, catalogue_version, period, location, unit, value, suppressed, received_at, origin_bundle}], next: null}`; `value` is decimal text, null when hidden (`suppressed`) or when it cannot be calculated", body = Record),
        (status = 403, description = "Only administrators and monitoring officers see them", body = ErrorBody),
    ))]
pub(super) async fn received_statistics(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let items = st.run(move |s, now| s.received_statistics(&a, now)).await?;
    Ok(Json(json!({"items": items, "next": null})))
}
