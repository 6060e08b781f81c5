//! The children's, assessment and case pages over plain HTTP: a form with
//! a mistake comes back as the same page (422), what was typed kept and
//! the error beside its field; the pages read in French and Spanish.

use crate::pages::{page, post, sign_in};
use crate::{spawn_app, App, PASSWORD};

/// The text of the error shown beside `field`.
fn error_beside(body: &str, field: &str) -> String {
    body.split(&format!("id=\"{field}-error\">"))
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap_or_else(|| panic!("no error beside {field}: {body}"))
        .to_string()
}

/// Registers a child through the form; returns the child's page address.
fn register(app: &App, cookie: &str, csrf: &str, given: &str) -> String {
    let body = format!(
        "csrf={csrf}&given_name={given}&family_name=Camara&sex=female&estimated_age=9&location=D11&birth_registration=not_registered"
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

#[test]
fn a_registration_with_mistakes_comes_back_with_each_error_beside_its_field() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let r = post(
        &app,
        &cookie,
        "/children",
        &format!("csrf={csrf}&given_name=Nobody&family_name=Sesay&estimated_age=25&caregiver_relationship=aunt"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    // What was typed is kept.
    assert!(r.body.contains(r#"value="Nobody""#), "{}", r.body);
    assert!(r.body.contains(r#"value="Sesay""#));
    assert!(r.body.contains(r#"value="25""#));
    assert!(r.body.contains(r#"value="aunt""#));
    // Each error in plain words, beside its field, tied to it.
    let sex = error_beside(&r.body, "sex");
    assert!(
        sex.starts_with("Choose the child") && sex.contains("s sex, or "),
        "{sex}"
    );
    assert!(error_beside(&r.body, "estimated_age").contains("between 0 and 17"));
    assert!(error_beside(&r.body, "location").contains("Choose a district in your area"));
    assert!(error_beside(&r.body, "caregiver_given_name").contains("caregiver"));
    assert!(r
        .body
        .contains(r#"id="estimated_age" name="estimated_age" type="number" inputmode="numeric" min="0" max="17" value="25" aria-invalid="true" aria-describedby="estimated_age-error""#));
    assert!(r.body.contains("class=\"error-summary\""));
    // Nothing was saved.
    let list = page(&app, &cookie, "/children?name=Nobody");
    assert!(list.body.contains("No children match."), "{}", list.body);

    // A date of birth in the future, and both a date and an age.
    let r = post(
        &app,
        &cookie,
        "/children",
        &format!("csrf={csrf}&given_name=Fatou&sex=female&date_of_birth=2999-01-01&location=D11"),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r#"value="2999-01-01""#));
    assert!(error_beside(&r.body, "date_of_birth").contains("cannot be in the future"));
    let r = post(
        &app,
        &cookie,
        "/children",
        &format!("csrf={csrf}&given_name=Fatou&sex=female&location=D11"),
    );
    assert_eq!(r.status, 422);
    assert!(error_beside(&r.body, "date_of_birth").contains("date of birth or an estimated age"));
    // A district outside the person's area is not offered, and refused.
    let r = post(
        &app,
        &cookie,
        "/children",
        &format!("csrf={csrf}&given_name=Fatou&sex=female&estimated_age=4&location=NOWHERE"),
    );
    assert_eq!(r.status, 422);
    assert!(error_beside(&r.body, "location").contains("Choose a district in your area"));
}

#[test]
fn a_changed_level_without_a_reason_comes_back_on_the_childs_page() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let child = register(&app, &cookie, &csrf, "Mariatu");
    let child_id = child.trim_start_matches("/children/");
    let r = post(
        &app,
        &cookie,
        &format!("{child}/assessments"),
        &format!("csrf={csrf}&poverty=on"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = page(&app, &cookie, r.header("location").unwrap());
    assert!(shown.body.contains("Assessed: "), "{}", shown.body);
    let assessment = shown
        .body
        .split("action=\"/assessments/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let r = post(
        &app,
        &cookie,
        &format!("/assessments/{assessment}/confirm"),
        &format!("csrf={csrf}&child={child_id}&level=critical&reason="),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(error_beside(&r.body, "confirm_reason").contains("say why"));
    assert!(r.body.contains(r#"<option value="critical" selected>"#));
    // With a reason it is kept, with who set it.
    let r = post(
        &app,
        &cookie,
        &format!("/assessments/{assessment}/confirm"),
        &format!("csrf={csrf}&child={child_id}&level=critical&reason=Threats+at+home"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = page(&app, &cookie, &child);
    assert!(
        shown
            .body
            .contains("set to critical by cw1: Threats at home"),
        "{}",
        shown.body
    );
}

#[test]
fn case_forms_with_mistakes_come_back_with_the_error_beside_the_field() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let child = register(&app, &cookie, &csrf, "Kadiatu");
    let r = post(
        &app,
        &cookie,
        &format!("{child}/cases"),
        &format!("csrf={csrf}"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let case = r.header("location").unwrap().to_string();
    assert!(case.ends_with("?done=opened"), "{case}");
    let shown = page(&app, &cookie, &case);
    assert!(shown.body.contains("Case opened."), "{}", shown.body);
    let case = case.split('?').next().unwrap().to_string();

    // An empty note: the page again, the error beside the note.
    let r = post(
        &app,
        &cookie,
        &format!("{case}/note"),
        &format!("csrf={csrf}&text=+"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(error_beside(&r.body, "note"), "Write the note.");
    assert!(r
        .body
        .contains(r#"id="note" name="text" rows="3" aria-invalid="true""#));

    // Consent with the child's views typed, and a value not offered.
    let r = post(
        &app,
        &cookie,
        &format!("{case}/consent"),
        &format!("csrf={csrf}&consent=maybe&child_views=I+want+to+stay"),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains(">I want to stay</textarea>"), "{}", r.body);
    assert!(error_beside(&r.body, "consent").contains("Choose"));

    // Nothing asked of the plan yet: the store's own order is kept (409).
    let r = post(
        &app,
        &cookie,
        &format!("{case}/step/submit_plan"),
        &format!("csrf={csrf}&text=A+plan"),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Someone changed this") || r.body.contains("could not be done"));

    // A step that needs words, sent without them.
    let r = post(
        &app,
        &cookie,
        &format!("{child}/assessments"),
        &format!("csrf={csrf}&poverty=on"),
    );
    assert_eq!(r.status, 303);
    let r = post(
        &app,
        &cookie,
        &format!("{case}/step/submit_plan"),
        &format!("csrf={csrf}&text="),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(error_beside(&r.body, "t-submit_plan").contains("Write a few words"));
    let r = post(
        &app,
        &cookie,
        &format!("{case}/step/submit_plan"),
        &format!("csrf={csrf}&text=Register+the+birth"),
    );
    assert_eq!(r.status, 303);
    let shown = page(&app, &cookie, r.header("location").unwrap());
    assert!(shown.body.contains("Saved: the plan is sent for approval."));
    assert!(shown.body.contains("Register the birth"));
}

#[test]
fn the_childrens_and_case_pages_read_in_french_and_spanish() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let child = register(&app, &cookie, &csrf, "Aminata");
    let r = post(
        &app,
        &cookie,
        &format!("{child}/assessments"),
        &format!("csrf={csrf}&poverty=on&immediate_danger=on"),
    );
    let assessed = r.header("location").unwrap().replace("#assessments", "");
    let r = post(
        &app,
        &cookie,
        &format!("{child}/cases"),
        &format!("csrf={csrf}"),
    );
    let case = r.header("location").unwrap().to_string();
    let (admin, _) = sign_in(&app, "admin", PASSWORD).unwrap();
    for (lang, words) in [
        (
            "fr",
            [
                "Enregistrement de la naissance",
                "Enregistrer un enfant",
                "Évaluations de vulnérabilité",
                "Modifier le dossier de",
                "Étapes suivantes",
                "Mes dossiers",
            ],
        ),
        (
            "es",
            [
                "Registro de nacimiento",
                "Registrar a un niño o niña",
                "Evaluaciones de vulnerabilidad",
                "Modificar el expediente de",
                "Próximos pasos",
                "Mis casos",
            ],
        ),
    ] {
        let join = |p: &str| {
            if p.contains('?') {
                format!("{p}&lang={lang}")
            } else {
                format!("{p}?lang={lang}")
            }
        };
        let pages = [
            ("/children".to_string(), words[0]),
            ("/children/new".to_string(), words[1]),
            (assessed.clone(), words[2]),
            (format!("{child}/edit"), words[3]),
            (case.clone(), words[4]),
            ("/cases?mine=true".to_string(), words[5]),
        ];
        for (path, word) in pages {
            let r = page(&app, &cookie, &join(&path));
            assert_eq!(r.status, 200, "{path}: {}", r.body);
            assert!(r.body.contains(&format!("<html lang=\"{lang}\"")), "{path}");
            assert!(!r.body.contains('⟦'), "{lang} {path}: {}", r.body);
            assert!(
                r.body.contains(word),
                "{lang} {path} lacks {word}: {}",
                r.body
            );
        }
        // A refused form in the person's language.
        let r = post(
            &app,
            &cookie,
            &join("/children"),
            &format!("csrf={csrf}&given_name=X&estimated_age=30&location=D11&sex=male"),
        );
        assert_eq!(r.status, 422);
        assert!(!r.body.contains('⟦'));
        assert!(
            error_beside(&r.body, "estimated_age").contains(if lang == "fr" {
                "entre 0 et 17 ans"
            } else {
                "entre 0 y 17 años"
            }),
            "{}",
            r.body
        );
        let r = page(&app, &admin, &join("/instrument"));
        assert_eq!(r.status, 200);
        assert!(!r.body.contains('⟦'), "{}", r.body);
    }
}
