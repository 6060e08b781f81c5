//! Offline field work (issue 16): the changes made on a laptop that wait
//! for a person (a field someone else changed on the server meanwhile),
//! resolved by keeping one value; and the field laptops, which an
//! administrator can revoke. The store decides who sees what and audits it.

use super::forms::{NoFields, StaffForm};
use super::layout::{label, render, Layout, Staff};
use crate::field_link::{FieldLink, SyncFailure};
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::field_ops::{
    record_kind, OfflineAssessment, OfflineCaseOpening, OfflineCaseWork, OfflineReferral,
    OfflineReferralAnswer, ASSESSMENT_RECORD, CASE_NOTE, CASE_OPEN, CASE_STEP, REFERRAL_ANSWER,
    REFERRAL_MAKE,
};
use haven_domain::{Date, Role};
use haven_store::{FieldConflict, FieldNode, Keep, RefusedOperation};
use serde::Deserialize;

/// A field's name in the reader's words (the record form's label).
fn field_label(tr: Tr, field: &str) -> String {
    tr.t(match field {
        "given_name" => "child-given-name",
        "family_name" => "child-family-name",
        "sex" => "child-sex",
        "date_of_birth" => "child-date-of-birth",
        "location" => "child-district",
        "birth_registration" => "child-birth-registration",
        "disability" => "child-disability",
        "minority_group" => "child-minority-group",
        "living_situation" => "child-living-situation",
        "in_school" => "child-in-school",
        "child_labour" => "child-child-labour",
        _ => "field-household",
    })
}

/// A field's value in the reader's words.
fn value(tr: Tr, field: &str, v: Option<&str>) -> String {
    let Some(v) = v.filter(|v| !v.is_empty()) else {
        return tr.t("field-no-value");
    };
    match (field, v) {
        (_, "true") => tr.t("yes"),
        (_, "false") => tr.t("no"),
        ("sex", v) => label(tr, "sex", v),
        ("birth_registration", v) => label(tr, "birth-registration", v),
        ("living_situation", v) => label(tr, "living", v),
        ("date_of_birth", v) => Date::parse(v).map(|d| tr.day(d)).unwrap_or(v.to_string()),
        (_, v) => v.to_string(),
    }
}

struct ConflictView {
    /// A registration held as possibly a child already registered.
    registration: bool,
    id: String,
    child_id: String,
    child_name: String,
    field: String,
    laptop: String,
    server: String,
    base: String,
    found: String,
}

fn conflict_view(tr: Tr, c: &FieldConflict) -> ConflictView {
    let registration = c.field == "registration";
    let shown = |v: Option<&str>| {
        if registration {
            v.unwrap_or_default().to_string()
        } else {
            value(tr, &c.field, v)
        }
    };
    ConflictView {
        registration,
        id: c.id.clone(),
        child_id: c.child_id.clone(),
        child_name: c.child_name.clone(),
        field: field_label(tr, &c.field),
        laptop: shown(c.laptop.as_deref()),
        server: shown(c.server.as_deref()),
        base: shown(c.base.as_deref()),
        found: tr.t2(
            "field-found",
            "who",
            c.worker.as_str(),
            "when",
            tr.date(c.found_at),
        ),
    }
}

struct NodeView {
    id: String,
    label: String,
    user: String,
    last_sync: String,
    acknowledged: i64,
    pending: i64,
    revoked: String,
}

fn node_view(tr: Tr, n: &FieldNode) -> NodeView {
    NodeView {
        id: n.id.clone(),
        label: n.label.clone(),
        user: n.user.clone(),
        last_sync: n
            .last_sync_at
            .map(|t| tr.date_time(t))
            .unwrap_or_else(|| tr.t("field-never")),
        acknowledged: i64::try_from(n.acknowledged).unwrap_or(i64::MAX),
        pending: i64::try_from(n.pending).unwrap_or(i64::MAX),
        revoked: n
            .revoked_at
            .map(|t| tr.t1("field-revoked-on", "date", tr.date(t)))
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "field.html")]
struct FieldPage {
    l: Layout,
    conflicts: Vec<ConflictView>,
    nodes: Vec<NodeView>,
    admin: bool,
    done: String,
}

/// What `/field` was sent back to after a change or a sync.
#[derive(Deserialize, Default)]
pub(super) struct FieldQuery {
    #[serde(default)]
    done: Option<String>,
    /// After a sync on a laptop: applied, conflicts, refused, received, removed.
    #[serde(default)]
    synced: Option<String>,
}

/// `/field`: on the server, the conflicts and the laptops; on a laptop,
/// its sync and the changes the server refused.
pub(super) async fn page(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<FieldQuery>,
) -> Response {
    if let Some(link) = st.field_link.clone() {
        return laptop_page(st, link, staff, q).await;
    }
    let actor = staff.session.actor.clone();
    let found = st
        .run(move |s, now| Ok((s.field_conflicts(&actor, now)?, s.field_nodes(&actor, now)?)))
        .await;
    match found {
        Ok((conflicts, nodes)) => render(&FieldPage {
            l: staff.layout(),
            conflicts: conflicts
                .iter()
                .map(|c| conflict_view(staff.tr, c))
                .collect(),
            nodes: nodes.iter().map(|n| node_view(staff.tr, n)).collect(),
            admin: staff.session.actor.role == Role::Admin,
            done: match q.done.as_deref() {
                Some("laptop") => "field-kept-laptop",
                Some("server") => "field-kept-server",
                Some("registered") => "field-registered",
                Some("not-registered") => "field-not-registered",
                Some("revoked") => "field-revoked-done",
                _ => "",
            }
            .into(),
        }),
        Err(e) => staff.problem(&e, "/"),
    }
}

#[derive(Deserialize)]
pub(super) struct ResolveForm {
    #[serde(default)]
    keep: String,
}

/// `POST /field/conflicts/{id}`: keep one value.
pub(super) async fn resolve(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<ResolveForm>,
) -> Response {
    let Some(keep) = Keep::parse(&form.keep) else {
        return staff.problem(
            &crate::error::WebError::from(haven_store::StoreError::field(
                "keep",
                "must be laptop or server",
            )),
            "/field",
        );
    };
    let actor = staff.session.actor.clone();
    match st
        .run(move |s, now| s.resolve_field_conflict(&actor, &id, keep, now))
        .await
    {
        Ok(c) => {
            let done = match (c.field.as_str(), keep) {
                ("registration", Keep::Laptop) => "registered",
                ("registration", Keep::Server) => "not-registered",
                _ => keep.as_str(),
            };
            Redirect::to(&format!("/field?done={done}")).into_response()
        }
        Err(e) => staff.problem(&e, "/field"),
    }
}

/// `POST /field/laptops/{id}/revoke` (administrators).
pub(super) async fn revoke(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, .. }: StaffForm<NoFields>,
) -> Response {
    let actor = staff.session.actor.clone();
    match st
        .run(move |s, now| s.revoke_field_node(&actor, &id, now))
        .await
    {
        Ok(_) => Redirect::to("/field?done=revoked").into_response(),
        Err(e) => staff.problem(&e, "/field"),
    }
}

struct RefusedView {
    n: u64,
    /// The record it was made on: `/children/…` or `/cases/…`.
    link: String,
    heading: String,
    fields: String,
    /// Why, in the reader's language; empty when the server gave no code.
    why: String,
    /// The server's own words (English).
    reason: String,
}

/// A refused change as the laptop's page shows it: an assessment by its
/// number of answers, a case step or note by what it was and its words, a
/// referral by its reason, any other change by its fields.
fn refused_view(tr: Tr, r: &RefusedOperation) -> RefusedView {
    let op = &r.operation;
    let date = tr.date(op.made_at);
    let case_work = (op.kind == CASE_STEP || op.kind == CASE_NOTE)
        .then(|| OfflineCaseWork::from_changes(&op.kind, &op.changes).ok())
        .flatten();
    let referral = (op.kind == REFERRAL_MAKE)
        .then(|| OfflineReferral::from_changes(&op.changes).ok())
        .flatten();
    let answer = (op.kind == REFERRAL_ANSWER)
        .then(|| OfflineReferralAnswer::from_changes(&op.changes).ok())
        .flatten();
    let opening = (op.kind == CASE_OPEN)
        .then(|| OfflineCaseOpening::from_changes(&op.changes).ok())
        .flatten();
    let (heading, fields) = if let Some(o) = &opening {
        (
            tr.t1("laptop-refused-case-open", "date", date),
            o.assigned_to.clone().unwrap_or_default(),
        )
    } else if let Some(a) = &answer {
        let status = tr.t(&format!("referral-status-{}", a.status.as_str()));
        (
            tr.t1("laptop-refused-referral-answer", "date", date),
            match &a.note {
                Some(words) => format!("{status}: {words}"),
                None => status,
            },
        )
    } else if let Some(r) = &referral {
        (
            tr.t1("laptop-refused-referral", "date", date),
            r.reason.clone(),
        )
    } else if let Some(work) = &case_work {
        let (heading, kind) = match work.action {
            Some(a) => ("laptop-refused-case-step", a.as_str()),
            None => ("laptop-refused-case-note", "note"),
        };
        let what = tr.t(&format!("case-event-{kind}"));
        (
            tr.t1(heading, "date", date),
            match &work.text {
                Some(words) => format!("{what}: {words}"),
                None => what,
            },
        )
    } else if op.kind == ASSESSMENT_RECORD {
        let answers = OfflineAssessment::from_changes(&op.changes).map_or(0, |a| a.answers.len());
        (
            tr.t1("laptop-refused-assessment", "date", date),
            tr.t1("laptop-refused-answers", "count", answers as i64),
        )
    } else {
        let fields = op
            .changes
            .iter()
            .map(|c| {
                format!(
                    "{}: {}",
                    field_label(tr, &c.field),
                    value(tr, &c.field, c.value.as_deref())
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        (tr.t1("laptop-refused-change", "date", date), fields)
    };
    RefusedView {
        n: op.n,
        link: match record_kind(&op.kind) {
            "case" => format!("/cases/{}", op.record),
            "referral" => format!("/referrals/{}", op.record),
            _ => format!("/children/{}", op.record),
        },
        heading,
        fields,
        why: r
            .code
            .map(|code| tr.t(&format!("laptop-refused-why-{}", code.as_str())))
            .unwrap_or_default(),
        reason: r.reason.clone(),
    }
}

#[derive(Template)]
#[template(path = "field_laptop.html")]
struct LaptopPage {
    l: Layout,
    /// How often it syncs by itself (empty: only on request).
    automatic: String,
    server: String,
    last_sync: String,
    waiting: String,
    refused: Vec<RefusedView>,
    done: String,
    failed: String,
}

/// The laptop's own `/field`: what it syncs with, the changes waiting,
/// and those the server refused, to redo on the record or discard.
async fn laptop_page(
    st: AppState,
    link: std::sync::Arc<dyn FieldLink>,
    staff: Staff,
    q: FieldQuery,
) -> Response {
    let tr = staff.tr;
    let actor = staff.session.actor.clone();
    let found = st
        .run(move |s, _| {
            let (_, waiting) = s.field_outbox(&actor, 0, 0)?;
            Ok((waiting, s.refused_operations(&actor)?))
        })
        .await;
    let (waiting, refused) = match found {
        Ok(f) => f,
        Err(e) => return staff.problem(&e, "/"),
    };
    let refused = refused.iter().map(|r| refused_view(tr, r)).collect();
    let done = match (q.done.as_deref(), q.synced.as_deref()) {
        (_, Some(counts)) => {
            let n: Vec<u64> = counts.split('.').filter_map(|x| x.parse().ok()).collect();
            match n[..] {
                [applied, conflicts, refused, received, removed, cases, cases_removed] => tr.with(
                    "laptop-synced",
                    &[
                        ("applied", &(applied as i64)),
                        ("conflicts", &(conflicts as i64)),
                        ("refused", &(refused as i64)),
                        ("received", &(received as i64)),
                        ("removed", &(removed as i64)),
                        ("cases", &(cases as i64)),
                        ("cases_removed", &(cases_removed as i64)),
                    ],
                ),
                _ => String::new(),
            }
        }
        (Some("discarded"), _) => tr.t("laptop-discarded"),
        _ => String::new(),
    };
    let failed = match q.done.as_deref() {
        Some("unreachable") => tr.t("laptop-unreachable"),
        _ => String::new(),
    };
    let automatic = st
        .field_sync_every
        .map(|every| {
            let minutes = every.as_secs().div_ceil(60).max(1);
            tr.t1(
                "laptop-automatic",
                "minutes",
                i64::try_from(minutes).unwrap_or(i64::MAX),
            )
        })
        .unwrap_or_default();
    render(&LaptopPage {
        l: staff.layout(),
        automatic,
        server: link.server(),
        last_sync: link
            .last_sync_at()
            .map(|t| tr.date_time(t))
            .unwrap_or_else(|| tr.t("field-never")),
        waiting: tr.number(i64::try_from(waiting).unwrap_or(i64::MAX)),
        refused,
        done,
        failed,
    })
}

/// `POST /field/sync` on a laptop: sends the changes made offline and
/// takes the server's, then shows what happened.
pub(super) async fn sync_now(
    State(st): State<AppState>,
    StaffForm { staff, .. }: StaffForm<NoFields>,
) -> Response {
    let Some(link) = st.field_link.clone() else {
        return not_a_laptop(&staff);
    };
    let synced = tokio::task::spawn_blocking(move || link.sync()).await;
    match synced {
        Ok(Ok(s)) => Redirect::to(&format!(
            "/field?synced={}.{}.{}.{}.{}.{}.{}",
            s.applied,
            s.conflicts,
            s.refused,
            s.received,
            s.removed,
            s.cases_received,
            s.cases_removed
        ))
        .into_response(),
        Ok(Err(SyncFailure::Unreachable(why))) => {
            tracing::warn!(error = %why, "a field laptop's sync failed");
            Redirect::to("/field?done=unreachable").into_response()
        }
        Ok(Err(SyncFailure::Revoked)) => offline_page(staff.layout(), true),
        Err(e) => {
            tracing::error!(error = %e, "a field laptop's sync stopped");
            Redirect::to("/field?done=unreachable").into_response()
        }
    }
}

/// `POST /field/refused/{n}/discard` on a laptop: forgets a refused change
/// (audited).
pub(super) async fn discard(
    State(st): State<AppState>,
    Path(n): Path<u64>,
    StaffForm { staff, .. }: StaffForm<NoFields>,
) -> Response {
    if st.field_link.is_none() {
        return not_a_laptop(&staff);
    }
    let actor = staff.session.actor.clone();
    match st
        .run(move |s, now| s.discard_refused(&actor, n, now))
        .await
    {
        Ok(()) => Redirect::to("/field?done=discarded").into_response(),
        Err(e) => staff.problem(&e, "/field"),
    }
}

fn not_a_laptop(staff: &Staff) -> Response {
    staff.problem(
        &crate::error::WebError::new(
            axum::http::StatusCode::NOT_FOUND,
            "not_found",
            "this server is not a field laptop",
        ),
        "/field",
    )
}

#[derive(Template)]
#[template(path = "field_offline.html")]
struct OfflinePage {
    l: Layout,
    text: &'static str,
}

/// What a laptop answers a page form it does not take (registering a
/// child, a case step: done online, on the server), or anything at all
/// once its folder was destroyed.
pub fn offline_page(l: Layout, destroyed: bool) -> Response {
    let (status, text) = if destroyed {
        (axum::http::StatusCode::GONE, "laptop-destroyed")
    } else {
        (axum::http::StatusCode::CONFLICT, "laptop-offline-text")
    };
    super::layout::render_with(status, &OfflinePage { l, text })
}
