//! Sign in and sign out. The sign-in page speaks the language of `?lang=`
//! or of the browser (nobody is signed in yet to have a setting); its form
//! carries its own double-submit token, since there is no session yet.

use super::forms::StaffForm;
use super::layout::{problem_page, query_lang, render_with, Layout};
use crate::auth::{
    cookie, set_cookie, tokens_match, ClientAddr, PageSession, DEVICE_COOKIE, LOGIN_COOKIE,
    SESSION_COOKIE,
};
use crate::i18n::Tr;
use crate::limiter::{Attempt, DEVICE_COOKIE_AGE};
use crate::AppState;
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use haven_store::crypto::{hex, random_bytes};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    l: Layout,
    token: String,
    name: String,
    message: Option<String>,
    /// Each language in its own words, and whether it is this page's.
    languages: Vec<(&'static str, String, bool)>,
}

/// The sign-in page with a fresh token (in its cookie and in the form),
/// the name as typed, and what went wrong if anything.
fn fresh_form(
    state: &AppState,
    tr: Tr,
    status: StatusCode,
    name: String,
    message: Option<String>,
) -> Response {
    let token = random_bytes::<16>().map(|b| hex(&b)).unwrap_or_default();
    let page = SignInPage {
        l: Layout::for_session(tr, None, "/login"),
        token: token.clone(),
        name,
        message,
        languages: Tr::all()
            .map(|t| (t.lang, t.t("lang-name"), t.lang == tr.lang))
            .collect(),
    };
    let mut res = render_with(status, &page);
    if let Ok(v) = set_cookie(state, LOGIN_COOKIE, &token, 3600).parse() {
        res.headers_mut().append(SET_COOKIE, v);
    }
    res
}

pub(super) async fn form(
    State(st): State<AppState>,
    session: Option<PageSession>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if session.is_some() {
        return Redirect::to("/").into_response();
    }
    let tr = Tr::negotiate(query_lang(uri.query()).as_deref(), &headers);
    fresh_form(&st, tr, StatusCode::OK, String::new(), None)
}

/// The sign-in form as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct LoginForm {
    login_token: String,
    name: String,
    password: String,
    lang: String,
}

pub(super) async fn submit(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        let tr = Tr::negotiate(None, &headers);
        let expired = Some(tr.t("signin-expired"));
        return fresh_form(&st, tr, StatusCode::BAD_REQUEST, String::new(), expired);
    };
    let tr = Tr::negotiate(Some(f.lang.as_str()), &headers);
    let LoginForm {
        login_token,
        name,
        password,
        ..
    } = f;
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    if expected.is_empty() || !tokens_match(expected, &login_token) {
        let expired = Some(tr.t("signin-expired"));
        return fresh_form(&st, tr, StatusCode::FORBIDDEN, name, expired);
    }
    let now = st.now();
    let device = cookie(&headers, DEVICE_COOKIE).map(str::to_string);
    let attempt = Attempt {
        address: &ip,
        name: &name,
        device: device.as_deref(),
    };
    let wait = st.limiter.begin(&st, &attempt, now).await;
    if wait > 0 {
        // One entry per address a minute: a flood of attempts must not
        // flood the audit log.
        if st
            .public_limits
            .hit(&st, &format!("audit-signin:{ip}"), 1, 60, now)
            .await
        {
            let who = name.clone();
            let _ = st
                .run(move |s, now| {
                    s.record_event(
                        "anonymous",
                        "sign_in",
                        &format!("user:{}", who.chars().take(64).collect::<String>()),
                        "denied",
                        "too many attempts; slowed down (further refusals this minute not recorded one by one)",
                        now,
                    )
                })
                .await;
        }
        let message = Some(tr.t1("signin-wait", "count", wait));
        return fresh_form(&st, tr, StatusCode::TOO_MANY_REQUESTS, name, message);
    }
    let n = name.clone();
    match st.run(move |s, now| s.sign_in(&n, &password, now)).await {
        Ok(session) => {
            st.limiter.succeeded(&st, &attempt, now).await;
            // The second factor, when the person or their role has one, comes next.
            let next = super::second_factor::after_password(&session);
            let mut res = Redirect::to(next).into_response();
            let h = res.headers_mut();
            if let Ok(v) = set_cookie(&st, SESSION_COOKIE, &session.token, 8 * 3600).parse() {
                h.append(SET_COOKIE, v);
            }
            if let Some(device) = st.limiter.device_cookie(&name, now) {
                if let Ok(v) = set_cookie(&st, DEVICE_COOKIE, &device, DEVICE_COOKIE_AGE).parse() {
                    h.append(SET_COOKIE, v);
                }
            }
            if let Ok(v) = set_cookie(&st, LOGIN_COOKIE, "", 0).parse() {
                h.append(SET_COOKIE, v);
            }
            res
        }
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            // Already counted when it began.
            let message = Some(tr.t("signin-wrong"));
            fresh_form(&st, tr, StatusCode::UNAUTHORIZED, name, message)
        }
        Err(e) => problem_page(Layout::for_session(tr, None, "/login"), &e, "/login"),
    }
}

/// The sign-out button's form: only its token.
#[derive(Deserialize)]
pub(super) struct LogoutForm {}

pub(super) async fn logout(
    State(st): State<AppState>,
    StaffForm { staff, .. }: StaffForm<LogoutForm>,
) -> Response {
    let token = staff.session.token.clone();
    let _ = st.run(move |s, now| s.sign_out(&token, now)).await;
    (
        [(SET_COOKIE, set_cookie(&st, SESSION_COOKIE, "", 0))],
        Redirect::to("/login"),
    )
        .into_response()
}
