//! The children's pages: the list with its search and filters, the
//! registration form (with the duplicate warning after it), a child's page
//! and the edit form.
//!
//! The registration form is a typed form: [`ChildForm`] keeps every field
//! as typed, [`check`] turns it into a [`NewChild`] (and a household) or
//! into errors in plain words beside each field, and a refused form comes
//! back as the same page, 422, with what was typed kept.

use super::assessments::{self, AssessmentSection};
use super::cases::{self, CaseSection};
use super::forms::{given, ticked, FieldErrors, StaffForm};
use super::layout::{label, render, render_with, vocabulary_options, Layout, Opt, Staff};
use crate::api::children_filter;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::child::{AGE_BANDS, MAX_CHILD_AGE};
use haven_domain::validation::is_bidi_control;
use haven_domain::{
    BirthRegistration, Child, ChildPatch, Date, LivingSituation, Location, LocationLevel,
    NewCaregiver, NewChild, NewHousehold, Sex,
};
use haven_store::PossibleDuplicate;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

fn sexes(tr: Tr, chosen: &str) -> Vec<Opt> {
    let all: Vec<&str> = Sex::ALL.iter().map(|s| s.as_str()).collect();
    vocabulary_options(tr, "sex", &all, chosen)
}

fn registrations(tr: Tr, chosen: &str) -> Vec<Opt> {
    let all: Vec<&str> = BirthRegistration::ALL.iter().map(|s| s.as_str()).collect();
    vocabulary_options(tr, "birth-registration", &all, chosen)
}

fn living_situations(tr: Tr, chosen: &str) -> Vec<Opt> {
    let all: Vec<&str> = LivingSituation::ALL.iter().map(|s| s.as_str()).collect();
    vocabulary_options(tr, "living", &all, chosen)
}

/// The places the person works in (the store enforces it anyway; this
/// only keeps the lists short and free of places they would be refused).
pub(super) async fn locations(st: &AppState, staff: &Staff) -> Result<Vec<Location>, WebError> {
    let actor = staff.session.actor.clone();
    let mut all = st.run(move |store, _| store.list_locations(&actor)).await?;
    if let Some(scope) = &staff.session.actor.scope_path {
        if let Some(own) = scope.trim_matches('/').split('/').next_back() {
            let mut keep = HashSet::from([own.to_string()]);
            for _ in 0..3 {
                for l in &all {
                    if l.parent.as_ref().is_some_and(|p| keep.contains(p)) {
                        keep.insert(l.code.clone());
                    }
                }
            }
            all.retain(|l| keep.contains(&l.code));
        }
    }
    Ok(all)
}

/// A district's name by its code (the code itself when unknown).
pub(super) fn place_name(locs: &[Location], code: &str) -> String {
    locs.iter()
        .find(|l| l.code == code)
        .map_or_else(|| code.to_string(), |l| l.name.clone())
}

pub(super) fn district_options(locs: &[Location], chosen: &str) -> Vec<Opt> {
    let mut d: Vec<Opt> = locs
        .iter()
        .filter(|l| l.level == LocationLevel::District)
        .map(|l| Opt::new(&l.code, l.name.clone(), chosen))
        .collect();
    d.sort_by(|a, b| a.label.cmp(&b.label));
    d
}

/// Every place, each under its parent, indented by its level.
pub(super) fn place_options(locs: &[Location], chosen: &str) -> Vec<Opt> {
    locs.iter()
        .map(|l| {
            let indent = match l.level {
                LocationLevel::Country => "",
                LocationLevel::Region => "\u{2014} ",
                LocationLevel::District => "\u{2014}\u{2014} ",
            };
            Opt::new(&l.code, format!("{indent}{}", l.name), chosen)
        })
        .collect()
}

/// A child's age as a list shows it ("12", or "about 12" for an estimate).
fn age_text(tr: Tr, c: &Child, today: Date) -> String {
    let age = tr.number(c.age_on(today));
    if c.date_of_birth_estimated {
        tr.t1("child-age-about", "n", age)
    } else {
        age
    }
}

struct ChildRow {
    id: String,
    name: String,
    sex: String,
    age: String,
    district: String,
    registration: String,
}

#[derive(Template)]
#[template(path = "children_list.html")]
struct ChildrenListPage {
    l: Layout,
    name: String,
    places: Vec<Opt>,
    sexes: Vec<Opt>,
    bands: Vec<Opt>,
    registrations: Vec<Opt>,
    rows: Vec<ChildRow>,
    next: Option<String>,
    errors: FieldErrors,
}

/// The message for a filter the list refused.
fn filter_error_key(field: &str) -> Option<&'static str> {
    match field {
        "name" => Some("children-error-search-name"),
        "sex" | "age_band" | "birth_registration" | "location" | "cursor" => {
            Some("children-error-filter")
        }
        _ => None,
    }
}

pub(super) async fn list(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let tr = staff.tr;
    let locs = match locations(&st, &staff).await {
        Ok(l) => l,
        Err(e) => return staff.problem(&e, "/"),
    };
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let bands = std::iter::once(Opt::new("", tr.t("children-any-age"), get("age_band")))
        .chain(AGE_BANDS.iter().map(|(band, first, last)| {
            let text = tr.t2("children-age-band", "first", *first, "last", *last);
            Opt::new(band, text, get("age_band"))
        }))
        .collect();
    let any = |chosen: &str| Opt::new("", tr.t("children-any"), chosen);
    let mut page = ChildrenListPage {
        l: staff.layout(),
        name: get("name").to_string(),
        places: std::iter::once(Opt::new("", tr.t("children-any-place"), get("location")))
            .chain(place_options(&locs, get("location")))
            .collect(),
        sexes: std::iter::once(any(get("sex")))
            .chain(sexes(tr, get("sex")))
            .collect(),
        bands,
        registrations: std::iter::once(any(get("birth_registration")))
            .chain(registrations(tr, get("birth_registration")))
            .collect(),
        rows: Vec::new(),
        next: None,
        errors: FieldErrors::new(tr),
    };
    let refused = |page: ChildrenListPage, e: WebError| match FieldErrors::from_store(
        tr,
        e,
        filter_error_key,
    ) {
        Ok(errors) => render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ChildrenListPage { errors, ..page },
        ),
        Err(e) => staff.problem(&e, "/"),
    };
    let filter = match children_filter(&q) {
        Ok(f) => f,
        Err(e) => return refused(page, e),
    };
    let actor = staff.session.actor.clone();
    let cursor = q.get("cursor").cloned();
    let found = st
        .run(move |store, now| store.list_children(&actor, &filter, cursor.as_deref(), 25, now))
        .await;
    let found = match found {
        Ok(p) => p,
        Err(e) => return refused(page, e),
    };
    let today = Date::from_unix(st.now());
    page.rows = found
        .items
        .iter()
        .map(|c| ChildRow {
            id: c.id.clone(),
            name: c.full_name(),
            sex: label(tr, "sex", c.sex.as_str()),
            age: age_text(tr, c, today),
            district: place_name(&locs, &c.location),
            registration: label(tr, "birth-registration", c.birth_registration.as_str()),
        })
        .collect();
    page.next = found.next.map(|n| {
        let mut params: Vec<String> = q
            .iter()
            .filter(|(k, _)| k.as_str() != "cursor")
            .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
            .collect();
        params.sort();
        params.push(format!("cursor={}", url_encode(&n)));
        format!("/children?{}", params.join("&"))
    });
    render(&page)
}

pub(super) fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The child form as typed: every field text, judged only by [`check`].
#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct ChildForm {
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    estimated_age: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    birth_registration: String,
    #[serde(default)]
    living_situation: String,
    #[serde(default)]
    minority_group: String,
    #[serde(default)]
    in_school: Option<String>,
    #[serde(default)]
    disability: Option<String>,
    #[serde(default)]
    child_labour: Option<String>,
    #[serde(default)]
    address: String,
    #[serde(default)]
    caregiver_given_name: String,
    #[serde(default)]
    caregiver_family_name: String,
    #[serde(default)]
    caregiver_relationship: String,
    #[serde(default)]
    caregiver_contact: String,
}

impl ChildForm {
    /// A child's record as the edit form shows it: an estimated date of
    /// birth is shown as the age it gives, since that is what was known.
    fn of(c: &Child, today: Date) -> ChildForm {
        let on = |b: bool| b.then(|| "on".to_string());
        let (date_of_birth, estimated_age) = if c.date_of_birth_estimated {
            (String::new(), c.age_on(today).to_string())
        } else {
            (c.date_of_birth.to_string(), String::new())
        };
        ChildForm {
            given_name: c.given_name.clone(),
            family_name: c.family_name.clone(),
            sex: c.sex.as_str().into(),
            date_of_birth,
            estimated_age,
            location: c.location.clone(),
            birth_registration: c.birth_registration.as_str().into(),
            living_situation: c.living_situation.as_str().into(),
            minority_group: c.minority_group.clone().unwrap_or_default(),
            in_school: on(c.in_school),
            disability: on(c.disability),
            child_labour: on(c.child_labour),
            ..ChildForm::default()
        }
    }

    fn has_household(&self) -> bool {
        [
            &self.address,
            &self.caregiver_given_name,
            &self.caregiver_family_name,
            &self.caregiver_relationship,
            &self.caregiver_contact,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }
}

/// What a checked form holds: the child, and a household when one was given.
struct Checked {
    child: NewChild,
    household: Option<NewHousehold>,
}

/// What is wrong with a name or short text, if anything.
fn text_problem(v: &str, max: usize, too_long: &'static str) -> Option<&'static str> {
    let v = v.trim();
    if v.chars().count() > max {
        Some(too_long)
    } else if v.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        Some("child-error-characters")
    } else {
        None
    }
}

/// Judges the form: the child (and household) to save, or what is wrong,
/// field by field. `districts` are the codes the person may register in.
fn check(
    f: &ChildForm,
    tr: Tr,
    today: Date,
    districts: &[&str],
    with_household: bool,
) -> Result<Checked, FieldErrors> {
    let mut e = FieldErrors::new(tr);
    let name = |e: &mut FieldErrors, field: &str, v: &str| {
        if let Some(key) = text_problem(v, 100, "child-error-too-long") {
            e.add(field, key);
        }
    };
    if f.given_name.trim().is_empty() {
        e.add("given_name", "child-error-given-name");
    }
    name(&mut e, "given_name", &f.given_name);
    name(&mut e, "family_name", &f.family_name);
    name(&mut e, "minority_group", &f.minority_group);
    let sex = Sex::parse(f.sex.trim());
    if sex.is_none() {
        e.add("sex", "child-error-sex");
    }
    let age = given(&f.estimated_age);
    match (given(&f.date_of_birth), &age) {
        (Some(_), Some(_)) => e.add("estimated_age", "child-error-dob-and-age"),
        (None, None) => e.add("date_of_birth", "child-error-dob-or-age"),
        (Some(d), None) => match Date::parse(&d) {
            None => e.add("date_of_birth", "child-error-dob-format"),
            Some(d) if d > today => e.add("date_of_birth", "child-error-dob-future"),
            Some(d) if d.age_on(today) > MAX_CHILD_AGE => {
                e.add("date_of_birth", "child-error-dob-adult")
            }
            Some(_) => {}
        },
        (None, Some(a)) => match a.parse::<i64>() {
            Err(_) => e.add("estimated_age", "child-error-age-number"),
            Ok(a) if !(0..=i64::from(MAX_CHILD_AGE)).contains(&a) => {
                e.add("estimated_age", "child-error-age-range")
            }
            Ok(_) => {}
        },
    }
    let location = f.location.trim().to_string();
    if !districts.contains(&location.as_str()) {
        e.add("location", "child-error-district");
    }
    let birth_registration = given(&f.birth_registration);
    if birth_registration
        .as_deref()
        .is_some_and(|b| BirthRegistration::parse(b).is_none())
    {
        e.add("birth_registration", "child-error-choose");
    }
    let living_situation = given(&f.living_situation);
    if living_situation
        .as_deref()
        .is_some_and(|l| LivingSituation::parse(l).is_none())
    {
        e.add("living_situation", "child-error-choose");
    }
    let household = if with_household && f.has_household() {
        if f.caregiver_given_name.trim().is_empty() {
            e.add("caregiver_given_name", "child-error-caregiver-name");
        }
        name(&mut e, "caregiver_given_name", &f.caregiver_given_name);
        name(&mut e, "caregiver_family_name", &f.caregiver_family_name);
        name(&mut e, "caregiver_relationship", &f.caregiver_relationship);
        if let Some(key) = text_problem(&f.address, 500, "child-error-address-too-long") {
            e.add("address", key);
        }
        if let Some(key) = text_problem(&f.caregiver_contact, 200, "child-error-contact-too-long") {
            e.add("caregiver_contact", key);
        }
        Some(NewHousehold {
            location: location.clone(),
            address: f.address.trim().to_string(),
            caregivers: vec![NewCaregiver {
                given_name: f.caregiver_given_name.trim().to_string(),
                family_name: f.caregiver_family_name.trim().to_string(),
                relationship: given(&f.caregiver_relationship)
                    .unwrap_or_else(|| "caregiver".into()),
                contact: f.caregiver_contact.trim().to_string(),
            }],
        })
    } else {
        None
    };
    let child = NewChild {
        given_name: f.given_name.trim().to_string(),
        family_name: f.family_name.trim().to_string(),
        sex: sex.map(|s| s.as_str().to_string()).unwrap_or_default(),
        date_of_birth: given(&f.date_of_birth),
        estimated_age: age.and_then(|a| a.parse().ok()),
        location,
        birth_registration,
        disability: ticked(&f.disability),
        minority_group: given(&f.minority_group),
        living_situation,
        in_school: ticked(&f.in_school),
        child_labour: ticked(&f.child_labour),
        household_id: None,
    };
    e.into_result(Checked { child, household })
}

/// The form field and message for a field the store refused (its names
/// carry the place in a family registration: `children[0].sex`).
fn store_field(field: &str) -> Option<(&'static str, &'static str)> {
    let field = field
        .trim_start_matches("children[0].")
        .trim_start_matches("household.");
    Some(match field {
        "given_name" => ("given_name", "child-error-given-name"),
        "family_name" => ("family_name", "child-error-too-long"),
        "sex" => ("sex", "child-error-sex"),
        "date_of_birth" => ("date_of_birth", "child-error-dob-or-age"),
        "estimated_age" => ("estimated_age", "child-error-age-range"),
        "location" => ("location", "child-error-district"),
        "birth_registration" => ("birth_registration", "child-error-choose"),
        "living_situation" => ("living_situation", "child-error-choose"),
        "minority_group" => ("minority_group", "child-error-too-long"),
        "household_id" => ("location", "child-error-household"),
        "address" => ("address", "child-error-address-too-long"),
        "caregivers[0].given_name" => ("caregiver_given_name", "child-error-caregiver-name"),
        "caregivers[0].family_name" => ("caregiver_family_name", "child-error-too-long"),
        "caregivers[0].relationship" => ("caregiver_relationship", "child-error-relationship"),
        "caregivers[0].contact" => ("caregiver_contact", "child-error-contact-too-long"),
        _ => return None,
    })
}

/// The store's refusal of fields as errors beside the form's fields; any
/// other refusal is given back.
pub(super) fn store_errors(
    tr: Tr,
    e: WebError,
    map: fn(&str) -> Option<(&'static str, &'static str)>,
) -> Result<FieldErrors, WebError> {
    if e.status != StatusCode::UNPROCESSABLE_ENTITY || e.fields.is_empty() {
        return Err(e);
    }
    let mut errors = FieldErrors::new(tr);
    for f in &e.fields {
        match map(&f.field) {
            Some((field, key)) => errors.add(field, key),
            None => return Err(e),
        }
    }
    Ok(errors)
}

#[derive(Template)]
#[template(path = "child_form.html")]
struct ChildFormPage {
    l: Layout,
    heading: String,
    action: String,
    submit_key: &'static str,
    v: ChildForm,
    in_school: bool,
    disability: bool,
    child_labour: bool,
    sexes: Vec<Opt>,
    districts: Vec<Opt>,
    registrations: Vec<Opt>,
    livings: Vec<Opt>,
    with_household: bool,
    errors: FieldErrors,
}

/// Which form: registering (with a household) or editing a record.
enum Purpose {
    Register,
    Edit { id: String, name: String },
}

fn form_page(
    staff: &Staff,
    locs: &[Location],
    purpose: &Purpose,
    v: ChildForm,
    errors: FieldErrors,
) -> ChildFormPage {
    let tr = staff.tr;
    let (heading, action, submit_key, with_household) = match purpose {
        Purpose::Register => (
            tr.t("child-register-title"),
            "/children".to_string(),
            "child-save-register",
            true,
        ),
        Purpose::Edit { id, name } => (
            tr.t1("child-edit-title", "name", name.as_str()),
            format!("/children/{id}/edit"),
            "child-save",
            false,
        ),
    };
    let choose = |chosen: &str| Opt::new("", tr.t("choose"), chosen);
    ChildFormPage {
        l: staff.layout(),
        heading,
        action,
        submit_key,
        in_school: ticked(&v.in_school),
        disability: ticked(&v.disability),
        child_labour: ticked(&v.child_labour),
        sexes: std::iter::once(choose(&v.sex))
            .chain(sexes(tr, &v.sex))
            .collect(),
        districts: std::iter::once(choose(&v.location))
            .chain(district_options(locs, &v.location))
            .collect(),
        registrations: registrations(tr, &v.birth_registration),
        livings: living_situations(tr, &v.living_situation),
        with_household,
        errors,
        v,
    }
}

fn forbidden_to_register() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "your role cannot register children",
    )
}

pub(super) async fn new_form(State(st): State<AppState>, staff: Staff) -> Response {
    // A form the role could not submit is not shown at all.
    if !staff.session.actor.role.handles_children() {
        return staff.problem(&forbidden_to_register(), "/");
    }
    let locs = match locations(&st, &staff).await {
        Ok(l) => l,
        Err(e) => return staff.problem(&e, "/"),
    };
    let v = ChildForm {
        birth_registration: BirthRegistration::Unknown.as_str().into(),
        ..ChildForm::default()
    };
    let errors = FieldErrors::new(staff.tr);
    render(&form_page(&staff, &locs, &Purpose::Register, v, errors))
}

/// Checks a typed child form against the places the person may use:
/// the checked form, or the page again with its errors.
async fn checked(
    st: &AppState,
    staff: &Staff,
    form: &ChildForm,
    purpose: &Purpose,
) -> Result<(Checked, Vec<Location>), Response> {
    let locs = locations(st, staff)
        .await
        .map_err(|e| staff.problem(&e, "/"))?;
    let districts: Vec<&str> = locs
        .iter()
        .filter(|l| l.level == LocationLevel::District)
        .map(|l| l.code.as_str())
        .collect();
    let today = Date::from_unix(st.now());
    let with_household = matches!(purpose, Purpose::Register);
    match check(form, staff.tr, today, &districts, with_household) {
        Ok(c) => Ok((c, locs)),
        Err(errors) => Err(refused(staff, &locs, purpose, form.clone(), errors)),
    }
}

fn refused(
    staff: &Staff,
    locs: &[Location],
    purpose: &Purpose,
    form: ChildForm,
    errors: FieldErrors,
) -> Response {
    let page = form_page(staff, locs, purpose, form, errors);
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub(super) async fn create(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<ChildForm>,
) -> Response {
    if !staff.session.actor.role.handles_children() {
        return staff.problem(&forbidden_to_register(), "/");
    }
    let (Checked { child, household }, locs) =
        match checked(&st, &staff, &form, &Purpose::Register).await {
            Ok(c) => c,
            Err(page) => return page,
        };
    let actor = staff.session.actor.clone();
    let result = match household {
        Some(household) => {
            st.run(move |store, now| {
                store
                    .register_family(&actor, &household, &[child], now)
                    .map(|(_, kids)| kids.into_iter().next())
            })
            .await
        }
        None => {
            st.run(move |store, now| {
                store
                    .create_child(&actor, &child, now)
                    .map(|(c, _)| Some(c))
            })
            .await
        }
    };
    match result {
        Ok(Some(c)) => Redirect::to(&format!("/children/{}?registered=1", c.id)).into_response(),
        Ok(None) => {
            let e = WebError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the child was not saved",
            );
            staff.problem(&e, "/children")
        }
        Err(e) => match store_errors(staff.tr, e, store_field) {
            Ok(errors) => refused(&staff, &locs, &Purpose::Register, form, errors),
            Err(e) => staff.problem(&e, "/children/new"),
        },
    }
}

/// A reason two records may be the same child, in the reader's words
/// (the duplicate finder writes them in English for the API).
fn reason_text(tr: Tr, reason: &str) -> String {
    let number = |s: &str| {
        s.chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse::<i64>()
            .unwrap_or(0)
    };
    match reason {
        "same name" => tr.t("duplicate-same-name"),
        "same name when transliterated" => tr.t("duplicate-same-name-transliterated"),
        "same date of birth" => tr.t("duplicate-same-birth"),
        "ages within the range of an estimate" => tr.t("duplicate-estimate-range"),
        "same district" => tr.t("duplicate-same-district"),
        "neighbouring district in the same region" => tr.t("duplicate-neighbour-district"),
        r if r.starts_with("similar name") => tr.t1("duplicate-similar-name", "score", number(r)),
        r if r.starts_with("dates of birth") => {
            tr.t1("duplicate-birth-days-apart", "days", number(r))
        }
        other => other.to_string(),
    }
}

struct DuplicateItem {
    id: String,
    name: String,
    summary: String,
    reasons: String,
}

fn duplicate_items(
    tr: Tr,
    d: &[PossibleDuplicate],
    locs: &[Location],
    today: Date,
) -> Vec<DuplicateItem> {
    d.iter()
        .map(|p| DuplicateItem {
            id: p.child.id.clone(),
            name: p.child.full_name(),
            summary: tr.t2(
                "duplicate-item",
                "count",
                p.child.age_on(today),
                "place",
                place_name(locs, &p.child.location),
            ),
            reasons: p
                .reasons
                .iter()
                .map(|r| reason_text(tr, r))
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect()
}

struct ChildView {
    id: String,
    name: String,
    sex: String,
    age: String,
    born: String,
    district: String,
    registration: String,
    living: String,
    in_school: bool,
    disability: bool,
    child_labour: bool,
    minority: Option<String>,
}

struct HouseholdView {
    address: String,
    caregivers: Vec<String>,
}

/// The institution or school the child's record names.
struct InstitutionView {
    name: String,
    kind: String,
    /// Its page, for those who keep institutions.
    href: Option<String>,
}

#[derive(Template)]
#[template(path = "child.html")]
struct ChildPage {
    l: Layout,
    c: ChildView,
    notice: Option<String>,
    warning: Option<String>,
    duplicates: Vec<DuplicateItem>,
    household: Option<HouseholdView>,
    institution: Option<InstitutionView>,
    /// The institutions in the caller's area to link the child to.
    institutions: Vec<Opt>,
    case: CaseSection,
    a: AssessmentSection,
    errors: FieldErrors,
}

/// What a child's page shows beside the record: a notice, and the values
/// and errors of a form on it that was refused.
pub(super) struct ChildExtras {
    /// The status to answer with (422 when a form on the page was refused).
    pub status: StatusCode,
    /// A confirmation.
    pub notice: Option<String>,
    /// A warning that asks for action.
    pub warning: Option<String>,
    /// The level and reason typed into the confirmation form.
    pub confirm: Option<(String, String)>,
    /// The caseworker named in the form that opens a case.
    pub assigned_to: String,
    /// Errors beside those fields.
    pub errors: FieldErrors,
}

impl ChildExtras {
    /// Nothing beyond the record.
    pub fn none(tr: Tr) -> ChildExtras {
        ChildExtras {
            status: StatusCode::OK,
            notice: None,
            warning: None,
            confirm: None,
            assigned_to: String::new(),
            errors: FieldErrors::new(tr),
        }
    }
}

/// A child's page: the record, possible duplicates, the household, the
/// case and the assessments.
pub(super) async fn child_page(
    st: &AppState,
    staff: &Staff,
    id: String,
    extras: ChildExtras,
) -> Response {
    let tr = staff.tr;
    let actor = staff.session.actor.clone();
    let result = st
        .run(move |store, now| {
            let child = store.get_child(&actor, &id, now)?;
            let dups = store.possible_duplicates(&actor, &id, now)?;
            let household = match &child.household_id {
                Some(h) => Some(store.get_household(&actor, h, now)?),
                None => None,
            };
            let history = store.child_assessments(&actor, &id, now)?;
            let instrument = store.current_instrument(now)?;
            let filter = haven_store::casework::CaseFilter {
                child_id: Some(id.clone()),
                include_closed: true,
                ..Default::default()
            };
            let cases = store.list_cases(&actor, &filter, now)?;
            let institutions = store.list_institutions(&actor)?;
            Ok((
                child,
                dups,
                household,
                history,
                instrument,
                cases,
                institutions,
            ))
        })
        .await;
    let (c, dups, household, history, instrument, case_list, institutions) = match result {
        Ok(r) => r,
        Err(e) => return staff.problem(&e, "/children"),
    };
    let locs = locations(st, staff).await.unwrap_or_default();
    let now = st.now();
    let today = Date::from_unix(now);
    let view = ChildView {
        id: c.id.clone(),
        name: c.full_name(),
        sex: label(tr, "sex", c.sex.as_str()),
        age: tr.t1("child-age-value", "count", c.age_on(today)),
        born: tr.t1(
            if c.date_of_birth_estimated {
                "child-born-estimated"
            } else {
                "child-born"
            },
            "when",
            tr.day(c.date_of_birth),
        ),
        district: place_name(&locs, &c.location),
        registration: label(tr, "birth-registration", c.birth_registration.as_str()),
        living: label(tr, "living", c.living_situation.as_str()),
        in_school: c.in_school,
        disability: c.disability,
        child_labour: c.child_labour,
        minority: c.minority_group.clone(),
    };
    let household = household.map(|h| HouseholdView {
        address: h.address,
        caregivers: h
            .caregivers
            .iter()
            .map(|g| {
                let name = format!("{} {}", g.given_name, g.family_name);
                let mut text = tr.t2(
                    "child-caregiver",
                    "name",
                    name.trim(),
                    "who",
                    g.relationship.as_str(),
                );
                if !g.contact.is_empty() {
                    text = format!("{text} \u{b7} {}", g.contact);
                }
                text
            })
            .collect(),
    });
    let keeps_institutions = matches!(
        staff.session.actor.role,
        haven_domain::Role::Admin | haven_domain::Role::Supervisor
    );
    let institution = c.institution_id.as_deref().map(|id| {
        let known = institutions.iter().find(|i| i.id == id);
        InstitutionView {
            // One outside the caller's area is named by its record number.
            name: known.map_or_else(|| id.to_string(), |i| i.name.clone()),
            kind: known.map_or_else(String::new, |i| {
                tr.t(&format!("institution-kind-{}", i.kind.as_str()))
            }),
            href: keeps_institutions.then(|| format!("/admin/institutions/{id}")),
        }
    });
    let chosen = c.institution_id.as_deref().unwrap_or("");
    let institution_options = if institutions.is_empty() {
        Vec::new()
    } else {
        std::iter::once(Opt::new("", tr.t("child-institution-none"), chosen))
            .chain(institutions.iter().map(|i| {
                let place = place_name(&locs, &i.location);
                Opt::new(&i.id, format!("{} ({place})", i.name), chosen)
            }))
            .collect()
    };
    let case = cases::child_section(
        tr,
        &c.id,
        &case_list,
        now,
        staff.session.actor.role,
        &extras.assigned_to,
    );
    let a = assessments::section(tr, &c.id, &instrument, &history, extras.confirm.as_ref());
    let page = ChildPage {
        l: staff.layout(),
        c: view,
        notice: extras.notice,
        warning: extras.warning,
        duplicates: duplicate_items(tr, &dups, &locs, today),
        household,
        institution,
        institutions: institution_options,
        case,
        a,
        errors: extras.errors,
    };
    render_with(extras.status, &page)
}

#[derive(Deserialize)]
pub(super) struct ChildQuery {
    #[serde(default)]
    registered: Option<String>,
    #[serde(default)]
    assessed: Option<String>,
    #[serde(default)]
    urgent: Option<String>,
}

pub(super) async fn show(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<ChildQuery>,
) -> Response {
    let mut extras = ChildExtras::none(staff.tr);
    if q.registered.is_some() {
        extras.notice = Some(staff.tr.t("child-registered"));
    } else if let Some(level) = q.assessed.as_deref() {
        let (notice, warning) = assessments::notice(staff.tr, level, q.urgent.is_some());
        extras.notice = notice;
        extras.warning = warning;
    }
    child_page(&st, &staff, id, extras).await
}

pub(super) async fn edit_form(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Response {
    let actor = staff.session.actor.clone();
    let child = match st
        .run(move |store, now| store.get_child(&actor, &id, now))
        .await
    {
        Ok(c) => c,
        Err(e) => return staff.problem(&e, "/children"),
    };
    let locs = match locations(&st, &staff).await {
        Ok(l) => l,
        Err(e) => return staff.problem(&e, "/children"),
    };
    let purpose = Purpose::Edit {
        id: child.id.clone(),
        name: child.full_name(),
    };
    let v = ChildForm::of(&child, Date::from_unix(st.now()));
    let errors = FieldErrors::new(staff.tr);
    render(&form_page(&staff, &locs, &purpose, v, errors))
}

pub(super) async fn update(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<ChildForm>,
) -> Response {
    let back = format!("/children/{id}");
    let actor = staff.session.actor.clone();
    let id2 = id.clone();
    let current = match st
        .run(move |store, now| store.get_child(&actor, &id2, now))
        .await
    {
        Ok(c) => c,
        Err(e) => return staff.problem(&e, &back),
    };
    let purpose = Purpose::Edit {
        id: id.clone(),
        name: current.full_name(),
    };
    let (Checked { child: n, .. }, locs) = match checked(&st, &staff, &form, &purpose).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    // An estimated age left as it was keeps the estimated day of birth.
    let today = Date::from_unix(st.now());
    let unchanged_estimate = current.date_of_birth_estimated
        && n.date_of_birth.is_none()
        && n.estimated_age == Some(i64::from(current.age_on(today)));
    let (date_of_birth, estimated_age) = if unchanged_estimate {
        (None, None)
    } else {
        (n.date_of_birth, n.estimated_age)
    };
    let patch = ChildPatch {
        given_name: Some(n.given_name),
        family_name: Some(n.family_name),
        sex: Some(n.sex),
        date_of_birth,
        estimated_age,
        location: Some(n.location),
        birth_registration: n.birth_registration,
        disability: Some(n.disability),
        minority_group: Some(n.minority_group.unwrap_or_default()),
        living_situation: n.living_situation,
        in_school: Some(n.in_school),
        child_labour: Some(n.child_labour),
        household_id: None,
    };
    let actor = staff.session.actor.clone();
    match st
        .run(move |store, now| store.update_child(&actor, &id, &patch, now))
        .await
    {
        Ok(_) => Redirect::to(&back).into_response(),
        Err(e) => match store_errors(staff.tr, e, store_field) {
            Ok(errors) => refused(&staff, &locs, &purpose, form, errors),
            Err(e) => staff.problem(&e, &back),
        },
    }
}

/// The institution chosen for a child ("" for none).
#[derive(Deserialize)]
pub(super) struct InstitutionInput {
    #[serde(default)]
    institution: String,
}

/// Links the child to a care institution or school in the caller's area,
/// or removes the link.
pub(super) async fn link_institution(
    State(st): State<AppState>,
    Path(id): Path<String>,
    StaffForm { staff, form }: StaffForm<InstitutionInput>,
) -> Response {
    let back = format!("/children/{id}");
    let actor = staff.session.actor.clone();
    let chosen = given(&form.institution);
    let child = id.clone();
    match st
        .run(move |store, now| store.link_child_institution(&actor, &child, chosen.as_deref(), now))
        .await
    {
        Ok(()) => Redirect::to(&format!("{back}#institution")).into_response(),
        Err(e) => staff.problem(&e, &back),
    }
}
