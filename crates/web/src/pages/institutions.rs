//! Care institutions and schools: the list in the person's area with those
//! overdue for inspection marked, one institution with its inspections,
//! and the forms to add or change one (administrators) and to record an
//! inspection (administrators and supervisors). Regular inspection of
//! care institutions is what keeps children in them safe; the store
//! enforces who may do what and audits every change.

use super::children::{district_options, locations, place_name};
use super::forms::{given, ticked, FieldErrors, StaffForm};
use super::layout::{label, render_with, vocabulary_options, Layout, Opt, Staff};
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::{Date, Institution, InstitutionKind, Role};
use haven_store::administration::NewInspection;
use serde::Deserialize;
use std::collections::HashSet;

const KINDS: [&str; 2] = ["care_institution", "school"];

/// An institution as typed.
#[derive(Clone, Default, Deserialize)]
pub(super) struct InstitutionForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    registered: Option<String>,
    #[serde(default)]
    monitored: Option<String>,
}

/// An inspection as typed.
#[derive(Clone, Default, Deserialize)]
pub(super) struct InspectionForm {
    #[serde(default)]
    inspected_on: String,
    #[serde(default)]
    inspector: String,
    #[serde(default)]
    findings: String,
    #[serde(default)]
    next_due: String,
}

struct Row {
    id: String,
    name: String,
    kind: String,
    district: String,
    registered: bool,
    monitored: bool,
    last: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "institutions.html")]
struct ListPage {
    l: Layout,
    rows: Vec<Row>,
    /// The add form, for administrators.
    add: Option<Fields>,
    errors: FieldErrors,
}

/// The institution form's fields and options.
struct Fields {
    form: InstitutionForm,
    kinds: Vec<Opt>,
    districts: Vec<Opt>,
}

struct InspectionLine {
    day: String,
    inspector: String,
    findings: String,
    next: Option<String>,
    by: String,
}

#[derive(Template)]
#[template(path = "institution.html")]
struct InstitutionPage {
    l: Layout,
    id: String,
    name: String,
    kind: String,
    district: String,
    registered: bool,
    monitored: bool,
    due: String,
    overdue: bool,
    children: String,
    inspections: Vec<InspectionLine>,
    edit: Option<Fields>,
    inspect: InspectionForm,
    errors: FieldErrors,
}

fn may_view(staff: &Staff) -> bool {
    matches!(staff.session.actor.role, Role::Admin | Role::Supervisor)
}

fn forbidden() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "institutions are kept by administrators and supervisors",
    )
}

fn fields(staff: &Staff, locs: &[haven_domain::Location], form: InstitutionForm) -> Fields {
    let tr = staff.tr;
    Fields {
        kinds: std::iter::once(Opt::new("", tr.t("choose"), &form.kind))
            .chain(vocabulary_options(
                tr,
                "institution-kind",
                &KINDS,
                &form.kind,
            ))
            .collect(),
        districts: std::iter::once(Opt::new("", tr.t("choose"), &form.location))
            .chain(district_options(locs, &form.location))
            .collect(),
        form,
    }
}

async fn list_page(
    st: &AppState,
    staff: &Staff,
    typed: Option<InstitutionForm>,
    errors: FieldErrors,
) -> Response {
    if !may_view(staff) {
        return staff.problem(&forbidden(), "/");
    }
    let locs = match locations(st, staff).await {
        Ok(l) => l,
        Err(e) => return staff.problem(&e, "/"),
    };
    let actor = staff.session.actor.clone();
    let found = st
        .run(move |s, now| {
            Ok((
                s.list_institutions(&actor)?,
                s.overdue_inspections(&actor, now)?,
            ))
        })
        .await;
    let (all, overdue) = match found {
        Ok(f) => f,
        Err(e) => return staff.problem(&e, "/"),
    };
    let late: HashSet<String> = overdue.into_iter().map(|o| o.institution.id).collect();
    let tr = staff.tr;
    let rows = all
        .iter()
        .map(|i| Row {
            id: i.id.clone(),
            name: i.name.clone(),
            kind: label(tr, "institution-kind", i.kind.as_str()),
            district: place_name(&locs, &i.location),
            registered: i.registered,
            monitored: i.monitored,
            last: i
                .last_inspection
                .map_or_else(|| tr.t("institution-never"), |d| tr.day(d)),
            overdue: late.contains(&i.id),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let add = (staff.session.actor.role == Role::Admin).then(|| {
        let form = typed.unwrap_or(InstitutionForm {
            registered: Some("on".into()),
            ..Default::default()
        });
        fields(staff, &locs, form)
    });
    render_with(
        status,
        &ListPage {
            l: staff.layout(),
            rows,
            add,
            errors,
        },
    )
}

pub(super) async fn list(State(st): State<AppState>, staff: Staff) -> Response {
    let errors = FieldErrors::new(staff.tr);
    list_page(&st, &staff, None, errors).await
}

/// Checks an institution form; the store checks it again (and the area).
fn check(form: &InstitutionForm, errors: &mut FieldErrors) -> Option<Institution> {
    let kind = InstitutionKind::parse(form.kind.trim());
    if kind.is_none() {
        errors.add("kind", "institution-error-kind");
    }
    if given(&form.name).is_none() {
        errors.add("name", "institution-error-name");
    }
    if given(&form.location).is_none() {
        errors.add("location", "institution-error-location");
    }
    Some(Institution {
        id: String::new(),
        kind: kind?,
        name: form.name.trim().to_string(),
        location: form.location.trim().to_string(),
        registered: ticked(&form.registered),
        monitored: ticked(&form.monitored),
        last_inspection: None,
    })
    .filter(|_| errors.is_empty())
}

fn field_key(field: &str) -> Option<&'static str> {
    match field {
        "name" => Some("institution-error-name"),
        "location" => Some("institution-error-location"),
        "kind" => Some("institution-error-kind"),
        "inspector" => Some("inspection-error-inspector"),
        "findings" => Some("inspection-error-findings"),
        "inspected_on" => Some("inspection-error-day"),
        "next_due" => Some("inspection-error-next"),
        _ => None,
    }
}

pub(super) async fn add(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<InstitutionForm>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    let Some(institution) = check(&form, &mut errors) else {
        return list_page(&st, &staff, Some(form), errors).await;
    };
    let actor = staff.session.actor.clone();
    match st
        .run(move |s, now| s.create_institution(&actor, &institution, now))
        .await
    {
        Ok(i) => Redirect::to(&format!("/admin/institutions/{}", i.id)).into_response(),
        Err(e) => match FieldErrors::from_store(staff.tr, e, field_key) {
            Ok(errors) => list_page(&st, &staff, Some(form), errors).await,
            Err(e) => staff.problem(&e, "/admin/institutions"),
        },
    }
}

async fn institution_page(
    st: &AppState,
    staff: &Staff,
    id: String,
    typed: (Option<InstitutionForm>, InspectionForm),
    errors: FieldErrors,
) -> Response {
    if !may_view(staff) {
        return staff.problem(&forbidden(), "/");
    }
    let locs = match locations(st, staff).await {
        Ok(l) => l,
        Err(e) => return staff.problem(&e, "/"),
    };
    let actor = staff.session.actor.clone();
    let file = match st
        .run(move |s, now| s.get_institution(&actor, &id, now))
        .await
    {
        Ok(f) => f,
        Err(e) => return staff.problem(&e, "/admin/institutions"),
    };
    let tr = staff.tr;
    let i = &file.status.institution;
    let edit = (staff.session.actor.role == Role::Admin).then(|| {
        let form = typed.0.unwrap_or_else(|| InstitutionForm {
            kind: i.kind.as_str().to_string(),
            name: i.name.clone(),
            location: i.location.clone(),
            registered: i.registered.then(|| "on".into()),
            monitored: i.monitored.then(|| "on".into()),
        });
        fields(staff, &locs, form)
    });
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = InstitutionPage {
        l: staff.layout(),
        id: i.id.clone(),
        name: i.name.clone(),
        kind: label(tr, "institution-kind", i.kind.as_str()),
        district: place_name(&locs, &i.location),
        registered: i.registered,
        monitored: i.monitored,
        due: match (file.status.next_inspection_due, i.last_inspection) {
            (Some(d), _) => tr.day(d),
            (None, None) => tr.t("institution-never"),
            (None, Some(_)) => tr.t("institution-no-date"),
        },
        overdue: file.status.overdue,
        children: tr.number(file.children),
        inspections: file
            .inspections
            .iter()
            .map(|n| InspectionLine {
                day: tr.day(n.inspected_on),
                inspector: n.inspector.clone(),
                findings: n.findings.clone(),
                next: n.next_due.map(|d| tr.day(d)),
                by: n.recorded_by.clone(),
            })
            .collect(),
        edit,
        inspect: typed.1,
        errors,
    };
    render_with(status, &page)
}

pub(super) async fn show(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Response {
    let errors = FieldErrors::new(staff.tr);
    institution_page(&st, &staff, id, (None, InspectionForm::default()), errors).await
}

pub(super) async fn change(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<InstitutionForm>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    let typed = (Some(form.clone()), InspectionForm::default());
    let Some(institution) = check(&form, &mut errors) else {
        return institution_page(&st, &staff, id, typed, errors).await;
    };
    let actor = staff.session.actor.clone();
    let which = id.clone();
    match st
        .run(move |s, now| s.update_institution(&actor, &which, &institution, now))
        .await
    {
        Ok(_) => Redirect::to(&format!("/admin/institutions/{id}")).into_response(),
        Err(e) => match FieldErrors::from_store(staff.tr, e, field_key) {
            Ok(errors) => institution_page(&st, &staff, id, typed, errors).await,
            Err(e) => staff.problem(&e, &format!("/admin/institutions/{id}")),
        },
    }
}

pub(super) async fn inspect(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<InspectionForm>,
) -> Response {
    let mut errors = FieldErrors::new(staff.tr);
    let day = Date::parse(form.inspected_on.trim());
    if day.is_none() {
        errors.add("inspected_on", "inspection-error-day");
    }
    let next = match form.next_due.trim() {
        "" => Some(None),
        d => Date::parse(d).map(Some),
    };
    if next.is_none() {
        errors.add("next_due", "inspection-error-next");
    }
    if given(&form.inspector).is_none() {
        errors.add("inspector", "inspection-error-inspector");
    }
    if given(&form.findings).is_none() {
        errors.add("findings", "inspection-error-findings");
    }
    let typed = (None, form.clone());
    let (Some(inspected_on), Some(next_due)) = (day, next) else {
        return institution_page(&st, &staff, id, typed, errors).await;
    };
    if !errors.is_empty() {
        return institution_page(&st, &staff, id, typed, errors).await;
    }
    let inspection = NewInspection {
        inspected_on,
        inspector: form.inspector.trim().to_string(),
        findings: form.findings.trim().to_string(),
        next_due,
    };
    let actor = staff.session.actor.clone();
    let which = id.clone();
    match st
        .run(move |s, now| s.record_inspection(&actor, &which, &inspection, now))
        .await
    {
        Ok(_) => Redirect::to(&format!("/admin/institutions/{id}")).into_response(),
        Err(e) => match FieldErrors::from_store(staff.tr, e, field_key) {
            Ok(errors) => institution_page(&st, &staff, id, typed, errors).await,
            Err(e) => staff.problem(&e, &format!("/admin/institutions/{id}")),
        },
    }
}
