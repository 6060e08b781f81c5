//! What a store checks and repairs when it is opened, before it serves:
//! that the key file is the database's own, that an audit log from before
//! the chain was keyed is re-chained with the key, and that the head file
//! exists.

use super::audit_log::{entries_after, last_entry, legacy_upto};
use super::lists::url_version;
use super::{append_audit, meta_get, meta_set, SqlStore};
use crate::audit::{check_entries, recompute, AuditEntry, ChainHash, GENESIS};
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::sql::{opt_blob, text, Conn};
use haven_domain::lists::{normalise_url, UrlLevel};

/// The name of the URL canonicalisation in force (Safe Browsing's rules).
const URL_CANONICAL_FORM: &str = "safe-browsing-1";

impl SqlStore {
    /// Refuses a key file that is not the one this database was sealed
    /// with, and re-chains an audit log written before the chain was keyed.
    /// Run it once at every start, before serving.
    pub fn prepare(&self, now: i64) -> StoreResult<()> {
        let first_keyed_start = self.check_key()?;
        // Only a database from before this version (no fingerprint until
        // now, no head file) can hold an unkeyed log: anything else marked
        // so was marked by someone rewriting it, and is left for `audit
        // verify` to report rather than re-chained (which would launder it).
        let head_kept = match &self.head {
            Some(h) => h.recorded().map_or(true, |r| r.is_some()),
            None => false,
        };
        if first_keyed_start && !head_kept {
            self.rechain_legacy_audit(now)?;
        }
        self.recanonicalise_urls(now)?;
        self.seal_minority_groups()
    }

    /// Databases from before minority groups were sealed hold them in
    /// plain text: seal each and clear the plain column, once.
    fn seal_minority_groups(&self) -> StoreResult<()> {
        self.tx(true, |c| {
            let rows = c.query(
                "SELECT id, minority_group FROM children WHERE minority_group IS NOT NULL",
                &[],
            )?;
            for r in &rows {
                let sealed = self.keys.seal("minority_group", &text(r, 1)?)?;
                c.execute(
                    "UPDATE children SET minority_group_enc = ?, minority_group = NULL WHERE id = ?",
                    &[sealed.into(), r[0].clone()],
                )?;
            }
            Ok(())
        })
    }

    /// URL entries keyed by an older canonical form are re-keyed once, as a
    /// tombstone for the old key and a new entry for the new one, so that
    /// ISPs downloading changes replace what they hold.
    fn recanonicalise_urls(&self, now: i64) -> StoreResult<()> {
        self.tx(true, |c| {
            if meta_get(c, "url_canonical_form")?.as_deref() == Some(URL_CANONICAL_FORM) {
                return Ok(());
            }
            let rows = c.query(
                "SELECT id, url_key, level, original, category, added_by, added_at FROM url_entries WHERE removed_version IS NULL ORDER BY version",
                &[],
            )?;
            let mut changed = 0;
            for r in &rows {
                let (id, old_key, level, original) =
                    (text(r, 0)?, text(r, 1)?, text(r, 2)?, text(r, 3)?);
                let Some(level) = UrlLevel::parse(&level) else {
                    continue;
                };
                // An entry the new rules refuse keeps its old key.
                let Ok(normal) = normalise_url(&original) else {
                    continue;
                };
                let key = normal.key(level);
                if key == old_key {
                    continue;
                }
                let version = url_version(c)? + 1;
                c.execute(
                    "UPDATE url_entries SET removed_version = ?, removed_at = ? WHERE id = ?",
                    &[version.into(), now.into(), id.into()],
                )?;
                let live = c.query(
                    "SELECT id FROM url_entries WHERE url_key = ? AND level = ? AND removed_version IS NULL",
                    &[key.clone().into(), level.as_str().into()],
                )?;
                if live.is_empty() {
                    c.execute(
                        "INSERT INTO url_entries (id, url_key, level, original, category, added_by, added_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        &[random_id()?.into(), key.into(), level.as_str().into(), original.into(), r[4].clone(), r[5].clone(), r[6].clone(), (version + 1).into()],
                    )?;
                }
                changed += 1;
            }
            meta_set(c, "url_canonical_form", URL_CANONICAL_FORM)?;
            if changed > 0 {
                append_audit(
                    c,
                    now,
                    "system",
                    "urllist.recanonicalised",
                    "urllist",
                    "ok",
                    &format!("{changed} entries re-keyed to the {URL_CANONICAL_FORM} canonical form"),
                )?;
            }
            Ok(())
        })
    }

    /// Starts the audit head file when it is missing, from the newest entry,
    /// and says so in the audit log itself (a missing head file is how
    /// deleted newest entries would hide). Not for `audit verify`, which
    /// must report a missing head instead.
    pub fn start_audit_head(&self, now: i64) -> StoreResult<bool> {
        let Some(head) = &self.head else {
            return Ok(false);
        };
        let why = match head.recorded() {
            Ok(Some(_)) => return Ok(false),
            Ok(None) => "no head file was found",
            // A crash while it was written: never a reason not to start.
            Err(_) => "the head file was damaged",
        };
        let Some((seq, hash)) = self.tx(false, last_entry)? else {
            return Ok(false);
        };
        head.reset(seq, &hash)?;
        self.do_record_event(
            "system",
            "audit.head_started",
            "audit_log",
            "ok",
            &format!("{why}; started one at entry {seq}"),
            now,
        )?;
        Ok(true)
    }

    /// Returns whether this is the first start that records the key's
    /// fingerprint (a database from before fingerprints were kept).
    fn check_key(&self) -> StoreResult<bool> {
        let mine = self.keys.fingerprint();
        self.tx(true, |c| match meta_get(c, "key_fingerprint")? {
            Some(theirs) if theirs == mine => Ok(false),
            Some(_) => Err(StoreError::WrongKey(
                "its fingerprint differs from the one recorded in the database".into(),
            )),
            None => {
                // A database from before fingerprints were kept: the key is
                // right if it opens what is sealed there.
                for (field, sealed) in any_sealed_values(c)? {
                    self.keys.open(field, &sealed).map_err(|_| {
                        StoreError::WrongKey(format!(
                            "it cannot open the {field} values sealed in the database"
                        ))
                    })?;
                }
                meta_set(c, "key_fingerprint", &mine)?;
                Ok(true)
            }
        })
    }

    fn rechain_legacy_audit(&self, now: i64) -> StoreResult<()> {
        self.tx(true, |c| {
            let legacy = legacy_upto(c)?;
            if legacy == 0 {
                return Ok(());
            }
            // Check the old chain first: re-chaining a broken log would
            // launder whatever broke it.
            let mut expected = 1;
            let mut prev = GENESIS.to_string();
            each_page(c, |_, entries| {
                check_entries(entries, &self.audit_key, legacy, &mut expected, &mut prev)
                    .map_err(|p| {
                        StoreError::Database(format!(
                            "the audit log was already broken before it was keyed ({p}); Haven will not re-chain it: keep a copy of the database and investigate"
                        ))
                    })
            })?;
            let mut prev = GENESIS.to_string();
            each_page(c, |c, entries| {
                for e in entries {
                    let rechained = AuditEntry {
                        prev_hash: prev.clone(),
                        ..e.clone()
                    };
                    let hash = recompute(ChainHash::Keyed(&self.audit_key), &rechained);
                    c.execute(
                        "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
                        &[prev.clone().into(), hash.clone().into(), e.seq.into()],
                    )?;
                    prev = hash;
                }
                Ok(())
            })?;
            meta_set(c, "audit_legacy_upto", "0")?;
            // Its entry moves the head file past the old hashes.
            append_audit(
                c,
                now,
                "system",
                "audit.rechained",
                "audit_log",
                "ok",
                &format!("entries 1 to {legacy} re-chained with the key"),
            )
        })
    }
}

/// Runs `f` on the whole audit log, a page at a time, in order.
fn each_page(
    c: &mut dyn Conn,
    mut f: impl FnMut(&mut dyn Conn, &[AuditEntry]) -> StoreResult<()>,
) -> StoreResult<()> {
    let mut after = 0;
    loop {
        let entries = entries_after(c, after)?;
        let Some(last) = entries.last() else {
            return Ok(());
        };
        after = last.seq;
        f(c, &entries)?;
    }
}

/// One sealed value from each table that holds them, with its field: a
/// database holding only reports or households is checked too.
fn any_sealed_values(c: &mut dyn Conn) -> StoreResult<Vec<(&'static str, Vec<u8>)>> {
    let mut out = Vec::new();
    for (field, sql) in [
        ("given_name", "SELECT given_name_enc FROM children LIMIT 1"),
        (
            "household.address",
            "SELECT address_enc FROM households LIMIT 1",
        ),
        (
            "caregiver.given_name",
            "SELECT given_name_enc FROM caregivers LIMIT 1",
        ),
        (
            "report.description",
            "SELECT description_enc FROM reports LIMIT 1",
        ),
        (
            super::alerts::SEALED,
            "SELECT sealed FROM alerts WHERE sealed IS NOT NULL LIMIT 1",
        ),
    ] {
        let rows = c.query(sql, &[])?;
        if let Some(v) = rows.first().map(|r| opt_blob(r, 0)).transpose()?.flatten() {
            out.push((field, v));
        }
    }
    Ok(out)
}
