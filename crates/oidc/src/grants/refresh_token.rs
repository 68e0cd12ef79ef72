//! The `refresh_token` grant (RFC 6749 §6): one rotation per token, a reused one revoking its
//! whole family (RFC 9700 §4.14.2).

use super::{Grant, unavailable};
use crate::error::TokenError;
use crate::params::Params;
use crate::token::{TokenResponse, param};
use crate::{Client, Provider, refresh};
use wagate_storage::{RefreshFamily, UnixTime};

impl Provider {
    /// The family of `grant` at `generation`; generation 0 gets a new secret.
    pub(super) fn family(
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

    pub(super) async fn refresh_grant(
        &self,
        client: &Client,
        params: &Params,
    ) -> Result<TokenResponse, TokenError> {
        let presented = param(params, "refresh_token")?
            .ok_or(TokenError::InvalidRequest("refresh_token is required"))?;
        let invalid = TokenError::InvalidGrant("the refresh token is invalid, expired or revoked");
        let presented = refresh::parse(presented).ok_or(invalid.clone())?;
        // Both reads go out together (one round trip); the marker counts only for a token
        // that proves to be ours below.
        let (family, revoked) = futures_util::future::try_join(
            self.store.get_family(presented.grant_id),
            self.grant_revoked(presented.grant_id),
        )
        .await
        .map_err(unavailable)?;
        let family = family.ok_or(invalid.clone())?;
        // A forgery (bad MAC) or another client's token: refuse without touching the grant.
        if !refresh::issued_by(&self.refresh_key, &family, &presented)
            || family.client_id != client.id
        {
            return Err(invalid);
        }
        let now = self.now();
        if family.grant_expires_at <= now || revoked {
            return Err(invalid);
        }
        let scopes = narrowed(param(params, "scope")?, &family.scopes)?;
        let reused =
            TokenError::InvalidGrant("the refresh token was already used; its grant is revoked");
        // RFC 9700 §4.14.2: an older generation presented again means it leaked; end the grant.
        if presented.generation < family.generation {
            tracing::warn!(client = %client.id, "refresh token reused: revoking its grant");
            self.revoke_grant(&family.grant_id)
                .await
                .map_err(unavailable)?;
            self.events
                .refresh_reused(&family.subject, &client.id)
                .await;
            return Err(reused);
        }
        let context = Grant::from(&family);
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
        // The person is read beside it (one round trip).
        let (advanced, user) = futures_util::future::join(
            self.store.advance_family(&next, now.until(next.expires_at)),
            self.store.get_user(&family.subject),
        )
        .await;
        if !advanced.map_err(unavailable)? {
            tracing::warn!(client = %client.id, "refresh token raced or reused: revoking its grant");
            self.revoke_grant(&family.grant_id)
                .await
                .map_err(unavailable)?;
            self.events
                .refresh_reused(&family.subject, &client.id)
                .await;
            return Err(reused);
        }
        self.mint(
            user.map_err(unavailable)?,
            client,
            &context,
            &scopes,
            None,
            Some(refresh::token(&self.refresh_key, &next)),
        )
    }
}

impl From<&RefreshFamily> for Grant {
    fn from(family: &RefreshFamily) -> Self {
        Grant {
            id: family.grant_id.clone(),
            subject: family.subject.clone(),
            sid: family.sid.clone(),
            auth_time: family.auth_time,
            amr: family.amr.clone(),
            acr: family.acr.clone(),
            grant_expires_at: family.grant_expires_at,
        }
    }
}

/// RFC 6749 §6: the scope may only narrow; the refresh token keeps the original grant.
fn narrowed(requested: Option<&str>, granted: &[String]) -> Result<Vec<String>, TokenError> {
    let Some(requested) = requested else {
        return Ok(granted.to_vec());
    };
    let requested: Vec<String> = requested
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if requested.iter().any(|s| !granted.contains(s)) {
        return Err(TokenError::InvalidScope(
            "a refresh can only narrow the granted scope",
        ));
    }
    Ok(requested)
}
