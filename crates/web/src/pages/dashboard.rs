//! The landing page: what is waiting for the signed-in person, in their
//! area. Casework staff see children, cases, approvals and referrals;
//! hotline analysts and monitoring officers see the queue and the published
//! figures. Words from `locales/*/today.ftl`.
//!
//! The hotline desk and the referrals-by-agency table are drawn here from
//! the store's data (the hotline and referrals pages had them as HTML
//! strings); those pages may share these pieces once they are templates.

use super::charts::{bar_chart, BarChart, BarInput};
use super::layout::{render, role_key, Layout, Staff};
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use haven_domain::casework::ReferralStatus;
use haven_domain::hotline::{Assessment, HotlineFigures};
use haven_domain::Role;
use haven_store::casework::{AgencyReferrals, CaseCounts, Referral, ReferralBox};
use haven_store::ChildCounts;

/// A number with what it counts, leading to the list behind it.
struct Card {
    number: String,
    label: String,
    href: &'static str,
    /// Something late or waiting for the person: drawn with a thicker
    /// border (the label says it in words too).
    alert: bool,
}

fn card(tr: Tr, n: i64, key: &str, href: &'static str, alert: bool) -> Card {
    Card {
        number: tr.number(n),
        label: tr.t(key),
        href,
        alert: alert && n > 0,
    }
}

/// The casework half of the page.
struct Casework {
    children: Vec<Card>,
    cases: Vec<Card>,
    /// Open cases by risk level: a chart, and its table (level, count).
    by_level: Option<BarChart>,
    by_level_rows: Vec<(String, String)>,
    /// For supervisors and administrators: the referrals page's own table.
    agencies: Option<String>,
}

/// The hotline desk: the queue (analysts) and the published figures.
struct Desk {
    waiting: Vec<Card>,
    figures: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage {
    l: Layout,
    name: String,
    role_key: &'static str,
    casework: Option<Casework>,
    desk: Option<Desk>,
    /// What needs the person now, most urgent first.
    tasks: Vec<super::tasks::Task>,
    /// Whether the role acts on anything (a monitoring officer only reads figures).
    acts: bool,
    /// Institutions overdue for inspection (supervisors and administrators).
    overdue: Vec<OverdueInstitution>,
}

/// An institution overdue for inspection, as the Today page lists it.
struct OverdueInstitution {
    id: String,
    name: String,
    since: String,
}

pub(super) async fn dashboard(State(st): State<AppState>, staff: Staff) -> Response {
    let role = staff.session.actor.role;
    let tr = staff.tr;
    let mut page = TodayPage {
        l: staff.layout(),
        name: staff.session.actor.name.clone(),
        role_key: role_key(role),
        casework: None,
        desk: None,
        tasks: Vec::new(),
        acts: role != Role::Monitor,
        overdue: Vec::new(),
    };
    if matches!(role, Role::Supervisor | Role::Admin) {
        page.overdue = overdue_inspections(&st, &staff).await;
    }
    let actor = staff.session.actor.clone();
    let waiting = st
        .run(move |store, now| super::tasks::waiting(store, &actor, now))
        .await;
    match (waiting, super::children::locations(&st, &staff).await) {
        (Ok(w), Ok(places)) => page.tasks = super::tasks::tasks(tr, &w, &places, st.now()),
        (Err(e), _) | (_, Err(e)) => return staff.problem(&e, "/account"),
    }
    if !role.handles_children() {
        page.desk = desk(&st, &staff).await;
        return render(&page);
    }
    let actor = staff.session.actor.clone();
    match st
        .run(move |store, now| {
            let counts = store.child_counts(&actor, now)?;
            let cases = store.case_counts(&actor, now)?;
            let incoming = store.list_referrals(&actor, &ReferralBox::Incoming.into(), now)?;
            let by_agency = if matches!(actor.role, Role::Supervisor | Role::Admin) {
                Some(store.referrals_by_agency(&actor, now)?)
            } else {
                None
            };
            Ok((counts, cases, incoming, by_agency))
        })
        .await
    {
        Ok((c, k, incoming, by_agency)) => {
            page.casework = Some(casework(tr, role, &c, &k, &incoming, by_agency));
            render(&page)
        }
        Err(e) => staff.problem(&e, "/"),
    }
}

fn casework(
    tr: Tr,
    role: Role,
    c: &ChildCounts,
    k: &CaseCounts,
    incoming: &[Referral],
    by_agency: Option<Vec<AgencyReferrals>>,
) -> Casework {
    let children = vec![
        card(tr, c.total, "today-children-registered", "/children", false),
        card(
            tr,
            c.not_registered,
            "today-no-birth-registration",
            "/children?birth_registration=not_registered",
            false,
        ),
        card(
            tr,
            c.not_in_school,
            "today-not-in-school",
            "/children",
            false,
        ),
        card(tr, c.child_labour, "today-child-labour", "/children", false),
        card(
            tr,
            c.without_parental_care,
            "today-without-parental-care",
            "/children",
            false,
        ),
        card(
            tr,
            c.registered_last_30_days,
            "today-registered-30-days",
            "/children",
            false,
        ),
    ];
    let waiting = incoming
        .iter()
        .filter(|r| r.status == ReferralStatus::Sent)
        .count() as i64;
    let late = incoming.iter().filter(|r| r.overdue).count() as i64;
    let mut cases = vec![
        card(tr, k.mine, "today-cases-mine", "/cases?mine=true", false),
        card(
            tr,
            k.mine_overdue,
            "today-cases-mine-overdue",
            "/cases?mine=true&overdue=true",
            true,
        ),
        card(tr, k.open, "today-cases-open", "/cases", false),
        card(
            tr,
            k.overdue,
            "today-cases-overdue",
            "/cases?overdue=true",
            true,
        ),
    ];
    if matches!(role, Role::Supervisor | Role::Admin) {
        cases.push(card(
            tr,
            k.plans_awaiting_approval + k.closures_awaiting_approval,
            "today-awaiting-approval",
            "/cases?awaiting_approval=true",
            true,
        ));
    }
    if waiting > 0 || late > 0 {
        cases.push(card(
            tr,
            waiting,
            "today-referrals-waiting",
            "/referrals",
            false,
        ));
        cases.push(card(tr, late, "today-referrals-late", "/referrals", true));
    }
    // `unassessed` (no assessment yet) is a value of the list too.
    let by_level_rows: Vec<(String, String)> = k
        .by_level
        .iter()
        .map(|(level, n)| (super::layout::label(tr, "risk-level", level), tr.number(*n)))
        .collect();
    let by_level = (!by_level_rows.is_empty()).then(|| {
        let bars = k
            .by_level
            .iter()
            .zip(&by_level_rows)
            .map(|((_, n), (label, shown))| BarInput {
                label: label.clone(),
                value: Some(*n as f64),
                shown: shown.clone(),
                suppressed: false,
            })
            .collect();
        bar_chart(
            bars,
            1.0,
            None,
            tr.t("today-open-by-risk-described"),
            "open-by-risk",
        )
    });
    let agencies = by_agency.map(|rows| super::referrals::agency_table_in(tr, &rows));
    Casework {
        children,
        cases,
        by_level,
        by_level_rows,
        agencies,
    }
}

/// The hotline desk of analysts (queue and figures) and of monitoring
/// officers (figures only); nothing for other roles, or when the store
/// cannot answer (the page still greets the person).
async fn desk(st: &AppState, staff: &Staff) -> Option<Desk> {
    let actor = staff.session.actor.clone();
    let analyst = actor.role.keeps_lists();
    if !analyst && actor.role != Role::Monitor {
        return None;
    }
    let (f, reports, items) = st
        .run(move |store, now| {
            let figures = store.hotline_figures(&actor, now)?;
            let (reports, items) = if analyst {
                (
                    store.list_reports(&actor, &haven_store::reports::ReportFilter::open(), now)?,
                    store.list_hotline_items(
                        &actor,
                        &haven_store::reports::HotlineFilter::open(),
                        now,
                    )?,
                )
            } else {
                (Vec::new(), Vec::new())
            };
            Ok((figures, reports, items))
        })
        .await
        .ok()?;
    let tr = staff.tr;
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let waiting = if analyst {
        let to_assess = items
            .iter()
            .filter(|i| i.assessment.is_none() || i.assessment == Some(Assessment::SecondOpinion))
            .count();
        vec![
            card(
                tr,
                count(reports.len()),
                "today-reports-to-triage",
                "/reports",
                false,
            ),
            card(
                tr,
                count(reports.iter().filter(|r| r.danger_now).count()),
                "today-reports-danger-now",
                "/reports",
                true,
            ),
            card(
                tr,
                count(reports.iter().filter(|r| r.overdue).count()),
                "today-reports-late",
                "/reports",
                true,
            ),
            card(
                tr,
                count(to_assess),
                "today-items-to-assess",
                "/hotline",
                false,
            ),
        ]
    } else {
        Vec::new()
    };
    Some(Desk {
        waiting,
        figures: figures(tr, &f),
    })
}

/// The published hotline figures: (the figure, what it is).
fn figures(tr: Tr, f: &HotlineFigures) -> Vec<(String, String)> {
    let whole = |n: u64| tr.number(i64::try_from(n).unwrap_or(i64::MAX));
    let none = || tr.t("today-no-figure");
    let pct = |x: Option<f64>| x.map_or_else(none, |v| tr.t1("today-percent", "n", tr.decimal(v)));
    let hours = |x: Option<f64>| x.map_or_else(none, |v| tr.t1("today-hours", "n", tr.decimal(v)));
    vec![
        (whole(f.reports_received), tr.t("today-reports-received")),
        (
            pct(f.percent_illegal),
            tr.t2(
                "today-assessed-illegal",
                "n",
                whole(f.illegal),
                "total",
                whole(f.assessed),
            ),
        ),
        (
            hours(f.median_hours_to_removal),
            tr.t("today-median-removal"),
        ),
        (hours(f.p90_hours_to_removal), tr.t("today-p90-removal")),
        (
            pct(f.percent_removed_within_3_days),
            tr.t("today-removed-3-days"),
        ),
    ]
}

/// Institutions in the person's area overdue for inspection (UN report
/// §74); none shown when they cannot be read.
async fn overdue_inspections(st: &AppState, staff: &Staff) -> Vec<OverdueInstitution> {
    let actor = staff.session.actor.clone();
    let tr = staff.tr;
    st.run(move |s, now| s.overdue_inspections(&actor, now))
        .await
        .map(|all| {
            all.into_iter()
                .map(|i| OverdueInstitution {
                    id: i.institution.id,
                    name: i.institution.name,
                    since: match i.next_inspection_due {
                        Some(d) => tr.t1("today-inspection-due-since", "day", tr.day(d)),
                        None => tr.t("today-never-inspected"),
                    },
                })
                .collect()
        })
        .unwrap_or_default()
}
