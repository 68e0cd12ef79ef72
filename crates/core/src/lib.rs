//! wagate-core: the login.
//!
//! A person proves a phone number with a one-time code. This crate parses the number, runs the
//! login state machine ([`machine`], pure), applies the OTP policy (attempts, expiry, resend
//! cooldown, send budgets) and talks to whatever issues and checks codes through the
//! [`OtpBackend`] port. The login service knows nothing of HTTP or of OpenID Connect: it takes
//! a pending authorization in and hands an authenticated person out. The journey
//! ([`Journey`]) joins it to the provider: it decides what each step leads to, and asks the
//! provider for a session and a code when a login is over.

mod account;
mod countries;
pub mod delivery;
mod digits;
mod error;
pub mod events;
pub mod guard;
pub mod i18n;
mod journey;
pub mod machine;
pub mod otp;
mod outbound;
pub mod people;
mod phone;
mod policy;
mod seal;
mod service;
pub mod totp;

pub use account::{AccountError, AccountService, NewAuthenticator, SignedIn, TotpStatus};
pub use countries::CountryChoice;
pub use error::LoginError;
pub use journey::{
    ACCOUNT_CLIENT_ID, Answer, Finished, Journey, Opened, Refused, Reports, Screen, WaysOut,
};
pub use machine::{CodeView, DeliveryView, FallbackView, FlowView};
pub use otp::{
    BackendError, CODE_LENGTHS, ChallengeRequest, Dispatch, FallbackOffer, OtpBackend, OtpCode,
    Started, Verdict,
};
pub use outbound::{OutboundUrlError, is_loopback, outbound_client, outbound_url};
pub use phone::{PhoneError, PhoneNumber, PhonePolicy, international, mask_e164, region_of};
pub use policy::LoginPolicy;
pub use seal::SealKey;
pub use service::{
    Begun, Browser, CodeSent, Csrf, FallbackDue, FlowStart, LoginOutcome, LoginService,
    LoginSuccess, NumberCodeSent, binding_hash,
};

/// RFC 8176-style method reference for "proved possession of the phone by a WhatsApp code".
/// Not a registered value (none fits WhatsApp); documented in docs/security.md.
pub const AMR_WHATSAPP: &str = "whatsapp";
/// RFC 8176: a one-time password from an authenticator app (RFC 6238).
pub const AMR_OTP: &str = "otp";
/// A single-use recovery code standing in for the authenticator (not registered; documented).
pub const AMR_RECOVERY: &str = "recovery";
/// RFC 8176: more than one kind of factor.
pub const AMR_MFA: &str = "mfa";
