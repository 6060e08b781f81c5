//! The daily work screens: Today ("what needs you now"), the case list with
//! its filters, orders, pages and caseloads, and one referral as the
//! receiving agency acts on it.

use crate::http::{get, request, send_json};
use crate::pages::{page, post, sign_in};
use crate::{spawn_app, spawn_app_with, App, PASSWORD};
use haven_store::conformance::NOW;
use haven_store::Store;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

fn ok(r: crate::http::Response) -> Value {
    assert!(
        r.status == 200 || r.status == 201,
        "{} {}",
        r.status,
        r.body
    );
    r.json()
}

/// A child registered by `token` in `district`, with an open case.
fn child_with_case(
    app: &App,
    token: &str,
    name: &str,
    district: &str,
    extra: Value,
) -> (String, String) {
    let mut body = json!({"given_name": name, "family_name": "Kamara", "sex": "female",
        "estimated_age": 10, "location": district});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let child = ok(send_json(
        app.addr,
        "POST",
        "/api/v1/children",
        token,
        &body,
    ));
    let id = child["id"].as_str().unwrap().to_string();
    let case = ok(send_json(
        app.addr,
        "POST",
        &format!("/api/v1/children/{id}/cases"),
        token,
        &json!({}),
    ));
    (id, case["id"].as_str().unwrap().to_string())
}

#[test]
fn the_case_list_filters_orders_and_pages_with_place_names_and_caseloads() {
    let app = spawn_app();
    let cw1 = app.tokens["cw1"].as_str();
    child_with_case(&app, cw1, "Awa", "D11", json!({}));
    child_with_case(&app, cw1, "Binta", "D12", json!({}));
    child_with_case(&app, cw1, "Coumba", "D11", json!({}));

    let list = |q: &str| get(app.addr, &format!("/api/v1/cases{q}"), Some(cw1));
    let in_d12 = ok(list("?place=D12"));
    let items = in_d12["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["district"], "D12");
    assert_eq!(ok(list("?place=R1"))["items"].as_array().unwrap().len(), 3);
    assert_eq!(
        ok(list("?risk=unassessed"))["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(ok(list("?risk=high"))["items"]
        .as_array()
        .unwrap()
        .is_empty());
    let first = ok(list("?limit=2&sort=updated"));
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    assert_eq!(first["next"], "2");
    let rest = ok(list("?limit=2&sort=updated&cursor=2"));
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["next"].is_null());
    // Each case once across the pages.
    let mut ids: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest["items"].as_array().unwrap())
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3);
    for (q, field) in [
        ("?sort=oldest", "sort"),
        ("?risk=severe", "risk"),
        ("?limit=0", "limit"),
        ("?place=NOWHERE", "place"),
    ] {
        let r = list(q);
        assert_eq!(r.status, 422, "{q}: {}", r.body);
        assert!(r.body.contains(field), "{q}: {}", r.body);
    }
    // Another region's caseworker sees none of them, even by place.
    let cw2 = app.tokens["cw2"].as_str();
    let other = ok(get(app.addr, "/api/v1/cases?place=D11", Some(cw2)));
    assert!(other["items"].as_array().unwrap().is_empty());

    // The supervisor's page: place names, risk in words, the caseload per worker.
    let (sup, _) = sign_in(&app, "sup1", PASSWORD).unwrap();
    let fr = page(&app, &sup, "/cases?place=D12&lang=fr");
    assert_eq!(fr.status, 200);
    assert!(fr.body.contains("Place D12"), "{}", fr.body);
    assert!(fr.body.contains("Binta Kamara") && !fr.body.contains("Awa Kamara"));
    assert!(fr.body.contains("class=\"risk risk-unassessed\""));
    assert!(fr.body.contains("Charge de travail par travailleur social"));
    let load = fr.body.split("Charge de travail").nth(1).unwrap();
    assert!(load.contains("cw1") && load.contains(">3<"), "{load}");
    let paged = page(&app, &sup, "/cases?limit=2&lang=es");
    assert!(paged.body.contains("rel=\"next\""), "{}", paged.body);
    assert!(paged.body.contains("cursor=2"));
    assert!(paged.body.contains("Página siguiente"));
    // A caseworker has no caseload table to balance.
    let (cw, _) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let own = page(&app, &cw, "/cases");
    assert_eq!(own.status, 200);
    assert!(!own.body.contains("Caseload by caseworker"));
    assert!(own.body.contains("Coumba Kamara"));
}

#[test]
fn today_puts_a_child_in_danger_first_and_says_how_late_things_are() {
    let clock = Arc::new(AtomicI64::new(NOW + 60));
    let c = clock.clone();
    let app = spawn_app_with(move |s| s.clock = Arc::new(move || c.load(Ordering::SeqCst)));
    let cw1 = app.tokens["cw1"].as_str();
    child_with_case(&app, cw1, "Awa", "D11", json!({}));
    let danger = request(
        app.addr,
        "POST",
        "/api/v1/public/reports",
        &[("Content-Type", "application/json")],
        Some(
            json!({"category": "sale_or_trafficking", "description": "A girl is taken away tonight",
                   "location": "D11", "danger_now": true, "reporter": "friend"})
            .to_string()
            .as_bytes(),
        ),
    );
    assert_eq!(danger.status, 201, "{}", danger.body);
    // A month later nothing has been done: everything is late.
    clock.store(NOW + 30 * 86_400, Ordering::SeqCst);
    let (cw, _) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let today = page(&app, &cw, "/");
    assert_eq!(today.status, 200);
    let tasks = today
        .body
        .split("<ol class=\"tasks\">")
        .nth(1)
        .and_then(|s| s.split("</ol>").next())
        .unwrap_or_else(|| panic!("no task list: {}", today.body));
    let items: Vec<&str> = tasks.split("<li").skip(1).collect();
    assert_eq!(items.len(), 2, "{tasks}");
    assert!(
        items[0].contains("A child in danger now") && items[0].contains("class=\"danger\""),
        "{tasks}"
    );
    assert!(
        items[1].contains("Awa Kamara") && items[1].contains("days late"),
        "{tasks}"
    );
    assert!(items[1].contains("class=\"late\""), "{tasks}");
    // Her open case among the area's open cases by risk level: a bar
    // chart, described by the table of the same numbers.
    let table = today
        .body
        .split("<table class=\"stack\" id=\"open-by-risk\">")
        .nth(1)
        .and_then(|s| s.split("</table>").next())
        .unwrap_or_else(|| panic!("no open cases table: {}", today.body));
    assert!(
        table.contains("<td data-label=\"Open cases\">1</td>"),
        "{table}"
    );
    assert!(today.body.contains("aria-describedby=\"open-by-risk\""));
    assert!(today.body.contains("<rect class=\"bar\""));
    let fr = page(&app, &cw, "/?lang=fr");
    assert!(fr.body.contains("Un enfant en danger immédiat"));
    assert!(fr.body.contains("jours de retard"));
    // A monitoring officer acts on no case: no task list at all.
    let (mon, _) = sign_in(&app, "monitor", PASSWORD).unwrap();
    let theirs = page(&app, &mon, "/");
    assert_eq!(theirs.status, 200);
    assert!(!theirs.body.contains("What needs you now"));
    assert!(!theirs.body.contains("A child in danger now"));
}

#[test]
fn a_receiving_agency_sees_what_it_needs_and_confirms_its_answer() {
    let app = spawn_app();
    let sys = haven_domain::Actor::system();
    for (name, agency) in [("health1", "HEALTH"), ("school1", "EDU")] {
        app.store
            .create_user(
                &sys,
                &haven_store::NewUser {
                    name: name.into(),
                    role: haven_domain::Role::Caseworker,
                    location: Some("R1".into()),
                    agency: Some(agency.into()),
                    password_hash: Some(haven_store::password::hash_password(PASSWORD).unwrap()),
                },
                NOW,
            )
            .unwrap();
    }
    let (admin, cw1) = (app.tokens["admin"].as_str(), app.tokens["cw1"].as_str());
    let service = ok(send_json(
        app.addr,
        "POST",
        "/api/v1/services",
        admin,
        &json!({"name": "District clinic", "provider": "Ministry of Health", "agency": "HEALTH",
                "sector": "health", "layers": ["secondary"], "coverage": "R1", "factors": []}),
    ));
    let household = ok(send_json(
        app.addr,
        "POST",
        "/api/v1/households",
        cw1,
        &json!({"location": "D12", "address": "Near the market",
                "caregivers": [{"given_name": "Fatou", "family_name": "Kamara",
                                "relationship": "mother", "contact": "+000 555 0101"}]}),
    ));
    let (_, case) = child_with_case(
        &app,
        cw1,
        "Awa",
        "D12",
        json!({"household_id": household["id"], "living_situation": "family"}),
    );
    let referral = ok(send_json(
        app.addr,
        "POST",
        &format!("/api/v1/cases/{case}/referrals"),
        cw1,
        &json!({"service_id": service["id"], "kind": "service", "reason": "needs a check-up\nand vaccinations"}),
    ));
    let id = referral["id"].as_str().unwrap();

    // The caseworker says how to reach them, once, on their account page.
    let (cw, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    assert_eq!(page(&app, &cw, "/account").status, 200);
    let too_long = "9".repeat(201);
    let refused = post(
        &app,
        &cw,
        "/account",
        &format!("csrf={csrf}&language=&contact={too_long}"),
    );
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains(&too_long) && refused.body.contains("contact-error"));
    let saved = post(
        &app,
        &cw,
        "/account",
        &format!("csrf={csrf}&language=&contact=%2B000+555+0199"),
    );
    assert_eq!(saved.status, 303, "{}", saved.body);

    // The clinic reads what it needs: no family contact without consent.
    let (health, csrf) = sign_in(&app, "health1", PASSWORD).unwrap();
    let path = format!("/referrals/{id}");
    let r = page(&app, &health, &path);
    assert_eq!(r.status, 200, "{}", r.body);
    for shown in [
        "Awa Kamara",
        "about 10",
        "Female",
        "Place D12",
        "needs a check-up",
        "cw1",
        "+000 555 0199",
    ] {
        assert!(r.body.contains(shown), "{shown} missing: {}", r.body);
    }
    assert!(
        !r.body.contains("+000 555 0101"),
        "the family's contact without consent"
    );
    assert!(!r.body.contains("Near the market"));
    assert!(
        !r.body.contains("/cases/"),
        "the receiving agency has no case link"
    );
    let api = ok(get(app.addr, &format!("/api/v1/referrals/{id}"), Some(cw1)));
    assert_eq!(api["child_age"], 10);
    assert_eq!(api["referrer_contact"], "+000 555 0199");
    assert!(api["caregivers"].as_array().unwrap().is_empty());

    // With consent recorded, the caregiver's contact is shared.
    ok(send_json(
        app.addr,
        "POST",
        &format!("/api/v1/cases/{case}/consent"),
        cw1,
        &json!({"consent": "given"}),
    ));
    let es = page(&app, &health, &format!("{path}?lang=es"));
    assert!(
        es.body.contains("+000 555 0101") && es.body.contains("Fatou Kamara"),
        "{}",
        es.body
    );
    assert!(es.body.contains("Confirmo que mi organismo"));

    // Another agency, and another region, are told it does not exist.
    let (school, _) = sign_in(&app, "school1", PASSWORD).unwrap();
    assert_eq!(page(&app, &school, &path).status, 404);
    let cw2 = app.tokens["cw2"].as_str();
    assert_eq!(
        get(app.addr, &format!("/api/v1/referrals/{id}"), Some(cw2)).status,
        404
    );

    // Answers need a tick; declining needs a reason; nothing changes until then.
    let answer = |body: &str| {
        post(
            &app,
            &health,
            &format!("{path}/answer"),
            &format!("csrf={csrf}&{body}"),
        )
    };
    let unticked = answer("status=accepted");
    assert_eq!(unticked.status, 422);
    assert!(
        unticked.body.contains("confirm-accepted-error"),
        "{}",
        unticked.body
    );
    let no_reason = answer("status=declined&note=&confirm=yes");
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.body.contains("note-declined-error"));
    let still = ok(get(app.addr, &format!("/api/v1/referrals/{id}"), Some(cw1)));
    assert_eq!(still["status"], "sent");
    let accepted = answer("status=accepted&confirm=yes");
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let now = ok(get(app.addr, &format!("/api/v1/referrals/{id}"), Some(cw1)));
    assert_eq!(now["status"], "accepted");
    let after = page(&app, &health, &path);
    assert!(after.body.contains("Mark completed"));
    // The lists filter in the query, and page.
    let h1 = app.store.create_api_token(&sys, "health1", NOW).unwrap();
    let count = |token: &str, q: &str| {
        ok(get(app.addr, &format!("/api/v1/referrals{q}"), Some(token)))["items"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count(&h1, "?status=sent"), 0);
    assert_eq!(count(&h1, "?status=accepted"), 1);
    assert_eq!(count(cw1, "?box=outgoing&place=D12"), 1);
    assert_eq!(count(cw1, "?box=outgoing&place=D11"), 0);
    let paged = ok(get(
        app.addr,
        "/api/v1/referrals?box=outgoing&limit=1",
        Some(cw1),
    ));
    assert_eq!(paged["next"], "1");
    assert_eq!(
        get(app.addr, "/api/v1/referrals?box=", Some(cw1)).status,
        422
    );
    let bad = get(app.addr, "/api/v1/referrals?status=lost", Some(cw1));
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("status"));
    let accepted_only = page(&app, &health, "/referrals?status=declined&lang=fr");
    assert_eq!(accepted_only.status, 200);
    assert!(!accepted_only.body.contains("Awa Kamara"));
    assert!(page(&app, &health, "/referrals?status=accepted")
        .body
        .contains("Awa Kamara"));
    // Every reading of the referral is in the audit log, with its child.
    let audit = app.store.recent_audit(&sys, 200, NOW).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "referral.read" && e.actor == "health1"));
    assert!(audit
        .iter()
        .any(|e| e.action == "referral.read" && e.actor == "school1" && e.outcome == "denied"));
}

#[test]
fn the_case_page_says_what_comes_next_and_asks_why_before_sharing_without_consent() {
    let app = spawn_app();
    let (admin, cw1) = (app.tokens["admin"].as_str(), app.tokens["cw1"].as_str());
    let service = ok(send_json(
        app.addr,
        "POST",
        "/api/v1/services",
        admin,
        &json!({"name": "Birth registration desk", "provider": "Civil registry", "agency": "REG",
                "sector": "civil_registration", "layers": ["primary"], "coverage": "R1", "factors": []}),
    ));
    let (_, case) = child_with_case(
        &app,
        cw1,
        "Awa",
        "D11",
        json!({"birth_registration": "not_registered"}),
    );
    let (cw, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let path = format!("/cases/{case}");
    let shown = page(&app, &cw, &path);
    assert_eq!(shown.status, 200);
    // Who acts next, in words; the suggested service leads the choices.
    assert!(
        shown.body.contains("Next: cw1 assesses the child."),
        "{}",
        shown.body
    );
    let recommended = shown
        .body
        .split("Recommended for this child")
        .nth(1)
        .and_then(|s| s.split("</optgroup>").next())
        .unwrap_or_else(|| panic!("{}", shown.body));
    assert!(recommended.contains("Birth registration desk"));
    assert!(shown.body.contains("Why refer without consent"));
    let fr = page(&app, &cw, &format!("{path}?lang=fr"));
    assert!(
        fr.body.contains("Prochaine étape : cw1 évalue"),
        "{}",
        fr.body
    );

    // Referring without consent and without saying why: refused, nothing sent.
    let sid = service["id"].as_str().unwrap();
    let refer = |extra: &str| {
        post(
            &app,
            &cw,
            &format!("{path}/referrals"),
            &format!(
                "csrf={csrf}&service_id={sid}&kind=service&reason=Birth+not+registered{extra}"
            ),
        )
    };
    let refused = refer("");
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("without_consent-error"));
    assert!(
        refused.body.contains("Birth not registered"),
        "typed text kept"
    );
    let file = ok(get(app.addr, &format!("/api/v1/cases/{case}"), Some(cw1)));
    assert!(file["referrals"].as_array().unwrap().is_empty());
    // With a reason it goes, and the history says why.
    let sent = refer("&without_consent=The+family+cannot+be+reached+yet");
    assert_eq!(sent.status, 303, "{}", sent.body);
    let file = ok(get(app.addr, &format!("/api/v1/cases/{case}"), Some(cw1)));
    assert_eq!(file["referrals"].as_array().unwrap().len(), 1);
    assert!(file["events"].as_array().unwrap().iter().any(
        |e| e["text"] == "Referred without recorded consent: The family cannot be reached yet"
    ));

    // A plan keeps its lines; after sending it the supervisor acts next.
    let child_id = file["child_id"].as_str().unwrap();
    ok(send_json(
        app.addr,
        "POST",
        &format!("/api/v1/children/{child_id}/assessments"),
        cw1,
        &json!({"answers": {"no_birth_registration": true, "poverty": true}}),
    ));
    let assessed = page(&app, &cw, &path);
    assert!(assessed
        .body
        .contains("What raised the risk at the latest assessment"));
    assert!(
        assessed.body.contains("Next: cw1 writes the case plan"),
        "{}",
        assessed.body
    );
    let step = post(
        &app,
        &cw,
        &format!("{path}/step/submit_plan"),
        &format!("csrf={csrf}&text=1.+Register+the+birth%0A2.+Back+to+school"),
    );
    assert_eq!(step.status, 303, "{}", step.body);
    let after = page(&app, &cw, &format!("{path}?done=submit_plan"));
    assert!(after
        .body
        .contains("Waiting for a supervisor to approve the plan."));
    assert!(after
        .body
        .contains("<dd class=\"keep-lines\">1. Register the birth\n2. Back to school</dd>"));
}

#[test]
fn institutions_are_added_inspected_and_those_overdue_marked() {
    let app = spawn_app();
    let (admin, csrf) = sign_in(&app, "admin", PASSWORD).unwrap();
    let list = page(&app, &admin, "/admin/institutions?lang=fr");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list
        .body
        .contains("Institutions de prise en charge et écoles"));
    assert!(page(&app, &admin, "/admin")
        .body
        .contains("/admin/institutions"));
    let refused = post(
        &app,
        &admin,
        "/admin/institutions",
        &format!("csrf={csrf}&kind=care_institution&name=&location=D11&registered=on"),
    );
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("name-error"));
    assert!(
        refused.body.contains("value=\"D11\" selected"),
        "what was typed is kept"
    );
    let added = post(
        &app,
        &admin,
        "/admin/institutions",
        &format!("csrf={csrf}&kind=care_institution&name=Hope+House&location=D11&registered=on"),
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let at = added.header("location").unwrap().to_string();
    let fresh = page(&app, &admin, &at);
    assert!(fresh.body.contains("Hope House") && fresh.body.contains("never inspected"));
    assert!(fresh
        .body
        .contains("This institution is overdue for inspection."));
    assert!(page(&app, &admin, "/admin/institutions")
        .body
        .contains("overdue for inspection"));

    // A supervisor of the area records an inspection; a mistake keeps what was typed.
    let (sup, csrf) = sign_in(&app, "sup1", PASSWORD).unwrap();
    let theirs = page(&app, &sup, &at);
    assert_eq!(theirs.status, 200);
    assert!(
        !theirs.body.contains("Change the institution"),
        "only administrators change it"
    );
    let inspect = |body: &str| {
        post(
            &app,
            &sup,
            &format!("{at}/inspections"),
            &format!("csrf={csrf}&{body}"),
        )
    };
    let future = inspect(
        "inspected_on=2999-01-01&inspector=Team+B&findings=Dormitory+locked+at+night&next_due=",
    );
    assert_eq!(future.status, 422, "{}", future.body);
    assert!(future.body.contains("Dormitory locked at night"));
    let done = inspect("inspected_on=2026-01-15&inspector=Team+B&findings=Dormitory+locked+at+night%0AFollow+up+in+June&next_due=2099-01-01");
    assert_eq!(done.status, 303, "{}", done.body);
    let after = page(&app, &sup, &format!("{at}?lang=es"));
    assert!(after
        .body
        .contains("Dormitory locked at night\nFollow up in June"));
    assert!(!after.body.contains("está atrasada"));
    // A caseworker keeps no institutions.
    let (cw, _) = sign_in(&app, "cw1", PASSWORD).unwrap();
    assert_eq!(page(&app, &cw, "/admin/institutions").status, 403);
    assert_eq!(page(&app, &cw, &at).status, 403);
}

#[test]
fn the_triage_queue_filters_pages_and_names_places() {
    let app = spawn_app();
    let report = |body: Value| {
        let r = request(
            app.addr,
            "POST",
            "/api/v1/public/reports",
            &[("Content-Type", "application/json")],
            Some(body.to_string().as_bytes()),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    };
    report(
        json!({"category": "sale_or_trafficking", "description": "A girl is taken away tonight",
                  "location": "D11", "danger_now": true, "reporter": "friend"}),
    );
    report(
        json!({"category": "abuse_material_online", "description": "Pictures of a child",
                  "url": "https://bad.example/x", "reporter": "anonymous"}),
    );
    let analyst = app.tokens["analyst"].as_str();
    let count = |q: &str| {
        ok(get(app.addr, &format!("/api/v1/reports{q}"), Some(analyst)))["items"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count(""), 2);
    assert_eq!(count("?danger_now=true"), 1);
    assert_eq!(count("?category=abuse_material_online"), 1);
    assert_eq!(count("?place=D11"), 1);
    assert_eq!(count("?place=R2"), 0);
    let first = ok(get(app.addr, "/api/v1/reports?limit=1", Some(analyst)));
    assert_eq!(first["next"], "1");
    assert_eq!(count("?limit=1&cursor=1"), 1);
    let bad = get(app.addr, "/api/v1/reports?category=gossip", Some(analyst));
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("category"));
    // The page: the place by its name, the danger-now filter, pages.
    let (cookie, _) = sign_in(&app, "analyst", PASSWORD).unwrap();
    let danger = page(&app, &cookie, "/reports?danger_now=true&lang=fr");
    assert_eq!(danger.status, 200);
    assert!(danger.body.contains("Place D11"), "{}", danger.body);
    assert!(!danger.body.contains("bad.example"));
    assert_eq!(danger.body.matches("href=\"/reports/").count(), 1);
    let paged = page(&app, &cookie, "/reports?limit=1");
    assert!(paged.body.contains("rel=\"next\""));
}

#[test]
fn a_child_is_linked_to_an_institution_in_the_workers_area_from_the_child_page() {
    let app = spawn_app();
    let admin = &app.tokens["admin"];
    let institution = |name: &str, location: &str| {
        let r = send_json(
            app.addr,
            "POST",
            "/api/v1/institutions",
            admin,
            &json!({"kind": "care_institution", "name": name, "location": location, "registered": false, "monitored": false}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_string()
    };
    let home = institution("Harbour Home", "D11");
    let far = institution("Hill School", "D21");
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let (child, _) = child_with_case(&app, &app.tokens["cw1"], "Mariama", "D11", json!({}));
    let path = format!("/children/{child}");

    let before = page(&app, &cookie, &path).body;
    assert!(before.contains("No care institution or school is recorded"));
    assert!(before.contains("Harbour Home (Place D11)"), "{before}");
    assert!(
        !before.contains("Hill School"),
        "only those in the worker's area"
    );

    // One outside the worker's area is refused, and nothing changes.
    let r = post(
        &app,
        &cookie,
        &format!("{path}/institution"),
        &format!("csrf={csrf}&institution={far}"),
    );
    assert_eq!(r.status, 404);
    let r = post(
        &app,
        &cookie,
        &format!("{path}/institution"),
        &format!("csrf={csrf}&institution={home}"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let after = page(&app, &cookie, &path).body;
    assert!(
        after.contains("<p>Harbour Home (Care institution)</p>"),
        "{after}"
    );
    assert!(after.contains(&format!("<option value=\"{home}\" selected")));
    let r = get(
        app.addr,
        &format!("/api/v1/children/{child}"),
        Some(&app.tokens["cw1"]),
    );
    assert_eq!(r.json()["institution_id"], home.as_str());
    // A supervisor follows it to the institution's page, in French too.
    let (sup, _) = sign_in(&app, "sup1", PASSWORD).unwrap();
    let fr = page(&app, &sup, &format!("{path}?lang=fr")).body;
    assert!(fr.contains(&format!(
        "<a href=\"/admin/institutions/{home}\">Harbour Home</a>"
    )));
    assert!(fr.contains("Établissement de prise en charge ou école"));
    // Unlinked again: "none".
    let r = post(
        &app,
        &cookie,
        &format!("{path}/institution"),
        &format!("csrf={csrf}&institution="),
    );
    assert_eq!(r.status, 303);
    assert!(page(&app, &cookie, &path)
        .body
        .contains("No care institution or school is recorded"));
}
