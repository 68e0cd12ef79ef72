//! The `client_credentials` grant (RFC 6749 §4.4): a registered machine client gets an access
//! token for the APIs it was allowed, in its own name. No person, no ID token, no refresh
//! token.

use super::signing_failed;
use crate::claims::{ACCESS_TOKEN_TYP, SERVICE_SCOPES, ServiceTokenClaims};
use crate::error::TokenError;
use crate::params::Params;
use crate::token::{TokenResponse, param};
use crate::{Client, Provider};

/// The scopes granted: those asked for (RFC 6749 §3.3), or every scope the client has when it
/// asks for none.
fn granted(client: &Client, asked: Option<&str>) -> Result<Vec<String>, TokenError> {
    let Some(asked) = asked else {
        return Ok(client.scopes.clone());
    };
    let mut scopes = Vec::new();
    for scope in asked.split(' ').filter(|s| !s.is_empty()) {
        if !client.scopes.iter().any(|s| s == scope) {
            return Err(TokenError::InvalidScope(
                "a requested scope is not allowed for this client",
            ));
        }
        if !scopes.iter().any(|s| s == scope) {
            scopes.push(scope.to_owned());
        }
    }
    if scopes.is_empty() {
        return Err(TokenError::InvalidScope("scope names no scope"));
    }
    Ok(scopes)
}

impl Provider {
    pub(super) async fn client_credentials_grant(
        &self,
        client: &Client,
        params: &Params,
    ) -> Result<TokenResponse, TokenError> {
        // A public client proves nothing about who it is.
        if client.is_public() {
            return Err(TokenError::UnauthorizedClient(
                "client_credentials needs a confidential client",
            ));
        }
        let scopes = granted(client, param(params, "scope")?)?;
        debug_assert!(scopes.iter().all(|s| SERVICE_SCOPES.contains(&s.as_str())));
        let now = self.now();
        let lifetime = self.lifetimes.service_token;
        let claims = ServiceTokenClaims {
            iss: self.issuer.clone(),
            sub: client.id.clone(),
            aud: self.admin_audience(),
            client_id: client.id.clone(),
            exp: now.plus(lifetime).secs(),
            iat: now.secs(),
            jti: self.random_token(16),
            scope: scopes.join(" "),
        };
        let access_token = self
            .keys()
            .signer(self.access_token_alg)
            .and_then(|k| k.sign(ACCESS_TOKEN_TYP, &claims))
            .map_err(signing_failed)?;
        tracing::info!(client_id = %client.id, scope = %claims.scope, "service token issued");
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: lifetime.as_secs(),
            id_token: None,
            refresh_token: None,
            scope: claims.scope,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine() -> Client {
        let mut c = Client::new("m", "M", Some(&"s".repeat(32)), vec![]).unwrap();
        c.scopes = vec!["wagate:admin.read".into(), "wagate:admin.write".into()];
        c
    }

    #[test]
    fn scopes_are_those_asked_for_within_what_is_allowed() {
        let c = machine();
        assert_eq!(granted(&c, None).unwrap(), c.scopes);
        assert_eq!(
            granted(&c, Some("wagate:admin.read")).unwrap(),
            vec!["wagate:admin.read"]
        );
        assert_eq!(
            granted(&c, Some("wagate:admin.read  wagate:admin.read")).unwrap(),
            vec!["wagate:admin.read"]
        );
        assert!(matches!(
            granted(&c, Some("wagate:admin.read openid")),
            Err(TokenError::InvalidScope(_))
        ));
        assert!(matches!(
            granted(&c, Some(" ")),
            Err(TokenError::InvalidScope(_))
        ));
    }
}
