//! Offline field work (issue 16): the changes made on a laptop that wait
//! for a person (a field someone else changed on the server meanwhile),
//! resolved by keeping one value; and the field laptops, which an
//! administrator can revoke. The store decides who sees what and audits it.

use super::forms::{DoneQuery, NoFields, StaffForm};
use super::layout::{label, render, Layout, Staff};
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::{Date, Role};
use haven_store::{FieldConflict, FieldNode, Keep};
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
    ConflictView {
        id: c.id.clone(),
        child_id: c.child_id.clone(),
        child_name: c.child_name.clone(),
        field: field_label(tr, &c.field),
        laptop: value(tr, &c.field, c.laptop.as_deref()),
        server: value(tr, &c.field, c.server.as_deref()),
        base: value(tr, &c.field, c.base.as_deref()),
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

/// `/field`.
pub(super) async fn page(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<DoneQuery>,
) -> Response {
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
        Ok(_) => Redirect::to(&format!("/field?done={}", keep.as_str())).into_response(),
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
