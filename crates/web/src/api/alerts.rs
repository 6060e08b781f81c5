//! Travelling-offender alerts (issue 13): liaison officers only. Issued
//! here, they travel to the peers this node publishes alerts to; received,
//! they are read here. Every read is audited.

use super::openapi::{ErrorBody, Record};
use super::ApiJson;
use crate::auth::ApiCaller;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use haven_domain::exchange::NewAlert;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

/// An alert to issue, in the manner of an INTERPOL green notice: an adult
/// offender's identity as the nodes agreed it, never a victim's.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"family_names": "Marlow", "given_names": "Jonas", "birth_date": "1971-04-05",
    "nationalities": ["GB"], "documents": ["P-4471"], "offence": "Convicted in 2019 of sexual abuse of a child",
    "travel_from": "2026-03-01", "travel_to": "2026-03-15", "destination": "KHM",
    "issuing_authority": "National Police", "expires": "2026-09-30"}))]
pub(super) struct AlertInput {
    /// Family names.
    #[schema(min_length = 1, max_length = 2000)]
    family_names: String,
    /// Given names.
    #[schema(min_length = 1, max_length = 2000)]
    given_names: String,
    /// Date of birth, YYYY-MM-DD, when known.
    birth_date: Option<String>,
    /// Nationalities: ISO 3166 codes (2 or 3 letters).
    #[serde(default)]
    #[schema(max_items = 10)]
    nationalities: Vec<String>,
    /// Travel or identity document numbers.
    #[serde(default)]
    #[schema(max_items = 10)]
    documents: Vec<String>,
    /// The offence and conviction.
    #[schema(min_length = 1, max_length = 2000)]
    offence: String,
    /// First travel date, YYYY-MM-DD.
    travel_from: Option<String>,
    /// Last travel date, YYYY-MM-DD.
    travel_to: Option<String>,
    /// Destination country (ISO 3166 code).
    #[schema(min_length = 2, max_length = 3)]
    destination: String,
    /// Who issues it.
    #[schema(min_length = 1, max_length = 2000)]
    issuing_authority: String,
    /// The day it expires and is purged on every node, YYYY-MM-DD (after today).
    expires: String,
}

impl From<AlertInput> for NewAlert {
    fn from(a: AlertInput) -> NewAlert {
        NewAlert {
            family_names: a.family_names,
            given_names: a.given_names,
            birth_date: a.birth_date.unwrap_or_default(),
            nationalities: a.nationalities.join(","),
            documents: a.documents.join(","),
            offence: a.offence,
            travel_from: a.travel_from.unwrap_or_default(),
            travel_to: a.travel_to.unwrap_or_default(),
            destination: a.destination,
            issuing_authority: a.issuing_authority,
            expires: a.expires,
        }
    }
}

/// Every alert in force, issued here or received from a peer, soonest to
/// expire first (liaison officers; audited).
#[utoipa::path(get, path = "/api/v1/alerts", operation_id = "list_alerts", tag = "alerts",
    responses((status = 200, description = "`{items: [alert], next: null}`", body = Record)))]
pub(super) async fn list(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let items = st.run(move |s, now| s.list_alerts(&a, now)).await?;
    Ok(Json(json!({"items": items, "next": null})))
}

/// Issue an alert (liaison officers; audited): it is sealed here and sent
/// to the peers this node publishes alerts to.
#[utoipa::path(post, path = "/api/v1/alerts", operation_id = "issue_alert", tag = "alerts",
    request_body = AlertInput,
    responses((status = 201, description = "The alert", body = Record)))]
pub(super) async fn issue(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    ApiJson(input): ApiJson<AlertInput>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let new = NewAlert::from(input);
    let alert = st.run(move |s, now| s.issue_alert(&a, &new, now)).await?;
    Ok((StatusCode::CREATED, Json(json!(alert))))
}

/// One alert in force (liaison officers; audited).
#[utoipa::path(get, path = "/api/v1/alerts/{id}", operation_id = "read_alert", tag = "alerts",
    params(("id" = String, Path, description = "The alert's identifier here")),
    responses((status = 200, description = "The alert", body = Record)))]
pub(super) async fn read(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let alert = st.run(move |s, now| s.alert(&a, &id, now)).await?;
    Ok(Json(json!(alert)))
}

/// Withdraw an alert issued here (liaison officers; audited): its contents
/// are destroyed here and on every peer it was sent to.
#[utoipa::path(post, path = "/api/v1/alerts/{id}/withdraw", operation_id = "withdraw_alert", tag = "alerts",
    params(("id" = String, Path, description = "The alert's identifier here")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 409, description = "The alert was issued by another node", body = ErrorBody),
    ))]
pub(super) async fn withdraw(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, WebError> {
    st.run(move |s, now| s.withdraw_alert(&a, &id, now)).await?;
    Ok(StatusCode::NO_CONTENT)
}
