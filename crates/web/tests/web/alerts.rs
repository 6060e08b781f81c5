//! Travelling-offender alerts between two real servers (issue 13): A's
//! liaison officer issues an alert; B pulls A's feed; B's liaison officer
//! reads it, B's analyst, caseworker and administrator cannot; the read is
//! in B's audit log; A withdraws it and B's copy goes with the next pull.
//! Plus the liaison officer's pages: the list, the typed form refused with
//! its values kept, one alert, and the withdrawal.

use crate::http::{get, send_json};
use crate::pages::{page, post, sign_in};
use crate::{conformance_now, spawn_app_with, App, PASSWORD};
use haven_domain::exchange::NodeKey;
use haven_domain::Date;
use haven_store::Store;
use serde_json::json;
use std::sync::Arc;

fn node(seed: u8) -> App {
    spawn_app_with(move |st| st.node = Some(Arc::new(NodeKey::from_seed(&[seed; 32]))))
}

fn key(seed: u8) -> NodeKey {
    NodeKey::from_seed(&[seed; 32])
}

fn day(days: i64) -> String {
    Date::from_unix(conformance_now() + days * 86_400).to_string()
}

fn alert_body() -> serde_json::Value {
    json!({"family_names": "Marlow", "given_names": "Jonas", "birth_date": "1971-04-05",
           "nationalities": ["GB"], "documents": ["P-4471"],
           "offence": "Convicted in 2019 of sexual abuse of a child",
           "travel_from": day(1), "travel_to": day(10), "destination": "KHM",
           "issuing_authority": "National Police", "expires": day(30)})
}

fn pull(app: &App, peer: &str) -> serde_json::Value {
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

#[test]
fn an_alert_issued_in_one_country_is_read_only_by_the_liaison_officer_of_the_next() {
    let (a, b) = (node(1), node(2));
    let r = send_json(
        a.addr,
        "POST",
        "/api/v1/exchange/peers",
        &a.tokens["admin"],
        &json!({"name": "B", "public_key": key(2).public_base64(), "publish": "alerts"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let r = send_json(
        b.addr,
        "POST",
        "/api/v1/exchange/peers",
        &b.tokens["admin"],
        &json!({"name": "A", "public_key": key(1).public_base64(),
                "url": format!("http://{}", a.addr), "may_send": "alerts"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);

    // Only A's liaison officer may issue one.
    for who in ["admin", "analyst", "cw1", "monitor"] {
        let r = send_json(
            a.addr,
            "POST",
            "/api/v1/alerts",
            &a.tokens[who],
            &alert_body(),
        );
        assert_eq!(r.status, 403, "{who}: {}", r.body);
    }
    let mut bad = alert_body();
    bad["expires"] = json!("2001-01-01");
    let r = send_json(a.addr, "POST", "/api/v1/alerts", &a.tokens["liaison"], &bad);
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "expires");
    let r = send_json(
        a.addr,
        "POST",
        "/api/v1/alerts",
        &a.tokens["liaison"],
        &alert_body(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let issued = r.json();
    let a_id = issued["id"].as_str().unwrap().to_string();
    assert_eq!(issued["origin"], serde_json::Value::Null);

    // B pulls A's feed over HTTP.
    let done = pull(&b, "A");
    assert_eq!(done["import"]["alerts_added"], 1, "{done}");
    let list = get(b.addr, "/api/v1/alerts", Some(&b.tokens["liaison"]));
    assert_eq!(list.status, 200, "{}", list.body);
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["origin"], "A");
    assert_eq!(items[0]["origin_id"], a_id.as_str());
    let b_id = items[0]["id"].as_str().unwrap().to_string();
    let one = get(
        b.addr,
        &format!("/api/v1/alerts/{b_id}"),
        Some(&b.tokens["liaison"]),
    );
    assert_eq!(one.status, 200, "{}", one.body);
    assert_eq!(one.json()["family_names"], "Marlow");
    assert_eq!(one.json()["documents"], json!(["P-4471"]));
    for who in ["analyst", "cw1", "admin", "sup1", "monitor"] {
        let r = get(b.addr, "/api/v1/alerts", Some(&b.tokens[who]));
        assert_eq!(r.status, 403, "{who}: {}", r.body);
        let r = get(
            b.addr,
            &format!("/api/v1/alerts/{b_id}"),
            Some(&b.tokens[who]),
        );
        assert_eq!(r.status, 403, "{who}: {}", r.body);
        assert!(!r.body.contains("Marlow"));
    }
    // The read is in B's audit log, with no name in it.
    let audit = b
        .store
        .recent_audit(&haven_domain::Actor::system(), 200, conformance_now())
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "alert.read"
        && e.actor == "liaison"
        && e.target == format!("alert:{b_id}")
        && e.outcome == "ok"));
    assert!(audit
        .iter()
        .any(|e| e.action == "alert.read" && e.actor == "analyst" && e.outcome == "denied"));
    assert!(audit.iter().all(|e| !e.detail.contains("Marlow")));
    // B cannot withdraw what A issued.
    let r = send_json(
        b.addr,
        "POST",
        &format!("/api/v1/alerts/{b_id}/withdraw"),
        &b.tokens["liaison"],
        &json!({}),
    );
    assert_eq!(r.status, 409, "{}", r.body);

    // A withdraws it: gone at A now, and at B after the next pull.
    let r = send_json(
        a.addr,
        "POST",
        &format!("/api/v1/alerts/{a_id}/withdraw"),
        &a.tokens["liaison"],
        &json!({}),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let done = pull(&b, "A");
    assert_eq!(done["import"]["alerts_withdrawn"], 1, "{done}");
    let r = get(
        b.addr,
        &format!("/api/v1/alerts/{b_id}"),
        Some(&b.tokens["liaison"]),
    );
    assert_eq!(r.status, 404, "{}", r.body);
    let list = get(b.addr, "/api/v1/alerts", Some(&b.tokens["liaison"]));
    assert_eq!(list.json()["items"], json!([]));
}

#[test]
fn the_liaison_officer_issues_reads_and_withdraws_alerts_on_the_pages() {
    let a = node(1);
    let (cookie, csrf) = sign_in(&a, "liaison", PASSWORD).unwrap();
    let home = page(&a, &cookie, "/");
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains("href=\"/alerts\""),
        "the menu leads there"
    );
    let list = page(&a, &cookie, "/alerts");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("There are no alerts in force."));
    assert!(page(&a, &cookie, "/alerts/new")
        .body
        .contains("Issue the alert"));

    // A refused form comes back with what was typed and each error by its field.
    let body = format!(
        "csrf={csrf}&family_names=Marlow&given_names=&nationalities=GB&documents=P-4471\
         &offence=Convicted+2019&travel_from={}&travel_to={}&destination=Cambodia\
         &issuing_authority=National+Police&expires={}",
        day(5),
        day(1),
        day(30)
    );
    let r = post(&a, &cookie, "/alerts", &body);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"Marlow\""));
    assert!(r.body.contains("Enter the given names."));
    assert!(r.body.contains("on or after the first travel date"));
    assert!(r.body.contains("Enter the destination as a country code"));
    assert!(r.body.contains("id=\"destination-error\""));
    let fixed = body
        .replace("given_names=&", "given_names=Jonas&")
        .replace("destination=Cambodia", "destination=KHM")
        .replace(
            &format!("travel_from={}", day(5)),
            &format!("travel_from={}", day(1)),
        )
        .replace(
            &format!("travel_to={}", day(1)),
            &format!("travel_to={}", day(5)),
        );
    let r = post(&a, &cookie, "/alerts", &fixed);
    assert_eq!(r.status, 303, "{}", r.body);
    let at = r.header("location").unwrap().to_string();
    assert!(
        at.starts_with("/alerts/") && at.ends_with("?done=issued"),
        "{at}"
    );
    let shown = page(&a, &cookie, &at);
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("Marlow, Jonas"));
    assert!(shown.body.contains("P-4471"));
    assert!(shown.body.contains("This node"));
    let list = page(&a, &cookie, "/alerts?lang=fr");
    assert!(list.body.contains("Une alerte en vigueur"), "{}", list.body);

    // Other roles are refused the pages, and see nothing of the alert.
    for who in ["analyst", "admin", "cw1"] {
        let (c, _) = sign_in(&a, who, PASSWORD).unwrap();
        let r = page(&a, &c, "/alerts");
        assert_eq!(r.status, 403, "{who}");
        assert!(!r.body.contains("Marlow"));
        let r = page(&a, &c, at.split('?').next().unwrap());
        assert_eq!(r.status, 403, "{who}");
        assert!(!r.body.contains("Marlow"));
        assert!(!page(&a, &c, "/").body.contains("href=\"/alerts\""));
    }

    // Withdrawn: gone from the list.
    let id = at.trim_start_matches("/alerts/").split('?').next().unwrap();
    let r = post(
        &a,
        &cookie,
        &format!("/alerts/{id}/withdraw"),
        &format!("csrf={csrf}"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/alerts?done=withdrawn"));
    let list = page(&a, &cookie, "/alerts?done=withdrawn");
    assert!(list.body.contains("The alert was withdrawn."));
    assert!(!list.body.contains("Marlow"));
    assert_eq!(page(&a, &cookie, &format!("/alerts/{id}")).status, 404);
}
