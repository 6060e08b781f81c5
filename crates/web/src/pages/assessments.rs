//! The assessment part of a child's page: the latest result (critical as an
//! alert in words, factors not known named, a provisional level said so),
//! the trajectory (a chart drawn on the server, with the table of dates and
//! levels as its text), and the form to confirm or change the latest level
//! (a change needs a reason; a refused confirmation comes back on the
//! child's page, 422, with the error beside its field). The form to assess
//! is a page of its own: each factor, grouped by the level of the child's
//! world it belongs to, answered yes, no or not known, with the answers the
//! child's record already gives filled in and said so, and notes.

use super::children::{child_page, store_errors, ChildExtras};
use super::forms::{given, FieldErrors, StaffForm};
use super::layout::Opt;
use super::layout::{label, render_with, Layout, Staff};
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::assessment::{
    Answer, Factor, FactorKind, FactorLevel, Instrument, RiskLevel, Thresholds,
};
use haven_domain::assessment_prefill::{prefill, RecordField};
use haven_domain::{Child, Date};
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

/// A factor in plain words in the reader's language: the shipped
/// instrument's factors have their own text; a factor an administrator
/// added shows its description without paragraph numbers.
pub(super) fn factor_label(tr: Tr, f: &Factor) -> String {
    let key = format!("assessment-factor-{}", f.id);
    if tr.has(&key) {
        tr.t(&key)
    } else {
        plain_words(&f.description)
    }
}

/// A factor's label from its id alone (a factor no longer in the current
/// instrument reads as its id in words).
fn factor_id_label(tr: Tr, inst: &Instrument, id: &str) -> String {
    match inst.factors.iter().find(|f| f.id == id) {
        Some(f) => factor_label(tr, f),
        None => {
            let key = format!("assessment-factor-{id}");
            if tr.has(&key) {
                tr.t(&key)
            } else {
                id.replace('_', " ")
            }
        }
    }
}

/// Text without paragraph references: "(§56: counts ...)" keeps its words,
/// "(§29)" and "para. 12" go.
pub(super) fn plain_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('§') {
        out.push_str(&rest[..i]);
        let after = &rest[i + '§'.len_utf8()..];
        let refs = after
            .find(|c: char| !(c.is_ascii_digit() || "-(), §abcdefghi".contains(c)))
            .unwrap_or(after.len());
        rest = after[refs..].trim_start_matches(':').trim_start();
    }
    out.push_str(rest);
    let mut cleaned = out.replace("para.", "").replace("()", "");
    while cleaned.contains("  ") {
        cleaned = cleaned.replace("  ", " ");
    }
    cleaned
        .replace("( ", "(")
        .replace(" )", ")")
        .replace("()", "")
        .trim()
        .to_string()
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

/// The latest result, in words.
pub(super) struct LatestResult {
    /// "Computed level: at least high".
    pub level: String,
    /// The level is critical (computed, or set by the caseworker).
    pub critical: bool,
    /// "3 factors not known: …".
    pub unknown: Option<String>,
    /// How far the unknowns could move the level.
    pub provisional: Option<String>,
    /// The caseworker's notes.
    pub notes: Option<String>,
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

/// One level's band behind the chart's line.
pub(super) struct Band {
    pub y: i32,
    pub height: i32,
    pub label_y: i32,
    pub class: &'static str,
    pub name: String,
}

/// One assessment on the chart.
pub(super) struct Point {
    pub x: i32,
    pub y: i32,
    pub label: String,
    pub date: String,
    pub date_y: i32,
}

/// The trajectory chart: level bands, axes, a line through the points,
/// each point labelled with its level and its date on the x axis.
pub(super) struct Chart {
    pub described: String,
    pub width: i32,
    pub height: i32,
    pub left: i32,
    pub right: i32,
    pub top: i32,
    pub bottom: i32,
    pub bands: Vec<Band>,
    pub points: Vec<Point>,
    pub line: String,
    pub x_title: String,
    pub y_title: String,
}

/// The assessment section of a child's page.
pub(super) struct AssessmentSection {
    pub child_id: String,
    pub version: String,
    pub chart: Option<Chart>,
    pub rows: Vec<ResultRow>,
    pub result: Option<LatestResult>,
    pub latest: Option<Latest>,
}

/// The chart shows the latest assessments, at most this many.
const CHART_POINTS: usize = 6;

/// The score range of a level: [from, to).
fn band_range(t: &Thresholds, l: RiskLevel) -> (f64, f64) {
    match l {
        RiskLevel::Low => (0.0, t.medium),
        RiskLevel::Medium => (t.medium, t.high),
        RiskLevel::High => (t.high, t.critical),
        RiskLevel::Critical => (t.critical, t.critical * 1.5),
    }
}

fn band_class(l: RiskLevel) -> &'static str {
    match l {
        RiskLevel::Low => "band-low",
        RiskLevel::Medium => "band-medium",
        RiskLevel::High => "band-high",
        RiskLevel::Critical => "band-critical",
    }
}

/// A level in a table or chart, with "at least" or "provisional" when the
/// factors not known could move it.
fn level_text(tr: Tr, a: &AssessmentRecord) -> String {
    let level = label(tr, "risk-level", a.result.level.as_str());
    if a.result.at_least() {
        tr.t1("assessment-level-at-least", "level", level)
    } else if a.result.provisional {
        tr.t1("assessment-level-provisional", "level", level)
    } else {
        level
    }
}

/// The trajectory drawn on the server (no scripts): four equal bands, low
/// at the bottom, each point inside its own level's band (placed by its
/// score within the band), dates along the x axis.
fn chart(tr: Tr, inst: &Instrument, history: &[AssessmentRecord]) -> Option<Chart> {
    if history.is_empty() {
        return None;
    }
    let shown = &history[history.len().saturating_sub(CHART_POINTS)..];
    let (width, height, left, right, top, bottom) = (440, 270, 78, 428, 24, 214);
    let band_h = (bottom - top) / 4;
    let bands = LEVELS
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let y = bottom - band_h * (i as i32 + 1);
            Band {
                y,
                height: band_h,
                label_y: y + band_h / 2 + 4,
                class: band_class(*l),
                name: label(tr, "risk-level", l.as_str()),
            }
        })
        .collect();
    let n = shown.len() as i32;
    let step = (right - left) / n;
    let points: Vec<Point> = shown
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let band = LEVELS
                .iter()
                .position(|l| *l == a.result.level)
                .unwrap_or(0) as f64;
            let (from, to) = band_range(&inst.thresholds, a.result.level);
            let within = ((a.result.score - from) / (to - from)).clamp(0.15, 0.85);
            let y = f64::from(bottom) - (band + within) * f64::from(band_h);
            Point {
                x: left + step * i as i32 + step / 2,
                y: y.round() as i32,
                label: level_text(tr, a),
                date: tr.date(a.assessed_at),
                // Alternate rows so that neighbouring dates do not overlap.
                date_y: bottom + 18 + if n > 3 && i % 2 == 1 { 16 } else { 0 },
            }
        })
        .collect();
    let line = points
        .iter()
        .map(|p| format!("{},{}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ");
    Some(Chart {
        described: tr.t1("assessment-chart", "count", shown.len()),
        width,
        height,
        left,
        right,
        top,
        bottom,
        bands,
        points,
        line,
        x_title: tr.t("assessment-chart-date"),
        y_title: tr.t("assessment-chart-level"),
    })
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

/// The latest result in words.
fn latest_result(tr: Tr, inst: &Instrument, a: &AssessmentRecord) -> LatestResult {
    let r = &a.result;
    let in_sentence = |l: RiskLevel| level_in_sentence(tr, l);
    let level = if r.at_least() {
        tr.t1("assessment-at-least", "level", in_sentence(r.level))
    } else {
        in_sentence(r.level)
    };
    let unknown = (!r.unknown_factors.is_empty()).then(|| {
        let names: Vec<String> = r
            .unknown_factors
            .iter()
            .map(|id| factor_id_label(tr, inst, id))
            .collect();
        tr.t2(
            "assessment-unknown",
            "count",
            r.unknown_factors.len(),
            "names",
            names.join("; "),
        )
    });
    let provisional = match (r.provisional, r.lowest_level, r.highest_level) {
        (true, Some(_), Some(high)) if r.at_least() => {
            Some(tr.t1("assessment-could-rise", "high", in_sentence(high)))
        }
        (true, Some(low), Some(high)) => Some(tr.t2(
            "assessment-provisional",
            "low",
            in_sentence(low),
            "high",
            in_sentence(high),
        )),
        _ => None,
    };
    LatestResult {
        level: tr.t1("assessment-latest-level", "level", level),
        critical: a.confirmed_level.unwrap_or(r.level) == RiskLevel::Critical,
        unknown,
        provisional,
        notes: a.notes.clone(),
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
            level: level_text(tr, a),
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
                    let name = factor_id_label(tr, inst, &d.factor);
                    tr.t2("assessment-driver", "name", name, "score", share)
                })
                .collect::<Vec<_>>()
                .join("; "),
            judgement: judgement(tr, a),
        })
        .collect();
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
                    let answers: Vec<String> = r
                        .answers
                        .iter()
                        .map(|id| factor_id_label(tr, inst, id))
                        .collect();
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
        chart: chart(tr, inst, history),
        rows,
        result: history.last().map(|a| latest_result(tr, inst, a)),
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

/// One answer choice of a factor.
pub(super) struct Choice {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

/// One factor to answer.
pub(super) struct FactorItem {
    pub id: String,
    /// The form field its error is shown beside (the first choice).
    pub field: String,
    pub label: String,
    pub safety: bool,
    pub protective: bool,
    pub choices: Vec<Choice>,
    /// Where the record's answer came from, when the form was filled in
    /// from it.
    pub from_record: Option<String>,
}

/// The factors of one level of the child's world.
pub(super) struct FactorGroup {
    pub legend: String,
    pub factors: Vec<FactorItem>,
}

#[derive(Template)]
#[template(path = "assessment_form.html")]
struct AssessmentForm {
    l: Layout,
    child_id: String,
    name: String,
    prefilled: Option<String>,
    groups: Vec<FactorGroup>,
    notes: String,
    errors: FieldErrors,
}

/// The message key of the record field an answer came from (the child
/// page's own label for it).
fn record_field_key(f: RecordField) -> &'static str {
    match f {
        RecordField::DateOfBirth => "children-age",
        RecordField::BirthRegistration => "child-birth-registration",
        RecordField::LivingSituation => "child-living-situation",
        RecordField::InSchool => "child-in-school",
        RecordField::ChildLabour => "child-child-labour",
        RecordField::Disability => "child-disability",
    }
}

/// The form field of a factor's answer.
fn answer_field(id: &str) -> String {
    format!("answer.{id}")
}

/// The answers as typed, or as the record gives them on a fresh form.
struct Typed {
    /// Factor id -> "yes", "no", "unknown" (missing: not answered).
    answers: BTreeMap<String, String>,
    notes: String,
}

fn form_page(
    staff: &Staff,
    status: StatusCode,
    child: &Child,
    inst: &Instrument,
    today: Date,
    typed: Option<Typed>,
    errors: FieldErrors,
) -> Response {
    let tr = staff.tr;
    let from_record = prefill(inst, child, today);
    let (answers, notes) = match typed {
        Some(t) => (t.answers, t.notes),
        None => (
            from_record
                .iter()
                .map(|p| (p.factor.clone(), p.answer.word().to_string()))
                .collect(),
            String::new(),
        ),
    };
    let mut groups: Vec<(FactorLevel, FactorGroup)> = Vec::new();
    for f in &inst.factors {
        let given = answers.get(&f.id).map(String::as_str);
        let record = from_record.iter().find(|p| p.factor == f.id);
        let item = FactorItem {
            id: f.id.clone(),
            field: format!("{}-yes", answer_field(&f.id)),
            label: factor_label(tr, f),
            safety: f.safety,
            protective: f.kind == FactorKind::Protective,
            choices: [("yes", "yes"), ("no", "no"), ("unknown", "not-known")]
                .into_iter()
                .map(|(value, key)| Choice {
                    value,
                    label: tr.t(key),
                    checked: given == Some(value),
                })
                .collect(),
            // Said only while the answer is still the record's.
            from_record: record.filter(|p| given == Some(p.answer.word())).map(|p| {
                tr.t1(
                    "assessment-from-record",
                    "name",
                    tr.t(record_field_key(p.from)),
                )
            }),
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
    let prefilled = groups
        .iter()
        .flat_map(|(_, g)| &g.factors)
        .filter(|f| f.from_record.is_some())
        .count();
    let page = AssessmentForm {
        l: staff.layout(),
        child_id: child.id.clone(),
        name: child.full_name(),
        prefilled: (prefilled > 0).then(|| tr.t1("assessment-prefilled", "count", prefilled)),
        groups: groups.into_iter().map(|(_, g)| g).collect(),
        notes,
        errors,
    };
    render_with(status, &page)
}

/// The child and the current instrument, for the form.
async fn child_and_instrument(
    st: &AppState,
    staff: &Staff,
    id: String,
) -> Result<(Child, Instrument, Date), Response> {
    let actor = staff.session.actor.clone();
    let back = format!("/children/{id}");
    st.run(move |store, now| {
        let child = store.get_child(&actor, &id, now)?;
        let inst = store.current_instrument(now)?;
        Ok((child, inst, Date::from_unix(now)))
    })
    .await
    .map_err(|e| staff.problem(&e, &back))
}

/// The form to assess a child, filled in from the record where it knows.
pub(super) async fn new_form(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Response {
    match child_and_instrument(&st, &staff, id).await {
        Ok((child, inst, today)) => form_page(
            &staff,
            StatusCode::OK,
            &child,
            &inst,
            today,
            None,
            FieldErrors::new(staff.tr),
        ),
        Err(r) => r,
    }
}

/// Records an assessment: each factor answered yes, no or not known (one
/// left unanswered counts as absent, as in the API), and the notes.
pub(super) async fn create(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<BTreeMap<String, String>>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    let mut typed = Typed {
        answers: BTreeMap::new(),
        notes: String::new(),
    };
    let mut answers: BTreeMap<String, Answer> = BTreeMap::new();
    for (k, v) in form {
        if k == "notes" {
            typed.notes = v;
        } else if let Some(factor) = k.strip_prefix("answer.") {
            match Answer::parse(v.trim()) {
                Some(a) => {
                    answers.insert(factor.to_string(), a);
                }
                None => errors.add(
                    &format!("{}-yes", answer_field(factor)),
                    "assessment-error-answer",
                ),
            }
            typed.answers.insert(factor.to_string(), v);
        } else if k != "csrf" && v == "on" {
            // The earlier form's ticked box (a page loaded before this
            // form existed): present.
            typed.answers.insert(k.clone(), "yes".into());
            answers.insert(k, Answer::Yes(true));
        }
    }
    if typed.notes.chars().count() > haven_store::assessments::MAX_NOTES {
        errors.add("notes", "assessment-error-notes");
    }
    if !errors.is_empty() {
        return match child_and_instrument(&st, &staff, id).await {
            Ok((child, inst, today)) => form_page(
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                &child,
                &inst,
                today,
                Some(typed),
                errors,
            ),
            Err(r) => r,
        };
    }
    let notes = given(&typed.notes);
    let actor = staff.session.actor.clone();
    let child = id.clone();
    match st
        .run(move |store, now| {
            store.assess_child_with_notes(&actor, &child, &answers, notes.as_deref(), now)
        })
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
