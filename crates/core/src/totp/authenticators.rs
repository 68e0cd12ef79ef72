//! The authenticator apps of everyone: enrollment state kept on the person's record, and the
//! check of a code (app or recovery) that login and enrollment share. Every use is written
//! with compare-and-swap, so a code is accepted once however many requests race with it.

use super::{Authenticator, RECOVERY_CODES, RecoveryCode, SealError, TotpKey, TotpSecret};
use crate::{AMR_OTP, AMR_RECOVERY};
use std::sync::Arc;
use std::time::Duration;
use wagate_storage::{
    Clock, PendingTotp, Secret, SecretSource, Store, StoreError, TotpEnrollment, UnixTime, User,
};

use super::authenticator::SECRET_BYTES;

/// How authenticators are offered.
#[derive(Clone, Debug)]
pub struct TotpSettings {
    /// The name apps show next to the code (`issuer` in the `otpauth://` URI).
    pub issuer: String,
    /// How long a started enrollment waits for its confirming code.
    pub enrollment_ttl: Duration,
    /// Removing (or adding) an authenticator needs a login at most this old.
    pub fresh_auth: Duration,
}

impl Default for TotpSettings {
    fn default() -> Self {
        TotpSettings {
            issuer: "wagate".into(),
            enrollment_ttl: Duration::from_secs(600),
            fresh_auth: Duration::from_secs(600),
        }
    }
}

/// What a person proved with a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Factor {
    /// A code from the app (RFC 8176 `otp`).
    App,
    /// A recovery code, now spent.
    Recovery,
}

impl Factor {
    pub fn amr(self) -> &'static str {
        match self {
            Factor::App => AMR_OTP,
            Factor::Recovery => AMR_RECOVERY,
        }
    }
}

/// Why a code could not be checked at all (as opposed to being wrong).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Storage(#[from] StoreError),
    /// The stored secret does not open: the configured key changed, or storage was damaged.
    #[error(transparent)]
    Seal(#[from] SealError),
    #[error("{0}")]
    Authenticator(String),
}

pub struct Authenticators {
    pub(crate) store: Arc<dyn Store>,
    key: TotpKey,
    pub(crate) settings: TotpSettings,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) random: Arc<dyn SecretSource>,
}

/// Compare-and-swap rounds before giving up on a person's record.
const ROUNDS: usize = 4;

impl Authenticators {
    pub fn new(
        store: Arc<dyn Store>,
        key: TotpKey,
        settings: TotpSettings,
        clock: Arc<dyn Clock>,
        random: Arc<dyn SecretSource>,
    ) -> Self {
        Authenticators {
            store,
            key,
            settings,
            clock,
            random,
        }
    }

    pub fn settings(&self) -> &TotpSettings {
        &self.settings
    }

    pub(crate) fn new_secret(&self) -> TotpSecret {
        let mut bytes = vec![0u8; SECRET_BYTES];
        self.random.fill(&mut bytes);
        TotpSecret::from_bytes(bytes)
    }

    pub(crate) fn seal(&self, sub: &str, secret: &TotpSecret) -> Result<Secret, SealError> {
        self.key.seal(sub, secret, self.random.as_ref())
    }

    pub(crate) fn authenticator(
        &self,
        user: &User,
        sealed: &Secret,
    ) -> Result<Authenticator, CheckError> {
        let secret = self.key.open(&user.sub, sealed)?;
        Authenticator::new(&secret, &self.settings.issuer, &user.phone)
            .map_err(|e| CheckError::Authenticator(e.to_string()))
    }

    /// Fresh recovery codes: the texts to show once, and their digests to keep.
    pub(crate) fn recovery_codes(&self, sub: &str) -> (Vec<Secret>, Vec<String>) {
        (0..RECOVERY_CODES)
            .filter_map(|_| {
                let shown = RecoveryCode::generate(self.random.as_ref());
                let digest = RecoveryCode::parse(shown.expose())?.digest(sub);
                Some((shown, digest))
            })
            .unzip()
    }

    /// Checks `input` against the person's active authenticator: a code of the current step or
    /// one either side that is newer than the last one used, or an unused recovery code. The
    /// use is recorded before this answers. `None`: wrong, replayed, or no authenticator.
    /// `user` is the record as just read; it is read again only if another request changed it.
    pub async fn verify(&self, user: &User, input: &str) -> Result<Option<Factor>, CheckError> {
        let compact = super::compact(input);
        let input = compact.as_str();
        let mut user = user.clone();
        for _ in 0..ROUNDS {
            let Some((factor, updated)) = self.spend(&user, input)? else {
                return Ok(None);
            };
            if self.store.update_user(&updated).await? {
                return Ok(Some(factor));
            }
            // Someone else used a code meanwhile: look again (a replay now fails).
            match self.store.get_user(&user.sub).await? {
                Some(current) => user = current,
                None => return Ok(None),
            }
        }
        Err(CheckError::Storage(StoreError::Unavailable(
            "the person's record keeps changing".into(),
        )))
    }

    /// The record after using `input`, if it is a valid unused code.
    fn spend(&self, user: &User, input: &str) -> Result<Option<(Factor, User)>, CheckError> {
        let Some(active) = &user.totp else {
            return Ok(None);
        };
        let mut next = user.revised();
        if let Some(code) = RecoveryCode::parse(input) {
            let digest = code.digest(&user.sub);
            let mut left = active.recovery_codes.clone();
            let before = left.len();
            left.retain(|d| !Secret::new(d.as_str()).ct_eq(&digest));
            if left.len() == before {
                return Ok(None);
            }
            next.totp = Some(TotpEnrollment {
                recovery_codes: left,
                ..active.clone()
            });
            return Ok(Some((Factor::Recovery, next)));
        }
        let app = self.authenticator(user, &active.sealed_secret)?;
        match app.check_after(input, self.now_secs(), Some(active.last_step)) {
            Some(step) => {
                next.totp = Some(TotpEnrollment {
                    last_step: step,
                    ..active.clone()
                });
                Ok(Some((Factor::App, next)))
            }
            _ => Ok(None),
        }
    }

    pub(crate) fn now(&self) -> UnixTime {
        self.clock.now()
    }

    fn now_secs(&self) -> u64 {
        u64::try_from(self.clock.now().secs()).unwrap_or(0)
    }

    /// The step of `code` for a pending (not yet active) secret.
    pub(crate) fn check_pending(
        &self,
        user: &User,
        pending: &PendingTotp,
        code: &str,
    ) -> Result<Option<u64>, CheckError> {
        let app = self.authenticator(user, &pending.sealed_secret)?;
        Ok(app.check(code, self.now_secs()))
    }
}
