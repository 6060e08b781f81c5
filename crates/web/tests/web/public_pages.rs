//! The public reporting pages as a reporter meets them: "a child is in
//! danger now" comes first, a web address typed without `https://` is
//! taken, the code and PIN come with advice on keeping them safe, every
//! public page has a quick exit to a neutral outside page, and nothing
//! scrolls sideways on a 320 or 360 px phone in any language. And triage:
//! a case opens where the reporter placed the child, only in the staff
//! member's own area, and one report can lead to several actions.

use crate::browser::{axe_check, Driver};
use crate::http::{get, request, send_json, Response};
use crate::pages::{page, post, sign_in};
use crate::{spawn_app, spawn_app_with, App, PASSWORD};
use serde_json::{json, Value};

/// Sends the public form as a browser would (its token in the cookie and
/// the page), with `fields` urlencoded.
fn send_report(app: &App, lang: &str, fields: &str) -> Response {
    let form = request(app.addr, "GET", &format!("/report?lang={lang}"), &[], None);
    assert_eq!(form.status, 200);
    let cookie = form
        .cookies()
        .into_iter()
        .find(|(k, _)| k == "haven_report")
        .unwrap()
        .1;
    let token = form
        .body
        .split(r#"name="form_token" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let body = format!("form_token={token}&lang={lang}&{fields}");
    request(
        app.addr,
        "POST",
        "/report",
        &[
            ("Cookie", &format!("haven_report={cookie}")),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(body.as_bytes()),
    )
}

/// The text of the element with `id` in a page.
fn by_id(html: &str, id: &str) -> String {
    html.split(&format!(r#"id="{id}">"#))
        .nth(1)
        .unwrap_or_else(|| panic!("no #{id} in {html}"))
        .split('<')
        .next()
        .unwrap()
        .to_string()
}

/// A report from the public API; its id as the analyst's queue gives it.
fn api_report(app: &App, body: Value) -> String {
    let b = body.to_string();
    let r = request(
        app.addr,
        "POST",
        "/api/v1/public/reports",
        &[("Content-Type", "application/json")],
        Some(b.as_bytes()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    get(app.addr, "/api/v1/reports", Some(&app.tokens["analyst"])).json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["category"] == body["category"])
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_child_in_danger_now_is_the_first_choice_on_the_report_form() {
    let app = spawn_app();
    for lang in ["en", "fr", "es"] {
        let form = request(app.addr, "GET", &format!("/report?lang={lang}"), &[], None);
        let body = form
            .body
            .split(r#"<form method="post" action="/report">"#)
            .nth(1)
            .unwrap();
        let first_choice = body
            .split("<input ")
            .skip(1)
            .find(|i| !i.starts_with(r#"type="hidden""#))
            .unwrap();
        assert!(
            first_choice.contains(r#"id="danger_now""#),
            "{lang}: the first choice is {first_choice}"
        );
    }
}

#[test]
fn an_address_typed_without_https_is_taken_and_kept_whole() {
    let app = spawn_app();
    let form = request(app.addr, "GET", "/report", &[], None);
    // The browser itself must not refuse it: no type="url" on the field.
    let url_field = form.body.split(r#"<input id="url""#).nth(1).unwrap();
    let url_field = url_field.split('>').next().unwrap();
    assert!(!url_field.contains(r#"type="url""#), "{url_field}");

    let r = send_report(
        &app,
        "en",
        "category=abuse_material_online&url=bad.example%2Fx&reporter=anonymous&description=",
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let queue = get(app.addr, "/api/v1/reports", Some(&app.tokens["analyst"])).json();
    let id = queue["items"][0]["id"].as_str().unwrap();
    let file = get(
        app.addr,
        &format!("/api/v1/reports/{id}"),
        Some(&app.tokens["analyst"]),
    )
    .json();
    assert_eq!(file["url"], "https://bad.example/x");
    // Something that is not an address at all is still refused, beside its field.
    let r = send_report(
        &app,
        "en",
        "category=abuse_material_online&url=javascript%3Aalert(1)&reporter=anonymous",
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r#"id="url-error""#), "{}", r.body);
}

#[test]
fn the_code_and_pin_come_with_advice_and_every_public_page_has_a_quick_exit() {
    let exit = "https://news.example.org/";
    let app = spawn_app_with(|s| s.quick_exit = exit.into());
    let link = format!(r#"<a class="quick-exit" id="quick-exit" href="{exit}" rel="noreferrer">"#);
    for (lang, keep, leave) in [
        ("en", "Keep them safe", "Leave this site"),
        ("fr", "Garde-les en sécurité", "Quitter ce site"),
        ("es", "Guárdalos en un lugar seguro", "Salir de esta página"),
    ] {
        let received = send_report(
            &app,
            lang,
            "category=child_marriage&description=She+is+13&reporter=friend",
        );
        assert_eq!(received.status, 201, "{}", received.body);
        let (code, pin) = (by_id(&received.body, "code"), by_id(&received.body, "pin"));
        assert_eq!((code.len(), pin.len()), (19, 6));
        // The advice comes after the code and PIN, and says where not to keep them.
        let after = received.body.split(r#"id="pin""#).nth(1).unwrap();
        assert!(after.contains(keep), "{lang}: {}", received.body);
        assert!(after.contains(r#"id="keep""#));
        let status_view = request(
            app.addr,
            "POST",
            "/report/status",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            Some(format!("lang={lang}&code={code}&pin={pin}").as_bytes()),
        );
        assert_eq!(status_view.status, 200, "{}", status_view.body);
        let form = request(app.addr, "GET", &format!("/report?lang={lang}"), &[], None);
        let status = request(
            app.addr,
            "GET",
            &format!("/report/status?lang={lang}"),
            &[],
            None,
        );
        for (what, p) in [
            ("form", &form),
            ("code and PIN", &received),
            ("status form", &status),
            ("status", &status_view),
        ] {
            assert!(p.body.contains(&link), "{lang} {what}: {}", p.body);
            assert!(p.body.contains(leave), "{lang} {what}");
            assert!(!p.body.contains('⟦'), "{lang} {what}: {}", p.body);
            assert!(p.body.contains("116 111"), "{lang} {what}: emergency help");
        }
    }
    // Without a setting, the link leads to a neutral outside page.
    let plain = spawn_app();
    let form = request(plain.addr, "GET", "/report", &[], None);
    assert!(form
        .body
        .contains(&format!(r#"href="{}""#, haven_web::DEFAULT_QUICK_EXIT)));
}

#[test]
fn a_case_from_a_report_opens_in_the_reporters_district_and_only_in_the_users_area() {
    let app = spawn_app();
    let id = api_report(
        &app,
        json!({"category": "child_marriage", "description": "She is 13", "location": "D11", "danger_now": true}),
    );
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let shown = page(&app, &cookie, &format!("/reports/{id}"));
    assert_eq!(shown.status, 200);
    let select = shown.body.split(r#"<select id="location""#).nth(1).unwrap();
    let select = select.split("</select>").next().unwrap();
    assert!(
        select.contains(r#"<option value="D11" selected>"#),
        "{select}"
    );
    assert!(select.contains(r#"value="D12""#), "{select}");
    assert!(
        !select.contains(r#"value="D21""#),
        "a district outside cw1's region is not offered: {select}"
    );
    // "Act by" says the hour, not only the day (a child in danger now: within the hour).
    let due = by_id(&shown.body, "due");
    assert!(due.contains(":") && due.contains("UTC"), "{due}");
    let queue = page(&app, &cookie, "/reports");
    assert!(queue.body.contains("UTC"), "{}", queue.body);

    // A district outside her area, sent anyway, is refused and nothing is made.
    let r = post(
        &app,
        &cookie,
        &format!("/reports/{id}/decision"),
        &format!("csrf={csrf}&decision=open_case&given_name=Awa&family_name=Kamara&sex=female&estimated_age=13&location=D21&reason=x"),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let file = get(
        app.addr,
        &format!("/api/v1/reports/{id}"),
        Some(&app.tokens["cw1"]),
    )
    .json();
    assert_eq!(file["decision"], Value::Null);
    assert_eq!(file["case_id"], Value::Null);
    let found = get(
        app.addr,
        "/api/v1/children?name=Awa",
        Some(&app.tokens["admin"]),
    )
    .json();
    assert_eq!(found["items"].as_array().map(Vec::len), Some(0), "{found}");
}

#[test]
fn a_report_leads_to_a_police_referral_a_case_and_a_hotline_item() {
    let app = spawn_app();
    let id = api_report(
        &app,
        json!({"category": "abuse_material_online", "url": "bad.example/gallery", "description": "Pictures of a girl from my school", "location": "D11"}),
    );
    let (cw, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    // The decision, as before.
    let r = post(
        &app,
        &cw,
        &format!("/reports/{id}/decision"),
        &format!("csrf={csrf}&decision=police&reason=Unit+4%2C+ref+118"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = page(&app, &cw, &format!("/reports/{id}"));
    assert!(
        shown.body.contains("Take a further action"),
        "{}",
        shown.body
    );
    assert!(shown
        .body
        .contains(&format!(r#"action="/reports/{id}/action""#)));
    assert!(
        !shown.body.contains(r#"value="close""#),
        "a decided report is not closed again"
    );

    // Then a case for the girl, from the same report.
    let r = post(
        &app,
        &cw,
        &format!("/reports/{id}/action"),
        &format!("csrf={csrf}&decision=open_case&given_name=Fatmata&family_name=Conteh&sex=female&estimated_age=14&location=D11&reason=Known+to+the+school"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some(format!("/reports/{id}?done=action").as_str())
    );
    // Then the hotline, by the analyst.
    let (an, an_csrf) = sign_in(&app, "analyst", PASSWORD).unwrap();
    let r = post(
        &app,
        &an,
        &format!("/reports/{id}/action"),
        &format!("csrf={an_csrf}&decision=hotline"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = page(&app, &an, &format!("/reports/{id}?done=action"));
    assert!(shown.body.contains("Action recorded"), "{}", shown.body);
    let actions = shown.body.split(r#"id="actions""#).nth(1).unwrap();
    let actions = actions.split("</ol>").next().unwrap();
    assert_eq!(actions.matches("<li>").count(), 3, "{actions}");
    for what in ["Refer to the police", "Open a case", "Send to the hotline"] {
        assert!(actions.contains(what), "{what}: {actions}");
    }
    assert!(shown.body.contains(r#"href="/cases/"#));
    assert!(shown.body.contains(r#"href="/hotline/"#));
    // Each is in the report's history.
    let history = shown.body.split(r#"class="history""#).last().unwrap();
    assert_eq!(history.matches("Further action").count(), 2, "{history}");

    // The API: the one-decision call answers as before; further actions have their own.
    let file = get(
        app.addr,
        &format!("/api/v1/reports/{id}"),
        Some(&app.tokens["cw1"]),
    )
    .json();
    assert_eq!(file["decision"], "police");
    assert_eq!(file["actions"].as_array().unwrap().len(), 3, "{file}");
    assert!(file["case_id"].is_string() && file["hotline_item_id"].is_string());
    let again = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/reports/{id}/decision"),
        &app.tokens["cw1"],
        &json!({"decision": "police", "reason": "Cyber unit"}),
    );
    assert_eq!(again.status, 409, "{}", again.body);
    let more = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/reports/{id}/actions"),
        &app.tokens["cw1"],
        &json!({"decision": "police", "reason": "Cyber unit"}),
    );
    assert_eq!(more.status, 201, "{}", more.body);
    assert_eq!(more.json()["report"]["actions"][3]["reason"], "Cyber unit");
    let second_case = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/reports/{id}/actions"),
        &app.tokens["cw1"],
        &json!({"decision": "open_case", "child_id": "whoever"}),
    );
    assert_eq!(second_case.status, 409, "{}", second_case.body);

    // Out of reach: another region's caseworker, a monitor. Nothing changes.
    let (cw2, cw2_csrf) = sign_in(&app, "cw2", PASSWORD).unwrap();
    let r = post(
        &app,
        &cw2,
        &format!("/reports/{id}/action"),
        &format!("csrf={cw2_csrf}&decision=police&reason=x"),
    );
    assert_eq!(r.status, 404, "{}", r.body);
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/reports/{id}/actions"),
        &app.tokens["monitor"],
        &json!({"decision": "police", "reason": "x"}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let file = get(
        app.addr,
        &format!("/api/v1/reports/{id}"),
        Some(&app.tokens["cw1"]),
    )
    .json();
    assert_eq!(file["actions"].as_array().unwrap().len(), 4);
}

/// Makes the browser's page `width` px wide, as a phone is (Chromium will
/// not shrink a window that far, so the page's metrics are set instead).
fn phone(d: &Driver, width: i64) {
    d.cmd(
        "POST",
        "/goog/cdp/execute",
        Some(&json!({"cmd": "Emulation.setDeviceMetricsOverride",
            "params": {"width": width, "height": 720, "deviceScaleFactor": 1, "mobile": true}})),
    );
}

/// Fails if the page scrolls sideways, naming what sticks out; then axe-core.
fn fits(d: &Driver, what: &str) {
    d.find("main");
    let overflow = d.execute(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
    );
    if overflow.as_i64().unwrap_or(0) > 1 {
        let wide = d.execute(
            "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')]
               .filter(e => e.getBoundingClientRect().right > w + 1)
               .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.id || '') + ' ' + Math.round(e.getBoundingClientRect().width));",
        );
        panic!("{what} scrolls sideways by {overflow}: {wide}");
    }
    axe_check(d, what);
}

#[test]
fn every_public_page_fits_a_320_and_a_360_px_phone_in_three_languages_in_chromium() {
    let Some(d) = Driver::start() else {
        return;
    };
    let app = spawn_app();
    let base = format!("http://{}", app.addr);
    for width in [320, 360] {
        phone(&d, width);
        d.go(&format!("{base}/report"));
        let w = d.execute("return document.documentElement.clientWidth;");
        assert_eq!(w.as_i64(), Some(width), "the page is {w} px wide");
        for lang in ["en", "fr", "es"] {
            let at = |page: &str| format!("{page} ({lang}) at {width} px");
            d.go(&format!("{base}/report?lang={lang}"));
            fits(&d, &at("the report form"));
            // A report in this language: the page with the code and PIN.
            d.click("#danger_now");
            d.click("#category-abuse_material_online");
            d.type_into(
                "#url",
                "bad.example/a-very-long-path/with/many/parts/that-goes-on-and-on",
            );
            d.type_into(
                "#description",
                "A girl of 13 is in danger at the market tonight",
            );
            d.click("#reporter-friend");
            d.click("button.big");
            d.find("#pin");
            fits(&d, &at("the code and PIN"));
            let (code, pin) = (d.text("#code"), d.text("#pin"));
            d.go(&format!("{base}/report/status?lang={lang}"));
            fits(&d, &at("the status form"));
            d.type_into("#code", &code);
            d.type_into("#pin", &pin);
            d.click("button.big");
            d.find("#status");
            fits(&d, &at("a report's status"));
            d.go(&format!("{base}/login?lang={lang}"));
            fits(&d, &at("the sign-in page"));
        }
    }
}
