//! The staff triage queue and a report's page with its notes and
//! decisions (C5), including the form that registers the child a report is
//! about (with the duplicate warning). Words from `locales/*/reports.ftl`.

use super::forms::{given, FieldErrors, StaffForm};
use super::layout::{label, render, render_with, vocabulary_options, Layout, Opt, Staff};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::report::Decision;
use haven_domain::{Actor, LocationLevel, NewChild, Sex};
use haven_store::reports::{ChildLink, ReportFile};
use haven_store::PossibleDuplicate;
use serde::Deserialize;
use std::collections::HashMap;

/// The longest note or reason the store keeps.
const MAX_NOTE: usize = 10_000;

/// A moment as a day and a time of day (UTC: staff act by the hour on a
/// child in danger now, so the day alone is not enough).
fn day_and_time(tr: Tr, ts: i64) -> String {
    tr.t2("triage-day-time", "day", tr.date(ts), "when", Tr::clock(ts))
}

/// The districts this person may act in: those in their area (every one for
/// someone whose area is the whole country), sorted by name.
async fn districts_in_scope(st: &AppState, actor: Actor) -> Vec<(String, String)> {
    let scope = actor.scope_path.clone();
    let all = st
        .run(move |store, _| store.list_locations(&actor))
        .await
        .unwrap_or_default();
    let parent: HashMap<&str, Option<&str>> = all
        .iter()
        .map(|l| (l.code.as_str(), l.parent.as_deref()))
        .collect();
    // The materialised path the store keeps (`/C/R1/D11/`), from the parents.
    let path = |code: &str| {
        let mut chain = vec![code];
        let mut at = parent.get(code).copied().flatten();
        while let Some(up) = at.filter(|_| chain.len() < 32) {
            chain.push(up);
            at = parent.get(up).copied().flatten();
        }
        chain.reverse();
        format!("/{}/", chain.join("/"))
    };
    let mut d: Vec<(String, String)> = all
        .iter()
        .filter(|l| l.level == LocationLevel::District)
        .filter(|l| {
            scope
                .as_deref()
                .is_none_or(|s| path(&l.code).starts_with(s))
        })
        .map(|l| (l.code.clone(), l.name.clone()))
        .collect();
    d.sort_by(|a, b| a.1.cmp(&b.1));
    d
}

/// One row of the queue, in words.
struct QueueRow {
    id: String,
    priority: u8,
    danger_now: bool,
    category: String,
    reporter: String,
    place: String,
    received: String,
    due: String,
    late: bool,
    decision: String,
}

#[derive(Template)]
#[template(path = "reports_queue.html")]
struct QueuePage {
    l: Layout,
    all: bool,
    /// The filters as chosen, kept by the form.
    danger_now: bool,
    overdue: bool,
    categories: Vec<Opt>,
    places: Vec<Opt>,
    rows: Vec<QueueRow>,
    previous: Option<String>,
    next: Option<String>,
}

/// Reports on one page of the queue.
const QUEUE_PAGE: usize = 25;

pub(super) async fn queue(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    let mut q = q;
    q.remove("lang");
    let mut f = match crate::api::report_filter(&q.clone().into_iter().collect()) {
        Ok(f) => f,
        Err(e) => return staff.problem(&e, "/reports"),
    };
    if f.limit == 0 {
        f.limit = QUEUE_PAGE;
    }
    let places = match super::children::locations(&st, &staff).await {
        Ok(p) => p,
        Err(e) => return staff.problem(&e, "/"),
    };
    let actor = staff.session.actor.clone();
    let paging = f.clone();
    let items = match st
        .run(move |store, now| store.list_reports(&actor, &f, now))
        .await
    {
        Ok(items) => items,
        Err(e) => return staff.problem(&e, "/"),
    };
    let tr = staff.tr;
    let (previous, next) = super::worklist::page_links(
        "/reports",
        &q,
        "cursor",
        paging.offset,
        paging.limit,
        items.len(),
    );
    let rows = items
        .into_iter()
        .map(|r| QueueRow {
            due: if r.overdue {
                tr.t1("triage-late-since", "when", day_and_time(tr, r.due_at))
            } else if r.decision.is_some() {
                tr.t("triage-none")
            } else {
                day_and_time(tr, r.due_at)
            },
            late: r.overdue,
            category: label(tr, "report-category", r.category.as_str()),
            reporter: label(tr, "reporter-kind", r.reporter.as_str()),
            place: r.location.as_deref().map_or_else(
                || tr.t("triage-none"),
                |code| super::children::place_name(&places, code),
            ),
            received: day_and_time(tr, r.received_at),
            decision: r.decision.map_or_else(
                || tr.t("triage-not-decided"),
                |d| label(tr, "decision", d.as_str()),
            ),
            priority: r.priority,
            danger_now: r.danger_now,
            id: r.id,
        })
        .collect();
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let categories: Vec<&str> = haven_domain::report::ReportCategory::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    render(&QueuePage {
        l: staff.layout(),
        all: !paging.open_only,
        danger_now: paging.danger_now,
        overdue: paging.overdue,
        categories: std::iter::once(Opt::new("", tr.t("cases-any"), get("category")))
            .chain(vocabulary_options(
                tr,
                "report-category",
                &categories,
                get("category"),
            ))
            .collect(),
        places: std::iter::once(Opt::new("", tr.t("cases-any-place"), get("place")))
            .chain(super::children::place_options(&places, get("place")))
            .collect(),
        rows,
        previous,
        next,
    })
}

/// A possible duplicate of the child just registered, in words.
struct Dup {
    id: String,
    name: String,
    reasons: String,
}

/// A message on the report, in words.
struct Msg {
    when: String,
    source: String,
    author: String,
    text: String,
}

/// An action taken on the report, in words.
struct ActionRow {
    what: String,
    who: String,
    when: String,
    reason: Option<String>,
}

/// What the decision and note forms show: empty, or as typed when a form
/// comes back with its errors.
#[derive(Default)]
struct Typed {
    child_id: String,
    given_name: String,
    family_name: String,
    sex: String,
    estimated_age: String,
    location: String,
    reason_open: String,
    reason_police: String,
    reason_close: String,
    note: String,
}

#[derive(Template)]
#[template(path = "report_show.html")]
struct ReportPage {
    l: Layout,
    title: String,
    id: String,
    done: Option<&'static str>,
    dups: Vec<Dup>,
    case_id: Option<String>,
    hotline_id: Option<String>,
    priority: u8,
    danger_now: bool,
    received: String,
    reporter: String,
    reporter_lang: String,
    contact: Option<String>,
    has_contact: bool,
    place: String,
    child_age: String,
    url: String,
    public_status: String,
    decision: String,
    description: String,
    undecided: bool,
    /// Decided and not closed: further actions may be taken.
    further: bool,
    /// Where the action forms post: the decision, or a further action.
    form_path: &'static str,
    due: String,
    late: bool,
    actions: Vec<ActionRow>,
    may_open_case: bool,
    has_url: bool,
    sexes: Vec<Opt>,
    districts: Vec<Opt>,
    messages: Vec<Msg>,
    typed: Typed,
    errors: FieldErrors,
}

/// What a page needs besides the report: the districts to choose from,
/// the contact details if asked for, and so on.
struct Extras<'a> {
    contact: Option<String>,
    districts: Vec<(String, String)>,
    dups: &'a [PossibleDuplicate],
    done: Option<&'static str>,
    typed: Typed,
    errors: FieldErrors,
}

/// A reason the duplicate check gives (written by the domain in English)
/// in the reader's language; one it does not know is shown as written.
// The children pages show the same reasons: this belongs in a shared place
// (or the domain could give the reasons as a type).
fn dup_reason(tr: Tr, reason: &str) -> String {
    let fixed = [
        ("same name", "triage-dup-same-name"),
        (
            "same name when transliterated",
            "triage-dup-same-name-transliterated",
        ),
        ("same date of birth", "triage-dup-same-birth"),
        (
            "ages within the range of an estimate",
            "triage-dup-age-estimate",
        ),
        ("same district", "triage-dup-same-district"),
        (
            "neighbouring district in the same region",
            "triage-dup-neighbouring-district",
        ),
    ];
    if let Some((_, key)) = fixed.iter().find(|(text, _)| *text == reason) {
        return tr.t(key);
    }
    let number = |prefix: &str, suffix: &str| {
        reason
            .strip_prefix(prefix)?
            .strip_suffix(suffix)?
            .parse::<i64>()
            .ok()
    };
    if let Some(n) = number("similar name (", "% alike)") {
        return tr.t1("triage-dup-similar-name", "n", n);
    }
    if let Some(days) = number("dates of birth ", " days apart") {
        return tr.t1("triage-dup-birth-days", "days", days);
    }
    reason.to_string()
}

fn report_page(staff: &Staff, r: ReportFile, x: Extras) -> ReportPage {
    let tr = staff.tr;
    let role = staff.session.actor.role;
    let none = || tr.t("triage-none");
    let sexes = Sex::ALL
        .iter()
        .map(|s| Opt {
            value: s.as_str().to_string(),
            label: label(tr, "sex", s.as_str()),
            selected: s.as_str() == x.typed.sex,
        })
        .collect();
    let districts = x
        .districts
        .into_iter()
        .map(|(code, name)| Opt {
            selected: code == x.typed.location,
            label: tr.t2(
                "triage-district-option",
                "name",
                name.as_str(),
                "code",
                code.as_str(),
            ),
            value: code,
        })
        .collect();
    let dups = x
        .dups
        .iter()
        .map(|d| Dup {
            id: d.child.id.clone(),
            name: d.child.full_name(),
            reasons: d
                .reasons
                .iter()
                .map(|why| dup_reason(tr, why))
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let decision = match r.summary.decision {
        None => tr.t("triage-decision-not-yet"),
        Some(d) => {
            let who = r.decided_by.clone().unwrap_or_default();
            let status = label(tr, "decision", d.as_str());
            let decided = tr.t2(
                "triage-decided",
                "status",
                status.as_str(),
                "who",
                who.as_str(),
            );
            match &r.decision_reason {
                Some(why) => format!("{decided}: {why}"),
                None => decided,
            }
        }
    };
    let place = [r.summary.location.clone(), r.place.clone()]
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let messages = r
        .messages
        .iter()
        .map(|m| Msg {
            when: tr.date(m.at),
            source: tr.t(if m.source == "reporter" {
                "triage-from-reporter"
            } else {
                "triage-staff-note"
            }),
            author: m.author.clone(),
            text: m.text.clone(),
        })
        .collect();
    let category = label(tr, "report-category", r.summary.category.as_str());
    let undecided = r.summary.decision.is_none();
    let actions = r
        .actions
        .iter()
        .map(|a| ActionRow {
            what: label(tr, "decision", a.action.as_str()),
            who: a.by.clone(),
            when: day_and_time(tr, a.at),
            reason: a.reason.clone(),
        })
        .collect();
    ReportPage {
        l: staff.layout(),
        title: tr.t1("triage-report-title", "name", category),
        done: x.done,
        dups,
        case_id: r.case_id.clone(),
        hotline_id: r.hotline_item_id.clone().filter(|_| role.keeps_lists()),
        priority: r.summary.priority,
        danger_now: r.summary.danger_now,
        received: day_and_time(tr, r.summary.received_at),
        reporter: label(tr, "reporter-kind", r.summary.reporter.as_str()),
        reporter_lang: Tr::for_code(&r.lang).map_or_else(|| r.lang.clone(), |t| t.t("lang-name")),
        contact: x.contact,
        has_contact: r.has_contact,
        place: if place.is_empty() { none() } else { place },
        child_age: r
            .child_age
            .map_or_else(|| tr.t("triage-not-given"), |a| tr.number(i64::from(a))),
        url: r.url.clone().unwrap_or_else(none),
        public_status: label(tr, "report-status", r.public_status.as_str()),
        decision,
        description: r.description.clone(),
        undecided,
        further: !undecided && r.summary.decision != Some(Decision::Close),
        form_path: if undecided { "decision" } else { "action" },
        due: if r.summary.overdue {
            tr.t1(
                "triage-late-since",
                "when",
                day_and_time(tr, r.summary.due_at),
            )
        } else {
            day_and_time(tr, r.summary.due_at)
        },
        late: r.summary.overdue,
        actions,
        may_open_case: role.handles_children() && r.case_id.is_none(),
        has_url: r.url.is_some() && r.hotline_item_id.is_none(),
        sexes,
        districts,
        messages,
        typed: x.typed,
        errors: x.errors,
        id: r.summary.id,
    }
}

#[derive(Deserialize)]
pub(super) struct ShowQuery {
    #[serde(default)]
    contact: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// What was just done, from `?done=`: only the messages this page knows.
fn done_key(done: Option<&str>) -> Option<&'static str> {
    match done {
        Some("decision") => Some("triage-done-decision"),
        Some("note") => Some("triage-done-note"),
        Some("action") => Some("triage-done-action"),
        _ => None,
    }
}

/// How the report page is shown: the contact details or not, what was just
/// done, the forms as typed and their errors, and the status (200, or 422
/// for a form sent back).
struct View {
    show_contact: bool,
    done: Option<&'static str>,
    typed: Typed,
    errors: FieldErrors,
    status: StatusCode,
}

impl View {
    /// A form sent back with its errors and what was typed.
    fn again(typed: Typed, errors: FieldErrors) -> View {
        View {
            show_contact: false,
            done: None,
            typed,
            errors,
            status: StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

/// The report as it is now, shown as `view` says.
async fn show_report(st: &AppState, staff: &Staff, id: String, view: View) -> Response {
    let View {
        show_contact,
        done,
        typed,
        errors,
        status,
    } = view;
    let actor = staff.session.actor.clone();
    let result = st
        .run(move |store, now| {
            let r = store.get_report(&actor, &id, now)?;
            let contact = if show_contact && r.has_contact {
                store.report_contact(&actor, &id, now)?
            } else {
                None
            };
            Ok((r, contact))
        })
        .await;
    let (r, contact) = match result {
        Ok(found) => found,
        Err(e) => return staff.problem(&e, "/reports"),
    };
    let districts = districts_in_scope(st, staff.session.actor.clone()).await;
    // The case is opened where the reporter said the child is, when that
    // is a district this person may act in.
    let location = if typed.location.is_empty() && errors.is_empty() {
        r.summary
            .location
            .clone()
            .filter(|l| districts.iter().any(|(code, _)| code == l))
            .unwrap_or_default()
    } else {
        typed.location.clone()
    };
    let typed = Typed {
        location,
        estimated_age: if typed.estimated_age.is_empty() && errors.is_empty() {
            r.child_age.map(|a| a.to_string()).unwrap_or_default()
        } else {
            typed.estimated_age
        },
        ..typed
    };
    let x = Extras {
        contact,
        districts,
        dups: &[],
        done,
        typed,
        errors,
    };
    render_with(status, &report_page(staff, r, x))
}

pub(super) async fn show(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let errors = FieldErrors::new(staff.tr);
    let view = View {
        show_contact: q.contact.as_deref() == Some("show"),
        done: done_key(q.done.as_deref()),
        typed: Typed::default(),
        errors,
        status: StatusCode::OK,
    };
    show_report(&st, &staff, id, view).await
}

/// The note form as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct NoteForm {
    text: String,
}

pub(super) async fn note(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<NoteForm>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    match given(&form.text) {
        None => errors.add("note", "triage-error-note"),
        Some(t) if t.chars().count() > MAX_NOTE => errors.add("note", "triage-error-too-long"),
        Some(_) => {}
    }
    let typed = Typed {
        note: form.text.clone(),
        ..Typed::default()
    };
    if !errors.is_empty() {
        return show_report(&st, &staff, id, View::again(typed, errors)).await;
    }
    let actor = staff.session.actor.clone();
    let (rid, text) = (id.clone(), form.text);
    match st
        .run(move |store, now| store.add_report_note(&actor, &rid, &text, now))
        .await
    {
        Ok(()) => Redirect::to(&format!("/reports/{id}?done=note")).into_response(),
        Err(e) => match FieldErrors::from_store(staff.tr, e, |f| {
            (f == "text").then_some("triage-error-too-long")
        }) {
            Ok(store_errors) => {
                // The store names the field `text`; the page calls it `note`.
                let mut errors = FieldErrors::new(staff.tr);
                if store_errors.has("text") {
                    errors.add("note", "triage-error-too-long");
                }
                show_report(&st, &staff, id, View::again(typed, errors)).await
            }
            Err(e) => staff.problem(&e, &format!("/reports/{id}")),
        },
    }
}

/// The decision forms as typed (one form per decision, the same fields).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct DecisionForm {
    decision: String,
    child_id: String,
    given_name: String,
    family_name: String,
    sex: String,
    estimated_age: String,
    location: String,
    reason: String,
}

/// A checked decision, ready for the store.
struct Checked {
    decision: Decision,
    reason: Option<String>,
    link: Option<ChildLink>,
}

/// The id of the reason field in the form of `decision`.
fn reason_field(decision: Decision) -> &'static str {
    match decision {
        Decision::Police => "reason-police",
        Decision::Close => "reason-close",
        _ => "case_reason",
    }
}

impl DecisionForm {
    fn typed(&self, decision: Decision) -> Typed {
        let reason = self.reason.clone();
        let mut t = Typed {
            child_id: self.child_id.clone(),
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            sex: self.sex.clone(),
            estimated_age: self.estimated_age.clone(),
            location: self.location.clone(),
            ..Typed::default()
        };
        match decision {
            Decision::Police => t.reason_police = reason,
            Decision::Close => t.reason_close = reason,
            _ => t.reason_open = reason,
        }
        t
    }

    /// What was chosen, or what is wrong, in plain words beside each field.
    fn check(&self, tr: Tr, decision: Decision) -> Result<Checked, FieldErrors> {
        let mut e = FieldErrors::new(tr);
        let reason = given(&self.reason);
        let reason_id = reason_field(decision);
        if reason
            .as_ref()
            .is_some_and(|r| r.chars().count() > MAX_NOTE)
        {
            e.add(reason_id, "triage-error-too-long");
        }
        match decision {
            Decision::Police if reason.is_none() => e.add(reason_id, "triage-error-reason-police"),
            Decision::Close if reason.is_none() => e.add(reason_id, "triage-error-reason-close"),
            _ => {}
        }
        let mut link = None;
        if decision == Decision::OpenCase {
            if let Some(child) = given(&self.child_id) {
                link = Some(ChildLink::Existing(child));
            } else if let Some(name) = given(&self.given_name) {
                let sex = given(&self.sex).unwrap_or_else(|| "unknown".into());
                if Sex::parse(&sex).is_none() {
                    e.add("sex", "triage-error-sex");
                }
                let age = match given(&self.estimated_age).map(|a| a.parse::<i64>()) {
                    Some(Ok(a)) if (0..=17).contains(&a) => Some(a),
                    _ => {
                        e.add("estimated_age", "triage-error-age");
                        None
                    }
                };
                let location = given(&self.location).unwrap_or_default();
                if location.is_empty() {
                    e.add("location", "triage-error-district");
                }
                link = Some(ChildLink::New(Box::new(NewChild {
                    given_name: name,
                    family_name: given(&self.family_name).unwrap_or_default(),
                    sex,
                    estimated_age: age,
                    location,
                    ..Default::default()
                })));
            } else {
                e.add("child_id", "triage-error-child");
            }
        }
        e.into_result(Checked {
            decision,
            reason,
            link,
        })
    }
}

/// The store's refusal of fields, beside the fields of the form that was
/// sent; `Err` when it is not about fields.
fn store_errors(tr: Tr, e: WebError, decision: Decision) -> Result<FieldErrors, WebError> {
    if e.status != StatusCode::UNPROCESSABLE_ENTITY || e.fields.is_empty() {
        return Err(e);
    }
    let mut errors = FieldErrors::new(tr);
    for f in &e.fields {
        let (id, key) = match f.field.as_str() {
            "child" => ("child_id", "triage-error-child"),
            "given_name" => ("given_name", "triage-error-given-name"),
            "family_name" => ("family_name", "triage-error-family-name"),
            "sex" => ("sex", "triage-error-sex"),
            "estimated_age" | "date_of_birth" => ("estimated_age", "triage-error-age"),
            "location" => ("location", "triage-error-district"),
            "reason" => (
                reason_field(decision),
                match decision {
                    Decision::Police => "triage-error-reason-police",
                    Decision::Close => "triage-error-reason-close",
                    _ => "triage-error-too-long",
                },
            ),
            _ => return Err(e),
        };
        errors.add(id, key);
    }
    Ok(errors)
}

pub(super) async fn decide(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<DecisionForm>,
) -> Response {
    take(st, id, staff, form, false).await
}

/// A further action on a report already decided (a case, the hotline, the
/// police): a report can lead to several.
pub(super) async fn act(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<DecisionForm>,
) -> Response {
    take(st, id, staff, form, true).await
}

/// The decision (`further` false) or a further action, from its form.
async fn take(
    st: AppState,
    id: String,
    staff: Staff,
    form: DecisionForm,
    further: bool,
) -> Response {
    let back = format!("/reports/{id}");
    let Some(decision) = Decision::parse(form.decision.trim()) else {
        return staff.problem(&WebError::bad_request("no such decision"), &back);
    };
    let typed = form.typed(decision);
    let checked = match form.check(staff.tr, decision) {
        Ok(c) => c,
        Err(errors) => {
            return show_report(&st, &staff, id, View::again(typed, errors)).await;
        }
    };
    let actor = staff.session.actor.clone();
    let rid = id.clone();
    let result = st
        .run(move |store, now| {
            let (decision, reason) = (checked.decision, checked.reason.as_deref());
            let link = checked.link.as_ref();
            if further {
                store.add_report_action(&actor, &rid, decision, reason, link, now)
            } else {
                store.decide_report(&actor, &rid, decision, reason, link, now)
            }
        })
        .await;
    match result {
        // The child was registered and the case opened, but other records
        // look like the same child: say so at once, on the report.
        Ok((r, dups)) if !dups.is_empty() => {
            let districts = districts_in_scope(&st, staff.session.actor.clone()).await;
            let x = Extras {
                contact: None,
                districts,
                dups: &dups,
                done: Some(if further {
                    "triage-done-action"
                } else {
                    "triage-done-decision"
                }),
                typed: Typed::default(),
                errors: FieldErrors::new(staff.tr),
            };
            render(&report_page(&staff, r, x))
        }
        Ok(_) => {
            let done = if further { "action" } else { "decision" };
            Redirect::to(&format!("/reports/{id}?done={done}")).into_response()
        }
        Err(e) => match store_errors(staff.tr, e, decision) {
            Ok(errors) => show_report(&st, &staff, id, View::again(typed, errors)).await,
            Err(e) => staff.problem(&e, &back),
        },
    }
}
