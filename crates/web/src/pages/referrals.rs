//! Referrals as the receiving agency answers them, and referral figures
//! per receiving agency. The services a child is referred to are in
//! [`super::services`].

use super::forms::{given, FieldErrors, StaffForm};
use super::layout::{label, render_with, Layout, Staff};
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::casework::ReferralStatus;
use haven_domain::Role;
use haven_store::casework::{AgencyReferrals, Referral, ReferralBox};
use serde::Deserialize;

/// A note field of an answer form (the reason for declining, what was done).
struct NoteField {
    /// The input's id, also the key of its error.
    id: String,
    label: String,
    required: bool,
    value: String,
}

/// One answer the receiving agency may give.
struct AnswerForm {
    status: &'static str,
    button: String,
    note: Option<NoteField>,
}

/// One referral as a row.
struct Row {
    id: String,
    case_id: String,
    child: String,
    service: String,
    reason: String,
    agency: String,
    status: String,
    due: String,
    overdue: bool,
    answer: String,
    forms: Vec<AnswerForm>,
}

/// The note the person typed into a refused answer, kept for the page again.
struct Kept {
    field: String,
    note: String,
}

fn note_id(referral: &str, status: ReferralStatus) -> String {
    format!("n-{referral}-{}", status.as_str())
}

fn answer_forms(tr: Tr, r: &Referral, kept: Option<&Kept>) -> Vec<AnswerForm> {
    let note = |status: ReferralStatus, key: &str| {
        let id = note_id(&r.id, status);
        let value = kept
            .filter(|k| k.field == id)
            .map(|k| k.note.clone())
            .unwrap_or_default();
        NoteField {
            id,
            label: tr.t(key),
            required: status == ReferralStatus::Declined,
            value,
        }
    };
    match r.status {
        ReferralStatus::Sent => vec![
            AnswerForm {
                status: ReferralStatus::Accepted.as_str(),
                button: tr.t("referrals-accept"),
                note: None,
            },
            AnswerForm {
                status: ReferralStatus::Declined.as_str(),
                button: tr.t("referrals-decline"),
                note: Some(note(ReferralStatus::Declined, "referrals-decline-reason")),
            },
        ],
        ReferralStatus::Accepted => vec![AnswerForm {
            status: ReferralStatus::Completed.as_str(),
            button: tr.t("referrals-complete"),
            note: Some(note(ReferralStatus::Completed, "referrals-what-was-done")),
        }],
        _ => Vec::new(),
    }
}

fn rows(tr: Tr, items: &[Referral], incoming: bool, kept: Option<&Kept>) -> Vec<Row> {
    items
        .iter()
        .map(|r| Row {
            id: r.id.clone(),
            case_id: r.case_id.clone(),
            child: r.child_name.clone(),
            service: r.service_name.clone(),
            reason: r.reason.clone(),
            agency: if incoming {
                r.from_agency.clone().unwrap_or_default()
            } else {
                r.to_agency.clone()
            },
            status: label(tr, "referral-status", r.status.as_str()),
            due: if r.overdue {
                tr.t1("referrals-overdue-since", "when", tr.date(r.respond_by))
            } else {
                tr.date(r.respond_by)
            },
            overdue: r.overdue,
            answer: r.answer.clone().unwrap_or_default(),
            forms: if incoming {
                answer_forms(tr, r, kept)
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// One receiving agency's figures, written out.
struct AgencyRow {
    agency: String,
    waiting: String,
    overdue: String,
    late: bool,
    accepted: String,
    completed: String,
    declined: String,
}

#[derive(Template)]
#[template(path = "referrals_by_agency.html")]
struct AgencyTable {
    tr: Tr,
    rows: Vec<AgencyRow>,
}

/// Referral figures per receiving agency, as an HTML table in `tr`'s
/// language (the dashboard and the referrals page show it).
pub fn agency_table_in(tr: Tr, rows: &[AgencyReferrals]) -> String {
    let rows = rows
        .iter()
        .map(|a| AgencyRow {
            agency: a.agency.clone(),
            waiting: tr.number(a.waiting),
            overdue: tr.number(a.overdue),
            late: a.overdue > 0,
            accepted: tr.number(a.accepted),
            completed: tr.number(a.completed),
            declined: tr.number(a.declined),
        })
        .collect();
    AgencyTable { tr, rows }.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "the referral figures could not be rendered");
        String::new()
    })
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ReferralsPage {
    l: Layout,
    /// The heading of the caller's own inbox, when they have one.
    inbox: Option<String>,
    incoming: Vec<Row>,
    outgoing: Vec<Row>,
    by_agency: String,
    errors: FieldErrors,
}

async fn referrals_page(
    st: &AppState,
    staff: &Staff,
    status: StatusCode,
    errors: FieldErrors,
    kept: Option<Kept>,
) -> Response {
    let actor = staff.session.actor.clone();
    let result = st
        .run(move |store, now| {
            let incoming = store.list_referrals(&actor, ReferralBox::Incoming, now)?;
            let outgoing = store.list_referrals(&actor, ReferralBox::Outgoing, now)?;
            let by_agency = store.referrals_by_agency(&actor, now)?;
            Ok((incoming, outgoing, by_agency))
        })
        .await;
    let (incoming, outgoing, by_agency) = match result {
        Ok(r) => r,
        Err(e) => return staff.problem(&e, "/"),
    };
    let tr = staff.tr;
    let actor = &staff.session.actor;
    let inbox = match &actor.agency {
        Some(a) => Some(tr.t1("referrals-to-agency", "agency", a.as_str())),
        None if actor.role == Role::Admin => Some(tr.t("referrals-all")),
        None => None,
    };
    let page = ReferralsPage {
        l: staff.layout(),
        incoming: if inbox.is_some() {
            rows(tr, &incoming, true, kept.as_ref())
        } else {
            Vec::new()
        },
        inbox,
        outgoing: rows(tr, &outgoing, false, None),
        by_agency: agency_table_in(tr, &by_agency),
        errors,
    };
    render_with(status, &page)
}

pub(super) async fn index(State(st): State<AppState>, staff: Staff) -> Response {
    referrals_page(
        &st,
        &staff,
        StatusCode::OK,
        FieldErrors::new(staff.tr),
        None,
    )
    .await
}

/// An answer to a referral as typed.
#[derive(Deserialize)]
pub(super) struct AnswerInput {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

pub(super) async fn answer(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<AnswerInput>,
) -> Response {
    let Some(status) = ReferralStatus::parse(form.status.trim()) else {
        // The status comes from the page's own buttons: anything else is
        // not a form a person filled in.
        let e = crate::error::WebError::bad_request("no such answer to a referral");
        return staff.problem(&e, "/referrals");
    };
    let field = note_id(&id, status);
    let note = given(&form.note);
    let mut errors = FieldErrors::new(staff.tr);
    if status == ReferralStatus::Declined && note.is_none() {
        errors.add(&field, "referrals-error-reason");
    }
    let kept = Kept {
        field: field.clone(),
        note: form.note.clone(),
    };
    if !errors.is_empty() {
        return referrals_page(
            &st,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            Some(kept),
        )
        .await;
    }
    let actor = staff.session.actor.clone();
    match st
        .run(move |store, now| store.answer_referral(&actor, &id, status, note.as_deref(), now))
        .await
    {
        Ok(_) => Redirect::to("/referrals").into_response(),
        Err(e) => {
            let key = if status == ReferralStatus::Declined {
                "referrals-error-reason"
            } else {
                "referrals-error-note"
            };
            match FieldErrors::from_store(staff.tr, e, |f| (f == "note").then_some(key)) {
                Ok(store_errors) => {
                    // The store names the field `note`; the page names it by
                    // its form, since each referral has its own.
                    let mut errors = FieldErrors::new(staff.tr);
                    if store_errors.has("note") {
                        errors.add(&field, key);
                    }
                    referrals_page(
                        &st,
                        &staff,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        errors,
                        Some(kept),
                    )
                    .await
                }
                Err(e) => staff.problem(&e, "/referrals"),
            }
        }
    }
}
