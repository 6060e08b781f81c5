//! One referral as the receiving agency acts on it: what it needs to
//! provide the service (the child's age, sex and district, what is asked,
//! who referred and how to reach them, the caregivers' contacts when
//! consent allows) and nothing more, with the answer forms. Accepting or
//! declining is confirmed with a tick, and declining needs a reason, so
//! that a child is not turned away by a slip of the finger.

use super::children::{locations, place_name};
use super::forms::{given, ticked, FieldErrors, StaffForm};
use super::layout::{label, render_with, Layout, Staff};
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::casework::{Consent, ReferralStatus};
use haven_domain::Role;
use haven_store::casework::{CaregiverContact, ReferralBrief};
use serde::Deserialize;

/// One answer the agency may give, as a form.
struct AnswerForm {
    status: &'static str,
    button: String,
    /// The note's label, and whether the answer needs one.
    note: Option<(String, bool)>,
    confirm: String,
}

#[derive(Template)]
#[template(path = "referral.html")]
struct ReferralPage {
    l: Layout,
    id: String,
    case_id: String,
    child: String,
    age: String,
    sex: String,
    district: String,
    service: String,
    sector: String,
    reason: String,
    from_agency: String,
    referrer: String,
    referrer_contact: Option<String>,
    sent: String,
    respond_by: String,
    late: bool,
    status: String,
    answer: Option<String>,
    /// `None` when consent does not allow sharing the family's contacts.
    caregivers: Option<Vec<CaregiverContact>>,
    /// Whether the reader refers (their scope holds the case) rather than receives.
    referring: bool,
    forms: Vec<AnswerForm>,
    /// What was typed into a refused answer: (status, note).
    kept: (String, String),
    errors: FieldErrors,
}

/// Whether the reader answers for the receiving agency.
fn receives(staff: &Staff, b: &ReferralBrief) -> bool {
    let a = &staff.session.actor;
    a.role == Role::Admin || a.agency.as_deref() == Some(b.referral.to_agency.as_str())
}

fn forms(tr: crate::i18n::Tr, b: &ReferralBrief) -> Vec<AnswerForm> {
    let confirm = |key: &str| tr.t(key);
    match b.referral.status {
        ReferralStatus::Sent => vec![
            AnswerForm {
                status: ReferralStatus::Accepted.as_str(),
                button: tr.t("referrals-accept"),
                note: None,
                confirm: confirm("referral-confirm-accept"),
            },
            AnswerForm {
                status: ReferralStatus::Declined.as_str(),
                button: tr.t("referrals-decline"),
                note: Some((tr.t("referrals-decline-reason"), true)),
                confirm: confirm("referral-confirm-decline"),
            },
        ],
        ReferralStatus::Accepted => vec![AnswerForm {
            status: ReferralStatus::Completed.as_str(),
            button: tr.t("referrals-complete"),
            note: Some((tr.t("referrals-what-was-done"), false)),
            confirm: confirm("referral-confirm-complete"),
        }],
        _ => Vec::new(),
    }
}

async fn referral_page(
    st: &AppState,
    staff: &Staff,
    id: String,
    status: StatusCode,
    kept: (String, String),
    errors: FieldErrors,
) -> Response {
    let actor = staff.session.actor.clone();
    let brief = match st
        .run(move |store, now| store.referral_brief(&actor, &id, now))
        .await
    {
        Ok(b) => b,
        Err(e) => return staff.problem(&e, "/referrals"),
    };
    let places = match locations(st, staff).await {
        Ok(p) => p,
        Err(e) => return staff.problem(&e, "/referrals"),
    };
    let tr = staff.tr;
    let r = &brief.referral;
    let now = st.now();
    let receiving = receives(staff, &brief);
    let page = ReferralPage {
        l: staff.layout(),
        id: r.id.clone(),
        case_id: r.case_id.clone(),
        child: r.child_name.clone(),
        age: if brief.age_estimated {
            tr.t1("child-age-about", "n", tr.number(brief.child_age))
        } else {
            tr.number(brief.child_age)
        },
        sex: label(tr, "sex", brief.child_sex.as_str()),
        district: place_name(&places, &brief.district),
        service: r.service_name.clone(),
        sector: label(tr, "sector", r.sector.as_str()),
        reason: r.reason.clone(),
        from_agency: r.from_agency.clone().unwrap_or_default(),
        referrer: r.sent_by.clone(),
        referrer_contact: brief.referrer_contact.clone(),
        sent: tr.date(r.sent_at),
        respond_by: if r.overdue {
            super::worklist::late_by(tr, r.respond_by, now)
        } else {
            tr.date_time(r.respond_by)
        },
        late: r.overdue,
        status: label(tr, "referral-status", r.status.as_str()),
        answer: r.answer.clone(),
        caregivers: (brief.consent == Consent::Given).then(|| brief.caregivers.clone()),
        referring: !receiving,
        forms: if receiving {
            forms(tr, &brief)
        } else {
            Vec::new()
        },
        kept,
        errors,
    };
    render_with(status, &page)
}

pub(super) async fn show(
    State(st): State<AppState>,
    Path(id): Path<String>,
    staff: Staff,
) -> Response {
    let errors = FieldErrors::new(staff.tr);
    referral_page(&st, &staff, id, StatusCode::OK, Default::default(), errors).await
}

/// An answer as typed.
#[derive(Deserialize)]
pub(super) struct AnswerInput {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    confirm: Option<String>,
}

pub(super) async fn answer(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<AnswerInput>,
) -> Response {
    let Some(status) = ReferralStatus::parse(form.status.trim()) else {
        // The status comes from the page's own buttons: anything else is
        // not a form a person filled in.
        let e = WebError::bad_request("no such answer to a referral");
        return staff.problem(&e, "/referrals");
    };
    let note = given(&form.note);
    let field = |what: &str| format!("{what}-{}", status.as_str());
    let mut errors = FieldErrors::new(staff.tr);
    if status == ReferralStatus::Declined && note.is_none() {
        errors.add(&field("note"), "referrals-error-reason");
    }
    if !ticked(&form.confirm) {
        errors.add(&field("confirm"), "referral-error-confirm");
    }
    let kept = (status.as_str().to_string(), form.note.clone());
    if !errors.is_empty() {
        let s = StatusCode::UNPROCESSABLE_ENTITY;
        return referral_page(&st, &staff, id, s, kept, errors).await;
    }
    let actor = staff.session.actor.clone();
    let which = id.clone();
    match st
        .run(move |store, now| store.answer_referral(&actor, &which, status, note.as_deref(), now))
        .await
    {
        Ok(_) => Redirect::to(&format!("/referrals/{id}")).into_response(),
        Err(e) => {
            let key = if status == ReferralStatus::Declined {
                "referrals-error-reason"
            } else {
                "referrals-error-note"
            };
            match FieldErrors::from_store(staff.tr, e, |f| (f == "note").then_some(key)) {
                Ok(store_errors) => {
                    // The store names the field `note`; the page names it by
                    // its form, since each answer has its own.
                    let mut errors = FieldErrors::new(staff.tr);
                    if store_errors.has("note") {
                        errors.add(&field("note"), key);
                    }
                    let s = StatusCode::UNPROCESSABLE_ENTITY;
                    referral_page(&st, &staff, id, s, kept, errors).await
                }
                Err(e) => staff.problem(&e, "/referrals"),
            }
        }
    }
}
