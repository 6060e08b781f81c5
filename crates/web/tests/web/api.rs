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

/// The (method, path) pairs `api::routes()` registers, read from its
/// source, with `:name` written `{name}` as OpenAPI does.
fn routes_in_router() -> std::collections::BTreeSet<(String, String)> {
    let src = include_str!("../../src/api/mod.rs");
    let body = &src[src.find("pub fn routes()").unwrap()..];
    let body = &body[..body.find(".layer(axum::middleware::map_response").unwrap()];
    let mut out = std::collections::BTreeSet::new();
    for chunk in body.split(".route(").skip(1) {
        let path = chunk.split('"').nth(1).unwrap();
        let path = path
            .split('/')
            .map(|s| match s.strip_prefix(':') {
                Some(name) => format!("{{{name}}}"),
                None => s.to_string(),
            })
            .collect::<Vec<_>>()
            .join("/");
        let mut found = false;
        for method in ["get", "post", "patch", "delete", "put"] {
            let call = format!("{method}(");
            let called = chunk
                .match_indices(&call)
                .any(|(i, _)| !chunk[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_'));
            if called {
                out.insert((method.to_string(), path.clone()));
                found = true;
            }
        }
        assert!(found, "no method found for {path}");
    }
    out
}

#[test]
fn every_route_is_in_the_document_and_every_documented_operation_is_routed() {
    let app = spawn_app();
    let doc = get(app.addr, "/api/openapi.json", None).json();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let routed = routes_in_router();
    assert!(routed.len() > 50, "{routed:?}");
    let missing: Vec<_> = routed.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the document: {missing:?}"
    );
    let extra: Vec<_> = documented.difference(&routed).collect();
    assert!(extra.is_empty(), "documented but not routed: {extra:?}");

    // And the server answers each documented operation (no 405, and not the
    // fallback's "no such endpoint").
    let admin = &app.tokens["admin"];
    let auth = format!("Bearer {admin}");
    for (method, path) in &documented {
        let concrete = path.replace("{action}", "reopen").replace(['{', '}'], "");
        // A body only where one is read: a server that answers a GET
        // without reading the body it was sent may close the connection
        // with the body unread, and the answer is then lost to a reset.
        let body: Option<&[u8]> =
            matches!(method.as_str(), "post" | "put" | "patch").then_some(b"{}");
        let r = request(
            app.addr,
            &method.to_uppercase(),
            &concrete,
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            body,
        );
        assert_ne!(r.status, 405, "{method} {path}");
        assert!(
            !r.body.contains("no such endpoint"),
            "{method} {path}: {}",
            r.body
        );
        assert!(r.status < 500, "{method} {path}: {} {}", r.status, r.body);
    }

    // Every operation has an id of its own, an error body for each error
    // it lists, and the authenticated ones list 401.
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            assert!(ids.insert(id.to_string()), "{id} is used twice");
            let responses = op["responses"].as_object().unwrap();
            for (status, r) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    assert_eq!(
                        r["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ErrorBody",
                        "{method} {path} {status}"
                    );
                }
            }
            if !path.contains("/public/") && path != "/api/openapi.json" {
                assert!(responses.contains_key("401"), "{method} {path}");
            }
        }
    }
}

#[test]
fn the_document_says_what_the_server_enforces() {
    let app = spawn_app();
    let doc = get(app.addr, "/api/openapi.json", None).json();
    fn refs<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(|r| r.as_str()) {
                    out.push(r);
                }
                m.values().for_each(|v| refs(v, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        let name = r.strip_prefix("#/components/schemas/").unwrap();
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{r} is not in the document"
        );
    }
    let schemas = &doc["components"]["schemas"];
    let child = &schemas["NewChild"];
    assert_eq!(child["additionalProperties"], false);
    let required = child["required"].as_array().unwrap();
    for f in ["given_name", "sex", "location"] {
        assert!(required.contains(&json!(f)), "{f} required");
    }
    assert!(child["properties"]["given_name"]["pattern"].is_string());
    assert_eq!(child["properties"]["estimated_age"]["maximum"], 17);
    assert_eq!(
        schemas["Sex"]["enum"],
        json!(["female", "male", "other", "unknown"])
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let create = &doc["paths"]["/api/v1/children"]["post"];
    assert_eq!(
        create["responses"]["201"]["links"]["read"]["operationId"],
        "read_child"
    );
    assert!(
        doc["paths"]["/api/v1/hashlists/{id}/entries/image"]["post"]["requestBody"]["content"]
            ["multipart/form-data"]
            .is_object()
    );
    assert!(
        doc["paths"]["/api/v1/hashlists/{id}/imports"]["post"]["requestBody"]["content"]
            ["text/plain"]
            .is_object()
    );
}

/// Found by schemathesis: JSON Schema's `integer` takes `14.0`, and so
/// must the server (serde alone refused it as "expected i64").
#[test]
fn a_whole_number_written_with_a_fraction_is_an_integer() {
    let app = spawn_app();
    let cw = &app.tokens["cw1"];
    let mut child = amina();
    child["date_of_birth"] = serde_json::Value::Null;
    child["estimated_age"] = json!(12.0);
    let r = send_json(app.addr, "POST", "/api/v1/children", cw, &child);
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let r = send_json(
        app.addr,
        "PATCH",
        &format!("/api/v1/children/{id}"),
        cw,
        &json!({"estimated_age": 14.0}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = send_json(
        app.addr,
        "PATCH",
        &format!("/api/v1/children/{id}"),
        cw,
        &json!({"estimated_age": 14.5}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
}

/// Found by schemathesis: axum's own refusals (here a multipart body
/// without a boundary) came back as text, not Haven's JSON error.
#[test]
fn refusals_from_the_framework_are_json_too() {
    let app = spawn_app();
    let auth = format!("Bearer {}", app.tokens["admin"]);
    let r = request(
        app.addr,
        "POST",
        "/api/v1/hashlists/x/entries/image",
        &[
            ("Authorization", &auth),
            ("Content-Type", "multipart/form-data"),
        ],
        Some(b"x"),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(r.error_code(), "bad_request");
    let r = request(
        app.addr,
        "DELETE",
        "/api/v1/children",
        &[("Authorization", &auth)],
        None,
    );
    assert_eq!(r.status, 405, "{}", r.body);
    assert!(r.header("allow").is_some());
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
}
