//! Purging what the retention rules say is past keeping. Each record goes
//! in its own transaction with its audit entry ("purge", the record, the
//! rule): a purge stopped half-way has purged whole records only, and the
//! log says exactly which. Sealed fields go with their rows; on SQLite,
//! `secure_delete` overwrites the freed pages (see the backend).

use super::audit_log::{audit_anchor, AUDIT_ANCHOR};
use super::{append_audit, meta_set, require_admin, SqlStore};
use crate::error::StoreResult;
use crate::sql::{int, opt_int, text, Conn};
use haven_domain::retention::{rule, RetentionRules};
use haven_domain::Actor;

/// What a purge did, or — in a dry run — would do: records per rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PurgeReport {
    /// Children purged with their assessments, cases and referrals.
    pub children: u64,
    /// Closed reports purged with their messages and contacts.
    pub reports: u64,
    /// Reporters' contact details purged (their reports kept).
    pub contacts: u64,
    /// Households purged because no child of theirs remained.
    pub households: u64,
    /// Expired sign-in sessions removed.
    pub sessions: u64,
    /// The oldest audit entries removed (their purge itself is logged).
    pub audit_entries: u64,
    /// Travelling-offender alerts past their expiry, their contents
    /// destroyed (whatever the rules: an alert's expiry is its own rule).
    pub alerts: u64,
}

fn ids(c: &mut dyn Conn, sql: &str, arg: crate::sql::Value) -> StoreResult<Vec<String>> {
    c.query(sql, &[arg])?.iter().map(|r| text(r, 0)).collect()
}

impl SqlStore {
    pub(crate) fn do_purge(
        &self,
        actor: &Actor,
        rules: &RetentionRules,
        now: i64,
        apply: bool,
    ) -> StoreResult<PurgeReport> {
        self.authorise(require_admin(actor), actor, "purge", now)?;
        let mut report = PurgeReport::default();
        if let Some(born_by) = rules.children_born_by(now) {
            let due = self.tx(false, |c| {
                ids(
                    c,
                    "SELECT id FROM children ch WHERE date_of_birth <= ? \
                     AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.child_id = ch.id AND k.closed_at IS NULL) \
                     ORDER BY id",
                    born_by.to_string().into(),
                )
            })?;
            let detail = format!(
                "{}={}",
                rule::CHILDREN,
                rules.child_years_after_adulthood.unwrap_or_default()
            );
            for id in due {
                if apply {
                    report.households += self.tx(true, |c| {
                        purge_child(c, &id)?;
                        let gone = purge_empty_household(c, &id)?;
                        append_audit(
                            c,
                            now,
                            &actor.name,
                            "purge",
                            &format!("child:{id}"),
                            "ok",
                            &detail,
                        )?;
                        Ok(gone)
                    })?;
                }
                report.children += 1;
            }
        }
        // Contacts before reports, so that a dry run counts what a real
        // run does (a purged report would take its contact with it).
        if let Some(before) = rules.contacts_decided_before(now) {
            let due = self.tx(false, |c| {
                ids(
                    c,
                    "SELECT rc.report_id FROM reporter_contacts rc JOIN reports r ON r.id = rc.report_id \
                     WHERE r.decided_at IS NOT NULL AND r.decided_at < ? ORDER BY rc.report_id",
                    before.into(),
                )
            })?;
            let detail = format!(
                "{}={}",
                rule::CONTACTS,
                rules.reporter_contact_days.unwrap_or_default()
            );
            for id in due {
                if apply {
                    self.tx(true, |c| {
                        c.execute(
                            "DELETE FROM reporter_contacts WHERE report_id = ?",
                            &[id.clone().into()],
                        )?;
                        c.execute(
                            "UPDATE reports SET has_contact = 0 WHERE id = ?",
                            &[id.clone().into()],
                        )?;
                        append_audit(
                            c,
                            now,
                            &actor.name,
                            "purge",
                            &format!("report_contact:{id}"),
                            "ok",
                            &detail,
                        )
                    })?;
                }
                report.contacts += 1;
            }
        }
        if let Some(before) = rules.reports_closed_before(now) {
            let due = self.tx(false, |c| {
                ids(
                    c,
                    "SELECT id FROM reports r WHERE decision = 'close' AND decided_at < ? \
                     AND case_id IS NULL AND hotline_item_id IS NULL \
                     AND NOT EXISTS (SELECT 1 FROM hotline_items h WHERE h.report_id = r.id) ORDER BY id",
                    before.into(),
                )
            })?;
            let detail = format!(
                "{}={}",
                rule::REPORTS,
                rules.closed_report_months.unwrap_or_default()
            );
            for id in due {
                if apply {
                    self.tx(true, |c| {
                        for table in ["report_messages", "reporter_contacts"] {
                            c.execute(
                                &format!("DELETE FROM {table} WHERE report_id = ?"),
                                &[id.clone().into()],
                            )?;
                        }
                        c.execute("DELETE FROM reports WHERE id = ?", &[id.clone().into()])?;
                        append_audit(
                            c,
                            now,
                            &actor.name,
                            "purge",
                            &format!("report:{id}"),
                            "ok",
                            &detail,
                        )
                    })?;
                }
                report.reports += 1;
            }
        }
        report.sessions = self.tx(apply, |c| {
            let n = c.query(
                "SELECT COUNT(*) FROM sessions WHERE expires_at < ?",
                &[now.into()],
            )?;
            let n = n
                .first()
                .map(|r| crate::sql::int(r, 0))
                .transpose()?
                .unwrap_or(0);
            if apply {
                c.execute("DELETE FROM sessions WHERE expires_at < ?", &[now.into()])?;
            }
            Ok(n as u64)
        })?;
        report.alerts = self.purge_expired_alerts(actor, now, apply)?;
        // Last, so that the entries this purge wrote are kept.
        if let Some(before) = rules.audit_written_before(now) {
            let years = rules.audit_years.unwrap_or_default();
            report.audit_entries =
                self.tx(apply, |c| purge_audit(c, actor, before, years, now, apply))?;
        }
        Ok(report)
    }
}

/// Removes the audit log's oldest entries up to the first one the rule
/// keeps (never one written after a kept one, whatever servers' clocks
/// did), and records where the log now begins twice: in `haven_meta`, for
/// `audit verify` to start from, and in a chained, keyed entry that no one
/// without the key can forge, for it to check that start against.
fn purge_audit(
    c: &mut dyn Conn,
    actor: &Actor,
    before: i64,
    years: u32,
    now: i64,
    apply: bool,
) -> StoreResult<u64> {
    let first_kept = c
        .query(
            "SELECT MIN(seq) FROM audit_log WHERE at >= ?",
            &[before.into()],
        )?
        .first()
        .map(|r| opt_int(r, 0))
        .transpose()?
        .flatten();
    let Some(last) = super::audit_log::last_entry(c)?.map(|(seq, _)| seq) else {
        return Ok(0);
    };
    let upto = first_kept.map_or(last, |k| k - 1);
    let begins_after = audit_anchor(c)?.map_or(0, |(seq, _)| seq);
    if upto <= begins_after {
        return Ok(0);
    }
    let rows = c.query(
        "SELECT hash, (SELECT COUNT(*) FROM audit_log WHERE seq <= ?) FROM audit_log WHERE seq = ?",
        &[upto.into(), upto.into()],
    )?;
    let Some(row) = rows.first() else {
        return Ok(0);
    };
    let (hash, count) = (text(row, 0)?, int(row, 1)?);
    if apply {
        c.execute("DELETE FROM audit_log WHERE seq <= ?", &[upto.into()])?;
        meta_set(c, AUDIT_ANCHOR, &format!("{upto}:{hash}"))?;
        append_audit(
            c,
            now,
            &actor.name,
            "purge",
            "audit",
            "ok",
            &format!("{}={years} upto={upto} hash={hash}", rule::AUDIT),
        )?;
    }
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Removes a child and everything recorded about them, children of the
/// record first so that no row points at a removed one.
fn purge_child(c: &mut dyn Conn, id: &str) -> StoreResult<()> {
    let arg = || [crate::sql::Value::from(id)];
    c.execute("DELETE FROM referrals WHERE child_id = ?", &arg())?;
    c.execute(
        "DELETE FROM case_events WHERE case_id IN (SELECT id FROM cases WHERE child_id = ?)",
        &arg(),
    )?;
    c.execute("DELETE FROM cases WHERE child_id = ?", &arg())?;
    c.execute("DELETE FROM assessments WHERE child_id = ?", &arg())?;
    c.execute("DELETE FROM child_tokens WHERE child_id = ?", &arg())?;
    Ok(())
}

/// Removes the child's row, then their household if no other child of it
/// remains; returns how many households went.
fn purge_empty_household(c: &mut dyn Conn, child: &str) -> StoreResult<u64> {
    let household = c
        .query(
            "SELECT household_id FROM children WHERE id = ?",
            &[child.into()],
        )?
        .first()
        .map(|r| crate::sql::opt_text(r, 0))
        .transpose()?
        .flatten();
    c.execute("DELETE FROM children WHERE id = ?", &[child.into()])?;
    let Some(h) = household else { return Ok(0) };
    let others = c.query(
        "SELECT 1 FROM children WHERE household_id = ? LIMIT 1",
        &[h.clone().into()],
    )?;
    if !others.is_empty() {
        return Ok(0);
    }
    c.execute(
        "DELETE FROM caregivers WHERE household_id = ?",
        &[h.clone().into()],
    )?;
    c.execute("DELETE FROM households WHERE id = ?", &[h.into()])?;
    Ok(1)
}
