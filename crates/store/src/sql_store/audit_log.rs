//! Reading and verifying the audit chain.

use super::{append_audit, require_admin, SqlStore};
use crate::audit::{check_entries, AuditEntry, AuditProblem, GENESIS};
use crate::error::StoreResult;
use crate::sql::{int, text, Row};
use haven_domain::Actor;

const PAGE: i64 = 5000;

fn entry(r: &Row) -> StoreResult<AuditEntry> {
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
    })
}

const COLS: &str = "seq, at, actor, action, target, outcome, detail, prev_hash, hash";

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
        let mut expected = 1i64;
        let mut prev = GENESIS.to_string();
        let mut after = 0i64;
        loop {
            let rows = self.tx(false, |c| {
                c.query(
                    &format!("SELECT {COLS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?"),
                    &[after.into(), PAGE.into()],
                )
            })?;
            if rows.is_empty() {
                return Ok(Ok((expected - 1) as u64));
            }
            let entries = rows.iter().map(entry).collect::<StoreResult<Vec<_>>>()?;
            if let Err(p) = check_entries(&entries, &mut expected, &mut prev) {
                return Ok(Err(p));
            }
            after = entries.last().map_or(after, |e| e.seq);
        }
    }

    pub(crate) fn do_recent_audit(
        &self,
        actor: &Actor,
        limit: usize,
    ) -> StoreResult<Vec<AuditEntry>> {
        require_admin(actor)?;
        let rows = self.tx(false, |c| {
            c.query(
                &format!("SELECT {COLS} FROM audit_log ORDER BY seq DESC LIMIT ?"),
                &[(limit.min(1000) as i64).into()],
            )
        })?;
        rows.iter().map(entry).collect()
    }
}
