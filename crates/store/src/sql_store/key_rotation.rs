//! Key rotation between nodes (issue 13): this node's rotations, kept and
//! sent to every peer; a peer's rotation, followed from the key we trust to
//! the key that signed its bundle; and the keys peers retired, so that a
//! bundle still signed by one is refused with that reason.

use super::exchange::{peer_by_fingerprint_in, require_admin};
use super::lists::next_xseq;
use super::{append_audit, SqlStore};
use crate::error::{StoreError, StoreResult};
use crate::exchange::Peer;
use crate::sql::{int, text, Conn, Row};
use haven_domain::exchange::{
    fingerprint, parse_public_key, public_key_base64, Envelope, Item, KeyRotationItem, PublicKey,
};
use haven_domain::Actor;

/// The longest chain of rotations followed (a node rotating monthly for
/// eighty years): a bound on work, never reached in practice.
const MAX_CHAIN: usize = 1000;

impl SqlStore {
    pub(crate) fn do_record_key_rotation(
        &self,
        actor: &Actor,
        rotation: &KeyRotationItem,
        now: i64,
    ) -> StoreResult<()> {
        self.authorise(require_admin(actor), actor, "node.rotate_key", now)?;
        let (old, new) = rotation
            .verified()
            .map_err(|e| StoreError::field("rotation", &e))?;
        let (old_fp, new_fp) = (fingerprint(&old), fingerprint(&new));
        self.tx(true, |c| {
            let known = c.query(
                "SELECT 1 FROM node_key_rotations WHERE old_fingerprint = ? OR old_fingerprint = ?",
                &[old_fp.clone().into(), new_fp.clone().into()],
            )?;
            if !known.is_empty() {
                return Err(StoreError::Conflict(format!(
                    "key {old_fp} or {new_fp} was retired already: a node never goes back to a retired key"
                )));
            }
            let xseq = next_xseq(c)?;
            c.execute(
                "INSERT INTO node_key_rotations (old_fingerprint, old_key, new_key, new_fingerprint, rotated_at, signature, new_signature, xseq) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                &[
                    old_fp.clone().into(),
                    rotation.old_key.clone().into(),
                    rotation.new_key.clone().into(),
                    new_fp.clone().into(),
                    rotation.rotated_at.into(),
                    rotation.signature.clone().into(),
                    rotation.new_signature.clone().into(),
                    xseq.into(),
                ],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "node.rotate_key",
                &format!("node:{old_fp}"),
                "ok",
                &format!("key {old_fp} retired for {new_fp}"),
            )
        })
    }
}

/// A rotation statement read from `old_key, new_key, rotated_at,
/// signature, new_signature` starting at column `at`.
fn statement(r: &Row, at: usize) -> StoreResult<KeyRotationItem> {
    Ok(KeyRotationItem {
        old_key: text(r, at)?,
        new_key: text(r, at + 1)?,
        rotated_at: int(r, at + 2)?,
        signature: text(r, at + 3)?,
        new_signature: text(r, at + 4)?,
    })
}

fn rotation_from(
    c: &mut dyn Conn,
    where_: &str,
    value: &str,
) -> StoreResult<Option<KeyRotationItem>> {
    let rows = c.query(
        &format!("SELECT old_key, new_key, rotated_at, signature, new_signature FROM node_key_rotations WHERE {where_} = ?"),
        &[value.into()],
    )?;
    rows.first().map(|r| statement(r, 0)).transpose()
}

/// This node's rotations numbered in `(since, upto]`, for a bundle. Every
/// peer receives them: each must learn the new key.
pub(super) fn rotation_items(
    c: &mut dyn Conn,
    since: i64,
    upto: i64,
) -> StoreResult<Vec<(i64, Item)>> {
    let rows = c.query(
        "SELECT xseq, old_key, new_key, rotated_at, signature, new_signature FROM node_key_rotations \
         WHERE xseq > ? AND xseq <= ? ORDER BY xseq",
        &[since.into(), upto.into()],
    )?;
    rows.iter()
        .map(|r| Ok((int(r, 0)?, Item::KeyRotation(statement(r, 1)?))))
        .collect()
}

/// Whether `fp` is a key this node retired (a peer that has not heard of
/// the rotation yet still addresses bundles to it).
pub(super) fn is_own_retired(c: &mut dyn Conn, fp: &str) -> StoreResult<bool> {
    Ok(rotation_from(c, "old_fingerprint", fp)?.is_some())
}

/// The public key that made fingerprint `signer`, when it is `current` or
/// a key this node retired on the way to it (each step signed by both its
/// keys, so a key of someone else's making cannot be slipped in).
pub(super) fn own_key_for(
    c: &mut dyn Conn,
    signer: &str,
    current: &PublicKey,
) -> StoreResult<Option<PublicKey>> {
    let target = fingerprint(current);
    if signer == target {
        return Ok(Some(*current));
    }
    let mut first: Option<PublicKey> = None;
    let mut at = signer.to_string();
    for _ in 0..MAX_CHAIN {
        let Some(step) = rotation_from(c, "old_fingerprint", &at)? else {
            return Ok(None);
        };
        let Ok((old, new)) = step.verified() else {
            return Ok(None);
        };
        if fingerprint(&old) != at {
            return Ok(None);
        }
        first.get_or_insert(old);
        at = fingerprint(&new);
        if at == target {
            return Ok(first);
        }
    }
    Ok(None)
}

/// Keys a peer retired: (fingerprint, public key in base64).
pub(super) type RetiredKeys = Vec<(String, String)>;

/// A peer's rotation in a bundle, followed (see [`follow_rotations`]).
pub(super) fn follow_rotation(
    c: &mut dyn Conn,
    env: &Envelope,
) -> Result<Option<(Peer, RetiredKeys)>, String> {
    let rotations = env.items.iter().filter_map(|i| match i {
        Item::KeyRotation(r) => Some(r),
        _ => None,
    });
    follow_rotations(c, rotations, &env.issuer)
}

/// A peer's rotations, followed: the peer we trust under one of the chain's
/// old keys, with the key the chain ends at (which must be `signer`), and
/// the keys it retired on the way. `None` when no chain leads from a
/// trusted key to the signer. A rotation that does not verify is an error.
pub(super) fn follow_rotations<'a>(
    c: &mut dyn Conn,
    rotations: impl Iterator<Item = &'a KeyRotationItem>,
    signer: &str,
) -> Result<Option<(Peer, RetiredKeys)>, String> {
    let db = |e: StoreError| e.to_string();
    let mut found: Option<Peer> = None;
    let mut current: Option<PublicKey> = None;
    let mut retired = Vec::new();
    for r in rotations {
        let (old, new) = r.verified()?;
        match (&found, current) {
            (None, _) => {
                if let Some(p) = peer_by_fingerprint_in(c, &fingerprint(&old)).map_err(db)? {
                    found = Some(p);
                    current = Some(new);
                    retired.push((fingerprint(&old), r.old_key.clone()));
                }
            }
            (Some(_), Some(cur)) if cur == old => {
                current = Some(new);
                retired.push((fingerprint(&old), r.old_key.clone()));
            }
            _ => {}
        }
    }
    match (found, current) {
        (Some(peer), Some(key)) if fingerprint(&key) == signer => Ok(Some((
            Peer {
                public_key: public_key_base64(&key),
                fingerprint: fingerprint(&key),
                ..peer
            },
            retired,
        ))),
        _ => Ok(None),
    }
}

impl SqlStore {
    pub(crate) fn do_own_key_rotations(&self) -> StoreResult<Vec<KeyRotationItem>> {
        self.tx(false, |c| {
            Ok(rotation_items(c, 0, i64::MAX)?
                .into_iter()
                .filter_map(|(_, i)| match i {
                    Item::KeyRotation(r) => Some(r),
                    _ => None,
                })
                .collect())
        })
    }

    pub(crate) fn do_follow_peer_rotation(
        &self,
        rotations: &[KeyRotationItem],
        signer: &str,
        now: i64,
    ) -> StoreResult<Option<Peer>> {
        self.tx(true, |c| {
            let Some((peer, retired)) = follow_rotations(c, rotations.iter(), signer)
                .map_err(|why| StoreError::field("rotation", &why))?
            else {
                return Ok(None);
            };
            retire_peer_keys(c, &peer, &retired, "feed-request", now)?;
            append_audit(
                c,
                now,
                "system",
                "exchange.key_rotated",
                &format!("peer:{}", peer.id),
                "ok",
                &format!(
                    "{} rotated its key to {}, shown with its signed feed request",
                    peer.name, peer.fingerprint
                ),
            )?;
            Ok(Some(peer))
        })
    }
}

/// Moves our trust in `peer` to the key it rotated to, and remembers the
/// keys it retired.
pub(super) fn retire_peer_keys(
    c: &mut dyn Conn,
    peer: &Peer,
    retired: &[(String, String)],
    bundle_hash: &str,
    now: i64,
) -> StoreResult<()> {
    for (fp, key) in retired {
        c.execute(
            "INSERT INTO peer_retired_keys (fingerprint, peer_id, public_key, retired_at, bundle) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (fingerprint) DO NOTHING",
            &[fp.clone().into(), peer.id.clone().into(), key.clone().into(), now.into(), bundle_hash.into()],
        )?;
    }
    c.execute(
        "UPDATE peers SET public_key = ?, fingerprint = ? WHERE id = ?",
        &[
            peer.public_key.clone().into(),
            peer.fingerprint.clone().into(),
            peer.id.clone().into(),
        ],
    )?;
    Ok(())
}

/// The peer that retired key `fp`, and when we learnt it.
pub(super) fn retired_by(c: &mut dyn Conn, fp: &str) -> StoreResult<Option<(String, i64)>> {
    let rows = c.query(
        "SELECT p.name, k.retired_at FROM peer_retired_keys k JOIN peers p ON p.id = k.peer_id WHERE k.fingerprint = ?",
        &[fp.into()],
    )?;
    rows.first()
        .map(|r| Ok((text(r, 0)?, int(r, 1)?)))
        .transpose()
}

/// Checks that a stored key still parses (it was checked when stored).
pub(super) fn stored_key(peer: &Peer) -> StoreResult<PublicKey> {
    parse_public_key(&peer.public_key)
        .map_err(|e| StoreError::Database(format!("peer {}'s stored key: {e}", peer.name)))
}
