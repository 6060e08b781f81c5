//! The services directory (C4): what each service is, which agency answers
//! its referrals, which area it covers and which factors it answers.

use super::{append_audit, location_path, require_admin, SqlStore};
use crate::casework::Service;
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::sql::{text, Conn, Row};
use haven_domain::assessment::PreventionLayer;
use haven_domain::casework::{NewService, Sector};
use haven_domain::{Actor, Role};

const SERVICE_COLS: &str =
    "s.id, s.name, s.provider, s.agency, s.sector, s.layers, s.coverage, s.factors, s.contact";

fn bad(what: &str) -> StoreError {
    StoreError::Database(format!("stored service has an invalid {what}"))
}

pub(super) fn service_from_row(r: &Row) -> StoreResult<Service> {
    let split = |s: String| -> Vec<String> {
        s.split(',')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    Ok(Service {
        id: text(r, 0)?,
        name: text(r, 1)?,
        provider: text(r, 2)?,
        agency: text(r, 3)?,
        sector: Sector::parse(&text(r, 4)?).ok_or_else(|| bad("sector"))?,
        layers: split(text(r, 5)?)
            .iter()
            .map(|l| parse_layer(l).ok_or_else(|| bad("layer")))
            .collect::<StoreResult<_>>()?,
        coverage: text(r, 6)?,
        factors: split(text(r, 7)?),
        contact: text(r, 8)?,
    })
}

fn parse_layer(s: &str) -> Option<PreventionLayer> {
    [
        PreventionLayer::Primary,
        PreventionLayer::Secondary,
        PreventionLayer::Tertiary,
    ]
    .into_iter()
    .find(|l| l.as_str() == s)
}

impl SqlStore {
    pub(crate) fn do_create_service(
        &self,
        actor: &Actor,
        s: &NewService,
        now: i64,
    ) -> StoreResult<Service> {
        self.authorise(require_admin(actor), actor, "service.create", now)?;
        let s = s.validate()?;
        self.tx(true, |c| {
            let Some((path, _)) = location_path(c, &s.coverage)? else {
                return Err(StoreError::field(
                    "coverage",
                    format!("there is no location with code {:?}", s.coverage),
                ));
            };
            let id = random_id()?;
            let layers: Vec<&str> = s.layers.iter().map(|l| l.as_str()).collect();
            c.execute(
                "INSERT INTO services (id, name, provider, agency, sector, layers, coverage, coverage_path, factors, contact, created_by, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                &[
                    id.clone().into(),
                    s.name.clone().into(),
                    s.provider.clone().into(),
                    s.agency.clone().into(),
                    s.sector.as_str().into(),
                    layers.join(",").into(),
                    s.coverage.clone().into(),
                    path.into(),
                    s.factors.join(",").into(),
                    s.contact.clone().into(),
                    actor.name.clone().into(),
                    now.into(),
                ],
            )?;
            super::administration::ensure_agency(c, &s.agency, now)?;
            append_audit(c, now, &actor.name, "service.create", &format!("service:{id}"), "ok", &s.name)?;
            Ok(Service {
                id,
                name: s.name.clone(),
                provider: s.provider.clone(),
                agency: s.agency.clone(),
                sector: s.sector,
                layers: s.layers.clone(),
                coverage: s.coverage.clone(),
                factors: s.factors.clone(),
                contact: s.contact.clone(),
            })
        })
    }

    /// Services; with `covering`, only those whose area includes that path.
    pub(crate) fn do_list_services(
        &self,
        actor: &Actor,
        covering: Option<&str>,
    ) -> StoreResult<Vec<Service>> {
        if actor.role == Role::Partner {
            return Err(StoreError::Forbidden(
                "partners only match hashes and URLs".into(),
            ));
        }
        let rows = self.tx(false, |c| {
            c.query(
                &format!("SELECT {SERVICE_COLS}, s.coverage_path FROM services s ORDER BY s.sector, s.name, s.id"),
                &[],
            )
        })?;
        let mut out = Vec::new();
        for r in &rows {
            let path = text(r, 9)?;
            if covering.is_none_or(|p| p.starts_with(&path)) {
                out.push(service_from_row(r)?);
            }
        }
        Ok(out)
    }

    /// The whole directory, read in the caller's transaction.
    pub(super) fn all_services(&self, c: &mut dyn Conn) -> StoreResult<Vec<Service>> {
        c.query(
            &format!("SELECT {SERVICE_COLS} FROM services s ORDER BY s.id"),
            &[],
        )?
        .iter()
        .map(service_from_row)
        .collect()
    }

    /// Services covering `path`, read in the caller's transaction.
    pub(super) fn services_covering(
        &self,
        c: &mut dyn Conn,
        path: &str,
    ) -> StoreResult<Vec<Service>> {
        let rows = c.query(
            &format!(
                "SELECT {SERVICE_COLS}, s.coverage_path FROM services s ORDER BY s.name, s.id"
            ),
            &[],
        )?;
        let mut out = Vec::new();
        for r in &rows {
            if path.starts_with(&text(r, 9)?) {
                out.push(service_from_row(r)?);
            }
        }
        Ok(out)
    }
}
