//! Indicators end to end: the API and the page per role. A monitoring
//! officer sees country aggregates with small counts hidden; a caseworker
//! sees her own area; other roles are refused; exports are always
//! suppressed and audited.

use crate::http::get;
use crate::pages::{page, sign_in};
use crate::{spawn_app, App, PASSWORD};
use haven_domain::Date;
use haven_store::conformance::child;
use haven_store::Store;
use serde_json::Value;

fn at(day: &str) -> i64 {
    Date::parse(day).unwrap().days_since_epoch() * 86_400
}

/// Seven children in D11 (six girls, one boy) registered by cw1 in 2025,
/// two girls in D21 registered by the administrator.
fn seeded() -> App {
    let app = spawn_app();
    let cw1 = app.store.actor_for_token(&app.tokens["cw1"]).unwrap();
    let admin = app.store.actor_for_token(&app.tokens["admin"]).unwrap();
    for i in 0..7 {
        let mut c = child(&format!("Mariama{i}"), "Sesay", "2016-05-05", "D11");
        if i == 0 {
            c.sex = "male".into();
        }
        app.store.create_child(&cw1, &c, at("2025-03-01")).unwrap();
    }
    for i in 0..2 {
        let c = child(&format!("Fatmata{i}"), "Kanu", "2018-01-01", "D21");
        app.store
            .create_child(&admin, &c, at("2025-04-01"))
            .unwrap();
    }
    app
}

fn values(app: &App, who: &str, query: &str) -> crate::http::Response {
    get(
        app.addr,
        &format!("/api/v1/indicators/children_registered/values?{query}"),
        Some(&app.tokens[who]),
    )
}

fn cell<'a>(body: &'a Value, key: &str) -> &'a Value {
    body["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("no cell {key}: {body}"))
}

#[test]
fn the_catalogue_lists_each_indicator_with_its_unit_and_breakdowns() {
    let app = spawn_app();
    let r = get(app.addr, "/api/v1/indicators", Some(&app.tokens["monitor"]));
    assert_eq!(r.status, 200, "{}", r.body);
    let body = r.json();
    assert_eq!(body["next"], Value::Null);
    let items = body["items"].as_array().unwrap();
    let reg = items
        .iter()
        .find(|i| i["id"] == "children_registered")
        .unwrap();
    assert_eq!(reg["unit"], "count");
    assert!(reg["disaggregations"]
        .as_array()
        .unwrap()
        .contains(&"sex".into()));
    assert!(items
        .iter()
        .any(|i| i["id"] == "birth_registration_under_5" && i["unit"] == "percent"));
    assert!(reg["name"].as_str().unwrap().contains("Children"));
}

#[test]
fn a_monitor_gets_country_figures_with_small_counts_hidden_never_the_number() {
    let app = seeded();
    let r = values(&app, "monitor", "period=2025&location=C&by=sex");
    assert_eq!(r.status, 200, "{}", r.body);
    let b = r.json();
    assert_eq!(b["indicator"], "children_registered");
    assert_eq!(b["version"], 3);
    assert_eq!(b["period"], "2025");
    assert_eq!(b["location"], "C");
    assert_eq!(b["value"], 9);
    // One boy: hidden, and the girls with him, or 9 − 0 − 0 − girls gives him away.
    assert_eq!(cell(&b, "male")["value"], Value::Null);
    assert_eq!(cell(&b, "male")["suppressed"], true);
    assert_eq!(cell(&b, "female")["suppressed"], true);
    assert_eq!(cell(&b, "other")["value"], 0);
    let hidden = |b: &Value| {
        b["cells"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["suppressed"] == true)
            .count()
    };
    assert_eq!(hidden(&b), 2);
    // By place: two children in R2 are hidden, and so is R1.
    let b = values(&app, "monitor", "period=2025&location=C&by=location").json();
    assert_eq!(cell(&b, "R2")["value"], Value::Null);
    assert_eq!(cell(&b, "R1")["value"], Value::Null);
    assert!(!r.body.contains("Mariama") && !r.body.contains("Sesay"));
    // A period before anything was registered: zero, shown.
    let b = values(&app, "monitor", "period=2024&location=C").json();
    assert_eq!(
        (b["value"].clone(), b["suppressed"].clone()),
        (0.into(), false.into())
    );
}

#[test]
fn a_caseworker_sees_only_her_area_unsuppressed_and_is_refused_elsewhere() {
    let app = seeded();
    let r = values(&app, "cw1", "period=2025&location=C&by=sex");
    assert_eq!(r.status, 200, "{}", r.body);
    let b = r.json();
    assert_eq!(b["value"], 7, "only R1's children");
    assert_eq!(cell(&b, "male")["value"], 1);
    assert_eq!(cell(&b, "female")["value"], 6);
    let r = values(&app, "cw1", "period=2025&location=R2");
    assert_eq!(r.status, 403, "{}", r.body);
    // Roles without figures are refused.
    assert_eq!(values(&app, "isp", "period=2025&location=C").status, 403);
    assert_eq!(
        values(&app, "analyst", "period=2025&location=C").status,
        403
    );
}

#[test]
fn bad_parameters_are_refused_naming_the_parameter() {
    let app = seeded();
    for (query, field) in [
        ("period=2025Q5&location=C", "period"),
        ("period=soon&location=C", "period"),
        ("location=C", "period"),
        ("period=2025", "location"),
        ("period=2025&location=NOWHERE", "location"),
        ("period=2025&location=C&by=sector", "by"),
        ("period=2025&location=C&colour=red", "colour"),
    ] {
        let r = values(&app, "monitor", query);
        assert_eq!(r.status, 422, "{query}: {}", r.body);
        let fields = r.json()["error"]["fields"].clone();
        assert_eq!(fields[0]["field"], field, "{query}: {fields}");
    }
    let r = get(
        app.addr,
        "/api/v1/indicators/no_such/values?period=2025&location=C",
        Some(&app.tokens["monitor"]),
    );
    assert_eq!(r.status, 404);
}

#[test]
fn exports_are_suppressed_for_everyone_and_audited() {
    let app = seeded();
    let r = get(
        app.addr,
        "/api/v1/indicators/export?format=csv&period=2025&location=C",
        Some(&app.tokens["cw1"]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = r.body.lines().collect();
    assert_eq!(
        lines[0],
        "indicator,version,period,location,by,key,unit,value,numerator,denominator,suppressed"
    );
    // The caseworker's own page shows the boy; her export hides him.
    let male = lines
        .iter()
        .find(|l| l.starts_with("children_registered,3,2025,C,sex,male,"))
        .unwrap();
    assert_eq!(*male, "children_registered,3,2025,C,sex,male,count,,,,true");
    assert!(lines
        .iter()
        .any(|l| l.starts_with("children_registered,3,2025,C,,,count,7,7,,false")));
    let r = get(
        app.addr,
        "/api/v1/indicators/export?format=json&period=2025&location=C",
        Some(&app.tokens["monitor"]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let b = r.json();
    assert_eq!(b["version"], 3);
    assert_eq!(b["suppression_threshold"], 5);
    assert!(b["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["indicator"] == "hotline_reports"));
    let audit = get(app.addr, "/api/v1/audit", Some(&app.tokens["admin"])).body;
    assert_eq!(audit.matches("indicator.export").count(), 2, "{audit}");
    let r = get(
        app.addr,
        "/api/v1/indicators/export?format=xml&period=2025&location=C",
        Some(&app.tokens["monitor"]),
    );
    assert_eq!(r.status, 422);
}

#[test]
fn the_page_shows_a_monitor_hidden_figures_with_charts_and_a_table() {
    let app = seeded();
    let (cookie, _) = sign_in(&app, "monitor", PASSWORD).unwrap();
    let home = page(&app, &cookie, "/");
    assert!(
        home.body.contains("href=\"/indicators\""),
        "the menu leads there"
    );
    let r = page(&app, &cookie, "/indicators");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Children registered"));
    assert!(r.body.contains("Birth registration, children under 5"));
    let r = page(
        &app,
        &cookie,
        "/indicators?indicator=children_registered&period=2025&location=C&by=sex",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<svg"), "charts");
    assert!(r.body.contains("class=\"trend\""), "a trend line");
    assert!(r.body.contains("class=\"bar-hidden\""), "a hidden bar");
    assert!(r.body.contains("id=\"breakdown-table\""));
    assert!(r.body.contains("\u{25cc}"), "the symbol for hidden figures");
    assert!(r.body.contains("is hidden, together with another figure"));
    assert!(r.body.contains("<b>9</b>"));
    assert!(!r.body.contains("Mariama"));
    // French, with place names rather than codes.
    let r = page(
        &app,
        &cookie,
        "/indicators?indicator=children_registered&period=2025&location=C&by=location&lang=fr",
    );
    assert!(r.body.contains("Enfants enregistrés"));
    assert!(r.body.contains("Place R1"), "the place's name");
    assert!(!r.body.contains('\u{27e6}'));
}

#[test]
fn the_page_shows_a_caseworker_her_own_area_and_refuses_what_is_not_hers() {
    let app = seeded();
    let (cookie, _) = sign_in(&app, "cw1", PASSWORD).unwrap();
    // She is offered the places of her own area, her region first.
    let r = page(&app, &cookie, "/indicators?indicator=children_registered");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<option value=\"R1\" selected>"));
    assert!(!r.body.contains("value=\"R2\""));
    let r = page(
        &app,
        &cookie,
        "/indicators?indicator=children_registered&period=2025&location=R1&by=sex",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<b>7</b>"));
    assert!(r
        .body
        .contains("only the children and cases in your own area"));
    assert!(
        !r.body.contains("\u{25cc}"),
        "her own area is not hidden from her"
    );
    // A bad period comes back with the error beside the field, typed value kept.
    let r = page(
        &app,
        &cookie,
        "/indicators?indicator=children_registered&period=2025Q9&location=R1",
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"period-error\""));
    assert!(r.body.contains("value=\"2025Q9\""));
    // The hotline is not hers: not offered, and refused when asked for.
    let r = page(
        &app,
        &cookie,
        "/indicators?indicator=hotline_reports&period=2025&location=C",
    );
    assert_eq!(r.status, 422);
    assert!(!r.body.contains("indicator-value"));
    // An analyst sees the hotline figures only.
    let (cookie, _) = sign_in(&app, "analyst", PASSWORD).unwrap();
    let r = page(&app, &cookie, "/indicators");
    assert!(r.body.contains("Hotline reports") && !r.body.contains("Children registered"));
    let r = page(
        &app,
        &cookie,
        "/indicators?indicator=children_registered&period=2025&location=C",
    );
    assert_eq!(r.status, 422);
    assert!(!r.body.contains("<b>9</b>"));
}

/// A deployment's own catalogue (version 4): Haven's indicators and one
/// it added, girls registered, with its words in French.
fn own_catalogue() -> haven_domain::indicators::Catalogue {
    let mut own: Value = serde_json::from_str(haven_domain::indicators::DEFAULT_CATALOGUE).unwrap();
    own["version"] = serde_json::json!(4);
    let mut added = own["indicators"][0].clone();
    added["id"] = serde_json::json!("girls_registered");
    added["name"] = serde_json::json!("Girls registered");
    added["words"] = serde_json::json!({"fr": {"name": "Filles inscrites au registre",
        "description": "Les filles inscrites au registre à la fin de la période."}});
    own["indicators"].as_array_mut().unwrap().push(added);
    haven_domain::indicators::Catalogue::from_json(&own.to_string()).unwrap()
}

#[test]
fn a_deployments_own_catalogue_is_computed_named_in_its_words_and_exports_say_its_version() {
    let app = crate::spawn_app_with(|st| st.catalogue = std::sync::Arc::new(own_catalogue()));
    let cw1 = app.store.actor_for_token(&app.tokens["cw1"]).unwrap();
    for i in 0..6 {
        let c = child(&format!("Mariama{i}"), "Sesay", "2016-05-05", "D11");
        app.store.create_child(&cw1, &c, at("2025-03-01")).unwrap();
    }
    let r = get(app.addr, "/api/v1/indicators", Some(&app.tokens["monitor"]));
    let items = r.json()["items"].as_array().unwrap().clone();
    let added = items
        .iter()
        .find(|i| i["id"] == "girls_registered")
        .unwrap();
    assert_eq!(added["version"], 4, "{added}");
    let r = get(
        app.addr,
        "/api/v1/indicators/girls_registered/values?period=2025&location=C",
        Some(&app.tokens["monitor"]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["value"], 6.0, "{}", r.body);
    assert_eq!(r.json()["version"], 4, "{}", r.body);
    let r = get(
        app.addr,
        "/api/v1/indicators/export?format=csv&period=2025&location=C",
        Some(&app.tokens["monitor"]),
    );
    assert!(
        r.body.contains("girls_registered,4,2025,C,,,count,6"),
        "{}",
        r.body
    );

    // The page names it in French from the catalogue's own words, and in
    // English by its name; Haven's own keep their translations.
    let (cookie, _) = sign_in(&app, "monitor", PASSWORD).unwrap();
    let fr = page(&app, &cookie, "/indicators?lang=fr");
    assert!(
        fr.body.contains("Filles inscrites au registre"),
        "{}",
        fr.body
    );
    assert!(!fr.body.contains('\u{27e6}'), "{}", fr.body);
    let en = page(
        &app,
        &cookie,
        "/indicators?indicator=girls_registered&period=2025&location=C",
    );
    assert_eq!(en.status, 200, "{}", en.body);
    assert!(en.body.contains("Girls registered"), "{}", en.body);
}
