//! The `authorization_code` grant (RFC 6749 §4.1.3, OIDC Core §3.1.3): the code redeemed once,
//! a replay revoking what the first redemption issued.

use super::{Grant, unavailable};
use crate::claims::SCOPE_OFFLINE_ACCESS;
use crate::error::TokenError;
use crate::params::Params;
use crate::provider::digest_key;
use crate::token::{self, TokenResponse};
use crate::{Client, GrantType, Provider, pkce, refresh};
use wagate_storage::Redemption;

impl Provider {
    pub(super) async fn code_grant(
        &self,
        client: &Client,
        params: &Params,
    ) -> Result<TokenResponse, TokenError> {
        let grant = token::code_grant(params)?;
        let key = digest_key(grant.code);
        let invalid = TokenError::InvalidGrant("the authorization code is invalid or expired");
        // Every check comes before the code is consumed: a party that cannot pass them (another
        // client, no PKCE verifier) must not be able to burn the code or revoke its grant.
        let code = self
            .store
            .get_code(&key)
            .await
            .map_err(unavailable)?
            .ok_or(invalid.clone())?;
        let now = self.now();
        if code.client_id != client.id || code.expires_at <= now {
            return Err(invalid);
        }
        if code.redirect_uri != grant.redirect_uri {
            return Err(TokenError::InvalidGrant(
                "redirect_uri differs from the authorization request",
            ));
        }
        match (&code.code_challenge, grant.code_verifier) {
            (None, None) => {}
            (Some(challenge), Some(verifier)) => {
                if !pkce::is_valid_verifier(verifier) || !pkce::verifies(challenge, verifier) {
                    return Err(TokenError::InvalidGrant("code_verifier does not match"));
                }
            }
            (Some(_), None) => {
                return Err(TokenError::InvalidGrant("code_verifier is required"));
            }
            // RFC 9700 §2.1.1: a verifier without a challenge is a downgrade attempt.
            (None, Some(_)) => {
                return Err(TokenError::InvalidGrant(
                    "code_verifier sent but no code_challenge was",
                ));
            }
        }
        let grant_id = self.random_token(16);
        match self
            .store
            .redeem_code(&key, &grant_id)
            .await
            .map_err(unavailable)?
        {
            Redemption::First(_) => {}
            Redemption::Unknown => return Err(invalid),
            // OIDC Core §3.1.3.2, RFC 6749 §4.1.2: a second use revokes what the first issued.
            Redemption::Replayed { grant_id } => {
                tracing::warn!(client = %client.id, "authorization code replayed: revoking its tokens");
                self.revoke_grant(&grant_id).await.map_err(unavailable)?;
                return Err(TokenError::InvalidGrant(
                    "the authorization code was already used; its tokens are revoked",
                ));
            }
        }
        // A logout between the code and its redemption means: no tokens for this session.
        if let Some(sid) = &code.sid
            && self
                .store
                .get_session(sid)
                .await
                .map_err(unavailable)?
                .is_none()
        {
            return Err(TokenError::InvalidGrant(
                "the session of this login has ended",
            ));
        }
        let context = Grant {
            id: grant_id,
            subject: code.subject,
            sid: code.sid,
            auth_time: code.auth_time,
            amr: code.amr,
            acr: code.acr,
            grant_expires_at: now.plus(self.lifetimes.refresh_token_absolute),
        };
        let refresh = if code.scopes.iter().any(|s| s == SCOPE_OFFLINE_ACCESS)
            && client.allows(GrantType::RefreshToken)
        {
            let family = self.family(client, &context, &code.scopes, 0, now);
            self.store
                .insert_family(&family, now.until(family.expires_at))
                .await
                .map_err(unavailable)?;
            Some(refresh::token(&self.refresh_key, &family))
        } else {
            None
        };
        self.mint(client, &context, &code.scopes, code.nonce, refresh)
            .await
    }
}
