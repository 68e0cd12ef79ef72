use crate::PhoneError;
use std::time::Duration;
use thiserror::Error;
use wagate_storage::StoreError;

/// Why a login step did not succeed. The server maps every variant to a status, a JSON error
/// code and a sentence for people.
#[derive(Debug, Error)]
pub enum LoginError {
    /// Unknown, expired, finished or killed flow: the person must start again at the portal.
    #[error("login flow expired")]
    FlowExpired,
    #[error("login flow belongs to another browser")]
    WrongBrowser,
    /// A form post without our page's token: possibly a cross-site forgery.
    #[error("missing or wrong CSRF token")]
    CsrfMismatch,
    /// The step does not fit where the flow stands (a code before any was sent).
    #[error("step not allowed now")]
    WrongStep,
    #[error("phone number refused: {0}")]
    InvalidPhone(#[from] PhoneError),
    #[error("malformed code")]
    MalformedCode,
    /// A number other than the one a factor already proved in this flow.
    #[error("not the number already proven")]
    WrongNumber,
    /// The authenticator step without a phone number to sign in as.
    #[error("phone number required")]
    PhoneRequired,
    /// Authenticator sign-in is switched off.
    #[error("authenticator sign-in is disabled")]
    AuthenticatorsDisabled,
    /// The portal needs the authenticator too, and this person has none.
    #[error("an authenticator is required")]
    AuthenticatorRequired,
    /// Too many wrong authenticator codes for one number in an hour, across flows.
    #[error("too many wrong authenticator codes")]
    TooManyWrongCodes,
    #[error("wrong code")]
    /// `authenticator`: it was an authenticator app's code (people are told to look there).
    WrongCode {
        attempts_left: u32,
        authenticator: bool,
    },
    /// The code ran out; a new one can be sent in this flow.
    #[error("code expired")]
    CodeExpired,
    #[error("resend too soon")]
    ResendTooSoon { retry_in: Duration },
    #[error("send limit reached")]
    SendLimitReached,
    /// A rule asks for a proof of work before this send: here is one to solve.
    #[error("a sending challenge must be solved first")]
    ChallengeRequired(Box<crate::guard::Challenge>),
    /// The solution was wrong, expired or used before: here is a new challenge.
    #[error("the sending challenge was not solved")]
    ChallengeFailed(Box<crate::guard::Challenge>),
    /// Too many logins opened from one address in a minute.
    #[error("too many logins from one address")]
    TooManyLogins,
    /// An operator blocked the person. Told only to whoever has just proven the number.
    #[error("the account is blocked")]
    AccountBlocked,
    #[error("number cannot receive codes")]
    NotDeliverable,
    #[error("upstream rate limit")]
    UpstreamRateLimited { retry_in: Duration },
    /// The code cannot go another way: no fallback, it went that way already, or it arrived.
    #[error("no fallback for this code")]
    FallbackUnavailable,
    /// Delivery or the upstream failed in a way that may pass.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The backend is set up wrongly; an operator must act.
    #[error("misconfigured: {0}")]
    Misconfigured(String),
    /// Another request changed the flow between our read and our write.
    #[error("concurrent update")]
    Conflict,
    #[error(transparent)]
    Storage(#[from] StoreError),
}

impl LoginError {
    /// The flow is gone or not this browser's to use: nothing of it can be shown again.
    pub fn ends_flow(&self) -> bool {
        match self {
            LoginError::FlowExpired
            | LoginError::WrongBrowser
            | LoginError::CsrfMismatch
            | LoginError::AccountBlocked
            | LoginError::AuthenticatorRequired => true,
            LoginError::WrongStep
            | LoginError::InvalidPhone(_)
            | LoginError::MalformedCode
            | LoginError::WrongNumber
            | LoginError::PhoneRequired
            | LoginError::AuthenticatorsDisabled
            | LoginError::TooManyWrongCodes
            | LoginError::WrongCode { .. }
            | LoginError::CodeExpired
            | LoginError::ResendTooSoon { .. }
            | LoginError::SendLimitReached
            | LoginError::ChallengeRequired(_)
            | LoginError::ChallengeFailed(_)
            | LoginError::TooManyLogins
            | LoginError::NotDeliverable
            | LoginError::UpstreamRateLimited { .. }
            | LoginError::FallbackUnavailable
            | LoginError::Unavailable(_)
            | LoginError::Misconfigured(_)
            | LoginError::Conflict
            | LoginError::Storage(_) => false,
        }
    }
}
