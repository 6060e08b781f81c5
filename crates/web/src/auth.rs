//! Who is calling: an API token (`Authorization: Bearer …`) or a browser
//! session cookie. Pages additionally check a CSRF token on every form.

use crate::error::WebError;
use crate::AppState;
use axum::async_trait;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::Actor;
use haven_store::{Session, StoreError};

/// The header a browser script sends with a cookie-authenticated API write:
/// the session's CSRF token, which another site cannot read.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "haven_session";
/// Marks a browser that signed in as a user before: its wrong passwords
/// are counted apart from strangers' (see [`crate::limiter`]).
pub const DEVICE_COOKIE: &str = "haven_device";
/// The pre-sign-in cookie that protects the sign-in form from forgery.
pub const LOGIN_COOKIE: &str = "haven_login";

/// Reads a cookie from the request.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, path `/`.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: i64) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// The token of an `Authorization: Bearer …` header, if any.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
}

/// Audits a request refused for its credential, one entry per address a
/// minute: unauthenticated requests must not be able to flood the audit
/// log.
pub(crate) async fn audit_refused_credential(parts: &Parts, state: &AppState, why: &'static str) {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    if state
        .public_limits
        .hit(state, &format!("audit-token:{peer}"), 1, 60, state.now())
        .await
    {
        let _ = state
            .run(move |s, now| s.record_event("anonymous", "api.auth", "api", "denied", why, now))
            .await;
    }
}

/// The caller of an API endpoint.
pub struct ApiCaller(pub Actor);

/// The caller of a field laptop's checkout and sync: the laptop itself,
/// with the credential it was given when enrolled (good for nothing else),
/// or its user with an API token or a session.
pub struct FieldCaller {
    actor: Actor,
    /// The laptop whose credential was sent, if one was.
    laptop: Option<String>,
}

impl FieldCaller {
    /// The caller, for laptop `id`: a laptop's credential is refused for
    /// any other laptop.
    pub fn for_laptop(self, id: &str) -> Result<Actor, WebError> {
        match &self.laptop {
            Some(own) if own != id => Err(StoreError::Forbidden(
                "this credential belongs to another laptop".into(),
            )
            .into()),
            _ => Ok(self.actor),
        }
    }
}

#[async_trait]
impl FromRequestParts<AppState> for FieldCaller {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let laptop_token = bearer_token(&parts.headers)
            .filter(|t| t.starts_with(haven_store::field::LAPTOP_TOKEN_PREFIX));
        if let Some(token) = laptop_token {
            let r = state
                .run(move |s, now| s.laptop_for_token(&token, now))
                .await;
            if r.is_err() {
                audit_refused_credential(parts, state, "invalid or revoked laptop credential")
                    .await;
            }
            let (actor, laptop) = r?;
            return Ok(FieldCaller {
                actor,
                laptop: Some(laptop),
            });
        }
        let ApiCaller(actor) = ApiCaller::from_request_parts(parts, state).await?;
        Ok(FieldCaller {
            actor,
            laptop: None,
        })
    }
}

#[async_trait]
impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(token) = bearer_token(&parts.headers) {
            let r = state.run(move |s, _| s.actor_for_token(&token)).await;
            if r.is_err() {
                audit_refused_credential(parts, state, "invalid API token").await;
            }
            return r.map(ApiCaller);
        }
        if let Some(token) = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string) {
            // Session cookies authenticate API calls from the pages' origin;
            // SameSite=Strict keeps other sites from riding on them, and a
            // write must also carry the session's CSRF token in a header,
            // which no cross-site form (text/plain or otherwise) can send.
            let session = state.run(move |s, now| s.session(&token, now)).await?;
            if !crate::middleware::is_safe(&parts.method) {
                let sent = parts
                    .headers
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                check_csrf(state, &session, sent.as_ref()).await?;
            }
            return Ok(ApiCaller(session.actor));
        }
        Err(StoreError::Unauthenticated.into())
    }
}

/// A signed-in browser session; pages without one redirect to sign-in.
pub struct PageSession(pub Session);

/// Redirect to the sign-in page.
pub struct ToLogin;

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        Redirect::to("/login").into_response()
    }
}

#[async_trait]
impl FromRequestParts<AppState> for PageSession {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string) else {
            return Err(ToLogin.into_response());
        };
        match state.run(move |s, now| s.session(&token, now)).await {
            Ok(s) => Ok(PageSession(s)),
            Err(e) if e.status == StatusCode::UNAUTHORIZED => Err(ToLogin.into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// Constant-time comparison for CSRF tokens.
pub fn tokens_match(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Checks a form's CSRF token against the session's; audits a mismatch.
pub async fn check_csrf(
    state: &AppState,
    session: &Session,
    submitted: Option<&String>,
) -> Result<(), WebError> {
    if submitted.is_some_and(|t| tokens_match(t, &session.csrf)) {
        return Ok(());
    }
    let name = session.actor.name.clone();
    let _ = state
        .run(move |s, now| {
            s.record_event(
                &name,
                "csrf",
                "form",
                "denied",
                "missing or wrong CSRF token",
                now,
            )
        })
        .await;
    Err(WebError::new(
        StatusCode::FORBIDDEN,
        "csrf",
        "this form has expired or did not come from Haven; go back, reload and try again",
    ))
}

/// The caller's network address, for rate limits: the TCP peer, or — when
/// Haven runs behind a reverse proxy it was told to trust — the address
/// that proxy put last in `X-Forwarded-For` (earlier entries can be forged
/// by the client, so they are never used).
pub struct ClientAddr(pub String);

#[async_trait]
impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_default();
        if !state.trust_proxy {
            return Ok(ClientAddr(peer));
        }
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            // Only the proxy's own (last) entry counts; if it is unreadable,
            // the peer is used rather than anything the client wrote.
            .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok());
        Ok(ClientAddr(forwarded.map_or(peer, |a| a.to_string())))
    }
}
