//! Places: the country, its regions and their districts, which every record
//! and every person's area hangs from. Everyone signed in sees the tree;
//! administrators add to it.

use super::forms::{given, FieldErrors, StaffForm};
use super::layout::{label, render, render_with, Layout, Staff};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::location::valid_code;
use haven_domain::{Location, LocationLevel, Role};
use serde::Deserialize;

/// One place as the page lists it.
struct Place {
    code: String,
    name: String,
    level: String,
    depth: usize,
}

#[derive(Template)]
#[template(path = "locations.html")]
struct LocationsPage {
    l: Layout,
    places: Vec<Place>,
    /// Where a new place can go: (code, name in words with its level).
    parents: Vec<(String, String)>,
    may_add: bool,
    needs_country: bool,
    form: LocationForm,
    errors: FieldErrors,
    added: bool,
}

/// The add-a-place form as typed.
#[derive(Default, Deserialize)]
pub(super) struct LocationForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    parent: String,
}

#[derive(Deserialize)]
pub(super) struct AddedQuery {
    #[serde(default)]
    added: Option<String>,
}

fn level_below(level: LocationLevel) -> Option<LocationLevel> {
    match level {
        LocationLevel::Country => Some(LocationLevel::Region),
        LocationLevel::Region => Some(LocationLevel::District),
        LocationLevel::District => None,
    }
}

/// The tree in reading order: each place followed by the places inside it.
fn in_tree_order(all: &[Location]) -> Vec<(usize, &Location)> {
    fn walk<'a>(
        all: &'a [Location],
        parent: Option<&str>,
        depth: usize,
        out: &mut Vec<(usize, &'a Location)>,
    ) {
        let mut here: Vec<&Location> = all
            .iter()
            .filter(|l| l.parent.as_deref() == parent)
            .collect();
        here.sort_by(|a, b| a.name.cmp(&b.name));
        for l in here {
            out.push((depth, l));
            if depth < 3 {
                walk(all, Some(&l.code), depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(all, None, 0, &mut out);
    out
}

async fn page(
    st: &AppState,
    staff: &Staff,
    form: LocationForm,
    errors: FieldErrors,
    added: bool,
) -> Result<LocationsPage, Response> {
    let actor = staff.session.actor.clone();
    let all = st
        .run(move |s, _| s.list_locations(&actor))
        .await
        .map_err(|e| staff.problem(&e, "/"))?;
    let tr = staff.tr;
    let ordered = in_tree_order(&all);
    let places = ordered
        .iter()
        .map(|(depth, l)| Place {
            code: l.code.clone(),
            name: l.name.clone(),
            level: label(tr, "location-level", l.level.as_str()),
            depth: *depth,
        })
        .collect();
    let parents = ordered
        .iter()
        .filter(|(_, l)| l.level != LocationLevel::District)
        .map(|(_, l)| {
            (
                l.code.clone(),
                tr.t2(
                    "locations-parent-option",
                    "name",
                    l.name.as_str(),
                    "level",
                    label(tr, "location-level", l.level.as_str()),
                ),
            )
        })
        .collect();
    Ok(LocationsPage {
        l: staff.layout(),
        places,
        parents,
        may_add: staff.session.actor.role == Role::Admin,
        needs_country: all.is_empty(),
        form,
        errors,
        added,
    })
}

pub(super) async fn list(
    State(st): State<AppState>,
    staff: Staff,
    axum::extract::Query(q): axum::extract::Query<AddedQuery>,
) -> Response {
    let errors = FieldErrors::new(staff.tr);
    match page(
        &st,
        &staff,
        LocationForm::default(),
        errors,
        q.added.is_some(),
    )
    .await
    {
        Ok(p) => render(&p),
        Err(r) => r,
    }
}

pub(super) async fn add(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<LocationForm>,
) -> Response {
    if staff.session.actor.role != Role::Admin {
        let e =
            crate::error::WebError::new(StatusCode::FORBIDDEN, "forbidden", "administrators only");
        return staff.problem(&e, "/locations");
    }
    let actor = staff.session.actor.clone();
    let known = match st.run(move |s, _| s.list_locations(&actor)).await {
        Ok(all) => all,
        Err(e) => return staff.problem(&e, "/locations"),
    };
    let mut errors = FieldErrors::new(staff.tr);
    let name = given(&form.name);
    if name.is_none() {
        errors.add("name", "locations-error-name");
    }
    let code = form.code.trim().to_string();
    if !valid_code(&code) {
        errors.add("code", "locations-error-code");
    } else if known.iter().any(|l| l.code.eq_ignore_ascii_case(&code)) {
        errors.add("code", "locations-error-code-taken");
    }
    let parent = given(&form.parent);
    let level = match &parent {
        None if known.is_empty() => Some(LocationLevel::Country),
        None => {
            errors.add("parent", "locations-error-parent");
            None
        }
        Some(p) => match known.iter().find(|l| &l.code == p).map(|l| l.level) {
            Some(l) => level_below(l).or_else(|| {
                errors.add("parent", "locations-error-parent-district");
                None
            }),
            None => {
                errors.add("parent", "locations-error-parent");
                None
            }
        },
    };
    let (Some(name), Some(level), true) = (name, level, errors.is_empty()) else {
        return match page(&st, &staff, form, errors, false).await {
            Ok(p) => render_with(StatusCode::UNPROCESSABLE_ENTITY, &p),
            Err(r) => r,
        };
    };
    let place = Location {
        code,
        name,
        parent,
        level,
    };
    let actor = staff.session.actor.clone();
    match st
        .run(move |s, now| s.create_location(&actor, &place, now))
        .await
    {
        Ok(_) => Redirect::to("/locations?added=1").into_response(),
        Err(e) => {
            // A rule only the store knows (a name with characters it refuses,
            // a code taken meanwhile) is shown beside its field.
            let key_for = |field: &str| match field {
                "name" => Some("locations-error-name"),
                "code" => Some("locations-error-code"),
                "parent" => Some("locations-error-parent"),
                _ => None,
            };
            let errors = if e.status == StatusCode::CONFLICT {
                let mut errors = FieldErrors::new(staff.tr);
                errors.add("code", "locations-error-code-taken");
                errors
            } else {
                match FieldErrors::from_store(staff.tr, e, key_for) {
                    Ok(errors) => errors,
                    Err(e) => return staff.problem(&e, "/locations"),
                }
            };
            match page(&st, &staff, form, errors, false).await {
                Ok(p) => render_with(StatusCode::UNPROCESSABLE_ENTITY, &p),
                Err(r) => r,
            }
        }
    }
}
