//! The public reporting channel and the hotline in real headless Chromium:
//! a child reports in French with JavaScript off, checks and adds to the
//! report with the code; staff triage it into a case; a URL goes through the
//! hotline onto the URL list and off again; axe-core checks the public pages.

use crate::browser::{axe_check, sign_in, Driver};
use crate::http::{get, send_json};
use crate::spawn_app;
use serde_json::{json, Value};

#[test]
fn a_child_reports_in_french_without_javascript_and_staff_triage_it_in_chromium() {
    let Some(d) = Driver::start_with(false) else {
        return;
    };
    let app = spawn_app();
    let base = format!("http://{}", app.addr);

    // Scripts really are off in this browser (WebDriver's own scripts still run).
    d.go("data:text/html,<title>off</title><script>document.title='on'</script>");
    assert_eq!(d.title(), "off");
    d.go(&format!("{base}/report?lang=fr"));
    d.wait_text("h1", |t| t.contains("Parle-nous d'un enfant"));
    assert!(
        d.text("main").contains("116 111"),
        "emergency help is on the page"
    );
    d.click("#category-child_marriage");
    d.type_into(
        "#description",
        "Ma voisine a 13 ans. Ses parents veulent la marier le mois prochain.",
    );
    d.click("#location option[value=D11]");
    d.type_into("#child_age", "13");
    d.click("#reporter-friend");
    d.click("button.big");
    let received = d.wait_text("main", |t| {
        t.contains("Merci. Nous avons reçu ton signalement")
    });
    let code = d.text("#code");
    let pin = d.text("#pin");
    assert_eq!(code.len(), 19, "{received}");
    assert_eq!(pin.len(), 6);

    // Later, with the code and PIN, she checks and adds something.
    d.go(&format!("{base}/report/status?lang=fr"));
    d.type_into("#code", &code.to_lowercase());
    d.type_into("#pin", &pin);
    d.click("button.big");
    d.wait_text("#status", |t| t.contains("Quelqu'un va le lire bientôt"));
    d.type_into("#text", "Le mariage est prévu samedi.");
    d.click("form[action='/report/add'] button");
    let page = d.wait_text("main", |t| t.contains("Nous l'avons ajouté"));
    assert!(page.contains("Le mariage est prévu samedi."), "{page}");

    // A wrong PIN looks exactly like a wrong code.
    d.go(&format!("{base}/report/status?lang=fr"));
    d.type_into("#code", &code);
    d.type_into("#pin", if pin == "000000" { "111111" } else { "000000" });
    d.click("button.big");
    let wrong = d.wait_text("main", |t| t.contains("Nous n'avons pas trouvé"));
    d.go(&format!("{base}/report/status?lang=fr"));
    d.type_into("#code", "ACDE-FGHJ-KMNP-RTWX");
    d.type_into("#pin", &pin);
    d.click("button.big");
    let missing = d.wait_text("main", |t| t.contains("Nous n'avons pas trouvé"));
    assert_eq!(
        wrong.replace(&code, ""),
        missing.replace("ACDE-FGHJ-KMNP-RTWX", "")
    );

    // The caseworker for the district triages it into a case, registering the girl.
    sign_in(&d, &base, "cw1");
    d.go(&format!("{base}/reports"));
    d.wait_text("table", |t| t.contains("Child marriage"));
    d.click("table a");
    let report = d.wait_text("main", |t| t.contains("Ma voisine a 13 ans"));
    assert!(report.contains("Le mariage est prévu samedi."), "{report}");
    d.type_into("#given_name", "Aissatou");
    d.type_into("#family_name", "Sow");
    d.click("#sex option[value=female]");
    d.click("#location option[value=D11]");
    d.type_into("#case_reason", "Marriage planned; girl aged 13");
    d.click("form[action$='/decision']:has(input[value=open_case]) button");
    d.wait_text("main", |t| t.contains("Decision recorded"));
    d.click("a[href^='/cases/']");
    let case = d.wait_text("main", |t| t.contains("Aissatou Sow"));
    assert!(
        case.contains("Opened from a child marriage report"),
        "{case}"
    );

    // The reporter now reads that her report was passed on; no staff words.
    d.go(&format!("{base}/report/status?lang=fr"));
    d.type_into("#code", &code);
    d.type_into("#pin", &pin);
    d.click("button.big");
    let status = d.wait_text("#status", |t| t.contains("transmis"));
    assert!(!d.text("main").contains("Marriage planned"), "{status}");
}

#[test]
fn a_reported_url_goes_through_the_hotline_onto_the_url_list_and_off_in_chromium() {
    let Some(d) = Driver::start() else { return };
    let app = spawn_app();
    let base = format!("http://{}", app.addr);
    let analyst = &app.tokens["analyst"];

    // The public page and its answers pass axe-core (JavaScript is on only for the check).
    for lang in ["en", "fr", "es"] {
        d.go(&format!("{base}/report?lang={lang}"));
        d.find("h1");
        axe_check(&d, &format!("/report?lang={lang}"));
    }
    // On a small phone nothing runs off the side and the buttons are large.
    d.cmd(
        "POST",
        "/window/rect",
        Some(&json!({"width": 360, "height": 740})),
    );
    d.go(&format!("{base}/report?lang=fr"));
    d.find("h1");
    let fits = d.execute("return [document.documentElement.scrollWidth, window.innerWidth, document.querySelector('button.big').getBoundingClientRect().height];");
    let (scroll, width, button) = (
        fits[0].as_f64().unwrap(),
        fits[1].as_f64().unwrap(),
        fits[2].as_f64().unwrap(),
    );
    assert!(scroll <= width, "the page is wider than the phone: {fits}");
    assert!(button >= 44.0, "the send button is a large target: {fits}");
    d.cmd(
        "POST",
        "/window/rect",
        Some(&json!({"width": 1200, "height": 900})),
    );
    d.go(&format!("{base}/report?lang=es"));
    d.click("#category-abuse_material_online");
    d.type_into("#url", "https://files.example.net/album/991");
    d.type_into("#description", "Fotos de una niña");
    d.click("button.big");
    d.wait_text("main", |t| t.contains("Gracias. Tenemos tu aviso"));
    axe_check(&d, "the receipt page");
    d.go(&format!("{base}/report/status?lang=es"));
    axe_check(&d, "/report/status");
    // A form with mistakes names them accessibly too.
    d.go(&format!("{base}/report?lang=en"));
    d.click("#category-abuse_material_online");
    d.click("button.big");
    d.wait_text("main", |t| t.contains("Give the web address"));
    axe_check(&d, "the form with errors");

    // The analyst sends it to the hotline and assesses it illegal: it is listed.
    sign_in(&d, &base, "analyst");
    d.go(&format!("{base}/reports"));
    d.click("table a");
    d.click("form[action$='/decision'] input[value=hotline] ~ button");
    d.wait_text("main", |t| t.contains("Decision recorded"));
    d.click("a[href^='/hotline/']");
    d.wait_text("#state", |t| t.contains("to assess"));
    d.click("#assessment option[value=illegal]");
    d.click("#confirm_illegal");
    d.click("#category option[value=baseline]");
    d.click("#age_band option[value=prepubescent]");
    d.click("#hosting_country option[value=NL]");
    d.type_into("#hosting_provider", "Example Hosting");
    d.click("form[action$='/assessment'] button");
    d.wait_text("#state", |t| t.contains("illegal: send notice"));
    let check = |url: &str| -> Value {
        send_json(
            app.addr,
            "POST",
            "/api/v1/urls/check",
            analyst,
            &json!({"url": url}),
        )
        .json()
    };
    assert_eq!(check("https://files.example.net/album/991")["listed"], true);

    // Notice to the host and the police; then the material is gone and the URL leaves the list.
    d.type_into("#notice_recipient", "Example Hosting abuse desk");
    d.type_into("#notice_reference", "TKT-1");
    d.click("form[action$='/action/notice_sent'] button");
    d.wait_text("#state", |t| t.contains("waiting for removal"));
    d.type_into("#police_recipient", "National cybercrime unit");
    d.click("form[action$='/action/law_enforcement'] button");
    d.wait_text("main", |t| {
        t.contains("Referred to National cybercrime unit")
    });
    // A confirmed image is hashed onto a list: shown once, blurred and grey
    // until the analyst chooses, and never stored.
    let list = send_json(
        app.addr,
        "POST",
        "/api/v1/hashlists",
        analyst,
        &json!({"name": "national", "description": "confirmed"}),
    )
    .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let item_url = d.url().split('?').next().unwrap().to_string();
    d.go(&item_url);
    d.click(&format!("#list option[value='{list}']"));
    let picture = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/conformance/pdq/images/bridge-1-original.jpg");
    let input = d.find("#image");
    d.cmd(
        "POST",
        &format!("/element/{input}/value"),
        Some(&json!({"text": picture.canonicalize().unwrap().to_string_lossy()})),
    );
    d.click("form[action$='/image'] button");
    d.wait_text("main", |t| t.contains("hashed onto the list and discarded"));
    let filter = |d: &Driver| {
        d.execute("return getComputedStyle(document.querySelector('.sensitive img')).filter;")
    };
    let hidden = filter(&d);
    assert!(
        hidden.as_str().unwrap().contains("blur") && hidden.as_str().unwrap().contains("grayscale"),
        "{hidden}"
    );
    d.click("label[for=reveal]");
    assert_eq!(filter(&d), json!("none"), "revealed on click");
    let entries = get(
        app.addr,
        &format!("/api/v1/hashlists/{list}/entries"),
        Some(analyst),
    )
    .json();
    assert_eq!(entries["items"][0]["category"], "baseline", "{entries}");
    d.go(&item_url);
    assert!(
        d.try_text(".sensitive").is_none(),
        "the image is gone once the page is left"
    );

    d.click("form[action$='/action/removed'] button");
    d.wait_text("#state", |t| t.contains("removed"));
    assert_eq!(
        check("https://files.example.net/album/991")["listed"],
        false
    );
    let feed = get(app.addr, "/api/v1/urllist?since=1", Some(analyst)).json();
    assert_eq!(feed["removed"].as_array().unwrap().len(), 1, "{feed}");

    // The figures are computed from what happened.
    d.go(&format!("{base}/hotline"));
    let figures = d.text("#figures");
    assert!(
        figures.contains("100.0%") && figures.contains("removed within 3 days"),
        "{figures}"
    );
}
