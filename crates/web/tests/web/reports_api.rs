//! The reporting channel over HTTP: the public API and form, with every
//! refusal (wrong code or PIN, rate limits, size, malformed input, forged
//! forms, honeypot), and the staff and hotline API with their denials.

use crate::http::{get, request, send_json, Response};
use crate::spawn_app;
use serde_json::{json, Value};

fn public(app: &crate::App, path: &str, body: &Value) -> Response {
    let b = body.to_string();
    request(
        app.addr,
        "POST",
        path,
        &[("Content-Type", "application/json")],
        Some(b.as_bytes()),
    )
}

fn report() -> Value {
    json!({"category": "sale_or_trafficking", "description": "A man takes girls from the bus station to the city", "location": "D11", "reporter": "professional", "contact": "teacher, 555 0199", "lang": "es"})
}

#[test]
fn the_public_api_takes_reports_and_refuses_what_it_must() {
    let app = spawn_app();
    let r = public(&app, "/api/v1/public/reports", &report());
    assert_eq!(r.status, 201, "{}", r.body);
    let receipt = r.json();
    let (code, pin) = (
        receipt["code"].as_str().unwrap().to_string(),
        receipt["pin"].as_str().unwrap().to_string(),
    );
    assert_eq!(receipt["status"], "received");

    // Bad input: clear errors, nothing stored.
    let bad = public(
        &app,
        "/api/v1/public/reports",
        &json!({"category": "gossip", "description": "x"}),
    );
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["error"]["fields"][0]["field"], "category");
    assert!(bad.json()["error"]["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Choose what is happening"));
    let unknown = public(
        &app,
        "/api/v1/public/reports",
        &json!({"category": "abuse", "description": "x", "password": "y"}),
    );
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    let malformed = request(
        app.addr,
        "POST",
        "/api/v1/public/reports",
        &[("Content-Type", "application/json")],
        Some(b"{\"category\": "),
    );
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.error_code(), "bad_request");
    let huge = json!({"category": "abuse", "description": "x".repeat(100_000)}).to_string();
    let too_big = request(
        app.addr,
        "POST",
        "/api/v1/public/reports",
        &[("Content-Type", "application/json")],
        Some(huge.as_bytes()),
    );
    assert_eq!(too_big.status, 413, "{}", too_big.body);
    assert_eq!(too_big.error_code(), "too_large");
    let long = public(
        &app,
        "/api/v1/public/reports",
        &json!({"category": "abuse", "description": "x".repeat(5001)}),
    );
    assert_eq!(long.status, 422);
    let analyst = &app.tokens["analyst"];
    assert_eq!(
        get(app.addr, "/api/v1/reports", Some(analyst)).json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The reporter's view; a wrong PIN and a wrong code look the same.
    let view = public(
        &app,
        "/api/v1/public/reports/status",
        &json!({"code": code, "pin": pin}),
    );
    assert_eq!(view.status, 200, "{}", view.body);
    assert_eq!(view.json()["status"], "received");
    assert!(
        !view.body.contains("555 0199"),
        "the reporter's view carries no details back"
    );
    let wrong_pin = if pin == "000000" { "111111" } else { "000000" };
    let a = public(
        &app,
        "/api/v1/public/reports/status",
        &json!({"code": code, "pin": wrong_pin}),
    );
    let b = public(
        &app,
        "/api/v1/public/reports/status",
        &json!({"code": "ACDE-FGHJ-KMNP-RTWX", "pin": pin}),
    );
    assert_eq!((a.status, b.status), (404, 404));
    assert_eq!(a.body, b.body);
    let added = public(
        &app,
        "/api/v1/public/reports/info",
        &json!({"code": code, "pin": pin, "text": "The bus leaves at 6"}),
    );
    assert_eq!(added.json()["added"][0][1], "The bus leaves at 6");

    // A reporter cannot read another report: only their own code opens anything,
    // and guessing is cut off after a few wrong tries, even with a right code.
    for _ in 0..8 {
        assert_eq!(
            public(
                &app,
                "/api/v1/public/reports/status",
                &json!({"code": "ACDE-FGHJ-KMNP-RTWX", "pin": "123456"})
            )
            .status,
            404
        );
    }
    let limited = public(
        &app,
        "/api/v1/public/reports/status",
        &json!({"code": code, "pin": pin}),
    );
    assert_eq!(limited.status, 429);
    assert_eq!(limited.error_code(), "rate_limited");

    // Submissions per address are limited too.
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(public(&app, "/api/v1/public/reports", &report()).status);
    }
    // Ten an hour: the three earlier tries that reached the handler (one
    // kept, two refused as invalid) count too.
    assert_eq!(
        statuses,
        [vec![201; 7], vec![429; 3]].concat(),
        "{statuses:?}"
    );
    assert_eq!(*statuses.last().unwrap(), 429);
}

fn form_post(
    app: &crate::App,
    path: &str,
    cookie: &str,
    body: &str,
    extra: &[(&str, &str)],
) -> Response {
    let mut h = vec![
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Cookie", cookie),
    ];
    h.extend_from_slice(extra);
    request(app.addr, "POST", path, &h, Some(body.as_bytes()))
}

#[test]
fn the_public_form_refuses_forgeries_robots_and_oversize_and_speaks_the_browser_language() {
    let app = spawn_app();
    let page = request(
        app.addr,
        "GET",
        "/report",
        &[("Accept-Language", "es-MX,es;q=0.9,en;q=0.5")],
        None,
    );
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"<html lang="es">"#));
    assert!(page.body.contains("Cuéntanos"));
    assert!(
        !page.body.contains("<script"),
        "no scripts on the public page"
    );
    assert!(page
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'none'"));
    let (name, token) = page
        .cookies()
        .into_iter()
        .find(|(n, _)| n == "haven_report")
        .unwrap();
    let cookie = format!("{name}={token}");
    let analyst = &app.tokens["analyst"];
    let count = || {
        get(app.addr, "/api/v1/reports?all=true", Some(analyst)).json()["items"]
            .as_array()
            .unwrap()
            .len()
    };

    // No token (a forged cross-site post): refused, and what was typed is kept.
    let forged = form_post(
        &app,
        "/report",
        "",
        "lang=en&category=abuse&description=kept+text",
        &[],
    );
    assert_eq!(forged.status, 403);
    assert!(
        forged.body.contains("kept text") && forged.body.contains("open too long"),
        "{}",
        forged.body
    );
    // The honeypot: thanked, nothing kept.
    let robot = form_post(
        &app,
        "/report",
        &cookie,
        &format!(
            "form_token={token}&lang=en&category=abuse&description=spam&website=http%3A%2F%2Fspam"
        ),
        &[],
    );
    assert_eq!(robot.status, 200);
    assert!(!robot.body.contains(r#"id="code""#));
    assert_eq!(count(), 0);
    // Mistakes: 422 in the reporter's language, with the field marked.
    let wrong = form_post(
        &app,
        "/report",
        &cookie,
        &format!("form_token={token}&lang=fr&category=abuse_material_online&description=vu"),
        &[],
    );
    assert_eq!(wrong.status, 422);
    assert!(
        wrong.body.contains("Donne l&#39;adresse web")
            && wrong.body.contains(r#"aria-invalid="true""#),
        "{}",
        wrong.body
    );
    let bad_age = form_post(
        &app,
        "/report",
        &cookie,
        &format!("form_token={token}&lang=en&category=abuse&description=x&child_age=forty"),
        &[],
    );
    assert_eq!(bad_age.status, 422);
    let oversize = form_post(
        &app,
        "/report",
        &cookie,
        &format!(
            "form_token={token}&lang=en&category=abuse&description={}",
            "x".repeat(70_000)
        ),
        &[],
    );
    assert_eq!(oversize.status, 413);
    assert_eq!(count(), 0, "nothing was kept from any refusal");
    // And a good one.
    let ok = form_post(
        &app,
        "/report",
        &cookie,
        &format!(
            "form_token={token}&lang=en&category=abuse&description=He+hits+her&danger_now=yes"
        ),
        &[],
    );
    assert_eq!(ok.status, 201);
    assert!(ok.body.contains(r#"id="code""#));
    let queue = get(app.addr, "/api/v1/reports", Some(analyst)).json();
    assert_eq!(queue["items"][0]["priority"], 1, "danger now comes first");
}

#[test]
fn staff_triage_and_the_hotline_over_the_api_refuse_the_wrong_people() {
    let app = spawn_app();
    let (analyst, cw1, cw2, monitor) = (
        &app.tokens["analyst"],
        &app.tokens["cw1"],
        &app.tokens["cw2"],
        &app.tokens["monitor"],
    );
    public(&app, "/api/v1/public/reports", &report());
    public(
        &app,
        "/api/v1/public/reports",
        &json!({"category": "abuse_material_online", "url": "http://pics.example.com/a/1.jpg", "lang": "en"}),
    );
    let queue = get(app.addr, "/api/v1/reports", Some(analyst)).json();
    let items = queue["items"].as_array().unwrap();
    let trafficking = items
        .iter()
        .find(|r| r["category"] == "sale_or_trafficking")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let url_report = items
        .iter()
        .find(|r| r["category"] == "abuse_material_online")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    assert_eq!(get(app.addr, "/api/v1/reports", Some(monitor)).status, 403);
    assert_eq!(
        get(
            app.addr,
            &format!("/api/v1/reports/{trafficking}"),
            Some(cw2)
        )
        .status,
        404,
        "outside her area"
    );
    assert_eq!(
        get(
            app.addr,
            &format!("/api/v1/reports/{url_report}"),
            Some(cw1)
        )
        .status,
        404,
        "no place given: national staff only"
    );
    let r = get(
        app.addr,
        &format!("/api/v1/reports/{trafficking}"),
        Some(cw1),
    );
    assert_eq!(r.status, 200);
    assert!(
        !r.body.contains("555 0199"),
        "the reporter's identity is kept apart"
    );
    assert_eq!(r.json()["has_contact"], true);
    let c = get(
        app.addr,
        &format!("/api/v1/reports/{trafficking}/contact"),
        Some(cw1),
    );
    assert_eq!(c.json()["contact"], "teacher, 555 0199");
    assert_eq!(
        get(
            app.addr,
            &format!("/api/v1/reports/{trafficking}/contact"),
            Some(cw2)
        )
        .status,
        404
    );
    assert_eq!(
        get(
            app.addr,
            &format!("/api/v1/reports/{trafficking}/contact"),
            Some(monitor)
        )
        .status,
        403
    );
    let both = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/reports/{trafficking}/decision"),
        cw1,
        &json!({"decision": "open_case", "child_id": "x", "child": {"given_name": "A", "sex": "female", "location": "D11"}}),
    );
    assert_eq!(both.status, 422);
    let police = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/reports/{trafficking}/decision"),
        cw1,
        &json!({"decision": "police", "reason": "Trafficking unit, ref 2026/114"}),
    );
    assert_eq!(police.status, 200, "{}", police.body);
    assert_eq!(police.json()["report"]["public_status"], "action_taken");
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            &format!("/api/v1/reports/{trafficking}/decision"),
            cw1,
            &json!({"decision": "close", "reason": "x"})
        )
        .status,
        409
    );

    // The hotline: analysts only; an illegal finding lists the URL, removal unlists it.
    let sent = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/reports/{url_report}/decision"),
        analyst,
        &json!({"decision": "hotline"}),
    );
    let item = sent.json()["report"]["hotline_item_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        get(app.addr, "/api/v1/hotline/items", Some(cw1)).status,
        403
    );
    let assess = |body: Value| {
        send_json(
            app.addr,
            "POST",
            &format!("/api/v1/hotline/items/{item}/assessment"),
            analyst,
            &body,
        )
    };
    assert_eq!(
        assess(json!({"assessment": "illegal"})).status,
        422,
        "a category is required"
    );
    assert_eq!(
        assess(json!({"assessment": "illegal", "category": "baseline", "hosting_country": "Netherlands"}))
            .status,
        422
    );
    assert_eq!(assess(json!({"assessment": "illegal", "category": "baseline", "hosting_country": "US", "age_band": "pubescent"})).status, 200);
    let check = || {
        send_json(
            app.addr,
            "POST",
            "/api/v1/urls/check",
            &app.tokens["isp"],
            &json!({"url": "http://pics.example.com/a/1.jpg"}),
        )
        .json()["listed"]
            .clone()
    };
    assert_eq!(check(), true, "partners see it listed");
    let act = |a: &str, body: Value| {
        send_json(
            app.addr,
            "POST",
            &format!("/api/v1/hotline/items/{item}/actions/{a}"),
            analyst,
            &body,
        )
    };
    assert_eq!(act("explode", json!({})).status, 404);
    assert_eq!(act("forwarded", json!({})).status, 422);
    assert_eq!(act("notice_sent", json!({})).status, 200);
    assert_eq!(act("notice_sent", json!({})).status, 409);
    assert_eq!(act("removed", json!({})).status, 200);
    assert_eq!(check(), false, "removed material leaves the list");
    let f = get(app.addr, "/api/v1/hotline/figures", Some(monitor)).json();
    assert_eq!(
        (
            f["reports_received"].clone(),
            f["illegal"].clone(),
            f["removed"].clone()
        ),
        (json!(2), json!(1), json!(1))
    );
    assert_eq!(
        get(app.addr, "/api/v1/hotline/figures", Some(cw1)).status,
        403
    );
}

#[test]
fn a_failing_store_keeps_the_page_up_and_the_reporter_told_plainly() {
    let app = spawn_app();
    let page = request(app.addr, "GET", "/report?lang=en", &[], None);
    let (name, token) = page
        .cookies()
        .into_iter()
        .find(|(n, _)| n == "haven_report")
        .unwrap();
    let cookie = format!("{name}={token}");
    // Break the database under the running server: reports can no longer be written.
    app.store
        .backend()
        .transaction(true, &mut |c| {
            c.execute("DROP TABLE report_messages", &[])
                .and_then(|_| c.execute("DROP TABLE reports", &[]))
                .map(|_| ())
        })
        .unwrap();
    let r = form_post(
        &app,
        "/report",
        &cookie,
        &format!("form_token={token}&lang=en&category=abuse&description=Please+help+my+sister"),
        &[],
    );
    assert_eq!(r.status, 503);
    assert!(
        r.body
            .contains("could not save your report just now. Nothing was kept"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("Please help my sister"),
        "what was typed is still in the form"
    );
    assert!(r.body.contains("116 111"), "where to get help now");
    let api = public(&app, "/api/v1/public/reports", &report());
    assert_eq!(api.status, 500);
    assert_eq!(api.error_code(), "internal");
    assert!(
        !api.body.contains("report"),
        "no database detail leaks: {}",
        api.body
    );
}

#[test]
fn staff_report_forms_need_the_session_token() {
    let app = spawn_app();
    public(&app, "/api/v1/public/reports", &report());
    let id = get(app.addr, "/api/v1/reports", Some(&app.tokens["analyst"])).json()["items"][0]
        ["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (cookie, csrf) = crate::pages::sign_in(&app, "cw1", crate::PASSWORD).unwrap();
    let forged = form_post(
        &app,
        &format!("/reports/{id}/decision"),
        &cookie,
        "decision=close&reason=spam",
        &[],
    );
    assert_eq!(forged.status, 403);
    let r = get(
        app.addr,
        &format!("/api/v1/reports/{id}"),
        Some(&app.tokens["cw1"]),
    )
    .json();
    assert_eq!(r["decision"], Value::Null, "a forged form changes nothing");
    let ok = form_post(
        &app,
        &format!("/reports/{id}/decision"),
        &cookie,
        &format!("csrf={csrf}&decision=close&reason=duplicate+of+an+earlier+report"),
        &[],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let monitor = crate::pages::sign_in(&app, "monitor", crate::PASSWORD).unwrap();
    assert_eq!(
        request(app.addr, "GET", "/reports", &[("Cookie", &monitor.0)], None).status,
        403
    );
}

#[test]
fn behind_a_trusted_proxy_limits_follow_the_forwarded_address_and_never_a_forged_one() {
    let submit = |app: &crate::App, forwarded: &str| {
        let b = report().to_string();
        request(
            app.addr,
            "POST",
            "/api/v1/public/reports",
            &[
                ("Content-Type", "application/json"),
                ("X-Forwarded-For", forwarded),
            ],
            Some(b.as_bytes()),
        )
        .status
    };
    // Not behind a proxy: a client cannot escape its limit by inventing addresses.
    let direct = spawn_app();
    let statuses: Vec<u16> = (0..11)
        .map(|i| submit(&direct, &format!("203.0.113.{i}")))
        .collect();
    assert_eq!(statuses[10], 429, "{statuses:?}");
    // Behind a trusted proxy: each reporter is counted apart, by the address
    // the proxy appended last (what the client wrote before it is ignored).
    let proxied = crate::spawn_app_with(|s| s.trust_proxy = true);
    for _ in 0..10 {
        assert_eq!(submit(&proxied, "10.9.9.9, 198.51.100.1"), 201);
    }
    assert_eq!(submit(&proxied, "10.9.9.10, 198.51.100.1"), 429);
    assert_eq!(
        submit(&proxied, "198.51.100.2"),
        201,
        "another reporter is not blocked"
    );
}
