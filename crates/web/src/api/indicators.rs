//! Indicators: the catalogue, one indicator's figures for a period and a
//! place, and an export of every indicator. Callers without record access
//! (monitoring officers, analysts) get figures with small counts
//! suppressed; every export is suppressed, whoever asks, and audited.

use super::openapi::{Page, Record};
use crate::auth::ApiCaller;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use haven_domain::indicators::RecordType;
use haven_domain::indicators::{
    evaluate, Catalogue, Definition, Dimension, Figures, Period, Rule, Tallies, Unit,
};
use haven_domain::{Actor, Role};
use haven_store::indicators::IndicatorQuery;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The shipped catalogue, read once.
pub fn catalogue() -> Result<&'static Catalogue, WebError> {
    static CAT: OnceLock<Result<Catalogue, String>> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::default_catalogue().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| {
            tracing::error!(error = %e, "the indicator catalogue does not load");
            WebError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the indicator definitions could not be read",
            )
        })
}

/// The disclosure rule for this caller: none for casework roles looking at
/// their own area, the configured one for everyone else and for exports.
pub fn rule_for(st: &AppState, actor: &Actor, export: bool) -> Option<Rule> {
    (export || !actor.role.handles_children()).then_some(st.limits.disclosure)
}

/// Whether the role may see this indicator at all (the store checks it
/// again, in the query): pages and exports offer only what they can show.
pub fn offered(actor: &Actor, d: &Definition) -> bool {
    let national = actor.scope_path.is_none() && actor.agency_filter().is_none();
    match (actor.role, d.numerator.record) {
        (Role::Monitor, _) => true,
        (Role::Analyst, r) => r == RecordType::HotlineItems,
        (Role::Caseworker, RecordType::HotlineItems) => false,
        (Role::Admin | Role::Supervisor, RecordType::HotlineItems) => national,
        (Role::Admin | Role::Supervisor | Role::Caseworker, _) => true,
        _ => false,
    }
}

/// What a figure looks like in JSON: a whole number for counts.
pub fn number(unit: Unit, v: Option<f64>) -> Value {
    match (unit, v) {
        (_, None) => Value::Null,
        (Unit::Count, Some(v)) => json!(v as i64),
        (_, Some(v)) => json!(v),
    }
}

/// Reads `period`, `location` and `by` for `d`; anything else is refused.
pub fn read_query(
    d: &Definition,
    q: &HashMap<String, String>,
    known: &[&str],
) -> Result<(Period, String, Option<Dimension>), WebError> {
    if let Some(k) = q.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(WebError::field(k, "is not a parameter of this operation"));
    }
    let given = |k: &str| q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let period = Period::parse(given("period").unwrap_or_default())
        .map_err(|e| WebError::field("period", e.to_string()))?;
    let location = given("location")
        .ok_or_else(|| {
            WebError::field(
                "location",
                "give a location code (the whole country's, or any place under it)",
            )
        })?
        .to_string();
    let by = given("by")
        .map(|b| {
            Dimension::parse(b)
                .filter(|x| d.disaggregations.contains(x))
                .ok_or_else(|| {
                    let offered: Vec<&str> = d.disaggregations.iter().map(|x| x.as_str()).collect();
                    WebError::field(
                        "by",
                        if offered.is_empty() {
                            format!("{} has no breakdown", d.id)
                        } else {
                            format!("{} can be broken down by {}", d.id, offered.join(", "))
                        },
                    )
                })
        })
        .transpose()?;
    Ok((period, location, by))
}

fn definition(id: &str) -> Result<&'static Definition, WebError> {
    catalogue()?.get(id).ok_or_else(|| {
        WebError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "there is no indicator with that id",
        )
    })
}

/// The indicator catalogue: each definition, its unit and breakdowns.
#[utoipa::path(get, path = "/api/v1/indicators", operation_id = "list_indicators", tag = "indicators",
    responses((status = 200, description = "`{\"items\": [{\"id\", \"name\", \"description\", \"unit\", \"period\", \"disaggregations\", \"version\"}], \"next\": null}`", body = Page)))]
pub(super) async fn list(ApiCaller(_a): ApiCaller) -> Result<Json<Value>, WebError> {
    let cat = catalogue()?;
    let items: Vec<Value> = cat
        .indicators
        .iter()
        .map(|d| {
            json!({
                "id": d.id,
                "name": d.name,
                "description": d.description,
                "unit": d.unit,
                "period": d.period,
                "disaggregations": d.disaggregations,
                "version": cat.version,
            })
        })
        .collect();
    Ok(Json(json!({"items": items, "next": null})))
}

/// One indicator for a period and a place (and everything under it),
/// perhaps broken down. Monitoring officers see the whole country; casework
/// staff only their own area. Small counts come back as `null` with
/// `"suppressed": true` for callers without record access.
#[utoipa::path(get, path = "/api/v1/indicators/{id}/values", operation_id = "indicator_values", tag = "indicators",
    params(
        ("id" = String, Path, description = "The indicator's id, from the catalogue"),
        ("period" = String, Query, description = "2026, 2026Q3, 202609 or 2026-01-01..2026-06-30"),
        ("location" = String, Query, description = "A location code: that place and everything under it"),
        ("by" = Option<String>, Query, description = "A breakdown the indicator offers: sex, age_band, location (one level down), birth_registration, risk_level, agency, sector, report_category"),
    ),
    responses((status = 200, description = "`{\"indicator\", \"version\", \"period\", \"location\", \"by\", \"unit\", \"value\", \"numerator\", \"denominator\", \"suppressed\", \"cells\": [{\"key\", \"value\", \"suppressed\"}]}`", body = Record)))]
pub(super) async fn values(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    let d = definition(&id)?;
    let version = catalogue()?.version;
    let (period, location, by) = read_query(d, &q, &["period", "location", "by"])?;
    let rule = rule_for(&st, &a, false);
    let query = IndicatorQuery {
        definition: d.clone(),
        periods: vec![period],
        location: location.clone(),
        by,
    };
    let tallies = st
        .run(move |s, now| s.indicator_tallies(&a, &query, now))
        .await?;
    let t = tallies.first().cloned().unwrap_or_default();
    let f = evaluate(d, &t, rule);
    let mut body = json!({
        "indicator": d.id,
        "version": version,
        "period": period.to_string(),
        "location": location,
        "by": by,
        "unit": d.unit,
    });
    if let (Some(o), Value::Object(fig)) = (body.as_object_mut(), figures_json_unit(d.unit, &f)) {
        o.extend(fig);
    }
    Ok(Json(body))
}

/// One row of an export.
struct Row {
    id: String,
    by: Option<Dimension>,
    figures: Figures,
    unit: Unit,
}

/// Every indicator for a period and a place, with each of its breakdowns,
/// always suppressed, as CSV or JSON. The export is audited.
#[utoipa::path(get, path = "/api/v1/indicators/export", operation_id = "export_indicators", tag = "indicators",
    params(
        ("format" = String, Query, description = "csv or json"),
        ("period" = String, Query, description = "2026, 2026Q3, 202609 or 2026-01-01..2026-06-30"),
        ("location" = String, Query, description = "A location code: that place and everything under it"),
    ),
    responses((status = 200, description = "The figures: CSV (`indicator,version,period,location,by,key,unit,value,numerator,denominator,suppressed`) or JSON", content_type = "text/csv", body = String)))]
pub(super) async fn export(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let cat = catalogue()?;
    let format = match q.get("format").map(|f| f.trim()) {
        Some("csv") => "csv",
        Some("json") => "json",
        _ => return Err(WebError::field("format", "give csv or json")),
    };
    let first = cat
        .indicators
        .first()
        .ok_or_else(|| WebError::field("format", "there are no indicators to export"))?;
    let (period, location, _) = read_query(first, &q, &["format", "period", "location"])?;
    let rows = export_rows(&st, &a, cat, period, &location).await?;
    let detail = format!("format {format}; period {period}; location {location}");
    let name = a.name.clone();
    st.run(move |s, now| {
        s.record_event(&name, "indicator.export", "indicators", "ok", &detail, now)
    })
    .await?;
    let file = format!(
        "indicators-{}-{}.{format}",
        safe(&period.to_string()),
        safe(&location)
    );
    let disposition = format!("attachment; filename=\"{file}\"");
    if format == "csv" {
        let mut out = String::from(
            "indicator,version,period,location,by,key,unit,value,numerator,denominator,suppressed\n",
        );
        for r in &rows {
            let by = r.by.map_or("", Dimension::as_str);
            let mut line =
                |key: &str, v: Option<f64>, n: Option<i64>, den: Option<i64>, s: bool| {
                    out.push_str(&format!(
                        "{},{},{},{},{by},{},{},{},{},{},{s}\n",
                        r.id,
                        cat.version,
                        period,
                        csv(&location),
                        csv(key),
                        r.unit.as_str(),
                        number(r.unit, v).to_string().replace("null", ""),
                        n.map(|n| n.to_string()).unwrap_or_default(),
                        den.map(|n| n.to_string()).unwrap_or_default(),
                    ));
                };
            if r.by.is_none() {
                line(
                    "",
                    r.figures.value,
                    r.figures.numerator,
                    r.figures.denominator,
                    r.figures.suppressed,
                );
            }
            for c in &r.figures.cells {
                line(&c.key, c.value, None, None, c.suppressed);
            }
        }
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            out,
        )
            .into_response());
    }
    let mut indicators: Vec<Value> = Vec::new();
    for r in &rows {
        let mut fig = figures_json_unit(r.unit, &r.figures);
        if let Some(o) = fig.as_object_mut() {
            o.insert("indicator".into(), json!(r.id));
            o.insert("by".into(), json!(r.by));
            o.insert("unit".into(), json!(r.unit));
        }
        indicators.push(fig);
    }
    Ok((
        [(header::CONTENT_DISPOSITION, disposition)],
        Json(json!({
            "version": cat.version,
            "period": period.to_string(),
            "location": location,
            "suppression_threshold": st.limits.disclosure.k,
            "indicators": indicators,
        })),
    )
        .into_response())
}

fn figures_json_unit(unit: Unit, f: &Figures) -> Value {
    json!({
        "value": number(unit, f.value),
        "numerator": f.numerator,
        "denominator": f.denominator,
        "suppressed": f.suppressed,
        "cells": f.cells.iter().map(|c| json!({
            "key": c.key,
            "value": number(unit, c.value),
            "suppressed": c.suppressed,
        })).collect::<Vec<_>>(),
    })
}

/// Every indicator the caller may see, whole and by each breakdown, with
/// the export's suppression. Indicators the caller's role does not cover
/// (or that have no figures for the place) are left out; if none is left,
/// the first refusal is the answer.
async fn export_rows(
    st: &AppState,
    a: &Actor,
    cat: &'static Catalogue,
    period: Period,
    location: &str,
) -> Result<Vec<Row>, WebError> {
    let rule = rule_for(st, a, true);
    let mut rows = Vec::new();
    let mut first_err = None;
    for d in cat.indicators.iter().filter(|d| offered(a, d)) {
        let mut queries = vec![None];
        queries.extend(d.disaggregations.iter().copied().map(Some));
        for by in queries {
            let query = IndicatorQuery {
                definition: d.clone(),
                periods: vec![period],
                location: location.to_string(),
                by,
            };
            let actor = a.clone();
            match st
                .run(move |s, now| s.indicator_tallies(&actor, &query, now))
                .await
            {
                Ok(t) => {
                    let t: Tallies = t.into_iter().next().unwrap_or_default();
                    rows.push(Row {
                        id: d.id.clone(),
                        by,
                        figures: evaluate(d, &t, rule),
                        unit: d.unit,
                    });
                }
                Err(e) if e.status.is_client_error() => {
                    first_err.get_or_insert(e);
                    break;
                }
                Err(e) => return Err(e),
            }
        }
    }
    match (rows.is_empty(), first_err) {
        (true, Some(e)) => Err(e),
        _ => Ok(rows),
    }
}

fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
