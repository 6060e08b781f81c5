//! Households, caregivers and institutions.

use super::{append_audit, district_in_scope, require_admin, scope_sql, SqlStore};
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::sql::{blob, int, opt_text, text, Conn, Row, Value};
use haven_domain::child::ValidChild;
use haven_domain::{
    Actor, Caregiver, Child, Date, Household, Institution, InstitutionKind, NewCaregiver, NewChild,
    NewHousehold,
};

/// A household's columns, as written (see [`SqlStore::household_row`]).
pub(super) const HOUSEHOLD_INSERT: &str =
    "households (id, location, location_path, agency, address_enc, created_at)";
/// A caregiver's columns, as written (see [`SqlStore::caregiver_row`]).
pub(super) const CAREGIVER_INSERT: &str = "caregivers (id, household_id, given_name_enc, family_name_enc, relationship, contact_enc, created_at)";

impl SqlStore {
    /// A new household's values for [`HOUSEHOLD_INSERT`], its address sealed.
    pub(super) fn household_row(
        &self,
        id: &str,
        actor: &Actor,
        h: &NewHousehold,
        path: String,
        now: i64,
    ) -> StoreResult<Vec<Value>> {
        Ok(vec![
            id.into(),
            h.location.trim().into(),
            path.into(),
            actor.agency.clone().into(),
            self.keys
                .seal("household.address", h.address.trim())?
                .into(),
            now.into(),
        ])
    }

    /// A new caregiver's values for [`CAREGIVER_INSERT`], names and contact sealed.
    pub(super) fn caregiver_row(
        &self,
        id: &str,
        household_id: &str,
        g: &NewCaregiver,
        now: i64,
    ) -> StoreResult<Vec<Value>> {
        Ok(vec![
            id.into(),
            household_id.into(),
            self.keys
                .seal("caregiver.given_name", g.given_name.trim())?
                .into(),
            self.keys
                .seal("caregiver.family_name", g.family_name.trim())?
                .into(),
            g.relationship.trim().into(),
            self.keys
                .seal("caregiver.contact", g.contact.trim())?
                .into(),
            now.into(),
        ])
    }

    fn insert_caregiver(
        &self,
        c: &mut dyn Conn,
        household_id: &str,
        g: &NewCaregiver,
        now: i64,
    ) -> StoreResult<Caregiver> {
        let id = random_id()?;
        c.execute(
            &format!("INSERT INTO {CAREGIVER_INSERT} VALUES (?, ?, ?, ?, ?, ?, ?)"),
            &self.caregiver_row(&id, household_id, g, now)?,
        )?;
        Ok(Caregiver {
            id,
            household_id: household_id.into(),
            given_name: g.given_name.trim().into(),
            family_name: g.family_name.trim().into(),
            relationship: g.relationship.trim().into(),
            contact: g.contact.trim().into(),
        })
    }

    fn insert_household(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        h: &NewHousehold,
        now: i64,
    ) -> StoreResult<Household> {
        let path = district_in_scope(c, actor, h.location.trim())?;
        let id = random_id()?;
        c.execute(
            &format!("INSERT INTO {HOUSEHOLD_INSERT} VALUES (?, ?, ?, ?, ?, ?)"),
            &self.household_row(&id, actor, h, path, now)?,
        )?;
        let mut caregivers = Vec::new();
        for g in &h.caregivers {
            caregivers.push(self.insert_caregiver(c, &id, g, now)?);
        }
        Ok(Household {
            id,
            location: h.location.trim().into(),
            address: h.address.trim().into(),
            caregivers,
            created_at: now,
        })
    }

    pub(crate) fn do_create_household(
        &self,
        actor: &Actor,
        h: &NewHousehold,
        now: i64,
    ) -> StoreResult<Household> {
        self.child_access(actor, now)?;
        h.validate()?;
        self.audited(actor, "household.create", "household:new", now, |c| {
            Ok(self.insert_family(c, actor, h, &[], now)?.0)
        })
    }

    pub(crate) fn do_register_family(
        &self,
        actor: &Actor,
        h: &NewHousehold,
        children: &[NewChild],
        now: i64,
    ) -> StoreResult<(Household, Vec<Child>)> {
        self.child_access(actor, now)?;
        if self.field_outbox {
            // A laptop's sync carries children, not households: a family
            // registered offline would reach the server without its home.
            return Err(StoreError::field(
                "household",
                "a new household is registered online, on the server: on this laptop, register the child alone or with a household already on record",
            ));
        }
        let valid = valid_family(h, children, "", Date::from_unix(now))?;
        self.audited(actor, "household.create", "household:new", now, |c| {
            self.insert_family(c, actor, h, &valid, now)
        })
    }

    /// Registers many families in one transaction (imports and synthetic
    /// data): all of them or, when one is refused, none. Each household
    /// and child is audited as when registered one by one.
    pub(crate) fn do_register_families(
        &self,
        actor: &Actor,
        families: &[haven_domain::NewFamily],
        now: i64,
    ) -> StoreResult<usize> {
        self.child_access(actor, now)?;
        let mut valid = Vec::with_capacity(families.len());
        for (i, f) in families.iter().enumerate() {
            if f.registered_at > now {
                return Err(StoreError::field(
                    &format!("families[{i}].registered_at"),
                    "must not be in the future",
                ));
            }
            let day = Date::from_unix(f.registered_at);
            valid.push(valid_family(
                &f.household,
                &f.children,
                &format!("families[{i}]."),
                day,
            )?);
        }
        // Paths and rows outside the write transaction: another writer's
        // batch is written meanwhile.
        let prepared = self
            .family_paths(actor, families, &valid)
            .and_then(|paths| self.prepare_families(actor, families, &valid, paths));
        let prepared = match prepared {
            Ok(p) => p,
            Err(e) => {
                return self.audit_refusal(actor, "household.create", "household:new", now, Err(e))
            }
        };
        self.audited(actor, "household.create", "household:new", now, |c| {
            self.write_families(c, actor, &prepared)
        })
    }

    /// Inserts one household and its children, already validated, with
    /// their audit entries.
    fn insert_family(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        h: &NewHousehold,
        children: &[ValidChild],
        now: i64,
    ) -> StoreResult<(Household, Vec<Child>)> {
        let hh = self.insert_household(c, actor, h, now)?;
        append_audit(
            c,
            now,
            &actor.name,
            "household.create",
            &format!("household:{}", hh.id),
            "ok",
            "",
        )?;
        let mut out = Vec::with_capacity(children.len());
        for v in children {
            let mut v = v.clone();
            v.household_id = Some(hh.id.clone());
            out.push(self.register_child_in(c, actor, &v, 0, now)?);
        }
        Ok((hh, out))
    }

    pub(crate) fn do_get_household(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<Household> {
        self.child_access(actor, now)?;
        let target = format!("household:{id}");
        self.audited_read(actor, "household.read", &target, now, |c| {
            let mut params = vec![Value::from(id)];
            let scope = scope_sql(actor, "h", &mut params);
            let rows = c.query(&format!("SELECT h.id, h.location, h.address_enc, h.created_at FROM households h WHERE h.id = ?{scope}"), &params)?;
            let Some(r) = rows.first() else {
                return Err(StoreError::NotFound(format!("household {id}")));
            };
            Ok((self.household_from_row(c, r)?, String::new()))
        })
    }

    /// A household from `id, location, address_enc, created_at`, with its
    /// caregivers, in the caller's transaction.
    pub(super) fn household_from_row(&self, c: &mut dyn Conn, r: &Row) -> StoreResult<Household> {
        let id = text(r, 0)?;
        let mut hh = Household {
            id: id.clone(),
            location: text(r, 1)?,
            address: self.keys.open("household.address", &blob(r, 2)?)?,
            caregivers: Vec::new(),
            created_at: int(r, 3)?,
        };
        let rows = c.query(
            "SELECT id, given_name_enc, family_name_enc, relationship, contact_enc FROM caregivers WHERE household_id = ? ORDER BY created_at, id",
            &[id.as_str().into()],
        )?;
        for r in &rows {
            hh.caregivers.push(Caregiver {
                id: text(r, 0)?,
                household_id: id.clone(),
                given_name: self.keys.open("caregiver.given_name", &blob(r, 1)?)?,
                family_name: self.keys.open("caregiver.family_name", &blob(r, 2)?)?,
                relationship: text(r, 3)?,
                contact: self.keys.open("caregiver.contact", &blob(r, 4)?)?,
            });
        }
        Ok(hh)
    }

    /// The households a checkout sends: those of the user's area new or
    /// with a caregiver added since `since`.
    pub(super) fn checkout_households(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        since: Option<i64>,
    ) -> StoreResult<Vec<crate::field::CheckedOutHousehold>> {
        let since = since.unwrap_or(i64::MIN);
        let mut params: Vec<Value> = Vec::new();
        let scope = scope_sql(actor, "h", &mut params);
        params.push(since.into());
        params.push(since.into());
        let rows = c.query(
            &format!(
                "SELECT h.id, h.location, h.address_enc, h.created_at, h.agency FROM households h WHERE 1 = 1{scope} \
                 AND (h.created_at >= ? OR EXISTS (SELECT 1 FROM caregivers g WHERE g.household_id = h.id AND g.created_at >= ?)) ORDER BY h.id"
            ),
            &params,
        )?;
        rows.iter()
            .map(|r| {
                Ok(crate::field::CheckedOutHousehold {
                    household: self.household_from_row(c, r)?,
                    agency: opt_text(r, 4)?,
                })
            })
            .collect()
    }

    /// A household as the server holds it, over the laptop's copy (a
    /// household's address never changes; caregivers are only added).
    pub(super) fn hold_household(
        &self,
        c: &mut dyn Conn,
        held: &crate::field::CheckedOutHousehold,
    ) -> StoreResult<()> {
        let h = &held.household;
        let Some((path, _)) = super::location_path(c, &h.location)? else {
            return Err(StoreError::field(
                "households",
                format!(
                    "the checkout names a place this laptop does not know: {}",
                    h.location
                ),
            ));
        };
        c.execute(
            &format!("INSERT INTO {HOUSEHOLD_INSERT} VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"),
            &[
                h.id.as_str().into(),
                h.location.as_str().into(),
                path.into(),
                held.agency.clone().into(),
                self.keys.seal("household.address", &h.address)?.into(),
                h.created_at.into(),
            ],
        )?;
        for g in &h.caregivers {
            c.execute(
                &format!("INSERT INTO {CAREGIVER_INSERT} VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"),
                &[
                    g.id.as_str().into(),
                    h.id.as_str().into(),
                    self.keys.seal("caregiver.given_name", &g.given_name)?.into(),
                    self.keys.seal("caregiver.family_name", &g.family_name)?.into(),
                    g.relationship.as_str().into(),
                    self.keys.seal("caregiver.contact", &g.contact)?.into(),
                    h.created_at.into(),
                ],
            )?;
        }
        Ok(())
    }

    pub(crate) fn do_add_caregiver(
        &self,
        actor: &Actor,
        household_id: &str,
        g: &NewCaregiver,
        now: i64,
    ) -> StoreResult<Caregiver> {
        self.child_access(actor, now)?;
        g.validate()?;
        let target = format!("household:{household_id}");
        self.audited(actor, "caregiver.create", &target, now, |c| {
            let mut params = vec![Value::from(household_id)];
            let scope = scope_sql(actor, "h", &mut params);
            if c.query(
                &format!("SELECT h.id FROM households h WHERE h.id = ?{scope}"),
                &params,
            )?
            .is_empty()
            {
                return Err(StoreError::NotFound(format!("household {household_id}")));
            }
            let cg = self.insert_caregiver(c, household_id, g, now)?;
            append_audit(c, now, &actor.name, "caregiver.create", &target, "ok", "")?;
            Ok(cg)
        })
    }

    pub(crate) fn do_create_institution(
        &self,
        actor: &Actor,
        i: &Institution,
        now: i64,
    ) -> StoreResult<Institution> {
        self.authorise(require_admin(actor), actor, "institution.create", now)?;
        let mut e = haven_domain::ValidationErrors::default();
        haven_domain::validation::clean_name(&mut e, "name", &i.name, true);
        e.into_result()?;
        self.tx(true, |c| {
            district_in_scope(c, actor, &i.location)?;
            let id = random_id()?;
            c.execute(
                "INSERT INTO institutions (id, kind, name, location, registered, monitored, last_inspection) VALUES (?, ?, ?, ?, ?, ?, ?)",
                &[
                    id.clone().into(),
                    i.kind.as_str().into(),
                    i.name.trim().into(),
                    i.location.clone().into(),
                    i.registered.into(),
                    i.monitored.into(),
                    i.last_inspection.map(|d| d.to_string()).into(),
                ],
            )?;
            append_audit(c, now, &actor.name, "institution.create", &format!("institution:{id}"), "ok", "")?;
            Ok(Institution { id, ..i.clone() })
        })
    }

    pub(crate) fn do_list_institutions(&self, actor: &Actor) -> StoreResult<Vec<Institution>> {
        let mut params = Vec::new();
        let scope = match &actor.scope_path {
            Some(p) => super::under_path("l.path", p, &mut params),
            None => String::new(),
        };
        let rows = self.tx(false, |c| {
            c.query(&format!("SELECT i.id, i.kind, i.name, i.location, i.registered, i.monitored, i.last_inspection FROM institutions i JOIN locations l ON l.code = i.location WHERE 1 = 1{scope} ORDER BY i.location, i.name"), &params)
        })?;
        rows.iter()
            .map(|r| {
                Ok(Institution {
                    id: text(r, 0)?,
                    kind: InstitutionKind::parse(&text(r, 1)?)
                        .ok_or_else(|| StoreError::Database("bad institution kind".into()))?,
                    name: text(r, 2)?,
                    location: text(r, 3)?,
                    registered: int(r, 4)? != 0,
                    monitored: int(r, 5)? != 0,
                    last_inspection: opt_text(r, 6)?.and_then(|d| Date::parse(&d)),
                })
            })
            .collect()
    }
}

/// Checks a household and its children; a child's mistakes are named by
/// its place in the family (`children[1].sex`), after `prefix`.
fn valid_family(
    h: &NewHousehold,
    children: &[NewChild],
    prefix: &str,
    today: Date,
) -> StoreResult<Vec<ValidChild>> {
    h.validate().map_err(|e| {
        let mut out = haven_domain::ValidationErrors::default();
        for f in e.0 {
            out.add(&format!("{prefix}{}", f.field), f.message);
        }
        StoreError::from(out)
    })?;
    children
        .iter()
        .enumerate()
        .map(|(i, child)| {
            child.validate(today).map_err(|e| {
                let mut out = haven_domain::ValidationErrors::default();
                for f in e.0 {
                    out.add(&format!("{prefix}children[{i}].{}", f.field), f.message);
                }
                StoreError::from(out)
            })
        })
        .collect()
}
