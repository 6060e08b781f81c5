//! Forms as types. [`StaffForm`] checks the session's anti-forgery token and
//! reads the body into a typed form; the form's own `check` turns what was
//! typed into domain values or into [`FieldErrors`], and a refused form is
//! answered with the same page again, the typed values kept and each error
//! beside its field in plain words.
//!
//! Typed forms keep every field as text (`#[serde(default)]`) so that
//! reading a body never fails on what a person typed: only `check` judges
//! it, and only `check` has the words to say what is wrong.

use super::layout::Staff;
use crate::auth::check_csrf;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::AppState;
use axum::async_trait;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::response::Response;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// A form with nothing to fill in but its token (a button: withdraw,
/// revoke, take down).
#[derive(serde::Deserialize)]
pub struct NoFields {}

/// `?done=…` after a change: which confirmation the page shows.
#[derive(serde::Deserialize)]
pub struct DoneQuery {
    /// The change just made.
    #[serde(default)]
    pub done: Option<String>,
}

/// A staff form: the person, and their form as `T`, its token checked.
pub struct StaffForm<T> {
    /// Who sent it, in which language.
    pub staff: Staff,
    /// What they sent.
    pub form: T,
}

#[async_trait]
impl<T: DeserializeOwned + Send> FromRequest<AppState> for StaffForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let back = staff.path.clone();
        let bytes = match Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(rejection) => {
                let e = WebError::new(rejection.status(), "bad_request", rejection.body_text());
                return Err(staff.problem(&e, &back));
            }
        };
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| staff.problem(&WebError::bad_request("unreadable form"), &back))?;
        let token = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.clone());
        if let Err(e) = check_csrf(state, &staff.session, token.as_ref()).await {
            return Err(staff.problem(&e, &back));
        }
        match serde_urlencoded::from_bytes::<T>(&bytes) {
            Ok(form) => Ok(StaffForm { staff, form }),
            Err(_) => Err(staff.problem(&WebError::bad_request("unreadable form"), &back)),
        }
    }
}

/// What is wrong with a form, field by field, in the reader's language.
#[derive(Debug, Default)]
pub struct FieldErrors {
    tr: Tr,
    by_field: BTreeMap<String, String>,
}

impl FieldErrors {
    /// No errors yet, to be written in `tr`'s language.
    pub fn new(tr: Tr) -> FieldErrors {
        FieldErrors {
            tr,
            by_field: BTreeMap::new(),
        }
    }

    /// Marks `field` wrong with the message `key` (the first error of a
    /// field is the one shown: it is the one to fix first).
    pub fn add(&mut self, field: &str, key: &str) {
        if !self.by_field.contains_key(field) {
            let text = self.tr.t(key);
            self.by_field.insert(field.to_string(), text);
        }
    }

    /// The error to show beside `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.by_field.get(field).map(String::as_str)
    }

    /// Whether `field` is wrong (for `aria-invalid`).
    pub fn has(&self, field: &str) -> bool {
        self.by_field.contains_key(field)
    }

    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.by_field.is_empty()
    }

    /// The fields in error, in order, with their messages (for the summary).
    pub fn all(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_field.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }

    /// `Ok(value)` when nothing is wrong, else the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Takes the store's refusal of specific fields (a rule only the store
    /// can check, such as a district outside the person's area) as errors
    /// beside those fields: `key_for` names the message for each field.
    /// Returns the error back when it is not about fields.
    pub fn from_store(
        tr: Tr,
        e: WebError,
        key_for: impl Fn(&str) -> Option<&'static str>,
    ) -> Result<FieldErrors, WebError> {
        if e.status != StatusCode::UNPROCESSABLE_ENTITY || e.fields.is_empty() {
            return Err(e);
        }
        let mut errors = FieldErrors::new(tr);
        for f in &e.fields {
            match key_for(&f.field) {
                Some(key) => errors.add(&f.field, key),
                None => return Err(e),
            }
        }
        Ok(errors)
    }
}

/// A text field as typed, trimmed; empty means not given.
pub fn given(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A checkbox: present and "on"/"true"/"1"/"yes" is ticked.
pub fn ticked(s: &Option<String>) -> bool {
    matches!(s.as_deref(), Some("on" | "true" | "1" | "yes"))
}
