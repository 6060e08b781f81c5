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
use haven_domain::indicators::dhis2;
use haven_domain::indicators::over_representation::{compare, Comparison, Concern};
use haven_domain::indicators::population::parse_csv;
use haven_domain::indicators::RecordType;
use haven_domain::indicators::{
    evaluate, Catalogue, Definition, Dimension, Figures, Period, Rule, Tallies, Unit,
};
use haven_domain::ValidationErrors;
use haven_domain::{Actor, Role};
use haven_store::indicators::IndicatorQuery;
use haven_store::{Store, StoreError};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The DHIS2 mapping (indicator → data element and category option combos;
/// places keep their own codes as organisation units): the deployment's,
/// read at start from `--dhis2-mapping`, else the example Haven ships.
pub fn mapping(st: &AppState) -> Result<Arc<dhis2::Mapping>, WebError> {
    if let Some(own) = &st.dhis2_mapping {
        return Ok(own.clone());
    }
    static MAP: OnceLock<Result<Arc<dhis2::Mapping>, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        dhis2::Mapping::default_mapping()
            .map(Arc::new)
            .map_err(|e| e.to_string())
    })
    .clone()
    .map_err(|e| {
        tracing::error!(error = %e, "the DHIS2 mapping does not load");
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the DHIS2 mapping could not be read",
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

fn definition(st: &AppState, id: &str) -> Result<Definition, WebError> {
    st.catalogue.get(id).cloned().ok_or_else(|| {
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
pub(super) async fn list(
    State(st): State<AppState>,
    ApiCaller(_a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let cat = st.catalogue.clone();
    let public = st.run(|s, _| s.public_indicators()).await?;
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
                "public": public.contains(&d.id),
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
    let d = &definition(&st, &id)?;
    let version = st.catalogue.version;
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

/// What an export is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// One figure a line.
    Csv,
    /// Haven's own JSON.
    Json,
    /// A DHIS2 `dataValueSets` document.
    Dhis2,
}

impl ExportFormat {
    /// Reads `csv`, `json` or `dhis2`.
    pub fn parse(s: &str) -> Option<ExportFormat> {
        match s.trim() {
            "csv" => Some(ExportFormat::Csv),
            "json" => Some(ExportFormat::Json),
            "dhis2" => Some(ExportFormat::Dhis2),
            _ => None,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Dhis2 => "dhis2.json",
        }
    }
}

/// Why an export could not be written.
#[derive(Debug)]
pub enum ExportError {
    /// The store refused or failed.
    Store(StoreError),
    /// The request cannot be written in this format (a field and why).
    Field(&'static str, String),
}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> Self {
        ExportError::Store(e)
    }
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::Store(e) => write!(f, "{e}"),
            ExportError::Field(field, why) => write!(f, "{field}: {why}"),
        }
    }
}

impl From<ExportError> for WebError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Store(e) => e.into(),
            ExportError::Field(field, why) => WebError::field(field, why),
        }
    }
}

/// Every indicator the caller may see for a period and a place, whole and
/// by each of its breakdowns, always suppressed with `rule`, written as
/// `format`; and the export is audited. Shared by the API and
/// `haven indicators export`. Indicators the caller's role does not cover
/// (or that have no figures for the place) are left out; if none is left,
/// the first refusal is the answer.
#[allow(clippy::too_many_arguments)]
pub fn write_export(
    store: &dyn Store,
    cat: &Catalogue,
    actor: &Actor,
    rule: Rule,
    format: ExportFormat,
    period: Period,
    location: &str,
    map: &dhis2::Mapping,
    figure_by_figure: bool,
    now: i64,
) -> Result<String, ExportError> {
    if format == ExportFormat::Dhis2 && dhis2::period_string(&period).is_none() {
        return Err(ExportError::Field(
            "period",
            "DHIS2 takes a year (2026), a quarter (2026Q3) or a month (202609), not a range of days".into(),
        ));
    }
    // Every figure, asked at once: the store reads the records once for
    // the whole report (or, figure by figure, once each: the slow path,
    // kept to check the report against and to measure it).
    let mut asked: Vec<(&Definition, Option<Dimension>)> = Vec::new();
    for d in cat.indicators.iter().filter(|d| offered(actor, d)) {
        asked.push((d, None));
        asked.extend(d.disaggregations.iter().map(|&by| (d, Some(by))));
    }
    let queries: Vec<IndicatorQuery> = asked
        .iter()
        .map(|&(d, by)| IndicatorQuery {
            definition: d.clone(),
            periods: vec![period],
            location: location.to_string(),
            by,
        })
        .collect();
    let counted = if figure_by_figure {
        queries
            .iter()
            .map(|q| store.indicator_tallies_by_query(actor, q, now))
            .collect()
    } else {
        store.indicator_report(actor, &queries, now)?
    };
    let mut rows = Vec::new();
    let mut first_err = None;
    let mut refused: Option<&str> = None;
    for (&(d, by), t) in asked.iter().zip(counted) {
        if refused == Some(d.id.as_str()) {
            continue;
        }
        match t {
            Ok(t) => {
                let t: Tallies = t.into_iter().next().unwrap_or_default();
                rows.push(Row {
                    id: d.id.clone(),
                    by,
                    figures: evaluate(d, &t, Some(rule)),
                    unit: d.unit,
                });
            }
            Err(
                e @ (StoreError::Forbidden(_) | StoreError::Invalid(_) | StoreError::NotFound(_)),
            ) => {
                // The definition is left out whole.
                rows.retain(|r| r.id != d.id);
                refused = Some(&d.id);
                first_err.get_or_insert(e);
            }
            Err(e) => return Err(e.into()),
        }
    }
    if let (true, Some(e)) = (rows.is_empty(), first_err) {
        return Err(e.into());
    }
    let name = format!("{:?}", format).to_lowercase();
    store.record_event(
        &actor.name,
        "indicator.export",
        "indicators",
        "ok",
        &format!("format {name}; period {period}; location {location}"),
        now,
    )?;
    Ok(match format {
        ExportFormat::Csv => export_csv(cat.version, period, location, &rows),
        ExportFormat::Json => {
            let indicators: Vec<Value> = rows
                .iter()
                .map(|r| {
                    let mut fig = figures_json_unit(r.unit, &r.figures);
                    if let Some(o) = fig.as_object_mut() {
                        o.insert("indicator".into(), json!(r.id));
                        o.insert("by".into(), json!(r.by));
                        o.insert("unit".into(), json!(r.unit));
                    }
                    fig
                })
                .collect();
            json!({
                "version": cat.version,
                "period": period.to_string(),
                "location": location,
                "suppression_threshold": rule.k,
                "indicators": indicators,
            })
            .to_string()
        }
        ExportFormat::Dhis2 => {
            let published: Vec<dhis2::Published<'_>> = rows
                .iter()
                .map(|r| dhis2::Published {
                    indicator: &r.id,
                    unit: r.unit,
                    by: r.by,
                    figures: &r.figures,
                })
                .collect();
            let set = dhis2::data_value_set(map, &period, location, &published)
                .map_err(|e| ExportError::Field("period", e))?;
            serde_json::to_string(&set)
                .map_err(|e| ExportError::Store(StoreError::Database(e.to_string())))?
        }
    })
}

fn export_csv(version: u32, period: Period, location: &str, rows: &[Row]) -> String {
    let mut out = String::from(
        "indicator,version,period,location,by,key,unit,value,numerator,denominator,suppressed\n",
    );
    for r in rows {
        let by = r.by.map_or("", Dimension::as_str);
        let mut line = |key: &str, v: Option<f64>, n: Option<i64>, den: Option<i64>, s: bool| {
            out.push_str(&format!(
                "{},{},{},{},{by},{},{},{},{},{},{s}\n",
                r.id,
                version,
                period,
                csv(location),
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
    out
}

/// Every indicator for a period and a place, with each of its breakdowns,
/// always suppressed, as CSV, JSON or a DHIS2 `dataValueSets` document
/// (`{"idScheme": "CODE", "period", "orgUnit", "dataValues": [{"dataElement",
/// "period", "orgUnit", "categoryOptionCombo", "value"}]}`, codes from the
/// shipped mapping, suppressed figures left out; DHIS2 takes a year, a
/// quarter or a month). The export is audited.
#[utoipa::path(get, path = "/api/v1/indicators/export", operation_id = "export_indicators", tag = "indicators",
    params(
        ("format" = String, Query, description = "csv, json or dhis2"),
        ("period" = String, Query, description = "2026, 2026Q3, 202609 or 2026-01-01..2026-06-30 (dhis2: not a range)"),
        ("location" = String, Query, description = "A location code: that place and everything under it"),
    ),
    responses((status = 200, description = "The figures: CSV (`indicator,version,period,location,by,key,unit,value,numerator,denominator,suppressed`), JSON, or a DHIS2 `dataValueSets` document", content_type = "text/csv", body = String)))]
pub(super) async fn export(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let cat = st.catalogue.clone();
    let format = q
        .get("format")
        .and_then(|f| ExportFormat::parse(f))
        .ok_or_else(|| WebError::field("format", "give csv, json or dhis2"))?;
    let first = cat
        .indicators
        .first()
        .ok_or_else(|| WebError::field("format", "there are no indicators to export"))?;
    let (period, location, _) = read_query(first, &q, &["format", "period", "location"])?;
    let map = mapping(&st)?;
    let rule = st.limits.disclosure;
    let loc = location.clone();
    let body = st
        .run(move |s, now| {
            Ok(write_export(
                s, &cat, &a, rule, format, period, &loc, &map, false, now,
            ))
        })
        .await??;
    let file = format!(
        "indicators-{}-{}.{}",
        safe(&period.to_string()),
        safe(&location),
        format.extension()
    );
    let content_type = match format {
        ExportFormat::Csv => "text/csv; charset=utf-8",
        ExportFormat::Json | ExportFormat::Dhis2 => "application/json",
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// Load child population figures: CSV, one figure a line,
/// `location,year,sex,age_band,count` (a header line may come first; sex:
/// female, male, other or unknown; age band: 0_4, 5_11, 12_14 or 15_17).
/// Each replaces the figure held for the same place, year, sex and age
/// band. Any bad line refuses the whole file, with every bad line's
/// number, and nothing is applied. Administrators and monitoring officers.
#[utoipa::path(post, path = "/api/v1/populations", operation_id = "import_populations", tag = "indicators",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, description = "`{\"imported\": n}`", body = Record)))]
pub(super) async fn populations(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    body: String,
) -> Result<(StatusCode, Json<Value>), WebError> {
    if !matches!(a.role, Role::Admin | Role::Monitor) {
        // The store refuses (and audits) it too; a refused caller's file
        // is not read.
        let rows = Vec::new();
        st.run(move |s, now| s.import_populations(&a, &rows, now))
            .await?;
        return Err(WebError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only administrators and monitoring officers load population figures",
        ));
    }
    let rows = parse_csv(&body).map_err(|lines| {
        let mut e = ValidationErrors::default();
        for l in lines {
            e.add("file", l.to_string());
        }
        WebError::from(StoreError::Invalid(e))
    })?;
    let n = st
        .run(move |s, now| s.import_populations(&a, &rows, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"imported": n}))))
}

/// Whether an indicator is public.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PublicBody {
    /// Shown on the public figures page (suppressed, whole country).
    public: bool,
}

/// Mark an indicator public, or no longer public (administrators). The
/// public figures page shows the public ones, suppressed, for the whole
/// country. Audited.
#[utoipa::path(put, path = "/api/v1/indicators/{id}/public", operation_id = "set_indicator_public", tag = "indicators",
    params(("id" = String, Path, description = "The indicator's id, from the catalogue")),
    request_body = PublicBody,
    responses((status = 200, description = "`{\"public\": [ids]}`: every public indicator", body = Record)))]
pub(super) async fn set_public(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    super::ApiJson(b): super::ApiJson<PublicBody>,
) -> Result<Json<Value>, WebError> {
    let d = &definition(&st, &id)?;
    let id = d.id.clone();
    let all = st
        .run(move |s, now| {
            s.set_indicator_public(&a, &id, b.public, now)?;
            s.public_indicators()
        })
        .await?;
    Ok(Json(json!({ "public": all })))
}

/// The breakdowns over-representation is shown by (§115).
pub const OVER_BY: [Dimension; 5] = [
    Dimension::Sex,
    Dimension::AgeBand,
    Dimension::Disability,
    Dimension::MinorityGroup,
    Dimension::Location,
];

/// The indicator whose numerator counts the children of a concern.
fn concern_indicator(c: Concern) -> &'static str {
    match c {
        Concern::Victims => "victims_identified",
        Concern::HighRisk => "assessed_high_or_critical",
    }
}

/// Over-representation for one concern, period and place, by each of
/// `by`: the children concerned against the registered children, group by
/// group, with the caller's suppression.
pub async fn over_representation(
    st: &AppState,
    a: &Actor,
    concern: Concern,
    period: Period,
    location: &str,
    by: &[Dimension],
) -> Result<Vec<(Dimension, Comparison)>, WebError> {
    let cat = st.catalogue.clone();
    let find = |id: &str| {
        cat.get(id).cloned().ok_or_else(|| {
            WebError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the indicator definitions lack what over-representation compares",
            )
        })
    };
    let concerned = find(concern_indicator(concern))?;
    let registered = find("children_registered")?;
    let rule = rule_for(st, a, false);
    // Both definitions by every breakdown, in one read of the records.
    let mut queries = Vec::new();
    for &x in by {
        for d in [&concerned, &registered] {
            queries.push(IndicatorQuery {
                definition: d.clone(),
                periods: vec![period],
                location: location.to_string(),
                by: Some(x),
            });
        }
    }
    let actor = a.clone();
    let counted = st
        .run(move |s, now| s.indicator_report(&actor, &queries, now))
        .await?;
    let mut counted = counted.into_iter();
    let mut out = Vec::new();
    for &x in by {
        let mut next = || -> Result<Tallies, WebError> {
            let t = counted.next().ok_or_else(|| {
                WebError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "a figure was not counted",
                )
            })??;
            Ok(t.into_iter().next().unwrap_or_default())
        };
        let (c, r) = (next()?, next()?);
        out.push((x, compare(&c, &r, rule)));
    }
    Ok(out)
}

/// Over-representation (§115): for children known as victims, or at high
/// or critical risk, each group's share of them divided by its share of
/// the registered children (1: as expected; 2: twice as often), with the
/// counts behind it, by sex, age band, disability, minority group (where
/// recorded) and place one level down. Small counts are hidden as in
/// every other figure, for callers without record access.
#[utoipa::path(get, path = "/api/v1/indicators/over-representation", operation_id = "over_representation", tag = "indicators",
    params(
        ("concern" = String, Query, description = "victims or high_risk"),
        ("period" = String, Query, description = "2026, 2026Q3, 202609 or 2026-01-01..2026-06-30"),
        ("location" = String, Query, description = "A location code: that place and everything under it"),
        ("by" = Option<String>, Query, description = "One breakdown only: sex, age_band, disability, minority_group or location"),
    ),
    responses((status = 200, description = "`{\"concern\", \"version\", \"period\", \"location\", \"breakdowns\": [{\"by\", \"count\", \"registered\", \"groups\": [{\"key\", \"count\", \"registered\", \"share\", \"registered_share\", \"ratio\", \"suppressed\"}]}]}`", body = Record)))]
pub(super) async fn over(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    let concern = q
        .get("concern")
        .and_then(|c| Concern::parse(c.trim()))
        .ok_or_else(|| WebError::field("concern", "give victims or high_risk"))?;
    let d = &definition(&st, concern_indicator(concern))?;
    let mut rest = q.clone();
    rest.remove("concern");
    let (period, location, _) = read_query(d, &rest, &["period", "location", "by"])?;
    let by: Vec<Dimension> = match rest.get("by").map(|b| b.trim()).filter(|b| !b.is_empty()) {
        None => OVER_BY.to_vec(),
        Some(b) => vec![Dimension::parse(b)
            .filter(|x| OVER_BY.contains(x))
            .ok_or_else(|| {
                WebError::field(
                    "by",
                    "give sex, age_band, disability, minority_group or location",
                )
            })?],
    };
    let rows = over_representation(&st, &a, concern, period, &location, &by).await?;
    Ok(Json(json!({
        "concern": concern,
        "version": st.catalogue.version,
        "period": period.to_string(),
        "location": location,
        "breakdowns": rows.iter().map(|(x, c)| json!({
            "by": x,
            "count": c.count,
            "registered": c.registered,
            "groups": c.groups,
        })).collect::<Vec<_>>(),
    })))
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
