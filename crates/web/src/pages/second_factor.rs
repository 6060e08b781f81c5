//! The second factor in the pages: the code asked after the password,
//! setting up an authenticator app from one's account (a QR code drawn by
//! the server, no JavaScript), the recovery codes shown once, removing it,
//! and — for administrators — the roles that must use it.
//!
//! A session that still owes its code or its set-up reaches only these
//! pages: the store refuses it everywhere else.

use super::forms::FieldErrors;
use super::layout::{language, render, render_with, role_key, Layout};
use crate::auth::{check_csrf, cookie, ClientAddr, SESSION_COOKIE};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::limiter::Attempt;
use crate::AppState;
use askama::Template;
use axum::async_trait;
use axum::extract::{Form, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::Role;
use haven_store::{SecondFactorEnrolment, SecondFactorStep, Session};
use serde::Deserialize;

/// A signed-in session, complete or still owing its second factor.
pub struct Pending {
    session: Session,
    tr: Tr,
    token: String,
}

#[async_trait]
impl FromRequestParts<AppState> for Pending {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Response> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string) else {
            return Err(Redirect::to("/login").into_response());
        };
        let t = token.clone();
        let session = st
            .run(move |s, now| s.pending_session(&t, now))
            .await
            .map_err(|_| Redirect::to("/login").into_response())?;
        let tr = language(&parts.uri, &parts.headers, Some(&session));
        Ok(Pending { session, tr, token })
    }
}

impl Pending {
    /// The frame: the full menu only for a complete session.
    fn layout(&self, path: &str) -> Layout {
        if self.session.second_factor == SecondFactorStep::None {
            Layout::for_session(self.tr, Some(&self.session), path)
        } else {
            Layout::for_session(self.tr, None, path)
        }
    }

    async fn csrf_ok(&self, st: &AppState, sent: &str) -> bool {
        check_csrf(st, &self.session, Some(&sent.to_string()))
            .await
            .is_ok()
    }

    fn problem(&self, e: &WebError, back: &str) -> Response {
        super::layout::problem_page(self.layout(back), e, back)
    }
}

/// Where a sign-in goes once the password is right.
pub fn after_password(session: &Session) -> &'static str {
    match session.second_factor {
        SecondFactorStep::None => "/",
        SecondFactorStep::Code => "/login/code",
        SecondFactorStep::Enrol => "/account/second-factor",
    }
}

#[derive(Template)]
#[template(path = "second_factor_code.html")]
struct CodePage {
    l: Layout,
    csrf: String,
    errors: FieldErrors,
}

pub(super) async fn code_form(p: Pending) -> Response {
    if p.session.second_factor != SecondFactorStep::Code {
        return Redirect::to(after_password(&p.session)).into_response();
    }
    render(&CodePage {
        l: p.layout("/login/code"),
        csrf: p.session.csrf.clone(),
        errors: FieldErrors::new(p.tr),
    })
}

/// A form of this module: its token and what was typed.
#[derive(Deserialize)]
pub(super) struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

pub(super) async fn code_submit(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    p: Pending,
    Form(f): Form<CodeForm>,
) -> Response {
    if !p.csrf_ok(&st, &f.csrf).await {
        let e = WebError::new(StatusCode::FORBIDDEN, "csrf", "form expired");
        return p.problem(&e, "/login/code");
    }
    // Codes are guessed like passwords: the same slowing down.
    let now = st.now();
    let name = p.session.actor.name.clone();
    let attempt = Attempt {
        address: &ip,
        name: &name,
        device: None,
    };
    let mut errors = FieldErrors::new(p.tr);
    if st.limiter.begin(&st, &attempt, now).await > 0 {
        errors.add("code", "second-factor-wait");
    } else {
        let (token, code) = (p.token.clone(), f.code.clone());
        match st
            .run(move |s, now| s.complete_second_factor(&token, &code, now))
            .await
        {
            Ok(session) => {
                st.limiter.succeeded(&st, &attempt, now).await;
                return Redirect::to(after_password(&session)).into_response();
            }
            Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
                errors.add("code", "second-factor-wrong-code");
            }
            Err(e) => return p.problem(&e, "/login"),
        }
    }
    render_with(
        StatusCode::UNPROCESSABLE_ENTITY,
        &CodePage {
            l: p.layout("/login/code"),
            csrf: p.session.csrf.clone(),
            errors,
        },
    )
}

/// The app's set-up as the page shows it.
struct Setup {
    secret: String,
    qr_svg: String,
}

#[derive(Template)]
#[template(path = "second_factor.html")]
struct SetupPage {
    l: Layout,
    csrf: String,
    must_enrol: bool,
    enrolled: bool,
    recovery_left: u32,
    setup: Option<Setup>,
    recovery_codes: Vec<String>,
    errors: FieldErrors,
    /// For administrators: each role, its words, and whether it must use it.
    roles: Vec<(&'static str, String, bool)>,
}

/// The QR code of `uri` as an SVG drawing (one path, dark modules).
fn qr_svg(uri: &str, label: &str) -> String {
    use qrcodegen::{QrCode, QrCodeEcc};
    let Ok(qr) = QrCode::encode_text(uri, QrCodeEcc::Medium) else {
        return String::new();
    };
    let size = qr.size();
    let border = 4;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let side = size + 2 * border;
    // The label is ours (a translated sentence); escaped all the same.
    let label = label
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" width="220" height="220" role="img" aria-label="{label}"><rect width="100%" height="100%" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    )
}

async fn setup_page(
    st: &AppState,
    p: &Pending,
    recovery_codes: Vec<String>,
    errors: FieldErrors,
) -> Result<SetupPage, Response> {
    let actor = p.session.actor.clone();
    let is_admin = actor.role == Role::Admin && p.session.second_factor == SecondFactorStep::None;
    let (status, unfinished, required) = st
        .run(move |s, _| {
            Ok((
                s.second_factor_status(&actor)?,
                s.unfinished_second_factor(&actor)?,
                s.second_factor_roles()?,
            ))
        })
        .await
        .map_err(|e| p.problem(&e, "/account"))?;
    let tr = p.tr;
    let setup = unfinished.map(|e: SecondFactorEnrolment| Setup {
        qr_svg: qr_svg(&e.otpauth_uri, &tr.t("second-factor-qr-label")),
        secret: e.secret_text,
    });
    let roles = if is_admin {
        [
            Role::Admin,
            Role::Supervisor,
            Role::Caseworker,
            Role::Analyst,
            Role::Monitor,
            Role::Liaison,
        ]
        .into_iter()
        .map(|r| (r.as_str(), tr.t(role_key(r)), required.contains(&r)))
        .collect()
    } else {
        Vec::new()
    };
    Ok(SetupPage {
        l: p.layout("/account/second-factor"),
        csrf: p.session.csrf.clone(),
        must_enrol: p.session.second_factor == SecondFactorStep::Enrol,
        enrolled: status.enrolled,
        recovery_left: status.recovery_codes_left,
        setup,
        recovery_codes,
        errors,
        roles,
    })
}

fn answer(page: Result<SetupPage, Response>, status: StatusCode) -> Response {
    match page {
        Ok(p) => render_with(status, &p),
        Err(r) => r,
    }
}

pub(super) async fn setup(State(st): State<AppState>, p: Pending) -> Response {
    if p.session.second_factor == SecondFactorStep::Code {
        return Redirect::to("/login/code").into_response();
    }
    let errors = FieldErrors::new(p.tr);
    answer(
        setup_page(&st, &p, Vec::new(), errors).await,
        StatusCode::OK,
    )
}

/// What the set-up page's forms send.
struct SetupForm {
    csrf: String,
    action: String,
    code: String,
    role: Vec<String>,
}

pub(super) async fn setup_submit(
    State(st): State<AppState>,
    p: Pending,
    axum::extract::RawForm(body): axum::extract::RawForm,
) -> Response {
    // Repeated fields (the roles' boxes) need the list-aware reader.
    let Ok(f) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else {
        return p.problem(
            &WebError::bad_request("unreadable form"),
            "/account/second-factor",
        );
    };
    let mut form = SetupForm {
        csrf: String::new(),
        action: String::new(),
        code: String::new(),
        role: Vec::new(),
    };
    for (k, v) in f {
        match k.as_str() {
            "csrf" => form.csrf = v,
            "action" => form.action = v,
            "code" => form.code = v,
            "role" => form.role.push(v),
            _ => {}
        }
    }
    if p.session.second_factor == SecondFactorStep::Code || !p.csrf_ok(&st, &form.csrf).await {
        let e = WebError::new(StatusCode::FORBIDDEN, "csrf", "form expired");
        return p.problem(&e, "/account/second-factor");
    }
    let actor = p.session.actor.clone();
    let mut errors = FieldErrors::new(p.tr);
    let done = match form.action.as_str() {
        "begin" => {
            st.run(move |s, now| s.begin_second_factor(&actor, now).map(|_| Vec::new()))
                .await
        }
        "confirm" => {
            let code = form.code.clone();
            st.run(move |s, now| s.confirm_second_factor(&actor, &code, now))
                .await
        }
        "remove" => {
            let name = actor.name.clone();
            st.run(move |s, now| {
                s.remove_second_factor(&actor, &name, now)
                    .map(|_| Vec::new())
            })
            .await
        }
        "roles" if p.session.second_factor == SecondFactorStep::None => {
            let chosen = form.role.clone();
            st.run(move |s, now| {
                for r in [
                    Role::Admin,
                    Role::Supervisor,
                    Role::Caseworker,
                    Role::Analyst,
                    Role::Monitor,
                    Role::Liaison,
                ] {
                    s.require_second_factor(
                        &actor,
                        r,
                        chosen.iter().any(|c| c == r.as_str()),
                        now,
                    )?;
                }
                Ok(Vec::new())
            })
            .await
        }
        _ => Err(WebError::bad_request("unknown action")),
    };
    match done {
        Ok(codes) if !codes.is_empty() => {
            // Shown once, now; only their hashes are kept.
            answer(setup_page(&st, &p, codes, errors).await, StatusCode::OK)
        }
        Ok(_) => Redirect::to("/account/second-factor").into_response(),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            errors.add("code", "second-factor-wrong-code");
            answer(
                setup_page(&st, &p, Vec::new(), errors).await,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => p.problem(&e, "/account/second-factor"),
    }
}
