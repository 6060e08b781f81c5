//! The OpenAPI 3.1 description of the API, derived by utoipa from the
//! handlers' own request types and `#[utoipa::path]` annotations, so that
//! the contract cannot drift from the code: a field added to a request type
//! appears in the document, and a route without an annotation fails the
//! test that compares the router with the document.
//!
//! Statuses every operation of a kind can answer are added here once
//! ([`CommonResponses`]) rather than repeated on each handler: 401 and 403
//! for every authenticated operation, 404 where a path names a record,
//! 400/413/415/422 where a JSON body is read, 422 where a query is read.
//! Each handler lists what is its own (201, 409, 429, 503, …).

use super::{
    administration, alerts, assessments, cases, children, exchange, field, indicators, lists,
    logframes, readiness, registry, reports,
};
use axum::Json;
use serde::Serialize;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, ObjectBuilder, RefOr, ResponseBuilder, Schema, Type};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

/// Every error: `{"error": {"code", "message", "fields"?}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

/// What went wrong.
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable code: `bad_request`, `unauthenticated`, `forbidden`,
    /// `csrf`, `not_found`, `conflict`, `invalid`, `too_little_detail`,
    /// `rate_limited`, `too_large`, `unsupported_media_type`, `busy`.
    code: String,
    /// A sentence for a person.
    message: String,
    /// For `invalid`: each field that was refused and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldProblem>,
}

/// One refused field.
#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field's path in the body or the query parameter's name.
    field: String,
    /// Why it was refused.
    message: String,
}

/// A JSON object: a record as the operation's description says.
pub struct Record;

impl PartialSchema for Record {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some("A record; its fields are described in the operation"))
            .into()
    }
}

impl ToSchema for Record {}

/// A list: `{"items": [...], "next": CURSOR|null}`.
#[derive(Serialize, ToSchema)]
pub struct Page {
    /// The records of this page.
    #[schema(value_type = Vec<Record>)]
    items: Vec<serde_json::Value>,
    /// Give as `cursor` for the next page; null on the last page.
    #[serde(default)]
    #[schema(required = false)]
    next: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Haven API",
        version = "1",
        description = "Registry of children at risk, for preventing their sale and sexual exploitation. \
Authenticate with `Authorization: Bearer TOKEN` (from `haven token create NAME`); a signed-in browser \
may instead send its session cookie, and then every write must carry the session's CSRF token in the \
`X-CSRF-Token` header. Every read and change of a child's record is written to a tamper-evident audit \
log. Caseworkers see only children in their location subtree (and agency, where set); analysts and \
monitoring officers see no child records. Lists return `{\"items\": [...], \"next\": CURSOR|null}`. \
Every error is `{\"error\": {\"code\", \"message\", \"fields\"?}}`. Request bodies are JSON \
(`Content-Type: application/json`) unless an operation says otherwise; unknown fields are refused, \
and no string may hold a NUL character or exceed 20,000 characters."
    ),
    paths(
        children::list, children::create, children::read, children::update, children::duplicates,
        registry::list_locations, registry::create_location, registry::create_household,
        registry::read_household, registry::add_caregiver, registry::list_institutions,
        registry::dashboard, registry::audit,
        assessments::create, assessments::current, assessments::history, assessments::assess,
        assessments::confirm,
        lists::lists, lists::create_list, lists::entries, lists::add_entry, lists::add_image,
        lists::imports, lists::import, lists::change_entry, lists::match_endpoint,
        lists::add_url, lists::remove_url, lists::check_url, lists::url_list,
        cases::services, cases::create_service, cases::open, cases::list, cases::counts,
        cases::read, cases::step, cases::note, cases::consent, cases::exploitation, cases::adoptability,
        cases::assign, cases::refer, cases::referrals, cases::referral, cases::by_agency, cases::answer,
        reports::submit, reports::status, reports::add_info, reports::queue, reports::read,
        reports::contact, reports::note, reports::decide, reports::act, reports::items, reports::create_item,
        reports::item, reports::assess, reports::confirm, reports::action, reports::figures,
        administration::list_users, administration::create_user, administration::update_user,
        administration::set_disabled, administration::reset_password,
        administration::list_agencies, administration::create_agency, administration::update_agency,
        administration::create_institution, administration::read_institution,
        administration::update_institution, administration::record_inspection,
        administration::overdue, administration::link_child, administration::search_audit,
        administration::verify_audit,
        indicators::list, indicators::values, indicators::export, indicators::populations, indicators::over, indicators::set_public,
        logframes::list, logframes::create, logframes::read, logframes::add_result, logframes::link, logframes::set_mark, logframes::update_result, logframes::remove_result, logframes::unlink,
        readiness::list, readiness::create, readiness::read, readiness::save,
        readiness::list_instruments, readiness::add_instrument,
        exchange::feed, exchange::node, exchange::list_peers, exchange::add_peer,
        exchange::set_revoked, exchange::pull_now, exchange::import,
        exchange::received_statistics,
        alerts::list, alerts::issue, alerts::read, alerts::withdraw,
        field::list, field::enrol, field::enrol_with_password, field::revoke, field::sync, field::audit, field::checkout, field::conflicts, field::resolve,
        document,
    ),
    // Types that appear only as parameters are not collected by utoipa.
    components(schemas(
        ErrorBody, Page, Record, haven_domain::hotline::HotlineAction,
        haven_domain::hotline::ItemStage,
    )),
    security(("bearer" = []), ("session" = [])),
    modifiers(&Security, &CommonResponses),
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token from `haven token create NAME`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "A browser's signed-in session; writes must also send the session's CSRF token in the X-CSRF-Token header",
            ))),
        );
    }
}

/// Adds the error statuses shared by every operation of a kind (see the
/// module's documentation).
struct CommonResponses;

fn error_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                "ErrorBody",
            )))),
        )
        .into()
}

fn add_error(op: &mut Operation, status: &str, description: &str) {
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| error_response(description));
}

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let params = op.parameters.as_deref().unwrap_or_default();
                let in_path = params.iter().any(
                    |p| matches!(p, RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Path)),
                );
                let in_query = params.iter().any(
                    |p| matches!(p, RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Query)),
                );
                let public = op.security.as_ref().is_some_and(|s| {
                    s.iter().all(|r| {
                        serde_json::to_value(r)
                            .is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
                    })
                });
                let json_body = op.request_body.as_ref().is_some_and(
                    |b| matches!(b, RefOr::T(b) if b.content.contains_key("application/json")),
                );
                if op.request_body.is_some() {
                    add_error(
                        op,
                        "400",
                        "The body could not be read, or is not valid JSON",
                    );
                    add_error(op, "413", "The body is too large");
                }
                if json_body {
                    add_error(
                        op,
                        "415",
                        "The body is not JSON (send Content-Type: application/json)",
                    );
                }
                if json_body || in_query || op.request_body.is_some() {
                    add_error(
                        op,
                        "422",
                        "A field or parameter is refused; `fields` says which and why",
                    );
                }
                if !public {
                    add_error(op, "401", "No valid API token or session");
                    add_error(op, "403", "The caller's role or scope does not allow this (or, with a session, the CSRF token is missing)");
                }
                if in_path {
                    add_error(op, "404", "No such record in the caller's scope");
                }
            }
        }
    }
}

/// The document as served (built once).
pub fn document_value() -> serde_json::Value {
    static DOC: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        if let Some(schemas) = doc
            .pointer_mut("/components/schemas")
            .and_then(|s| s.as_object_mut())
        {
            for schema in schemas.values_mut() {
                if schema["additionalProperties"] == false {
                    bound_strings(schema);
                }
            }
        }
        doc
    })
    .clone()
}

/// What [`super::parse_json`] refuses in every string of a request body,
/// written into each request schema's strings that do not say it already:
/// no NUL character, at most 20,000 characters.
fn bound_strings(v: &mut serde_json::Value) {
    use serde_json::Value;
    let Value::Object(map) = v else {
        if let Value::Array(items) = v {
            items.iter_mut().for_each(bound_strings);
        }
        return;
    };
    let is_string = match map.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
        _ => false,
    };
    if is_string && !map.contains_key("enum") && !map.contains_key("format") {
        map.entry("pattern")
            .or_insert_with(|| Value::from("^[^\\u0000]*$"));
        map.entry("maxLength")
            .or_insert_with(|| Value::from(super::MAX_TEXT_CHARS));
    }
    for (k, child) in map.iter_mut() {
        if matches!(
            k.as_str(),
            "properties" | "items" | "oneOf" | "anyOf" | "allOf" | "additionalProperties"
        ) {
            match k.as_str() {
                "properties" => {
                    if let Value::Object(props) = child {
                        props.values_mut().for_each(bound_strings);
                    }
                }
                _ => bound_strings(child),
            }
        }
    }
}

/// This document (OpenAPI 3.1).
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    operation_id = "openapi",
    tag = "meta",
    security(()),
    responses((status = 200, description = "This document", content_type = "application/json", body = Record)),
)]
pub async fn document() -> Json<serde_json::Value> {
    Json(document_value())
}
