//! Every page each role can reach, found by following the links a person
//! would follow from the start page: in English, French and Spanish with no
//! missing translation, and in headless Chromium (each kind of page in two
//! of the languages) at 360 px wide with no sideways scrolling and no
//! axe-core violation.

use crate::browser::{axe_check, sign_in as browser_sign_in, Driver};
use crate::http::{request, send_json};
use crate::pages::sign_in;
use crate::{App, PASSWORD};
use serde_json::{json, Value};
use std::collections::{BTreeSet, VecDeque};

/// The most pages followed per role: enough for every page kind, bounded.
const MAX_PAGES: usize = 45;

fn created(r: crate::http::Response) -> Value {
    assert!(
        r.status == 201 || r.status == 200,
        "{} {}",
        r.status,
        r.body
    );
    r.json()
}

/// A child, a case with a referral, a report on the hotline and a hash
/// list, so that every kind of page has something to show.
fn seed(app: &App) {
    let (a, cw1, admin, analyst) = (
        app.addr,
        app.tokens["cw1"].as_str(),
        app.tokens["admin"].as_str(),
        app.tokens["analyst"].as_str(),
    );
    let child = created(send_json(
        a,
        "POST",
        "/api/v1/children",
        cw1,
        &json!({"given_name": "Mariama", "family_name": "Bah", "sex": "female", "estimated_age": 11,
                "location": "D11", "birth_registration": "not_registered"}),
    ));
    let child_id = child["id"].as_str().unwrap();
    let case = created(send_json(
        a,
        "POST",
        &format!("/api/v1/children/{child_id}/cases"),
        cw1,
        &json!({}),
    ));
    let case_id = case["id"].as_str().unwrap();
    let service = created(send_json(
        a,
        "POST",
        "/api/v1/services",
        admin,
        &json!({"name": "District clinic", "provider": "Ministry of Health", "agency": "HEALTH",
                "sector": "health", "layers": ["secondary"], "coverage": "R1", "factors": []}),
    ));
    created(send_json(
        a,
        "POST",
        &format!("/api/v1/cases/{case_id}/consent"),
        cw1,
        &json!({"consent": "given", "child_views": "I want to go to school"}),
    ));
    created(send_json(
        a,
        "POST",
        &format!("/api/v1/cases/{case_id}/referrals"),
        cw1,
        &json!({"service_id": service["id"], "kind": "service", "reason": "needs a check-up"}),
    ));
    let report = request(
        a,
        "POST",
        "/api/v1/public/reports",
        &[("Content-Type", "application/json")],
        Some(
            json!({"category": "abuse_material_online", "description": "Pictures of a child",
                   "url": "https://bad.example/x", "reporter": "anonymous"})
            .to_string()
            .as_bytes(),
        ),
    );
    assert_eq!(report.status, 201, "{}", report.body);
    let danger = request(
        a,
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
    let queue = crate::http::get(a, "/api/v1/reports", Some(analyst)).json();
    let url_report = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["category"] == "abuse_material_online")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    created(send_json(
        a,
        "POST",
        &format!("/api/v1/reports/{url_report}/decision"),
        analyst,
        &json!({"decision": "hotline"}),
    ));
    created(send_json(
        a,
        "POST",
        "/api/v1/hashlists",
        analyst,
        &json!({"name": "national", "description": "confirmed"}),
    ));
    let expires = haven_domain::Date::from_unix(crate::conformance_now() + 30 * 86_400);
    created(send_json(
        a,
        "POST",
        "/api/v1/alerts",
        app.tokens["liaison"].as_str(),
        &json!({"family_names": "Marlow", "given_names": "Jonas", "nationalities": ["GB"],
                "documents": ["P-4471"], "offence": "Convicted in 2019 of sexual abuse of a child",
                "destination": "KHM", "issuing_authority": "National Police",
                "expires": expires.to_string()}),
    ));
    // A logframe with a measured result, and a readiness round with one
    // informant's scores, so that their pages and the radar are checked.
    let monitor = app.tokens["monitor"].as_str();
    let frame = created(send_json(
        a,
        "POST",
        "/api/v1/logframes",
        monitor,
        &json!({"title": "Prevention plan"}),
    ));
    let frame_id = frame["id"].as_str().unwrap();
    let impact = created(send_json(
        a,
        "POST",
        &format!("/api/v1/logframes/{frame_id}/results"),
        monitor,
        &json!({"level": "impact", "statement": "Fewer children are exploited"}),
    ));
    let outcome = created(send_json(
        a,
        "POST",
        &format!("/api/v1/logframes/{frame_id}/results"),
        monitor,
        &json!({"level": "outcome", "parent": impact["id"], "statement": "Children at risk are followed", "source": "Registry"}),
    ));
    let outcome_id = outcome["id"].as_str().unwrap();
    created(send_json(
        a,
        "POST",
        &format!("/api/v1/logframes/results/{outcome_id}/indicators"),
        monitor,
        &json!({"indicator": "children_registered"}),
    ));
    for (kind, value, date) in [
        ("baseline", 0.0, "2024-12-31"),
        ("target", 20.0, "2027-12-31"),
        ("milestone", 5.0, "2026-06-30"),
    ] {
        let r = send_json(
            a,
            "PUT",
            &format!(
                "/api/v1/logframes/results/{outcome_id}/indicators/children_registered/{kind}"
            ),
            monitor,
            &json!({"value": value, "date": date}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let round = created(send_json(
        a,
        "POST",
        "/api/v1/readiness/rounds",
        monitor,
        &json!({"name": "Baseline", "held_on": "2026-05-01"}),
    ));
    let scores: serde_json::Map<String, serde_json::Value> =
        haven_domain::readiness::Instrument::default_instrument()
            .unwrap()
            .items()
            .map(|it| (it.id.clone(), json!(1)))
            .collect();
    let r = send_json(
        a,
        "PUT",
        &format!(
            "/api/v1/readiness/rounds/{}/informants/KI-1",
            round["id"].as_str().unwrap()
        ),
        monitor,
        &json!({"scores": scores}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    received_figures(app);
}

/// Figures from a neighbouring country, as a pull would bring them (a
/// count, a percentage, a hidden one), so that the page shows its table.
fn received_figures(app: &App) {
    use haven_domain::exchange::{
        Bundle, Envelope, Item, NodeKey, StatisticItem, BUNDLE_FORMAT, GENESIS_HASH,
    };
    use haven_store::Store;
    let now = crate::conformance_now();
    let admin = app.store.actor_for_token(&app.tokens["admin"]).unwrap();
    let neighbour = NodeKey::from_seed(&[9; 32]);
    app.store
        .add_peer(
            &admin,
            &haven_store::NewPeer {
                name: "Neighbour".into(),
                public_key: neighbour.public_base64(),
                url: None,
                may_send: "stats".into(),
                publish: String::new(),
            },
            now,
        )
        .unwrap();
    let figure = |indicator: &str, period: &str, unit: &str, value: Option<&str>| {
        Item::Statistic(StatisticItem {
            indicator: indicator.into(),
            catalogue_version: 3,
            period: period.into(),
            location: "NB".into(),
            unit: unit.into(),
            value: value.map(Into::into),
            suppressed: value.is_none(),
            withdrawn: false,
        })
    };
    let bundle = Bundle::sign(
        Envelope {
            format: BUNDLE_FORMAT.into(),
            issuer: neighbour.fingerprint(),
            recipient: "this-node".into(),
            seq_from: 1,
            seq_to: 3,
            created: now,
            prev_bundle_hash: GENESIS_HASH.into(),
            items: vec![
                figure("children_registered", "2025", "count", Some("1250")),
                figure(
                    "assessed_high_or_critical",
                    "2026Q3",
                    "percent",
                    Some("12.5"),
                ),
                figure("children_assessed", "2026Q4", "count", None),
            ],
        },
        &neighbour,
    )
    .unwrap();
    app.store
        .import_bundle(&admin, &bundle.to_bytes().unwrap(), "this-node", now)
        .unwrap();
}

/// Whether a link leads to a page worth visiting: same site, not an
/// action, not a file, not the same page in another language.
fn followable(href: &str) -> bool {
    href.starts_with('/')
        && !href.starts_with("//")
        && !href.starts_with("/api/")
        && !href.starts_with("/static/")
        && !href.contains("lang=")
        && href != "/logout"
}

fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|h| h.replace("&amp;", "&"))
        .map(|h| h.split('#').next().unwrap_or("").to_string())
        .filter(|h| followable(h))
        .collect()
}

fn with_lang(path: &str, lang: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}lang={lang}")
}

/// The pages a role reaches from the start page, each checked over HTTP in
/// the three languages.
fn crawl(app: &App, role: &str) -> Vec<String> {
    let (cookie, _) = sign_in(app, role, PASSWORD).unwrap();
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([
        "/".to_string(),
        "/account".to_string(),
        "/no-such-page".to_string(),
    ]);
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        if pages.len() >= MAX_PAGES || !seen.insert(path.clone()) {
            continue;
        }
        let mut english = String::new();
        for lang in ["en", "fr", "es"] {
            let r = request(
                app.addr,
                "GET",
                &with_lang(&path, lang),
                &[("Cookie", &cookie)],
                None,
            );
            if path == "/no-such-page" {
                assert_eq!(r.status, 404);
            } else {
                assert_eq!(r.status, 200, "{role} {path} ({lang}): {}", r.body);
            }
            assert!(
                r.header("content-type")
                    .is_some_and(|c| c.starts_with("text/html")),
                "{role} {path}: not a page"
            );
            assert!(
                r.body.contains(&format!("<html lang=\"{lang}\"")),
                "{role} {path} is not in {lang}"
            );
            assert!(
                !r.body.contains('⟦'),
                "{role} {path} ({lang}) shows a missing translation: {}",
                r.body
                    .split('⟦')
                    .nth(1)
                    .and_then(|s| s.split('⟧').next())
                    .unwrap_or("")
            );
            if lang == "en" {
                english = r.body;
            } else if path != "/no-such-page" {
                // The page's own words are translated, not left in English.
                let main = |b: &str| {
                    b.split("<main")
                        .nth(1)
                        .and_then(|s| s.split("</main>").next())
                        .map(str::to_string)
                };
                assert!(
                    main(&english) != main(&r.body),
                    "{role} {path}: the page reads the same in {lang} as in English"
                );
            }
        }
        for link in links(&english) {
            if !seen.contains(&link) {
                queue.push_back(link);
            }
        }
        pages.push(path);
    }
    pages
}

#[test]
fn every_page_of_every_role_in_three_languages_and_at_360_px() {
    let app = crate::spawn_app();
    seed(&app);
    let mut all = BTreeSet::new();
    let mut by_role = Vec::new();
    for role in ["cw1", "sup1", "admin", "analyst", "monitor", "liaison"] {
        let pages = crawl(&app, role);
        assert!(pages.len() >= 3, "{role} reaches only {pages:?}");
        all.extend(pages.iter().cloned());
        by_role.push((role, pages));
    }
    // The crawl reached each kind of page (a page kind is its path without ids).
    for must in [
        "/children",
        "/cases",
        "/reports",
        "/referrals",
        "/services",
        "/hotline",
        "/lists",
        "/urls",
        "/match",
        "/account",
        "/instrument",
        "/alerts",
        "/alerts/new",
        "/exchange/figures",
    ] {
        assert!(
            all.iter().any(|p| p.split('?').next() == Some(must)),
            "no role reached {must}: {all:?}"
        );
    }
    assert!(all
        .iter()
        .any(|p| p.starts_with("/children/") && p.len() > 20));
    assert!(all.iter().any(|p| p.starts_with("/cases/")));
    assert!(all.iter().any(|p| p.starts_with("/reports/")));
    assert!(all
        .iter()
        .any(|p| p.starts_with("/alerts/") && p.len() > 20));

    let Some(d) = Driver::start() else {
        return;
    };
    let base = format!("http://{}", app.addr);
    d.cmd(
        "POST",
        "/window/rect",
        Some(&json!({"width": 360, "height": 740})),
    );
    d.go(&format!("{base}/report"));
    let width = d.execute("return document.documentElement.clientWidth;");
    assert!(
        width.as_i64().is_some_and(|w| w <= 360),
        "the page is {width} px wide, not a phone's 360"
    );
    for (role, pages) in by_role {
        browser_sign_in(&d, &base, role);
        // One kind of page once per role, in the three languages in turn.
        let mut kinds = BTreeSet::new();
        for (i, path) in pages.iter().enumerate() {
            let kind: String = path
                .split(['?', '/'])
                .map(|part| if part.len() > 16 { "ID" } else { part })
                .collect::<Vec<_>>()
                .join("/");
            if !kinds.insert(kind) {
                continue;
            }
            // Each kind of page in two languages: words differ in length,
            // and a page that fits in one may not in another.
            for lang in [["en", "fr", "es"][i % 3], ["en", "fr", "es"][(i + 1) % 3]] {
                d.go(&format!("{base}{}", with_lang(path, lang)));
                d.find("main");
                let overflow = d.execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            );
                if overflow.as_i64().unwrap_or(0) > 1 {
                    // Name the elements that stick out, to know what to fix.
                    let wide = d.execute(
                    "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('main *')]
                       .filter(e => e.getBoundingClientRect().right > w + 1)
                       .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.id || '') + ' ' + Math.round(e.getBoundingClientRect().width));",
                );
                    panic!(
                        "{role} {path} ({lang}) scrolls sideways at 360 px by {overflow}: {wide}"
                    );
                }
                axe_check(&d, &format!("{path} ({lang}) as {role}"));
            }
        }
    }
}
