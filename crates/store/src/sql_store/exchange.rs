//! The exchange between nodes (issue 13): trusted peers, bundles out of
//! what we publish (the import of a peer's bundle is `exchange_import`).
//!
//! Exchange sequence numbers are derived from the lists themselves rather
//! than kept in an outbox: each entry carries `xseq`, set from one counter
//! across both lists in the same transaction as every change to it (see
//! `next_xseq`). A bundle thus carries each entry's newest state once, the
//! history never grows without bound, and nothing can be changed without
//! its number moving.

use super::audit_heads::sign_head;
use super::key_rotation::rotation_items;
use super::lists::next_xseq;
use super::{append_audit, SqlStore};
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::exchange::{NewPeer, Peer};
use crate::sql::{int, opt_blob, opt_int, opt_text, text, Conn, Row};
use haven_domain::exchange::{
    fingerprint, parse_may_send, parse_public_key, parse_publish, peer_address_problem,
    public_key_base64, Bundle, Envelope, HashItem, Item, NodeKey, Publish, UrlItem, BUNDLE_FORMAT,
    GENESIS_HASH,
};
use haven_domain::{Actor, Role, ValidationErrors};

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

pub(super) fn refused(msg: String) -> StoreError {
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
        if let Some(problem) = url.as_deref().and_then(peer_address_problem) {
            e.add("url", problem);
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
}
