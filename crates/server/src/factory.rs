//! Building what the settings name: storage, the channel that delivers codes and the OTP
//! backend. `serve` and the operator commands share it.

use crate::config::{
    CripsaMode, CripsaSettings, Delivery, DeliverySettings, OtpBackendKind, StorageKind,
};
use std::sync::Arc;
use std::time::Duration;
use wagate_core::delivery::{
    Channels, DeliveryChannel, DeliveryObserver, Fallback, LogChannel, WebhookChannel,
    WhatsAppChannel,
};
use wagate_core::i18n::Texts;
use wagate_core::otp::{FALLBACK_KEY_LABEL, LocalOtpBackend};
use wagate_core::{OtpBackend, SealKey};
use wagate_cripsa::{
    BackendOptions, CognitoClient, CripsaBackend, CripsaHttpClient, IdTokenVerifier, Upstream,
};
use wagate_storage::Secret;
use wagate_storage::{Clock, MemoryStore, OsRandom, RedisStore, SecretSource, Store, SystemClock};

/// Time and randomness, injected so tests can fix them.
#[derive(Clone)]
pub struct Deps {
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn SecretSource>,
}

impl Default for Deps {
    fn default() -> Self {
        Deps {
            clock: Arc::new(SystemClock),
            random: Arc::new(OsRandom),
        }
    }
}

pub fn store(kind: StorageKind, deps: &Deps) -> Result<Arc<dyn Store>, String> {
    Ok(match kind {
        StorageKind::Memory => Arc::new(MemoryStore::new(deps.clock.clone())),
        StorageKind::Redis(config) => Arc::new(RedisStore::new(config).map_err(|e| e.to_string())?),
    })
}

/// The instances' shared storage, for a command run beside them: a process of its own cannot
/// reach another's memory storage.
pub fn shared_store(kind: StorageKind, command: &str) -> Result<Arc<dyn Store>, String> {
    match kind {
        StorageKind::Redis(config) => Ok(Arc::new(
            RedisStore::new(config).map_err(|e| e.to_string())?,
        )),
        StorageKind::Memory => Err(format!(
            "{command} needs shared storage ([storage] backend = \"redis\")"
        )),
    }
}

/// How the `local` backend sends codes; `seal_secret`: the secret every instance shares, from
/// which the key that keeps codes for the fallback is derived.
pub struct LocalDelivery<'a> {
    pub delivery: DeliverySettings,
    pub seal_secret: Option<&'a Secret>,
    pub observer: Arc<dyn DeliveryObserver>,
    /// The words of the messages that carry codes.
    pub texts: Arc<Texts>,
}

/// The backend that sends and checks codes; `local` draws them and hands them to its
/// channels. `code`: their length and lifetime.
pub fn otp_backend(
    kind: OtpBackendKind,
    local: LocalDelivery<'_>,
    (code_length, code_ttl): (u8, Duration),
    deps: &Deps,
) -> Result<Arc<dyn OtpBackend>, String> {
    Ok(match kind {
        OtpBackendKind::Local => {
            let LocalDelivery {
                delivery,
                seal_secret,
                observer,
                texts,
            } = local;
            let fallback = match delivery.fallback {
                None => None,
                Some((other, after)) => Some(Fallback {
                    channel: channel(other, deps)?,
                    after,
                }),
            };
            let channels = Channels {
                primary: channel(delivery.channel, deps)?,
                fallback,
            };
            let mut backend =
                LocalOtpBackend::new(code_length, code_ttl, channels, deps.random.clone())
                    .with_observer(observer)
                    .with_texts(texts);
            if let Some(key) =
                seal_secret.and_then(|s| SealKey::derive(FALLBACK_KEY_LABEL, s.expose().as_bytes()))
            {
                backend = backend.with_seal_key(key);
            }
            Arc::new(backend)
        }
        OtpBackendKind::Cripsa(c) => cripsa_backend(*c, code_length, deps)?,
    })
}

fn channel(delivery: Delivery, deps: &Deps) -> Result<Arc<dyn DeliveryChannel>, String> {
    Ok(match delivery {
        Delivery::Log => Arc::new(LogChannel),
        Delivery::Webhook {
            url,
            secret,
            timeout,
            medium,
        } => Arc::new(WebhookChannel::new(
            url,
            secret,
            timeout,
            medium,
            deps.clock.clone(),
        )?),
        Delivery::WhatsApp(settings) => Arc::new(WhatsAppChannel::new(*settings)?),
    })
}

/// Either mode; in both, tokens are checked against the pool's (or the configured) JWKS.
fn cripsa_backend(
    c: CripsaSettings,
    code_length: u8,
    deps: &Deps,
) -> Result<Arc<dyn OtpBackend>, String> {
    let verifier = IdTokenVerifier::new(
        c.pool.issuer(),
        c.pool.jwks_uri(),
        c.client_id.clone(),
        c.timeout,
    )
    .map_err(|e| e.to_string())?;
    let upstream: Arc<dyn Upstream> = match c.mode {
        CripsaMode::Cognito => {
            let secret = c
                .client_secret
                .ok_or("cripsa: cognito mode needs the client secret")?;
            Arc::new(
                CognitoClient::new(c.pool, c.client_id, secret, c.timeout)
                    .map_err(|e| e.to_string())?,
            )
        }
        CripsaMode::Http(h) => Arc::new(
            CripsaHttpClient::new(
                &h.base_url,
                h.shape,
                h.auth,
                c.client_id,
                c.client_secret,
                c.timeout,
            )
            .map_err(|e| e.to_string())?,
        ),
    };
    Ok(Arc::new(CripsaBackend::new(
        upstream,
        verifier,
        deps.clock.clone(),
        deps.random.clone(),
        BackendOptions {
            session_ttl: c.session_ttl,
            code_length,
            attempts: c.attempts,
            sign_up_unknown_numbers: c.sign_up_unknown_numbers,
        },
    )))
}
