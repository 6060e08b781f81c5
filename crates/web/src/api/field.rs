//! Offline field work (issue 16): a caseworker enrols a laptop, the laptop
//! syncs the changes made offline, conflicts wait for a person, and an
//! administrator revokes a laptop. The store checks every role and scope
//! and audits every read and change.

use super::openapi::{ErrorBody, Record};
use super::ApiJson;
use crate::auth::{ApiCaller, ClientAddr, FieldCaller};
use crate::error::WebError;
use crate::limiter::Attempt;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use haven_domain::field_ops::{
    FieldOperation, LaptopAuditEntry, MAX_AUDIT_ENTRIES, MAX_OPERATIONS,
};
use haven_store::{Keep, SecondFactorStep, StoreError};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use utoipa::ToSchema;

/// A laptop to enrol.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"label": "District laptop 3"}))]
pub(super) struct EnrolInput {
    /// What the worker calls it: 1 to 100 characters, no control or
    /// reordering characters (as a person's name).
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    label: String,
}

/// The caller's laptops (an administrator: every one).
#[utoipa::path(get, path = "/api/v1/field/laptops", operation_id = "list_field_laptops", tag = "field",
    responses((status = 200, description = "`{items: [laptop], next: null}`", body = Record)))]
pub(super) async fn list(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let items = st.run(move |s, now| s.field_nodes(&a, now)).await?;
    Ok(Json(json!({"items": items, "next": null})))
}

/// Enrol a laptop of the caller's for offline field work (roles with
/// children's records; audited). The answer carries the laptop's
/// credential (`token`, shown this once): its checkouts and syncs send it,
/// and nothing else accepts it.
#[utoipa::path(post, path = "/api/v1/field/laptops", operation_id = "enrol_field_laptop", tag = "field",
    request_body = EnrolInput,
    responses((status = 201, description = "The laptop, with its `token`", body = Record)))]
pub(super) async fn enrol(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    ApiJson(input): ApiJson<EnrolInput>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let (node, token) = st
        .run(move |s, now| s.enrol_field_node(&a, &input.label, now))
        .await?;
    let mut body = json!(node);
    body["token"] = json!(token);
    Ok((StatusCode::CREATED, Json(body)))
}

/// A laptop enrolled by its user's name and password, for `haven field
/// init` on the laptop.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "amina", "password": "…", "label": "District laptop 3"}))]
pub(super) struct PasswordEnrolment {
    /// The user's name.
    #[schema(min_length = 1, max_length = 64)]
    name: String,
    /// Their password.
    #[schema(min_length = 1, max_length = 1024)]
    password: String,
    /// The code of their authenticator app, when their account signs in
    /// with a second factor.
    #[serde(default)]
    #[schema(max_length = 64)]
    code: Option<String>,
    /// What they call the laptop, as for `POST /api/v1/field/laptops`.
    #[schema(min_length = 1, max_length = 100)]
    label: String,
}

/// Enrol a laptop with the user's name and password (and second factor):
/// the laptop signs in once, is enrolled as its user would enrol it, and
/// is given its credential; no session is left behind. Failed attempts are
/// slowed down like sign-ins. The answer also says who the user is and
/// the places of the country, which the laptop needs to work offline.
#[utoipa::path(post, path = "/api/v1/field/enrolments", operation_id = "enrol_field_laptop_with_password", tag = "field",
    request_body = PasswordEnrolment,
    responses(
        (status = 201, description = "`{laptop, token, user: {name, role, location, agency}, locations: [location]}`", body = Record),
        (status = 401, description = "Wrong name or password", body = ErrorBody),
        (status = 429, description = "Too many attempts: wait", body = ErrorBody),
    ))]
pub(super) async fn enrol_with_password(
    State(st): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ApiJson(input): ApiJson<PasswordEnrolment>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let now = st.now();
    let PasswordEnrolment {
        name,
        password,
        code,
        label,
    } = input;
    let attempt = Attempt {
        address: &ip,
        name: &name,
        device: None,
    };
    let wait = st.limiter.begin(&st, &attempt, now).await;
    if wait > 0 {
        return Err(WebError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("too many sign-in attempts: try again in {wait} seconds"),
        ));
    }
    let n = name.clone();
    // A wrong password was counted when the attempt began.
    let session = st.run(move |s, now| s.sign_in(&n, &password, now)).await?;
    st.limiter.succeeded(&st, &attempt, now).await;
    let token = session.token.clone();
    let enrolled = async {
        match session.second_factor {
            SecondFactorStep::None => {}
            SecondFactorStep::Code => {
                let code = code.filter(|c| !c.trim().is_empty()).ok_or_else(|| {
                    WebError::field(
                        "code",
                        "this account signs in with a second factor: give the code from the app",
                    )
                })?;
                let t = token.clone();
                st.run(move |s, now| s.complete_second_factor(&t, &code, now))
                    .await?;
            }
            SecondFactorStep::Enrol => {
                return Err(WebError::from(StoreError::Forbidden(
                    "your role signs in with a second factor: set it up in Haven (Account) first, then enrol the laptop".into(),
                )));
            }
        }
        let actor = session.actor.clone();
        st.run(move |s, now| {
            let enrolled = s.enrol_field_node(&actor, &label, now)?;
            Ok((enrolled, s.list_locations(&actor)?))
        })
        .await
    }
    .await;
    // The laptop keeps its credential, never a session.
    let _ = st.run(move |s, now| s.sign_out(&token, now)).await;
    let ((node, credential), locations) = enrolled?;
    let a = &session.actor;
    // The place the user's scope is ("/C/R1/" gives "R1"; none for national).
    let area = a
        .scope_path
        .as_deref()
        .and_then(|p| p.trim_end_matches('/').rsplit('/').next())
        .filter(|c| !c.is_empty());
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "laptop": node,
            "token": credential,
            "user": {"name": a.name, "role": a.role.as_str(), "location": area, "agency": a.agency},
            "locations": locations,
        })),
    ))
}

/// Revoke a laptop (administrators; audited): its next sync is refused.
#[utoipa::path(post, path = "/api/v1/field/laptops/{id}/revoke", operation_id = "revoke_field_laptop", tag = "field",
    params(("id" = String, Path, description = "The laptop's identifier")),
    responses((status = 200, description = "The laptop", body = Record)))]
pub(super) async fn revoke(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let node = st
        .run(move |s, now| s.revoke_field_node(&a, &id, now))
        .await?;
    Ok(Json(json!(node)))
}

/// The children the laptop takes into the field (its user only; audited as
/// a read of each child sent): those in the user's area changed since
/// `since`, and the identifiers of all in the area, so the laptop removes
/// any other it holds.
#[utoipa::path(get, path = "/api/v1/field/laptops/{id}/checkout", operation_id = "checkout_field_laptop", tag = "field",
    params(("id" = String, Path, description = "The laptop's identifier"),
        ("since" = Option<i64>, Query, description = "The `at` of the last checkout (Unix seconds)")),
    responses((status = 200, description = "`{at, acknowledged, in_scope: [id], children: [child]}`", body = Record)))]
pub(super) async fn checkout(
    State(st): State<AppState>,
    caller: FieldCaller,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, WebError> {
    let a = caller.for_laptop(&id)?;
    // Read here, as the other lists read theirs, so that a value that is
    // not a time is a 422 naming the field.
    let since = q
        .get("since")
        .map(|v| {
            v.trim().parse::<i64>().map_err(|_| {
                StoreError::field(
                    "since",
                    "must be a time in Unix seconds, the at of a previous checkout",
                )
            })
        })
        .transpose()?;
    let checkout = st
        .run(move |s, now| s.field_checkout(&a, &id, since, now))
        .await?;
    Ok(Json(json!(checkout)))
}

/// What a laptop sends when it syncs.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"operations": [{"n": 1, "kind": "child.update", "record": "3f2a…", "made_at": 1764400000,
    "changes": [{"field": "disability", "base": "false", "value": "true"}]}], "pending": 0}))]
pub(super) struct SyncInput {
    /// Operations, numbered one after the other from the first not yet
    /// acknowledged (or earlier: those are answered again, not applied).
    #[schema(max_items = 500)]
    operations: Vec<FieldOperation>,
    /// How many more the laptop holds beyond these.
    #[serde(default)]
    pending: u64,
}

/// Apply a laptop's offline changes (its user only; each audited). Each
/// operation is applied once: one sent again gets the answer it got before.
/// A field changed on the server meanwhile is kept as a conflict; a change
/// the server cannot take is refused with its reason. 409 when operations
/// are missing before these; 403 when the laptop was revoked.
#[utoipa::path(post, path = "/api/v1/field/laptops/{id}/sync", operation_id = "sync_field_laptop", tag = "field",
    params(("id" = String, Path, description = "The laptop's identifier")),
    request_body = SyncInput,
    responses((status = 200, description = "`{acknowledged, results: [{n, outcome, reason, code, conflicts}]}`; a refusal's `code` (out_of_area, registration_held, same_child, case_out_of_area, case_handed_on, case_closed, case_rules, instrument_unknown, invalid, unsupported) names why for a laptop to say in its user's language", body = Record)))]
pub(super) async fn sync(
    State(st): State<AppState>,
    caller: FieldCaller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SyncInput>,
) -> Result<Json<Value>, WebError> {
    let a = caller.for_laptop(&id)?;
    if input.operations.len() > MAX_OPERATIONS {
        return Err(StoreError::field(
            "operations",
            format!("at most {MAX_OPERATIONS} in one sync: send the rest in the next"),
        )
        .into());
    }
    let answer = st
        .run(move |s, now| s.sync_field_operations(&a, &id, &input.operations, input.pending, now))
        .await?;
    Ok(Json(json!(answer)))
}

/// A laptop's audit entries, as it sends them.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"entries": [{"seq": 1, "at": 1764400000, "actor": "cw1", "action": "child.read",
    "target": "child:3f2a…", "outcome": "ok", "detail": ""}]}))]
pub(super) struct AuditInput {
    /// Entries of the laptop's own audit log, in order, from the first not
    /// yet acknowledged (or earlier: those are skipped).
    #[schema(max_items = 500)]
    entries: Vec<LaptopAuditEntry>,
}

/// Take a laptop's own audit entries into this server's audit log (its
/// user, own laptop only): what was read and changed offline is
/// accounted for here, each entry once, marked as the laptop's. 409 when
/// entries are missing before these; 403 when the laptop was revoked.
#[utoipa::path(post, path = "/api/v1/field/laptops/{id}/audit", operation_id = "send_field_laptop_audit", tag = "field",
    params(("id" = String, Path, description = "The laptop's identifier")),
    request_body = AuditInput,
    responses((status = 200, description = "`{acknowledged}`: the last entry taken", body = Record)))]
pub(super) async fn audit(
    State(st): State<AppState>,
    caller: FieldCaller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AuditInput>,
) -> Result<Json<Value>, WebError> {
    let a = caller.for_laptop(&id)?;
    if input.entries.len() > MAX_AUDIT_ENTRIES {
        return Err(StoreError::field(
            "entries",
            format!("at most {MAX_AUDIT_ENTRIES} in one request: send the rest in the next"),
        )
        .into());
    }
    let acknowledged = st
        .run(move |s, now| s.receive_laptop_audit(&a, &id, &input.entries, now))
        .await?;
    Ok(Json(json!({ "acknowledged": acknowledged })))
}

/// Conflicts waiting for a person: the caller's own laptops', and for a
/// supervisor or administrator every one in their scope (audited).
#[utoipa::path(get, path = "/api/v1/conflicts", operation_id = "list_conflicts", tag = "field",
    responses((status = 200, description = "`{items: [conflict], next: null}`", body = Record)))]
pub(super) async fn conflicts(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let items = st.run(move |s, now| s.field_conflicts(&a, now)).await?;
    Ok(Json(json!({"items": items, "next": null})))
}

/// Which value to keep.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"keep": "laptop"}))]
pub(super) struct ResolveInput {
    /// `laptop` (the value written offline replaces the server's) or
    /// `server` (the server's stays).
    #[schema(pattern = "^(laptop|server)$")]
    keep: String,
}

/// Resolve a conflict by keeping one value (audited). 409 when keeping the
/// laptop's value while the field changed again on the server since.
#[utoipa::path(post, path = "/api/v1/conflicts/{id}/resolve", operation_id = "resolve_conflict", tag = "field",
    params(("id" = String, Path, description = "The conflict's identifier")),
    request_body = ResolveInput,
    responses((status = 200, description = "The conflict as it was", body = Record)))]
pub(super) async fn resolve(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ResolveInput>,
) -> Result<Json<Value>, WebError> {
    let keep = Keep::parse(&input.keep)
        .ok_or_else(|| StoreError::field("keep", "must be laptop or server"))?;
    let conflict = st
        .run(move |s, now| s.resolve_field_conflict(&a, &id, keep, now))
        .await?;
    Ok(Json(json!(conflict)))
}
