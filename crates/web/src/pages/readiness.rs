//! `/readiness`: the WHO readiness assessment (RAP-CM). The rounds, a form
//! to enter one key informant's item scores (0-2, grouped by dimension,
//! each error beside its item), and a round's results: per dimension out
//! of 10, the total out of 100, a radar chart drawn here as SVG (no
//! script) with the table as its text alternative, and the change from the
//! round before. Monitoring officers and administrators only (the store
//! refuses everyone else). Words from `locales/*/readiness.ftl`.

use super::forms::{FieldErrors, StaffForm};
use super::layout::{render_with, Layout, Staff};
use super::logframes::store_field_errors;
use crate::api::readiness::{
    as_typed, instrument_for, instruments, newest, round_results, round_with_instruments,
};
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::readiness::{change, Instrument, Results};
use haven_domain::Date;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

fn dimension_name(tr: Tr, id: &str) -> String {
    tr.t(&format!("readiness-dimension-{}", id.replace('_', "-")))
}

fn dimension_short(tr: Tr, id: &str) -> String {
    tr.t(&format!(
        "readiness-dimension-{}-short",
        id.replace('_', "-")
    ))
}

/// A change as a person reads it: signed, one decimal.
fn signed(tr: Tr, x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r > 0.0 {
        format!("+{}", tr.decimal(r))
    } else {
        tr.decimal(r)
    }
}

// --------------------------------------------------------------- rounds

struct RoundItem {
    href: String,
    name: String,
    held_on: String,
    informants: String,
}

/// A version of the questionnaire, as the rounds page lists it.
struct VersionItem {
    version: u32,
    questions: usize,
    highest: u32,
    /// The languages its questions are worded in, or that it has numbers only.
    worded: String,
}

#[derive(Template)]
#[template(path = "readiness.html")]
struct RoundsPage {
    l: Layout,
    rounds: Vec<RoundItem>,
    form: RoundForm,
    errors: FieldErrors,
    versions: Vec<VersionItem>,
    /// The version new rounds follow.
    newest: u32,
    /// A new version as typed, and what was wrong with it.
    instrument: String,
    instrument_problem: Option<String>,
}

/// A new version of the questionnaire as typed.
#[derive(Deserialize, Default)]
pub(super) struct InstrumentForm {
    #[serde(default)]
    instrument: String,
}

/// The new-round form as typed.
#[derive(Deserialize, Default)]
pub(super) struct RoundForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    held_on: String,
}

async fn rounds_page(
    st: &AppState,
    staff: &Staff,
    form: RoundForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    versions_page(st, staff, form, errors, status, (String::new(), None)).await
}

async fn versions_page(
    st: &AppState,
    staff: &Staff,
    form: RoundForm,
    errors: FieldErrors,
    status: StatusCode,
    (instrument, instrument_problem): (String, Option<String>),
) -> Response {
    let tr = staff.tr;
    let actor = staff.session.actor.clone();
    let found = st
        .run(move |s, now| {
            Ok((
                s.readiness_rounds(&actor, now)?,
                s.readiness_instruments(&actor, now)?,
            ))
        })
        .await;
    let (rounds, versions) = match found {
        Ok(r) => r,
        Err(e) => return staff.problem(&e, "/"),
    };
    let newest = versions.last().map_or(0, |v| v.version);
    // The form starts from the newest version, numbered as the next: the
    // officer changes what differs (maxima, the questions' wording).
    let instrument = match (instrument.is_empty(), versions.last()) {
        (true, Some(v)) => {
            let mut next = v.clone();
            next.version += 1;
            serde_json::to_string_pretty(&next).unwrap_or_default()
        }
        _ => instrument,
    };
    let versions = versions
        .iter()
        .map(|v| {
            let langs: Vec<&str> = haven_domain::validation::LANGUAGES
                .into_iter()
                .filter(|lang| v.items().any(|it| it.wording(lang).is_some()))
                .collect();
            VersionItem {
                version: v.version,
                questions: v.items().count(),
                highest: v.total_max(),
                worded: if langs.is_empty() {
                    tr.t("readiness-numbers-only")
                } else {
                    langs
                        .iter()
                        // Each language by its own name, as the language menu shows it.
                        .map(|lang| {
                            Tr::for_code(lang).map_or(lang.to_string(), |t| t.t("lang-name"))
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            }
        })
        .collect();
    let page = RoundsPage {
        versions,
        newest,
        instrument,
        instrument_problem,
        l: staff.layout(),
        rounds: rounds
            .into_iter()
            .rev()
            .map(|r| RoundItem {
                href: format!("/readiness/{}", r.id),
                name: r.name,
                held_on: tr.day(r.held_on),
                informants: tr.t1("readiness-informants-count", "count", r.informants),
            })
            .collect(),
        form,
        errors,
    };
    render_with(status, &page)
}

/// The rounds, newest first, and a form to start one.
pub(super) async fn list(State(st): State<AppState>, staff: Staff) -> Response {
    let errors = FieldErrors::new(staff.tr);
    rounds_page(&st, &staff, RoundForm::default(), errors, StatusCode::OK).await
}

/// Adds a version of the questionnaire; 303 back to the rounds, or the
/// page again with what was typed and what was wrong with it.
pub(super) async fn add_version(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<InstrumentForm>,
) -> Response {
    let tr = staff.tr;
    let actor = staff.session.actor.clone();
    let text = form.instrument.clone();
    match st
        .run(move |s, now| s.add_readiness_instrument(&actor, &text, now))
        .await
    {
        Ok(_) => Redirect::to("/readiness#versions").into_response(),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let mut errors = FieldErrors::new(tr);
            errors.add("instrument", "readiness-error-instrument");
            // The store's reason names the item or dimension at fault; it
            // is shown as written (the file's own words are English ids).
            let problem = Some(
                e.fields
                    .first()
                    .map_or_else(|| e.message.clone(), |f| f.message.clone()),
            );
            versions_page(
                &st,
                &staff,
                RoundForm::default(),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                (form.instrument, problem),
            )
            .await
        }
        Err(e) => staff.problem(&e, "/readiness"),
    }
}

/// Starts a round; 303 to it.
pub(super) async fn create(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<RoundForm>,
) -> Response {
    let tr = staff.tr;
    let mut errors = FieldErrors::new(tr);
    let name = form.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        errors.add("name", "readiness-error-name");
    }
    let held = Date::parse(form.held_on.trim());
    if held.is_none() {
        errors.add("held_on", "logframes-error-date");
    }
    // New rounds follow the newest version of the instrument.
    let version = match instruments(&st, &staff.session.actor).await {
        Ok(all) => match newest(&all) {
            Ok(i) => i.version,
            Err(e) => return staff.problem(&e, "/readiness"),
        },
        Err(e) => return staff.problem(&e, "/readiness"),
    };
    let Some(held) = held.filter(|_| errors.is_empty()) else {
        return rounds_page(&st, &staff, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let actor = staff.session.actor.clone();
    match st
        .run(move |s, now| s.create_readiness_round(&actor, &name, held, version, now))
        .await
    {
        Ok(id) => Redirect::to(&format!("/readiness/{id}")).into_response(),
        Err(e) => match store_field_errors(tr, e, str::to_string) {
            Ok(errors) => {
                rounds_page(&st, &staff, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            Err(e) => staff.problem(&e, "/readiness"),
        },
    }
}

// -------------------------------------------------------------- results

/// One dimension's row of the results table.
struct DimRow {
    number: usize,
    name: String,
    raw: String,
    score: String,
    change: Option<String>,
}

/// A spoke of the radar: its end, its label's place, its value's point.
struct Spoke {
    x: i64,
    y: i64,
    lx: i64,
    ly: i64,
    anchor: &'static str,
    label: String,
}

struct Radar {
    described: String,
    spokes: Vec<Spoke>,
    rings: Vec<String>,
    ring_labels: Vec<(i64, i64, String)>,
    area: String,
    points: Vec<(i64, i64)>,
    before: Option<String>,
}

#[derive(Template)]
#[template(path = "readiness_round.html")]
struct RoundPage {
    l: Layout,
    id: String,
    name: String,
    held_on: String,
    informants: Vec<(String, String)>,
    total: Option<String>,
    radar: Option<Radar>,
    rows: Vec<DimRow>,
    previous: Option<String>,
    total_change: Option<String>,
}

const CX: f64 = 200.0;
const CY: f64 = 165.0;
const R: f64 = 105.0;

fn polar(i: usize, n: usize, r: f64) -> (f64, f64) {
    let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
    (CX + r * a.cos(), CY + r * a.sin())
}

fn polygon(scores: &[f64]) -> String {
    let n = scores.len();
    scores
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (x, y) = polar(i, n, R * s.clamp(0.0, 10.0) / 10.0);
            format!("{},{}", x.round() as i64, y.round() as i64)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The radar of a round's dimension scores (out of 10), with the round
/// before as a dashed outline.
fn radar(tr: Tr, inst: &Instrument, now: &Results, before: Option<&Results>) -> Radar {
    let n = inst.dimensions.len().max(1);
    let spokes = inst
        .dimensions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let (x, y) = polar(i, n, R);
            let (lx, ly) = polar(i, n, R + 14.0);
            let anchor = if (lx - CX).abs() < 8.0 {
                "middle"
            } else if lx > CX {
                "start"
            } else {
                "end"
            };
            Spoke {
                x: x.round() as i64,
                y: y.round() as i64,
                lx: lx.round() as i64,
                ly: (ly + 4.0).round() as i64,
                anchor,
                label: format!("{}. {}", i + 1, dimension_short(tr, &d.id)),
            }
        })
        .collect();
    let rings = [2.0, 4.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|v| polygon(&vec![*v; n]))
        .collect();
    let ring_labels = [5.0, 10.0]
        .iter()
        .map(|v: &f64| {
            let y = CY - R * v / 10.0;
            (
                (CX + 3.0).round() as i64,
                (y - 2.0).round() as i64,
                tr.number(*v as i64),
            )
        })
        .collect();
    let scores: Vec<f64> = now.dimensions.iter().map(|d| d.score).collect();
    let points = scores
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (x, y) = polar(i, n, R * s.clamp(0.0, 10.0) / 10.0);
            (x.round() as i64, y.round() as i64)
        })
        .collect();
    let before = before.map(|b| {
        // Matched by dimension, in this round's order.
        let s: Vec<f64> = now
            .dimensions
            .iter()
            .map(|d| {
                b.dimensions
                    .iter()
                    .find(|x| x.id == d.id)
                    .map_or(0.0, |x| x.score)
            })
            .collect();
        polygon(&s)
    });
    Radar {
        described: tr.t("readiness-radar-described"),
        spokes,
        rings,
        ring_labels,
        area: polygon(&scores),
        points,
        before,
    }
}

/// A round's results.
pub(super) async fn show(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Response {
    let tr = staff.tr;
    let r = match round_results(&st, &staff.session.actor, id).await {
        Ok(r) => r,
        Err(e) => return staff.problem(&e, "/readiness"),
    };
    let inst = &r.instrument;
    let before = r.previous.as_ref().and_then(|(_, res)| res.as_ref());
    let changes = match (&r.results, before) {
        (Some(now), Some(b)) => Some(change(b, now)),
        _ => None,
    };
    let rows = r
        .results
        .as_ref()
        .map(|res| {
            res.dimensions
                .iter()
                .enumerate()
                .map(|(i, d)| DimRow {
                    number: i + 1,
                    name: dimension_name(tr, &d.id),
                    raw: tr.t2(
                        "readiness-raw",
                        "raw",
                        tr.decimal(d.raw),
                        "max",
                        i64::from(d.max),
                    ),
                    score: tr.decimal(d.score),
                    change: changes.as_ref().and_then(|(per, _)| {
                        per.iter()
                            .find(|(id, _)| id == &d.id)
                            .map(|(_, c)| signed(tr, *c))
                    }),
                })
                .collect()
        })
        .unwrap_or_default();
    let page = RoundPage {
        l: staff.layout(),
        id: r.round.id.clone(),
        name: r.round.name.clone(),
        held_on: tr.day(r.round.held_on),
        informants: r
            .informants
            .iter()
            .map(|i| {
                (
                    i.informant.clone(),
                    format!(
                        "/readiness/{}/informant?code={}",
                        r.round.id,
                        urlencode(&i.informant)
                    ),
                )
            })
            .collect(),
        total: r.results.as_ref().map(|x| tr.decimal(x.total)),
        radar: r.results.as_ref().map(|x| radar(tr, inst, x, before)),
        rows,
        previous: r.previous.as_ref().map(|(p, res)| match res {
            Some(_) => tr.t2(
                "readiness-previous",
                "name",
                p.name.clone(),
                "date",
                tr.day(p.held_on),
            ),
            None => tr.t1("readiness-previous-empty", "name", p.name.clone()),
        }),
        total_change: changes.as_ref().map(|(_, t)| signed(tr, *t)),
    };
    render_with(StatusCode::OK, &page)
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// ------------------------------------------------------------ the form

/// One choice of an item: its value and whether it is the one typed.
struct Choice {
    value: u8,
    checked: bool,
}

struct ItemView {
    id: String,
    label: String,
    choices: Vec<Choice>,
}

struct DimensionView {
    name: String,
    max: String,
    items: Vec<ItemView>,
}

#[derive(Template)]
#[template(path = "readiness_entry.html")]
struct EntryPage {
    l: Layout,
    id: String,
    name: String,
    informant: String,
    dimensions: Vec<DimensionView>,
    errors: FieldErrors,
}

fn entry_page(
    staff: &Staff,
    inst: &Instrument,
    (id, name): (String, String),
    informant: String,
    typed: &HashMap<String, String>,
    errors: FieldErrors,
) -> EntryPage {
    let tr = staff.tr;
    let dimensions = inst
        .dimensions
        .iter()
        .enumerate()
        .map(|(di, d)| DimensionView {
            name: format!("{}. {}", di + 1, dimension_name(tr, &d.id)),
            max: tr.t1("readiness-dimension-max", "max", i64::from(d.max)),
            items: d
                .items
                .iter()
                .enumerate()
                .map(|(ii, it)| {
                    let chosen = typed.get(&it.id).map(|s| s.trim().to_string());
                    // The question's own words where the version has them
                    // in this language, else its number in the questionnaire.
                    let number = tr.t1("readiness-item", "n", (ii + 1) as i64);
                    ItemView {
                        id: it.id.clone(),
                        label: match it.wording(tr.lang) {
                            Some(words) => format!("{number}. {words}"),
                            None => number,
                        },
                        choices: (0..=it.max)
                            .map(|v| Choice {
                                value: v,
                                checked: chosen.as_deref() == Some(v.to_string().as_str()),
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    EntryPage {
        l: staff.layout(),
        id,
        name,
        informant,
        dimensions,
        errors,
    }
}

#[derive(Deserialize)]
pub(super) struct EntryQuery {
    #[serde(default)]
    code: Option<String>,
}

/// The form to enter one key informant's scores (an informant already
/// entered, by `?code=`, comes back with their scores to change).
pub(super) async fn entry(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<EntryQuery>,
) -> Response {
    let (round, informants, all) =
        match round_with_instruments(&st, &staff.session.actor, &id).await {
            Ok(r) => r,
            Err(e) => return staff.problem(&e, "/readiness"),
        };
    let inst = match instrument_for(&all, &round) {
        Ok(i) => i,
        Err(e) => return staff.problem(&e, "/readiness"),
    };
    let code = q.code.unwrap_or_default();
    let typed = informants
        .iter()
        .find(|i| !code.is_empty() && i.informant == code)
        .map(|i| as_typed(&i.scores))
        .unwrap_or_default();
    let page = entry_page(
        &staff,
        inst,
        (round.id, round.name),
        code,
        &typed,
        FieldErrors::new(staff.tr),
    );
    render_with(StatusCode::OK, &page)
}

/// Keeps one informant's scores; 303 to the round's results, or the form
/// again with what was typed and each error beside its item.
pub(super) async fn save(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<HashMap<String, String>>,
) -> Response {
    let tr = staff.tr;
    let (round, _, all) = match round_with_instruments(&st, &staff.session.actor, &id).await {
        Ok(r) => r,
        Err(e) => return staff.problem(&e, "/readiness"),
    };
    let inst = match instrument_for(&all, &round) {
        Ok(i) => i,
        Err(e) => return staff.problem(&e, "/readiness"),
    };
    let informant = form.get("informant").cloned().unwrap_or_default();
    let typed: BTreeMap<String, String> = form
        .iter()
        .filter(|(k, _)| k.as_str() != "csrf" && k.as_str() != "informant")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let again = |errors: FieldErrors| {
        let page = entry_page(
            &staff,
            inst,
            (round.id.clone(), round.name.clone()),
            informant.clone(),
            &form,
            errors,
        );
        render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let mut errors = FieldErrors::new(tr);
    let code = informant.trim().to_string();
    if code.is_empty() {
        errors.add("informant", "readiness-error-informant");
    }
    let scores = match inst.check_scores(&typed) {
        Ok(s) => Some(s),
        Err(v) => {
            for f in &v.0 {
                errors.add(&f.field, &f.message);
            }
            None
        }
    };
    let Some(scores) = scores.filter(|_| errors.is_empty()) else {
        return again(errors);
    };
    let actor = staff.session.actor.clone();
    let rid = id.clone();
    match st
        .run(move |s, now| s.save_readiness_scores(&actor, &rid, &code, &scores, now))
        .await
    {
        Ok(()) => Redirect::to(&format!("/readiness/{id}")).into_response(),
        Err(e) => match store_field_errors(tr, e, str::to_string) {
            Ok(errors) => again(errors),
            Err(e) => staff.problem(&e, &format!("/readiness/{id}")),
        },
    }
}
