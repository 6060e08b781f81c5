//! Signed audit-chain heads: a node's statement, under its Ed25519 key,
//! that its audit log reached entry `seq` with MAC `hash` at a time.
//!
//! The keyed chain stops anyone without the audit key from rewriting
//! entries, and the head file beside the key notices the newest entries
//! being cut off. A signed head goes further: it is kept in the database
//! and sent to peers, so a copy survives outside this machine, and nobody
//! without the node key can make one that names a shorter chain. Truncation
//! of the newest entries since the last signed head is then provable to a
//! third party, not only to this node.

use super::identity::{fingerprint, verify, NodeKey, PublicKey};
use serde::{Deserialize, Serialize};

/// The label at the head of the signed bytes.
pub const AUDIT_HEAD_FORMAT: &str = "haven-audit-head/1";

/// A signed audit-chain head, as kept and as carried in a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditHeadItem {
    /// The newest audit entry's sequence number.
    pub seq: i64,
    /// Its MAC (lowercase hex).
    pub hash: String,
    /// When the head was signed (Unix seconds).
    pub signed_at: i64,
    /// The node's Ed25519 signature of [`audit_head_message`] (base64).
    pub signature: String,
}

/// The bytes signed: the label, the signer's fingerprint, the entry's
/// number and MAC, and the time, one a line. The fingerprint is inside so
/// that a head cannot be passed off as another node's.
pub fn audit_head_message(signer: &str, seq: i64, hash: &str, signed_at: i64) -> Vec<u8> {
    format!("{AUDIT_HEAD_FORMAT}\n{signer}\n{seq}\n{hash}\n{signed_at}").into_bytes()
}

impl AuditHeadItem {
    /// Signs the head `(seq, hash)` with this node's key.
    pub fn sign(key: &NodeKey, seq: i64, hash: &str, signed_at: i64) -> AuditHeadItem {
        let message = audit_head_message(&key.fingerprint(), seq, hash, signed_at);
        AuditHeadItem {
            seq,
            hash: hash.to_string(),
            signed_at,
            signature: key.sign(&message),
        }
    }

    /// Whether `key` signed exactly this head.
    pub fn signed_by(&self, key: &PublicKey) -> bool {
        let message = audit_head_message(&fingerprint(key), self.seq, &self.hash, self.signed_at);
        verify(key, &message, &self.signature)
    }

    /// Whether the head could name an entry at all: a positive number and a
    /// MAC of 64 lowercase hex digits.
    pub fn is_well_formed(&self) -> bool {
        self.seq >= 1
            && self.hash.len() == 64
            && self
                .hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_head_verifies_only_as_signed_and_only_for_its_node() {
        let key = NodeKey::from_seed(&[3; 32]);
        let other = NodeKey::from_seed(&[4; 32]);
        let head = AuditHeadItem::sign(&key, 42, &"a".repeat(64), 1_700_000_000);
        assert!(head.is_well_formed());
        assert!(head.signed_by(&key.public()));
        assert!(!head.signed_by(&other.public()));
        // Moving the head back, or naming another entry, breaks the signature.
        let shorter = AuditHeadItem {
            seq: 41,
            ..head.clone()
        };
        assert!(!shorter.signed_by(&key.public()));
        let other_entry = AuditHeadItem {
            hash: "b".repeat(64),
            ..head.clone()
        };
        assert!(!other_entry.signed_by(&key.public()));
        assert!(!AuditHeadItem { seq: 0, ..head }.is_well_formed());
    }
}
