//! Verifying the upstream's ID token before anything in it is trusted: RS256 signature against
//! the pool's JWKS (cached, refetched on an unknown `kid`), `iss`, `aud`, `token_use`, `exp`,
//! and the phone number the person typed.

use crate::errors::UpstreamError;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Clock skew accepted on `exp`, in seconds.
const LEEWAY: u64 = 60;
/// An unknown `kid` refetches the JWKS at most this often, so forged tokens cannot turn the
/// verifier into a request amplifier against the upstream.
const REFETCH_AFTER: u64 = 30;
/// After a failed fetch, logins wait this long before the next try rather than each adding
/// load to an upstream that is already failing.
const RETRY_FAILED_AFTER: u64 = 5;

/// Who the upstream says signed in, after every check passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedIdentity {
    pub upstream_sub: String,
    pub upstream_username: Option<String>,
    pub phone_number: String,
}

#[derive(Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    token_use: String,
    exp: u64,
    sub: String,
    #[serde(default)]
    phone_number: Option<String>,
    /// Cognito lets users edit attributes by default; only a verified number counts.
    #[serde(default)]
    phone_number_verified: Option<bool>,
    #[serde(rename = "cognito:username", default)]
    username: Option<String>,
}

#[derive(Default)]
struct Cache {
    keys: Option<Arc<JwkSet>>,
    fetched_at: Option<u64>,
    failed_at: Option<u64>,
}

pub struct IdTokenVerifier {
    http: reqwest::Client,
    jwks_uri: String,
    issuer: String,
    client_id: String,
    cache: Mutex<Cache>,
    /// One fetch at a time: concurrent logins with a new `kid` wait for it and share it.
    fetching: tokio::sync::Mutex<()>,
}

impl IdTokenVerifier {
    pub fn new(
        issuer: String,
        jwks_uri: String,
        client_id: String,
        timeout: Duration,
    ) -> Result<IdTokenVerifier, UpstreamError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| UpstreamError::Misconfigured(format!("http client: {e}")))?;
        Ok(IdTokenVerifier {
            http,
            jwks_uri,
            issuer,
            client_id,
            cache: Mutex::default(),
            fetching: tokio::sync::Mutex::new(()),
        })
    }

    /// `now` is Unix seconds from the caller's clock.
    pub async fn verify(
        &self,
        token: &str,
        expected_phone: &str,
        now: u64,
    ) -> Result<VerifiedIdentity, UpstreamError> {
        let untrusted = |why: &str| UpstreamError::UntrustedToken(why.to_owned());
        let header = jsonwebtoken::decode_header(token).map_err(|_| untrusted("malformed"))?;
        if header.alg != Algorithm::RS256 {
            return Err(untrusted("not RS256"));
        }
        let kid = header.kid.ok_or_else(|| untrusted("no kid"))?;
        let key = self.key_for(&kid, now).await?;

        let mut validation = Validation::new(Algorithm::RS256);
        // Claims are checked below with the injected clock and exact comparisons.
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        validation.validate_aud = false;
        let claims = jsonwebtoken::decode::<Claims>(token, &key, &validation)
            .map_err(|_| untrusted("bad signature or claims"))?
            .claims;
        if claims.iss != self.issuer {
            return Err(untrusted("wrong iss"));
        }
        if claims.aud != self.client_id {
            return Err(untrusted("wrong aud"));
        }
        if claims.token_use != "id" {
            return Err(untrusted("token_use is not id"));
        }
        if claims.exp.saturating_add(LEEWAY) <= now {
            return Err(untrusted("expired"));
        }
        if claims.phone_number_verified != Some(true) {
            return Err(untrusted("phone_number_verified is not true"));
        }
        match claims.phone_number {
            Some(phone) if phone == expected_phone => Ok(VerifiedIdentity {
                upstream_sub: claims.sub,
                upstream_username: claims.username,
                phone_number: phone,
            }),
            Some(_) => Err(untrusted("phone_number differs from the number entered")),
            None => Err(untrusted("no phone_number claim")),
        }
    }

    fn cached(&self, kid: &str) -> Option<Result<DecodingKey, UpstreamError>> {
        let keys = self.lock().keys.clone();
        keys.as_deref().and_then(|set| decoding_key(set, kid))
    }

    async fn key_for(&self, kid: &str, now: u64) -> Result<DecodingKey, UpstreamError> {
        if let Some(key) = self.cached(kid) {
            return key;
        }
        let _one = self.fetching.lock().await;
        // Whoever held the lock before may have fetched the key this login needs.
        if let Some(key) = self.cached(kid) {
            return key;
        }
        let (fetched_at, failed_at) = {
            let cache = self.lock();
            (cache.fetched_at, cache.failed_at)
        };
        if failed_at.is_some_and(|at| now.saturating_sub(at) < RETRY_FAILED_AFTER) {
            return Err(UpstreamError::Unavailable {
                detail: format!("JWKS {}: failed moments ago", self.jwks_uri),
                unseen: false,
            });
        }
        if fetched_at.is_some_and(|at| now.saturating_sub(at) < REFETCH_AFTER) {
            return Err(UpstreamError::UntrustedToken("unknown kid".into()));
        }
        let fresh = match self.fetch().await {
            Ok(set) => Arc::new(set),
            Err(e) => {
                self.lock().failed_at = Some(now);
                return Err(e);
            }
        };
        {
            let mut cache = self.lock();
            cache.keys = Some(fresh.clone());
            cache.fetched_at = Some(now);
            cache.failed_at = None;
        }
        decoding_key(&fresh, kid)
            .unwrap_or_else(|| Err(UpstreamError::UntrustedToken("unknown kid".into())))
    }

    async fn fetch(&self) -> Result<JwkSet, UpstreamError> {
        let unavailable = |detail: String| UpstreamError::Unavailable {
            detail,
            unseen: false,
        };
        let response = wagate_telemetry::send("cripsa", self.http.get(&self.jwks_uri))
            .await
            .map_err(|e| unavailable(format!("JWKS {}: {e}", self.jwks_uri)))?;
        if !response.status().is_success() {
            return Err(unavailable(format!(
                "JWKS {}: HTTP {}",
                self.jwks_uri,
                response.status()
            )));
        }
        response
            .json::<JwkSet>()
            .await
            .map_err(|e| unavailable(format!("JWKS {}: unreadable: {e}", self.jwks_uri)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        // The cache holds no invariant a panicking holder could break: reuse it.
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn decoding_key(set: &JwkSet, kid: &str) -> Option<Result<DecodingKey, UpstreamError>> {
    set.find(kid).map(|jwk| {
        DecodingKey::from_jwk(jwk).map_err(|_| UpstreamError::UntrustedToken("unusable JWK".into()))
    })
}

#[cfg(test)]
#[path = "id_token_tests.rs"]
mod tests;
