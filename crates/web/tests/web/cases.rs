//! Casework over the JSON API: a case from opening to closure, referrals
//! answered by the receiving agency, and the refusals on the way.

use crate::http::{get, send_json};
use crate::App;
use haven_domain::{Actor, Role};
use haven_store::Store;
use serde_json::{json, Value};

/// Adds a user of a receiving agency and returns their token.
fn agency_user(app: &App, name: &str, agency: &str) -> String {
    let sys = Actor::system();
    app.store
        .create_user(
            &sys,
            &haven_store::NewUser {
                name: name.into(),
                role: Role::Caseworker,
                location: Some("R1".into()),
                agency: Some(agency.into()),
                password_hash: None,
            },
            haven_store::conformance::NOW,
        )
        .unwrap();
    app.store
        .create_api_token(&sys, name, haven_store::conformance::NOW)
        .unwrap()
}

fn ok(r: crate::http::Response, status: u16) -> Value {
    assert_eq!(r.status, status, "{}", r.body);
    r.json()
}

fn refused(r: crate::http::Response, status: u16, code: &str) -> Value {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.error_code(), code, "{}", r.body);
    r.json()
}

#[test]
fn a_case_from_opening_to_closure_over_the_api() {
    casework_over_the_api(&crate::spawn_app());
}

pub fn casework_over_the_api(app: &App) {
    let a = app.addr;
    let (admin, cw1, cw2, sup1, analyst) = (
        &app.tokens["admin"],
        &app.tokens["cw1"],
        &app.tokens["cw2"],
        &app.tokens["sup1"],
        &app.tokens["analyst"],
    );
    let health = agency_user(app, "health1", "HEALTH");

    // The directory.
    let svc = |name: &str, agency: &str, sector: &str, factors: Value| json!({"name": name, "provider": "Provider", "agency": agency, "sector": sector, "layers": ["secondary"], "coverage": "R1", "factors": factors});
    refused(
        send_json(
            a,
            "POST",
            "/api/v1/services",
            cw1,
            &svc("X", "HEALTH", "health", json!([])),
        ),
        403,
        "forbidden",
    );
    let bad = refused(
        send_json(
            a,
            "POST",
            "/api/v1/services",
            admin,
            &svc("X", "HEALTH", "plumbing", json!([])),
        ),
        422,
        "invalid",
    );
    assert!(
        bad["error"]["message"].as_str().unwrap().contains("sector"),
        "{bad}"
    );
    let registry = ok(
        send_json(
            a,
            "POST",
            "/api/v1/services",
            admin,
            &svc(
                "Birth registration desk",
                "CIVREG",
                "civil_registration",
                json!(["no_birth_registration"]),
            ),
        ),
        201,
    );
    let clinic = ok(
        send_json(
            a,
            "POST",
            "/api/v1/services",
            admin,
            &svc("Clinic", "HEALTH", "health", json!(["disability"])),
        ),
        201,
    );
    let adoption = ok(
        send_json(
            a,
            "POST",
            "/api/v1/services",
            admin,
            &svc("Adoption unit", "ADOPT", "social_welfare", json!([])),
        ),
        201,
    );
    assert_eq!(
        ok(get(a, "/api/v1/services", Some(cw1)), 200)["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    refused(
        get(a, "/api/v1/services", Some(&app.tokens["isp"])),
        403,
        "forbidden",
    );

    let child = ok(
        send_json(
            a,
            "POST",
            "/api/v1/children",
            cw1,
            &json!({"given_name":"Mariama","family_name":"Bah","sex":"female","estimated_age":11,"location":"D11","birth_registration":"not_registered"}),
        ),
        201,
    );
    let child_id = child["id"].as_str().unwrap();

    // Open: in scope, once.
    refused(
        send_json(
            a,
            "POST",
            &format!("/api/v1/children/{child_id}/cases"),
            cw2,
            &json!({}),
        ),
        404,
        "not_found",
    );
    refused(
        send_json(
            a,
            "POST",
            &format!("/api/v1/children/{child_id}/cases"),
            analyst,
            &json!({}),
        ),
        403,
        "forbidden",
    );
    let case = ok(
        send_json(
            a,
            "POST",
            &format!("/api/v1/children/{child_id}/cases"),
            cw1,
            &json!({}),
        ),
        201,
    );
    let id = case["id"].as_str().unwrap().to_string();
    assert_eq!(case["step"], "identification");
    refused(
        send_json(
            a,
            "POST",
            &format!("/api/v1/children/{child_id}/cases"),
            cw1,
            &json!({}),
        ),
        409,
        "conflict",
    );
    let file = ok(get(a, &format!("/api/v1/cases/{id}"), Some(cw1)), 200);
    assert_eq!(file["suggested_sectors"], json!(["civil_registration"]));
    refused(
        get(a, &format!("/api/v1/cases/{id}"), Some(cw2)),
        404,
        "not_found",
    );
    refused(
        get(a, "/api/v1/cases?mine=maybe", Some(cw1)),
        422,
        "invalid",
    );
    refused(
        get(a, "/api/v1/cases?colour=red", Some(cw1)),
        422,
        "invalid",
    );

    // Steps: a plan needs an assessment; text is required; only supervisors approve.
    let step = |token: &str, action: &str, body: Value| {
        send_json(
            a,
            "POST",
            &format!("/api/v1/cases/{id}/steps/{action}"),
            token,
            &body,
        )
    };
    refused(
        step(cw1, "submit_plan", json!({"text": "plan"})),
        409,
        "conflict",
    );
    refused(step(cw1, "fly_away", json!({})), 404, "not_found");
    refused(step(cw1, "submit_plan", json!({"text": 7})), 422, "invalid");
    let assessed = ok(
        send_json(
            a,
            "POST",
            &format!("/api/v1/children/{child_id}/assessments"),
            cw1,
            &json!({"answers": {"no_birth_registration": true, "disability": true, "poverty": true}}),
        ),
        201,
    );
    let services: Vec<String> = assessed["recommended_services"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["services"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_str().unwrap().to_string())
        })
        .collect();
    assert!(
        services.contains(&registry["id"].as_str().unwrap().to_string()),
        "{assessed}"
    );
    let case = ok(get(a, &format!("/api/v1/cases/{id}"), Some(cw1)), 200);
    assert_eq!(case["step"], "assessment");
    assert_eq!(case["level"], assessed["level"]);
    let missing = refused(step(cw1, "submit_plan", json!({})), 422, "invalid");
    assert_eq!(missing["error"]["fields"][0]["field"], "text");
    ok(
        step(
            cw1,
            "submit_plan",
            json!({"text": "Register the birth; clinic visit"}),
        ),
        200,
    );
    let waiting = ok(
        get(a, "/api/v1/cases?awaiting_approval=true", Some(sup1)),
        200,
    );
    assert!(waiting["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == id.as_str()));
    refused(step(cw1, "approve_plan", json!({})), 403, "forbidden");
    assert_eq!(
        ok(step(sup1, "approve_plan", json!({})), 200)["step"],
        "implementation"
    );

    ok(
        send_json(
            a,
            "POST",
            &format!("/api/v1/cases/{id}/notes"),
            cw1,
            &json!({"text": "Visited; aunt present"}),
        ),
        201,
    );
    refused(
        send_json(
            a,
            "POST",
            &format!("/api/v1/cases/{id}/consent"),
            cw1,
            &json!({"consent": "maybe"}),
        ),
        422,
        "invalid",
    );
    ok(
        send_json(
            a,
            "POST",
            &format!("/api/v1/cases/{id}/consent"),
            cw1,
            &json!({"consent": "given", "child_views": "I want to go to school"}),
        ),
        200,
    );

    // Referrals; the adoption guard answers 422 with the reason.
    let refer = |service: &Value, kind: &str| {
        send_json(
            a,
            "POST",
            &format!("/api/v1/cases/{id}/referrals"),
            cw1,
            &json!({"service_id": service["id"], "kind": kind, "reason": "needs it"}),
        )
    };
    let to_registry = ok(refer(&registry, "service"), 201);
    let to_clinic = ok(refer(&clinic, "service"), 201);
    let guard = refused(refer(&adoption, "adoption"), 422, "invalid");
    assert!(
        guard["error"]["message"]
            .as_str()
            .unwrap()
            .contains("adoptability determination"),
        "{guard}"
    );
    refused(
        send_json(
            a,
            "POST",
            &format!("/api/v1/cases/{id}/adoptability"),
            cw1,
            &json!({"determination": "x"}),
        ),
        403,
        "forbidden",
    );
    ok(
        send_json(
            a,
            "POST",
            &format!("/api/v1/cases/{id}/adoptability"),
            sup1,
            &json!({"determination": "Panel decision 3 Nov after family tracing; child consulted"}),
        ),
        200,
    );
    ok(refer(&adoption, "adoption"), 201);

    // The receiving agency sees and answers only its own referrals.
    let inbox = ok(get(a, "/api/v1/referrals?box=incoming", Some(&health)), 200);
    let ids: Vec<&str> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![to_clinic["id"].as_str().unwrap()]);
    assert_eq!(
        ok(get(a, "/api/v1/referrals?box=incoming", Some(cw2)), 200)["items"],
        json!([])
    );
    refused(
        get(a, "/api/v1/referrals?box=sideways", Some(cw1)),
        422,
        "invalid",
    );
    let answer = |token: &str, r: &Value, body: Value| {
        send_json(
            a,
            "POST",
            &format!("/api/v1/referrals/{}/answer", r["id"].as_str().unwrap()),
            token,
            &body,
        )
    };
    refused(
        answer(&health, &to_registry, json!({"status": "accepted"})),
        404,
        "not_found",
    );
    refused(
        answer(cw2, &to_clinic, json!({"status": "accepted"})),
        404,
        "not_found",
    );
    let no_reason = refused(
        answer(&health, &to_clinic, json!({"status": "declined"})),
        422,
        "invalid",
    );
    assert_eq!(no_reason["error"]["fields"][0]["field"], "note");
    refused(
        answer(&health, &to_clinic, json!({"status": "completed"})),
        409,
        "conflict",
    );
    assert_eq!(
        ok(
            answer(&health, &to_clinic, json!({"status": "accepted"})),
            200
        )["status"],
        "accepted"
    );
    assert_eq!(
        ok(
            answer(
                &health,
                &to_clinic,
                json!({"status": "completed", "note": "Seen"})
            ),
            200
        )["status"],
        "completed"
    );
    let by_agency = ok(get(a, "/api/v1/referrals/by-agency", Some(sup1)), 200);
    assert!(by_agency["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["agency"] == "CIVREG" && r["waiting"] == 1));
    refused(
        get(a, "/api/v1/referrals/by-agency", Some(analyst)),
        403,
        "forbidden",
    );

    // Closure with approval; counts for the dashboards.
    ok(
        step(cw1, "follow_up", json!({"text": "Birth registered"})),
        200,
    );
    ok(
        step(cw1, "request_closure", json!({"text": "Goals met"})),
        200,
    );
    refused(step(cw1, "approve_closure", json!({})), 403, "forbidden");
    let closed = ok(step(sup1, "approve_closure", json!({})), 200);
    assert_eq!(closed["step"], "closed");
    assert_eq!(closed["next_due_at"], Value::Null);
    refused(
        send_json(
            a,
            "POST",
            &format!("/api/v1/cases/{id}/notes"),
            cw1,
            &json!({"text": "late"}),
        ),
        409,
        "conflict",
    );
    let counts = ok(get(a, "/api/v1/cases/counts", Some(cw1)), 200);
    assert_eq!(counts["open"], 0);
    assert_eq!(
        ok(get(a, "/api/v1/cases?closed=true", Some(cw1)), 200)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The history has the child's views, decrypted for staff in scope.
    let file = ok(get(a, &format!("/api/v1/cases/{id}"), Some(sup1)), 200);
    assert!(file["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["text"].as_str().unwrap().contains("go to school")));
    assert_eq!(file["referrals"].as_array().unwrap().len(), 3);
}

#[test]
fn an_administrator_adds_a_service_from_the_page() {
    let app = crate::spawn_app();
    let post = |cookie: &str, body: &str| {
        crate::http::request(
            app.addr,
            "POST",
            "/services",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", cookie),
            ],
            Some(body.as_bytes()),
        )
    };
    let form = "name=Night+shelter&provider=Hope&agency=HOPE&sector=social_welfare&layers=secondary&layers=tertiary&coverage=R1&factors=street_child&factors=caregivers_absent&contact=";
    let (cookie, csrf) = crate::pages::sign_in(&app, "cw1", crate::PASSWORD).unwrap();
    assert_eq!(post(&cookie, &format!("csrf={csrf}&{form}")).status, 403);
    let (cookie, csrf) = crate::pages::sign_in(&app, "admin", crate::PASSWORD).unwrap();
    let page = crate::http::request(app.addr, "GET", "/services", &[("Cookie", &cookie)], None);
    assert!(page.body.contains("Add a service") && page.body.contains("street_child"));
    assert_eq!(post(&cookie, form).status, 403, "no CSRF token, no change");
    // The agency must be one on record, chosen from the list.
    let r = post(&cookie, &format!("csrf={csrf}&{form}"));
    assert_eq!(r.status, 422, "HOPE is not an agency yet");
    assert!(r.body.contains("id=\"agency-error\""), "{}", r.body);
    let made = crate::http::send_json(
        app.addr,
        "POST",
        "/api/v1/agencies",
        &app.tokens["admin"],
        &json!({"code": "HOPE", "name": "Hope Foundation"}),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let page = crate::http::request(app.addr, "GET", "/services", &[("Cookie", &cookie)], None);
    assert!(page
        .body
        .contains("<option value=\"HOPE\">Hope Foundation (HOPE)</option>"));
    let r = post(&cookie, &format!("csrf={csrf}&{form}"));
    assert_eq!(r.status, 303, "{}", r.body);
    let items = get(app.addr, "/api/v1/services", Some(&app.tokens["cw1"])).json();
    assert_eq!(items["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        items["items"][0]["layers"],
        json!(["secondary", "tertiary"])
    );
    assert_eq!(
        items["items"][0]["factors"],
        json!(["street_child", "caregivers_absent"])
    );
}

#[test]
fn an_administrator_changes_the_instrument_as_a_new_version_from_the_page() {
    let app = crate::spawn_app();
    let post = |cookie: &str, body: String| {
        crate::http::request(
            app.addr,
            "POST",
            "/instrument",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", cookie),
            ],
            Some(body.as_bytes()),
        )
    };
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let (cw, cw_csrf) = crate::pages::sign_in(&app, "cw1", crate::PASSWORD).unwrap();
    assert_eq!(
        crate::http::request(app.addr, "GET", "/instrument", &[("Cookie", &cw)], None).status,
        403
    );
    let (cookie, csrf) = crate::pages::sign_in(&app, "admin", crate::PASSWORD).unwrap();
    let page = crate::http::request(app.addr, "GET", "/instrument", &[("Cookie", &cookie)], None);
    assert!(page.body.contains("version 1") && page.body.contains("no_birth_registration"));
    let mut inst = get(
        app.addr,
        "/api/v1/instruments/current",
        Some(&app.tokens["admin"]),
    )
    .json();
    inst["factors"][0]["weight"] = json!(1.5);
    let bad = post(
        &cookie,
        format!("csrf={csrf}&instrument={}", enc("{\"version\": 1")),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(
        post(
            &cw,
            format!("csrf={cw_csrf}&instrument={}", enc(&inst.to_string()))
        )
        .status,
        403
    );
    let ok = post(
        &cookie,
        format!("csrf={csrf}&instrument={}", enc(&inst.to_string())),
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let now = get(
        app.addr,
        "/api/v1/instruments/current",
        Some(&app.tokens["cw1"]),
    )
    .json();
    assert_eq!(now["version"], 2);
    assert_eq!(now["factors"][0]["weight"], 1.5);
}
