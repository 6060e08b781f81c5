//! The public figures page: only the indicators an administrator marks
//! public, for the whole country, small counts hidden, in the languages
//! of `/report`; and the administrators' screen that marks them.

use crate::pages::{page, post, sign_in};
use crate::{spawn_app, App, PASSWORD};
use haven_domain::Date;
use haven_store::conformance::child;
use haven_store::Store;

fn at(day: &str) -> i64 {
    Date::parse(day).unwrap().days_since_epoch() * 86_400
}

/// Three children registered in 2024 (too few to show), four more in 2025.
fn seeded() -> App {
    let app = spawn_app();
    let cw1 = app.store.actor_for_token(&app.tokens["cw1"]).unwrap();
    for i in 0..7 {
        let c = child(&format!("Mariama{i}"), "Sesay", "2016-05-05", "D11");
        let when = if i < 3 { "2024-03-01" } else { "2025-03-01" };
        app.store.create_child(&cw1, &c, at(when)).unwrap();
    }
    app
}

fn figures(app: &App, lang: &str) -> String {
    let r = crate::http::get(app.addr, &format!("/figures?lang={lang}"), None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains('⟦'), "{}", r.body);
    r.body
}

fn mark(app: &App, cookie: &str, csrf: &str, id: &str, public: &str) -> crate::http::Response {
    post(
        app,
        cookie,
        "/admin/figures",
        &format!("csrf={csrf}&indicator={id}&public={public}"),
    )
}

/// The row of the trend table for `year`.
fn row<'a>(body: &'a str, year: &str) -> &'a str {
    let start = body
        .find(&format!("<tr><th scope=\"row\">{year}</th>"))
        .unwrap_or_else(|| panic!("no row for {year}: {body}"));
    let rest = &body[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

#[test]
fn only_what_an_administrator_marks_public_is_shown_without_sign_in_small_counts_hidden() {
    let app = seeded();
    let before = figures(&app, "en");
    assert!(before.contains("No figures are published yet"), "{before}");
    assert!(!before.contains("Children registered"), "{before}");

    let (cookie, csrf) = sign_in(&app, "admin", PASSWORD).unwrap();
    let admin = page(&app, &cookie, "/admin");
    assert!(
        admin.body.contains("href=\"/admin/figures\""),
        "{}",
        admin.body
    );
    let screen = page(&app, &cookie, "/admin/figures");
    assert_eq!(screen.status, 200, "{}", screen.body);
    assert!(screen.body.contains("value=\"children_registered\""));
    let r = mark(&app, &cookie, &csrf, "children_registered", "yes");
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.store.public_indicators().unwrap(),
        ["children_registered"]
    );
    // The same store call as the API: audited.
    let admin_actor = app.store.actor_for_token(&app.tokens["admin"]).unwrap();
    let entries = app
        .store
        .recent_audit(&admin_actor, 50, crate::conformance_now())
        .unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.target.contains("children_registered")
                || e.detail.contains("children_registered")),
        "no audit entry"
    );

    let en = figures(&app, "en");
    assert!(en.contains("Children registered"), "{en}");
    // Only the public indicator: another one's name is nowhere.
    assert!(!en.contains("Reports received"), "{en}");
    assert!(!en.contains("Mariama"), "{en}");
    // 2025: seven children, shown; 2024: three, hidden (never the number).
    let y2025 = row(&en, "2025");
    assert!(y2025.contains(">7<") || y2025.contains("7</td>"), "{y2025}");
    let y2024 = row(&en, "2024");
    assert!(y2024.contains("class=\"suppressed\""), "{y2024}");
    assert!(!y2024.contains('3'), "{y2024}");
    assert!(en.contains("<svg"), "a chart: {en}");

    // The same languages as /report.
    let fr = figures(&app, "fr");
    let es = figures(&app, "es");
    assert!(fr.contains("lang=\"fr\"") && es.contains("lang=\"es\""));
    assert_ne!(fr, en);
    assert_ne!(es, en);
    assert_ne!(fr, es);
    // Linked from the public report page.
    let report = crate::http::get(app.addr, "/report?lang=fr", None);
    assert!(
        report.body.contains("href=\"/figures?lang=fr\""),
        "{}",
        report.body
    );

    // Un-marked, it disappears.
    let r = mark(&app, &cookie, &csrf, "children_registered", "no");
    assert_eq!(r.status, 303, "{}", r.body);
    let after = figures(&app, "en");
    assert!(!after.contains("Children registered"), "{after}");
    assert!(after.contains("No figures are published yet"), "{after}");
}

#[test]
fn only_an_administrator_marks_figures_public_and_a_wrong_choice_is_refused_beside_it() {
    let app = seeded();
    for who in ["monitor", "sup1", "cw1", "analyst"] {
        let (cookie, csrf) = sign_in(&app, who, PASSWORD).unwrap();
        assert_eq!(page(&app, &cookie, "/admin/figures").status, 403, "{who}");
        let r = mark(&app, &cookie, &csrf, "children_registered", "yes");
        assert_eq!(r.status, 403, "{who}: {}", r.body);
        assert!(app.store.public_indicators().unwrap().is_empty(), "{who}");
    }
    let (cookie, csrf) = sign_in(&app, "admin", PASSWORD).unwrap();
    let r = mark(&app, &cookie, &csrf, "children_registered", "perhaps");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r
        .body
        .contains("Choose whether to show the indicator or not"));
    let r = mark(&app, &cookie, &csrf, "no_such_indicator", "yes");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Choose an indicator from the list"));
    assert!(app.store.public_indicators().unwrap().is_empty());
}
