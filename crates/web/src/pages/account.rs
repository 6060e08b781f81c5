//! A person's own settings: the language Haven speaks to them in, on any
//! computer they sign in on.

use super::forms::{FieldErrors, StaffForm};
use super::layout::{render, render_with, Layout, Staff};
use crate::i18n::{Tr, LANGS};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    l: Layout,
    languages: Vec<(&'static str, String)>,
    chosen: String,
    contact: String,
    saved: bool,
    errors: FieldErrors,
}

fn account_page(
    l: Layout,
    (chosen, contact): (String, String),
    saved: bool,
    errors: FieldErrors,
) -> AccountPage {
    // Each language is offered in its own words, so that a person who
    // cannot read the current one still finds theirs.
    let languages = Tr::all().map(|t| (t.lang, t.t("lang-name"))).collect();
    AccountPage {
        l,
        languages,
        chosen,
        contact,
        saved,
        errors,
    }
}

#[derive(Deserialize)]
pub(super) struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(super) async fn show(
    staff: Staff,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Response {
    let chosen = staff.session.language.clone().unwrap_or_default();
    let contact = staff.session.contact.clone().unwrap_or_default();
    let errors = FieldErrors::new(staff.tr);
    render(&account_page(
        staff.layout(),
        (chosen, contact),
        q.saved.is_some(),
        errors,
    ))
}

/// The account form as typed.
#[derive(Deserialize)]
pub(super) struct AccountForm {
    #[serde(default)]
    language: String,
    #[serde(default)]
    contact: String,
}

pub(super) async fn save(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<AccountForm>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    let language = form.language.trim().to_string();
    if !language.is_empty() && !LANGS.contains(&language.as_str()) {
        errors.add("language", "error-language");
    }
    let contact = form.contact.trim().to_string();
    if contact.chars().count() > 200 || contact.chars().any(char::is_control) {
        errors.add("contact", "account-error-contact");
    }
    if !errors.is_empty() {
        let page = account_page(staff.layout(), (language, contact), false, errors);
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let actor = staff.session.actor.clone();
    let chosen = (!language.is_empty()).then_some(language);
    let reach = (!contact.is_empty()).then_some(contact);
    match st
        .run(move |s, now| {
            s.set_language(&actor, chosen.as_deref(), now)?;
            s.set_contact(&actor, reach.as_deref(), now)
        })
        .await
    {
        // The next page is drawn in the new language.
        Ok(()) => Redirect::to("/account?saved=1").into_response(),
        Err(e) => staff.problem(&e, "/account"),
    }
}
