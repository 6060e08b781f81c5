//! The JSON API under `/api/v1/`, documented at `/api/openapi.json`.

mod assessments;
mod cases;
mod children;
pub mod lists;
mod openapi;
mod registry;
mod reports;

pub use cases::case_filter;
pub use children::filter_from_query as children_filter;

use crate::error::WebError;
use crate::AppState;
use axum::async_trait;
use axum::extract::rejection::JsonRejection;
use axum::extract::DefaultBodyLimit;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;

/// The most the public report endpoints accept (a report is at most 5,000 characters).
const PUBLIC_BODY_LIMIT: usize = 64 * 1024;

/// The API's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi::document))
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
        .route("/api/v1/institutions", get(registry::list_institutions))
        .route("/api/v1/dashboard", get(registry::dashboard))
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
            post(lists::add_image),
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
        .route("/api/v1/cases/:id/adoptability", post(cases::adoptability))
        .route("/api/v1/cases/:id/assignment", post(cases::assign))
        .route("/api/v1/cases/:id/referrals", post(cases::refer))
        .route("/api/v1/referrals", get(cases::referrals))
        .route("/api/v1/referrals/by-agency", get(cases::by_agency))
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
        .route("/api/v1/match", post(lists::match_endpoint))
        .route("/api/v1/urls", post(lists::add_url))
        .route("/api/v1/urls/:id", axum::routing::delete(lists::remove_url))
        .route("/api/v1/urls/check", post(lists::check_url))
        .route("/api/v1/urllist", get(lists::url_list))
        .fallback(|| async {
            WebError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such endpoint; see /api/openapi.json",
            )
        })
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
pub struct ApiJson<T>(pub T);

#[async_trait]
impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::JsonDataError(e)) => {
                let text = e.body_text();
                let detail = text
                    .split_once(": ")
                    .map_or(text.as_str(), |(_, d)| d)
                    .to_string();
                let field = detail
                    .split_once(':')
                    .map(|(f, _)| f.trim().to_string())
                    .filter(|f| !f.contains(' '));
                Err(match field {
                    Some(f) => WebError::field(&f, detail.clone()),
                    None => WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", detail),
                })
            }
            Err(JsonRejection::MissingJsonContentType(_)) => Err(WebError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send JSON with Content-Type: application/json",
            )),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(WebError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the body is too large",
            )),
            Err(e) => Err(WebError::bad_request(format!(
                "the body is not valid JSON: {}",
                e.body_text()
            ))),
        }
    }
}
