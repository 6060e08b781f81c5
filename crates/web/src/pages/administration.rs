//! Administration pages: the assessment instrument. The current version is
//! shown as JSON to edit; saving makes a new version, and results keep the
//! version they used.

use super::forms::{FieldErrors, StaffForm};
use super::layout::{render, render_with, Layout, Staff};
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::Role;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "instrument.html")]
struct InstrumentPage {
    l: Layout,
    saved: bool,
    version: u32,
    json: String,
    /// What the store said about a refused instrument (written for the
    /// administrator who edits the JSON: the place of the mistake).
    detail: Option<String>,
    errors: FieldErrors,
}

fn forbidden() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "only an administrator changes the instrument",
    )
}

#[derive(Deserialize)]
pub(super) struct InstrumentQuery {
    #[serde(default)]
    done: Option<String>,
}

pub(super) async fn instrument_page(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<InstrumentQuery>,
) -> Response {
    if staff.session.actor.role != Role::Admin {
        return staff.problem(&forbidden(), "/");
    }
    match st.run(|store, now| store.current_instrument(now)).await {
        Ok(inst) => render(&InstrumentPage {
            l: staff.layout(),
            saved: q.done.is_some(),
            version: inst.version,
            json: serde_json::to_string_pretty(&inst).unwrap_or_default(),
            detail: None,
            errors: FieldErrors::new(staff.tr),
        }),
        Err(e) => staff.problem(&e, "/"),
    }
}

/// The instrument as typed.
#[derive(Deserialize)]
pub(super) struct InstrumentForm {
    #[serde(default)]
    instrument: String,
}

pub(super) async fn save_instrument(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<InstrumentForm>,
) -> Response {
    let actor = staff.session.actor.clone();
    let json = form.instrument.clone();
    let result = st
        .run(move |store, now| store.create_instrument(&actor, &json, now))
        .await;
    let e = match result {
        Ok(_) => return Redirect::to("/instrument?done=saved").into_response(),
        Err(e) => e,
    };
    if e.status != StatusCode::UNPROCESSABLE_ENTITY {
        return staff.problem(&e, "/instrument");
    }
    let version = st
        .run(|store, now| store.current_instrument(now))
        .await
        .map_or(0, |i| i.version);
    let mut errors = FieldErrors::new(staff.tr);
    errors.add("instrument", "instrument-error");
    let detail = if e.fields.is_empty() {
        e.message.clone()
    } else {
        e.fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let page = InstrumentPage {
        l: staff.layout(),
        saved: false,
        version,
        json: form.instrument,
        detail: Some(detail),
        errors,
    };
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
