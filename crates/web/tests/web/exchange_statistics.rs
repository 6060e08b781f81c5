//! Figures from other countries (issue 13), with two real servers: A marks
//! an indicator public; B pulls A's feed over HTTP; B's monitoring officer
//! reads A's figures (small ones hidden at A, never a raw count) on the
//! page and in the API; a caseworker on B cannot.

use crate::http::{get, send_json};
use crate::pages::{page, sign_in};
use crate::{spawn_app_with, App, PASSWORD};
use haven_domain::exchange::NodeKey;
use haven_domain::Date;
use haven_store::conformance::child;
use haven_store::Store;
use serde_json::{json, Value};
use std::sync::Arc;

fn node(seed: u8) -> App {
    spawn_app_with(move |st| st.node = Some(Arc::new(NodeKey::from_seed(&[seed; 32]))))
}

fn key(seed: u8) -> NodeKey {
    NodeKey::from_seed(&[seed; 32])
}

fn at(day: &str) -> i64 {
    Date::parse(day).unwrap().days_since_epoch() * 86_400
}

fn pull(app: &App, peer: &str) -> Value {
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/exchange/peers/{peer}/pull"),
        &app.tokens["admin"],
        &json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn received(app: &App, who: &str) -> Vec<Value> {
    let r = get(
        app.addr,
        "/api/v1/exchange/statistics",
        Some(&app.tokens[who]),
    );
    assert_eq!(r.status, 200, "{who}: {}", r.body);
    r.json()["items"].as_array().unwrap().clone()
}

fn find<'a>(items: &'a [Value], period: &str, location: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["period"] == period && i["location"] == location)
        .unwrap_or_else(|| panic!("no figure for {period} in {location}: {items:?}"))
}

#[test]
fn a_public_figure_of_one_country_is_read_by_the_monitoring_officer_of_the_next() {
    let (a, b) = (node(1), node(2));
    // A: three children registered in 2025 (too few to show), six more in
    // the current year (the tests' clock is in 2026).
    let cw1 = a.store.actor_for_token(&a.tokens["cw1"]).unwrap();
    for i in 0..9 {
        let c = child(&format!("Mariama{i}"), "Sesay", "2016-05-05", "D11");
        let when = if i < 3 { "2025-03-01" } else { "2026-03-01" };
        a.store.create_child(&cw1, &c, at(when)).unwrap();
    }
    for (app, body) in [
        (
            &a,
            json!({"name": "B", "public_key": key(2).public_base64(), "publish": "stats"}),
        ),
        (
            &b,
            json!({"name": "A", "public_key": key(1).public_base64(),
                   "url": format!("http://{}", a.addr), "may_send": "stats"}),
        ),
    ] {
        let r = send_json(
            app.addr,
            "POST",
            "/api/v1/exchange/peers",
            &app.tokens["admin"],
            &body,
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }
    // Nothing public at A yet: nothing travels.
    assert_eq!(pull(&b, "A")["applied"], false);
    assert!(received(&b, "monitor").is_empty());

    let r = send_json(
        a.addr,
        "PUT",
        "/api/v1/indicators/children_registered/public",
        &a.tokens["admin"],
        &json!({"public": true}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let done = pull(&b, "A");
    assert_eq!(done["applied"], true, "{done}");
    let count = done["import"]["statistics_received"].as_u64().unwrap();
    assert!(count >= 2, "{done}");

    let items = received(&b, "monitor");
    assert_eq!(items.len() as u64, count);
    assert!(items
        .iter()
        .all(|i| i["origin"] == "A" && i["indicator"] == "children_registered"));
    // As on A's public figures page: nine children by the end of this
    // year; the three of last year hidden, without a number.
    let now = find(&items, "2026", "C");
    assert_eq!(now["value"], "9", "{now}");
    assert_eq!(now["suppressed"], false);
    assert_eq!(now["unit"], "count");
    assert!(now["catalogue_version"].as_i64().unwrap() >= 1);
    let last = find(&items, "2025", "C");
    assert_eq!(last["suppressed"], true, "{last}");
    assert!(last["value"].is_null(), "{last}");
    // The region the children live in, one level down.
    assert!(items
        .iter()
        .any(|i| i["location"] == "R1" && i["period"] == "2026"));
    // Nothing changed at A: the next pull brings nothing.
    assert_eq!(pull(&b, "A")["applied"], false);
    assert_eq!(received(&b, "admin").len(), items.len());

    // Read-only, and only for monitoring officers and administrators.
    for who in ["cw1", "sup1", "analyst", "liaison"] {
        let r = get(b.addr, "/api/v1/exchange/statistics", Some(&b.tokens[who]));
        assert_eq!(r.status, 403, "{who}: {}", r.body);
    }
    let (cookie, _) = sign_in(&b, "monitor", PASSWORD).unwrap();
    let indicators = page(&b, &cookie, "/indicators");
    assert!(
        indicators.body.contains("href=\"/exchange/figures\""),
        "{}",
        indicators.body
    );
    let shown = page(&b, &cookie, "/exchange/figures");
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.body.contains("Figures from other countries"));
    assert!(shown.body.contains("Children registered"), "{}", shown.body);
    assert!(shown.body.contains("Hidden (too few to show)"));
    assert!(!shown.body.contains('⟦'));
    let (cookie, _) = sign_in(&b, "cw1", PASSWORD).unwrap();
    let refused = page(&b, &cookie, "/exchange/figures");
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(!refused.body.contains("Children registered"));
    assert!(!page(&b, &cookie, "/indicators")
        .body
        .contains("href=\"/exchange/figures\""));
}
