//! Reading and verifying the audit chain.

use super::{meta_get, require_admin, SqlStore};
use crate::audit::{check_entries, AuditEntry, AuditProblem, GENESIS};
use crate::error::StoreResult;
use crate::sql::opt_text;
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

pub(super) const COLS: &str =
    "seq, at, actor, action, target, outcome, detail, prev_hash, hash, request_id";

/// Entries up to this number were chained before the chain was keyed (0
/// once they have been re-chained).
pub(super) fn legacy_upto(c: &mut dyn Conn) -> StoreResult<i64> {
    Ok(meta_get(c, "audit_legacy_upto")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Where the log begins once its oldest entries were purged by the
/// retention rule: `haven_meta`'s "SEQ:HASH" of the last entry removed.
pub(super) const AUDIT_ANCHOR: &str = "audit_begins_after";

/// The last purged entry's number and hash, when entries were purged.
pub(super) fn audit_anchor(c: &mut dyn Conn) -> StoreResult<Option<(i64, String)>> {
    Ok(meta_get(c, AUDIT_ANCHOR)?.and_then(|v| {
        let (seq, hash) = v.split_once(':')?;
        Some((seq.parse().ok()?, hash.to_string()))
    }))
}

/// Whether the newest purge of audit entries in the (verified) log names
/// `anchor` as where the log begins.
fn purge_names(c: &mut dyn Conn, anchor: &(i64, String)) -> StoreResult<bool> {
    let rows = c.query(
        "SELECT detail FROM audit_log WHERE action = 'purge' AND target = 'audit' ORDER BY seq DESC LIMIT 1",
        &[],
    )?;
    let detail = rows.first().map(|r| opt_text(r, 0)).transpose()?.flatten();
    let (seq, hash) = anchor;
    Ok(detail.is_some_and(|d| d.ends_with(&format!(" upto={seq} hash={hash}"))))
}

/// Whether the entry the head file records is still in the log as
/// recorded — or was purged by the retention rule: then it lies at or
/// before where the log now begins (and, if it was the last one removed,
/// its hash is the one the log is chained to).
pub(super) fn head_entry_intact(c: &mut dyn Conn, seq: i64, hash: &str) -> StoreResult<bool> {
    let rows = c.query("SELECT hash FROM audit_log WHERE seq = ?", &[seq.into()])?;
    if let Some(r) = rows.first() {
        return Ok(text(r, 0)? == hash);
    }
    Ok(match audit_anchor(c)? {
        Some((begins_after, last_hash)) if seq == begins_after => last_hash == hash,
        Some((begins_after, _)) => seq < begins_after,
        None => false,
    })
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
        if !self.backend.groups_audit_entries() {
            return self.tx(true, |c| {
                super::append_audit(c, now, actor, action, target, outcome, detail)
            });
        }
        self.audit_batch.record(
            self,
            super::audit_batch::AuditEvent::new(now, actor, action, target, outcome, detail),
        )
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
        // After a purge by the retention rule the log begins later, chained
        // to the last entry removed.
        let anchor = self.tx(false, audit_anchor)?;
        let (mut expected, mut prev) = match &anchor {
            Some((seq, hash)) => (seq + 1, hash.clone()),
            None => (1i64, GENESIS.to_string()),
        };
        let mut after = expected - 1;
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
        if let Some(anchor) = &anchor {
            if !self.tx(false, |c| purge_names(c, anchor))? {
                return Ok(Err(AuditProblem {
                    seq: anchor.0 + 1,
                    reason: format!(
                        "the log begins after entry {}, but no purge by the retention rule says so: entries were removed from its start",
                        anchor.0
                    ),
                }));
            }
        }
        if let Some(problem) = self.check_head(count)? {
            return Ok(Err(problem));
        }
        if let Some(problem) = self.check_signed_heads(count)? {
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
        if !self.tx(false, |c| head_entry_intact(c, at, &recorded.hash))? {
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
