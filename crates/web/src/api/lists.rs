//! Hash lists, matching and the URL list, for hotline analysts and for
//! partner platforms and ISPs (which may only match).

use super::openapi::{ErrorBody, Page, Record};
use super::ApiJson;
use crate::auth::ApiCaller;
use crate::error::WebError;
use crate::match_index::ListMatch;
use crate::{AppState, PARTNER_WINDOW};
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::Json;
use haven_domain::lists::{
    pdq_is_degenerate, NewHashEntry, UrlLevel, MIN_PDQ_QUALITY, TOO_LITTLE_DETAIL,
};
use haven_domain::Actor;
use haven_pdq::Hash256;
use serde::Deserialize;
use utoipa::ToSchema;

/// An image upload for a list: the image and its provenance.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Describes a multipart form; read by `read_multipart`.
pub(super) struct ImageUpload {
    /// The image (JPEG, PNG, GIF, WebP or BMP), at most 20 MB.
    #[schema(value_type = String, format = Binary)]
    image: Vec<u8>,
    /// Where it came from.
    source: Option<String>,
    /// Its classification.
    category: Option<String>,
}

/// An image to match.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Describes a multipart form; read by `read_multipart`.
pub(super) struct MatchUpload {
    /// The image (JPEG, PNG, GIF, WebP or BMP), at most 20 MB; never stored.
    #[schema(value_type = String, format = Binary)]
    image: Vec<u8>,
    /// Largest Hamming distance for PDQ matches (default 31; partners at most 31).
    #[schema(minimum = 0, maximum = 63, nullable = false)]
    threshold: Option<u32>,
}
use serde_json::{json, Value};
use std::collections::HashMap;

/// Default and largest Hamming radius for PDQ matches.
pub const DEFAULT_RADIUS: u32 = 31;
const MAX_RADIUS: u32 = 63;

/// A new hash list.
#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"name": "Partner hotline list", "description": "Hashes shared by a partner hotline"}))]
#[serde(deny_unknown_fields)]
pub(super) struct NewList {
    /// Its name.
    #[serde(default)]
    #[schema(
        required = true,
        pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    name: String,
    /// What it holds.
    #[serde(default)]
    #[schema(max_length = 1000)]
    description: String,
}

/// Create a hash list (analyst, admin).
#[utoipa::path(post, path = "/api/v1/hashlists", operation_id = "create_hash_list", tag = "hash lists",
    request_body = NewList,
    responses(
        (status = 201, description = "The list", body = Record,
            links(
                ("entries" = (operation_id = "hash_entries", parameters(("id" = "$response.body#/id")))),
                ("add_entry" = (operation_id = "add_hash_entry", parameters(("id" = "$response.body#/id")))),
                ("imports" = (operation_id = "hash_imports", parameters(("id" = "$response.body#/id")))),
            )),
        (status = 409, description = "A list has this name", body = ErrorBody),
    ))]
pub(super) async fn create_list(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    ApiJson(n): ApiJson<NewList>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let l = st
        .run(move |s, now| s.create_hash_list(&a, &n.name, &n.description, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(l))))
}

/// Hash lists with their counts (analyst, admin).
#[utoipa::path(get, path = "/api/v1/hashlists", operation_id = "hash_lists", tag = "hash lists",
    responses((status = 200, description = "Lists", body = Page,
        links(
            ("entries" = (operation_id = "hash_entries", parameters(("id" = "$response.body#/items/0/id")))),
            ("add_entry" = (operation_id = "add_hash_entry", parameters(("id" = "$response.body#/items/0/id")))),
            ("imports" = (operation_id = "hash_imports", parameters(("id" = "$response.body#/items/0/id")))),
            ("import" = (operation_id = "import_hashes", parameters(("id" = "$response.body#/items/0/id")))),
            ("add_image" = (operation_id = "add_hash_image", parameters(("id" = "$response.body#/items/0/id")))),
        ))))]
pub(super) async fn lists(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let l = st.run(move |s, now| s.list_hash_lists(&a, now)).await?;
    Ok(Json(json!({"items": l, "next": null})))
}

/// A page of a list's entries with their provenance.
#[utoipa::path(get, path = "/api/v1/hashlists/{id}/entries", operation_id = "hash_entries", tag = "hash lists",
    params(("id" = String, Path, description = "The hash list's identifier"),
        ("cursor" = Option<String>, Query, description = "The `next` value of the previous page"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Page size (default 100)")),
    responses((status = 200, description = "Entries", body = Page,
        links(
            ("change" = (operation_id = "change_hash_entry", parameters(("id" = "$response.body#/items/0/id")))),
        ))))]
pub(super) async fn entries(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    let limit = match q.get("limit") {
        None => 100,
        Some(l) => l
            .parse()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| WebError::field("limit", "must be a number from 1 to 500"))?,
    };
    let cursor = q.get("cursor").cloned();
    let page = st
        .run(move |s, now| s.list_hash_entries(&a, &id, cursor.as_deref(), limit, now))
        .await?;
    Ok(Json(json!(page)))
}

/// The list's bulk imports.
#[utoipa::path(get, path = "/api/v1/hashlists/{id}/imports", operation_id = "hash_imports", tag = "hash lists",
    params(("id" = String, Path, description = "The hash list's identifier")),
    responses((status = 200, description = "Imports", body = Page)))]
pub(super) async fn imports(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let i = st
        .run(move |s, now| s.list_hash_imports(&a, &id, now))
        .await?;
    Ok(Json(json!({"items": i, "next": null})))
}

/// Adds entries to the store and then to the in-memory index.
pub async fn add_entries(
    st: &AppState,
    actor: Actor,
    list_id: String,
    entries: Vec<NewHashEntry>,
    import: Option<String>,
) -> Result<Value, WebError> {
    let (imp, added) = st
        .run(move |s, now| s.add_hash_entries(&actor, &list_id, &entries, import.as_deref(), now))
        .await?;
    let count = added.len();
    let first = added.first().map(|e| json!(e));
    st.update_lists(move |idx| {
        for e in &added {
            idx.add(e);
        }
    })
    .await?;
    Ok(match imp {
        Some(i) => json!({"import": i, "added": count}),
        None => json!(first),
    })
}

/// Add a hash to a list.
#[utoipa::path(post, path = "/api/v1/hashlists/{id}/entries", operation_id = "add_hash_entry", tag = "hash lists",
    params(("id" = String, Path, description = "The hash list's identifier")),
    request_body = NewHashEntry,
    responses((status = 201, description = "The entry", body = Record,
        links(("change" = (operation_id = "change_hash_entry", parameters(("id" = "$response.body#/id"))))))))]
pub(super) async fn add_entry(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(e): ApiJson<NewHashEntry>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(add_entries(&st, a, id, vec![e], None).await?),
    ))
}

/// The largest upload accepted: a full-resolution phone photo fits.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// Fields besides the image a form may have, and their bytes together.
const MAX_FORM_FIELDS: usize = 32;
const MAX_FORM_TEXT_BYTES: usize = 64 * 1024;

/// The body limit of routes that take an upload: the image plus the
/// form's other fields and multipart framing.
pub const UPLOAD_BODY_LIMIT: usize = MAX_UPLOAD_BYTES + 64 * 1024;

fn upload_failed(e: axum::extract::multipart::MultipartError) -> WebError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    WebError::bad_request(format!("the upload is malformed: {e}"))
}

fn too_large() -> WebError {
    WebError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!(
            "the upload is larger than {} MB, the most Haven accepts",
            MAX_UPLOAD_BYTES / (1024 * 1024)
        ),
    )
}

/// Reads a multipart form: the `image` field's bytes and the other fields as text.
pub async fn read_multipart(
    mut m: Multipart,
) -> Result<(Option<Vec<u8>>, HashMap<String, String>), WebError> {
    let mut image = None;
    let mut fields = HashMap::new();
    let mut text_bytes = 0usize;
    while let Some(field) = m.next_field().await.map_err(upload_failed)? {
        let name = field.name().unwrap_or_default().to_string();
        if name != "image" && fields.len() >= MAX_FORM_FIELDS {
            return Err(WebError::bad_request("the form has too many fields"));
        }
        let bytes = field.bytes().await.map_err(upload_failed)?;
        if name != "image" {
            text_bytes += bytes.len();
            if text_bytes > MAX_FORM_TEXT_BYTES {
                return Err(WebError::bad_request("the form's text fields are too long"));
            }
        }
        if name == "image" {
            if bytes.len() > MAX_UPLOAD_BYTES {
                return Err(too_large());
            }
            image = Some(bytes.to_vec());
        } else {
            fields.insert(name, String::from_utf8_lossy(&bytes).to_string());
        }
    }
    Ok((image, fields))
}

/// A place among the uploads being read and hashed: taken before the body
/// is read, so that uploads waiting for a hashing slot cannot pile up
/// their bodies in memory. Beyond it, a clear 503.
pub async fn upload_permit(st: &AppState) -> Result<tokio::sync::OwnedSemaphorePermit, WebError> {
    tokio::time::timeout(st.limits.hash_wait, st.upload_slots.clone().acquire_owned())
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or_else(busy)
}

fn busy() -> WebError {
    WebError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        "the server is hashing as many images as it can; try again in a minute",
    )
}

/// Hashes uploaded image bytes off the async threads, a few at a time (each
/// decode may take up to the decoder's memory bound, so their number is
/// what bounds the server's memory). The bytes are dropped here: listed
/// images are never stored.
pub async fn hash_upload(
    st: &AppState,
    bytes: Vec<u8>,
) -> Result<(haven_pdq::PdqHashes, haven_pdq::FileDigests), WebError> {
    let permit = tokio::time::timeout(st.limits.hash_wait, st.hash_slots.clone().acquire_owned())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    let limits = st.decode_limits;
    let r = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let digests = haven_pdq::file_digests(&bytes);
        haven_pdq::hash_image_bytes_with(&bytes, &limits).map(|(h, _)| (h, digests))
    })
    .await
    .map_err(|_| {
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the image could not be hashed",
        )
    })?;
    r.map_err(|e| match e {
        haven_pdq::DecodeError::TooLarge(_) => WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("image: {e}"),
        ),
        other => WebError::field("image", other.to_string()),
    })
}

/// The list entry for an uploaded image: its PDQ hash, quality and digests,
/// with the form's `source` and `category`.
pub fn entry_from_upload(
    h: &haven_pdq::PdqHashes,
    d: haven_pdq::FileDigests,
    fields: &HashMap<String, String>,
) -> NewHashEntry {
    NewHashEntry {
        pdq: Some(h.hash.to_hex()),
        quality: Some(i64::from(h.quality)),
        md5: Some(d.md5),
        sha256: Some(d.sha256),
        source: fields.get("source").cloned().unwrap_or_default(),
        category: fields.get("category").cloned().unwrap_or_default(),
    }
}

/// Add an image to a list: it is hashed, then discarded.
#[utoipa::path(post, path = "/api/v1/hashlists/{id}/entries/image", operation_id = "add_hash_image", tag = "hash lists",
    params(("id" = String, Path, description = "The hash list's identifier")),
    request_body(content = ImageUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The entry", body = Record),
        (status = 503, description = "The server is hashing as many images as it can; try again in a minute", body = ErrorBody),
    ))]
pub(super) async fn add_image(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    m: Multipart,
) -> Result<(StatusCode, Json<Value>), WebError> {
    // Refused before the image is read or hashed: a role that may not keep
    // lists must not be able to occupy the hashing slots.
    require_list_keeper(&st, &a, "hashlist.add").await?;
    let _upload = upload_permit(&st).await?;
    let (image, fields) = read_multipart(m).await?;
    only_fields(&fields, &["source", "category"])?;
    let bytes = image
        .ok_or_else(|| WebError::field("image", "attach the image as the form field `image`"))?;
    let (h, d) = hash_upload(&st, bytes).await?;
    let entry = entry_from_upload(&h, d, &fields);
    Ok((
        StatusCode::CREATED,
        Json(add_entries(&st, a, id, vec![entry], None).await?),
    ))
}

/// Refuses a form field the API does not know, as a JSON body's unknown
/// field is refused.
fn only_fields(fields: &HashMap<String, String>, known: &[&str]) -> Result<(), WebError> {
    match fields.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(WebError::field(k, "is not a field of this form")),
        None => Ok(()),
    }
}

/// Parses a bulk file: a line's first field is a PDQ (64 hex) or MD5 (32
/// hex) hash, or `sha256:` and 64 hex; a number in the second field is the
/// PDQ quality (so the CSV of `haven hash` imports as is).
pub fn parse_import(text: &str, source: &str) -> Result<Vec<NewHashEntry>, WebError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split(',').map(str::trim);
        let first = fields.next().unwrap_or_default().to_ascii_lowercase();
        let quality = fields.next().and_then(|q| q.parse::<i64>().ok());
        let mut e = NewHashEntry {
            source: source.to_string(),
            ..Default::default()
        };
        if let Some(s) = first.strip_prefix("sha256:") {
            e.sha256 = Some(s.to_string());
        } else if first.len() == 32 {
            e.md5 = Some(first);
        } else if first.len() == 64 {
            e.pdq = Some(first);
            e.quality = quality;
        } else if i == 0 && !first.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue; // a header line
        } else {
            return Err(WebError::field(
                "body",
                format!("line {}: not a PDQ, MD5 or sha256: hash", i + 1),
            ));
        }
        out.push(e);
    }
    Ok(out)
}

/// Why a line of a bulk file cannot be imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineProblem {
    /// Not a PDQ, MD5 or `sha256:` hash.
    NotAHash,
    /// A PDQ hash of an image with too little detail to match (flat,
    /// blank), or a quality below the minimum.
    TooLittleDetail,
    /// A quality that is not a number from 0 to 100.
    Quality,
}

/// A bulk file read line by line: the entries that can be imported, each
/// with its line number, and the lines that cannot, with why. Blank lines,
/// `#` comments and a header line are neither.
#[derive(Debug, Default)]
pub struct CheckedImport {
    /// (line number from 1, entry) for each good line.
    pub good: Vec<(usize, NewHashEntry)>,
    /// (line number from 1, the line as written, why) for each other line.
    pub failed: Vec<(usize, String, LineProblem)>,
}

/// Reads a bulk file as [`parse_import`] does, but keeps going past a bad
/// line: every line is either good or failed with its reason.
pub fn check_import(text: &str, source: &str) -> CheckedImport {
    let mut out = CheckedImport::default();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split(',').map(str::trim);
        let first = fields.next().unwrap_or_default().to_ascii_lowercase();
        let quality_field = fields.next().filter(|q| !q.is_empty());
        let mut e = NewHashEntry {
            source: source.to_string(),
            ..Default::default()
        };
        let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
        let problem = if let Some(h) = first.strip_prefix("sha256:") {
            e.sha256 = Some(h.to_string());
            (!hex(h, 64)).then_some(LineProblem::NotAHash)
        } else if first.len() == 32 {
            e.md5 = Some(first.clone());
            (!hex(&first, 32)).then_some(LineProblem::NotAHash)
        } else if first.len() == 64 {
            let quality =
                quality_field.map(|q| q.parse::<i64>().ok().filter(|q| (0..=100).contains(q)));
            e.pdq = Some(first.clone());
            e.quality = quality.flatten();
            if !hex(&first, 64) {
                Some(LineProblem::NotAHash)
            } else if quality == Some(None) {
                Some(LineProblem::Quality)
            } else if haven_domain::lists::pdq_is_degenerate(&first)
                || e.quality
                    .is_some_and(|q| q < haven_domain::lists::MIN_PDQ_QUALITY)
            {
                Some(LineProblem::TooLittleDetail)
            } else {
                None
            }
        } else if i == 0 && !first.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue; // a header line
        } else {
            Some(LineProblem::NotAHash)
        };
        // Whatever else the store would refuse is refused here, line by line.
        let problem = problem.or_else(|| {
            let mut errors = haven_domain::ValidationErrors::default();
            let mut probe = NewHashEntry {
                source: String::new(),
                ..e.clone()
            };
            probe.validate(&mut errors, "");
            (!errors.0.is_empty()).then_some(LineProblem::NotAHash)
        });
        match problem {
            None => out.good.push((i + 1, e)),
            Some(p) => out.failed.push((i + 1, line.to_string(), p)),
        }
    }
    out
}

/// Bulk import: one hash a line.
///
/// A line is a PDQ hash (64 hex digits, optionally followed by `,QUALITY`),
/// an MD5 (32 hex digits) or `sha256:` and 64 hex digits; the CSV of
/// `haven hash` is accepted as it is.
#[utoipa::path(post, path = "/api/v1/hashlists/{id}/imports", operation_id = "import_hashes", tag = "hash lists",
    params(("id" = String, Path, description = "The hash list's identifier"),
        ("source" = String, Query, min_length = 1, description = "Where the file came from")),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 201, description = "`{import, added}`", body = Record)))]
pub(super) async fn import(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    body: String,
) -> Result<(StatusCode, Json<Value>), WebError> {
    require_list_keeper(&st, &a, "hashlist.add").await?;
    let source = q
        .get("source")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| WebError::field("source", "name where the file came from: ?source=…"))?;
    let entries = parse_import(&body, &source)?;
    Ok((
        StatusCode::CREATED,
        Json(add_entries(&st, a, id, entries, Some(source)).await?),
    ))
}

/// An entry switched on or off.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct EntryChange {
    /// Whether matches may find it.
    enabled: bool,
}

/// Enable or disable an entry (no rebuild).
#[utoipa::path(patch, path = "/api/v1/hashentries/{id}", operation_id = "change_hash_entry", tag = "hash lists",
    params(("id" = String, Path, description = "The entry's identifier")),
    request_body = EntryChange,
    responses((status = 200, description = "The entry", body = Record)))]
pub(super) async fn change_entry(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(c): ApiJson<EntryChange>,
) -> Result<Json<Value>, WebError> {
    let e = st
        .run(move |s, now| s.set_hash_entry_enabled(&a, &id, c.enabled, now))
        .await?;
    let (id, enabled) = (e.id.clone(), e.enabled);
    st.update_lists(move |idx| idx.set_enabled(&id, enabled))
        .await?;
    Ok(Json(json!(e)))
}

/// Hashes to match: at least one of `pdq`, `md5`, `sha256`.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct MatchQuery {
    /// A PDQ hash, 64 hex digits.
    #[schema(pattern = r"^[0-9a-fA-F]{64}$")]
    pdq: Option<String>,
    /// A file's MD5, 32 hex digits.
    #[schema(pattern = r"^\s*[0-9a-fA-F]{32}\s*$")]
    md5: Option<String>,
    /// A file's SHA-256, 64 hex digits.
    #[schema(pattern = r"^\s*[0-9a-fA-F]{64}\s*$")]
    sha256: Option<String>,
    /// Largest Hamming distance for PDQ matches (default 31; partners at most 31, staff at most 63).
    #[schema(minimum = 0, maximum = 63)]
    threshold: Option<u32>,
    /// Many hashes at once (at most 1,000), instead of `pdq`, `md5` and
    /// `sha256`: the answer is `{results: [...]}`, one per item in order,
    /// each `{matches}` or `{error: {code, message}}`.
    #[schema(max_items = 1000)]
    batch: Option<Vec<MatchItem>>,
}

/// One item of a batch: at least one of `pdq`, `md5`, `sha256`.
///
/// The fields carry no pattern in the document on purpose: a malformed
/// hash costs only its own item (`{error: {code: "invalid", field}}` in
/// that item's place), so one bad line in a platform's batch of 1,000
/// does not refuse the other 999.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct MatchItem {
    /// A PDQ hash, 64 hex digits; anything else is this item's error.
    pdq: Option<String>,
    /// A file's MD5, 32 hex digits; anything else is this item's error.
    md5: Option<String>,
    /// A file's SHA-256, 64 hex digits; anything else is this item's error.
    sha256: Option<String>,
}

/// Most items in one batch match.
pub const MAX_BATCH: usize = 1000;

/// Matches a query against the enabled entries of every list; an entry
/// found by several of the query's hashes is answered once, nearest first.
pub fn run_match(
    st: &AppState,
    pdq: Option<Hash256>,
    md5: Option<&str>,
    sha256: Option<&str>,
    radius: u32,
) -> Result<Vec<ListMatch>, WebError> {
    let idx = st.lists_read()?;
    let mut out = Vec::new();
    if let Some(h) = pdq {
        out.extend(idx.match_pdq(&h, radius));
    }
    if let Some(m) = md5 {
        out.extend(idx.match_md5(m));
    }
    if let Some(s) = sha256 {
        out.extend(idx.match_sha256(s));
    }
    drop(idx);
    nearest_first_once(&mut out);
    Ok(out)
}

/// What a matching query holds once parsed.
pub struct MatchQueryInput {
    /// The PDQ hash, with its quality when the image was hashed here.
    pub pdq: Option<(Hash256, Option<u8>)>,
    /// The file's MD5.
    pub md5: Option<String>,
    /// The file's SHA-256.
    pub sha256: Option<String>,
    /// The image's other seven orientations (rotated, mirrored), matched
    /// too when the image was hashed here; empty otherwise.
    pub flips: Vec<Hash256>,
    /// The radius asked for.
    pub radius: Option<u32>,
    /// `hash`, `image` or `match tester`, for the audit entry.
    pub kind: &'static str,
}

/// The radius the caller may use (partners at most [`DEFAULT_RADIUS`],
/// hotline staff up to [`MAX_RADIUS`]), once a partner's request has been
/// counted against their limit: the same for one hash or a batch.
async fn admit_match(
    st: &AppState,
    actor: &Actor,
    threshold: Option<u32>,
) -> Result<u32, WebError> {
    let is_partner = actor.role == haven_domain::Role::Partner;
    let cap = if is_partner {
        DEFAULT_RADIUS
    } else {
        MAX_RADIUS
    };
    let radius = threshold.unwrap_or(DEFAULT_RADIUS);
    if radius > cap {
        return Err(WebError::field(
            "threshold",
            format!("must be at most {cap}"),
        ));
    }
    if is_partner
        && !st
            .public_limits
            .hit(
                st,
                &format!("match:{}", actor.name),
                st.limits.partner_matches,
                PARTNER_WINDOW,
                st.now(),
            )
            .await
    {
        return Err(WebError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!(
                "at most {} match requests in {} minutes; wait and try again",
                st.limits.partner_matches,
                PARTNER_WINDOW / 60
            ),
        ));
    }
    Ok(radius)
}

/// The one path every match takes (API and match tester): the caller's
/// radius capped by role, partners rate-limited, degenerate queries
/// refused, and the query audited. Partners may ask for at most
/// [`DEFAULT_RADIUS`]; hotline staff up to 63.
pub async fn answer_match(
    st: &AppState,
    actor: &Actor,
    q: MatchQueryInput,
) -> Result<Vec<ListMatch>, WebError> {
    let radius = admit_match(st, actor, q.radius).await?;
    if let Some((h, quality)) = &q.pdq {
        let low = quality.is_some_and(|v| i64::from(v) < MIN_PDQ_QUALITY);
        if low || pdq_is_degenerate(&h.to_hex()) {
            return Err(WebError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "too_little_detail",
                TOO_LITTLE_DETAIL,
            ));
        }
    }
    let mut matches = run_match(
        st,
        q.pdq.map(|(h, _)| h),
        q.md5.as_deref(),
        q.sha256.as_deref(),
        radius,
    )?;
    if !q.flips.is_empty() {
        for f in &q.flips {
            matches.extend(run_match(st, Some(*f), None, None, radius)?);
        }
        nearest_first_once(&mut matches);
    }
    let detail = format!(
        "{} query, radius {radius}, {} matches",
        q.kind,
        matches.len()
    );
    let name = actor.name.clone();
    st.run(move |s, now| s.record_event(&name, "match", "hashlists", "ok", &detail, now))
        .await?;
    Ok(matches)
}

/// Orders matches nearest first and keeps each entry once (found by
/// several of a query's hashes, it is answered at its nearest).
fn nearest_first_once(matches: &mut Vec<ListMatch>) {
    matches.sort_by(|a, b| a.distance.cmp(&b.distance).then(a.entry.cmp(&b.entry)));
    let mut seen = std::collections::HashSet::new();
    matches.retain(|m| seen.insert(m.entry.clone()));
}

/// A match as a partner sees it: which entry, and whether the file is the
/// listed one exactly — not the distance, which would let repeated queries
/// walk towards the listed hash.
fn partner_view(m: &ListMatch) -> Value {
    json!({
        "list": m.list,
        "entry": m.entry,
        "match": if m.distance == 0 { "exact" } else { "similar" },
        "origin": m.origin,
    })
}

/// Refuses, and audits, a caller whose role may not keep the lists, before
/// any costly work on what they sent.
pub async fn require_list_keeper(
    st: &AppState,
    a: &Actor,
    action: &'static str,
) -> Result<(), WebError> {
    if a.role.keeps_lists() {
        return Ok(());
    }
    let name = a.name.clone();
    st.run(move |s, now| s.record_event(&name, action, "", "denied", "role not allowed", now))
        .await?;
    Err(WebError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        format!("the {} role cannot change the lists", a.role),
    ))
}

fn require_match_role(a: &Actor) -> Result<(), WebError> {
    if a.role.may_match() {
        Ok(())
    } else {
        Err(WebError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("the {} role cannot match against the lists", a.role),
        ))
    }
}

/// Match hashes or an image against the enabled entries of every list.
///
/// Partners, analysts and admins; audited; images are never stored.
/// Returns `{matches: [{list, entry, distance}]}`; a partner sees `match`
/// (`exact` or `similar`) instead of the distance. Partners may ask for a
/// threshold of at most 31 and are rate-limited.
#[utoipa::path(post, path = "/api/v1/match", operation_id = "match", tag = "matching",
    request_body(content(
        (MatchQuery = "application/json"),
        (MatchUpload = "multipart/form-data"),
    )),
    responses(
        (status = 200, description = "Matches: `{matches}`, or for a batch `{results: [{matches} | {error}]}`, one per item in order", body = Record),
        (status = 413, description = "A batch of more than 1,000 hashes", body = ErrorBody),
        (status = 429, description = "A partner made too many match requests", body = ErrorBody),
        (status = 503, description = "The server is hashing as many images as it can; try again in a minute", body = ErrorBody),
    ))]
/// `POST /api/v1/match`: JSON `{"pdq"|"md5"|"sha256"}`, a JSON `{"batch": [...]}`
/// of up to 1,000 such items, or a multipart `image`.
pub(super) async fn match_endpoint(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    req: Request,
) -> Result<Json<Value>, WebError> {
    if let Err(e) = require_match_role(&a) {
        let name = a.name.clone();
        let _ = st
            .run(move |s, now| {
                s.record_event(
                    &name,
                    "match",
                    "hashlists",
                    "denied",
                    "role cannot match",
                    now,
                )
            })
            .await;
        return Err(e);
    }
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let query = if is_multipart {
        let _upload = upload_permit(&st).await?;
        let m = Multipart::from_request(req, &st)
            .await
            .map_err(|e| WebError::bad_request(e.body_text()))?;
        let (image, fields) = read_multipart(m).await?;
        only_fields(&fields, &["threshold"])?;
        let bytes = image.ok_or_else(|| {
            WebError::field("image", "attach the image as the form field `image`")
        })?;
        let radius = fields
            .get("threshold")
            .map(|t| {
                t.parse::<u32>()
                    .map_err(|_| WebError::field("threshold", "must be a number"))
            })
            .transpose()?;
        let (h, d) = hash_upload(&st, bytes).await?;
        MatchQueryInput {
            pdq: Some((h.hash, Some(h.quality as u8))),
            md5: Some(d.md5),
            sha256: Some(d.sha256),
            flips: Vec::new(),
            radius,
            kind: "image",
        }
    } else {
        let ApiJson(q) = ApiJson::<MatchQuery>::from_request(req, &st).await?;
        if let Some(items) = q.batch {
            if q.pdq.is_some() || q.md5.is_some() || q.sha256.is_some() {
                return Err(WebError::field(
                    "batch",
                    "give either a batch or pdq, md5 and sha256, not both",
                ));
            }
            return match_batch(&st, &a, items, q.threshold).await;
        }
        let pdq = q
            .pdq
            .as_deref()
            .map(|h| {
                h.parse::<Hash256>()
                    .map_err(|e| WebError::field("pdq", e.to_string()))
            })
            .transpose()?;
        let hex =
            |v: Option<String>, field: &str, len: usize| -> Result<Option<String>, WebError> {
                match v.map(|s| s.trim().to_ascii_lowercase()) {
                    Some(s) if s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit()) => {
                        Ok(Some(s))
                    }
                    Some(_) => Err(WebError::field(
                        field,
                        format!("must be {len} hexadecimal digits"),
                    )),
                    None => Ok(None),
                }
            };
        let md5 = hex(q.md5, "md5", 32)?;
        let sha256 = hex(q.sha256, "sha256", 64)?;
        if pdq.is_none() && md5.is_none() && sha256.is_none() {
            return Err(WebError::field(
                "pdq",
                "give pdq, md5 or sha256, or upload an image",
            ));
        }
        MatchQueryInput {
            pdq: pdq.map(|h| (h, None)),
            md5,
            sha256,
            flips: Vec::new(),
            radius: q.threshold,
            kind: "hash",
        }
    };
    let partner = a.role == haven_domain::Role::Partner;
    let matches = answer_match(&st, &a, query).await?;
    if partner {
        let shown: Vec<Value> = matches.iter().map(partner_view).collect();
        return Ok(Json(json!({"matches": shown})));
    }
    Ok(Json(json!({"matches": matches})))
}

/// A batch of hashes: each item parsed and matched as a single query would
/// be, against one index (the same for every item), and audited once.
async fn match_batch(
    st: &AppState,
    a: &Actor,
    items: Vec<MatchItem>,
    threshold: Option<u32>,
) -> Result<Json<Value>, WebError> {
    if items.len() > MAX_BATCH {
        return Err(WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many",
            format!(
                "at most {MAX_BATCH} hashes in one batch; {} were sent",
                items.len()
            ),
        ));
    }
    if items.is_empty() {
        return Err(WebError::field("batch", "give at least one item"));
    }
    let is_partner = a.role == haven_domain::Role::Partner;
    let radius = admit_match(st, a, threshold).await?;
    let hex = |v: Option<String>, len: usize| -> Result<Option<String>, String> {
        match v.map(|s| s.trim().to_ascii_lowercase()) {
            Some(s) if s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit()) => Ok(Some(s)),
            Some(_) => Err(format!("must be {len} hexadecimal digits")),
            None => Ok(None),
        }
    };
    // Each item read first; the PDQ hashes are then matched together.
    let error = |code: &str, field: &str, message: String| json!({"error": {"code": code, "field": field, "message": message}});
    let mut parsed = Vec::with_capacity(items.len());
    for item in items {
        let pdq = match item.pdq.as_deref().map(str::parse::<Hash256>).transpose() {
            Ok(p) => p,
            Err(e) => {
                parsed.push(Err(error("invalid", "pdq", e.to_string())));
                continue;
            }
        };
        let (md5, sha256) = match (hex(item.md5, 32), hex(item.sha256, 64)) {
            (Ok(m), Ok(s)) => (m, s),
            (Err(e), _) => {
                parsed.push(Err(error("invalid", "md5", e)));
                continue;
            }
            (_, Err(e)) => {
                parsed.push(Err(error("invalid", "sha256", e)));
                continue;
            }
        };
        if pdq.is_none() && md5.is_none() && sha256.is_none() {
            parsed.push(Err(error(
                "invalid",
                "pdq",
                "give pdq, md5 or sha256".into(),
            )));
            continue;
        }
        if pdq.is_some_and(|h| pdq_is_degenerate(&h.to_hex())) {
            parsed.push(Err(error(
                "too_little_detail",
                "pdq",
                TOO_LITTLE_DETAIL.into(),
            )));
            continue;
        }
        parsed.push(Ok((pdq, md5, sha256)));
    }
    let idx = st.lists_read()?;
    // On the blocking pool: a thousand hashes against ten million entries
    // is a second of work, which must not hold up other requests.
    let (results, found) = tokio::task::spawn_blocking(move || {
        let hashes: Vec<Hash256> = parsed.iter().flatten().filter_map(|p| p.0).collect();
        let mut near = idx.match_pdq_many(&hashes, radius).into_iter();
        let mut results = Vec::with_capacity(parsed.len());
        let mut found = 0usize;
        for item in parsed {
            let (pdq, md5, sha256) = match item {
                Ok(p) => p,
                Err(e) => {
                    results.push(e);
                    continue;
                }
            };
            let mut matches = Vec::new();
            if pdq.is_some() {
                matches.extend(near.next().unwrap_or_default());
            }
            if let Some(m) = &md5 {
                matches.extend(idx.match_md5(m));
            }
            if let Some(s) = &sha256 {
                matches.extend(idx.match_sha256(s));
            }
            nearest_first_once(&mut matches);
            found += matches.len();
            let shown: Vec<Value> = if is_partner {
                matches.iter().map(partner_view).collect()
            } else {
                matches.iter().map(|m| json!(m)).collect()
            };
            results.push(json!({"matches": shown}));
        }
        (results, found)
    })
    .await
    .map_err(|_| crate::index_failed())?;
    let detail = format!(
        "batch of {} hashes, radius {radius}, {found} matches",
        results.len()
    );
    let name = a.name.clone();
    st.run(move |s, now| s.record_event(&name, "match", "hashlists", "ok", &detail, now))
        .await?;
    Ok(Json(json!({"results": results})))
}

/// A URL to list.
#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"url": "http://example.com/listed/page", "level": "url", "category": "csam-a"}))]
#[serde(deny_unknown_fields)]
pub(super) struct NewUrl {
    /// The address: http(s) or no scheme, with a host name.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 4096)]
    url: String,
    /// How much it covers (default `url`).
    #[schema(value_type = Option<UrlLevel>)]
    level: Option<String>,
    /// Why it is listed.
    #[serde(default)]
    #[schema(
        pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    category: String,
}

/// List a URL.
#[utoipa::path(post, path = "/api/v1/urls", operation_id = "add_url", tag = "URL list",
    request_body = NewUrl,
    responses(
        (status = 201, description = "The entry", body = Record,
            links(("remove" = (operation_id = "remove_url", parameters(("id" = "$response.body#/id")))))),
        (status = 409, description = "The URL is already listed", body = ErrorBody),
    ))]
pub(super) async fn add_url(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    ApiJson(n): ApiJson<NewUrl>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let level = match n.level.as_deref() {
        None => UrlLevel::Url,
        Some(l) => UrlLevel::parse(l)
            .ok_or_else(|| WebError::field("level", "must be url, prefix or domain"))?,
    };
    let e = st
        .run(move |s, now| s.add_url(&a, &n.url, level, &n.category, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(e))))
}

/// Remove a URL from the list (a tombstone stays in the changes feed).
#[utoipa::path(delete, path = "/api/v1/urls/{id}", operation_id = "remove_url", tag = "URL list",
    params(("id" = String, Path, description = "The entry's identifier")),
    responses((status = 200, description = "The entry", body = Record)))]
pub(super) async fn remove_url(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let e = st.run(move |s, now| s.remove_url(&a, &id, now)).await?;
    Ok(Json(json!(e)))
}

/// A URL to check.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct UrlCheck {
    /// The address: http(s) or no scheme, with a host name.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 4096)]
    url: String,
}

/// Is this URL covered by the list? Answers `{listed, matches}`.
#[utoipa::path(post, path = "/api/v1/urls/check", operation_id = "check_url", tag = "URL list",
    request_body = UrlCheck,
    responses((status = 200, description = "Result", body = Record)))]
pub(super) async fn check_url(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    ApiJson(c): ApiJson<UrlCheck>,
) -> Result<Json<Value>, WebError> {
    let staff = a.role != haven_domain::Role::Partner;
    let found = st.run(move |s, now| s.check_url(&a, &c.url, now)).await?;
    let shown: Vec<Value> = found.iter().map(|e| url_view(e, staff)).collect();
    Ok(Json(json!({"listed": !found.is_empty(), "matches": shown})))
}

/// A URL entry as the caller may see it: a platform or ISP learns what is
/// listed and why, not who on the hotline listed it or the address as
/// first typed.
fn url_view(e: &haven_store::UrlEntry, staff: bool) -> Value {
    if staff {
        json!(e)
    } else {
        json!({"id": e.id, "url": e.url, "level": e.level, "category": e.category,
               "version": e.version, "removed_version": e.removed_version,
               "origin": e.origin.as_ref().map(|o| &o.node)})
    }
}

/// The URL list whole (`since=0`) or its changes since a version: `{version, entries, removed}`.
#[utoipa::path(get, path = "/api/v1/urllist", operation_id = "url_list", tag = "URL list",
    params(("since" = Option<i64>, Query, minimum = 0, description = "A list version (default 0: everything)")),
    responses((status = 200, description = "Changes", body = Record,
        links(
            ("remove" = (operation_id = "remove_url", parameters(("id" = "$response.body#/entries/0/id")))),
        ))))]
pub(super) async fn url_list(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    let since = match q.get("since") {
        None => 0,
        Some(v) => v
            .parse::<i64>()
            .map_err(|_| WebError::field("since", "must be a list version number"))?,
    };
    let staff = a.role != haven_domain::Role::Partner;
    let changes = st
        .run(move |s, now| s.url_list_since(&a, since, now))
        .await?;
    let view =
        |v: &[haven_store::UrlEntry]| v.iter().map(|e| url_view(e, staff)).collect::<Vec<_>>();
    Ok(Json(json!({
        "version": changes.version,
        "entries": view(&changes.entries),
        "removed": view(&changes.removed),
    })))
}
