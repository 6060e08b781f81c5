//! What administrators keep besides the registry: agencies as records,
//! changes to people's accounts, inspections of care institutions and
//! schools, and searches of the audit log.

use haven_domain::{Date, Inspection, Institution, Role};
use serde::Serialize;

/// An agency: a public body or organisation that staff work for and that
/// services and referrals name by its code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Agency {
    /// Short code (1-32 letters, digits, '-' or '_'), as users, services and referrals carry it.
    pub code: String,
    /// Its full name.
    pub name: String,
    /// The sector it works in (a services sector such as `health`), if set.
    pub sector: Option<String>,
    /// Telephone number to reach it.
    pub phone: Option<String>,
    /// E-mail address to reach it.
    pub email: Option<String>,
    /// Whether it can still be chosen for people and services.
    pub active: bool,
}

/// A change to a person's account; `None` keeps what is there, `Some(None)`
/// clears an optional value.
#[derive(Clone, Debug, Default)]
pub struct UserChange {
    /// A new role.
    pub role: Option<Role>,
    /// A new location code (their area), or none.
    pub location: Option<Option<String>>,
    /// A new agency code, or none.
    pub agency: Option<Option<String>>,
    /// A new language code, or none (as the browser asks).
    pub language: Option<Option<String>>,
}

/// An inspection as recorded.
#[derive(Clone, Debug)]
pub struct NewInspection {
    /// The day of the inspection.
    pub inspected_on: Date,
    /// Who inspected.
    pub inspector: String,
    /// What they found.
    pub findings: String,
    /// When the next one is due.
    pub next_due: Option<Date>,
}

/// An institution with where it stands on inspections.
#[derive(Clone, Debug, Serialize)]
pub struct InstitutionStatus {
    /// The institution.
    #[serde(flatten)]
    pub institution: Institution,
    /// When its next inspection is due, if set.
    pub next_inspection_due: Option<Date>,
    /// Whether it is overdue for inspection today.
    pub overdue: bool,
}

/// An institution with its inspections, newest first.
#[derive(Clone, Debug, Serialize)]
pub struct InstitutionFile {
    /// The institution and its inspection status.
    #[serde(flatten)]
    pub status: InstitutionStatus,
    /// Its inspections, newest first.
    pub inspections: Vec<Inspection>,
    /// Children in the caller's scope linked to it.
    pub children: i64,
}

/// What to look for in the audit log; every filter is optional.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    /// Who acted (the user name, exactly).
    pub actor: Option<String>,
    /// Part of the record or target (`user:cw1`, a child's number…).
    pub target: Option<String>,
    /// The action, or the start of it (`user.` finds every change to accounts).
    pub action: Option<String>,
    /// From this time (Unix seconds, inclusive).
    pub from: Option<i64>,
    /// Up to this time (Unix seconds, exclusive).
    pub to: Option<i64>,
    /// Only entries older than this entry number (the next page).
    pub before: Option<i64>,
    /// Only entries written while serving this request (its `X-Request-Id`).
    pub request_id: Option<String>,
}
