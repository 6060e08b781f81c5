//! The services directory: what each agency offers, where, and for which
//! risk factors; an administrator adds services to it.

use super::forms::{given, FieldErrors, StaffForm};
use super::layout::{label, render_with, Layout, Opt, Staff};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::assessment::{FactorKind, PreventionLayer};
use haven_domain::casework::{NewService, Sector};
use haven_domain::Role;
use std::collections::BTreeMap;

const LAYERS: [PreventionLayer; 3] = [
    PreventionLayer::Primary,
    PreventionLayer::Secondary,
    PreventionLayer::Tertiary,
];

/// The add-service form as typed. Prevention layers and factors are
/// chosen several at a time, so the form is read from its pairs.
#[derive(Default)]
struct ServiceForm {
    name: String,
    provider: String,
    agency: String,
    sector: String,
    layers: Vec<String>,
    coverage: String,
    factors: Vec<String>,
    contact: String,
}

impl ServiceForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> ServiceForm {
        let mut f = ServiceForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "name" => f.name = v,
                "provider" => f.provider = v,
                "agency" => f.agency = v,
                "sector" => f.sector = v,
                "layers" => f.layers.push(v),
                "coverage" => f.coverage = v,
                "factors" => f.factors.push(v),
                "contact" => f.contact = v,
                _ => {}
            }
        }
        f
    }

    /// The service to add, or what to change, field by field.
    fn check(&self, errors: &mut FieldErrors) -> Option<NewService> {
        let text = |errors: &mut FieldErrors, field: &str, value: &str, missing: &str| match given(
            value,
        ) {
            None => errors.add(field, missing),
            Some(v) if v.chars().count() > 100 => errors.add(field, "services-error-long"),
            Some(_) => {}
        };
        text(errors, "name", &self.name, "services-error-name");
        text(
            errors,
            "provider",
            &self.provider,
            "services-error-provider",
        );
        let sector = Sector::parse(self.sector.trim());
        if sector.is_none() {
            errors.add("sector", "services-error-sector");
        }
        let layers: Vec<PreventionLayer> = LAYERS
            .into_iter()
            .filter(|l| self.layers.iter().any(|v| v == l.as_str()))
            .collect();
        if layers.is_empty() {
            errors.add("layers", "services-error-layers");
        }
        if given(&self.coverage).is_none() {
            errors.add("coverage", "services-error-coverage");
        }
        if self.contact.trim().chars().count() > 200 {
            errors.add("contact", "services-error-contact");
        }
        let sector = sector?;
        errors.is_empty().then(|| NewService {
            name: self.name.trim().to_string(),
            provider: self.provider.trim().to_string(),
            agency: self.agency.trim().to_string(),
            sector,
            layers,
            coverage: self.coverage.trim().to_string(),
            factors: self.factors.clone(),
            contact: self.contact.trim().to_string(),
        })
    }
}

/// The message for a field the store refused.
fn store_key(field: &str) -> Option<&'static str> {
    Some(match field {
        "name" => "services-error-name",
        "provider" => "services-error-provider",
        "agency" => "services-error-agency",
        "coverage" => "services-error-coverage",
        "contact" => "services-error-contact",
        "layers" => "services-error-layers",
        "factors" => "services-error-factors",
        _ => return None,
    })
}

/// The administrator's form: its choices and what was typed.
struct AddForm {
    name: String,
    provider: String,
    /// The agencies on record, still active: the service's users answer
    /// its referrals, so it must be one of them.
    agencies: Vec<Opt>,
    contact: String,
    sectors: Vec<Opt>,
    layers: Vec<Opt>,
    places: Vec<Opt>,
    factors: Vec<Opt>,
}

/// One service as a row.
struct Row {
    name: String,
    provider: String,
    sector: String,
    layers: String,
    coverage: String,
    factors: String,
    contact: String,
}

#[derive(Template)]
#[template(path = "services.html")]
struct ServicesPage {
    l: Layout,
    rows: Vec<Row>,
    form: Option<AddForm>,
    errors: FieldErrors,
}

async fn services_page(
    st: &AppState,
    staff: &Staff,
    status: StatusCode,
    typed: ServiceForm,
    errors: FieldErrors,
) -> Response {
    let actor = staff.session.actor.clone();
    let result = st
        .run(move |store, now| {
            let services = store.list_services(&actor, None)?;
            // Names for the codes: a page without them still lists the services.
            let places = store.list_locations(&actor).unwrap_or_default();
            let factors = store
                .current_instrument(now)
                .map(|i| i.factors)
                .unwrap_or_default();
            let agencies = if actor.role == Role::Admin {
                store.list_agencies(&actor)?
            } else {
                Vec::new()
            };
            Ok((services, places, factors, agencies))
        })
        .await;
    let (services, places, factors, agencies) = match result {
        Ok(r) => r,
        Err(e) => return staff.problem(&e, "/"),
    };
    let tr = staff.tr;
    let place_names: BTreeMap<&str, &str> = places
        .iter()
        .map(|p| (p.code.as_str(), p.name.as_str()))
        .collect();
    let factor_names: BTreeMap<&str, &str> = factors
        .iter()
        .map(|f| (f.id.as_str(), f.description.as_str()))
        .collect();
    let rows = services
        .iter()
        .map(|sv| Row {
            name: sv.name.clone(),
            provider: sv.provider.clone(),
            sector: label(tr, "sector", sv.sector.as_str()),
            layers: sv
                .layers
                .iter()
                .map(|l| label(tr, "prevention-layer", l.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            coverage: place_names
                .get(sv.coverage.as_str())
                .map_or_else(|| sv.coverage.clone(), |n| n.to_string()),
            factors: sv
                .factors
                .iter()
                .map(|f| {
                    factor_names
                        .get(f.as_str())
                        .map_or_else(|| f.replace('_', " "), |d| d.to_string())
                })
                .collect::<Vec<_>>()
                .join("; "),
            contact: sv.contact.clone(),
        })
        .collect();
    let form = (staff.session.actor.role == Role::Admin).then(|| AddForm {
        sectors: Sector::ALL
            .iter()
            .map(|s| Opt {
                value: s.as_str().to_string(),
                label: label(tr, "sector", s.as_str()),
                selected: typed.sector == s.as_str(),
            })
            .collect(),
        layers: LAYERS
            .iter()
            .map(|l| Opt {
                value: l.as_str().to_string(),
                label: label(tr, "prevention-layer", l.as_str()),
                selected: typed.layers.iter().any(|v| v == l.as_str()),
            })
            .collect(),
        places: places
            .iter()
            .map(|p| Opt {
                value: p.code.clone(),
                label: format!("{} ({})", p.name, p.code),
                selected: typed.coverage == p.code,
            })
            .collect(),
        factors: factors
            .iter()
            .filter(|f| f.kind != FactorKind::Protective)
            .map(|f| Opt {
                value: f.id.clone(),
                label: f.description.clone(),
                selected: typed.factors.contains(&f.id),
            })
            .collect(),
        agencies: std::iter::once(Opt::new("", tr.t("choose"), typed.agency.trim()))
            .chain(agencies.iter().filter(|a| a.active).map(|a| {
                Opt::new(
                    &a.code,
                    format!("{} ({})", a.name, a.code),
                    typed.agency.trim(),
                )
            }))
            .collect(),
        name: typed.name,
        provider: typed.provider,
        contact: typed.contact,
    });
    render_with(
        status,
        &ServicesPage {
            l: staff.layout(),
            rows,
            form,
            errors,
        },
    )
}

pub(super) async fn services(State(st): State<AppState>, staff: Staff) -> Response {
    let errors = FieldErrors::new(staff.tr);
    services_page(&st, &staff, StatusCode::OK, ServiceForm::default(), errors).await
}

pub(super) async fn add_service(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<Vec<(String, String)>>,
) -> Response {
    if staff.session.actor.role != Role::Admin {
        // The store refuses it and audits the refusal; a role that may not
        // add services is not shown the form's mistakes, nor the form.
        let actor = staff.session.actor.clone();
        let empty = NewService {
            name: String::new(),
            provider: String::new(),
            agency: String::new(),
            sector: Sector::ALL[0],
            layers: Vec::new(),
            coverage: String::new(),
            factors: Vec::new(),
            contact: String::new(),
        };
        return match st
            .run(move |store, now| store.create_service(&actor, &empty, now))
            .await
        {
            Ok(_) => Redirect::to("/services").into_response(),
            Err(e) => staff.problem(&e, "/services"),
        };
    }
    let typed = ServiceForm::from_pairs(form);
    let mut errors = FieldErrors::new(staff.tr);
    let actor = staff.session.actor.clone();
    let agency = typed.agency.trim().to_string();
    let on_record = st
        .run(move |store, _| {
            Ok(store
                .list_agencies(&actor)?
                .iter()
                .any(|a| a.active && a.code == agency))
        })
        .await;
    match on_record {
        Ok(true) => {}
        Ok(false) => errors.add("agency", "services-error-agency"),
        Err(e) => return staff.problem(&e, "/services"),
    }
    let Some(service) = typed.check(&mut errors) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return services_page(&st, &staff, status, typed, errors).await;
    };
    let actor = staff.session.actor.clone();
    match st
        .run(move |store, now| store.create_service(&actor, &service, now))
        .await
    {
        Ok(_) => Redirect::to("/services").into_response(),
        Err(e) => match FieldErrors::from_store(staff.tr, e, store_key) {
            Ok(errors) => {
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                services_page(&st, &staff, status, typed, errors).await
            }
            Err(e) => staff.problem(&e, "/services"),
        },
    }
}
