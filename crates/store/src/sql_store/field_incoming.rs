//! Offline field work, referrals addressed to the user's agency (issue
//! 16): a checkout brings each one still to be done with, as the agency
//! needs it to act (its case stays with the referring agency); on the
//! laptop it is answered by the same rules as online and the answer kept
//! as an operation; at the sync the server gives the answer to the
//! referral as it stands then, or refuses it, saying why, when a colleague
//! answered otherwise meanwhile or the referral is no longer the agency's.

use super::cases::clean_text;
use super::field_nodes::{answer, refusal};
use super::referrals::{answered, next_answer};
use super::{append_audit, location_path, SqlStore};
use crate::casework::{Referral, ReferralBrief};
use crate::error::{StoreError, StoreResult};
use crate::sql::{blob, Conn, Row, Value};
use haven_domain::casework::ReferralStatus;
use haven_domain::field_ops::{
    made_offline_at, FieldOperation, OfflineReferralAnswer, OperationResult, Outcome, Refusal,
    REFERRAL_ANSWER,
};
use haven_domain::Actor;

/// A laptop's copies, under the column names of `referrals r`, so that
/// the conditions written for those select them too.
pub(super) const INCOMING_FROM: &str = "field_incoming_referrals r";

/// What a laptop's copy is sealed as.
const SEALED: &str = "referral.brief";

impl SqlStore {
    /// The referrals addressed to the actor's agency in their area that
    /// are waiting for an answer or accepted. None for a user without an
    /// agency (an administrator's laptop does not take the whole country's).
    pub(super) fn checkout_incoming(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<ReferralBrief>> {
        if actor.agency.is_none() {
            return Ok(Vec::new());
        }
        let mut params: Vec<Value> = Vec::new();
        let cond = Self::incoming_sql(actor, &mut params)?;
        self.briefs(
            c,
            &format!("r.status IN ('sent', 'accepted'){cond}"),
            &params,
            now,
        )
    }

    /// What a `referral.answer` operation does: the answer given to the
    /// referral as it stands now, dated when it was given; a refusal
    /// writes nothing.
    pub(super) fn apply_referral_answer(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        op: &FieldOperation,
        now: i64,
    ) -> StoreResult<OperationResult> {
        let given = OfflineReferralAnswer::from_changes(&op.changes)
            .map_err(StoreError::Invalid)
            .and_then(|a| Ok((clean_text("note", a.note.as_deref())?, a)));
        let (note, given) = match given {
            Ok(g) => g,
            Err(StoreError::Invalid(v)) => return Ok(refusal(op.n, Refusal::Invalid, v.summary())),
            Err(e) => return Err(e),
        };
        let at = made_offline_at(op.made_at, now);
        let done = self.answer_in(c, actor, &op.record, given.status, note.as_deref(), at, now);
        match done {
            Ok(r) => {
                append_audit(
                    c,
                    now,
                    &actor.name,
                    &format!("referral.{}", r.status.as_str()),
                    &format!("referral:{}", r.id),
                    "ok",
                    &format!(
                        "given offline on a field laptop (the referral {} there)",
                        given.seen.as_str()
                    ),
                )?;
                Ok(answer(op.n, Outcome::Applied, None, Vec::new()))
            }
            Err(StoreError::NotFound(_)) => Ok(refusal(
                op.n,
                Refusal::ReferralGone,
                "the referral is no longer addressed to your agency in your area (withdrawn, or the child moved): your answer was not recorded",
            )),
            Err(StoreError::Conflict(m)) => Ok(refusal(
                op.n,
                Refusal::ReferralAnswered,
                format!(
                    "{m}: it was answered otherwise meanwhile (it was {} on the laptop); your answer was not recorded",
                    given.seen.as_str()
                ),
            )),
            Err(StoreError::Invalid(v)) => Ok(refusal(op.n, Refusal::Invalid, v.summary())),
            Err(e) => Err(e),
        }
    }
}

impl SqlStore {
    /// On the laptop, the checkout's referrals replace its copies (those
    /// answered, withdrawn or moved meanwhile are not listed), each sealed
    /// with the folder's key; one in a place the laptop does not know is
    /// left out. Audited, each as a record received.
    pub(super) fn hold_incoming(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        briefs: &[ReferralBrief],
        now: i64,
    ) -> StoreResult<()> {
        c.execute("DELETE FROM field_incoming_referrals", &[])?;
        for b in briefs {
            let Some((path, _)) = location_path(c, &b.district)? else {
                continue;
            };
            let r = &b.referral;
            c.execute(
                "INSERT INTO field_incoming_referrals (id, status, respond_by, to_agency, location_path, brief_enc) VALUES (?, ?, ?, ?, ?, ?)",
                &[
                    r.id.as_str().into(),
                    r.status.as_str().into(),
                    r.respond_by.into(),
                    r.to_agency.as_str().into(),
                    path.into(),
                    self.seal_brief(b)?.into(),
                ],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "field.receive",
                &format!("referral:{}", r.id),
                "ok",
                &format!("checked out from the server (child:{})", r.child_id),
            )?;
        }
        Ok(())
    }

    fn seal_brief(&self, b: &ReferralBrief) -> StoreResult<Vec<u8>> {
        let json = serde_json::to_string(b)
            .map_err(|e| StoreError::Database(format!("a referral could not be kept: {e}")))?;
        self.keys.seal(SEALED, &json)
    }

    /// A laptop's copy (the row's first column), late or not as of `now`.
    pub(super) fn held_brief(&self, row: &Row, now: i64) -> StoreResult<ReferralBrief> {
        let json = self.keys.open(SEALED, &blob(row, 0)?)?;
        let mut b: ReferralBrief = serde_json::from_str(&json)
            .map_err(|e| StoreError::Database(format!("a kept referral is damaged: {e}")))?;
        let r = &mut b.referral;
        r.overdue = r.status == ReferralStatus::Sent && r.respond_by < now;
        Ok(b)
    }

    /// The laptop's copy of referral `id`, if it is addressed to the
    /// actor's agency in their area.
    pub(super) fn held_incoming(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<Option<ReferralBrief>> {
        let mut params = vec![Value::from(id)];
        let Ok(cond) = Self::incoming_sql(actor, &mut params) else {
            return Ok(None);
        };
        let rows = c.query(
            &format!("SELECT r.brief_enc FROM {INCOMING_FROM} WHERE r.id = ?{cond}"),
            &params,
        )?;
        rows.first().map(|r| self.held_brief(r, now)).transpose()
    }

    /// On the laptop: the answer given by the same rules as online to its
    /// copy, and kept as the next operation for the sync.
    pub(super) fn answer_on_laptop(
        &self,
        actor: &Actor,
        id: &str,
        to: ReferralStatus,
        note: Option<&str>,
        now: i64,
    ) -> StoreResult<Referral> {
        let target = format!("referral:{id}");
        self.audited(
            actor,
            &format!("referral.{}", to.as_str()),
            &target,
            now,
            |c| {
                let Some(mut brief) = self.held_incoming(c, actor, id, now)? else {
                    return Err(StoreError::NotFound(format!("referral {id}")));
                };
                let seen = brief.referral.status;
                let status = next_answer(seen, to, note)?;
                answered(&mut brief.referral, status, note, &actor.name, now);
                c.execute(
                    "UPDATE field_incoming_referrals SET status = ?, brief_enc = ? WHERE id = ?",
                    &[
                        status.as_str().into(),
                        self.seal_brief(&brief)?.into(),
                        id.into(),
                    ],
                )?;
                let given = OfflineReferralAnswer {
                    status,
                    seen,
                    note: note.map(str::to_string),
                };
                super::field_outbox::keep(
                    c,
                    &self.keys,
                    REFERRAL_ANSWER,
                    id,
                    &given.to_changes(),
                    now,
                )?;
                append_audit(
                    c,
                    now,
                    &actor.name,
                    &format!("referral.{}", status.as_str()),
                    &target,
                    "ok",
                    "given on a field laptop: sent at the next sync",
                )?;
                Ok(brief.referral)
            },
        )
    }
}
