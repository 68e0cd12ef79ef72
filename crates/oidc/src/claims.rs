//! The claims of the tokens we issue.

use crate::SigningAlg;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256, Sha512};

pub const SCOPE_OPENID: &str = "openid";
pub const SCOPE_PHONE: &str = "phone";
pub const SCOPE_OFFLINE_ACCESS: &str = "offline_access";
pub const SUPPORTED_SCOPES: [&str; 3] = [SCOPE_OPENID, SCOPE_PHONE, SCOPE_OFFLINE_ACCESS];
/// Reading people and what happened to them through the admin API.
pub const SCOPE_ADMIN_READ: &str = "wagate:admin.read";
/// Changing people (block, erase, change a number, end sessions) through the admin API.
pub const SCOPE_ADMIN_WRITE: &str = "wagate:admin.write";
/// The scopes of machine clients (`client_credentials`).
pub const SERVICE_SCOPES: [&str; 2] = [SCOPE_ADMIN_READ, SCOPE_ADMIN_WRITE];

/// `typ` of our JWT access tokens (RFC 9068 §2.1).
pub const ACCESS_TOKEN_TYP: &str = "at+jwt";
pub const ID_TOKEN_TYP: &str = "JWT";
/// `typ` of back-channel logout tokens (OIDC Back-Channel Logout 1.0 §2.4).
pub const LOGOUT_TOKEN_TYP: &str = "logout+jwt";
pub const BACKCHANNEL_LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// Back-channel logout token claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogoutTokenClaims {
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    pub sub: String,
    pub sid: String,
    pub events: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdTokenClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub azp: String,
    pub exp: i64,
    pub iat: i64,
    pub auth_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    pub amr: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// RFC 9068 access token claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessTokenClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub client_id: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub scope: String,
    pub auth_time: i64,
    /// The grant (code redemption and its refreshes) this token belongs to: revoking the grant
    /// revokes the token.
    pub gid: String,
}

/// A machine client's access token (RFC 9068 without a person: `sub` is the client).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceTokenClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub client_id: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub scope: String,
}

impl AccessTokenClaims {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scope.split(' ').any(|s| s == scope)
    }
}

/// OIDC Core §3.1.3.6: the left half of the hash of the token, with the hash of the ID token's
/// algorithm (SHA-512 for Ed25519, per the OpenID errata).
pub fn at_hash(alg: SigningAlg, access_token: &str) -> String {
    let digest: Vec<u8> = match alg {
        SigningAlg::RS256 | SigningAlg::ES256 => Sha256::digest(access_token.as_bytes()).to_vec(),
        SigningAlg::EdDSA => Sha512::digest(access_token.as_bytes()).to_vec(),
    };
    let half = digest.get(..digest.len() / 2).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(half)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_hash_matches_the_spec_example() {
        // OIDC Core, Appendix A.3/A.4 example access token and its at_hash (RS256).
        assert_eq!(
            at_hash(
                SigningAlg::RS256,
                "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
            ),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
        assert_eq!(at_hash(SigningAlg::EdDSA, "x").len(), 43);
    }

    #[test]
    fn scopes_are_space_separated_words() {
        let c = AccessTokenClaims {
            iss: String::new(),
            sub: String::new(),
            aud: String::new(),
            client_id: String::new(),
            exp: 0,
            iat: 0,
            jti: String::new(),
            scope: "openid phone".into(),
            auth_time: 0,
            gid: String::new(),
        };
        assert!(c.has_scope("phone"));
        assert!(!c.has_scope("pho"));
    }
}
