//! "What needs me now": the task list at the top of the Today page. Each
//! task says what it is, why it is urgent and by when, and leads to the
//! page where it is done. Tasks are sorted by urgency (a child in danger
//! now first), then by when they are due; a late task says how late.
//! Only what the person's role acts on is listed: the store refuses the
//! rest anyway, so a list that asked for it would only fill the audit log.

use super::children::place_name;
use super::layout::label;
use super::worklist::late_by;
use crate::i18n::Tr;
use haven_domain::assessment::RiskLevel;
use haven_domain::casework::{PlanStatus, ReferralStatus};
use haven_domain::{Actor, Location, Role};
use haven_store::casework::{Case, CaseFilter, CaseSort, Referral, ReferralBox, ReferralFilter};
use haven_store::reports::ReportSummary;
use haven_store::{Store, StoreResult};

/// How urgent a kind of task is: the first sort key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Urgency {
    /// A reporter said a child is in danger now.
    DangerNow,
    /// A case at critical risk.
    Critical,
    /// A case at high risk.
    High,
    /// A plan or closure waiting for this supervisor.
    Approval,
    /// A referral waiting for this person's agency.
    Referral,
    /// Anything else that is late.
    Late,
}

/// One thing to do, as the page shows it.
pub(super) struct Task {
    urgency: Urgency,
    due_at: Option<i64>,
    /// What it is, e.g. "A child in danger now: sale or trafficking".
    pub title: String,
    /// Why it is listed, e.g. "Critical risk · Planning".
    pub detail: String,
    /// When it is due or how late, in words.
    pub when: String,
    pub late: bool,
    pub danger: bool,
    pub href: String,
}

/// What the store holds for the task list.
pub(super) struct Waiting {
    reports: Vec<ReportSummary>,
    cases: Vec<Case>,
    approvals: Vec<Case>,
    referrals: Vec<Referral>,
}

/// Tasks of one kind listed at most (the lists behind them have the rest).
const PER_KIND: usize = 15;

/// Reads what waits for `actor` (inside the store's blocking call).
pub(super) fn waiting(store: &dyn Store, actor: &Actor, now: i64) -> StoreResult<Waiting> {
    let triages = matches!(
        actor.role,
        Role::Admin | Role::Analyst | Role::Supervisor | Role::Caseworker
    );
    let reports = if triages {
        store
            .list_reports(actor, &haven_store::reports::ReportFilter::open(), now)?
            .into_iter()
            .filter(|r| r.danger_now || r.overdue)
            .collect()
    } else {
        Vec::new()
    };
    let supervises = matches!(actor.role, Role::Supervisor | Role::Admin);
    let (mut cases, mut approvals, mut referrals) = (Vec::new(), Vec::new(), Vec::new());
    if actor.role.handles_children() {
        // A caseworker's own cases; a supervisor's whole area.
        let mine = !supervises;
        for level in [RiskLevel::Critical, RiskLevel::High] {
            cases.extend(store.list_cases(
                actor,
                &CaseFilter {
                    mine,
                    level: Some(Some(level)),
                    limit: PER_KIND,
                    ..CaseFilter::default()
                },
                now,
            )?);
        }
        for late in store.list_cases(
            actor,
            &CaseFilter {
                mine,
                overdue: true,
                limit: PER_KIND,
                ..CaseFilter::default()
            },
            now,
        )? {
            if !cases.iter().any(|c| c.id == late.id) {
                cases.push(late);
            }
        }
        if supervises {
            approvals = store.list_cases(
                actor,
                &CaseFilter {
                    awaiting_approval: true,
                    sort: CaseSort::Risk,
                    limit: PER_KIND,
                    ..CaseFilter::default()
                },
                now,
            )?;
        }
        if actor.agency.is_some() {
            let waiting = ReferralFilter {
                status: Some(ReferralStatus::Sent),
                limit: PER_KIND,
                ..ReferralBox::Incoming.into()
            };
            referrals = store.list_referrals(actor, &waiting, now)?;
        }
    }
    Ok(Waiting {
        reports,
        cases,
        approvals,
        referrals,
    })
}

/// When a task is due, in words: how late, or by when.
fn when(tr: Tr, due: Option<i64>, now: i64) -> (String, bool) {
    match due {
        Some(d) if d < now => (late_by(tr, d, now), true),
        Some(d) => (tr.t1("task-due-by", "when", tr.date_time(d)), false),
        None => (String::new(), false),
    }
}

/// The tasks, most urgent first.
pub(super) fn tasks(tr: Tr, w: &Waiting, places: &[Location], now: i64) -> Vec<Task> {
    let mut out = Vec::new();
    for r in &w.reports {
        let (when, late) = when(tr, Some(r.due_at), now);
        let category = label(tr, "report-category", r.category.as_str());
        let place = r.location.as_deref().map(|l| place_name(places, l));
        out.push(Task {
            urgency: if r.danger_now {
                Urgency::DangerNow
            } else {
                Urgency::Late
            },
            due_at: Some(r.due_at),
            title: if r.danger_now {
                tr.t1("task-report-danger", "category", category)
            } else {
                tr.t1("task-report-late", "category", category)
            },
            detail: place.unwrap_or_else(|| tr.t("task-report-no-place")),
            when,
            late,
            danger: r.danger_now,
            href: format!("/reports/{}", r.id),
        });
    }
    for c in &w.cases {
        let urgency = match c.level {
            Some(RiskLevel::Critical) => Urgency::Critical,
            Some(RiskLevel::High) => Urgency::High,
            _ => Urgency::Late,
        };
        let (when, late) = when(tr, c.next_due_at, now);
        let risk = c.level.map_or("unassessed", |l| l.as_str());
        out.push(Task {
            urgency,
            due_at: c.next_due_at,
            title: c.child_name.clone(),
            detail: tr.t2(
                "task-case",
                "risk",
                label(tr, "risk-level", risk),
                "step",
                label(tr, "case-step", c.step.as_str()),
            ),
            when,
            late,
            danger: false,
            href: format!("/cases/{}", c.id),
        });
    }
    for c in &w.approvals {
        let key = if c.plan_status == PlanStatus::Submitted {
            "task-plan-approval"
        } else {
            "task-closure-approval"
        };
        let risk = c.level.map_or("unassessed", |l| l.as_str());
        let (when, late) = when(tr, c.next_due_at, now);
        out.push(Task {
            urgency: Urgency::Approval,
            due_at: c.next_due_at,
            title: tr.t1(key, "child", c.child_name.clone()),
            detail: label(tr, "risk-level", risk),
            when,
            late,
            danger: false,
            href: format!("/cases/{}", c.id),
        });
    }
    for r in &w.referrals {
        let (when, late) = when(tr, Some(r.respond_by), now);
        out.push(Task {
            urgency: Urgency::Referral,
            due_at: Some(r.respond_by),
            title: tr.t1("task-referral", "service", r.service_name.clone()),
            detail: label(tr, "sector", r.sector.as_str()),
            when,
            late,
            danger: false,
            href: format!("/referrals/{}", r.id),
        });
    }
    sort(&mut out);
    out
}

/// Most urgent first; within one urgency, soonest due (the latest late
/// first of all), undated last.
fn sort(tasks: &mut [Task]) {
    tasks.sort_by_key(|t| (t.urgency, t.due_at.is_none(), t.due_at));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(urgency: Urgency, due_at: Option<i64>, title: &str) -> Task {
        Task {
            urgency,
            due_at,
            title: title.into(),
            detail: String::new(),
            when: String::new(),
            late: false,
            danger: false,
            href: String::new(),
        }
    }

    #[test]
    fn danger_first_then_by_urgency_then_soonest_due() {
        let mut t = vec![
            task(Urgency::Referral, Some(10), "referral"),
            task(Urgency::High, None, "high, no date"),
            task(Urgency::High, Some(50), "high later"),
            task(Urgency::Critical, Some(900), "critical"),
            task(Urgency::High, Some(5), "high sooner"),
            task(Urgency::DangerNow, Some(1_000), "danger"),
        ];
        sort(&mut t);
        let order: Vec<&str> = t.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(
            order,
            [
                "danger",
                "critical",
                "high sooner",
                "high later",
                "high, no date",
                "referral"
            ]
        );
    }
}
