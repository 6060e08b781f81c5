//! Offline field work, cases (issue 16): the open cases a checkout brings
//! to a laptop, and the server's side of a step, a note or a referral
//! made on one offline. A step is taken against the case as it stands when the sync
//! arrives, by the same rules as online; a case closed or handed to
//! someone else meanwhile refuses it, saying so, and nothing is written.

use super::cases::{note_words, step_words, CASE_COLS};
use super::field_nodes::{answer, refusal, written_before};
use super::referrals::referral_reason;
use super::{append_audit, scope_sql, SqlStore};
use crate::casework::Case;
use crate::error::{StoreError, StoreResult};
use crate::field::CheckedOutCase;
use crate::sql::{text, Conn, Value};
use haven_domain::casework::CaseStep;
use haven_domain::field_ops::{
    made_offline_at, FieldOperation, OfflineCaseOpening, OfflineCaseWork, OfflineReferral,
    OperationResult, Outcome, Refusal,
};
use haven_domain::{Actor, Role};

impl SqlStore {
    /// The open cases a laptop holds (a caseworker's own; a supervisor's
    /// area's), and those of them changed since `since`, or whose child
    /// changed (moved into the area), with their history.
    pub(super) fn checkout_cases(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        since: Option<i64>,
        now: i64,
    ) -> StoreResult<(Vec<String>, Vec<CheckedOutCase>)> {
        let mut params: Vec<Value> = Vec::new();
        let mut held = scope_sql(actor, "k", &mut params);
        held.push_str(&scope_sql(actor, "c", &mut params));
        if actor.role == Role::Caseworker {
            held.push_str(" AND k.assigned_to = ?");
            params.push(actor.name.clone().into());
        }
        let from = format!(
            "FROM cases k JOIN children c ON c.id = k.child_id WHERE k.step <> 'closed'{held}"
        );
        let open = c
            .query(&format!("SELECT k.id {from} ORDER BY k.id"), &params)?
            .iter()
            .map(|r| text(r, 0))
            .collect::<StoreResult<Vec<_>>>()?;
        let since = since.unwrap_or(i64::MIN);
        params.push(since.into());
        params.push(since.into());
        let rows = c.query(
            &format!(
                "SELECT {CASE_COLS} {from} AND (k.updated_at >= ? OR c.updated_at >= ?) ORDER BY k.id"
            ),
            &params,
        )?;
        let mut cases = Vec::with_capacity(rows.len());
        for r in &rows {
            let case = self.case_from_row(r, now)?;
            let events = self.case_events(c, &case.id)?;
            let referrals = self.referrals_of_case(c, &case.id, now)?;
            cases.push(CheckedOutCase {
                case,
                events,
                referrals,
            });
        }
        Ok((open, cases))
    }

    /// The case an operation names, unless it left the laptop user's
    /// hands meanwhile: out of their area, handed to someone else (a
    /// caseworker's), or closed. Then the refusal, saying which and that
    /// their `what` was not recorded.
    fn case_still_held(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        op: &FieldOperation,
        what: &str,
        now: i64,
    ) -> StoreResult<Result<Case, OperationResult>> {
        let case = match self.read_case(c, actor, &op.record, now) {
            Ok((case, _, _)) => case,
            // One opened on the laptop whose opening was refused, or waits.
            Err(StoreError::NotFound(_))
                if c.query("SELECT 1 FROM cases WHERE id = ?", &[op.record.as_str().into()])?.is_empty() =>
            {
                return Ok(Err(refusal(
                    op.n,
                    Refusal::CaseNotOpened,
                    format!("the case opened on the laptop was not opened on the server (its opening was refused, or waits): your {what} was not recorded"),
                )))
            }
            Err(StoreError::NotFound(_)) => {
                return Ok(Err(refusal(
                    op.n,
                    Refusal::CaseOutOfArea,
                    format!("the case is no longer in your area (transferred or removed): your {what} was not recorded"),
                )))
            }
            Err(e) => return Err(e),
        };
        if actor.role == Role::Caseworker && case.assigned_to != actor.name {
            return Ok(Err(refusal(
                op.n,
                Refusal::CaseHandedOn,
                format!(
                    "the case was handed to {} meanwhile: your {what} was not recorded",
                    case.assigned_to
                ),
            )));
        }
        if case.step == CaseStep::Closed {
            return Ok(Err(refusal(
                op.n,
                Refusal::CaseClosed,
                format!(
                    "the case was closed on the server meanwhile: your {what} was not recorded"
                ),
            )));
        }
        Ok(Ok(case))
    }

    /// What a `case.open` operation does: the case opened under the
    /// laptop's identifier, once, dated when it was opened there; a
    /// refusal writes nothing.
    pub(super) fn apply_case_opening(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        op: &FieldOperation,
        now: i64,
    ) -> StoreResult<OperationResult> {
        let opening = match OfflineCaseOpening::from_changes(&op.changes) {
            Ok(o) => o,
            Err(v) => return Ok(refusal(op.n, Refusal::Invalid, v.summary())),
        };
        let (child, again) = self.child_added_to(c, op, "cases", &opening.id, "a case")?;
        if let Some(again) = again {
            return Ok(again);
        }
        let at = made_offline_at(op.made_at, now);
        let opened = self.open_case_as(
            c,
            actor,
            &child,
            opening.assigned_to.as_deref(),
            (&opening.id, "; opened offline on a field laptop"),
            (at, now),
        );
        match opened {
            Ok(()) => Ok(answer(op.n, Outcome::Applied, None, Vec::new())),
            Err(StoreError::NotFound(_)) => self.child_gone(c, op, "the case was not opened"),
            Err(StoreError::Conflict(m)) => Ok(refusal(
                op.n,
                Refusal::CaseAlreadyOpen,
                format!("{m}, opened on the server meanwhile: the case opened on the laptop was not opened; redo its work on that case"),
            )),
            Err(StoreError::Invalid(v)) => Ok(refusal(op.n, Refusal::Invalid, v.summary())),
            Err(StoreError::Forbidden(m)) => Ok(refusal(op.n, Refusal::Invalid, m)),
            Err(e) => Err(e),
        }
    }

    /// What a `referral.make` operation does: the referral kept under the
    /// laptop's identifier, once, sent when it was made; a refusal writes
    /// nothing.
    pub(super) fn apply_referral(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        op: &FieldOperation,
        now: i64,
    ) -> StoreResult<OperationResult> {
        let offline = match OfflineReferral::from_changes(&op.changes) {
            Ok(r) => r,
            Err(v) => return Ok(refusal(op.n, Refusal::Invalid, v.summary())),
        };
        if let Some(again) = written_before(
            c,
            op.n,
            "SELECT case_id FROM referrals WHERE id = ?",
            &offline.id,
            &op.record,
            "a referral with this identifier is already recorded for another case",
        )? {
            return Ok(again);
        }
        let reason = match referral_reason(&offline.reason) {
            Ok(r) => r,
            Err(StoreError::Invalid(v)) => return Ok(refusal(op.n, Refusal::Invalid, v.summary())),
            Err(e) => return Err(e),
        };
        let case = match self.case_still_held(c, actor, op, "referral", now)? {
            Ok(case) => case,
            Err(refused) => return Ok(refused),
        };
        let made = self.make_referral(
            c,
            actor,
            &case.id,
            &offline.service_id,
            offline.kind,
            &reason,
            &offline.id,
            made_offline_at(op.made_at, now),
            now,
        );
        match made {
            Ok(agency) => {
                append_audit(
                    c,
                    now,
                    &actor.name,
                    "referral.create",
                    &format!("referral:{}", offline.id),
                    "ok",
                    &format!(
                        "case:{} -> {agency}; made offline on a field laptop",
                        case.id
                    ),
                )?;
                Ok(answer(op.n, Outcome::Applied, None, Vec::new()))
            }
            // The service no longer covers the child's district, an
            // adoption without a determination, …
            Err(StoreError::Invalid(v)) => Ok(refusal(op.n, Refusal::Invalid, v.summary())),
            Err(StoreError::Conflict(m) | StoreError::Forbidden(m)) => {
                Ok(refusal(op.n, Refusal::CaseRules, m))
            }
            Err(e) => Err(e),
        }
    }

    /// What a `case.step` or `case.note` operation does; a refusal writes
    /// nothing.
    pub(super) fn apply_case_work(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        op: &FieldOperation,
        now: i64,
    ) -> StoreResult<OperationResult> {
        let work = match OfflineCaseWork::from_changes(&op.kind, &op.changes) {
            Ok(w) => w,
            Err(v) => return Ok(refusal(op.n, Refusal::Invalid, v.summary())),
        };
        // The words, checked as online.
        let words = match work.action {
            Some(a) => step_words(a, work.text.as_deref()),
            None => note_words(work.text.as_deref()).map(Some),
        };
        let words = match words {
            Ok(w) => w,
            Err(StoreError::Invalid(v)) => return Ok(refusal(op.n, Refusal::Invalid, v.summary())),
            Err(e) => return Err(e),
        };
        let what = if work.action.is_some() {
            "step"
        } else {
            "note"
        };
        let case = match self.case_still_held(c, actor, op, what, now)? {
            Ok(case) => case,
            Err(refused) => return Ok(refused),
        };
        let at = made_offline_at(op.made_at, now);
        let target = format!("case:{}", case.id);
        let done = match work.action {
            Some(action) => self
                .take_step(c, actor, &case.id, action, words.as_deref(), at, now)
                .map(|(from, to)| {
                    (
                        format!("case.{}", action.as_str()),
                        format!(
                            "made offline on a field laptop (the case at {} there): {} -> {}",
                            work.seen.as_str(),
                            from.as_str(),
                            to.as_str()
                        ),
                    )
                }),
            None => self
                .write_note(c, actor, &case.id, words.as_deref().unwrap_or(""), at, now)
                .map(|_| {
                    (
                        "case.note".to_string(),
                        "made offline on a field laptop".to_string(),
                    )
                }),
        };
        match done {
            Ok((verb, detail)) => {
                append_audit(c, now, &actor.name, &verb, &target, "ok", &detail)?;
                Ok(answer(op.n, Outcome::Applied, None, Vec::new()))
            }
            // The case's own rules (a plan already waiting, a step out of
            // order, a supervisor's decision): refused with their words.
            Err(StoreError::Conflict(m) | StoreError::Forbidden(m)) => Ok(refusal(
                op.n,
                Refusal::CaseRules,
                format!("{m} (the case was at {} on the laptop)", work.seen.as_str()),
            )),
            Err(e) => Err(e),
        }
    }
}
