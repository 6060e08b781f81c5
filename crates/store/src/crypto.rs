//! Field encryption and blind indexing, with keys kept outside the database.
//!
//! Names, contacts and narratives are sealed with XChaCha20-Poly1305 (random
//! 192-bit nonces, so no nonce bookkeeping), with the column's name as
//! associated data so a value cannot be moved to another field unnoticed.
//! Search tokens are HMAC-SHA256 under a second key, truncated to 16 bytes:
//! equal tokens can be found, but a copy of the database alone reveals
//! neither names nor tokens.

use crate::error::{StoreError, StoreResult};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::Path;

const KEY_FILE_VERSION: &[u8; 8] = b"HVNKEY01";

/// The two secret keys. `Debug` never prints them.
#[derive(Clone)]
pub struct Keyring {
    seal: [u8; 32],
    index: [u8; 32],
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keyring(redacted)")
    }
}

/// Fills a buffer from the operating system's random source.
pub fn random_bytes<const N: usize>() -> StoreResult<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::getrandom(&mut b).map_err(|e| StoreError::Crypto(format!("no randomness: {e}")))?;
    Ok(b)
}

/// A random identifier: 128 bits as 32 hex digits.
pub fn random_id() -> StoreResult<String> {
    Ok(hex(&random_bytes::<16>()?))
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 as hex: for API tokens and session identifiers, which are long
/// random strings, so a fast hash is enough to keep them unusable if read.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex(&Sha256::digest(data))
}

impl Keyring {
    /// Generates fresh keys.
    pub fn generate() -> StoreResult<Keyring> {
        Ok(Keyring {
            seal: random_bytes()?,
            index: random_bytes()?,
        })
    }

    /// Loads the key file, or creates it (mode 0600) when absent.
    pub fn load_or_create(path: &Path) -> StoreResult<Keyring> {
        match std::fs::read(path) {
            Ok(bytes) => Keyring::from_bytes(&bytes).ok_or_else(|| {
                StoreError::Crypto(format!("{} is not a Haven key file", path.display()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let k = Keyring::generate()?;
                write_private(path, &k.to_bytes()).map_err(|e| {
                    StoreError::Crypto(format!("cannot create {}: {e}", path.display()))
                })?;
                Ok(k)
            }
            Err(e) => Err(StoreError::Crypto(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut v = KEY_FILE_VERSION.to_vec();
        v.extend_from_slice(&self.seal);
        v.extend_from_slice(&self.index);
        v
    }

    fn from_bytes(b: &[u8]) -> Option<Keyring> {
        if b.len() != 72 || &b[..8] != KEY_FILE_VERSION {
            return None;
        }
        let mut seal = [0u8; 32];
        let mut index = [0u8; 32];
        seal.copy_from_slice(&b[8..40]);
        index.copy_from_slice(&b[40..72]);
        Some(Keyring { seal, index })
    }

    /// Encrypts a field value; `field` is bound as associated data.
    pub fn seal(&self, field: &str, plaintext: &str) -> StoreResult<Vec<u8>> {
        let cipher = XChaCha20Poly1305::new((&self.seal).into());
        let nonce_bytes: [u8; 24] = random_bytes()?;
        let nonce = XNonce::from_slice(&nonce_bytes);
        let ct = cipher
            .encrypt(
                nonce,
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: field.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Crypto("encryption failed".into()))?;
        let mut out = nonce_bytes.to_vec();
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypts a value sealed for `field`.
    pub fn open(&self, field: &str, sealed: &[u8]) -> StoreResult<String> {
        if sealed.len() < 24 + 16 {
            return Err(StoreError::Crypto(format!(
                "{field}: sealed value too short"
            )));
        }
        let cipher = XChaCha20Poly1305::new((&self.seal).into());
        let (nonce, ct) = sealed.split_at(24);
        let pt = cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: field.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Crypto(format!("{field}: wrong key or altered data")))?;
        String::from_utf8(pt).map_err(|_| StoreError::Crypto(format!("{field}: not text")))
    }

    /// The keyed blind-index value of a search token.
    pub fn blind(&self, token: &str) -> Vec<u8> {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(&self.index) {
            Ok(m) => m,
            Err(_) => return Vec::new(),
        };
        mac.update(token.as_bytes());
        mac.finalize().into_bytes()[..16].to_vec()
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_and_field_binding() {
        let k = Keyring::generate().unwrap();
        let s = k.seal("given_name", "Amina").unwrap();
        assert_eq!(k.open("given_name", &s).unwrap(), "Amina");
        assert!(k.open("family_name", &s).is_err());
        let other = Keyring::generate().unwrap();
        assert!(other.open("given_name", &s).is_err());
        assert_ne!(
            k.seal("given_name", "Amina").unwrap(),
            s,
            "nonces are random"
        );
        assert_eq!(k.blind("p:A550"), k.blind("p:A550"));
        assert_ne!(k.blind("p:A550"), other.blind("p:A550"));
        assert!(!format!("{k:?}").contains(&format!("{:?}", k.seal)));
    }
}
