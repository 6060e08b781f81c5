//! `/api/v1/children`: register, read, change, list, search, duplicates.

use super::ApiJson;
use crate::auth::ApiCaller;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use haven_domain::{BirthRegistration, ChildFilter, ChildPatch, NewChild, Sex};
use haven_store::PossibleDuplicate;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Builds a filter from query parameters, naming any bad one.
pub fn filter_from_query(q: &HashMap<String, String>) -> Result<ChildFilter, WebError> {
    let get = |k: &str| q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let mut f = ChildFilter {
        name: get("name").map(str::to_string),
        location: get("location").map(str::to_string),
        ..Default::default()
    };
    if let Some(name) = &f.name {
        if name.chars().count() > 100 {
            return Err(WebError::field("name", "must be at most 100 characters"));
        }
    }
    if let Some(s) = get("sex") {
        f.sex = Some(Sex::parse(s).ok_or_else(|| {
            WebError::field(
                "sex",
                format!("{s:?} is not female, male, other or unknown"),
            )
        })?);
    }
    if let Some(b) = get("age_band") {
        f.age_band =
            Some(ChildFilter::parse_age_band(b).ok_or_else(|| {
                WebError::field("age_band", "must be one of 0-4, 5-9, 10-14, 15-17")
            })?);
    }
    if let Some(b) = get("birth_registration") {
        f.birth_registration = Some(BirthRegistration::parse(b).ok_or_else(|| {
            WebError::field(
                "birth_registration",
                "must be registered, not_registered or unknown",
            )
        })?);
    }
    Ok(f)
}

fn limit_from_query(q: &HashMap<String, String>) -> Result<usize, WebError> {
    match q.get("limit") {
        None => Ok(50),
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or_else(|| WebError::field("limit", "must be a number from 1 to 200")),
    }
}

/// Duplicates as the API shows them.
pub fn duplicates_json(d: &[PossibleDuplicate]) -> Vec<Value> {
    d.iter().map(|d| json!({"child": d.child, "score": (d.score * 100.0).round() / 100.0, "reasons": d.reasons})).collect()
}

pub(super) async fn list(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    let filter = filter_from_query(&q)?;
    let limit = limit_from_query(&q)?;
    let cursor = q.get("cursor").cloned();
    let page = st
        .run(move |s, now| s.list_children(&actor, &filter, cursor.as_deref(), limit, now))
        .await?;
    Ok(Json(json!(page)))
}

pub(super) async fn create(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
    ApiJson(input): ApiJson<NewChild>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let (child, dups) = st
        .run(move |s, now| s.create_child(&actor, &input, now))
        .await?;
    let mut body = json!(child);
    body["possible_duplicates"] = json!(duplicates_json(&dups));
    Ok((StatusCode::CREATED, Json(body)))
}

pub(super) async fn read(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let child = st.run(move |s, now| s.get_child(&actor, &id, now)).await?;
    Ok(Json(json!(child)))
}

pub(super) async fn update(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<ChildPatch>,
) -> Result<Json<Value>, WebError> {
    let child = st
        .run(move |s, now| s.update_child(&actor, &id, &patch, now))
        .await?;
    Ok(Json(json!(child)))
}

pub(super) async fn duplicates(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let d = st
        .run(move |s, now| s.possible_duplicates(&actor, &id, now))
        .await?;
    Ok(Json(json!({"items": duplicates_json(&d), "next": null})))
}
