//! Offline field work, the laptop's own store (issue 16): the children and
//! cases a checkout brings are held as the server sent them, each
//! replacing the laptop's copy, and those that left the user's area (or,
//! for a case, their caseload) are removed.

use super::{append_audit, location_path, SqlStore};
use crate::casework::{Referral, Service};
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::field::{CheckedOutAssessment, CheckedOutCase, Checkout};
use crate::sql::{text, Conn};
use haven_domain::assessment::Instrument;
use haven_domain::child::ValidChild;
use haven_domain::Actor;

impl SqlStore {
    pub(crate) fn do_receive_checkout(
        &self,
        actor: &Actor,
        checkout: &Checkout,
        now: i64,
    ) -> StoreResult<(usize, usize)> {
        let (children, in_scope) = (&checkout.children, &checkout.in_scope);
        sync_only(actor)?;
        self.tx(true, |c| {
            // Households first: a child names theirs.
            for held in &checkout.households {
                self.hold_household(c, held)?;
            }
            for child in children {
                let Some((path, _)) = location_path(c, &child.location)? else {
                    return Err(StoreError::field(
                        "location",
                        format!(
                            "the checkout names a place this laptop does not know: {}",
                            child.location
                        ),
                    ));
                };
                // As the server holds the child, with their household when
                // the laptop holds it (one outside the user's area does not
                // come with the checkout).
                let v = ValidChild {
                    given_name: child.given_name.clone(),
                    family_name: child.family_name.clone(),
                    sex: child.sex,
                    date_of_birth: child.date_of_birth,
                    date_of_birth_estimated: child.date_of_birth_estimated,
                    location: child.location.clone(),
                    birth_registration: child.birth_registration,
                    disability: child.disability,
                    minority_group: child.minority_group.clone(),
                    living_situation: child.living_situation,
                    in_school: child.in_school,
                    child_labour: child.child_labour,
                    household_id: match &child.household_id {
                        Some(h) if household_here(c, h)? => Some(h.clone()),
                        _ => None,
                    },
                };
                self.replace_child(
                    c,
                    &child.id,
                    &v,
                    path,
                    child.agency.clone(),
                    (child.created_at, child.updated_at),
                )?;
                append_audit(
                    c,
                    now,
                    &actor.name,
                    "field.receive",
                    &format!("child:{}", child.id),
                    "ok",
                    "checked out from the server",
                )?;
            }
            for instrument in &checkout.instruments {
                hold_instrument(c, instrument, now)?;
            }
            for held in &checkout.assessments {
                self.hold_assessment(c, held, now)?;
            }
            // Children that left the user's area (transferred, removed).
            let removed = remove_absent(
                c,
                (actor, now),
                ("children", "child"),
                in_scope,
                forget,
                "no longer in the user's area",
            )?;
            Ok((children.len(), removed))
        })
    }
}

impl SqlStore {
    pub(crate) fn do_receive_cases(
        &self,
        actor: &Actor,
        checkout: &Checkout,
        now: i64,
    ) -> StoreResult<(usize, usize)> {
        sync_only(actor)?;
        let (cases, open_cases) = (&checkout.cases, &checkout.open_cases);
        self.tx(true, |c| {
            for service in &checkout.services {
                hold_service(c, service, now)?;
            }
            for held in cases {
                self.hold_case(c, held)?;
                append_audit(
                    c,
                    now,
                    &actor.name,
                    "field.receive",
                    &format!("case:{}", held.case.id),
                    "ok",
                    "checked out from the server",
                )?;
            }
            self.hold_incoming(c, actor, &checkout.incoming_referrals, now)?;
            let removed = remove_absent(
                c,
                (actor, now),
                ("cases", "case"),
                open_cases,
                forget_case,
                "closed, reassigned or transferred on the server",
            )?;
            Ok((cases.len(), removed))
        })
    }

    /// Writes a case and its history as the server holds them, sealed with
    /// the laptop's key, over the laptop's copy.
    fn hold_case(&self, c: &mut dyn Conn, held: &CheckedOutCase) -> StoreResult<()> {
        let k = &held.case;
        let rows = c.query(
            "SELECT location_path FROM children WHERE id = ?",
            &[k.child_id.as_str().into()],
        )?;
        let Some(r) = rows.first() else {
            return Err(StoreError::field(
                "cases",
                format!(
                    "the checkout brings case {} of a child this laptop does not hold",
                    k.id
                ),
            ));
        };
        let path = text(r, 0)?;
        let seal = |field: &str, v: &Option<String>| self.keys.seal_optional(field, v.as_deref());
        c.execute(
            "INSERT INTO cases (id, child_id, location_path, agency, assigned_to, step, plan_status, closure_requested, level, urgent, plan_enc, consent, child_views_enc, adoptability_enc, next_due_at, opened_by, opened_at, updated_at, closed_at, exploitation) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET child_id = excluded.child_id, location_path = excluded.location_path, agency = excluded.agency, \
             assigned_to = excluded.assigned_to, step = excluded.step, plan_status = excluded.plan_status, \
             closure_requested = excluded.closure_requested, level = excluded.level, urgent = excluded.urgent, \
             plan_enc = excluded.plan_enc, consent = excluded.consent, child_views_enc = excluded.child_views_enc, \
             adoptability_enc = excluded.adoptability_enc, next_due_at = excluded.next_due_at, opened_by = excluded.opened_by, \
             opened_at = excluded.opened_at, updated_at = excluded.updated_at, closed_at = excluded.closed_at, \
             exploitation = excluded.exploitation",
            &[
                k.id.as_str().into(),
                k.child_id.as_str().into(),
                path.as_str().into(),
                k.agency.clone().into(),
                k.assigned_to.as_str().into(),
                k.step.as_str().into(),
                k.plan_status.as_str().into(),
                k.closure_requested.into(),
                k.level.map(|l| l.as_str()).into(),
                k.urgent.into(),
                seal("case.plan", &k.plan)?.into(),
                k.consent.as_str().into(),
                seal("case.child_views", &k.child_views)?.into(),
                seal("case.adoptability", &k.adoptability)?.into(),
                k.next_due_at.into(),
                k.opened_by.as_str().into(),
                k.opened_at.into(),
                k.updated_at.into(),
                k.closed_at.into(),
                k.exploitation.map(|e| e.as_str()).into(),
            ],
        )?;
        // The server's history and referrals replace the laptop's: those
        // made here and since sent come back in them, dated when made.
        c.execute(
            "DELETE FROM referrals WHERE case_id = ?",
            &[k.id.as_str().into()],
        )?;
        for r in &held.referrals {
            self.hold_referral(c, r, &path)?;
        }
        c.execute(
            "DELETE FROM case_events WHERE case_id = ?",
            &[k.id.as_str().into()],
        )?;
        for e in &held.events {
            c.execute(
                "INSERT INTO case_events (id, case_id, kind, body_enc, author, at) VALUES (?, ?, ?, ?, ?, ?)",
                &[
                    random_id()?.into(),
                    k.id.as_str().into(),
                    e.kind.as_str().into(),
                    self.keys.seal("case.event", &e.text)?.into(),
                    e.author.as_str().into(),
                    e.at.into(),
                ],
            )?;
        }
        Ok(())
    }
}

impl SqlStore {
    /// An assessment as the server holds it: written once (made here and
    /// sent, it is already here), its confirmation kept up to date.
    fn hold_assessment(
        &self,
        c: &mut dyn Conn,
        held: &CheckedOutAssessment,
        now: i64,
    ) -> StoreResult<()> {
        let a = &held.assessment;
        let here = c.query(
            "SELECT 1 FROM assessments WHERE id = ?",
            &[a.id.as_str().into()],
        )?;
        if here.is_empty() {
            return self.insert_assessment(c, a, held.instrument_version);
        }
        self.write_confirmation(
            c,
            (&a.id, &a.child_id),
            a.confirmed_level,
            a.override_reason.as_deref(),
            a.confirmed_by.as_deref(),
            now,
        )
    }

    /// A referral as the server holds it, sealed with the laptop's key;
    /// one to a service the laptop's directory lacks is left out.
    fn hold_referral(&self, c: &mut dyn Conn, r: &Referral, path: &str) -> StoreResult<()> {
        let known = c.query(
            "SELECT 1 FROM services WHERE id = ?",
            &[r.service_id.as_str().into()],
        )?;
        if known.is_empty() {
            return Ok(());
        }
        let answer = self
            .keys
            .seal_optional("referral.answer", r.answer.as_deref())?;
        c.execute(
            "INSERT INTO referrals (id, case_id, child_id, location_path, from_agency, service_id, to_agency, sector, kind, status, reason_enc, answer_enc, sent_by, sent_at, respond_by, answered_by, answered_at, completed_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            &[
                r.id.as_str().into(),
                r.case_id.as_str().into(),
                r.child_id.as_str().into(),
                path.into(),
                r.from_agency.clone().into(),
                r.service_id.as_str().into(),
                r.to_agency.as_str().into(),
                r.sector.as_str().into(),
                r.kind.as_str().into(),
                r.status.as_str().into(),
                self.keys.seal("referral.reason", &r.reason)?.into(),
                answer.into(),
                r.sent_by.as_str().into(),
                r.sent_at.into(),
                r.respond_by.into(),
                r.answered_by.clone().into(),
                r.answered_at.into(),
                r.completed_at.into(),
            ],
        )?;
        Ok(())
    }
}

/// A version of the server's instrument, unless the laptop has it (a
/// version never changes).
fn hold_instrument(c: &mut dyn Conn, i: &Instrument, now: i64) -> StoreResult<()> {
    let body = serde_json::to_string(i)
        .map_err(|e| StoreError::Database(format!("an instrument could not be written: {e}")))?;
    c.execute(
        "INSERT INTO instruments (version, body, created_by, created_at) VALUES (?, ?, 'server', ?) ON CONFLICT (version) DO NOTHING",
        &[i64::from(i.version).into(), body.into(), now.into()],
    )?;
    Ok(())
}

/// A service of the server's directory over the laptop's copy; one
/// covering a place the laptop does not know is left out.
fn hold_service(c: &mut dyn Conn, s: &Service, now: i64) -> StoreResult<()> {
    let Some((coverage_path, _)) = location_path(c, &s.coverage)? else {
        return Ok(());
    };
    let layers = s
        .layers
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join(",");
    c.execute(
        "INSERT INTO services (id, name, provider, agency, sector, layers, coverage, coverage_path, factors, contact, created_by, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'server', ?) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, provider = excluded.provider, agency = excluded.agency, \
         sector = excluded.sector, layers = excluded.layers, coverage = excluded.coverage, \
         coverage_path = excluded.coverage_path, factors = excluded.factors, contact = excluded.contact",
        &[
            s.id.as_str().into(),
            s.name.as_str().into(),
            s.provider.as_str().into(),
            s.agency.as_str().into(),
            s.sector.as_str().into(),
            layers.into(),
            s.coverage.as_str().into(),
            coverage_path.into(),
            s.factors.join(",").into(),
            s.contact.as_str().into(),
            now.into(),
        ],
    )?;
    Ok(())
}

/// Only the sync (the system actor) writes what the server sent.
fn sync_only(actor: &Actor) -> StoreResult<()> {
    if actor.user_id == Actor::system().user_id {
        Ok(())
    } else {
        Err(StoreError::Forbidden(
            "only `haven field` on the laptop does this".into(),
        ))
    }
}

/// Removes each record of `table` (audited as `kind:id`, saying `why`)
/// that the checkout's `keep` does not list, with `forget`. Returns how
/// many.
fn remove_absent(
    c: &mut dyn Conn,
    (actor, now): (&Actor, i64),
    (table, kind): (&str, &str),
    keep: &[String],
    forget: fn(&mut dyn Conn, &str) -> StoreResult<()>,
    why: &str,
) -> StoreResult<usize> {
    let keep: std::collections::HashSet<&String> = keep.iter().collect();
    let mut removed = 0;
    for r in &c.query(&format!("SELECT id FROM {table}"), &[])? {
        let id = text(r, 0)?;
        if !keep.contains(&id) {
            forget(c, &id)?;
            removed += 1;
            append_audit(
                c,
                now,
                &actor.name,
                "field.remove",
                &format!("{kind}:{id}"),
                "ok",
                why,
            )?;
        }
    }
    Ok(removed)
}

/// Whether the laptop holds household `id`.
fn household_here(c: &mut dyn Conn, id: &str) -> StoreResult<bool> {
    Ok(!c
        .query("SELECT 1 FROM households WHERE id = ?", &[id.into()])?
        .is_empty())
}

/// Removes the laptop's copy of a case, its referrals and its history.
fn forget_case(c: &mut dyn Conn, id: &str) -> StoreResult<()> {
    c.execute("DELETE FROM referrals WHERE case_id = ?", &[id.into()])?;
    c.execute("DELETE FROM case_events WHERE case_id = ?", &[id.into()])?;
    c.execute("DELETE FROM cases WHERE id = ?", &[id.into()])?;
    Ok(())
}

/// Removes the laptop's copy of a child, its name tokens, its cases and
/// the assessments made of it here (sent at the sync before the child
/// left).
fn forget(c: &mut dyn Conn, id: &str) -> StoreResult<()> {
    for r in &c.query("SELECT id FROM cases WHERE child_id = ?", &[id.into()])? {
        forget_case(c, &text(r, 0)?)?;
    }
    c.execute("DELETE FROM child_tokens WHERE child_id = ?", &[id.into()])?;
    c.execute("DELETE FROM assessments WHERE child_id = ?", &[id.into()])?;
    c.execute("DELETE FROM children WHERE id = ?", &[id.into()])?;
    Ok(())
}
