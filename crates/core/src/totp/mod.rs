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
