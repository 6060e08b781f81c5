//! The hotline's pages (C6): the items of reported material with the
//! published figures, one item with its assessment and actions, and
//! hashing a confirmed image onto a list. Images are never stored; one
//! just hashed is shown once, blurred and grey until the analyst chooses
//! to see it (analyst wellbeing).

use super::forms::{given, ticked, FieldErrors, NoFields, StaffForm};
use super::layout::{label, render_with, vocabulary_options, Layout, Opt, Staff};
use super::lists::checked_multipart;
use crate::api::lists::{add_entries, entry_from_upload, hash_upload};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use haven_domain::hotline::{AgeBand, Assessment, HotlineAction, HotlineFigures, ItemStage};
use haven_store::reports::{HotlineItem, ItemAssessment, ItemStep};
use haven_store::HashList;
use serde::Deserialize;

/// A count from the store as the page writes it.
fn count(tr: Tr, n: u64) -> String {
    tr.number(i64::try_from(n).unwrap_or(i64::MAX))
}

fn when(tr: Tr, ts: Option<i64>) -> String {
    ts.map_or_else(|| tr.t("hotline-none"), |t| tr.date(t))
}

/// The message key of an item's stage ("to assess", "illegal: send notice"…).
fn stage_key(stage: ItemStage) -> String {
    format!("hotline-state-{}", stage.as_str().replace('_', "-"))
}

fn state_key(i: &HotlineItem) -> String {
    stage_key(ItemStage::of(
        i.assessment,
        i.notice_sent_at.is_some(),
        i.removed_at.is_some(),
    ))
}

/// The apparent sex of the children depicted, as the assessment records it.
const SEXES: [&str; 4] = ["unknown", "female", "male", "both"];

fn sex_label(tr: Tr, v: &str) -> String {
    match v {
        "both" => tr.t("hotline-sex-both"),
        other => label(tr, "sex", other),
    }
}

/// A category of material in words: its vocabulary value, or as recorded
/// when it came from before the fixed list.
fn category_label(tr: Tr, v: &str) -> String {
    let key = format!("hotline-category-{v}");
    if tr.has(&key) {
        tr.t(&key)
    } else {
        v.to_string()
    }
}

/// A hosting country in words (its name in the page's language), or the
/// code as recorded when it is not on the list.
pub(super) fn country_label(tr: Tr, code: &str) -> String {
    haven_domain::hotline::country(code).map_or_else(
        || code.to_string(),
        |c| format!("{} ({})", c.name(tr.lang), c.code),
    )
}

/// Every country to choose from, by name in the page's language.
fn country_options(tr: Tr, chosen: &str) -> Vec<Opt> {
    let chosen = chosen.trim().to_ascii_uppercase();
    let mut all: Vec<Opt> = haven_domain::hotline::countries()
        .map(|c| Opt::new(c.code, c.name(tr.lang).to_string(), &chosen))
        .collect();
    all.sort_by(|a, b| a.label.cmp(&b.label));
    all
}

/// The published figures, written out.
struct Figures {
    received: String,
    illegal: String,
    illegal_label: String,
    median: String,
    p90: String,
    within_3_days: String,
}

impl Figures {
    fn new(tr: Tr, f: &HotlineFigures) -> Figures {
        let none = || tr.t("hotline-none");
        let pct =
            |x: Option<f64>| x.map_or_else(none, |v| tr.t1("hotline-percent", "n", tr.decimal(v)));
        let hours =
            |x: Option<f64>| x.map_or_else(none, |v| tr.t1("hotline-hours", "n", tr.decimal(v)));
        Figures {
            received: count(tr, f.reports_received),
            illegal: pct(f.percent_illegal),
            illegal_label: tr.t2(
                "hotline-figures-illegal",
                "count",
                i64::try_from(f.illegal).unwrap_or(i64::MAX),
                "total",
                i64::try_from(f.assessed).unwrap_or(i64::MAX),
            ),
            median: hours(f.median_hours_to_removal),
            p90: hours(f.p90_hours_to_removal),
            within_3_days: pct(f.percent_removed_within_3_days),
        }
    }
}

/// One item in the list.
struct ItemRow {
    id: String,
    url: String,
    state: String,
    reported: String,
    hosted: String,
}

#[derive(Template)]
#[template(path = "hotline_list.html")]
struct ListPage {
    l: Layout,
    figures: Figures,
    rows: Vec<ItemRow>,
    /// The filters as chosen, kept in the form.
    stages: Vec<Opt>,
    categories: Vec<Opt>,
    countries: Vec<Opt>,
    previous: Option<String>,
    next: Option<String>,
    url: String,
    errors: FieldErrors,
}

/// Items on one page of the list.
const LIST_PAGE: usize = 25;

/// The list as the query asks for it (`stage=all` shows every item; no
/// stage, those still needing work), with the add form as typed.
async fn list_page(
    st: &AppState,
    staff: &Staff,
    q: &std::collections::BTreeMap<String, String>,
    status: StatusCode,
    url: String,
    errors: FieldErrors,
) -> Response {
    let mut asked: std::collections::HashMap<String, String> =
        q.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    asked.remove("lang");
    if asked.get("stage").map(String::as_str) == Some("all") {
        asked.remove("stage");
        asked.insert("all".into(), "true".into());
    }
    let mut f = match crate::api::hotline_filter(&asked) {
        Ok(f) => f,
        Err(e) => return staff.problem(&e, "/hotline"),
    };
    if f.limit == 0 {
        f.limit = LIST_PAGE;
    }
    let paging = f.clone();
    let actor = staff.session.actor.clone();
    let result = st
        .run(move |store, now| {
            Ok((
                store.list_hotline_items(&actor, &f, now)?,
                store.hotline_figures(&actor, now)?,
            ))
        })
        .await;
    let (items, figures) = match result {
        Ok(r) => r,
        Err(e) => return staff.problem(&e, "/"),
    };
    let tr = staff.tr;
    let mut kept = q.clone();
    kept.remove("lang");
    let (previous, next) = super::worklist::page_links(
        "/hotline",
        &kept,
        "cursor",
        paging.offset,
        paging.limit,
        items.len(),
    );
    let rows = items
        .iter()
        .map(|i| ItemRow {
            id: i.id.clone(),
            url: i.url.clone(),
            state: tr.t(&state_key(i)),
            reported: tr.date(i.reported_at),
            hosted: i
                .hosting_country
                .as_deref()
                .map_or_else(|| tr.t("hotline-none"), |c| country_label(tr, c)),
        })
        .collect();
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let stages = [
        Opt::new("", tr.t("hotline-filter-open"), get("stage")),
        Opt::new("all", tr.t("hotline-filter-all"), get("stage")),
    ]
    .into_iter()
    .chain(
        ItemStage::ALL
            .iter()
            .map(|s| Opt::new(s.as_str(), tr.t(&stage_key(*s)), get("stage"))),
    )
    .collect();
    let categories = std::iter::once(Opt::new("", tr.t("cases-any"), get("category")))
        .chain(
            st.hotline_categories
                .iter()
                .map(|c| Opt::new(c, category_label(tr, c), get("category"))),
        )
        .collect();
    let countries = std::iter::once(Opt::new("", tr.t("cases-any"), get("country")))
        .chain(country_options(tr, get("country")))
        .collect();
    render_with(
        status,
        &ListPage {
            l: staff.layout(),
            figures: Figures::new(tr, &figures),
            rows,
            stages,
            categories,
            countries,
            previous,
            next,
            url,
            errors,
        },
    )
}

pub(super) async fn index(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    let errors = FieldErrors::new(staff.tr);
    list_page(&st, &staff, &q, StatusCode::OK, String::new(), errors).await
}

/// An address added by hand, as typed.
#[derive(Deserialize)]
pub(super) struct NewItemInput {
    #[serde(default)]
    url: String,
}

pub(super) async fn create(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<NewItemInput>,
) -> Response {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let Some(url) = given(&form.url) else {
        let mut errors = FieldErrors::new(staff.tr);
        errors.add("url", "hotline-error-url-missing");
        return list_page(
            &st,
            &staff,
            &Default::default(),
            unprocessable,
            form.url,
            errors,
        )
        .await;
    };
    let actor = staff.session.actor.clone();
    match st
        .run(move |store, now| store.create_hotline_item(&actor, &url, now))
        .await
    {
        Ok(i) => Redirect::to(&format!("/hotline/{}", i.id)).into_response(),
        Err(e) => {
            let key = |f: &str| (f == "url").then_some("hotline-error-url");
            match FieldErrors::from_store(staff.tr, e, key) {
                Ok(errors) => {
                    list_page(
                        &st,
                        &staff,
                        &Default::default(),
                        unprocessable,
                        form.url,
                        errors,
                    )
                    .await
                }
                Err(e) => staff.problem(&e, "/hotline"),
            }
        }
    }
}

/// The assessment form as typed (empty on a first visit).
#[derive(Default, Deserialize)]
pub(super) struct AssessInput {
    #[serde(default)]
    assessment: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    age_band: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    hosting_country: String,
    #[serde(default)]
    hosting_provider: String,
    /// Ticked to confirm an "illegal" assessment: a deliberate act.
    #[serde(default)]
    confirm_illegal: Option<String>,
}

/// What the item page's forms were sent with, to be shown again.
#[derive(Default)]
struct Typed {
    assess: AssessInput,
    detail: String,
    /// The notice or referral form sent, with its recipient and reference.
    step: Option<(HotlineAction, StepInput)>,
    list: String,
}

/// A form that records a notice or a referral: who it went to, and their
/// reference.
struct StepForm {
    action: &'static str,
    recipient_id: String,
    reference_id: String,
    title: String,
    recipient_label: String,
    reference_label: String,
    button: String,
    recipient: String,
    reference: String,
}

/// One line of an item's history.
struct Event {
    when: String,
    what: String,
}

#[derive(Template)]
#[template(path = "hotline_item.html")]
struct ItemPage {
    l: Layout,
    id: String,
    url: String,
    state: String,
    reported: String,
    assessment: String,
    assessed_by: String,
    confirmed: String,
    category: String,
    depicted: String,
    hosting: String,
    notice: String,
    law_enforcement: String,
    forwarded: String,
    listed: String,
    removed: String,
    report_id: Option<String>,
    may_assess: bool,
    assessments: Vec<Opt>,
    age_bands: Vec<Opt>,
    sexes: Vec<Opt>,
    categories: Vec<Opt>,
    countries: Vec<Opt>,
    confirm_illegal: bool,
    history: Vec<Event>,
    may_confirm: bool,
    steps: Vec<StepForm>,
    may_forward: bool,
    may_remove: bool,
    lists: Vec<ListChoice>,
    typed: Typed,
    preview: Option<String>,
    done: Option<String>,
    errors: FieldErrors,
}

/// A choice whose value is data (a list's id).
struct ListChoice {
    value: String,
    label: String,
    chosen: bool,
}

/// What happened to the item, in order: reported, assessed, confirmed,
/// notice (to whom, their reference), referral, forwarding, removal.
fn history(tr: Tr, i: &HotlineItem) -> Vec<Event> {
    let to = |key: &str, who: &Option<String>, reference: &Option<String>| match (who, reference) {
        (Some(w), Some(r)) => tr.t2(
            &format!("{key}-to-ref"),
            "who",
            w.as_str(),
            "code",
            r.as_str(),
        ),
        (Some(w), None) => tr.t1(&format!("{key}-to"), "who", w.as_str()),
        _ => tr.t(key),
    };
    let mut events: Vec<(i64, String)> = vec![(i.reported_at, tr.t("hotline-history-reported"))];
    if let (Some(at), Some(by), Some(a)) = (i.assessed_at, &i.assessed_by, i.assessment) {
        let what = label(tr, "hotline-assessment", a.as_str());
        events.push((
            at,
            tr.t2(
                "hotline-history-assessed",
                "status",
                what,
                "who",
                by.as_str(),
            ),
        ));
    }
    if let (Some(at), Some(by)) = (i.confirmed_at, &i.confirmed_by) {
        events.push((at, tr.t1("hotline-history-confirmed", "who", by.as_str())));
    }
    if let Some(at) = i.notice_sent_at {
        events.push((
            at,
            to(
                "hotline-history-notice",
                &i.notice_recipient,
                &i.notice_reference,
            ),
        ));
    }
    if let Some(at) = i.law_enforcement_at {
        events.push((
            at,
            to(
                "hotline-history-police",
                &i.law_enforcement_recipient,
                &i.law_enforcement_reference,
            ),
        ));
    }
    if let Some(at) = i.forwarded_at {
        events.push((at, to("hotline-history-forwarded", &i.forwarded_to, &None)));
    }
    if let Some(at) = i.removed_at {
        events.push((at, tr.t("hotline-history-removed")));
    }
    events.sort_by_key(|e| e.0);
    events
        .into_iter()
        .map(|(at, what)| Event {
            when: tr.date(at),
            what,
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn item_page(
    staff: &Staff,
    categories: &[String],
    i: &HotlineItem,
    lists: &[HashList],
    typed: Typed,
    preview: Option<String>,
    done: Option<String>,
    errors: FieldErrors,
) -> ItemPage {
    let tr = staff.tr;
    let me = staff.session.actor.name.as_str();
    let none = || tr.t("hotline-none");
    let may_assess = match (i.assessment, &i.assessed_by) {
        (None, _) => true,
        (Some(Assessment::SecondOpinion), Some(first)) => first != me,
        _ => false,
    };
    let settled = matches!(
        i.assessment,
        Some(Assessment::Illegal | Assessment::NotIllegal)
    );
    let open_illegal = i.assessment == Some(Assessment::Illegal) && i.removed_at.is_none();
    let mut steps = Vec::new();
    if open_illegal {
        for (action, done, key) in [
            (
                HotlineAction::NoticeSent,
                i.notice_sent_at.is_some(),
                "hotline-step-notice",
            ),
            (
                HotlineAction::LawEnforcement,
                i.law_enforcement_at.is_some(),
                "hotline-step-police",
            ),
        ] {
            if !done {
                let typed_step = typed
                    .step
                    .as_ref()
                    .filter(|(a, _)| *a == action)
                    .map(|(_, s)| s);
                let prefix = if action == HotlineAction::NoticeSent {
                    "notice"
                } else {
                    "police"
                };
                steps.push(StepForm {
                    action: action.as_str(),
                    recipient_id: format!("{prefix}_recipient"),
                    reference_id: format!("{prefix}_reference"),
                    title: tr.t(&format!("{key}-title")),
                    recipient_label: tr.t(&format!("{key}-recipient")),
                    reference_label: tr.t(&format!("{key}-reference")),
                    button: tr.t(&format!("{key}-button")),
                    recipient: typed_step.map(|s| s.recipient.clone()).unwrap_or_default(),
                    reference: typed_step.map(|s| s.reference.clone()).unwrap_or_default(),
                });
            }
        }
    }
    let a = &typed.assess;
    ItemPage {
        l: staff.layout(),
        id: i.id.clone(),
        url: i.url.clone(),
        state: tr.t(&state_key(i)),
        reported: tr.date(i.reported_at),
        assessment: i.assessment.map_or_else(
            || tr.t("hotline-item-not-yet"),
            |a| label(tr, "hotline-assessment", a.as_str()),
        ),
        assessed_by: i
            .assessed_by
            .as_deref()
            .map(|b| tr.t2("hotline-item-by", "who", b, "when", when(tr, i.assessed_at)))
            .unwrap_or_default(),
        confirmed: i.confirmed_by.as_deref().map_or_else(none, |b| {
            tr.t2(
                "hotline-item-who-when",
                "who",
                b,
                "when",
                when(tr, i.confirmed_at),
            )
        }),
        category: i
            .category
            .as_deref()
            .map_or_else(none, |c| category_label(tr, c)),
        depicted: format!(
            "{} · {}",
            i.age_band
                .map_or_else(none, |b| label(tr, "age-band", b.as_str())),
            i.sex.as_deref().map_or_else(none, |s| sex_label(tr, s))
        ),
        hosting: format!(
            "{} {}",
            i.hosting_country
                .as_deref()
                .map_or_else(none, |c| country_label(tr, c)),
            i.hosting_provider.clone().unwrap_or_default()
        )
        .trim()
        .to_string(),
        notice: when(tr, i.notice_sent_at),
        law_enforcement: when(tr, i.law_enforcement_at),
        categories: categories
            .iter()
            .map(|c| Opt::new(c, category_label(tr, c), a.category.trim()))
            .collect(),
        countries: country_options(tr, &a.hosting_country),
        confirm_illegal: ticked(&a.confirm_illegal),
        history: history(tr, i),
        forwarded: match (&i.forwarded_to, i.forwarded_at) {
            (Some(to), Some(at)) => tr.t2(
                "hotline-item-who-when",
                "who",
                to.as_str(),
                "when",
                tr.date(at),
            ),
            (Some(to), None) => to.clone(),
            _ => none(),
        },
        listed: tr.t(match (&i.url_entry_id, i.removed_at) {
            (Some(_), None) => "yes",
            (Some(_), Some(_)) => "hotline-item-listed-no-longer",
            _ => "no",
        }),
        removed: when(tr, i.removed_at),
        report_id: i.report_id.clone(),
        may_assess,
        assessments: vocabulary_options(
            tr,
            "hotline-assessment",
            &Assessment::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>(),
            &a.assessment,
        ),
        age_bands: vocabulary_options(
            tr,
            "age-band",
            &AgeBand::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
            &a.age_band,
        ),
        sexes: SEXES
            .iter()
            .map(|x| Opt::new(x, sex_label(tr, x), &a.sex))
            .collect(),
        may_confirm: settled && i.confirmed_by.is_none() && i.assessed_by.as_deref() != Some(me),
        steps,
        may_forward: open_illegal && i.forwarded_at.is_none(),
        may_remove: open_illegal,
        lists: if open_illegal {
            lists
                .iter()
                .map(|l| ListChoice {
                    value: l.id.clone(),
                    label: l.name.clone(),
                    chosen: typed.list == l.id,
                })
                .collect()
        } else {
            Vec::new()
        },
        typed,
        preview,
        done,
        errors,
    }
}

/// Shows an item with what the forms were sent with, a one-time preview
/// and a confirmation, as `status`.
async fn show_item(
    st: &AppState,
    staff: &Staff,
    id: String,
    status: StatusCode,
    page: impl FnOnce(&[String], &HotlineItem, &[HashList]) -> ItemPage,
) -> Response {
    let actor = staff.session.actor.clone();
    match st
        .run(move |store, now| {
            Ok((
                store.get_hotline_item(&actor, &id, now)?,
                store.list_hash_lists(&actor, now)?,
            ))
        })
        .await
    {
        Ok((item, lists)) => render_with(status, &page(&st.hotline_categories, &item, &lists)),
        Err(e) => staff.problem(&e, "/hotline"),
    }
}

#[derive(Deserialize)]
pub(super) struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

/// The confirmations an item page may show after a form was sent.
fn done_key(done: &str) -> Option<&'static str> {
    match done {
        "assessed" => Some("hotline-done-assessed"),
        "confirmed" => Some("hotline-done-confirmed"),
        "recorded" => Some("hotline-done-recorded"),
        _ => None,
    }
}

pub(super) async fn show(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let done = q.done.as_deref().and_then(done_key).map(|k| staff.tr.t(k));
    let errors = FieldErrors::new(staff.tr);
    show_item(&st, &staff, id, StatusCode::OK, |c, i, lists| {
        item_page(&staff, c, i, lists, Typed::default(), None, done, errors)
    })
    .await
}

/// Back to the item, with a confirmation (see [`done_key`]).
fn back_to(id: &str, done: &str) -> Response {
    Redirect::to(&format!("/hotline/{id}?done={done}")).into_response()
}

/// The assessment's field the store refused, and the words for it.
fn assess_key(field: &str) -> Option<&'static str> {
    Some(match field {
        "assessment" => "hotline-error-assessment",
        "category" => "hotline-error-category",
        "age_band" => "hotline-error-age-band",
        "sex" => "hotline-error-sex",
        "hosting_country" => "hotline-error-country",
        "hosting_provider" => "hotline-error-provider",
        "confirm_illegal" => "hotline-error-confirm-illegal",
        _ => return None,
    })
}

impl AssessInput {
    fn check(&self, categories: &[String], errors: &mut FieldErrors) {
        let assessment = Assessment::parse(self.assessment.trim());
        if assessment.is_none() {
            errors.add("assessment", "hotline-error-assessment");
        }
        // "Illegal" is never a default: the analyst ticks that they mean it.
        if assessment == Some(Assessment::Illegal) && !ticked(&self.confirm_illegal) {
            errors.add("confirm_illegal", "hotline-error-confirm-illegal");
        }
        let category = self.category.trim();
        if assessment == Some(Assessment::Illegal) && category.is_empty() {
            errors.add("category", "hotline-error-category");
        } else if !category.is_empty() && !categories.iter().any(|c| c == category) {
            errors.add("category", "hotline-error-category-list");
        }
        let band = self.age_band.trim();
        if !band.is_empty() && AgeBand::parse(band).is_none() {
            errors.add("age_band", "hotline-error-age-band");
        }
        let sex = self.sex.trim();
        if !sex.is_empty() && !SEXES.contains(&sex) {
            errors.add("sex", "hotline-error-sex");
        }
        let country = self.hosting_country.trim();
        if !country.is_empty() && haven_domain::hotline::country(country).is_none() {
            errors.add("hosting_country", "hotline-error-country");
        }
        if self.hosting_provider.trim().chars().count() > 120 {
            errors.add("hosting_provider", "hotline-error-provider");
        }
    }
}

pub(super) async fn assess(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<AssessInput>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    form.check(&st.hotline_categories, &mut errors);
    let errors = if errors.is_empty() {
        let a = ItemAssessment {
            assessment: form.assessment.trim().to_string(),
            category: form.category.trim().to_string(),
            age_band: form.age_band.clone(),
            sex: form.sex.clone(),
            hosting_country: form.hosting_country.clone(),
            hosting_provider: form.hosting_provider.clone(),
        };
        let (actor, item) = (staff.session.actor.clone(), id.clone());
        match st
            .run(move |store, now| store.assess_item(&actor, &item, &a, now))
            .await
        {
            Ok(_) => return back_to(&id, "assessed"),
            Err(e) => match FieldErrors::from_store(staff.tr, e, assess_key) {
                Ok(errors) => errors,
                Err(e) => return staff.problem(&e, &format!("/hotline/{id}")),
            },
        }
    } else {
        errors
    };
    let typed = Typed {
        assess: form,
        ..Typed::default()
    };
    show_item(
        &st,
        &staff,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        |c, i, lists| item_page(&staff, c, i, lists, typed, None, None, errors),
    )
    .await
}

pub(super) async fn confirm(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, .. }: StaffForm<NoFields>,
) -> Response {
    let (actor, item) = (staff.session.actor.clone(), id.clone());
    match st
        .run(move |store, now| store.confirm_item(&actor, &item, now))
        .await
    {
        Ok(_) => back_to(&id, "confirmed"),
        Err(e) => staff.problem(&e, &format!("/hotline/{id}")),
    }
}

/// An action's fields: the hotline a report was forwarded to (`detail`),
/// or who a notice or referral went to and their reference.
#[derive(Deserialize)]
pub(super) struct ActionInput {
    #[serde(default)]
    detail: String,
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    reference: String,
}

/// A notice or referral form as typed.
#[derive(Clone, Default)]
struct StepInput {
    recipient: String,
    reference: String,
}

pub(super) async fn action(
    State(st): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    StaffForm { staff, form }: StaffForm<ActionInput>,
) -> Response {
    let back = format!("/hotline/{id}");
    let Some(action) = HotlineAction::parse(&action) else {
        return staff.problem(&WebError::bad_request("no such action"), &back);
    };
    let with_recipient = matches!(
        action,
        HotlineAction::NoticeSent | HotlineAction::LawEnforcement
    );
    let step = match action {
        HotlineAction::Forwarded => ItemStep {
            recipient: given(&form.detail),
            reference: None,
        },
        HotlineAction::Removed => ItemStep::default(),
        _ => ItemStep {
            recipient: given(&form.recipient),
            reference: given(&form.reference),
        },
    };
    let mut errors = FieldErrors::new(staff.tr);
    // The inputs' ids on the page, one pair for each of the two forms.
    let prefix = if action == HotlineAction::NoticeSent {
        "notice"
    } else {
        "police"
    };
    let (recipient_id, reference_id) =
        (format!("{prefix}_recipient"), format!("{prefix}_reference"));
    if action == HotlineAction::Forwarded && step.recipient.is_none() {
        errors.add("detail", "hotline-error-forwarded");
    } else if with_recipient && step.recipient.is_none() {
        errors.add(&recipient_id, &format!("hotline-error-{prefix}-recipient"));
    } else {
        let (actor, item) = (staff.session.actor.clone(), id.clone());
        match st
            .run(move |store, now| store.item_step(&actor, &item, action, &step, now))
            .await
        {
            Ok(_) => return back_to(&id, "recorded"),
            Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY && !e.fields.is_empty() => {
                // The store names its fields; the page's inputs differ.
                for f in &e.fields {
                    match f.field.as_str() {
                        "detail" => errors.add("detail", "hotline-error-forwarded"),
                        "recipient" => errors.add(&recipient_id, "hotline-error-step-long"),
                        "reference" => errors.add(&reference_id, "hotline-error-step-long"),
                        _ => return staff.problem(&e, &back),
                    }
                }
            }
            Err(e) => return staff.problem(&e, &back),
        }
    }
    let typed = Typed {
        detail: form.detail,
        step: with_recipient.then_some((
            action,
            StepInput {
                recipient: form.recipient,
                reference: form.reference,
            },
        )),
        ..Typed::default()
    };
    show_item(
        &st,
        &staff,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        |c, i, lists| item_page(&staff, c, i, lists, typed, None, None, errors),
    )
    .await
}

/// The words for an image the page could not hash or list.
pub(super) fn image_error_key(e: &WebError) -> Option<&'static str> {
    match e.status {
        StatusCode::PAYLOAD_TOO_LARGE => Some("hotline-error-image-large"),
        StatusCode::UNPROCESSABLE_ENTITY => Some("hotline-error-image-unusable"),
        _ => None,
    }
}

/// Hashes an uploaded image onto a list; shows it once, blurred, and keeps nothing of it.
pub(super) async fn image(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    m: Multipart,
) -> Response {
    let back = format!("/hotline/{id}");
    // Refused before the image is read or hashed.
    let actor = staff.session.actor.clone();
    if let Err(e) = crate::api::lists::require_list_keeper(&st, &actor, "hashlist.add").await {
        return staff.problem(&e, "/hotline");
    }
    let _upload = match crate::api::lists::upload_permit(&st).await {
        Ok(p) => p,
        Err(e) => return staff.problem(&e, &back),
    };
    let (image, mut fields) = match checked_multipart(&st, &staff.session, m).await {
        Ok(r) => r,
        Err(e) => return staff.problem(&e, &back),
    };
    // The item first: a hash goes on a list only for an item that exists,
    // with the category the analyst gave it.
    let item = id.clone();
    let category = match st
        .run(move |store, now| store.get_hotline_item(&actor, &item, now))
        .await
    {
        Ok(i) => i.category.unwrap_or_default(),
        Err(e) => return staff.problem(&e, "/hotline"),
    };
    let list = fields.get("list").cloned().unwrap_or_default();
    let mut errors = FieldErrors::new(staff.tr);
    let mut preview = None;
    if list.trim().is_empty() {
        errors.add("list", "hotline-error-list");
    }
    match image.filter(|b| !b.is_empty()) {
        None => errors.add("image", "hotline-error-image"),
        Some(bytes) if errors.is_empty() => {
            let shown = format!(
                "data:{};base64,{}",
                image_type(&bytes),
                base64::engine::general_purpose::STANDARD.encode(&bytes)
            );
            match hash_upload(&st, bytes).await {
                Ok((h, d)) => {
                    fields.insert("source".into(), format!("hotline item {id}"));
                    fields.insert("category".into(), category);
                    let entry = entry_from_upload(&h, d, &fields);
                    let actor = staff.session.actor.clone();
                    match add_entries(&st, actor, list.clone(), vec![entry], None).await {
                        Ok(_) => preview = Some(shown),
                        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
                            errors.add("image", "hotline-error-image-unusable")
                        }
                        Err(e) => return staff.problem(&e, &back),
                    }
                }
                Err(e) => match image_error_key(&e) {
                    Some(key) => errors.add("image", key),
                    None => return staff.problem(&e, &back),
                },
            }
        }
        Some(_) => {}
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let done = preview.as_ref().map(|_| staff.tr.t("hotline-done-hashed"));
    let typed = Typed {
        list,
        ..Typed::default()
    };
    show_item(&st, &staff, id, status, |c, i, lists| {
        item_page(&staff, c, i, lists, typed, preview, done, errors)
    })
    .await
}

/// The image's media type from its first bytes, for the one-time preview.
fn image_type(b: &[u8]) -> &'static str {
    match b {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [0xFF, 0xD8, ..] => "image/jpeg",
        [b'G', b'I', b'F', ..] => "image/gif",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        [b'B', b'M', ..] => "image/bmp",
        _ => "application/octet-stream",
    }
}
