//! Password hashing with Argon2id, and a dummy check for unknown users so that
//! the time a sign-in takes does not reveal who has an account.

use crate::crypto::random_bytes;
use crate::error::{StoreError, StoreResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

fn argon() -> Argon2<'static> {
    // 19 MiB, 2 passes: OWASP's minimum for Argon2id, workable on an old laptop.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string.
pub fn hash_password(password: &str) -> StoreResult<String> {
    let salt_bytes: [u8; 16] = random_bytes()?;
    let salt =
        SaltString::encode_b64(&salt_bytes).map_err(|e| StoreError::Crypto(e.to_string()))?;
    argon()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Crypto(e.to_string()))
}

/// Checks a password against a stored hash; `None` runs a dummy check.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy =
        DUMMY.get_or_init(|| hash_password("dummy password for timing").unwrap_or_default());
    let (phc, real) = match stored {
        Some(s) => (s, true),
        None => (dummy.as_str(), false),
    };
    let ok = PasswordHash::new(phc)
        .is_ok_and(|h| argon().verify_password(password.as_bytes(), &h).is_ok());
    ok && real
}

/// Checks that a new password is acceptable.
pub fn check_new_password(password: &str) -> StoreResult<()> {
    if password.chars().count() < 10 {
        return Err(StoreError::field(
            "password",
            "must be at least 10 characters",
        ));
    }
    if password.len() > 1024 {
        return Err(StoreError::field("password", "must be at most 1024 bytes"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_unknown_users_fail() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", Some(&h)));
        assert!(!verify_password("wrong", Some(&h)));
        assert!(!verify_password("correct horse battery", None));
        assert!(check_new_password("short").is_err());
    }
}
