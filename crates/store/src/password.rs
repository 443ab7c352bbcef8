//! Passwords: argon2id hashes in PHC string form (the salt and parameters travel with the
//! hash), and random tokens for sessions and CSRF.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::StoreError;

/// The shortest password accepted.
pub const MIN_LEN: usize = 10;
/// The longest password accepted (a bound on the work one sign-in can ask for).
pub const MAX_LEN: usize = 1024;

/// The common passwords refused, shipped in the binary (source and licence in the file).
const COMMON: &str = include_str!("common_passwords.txt");

fn common() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| {
        COMMON
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Runs of keys or letters that make "sequential" passwords (NIST SP 800-63B §5.1.1.2).
const SEQUENCES: [&str; 5] = [
    "01234567890",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
];

/// Whether a new password is acceptable; if not, why. NIST SP 800-63B §5.1.1.2 asks a
/// verifier to refuse passwords found in breach corpuses, dictionary words, and repetitive
/// or sequential characters; OWASP's Authentication Cheat Sheet says the same. Refused:
/// fewer than [`MIN_LEN`] or more than [`MAX_LEN`] characters; one to three characters
/// repeated (`aaaaaaaaaa`, `abcabcabca`); a run of one keyboard row or of the alphabet or
/// digits, either way round (`1234567890`, `qwertyuiop`); a common password
/// (`common_passwords.txt`), alone or with digits and symbols around it (`Password2024!`).
pub fn check(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(format!("a password needs at least {MIN_LEN} characters"));
    }
    if n > MAX_LEN {
        return Err(format!("a password has at most {MAX_LEN} characters"));
    }
    let lower = password.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    if (1..=3).any(|p| chars.iter().enumerate().all(|(i, c)| *c == chars[i % p])) {
        return Err("a password must not be a few characters repeated".into());
    }
    let reversed: String = lower.chars().rev().collect();
    if SEQUENCES
        .iter()
        .any(|s| s.contains(lower.as_str()) || s.contains(reversed.as_str()))
    {
        return Err("a password must not be a run of keys or letters".into());
    }
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    if common().contains(lower.as_str()) || (!core.is_empty() && common().contains(core)) {
        return Err(
            "that password is one of the most common ones (or one with digits added); choose another"
                .into(),
        );
    }
    Ok(())
}

/// Hash a new password (argon2id, default parameters: 19 MiB, 2 passes — OWASP's minimum),
/// after [`check`]ing it.
pub fn hash(password: &str) -> Result<String, StoreError> {
    check(password).map_err(StoreError::Invalid)?;
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

    #[test]
    fn common_repetitive_and_sequential_passwords_are_refused() {
        for (pw, why) in [
            ("aaaaaaaaaa", "repeated"),
            ("abcabcabca", "repeated"),
            ("1231231231", "repeated"),
            ("1234567890", "run of keys"),
            ("0987654321", "run of keys"),
            ("QWERTYUIOP", "run of keys"),
            ("abcdefghijk", "run of keys"),
            ("Password2024!", "most common"),
            ("qwerty123456", "most common"),
            ("!!letmein!!", "most common"),
            ("basketball", "most common"),
            ("iloveyou12", "most common"),
            ("short", "at least 10"),
        ] {
            let e = check(pw).unwrap_err();
            assert!(e.contains(why), "{pw}: {e}");
            assert!(hash(pw).is_err(), "{pw}");
        }
        let long: String = (0..400).map(|i| i.to_string()).collect();
        assert!(check(&long[..MAX_LEN]).is_ok());
        assert!(check(&long[..MAX_LEN + 1]).unwrap_err().contains("at most"));
        for pw in [
            "correct horse battery",
            "test-password-1",
            "Salford anchors 2024",
        ] {
            check(pw).unwrap_or_else(|e| panic!("{pw}: {e}"));
        }
        // The list is the file's entries, comments excluded.
        assert!(common().contains("password") && common().contains("1234567890"));
        assert!(!common().iter().any(|w| w.starts_with('#')));
    }
}
