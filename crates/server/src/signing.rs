//! Signing keys of a running instance: generated, configured or shared through storage
//! (sealed with the key-encryption key), reloaded every few seconds, and rotated by the
//! operator command.

use crate::config::Settings;
use crate::factory::{self, Deps};
use crate::live::Live;
use crate::state::AppState;
use actix_web::web;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use wagate_oidc::shared_keys::{self, Kek, SharedKeys};
use wagate_oidc::{KeyError, KeySet, Lifetimes, SigningKey};
use wagate_storage::{Secret, Store};

pub const KEY_RELOAD_INTERVAL: Duration = Duration::from_secs(5);

/// How often an instance without signing keys (storage was down at start) tries again.
pub const KEY_RETRY_INTERVAL: Duration = Duration::from_secs(1);

/// How long a key that stops signing stays published: past the longest-lived token it signed,
/// plus one reload for every instance to notice.
fn key_retirement(lifetimes: &Lifetimes) -> Duration {
    lifetimes.id_token.max(lifetimes.access_token) + KEY_RELOAD_INTERVAL
}

/// Loads the shared signing keys again (writing back the ones this instance holds, or making
/// new ones, if storage has none).
pub async fn reload_keys(state: &AppState) {
    let Some(shared) = &state.shared_keys else {
        return;
    };
    match shared.sync(state.store.as_ref(), state.clock.now()).await {
        Ok(keys) => {
            state.provider.set_keys(keys);
            state
                .metrics
                .signing_keys(&state.provider.signing_key_dates(), state.clock.now());
        }
        Err(e) => tracing::warn!(error = %e, "could not reload the shared signing keys"),
    }
}

#[derive(Clone)]
pub struct KeyReloader(web::Data<Live>);

impl KeyReloader {
    pub(crate) fn new(live: web::Data<Live>) -> Self {
        KeyReloader(live)
    }

    pub async fn reload(&self) {
        reload_keys(&self.0.load()).await;
    }
}

/// Reloads keys periodically for as long as the instance lives: every few seconds, or every
/// second while it has none to sign with or has just made new ones (other instances may be
/// writing back older keys it must publish too).
pub(crate) fn spawn_reloads(state: &Arc<AppState>) {
    let weak = Arc::downgrade(state);
    tokio::spawn(async move {
        loop {
            let wait = match weak.upgrade() {
                Some(state) => {
                    let settling = state.shared_keys.as_ref().is_some_and(|s| {
                        s.generated_within(2 * KEY_RELOAD_INTERVAL, state.clock.now())
                    });
                    if state.provider.can_sign() && !settling {
                        KEY_RELOAD_INTERVAL
                    } else {
                        KEY_RETRY_INTERVAL
                    }
                }
                None => break,
            };
            tokio::time::sleep(wait).await;
            let Some(state) = weak.upgrade() else {
                break;
            };
            reload_keys(&state).await;
        }
    });
}

/// The keys to sign with at start, and the shared set to reload from when keys live in storage
/// (a key-encryption key and no configured keys).
pub(crate) async fn keys(
    configured: Vec<SigningKey>,
    kek: Option<&Secret>,
    lifetimes: &Lifetimes,
    store: &Arc<dyn Store>,
    deps: &Deps,
) -> Result<(KeySet, Option<Arc<SharedKeys>>), KeyError> {
    let shared = match (kek, configured.is_empty()) {
        (Some(secret), true) => Some(Arc::new(SharedKeys::new(
            Kek::from_secret(secret.expose())?,
            key_retirement(lifetimes),
        ))),
        _ => None,
    };
    let keys = match &shared {
        None if configured.is_empty() => KeySet::generate()?,
        None => KeySet::new(configured),
        Some(shared) => match shared.sync(store.as_ref(), deps.clock.now()).await {
            Ok(keys) => keys,
            Err(e) => {
                // Storage may be down at start: the instance is not ready, and keeps trying
                // about every second; everything that needs no signature works meanwhile.
                tracing::warn!(error = %e, "shared signing keys not available yet");
                KeySet::default()
            }
        },
    };
    Ok((keys, shared))
}

/// Instances sharing storage must agree on the refresh-token MAC key: derived from the
/// key-encryption key, which they share and which is never in storage.
pub(crate) fn refresh_key(kek: &Secret) -> Secret {
    let derived = Sha256::new()
        .chain_update(b"wagate refresh-token key v1\0")
        .chain_update(kek.expose().as_bytes())
        .finalize();
    Secret::new(hex_lower(&derived))
}

/// `wagate keys rotate`: new signing keys in shared storage. Every instance signs with them
/// after its next reload; the keys they replace stay in the JWKS until every token they signed
/// has expired.
pub async fn rotate_keys(settings: Settings, deps: &Deps) -> Result<Vec<String>, String> {
    let kek = settings
        .key_encryption_key
        .as_ref()
        .ok_or("keys rotate needs signing.key_encryption_key (keys kept in shared storage)")?;
    let kek = Kek::from_secret(kek.expose()).map_err(|e| e.to_string())?;
    let store = factory::shared_store(settings.storage, "keys rotate")?;
    let retire_after = key_retirement(&settings.lifetimes);
    shared_keys::rotate(
        store.as_ref(),
        &kek,
        deps.clock.now(),
        2 * KEY_RELOAD_INTERVAL,
        retire_after,
    )
    .await
    .map_err(|e| e.to_string())
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
