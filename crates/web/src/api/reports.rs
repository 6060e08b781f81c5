//! Reports: the public endpoints (no account; rate-limited per address)
//! and the staff triage and hotline endpoints (C5, C6).

use super::{flag, ApiJson};
use crate::auth::{ApiCaller, ClientAddr};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::limiter::REPORTS_PER_HOUR;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use haven_domain::hotline::HotlineAction;
use haven_domain::report::{Decision, NewReport};
use haven_domain::NewChild;
use haven_store::reports::{ChildLink, ItemAssessment};
use haven_store::StoreError;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

fn too_many() -> WebError {
    WebError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "too many requests from this address; wait and try again",
    )
}

/// Field errors from reports carry translation keys; the API answers in
/// English. Other errors pass through unchanged.
fn in_english(mut w: WebError) -> WebError {
    if w.status != StatusCode::UNPROCESSABLE_ENTITY {
        return w;
    }
    if let Some(en) = Tr::for_code("en") {
        for f in &mut w.fields {
            f.message = en.t(&f.message).to_string();
        }
    }
    w.message = w
        .fields
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect::<Vec<_>>()
        .join("; ");
    w
}

/// `POST /api/v1/public/reports`: `{category, description, url?, where?, location?, child_age?, danger_now?, reporter?, contact?, lang?}`.
pub(super) async fn submit(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ApiJson(report): ApiJson<NewReport>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    if !st
        .public_limits
        .hit(&format!("submit:{ip}"), REPORTS_PER_HOUR, 3600, st.now())
    {
        return Err(too_many());
    }
    let valid = report
        .validate()
        .map_err(|v| in_english(StoreError::from(v).into()))?;
    let location = valid.location.clone();
    let receipt = st
        .run(move |s, now| s.submit_report(&valid, location.as_deref(), now))
        .await
        .map_err(in_english)?;
    Ok((StatusCode::CREATED, Json(json!(receipt))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Lookup {
    code: String,
    pin: String,
    text: Option<String>,
}

/// `POST /api/v1/public/reports/status` and `/info`: the reporter's view.
async fn lookup(st: AppState, ip: String, l: Lookup, add: bool) -> Result<Json<Value>, WebError> {
    let code = l.code.clone();
    let now = st.now();
    if st.public_limits.lookup_begin(&ip, &code, now) {
        return Err(too_many());
    }
    let r = st
        .run(move |s, now| {
            if add {
                s.add_report_info(&l.code, &l.pin, l.text.as_deref().unwrap_or(""), now)
            } else {
                s.report_status(&l.code, &l.pin, now)
            }
        })
        .await;
    if !matches!(&r, Err(e) if e.status == StatusCode::NOT_FOUND) {
        st.public_limits.lookup_succeeded(&ip, &code);
    }
    match r {
        Ok(v) => Ok(Json(json!(v))),
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            // Counted when it began.
            Err(WebError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "no report has this code and PIN",
            ))
        }
        Err(e) => Err(in_english(e)),
    }
}

pub(super) async fn status(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ApiJson(l): ApiJson<Lookup>,
) -> Result<Json<Value>, WebError> {
    lookup(st, ip, l, false).await
}

pub(super) async fn add_info(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ApiJson(l): ApiJson<Lookup>,
) -> Result<Json<Value>, WebError> {
    lookup(st, ip, l, true).await
}

pub(super) async fn queue(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    let open_only = !flag(&q, "all")?;
    let items = st
        .run(move |s, now| s.list_reports(&a, open_only, now))
        .await?;
    Ok(Json(json!({"items": items, "next": null})))
}

pub(super) async fn read(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let r = st.run(move |s, now| s.get_report(&a, &id, now)).await?;
    Ok(Json(json!(r)))
}

pub(super) async fn contact(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let c = st.run(move |s, now| s.report_contact(&a, &id, now)).await?;
    Ok(Json(json!({ "contact": c })))
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
    st.run(move |s, now| s.add_report_note(&a, &id, &n.text, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"recorded": true}))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DecisionBody {
    decision: Decision,
    reason: Option<String>,
    /// Record number of a child already registered.
    child_id: Option<String>,
    /// A child to register.
    child: Option<NewChild>,
}

pub(super) async fn decide(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> Result<Json<Value>, WebError> {
    let link = match (b.child_id, b.child) {
        (Some(_), Some(_)) => {
            return Err(WebError::field("child", "give child_id or child, not both"))
        }
        (Some(c), None) => Some(ChildLink::Existing(c)),
        (None, Some(n)) => Some(ChildLink::New(Box::new(n))),
        (None, None) => None,
    };
    let (file, dups) = st
        .run(move |s, now| {
            s.decide_report(&a, &id, b.decision, b.reason.as_deref(), link.as_ref(), now)
        })
        .await?;
    Ok(Json(json!({"report": file, "possible_duplicates": dups})))
}

pub(super) async fn items(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    let open_only = !flag(&q, "all")?;
    let items = st
        .run(move |s, now| s.list_hotline_items(&a, open_only, now))
        .await?;
    Ok(Json(json!({"items": items, "next": null})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewItem {
    url: String,
}

pub(super) async fn create_item(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    ApiJson(n): ApiJson<NewItem>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let item = st
        .run(move |s, now| s.create_hotline_item(&a, &n.url, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(item))))
}

pub(super) async fn item(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let item = st
        .run(move |s, now| s.get_hotline_item(&a, &id, now))
        .await?;
    Ok(Json(json!(item)))
}

pub(super) async fn assess(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ItemAssessment>,
) -> Result<Json<Value>, WebError> {
    let item = st
        .run(move |s, now| s.assess_item(&a, &id, &b, now))
        .await?;
    Ok(Json(json!(item)))
}

pub(super) async fn confirm(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let item = st.run(move |s, now| s.confirm_item(&a, &id, now)).await?;
    Ok(Json(json!(item)))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct ActionBody {
    detail: Option<String>,
}

pub(super) async fn action(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path((id, action)): Path<(String, String)>,
    ApiJson(b): ApiJson<ActionBody>,
) -> Result<Json<Value>, WebError> {
    let action = HotlineAction::parse(&action).ok_or_else(|| {
        WebError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such action; actions are notice_sent, law_enforcement, forwarded, removed",
        )
    })?;
    let item = st
        .run(move |s, now| s.item_action(&a, &id, action, b.detail.as_deref(), now))
        .await?;
    Ok(Json(json!(item)))
}

pub(super) async fn figures(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let f = st.run(move |s, now| s.hotline_figures(&a, now)).await?;
    Ok(Json(json!(f)))
}
