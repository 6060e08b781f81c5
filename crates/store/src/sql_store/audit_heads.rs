//! Signed audit-chain heads (issue 13): this node signs how far its audit
//! log reaches, on a schedule and with every bundle it exports, keeps those
//! statements, and keeps the ones its peers send it. `haven audit verify`
//! then proves that no entry up to the newest signed head was cut off, and
//! a peer's copy proves it even if this database lost its own.

use super::audit_log::{head_entry_intact, last_entry};
use super::key_rotation::own_key_for;
use super::lists::next_xseq;
use super::SqlStore;
use crate::audit::AuditProblem;
use crate::error::{StoreError, StoreResult};
use crate::exchange::Peer;
use crate::sql::{int, text, Conn};
use haven_domain::exchange::{parse_public_key, AuditHeadItem, NodeKey};

/// Signs the log's newest entry now, keeps the statement, and returns it
/// (the statement already kept when that entry is signed already); `None`
/// when the log is empty. With
/// `share`, the statement takes an exchange number, so that peers that
/// want heads receive it in their next bundle even if no list changed.
pub(super) fn sign_head(
    c: &mut dyn Conn,
    key: &NodeKey,
    now: i64,
    share: bool,
) -> StoreResult<Option<AuditHeadItem>> {
    let Some((seq, hash)) = last_entry(c)? else {
        return Ok(None);
    };
    let signed = c.query(
        "SELECT seq, hash, signed_at, signature FROM signed_audit_heads WHERE seq = ?",
        &[seq.into()],
    )?;
    if let Some(r) = signed.first() {
        // Already vouched for: a second signature would add nothing.
        return Ok(Some(AuditHeadItem {
            seq: int(r, 0)?,
            hash: text(r, 1)?,
            signed_at: int(r, 2)?,
            signature: text(r, 3)?,
        }));
    }
    let head = AuditHeadItem::sign(key, seq, &hash, now);
    let xseq = if share { Some(next_xseq(c)?) } else { None };
    c.execute(
        "INSERT INTO signed_audit_heads (seq, hash, signed_at, signer, signature, xseq) VALUES (?, ?, ?, ?, ?, ?)",
        &[
            seq.into(),
            hash.into(),
            now.into(),
            key.fingerprint().into(),
            head.signature.clone().into(),
            xseq.into(),
        ],
    )?;
    Ok(Some(head))
}

/// Keeps a head a peer sent. A head that names an entry the peer already
/// vouched for with another MAC, or that goes back behind the newest one it
/// sent, means the peer's log was rewritten or cut off: the bundle is
/// refused (and the refusal audited) so that a person looks at it.
/// Whether a peer's signed head can be kept: signed by the peer and not
/// contradicting what it vouched for before. `Ok(true)` when it is already
/// kept. Reads only.
pub(super) fn check_head(
    c: &mut dyn Conn,
    peer: &Peer,
    head: &AuditHeadItem,
) -> Result<bool, String> {
    let key = parse_public_key(&peer.public_key).map_err(|e| e.to_string())?;
    if !head.is_well_formed() {
        return Err("the audit head does not name an entry".into());
    }
    if !head.signed_by(&key) {
        return Err(format!(
            "the audit head is not signed by {}'s key",
            peer.name
        ));
    }
    let db = |e: StoreError| e.to_string();
    let same = c
        .query(
            "SELECT hash FROM received_audit_heads WHERE peer_id = ? AND seq = ?",
            &[peer.id.clone().into(), head.seq.into()],
        )
        .map_err(db)?;
    if let Some(r) = same.first() {
        if text(r, 0).map_err(db)? != head.hash {
            return Err(format!(
                "{} vouched before that its audit entry {} was different: its log was rewritten",
                peer.name, head.seq
            ));
        }
        return Ok(true);
    }
    if let Some(newest) = peer.audit_head_seq.filter(|n| *n > head.seq) {
        return Err(format!(
            "{}'s audit log went back from entry {newest}, which it vouched for, to entry {}: its newest entries were removed",
            peer.name, head.seq
        ));
    }
    Ok(false)
}

/// Keeps a peer's signed head once [`check_head`] allows it.
pub(super) fn receive_head(
    c: &mut dyn Conn,
    peer: &Peer,
    head: &AuditHeadItem,
    bundle_hash: &str,
    now: i64,
) -> Result<(), String> {
    if check_head(c, peer, head)? {
        return Ok(());
    }
    c.execute(
        "INSERT INTO received_audit_heads (peer_id, seq, hash, signed_at, signature, bundle, received_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        &[
            peer.id.clone().into(),
            head.seq.into(),
            head.hash.clone().into(),
            head.signed_at.into(),
            head.signature.clone().into(),
            bundle_hash.into(),
            now.into(),
        ],
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}

impl SqlStore {
    pub(crate) fn do_sign_audit_head(
        &self,
        key: &NodeKey,
        now: i64,
    ) -> StoreResult<Option<AuditHeadItem>> {
        self.tx(true, |c| {
            let newest = c.query("SELECT MAX(seq) FROM signed_audit_heads", &[])?;
            let newest = newest
                .first()
                .map(|r| crate::sql::opt_int(r, 0))
                .transpose()?
                .flatten();
            match last_entry(c)? {
                Some((seq, _)) if Some(seq) > newest => sign_head(c, key, now, true),
                _ => Ok(None),
            }
        })
    }

    /// The newest signed head must still be in the log as signed (the
    /// chain up to `count` entries is intact by now), and must verify
    /// under this node's key when the store knows it.
    pub(super) fn check_signed_heads(&self, count: i64) -> StoreResult<Option<AuditProblem>> {
        let rows = self.tx(false, |c| {
            c.query(
                "SELECT seq, hash, signed_at, signature, signer FROM signed_audit_heads ORDER BY seq DESC LIMIT 1",
                &[],
            )
        })?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let head = AuditHeadItem {
            seq: int(r, 0)?,
            hash: text(r, 1)?,
            signed_at: int(r, 2)?,
            signature: text(r, 3)?,
        };
        let signer = text(r, 4)?;
        if let Some(current) = &self.node_public {
            // Signed by this node's key, or by one it retired since.
            let key = self.tx(false, |c| own_key_for(c, &signer, current))?;
            if !key.is_some_and(|k| head.signed_by(&k)) {
                return Ok(Some(AuditProblem {
                    seq: head.seq,
                    reason: "the signed head that names this entry does not carry this node's signature: it was altered".into(),
                }));
            }
        }
        if head.seq > count {
            return Ok(Some(AuditProblem {
                seq: count + 1,
                reason: format!(
                    "the log ends at entry {count}, but this node signed on {} that it reached entry {}: the newest entries were removed",
                    haven_domain::Date::from_unix(head.signed_at),
                    head.seq
                ),
            }));
        }
        if !self.tx(false, |c| head_entry_intact(c, head.seq, &head.hash))? {
            return Ok(Some(AuditProblem {
                seq: head.seq,
                reason: "differs from the entry this node signed: the log was rewritten from here"
                    .into(),
            }));
        }
        Ok(None)
    }
}
