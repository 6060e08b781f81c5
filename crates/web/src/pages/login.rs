//! Sign in and sign out.

use super::{esc, page};
use crate::auth::{
    cookie, set_cookie, tokens_match, ClientAddr, PageSession, DEVICE_COOKIE, LOGIN_COOKIE,
    SESSION_COOKIE,
};
use crate::limiter::{Attempt, DEVICE_COOKIE_AGE};
use crate::AppState;
use axum::extract::{Form, State};
use axum::http::header::SET_COOKIE;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_store::crypto::{hex, random_bytes};
use std::collections::HashMap;

fn login_page(token: &str, message: Option<&str>) -> String {
    let msg = message
        .map(|m| format!(r#"<p class="error" role="alert">{}</p>"#, esc(m)))
        .unwrap_or_default();
    format!(
        r#"<h1>Sign in</h1>{msg}
<form method="post" action="/login">
<input type="hidden" name="login_token" value="{}">
<label for="name">User name</label><input id="name" name="name" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">Sign in</button></p></form>"#,
        esc(token)
    )
}

fn fresh_form(state: &AppState, status: StatusCode, message: Option<&str>) -> Response {
    let token = random_bytes::<16>().map(|b| hex(&b)).unwrap_or_default();
    (
        status,
        [(SET_COOKIE, set_cookie(state, LOGIN_COOKIE, &token, 3600))],
        page("Sign in", None, &login_page(&token, message)),
    )
        .into_response()
}

pub(super) async fn form(State(st): State<AppState>, session: Option<PageSession>) -> Response {
    if session.is_some() {
        return Redirect::to("/").into_response();
    }
    fresh_form(&st, StatusCode::OK, None)
}

pub(super) async fn submit(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    let given = f.get("login_token").map(String::as_str).unwrap_or("");
    if expected.is_empty() || !tokens_match(expected, given) {
        return fresh_form(
            &st,
            StatusCode::FORBIDDEN,
            Some("The sign-in form expired. Please try again."),
        );
    }
    let name = f.get("name").cloned().unwrap_or_default();
    let password = f.get("password").cloned().unwrap_or_default();
    let now = st.now();
    let device = cookie(&headers, DEVICE_COOKIE).map(str::to_string);
    let attempt = Attempt {
        address: &ip,
        name: &name,
        device: device.as_deref(),
    };
    let wait = st.limiter.begin(&attempt, now);
    if wait > 0 {
        // One entry per address a minute: a flood of attempts must not
        // flood the audit log.
        if st
            .public_limits
            .hit(&format!("audit-signin:{ip}"), 1, 60, now)
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
        return fresh_form(
            &st,
            StatusCode::TOO_MANY_REQUESTS,
            Some(&format!(
                "Too many wrong attempts. Wait {wait} seconds and try again."
            )),
        );
    }
    let n = name.clone();
    match st.run(move |s, now| s.sign_in(&n, &password, now)).await {
        Ok(session) => {
            st.limiter.succeeded(&attempt, now);
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
            fresh_form(
                &st,
                StatusCode::UNAUTHORIZED,
                Some("That user name and password do not match."),
            )
        }
        Err(e) => e.into_response(),
    }
}

pub(super) async fn logout(
    State(st): State<AppState>,
    PageSession(session): PageSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(e) = crate::auth::check_csrf(&st, &session, f.get("csrf")).await {
        return e.into_response();
    }
    let token = session.token.clone();
    let _ = st.run(move |s, now| s.sign_out(&token, now)).await;
    (
        [(SET_COOKIE, set_cookie(&st, SESSION_COOKIE, "", 0))],
        Redirect::to("/login"),
    )
        .into_response()
}
