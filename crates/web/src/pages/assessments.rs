//! The assessment part of a child's page: the trajectory (a small chart and
//! a table of past results with their drivers) and the form to assess.

use super::{csrf_field, esc, problem};
use crate::auth::{check_csrf, PageSession};
use crate::AppState;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::assessment::{Answer, FactorKind, FactorLevel, Instrument, RiskLevel};
use haven_store::assessments::AssessmentRecord;
use haven_store::Session;
use std::collections::BTreeMap;

fn level_label(l: FactorLevel) -> &'static str {
    match l {
        FactorLevel::Child => "The child",
        FactorLevel::Family => "Family and caregivers",
        FactorLevel::Community => "Community and social norms",
        FactorLevel::Institutional => "Access to school, services and justice",
        FactorLevel::Socioeconomic => "Money and basic needs",
        FactorLevel::Environmental => "Shocks: drought, conflict, disaster",
        FactorLevel::Online => "Online and demand exposure",
    }
}

/// A small line chart of scores over time (inline SVG: no scripts).
fn chart(history: &[AssessmentRecord]) -> String {
    if history.len() < 2 {
        return String::new();
    }
    let max = history.iter().map(|a| a.result.score).fold(1.0, f64::max);
    let n = history.len() - 1;
    let points: Vec<String> = history
        .iter()
        .enumerate()
        .map(|(i, a)| {
            format!(
                "{:.1},{:.1}",
                10.0 + 280.0 * i as f64 / n as f64,
                90.0 - 80.0 * a.result.score / max
            )
        })
        .collect();
    format!(
        r#"<svg role="img" aria-label="Vulnerability score over {} assessments" width="300" height="100" viewBox="0 0 300 100"><polyline fill="none" stroke="currentColor" stroke-width="2" points="{}"/></svg>"#,
        history.len(),
        points.join(" ")
    )
}

/// The section shown on a child's page.
pub fn section(
    s: &Session,
    child_id: &str,
    inst: &Instrument,
    history: &[AssessmentRecord],
) -> String {
    let rows: String = history
        .iter()
        .rev()
        .map(|a| {
            let drivers: Vec<String> = a
                .result
                .drivers
                .iter()
                .filter(|d| d.share > 0.0)
                .take(3)
                .map(|d| format!("{} ({:.0}%)", esc(&d.text), d.share * 100.0))
                .collect();
            let confirmed = match (a.confirmed_level, &a.override_reason) {
                (Some(l), Some(r)) => format!(
                    "set to {} by {}: {}",
                    l.as_str(),
                    esc(a.confirmed_by.as_deref().unwrap_or("")),
                    esc(r)
                ),
                (Some(l), None) => format!("confirmed {}", l.as_str()),
                _ => "not yet confirmed".into(),
            };
            format!(
                "<tr><td>{}</td><td><b>{}</b>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                haven_domain::Date::from_unix(a.assessed_at),
                a.result.level.as_str(),
                if a.result.urgent { " — URGENT" } else { "" },
                a.result.layer.as_str(),
                drivers.join("; "),
                confirmed
            )
        })
        .collect();
    let table = if history.is_empty() {
        "<p>No assessment yet.</p>".to_string()
    } else {
        format!("<table><thead><tr><th>Date</th><th>Level</th><th>Prevention</th><th>Main factors</th><th>Caseworker</th></tr></thead><tbody>{rows}</tbody></table>")
    };
    let mut groups: BTreeMap<String, String> = BTreeMap::new();
    for (i, f) in inst.factors.iter().enumerate() {
        let tag = match (f.kind, f.safety) {
            (_, true) => " <b>(immediate safety)</b>",
            (FactorKind::Protective, _) => " <i>(protects)</i>",
            _ => "",
        };
        groups.entry(format!("{:?}", f.level)).or_insert_with(|| format!("<fieldset><legend>{}</legend>", level_label(f.level))).push_str(&format!(
            r#"<p class="check"><input type="checkbox" id="f{i}" name="{}"> <label for="f{i}">{}{tag}</label></p>"#,
            esc(&f.id),
            esc(&f.description)
        ));
    }
    let fieldsets: String = groups.into_values().map(|g| g + "</fieldset>").collect();
    let latest = history
        .last()
        .map(|a| latest_block(s, a))
        .unwrap_or_default();
    format!(
        r#"<section id="assessments"><h2>Vulnerability assessments</h2>{}{table}{latest}
<details><summary>Assess now (instrument version {})</summary>
<form method="post" action="/children/{}/assessments">{}{fieldsets}
<p><button type="submit">Save assessment</button></p></form></details></section>"#,
        chart(history),
        inst.version,
        esc(child_id),
        csrf_field(s)
    )
}

/// The latest result's recommended services and the form to confirm or
/// override its level (an override needs a reason; both are kept).
fn latest_block(s: &Session, a: &AssessmentRecord) -> String {
    let recs: String = a
        .result
        .recommended_services
        .iter()
        .map(|r| {
            let services: Vec<String> = r
                .services
                .iter()
                .map(|sv| format!("{} ({})", esc(&sv.name), esc(&sv.provider)))
                .collect();
            format!(
                "<li><b>{}</b> for {}: {}</li>",
                esc(&r.sector.replace('_', " ")),
                esc(&r.answers.join(", ").replace('_', " ")),
                if services.is_empty() {
                    "no service in the directory covers this district yet".to_string()
                } else {
                    services.join("; ")
                }
            )
        })
        .collect();
    let recs = if recs.is_empty() {
        String::new()
    } else {
        format!(r#"<h3>Recommended services</h3><ul id="recommended">{recs}</ul>"#)
    };
    let options: String = [
        RiskLevel::Low,
        RiskLevel::Medium,
        RiskLevel::High,
        RiskLevel::Critical,
    ]
    .iter()
    .map(|l| {
        let current = a.confirmed_level.unwrap_or(a.result.level);
        format!(
            r#"<option value="{0}"{1}>{0}</option>"#,
            l.as_str(),
            if *l == current { " selected" } else { "" }
        )
    })
    .collect();
    format!(
        r#"{recs}<form method="post" action="/assessments/{}/confirm" class="box">{}
<label for="confirm_level">Level after your own judgement</label><select id="confirm_level" name="level">{options}</select>
<label for="confirm_reason">Reason, if you change the level</label><input id="confirm_reason" name="reason">
<p><button type="submit">Confirm the level</button></p></form>"#,
        esc(&a.id),
        csrf_field(s)
    )
}

/// Confirms or overrides the latest level from the child's page.
pub(super) async fn confirm(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<BTreeMap<String, String>>,
) -> Response {
    let level = f.get("level").and_then(|l| RiskLevel::parse(l));
    let reason = f.get("reason").cloned().filter(|r| !r.trim().is_empty());
    let actor = s.actor.clone();
    let to = |a: AssessmentRecord| format!("/children/{}#assessments", a.child_id);
    super::cases::post_then(&st, &s, &f, "/children", to, move |store, now| {
        let level = level.ok_or_else(|| {
            haven_store::StoreError::field("level", "choose low, medium, high or critical")
        })?;
        store.confirm_assessment(&actor, &id, level, reason.as_deref(), now)
    })
    .await
}

pub(super) async fn create(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<BTreeMap<String, String>>,
) -> Response {
    if let Err(e) = check_csrf(&st, &s, f.get("csrf")).await {
        return e.into_response();
    }
    let answers: BTreeMap<String, Answer> = f
        .keys()
        .filter(|k| k.as_str() != "csrf")
        .map(|k| (k.clone(), Answer::Yes(true)))
        .collect();
    let actor = s.actor.clone();
    let child = id.clone();
    match st
        .run(move |store, now| store.assess_child(&actor, &child, &answers, now))
        .await
    {
        Ok(a) => {
            let urgent = if a.result.urgent { "&urgent=1" } else { "" };
            Redirect::to(&format!(
                "/children/{id}?assessed={}{urgent}#assessments",
                a.result.level.as_str()
            ))
            .into_response()
        }
        Err(e) => problem(&s, e, &format!("/children/{id}")),
    }
}

/// The notice after an assessment.
pub fn notice(level: Option<&String>, urgent: bool) -> String {
    match level.and_then(|l| RiskLevel::parse(l)) {
        Some(l) if urgent => format!(
            r#"<p class="warning" role="alert">Assessed <b>{}</b> and <b>urgent</b>: an immediate safety concern was recorded. Act now.</p>"#,
            l.as_str()
        ),
        Some(l) => format!(
            r#"<p class="notice">Assessed: {}. Check the factors below and confirm or change the level.</p>"#,
            l.as_str()
        ),
        None => String::new(),
    }
}

/// The administrator's page for the instrument: the current version as
/// JSON to edit; saving makes a new version (results keep theirs).
pub(super) async fn instrument_page(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    if s.actor.role != haven_domain::Role::Admin {
        return problem(
            &s,
            crate::error::WebError::new(
                axum::http::StatusCode::FORBIDDEN,
                "forbidden",
                "only an administrator changes the instrument",
            ),
            "/",
        );
    }
    match st.run(|store, now| store.current_instrument(now)).await {
        Ok(inst) => {
            let json = serde_json::to_string_pretty(&inst).unwrap_or_default();
            let body = format!(
                r#"{}<h1>Assessment instrument, version {}</h1><p>Change weights, descriptions, thresholds or factors and save: this makes version {}. Assessments already made keep the version they used.</p>
<form method="post" action="/instrument" class="box">{}
<label for="instrument">Instrument (JSON)</label><textarea id="instrument" name="instrument" rows="30" spellcheck="false">{}</textarea>
<p><button type="submit">Save as a new version</button></p></form>"#,
                q.get("done")
                    .map(|d| format!(r#"<p class="notice" role="status">{}</p>"#, esc(d)))
                    .unwrap_or_default(),
                inst.version,
                inst.version + 1,
                csrf_field(&s),
                esc(&json)
            );
            super::page("Instrument", Some(&s), &body).into_response()
        }
        Err(e) => problem(&s, e, "/"),
    }
}

pub(super) async fn save_instrument(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Form(f): Form<BTreeMap<String, String>>,
) -> Response {
    let actor = s.actor.clone();
    let json = f.get("instrument").cloned().unwrap_or_default();
    super::cases::post_done(
        &st,
        &s,
        &f,
        "/instrument",
        "Saved as a new version",
        move |store, now| store.create_instrument(&actor, &json, now),
    )
    .await
}
