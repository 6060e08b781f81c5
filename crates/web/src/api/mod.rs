//! The JSON API under `/api/v1/`, documented at `/api/openapi.json`.

pub mod administration;
mod alerts;
mod assessments;
mod cases;
mod children;
mod exchange;
mod field;
pub mod indicators;
pub mod lists;
pub mod logframes;
mod openapi;
pub mod readiness;
mod registry;
mod reports;

pub use cases::{case_filter, next_cursor, referral_filter};
pub use children::filter_from_query as children_filter;
pub use reports::{hotline_filter, report_filter};

use crate::error::WebError;
use crate::AppState;
use axum::async_trait;
use axum::extract::DefaultBodyLimit;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use haven_domain::validation::MAX_TEXT_CHARS;
use serde::de::DeserializeOwned;

/// Refuses a query parameter given empty where the document gives it a
/// type (yes/no, one of a list): to the API, empty is a mistake, not
/// "any". The pages share the list filters and keep empty meaning any, as
/// a form's unchosen select sends it.
fn typed_not_empty(
    q: &std::collections::HashMap<String, String>,
    keys: &[&str],
) -> Result<(), WebError> {
    match keys
        .iter()
        .find(|k| q.get(**k).is_some_and(|v| v.trim().is_empty()))
    {
        Some(k) => Err(WebError::field(k, "is empty: give a value or leave it out")),
        None => Ok(()),
    }
}

/// The most the public report endpoints accept (a report is at most 5,000 characters).
const PUBLIC_BODY_LIMIT: usize = 64 * 1024;

/// The API's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/v1/alerts", get(alerts::list).post(alerts::issue))
        .route("/api/v1/alerts/:id", get(alerts::read))
        .route("/api/v1/alerts/:id/withdraw", post(alerts::withdraw))
        .route("/api/v1/field/laptops", get(field::list).post(field::enrol))
        .route(
            "/api/v1/field/enrolments",
            post(field::enrol_with_password)
                .layer(axum::middleware::from_fn(crate::field_gzip::gzip_field)),
        )
        .route("/api/v1/field/laptops/:id/revoke", post(field::revoke))
        .route(
            "/api/v1/field/laptops/:id/sync",
            post(field::sync).layer(axum::middleware::from_fn(crate::field_gzip::gzip_field)),
        )
        .route(
            "/api/v1/field/laptops/:id/audit",
            post(field::audit).layer(axum::middleware::from_fn(crate::field_gzip::gzip_field)),
        )
        .route(
            "/api/v1/field/laptops/:id/checkout",
            get(field::checkout).layer(axum::middleware::from_fn(crate::field_gzip::gzip_field)),
        )
        .route("/api/v1/conflicts", get(field::conflicts))
        .route("/api/v1/conflicts/:id/resolve", post(field::resolve))
        .route("/api/v1/exchange/feed", get(exchange::feed))
        .route("/api/v1/exchange/node", get(exchange::node))
        .route(
            "/api/v1/exchange/statistics",
            get(exchange::received_statistics),
        )
        .route("/api/v1/exchange/import", post(exchange::import))
        .route(
            "/api/v1/exchange/peers",
            get(exchange::list_peers).post(exchange::add_peer),
        )
        .route(
            "/api/v1/exchange/peers/:name/revoked",
            post(exchange::set_revoked),
        )
        .route(
            "/api/v1/exchange/peers/:name/pull",
            post(exchange::pull_now),
        )
        .route(
            "/api/v1/children",
            get(children::list).post(children::create),
        )
        .route(
            "/api/v1/children/:id",
            get(children::read).patch(children::update),
        )
        .route("/api/v1/children/:id/duplicates", get(children::duplicates))
        .route(
            "/api/v1/locations",
            get(registry::list_locations).post(registry::create_location),
        )
        .route("/api/v1/households", post(registry::create_household))
        .route("/api/v1/households/:id", get(registry::read_household))
        .route(
            "/api/v1/households/:id/caregivers",
            post(registry::add_caregiver),
        )
        .route(
            "/api/v1/institutions",
            get(registry::list_institutions).post(administration::create_institution),
        )
        .route("/api/v1/institutions/overdue", get(administration::overdue))
        .route(
            "/api/v1/institutions/:id",
            get(administration::read_institution).put(administration::update_institution),
        )
        .route(
            "/api/v1/institutions/:id/inspections",
            post(administration::record_inspection),
        )
        .route(
            "/api/v1/children/:id/institution",
            axum::routing::put(administration::link_child),
        )
        .route(
            "/api/v1/users",
            get(administration::list_users).post(administration::create_user),
        )
        .route(
            "/api/v1/users/:name",
            axum::routing::patch(administration::update_user),
        )
        .route(
            "/api/v1/users/:name/disabled",
            post(administration::set_disabled),
        )
        .route(
            "/api/v1/users/:name/password",
            post(administration::reset_password),
        )
        .route(
            "/api/v1/agencies",
            get(administration::list_agencies).post(administration::create_agency),
        )
        .route(
            "/api/v1/agencies/:code",
            axum::routing::put(administration::update_agency),
        )
        .route("/api/v1/audit/search", get(administration::search_audit))
        .route("/api/v1/audit/verify", post(administration::verify_audit))
        .route("/api/v1/dashboard", get(registry::dashboard))
        .route("/api/v1/indicators", get(indicators::list))
        .route("/api/v1/indicators/export", get(indicators::export))
        .route(
            "/api/v1/indicators/over-representation",
            get(indicators::over),
        )
        .route("/api/v1/indicators/:id/values", get(indicators::values))
        .route("/api/v1/populations", post(indicators::populations))
        .route(
            "/api/v1/logframes",
            get(logframes::list).post(logframes::create),
        )
        .route("/api/v1/logframes/:id", get(logframes::read))
        .route(
            "/api/v1/readiness/rounds",
            get(readiness::list).post(readiness::create),
        )
        .route("/api/v1/readiness/rounds/:id", get(readiness::read))
        .route(
            "/api/v1/readiness/instruments",
            get(readiness::list_instruments).post(readiness::add_instrument),
        )
        .route(
            "/api/v1/readiness/rounds/:id/informants/:informant",
            axum::routing::put(readiness::save),
        )
        .route("/api/v1/logframes/:id/results", post(logframes::add_result))
        .route(
            "/api/v1/logframes/results/:result",
            axum::routing::put(logframes::update_result).delete(logframes::remove_result),
        )
        .route(
            "/api/v1/logframes/results/:result/indicators",
            post(logframes::link),
        )
        .route(
            "/api/v1/logframes/results/:result/indicators/:indicator",
            axum::routing::delete(logframes::unlink),
        )
        .route(
            "/api/v1/logframes/results/:result/indicators/:indicator/:kind",
            axum::routing::put(logframes::set_mark),
        )
        .route(
            "/api/v1/indicators/:id/public",
            axum::routing::put(indicators::set_public),
        )
        .route("/api/v1/audit", get(registry::audit))
        .route("/api/v1/instruments", post(assessments::create))
        .route("/api/v1/instruments/current", get(assessments::current))
        .route(
            "/api/v1/children/:id/assessments",
            get(assessments::history).post(assessments::assess),
        )
        .route(
            "/api/v1/assessments/:id",
            axum::routing::patch(assessments::confirm),
        )
        .route(
            "/api/v1/hashlists",
            get(lists::lists).post(lists::create_list),
        )
        .route(
            "/api/v1/hashlists/:id/entries",
            get(lists::entries).post(lists::add_entry),
        )
        .route(
            "/api/v1/hashlists/:id/entries/image",
            post(lists::add_image).layer(upload_limit()),
        )
        .route(
            "/api/v1/hashlists/:id/imports",
            get(lists::imports).post(lists::import),
        )
        .route(
            "/api/v1/hashentries/:id",
            axum::routing::patch(lists::change_entry),
        )
        .route(
            "/api/v1/services",
            get(cases::services).post(cases::create_service),
        )
        .route("/api/v1/children/:id/cases", post(cases::open))
        .route("/api/v1/cases", get(cases::list))
        .route("/api/v1/cases/counts", get(cases::counts))
        .route("/api/v1/cases/:id", get(cases::read))
        .route("/api/v1/cases/:id/steps/:action", post(cases::step))
        .route("/api/v1/cases/:id/notes", post(cases::note))
        .route("/api/v1/cases/:id/consent", post(cases::consent))
        .route("/api/v1/cases/:id/exploitation", post(cases::exploitation))
        .route("/api/v1/cases/:id/adoptability", post(cases::adoptability))
        .route("/api/v1/cases/:id/assignment", post(cases::assign))
        .route("/api/v1/cases/:id/referrals", post(cases::refer))
        .route("/api/v1/referrals", get(cases::referrals))
        .route("/api/v1/referrals/by-agency", get(cases::by_agency))
        .route("/api/v1/referrals/:id", get(cases::referral))
        .route("/api/v1/referrals/:id/answer", post(cases::answer))
        .route(
            "/api/v1/public/reports",
            post(reports::submit).layer(DefaultBodyLimit::max(PUBLIC_BODY_LIMIT)),
        )
        .route(
            "/api/v1/public/reports/status",
            post(reports::status).layer(DefaultBodyLimit::max(PUBLIC_BODY_LIMIT)),
        )
        .route(
            "/api/v1/public/reports/info",
            post(reports::add_info).layer(DefaultBodyLimit::max(PUBLIC_BODY_LIMIT)),
        )
        .route("/api/v1/reports", get(reports::queue))
        .route("/api/v1/reports/:id", get(reports::read))
        .route("/api/v1/reports/:id/contact", get(reports::contact))
        .route("/api/v1/reports/:id/notes", post(reports::note))
        .route("/api/v1/reports/:id/decision", post(reports::decide))
        .route("/api/v1/reports/:id/actions", post(reports::act))
        .route(
            "/api/v1/hotline/items",
            get(reports::items).post(reports::create_item),
        )
        .route("/api/v1/hotline/items/:id", get(reports::item))
        .route(
            "/api/v1/hotline/items/:id/assessment",
            post(reports::assess),
        )
        .route(
            "/api/v1/hotline/items/:id/confirmation",
            post(reports::confirm),
        )
        .route(
            "/api/v1/hotline/items/:id/actions/:action",
            post(reports::action),
        )
        .route("/api/v1/hotline/figures", get(reports::figures))
        .route(
            "/api/v1/match",
            post(lists::match_endpoint).layer(upload_limit()),
        )
        .route("/api/v1/urls", post(lists::add_url))
        .route("/api/v1/urls/:id", axum::routing::delete(lists::remove_url))
        .route("/api/v1/urls/check", post(lists::check_url))
        .route("/api/v1/urllist", get(lists::url_list))
        // Unknown paths, the API's included, reach `pages::layout::not_found`.
        .layer(axum::middleware::map_response(json_errors))
}

/// Gives the refusals axum's own extractors write as text (a multipart
/// body without a boundary, a path or query it cannot read, a body that is
/// not UTF-8) Haven's JSON error body, keeping their status and headers.
async fn json_errors(res: axum::response::Response) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = res.status();
    let is_json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let code = match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("refused").to_string()
    } else {
        text
    };
    parts.headers.remove(axum::http::header::CONTENT_TYPE);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let fresh = WebError::new(status, code, message).into_response();
    let (fresh_parts, body) = fresh.into_parts();
    for (k, v) in fresh_parts.headers.iter() {
        parts.headers.insert(k.clone(), v.clone());
    }
    axum::response::Response::from_parts(parts, body)
}

/// The body limit of routes that take an image upload (the rest keep 2 MB).
pub fn upload_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(lists::UPLOAD_BODY_LIMIT)
}

/// Reads `name=true|false` from a query (absent is false), refusing anything else.
fn flag(q: &std::collections::HashMap<String, String>, name: &str) -> Result<bool, WebError> {
    match q.get(name).map(String::as_str) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(WebError::field(name, "must be true or false")),
    }
}

/// A JSON body whose problems are reported in Haven's error format.
///
/// The body must be one JSON value and nothing after it; no string in it
/// may hold a NUL character (PostgreSQL cannot store one) or be longer than
/// [`MAX_TEXT_CHARS`] characters. Each refusal names the field.
pub struct ApiJson<T>(pub T);

#[async_trait]
impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|m| m.trim().to_ascii_lowercase())
            .is_some_and(|m| m == "application/json" || m.ends_with("+json"));
        if !is_json {
            return Err(WebError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send JSON with Content-Type: application/json",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    WebError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "too_large",
                        "the body is too large",
                    )
                } else {
                    WebError::bad_request(format!("the body could not be read: {}", e.body_text()))
                }
            })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses a whole JSON body into `T` (see [`ApiJson`]).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WebError> {
    // serde_json refuses anything but whitespace after the value.
    let mut value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| WebError::bad_request(format!("the body is not valid JSON: {e}")))?;
    check_strings(&value, &mut String::new())?;
    whole_numbers_as_integers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let detail = e.into_inner().to_string();
        if path == "." || path.is_empty() {
            WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", detail)
        } else {
            WebError::field(&path, detail)
        }
    })
}

/// JSON does not tell `14` from `14.0`, and neither does JSON Schema's
/// `integer`; serde does. A number with no fraction is given to serde as an
/// integer, so that a field typed as one takes either spelling.
fn whole_numbers_as_integers(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
                // Within ±2^53 a whole f64 is exactly an integer.
                if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                    *v = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(map) => map.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

fn check_strings(v: &serde_json::Value, path: &mut String) -> Result<(), WebError> {
    use serde_json::Value;
    let field = |p: &str| {
        if p.is_empty() {
            "body".to_string()
        } else {
            p.to_string()
        }
    };
    match v {
        Value::String(s) => {
            if s.contains('\0') {
                return Err(WebError::field(
                    &field(path),
                    "must not contain a NUL character",
                ));
            }
            if s.len() > MAX_TEXT_CHARS && s.chars().count() > MAX_TEXT_CHARS {
                return Err(WebError::field(
                    &field(path),
                    format!("must be at most {MAX_TEXT_CHARS} characters"),
                ));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                check_strings(item, path)?;
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                if k.contains('\0') {
                    return Err(WebError::field(
                        &field(path),
                        "must not contain a NUL character",
                    ));
                }
                check_strings(item, path)?;
                path.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod json_tests {
    #![allow(clippy::unwrap_used)]

    #[derive(serde::Deserialize)]
    struct Whole {
        n: i64,
    }

    #[test]
    fn a_whole_number_spelt_with_a_fraction_is_the_integer_it_names() {
        // Large ones too: parsed inexactly, -3706562669332278.0 became
        // -3706562669332278.5 and a schema-valid sync was refused.
        for (text, n) in [
            ("14.0", 14),
            ("-3706562669332278.0", -3_706_562_669_332_278),
            ("9007199254740992.0", 9_007_199_254_740_992),
        ] {
            let w: Whole = super::parse_json(format!("{{\"n\": {text}}}").as_bytes()).unwrap();
            assert_eq!(w.n, n, "{text}");
        }
        assert!(super::parse_json::<Whole>(b"{\"n\": 14.5}").is_err());
    }
}
