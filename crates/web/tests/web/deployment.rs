//! Several servers on one database, as a national deployment runs them
//! behind a load balancer: what one server counts against guessing and
//! flooding, every other one honours.

use crate::http::{request, send_json, Response};
use crate::pages::{post_login_in, sign_in};
use crate::{conformance_now, spawn_app_with, spawn_beside_with, PASSWORD};
use serde_json::json;
use std::sync::Arc;

/// Both servers' clock stands still, so a wait of seconds cannot run out
/// while the test runs.
fn still(st: &mut haven_web::AppState) {
    let now = conformance_now() + 3600;
    st.clock = Arc::new(move || now);
}

fn device_cookie(r: &Response) -> String {
    r.cookies()
        .into_iter()
        .find(|(k, _)| k == "haven_device")
        .expect("a device cookie")
        .1
}

#[test]
fn sign_in_limits_and_device_cookies_hold_across_servers() {
    let a = spawn_app_with(still);
    let b = spawn_beside_with(&a, still);
    sign_in_limits_hold_across(&a, &b);
}

/// Two servers on one PostgreSQL database through PgBouncer in
/// transaction mode: sign-in limits hold across them, and a hash entry
/// added or disabled through one changes the other's match answers within
/// its refresh interval, with no restart.
#[test]
fn two_servers_through_pgbouncer_share_limits_and_list_changes() {
    let Some((a, b)) = crate::spawn_pair_through_pgbouncer(|st| {
        still(st);
        st.limits.index_refresh = std::time::Duration::from_millis(20);
    }) else {
        return;
    };
    sign_in_limits_hold_across(&a, &b);

    let analyst = &a.tokens["analyst"];
    let list = send_json(
        a.addr,
        "POST",
        "/api/v1/hashlists",
        analyst,
        &json!({"name": "n"}),
    );
    assert_eq!(list.status, 201, "{}", list.body);
    let list = list.json()["id"].as_str().unwrap().to_string();
    let md5 = "0123456789abcdef0123456789abcdef";
    let entry = send_json(
        a.addr,
        "POST",
        &format!("/api/v1/hashlists/{list}/entries"),
        analyst,
        &json!({"md5": md5}),
    );
    assert_eq!(entry.status, 201, "{}", entry.body);
    let entry = entry.json()["id"].as_str().unwrap().to_string();
    let matches_on_b = || {
        let r = send_json(
            b.addr,
            "POST",
            "/api/v1/match",
            &b.tokens["isp"],
            &json!({"md5": md5}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["matches"].as_array().unwrap().len()
    };
    // Each answer takes a round trip; B refreshes every 20 ms.
    assert!(
        (0..2000).any(|_| matches_on_b() == 1),
        "B never saw A's entry"
    );
    let r = send_json(
        a.addr,
        "PATCH",
        &format!("/api/v1/hashentries/{entry}"),
        analyst,
        &json!({"enabled": false}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        (0..2000).any(|_| matches_on_b() == 0),
        "B still matches a disabled entry"
    );
}

fn sign_in_limits_hold_across(a: &crate::App, b: &crate::App) {
    // This browser signs in on server A, which gives it a device cookie.
    let first = post_login_in(a, None, "sup1", PASSWORD, "");
    assert_eq!(first.status, 303);
    let device = device_cookie(&first);

    // Someone else guesses sup1's password on server B...
    for _ in 0..6 {
        assert_eq!(sign_in(b, "sup1", "wrong password here").unwrap_err(), 401);
    }
    // ...and server A slows the account down too, even for the right one.
    assert_eq!(sign_in(a, "sup1", PASSWORD).unwrap_err(), 429);
    assert_eq!(sign_in(b, "sup1", PASSWORD).unwrap_err(), 429);
    // The browser that signed in on A is recognised by B: the guessing
    // does not hold its owner up.
    let cookie = format!("; haven_device={device}");
    let r = post_login_in(b, None, "sup1", PASSWORD, &cookie);
    assert_eq!(r.status, 303, "{}", r.body);
    // Another account is not slowed (the address has counts to spare).
    assert!(sign_in(a, "cw1", PASSWORD).is_ok());
}

#[test]
fn public_report_limits_hold_across_servers() {
    let a = spawn_app_with(still);
    let b = spawn_beside_with(&a, still);
    let report = serde_json::json!({"category": "sale_or_trafficking", "description": "A man takes girls from the bus station to the city", "location": "D11", "reporter": "professional", "lang": "en"}).to_string();
    let send = |app: &crate::App| {
        request(
            app.addr,
            "POST",
            "/api/v1/public/reports",
            &[("Content-Type", "application/json")],
            Some(report.as_bytes()),
        )
        .status
    };
    // Ten an hour from one address, whichever server takes them.
    let statuses: Vec<u16> = (0..12)
        .map(|i| send(if i % 2 == 0 { &a } else { &b }))
        .collect();
    assert_eq!(statuses, [vec![201; 10], vec![429; 2]].concat());
}

#[test]
fn a_requests_id_is_kept_in_its_audit_entries() {
    let app = crate::spawn_app();
    let cw = &app.tokens["cw1"];
    let admin = &app.tokens["admin"];
    let created = crate::http::send_json(
        app.addr,
        "POST",
        "/api/v1/children",
        cw,
        &serde_json::json!({"given_name":"Amena","family_name":"Dialo","sex":"female","estimated_age":12,"location":"D11"}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let child = created.json()["id"].as_str().unwrap().to_string();
    // A caseworker reads a child's record; the response names its request.
    let read = crate::http::get(app.addr, &format!("/api/v1/children/{child}"), Some(cw));
    assert_eq!(read.status, 200);
    let id = read.header("x-request-id").unwrap().to_string();
    assert_eq!(id.len(), 16);

    // The operator, holding that id from a log line, finds what it did.
    let found = crate::http::get(
        app.addr,
        &format!("/api/v1/audit/search?request={id}"),
        Some(admin),
    );
    assert_eq!(found.status, 200);
    let items = found.json()["items"].as_array().unwrap().clone();
    assert!(!items.is_empty());
    assert!(items.iter().all(|e| e["request_id"] == id.as_str()));
    assert!(
        items
            .iter()
            .any(|e| e["action"] == "child.read" && e["target"] == format!("child:{child}")),
        "{items:?}"
    );
    // Another request's entries carry its own id, not this one.
    let other = crate::http::get(app.addr, &format!("/api/v1/children/{child}"), Some(cw));
    let other_id = other.header("x-request-id").unwrap();
    assert_ne!(other_id, id);
    let again = crate::http::get(
        app.addr,
        &format!("/api/v1/audit/search?request={id}"),
        Some(admin),
    )
    .json();
    assert_eq!(again["items"].as_array().unwrap().len(), items.len());

    // The administrators' page searches by it and shows it, in their language.
    let (cookie, _) = sign_in(&app, "admin", PASSWORD).unwrap();
    let page = crate::pages::page(&app, &cookie, &format!("/admin/audit?request={id}&lang=fr"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Requête") && page.body.contains(&id));
    assert!(page.body.contains("child.read"));
    // The chain, with ids in it, still verifies.
    let v = crate::http::send_json(
        app.addr,
        "POST",
        "/api/v1/audit/verify",
        admin,
        &serde_json::json!({}),
    );
    assert_eq!(v.json()["intact"], true);
}

/// A server's threads drive an async runtime, and the last handle on a
/// PostgreSQL store may be dropped on one (a server stopping, a connection
/// discarded after a failover): its connections must close without the
/// driver's own runtime panicking there, which would abort the server.
#[test]
fn a_postgresql_store_closes_on_a_servers_own_threads() {
    let Ok(admin) = std::env::var("HAVEN_TEST_POSTGRES_URL") else {
        assert!(std::env::var("HAVEN_REQUIRE_POSTGRES").is_err());
        return;
    };
    let name = format!("haven_close_{}", std::process::id());
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
    let backend = haven_store_postgres::PostgresBackend::open(&url, 0).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let closed = rt.block_on(rt.spawn_blocking(move || drop(backend)));
    assert!(closed.is_ok(), "dropping the store panicked");
    let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}
