//! Access tokens of machine clients (the `client_credentials` grant) at the APIs they are
//! for: wagate's admin API. They are our JWTs with the admin audience; user access tokens
//! (audience userinfo) are not accepted there, nor these at userinfo.

use crate::claims::{ACCESS_TOKEN_TYP, ServiceTokenClaims};
use crate::error::BearerError;
use crate::{GrantType, Provider, userinfo};
use wagate_storage::Marker;

/// A machine client calling with a live token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceCaller {
    pub client_id: String,
    pub scopes: Vec<String>,
    /// The token's id: audit records name it.
    pub jti: String,
}

impl ServiceCaller {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

impl Provider {
    /// The audience of service tokens: it names the admin API, not where it listens.
    pub fn admin_audience(&self) -> String {
        self.endpoint("/admin/v1")
    }

    /// One of our service tokens, signature, issuer and audience checked; expiry not.
    pub(crate) fn signed_service_claims(&self, token: &str) -> Option<ServiceTokenClaims> {
        let claims: ServiceTokenClaims = self.keys().verify(token, ACCESS_TOKEN_TYP).ok()?;
        (claims.iss == self.issuer && claims.aud == self.admin_audience()).then_some(claims)
    }

    /// The caller of an admin API request: a live service token (ours, unexpired, not
    /// revoked, its client still registered for the grant) that carries `scope`.
    pub async fn service_caller(
        &self,
        authorization: Option<&str>,
        scope: &str,
    ) -> Result<ServiceCaller, BearerError> {
        let token = userinfo::bearer_token(authorization, None)?;
        let invalid = BearerError::InvalidToken("the access token is invalid, expired or revoked");
        let claims = self.signed_service_claims(token).ok_or(invalid.clone())?;
        let registered = self
            .clients
            .get(&claims.client_id)
            .is_some_and(|c| c.allows(GrantType::ClientCredentials));
        if claims.exp <= self.now().secs() || !registered {
            return Err(invalid);
        }
        let revoked = self
            .store
            .has_marker(&Marker::RevokedAccessToken(claims.jti.clone()))
            .await
            .map_err(|_| BearerError::TemporarilyUnavailable("storage is unavailable"))?;
        if revoked {
            return Err(invalid);
        }
        let caller = ServiceCaller {
            client_id: claims.client_id,
            scopes: claims.scope.split(' ').map(str::to_owned).collect(),
            jti: claims.jti,
        };
        if !caller.has_scope(scope) {
            return Err(BearerError::InsufficientScope(
                "the access token lacks the scope this operation needs",
            ));
        }
        Ok(caller)
    }
}
