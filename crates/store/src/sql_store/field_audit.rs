//! A field laptop's own audit log joins the server's (issue 16): every
//! read and change made offline is accounted for on the server, not only
//! on a laptop that can be lost or wiped. The laptop sends its entries in
//! order at each sync; the server appends each once to its own chain, as
//! reported by that laptop's user (`laptop.` before the action, the
//! laptop's entry number, time and actor in the detail), so nobody takes
//! them for the server's own.

use super::audit_log::{entry, COLS};
use super::{append_audit, SqlStore};
use crate::error::{StoreError, StoreResult};
use crate::sql::int;
use haven_domain::field_ops::{LaptopAuditEntry, MAX_AUDIT_ENTRIES};
use haven_domain::validation::is_plain_text;
use haven_domain::{Actor, Date, ValidationErrors};

impl SqlStore {
    pub(crate) fn do_laptop_audit(
        &self,
        actor: &Actor,
        after: i64,
        limit: usize,
    ) -> StoreResult<Vec<LaptopAuditEntry>> {
        if actor.user_id != Actor::system().user_id {
            return Err(StoreError::Forbidden(
                "only `haven field` on the laptop does this".into(),
            ));
        }
        let rows = self.tx(false, |c| {
            c.query(
                &format!("SELECT {COLS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?"),
                &[after.into(), (limit.min(MAX_AUDIT_ENTRIES) as i64).into()],
            )
        })?;
        rows.iter()
            .map(|r| {
                let e = entry(r)?;
                Ok(LaptopAuditEntry {
                    seq: e.seq,
                    at: e.at,
                    actor: e.actor,
                    action: e.action,
                    target: e.target,
                    outcome: e.outcome,
                    detail: e.detail,
                })
            })
            .collect()
    }

    pub(crate) fn do_receive_laptop_audit(
        &self,
        actor: &Actor,
        node_id: &str,
        entries: &[LaptopAuditEntry],
        now: i64,
    ) -> StoreResult<i64> {
        self.child_access(actor, now)?;
        if entries.len() > MAX_AUDIT_ENTRIES {
            return Err(StoreError::field(
                "entries",
                format!("at most {MAX_AUDIT_ENTRIES} in one request: send the rest in the next"),
            ));
        }
        let mut e = ValidationErrors::default();
        for (i, x) in entries.iter().enumerate() {
            let short = |s: &str| !s.is_empty() && is_plain_text(s, 200);
            if !short(&x.actor) || !short(&x.action) || !short(&x.target) || !short(&x.outcome) {
                e.add(
                    "entries",
                    format!("entry {i}: actor, action, target and outcome are plain text of 1 to 200 characters"),
                );
            }
            if !x.detail.is_empty() && !is_plain_text(&x.detail, 2000) {
                e.add(
                    "entries",
                    format!("entry {i}: the detail is plain text up to 2,000 characters"),
                );
            }
            let next = x.seq.checked_add(1);
            if x.seq < 1 || entries.get(i + 1).is_some_and(|n| Some(n.seq) != next) {
                e.add(
                    "entries",
                    format!("entry {i}: entries are numbered from 1, in order, without gaps"),
                );
            }
        }
        e.into_result()?;
        let target = format!("field_node:{node_id}");
        self.audited(actor, "field.audit", &target, now, |c| {
            let node = super::field_nodes::own_node(c, actor, node_id)?;
            let rows = c.query(
                "SELECT CAST(audit_acknowledged AS BIGINT) FROM field_nodes WHERE id = ?",
                &[node_id.into()],
            )?;
            let before = rows.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0);
            let mut taken = before;
            // Entries taken before (a sync whose answer was lost) are
            // skipped: each is in the chain once.
            for x in entries.iter().filter(|x| x.seq > before) {
                if Some(x.seq) != taken.checked_add(1) {
                    return Err(StoreError::Conflict(format!(
                        "entry {} of the laptop's audit log is missing: send from there",
                        taken.saturating_add(1)
                    )));
                }
                append_audit(
                    c,
                    now,
                    &actor.name,
                    &format!("laptop.{}", x.action),
                    &x.target,
                    &x.outcome,
                    &format!(
                        "field laptop {} ({}), its entry {} at {} by {}{}{}",
                        node.id,
                        node.label,
                        x.seq,
                        at_text(x.at),
                        x.actor,
                        if x.detail.is_empty() { "" } else { ": " },
                        x.detail
                    ),
                )?;
                taken = x.seq;
            }
            c.execute(
                "UPDATE field_nodes SET audit_acknowledged = ? WHERE id = ?",
                &[taken.into(), node_id.into()],
            )?;
            Ok(taken)
        })
        .inspect(|_| crate::stop_points::stop_point("server.audit_taken"))
    }
}

/// A laptop's time as a date and time of day (UTC), for the detail.
fn at_text(at: i64) -> String {
    let secs = at.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02} UTC",
        Date::from_unix(at),
        secs / 3600,
        (secs % 3600) / 60
    )
}
