//! The assessment part of a child's page: the trajectory (a small chart
//! and a table of past results with their drivers), the form to assess,
//! and the form to confirm or change the latest level (a change needs a
//! reason; a refused confirmation comes back on the child's page, 422,
//! with the error beside its field).

use super::children::{child_page, store_errors, ChildExtras};
use super::forms::{given, FieldErrors, StaffForm};
use super::layout::Opt;
use super::layout::{label, Staff};
use crate::i18n::Tr;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::assessment::{Answer, FactorKind, FactorLevel, Instrument, RiskLevel};
use haven_store::assessments::AssessmentRecord;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A factor level's message key (the vocabulary's `factor-level-*`).
fn level_key(l: FactorLevel) -> &'static str {
    match l {
        FactorLevel::Child => "factor-level-child",
        FactorLevel::Family => "factor-level-family",
        FactorLevel::Community => "factor-level-community",
        FactorLevel::Institutional => "factor-level-institutional",
        FactorLevel::Socioeconomic => "factor-level-socioeconomic",
        FactorLevel::Environmental => "factor-level-environmental",
        FactorLevel::Online => "factor-level-online",
    }
}

const LEVELS: [RiskLevel; 4] = [
    RiskLevel::Low,
    RiskLevel::Medium,
    RiskLevel::High,
    RiskLevel::Critical,
];

/// A risk level in words, as it reads inside a sentence.
pub(super) fn level_in_sentence(tr: Tr, l: RiskLevel) -> String {
    label(tr, "risk-level", l.as_str()).to_lowercase()
}

/// One past result.
pub(super) struct ResultRow {
    pub date: String,
    pub level: String,
    pub urgent: bool,
    pub layer: String,
    pub drivers: String,
    pub judgement: String,
}

/// One factor to tick.
pub(super) struct FactorItem {
    pub id: String,
    pub description: String,
    pub safety: bool,
    pub protective: bool,
}

/// The factors of one level of the child's world.
pub(super) struct FactorGroup {
    pub legend: String,
    pub factors: Vec<FactorItem>,
}

/// A recommended sector and the services that answer it.
pub(super) struct Recommendation {
    pub heading: String,
    pub services: Vec<String>,
}

/// The latest result's recommendations and confirmation form.
pub(super) struct Latest {
    pub id: String,
    pub recommendations: Vec<Recommendation>,
    pub levels: Vec<Opt>,
    pub reason: String,
}

/// The assessment section of a child's page.
pub(super) struct AssessmentSection {
    pub child_id: String,
    pub version: String,
    /// The chart's points and its spoken description, from two results on.
    pub chart: Option<(String, String)>,
    pub rows: Vec<ResultRow>,
    pub groups: Vec<FactorGroup>,
    pub latest: Option<Latest>,
}

/// A small line chart of scores over time (inline SVG: no scripts).
fn chart(tr: Tr, history: &[AssessmentRecord]) -> Option<(String, String)> {
    if history.len() < 2 {
        return None;
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
    let described = tr.t1("assessment-chart", "count", history.len());
    Some((points.join(" "), described))
}

fn judgement(tr: Tr, a: &AssessmentRecord) -> String {
    match (a.confirmed_level, &a.override_reason) {
        (Some(l), Some(r)) => tr.with(
            "assessment-set-by",
            &[
                ("level", &level_in_sentence(tr, l)),
                ("who", &a.confirmed_by.clone().unwrap_or_default()),
                ("name", r),
            ],
        ),
        (Some(l), None) => tr.t1("assessment-confirmed", "level", level_in_sentence(tr, l)),
        _ => tr.t("assessment-not-confirmed"),
    }
}

/// The section shown on a child's page; `confirm` is the level and reason
/// of a refused confirmation, kept as typed.
pub(super) fn section(
    tr: Tr,
    child_id: &str,
    inst: &Instrument,
    history: &[AssessmentRecord],
    confirm: Option<&(String, String)>,
) -> AssessmentSection {
    let rows = history
        .iter()
        .rev()
        .map(|a| ResultRow {
            date: tr.date(a.assessed_at),
            level: label(tr, "risk-level", a.result.level.as_str()),
            urgent: a.result.urgent,
            layer: label(tr, "prevention-layer", a.result.layer.as_str()),
            drivers: a
                .result
                .drivers
                .iter()
                .filter(|d| d.share > 0.0)
                .take(3)
                .map(|d| {
                    let share = (d.share * 100.0).round() as i64;
                    tr.t2("assessment-driver", "name", d.text.as_str(), "score", share)
                })
                .collect::<Vec<_>>()
                .join("; "),
            judgement: judgement(tr, a),
        })
        .collect();
    let mut groups: Vec<(FactorLevel, FactorGroup)> = Vec::new();
    for f in &inst.factors {
        let item = FactorItem {
            id: f.id.clone(),
            description: f.description.clone(),
            safety: f.safety,
            protective: f.kind == FactorKind::Protective,
        };
        match groups.iter_mut().find(|(l, _)| *l == f.level) {
            Some((_, g)) => g.factors.push(item),
            None => groups.push((
                f.level,
                FactorGroup {
                    legend: tr.t(level_key(f.level)),
                    factors: vec![item],
                },
            )),
        }
    }
    let describe = |id: &str| {
        inst.factors
            .iter()
            .find(|f| f.id == id)
            .map_or_else(|| id.replace('_', " "), |f| f.description.clone())
    };
    let latest = history.last().map(|a| {
        let current = a.confirmed_level.unwrap_or(a.result.level);
        let (chosen, reason) = match confirm {
            Some((level, reason)) => (level.clone(), reason.clone()),
            None => (current.as_str().to_string(), String::new()),
        };
        Latest {
            id: a.id.clone(),
            recommendations: a
                .result
                .recommended_services
                .iter()
                .map(|r| {
                    let answers: Vec<String> = r.answers.iter().map(|id| describe(id)).collect();
                    Recommendation {
                        heading: tr.t2(
                            "assessment-recommendation",
                            "name",
                            label(tr, "sector", &r.sector),
                            "who",
                            answers.join(", "),
                        ),
                        services: r
                            .services
                            .iter()
                            .map(|s| {
                                tr.t2(
                                    "assessment-service",
                                    "name",
                                    s.name.as_str(),
                                    "who",
                                    s.provider.as_str(),
                                )
                            })
                            .collect(),
                    }
                })
                .collect(),
            levels: LEVELS
                .iter()
                .map(|l| Opt {
                    value: l.as_str().to_string(),
                    label: label(tr, "risk-level", l.as_str()),
                    selected: l.as_str() == chosen,
                })
                .collect(),
            reason,
        }
    });
    AssessmentSection {
        child_id: child_id.to_string(),
        version: tr.number(inst.version),
        chart: chart(tr, history),
        rows,
        groups: groups.into_iter().map(|(_, g)| g).collect(),
        latest,
    }
}

/// The notice after an assessment: a confirmation, or a warning when an
/// immediate safety concern made it urgent.
pub(super) fn notice(tr: Tr, level: &str, urgent: bool) -> (Option<String>, Option<String>) {
    let Some(l) = RiskLevel::parse(level) else {
        return (None, None);
    };
    let level = level_in_sentence(tr, l);
    if urgent {
        (None, Some(tr.t1("assessment-done-urgent", "level", level)))
    } else {
        (Some(tr.t1("assessment-done", "level", level)), None)
    }
}

/// The confirmation form as typed.
#[derive(Deserialize)]
pub(super) struct ConfirmForm {
    #[serde(default)]
    level: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    child: String,
}

fn confirm_field(field: &str) -> Option<(&'static str, &'static str)> {
    match field {
        "level" => Some(("confirm_level", "assessment-error-level")),
        "reason" => Some(("confirm_reason", "assessment-error-reason")),
        _ => None,
    }
}

/// Confirms or overrides the latest level from the child's page.
pub(super) async fn confirm(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<ConfirmForm>,
) -> Response {
    let tr = staff.tr;
    // The form lives on the child's page and names the child, to come
    // back to that page; the store checks the assessment's own child.
    let child_id = form.child.trim().to_string();
    let again = |staff: Staff, errors: FieldErrors| {
        let st = st.clone();
        let child_id = child_id.clone();
        let typed = (form.level.clone(), form.reason.clone());
        async move {
            if child_id.is_empty() {
                let e = crate::error::WebError::field("level", "the form names no child");
                return staff.problem(&e, "/children");
            }
            let extras = ChildExtras {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                confirm: Some(typed),
                errors,
                ..ChildExtras::none(staff.tr)
            };
            child_page(&st, &staff, child_id, extras).await
        }
    };
    let mut errors = FieldErrors::new(tr);
    let level = RiskLevel::parse(form.level.trim());
    if level.is_none() {
        errors.add("confirm_level", "assessment-error-level");
    }
    if form.reason.chars().count() > 10_000 {
        errors.add("confirm_reason", "assessment-error-reason-too-long");
    }
    let Some(level) = level.filter(|_| errors.is_empty()) else {
        return again(staff, errors).await;
    };
    let reason = given(&form.reason);
    let actor = staff.session.actor.clone();
    match st
        .run(move |store, now| store.confirm_assessment(&actor, &id, level, reason.as_deref(), now))
        .await
    {
        Ok(a) => Redirect::to(&format!("/children/{}#assessments", a.child_id)).into_response(),
        Err(e) => match store_errors(tr, e, confirm_field) {
            Ok(errors) => again(staff, errors).await,
            Err(e) => staff.problem(&e, &format!("/children/{child_id}")),
        },
    }
}

/// Records an assessment: every factor ticked is answered yes.
pub(super) async fn create(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<BTreeMap<String, String>>,
) -> Response {
    let answers: BTreeMap<String, Answer> = form
        .into_keys()
        .filter(|k| k.as_str() != "csrf")
        .map(|k| (k, Answer::Yes(true)))
        .collect();
    let actor = staff.session.actor.clone();
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
        Err(e) => staff.problem(&e, &format!("/children/{id}")),
    }
}
