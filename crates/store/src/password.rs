//! Passwords: argon2id hashes in PHC string form (the salt and parameters travel with the
//! hash), and random tokens for sessions and CSRF.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::StoreError;

/// The shortest password accepted.
pub const MIN_LEN: usize = 10;

/// Hash a password (argon2id, default parameters: 19 MiB, 2 passes — OWASP's minimum).
pub fn hash(password: &str) -> Result<String, StoreError> {
    if password.chars().count() < MIN_LEN {
        return Err(StoreError::Invalid(format!(
            "a password needs at least {MIN_LEN} characters"
        )));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Invalid(format!("hashing: {e}")))
}

/// Whether a password matches a stored hash (a malformed hash never matches).
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random token: 32 bytes from the OS, hex (256 bits).
pub fn token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash("correct horse battery").unwrap();
        let b = hash("correct horse battery").unwrap();
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &a));
        assert!(!verify("correct horse batterz", &a));
        assert!(!verify("x", "not a hash"));
        assert!(hash("short").is_err());
        assert_ne!(token(), token());
        assert_eq!(token().len(), 64);
    }
}
