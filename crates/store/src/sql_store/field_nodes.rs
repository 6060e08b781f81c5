//! Field laptops on the server (issue 16): enrolment, revocation, the
//! sync that applies a laptop's operations once each, and the conflicts it
//! leaves for a person.
//!
//! Each operation is applied in a transaction of its own, which also
//! records its answer and moves the laptop's acknowledged number: a sync
//! cut off anywhere resumes at the first operation not acknowledged, and
//! one sent again is answered from the record, never applied twice. A
//! refusal (the child left the worker's area, a value is not valid) is
//! decided before anything is written, and is acknowledged too: the laptop
//! keeps the work for the worker to redo or discard.

use super::{append_audit, SqlStore};
use crate::crypto::{hex, random_bytes, random_id, sha256_hex};
use crate::error::{StoreError, StoreResult};
use crate::field::{Checkout, FieldConflict, FieldNode, Keep, SyncAnswer, LAPTOP_TOKEN_PREFIX};
use crate::sql::{blob, int, opt_int, opt_text, text, Conn, Row, Value};
use haven_domain::field_ops::{
    child_fields, child_patch, is_record_id, made_offline_at, record_kind, registration,
    FieldOperation, OperationResult, Outcome, Refusal, ASSESSMENT_RECORD, CASE_NOTE, CASE_OPEN,
    CASE_STEP, CHILD_REGISTER, CHILD_UPDATE, MAX_OPERATIONS, REFERRAL_ANSWER, REFERRAL_MAKE,
};
use haven_domain::field_sync::{merge_fields, next_operations};
use haven_domain::{Actor, Date, Role, ValidationErrors};
use serde::{Deserialize, Serialize};

/// The sealed field's name (binds the ciphertext to its use).
pub(super) const SEALED: &str = "field_conflict.values";

const NODE_COLS: &str = "n.id, u.name, n.label, n.enrolled_at, n.acknowledged, n.last_sync_at, n.pending, n.revoked_at, n.user_id";

/// A conflict's values as sealed at rest.
#[derive(Serialize, Deserialize)]
pub(super) struct Values {
    pub(super) base: Option<String>,
    pub(super) laptop: Option<String>,
    pub(super) server: Option<String>,
    /// A registration held for a person (the field `registration`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) registration: Option<super::field_registrations::HeldRegistration>,
}

fn node_from_row(r: &Row) -> StoreResult<FieldNode> {
    Ok(FieldNode {
        id: text(r, 0)?,
        user: text(r, 1)?,
        label: text(r, 2)?,
        enrolled_at: int(r, 3)?,
        acknowledged: int(r, 4)?.max(0) as u64,
        last_sync_at: opt_int(r, 5)?,
        pending: int(r, 6)?.max(0) as u64,
        revoked_at: opt_int(r, 7)?,
    })
}

/// The node, if it exists; with its owner's user id.
fn node_in(c: &mut dyn Conn, id: &str) -> StoreResult<Option<(FieldNode, String)>> {
    let rows = c.query(
        &format!(
            "SELECT {NODE_COLS} FROM field_nodes n JOIN users u ON u.id = n.user_id WHERE n.id = ?"
        ),
        &[id.into()],
    )?;
    rows.first()
        .map(|r| Ok((node_from_row(r)?, text(r, 8)?)))
        .transpose()
}

/// The caller's own node, not revoked: anyone else's is not found, so that
/// its existence is not given away.
pub(super) fn own_node(c: &mut dyn Conn, actor: &Actor, id: &str) -> StoreResult<FieldNode> {
    match node_in(c, id)? {
        Some((node, owner)) if owner == actor.user_id => {
            if node.revoked_at.is_some() {
                return Err(StoreError::Forbidden(format!(
                    "this laptop ({}) was revoked by an administrator: enrol it again to sync",
                    node.label
                )));
            }
            Ok(node)
        }
        _ => Err(StoreError::NotFound(format!("field laptop {id}"))),
    }
}

pub(super) fn answer(
    n: u64,
    outcome: Outcome,
    reason: Option<String>,
    conflicts: Vec<String>,
) -> OperationResult {
    OperationResult {
        n,
        outcome,
        reason,
        code: None,
        conflicts,
    }
}

/// A refusal: its code, which a laptop shows in its user's language, and
/// the server's words.
pub(super) fn refusal(n: u64, code: Refusal, reason: impl Into<String>) -> OperationResult {
    OperationResult {
        code: Some(code),
        ..answer(n, Outcome::Refused, Some(reason.into()), Vec::new())
    }
}

/// For a record a laptop names by its own identifier (an assessment, a
/// referral): when an earlier sync already wrote it and its answer was
/// lost, `owner_sql` (`SELECT <owner> FROM <table> WHERE id = ?`) finds its
/// owner; the answer is "applied" again for the same owner, a refusal
/// saying `taken` for another. `None` when nothing has that identifier.
pub(super) fn written_before(
    c: &mut dyn Conn,
    n: u64,
    owner_sql: &str,
    id: &str,
    owner: &str,
    taken: &str,
) -> StoreResult<Option<OperationResult>> {
    let rows = c.query(owner_sql, &[id.into()])?;
    let Some(r) = rows.first() else {
        return Ok(None);
    };
    Ok(Some(if text(r, 0)? == owner {
        answer(n, Outcome::Applied, None, Vec::new())
    } else {
        refusal(n, Refusal::Invalid, taken)
    }))
}

impl SqlStore {
    /// For an operation that adds a row of `table` (with a `child_id`)
    /// under the laptop's identifier `id` to the child it names: the child
    /// it is (the one a person decided the laptop's registration was, if
    /// so), and the answer again when an earlier sync already wrote it
    /// (`what`, for another child, is refused).
    pub(super) fn child_added_to(
        &self,
        c: &mut dyn Conn,
        op: &FieldOperation,
        table: &str,
        id: &str,
        what: &str,
    ) -> StoreResult<(String, Option<OperationResult>)> {
        let child = self.record_for(c, &op.record)?;
        let again = written_before(
            c,
            op.n,
            &format!("SELECT child_id FROM {table} WHERE id = ?"),
            id,
            &child,
            &format!("{what} with this identifier is already recorded for another child"),
        )?;
        Ok((child, again))
    }
}

/// The answer recorded for operation `n` of a node.
fn recorded(c: &mut dyn Conn, node: &str, n: u64) -> StoreResult<OperationResult> {
    let rows = c.query(
        "SELECT outcome, reason, conflicts, code FROM field_operations WHERE node_id = ? AND n = ?",
        &[node.into(), (n as i64).into()],
    )?;
    let r = rows.first().ok_or_else(|| {
        StoreError::Database(format!(
            "operation {n} of {node} is acknowledged but has no answer"
        ))
    })?;
    let outcome = Outcome::parse(&text(r, 0)?)
        .ok_or_else(|| StoreError::Database("an operation's stored outcome".into()))?;
    let conflicts = text(r, 2)?;
    Ok(OperationResult {
        code: opt_text(r, 3)?.and_then(|c| Refusal::parse(&c)),
        ..answer(
            n,
            outcome,
            opt_text(r, 1)?,
            conflicts
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        )
    })
}

impl SqlStore {
    pub(crate) fn do_enrol_field_node(
        &self,
        actor: &Actor,
        label: &str,
        now: i64,
    ) -> StoreResult<(FieldNode, String)> {
        self.child_access(actor, now)?;
        let mut e = ValidationErrors::default();
        // As typed, before trimming: what the document promises.
        if label.chars().count() > 100 {
            e.add("label", "must be at most 100 characters");
        }
        let label = haven_domain::validation::clean_name(&mut e, "label", label, true);
        e.into_result()?;
        let token = format!("{LAPTOP_TOKEN_PREFIX}{}", hex(&random_bytes::<32>()?));
        let token_hash = sha256_hex(token.as_bytes());
        self.tx(true, |c| {
            let id = random_id()?;
            c.execute(
                "INSERT INTO field_nodes (id, user_id, label, enrolled_at, token_hash) VALUES (?, ?, ?, ?, ?)",
                &[
                    id.clone().into(),
                    actor.user_id.clone().into(),
                    label.clone().into(),
                    now.into(),
                    token_hash.clone().into(),
                ],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "field_node.enrol",
                &format!("field_node:{id}"),
                "ok",
                &label,
            )?;
            let node = node_in(c, &id)?
                .map(|(n, _)| n)
                .ok_or_else(|| StoreError::Database("the enrolled laptop vanished".into()))?;
            Ok((node, token.clone()))
        })
    }

    pub(crate) fn do_laptop_for_token(
        &self,
        token: &str,
        _now: i64,
    ) -> StoreResult<(Actor, String)> {
        if !token.starts_with(LAPTOP_TOKEN_PREFIX) || token.len() > 200 {
            return Err(StoreError::Unauthenticated);
        }
        let hash = sha256_hex(token.as_bytes());
        let (id, revoked, actor) = self.tx(false, |c| {
            let rows = c.query(
                "SELECT n.id, n.revoked_at, u.name FROM field_nodes n JOIN users u ON u.id = n.user_id \
                 WHERE n.token_hash = ?",
                &[hash.clone().into()],
            )?;
            let Some(r) = rows.first() else {
                return Err(StoreError::Unauthenticated);
            };
            // A disabled user's laptop signs in as nobody.
            let actor = super::people::actor_named(c, &text(r, 2)?)?
                .ok_or(StoreError::Unauthenticated)?;
            Ok((text(r, 0)?, opt_int(r, 1)?, actor))
        })?;
        if revoked.is_some() {
            return Err(StoreError::Forbidden(format!(
                "this laptop ({id}) was revoked by an administrator: enrol it again to sync"
            )));
        }
        Ok((actor, id))
    }

    pub(crate) fn do_field_nodes(&self, actor: &Actor, now: i64) -> StoreResult<Vec<FieldNode>> {
        let _ = now;
        self.tx(false, |c| {
            let (filter, params): (&str, Vec<Value>) = if actor.role == Role::Admin {
                ("", vec![])
            } else {
                (" WHERE n.user_id = ?", vec![actor.user_id.clone().into()])
            };
            c.query(
                &format!("SELECT {NODE_COLS} FROM field_nodes n JOIN users u ON u.id = n.user_id{filter} ORDER BY u.name, n.enrolled_at"),
                &params,
            )?
            .iter()
            .map(node_from_row)
            .collect()
        })
    }

    pub(crate) fn do_revoke_field_node(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<FieldNode> {
        let target = format!("field_node:{id}");
        self.require_role(
            actor.role == Role::Admin,
            actor,
            "field_node.revoke",
            &target,
            "only an administrator revokes a field laptop",
            now,
        )?;
        self.audited(actor, "field_node.revoke", &target, now, |c| {
            let n = c.execute(
                "UPDATE field_nodes SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
                &[now.into(), actor.name.clone().into(), id.into()],
            )?;
            let (node, _) = node_in(c, id)?
                .ok_or_else(|| StoreError::NotFound(format!("field laptop {id}")))?;
            if n > 0 {
                append_audit(c, now, &actor.name, "field_node.revoke", &target, "ok", &format!("{} of {}", node.label, node.user))?;
            }
            Ok(node)
        })
    }

    pub(crate) fn do_sync_field_operations(
        &self,
        actor: &Actor,
        node_id: &str,
        operations: &[FieldOperation],
        pending: u64,
        now: i64,
    ) -> StoreResult<SyncAnswer> {
        self.child_access(actor, now)?;
        if operations.len() > MAX_OPERATIONS {
            return Err(StoreError::field(
                "operations",
                format!("at most {MAX_OPERATIONS} in one sync: send the rest in the next"),
            ));
        }
        let target = format!("field_node:{node_id}");
        let node = self.audited(actor, "field.sync", &target, now, |c| {
            own_node(c, actor, node_id)
        })?;
        if operations.iter().any(|o| o.kind == ASSESSMENT_RECORD) {
            // The shipped instrument is written on first use: a laptop's
            // assessment may be this server's first.
            self.do_current_instrument(now)?;
        }
        let numbers: Vec<u64> = operations.iter().map(|o| o.n).collect();
        next_operations(node.acknowledged, &numbers)
            .map_err(|e| StoreError::Conflict(e.to_string()))?;
        let mut results = Vec::with_capacity(operations.len());
        for op in operations {
            results.push(self.audited(actor, "field.sync", &target, now, |c| {
                let node = own_node(c, actor, node_id)?;
                if op.n <= node.acknowledged {
                    // Applied before; its answer was lost on the way.
                    return recorded(c, node_id, op.n);
                }
                if op.n != node.acknowledged + 1 {
                    // Another sync of this laptop went ahead meanwhile.
                    return Err(StoreError::Conflict(format!(
                        "operation {} is missing: the laptop must send from there",
                        node.acknowledged + 1
                    )));
                }
                let result = self.apply_operation(c, actor, node_id, op, now)?;
                self.record_operation(c, actor, node_id, op, &result, now)?;
                Ok(result)
            })?);
            crate::stop_points::stop_point("server.operation_applied");
        }
        self.tx(true, |c| {
            c.execute(
                "UPDATE field_nodes SET last_sync_at = ?, pending = ? WHERE id = ?",
                &[now.into(), (pending.min(i64::MAX as u64) as i64).into(), node_id.into()],
            )?;
            let count = |o: Outcome| results.iter().filter(|r| r.outcome == o).count();
            append_audit(
                c,
                now,
                &actor.name,
                "field.sync",
                &target,
                "ok",
                &format!(
                    "{} operations: {} applied, {} with conflicts, {} refused; {pending} still on the laptop",
                    results.len(),
                    count(Outcome::Applied),
                    count(Outcome::Conflict),
                    count(Outcome::Refused)
                ),
            )?;
            let acknowledged = own_node(c, actor, node_id)?.acknowledged;
            Ok(SyncAnswer {
                acknowledged,
                results: results.clone(),
            })
        })
    }

    /// The refusal of an operation on a child the actor cannot reach: one
    /// registered offline and held for a person, or no longer in their
    /// area; `lost` says what was not done.
    pub(super) fn child_gone(
        &self,
        c: &mut dyn Conn,
        op: &FieldOperation,
        lost: &str,
    ) -> StoreResult<OperationResult> {
        if let Some(why) = self.held_reason(c, &op.record)? {
            return Ok(refusal(op.n, Refusal::RegistrationHeld, why));
        }
        Ok(refusal(
            op.n,
            Refusal::OutOfArea,
            format!(
                "the child's record is no longer in your area (transferred or removed): {lost}"
            ),
        ))
    }

    /// What one operation does, decided and (when applied) written in the
    /// caller's transaction. A refusal writes nothing.
    fn apply_operation(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        node_id: &str,
        op: &FieldOperation,
        now: i64,
    ) -> StoreResult<OperationResult> {
        match op.kind.as_str() {
            CHILD_UPDATE => self.apply_child_update(c, actor, node_id, op, now),
            CHILD_REGISTER => self.apply_registration(c, actor, node_id, op, now),
            ASSESSMENT_RECORD => self.apply_assessment(c, actor, op, now),
            CASE_OPEN => self.apply_case_opening(c, actor, op, now),
            CASE_STEP | CASE_NOTE => self.apply_case_work(c, actor, op, now),
            REFERRAL_MAKE => self.apply_referral(c, actor, op, now),
            REFERRAL_ANSWER => self.apply_referral_answer(c, actor, op, now),
            other => Ok(refusal(
                op.n,
                Refusal::Unsupported,
                format!("this server does not take {other:?} operations from a laptop"),
            )),
        }
    }

    /// What a `child.update` operation does: the fields the server has
    /// not changed since the laptop's version are applied; the others wait
    /// as conflicts for a person.
    fn apply_child_update(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        node_id: &str,
        op: &FieldOperation,
        now: i64,
    ) -> StoreResult<OperationResult> {
        let record = self.record_for(c, &op.record)?;
        let child = match self.read_child_scoped(c, actor, &record) {
            Ok(child) => child,
            Err(StoreError::NotFound(_)) => {
                return self.child_gone(c, op, "your change was not applied")
            }
            Err(e) => return Err(e),
        };
        let merge = match merge_fields(&child_fields(&child), &op.changes) {
            Ok(m) => m,
            Err(e) => return Ok(refusal(op.n, Refusal::Invalid, e.to_string())),
        };
        if !merge.apply.is_empty() {
            let patch = match child_patch(&merge.apply) {
                Ok(p) => p,
                Err(v) => return Ok(refusal(op.n, Refusal::Invalid, v.summary())),
            };
            match self.update_child_in(c, actor, &record, &patch, now) {
                Ok(_) => {}
                Err(StoreError::Invalid(v)) => {
                    return Ok(refusal(op.n, Refusal::Invalid, v.summary()))
                }
                Err(StoreError::NotFound(m) | StoreError::Forbidden(m)) => {
                    return Ok(refusal(op.n, Refusal::OutOfArea, m))
                }
                Err(e) => return Err(e),
            }
        }
        let mut fields = Vec::new();
        for conflict in &merge.conflicts {
            let sealed = self.keys.seal(
                SEALED,
                &serde_json::to_string(&Values {
                    base: conflict.base.clone(),
                    laptop: conflict.ours.clone(),
                    server: conflict.theirs.clone(),
                    registration: None,
                })
                .map_err(|e| StoreError::Database(format!("a conflict's values: {e}")))?,
            )?;
            c.execute(
                "INSERT INTO field_conflicts (id, node_id, n, child_id, field, sealed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                &[random_id()?.into(), node_id.into(), (op.n as i64).into(), child.id.clone().into(), conflict.field.clone().into(), sealed.into(), now.into()],
            )?;
            fields.push(conflict.field.clone());
        }
        let outcome = if merge.conflicts.is_empty() {
            Outcome::Applied
        } else {
            Outcome::Conflict
        };
        Ok(answer(op.n, outcome, None, fields))
    }

    /// A child registered on the laptop, written under the identifier the
    /// laptop gave it (so the laptop's later changes to the record find
    /// it), as its user, within their area; a refusal writes nothing.
    fn apply_registration(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        node_id: &str,
        op: &FieldOperation,
        now: i64,
    ) -> StoreResult<OperationResult> {
        if !is_record_id(&op.record) {
            return Ok(refusal(
                op.n,
                Refusal::Invalid,
                "the laptop's identifier for the child is not valid",
            ));
        }
        let known = c.query(
            "SELECT 1 FROM children WHERE id = ?",
            &[op.record.as_str().into()],
        )?;
        if !known.is_empty() {
            // Already on the server (sent before): the same child, once.
            return Ok(match self.read_child_scoped(c, actor, &op.record) {
                Ok(_) => answer(op.n, Outcome::Applied, None, Vec::new()),
                Err(StoreError::NotFound(_)) => refusal(
                    op.n,
                    Refusal::Invalid,
                    "a child with this identifier is registered outside your area",
                ),
                Err(e) => return Err(e),
            });
        }
        if let Some(answered) = self.registration_held_before(c, op)? {
            return Ok(answered);
        }
        let fields: Vec<(String, Option<String>)> = op
            .changes
            .iter()
            .map(|f| (f.field.clone(), f.value.clone()))
            .collect();
        let (new, estimated) = match registration(&fields) {
            Ok(r) => r,
            Err(v) => return Ok(refusal(op.n, Refusal::Invalid, v.summary())),
        };
        // Checked as of the day it was made offline (a child of 17 then
        // may be 18 at the sync), but never more than 90 days back: the
        // laptop's clock is not trusted to make an adult a child.
        let made = made_offline_at(op.made_at, now);
        let mut valid = match new.validate(Date::from_unix(made)) {
            Ok(v) => v,
            Err(v) => return Ok(refusal(op.n, Refusal::Invalid, v.summary())),
        };
        valid.date_of_birth_estimated = estimated;
        if let Some(held) =
            self.hold_if_possibly_registered(c, actor, node_id, op, &valid, made, now)?
        {
            return Ok(held);
        }
        match self.insert_child(c, actor, &valid, Some(&op.record), now) {
            Ok(child) => {
                append_audit(
                    c,
                    now,
                    &actor.name,
                    "child.create",
                    &format!("child:{}", child.id),
                    "ok",
                    "registered offline on a field laptop",
                )?;
                Ok(answer(op.n, Outcome::Applied, None, Vec::new()))
            }
            Err(StoreError::Invalid(v)) => Ok(refusal(op.n, Refusal::Invalid, v.summary())),
            Err(StoreError::NotFound(m) | StoreError::Forbidden(m)) => {
                Ok(refusal(op.n, Refusal::Invalid, m))
            }
            Err(e) => Err(e),
        }
    }

    /// Keeps the answer to an operation and moves the laptop on past it.
    fn record_operation(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        node_id: &str,
        op: &FieldOperation,
        result: &OperationResult,
        now: i64,
    ) -> StoreResult<()> {
        c.execute(
            "INSERT INTO field_operations (node_id, n, kind, record, outcome, reason, conflicts, made_at, received_at, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            &[node_id.into(), (op.n as i64).into(), op.kind.clone().into(), op.record.clone().into(), result.outcome.as_str().into(), result.reason.clone().into(), result.conflicts.join(",").into(), op.made_at.into(), now.into(), result.code.map(|c| c.as_str()).into()],
        )?;
        c.execute(
            "UPDATE field_nodes SET acknowledged = ? WHERE id = ?",
            &[(op.n as i64).into(), node_id.into()],
        )?;
        let detail = match (&result.reason, result.conflicts.is_empty()) {
            (Some(why), _) => format!("operation {} ({}) refused: {why}", op.n, op.kind),
            (None, true) => format!("operation {} ({}) applied", op.n, op.kind),
            (None, false) => format!(
                "operation {} ({}): conflicts on {}",
                op.n,
                op.kind,
                result.conflicts.join(", ")
            ),
        };
        append_audit(
            c,
            now,
            &actor.name,
            "field.operation",
            &format!("{}:{}", record_kind(&op.kind), op.record),
            result.outcome.as_str(),
            &detail,
        )
    }

    pub(crate) fn do_field_checkout(
        &self,
        actor: &Actor,
        node_id: &str,
        since: Option<i64>,
        now: i64,
    ) -> StoreResult<Checkout> {
        self.child_access(actor, now)?;
        let target = format!("field_node:{node_id}");
        self.audited(actor, "field.checkout", &target, now, |c| {
            let node = own_node(c, actor, node_id)?;
            // Since the user's role, area or agency changed, the laptop
            // holds another scope's records: everything comes again.
            let changed = c.query(
                "SELECT scope_changed_at FROM field_nodes WHERE id = ?",
                &[node_id.into()],
            )?;
            let changed = changed.first().map(|r| opt_int(r, 0)).transpose()?.flatten();
            let since = since.filter(|s| changed.is_none_or(|t| *s > t));
            let mut params: Vec<Value> = Vec::new();
            let scope = super::scope_sql(actor, "c", &mut params);
            let in_scope = c
                .query(&format!("SELECT c.id FROM children c WHERE 1 = 1{scope} ORDER BY c.id"), &params)?
                .iter()
                .map(|r| text(r, 0))
                .collect::<StoreResult<Vec<_>>>()?;
            params.push(since.unwrap_or(i64::MIN).into());
            let children = c
                .query(
                    &format!(
                        "SELECT {} FROM children c WHERE 1 = 1{scope} AND c.updated_at >= ? ORDER BY c.id",
                        super::children::CHILD_COLS
                    ),
                    &params,
                )?
                .iter()
                .map(|r| self.child_from_row(r).map(|(child, _)| child))
                .collect::<StoreResult<Vec<_>>>()?;
            let (open_cases, cases) = self.checkout_cases(c, actor, since, now)?;
            let assessments = self.checkout_assessments(c, actor, since)?;
            let incoming_referrals = self.checkout_incoming(c, actor, now)?;
            // Each child and case sent is a read of that record.
            let ids: Vec<&str> = children.iter().map(|ch| ch.id.as_str()).collect();
            let case_ids: Vec<&str> = cases.iter().map(|k| k.case.id.as_str()).collect();
            append_audit(
                c,
                now,
                &actor.name,
                "field.checkout",
                &target,
                "ok",
                &format!(
                    "{} children in scope; records sent: {} (with {} assessments); {} open cases; cases sent: {}; referrals to the agency sent: {}",
                    in_scope.len(),
                    if ids.is_empty() { "none".to_string() } else { ids.join(", ") },
                    assessments.len(),
                    open_cases.len(),
                    if case_ids.is_empty() { "none".to_string() } else { case_ids.join(", ") },
                    if incoming_referrals.is_empty() {
                        "none".to_string()
                    } else {
                        incoming_referrals
                            .iter()
                            .map(|b| format!("{} (child:{})", b.referral.id, b.referral.child_id))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ),
            )?;
            Ok(Checkout {
                at: now,
                acknowledged: node.acknowledged,
                in_scope,
                children,
                open_cases,
                cases,
                services: self.all_services(c)?,
                instruments: self.all_instruments(c)?,
                households: self.checkout_households(c, actor, since)?,
                held_registrations: c
                    .query(
                        "SELECT id FROM field_conflicts WHERE node_id = ? AND field = 'registration' AND kept IS NULL ORDER BY id",
                        &[node_id.into()],
                    )?
                    .iter()
                    .map(|r| text(r, 0))
                    .collect::<StoreResult<_>>()?,
                assessments,
                incoming_referrals,
            })
        })
    }

    pub(crate) fn do_field_conflicts(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<FieldConflict>> {
        self.child_access(actor, now)?;
        self.read_then_audit(
            actor,
            "field_conflict.list",
            "field_conflicts",
            now,
            |c| self.conflicts_in(c, actor, None),
            |found| {
                let children: std::collections::BTreeSet<&str> =
                    found.iter().map(|f| f.child_id.as_str()).collect();
                format!(
                    "{} conflicts on children {}",
                    found.len(),
                    children.into_iter().collect::<Vec<_>>().join(", ")
                )
            },
        )
    }

    /// Open conflicts the actor may see (`id`: just that one): their own
    /// laptops' for a caseworker, every one for a supervisor or
    /// administrator; always on children in their scope.
    fn conflicts_in(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        id: Option<&str>,
    ) -> StoreResult<Vec<FieldConflict>> {
        let mut params: Vec<Value> = Vec::new();
        let mut filter = String::new();
        if let Some(id) = id {
            filter.push_str(" AND f.id = ?");
            params.push(id.into());
        }
        if !matches!(actor.role, Role::Admin | Role::Supervisor) {
            filter.push_str(" AND n.user_id = ?");
            params.push(actor.user_id.clone().into());
        }
        filter.push_str(&super::scope_sql(actor, "ch", &mut params));
        let rows = c.query(
            &format!(
                "SELECT f.id, f.child_id, f.field, f.sealed, u.name, f.n, f.created_at FROM field_conflicts f \
                 JOIN field_nodes n ON n.id = f.node_id JOIN users u ON u.id = n.user_id JOIN children ch ON ch.id = f.child_id \
                 WHERE f.resolved_at IS NULL{filter} ORDER BY f.created_at, f.id"
            ),
            &params,
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let child_id = text(r, 1)?;
            let child = self.read_child_scoped(c, actor, &child_id)?;
            let values = self.open_values(&blob(r, 3)?)?;
            out.push(FieldConflict {
                id: text(r, 0)?,
                child_name: child.full_name(),
                child_id,
                field: text(r, 2)?,
                base: values.base,
                laptop: values.laptop,
                server: values.server,
                worker: text(r, 4)?,
                operation: int(r, 5)?.max(0) as u64,
                found_at: int(r, 6)?,
            });
        }
        Ok(out)
    }

    /// A conflict's values, opened.
    pub(super) fn open_values(&self, sealed: &[u8]) -> StoreResult<Values> {
        serde_json::from_str(&self.keys.open(SEALED, sealed)?)
            .map_err(|e| StoreError::Database(format!("a conflict's values: {e}")))
    }

    pub(crate) fn do_resolve_field_conflict(
        &self,
        actor: &Actor,
        id: &str,
        keep: Keep,
        now: i64,
    ) -> StoreResult<FieldConflict> {
        self.child_access(actor, now)?;
        let target = format!("field_conflict:{id}");
        self.audited(actor, "field_conflict.resolve", &target, now, |c| {
            let conflict = self
                .conflicts_in(c, actor, Some(id))?
                .pop()
                .ok_or_else(|| StoreError::NotFound(format!("conflict {id}")))?;
            if conflict.field == super::field_registrations::REGISTRATION {
                self.decide_registration(c, actor, &conflict, keep, now)?;
            } else if keep == Keep::Laptop {
                let child = self.read_child_scoped(c, actor, &conflict.child_id)?;
                let now_held = child_fields(&child).remove(&conflict.field).flatten();
                let same = |a: &Option<String>, b: &Option<String>| {
                    a.as_deref().unwrap_or("") == b.as_deref().unwrap_or("")
                };
                if !same(&now_held, &conflict.server) {
                    return Err(StoreError::Conflict(format!(
                        "the {} changed again on the server since: look at the record before choosing",
                        conflict.field
                    )));
                }
                let patch = child_patch(&[(conflict.field.clone(), conflict.laptop.clone())])?;
                self.update_child_in(c, actor, &conflict.child_id, &patch, now)?;
            }
            c.execute(
                "UPDATE field_conflicts SET resolved_at = ?, resolved_by = ?, kept = ? WHERE id = ?",
                &[now.into(), actor.name.clone().into(), keep.as_str().into(), id.into()],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "field_conflict.resolve",
                &target,
                "ok",
                &format!("child:{} {}: kept the {} value", conflict.child_id, conflict.field, keep.as_str()),
            )?;
            Ok(conflict)
        })
    }
}
