//! Referrals as the receiving agency answers them, referral figures per
//! agency (§87), and the services directory.

use super::cases::post_then;
use super::{csrf_field, esc, page, problem};
use crate::auth::PageSession;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Response};
use haven_domain::assessment::PreventionLayer;
use haven_domain::casework::{NewService, ReferralStatus, Sector};
use haven_domain::Date;
use haven_store::casework::{AgencyReferrals, Referral, ReferralBox};
use haven_store::Session;
use std::collections::BTreeMap;

fn answer_forms(s: &Session, r: &Referral) -> String {
    let form = |status: ReferralStatus, label: &str, note: Option<&str>| {
        let field = note
            .map(|n| {
                format!(
                    r#"<label for="n-{id}-{st}">{n}</label><input id="n-{id}-{st}" name="note"{req}>"#,
                    id = esc(&r.id),
                    st = status.as_str(),
                    req = if status == ReferralStatus::Declined { " required" } else { "" }
                )
            })
            .unwrap_or_default();
        format!(
            r#"<form method="post" action="/referrals/{}/answer" class="inline-form">{}<input type="hidden" name="status" value="{}">{field}<button type="submit">{label}</button></form>"#,
            esc(&r.id),
            csrf_field(s),
            status.as_str()
        )
    };
    match r.status {
        ReferralStatus::Sent => format!(
            "{}{}",
            form(ReferralStatus::Accepted, "Accept", None),
            form(
                ReferralStatus::Declined,
                "Decline",
                Some("Reason for declining")
            )
        ),
        ReferralStatus::Accepted => form(
            ReferralStatus::Completed,
            "Mark completed",
            Some("What was done"),
        ),
        _ => String::new(),
    }
}

fn table(s: &Session, items: &[Referral], incoming: bool) -> String {
    if items.is_empty() {
        return "<p>None.</p>".into();
    }
    let rows: String = items
        .iter()
        .map(|r| {
            let deadline = if r.overdue {
                format!(r#"<span class="error">overdue since {}</span>"#, Date::from_unix(r.respond_by))
            } else {
                Date::from_unix(r.respond_by).to_string()
            };
            let who = if incoming {
                esc(&r.child_name)
            } else {
                format!(r#"<a href="/cases/{}">{}</a>"#, esc(&r.case_id), esc(&r.child_name))
            };
            format!(
                "<tr><td>{who}</td><td>{}<br><small>{}</small></td><td>{}</td><td>{}</td><td>{deadline}</td><td>{}</td></tr>",
                esc(&r.service_name),
                esc(&r.reason),
                esc(if incoming { r.from_agency.as_deref().unwrap_or("—") } else { &r.to_agency }),
                r.status.as_str(),
                if incoming { answer_forms(s, r) } else { esc(r.answer.as_deref().unwrap_or("")) }
            )
        })
        .collect();
    let other = if incoming { "From" } else { "To" };
    let last = if incoming { "Answer" } else { "Their answer" };
    format!("<table><thead><tr><th>Child</th><th>Service and reason</th><th>{other}</th><th>Status</th><th>Answer due</th><th>{last}</th></tr></thead><tbody>{rows}</tbody></table>")
}

/// Referral figures per receiving agency.
pub fn agency_table(rows: &[AgencyReferrals]) -> String {
    if rows.is_empty() {
        return "<p>No referrals yet.</p>".into();
    }
    let body: String = rows
        .iter()
        .map(|a| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&a.agency),
                a.waiting,
                if a.overdue > 0 {
                    format!(r#"<span class="error">{}</span>"#, a.overdue)
                } else {
                    "0".into()
                },
                a.accepted,
                a.completed,
                a.declined
            )
        })
        .collect();
    format!("<table><thead><tr><th>Receiving agency</th><th>Waiting</th><th>Overdue</th><th>Accepted</th><th>Completed</th><th>Declined</th></tr></thead><tbody>{body}</tbody></table>")
}

pub(super) async fn index(State(st): State<AppState>, PageSession(s): PageSession) -> Response {
    let actor = s.actor.clone();
    let result = st
        .run(move |store, now| {
            let incoming = store.list_referrals(&actor, ReferralBox::Incoming, now)?;
            let outgoing = store.list_referrals(&actor, ReferralBox::Outgoing, now)?;
            let by_agency = store.referrals_by_agency(&actor, now)?;
            Ok((incoming, outgoing, by_agency))
        })
        .await;
    match result {
        Ok((incoming, outgoing, by_agency)) => {
            let mine = match &s.actor.agency {
                Some(a) => format!(
                    "<h2>Referrals to {}</h2>{}",
                    esc(a),
                    table(&s, &incoming, true)
                ),
                None if s.actor.role == haven_domain::Role::Admin => {
                    format!("<h2>All referrals</h2>{}", table(&s, &incoming, true))
                }
                None => String::new(),
            };
            let body = format!(
                "<h1>Referrals</h1>{mine}<h2>Sent for children in your area</h2>{}<h2>By receiving agency</h2>{}",
                table(&s, &outgoing, false),
                agency_table(&by_agency)
            );
            page("Referrals", Some(&s), &body).into_response()
        }
        Err(e) => problem(&s, e, "/"),
    }
}

pub(super) async fn answer(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<BTreeMap<String, String>>,
) -> Response {
    let Some(status) = f.get("status").and_then(|v| ReferralStatus::parse(v)) else {
        return problem(
            &s,
            WebError::field("status", "choose accept, decline or complete"),
            "/referrals",
        );
    };
    let actor = s.actor.clone();
    let note = f.get("note").cloned().filter(|n| !n.trim().is_empty());
    post_then(
        &st,
        &s,
        &f,
        "/referrals",
        |_| "/referrals".to_string(),
        move |store, now| store.answer_referral(&actor, &id, status, note.as_deref(), now),
    )
    .await
}

/// The administrator's form to add a service: factors come from the
/// current instrument, places from the location list.
async fn add_form(st: &AppState, s: &Session) -> String {
    let actor = s.actor.clone();
    let Ok((inst, places)) = st
        .run(move |store, now| {
            Ok((
                store.current_instrument(now)?,
                store.list_locations(&actor)?,
            ))
        })
        .await
    else {
        return String::new();
    };
    let sectors: String = Sector::ALL
        .iter()
        .map(|x| {
            format!(
                r#"<option value="{0}">{1}</option>"#,
                x.as_str(),
                x.as_str().replace('_', " ")
            )
        })
        .collect();
    let places: String = places
        .iter()
        .map(|l| {
            format!(
                r#"<option value="{}">{} ({})</option>"#,
                esc(&l.code),
                esc(&l.name),
                esc(&l.code)
            )
        })
        .collect();
    let factors: String = inst
        .factors
        .iter()
        .filter(|f| f.kind != haven_domain::assessment::FactorKind::Protective)
        .map(|f| {
            format!(
                r#"<option value="{}">{}</option>"#,
                esc(&f.id),
                esc(&f.description)
            )
        })
        .collect();
    let layers: String = ["primary", "secondary", "tertiary"]
        .iter()
        .map(|l| format!(r#"<p class="check"><input type="checkbox" id="layer-{l}" name="layers" value="{l}"> <label for="layer-{l}">{l}</label></p>"#))
        .collect();
    format!(
        r#"<form method="post" action="/services" class="box"><h2>Add a service</h2>{}
<label for="sv_name">Name</label><input id="sv_name" name="name" required>
<label for="provider">Provider</label><input id="provider" name="provider" required>
<label for="agency">Agency code (its users answer the referrals)</label><input id="agency" name="agency" required>
<label for="sector">Sector</label><select id="sector" name="sector">{sectors}</select>
<fieldset><legend>Prevention layers</legend>{layers}</fieldset>
<label for="coverage">Area covered</label><select id="coverage" name="coverage">{places}</select>
<label for="factors">Factors it answers (hold Ctrl to choose several)</label><select id="factors" name="factors" multiple size="8">{factors}</select>
<label for="contact">Contact</label><input id="contact" name="contact">
<p><button type="submit">Add the service</button></p></form>"#,
        csrf_field(s)
    )
}

pub(super) async fn add_service(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let all = |k: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let one = |k: &str| all(k).into_iter().next().unwrap_or_default();
    let f: BTreeMap<String, String> = pairs.iter().cloned().collect();
    let Some(sector) = Sector::parse(&one("sector")) else {
        return problem(
            &s,
            WebError::field("sector", "choose a sector"),
            "/services",
        );
    };
    let layers = all("layers")
        .iter()
        .filter_map(|l| match l.as_str() {
            "primary" => Some(PreventionLayer::Primary),
            "secondary" => Some(PreventionLayer::Secondary),
            "tertiary" => Some(PreventionLayer::Tertiary),
            _ => None,
        })
        .collect();
    let service = NewService {
        name: one("name"),
        provider: one("provider"),
        agency: one("agency"),
        sector,
        layers,
        coverage: one("coverage"),
        factors: all("factors"),
        contact: one("contact"),
    };
    let actor = s.actor.clone();
    post_then(
        &st,
        &s,
        &f,
        "/services",
        |_| "/services".to_string(),
        move |store, now| store.create_service(&actor, &service, now),
    )
    .await
}

pub(super) async fn services(State(st): State<AppState>, PageSession(s): PageSession) -> Response {
    let actor = s.actor.clone();
    match st
        .run(move |store, _| store.list_services(&actor, None))
        .await
    {
        Ok(items) => {
            let rows: String = items
                .iter()
                .map(|sv| {
                    let layers: Vec<&str> = sv.layers.iter().map(|l| l.as_str()).collect();
                    format!(
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        esc(&sv.name),
                        esc(&sv.provider),
                        sv.sector.as_str().replace('_', " "),
                        layers.join(", "),
                        esc(&sv.coverage),
                        esc(&sv.factors.join(", ").replace('_', " ")),
                        esc(&sv.contact)
                    )
                })
                .collect();
            let form = if s.actor.role == haven_domain::Role::Admin {
                add_form(&st, &s).await
            } else {
                String::new()
            };
            let body = format!("<h1>Services directory</h1><table><thead><tr><th>Service</th><th>Provider</th><th>Sector</th><th>Prevention</th><th>Covers</th><th>Answers</th><th>Contact</th></tr></thead><tbody>{rows}</tbody></table>{form}");
            page("Services", Some(&s), &body).into_response()
        }
        Err(e) => problem(&s, e, "/"),
    }
}
