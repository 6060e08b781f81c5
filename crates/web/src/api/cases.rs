//! Cases, the services directory and referrals (C3, C4).

use super::openapi::{ErrorBody, Page, Record};
use super::{flag, ApiJson};
use crate::auth::ApiCaller;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use haven_domain::assessment::RiskLevel;
use haven_domain::casework::CaseStep;
use haven_domain::casework::{
    CaseAction, Consent, ExploitationForm, NewService, ReferralKind, ReferralStatus,
};
use haven_store::casework::{CaseFilter, CaseSort, ReferralBox, ReferralFilter};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use utoipa::ToSchema;

/// The services directory.
#[utoipa::path(get, path = "/api/v1/services", operation_id = "list_services", tag = "services",
    responses((status = 200, description = "Services", body = Page)))]
pub(super) async fn services(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let items = st.run(move |s, _| s.list_services(&a, None)).await?;
    Ok(Json(json!({"items": items, "next": null})))
}

/// Add a service to the directory (admin).
#[utoipa::path(post, path = "/api/v1/services", operation_id = "create_service", tag = "services",
    request_body = NewService,
    responses((status = 201, description = "The service", body = Record)))]
pub(super) async fn create_service(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    ApiJson(n): ApiJson<NewService>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let created = st.run(move |s, now| s.create_service(&a, &n, now)).await?;
    Ok((StatusCode::CREATED, Json(json!(created))))
}

/// A new case.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewCase {
    /// User name; defaults to the caller.
    assigned_to: Option<String>,
}

/// Open a case for a child (one open case per child).
#[utoipa::path(post, path = "/api/v1/children/{id}/cases", operation_id = "open_case", tag = "cases",
    params(("id" = String, Path, description = "The child's record number")),
    request_body = NewCase,
    responses(
        (status = 201, description = "The case", body = Record,
            links(
                ("read" = (operation_id = "read_case", parameters(("id" = "$response.body#/id")))),
                ("step" = (operation_id = "case_step", parameters(("id" = "$response.body#/id")))),
                ("note" = (operation_id = "case_note", parameters(("id" = "$response.body#/id")))),
                ("consent" = (operation_id = "case_consent", parameters(("id" = "$response.body#/id")))),
                ("adoptability" = (operation_id = "case_adoptability", parameters(("id" = "$response.body#/id")))),
                ("assign" = (operation_id = "assign_case", parameters(("id" = "$response.body#/id")))),
                ("refer" = (operation_id = "refer", parameters(("id" = "$response.body#/id")))),
            )),
        (status = 409, description = "The child already has an open case", body = ErrorBody),
    ))]
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

/// The case filter a query string asks for (shared with the pages). An
/// empty value is no filter (a form's "any" choice).
pub fn case_filter(q: &HashMap<String, String>) -> Result<CaseFilter, WebError> {
    const KNOWN: [&str; 13] = [
        "mine",
        "overdue",
        "awaiting_approval",
        "closed",
        "child",
        "step",
        "risk",
        "worker",
        "agency",
        "place",
        "sort",
        "cursor",
        "limit",
    ];
    if let Some(k) = q.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(WebError::field(k, "is not a case filter"));
    }
    let given = |k: &str| q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let step = given("step")
        .map(|v| CaseStep::parse(v).ok_or_else(|| WebError::field("step", "is not a case step")))
        .transpose()?;
    let level = given("risk")
        .map(|v| match v {
            "unassessed" => Ok(None),
            v => RiskLevel::parse(v).map(Some).ok_or_else(|| {
                WebError::field("risk", "must be low, medium, high, critical or unassessed")
            }),
        })
        .transpose()?;
    let sort = given("sort")
        .map(|v| {
            CaseSort::parse(v)
                .ok_or_else(|| WebError::field("sort", "must be due, risk or updated"))
        })
        .transpose()?
        .unwrap_or_default();
    let (offset, limit) = paging(q, 200)?;
    Ok(CaseFilter {
        mine: flag(q, "mine")?,
        overdue: flag(q, "overdue")?,
        awaiting_approval: flag(q, "awaiting_approval")?,
        include_closed: flag(q, "closed")?,
        child_id: given("child").map(str::to_string),
        step,
        level,
        worker: given("worker").map(str::to_string),
        agency: given("agency").map(str::to_string),
        place: given("place").map(str::to_string),
        sort,
        offset,
        limit,
    })
}

/// A list's page from a query string: where it starts (`cursor`, the
/// previous page's `next`) and how many it holds (`limit`, 1 to `max`;
/// 0 when not given, for the list's own default).
pub(super) fn paging(q: &HashMap<String, String>, max: usize) -> Result<(usize, usize), WebError> {
    // Numbers, unlike the filters beside them: given empty, they are not
    // "any" but a mistake, and the document says so.
    let given = |k: &str| q.get(k).map(|v| v.trim());
    let offset = match given("cursor") {
        None => 0,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= 1_000_000)
            .ok_or_else(|| {
                WebError::field("cursor", "must be the next value of a previous page")
            })?,
    };
    let limit = match given("limit") {
        None => 0,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                WebError::field("limit", format!("must be a whole number from 1 to {max}"))
            })?,
    };
    Ok((offset, limit))
}

/// Where the next page of a list of cases starts, when this page was full.
pub fn next_cursor(f: &CaseFilter, returned: usize) -> Option<String> {
    let limit = if f.limit == 0 { 200 } else { f.limit };
    (returned >= limit).then(|| (f.offset + returned).to_string())
}

/// Cases in your scope, soonest due first.
#[utoipa::path(get, path = "/api/v1/cases", operation_id = "list_cases", tag = "cases",
    params(
        ("mine" = Option<bool>, Query, description = "Only cases assigned to the caller"),
        ("overdue" = Option<bool>, Query, description = "Only overdue cases"),
        ("awaiting_approval" = Option<bool>, Query, description = "Only cases waiting for a supervisor"),
        ("closed" = Option<bool>, Query, description = "Include closed cases"),
        ("child" = Option<String>, Query, description = "Only this child's cases"),
        ("step" = Option<String>, Query, description = "Only cases at this step"),
        ("risk" = Option<String>, Query, description = "Only cases at this risk level (low, medium, high, critical, unassessed)"),
        ("worker" = Option<String>, Query, description = "Only cases assigned to this caseworker"),
        ("agency" = Option<String>, Query, description = "Only cases held by this agency"),
        ("place" = Option<String>, Query, description = "Only cases of children in this place (location code)"),
        ("sort" = Option<String>, Query, description = "due (default), risk or updated"),
        ("cursor" = Option<String>, Query, description = "Where the page starts: the previous page's next"),
        ("limit" = Option<u32>, Query, description = "Cases per page, 1 to 200 (default 200)"),
    ),
    responses((status = 200, description = "Items", body = Page,
        links(
            ("read" = (operation_id = "read_case", parameters(("id" = "$response.body#/items/0/id")))),
            ("step" = (operation_id = "case_step", parameters(("id" = "$response.body#/items/0/id")))),
            ("note" = (operation_id = "case_note", parameters(("id" = "$response.body#/items/0/id")))),
            ("consent" = (operation_id = "case_consent", parameters(("id" = "$response.body#/items/0/id")))),
            ("adoptability" = (operation_id = "case_adoptability", parameters(("id" = "$response.body#/items/0/id")))),
            ("assign" = (operation_id = "assign_case", parameters(("id" = "$response.body#/items/0/id")))),
            ("refer" = (operation_id = "refer", parameters(("id" = "$response.body#/items/0/id")))),
        ))))]
pub(super) async fn list(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    super::typed_not_empty(&q, &["mine", "overdue", "awaiting_approval", "closed"])?;
    let f = case_filter(&q)?;
    let paging = f.clone();
    let items = st.run(move |s, now| s.list_cases(&a, &f, now)).await?;
    let next = next_cursor(&paging, items.len());
    Ok(Json(json!({"items": items, "next": next})))
}

/// Open, overdue and awaiting-approval counts in your scope.
#[utoipa::path(get, path = "/api/v1/cases/counts", operation_id = "case_counts", tag = "cases",
    responses((status = 200, description = "Counts", body = Record)))]
pub(super) async fn counts(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let c = st.run(move |s, now| s.case_counts(&a, now)).await?;
    Ok(Json(json!(c)))
}

/// A case with its history, referrals and suggested referrals (audited).
#[utoipa::path(get, path = "/api/v1/cases/{id}", operation_id = "read_case", tag = "cases",
    params(("id" = String, Path, description = "The case's identifier")),
    responses((status = 200, description = "The case file", body = Record)))]
pub(super) async fn read(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let file = st.run(move |s, now| s.get_case(&a, &id, now)).await?;
    Ok(Json(json!(file)))
}

/// Text for a step.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct StepText {
    /// The plan, follow-up finding or reason.
    #[schema(max_length = 10000)]
    text: Option<String>,
}

/// Move a case to its next step.
///
/// `text` is the plan, follow-up finding or reason, required for
/// submit_plan, return_plan, follow_up, request_closure, reject_closure and
/// reopen. Approvals are for supervisors.
#[utoipa::path(post, path = "/api/v1/cases/{id}/steps/{action}", operation_id = "case_step", tag = "cases",
    params(("id" = String, Path, description = "The case's identifier"), ("action" = String, Path, pattern = "^(record_assessment|submit_plan|approve_plan|return_plan|follow_up|request_closure|approve_closure|reject_closure|reopen)$", description = "The step")),
    request_body = StepText,
    responses(
        (status = 200, description = "The case", body = Record),
        (status = 409, description = "The case is not at a step where this action applies", body = ErrorBody),
    ))]
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

/// A note.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Note {
    /// The note.
    #[schema(
        max_length = 10000,
        pattern = r"^[^\u0000]*[^\u0000\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000]*$"
    )]
    text: String,
}

/// Add an encrypted case note.
#[utoipa::path(post, path = "/api/v1/cases/{id}/notes", operation_id = "case_note", tag = "cases",
    params(("id" = String, Path, description = "The case's identifier")),
    request_body = Note,
    responses((status = 201, description = "Recorded: `{\"recorded\": true}`", body = Record)))]
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

/// Consent and the child's views.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ConsentBody {
    /// Whether consent was asked and given.
    consent: Consent,
    /// The child's own views.
    #[schema(max_length = 10000)]
    child_views: Option<String>,
}

/// Record consent and the child's views.
#[utoipa::path(post, path = "/api/v1/cases/{id}/consent", operation_id = "case_consent", tag = "cases",
    params(("id" = String, Path, description = "The case's identifier")),
    request_body = ConsentBody,
    responses((status = 200, description = "The case", body = Record)))]
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

/// The form of exploitation a case is about.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ExploitationBody {
    /// The form, or `null` to clear it.
    form: Option<ExploitationForm>,
}

/// Record (or clear) the form of exploitation a case is about: sale,
/// trafficking, sexual exploitation, abuse material, online grooming or
/// sextortion, child marriage, forced labour or another. Victims per
/// 100,000 children are counted by it. Audited.
#[utoipa::path(post, path = "/api/v1/cases/{id}/exploitation", operation_id = "case_exploitation", tag = "cases",
    params(("id" = String, Path, description = "The case's identifier")),
    request_body = ExploitationBody,
    responses((status = 200, description = "The case, with `exploitation`", body = Record)))]
pub(super) async fn exploitation(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ExploitationBody>,
) -> Result<Json<Value>, WebError> {
    let case = st
        .run(move |s, now| s.record_exploitation(&a, &id, b.form, now))
        .await?;
    Ok(Json(json!(case)))
}

/// An adoptability determination.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Adoptability {
    /// The determination.
    #[schema(
        max_length = 10000,
        pattern = r"^[^\u0000]*[^\u0000\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000]*$"
    )]
    determination: String,
}

/// Record an adoptability determination (supervisor).
#[utoipa::path(post, path = "/api/v1/cases/{id}/adoptability", operation_id = "case_adoptability", tag = "cases",
    params(("id" = String, Path, description = "The case's identifier")),
    request_body = Adoptability,
    responses((status = 200, description = "The case", body = Record)))]
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

/// A reassignment or transfer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Assignment {
    /// The user the case goes to.
    assigned_to: String,
    /// Set to transfer the case (and the child's record) to another agency: its code.
    #[schema(pattern = r"^\s*[A-Za-z0-9_-]{1,32}\s*$")]
    agency: Option<String>,
    /// Why.
    #[schema(required = true, value_type = String, max_length = 10000, pattern = r"^[^\u0000]*[^\u0000\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000]*$")]
    reason: Option<String>,
}

/// Reassign a case, or transfer it to another agency (supervisor).
#[utoipa::path(post, path = "/api/v1/cases/{id}/assignment", operation_id = "assign_case", tag = "cases",
    params(("id" = String, Path, description = "The case's identifier")),
    request_body = Assignment,
    responses((status = 200, description = "The case", body = Record)))]
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

/// A referral.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewReferral {
    /// The service.
    service_id: String,
    /// `service` (default) or `adoption`.
    #[serde(default = "service_kind")]
    kind: ReferralKind,
    /// Why.
    #[schema(
        max_length = 10000,
        pattern = r"^[^\u0000]*[^\u0000\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000]*$"
    )]
    reason: String,
}

fn service_kind() -> ReferralKind {
    ReferralKind::Service
}

/// Refer the child to a service covering their district.
///
/// An adoption referral needs an adoptability determination (422).
#[utoipa::path(post, path = "/api/v1/cases/{id}/referrals", operation_id = "refer", tag = "referrals",
    params(("id" = String, Path, description = "The case's identifier")),
    request_body = NewReferral,
    responses(
        (status = 201, description = "The referral", body = Record,
            links(("answer" = (operation_id = "answer_referral", parameters(("id" = "$response.body#/id")))))),
        (status = 409, description = "The case is closed, or the child is already referred there", body = ErrorBody),
    ))]
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

/// The referral filter a query string asks for (shared with the pages).
/// An empty value is no filter.
pub fn referral_filter(q: &HashMap<String, String>) -> Result<ReferralFilter, WebError> {
    const KNOWN: [&str; 7] = [
        "box", "status", "overdue", "agency", "place", "cursor", "limit",
    ];
    if let Some(k) = q.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(WebError::field(k, "is not a referral filter"));
    }
    let given = |k: &str| q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    // Unlike the filters, the box is never left empty: the page sets none.
    let which = match q.get("box").map(String::as_str) {
        None | Some("incoming") => ReferralBox::Incoming,
        Some("outgoing") => ReferralBox::Outgoing,
        Some(_) => return Err(WebError::field("box", "must be incoming or outgoing")),
    };
    let status = given("status")
        .map(|v| {
            ReferralStatus::parse(v).ok_or_else(|| {
                WebError::field("status", "must be sent, accepted, declined or completed")
            })
        })
        .transpose()?;
    let (offset, limit) = paging(q, 500)?;
    Ok(ReferralFilter {
        which,
        status,
        overdue: flag(q, "overdue")?,
        agency: given("agency").map(str::to_string),
        place: given("place").map(str::to_string),
        offset,
        limit,
    })
}

/// Referrals to your agency (`box=incoming`) or sent for your cases (`box=outgoing`).
#[utoipa::path(get, path = "/api/v1/referrals", operation_id = "list_referrals", tag = "referrals",
    params(
        ("box" = Option<String>, Query, pattern = "^(incoming|outgoing)$", description = "incoming (default) or outgoing"),
        ("status" = Option<String>, Query, description = "Only referrals with this status (sent, accepted, declined, completed)"),
        ("overdue" = Option<bool>, Query, description = "Only referrals waiting past their deadline"),
        ("agency" = Option<String>, Query, description = "Only referrals to this receiving agency"),
        ("place" = Option<String>, Query, description = "Only referrals of children in this place (location code)"),
        ("cursor" = Option<String>, Query, description = "Where the page starts: the previous page's next"),
        ("limit" = Option<u32>, Query, description = "Referrals per page, 1 to 500 (default 500)"),
    ),
    responses((status = 200, description = "Items", body = Page,
        links(
            ("read" = (operation_id = "read_referral", parameters(("id" = "$response.body#/items/0/id")))),
            ("answer" = (operation_id = "answer_referral", parameters(("id" = "$response.body#/items/0/id")))),
        ))))]
pub(super) async fn referrals(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    super::typed_not_empty(&q, &["overdue"])?;
    let f = referral_filter(&q)?;
    let (offset, limit) = (f.offset, if f.limit == 0 { 500 } else { f.limit });
    let items = st.run(move |s, now| s.list_referrals(&a, &f, now)).await?;
    let next = (items.len() >= limit).then(|| (offset + items.len()).to_string());
    Ok(Json(json!({"items": items, "next": next})))
}

/// One referral with what the receiving agency needs to act: the child's
/// age, sex and district, what is asked, who referred and how to reach
/// them, and the caregivers' contacts when consent was given (audited).
#[utoipa::path(get, path = "/api/v1/referrals/{id}", operation_id = "read_referral", tag = "referrals",
    params(("id" = String, Path, description = "The referral's identifier")),
    responses((status = 200, description = "The referral", body = Record,
        links(("answer" = (operation_id = "answer_referral", parameters(("id" = "$response.body#/id"))))))))]
pub(super) async fn referral(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let brief = st.run(move |s, now| s.referral_brief(&a, &id, now)).await?;
    Ok(Json(json!(brief)))
}

/// An answer to a referral.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ReferralAnswer)]
pub(super) struct Answer {
    /// What the receiving agency says.
    status: AnswerStatus,
    /// Required to decline.
    #[schema(max_length = 10000)]
    note: Option<String>,
}

/// The answers an agency may give (a referral is `sent` by the case's side).
#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(super) enum AnswerStatus {
    /// The agency takes the child on.
    Accepted,
    /// The agency cannot (a note says why).
    Declined,
    /// The service was given.
    Completed,
}

impl From<AnswerStatus> for ReferralStatus {
    fn from(a: AnswerStatus) -> Self {
        match a {
            AnswerStatus::Accepted => ReferralStatus::Accepted,
            AnswerStatus::Declined => ReferralStatus::Declined,
            AnswerStatus::Completed => ReferralStatus::Completed,
        }
    }
}

/// Accept, decline (with a note) or complete a referral to your agency.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/answer", operation_id = "answer_referral", tag = "referrals",
    params(("id" = String, Path, description = "The referral's identifier")),
    request_body = Answer,
    responses(
        (status = 200, description = "The referral", body = Record),
        (status = 409, description = "The referral has already been answered that way", body = ErrorBody),
    ))]
pub(super) async fn answer(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<Answer>,
) -> Result<Json<Value>, WebError> {
    let r = st
        .run(move |s, now| s.answer_referral(&a, &id, b.status.into(), b.note.as_deref(), now))
        .await?;
    Ok(Json(json!(r)))
}

/// Waiting, overdue, accepted, completed and declined referrals per receiving agency.
#[utoipa::path(get, path = "/api/v1/referrals/by-agency", operation_id = "referrals_by_agency", tag = "referrals",
    responses((status = 200, description = "Items", body = Page)))]
pub(super) async fn by_agency(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let items = st.run(move |s, now| s.referrals_by_agency(&a, now)).await?;
    Ok(Json(json!({"items": items})))
}
