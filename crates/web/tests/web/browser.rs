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

struct Driver {
    process: Child,
    addr: SocketAddr,
    session: String,
}

impl Driver {
    fn start() -> Option<Driver> {
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

    fn cmd(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
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

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(&json!({"url": url})));
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(&json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT].as_str().unwrap().to_string()
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/clear"), Some(&json!({})));
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(&json!({"text": text})),
        );
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/click"), Some(&json!({})));
    }

    fn text(&self, css: &str) -> String {
        let e = self.find(css);
        self.cmd("GET", &format!("/element/{e}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn url(&self) -> String {
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
    assert!(d.text("main").contains("Dashboard"));

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
    d.click("button[type=submit]");
    let page = d.text("main");
    assert!(page.contains("The child has been registered"), "{page}");
    assert!(page.contains("Amina Diallo") && page.contains("Mariama"));
    assert!(!page.contains("Possible duplicate"));

    // A form with a mistake keeps what was typed and names the field.
    d.go(&format!("{base}/children/new"));
    d.type_into("#given_name", "Nobody");
    d.click("#sex option[value=male]");
    d.type_into("#estimated_age", "25");
    d.click("#location option[value=D11]");
    d.click("button[type=submit]");
    assert!(d.text("#estimated_age-error").contains("between 0 and 17"));
    assert!(!d.find("#given_name").is_empty());

    // The same girl registered again with a misspelt name: the warning shows.
    d.go(&format!("{base}/children/new"));
    d.type_into("#given_name", "Amena");
    d.type_into("#family_name", "Dialo");
    d.click("#sex option[value=female]");
    d.type_into("#estimated_age", "12");
    d.click("#location option[value=D11]");
    d.click("button[type=submit]");
    let warning = d.text("#duplicates");
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
    let results = d.text("table");
    assert!(results.contains("Amina Diallo"), "{results}");
    d.click("table a");
    assert!(d.text("h1").contains("Amina Diallo"));
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
    d.go(&format!("{base}/lists"));
    d.type_into("#name", "national");
    d.type_into("#description", "confirmed by the hotline");
    d.click("form[action='/lists'] button");
    assert!(d.text("h1").contains("national"));

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
    assert!(d.text("main").contains("1 added"));
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
    d.click("form button[type=submit]");
    assert!(
        d.text("#results").contains("national"),
        "{}",
        d.text("main")
    );

    // Disable the entry: the tester no longer finds it.
    d.go(&format!("{base}/lists"));
    d.click("table a");
    d.click("table button");
    assert!(d.text("table").contains("disabled"));
    d.go(&format!("{base}/match"));
    d.type_into(
        "#hash",
        "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22",
    );
    d.click("form button[type=submit]");
    assert!(d.text("#results").contains("No match"));

    // URL list: add, then remove at takedown.
    d.go(&format!("{base}/urls"));
    d.type_into("#url", "http://www.bad.example.com/gallery/");
    d.click("#level option[value=prefix]");
    d.click("form[action='/urls'] button");
    assert!(d.text("table").contains("bad.example.com/gallery/"));
    d.click("table button");
    assert!(!d.text("main").contains("bad.example.com/gallery/"));
    assert!(d.text("main").contains("Version 2"));
}
