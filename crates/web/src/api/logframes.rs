//! Logframes: results chains linked to live indicators. Monitoring
//! officers and administrators keep them, supervisors read them; the store
//! refuses everyone else. Each linked indicator's current value is
//! computed now, for the whole country, with the current catalogue, and
//! suppressed as for a role without record access; progress and "on track"
//! come from [`haven_domain::logframes`].

use super::indicators::number;
use super::openapi::{Page, Record};
use crate::auth::ApiCaller;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use haven_domain::indicators::{evaluate, Catalogue, Figures, Period};
use haven_domain::logframes::{parse_value, progress, track, Mark, NewResult, ResultText, Track};
use haven_domain::{Actor, Date, Role};
use haven_store::indicators::IndicatorQuery;
use haven_store::logframes::{LinkedIndicator, Logframe, MarkKind};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// The year whose figures a logframe shows: the last complete one.
pub fn figures_year(now: i64) -> i32 {
    Date::from_unix(now).year() - 1
}

/// The current figures of `ids` for the whole country in the last complete
/// year, counted as for a role without record access and suppressed.
pub async fn current_figures(
    st: &AppState,
    actor: &Actor,
    ids: Vec<String>,
) -> Result<HashMap<String, Figures>, WebError> {
    let cat = st.catalogue.clone();
    let year = Period::parse(&figures_year(st.now()).to_string())
        .map_err(|e| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    let counting = Actor {
        role: Role::Monitor,
        scope_path: None,
        agency: None,
        ..actor.clone()
    };
    let country = st
        .run(|s, _| s.list_locations(&Actor::system()))
        .await?
        .into_iter()
        .find(|l| l.parent.is_none())
        .map(|l| l.code);
    let Some(country) = country else {
        return Ok(HashMap::new());
    };
    let rule = Some(st.limits.disclosure);
    let mut out = HashMap::new();
    for id in ids {
        let Some(d) = cat.get(&id) else { continue };
        let q = IndicatorQuery {
            definition: d.clone(),
            periods: vec![year],
            location: country.clone(),
            by: None,
        };
        let who = counting.clone();
        let t = st
            .run(move |s, now| s.indicator_tallies(&who, &q, now))
            .await?;
        if let Some(t) = t.first() {
            out.insert(id, evaluate(d, t, rule));
        }
    }
    Ok(out)
}

/// A linked indicator's progress: (share of the way, on track or not).
pub fn standing(l: &LinkedIndicator, today: Date, f: Option<&Figures>) -> (Option<f64>, Track) {
    let current = f.filter(|f| !f.suppressed).and_then(|f| f.value);
    let share = match (l.baseline, l.target) {
        (Some(b), Some(t)) => progress(b.value, t.value, current),
        _ => None,
    };
    (
        share,
        track(l.baseline, l.target, &l.milestones, today, current),
    )
}

fn mark_json(m: &Option<Mark>) -> Value {
    m.map_or(
        Value::Null,
        |m| json!({"value": m.value, "date": m.date.to_string()}),
    )
}

/// A logframe as JSON, each linked indicator with its figures now.
pub fn logframe_json(
    f: &Logframe,
    cat: &Catalogue,
    figs: &HashMap<String, Figures>,
    now: i64,
) -> Value {
    let today = Date::from_unix(now);
    let results: Vec<Value> = f
        .results
        .iter()
        .map(|r| {
            let indicators: Vec<Value> = r
                .indicators
                .iter()
                .map(|l| {
                    let fig = figs.get(&l.indicator);
                    let unit = cat.get(&l.indicator).map(|d| d.unit);
                    let (share, tr) = standing(l, today, fig);
                    json!({
                        "indicator": l.indicator,
                        "baseline": mark_json(&l.baseline),
                        "milestones": l.milestones.iter().map(|m| json!({"value": m.value, "date": m.date.to_string()})).collect::<Vec<_>>(),
                        "target": mark_json(&l.target),
                        "current": {
                            "year": figures_year(now),
                            "value": match (unit, fig) {
                                (Some(u), Some(f)) if !f.suppressed => number(u, f.value),
                                _ => Value::Null,
                            },
                            "suppressed": fig.is_some_and(|f| f.suppressed),
                        },
                        "progress": share,
                        "track": tr.as_str(),
                    })
                })
                .collect();
            json!({
                "id": r.id,
                "level": r.level,
                "parent": r.parent,
                "statement": r.statement,
                "source": r.source,
                "frequency": r.frequency,
                "responsible": r.responsible,
                "assumptions": r.assumptions,
                "risks": r.risks,
                "indicators": indicators,
            })
        })
        .collect();
    json!({"id": f.id, "title": f.title, "created_at": f.created_at, "results": results})
}

/// Every logframe (monitoring officers, administrators, supervisors).
#[utoipa::path(get, path = "/api/v1/logframes", operation_id = "list_logframes", tag = "logframes",
    responses((status = 200, description = "`{\"items\": [{\"id\", \"title\", \"results\", \"created_at\"}], \"next\": null}`", body = Page)))]
pub(super) async fn list(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let items = st.run(move |s, now| s.list_logframes(&a, now)).await?;
    Ok(Json(json!({"items": items, "next": null})))
}

/// A new logframe.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewLogframe {
    /// Its title.
    title: String,
}

/// Makes a logframe (monitoring officers, administrators). Audited.
#[utoipa::path(post, path = "/api/v1/logframes", operation_id = "create_logframe", tag = "logframes",
    request_body = NewLogframe,
    responses((status = 201, description = "`{\"id\"}`", body = Record)))]
pub(super) async fn create(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    super::ApiJson(b): super::ApiJson<NewLogframe>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let id = st
        .run(move |s, now| s.create_logframe(&a, &b.title, now))
        .await
        .map_err(WebError::in_english)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

/// One logframe: its chain, and per linked indicator the baseline,
/// milestones, target, the value now (country, last complete year,
/// suppressed), the share of the way from baseline to target (`null` when
/// unknown) and `track` (`on_track`, `behind`, `nothing_due`, `unknown`).
#[utoipa::path(get, path = "/api/v1/logframes/{id}", operation_id = "read_logframe", tag = "logframes",
    params(("id" = String, Path, description = "The logframe's id")),
    responses((status = 200, description = "`{\"id\", \"title\", \"results\": [{\"id\", \"level\", \"parent\", \"statement\", …, \"indicators\": [{\"indicator\", \"baseline\", \"milestones\", \"target\", \"current\", \"progress\", \"track\"}]}]}`", body = Record)))]
pub(super) async fn read(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let who = a.clone();
    let frame = st.run(move |s, now| s.logframe(&who, &id, now)).await?;
    let ids = frame
        .results
        .iter()
        .flat_map(|r| r.indicators.iter().map(|l| l.indicator.clone()))
        .collect();
    let figs = current_figures(&st, &a, ids).await?;
    Ok(Json(logframe_json(&frame, &st.catalogue, &figs, st.now())))
}

/// Adds a result to a logframe.
#[utoipa::path(post, path = "/api/v1/logframes/{id}/results", operation_id = "add_logframe_result", tag = "logframes",
    params(("id" = String, Path, description = "The logframe's id")),
    request_body = NewResult,
    responses((status = 201, description = "`{\"id\"}`: the result's id", body = Record)))]
pub(super) async fn add_result(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    super::ApiJson(b): super::ApiJson<NewResult>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let rid = st
        .run(move |s, now| s.add_logframe_result(&a, &id, &b, now))
        .await
        .map_err(WebError::in_english)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": rid }))))
}

/// An indicator to link.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct LinkBody {
    /// An id from `GET /api/v1/indicators`.
    indicator: String,
}

/// Links an indicator of the live catalogue to a result.
#[utoipa::path(post, path = "/api/v1/logframes/results/{result}/indicators", operation_id = "link_logframe_indicator", tag = "logframes",
    params(("result" = String, Path, description = "The result's id")),
    request_body = LinkBody,
    responses((status = 201, description = "`{\"indicator\"}`", body = Record)))]
pub(super) async fn link(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(result): Path<String>,
    super::ApiJson(b): super::ApiJson<LinkBody>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let id = b.indicator.trim().to_string();
    if st.catalogue.get(&id).is_none() {
        return Err(WebError::field("indicator", "logframes-error-indicator").in_english());
    }
    let linked = id.clone();
    st.run(move |s, now| s.link_logframe_indicator(&a, &result, &linked, now))
        .await
        .map_err(WebError::in_english)?;
    Ok((StatusCode::CREATED, Json(json!({ "indicator": id }))))
}

/// A value at a date.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct MarkBody {
    /// The value, in the indicator's unit.
    value: f64,
    /// `YYYY-MM-DD`: measured (baseline) or due (milestone, target).
    date: String,
}

/// Sets a linked indicator's `baseline` or `target`, or adds a
/// `milestone` (the same date replaces it).
#[utoipa::path(put, path = "/api/v1/logframes/results/{result}/indicators/{indicator}/{kind}", operation_id = "set_logframe_mark", tag = "logframes",
    params(
        ("result" = String, Path, description = "The result's id"),
        ("indicator" = String, Path, description = "The linked indicator's id"),
        ("kind" = String, Path, description = "baseline, milestone or target"),
    ),
    request_body = MarkBody,
    responses((status = 200, description = "`{\"kind\", \"value\", \"date\"}`", body = Record)))]
pub(super) async fn set_mark(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path((result, indicator, kind)): Path<(String, String, String)>,
    super::ApiJson(b): super::ApiJson<MarkBody>,
) -> Result<Json<Value>, WebError> {
    let kind = MarkKind::parse(&kind).ok_or_else(|| {
        WebError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "baseline, milestone or target",
        )
    })?;
    let date = Date::parse(b.date.trim())
        .ok_or_else(|| WebError::field("date", "logframes-error-date").in_english())?;
    let value = parse_value(&b.value.to_string())
        .ok_or_else(|| WebError::field("value", "logframes-error-value").in_english())?;
    let m = Mark { value, date };
    st.run(move |s, now| s.set_logframe_mark(&a, &result, &indicator, kind, m, now))
        .await
        .map_err(WebError::in_english)?;
    Ok(Json(
        json!({"kind": kind.as_str(), "value": value, "date": date.to_string()}),
    ))
}

/// Changes a result's words (statement, source, frequency, responsible,
/// assumptions, risks); its level and place in the chain stay.
#[utoipa::path(put, path = "/api/v1/logframes/results/{result}", operation_id = "update_logframe_result", tag = "logframes",
    params(("result" = String, Path, description = "The result's id")),
    request_body = ResultText,
    responses((status = 204, description = "Changed")))]
pub(super) async fn update_result(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(result): Path<String>,
    super::ApiJson(b): super::ApiJson<ResultText>,
) -> Result<StatusCode, WebError> {
    st.run(move |s, now| s.update_logframe_result(&a, &result, &b, now))
        .await
        .map_err(WebError::in_english)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a result with its linked indicators and their marks; 409 while
/// results sit under it.
#[utoipa::path(delete, path = "/api/v1/logframes/results/{result}", operation_id = "remove_logframe_result", tag = "logframes",
    params(("result" = String, Path, description = "The result's id")),
    responses((status = 204, description = "Removed")))]
pub(super) async fn remove_result(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(result): Path<String>,
) -> Result<StatusCode, WebError> {
    st.run(move |s, now| s.remove_logframe_result(&a, &result, now))
        .await
        .map_err(WebError::in_english)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unlinks an indicator from a result, with its baseline, milestones and
/// target.
#[utoipa::path(delete, path = "/api/v1/logframes/results/{result}/indicators/{indicator}", operation_id = "unlink_logframe_indicator", tag = "logframes",
    params(
        ("result" = String, Path, description = "The result's id"),
        ("indicator" = String, Path, description = "The linked indicator's id"),
    ),
    responses((status = 204, description = "Unlinked")))]
pub(super) async fn unlink(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path((result, indicator)): Path<(String, String)>,
) -> Result<StatusCode, WebError> {
    st.run(move |s, now| s.unlink_logframe_indicator(&a, &result, &indicator, now))
        .await
        .map_err(WebError::in_english)?;
    Ok(StatusCode::NO_CONTENT)
}
