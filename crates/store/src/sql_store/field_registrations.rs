//! Offline field work: a child registered on a laptop whom the server may
//! already know (issue 16). Two caseworkers meet the same child in
//! different villages, or a laptop registers a child the district office
//! registered last month: written at once, the registry would hold two
//! records of one child, each with half of the history. Instead the
//! registration is held, sealed, as a conflict on the record it may
//! duplicate, named by the identifier the laptop gave the child; a person
//! reads both and decides: a different child (registered then, under the
//! laptop's identifier) or the same child (nothing registered; the
//! laptop's later changes to it apply to the registered record, a field
//! changed there since waiting for a person as any conflict). Until the
//! decision the laptop's later changes to that child are refused, with why.

use super::field_nodes::{answer, Values, SEALED};
use super::{append_audit, district_in_scope, SqlStore};
use crate::error::{StoreError, StoreResult};
use crate::field::{FieldConflict, Keep};
use crate::sql::{blob, opt_text, text, Conn, Value};
use haven_domain::child::ValidChild;
use haven_domain::duplicates::DuplicateFacts;
use haven_domain::field_ops::{registration, FieldOperation, OperationResult, Outcome, Refusal};
use haven_domain::{Actor, Date};
use serde::{Deserialize, Serialize};

/// The conflict's field for a held registration.
pub const REGISTRATION: &str = "registration";

/// A registration held for a person, as sealed with the conflict.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct HeldRegistration {
    /// When it counts as made (already bounded at the sync).
    made_at: i64,
    /// The operation's fields.
    fields: Vec<(String, Option<String>)>,
}

/// What a person decided of a held registration.
enum Held {
    /// Nothing yet.
    Waiting,
    /// A different child: registered under the laptop's identifier.
    Registered,
    /// The child already registered under this identifier.
    SameAs(String),
}

/// How a held record reads beside the one it may duplicate: name, date
/// of birth and place, in no language.
fn summary(name: &str, born: Date, place: &str) -> String {
    format!("{name} · {born} · {place}")
}

impl SqlStore {
    /// What became of the laptop's registration of `record`, if it was
    /// held: one lookup serves the registration sent again, the laptop's
    /// later changes to the child, and the record they apply to.
    fn held(&self, c: &mut dyn Conn, record: &str) -> StoreResult<Option<Held>> {
        let rows = c.query(
            "SELECT kept, child_id FROM field_conflicts WHERE id = ? AND field = ?",
            &[record.into(), REGISTRATION.into()],
        )?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        Ok(Some(match opt_text(r, 0)?.map(|k| Keep::parse(&k)) {
            None => Held::Waiting,
            Some(Some(Keep::Server)) => Held::SameAs(text(r, 1)?),
            Some(_) => Held::Registered,
        }))
    }

    /// What became of a registration sent again, if it was held: still
    /// waiting (the same answer), or decided to be a child already
    /// registered (refused, with which). Registered meanwhile, it is
    /// found as a child before this is asked.
    pub(super) fn registration_held_before(
        &self,
        c: &mut dyn Conn,
        op: &FieldOperation,
    ) -> StoreResult<Option<OperationResult>> {
        Ok(match self.held(c, &op.record)? {
            Some(Held::Waiting) => Some(answer(
                op.n,
                Outcome::Conflict,
                None,
                vec![REGISTRATION.into()],
            )),
            Some(Held::SameAs(child)) => Some(super::field_nodes::refusal(
                op.n,
                Refusal::SameChild,
                format!(
                    "a person decided this child is the one already registered as {child}: work on that record"
                ),
            )),
            Some(Held::Registered) | None => None,
        })
    }

    /// The record a laptop's operations on `record` apply to: the child a
    /// person decided it is, when the laptop's registration of it was
    /// held and found to be a child already registered; else itself.
    pub(super) fn record_for(&self, c: &mut dyn Conn, record: &str) -> StoreResult<String> {
        Ok(match self.held(c, record)? {
            Some(Held::SameAs(child)) => child,
            _ => record.to_string(),
        })
    }

    /// Why a change to `record` from a laptop finds no child, when its
    /// registration is held for a person.
    pub(super) fn held_reason(
        &self,
        c: &mut dyn Conn,
        record: &str,
    ) -> StoreResult<Option<String>> {
        Ok(matches!(self.held(c, record)?, Some(Held::Waiting)).then(|| {
            "the child's registration waits for a person to decide whether the child was already registered: redo this once it is decided".to_string()
        }))
    }

    /// Holds a registration that may be a child the server knows, and
    /// answers so; `None` when no record looks like the same child.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn hold_if_possibly_registered(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        node_id: &str,
        op: &FieldOperation,
        valid: &ValidChild,
        made_at: i64,
        now: i64,
    ) -> StoreResult<Option<OperationResult>> {
        let path = match district_in_scope(c, actor, &valid.location) {
            Ok(p) => p,
            // Refused plainly when it is written.
            Err(StoreError::Forbidden(_) | StoreError::Invalid(_) | StoreError::NotFound(_)) => {
                return Ok(None)
            }
            Err(e) => return Err(e),
        };
        let name = format!("{} {}", valid.given_name, valid.family_name);
        let me = DuplicateFacts {
            name: &name,
            date_of_birth: valid.date_of_birth,
            estimated: valid.date_of_birth_estimated,
            location_path: &path,
            sex: valid.sex.as_str(),
        };
        let found = self.duplicates_of(c, actor, &me, Some(&op.record))?;
        let Some(best) = found.first() else {
            return Ok(None);
        };
        let other = &best.child;
        let values = Values {
            base: None,
            laptop: Some(summary(&name, valid.date_of_birth, &valid.location)),
            server: Some(summary(
                &other.full_name(),
                other.date_of_birth,
                &other.location,
            )),
            registration: Some(HeldRegistration {
                made_at,
                fields: op
                    .changes
                    .iter()
                    .map(|f| (f.field.clone(), f.value.clone()))
                    .collect(),
            }),
        };
        let sealed = self.keys.seal(
            SEALED,
            &serde_json::to_string(&values)
                .map_err(|e| StoreError::Database(format!("a held registration: {e}")))?,
        )?;
        c.execute(
            "INSERT INTO field_conflicts (id, node_id, n, child_id, field, sealed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            &[
                op.record.as_str().into(),
                node_id.into(),
                (op.n as i64).into(),
                other.id.as_str().into(),
                REGISTRATION.into(),
                Value::Blob(sealed),
                now.into(),
            ],
        )?;
        append_audit(
            c,
            now,
            &actor.name,
            "child.create",
            &format!("child:{}", op.record),
            "conflict",
            &format!(
                "registered offline on a field laptop; held for a person to decide: possibly child:{}, already registered",
                other.id
            ),
        )?;
        Ok(Some(answer(
            op.n,
            Outcome::Conflict,
            None,
            vec![REGISTRATION.into()],
        )))
    }

    /// A person's decision on a held registration: a different child is
    /// registered under the laptop's identifier; the same child is not
    /// registered again.
    pub(super) fn decide_registration(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        conflict: &FieldConflict,
        keep: Keep,
        now: i64,
    ) -> StoreResult<()> {
        if keep == Keep::Server {
            return Ok(());
        }
        let rows = c.query(
            "SELECT sealed FROM field_conflicts WHERE id = ?",
            &[conflict.id.as_str().into()],
        )?;
        let sealed = rows
            .first()
            .map(|r| blob(r, 0))
            .transpose()?
            .ok_or_else(|| StoreError::Database("a held registration's values".into()))?;
        let values = self.open_values(&sealed)?;
        let held = values
            .registration
            .ok_or_else(|| StoreError::Database("a held registration without its fields".into()))?;
        let (new, estimated) = registration(&held.fields)?;
        let mut valid = new.validate(Date::from_unix(held.made_at))?;
        valid.date_of_birth_estimated = estimated;
        let child = self.insert_child(c, actor, &valid, Some(&conflict.id), now)?;
        append_audit(
            c,
            now,
            &actor.name,
            "child.create",
            &format!("child:{}", child.id),
            "ok",
            &format!(
                "registered offline on {}'s field laptop; decided a different child from child:{}",
                conflict.worker, conflict.child_id
            ),
        )
    }
}
