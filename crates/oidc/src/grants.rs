//! The token endpoint's grants (RFC 6749 §4.1.3, §6; OIDC Core §3.1.3, §12): the code
//! redemption with replay revocation, and refresh-token rotation with reuse detection.

use crate::claims::{
    ACCESS_TOKEN_TYP, AccessTokenClaims, ID_TOKEN_TYP, IdTokenClaims, SCOPE_OFFLINE_ACCESS,
    SCOPE_PHONE, at_hash,
};
use crate::error::TokenError;
use crate::params::Params;
use crate::provider::digest_key;
use crate::refresh;
use crate::token::{self, ClientCredentials, TokenResponse, param};
use crate::{Client, KeyError, Provider, SigningAlg, pkce};
use wagate_storage::{Redemption, RefreshFamily, StoreError, UnixTime};

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
        match token::grant_type(params)? {
            "authorization_code" => self.code_grant(client, params).await,
            "refresh_token" if client.refresh_allowed => self.refresh_grant(client, params).await,
            "refresh_token" => Err(TokenError::UnauthorizedClient(
                "this client may not use the refresh_token grant",
            )),
            _ => Err(TokenError::UnsupportedGrantType(
                "only authorization_code and refresh_token are supported",
            )),
        }
    }

    async fn code_grant(
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
        let refresh =
            if code.scopes.iter().any(|s| s == SCOPE_OFFLINE_ACCESS) && client.refresh_allowed {
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

    /// The family of `grant` at `generation`; generation 0 gets a new secret.
    fn family(
        &self,
        client: &Client,
        grant: &Grant,
        scopes: &[String],
        generation: u64,
        now: UnixTime,
    ) -> RefreshFamily {
        RefreshFamily {
            grant_id: grant.id.clone(),
            salt: self.random_token(16),
            generation,
            client_id: client.id.clone(),
            subject: grant.subject.clone(),
            scopes: scopes.to_vec(),
            sid: grant.sid.clone(),
            auth_time: grant.auth_time,
            amr: grant.amr.clone(),
            acr: grant.acr.clone(),
            issued_at: now,
            expires_at: now
                .plus(self.lifetimes.refresh_token_idle)
                .min(grant.grant_expires_at),
            grant_expires_at: grant.grant_expires_at,
        }
    }

    async fn refresh_grant(
        &self,
        client: &Client,
        params: &Params,
    ) -> Result<TokenResponse, TokenError> {
        let presented = param(params, "refresh_token")?
            .ok_or(TokenError::InvalidRequest("refresh_token is required"))?;
        let invalid = TokenError::InvalidGrant("the refresh token is invalid, expired or revoked");
        let presented = refresh::parse(presented).ok_or(invalid.clone())?;
        let family = self
            .store
            .get_family(presented.grant_id)
            .await
            .map_err(unavailable)?
            .ok_or(invalid.clone())?;
        // A forgery (bad MAC) or another client's token: refuse without touching the grant.
        if !refresh::issued_by(&self.refresh_key, &family, &presented)
            || family.client_id != client.id
        {
            return Err(invalid);
        }
        let now = self.now();
        if family.grant_expires_at <= now
            || self
                .grant_revoked(&family.grant_id)
                .await
                .map_err(unavailable)?
        {
            return Err(invalid);
        }
        // RFC 6749 §6: the scope may only narrow; the refresh token keeps the original grant.
        let scopes: Vec<String> = match param(params, "scope")? {
            None => family.scopes.clone(),
            Some(requested) => {
                let requested: Vec<String> = requested
                    .split(' ')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                if requested.iter().any(|s| !family.scopes.contains(s)) {
                    return Err(TokenError::InvalidScope(
                        "a refresh can only narrow the granted scope",
                    ));
                }
                requested
            }
        };
        let reused =
            TokenError::InvalidGrant("the refresh token was already used; its grant is revoked");
        // RFC 9700 §4.14.2: an older generation presented again means it leaked; end the grant.
        if presented.generation < family.generation {
            tracing::warn!(client = %client.id, "refresh token reused: revoking its grant");
            self.revoke_grant(&family.grant_id)
                .await
                .map_err(unavailable)?;
            return Err(reused);
        }
        let context = Grant {
            id: family.grant_id.clone(),
            subject: family.subject.clone(),
            sid: family.sid.clone(),
            auth_time: family.auth_time,
            amr: family.amr.clone(),
            acr: family.acr.clone(),
            grant_expires_at: family.grant_expires_at,
        };
        let next = RefreshFamily {
            salt: family.salt.clone(),
            ..self.family(
                client,
                &context,
                &family.scopes,
                family.generation.wrapping_add(1),
                now,
            )
        };
        // Of two parallel refreshes with one token exactly one advances; the other is a reuse.
        if !self
            .store
            .advance_family(&next, now.until(next.expires_at))
            .await
            .map_err(unavailable)?
        {
            tracing::warn!(client = %client.id, "refresh token raced or reused: revoking its grant");
            self.revoke_grant(&family.grant_id)
                .await
                .map_err(unavailable)?;
            return Err(reused);
        }
        self.mint(
            client,
            &context,
            &scopes,
            None,
            Some(refresh::token(&self.refresh_key, &next)),
        )
        .await
    }

    /// Signs the access token and the ID token of a grant.
    async fn mint(
        &self,
        client: &Client,
        grant: &Grant,
        scopes: &[String],
        nonce: Option<String>,
        refresh_token: Option<String>,
    ) -> Result<TokenResponse, TokenError> {
        let user = self
            .store
            .get_user(&grant.subject)
            .await
            .map_err(unavailable)?
            .ok_or(TokenError::InvalidGrant("the user no longer exists"))?;
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
            .signer(SigningAlg::RS256)
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
            id_token,
            refresh_token,
            scope,
        })
    }
}
