//! `/api/v1/instruments` and assessments of children (C2).

use super::openapi::{Page, Record};
use super::ApiJson;
use crate::auth::ApiCaller;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use haven_domain::assessment::{Answer, RiskLevel};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The current assessment instrument.
///
/// `{version, name, thresholds, factors: [{id, level, kind, weight, description, safety, services}]}`.
#[utoipa::path(get, path = "/api/v1/instruments/current", operation_id = "current_instrument", tag = "assessment",
    responses((status = 200, description = "The instrument", body = Record)))]
pub(super) async fn current(
    State(st): State<AppState>,
    ApiCaller(_): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let i = st.run(|s, now| s.current_instrument(now)).await?;
    let factors: Vec<Value> = i
        .factors
        .iter()
        .map(|f| json!({"id": f.id, "level": f.level, "kind": f.kind, "weight": f.weight, "description": f.description, "safety": f.safety, "services": f.services}))
        .collect();
    Ok(Json(
        json!({"version": i.version, "name": i.name, "thresholds": i.thresholds, "factors": factors}),
    ))
}

/// Add a new instrument version (admin); earlier results keep theirs.
#[utoipa::path(post, path = "/api/v1/instruments", operation_id = "create_instrument", tag = "assessment",
    request_body(content = Record, description = "The instrument in the shipped instrument's JSON form", content_type = "application/json"),
    responses((status = 201, description = "The instrument", body = Record)))]
pub(super) async fn create(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    body: String,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let i = st
        .run(move |s, now| s.create_instrument(&a, &body, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(i))))
}

/// Answers to the instrument's factors, and the caseworker's notes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answers": {"street_child": true, "not_in_school": "yes", "poverty": "no", "domestic_violence": "unknown"}, "notes": "Seen at the market after dark"}))]
pub(super) struct NewAssessment {
    /// Factor id -> true/false, an intensity from 0 to 1, or "yes", "no"
    /// or "unknown" (not known is not no: it counts neither way, and the
    /// result names it). A factor left out counts as absent.
    answers: BTreeMap<String, Answer>,
    /// What the caseworker saw and heard (sealed at rest; at most 10,000 characters).
    #[serde(default)]
    notes: Option<String>,
}

/// Assess a child: `{answers, notes?}` -> `{id, level, layer, urgent, drivers, recommended_services,
/// unknown_factors, provisional, lowest_level?, highest_level?, notes?}`. With factors not known, the
/// level counts only what is known; `lowest_level` and `highest_level` say how far the unknowns could
/// move it, and `provisional` is true when they could.
#[utoipa::path(post, path = "/api/v1/children/{id}/assessments", operation_id = "assess_child", tag = "assessment",
    params(("id" = String, Path, description = "The child's record number")),
    request_body = NewAssessment,
    responses((status = 201, description = "The assessment", body = Record,
        links(("confirm" = (operation_id = "confirm_assessment", parameters(("id" = "$response.body#/id"))))))))]
pub(super) async fn assess(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(n): ApiJson<NewAssessment>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let r = st
        .run(move |s, now| s.assess_child_with_notes(&a, &id, &n.answers, n.notes.as_deref(), now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(r))))
}

/// A child's assessments, oldest first (audited).
#[utoipa::path(get, path = "/api/v1/children/{id}/assessments", operation_id = "child_assessments", tag = "assessment",
    params(("id" = String, Path, description = "The child's record number")),
    responses((status = 200, description = "Items", body = Page)))]
pub(super) async fn history(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let r = st
        .run(move |s, now| s.child_assessments(&a, &id, now))
        .await?;
    Ok(Json(json!({"items": r, "next": null})))
}

/// A supervisor's confirmation of a level.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Confirmation {
    /// The level confirmed.
    #[schema(value_type = RiskLevel)]
    level: String,
    /// Required when the level differs from the computed one.
    reason: Option<String>,
}

/// Confirm or override an assessment's level (an override needs a reason).
#[utoipa::path(patch, path = "/api/v1/assessments/{id}", operation_id = "confirm_assessment", tag = "assessment",
    params(("id" = String, Path, description = "The assessment's identifier")),
    request_body = Confirmation,
    responses((status = 200, description = "The assessment", body = Record)))]
pub(super) async fn confirm(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(c): ApiJson<Confirmation>,
) -> Result<Json<Value>, WebError> {
    let level = RiskLevel::parse(c.level.trim())
        .ok_or_else(|| WebError::field("level", "must be low, medium, high or critical"))?;
    let r = st
        .run(move |s, now| s.confirm_assessment(&a, &id, level, c.reason.as_deref(), now))
        .await?;
    Ok(Json(json!(r)))
}
