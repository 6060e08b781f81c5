//! The public reporting page (C5): usable by a child, without JavaScript,
//! on a small phone, in the reporter's language. Every string comes from
//! the translation files. Nothing here needs an account.

use super::{districts, esc};
use crate::auth::{cookie, set_cookie, tokens_match, ClientAddr};
use crate::i18n::{Tr, LANGS};
use crate::limiter::REPORTS_PER_HOUR;
use crate::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use haven_domain::report::{NewReport, ReportCategory, Reporter, MAX_TEXT};
use haven_domain::{Actor, ValidationErrors};
use haven_store::crypto::{hex, random_bytes};
use haven_store::reports::ReporterView;
use std::collections::HashMap;

/// The cookie that pairs with the form's hidden token (no session here).
const FORM_COOKIE: &str = "haven_report";

type Fields = HashMap<String, String>;

fn lang_of(q: &Fields, headers: &HeaderMap) -> Tr {
    Tr::negotiate(q.get("lang").map(String::as_str), headers)
}

/// The public layout: the page's language, a language switcher, no staff navigation.
fn public_page(tr: Tr, title: &str, path: &str, body: &str) -> Html<String> {
    let switcher: Vec<String> = LANGS
        .iter()
        .filter_map(|code| Tr::for_code(code))
        .map(|t| {
            if t.lang == tr.lang {
                format!(r#"<b aria-current="true">{}</b>"#, esc(&t.t("lang.name")))
            } else {
                format!(
                    r#"<a href="{path}?lang={}" hreflang="{}" lang="{}">{}</a>"#,
                    t.lang,
                    t.lang,
                    t.lang,
                    esc(&t.t("lang.name"))
                )
            }
        })
        .collect();
    Html(format!(
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="/static/haven.css"></head>
<body class="public"><header><span class="brand">Haven</span><nav aria-label="{langlabel}">{switch}</nav></header><main>{body}</main></body></html>"#,
        lang = tr.lang,
        title = esc(title),
        langlabel = esc(&tr.t("language.label")),
        switch = switcher.join(" · ")
    ))
}

fn emergency(tr: Tr) -> String {
    format!(
        r#"<section class="emergency" aria-labelledby="emergency"><h2 id="emergency">{}</h2><p>{}</p></section>"#,
        esc(&tr.t("emergency.title")),
        esc(&tr.t("emergency.text"))
    )
}

/// The error under a field, if any, and the attribute linking it.
fn field_error(tr: Tr, errors: &ValidationErrors, field: &str) -> (String, String) {
    match errors.0.iter().find(|e| e.field == field) {
        Some(e) => (
            format!(
                r#"<p class="error" id="{field}-error">{}</p>"#,
                esc(&tr.t(&e.message))
            ),
            format!(r#" aria-describedby="{field}-error" aria-invalid="true""#),
        ),
        None => (String::new(), String::new()),
    }
}

fn radios(tr: Tr, name: &str, values: &[&str], chosen: &str, errors: &ValidationErrors) -> String {
    let (err, _) = field_error(tr, errors, name);
    let items: String = values
        .iter()
        .map(|v| {
            format!(
                r#"<p class="choice"><input type="radio" id="{name}-{v}" name="{name}" value="{v}"{}> <label for="{name}-{v}">{}</label></p>"#,
                if *v == chosen { " checked" } else { "" },
                esc(&tr.t(&format!("{name}.{v}")))
            )
        })
        .collect();
    format!("{err}{items}")
}

/// The reporting form, filled with what was typed when it comes back with errors.
fn form_body(
    tr: Tr,
    token: &str,
    f: &Fields,
    errors: &ValidationErrors,
    districts: &[(String, String)],
    notice: Option<&str>,
) -> String {
    let v = |k: &str| esc(f.get(k).map(String::as_str).unwrap_or(""));
    let categories: Vec<&str> = ReportCategory::ALL.iter().map(|c| c.as_str()).collect();
    let reporters: Vec<&str> = Reporter::ALL.iter().map(|r| r.as_str()).collect();
    let chosen = |k: &str| f.get(k).cloned().unwrap_or_default();
    let summary = match (notice, errors.0.is_empty()) {
        (Some(n), _) => format!(r#"<p class="error" role="alert">{}</p>"#, esc(&tr.t(n))),
        (None, false) => format!(
            r#"<p class="error" role="alert">{}</p>"#,
            esc(&tr.t("fix_errors"))
        ),
        _ => String::new(),
    };
    let (desc_err, desc_attr) = field_error(tr, errors, "description");
    let (url_err, url_attr) = field_error(tr, errors, "url");
    let (age_err, age_attr) = field_error(tr, errors, "child_age");
    let (loc_err, loc_attr) = field_error(tr, errors, "location");
    let (contact_err, contact_attr) = field_error(tr, errors, "contact");
    let (place_err, place_attr) = field_error(tr, errors, "where");
    let options: String = districts
        .iter()
        .map(|(code, name)| {
            format!(
                r#"<option value="{}"{}>{}</option>"#,
                esc(code),
                if f.get("location") == Some(code) {
                    " selected"
                } else {
                    ""
                },
                esc(name)
            )
        })
        .collect();
    format!(
        r#"<h1>{title}</h1><p>{intro}</p>{emergency}{summary}
<form method="post" action="/report">
<input type="hidden" name="form_token" value="{token}"><input type="hidden" name="lang" value="{lang}">
<fieldset><legend>{step1}</legend>{cats}
<p class="choice danger"><input type="checkbox" id="danger_now" name="danger_now" value="yes"{danger}> <label for="danger_now">{danger_label}</label></p></fieldset>
<fieldset><legend>{step2}</legend>
<label for="description">{desc_label}</label><p class="hint" id="description-hint">{desc_hint}</p>{desc_err}
<textarea id="description" name="description" rows="5" maxlength="{max}"{desc_attr}>{desc}</textarea>
<label for="url">{url_label}</label><p class="hint">{url_hint}</p>{url_err}<input id="url" name="url" type="url" inputmode="url" value="{url}"{url_attr}>
<label for="location">{where_label}</label>{loc_err}<select id="location" name="location"{loc_attr}><option value="">{unknown}</option>{options}</select>
<label for="where">{place_label}</label>{place_err}<input id="where" name="where" value="{place}"{place_attr}>
<label for="child_age">{age_label}</label>{age_err}<input id="child_age" name="child_age" type="number" min="0" max="17" inputmode="numeric" value="{age}"{age_attr}></fieldset>
<fieldset><legend>{step3}</legend><p>{reporter_label}</p>{reporters}
<label for="contact">{contact_label}</label><p class="hint">{contact_hint}</p>{contact_err}<input id="contact" name="contact" value="{contact}"{contact_attr}></fieldset>
<div class="hp" aria-hidden="true"><label for="website">{hp}</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>
<p><button type="submit" class="big">{submit}</button></p></form>
<section><h2>{next_title}</h2><p>{next_text}</p><p>{privacy}</p></section>
<p><a href="/report/status?lang={lang}">{check}</a></p>"#,
        title = esc(&tr.t("page.title")),
        intro = esc(&tr.t("intro")),
        emergency = emergency(tr),
        token = esc(token),
        lang = tr.lang,
        step1 = esc(&tr.t("step1.title")),
        cats = radios(tr, "category", &categories, &chosen("category"), errors),
        danger = if f.contains_key("danger_now") {
            " checked"
        } else {
            ""
        },
        danger_label = esc(&tr.t("danger_now.label")),
        step2 = esc(&tr.t("step2.title")),
        desc_label = esc(&tr.t("description.label")),
        desc_hint = esc(&tr.t("description.hint")),
        max = MAX_TEXT,
        desc = v("description"),
        url_label = esc(&tr.t("url.label")),
        url_hint = esc(&tr.t("url.hint")),
        url = v("url"),
        where_label = esc(&tr.t("where.label")),
        unknown = esc(&tr.t("where.unknown")),
        place_label = esc(&tr.t("place.label")),
        place = v("where"),
        age_label = esc(&tr.t("child_age.label")),
        age = v("child_age"),
        step3 = esc(&tr.t("step3.title")),
        reporter_label = esc(&tr.t("reporter.label")),
        reporters = radios(tr, "reporter", &reporters, &chosen("reporter"), errors),
        contact_label = esc(&tr.t("contact.label")),
        contact_hint = esc(&tr.t("contact.hint")),
        contact = v("contact"),
        hp = esc(&tr.t("honeypot.label")),
        submit = esc(&tr.t("submit")),
        next_title = esc(&tr.t("next.title")),
        next_text = esc(&tr.t("next.text")),
        privacy = esc(&tr.t("privacy.text")),
        check = esc(&tr.t("received.check_link")),
    )
}

/// Shows the form, with a fresh anti-forgery token in a cookie and the page.
async fn show_form(
    st: &AppState,
    tr: Tr,
    status: StatusCode,
    f: &Fields,
    errors: &ValidationErrors,
    notice: Option<&str>,
) -> Response {
    let token = random_bytes::<16>().map(|b| hex(&b)).unwrap_or_default();
    let d = districts(st, Actor::system()).await;
    (
        status,
        [(SET_COOKIE, set_cookie(st, FORM_COOKIE, &token, 4 * 3600))],
        public_page(
            tr,
            &tr.t("page.title"),
            "/report",
            &form_body(tr, &token, f, errors, &d, notice),
        ),
    )
        .into_response()
}

pub(super) async fn form(
    State(st): State<AppState>,
    Query(q): Query<Fields>,
    headers: HeaderMap,
) -> Response {
    let tr = lang_of(&q, &headers);
    show_form(
        &st,
        tr,
        StatusCode::OK,
        &Fields::new(),
        &ValidationErrors::default(),
        None,
    )
    .await
}

/// The form's fields as a report.
fn report_of(f: &Fields, tr: Tr) -> Result<NewReport, ValidationErrors> {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let child_age = match get("child_age").trim() {
        "" => None,
        a => match a.parse::<u8>() {
            Ok(n) => Some(n),
            Err(_) => {
                let mut e = ValidationErrors::default();
                e.add("child_age", "error.child_age");
                return Err(e);
            }
        },
    };
    Ok(NewReport {
        category: get("category"),
        reporter: get("reporter"),
        description: get("description"),
        url: get("url"),
        place: get("where"),
        child_age,
        danger_now: f.contains_key("danger_now"),
        contact: get("contact"),
        lang: tr.lang.to_string(),
        location: get("location"),
    })
}

pub(super) async fn submit(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    form: Result<Form<Fields>, FormRejection>,
) -> Response {
    let none = ValidationErrors::default();
    let Ok(Form(f)) = form else {
        let tr = lang_of(&Fields::new(), &headers);
        return show_form(
            &st,
            tr,
            StatusCode::PAYLOAD_TOO_LARGE,
            &Fields::new(),
            &none,
            Some("error.too_large"),
        )
        .await;
    };
    let tr = lang_of(&f, &headers);
    let given = f.get("form_token").map(String::as_str).unwrap_or("");
    if !cookie(&headers, FORM_COOKIE).is_some_and(|c| !c.is_empty() && tokens_match(c, given)) {
        return show_form(
            &st,
            tr,
            StatusCode::FORBIDDEN,
            &f,
            &none,
            Some("error.form_expired"),
        )
        .await;
    }
    let now = st.now();
    if !st
        .public_limits
        .hit(&format!("submit:{ip}"), REPORTS_PER_HOUR, 3600, now)
    {
        return show_form(
            &st,
            tr,
            StatusCode::TOO_MANY_REQUESTS,
            &f,
            &none,
            Some("error.rate_limited"),
        )
        .await;
    }
    // A filled honeypot is a robot: thank it, keep nothing, note it.
    if f.get("website").is_some_and(|w| !w.trim().is_empty()) {
        let _ = st
            .run(|s, now| {
                s.record_event(
                    "public",
                    "report.create",
                    "report:none",
                    "denied",
                    "honeypot filled",
                    now,
                )
            })
            .await;
        let body = format!("<h1>{}</h1>", esc(&tr.t("thanks.title")));
        return public_page(tr, &tr.t("thanks.title"), "/report", &body).into_response();
    }
    let valid = match report_of(&f, tr).and_then(|r| r.validate()) {
        Ok(v) => v,
        Err(e) => return show_form(&st, tr, StatusCode::UNPROCESSABLE_ENTITY, &f, &e, None).await,
    };
    let location = valid.location.clone();
    match st
        .run(move |s, now| s.submit_report(&valid, location.as_deref(), now))
        .await
    {
        Ok(receipt) => {
            let body = format!(
                r#"<h1>{title}</h1>{emergency}<p>{code_label}</p><p class="code" id="code">{code}</p><p>{pin_label}</p><p class="code" id="pin">{pin}</p>
<p class="warning">{keep}</p><section><h2>{next_title}</h2><p>{next_text}</p></section>
<p><a href="/report/status?lang={lang}">{check}</a></p>"#,
                title = esc(&tr.t("received.title")),
                emergency = emergency(tr),
                code_label = esc(&tr.t("received.code")),
                code = esc(&receipt.code),
                pin_label = esc(&tr.t("received.pin")),
                pin = esc(&receipt.pin),
                keep = esc(&tr.t("received.keep")),
                next_title = esc(&tr.t("next.title")),
                next_text = esc(&tr.t("next.text")),
                lang = tr.lang,
                check = esc(&tr.t("received.check_link")),
            );
            (
                StatusCode::CREATED,
                public_page(tr, &tr.t("received.title"), "/report", &body),
            )
                .into_response()
        }
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let mut v = ValidationErrors::default();
            for fe in &e.fields {
                v.add(&fe.field, fe.message.clone());
            }
            show_form(&st, tr, StatusCode::UNPROCESSABLE_ENTITY, &f, &v, None).await
        }
        // The store is unreachable: say so plainly, keep what was typed in the form.
        Err(_) => {
            show_form(
                &st,
                tr,
                StatusCode::SERVICE_UNAVAILABLE,
                &f,
                &none,
                Some("error.store_down"),
            )
            .await
        }
    }
}

fn status_form(tr: Tr, code: &str, message: Option<&str>) -> String {
    let msg = message
        .map(|m| format!(r#"<p class="error" role="alert">{}</p>"#, esc(&tr.t(m))))
        .unwrap_or_default();
    format!(
        r#"<h1>{title}</h1>{msg}<form method="post" action="/report/status"><input type="hidden" name="lang" value="{lang}">
<label for="code">{code_label}</label><input id="code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" value="{code}" required>
<label for="pin">{pin_label}</label><input id="pin" name="pin" inputmode="numeric" autocomplete="off" required>
<p><button type="submit" class="big">{submit}</button></p></form><p><a href="/report?lang={lang}">{new}</a></p>"#,
        title = esc(&tr.t("status.title")),
        lang = tr.lang,
        code_label = esc(&tr.t("status.code")),
        code = esc(code),
        pin_label = esc(&tr.t("status.pin")),
        submit = esc(&tr.t("status.submit")),
        new = esc(&tr.t("new_report")),
    )
}

pub(super) async fn status_page(Query(q): Query<Fields>, headers: HeaderMap) -> Response {
    let tr = lang_of(&q, &headers);
    public_page(
        tr,
        &tr.t("status.title"),
        "/report/status",
        &status_form(tr, "", None),
    )
    .into_response()
}

fn view_body(tr: Tr, code: &str, pin: &str, v: &ReporterView, notice: Option<&str>) -> String {
    let added: String = v
        .added
        .iter()
        .map(|(at, t)| {
            format!(
                "<li><b>{}</b>: {}</li>",
                haven_domain::Date::from_unix(*at),
                esc(t)
            )
        })
        .collect();
    let added = if added.is_empty() {
        String::new()
    } else {
        format!(
            "<h2>{}</h2><ul>{added}</ul>",
            esc(&tr.t("status.added_title"))
        )
    };
    let notice = notice
        .map(|n| format!(r#"<p class="notice" role="status">{}</p>"#, esc(&tr.t(n))))
        .unwrap_or_default();
    format!(
        r#"{notice}<h1>{title}</h1><dl><dt>{now_label}</dt><dd id="status">{status}</dd><dt>{sent_label}</dt><dd>{sent}</dd></dl>{added}
<form method="post" action="/report/add"><input type="hidden" name="lang" value="{lang}"><input type="hidden" name="code" value="{code}"><input type="hidden" name="pin" value="{pin}">
<label for="text">{add_label}</label><textarea id="text" name="text" rows="4" maxlength="{max}" required></textarea>
<p><button type="submit" class="big">{add_submit}</button></p></form>{emergency}"#,
        title = esc(&tr.t("status.title")),
        now_label = esc(&tr.t("status.now")),
        status = esc(&tr.t(&format!("status.{}", v.status.as_str()))),
        sent_label = esc(&tr.t("status.received_on")),
        sent = haven_domain::Date::from_unix(v.received_at),
        lang = tr.lang,
        code = esc(code),
        pin = esc(pin),
        add_label = esc(&tr.t("add.label")),
        max = MAX_TEXT,
        add_submit = esc(&tr.t("add.submit")),
        emergency = emergency(tr),
    )
}

/// Looks a report up (and adds to it when `text` is given), rate-limiting
/// wrong codes per address; a wrong code and a wrong PIN read the same.
async fn lookup(st: &AppState, ip: String, tr: Tr, f: Fields, add: bool) -> Response {
    let now = st.now();
    let code = f.get("code").cloned().unwrap_or_default();
    let pin = f.get("pin").cloned().unwrap_or_default();
    let page_with = |status: StatusCode, msg: &str| {
        (
            status,
            public_page(
                tr,
                &tr.t("status.title"),
                "/report/status",
                &status_form(tr, &code, Some(msg)),
            ),
        )
            .into_response()
    };
    if st.public_limits.lookup_begin(&ip, &code, now) {
        return page_with(StatusCode::TOO_MANY_REQUESTS, "error.rate_limited");
    }
    let text = f.get("text").cloned().unwrap_or_default();
    let (c, p) = (code.clone(), pin.clone());
    let result = st
        .run(move |s, now| {
            if add {
                s.add_report_info(&c, &p, &text, now)
            } else {
                s.report_status(&c, &p, now)
            }
        })
        .await;
    if !matches!(&result, Err(e) if e.status == StatusCode::NOT_FOUND) {
        st.public_limits.lookup_succeeded(&ip, &code);
    }
    match result {
        Ok(v) => {
            let notice = add.then_some("add.done");
            public_page(
                tr,
                &tr.t("status.title"),
                "/report/status",
                &view_body(tr, &code, &pin, &v, notice),
            )
            .into_response()
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            // Counted when it began.
            page_with(StatusCode::NOT_FOUND, "error.not_found")
        }
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let key = e
                .fields
                .first()
                .map_or("error.too_long", |f| f.message.as_str())
                .to_string();
            page_with(StatusCode::UNPROCESSABLE_ENTITY, &key)
        }
        Err(_) => page_with(StatusCode::SERVICE_UNAVAILABLE, "error.store_down"),
    }
}

pub(super) async fn status_lookup(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    form: Result<Form<Fields>, FormRejection>,
) -> Response {
    let f = form.map(|Form(f)| f).unwrap_or_default();
    let tr = lang_of(&f, &headers);
    lookup(&st, ip, tr, f, false).await
}

pub(super) async fn add_info(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    form: Result<Form<Fields>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        let tr = lang_of(&Fields::new(), &headers);
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            public_page(
                tr,
                &tr.t("status.title"),
                "/report/status",
                &status_form(tr, "", Some("error.too_large")),
            ),
        )
            .into_response();
    };
    let tr = lang_of(&f, &headers);
    lookup(&st, ip, tr, f, true).await
}
