//! The OpenAPI 3.1 description of the API, written by hand so that it says
//! what a partner developer needs, not what a macro could infer.

use axum::Json;
use serde_json::{json, Value};

fn err_responses() -> Value {
    let e = json!({"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    json!({"400": e, "401": e, "403": e, "404": e, "409": e, "413": e, "422": e, "429": e})
}

fn op(summary: &str, tag: &str, body: Option<&str>, ok: &str, params: Value) -> Value {
    let mut o = json!({
        "summary": summary,
        "tags": [tag],
        "parameters": params,
        "responses": err_responses(),
    });
    o["responses"]["200"] =
        json!({"description": ok, "content": {"application/json": {"schema": {"type": "object"}}}});
    if let Some(schema) = body {
        o["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
        o["responses"]["201"] = json!({"description": "Created"});
    }
    o
}

fn id_param() -> Value {
    json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}])
}

/// `GET /api/openapi.json`.
pub async fn document() -> Json<Value> {
    let list_params = json!([
        {"name": "name", "in": "query", "description": "Fuzzy name search (misspellings and word order tolerated)", "schema": {"type": "string"}},
        {"name": "location", "in": "query", "description": "Location code; includes everything below it", "schema": {"type": "string"}},
        {"name": "sex", "in": "query", "schema": {"enum": ["female", "male", "other", "unknown"]}},
        {"name": "age_band", "in": "query", "schema": {"enum": ["0-4", "5-9", "10-14", "15-17"]}},
        {"name": "birth_registration", "in": "query", "schema": {"enum": ["registered", "not_registered", "unknown"]}},
        {"name": "cursor", "in": "query", "description": "The `next` value of the previous page", "schema": {"type": "string"}},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}}
    ]);
    Json(json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Haven API",
            "version": "1",
            "description": "Registry of children at risk, for preventing their sale and sexual exploitation. \
    Authenticate with `Authorization: Bearer TOKEN` (from `haven token create NAME`). Every read and change of a child's \
    record is written to a tamper-evident audit log. Caseworkers see only children in their location subtree (and agency, \
    where set); analysts and monitoring officers see no child records. Lists return `{\"items\": [...], \"next\": CURSOR|null}`."
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string", "enum": ["bad_request", "unauthenticated", "forbidden", "not_found", "conflict", "invalid", "csrf", "rate_limited", "too_large", "unsupported_media_type", "internal"]},
                    "message": {"type": "string"},
                    "fields": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}
                }}}},
                "NewChild": {"type": "object", "required": ["given_name", "sex", "location"], "additionalProperties": false, "properties": {
                    "given_name": {"type": "string", "maxLength": 100},
                    "family_name": {"type": "string", "maxLength": 100},
                    "sex": {"enum": ["female", "male", "other", "unknown"]},
                    "date_of_birth": {"type": "string", "format": "date", "description": "Not in the future; age 0-17. Or give estimated_age."},
                    "estimated_age": {"type": "integer", "minimum": 0, "maximum": 17},
                    "location": {"type": "string", "description": "A district code"},
                    "birth_registration": {"enum": ["registered", "not_registered", "unknown"], "default": "unknown"},
                    "disability": {"type": "boolean"},
                    "minority_group": {"type": "string"},
                    "living_situation": {"enum": ["family", "kinship_care", "institution", "street", "unaccompanied_migrant", "child_headed_household"], "default": "family"},
                    "in_school": {"type": "boolean"},
                    "child_labour": {"type": "boolean"},
                    "household_id": {"type": "string"}
                }},
                "ChildPatch": {"type": "object", "additionalProperties": false, "description": "Any NewChild fields; only those given change."},
                "Location": {"type": "object", "required": ["code", "name", "level"], "properties": {
                    "code": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,32}$"}, "name": {"type": "string"},
                    "parent": {"type": ["string", "null"]}, "level": {"enum": ["country", "region", "district"]}
                }},
                "NewHousehold": {"type": "object", "required": ["location"], "properties": {
                    "location": {"type": "string"}, "address": {"type": "string"},
                    "caregivers": {"type": "array", "items": {"$ref": "#/components/schemas/NewCaregiver"}}
                }},
                "NewList": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "description": {"type": "string"}}},
                "NewHashEntry": {"type": "object", "properties": {"pdq": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}, "quality": {"type": "integer"}, "md5": {"type": "string"}, "sha256": {"type": "string"}, "source": {"type": "string"}, "category": {"type": "string"}}},
                "MatchQuery": {"type": "object", "properties": {"pdq": {"type": "string"}, "md5": {"type": "string"}, "sha256": {"type": "string"}, "threshold": {"type": "integer", "default": 31, "maximum": 63}}},
                "NewUrl": {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}, "level": {"enum": ["url", "prefix", "domain"], "default": "url"}, "category": {"type": "string"}}},
                "UrlCheck": {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}},
                "Answers": {"type": "object", "required": ["answers"], "properties": {"answers": {"type": "object", "additionalProperties": {"type": ["boolean", "number"]}, "description": "factor id -> true/false or an intensity 0..1"}}},
                "Confirmation": {"type": "object", "required": ["level"], "properties": {"level": {"enum": ["low", "medium", "high", "critical"]}, "reason": {"type": "string", "description": "Required when the level differs from the computed one"}}},
                "NewService": {"type": "object", "required": ["name", "provider", "agency", "sector", "layers", "coverage"], "properties": {
                    "name": {"type": "string"}, "provider": {"type": "string"}, "agency": {"type": "string", "description": "Agency code whose users answer referrals"},
                    "sector": {"enum": ["social_welfare", "education", "health", "justice", "police", "civil_registration", "social_protection"]},
                    "layers": {"type": "array", "items": {"enum": ["primary", "secondary", "tertiary"]}}, "coverage": {"type": "string", "description": "Location code covered"},
                    "factors": {"type": "array", "items": {"type": "string"}}, "contact": {"type": "string"}
                }},
                "NewCase": {"type": "object", "properties": {"assigned_to": {"type": "string", "description": "User name; defaults to the caller"}}},
                "StepText": {"type": "object", "properties": {"text": {"type": "string", "description": "The plan, follow-up finding or reason (required for submit_plan, return_plan, follow_up, request_closure, reject_closure, reopen)"}}},
                "Note": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
                "Consent": {"type": "object", "required": ["consent"], "properties": {"consent": {"enum": ["not_asked", "given", "refused"]}, "child_views": {"type": "string"}}},
                "Adoptability": {"type": "object", "required": ["determination"], "properties": {"determination": {"type": "string"}}},
                "Assignment": {"type": "object", "required": ["assigned_to", "reason"], "properties": {"assigned_to": {"type": "string"}, "agency": {"type": "string", "description": "Set to transfer the case (and the child's record) to another agency"}, "reason": {"type": "string"}}},
                "NewReferral": {"type": "object", "required": ["service_id", "reason"], "properties": {"service_id": {"type": "string"}, "kind": {"enum": ["service", "adoption"], "default": "service"}, "reason": {"type": "string"}}},
                "ReferralAnswer": {"type": "object", "required": ["status"], "properties": {"status": {"enum": ["accepted", "declined", "completed"]}, "note": {"type": "string", "description": "Required to decline"}}},
                "NewCaregiver": {"type": "object", "required": ["given_name", "relationship"], "properties": {
                    "given_name": {"type": "string"}, "family_name": {"type": "string"}, "relationship": {"type": "string"}, "contact": {"type": "string"}
                }}
            }
        },
        "security": [{"bearer": []}],
        "paths": {
            "/healthz": {"get": {"summary": "Liveness", "security": [], "responses": {"200": {"description": "ok"}}}},
            "/api/v1/children": {
                "get": op("List or search children in your scope", "children", None, "A page of children", list_params),
                "post": op("Register a child; the response lists possible duplicates (never merged)", "children", Some("NewChild"), "The child", json!([]))
            },
            "/api/v1/children/{id}": {
                "get": op("Read a child's record (audited)", "children", None, "The child", id_param()),
                "patch": op("Change a child's record (audited)", "children", Some("ChildPatch"), "The child", id_param())
            },
            "/api/v1/children/{id}/duplicates": {"get": op("Possible duplicates with reasons", "children", None, "Items with child, score and reasons", id_param())},
            "/api/v1/locations": {
                "get": op("The location hierarchy", "locations", None, "All locations", json!([])),
                "post": op("Add a location (admin)", "locations", Some("Location"), "The location", json!([]))
            },
            "/api/v1/households": {"post": op("Create a household with caregivers", "households", Some("NewHousehold"), "The household", json!([]))},
            "/api/v1/households/{id}": {"get": op("Read a household and its caregivers (audited)", "households", None, "The household", id_param())},
            "/api/v1/households/{id}/caregivers": {"post": op("Add a caregiver", "households", Some("NewCaregiver"), "The caregiver", id_param())},
            "/api/v1/institutions": {"get": op("Care institutions and schools", "registry", None, "Institutions", json!([]))},
            "/api/v1/dashboard": {"get": op("Counts of children in your scope", "registry", None, "Counts", json!([]))},
            "/api/v1/audit": {"get": op("Recent audit entries (admin)", "audit", None, "Entries", json!([{"name": "limit", "in": "query", "schema": {"type": "integer"}}]))},
            "/api/v1/hashlists": {
                "get": op("Hash lists with counts (analyst, admin)", "hash lists", None, "Lists", json!([])),
                "post": op("Create a hash list: {name, description}", "hash lists", Some("NewList"), "The list", json!([]))
            },
            "/api/v1/hashlists/{id}/entries": {
                "get": op("A page of a list's entries with provenance", "hash lists", None, "Entries", id_param()),
                "post": op("Add a hash: {pdq|md5|sha256, quality?, source, category}", "hash lists", Some("NewHashEntry"), "The entry", id_param())
            },
            "/api/v1/hashlists/{id}/entries/image": {"post": op("Add an image (multipart field `image`, plus `source`, `category`): hashed, then discarded", "hash lists", None, "The entry", id_param())},
            "/api/v1/hashlists/{id}/imports": {
                "get": op("The list's bulk imports", "hash lists", None, "Imports", id_param()),
                "post": op("Bulk import: text body, one hash a line (PDQ 64 hex, MD5 32 hex, or sha256:HEX; `haven hash` CSV accepted); ?source= required", "hash lists", None, "The import", id_param())
            },
            "/api/v1/hashentries/{id}": {"patch": op("Enable or disable an entry: {enabled} (no rebuild)", "hash lists", None, "The entry", id_param())},
            "/api/v1/match": {"post": op("Match {pdq|md5|sha256, threshold?} or a multipart `image` against enabled entries (partner, analyst, admin; audited; images never stored). Returns {matches:[{list, entry, distance}]}", "matching", Some("MatchQuery"), "Matches", json!([]))},
            "/api/v1/urls": {"post": op("List a URL: {url, level: url|prefix|domain, category}", "URL list", Some("NewUrl"), "The entry", json!([]))},
            "/api/v1/urls/{id}": {"delete": op("Remove a URL (a tombstone stays in the changes feed)", "URL list", None, "The entry", id_param())},
            "/api/v1/urls/check": {"post": op("Is this URL covered by the list? {url} -> {listed, matches}", "URL list", Some("UrlCheck"), "Result", json!([]))},
            "/api/v1/instruments/current": {"get": op("The current assessment instrument: {version, factors:[{id, level, kind, weight, description, safety}]}", "assessment", None, "The instrument", json!([]))},
            "/api/v1/instruments": {"post": op("Add a new instrument version (admin); earlier results keep theirs", "assessment", None, "The instrument", json!([]))},
            "/api/v1/children/{id}/assessments": {
                "get": op("A child's assessments, oldest first (audited)", "assessment", None, "Items", id_param()),
                "post": op("Assess a child: {answers} -> {id, level, layer, urgent, drivers, recommended_services}", "assessment", Some("Answers"), "The assessment", id_param())
            },
            "/api/v1/assessments/{id}": {"patch": op("Confirm or override the level (override needs a reason)", "assessment", Some("Confirmation"), "The assessment", id_param())},
            "/api/v1/services": {
                "get": op("The services directory", "services", None, "Services", json!([])),
                "post": op("Add a service (admin)", "services", Some("NewService"), "The service", json!([]))
            },
            "/api/v1/children/{id}/cases": {"post": op("Open a case for a child (one open case per child)", "cases", Some("NewCase"), "The case", id_param())},
            "/api/v1/cases": {"get": op("Cases in your scope, soonest due first", "cases", None, "Items", json!([
                {"name": "mine", "in": "query", "schema": {"type": "boolean"}}, {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
                {"name": "awaiting_approval", "in": "query", "schema": {"type": "boolean"}}, {"name": "closed", "in": "query", "schema": {"type": "boolean"}},
                {"name": "child", "in": "query", "schema": {"type": "string"}}]))},
            "/api/v1/cases/counts": {"get": op("Open, overdue and awaiting-approval counts in your scope", "cases", None, "Counts", json!([]))},
            "/api/v1/cases/{id}": {"get": op("A case with its history, referrals and suggested referrals (audited)", "cases", None, "The case file", id_param())},
            "/api/v1/cases/{id}/steps/{action}": {"post": op("Move the case: record_assessment, submit_plan, approve_plan, return_plan, follow_up, request_closure, approve_closure, reject_closure, reopen (approvals: supervisors)", "cases", Some("StepText"), "The case", json!([
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "action", "in": "path", "required": true, "schema": {"type": "string"}}]))},
            "/api/v1/cases/{id}/notes": {"post": op("Add an encrypted case note", "cases", Some("Note"), "Recorded", id_param())},
            "/api/v1/cases/{id}/consent": {"post": op("Record consent and the child's views", "cases", Some("Consent"), "The case", id_param())},
            "/api/v1/cases/{id}/adoptability": {"post": op("Record an adoptability determination (supervisor)", "cases", Some("Adoptability"), "The case", id_param())},
            "/api/v1/cases/{id}/assignment": {"post": op("Reassign, or transfer to another agency (supervisor)", "cases", Some("Assignment"), "The case", id_param())},
            "/api/v1/cases/{id}/referrals": {"post": op("Refer the child to a service covering their district; adoption needs an adoptability determination (422)", "referrals", Some("NewReferral"), "The referral", id_param())},
            "/api/v1/referrals": {"get": op("Referrals addressed to your agency (box=incoming) or sent for your cases (box=outgoing)", "referrals", None, "Items", json!([{"name": "box", "in": "query", "schema": {"enum": ["incoming", "outgoing"]}}]))},
            "/api/v1/referrals/by-agency": {"get": op("Waiting, overdue, accepted, completed and declined referrals per receiving agency", "referrals", None, "Items", json!([]))},
            "/api/v1/referrals/{id}/answer": {"post": op("Accept, decline (with a note) or complete a referral to your agency", "referrals", Some("ReferralAnswer"), "The referral", id_param())},
            "/api/v1/public/reports": {"post": {"summary": "Report a concern (no account): {category, description, url?, where?, location?, child_age?, danger_now?, reporter?, contact?, lang?} -> {code, pin, status}. Rate-limited per address.", "tags": ["reporting"], "security": [], "responses": {"201": {"description": "The tracking code and PIN"}, "422": {"description": "A field is wrong"}, "429": {"description": "Too many reports from this address"}}}},
            "/api/v1/public/reports/status": {"post": {"summary": "The reporter's view: {code, pin} -> {status, category, received_at, added}. A wrong code and a wrong PIN both answer 404; repeated misses 429.", "tags": ["reporting"], "security": [], "responses": {"200": {"description": "Status"}, "404": {"description": "No report has this code and PIN"}, "429": {"description": "Too many wrong tries"}}}},
            "/api/v1/public/reports/info": {"post": {"summary": "Add information: {code, pin, text}", "tags": ["reporting"], "security": [], "responses": {"200": {"description": "Status"}, "404": {"description": "No report has this code and PIN"}}}},
            "/api/v1/reports": {"get": op("The triage queue, most urgent first (analysts, casework staff in scope); ?all=true includes decided reports", "triage", None, "Items", json!([]))},
            "/api/v1/reports/{id}": {"get": op("A report as staff read it (audited)", "triage", None, "The report", id_param())},
            "/api/v1/reports/{id}/contact": {"get": op("The reporter's contact details, kept apart from the report: {contact} (each reading audited)", "triage", None, "Contact", id_param())},
            "/api/v1/reports/{id}/notes": {"post": op("A staff note, never shown to the reporter: {text}", "triage", None, "Recorded", id_param())},
            "/api/v1/reports/{id}/decision": {"post": op("{decision: open_case|hotline|police|close, reason?, child_id? | child?} -> {report, possible_duplicates}", "triage", None, "The report", id_param())},
            "/api/v1/hotline/items": {"get": op("Hotline items (analysts); ?all=true includes closed ones", "hotline", None, "Items", json!([])), "post": op("Add an item directly: {url}", "hotline", None, "The item", json!([]))},
            "/api/v1/hotline/items/{id}": {"get": op("One item", "hotline", None, "The item", id_param())},
            "/api/v1/hotline/items/{id}/assessment": {"post": op("{assessment: illegal|not_illegal|needs_second_opinion, category, age_band, sex, hosting_country, hosting_provider}; illegal lists the URL", "hotline", None, "The item", id_param())},
            "/api/v1/hotline/items/{id}/confirmation": {"post": op("A second analyst confirms the assessment", "hotline", None, "The item", id_param())},
            "/api/v1/hotline/items/{id}/actions/{action}": {"post": op("notice_sent, law_enforcement, forwarded ({detail}: the hotline abroad) or removed (the URL leaves the list)", "hotline", None, "The item", json!([
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "action", "in": "path", "required": true, "schema": {"enum": ["notice_sent", "law_enforcement", "forwarded", "removed"]}}]))},
            "/api/v1/hotline/figures": {"get": op("Published figures computed from the records (analysts, monitors)", "hotline", None, "Figures", json!([]))},
            "/api/v1/urllist": {"get": op("The URL list whole (since=0) or changes since a version: {version, entries, removed}", "URL list", None, "Changes", json!([{"name": "since", "in": "query", "schema": {"type": "integer", "minimum": 0}}]))}
        }
    }))
}
