//! Cognito's SECRET_HASH: `Base64(HMAC-SHA256(key = client secret, message = username + client id))`.
//!
//! The username must be the one sent in the same call: the phone number on `InitiateAuth`, the
//! internal username Cognito returned (`ChallengeParameters.USERNAME`) on the challenge answer.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use wagate_storage::Secret;

pub fn secret_hash(client_secret: &Secret, username: &str, client_id: &str) -> String {
    // HMAC accepts keys of any length, so construction cannot fail; the fallback is unreachable.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(client_secret.expose().as_bytes()) else {
        return String::new();
    };
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_an_independent_computation() {
        // Reference value from `printf '%s' '+4915112345678abc123' |
        // openssl dgst -sha256 -hmac 's3cr3t' -binary | base64`.
        let hash = secret_hash(&Secret::new("s3cr3t"), "+4915112345678", "abc123");
        assert_eq!(hash, REFERENCE);
    }

    #[test]
    fn depends_on_the_username_sent() {
        let secret = Secret::new("s3cr3t");
        let by_phone = secret_hash(&secret, "+4915112345678", "abc123");
        let by_internal = secret_hash(&secret, "7d0f3c2e-5b1a-4c5e-9f00-0123456789ab", "abc123");
        assert_ne!(by_phone, by_internal);
        assert_eq!(by_internal.len(), 44);
    }

    const REFERENCE: &str = "dW7I5YEE7tKo5VsKd5tlTPWO/QWFxIvt0VzC9dueNgY=";
}
