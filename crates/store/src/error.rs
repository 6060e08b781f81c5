//! What can go wrong in the store, in terms a handler can map to a status.

use haven_domain::ValidationErrors;

/// A store operation's failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such record, or none the caller may see (the two look the same).
    #[error("{0} not found")]
    NotFound(String),
    /// The caller's role does not allow this at all.
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// The input is well-formed but breaks a rule.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// It already exists, or conflicts with what exists.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A bundle from another node was refused; the reason names it.
    #[error("{0}")]
    Refused(String),
    /// Credentials were wrong or missing.
    #[error("not signed in")]
    Unauthenticated,
    /// The key file or encrypted data is unusable.
    #[error("encryption: {0}")]
    Crypto(String),
    /// The key file is missing; a new one must not be made for existing data.
    #[error("the key file {0} is missing; Haven will not make a new key for a database that already holds data (nothing sealed with the old key could be read again): restore the key file from your safe copy")]
    KeyMissing(String),
    /// The key file is not the one the database was sealed with.
    #[error("the key file {0} is not the key this database was sealed with: use the database's own key file")]
    WrongKey(String),
    /// The database cannot be reached just now (a server stopped, a
    /// failover under way); a later try may succeed. For logs, not users.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database failed; the message is for logs, not for users.
    #[error("database: {0}")]
    Database(String),
}

impl StoreError {
    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> StoreError {
        let mut e = ValidationErrors::default();
        e.add(field, message);
        StoreError::Invalid(e)
    }
}

impl From<ValidationErrors> for StoreError {
    fn from(e: ValidationErrors) -> Self {
        StoreError::Invalid(e)
    }
}

/// Result of a store operation.
pub type StoreResult<T> = Result<T, StoreError>;
