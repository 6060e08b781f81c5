//! `/api/v1/children`: register, read, change, list, search, duplicates.

use super::openapi::{Page, Record};
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

/// List or search children in your scope.
#[utoipa::path(
    get,
    path = "/api/v1/children",
    operation_id = "list_children",
    tag = "children",
    params(
        ("name" = Option<String>, Query, max_length = 100, description = "Fuzzy name search (misspellings and word order tolerated)"),
        ("location" = Option<String>, Query, description = "Location code; includes everything below it"),
        ("sex" = Option<String>, Query, pattern = r"^\s*(female|male|other|unknown)?\s*$", description = "female, male, other or unknown"),
        ("age_band" = Option<String>, Query, pattern = r"^\s*(0-4|5-9|10-14|15-17)?\s*$", description = "One of 0-4, 5-9, 10-14, 15-17"),
        ("birth_registration" = Option<String>, Query, pattern = r"^\s*(registered|not_registered|unknown)?\s*$", description = "registered, not_registered or unknown"),
        ("cursor" = Option<String>, Query, description = "The `next` value of the previous page"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Page size (default 50)"),
    ),
    responses((status = 200, description = "A page of children", body = Page,
        links(
            ("read" = (operation_id = "read_child", parameters(("id" = "$response.body#/items/0/id")))),
            ("update" = (operation_id = "update_child", parameters(("id" = "$response.body#/items/0/id")))),
            ("duplicates" = (operation_id = "child_duplicates", parameters(("id" = "$response.body#/items/0/id")))),
            ("assess" = (operation_id = "assess_child", parameters(("id" = "$response.body#/items/0/id")))),
            ("history" = (operation_id = "child_assessments", parameters(("id" = "$response.body#/items/0/id")))),
            ("open_case" = (operation_id = "open_case", parameters(("id" = "$response.body#/items/0/id")))),
        ))),
)]
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

/// Register a child.
///
/// The response is the child's record with `possible_duplicates`: records
/// that may be the same child, with a score and reasons (never merged).
#[utoipa::path(
    post,
    path = "/api/v1/children",
    operation_id = "create_child",
    tag = "children",
    request_body = NewChild,
    responses((status = 201, description = "The child, with possible duplicates", body = Record,
        links(
            ("read" = (operation_id = "read_child", parameters(("id" = "$response.body#/id")))),
            ("update" = (operation_id = "update_child", parameters(("id" = "$response.body#/id")))),
            ("duplicates" = (operation_id = "child_duplicates", parameters(("id" = "$response.body#/id")))),
            ("assess" = (operation_id = "assess_child", parameters(("id" = "$response.body#/id")))),
            ("history" = (operation_id = "child_assessments", parameters(("id" = "$response.body#/id")))),
            ("open_case" = (operation_id = "open_case", parameters(("id" = "$response.body#/id")))),
        ))),
)]
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

/// Read a child's record (audited).
#[utoipa::path(
    get,
    path = "/api/v1/children/{id}",
    operation_id = "read_child",
    tag = "children",
    params(("id" = String, Path, description = "The child's record number")),
    responses((status = 200, description = "The child", body = Record)),
)]
pub(super) async fn read(
    State(st): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let child = st.run(move |s, now| s.get_child(&actor, &id, now)).await?;
    Ok(Json(json!(child)))
}

/// Change a child's record (audited); only the fields given change.
#[utoipa::path(
    patch,
    path = "/api/v1/children/{id}",
    operation_id = "update_child",
    tag = "children",
    params(("id" = String, Path, description = "The child's record number")),
    request_body = ChildPatch,
    responses((status = 200, description = "The child", body = Record)),
)]
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

/// Possible duplicates of a child, with reasons.
#[utoipa::path(
    get,
    path = "/api/v1/children/{id}/duplicates",
    operation_id = "child_duplicates",
    tag = "children",
    params(("id" = String, Path, description = "The child's record number")),
    responses((status = 200, description = "Items with child, score and reasons", body = Page)),
)]
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
