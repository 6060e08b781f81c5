//! `/logframes`: results chains (impact → outcomes → outputs → activities)
//! measured by indicators of the live catalogue. Monitoring officers and
//! administrators keep them; supervisors read them; the store refuses
//! everyone else. Each linked indicator shows its baseline, latest due
//! milestone, target, the value now (country, last complete year,
//! suppressed as for a role without record access), progress in words and
//! as a bar, and whether it is on track. Words from
//! `locales/*/logframes.ftl`.

use super::forms::{FieldErrors, StaffForm};
use super::indicators::{figure, name, SYMBOL};
use super::layout::{render_with, Layout, Opt, Staff};
use crate::api::logframes::{current_figures, figures_year, standing};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::indicators::{Catalogue, Figures, Unit};
use haven_domain::logframes::{
    bar_percent, latest_due, parse_value, Level, Mark, NewResult, ResultText, Track,
};
use haven_domain::{Date, Role};
use haven_store::logframes::{LinkedIndicator, Logframe, MarkKind, ResultEntry};
use serde::Deserialize;
use std::collections::HashMap;

/// Whether a role keeps logframes (supervisors only read them).
fn keeps(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Monitor)
}

/// The store's refusal of fields as errors beside them: its messages are
/// keys of `logframes.ftl` / `readiness.ftl`; `rename` maps the store's
/// field to the form's. Anything else stays a refusal.
pub(super) fn store_field_errors(
    tr: Tr,
    e: WebError,
    rename: impl Fn(&str) -> String,
) -> Result<FieldErrors, WebError> {
    if e.status != StatusCode::UNPROCESSABLE_ENTITY || e.fields.is_empty() {
        return Err(e);
    }
    let mut errors = FieldErrors::new(tr);
    for f in &e.fields {
        let key = if tr.has(&f.message) {
            f.message.as_str()
        } else {
            "fix-errors"
        };
        errors.add(&rename(&f.field), key);
    }
    Ok(errors)
}

fn level_key(l: Level) -> String {
    format!("logframes-level-{}", l.as_str())
}

// ---------------------------------------------------------------- the list

struct ListItem {
    href: String,
    title: String,
    results: String,
    created: String,
}

#[derive(Template)]
#[template(path = "logframes.html")]
struct ListPage {
    l: Layout,
    items: Vec<ListItem>,
    edit: bool,
    title: String,
    errors: FieldErrors,
}

async fn list_page(
    st: &AppState,
    staff: &Staff,
    title: String,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let tr = staff.tr;
    let actor = staff.session.actor.clone();
    let items = match st.run(move |s, now| s.list_logframes(&actor, now)).await {
        Ok(i) => i,
        Err(e) => return staff.problem(&e, "/"),
    };
    let page = ListPage {
        l: staff.layout(),
        items: items
            .into_iter()
            .map(|f| ListItem {
                href: format!("/logframes/{}", f.id),
                title: f.title,
                results: tr.t1("logframes-results-count", "count", f.results),
                created: tr.date(f.created_at),
            })
            .collect(),
        edit: keeps(staff.session.actor.role),
        title,
        errors,
    };
    render_with(status, &page)
}

/// The list of logframes, and (for those who keep them) a form to add one.
pub(super) async fn list(State(st): State<AppState>, staff: Staff) -> Response {
    let errors = FieldErrors::new(staff.tr);
    list_page(&st, &staff, String::new(), errors, StatusCode::OK).await
}

/// The new-logframe form as typed.
#[derive(Deserialize, Default)]
pub(super) struct TitleForm {
    #[serde(default)]
    title: String,
}

/// Makes a logframe; 303 to it, or the list again with the error.
pub(super) async fn create(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<TitleForm>,
) -> Response {
    let tr = staff.tr;
    let actor = staff.session.actor.clone();
    let title = form.title.clone();
    match st
        .run(move |s, now| s.create_logframe(&actor, &title, now))
        .await
    {
        Ok(id) => Redirect::to(&format!("/logframes/{id}")).into_response(),
        Err(e) => match store_field_errors(tr, e, str::to_string) {
            Ok(errors) => {
                list_page(
                    &st,
                    &staff,
                    form.title,
                    errors,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(e) => staff.problem(&e, "/logframes"),
        },
    }
}

// ---------------------------------------------------------- one logframe

/// A linked indicator as the page shows it.
struct LinkedView {
    /// The indicator's id in the catalogue.
    id: String,
    name: String,
    baseline: String,
    milestone: String,
    target: String,
    current: String,
    suppressed: bool,
    progress: String,
    /// The bar's length out of 100, when progress is known.
    bar: Option<i64>,
    track: String,
    track_class: &'static str,
}

/// One result of the chain, in the order read (each parent before its
/// children), with how many open sections close before it.
struct ResultView {
    id: String,
    anchor: String,
    close: usize,
    heading: usize,
    level: String,
    level_class: &'static str,
    statement: String,
    details: Vec<(String, String)>,
    indicators: Vec<LinkedView>,
}

#[derive(Template)]
#[template(path = "logframe.html")]
struct FramePage {
    l: Layout,
    id: String,
    title: String,
    year: i32,
    chain: Vec<ResultView>,
    trailing: usize,
    edit: bool,
    any_suppressed: bool,
    symbol: &'static str,
    k: i64,
    levels: Vec<Opt>,
    parents: Vec<Opt>,
    result: ResultForm,
    results: Vec<Opt>,
    indicators: Vec<Opt>,
    links: Vec<Opt>,
    kinds: Vec<Opt>,
    mark: MarkForm,
    errors: FieldErrors,
}

/// The add-a-result form as typed.
#[derive(Deserialize, Default, Clone)]
pub(super) struct ResultForm {
    #[serde(default)]
    level: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    statement: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    frequency: String,
    #[serde(default)]
    responsible: String,
    #[serde(default)]
    assumptions: String,
    #[serde(default)]
    risks: String,
}

/// The link-an-indicator form as typed.
#[derive(Deserialize, Default, Clone)]
pub(super) struct LinkForm {
    #[serde(default)]
    link_result: String,
    #[serde(default)]
    link_indicator: String,
}

/// The set-a-value form as typed: `mark_link` is `result/indicator`.
#[derive(Deserialize, Default, Clone)]
pub(super) struct MarkForm {
    #[serde(default)]
    mark_link: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    date: String,
}

/// The forms as typed (empty on a plain visit) and what is wrong with them.
struct Typed {
    result: ResultForm,
    link: LinkForm,
    mark: MarkForm,
    errors: FieldErrors,
}

impl Typed {
    fn empty(tr: Tr) -> Typed {
        Typed {
            result: ResultForm::default(),
            link: LinkForm::default(),
            mark: MarkForm::default(),
            errors: FieldErrors::new(tr),
        }
    }
}

fn mark_text(tr: Tr, unit: Unit, m: &Mark) -> String {
    tr.t2(
        "logframes-mark",
        "value",
        figure(tr, unit, Some(m.value), false),
        "date",
        tr.day(m.date),
    )
}

fn linked_view(
    tr: Tr,
    cat: &Catalogue,
    l: &LinkedIndicator,
    today: Date,
    figs: &HashMap<String, Figures>,
) -> LinkedView {
    let def = cat.get(&l.indicator);
    let unit = def.map_or(Unit::Count, |d| d.unit);
    let fig = figs.get(&l.indicator);
    let suppressed = fig.is_some_and(|f| f.suppressed);
    let (share, track) = standing(l, today, fig);
    let not_set = || tr.t("logframes-not-set");
    let milestone = match latest_due(&l.milestones, today) {
        Some(m) => mark_text(tr, unit, &m),
        None => match l.milestones.iter().find(|m| m.date > today) {
            Some(m) => tr.t1("logframes-next-milestone", "mark", mark_text(tr, unit, m)),
            None => not_set(),
        },
    };
    let progress = match share {
        Some(p) if p > 1.0 => tr.t("logframes-progress-beyond"),
        Some(p) if p < 0.0 => tr.t("logframes-progress-worse"),
        Some(p) => tr.t1("logframes-progress", "percent", bar_percent(p)),
        None if suppressed => tr.t("logframes-progress-hidden"),
        None if l.baseline.is_none() || l.target.is_none() => tr.t("logframes-progress-unset"),
        None => tr.t("logframes-progress-unknown"),
    };
    let (track_key, track_class) = match track {
        Track::OnTrack => ("logframes-track-on", "track-on"),
        Track::Behind => ("logframes-track-behind", "track-behind"),
        Track::NothingDue => ("logframes-track-nothing-due", "track-none"),
        Track::Unknown => ("logframes-track-unknown", "track-none"),
    };
    LinkedView {
        id: l.indicator.clone(),
        name: def.map_or_else(|| l.indicator.clone(), |d| name(tr, d)),
        baseline: l.baseline.map_or_else(not_set, |m| mark_text(tr, unit, &m)),
        milestone,
        target: l.target.map_or_else(not_set, |m| mark_text(tr, unit, &m)),
        current: figure(tr, unit, fig.and_then(|f| f.value), suppressed),
        suppressed,
        progress,
        bar: share.map(bar_percent),
        track: tr.t(track_key),
        track_class,
    }
}

/// The chain in reading order: each result followed by its children.
fn in_order(frame: &Logframe) -> Vec<&ResultEntry> {
    fn visit<'a>(r: &'a ResultEntry, all: &'a [ResultEntry], out: &mut Vec<&'a ResultEntry>) {
        out.push(r);
        for c in all
            .iter()
            .filter(|c| c.parent.as_deref() == Some(r.id.as_str()))
        {
            visit(c, all, out);
        }
    }
    let mut out = Vec::new();
    for r in frame.results.iter().filter(|r| r.parent.is_none()) {
        visit(r, &frame.results, &mut out);
    }
    // Anything whose parent is missing still shows, at the end.
    for r in &frame.results {
        if !out.iter().any(|o| o.id == r.id) {
            out.push(r);
        }
    }
    out
}

fn depth(l: Level) -> usize {
    match l {
        Level::Impact => 0,
        Level::Outcome => 1,
        Level::Output => 2,
        Level::Activity => 3,
    }
}

async fn frame_page(
    st: &AppState,
    staff: &Staff,
    id: String,
    typed: Typed,
    status: StatusCode,
) -> Response {
    let tr = staff.tr;
    let actor = staff.session.actor.clone();
    let frame = match st.run(move |s, now| s.logframe(&actor, &id, now)).await {
        Ok(f) => f,
        Err(e) => return staff.problem(&e, "/logframes"),
    };
    let ids = frame
        .results
        .iter()
        .flat_map(|r| r.indicators.iter().map(|l| l.indicator.clone()))
        .collect();
    let figs = match current_figures(st, &staff.session.actor, ids).await {
        Ok(f) => f,
        Err(e) => return staff.problem(&e, "/logframes"),
    };
    let today = Date::from_unix(st.now());
    let mut open: Vec<usize> = Vec::new();
    let mut chain = Vec::new();
    let mut any_suppressed = false;
    for r in in_order(&frame) {
        let d = depth(r.level);
        let mut close = 0;
        while open.last().is_some_and(|o| *o >= d) {
            open.pop();
            close += 1;
        }
        open.push(d);
        let details = [
            ("logframes-source", &r.source),
            ("logframes-frequency", &r.frequency),
            ("logframes-responsible", &r.responsible),
            ("logframes-assumptions", &r.assumptions),
            ("logframes-risks", &r.risks),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (tr.t(k), v.clone()))
        .collect();
        let indicators: Vec<LinkedView> = r
            .indicators
            .iter()
            .map(|l| linked_view(tr, &st.catalogue, l, today, &figs))
            .collect();
        any_suppressed |= indicators.iter().any(|i| i.suppressed);
        chain.push(ResultView {
            id: r.id.clone(),
            anchor: format!("result-{}", r.id),
            close,
            heading: (d + 3).min(6),
            level: tr.t(&level_key(r.level)),
            level_class: r.level.as_str(),
            statement: r.statement.clone(),
            details,
            indicators,
        });
    }
    let label_of = |r: &ResultEntry| {
        format!(
            "{}: {}",
            tr.t(&level_key(r.level)),
            r.statement.chars().take(80).collect::<String>()
        )
    };
    let Typed {
        result,
        link,
        mark,
        errors,
    } = typed;
    let none = || std::iter::once(Opt::new("", tr.t("choose"), ""));
    let levels = none()
        .chain(
            [
                Level::Impact,
                Level::Outcome,
                Level::Output,
                Level::Activity,
            ]
            .into_iter()
            .map(|x| Opt::new(x.as_str(), tr.t(&level_key(x)), &result.level)),
        )
        .collect();
    let parents = std::iter::once(Opt::new("", tr.t("logframes-no-parent"), &result.parent))
        .chain(
            frame
                .results
                .iter()
                .filter(|r| r.level != Level::Activity)
                .map(|r| Opt::new(&r.id, label_of(r), &result.parent)),
        )
        .collect();
    let results = none()
        .chain(
            frame
                .results
                .iter()
                .map(|r| Opt::new(&r.id, label_of(r), &link.link_result)),
        )
        .collect();
    let indicators = none()
        .chain(
            st.catalogue
                .indicators
                .iter()
                .map(|d| Opt::new(&d.id, name(tr, d), &link.link_indicator)),
        )
        .collect();
    let links = none()
        .chain(frame.results.iter().flat_map(|r| {
            r.indicators.iter().map(|l| {
                let value = format!("{}/{}", r.id, l.indicator);
                let ind = st
                    .catalogue
                    .get(&l.indicator)
                    .map_or_else(|| l.indicator.clone(), |d| name(tr, d));
                let label = format!("{ind} ({})", label_of(r));
                Opt::new(&value, label, &mark.mark_link)
            })
        }))
        .collect();
    let kinds = none()
        .chain(
            [MarkKind::Baseline, MarkKind::Milestone, MarkKind::Target]
                .into_iter()
                .map(|x| {
                    Opt::new(
                        x.as_str(),
                        tr.t(&format!("logframes-{}", x.as_str())),
                        &mark.kind,
                    )
                }),
        )
        .collect();
    let page = FramePage {
        l: staff.layout(),
        id: frame.id.clone(),
        title: frame.title.clone(),
        year: figures_year(st.now()),
        trailing: open.len(),
        chain,
        edit: keeps(staff.session.actor.role),
        any_suppressed,
        symbol: SYMBOL,
        k: st.limits.disclosure.k,
        levels,
        parents,
        result,
        results,
        indicators,
        links,
        kinds,
        mark,
        errors,
    };
    render_with(status, &page)
}

/// One logframe.
pub(super) async fn show(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Response {
    let typed = Typed::empty(staff.tr);
    frame_page(&st, &staff, id, typed, StatusCode::OK).await
}

/// What a refused form answers: the page again with what was typed, or a
/// refusal page when the store refused for another reason.
async fn refused(
    st: &AppState,
    staff: &Staff,
    id: String,
    e: WebError,
    rename: impl Fn(&str) -> String,
    typed: impl FnOnce(FieldErrors) -> Typed,
) -> Response {
    match store_field_errors(staff.tr, e, rename) {
        Ok(errors) => {
            frame_page(
                st,
                staff,
                id,
                typed(errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => staff.problem(&e, &format!("/logframes/{id}")),
    }
}

/// Adds a result to the chain.
pub(super) async fn add_result(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<ResultForm>,
) -> Response {
    let parent = form.parent.trim().to_string();
    let new = NewResult {
        level: form.level.clone(),
        parent: (!parent.is_empty()).then_some(parent),
        statement: form.statement.clone(),
        source: form.source.clone(),
        frequency: form.frequency.clone(),
        responsible: form.responsible.clone(),
        assumptions: form.assumptions.clone(),
        risks: form.risks.clone(),
    };
    let tr = staff.tr;
    let with = |errors| Typed {
        result: form.clone(),
        errors,
        ..Typed::empty(tr)
    };
    if let Err(v) = new.validate() {
        let e = WebError::from(haven_store::StoreError::Invalid(v));
        return refused(&st, &staff, id, e, str::to_string, with).await;
    }
    let actor = staff.session.actor.clone();
    let frame = id.clone();
    match st
        .run(move |s, now| s.add_logframe_result(&actor, &frame, &new, now))
        .await
    {
        Ok(rid) => Redirect::to(&format!("/logframes/{id}#result-{rid}")).into_response(),
        Err(e) => refused(&st, &staff, id, e, str::to_string, with).await,
    }
}

/// Links an indicator of the catalogue to a result.
pub(super) async fn link(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<LinkForm>,
) -> Response {
    let tr = staff.tr;
    let with = |errors| Typed {
        link: form.clone(),
        errors,
        ..Typed::empty(tr)
    };
    let result = form.link_result.trim().to_string();
    let indicator = form.link_indicator.trim().to_string();
    let mut errors = FieldErrors::new(tr);
    if result.is_empty() {
        errors.add("link_result", "logframes-error-result");
    }
    if st.catalogue.get(&indicator).is_none() {
        errors.add("link_indicator", "logframes-error-indicator");
    }
    if !errors.is_empty() {
        return frame_page(
            &st,
            &staff,
            id,
            with(errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let actor = staff.session.actor.clone();
    let rid = result.clone();
    match st
        .run(move |s, now| s.link_logframe_indicator(&actor, &rid, &indicator, now))
        .await
    {
        Ok(()) => Redirect::to(&format!("/logframes/{id}#result-{result}")).into_response(),
        Err(e) => {
            let rename = |f: &str| match f {
                "indicator" => "link_indicator".to_string(),
                other => other.to_string(),
            };
            refused(&st, &staff, id, e, rename, with).await
        }
    }
}

/// Sets a baseline or target, or adds a milestone.
pub(super) async fn set_mark(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<MarkForm>,
) -> Response {
    let tr = staff.tr;
    let with = |errors| Typed {
        mark: form.clone(),
        errors,
        ..Typed::empty(tr)
    };
    let mut errors = FieldErrors::new(tr);
    let link = form
        .mark_link
        .trim()
        .split_once('/')
        .map(|(r, i)| (r.to_string(), i.to_string()))
        .filter(|(r, i)| !r.is_empty() && !i.is_empty());
    if link.is_none() {
        errors.add("mark_link", "logframes-error-link");
    }
    let kind = MarkKind::parse(form.kind.trim());
    if kind.is_none() {
        errors.add("kind", "logframes-error-kind");
    }
    let value = parse_value(&form.value);
    if value.is_none() {
        errors.add("value", "logframes-error-value");
    }
    let date = Date::parse(form.date.trim());
    if date.is_none() {
        errors.add("date", "logframes-error-date");
    }
    let (Some((result, indicator)), Some(kind), Some(value), Some(date)) =
        (link, kind, value, date)
    else {
        return frame_page(
            &st,
            &staff,
            id,
            with(errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let actor = staff.session.actor.clone();
    let rid = result.clone();
    let m = Mark { value, date };
    match st
        .run(move |s, now| s.set_logframe_mark(&actor, &rid, &indicator, kind, m, now))
        .await
    {
        Ok(()) => Redirect::to(&format!("/logframes/{id}#result-{result}")).into_response(),
        Err(e) => {
            let rename = |f: &str| match f {
                "indicator" => "mark_link".to_string(),
                other => other.to_string(),
            };
            refused(&st, &staff, id, e, rename, with).await
        }
    }
}

/// The change-a-result page: its words as stored, or as typed when refused.
#[derive(Template)]
#[template(path = "logframe_result.html")]
struct ResultPage {
    l: Layout,
    id: String,
    rid: String,
    title: String,
    level: String,
    result: ResultForm,
    errors: FieldErrors,
}

/// Shows the change form: `typed` is what was sent when it was refused,
/// none to start from the stored words.
async fn result_page(
    st: &AppState,
    staff: &Staff,
    id: String,
    rid: String,
    typed: Option<(ResultForm, FieldErrors)>,
) -> Response {
    let actor = staff.session.actor.clone();
    let back = format!("/logframes/{id}");
    if !keeps(actor.role) {
        return staff.problem(
            &WebError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "only monitoring officers and administrators keep logframes",
            ),
            &back,
        );
    }
    let frame_id = id.clone();
    let frame = match st
        .run(move |s, now| s.logframe(&actor, &frame_id, now))
        .await
    {
        Ok(f) => f,
        Err(e) => return staff.problem(&e, "/logframes"),
    };
    let Some(r) = frame.results.iter().find(|r| r.id == rid) else {
        return staff.problem(
            &WebError::new(StatusCode::NOT_FOUND, "not_found", "no such result"),
            &back,
        );
    };
    let tr = staff.tr;
    let (result, errors, status) = match typed {
        Some((form, errors)) => (form, errors, StatusCode::UNPROCESSABLE_ENTITY),
        None => (
            ResultForm {
                statement: r.statement.clone(),
                source: r.source.clone(),
                frequency: r.frequency.clone(),
                responsible: r.responsible.clone(),
                assumptions: r.assumptions.clone(),
                risks: r.risks.clone(),
                ..ResultForm::default()
            },
            FieldErrors::new(tr),
            StatusCode::OK,
        ),
    };
    let page = ResultPage {
        l: staff.layout(),
        title: frame.title.clone(),
        level: tr.t(&level_key(r.level)),
        id,
        rid,
        result,
        errors,
    };
    render_with(status, &page)
}

/// The form to change a result's words.
pub(super) async fn edit_result(
    State(st): State<AppState>,
    staff: Staff,
    Path((id, rid)): Path<(String, String)>,
) -> Response {
    result_page(&st, &staff, id, rid, None).await
}

/// Saves a result's words; its level and place in the chain stay.
pub(super) async fn save_result(
    State(st): State<AppState>,
    Path((id, rid)): Path<(String, String)>,
    StaffForm { staff, form }: StaffForm<ResultForm>,
) -> Response {
    let words = ResultText {
        statement: form.statement.clone(),
        source: form.source.clone(),
        frequency: form.frequency.clone(),
        responsible: form.responsible.clone(),
        assumptions: form.assumptions.clone(),
        risks: form.risks.clone(),
    };
    let outcome = match words.validate() {
        Err(v) => Err(WebError::from(haven_store::StoreError::Invalid(v))),
        Ok(()) => {
            let actor = staff.session.actor.clone();
            let result = rid.clone();
            st.run(move |s, now| s.update_logframe_result(&actor, &result, &words, now))
                .await
        }
    };
    match outcome {
        Ok(()) => Redirect::to(&format!("/logframes/{id}#result-{rid}")).into_response(),
        Err(e) => match store_field_errors(staff.tr, e, str::to_string) {
            Ok(errors) => result_page(&st, &staff, id, rid, Some((form, errors))).await,
            Err(e) => staff.problem(&e, &format!("/logframes/{id}")),
        },
    }
}

/// A form with nothing in it but its CSRF token (a button).
#[derive(Deserialize, Default, Clone)]
pub(super) struct Button {}

/// Removes a result without results under it, with its indicators.
pub(super) async fn remove_result(
    State(st): State<AppState>,
    Path((id, rid)): Path<(String, String)>,
    StaffForm { staff, .. }: StaffForm<Button>,
) -> Response {
    let actor = staff.session.actor.clone();
    match st
        .run(move |s, now| s.remove_logframe_result(&actor, &rid, now))
        .await
    {
        Ok(()) => Redirect::to(&format!("/logframes/{id}")).into_response(),
        Err(e) => staff.problem(&e, &format!("/logframes/{id}")),
    }
}

/// Unlinks an indicator from a result, with its marks.
pub(super) async fn unlink(
    State(st): State<AppState>,
    Path((id, rid, indicator)): Path<(String, String, String)>,
    StaffForm { staff, .. }: StaffForm<Button>,
) -> Response {
    let actor = staff.session.actor.clone();
    let result = rid.clone();
    match st
        .run(move |s, now| s.unlink_logframe_indicator(&actor, &result, &indicator, now))
        .await
    {
        Ok(()) => Redirect::to(&format!("/logframes/{id}#result-{rid}")).into_response(),
        Err(e) => staff.problem(&e, &format!("/logframes/{id}")),
    }
}
