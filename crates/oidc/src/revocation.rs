//! What a token is worth after it was issued: userinfo (OIDC Core §5.3), revocation
//! (RFC 7009) and introspection (RFC 7662).

use crate::claims::{ACCESS_TOKEN_TYP, AccessTokenClaims, SCOPE_OPENID, SCOPE_PHONE};
use crate::error::{BearerError, TokenError};
use crate::params::Params;
use crate::refresh;
use crate::token::{self, ClientCredentials, param};
use crate::{Provider, userinfo};
use futures_util::future::try_join3;
use serde_json::{Map, Value, json};
use std::time::Duration;
use wagate_storage::{Marker, RefreshFamily, StoreError, UnixTime, User};

/// Why a token is not active.
enum Inactive {
    Invalid,
    Storage(StoreError),
}

impl From<StoreError> for Inactive {
    fn from(e: StoreError) -> Self {
        Inactive::Storage(e)
    }
}

fn unavailable(e: StoreError) -> TokenError {
    tracing::error!(error = %e, "storage failed");
    TokenError::TemporarilyUnavailable("storage is unavailable")
}

impl Provider {
    /// One of our access tokens, signature checked; expiry not (revocation needs expired ones).
    fn signed_access_claims(&self, token: &str) -> Option<AccessTokenClaims> {
        let claims: AccessTokenClaims = self.keys().verify(token, ACCESS_TOKEN_TYP).ok()?;
        (claims.iss == self.issuer && claims.aud == self.endpoint("/userinfo")).then_some(claims)
    }

    /// A live access token (ours, unexpired, not revoked by itself or by its grant) and its
    /// person as stored. The three reads go out together: one round trip, not three.
    async fn live_access(
        &self,
        token: &str,
    ) -> Result<(AccessTokenClaims, Option<User>), Inactive> {
        let claims = self.signed_access_claims(token).ok_or(Inactive::Invalid)?;
        if claims.exp <= self.now().secs() {
            return Err(Inactive::Invalid);
        }
        let token_revoked = Marker::RevokedAccessToken(claims.jti.clone());
        let (token_revoked, grant_revoked, user) = try_join3(
            self.store.has_marker(&token_revoked),
            self.grant_revoked(&claims.gid),
            self.store.get_user(&claims.sub),
        )
        .await?;
        if token_revoked || grant_revoked {
            return Err(Inactive::Invalid);
        }
        Ok((claims, user))
    }

    /// A live access token whose person still honours it (not blocked, not erased, no
    /// revocation since the login).
    async fn honoured_access_claims(&self, token: &str) -> Result<AccessTokenClaims, Inactive> {
        match self.live_access(token).await? {
            (claims, Some(user)) if user.honours(UnixTime(claims.auth_time)) => Ok(claims),
            _ => Err(Inactive::Invalid),
        }
    }

    /// A live refresh token whose person still honours it.
    async fn honoured_refresh(&self, token: &str) -> Result<RefreshFamily, Inactive> {
        let family = self.live_refresh(token).await?;
        match self.store.get_user(&family.subject).await? {
            Some(user) if user.honours(family.auth_time) => Ok(family),
            _ => Err(Inactive::Invalid),
        }
    }

    /// The family of a refresh token we issued (any generation), if it still exists.
    async fn refresh_family(
        &self,
        token: &str,
    ) -> Result<Option<(RefreshFamily, u64)>, StoreError> {
        let Some(presented) = refresh::parse(token) else {
            return Ok(None);
        };
        let Some(family) = self.store.get_family(presented.grant_id).await? else {
            return Ok(None);
        };
        Ok(refresh::issued_by(&self.refresh_key, &family, &presented)
            .then_some((family, presented.generation)))
    }

    /// A refresh token that can still be used: the current generation of a live family.
    async fn live_refresh(&self, token: &str) -> Result<RefreshFamily, Inactive> {
        let (family, generation) = self.refresh_family(token).await?.ok_or(Inactive::Invalid)?;
        if generation != family.generation
            || family.grant_expires_at <= self.now()
            || self.grant_revoked(&family.grant_id).await?
        {
            return Err(Inactive::Invalid);
        }
        Ok(family)
    }

    /// Userinfo: claims by scope for the token's subject.
    pub async fn userinfo(
        &self,
        authorization: Option<&str>,
        form: Option<&Params>,
    ) -> Result<Map<String, Value>, BearerError> {
        let token = userinfo::bearer_token(authorization, form)?;
        let (claims, user) = self.live_access(token).await.map_err(|e| match e {
            Inactive::Invalid => {
                BearerError::InvalidToken("the access token is invalid, expired or revoked")
            }
            Inactive::Storage(_) => BearerError::TemporarilyUnavailable("storage is unavailable"),
        })?;
        if !claims.has_scope(SCOPE_OPENID) {
            return Err(BearerError::InsufficientScope(
                "the openid scope is required",
            ));
        }
        let user = user.ok_or(BearerError::InvalidToken("the user no longer exists"))?;
        if !user.honours(UnixTime(claims.auth_time)) {
            return Err(BearerError::InvalidToken(
                "the access token has been revoked",
            ));
        }
        let mut out = Map::new();
        out.insert("sub".into(), json!(user.sub));
        if claims.has_scope(SCOPE_PHONE) {
            out.insert("phone_number".into(), json!(user.phone));
            out.insert("phone_number_verified".into(), json!(user.phone_verified));
        }
        Ok(out)
    }

    /// RFC 7009. Unknown and already revoked tokens are fine; another client's token is not.
    pub async fn revoke(
        &self,
        params: &Params,
        basic: Option<&ClientCredentials>,
    ) -> Result<(), TokenError> {
        let client = token::authenticate(&self.clients, params, basic)?;
        let presented =
            param(params, "token")?.ok_or(TokenError::InvalidRequest("token is required"))?;
        let foreign = TokenError::InvalidGrant("the token was issued to another client");
        if let Some((family, _)) = self.refresh_family(presented).await.map_err(unavailable)? {
            if family.client_id != client.id {
                return Err(foreign);
            }
            // A refresh token stands for its whole grant (RFC 7009 §2.1).
            self.revoke_grant(&family.grant_id)
                .await
                .map_err(unavailable)?;
            return Ok(());
        }
        let access = self
            .signed_access_claims(presented)
            .map(|c| (c.client_id, c.jti, c.exp))
            .or_else(|| {
                self.signed_service_claims(presented)
                    .map(|c| (c.client_id, c.jti, c.exp))
            });
        if let Some((client_id, jti, exp)) = access {
            if client_id != client.id {
                return Err(foreign);
            }
            let left = u64::try_from(exp - self.now().secs()).unwrap_or(0);
            if left > 0 {
                self.store
                    .set_marker(&Marker::RevokedAccessToken(jti), Duration::from_secs(left))
                    .await
                    .map_err(unavailable)?;
            }
        }
        Ok(())
    }

    /// RFC 7662. Only the client a token was issued to learns that it is active.
    pub async fn introspect(
        &self,
        params: &Params,
        basic: Option<&ClientCredentials>,
    ) -> Result<Value, TokenError> {
        let client = token::authenticate(&self.clients, params, basic)?;
        if client.is_public() {
            return Err(TokenError::InvalidClient(
                "introspection needs an authenticated client",
            ));
        }
        let presented =
            param(params, "token")?.ok_or(TokenError::InvalidRequest("token is required"))?;
        let hint = param(params, "token_type_hint")?;
        let inactive = json!({"active": false});
        let as_access = |result: Result<AccessTokenClaims, Inactive>| match result {
            Ok(c) if c.client_id == client.id => Ok(Some(json!({
                "active": true,
                "token_type": "Bearer",
                "scope": c.scope,
                "client_id": c.client_id,
                "sub": c.sub,
                "exp": c.exp,
                "iat": c.iat,
                "iss": c.iss,
                "aud": c.aud,
                "jti": c.jti,
            }))),
            Ok(_) | Err(Inactive::Invalid) => Ok(None),
            Err(Inactive::Storage(e)) => Err(unavailable(e)),
        };
        let as_refresh = |result: Result<RefreshFamily, Inactive>| match result {
            Ok(r) if r.client_id == client.id => Ok(Some(json!({
                "active": true,
                "token_type": "refresh_token",
                "scope": r.scopes.join(" "),
                "client_id": r.client_id,
                "sub": r.subject,
                "exp": r.expires_at.secs(),
                "iat": r.issued_at.secs(),
                "iss": self.issuer,
            }))),
            Ok(_) | Err(Inactive::Invalid) => Ok(None),
            Err(Inactive::Storage(e)) => Err(unavailable(e)),
        };
        // The hint only decides which kind is tried first (RFC 7662 §2.1).
        let found = if hint == Some("refresh_token") {
            match as_refresh(self.honoured_refresh(presented).await)? {
                Some(v) => Some(v),
                None => as_access(self.honoured_access_claims(presented).await)?,
            }
        } else {
            match as_access(self.honoured_access_claims(presented).await)? {
                Some(v) => Some(v),
                None => as_refresh(self.honoured_refresh(presented).await)?,
            }
        };
        Ok(found.unwrap_or(inactive))
    }
}
