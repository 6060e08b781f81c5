//! The hotline's staff pages (issue #11): an "illegal" assessment only as
//! a deliberate, confirmed act, categories and hosting countries from fixed
//! lists, notices and referrals with their recipient and reference, reported
//! addresses never as links, the hash import's preview, and the match
//! tester finding a mirrored copy of a listed image.

use crate::http::{get, request, send_json};
use crate::pages::{page, post, sign_in};
use crate::{spawn_app, App, PASSWORD};
use serde_json::json;
use std::path::PathBuf;

fn image(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/conformance/pdq/images")
            .join(name),
    )
    .unwrap()
}

/// A form value as a browser encodes it.
fn enc(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn form(csrf: &str, fields: &[(&str, &str)]) -> String {
    let mut s = format!("csrf={}", enc(csrf));
    for (k, v) in fields {
        s.push_str(&format!("&{k}={}", enc(v)));
    }
    s
}

fn new_item(app: &App, url: &str) -> String {
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/hotline/items",
        &app.tokens["analyst"],
        &json!({ "url": url }),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_string()
}

fn item(app: &App, id: &str) -> serde_json::Value {
    let r = get(
        app.addr,
        &format!("/api/v1/hotline/items/{id}"),
        Some(&app.tokens["analyst"]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// The `<select>` named `name` in a page.
fn select<'a>(body: &'a str, name: &str) -> &'a str {
    let start = body
        .find(&format!("<select id=\"{name}\""))
        .unwrap_or_else(|| panic!("no select {name}"));
    let end = body[start..].find("</select>").unwrap() + start;
    &body[start..end]
}

#[test]
fn illegal_is_never_preselected_and_must_be_confirmed() {
    let app = spawn_app();
    let id = new_item(&app, "http://bad.example.org/gallery/1");
    let (cookie, csrf) = sign_in(&app, "analyst", PASSWORD).unwrap();

    let r = page(&app, &cookie, &format!("/hotline/{id}"));
    assert_eq!(r.status, 200);
    for name in ["assessment", "category", "hosting_country"] {
        assert!(
            !select(&r.body, name).contains(" selected"),
            "{name}: nothing is chosen for the analyst"
        );
    }
    // The categories come from the hotline's list, in words.
    let categories = select(&r.body, "category");
    assert!(categories.contains("value=\"baseline\""));
    assert!(categories.contains("international baseline"));

    // "Illegal" without the confirmation: the same page, nothing recorded.
    let path = format!("/hotline/{id}/assessment");
    let illegal = [
        ("assessment", "illegal"),
        ("category", "baseline"),
        ("hosting_country", "NL"),
    ];
    let r = post(&app, &cookie, &path, &form(&csrf, &illegal));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"confirm_illegal-error\""));
    assert!(r.body.contains("tick the box to confirm"));
    assert!(
        select(&r.body, "assessment").contains("value=\"illegal\" selected"),
        "what was chosen is kept"
    );
    assert_eq!(item(&app, &id)["assessment"], serde_json::Value::Null);

    // A category or a country not on the lists is refused beside its field.
    for (field, value, error) in [
        ("category", "CSAM class A", "category-error"),
        ("hosting_country", "XX", "hosting_country-error"),
        ("hosting_country", "UK", "hosting_country-error"),
    ] {
        let mut fields = illegal.to_vec();
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value));
        fields.push(("confirm_illegal", "on"));
        let r = post(&app, &cookie, &path, &form(&csrf, &fields));
        assert_eq!(r.status, 422, "{field}={value}");
        assert!(
            r.body.contains(&format!("id=\"{error}\"")),
            "{field}={value}"
        );
    }
    assert_eq!(item(&app, &id)["assessment"], serde_json::Value::Null);

    let mut confirmed = illegal.to_vec();
    confirmed.push(("confirm_illegal", "on"));
    let r = post(&app, &cookie, &path, &form(&csrf, &confirmed));
    assert_eq!(r.status, 303, "{}", r.body);
    let i = item(&app, &id);
    assert_eq!(
        (&i["assessment"], &i["category"], &i["hosting_country"]),
        (&json!("illegal"), &json!("baseline"), &json!("NL"))
    );

    // The item in French and Spanish: the category and the country in words.
    let fr = page(&app, &cookie, &format!("/hotline/{id}?lang=fr"));
    assert!(fr.body.contains("Pays-Bas (NL)"), "{}", fr.body);
    assert!(fr.body.contains("socle international"));
    let es = page(&app, &cookie, &format!("/hotline/{id}?lang=es"));
    assert!(es.body.contains("Países Bajos (NL)"));
    assert!(es.body.contains("criterio internacional"));

    // The API takes only the hotline's categories too.
    let other = new_item(&app, "http://bad.example.org/gallery/2");
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/hotline/items/{other}/assessment"),
        &app.tokens["analyst"],
        &json!({"assessment": "illegal", "category": "CSAM class A"}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(item(&app, &other)["assessment"], serde_json::Value::Null);
}

#[test]
fn a_deployment_chooses_the_categories() {
    let app = crate::spawn_app_with(|st| {
        st.hotline_categories = vec!["national".into(), "grooming".into()];
    });
    let id = new_item(&app, "http://bad.example.org/gallery/3");
    let (cookie, csrf) = sign_in(&app, "analyst", PASSWORD).unwrap();
    let r = page(&app, &cookie, &format!("/hotline/{id}"));
    let categories = select(&r.body, "category");
    assert!(categories.contains("value=\"grooming\""));
    assert!(!categories.contains("value=\"baseline\""));
    let fields = [
        ("assessment", "illegal"),
        ("category", "baseline"),
        ("confirm_illegal", "on"),
    ];
    let r = post(
        &app,
        &cookie,
        &format!("/hotline/{id}/assessment"),
        &form(&csrf, &fields),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"category-error\""));
}

#[test]
fn notices_and_referrals_record_the_recipient_and_their_reference() {
    let app = spawn_app();
    let id = new_item(&app, "http://bad.example.org/gallery/4");
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/hotline/items/{id}/assessment"),
        &app.tokens["analyst"],
        &json!({"assessment": "illegal", "category": "baseline", "hosting_country": "NL"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let (cookie, csrf) = sign_in(&app, "analyst", PASSWORD).unwrap();

    // Without a recipient: the form again, nothing recorded.
    let path = format!("/hotline/{id}/action/notice_sent");
    let r = post(
        &app,
        &cookie,
        &path,
        &form(&csrf, &[("reference", "TKT-4411")]),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"notice_recipient-error\""));
    assert!(
        r.body.contains("value=\"TKT-4411\""),
        "the reference is kept"
    );
    assert_eq!(item(&app, &id)["notice_sent_at"], serde_json::Value::Null);

    let fields = [
        ("recipient", "Example Hosting abuse desk"),
        ("reference", "TKT-4411"),
    ];
    let r = post(&app, &cookie, &path, &form(&csrf, &fields));
    assert_eq!(r.status, 303, "{}", r.body);

    // The API records a referral the same way.
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/hotline/items/{id}/actions/law_enforcement"),
        &app.tokens["analyst"],
        &json!({"recipient": "National cybercrime unit", "reference": "CASE 2026/118"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let i = r.json();
    assert_eq!(i["notice_recipient"], "Example Hosting abuse desk");
    assert_eq!(i["notice_reference"], "TKT-4411");
    assert_eq!(i["law_enforcement_recipient"], "National cybercrime unit");
    assert_eq!(i["law_enforcement_reference"], "CASE 2026/118");

    // The item's history says to whom and under which number, in each language.
    let en = page(&app, &cookie, &format!("/hotline/{id}"));
    assert!(en.body.contains(
        "Notice-and-takedown sent to Example Hosting abuse desk, their reference TKT-4411."
    ));
    assert!(en
        .body
        .contains("Referred to National cybercrime unit, their case number CASE 2026/118."));
    let fr = page(&app, &cookie, &format!("/hotline/{id}?lang=fr"));
    assert!(fr.body.contains("Historique"));
    assert!(fr.body.contains("numéro de dossier : CASE 2026/118"));

    // A caseworker can do neither.
    let (cw, cw_csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let r = post(
        &app,
        &cw,
        &format!("/hotline/{id}/action/forwarded"),
        &form(&cw_csrf, &[("detail", "Somewhere")]),
    );
    assert_eq!(r.status, 403);
    assert_eq!(item(&app, &id)["forwarded_at"], serde_json::Value::Null);
}

/// Each `<a …>…</a>` of a page, whole.
fn links(body: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("<a ") {
        let end = rest[start..]
            .find("</a>")
            .map_or(rest.len(), |e| start + e + 4);
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

#[test]
fn reported_addresses_are_text_never_links() {
    let app = spawn_app();
    let url = "http://bad.example.org/never-a-link";
    let id = new_item(&app, url);
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/hotline/items/{id}/assessment"),
        &app.tokens["analyst"],
        &json!({"assessment": "illegal", "category": "baseline"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let (cookie, _) = sign_in(&app, "analyst", PASSWORD).unwrap();
    for path in [
        "/hotline".to_string(),
        format!("/hotline/{id}"),
        "/urls".into(),
    ] {
        let r = page(&app, &cookie, &path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.body.contains("bad.example.org/never-a-link"),
            "{path} shows the address"
        );
        for a in links(&r.body) {
            assert!(
                !a.contains("bad.example.org"),
                "{path}: the address is inside a link: {a}"
            );
            let href = a.split("href=\"").nth(1).unwrap_or("/");
            assert!(
                href.starts_with('/') || href.starts_with('#'),
                "{path}: {a}"
            );
        }
    }
}

const GOOD_PDQ: &str = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
const GOOD_MD5: &str = "0123456789abcdef0123456789abcdef";

fn new_list(app: &App, name: &str) -> String {
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/hashlists",
        &app.tokens["analyst"],
        &json!({"name": name, "description": "test"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_string()
}

fn entries(app: &App, list: &str) -> usize {
    let r = get(
        app.addr,
        &format!("/api/v1/hashlists/{list}/entries?limit=500"),
        Some(&app.tokens["analyst"]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["items"].as_array().unwrap().len()
}

#[test]
fn an_import_is_previewed_with_its_failed_lines_and_imports_the_good_ones_when_confirmed() {
    let app = spawn_app();
    let list = new_list(&app, "partner");
    let (cookie, csrf) = sign_in(&app, "analyst", PASSWORD).unwrap();
    let file = format!(
        "pdq,quality\n{GOOD_PDQ},100\nnot a hash\n{}\n{GOOD_MD5}\n{GOOD_PDQ},abc\n",
        "0".repeat(64)
    );
    let path = format!("/lists/{list}/import");
    let body = form(&csrf, &[("source", "partner file"), ("hashes", &file)]);
    for lang in ["", "?lang=fr"] {
        let r = post(&app, &cookie, &format!("{path}{lang}"), &body);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(entries(&app, &list), 0, "the preview writes nothing");
        assert!(r.body.contains("id=\"failed-lines\""));
        let failed = r.body.split("id=\"failed-lines\"").nth(1).unwrap();
        for line in [3, 4, 6] {
            assert!(failed.contains(&format!(">{line}</th>")), "line {line}");
        }
        assert!(!failed.contains(">2</th>") && !failed.contains(">5</th>"));
        if lang.is_empty() {
            assert!(failed.contains("Not a hash Haven can read"));
            assert!(failed.contains("too little detail"));
            assert!(failed.contains("a number from 0 to 100"));
            assert!(r.body.contains("Import the 2 lines that can be read"));
        } else {
            assert!(failed.contains("trop peu de détails"));
            assert!(r.body.contains("Importer les 2 lignes lisibles"));
        }
    }

    // The confirmation carries the same file and imports the good lines only.
    let r = post(&app, &cookie, &path, &format!("{body}&confirm=yes"));
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some(&*format!("/lists/{list}?added=2"))
    );
    assert_eq!(entries(&app, &list), 2);

    // A file with no good line cannot be confirmed.
    let bad = form(
        &csrf,
        &[
            ("source", "x"),
            ("hashes", "nope\nnada"),
            ("confirm", "yes"),
        ],
    );
    let r = post(&app, &cookie, &path, &bad);
    assert_eq!(r.status, 422);
    assert_eq!(entries(&app, &list), 2);

    // A caseworker cannot even preview.
    let (cw, cw_csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let r = post(
        &app,
        &cw,
        &path,
        &form(&cw_csrf, &[("source", "x"), ("hashes", GOOD_MD5)]),
    );
    assert_eq!(r.status, 403);
}

fn tester(app: &App, cookie: &str, csrf: &str, img: &[u8], lang: &str) -> crate::http::Response {
    let boundary = "hvnhotline11";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.jpg\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend_from_slice(img);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let ct = format!("multipart/form-data; boundary={boundary}");
    request(
        app.addr,
        "POST",
        &format!("/match{lang}"),
        &[("Cookie", cookie), ("Content-Type", &ct)],
        Some(&body),
    )
}

#[test]
fn the_match_tester_finds_a_mirrored_copy_and_names_category_and_list() {
    let app = spawn_app();
    let list = new_list(&app, "national confirmed");
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/hashlists/{list}/entries"),
        &app.tokens["analyst"],
        &json!({"pdq": GOOD_PDQ, "quality": 100, "source": "report 12", "category": "baseline"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let entry = r.json()["id"].as_str().unwrap().to_string();
    let (cookie, csrf) = sign_in(&app, "analyst", PASSWORD).unwrap();
    // The mirrored and the rotated image hash far from the listed one.
    for name in ["bridge-5-flipx.jpg", "bridge-2-rotate-90.jpg"] {
        let r = tester(&app, &cookie, &csrf, &image(name), "");
        assert_eq!(r.status, 200, "{}", r.body);
        let results = r.body.split("id=\"results\"").nth(1).unwrap();
        assert!(results.starts_with(" class=\"stack\""), "{name}: found");
        assert!(results.contains("national confirmed"), "the list by name");
        assert!(results.contains("report 12"), "the source");
        assert!(
            results.contains("international baseline"),
            "the category in words"
        );
        assert!(!r.body.contains(&entry), "no internal identifier");
    }
    let r = tester(
        &app,
        &cookie,
        &csrf,
        &image("bridge-5-flipx.jpg"),
        "?lang=es",
    );
    assert!(r.body.contains("criterio internacional"));
    assert!(r.body.contains("copias giradas o reflejadas"));
    // An unrelated image is not found.
    let r = tester(&app, &cookie, &csrf, &image("pen-and-coaster.png"), "");
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("national confirmed"));
}

fn assess_api(app: &App, id: &str, body: serde_json::Value) {
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/hotline/items/{id}/assessment"),
        &app.tokens["analyst"],
        &body,
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn the_list_filters_by_stage_category_and_country_and_pages() {
    let app = spawn_app();
    let in_brazil = new_item(&app, "http://hosted.example.br/a");
    assess_api(
        &app,
        &in_brazil,
        json!({"assessment": "illegal", "category": "baseline", "hosting_country": "BR"}),
    );
    let not_illegal = new_item(&app, "http://fine.example.org/b");
    assess_api(&app, &not_illegal, json!({"assessment": "not_illegal"}));
    for n in 0..30 {
        new_item(&app, &format!("http://queue.example.org/{n}"));
    }
    let (cookie, _) = sign_in(&app, "analyst", PASSWORD).unwrap();

    // By default: what still needs work, 25 a page, with a way on.
    let first = page(&app, &cookie, "/hotline").body;
    assert!(!first.contains("fine.example.org/b"), "not illegal is done");
    assert_eq!(first.matches("href=\"/hotline/").count(), 25);
    assert!(
        first.contains("href=\"/hotline?cursor=25\" rel=\"next\""),
        "{first}"
    );
    let second = page(&app, &cookie, "/hotline?cursor=25").body;
    assert_eq!(second.matches("href=\"/hotline/").count(), 31 - 25);
    assert!(second.contains("rel=\"prev\""));

    let brazil = page(&app, &cookie, "/hotline?country=BR").body;
    assert!(brazil.contains("hosted.example.br/a"));
    assert_eq!(brazil.matches("href=\"/hotline/").count(), 1);
    assert!(select(&brazil, "country").contains("<option value=\"BR\" selected"));

    let send = page(
        &app,
        &cookie,
        "/hotline?stage=send_notice&category=baseline",
    )
    .body;
    assert!(send.contains("hosted.example.br/a"));
    assert_eq!(send.matches("href=\"/hotline/").count(), 1);
    let done = page(&app, &cookie, "/hotline?stage=not_illegal").body;
    assert!(done.contains("fine.example.org/b") && !done.contains("hosted.example.br"));
    let all = page(&app, &cookie, "/hotline?stage=all&cursor=25").body;
    assert_eq!(all.matches("href=\"/hotline/").count(), 32 - 25);

    // The same in the API, with its cursor.
    let r = get(
        app.addr,
        "/api/v1/hotline/items?stage=to_assess&limit=20",
        Some(&app.tokens["analyst"]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 20);
    assert_eq!(r.json()["next"], "20");
    for bad in ["stage=gone", "country=XX", "colour=red", "limit="] {
        let r = get(
            app.addr,
            &format!("/api/v1/hotline/items?{bad}"),
            Some(&app.tokens["analyst"]),
        );
        assert!(r.status == 400 || r.status == 422, "{bad}: {}", r.status);
        assert!(r.json()["error"]["message"].is_string());
        let p = page(&app, &cookie, &format!("/hotline?{bad}"));
        assert!(p.status == 400 || p.status == 422, "{bad}");
    }
    // Given empty, a typed filter is a mistake to the API, and "any" on the
    // page, whose form sends an unchosen select empty.
    for empty in ["stage=", "all=", "stage=&all=true"] {
        let r = get(
            app.addr,
            &format!("/api/v1/hotline/items?{empty}"),
            Some(&app.tokens["analyst"]),
        );
        assert_eq!(r.status, 422, "{empty}: {}", r.body);
    }
    assert_eq!(page(&app, &cookie, "/hotline?stage=").status, 200);
    // Not for a caseworker, filtered or not.
    let r = get(
        app.addr,
        "/api/v1/hotline/items?country=BR",
        Some(&app.tokens["cw1"]),
    );
    assert_eq!(r.status, 403);
}
