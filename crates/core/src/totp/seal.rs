//! Authenticator secrets at rest: AES-256-GCM under a key from the configuration, bound to the
//! person (`sub` as associated data), so a copy of storage yields no secrets and a sealed
//! secret moved to another person does not open.

use super::TotpSecret;
use crate::seal::SealKey;
use std::fmt;
use thiserror::Error;
use wagate_storage::{Secret, SecretSource};

/// Shortest configured key we accept.
pub const MIN_TOTP_KEY_LEN: usize = 32;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum SealError {
    #[error("the TOTP encryption key must be at least {MIN_TOTP_KEY_LEN} characters")]
    KeyTooShort,
    #[error("sealing failed")]
    Seal,
    /// Wrong key, another person's secret, or damaged storage.
    #[error("a stored authenticator secret cannot be opened ({0})")]
    Open(&'static str),
}

pub struct TotpKey(SealKey);

impl fmt::Debug for TotpKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpKey([redacted])")
    }
}

impl TotpKey {
    /// From the configured secret (any text of at least [`MIN_TOTP_KEY_LEN`] characters).
    pub fn from_secret(secret: &str) -> Result<Self, SealError> {
        if secret.chars().count() < MIN_TOTP_KEY_LEN {
            return Err(SealError::KeyTooShort);
        }
        SealKey::derive(b"wagate totp v1\0", secret.as_bytes())
            .map(TotpKey)
            .ok_or(SealError::Seal)
    }

    /// `base64(nonce || ciphertext || tag)`, bound to the person.
    pub fn seal(
        &self,
        sub: &str,
        secret: &TotpSecret,
        random: &dyn SecretSource,
    ) -> Result<Secret, SealError> {
        self.0
            .seal(sub.as_bytes(), secret.expose(), random)
            .map(Secret::new)
            .ok_or(SealError::Seal)
    }

    pub fn open(&self, sub: &str, sealed: &Secret) -> Result<TotpSecret, SealError> {
        self.0
            .open(sub.as_bytes(), sealed.expose())
            .map(TotpSecret::from_bytes)
            .map_err(SealError::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wagate_storage::OsRandom;

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn sealed_secrets_open_only_for_their_person_and_key() {
        let key = TotpKey::from_secret(KEY).unwrap();
        let secret = TotpSecret::from_bytes(b"twenty bytes secret!".to_vec());
        let sealed = key.seal("sub-a", &secret, &OsRandom).unwrap();
        assert!(!sealed.expose().contains("twenty"));
        assert_eq!(key.open("sub-a", &sealed).unwrap(), secret);
        assert!(key.open("sub-b", &sealed).is_err(), "bound to its person");
        let other = TotpKey::from_secret(&KEY.replace('0', "1")).unwrap();
        assert!(other.open("sub-a", &sealed).is_err(), "bound to its key");
        assert!(key.open("sub-a", &Secret::new("AAAA")).is_err());
        assert!(key.open("sub-a", &Secret::new("%%")).is_err());
        assert_ne!(
            key.seal("sub-a", &secret, &OsRandom).unwrap().expose(),
            sealed.expose(),
            "a fresh nonce every time"
        );
    }

    #[test]
    fn short_keys_are_refused() {
        assert_eq!(
            TotpKey::from_secret("short").unwrap_err(),
            SealError::KeyTooShort
        );
        assert!(format!("{:?}", TotpKey::from_secret(KEY).unwrap()).contains("redacted"));
    }
}
