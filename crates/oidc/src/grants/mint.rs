//! What every grant ends with: an access token and an ID token, signed.

use super::{Grant, signing_failed};
use crate::claims::{
    ACCESS_TOKEN_TYP, AccessTokenClaims, ID_TOKEN_TYP, IdTokenClaims, SCOPE_PHONE, at_hash,
};
use crate::error::TokenError;
use crate::token::TokenResponse;
use crate::{Client, Provider};
use wagate_storage::User;

impl Provider {
    /// Signs the access token and the ID token of a grant, for its person as the grant read
    /// them (beside its other reads: one round trip fewer).
    pub(super) fn mint(
        &self,
        user: Option<User>,
        client: &Client,
        grant: &Grant,
        scopes: &[String],
        nonce: Option<String>,
        refresh_token: Option<String>,
    ) -> Result<TokenResponse, TokenError> {
        let user = user.ok_or(TokenError::InvalidGrant("the user no longer exists"))?;
        // A block, or a revocation after this login, voids what the login granted.
        if !user.honours(grant.auth_time) {
            return Err(TokenError::InvalidGrant("the grant has been revoked"));
        }
        let now = self.now();
        let scope = scopes.join(" ");
        let access = AccessTokenClaims {
            iss: self.issuer.clone(),
            sub: user.sub.clone(),
            aud: self.endpoint("/userinfo"),
            client_id: client.id.clone(),
            exp: now.plus(self.lifetimes.access_token).secs(),
            iat: now.secs(),
            jti: self.random_token(16),
            scope: scope.clone(),
            auth_time: grant.auth_time.secs(),
            gid: grant.id.clone(),
        };
        let keys = self.keys();
        let access_token = keys
            .signer(self.access_token_alg)
            .and_then(|k| k.sign(ACCESS_TOKEN_TYP, &access))
            .map_err(signing_failed)?;

        let phone = scopes.iter().any(|s| s == SCOPE_PHONE);
        let id_signer = keys.signer(client.id_token_alg).map_err(signing_failed)?;
        let id = IdTokenClaims {
            iss: self.issuer.clone(),
            sub: user.sub.clone(),
            aud: client.id.clone(),
            azp: client.id.clone(),
            exp: now.plus(self.lifetimes.id_token).secs(),
            iat: now.secs(),
            auth_time: grant.auth_time.secs(),
            nonce,
            amr: grant.amr.clone(),
            acr: grant.acr.clone(),
            at_hash: Some(at_hash(id_signer.alg(), &access_token)),
            phone_number: phone.then(|| user.phone.clone()),
            phone_number_verified: phone.then_some(user.phone_verified),
            sid: grant.sid.clone(),
        };
        let id_token = id_signer.sign(ID_TOKEN_TYP, &id).map_err(signing_failed)?;
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: self.lifetimes.access_token.as_secs(),
            id_token: Some(id_token),
            refresh_token,
            scope,
        })
    }
}
