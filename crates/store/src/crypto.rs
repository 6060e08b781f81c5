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
/// A key file sealed with a password (a field laptop's).
const SEALED_KEY_VERSION: &[u8; 8] = b"HVNKEYS1";

/// The key a password and salt give (Argon2id with its default cost).
fn password_key(password: &str, salt: &[u8]) -> StoreResult<[u8; 32]> {
    let mut key = [0u8; 32];
    argon2::Argon2::default()
        .hash_password_into(password.as_bytes(), salt, &mut key)
        .map_err(|e| StoreError::Crypto(format!("deriving the key from the password: {e}")))?;
    Ok(key)
}

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

/// `n` identifiers for rows written in bulk (a list import, a peer's
/// bundle of a million hash entries), in ascending order: 48 bits of the
/// time in milliseconds, then 80 random bits, as 32 hex digits like
/// [`random_id`]. Random identifiers would put each new row of an index on
/// identifiers at a random place in it, touching (and, past the page
/// cache, reading and spilling) a different page for each; these go in
/// next to each other. The random part comes from one read of the
/// operating system's source.
pub fn ordered_ids(n: usize) -> StoreResult<Vec<String>> {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    let mut b = vec![0u8; n * 10];
    getrandom::getrandom(&mut b).map_err(|e| StoreError::Crypto(format!("no randomness: {e}")))?;
    let time = hex(&millis.to_be_bytes()[2..]);
    let mut ids: Vec<String> = b
        .chunks_exact(10)
        .map(|r| format!("{time}{}", hex(r)))
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// Bytes from lowercase or uppercase hexadecimal; none when `s` is not
/// hexadecimal of whole bytes.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
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

    /// Loads the key file, or creates it (mode 0600) when absent. Only for
    /// the first start of an empty database: anything else uses [`Keyring::load`],
    /// because a new key for existing data makes every name unreadable.
    pub fn load_or_create(path: &Path) -> StoreResult<Keyring> {
        match Keyring::load(path) {
            Err(StoreError::KeyMissing(_)) => Keyring::create(path),
            other => other,
        }
    }

    /// Loads an existing key file; a missing file is [`StoreError::KeyMissing`].
    pub fn load(path: &Path) -> StoreResult<Keyring> {
        match std::fs::read(path) {
            Ok(bytes) => Keyring::from_bytes(&bytes).ok_or_else(|| {
                StoreError::Crypto(format!("{} is not a Haven key file", path.display()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(StoreError::KeyMissing(path.display().to_string()))
            }
            Err(e) => Err(StoreError::Crypto(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    /// Creates a new key file (mode 0600); never overwrites one.
    pub fn create(path: &Path) -> StoreResult<Keyring> {
        let k = Keyring::generate()?;
        crate::files::write_private_new(path, &k.to_bytes())
            .map_err(|e| StoreError::Crypto(format!("cannot create {}: {e}", path.display())))?;
        Ok(k)
    }

    /// A public name for these keys, kept in the database so that a store
    /// opened with another key file is refused before it writes anything.
    /// It is a keyed hash: it reveals nothing about the keys.
    pub fn fingerprint(&self) -> String {
        let mut buf = hmac_sha256(&self.seal, b"haven key fingerprint v1").to_vec();
        buf.extend_from_slice(&hmac_sha256(&self.index, b"haven key fingerprint v1"));
        sha256_hex(&buf)[..32].to_string()
    }

    /// The key of the audit chain's MACs, derived from the index key so
    /// that the key file keeps its format: without the key file nobody can
    /// recompute the chain after changing it.
    pub fn audit_key(&self) -> AuditKey {
        AuditKey(hmac_sha256(&self.index, b"haven audit chain v1"))
    }

    /// The key that signs device cookies (see
    /// [`crate::Store::device_cookie_key`]), derived like the audit key.
    pub fn device_cookie_key(&self) -> [u8; 32] {
        hmac_sha256(&self.index, b"haven device cookie v1")
    }

    /// The name an attempt counter is stored under: a keyed hash of what
    /// it counts (an account name, an address), so the table names nobody.
    pub fn attempt_counter(&self, key: &str) -> String {
        let k = hmac_sha256(&self.index, b"haven attempt counters v1");
        hex(&hmac_sha256(&k, key.as_bytes())[..16])
    }

    /// The keys sealed with a password: Argon2id (its default cost: 19 MiB,
    /// two passes, slow enough to make guessing dear, quick enough for an
    /// old laptop) turns the password and a random salt into a key that
    /// seals the key file's bytes with XChaCha20-Poly1305. A field laptop
    /// keeps only this, so its folder without its user's password reveals
    /// no name.
    pub fn sealed_with_password(&self, password: &str) -> StoreResult<Vec<u8>> {
        let salt: [u8; 16] = random_bytes()?;
        let nonce: [u8; 24] = random_bytes()?;
        let cipher = XChaCha20Poly1305::new(&password_key(password, &salt)?.into());
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), self.to_bytes().as_slice())
            .map_err(|_| StoreError::Crypto("sealing the key file failed".into()))?;
        let mut out = SEALED_KEY_VERSION.to_vec();
        out.extend_from_slice(&salt);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens keys sealed by [`Keyring::sealed_with_password`]; a wrong
    /// password is refused as such.
    pub fn from_sealed(bytes: &[u8], password: &str) -> StoreResult<Keyring> {
        let damaged = || StoreError::Crypto("the sealed key file is damaged".into());
        if bytes.len() < 48 || &bytes[..8] != SEALED_KEY_VERSION {
            return Err(damaged());
        }
        let (salt, rest) = bytes[8..].split_at(16);
        let (nonce, sealed) = rest.split_at(24);
        let cipher = XChaCha20Poly1305::new(&password_key(password, salt)?.into());
        let plain = cipher
            .decrypt(XNonce::from_slice(nonce), sealed)
            .map_err(|_| {
                StoreError::Crypto(
                    "wrong password: this folder's key opens only with its user's password".into(),
                )
            })?;
        Keyring::from_bytes(&plain).ok_or_else(damaged)
    }

    /// Creates a new key file sealed with `password` (mode 0600); never
    /// overwrites one.
    pub fn create_sealed(path: &Path, password: &str) -> StoreResult<Keyring> {
        let k = Keyring::generate()?;
        crate::files::write_private_new(path, &k.sealed_with_password(password)?)
            .map_err(|e| StoreError::Crypto(format!("cannot create {}: {e}", path.display())))?;
        Ok(k)
    }

    /// Loads a key file sealed with a password.
    pub fn load_sealed(path: &Path, password: &str) -> StoreResult<Keyring> {
        match std::fs::read(path) {
            Ok(bytes) => Keyring::from_sealed(&bytes, password),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(StoreError::KeyMissing(path.display().to_string()))
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

    /// [`Keyring::seal`] of a value that may be absent (absent stays absent).
    pub fn seal_optional(
        &self,
        field: &str,
        plaintext: Option<&str>,
    ) -> StoreResult<Option<Vec<u8>>> {
        plaintext.map(|t| self.seal(field, t)).transpose()
    }

    /// Encrypts a field value; `field` is bound as associated data.
    pub fn seal(&self, field: &str, plaintext: &str) -> StoreResult<Vec<u8>> {
        // Every narrative field passes here on its way to the database: one
        // place bounds them all.
        let max = haven_domain::validation::MAX_TEXT_CHARS;
        if plaintext.len() > max && plaintext.chars().count() > max {
            // "assessment.override_reason" is the API's "override_reason".
            let name = field.rsplit('.').next().unwrap_or(field);
            return Err(StoreError::field(
                name,
                format!("must be at most {max} characters"),
            ));
        }
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
        hmac_sha256(&self.index, token.as_bytes())[..16].to_vec()
    }
}

/// HMAC-SHA256 of `data` under `key`.
fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return [0u8; 32],
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The secret that keys the audit chain. `Debug` never prints it.
#[derive(Clone)]
pub struct AuditKey([u8; 32]);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(redacted)")
    }
}

impl AuditKey {
    /// HMAC-SHA256 of `data` as hex.
    pub fn mac_hex(&self, data: &[u8]) -> String {
        hex(&hmac_sha256(&self.0, data))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn keys_sealed_with_a_password_open_only_with_it() {
        let k = Keyring::generate().unwrap();
        let sealed = k.sealed_with_password("a long field password").unwrap();
        // Neither key appears in the sealed bytes.
        assert!(!sealed.windows(32).any(|w| w == k.seal || w == k.index));
        let opened = Keyring::from_sealed(&sealed, "a long field password").unwrap();
        assert_eq!(opened.fingerprint(), k.fingerprint());
        match Keyring::from_sealed(&sealed, "a long field passwore") {
            Err(StoreError::Crypto(m)) => assert!(m.contains("wrong password")),
            other => panic!("{other:?}"),
        }
        let mut damaged = sealed.clone();
        damaged[3] ^= 1;
        assert!(Keyring::from_sealed(&damaged, "a long field password").is_err());
        assert!(Keyring::from_sealed(&sealed[..40], "a long field password").is_err());
        // Two sealings of the same keys differ (salt and nonce are random).
        assert_ne!(
            sealed,
            k.sealed_with_password("a long field password").unwrap()
        );
    }

    use super::*;

    #[test]
    fn identifiers_are_lowercase_hex_and_distinct() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        let ids = ordered_ids(1000).unwrap();
        assert_eq!(ids.len(), 1000);
        assert!(ids.iter().all(|i| i.len() == 32
            && i.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())));
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ascending, none twice");
        let later = ordered_ids(1).unwrap();
        assert!(later[0][..12] >= ids[999][..12], "the time comes first");
    }

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
        assert_eq!(k.fingerprint(), k.clone().fingerprint());
        assert_ne!(k.fingerprint(), other.fingerprint());
        assert_ne!(k.audit_key().mac_hex(b"x"), other.audit_key().mac_hex(b"x"));
    }
}
