//! Signing keys kept in shared storage, so that every instance signs with the same keys:
//! generated once, sealed with the operator's key-encryption key (AES-256-GCM), rotated by
//! `wagate keys rotate`, and retired from the JWKS once every token they signed has expired.

use crate::keys::generate_pem;
use crate::{KeyError, KeySet, SigningAlg, SigningKey};
use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use std::fmt;
use std::time::Duration;
use thiserror::Error;
use wagate_storage::{Store, StoreError, StoredKey, UnixTime};

/// Shortest key-encryption secret we accept.
pub const MIN_KEK_LEN: usize = 32;

#[derive(Debug, Error)]
pub enum SharedKeyError {
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Storage(#[from] StoreError),
    #[error("a stored key cannot be opened: wrong key-encryption key, or damaged ({0})")]
    Unseal(String),
}

/// The key-encryption key, derived from the configured secret.
pub struct Kek(LessSafeKey);

impl fmt::Debug for Kek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Kek([redacted])")
    }
}

impl Kek {
    /// From a secret of at least [`MIN_KEK_LEN`] characters (checked by the configuration).
    pub fn from_secret(secret: &str) -> Result<Self, KeyError> {
        let digest = Sha256::digest(secret.as_bytes());
        let key = UnboundKey::new(&AES_256_GCM, &digest)
            .map_err(|_| KeyError::Generate("AES-256-GCM"))?;
        Ok(Kek(LessSafeKey::new(key)))
    }

    /// `base64(nonce || ciphertext || tag)`, bound to the key's `kid` as associated data.
    fn seal(&self, kid: &str, pem: &str) -> Result<String, KeyError> {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| KeyError::Generate("nonce"))?;
        let mut data = pem.as_bytes().to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(kid.as_bytes()),
                &mut data,
            )
            .map_err(|_| KeyError::Sign("sealing failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&data);
        Ok(STANDARD.encode(out))
    }

    fn open(&self, kid: &str, sealed: &str) -> Result<String, SharedKeyError> {
        let bad = |why: &str| SharedKeyError::Unseal(format!("{kid}: {why}"));
        let raw = STANDARD.decode(sealed).map_err(|_| bad("not base64"))?;
        let (nonce, body) = raw
            .split_at_checked(NONCE_LEN)
            .ok_or_else(|| bad("too short"))?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| bad("nonce"))?;
        let mut body = body.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::from(kid.as_bytes()), &mut body)
            .map_err(|_| bad("authentication failed"))?;
        String::from_utf8(plain.to_vec()).map_err(|_| bad("not text"))
    }
}

fn parse_alg(alg: &str) -> Result<SigningAlg, SharedKeyError> {
    alg.parse::<SigningAlg>().map_err(SharedKeyError::Key)
}

/// A new stored key of `alg`, sealed, signing from `activate_at` on.
fn new_stored(
    alg: SigningAlg,
    kek: &Kek,
    now: UnixTime,
    activate_at: Option<UnixTime>,
) -> Result<StoredKey, KeyError> {
    let pem = generate_pem(alg)?;
    let kid = SigningKey::from_pem(alg, pem.as_bytes(), None)?
        .kid()
        .to_owned();
    Ok(StoredKey {
        sealed_pem: kek.seal(&kid, &pem)?,
        kid,
        alg: alg.as_str().to_owned(),
        created_at: now,
        activate_at,
        retire_at: None,
    })
}

/// The keys in storage that are still published, in signing order: active keys not being
/// retired, then active keys being retired, then keys waiting to activate, newest first in
/// each; the first key of each algorithm signs. Keys past their retirement are deleted on the
/// way; a key that cannot be opened is skipped (and logged) rather than taking the others down.
pub async fn load(store: &dyn Store, kek: &Kek, now: UnixTime) -> Result<KeySet, SharedKeyError> {
    let mut stored = store.list_keys().await?;
    let waiting = |k: &StoredKey| k.activate_at.is_some_and(|t| t > now);
    // A key being retired still signs until its successor is active: waiting keys go last.
    stored.sort_by(|a, b| {
        (waiting(a), a.retire_at.is_some())
            .cmp(&(waiting(b), b.retire_at.is_some()))
            .then_with(|| b.created_at.cmp(&a.created_at))
            .then_with(|| a.kid.cmp(&b.kid))
    });
    let mut keys = Vec::new();
    let mut failures = Vec::new();
    for key in stored {
        if key.retire_at.is_some_and(|t| t <= now) {
            store.delete_key(&key.kid).await?;
            continue;
        }
        let opened = kek.open(&key.kid, &key.sealed_pem).and_then(|pem| {
            Ok(SigningKey::from_pem(
                parse_alg(&key.alg)?,
                pem.as_bytes(),
                Some(key.kid.clone()),
            )?)
        });
        match opened {
            Ok(k) => keys.push(k),
            Err(e) => {
                tracing::error!(kid = %key.kid, error = %e, "a shared signing key cannot be used");
                failures.push(e);
            }
        }
    }
    match (keys.is_empty(), failures.pop()) {
        (true, Some(e)) => Err(e),
        _ => Ok(KeySet::new(keys)),
    }
}

/// Makes sure storage has signing keys (of the instances starting at once exactly one sets
/// them), then loads them.
pub async fn ensure(store: &dyn Store, kek: &Kek, now: UnixTime) -> Result<KeySet, SharedKeyError> {
    let existing = load(store, kek, now).await?;
    if !existing.algorithms().is_empty() {
        return Ok(existing);
    }
    let fresh = SigningAlg::ALL
        .into_iter()
        .map(|alg| new_stored(alg, kek, now, None))
        .collect::<Result<Vec<_>, _>>()?;
    // Losing the race is fine: the winner's keys are loaded below.
    store.put_keys_if_none(&fresh).await?;
    load(store, kek, now).await
}

/// Adds a new key per algorithm: published at once, signing after `activate_after` (by then
/// every instance has reloaded it). The keys it replaces stay published until `retire_after`
/// past that (longer than any token they signed can live). Returns the new kids.
pub async fn rotate(
    store: &dyn Store,
    kek: &Kek,
    now: UnixTime,
    activate_after: Duration,
    retire_after: Duration,
) -> Result<Vec<String>, SharedKeyError> {
    let previous = store.list_keys().await?;
    let activate_at = now.plus(activate_after);
    let mut kids = Vec::new();
    for alg in SigningAlg::ALL {
        let key = new_stored(alg, kek, now, Some(activate_at))?;
        kids.push(key.kid.clone());
        store.put_key(&key).await?;
    }
    for mut old in previous {
        if old.retire_at.is_none() {
            old.retire_at = Some(activate_at.plus(retire_after));
            store.put_key(&old).await?;
        }
    }
    Ok(kids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_keys_open_only_with_the_right_kek_and_kid() {
        let kek = Kek::from_secret(&"k".repeat(32)).unwrap();
        let sealed = kek.seal("kid-1", "pem text").unwrap();
        assert!(!sealed.contains("pem text"));
        assert_eq!(kek.open("kid-1", &sealed).unwrap(), "pem text");
        assert!(kek.open("kid-2", &sealed).is_err(), "bound to its kid");
        let other = Kek::from_secret(&"x".repeat(32)).unwrap();
        assert!(other.open("kid-1", &sealed).is_err());
        assert!(kek.open("kid-1", "!!").is_err());
        assert!(kek.open("kid-1", "AAAA").is_err());
    }
}
