//! Many rows per statement, for the bulk paths: families registered by the
//! thousand (synthetic data, an import). Each statement is a round trip to
//! PostgreSQL, and with a row per statement and each audit entry on its
//! own, 100,000 children took 128-177 s there; here a batch of families is
//! a handful of statements per table.

use super::audit_batch::AuditEvent;
use super::{append_audit_events, district_in_scope, SqlStore};
use crate::crypto::ordered_ids;
use crate::error::{StoreError, StoreResult};
use crate::sql::{Conn, Value};
use haven_domain::child::ValidChild;
use haven_domain::{Actor, NewFamily};
use std::collections::HashMap;

/// Parameters per statement at most: well under SQLite's 32,766 and
/// PostgreSQL's 65,535.
const PARAMS_PER_STATEMENT: usize = 8_000;

/// Rows for one table, written many per statement.
pub(super) struct Rows {
    /// `table (column, ...)`.
    into: &'static str,
    width: usize,
    params: Vec<Value>,
}

impl Rows {
    pub(super) fn new(into: &'static str, width: usize) -> Rows {
        Rows {
            into,
            width,
            params: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, row: Vec<Value>) -> StoreResult<()> {
        if row.len() != self.width {
            return Err(StoreError::Database(format!(
                "a row of {} values for {}",
                row.len(),
                self.into
            )));
        }
        self.params.extend(row);
        Ok(())
    }

    /// Inserts the rows pushed (again, if the transaction is run again).
    pub(super) fn write(&self, c: &mut dyn Conn) -> StoreResult<()> {
        let per_statement = (PARAMS_PER_STATEMENT / self.width).max(1);
        let one = format!("({})", vec!["?"; self.width].join(", "));
        for chunk in self.params.chunks(per_statement * self.width) {
            let values = vec![one.as_str(); chunk.len() / self.width].join(", ");
            c.execute(&format!("INSERT INTO {} VALUES {values}", self.into), chunk)?;
        }
        Ok(())
    }
}

/// A batch of families as rows, built before the write transaction
/// (sealing names and computing search tokens is most of a batch's own
/// work): while one batch is written, the next can be built.
pub(super) struct PreparedFamilies {
    households: Rows,
    caregivers: Rows,
    children: Rows,
    tokens: Rows,
    events: Vec<AuditEvent>,
    /// Each district named, with the path the rows were built with.
    paths: HashMap<String, String>,
    made: usize,
}

impl SqlStore {
    /// The districts `families` name, with their paths, each checked
    /// against the caller's scope (in a read transaction).
    pub(super) fn family_paths(
        &self,
        actor: &Actor,
        families: &[NewFamily],
        valid: &[Vec<ValidChild>],
    ) -> StoreResult<HashMap<String, String>> {
        let mut codes: Vec<&str> = families
            .iter()
            .map(|f| f.household.location.trim())
            .chain(valid.iter().flatten().map(|v| v.location.as_str()))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        self.tx(false, |c| {
            codes
                .iter()
                .map(|&code| Ok((code.to_string(), district_in_scope(c, actor, code)?)))
                .collect()
        })
    }

    /// Builds the rows of validated families (households, caregivers,
    /// children and their name tokens) and their audit entries: the same
    /// rows and entries, in the same order, as registering them one by
    /// one. `paths` is [`SqlStore::family_paths`].
    pub(super) fn prepare_families(
        &self,
        actor: &Actor,
        families: &[NewFamily],
        valid: &[Vec<ValidChild>],
        paths: HashMap<String, String>,
    ) -> StoreResult<PreparedFamilies> {
        let path_of = |code: &str| {
            paths
                .get(code)
                .cloned()
                .ok_or_else(|| StoreError::Database(format!("no path for {code}")))
        };
        let mut households = Rows::new(super::households::HOUSEHOLD_INSERT, 6);
        let mut caregivers = Rows::new(super::households::CAREGIVER_INSERT, 7);
        let mut children = Rows::new(super::children::CHILD_INSERT, 18);
        let mut tokens = Rows::new(super::children::TOKEN_INSERT, 2);
        let mut events = Vec::new();
        let event = |at: i64, action: &str, target: String| {
            AuditEvent::new(at, &actor.name, action, &target, "ok", "")
        };
        // Ordered ids: each new row goes next to the last one in the
        // tables' indexes instead of on a random page of them.
        let people: usize = families
            .iter()
            .map(|f| 1 + f.household.caregivers.len())
            .sum::<usize>()
            + valid.iter().map(Vec::len).sum::<usize>();
        let mut ids = ordered_ids(people)?.into_iter();
        let mut next_id = || {
            ids.next()
                .ok_or_else(|| StoreError::Database("fewer ids than rows".into()))
        };
        let mut made = 0;
        for (f, kids) in families.iter().zip(valid) {
            let at = f.registered_at;
            let path = path_of(f.household.location.trim())?;
            let household = next_id()?;
            households.push(self.household_row(&household, actor, &f.household, path, at)?)?;
            for g in &f.household.caregivers {
                caregivers.push(self.caregiver_row(&next_id()?, &household, g, at)?)?;
            }
            events.push(event(
                at,
                "household.create",
                format!("household:{household}"),
            ));
            for v in kids {
                let mut v = v.clone();
                v.household_id = Some(household.clone());
                let path = path_of(&v.location)?;
                let id = next_id()?;
                children.push(
                    [
                        vec![id.clone().into()],
                        self.record_values(&v, path)?,
                        vec![actor.agency.clone().into(), at.into(), at.into()],
                    ]
                    .concat(),
                )?;
                let name = format!("{} {}", v.given_name, v.family_name);
                for t in self.blind_tokens(&name, v.date_of_birth.year()) {
                    tokens.push(vec![id.as_str().into(), Value::Blob(t)])?;
                }
                events.push(event(at, "child.create", format!("child:{id}")));
                made += 1;
            }
        }
        Ok(PreparedFamilies {
            households,
            caregivers,
            children,
            tokens,
            events,
            paths,
            made,
        })
    }

    /// Writes prepared families in the caller's write transaction, once
    /// each district is still where it was and still in the caller's scope
    /// (a district moved meanwhile is refused: register again). Returns how
    /// many children were made.
    pub(super) fn write_families(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        prepared: &PreparedFamilies,
    ) -> StoreResult<usize> {
        for (code, path) in &prepared.paths {
            if &district_in_scope(c, actor, code)? != path {
                return Err(StoreError::Conflict(format!(
                    "the district {code} moved while these families were registered: register them again"
                )));
            }
        }
        // Parents before the rows that refer to them.
        for rows in [
            &prepared.households,
            &prepared.caregivers,
            &prepared.children,
            &prepared.tokens,
        ] {
            rows.write(c)?;
        }
        append_audit_events(c, &prepared.events)?;
        Ok(prepared.made)
    }
}
