//! The exchange between nodes (issue 13): trusted peers, bundles out of
//! what we publish, and the atomic import of a peer's bundle.
//!
//! Exchange sequence numbers are derived from the lists themselves rather
//! than kept in an outbox: each entry carries `xseq`, set from one counter
//! across both lists in the same transaction as every change to it (see
//! `next_xseq`). A bundle thus carries each entry's newest state once, the
//! history never grows without bound, and nothing can be changed without
//! its number moving.

use super::audit_heads::{receive_head, sign_head};
use super::key_rotation::{
    follow_rotation, is_own_retired, retire_peer_keys, retired_by, rotation_items, stored_key,
};
use super::lists::{next_change, next_xseq, url_version};
use super::{append_audit, SqlStore};
use crate::crypto::Keyring;
use crate::crypto::{ordered_ids, random_id};
use crate::error::{StoreError, StoreResult};
use crate::exchange::{ImportProgress, ImportSummary, NewPeer, Peer};
use crate::sql::{int, opt_blob, opt_int, opt_text, text, Conn, Row};
use haven_domain::exchange::{
    check_received_alert, check_received_statistic, fingerprint, parse_may_send, parse_public_key,
    parse_publish, public_key_base64, Bundle, Envelope, HashItem, Item, ItemKind, NodeKey, Publish,
    UrlItem, BUNDLE_FORMAT, GENESIS_HASH,
};
use haven_domain::lists::{normalise_url, NewHashEntry, UrlLevel};
use haven_domain::{Actor, Role, ValidationErrors};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

const PEER_COLS: &str = "id, name, public_key, fingerprint, url, may_send, publish, revoked, last_seq, last_bundle_hash, last_import_at, added_by, added_at, \
     (SELECT MAX(h.seq) FROM received_audit_heads h WHERE h.peer_id = peers.id), \
     (SELECT MAX(h.signed_at) FROM received_audit_heads h WHERE h.peer_id = peers.id)";

fn peer_from_row(r: &Row) -> StoreResult<Peer> {
    let list = |s: String| -> Vec<String> {
        s.split(',')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    Ok(Peer {
        id: text(r, 0)?,
        name: text(r, 1)?,
        public_key: text(r, 2)?,
        fingerprint: text(r, 3)?,
        url: opt_text(r, 4)?,
        may_send: list(text(r, 5)?),
        publish: list(text(r, 6)?),
        revoked: int(r, 7)? != 0,
        last_seq: int(r, 8)?,
        last_bundle_hash: opt_text(r, 9)?,
        last_import_at: opt_int(r, 10)?,
        added_by: text(r, 11)?,
        added_at: int(r, 12)?,
        audit_head_seq: opt_int(r, 13)?,
        audit_head_signed_at: opt_int(r, 14)?,
    })
}

pub(super) fn require_admin(actor: &Actor) -> StoreResult<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(StoreError::Forbidden(format!(
            "the {} role cannot manage the exchange with other nodes",
            actor.role
        )))
    }
}

/// The trusted peer whose current key has fingerprint `fp`.
pub(super) fn peer_by_fingerprint_in(c: &mut dyn Conn, fp: &str) -> StoreResult<Option<Peer>> {
    let rows = c.query(
        &format!("SELECT {PEER_COLS} FROM peers WHERE fingerprint = ?"),
        &[fp.into()],
    )?;
    rows.first().map(peer_from_row).transpose()
}

fn peer_named(c: &mut dyn Conn, name: &str) -> StoreResult<Peer> {
    let rows = c.query(
        &format!("SELECT {PEER_COLS} FROM peers WHERE name = ?"),
        &[name.into()],
    )?;
    rows.first()
        .map(peer_from_row)
        .transpose()?
        .ok_or_else(|| StoreError::NotFound(format!("peer {name:?}")))
}

fn refused(msg: String) -> StoreError {
    StoreError::Refused(msg)
}

/// A peer's name: what `haven peer` commands and the page use.
fn clean_peer_name(e: &mut ValidationErrors, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        e.add("name", "give the peer a name");
    } else if name.chars().count() > 60
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        e.add(
            "name",
            "use at most 60 letters, digits, '-', '_' or '.' (no spaces)",
        );
    }
    name.to_string()
}

impl SqlStore {
    pub(crate) fn do_add_peer(&self, actor: &Actor, new: &NewPeer, now: i64) -> StoreResult<Peer> {
        self.authorise(require_admin(actor), actor, "peer.add", now)?;
        let mut e = ValidationErrors::default();
        let name = clean_peer_name(&mut e, &new.name);
        let key = match parse_public_key(&new.public_key) {
            Ok(k) => Some(k),
            Err(m) => {
                e.add("public_key", m);
                None
            }
        };
        let url = new
            .url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string);
        if let Some(u) = &url {
            if !(u.starts_with("http://") || u.starts_with("https://"))
                || u.chars().count() > 300
                || u.chars().any(char::is_whitespace)
            {
                e.add(
                    "url",
                    "must be a web address starting with http:// or https://",
                );
            }
        }
        let may_send = parse_may_send(&new.may_send).unwrap_or_else(|m| {
            e.add("may_send", m);
            Vec::new()
        });
        let publish = parse_publish(&new.publish).unwrap_or_else(|m| {
            e.add("publish", m);
            Vec::new()
        });
        e.into_result()?;
        let Some(key) = key else {
            return Err(StoreError::field("public_key", "is not a public key"));
        };
        let fp = fingerprint(&key);
        let public_key = public_key_base64(&key);
        let may_send: Vec<&str> = may_send.iter().map(|k| k.as_str()).collect();
        let publish: Vec<String> = publish.iter().map(Publish::to_text).collect();
        self.tx(true, |c| {
            if !c
                .query("SELECT id FROM peers WHERE name = ?", &[name.clone().into()])?
                .is_empty()
            {
                return Err(StoreError::Conflict(format!(
                    "a peer named {name:?} already exists"
                )));
            }
            if !c
                .query("SELECT id FROM peers WHERE fingerprint = ?", &[fp.clone().into()])?
                .is_empty()
            {
                return Err(StoreError::Conflict(format!(
                    "a peer with the key {fp} already exists"
                )));
            }
            let id = random_id()?;
            c.execute(
                "INSERT INTO peers (id, name, public_key, fingerprint, url, may_send, publish, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                &[
                    id.clone().into(),
                    name.clone().into(),
                    public_key.clone().into(),
                    fp.clone().into(),
                    url.clone().into(),
                    may_send.join(",").into(),
                    publish.join(",").into(),
                    actor.name.clone().into(),
                    now.into(),
                ],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "peer.add",
                &format!("peer:{id}"),
                "ok",
                &format!(
                    "{name} {fp}; may send: {}; published: {}",
                    may_send.join(","),
                    publish.join(",")
                ),
            )?;
            peer_named(c, &name)
        })
    }

    pub(crate) fn do_list_peers(&self, actor: &Actor, now: i64) -> StoreResult<Vec<Peer>> {
        self.authorise(require_admin(actor), actor, "peer.list", now)?;
        let rows = self.tx(false, |c| {
            c.query(&format!("SELECT {PEER_COLS} FROM peers ORDER BY name"), &[])
        })?;
        rows.iter().map(peer_from_row).collect()
    }

    pub(crate) fn do_set_peer_revoked(
        &self,
        actor: &Actor,
        name: &str,
        revoked: bool,
        now: i64,
    ) -> StoreResult<Peer> {
        self.authorise(require_admin(actor), actor, "peer.revoke", now)?;
        self.audited(actor, "peer.revoke", &format!("peer:{name}"), now, |c| {
            let peer = peer_named(c, name)?;
            c.execute(
                "UPDATE peers SET revoked = ? WHERE id = ?",
                &[revoked.into(), peer.id.clone().into()],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                if revoked {
                    "peer.revoke"
                } else {
                    "peer.restore"
                },
                &format!("peer:{}", peer.id),
                "ok",
                &format!("{} {}", peer.name, peer.fingerprint),
            )?;
            peer_named(c, name)
        })
    }

    pub(crate) fn do_peer_by_fingerprint(&self, fp: &str) -> StoreResult<Option<Peer>> {
        let rows = self.tx(false, |c| {
            c.query(
                &format!("SELECT {PEER_COLS} FROM peers WHERE fingerprint = ?"),
                &[fp.into()],
            )
        })?;
        rows.first().map(peer_from_row).transpose()
    }

    pub(crate) fn do_export_bundle(
        &self,
        actor: &Actor,
        name: &str,
        since: Option<i64>,
        prev: Option<&str>,
        key: &NodeKey,
        now: i64,
    ) -> StoreResult<Option<Bundle>> {
        // The peer itself, through the signed feed, asks as `peer:NAME`.
        let own_feed = actor.name == format!("peer:{name}");
        if !own_feed {
            self.authorise(require_admin(actor), actor, "exchange.export", now)?;
        }
        if since.is_some_and(|s| s < 0) {
            return Err(StoreError::field(
                "since",
                "must be a sequence number, 0 or more",
            ));
        }
        let issuer = key.fingerprint();
        self.audited(actor, "exchange.export", &format!("peer:{name}"), now, |c| {
            let peer = peer_named(c, name)?;
            if peer.revoked {
                return Err(StoreError::Conflict(format!(
                    "peer {name} is revoked: nothing is sent to it"
                )));
            }
            let since = match since {
                Some(s) => s,
                None => {
                    let rows = c.query(
                        "SELECT CAST(COALESCE(MAX(seq_to), 0) AS BIGINT) FROM exchange_sent WHERE peer_id = ?",
                        &[peer.id.clone().into()],
                    )?;
                    rows.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0)
                }
            };
            let prev_hash = if since == 0 {
                GENESIS_HASH.to_string()
            } else {
                let rows = match prev {
                    Some(h) => c.query(
                        "SELECT bundle_hash FROM exchange_sent WHERE peer_id = ? AND seq_to = ? AND bundle_hash = ?",
                        &[peer.id.clone().into(), since.into(), h.into()],
                    )?,
                    None => c.query(
                        "SELECT bundle_hash FROM exchange_sent WHERE peer_id = ? AND seq_to = ? ORDER BY created_at DESC, bundle_hash LIMIT 1",
                        &[peer.id.clone().into(), since.into()],
                    )?,
                };
                match rows.first() {
                    Some(r) => text(r, 0)?,
                    None => {
                        return Err(StoreError::Conflict(format!(
                            "no bundle sent to {name} ends at sequence {since}{}: give the sequence number the peer last accepted",
                            if prev.is_some() { " with that hash" } else { "" }
                        )))
                    }
                }
            };
            let upto = next_xseq(c)? - 1;
            if upto <= since {
                return Ok(None);
            }
            let publish = parse_publish(&peer.publish.join(",")).unwrap_or_default();
            let mut items: Vec<(i64, Item)> = Vec::new();
            if publish.contains(&Publish::Urls) {
                let rows = c.query(
                    "SELECT xseq, id, original, level, category, removed_version FROM url_entries \
                     WHERE origin_peer IS NULL AND xseq > ? AND xseq <= ? ORDER BY xseq",
                    &[since.into(), upto.into()],
                )?;
                for r in &rows {
                    let removed = opt_int(r, 5)?.is_some();
                    if removed && since == 0 {
                        continue;
                    }
                    let id = text(r, 1)?;
                    let item = if removed {
                        Item::UrlTombstone(haven_domain::exchange::EntryRef { id })
                    } else {
                        Item::UrlAdd(UrlItem {
                            id,
                            url: text(r, 2)?,
                            level: text(r, 3)?,
                            category: text(r, 4)?,
                        })
                    };
                    items.push((int(r, 0)?, item));
                }
            }
            if publish.contains(&Publish::Alerts) {
                let rows = c.query(
                    "SELECT xseq, id, sealed, expires FROM alerts \
                     WHERE origin_peer IS NULL AND xseq > ? AND xseq <= ? ORDER BY xseq",
                    &[since.into(), upto.into()],
                )?;
                for r in &rows {
                    let id = text(r, 1)?;
                    let live = opt_blob(r, 2)?.filter(|_| int(r, 3).is_ok_and(|e| e > now));
                    let item = match live {
                        Some(sealed) => Item::AlertAdd(self.open_alert(&sealed)?),
                        None if since == 0 => continue,
                        None => Item::AlertWithdraw(haven_domain::exchange::EntryRef { id }),
                    };
                    items.push((int(r, 0)?, item));
                }
            }
            if publish.contains(&Publish::Stats) {
                items.extend(
                    super::statistics::published_between(c, since, upto)?
                        .into_iter()
                        .map(|(x, s)| (x, Item::Statistic(s))),
                );
            }
            for list in publish.iter().filter_map(|p| match p {
                Publish::HashList(n) => Some(n.clone()),
                _ => None,
            }) {
                let rows = c.query(
                    "SELECT e.xseq, e.id, l.name, e.pdq, e.quality, e.md5, e.sha256, e.category, e.enabled \
                     FROM hash_entries e JOIN hash_lists l ON l.id = e.list_id \
                     WHERE l.name = ? AND e.origin_peer IS NULL AND e.xseq > ? AND e.xseq <= ? ORDER BY e.xseq",
                    &[list.into(), since.into(), upto.into()],
                )?;
                for r in &rows {
                    let enabled = int(r, 8)? != 0;
                    if !enabled && since == 0 {
                        continue;
                    }
                    let id = text(r, 1)?;
                    let item = if enabled {
                        Item::HashAdd(HashItem {
                            id,
                            list: text(r, 2)?,
                            pdq: opt_text(r, 3)?,
                            quality: opt_int(r, 4)?,
                            md5: opt_text(r, 5)?,
                            sha256: opt_text(r, 6)?,
                            category: text(r, 7)?,
                        })
                    } else {
                        Item::HashRemove(haven_domain::exchange::EntryRef { id })
                    };
                    items.push((int(r, 0)?, item));
                }
            }
            // Every peer hears of this node's key rotations, whatever it
            // is published: without them it could not trust the new key.
            items.extend(rotation_items(c, since, upto)?);
            items.sort_by_key(|(x, _)| *x);
            // Every export signs the head of the log as it stands, so a
            // peer that keeps heads holds one at least as new as this
            // bundle (the schedule's heads only make a bundle happen).
            if publish.contains(&Publish::Audit) {
                if let Some(head) = sign_head(c, key, now, false)? {
                    items.push((upto, Item::AuditHead(head)));
                }
            }
            let envelope = Envelope {
                format: BUNDLE_FORMAT.into(),
                issuer: issuer.clone(),
                recipient: peer.fingerprint.clone(),
                seq_from: since + 1,
                seq_to: upto,
                created: now,
                prev_bundle_hash: prev_hash.clone(),
                items: items.into_iter().map(|(_, i)| i).collect(),
            };
            let count = envelope.items.len() as i64;
            let bundle = Bundle::sign(envelope, key)
                .map_err(|e| StoreError::Database(format!("signing a bundle: {e}")))?;
            c.execute(
                "INSERT INTO exchange_sent (peer_id, bundle_hash, seq_from, seq_to, items, created_at) VALUES (?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (peer_id, bundle_hash) DO NOTHING",
                &[peer.id.clone().into(), bundle.hash.clone().into(), (since + 1).into(), upto.into(), count.into(), now.into()],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "exchange.export",
                &format!("peer:{}", peer.id),
                "ok",
                &format!("{} to {name}: {count} items", bundle.label()),
            )?;
            Ok(Some(bundle))
        })
    }

    pub(crate) fn do_import_bundle(
        &self,
        actor: &Actor,
        bytes: &[u8],
        us: &str,
        now: i64,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> StoreResult<ImportSummary> {
        self.authorise(require_admin(actor), actor, "exchange.import", now)?;
        let started = Instant::now();
        let bundle = match Bundle::parse(bytes) {
            Ok(b) => b,
            Err(e) => {
                let digest = Sha256::digest(bytes);
                let name: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
                let reason = format!("bundle file {name} ({} bytes) refused: {e}", bytes.len());
                self.do_record_event(
                    &actor.name,
                    "exchange.import",
                    &format!("bundle:{name}"),
                    "refused",
                    &reason,
                    now,
                )?;
                return Err(refused(reason));
            }
        };
        let label = bundle.label();
        let target = format!("bundle:{}", bundle.hash);
        let read = started.elapsed();
        match self.tx(true, |c| {
            apply(c, &self.keys, actor, &bundle, us, now, read, &mut *progress)
        }) {
            Ok(summary) => Ok(summary),
            Err(StoreError::Refused(why)) => {
                let reason = format!("{label} refused: {why}");
                self.do_record_event(
                    &actor.name,
                    "exchange.import",
                    &target,
                    "refused",
                    &reason,
                    now,
                )?;
                Err(refused(reason))
            }
            Err(StoreError::Invalid(v)) => {
                let reason = format!("{label} refused: an item is not valid: {}", v.summary());
                self.do_record_event(
                    &actor.name,
                    "exchange.import",
                    &target,
                    "refused",
                    &reason,
                    now,
                )?;
                Err(refused(reason))
            }
            Err(e) => Err(e),
        }
    }
}

/// Checks a parsed bundle against its peer and applies it, all inside the
/// caller's transaction: any `Err` rolls everything back.
#[allow(clippy::too_many_arguments)]
fn apply(
    c: &mut dyn Conn,
    keys: &Keyring,
    actor: &Actor,
    bundle: &Bundle,
    us: &str,
    now: i64,
    read: Duration,
    progress: &mut dyn FnMut(&ImportProgress),
) -> StoreResult<ImportSummary> {
    let checking = Instant::now();
    let env = bundle.envelope();
    // The signer is a trusted peer, or one that rotated its key since: a
    // chain of rotations in the bundle, from the key we trust to the one
    // that signed it.
    let (peer, rotated) = match peer_by_fingerprint_in(c, &env.issuer)? {
        Some(p) => (p, None),
        None => match follow_rotation(c, env)
            .map_err(|why| refused(format!("its key rotation: {why}")))?
        {
            Some((p, retired)) => (p, Some(retired)),
            None => {
                if let Some((name, at)) = retired_by(c, &env.issuer)? {
                    return Err(refused(format!(
                        "it is signed with a key that {name} retired (we learnt of it on {}): bundles signed by a retired key are no longer accepted",
                        haven_domain::Date::from_unix(at)
                    )));
                }
                return Err(refused(format!(
                    "it is signed as {}, a node that is not a trusted peer here",
                    env.issuer
                )));
            }
        },
    };
    let key = stored_key(&peer)?;
    if !bundle.signed_by(&key) {
        return Err(refused(format!(
            "the signature does not match {}'s key: the bundle was altered, or is not from {}",
            peer.name, peer.name
        )));
    }
    // Every rotation it carries must hold, even old ones we passed.
    for item in &env.items {
        if let Item::KeyRotation(r) = item {
            r.verified()
                .map_err(|why| refused(format!("its key rotation: {why}")))?;
        }
    }
    if peer.revoked {
        return Err(refused(format!(
            "{} is revoked: nothing is accepted from it",
            peer.name
        )));
    }
    // A peer that has not heard of our own rotation yet addresses the old key.
    if env.recipient != us && !is_own_retired(c, &env.recipient)? {
        return Err(refused(format!(
            "it is addressed to another node ({}), not this one ({us})",
            env.recipient
        )));
    }
    let expected = peer.last_seq + 1;
    if env.seq_to <= peer.last_seq {
        return Err(refused(format!(
            "a replay: {} already sent up to sequence {} and it was applied",
            peer.name, peer.last_seq
        )));
    }
    if env.seq_from > expected {
        return Err(refused(format!(
            "a gap: the next bundle from {} must start at sequence {expected}, this one starts at {}",
            peer.name, env.seq_from
        )));
    }
    if env.seq_from < expected {
        return Err(refused(format!(
            "out of order: it starts at sequence {} but {} was already applied up to {}",
            env.seq_from, peer.name, peer.last_seq
        )));
    }
    let last = peer
        .last_bundle_hash
        .clone()
        .unwrap_or_else(|| GENESIS_HASH.to_string());
    if env.prev_bundle_hash != last {
        return Err(refused(format!(
            "out of order: it does not follow the last bundle accepted from {} (its previous-bundle hash differs)",
            peer.name
        )));
    }
    let allowed = parse_may_send(&peer.may_send.join(",")).unwrap_or_default();
    for item in &env.items {
        let kind = item.kind();
        if kind != ItemKind::Identity && !allowed.contains(&kind) {
            return Err(refused(format!(
                "it holds {} items, and {} may not send {}",
                item.name(),
                peer.name,
                kind.as_str()
            )));
        }
    }
    let mut sum = ImportSummary {
        bundle: bundle.label(),
        hash: bundle.hash.clone(),
        peer: peer.name.clone(),
        seq_from: env.seq_from,
        seq_to: env.seq_to,
        ..ImportSummary::default()
    };
    let mut cx = Counters::read(c)?;
    let by = format!("peer:{}", peer.name);
    let total = env.items.len();
    progress(&ImportProgress::Applying {
        bundle: bundle.label(),
        items: total,
        read,
        check: checking.elapsed(),
    });
    let applying = Instant::now();
    let every = (total / 10).max(10_000);
    let hash_adds = env
        .items
        .iter()
        .filter(|i| matches!(i, Item::HashAdd(_)))
        .count();
    let mut hashes = HashWriter::new(c, &peer, &by, &bundle.hash, now, hash_adds)?;
    for (i, item) in env.items.iter().enumerate() {
        if i > 0 && i % every == 0 {
            progress(&ImportProgress::Applied {
                done: i,
                items: total,
            });
        }
        let at = |m: String| refused(format!("item {} ({}): {m}", i + 1, item.name()));
        if !matches!(item, Item::HashAdd(_)) {
            // What follows may concern a row still waiting to be written.
            hashes.flush(c)?;
        }
        match item {
            Item::HashAdd(h) => hashes.add(c, &mut cx, h, &mut sum).map_err(|e| match e {
                StoreError::Invalid(v) => at(v.summary()),
                other => other,
            })?,
            Item::HashRemove(r) => {
                cx.changed += 1;
                cx.xseq += 1;
                let n = c.execute(
                    "UPDATE hash_entries SET enabled = 0, changed = ?, xseq = ?, received_at = ?, origin_bundle = ? \
                     WHERE origin_peer = ? AND origin_id = ? AND enabled = 1",
                    &[cx.changed.into(), cx.xseq.into(), now.into(), bundle.hash.clone().into(), peer.id.clone().into(), r.id.clone().into()],
                )?;
                sum.hashes_removed += n;
            }
            Item::UrlAdd(u) => add_url(c, &mut cx, &peer, u, &by, &bundle.hash, now, &mut sum)
                .map_err(|e| match e {
                    StoreError::Invalid(v) => at(v.summary()),
                    other => other,
                })?,
            Item::UrlTombstone(r) => {
                cx.version += 1;
                cx.xseq += 1;
                let n = c.execute(
                    "UPDATE url_entries SET removed_version = ?, removed_at = ?, xseq = ?, received_at = ?, origin_bundle = ? \
                     WHERE origin_peer = ? AND origin_id = ? AND removed_version IS NULL",
                    &[cx.version.into(), now.into(), cx.xseq.into(), now.into(), bundle.hash.clone().into(), peer.id.clone().into(), r.id.clone().into()],
                )?;
                sum.urls_removed += n;
            }
            Item::AlertAdd(a) => {
                check_received_alert(a).map_err(|v| at(v.summary()))?;
                add_alert(c, keys, &peer, a, &by, &bundle.hash, now, &mut sum)?;
            }
            Item::AlertWithdraw(r) => {
                let n = c.execute(
                    "UPDATE alerts SET sealed = NULL, withdrawn_at = ?, withdrawn_by = ? \
                     WHERE origin_peer = ? AND origin_id = ? AND sealed IS NOT NULL",
                    &[
                        now.into(),
                        by.clone().into(),
                        peer.id.clone().into(),
                        r.id.clone().into(),
                    ],
                )?;
                sum.alerts_withdrawn += n;
            }
            Item::Statistic(s) => {
                check_received_statistic(s).map_err(|v| at(v.summary()))?;
                super::statistics::receive(c, &peer.id, s, &bundle.hash, now)?;
                sum.statistics_received += 1;
            }
            // Followed above, before the signature was checked.
            Item::KeyRotation(_) => {}
            Item::AuditHead(h) => {
                receive_head(c, &peer, h, &bundle.hash, now).map_err(at)?;
                sum.audit_head = Some(h.seq);
            }
        }
    }
    hashes.flush(c)?;
    progress(&ImportProgress::Committing {
        apply: applying.elapsed(),
    });
    if let Some(retired) = &rotated {
        retire_peer_keys(c, &peer, retired, &bundle.hash, now)?;
        sum.new_key = Some(peer.fingerprint.clone());
    }
    c.execute(
        "UPDATE peers SET last_seq = ?, last_bundle_hash = ?, last_import_at = ? WHERE id = ?",
        &[
            env.seq_to.into(),
            bundle.hash.clone().into(),
            now.into(),
            peer.id.clone().into(),
        ],
    )?;
    append_audit(
        c,
        now,
        &actor.name,
        "exchange.import",
        &format!("bundle:{}", bundle.hash),
        "ok",
        &(format!(
            "{}: {} hashes listed, {} removed, {} kept disabled here; {} URLs listed, {} taken off, {} already listed; {} alerts received, {} withdrawn; {} figures received",
            sum.bundle,
            sum.hashes_added,
            sum.hashes_removed,
            sum.kept_disabled,
            sum.urls_added,
            sum.urls_removed,
            sum.urls_already_listed,
            sum.alerts_added,
            sum.alerts_withdrawn,
            sum.statistics_received
        ) + &sum
            .audit_head
            .map(|seq| format!("; audit head signed at entry {seq}"))
            .unwrap_or_default()
            + &sum
                .new_key
                .as_ref()
                .map(|fp| format!("; {} rotated its key to {fp}", sum.peer))
                .unwrap_or_default()),
    )?;
    Ok(sum)
}

/// The lists' counters, read once per import and advanced locally (the
/// import holds the write transaction).
struct Counters {
    seq: i64,
    changed: i64,
    xseq: i64,
    version: i64,
}

impl Counters {
    fn read(c: &mut dyn Conn) -> StoreResult<Counters> {
        let rows = c.query(
            "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM hash_entries",
            &[],
        )?;
        let seq = rows.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0);
        Ok(Counters {
            seq,
            changed: next_change(c)?,
            xseq: next_xseq(c)? - 1,
            version: url_version(c)?,
        })
    }
}

/// Rows of `hash_entries` written per INSERT statement.
const HASH_ROWS_PER_INSERT: usize = 64;
const HASH_INSERT_COLUMNS: &str = "id, list_id, pdq, quality, md5, sha256, source, category, added_by, added_at, enabled, import_id, seq, changed, xseq, origin_peer, origin_id, received_at, origin_bundle";
const HASH_INSERT_VALUES: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?, ?, ?, ?, ?)";
const HASH_INSERT_PARAMS: usize = 17;

/// Applies a bundle's `hash_add` items with the same outcome as one
/// SELECT and one INSERT or UPDATE each, only faster (issue 13's import of
/// a million entries): the peer's entries already here are read once when
/// there are few of them beside the bundle, list names are looked up once,
/// identifiers are drawn in bulk, and new rows are written
/// [`HASH_ROWS_PER_INSERT`] to a statement. Rows not yet written are
/// written before anything else touches the table ([`HashWriter::flush`]).
struct HashWriter<'a> {
    peer: &'a Peer,
    by: &'a str,
    bundle: &'a str,
    source: String,
    now: i64,
    /// The peer's entries here, by their id at the origin: `(id here,
    /// held off here)`; `None` when there were too many to read at once
    /// (each is then looked up as it comes).
    known: Option<HashMap<String, (String, bool)>>,
    /// List name → id here.
    lists: HashMap<String, String>,
    /// Origin ids of the rows waiting in `pending`.
    waiting: HashSet<String>,
    pending: Vec<crate::sql::Value>,
    ids: Vec<String>,
    full_insert: String,
}

impl<'a> HashWriter<'a> {
    fn new(
        c: &mut dyn Conn,
        peer: &'a Peer,
        by: &'a str,
        bundle: &'a str,
        now: i64,
        adds: usize,
    ) -> StoreResult<HashWriter<'a>> {
        let known = if adds == 0 {
            None
        } else {
            let rows = c.query(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM hash_entries WHERE origin_peer = ?",
                &[peer.id.clone().into()],
            )?;
            let here = rows.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0);
            // Reading them all costs about what looking up this many does.
            if here <= 4 * adds as i64 {
                let rows = c.query(
                    "SELECT origin_id, id, held_off FROM hash_entries WHERE origin_peer = ?",
                    &[peer.id.clone().into()],
                )?;
                let mut map = HashMap::with_capacity(rows.len() + adds);
                for r in &rows {
                    map.insert(text(r, 0)?, (text(r, 1)?, int(r, 2)? != 0));
                }
                Some(map)
            } else {
                None
            }
        };
        Ok(HashWriter {
            peer,
            by,
            bundle,
            source: format!("peer {}", peer.name),
            now,
            known,
            lists: HashMap::new(),
            waiting: HashSet::new(),
            pending: Vec::with_capacity(HASH_ROWS_PER_INSERT * HASH_INSERT_PARAMS),
            ids: Vec::new(),
            full_insert: insert_hashes_sql(HASH_ROWS_PER_INSERT),
        })
    }

    /// The entry here that came from the peer as `origin_id`, if any.
    fn existing(
        &mut self,
        c: &mut dyn Conn,
        origin_id: &str,
    ) -> StoreResult<Option<(String, bool)>> {
        if let Some(map) = &self.known {
            return Ok(map.get(origin_id).cloned());
        }
        let rows = c.query(
            "SELECT id, held_off FROM hash_entries WHERE origin_peer = ? AND origin_id = ?",
            &[self.peer.id.clone().into(), origin_id.into()],
        )?;
        rows.first()
            .map(|r| Ok((text(r, 0)?, int(r, 1)? != 0)))
            .transpose()
    }

    /// The list of that name here, made for the peer's entries when missing.
    fn list_id(&mut self, c: &mut dyn Conn, name: &str) -> StoreResult<String> {
        if let Some(id) = self.lists.get(name) {
            return Ok(id.clone());
        }
        let list = c.query("SELECT id FROM hash_lists WHERE name = ?", &[name.into()])?;
        let id = match list.first() {
            Some(r) => text(r, 0)?,
            None => {
                let mut e = ValidationErrors::default();
                let clean = haven_domain::validation::clean_name(&mut e, "list", name, true);
                e.into_result()?;
                let id = random_id()?;
                c.execute(
                    "INSERT INTO hash_lists (id, name, description, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                    &[id.clone().into(), clean.into(), format!("Received from peer {}", self.peer.name).into(), self.by.into(), self.now.into()],
                )?;
                id
            }
        };
        self.lists.insert(name.to_string(), id.clone());
        Ok(id)
    }

    fn add(
        &mut self,
        c: &mut dyn Conn,
        cx: &mut Counters,
        h: &HashItem,
        sum: &mut ImportSummary,
    ) -> StoreResult<()> {
        let mut n = NewHashEntry {
            pdq: h.pdq.clone(),
            quality: h.quality,
            md5: h.md5.clone(),
            sha256: h.sha256.clone(),
            source: self.source.clone(),
            category: h.category.clone(),
        };
        let mut e = ValidationErrors::default();
        n.validate(&mut e, "");
        if h.id.is_empty() || h.id.chars().count() > 100 {
            e.add("id", "must be an identifier of 1 to 100 characters");
        }
        e.into_result()?;
        cx.changed += 1;
        cx.xseq += 1;
        if self.waiting.contains(&h.id) {
            // The same entry twice in one bundle: the second updates the first.
            self.flush(c)?;
        }
        if let Some((id, held_off)) = self.existing(c, &h.id)? {
            if held_off {
                sum.kept_disabled += 1;
            } else {
                sum.hashes_added += 1;
            }
            c.execute(
                "UPDATE hash_entries SET pdq = ?, quality = ?, md5 = ?, sha256 = ?, category = ?, enabled = ?, changed = ?, xseq = ?, received_at = ?, origin_bundle = ? WHERE id = ?",
                &[n.pdq.into(), n.quality.into(), n.md5.into(), n.sha256.into(), n.category.into(), (!held_off).into(), cx.changed.into(), cx.xseq.into(), self.now.into(), self.bundle.into(), id.into()],
            )?;
            return Ok(());
        }
        let list_id = self.list_id(c, &h.list)?;
        cx.seq += 1;
        if self.ids.is_empty() {
            self.ids = ordered_ids(4096)?;
            // Handed out from the end: smallest first.
            self.ids.reverse();
        }
        let id = self
            .ids
            .pop()
            .ok_or_else(|| StoreError::Crypto("no identifiers were drawn".into()))?;
        if let Some(map) = &mut self.known {
            map.insert(h.id.clone(), (id.clone(), false));
        }
        self.waiting.insert(h.id.clone());
        self.pending.extend([
            id.into(),
            list_id.into(),
            n.pdq.into(),
            n.quality.into(),
            n.md5.into(),
            n.sha256.into(),
            n.source.into(),
            n.category.into(),
            self.by.into(),
            self.now.into(),
            cx.seq.into(),
            cx.changed.into(),
            cx.xseq.into(),
            self.peer.id.clone().into(),
            h.id.clone().into(),
            self.now.into(),
            self.bundle.into(),
        ]);
        sum.hashes_added += 1;
        if self.pending.len() == HASH_ROWS_PER_INSERT * HASH_INSERT_PARAMS {
            self.flush(c)?;
        }
        Ok(())
    }

    /// Writes the rows waiting to be written.
    fn flush(&mut self, c: &mut dyn Conn) -> StoreResult<()> {
        let rows = self.pending.len() / HASH_INSERT_PARAMS;
        if rows == 0 {
            return Ok(());
        }
        if rows == HASH_ROWS_PER_INSERT {
            c.execute(&self.full_insert, &self.pending)?;
        } else {
            c.execute(&insert_hashes_sql(rows), &self.pending)?;
        }
        self.pending.clear();
        self.waiting.clear();
        Ok(())
    }
}

fn insert_hashes_sql(rows: usize) -> String {
    let values = vec![HASH_INSERT_VALUES; rows].join(", ");
    format!("INSERT INTO hash_entries ({HASH_INSERT_COLUMNS}) VALUES {values}")
}

#[allow(clippy::too_many_arguments)]
fn add_url(
    c: &mut dyn Conn,
    cx: &mut Counters,
    peer: &Peer,
    u: &UrlItem,
    by: &str,
    bundle: &str,
    now: i64,
    sum: &mut ImportSummary,
) -> StoreResult<()> {
    let mut e = ValidationErrors::default();
    let level = UrlLevel::parse(&u.level);
    if level.is_none() {
        e.add("level", "must be url, prefix or domain");
    }
    let normal = normalise_url(&u.url).map_err(|m| {
        let mut e = ValidationErrors::default();
        e.add("url", m);
        StoreError::Invalid(e)
    })?;
    let category = haven_domain::validation::clean_name(&mut e, "category", &u.category, false);
    if u.id.is_empty() || u.id.chars().count() > 100 {
        e.add("id", "must be an identifier of 1 to 100 characters");
    }
    e.into_result()?;
    let Some(level) = level else {
        return Err(StoreError::field("level", "must be url, prefix or domain"));
    };
    let key = normal.key(level);
    let existing = c.query(
        "SELECT id FROM url_entries WHERE origin_peer = ? AND origin_id = ?",
        &[peer.id.clone().into(), u.id.clone().into()],
    )?;
    if let Some(r) = existing.first() {
        // Sent again: its classification may have changed; a copy taken off
        // here stays off.
        c.execute(
            "UPDATE url_entries SET category = ?, received_at = ?, origin_bundle = ? WHERE id = ?",
            &[
                category.into(),
                now.into(),
                bundle.into(),
                text(r, 0)?.into(),
            ],
        )?;
        return Ok(());
    }
    let live = c.query(
        "SELECT id FROM url_entries WHERE url_key = ? AND level = ? AND removed_version IS NULL",
        &[key.clone().into(), level.as_str().into()],
    )?;
    if !live.is_empty() {
        sum.urls_already_listed += 1;
        return Ok(());
    }
    cx.version += 1;
    cx.xseq += 1;
    c.execute(
        "INSERT INTO url_entries (id, url_key, level, original, category, added_by, added_at, version, xseq, origin_peer, origin_id, received_at, origin_bundle) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            random_id()?.into(),
            key.into(),
            level.as_str().into(),
            u.url.trim().into(),
            category.into(),
            by.into(),
            now.into(),
            cx.version.into(),
            cx.xseq.into(),
            peer.id.clone().into(),
            u.id.clone().into(),
            now.into(),
            bundle.into(),
        ],
    )?;
    sum.urls_added += 1;
    Ok(())
}

/// A received alert, sealed with this node's key. One already withdrawn
/// here stays withdrawn; one already expired is not kept.
#[allow(clippy::too_many_arguments)]
fn add_alert(
    c: &mut dyn Conn,
    keys: &Keyring,
    peer: &Peer,
    a: &haven_domain::exchange::AlertItem,
    by: &str,
    bundle: &str,
    now: i64,
    sum: &mut ImportSummary,
) -> StoreResult<()> {
    if a.expires <= now {
        return Ok(());
    }
    let json = serde_json::to_string(a)
        .map_err(|e| StoreError::Database(format!("an alert's contents: {e}")))?;
    let sealed = keys.seal(super::alerts::SEALED, &json)?;
    let existing = c.query(
        "SELECT id, sealed FROM alerts WHERE origin_peer = ? AND origin_id = ?",
        &[peer.id.clone().into(), a.id.clone().into()],
    )?;
    if let Some(r) = existing.first() {
        if opt_blob(r, 1)?.is_some() {
            c.execute(
                "UPDATE alerts SET sealed = ?, expires = ?, received_at = ?, origin_bundle = ? WHERE id = ?",
                &[sealed.into(), a.expires.into(), now.into(), bundle.into(), text(r, 0)?.into()],
            )?;
            sum.alerts_added += 1;
        }
        return Ok(());
    }
    c.execute(
        "INSERT INTO alerts (id, origin_peer, origin_id, sealed, expires, issued_by, issued_at, received_at, origin_bundle) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            random_id()?.into(),
            peer.id.clone().into(),
            a.id.clone().into(),
            sealed.into(),
            a.expires.into(),
            by.into(),
            now.into(),
            now.into(),
            bundle.into(),
        ],
    )?;
    sum.alerts_added += 1;
    Ok(())
}
