//! The token endpoint's grants, one module each behind one dispatcher. A grant type is parsed
//! once into [`GrantType`]; discovery, client permissions, the configuration and the metrics
//! derive from it, so a new grant is a new module and a new arm.

mod authorization_code;
mod client_credentials;
mod mint;
mod refresh_token;

use crate::error::TokenError;
use crate::params::Params;
use crate::token::{self, ClientCredentials, TokenResponse};
use crate::{KeyError, Provider};
use std::str::FromStr;
use wagate_storage::{StoreError, UnixTime};

/// The grants of the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GrantType {
    AuthorizationCode,
    RefreshToken,
    ClientCredentials,
}

impl GrantType {
    pub const ALL: [GrantType; 3] = [
        GrantType::AuthorizationCode,
        GrantType::RefreshToken,
        GrantType::ClientCredentials,
    ];

    /// What a client may use when its configuration names no grant types. A new grant joins
    /// [`GrantType::ALL`] (discovery, parsing) but not this list unless every client should
    /// have it.
    pub const DEFAULT: [GrantType; 2] = [GrantType::AuthorizationCode, GrantType::RefreshToken];

    /// The `grant_type` value (RFC 6749).
    pub fn as_str(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::RefreshToken => "refresh_token",
            GrantType::ClientCredentials => "client_credentials",
        }
    }
}

/// A `grant_type` wagate does not offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownGrantType;

impl FromStr for GrantType {
    type Err = UnknownGrantType;
    fn from_str(s: &str) -> Result<Self, UnknownGrantType> {
        GrantType::ALL
            .into_iter()
            .find(|g| g.as_str() == s)
            .ok_or(UnknownGrantType)
    }
}

/// Everything a grant carries from the login to each token it issues.
struct Grant {
    id: String,
    subject: String,
    sid: Option<String>,
    auth_time: UnixTime,
    amr: Vec<String>,
    acr: Option<String>,
    grant_expires_at: UnixTime,
}

fn unavailable(e: StoreError) -> TokenError {
    tracing::error!(error = %e, "storage failed at the token endpoint");
    TokenError::TemporarilyUnavailable("storage is unavailable")
}

fn signing_failed(e: KeyError) -> TokenError {
    tracing::error!(error = %e, "token signing failed");
    TokenError::TemporarilyUnavailable("tokens cannot be signed right now")
}

impl Provider {
    /// The token endpoint (RFC 6749 §3.2).
    pub async fn token(
        &self,
        params: &Params,
        basic: Option<&ClientCredentials>,
    ) -> Result<TokenResponse, TokenError> {
        let client = token::authenticate(&self.clients, params, basic)?;
        let grant = token::grant_type(params)?
            .parse::<GrantType>()
            .map_err(|_| {
                // Named by discovery's grant_types_supported, so the list is not repeated here.
                TokenError::UnsupportedGrantType(
                    "this grant_type is not supported; see grant_types_supported",
                )
            })?;
        if !client.allows(grant) {
            return Err(TokenError::UnauthorizedClient(
                "this client may not use this grant type",
            ));
        }
        match grant {
            GrantType::AuthorizationCode => self.code_grant(client, params).await,
            GrantType::RefreshToken => self.refresh_grant(client, params).await,
            GrantType::ClientCredentials => self.client_credentials_grant(client, params).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_types_read_back_what_they_write() {
        for g in GrantType::ALL {
            assert_eq!(g.as_str().parse::<GrantType>(), Ok(g));
        }
        assert_eq!("password".parse::<GrantType>(), Err(UnknownGrantType));
        assert_eq!("".parse::<GrantType>(), Err(UnknownGrantType));
    }
}
