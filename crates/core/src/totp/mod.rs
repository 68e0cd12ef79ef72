//! Authenticator apps (RFC 6238 TOTP): the secret and its codes, sealing it at rest, recovery
//! codes, and the checks that login and enrollment share.

mod authenticator;
mod authenticators;
mod recovery;
mod seal;

pub use authenticator::{Authenticator, TotpError, TotpSecret};
pub use authenticators::{Authenticators, CheckError, Factor, TotpSettings};
pub use recovery::{RECOVERY_CODES, RecoveryCode};
pub use seal::{MIN_TOTP_KEY_LEN, SealError, TotpKey};

/// Whether `code` has the shape of an app code (six ASCII digits).
pub fn is_app_code(code: &str) -> bool {
    code.len() == usize::from(authenticator::DIGITS) && code.bytes().all(|b| b.is_ascii_digit())
}

/// A typed code without the spaces people put in it ("123 456").
pub fn compact(input: &str) -> String {
    crate::digits::to_ascii(input)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}
