//! Offline field work, the server's side of an assessment made on a
//! laptop (issue 16): written under the identifier the laptop gave it, as
//! the laptop's user, of a child still in their area, with the instrument
//! version it was made with; once, however often it is sent. Assessments
//! are only added, so two laptops assessing one child never conflict.

use super::field_nodes::{answer, refusal};
use super::SqlStore;
use crate::assessments::{AssessmentRecord, MAX_NOTES};
use crate::error::{StoreError, StoreResult};
use crate::field::CheckedOutAssessment;
use crate::sql::{int, Conn, Value};
use haven_domain::assessment::assess;
use haven_domain::field_ops::{
    made_offline_at, FieldOperation, OfflineAssessment, OperationResult, Outcome, Refusal,
};
use haven_domain::Actor;

impl SqlStore {
    /// What an `assessment.record` operation does; a refusal writes
    /// nothing.
    pub(super) fn apply_assessment(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        op: &FieldOperation,
        now: i64,
    ) -> StoreResult<OperationResult> {
        let offline = match OfflineAssessment::from_changes(&op.changes) {
            Ok(a) => a,
            Err(v) => return Ok(refusal(op.n, Refusal::Invalid, v.summary())),
        };
        let (record, again) =
            self.child_added_to(c, op, "assessments", &offline.id, "an assessment")?;
        if let Some(again) = again {
            return Ok(again);
        }
        if offline
            .notes
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NOTES)
        {
            return Ok(refusal(
                op.n,
                Refusal::Invalid,
                format!("notes: write at most {MAX_NOTES} characters"),
            ));
        }
        let path = match self.read_child(c, actor, &record) {
            Ok((_, path)) => path,
            Err(StoreError::NotFound(_)) => {
                return self.child_gone(c, op, "the assessment was not recorded")
            }
            Err(e) => return Err(e),
        };
        let Some(instrument) = self.instrument_version(c, offline.instrument_version)? else {
            return Ok(refusal(
                op.n,
                Refusal::InstrumentUnknown,
                format!(
                    "the assessment was made with version {} of the instrument, which this server does not have",
                    offline.instrument_version
                ),
            ));
        };
        // Scored again here, with the same version: the laptop's score is
        // not taken on trust.
        let mut result = match assess(&instrument, &offline.answers) {
            Ok(r) => r,
            Err(v) => return Ok(refusal(op.n, Refusal::Invalid, v.summary())),
        };
        self.attach_services(c, &path, &mut result)?;
        let record = AssessmentRecord {
            id: offline.id,
            child_id: record,
            answers: offline.answers,
            result,
            confirmed_level: None,
            override_reason: None,
            confirmed_by: None,
            assessed_by: actor.name.clone(),
            assessed_at: made_offline_at(op.made_at, now),
            notes: offline.notes,
        };
        self.write_assessment(
            c,
            actor,
            &record,
            instrument.version,
            "made offline on a field laptop",
            now,
        )?;
        Ok(answer(op.n, Outcome::Applied, None, Vec::new()))
    }

    /// The assessments of the children a checkout sends (those in the
    /// user's area changed since `since`), each child's in order: those
    /// written since (made, synced or confirmed), and a child's whole
    /// history when they came to their place since (a laptop of the area
    /// had none of it).
    pub(super) fn checkout_assessments(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        since: Option<i64>,
    ) -> StoreResult<Vec<CheckedOutAssessment>> {
        let mut params: Vec<Value> = Vec::new();
        let scope = super::scope_sql(actor, "c", &mut params);
        let since = since.unwrap_or(i64::MIN);
        params.extend([since.into(), since.into(), since.into()]);
        let cols: Vec<String> = super::assessments::COLS
            .split(", ")
            .map(|col| format!("a.{col}"))
            .collect();
        let rows = c.query(
            &format!(
                "SELECT {}, a.instrument_version FROM assessments a JOIN children c ON c.id = a.child_id \
                 WHERE 1 = 1{scope} AND c.updated_at >= ? \
                 AND (COALESCE(a.recorded_at, a.assessed_at) >= ? OR COALESCE(c.placed_at, c.created_at) >= ?) \
                 ORDER BY a.child_id, a.seq",
                cols.join(", ")
            ),
            &params,
        )?;
        rows.iter()
            .map(|r| {
                let version = int(r, cols.len())?;
                Ok(CheckedOutAssessment {
                    instrument_version: u32::try_from(version).map_err(|_| {
                        StoreError::Database(format!(
                            "an assessment names instrument version {version}"
                        ))
                    })?,
                    assessment: self.assessment_from_row(r)?,
                })
            })
            .collect()
    }
}
