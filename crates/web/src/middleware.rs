//! Security headers on every response, pages and API alike.

use axum::extract::Request;
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;

/// No scripts, no third-party anything, no framing, no referrer.
pub const CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                       frame-ancestors 'none'; base-uri 'none'";

/// Adds the security headers.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// Gives every request an id: in the `X-Request-Id` response header and
/// on every log line written while it is served (one line at its end says
/// route, status and time), so an operator can follow one request through
/// the logs. Only the route's template is logged, never a path with a
/// record id, a query, a name, a token or a password.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    use tracing::Instrument;
    let mut raw = [0u8; 8];
    let id = match getrandom::getrandom(&mut raw) {
        Ok(()) => raw.iter().map(|b| format!("{b:02x}")).collect::<String>(),
        Err(_) => String::from("unknown"),
    };
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id);
    // The store calls made while serving it record the id in their audit
    // entries (see `AppState::run`).
    let mut res = CURRENT
        .scope(id.clone(), next.run(req).instrument(span))
        .await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// The id [`request_id`] gave the request being served.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

tokio::task_local! {
    static CURRENT: String;
}

/// The id of the request this task is serving, if any.
pub fn current_request_id() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// Whether a method changes nothing (and so needs no forgery check).
pub fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// On a field laptop, refuses every change a sync would not carry to the
/// server: a case step taken offline would be lost at the next sync
/// without anyone knowing. Registering a child and changing a child's
/// record go through (they are kept as operations and synced), as do
/// signing in and out and the person's own account settings, which stay
/// on the laptop.
pub async fn laptop_changes_only(
    axum::extract::State(st): axum::extract::State<crate::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if !st.field_laptop {
        return next.run(req).await;
    }
    // A revoked laptop's folder is destroyed: it serves nothing more.
    let destroyed = st.field_link.as_ref().is_some_and(|l| l.destroyed());
    if !destroyed && (is_safe(req.method()) || synced_or_local(req.method(), req.uri().path())) {
        return next.run(req).await;
    }
    if req.uri().path().starts_with("/api/") {
        let (status, code, message) = if destroyed {
            (
                StatusCode::GONE,
                "destroyed",
                "this field laptop was revoked and its folder destroyed",
            )
        } else {
            (
                StatusCode::CONFLICT,
                "offline",
                "on a field laptop only registrations, changes to children's records, assessments, cases opened, steps, notes and referrals on cases, and answers to referrals addressed to the agency are kept and synced; do this online, on the server",
            )
        };
        return crate::error::WebError::new(status, code, message).into_response();
    }
    // A page form: a page in the reader's language, with their menu
    // unless the folder is gone.
    let (mut parts, _) = req.into_parts();
    let staff = if destroyed {
        None
    } else {
        <crate::pages::layout::Staff as axum::extract::FromRequestParts<crate::AppState>>::from_request_parts(&mut parts, &st)
            .await
            .ok()
    };
    let layout = match staff {
        Some(s) => s.layout(),
        None => crate::pages::layout::Layout::for_session(
            crate::pages::layout::language(&parts.uri, &parts.headers, None),
            None,
            parts.uri.path(),
        ),
    };
    crate::pages::field::offline_page(layout, destroyed)
}

/// The changes a field laptop takes: a child's record, a new assessment
/// of a child, a case opened, a step, a note or a referral on a case, an answer to a
/// referral addressed to the agency (API and page), and
/// what never leaves the laptop (signing in and out, the account).
fn synced_or_local(method: &Method, path: &str) -> bool {
    let child_record = |prefix: &str, suffix: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
    };
    // `{prefix}{id}{middle}{action}`, each one segment.
    let case_step = |prefix: &str, middle: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.split_once(middle))
            .is_some_and(|(id, action)| {
                let segment = |s: &str| !s.is_empty() && !s.contains('/');
                segment(id) && segment(action)
            })
    };
    let case_work = *method == Method::POST
        && (child_record("/api/v1/cases/", "/notes")
            || child_record("/cases/", "/note")
            || child_record("/api/v1/cases/", "/referrals")
            || child_record("/cases/", "/referrals")
            || case_step("/api/v1/cases/", "/steps/")
            || case_step("/cases/", "/step/")
            || child_record("/api/v1/children/", "/cases")
            || child_record("/children/", "/cases")
            || child_record("/api/v1/referrals/", "/answer")
            || child_record("/referrals/", "/answer"));
    case_work
        || (*method == Method::PATCH && child_record("/api/v1/children/", ""))
        || (*method == Method::POST && child_record("/children/", "/edit"))
        || (*method == Method::POST && child_record("/api/v1/children/", "/assessments"))
        || (*method == Method::POST && child_record("/children/", "/assessments"))
        || (*method == Method::POST && matches!(path, "/api/v1/children" | "/children"))
        || matches!(path, "/login" | "/login/code" | "/logout" | "/field/sync")
        || (*method == Method::POST
            && path
                .strip_prefix("/field/refused/")
                .and_then(|rest| rest.strip_suffix("/discard"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
        || path.starts_with("/account")
}

/// Refuses a changing request that a browser says came from another site
/// (`Sec-Fetch-Site`) or whose `Origin` is not this server: a page
/// elsewhere cannot make a signed-in browser post to Haven, whatever the
/// form's encoding. Servers calling the API send neither header.
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if !is_safe(req.method()) && is_cross_site(req.headers()) {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return crate::error::WebError::new(
            StatusCode::FORBIDDEN,
            "cross_site",
            "this request came from another website; Haven only accepts changes made from its own pages or with an API token",
        )
        .into_response();
    }
    next.run(req).await
}

fn is_cross_site(h: &axum::http::HeaderMap) -> bool {
    // Browsers that send Sec-Fetch-Site say it plainly: "none" is the user
    // typing or bookmarking; "same-site" is another host of the same site,
    // which is still not Haven.
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    // Older browsers: compare Origin with Host. Haven's own pages send
    // `Origin: null` (its Referrer-Policy is no-referrer), so null proves
    // nothing either way; the forms' CSRF tokens still guard those.
    let Some(origin) = h.get(header::ORIGIN).filter(|o| o.as_bytes() != b"null") else {
        return false;
    };
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest.trim_end_matches('/'));
    // `Origin: null` (a sandboxed frame, a file) is never Haven.
    match (origin_host, host) {
        (Some(o), Some(h)) => !o.eq_ignore_ascii_case(h),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_requests_are_recognised() {
        assert!(!is_cross_site(&headers(&[("host", "haven.example")])));
        assert!(!is_cross_site(&headers(&[
            ("host", "haven.example"),
            ("origin", "https://haven.example"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(is_cross_site(&headers(&[
            ("host", "haven.example"),
            ("origin", "https://evil.example"),
        ])));
        // Haven's own form posts under Referrer-Policy: no-referrer.
        assert!(!is_cross_site(&headers(&[
            ("host", "haven.example"),
            ("origin", "null"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(!is_cross_site(&headers(&[
            ("host", "haven.example"),
            ("origin", "null"),
        ])));
        assert!(is_cross_site(&headers(&[
            ("host", "haven.example"),
            ("origin", "https://haven.example"),
            ("sec-fetch-site", "cross-site"),
        ])));
        assert!(is_cross_site(&headers(&[
            ("host", "haven.example"),
            ("sec-fetch-site", "cross-site"),
        ])));
        assert!(is_cross_site(&headers(&[
            ("host", "haven.example"),
            ("sec-fetch-site", "same-site"),
        ])));
    }
}

#[cfg(test)]
mod laptop_tests {
    use super::synced_or_local;
    use axum::http::Method;

    #[test]
    fn a_laptop_takes_registrations_changes_to_a_childs_record_assessments_and_case_work_and_nothing_it_would_not_sync(
    ) {
        for (method, path) in [
            (Method::PATCH, "/api/v1/children/3f2a"),
            (Method::POST, "/children/3f2a/edit"),
            (Method::POST, "/login"),
            (Method::POST, "/logout"),
            (Method::POST, "/account/language"),
            (Method::POST, "/api/v1/children"),
            (Method::POST, "/children"),
            (Method::POST, "/field/sync"),
            (Method::POST, "/field/refused/7/discard"),
            (Method::POST, "/api/v1/children/3f2a/assessments"),
            (Method::POST, "/children/3f2a/assessments"),
            (Method::POST, "/api/v1/cases/9c1e/steps/follow_up"),
            (Method::POST, "/cases/9c1e/step/submit_plan"),
            (Method::POST, "/api/v1/cases/9c1e/notes"),
            (Method::POST, "/cases/9c1e/note"),
            (Method::POST, "/api/v1/cases/9c1e/referrals"),
            (Method::POST, "/cases/9c1e/referrals"),
            (Method::POST, "/api/v1/referrals/9c1e/answer"),
            (Method::POST, "/referrals/9c1e/answer"),
            (Method::POST, "/api/v1/children/3f2a/cases"),
            (Method::POST, "/children/3f2a/cases"),
        ] {
            assert!(synced_or_local(&method, path), "{method} {path}");
        }
        for (method, path) in [
            (Method::PATCH, "/api/v1/children/"),
            (Method::POST, "/field/refused/x/discard"),
            (Method::POST, "/field/refused//discard"),
            (Method::POST, "/field/conflicts/3f2a"),
            (Method::PATCH, "/api/v1/children/3f2a/assessments"),
            (Method::POST, "/api/v1/children//cases"),
            (Method::PUT, "/children/3f2a/cases"),
            (Method::POST, "/children//assessments"),
            (Method::POST, "/children/3f2a/x/assessments"),
            (Method::POST, "/api/v1/assessments/3f2a"),
            (Method::POST, "/children/new"),
            (Method::DELETE, "/api/v1/children/3f2a"),
            (Method::POST, "/api/v1/households"),
            // What the sync does not carry for a case: done on the server.
            (Method::POST, "/api/v1/cases/9c1e/consent"),
            (Method::POST, "/cases/9c1e/consent"),
            (Method::POST, "/api/v1/cases/9c1e/assignment"),
            (Method::POST, "/api/v1/referrals//answer"),
            (Method::POST, "/referrals/9c1e/x/answer"),
            (Method::POST, "/api/v1/cases/9c1e/steps/"),
            (Method::POST, "/api/v1/cases//steps/follow_up"),
            (Method::POST, "/cases/9c1e/step/x/y"),
            (Method::POST, "/cases/9c1e/x/note"),
            (Method::PUT, "/api/v1/cases/9c1e/notes"),
        ] {
            assert!(!synced_or_local(&method, path), "{method} {path}");
        }
    }
}
