//! Offline field work through the server (issue 16): a caseworker's laptop
//! enrols and syncs over the API; a field the supervisor changed meanwhile
//! waits as a conflict on the caseworker's page, resolved there; the
//! administrator revokes the laptop on the same page and its next sync is
//! refused. Every bad request gets a JSON error and changes nothing. The
//! page passes axe-core and fits a 360 px screen, with a conflict on it.

use crate::browser::{axe_check, sign_in as browser_sign_in, Driver};
use crate::http::{get, send_json};
use crate::pages::{page, post, sign_in};
use crate::{spawn_app, App, PASSWORD};
use haven_store::Store;
use serde_json::{json, Value};
use std::sync::Arc;

pub(crate) fn sync(app: &App, laptop: &str, body: &Value) -> crate::http::Response {
    send_json(
        app.addr,
        "POST",
        &format!("/api/v1/field/laptops/{laptop}/sync"),
        &app.tokens["cw1"],
        body,
    )
}

/// What became of each operation of a sync, in order.
pub(crate) fn outcomes(answer: &Value) -> Vec<&str> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect()
}

fn change(n: u64, child: &str, field: &str, base: &str, value: &str) -> Value {
    json!({"n": n, "kind": "child.update", "record": child, "made_at": 1,
           "changes": [{"field": field, "base": base, "value": value}]})
}

/// A laptop of cw1's that changed Amina's family name offline while the
/// supervisor changed it on the server: (laptop id, child id).
fn laptop_with_a_conflict(app: &App) -> (String, String) {
    let cw1 = &app.tokens["cw1"];
    let child = send_json(
        app.addr,
        "POST",
        "/api/v1/children",
        cw1,
        &json!({"given_name": "Amina", "family_name": "Diallo", "sex": "female", "estimated_age": 9,
                "location": "D11", "birth_registration": "registered"}),
    );
    assert_eq!(child.status, 201, "{}", child.body);
    let child = child.json()["id"].as_str().unwrap().to_string();
    let laptop = send_json(
        app.addr,
        "POST",
        "/api/v1/field/laptops",
        cw1,
        &json!({"label": "District laptop 3"}),
    );
    assert_eq!(laptop.status, 201, "{}", laptop.body);
    let laptop = laptop.json()["id"].as_str().unwrap().to_string();
    let r = send_json(
        app.addr,
        "PATCH",
        &format!("/api/v1/children/{child}"),
        &app.tokens["sup1"],
        &json!({"family_name": "Diallo Ba"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = sync(
        app,
        &laptop,
        &json!({"operations": [change(1, &child, "family_name", "Diallo", "Diallo-Sow"),
                               change(2, &child, "disability", "false", "true")], "pending": 3}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let answer = r.json();
    assert_eq!(answer["acknowledged"], 2);
    assert_eq!(answer["results"][0]["outcome"], "conflict");
    assert_eq!(answer["results"][0]["conflicts"], json!(["family_name"]));
    assert_eq!(answer["results"][1]["outcome"], "applied");
    (laptop, child)
}

#[test]
fn a_laptop_syncs_over_the_api_and_its_conflict_is_resolved_on_the_page() {
    let app = spawn_app();
    let (laptop, child) = laptop_with_a_conflict(&app);

    // The checkout holds Amina as the server has her now.
    let taken = get(
        app.addr,
        &format!("/api/v1/field/laptops/{laptop}/checkout"),
        Some(&app.tokens["cw1"]),
    );
    assert_eq!(taken.status, 200, "{}", taken.body);
    let taken = taken.json();
    assert_eq!(taken["in_scope"], json!([child]));
    assert_eq!(taken["children"][0]["family_name"], "Diallo Ba");
    let since = taken["at"].as_i64().unwrap() + 1;
    let none = get(
        app.addr,
        &format!("/api/v1/field/laptops/{laptop}/checkout?since={since}"),
        Some(&app.tokens["cw1"]),
    )
    .json();
    assert_eq!(none["children"], json!([]));
    assert_eq!(
        get(
            app.addr,
            &format!("/api/v1/field/laptops/{laptop}/checkout"),
            Some(&app.tokens["cw2"])
        )
        .status,
        404
    );
    let bad = get(
        app.addr,
        &format!("/api/v1/field/laptops/{laptop}/checkout?since=9223372036854775808"),
        Some(&app.tokens["cw1"]),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    let twice = get(
        app.addr,
        &format!("/api/v1/field/laptops/{laptop}/checkout?since=1&since=2"),
        Some(&app.tokens["cw1"]),
    );
    assert_eq!(twice.status, 200, "{}", twice.body);
    let long = send_json(
        app.addr,
        "POST",
        "/api/v1/field/laptops",
        &app.tokens["cw1"],
        &json!({"label": format!("{}x", "\u{85}".repeat(100))}),
    );
    assert_eq!(
        long.status, 422,
        "longer than the document allows: {}",
        long.body
    );

    // Sent again after a lost answer: the same answer, nothing applied twice.
    let again = sync(
        &app,
        &laptop,
        &json!({"operations": [change(1, &child, "family_name", "Diallo", "Diallo-Sow"),
                               change(2, &child, "disability", "false", "true")]}),
    );
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["results"][1]["outcome"], "applied");
    // Bad requests: a JSON error each, nothing changed.
    for (body, status, code) in [
        (
            json!({"operations": [change(4, &child, "disability", "true", "false")]}),
            409,
            "conflict",
        ),
        (
            json!({"operations": [], "extra": 1}),
            422,
            "invalid_request",
        ),
        (
            json!({"operations": (1..=501).map(|n| change(n, &child, "disability", "true", "false")).collect::<Vec<_>>()}),
            422,
            "invalid",
        ),
    ] {
        let r = sync(&app, &laptop, &body);
        assert_eq!(r.status, status, "{}", r.body);
        assert!(r.json()["error"]["message"].is_string(), "{}", r.body);
        let _ = code;
    }
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/field/laptops/{laptop}/sync"),
        &app.tokens["cw2"],
        &json!({"operations": []}),
    );
    assert_eq!(r.status, 404, "another worker's laptop: {}", r.body);
    let record = get(
        app.addr,
        &format!("/api/v1/children/{child}"),
        Some(&app.tokens["cw1"]),
    )
    .json();
    assert_eq!(
        (
            record["family_name"].as_str(),
            record["disability"].as_bool()
        ),
        (Some("Diallo Ba"), Some(true))
    );

    // The conflict: for cw1 and the supervisor, not for cw2; not at all
    // for a monitoring officer.
    let conflicts = |who: &str| get(app.addr, "/api/v1/conflicts", Some(&app.tokens[who]));
    let mine = conflicts("cw1").json();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    assert_eq!(mine["items"][0]["laptop"], "Diallo-Sow");
    assert_eq!(mine["items"][0]["server"], "Diallo Ba");
    assert_eq!(conflicts("sup1").json(), mine);
    assert_eq!(conflicts("cw2").json()["items"], json!([]));
    assert_eq!(conflicts("monitor").status, 403);
    let id = mine["items"][0]["id"].as_str().unwrap().to_string();
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/conflicts/{id}/resolve"),
        &app.tokens["cw1"],
        &json!({"keep": "both"}),
    );
    assert_eq!(r.status, 422, "{}", r.body);

    // On the page, in the worker's words and in French; the laptop's value is kept.
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    assert!(page(&app, &cookie, "/").body.contains("href=\"/field\""));
    let p = page(&app, &cookie, "/field");
    assert_eq!(p.status, 200, "{}", p.body);
    for shown in [
        "Amina Diallo Ba",
        "Family name",
        "Diallo-Sow",
        "Diallo Ba",
        "District laptop 3",
        "Keep the laptop&#39;s value",
    ] {
        assert!(p.body.contains(shown), "{shown} in {}", p.body);
    }
    assert!(
        !p.body.contains("field_node.revoke") && !p.body.contains("/revoke\""),
        "only an administrator revokes"
    );
    assert!(page(&app, &cookie, "/field?lang=fr")
        .body
        .contains("Modifications qui vous attendent"));
    let r = post(
        &app,
        &cookie,
        &format!("/field/conflicts/{id}"),
        &format!("csrf={csrf}&keep=laptop"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let p = page(&app, &cookie, r.header("location").unwrap());
    assert!(
        p.body
            .contains("The laptop&#39;s value is now in the record."),
        "{}",
        p.body
    );
    assert!(p.body.contains("No change waits for you."));
    let record = get(
        app.addr,
        &format!("/api/v1/children/{child}"),
        Some(&app.tokens["cw1"]),
    )
    .json();
    assert_eq!(record["family_name"], "Diallo-Sow");

    // The administrator revokes the laptop on the page: its next sync is refused.
    let (admin, admin_csrf) = sign_in(&app, "admin", PASSWORD).unwrap();
    let p = page(&app, &admin, "/field");
    assert!(
        p.body.contains(&format!("/field/laptops/{laptop}/revoke")),
        "{}",
        p.body
    );
    assert!(p.body.contains("cw1"));
    let r = post(
        &app,
        &cookie,
        &format!("/field/laptops/{laptop}/revoke"),
        &format!("csrf={csrf}"),
    );
    assert_eq!(r.status, 403, "a caseworker does not revoke");
    let r = post(
        &app,
        &admin,
        &format!("/field/laptops/{laptop}/revoke"),
        &format!("csrf={admin_csrf}"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = sync(
        &app,
        &laptop,
        &json!({"operations": [change(3, &child, "disability", "true", "false")]}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("revoked"));
    let listed = get(
        app.addr,
        "/api/v1/field/laptops",
        Some(&app.tokens["admin"]),
    )
    .json();
    assert_eq!(listed["items"][0]["acknowledged"], 2);
    assert_eq!(listed["items"][0]["pending"], 0);
    assert!(listed["items"][0]["revoked_at"].is_i64());
}

#[test]
fn the_field_page_with_a_conflict_passes_axe_and_fits_a_phone_in_chromium() {
    let Some(d) = Driver::start() else { return };
    let app = spawn_app();
    laptop_with_a_conflict(&app);
    registered_on_two_laptops(&app);
    let base = format!("http://{}", app.addr);
    for (who, lang) in [("cw1", "fr"), ("admin", "es")] {
        browser_sign_in(&d, &base, who);
        d.go(&format!("{base}/field?lang={lang}"));
        d.find("h1");
        axe_check(&d, &format!("/field as {who} in {lang}"));
    }
    d.cmd(
        "POST",
        "/window/rect",
        Some(&json!({"width": 360, "height": 740})),
    );
    browser_sign_in(&d, &base, "cw1");
    d.go(&format!("{base}/field?lang=en"));
    d.find("form[action^='/field/conflicts/'] button");
    let fits = d.execute("return [document.documentElement.scrollWidth, window.innerWidth];");
    assert!(
        fits[0].as_f64().unwrap() <= fits[1].as_f64().unwrap(),
        "wider than the phone: {fits}"
    );
    d.cmd(
        "POST",
        "/window/rect",
        Some(&json!({"width": 1200, "height": 900})),
    );
}

/// Enrols a laptop of `name`'s with their password, as `haven field init`
/// does.
fn enrol_with_password(app: &App, name: &str, password: &str) -> crate::http::Response {
    let body = json!({"name": name, "password": password, "label": "Field laptop"}).to_string();
    crate::http::request(
        app.addr,
        "POST",
        "/api/v1/field/enrolments",
        &[("Content-Type", "application/json")],
        Some(body.as_bytes()),
    )
}

#[test]
fn a_laptop_enrols_with_its_users_password_and_its_credential_serves_only_it() {
    let app = spawn_app();
    let cw1 = &app.tokens["cw1"];
    let laptops = |who: &str| {
        get(app.addr, "/api/v1/field/laptops", Some(&app.tokens[who])).json()["items"]
            .as_array()
            .unwrap()
            .len()
    };

    // A wrong password enrols nothing, with a JSON error.
    let r = enrol_with_password(&app, "cw1", "not the password");
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(r.json()["error"]["code"].is_string());
    assert_eq!(laptops("cw1"), 0);
    let r = enrol_with_password(&app, "nobody", PASSWORD);
    assert_eq!(r.status, 401, "{}", r.body);
    // The right one: the laptop, its credential, who the user is and the
    // country's places.
    let r = enrol_with_password(&app, "cw1", PASSWORD);
    assert_eq!(r.status, 201, "{}", r.body);
    let answer = r.json();
    let laptop = answer["laptop"]["id"].as_str().unwrap().to_string();
    let credential = answer["token"].as_str().unwrap().to_string();
    assert!(credential.starts_with("hvl_"));
    assert_eq!(answer["user"]["name"], "cw1");
    assert_eq!(answer["user"]["role"], "caseworker");
    assert!(answer["locations"].as_array().unwrap().len() > 2);
    assert_eq!(laptops("cw1"), 1);
    // A monitor has no children's records to take into the field.
    let r = enrol_with_password(&app, "monitor", PASSWORD);
    assert_eq!(r.status, 403, "{}", r.body);

    // The credential checks out and syncs that laptop, as cw1.
    let child = send_json(
        app.addr,
        "POST",
        "/api/v1/children",
        cw1,
        &json!({"given_name": "Kofi", "family_name": "Mensah", "sex": "male", "estimated_age": 7,
                "location": "D11", "birth_registration": "registered"}),
    );
    assert_eq!(child.status, 201, "{}", child.body);
    let child = child.json()["id"].as_str().unwrap().to_string();
    let r = get(
        app.addr,
        &format!("/api/v1/field/laptops/{laptop}/checkout"),
        Some(&credential),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["in_scope"], json!([child.clone()]));
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/field/laptops/{laptop}/sync"),
        &credential,
        &json!({"operations": [change(1, &child, "disability", "false", "true")]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["results"][0]["outcome"], "applied");

    // Another laptop of cw1's is not this credential's.
    let other = send_json(
        app.addr,
        "POST",
        "/api/v1/field/laptops",
        cw1,
        &json!({"label": "Second laptop"}),
    );
    assert_eq!(other.status, 201, "{}", other.body);
    assert!(other.json()["token"].as_str().unwrap().starts_with("hvl_"));
    let other = other.json()["id"].as_str().unwrap().to_string();
    let r = get(
        app.addr,
        &format!("/api/v1/field/laptops/{other}/checkout"),
        Some(&credential),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // Nor is it good for anything but the field: not even reading the child.
    let r = get(
        app.addr,
        &format!("/api/v1/children/{child}"),
        Some(&credential),
    );
    assert_eq!(r.status, 401, "{}", r.body);
    let r = get(app.addr, "/api/v1/field/laptops", Some(&credential));
    assert_eq!(r.status, 401, "{}", r.body);

    // Revoked: refused, and a forged credential likewise.
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/field/laptops/{laptop}/revoke"),
        &app.tokens["admin"],
        &json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = get(
        app.addr,
        &format!("/api/v1/field/laptops/{laptop}/checkout"),
        Some(&credential),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("revoked"));
    let forged = format!("hvl_{}", "0".repeat(64));
    let r = get(
        app.addr,
        &format!("/api/v1/field/laptops/{laptop}/checkout"),
        Some(&forged),
    );
    assert_eq!(r.status, 401, "{}", r.body);
}

/// The link a laptop's pages sync through, standing in for the network to
/// the server (the sync itself is `haven field sync`'s, tested end to end
/// with a real server in the CLI test): it counts the syncs asked for and
/// answers as a server would.
struct CountingLink {
    syncs: std::sync::atomic::AtomicUsize,
    reachable: bool,
}

impl haven_web::field_link::FieldLink for CountingLink {
    fn server(&self) -> String {
        "https://haven.ministry.example".into()
    }
    fn last_sync_at(&self) -> Option<i64> {
        Some(crate::conformance_now())
    }
    fn destroyed(&self) -> bool {
        false
    }
    fn sync(
        &self,
    ) -> Result<haven_web::field_link::SyncSummary, haven_web::field_link::SyncFailure> {
        self.syncs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if !self.reachable {
            return Err(haven_web::field_link::SyncFailure::Unreachable(
                "connection refused".into(),
            ));
        }
        Ok(haven_web::field_link::SyncSummary {
            applied: 2,
            conflicts: 1,
            refused: 0,
            received: 14,
            removed: 1,
            cases_received: 3,
            cases_removed: 1,
        })
    }
}

/// A laptop's own server: its store keeps changes to children as
/// operations; one change was refused by the server at the last sync.
fn laptop(link: Arc<CountingLink>) -> App {
    laptop_syncing_every(link, None)
}

/// [`laptop`], syncing by itself every `every`.
fn laptop_syncing_every(link: Arc<CountingLink>, every: Option<std::time::Duration>) -> App {
    use haven_store::{conformance, Keyring, SqlStore};
    let dir = crate::TempDir::new();
    let now = crate::conformance_now();
    let open = || {
        let backend =
            haven_store_sqlite::SqliteBackend::open(&dir.0.join("haven.db"), now).unwrap();
        SqlStore::open(
            Box::new(backend),
            Keyring::load_or_create(&dir.0.join("haven.key")).unwrap(),
            now,
        )
        .unwrap()
    };
    let store = Arc::new(open().with_field_outbox());
    let [admin, cw1, ..] = conformance::seed(store.as_ref());
    let (kid, _) = store
        .create_child(
            &cw1,
            &conformance::child("Awa", "Sow", "2018-04-01", "D11"),
            now,
        )
        .unwrap();
    // Her case and a service, as a checkout brings them (written here
    // without the laptop's outbox, as the server's are); then a note and
    // a referral made on the laptop.
    let (case, service) = {
        let server_side = open();
        let case = server_side.open_case(&cw1, &kid.id, None, now).unwrap();
        let service = server_side
            .create_service(
                &admin,
                &haven_domain::casework::NewService {
                    name: "Registry desk".into(),
                    provider: "Ministry".into(),
                    agency: "CIVREG".into(),
                    sector: haven_domain::casework::Sector::CivilRegistration,
                    layers: vec![haven_domain::assessment::PreventionLayer::Secondary],
                    coverage: "R1".into(),
                    factors: Vec::new(),
                    contact: "+000 555 0100".into(),
                },
                now,
            )
            .unwrap();
        (case, service)
    };
    store
        .add_case_note(&cw1, &case.id, "Aunt will bring the papers", now)
        .unwrap();
    store
        .refer(
            &cw1,
            &case.id,
            &service.id,
            haven_domain::casework::ReferralKind::Service,
            "No birth certificate",
            now,
        )
        .unwrap();
    for school in [true, false] {
        let patch = haven_domain::ChildPatch {
            in_school: Some(school),
            ..Default::default()
        };
        store.update_child(&cw1, &kid.id, &patch, now).unwrap();
    }
    // The registration, the case note, the referral and two changes
    // wait; at the last sync the server took the registration and refused
    // the note, the referral (the case was closed) and the first change
    // (the child left the area).
    let sys = haven_domain::Actor::system();
    let (ops, _) = store.field_outbox(&sys, 0, 10).unwrap();
    let kinds: Vec<&str> = ops.iter().map(|o| o.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "child.register",
            "case.note",
            "referral.make",
            "child.update",
            "child.update"
        ]
    );
    let closed = "the case was closed on the server meanwhile";
    let result = |n: u64, outcome, reason: Option<&str>| haven_domain::field_ops::OperationResult {
        n,
        outcome,
        reason: reason.map(Into::into),
        code: reason.map(|r| {
            if r.contains("case") {
                haven_domain::field_ops::Refusal::CaseClosed
            } else {
                haven_domain::field_ops::Refusal::OutOfArea
            }
        }),
        conflicts: Vec::new(),
    };
    let refused = haven_domain::field_ops::Outcome::Refused;
    store
        .field_outbox_answered(
            &sys,
            ops[3].n,
            &[
                result(ops[0].n, haven_domain::field_ops::Outcome::Applied, None),
                result(ops[1].n, refused, Some(closed)),
                result(ops[2].n, refused, Some(closed)),
                result(ops[3].n, refused, Some("the child is outside your area")),
            ],
        )
        .unwrap();
    let (runtime, addr) = crate::serve(store.clone(), move |st| {
        st.field_laptop = true;
        st.field_link = Some(link);
        st.field_sync_every = every;
    });
    App {
        addr,
        store,
        tokens: std::collections::HashMap::new(),
        runtime: Some(runtime),
        _dir: dir,
        pg: None,
    }
}

#[test]
fn a_laptops_own_page_syncs_lists_refused_changes_and_explains_what_waits_for_the_server() {
    let Some(d) = Driver::start() else { return };
    let link = Arc::new(CountingLink {
        syncs: Default::default(),
        reachable: true,
    });
    let app = laptop(link.clone());
    let base = format!("http://{}", app.addr);
    browser_sign_in(&d, &base, "cw1");

    // In French: the server, one change waiting, the refused one with the
    // server's reason, and the page passes axe.
    d.go(&format!("{base}/field?lang=fr"));
    assert_eq!(d.text("h1"), "Synchronisation de cet ordinateur");
    assert!(d.text("main").contains("https://haven.ministry.example"));
    assert!(d.text("main").contains("the child is outside your area"));
    // The refused case note and referral, each by what it was.
    let main = d.text("main");
    assert!(
        main.contains("Note de dossier de suivi écrite le"),
        "{main}"
    );
    assert!(main.contains("Aunt will bring the papers"), "{main}");
    assert!(main.contains("Orientation faite le"), "{main}");
    assert!(main.contains("No birth certificate"), "{main}");
    // Why, in French; the server's own words beside it.
    assert!(
        main.contains("Le dossier de suivi a été clos sur le serveur entre-temps."),
        "{main}"
    );
    assert!(
        main.contains("Le dossier de l'enfant n'est plus dans votre zone"),
        "{main}"
    );
    assert!(main.contains("Les mots du serveur"), "{main}");
    axe_check(&d, "the laptop's /field in French");

    // Sync now: the link is asked once, and the page says what it did
    // (in the browser's language: the `?lang=` of one page does not stay).
    d.click("form[action='/field/sync'] button");
    let said = d.wait_text("[role=status]", |t| t.contains("14"));
    assert!(said.contains("2 changes applied"), "{said}");
    assert_eq!(link.syncs.load(std::sync::atomic::Ordering::SeqCst), 1);

    // Discard the refused changes: gone from the page and the store, and
    // each discard is audited as the caseworker's.
    for left in (0..3).rev() {
        d.click("form[action$='/discard'] button");
        // Asked again until the next page has loaded (the last page's
        // "discarded" would match before it does).
        let forms = "return document.querySelectorAll(\"form[action$='/discard']\").length;";
        let mut seen = json!(null);
        for _ in 0..500 {
            seen = d.execute(forms);
            if seen == json!(left) {
                break;
            }
        }
        assert_eq!(seen, json!(left));
        d.wait_text("[role=status]", |t| t.contains("discarded"));
    }
    assert!(d.text("main").contains("No change was refused"));
    let sys = haven_domain::Actor::system();
    assert!(app.store.refused_operations(&sys).unwrap().is_empty());
    let admin = haven_domain::Actor {
        role: haven_domain::Role::Admin,
        ..sys.clone()
    };
    let audit = app
        .store
        .recent_audit(&admin, 50, crate::conformance_now())
        .unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "field.discard" && e.actor == "cw1"));

    // The case that came with the checkout: its page on the laptop passes
    // axe in French, and a note written there is kept for the sync.
    let case = app
        .store
        .list_cases(
            &admin,
            &haven_store::casework::CaseFilter {
                limit: 10,
                ..Default::default()
            },
            crate::conformance_now(),
        )
        .unwrap()
        .remove(0)
        .id;
    d.go(&format!("{base}/cases/{case}?lang=fr"));
    axe_check(&d, "a case's page on the laptop in French");
    d.type_into("#note", "Written in the village");
    d.click("form[action$='/note'] button");
    d.wait_text("main", |t| t.contains("Written in the village"));
    let (ops, _) = app.store.field_outbox(&sys, 0, 10).unwrap();
    assert!(
        ops.iter()
            .any(|o| o.kind == "case.note" && o.record == case),
        "{ops:?}"
    );

    // A page form the laptop does not take (adding a place: done on the
    // server) gets a page in the reader's language, not an error in English.
    d.go(&format!("{base}/field?lang=es"));
    d.execute(
        "const f = document.querySelector(\"form[action='/field/sync']\"); f.action = '/locations?lang=es'; f.submit();",
    );
    assert_eq!(
        d.wait_text("h1", |t| t == "No en este portátil"),
        "No en este portátil"
    );
    axe_check(&d, "the laptop's refusal of a page form in Spanish");

    // At 360 px the page fits.
    d.cmd(
        "POST",
        "/window/rect",
        Some(&json!({"width": 360, "height": 740})),
    );
    d.go(&format!("{base}/field?lang=en"));
    d.find("form[action='/field/sync'] button");
    let fits = d.execute("return [document.documentElement.scrollWidth, window.innerWidth];");
    assert!(
        fits[0].as_f64().unwrap() <= fits[1].as_f64().unwrap(),
        "wider than the phone: {fits}"
    );
    d.cmd(
        "POST",
        "/window/rect",
        Some(&json!({"width": 1200, "height": 900})),
    );
}

#[test]
fn a_laptop_that_cannot_reach_its_server_says_so_and_keeps_the_changes() {
    let link = Arc::new(CountingLink {
        syncs: Default::default(),
        reachable: false,
    });
    let app = laptop(link.clone());
    let (s, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let form = format!("csrf={csrf}");
    let r = post(&app, &s, "/field/sync", &form);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(link.syncs.load(std::sync::atomic::Ordering::SeqCst), 1);
    let r = page(&app, &s, "/field?done=unreachable&lang=en");
    assert!(r.body.contains("could not be reached"), "{}", r.body);
    let waiting = || {
        app.store
            .field_outbox(&haven_domain::Actor::system(), 0, 0)
            .unwrap()
            .1
    };
    assert_eq!(waiting(), 1, "the change still waits");
    // A child registered on the laptop's page waits for the sync too; one
    // with a new household is refused beside the field (households are
    // registered online), and nothing of it waits.
    let r = post(
        &app,
        &s,
        "/children",
        &format!("{form}&given_name=Kadiatou&family_name=Bah&sex=female&estimated_age=9&location=D11&birth_registration=not_registered"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(waiting(), 2);
    let r = post(
        &app,
        &s,
        "/children",
        &format!("{form}&given_name=Fatou&family_name=Bah&sex=female&estimated_age=7&location=D11&birth_registration=not_registered&caregiver_given_name=Awa&caregiver_family_name=Bah&caregiver_relationship=mother"),
    );
    assert!(
        r.status == 422 || r.status == 409,
        "{} {}",
        r.status,
        r.body
    );
    assert!(r.body.contains("household"), "{}", r.body);
    assert_eq!(waiting(), 2);
    // An assessment made on the laptop's page is kept for the sync; were
    // the server to refuse it, the page names it as an assessment.
    let sys = haven_domain::Actor::system();
    let (ops, _) = app.store.field_outbox(&sys, 0, 10).unwrap();
    let awa = ops[0].record.clone();
    let r = post(
        &app,
        &s,
        &format!("/children/{awa}/assessments"),
        &format!("{form}&answer.poverty=yes&answer.immediate_danger=no&notes=Seen+at+school"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(waiting(), 3);
    let (ops, _) = app.store.field_outbox(&sys, 0, 10).unwrap();
    let op = ops.last().unwrap();
    assert_eq!(op.kind, "assessment.record");
    assert_eq!(op.record, awa);
    let kept = haven_domain::field_ops::OfflineAssessment::from_changes(&op.changes).unwrap();
    assert_eq!(kept.answers.len(), 2);
    assert_eq!(kept.notes.as_deref(), Some("Seen at school"));
    app.store
        .field_outbox_answered(
            &sys,
            op.n,
            // As a server from before refusal codes answers: its words
            // alone, shown as they are.
            &[haven_domain::field_ops::OperationResult {
                n: op.n,
                outcome: haven_domain::field_ops::Outcome::Refused,
                reason: Some("the child is outside your area".into()),
                code: None,
                conflicts: Vec::new(),
            }],
        )
        .unwrap();
    let r = page(&app, &s, "/field?lang=es");
    assert!(r.body.contains("Respuestas dadas: 2"), "{}", r.body);
    assert!(r.body.contains("Evaluación hecha el"), "{}", r.body);
    // A discard of a change that was not refused is refused plainly.
    let r = post(&app, &s, "/field/refused/999/discard", &form);
    assert_eq!(r.status, 404, "{}", r.body);
    // The API of a laptop answers a change it does not take (a household
    // registered) with JSON.
    let r = crate::http::request(
        app.addr,
        "POST",
        "/api/v1/households",
        &[("Content-Type", "application/json")],
        Some(b"{}"),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.error_code(), "offline");
}

#[test]
fn a_laptop_that_serves_syncs_by_itself_and_says_so_and_one_out_of_reach_keeps_trying() {
    for reachable in [true, false] {
        let link = Arc::new(CountingLink {
            syncs: Default::default(),
            reachable,
        });
        let every = std::time::Duration::from_millis(40);
        let app = laptop_syncing_every(link.clone(), Some(every));
        // Two syncs by themselves, one interval apart: nobody pressed
        // anything. (Waited for, at most ten seconds.)
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while link.syncs.load(std::sync::atomic::Ordering::SeqCst) < 2 {
            assert!(
                std::time::Instant::now() < deadline,
                "no automatic sync (server reachable: {reachable})"
            );
            std::thread::yield_now();
        }
        let (s, _) = sign_in(&app, "cw1", PASSWORD).unwrap();
        let shown = page(&app, &s, "/field?lang=fr");
        assert!(
            shown
                .body
                .contains("se synchronise aussi de lui-même chaque minute"),
            "{}",
            shown.body
        );
    }
    // Without it (as `--field-sync-seconds 0`), only the button syncs.
    let link = Arc::new(CountingLink {
        syncs: Default::default(),
        reachable: true,
    });
    let app = laptop(link.clone());
    let (s, _) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let shown = page(&app, &s, "/field?lang=en");
    assert!(!shown.body.contains("by itself"), "{}", shown.body);
    assert_eq!(link.syncs.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// A `child.register` operation as a laptop sends it.
fn registration(n: u64, id: &str, fields: &[(&str, &str)]) -> Value {
    let changes: Vec<Value> = fields
        .iter()
        .map(|(f, v)| json!({"field": f, "base": null, "value": v}))
        .collect();
    json!({"n": n, "kind": "child.register", "record": id,
           "made_at": crate::conformance_now(), "changes": changes})
}

#[test]
fn a_child_registered_offline_is_written_once_under_the_laptops_identifier_or_refused_plainly() {
    let app = spawn_app();
    let cw1 = &app.tokens["cw1"];
    let laptop = send_json(
        app.addr,
        "POST",
        "/api/v1/field/laptops",
        cw1,
        &json!({"label": "District laptop 5"}),
    );
    assert_eq!(laptop.status, 201, "{}", laptop.body);
    let laptop = laptop.json()["id"].as_str().unwrap().to_string();
    let child = |given: &str, location: &str| {
        vec![
            ("given_name", given.to_string()),
            ("family_name", "Koroma".to_string()),
            ("sex", "male".to_string()),
            ("date_of_birth", "2017-06-01".to_string()),
            ("date_of_birth_estimated", "true".to_string()),
            ("location", location.to_string()),
            ("birth_registration", "not_registered".to_string()),
            ("disability", "false".to_string()),
            ("living_situation", "family".to_string()),
            ("in_school", "true".to_string()),
            ("child_labour", "false".to_string()),
        ]
    };
    let op = |n: u64, id: &str, fields: Vec<(&'static str, String)>| {
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        registration(n, id, &f)
    };
    let id = "0123456789abcdef0123456789abcdef";
    let outside = "fedcba9876543210fedcba9876543210";
    let r = sync(
        &app,
        &laptop,
        &json!({"operations": [
            op(1, id, child("Musa", "D11")),
            // The same child sent again under a later number: once.
            op(2, id, child("Musa", "D11")),
            // Outside cw1's area.
            op(3, outside, child("Sahr", "D21")),
            // Not an identifier Haven gives.
            op(4, "../../etc", child("Alie", "D11")),
            // A field no record has.
            op(5, "00000000000000000000000000000005", {
                let mut f = child("Alie", "D11");
                f.push(("nickname", "Al".to_string()));
                f
            }),
            // An adult is not registered as a child.
            op(6, "00000000000000000000000000000006", {
                let mut f = child("Foday", "D11");
                f[3].1 = "1990-01-01".to_string();
                f
            }),
        ], "pending": 0}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let answer = r.json();
    let outcomes = outcomes(&answer);
    assert_eq!(
        outcomes,
        ["applied", "applied", "refused", "refused", "refused", "refused"],
        "{answer}"
    );
    for r in answer["results"].as_array().unwrap().iter().skip(2) {
        assert!(r["reason"].as_str().is_some_and(|s| !s.is_empty()), "{r}");
    }
    // On the server under the laptop's identifier, as written there,
    // registered by cw1; the refused ones are nowhere.
    let got = get(app.addr, &format!("/api/v1/children/{id}"), Some(cw1));
    assert_eq!(got.status, 200, "{}", got.body);
    let got = got.json();
    assert_eq!(got["given_name"], "Musa");
    assert_eq!(got["date_of_birth"], "2017-06-01");
    assert_eq!(got["location"], "D11");
    let admin = &app.tokens["admin"];
    for gone in [
        outside,
        "00000000000000000000000000000005",
        "00000000000000000000000000000006",
    ] {
        let r = get(app.addr, &format!("/api/v1/children/{gone}"), Some(admin));
        assert_eq!(r.status, 404, "{gone}: {}", r.body);
    }
    let listed = get(app.addr, "/api/v1/children?q=Musa", Some(cw1)).json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
}

/// A girl's registration as a laptop sends it, in district D11.
fn girl(n: u64, id: &str, given: &str, family: &str, born: &str) -> Value {
    registration(
        n,
        id,
        &[
            ("given_name", given),
            ("family_name", family),
            ("sex", "female"),
            ("date_of_birth", born),
            ("location", "D11"),
            ("birth_registration", "registered"),
            ("living_situation", "family"),
        ],
    )
}

/// A new laptop of cw1's: its identifier.
pub(crate) fn cw1_laptop(app: &App, label: &str) -> String {
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/field/laptops",
        &app.tokens["cw1"],
        &json!({ "label": label }),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_string()
}

/// The same girl registered on two of cw1's laptops: the first laptop's
/// registration is written, the second's held for a person. (the first
/// laptop's identifier for her, the second's, the second laptop).
fn registered_on_two_laptops(app: &App) -> (String, String, String) {
    let (first, second) = (
        cw1_laptop(app, "Laptop north"),
        cw1_laptop(app, "Laptop south"),
    );
    let (x, y) = (
        "1111111111111111111111111111111a",
        "2222222222222222222222222222222b",
    );
    let r = sync(
        app,
        &first,
        &json!({"operations": [girl(1, x, "Fatmata", "Sesay", "2016-02-10")], "pending": 0}),
    );
    assert_eq!(r.json()["results"][0]["outcome"], "applied", "{}", r.body);
    let r = sync(
        app,
        &second,
        &json!({"operations": [girl(1, y, "Fatmatta", "Sesay", "2016-02-10")], "pending": 0}),
    );
    let answer = r.json();
    assert_eq!(answer["results"][0]["outcome"], "conflict", "{answer}");
    assert_eq!(answer["results"][0]["conflicts"], json!(["registration"]));
    (x.to_string(), y.to_string(), second)
}

#[test]
fn the_same_child_registered_on_two_laptops_is_held_for_a_person_not_registered_twice() {
    let app = spawn_app();
    let cw1 = &app.tokens["cw1"];
    let (x, y, second) = registered_on_two_laptops(&app);
    let child_status = |id: &str| {
        get(
            app.addr,
            &format!("/api/v1/children/{id}"),
            Some(&app.tokens["admin"]),
        )
        .status
    };
    assert_eq!(child_status(&x), 200);
    assert_eq!(child_status(&y), 404, "not registered while held");
    // The second laptop's later work on her waits too, with why; the same
    // registration sent again is the same answer, not a second hold; a
    // girl nobody registered before is written at once.
    let unrelated = "3333333333333333333333333333333c";
    let r = sync(
        &app,
        &second,
        &json!({"operations": [
            change(2, &y, "given_name", "Fatmatta", "Fatmata"),
            offline_assessment(3, &y, "44444444444444444444444444444444", json!({"poverty": true}), "1"),
            girl(4, &y, "Fatmatta", "Sesay", "2016-02-10"),
            girl(5, unrelated, "Zainab", "Mansaray", "2011-09-30"),
        ], "pending": 0}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let answer = r.json();
    assert_eq!(
        outcomes(&answer),
        ["refused", "refused", "conflict", "applied"],
        "{answer}"
    );
    for r in &answer["results"].as_array().unwrap()[..2] {
        assert!(
            r["reason"].as_str().unwrap().contains("waits for a person"),
            "{r}"
        );
    }
    assert_eq!(child_status(unrelated), 200);
    // Listed once for cw1, beside the record it may duplicate, names and
    // dates side by side.
    let listed = get(app.addr, "/api/v1/conflicts", Some(cw1)).json();
    let held: Vec<&Value> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["field"] == "registration")
        .collect();
    assert_eq!(held.len(), 1, "{listed}");
    assert_eq!(held[0]["id"], y.as_str());
    assert_eq!(held[0]["child_id"], x.as_str());
    assert!(held[0]["laptop"]
        .as_str()
        .unwrap()
        .contains("Fatmatta Sesay · 2016-02-10"));
    assert!(held[0]["server"]
        .as_str()
        .unwrap()
        .contains("Fatmata Sesay · 2016-02-10"));
    // The same child: nothing registered; sent again, it is refused with
    // the record to work on.
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/conflicts/{y}/resolve"),
        cw1,
        &json!({"keep": "server"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(child_status(&y), 404);
    let r = sync(
        &app,
        &second,
        &json!({"operations": [girl(6, &y, "Fatmatta", "Sesay", "2016-02-10")], "pending": 0}),
    );
    let again = &r.json()["results"][0];
    assert_eq!(again["outcome"], "refused", "{again}");
    assert!(
        again["reason"].as_str().unwrap().contains(x.as_str()),
        "{again}"
    );
    // The laptop's later work on her goes to the record chosen: a change
    // applied, a field changed there since waiting for a person, an
    // assessment recorded on it.
    let r = sync(
        &app,
        &second,
        &json!({"operations": [
            change(7, &y, "family_name", "Sesay", "Sesay-Kamara"),
            change(8, &y, "given_name", "Fatmatta", "Fatu"),
            offline_assessment(9, &y, "77777777777777777777777777777777", json!({"poverty": true}), "1"),
        ], "pending": 0}),
    );
    let answer = r.json();
    assert_eq!(
        outcomes(&answer),
        ["applied", "conflict", "applied"],
        "{answer}"
    );
    let chosen = get(app.addr, &format!("/api/v1/children/{x}"), Some(cw1)).json();
    assert_eq!(chosen["family_name"], "Sesay-Kamara", "{chosen}");
    assert_eq!(chosen["given_name"], "Fatmata", "{chosen}");
    let history = get(
        app.addr,
        &format!("/api/v1/children/{x}/assessments"),
        Some(cw1),
    )
    .json();
    assert_eq!(
        history["items"][0]["id"], "77777777777777777777777777777777",
        "{history}"
    );
    // Another held registration, decided on the page to be a different
    // girl: registered then, under the laptop's identifier.
    let w = "5555555555555555555555555555555d";
    let r = sync(
        &app,
        &second,
        &json!({"operations": [girl(10, w, "Fatmata", "Sesai", "2016-02-11")], "pending": 0}),
    );
    assert_eq!(r.json()["results"][0]["outcome"], "conflict", "{}", r.body);
    let (s, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let shown = page(&app, &s, "/field?lang=en");
    assert!(
        shown.body.contains("may already be registered"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("Fatmata Sesai"), "{}", shown.body);
    let r = post(
        &app,
        &s,
        &format!("/field/conflicts/{w}"),
        &format!("csrf={csrf}&keep=laptop"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r
        .header("location")
        .unwrap_or_default()
        .contains("done=registered"));
    let registered = get(app.addr, &format!("/api/v1/children/{w}"), Some(cw1));
    assert_eq!(registered.status, 200, "{}", registered.body);
    assert_eq!(registered.json()["family_name"], "Sesai");
    assert_eq!(registered.json()["date_of_birth"], "2016-02-11");
    let listed = get(app.addr, "/api/v1/conflicts", Some(cw1)).json();
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["field"] != "registration"),
        "{listed}"
    );
    // A caseworker of another area sees none of it, and cannot decide.
    let other = get(app.addr, "/api/v1/conflicts", Some(&app.tokens["cw2"])).json();
    assert_eq!(other["items"].as_array().unwrap().len(), 0, "{other}");
}

#[test]
fn a_laptops_sync_travels_gzipped_both_ways_and_bad_or_swollen_bodies_change_nothing() {
    use std::io::{Read, Write};
    let app = spawn_app();
    let laptop = cw1_laptop(&app, "Laptop on a slow link");
    let bearer = format!("Bearer {}", app.tokens["cw1"]);
    let path = format!("/api/v1/field/laptops/{laptop}/sync");
    let gz = |bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    };
    // Refused, each with a JSON error, nothing taken: a body that is not
    // gzip, an encoding the server does not take, and a small body that
    // opens past the server's limit.
    for (encoding, body, status, code) in [
        (
            "gzip",
            b"{\"operations\": []}".to_vec(),
            400,
            "bad_encoding",
        ),
        ("br", gz(b"{}"), 415, "unsupported_encoding"),
        ("gzip", gz(&vec![b' '; 3 * 1024 * 1024]), 413, "too_large"),
    ] {
        let r = crate::http::request(
            app.addr,
            "POST",
            &path,
            &[
                ("Authorization", &bearer),
                ("Content-Type", "application/json"),
                ("Content-Encoding", encoding),
            ],
            Some(&body),
        );
        assert_eq!(r.status, status, "{encoding}: {}", r.body);
        assert_eq!(r.error_code(), code);
    }
    // Compressed both ways: the first operation is still the one expected.
    let body = json!({"operations": [girl(1, "66666666666666666666666666666666", "Adama", "Kallon", "2015-05-05")],
                      "pending": 0})
    .to_string();
    let r = ureq::post(&format!("http://{}{path}", app.addr))
        .set("Authorization", &bearer)
        .set("Content-Type", "application/json")
        .set("Content-Encoding", "gzip")
        .set("Accept-Encoding", "gzip")
        .send_bytes(&gz(body.as_bytes()))
        .unwrap();
    assert_eq!(r.header("Content-Encoding"), Some("gzip"));
    let mut opened = String::new();
    flate2::read::GzDecoder::new(r.into_reader())
        .read_to_string(&mut opened)
        .unwrap();
    let answer: Value = serde_json::from_str(&opened).unwrap();
    assert_eq!(answer["results"][0]["outcome"], "applied", "{answer}");
    assert_eq!(answer["acknowledged"], 1);
    // An error goes plain, as the error layer wrote it (a rejected query
    // is rewritten there whole: marked gzip, it could not be read).
    let r = crate::http::request(
        app.addr,
        "GET",
        &format!("/api/v1/field/laptops/{laptop}/checkout?since=soon"),
        &[("Authorization", &bearer), ("Accept-Encoding", "gzip")],
        None,
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.header("Content-Encoding"), None);
    assert_eq!(r.error_code(), "invalid");
    // A caller that does not ask for gzip gets plain JSON.
    let r = get(
        app.addr,
        &format!("/api/v1/field/laptops/{laptop}/checkout"),
        Some(&app.tokens["cw1"]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("Content-Encoding"), None);
    assert!(r.json()["in_scope"].as_array().is_some());
}

/// An `assessment.record` operation as a laptop sends it, made three
/// days before the sync.
fn offline_assessment(n: u64, child: &str, id: &str, answers: Value, version: &str) -> Value {
    json!({"n": n, "kind": "assessment.record", "record": child,
           "made_at": crate::conformance_now() - 3 * 86_400,
           "changes": [
               {"field": "id", "base": null, "value": id},
               {"field": "instrument_version", "base": null, "value": version},
               {"field": "answers", "base": null, "value": answers.to_string()},
               {"field": "notes", "base": null, "value": "Seen at home with her aunt"}]})
}

#[test]
fn an_assessment_made_offline_is_scored_by_the_server_recorded_once_or_refused_plainly() {
    let app = spawn_app();
    let cw1 = &app.tokens["cw1"];
    let register = |token: &str, given: &str, location: &str| {
        let r = send_json(
            app.addr,
            "POST",
            "/api/v1/children",
            token,
            &json!({"given_name": given, "family_name": "Conteh", "sex": "female",
                    "date_of_birth": "2014-03-02", "location": location,
                    "birth_registration": "registered"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_string()
    };
    let amina = register(cw1, "Amina", "D11");
    let isata = register(cw1, "Isata", "D11");
    let outside = register(&app.tokens["cw2"], "Hawa", "D21");
    let laptop = send_json(
        app.addr,
        "POST",
        "/api/v1/field/laptops",
        cw1,
        &json!({"label": "District laptop 6"}),
    );
    assert_eq!(laptop.status, 201, "{}", laptop.body);
    let laptop = laptop.json()["id"].as_str().unwrap().to_string();
    let id = "0123456789abcdef0123456789abcdef";
    let danger = json!({"immediate_danger": true});
    let r = sync(
        &app,
        &laptop,
        &json!({"operations": [
            offline_assessment(1, &amina, id, danger.clone(), "1"),
            // Sent again (its answer lost on the way): recorded once.
            offline_assessment(2, &amina, id, danger.clone(), "1"),
            // The same identifier for another child.
            offline_assessment(3, &isata, id, danger.clone(), "1"),
            // A child outside cw1's area.
            offline_assessment(4, &outside, "00000000000000000000000000000004", danger.clone(), "1"),
            // An instrument version the server does not have.
            offline_assessment(5, &isata, "00000000000000000000000000000005", danger.clone(), "99"),
            // A factor the instrument does not have.
            offline_assessment(6, &isata, "00000000000000000000000000000006", json!({"nonsense": true}), "1"),
            // Not an identifier Haven gives.
            offline_assessment(7, &isata, "../../etc", danger.clone(), "1"),
        ], "pending": 0}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let answer = r.json();
    let outcomes = outcomes(&answer);
    assert_eq!(
        outcomes,
        ["applied", "applied", "refused", "refused", "refused", "refused", "refused"],
        "{answer}"
    );
    let reasons: Vec<&str> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .skip(2)
        .map(|r| r["reason"].as_str().unwrap_or(""))
        .collect();
    assert!(reasons[0].contains("another child"), "{reasons:?}");
    assert!(reasons[1].contains("no longer in your area"), "{reasons:?}");
    assert!(reasons[2].contains("version 99"), "{reasons:?}");
    assert!(reasons[3].contains("nonsense"), "{reasons:?}");
    assert!(reasons[4].contains("id"), "{reasons:?}");
    // On the server once, under the laptop's identifier, scored there,
    // dated when it was made, by cw1, with the notes.
    let history = get(
        app.addr,
        &format!("/api/v1/children/{amina}/assessments"),
        Some(cw1),
    )
    .json();
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{history}");
    assert_eq!(items[0]["id"], id);
    assert_eq!(items[0]["level"], "critical");
    assert_eq!(items[0]["urgent"], true);
    assert_eq!(items[0]["notes"], "Seen at home with her aunt");
    assert_eq!(
        items[0]["assessed_at"],
        crate::conformance_now() - 3 * 86_400
    );
    assert_eq!(items[0]["assessed_by"], "cw1");
    // The refused ones wrote nothing.
    for child in [&isata, &outside] {
        let token = if *child == outside {
            &app.tokens["cw2"]
        } else {
            cw1
        };
        let h = get(
            app.addr,
            &format!("/api/v1/children/{child}/assessments"),
            Some(token),
        )
        .json();
        assert_eq!(h["items"].as_array().unwrap().len(), 0, "{h}");
    }
    // The audit log says where it was made.
    let admin = haven_domain::Actor {
        role: haven_domain::Role::Admin,
        ..haven_domain::Actor::system()
    };
    let audit = app
        .store
        .recent_audit(&admin, 200, crate::conformance_now())
        .unwrap();
    assert!(
        audit.iter().any(|e| e.action == "assessment.create"
            && e.target == format!("child:{amina}")
            && e.detail.contains("made offline on a field laptop")),
        "no audit entry for the offline assessment"
    );
}

#[test]
fn two_laptops_that_changed_one_child_are_applied_in_turn_and_the_second_same_field_waits() {
    let app = spawn_app();
    let cw1 = &app.tokens["cw1"];
    let child = send_json(
        app.addr,
        "POST",
        "/api/v1/children",
        cw1,
        &json!({"given_name": "Isatu", "family_name": "Kamara", "sex": "female", "estimated_age": 8,
                "location": "D11", "birth_registration": "registered"}),
    );
    assert_eq!(child.status, 201, "{}", child.body);
    let child = child.json()["id"].as_str().unwrap().to_string();
    let enrol = |who: &str, label: &str| {
        let r = send_json(
            app.addr,
            "POST",
            "/api/v1/field/laptops",
            &app.tokens[who],
            &json!({"label": label}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_string()
    };
    // The caseworker's laptop and the supervisor's, both checked out
    // with the same record, both changed offline.
    let (first, second) = (
        enrol("cw1", "Caseworker laptop"),
        enrol("sup1", "Supervisor laptop"),
    );
    let sync_as = |who: &str, laptop: &str, ops: Value| {
        send_json(
            app.addr,
            "POST",
            &format!("/api/v1/field/laptops/{laptop}/sync"),
            &app.tokens[who],
            &json!({"operations": ops, "pending": 0}),
        )
    };
    let r = sync_as(
        "cw1",
        &first,
        json!([
            change(1, &child, "family_name", "Kamara", "Kamara-Bangura"),
            change(2, &child, "in_school", "false", "true")
        ]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["results"][0]["outcome"], "applied", "{}", r.body);
    // The second laptop changed the same name from the same starting
    // point, and another field: the name waits for a person with both
    // values, the other field is applied.
    let r = sync_as(
        "sup1",
        &second,
        json!([
            change(1, &child, "family_name", "Kamara", "Kamara-Sesay"),
            change(2, &child, "disability", "false", "true")
        ]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let answer = r.json();
    assert_eq!(answer["results"][0]["outcome"], "conflict", "{answer}");
    assert_eq!(answer["results"][0]["conflicts"], json!(["family_name"]));
    assert_eq!(answer["results"][1]["outcome"], "applied", "{answer}");
    let now = get(app.addr, &format!("/api/v1/children/{child}"), Some(cw1)).json();
    assert_eq!(
        now["family_name"], "Kamara-Bangura",
        "the first stays until a person chooses"
    );
    assert_eq!(now["in_school"], true);
    assert_eq!(now["disability"], true);
    let conflicts = get(app.addr, "/api/v1/conflicts", Some(&app.tokens["sup1"])).json();
    let items = conflicts["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{conflicts}");
    assert_eq!(items[0]["laptop"], "Kamara-Sesay");
    assert_eq!(items[0]["server"], "Kamara-Bangura");
    // Each laptop's numbers are its own: the first laptop's next sync
    // starts at 3, whatever the second sent.
    let r = sync_as(
        "cw1",
        &first,
        json!([change(3, &child, "child_labour", "false", "true")]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["acknowledged"], 3);
}

/// An entry of a laptop's own audit log, as the laptop sends it.
fn laptop_entry(seq: i64, action: &str, target: &str) -> Value {
    json!({"seq": seq, "at": crate::conformance_now() - 3600, "actor": "cw1", "action": action,
           "target": target, "outcome": "ok", "detail": ""})
}

#[test]
fn a_laptops_audit_log_joins_the_servers_once_each_marked_as_the_laptops() {
    let app = spawn_app();
    let cw1 = &app.tokens["cw1"];
    let laptop = send_json(
        app.addr,
        "POST",
        "/api/v1/field/laptops",
        cw1,
        &json!({"label": "District laptop 7"}),
    );
    assert_eq!(laptop.status, 201, "{}", laptop.body);
    let laptop = laptop.json()["id"].as_str().unwrap().to_string();
    let send = |who: &str, entries: Value| {
        send_json(
            app.addr,
            "POST",
            &format!("/api/v1/field/laptops/{laptop}/audit"),
            &app.tokens[who],
            &json!({ "entries": entries }),
        )
    };
    let r = send(
        "cw1",
        json!([
            laptop_entry(1, "child.read", "child:aa11"),
            laptop_entry(2, "child.update", "child:aa11")
        ]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["acknowledged"], 2);
    // Sent again with the next one (an answer lost on the way): each once.
    let r = send(
        "cw1",
        json!([
            laptop_entry(2, "child.update", "child:aa11"),
            laptop_entry(3, "child.read", "child:bb22")
        ]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["acknowledged"], 3);
    let logged = get(
        app.addr,
        "/api/v1/audit/search?action=laptop.&limit=50",
        Some(&app.tokens["admin"]),
    );
    assert_eq!(logged.status, 200, "{}", logged.body);
    let logged = logged.json();
    let items = logged["items"].as_array().unwrap();
    let seen: Vec<(&str, &str, &str)> = items
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["target"].as_str().unwrap(),
                e["actor"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(seen.len(), 3, "{logged}");
    for want in [
        ("laptop.child.read", "child:aa11", "cw1"),
        ("laptop.child.update", "child:aa11", "cw1"),
        ("laptop.child.read", "child:bb22", "cw1"),
    ] {
        assert!(seen.contains(&want), "{want:?} in {seen:?}");
    }
    assert!(items
        .iter()
        .all(|e| e["detail"].as_str().unwrap().contains("District laptop 7")));
    // The server's chain holds together with them.
    let v = send_json(
        app.addr,
        "POST",
        "/api/v1/audit/verify",
        &app.tokens["admin"],
        &json!({}),
    );
    assert_eq!(v.status, 200, "{}", v.body);

    // Refused, and nothing taken: a gap, entries out of order, an empty
    // action, control characters, too many at once, another user's laptop.
    for (entries, status) in [
        (json!([laptop_entry(5, "child.read", "child:cc33")]), 409),
        (
            json!([
                laptop_entry(4, "child.read", "child:cc33"),
                laptop_entry(6, "child.read", "child:cc33")
            ]),
            422,
        ),
        (json!([laptop_entry(4, "", "child:cc33")]), 422),
        // The largest numbers: refused, never an overflow.
        (
            json!([
                laptop_entry(i64::MAX, "child.read", "child:cc33"),
                laptop_entry(i64::MIN, "child.read", "child:cc33")
            ]),
            422,
        ),
        (
            json!([laptop_entry(i64::MAX, "child.read", "child:cc33")]),
            409,
        ),
        (
            json!([laptop_entry(4, "child.read\u{0007}", "child:cc33")]),
            422,
        ),
        (
            Value::Array(
                (4..505)
                    .map(|i| laptop_entry(i, "child.read", "child:cc33"))
                    .collect(),
            ),
            422,
        ),
    ] {
        let r = send("cw1", entries);
        assert_eq!(r.status, status, "{}", r.body);
        assert!(r.json()["error"]["code"].is_string(), "{}", r.body);
    }
    let r = send("cw2", json!([laptop_entry(4, "child.read", "child:cc33")]));
    assert_eq!(r.status, 404, "{}", r.body);
    let again = get(
        app.addr,
        "/api/v1/audit/search?action=laptop.&limit=50",
        Some(&app.tokens["admin"]),
    )
    .json();
    assert_eq!(again["items"].as_array().unwrap().len(), 3, "{again}");
}

#[test]
fn a_referral_to_the_users_agency_is_answered_on_the_laptops_page_and_kept_for_the_sync() {
    use haven_domain::casework::{NewService, ReferralKind, Sector};
    use haven_domain::{Actor, Role};
    let Some(d) = Driver::start() else { return };
    let app = laptop(Arc::new(CountingLink {
        syncs: Default::default(),
        reachable: true,
    }));
    let (now, sys) = (crate::conformance_now(), Actor::system());
    // The server's side of the same folder (no outbox): a clinic's nurse,
    // a referral of Awa's case to the clinic, and the nurse's checkout.
    let server = haven_store::SqlStore::open(
        Box::new(
            haven_store_sqlite::SqliteBackend::open(&app._dir.0.join("haven.db"), now).unwrap(),
        ),
        haven_store::Keyring::load_or_create(&app._dir.0.join("haven.key")).unwrap(),
        now,
    )
    .unwrap();
    server
        .create_user(
            &sys,
            &haven_store::NewUser {
                name: "nurse".into(),
                role: Role::Caseworker,
                location: Some("R1".into()),
                agency: Some("CLINIC".into()),
                password_hash: Some(haven_store::password::hash_password(PASSWORD).unwrap()),
            },
            now,
        )
        .unwrap();
    let actor = |name: &str| {
        let token = server.create_api_token(&sys, name, now).unwrap();
        server.actor_for_token(&token).unwrap()
    };
    let (admin, cw1, nurse) = (actor("admin"), actor("cw1"), actor("nurse"));
    let clinic = server
        .create_service(
            &admin,
            &NewService {
                name: "Clinic".into(),
                provider: "Ministry of Health".into(),
                agency: "CLINIC".into(),
                sector: Sector::Health,
                layers: vec![haven_domain::assessment::PreventionLayer::Secondary],
                coverage: "R1".into(),
                factors: Vec::new(),
                contact: "+000 555 0101".into(),
            },
            now,
        )
        .unwrap();
    let cases = server.list_cases(&admin, &Default::default(), now).unwrap();
    let referral = server
        .refer(
            &cw1,
            &cases[0].id,
            &clinic.id,
            ReferralKind::Service,
            "Hearing test",
            now,
        )
        .unwrap();
    let (node, _) = server
        .enrol_field_node(&nurse, "Clinic laptop", now)
        .unwrap();
    let mut checkout = server.field_checkout(&nurse, &node.id, None, now).unwrap();
    assert_eq!(checkout.incoming_referrals.len(), 1);
    // The laptop keeps its cases as they are.
    checkout.open_cases = cases.iter().map(|k| k.id.clone()).collect();
    checkout.cases.clear();
    app.store.receive_cases(&sys, &checkout, now).unwrap();

    // The nurse, signed in on the laptop, finds it in Spanish and accepts.
    let base = format!("http://{}", app.addr);
    browser_sign_in(&d, &base, "nurse");
    d.go(&format!("{base}/referrals?lang=es"));
    assert!(d.text("main").contains("Clinic"), "{}", d.text("main"));
    d.go(&format!("{base}/referrals/{}?lang=es", referral.id));
    let main = d.text("main");
    assert!(
        main.contains("Hearing test") && main.contains("Aceptar"),
        "{main}"
    );
    axe_check(&d, "a referral to the agency on the laptop in Spanish");
    d.click("#confirm-accepted");
    d.click("form.answer:has(input[value=accepted]) button");
    // (The answer's page is in the browser's language: `?lang=` does
    // not stay.)
    d.wait_text("main", |t| t.contains("Mark completed"));
    let (ops, _) = app.store.field_outbox(&sys, 0, 20).unwrap();
    let kept = ops
        .iter()
        .find(|o| o.kind == "referral.answer")
        .unwrap_or_else(|| panic!("{ops:?}"));
    assert_eq!(kept.record, referral.id);
    let given =
        haven_domain::field_ops::OfflineReferralAnswer::from_changes(&kept.changes).unwrap();
    assert_eq!(
        (given.status.as_str(), given.seen.as_str()),
        ("accepted", "sent")
    );
    // Refused at the sync (a colleague declined it meanwhile): the laptop's
    // page says so in Spanish, with the answer that was given.
    let refusal = haven_domain::field_ops::OperationResult {
        n: kept.n,
        outcome: haven_domain::field_ops::Outcome::Refused,
        reason: Some("a referral that is declined cannot become accepted".into()),
        code: Some(haven_domain::field_ops::Refusal::ReferralAnswered),
        conflicts: Vec::new(),
    };
    app.store
        .field_outbox_answered(&sys, 0, &[refusal])
        .unwrap();
    d.go(&format!("{base}/field?lang=es"));
    let main = d.text("main");
    assert!(
        main.contains("Respuesta a una derivación dada el"),
        "{main}"
    );
    assert!(
        main.contains("La derivación recibió otra respuesta"),
        "{main}"
    );
    assert!(
        d.execute(&format!(
            "return !!document.querySelector(\"a[href='/referrals/{}']\");",
            referral.id
        )) == json!(true),
        "the refused answer links to its referral"
    );
    axe_check(&d, "a refused answer to a referral on the laptop's page");
}
