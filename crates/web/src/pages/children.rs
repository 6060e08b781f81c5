//! Dashboard and the children's pages: list, search, filter, register,
//! view (with possible duplicates), edit.

use super::{csrf_field, esc, page, problem};
use crate::api::children_filter;
use crate::auth::{check_csrf, PageSession};
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::child::AGE_BANDS;
use haven_domain::{
    BirthRegistration, Child, ChildPatch, Date, LivingSituation, Location, LocationLevel,
    NewCaregiver, NewChild, NewHousehold, Sex,
};
use haven_store::{PossibleDuplicate, Session};
use std::collections::HashMap;

type FormData = HashMap<String, String>;

fn options<T: Copy>(
    all: &[T],
    label: fn(T) -> &'static str,
    value: fn(T) -> &'static str,
    selected: Option<&str>,
    blank: Option<&str>,
) -> String {
    let mut out = blank
        .map(|b| format!(r#"<option value="">{}</option>"#, esc(b)))
        .unwrap_or_default();
    for v in all {
        let sel = if selected == Some(value(*v)) {
            " selected"
        } else {
            ""
        };
        out.push_str(&format!(
            r#"<option value="{}"{sel}>{}</option>"#,
            value(*v),
            esc(label(*v))
        ));
    }
    out
}

fn sex_label(s: Sex) -> &'static str {
    match s {
        Sex::Female => "Female",
        Sex::Male => "Male",
        Sex::Other => "Other",
        Sex::Unknown => "Not known",
    }
}

fn registration_label(b: BirthRegistration) -> &'static str {
    match b {
        BirthRegistration::Registered => "Registered",
        BirthRegistration::NotRegistered => "Not registered",
        BirthRegistration::Unknown => "Not known",
    }
}

fn living_label(l: LivingSituation) -> &'static str {
    match l {
        LivingSituation::Family => "With family",
        LivingSituation::KinshipCare => "Kinship care (relatives)",
        LivingSituation::Institution => "Care institution",
        LivingSituation::Street => "Living or working on the street",
        LivingSituation::UnaccompaniedMigrant => "Unaccompanied migrant",
        LivingSituation::ChildHeadedHousehold => "Child-headed household",
    }
}

fn location_options(
    locations: &[Location],
    selected: Option<&str>,
    districts_only: bool,
) -> String {
    let mut out = String::from(r#"<option value="">Choose…</option>"#);
    for l in locations
        .iter()
        .filter(|l| !districts_only || l.level == LocationLevel::District)
    {
        let sel = if selected == Some(l.code.as_str()) {
            " selected"
        } else {
            ""
        };
        let indent = match l.level {
            LocationLevel::Country => "",
            LocationLevel::Region => "— ",
            LocationLevel::District => "—— ",
        };
        out.push_str(&format!(
            r#"<option value="{}"{sel}>{indent}{} ({})</option>"#,
            esc(&l.code),
            esc(&l.name),
            esc(&l.code)
        ));
    }
    out
}

async fn locations(st: &AppState, s: &Session) -> Result<Vec<Location>, WebError> {
    let actor = s.actor.clone();
    let mut all = st.run(move |store, _| store.list_locations(&actor)).await?;
    if let Some(scope) = &s.actor.scope_path {
        // Only offer places the user works in; the store enforces it anyway.
        let codes: Vec<&str> = scope.trim_matches('/').split('/').collect();
        if let Some(own) = codes.last() {
            let own = own.to_string();
            let mut keep = std::collections::HashSet::from([own.clone()]);
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

fn child_row(c: &Child, today: Date) -> String {
    format!(
        r#"<tr><td><a href="/children/{}">{}</a></td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>"#,
        esc(&c.id),
        esc(&c.full_name()),
        sex_label(c.sex),
        c.age_on(today),
        if c.date_of_birth_estimated {
            " (est.)"
        } else {
            ""
        },
        esc(&c.location),
        registration_label(c.birth_registration)
    )
}

pub(super) async fn list(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let filter = match children_filter(&q) {
        Ok(f) => f,
        Err(e) => return problem(&s, e, "/"),
    };
    let locs = match locations(&st, &s).await {
        Ok(l) => l,
        Err(e) => return problem(&s, e, "/"),
    };
    let actor = s.actor.clone();
    let cursor = q.get("cursor").cloned();
    let f2 = filter.clone();
    let result = st
        .run(move |store, now| store.list_children(&actor, &f2, cursor.as_deref(), 25, now))
        .await;
    let page_data = match result {
        Ok(p) => p,
        Err(e) => return problem(&s, e, "/"),
    };
    let today = Date::from_unix(st.now());
    let get = |k: &str| q.get(k).map(String::as_str);
    let band_opts: String = std::iter::once(r#"<option value="">Any age</option>"#.to_string())
        .chain(AGE_BANDS.iter().map(|b| {
            format!(
                r#"<option value="{0}"{1}>{0}</option>"#,
                b.0,
                if get("age_band") == Some(b.0) {
                    " selected"
                } else {
                    ""
                }
            )
        }))
        .collect();
    let rows: String = page_data
        .items
        .iter()
        .map(|c| child_row(c, today))
        .collect();
    let table = if page_data.items.is_empty() {
        "<p>No children match.</p>".to_string()
    } else {
        format!("<table><thead><tr><th>Name</th><th>Sex</th><th>Age</th><th>District</th><th>Birth registration</th></tr></thead><tbody>{rows}</tbody></table>")
    };
    let next = match &page_data.next {
        Some(n) => {
            let mut params: Vec<String> = q
                .iter()
                .filter(|(k, _)| k.as_str() != "cursor")
                .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
                .collect();
            params.push(format!("cursor={}", url_encode(n)));
            format!(
                r#"<p><a href="/children?{}">Next page →</a></p>"#,
                esc(&params.join("&"))
            )
        }
        None => String::new(),
    };
    let body = format!(
        r#"<h1>Children</h1>
<form method="get" action="/children" class="filters" role="search">
<div><label for="name">Name</label><input id="name" name="name" value="{}" placeholder="e.g. Amina Diallo"></div>
<div><label for="location">Place</label><select id="location" name="location">{}</select></div>
<div><label for="sex">Sex</label><select id="sex" name="sex">{}</select></div>
<div><label for="age_band">Age</label><select id="age_band" name="age_band">{band_opts}</select></div>
<div><label for="birth_registration">Birth registration</label><select id="birth_registration" name="birth_registration">{}</select></div>
<div><button type="submit">Search</button></div></form>
{table}{next}"#,
        esc(get("name").unwrap_or("")),
        location_options(&locs, get("location"), false),
        options(Sex::ALL, sex_label, Sex::as_str, get("sex"), Some("Any")),
        options(
            BirthRegistration::ALL,
            registration_label,
            BirthRegistration::as_str,
            get("birth_registration"),
            Some("Any")
        ),
    );
    page("Children", Some(&s), &body).into_response()
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The child form; `values` pre-fills it, `errors` are shown per field.
fn child_form(
    s: &Session,
    locs: &[Location],
    values: &FormData,
    errors: &HashMap<String, String>,
    action: &str,
    with_household: bool,
) -> String {
    let v = |k: &str| esc(values.get(k).map(String::as_str).unwrap_or(""));
    let err = |k: &str| {
        errors
            .get(k)
            .map(|e| format!(r#"<span class="error" id="{k}-error">{}</span>"#, esc(e)))
            .unwrap_or_default()
    };
    let checked = |k: &str| {
        if values.get(k).is_some_and(|x| x == "on" || x == "true") {
            " checked"
        } else {
            ""
        }
    };
    let text = |k: &str, label: &str, kind: &str| {
        format!(
            r#"<label for="{k}">{label}</label><input id="{k}" name="{k}" type="{kind}" value="{}">{}"#,
            v(k),
            err(k)
        )
    };
    let household = if with_household {
        format!(
            r#"<fieldset><legend>Household and main caregiver (optional)</legend>
{}{}{}{}{}</fieldset>"#,
            text("address", "Address or directions", "text"),
            text("caregiver_given_name", "Caregiver's given name", "text"),
            text("caregiver_family_name", "Caregiver's family name", "text"),
            text(
                "caregiver_relationship",
                "Relationship to the child (e.g. mother, aunt)",
                "text"
            ),
            text("caregiver_contact", "Caregiver's phone or contact", "text"),
        )
    } else {
        String::new()
    };
    let summary = if errors.is_empty() {
        String::new()
    } else {
        r#"<p class="error" role="alert">Please correct the fields marked below.</p>"#.to_string()
    };
    format!(
        r#"{summary}<form method="post" action="{action}">
{}
<fieldset><legend>The child</legend>
{}{}
<label for="sex">Sex</label><select id="sex" name="sex">{}</select>{}
{}
{}
<label for="location">District</label><select id="location" name="location">{}</select>{}
<label for="birth_registration">Birth registration</label><select id="birth_registration" name="birth_registration">{}</select>
<label for="living_situation">Living situation</label><select id="living_situation" name="living_situation">{}</select>
{}
<p class="check"><input type="checkbox" id="in_school" name="in_school"{}> <label for="in_school">Goes to school</label></p>
<p class="check"><input type="checkbox" id="disability" name="disability"{}> <label for="disability">Has a disability</label></p>
<p class="check"><input type="checkbox" id="child_labour" name="child_labour"{}> <label for="child_labour">In child labour or domestic work</label></p>
</fieldset>{household}
<p><button type="submit">Save</button></p></form>"#,
        csrf_field(s),
        text("given_name", "Given name", "text"),
        text("family_name", "Family name", "text"),
        options(
            Sex::ALL,
            sex_label,
            Sex::as_str,
            values.get("sex").map(String::as_str),
            Some("Choose…")
        ),
        err("sex"),
        text("date_of_birth", "Date of birth (if known)", "date"),
        text("estimated_age", "Or estimated age in years", "number"),
        location_options(locs, values.get("location").map(String::as_str), true),
        err("location"),
        options(
            BirthRegistration::ALL,
            registration_label,
            BirthRegistration::as_str,
            values.get("birth_registration").map(String::as_str),
            None
        ),
        options(
            LivingSituation::ALL,
            living_label,
            LivingSituation::as_str,
            values.get("living_situation").map(String::as_str),
            None
        ),
        text(
            "minority_group",
            "Minority or indigenous group (if any)",
            "text"
        ),
        checked("in_school"),
        checked("disability"),
        checked("child_labour"),
    )
}

pub(super) async fn new_form(State(st): State<AppState>, PageSession(s): PageSession) -> Response {
    // A form the role could not submit is not shown at all.
    if !s.actor.role.handles_children() {
        return problem(
            &s,
            WebError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "your role cannot register children",
            ),
            "/",
        );
    }
    match locations(&st, &s).await {
        Ok(locs) => {
            let values =
                FormData::from([("birth_registration".to_string(), "unknown".to_string())]);
            page(
                "Register a child",
                Some(&s),
                &format!(
                    "<h1>Register a child</h1>{}",
                    child_form(&s, &locs, &values, &HashMap::new(), "/children", true)
                ),
            )
            .into_response()
        }
        Err(e) => problem(&s, e, "/"),
    }
}

fn opt(f: &FormData, k: &str) -> Option<String> {
    f.get(k)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn new_child_from(f: &FormData) -> Result<NewChild, WebError> {
    let estimated_age = match opt(f, "estimated_age") {
        None => None,
        Some(a) => Some(
            a.parse::<i64>()
                .map_err(|_| WebError::field("estimated_age", "must be a whole number of years"))?,
        ),
    };
    Ok(NewChild {
        given_name: f.get("given_name").cloned().unwrap_or_default(),
        family_name: f.get("family_name").cloned().unwrap_or_default(),
        sex: f.get("sex").cloned().unwrap_or_default(),
        date_of_birth: opt(f, "date_of_birth"),
        estimated_age,
        location: f.get("location").cloned().unwrap_or_default(),
        birth_registration: opt(f, "birth_registration"),
        disability: f.contains_key("disability"),
        minority_group: opt(f, "minority_group"),
        living_situation: opt(f, "living_situation"),
        in_school: f.contains_key("in_school"),
        child_labour: f.contains_key("child_labour"),
        household_id: None,
    })
}

fn field_errors(e: &WebError) -> HashMap<String, String> {
    let mut m: HashMap<String, String> = e
        .fields
        .iter()
        .map(|f| {
            (
                f.field.trim_start_matches("children[0].").to_string(),
                f.message.clone(),
            )
        })
        .collect();
    if m.is_empty() {
        m.insert("given_name".into(), e.message.clone());
    }
    m
}

async fn rerender(
    st: &AppState,
    s: &Session,
    f: &FormData,
    e: WebError,
    action: &str,
    title: &str,
    household: bool,
) -> Response {
    if e.status != StatusCode::UNPROCESSABLE_ENTITY {
        return problem(s, e, "/");
    }
    let locs = locations(st, s).await.unwrap_or_default();
    let body = format!(
        "<h1>{}</h1>{}",
        esc(title),
        child_form(s, &locs, f, &field_errors(&e), action, household)
    );
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        page(title, Some(s), &body),
    )
        .into_response()
}

pub(super) async fn create(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Form(f): Form<FormData>,
) -> Response {
    if let Err(e) = check_csrf(&st, &s, f.get("csrf")).await {
        return problem(&s, e, "/");
    }
    let child = match new_child_from(&f) {
        Ok(c) => c,
        Err(e) => return rerender(&st, &s, &f, e, "/children", "Register a child", true).await,
    };
    let actor = s.actor.clone();
    let result = match opt(&f, "caregiver_given_name") {
        Some(given) => {
            let household = NewHousehold {
                location: child.location.clone(),
                address: f.get("address").cloned().unwrap_or_default(),
                caregivers: vec![NewCaregiver {
                    given_name: given,
                    family_name: f.get("caregiver_family_name").cloned().unwrap_or_default(),
                    relationship: opt(&f, "caregiver_relationship")
                        .unwrap_or_else(|| "caregiver".into()),
                    contact: f.get("caregiver_contact").cloned().unwrap_or_default(),
                }],
            };
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
        Ok(None) => problem(
            &s,
            WebError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the child was not saved",
            ),
            "/children",
        ),
        Err(e) => rerender(&st, &s, &f, e, "/children", "Register a child", true).await,
    }
}

fn duplicates_html(d: &[PossibleDuplicate], today: Date) -> String {
    if d.is_empty() {
        return String::new();
    }
    let items: String = d
        .iter()
        .map(|p| {
            format!(
                r#"<li><a href="/children/{}">{}</a>, {} years, {}: {}</li>"#,
                esc(&p.child.id),
                esc(&p.child.full_name()),
                p.child.age_on(today),
                esc(&p.child.location),
                esc(&p.reasons.join("; "))
            )
        })
        .collect();
    format!(
        r#"<section class="warning" id="duplicates" role="alert"><h2>Possible duplicate records</h2>
<p>These records may be the same child. Nothing has been merged: check with the family or colleagues before acting.</p><ul>{items}</ul></section>"#
    )
}

pub(super) async fn show(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let actor = s.actor.clone();
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
            Ok((child, dups, household, history, instrument, cases))
        })
        .await;
    let (c, dups, household, history, instrument, cases) = match result {
        Ok(r) => r,
        Err(e) => return problem(&s, e, "/"),
    };
    let today = Date::from_unix(st.now());
    let notice = if q.contains_key("registered") {
        r#"<p class="notice">The child has been registered.</p>"#.to_string()
    } else {
        super::assessments::notice(q.get("assessed"), q.contains_key("urgent"))
    };
    let yes = |b: bool| if b { "Yes" } else { "No" };
    let hh = household
        .map(|h| {
            let cgs: String = h
                .caregivers
                .iter()
                .map(|g| {
                    format!(
                        "<li>{} {} ({}) {}</li>",
                        esc(&g.given_name),
                        esc(&g.family_name),
                        esc(&g.relationship),
                        esc(&g.contact)
                    )
                })
                .collect();
            format!("<h2>Household</h2><p>{}</p><ul>{cgs}</ul>", esc(&h.address))
        })
        .unwrap_or_default();
    let body = format!(
        r#"{notice}<h1>{}</h1>{}
<dl><dt>Sex</dt><dd>{}</dd><dt>Age</dt><dd>{} ({}{})</dd><dt>District</dt><dd>{}</dd>
<dt>Birth registration</dt><dd>{}</dd><dt>Living situation</dt><dd>{}</dd><dt>In school</dt><dd>{}</dd>
<dt>Disability</dt><dd>{}</dd><dt>Child labour or domestic work</dt><dd>{}</dd><dt>Minority or indigenous group</dt><dd>{}</dd>
<dt>Record number</dt><dd>{}</dd></dl>{hh}
<p><a href="/children/{}/edit">Edit this record</a></p>{}{}"#,
        esc(&c.full_name()),
        duplicates_html(&dups, today),
        sex_label(c.sex),
        c.age_on(today),
        if c.date_of_birth_estimated {
            "estimated, around "
        } else {
            "born "
        },
        c.date_of_birth,
        esc(&c.location),
        registration_label(c.birth_registration),
        living_label(c.living_situation),
        yes(c.in_school),
        yes(c.disability),
        yes(c.child_labour),
        esc(c.minority_group.as_deref().unwrap_or("—")),
        esc(&c.id),
        esc(&c.id),
        super::cases::child_section(&s, &c.id, &cases, st.now()),
        super::assessments::section(&s, &c.id, &instrument, &history),
    );
    page(&c.full_name(), Some(&s), &body).into_response()
}

fn values_of(c: &Child) -> FormData {
    let mut m = FormData::new();
    m.insert("given_name".into(), c.given_name.clone());
    m.insert("family_name".into(), c.family_name.clone());
    m.insert("sex".into(), c.sex.as_str().into());
    m.insert("date_of_birth".into(), c.date_of_birth.to_string());
    m.insert("location".into(), c.location.clone());
    m.insert(
        "birth_registration".into(),
        c.birth_registration.as_str().into(),
    );
    m.insert(
        "living_situation".into(),
        c.living_situation.as_str().into(),
    );
    m.insert(
        "minority_group".into(),
        c.minority_group.clone().unwrap_or_default(),
    );
    for (k, v) in [
        ("in_school", c.in_school),
        ("disability", c.disability),
        ("child_labour", c.child_labour),
    ] {
        if v {
            m.insert(k.into(), "on".into());
        }
    }
    m
}

pub(super) async fn edit_form(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
) -> Response {
    let actor = s.actor.clone();
    let child = match st
        .run(move |store, now| store.get_child(&actor, &id, now))
        .await
    {
        Ok(c) => c,
        Err(e) => return problem(&s, e, "/"),
    };
    let locs = locations(&st, &s).await.unwrap_or_default();
    let body = format!(
        "<h1>Edit {}</h1>{}",
        esc(&child.full_name()),
        child_form(
            &s,
            &locs,
            &values_of(&child),
            &HashMap::new(),
            &format!("/children/{}/edit", child.id),
            false
        )
    );
    page("Edit", Some(&s), &body).into_response()
}

pub(super) async fn update(
    State(st): State<AppState>,
    PageSession(s): PageSession,
    Path(id): Path<String>,
    Form(f): Form<FormData>,
) -> Response {
    if let Err(e) = check_csrf(&st, &s, f.get("csrf")).await {
        return problem(&s, e, "/");
    }
    let action = format!("/children/{id}/edit");
    let n = match new_child_from(&f) {
        Ok(n) => n,
        Err(e) => return rerender(&st, &s, &f, e, &action, "Edit", false).await,
    };
    let patch = ChildPatch {
        given_name: Some(n.given_name),
        family_name: Some(n.family_name),
        sex: Some(n.sex),
        date_of_birth: n.date_of_birth,
        estimated_age: n.estimated_age,
        location: Some(n.location),
        birth_registration: n.birth_registration,
        disability: Some(n.disability),
        minority_group: Some(n.minority_group.unwrap_or_default()),
        living_situation: n.living_situation,
        in_school: Some(n.in_school),
        child_labour: Some(n.child_labour),
        household_id: None,
    };
    let actor = s.actor.clone();
    let id2 = id.clone();
    match st
        .run(move |store, now| store.update_child(&actor, &id2, &patch, now))
        .await
    {
        Ok(_) => Redirect::to(&format!("/children/{id}")).into_response(),
        Err(e) => rerender(&st, &s, &f, e, &action, "Edit", false).await,
    }
}
