//! Case pages: the case list, one case with the forms for its next steps,
//! the case part of a child's page, and the form posts that move a case.
//! What a role may do is decided by the store; the page only hides buttons
//! that would be refused. A form refused for what was typed comes back as
//! the case page again, 422, the typed values kept and the error beside
//! its field.

use super::case_guidance;
use super::children::{child_page, store_errors, ChildExtras};
use super::forms::{given, DoneQuery, FieldErrors, StaffForm};
use super::layout::{label, render_with, Layout, Staff};
use super::layout::{vocabulary_options, Opt};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::casework::{
    CaseAction, CaseStep, Consent, ExploitationForm, PlanStatus, ReferralKind, ReferralStatus,
    Sector,
};
use haven_domain::Role;
use haven_store::assessments::AssessmentRecord;
use haven_store::casework::{Case, CaseFile};
use haven_store::{Store, StoreResult};
use serde::Deserialize;

/// A step in the reader's words.
pub(super) fn step_text(tr: Tr, s: CaseStep) -> String {
    label(tr, "case-step", s.as_str())
}

pub(super) fn risk_text(tr: Tr, c: &Case) -> String {
    c.level.map_or_else(
        || tr.t("case-not-assessed"),
        |l| label(tr, "risk-level", l.as_str()),
    )
}

/// When a case's next action is due, and whether that is past.
pub(super) struct Due {
    pub text: String,
    pub late: bool,
}

pub(super) fn due(tr: Tr, c: &Case, now: i64) -> Due {
    match c.next_due_at {
        None => Due {
            text: tr.t("case-due-none"),
            late: false,
        },
        Some(d) if c.overdue => Due {
            text: tr.t1("case-due-overdue", "when", tr.date(d)),
            late: true,
        },
        Some(d) if d - now < 86_400 => Due {
            text: tr.t1("case-due-soon", "when", tr.date(d)),
            late: false,
        },
        Some(d) => Due {
            text: tr.date(d),
            late: false,
        },
    }
}

/// One form that moves a case a step on.
struct StepForm {
    action: &'static str,
    button: String,
    /// The question its text answers, when it needs words.
    question: Option<String>,
    value: String,
}

/// What was typed into the case page's forms, kept when one is refused.
#[derive(Default)]
struct Typed {
    action: String,
    text: String,
    note: String,
    consent: Option<String>,
    child_views: String,
    exploitation: Option<String>,
    assigned_to: String,
    agency: String,
    move_reason: String,
    determination: String,
    service_id: String,
    kind: String,
    reason: String,
    without_consent: String,
}

struct CaseView {
    id: String,
    child_id: String,
    child_name: String,
    step: String,
    risk: String,
    urgent: bool,
    assigned: String,
    agency: Option<String>,
    due: Due,
    consent: String,
    views: Option<String>,
    adoptability: Option<String>,
    plan: Option<String>,
    exploitation: String,
}

struct ReferralRow {
    service: String,
    agency: String,
    status: String,
    adoption: bool,
    answer: String,
    deadline: Due,
}

struct ReferForm {
    /// Services the latest assessment recommends or Haven suggests, first.
    recommended: Vec<Opt>,
    services: Vec<Opt>,
    kinds: Vec<Opt>,
    reason: String,
    /// Consent is not recorded: the form warns and asks why.
    without_consent: Option<String>,
}

struct EventLine {
    head: String,
    text: String,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    l: Layout,
    notice: Option<String>,
    c: CaseView,
    steps: Vec<(String, bool)>,
    suggestions: Vec<String>,
    assess_first: bool,
    step_forms: Vec<StepForm>,
    closure_waiting: bool,
    /// What happens next and who acts.
    next: String,
    /// What raised the latest assessment's risk most.
    drivers: Vec<String>,
    /// A transfer needs a reason, said beside the form, while consent is missing.
    consent_missing: bool,
    referrals: Vec<ReferralRow>,
    refer: Option<ReferForm>,
    note: String,
    consents: Vec<Opt>,
    child_views: String,
    exploitations: Vec<Opt>,
    supervisor: bool,
    assigned_to: String,
    agency: String,
    move_reason: String,
    open_move: bool,
    determination: String,
    open_adoptability: bool,
    events: Vec<EventLine>,
    errors: FieldErrors,
}

/// The forms for what can be done next, by step and role.
fn step_forms(tr: Tr, c: &Case, supervisor: bool, typed: &Typed) -> (Vec<StepForm>, bool) {
    let mut actions = Vec::new();
    let mut closure_waiting = false;
    if c.step == CaseStep::Closed {
        actions.push(CaseAction::Reopen);
    }
    if c.plan_status == PlanStatus::Submitted && supervisor {
        actions.extend([CaseAction::ApprovePlan, CaseAction::ReturnPlan]);
    }
    if matches!(c.step, CaseStep::Assessment | CaseStep::Planning)
        && c.plan_status != PlanStatus::Submitted
    {
        actions.push(CaseAction::SubmitPlan);
    }
    if matches!(c.step, CaseStep::Implementation | CaseStep::FollowUp) {
        actions.push(CaseAction::RecordFollowUp);
        if !c.closure_requested {
            actions.push(CaseAction::RequestClosure);
        } else if supervisor {
            actions.extend([CaseAction::ApproveClosure, CaseAction::RejectClosure]);
        } else {
            closure_waiting = true;
        }
    }
    let forms = actions
        .into_iter()
        .map(|a| {
            let name = a.as_str();
            StepForm {
                action: name,
                button: tr.t(&format!("case-action-{name}")),
                question: a.needs_text().then(|| tr.t(&format!("case-text-{name}"))),
                value: if typed.action == name {
                    typed.text.clone()
                } else {
                    String::new()
                },
            }
        })
        .collect();
    (forms, closure_waiting)
}

fn referral_form(
    tr: Tr,
    file: &CaseFile,
    latest: Option<&AssessmentRecord>,
    typed: &Typed,
) -> Option<ReferForm> {
    if file.case.step == CaseStep::Closed || file.available_services.is_empty() {
        return None;
    }
    let (recommended, services) =
        case_guidance::service_groups(tr, file, latest, &typed.service_id);
    let kinds: Vec<&str> = ReferralKind::ALL.iter().map(|k| k.as_str()).collect();
    Some(ReferForm {
        recommended,
        services,
        kinds: vocabulary_options(tr, "referral-kind", &kinds, &typed.kind),
        reason: typed.reason.clone(),
        without_consent: case_guidance::consent_missing(&file.case)
            .then(|| typed.without_consent.clone()),
    })
}

fn event_kind(tr: Tr, kind: &str) -> String {
    let key = format!("case-event-{kind}");
    if tr.has(&key) {
        tr.t(&key)
    } else {
        kind.replace('_', " ")
    }
}

/// The confirmations a case page may show after a change (`?done=`).
const DONE: [&str; 14] = [
    "opened",
    "submit_plan",
    "approve_plan",
    "return_plan",
    "follow_up",
    "request_closure",
    "approve_closure",
    "reject_closure",
    "reopen",
    "note",
    "consent",
    "adoptability",
    "referral",
    "exploitation",
];

/// The case page, with what was typed into a refused form and its errors.
async fn case_page(
    st: &AppState,
    staff: &Staff,
    id: String,
    done: Option<&str>,
    typed: Typed,
    errors: FieldErrors,
) -> Response {
    let tr = staff.tr;
    let actor = staff.session.actor.clone();
    let found = st
        .run(move |store, now| {
            let file = store.get_case(&actor, &id, now)?;
            let latest = store
                .child_assessments(&actor, &file.case.child_id, now)?
                .pop();
            Ok((file, latest))
        })
        .await;
    let (file, latest) = match found {
        Ok(f) => f,
        Err(e) => return staff.problem(&e, "/cases"),
    };
    let now = st.now();
    let c = &file.case;
    let supervisor = matches!(staff.session.actor.role, Role::Supervisor | Role::Admin);
    let (step_forms, closure_waiting) = step_forms(tr, c, supervisor, &typed);
    let suggestions = file
        .suggested_sectors
        .iter()
        .map(|sector| {
            let name = label(tr, "sector", sector.as_str()).to_lowercase();
            let text = tr.t1("case-suggested", "name", name);
            if *sector == Sector::CivilRegistration {
                format!(
                    "{text} \u{2014} {}",
                    tr.t("case-suggested-civil-registration")
                )
            } else {
                text
            }
        })
        .collect();
    let referrals = file
        .referrals
        .iter()
        .map(|r| ReferralRow {
            service: r.service_name.clone(),
            agency: r.to_agency.clone(),
            status: label(tr, "referral-status", r.status.as_str()),
            adoption: r.kind == ReferralKind::Adoption,
            answer: r.answer.clone().unwrap_or_default(),
            deadline: if r.overdue {
                Due {
                    text: tr.t1("case-referral-late", "when", tr.date(r.respond_by)),
                    late: true,
                }
            } else if r.status == ReferralStatus::Sent {
                Due {
                    text: tr.t1("case-referral-due", "when", tr.date(r.respond_by)),
                    late: false,
                }
            } else {
                Due {
                    text: String::new(),
                    late: false,
                }
            },
        })
        .collect();
    let consent_values: Vec<&str> = Consent::ALL.iter().map(|k| k.as_str()).collect();
    let chosen_consent = typed
        .consent
        .clone()
        .unwrap_or_else(|| c.consent.as_str().to_string());
    let chosen_form = typed.exploitation.clone().unwrap_or_else(|| {
        c.exploitation
            .map(|f| f.as_str().to_string())
            .unwrap_or_default()
    });
    let events = file
        .events
        .iter()
        .rev()
        .map(|e| EventLine {
            head: tr.with(
                "case-event",
                &[
                    ("when", &tr.date(e.at)),
                    ("who", &e.author),
                    ("name", &event_kind(tr, &e.kind)),
                ],
            ),
            text: e.text.clone(),
        })
        .collect();
    let notice = done
        .filter(|d| DONE.contains(d))
        .map(|d| tr.t(&format!("case-done-{d}")));
    let page = CasePage {
        l: staff.layout(),
        notice,
        c: CaseView {
            id: c.id.clone(),
            child_id: c.child_id.clone(),
            child_name: c.child_name.clone(),
            step: step_text(tr, c.step),
            risk: risk_text(tr, c),
            urgent: c.urgent,
            assigned: c.assigned_to.clone(),
            agency: c.agency.clone(),
            due: due(tr, c, now),
            consent: label(tr, "consent", c.consent.as_str()),
            views: c.child_views.clone(),
            adoptability: c.adoptability.clone(),
            plan: c.plan.clone(),
            exploitation: c.exploitation.map_or_else(
                || tr.t("case-exploitation-none"),
                |f| label(tr, "exploitation", f.as_str()),
            ),
        },
        steps: CaseStep::ALL
            .iter()
            .map(|s| (step_text(tr, *s), *s == c.step))
            .collect(),
        suggestions,
        assess_first: c.step == CaseStep::Identification,
        step_forms,
        closure_waiting,
        next: case_guidance::next_step(tr, c),
        drivers: case_guidance::drivers(latest.as_ref()),
        consent_missing: case_guidance::consent_missing(c),
        referrals,
        refer: referral_form(tr, &file, latest.as_ref(), &typed),
        note: typed.note.clone(),
        consents: vocabulary_options(tr, "consent", &consent_values, &chosen_consent),
        child_views: typed.child_views.clone(),
        exploitations: std::iter::once(Opt::new("", tr.t("case-exploitation-none"), &chosen_form))
            .chain(ExploitationForm::ALL.iter().map(|f| {
                Opt::new(
                    f.as_str(),
                    label(tr, "exploitation", f.as_str()),
                    &chosen_form,
                )
            }))
            .collect(),
        supervisor: supervisor && c.step != CaseStep::Closed,
        open_move: ["assigned_to", "agency", "move_reason"]
            .iter()
            .any(|f| errors.has(f)),
        open_adoptability: errors.has("determination"),
        assigned_to: typed.assigned_to,
        agency: typed.agency,
        move_reason: typed.move_reason,
        determination: typed.determination,
        events,
        errors,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_with(status, &page)
}

pub(super) async fn show(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let errors = FieldErrors::new(staff.tr);
    case_page(&st, &staff, id, q.done.as_deref(), Typed::default(), errors).await
}

/// The case part of a child's page: the open case, or the form to open one.
pub(super) struct CaseSection {
    pub child_id: String,
    /// The open case's id and a line about it.
    pub open: Option<(String, String)>,
    /// How many closed cases the child has had, in words.
    pub closed: Option<String>,
    /// Whether the form asks who will hold the case (for a person who
    /// cannot hold it themselves).
    pub ask_assignee: bool,
    pub assigned_to: String,
}

/// The case part of a child's page.
pub(super) fn child_section(
    tr: Tr,
    child_id: &str,
    cases: &[Case],
    now: i64,
    role: Role,
    assigned_to: &str,
) -> CaseSection {
    let open = cases.iter().find(|c| c.step != CaseStep::Closed);
    let closed = cases.iter().filter(|c| c.step == CaseStep::Closed).count();
    CaseSection {
        child_id: child_id.to_string(),
        open: open.map(|c| {
            let line = tr.with(
                "case-section-summary",
                &[
                    ("name", &step_text(tr, c.step)),
                    ("level", &risk_text(tr, c)),
                    ("when", &due(tr, c, now).text),
                ],
            );
            (c.id.clone(), line)
        }),
        closed: (closed > 0).then(|| tr.t1("case-section-closed", "count", closed)),
        ask_assignee: !matches!(role, Role::Caseworker | Role::Supervisor),
        assigned_to: assigned_to.to_string(),
    }
}

/// The form that opens a case.
#[derive(Deserialize)]
pub(super) struct OpenForm {
    #[serde(default)]
    assigned_to: String,
}

pub(super) async fn open(
    State(st): State<AppState>,
    Path(child): Path<String>,
    StaffForm { staff, form }: StaffForm<OpenForm>,
) -> Response {
    let actor = staff.session.actor.clone();
    let assigned = given(&form.assigned_to);
    let child2 = child.clone();
    match st
        .run(move |store, now| store.open_case(&actor, &child2, assigned.as_deref(), now))
        .await
    {
        Ok(c) => Redirect::to(&format!("/cases/{}?done=opened", c.id)).into_response(),
        Err(e) => match store_errors(staff.tr, e, |f| {
            (f == "assigned_to").then_some(("assigned_to", "case-error-assigned-to"))
        }) {
            Ok(errors) => {
                let extras = ChildExtras {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    assigned_to: form.assigned_to,
                    errors,
                    ..ChildExtras::none(staff.tr)
                };
                child_page(&st, &staff, child, extras).await
            }
            Err(e) => staff.problem(&e, &format!("/children/{child}")),
        },
    }
}

/// Answers a case form: the case page with `done` after a change, the page
/// again with the errors beside the fields the store refused (`map` names
/// the field and message), or a refusal.
async fn finish<T: Send + 'static>(
    st: &AppState,
    staff: &Staff,
    id: String,
    done: &str,
    typed: Typed,
    map: fn(&str) -> Option<(&'static str, &'static str)>,
    op: impl FnOnce(&dyn Store, i64) -> StoreResult<T> + Send + 'static,
) -> Response {
    match st.run(op).await {
        Ok(_) => Redirect::to(&format!("/cases/{id}?done={done}")).into_response(),
        Err(e) => match store_errors(staff.tr, e, map) {
            Ok(errors) => case_page(st, staff, id, None, typed, errors).await,
            Err(e) => staff.problem(&e, &format!("/cases/{id}")),
        },
    }
}

/// A text the store keeps: at most 10,000 characters.
fn too_long(t: &str) -> bool {
    t.chars().count() > 10_000
}

/// The text that goes with a step.
#[derive(Deserialize)]
pub(super) struct StepFormData {
    #[serde(default)]
    text: String,
}

pub(super) async fn step(
    State(st): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    StaffForm { staff, form }: StaffForm<StepFormData>,
) -> Response {
    let back = format!("/cases/{id}");
    let Some(action) = CaseAction::parse(&action) else {
        let e = WebError::new(StatusCode::NOT_FOUND, "not_found", "no such step");
        return staff.problem(&e, &back);
    };
    let field = format!("t-{}", action.as_str());
    let mut errors = FieldErrors::new(staff.tr);
    if action.needs_text() && form.text.trim().is_empty() {
        errors.add(&field, "case-error-text");
    } else if too_long(&form.text) {
        errors.add(&field, "case-error-too-long");
    }
    let typed = Typed {
        action: action.as_str().to_string(),
        text: form.text.clone(),
        ..Typed::default()
    };
    if !errors.is_empty() {
        return case_page(&st, &staff, id, None, typed, errors).await;
    }
    let actor = staff.session.actor.clone();
    let text = given(&form.text);
    let id2 = id.clone();
    // The store names the field `text`; on this page it is the step's own.
    let map: fn(&str) -> Option<(&'static str, &'static str)> = match action {
        CaseAction::SubmitPlan => |f| (f == "text").then_some(("t-submit_plan", "case-error-text")),
        CaseAction::ReturnPlan => |f| (f == "text").then_some(("t-return_plan", "case-error-text")),
        CaseAction::RecordFollowUp => {
            |f| (f == "text").then_some(("t-follow_up", "case-error-text"))
        }
        CaseAction::RequestClosure => {
            |f| (f == "text").then_some(("t-request_closure", "case-error-text"))
        }
        CaseAction::RejectClosure => {
            |f| (f == "text").then_some(("t-reject_closure", "case-error-text"))
        }
        CaseAction::Reopen => |f| (f == "text").then_some(("t-reopen", "case-error-text")),
        _ => |_| None,
    };
    finish(
        &st,
        &staff,
        id,
        action.as_str(),
        typed,
        map,
        move |store, now| store.case_action(&actor, &id2, action, text.as_deref(), now),
    )
    .await
}

/// A case note.
#[derive(Deserialize)]
pub(super) struct NoteForm {
    #[serde(default)]
    text: String,
}

pub(super) async fn note(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<NoteForm>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    if form.text.trim().is_empty() {
        errors.add("note", "case-error-note");
    } else if too_long(&form.text) {
        errors.add("note", "case-error-too-long");
    }
    let typed = Typed {
        note: form.text.clone(),
        ..Typed::default()
    };
    if !errors.is_empty() {
        return case_page(&st, &staff, id, None, typed, errors).await;
    }
    let actor = staff.session.actor.clone();
    let id2 = id.clone();
    let text = form.text;
    finish(
        &st,
        &staff,
        id,
        "note",
        typed,
        |f| (f == "text").then_some(("note", "case-error-note")),
        move |store, now| store.add_case_note(&actor, &id2, &text, now),
    )
    .await
}

/// Consent and the child's views.
#[derive(Deserialize)]
pub(super) struct ConsentForm {
    #[serde(default)]
    consent: String,
    #[serde(default)]
    child_views: String,
}

pub(super) async fn consent(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<ConsentForm>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    let consent = Consent::parse(form.consent.trim());
    if consent.is_none() {
        errors.add("consent", "case-error-consent");
    }
    if too_long(&form.child_views) {
        errors.add("child_views", "case-error-too-long");
    }
    let typed = Typed {
        consent: Some(form.consent.clone()),
        child_views: form.child_views.clone(),
        ..Typed::default()
    };
    let Some(consent) = consent.filter(|_| errors.is_empty()) else {
        return case_page(&st, &staff, id, None, typed, errors).await;
    };
    let actor = staff.session.actor.clone();
    let id2 = id.clone();
    let views = given(&form.child_views);
    finish(
        &st,
        &staff,
        id,
        "consent",
        typed,
        |f| match f {
            "consent" => Some(("consent", "case-error-consent")),
            "child_views" => Some(("child_views", "case-error-too-long")),
            _ => None,
        },
        move |store, now| store.record_consent(&actor, &id2, consent, views.as_deref(), now),
    )
    .await
}

/// The form of exploitation the case is about.
#[derive(Deserialize)]
pub(super) struct ExploitationChoice {
    #[serde(default)]
    form: String,
}

pub(super) async fn exploitation(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<ExploitationChoice>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    let chosen = form.form.trim();
    let parsed = if chosen.is_empty() {
        Some(None)
    } else {
        ExploitationForm::parse(chosen).map(Some)
    };
    if parsed.is_none() {
        errors.add("exploitation", "case-error-exploitation");
    }
    let typed = Typed {
        exploitation: Some(form.form.clone()),
        ..Typed::default()
    };
    let Some(choice) = parsed.filter(|_| errors.is_empty()) else {
        return case_page(&st, &staff, id, None, typed, errors).await;
    };
    let actor = staff.session.actor.clone();
    let id2 = id.clone();
    finish(
        &st,
        &staff,
        id,
        "exploitation",
        typed,
        |_| None,
        move |store, now| store.record_exploitation(&actor, &id2, choice, now),
    )
    .await
}

/// An adoptability determination.
#[derive(Deserialize)]
pub(super) struct AdoptabilityForm {
    #[serde(default)]
    determination: String,
}

pub(super) async fn adoptability(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<AdoptabilityForm>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    if form.determination.trim().is_empty() {
        errors.add("determination", "case-error-determination");
    } else if too_long(&form.determination) {
        errors.add("determination", "case-error-too-long");
    }
    let typed = Typed {
        determination: form.determination.clone(),
        ..Typed::default()
    };
    if !errors.is_empty() {
        return case_page(&st, &staff, id, None, typed, errors).await;
    }
    let actor = staff.session.actor.clone();
    let id2 = id.clone();
    let text = form.determination;
    finish(
        &st,
        &staff,
        id,
        "adoptability",
        typed,
        |f| {
            (f == "determination" || f == "text")
                .then_some(("determination", "case-error-determination"))
        },
        move |store, now| store.record_adoptability(&actor, &id2, &text, now),
    )
    .await
}

/// A reassignment or transfer.
#[derive(Deserialize)]
pub(super) struct AssignmentForm {
    #[serde(default)]
    assigned_to: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    reason: String,
}

pub(super) async fn assignment(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<AssignmentForm>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    if form.assigned_to.trim().is_empty() {
        errors.add("assigned_to", "case-error-assigned-to");
    }
    if form.reason.trim().is_empty() {
        errors.add("move_reason", "case-error-move-reason");
    } else if too_long(&form.reason) {
        errors.add("move_reason", "case-error-too-long");
    }
    let typed = Typed {
        assigned_to: form.assigned_to.clone(),
        agency: form.agency.clone(),
        move_reason: form.reason.clone(),
        ..Typed::default()
    };
    // Only a supervisor moves cases: the store says so to anyone else.
    if !errors.is_empty() && matches!(staff.session.actor.role, Role::Supervisor | Role::Admin) {
        return case_page(&st, &staff, id, None, typed, errors).await;
    }
    let actor = staff.session.actor.clone();
    let to = form.assigned_to.trim().to_string();
    let agency = given(&form.agency);
    let reason = Some(form.reason);
    let id2 = id.clone();
    let tr = staff.tr;
    match st
        .run(move |store, now| {
            let transfer = agency.is_some();
            let missing = transfer
                && case_guidance::consent_missing(&store.get_case(&actor, &id2, now)?.case);
            let moved = store.reassign_case(
                &actor,
                &id2,
                &to,
                agency.as_deref(),
                reason.as_deref(),
                now,
            )?;
            if missing {
                // The reason is already required; the history says it was
                // given for a transfer without consent.
                let why = reason.as_deref().unwrap_or_default();
                let line = tr.t1("case-note-transfer-without-consent", "why", why);
                store.add_case_note(&actor, &id2, &line, now)?;
            }
            Ok(moved)
        })
        .await
    {
        // The case may now be out of the supervisor's area: back to the list.
        Ok(_) => Redirect::to("/cases?done=moved").into_response(),
        Err(e) => {
            let map: fn(&str) -> Option<(&'static str, &'static str)> = |f| match f {
                "assigned_to" => Some(("assigned_to", "case-error-assigned-to")),
                "to_agency" | "agency" => Some(("agency", "case-error-agency")),
                "reason" => Some(("move_reason", "case-error-move-reason")),
                _ => None,
            };
            match store_errors(staff.tr, e, map) {
                Ok(errors) => case_page(&st, &staff, id, None, typed, errors).await,
                Err(e) => staff.problem(&e, &format!("/cases/{id}")),
            }
        }
    }
}

/// A referral to a service.
#[derive(Deserialize)]
pub(super) struct ReferralForm {
    #[serde(default)]
    service_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
    /// Why the referral goes ahead without recorded consent.
    #[serde(default)]
    without_consent: String,
}

pub(super) async fn refer(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<ReferralForm>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    let kind = match form.kind.trim() {
        "" => Some(ReferralKind::Service),
        k => ReferralKind::parse(k),
    };
    if kind.is_none() {
        errors.add("kind", "case-error-kind");
    }
    if form.service_id.trim().is_empty() {
        errors.add("service_id", "case-error-service");
    }
    if form.reason.trim().is_empty() {
        errors.add("reason", "case-error-reason");
    } else if too_long(&form.reason) {
        errors.add("reason", "case-error-too-long");
    }
    let typed = Typed {
        service_id: form.service_id.clone(),
        kind: form.kind.clone(),
        reason: form.reason.clone(),
        without_consent: form.without_consent.clone(),
        ..Typed::default()
    };
    if too_long(&form.without_consent) {
        errors.add("without_consent", "case-error-too-long");
    }
    let Some(kind) = kind.filter(|_| errors.is_empty()) else {
        return case_page(&st, &staff, id, None, typed, errors).await;
    };
    let actor = staff.session.actor.clone();
    let id2 = id.clone();
    let service = form.service_id.trim().to_string();
    let reason = form.reason;
    let without = given(&form.without_consent);
    let tr = staff.tr;
    finish(
        &st,
        &staff,
        id,
        "referral",
        typed,
        |f| match f {
            "service_id" => Some(("service_id", "case-error-service")),
            "kind" => Some(("kind", "case-error-kind")),
            "reason" => Some(("reason", "case-error-reason")),
            "without_consent" => Some(("without_consent", "case-error-without-consent")),
            _ => None,
        },
        move |store, now| {
            // Consent is read where the referral is made, not trusted from the form.
            let missing = case_guidance::consent_missing(&store.get_case(&actor, &id2, now)?.case);
            if missing && without.is_none() {
                return Err(haven_store::StoreError::field(
                    "without_consent",
                    "a referral without recorded consent needs a reason",
                ));
            }
            let referral = store.refer(&actor, &id2, &service, kind, &reason, now)?;
            if let Some(why) = without.filter(|_| missing) {
                let line = tr.t1("case-note-referral-without-consent", "why", why);
                store.add_case_note(&actor, &id2, &line, now)?;
            }
            Ok(referral)
        },
    )
    .await
}
