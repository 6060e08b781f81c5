//! The referrals lists (to the person's agency, and sent for children in
//! their area) and referral figures per receiving agency. One referral and
//! its answer forms are in [`super::referral`]; the services a child is
//! referred to are in [`super::services`].

use super::children::{locations, place_options};
use super::layout::{label, render, vocabulary_options, Layout, Opt, Staff};
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use haven_domain::casework::ReferralStatus;
use haven_domain::Role;
use haven_store::casework::{AgencyReferrals, Referral, ReferralBox, ReferralFilter};
use std::collections::BTreeMap;

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

/// Referrals on one page of each list.
const PAGE_SIZE: usize = 25;

/// One list (to the agency, or sent for the area) with its page links.
struct Listing {
    rows: Vec<Row>,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ReferralsPage {
    l: Layout,
    /// The heading of the caller's own inbox, when they have one.
    inbox: Option<String>,
    incoming: Listing,
    outgoing: Listing,
    statuses: Vec<Opt>,
    places: Vec<Opt>,
    overdue: bool,
    by_agency: String,
}

/// The page's filters, the same for both lists; `in` and `out` are each
/// list's own place in its pages.
fn filter(
    q: &BTreeMap<String, String>,
    which: ReferralBox,
    cursor: &str,
) -> Result<ReferralFilter, crate::error::WebError> {
    let mut query: std::collections::HashMap<String, String> = q
        .iter()
        .filter(|(k, _)| ["status", "overdue", "place"].contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Some(c) = q.get(cursor) {
        query.insert("cursor".into(), c.clone());
    }
    query.insert("limit".into(), PAGE_SIZE.to_string());
    let mut f = crate::api::referral_filter(&query)?;
    f.which = which;
    Ok(f)
}

fn listing(
    tr: Tr,
    q: &BTreeMap<String, String>,
    f: &ReferralFilter,
    items: &[Referral],
    cursor: &str,
) -> Listing {
    let incoming = f.which == ReferralBox::Incoming;
    let (previous, next) =
        super::worklist::page_links("/referrals", q, cursor, f.offset, PAGE_SIZE, items.len());
    Listing {
        rows: rows(tr, items, incoming),
        previous,
        next,
    }
}

pub(super) async fn index(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let mut q = q;
    q.remove("lang");
    let (fin, fout) = match (
        filter(&q, ReferralBox::Incoming, "in"),
        filter(&q, ReferralBox::Outgoing, "out"),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return staff.problem(&e, "/referrals"),
    };
    let places = match locations(&st, &staff).await {
        Ok(p) => p,
        Err(e) => return staff.problem(&e, "/"),
    };
    let actor = staff.session.actor.clone();
    let (a, b) = (fin.clone(), fout.clone());
    let result = st
        .run(move |store, now| {
            let incoming = store.list_referrals(&actor, &a, now)?;
            let outgoing = store.list_referrals(&actor, &b, now)?;
            let by_agency = store.referrals_by_agency(&actor, now)?;
            Ok((incoming, outgoing, by_agency))
        })
        .await;
    let (incoming, outgoing, by_agency) = match result {
        Ok(r) => r,
        Err(e) => return staff.problem(&e, "/referrals"),
    };
    let tr = staff.tr;
    let actor = &staff.session.actor;
    let inbox = match &actor.agency {
        Some(a) => Some(tr.t1("referrals-to-agency", "agency", a.as_str())),
        None if actor.role == Role::Admin => Some(tr.t("referrals-all")),
        None => None,
    };
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let statuses: Vec<&str> = ReferralStatus::ALL.iter().map(|s| s.as_str()).collect();
    let page = ReferralsPage {
        l: staff.layout(),
        incoming: if inbox.is_some() {
            listing(tr, &q, &fin, &incoming, "in")
        } else {
            listing(tr, &q, &fin, &[], "in")
        },
        inbox,
        outgoing: listing(tr, &q, &fout, &outgoing, "out"),
        statuses: std::iter::once(Opt::new("", tr.t("cases-any"), get("status")))
            .chain(vocabulary_options(
                tr,
                "referral-status",
                &statuses,
                get("status"),
            ))
            .collect(),
        places: std::iter::once(Opt::new("", tr.t("cases-any-place"), get("place")))
            .chain(place_options(&places, get("place")))
            .collect(),
        overdue: get("overdue") == "true",
        by_agency: agency_table_in(tr, &by_agency),
    };
    render(&page)
}
