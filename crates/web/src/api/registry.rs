//! Locations, households, caregivers, institutions, dashboard counts, audit.

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewLocation {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    parent: Option<String>,
    #[serde(default)]
    level: String,
}

pub(super) async fn list_locations(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let all = st.run(move |s, _| s.list_locations(&actor)).await?;
    Ok(Json(json!({"items": all, "next": null})))
}

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

pub(super) async fn list_institutions(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let all = st.run(move |s, _| s.list_institutions(&actor)).await?;
    Ok(Json(json!({"items": all, "next": null})))
}

pub(super) async fn dashboard(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let counts = st.run(move |s, now| s.child_counts(&actor, now)).await?;
    Ok(Json(json!(counts)))
}

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
