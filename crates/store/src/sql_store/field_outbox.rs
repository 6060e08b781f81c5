//! Offline field work, the laptop's outbox (issue 16): each change made on
//! a field laptop to a child's record is kept, in the same transaction, as
//! the operation the next sync sends: for each field changed, the value
//! the laptop held and the value written. A server's store keeps none.
//! The values (names among them) are sealed with the folder's key, as
//! the record itself is: a stolen laptop's database shows none.

use super::SqlStore;
use crate::assessments::AssessmentRecord;
use crate::crypto::{hex, unhex, Keyring};
use crate::error::{StoreError, StoreResult};
use crate::sql::{int, opt_text, text, Conn};
use haven_domain::casework::{CaseAction, CaseStep};
use haven_domain::field_ops::{
    child_fields, registration_fields, FieldOperation, OfflineAssessment, OfflineCaseOpening,
    OfflineCaseWork, OperationResult, Outcome, Refusal, ASSESSMENT_RECORD, CASE_OPEN,
    CHILD_REGISTER, CHILD_UPDATE,
};
use haven_domain::field_sync::FieldChange;
use haven_domain::{Actor, Child};

/// A refused operation kept on the laptop, for the worker to redo or
/// discard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedOperation {
    /// The operation.
    pub operation: FieldOperation,
    /// Why the server refused it, in the server's words.
    pub reason: String,
    /// Why, as a code the laptop's pages put in their reader's language.
    pub code: Option<Refusal>,
}

/// Notes the change from `old` to `new` as the laptop's next operation,
/// if any field changed.
pub(super) fn record_change(
    c: &mut dyn Conn,
    keys: &Keyring,
    old: &Child,
    new: &Child,
    now: i64,
) -> StoreResult<()> {
    let before = child_fields(old);
    let changes: Vec<FieldChange> = child_fields(new)
        .into_iter()
        .filter(|(field, value)| before.get(field) != Some(value))
        .map(|(field, value)| FieldChange {
            base: before.get(&field).cloned().flatten(),
            field,
            value,
        })
        .collect();
    if changes.is_empty() {
        return Ok(());
    }
    keep(c, keys, CHILD_UPDATE, &new.id, &changes, now)
}

/// Notes a child registered on the laptop as its next operation: every
/// field, with no earlier value.
pub(super) fn record_registration(
    c: &mut dyn Conn,
    keys: &Keyring,
    child: &Child,
    now: i64,
) -> StoreResult<()> {
    let changes: Vec<FieldChange> = registration_fields(child)
        .into_iter()
        .map(|(field, value)| FieldChange {
            base: None,
            field,
            value,
        })
        .collect();
    keep(c, keys, CHILD_REGISTER, &child.id, &changes, now)
}

/// Notes an assessment made on the laptop as its next operation.
pub(super) fn record_assessment(
    c: &mut dyn Conn,
    keys: &Keyring,
    record: &AssessmentRecord,
    instrument_version: u32,
    now: i64,
) -> StoreResult<()> {
    let offline = OfflineAssessment {
        id: record.id.clone(),
        instrument_version,
        answers: record.answers.clone(),
        notes: record.notes.clone(),
    };
    keep(
        c,
        keys,
        ASSESSMENT_RECORD,
        &record.child_id,
        &offline.to_changes(),
        now,
    )
}

/// Notes a step (`action`) or a note taken on a case on the laptop as its
/// next operation, with the case's step it was taken from.
pub(super) fn record_case_work(
    c: &mut dyn Conn,
    keys: &Keyring,
    case_id: &str,
    action: Option<CaseAction>,
    text: Option<&str>,
    seen: CaseStep,
    now: i64,
) -> StoreResult<()> {
    let work = OfflineCaseWork {
        action,
        text: text.map(str::to_string),
        seen,
    };
    keep(c, keys, work.kind(), case_id, &work.to_changes(), now)
}

/// The outbox's next number, never given before (see migration 0039).
fn next_number(c: &mut dyn Conn) -> StoreResult<i64> {
    c.execute(
        "UPDATE field_outbox_numbers SET last_n = last_n + 1 WHERE id = 1",
        &[],
    )?;
    let rows = c.query(
        "SELECT CAST(last_n AS BIGINT) FROM field_outbox_numbers WHERE id = 1",
        &[],
    )?;
    rows.first()
        .map(|r| int(r, 0))
        .transpose()?
        .ok_or_else(|| StoreError::Database("the outbox's numbers are missing".into()))
}

/// Keeps an operation (of `kind`, on `record`, with `changes`), sealed,
/// under the next number never given before: what each change made on the
/// laptop that a sync carries goes through.
pub(super) fn keep(
    c: &mut dyn Conn,
    keys: &Keyring,
    kind: &str,
    record: &str,
    changes: &[FieldChange],
    now: i64,
) -> StoreResult<()> {
    let n = next_number(c)?;
    let changes = serde_json::to_string(changes)
        .map_err(|e| StoreError::Database(format!("an operation could not be written: {e}")))?;
    let changes = format!("{SEALED}{}", hex(&keys.seal(OUTBOX_FIELD, &changes)?));
    c.execute(
        "INSERT INTO field_outbox (n, kind, record, made_at, changes) VALUES (?, ?, ?, ?, ?)",
        &[
            n.into(),
            kind.into(),
            record.into(),
            now.into(),
            changes.into(),
        ],
    )?;
    Ok(())
}

/// Sends refused operation `n` again, under the next number (audited,
/// saying `why`).
fn requeue(c: &mut dyn Conn, (actor, now): (&Actor, i64), n: u64, why: &str) -> StoreResult<()> {
    let next = next_number(c)?;
    c.execute(
        "UPDATE field_outbox SET n = ?, refused = NULL, refused_code = NULL WHERE n = ?",
        &[next.into(), (n as i64).into()],
    )?;
    super::append_audit(
        c,
        now,
        &actor.name,
        "field.requeue",
        &format!("operation:{n}"),
        "ok",
        &format!("sent again as {next}: {why}"),
    )
}

/// What an operation's sealed changes are sealed as.
const OUTBOX_FIELD: &str = "field_outbox";
/// The mark of sealed changes (hexadecimal after it); an operation kept
/// before they were sealed is plain JSON.
const SEALED: &str = "sealed:";

fn operation(keys: &Keyring, r: &crate::sql::Row) -> StoreResult<FieldOperation> {
    let kept = text(r, 4)?;
    let json = match kept.strip_prefix(SEALED) {
        Some(h) => {
            let sealed = unhex(h)
                .ok_or_else(|| StoreError::Database("a stored operation is damaged".into()))?;
            keys.open(OUTBOX_FIELD, &sealed)?
        }
        None => kept,
    };
    let changes: Vec<FieldChange> = serde_json::from_str(&json)
        .map_err(|e| StoreError::Database(format!("a stored operation is damaged: {e}")))?;
    Ok(FieldOperation {
        n: int(r, 0)? as u64,
        kind: text(r, 1)?,
        record: text(r, 2)?,
        made_at: int(r, 3)?,
        changes,
    })
}

impl SqlStore {
    /// A field laptop's own records of its checkouts and changes are
    /// written and read by the `haven field` command only (the system
    /// actor), never through the server it runs.
    /// `haven field` (the system actor) on the laptop; and, for what the
    /// laptop's own pages show and do (the changes waiting, the refused
    /// ones to discard), its caseworker signed in on a laptop's store.
    pub(super) fn laptop_only(&self, actor: &Actor) -> StoreResult<()> {
        if actor.user_id == Actor::system().user_id
            || (self.field_outbox && actor.role.handles_children())
        {
            Ok(())
        } else {
            Err(StoreError::Forbidden(
                "only `haven field` on the laptop does this".into(),
            ))
        }
    }

    /// Refuses, on a field laptop, a change its sync does not carry: made
    /// there, it would never reach the server.
    pub(super) fn online_only(&self, what: &str) -> StoreResult<()> {
        if self.field_outbox {
            Err(StoreError::Conflict(format!(
                "{what} is done online, on the server: a field laptop does not carry it there"
            )))
        } else {
            Ok(())
        }
    }

    pub(crate) fn do_field_outbox(
        &self,
        actor: &Actor,
        after: u64,
        limit: usize,
    ) -> StoreResult<(Vec<FieldOperation>, u64)> {
        self.laptop_only(actor)?;
        self.tx(false, |c| {
            let rows = c.query(
                "SELECT n, kind, record, made_at, changes FROM field_outbox WHERE n > ? AND refused IS NULL ORDER BY n LIMIT ?",
                &[(after as i64).into(), (limit as i64).into()],
            )?;
            let ops = rows.iter().map(|r| operation(&self.keys, r)).collect::<StoreResult<Vec<_>>>()?;
            let left = c.query(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM field_outbox WHERE n > ? AND refused IS NULL",
                &[(after as i64).into()],
            )?;
            let left = left.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0) as u64;
            let more = left.saturating_sub(ops.len() as u64);
            Ok((ops, more))
        })
    }

    pub(crate) fn do_field_outbox_answered(
        &self,
        actor: &Actor,
        acknowledged: u64,
        results: &[OperationResult],
    ) -> StoreResult<()> {
        self.laptop_only(actor)?;
        self.tx(true, |c| {
            for r in results.iter().filter(|r| r.outcome == Outcome::Refused) {
                let reason = r.reason.clone().unwrap_or_else(|| "refused".into());
                c.execute(
                    "UPDATE field_outbox SET refused = ?, refused_code = ? WHERE n = ?",
                    &[
                        reason.into(),
                        r.code.map(|code| code.as_str()).into(),
                        (r.n as i64).into(),
                    ],
                )?;
            }
            // Applied, or kept on the server as a conflict: done here.
            c.execute(
                "DELETE FROM field_outbox WHERE n <= ? AND refused IS NULL",
                &[(acknowledged as i64).into()],
            )?;
            // The next change is numbered after everything the server has
            // answered, whatever this laptop still holds.
            c.execute(
                "UPDATE field_outbox_numbers SET last_n = ? WHERE id = 1 AND last_n < ?",
                &[(acknowledged as i64).into(), (acknowledged as i64).into()],
            )?;
            Ok(())
        })
    }

    pub(crate) fn do_refused_operations(
        &self,
        actor: &Actor,
    ) -> StoreResult<Vec<RefusedOperation>> {
        self.laptop_only(actor)?;
        self.tx(false, |c| {
            let rows = c.query(
                "SELECT n, kind, record, made_at, changes, refused, refused_code FROM field_outbox WHERE refused IS NOT NULL ORDER BY n",
                &[],
            )?;
            rows.iter()
                .map(|r| {
                    Ok(RefusedOperation {
                        operation: operation(&self.keys, r)?,
                        reason: opt_text(r, 5)?.unwrap_or_default(),
                        code: opt_text(r, 6)?.and_then(|c| Refusal::parse(&c)),
                    })
                })
                .collect()
        })
    }
}

impl SqlStore {
    /// The changes refused because they waited for a held registration
    /// whose record is not among `still_held`: a person has decided it,
    /// so each goes back into the outbox under a new number, to be sent
    /// again (audited). Returns how many.
    pub(crate) fn do_requeue_held(
        &self,
        actor: &Actor,
        still_held: &[String],
        now: i64,
    ) -> StoreResult<usize> {
        self.laptop_only(actor)?;
        self.tx(true, |c| {
            let rows = c.query(
                "SELECT n, kind, record, made_at, changes FROM field_outbox WHERE refused_code = ? ORDER BY n",
                &[Refusal::RegistrationHeld.as_str().into()],
            )?;
            let mut moved = 0;
            for r in &rows {
                let op = operation(&self.keys, r)?;
                if still_held.contains(&op.record) {
                    continue;
                }
                requeue(c, (actor, now), op.n, "the registration it waited for was decided")?;
                moved += 1;
                // The work on a case opened for the child waited with it.
                let Some(case) = (op.kind == CASE_OPEN)
                    .then(|| OfflineCaseOpening::from_changes(&op.changes).ok())
                    .flatten()
                else {
                    continue;
                };
                for w in &c.query(
                    "SELECT n FROM field_outbox WHERE record = ? AND refused_code = ? ORDER BY n",
                    &[case.id.into(), Refusal::CaseNotOpened.as_str().into()],
                )? {
                    requeue(c, (actor, now), int(w, 0)? as u64, "the case it was taken on is sent again")?;
                    moved += 1;
                }
            }
            Ok(moved)
        })
    }

    pub(crate) fn do_discard_refused(&self, actor: &Actor, n: u64, now: i64) -> StoreResult<()> {
        self.laptop_only(actor)?;
        self.tx(true, |c| {
            let gone = c.execute(
                "DELETE FROM field_outbox WHERE n = ? AND refused IS NOT NULL",
                &[(n as i64).into()],
            )?;
            if gone == 0 {
                return Err(StoreError::NotFound(format!("refused change {n}")));
            }
            super::append_audit(
                c,
                now,
                &actor.name,
                "field.discard",
                &format!("operation:{n}"),
                "ok",
                "a refused change discarded on the laptop",
            )
        })
    }
}
