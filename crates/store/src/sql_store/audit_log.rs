//! Reading and verifying the audit chain.

use super::{append_audit, meta_get, require_admin, SqlStore};
use crate::audit::{check_entries, AuditEntry, AuditProblem, GENESIS};
use crate::error::StoreResult;
use crate::sql::Conn;
use crate::sql::{int, text, Row};
use haven_domain::Actor;

const PAGE: i64 = 5000;

pub(super) fn entry(r: &Row) -> StoreResult<AuditEntry> {
    Ok(AuditEntry {
        seq: int(r, 0)?,
        at: int(r, 1)?,
        actor: text(r, 2)?,
        action: text(r, 3)?,
        target: text(r, 4)?,
        outcome: text(r, 5)?,
        detail: text(r, 6)?,
        prev_hash: text(r, 7)?,
        hash: text(r, 8)?,
        request_id: crate::sql::opt_text(r, 9)?,
    })
}

const COLS: &str = "seq, at, actor, action, target, outcome, detail, prev_hash, hash, request_id";

/// Entries up to this number were chained before the chain was keyed (0
/// once they have been re-chained).
pub(super) fn legacy_upto(c: &mut dyn Conn) -> StoreResult<i64> {
    Ok(meta_get(c, "audit_legacy_upto")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// A page of entries after `after`, in order.
pub(super) fn entries_after(c: &mut dyn Conn, after: i64) -> StoreResult<Vec<AuditEntry>> {
    let rows = c.query(
        &format!("SELECT {COLS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?"),
        &[after.into(), PAGE.into()],
    )?;
    rows.iter().map(entry).collect()
}

/// The newest entry's number and hash.
pub(super) fn last_entry(c: &mut dyn Conn) -> StoreResult<Option<(i64, String)>> {
    let rows = c.query(
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        &[],
    )?;
    rows.first()
        .map(|r| Ok((int(r, 0)?, text(r, 1)?)))
        .transpose()
}

impl SqlStore {
    pub(crate) fn do_record_event(
        &self,
        actor: &str,
        action: &str,
        target: &str,
        outcome: &str,
        detail: &str,
        now: i64,
    ) -> StoreResult<()> {
        self.tx(true, |c| {
            append_audit(c, now, actor, action, target, outcome, detail)
        })
    }

    pub(crate) fn do_verify_audit(&self) -> StoreResult<Result<u64, AuditProblem>> {
        let legacy = self.tx(false, legacy_upto)?;
        // A head file is only ever written for a keyed chain.
        if legacy > 0 {
            if let Some(head) = &self.head {
                if matches!(head.recorded(), Ok(Some(_))) {
                    return Ok(Err(AuditProblem {
                        seq: 1,
                        reason: "the log is marked as written before the chain was keyed, yet this installation keeps a keyed head: the marker was changed".into(),
                    }));
                }
            }
        }
        let mut expected = 1i64;
        let mut prev = GENESIS.to_string();
        let mut after = 0i64;
        let count = loop {
            let entries = self.tx(false, |c| entries_after(c, after))?;
            if entries.is_empty() {
                break expected - 1;
            }
            if let Err(p) =
                check_entries(&entries, &self.audit_key, legacy, &mut expected, &mut prev)
            {
                return Ok(Err(p));
            }
            after = entries.last().map_or(after, |e| e.seq);
        };
        if let Some(problem) = self.check_head(count)? {
            return Ok(Err(problem));
        }
        Ok(Ok(count as u64))
    }

    /// Compares the intact chain of `count` entries with the head recorded
    /// outside the database.
    fn check_head(&self, count: i64) -> StoreResult<Option<AuditProblem>> {
        let Some(head) = &self.head else {
            return Ok(None);
        };
        let recorded = match head.recorded() {
            Ok(r) => r,
            Err(e) => {
                return Ok(Some(AuditProblem {
                    seq: count,
                    reason: e.to_string(),
                }))
            }
        };
        let Some(recorded) = recorded else {
            if count == 0 {
                return Ok(None);
            }
            return Ok(Some(AuditProblem {
                seq: count,
                reason: format!(
                    "the head file {} that records how far the log reaches is missing, so deleted newest entries could not be noticed",
                    head.path().display()
                ),
            }));
        };
        if recorded.seq > count {
            return Ok(Some(AuditProblem {
                seq: count + 1,
                reason: format!(
                    "the log ends at entry {count}, but it reached entry {} (recorded in {}): the newest entries were removed",
                    recorded.seq,
                    head.path().display()
                ),
            }));
        }
        if recorded.seq == 0 {
            return Ok(None);
        }
        let at = recorded.seq;
        let hash = self.tx(false, |c| {
            let rows = c.query("SELECT hash FROM audit_log WHERE seq = ?", &[at.into()])?;
            rows.first().map(|r| text(r, 0)).transpose()
        })?;
        if hash.as_deref() != Some(recorded.hash.as_str()) {
            return Ok(Some(AuditProblem {
                seq: at,
                reason: format!(
                    "differs from the entry recorded in {}: the log was rewritten from here",
                    head.path().display()
                ),
            }));
        }
        Ok(None)
    }

    pub(crate) fn do_recent_audit(
        &self,
        actor: &Actor,
        limit: usize,
        now: i64,
    ) -> StoreResult<Vec<AuditEntry>> {
        self.authorise(require_admin(actor), actor, "audit.read", now)?;
        let rows = self.tx(false, |c| {
            c.query(
                &format!("SELECT {COLS} FROM audit_log ORDER BY seq DESC LIMIT ?"),
                &[(limit.min(1000) as i64).into()],
            )
        })?;
        rows.iter().map(entry).collect()
    }
}
