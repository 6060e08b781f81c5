//! Logframes and the WHO readiness assessment (issue #12): the API and the
//! pages per role, refused forms keeping what was typed, progress against
//! milestones computed now, and a readiness round's results checked by
//! hand with its radar chart and table.

use crate::http::{get, request, send_json};
use crate::pages::{page, post, sign_in};
use crate::{spawn_app, App, PASSWORD};
use haven_domain::readiness::Instrument;
use haven_domain::Date;
use haven_store::conformance::child;
use haven_store::Store;
use serde_json::json;

fn at(day: &str) -> i64 {
    Date::parse(day).unwrap().days_since_epoch() * 86_400
}

/// Ten children registered in 2025, the last complete year on the tests'
/// clock (28 November 2026): enough to be shown, not hidden.
fn seeded() -> App {
    let app = spawn_app();
    let cw1 = app.store.actor_for_token(&app.tokens["cw1"]).unwrap();
    for i in 0..10 {
        let c = child(&format!("Aminata{i}"), "Kamara", "2015-02-02", "D11");
        app.store.create_child(&cw1, &c, at("2025-03-01")).unwrap();
    }
    app
}

fn location(r: &crate::http::Response) -> String {
    r.header("location").unwrap_or_default().to_string()
}

fn logframe_count(app: &App) -> usize {
    let r = get(app.addr, "/api/v1/logframes", Some(&app.tokens["monitor"]));
    r.json()["items"].as_array().unwrap().len()
}

#[test]
fn logframe_api_keeps_the_chain_and_computes_progress_now_for_those_allowed() {
    let app = seeded();
    let t = |w: &str| app.tokens[w].clone();
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/logframes",
        &t("monitor"),
        &json!({"title": "Prevention programme 2025-2027"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let add = |body: serde_json::Value| {
        let r = send_json(
            app.addr,
            "POST",
            &format!("/api/v1/logframes/{id}/results"),
            &t("monitor"),
            &body,
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_string()
    };
    let impact =
        add(json!({"level": "impact", "statement": "Fewer children are sold or exploited"}));
    let outcome = add(
        json!({"level": "outcome", "parent": impact, "statement": "Children at risk are known and followed", "responsible": "Ministry"}),
    );
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/logframes/results/{outcome}/indicators"),
        &t("monitor"),
        &json!({"indicator": "children_registered"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    for (kind, value, date) in [
        ("baseline", 0.0, "2024-12-31"),
        ("target", 20.0, "2027-12-31"),
        ("milestone", 8.0, "2026-06-30"),
    ] {
        let r = send_json(
            app.addr,
            "PUT",
            &format!("/api/v1/logframes/results/{outcome}/indicators/children_registered/{kind}"),
            &t("monitor"),
            &json!({"value": value, "date": date}),
        );
        assert_eq!(r.status, 200, "{kind}: {}", r.body);
    }
    // Ten children in 2025, half the way from 0 to 20, past the milestone of 8.
    let r = get(
        app.addr,
        &format!("/api/v1/logframes/{id}"),
        Some(&t("sup1")),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    let linked = &v["results"][1]["indicators"][0];
    assert_eq!(linked["current"]["value"], json!(10), "{v}");
    assert_eq!(linked["current"]["year"], json!(2025));
    assert_eq!(linked["progress"], json!(0.5), "{v}");
    assert_eq!(linked["track"], json!("on_track"), "{v}");

    // A refusal reads in words, not as a key.
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/logframes",
        &t("admin"),
        &json!({"title": "  "}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Write a title for the logframe."),
        "{}",
        r.body
    );
    assert!(!r.body.contains("logframes-error"), "{}", r.body);
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/logframes/{id}/results"),
        &t("monitor"),
        &json!({"level": "output", "parent": impact, "statement": "Training"}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("one level above"), "{}", r.body);

    // Supervisors read but do not change; others neither read nor change.
    let before = logframe_count(&app);
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/logframes",
        &t("sup1"),
        &json!({"title": "Mine"}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    for who in ["cw1", "analyst"] {
        assert_eq!(
            get(app.addr, "/api/v1/logframes", Some(&t(who))).status,
            403,
            "{who}"
        );
        assert_eq!(
            get(app.addr, &format!("/api/v1/logframes/{id}"), Some(&t(who))).status,
            403,
            "{who}"
        );
        let r = send_json(
            app.addr,
            "POST",
            "/api/v1/logframes",
            &t(who),
            &json!({"title": "Mine"}),
        );
        assert_eq!(r.status, 403, "{who}: {}", r.body);
        let r = send_json(
            app.addr,
            "PUT",
            &format!("/api/v1/logframes/results/{outcome}/indicators/children_registered/target"),
            &t(who),
            &json!({"value": 99.0, "date": "2027-12-31"}),
        );
        assert_eq!(r.status, 403, "{who}: {}", r.body);
    }
    assert_eq!(logframe_count(&app), before);
    let v = get(
        app.addr,
        &format!("/api/v1/logframes/{id}"),
        Some(&t("monitor")),
    )
    .json();
    assert_eq!(
        v["results"][1]["indicators"][0]["target"]["value"],
        json!(20.0)
    );
}

#[test]
fn logframe_pages_show_the_chain_with_progress_and_refused_forms_keep_what_was_typed() {
    let app = seeded();
    let (cookie, csrf) = sign_in(&app, "monitor", PASSWORD).unwrap();
    // Reached from the menu and from the indicators page.
    let home = page(&app, &cookie, "/");
    assert!(home.body.contains("href=\"/logframes\""), "{}", home.body);
    let ind = page(&app, &cookie, "/indicators");
    assert!(ind.body.contains("href=\"/logframes\""), "{}", ind.body);
    let list = page(&app, &cookie, "/logframes");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("There is no logframe yet."));

    // A title too long: 422, the same page, the title kept, the error beside it.
    let long = "T".repeat(201);
    let r = post(
        &app,
        &cookie,
        "/logframes",
        &format!("csrf={csrf}&title={long}"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("Keep the title to 200 characters or fewer."),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("value=\"{long}\"")), "{}", r.body);
    assert!(r.body.contains("aria-invalid=\"true\""));
    assert_eq!(logframe_count(&app), 0);

    let r = post(
        &app,
        &cookie,
        "/logframes",
        &format!("csrf={csrf}&title=Prevention+plan"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let href = location(&r);
    assert!(href.starts_with("/logframes/"), "{href}");
    let id = href.trim_start_matches("/logframes/").to_string();

    let r = post(
        &app,
        &cookie,
        &format!("{href}/results"),
        &format!("csrf={csrf}&level=impact&parent=&statement=Fewer+children+are+exploited"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let frame = get(
        app.addr,
        &format!("/api/v1/logframes/{id}"),
        Some(&app.tokens["monitor"]),
    )
    .json();
    let impact = frame["results"][0]["id"].as_str().unwrap().to_string();
    // An outcome without its parent: refused beside "belongs to", the statement kept.
    let r = post(&app, &cookie, &format!("{href}/results"), &format!("csrf={csrf}&level=outcome&parent=&statement=Children+at+risk+are+followed&source=Registry"));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Choose the result this one belongs to."),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(">Children at risk are followed</textarea>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"Registry\""), "{}", r.body);
    let r = post(&app, &cookie, &format!("{href}/results"), &format!("csrf={csrf}&level=outcome&parent={impact}&statement=Children+at+risk+are+followed&source=Registry"));
    assert_eq!(r.status, 303, "{}", r.body);
    let frame = get(
        app.addr,
        &format!("/api/v1/logframes/{id}"),
        Some(&app.tokens["monitor"]),
    )
    .json();
    let outcome = frame["results"][1]["id"].as_str().unwrap().to_string();

    let r = post(
        &app,
        &cookie,
        &format!("{href}/indicators"),
        &format!("csrf={csrf}&link_result={outcome}&link_indicator=made_up"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Choose an indicator from the list."),
        "{}",
        r.body
    );
    let r = post(
        &app,
        &cookie,
        &format!("{href}/indicators"),
        &format!("csrf={csrf}&link_result={outcome}&link_indicator=children_registered"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let link = format!("{outcome}%2Fchildren_registered");
    // A value that is not a number: refused beside it, what was typed kept.
    let r = post(
        &app,
        &cookie,
        &format!("{href}/marks"),
        &format!("csrf={csrf}&mark_link={link}&kind=target&value=lots&date=2027-12-31"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Write a number, for example 12 or 12.5."),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"lots\""), "{}", r.body);
    assert!(r.body.contains("value=\"2027-12-31\""), "{}", r.body);
    for (kind, value, date) in [
        ("baseline", "0", "2024-12-31"),
        ("target", "20", "2027-12-31"),
        ("milestone", "12", "2026-09-30"),
    ] {
        let r = post(
            &app,
            &cookie,
            &format!("{href}/marks"),
            &format!("csrf={csrf}&mark_link={link}&kind={kind}&value={value}&date={date}"),
        );
        assert_eq!(r.status, 303, "{kind}: {}", r.body);
    }

    // The chain, nested; progress in words and as a bar; behind the milestone of 12.
    for (who, edits) in [("monitor", true), ("admin", true), ("sup1", false)] {
        let (c, k) = sign_in(&app, who, PASSWORD).unwrap();
        let p = page(&app, &c, &href);
        assert_eq!(p.status, 200, "{who}: {}", p.body);
        let b = &p.body;
        assert!(!b.contains('⟦'), "{b}");
        let imp = b.find("level-impact").unwrap();
        let out = b.find("level-outcome").unwrap();
        assert!(imp < out, "{b}");
        assert!(b[imp..out].contains("<h3"), "{b}");
        assert!(b[out..].contains("<h4"), "{b}");
        assert!(b.contains("Children registered"), "{b}");
        assert!(b.contains("50% of the way from baseline to target"), "{b}");
        assert!(b.contains("class=\"progress-bar\""), "{b}");
        assert!(b.contains("width=\"50\""), "{b}");
        assert!(b.contains("✗ Behind the milestone"), "{b}");
        assert!(b.contains("<th scope=\"col\">"), "{b}");
        assert!(b.contains("class=\"stack logframe-indicators\""), "{b}");
        assert_eq!(b.contains("Add a result"), edits, "{who}");
        if who == "sup1" {
            assert!(p.body.contains("href=\"/logframes\""));
            let r = post(&app, &c, "/logframes", &format!("csrf={k}&title=Mine"));
            assert_eq!(r.status, 403, "{}", r.body);
        }
    }
    let fr = page(&app, &cookie, &format!("{href}?lang=fr"));
    assert!(fr.body.contains("En retard sur le jalon"), "{}", fr.body);

    // Others are refused and nothing changes.
    for who in ["cw1", "analyst"] {
        let (c, k) = sign_in(&app, who, PASSWORD).unwrap();
        assert_eq!(page(&app, &c, "/logframes").status, 403, "{who}");
        assert_eq!(page(&app, &c, &href).status, 403, "{who}");
        let r = post(&app, &c, "/logframes", &format!("csrf={k}&title=Mine"));
        assert_eq!(r.status, 403, "{who}");
        let r = post(
            &app,
            &c,
            &format!("{href}/marks"),
            &format!("csrf={k}&mark_link={link}&kind=target&value=99&date=2027-12-31"),
        );
        assert_eq!(r.status, 403, "{who}");
        assert!(
            !page(&app, &c, "/").body.contains("href=\"/logframes\""),
            "{who}"
        );
    }
    assert_eq!(logframe_count(&app), 1);
    let frame = get(
        app.addr,
        &format!("/api/v1/logframes/{id}"),
        Some(&app.tokens["monitor"]),
    )
    .json();
    assert_eq!(
        frame["results"][1]["indicators"][0]["target"]["value"],
        json!(20.0)
    );
}

fn all_items(f: impl Fn(u8) -> u8) -> serde_json::Value {
    let inst = Instrument::default_instrument().unwrap();
    let m: serde_json::Map<String, serde_json::Value> = inst
        .items()
        .map(|it| (it.id.clone(), json!(f(it.max))))
        .collect();
    json!({ "scores": m })
}

fn close(v: &serde_json::Value, want: f64) {
    let got = v.as_f64().unwrap_or(f64::NAN);
    assert!((got - want).abs() < 1e-6, "{got} != {want}");
}

#[test]
fn readiness_api_gives_each_dimension_out_of_ten_the_total_the_mean_and_the_change() {
    let app = spawn_app();
    let t = |w: &str| app.tokens[w].clone();
    let round = |name: &str, day: &str| {
        let r = send_json(
            app.addr,
            "POST",
            "/api/v1/readiness/rounds",
            &t("monitor"),
            &json!({"name": name, "held_on": day}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_string()
    };
    let first = round("Baseline 2025", "2025-05-01");
    let put = |round: &str, who: &str, body: &serde_json::Value| {
        send_json(
            app.addr,
            "PUT",
            &format!("/api/v1/readiness/rounds/{round}/informants/{who}"),
            &t("monitor"),
            body,
        )
    };
    // One informant scores 1 everywhere, the other the maximum everywhere.
    assert_eq!(put(&first, "KI-1", &all_items(|_| 1)).status, 200);
    let r = put(&first, "KI-2", &all_items(|max| max));
    assert_eq!(r.status, 200, "{}", r.body);
    close(&r.json()["results"]["total"], 100.0);

    let v = get(
        app.addr,
        &format!("/api/v1/readiness/rounds/{first}"),
        Some(&t("admin")),
    )
    .json();
    assert_eq!(v["informants"], json!(2), "{v}");
    let dims = &v["results"]["dimensions"];
    // Attitudes: (8 + 16) / 2 = 12 of 16 → 7.5; knowledge: (9 + 17) / 2 = 13 of 17.
    assert_eq!(dims[0]["id"], json!("attitudes"));
    close(&dims[0]["raw"], 12.0);
    close(&dims[0]["score"], 7.5);
    close(&dims[1]["score"], 130.0 / 17.0);
    // Total: (90 + 177) / 2 = 133.5 of 177.
    close(&v["results"]["total"], 133.5 / 177.0 * 100.0);
    assert!(v["change"].is_null(), "{v}");

    let second = round("Follow-up 2026", "2026-05-01");
    assert_eq!(put(&second, "KI-1", &all_items(|max| max)).status, 200);
    let v = get(
        app.addr,
        &format!("/api/v1/readiness/rounds/{second}"),
        Some(&t("monitor")),
    )
    .json();
    assert_eq!(v["previous"]["id"], json!(first), "{v}");
    close(&v["change"]["total"], 100.0 - 133.5 / 177.0 * 100.0);
    assert_eq!(v["change"]["dimensions"][0]["id"], json!("attitudes"));
    close(&v["change"]["dimensions"][0]["change"], 2.5);

    // Scores out of range, in words beside the item.
    let mut bad = all_items(|_| 1);
    bad["scores"]["attitudes_1"] = json!(3);
    let r = put(&second, "KI-2", &bad);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("attitudes_1: Score this item 0, 1 or 2."),
        "{}",
        r.body
    );

    // Listed, and in the OpenAPI document.
    let list = get(app.addr, "/api/v1/readiness/rounds", Some(&t("monitor"))).json();
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let doc = get(app.addr, "/api/openapi.json", None);
    assert!(
        doc.body
            .contains("/api/v1/readiness/rounds/{id}/informants/{informant}"),
        "not documented"
    );

    // Nobody else reads or changes it; nothing changes when refused.
    for who in ["sup1", "cw1", "analyst"] {
        assert_eq!(
            get(app.addr, "/api/v1/readiness/rounds", Some(&t(who))).status,
            403,
            "{who}"
        );
        assert_eq!(
            get(
                app.addr,
                &format!("/api/v1/readiness/rounds/{first}"),
                Some(&t(who))
            )
            .status,
            403,
            "{who}"
        );
        let r = send_json(
            app.addr,
            "POST",
            "/api/v1/readiness/rounds",
            &t(who),
            &json!({"name": "X", "held_on": "2026-01-01"}),
        );
        assert_eq!(r.status, 403, "{who}");
        let r = send_json(
            app.addr,
            "PUT",
            &format!("/api/v1/readiness/rounds/{second}/informants/KI-9"),
            &t(who),
            &all_items(|_| 0),
        );
        assert_eq!(r.status, 403, "{who}");
    }
    let v = get(
        app.addr,
        &format!("/api/v1/readiness/rounds/{second}"),
        Some(&t("monitor")),
    )
    .json();
    assert_eq!(v["informants"], json!(1), "{v}");
    assert_eq!(
        get(app.addr, "/api/v1/readiness/rounds", Some(&t("monitor"))).json()["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

/// The entry form's body: every item scored by `f`, one left out if asked.
fn form_body(csrf: &str, informant: &str, f: impl Fn(u8) -> u8, leave_out: Option<&str>) -> String {
    let inst = Instrument::default_instrument().unwrap();
    let mut b = format!("csrf={csrf}&informant={informant}");
    for it in inst.items() {
        if Some(it.id.as_str()) != leave_out {
            b.push_str(&format!("&{}={}", it.id, f(it.max)));
        }
    }
    b
}

#[test]
fn readiness_pages_enter_an_informant_and_show_the_radar_with_its_table() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "monitor", PASSWORD).unwrap();
    let home = page(&app, &cookie, "/");
    assert!(home.body.contains("href=\"/readiness\""), "{}", home.body);
    let list = page(&app, &cookie, "/readiness");
    assert_eq!(list.status, 200, "{}", list.body);

    // A round without a name: refused beside it, the date kept.
    let r = post(
        &app,
        &cookie,
        "/readiness",
        &format!("csrf={csrf}&name=&held_on=2026-05-01"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Give the round a name"), "{}", r.body);
    assert!(r.body.contains("value=\"2026-05-01\""), "{}", r.body);
    let r = post(
        &app,
        &cookie,
        "/readiness",
        &format!("csrf={csrf}&name=Baseline+2026&held_on=2026-05-01"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let href = location(&r);
    let round = page(&app, &cookie, &href);
    assert_eq!(round.status, 200, "{}", round.body);
    assert!(
        round.body.contains(&format!("href=\"{href}/informant\"")),
        "{}",
        round.body
    );

    let form = page(&app, &cookie, &format!("{href}/informant"));
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form
        .body
        .contains("Attitudes towards child maltreatment prevention"));
    assert!(form.body.contains("name=\"knowledge_9\" value=\"1\""));
    assert!(
        !form.body.contains("name=\"knowledge_9\" value=\"2\""),
        "an item scored 0-1"
    );

    // One item left out: 422, the error beside it, every other choice kept.
    let r = post(
        &app,
        &cookie,
        &format!("{href}/informant"),
        &form_body(&csrf, "KI-1", |_| 1, Some("will_3")),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"will_3-error\""), "{}", r.body);
    assert!(r.body.contains("Give a score for this item."), "{}", r.body);
    assert!(
        r.body
            .contains("id=\"attitudes_2-1\" name=\"attitudes_2\" value=\"1\" checked"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"KI-1\""), "{}", r.body);
    let r = post(
        &app,
        &cookie,
        &format!("{href}/informant"),
        &form_body(&csrf, "KI-1", |_| 1, None),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(location(&r), href);

    // Scores 1 everywhere: attitudes 8 of 16 = 5.0; total 90 of 177 = 50.8.
    let p = page(&app, &cookie, &href);
    let b = &p.body;
    assert!(!b.contains('⟦'), "{b}");
    assert!(b.contains("<b>50.8</b>"), "{b}");
    assert!(b.contains("class=\"radar\""), "{b}");
    assert!(b.contains("aria-describedby=\"readiness-table\""), "{b}");
    assert!(
        b.contains("<table class=\"stack readiness-results\" id=\"readiness-table\">"),
        "{b}"
    );
    let row = &b[b.find("1. Attitudes towards").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("8.0 of 16") && row.contains(">5.0<"), "{row}");
    assert!(!b.contains("<script"), "{b}");

    // A later round shows the change.
    let r = post(
        &app,
        &cookie,
        "/readiness",
        &format!("csrf={csrf}&name=Follow-up&held_on=2026-10-01"),
    );
    let later = location(&r);
    let r = post(
        &app,
        &cookie,
        &format!("{later}/informant"),
        &form_body(&csrf, "KI-1", |m| m, None),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let p = page(&app, &cookie, &later);
    assert!(p.body.contains("+49.2 points in total."), "{}", p.body);
    assert!(p.body.contains("class=\"area-before\""), "{}", p.body);
    assert!(
        p.body.contains("Change since the round before"),
        "{}",
        p.body
    );
    let fr = page(&app, &cookie, &format!("{later}?lang=fr"));
    assert!(fr.body.contains("Note sur 10"), "{}", fr.body);

    // Supervisors and the others are refused, and nothing is saved.
    for who in ["sup1", "cw1", "analyst"] {
        let (c, k) = sign_in(&app, who, PASSWORD).unwrap();
        assert_eq!(page(&app, &c, "/readiness").status, 403, "{who}");
        assert_eq!(page(&app, &c, &href).status, 403, "{who}");
        let r = post(
            &app,
            &c,
            &format!("{href}/informant"),
            &form_body(&k, "KI-9", |_| 0, None),
        );
        assert_eq!(r.status, 403, "{who}");
        assert!(
            !page(&app, &c, "/").body.contains("href=\"/readiness\""),
            "{who}"
        );
    }
    let v = get(
        app.addr,
        &format!(
            "/api/v1/readiness/rounds/{}",
            href.trim_start_matches("/readiness/")
        ),
        Some(&app.tokens["monitor"]),
    )
    .json();
    assert_eq!(v["informants"], json!(1), "{v}");
}

#[test]
fn a_monitoring_officer_puts_a_logframe_right_by_changing_removing_and_unlinking() {
    let app = seeded();
    let monitor = &app.tokens["monitor"];
    let api = |method: &str, path: &str, body: Option<serde_json::Value>, token: &str| match body {
        Some(b) => send_json(app.addr, method, path, token, &b),
        None => request(
            app.addr,
            method,
            path,
            &[("Authorization", &format!("Bearer {token}"))],
            None,
        ),
    };
    let r = api(
        "POST",
        "/api/v1/logframes",
        Some(json!({"title": "Plan"})),
        monitor,
    );
    let id = r.json()["id"].as_str().unwrap().to_string();
    let add = |body: serde_json::Value| {
        let r = api(
            "POST",
            &format!("/api/v1/logframes/{id}/results"),
            Some(body),
            monitor,
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_string()
    };
    let impact = add(json!({"level": "impact", "statement": "Fewer children exploited"}));
    let outcome = add(
        json!({"level": "outcome", "parent": impact, "statement": "Childen registred", "source": "Registy"}),
    );
    let r = api(
        "POST",
        &format!("/api/v1/logframes/results/{outcome}/indicators"),
        Some(json!({"indicator": "children_registered"})),
        monitor,
    );
    assert_eq!(r.status, 201, "{}", r.body);

    // The page: a change link and a remove button on each result, an
    // unlink button on each indicator, for those who keep logframes only.
    let href = format!("/logframes/{id}");
    let (cookie, csrf) = sign_in(&app, "monitor", PASSWORD).unwrap();
    let p = page(&app, &cookie, &href);
    let edit = format!("{href}/results/{outcome}/edit");
    assert!(p.body.contains(&format!("href=\"{edit}\"")), "{}", p.body);
    assert!(p.body.contains(&format!("{href}/results/{outcome}/remove")));
    let unlink = format!("{href}/results/{outcome}/indicators/children_registered/unlink");
    assert!(p.body.contains(&unlink), "{}", p.body);
    let (sup, sup_csrf) = sign_in(&app, "sup1", PASSWORD).unwrap();
    let seen = page(&app, &sup, &href);
    assert!(!seen.body.contains(&edit) && !seen.body.contains(&unlink));
    assert_eq!(page(&app, &sup, &edit).status, 403);
    assert_eq!(
        post(
            &app,
            &sup,
            &edit,
            &format!("csrf={sup_csrf}&statement=Mine")
        )
        .status,
        403
    );
    assert_eq!(
        post(&app, &sup, &unlink, &format!("csrf={sup_csrf}")).status,
        403
    );

    // The change form starts from the stored words; a blank statement
    // comes back 422 with what was typed kept.
    let form = page(&app, &cookie, &edit);
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.body.contains(">Childen registred</textarea>"),
        "{}",
        form.body
    );
    assert!(form.body.contains("value=\"Registy\""), "{}", form.body);
    let r = post(
        &app,
        &cookie,
        &edit,
        &format!("csrf={csrf}&statement=+&source=Civil+registry"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"Civil registry\""), "{}", r.body);
    assert!(r.body.contains("aria-invalid=\"true\""), "{}", r.body);
    let r = post(
        &app,
        &cookie,
        &edit,
        &format!("csrf={csrf}&statement=Children+registered&source=Civil+registry"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(location(&r), format!("{href}#result-{outcome}"));
    let fr = page(&app, &cookie, &format!("{edit}?lang=fr"));
    assert!(fr.body.contains("Modifier un résultat"), "{}", fr.body);

    // The impact has the outcome under it: removing it is refused.
    let r = post(
        &app,
        &cookie,
        &format!("{href}/results/{impact}/remove"),
        &format!("csrf={csrf}"),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    let r = post(&app, &cookie, &unlink, &format!("csrf={csrf}"));
    assert_eq!(r.status, 303, "{}", r.body);
    let frame = api("GET", &format!("/api/v1/logframes/{id}"), None, monitor).json();
    assert_eq!(frame["results"][1]["statement"], "Children registered");
    assert_eq!(frame["results"][1]["source"], "Civil registry");
    assert_eq!(frame["results"][1]["indicators"], json!([]));

    // The API does the same; a supervisor's token is refused.
    let words = json!({"statement": "Births registered", "risks": "Registry offline"});
    let path = format!("/api/v1/logframes/results/{outcome}");
    assert_eq!(
        api("PUT", &path, Some(words.clone()), &app.tokens["sup1"]).status,
        403
    );
    let r = api("PUT", &path, Some(json!({"statement": " "})), monitor);
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"][0]["field"],
        "statement",
        "{}",
        r.body
    );
    assert_eq!(api("PUT", &path, Some(words), monitor).status, 204);
    assert_eq!(
        api(
            "DELETE",
            &format!("/api/v1/logframes/results/{impact}"),
            None,
            monitor
        )
        .status,
        409
    );
    assert_eq!(
        api(
            "DELETE",
            &format!("{path}/indicators/children_registered"),
            None,
            monitor
        )
        .status,
        404,
        "unlinked already"
    );
    assert_eq!(api("DELETE", &path, None, &app.tokens["sup1"]).status, 403);
    assert_eq!(api("DELETE", &path, None, monitor).status, 204);
    let frame = api("GET", &format!("/api/v1/logframes/{id}"), None, monitor).json();
    assert_eq!(frame["results"].as_array().unwrap().len(), 1);
    assert_eq!(api("DELETE", &path, None, monitor).status, 404);
}

/// The shipped questionnaire as a version 2 whose first question is worded
/// in French and Spanish.
fn worded_version() -> serde_json::Value {
    let mut v = serde_json::to_value(Instrument::default_instrument().unwrap()).unwrap();
    v["version"] = json!(2);
    v["dimensions"][0]["items"][0]["text"] = json!({
        "fr": "Le public voit-il la maltraitance comme un problème qu’on peut prévenir ?",
        "es": "¿Ve el público el maltrato como un problema que se puede prevenir?"
    });
    v
}

#[test]
fn a_worded_version_of_the_questionnaire_is_followed_by_new_rounds_and_old_rounds_keep_theirs() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "monitor", PASSWORD).unwrap();
    let r = post(
        &app,
        &cookie,
        "/readiness",
        &format!("csrf={csrf}&name=Baseline&held_on=2026-01-10"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let old = location(&r);

    // The page lists the shipped version and offers it, numbered 2, to change.
    let list = page(&app, &cookie, "/readiness");
    assert!(list.body.contains("id=\"versions\""), "{}", list.body);
    assert!(list.body.contains("Question numbers only"), "{}", list.body);
    assert!(list.body.contains("who_rap_cm"), "{}", list.body);

    // Maxima that do not add up: refused, the reason shown, the text kept.
    let mut bad = worded_version();
    bad["dimensions"][0]["max"] = json!(17);
    let form = |v: &serde_json::Value| {
        serde_urlencoded::to_string([("csrf", csrf.as_str()), ("instrument", &v.to_string())])
            .unwrap()
    };
    let r = post(&app, &cookie, "/readiness/instruments", &form(&bad));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"instrument-problem\""), "{}", r.body);
    assert!(r.body.contains("add up to 16"), "{}", r.body);
    assert!(
        r.body.contains("&quot;max&quot;:17") || r.body.contains("&#34;max&#34;:17"),
        "{}",
        r.body
    );
    let api = |who: &str| {
        get(
            app.addr,
            "/api/v1/readiness/instruments",
            Some(&app.tokens[who]),
        )
    };
    assert_eq!(api("monitor").json()["items"].as_array().unwrap().len(), 1);

    let r = post(
        &app,
        &cookie,
        "/readiness/instruments",
        &form(&worded_version()),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let list = page(&app, &cookie, "/readiness");
    assert!(list.body.contains("Français, Español"), "{}", list.body);
    assert!(
        list.body.contains("New rounds follow version 2"),
        "{}",
        list.body
    );
    let versions = api("admin").json();
    assert_eq!(versions["items"][1]["version"], 2, "{versions}");

    // A new round follows version 2: its questions are worded where the
    // version has words in the page's language, numbered elsewhere.
    let r = post(
        &app,
        &cookie,
        "/readiness",
        &format!("csrf={csrf}&name=Follow-up&held_on=2026-06-10"),
    );
    let new = location(&r);
    let fr = page(&app, &cookie, &format!("{new}/informant?lang=fr"));
    assert!(
        fr.body
            .contains("Le public voit-il la maltraitance comme un problème"),
        "{}",
        fr.body
    );
    let en = page(&app, &cookie, &format!("{new}/informant"));
    assert!(!en.body.contains("Le public voit-il"), "{}", en.body);
    assert!(en.body.contains("Question 1"), "{}", en.body);
    // The round held before keeps version 1 and its numbered questions.
    let kept = page(&app, &cookie, &format!("{old}/informant?lang=fr"));
    assert!(!kept.body.contains("Le public voit-il"), "{}", kept.body);
    let v = get(
        app.addr,
        &format!(
            "/api/v1/readiness/rounds/{}",
            old.trim_start_matches("/readiness/")
        ),
        Some(&app.tokens["monitor"]),
    )
    .json();
    assert_eq!(v["instrument_version"], 1, "{v}");

    // Through the API: the same number again is refused, others may not.
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/readiness/instruments",
        &app.tokens["admin"],
        &worded_version(),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("\"instrument\""), "{}", r.body);
    for who in ["sup1", "cw1", "analyst"] {
        let r = send_json(
            app.addr,
            "POST",
            "/api/v1/readiness/instruments",
            &app.tokens[who],
            &json!({"instrument": "who_rap_cm", "version": 3}),
        );
        assert_eq!(r.status, 403, "{who}: {}", r.body);
        assert_eq!(api(who).status, 403, "{who}");
    }
    assert_eq!(api("monitor").json()["items"].as_array().unwrap().len(), 2);
}
