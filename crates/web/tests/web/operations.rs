//! What an operations team relies on: readiness for the load balancer and
//! metrics for monitoring, without leaking records.

use crate::http::{get, request, send_json};
use crate::spawn_app_with;
use serde_json::json;

#[test]
fn readiness_says_whether_the_server_can_serve() {
    let mut lists = None;
    let app = spawn_app_with(|st| lists = Some(st.lists.clone()));
    let r = get(app.addr, "/readyz", None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["database"], true);
    let l = lists.unwrap();
    let _ = std::thread::spawn(move || {
        let _guard = l.write().unwrap();
        panic!("simulated failure while updating the index");
    })
    .join();
    let r = get(app.addr, "/readyz", None);
    assert_eq!(r.status, 503);
    assert_eq!(r.json()["match_index"], false);
    assert_eq!(
        get(app.addr, "/healthz", None).status,
        200,
        "the process is up"
    );
}

#[test]
fn metrics_count_routes_not_records_and_only_for_this_machine_or_an_admin() {
    let app = crate::spawn_app();
    let cw = &app.tokens["cw1"];
    let child = json!({"given_name": "Amina", "family_name": "Diallo", "sex": "female",
        "date_of_birth": "2014-03-02", "location": "D11", "birth_registration": "registered"});
    let id = send_json(app.addr, "POST", "/api/v1/children", cw, &child).json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        get(app.addr, &format!("/api/v1/children/{id}"), Some(cw)).status,
        200
    );
    let m = get(app.addr, "/metrics", None);
    assert_eq!(m.status, 200, "loopback may read");
    assert!(
        m.body.contains(
            r#"haven_http_requests_total{route="/api/v1/children/:id",method="GET",status="200"} 1"#
        ),
        "{}",
        m.body
    );
    assert!(!m.body.contains(&id), "no record id in the metrics");
    assert!(m.body.contains("haven_http_request_seconds_bucket"));
    assert!(m.body.contains("haven_store_call_seconds_count"));
    assert!(m.body.contains("haven_match_index_entries 0"));

    // Behind a proxy on this machine, the world is not loopback.
    let proxied = spawn_app_with(|st| st.trust_proxy = true);
    let r = request(
        proxied.addr,
        "GET",
        "/metrics",
        &[("X-Forwarded-For", "203.0.113.5")],
        None,
    );
    assert_eq!(r.status, 403);
    let admin = format!("Bearer {}", proxied.tokens["admin"]);
    let r = request(
        proxied.addr,
        "GET",
        "/metrics",
        &[
            ("X-Forwarded-For", "203.0.113.5"),
            ("Authorization", &admin),
        ],
        None,
    );
    assert_eq!(r.status, 200);
    let cw = format!("Bearer {}", proxied.tokens["cw1"]);
    let r = request(
        proxied.addr,
        "GET",
        "/metrics",
        &[("X-Forwarded-For", "203.0.113.5"), ("Authorization", &cw)],
        None,
    );
    assert_eq!(r.status, 403);
}

#[test]
fn a_list_change_through_one_server_reaches_another_sharing_the_database() {
    let app = crate::spawn_app();
    // A second server's state on the same database: its own match index.
    let other =
        haven_web::AppState::new(app.store.clone() as std::sync::Arc<dyn haven_store::Store>)
            .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let analyst = &app.tokens["analyst"];
    let list = send_json(
        app.addr,
        "POST",
        "/api/v1/hashlists",
        analyst,
        &json!({"name": "n"}),
    )
    .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let md5 = "0123456789abcdef0123456789abcdef";
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/hashlists/{list}/entries"),
        analyst,
        &json!({"md5": md5}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let entry = r.json()["id"].as_str().unwrap().to_string();
    assert!(other.lists_read().unwrap().match_md5(md5).is_empty());
    assert_eq!(rt.block_on(haven_web::refresh_index(&other)).unwrap(), 1);
    assert_eq!(other.lists_read().unwrap().match_md5(md5).len(), 1);
    // Disabled through the first server: gone from the second's answers too.
    send_json(
        app.addr,
        "PATCH",
        &format!("/api/v1/hashentries/{entry}"),
        analyst,
        &json!({"enabled": false}),
    );
    rt.block_on(haven_web::refresh_index(&other)).unwrap();
    assert!(other.lists_read().unwrap().match_md5(md5).is_empty());
    assert_eq!(
        rt.block_on(haven_web::refresh_index(&other)).unwrap(),
        0,
        "nothing new"
    );
}
