//! The dashboard: what is waiting for the signed-in person, in their area.
//! Casework staff see children, cases, approvals and referrals; hotline
//! analysts and monitoring officers see the queue and the published figures.

use super::{esc, page, problem, role_label};
use crate::auth::PageSession;
use crate::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use haven_domain::Role;
use haven_store::casework::{CaseCounts, Referral, ReferralBox};

pub(super) async fn dashboard(State(st): State<AppState>, PageSession(s): PageSession) -> Response {
    let role = s.actor.role;
    if !role.handles_children() {
        let body = format!(
            "<h1>Welcome, {}</h1><p>You are signed in as a {}. Your role works with aggregate figures and the hotline, \
             and has no access to children's individual records.</p>{}",
            esc(&s.actor.name),
            role_label(role),
            super::hotline::desk(&st, &s).await
        );
        return page("Dashboard", Some(&s), &body).into_response();
    }
    let actor = s.actor.clone();
    match st
        .run(move |store, now| {
            let counts = store.child_counts(&actor, now)?;
            let cases = store.case_counts(&actor, now)?;
            let incoming = store.list_referrals(&actor, ReferralBox::Incoming, now)?;
            let by_agency = if matches!(actor.role, Role::Supervisor | Role::Admin) {
                store.referrals_by_agency(&actor, now)?
            } else {
                Vec::new()
            };
            Ok((counts, cases, incoming, by_agency))
        })
        .await
    {
        Ok((c, k, incoming, by_agency)) => {
            let card = |n: i64, label: &str, href: &str| {
                format!(r#"<a class="card" href="{href}"><b>{n}</b>{label}</a>"#)
            };
            let body = format!(
                r#"<h1>Dashboard</h1><p>Children in your area ({}).</p><div class="cards">{}{}{}{}{}{}</div>
<p><a href="/children/new">Register a child</a> · <a href="/children">Find a child</a></p>{}"#,
                role_label(role),
                card(c.total, "children registered", "/children"),
                card(
                    c.not_registered,
                    "without birth registration",
                    "/children?birth_registration=not_registered"
                ),
                card(c.not_in_school, "not in school", "/children"),
                card(
                    c.child_labour,
                    "in child labour or domestic work",
                    "/children"
                ),
                card(
                    c.without_parental_care,
                    "without parental care",
                    "/children"
                ),
                card(
                    c.registered_last_30_days,
                    "registered in the last 30 days",
                    "/children"
                ),
                case_cards(role, &k, &incoming, &by_agency),
            );
            page("Dashboard", Some(&s), &body).into_response()
        }
        Err(e) => problem(&s, e, "/"),
    }
}

/// The casework half of the dashboard: the caller's own and overdue cases,
/// what waits for a supervisor, and referrals waiting for the caller's agency.
fn case_cards(
    role: Role,
    k: &CaseCounts,
    incoming: &[Referral],
    by_agency: &[haven_store::casework::AgencyReferrals],
) -> String {
    let card = |n: i64, label: &str, href: &str, alert: bool| {
        let class = if alert && n > 0 { "card alert" } else { "card" };
        format!(r#"<a class="{class}" href="{href}"><b>{n}</b>{label}</a>"#)
    };
    let waiting = incoming
        .iter()
        .filter(|r| r.status == haven_domain::casework::ReferralStatus::Sent)
        .count() as i64;
    let late = incoming.iter().filter(|r| r.overdue).count() as i64;
    let mut cards = vec![
        card(k.mine, "cases assigned to me", "/cases?mine=true", false),
        card(
            k.mine_overdue,
            "of mine overdue",
            "/cases?mine=true&overdue=true",
            true,
        ),
        card(k.open, "open cases in my area", "/cases", false),
        card(k.overdue, "overdue in my area", "/cases?overdue=true", true),
    ];
    if matches!(role, Role::Supervisor | Role::Admin) {
        cards.push(card(
            k.plans_awaiting_approval + k.closures_awaiting_approval,
            "plans and closures waiting for my approval",
            "/cases?awaiting_approval=true",
            true,
        ));
    }
    if waiting > 0 || late > 0 {
        cards.push(card(
            waiting,
            "referrals waiting for my agency's answer",
            "/referrals",
            false,
        ));
        cards.push(card(
            late,
            "referrals to my agency overdue",
            "/referrals",
            true,
        ));
    }
    let levels: Vec<String> = k
        .by_level
        .iter()
        .map(|(l, n)| format!("{l}: {n}"))
        .collect();
    let agencies = if by_agency.is_empty() {
        String::new()
    } else {
        format!(
            "<h2>Referrals by receiving agency</h2>{}",
            super::referrals::agency_table(by_agency)
        )
    };
    format!(
        r#"<h2>Casework</h2><div class="cards">{}</div><p>Open cases by risk — {}.</p>{agencies}"#,
        cards.join(""),
        levels.join(" · ")
    )
}
