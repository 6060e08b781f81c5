//! Instruments (versioned, never edited in place) and assessments.

use super::{append_audit, require_admin, SqlStore};
use crate::assessments::{AssessmentRecord, MAX_NOTES};
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::sql::{blob, int, opt_blob, opt_text, text, Conn, Row};
use haven_domain::assessment::{
    assess, Answer, AssessmentResult, Instrument, RiskLevel, ServiceMatch,
};
use haven_domain::Actor;
use std::collections::BTreeMap;

pub(super) const COLS: &str = "id, child_id, answers_enc, result_enc, confirmed_level, override_reason_enc, confirmed_by, assessed_by, assessed_at, notes_enc";

fn json_err(e: serde_json::Error) -> StoreError {
    StoreError::Database(format!("stored assessment is not readable: {e}"))
}

/// The instrument in the first of `rows` (its body), if any.
fn first_instrument(rows: &[Row]) -> StoreResult<Option<Instrument>> {
    rows.first()
        .map(|r| Instrument::from_json(&text(r, 0)?).map_err(StoreError::Invalid))
        .transpose()
}

impl SqlStore {
    pub(super) fn assessment_from_row(&self, r: &Row) -> StoreResult<AssessmentRecord> {
        let answers: BTreeMap<String, Answer> =
            serde_json::from_str(&self.keys.open("assessment.answers", &blob(r, 2)?)?)
                .map_err(json_err)?;
        let result: AssessmentResult =
            serde_json::from_str(&self.keys.open("assessment.result", &blob(r, 3)?)?)
                .map_err(json_err)?;
        Ok(AssessmentRecord {
            id: text(r, 0)?,
            child_id: text(r, 1)?,
            answers,
            result,
            confirmed_level: opt_text(r, 4)?.and_then(|l| RiskLevel::parse(&l)),
            override_reason: opt_blob(r, 5)?
                .map(|b| self.keys.open("assessment.override_reason", &b))
                .transpose()?,
            confirmed_by: opt_text(r, 6)?,
            assessed_by: text(r, 7)?,
            assessed_at: int(r, 8)?,
            notes: opt_blob(r, 9)?
                .map(|b| self.keys.open("assessment.notes", &b))
                .transpose()?,
        })
    }

    fn latest_instrument(&self, c: &mut dyn Conn) -> StoreResult<Option<Instrument>> {
        let rows = c.query(
            "SELECT body FROM instruments ORDER BY version DESC LIMIT 1",
            &[],
        )?;
        first_instrument(&rows)
    }

    pub(crate) fn do_current_instrument(&self, now: i64) -> StoreResult<Instrument> {
        if let Some(i) = self.tx(false, |c| self.latest_instrument(c))? {
            return Ok(i);
        }
        // First use: the shipped instrument becomes version 1.
        let default = Instrument::default_instrument()?;
        self.tx(true, |c| {
            if let Some(i) = self.latest_instrument(c)? {
                return Ok(i);
            }
            let body = serde_json::to_string(&default).map_err(json_err)?;
            c.execute(
                "INSERT INTO instruments (version, body, created_by, created_at) VALUES (?, ?, 'system', ?)",
                &[i64::from(default.version).into(), body.into(), now.into()],
            )?;
            Ok(default.clone())
        })
    }

    pub(crate) fn do_create_instrument(
        &self,
        actor: &Actor,
        json: &str,
        now: i64,
    ) -> StoreResult<Instrument> {
        self.authorise(require_admin(actor), actor, "instrument.create", now)?;
        let mut inst = Instrument::from_json(json)?;
        self.do_current_instrument(now)?;
        self.tx(true, |c| {
            let rows = c.query("SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM instruments", &[])?;
            let version = rows.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0) + 1;
            // A change is always a new version; earlier results keep theirs.
            inst.version = u32::try_from(version).map_err(|_| StoreError::Database("too many instrument versions".into()))?;
            let body = serde_json::to_string(&inst).map_err(json_err)?;
            c.execute(
                "INSERT INTO instruments (version, body, created_by, created_at) VALUES (?, ?, ?, ?)",
                &[version.into(), body.into(), actor.name.clone().into(), now.into()],
            )?;
            append_audit(c, now, &actor.name, "instrument.create", &format!("instrument:{version}"), "ok", "")?;
            Ok(inst.clone())
        })
    }

    pub(crate) fn do_assess_child(
        &self,
        actor: &Actor,
        child_id: &str,
        answers: &BTreeMap<String, Answer>,
        notes: Option<&str>,
        now: i64,
    ) -> StoreResult<AssessmentRecord> {
        self.child_access(actor, now)?;
        let notes = notes.map(str::trim).filter(|n| !n.is_empty());
        if notes.is_some_and(|n| n.chars().count() > MAX_NOTES) {
            return Err(StoreError::field(
                "notes",
                format!("write at most {MAX_NOTES} characters"),
            ));
        }
        let inst = self.do_current_instrument(now)?;
        let mut result = assess(&inst, answers)?;
        let target = format!("child:{child_id}");
        self.audited(actor, "assessment.create", &target, now, |c| {
            let (_, path) = self.read_child(c, actor, child_id)?;
            self.attach_services(c, &path, &mut result)?;
            let record = AssessmentRecord {
                id: random_id()?,
                child_id: child_id.into(),
                answers: answers.clone(),
                result: result.clone(),
                confirmed_level: None,
                override_reason: None,
                confirmed_by: None,
                assessed_by: actor.name.clone(),
                assessed_at: now,
                notes: notes.map(str::to_string),
            };
            self.write_assessment(c, actor, &record, inst.version, "", now)?;
            if self.field_outbox {
                super::field_outbox::record_assessment(c, &self.keys, &record, inst.version, now)?;
            }
            Ok(record)
        })
    }

    /// Writes a new assessment (made here, or on a field laptop and
    /// synced: `detail` says so in the audit log), next in the child's
    /// order, and moves the child's open case on.
    pub(super) fn write_assessment(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        record: &AssessmentRecord,
        instrument_version: u32,
        detail: &str,
        now: i64,
    ) -> StoreResult<()> {
        let (result, child_id) = (&record.result, record.child_id.as_str());
        self.insert_assessment(c, record, instrument_version)?;
        // The child's file changed: a field laptop's next checkout brings
        // it again, with this assessment (written now, whenever made).
        c.execute(
            "UPDATE children SET updated_at = ? WHERE id = ?",
            &[now.into(), child_id.into()],
        )?;
        c.execute(
            "UPDATE assessments SET recorded_at = ? WHERE id = ?",
            &[now.into(), record.id.as_str().into()],
        )?;
        let target = format!("child:{child_id}");
        let mut said = format!("assessment {}: {}", record.id, result.level.as_str());
        if !detail.is_empty() {
            said = format!("{said}, {detail}");
        }
        append_audit(
            c,
            now,
            &actor.name,
            "assessment.create",
            &target,
            "ok",
            &said,
        )?;
        self.case_after_assessment(c, actor, child_id, result.level, result.urgent, now)
    }

    /// Writes an assessment's row, in the caller's transaction (no checks,
    /// no audit). Each child's assessments are numbered in the order they
    /// were made: one made offline may arrive after later ones, so it
    /// takes its place in time and those made after it move up one.
    pub(super) fn insert_assessment(
        &self,
        c: &mut dyn Conn,
        record: &AssessmentRecord,
        instrument_version: u32,
    ) -> StoreResult<()> {
        let (result, child_id) = (&record.result, record.child_id.as_str());
        c.execute(
            "UPDATE assessments SET seq = seq + 1 WHERE child_id = ? AND assessed_at > ?",
            &[child_id.into(), record.assessed_at.into()],
        )?;
        c.execute(
            "INSERT INTO assessments (id, child_id, instrument_version, answers_enc, result_enc, score_centi, level, layer, urgent, confirmed_level, override_reason_enc, confirmed_by, assessed_by, assessed_at, notes_enc, seq) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM assessments WHERE child_id = ? AND assessed_at <= ?))",
            &[
                record.id.clone().into(),
                child_id.into(),
                i64::from(instrument_version).into(),
                self.keys.seal("assessment.answers", &serde_json::to_string(&record.answers).map_err(json_err)?)?.into(),
                self.keys.seal("assessment.result", &serde_json::to_string(result).map_err(json_err)?)?.into(),
                ((result.score * 100.0).round() as i64).into(),
                result.level.as_str().into(),
                result.layer.as_str().into(),
                result.urgent.into(),
                record.confirmed_level.map(|l| l.as_str()).into(),
                self.keys.seal_optional("assessment.override_reason", record.override_reason.as_deref())?.into(),
                record.confirmed_by.clone().into(),
                record.assessed_by.clone().into(),
                record.assessed_at.into(),
                self.keys.seal_optional("assessment.notes", record.notes.as_deref())?.into(),
                child_id.into(),
                record.assessed_at.into(),
            ],
        )?;
        keep_first_assessment(c, child_id)
    }

    /// Every version of the instrument this store has, oldest first.
    pub(super) fn all_instruments(&self, c: &mut dyn Conn) -> StoreResult<Vec<Instrument>> {
        c.query("SELECT body FROM instruments ORDER BY version", &[])?
            .iter()
            .map(|r| Instrument::from_json(&text(r, 0)?).map_err(StoreError::Invalid))
            .collect()
    }

    /// The instrument of `version`, if this store has it.
    pub(super) fn instrument_version(
        &self,
        c: &mut dyn Conn,
        version: u32,
    ) -> StoreResult<Option<Instrument>> {
        let rows = c.query(
            "SELECT body FROM instruments WHERE version = ?",
            &[i64::from(version).into()],
        )?;
        first_instrument(&rows)
    }

    pub(crate) fn do_child_assessments(
        &self,
        actor: &Actor,
        child_id: &str,
        now: i64,
    ) -> StoreResult<Vec<AssessmentRecord>> {
        self.child_access(actor, now)?;
        let target = format!("child:{child_id}");
        let rows = self.audited(actor, "assessment.read", &target, now, |c| {
            self.read_child_scoped(c, actor, child_id)?;
            let rows = c.query(
                &format!(
                    "SELECT {COLS} FROM assessments WHERE child_id = ? ORDER BY assessed_at, seq, id"
                ),
                &[child_id.into()],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "assessment.read",
                &target,
                "ok",
                &format!("{} assessments", rows.len()),
            )?;
            Ok(rows)
        })?;
        rows.iter().map(|r| self.assessment_from_row(r)).collect()
    }

    pub(crate) fn do_confirm_assessment(
        &self,
        actor: &Actor,
        id: &str,
        level: RiskLevel,
        reason: Option<&str>,
        now: i64,
    ) -> StoreResult<AssessmentRecord> {
        self.child_access(actor, now)?;
        let target = format!("assessment:{id}");
        self.audited(actor, "assessment.confirm", &target, now, |c| {
            let rows = c.query(
                &format!("SELECT {COLS} FROM assessments WHERE id = ?"),
                &[id.into()],
            )?;
            let Some(row) = rows.first() else {
                return Err(StoreError::NotFound(format!("assessment {id}")));
            };
            let mut rec = self.assessment_from_row(row)?;
            self.read_child_scoped(c, actor, &rec.child_id)?;
            let reason = reason.map(str::trim).filter(|r| !r.is_empty());
            if level != rec.result.level && reason.is_none() {
                return Err(StoreError::field(
                    "reason",
                    format!(
                        "say why the level is {} rather than the computed {}",
                        level.as_str(),
                        rec.result.level.as_str()
                    ),
                ));
            }
            self.write_confirmation(
                c,
                (id, &rec.child_id),
                Some(level),
                reason,
                Some(&actor.name),
                now,
            )?;
            let outcome = if level == rec.result.level {
                "confirmed"
            } else {
                "overridden"
            };
            append_audit(
                c,
                now,
                &actor.name,
                "assessment.confirm",
                &target,
                "ok",
                &format!("{outcome}: {}", level.as_str()),
            )?;
            c.execute(
                "UPDATE cases SET level = ? WHERE child_id = ? AND step <> 'closed'",
                &[level.as_str().into(), rec.child_id.clone().into()],
            )?;
            // A field laptop's next checkout brings the child again.
            c.execute(
                "UPDATE children SET updated_at = ? WHERE id = ?",
                &[now.into(), rec.child_id.clone().into()],
            )?;
            rec.confirmed_level = Some(level);
            rec.override_reason = reason.map(str::to_string);
            rec.confirmed_by = Some(actor.name.clone());
            Ok(rec)
        })
    }

    /// Adds to each recommended sector the directory's services that cover
    /// the child's district and answer the factors found.
    pub(super) fn attach_services(
        &self,
        c: &mut dyn Conn,
        path: &str,
        result: &mut AssessmentResult,
    ) -> StoreResult<()> {
        let services = self.services_covering(c, path)?;
        for rec in &mut result.recommended_services {
            rec.services = services
                .iter()
                .filter(|s| s.sector.as_str() == rec.sector)
                .filter_map(|s| {
                    let answers: Vec<String> = rec
                        .answers
                        .iter()
                        .filter(|f| s.factors.contains(f))
                        .cloned()
                        .collect();
                    (!answers.is_empty()).then(|| ServiceMatch {
                        id: s.id.clone(),
                        name: s.name.clone(),
                        provider: s.provider.clone(),
                        answers,
                    })
                })
                .collect();
        }
        Ok(())
    }
}

impl SqlStore {
    /// Writes an assessment's confirmation (the level, the reason for an
    /// override, who), confirmed on this server or as a checkout brings
    /// it, dated `now` for the next checkout, and keeps the child's first
    /// assessment on their row up to date.
    pub(super) fn write_confirmation(
        &self,
        c: &mut dyn Conn,
        (id, child_id): (&str, &str),
        level: Option<RiskLevel>,
        reason: Option<&str>,
        by: Option<&str>,
        now: i64,
    ) -> StoreResult<()> {
        let sealed = self
            .keys
            .seal_optional("assessment.override_reason", reason)?;
        c.execute(
            "UPDATE assessments SET confirmed_level = ?, override_reason_enc = ?, confirmed_by = ?, recorded_at = ? WHERE id = ?",
            &[
                level.map(|l| l.as_str()).into(),
                sealed.into(),
                by.into(),
                now.into(),
                id.into(),
            ],
        )?;
        keep_first_assessment(c, child_id)
    }
}

/// Keeps the child's first assessment (its order and level, confirmed or
/// computed) on the child's row, after any write to their assessments:
/// the indicators read it there rather than every assessment the child
/// ever had (migration 0045).
pub(super) fn keep_first_assessment(c: &mut dyn Conn, child_id: &str) -> StoreResult<()> {
    c.execute(
        "UPDATE children SET \
         first_assessment_seq = (SELECT MIN(a.seq) FROM assessments a WHERE a.child_id = ?), \
         first_assessment_level = (SELECT COALESCE(a.confirmed_level, a.level) FROM assessments a WHERE a.child_id = ? ORDER BY a.seq LIMIT 1) \
         WHERE id = ?",
        &[child_id.into(), child_id.into(), child_id.into()],
    )?;
    Ok(())
}
