//! Key rotation: a node replaces its Ed25519 key, and the old key signs
//! the new one (and the new key signs the same statement, so that nobody
//! can name someone else's public key as the successor of a key of their
//! own making). The statement travels to peers in the next bundle (signed
//! by the new key), and a peer that can verify it under the key it trusts
//! moves its trust to the new key. From then on a bundle signed by the old
//! key is refused: whoever holds a stolen old key can no longer speak for
//! the node once the node has rotated.

use super::identity::{fingerprint, parse_public_key, verify, NodeKey, PublicKey};
use serde::{Deserialize, Serialize};

/// The label at the head of the signed bytes.
pub const KEY_ROTATION_FORMAT: &str = "haven-key-rotation/1";

/// "The node that held `old_key` now holds `new_key`", signed by the old key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRotationItem {
    /// The retired public key (standard base64).
    pub old_key: String,
    /// The new public key (standard base64).
    pub new_key: String,
    /// When the node rotated (Unix seconds).
    pub rotated_at: i64,
    /// The old key's signature of [`key_rotation_message`] (base64).
    pub signature: String,
    /// The new key's signature of the same bytes (base64).
    pub new_signature: String,
}

/// The bytes the old key signs: the label, both keys and the time.
pub fn key_rotation_message(old_key: &str, new_key: &str, rotated_at: i64) -> Vec<u8> {
    format!("{KEY_ROTATION_FORMAT}\n{old_key}\n{new_key}\n{rotated_at}").into_bytes()
}

impl KeyRotationItem {
    /// The statement that `old` hands over to `new`, signed by both.
    pub fn sign(old: &NodeKey, new: &NodeKey, rotated_at: i64) -> KeyRotationItem {
        let old_key = old.public_base64();
        let new_key = new.public_base64();
        let message = key_rotation_message(&old_key, &new_key, rotated_at);
        KeyRotationItem {
            signature: old.sign(&message),
            new_signature: new.sign(&message),
            old_key,
            new_key,
            rotated_at,
        }
    }

    /// Both keys, when the statement is well formed and the old key signed
    /// it; why not otherwise.
    pub fn verified(&self) -> Result<(PublicKey, PublicKey), String> {
        let old = parse_public_key(&self.old_key).map_err(|e| format!("its old key {e}"))?;
        let new = parse_public_key(&self.new_key).map_err(|e| format!("its new key {e}"))?;
        if old == new {
            return Err("it hands a key over to itself".into());
        }
        let message = key_rotation_message(&self.old_key, &self.new_key, self.rotated_at);
        if !verify(&old, &message, &self.signature) {
            return Err(format!(
                "the key rotation to {} is not signed by the key it retires ({})",
                fingerprint(&new),
                fingerprint(&old)
            ));
        }
        if !verify(&new, &message, &self.new_signature) {
            return Err(format!(
                "the key rotation to {} is not signed by that new key",
                fingerprint(&new)
            ));
        }
        Ok((old, new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_old_key_can_hand_over_to_a_new_one() {
        let old = NodeKey::from_seed(&[5; 32]);
        let new = NodeKey::from_seed(&[6; 32]);
        let thief = NodeKey::from_seed(&[7; 32]);
        let stmt = KeyRotationItem::sign(&old, &new, 1_700_000_000);
        let (o, n) = stmt.verified().unwrap();
        assert_eq!((o, n), (old.public(), new.public()));
        // Someone without the old key cannot hand it over to their own.
        let forged = KeyRotationItem {
            new_key: thief.public_base64(),
            ..stmt.clone()
        };
        assert!(forged
            .verified()
            .unwrap_err()
            .contains("not signed by the key it retires"));
        // Nor name someone else's key as the successor of their own.
        let claimed = KeyRotationItem {
            new_key: new.public_base64(),
            ..KeyRotationItem::sign(&thief, &thief, 1)
        };
        let claimed = KeyRotationItem {
            signature: thief.sign(&key_rotation_message(&claimed.old_key, &claimed.new_key, 1)),
            ..claimed
        };
        assert!(claimed
            .verified()
            .unwrap_err()
            .contains("not signed by that new key"));
        assert!(KeyRotationItem::sign(&old, &old, 1).verified().is_err());
    }
}
