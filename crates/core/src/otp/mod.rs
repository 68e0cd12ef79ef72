//! The OTP backend port: whatever sends a code and later checks the answer.
//!
//! The local backend draws and hashes codes itself; a remote upstream (Cripsa/Cognito) sends
//! and checks them and keeps a session of its own. Both fit one shape: `start` returns opaque
//! state that stays on the server, `verify` checks an answer against it and may replace it.

mod local;

pub use local::{FALLBACK_KEY_LABEL, LOCAL, LocalOtpBackend};

use crate::PhoneNumber;
use crate::delivery::Medium;
use async_trait::async_trait;
use std::fmt;
use std::time::Duration;
use thiserror::Error;
use wagate_storage::{OtpChallenge, Secret};

/// How many digits a one-time code has: the one rule for the configuration, for what a person
/// may type, and for what the backends send.
pub const CODE_LENGTHS: std::ops::RangeInclusive<u8> = 6..=10;

/// A code as typed by the person: digits only, already checked for shape.
#[derive(Clone, PartialEq, Eq)]
pub struct OtpCode(Secret);

impl OtpCode {
    /// Accepts [`CODE_LENGTHS`] digits (of any script people type in), ignoring spaces and
    /// dashes people put in.
    pub fn parse(input: &str) -> Option<OtpCode> {
        let digits: String = crate::digits::to_ascii(input)
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        let ok = u8::try_from(digits.len()).is_ok_and(|n| CODE_LENGTHS.contains(&n))
            && digits.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| OtpCode(Secret::new(digits)))
    }

    pub fn from_generated(digits: String) -> OtpCode {
        OtpCode(Secret::new(digits))
    }

    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl fmt::Debug for OtpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OtpCode([redacted])")
    }
}

/// What the login asks a backend to start.
#[derive(Debug)]
pub struct ChallengeRequest<'a> {
    pub flow_id: &'a str,
    pub phone: &'a PhoneNumber,
    /// The person's languages, most wanted first (BCP 47): the message's language.
    pub locales: &'a [String],
}

/// A challenge under way.
#[derive(Debug)]
pub struct Started {
    /// Kept server-side only: a code hash, or an upstream session.
    pub state: Secret,
    pub expires_in: Duration,
    pub code_length: u8,
    /// How the code went out, when the backend sends it itself.
    pub dispatch: Option<Dispatch>,
}

/// How a code went out: by which channel, as which message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispatch {
    pub channel: &'static str,
    pub medium: Medium,
    /// The channel's id of the message.
    pub message_id: String,
    /// The channel will report whether it arrived.
    pub receipts: bool,
    /// It went by the fallback channel (there is no other way left).
    pub fallback: bool,
}

/// The other way a backend can send a code that did not arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FallbackOffer {
    /// The fallback channel's name, and what the person looks at.
    pub channel: &'static str,
    pub medium: Medium,
    /// How long after a send without a delivery report the person may ask for it.
    pub after: Duration,
}

#[derive(Debug)]
pub enum Verdict {
    Accepted,
    /// A wrong answer. An upstream that issues a new session with each retry returns it here.
    Rejected {
        replacement_state: Option<Secret>,
    },
}

/// The few failures the login understands, whatever the backend.
#[derive(Debug, Error)]
pub enum BackendError {
    /// The challenge is gone upstream; the person must ask for a new code.
    #[error("challenge expired upstream")]
    RestartRequired,
    #[error("too many attempts upstream")]
    TooManyAttempts,
    #[error("rate limited upstream; retry in {} s", .retry_in.as_secs())]
    RateLimited { retry_in: Duration },
    /// The number cannot receive the message (not on WhatsApp, blocked, ...).
    #[error("not deliverable: {0}")]
    NotDeliverable(String),
    /// Delivery or upstream failure that may pass; nothing was sent.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The upstream failed after it may already have sent the message (a timeout, a failing
    /// sender behind it): the send still counts against the budgets.
    #[error("unavailable, the message may have gone out: {0}")]
    MaybeSent(String),
    /// A setup problem an operator must fix.
    #[error("misconfigured: {0}")]
    Misconfigured(String),
}

#[async_trait]
pub trait OtpBackend: Send + Sync {
    fn name(&self) -> &'static str;
    async fn start(&self, request: &ChallengeRequest<'_>) -> Result<Started, BackendError>;
    async fn verify(
        &self,
        challenge: &OtpChallenge,
        code: &OtpCode,
    ) -> Result<Verdict, BackendError>;

    /// The other way this backend can send a code, if it has one.
    fn fallback(&self) -> Option<FallbackOffer> {
        None
    }

    /// Sends the code of `challenge` again, by the fallback channel; it lives `expires_in`
    /// more.
    async fn send_fallback(
        &self,
        _request: &ChallengeRequest<'_>,
        _challenge: &OtpChallenge,
        _expires_in: Duration,
    ) -> Result<Dispatch, BackendError> {
        Err(BackendError::Misconfigured(format!(
            "the {} backend has no fallback channel",
            self.name()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_digits_only() {
        assert_eq!(OtpCode::parse("123456").unwrap().expose(), "123456");
        assert_eq!(OtpCode::parse(" 123 456 ").unwrap().expose(), "123456");
        assert_eq!(OtpCode::parse("123-456").unwrap().expose(), "123456");
        assert_eq!(OtpCode::parse("١٢٣ ٤٥٦").unwrap().expose(), "123456");
        assert_eq!(OtpCode::parse("१२३४५६").unwrap().expose(), "123456");
        assert_eq!(OtpCode::parse("１２３４５６").unwrap().expose(), "123456");
        for bad in ["", "12a456", "١٢٣", "123", "12345678901", "12345\u{0}"] {
            assert!(OtpCode::parse(bad).is_none(), "{bad:?}");
        }
        assert!(!format!("{:?}", OtpCode::parse("123456").unwrap()).contains("123456"));
    }
}
