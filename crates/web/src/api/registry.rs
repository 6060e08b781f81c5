//! Locations, households, caregivers, institutions, dashboard counts, audit.

use super::openapi::{ErrorBody, Page, Record};
use super::ApiJson;
use crate::auth::ApiCaller;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use haven_domain::{Location, LocationLevel, NewCaregiver, NewHousehold};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use utoipa::ToSchema;

/// A new place in the location hierarchy.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewLocation {
    /// Its code: 1-32 letters, digits, '-' or '_'.
    #[serde(default)]
    #[schema(required = true, pattern = r"^\s*[A-Za-z0-9_-]{1,32}\s*$")]
    code: String,
    /// Its name.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 100)]
    name: String,
    /// The code of the place it lies in (none for a country).
    #[schema(max_length = 32)]
    parent: Option<String>,
    /// Its level.
    #[serde(default)]
    #[schema(required = true, value_type = LocationLevel)]
    level: String,
}

/// The location hierarchy.
#[utoipa::path(get, path = "/api/v1/locations", operation_id = "list_locations", tag = "locations",
    responses((status = 200, description = "All locations", body = Page)))]
pub(super) async fn list_locations(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let all = st.run(move |s, _| s.list_locations(&actor)).await?;
    Ok(Json(json!({"items": all, "next": null})))
}

/// Add a location (admin).
#[utoipa::path(post, path = "/api/v1/locations", operation_id = "create_location", tag = "locations",
    request_body = NewLocation,
    responses(
        (status = 201, description = "The location", body = Record),
        (status = 409, description = "A location has this code", body = ErrorBody),
    ))]
pub(super) async fn create_location(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
    ApiJson(n): ApiJson<NewLocation>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let level = LocationLevel::parse(n.level.trim())
        .ok_or_else(|| WebError::field("level", "must be country, region or district"))?;
    let loc = Location {
        code: n.code.trim().into(),
        name: n.name,
        parent: n
            .parent
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty()),
        level,
    };
    let created = st
        .run(move |s, now| s.create_location(&actor, &loc, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(created))))
}

/// Create a household with its caregivers.
#[utoipa::path(post, path = "/api/v1/households", operation_id = "create_household", tag = "households",
    request_body = NewHousehold,
    responses((status = 201, description = "The household", body = Record,
        links(
            ("read" = (operation_id = "read_household", parameters(("id" = "$response.body#/id")))),
            ("add_caregiver" = (operation_id = "add_caregiver", parameters(("id" = "$response.body#/id")))),
        ))))]
pub(super) async fn create_household(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
    ApiJson(h): ApiJson<NewHousehold>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let created = st
        .run(move |s, now| s.create_household(&actor, &h, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(created))))
}

/// Read a household and its caregivers (audited).
#[utoipa::path(get, path = "/api/v1/households/{id}", operation_id = "read_household", tag = "households",
    params(("id" = String, Path, description = "The household's identifier")),
    responses((status = 200, description = "The household", body = Record)))]
pub(super) async fn read_household(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let h = st
        .run(move |s, now| s.get_household(&actor, &id, now))
        .await?;
    Ok(Json(json!(h)))
}

/// Add a caregiver to a household.
#[utoipa::path(post, path = "/api/v1/households/{id}/caregivers", operation_id = "add_caregiver", tag = "households",
    params(("id" = String, Path, description = "The household's identifier")),
    request_body = NewCaregiver,
    responses((status = 201, description = "The caregiver", body = Record)))]
pub(super) async fn add_caregiver(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    ApiJson(g): ApiJson<NewCaregiver>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let c = st
        .run(move |s, now| s.add_caregiver(&actor, &id, &g, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(c))))
}

/// Care institutions and schools.
#[utoipa::path(get, path = "/api/v1/institutions", operation_id = "list_institutions", tag = "registry",
    responses((status = 200, description = "Institutions", body = Page)))]
pub(super) async fn list_institutions(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let all = st.run(move |s, _| s.list_institutions(&actor)).await?;
    Ok(Json(json!({"items": all, "next": null})))
}

/// Counts of children in your scope.
#[utoipa::path(get, path = "/api/v1/dashboard", operation_id = "dashboard", tag = "registry",
    responses((status = 200, description = "Counts", body = Record)))]
pub(super) async fn dashboard(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let counts = st.run(move |s, now| s.child_counts(&actor, now)).await?;
    Ok(Json(json!(counts)))
}

/// Recent audit entries, newest first (admin).
#[utoipa::path(get, path = "/api/v1/audit", operation_id = "audit", tag = "audit",
    params(("limit" = Option<u32>, Query, minimum = 1, maximum = 1000, description = "How many (default 100)")),
    responses((status = 200, description = "Entries", body = Page)))]
pub(super) async fn audit(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    let limit = match q.get("limit") {
        None => 100,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| WebError::field("limit", "must be a number from 1 to 1000"))?,
    };
    let entries = st
        .run(move |s, now| s.recent_audit(&actor, limit, now))
        .await?;
    Ok(Json(json!({"items": entries, "next": null})))
}
