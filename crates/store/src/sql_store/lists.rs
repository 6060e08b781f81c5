//! Hash lists, their entries and imports, and the versioned URL list.

use super::{append_audit, SqlStore};
use crate::crypto::{ordered_ids, random_id};
use crate::error::{StoreError, StoreResult};
use crate::lists::{HashEntry, HashImport, HashList, Origin, UrlEntry, UrlListChanges};
use crate::sql::{int, opt_int, opt_text, placeholders, text, Conn, Row, Value};
use crate::Page;
use haven_domain::lists::{normalise_url, NewHashEntry, UrlLevel};
use haven_domain::validation::clean_name;
use haven_domain::{Actor, ValidationErrors};

/// Most entries one import may add.
pub const MAX_IMPORT: usize = 100_000;

fn require_list_keeper(actor: &Actor) -> StoreResult<()> {
    if actor.role.keeps_lists() {
        Ok(())
    } else {
        Err(StoreError::Forbidden(format!(
            "the {} role cannot read or change hash and URL lists",
            actor.role
        )))
    }
}

fn require_matcher(actor: &Actor) -> StoreResult<()> {
    if actor.role.may_match() {
        Ok(())
    } else {
        Err(StoreError::Forbidden(format!(
            "the {} role cannot match against the lists",
            actor.role
        )))
    }
}

pub(super) const ENTRY_COLS: &str = "e.id, e.list_id, l.name, e.pdq, e.quality, e.md5, e.sha256, e.source, e.category, e.added_by, e.added_at, e.enabled, e.import_id, e.seq, \
     e.origin_id, e.received_at, e.origin_bundle, (SELECT p.name FROM peers p WHERE p.id = e.origin_peer)";
pub(super) const URL_COLS: &str =
    "id, url_key, level, original, category, added_by, added_at, version, removed_version, \
     origin_id, received_at, origin_bundle, (SELECT p.name FROM peers p WHERE p.id = url_entries.origin_peer)";

/// The provenance columns of a received entry, from column `at` on.
fn origin_from_row(r: &Row, at: usize) -> StoreResult<Option<Origin>> {
    Ok(match (opt_text(r, at)?, opt_text(r, at + 3)?) {
        (Some(id), Some(node)) => Some(Origin {
            node,
            id,
            received_at: opt_int(r, at + 1)?.unwrap_or(0),
            bundle: opt_text(r, at + 2)?.unwrap_or_default(),
        }),
        _ => None,
    })
}

/// The next exchange sequence number: one counter across both lists, so
/// that a bundle carries every change in order (see migration 0020);
/// alerts share it (migration 0029), and so do signed audit heads and key
/// rotations (migration 0032), which travel to peers too.
pub(super) fn next_xseq(c: &mut dyn Conn) -> StoreResult<i64> {
    let rows = c.query(
        "SELECT CAST(COALESCE(MAX(x), 0) AS BIGINT) FROM \
         (SELECT MAX(xseq) AS x FROM hash_entries UNION ALL SELECT MAX(xseq) AS x FROM url_entries \
          UNION ALL SELECT MAX(xseq) AS x FROM alerts \
          UNION ALL SELECT MAX(xseq) AS x FROM signed_audit_heads \
          UNION ALL SELECT MAX(xseq) AS x FROM node_key_rotations \
          UNION ALL SELECT MAX(xseq) AS x FROM statistics_published) t",
        &[],
    )?;
    Ok(rows.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0) + 1)
}

fn entry_from_row(r: &Row) -> StoreResult<HashEntry> {
    Ok(HashEntry {
        id: text(r, 0)?,
        list_id: text(r, 1)?,
        list: text(r, 2)?,
        pdq: opt_text(r, 3)?,
        quality: match r.get(4) {
            Some(Value::Int(q)) => Some(*q),
            _ => None,
        },
        md5: opt_text(r, 5)?,
        sha256: opt_text(r, 6)?,
        source: text(r, 7)?,
        category: text(r, 8)?,
        added_by: text(r, 9)?,
        added_at: int(r, 10)?,
        enabled: int(r, 11)? != 0,
        import_id: opt_text(r, 12)?,
        origin: origin_from_row(r, 14)?,
    })
}

fn url_from_row(r: &Row) -> StoreResult<UrlEntry> {
    Ok(UrlEntry {
        id: text(r, 0)?,
        url: text(r, 1)?,
        level: text(r, 2)?,
        original: text(r, 3)?,
        category: text(r, 4)?,
        added_by: text(r, 5)?,
        added_at: int(r, 6)?,
        version: int(r, 7)?,
        removed_version: match r.get(8) {
            Some(Value::Int(v)) => Some(*v),
            _ => None,
        },
        origin: origin_from_row(r, 9)?,
    })
}

/// The newest place in the hash entries' change feed (0 when empty).
pub(super) fn next_change(c: &mut dyn Conn) -> StoreResult<i64> {
    let rows = c.query(
        "SELECT CAST(COALESCE(MAX(changed), 0) AS BIGINT) FROM hash_entries",
        &[],
    )?;
    Ok(rows.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0))
}

pub(super) fn url_version(c: &mut dyn Conn) -> StoreResult<i64> {
    let rows = c.query("SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT), CAST(COALESCE(MAX(removed_version), 0) AS BIGINT) FROM url_entries", &[])?;
    let r = rows
        .first()
        .ok_or_else(|| StoreError::Database("no version row".into()))?;
    Ok(int(r, 0)?.max(int(r, 1)?))
}

impl SqlStore {
    fn list_by_id(&self, c: &mut dyn Conn, id: &str) -> StoreResult<String> {
        let rows = c.query("SELECT name FROM hash_lists WHERE id = ?", &[id.into()])?;
        rows.first()
            .map(|r| text(r, 0))
            .transpose()?
            .ok_or_else(|| StoreError::NotFound(format!("hash list {id}")))
    }

    pub(crate) fn do_create_hash_list(
        &self,
        actor: &Actor,
        name: &str,
        description: &str,
        now: i64,
    ) -> StoreResult<HashList> {
        self.authorise(require_list_keeper(actor), actor, "hashlist.create", now)?;
        let mut e = ValidationErrors::default();
        let name = clean_name(&mut e, "name", name, true);
        let description = if description.chars().count() > 1000 {
            e.add("description", "must be at most 1000 characters");
            String::new()
        } else {
            description.trim().to_string()
        };
        e.into_result()?;
        self.tx(true, |c| {
            if !c.query("SELECT id FROM hash_lists WHERE name = ?", &[name.clone().into()])?.is_empty() {
                return Err(StoreError::Conflict(format!("a list named {name:?} already exists")));
            }
            let id = random_id()?;
            c.execute(
                "INSERT INTO hash_lists (id, name, description, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                &[id.clone().into(), name.clone().into(), description.clone().into(), actor.name.clone().into(), now.into()],
            )?;
            append_audit(c, now, &actor.name, "hashlist.create", &format!("hashlist:{id}"), "ok", "")?;
            Ok(HashList { id, name: name.clone(), description: description.clone(), created_by: actor.name.clone(), created_at: now, entries: 0, enabled: 0 })
        })
    }

    pub(crate) fn do_list_hash_lists(&self, actor: &Actor, now: i64) -> StoreResult<Vec<HashList>> {
        self.authorise(require_list_keeper(actor), actor, "hashlist.list", now)?;
        let rows = self.tx(false, |c| {
            c.query(
                "SELECT l.id, l.name, l.description, l.created_by, l.created_at, \
                 (SELECT COUNT(*) FROM hash_entries e WHERE e.list_id = l.id), \
                 (SELECT COUNT(*) FROM hash_entries e WHERE e.list_id = l.id AND e.enabled = 1) \
                 FROM hash_lists l ORDER BY l.name",
                &[],
            )
        })?;
        rows.iter()
            .map(|r| {
                Ok(HashList {
                    id: text(r, 0)?,
                    name: text(r, 1)?,
                    description: text(r, 2)?,
                    created_by: text(r, 3)?,
                    created_at: int(r, 4)?,
                    entries: int(r, 5)?,
                    enabled: int(r, 6)?,
                })
            })
            .collect()
    }

    pub(crate) fn do_add_hash_entries(
        &self,
        actor: &Actor,
        list_id: &str,
        entries: &[NewHashEntry],
        import_source: Option<&str>,
        now: i64,
    ) -> StoreResult<(Option<HashImport>, Vec<HashEntry>)> {
        self.authorise(require_list_keeper(actor), actor, "hashlist.add", now)?;
        if entries.is_empty() {
            return Err(StoreError::field("entries", "there are no hashes to add"));
        }
        if entries.len() > MAX_IMPORT {
            return Err(StoreError::field(
                "entries",
                format!("at most {MAX_IMPORT} hashes at a time"),
            ));
        }
        let mut e = ValidationErrors::default();
        let mut clean = entries.to_vec();
        let bulk = clean.len() > 1;
        for (i, entry) in clean.iter_mut().enumerate() {
            let prefix = if bulk {
                format!("entries[{i}].")
            } else {
                String::new()
            };
            entry.validate(&mut e, &prefix);
            if e.0.len() > 20 {
                break;
            }
        }
        e.into_result()?;
        let target = format!("hashlist:{list_id}");
        self.audited(actor, "hashlist.add", &target, now, |c| {
            let list = self.list_by_id(c, list_id)?;
            let import = match import_source {
                Some(src) => {
                    let id = random_id()?;
                    c.execute(
                        "INSERT INTO hash_imports (id, list_id, source, imported_by, imported_at, entries) VALUES (?, ?, ?, ?, ?, ?)",
                        &[id.clone().into(), list_id.into(), src.into(), actor.name.clone().into(), now.into(), (clean.len() as i64).into()],
                    )?;
                    Some(HashImport { id, list_id: list_id.into(), source: src.into(), imported_by: actor.name.clone(), imported_at: now, entries: clean.len() as i64 })
                }
                None => None,
            };
            let seq_rows = c.query("SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM hash_entries", &[])?;
            let mut seq = seq_rows.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0);
            let mut changed = next_change(c)?;
            let mut xseq = next_xseq(c)? - 1;
            let mut out = Vec::with_capacity(clean.len());
            // Many rows a statement: an import of 25,000 holds the write
            // lock, and with it every audited read, a fraction as long.
            let mut rows = super::bulk::Rows::new(
                "hash_entries (id, list_id, pdq, quality, md5, sha256, source, category, added_by, added_at, enabled, import_id, seq, changed, xseq)",
                15,
            );
            for (n, id) in clean.iter().zip(ordered_ids(clean.len())?) {
                seq += 1;
                changed += 1;
                xseq += 1;
                rows.push(vec![
                    id.clone().into(),
                    list_id.into(),
                    n.pdq.clone().into(),
                    n.quality.into(),
                    n.md5.clone().into(),
                    n.sha256.clone().into(),
                    n.source.clone().into(),
                    n.category.clone().into(),
                    actor.name.clone().into(),
                    now.into(),
                    1i64.into(),
                    import.as_ref().map(|i| i.id.clone()).into(),
                    seq.into(),
                    changed.into(),
                    xseq.into(),
                ])?;
                out.push(HashEntry {
                    id,
                    list_id: list_id.into(),
                    list: list.clone(),
                    pdq: n.pdq.clone(),
                    quality: n.quality,
                    md5: n.md5.clone(),
                    sha256: n.sha256.clone(),
                    source: n.source.clone(),
                    category: n.category.clone(),
                    added_by: actor.name.clone(),
                    added_at: now,
                    enabled: true,
                    import_id: import.as_ref().map(|i| i.id.clone()),
                    origin: None,
                });
            }
            rows.write(c)?;
            let detail = match &import {
                Some(i) => format!("import {} of {} entries", i.id, out.len()),
                None => format!("{} entries", out.len()),
            };
            append_audit(c, now, &actor.name, "hashlist.add", &target, "ok", &detail)?;
            Ok((import.clone(), out))
        })
    }

    pub(crate) fn do_list_hash_entries(
        &self,
        actor: &Actor,
        list_id: &str,
        cursor: Option<&str>,
        limit: usize,
        now: i64,
    ) -> StoreResult<Page<HashEntry>> {
        self.authorise(require_list_keeper(actor), actor, "hashentry.list", now)?;
        let limit = limit.clamp(1, 500);
        let after = match cursor.filter(|c| !c.is_empty()) {
            None => 0,
            Some(c) => c
                .parse::<i64>()
                .map_err(|_| StoreError::field("cursor", "is not a cursor from a previous page"))?,
        };
        let rows = self.tx(false, |c| {
            self.list_by_id(c, list_id)?;
            c.query(
                &format!("SELECT {ENTRY_COLS} FROM hash_entries e JOIN hash_lists l ON l.id = e.list_id WHERE e.list_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?"),
                &[list_id.into(), after.into(), ((limit + 1) as i64).into()],
            )
        })?;
        let mut items = rows
            .iter()
            .map(entry_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let next = if items.len() > limit {
            items.truncate(limit);
            rows.get(limit - 1)
                .map(|r| int(r, 13))
                .transpose()?
                .map(|s| s.to_string())
        } else {
            None
        };
        Ok(Page { items, next })
    }

    pub(crate) fn do_list_hash_imports(
        &self,
        actor: &Actor,
        list_id: &str,
        now: i64,
    ) -> StoreResult<Vec<HashImport>> {
        self.authorise(require_list_keeper(actor), actor, "hashimport.list", now)?;
        let rows = self.tx(false, |c| {
            c.query("SELECT id, list_id, source, imported_by, imported_at, entries FROM hash_imports WHERE list_id = ? ORDER BY imported_at DESC, id", &[list_id.into()])
        })?;
        rows.iter()
            .map(|r| {
                Ok(HashImport {
                    id: text(r, 0)?,
                    list_id: text(r, 1)?,
                    source: text(r, 2)?,
                    imported_by: text(r, 3)?,
                    imported_at: int(r, 4)?,
                    entries: int(r, 5)?,
                })
            })
            .collect()
    }

    pub(crate) fn do_set_hash_entry_enabled(
        &self,
        actor: &Actor,
        entry_id: &str,
        enabled: bool,
        now: i64,
    ) -> StoreResult<HashEntry> {
        self.authorise(require_list_keeper(actor), actor, "hashentry.update", now)?;
        let target = format!("hashentry:{entry_id}");
        self.audited(actor, "hashentry.update", &target, now, |c| {
            let changed = next_change(c)? + 1;
            let xseq = next_xseq(c)?;
            // held_off: a peer sending a received entry again leaves it as
            // the analyst here set it.
            let n = c.execute("UPDATE hash_entries SET enabled = ?, held_off = ?, changed = ?, xseq = ? WHERE id = ?", &[enabled.into(), (!enabled).into(), changed.into(), xseq.into(), entry_id.into()])?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("hash entry {entry_id}")));
            }
            append_audit(c, now, &actor.name, "hashentry.update", &target, "ok", if enabled { "enabled" } else { "disabled" })?;
            let rows = c.query(&format!("SELECT {ENTRY_COLS} FROM hash_entries e JOIN hash_lists l ON l.id = e.list_id WHERE e.id = ?"), &[entry_id.into()])?;
            rows.first().map(entry_from_row).transpose()?.ok_or_else(|| StoreError::NotFound(format!("hash entry {entry_id}")))
        })
    }

    pub(crate) fn do_hash_changes_since(&self, since: i64) -> StoreResult<(Vec<HashEntry>, i64)> {
        self.tx(false, |c| {
            let mark = next_change(c)?;
            if mark <= since {
                return Ok((Vec::new(), since.max(mark)));
            }
            let rows = c.query(
                &format!("SELECT {ENTRY_COLS} FROM hash_entries e JOIN hash_lists l ON l.id = e.list_id WHERE e.changed > ? AND e.changed <= ? ORDER BY e.changed"),
                &[since.into(), mark.into()],
            )?;
            Ok((rows.iter().map(entry_from_row).collect::<StoreResult<Vec<_>>>()?, mark))
        })
    }

    pub(crate) fn do_add_url(
        &self,
        actor: &Actor,
        url: &str,
        level: UrlLevel,
        category: &str,
        now: i64,
    ) -> StoreResult<UrlEntry> {
        self.authorise(require_list_keeper(actor), actor, "urllist.add", now)?;
        self.tx(true, |c| insert_url(c, actor, url, level, category, now))
    }

    pub(crate) fn do_remove_url(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<UrlEntry> {
        self.authorise(require_list_keeper(actor), actor, "urllist.remove", now)?;
        let target = format!("url:{id}");
        self.audited(actor, "urllist.remove", &target, now, |c| {
            tombstone_url(c, actor, id, now)
        })
    }

    pub(crate) fn do_check_url(
        &self,
        actor: &Actor,
        url: &str,
        now: i64,
    ) -> StoreResult<Vec<UrlEntry>> {
        self.authorise(require_matcher(actor), actor, "urllist.check", now)?;
        let normal = normalise_url(url).map_err(|m| StoreError::field("url", m))?;
        let candidates = normal.candidate_keys();
        let mut conds = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        for level in [UrlLevel::Url, UrlLevel::Prefix, UrlLevel::Domain] {
            let keys: Vec<&String> = candidates
                .iter()
                .filter(|(l, _)| *l == level)
                .map(|(_, k)| k)
                .collect();
            if keys.is_empty() {
                continue;
            }
            conds.push(format!(
                "(level = ? AND url_key IN ({}))",
                placeholders(keys.len())
            ));
            params.push(level.as_str().into());
            params.extend(keys.into_iter().map(|k| Value::from(k.as_str())));
        }
        let sql = format!("SELECT {URL_COLS} FROM url_entries WHERE removed_version IS NULL AND ({}) ORDER BY version", conds.join(" OR "));
        self.tx(true, |c| {
            let rows = c.query(&sql, &params)?;
            let found = rows
                .iter()
                .map(url_from_row)
                .collect::<StoreResult<Vec<_>>>()?;
            // The URL itself is not kept in the audit log: only whether it matched.
            append_audit(
                c,
                now,
                &actor.name,
                "urllist.check",
                "urllist",
                "ok",
                &format!("{} matches", found.len()),
            )?;
            Ok(found)
        })
    }

    pub(crate) fn do_url_list_since(
        &self,
        actor: &Actor,
        since: i64,
        now: i64,
    ) -> StoreResult<UrlListChanges> {
        self.authorise(require_matcher(actor), actor, "urllist.export", now)?;
        if since < 0 {
            return Err(StoreError::field(
                "since",
                "must be a list version, 0 or more",
            ));
        }
        self.tx(true, |c| {
            let version = url_version(c)?;
            if since > version {
                return Err(StoreError::field("since", format!("the list is at version {version}; {since} is in the future")));
            }
            let added = c.query(&format!("SELECT {URL_COLS} FROM url_entries WHERE version > ? AND removed_version IS NULL ORDER BY version"), &[since.into()])?;
            let removed = if since == 0 {
                Vec::new()
            } else {
                c.query(&format!("SELECT {URL_COLS} FROM url_entries WHERE removed_version > ? ORDER BY removed_version"), &[since.into()])?
            };
            append_audit(c, now, &actor.name, "urllist.export", "urllist", "ok", &format!("since {since} to {version}"))?;
            Ok(UrlListChanges {
                version,
                entries: added.iter().map(url_from_row).collect::<StoreResult<_>>()?,
                removed: removed.iter().map(url_from_row).collect::<StoreResult<_>>()?,
            })
        })
    }
}

/// Lists a URL inside the caller's transaction (the URL list and the
/// hotline both use it); refuses one already listed at that level.
pub(super) fn insert_url(
    c: &mut dyn Conn,
    actor: &Actor,
    url: &str,
    level: UrlLevel,
    category: &str,
    now: i64,
) -> StoreResult<UrlEntry> {
    let normal = normalise_url(url).map_err(|m| StoreError::field("url", m))?;
    let key = normal.key(level);
    let mut e = ValidationErrors::default();
    let category = clean_name(&mut e, "category", category, false);
    e.into_result()?;
    let existing = c.query(
        "SELECT id FROM url_entries WHERE url_key = ? AND level = ? AND removed_version IS NULL",
        &[key.clone().into(), level.as_str().into()],
    )?;
    if !existing.is_empty() {
        return Err(StoreError::Conflict(format!(
            "{key} is already listed at the {} level",
            level.as_str()
        )));
    }
    let version = url_version(c)? + 1;
    let xseq = next_xseq(c)?;
    let id = random_id()?;
    c.execute(
        "INSERT INTO url_entries (id, url_key, level, original, category, added_by, added_at, version, xseq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[id.clone().into(), key.clone().into(), level.as_str().into(), url.trim().into(), category.clone().into(), actor.name.clone().into(), now.into(), version.into(), xseq.into()],
    )?;
    append_audit(
        c,
        now,
        &actor.name,
        "urllist.add",
        &format!("url:{id}"),
        "ok",
        &format!("version {version}"),
    )?;
    Ok(UrlEntry {
        id,
        url: key,
        level: level.as_str().into(),
        original: url.trim().into(),
        category,
        added_by: actor.name.clone(),
        added_at: now,
        version,
        removed_version: None,
        origin: None,
    })
}

/// Takes a URL off the list, leaving a tombstone in the changes feed.
pub(super) fn tombstone_url(
    c: &mut dyn Conn,
    actor: &Actor,
    id: &str,
    now: i64,
) -> StoreResult<UrlEntry> {
    let target = format!("url:{id}");
    let version = url_version(c)? + 1;
    let xseq = next_xseq(c)?;
    let n = c.execute(
        "UPDATE url_entries SET removed_version = ?, removed_at = ?, xseq = ? WHERE id = ? AND removed_version IS NULL",
        &[version.into(), now.into(), xseq.into(), id.into()],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("listed URL {id}")));
    }
    append_audit(
        c,
        now,
        &actor.name,
        "urllist.remove",
        &target,
        "ok",
        &format!("version {version}"),
    )?;
    let rows = c.query(
        &format!("SELECT {URL_COLS} FROM url_entries WHERE id = ?"),
        &[id.into()],
    )?;
    rows.first()
        .map(url_from_row)
        .transpose()?
        .ok_or_else(|| StoreError::NotFound(format!("listed URL {id}")))
}
