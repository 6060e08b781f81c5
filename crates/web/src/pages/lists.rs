//! Analysts' pages: hash lists and their entries, bulk imports, image
//! uploads (hashed, never kept), the match tester, and the URL list.

use super::forms::{given, FieldErrors, NoFields, StaffForm};
use super::layout::{label, render_with, Layout, Staff};
use crate::api::lists::{
    add_entries, answer_match, check_import, entry_from_upload, hash_upload, parse_import,
    read_multipart, CheckedImport, LineProblem, MatchQueryInput, DEFAULT_RADIUS,
};
use crate::auth::check_csrf;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::lists::{NewHashEntry, UrlLevel};
use haven_pdq::Hash256;
use haven_store::Session;
use serde::Deserialize;
use std::collections::HashMap;

type FormData = HashMap<String, String>;

/// Reads a multipart form and checks its CSRF field before anything is used.
pub(super) async fn checked_multipart(
    st: &AppState,
    s: &Session,
    m: Multipart,
) -> Result<(Option<Vec<u8>>, FormData), WebError> {
    let (image, fields) = read_multipart(m).await?;
    check_csrf(st, s, fields.get("csrf")).await?;
    Ok((image, fields))
}

/// Takes a refusal that names fields as errors beside the page's own
/// inputs: `place` names, for each field the store or the API named, the
/// input it belongs to and the words for it. The error comes back when it
/// is not about fields (or names one the page does not show).
///
/// Like [`FieldErrors::from_store`], for pages whose input ids differ from
/// the store's field names (several forms on one page).
fn errors_at(
    tr: crate::i18n::Tr,
    e: WebError,
    place: impl Fn(&str) -> Option<(&'static str, &'static str)>,
) -> Result<FieldErrors, WebError> {
    if e.status != StatusCode::UNPROCESSABLE_ENTITY || e.fields.is_empty() {
        return Err(e);
    }
    let mut errors = FieldErrors::new(tr);
    for f in &e.fields {
        // A bulk import names its fields `entries[3].pdq`.
        let name = f.field.rsplit('.').next().unwrap_or(&f.field);
        match place(name) {
            Some((input, key)) => errors.add(input, key),
            None => return Err(e),
        }
    }
    Ok(errors)
}

/// One hash list in the index.
struct ListRow {
    id: String,
    name: String,
    description: String,
    enabled: String,
    created: String,
}

#[derive(Template)]
#[template(path = "lists_index.html")]
struct IndexPage {
    l: Layout,
    rows: Vec<ListRow>,
    name: String,
    description: String,
    errors: FieldErrors,
}

async fn index_page(
    st: &AppState,
    staff: &Staff,
    status: StatusCode,
    typed: NewListInput,
    errors: FieldErrors,
) -> Response {
    let a = staff.session.actor.clone();
    let lists = match st
        .run(move |store, now| store.list_hash_lists(&a, now))
        .await
    {
        Ok(l) => l,
        Err(e) => return staff.problem(&e, "/"),
    };
    let tr = staff.tr;
    let rows = lists
        .iter()
        .map(|l| ListRow {
            id: l.id.clone(),
            name: l.name.clone(),
            description: l.description.clone(),
            enabled: tr.t2("lists-enabled-of", "count", l.enabled, "total", l.entries),
            created: tr.date(l.created_at),
        })
        .collect();
    render_with(
        status,
        &IndexPage {
            l: staff.layout(),
            rows,
            name: typed.name,
            description: typed.description,
            errors,
        },
    )
}

pub(super) async fn index(State(st): State<AppState>, staff: Staff) -> Response {
    let errors = FieldErrors::new(staff.tr);
    index_page(&st, &staff, StatusCode::OK, NewListInput::default(), errors).await
}

/// A new list as typed.
#[derive(Default, Deserialize)]
pub(super) struct NewListInput {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

pub(super) async fn create(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<NewListInput>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    match given(&form.name) {
        None => errors.add("name", "lists-error-name"),
        Some(n) if n.chars().count() > 100 => errors.add("name", "lists-error-long"),
        Some(_) => {}
    }
    if form.description.chars().count() > 1000 {
        errors.add("description", "lists-error-description");
    }
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    if !errors.is_empty() {
        return index_page(&st, &staff, unprocessable, form, errors).await;
    }
    let a = staff.session.actor.clone();
    let (name, desc) = (form.name.clone(), form.description.clone());
    match st
        .run(move |store, now| store.create_hash_list(&a, &name, &desc, now))
        .await
    {
        Ok(l) => Redirect::to(&format!("/lists/{}", l.id)).into_response(),
        Err(e) if e.status == StatusCode::CONFLICT => {
            let mut errors = FieldErrors::new(staff.tr);
            errors.add("name", "lists-error-name-taken");
            index_page(&st, &staff, unprocessable, form, errors).await
        }
        Err(e) => {
            let place = |f: &str| match f {
                "name" => Some(("name", "lists-error-name")),
                "description" => Some(("description", "lists-error-description")),
                _ => None,
            };
            match errors_at(staff.tr, e, place) {
                Ok(errors) => index_page(&st, &staff, unprocessable, form, errors).await,
                Err(e) => staff.problem(&e, "/lists"),
            }
        }
    }
}

/// What the list page's three forms were sent with, to be shown again.
#[derive(Default)]
struct ListTyped {
    hash: String,
    source: String,
    category: String,
    image_source: String,
    image_category: String,
    import_source: String,
    hashes: String,
}

/// One entry of a list.
struct EntryRow {
    id: String,
    hash: String,
    category: String,
    source: String,
    added: String,
    state: String,
    enabled: bool,
    button: String,
}

#[derive(Template)]
#[template(path = "lists_show.html")]
struct ListPage {
    l: Layout,
    id: String,
    name: String,
    description: String,
    enabled: String,
    added: Option<String>,
    rows: Vec<EntryRow>,
    next: Option<String>,
    imports: Vec<String>,
    typed: ListTyped,
    errors: FieldErrors,
}

async fn list_page(
    st: &AppState,
    staff: &Staff,
    id: String,
    q: ListQuery,
    status: StatusCode,
    typed: ListTyped,
    errors: FieldErrors,
) -> Response {
    let a = staff.session.actor.clone();
    let added = q.added.clone();
    let result = st
        .run(move |store, now| {
            let lists = store.list_hash_lists(&a, now)?;
            let list = lists
                .into_iter()
                .find(|l| l.id == id)
                .ok_or_else(|| haven_store::StoreError::NotFound(format!("hash list {id}")))?;
            let entries = store.list_hash_entries(&a, &id, q.cursor.as_deref(), 100, now)?;
            let imports = store.list_hash_imports(&a, &id, now)?;
            Ok((list, entries, imports))
        })
        .await;
    let (list, entries, imports) = match result {
        Ok(r) => r,
        Err(e) => return staff.problem(&e, "/lists"),
    };
    let tr = staff.tr;
    let rows = entries
        .items
        .iter()
        .map(|e| EntryRow {
            id: e.id.clone(),
            hash: e
                .pdq
                .clone()
                .or_else(|| e.md5.clone())
                .or_else(|| e.sha256.clone())
                .unwrap_or_default(),
            category: e.category.clone(),
            source: e.source.clone(),
            added: tr.t2(
                "lists-added-by",
                "who",
                e.added_by.as_str(),
                "when",
                tr.date(e.added_at),
            ),
            state: tr.t(if e.enabled {
                "lists-entry-enabled"
            } else {
                "lists-entry-disabled"
            }),
            enabled: e.enabled,
            button: tr.t(if e.enabled {
                "lists-disable"
            } else {
                "lists-enable"
            }),
        })
        .collect();
    let imports = imports
        .iter()
        .map(|i| {
            tr.with(
                "lists-import-line",
                &[
                    ("name", &i.source),
                    ("count", &i.entries),
                    ("who", &i.imported_by),
                    ("when", &tr.date(i.imported_at)),
                ],
            )
        })
        .collect();
    render_with(
        status,
        &ListPage {
            l: staff.layout(),
            enabled: tr.t2(
                "lists-entries-enabled",
                "count",
                list.enabled,
                "total",
                list.entries,
            ),
            id: list.id,
            name: list.name,
            description: list.description,
            added: added
                .as_deref()
                .and_then(|n| n.parse::<i64>().ok())
                .map(|n| tr.t1("lists-added", "count", n)),
            rows,
            next: entries.next,
            imports,
            typed,
            errors,
        },
    )
}

#[derive(Default, Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
    cursor: Option<String>,
    #[serde(default)]
    added: Option<String>,
}

pub(super) async fn show(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    let errors = FieldErrors::new(staff.tr);
    let typed = ListTyped::default();
    list_page(&st, &staff, id, q, StatusCode::OK, typed, errors).await
}

/// The list page again, its forms' mistakes beside their fields.
async fn list_refused(
    st: &AppState,
    staff: &Staff,
    id: String,
    typed: ListTyped,
    errors: FieldErrors,
) -> Response {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    list_page(st, staff, id, ListQuery::default(), status, typed, errors).await
}

/// Adds entries to a list, then shows the list with how many were added;
/// a refusal of the entries is shown beside the form's fields (`place`).
async fn add_and_show(
    st: &AppState,
    staff: &Staff,
    id: String,
    entries: Vec<NewHashEntry>,
    import: Option<String>,
    typed: ListTyped,
    place: impl Fn(&str) -> Option<(&'static str, &'static str)>,
) -> Response {
    let n = entries.len();
    let actor = staff.session.actor.clone();
    match add_entries(st, actor, id.clone(), entries, import).await {
        Ok(_) => Redirect::to(&format!("/lists/{id}?added={n}")).into_response(),
        Err(e) => match errors_at(staff.tr, e, place) {
            Ok(errors) => list_refused(st, staff, id, typed, errors).await,
            Err(e) => staff.problem(&e, &format!("/lists/{id}")),
        },
    }
}

/// One hash typed by hand.
#[derive(Deserialize)]
pub(super) struct HashInput {
    #[serde(default)]
    hash: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    category: String,
}

pub(super) async fn add(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<HashInput>,
) -> Response {
    let typed = ListTyped {
        hash: form.hash.clone(),
        source: form.source.clone(),
        category: form.category.clone(),
        ..ListTyped::default()
    };
    let mut errors = FieldErrors::new(staff.tr);
    let entry = match given(&form.hash) {
        None => {
            errors.add("hash", "lists-error-hash-missing");
            None
        }
        Some(h) => match parse_import(&h, &form.source) {
            Ok(mut parsed) if parsed.len() == 1 => parsed.pop(),
            _ => {
                errors.add("hash", "lists-error-hash");
                None
            }
        },
    };
    let Some(mut entry) = entry else {
        return list_refused(&st, &staff, id, typed, errors).await;
    };
    entry.category = form.category.clone();
    let place = |f: &str| match f {
        "pdq" | "md5" | "sha256" | "quality" | "entries" => Some(("hash", "lists-error-hash")),
        "source" => Some(("source", "lists-error-long")),
        "category" => Some(("category", "lists-error-long")),
        _ => None,
    };
    add_and_show(&st, &staff, id, vec![entry], None, typed, place).await
}

/// A file of hashes pasted in; `confirm` is set by the preview's button.
#[derive(Deserialize)]
pub(super) struct ImportInput {
    #[serde(default)]
    source: String,
    #[serde(default)]
    hashes: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// A line of the file that cannot be imported.
struct FailedLine {
    line: String,
    text: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "lists_import.html")]
struct ImportPreview {
    l: Layout,
    id: String,
    name: String,
    summary: String,
    failed: Vec<FailedLine>,
    good: usize,
    confirm: String,
    source: String,
    hashes: String,
}

/// The words for why a line cannot be imported.
fn line_problem_key(p: LineProblem) -> &'static str {
    match p {
        LineProblem::NotAHash => "lists-import-reason-not-a-hash",
        LineProblem::TooLittleDetail => "lists-import-reason-detail",
        LineProblem::Quality => "lists-import-reason-quality",
    }
}

/// At most this much of a failed line is shown back.
const SHOWN_LINE: usize = 80;

pub(super) async fn import(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<ImportInput>,
) -> Response {
    let typed = ListTyped {
        import_source: form.source.clone(),
        hashes: form.hashes.clone(),
        ..ListTyped::default()
    };
    let mut errors = FieldErrors::new(staff.tr);
    let source = given(&form.source);
    if source.is_none() {
        errors.add("import_source", "lists-error-import-source");
    }
    let checked = check_import(&form.hashes, source.as_deref().unwrap_or(""));
    if checked.good.is_empty() && checked.failed.is_empty() {
        errors.add("hashes", "lists-error-hashes-missing");
    }
    let Some(source) = source.filter(|_| errors.is_empty()) else {
        return list_refused(&st, &staff, id, typed, errors).await;
    };
    if form.confirm.is_none() || checked.good.is_empty() {
        // Nothing is written before the analyst has seen what would be.
        return import_preview(&st, &staff, id, &source, &form.hashes, &checked).await;
    }
    let entries = checked.good.into_iter().map(|(_, e)| e).collect();
    let place = |f: &str| match f {
        "source" => Some(("import_source", "lists-error-long")),
        "entries" => Some(("hashes", "lists-error-hashes-many")),
        _ => Some(("hashes", "lists-error-hashes")),
    };
    add_and_show(&st, &staff, id, entries, Some(source), typed, place).await
}

/// What an import would add and which lines it would leave out, with a
/// button that imports the good lines (422 when no line is good).
async fn import_preview(
    st: &AppState,
    staff: &Staff,
    id: String,
    source: &str,
    hashes: &str,
    checked: &CheckedImport,
) -> Response {
    // Refused here for a role that may not change the lists, as the import would be.
    let a = staff.session.actor.clone();
    if let Err(e) = crate::api::lists::require_list_keeper(st, &a, "hashlist.add").await {
        return staff.problem(&e, "/lists");
    }
    let wanted = id.clone();
    let list = match st
        .run(move |store, now| {
            store
                .list_hash_lists(&a, now)?
                .into_iter()
                .find(|l| l.id == wanted)
                .ok_or_else(|| haven_store::StoreError::NotFound(format!("hash list {wanted}")))
        })
        .await
    {
        Ok(l) => l,
        Err(e) => return staff.problem(&e, "/lists"),
    };
    let tr = staff.tr;
    let good = checked.good.len();
    let failed = checked
        .failed
        .iter()
        .map(|(n, text, p)| FailedLine {
            line: tr.number(i64::try_from(*n).unwrap_or(i64::MAX)),
            text: if text.chars().count() > SHOWN_LINE {
                format!("{}…", text.chars().take(SHOWN_LINE).collect::<String>())
            } else {
                text.clone()
            },
            reason: tr.t(line_problem_key(*p)),
        })
        .collect::<Vec<_>>();
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let page = ImportPreview {
        l: staff.layout(),
        name: list.name,
        summary: tr.t2(
            "lists-import-summary",
            "count",
            count(good),
            "n",
            count(failed.len()),
        ),
        confirm: tr.t1("lists-import-confirm", "count", count(good)),
        failed,
        good,
        source: source.to_string(),
        hashes: hashes.to_string(),
        id,
    };
    let status = if good == 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_with(status, &page)
}

/// The words for an image that could not be hashed, when the refusal is
/// about the image (too large, not an image, too little detail).
fn image_error_key(e: &WebError) -> Option<&'static str> {
    match e.status {
        StatusCode::PAYLOAD_TOO_LARGE => Some("lists-error-image-large"),
        StatusCode::UNPROCESSABLE_ENTITY => Some("lists-error-image-unusable"),
        _ => None,
    }
}

pub(super) async fn image(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    m: Multipart,
) -> Response {
    let back = format!("/lists/{id}");
    // Refused before the image is read or hashed.
    let actor = staff.session.actor.clone();
    if let Err(e) = crate::api::lists::require_list_keeper(&st, &actor, "hashlist.add").await {
        return staff.problem(&e, "/lists");
    }
    let _upload = match crate::api::lists::upload_permit(&st).await {
        Ok(p) => p,
        Err(e) => return staff.problem(&e, &back),
    };
    let (image, fields) = match checked_multipart(&st, &staff.session, m).await {
        Ok(r) => r,
        Err(e) => return staff.problem(&e, &back),
    };
    let field = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let typed = ListTyped {
        image_source: field("source"),
        image_category: field("category"),
        ..ListTyped::default()
    };
    let mut errors = FieldErrors::new(staff.tr);
    let Some(bytes) = image.filter(|b| !b.is_empty()) else {
        errors.add("image", "lists-error-image");
        return list_refused(&st, &staff, id, typed, errors).await;
    };
    let (h, d) = match hash_upload(&st, bytes).await {
        Ok(r) => r,
        Err(e) => match image_error_key(&e) {
            Some(key) => {
                errors.add("image", key);
                return list_refused(&st, &staff, id, typed, errors).await;
            }
            None => return staff.problem(&e, &back),
        },
    };
    let entry = entry_from_upload(&h, d, &fields);
    let place = |f: &str| match f {
        "source" => Some(("isource", "lists-error-long")),
        "category" => Some(("icategory", "lists-error-long")),
        _ => Some(("image", "lists-error-image-unusable")),
    };
    add_and_show(&st, &staff, id, vec![entry], None, typed, place).await
}

/// Turning an entry on or off.
#[derive(Deserialize)]
pub(super) struct ToggleInput {
    #[serde(default)]
    enabled: String,
}

pub(super) async fn toggle(
    State(st): State<AppState>,
    Path(entry): Path<String>,
    StaffForm { staff, form }: StaffForm<ToggleInput>,
) -> Response {
    let enabled = form.enabled == "true";
    let a = staff.session.actor.clone();
    match st
        .run(move |store, now| store.set_hash_entry_enabled(&a, &entry, enabled, now))
        .await
    {
        Ok(e) => {
            let (id, enabled) = (e.id.clone(), e.enabled);
            match st
                .update_lists(move |idx| idx.set_enabled(&id, enabled))
                .await
            {
                Ok(()) => Redirect::to(&format!("/lists/{}", e.list_id)).into_response(),
                Err(err) => staff.problem(&err, "/lists"),
            }
        }
        Err(e) => staff.problem(&e, "/lists"),
    }
}

/// An entry's category in words: a hotline category by its name in the
/// page's language, anything else as it was given.
fn category_words(tr: crate::i18n::Tr, c: &str) -> String {
    let key = format!("hotline-category-{c}");
    match c {
        "" => tr.t("lists-not-given"),
        _ if tr.has(&key) => tr.t(&key),
        _ => c.to_string(),
    }
}

/// One match found by the tester.
struct MatchRow {
    list: String,
    category: String,
    source: String,
    distance: String,
}

/// What the tester found, once it has run.
struct Results {
    query: Option<String>,
    rows: Vec<MatchRow>,
}

#[derive(Template)]
#[template(path = "lists_match.html")]
struct MatchPage {
    l: Layout,
    intro: String,
    hash: String,
    results: Option<Results>,
    errors: FieldErrors,
}

fn match_page(
    staff: &Staff,
    status: StatusCode,
    hash: String,
    results: Option<Results>,
    errors: FieldErrors,
) -> Response {
    let intro = staff.tr.t1("lists-match-intro", "n", DEFAULT_RADIUS);
    render_with(
        status,
        &MatchPage {
            l: staff.layout(),
            intro,
            hash,
            results,
            errors,
        },
    )
}

fn tester_refused(staff: &Staff, back: &str) -> Response {
    // Hotline staff only: the tester shows distances, which partners
    // (platforms, matching through the API) are not given.
    let e = WebError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "your role cannot use the match tester",
    );
    staff.problem(&e, back)
}

pub(super) async fn tester(staff: Staff) -> Response {
    // A form the role could not submit is not shown at all.
    if !staff.session.actor.role.keeps_lists() {
        return tester_refused(&staff, "/");
    }
    let errors = FieldErrors::new(staff.tr);
    match_page(&staff, StatusCode::OK, String::new(), None, errors)
}

pub(super) async fn run_tester(State(st): State<AppState>, staff: Staff, m: Multipart) -> Response {
    if !staff.session.actor.role.keeps_lists() {
        return tester_refused(&staff, "/lists");
    }
    let _upload = match crate::api::lists::upload_permit(&st).await {
        Ok(p) => p,
        Err(e) => return staff.problem(&e, "/match"),
    };
    let (image, fields) = match checked_multipart(&st, &staff.session, m).await {
        Ok(r) => r,
        Err(e) => return staff.problem(&e, "/match"),
    };
    let typed = fields.get("hash").cloned().unwrap_or_default();
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let refuse = |field: &str, key: &str| {
        let mut errors = FieldErrors::new(staff.tr);
        errors.add(field, key);
        match_page(&staff, unprocessable, typed.clone(), None, errors)
    };
    let query = match (image.filter(|b| !b.is_empty()), given(&typed)) {
        (Some(bytes), _) => match hash_upload(&st, bytes).await {
            Ok((h, d)) => MatchQueryInput {
                pdq: Some((h.hash, Some(h.quality as u8))),
                md5: Some(d.md5),
                sha256: Some(d.sha256),
                // Rotated or mirrored copies of a listed image are found too.
                flips: h.dihedrals().into_iter().skip(1).collect(),
                radius: None,
                kind: "match tester",
            },
            Err(e) => match image_error_key(&e) {
                Some(key) => return refuse("image", key),
                None => return staff.problem(&e, "/match"),
            },
        },
        (None, Some(h)) => match h.parse::<Hash256>() {
            Ok(h) => MatchQueryInput {
                pdq: Some((h, None)),
                md5: None,
                sha256: None,
                flips: Vec::new(),
                radius: None,
                kind: "match tester",
            },
            Err(_) => return refuse("hash", "lists-error-pdq"),
        },
        (None, None) => return refuse("hash", "lists-error-match-missing"),
    };
    let from_image = query.md5.is_some();
    let shown_pdq = query.pdq.map(|(h, _)| h);
    let matches = match answer_match(&st, &staff.session.actor, query).await {
        Ok(m) => m,
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let field = if from_image { "image" } else { "hash" };
            return refuse(field, "lists-error-match-detail");
        }
        Err(e) => return staff.problem(&e, "/match"),
    };
    let tr = staff.tr;
    let results = Results {
        query: shown_pdq.map(|h| h.to_string()),
        rows: matches
            .iter()
            .map(|m| MatchRow {
                list: m.list.clone(),
                category: category_words(tr, &m.category),
                source: if m.source.is_empty() {
                    tr.t("lists-not-given")
                } else {
                    m.source.clone()
                },
                distance: tr.number(i64::from(m.distance)),
            })
            .collect(),
    };
    let errors = FieldErrors::new(tr);
    match_page(&staff, StatusCode::OK, typed, Some(results), errors)
}

/// One address on the URL list.
struct UrlRow {
    id: String,
    url: String,
    level: String,
    category: String,
    version: String,
}

/// A choice of how much of the web an entry covers.
struct LevelChoice {
    value: &'static str,
    label: String,
    chosen: bool,
}

/// How ISPs fetch the list: an address, not words.
const URLLIST_API: &str = "GET /api/v1/urllist?since=V";

#[derive(Template)]
#[template(path = "lists_urls.html")]
struct UrlsPage {
    l: Layout,
    version: String,
    api: &'static str,
    rows: Vec<UrlRow>,
    levels: Vec<LevelChoice>,
    url: String,
    category: String,
    errors: FieldErrors,
}

/// An address for the URL list as typed.
#[derive(Default, Deserialize)]
pub(super) struct UrlInput {
    #[serde(default)]
    url: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    category: String,
}

async fn urls_page(
    st: &AppState,
    staff: &Staff,
    status: StatusCode,
    typed: UrlInput,
    errors: FieldErrors,
) -> Response {
    let a = staff.session.actor.clone();
    let list = match st
        .run(move |store, now| store.url_list_since(&a, 0, now))
        .await
    {
        Ok(l) => l,
        Err(e) => return staff.problem(&e, "/"),
    };
    let tr = staff.tr;
    let rows = list
        .entries
        .iter()
        .map(|u| UrlRow {
            id: u.id.clone(),
            url: u.url.clone(),
            level: label(tr, "url-level", &u.level),
            category: category_words(tr, &u.category),
            version: tr.number(u.version),
        })
        .collect();
    let chosen = if typed.level.is_empty() {
        "url"
    } else {
        typed.level.as_str()
    };
    let levels = [UrlLevel::Url, UrlLevel::Prefix, UrlLevel::Domain]
        .iter()
        .map(|v| LevelChoice {
            value: v.as_str(),
            label: label(tr, "url-level", v.as_str()),
            chosen: chosen == v.as_str(),
        })
        .collect();
    render_with(
        status,
        &UrlsPage {
            l: staff.layout(),
            version: tr.t1("lists-urls-version", "n", list.version),
            api: URLLIST_API,
            rows,
            levels,
            url: typed.url,
            category: typed.category,
            errors,
        },
    )
}

pub(super) async fn urls(State(st): State<AppState>, staff: Staff) -> Response {
    let errors = FieldErrors::new(staff.tr);
    urls_page(&st, &staff, StatusCode::OK, UrlInput::default(), errors).await
}

pub(super) async fn add_url(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<UrlInput>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    let level = match form.level.trim() {
        "" => Some(UrlLevel::Url),
        l => UrlLevel::parse(l),
    };
    if level.is_none() {
        errors.add("level", "lists-error-level");
    }
    let url = given(&form.url);
    if url.is_none() {
        errors.add("url", "lists-error-url-missing");
    }
    if form.category.trim().chars().count() > 100 {
        errors.add("category", "lists-error-long");
    }
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let (Some(level), Some(url), true) = (level, url, errors.is_empty()) else {
        return urls_page(&st, &staff, unprocessable, form, errors).await;
    };
    let a = staff.session.actor.clone();
    let category = form.category.clone();
    match st
        .run(move |store, now| store.add_url(&a, &url, level, &category, now))
        .await
    {
        Ok(_) => Redirect::to("/urls").into_response(),
        Err(e) if e.status == StatusCode::CONFLICT => {
            let mut errors = FieldErrors::new(staff.tr);
            errors.add("url", "lists-error-url-listed");
            urls_page(&st, &staff, unprocessable, form, errors).await
        }
        Err(e) => {
            let place = |f: &str| match f {
                "url" => Some(("url", "lists-error-url")),
                "category" => Some(("category", "lists-error-long")),
                _ => None,
            };
            match errors_at(staff.tr, e, place) {
                Ok(errors) => urls_page(&st, &staff, unprocessable, form, errors).await,
                Err(e) => staff.problem(&e, "/urls"),
            }
        }
    }
}

pub(super) async fn remove_url(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, .. }: StaffForm<NoFields>,
) -> Response {
    let a = staff.session.actor.clone();
    match st
        .run(move |store, now| store.remove_url(&a, &id, now))
        .await
    {
        Ok(_) => Redirect::to("/urls").into_response(),
        Err(e) => staff.problem(&e, "/urls"),
    }
}
