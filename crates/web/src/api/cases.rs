//! Cases, the services directory and referrals (C3, C4).

use super::{flag, ApiJson};
use crate::auth::ApiCaller;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use haven_domain::casework::{CaseAction, Consent, NewService, ReferralKind, ReferralStatus};
use haven_store::casework::{CaseFilter, ReferralBox};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) async fn services(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let items = st.run(move |s, _| s.list_services(&a, None)).await?;
    Ok(Json(json!({"items": items, "next": null})))
}

pub(super) async fn create_service(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    ApiJson(n): ApiJson<NewService>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let created = st.run(move |s, now| s.create_service(&a, &n, now)).await?;
    Ok((StatusCode::CREATED, Json(json!(created))))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct NewCase {
    assigned_to: Option<String>,
}

pub(super) async fn open(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(child): Path<String>,
    ApiJson(n): ApiJson<NewCase>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let case = st
        .run(move |s, now| s.open_case(&a, &child, n.assigned_to.as_deref(), now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(case))))
}

/// The case filter a query string asks for (shared with the pages).
pub fn case_filter(q: &HashMap<String, String>) -> Result<CaseFilter, WebError> {
    const KNOWN: [&str; 5] = ["mine", "overdue", "awaiting_approval", "closed", "child"];
    if let Some(k) = q.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(WebError::field(k, "is not a case filter"));
    }
    Ok(CaseFilter {
        mine: flag(q, "mine")?,
        overdue: flag(q, "overdue")?,
        awaiting_approval: flag(q, "awaiting_approval")?,
        include_closed: flag(q, "closed")?,
        child_id: q.get("child").cloned().filter(|c| !c.is_empty()),
    })
}

pub(super) async fn list(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    let f = case_filter(&q)?;
    let items = st.run(move |s, now| s.list_cases(&a, &f, now)).await?;
    Ok(Json(json!({"items": items, "next": null})))
}

pub(super) async fn counts(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let c = st.run(move |s, now| s.case_counts(&a, now)).await?;
    Ok(Json(json!(c)))
}

pub(super) async fn read(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let file = st.run(move |s, now| s.get_case(&a, &id, now)).await?;
    Ok(Json(json!(file)))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct StepText {
    text: Option<String>,
}

pub(super) async fn step(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path((id, action)): Path<(String, String)>,
    ApiJson(b): ApiJson<StepText>,
) -> Result<Json<Value>, WebError> {
    let action = CaseAction::parse(&action).ok_or_else(|| {
        let names: Vec<&str> = CaseAction::ALL.iter().map(|a| a.as_str()).collect();
        WebError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such step; steps are {}", names.join(", ")),
        )
    })?;
    let case = st
        .run(move |s, now| s.case_action(&a, &id, action, b.text.as_deref(), now))
        .await?;
    Ok(Json(json!(case)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Note {
    text: String,
}

pub(super) async fn note(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(n): ApiJson<Note>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    st.run(move |s, now| s.add_case_note(&a, &id, &n.text, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"recorded": true}))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConsentBody {
    consent: Consent,
    child_views: Option<String>,
}

pub(super) async fn consent(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ConsentBody>,
) -> Result<Json<Value>, WebError> {
    let case = st
        .run(move |s, now| s.record_consent(&a, &id, b.consent, b.child_views.as_deref(), now))
        .await?;
    Ok(Json(json!(case)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Adoptability {
    determination: String,
}

pub(super) async fn adoptability(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<Adoptability>,
) -> Result<Json<Value>, WebError> {
    let case = st
        .run(move |s, now| s.record_adoptability(&a, &id, &b.determination, now))
        .await?;
    Ok(Json(json!(case)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Assignment {
    assigned_to: String,
    agency: Option<String>,
    reason: Option<String>,
}

pub(super) async fn assign(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<Assignment>,
) -> Result<Json<Value>, WebError> {
    let case = st
        .run(move |s, now| {
            s.reassign_case(
                &a,
                &id,
                &b.assigned_to,
                b.agency.as_deref(),
                b.reason.as_deref(),
                now,
            )
        })
        .await?;
    Ok(Json(json!(case)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewReferral {
    service_id: String,
    #[serde(default = "service_kind")]
    kind: ReferralKind,
    reason: String,
}

fn service_kind() -> ReferralKind {
    ReferralKind::Service
}

pub(super) async fn refer(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NewReferral>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let r = st
        .run(move |s, now| s.refer(&a, &id, &b.service_id, b.kind, &b.reason, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(r))))
}

pub(super) async fn referrals(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    let which = match q.get("box").map(String::as_str) {
        None | Some("incoming") => ReferralBox::Incoming,
        Some("outgoing") => ReferralBox::Outgoing,
        Some(_) => return Err(WebError::field("box", "must be incoming or outgoing")),
    };
    let items = st
        .run(move |s, now| s.list_referrals(&a, which, now))
        .await?;
    Ok(Json(json!({"items": items, "next": null})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Answer {
    status: ReferralStatus,
    note: Option<String>,
}

pub(super) async fn answer(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<Answer>,
) -> Result<Json<Value>, WebError> {
    let r = st
        .run(move |s, now| s.answer_referral(&a, &id, b.status, b.note.as_deref(), now))
        .await?;
    Ok(Json(json!(r)))
}

pub(super) async fn by_agency(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let items = st.run(move |s, now| s.referrals_by_agency(&a, now)).await?;
    Ok(Json(json!({"items": items})))
}
