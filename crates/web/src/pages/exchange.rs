//! The administrator's page of trusted peers (issue 13): this node's
//! fingerprint to read out to the other side, the peers with what each may
//! send and is sent, adding one, and revoking or restoring one. The store
//! refuses anyone but an administrator too, and audits every change.

use super::forms::{given, ticked, DoneQuery, FieldErrors, StaffForm};
use super::layout::{render, render_with, Layout, Staff};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::Role;
use haven_store::{NewPeer, Peer};
use serde::Deserialize;

fn forbidden() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "only an administrator may do this",
    )
}

/// The add form as typed.
#[derive(Deserialize, Default, Clone)]
pub(super) struct PeerForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    public_key: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    send_hashes: Option<String>,
    #[serde(default)]
    send_urls: Option<String>,
    #[serde(default)]
    send_alerts: Option<String>,
    #[serde(default)]
    send_stats: Option<String>,
    #[serde(default)]
    send_audit: Option<String>,
    #[serde(default)]
    publish_urls: Option<String>,
    #[serde(default)]
    publish_alerts: Option<String>,
    #[serde(default)]
    publish_stats: Option<String>,
    #[serde(default)]
    publish_audit: Option<String>,
    /// Hash lists published, by name, comma-separated.
    #[serde(default)]
    publish_lists: String,
}

impl PeerForm {
    fn may_send(&self) -> String {
        [
            (&self.send_hashes, "hashes"),
            (&self.send_urls, "urls"),
            (&self.send_alerts, "alerts"),
            (&self.send_stats, "stats"),
            (&self.send_audit, "audit"),
        ]
        .into_iter()
        .filter(|(t, _)| ticked(t))
        .map(|(_, k)| k.to_string())
        .collect::<Vec<_>>()
        .join(",")
    }

    fn publish(&self) -> String {
        let mut out: Vec<String> = [
            (&self.publish_urls, "urls"),
            (&self.publish_alerts, "alerts"),
            (&self.publish_stats, "stats"),
            (&self.publish_audit, "audit"),
        ]
        .into_iter()
        .filter(|(t, _)| ticked(t))
        .map(|(_, k)| k.to_string())
        .collect();
        out.extend(
            self.publish_lists
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|n| format!("hashlist:{n}")),
        );
        out.join(",")
    }
}

/// A peer as a row of the table, in the reader's words.
struct PeerRow {
    name: String,
    fingerprint: String,
    url: String,
    may_send: String,
    publish: String,
    revoked: bool,
    received: String,
    /// How far the peer vouched its audit log reached (empty: never).
    audit_head: String,
}

#[derive(Template)]
#[template(path = "admin_peers.html")]
struct PeersPage {
    l: Layout,
    fingerprint: Option<String>,
    public_key: String,
    peers: Vec<PeerRow>,
    lists: String,
    form: PeerForm,
    errors: FieldErrors,
    done: String,
}

fn words(tr: Tr, items: &[String]) -> String {
    if items.is_empty() {
        return tr.t("exchange-nothing");
    }
    items
        .iter()
        .map(|i| match i.strip_prefix("hashlist:") {
            Some(list) => tr.t1("exchange-hash-list", "name", list),
            None => tr.t(&format!("exchange-kind-{i}")),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn row(tr: Tr, p: &Peer) -> PeerRow {
    PeerRow {
        name: p.name.clone(),
        fingerprint: p.fingerprint.clone(),
        url: p.url.clone().unwrap_or_else(|| tr.t("exchange-files-only")),
        may_send: words(tr, &p.may_send),
        publish: words(tr, &p.publish),
        revoked: p.revoked,
        received: match p.last_import_at {
            Some(t) if p.last_seq > 0 => tr.t2(
                "exchange-received-up-to",
                "n",
                tr.number(p.last_seq),
                "date",
                tr.date(t),
            ),
            _ => tr.t("exchange-nothing-received"),
        },
        audit_head: match (p.audit_head_seq, p.audit_head_signed_at) {
            (Some(n), Some(t)) => {
                tr.t2("exchange-audit-head", "n", tr.number(n), "date", tr.date(t))
            }
            _ => String::new(),
        },
    }
}

async fn page(
    st: &AppState,
    staff: &Staff,
    form: PeerForm,
    errors: FieldErrors,
    done: String,
) -> Result<PeersPage, WebError> {
    let actor = staff.session.actor.clone();
    let (peers, lists) = st
        .run(move |s, now| Ok((s.list_peers(&actor, now)?, s.list_hash_lists(&actor, now)?)))
        .await?;
    let tr = staff.tr;
    Ok(PeersPage {
        l: staff.layout(),
        fingerprint: st.node.as_ref().map(|k| k.fingerprint()),
        public_key: st
            .node
            .as_ref()
            .map(|k| k.public_base64())
            .unwrap_or_default(),
        peers: peers.iter().map(|p| row(tr, p)).collect(),
        lists: lists
            .iter()
            .map(|l| l.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
        form,
        errors,
        done,
    })
}

pub(super) async fn peers(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<DoneQuery>,
) -> Response {
    if staff.session.actor.role != Role::Admin {
        return staff.problem(&forbidden(), "/");
    }
    let done = match q.done.as_deref() {
        Some("added") => "exchange-peer-added",
        Some("revoked") => "exchange-peer-revoked",
        Some("restored") => "exchange-peer-restored",
        _ => "",
    };
    let errors = FieldErrors::new(staff.tr);
    match page(&st, &staff, PeerForm::default(), errors, done.into()).await {
        Ok(p) => render(&p),
        Err(e) => staff.problem(&e, "/admin"),
    }
}

fn field_key(field: &str) -> Option<&'static str> {
    match field {
        "name" => Some("exchange-error-name"),
        "public_key" => Some("exchange-error-key"),
        "url" => Some("exchange-error-url"),
        "may_send" => Some("exchange-error-may-send"),
        "publish" => Some("exchange-error-publish"),
        _ => None,
    }
}

pub(super) async fn add_peer(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<PeerForm>,
) -> Response {
    if staff.session.actor.role != Role::Admin {
        return staff.problem(&forbidden(), "/");
    }
    let new = NewPeer {
        name: form.name.clone(),
        public_key: form.public_key.clone(),
        url: given(&form.url),
        may_send: form.may_send(),
        publish: form.publish(),
    };
    let actor = staff.session.actor.clone();
    let result = st.run(move |s, now| s.add_peer(&actor, &new, now)).await;
    let errors = match result {
        Ok(_) => return Redirect::to("/admin/peers?done=added").into_response(),
        Err(e) if e.status == StatusCode::CONFLICT => {
            let mut errors = FieldErrors::new(staff.tr);
            if e.message.contains("key") {
                errors.add("public_key", "exchange-error-key-taken");
            } else {
                errors.add("name", "exchange-error-name-taken");
            }
            errors
        }
        Err(e) => match FieldErrors::from_store(staff.tr, e, field_key) {
            Ok(fe) => fe,
            Err(e) => return staff.problem(&e, "/admin/peers"),
        },
    };
    match page(&st, &staff, form, errors, String::new()).await {
        Ok(p) => render_with(StatusCode::UNPROCESSABLE_ENTITY, &p),
        Err(e) => staff.problem(&e, "/admin/peers"),
    }
}

#[derive(Deserialize)]
pub(super) struct RevokeForm {
    #[serde(default)]
    revoked: String,
}

pub(super) async fn revoke_peer(
    State(st): State<AppState>,
    Path(name): Path<String>,
    StaffForm { staff, form }: StaffForm<RevokeForm>,
) -> Response {
    let revoked = form.revoked == "true";
    let actor = staff.session.actor.clone();
    match st
        .run(move |s, now| s.set_peer_revoked(&actor, &name, revoked, now))
        .await
    {
        Ok(_) => Redirect::to(if revoked {
            "/admin/peers?done=revoked"
        } else {
            "/admin/peers?done=restored"
        })
        .into_response(),
        Err(e) => staff.problem(&e, "/admin/peers"),
    }
}
