//! A node's Ed25519 identity and the fingerprint people compare.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::Signer;
use sha2::{Digest, Sha256};

/// A peer's public key (Ed25519, 32 bytes).
pub type PublicKey = ed25519_dalek::VerifyingKey;

/// How far (seconds) a signed feed request's time may be from ours.
pub const FEED_WINDOW_SECONDS: i64 = 300;

/// This node's signing key.
pub struct NodeKey {
    key: ed25519_dalek::SigningKey,
}

impl NodeKey {
    /// The key made from 32 secret bytes (from the key file, or fresh
    /// randomness at first start).
    pub fn from_seed(seed: &[u8; 32]) -> NodeKey {
        NodeKey {
            key: ed25519_dalek::SigningKey::from_bytes(seed),
        }
    }

    /// The key file's text: the secret seed in standard base64 and a newline.
    pub fn to_file_text(&self) -> String {
        format!("{}\n", STANDARD.encode(self.key.to_bytes()))
    }

    /// Reads the key file's text.
    pub fn from_file_text(text: &str) -> Result<NodeKey, String> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| "the node key file is not base64".to_string())?;
        let seed: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "the node key file does not hold a 32-byte key".to_string())?;
        Ok(NodeKey::from_seed(&seed))
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        self.key.verifying_key()
    }

    /// The public key as peers are given it: standard base64 of its 32 bytes.
    pub fn public_base64(&self) -> String {
        STANDARD.encode(self.public().to_bytes())
    }

    /// This node's fingerprint (see [`fingerprint`]).
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.public())
    }

    /// Signs `message`; the signature in standard base64.
    pub fn sign(&self, message: &[u8]) -> String {
        STANDARD.encode(self.key.sign(message).to_bytes())
    }
}

/// Whether `signature` (standard base64) is `key`'s signature of `message`.
pub fn verify(key: &PublicKey, message: &[u8], signature: &str) -> bool {
    let Ok(bytes) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    let Ok(bytes) = <[u8; 64]>::try_from(bytes.as_slice()) else {
        return false;
    };
    key.verify_strict(message, &ed25519_dalek::Signature::from_bytes(&bytes))
        .is_ok()
}

/// A public key as `haven node show` prints it: standard base64 of its 32 bytes.
pub fn public_key_base64(key: &PublicKey) -> String {
    STANDARD.encode(key.to_bytes())
}

/// The fingerprint of a public key: the first 16 bytes of the SHA-256 of
/// its 32 bytes, in lowercase hex, in eight groups of four joined by `:`
/// (`3f2a:…`), short enough to read out over the telephone.
pub fn fingerprint(key: &PublicKey) -> String {
    let digest = Sha256::digest(key.to_bytes());
    digest[..16]
        .chunks(2)
        .map(|pair| format!("{:02x}{:02x}", pair[0], pair.get(1).copied().unwrap_or(0)))
        .collect::<Vec<_>>()
        .join(":")
}

/// A public key as an administrator pastes it: standard base64 of 32 bytes
/// (what `haven node show` prints), or 64 hexadecimal digits.
pub fn parse_public_key(text: &str) -> Result<PublicKey, String> {
    let text = text.trim();
    let bytes = if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()) {
        (0..32)
            .map(|i| u8::from_str_radix(&text[i * 2..i * 2 + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| "is not a public key".to_string())?
    } else {
        STANDARD.decode(text).map_err(|_| {
            "is not a public key: paste what `haven node show` prints on the other node".to_string()
        })?
    };
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| "is not a public key: an Ed25519 key is 32 bytes".to_string())?;
    PublicKey::from_bytes(&bytes).map_err(|_| "is not a valid Ed25519 public key".to_string())
}

/// What a peer signs to ask for its feed: a fixed label, the method, path,
/// query and the request's time (Unix seconds), one a line. The time is
/// checked against [`FEED_WINDOW_SECONDS`], so a captured request cannot be
/// replayed later.
pub fn feed_request_message(method: &str, path: &str, query: &str, time: i64) -> Vec<u8> {
    format!("haven-feed-request/1\n{method}\n{path}\n{query}\n{time}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_survives_its_file_and_signs_what_its_public_half_verifies() {
        let key = NodeKey::from_seed(&[7; 32]);
        let again = NodeKey::from_file_text(&key.to_file_text()).unwrap();
        assert_eq!(key.public_base64(), again.public_base64());
        let sig = key.sign(b"hello");
        assert!(verify(&key.public(), b"hello", &sig));
        assert!(!verify(&key.public(), b"hellO", &sig));
        assert!(!verify(
            &NodeKey::from_seed(&[8; 32]).public(),
            b"hello",
            &sig
        ));
        assert!(!verify(&key.public(), b"hello", "not base64"));
    }

    #[test]
    fn fingerprints_are_eight_groups_and_keys_parse_in_base64_or_hex() {
        let key = NodeKey::from_seed(&[1; 32]);
        let fp = key.fingerprint();
        assert_eq!(fp.len(), 39);
        assert_eq!(fp.split(':').count(), 8);
        let parsed = parse_public_key(&key.public_base64()).unwrap();
        assert_eq!(fingerprint(&parsed), fp);
        let hex: String = key
            .public()
            .to_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(fingerprint(&parse_public_key(&hex).unwrap()), fp);
        assert!(parse_public_key("abc").is_err());
        assert!(parse_public_key("").is_err());
    }
}
