//! The staff triage queue and a report's page with its decisions (C5).

use super::cases::post_done;
use super::{csrf_field, date, districts, esc, page, problem};
use crate::auth::{check_csrf, PageSession};
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::report::Decision;
use haven_domain::NewChild;
use haven_store::reports::{ChildLink, ReportFile};
use haven_store::{PossibleDuplicate, Session};
use std::collections::{BTreeMap, HashMap};

type FormData = BTreeMap<String, String>;

fn words(s: &str) -> String {
    s.replace('_', " ")
}

pub(super) async fn queue(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let all = q.get("all").is_some_and(|v| v == "true");
    let actor = s.actor.clone();
    match st
        .run(move |store, now| store.list_reports(&actor, !all, now))
        .await
    {
        Ok(items) => {
            let rows: String = items
                .iter()
                .map(|r| {
                    let due = if r.overdue {
                        format!(r#"<span class="error">late since {}</span>"#, date(r.due_at))
                    } else if r.decision.is_some() {
                        "—".into()
                    } else {
                        date(r.due_at)
                    };
                    format!(
                        r#"<tr><td>{}{}</td><td><a href="/reports/{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{due}</td><td>{}</td></tr>"#,
                        r.priority,
                        if r.danger_now { r#" <b class="error">danger now</b>"# } else { "" },
                        esc(&r.id),
                        words(r.category.as_str()),
                        words(r.reporter.as_str()),
                        esc(r.location.as_deref().unwrap_or("—")),
                        date(r.received_at),
                        r.decision.map_or("open".to_string(), |d| words(d.as_str())),
                    )
                })
                .collect();
            let body = format!(
                r#"<h1>Reports to triage</h1><p>Most urgent first: a child in danger now, then exploitation, trafficking, abuse and online material, then the rest. <a href="/reports?all=true">Include decided reports</a></p>
<table><thead><tr><th>Priority</th><th>Concern</th><th>Reporter</th><th>Place</th><th>Received</th><th>Act by</th><th>Decision</th></tr></thead><tbody>{rows}</tbody></table>"#
            );
            page("Reports", Some(&s), &body).into_response()
        }
        Err(e) => problem(&s, e, "/"),
    }
}

fn decision_forms(s: &Session, r: &ReportFile, districts: &[(String, String)]) -> String {
    if r.summary.decision.is_some() {
        return String::new();
    }
    let id = esc(&r.summary.id);
    let csrf = csrf_field(s);
    let mut out = String::new();
    if s.actor.role.handles_children() {
        let options: String = districts
            .iter()
            .map(|(c, n)| {
                format!(
                    r#"<option value="{}">{} ({})</option>"#,
                    esc(c),
                    esc(n),
                    esc(c)
                )
            })
            .collect();
        out.push_str(&format!(
            r#"<details open><summary>Open a case</summary>
<form method="post" action="/reports/{id}/decision" class="box">{csrf}<input type="hidden" name="decision" value="open_case">
<p>Check first whether the child is registered: <a href="/children">find a child</a> (misspellings are tolerated).</p>
<label for="child_id">Record number of the registered child</label><input id="child_id" name="child_id">
<p><b>or</b> register the child (the duplicate check runs):</p>
<label for="given_name">Given name</label><input id="given_name" name="given_name">
<label for="family_name">Family name</label><input id="family_name" name="family_name">
<label for="sex">Sex</label><select id="sex" name="sex"><option value="unknown">not known</option><option value="female">female</option><option value="male">male</option><option value="other">other</option></select>
<label for="estimated_age">Age (estimate)</label><input id="estimated_age" name="estimated_age" type="number" min="0" max="17" value="{age}">
<label for="location">District</label><select id="location" name="location">{options}</select>
<label for="case_reason">Why a case</label><input id="case_reason" name="reason">
<p><button type="submit">Open the case</button></p></form></details>"#,
            age = r.child_age.map(|a| a.to_string()).unwrap_or_default()
        ));
    }
    if r.url.is_some() {
        out.push_str(&format!(
            r#"<form method="post" action="/reports/{id}/decision" class="box">{csrf}<input type="hidden" name="decision" value="hotline"><p>The report gives a web address: the hotline assesses the material.</p><button type="submit">Send to the hotline</button></form>"#
        ));
    }
    for (d, label, prompt) in [
        (
            Decision::Police,
            "Refer to the police",
            "Which unit, and their reference",
        ),
        (Decision::Close, "Close", "Why no action is needed"),
    ] {
        out.push_str(&format!(
            r#"<form method="post" action="/reports/{id}/decision" class="box">{csrf}<input type="hidden" name="decision" value="{}"><label for="reason-{0}">{prompt}</label><input id="reason-{0}" name="reason" required><p><button type="submit">{label}</button></p></form>"#,
            d.as_str()
        ));
    }
    out
}

fn report_page(
    s: &Session,
    r: &ReportFile,
    contact: Option<&str>,
    districts: &[(String, String)],
    dups: &[PossibleDuplicate],
    done: Option<&str>,
) -> String {
    let messages: String = r
        .messages
        .iter()
        .map(|m| {
            format!(
                "<li><b>{}</b> · {} · {}<br>{}</li>",
                date(m.at),
                if m.source == "reporter" {
                    "from the reporter"
                } else {
                    "staff note"
                },
                esc(&m.author),
                esc(&m.text)
            )
        })
        .collect();
    let dup_block = if dups.is_empty() {
        String::new()
    } else {
        let items: String = dups
            .iter()
            .map(|d| {
                format!(
                    r#"<li><a href="/children/{}">{}</a>: {}</li>"#,
                    esc(&d.child.id),
                    esc(&d.child.full_name()),
                    esc(&d.reasons.join("; "))
                )
            })
            .collect();
        format!(
            r#"<div class="warning" id="duplicates"><b>Possible duplicate records</b> of the child just registered. Check them; nothing has been merged.<ul>{items}</ul></div>"#
        )
    };
    let done = done
        .map(|d| format!(r#"<p class="notice" role="status">{}</p>"#, esc(d)))
        .unwrap_or_default();
    let links = match (&r.case_id, &r.hotline_item_id) {
        (Some(c), _) => format!(r#"<p><a href="/cases/{}">Go to the case</a></p>"#, esc(c)),
        (_, Some(h)) if s.actor.role.keeps_lists() => format!(
            r#"<p><a href="/hotline/{}">Go to the hotline item</a></p>"#,
            esc(h)
        ),
        _ => String::new(),
    };
    format!(
        r#"{done}{dup_block}<h1>Report: {cat}</h1>{links}
<dl><dt>Priority</dt><dd>{prio}{danger}</dd><dt>Received</dt><dd>{received}</dd><dt>Reporter</dt><dd>{reporter} (language {lang})</dd>
<dt>Contact</dt><dd>{contact}</dd><dt>Place</dt><dd>{location} {place}</dd><dt>Child's age</dt><dd>{age}</dd>
<dt>Web address</dt><dd>{url}</dd><dt>What the reporter sees</dt><dd>{public}</dd><dt>Decision</dt><dd>{decision}</dd></dl>
<h2>What happened</h2><p class="box">{desc}</p>
<h2>Decide</h2>{forms}
<h2>Notes and additions</h2><ul class="history">{messages}</ul>
<form method="post" action="/reports/{id}/note" class="box">{csrf}<label for="note">Staff note (never shown to the reporter)</label><textarea id="note" name="text" rows="2" required></textarea><p><button type="submit">Add note</button></p></form>"#,
        cat = words(r.summary.category.as_str()),
        prio = r.summary.priority,
        danger = if r.summary.danger_now {
            r#" — <b class="error">a child is in danger now</b>"#
        } else {
            ""
        },
        received = date(r.summary.received_at),
        reporter = words(r.summary.reporter.as_str()),
        lang = esc(&r.lang),
        contact = match (r.has_contact, contact) {
            (false, _) => "none given".to_string(),
            (true, Some(c)) => esc(c),
            (true, None) => format!(
                r#"given, kept apart — <a href="/reports/{}?contact=show">show the contact details</a> (each look is recorded in the audit log)"#,
                esc(&r.summary.id)
            ),
        },
        location = esc(r.summary.location.as_deref().unwrap_or("")),
        place = esc(r.place.as_deref().unwrap_or("")),
        age = r.child_age.map_or("not given".into(), |a| a.to_string()),
        url = esc(r.url.as_deref().unwrap_or("—")),
        public = words(r.public_status.as_str()),
        decision = r
            .summary
            .decision
            .map_or("not yet".to_string(), |d| format!(
                "{} by {}{}",
                words(d.as_str()),
                esc(r.decided_by.as_deref().unwrap_or("")),
                r.decision_reason
                    .as_deref()
                    .map(|x| format!(": {}", esc(x)))
                    .unwrap_or_default()
            )),
        desc = esc(&r.description),
        forms = decision_forms(s, r, districts),
        id = esc(&r.summary.id),
        csrf = csrf_field(s),
    )
}

pub(super) async fn show(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let actor = s.actor.clone();
    let show_contact = q.get("contact").is_some_and(|c| c == "show");
    match st
        .run(move |store, now| {
            let r = store.get_report(&actor, &id, now)?;
            let contact = if show_contact && r.has_contact {
                store.report_contact(&actor, &id, now)?
            } else {
                None
            };
            Ok((r, contact))
        })
        .await
    {
        Ok((r, contact)) => {
            let d = districts(&st, s.actor.clone()).await;
            let body = report_page(
                &s,
                &r,
                contact.as_deref(),
                &d,
                &[],
                q.get("done").map(String::as_str),
            );
            page("Report", Some(&s), &body).into_response()
        }
        Err(e) => problem(&s, e, "/reports"),
    }
}

pub(super) async fn note(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    let back = format!("/reports/{id}");
    let actor = s.actor.clone();
    let text = f.get("text").cloned().unwrap_or_default();
    post_done(&st, &s, &f, &back, "Note added", move |store, now| {
        store.add_report_note(&actor, &id, &text, now)
    })
    .await
}

pub(super) async fn decide(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    let back = format!("/reports/{id}");
    if let Err(e) = check_csrf(&st, &s, f.get("csrf")).await {
        return problem(&s, e, &back);
    }
    let get = |k: &str| {
        f.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let Some(decision) = get("decision").and_then(|d| Decision::parse(&d)) else {
        return problem(&s, WebError::field("decision", "choose a decision"), &back);
    };
    let link = if decision != Decision::OpenCase {
        None
    } else if let Some(c) = get("child_id") {
        Some(ChildLink::Existing(c))
    } else if get("given_name").is_some() {
        let age = match get("estimated_age").map(|a| a.parse::<i64>()) {
            None => None,
            Some(Ok(a)) => Some(a),
            Some(Err(_)) => {
                return problem(
                    &s,
                    WebError::field("estimated_age", "must be a number from 0 to 17"),
                    &back,
                )
            }
        };
        Some(ChildLink::New(Box::new(NewChild {
            given_name: get("given_name").unwrap_or_default(),
            family_name: get("family_name").unwrap_or_default(),
            sex: get("sex").unwrap_or_else(|| "unknown".into()),
            estimated_age: age,
            location: get("location").unwrap_or_default(),
            ..Default::default()
        })))
    } else {
        None
    };
    let reason = get("reason");
    let actor = s.actor.clone();
    let rid = id.clone();
    match st
        .run(move |store, now| {
            store.decide_report(
                &actor,
                &rid,
                decision,
                reason.as_deref(),
                link.as_ref(),
                now,
            )
        })
        .await
    {
        Ok((r, dups)) if !dups.is_empty() => {
            let d = districts(&st, s.actor.clone()).await;
            page(
                "Report",
                Some(&s),
                &report_page(&s, &r, None, &d, &dups, Some("Decision recorded")),
            )
            .into_response()
        }
        Ok(_) => Redirect::to(&format!("/reports/{id}?done=Decision+recorded")).into_response(),
        Err(e) => problem(&s, e, &back),
    }
}
