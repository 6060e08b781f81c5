//! Reports: the public endpoints (no account; rate-limited per address)
//! and the staff triage and hotline endpoints (C5, C6).

use super::openapi::{ErrorBody, Page, Record};
use super::{flag, ApiJson};
use crate::auth::{ApiCaller, ClientAddr};
use crate::error::WebError;
use crate::limiter::REPORTS_PER_HOUR;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use haven_domain::hotline::{HotlineAction, ItemStage};
use haven_domain::report::{Decision, NewReport, ReportCategory};
use haven_domain::NewChild;
use haven_store::reports::{ChildLink, HotlineFilter, ItemAssessment, ItemStep, ReportFilter};
use haven_store::StoreError;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use utoipa::ToSchema;

fn too_many() -> WebError {
    WebError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "too many requests from this address; wait and try again",
    )
}

/// Field errors from reports carry translation keys; the API answers in
/// English. Other errors pass through unchanged.
fn in_english(w: WebError) -> WebError {
    w.in_english()
}

/// Report a concern (no account needed).
///
/// Answers the tracking code and PIN the reporter uses to follow it.
/// Rate-limited per address.
#[utoipa::path(post, path = "/api/v1/public/reports", operation_id = "submit_report", tag = "reporting",
    security(()),
    request_body = NewReport,
    responses(
        (status = 201, description = "`{code, pin, status}`: the tracking code and PIN", body = Record),
        (status = 429, description = "Too many reports from this address", body = ErrorBody),
    ))]
/// `POST /api/v1/public/reports`: `{category, description, url?, where?, location?, child_age?, danger_now?, reporter?, contact?, lang?}`.
pub(super) async fn submit(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ApiJson(report): ApiJson<NewReport>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    if !st
        .public_limits
        .hit(
            &st,
            &format!("submit:{ip}"),
            REPORTS_PER_HOUR,
            3600,
            st.now(),
        )
        .await
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

/// A reporter's tracking code and PIN.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Lookup {
    /// The tracking code.
    code: String,
    /// The PIN.
    pin: String,
}

/// Information a reporter adds, with the report's code and PIN.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewInfo {
    /// The tracking code.
    code: String,
    /// The PIN.
    pin: String,
    /// What to add.
    #[schema(
        max_length = 5000,
        pattern = r"^[^\u0000]*[^\u0000\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000]*$"
    )]
    text: String,
}

/// `POST /api/v1/public/reports/status` and `/info`: the reporter's view.
async fn lookup(st: AppState, ip: String, l: NewInfo, add: bool) -> Result<Json<Value>, WebError> {
    let code = l.code.clone();
    let now = st.now();
    if st.public_limits.lookup_begin(&st, &ip, &code, now).await {
        return Err(too_many());
    }
    let r = st
        .run(move |s, now| {
            if add {
                s.add_report_info(&l.code, &l.pin, &l.text, now)
            } else {
                s.report_status(&l.code, &l.pin, now)
            }
        })
        .await;
    if !matches!(&r, Err(e) if e.status == StatusCode::NOT_FOUND) {
        st.public_limits.lookup_succeeded(&st, &ip, &code).await;
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

/// The reporter's view of a report: `{status, category, received_at, added}`.
///
/// A wrong code and a wrong PIN both answer 404; repeated misses 429.
#[utoipa::path(post, path = "/api/v1/public/reports/status", operation_id = "report_status", tag = "reporting",
    security(()),
    request_body = Lookup,
    responses(
        (status = 200, description = "Status", body = Record),
        (status = 404, description = "No report has this code and PIN", body = ErrorBody),
        (status = 429, description = "Too many wrong tries", body = ErrorBody),
    ))]
pub(super) async fn status(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ApiJson(l): ApiJson<Lookup>,
) -> Result<Json<Value>, WebError> {
    let l = NewInfo {
        code: l.code,
        pin: l.pin,
        text: String::new(),
    };
    lookup(st, ip, l, false).await
}

/// Add information to a report: `{code, pin, text}`.
#[utoipa::path(post, path = "/api/v1/public/reports/info", operation_id = "add_report_info", tag = "reporting",
    security(()),
    request_body = NewInfo,
    responses(
        (status = 200, description = "Status", body = Record),
        (status = 404, description = "No report has this code and PIN", body = ErrorBody),
        (status = 429, description = "Too many wrong tries", body = ErrorBody),
    ))]
pub(super) async fn add_info(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ApiJson(l): ApiJson<NewInfo>,
) -> Result<Json<Value>, WebError> {
    lookup(st, ip, l, true).await
}

/// The report filter a query string asks for (shared with the queue page).
/// An empty value is no filter.
pub fn report_filter(q: &HashMap<String, String>) -> Result<ReportFilter, WebError> {
    const KNOWN: [&str; 7] = [
        "all",
        "danger_now",
        "overdue",
        "category",
        "place",
        "cursor",
        "limit",
    ];
    if let Some(k) = q.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(WebError::field(k, "is not a report filter"));
    }
    let given = |k: &str| q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let category = given("category")
        .map(|v| {
            ReportCategory::parse(v)
                .ok_or_else(|| WebError::field("category", "is not a report category"))
        })
        .transpose()?;
    let (offset, limit) = super::cases::paging(q, 500)?;
    Ok(ReportFilter {
        open_only: !flag(q, "all")?,
        danger_now: flag(q, "danger_now")?,
        overdue: flag(q, "overdue")?,
        category,
        place: given("place").map(str::to_string),
        offset,
        limit,
    })
}

/// The triage queue, most urgent first (analysts, casework staff in scope).
#[utoipa::path(get, path = "/api/v1/reports", operation_id = "report_queue", tag = "triage",
    params(
        ("all" = Option<bool>, Query, description = "Include decided reports"),
        ("danger_now" = Option<bool>, Query, description = "Only reports where a child is in danger now"),
        ("overdue" = Option<bool>, Query, description = "Only undecided reports past their act-by time"),
        ("category" = Option<String>, Query, description = "Only reports of this category"),
        ("place" = Option<String>, Query, description = "Only reports from this place (location code)"),
        ("cursor" = Option<String>, Query, description = "Where the page starts: the previous page's next"),
        ("limit" = Option<u32>, Query, description = "Reports per page, 1 to 500 (default 500)"),
    ),
    responses((status = 200, description = "Items", body = Page,
        links(
            ("read" = (operation_id = "read_report", parameters(("id" = "$response.body#/items/0/id")))),
            ("contact" = (operation_id = "report_contact", parameters(("id" = "$response.body#/items/0/id")))),
            ("note" = (operation_id = "report_note", parameters(("id" = "$response.body#/items/0/id")))),
            ("decide" = (operation_id = "decide_report", parameters(("id" = "$response.body#/items/0/id")))),
        ))))]
pub(super) async fn queue(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    super::typed_not_empty(&q, &["all", "danger_now", "overdue"])?;
    let f = report_filter(&q)?;
    let (offset, limit) = (f.offset, if f.limit == 0 { 500 } else { f.limit });
    let items = st.run(move |s, now| s.list_reports(&a, &f, now)).await?;
    let next = (items.len() >= limit).then(|| (offset + items.len()).to_string());
    Ok(Json(json!({"items": items, "next": next})))
}

/// A report as staff read it (audited).
#[utoipa::path(get, path = "/api/v1/reports/{id}", operation_id = "read_report", tag = "triage",
    params(("id" = String, Path, description = "The report's identifier")),
    responses((status = 200, description = "The report", body = Record)))]
pub(super) async fn read(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let r = st.run(move |s, now| s.get_report(&a, &id, now)).await?;
    Ok(Json(json!(r)))
}

/// The reporter's contact details, kept apart from the report: `{contact}` (each reading audited).
#[utoipa::path(get, path = "/api/v1/reports/{id}/contact", operation_id = "report_contact", tag = "triage",
    params(("id" = String, Path, description = "The report's identifier")),
    responses((status = 200, description = "Contact", body = Record)))]
pub(super) async fn contact(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let c = st.run(move |s, now| s.report_contact(&a, &id, now)).await?;
    Ok(Json(json!({ "contact": c })))
}

/// A note.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ReportNote)]
pub(super) struct Note {
    /// The note.
    #[schema(
        max_length = 10000,
        pattern = r"^[^\u0000]*[^\u0000\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000]*$"
    )]
    text: String,
}

/// A staff note on a report, never shown to the reporter.
#[utoipa::path(post, path = "/api/v1/reports/{id}/notes", operation_id = "report_note", tag = "triage",
    params(("id" = String, Path, description = "The report's identifier")),
    request_body = Note,
    responses((status = 201, description = "Recorded: `{\"recorded\": true}`", body = Record)))]
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

/// A triage decision.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct DecisionBody {
    /// What is done with the report.
    decision: Decision,
    /// Why (required to close or pass to the police).
    #[schema(max_length = 10000)]
    reason: Option<String>,
    /// Record number of a child already registered.
    child_id: Option<String>,
    /// A child to register.
    child: Option<NewChild>,
}

impl DecisionBody {
    /// The child the case is for, if any.
    fn link(&self) -> Result<Option<ChildLink>, WebError> {
        match (&self.child_id, &self.child) {
            (Some(_), Some(_)) => Err(WebError::field("child", "give child_id or child, not both")),
            (Some(c), None) => Ok(Some(ChildLink::Existing(c.clone()))),
            (None, Some(n)) => Ok(Some(ChildLink::New(Box::new(n.clone())))),
            (None, None) => Ok(None),
        }
    }
}

/// Decide a report: open a case, pass to the hotline or police, or close.
///
/// Answers `{report, possible_duplicates}`. Give `child_id` (a registered
/// child) or `child` (one to register), not both.
#[utoipa::path(post, path = "/api/v1/reports/{id}/decision", operation_id = "decide_report", tag = "triage",
    params(("id" = String, Path, description = "The report's identifier")),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "The report", body = Record),
        (status = 409, description = "The report has already been decided", body = ErrorBody),
    ))]
pub(super) async fn decide(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> Result<Json<Value>, WebError> {
    let link = b.link()?;
    let (file, dups) = st
        .run(move |s, now| {
            s.decide_report(&a, &id, b.decision, b.reason.as_deref(), link.as_ref(), now)
        })
        .await?;
    Ok(Json(json!({"report": file, "possible_duplicates": dups})))
}

/// A further action on a report already decided: a report can lead to a
/// case AND a hotline item AND a police referral.
///
/// Same body as the decision; answers 201 `{report, possible_duplicates}`,
/// with every action taken in `report.actions`. On a report not yet decided
/// it is the decision. A second case or hotline item from one report is
/// refused (409), so are closing a decided report (422) and acting on a
/// closed one (409).
#[utoipa::path(post, path = "/api/v1/reports/{id}/actions", operation_id = "report_action", tag = "triage",
    params(("id" = String, Path, description = "The report's identifier")),
    request_body = DecisionBody,
    responses(
        (status = 201, description = "The report, with its actions", body = Record),
        (status = 409, description = "Already done for this report, or the report is closed", body = ErrorBody),
    ))]
pub(super) async fn act(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let link = b.link()?;
    let (file, dups) = st
        .run(move |s, now| {
            s.add_report_action(&a, &id, b.decision, b.reason.as_deref(), link.as_ref(), now)
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"report": file, "possible_duplicates": dups})),
    ))
}

/// Reads the hotline list's filters and paging from a query string;
/// anything it does not know is refused, naming the parameter.
pub fn hotline_filter(q: &HashMap<String, String>) -> Result<HotlineFilter, WebError> {
    const KNOWN: [&str; 6] = ["all", "stage", "category", "country", "cursor", "limit"];
    if let Some(k) = q.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(WebError::field(k, "is not a hotline list filter"));
    }
    let given = |k: &str| q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let stage = given("stage")
        .map(|v| {
            ItemStage::parse(v).ok_or_else(|| WebError::field("stage", "is not a hotline stage"))
        })
        .transpose()?;
    let country = given("country")
        .map(|v| {
            haven_domain::hotline::country(v)
                .map(|c| c.code.to_string())
                .ok_or_else(|| {
                    WebError::field("country", "is not an ISO 3166-1 two-letter country code")
                })
        })
        .transpose()?;
    let category = given("category").map(str::to_string);
    if category.as_ref().is_some_and(|c| c.chars().count() > 60) {
        return Err(WebError::field("category", "is longer than any category"));
    }
    let (offset, limit) = super::cases::paging(q, 500)?;
    Ok(HotlineFilter {
        // A stage asked for is shown even when no longer open.
        open_only: !flag(q, "all")? && stage.is_none(),
        stage,
        category,
        country,
        offset,
        limit,
    })
}

/// Hotline items (analysts), unassessed first.
#[utoipa::path(get, path = "/api/v1/hotline/items", operation_id = "hotline_items", tag = "hotline",
    params(
        ("all" = Option<bool>, Query, description = "Include closed items (removed, or not illegal)"),
        ("stage" = Option<ItemStage>, Query, description = "Only items at this stage"),
        ("category" = Option<String>, Query, description = "Only items assessed in this category"),
        ("country" = Option<String>, Query, description = "Only items hosted in this country (ISO 3166-1 code)"),
        ("cursor" = Option<String>, Query, description = "Where the page starts: the previous page's next"),
        ("limit" = Option<u32>, Query, description = "Items per page, 1 to 500 (default 500)"),
    ),
    responses((status = 200, description = "Items", body = Page,
        links(
            ("read" = (operation_id = "hotline_item", parameters(("id" = "$response.body#/items/0/id")))),
            ("assess" = (operation_id = "assess_hotline_item", parameters(("id" = "$response.body#/items/0/id")))),
            ("confirm" = (operation_id = "confirm_hotline_item", parameters(("id" = "$response.body#/items/0/id")))),
            ("action" = (operation_id = "hotline_action", parameters(("id" = "$response.body#/items/0/id")))),
        ))))]
pub(super) async fn items(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    super::typed_not_empty(&q, &["all", "stage"])?;
    let f = hotline_filter(&q)?;
    let (offset, limit) = (f.offset, if f.limit == 0 { 500 } else { f.limit });
    let items = st
        .run(move |s, now| s.list_hotline_items(&a, &f, now))
        .await?;
    let next = (items.len() >= limit).then(|| (offset + items.len()).to_string());
    Ok(Json(json!({"items": items, "next": next})))
}

/// A hotline item.
#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"url": "http://example.com/reported/page"}))]
#[serde(deny_unknown_fields)]
pub(super) struct NewItem {
    /// The address of the material.
    #[schema(min_length = 1, max_length = 4096)]
    url: String,
}

/// Add a hotline item directly.
#[utoipa::path(post, path = "/api/v1/hotline/items", operation_id = "create_hotline_item", tag = "hotline",
    request_body = NewItem,
    responses((status = 201, description = "The item", body = Record,
        links(
            ("read" = (operation_id = "hotline_item", parameters(("id" = "$response.body#/id")))),
            ("assess" = (operation_id = "assess_hotline_item", parameters(("id" = "$response.body#/id")))),
            ("confirm" = (operation_id = "confirm_hotline_item", parameters(("id" = "$response.body#/id")))),
            ("action" = (operation_id = "hotline_action", parameters(("id" = "$response.body#/id")))),
        ))))]
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

/// One hotline item.
#[utoipa::path(get, path = "/api/v1/hotline/items/{id}", operation_id = "hotline_item", tag = "hotline",
    params(("id" = String, Path, description = "The hotline item's identifier")),
    responses((status = 200, description = "The item", body = Record)))]
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

/// Assess a hotline item; `illegal` lists its URL.
#[utoipa::path(post, path = "/api/v1/hotline/items/{id}/assessment", operation_id = "assess_hotline_item", tag = "hotline",
    params(("id" = String, Path, description = "The hotline item's identifier")),
    request_body = ItemAssessment,
    responses(
        (status = 200, description = "The item", body = Record),
        (status = 409, description = "The item has already been assessed", body = ErrorBody),
    ))]
pub(super) async fn assess(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ItemAssessment>,
) -> Result<Json<Value>, WebError> {
    let category = b.category.trim();
    if !category.is_empty() && !st.hotline_categories.iter().any(|c| c == category) {
        return Err(WebError::field(
            "category",
            format!(
                "must be one of the hotline's categories: {}",
                st.hotline_categories.join(", ")
            ),
        ));
    }
    let item = st
        .run(move |s, now| s.assess_item(&a, &id, &b, now))
        .await?;
    Ok(Json(json!(item)))
}

/// A second analyst confirms the assessment.
#[utoipa::path(post, path = "/api/v1/hotline/items/{id}/confirmation", operation_id = "confirm_hotline_item", tag = "hotline",
    params(("id" = String, Path, description = "The hotline item's identifier")),
    responses(
        (status = 200, description = "The item", body = Record),
        (status = 409, description = "Nothing to confirm, or the caller made the assessment", body = ErrorBody),
    ))]
pub(super) async fn confirm(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let item = st.run(move |s, now| s.confirm_item(&a, &id, now)).await?;
    Ok(Json(json!(item)))
}

/// Detail of an action.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ActionBody {
    /// For forwarded (required): the hotline abroad. For the others, the
    /// same as `recipient`.
    #[schema(max_length = 10000)]
    detail: Option<String>,
    /// Who it went to: the hosting provider (notice_sent), the police unit
    /// (law_enforcement), the hotline abroad (forwarded).
    #[schema(max_length = 120)]
    recipient: Option<String>,
    /// Their reference: a ticket or case number.
    #[schema(max_length = 120)]
    reference: Option<String>,
}

/// Record an action on an item.
///
/// notice_sent (`recipient`: the hosting provider, `reference`: their
/// ticket), law_enforcement (`recipient`: the police unit, `reference`:
/// their case number), forwarded (`detail` or `recipient`: the hotline
/// abroad) or removed (the URL leaves the list).
#[utoipa::path(post, path = "/api/v1/hotline/items/{id}/actions/{action}", operation_id = "hotline_action", tag = "hotline",
    params(("id" = String, Path, description = "The hotline item's identifier"), ("action" = HotlineAction, Path, description = "The action")),
    request_body = ActionBody,
    responses(
        (status = 200, description = "The item", body = Record),
        (status = 409, description = "The item is not at a state where this action applies", body = ErrorBody),
    ))]
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
    let step = ItemStep {
        recipient: b.recipient.or(b.detail),
        reference: b.reference,
    };
    let item = st
        .run(move |s, now| s.item_step(&a, &id, action, &step, now))
        .await?;
    Ok(Json(json!(item)))
}

/// Published figures computed from the records (analysts, monitors).
#[utoipa::path(get, path = "/api/v1/hotline/figures", operation_id = "hotline_figures", tag = "hotline",
    responses((status = 200, description = "Figures", body = Record)))]
pub(super) async fn figures(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let f = st.run(move |s, now| s.hotline_figures(&a, now)).await?;
    Ok(Json(json!(f)))
}
