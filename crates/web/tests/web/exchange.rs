//! Three nodes on loopback (issue 13): A lists a URL and a hash; B pulls
//! A's feed over HTTP and its partners' matches name A; A takes the URL
//! down and B's copy goes; B disables its copy and A's re-sending leaves it
//! disabled; C, without a network, imports a file A exported. Plus the
//! feed's refusal of unsigned, stale and strangers' requests, and the
//! administrators-only pages and calls.

use crate::http::{get, request, send_json};
use crate::pages::{page, post, sign_in};
use crate::{spawn_app_with, App, PASSWORD};
use haven_domain::exchange::{feed_request_message, KeyRotationItem, NodeKey};
use haven_domain::Actor;
use haven_store::Store;
use serde_json::json;
use std::sync::Arc;

const PDQ: &str = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

fn node(seed: u8) -> App {
    node_with(seed, |_| {})
}

/// A node with the key of `seed`, configured further by `configure`.
pub(crate) fn node_with(seed: u8, configure: impl FnOnce(&mut haven_web::AppState)) -> App {
    spawn_app_with(move |st| {
        st.node = Some(Arc::new(NodeKey::from_seed(&[seed; 32])));
        configure(st);
    })
}

pub(crate) fn key(seed: u8) -> NodeKey {
    NodeKey::from_seed(&[seed; 32])
}

pub(crate) fn add_peer(app: &App, body: serde_json::Value) {
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/exchange/peers",
        &app.tokens["admin"],
        &body,
    );
    assert_eq!(r.status, 201, "{}", r.body);
}

fn pull(app: &App, peer: &str) -> serde_json::Value {
    let (status, body) = pull_answer(app, peer);
    assert_eq!(status, 200, "{body}");
    body
}

/// An administrator's pull of `peer` now: the status and the answer.
pub(crate) fn pull_answer(app: &App, peer: &str) -> (u16, serde_json::Value) {
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/exchange/peers/{peer}/pull"),
        &app.tokens["admin"],
        &json!({}),
    );
    (r.status, r.json())
}

fn matches(app: &App) -> Vec<serde_json::Value> {
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        &app.tokens["isp"],
        &json!({"pdq": PDQ}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["matches"].as_array().unwrap().clone()
}

fn url_check(app: &App) -> serde_json::Value {
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/urls/check",
        &app.tokens["isp"],
        &json!({"url": "http://listed.example/gallery?id=7"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[test]
fn three_nodes_share_listed_urls_and_hashes_with_their_origin() {
    let (a, b, c) = (node(1), node(2), node(3));
    for (peer, seed) in [("B", 2), ("C", 3)] {
        add_peer(
            &a,
            json!({"name": peer, "public_key": key(seed).public_base64(),
                   "publish": "urls,hashlist:national,audit"}),
        );
    }
    add_peer(
        &b,
        json!({"name": "A", "public_key": key(1).public_base64(),
               "url": format!("http://{}", a.addr), "may_send": "hashes,urls,audit"}),
    );
    add_peer(
        &c,
        json!({"name": "A", "public_key": key(1).public_base64(), "may_send": "hashes,urls,audit"}),
    );
    // Nothing listed yet: B is up to date.
    assert_eq!(pull(&b, "A")["applied"], false);

    // An analyst in A lists a URL and a hash.
    let analyst = &a.tokens["analyst"];
    let r = send_json(
        a.addr,
        "POST",
        "/api/v1/hashlists",
        analyst,
        &json!({"name": "national"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let list = r.json()["id"].as_str().unwrap().to_string();
    let r = send_json(
        a.addr,
        "POST",
        &format!("/api/v1/hashlists/{list}/entries"),
        analyst,
        &json!({"pdq": PDQ, "quality": 90, "source": "report 12", "category": "csam"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let a_entry = r.json()["id"].as_str().unwrap().to_string();
    let r = send_json(
        a.addr,
        "POST",
        "/api/v1/urls",
        analyst,
        &json!({"url": "http://listed.example/gallery?id=7", "category": "csam"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let a_url = r.json()["id"].as_str().unwrap().to_string();
    assert!(matches(&b).is_empty());

    // B pulls over HTTP: its partner's match and URL check name A.
    let done = pull(&b, "A");
    assert_eq!(done["applied"], true, "{done}");
    assert_eq!(done["import"]["hashes_added"], 1);
    assert_eq!(done["import"]["urls_added"], 1);
    // With it, A's signed audit head: B keeps how far A's log reached,
    // and B's administrator sees it beside the peer.
    let vouched = done["import"]["audit_head"]
        .as_i64()
        .expect("a signed head");
    assert!(vouched > 1, "{done}");
    let r = get(b.addr, "/api/v1/exchange/peers", Some(&b.tokens["admin"]));
    assert_eq!(
        r.json()["items"][0]["audit_head_seq"],
        vouched,
        "{}",
        r.body
    );
    let (b_admin, _) = sign_in(&b, "admin", PASSWORD).unwrap();
    let p = page(&b, &b_admin, "/admin/peers");
    assert!(
        p.body
            .contains(&format!("Audit log vouched for up to entry {vouched},")),
        "{}",
        p.body
    );
    let found = matches(&b);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["origin"], "A");
    assert_eq!(found[0]["list"], "national");
    let b_entry = found[0]["entry"].as_str().unwrap().to_string();
    assert_ne!(
        b_entry, a_entry,
        "B keeps its own id and A's as the origin's"
    );
    let checked = url_check(&b);
    assert_eq!(checked["listed"], true);
    assert_eq!(checked["matches"][0]["origin"], "A");
    // On A, its own entries have no origin.
    assert_eq!(matches(&a)[0]["origin"], serde_json::Value::Null);
    // Provenance for B's analysts: the origin's id and the bundle.
    let r = get(b.addr, "/api/v1/hashlists", Some(&b.tokens["analyst"]));
    let b_list = r.json()["items"][0]["id"].as_str().unwrap().to_string();
    let r = get(
        b.addr,
        &format!("/api/v1/hashlists/{b_list}/entries"),
        Some(&b.tokens["analyst"]),
    );
    let origin = &r.json()["items"][0]["origin"];
    assert_eq!(origin["node"], "A");
    assert_eq!(origin["id"], a_entry.as_str());
    assert_eq!(origin["bundle"].as_str().unwrap().len(), 64);

    // A takes the URL down: B's copy goes with the next pull.
    let r = request(
        a.addr,
        "DELETE",
        &format!("/api/v1/urls/{a_url}"),
        &[("Authorization", &format!("Bearer {analyst}"))],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(pull(&b, "A")["import"]["urls_removed"], 1);
    assert_eq!(url_check(&b)["listed"], false);

    // B disables its copy; A disables and re-enables the entry (sending it
    // again): B's copy stays disabled.
    let r = send_json(
        b.addr,
        "PATCH",
        &format!("/api/v1/hashentries/{b_entry}"),
        &b.tokens["analyst"],
        &json!({"enabled": false}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    for enabled in [false, true] {
        let r = send_json(
            a.addr,
            "PATCH",
            &format!("/api/v1/hashentries/{a_entry}"),
            analyst,
            &json!({"enabled": enabled}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let done = pull(&b, "A");
    assert_eq!(done["import"]["kept_disabled"], 1, "{done}");
    assert!(matches(&b).is_empty(), "disabled here stays disabled");
    assert_eq!(matches(&a).len(), 1);

    // C has no network: A writes a bundle file for it, C's administrator
    // applies it, once.
    let bundle = a
        .store
        .export_bundle(
            &Actor::system(),
            "C",
            None,
            None,
            &key(1),
            crate::conformance_now(),
        )
        .unwrap()
        .unwrap()
        .to_bytes()
        .unwrap();
    let admin_c = format!("Bearer {}", c.tokens["admin"]);
    let import = |bytes: &[u8]| {
        request(
            c.addr,
            "POST",
            "/api/v1/exchange/import",
            &[
                ("Authorization", &admin_c),
                ("Content-Type", "application/json"),
            ],
            Some(bytes),
        )
    };
    let r = import(&bundle[..bundle.len() - 10]);
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (422, "refused"),
        "{}",
        r.body
    );
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("cut off"));
    let r = import(&bundle);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["hashes_added"], 1);
    assert_eq!(matches(&c)[0]["origin"], "A");
    assert_eq!(
        url_check(&c)["listed"],
        false,
        "taken down before C's bundle"
    );
    let r = import(&bundle);
    assert_eq!(r.status, 422);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("a replay"));
    // Only an administrator applies a bundle.
    let r = request(
        c.addr,
        "POST",
        "/api/v1/exchange/import",
        &[
            ("Authorization", &format!("Bearer {}", c.tokens["analyst"])),
            ("Content-Type", "application/json"),
        ],
        Some(&bundle),
    );
    assert_eq!(r.status, 403);
}

fn signed_feed(a: &App, by: &NodeKey, query: &str, time: i64) -> crate::http::Response {
    signed_feed_showing(a, by, query, time, None)
}

/// A feed request signed by `by`, showing key rotations when given.
fn signed_feed_showing(
    a: &App,
    by: &NodeKey,
    query: &str,
    time: i64,
    rotations: Option<&[KeyRotationItem]>,
) -> crate::http::Response {
    let sig = by.sign(&feed_request_message(
        "GET",
        "/api/v1/exchange/feed",
        query,
        time,
    ));
    let shown = rotations.map(|r| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(r).unwrap())
    });
    let (fp, t) = (by.fingerprint(), time.to_string());
    let mut headers = vec![
        ("X-Haven-Node", fp.as_str()),
        ("X-Haven-Time", t.as_str()),
        ("X-Haven-Signature", sig.as_str()),
    ];
    if let Some(shown) = &shown {
        headers.push(("X-Haven-Key-Rotation", shown.as_str()));
    }
    request(
        a.addr,
        "GET",
        &format!("/api/v1/exchange/feed?{query}"),
        &headers,
        None,
    )
}

/// Node A, publishing its URL list (one URL on it) to peer B with key 2;
/// and the time now, for signed feed requests.
fn node_publishing_a_url_to_b() -> (App, i64) {
    let a = node(1);
    add_peer(
        &a,
        json!({"name": "B", "public_key": key(2).public_base64(), "publish": "urls"}),
    );
    let r = send_json(
        a.addr,
        "POST",
        "/api/v1/urls",
        &a.tokens["analyst"],
        &json!({"url": "http://listed.example/", "level": "domain", "category": "csam"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    (a, now)
}

#[test]
fn a_peer_that_rotated_its_key_is_recognised_by_the_rotation_it_shows() {
    let (a, now) = node_publishing_a_url_to_b();
    let (old, new, thief) = (key(2), key(12), key(13));
    let trusted = || {
        a.store.list_peers(&Actor::system(), 0).unwrap()[0]
            .fingerprint
            .clone()
    };
    let rotation = KeyRotationItem::sign(&old, &new, now);
    // Without the rotation, B's new key is a stranger.
    assert_eq!(signed_feed(&a, &new, "since=0", now).status, 401);
    // A thief cannot hand B's key over to their own, nor use B's real
    // rotation on a request the new key did not sign.
    let forged = KeyRotationItem {
        old_key: old.public_base64(),
        ..KeyRotationItem::sign(&key(14), &thief, now)
    };
    let r = signed_feed_showing(&a, &thief, "since=0", now, Some(&[forged]));
    assert_eq!(r.status, 401, "{}", r.body);
    let r = signed_feed_showing(
        &a,
        &thief,
        "since=0",
        now,
        Some(std::slice::from_ref(&rotation)),
    );
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(trusted(), old.fingerprint());
    // B's request signed by its new key, showing its rotation: answered,
    // and A trusts the new key from now on, the old one no more.
    let r = signed_feed_showing(&a, &new, "since=0", now, Some(&[rotation]));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(trusted(), new.fingerprint());
    assert_eq!(signed_feed(&a, &new, "since=0", now).status, 200);
    assert_eq!(signed_feed(&a, &old, "since=0", now).status, 401);
    let audit = a
        .store
        .recent_audit(&Actor::system(), 20, crate::conformance_now())
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "exchange.key_rotated"));
}

#[test]
fn the_feed_answers_only_a_trusted_peer_signing_now() {
    let (a, now) = node_publishing_a_url_to_b();
    // Unsigned, a stranger, a stale time, a signature over another query.
    let r = request(a.addr, "GET", "/api/v1/exchange/feed?since=0", &[], None);
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(signed_feed(&a, &key(9), "since=0", now).status, 401);
    assert_eq!(signed_feed(&a, &key(2), "since=0", now - 3600).status, 401);
    let sig = key(2).sign(&feed_request_message(
        "GET",
        "/api/v1/exchange/feed",
        "since=0",
        now,
    ));
    let r = request(
        a.addr,
        "GET",
        "/api/v1/exchange/feed?since=5",
        &[
            ("X-Haven-Node", &key(2).fingerprint()),
            ("X-Haven-Time", &now.to_string()),
            ("X-Haven-Signature", &sig),
        ],
        None,
    );
    assert_eq!(r.status, 401);
    let audit = a
        .store
        .recent_audit(&Actor::system(), 50, crate::conformance_now())
        .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == "exchange.feed" && e.outcome == "denied")
            .count(),
        4
    );
    // B, signing now: a bundle addressed to B, with the URL.
    let r = signed_feed(&a, &key(2), "since=0", now);
    assert_eq!(r.status, 200, "{}", r.body);
    let bundle = r.json();
    assert_eq!(
        bundle["envelope"]["recipient"],
        key(2).fingerprint().as_str()
    );
    assert_eq!(bundle["envelope"]["items"][0]["url_add"]["level"], "domain");
    // A revoked peer is refused.
    let r = send_json(
        a.addr,
        "POST",
        "/api/v1/exchange/peers/B/revoked",
        &a.tokens["admin"],
        &json!({"revoked": true}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(signed_feed(&a, &key(2), "since=0", now).status, 401);
}

#[test]
fn only_administrators_manage_peers_and_the_page_keeps_what_was_typed() {
    let a = node(1);
    // The API: others get 403 and nothing changes.
    for who in ["analyst", "cw1", "monitor", "isp"] {
        let r = send_json(
            a.addr,
            "POST",
            "/api/v1/exchange/peers",
            &a.tokens[who],
            &json!({"name": "B", "public_key": key(2).public_base64()}),
        );
        assert_eq!(r.status, 403, "{who}: {}", r.body);
        assert_eq!(
            get(a.addr, "/api/v1/exchange/peers", Some(&a.tokens[who])).status,
            403
        );
    }
    let r = get(a.addr, "/api/v1/exchange/peers", Some(&a.tokens["admin"]));
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 0);
    let r = get(a.addr, "/api/v1/exchange/node", Some(&a.tokens["admin"]));
    assert_eq!(r.json()["fingerprint"], key(1).fingerprint().as_str());

    // The page: the fingerprint, a refused form back with its errors, then
    // the peer added, revoked and restored.
    let (admin, csrf) = sign_in(&a, "admin", PASSWORD).unwrap();
    let form = |pairs: &[(&str, &str)], csrf: &str| {
        let mut all = vec![("csrf", csrf)];
        all.extend_from_slice(pairs);
        serde_urlencoded::to_string(&all).unwrap()
    };
    let p = page(&a, &admin, "/admin");
    assert!(p.body.contains("/admin/peers"));
    let p = page(&a, &admin, "/admin/peers");
    assert_eq!(p.status, 200);
    assert!(p.body.contains(&key(1).fingerprint()));
    let r = post(
        &a,
        &admin,
        "/admin/peers",
        &form(
            &[
                ("name", "B side"),
                ("public_key", "not a key"),
                ("url", "ftp://x"),
                ("send_urls", "on"),
            ],
            &csrf,
        ),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("value=\"B side\""),
        "what was typed is kept"
    );
    for field in ["name", "public_key", "url"] {
        assert!(r.body.contains(&format!("id=\"{field}-error\"")), "{field}");
    }
    assert!(a.store.list_peers(&Actor::system(), 0).unwrap().is_empty());
    let b_key = key(2).public_base64();
    let r = post(
        &a,
        &admin,
        "/admin/peers",
        &form(
            &[
                ("name", "B"),
                ("public_key", &b_key),
                ("send_urls", "on"),
                ("publish_urls", "on"),
                ("publish_audit", "on"),
                ("publish_lists", "national"),
            ],
            &csrf,
        ),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let p = page(&a, &admin, "/admin/peers?done=added");
    assert!(p.body.contains(&key(2).fingerprint()));
    let peers = a.store.list_peers(&Actor::system(), 0).unwrap();
    assert_eq!(peers[0].may_send, ["urls"]);
    assert_eq!(peers[0].publish, ["urls", "audit", "hashlist:national"]);
    let r = post(
        &a,
        &admin,
        "/admin/peers/B/revoked",
        &form(&[("revoked", "true")], &csrf),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(a.store.list_peers(&Actor::system(), 0).unwrap()[0].revoked);
    // Another role is refused, and nothing changes.
    let (analyst, analyst_csrf) = sign_in(&a, "analyst", PASSWORD).unwrap();
    assert_eq!(page(&a, &analyst, "/admin/peers").status, 403);
    let r = post(
        &a,
        &analyst,
        "/admin/peers/B/revoked",
        &form(&[("revoked", "false")], &analyst_csrf),
    );
    assert_eq!(r.status, 403);
    assert!(a.store.list_peers(&Actor::system(), 0).unwrap()[0].revoked);
}
