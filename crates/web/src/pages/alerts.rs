//! The liaison officer's travelling-offender alerts (issue 13): those in
//! force, issued here or received from peers; one alert; the form to issue
//! one; withdrawing one issued here. Only the liaison role sees any of it
//! (the store refuses every other role too, and audits every read).

use super::forms::{DoneQuery, FieldErrors, NoFields, StaffForm};
use super::layout::{render, render_with, Layout, Staff};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::exchange::NewAlert;
use haven_domain::Date;
use haven_store::Alert;
use serde::Deserialize;

fn forbidden() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "only a law-enforcement liaison officer may see travelling-offender alerts",
    )
}

fn refused(staff: &Staff) -> Option<Response> {
    (!staff.session.actor.role.reads_alerts()).then(|| staff.problem(&forbidden(), "/"))
}

/// A day written YYYY-MM-DD, in the reader's words.
fn day(tr: Tr, s: Option<&str>) -> String {
    match s.and_then(Date::parse) {
        Some(d) => tr.day(d),
        None => tr.t("not-known"),
    }
}

/// An alert in the reader's words.
struct AlertView {
    id: String,
    name: String,
    family_names: String,
    given_names: String,
    birth_date: String,
    nationalities: String,
    documents: String,
    offence: String,
    travel: String,
    destination: String,
    issuing_authority: String,
    expires: String,
    origin: String,
    own: bool,
    received: String,
}

fn view(tr: Tr, a: &Alert) -> AlertView {
    let none = || tr.t("not-known");
    let join = |v: &[String]| {
        if v.is_empty() {
            none()
        } else {
            v.join(", ")
        }
    };
    AlertView {
        id: a.id.clone(),
        name: format!("{}, {}", a.family_names, a.given_names),
        family_names: a.family_names.clone(),
        given_names: a.given_names.clone(),
        birth_date: day(tr, a.birth_date.as_deref()),
        nationalities: join(&a.nationalities),
        documents: join(&a.documents),
        offence: a.offence.clone(),
        travel: tr.t2(
            "alerts-travel-dates",
            "first",
            day(tr, a.travel_from.as_deref()),
            "last",
            day(tr, a.travel_to.as_deref()),
        ),
        destination: a.destination.clone(),
        issuing_authority: a.issuing_authority.clone(),
        expires: tr.day(Date::from_unix(a.expires)),
        origin: match &a.origin {
            Some(peer) => tr.t1("alerts-from-peer", "name", peer.as_str()),
            None => tr.t("alerts-from-here"),
        },
        own: a.origin.is_none(),
        received: tr.date(a.issued_at),
    }
}

#[derive(Template)]
#[template(path = "alerts.html")]
struct ListPage {
    l: Layout,
    alerts: Vec<AlertView>,
    caption: String,
    done: String,
}

pub(super) async fn list(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<DoneQuery>,
) -> Response {
    if let Some(r) = refused(&staff) {
        return r;
    }
    let actor = staff.session.actor.clone();
    match st.run(move |s, now| s.list_alerts(&actor, now)).await {
        Ok(alerts) => render(&ListPage {
            l: staff.layout(),
            caption: staff.tr.t1(
                "alerts-in-force",
                "n",
                i64::try_from(alerts.len()).unwrap_or(i64::MAX),
            ),
            alerts: alerts.iter().map(|a| view(staff.tr, a)).collect(),
            done: match q.done.as_deref() {
                Some("withdrawn") => "alerts-withdrawn",
                _ => "",
            }
            .into(),
        }),
        Err(e) => staff.problem(&e, "/"),
    }
}

#[derive(Template)]
#[template(path = "alert.html")]
struct OnePage {
    l: Layout,
    a: AlertView,
    done: String,
}

pub(super) async fn show(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    if let Some(r) = refused(&staff) {
        return r;
    }
    let actor = staff.session.actor.clone();
    match st.run(move |s, now| s.alert(&actor, &id, now)).await {
        Ok(a) => render(&OnePage {
            l: staff.layout(),
            a: view(staff.tr, &a),
            done: match q.done.as_deref() {
                Some("issued") => "alerts-issued",
                _ => "",
            }
            .into(),
        }),
        Err(e) => staff.problem(&e, "/alerts"),
    }
}

/// The issue form as typed.
#[derive(Deserialize, Default, Clone)]
pub(super) struct AlertForm {
    #[serde(default)]
    family_names: String,
    #[serde(default)]
    given_names: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    nationalities: String,
    #[serde(default)]
    documents: String,
    #[serde(default)]
    offence: String,
    #[serde(default)]
    travel_from: String,
    #[serde(default)]
    travel_to: String,
    #[serde(default)]
    destination: String,
    #[serde(default)]
    issuing_authority: String,
    #[serde(default)]
    expires: String,
}

#[derive(Template)]
#[template(path = "alert_form.html")]
struct FormPage {
    l: Layout,
    form: AlertForm,
    errors: FieldErrors,
}

pub(super) async fn new_form(staff: Staff) -> Response {
    if let Some(r) = refused(&staff) {
        return r;
    }
    render(&FormPage {
        l: staff.layout(),
        form: AlertForm::default(),
        errors: FieldErrors::new(staff.tr),
    })
}

fn field_key(field: &str) -> Option<&'static str> {
    Some(match field {
        "family_names" => "alerts-error-family-names",
        "given_names" => "alerts-error-given-names",
        "birth_date" | "travel_from" => "alerts-error-date",
        "travel_to" => "alerts-error-travel-to",
        "nationalities" => "alerts-error-nationalities",
        "documents" => "alerts-error-documents",
        "offence" => "alerts-error-offence",
        "destination" => "alerts-error-destination",
        "issuing_authority" => "alerts-error-authority",
        "expires" => "alerts-error-expires",
        _ => return None,
    })
}

pub(super) async fn issue(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<AlertForm>,
) -> Response {
    if let Some(r) = refused(&staff) {
        return r;
    }
    let new = NewAlert {
        family_names: form.family_names.clone(),
        given_names: form.given_names.clone(),
        birth_date: form.birth_date.clone(),
        nationalities: form.nationalities.clone(),
        documents: form.documents.clone(),
        offence: form.offence.clone(),
        travel_from: form.travel_from.clone(),
        travel_to: form.travel_to.clone(),
        destination: form.destination.clone(),
        issuing_authority: form.issuing_authority.clone(),
        expires: form.expires.clone(),
    };
    let actor = staff.session.actor.clone();
    match st.run(move |s, now| s.issue_alert(&actor, &new, now)).await {
        Ok(a) => Redirect::to(&format!("/alerts/{}?done=issued", a.id)).into_response(),
        Err(e) => match FieldErrors::from_store(staff.tr, e, field_key) {
            Ok(errors) => render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage {
                    l: staff.layout(),
                    form,
                    errors,
                },
            ),
            Err(e) => staff.problem(&e, "/alerts/new"),
        },
    }
}

pub(super) async fn withdraw(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, .. }: StaffForm<NoFields>,
) -> Response {
    if let Some(r) = refused(&staff) {
        return r;
    }
    let actor = staff.session.actor.clone();
    let back = format!("/alerts/{id}");
    match st
        .run(move |s, now| s.withdraw_alert(&actor, &id, now))
        .await
    {
        Ok(()) => Redirect::to("/alerts?done=withdrawn").into_response(),
        Err(e) => staff.problem(&e, &back),
    }
}
