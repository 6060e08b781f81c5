//! The administration pages: people's accounts (add, change, disable,
//! new password) and the audit log (search, chain check), reached from
//! the Administration entry of an administrator's menu. The store refuses
//! anyone else too, and audits every change.

use super::forms::{given, DoneQuery, FieldErrors, StaffForm};
use super::layout::{render, render_with, role_key, Layout, Opt, Staff};
use crate::error::WebError;
use crate::i18n::{Tr, LANGS};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::Role;
use haven_store::administration::{Agency, UserChange};
use haven_store::{AuditEntry, NewUser, UserInfo};
use serde::Deserialize;
use std::collections::HashMap;

fn forbidden() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "only an administrator may do this",
    )
}

fn is_admin(staff: &Staff) -> bool {
    staff.session.actor.role == Role::Admin
}

#[derive(Template)]
#[template(path = "admin_index.html")]
struct IndexPage {
    l: Layout,
}

pub(super) async fn index(staff: Staff) -> Response {
    if !is_admin(&staff) {
        return staff.problem(&forbidden(), "/");
    }
    render(&IndexPage { l: staff.layout() })
}

/// An account as a row of the list.
struct UserRow {
    name: String,
    role: String,
    place: String,
    agency: String,
    disabled: bool,
}

/// The account form as typed (adding and changing share it).
#[derive(Deserialize, Default, Clone)]
pub(super) struct UserForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    l: Layout,
    users: Vec<UserRow>,
    form: UserForm,
    roles: Vec<Opt>,
    places: Vec<Opt>,
    agencies: Vec<Opt>,
    languages: Vec<Opt>,
    errors: FieldErrors,
    done: bool,
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    l: Layout,
    user: UserRow,
    roles: Vec<Opt>,
    places: Vec<Opt>,
    agencies: Vec<Opt>,
    languages: Vec<Opt>,
    errors: FieldErrors,
    password_errors: FieldErrors,
    done: String,
    is_self: bool,
}

/// What the forms choose from: places by name, agencies by name.
struct Choices {
    places: Vec<(String, String)>,
    agencies: Vec<Agency>,
}

async fn choices(st: &AppState, staff: &Staff) -> Result<Choices, WebError> {
    let actor = staff.session.actor.clone();
    st.run(move |s, _| {
        let places = s
            .list_locations(&actor)?
            .into_iter()
            .map(|l| (l.code, l.name))
            .collect();
        let agencies = s.list_agencies(&actor)?;
        Ok(Choices { places, agencies })
    })
    .await
}

fn options(tr: Tr, c: &Choices, form: &UserForm) -> [Vec<Opt>; 4] {
    let roles = Role::ALL
        .iter()
        .map(|r| Opt::new(r.as_str(), tr.t(role_key(*r)), &form.role))
        .collect();
    let places = c
        .places
        .iter()
        .map(|(code, name)| Opt::new(code, name.clone(), &form.location))
        .collect();
    let agencies = c
        .agencies
        .iter()
        .filter(|a| a.active || a.code == form.agency)
        .map(|a| Opt::new(&a.code, a.name.clone(), &form.agency))
        .collect();
    let languages = Tr::all()
        .map(|t| Opt::new(t.lang, t.t("lang-name"), &form.language))
        .collect();
    [roles, places, agencies, languages]
}

fn row(tr: Tr, u: &UserInfo, c: &Choices) -> UserRow {
    let place = u.location.as_ref().map_or_else(String::new, |code| {
        c.places
            .iter()
            .find(|(k, _)| k == code)
            .map_or_else(|| code.clone(), |(_, n)| n.clone())
    });
    let agency = u.agency.as_ref().map_or_else(String::new, |code| {
        c.agencies
            .iter()
            .find(|a| &a.code == code)
            .map_or_else(|| code.clone(), |a| a.name.clone())
    });
    UserRow {
        name: u.name.clone(),
        role: tr.t(role_key(u.role)),
        place,
        agency,
        disabled: u.disabled,
    }
}

async fn users_page(
    st: &AppState,
    staff: &Staff,
    form: UserForm,
    errors: FieldErrors,
    done: bool,
) -> Result<UsersPage, WebError> {
    let c = choices(st, staff).await?;
    let actor = staff.session.actor.clone();
    let all = st.run(move |s, now| s.list_users(&actor, now)).await?;
    let [roles, places, agencies, languages] = options(staff.tr, &c, &form);
    Ok(UsersPage {
        l: staff.layout(),
        users: all.iter().map(|u| row(staff.tr, u, &c)).collect(),
        form,
        roles,
        places,
        agencies,
        languages,
        errors,
        done,
    })
}

pub(super) async fn users(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<DoneQuery>,
) -> Response {
    if !is_admin(&staff) {
        return staff.problem(&forbidden(), "/");
    }
    let errors = FieldErrors::new(staff.tr);
    match users_page(&st, &staff, UserForm::default(), errors, q.done.is_some()).await {
        Ok(p) => render(&p),
        Err(e) => staff.problem(&e, "/admin"),
    }
}

/// The store's words for a refused field, in the reader's language.
fn user_field_key(field: &str) -> Option<&'static str> {
    match field {
        "name" => Some("admin-error-name"),
        "location" => Some("admin-error-location"),
        "agency" => Some("admin-error-agency"),
        "role" => Some("admin-error-own-role"),
        "language" => Some("error-language"),
        "password" => Some("admin-error-password"),
        _ => None,
    }
}

/// Checks what the form can check itself.
fn check_user(form: &UserForm, errors: &mut FieldErrors, adding: bool) -> Option<Role> {
    let role = Role::parse(form.role.trim());
    if role.is_none() {
        errors.add("role", "admin-error-role");
    }
    if role == Some(Role::Caseworker) && given(&form.location).is_none() {
        errors.add("location", "admin-error-location");
    }
    let lang = form.language.trim();
    if !lang.is_empty() && !LANGS.contains(&lang) {
        errors.add("language", "error-language");
    }
    if adding {
        if given(&form.name).is_none() {
            errors.add("name", "admin-error-name");
        }
        if haven_store::password::check_new_password(&form.password).is_err() {
            errors.add("password", "admin-error-password");
        }
    }
    role
}

pub(super) async fn add_user(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<UserForm>,
) -> Response {
    if !is_admin(&staff) {
        return staff.problem(&forbidden(), "/");
    }
    let mut errors = FieldErrors::new(staff.tr);
    let role = check_user(&form, &mut errors, true);
    let result = match (role, errors.is_empty()) {
        (Some(role), true) => {
            let actor = staff.session.actor.clone();
            let f = form.clone();
            st.run(move |s, now| {
                let user = NewUser {
                    name: f.name.trim().to_string(),
                    role,
                    location: given(&f.location),
                    agency: given(&f.agency),
                    password_hash: Some(haven_store::password::hash_password(&f.password)?),
                };
                let u = s.create_user(&actor, &user, now)?;
                if let Some(l) = given(&f.language) {
                    let change = UserChange {
                        language: Some(Some(l)),
                        ..Default::default()
                    };
                    s.update_user(&actor, &u.name, &change, now)?;
                }
                Ok(())
            })
            .await
        }
        _ => Ok(()),
    };
    if errors.is_empty() {
        match result {
            Ok(()) => return Redirect::to("/admin/users?done=added").into_response(),
            Err(e) if e.status == StatusCode::CONFLICT => {
                errors.add("name", "admin-error-name-taken")
            }
            Err(e) => match FieldErrors::from_store(staff.tr, e, user_field_key) {
                Ok(fe) => errors = fe,
                Err(e) => return staff.problem(&e, "/admin/users"),
            },
        }
    }
    let form = UserForm {
        password: String::new(),
        ..form
    };
    match users_page(&st, &staff, form, errors, false).await {
        Ok(p) => render_with(StatusCode::UNPROCESSABLE_ENTITY, &p),
        Err(e) => staff.problem(&e, "/admin/users"),
    }
}

async fn user_page(
    st: &AppState,
    staff: &Staff,
    name: &str,
    form: Option<UserForm>,
    errors: FieldErrors,
    password_errors: FieldErrors,
    done: String,
) -> Result<UserPage, WebError> {
    let c = choices(st, staff).await?;
    let actor = staff.session.actor.clone();
    let all = st.run(move |s, now| s.list_users(&actor, now)).await?;
    let Some(u) = all.into_iter().find(|u| u.name == name) else {
        return Err(WebError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such user",
        ));
    };
    let form = form.unwrap_or_else(|| UserForm {
        name: u.name.clone(),
        role: u.role.as_str().to_string(),
        location: u.location.clone().unwrap_or_default(),
        agency: u.agency.clone().unwrap_or_default(),
        language: u.language.clone().unwrap_or_default(),
        password: String::new(),
    });
    let [roles, places, agencies, languages] = options(staff.tr, &c, &form);
    Ok(UserPage {
        l: staff.layout(),
        user: row(staff.tr, &u, &c),
        is_self: u.id == staff.session.actor.user_id,
        roles,
        places,
        agencies,
        languages,
        errors,
        password_errors,
        done,
    })
}

pub(super) async fn user(
    State(st): State<AppState>,
    staff: Staff,
    Path(name): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    if !is_admin(&staff) {
        return staff.problem(&forbidden(), "/");
    }
    let done = match q.done.as_deref() {
        Some("saved") => "admin-user-saved",
        Some("disabled") => "admin-user-disabled-done",
        Some("enabled") => "admin-user-enabled-done",
        Some("password") => "admin-password-done",
        _ => "",
    };
    let (e1, e2) = (FieldErrors::new(staff.tr), FieldErrors::new(staff.tr));
    match user_page(&st, &staff, &name, None, e1, e2, done.to_string()).await {
        Ok(p) => render(&p),
        Err(e) => staff.problem(&e, "/admin/users"),
    }
}

pub(super) async fn change_user(
    State(st): State<AppState>,
    Path(name): Path<String>,
    StaffForm { staff, form }: StaffForm<UserForm>,
) -> Response {
    if !is_admin(&staff) {
        return staff.problem(&forbidden(), "/");
    }
    let back = format!("/admin/users/{name}");
    let mut errors = FieldErrors::new(staff.tr);
    let role = check_user(&form, &mut errors, false);
    if let (Some(role), true) = (role, errors.is_empty()) {
        let change = UserChange {
            role: Some(role),
            location: Some(given(&form.location)),
            agency: Some(given(&form.agency)),
            language: Some(given(&form.language)),
        };
        let actor = staff.session.actor.clone();
        let n = name.clone();
        match st
            .run(move |s, now| s.update_user(&actor, &n, &change, now))
            .await
        {
            Ok(_) => return Redirect::to(&format!("{back}?done=saved")).into_response(),
            Err(e) => match FieldErrors::from_store(staff.tr, e, user_field_key) {
                Ok(fe) => errors = fe,
                Err(e) => return staff.problem(&e, &back),
            },
        }
    }
    let none = FieldErrors::new(staff.tr);
    match user_page(&st, &staff, &name, Some(form), errors, none, String::new()).await {
        Ok(p) => render_with(StatusCode::UNPROCESSABLE_ENTITY, &p),
        Err(e) => staff.problem(&e, &back),
    }
}

#[derive(Deserialize)]
pub(super) struct DisableForm {
    #[serde(default)]
    disabled: String,
}

pub(super) async fn disable_user(
    State(st): State<AppState>,
    Path(name): Path<String>,
    StaffForm { staff, form }: StaffForm<DisableForm>,
) -> Response {
    let back = format!("/admin/users/{name}");
    let disabled = form.disabled == "true";
    let actor = staff.session.actor.clone();
    let n = name.clone();
    match st
        .run(move |s, now| s.set_user_disabled(&actor, &n, disabled, now))
        .await
    {
        Ok(_) => {
            let done = if disabled { "disabled" } else { "enabled" };
            Redirect::to(&format!("{back}?done={done}")).into_response()
        }
        Err(e) => staff.problem(&e, &back),
    }
}

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub(super) async fn reset_password(
    State(st): State<AppState>,
    Path(name): Path<String>,
    StaffForm { staff, form }: StaffForm<PasswordForm>,
) -> Response {
    if !is_admin(&staff) {
        return staff.problem(&forbidden(), "/");
    }
    let back = format!("/admin/users/{name}");
    if haven_store::password::check_new_password(&form.password).is_ok() {
        let actor = staff.session.actor.clone();
        let n = name.clone();
        let password = form.password.clone();
        return match st
            .run(move |s, now| {
                let hash = haven_store::password::hash_password(&password)?;
                s.reset_password(&actor, &n, &hash, now)
            })
            .await
        {
            Ok(()) => Redirect::to(&format!("{back}?done=password")).into_response(),
            Err(e) => staff.problem(&e, &back),
        };
    }
    let mut password_errors = FieldErrors::new(staff.tr);
    password_errors.add("password", "admin-error-password");
    let none = FieldErrors::new(staff.tr);
    match user_page(
        &st,
        &staff,
        &name,
        None,
        none,
        password_errors,
        String::new(),
    )
    .await
    {
        Ok(p) => render_with(StatusCode::UNPROCESSABLE_ENTITY, &p),
        Err(e) => staff.problem(&e, &back),
    }
}

/// One audit entry as the page shows it.
struct AuditRow {
    seq: String,
    at: String,
    actor: String,
    action: String,
    target: String,
    outcome: String,
    detail: String,
    request: String,
}

/// The search as typed, kept in the form.
#[derive(Default)]
struct AuditForm {
    who: String,
    target: String,
    action: String,
    from: String,
    to: String,
    request: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    l: Layout,
    form: AuditForm,
    rows: Vec<AuditRow>,
    next: Option<String>,
    verdict: Option<String>,
    errors: FieldErrors,
}

fn audit_row(tr: Tr, e: &AuditEntry) -> AuditRow {
    AuditRow {
        seq: tr.number(e.seq),
        at: tr.date(e.at),
        actor: e.actor.clone(),
        action: e.action.clone(),
        target: e.target.clone(),
        outcome: e.outcome.clone(),
        detail: e.detail.clone(),
        request: e.request_id.clone().unwrap_or_default(),
    }
}

pub(super) async fn audit(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !is_admin(&staff) {
        return staff.problem(&forbidden(), "/");
    }
    let tr = staff.tr;
    let v = |k: &str| q.get(k).cloned().unwrap_or_default();
    let form = AuditForm {
        who: v("who"),
        target: v("target"),
        action: v("action"),
        from: v("from"),
        to: v("to"),
        request: v("request"),
    };
    let mut errors = FieldErrors::new(tr);
    for k in ["from", "to"] {
        let s = v(k);
        if !s.trim().is_empty() && haven_domain::Date::parse(s.trim()).is_none() {
            errors.add(k, "admin-error-date");
        }
    }
    let query = match crate::api::administration::audit_query(&q) {
        Ok(query) if errors.is_empty() => query,
        _ => {
            if errors.is_empty() {
                errors.add("who", "admin-error-search");
            }
            let page = AuditPage {
                l: staff.layout(),
                form,
                rows: Vec::new(),
                next: None,
                verdict: None,
                errors,
            };
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let verify = q.contains_key("verify");
    let actor = staff.session.actor.clone();
    let result = st
        .run(move |s, now| {
            let verdict = if verify {
                Some(s.check_audit(&actor, now)?)
            } else {
                None
            };
            Ok((s.search_audit(&actor, &query, 50, now)?, verdict))
        })
        .await;
    match result {
        Ok((page, verdict)) => {
            let verdict = verdict.map(|r| match r {
                Ok(n) => tr.t1("admin-audit-intact", "count", n as i64),
                // The reason is the store's own words, for whoever investigates.
                Err(p) => format!("{} ({})", tr.t1("admin-audit-broken", "n", p.seq), p.reason),
            });
            let next = page.next.map(|c| {
                let mut pairs: Vec<(String, String)> = q
                    .iter()
                    .filter(|(k, _)| k.as_str() != "cursor" && k.as_str() != "verify")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                pairs.sort();
                pairs.push(("cursor".into(), c));
                format!(
                    "/admin/audit?{}",
                    serde_urlencoded::to_string(&pairs).unwrap_or_default()
                )
            });
            render(&AuditPage {
                l: staff.layout(),
                form,
                rows: page.items.iter().map(|e| audit_row(tr, e)).collect(),
                next,
                verdict,
                errors,
            })
        }
        Err(e) => staff.problem(&e, "/admin"),
    }
}

/// The agency form as typed (adding and changing share it).
#[derive(Deserialize, Default, Clone)]
pub(super) struct AgencyForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    active: Option<String>,
}

/// An agency as a row of the list.
struct AgencyRow {
    code: String,
    name: String,
    sector: String,
    contact: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "admin_agencies.html")]
struct AgenciesPage {
    l: Layout,
    agencies: Vec<AgencyRow>,
    /// The code of the agency being changed, or empty when adding one.
    editing: String,
    form: AgencyForm,
    sectors: Vec<Opt>,
    errors: FieldErrors,
    done: bool,
}

fn sector_options(tr: Tr, chosen: &str) -> Vec<Opt> {
    haven_domain::casework::Sector::ALL
        .iter()
        .map(|s| {
            Opt::new(
                s.as_str(),
                super::layout::label(tr, "sector", s.as_str()),
                chosen,
            )
        })
        .collect()
}

async fn agencies_page(
    st: &AppState,
    staff: &Staff,
    editing: String,
    form: Option<AgencyForm>,
    errors: FieldErrors,
    done: bool,
) -> Result<AgenciesPage, WebError> {
    let actor = staff.session.actor.clone();
    let all = st.run(move |s, _| s.list_agencies(&actor)).await?;
    let tr = staff.tr;
    let form = match form {
        Some(f) => f,
        None if editing.is_empty() => AgencyForm {
            active: Some("on".into()),
            ..Default::default()
        },
        None => {
            let Some(a) = all.iter().find(|a| a.code == editing) else {
                return Err(WebError::new(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    "no such agency",
                ));
            };
            AgencyForm {
                code: a.code.clone(),
                name: a.name.clone(),
                sector: a.sector.clone().unwrap_or_default(),
                phone: a.phone.clone().unwrap_or_default(),
                email: a.email.clone().unwrap_or_default(),
                active: a.active.then(|| "on".to_string()),
            }
        }
    };
    let agencies = all
        .iter()
        .map(|a| AgencyRow {
            code: a.code.clone(),
            name: a.name.clone(),
            sector: a
                .sector
                .as_deref()
                .map_or_else(String::new, |s| super::layout::label(tr, "sector", s)),
            contact: [a.phone.clone(), a.email.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
            active: a.active,
        })
        .collect();
    Ok(AgenciesPage {
        l: staff.layout(),
        agencies,
        editing,
        sectors: sector_options(tr, &form.sector),
        form,
        errors,
        done,
    })
}

pub(super) async fn agencies(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<DoneQuery>,
) -> Response {
    if !is_admin(&staff) {
        return staff.problem(&forbidden(), "/");
    }
    let errors = FieldErrors::new(staff.tr);
    match agencies_page(&st, &staff, String::new(), None, errors, q.done.is_some()).await {
        Ok(p) => render(&p),
        Err(e) => staff.problem(&e, "/admin"),
    }
}

pub(super) async fn agency(
    State(st): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
) -> Response {
    if !is_admin(&staff) {
        return staff.problem(&forbidden(), "/");
    }
    let errors = FieldErrors::new(staff.tr);
    match agencies_page(&st, &staff, code, None, errors, false).await {
        Ok(p) => render(&p),
        Err(e) => staff.problem(&e, "/admin/agencies"),
    }
}

fn agency_field_key(field: &str) -> Option<&'static str> {
    match field {
        "code" => Some("admin-error-agency-code"),
        "name" => Some("admin-error-agency-name"),
        "sector" => Some("admin-error-agency-sector"),
        "phone" => Some("admin-error-phone"),
        "email" => Some("admin-error-email"),
        _ => None,
    }
}

async fn save_agency(st: AppState, staff: Staff, editing: String, form: AgencyForm) -> Response {
    if !is_admin(&staff) {
        return staff.problem(&forbidden(), "/");
    }
    let agency = Agency {
        code: if editing.is_empty() {
            form.code.trim().to_string()
        } else {
            editing.clone()
        },
        name: form.name.clone(),
        sector: given(&form.sector),
        phone: given(&form.phone),
        email: given(&form.email),
        active: super::forms::ticked(&form.active),
    };
    let actor = staff.session.actor.clone();
    let code = editing.clone();
    let result = st
        .run(move |s, now| {
            if code.is_empty() {
                s.create_agency(&actor, &agency, now)
            } else {
                s.update_agency(&actor, &code, &agency, now)
            }
        })
        .await;
    let errors = match result {
        Ok(_) => return Redirect::to("/admin/agencies?done=saved").into_response(),
        Err(e) if e.status == StatusCode::CONFLICT => {
            let mut errors = FieldErrors::new(staff.tr);
            errors.add("code", "admin-error-agency-code-taken");
            errors
        }
        Err(e) => match FieldErrors::from_store(staff.tr, e, agency_field_key) {
            Ok(fe) => fe,
            Err(e) => return staff.problem(&e, "/admin/agencies"),
        },
    };
    match agencies_page(&st, &staff, editing, Some(form), errors, false).await {
        Ok(p) => render_with(StatusCode::UNPROCESSABLE_ENTITY, &p),
        Err(e) => staff.problem(&e, "/admin/agencies"),
    }
}

pub(super) async fn add_agency(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<AgencyForm>,
) -> Response {
    save_agency(st, staff, String::new(), form).await
}

pub(super) async fn change_agency(
    State(st): State<AppState>,
    Path(code): Path<String>,
    StaffForm { staff, form }: StaffForm<AgencyForm>,
) -> Response {
    save_agency(st, staff, code, form).await
}
