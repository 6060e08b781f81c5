//! One table from failures to HTTP statuses and the JSON error body
//! `{"error":{"code","message","fields"?}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use haven_domain::FieldError;
use haven_store::StoreError;
use serde_json::json;

/// An error as the API reports it.
#[derive(Debug)]
pub struct WebError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// Human-readable message (never internal details).
    pub message: String,
    /// Per-field problems, for forms and clients.
    pub fields: Vec<FieldError>,
}

impl WebError {
    /// A new error.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> WebError {
        WebError {
            status,
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// 400: the request itself is malformed.
    pub fn bad_request(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 422 naming one field.
    pub fn field(field: &str, message: impl Into<String>) -> WebError {
        let message = message.into();
        WebError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid",
            message: format!("{field}: {message}"),
            fields: vec![FieldError {
                field: field.into(),
                message,
            }],
        }
    }
}

/// The status and code for each store failure (anything else is a 500).
pub fn status_for(e: &StoreError) -> (StatusCode, &'static str) {
    match e {
        StoreError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
        StoreError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
        StoreError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        StoreError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        StoreError::Refused(_) => (StatusCode::UNPROCESSABLE_ENTITY, "refused"),
        StoreError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        // A failover or a restart: the client may try again shortly.
        StoreError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        StoreError::Crypto(_)
        | StoreError::Database(_)
        | StoreError::KeyMissing(_)
        | StoreError::WrongKey(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        let (status, code) = status_for(&e);
        let (message, fields) = match &e {
            StoreError::Invalid(v) => (v.summary(), v.0.clone()),
            StoreError::Crypto(_)
            | StoreError::Database(_)
            | StoreError::KeyMissing(_)
            | StoreError::WrongKey(_) => {
                // Details go to the log only; they may name tables or paths.
                tracing::error!(error = %e, "internal error");
                (
                    "something went wrong on the server; the change was not saved".to_string(),
                    Vec::new(),
                )
            }
            StoreError::Unauthenticated => {
                ("sign in or send a valid API token".to_string(), Vec::new())
            }
            StoreError::Unavailable(_) => {
                tracing::warn!(error = %e, "database unavailable");
                (
                    "the database cannot be reached just now; try again in a moment (a change may not have been saved: check before repeating it)".to_string(),
                    Vec::new(),
                )
            }
            other => (other.to_string(), Vec::new()),
        };
        WebError {
            status,
            code,
            message,
            fields,
        }
    }
}

impl WebError {
    /// Field errors whose messages are translation keys (the domain's and
    /// the store's rules for newer capabilities) put into English words,
    /// the language of the API; messages already in words pass unchanged,
    /// and the summary is rebuilt from the fields. Other errors pass through.
    pub fn in_english(mut self) -> WebError {
        if self.status != StatusCode::UNPROCESSABLE_ENTITY || self.fields.is_empty() {
            return self;
        }
        let en = crate::i18n::Tr::english();
        for f in &mut self.fields {
            if en.has(&f.message) {
                f.message = en.t(&f.message);
            }
        }
        self.message = self
            .fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; ");
        self
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut body = json!({"error": {"code": self.code, "message": self.message}});
        if !self.fields.is_empty() {
            body["error"]["fields"] = json!(self.fields);
        }
        (self.status, Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use haven_domain::ValidationErrors;

    #[test]
    fn each_store_error_has_its_status() {
        let mut v = ValidationErrors::default();
        v.add("sex", "bad");
        let cases = [
            (StoreError::NotFound("x".into()), 404),
            (StoreError::Forbidden("x".into()), 403),
            (StoreError::Invalid(v), 422),
            (StoreError::Conflict("x".into()), 409),
            (StoreError::Unauthenticated, 401),
            (StoreError::Crypto("x".into()), 500),
            (StoreError::KeyMissing("x".into()), 500),
            (StoreError::WrongKey("x".into()), 500),
            (StoreError::Database("secret table detail".into()), 500),
            (StoreError::Unavailable("secret table detail".into()), 503),
        ];
        for (e, status) in cases {
            let w = WebError::from(e);
            assert_eq!(w.status.as_u16(), status);
            assert!(!w.message.contains("secret table"));
        }
    }

    #[test]
    fn keys_from_the_domain_and_the_store_reach_api_clients_as_words() {
        let mut v = ValidationErrors::default();
        v.add("title", "logframes-error-title");
        v.add("attitudes_1", "readiness-error-range-2");
        v.add("name", "is required");
        let w = WebError::from(StoreError::Invalid(v)).in_english();
        let said: Vec<&str> = w.fields.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            said,
            [
                "Write a title for the logframe.",
                "Score this item 0, 1 or 2.",
                "is required"
            ]
        );
        assert!(
            w.message.starts_with("title: Write a title"),
            "{}",
            w.message
        );
        let forbidden = WebError::from(StoreError::Forbidden("no".into()));
        let before = forbidden.message.clone();
        assert_eq!(forbidden.in_english().message, before);
    }
}
