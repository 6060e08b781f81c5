//! Victims of exploitation in the figures: the form of exploitation on a
//! case (API and page), child population figures loaded as CSV, victims per
//! 100,000 children, over-representation, and the DHIS2 export — each with
//! the roles that may not, and small counts hidden from a monitor.

use crate::http::{get, request, send_json};
use crate::pages::{page, post, sign_in};
use crate::{spawn_app, App, PASSWORD};
use haven_domain::assessment::Answer;
use haven_domain::Date;
use haven_store::conformance::child;
use haven_store::Store;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn at(day: &str) -> i64 {
    Date::parse(day).unwrap().days_since_epoch() * 86_400
}

fn csv(app: &App, who: &str, body: &str) -> crate::http::Response {
    let auth = format!("Bearer {}", app.tokens[who]);
    request(
        app.addr,
        "POST",
        "/api/v1/populations",
        &[("Authorization", &auth), ("Content-Type", "text/csv")],
        Some(body.as_bytes()),
    )
}

/// Eight children in D11 registered by cw1 in 2025 (six girls, two boys),
/// all assessed as already victims in 2025; two girls in D21, not victims.
/// Returns the app and a case opened for the first girl.
fn seeded() -> (App, String) {
    let app = spawn_app();
    let cw1 = app.store.actor_for_token(&app.tokens["cw1"]).unwrap();
    let admin = app.store.actor_for_token(&app.tokens["admin"]).unwrap();
    let victim: BTreeMap<String, Answer> =
        [("already_victim".to_string(), Answer::Yes(true))].into();
    let mut first = None;
    for i in 0..8 {
        let mut c = child(&format!("Mariama{i}"), "Sesay", "2016-05-05", "D11");
        if i >= 6 {
            c.sex = "male".into();
        }
        let id = app
            .store
            .create_child(&cw1, &c, at("2025-03-01"))
            .unwrap()
            .0
            .id;
        app.store
            .assess_child(&cw1, &id, &victim, at("2025-04-01"))
            .unwrap();
        first.get_or_insert(id);
    }
    for i in 0..2 {
        let c = child(&format!("Fatmata{i}"), "Kanu", "2018-01-01", "D21");
        app.store
            .create_child(&admin, &c, at("2025-04-01"))
            .unwrap();
    }
    let case = app
        .store
        .open_case(&cw1, &first.unwrap(), None, at("2025-04-02"))
        .unwrap();
    (app, case.id)
}

const POPULATION: &str = "location,year,sex,age_band,count\n\
    R1,2025,female,5_11,30000\n\
    R1,2025,male,5_11,10000\n\
    R2,2025,female,5_11,5000\n\
    R2,2025,male,5_11,5000\n";

#[test]
fn population_figures_load_from_csv_and_a_bad_file_changes_nothing() {
    let (app, _) = seeded();
    // Only administrators and monitoring officers load them.
    let r = csv(&app, "cw1", POPULATION);
    assert_eq!(r.status, 403, "{}", r.body);
    // A bad file: every bad line named, nothing applied.
    let r = csv(
        &app,
        "monitor",
        "R1,2025,female,5_11,30000\nR1,2025,girls,5_11,1\nNOWHERE,2025,male,5_11,3\nR1,20x5,male,0_4,3\n",
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("line 2") && r.body.contains("line 4"),
        "{}",
        r.body
    );
    let r = csv(&app, "monitor", "NOWHERE,2025,male,5_11,3\n");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("line 1") && r.body.contains("NOWHERE"),
        "{}",
        r.body
    );
    let rate = |who: &str, q: &str| {
        get(
            app.addr,
            &format!("/api/v1/indicators/victims_per_100k/values?period=2025&location=C{q}"),
            Some(&app.tokens[who]),
        )
        .json()
    };
    let b = rate("monitor", "");
    assert_eq!(b["value"], Value::Null, "no figures: no rate, {b}");
    assert_eq!(b["denominator"], 0);
    let r = csv(&app, "monitor", POPULATION);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["imported"], 4);
    let audit = get(app.addr, "/api/v1/audit", Some(&app.tokens["admin"])).body;
    assert!(audit.contains("population.import"), "{audit}");

    // Eight victims among 50,000 children: 16 per 100,000.
    let b = rate("monitor", "");
    assert_eq!(
        (b["value"].clone(), b["numerator"].clone()),
        (json!(16.0), json!(8))
    );
    assert_eq!(b["denominator"], 50_000);
    // By sex, for a monitor: 6 girls among 35,000 shows; 2 boys is too
    // few, and the girls' figure would give it away, so both are hidden.
    let b = rate("monitor", "&by=sex");
    let cells = b["cells"].as_array().unwrap();
    assert!(
        cells
            .iter()
            .take(2)
            .all(|c| c["suppressed"] == true && c["value"].is_null()),
        "{b}"
    );
    assert!(!b.to_string().contains("\"value\":20.0"), "{b}");
    // Her own area, for a caseworker, unhidden: the boys are 2 of 10,000.
    let b = rate("cw1", "&by=sex&location=R1");
    let male = b["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "male")
        .unwrap()
        .clone();
    assert_eq!(male["value"], 20.0, "{b}");
}

#[test]
fn a_case_records_its_form_of_exploitation_by_api_and_page() {
    let (app, case) = seeded();
    let path = format!("/api/v1/cases/{case}/exploitation");
    let r = send_json(
        app.addr,
        "POST",
        &path,
        &app.tokens["cw1"],
        &json!({"form": "trafficking"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["exploitation"], "trafficking");
    let r = send_json(
        app.addr,
        "POST",
        &path,
        &app.tokens["cw1"],
        &json!({"form": "slavery"}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    // A monitor sees no case; a caseworker elsewhere does not find it.
    let r = send_json(
        app.addr,
        "POST",
        &path,
        &app.tokens["monitor"],
        &json!({"form": null}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let r = send_json(
        app.addr,
        "POST",
        &path,
        &app.tokens["cw2"],
        &json!({"form": null}),
    );
    assert_eq!(r.status, 404, "{}", r.body);
    let r = get(
        app.addr,
        &format!("/api/v1/cases/{case}"),
        Some(&app.tokens["cw1"]),
    );
    assert_eq!(r.json()["exploitation"], "trafficking", "{}", r.body);

    // On the page, in French: the form shows, and a change is kept.
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let r = page(&app, &cookie, &format!("/cases/{case}?lang=fr"));
    assert!(r.body.contains("Forme d&#39;exploitation"), "{}", r.body);
    assert!(r
        .body
        .contains("<option value=\"trafficking\" selected>Traite</option>"));
    let r = post(
        &app,
        &cookie,
        &format!("/cases/{case}/exploitation"),
        &format!("csrf={csrf}&form=online_grooming"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = page(&app, &cookie, &format!("/cases/{case}?done=exploitation"));
    assert!(r.body.contains("Form of exploitation recorded."));
    assert!(
        r.body.contains("<dd>Online grooming or sextortion</dd>"),
        "{}",
        r.body
    );
    let r = post(
        &app,
        &cookie,
        &format!("/cases/{case}/exploitation"),
        &format!("csrf={csrf}&form=slavery"),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"exploitation-error\""), "{}", r.body);
    // The victims' figures count it by form.
    let b = get(
        app.addr,
        "/api/v1/indicators/victims_identified/values?period=2025&location=C&by=exploitation_form",
        Some(&app.tokens["admin"]),
    )
    .json();
    let cells = b["cells"].as_array().unwrap();
    let grooming = cells
        .iter()
        .find(|c| c["key"] == "online_grooming")
        .unwrap();
    assert_eq!(grooming["value"], 1, "{b}");
    let unknown = cells.iter().find(|c| c["key"] == "not_recorded").unwrap();
    assert_eq!(unknown["value"], 7, "{b}");
}

#[test]
fn over_representation_compares_groups_with_the_counts_behind_and_hides_small_ones() {
    let (app, _) = seeded();
    let over = |who: &str, q: &str| {
        get(
            app.addr,
            &format!("/api/v1/indicators/over-representation?{q}"),
            Some(&app.tokens[who]),
        )
    };
    // An administrator (record access): 6 girls and 2 boys among 8 victims;
    // 8 girls and 2 boys among 10 registered children.
    let r = over("admin", "concern=victims&period=2025&location=C&by=sex");
    assert_eq!(r.status, 200, "{}", r.body);
    let b = r.json();
    let sex = &b["breakdowns"][0];
    assert_eq!(sex["by"], "sex");
    assert_eq!(
        (sex["count"].clone(), sex["registered"].clone()),
        (json!(8), json!(10))
    );
    let girls = &sex["groups"][0];
    assert_eq!(girls["key"], "female");
    assert_eq!(
        (girls["count"].clone(), girls["registered"].clone()),
        (json!(6), json!(8))
    );
    assert_eq!(girls["ratio"], 0.94, "{girls}");
    let boys = &sex["groups"][1];
    assert_eq!(boys["ratio"], 1.25, "{boys}");
    // By place: all victims in R1, which holds 8 of the 10 children.
    let b = over(
        "admin",
        "concern=victims&period=2025&location=C&by=location",
    )
    .json();
    let r1 = &b["breakdowns"][0]["groups"][0];
    assert_eq!(
        (r1["key"].clone(), r1["ratio"].clone()),
        (json!("R1"), json!(1.25))
    );
    // Every breakdown when none is named.
    let b = over("admin", "concern=high_risk&period=2025&location=C").json();
    let names: Vec<&str> = b["breakdowns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["by"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "sex",
            "age_band",
            "disability",
            "minority_group",
            "location"
        ]
    );
    // A monitor: the two boys are too few, and hiding them hides the girls.
    let b = over("monitor", "concern=victims&period=2025&location=C&by=sex").json();
    let groups = b["breakdowns"][0]["groups"].as_array().unwrap();
    assert!(
        groups[0]["suppressed"] == true && groups[0]["ratio"].is_null(),
        "{b}"
    );
    assert!(
        groups[1]["suppressed"] == true && groups[1]["count"].is_null(),
        "{b}"
    );
    assert!(!b.to_string().contains("Mariama"));
    // Refusals: an analyst sees no children's figures; a caseworker only
    // her own area; a bad concern or breakdown names the parameter.
    assert_eq!(
        over("analyst", "concern=victims&period=2025&location=C").status,
        403
    );
    assert_eq!(
        over("cw1", "concern=victims&period=2025&location=R2").status,
        403
    );
    let r = over("monitor", "concern=poverty&period=2025&location=C");
    assert_eq!(r.status, 422);
    assert!(r.body.contains("concern"));
    let r = over(
        "monitor",
        "concern=victims&period=2025&location=C&by=sector",
    );
    assert_eq!(r.status, 422);

    // The page, linked from the indicators page, in Spanish for a monitor.
    let (cookie, _) = sign_in(&app, "monitor", PASSWORD).unwrap();
    let r = page(&app, &cookie, "/indicators");
    assert!(r.body.contains("href=\"/indicators/over-representation\""));
    let r = page(
        &app,
        &cookie,
        "/indicators/over-representation?concern=victims&period=2025&location=C&lang=es",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Sobrerrepresentación"));
    assert!(r.body.contains("class=\"stack over-table\""));
    assert!(r.body.contains("\u{25cc}"));
    // Each breakdown is drawn too: the ratios as bars against the line at
    // 1, described by its table; a hidden group is an empty dashed box,
    // never a length.
    assert!(r.body.contains("aria-describedby=\"over-sex-table\""));
    assert!(r.body.contains("id=\"over-sex-table\""));
    assert!(r.body.contains("class=\"reference\""));
    assert!(r.body.contains("1 = lo esperado"));
    assert!(r.body.contains("class=\"bar-hidden\""));
    assert!(!r.body.contains('\u{27e6}'));
    assert!(!r.body.contains("Mariama"));
    let r = page(
        &app,
        &cookie,
        "/indicators/over-representation?concern=x&period=2025&location=C",
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"concern-error\""));
}

#[test]
fn the_dhis2_export_is_a_data_value_set_without_suppressed_figures() {
    let (app, _) = seeded();
    assert_eq!(csv(&app, "admin", POPULATION).status, 201);
    let r = get(
        app.addr,
        "/api/v1/indicators/export?format=dhis2&period=2025&location=C",
        Some(&app.tokens["monitor"]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert!(r
        .header("content-disposition")
        .unwrap()
        .contains(".dhis2.json"));
    let doc = r.json();
    // The structure DHIS2 documents for POST /api/dataValueSets.
    assert_eq!(doc["idScheme"], "CODE");
    assert_eq!(doc["period"], "2025");
    assert_eq!(doc["orgUnit"], "C");
    let values = doc["dataValues"].as_array().unwrap();
    for v in values {
        let o = v.as_object().unwrap();
        let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "categoryOptionCombo",
                "dataElement",
                "orgUnit",
                "period",
                "value"
            ]
        );
        assert!(o.values().all(Value::is_string), "{v}");
        assert_eq!(v["period"], "2025");
    }
    let find = |de: &str, coc: &str, ou: &str| {
        values
            .iter()
            .find(|v| {
                v["dataElement"] == de && v["categoryOptionCombo"] == coc && v["orgUnit"] == ou
            })
            .map(|v| v["value"].as_str().unwrap().to_string())
    };
    assert_eq!(
        find("HAVEN_CHILDREN_REGISTERED", "default", "C").as_deref(),
        Some("10")
    );
    assert_eq!(
        find("HAVEN_VICTIMS_PER_100K", "default", "C").as_deref(),
        Some("16")
    );
    // Each place one level down is its own organisation unit: 8 victims
    // among R1's 40,000 children, none among R2's 10,000.
    assert_eq!(
        find("HAVEN_VICTIMS_PER_100K", "default", "R1").as_deref(),
        Some("20")
    );
    assert_eq!(
        find("HAVEN_VICTIMS_PER_100K", "default", "R2").as_deref(),
        Some("0")
    );
    // R2's 2 children are too few, and R1's 8 would give them away.
    assert_eq!(find("HAVEN_CHILDREN_REGISTERED", "default", "R1"), None);
    // Suppressed cells are left out, never sent: 2 boys registered.
    assert_eq!(
        find("HAVEN_CHILDREN_REGISTERED", "HAVEN_SEX_MALE", "C"),
        None
    );
    assert_eq!(
        find("HAVEN_CHILDREN_REGISTERED", "HAVEN_SEX_FEMALE", "C"),
        None
    );
    // A ministry's own codes (`haven serve --dhis2-mapping FILE`) replace
    // Haven's example ones; the server without them keeps the example.
    let shipped = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../domain/indicators/dhis2.json"),
    )
    .unwrap();
    let own = haven_domain::indicators::dhis2::Mapping::from_json(
        &shipped.replace("HAVEN_CHILDREN_REGISTERED", "MOH_REGISTER_CHILDREN"),
    )
    .unwrap();
    let ministry = crate::spawn_beside_with(&app, |st| {
        st.dhis2_mapping = Some(std::sync::Arc::new(own));
    });
    let theirs = get(
        ministry.addr,
        "/api/v1/indicators/export?format=dhis2&period=2025&location=C",
        Some(&app.tokens["monitor"]),
    );
    assert_eq!(theirs.status, 200, "{}", theirs.body);
    let theirs = theirs.json();
    let codes: Vec<&str> = theirs["dataValues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["orgUnit"] == "C" && v["categoryOptionCombo"] == "default")
        .map(|v| v["dataElement"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"MOH_REGISTER_CHILDREN"), "{codes:?}");
    assert!(!codes.contains(&"HAVEN_CHILDREN_REGISTERED"), "{codes:?}");
    // DHIS2 has no period for a range of days.
    let r = get(
        app.addr,
        "/api/v1/indicators/export?format=dhis2&period=2025-01-01..2025-02-01&location=C",
        Some(&app.tokens["monitor"]),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("period"));
    let audit = get(app.addr, "/api/v1/audit", Some(&app.tokens["admin"])).body;
    assert!(audit.contains("format dhis2"), "{audit}");
}

#[test]
fn an_administrator_marks_indicators_public_and_others_cannot() {
    let app = spawn_app();
    let path = "/api/v1/indicators/victims_per_100k/public";
    let r = send_json(
        app.addr,
        "PUT",
        path,
        &app.tokens["monitor"],
        &json!({"public": true}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let r = send_json(
        app.addr,
        "PUT",
        path,
        &app.tokens["admin"],
        &json!({"public": true}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["public"], json!(["victims_per_100k"]));
    let r = send_json(
        app.addr,
        "PUT",
        "/api/v1/indicators/no_such/public",
        &app.tokens["admin"],
        &json!({"public": true}),
    );
    assert_eq!(r.status, 404);
    let items = get(app.addr, "/api/v1/indicators", Some(&app.tokens["monitor"])).json();
    let public: Vec<&str> = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["public"] == true)
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(public, ["victims_per_100k"]);
    let audit = get(app.addr, "/api/v1/audit", Some(&app.tokens["admin"])).body;
    assert!(audit.contains("indicator.public"), "{audit}");
}
