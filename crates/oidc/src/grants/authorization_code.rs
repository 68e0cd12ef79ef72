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
        pkce_proof(code.code_challenge.as_deref(), grant.code_verifier)?;
        // The session and the person are read beside the redemption (one round trip); the
        // redemption's verdict comes first.
        let session_open = async {
            match &code.sid {
                Some(sid) => self.session_open(sid).await.map(Some),
                None => Ok(None),
            }
        };
        let (grant_id, session_open, user) = futures_util::future::join3(
            self.redeem(client, &key),
            session_open,
            self.store.get_user(&code.subject),
        )
        .await;
        let grant_id = grant_id?;
        // A logout between the code and its redemption means: no tokens for this session.
        if session_open? == Some(false) {
            return Err(TokenError::InvalidGrant(
                "the session of this login has ended",
            ));
        }
        let user = user.map_err(unavailable)?;
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
        self.mint(user, client, &context, &code.scopes, code.nonce, refresh)
    }

    /// Consumes the code for a new grant id; a replay revokes what the first redemption issued.
    async fn redeem(&self, client: &Client, key: &str) -> Result<String, TokenError> {
        let grant_id = self.random_token(16);
        match self
            .store
            .redeem_code(key, &grant_id)
            .await
            .map_err(unavailable)?
        {
            Redemption::First(_) => Ok(grant_id),
            Redemption::Unknown => Err(TokenError::InvalidGrant(
                "the authorization code is invalid or expired",
            )),
            // OIDC Core §3.1.3.2, RFC 6749 §4.1.2: a second use revokes what the first issued.
            Redemption::Replayed { grant_id } => {
                tracing::warn!(client = %client.id, "authorization code replayed: revoking its tokens");
                self.revoke_grant(&grant_id).await.map_err(unavailable)?;
                Err(TokenError::InvalidGrant(
                    "the authorization code was already used; its tokens are revoked",
                ))
            }
        }
    }

    async fn session_open(&self, sid: &str) -> Result<bool, TokenError> {
        let session = self.store.get_session(sid).await.map_err(unavailable)?;
        Ok(session.is_some())
    }
}

/// The PKCE verifier against the code's challenge (RFC 7636 §4.6).
fn pkce_proof(challenge: Option<&str>, verifier: Option<&str>) -> Result<(), TokenError> {
    match (challenge, verifier) {
        (None, None) => Ok(()),
        (Some(challenge), Some(verifier)) => {
            if !pkce::is_valid_verifier(verifier) || !pkce::verifies(challenge, verifier) {
                return Err(TokenError::InvalidGrant("code_verifier does not match"));
            }
            Ok(())
        }
        (Some(_), None) => Err(TokenError::InvalidGrant("code_verifier is required")),
        // RFC 9700 §2.1.1: a verifier without a challenge is a downgrade attempt.
        (None, Some(_)) => Err(TokenError::InvalidGrant(
            "code_verifier sent but no code_challenge was",
        )),
    }
}
