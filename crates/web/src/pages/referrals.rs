//! The referrals lists (to the person's agency, and sent for children in
//! their area) and referral figures per receiving agency. One referral and
//! its answer forms are in [`super::referral`]; the services a child is
//! referred to are in [`super::services`].

use super::layout::{label, render, Layout, Staff};
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use haven_domain::Role;
use haven_store::casework::{AgencyReferrals, Referral, ReferralBox};

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
}

fn rows(tr: Tr, items: &[Referral], incoming: bool) -> Vec<Row> {
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
}

pub(super) async fn index(State(st): State<AppState>, staff: Staff) -> Response {
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
            rows(tr, &incoming, true)
        } else {
            Vec::new()
        },
        inbox,
        outgoing: rows(tr, &outgoing, false),
        by_agency: agency_table_in(tr, &by_agency),
    };
    render(&page)
}
