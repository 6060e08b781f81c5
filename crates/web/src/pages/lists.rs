//! Analysts' pages: hash lists and their entries, bulk imports, image
//! uploads (hashed, never kept), the match tester, and the URL list.

use super::{csrf_field, date, esc, page, problem};
use crate::api::lists::{
    add_entries, answer_match, entry_from_upload, hash_upload, parse_import, read_multipart,
    MatchQueryInput, DEFAULT_RADIUS,
};
use crate::auth::{check_csrf, PageSession};
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::lists::{NewHashEntry, UrlLevel};
use haven_pdq::Hash256;
use haven_store::Session;
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

pub(super) async fn index(State(st): State<AppState>, PageSession(s): PageSession) -> Response {
    let a = s.actor.clone();
    let lists = match st
        .run(move |store, now| store.list_hash_lists(&a, now))
        .await
    {
        Ok(l) => l,
        Err(e) => return problem(&s, e, "/lists"),
    };
    let rows: String = lists
        .iter()
        .map(|l| format!(r#"<tr><td><a href="/lists/{}">{}</a></td><td>{}</td><td>{} of {}</td><td>{}</td></tr>"#, esc(&l.id), esc(&l.name), esc(&l.description), l.enabled, l.entries, date(l.created_at)))
        .collect();
    let body = format!(
        r#"<h1>Hash lists</h1><p>Lists of hashes of confirmed material. Images are hashed on upload and never kept.</p>
<table><thead><tr><th>List</th><th>Description</th><th>Enabled entries</th><th>Created</th></tr></thead><tbody>{rows}</tbody></table>
<h2>New list</h2><form method="post" action="/lists">{}
<label for="name">Name</label><input id="name" name="name" required>
<label for="description">Description</label><input id="description" name="description">
<p><button type="submit">Create list</button></p></form>
<p><a href="/match">Match tester</a> · <a href="/urls">URL list</a></p>"#,
        csrf_field(&s)
    );
    page("Hash lists", Some(&s), &body).into_response()
}

pub(super) async fn create(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Form(f): Form<FormData>,
) -> Response {
    if let Err(e) = check_csrf(&st, &s, f.get("csrf")).await {
        return problem(&s, e, "/lists");
    }
    let a = s.actor.clone();
    let (name, desc) = (
        f.get("name").cloned().unwrap_or_default(),
        f.get("description").cloned().unwrap_or_default(),
    );
    match st
        .run(move |store, now| store.create_hash_list(&a, &name, &desc, now))
        .await
    {
        Ok(l) => Redirect::to(&format!("/lists/{}", l.id)).into_response(),
        Err(e) => problem(&s, e, "/lists"),
    }
}

pub(super) async fn show(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let a = s.actor.clone();
    let list_id = id.clone();
    let cursor = q.get("cursor").cloned();
    let result = st
        .run(move |store, now| {
            let lists = store.list_hash_lists(&a, now)?;
            let list = lists
                .into_iter()
                .find(|l| l.id == list_id)
                .ok_or_else(|| haven_store::StoreError::NotFound(format!("hash list {list_id}")))?;
            let entries = store.list_hash_entries(&a, &list_id, cursor.as_deref(), 100, now)?;
            let imports = store.list_hash_imports(&a, &list_id, now)?;
            Ok((list, entries, imports))
        })
        .await;
    let (list, entries, imports) = match result {
        Ok(r) => r,
        Err(e) => return problem(&s, e, "/lists"),
    };
    let notice = q
        .get("added")
        .map(|n| format!(r#"<p class="notice">{} added.</p>"#, esc(n)))
        .unwrap_or_default();
    let rows: String = entries
        .items
        .iter()
        .map(|e| {
            let hash = e.pdq.clone().or_else(|| e.md5.clone()).or_else(|| e.sha256.clone()).unwrap_or_default();
            format!(
                r#"<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{} ({})</td><td>{}</td><td><form method="post" action="/lists/entries/{}" class="inline">{}<input type="hidden" name="enabled" value="{}"><input type="hidden" name="list" value="{}"><button class="link">{}</button></form></td></tr>"#,
                esc(&hash),
                esc(&e.category),
                esc(&e.source),
                esc(&e.added_by),
                date(e.added_at),
                if e.enabled { "enabled" } else { "disabled" },
                esc(&e.id),
                csrf_field(&s),
                !e.enabled,
                esc(&list.id),
                if e.enabled { "Disable" } else { "Enable" }
            )
        })
        .collect();
    let next = entries
        .next
        .map(|n| {
            format!(
                r#"<p><a href="/lists/{}?cursor={}">Next entries →</a></p>"#,
                esc(&list.id),
                esc(&n)
            )
        })
        .unwrap_or_default();
    let imports: String = imports
        .iter()
        .map(|i| {
            format!(
                "<li>{} — {} entries by {} on {}</li>",
                esc(&i.source),
                i.entries,
                esc(&i.imported_by),
                date(i.imported_at)
            )
        })
        .collect();
    let body = format!(
        r#"{notice}<h1>{}</h1><p>{}</p><p>{} of {} entries enabled.</p>
<table><thead><tr><th>Hash</th><th>Category</th><th>Source</th><th>Added</th><th>State</th><th></th></tr></thead><tbody>{rows}</tbody></table>{next}
<h2>Add a hash</h2><form method="post" action="/lists/{id}/entries">{csrf}
<label for="hash">PDQ (64 hex), MD5 (32 hex) or sha256:HEX</label><input id="hash" name="hash" required>
<label for="source">Source</label><input id="source" name="source"><label for="category">Category</label><input id="category" name="category">
<p><button type="submit">Add</button></p></form>
<h2>Add an image</h2><p>The image is hashed and then discarded; it is never stored.</p>
<form method="post" action="/lists/{id}/image" enctype="multipart/form-data">{csrf}
<label for="image">Image file</label><input id="image" name="image" type="file" required>
<label for="isource">Source</label><input id="isource" name="source"><label for="icategory">Category</label><input id="icategory" name="category">
<p><button type="submit">Hash and add</button></p></form>
<h2>Import a file of hashes</h2><form method="post" action="/lists/{id}/import">{csrf}
<label for="import_source">Where the file came from</label><input id="import_source" name="source" required>
<label for="hashes">One hash a line (or the CSV of <code>haven hash</code>)</label><textarea id="hashes" name="hashes" rows="6" cols="70"></textarea>
<p><button type="submit">Import</button></p></form>
<h2>Imports</h2><ul>{imports}</ul>"#,
        esc(&list.name),
        esc(&list.description),
        list.enabled,
        list.entries,
        id = esc(&list.id),
        csrf = csrf_field(&s),
    );
    page(&list.name, Some(&s), &body).into_response()
}

/// Adds entries to a list, then shows the list with how many were added.
async fn add_and_show(
    st: &AppState,
    s: &Session,
    id: &str,
    entries: Vec<NewHashEntry>,
    import: Option<String>,
) -> Response {
    let n = entries.len();
    match add_entries(st, s.actor.clone(), id.to_string(), entries, import).await {
        Ok(_) => Redirect::to(&format!("/lists/{id}?added={n}")).into_response(),
        Err(e) => problem(s, e, "/lists"),
    }
}

fn entry_from_text(hash: &str, source: &str, category: &str) -> Result<NewHashEntry, WebError> {
    let mut parsed = parse_import(hash, source)?;
    let mut e = parsed
        .pop()
        .ok_or_else(|| WebError::field("hash", "is required"))?;
    e.category = category.to_string();
    Ok(e)
}

pub(super) async fn add(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    if let Err(e) = check_csrf(&st, &s, f.get("csrf")).await {
        return problem(&s, e, "/lists");
    }
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let entry = match entry_from_text(&get("hash"), &get("source"), &get("category")) {
        Ok(e) => e,
        Err(e) => return problem(&s, e, "/lists"),
    };
    add_and_show(&st, &s, &id, vec![entry], None).await
}

pub(super) async fn import(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    if let Err(e) = check_csrf(&st, &s, f.get("csrf")).await {
        return problem(&s, e, "/lists");
    }
    let source = f
        .get("source")
        .map(|v| v.trim().to_string())
        .unwrap_or_default();
    if source.is_empty() {
        return problem(
            &s,
            WebError::field("source", "say where the file came from"),
            "/lists",
        );
    }
    let entries = match parse_import(f.get("hashes").map(String::as_str).unwrap_or(""), &source) {
        Ok(e) => e,
        Err(e) => return problem(&s, e, "/lists"),
    };
    add_and_show(&st, &s, &id, entries, Some(source)).await
}

pub(super) async fn image(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    m: Multipart,
) -> Response {
    // Refused before the image is read or hashed.
    if let Err(e) = crate::api::lists::require_list_keeper(&st, &s.actor, "hashlist.add").await {
        return problem(&s, e, "/lists");
    }
    let _upload = match crate::api::lists::upload_permit(&st).await {
        Ok(p) => p,
        Err(e) => return problem(&s, e, "/lists"),
    };
    let (image, fields) = match checked_multipart(&st, &s, m).await {
        Ok(r) => r,
        Err(e) => return problem(&s, e, "/lists"),
    };
    let Some(bytes) = image.filter(|b| !b.is_empty()) else {
        return problem(
            &s,
            WebError::field("image", "choose an image file"),
            "/lists",
        );
    };
    let (h, d) = match hash_upload(&st, bytes).await {
        Ok(r) => r,
        Err(e) => return problem(&s, e, "/lists"),
    };
    let entry = entry_from_upload(&h, d, &fields);
    add_and_show(&st, &s, &id, vec![entry], None).await
}

pub(super) async fn toggle(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(entry): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    if let Err(e) = check_csrf(&st, &s, f.get("csrf")).await {
        return problem(&s, e, "/lists");
    }
    let enabled = f.get("enabled").is_some_and(|v| v == "true");
    let a = s.actor.clone();
    match st
        .run(move |store, now| store.set_hash_entry_enabled(&a, &entry, enabled, now))
        .await
    {
        Ok(e) => match st.lists_write() {
            Ok(mut idx) => {
                idx.set_enabled(&e.id, e.enabled);
                drop(idx);
                Redirect::to(&format!("/lists/{}", e.list_id)).into_response()
            }
            Err(err) => problem(&s, err, "/lists"),
        },
        Err(e) => problem(&s, e, "/lists"),
    }
}

fn match_form(s: &Session, results: &str) -> String {
    format!(
        r#"<h1>Match tester</h1><p>Check a hash or an image against every enabled entry (distance up to {DEFAULT_RADIUS}). Images are hashed and discarded.</p>
<form method="post" action="/match" enctype="multipart/form-data">{}
<label for="hash">PDQ hash (64 hex)</label><input id="hash" name="hash">
<label for="image">or an image file</label><input id="image" name="image" type="file">
<p><button type="submit">Match</button></p></form>{results}"#,
        csrf_field(s)
    )
}

pub(super) async fn tester(PageSession(s): PageSession) -> Response {
    // A form the role could not submit is not shown at all.
    // Hotline staff only: the tester shows distances, which partners
    // (platforms, matching through the API) are not given.
    if !s.actor.role.keeps_lists() {
        return problem(
            &s,
            WebError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "your role cannot use the match tester",
            ),
            "/",
        );
    }
    page("Match tester", Some(&s), &match_form(&s, "")).into_response()
}

pub(super) async fn run_tester(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    m: Multipart,
) -> Response {
    if !s.actor.role.keeps_lists() {
        return problem(
            &s,
            WebError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "your role cannot match against the lists",
            ),
            "/lists",
        );
    }
    let _upload = match crate::api::lists::upload_permit(&st).await {
        Ok(p) => p,
        Err(e) => return problem(&s, e, "/lists"),
    };
    let (image, fields) = match checked_multipart(&st, &s, m).await {
        Ok(r) => r,
        Err(e) => return problem(&s, e, "/lists"),
    };
    let query = match (
        image.filter(|b| !b.is_empty()),
        fields
            .get("hash")
            .map(|h| h.trim())
            .filter(|h| !h.is_empty()),
    ) {
        (Some(bytes), _) => match hash_upload(&st, bytes).await {
            Ok((h, d)) => MatchQueryInput {
                pdq: Some((h.hash, Some(h.quality as u8))),
                md5: Some(d.md5),
                sha256: Some(d.sha256),
                radius: None,
                kind: "match tester",
            },
            Err(e) => return problem(&s, e, "/lists"),
        },
        (None, Some(h)) => match h.parse::<Hash256>() {
            Ok(h) => MatchQueryInput {
                pdq: Some((h, None)),
                md5: None,
                sha256: None,
                radius: None,
                kind: "match tester",
            },
            Err(e) => return problem(&s, WebError::field("hash", e.to_string()), "/lists"),
        },
        (None, None) => {
            return problem(
                &s,
                WebError::field("hash", "give a hash or choose an image"),
                "/lists",
            )
        }
    };
    let shown_pdq = query.pdq.map(|(h, _)| h);
    let matches = match answer_match(&st, &s.actor, query).await {
        Ok(m) => m,
        Err(e) => return problem(&s, e, "/lists"),
    };
    let results = if matches.is_empty() {
        r#"<p class="notice" id="results">No match.</p>"#.to_string()
    } else {
        let rows: String = matches
            .iter()
            .map(|m| {
                format!(
                    "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                    esc(&m.list),
                    esc(&m.entry),
                    m.distance
                )
            })
            .collect();
        format!(
            r#"<table id="results"><thead><tr><th>List</th><th>Entry</th><th>Distance</th></tr></thead><tbody>{rows}</tbody></table>"#
        )
    };
    let query = shown_pdq
        .map(|h| format!("<p>Query PDQ: <code>{h}</code></p>"))
        .unwrap_or_default();
    page(
        "Match tester",
        Some(&s),
        &match_form(&s, &format!("{query}{results}")),
    )
    .into_response()
}

pub(super) async fn urls(State(st): State<AppState>, PageSession(s): PageSession) -> Response {
    let a = s.actor.clone();
    let list = match st
        .run(move |store, now| store.url_list_since(&a, 0, now))
        .await
    {
        Ok(l) => l,
        Err(e) => return problem(&s, e, "/lists"),
    };
    let rows: String = list
        .entries
        .iter()
        .map(|u| {
            format!(
                r#"<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td><form method="post" action="/urls/{}/remove" class="inline">{}<button class="link">Remove (taken down)</button></form></td></tr>"#,
                esc(&u.url),
                esc(&u.level),
                esc(&u.category),
                u.version,
                esc(&u.id),
                csrf_field(&s)
            )
        })
        .collect();
    let body = format!(
        r#"<h1>URL list</h1><p>Version {}. ISPs download it whole or as changes since their version (<code>GET /api/v1/urllist?since=V</code>).</p>
<table><thead><tr><th>Address</th><th>Level</th><th>Category</th><th>Version</th><th></th></tr></thead><tbody>{rows}</tbody></table>
<h2>Add</h2><form method="post" action="/urls">{}
<label for="url">Address</label><input id="url" name="url" required>
<label for="level">Covers</label><select id="level" name="level"><option value="url">exactly this address</option><option value="prefix">everything under this path</option><option value="domain">the whole domain</option></select>
<label for="category">Category</label><input id="category" name="category">
<p><button type="submit">Add to the list</button></p></form>"#,
        list.version,
        csrf_field(&s)
    );
    page("URL list", Some(&s), &body).into_response()
}

pub(super) async fn add_url(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Form(f): Form<FormData>,
) -> Response {
    if let Err(e) = check_csrf(&st, &s, f.get("csrf")).await {
        return problem(&s, e, "/lists");
    }
    let level = UrlLevel::parse(f.get("level").map(String::as_str).unwrap_or("url"))
        .unwrap_or(UrlLevel::Url);
    let a = s.actor.clone();
    let (url, category) = (
        f.get("url").cloned().unwrap_or_default(),
        f.get("category").cloned().unwrap_or_default(),
    );
    match st
        .run(move |store, now| store.add_url(&a, &url, level, &category, now))
        .await
    {
        Ok(_) => Redirect::to("/urls").into_response(),
        Err(e) => problem(&s, e, "/lists"),
    }
}

pub(super) async fn remove_url(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    if let Err(e) = check_csrf(&st, &s, f.get("csrf")).await {
        return problem(&s, e, "/lists");
    }
    let a = s.actor.clone();
    match st
        .run(move |store, now| store.remove_url(&a, &id, now))
        .await
    {
        Ok(_) => Redirect::to("/urls").into_response(),
        Err(e) => problem(&s, e, "/lists"),
    }
}
