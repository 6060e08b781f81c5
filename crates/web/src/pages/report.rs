//! The public reporting page (C5): usable by a child, without JavaScript,
//! on a small phone, in the reporter's language. Every string comes from
//! the translation files (`locales/*/public.ftl`). Nothing here needs an
//! account, so its forms are not staff forms: the reporting form carries
//! its own double-submit token (a cookie and a hidden field), a honeypot,
//! and per-address limits.

use super::districts;
use super::forms::FieldErrors;
use super::layout::{render_with, vocabulary_options, Opt};
use crate::auth::{cookie, set_cookie, tokens_match, ClientAddr};
use crate::i18n::Tr;
use crate::limiter::REPORTS_PER_HOUR;
use crate::AppState;
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use haven_domain::report::{NewReport, ReportCategory, Reporter, MAX_TEXT};
use haven_domain::Actor;
use haven_store::crypto::{hex, random_bytes};
use haven_store::reports::ReporterView;
use serde::Deserialize;

/// The cookie that pairs with the form's hidden token (no session here).
const FORM_COOKIE: &str = "haven_report";

/// One language in the switcher, named in its own words.
pub(super) struct LangLink {
    pub(super) code: &'static str,
    pub(super) name: String,
    pub(super) current: bool,
}

/// The frame of a public page: its language, the switcher, the path the
/// switcher's links lead back to, the quick-exit link. No staff menu.
pub(super) struct PublicFrame {
    pub(super) tr: Tr,
    pub(super) path: &'static str,
    pub(super) langs: Vec<LangLink>,
    /// Where "Leave this site quickly" leads (a neutral outside page).
    pub(super) exit: std::sync::Arc<str>,
}

impl PublicFrame {
    pub(super) fn new(st: &AppState, tr: Tr, path: &'static str) -> PublicFrame {
        let langs = Tr::all()
            .map(|t| LangLink {
                code: t.lang,
                name: t.t("lang-name"),
                current: t.lang == tr.lang,
            })
            .collect();
        PublicFrame {
            tr,
            path,
            langs,
            exit: st.quick_exit.clone(),
        }
    }
}

/// `?lang=` (or the form's `lang` field), then the browser.
#[derive(Deserialize, Default)]
pub(super) struct LangQuery {
    #[serde(default)]
    pub(super) lang: Option<String>,
}

/// The reporting form as typed: every field text, so that reading it never
/// fails on what a person wrote.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct ReportForm {
    form_token: String,
    lang: String,
    category: String,
    description: String,
    url: String,
    location: String,
    #[serde(rename = "where")]
    place: String,
    child_age: String,
    reporter: String,
    contact: String,
    danger_now: Option<String>,
    /// The honeypot: people never see it, robots fill it.
    website: String,
}

impl ReportForm {
    /// The form as a report, or what is wrong with it.
    fn check(&self, tr: Tr) -> Result<haven_domain::report::ValidReport, FieldErrors> {
        let child_age = match self.child_age.trim() {
            "" => None,
            a => match a.parse::<u8>() {
                Ok(n) => Some(n),
                Err(_) => {
                    let mut e = FieldErrors::new(tr);
                    e.add("child_age", "error-child_age");
                    return Err(e);
                }
            },
        };
        let report = NewReport {
            category: self.category.clone(),
            reporter: self.reporter.clone(),
            description: self.description.clone(),
            url: self.url.clone(),
            place: self.place.clone(),
            child_age,
            danger_now: self.danger_now.is_some(),
            contact: self.contact.clone(),
            lang: tr.lang.to_string(),
            location: self.location.clone(),
        };
        report.validate().map_err(|v| {
            let mut e = FieldErrors::new(tr);
            for f in &v.0 {
                e.add(&f.field, &known(tr, &f.message, "fix_errors"));
            }
            e
        })
    }
}

/// A message key from the domain or the store, if this language has it;
/// else `fallback` (a key never shows as a loud marker to a child).
fn known(tr: Tr, key: &str, fallback: &str) -> String {
    if tr.has(key) {
        key.to_string()
    } else {
        fallback.to_string()
    }
}

#[derive(Template)]
#[template(path = "report_form.html")]
struct FormPage<'a> {
    l: PublicFrame,
    token: &'a str,
    form: &'a ReportForm,
    errors: &'a FieldErrors,
    notice: Option<&'static str>,
    categories: Vec<Opt>,
    reporters: Vec<Opt>,
    districts: Vec<Opt>,
    max: usize,
}

/// Shows the form, with a fresh anti-forgery token in a cookie and the
/// page, filled with what was typed when it comes back.
async fn show_form(
    st: &AppState,
    tr: Tr,
    status: StatusCode,
    form: &ReportForm,
    errors: &FieldErrors,
    notice: Option<&'static str>,
) -> Response {
    let token = random_bytes::<16>().map(|b| hex(&b)).unwrap_or_default();
    let categories: Vec<&str> = ReportCategory::ALL.iter().map(|c| c.as_str()).collect();
    let categories = vocabulary_options(tr, "category", &categories, &form.category);
    let reporters: Vec<&str> = Reporter::ALL.iter().map(|r| r.as_str()).collect();
    let reporters = vocabulary_options(tr, "reporter", &reporters, &form.reporter);
    let districts = districts(st, Actor::system())
        .await
        .into_iter()
        .map(|(code, name)| Opt {
            selected: code == form.location,
            value: code,
            label: name,
        })
        .collect();
    let page = FormPage {
        l: PublicFrame::new(st, tr, "/report"),
        token: &token,
        form,
        errors,
        notice,
        categories,
        reporters,
        districts,
        max: MAX_TEXT,
    };
    let mut res = render_with(status, &page);
    if let Ok(v) = set_cookie(st, FORM_COOKIE, &token, 4 * 3600).parse() {
        res.headers_mut().append(SET_COOKIE, v);
    }
    res
}

pub(super) async fn form(
    State(st): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let tr = Tr::negotiate(q.lang.as_deref(), &headers);
    show_form(
        &st,
        tr,
        StatusCode::OK,
        &ReportForm::default(),
        &FieldErrors::new(tr),
        None,
    )
    .await
}

#[derive(Template)]
#[template(path = "report_received.html")]
struct ReceivedPage {
    l: PublicFrame,
    code: String,
    pin: String,
}

#[derive(Template)]
#[template(path = "report_thanks.html")]
struct ThanksPage {
    l: PublicFrame,
}

pub(super) async fn submit(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    form: Result<Form<ReportForm>, FormRejection>,
) -> Response {
    let f = match form {
        Ok(Form(f)) => f,
        Err(rejection) => {
            let tr = Tr::negotiate(None, &headers);
            let notice = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                "error-too_large"
            } else {
                "fix_errors"
            };
            let none = FieldErrors::new(tr);
            let empty = ReportForm::default();
            return show_form(&st, tr, rejection.status(), &empty, &none, Some(notice)).await;
        }
    };
    let tr = Tr::negotiate(Some(f.lang.as_str()), &headers);
    let none = FieldErrors::new(tr);
    if !cookie(&headers, FORM_COOKIE)
        .is_some_and(|c| !c.is_empty() && tokens_match(c, &f.form_token))
    {
        let notice = Some("error-form_expired");
        return show_form(&st, tr, StatusCode::FORBIDDEN, &f, &none, notice).await;
    }
    let now = st.now();
    if !st
        .public_limits
        .hit(&st, &format!("submit:{ip}"), REPORTS_PER_HOUR, 3600, now)
        .await
    {
        let notice = Some("error-rate_limited");
        return show_form(&st, tr, StatusCode::TOO_MANY_REQUESTS, &f, &none, notice).await;
    }
    // A filled honeypot is a robot: thank it, keep nothing, note it.
    if !f.website.trim().is_empty() {
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
        let page = ThanksPage {
            l: PublicFrame::new(&st, tr, "/report"),
        };
        return render_with(StatusCode::OK, &page);
    }
    let valid = match f.check(tr) {
        Ok(v) => v,
        Err(e) => {
            return show_form(&st, tr, StatusCode::UNPROCESSABLE_ENTITY, &f, &e, None).await;
        }
    };
    let location = valid.location.clone();
    match st
        .run(move |s, now| s.submit_report(&valid, location.as_deref(), now))
        .await
    {
        Ok(receipt) => render_with(
            StatusCode::CREATED,
            &ReceivedPage {
                l: PublicFrame::new(&st, tr, "/report"),
                code: receipt.code,
                pin: receipt.pin,
            },
        ),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let mut errors = FieldErrors::new(tr);
            for fe in &e.fields {
                errors.add(&fe.field, &known(tr, &fe.message, "fix_errors"));
            }
            show_form(&st, tr, StatusCode::UNPROCESSABLE_ENTITY, &f, &errors, None).await
        }
        // The store is unreachable: say so plainly, keep what was typed in the form.
        Err(_) => {
            let notice = Some("error-store_down");
            show_form(&st, tr, StatusCode::SERVICE_UNAVAILABLE, &f, &none, notice).await
        }
    }
}

/// The look-up form (and the add-to-report form) as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct LookupForm {
    lang: String,
    code: String,
    pin: String,
    text: String,
}

#[derive(Template)]
#[template(path = "report_status.html")]
struct StatusPage {
    l: PublicFrame,
    code: String,
    message: Option<String>,
}

fn status_form(
    st: &AppState,
    tr: Tr,
    status: StatusCode,
    code: String,
    message: Option<String>,
) -> Response {
    render_with(
        status,
        &StatusPage {
            l: PublicFrame::new(st, tr, "/report/status"),
            code,
            message,
        },
    )
}

pub(super) async fn status_page(
    State(st): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let tr = Tr::negotiate(q.lang.as_deref(), &headers);
    status_form(&st, tr, StatusCode::OK, String::new(), None)
}

#[derive(Template)]
#[template(path = "report_view.html")]
struct ViewPage {
    l: PublicFrame,
    code: String,
    pin: String,
    status: String,
    sent: String,
    added: Vec<(String, String)>,
    added_now: bool,
    max: usize,
}

fn view_page(
    st: &AppState,
    tr: Tr,
    code: String,
    pin: String,
    v: ReporterView,
    added_now: bool,
) -> Response {
    let page = ViewPage {
        l: PublicFrame::new(st, tr, "/report/status"),
        status: tr.t(&format!("status-{}", v.status.as_str())),
        sent: tr.date(v.received_at),
        added: v
            .added
            .into_iter()
            .map(|(at, text)| (tr.date(at), text))
            .collect(),
        code,
        pin,
        added_now,
        max: MAX_TEXT,
    };
    render_with(StatusCode::OK, &page)
}

/// Looks a report up (and adds to it when `add`), rate-limiting wrong
/// codes per address; a wrong code and a wrong PIN read the same.
async fn lookup(st: &AppState, ip: String, tr: Tr, f: LookupForm, add: bool) -> Response {
    let now = st.now();
    let LookupForm {
        code, pin, text, ..
    } = f;
    let again = |status: StatusCode, key: &str, code: String| {
        status_form(st, tr, status, code, Some(key.to_string()))
    };
    if st.public_limits.lookup_begin(st, &ip, &code, now).await {
        return again(StatusCode::TOO_MANY_REQUESTS, "error-rate_limited", code);
    }
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
        st.public_limits.lookup_succeeded(st, &ip, &code).await;
    }
    match result {
        Ok(v) => view_page(st, tr, code, pin, v, add),
        // Counted when it began.
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            again(StatusCode::NOT_FOUND, "error-not_found", code)
        }
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let key = e.fields.first().map_or("error-too_long".to_string(), |f| {
                known(tr, &f.message, "error-too_long")
            });
            again(StatusCode::UNPROCESSABLE_ENTITY, &key, code)
        }
        Err(_) => again(StatusCode::SERVICE_UNAVAILABLE, "error-store_down", code),
    }
}

pub(super) async fn status_lookup(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    form: Result<Form<LookupForm>, FormRejection>,
) -> Response {
    let f = form.map(|Form(f)| f).unwrap_or_default();
    let tr = Tr::negotiate(Some(f.lang.as_str()), &headers);
    lookup(&st, ip, tr, f, false).await
}

pub(super) async fn add_info(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    form: Result<Form<LookupForm>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        let tr = Tr::negotiate(None, &headers);
        let key = Some("error-too_large".to_string());
        return status_form(&st, tr, StatusCode::PAYLOAD_TOO_LARGE, String::new(), key);
    };
    let tr = Tr::negotiate(Some(f.lang.as_str()), &headers);
    lookup(&st, ip, tr, f, true).await
}
