//! The reporting pages as templates: the triage forms refused with what was
//! typed kept and each error beside its field; the public form, the sign-in
//! page, the dashboard and the triage pages in French and Spanish with no
//! missing words.

use crate::http::{get, request, Response};
use crate::pages::{page, post, sign_in};
use crate::{spawn_app, App, PASSWORD};
use serde_json::json;

/// A public report in cw1's district; its id.
fn a_report(app: &App) -> String {
    let body = json!({"category": "child_marriage", "description": "She is 13 and her wedding is planned", "location": "D11", "reporter": "friend", "contact": "555 0101", "lang": "fr", "url": "https://example.net/x"}).to_string();
    let r = request(
        app.addr,
        "POST",
        "/api/v1/public/reports",
        &[("Content-Type", "application/json")],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    get(app.addr, "/api/v1/reports", Some(&app.tokens["analyst"])).json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn no_missing_words(r: &Response, what: &str) {
    assert!(
        !r.body.contains('⟦'),
        "{what} lacks a translation: {}",
        r.body
    );
}

#[test]
fn a_refused_triage_form_comes_back_with_what_was_typed_and_the_error_beside_its_field() {
    let app = spawn_app();
    let id = a_report(&app);
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let path = format!("/reports/{id}/decision");

    // Registering the child: an age that is not a number, and no district.
    let r = post(
        &app,
        &cookie,
        &path,
        &format!("csrf={csrf}&decision=open_case&given_name=Aissatou&family_name=Sow&sex=female&estimated_age=thirteen&location=&reason=Marriage+planned"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r#"value="Aissatou""#), "{}", r.body);
    assert!(r.body.contains(r#"value="Marriage planned""#));
    assert!(r.body.contains(r#"value="thirteen""#));
    assert!(r.body.contains(r#"<option value="female" selected>"#));
    assert!(
        r.body.contains(r#"id="estimated_age-error""#)
            && r.body
                .contains("Give the child&#39;s age as a number from 0 to 17."),
        "{}",
        r.body
    );
    assert!(r
        .body
        .contains(r#"aria-invalid="true" aria-describedby="estimated_age-error""#));
    assert!(r.body.contains(r#"id="location-error""#));
    assert!(r.body.contains("error-summary"));

    // Neither a registered child nor a name: said beside the record number.
    let r = post(
        &app,
        &cookie,
        &path,
        &format!("csrf={csrf}&decision=open_case&reason=x"),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r#"id="child_id-error""#), "{}", r.body);

    // Police without a unit: beside the police form's own field.
    let r = post(
        &app,
        &cookie,
        &path,
        &format!("csrf={csrf}&decision=police&reason=+"),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r#"id="reason-police-error""#), "{}", r.body);
    assert!(r.body.contains("Say which police unit"));

    // An empty note.
    let r = post(
        &app,
        &cookie,
        &format!("/reports/{id}/note"),
        &format!("csrf={csrf}&text=+"),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r#"id="note-error""#), "{}", r.body);

    // Nothing was decided by any of it; a good form is.
    let api = get(
        app.addr,
        &format!("/api/v1/reports/{id}"),
        Some(&app.tokens["cw1"]),
    )
    .json();
    assert_eq!(api["decision"], serde_json::Value::Null);
    let r = post(
        &app,
        &cookie,
        &format!("/reports/{id}/note"),
        &format!("csrf={csrf}&text=Called+the+school"),
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some(format!("/reports/{id}?done=note").as_str())
    );
    let r = post(
        &app,
        &cookie,
        &path,
        &format!("csrf={csrf}&decision=open_case&given_name=Aissatou&family_name=Sow&sex=female&estimated_age=13&location=D11&reason=Marriage+planned"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = page(&app, &cookie, r.header("location").unwrap());
    assert!(shown.body.contains("Decision recorded"), "{}", shown.body);
    assert!(shown.body.contains("Called the school"));
    assert!(shown.body.contains(r#"href="/cases/"#));
}

#[test]
fn the_reporting_pages_read_in_french_and_spanish() {
    let app = spawn_app();
    let id = a_report(&app);
    for (lang, queue_title, signin) in [
        ("fr", "Signalements à trier", "Se connecter"),
        ("es", "Denuncias por clasificar", "Iniciar sesión"),
    ] {
        let login = request(app.addr, "GET", &format!("/login?lang={lang}"), &[], None);
        no_missing_words(&login, "the sign-in page");
        assert!(login.body.contains(&format!(r#"<html lang="{lang}">"#)));
        assert!(login.body.contains(signin), "{}", login.body);

        let public = request(app.addr, "GET", &format!("/report?lang={lang}"), &[], None);
        no_missing_words(&public, "the public form");
        let status = request(
            app.addr,
            "GET",
            &format!("/report/status?lang={lang}"),
            &[],
            None,
        );
        no_missing_words(&status, "the status page");

        for who in ["cw1", "sup1", "analyst", "monitor"] {
            let (cookie, _) = sign_in(&app, who, PASSWORD).unwrap();
            let today = page(&app, &cookie, &format!("/?lang={lang}"));
            assert_eq!(today.status, 200);
            no_missing_words(&today, "the dashboard");
            assert!(today.body.contains(&format!(r#"<html lang="{lang}">"#)));
            if who == "monitor" {
                continue;
            }
            let queue = page(&app, &cookie, &format!("/reports?lang={lang}&all=true"));
            no_missing_words(&queue, "the queue");
            assert!(queue.body.contains(queue_title), "{}", queue.body);
            assert!(queue.body.contains(r#"<th scope="col">"#));
            let report = page(&app, &cookie, &format!("/reports/{id}?lang={lang}"));
            assert_eq!(report.status, 200);
            no_missing_words(&report, "a report");
        }
    }
    // A wrong password in Spanish: said in Spanish, the name kept.
    let r = crate::pages::post_login_in(&app, Some("es"), "cw1", "wrong one here", "");
    assert_eq!(r.status, 401);
    assert!(r.body.contains("no coinciden"), "{}", r.body);
    assert!(r.body.contains(r#"value="cw1""#));
}
