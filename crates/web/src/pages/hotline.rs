//! The hotline's pages (C6): the items of reported material with the
//! published figures, one item with its assessment and actions, and
//! hashing a confirmed image onto a list. Images are never stored; one
//! just hashed is shown once, blurred and grey until the analyst chooses
//! to see it (analyst wellbeing).

use super::cases::{post_done, post_then};
use super::lists::checked_multipart;
use super::{csrf_field, date, esc, page, problem};
use crate::api::lists::{add_entries, entry_from_upload, hash_upload};
use crate::auth::PageSession;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use haven_domain::hotline::{AgeBand, Assessment, HotlineAction, HotlineFigures};
use haven_store::reports::{HotlineItem, ItemAssessment};
use haven_store::{HashList, Session};
use std::collections::BTreeMap;

type FormData = BTreeMap<String, String>;

fn when(ts: Option<i64>) -> String {
    ts.map_or("—".into(), date)
}

fn state_of(i: &HotlineItem) -> &'static str {
    match (i.assessment, i.removed_at) {
        (_, Some(_)) => "removed",
        (None, _) => "to assess",
        (Some(Assessment::SecondOpinion), _) => "needs a second opinion",
        (Some(Assessment::NotIllegal), _) => "not illegal",
        (Some(Assessment::Illegal), _) if i.notice_sent_at.is_none() => "illegal: send notice",
        (Some(Assessment::Illegal), _) => "illegal: waiting for removal",
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.1}%"))
}

fn hours(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.1} h"))
}

fn figures_table(f: &HotlineFigures) -> String {
    format!(
        r#"<div class="cards" id="figures"><div class="card"><b>{}</b>reports received</div><div class="card"><b>{}</b>assessed illegal ({} of {} assessed)</div>
<div class="card"><b>{}</b>median time from report to removal</div><div class="card"><b>{}</b>90th percentile to removal</div><div class="card"><b>{}</b>removed within 3 days</div></div>"#,
        f.reports_received,
        pct(f.percent_illegal),
        f.illegal,
        f.assessed,
        hours(f.median_hours_to_removal),
        hours(f.p90_hours_to_removal),
        pct(f.percent_removed_within_3_days)
    )
}

/// The dashboard of hotline analysts (queue, items, figures) and of
/// monitoring officers (figures only). Empty for other roles.
#[allow(dead_code)] // The dashboard now draws the desk from data (pages/dashboard.rs).
pub(super) async fn desk(st: &AppState, s: &Session) -> String {
    let actor = s.actor.clone();
    let analyst = actor.role.keeps_lists();
    if !analyst && actor.role != haven_domain::Role::Monitor {
        return String::new();
    }
    let result = st
        .run(move |store, now| {
            let figures = store.hotline_figures(&actor, now)?;
            let (reports, items) = if analyst {
                (
                    store.list_reports(&actor, true, now)?,
                    store.list_hotline_items(&actor, true, now)?,
                )
            } else {
                (Vec::new(), Vec::new())
            };
            Ok((figures, reports, items))
        })
        .await;
    let Ok((f, reports, items)) = result else {
        return String::new();
    };
    let work = if analyst {
        let card = |n: usize, label: &str, href: &str, alert: bool| {
            let class = if alert && n > 0 { "card alert" } else { "card" };
            format!(r#"<a class="{class}" href="{href}"><b>{n}</b>{label}</a>"#)
        };
        format!(
            r#"<h2>Waiting</h2><div class="cards">{}{}{}{}</div>"#,
            card(reports.len(), "reports to triage", "/reports", false),
            card(
                reports.iter().filter(|r| r.danger_now).count(),
                "with a child in danger now",
                "/reports",
                true
            ),
            card(
                reports.iter().filter(|r| r.overdue).count(),
                "reports late",
                "/reports",
                true
            ),
            card(
                items
                    .iter()
                    .filter(|i| i.assessment.is_none()
                        || i.assessment == Some(Assessment::SecondOpinion))
                    .count(),
                "items to assess",
                "/hotline",
                false
            ),
        )
    } else {
        String::new()
    };
    format!("{work}<h2>Hotline figures</h2>{}", figures_table(&f))
}

pub(super) async fn index(State(st): State<AppState>, PageSession(s): PageSession) -> Response {
    let actor = s.actor.clone();
    let result = st
        .run(move |store, now| {
            Ok((
                store.list_hotline_items(&actor, false, now)?,
                store.hotline_figures(&actor, now)?,
            ))
        })
        .await;
    match result {
        Ok((items, f)) => {
            let rows: String = items
                .iter()
                .map(|i| {
                    format!(
                        r#"<tr><td><a href="/hotline/{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                        esc(&i.id),
                        esc(&i.url),
                        state_of(i),
                        when(Some(i.reported_at)),
                        esc(i.hosting_country.as_deref().unwrap_or("—"))
                    )
                })
                .collect();
            let body = format!(
                r#"<h1>Hotline</h1><h2>Published figures</h2>{}
<h2>Reported material</h2><table><thead><tr><th>Address (do not open outside the secure workstation)</th><th>State</th><th>Reported</th><th>Hosted in</th></tr></thead><tbody>{rows}</tbody></table>
<form method="post" action="/hotline" class="box">{}<label for="url">Add an address found another way (e.g. from a partner)</label><input id="url" name="url" required><p><button type="submit">Add item</button></p></form>"#,
                figures_table(&f),
                csrf_field(&s)
            );
            page("Hotline", Some(&s), &body).into_response()
        }
        Err(e) => problem(&s, e, "/"),
    }
}

pub(super) async fn create(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Form(f): Form<FormData>,
) -> Response {
    let actor = s.actor.clone();
    let url = f.get("url").cloned().unwrap_or_default();
    post_then(
        &st,
        &s,
        &f,
        "/hotline",
        |i: HotlineItem| format!("/hotline/{}", i.id),
        move |store, now| store.create_hotline_item(&actor, &url, now),
    )
    .await
}

fn select(name: &str, values: &[&str]) -> String {
    let opts: String = values
        .iter()
        .map(|v| format!(r#"<option value="{v}">{}</option>"#, v.replace('_', " ")))
        .collect();
    format!(r#"<select id="{name}" name="{name}">{opts}</select>"#)
}

fn item_body(s: &Session, i: &HotlineItem, lists: &[HashList], preview: Option<&str>) -> String {
    let csrf = csrf_field(s);
    let id = esc(&i.id);
    let me = s.actor.name.as_str();
    let mut forms = String::new();
    let may_assess = match (i.assessment, &i.assessed_by) {
        (None, _) => true,
        (Some(Assessment::SecondOpinion), Some(first)) => first != me,
        _ => false,
    };
    if may_assess {
        let assessments: Vec<&str> = Assessment::ALL.iter().map(|a| a.as_str()).collect();
        let bands: Vec<&str> = AgeBand::ALL.iter().map(|a| a.as_str()).collect();
        forms.push_str(&format!(
            r#"<form method="post" action="/hotline/{id}/assessment" class="box"><h3>Assess</h3>{csrf}
<label for="assessment">Under national law the material is</label>{}
<label for="category">Category</label><input id="category" name="category">
<label for="age_band">Apparent age of the children</label>{}
<label for="sex">Apparent sex</label>{}
<label for="hosting_country">Hosting country (two letters)</label><input id="hosting_country" name="hosting_country" maxlength="2">
<label for="hosting_provider">Hosting provider</label><input id="hosting_provider" name="hosting_provider">
<p><button type="submit">Record assessment</button></p></form>"#,
            select("assessment", &assessments),
            select("age_band", &bands),
            select("sex", &["unknown", "female", "male", "both"])
        ));
    }
    let settled = matches!(
        i.assessment,
        Some(Assessment::Illegal | Assessment::NotIllegal)
    );
    if settled && i.confirmed_by.is_none() && i.assessed_by.as_deref() != Some(me) {
        forms.push_str(&format!(r#"<form method="post" action="/hotline/{id}/confirmation" class="box">{csrf}<p>A second analyst may confirm this assessment.</p><button type="submit">Confirm the assessment</button></form>"#));
    }
    if i.assessment == Some(Assessment::Illegal) && i.removed_at.is_none() {
        for (action, done, label) in [
            (
                HotlineAction::NoticeSent,
                i.notice_sent_at.is_some(),
                "Notice-and-takedown sent to the host",
            ),
            (
                HotlineAction::LawEnforcement,
                i.law_enforcement_at.is_some(),
                "Referred to law enforcement",
            ),
        ] {
            if !done {
                forms.push_str(&format!(r#"<form method="post" action="/hotline/{id}/action/{}" class="inline-form">{csrf}<button type="submit">{label}</button></form>"#, action.as_str()));
            }
        }
        if i.forwarded_at.is_none() {
            forms.push_str(&format!(r#"<form method="post" action="/hotline/{id}/action/forwarded" class="box">{csrf}<label for="detail">Hotline of the hosting country</label><input id="detail" name="detail" required><p><button type="submit">Forwarded abroad</button></p></form>"#));
        }
        forms.push_str(&format!(r#"<form method="post" action="/hotline/{id}/action/removed" class="box">{csrf}<p>Checked: the material is gone. This records the takedown time and takes the address off the URL list.</p><button type="submit">Material removed</button></form>"#));
        let options: String = lists
            .iter()
            .map(|l| {
                format!(
                    r#"<option value="{}">{}</option>"#,
                    esc(&l.id),
                    esc(&l.name)
                )
            })
            .collect();
        if !options.is_empty() {
            forms.push_str(&format!(
                r#"<form method="post" action="/hotline/{id}/image" enctype="multipart/form-data" class="box"><h3>Hash a confirmed image onto a list</h3>{csrf}
<p>The image is hashed and discarded; it is never stored.</p><label for="list">List</label><select id="list" name="list">{options}</select>
<label for="image">Image file</label><input id="image" name="image" type="file" accept="image/*" required>
<p><button type="submit">Hash and list</button></p></form>"#
            ));
        }
    }
    let preview = preview.map(|p| format!(
        r#"<div class="sensitive"><input type="checkbox" id="reveal" class="reveal"><label for="reveal">Show the image (it is blurred and grey until you choose)</label><img src="{p}" alt="The image just hashed"></div>"#
    )).unwrap_or_default();
    format!(
        r#"<h1>Hotline item</h1>{preview}<dl><dt>Address</dt><dd><code>{url}</code></dd><dt>State</dt><dd id="state">{state}</dd><dt>Reported</dt><dd>{reported}</dd>
<dt>Assessment</dt><dd>{assessment} {by}</dd><dt>Second analyst</dt><dd>{confirmed}</dd><dt>Category</dt><dd>{category}</dd><dt>Children depicted</dt><dd>{age} · {sex}</dd>
<dt>Hosting</dt><dd>{country} {provider}</dd><dt>Notice sent</dt><dd>{notice}</dd><dt>Law enforcement</dt><dd>{le}</dd><dt>Forwarded</dt><dd>{fwd} {fwd_at}</dd>
<dt>On the URL list</dt><dd>{listed}</dd><dt>Removed</dt><dd>{removed}</dd></dl>{forms}{report}"#,
        url = esc(&i.url),
        state = state_of(i),
        reported = when(Some(i.reported_at)),
        assessment = i
            .assessment
            .map_or("not yet".to_string(), |a| a.as_str().replace('_', " ")),
        by = i
            .assessed_by
            .as_deref()
            .map(|b| format!("by {} on {}", esc(b), when(i.assessed_at)))
            .unwrap_or_default(),
        confirmed = i
            .confirmed_by
            .as_deref()
            .map(|b| format!("{} on {}", esc(b), when(i.confirmed_at)))
            .unwrap_or_else(|| "—".into()),
        category = esc(i.category.as_deref().unwrap_or("—")),
        age = i.age_band.map_or("—", |a| a.as_str()),
        sex = esc(i.sex.as_deref().unwrap_or("—")),
        country = esc(i.hosting_country.as_deref().unwrap_or("—")),
        provider = esc(i.hosting_provider.as_deref().unwrap_or("")),
        notice = when(i.notice_sent_at),
        le = when(i.law_enforcement_at),
        fwd = esc(i.forwarded_to.as_deref().unwrap_or("—")),
        fwd_at = if i.forwarded_at.is_some() {
            when(i.forwarded_at)
        } else {
            String::new()
        },
        listed = match (&i.url_entry_id, i.removed_at) {
            (Some(_), None) => "yes",
            (Some(_), Some(_)) => "no longer (tombstone published)",
            _ => "no",
        },
        removed = when(i.removed_at),
        report = i
            .report_id
            .as_deref()
            .map(|r| format!(
                r#"<p><a href="/reports/{}">The report it came from</a></p>"#,
                esc(r)
            ))
            .unwrap_or_default(),
    )
}

async fn render(
    st: &AppState,
    s: &Session,
    id: String,
    preview: Option<String>,
    notice: Option<String>,
) -> Response {
    let actor = s.actor.clone();
    match st
        .run(move |store, now| {
            Ok((
                store.get_hotline_item(&actor, &id, now)?,
                store.list_hash_lists(&actor, now)?,
            ))
        })
        .await
    {
        Ok((item, lists)) => page(
            "Hotline item",
            Some(s),
            &format!(
                "{}{}",
                notice.unwrap_or_default(),
                item_body(s, &item, &lists, preview.as_deref())
            ),
        )
        .into_response(),
        Err(e) => problem(s, e, "/hotline"),
    }
}

pub(super) async fn show(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let notice = q
        .get("done")
        .map(|d| format!(r#"<p class="notice" role="status">{}</p>"#, esc(d)));
    render(&st, &s, id, None, notice).await
}

pub(super) async fn assess(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    let back = format!("/hotline/{id}");
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let a = ItemAssessment {
        assessment: get("assessment"),
        category: get("category"),
        age_band: get("age_band"),
        sex: get("sex"),
        hosting_country: get("hosting_country"),
        hosting_provider: get("hosting_provider"),
    };
    let actor = s.actor.clone();
    post_done(
        &st,
        &s,
        &f,
        &back,
        "Assessment recorded",
        move |store, now| store.assess_item(&actor, &id, &a, now),
    )
    .await
}

pub(super) async fn confirm(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    let back = format!("/hotline/{id}");
    let actor = s.actor.clone();
    post_done(
        &st,
        &s,
        &f,
        &back,
        "Assessment confirmed",
        move |store, now| store.confirm_item(&actor, &id, now),
    )
    .await
}

pub(super) async fn action(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<FormData>,
) -> Response {
    let back = format!("/hotline/{id}");
    let Some(action) = HotlineAction::parse(&action) else {
        return problem(&s, WebError::bad_request("no such action"), &back);
    };
    let actor = s.actor.clone();
    let detail = f.get("detail").cloned();
    post_done(&st, &s, &f, &back, "Recorded", move |store, now| {
        store.item_action(&actor, &id, action, detail.as_deref(), now)
    })
    .await
}

/// Hashes an uploaded image onto a list; shows it once, blurred, and keeps nothing of it.
pub(super) async fn image(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    m: Multipart,
) -> Response {
    let back = format!("/hotline/{id}");
    // Refused before the image is read or hashed.
    if let Err(e) = crate::api::lists::require_list_keeper(&st, &s.actor, "hashlist.add").await {
        return problem(&s, e, "/hotline");
    }
    let _upload = match crate::api::lists::upload_permit(&st).await {
        Ok(p) => p,
        Err(e) => return problem(&s, e, &back),
    };
    let (image, mut fields) = match checked_multipart(&st, &s, m).await {
        Ok(r) => r,
        Err(e) => return problem(&s, e, &back),
    };
    // The item first: a hash goes on a list only for an item that exists,
    // with the category the analyst gave it.
    let actor = s.actor.clone();
    let item = id.clone();
    let category = match st
        .run(move |store, now| store.get_hotline_item(&actor, &item, now))
        .await
    {
        Ok(i) => i.category.unwrap_or_default(),
        Err(e) => return problem(&s, e, "/hotline"),
    };
    let Some(bytes) = image.filter(|b| !b.is_empty()) else {
        return problem(&s, WebError::field("image", "choose an image file"), &back);
    };
    let preview = format!(
        "data:{};base64,{}",
        image_type(&bytes),
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    );
    let (h, d) = match hash_upload(&st, bytes).await {
        Ok(r) => r,
        Err(e) => return problem(&s, e, &back),
    };
    fields.insert("source".into(), format!("hotline item {id}"));
    fields.insert("category".into(), category);
    let list = fields.get("list").cloned().unwrap_or_default();
    let entry = entry_from_upload(&h, d, &fields);
    match add_entries(&st, s.actor.clone(), list, vec![entry], None).await {
        Ok(_) => render(&st, &s, id, Some(preview), Some(r#"<p class="notice" role="status">The image was hashed onto the list and discarded.</p>"#.into())).await,
        Err(e) => problem(&s, e, &back),
    }
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
