//! The signed-in person's own account: adding, confirming and removing an authenticator app.
//! Who is signed in is the caller's business (the server reads the session); this decides what
//! that person may do.

use crate::events::{Actor, EventType, Events, SecurityEvent};
use crate::totp::{Authenticators, CheckError, SealError};
use crate::{AMR_OTP, AMR_RECOVERY};
use std::sync::Arc;
use thiserror::Error;
use wagate_storage::{PendingTotp, Secret, StoreError, TotpEnrollment, UnixTime, User};

/// The person behind a live session.
#[derive(Clone, Copy, Debug)]
pub struct SignedIn<'a> {
    pub sub: &'a str,
    pub sid: &'a str,
    pub auth_time: UnixTime,
    /// The methods the session's login used (RFC 8176).
    pub amr: &'a [String],
}

/// What the account page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotpStatus {
    /// The person's number (E.164).
    pub phone: String,
    pub active: bool,
    pub confirmed_at: Option<UnixTime>,
    pub recovery_codes_left: usize,
    /// The login is recent enough to add an authenticator.
    pub fresh: bool,
    /// The login is recent and used the authenticator (or a recovery code): it may remove it.
    pub removable: bool,
}

/// A secret to put into an app: shown now, never again once confirmed.
#[derive(Debug)]
pub struct NewAuthenticator {
    pub secret: Secret,
    pub otpauth_uri: Secret,
    /// `data:image/png;base64,...`
    pub qr: Secret,
    pub expires_in: std::time::Duration,
}

#[derive(Debug, Error)]
pub enum AccountError {
    /// The session's person no longer exists.
    #[error("unknown person")]
    UnknownPerson,
    /// Adding or removing needs a recent login.
    #[error("a recent login is needed")]
    StaleAuthentication,
    /// Removing an authenticator needs a recent login that used it (or a recovery code): the
    /// WhatsApp code alone must not be able to replace the second factor.
    #[error("a recent login with the authenticator is needed")]
    AuthenticatorLoginNeeded,
    #[error("an authenticator is already active")]
    AlreadyActive,
    #[error("no authenticator is active")]
    NotActive,
    /// Confirmation without a started (or with an expired) enrollment, or from another session.
    #[error("no enrollment to confirm")]
    NoEnrollment,
    #[error("malformed code")]
    MalformedCode,
    #[error("wrong code")]
    WrongCode,
    /// Another request changed the person meanwhile.
    #[error("concurrent update")]
    Conflict,
    #[error(transparent)]
    Storage(#[from] StoreError),
    /// The configured key cannot open or seal secrets.
    #[error("authenticator secrets unusable: {0}")]
    Misconfigured(String),
}

impl From<CheckError> for AccountError {
    fn from(e: CheckError) -> Self {
        match e {
            CheckError::Storage(e) => AccountError::Storage(e),
            CheckError::Seal(e) => AccountError::Misconfigured(e.to_string()),
            CheckError::Authenticator(e) => AccountError::Misconfigured(e),
        }
    }
}

impl From<SealError> for AccountError {
    fn from(e: SealError) -> Self {
        AccountError::Misconfigured(e.to_string())
    }
}

fn shown(
    app: &crate::totp::Authenticator,
    expires_in: std::time::Duration,
) -> Result<NewAuthenticator, AccountError> {
    let bad = |e: crate::totp::TotpError| AccountError::Misconfigured(e.to_string());
    Ok(NewAuthenticator {
        secret: Secret::new(app.secret_base32()),
        otpauth_uri: Secret::new(app.otpauth_uri().map_err(bad)?),
        qr: Secret::new(app.qr_data_uri().map_err(bad)?),
        expires_in,
    })
}

pub struct AccountService {
    authenticators: Arc<Authenticators>,
    events: Option<Arc<Events>>,
}

impl AccountService {
    pub fn new(authenticators: Arc<Authenticators>) -> Self {
        AccountService {
            authenticators,
            events: None,
        }
    }

    pub fn with_events(mut self, events: Arc<Events>) -> Self {
        self.events = Some(events);
        self
    }

    async fn report(&self, kind: EventType, sub: &str) {
        if let Some(events) = &self.events {
            events
                .emit(SecurityEvent::new(kind).subject(sub).actor(&Actor::Person))
                .await;
        }
    }

    fn fresh(&self, who: &SignedIn<'_>) -> bool {
        let age = who.auth_time.until(self.authenticators.now());
        age <= self.authenticators.settings.fresh_auth
    }

    fn used_authenticator(who: &SignedIn<'_>) -> bool {
        who.amr.iter().any(|m| m == AMR_OTP || m == AMR_RECOVERY)
    }

    async fn person(&self, sub: &str) -> Result<User, AccountError> {
        self.authenticators
            .store
            .get_user(sub)
            .await?
            .ok_or(AccountError::UnknownPerson)
    }

    async fn write(&self, user: &User) -> Result<(), AccountError> {
        if self.authenticators.store.update_user(user).await? {
            Ok(())
        } else {
            Err(AccountError::Conflict)
        }
    }

    /// The person, if this session may add an authenticator: a recent login, and none yet.
    async fn may_enroll(&self, who: &SignedIn<'_>) -> Result<User, AccountError> {
        if !self.fresh(who) {
            return Err(AccountError::StaleAuthentication);
        }
        let user = self.person(who.sub).await?;
        if user.totp.is_some() {
            return Err(AccountError::AlreadyActive);
        }
        Ok(user)
    }

    pub async fn status(&self, who: &SignedIn<'_>) -> Result<TotpStatus, AccountError> {
        let user = self.person(who.sub).await?;
        Ok(TotpStatus {
            phone: user.phone.clone(),
            active: user.totp.is_some(),
            confirmed_at: user.totp.as_ref().map(|t| t.confirmed_at),
            recovery_codes_left: user.totp.as_ref().map_or(0, |t| t.recovery_codes.len()),
            fresh: self.fresh(who),
            removable: self.fresh(who) && Self::used_authenticator(who),
        })
    }

    /// Starts (or restarts) an enrollment: a new secret, kept sealed until confirmed. A stolen
    /// session must not be able to plant its own authenticator, so this needs a recent login.
    pub async fn begin(&self, who: &SignedIn<'_>) -> Result<NewAuthenticator, AccountError> {
        let user = self.may_enroll(who).await?;
        let a = &self.authenticators;
        let secret = a.new_secret();
        let ttl = a.settings.enrollment_ttl;
        let mut next = user.revised();
        next.totp_pending = Some(PendingTotp {
            sealed_secret: a.seal(&user.sub, &secret)?,
            sid: who.sid.to_owned(),
            expires_at: a.now().plus(ttl),
        });
        let app = crate::totp::Authenticator::new(&secret, &a.settings.issuer, &user.phone)
            .map_err(|e| AccountError::Misconfigured(e.to_string()))?;
        let shown = shown(&app, ttl)?;
        self.write(&next).await?;
        Ok(shown)
    }

    /// The enrollment this session started and has not confirmed yet, to show again (for
    /// example after a mistyped code). Never an active authenticator's secret.
    pub async fn pending(
        &self,
        who: &SignedIn<'_>,
    ) -> Result<Option<NewAuthenticator>, AccountError> {
        // A session that could not start the set-up may not read it either.
        if !self.fresh(who) {
            return Ok(None);
        }
        let user = self.person(who.sub).await?;
        let a = &self.authenticators;
        let now = a.now();
        match &user.totp_pending {
            Some(p) if user.totp.is_none() && p.sid == who.sid && now < p.expires_at => {
                let app = a.authenticator(&user, &p.sealed_secret)?;
                Ok(Some(shown(&app, now.until(p.expires_at))?))
            }
            _ => Ok(None),
        }
    }

    /// Activates the started enrollment when `code` comes from the new app; returns the
    /// recovery codes, shown this once.
    pub async fn confirm(
        &self,
        who: &SignedIn<'_>,
        code: &str,
    ) -> Result<Vec<Secret>, AccountError> {
        let code = crate::totp::compact(code);
        if !crate::totp::is_app_code(&code) {
            return Err(AccountError::MalformedCode);
        }
        let user = self.may_enroll(who).await?;
        let a = &self.authenticators;
        let pending = match &user.totp_pending {
            Some(p) if p.sid == who.sid && a.now() < p.expires_at => p.clone(),
            _ => return Err(AccountError::NoEnrollment),
        };
        let Some(step) = a.check_pending(&user, &pending, &code)? else {
            return Err(AccountError::WrongCode);
        };
        let (shown, digests) = a.recovery_codes(&user.sub);
        let mut next = user.revised();
        next.totp_pending = None;
        next.totp = Some(TotpEnrollment {
            sealed_secret: pending.sealed_secret,
            confirmed_at: a.now(),
            // The confirming code is used: it cannot also sign in.
            last_step: step,
            recovery_codes: digests,
        });
        self.write(&next).await?;
        tracing::info!(sub = %user.sub, "authenticator added");
        self.report(EventType::AuthenticatorAdded, &user.sub).await;
        Ok(shown)
    }

    /// Removes the active authenticator (and its recovery codes); needs a recent login with it.
    pub async fn remove(&self, who: &SignedIn<'_>) -> Result<(), AccountError> {
        let user = self.person(who.sub).await?;
        if user.totp.is_none() {
            return Err(AccountError::NotActive);
        }
        if !self.fresh(who) || !Self::used_authenticator(who) {
            return Err(AccountError::AuthenticatorLoginNeeded);
        }
        let mut next = user.revised();
        next.totp = None;
        next.totp_pending = None;
        self.write(&next).await?;
        tracing::info!(sub = %user.sub, "authenticator removed");
        self.report(EventType::AuthenticatorRemoved, &user.sub)
            .await;
        Ok(())
    }

    /// An operator's removal, for a person who lost the app and every recovery code (after
    /// checking who they are, outside wagate). False when the number has no authenticator.
    pub async fn remove_for_number(&self, phone: &str) -> Result<bool, AccountError> {
        let store = &self.authenticators.store;
        for _ in 0..4 {
            let Some(user) = store.find_user_by_phone(phone).await? else {
                return Ok(false);
            };
            if user.totp.is_none() && user.totp_pending.is_none() {
                return Ok(false);
            }
            let mut next = user.revised();
            next.totp = None;
            next.totp_pending = None;
            if store.update_user(&next).await? {
                tracing::warn!(sub = %user.sub, "authenticator removed by an operator");
                return Ok(true);
            }
        }
        Err(AccountError::Conflict)
    }
}
