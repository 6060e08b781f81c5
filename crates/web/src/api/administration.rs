//! Administration: people's accounts, agencies, institutions and their
//! inspections, and the audit log's search and chain check. Every change
//! is for administrators (the store refuses anyone else, and audits it).

use super::openapi::{ErrorBody, Page, Record};
use super::ApiJson;
use crate::auth::ApiCaller;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use haven_domain::{Date, Institution, InstitutionKind, Role};
use haven_store::administration::{Agency, AuditQuery, NewInspection, UserChange};
use haven_store::password::{check_new_password, hash_password};
use haven_store::NewUser;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use utoipa::ToSchema;

fn role(s: &str) -> Result<Role, WebError> {
    Role::parse(s.trim()).ok_or_else(|| {
        WebError::field(
            "role",
            "must be admin, supervisor, caseworker, analyst, monitor or partner",
        )
    })
}

fn language(s: &str) -> Result<Option<String>, WebError> {
    let l = s.trim();
    if l.is_empty() {
        return Ok(None);
    }
    if crate::i18n::LANGS.contains(&l) {
        Ok(Some(l.to_string()))
    } else {
        Err(WebError::field("language", "must be en, fr or es"))
    }
}

fn checked(password: &str) -> Result<String, WebError> {
    check_new_password(password)?;
    Ok(password.to_string())
}

/// Every account (admin).
#[utoipa::path(get, path = "/api/v1/users", operation_id = "list_users", tag = "administration",
    responses((status = 200, description = "Accounts", body = Page), (status = 403, description = "Not an administrator", body = ErrorBody)))]
pub(super) async fn list_users(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let items = st.run(move |s, now| s.list_users(&a, now)).await?;
    Ok(Json(json!({"items": items, "next": null})))
}

/// A new account.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewAccount {
    /// Sign-in name: 1-64 lowercase letters, digits, '.', '_' or '-'.
    #[serde(default)]
    #[schema(required = true)]
    name: String,
    /// admin, supervisor, caseworker, analyst, monitor or partner.
    #[serde(default)]
    #[schema(required = true)]
    role: String,
    /// Location code of their area (required for caseworkers).
    location: Option<String>,
    /// Agency code (an agency record).
    agency: Option<String>,
    /// A first password (at least 10 characters); none for a system that only uses tokens.
    password: Option<String>,
    /// en, fr or es; none follows the browser.
    language: Option<String>,
}

/// Create an account (admin).
#[utoipa::path(post, path = "/api/v1/users", operation_id = "create_user", tag = "administration",
    request_body = NewAccount,
    responses((status = 201, description = "The account", body = Record), (status = 422, description = "A field is wrong", body = ErrorBody)))]
pub(super) async fn create_user(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    ApiJson(n): ApiJson<NewAccount>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    if a.role != Role::Admin {
        return Err(WebError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only an administrator may do this",
        ));
    }
    let role = role(&n.role)?;
    let lang = language(n.language.as_deref().unwrap_or(""))?;
    let password = n.password.as_deref().map(checked).transpose()?;
    let agency = n
        .agency
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if let Some(code) = agency.clone() {
        let a2 = a.clone();
        let known = st.run(move |s, _| s.list_agencies(&a2)).await?;
        if !known.iter().any(|k| k.code == code) {
            return Err(WebError::field(
                "agency",
                format!("there is no agency with code {code:?}"),
            ));
        }
    }
    let user = NewUser {
        name: n.name.trim().to_string(),
        role,
        location: n
            .location
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        agency,
        password_hash: None,
    };
    let created = st
        .run(move |s, now| {
            let user = NewUser {
                password_hash: password.as_deref().map(hash_password).transpose()?,
                ..user.clone()
            };
            let u = s.create_user(&a, &user, now)?;
            if lang.is_some() {
                let change = UserChange {
                    language: Some(lang.clone()),
                    ..Default::default()
                };
                return s.update_user(&a, &u.name, &change, now);
            }
            Ok(u)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(json!(created))))
}

/// A change to an account: only the fields given change; an empty string clears one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AccountChange {
    /// A new role.
    role: Option<String>,
    /// A new location code, or "" for none.
    location: Option<String>,
    /// A new agency code, or "" for none.
    agency: Option<String>,
    /// en, fr, es, or "" to follow the browser.
    language: Option<String>,
}

/// Change an account's role, area, agency or language (admin; not one's own role).
#[utoipa::path(patch, path = "/api/v1/users/{name}", operation_id = "update_user", tag = "administration",
    params(("name" = String, Path, description = "The sign-in name")),
    request_body = AccountChange,
    responses((status = 200, description = "The account", body = Record), (status = 404, description = "No such account", body = ErrorBody)))]
pub(super) async fn update_user(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(name): Path<String>,
    ApiJson(c): ApiJson<AccountChange>,
) -> Result<Json<Value>, WebError> {
    let keep = |v: Option<String>| v.map(|s| Some(s.trim().to_string()).filter(|s| !s.is_empty()));
    let change = UserChange {
        role: c.role.as_deref().map(role).transpose()?,
        location: keep(c.location),
        agency: keep(c.agency),
        language: c.language.as_deref().map(language).transpose()?,
    };
    let u = st
        .run(move |s, now| s.update_user(&a, &name, &change, now))
        .await?;
    Ok(Json(json!(u)))
}

/// Whether an account is disabled.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Disabled {
    /// true disables (sessions and API tokens end at once); false enables.
    disabled: bool,
}

/// Disable or enable an account (admin; never one's own).
#[utoipa::path(post, path = "/api/v1/users/{name}/disabled", operation_id = "set_user_disabled", tag = "administration",
    params(("name" = String, Path, description = "The sign-in name")),
    request_body = Disabled,
    responses((status = 200, description = "The account", body = Record), (status = 409, description = "One's own account", body = ErrorBody)))]
pub(super) async fn set_disabled(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(name): Path<String>,
    ApiJson(d): ApiJson<Disabled>,
) -> Result<Json<Value>, WebError> {
    let u = st
        .run(move |s, now| s.set_user_disabled(&a, &name, d.disabled, now))
        .await?;
    Ok(Json(json!(u)))
}

/// A new password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewPassword {
    /// At least 10 characters.
    #[serde(default)]
    #[schema(required = true, min_length = 10)]
    password: String,
}

/// Set a new password for a person; their sessions end (admin).
#[utoipa::path(post, path = "/api/v1/users/{name}/password", operation_id = "reset_password", tag = "administration",
    params(("name" = String, Path, description = "The sign-in name")),
    request_body = NewPassword,
    responses((status = 204, description = "Set"), (status = 422, description = "Too short", body = ErrorBody)))]
pub(super) async fn reset_password(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(name): Path<String>,
    ApiJson(p): ApiJson<NewPassword>,
) -> Result<StatusCode, WebError> {
    if a.role != Role::Admin {
        return Err(WebError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only an administrator may do this",
        ));
    }
    let password = checked(&p.password)?;
    st.run(move |s, now| s.reset_password(&a, &name, &hash_password(&password)?, now))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every agency, by name.
#[utoipa::path(get, path = "/api/v1/agencies", operation_id = "list_agencies", tag = "administration",
    responses((status = 200, description = "Agencies", body = Page)))]
pub(super) async fn list_agencies(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let items = st.run(move |s, _| s.list_agencies(&a)).await?;
    Ok(Json(json!({"items": items, "next": null})))
}

/// An agency as sent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AgencyBody {
    /// Its code (1-32 letters, digits, '-' or '_'); ignored when changing one.
    #[serde(default)]
    code: String,
    /// Its full name.
    #[serde(default)]
    #[schema(required = true)]
    name: String,
    /// A services sector (social_welfare, education, health, justice, police, civil_registration, social_protection).
    sector: Option<String>,
    /// Telephone.
    phone: Option<String>,
    /// E-mail.
    email: Option<String>,
    /// Whether it can be chosen (default true).
    active: Option<bool>,
}

impl AgencyBody {
    fn agency(self) -> Agency {
        Agency {
            code: self.code,
            name: self.name,
            sector: self.sector,
            phone: self.phone,
            email: self.email,
            active: self.active.unwrap_or(true),
        }
    }
}

/// Add an agency (admin).
#[utoipa::path(post, path = "/api/v1/agencies", operation_id = "create_agency", tag = "administration",
    request_body = AgencyBody,
    responses((status = 201, description = "The agency", body = Record), (status = 409, description = "The code is taken", body = ErrorBody)))]
pub(super) async fn create_agency(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    ApiJson(b): ApiJson<AgencyBody>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let agency = b.agency();
    let created = st
        .run(move |s, now| s.create_agency(&a, &agency, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(created))))
}

/// Change an agency's name, sector, contact or whether it is active (admin).
#[utoipa::path(put, path = "/api/v1/agencies/{code}", operation_id = "update_agency", tag = "administration",
    params(("code" = String, Path, description = "The agency's code")),
    request_body = AgencyBody,
    responses((status = 200, description = "The agency", body = Record), (status = 404, description = "No such agency", body = ErrorBody)))]
pub(super) async fn update_agency(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<AgencyBody>,
) -> Result<Json<Value>, WebError> {
    let agency = b.agency();
    let changed = st
        .run(move |s, now| s.update_agency(&a, &code, &agency, now))
        .await?;
    Ok(Json(json!(changed)))
}

/// An institution as sent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct InstitutionBody {
    /// care_institution or school.
    #[serde(default)]
    #[schema(required = true)]
    kind: String,
    /// Its name.
    #[serde(default)]
    #[schema(required = true)]
    name: String,
    /// District code.
    #[serde(default)]
    #[schema(required = true)]
    location: String,
    /// Registered with the authority.
    #[serde(default)]
    registered: bool,
    /// Under regular monitoring.
    #[serde(default)]
    monitored: bool,
}

impl InstitutionBody {
    fn institution(self, id: String) -> Result<Institution, WebError> {
        Ok(Institution {
            id,
            kind: InstitutionKind::parse(self.kind.trim())
                .ok_or_else(|| WebError::field("kind", "must be care_institution or school"))?,
            name: self.name,
            location: self.location.trim().to_string(),
            registered: self.registered,
            monitored: self.monitored,
            last_inspection: None,
        })
    }
}

/// Add a care institution or school (admin).
#[utoipa::path(post, path = "/api/v1/institutions", operation_id = "create_institution", tag = "administration",
    request_body = InstitutionBody,
    responses((status = 201, description = "The institution", body = Record), (status = 422, description = "A field is wrong", body = ErrorBody)))]
pub(super) async fn create_institution(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    ApiJson(b): ApiJson<InstitutionBody>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let i = b.institution(String::new())?;
    let created = st
        .run(move |s, now| s.create_institution(&a, &i, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(created))))
}

/// An institution in your area, with its inspections.
#[utoipa::path(get, path = "/api/v1/institutions/{id}", operation_id = "read_institution", tag = "administration",
    params(("id" = String, Path, description = "The institution's identifier")),
    responses((status = 200, description = "The institution", body = Record), (status = 404, description = "Not in your area", body = ErrorBody)))]
pub(super) async fn read_institution(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let f = st
        .run(move |s, now| s.get_institution(&a, &id, now))
        .await?;
    Ok(Json(json!(f)))
}

/// Change an institution (admin).
#[utoipa::path(put, path = "/api/v1/institutions/{id}", operation_id = "update_institution", tag = "administration",
    params(("id" = String, Path, description = "The institution's identifier")),
    request_body = InstitutionBody,
    responses((status = 200, description = "The institution", body = Record)))]
pub(super) async fn update_institution(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<InstitutionBody>,
) -> Result<Json<Value>, WebError> {
    let i = b.institution(id.clone())?;
    let changed = st
        .run(move |s, now| s.update_institution(&a, &id, &i, now))
        .await?;
    Ok(Json(json!(changed)))
}

/// An inspection as sent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct InspectionBody {
    /// The day of the inspection (YYYY-MM-DD).
    #[serde(default)]
    #[schema(required = true)]
    inspected_on: String,
    /// Who inspected.
    #[serde(default)]
    #[schema(required = true)]
    inspector: String,
    /// What they found.
    #[serde(default)]
    #[schema(required = true)]
    findings: String,
    /// When the next inspection is due (YYYY-MM-DD).
    next_due: Option<String>,
}

fn date(field: &str, s: &str) -> Result<Date, WebError> {
    Date::parse(s.trim()).ok_or_else(|| WebError::field(field, "must be a date written YYYY-MM-DD"))
}

/// Record an inspection of an institution in your area (admins and supervisors).
#[utoipa::path(post, path = "/api/v1/institutions/{id}/inspections", operation_id = "record_inspection", tag = "administration",
    params(("id" = String, Path, description = "The institution's identifier")),
    request_body = InspectionBody,
    responses((status = 201, description = "The inspection", body = Record), (status = 422, description = "A field is wrong", body = ErrorBody)))]
pub(super) async fn record_inspection(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<InspectionBody>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let n = NewInspection {
        inspected_on: date("inspected_on", &b.inspected_on)?,
        inspector: b.inspector,
        findings: b.findings,
        next_due: match b
            .next_due
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(d) => Some(date("next_due", d)?),
            None => None,
        },
    };
    let created = st
        .run(move |s, now| s.record_inspection(&a, &id, &n, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(created))))
}

/// Institutions in your area overdue for inspection (UN report §74).
#[utoipa::path(get, path = "/api/v1/institutions/overdue", operation_id = "overdue_inspections", tag = "administration",
    responses((status = 200, description = "Institutions", body = Page)))]
pub(super) async fn overdue(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let items = st.run(move |s, now| s.overdue_inspections(&a, now)).await?;
    Ok(Json(json!({"items": items, "next": null})))
}

/// The institution a child lives in or attends.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ChildInstitution {
    /// The institution's identifier, or null to unlink.
    institution_id: Option<String>,
}

/// Link a child in scope to an institution (or unlink); audited on the child's record.
#[utoipa::path(put, path = "/api/v1/children/{id}/institution", operation_id = "link_child_institution", tag = "administration",
    params(("id" = String, Path, description = "The child's record number")),
    request_body = ChildInstitution,
    responses((status = 204, description = "Linked"), (status = 404, description = "Not in your area", body = ErrorBody)))]
pub(super) async fn link_child(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ChildInstitution>,
) -> Result<StatusCode, WebError> {
    st.run(move |s, now| s.link_child_institution(&a, &id, b.institution_id.as_deref(), now))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reads the audit search's filters from a query string.
pub fn audit_query(q: &HashMap<String, String>) -> Result<AuditQuery, WebError> {
    let text = |k: &str| {
        q.get(k)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let day = |k: &str| -> Result<Option<i64>, WebError> {
        match text(k) {
            None => Ok(None),
            Some(s) => Ok(Some(date(k, &s)?.days_since_epoch() * 86_400)),
        }
    };
    let before = match text("cursor") {
        None => None,
        Some(c) => Some(
            c.parse::<i64>()
                .map_err(|_| WebError::field("cursor", "must be a cursor from a previous page"))?,
        ),
    };
    Ok(AuditQuery {
        actor: text("who"),
        target: text("target"),
        action: text("action"),
        from: day("from")?,
        // "to" is the last day included.
        to: day("to")?.map(|t| t + 86_400),
        before,
        request_id: text("request"),
    })
}

/// Search the audit log, newest first (admin).
#[utoipa::path(get, path = "/api/v1/audit/search", operation_id = "search_audit", tag = "audit",
    params(
        ("who" = Option<String>, Query, description = "The user name who acted"),
        ("target" = Option<String>, Query, description = "Part of the record or target, e.g. user:cw1"),
        ("action" = Option<String>, Query, description = "The action or its start, e.g. user."),
        ("from" = Option<String>, Query, description = "First day (YYYY-MM-DD)"),
        ("to" = Option<String>, Query, description = "Last day (YYYY-MM-DD)"),
        ("request" = Option<String>, Query, description = "Only entries written while serving this request: the X-Request-Id header of its response, the request_id of its log lines"),
        ("cursor" = Option<String>, Query, description = "From the previous page's next"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "How many (default 100)")),
    responses((status = 200, description = "Entries", body = Page), (status = 422, description = "A filter is wrong", body = ErrorBody)))]
pub(super) async fn search_audit(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    let query = audit_query(&q)?;
    let limit = match q.get("limit") {
        None => 100,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| WebError::field("limit", "must be a number from 1 to 500"))?,
    };
    let page = st
        .run(move |s, now| s.search_audit(&a, &query, limit, now))
        .await?;
    Ok(Json(json!(page)))
}

/// Walk the audit chain: intact with its number of entries, or the first bad entry (admin).
#[utoipa::path(post, path = "/api/v1/audit/verify", operation_id = "verify_audit", tag = "audit",
    responses((status = 200, description = "{\"intact\": true, \"entries\": N} or {\"intact\": false, \"seq\": N, \"reason\": …}", body = Record)))]
pub(super) async fn verify_audit(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let result = st.run(move |s, now| s.check_audit(&a, now)).await?;
    Ok(Json(match result {
        Ok(n) => json!({"intact": true, "entries": n}),
        Err(p) => json!({"intact": false, "seq": p.seq, "reason": p.reason}),
    }))
}
