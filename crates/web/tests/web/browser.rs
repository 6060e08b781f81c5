//! A real headless Chromium, driven over the WebDriver protocol by
//! ChromeDriver: the flow a caseworker follows in the pages.
//!
//! Needs `chromium` and `chromedriver` (the README's test command installs
//! them). Without them the test says so and passes, unless
//! `HAVEN_REQUIRE_BROWSER=1`, set in CI, makes that a failure.

use crate::http::request;
use crate::{spawn_app, PASSWORD};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub(crate) struct Driver {
    process: Child,
    addr: SocketAddr,
    session: String,
}

impl Driver {
    pub(crate) fn start() -> Option<Driver> {
        Driver::start_with(true)
    }

    /// A browser with JavaScript on or off (the public pages must work without it).
    pub(crate) fn start_with(javascript: bool) -> Option<Driver> {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let mut process = match Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(p) => p,
            Err(e) => {
                assert!(
                    std::env::var("HAVEN_REQUIRE_BROWSER").is_err(),
                    "chromedriver is required: {e}"
                );
                eprintln!("skipping browser test: chromedriver not found");
                return None;
            }
        };
        // ChromeDriver says when it is ready; read until then instead of sleeping.
        let stdout = process.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        for line in lines.by_ref() {
            if line.unwrap_or_default().contains("started successfully") {
                break;
            }
        }
        std::thread::spawn(move || for _ in lines {});
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .unwrap_or("chromium");
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": binary,
            "prefs": {"profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 }},
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1200,900"]
        }}}});
        let r = call(addr, "POST", "/session", Some(&caps));
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_string();
        Some(Driver {
            process,
            addr,
            session,
        })
    }

    pub(crate) fn cmd(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let r = call(
            self.addr,
            method,
            &format!("/session/{}{path}", self.session),
            body,
        );
        if r["value"].get("error").is_some() {
            panic!("webdriver {path}: {r}");
        }
        r["value"].clone()
    }

    pub(crate) fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(&json!({"url": url})));
    }

    /// Finds an element, asking again while a page is still loading.
    pub(crate) fn find(&self, css: &str) -> String {
        let path = format!("/session/{}/element", self.session);
        let mut last = Value::Null;
        for _ in 0..500 {
            last = call(
                self.addr,
                "POST",
                &path,
                Some(&json!({"using": "css selector", "value": css})),
            );
            if let Some(id) = last["value"][ELEMENT].as_str() {
                return id.to_string();
            }
        }
        panic!("no element {css}: {last}");
    }

    pub(crate) fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/clear"), Some(&json!({})));
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(&json!({"text": text})),
        );
    }

    /// Clicks an element, finding it again if the page replaced it meanwhile.
    pub(crate) fn click(&self, css: &str) {
        let mut last = Value::Null;
        for _ in 0..500 {
            let e = self.find(css);
            last = call(
                self.addr,
                "POST",
                &format!("/session/{}/element/{e}/click", self.session),
                Some(&json!({})),
            );
            if last["value"].get("error").is_none() {
                return;
            }
        }
        panic!("could not click {css}: {last}");
    }

    pub(crate) fn text(&self, css: &str) -> String {
        self.wait_text(css, |_| true)
    }

    pub(crate) fn try_text(&self, css: &str) -> Option<String> {
        let base = format!("/session/{}", self.session);
        let found = call(
            self.addr,
            "POST",
            &format!("{base}/element"),
            Some(&json!({"using": "css selector", "value": css})),
        );
        let id = found["value"][ELEMENT].as_str()?.to_string();
        let text = call(self.addr, "GET", &format!("{base}/element/{id}/text"), None);
        text["value"].as_str().map(str::to_string)
    }

    /// Waits (by asking again, never sleeping) until the element's text
    /// satisfies `want`, for pages still loading after a form submission.
    pub(crate) fn wait_text(&self, css: &str, want: impl Fn(&str) -> bool) -> String {
        let mut last = String::new();
        for _ in 0..500 {
            if let Some(t) = self.try_text(css) {
                if want(&t) {
                    return t;
                }
                last = t;
            }
        }
        panic!("{css} never showed the expected text; last: {last}");
    }

    /// The page's title.
    pub(crate) fn title(&self) -> String {
        self.cmd("GET", "/title", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Runs a script in the page (needs JavaScript on).
    pub(crate) fn execute(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(&json!({"script": script, "args": []})),
        )
    }

    /// Runs a script that calls its last argument when done.
    pub(crate) fn execute_async(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/async",
            Some(&json!({"script": script, "args": []})),
        )
    }

    pub(crate) fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = call(
            self.addr,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn call(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> Value {
    let b = body.map(|b| b.to_string());
    let r = request(
        addr,
        method,
        path,
        &[("Content-Type", "application/json")],
        b.as_deref().map(str::as_bytes),
    );
    serde_json::from_str(&r.body).unwrap_or(Value::Null)
}

#[test]
fn caseworker_registers_finds_and_sees_duplicate_warning_in_chromium() {
    let Some(d) = Driver::start() else { return };
    let app = spawn_app();
    let base = format!("http://{}", app.addr);

    d.go(&format!("{base}/"));
    assert!(
        d.url().ends_with("/login"),
        "unsigned visitors are sent to sign in"
    );
    d.type_into("#name", "cw1");
    d.type_into("#password", PASSWORD);
    d.click("button[type=submit]");
    d.wait_text("main", |t| t.contains("What needs you now"));

    // Register Amina with her household and mother.
    d.go(&format!("{base}/children/new"));
    d.type_into("#given_name", "Amina");
    d.type_into("#family_name", "Diallo");
    d.click("#sex option[value=female]");
    d.type_into("#estimated_age", "12");
    d.click("#location option[value=D11]");
    d.click("#birth_registration option[value=not_registered]");
    d.click("#in_school");
    d.type_into("#address", "Blue door behind the market");
    d.type_into("#caregiver_given_name", "Mariama");
    d.type_into("#caregiver_family_name", "Diallo");
    d.type_into("#caregiver_relationship", "mother");
    d.click("main button[type=submit]");
    let page = d.wait_text("main", |t| t.contains("The child has been registered"));
    assert!(page.contains("Amina Diallo") && page.contains("Mariama"));
    assert!(!page.contains("Possible duplicate"));

    // A form with a mistake keeps what was typed and names the field.
    d.go(&format!("{base}/children/new"));
    d.type_into("#given_name", "Nobody");
    d.click("#sex option[value=male]");
    d.type_into("#estimated_age", "25");
    d.click("#location option[value=D11]");
    d.click("main button[type=submit]");
    d.wait_text("#estimated_age-error", |t| t.contains("between 0 and 17"));
    assert!(!d.find("#given_name").is_empty());

    // The same girl registered again with a misspelt name: the warning shows.
    d.go(&format!("{base}/children/new"));
    d.type_into("#given_name", "Amena");
    d.type_into("#family_name", "Dialo");
    d.click("#sex option[value=female]");
    d.type_into("#estimated_age", "12");
    d.click("#location option[value=D11]");
    d.click("main button[type=submit]");
    let warning = d.wait_text("#duplicates", |t| t.contains("Possible duplicate"));
    assert!(warning.contains("Possible duplicate records"), "{warning}");
    assert!(
        warning.contains("Amina Diallo") && warning.contains("similar name"),
        "{warning}"
    );
    assert!(warning.contains("Nothing has been merged"));

    // Find her by a misspelt name in the list.
    d.go(&format!("{base}/children"));
    d.type_into("#name", "Aminah Dyallo");
    d.click("form[role=search] button");
    let results = d.wait_text("table", |t| t.contains("Amina"));
    assert!(results.contains("Amina Diallo"), "{results}");
    d.click("table a");
    d.wait_text("h1", |t| t.contains("Amina Diallo"));

    // Assess her: poverty together with a drought counts markedly.
    d.click("#assessments a.button");
    d.wait_text("h1", |t| t.contains("Assess"));
    d.click("[id='answer.poverty-yes']");
    d.click("[id='answer.environmental_shock-yes']");
    d.click("form.assessment-form button[type=submit]");
    d.wait_text("main", |t| t.contains("Assessed: medium"));
    let section = d.text("#assessments");
    assert!(
        section.contains("Medium") && section.contains("The household is poor"),
        "{section}"
    );
    // An immediate danger makes it critical and urgent.
    d.click("#assessments a.button");
    d.wait_text("h1", |t| t.contains("Assess"));
    d.click("[id='answer.immediate_danger-yes']");
    d.click("form.assessment-form button[type=submit]");
    d.wait_text("main", |t| t.contains("urgent"));
    assert!(d.text("#assessments").contains("URGENT"));
}

#[test]
fn analyst_keeps_lists_and_tests_matches_in_chromium() {
    let Some(d) = Driver::start() else { return };
    let app = spawn_app();
    let base = format!("http://{}", app.addr);
    d.go(&format!("{base}/login"));
    d.type_into("#name", "analyst");
    d.type_into("#password", PASSWORD);
    d.click("button[type=submit]");
    d.wait_text("main", |t| t.contains("Welcome, analyst"));
    d.go(&format!("{base}/lists"));
    d.type_into("#name", "national");
    d.type_into("#description", "confirmed by the hotline");
    d.click("form[action='/lists'] button");
    d.wait_text("h1", |t| t.contains("national"));

    // Upload an image: hashed, listed, not kept.
    let images = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/conformance/pdq/images");
    let file = images.join("bridge-1-original.jpg").canonicalize().unwrap();
    let input = d.find("#image");
    d.cmd(
        "POST",
        &format!("/element/{input}/value"),
        Some(&json!({"text": file.to_str().unwrap()})),
    );
    d.type_into("#isource", "report 7");
    d.click("form[enctype='multipart/form-data'] button");
    // The answer comes after the upload is hashed: waited for, not read
    // at once (read at once, it was sometimes the form page still).
    d.wait_text("main", |t| t.contains("1 added"));
    assert!(d
        .text("table")
        .contains("f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"));

    // The match tester finds a rotated, blurred copy by image.
    d.go(&format!("{base}/match"));
    let input = d.find("#image");
    let blurred = images.join("blur-a-lot.jpg").canonicalize().unwrap();
    d.cmd(
        "POST",
        &format!("/element/{input}/value"),
        Some(&json!({"text": blurred.to_str().unwrap()})),
    );
    d.click("form[action='/match'] button[type=submit]");
    assert!(
        d.text("#results").contains("national"),
        "{}",
        d.text("main")
    );

    // Disable the entry: the tester no longer finds it.
    d.go(&format!("{base}/lists"));
    d.click("table a");
    d.click("table button");
    d.wait_text("table", |t| t.contains("disabled"));
    d.go(&format!("{base}/match"));
    d.type_into(
        "#hash",
        "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22",
    );
    d.click("form[action='/match'] button[type=submit]");
    d.wait_text("#results", |t| t.contains("No match"));

    // URL list: add, then remove at takedown.
    d.go(&format!("{base}/urls"));
    d.type_into("#url", "http://www.bad.example.com/gallery/");
    d.click("#level option[value=prefix]");
    d.click("form[action='/urls'] button");
    d.wait_text("table", |t| t.contains("bad.example.com/gallery/"));
    d.click("table button");
    d.wait_text("main", |t| {
        t.contains("Version 2") && !t.contains("bad.example.com/gallery/")
    });
}

/// Signs in as `name`, signing out whoever was signed in first.
/// Runs axe-core on the current page and fails on any violation.
pub(crate) fn axe_check(d: &Driver, what: &str) {
    let path = match std::env::var("HAVEN_AXE_JS") {
        Ok(p) => p,
        Err(_) => {
            // Where the browser is required (CI), so is axe-core: a check
            // that silently does nothing is no check.
            assert!(
                std::env::var("HAVEN_REQUIRE_BROWSER").is_err(),
                "axe-core is required (HAVEN_AXE_JS) to check {what}"
            );
            eprintln!("WARNING: skipping the axe-core check on {what}: HAVEN_AXE_JS is not set");
            return;
        }
    };
    let source = std::fs::read_to_string(&path).unwrap();
    d.execute(&source);
    let violations = d.execute_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']}})
            .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
            .catch(e => done(['axe failed: ' + e]));",
    );
    assert_eq!(violations, json!([]), "accessibility problems on {what}");
}

pub(crate) fn sign_in(d: &Driver, base: &str, name: &str) {
    d.go(&format!("{base}/"));
    if d.try_text("form[action='/logout'] button").is_some() {
        d.click("form[action='/logout'] button");
        d.find("#name");
    }
    d.go(&format!("{base}/login"));
    d.type_into("#name", name);
    d.type_into("#password", PASSWORD);
    d.click("button[type=submit]");
    d.find("form[action='/logout'] button");
}

#[test]
fn caseworker_and_supervisor_take_a_case_to_closure_in_chromium() {
    use haven_store::Store;
    let Some(d) = Driver::start() else { return };
    let app = spawn_app();
    let base = format!("http://{}", app.addr);
    let now = haven_store::conformance::NOW;
    let sys = haven_domain::Actor::system();
    app.store
        .create_user(
            &sys,
            &haven_store::NewUser {
                name: "health1".into(),
                role: haven_domain::Role::Caseworker,
                location: Some("R1".into()),
                agency: Some("HEALTH".into()),
                password_hash: Some(haven_store::password::hash_password(PASSWORD).unwrap()),
            },
            now,
        )
        .unwrap();
    let service =
        |name: &str, agency: &str, sector, factor: &str| haven_domain::casework::NewService {
            name: name.into(),
            provider: "Provider".into(),
            agency: agency.into(),
            sector,
            layers: vec![haven_domain::assessment::PreventionLayer::Secondary],
            coverage: "R1".into(),
            factors: vec![factor.into()],
            contact: String::new(),
        };
    use haven_domain::casework::Sector;
    let registry = app
        .store
        .create_service(
            &sys,
            &service(
                "Birth registration desk",
                "CIVREG",
                Sector::CivilRegistration,
                "no_birth_registration",
            ),
            now,
        )
        .unwrap();
    let clinic = app
        .store
        .create_service(
            &sys,
            &service("Child clinic", "HEALTH", Sector::Health, "disability"),
            now,
        )
        .unwrap();
    let cw1 = app.store.actor_for_token(&app.tokens["cw1"]).unwrap();
    app.store
        .create_child(
            &cw1,
            &haven_store::conformance::child("Isatou", "Jallow", "2015-04-04", "D11"),
            now,
        )
        .unwrap();

    // The caseworker finds the child, assesses her and opens a case.
    sign_in(&d, &base, "cw1");
    d.go(&format!("{base}/children"));
    d.type_into("#name", "Isatu Jalow");
    d.click("form[role=search] button");
    d.wait_text("table", |t| t.contains("Isatou"));
    d.click("table a");
    d.wait_text("h1", |t| t.contains("Isatou Jallow"));
    d.click("#assessments a.button");
    d.wait_text("h1", |t| t.contains("Assess"));
    d.click("[id='answer.no_birth_registration-yes']");
    d.click("[id='answer.disability-yes']");
    d.click("form.assessment-form button[type=submit]");
    d.wait_text("main", |t| t.contains("Assessed:"));
    let child_url = d.url().split('?').next().unwrap().to_string();
    let recommended = d.text("#recommended");
    assert!(
        recommended.contains("Birth registration desk") && recommended.contains("Child clinic"),
        "{recommended}"
    );
    // Raising the level needs a reason; both levels are kept.
    d.click("#confirm_level option[value=critical]");
    d.click("form[action$='/confirm'] button");
    d.wait_text("main", |t| t.contains("say why"));
    d.go(&child_url);
    d.click("#confirm_level option[value=critical]");
    d.type_into(
        "#confirm_reason",
        "Father threatened to take her out of school",
    );
    d.click("form[action$='/confirm'] button");
    d.wait_text("#assessments", |t| t.contains("set to critical by cw1"));
    d.click("#case button");
    let page = d.wait_text("main", |t| t.contains("Case opened"));
    assert!(
        page.contains("Suggested referral: civil registration"),
        "{page}"
    );
    assert_eq!(
        d.text("ol.steps [aria-current]"),
        "Assessment",
        "the case starts from the assessment: {page}"
    );
    assert!(
        page.contains("Critical"),
        "the case takes the confirmed level: {page}"
    );

    // She writes the plan and refers the child to the birth registry and the clinic.
    d.type_into(
        "#t-submit_plan",
        "Register the birth within a month; disability check at the clinic",
    );
    d.click("form[action$='/step/submit_plan'] button");
    d.wait_text("main", |t| {
        t.contains("Saved: the plan is sent for approval")
    });
    // Without recorded consent the referral form warns and asks why;
    // the family agrees, and she records it first.
    assert!(d
        .text("main")
        .contains("Consent to share this child's details is not recorded"));
    d.click("#consent option[value=given]");
    d.click("form[action$='/consent'] button");
    d.wait_text("main", |t| t.contains("Consent recorded"));
    assert!(!d.text("main").contains("Why refer without consent"));
    for (service, reason) in [
        (&registry, "Birth not registered"),
        (&clinic, "Disability check"),
    ] {
        d.click(&format!("#service_id option[value='{}']", service.id));
        d.type_into("#reason", reason);
        d.click("form[action$='/referrals'] button");
        d.wait_text("main", |t| t.contains("Referral sent"));
    }
    let refs = d.text("main");
    assert!(
        refs.contains("Birth registration desk") && refs.contains("Child clinic"),
        "{refs}"
    );
    assert!(
        !refs.contains("Suggested referral"),
        "the suggestion is answered: {refs}"
    );
    assert!(
        !refs.contains("Approve the plan"),
        "a caseworker sees no approval button"
    );
    let case_url = d.url();
    let case_url = case_url.split('?').next().unwrap().to_string();

    // The supervisor sees it waiting and approves the plan.
    sign_in(&d, &base, "sup1");
    let dash = d.text("main");
    assert!(
        dash.contains("1\nplans and closures waiting for my approval")
            || dash.contains("1 plans and closures"),
        "{dash}"
    );
    d.go(&format!("{base}/cases?awaiting_approval=true"));
    d.click("table a");
    d.click("form[action$='/step/approve_plan'] button");
    let page = d.wait_text("main", |t| t.contains("Saved: the plan is approved"));
    assert_eq!(
        d.text("ol.steps [aria-current]"),
        "Implementation",
        "{page}"
    );

    // The clinic's worker sees only the clinic referral and accepts it.
    sign_in(&d, &base, "health1");
    d.go(&format!("{base}/referrals"));
    let inbox = d.text("main");
    assert!(
        inbox.contains("Isatou Jallow") && inbox.contains("Child clinic"),
        "{inbox}"
    );
    assert!(!inbox.contains("Birth registration desk"), "{inbox}");
    d.click("main table a[href^='/referrals/']");
    d.wait_text("main", |t| t.contains("What is asked"));
    d.click("#confirm-accepted");
    d.click("form:has(#confirm-accepted) button");
    d.wait_text("main", |t| t.contains("Mark completed"));

    // The caseworker follows up and asks to close; the supervisor approves.
    sign_in(&d, &base, "cw1");
    d.go(&case_url);
    d.wait_text("main", |t| t.contains("accepted"));
    d.type_into("#t-follow_up", "Birth registered; clinic visit done");
    d.click("form[action$='/step/follow_up'] button");
    d.wait_text("main", |t| t.contains("Saved: the follow-up is recorded"));
    d.type_into("#t-request_closure", "Plan goals met");
    d.click("form[action$='/step/request_closure'] button");
    d.wait_text("main", |t| {
        t.contains("Closure is waiting for a supervisor")
    });
    sign_in(&d, &base, "sup1");
    d.go(&case_url);
    d.click("form[action$='/step/approve_closure'] button");
    let closed = d.wait_text("main", |t| t.contains("Saved: closure approved"));
    assert!(closed.contains("Closure approved; case closed"), "{closed}");
    assert!(closed.contains("Reopen the case"));
}
