//! Administration pages and API: accounts (add, change, disable, new
//! password), the audit log's search and chain check, and the overdue
//! inspections on Today — with the refusals for everyone else.

use crate::http::{get, request, send_json};
use crate::pages::{page, post, sign_in};
use crate::{spawn_app, PASSWORD};
use haven_store::Store;
use serde_json::json;

fn enc(s: &str) -> String {
    s.replace(' ', "+").replace(':', "%3A")
}

#[test]
fn administrators_manage_accounts_in_two_languages_and_others_are_refused() {
    let app = spawn_app();
    let (admin, csrf) = sign_in(&app, "admin", PASSWORD).unwrap();
    // The menu leads here.
    let home = page(&app, &admin, "/");
    assert!(home.body.contains("href=\"/admin\""));
    let en = page(&app, &admin, "/admin/users?lang=en");
    let fr = page(&app, &admin, "/admin/users?lang=fr");
    assert_eq!((en.status, fr.status), (200, 200));
    assert!(en.body.contains("Add a person") && fr.body.contains("Ajouter une personne"));
    assert!(en.body.contains("cw1") && !en.body.contains('⟦'));
    // Places are chosen by name.
    assert!(en.body.contains(">Place R1</option>"));

    // A refused form comes back 422 with what was typed kept.
    let bad = post(
        &app,
        &admin,
        "/admin/users?lang=fr",
        &format!("csrf={csrf}&name=new.worker&role=caseworker&location=&agency=&language=&password=short"),
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("value=\"new.worker\""));
    assert!(bad.body.contains("au moins 10 caractères"));
    assert!(bad.body.contains("Choisissez une zone"));
    assert!(app
        .store
        .list_users(&admin_actor(&app), crate::conformance_now())
        .unwrap()
        .iter()
        .all(|u| u.name != "new.worker"));

    let ok = post(
        &app,
        &admin,
        "/admin/users",
        &format!("csrf={csrf}&name=new.worker&role=caseworker&location=D11&agency=&language=es&password={}", enc("a fine long password")),
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let (worker, _) = sign_in(&app, "new.worker", "a fine long password").unwrap();
    // Their language was set: their pages are in Spanish.
    assert!(page(&app, &worker, "/account")
        .body
        .contains("<html lang=\"es\""));

    // Change their role and area; audited.
    let changed = post(
        &app,
        &admin,
        "/admin/users/new.worker",
        &format!("csrf={csrf}&role=supervisor&location=R1&agency=&language=es"),
    );
    assert_eq!(changed.status, 303);
    let edit = page(&app, &admin, "/admin/users/new.worker?lang=es");
    assert!(edit.body.contains("Desactivar esta cuenta"));

    // A new password ends their session.
    let short = post(
        &app,
        &admin,
        "/admin/users/new.worker/password",
        &format!("csrf={csrf}&password=short"),
    );
    assert_eq!(short.status, 422);
    let set = post(
        &app,
        &admin,
        "/admin/users/new.worker/password",
        &format!("csrf={csrf}&password={}", enc("another fine password")),
    );
    assert_eq!(set.status, 303);
    assert_ne!(page(&app, &worker, "/").status, 200);
    let (worker, _) = sign_in(&app, "new.worker", "another fine password").unwrap();

    // Disabling: their session and token stop at once; they cannot sign in.
    let token = app.tokens["cw2"].clone();
    assert_eq!(get(app.addr, "/api/v1/children", Some(&token)).status, 200);
    let off = post(
        &app,
        &admin,
        "/admin/users/new.worker/disabled",
        &format!("csrf={csrf}&disabled=true"),
    );
    assert_eq!(off.status, 303);
    assert_ne!(page(&app, &worker, "/").status, 200);
    assert!(sign_in(&app, "new.worker", "another fine password").is_err());
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/users/cw2/disabled",
        &app.tokens["admin"],
        &json!({"disabled": true}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(get(app.addr, "/api/v1/children", Some(&token)).status, 401);

    // An administrator cannot disable themselves.
    let me = post(
        &app,
        &admin,
        "/admin/users/admin/disabled",
        &format!("csrf={csrf}&disabled=true"),
    );
    assert_eq!(me.status, 409);
    assert!(page(&app, &admin, "/admin/users/admin")
        .body
        .contains("You cannot disable your own account"));

    // Anyone else: 403 on the pages, nothing changes.
    let (sup, sup_csrf) = sign_in(&app, "sup1", PASSWORD).unwrap();
    assert!(!page(&app, &sup, "/").body.contains("href=\"/admin\""));
    for p in ["/admin", "/admin/users", "/admin/users/cw1", "/admin/audit"] {
        assert_eq!(page(&app, &sup, p).status, 403, "{p}");
    }
    let refused = post(
        &app,
        &sup,
        "/admin/users/cw1",
        &format!("csrf={sup_csrf}&role=admin&location=&agency=&language="),
    );
    assert_eq!(refused.status, 403);
    let cw1 = app
        .store
        .list_users(&admin_actor(&app), crate::conformance_now())
        .unwrap()
        .into_iter()
        .find(|u| u.name == "cw1")
        .unwrap();
    assert_eq!(cw1.role, haven_domain::Role::Caseworker);
}

fn admin_actor(app: &crate::App) -> haven_domain::Actor {
    app.store.actor_for_token(&app.tokens["admin"]).unwrap()
}

#[test]
fn the_audit_log_is_searched_and_checked_from_its_page() {
    let app = spawn_app();
    let (admin, _) = sign_in(&app, "admin", PASSWORD).unwrap();
    let en = page(
        &app,
        &admin,
        "/admin/audit?who=admin&action=sign_in&lang=en",
    );
    assert_eq!(en.status, 200);
    assert!(en.body.contains("sign_in") && !en.body.contains("token.create"));
    let fr = page(&app, &admin, "/admin/audit?verify=1&lang=fr");
    assert!(fr.body.contains("Le journal est intact"), "{}", fr.body);
    let bad = page(&app, &admin, "/admin/audit?from=yesterday&lang=es");
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("value=\"yesterday\"") && bad.body.contains("Escriba una fecha"));

    // The API: the same search, paged; the check; refusals.
    let t = &app.tokens["admin"];
    let r = get(
        app.addr,
        "/api/v1/audit/search?action=token.&limit=2",
        Some(t),
    );
    assert_eq!(r.status, 200);
    let body = r.json();
    assert_eq!(body["items"].as_array().unwrap().len(), 2);
    let cursor = body["next"].as_str().unwrap().to_string();
    let older = get(
        app.addr,
        &format!("/api/v1/audit/search?action=token.&cursor={cursor}"),
        Some(t),
    )
    .json();
    assert!(older["items"][0]["seq"].as_i64() < body["items"][1]["seq"].as_i64());
    assert_eq!(
        get(app.addr, "/api/v1/audit/search?from=nope", Some(t)).status,
        422
    );
    let v = send_json(app.addr, "POST", "/api/v1/audit/verify", t, &json!({}));
    assert_eq!(v.status, 200);
    assert_eq!(v.json()["intact"], true);
    for who in ["sup1", "cw1", "analyst"] {
        let t = &app.tokens[who];
        assert_eq!(get(app.addr, "/api/v1/audit/search", Some(t)).status, 403);
        assert_eq!(
            send_json(app.addr, "POST", "/api/v1/audit/verify", t, &json!({})).status,
            403
        );
    }
}

#[test]
fn the_users_agencies_and_institutions_api_is_for_administrators() {
    let app = spawn_app();
    let admin = &app.tokens["admin"];
    let sup = &app.tokens["sup1"];
    // Non-admins: 403 and nothing changed.
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/users",
        sup,
        &json!({"name": "sneaky", "role": "admin", "password": "a long password here"}),
    );
    assert_eq!(r.status, 403);
    assert_eq!(get(app.addr, "/api/v1/users", Some(sup)).status, 403);
    assert_eq!(
        send_json(
            app.addr,
            "PATCH",
            "/api/v1/users/cw1",
            sup,
            &json!({"role": "admin"})
        )
        .status,
        403
    );
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/users/cw1/password",
            sup,
            &json!({"password": "a long password here"})
        )
        .status,
        403
    );
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/agencies",
            sup,
            &json!({"code": "X1", "name": "X"})
        )
        .status,
        403
    );
    let users = get(app.addr, "/api/v1/users", Some(admin)).json();
    assert!(!users["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["name"] == "sneaky"));
    assert!(sign_in(&app, "cw1", PASSWORD).is_ok());

    // Bad input: 4xx JSON naming the field.
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/users",
        admin,
        &json!({"name": "x", "role": "king"}),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "role");
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/agencies",
        admin,
        &json!({"code": "NGO1", "name": "Hope", "email": "nope"}),
    );
    assert_eq!(r.status, 422);

    // Agencies, then a user choosing one.
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/agencies",
        admin,
        &json!({"code": "NGO1", "name": "Hope", "sector": "health"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/users",
        admin,
        &json!({"name": "nurse", "role": "caseworker", "location": "D11", "agency": "NGO1", "password": "a long password here"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let r = send_json(
        app.addr,
        "PATCH",
        "/api/v1/users/nurse",
        admin,
        &json!({"agency": "NOPE"}),
    );
    assert_eq!(r.status, 422);
    let r = send_json(
        app.addr,
        "PATCH",
        "/api/v1/users/nurse",
        admin,
        &json!({"language": "fr", "location": "D12"}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["location"], "D12");
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/users/nurse/password",
        admin,
        &json!({"password": "short"}),
    );
    assert_eq!(r.status, 422);
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/users/nurse/password",
            admin,
            &json!({"password": "a newer long password"})
        )
        .status,
        204
    );
    assert!(sign_in(&app, "nurse", "a newer long password").is_ok());
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/users/admin/disabled",
            admin,
            &json!({"disabled": true})
        )
        .status,
        409
    );

    // Institutions and inspections; overdue on Today for a supervisor.
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/institutions",
        admin,
        &json!({"kind": "care_institution", "name": "Harbour Home", "location": "D11", "registered": true, "monitored": true}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let overdue = get(app.addr, "/api/v1/institutions/overdue", Some(sup)).json();
    assert!(overdue["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == id.as_str()));
    let (sup_cookie, _) = sign_in(&app, "sup1", PASSWORD).unwrap();
    let today = page(&app, &sup_cookie, "/?lang=fr");
    assert!(today.body.contains("Établissements en retard") && today.body.contains("Harbour Home"));
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/institutions/{id}/inspections"),
        admin,
        &json!({"inspected_on": "2026-11-01", "inspector": "Team A", "findings": "Fine.", "next_due": "2027-05-01"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/institutions/{id}/inspections"),
        admin,
        &json!({"inspected_on": "soon", "inspector": "Team A", "findings": "Fine."}),
    );
    assert_eq!(r.status, 422);
    let file = get(app.addr, &format!("/api/v1/institutions/{id}"), Some(admin)).json();
    assert_eq!(file["inspections"].as_array().unwrap().len(), 1);
    assert_eq!(file["overdue"], false);
    assert!(!page(&app, &sup_cookie, "/").body.contains("Harbour Home"));
    let r = request(app.addr, "GET", "/api/v1/institutions/overdue", &[], None);
    assert_eq!(r.status, 401);
}

#[test]
fn agencies_are_records_kept_from_their_page() {
    let app = spawn_app();
    let (admin, csrf) = sign_in(&app, "admin", PASSWORD).unwrap();
    // A code already in use (cw2's agency) is a record to name.
    let en = page(&app, &admin, "/admin/agencies?lang=en");
    let es = page(&app, &admin, "/admin/agencies?lang=es");
    assert_eq!((en.status, es.status), (200, 200));
    assert!(en.body.contains("Add an agency") && es.body.contains("Añadir un organismo"));
    assert!(en.body.contains("<code>A2</code>"));
    let bad = post(
        &app,
        &admin,
        "/admin/agencies?lang=fr",
        &format!("csrf={csrf}&code=NGO9&name=Hope+House&sector=health&phone=&email=not-an-address&active=on"),
    );
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("value=\"Hope House\"") && bad.body.contains("value=\"not-an-address\"")
    );
    assert!(bad.body.contains("Saisissez une adresse électronique"));
    let ok = post(
        &app,
        &admin,
        "/admin/agencies",
        &format!("csrf={csrf}&code=NGO9&name=Hope+House&sector=health&phone=%2B221+33&email=office%40example.org&active=on"),
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let renamed = post(
        &app,
        &admin,
        "/admin/agencies/A2",
        &format!("csrf={csrf}&name=Second+Agency&sector=&phone=&email=&active=on"),
    );
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    // People choose agencies by name.
    let users = page(&app, &admin, "/admin/users");
    assert!(
        users.body.contains(">Hope House</option>")
            && users.body.contains(">Second Agency</option>")
    );
    // Anyone else is refused and nothing changes.
    let (sup, sup_csrf) = sign_in(&app, "sup1", PASSWORD).unwrap();
    assert_eq!(page(&app, &sup, "/admin/agencies").status, 403);
    let refused = post(
        &app,
        &sup,
        "/admin/agencies/A2",
        &format!("csrf={sup_csrf}&name=Taken&active=on"),
    );
    assert_eq!(refused.status, 403);
    let list = get(app.addr, "/api/v1/agencies", Some(&app.tokens["admin"])).json();
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["code"] == "A2" && a["name"] == "Second Agency"));
}
