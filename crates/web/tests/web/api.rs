//! The JSON API: what a client can do, and every refusal.

use crate::http::{get, request, send_json};
use crate::spawn_app;
use serde_json::json;

fn amina() -> serde_json::Value {
    json!({"given_name":"Amina","family_name":"Diallo","sex":"female","date_of_birth":"2014-03-02","location":"D11","birth_registration":"not_registered"})
}

#[test]
fn register_read_change_list_and_find_children() {
    register_read_change_list_and_find(&spawn_app());
}

#[test]
fn the_same_api_on_postgres() {
    if let Some(app) = crate::spawn_app_postgres() {
        register_read_change_list_and_find(&app);
        crate::lists::keep_lists_and_match(&app);
        crate::cases::casework_over_the_api(&app);
    }
}

fn register_read_change_list_and_find(app: &crate::App) {
    let cw = &app.tokens["cw1"];
    let r = send_json(app.addr, "POST", "/api/v1/children", cw, &amina());
    assert_eq!(r.status, 201, "{}", r.body);
    let child = r.json();
    let id = child["id"].as_str().unwrap().to_string();
    assert_eq!(child["given_name"], "Amina");
    assert_eq!(child["possible_duplicates"], json!([]));

    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/children",
        cw,
        &json!({"given_name":"Amena","family_name":"Dialo","sex":"female","estimated_age":12,"location":"D11"}),
    );
    assert_eq!(r.status, 201);
    let dups = r.json()["possible_duplicates"].clone();
    assert_eq!(
        dups.as_array().unwrap().len(),
        1,
        "the duplicate warning comes back at once"
    );
    assert_eq!(dups[0]["child"]["id"], id.as_str());
    assert!(!dups[0]["reasons"].as_array().unwrap().is_empty());
    let twin = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        get(
            app.addr,
            &format!("/api/v1/children/{twin}/duplicates"),
            Some(cw)
        )
        .json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let r = get(app.addr, &format!("/api/v1/children/{id}"), Some(cw));
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["family_name"], "Diallo");

    let r = send_json(
        app.addr,
        "PATCH",
        &format!("/api/v1/children/{id}"),
        cw,
        &json!({"in_school": true, "birth_registration": "registered"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["birth_registration"], "registered");

    for i in 0..4 {
        let mut c = amina();
        c["given_name"] = json!(format!("Child{i}"));
        c["family_name"] = json!(format!("Family{i}"));
        assert_eq!(
            send_json(app.addr, "POST", "/api/v1/children", cw, &c).status,
            201
        );
    }
    let page1 = get(app.addr, "/api/v1/children?limit=4", Some(cw)).json();
    assert_eq!(page1["items"].as_array().unwrap().len(), 4);
    let next = page1["next"].as_str().unwrap();
    let page2 = get(
        app.addr,
        &format!("/api/v1/children?limit=4&cursor={next}"),
        Some(cw),
    )
    .json();
    assert_eq!(page2["items"].as_array().unwrap().len(), 2);
    assert_eq!(page2["next"], json!(null));

    let found = get(app.addr, "/api/v1/children?name=Aminah%20Dialo", Some(cw)).json();
    assert!(
        found["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == id.as_str()),
        "misspelt search finds her: {found}"
    );
    let filtered = get(
        app.addr,
        "/api/v1/children?birth_registration=registered&location=R1",
        Some(cw),
    )
    .json();
    assert_eq!(filtered["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        get(app.addr, "/api/v1/children?age_band=0-4", Some(cw)).json()["items"],
        json!([])
    );
}

#[test]
fn every_role_and_scope_is_enforced() {
    let app = spawn_app();
    let created = send_json(
        app.addr,
        "POST",
        "/api/v1/children",
        &app.tokens["cw1"],
        &amina(),
    )
    .json();
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/v1/children/{id}");

    assert_eq!(get(app.addr, &path, None).status, 401);
    assert_eq!(
        get(app.addr, &path, Some("hvn_not-a-real-token")).error_code(),
        "unauthenticated"
    );
    // Another region's caseworker: the child does not exist for them.
    assert_eq!(get(app.addr, &path, Some(&app.tokens["cw2"])).status, 404);
    let list = get(
        app.addr,
        "/api/v1/children?name=Amina",
        Some(&app.tokens["cw2"]),
    )
    .json();
    assert_eq!(list["items"], json!([]));
    assert_eq!(
        get(app.addr, "/api/v1/dashboard", Some(&app.tokens["cw2"])).json()["total"],
        0
    );
    assert_eq!(
        send_json(
            app.addr,
            "PATCH",
            &path,
            &app.tokens["cw2"],
            &json!({"in_school": true})
        )
        .status,
        404
    );
    let mut outside = amina();
    outside["location"] = json!("D21");
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/children",
            &app.tokens["cw1"],
            &outside
        )
        .status,
        403
    );
    // Analysts and monitoring officers see no child records at all.
    for role in ["analyst", "monitor"] {
        let t = &app.tokens[role];
        assert_eq!(get(app.addr, &path, Some(t)).status, 403, "{role}");
        assert_eq!(
            get(app.addr, "/api/v1/children", Some(t)).status,
            403,
            "{role}"
        );
        assert_eq!(
            get(app.addr, "/api/v1/dashboard", Some(t)).status,
            403,
            "{role}"
        );
        assert_eq!(
            send_json(app.addr, "POST", "/api/v1/children", t, &amina()).status,
            403,
            "{role}"
        );
    }
    // The supervisor of the region and the admin see her.
    assert_eq!(get(app.addr, &path, Some(&app.tokens["sup1"])).status, 200);
    assert_eq!(get(app.addr, &path, Some(&app.tokens["admin"])).status, 200);
    // Only admins add locations and read the audit log.
    let loc = json!({"code":"D13","name":"New district","parent":"R1","level":"district"});
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/locations",
            &app.tokens["cw1"],
            &loc
        )
        .status,
        403
    );
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/locations",
            &app.tokens["admin"],
            &loc
        )
        .status,
        201
    );
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/locations",
            &app.tokens["admin"],
            &loc
        )
        .status,
        409
    );
    assert_eq!(
        get(app.addr, "/api/v1/audit", Some(&app.tokens["cw1"])).status,
        403
    );
    let audit = get(
        app.addr,
        "/api/v1/audit?limit=1000",
        Some(&app.tokens["admin"]),
    )
    .json();
    let entries = audit["items"].as_array().unwrap();
    assert!(entries
        .iter()
        .any(|e| e["action"] == "child.read" && e["outcome"] == "denied" && e["actor"] == "cw2"));
    assert!(entries
        .iter()
        .any(|e| e["action"] == "api.auth" && e["outcome"] == "denied"));
    assert!(app.store.verify_audit_ok());
}

trait VerifyOk {
    fn verify_audit_ok(&self) -> bool;
}
impl VerifyOk for haven_store::SqlStore {
    fn verify_audit_ok(&self) -> bool {
        use haven_store::Store;
        self.verify_audit().unwrap().is_ok()
    }
}

#[test]
fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let app = spawn_app();
    let t = &app.tokens["cw1"];
    let cases = [
        (
            json!({"given_name":"","sex":"female","estimated_age":3,"location":"D11"}),
            422,
            "given_name",
        ),
        (
            json!({"given_name":"A","sex":"robot","estimated_age":3,"location":"D11"}),
            422,
            "sex",
        ),
        (
            json!({"given_name":"A","sex":"female","date_of_birth":"2099-01-01","location":"D11"}),
            422,
            "date_of_birth",
        ),
        (
            json!({"given_name":"A","sex":"female","date_of_birth":"02/03/2014","location":"D11"}),
            422,
            "date_of_birth",
        ),
        (
            json!({"given_name":"A","sex":"female","estimated_age":30,"location":"D11"}),
            422,
            "estimated_age",
        ),
        (
            json!({"given_name":"A","sex":"female","estimated_age":3,"location":"NOWHERE"}),
            422,
            "location",
        ),
        (
            json!({"given_name":"A","sex":"female","estimated_age":3,"location":"R1"}),
            422,
            "location",
        ),
        (
            json!({"given_name":"A","sex":"female","estimated_age":"three","location":"D11"}),
            422,
            "estimated_age",
        ),
        (
            json!({"given_name":"A","sex":"female","estimated_age":3,"location":"D11","favourite_colour":"red"}),
            422,
            "",
        ),
    ];
    for (body, status, field) in cases {
        let r = send_json(app.addr, "POST", "/api/v1/children", t, &body);
        assert_eq!(r.status, status, "{body}: {}", r.body);
        let e = r.json();
        assert!(e["error"]["message"].as_str().unwrap().len() > 5);
        if !field.is_empty() {
            assert!(
                e["error"]["message"].as_str().unwrap().contains(field),
                "{body}: {e}"
            );
        }
    }
    let auth = format!("Bearer {t}");
    let r = request(
        app.addr,
        "POST",
        "/api/v1/children",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        Some(b"{not json"),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), "bad_request");
    let r = request(
        app.addr,
        "POST",
        "/api/v1/children",
        &[("Authorization", &auth)],
        Some(b"{}"),
    );
    assert_eq!(r.status, 415);
    assert_eq!(
        get(app.addr, "/api/v1/children?sex=robot", Some(t)).status,
        422
    );
    assert_eq!(
        get(app.addr, "/api/v1/children?limit=100000", Some(t)).status,
        422
    );
    assert_eq!(
        get(app.addr, "/api/v1/children?cursor=garbage", Some(t)).status,
        422
    );
    assert_eq!(get(app.addr, "/api/v1/nothing-here", Some(t)).status, 404);
    assert_eq!(
        get(app.addr, "/api/v1/children", Some(t)).json()["items"],
        json!([]),
        "nothing was created"
    );
}

#[test]
fn households_caregivers_health_docs_and_headers() {
    let app = spawn_app();
    let t = &app.tokens["cw1"];
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/households",
        t,
        &json!({"location":"D12","address":"Near the well","caregivers":[{"given_name":"Awa","family_name":"Sow","relationship":"mother","contact":"+999 1"}]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let hid = r.json()["id"].as_str().unwrap().to_string();
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/households/{hid}/caregivers"),
        t,
        &json!({"given_name":"Ali","relationship":"uncle"}),
    );
    assert_eq!(r.status, 201);
    let mut c = amina();
    c["household_id"] = json!(hid);
    assert_eq!(
        send_json(app.addr, "POST", "/api/v1/children", t, &c).status,
        201
    );
    let h = get(app.addr, &format!("/api/v1/households/{hid}"), Some(t)).json();
    assert_eq!(h["caregivers"].as_array().unwrap().len(), 2);
    assert_eq!(
        get(
            app.addr,
            &format!("/api/v1/households/{hid}"),
            Some(&app.tokens["cw2"])
        )
        .status,
        404
    );
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/households",
        t,
        &json!({"location":"D11","caregivers":[{"given_name":""}]}),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("caregivers[0].given_name"));

    let r = get(app.addr, "/healthz", None);
    assert_eq!(r.status, 200);
    for (h, v) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
    ] {
        assert_eq!(r.header(h), Some(v));
    }
    assert!(r
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors 'none'"));
    let doc = get(app.addr, "/api/openapi.json", None).json();
    assert_eq!(doc["openapi"], "3.1.0");
    for p in [
        "/api/v1/children",
        "/api/v1/children/{id}",
        "/api/v1/children/{id}/duplicates",
        "/api/v1/locations",
        "/api/v1/households",
        "/api/v1/match",
        "/api/v1/urllist",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} documented");
    }
    assert_eq!(
        get(app.addr, "/api/v1/locations", Some(&app.tokens["monitor"])).json()["items"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
}

#[test]
fn assess_a_child_and_keep_the_trajectory() {
    let app = spawn_app();
    let cw = &app.tokens["cw1"];
    let inst = get(app.addr, "/api/v1/instruments/current", Some(cw)).json();
    assert_eq!(inst["version"], 1);
    let factors = inst["factors"].as_array().unwrap();
    assert!(factors
        .iter()
        .any(|f| f["id"] == "poverty" && f["level"] == "socioeconomic" && f["kind"] == "push"));
    assert!(factors.iter().any(|f| f["safety"] == true));
    let child = send_json(app.addr, "POST", "/api/v1/children", cw, &amina()).json();
    let path = format!(
        "/api/v1/children/{}/assessments",
        child["id"].as_str().unwrap()
    );

    let r = send_json(
        app.addr,
        "POST",
        &path,
        cw,
        &json!({"answers": {"poverty": true, "no_birth_registration": true, "supportive_caregiver": true}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let a = r.json();
    for k in [
        "id",
        "level",
        "layer",
        "urgent",
        "drivers",
        "recommended_services",
    ] {
        assert!(a.get(k).is_some(), "{k} in {a}");
    }
    assert!(a["recommended_services"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["sector"] == "civil_registration"));
    let r = send_json(
        app.addr,
        "POST",
        &path,
        cw,
        &json!({"answers": {"immediate_danger": true}}),
    );
    assert_eq!(r.json()["level"], "critical");
    assert_eq!(r.json()["urgent"], true);
    let id = r.json()["id"].as_str().unwrap().to_string();

    assert_eq!(
        send_json(
            app.addr,
            "POST",
            &path,
            cw,
            &json!({"answers": {"nonsense": true}})
        )
        .status,
        422
    );
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            &path,
            &app.tokens["cw2"],
            &json!({"answers": {"poverty": true}})
        )
        .status,
        404
    );
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            &path,
            &app.tokens["monitor"],
            &json!({"answers": {"poverty": true}})
        )
        .status,
        403
    );
    let history = get(app.addr, &path, Some(cw)).json();
    assert_eq!(history["items"].as_array().unwrap().len(), 2);

    let r = send_json(
        app.addr,
        "PATCH",
        &format!("/api/v1/assessments/{id}"),
        cw,
        &json!({"level": "high"}),
    );
    assert_eq!(r.status, 422, "an override needs a reason");
    let r = send_json(
        app.addr,
        "PATCH",
        &format!("/api/v1/assessments/{id}"),
        cw,
        &json!({"level": "high", "reason": "danger has passed: the recruiter was arrested"}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        (
            r.json()["level"].clone(),
            r.json()["confirmed_level"].clone()
        ),
        (json!("critical"), json!("high"))
    );

    let auth = format!("Bearer {}", app.tokens["admin"]);
    let mut changed = inst.clone();
    changed["thresholds"]["medium"] = json!(3.5);
    let body = json!({"version": 1, "name": "v2", "thresholds": changed["thresholds"], "factors": [{"id": "poverty", "level": "socioeconomic", "kind": "push", "weight": 2.0, "description": "Poverty"}]}).to_string();
    let r = request(
        app.addr,
        "POST",
        "/api/v1/instruments",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    let auth_cw = format!("Bearer {cw}");
    let r = request(
        app.addr,
        "POST",
        "/api/v1/instruments",
        &[
            ("Authorization", &auth_cw),
            ("Content-Type", "application/json"),
        ],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 403);
}
