//! Case pages: the case list, one case with the forms for its next steps,
//! and the form posts that move it. What a role may do is decided by the
//! store; the page only hides buttons that would be refused.

use super::{csrf_field, date, esc, page, problem};
use crate::auth::{check_csrf, PageSession};
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::casework::{CaseAction, CaseStep, Consent, PlanStatus, ReferralKind};
use haven_domain::{Date, Role};
use haven_store::casework::{Case, CaseFile};
use haven_store::{Session, Store, StoreResult};
use std::collections::{BTreeMap, HashMap};

type FormData = BTreeMap<String, String>;

/// Checks the CSRF token, runs a change, then redirects to `to`.
pub(super) async fn post_then<T: Send + 'static>(
    st: &AppState,
    s: &Session,
    f: &FormData,
    back: &str,
    to: impl FnOnce(T) -> String,
    op: impl FnOnce(&dyn Store, i64) -> StoreResult<T> + Send + 'static,
) -> Response {
    if let Err(e) = check_csrf(st, s, f.get("csrf")).await {
        return problem(s, e, back);
    }
    match st.run(op).await {
        Ok(v) => Redirect::to(&to(v)).into_response(),
        Err(e) => problem(s, e, back),
    }
}

/// Like [`post_then`], returning to `back` with a short confirmation.
pub(super) async fn post_done<T: Send + 'static>(
    st: &AppState,
    s: &Session,
    f: &FormData,
    back: &str,
    message: &str,
    op: impl FnOnce(&dyn Store, i64) -> StoreResult<T> + Send + 'static,
) -> Response {
    let to = format!("{back}?done={}", message.replace(' ', "+"));
    post_then(st, s, f, back, |_| to, op).await
}

pub(super) fn step_label(s: CaseStep) -> &'static str {
    match s {
        CaseStep::Identification => "Identified",
        CaseStep::Assessment => "Assessed",
        CaseStep::Planning => "Case plan",
        CaseStep::Implementation => "Carrying out the plan",
        CaseStep::FollowUp => "Follow-up and review",
        CaseStep::Closed => "Closed",
    }
}

pub(super) fn due_text(c: &Case, now: i64) -> String {
    match c.next_due_at {
        None => "—".into(),
        Some(d) if c.overdue => format!(
            r#"<span class="error">overdue since {}</span>"#,
            Date::from_unix(d)
        ),
        Some(d) if d - now < 86_400 => format!("within a day ({})", Date::from_unix(d)),
        Some(d) => Date::from_unix(d).to_string(),
    }
}

/// Rows of a case table.
pub(super) fn case_rows(cases: &[Case], now: i64) -> String {
    if cases.is_empty() {
        return "<p>No cases here.</p>".into();
    }
    let rows: String = cases
        .iter()
        .map(|c| {
            let waiting = match (c.plan_status, c.closure_requested) {
                (PlanStatus::Submitted, _) => " · plan waits for approval",
                (_, true) => " · closure waits for approval",
                _ => "",
            };
            format!(
                r#"<tr><td><a href="/cases/{}">{}</a></td><td>{}{waiting}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>"#,
                esc(&c.id),
                esc(&c.child_name),
                step_label(c.step),
                c.level.map_or("not assessed", |l| l.as_str()),
                if c.urgent { " — URGENT" } else { "" },
                esc(&c.assigned_to),
                due_text(c, now)
            )
        })
        .collect();
    format!("<table><thead><tr><th>Child</th><th>Step</th><th>Risk</th><th>Caseworker</th><th>Next action due</th></tr></thead><tbody>{rows}</tbody></table>")
}

pub(super) async fn list(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let f = match crate::api::case_filter(&q) {
        Ok(f) => f,
        Err(e) => return problem(&s, e, "/cases"),
    };
    let title = if f.overdue {
        "Overdue cases"
    } else if f.awaiting_approval {
        "Waiting for a supervisor"
    } else if f.mine {
        "My cases"
    } else {
        "Open cases"
    };
    let actor = s.actor.clone();
    match st
        .run(move |store, now| store.list_cases(&actor, &f, now))
        .await
    {
        Ok(cases) => {
            let body = format!(
                r#"<h1>{title}</h1><p><a href="/cases?mine=true">Mine</a> · <a href="/cases?overdue=true">Overdue</a> · <a href="/cases?awaiting_approval=true">Waiting for approval</a> · <a href="/cases">All open</a> · <a href="/cases?closed=true">Including closed</a></p>{}"#,
                case_rows(&cases, st.now())
            );
            page(title, Some(&s), &body).into_response()
        }
        Err(e) => problem(&s, e, "/"),
    }
}

fn steps_bar(c: &Case) -> String {
    let items: String = CaseStep::ALL
        .iter()
        .map(|st| {
            if *st == c.step {
                format!(r#"<li aria-current="step"><b>{}</b></li>"#, step_label(*st))
            } else {
                format!("<li>{}</li>", step_label(*st))
            }
        })
        .collect();
    format!(r#"<ol class="steps">{items}</ol>"#)
}

fn step_form(s: &Session, id: &str, action: CaseAction, label: &str, text: Option<&str>) -> String {
    let field = text
        .map(|t| {
            format!(
                r#"<label for="t-{a}">{t}</label><textarea id="t-{a}" name="text" rows="3" required></textarea>"#,
                a = action.as_str()
            )
        })
        .unwrap_or_default();
    format!(
        r#"<form method="post" action="/cases/{}/step/{}" class="box">{}{field}<p><button type="submit">{label}</button></p></form>"#,
        esc(id),
        action.as_str(),
        csrf_field(s)
    )
}

/// The forms for what can be done next, by step and role.
fn next_steps(s: &Session, c: &Case) -> String {
    let sup = matches!(s.actor.role, Role::Supervisor | Role::Admin);
    let id = c.id.as_str();
    let mut out = String::new();
    match c.step {
        CaseStep::Identification => out.push_str(&format!(
            r#"<p>Next: <a href="/children/{}#assessments">assess the child</a>. The case moves on when the assessment is saved.</p>"#,
            esc(&c.child_id)
        )),
        CaseStep::Closed => out.push_str(&step_form(s, id, CaseAction::Reopen, "Reopen the case", Some("Why reopen?"))),
        _ => {}
    }
    if c.plan_status == PlanStatus::Submitted && sup {
        out.push_str(&step_form(
            s,
            id,
            CaseAction::ApprovePlan,
            "Approve the plan",
            None,
        ));
        out.push_str(&step_form(
            s,
            id,
            CaseAction::ReturnPlan,
            "Return the plan",
            Some("What needs to change?"),
        ));
    }
    let plan_open = matches!(c.step, CaseStep::Assessment | CaseStep::Planning)
        && c.plan_status != PlanStatus::Submitted;
    if plan_open {
        out.push_str(&step_form(
            s,
            id,
            CaseAction::SubmitPlan,
            "Send the plan for approval",
            Some("Case plan: goals, services, who does what by when"),
        ));
    }
    if matches!(c.step, CaseStep::Implementation | CaseStep::FollowUp) {
        out.push_str(&step_form(
            s,
            id,
            CaseAction::RecordFollowUp,
            "Record follow-up",
            Some("What did the visit or review find?"),
        ));
        if c.closure_requested {
            if sup {
                out.push_str(&step_form(
                    s,
                    id,
                    CaseAction::ApproveClosure,
                    "Approve closure",
                    None,
                ));
                out.push_str(&step_form(
                    s,
                    id,
                    CaseAction::RejectClosure,
                    "Keep the case open",
                    Some("Why keep it open?"),
                ));
            } else {
                out.push_str("<p>Closure is waiting for a supervisor.</p>");
            }
        } else {
            out.push_str(&step_form(
                s,
                id,
                CaseAction::RequestClosure,
                "Ask to close the case",
                Some("Why can the case close?"),
            ));
        }
    }
    out
}

fn referral_form(s: &Session, file: &CaseFile) -> String {
    if file.case.step == CaseStep::Closed || file.available_services.is_empty() {
        return String::new();
    }
    let options: String = file
        .available_services
        .iter()
        .map(|sv| {
            let suggested = if file.suggested_sectors.contains(&sv.sector) {
                " (suggested)"
            } else {
                ""
            };
            format!(
                r#"<option value="{}">{} — {} ({}){suggested}</option>"#,
                esc(&sv.id),
                esc(&sv.name),
                esc(&sv.provider),
                sv.sector.as_str().replace('_', " ")
            )
        })
        .collect();
    let kinds: String = ReferralKind::ALL
        .iter()
        .map(|k| format!(r#"<option value="{0}">{0}</option>"#, k.as_str()))
        .collect();
    format!(
        r#"<form method="post" action="/cases/{}/referrals" class="box"><h3>Refer to a service</h3>{}
<label for="service_id">Service</label><select id="service_id" name="service_id">{options}</select>
<label for="kind">Kind</label><select id="kind" name="kind">{kinds}</select>
<label for="reason">What the child needs from it</label><textarea id="reason" name="reason" rows="2" required></textarea>
<p><button type="submit">Send referral</button></p></form>"#,
        esc(&file.case.id),
        csrf_field(s)
    )
}

fn referrals_table(file: &CaseFile) -> String {
    if file.referrals.is_empty() {
        return "<p>No referrals yet.</p>".into();
    }
    let rows: String = file
        .referrals
        .iter()
        .map(|r| {
            let due = if r.overdue {
                format!(
                    r#"<span class="error">no answer since {}</span>"#,
                    Date::from_unix(r.respond_by)
                )
            } else if r.status == haven_domain::casework::ReferralStatus::Sent {
                format!("answer due {}", date(r.respond_by))
            } else {
                String::new()
            };
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r.service_name),
                esc(&r.to_agency),
                r.status.as_str(),
                if r.kind == ReferralKind::Adoption {
                    " (adoption)"
                } else {
                    ""
                },
                esc(r.answer.as_deref().unwrap_or("")),
                due
            )
        })
        .collect();
    format!("<table><thead><tr><th>Service</th><th>Agency</th><th>Status</th><th>Answer</th><th>Deadline</th></tr></thead><tbody>{rows}</tbody></table>")
}

fn supervisor_forms(s: &Session, c: &Case) -> String {
    if !matches!(s.actor.role, Role::Supervisor | Role::Admin) || c.step == CaseStep::Closed {
        return String::new();
    }
    format!(
        r#"<details><summary>Reassign or transfer</summary><form method="post" action="/cases/{id}/assignment" class="box">{csrf}
<label for="assigned_to">Caseworker's user name</label><input id="assigned_to" name="assigned_to" required>
<label for="agency">New agency code (only to transfer)</label><input id="agency" name="agency">
<label for="move_reason">Why</label><textarea id="move_reason" name="reason" rows="2" required></textarea>
<p><button type="submit">Move the case</button></p></form></details>
<details><summary>Record an adoptability determination</summary><form method="post" action="/cases/{id}/adoptability" class="box">{csrf}
<label for="determination">Who decided, when, on what grounds (tracing of family, the child's views and consent)</label><textarea id="determination" name="determination" rows="3" required></textarea>
<p><button type="submit">Record determination</button></p></form></details>"#,
        id = esc(&c.id),
        csrf = csrf_field(s)
    )
}

pub(super) async fn show(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let actor = s.actor.clone();
    let result = st
        .run(move |store, now| store.get_case(&actor, &id, now))
        .await;
    let file = match result {
        Ok(r) => r,
        Err(e) => return problem(&s, e, "/cases"),
    };
    let now = st.now();
    let c = &file.case;
    let notice = q
        .get("done")
        .map(|d| format!(r#"<p class="notice" role="status">{}</p>"#, esc(d)))
        .unwrap_or_default();
    let suggestions: String = file
        .suggested_sectors
        .iter()
        .map(|sec| {
            format!(
                r#"<p class="warning">Suggested referral: <b>{}</b>{}</p>"#,
                sec.as_str().replace('_', " "),
                if *sec == haven_domain::casework::Sector::CivilRegistration {
                    " — the child's birth is not registered (§82)."
                } else {
                    ""
                }
            )
        })
        .collect();
    let events: String = file
        .events
        .iter()
        .rev()
        .map(|e| {
            format!(
                "<li><b>{}</b> · {} · {}<br>{}</li>",
                Date::from_unix(e.at),
                esc(&e.author),
                esc(&e.kind.replace('_', " ")),
                esc(&e.text)
            )
        })
        .collect();
    let consents: String = Consent::ALL
        .iter()
        .map(|k| {
            format!(
                r#"<option value="{0}"{1}>{2}</option>"#,
                k.as_str(),
                if *k == c.consent { " selected" } else { "" },
                k.as_str().replace('_', " ")
            )
        })
        .collect();
    let body = format!(
        r#"{notice}<h1>Case: <a href="/children/{child}">{name}</a></h1>{bar}{suggestions}
<dl><dt>Step</dt><dd>{step}</dd><dt>Risk</dt><dd>{level}{urgent}</dd><dt>Caseworker</dt><dd>{assigned}</dd><dt>Agency</dt><dd>{agency}</dd>
<dt>Next action due</dt><dd>{due}</dd><dt>Consent</dt><dd>{consent}</dd><dt>The child's views</dt><dd>{views}</dd>
<dt>Adoptability</dt><dd>{adopt}</dd><dt>Case plan</dt><dd>{plan}</dd></dl>
<section><h2>Next steps</h2>{next}</section>
<section><h2>Referrals</h2>{refs}{refer}</section>
<section><h2>Notes, consent and the child's views</h2>
<form method="post" action="/cases/{id}/note" class="box">{csrf}<label for="note">Case note (kept encrypted)</label><textarea id="note" name="text" rows="3" required></textarea><p><button type="submit">Add note</button></p></form>
<form method="post" action="/cases/{id}/consent" class="box">{csrf}<label for="consent">Consent</label><select id="consent" name="consent">{consents}</select>
<label for="child_views">The child's own views, in their words</label><textarea id="child_views" name="child_views" rows="2"></textarea><p><button type="submit">Record</button></p></form>
{sup}</section>
<section><h2>History</h2><ul class="history">{events}</ul></section>"#,
        child = esc(&c.child_id),
        name = esc(&c.child_name),
        bar = steps_bar(c),
        step = step_label(c.step),
        level = c.level.map_or("not assessed", |l| l.as_str()),
        urgent = if c.urgent { " — URGENT" } else { "" },
        assigned = esc(&c.assigned_to),
        agency = esc(c.agency.as_deref().unwrap_or("—")),
        due = due_text(c, now),
        consent = c.consent.as_str().replace('_', " "),
        views = esc(c.child_views.as_deref().unwrap_or("not recorded")),
        adopt = esc(c
            .adoptability
            .as_deref()
            .unwrap_or("no determination recorded")),
        plan = esc(c.plan.as_deref().unwrap_or("not written yet")),
        next = next_steps(&s, c),
        refs = referrals_table(&file),
        refer = referral_form(&s, &file),
        id = esc(&c.id),
        csrf = csrf_field(&s),
        sup = supervisor_forms(&s, c),
    );
    page(&format!("Case of {}", c.child_name), Some(&s), &body).into_response()
}

/// The case part of a child's page: a link to the open case, or a button to open one.
pub fn child_section(s: &Session, child_id: &str, cases: &[Case], now: i64) -> String {
    let open = cases.iter().find(|c| c.step != CaseStep::Closed);
    let past = cases.iter().filter(|c| c.step == CaseStep::Closed).count();
    let past = if past > 0 {
        format!(" {past} closed case(s) in the history.")
    } else {
        String::new()
    };
    match open {
        Some(c) => format!(
            r#"<section id="case"><h2>Case</h2><p><a href="/cases/{}">Open case</a>: {} · risk {} · next action due {}.{past}</p></section>"#,
            esc(&c.id),
            step_label(c.step),
            c.level.map_or("not assessed", |l| l.as_str()),
            due_text(c, now)
        ),
        None => format!(
            r#"<section id="case"><h2>Case</h2><p>No open case.{past}</p><form method="post" action="/children/{}/cases">{}<button type="submit">Open a case</button></form></section>"#,
            esc(child_id),
            csrf_field(s)
        ),
    }
}

pub(super) async fn open(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(child): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    let actor = s.actor.clone();
    let back = format!("/children/{child}");
    let assigned = f
        .get("assigned_to")
        .cloned()
        .filter(|a| !a.trim().is_empty());
    post_then(
        &st,
        &s,
        &f,
        &back,
        |c: Case| format!("/cases/{}?done=Case+opened", c.id),
        move |store, now| store.open_case(&actor, &child, assigned.as_deref(), now),
    )
    .await
}

pub(super) async fn step(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<FormData>,
) -> Response {
    let back = format!("/cases/{id}");
    let Some(action) = CaseAction::parse(&action) else {
        return problem(&s, WebError::bad_request("no such step"), &back);
    };
    let actor = s.actor.clone();
    let text = f.get("text").cloned();
    let done = format!(
        "/cases/{id}?done=Saved:+{}",
        action.as_str().replace('_', "+")
    );
    post_then(
        &st,
        &s,
        &f,
        &back,
        |_| done,
        move |store, now| store.case_action(&actor, &id, action, text.as_deref(), now),
    )
    .await
}

pub(super) async fn note(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    let back = format!("/cases/{id}");
    let actor = s.actor.clone();
    let text = f.get("text").cloned().unwrap_or_default();
    post_done(&st, &s, &f, &back, "Note added", move |store, now| {
        store.add_case_note(&actor, &id, &text, now)
    })
    .await
}

pub(super) async fn consent(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    let back = format!("/cases/{id}");
    let Some(consent) = f.get("consent").and_then(|c| Consent::parse(c)) else {
        return problem(
            &s,
            WebError::field("consent", "choose not asked, given or refused"),
            &back,
        );
    };
    let actor = s.actor.clone();
    let views = f.get("child_views").cloned();
    post_done(&st, &s, &f, &back, "Consent recorded", move |store, now| {
        store.record_consent(&actor, &id, consent, views.as_deref(), now)
    })
    .await
}

pub(super) async fn adoptability(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    let back = format!("/cases/{id}");
    let actor = s.actor.clone();
    let text = f.get("determination").cloned().unwrap_or_default();
    post_done(
        &st,
        &s,
        &f,
        &back,
        "Determination recorded",
        move |store, now| store.record_adoptability(&actor, &id, &text, now),
    )
    .await
}

pub(super) async fn assignment(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    let back = format!("/cases/{id}");
    let actor = s.actor.clone();
    let to = f.get("assigned_to").cloned().unwrap_or_default();
    let agency = f.get("agency").cloned().filter(|a| !a.trim().is_empty());
    let reason = f.get("reason").cloned();
    post_then(
        &st,
        &s,
        &f,
        &back,
        |_| "/cases?done=moved".to_string(),
        move |store, now| {
            store.reassign_case(&actor, &id, &to, agency.as_deref(), reason.as_deref(), now)
        },
    )
    .await
}

pub(super) async fn refer(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    let back = format!("/cases/{id}");
    let kind = match f.get("kind").map(String::as_str) {
        None | Some("service") => ReferralKind::Service,
        Some(k) => match ReferralKind::parse(k) {
            Some(k) => k,
            None => {
                return problem(
                    &s,
                    WebError::field("kind", "choose service or adoption"),
                    &back,
                )
            }
        },
    };
    let actor = s.actor.clone();
    let service = f.get("service_id").cloned().unwrap_or_default();
    let reason = f.get("reason").cloned().unwrap_or_default();
    post_done(&st, &s, &f, &back, "Referral sent", move |store, now| {
        store.refer(&actor, &id, &service, kind, &reason, now)
    })
    .await
}
