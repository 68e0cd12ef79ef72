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
/// Also returns the stored records of the keys loaded.
async fn load(
    store: &dyn Store,
    kek: &Kek,
    now: UnixTime,
) -> Result<(KeySet, Vec<StoredKey>), SharedKeyError> {
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
    let mut records = Vec::new();
    let mut failures = Vec::new();
    for key in stored {
        if retired(&key, now) {
            store.delete_key(&key.kid).await?;
            continue;
        }
        let opened = kek.open(&key.kid, &key.sealed_pem).and_then(|pem| {
            Ok(
                SigningKey::from_pem(parse_alg(&key.alg)?, pem.as_bytes(), Some(key.kid.clone()))?
                    .made_at(u64::try_from(key.created_at.secs()).unwrap_or_default()),
            )
        });
        match opened {
            Ok(k) => {
                keys.push(k);
                records.push(key);
            }
            Err(e) => {
                tracing::error!(kid = %key.kid, error = %e, "a shared signing key cannot be used");
                failures.push(e);
            }
        }
    }
    match (keys.is_empty(), failures.pop()) {
        (true, Some(e)) => Err(e),
        _ => Ok((KeySet::new(keys), records)),
    }
}

fn retired(key: &StoredKey, now: UnixTime) -> bool {
    key.retire_at.is_some_and(|t| t <= now)
}

/// An instance's view of the shared keys. It remembers the keys it last loaded, so that when
/// storage loses them (Redis restarted empty) it writes them back rather than letting every
/// instance make its own: tokens already issued keep verifying, and the fleet keeps one JWKS.
pub struct SharedKeys {
    kek: Kek,
    /// How long a key that stops signing stays published: longer than any token it signed
    /// can live.
    retire_after: Duration,
    held: std::sync::Mutex<Vec<StoredKey>>,
    /// When this instance last made keys because storage had none.
    generated_at: std::sync::Mutex<Option<UnixTime>>,
}

impl fmt::Debug for SharedKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedKeys")
            .field("retire_after", &self.retire_after)
            .finish_non_exhaustive()
    }
}

impl SharedKeys {
    pub fn new(kek: Kek, retire_after: Duration) -> Self {
        SharedKeys {
            kek,
            retire_after,
            held: std::sync::Mutex::new(Vec::new()),
            generated_at: std::sync::Mutex::new(None),
        }
    }

    /// Whether this instance made keys within `window` before `now`. Other instances may
    /// still hold older keys they are about to write back: look again soon.
    pub fn generated_within(&self, window: Duration, now: UnixTime) -> bool {
        self.generated_at
            .lock()
            .map(|t| *t)
            .unwrap_or_else(|p| *p.into_inner())
            .is_some_and(|t| now < t.plus(window))
    }

    pub fn kek(&self) -> &Kek {
        &self.kek
    }

    fn held(&self) -> Vec<StoredKey> {
        self.held
            .lock()
            .map(|h| h.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Brings storage and this instance into agreement and returns the keys to use:
    /// - storage has no keys: this instance's keys go back (of instances doing it at once,
    ///   exactly one set lands and the others adopt it); with none held, new ones are made;
    /// - keys this instance held are missing from storage while others are there (another
    ///   instance wrote its own first): they go back as retiring keys, published everywhere
    ///   and never signing again, until every token they signed has expired.
    pub async fn sync(&self, store: &dyn Store, now: UnixTime) -> Result<KeySet, SharedKeyError> {
        let held: Vec<StoredKey> = self
            .held()
            .into_iter()
            .filter(|k| !retired(k, now))
            .collect();
        let mut stored = store.list_keys().await?;
        if stored.is_empty() {
            let offered = if held.is_empty() {
                let mut slot = self.generated_at.lock().unwrap_or_else(|p| p.into_inner());
                *slot = Some(now);
                SigningAlg::ALL
                    .into_iter()
                    .map(|alg| new_stored(alg, &self.kek, now, None))
                    .collect::<Result<Vec<_>, _>>()?
            } else {
                tracing::warn!(
                    keys = held.len(),
                    "shared storage has no signing keys: writing back the keys this instance holds"
                );
                held.clone()
            };
            // Losing the race is fine: the winner's keys are read below.
            store.put_keys_if_none(&offered).await?;
            stored = store.list_keys().await?;
        }
        // Keys sealed under another key-encryption key mean storage is not ours to mend.
        let foreign = stored
            .iter()
            .any(|k| self.kek.open(&k.kid, &k.sealed_pem).is_err());
        if foreign {
            tracing::error!(
                "shared storage holds signing keys this instance cannot open (another key-encryption key?): not writing its own back"
            );
        }
        for mut key in held.into_iter().filter(|_| !foreign) {
            if stored.iter().any(|k| k.kid == key.kid) {
                continue;
            }
            let until = now.plus(self.retire_after);
            key.retire_at = Some(key.retire_at.map_or(until, |t| t.min(until)));
            tracing::warn!(kid = %key.kid, "a signing key missing from shared storage goes back, retiring");
            store.put_key(&key).await?;
        }
        let (keys, records) = load(store, &self.kek, now).await?;
        if !records.is_empty() {
            let mut slot = self.held.lock().unwrap_or_else(|p| p.into_inner());
            *slot = records;
        }
        Ok(keys)
    }
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

    use std::sync::Arc;
    use wagate_storage::{Clock, KeyStore, ManualClock, MemoryStore};

    fn kids(set: &KeySet) -> Vec<String> {
        let mut kids: Vec<String> = set
            .jwks()
            .keys
            .iter()
            .filter_map(|k| k.common.key_id.clone())
            .collect();
        kids.sort();
        kids
    }

    fn instance() -> SharedKeys {
        SharedKeys::new(
            Kek::from_secret(&"k".repeat(32)).unwrap(),
            Duration::from_secs(3600),
        )
    }

    #[tokio::test]
    async fn keys_go_back_to_storage_that_lost_them() {
        let clock = Arc::new(ManualClock::new(UnixTime(1_000_000)));
        let before = MemoryStore::new(clock.clone());
        let (a, b) = (instance(), instance());
        let first = a.sync(&before, clock.now()).await.unwrap();
        assert_eq!(
            kids(&b.sync(&before, clock.now()).await.unwrap()),
            kids(&first)
        );

        // Storage restarts empty: both instances write the same keys back.
        let empty = MemoryStore::new(clock.clone());
        assert_eq!(
            kids(&a.sync(&empty, clock.now()).await.unwrap()),
            kids(&first)
        );
        assert_eq!(
            kids(&b.sync(&empty, clock.now()).await.unwrap()),
            kids(&first)
        );
        assert_eq!(empty.list_keys().await.unwrap().len(), 3);
    }

    #[tokio::test]
    async fn keys_of_an_instance_that_lost_the_race_keep_verifying_without_signing() {
        let clock = Arc::new(ManualClock::new(UnixTime(1_000_000)));
        let old = MemoryStore::new(clock.clone());
        let a = instance();
        let held = a.sync(&old, clock.now()).await.unwrap();
        let token = held
            .signer(SigningAlg::RS256)
            .unwrap()
            .sign("JWT", &serde_json::json!({"sub": "x"}))
            .unwrap();

        // Storage came back empty and a new instance made fresh keys before A looked.
        let fresh_store = MemoryStore::new(clock.clone());
        let fresh = instance().sync(&fresh_store, clock.now()).await.unwrap();
        let after = a.sync(&fresh_store, clock.now()).await.unwrap();
        assert_eq!(kids(&after).len(), 6, "both sets are published");
        assert_eq!(
            after.signer(SigningAlg::RS256).unwrap().kid(),
            fresh.signer(SigningAlg::RS256).unwrap().kid(),
            "the keys in storage sign"
        );
        let claims: serde_json::Value = after.verify(&token, "JWT").unwrap();
        assert_eq!(claims["sub"], "x", "what A signed still verifies");
        let stored = fresh_store.list_keys().await.unwrap();
        let written_back = stored
            .iter()
            .filter(|k| kids(&held).contains(&k.kid))
            .collect::<Vec<_>>();
        assert_eq!(written_back.len(), 3);
        assert!(
            written_back
                .iter()
                .all(|k| k.retire_at == Some(clock.now().plus(Duration::from_secs(3600))))
        );

        // Once every token they signed has expired, they leave.
        clock.advance(Duration::from_secs(3601));
        let later = a.sync(&fresh_store, clock.now()).await.unwrap();
        assert_eq!(kids(&later), kids(&fresh));
    }

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
