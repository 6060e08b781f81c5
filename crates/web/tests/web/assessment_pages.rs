//! The assessment form and result: factors grouped by level and answered
//! yes, no or not known, answers from the child's record said so, the
//! factors not known named in the result, critical as an alert in words,
//! the trajectory chart, and the API's "unknown".

use crate::http::{get, send_json};
use crate::pages::{page, post, sign_in};
use crate::{spawn_app, App, PASSWORD};
use serde_json::json;

/// Registers a 9-year-old, birth not registered, out of school, on the
/// street; returns the child's page address.
fn register(app: &App, cookie: &str, csrf: &str) -> String {
    let body = format!(
        "csrf={csrf}&given_name=Kadiatou&family_name=Bah&sex=female&estimated_age=9&location=D11&birth_registration=not_registered&living_situation=street"
    );
    let r = post(app, cookie, "/children", &body);
    assert_eq!(r.status, 303, "{}", r.body);
    r.header("location")
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

fn checked(body: &str, factor: &str, value: &str) -> bool {
    body.contains(&format!(
        r#"id="answer.{factor}-{value}" name="answer.{factor}" value="{value}" checked>"#
    ))
}

#[test]
fn the_form_groups_factors_by_level_in_plain_words_and_says_what_came_from_the_record() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let child = register(&app, &cookie, &csrf);
    let shown = page(&app, &cookie, &child);
    assert!(
        shown
            .body
            .contains(&format!(r#"href="{child}/assessments/new""#)),
        "the child's page links to the form"
    );
    let form = page(&app, &cookie, &format!("{child}/assessments/new"));
    assert_eq!(form.status, 200, "{}", form.body);
    let b = &form.body.replace("&#39;", "'");
    // Grouped by level, each factor yes / no / not known.
    assert!(b.contains("<h2>Family and caregivers</h2>"), "{b}");
    assert!(b.contains("<legend>Violence in the home</legend>"));
    assert!(b.contains(r#"name="answer.domestic_violence" value="unknown""#));
    assert!(b.contains(">Not known</label>"));
    assert!(
        !b.contains('§') && !b.contains("para."),
        "no paragraph numbers"
    );
    // From the record: not registered, out of school, on the street, young.
    for (factor, value) in [
        ("no_birth_registration", "yes"),
        ("not_in_school", "yes"),
        ("attends_school", "no"),
        ("street_child", "yes"),
        ("young_age", "yes"),
    ] {
        assert!(checked(b, factor, value), "{factor} {value}: {b}");
    }
    assert!(b.contains(
        r#"id="from-no_birth_registration">From the child's record (Birth registration); change it"#
    ));
    assert!(b.contains(r#"id="from-street_child">From the child's record (Living situation)"#));
    assert!(
        !b.contains(r#"id="from-domestic_violence""#),
        "the record says nothing of it"
    );
    assert!(!checked(b, "domestic_violence", "yes") && !checked(b, "domestic_violence", "no"));
    assert!(b.contains(r#"<textarea id="notes" name="notes""#));

    // In French, the same form in French words.
    let mut fr = page(&app, &cookie, &format!("{child}/assessments/new?lang=fr"));
    assert_eq!(fr.status, 200);
    fr.body = fr.body.replace("&#39;", "'");
    assert!(fr.body.contains("<html lang=\"fr\""));
    assert!(!fr.body.contains('⟦'), "{}", fr.body);
    assert!(
        fr.body
            .contains("<h2>Famille et personnes qui s'en occupent</h2>"),
        "{}",
        fr.body
    );
    assert!(fr
        .body
        .contains("<legend>Violence au sein du foyer</legend>"));
    assert!(fr.body.contains(">Inconnu</label>"));
    assert!(fr
        .body
        .contains("D'après le dossier de l'enfant (Enregistrement de la naissance)"));
    assert!(!fr.body.contains('§'));

    // A caseworker elsewhere cannot open it; a monitor may not assess.
    let (cw2, _) = sign_in(&app, "cw2", PASSWORD).unwrap();
    assert_eq!(
        page(&app, &cw2, &format!("{child}/assessments/new")).status,
        404
    );
    let (monitor, _) = sign_in(&app, "monitor", PASSWORD).unwrap();
    assert_eq!(
        page(&app, &monitor, &format!("{child}/assessments/new")).status,
        403
    );
}

#[test]
fn unknown_factors_are_named_in_the_result_and_the_level_reads_at_least() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let child = register(&app, &cookie, &csrf);
    // The worker changes a pre-filled answer and leaves two factors unknown.
    let r = post(
        &app,
        &cookie,
        &format!("{child}/assessments"),
        &format!("csrf={csrf}&answer.street_child=no&answer.child_labour=yes&answer.not_in_school=yes&answer.domestic_violence=unknown&answer.gangs=unknown&notes=Seen+at+the+market+after+dark"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = page(&app, &cookie, r.header("location").unwrap());
    let b = &shown.body;
    assert!(
        b.contains(">2 factors not known: Violence in the home; Gangs or criminal groups recruit in the area.</p>"),
        "{b}"
    );
    assert!(b.contains("Computed level: at least "), "{b}");
    assert!(b.contains("If the factors not known are present, the level could rise to "));
    assert!(b.contains("Notes: Seen at the market after dark"));
    assert!(!b.contains(r#"id="critical-alert""#));
    // Stored as answered: the street answer changed, unknowns kept apart.
    let api = get(
        app.addr,
        &format!("/api/v1{child}/assessments"),
        Some(&app.tokens["cw1"]),
    )
    .json();
    let a = &api["items"][0];
    assert_eq!(a["answers"]["street_child"], false);
    assert_eq!(a["answers"]["gangs"], "unknown");
    assert_eq!(a["unknown_factors"], json!(["domestic_violence", "gangs"]));
    assert_eq!(a["notes"], "Seen at the market after dark");

    // A forged answer and notes too long come back as the form, 422, kept.
    let long = "x".repeat(10_001);
    let r = post(
        &app,
        &cookie,
        &format!("{child}/assessments"),
        &format!("csrf={csrf}&answer.gangs=maybe&answer.poverty=unknown&notes={long}"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains(r#"id="answer.gangs-yes-error">Choose yes, no or not known."#),
        "{}",
        r.body
    );
    assert!(r
        .body
        .contains(r#"id="notes-error">Write at most 10,000 characters."#));
    assert!(checked(&r.body, "poverty", "unknown"), "typed answers kept");
    let count = get(
        app.addr,
        &format!("/api/v1{child}/assessments"),
        Some(&app.tokens["cw1"]),
    )
    .json()["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(count, 1, "nothing stored");
}

#[test]
fn critical_is_an_alert_in_words_and_the_chart_has_axes_dates_and_bands() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let child = register(&app, &cookie, &csrf);
    let r = post(
        &app,
        &cookie,
        &format!("{child}/assessments"),
        &format!("csrf={csrf}&answer.poverty=yes"),
    );
    assert_eq!(r.status, 303);
    let first = page(&app, &cookie, &child);
    assert!(
        !first.body.contains(r#"id="critical-alert""#),
        "not critical yet"
    );
    let r = post(
        &app,
        &cookie,
        &format!("{child}/assessments"),
        &format!("csrf={csrf}&answer.immediate_danger=yes"),
    );
    assert_eq!(r.status, 303);
    for (lang, alert) in [
        ("en", "Critical level. This child needs protection now"),
        ("es", "Nivel crítico."),
    ] {
        let b = page(&app, &cookie, &format!("{child}?lang={lang}")).body;
        assert!(
            b.contains(&format!(
                r#"<p class="alert" role="alert" id="critical-alert"><strong>{alert}"#
            )),
            "{lang}: {b}"
        );
    }
    let b = page(&app, &cookie, &child).body;
    let svg = b
        .split("<svg")
        .nth(1)
        .and_then(|s| s.split("</svg>").next())
        .unwrap_or_else(|| panic!("no chart: {b}"));
    assert!(svg.contains(r#"aria-describedby="assessment-history""#));
    assert!(
        b.contains(r#"<table class="stack" id="assessment-history">"#),
        "the table is its text"
    );
    assert_eq!(svg.matches(r#"<line class="axis""#).count(), 2, "two axes");
    for band in ["Low", "Medium", "High", "Critical"] {
        assert!(
            svg.contains(&format!(">{band}</text>")),
            "band {band}: {svg}"
        );
    }
    assert!(svg.contains(">Date</text>") && svg.contains(">Level</text>"));
    assert_eq!(svg.matches("<circle").count(), 2);
    // Each point labelled with its level; the dates are those of the table.
    assert!(svg.contains(r#"class="point-label""#));
    let date = b
        .split(
            r#"<tr>
<th scope="row">"#,
        )
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap();
    assert!(
        svg.contains(r#"class="date""#) && svg.contains(&format!(">{date}</text>")),
        "{date}: {svg}"
    );
    assert!(!b.contains("<script"));
}

#[test]
fn the_api_accepts_unknown_and_words_and_keeps_booleans_as_they_were() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let child = register(&app, &cookie, &csrf);
    let path = format!("/api/v1{child}/assessments");
    let token = &app.tokens["cw1"];
    let old = send_json(
        app.addr,
        "POST",
        &path,
        token,
        &json!({"answers": {"poverty": true, "not_in_school": true}}),
    );
    assert_eq!(old.status, 201, "{}", old.body);
    let old = old.json();
    assert_eq!(
        old["answers"],
        json!({"not_in_school": true, "poverty": true})
    );
    assert_eq!(old["unknown_factors"], json!([]));
    assert_eq!(old["provisional"], false);
    assert!(old.get("notes").is_none());
    let r = send_json(
        app.addr,
        "POST",
        &path,
        token,
        &json!({"answers": {"street_child": "yes", "poverty": "no", "domestic_violence": "unknown"}, "notes": "Met at the bus station"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let r = r.json();
    assert_eq!(
        r["answers"],
        json!({"domestic_violence": "unknown", "poverty": false, "street_child": true})
    );
    assert_eq!(r["unknown_factors"], json!(["domestic_violence"]));
    assert_eq!(r["provisional"], true);
    assert!(r["highest_level"].as_str().is_some());
    assert_eq!(r["notes"], "Met at the bus station");
    let bad = send_json(
        app.addr,
        "POST",
        &path,
        token,
        &json!({"answers": {"poverty": "maybe"}}),
    );
    assert!((400..500).contains(&bad.status), "{}", bad.body);
    // Read back: the first unchanged, the second with its unknowns.
    let items = get(app.addr, &path, Some(token)).json()["items"].clone();
    let item = |id: &serde_json::Value| {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| &i["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(item(&old["id"]), old, "read back as it was made");
    assert_eq!(
        item(&r["id"])["unknown_factors"],
        json!(["domestic_violence"])
    );
    // Someone outside the child's area gets nothing and changes nothing.
    let r = send_json(
        app.addr,
        "POST",
        &path,
        &app.tokens["cw2"],
        &json!({"answers": {"poverty": "unknown"}}),
    );
    assert_eq!(r.status, 404);
    assert_eq!(
        get(app.addr, &path, Some(token)).json()["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}
