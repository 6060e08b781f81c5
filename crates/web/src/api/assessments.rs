//! `/api/v1/instruments` and assessments of children (C2).

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewAssessment {
    answers: BTreeMap<String, Answer>,
}

pub(super) async fn assess(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(n): ApiJson<NewAssessment>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let r = st
        .run(move |s, now| s.assess_child(&a, &id, &n.answers, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(r))))
}

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Confirmation {
    level: String,
    reason: Option<String>,
}

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
