//! Offline field work on cases (issue 16): a laptop's checkout brings the
//! caseworker's open cases with their history; a step or a note taken
//! offline is applied at the sync by the case's own rules, dated when it
//! was taken, or refused with the reason when the case was closed or
//! handed to someone else meanwhile, and nothing is written then.

use crate::field::{cw1_laptop, outcomes, sync};
use crate::http::{get, send_json};
use crate::{spawn_app, App};
use haven_store::Store;
use serde_json::{json, Value};

/// A step (`action`) or a note taken on a laptop, on a case it saw at
/// `seen`, three days ago.
fn case_work(n: u64, case: &str, action: Option<&str>, seen: &str, text: Option<&str>) -> Value {
    let (kind, changes) = match action {
        Some(a) => (
            "case.step",
            json!([{"field": "action", "base": seen, "value": a},
                   {"field": "text", "base": null, "value": text}]),
        ),
        None => (
            "case.note",
            json!([{"field": "note", "base": seen, "value": text}]),
        ),
    };
    json!({"n": n, "kind": kind, "record": case,
           "made_at": crate::conformance_now() - 3 * 86_400, "changes": changes})
}

/// A child of cw1's, assessed, with a case open for cw1 at the
/// assessment step: the case's identifier.
fn assessed_case(app: &App, given: &str) -> String {
    let cw1 = &app.tokens["cw1"];
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/children",
        cw1,
        &json!({"given_name": given, "family_name": "Kamara", "sex": "female",
                "date_of_birth": "2015-05-04", "location": "D11",
                "birth_registration": "registered"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let child = r.json()["id"].as_str().unwrap().to_string();
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/children/{child}/cases"),
        cw1,
        &json!({}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let case = r.json()["id"].as_str().unwrap().to_string();
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/children/{child}/assessments"),
        cw1,
        &json!({"answers": {"poverty": true, "disability": true}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    case
}

/// A referral made on a laptop under its own identifier.
fn referral(n: u64, case: &str, id: &str, service: &str, kind: &str, reason: &str) -> Value {
    json!({"n": n, "kind": "referral.make", "record": case,
           "made_at": crate::conformance_now() - 2 * 86_400,
           "changes": [
               {"field": "id", "base": null, "value": id},
               {"field": "service_id", "base": null, "value": service},
               {"field": "kind", "base": null, "value": kind},
               {"field": "reason", "base": null, "value": reason}]})
}

/// A service in the directory, covering `coverage`: its identifier.
fn service(app: &App, name: &str, coverage: &str) -> String {
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/services",
        &app.tokens["admin"],
        &json!({"name": name, "provider": "Ministry", "agency": "CIVREG",
                "sector": "civil_registration", "layers": ["secondary"],
                "coverage": coverage, "factors": []}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_string()
}

fn step(app: &App, who: &str, case: &str, action: &str, body: Value) {
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/cases/{case}/steps/{action}"),
        &app.tokens[who],
        &body,
    );
    assert_eq!(r.status, 200, "{action}: {}", r.body);
}

fn case_file(app: &App, case: &str) -> Value {
    let r = get(
        app.addr,
        &format!("/api/v1/cases/{case}"),
        Some(&app.tokens["sup1"]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn checkout(app: &App, laptop: &str, since: Option<i64>) -> Value {
    let query = since.map_or(String::new(), |s| format!("?since={s}"));
    let r = get(
        app.addr,
        &format!("/api/v1/field/laptops/{laptop}/checkout{query}"),
        Some(&app.tokens["cw1"]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[test]
fn case_work_done_offline_is_applied_by_the_cases_rules_or_refused_when_it_closed_or_moved() {
    let app = spawn_app();
    let (kept, closed, handed) = (
        assessed_case(&app, "Adama"),
        assessed_case(&app, "Binta"),
        assessed_case(&app, "Christiana"),
    );
    let (desk, elsewhere) = (
        service(&app, "Birth registration desk", "R1"),
        service(&app, "Registry of the other region", "R2"),
    );
    let laptop = cw1_laptop(&app, "District laptop 7");

    // The checkout brings cw1's three open cases, each with its history,
    // and the services directory.
    let first = checkout(&app, &laptop, None);
    let directory: Vec<&str> = first["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(directory.contains(&desk.as_str()) && directory.contains(&elsewhere.as_str()));
    // And the instrument the laptop assesses with, and each child's
    // assessments (one each here), with the version each was made with.
    assert_eq!(first["instruments"][0]["version"], 1, "{first}");
    let assessed = first["assessments"].as_array().unwrap();
    assert_eq!(assessed.len(), 3, "{first}");
    assert!(assessed
        .iter()
        .all(|a| a["instrument_version"] == 1 && a["assessment"]["assessed_by"] == "cw1"));
    let mut open: Vec<&str> = first["open_cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    open.sort();
    let mut expected = vec![kept.as_str(), closed.as_str(), handed.as_str()];
    expected.sort();
    assert_eq!(open, expected, "{first}");
    let cases = first["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 3, "{first}");
    let sent = cases.iter().find(|c| c["case"]["id"] == kept).unwrap();
    assert_eq!(sent["case"]["step"], "assessment");
    let kinds: Vec<&str> = sent["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"record_assessment"), "{kinds:?}");

    // Meanwhile on the server: one case is closed, one handed to the
    // supervisor.
    step(&app, "cw1", &closed, "submit_plan", json!({"text": "Plan"}));
    step(&app, "sup1", &closed, "approve_plan", json!({}));
    step(
        &app,
        "cw1",
        &closed,
        "request_closure",
        json!({"text": "Done"}),
    );
    step(&app, "sup1", &closed, "approve_closure", json!({}));
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/cases/{handed}/assignment"),
        &app.tokens["sup1"],
        &json!({"assigned_to": "sup1", "reason": "cw1 is away for a month"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let history = |case: &str| case_file(&app, case)["events"].as_array().unwrap().len();
    let (closed_before, handed_before) = (history(&closed), history(&handed));

    let plan = "Birth certificate with the registrar; school fees through the bursary";
    let r = sync(
        &app,
        &laptop,
        &json!({"operations": [
            case_work(1, &kept, Some("submit_plan"), "assessment", Some(plan)),
            case_work(2, &kept, None, "planning", Some("Grandmother will come to the office on Monday")),
            case_work(3, &closed, Some("follow_up"), "assessment", Some("Visited at home")),
            case_work(4, &handed, None, "assessment", Some("Called the school")),
            // The case's own rules: a plan waits for approval first.
            case_work(5, &kept, Some("request_closure"), "planning", Some("All done")),
            // A plan needs its words.
            case_work(6, &kept, Some("submit_plan"), "planning", None),
            // Not a step a case takes.
            case_work(7, &kept, Some("vanish"), "planning", None),
            referral(8, &kept, "0000000000000000000000000000aaa8", &desk, "service", "No birth certificate"),
            // A service that does not cover the child's district.
            referral(9, &kept, "0000000000000000000000000000aaa9", &elsewhere, "service", "Registry"),
            // Adoption needs an adoptability determination first.
            referral(10, &kept, "000000000000000000000000000aaa10", &desk, "adoption", "Adoption"),
            referral(11, &closed, "000000000000000000000000000aaa11", &desk, "service", "Registry"),
            // The reason is the referral's substance.
            referral(12, &kept, "000000000000000000000000000aaa12", &desk, "service", "  "),
        ], "pending": 0}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let answer = r.json();
    assert_eq!(
        outcomes(&answer),
        [
            "applied", "applied", "refused", "refused", "refused", "refused", "refused", "applied",
            "refused", "refused", "refused", "refused"
        ],
        "{answer}"
    );
    let reason = |i: usize| answer["results"][i]["reason"].as_str().unwrap().to_string();
    assert!(
        reason(2).contains("closed on the server meanwhile"),
        "{answer}"
    );
    assert!(reason(3).contains("handed to sup1"), "{answer}");
    assert!(reason(4).contains("a case closes after"), "{answer}");
    assert!(reason(4).contains("at planning on the laptop"), "{answer}");
    assert!(reason(5).contains("text"), "{answer}");
    assert!(reason(6).contains("action"), "{answer}");
    assert!(reason(8).contains("service_id"), "{answer}");
    assert!(reason(9).contains("adoptability"), "{answer}");
    assert!(
        reason(10).contains("closed on the server meanwhile"),
        "{answer}"
    );
    assert!(reason(11).contains("reason"), "{answer}");
    // Each with a code a laptop puts in its user's language.
    let codes: Vec<&str> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        codes,
        [
            "-",
            "-",
            "case_closed",
            "case_handed_on",
            "case_rules",
            "invalid",
            "invalid",
            "-",
            "invalid",
            "invalid",
            "case_closed",
            "invalid"
        ]
    );

    // Applied as online, by cw1, dated when it was taken on the laptop.
    let file = case_file(&app, &kept);
    assert_eq!(file["step"], "planning");
    assert_eq!(file["plan_status"], "submitted");
    assert_eq!(file["plan"], plan);
    let events = file["events"].as_array().unwrap();
    let note = events
        .iter()
        .find(|e| e["kind"] == "note")
        .expect("the note is in the history");
    assert_eq!(note["author"], "cw1");
    assert_eq!(note["at"], crate::conformance_now() - 3 * 86_400);
    assert_eq!(
        events.iter().filter(|e| e["kind"] == "submit_plan").count(),
        1
    );
    // The referral, under the laptop's identifier, sent when it was made.
    let referrals = file["referrals"].as_array().unwrap();
    assert_eq!(referrals.len(), 1, "{file}");
    assert_eq!(referrals[0]["id"], "0000000000000000000000000000aaa8");
    assert_eq!(referrals[0]["service_id"], desk.as_str());
    assert_eq!(referrals[0]["sent_by"], "cw1");
    assert_eq!(
        referrals[0]["sent_at"],
        crate::conformance_now() - 2 * 86_400
    );
    assert_eq!(referrals[0]["status"], "sent");
    // The refused work wrote nothing.
    assert_eq!(history(&closed), closed_before);
    assert_eq!(history(&handed), handed_before);
    assert_eq!(case_file(&app, &closed)["step"], "closed");

    // Sent again (its answer lost): the same answers, nothing twice.
    let again = sync(
        &app,
        &laptop,
        &json!({"operations": [
            case_work(1, &kept, Some("submit_plan"), "assessment", Some(plan)),
        ], "pending": 0}),
    );
    assert_eq!(outcomes(&again.json()), ["applied"]);
    let again = sync(
        &app,
        &laptop,
        &json!({"operations": [
            referral(8, &kept, "0000000000000000000000000000aaa8", &desk, "service", "No birth certificate"),
        ], "pending": 0}),
    );
    assert_eq!(outcomes(&again.json()), ["applied"], "{}", again.body);
    assert_eq!(
        case_file(&app, &kept)["referrals"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // A new operation reusing the identifier for another case is refused.
    let reused = sync(
        &app,
        &laptop,
        &json!({"operations": [
            referral(13, &handed, "0000000000000000000000000000aaa8", &desk, "service", "Registry"),
        ], "pending": 0}),
    );
    assert_eq!(outcomes(&reused.json()), ["refused"], "{}", reused.body);
    // A refusal sent again gets the same answer, its code with it.
    let resent = sync(
        &app,
        &laptop,
        &json!({"operations": [
            case_work(3, &closed, Some("follow_up"), "assessment", Some("Visited at home")),
        ], "pending": 0}),
    );
    assert_eq!(resent.json()["results"][0]["code"], "case_closed");
    assert_eq!(
        case_file(&app, &kept)["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "submit_plan")
            .count(),
        1
    );

    // The audit log says where the step was taken.
    let admin = haven_domain::Actor {
        role: haven_domain::Role::Admin,
        ..haven_domain::Actor::system()
    };
    let audit = app
        .store
        .recent_audit(&admin, 300, crate::conformance_now())
        .unwrap();
    assert!(
        audit.iter().any(|e| e.action == "case.submit_plan"
            && e.target == format!("case:{kept}")
            && e.actor == "cw1"
            && e.detail.contains("made offline on a field laptop")),
        "no audit entry for the offline step"
    );
    assert!(audit.iter().any(|e| e.action == "field.operation"
        && e.target == format!("case:{closed}")
        && e.outcome == "refused"));

    // The next checkout: the closed and the handed case leave the laptop;
    // the kept one comes back changed.
    let next = checkout(&app, &laptop, Some(first["at"].as_i64().unwrap()));
    assert_eq!(next["open_cases"], json!([kept]), "{next}");
    let back = next["cases"].as_array().unwrap();
    assert!(back.iter().any(|c| c["case"]["id"] == kept
        && c["case"]["step"] == "planning"
        && c["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "note")
        && c["referrals"][0]["id"] == "0000000000000000000000000000aaa8"));
}

#[test]
fn a_supervisors_laptop_takes_the_areas_open_cases_and_another_area_sees_none() {
    let app = spawn_app();
    let case = assessed_case(&app, "Dauda");
    for (who, holds) in [("sup1", true), ("cw2", false)] {
        let r = send_json(
            app.addr,
            "POST",
            "/api/v1/field/laptops",
            &app.tokens[who],
            &json!({"label": "Laptop"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let laptop = r.json()["id"].as_str().unwrap().to_string();
        let r = get(
            app.addr,
            &format!("/api/v1/field/laptops/{laptop}/checkout"),
            Some(&app.tokens[who]),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let open = r.json()["open_cases"].clone();
        assert_eq!(
            open.as_array().unwrap().iter().any(|c| c == &case),
            holds,
            "{who}: {open}"
        );
    }
}

#[test]
fn an_assessment_made_offline_before_a_later_one_takes_its_place_in_time() {
    let app = spawn_app();
    let cw1 = &app.tokens["cw1"];
    let case = assessed_case(&app, "Esther");
    let child = case_file(&app, &case)["child_id"]
        .as_str()
        .unwrap()
        .to_string();
    // Today, on the server: immediate danger.
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/children/{child}/assessments"),
        cw1,
        &json!({"answers": {"immediate_danger": true}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(case_file(&app, &case)["level"], "critical");
    // Three days ago, on a laptop, with little risk; it arrives now.
    let laptop = cw1_laptop(&app, "Late laptop");
    let offline = "0000000000000000000000000000bee1";
    let r = sync(
        &app,
        &laptop,
        &json!({"operations": [{"n": 1, "kind": "assessment.record", "record": child,
            "made_at": crate::conformance_now() - 3 * 86_400,
            "changes": [
                {"field": "id", "base": null, "value": offline},
                {"field": "instrument_version", "base": null, "value": "1"},
                {"field": "answers", "base": null, "value": "{}"}]}],
            "pending": 0}),
    );
    assert_eq!(outcomes(&r.json()), ["applied"], "{}", r.body);
    // The case keeps the latest level, and the history lists the offline
    // assessment first: it was made first.
    assert_eq!(case_file(&app, &case)["level"], "critical");
    let history = get(
        app.addr,
        &format!("/api/v1/children/{child}/assessments"),
        Some(cw1),
    )
    .json();
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{history}");
    assert_eq!(items[0]["id"], offline, "{history}");
    assert_eq!(items[2]["level"], "critical", "{history}");
    // The laptop's next checkout brings the child again, with all three.
    let next = checkout(&app, &laptop, Some(crate::conformance_now()));
    assert!(next["children"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == child.as_str()));
    let ids: Vec<&str> = next["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["assessment"]["child_id"] == child.as_str())
        .map(|a| a["assessment"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{next}");
    assert_eq!(ids[0], offline, "in the order they were made");
}

#[test]
fn a_checkout_brings_the_areas_households_with_their_caregivers_and_no_others() {
    let app = spawn_app();
    let household = |who: &str, district: &str, caregiver: &str| {
        let r = send_json(
            app.addr,
            "POST",
            "/api/v1/households",
            &app.tokens[who],
            &json!({"location": district, "address": "Behind the mill",
                    "caregivers": [{"given_name": caregiver, "family_name": "Bangura",
                                    "relationship": "grandmother", "contact": "+999 2"}]}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_string()
    };
    let ours = household("cw1", "D11", "Mariama");
    let theirs = household("cw2", "D21", "Kadiatu");
    let laptop = cw1_laptop(&app, "Household laptop");
    let first = checkout(&app, &laptop, None);
    let homes = first["households"].as_array().unwrap();
    assert_eq!(homes.len(), 1, "{first}");
    let home = &homes[0]["household"];
    assert_eq!(home["id"], ours.as_str());
    assert_eq!(home["address"], "Behind the mill");
    assert_eq!(home["caregivers"][0]["given_name"], "Mariama");
    assert!(
        !first.to_string().contains(&theirs),
        "another area's household"
    );
    // Unchanged, it is not sent again; a caregiver added brings it back.
    let at = first["at"].as_i64().unwrap();
    let later = checkout(&app, &laptop, Some(at + 1));
    assert_eq!(later["households"], json!([]), "{later}");
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/households/{ours}/caregivers"),
        &app.tokens["cw1"],
        &json!({"given_name": "Sorie", "relationship": "uncle"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let again = checkout(&app, &laptop, Some(at));
    assert_eq!(
        again["households"][0]["household"]["caregivers"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "{again}"
    );
}
