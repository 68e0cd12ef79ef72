//! The local backend: wagate draws the code, keeps only a salted hash, and hands the code to a
//! delivery channel. With a fallback channel, the code is also kept sealed (under a key from
//! the configuration, bound to its flow) so that the same code can go the other way later.

use super::{
    BackendError, ChallengeRequest, Dispatch, FallbackOffer, OtpBackend, OtpCode, Started, Verdict,
};
use crate::SealKey;
use crate::delivery::{
    Channels, DeliveryChannel, DeliveryError, DeliveryObserver, FallbackReason, OtpMessage,
    Unobserved,
};
use crate::i18n::Texts;
use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use subtle::ConstantTimeEq;
use wagate_storage::{OtpChallenge, Secret, SecretSource, random_token};

/// `v1.<salt>.<tag>`: the hash only.
const HASH_ONLY: &str = "v1";
/// `v2.<salt>.<tag>.<sealed code>`: the hash, and the code sealed for the fallback.
const WITH_SEALED: &str = "v2";
/// Keeps the key for fallback codes apart from other keys derived from one secret.
pub const FALLBACK_KEY_LABEL: &[u8] = b"wagate fallback code v1\0";

/// The backend name of codes wagate draws and sends by its own channels.
pub const LOCAL: &str = "local";

pub struct LocalOtpBackend {
    code_length: u8,
    code_ttl: Duration,
    channels: Channels,
    /// Seals codes for the fallback; present when there is one.
    seal: Option<SealKey>,
    random: Arc<dyn SecretSource>,
    observer: Arc<dyn DeliveryObserver>,
    /// The words of the messages that carry codes.
    texts: Arc<Texts>,
}

impl std::fmt::Debug for LocalOtpBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalOtpBackend")
            .field("code_length", &self.code_length)
            .field("channels", &self.channels)
            .finish_non_exhaustive()
    }
}

impl LocalOtpBackend {
    /// With a fallback channel, codes are sealed under a key of this process; instances that
    /// share storage must share the key too ([`with_seal_key`](Self::with_seal_key)).
    pub fn new(
        code_length: u8,
        code_ttl: Duration,
        channels: Channels,
        random: Arc<dyn SecretSource>,
    ) -> Self {
        let seal = channels.fallback.as_ref().and_then(|_| {
            let mut secret = [0u8; 32];
            random.fill(&mut secret);
            SealKey::derive(FALLBACK_KEY_LABEL, &secret)
        });
        LocalOtpBackend {
            code_length,
            code_ttl,
            channels,
            seal,
            random,
            observer: Arc::new(Unobserved),
            texts: Arc::new(Texts::default()),
        }
    }

    /// Words the operator added or changed, and their default language.
    pub fn with_texts(mut self, texts: Arc<Texts>) -> Self {
        self.texts = texts;
        self
    }

    /// Seals fallback codes with `key` (derived from a secret every instance shares).
    pub fn with_seal_key(mut self, key: SealKey) -> Self {
        if self.channels.fallback.is_some() {
            self.seal = Some(key);
        }
        self
    }

    pub fn with_observer(mut self, observer: Arc<dyn DeliveryObserver>) -> Self {
        self.observer = observer;
        self
    }

    /// Uniform decimal digits: bytes of 250 and above are redrawn, so `% 10` has no bias.
    fn draw_code(&self) -> String {
        let mut code = String::with_capacity(usize::from(self.code_length));
        let mut buf = [0u8; 32];
        while code.len() < usize::from(self.code_length) {
            self.random.fill(&mut buf);
            for b in buf.iter().filter(|b| **b < 250) {
                if code.len() == usize::from(self.code_length) {
                    break;
                }
                code.push(char::from(b'0' + b % 10));
            }
        }
        code
    }

    /// The stored state: the salted hash, and the sealed code when there is a fallback.
    fn state(&self, flow_id: &str, code: &str) -> Result<Secret, BackendError> {
        let mut salt = [0u8; 16];
        self.random.fill(&mut salt);
        let hashed = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(salt),
            URL_SAFE_NO_PAD.encode(digest(&salt, code))
        );
        Ok(Secret::new(match &self.seal {
            None => format!("{HASH_ONLY}.{hashed}"),
            Some(key) => {
                let sealed = key
                    .seal(flow_id.as_bytes(), code.as_bytes(), self.random.as_ref())
                    .ok_or_else(|| BackendError::Misconfigured("sealing the code failed".into()))?;
                format!("{WITH_SEALED}.{hashed}.{sealed}")
            }
        }))
    }

    /// The code in `state`, for the fallback.
    fn open_code(&self, flow_id: &str, state: &Secret) -> Result<OtpCode, BackendError> {
        let gone = |why: &str| BackendError::Misconfigured(format!("fallback code: {why}"));
        let key = self.seal.as_ref().ok_or_else(|| gone("no key"))?;
        let parts = Parts::of(state).ok_or_else(|| gone("unreadable state"))?;
        let sealed = parts
            .sealed
            .ok_or_else(|| gone("not kept for a fallback"))?;
        let plain = key.open(flow_id.as_bytes(), sealed).map_err(gone)?;
        let digits = String::from_utf8(plain).map_err(|_| gone("not text"))?;
        Ok(OtpCode::from_generated(digits))
    }

    fn message(
        &self,
        request: &ChallengeRequest<'_>,
        code: OtpCode,
        expires_in: Duration,
    ) -> OtpMessage {
        OtpMessage::new(
            random_token(self.random.as_ref(), 16),
            request.phone.e164().to_owned(),
            code,
            expires_in,
            request.locales.to_vec(),
            &self.texts,
        )
    }

    /// Sends `message` by `channel`, counted in the metrics.
    async fn dispatch(
        &self,
        channel: &dyn DeliveryChannel,
        message: &OtpMessage,
        region: &str,
        fallback: bool,
    ) -> Result<Dispatch, DeliveryError> {
        let result = channel.deliver(message).await;
        let outcome = match &result {
            Ok(_) => "sent",
            Err(e) => e.outcome(),
        };
        self.observer.message(channel.name(), outcome, region);
        let dispatched = result?;
        Ok(Dispatch {
            channel: channel.name(),
            medium: channel.medium(),
            message_id: dispatched.message_id,
            receipts: channel.receipts(),
            fallback,
        })
    }
}

/// A delivery failure, as the login understands it.
fn backend_error(channel: &str, e: DeliveryError) -> BackendError {
    let detail = format!("{channel} delivery: {e}");
    match e {
        DeliveryError::Undeliverable(_) => BackendError::NotDeliverable(detail),
        DeliveryError::Throttled { retry_in, .. } => BackendError::RateLimited { retry_in },
        DeliveryError::Misconfigured(_) => {
            tracing::error!(channel, %detail, "the channel refused wagate's request: check the configuration");
            BackendError::Misconfigured(detail)
        }
        e if e.nothing_sent() => BackendError::Unavailable(detail),
        _ => BackendError::MaybeSent(detail),
    }
}

fn digest(salt: &[u8], code: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(code.as_bytes());
    h.finalize().into()
}

/// The parts of a stored state.
struct Parts<'a> {
    salt: &'a str,
    tag: &'a str,
    sealed: Option<&'a str>,
}

impl<'a> Parts<'a> {
    fn of(state: &'a Secret) -> Option<Parts<'a>> {
        let mut parts = state.expose().split('.');
        let (version, salt, tag, sealed, rest) = (
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next(),
            parts.next(),
        );
        match (version, sealed, rest) {
            (HASH_ONLY, None, None) => Some(Parts {
                salt,
                tag,
                sealed: None,
            }),
            (WITH_SEALED, Some(sealed), None) => Some(Parts {
                salt,
                tag,
                sealed: Some(sealed),
            }),
            _ => None,
        }
    }
}

fn matches(state: &Secret, code: &str) -> Result<bool, BackendError> {
    let corrupt = || BackendError::Misconfigured("unreadable local challenge state".into());
    let parts = Parts::of(state).ok_or_else(corrupt)?;
    let salt = URL_SAFE_NO_PAD.decode(parts.salt).map_err(|_| corrupt())?;
    let tag = URL_SAFE_NO_PAD.decode(parts.tag).map_err(|_| corrupt())?;
    Ok(digest(&salt, code)[..].ct_eq(&tag[..]).into())
}

#[async_trait]
impl OtpBackend for LocalOtpBackend {
    fn name(&self) -> &'static str {
        LOCAL
    }

    async fn start(&self, request: &ChallengeRequest<'_>) -> Result<Started, BackendError> {
        let code = self.draw_code();
        let state = self.state(request.flow_id, &code)?;
        let region = request.phone.region();
        let primary = self.channels.primary.as_ref();
        let first = self.message(
            request,
            OtpCode::from_generated(code.clone()),
            self.code_ttl,
        );
        let dispatch = match (
            self.dispatch(primary, &first, region, false).await,
            &self.channels.fallback,
        ) {
            (Ok(d), _) => d,
            // Never on this channel: the same code goes the other way at once.
            (Err(DeliveryError::Undeliverable(why)), Some(fallback)) => {
                tracing::info!(phone = %request.phone.masked(), %why, "falling back: the number cannot be reached by {}", primary.name());
                let other = self.message(request, OtpCode::from_generated(code), self.code_ttl);
                let channel = fallback.channel.as_ref();
                let sent = self
                    .dispatch(channel, &other, region, true)
                    .await
                    .map_err(|e| backend_error(channel.name(), e))?;
                self.observer.fallback(FallbackReason::Undeliverable);
                sent
            }
            (Err(e), _) => return Err(backend_error(primary.name(), e)),
        };
        Ok(Started {
            state,
            expires_in: self.code_ttl,
            code_length: self.code_length,
            dispatch: Some(dispatch),
        })
    }

    async fn verify(
        &self,
        challenge: &OtpChallenge,
        code: &OtpCode,
    ) -> Result<Verdict, BackendError> {
        if matches(&challenge.backend_state, code.expose())? {
            Ok(Verdict::Accepted)
        } else {
            Ok(Verdict::Rejected {
                replacement_state: None,
            })
        }
    }

    fn fallback(&self) -> Option<FallbackOffer> {
        self.channels.fallback.as_ref().map(|f| FallbackOffer {
            channel: f.channel.name(),
            medium: f.channel.medium(),
            after: f.after,
        })
    }

    async fn send_fallback(
        &self,
        request: &ChallengeRequest<'_>,
        challenge: &OtpChallenge,
        expires_in: Duration,
    ) -> Result<Dispatch, BackendError> {
        let Some(fallback) = &self.channels.fallback else {
            return Err(BackendError::Misconfigured("no fallback channel".into()));
        };
        let code = self.open_code(request.flow_id, &challenge.backend_state)?;
        let message = self.message(request, code, expires_in);
        let channel = fallback.channel.as_ref();
        self.dispatch(channel, &message, request.phone.region(), true)
            .await
            .map_err(|e| backend_error(channel.name(), e))
    }
}

#[cfg(test)]
#[path = "local_tests.rs"]
mod tests;
