//! The web layer's structure as a person meets it: pages in their language
//! (their setting, `?lang=`, or the browser), a form refused with its
//! values kept and its errors beside the fields, and a page — not JSON —
//! for an address that does not exist.

use crate::http::request;
use crate::pages::{post as form, sign_in};
use crate::{spawn_app, PASSWORD};

#[test]
fn a_person_chooses_their_language_and_every_page_follows() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let account = |extra: &[(&str, &str)]| {
        let mut h = vec![("Cookie", cookie.as_str())];
        h.extend_from_slice(extra);
        request(app.addr, "GET", "/account", &h, None)
    };
    // The browser's language first, then `?lang=`.
    let r = account(&[("Accept-Language", "es-ES,es;q=0.9")]);
    assert_eq!(r.status, 200);
    assert!(r.body.contains(r#"<html lang="es">"#), "{}", r.body);
    assert!(r.body.contains("Mi cuenta"));
    let r = request(
        app.addr,
        "GET",
        "/account?lang=fr",
        &[("Cookie", &cookie)],
        None,
    );
    assert!(r.body.contains("Mon compte") && r.body.contains(r#"lang="fr""#));

    // A language Haven does not ship is refused beside the field, in the
    // reader's language, with nothing saved.
    let r = form(
        &app,
        &cookie,
        "/account",
        &format!("csrf={csrf}&language=de"),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r#"id="language-error""#), "{}", r.body);
    assert!(r.body.contains("Choose one of the languages offered."));
    assert!(r.body.contains(r#"aria-invalid="true""#));

    // A forged form (no token) is refused with a page, not JSON.
    let r = form(&app, &cookie, "/account", "language=fr");
    assert_eq!(r.status, 403);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.body.contains("did not come from Haven"));

    // Saved: every page now speaks French, whatever the browser says.
    let r = form(
        &app,
        &cookie,
        "/account",
        &format!("csrf={csrf}&language=fr"),
    );
    assert_eq!(r.status, 303);
    let r = account(&[("Accept-Language", "en")]);
    assert!(r.body.contains(r#"<html lang="fr">"#));
    assert!(r.body.contains("Vos réglages sont enregistrés") || r.body.contains("Mon compte"));
    assert!(
        r.body.contains(r#"value="fr" lang="fr" selected"#),
        "{}",
        r.body
    );
    // … and `?lang=` still shows one page in another language.
    let r = request(
        app.addr,
        "GET",
        "/account?lang=en",
        &[("Cookie", &cookie)],
        None,
    );
    assert!(r.body.contains("My account"));

    // The choice was audited.
    let (admin, _) = sign_in(&app, "admin", PASSWORD).unwrap();
    let audit = request(
        app.addr,
        "GET",
        "/api/v1/audit",
        &[("Cookie", &admin)],
        None,
    );
    assert!(audit.body.contains("set_language"), "{}", audit.body);
}

#[test]
fn an_unknown_address_is_a_page_for_people_and_json_for_clients() {
    let app = spawn_app();
    let r = request(
        app.addr,
        "GET",
        "/no/such/page",
        &[("Accept-Language", "fr")],
        None,
    );
    assert_eq!(r.status, 404);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.body.contains("Page introuvable"));
    let (cookie, _) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let r = request(app.addr, "GET", "/nowhere", &[("Cookie", &cookie)], None);
    assert_eq!(r.status, 404);
    // Signed in: the menu is there to go on from.
    assert!(r.body.contains(r#"href="/children""#));
    let r = request(app.addr, "GET", "/api/v1/nowhere", &[], None);
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"]["code"], "not_found");
}

#[test]
fn an_administrator_adds_places_and_a_mistake_keeps_what_was_typed() {
    let app = spawn_app();
    let (admin, csrf) = sign_in(&app, "admin", PASSWORD).unwrap();
    let r = request(
        app.addr,
        "GET",
        "/locations?lang=es",
        &[("Cookie", &admin)],
        None,
    );
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Lugares") && r.body.contains("D11"));
    assert!(!r.body.contains('⟦'));

    // Two mistakes at once: each beside its field, the typed name kept.
    let r = form(
        &app,
        &admin,
        "/locations",
        &format!("csrf={csrf}&name=Kambia+North&code=bad+code!&parent="),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r#"value="Kambia North""#));
    assert!(r.body.contains(r#"id="code-error""#) && r.body.contains("up to 32 letters"));
    assert!(r.body.contains(r#"id="parent-error""#));
    // A district holds no places; a taken code is said plainly.
    let r = form(
        &app,
        &admin,
        "/locations",
        &format!("csrf={csrf}&name=Kambia&code=D11&parent=D11"),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Another place already has this code"));
    assert!(r.body.contains("A district cannot hold other places"));

    let r = form(
        &app,
        &admin,
        "/locations",
        &format!("csrf={csrf}&name=Kambia&code=D13&parent=R1"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = request(
        app.addr,
        "GET",
        "/locations?added=1",
        &[("Cookie", &admin)],
        None,
    );
    assert!(r.body.contains("Kambia") && r.body.contains("The place was added"));

    // A caseworker sees the places but cannot add one.
    let (cw, cw_csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let r = request(app.addr, "GET", "/locations", &[("Cookie", &cw)], None);
    assert_eq!(r.status, 200);
    assert!(!r.body.contains(r#"action="/locations""#));
    let r = form(
        &app,
        &cw,
        "/locations",
        &format!("csrf={cw_csrf}&name=Nowhere&code=D99&parent=R1"),
    );
    assert_eq!(r.status, 403);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let r = request(app.addr, "GET", "/locations", &[("Cookie", &admin)], None);
    assert!(!r.body.contains("D99"));
}

/// The secret a set-up page shows, and the code an app would show now.
fn app_code(page: &str) -> String {
    let secret = page
        .split(r#"<code class="secret">"#)
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap();
    let secret = haven_domain::second_factor::secret_from_text(secret).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    haven_domain::second_factor::code_at(&secret, haven_domain::second_factor::step_of(now))
        .unwrap()
}

#[test]
fn a_second_sign_in_step_set_up_from_the_account_and_asked_after_the_password() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "analyst", PASSWORD).unwrap();
    let r = request(
        app.addr,
        "GET",
        "/account/second-factor",
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(r.status, 200);
    let r = form(
        &app,
        &cookie,
        "/account/second-factor",
        &format!("csrf={csrf}&action=begin"),
    );
    assert_eq!(r.status, 303);
    let page = request(
        app.addr,
        "GET",
        "/account/second-factor?lang=fr",
        &[("Cookie", &cookie)],
        None,
    )
    .body;
    assert!(
        page.contains("<svg") && page.contains("Associez votre téléphone"),
        "{page}"
    );
    // A wrong code is said beside the field; the set-up stays on screen.
    let r = form(
        &app,
        &cookie,
        "/account/second-factor",
        &format!("csrf={csrf}&action=confirm&code=12345"),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r#"id="code-error""#) && r.body.contains("<svg"));
    let r = form(
        &app,
        &cookie,
        "/account/second-factor",
        &format!("csrf={csrf}&action=confirm&code={}", app_code(&page)),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Your recovery codes"));
    let recovery: Vec<String> = r
        .body
        .split("<li><code>")
        .skip(1)
        .filter_map(|s| s.split('<').next())
        .map(str::to_string)
        .collect();
    assert_eq!(recovery.len(), 10);

    // Next sign-in: the password alone reaches nothing, neither pages nor API.
    let r = crate::pages::post_login(&app, "analyst", PASSWORD, "");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/login/code"));
    let pending = r
        .cookies()
        .into_iter()
        .find(|(k, _)| k == "haven_session")
        .unwrap()
        .1;
    let pending = format!("haven_session={pending}");
    let r = request(app.addr, "GET", "/hotline", &[("Cookie", &pending)], None);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/login"));
    let r = request(
        app.addr,
        "GET",
        "/api/v1/hotline/items",
        &[("Cookie", &pending)],
        None,
    );
    assert_eq!(r.status, 401);
    let page = request(
        app.addr,
        "GET",
        "/login/code",
        &[("Cookie", &pending)],
        None,
    );
    assert_eq!(page.status, 200);
    let pending_csrf = page
        .body
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let r = form(
        &app,
        &pending,
        "/login/code",
        &format!("csrf={pending_csrf}&code=000000"),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("That code is not right"));
    // A recovery code, once.
    let r = form(
        &app,
        &pending,
        "/login/code",
        &format!("csrf={pending_csrf}&code={}", recovery[0]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/"));
    let r = request(app.addr, "GET", "/hotline", &[("Cookie", &pending)], None);
    assert_eq!(r.status, 200);

    // An administrator requires it for caseworkers: their next sign-in
    // leads to the set-up first.
    let (admin, admin_csrf) = sign_in(&app, "admin", PASSWORD).unwrap();
    let r = form(
        &app,
        &admin,
        "/account/second-factor",
        &format!("csrf={admin_csrf}&action=roles&role=caseworker"),
    );
    assert_eq!(r.status, 303);
    let r = crate::pages::post_login(&app, "cw1", PASSWORD, "");
    assert_eq!(r.header("location"), Some("/account/second-factor"));
    // Caseworkers' API tokens are not affected.
    let r = crate::http::get(app.addr, "/api/v1/children", Some(&app.tokens["cw1"]));
    assert_eq!(r.status, 200);
}
