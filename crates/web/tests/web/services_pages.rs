//! The referrals, services, hotline and hash-list pages: a refused form
//! comes back with what was typed and each error beside its field, and the
//! pages read in French and Spanish with no missing words.

use crate::pages::{page, post, sign_in};
use crate::{spawn_app, PASSWORD};

/// The text of the error shown beside `field`, if any.
fn error_beside(body: &str, field: &str) -> Option<String> {
    let marker = format!("id=\"{field}-error\">");
    let rest = body.split(&marker).nth(1)?;
    Some(rest.split('<').next()?.to_string())
}

#[test]
fn a_refused_service_comes_back_with_the_typed_values_and_errors_beside_the_fields() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "admin", PASSWORD).unwrap();
    // No sector, no layer, a bad agency code: nothing is saved.
    let r = post(
        &app,
        &cookie,
        "/services",
        &format!("csrf={csrf}&name=Night+shelter&provider=Hope&agency=not+a+code&coverage=R1&factors=street_child"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"Night shelter\""), "{}", r.body);
    assert!(
        !r.body.contains("value=\"not a code\""),
        "only agencies on record"
    );
    assert!(r.body.contains("value=\"street_child\" selected"));
    assert!(error_beside(&r.body, "sector").unwrap().contains("sector"));
    assert!(error_beside(&r.body, "layers")
        .unwrap()
        .contains("prevention layer"));
    assert!(error_beside(&r.body, "agency").unwrap().contains("agency"));
    assert!(r.body.contains("<select id=\"agency\" name=\"agency\" required aria-invalid=\"true\" aria-describedby=\"agency-error\""));
    assert!(error_beside(&r.body, "name").is_none());
    // The same page in French keeps the values and speaks French.
    let r = post(
        &app,
        &cookie,
        "/services?lang=fr",
        &format!("csrf={csrf}&name=Abri&provider=Hope&agency=HOPE&sector=health&coverage=R1"),
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Cochez au moins un niveau de prévention"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"health\" selected"));
    assert!(!r.body.contains('⟦'));
}

#[test]
fn refused_hotline_and_list_forms_keep_what_was_typed() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "analyst", PASSWORD).unwrap();
    // An address that is not one.
    let r = post(
        &app,
        &cookie,
        "/hotline",
        &format!("csrf={csrf}&url=gopher%3A%2F%2Fx"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"gopher://x\""));
    assert!(error_beside(&r.body, "url")
        .unwrap()
        .contains("web address"));
    // An item assessed illegal without its category.
    let r = post(
        &app,
        &cookie,
        "/hotline",
        &format!("csrf={csrf}&url=https%3A%2F%2Ffiles.example.net%2Fa"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let item = r.header("location").unwrap().to_string();
    let r = post(
        &app,
        &cookie,
        &format!("{item}/assessment"),
        &format!("csrf={csrf}&assessment=illegal&category=&age_band=pubescent&sex=both&hosting_country=nld&hosting_provider=Example"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"illegal\" selected"));
    assert!(r.body.contains("value=\"pubescent\" selected"));
    assert!(r.body.contains("value=\"Example\""));
    assert!(error_beside(&r.body, "category")
        .unwrap()
        .contains("category"));
    assert!(error_beside(&r.body, "hosting_country")
        .unwrap()
        .contains("from the list"));
    // A hash list whose name is missing, then a hash that is not one.
    let r = post(
        &app,
        &cookie,
        "/lists",
        &format!("csrf={csrf}&name=&description=kept"),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("value=\"kept\""));
    assert!(error_beside(&r.body, "name").is_some());
    let r = post(
        &app,
        &cookie,
        "/lists",
        &format!("csrf={csrf}&name=national&description="),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let list = r.header("location").unwrap().to_string();
    let r = post(
        &app,
        &cookie,
        &format!("{list}/entries"),
        &format!("csrf={csrf}&hash=abc123&source=report+9&category=A"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"abc123\"") && r.body.contains("value=\"report 9\""));
    assert!(error_beside(&r.body, "hash").is_some());
    // A URL entry with an unknown level.
    let r = post(
        &app,
        &cookie,
        "/urls",
        &format!("csrf={csrf}&url=bad.example.com&level=planet&category=csam"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"bad.example.com\"") && r.body.contains("value=\"csam\""));
    assert!(error_beside(&r.body, "level").is_some());
}

#[test]
fn the_pages_read_in_french_and_spanish() {
    let app = spawn_app();
    let (analyst, csrf) = sign_in(&app, "analyst", PASSWORD).unwrap();
    let r = post(
        &app,
        &analyst,
        "/hotline",
        &format!("csrf={csrf}&url=https%3A%2F%2Ffiles.example.net%2Fb"),
    );
    let item = r.header("location").unwrap().to_string();
    let (admin, _) = sign_in(&app, "admin", PASSWORD).unwrap();
    for (lang, words) in [("fr", "Contenus signalés"), ("es", "Material denunciado")] {
        for path in ["/hotline", &item, "/lists", "/urls", "/match"] {
            let r = page(&app, &analyst, &format!("{path}?lang={lang}"));
            assert_eq!(r.status, 200, "{path} {lang}: {}", r.body);
            assert!(!r.body.contains('⟦'), "{path} {lang}: {}", r.body);
            assert!(r.body.contains(&format!("lang=\"{lang}\"")));
        }
        let r = page(&app, &analyst, &format!("/hotline?lang={lang}"));
        assert!(r.body.contains(words), "{}", r.body);
        for path in ["/services", "/referrals"] {
            let r = page(&app, &admin, &format!("{path}?lang={lang}"));
            assert_eq!(r.status, 200, "{path} {lang}: {}", r.body);
            assert!(!r.body.contains('⟦'), "{path} {lang}: {}", r.body);
        }
    }
    let r = page(&app, &admin, "/services?lang=es");
    assert!(r.body.contains("Añadir un servicio"));
    let r = page(&app, &admin, "/referrals?lang=fr");
    assert!(r.body.contains("Par service destinataire"));
}
