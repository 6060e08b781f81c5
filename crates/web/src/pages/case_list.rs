//! The list of cases: filters (step, risk, caseworker, place, late),
//! orders (due, risk, last change) and pages of 25, with each child's
//! district by name and the risk in colour and words. Supervisors also see
//! each caseworker's caseload, to balance it.

use super::cases::{due, step_text, Due};
use super::children::{locations, place_name, place_options};
use super::layout::{render, vocabulary_options, Layout, Opt, Staff};
use super::worklist::{risk_badge, with_param, RiskBadge};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use haven_domain::casework::{CaseStep, PlanStatus};
use haven_domain::Role;
use haven_store::casework::WorkerCaseload;
use std::collections::{BTreeMap, HashMap};

/// Cases on one page of the list.
const PAGE_SIZE: usize = 25;

struct CaseRow {
    id: String,
    child: String,
    district: String,
    step: String,
    waiting: Option<String>,
    risk: RiskBadge,
    urgent: bool,
    assigned: String,
    due: Due,
}

struct FilterLink {
    href: &'static str,
    key: &'static str,
    current: bool,
}

/// A caseworker's caseload row, with the link to their cases.
struct Caseload {
    row: WorkerCaseload,
    href: String,
    open: String,
    overdue: String,
    high_risk: String,
    awaiting: String,
}

#[derive(Template)]
#[template(path = "case_list.html")]
struct CaseListPage {
    l: Layout,
    title_key: &'static str,
    moved: bool,
    filters: Vec<FilterLink>,
    /// The quick filter kept by the form (mine, late, waiting, closed).
    kept: Vec<(String, String)>,
    steps: Vec<Opt>,
    risks: Vec<Opt>,
    workers: Vec<Opt>,
    places: Vec<Opt>,
    sorts: Vec<Opt>,
    rows: Vec<CaseRow>,
    previous: Option<String>,
    next: Option<String>,
    caseload: Vec<Caseload>,
}

fn any(tr: crate::i18n::Tr, chosen: &str) -> Opt {
    Opt::new("", tr.t("cases-any"), chosen)
}

pub(super) async fn list(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let tr = staff.tr;
    let moved = q.get("done").is_some_and(|d| d == "moved");
    let mut q: BTreeMap<String, String> = q.into_iter().collect();
    q.remove("done");
    q.remove("lang");
    let mut f = match crate::api::case_filter(&q.clone().into_iter().collect()) {
        Ok(f) => f,
        Err(e) => return staff.problem(&e, "/cases"),
    };
    if f.limit == 0 {
        f.limit = PAGE_SIZE;
    }
    let (title_key, current) = if f.overdue {
        ("cases-overdue", "/cases?overdue=true")
    } else if f.awaiting_approval {
        ("cases-awaiting", "/cases?awaiting_approval=true")
    } else if f.mine {
        ("cases-mine", "/cases?mine=true")
    } else if f.include_closed {
        ("cases-with-closed", "/cases?closed=true")
    } else {
        ("cases-open", "/cases")
    };
    let filters = [
        ("/cases?mine=true", "cases-filter-mine"),
        ("/cases?overdue=true", "cases-filter-overdue"),
        (
            "/cases?awaiting_approval=true&sort=risk",
            "cases-filter-awaiting",
        ),
        ("/cases", "cases-filter-open"),
        ("/cases?closed=true", "cases-filter-closed"),
    ]
    .into_iter()
    .map(|(href, key)| FilterLink {
        href,
        key,
        current: href.split('&').next() == Some(current),
    })
    .collect();
    let locs = match locations(&st, &staff).await {
        Ok(l) => l,
        Err(e) => return staff.problem(&e, "/"),
    };
    let supervises = matches!(staff.session.actor.role, Role::Supervisor | Role::Admin);
    let actor = staff.session.actor.clone();
    let paging = f.clone();
    let found = st
        .run(move |store, now| {
            let cases = store.list_cases(&actor, &f, now)?;
            let caseload = if supervises {
                store.case_counts(&actor, now)?.by_worker
            } else {
                Vec::new()
            };
            Ok((cases, caseload))
        })
        .await;
    let (cases, caseload) = match found {
        Ok(found) => found,
        Err(e) => return staff.problem(&e, "/cases"),
    };
    let now = st.now();
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let steps: Vec<&str> = CaseStep::ALL.iter().map(|s| s.as_str()).collect();
    let workers = if supervises {
        std::iter::once(any(tr, get("worker")))
            .chain(
                caseload
                    .iter()
                    .map(|w| Opt::new(&w.worker, w.worker.clone(), get("worker"))),
            )
            .collect()
    } else {
        Vec::new()
    };
    let rows: Vec<CaseRow> = cases
        .iter()
        .map(|c| CaseRow {
            id: c.id.clone(),
            child: c.child_name.clone(),
            district: place_name(&locs, &c.district),
            step: step_text(tr, c.step),
            waiting: match (c.plan_status, c.closure_requested) {
                (PlanStatus::Submitted, _) => Some(tr.t("cases-plan-waiting")),
                (_, true) => Some(tr.t("cases-closure-waiting")),
                _ => None,
            },
            risk: risk_badge(tr, c.level),
            urgent: c.urgent,
            assigned: c.assigned_to.clone(),
            due: due(tr, c, now),
        })
        .collect();
    let limit = if paging.limit == 0 { 200 } else { paging.limit };
    let (previous, next) =
        super::worklist::page_links("/cases", &q, "cursor", paging.offset, limit, rows.len());
    let caseload = caseload
        .into_iter()
        .map(|w| Caseload {
            href: format!(
                "/cases?{}",
                with_param(&BTreeMap::new(), "worker", Some(&w.worker))
            ),
            open: tr.number(w.open),
            overdue: tr.number(w.overdue),
            high_risk: tr.number(w.high_risk),
            awaiting: tr.number(w.awaiting_approval),
            row: w,
        })
        .collect();
    let kept = ["mine", "overdue", "awaiting_approval", "closed"]
        .iter()
        .filter(|k| get(k) == "true")
        .map(|k| (k.to_string(), "true".to_string()))
        .collect();
    let risks = std::iter::once(any(tr, get("risk")))
        .chain(vocabulary_options(
            tr,
            "risk-level",
            &["critical", "high", "medium", "low", "unassessed"],
            get("risk"),
        ))
        .collect();
    let sorts = ["due", "risk", "updated"]
        .iter()
        .map(|s| Opt::new(s, tr.t(&format!("cases-sort-{s}")), get("sort")))
        .collect();
    render(&CaseListPage {
        l: staff.layout(),
        title_key,
        moved,
        filters,
        kept,
        steps: std::iter::once(any(tr, get("step")))
            .chain(vocabulary_options(tr, "case-step", &steps, get("step")))
            .collect(),
        risks,
        workers,
        places: std::iter::once(Opt::new("", tr.t("cases-any-place"), get("place")))
            .chain(place_options(&locs, get("place")))
            .collect(),
        sorts,
        rows,
        previous,
        next,
        caseload,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_step_and_order_has_words() {
        for tr in crate::i18n::Tr::all() {
            for s in ["due", "risk", "updated"] {
                assert!(!tr.t(&format!("cases-sort-{s}")).contains('⟦'));
            }
        }
    }
}
