//! Travelling-offender alerts (issue 13): issued by a liaison officer here
//! or received from a peer, sealed at rest with this node's data key, read
//! by liaison officers only, every read audited, gone at expiry.
//!
//! A withdrawn or expired alert keeps its row with the sealed field
//! cleared: the row's `xseq` carries the withdrawal to peers, and the
//! exchange counter (the highest `xseq`) never goes back.

use super::lists::next_xseq;
use super::{append_audit, SqlStore};
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::exchange::Alert;
use crate::sql::{int, opt_blob, opt_text, text, Conn, Row};
use haven_domain::exchange::{AlertItem, NewAlert};
use haven_domain::Actor;

/// The sealed field's name (binds the ciphertext to its use).
pub(super) const SEALED: &str = "alert.identity";

const COLS: &str =
    "a.id, p.name, a.origin_id, a.sealed, a.expires, a.issued_by, a.issued_at, a.origin_bundle";

fn json_err(e: serde_json::Error) -> StoreError {
    StoreError::Database(format!("an alert's sealed contents: {e}"))
}

fn require_liaison(actor: &Actor) -> StoreResult<()> {
    if actor.role.reads_alerts() {
        Ok(())
    } else {
        Err(StoreError::Forbidden(format!(
            "the {} role cannot read or issue travelling-offender alerts",
            actor.role
        )))
    }
}

impl SqlStore {
    /// Seals an alert's contents with this node's key.
    pub(super) fn seal_alert(&self, item: &AlertItem) -> StoreResult<Vec<u8>> {
        self.keys
            .seal(SEALED, &serde_json::to_string(item).map_err(json_err)?)
    }

    /// Opens an alert's sealed contents.
    pub(super) fn open_alert(&self, sealed: &[u8]) -> StoreResult<AlertItem> {
        serde_json::from_str(&self.keys.open(SEALED, sealed)?).map_err(json_err)
    }

    fn alert_from_row(&self, r: &Row) -> StoreResult<Option<Alert>> {
        let Some(sealed) = opt_blob(r, 3)? else {
            return Ok(None);
        };
        let item = self.open_alert(&sealed)?;
        let id = text(r, 0)?;
        Ok(Some(Alert {
            origin_id: opt_text(r, 2)?.unwrap_or_else(|| id.clone()),
            id,
            origin: opt_text(r, 1)?,
            family_names: item.family_names,
            given_names: item.given_names,
            birth_date: item.birth_date,
            nationalities: item.nationalities,
            documents: item.documents,
            offence: item.offence,
            travel_from: item.travel_from,
            travel_to: item.travel_to,
            destination: item.destination,
            issuing_authority: item.issuing_authority,
            expires: int(r, 4)?,
            issued_by: text(r, 5)?,
            issued_at: int(r, 6)?,
            origin_bundle: opt_text(r, 7)?,
        }))
    }

    pub(crate) fn do_issue_alert(
        &self,
        actor: &Actor,
        new: &NewAlert,
        now: i64,
    ) -> StoreResult<Alert> {
        self.authorise(require_liaison(actor), actor, "alert.issue", now)?;
        let id = random_id()?;
        let item = new.check(&id, now)?;
        let sealed = self.seal_alert(&item)?;
        self.tx(true, |c| {
            let xseq = next_xseq(c)?;
            c.execute(
                "INSERT INTO alerts (id, sealed, expires, issued_by, issued_at, xseq) VALUES (?, ?, ?, ?, ?, ?)",
                &[
                    id.clone().into(),
                    sealed.clone().into(),
                    item.expires.into(),
                    actor.name.clone().into(),
                    now.into(),
                    xseq.into(),
                ],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "alert.issue",
                &format!("alert:{id}"),
                "ok",
                &format!("destination {}; expires {}", item.destination, item.expires),
            )?;
            Ok(())
        })?;
        Ok(Alert {
            id: id.clone(),
            origin: None,
            origin_id: id,
            family_names: item.family_names,
            given_names: item.given_names,
            birth_date: item.birth_date,
            nationalities: item.nationalities,
            documents: item.documents,
            offence: item.offence,
            travel_from: item.travel_from,
            travel_to: item.travel_to,
            destination: item.destination,
            issuing_authority: item.issuing_authority,
            expires: item.expires,
            issued_by: actor.name.clone(),
            issued_at: now,
            origin_bundle: None,
        })
    }

    pub(crate) fn do_list_alerts(&self, actor: &Actor, now: i64) -> StoreResult<Vec<Alert>> {
        self.authorise(require_liaison(actor), actor, "alert.list", now)?;
        let rows = self.tx(true, |c| {
            let rows = c.query(
                &format!(
                    "SELECT {COLS} FROM alerts a LEFT JOIN peers p ON p.id = a.origin_peer \
                     WHERE a.sealed IS NOT NULL AND a.expires > ? ORDER BY a.expires, a.id"
                ),
                &[now.into()],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "alert.list",
                "alerts",
                "ok",
                &format!("{} alerts in force read", rows.len()),
            )?;
            Ok(rows)
        })?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.extend(self.alert_from_row(r)?);
        }
        Ok(out)
    }

    pub(crate) fn do_alert(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<Alert> {
        self.authorise(require_liaison(actor), actor, "alert.read", now)?;
        let row = self.audited(actor, "alert.read", &format!("alert:{id}"), now, |c| {
            let rows = c.query(
                &format!(
                    "SELECT {COLS} FROM alerts a LEFT JOIN peers p ON p.id = a.origin_peer \
                     WHERE a.id = ? AND a.sealed IS NOT NULL AND a.expires > ?"
                ),
                &[id.into(), now.into()],
            )?;
            let Some(row) = rows.into_iter().next() else {
                return Err(StoreError::NotFound(format!("alert {id}")));
            };
            append_audit(
                c,
                now,
                &actor.name,
                "alert.read",
                &format!("alert:{id}"),
                "ok",
                "",
            )?;
            Ok(row)
        })?;
        self.alert_from_row(&row)?
            .ok_or_else(|| StoreError::NotFound(format!("alert {id}")))
    }

    pub(crate) fn do_withdraw_alert(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<()> {
        self.authorise(require_liaison(actor), actor, "alert.withdraw", now)?;
        self.audited(actor, "alert.withdraw", &format!("alert:{id}"), now, |c| {
            let rows = c.query(
                "SELECT origin_peer FROM alerts WHERE id = ? AND sealed IS NOT NULL AND expires > ?",
                &[id.into(), now.into()],
            )?;
            let Some(r) = rows.first() else {
                return Err(StoreError::NotFound(format!("alert {id}")));
            };
            if opt_text(r, 0)?.is_some() {
                return Err(StoreError::Conflict(
                    "this alert was issued by another node: only that node can withdraw it".into(),
                ));
            }
            clear(c, id, &actor.name, now)?;
            append_audit(
                c,
                now,
                &actor.name,
                "alert.withdraw",
                &format!("alert:{id}"),
                "ok",
                "",
            )
        })
    }

    /// Destroys the contents of every alert past its expiry (the daily
    /// retention run), one transaction per alert with its audit entry;
    /// in a dry run, only counts them.
    pub(super) fn purge_expired_alerts(
        &self,
        actor: &Actor,
        now: i64,
        apply: bool,
    ) -> StoreResult<u64> {
        let due: Vec<String> = self.tx(false, |c| {
            c.query(
                "SELECT id FROM alerts WHERE sealed IS NOT NULL AND expires <= ? ORDER BY id",
                &[now.into()],
            )?
            .iter()
            .map(|r| text(r, 0))
            .collect()
        })?;
        if apply {
            for id in &due {
                self.tx(true, |c| {
                    clear(c, id, &actor.name, now)?;
                    append_audit(
                        c,
                        now,
                        &actor.name,
                        "purge",
                        &format!("alert:{id}"),
                        "ok",
                        "alert expired",
                    )
                })?;
            }
        }
        Ok(due.len() as u64)
    }
}

/// Clears an alert's sealed contents and, for one issued here, gives it a
/// new exchange number so that peers are sent its withdrawal.
pub(super) fn clear(c: &mut dyn Conn, id: &str, by: &str, now: i64) -> StoreResult<()> {
    let xseq = next_xseq(c)?;
    c.execute(
        "UPDATE alerts SET sealed = NULL, withdrawn_at = ?, withdrawn_by = ?, \
         xseq = CASE WHEN origin_peer IS NULL THEN ? ELSE xseq END WHERE id = ?",
        &[now.into(), by.into(), xseq.into(), id.into()],
    )?;
    Ok(())
}
