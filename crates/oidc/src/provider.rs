//! The provider: ties clients, keys, storage, clock and randomness to the endpoints' logic.

use crate::authorize::{self, AuthorizeOutcome};
use crate::claims::{
    ACCESS_TOKEN_TYP, AccessTokenClaims, ID_TOKEN_TYP, IdTokenClaims, SCOPE_PHONE,
    SUPPORTED_SCOPES, at_hash,
};
use crate::error::{AuthorizeRedirectError, BearerError, CodeIssueError, TokenError};
use crate::params::Params;
use crate::token::{self, ClientCredentials, TokenResponse};
use crate::{ClientRegistry, KeyError, KeySet, ProviderMetadata, SigningAlg, pkce, userinfo};
use jsonwebtoken::jwk::JwkSet;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use wagate_storage::{
    AuthorizationCode, Clock, PendingAuthorization, SecretSource, Store, UnixTime, random_token,
};

#[derive(Debug, Clone)]
pub struct Lifetimes {
    pub authorization_code: Duration,
    pub access_token: Duration,
    pub id_token: Duration,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Lifetimes {
            authorization_code: Duration::from_secs(60),
            access_token: Duration::from_secs(3600),
            id_token: Duration::from_secs(3600),
        }
    }
}

/// Who logged in, as the login reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthenticatedSubject {
    pub sub: String,
    pub auth_time: UnixTime,
    pub amr: Vec<String>,
    pub acr: Option<String>,
}

pub struct Provider {
    issuer: String,
    clients: ClientRegistry,
    keys: KeySet,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn SecretSource>,
    lifetimes: Lifetimes,
}

/// Codes are stored under their digest, so a storage dump does not hold redeemable codes.
fn code_key(code: &str) -> String {
    base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        Sha256::digest(code.as_bytes()),
    )
}

/// `uri` with `pairs` added to its query.
fn with_query(uri: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let mut out = uri.to_owned();
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if let Some(v) = v {
            ser.append_pair(k, v);
        }
    }
    let query = ser.finish();
    if query.is_empty() {
        return out;
    }
    // Keep any query the registered URI has; drop a fragment (OAuth forbids them there anyway).
    if let Some(hash) = out.find('#') {
        out.truncate(hash);
    }
    out.push(if out.contains('?') { '&' } else { '?' });
    out.push_str(&query);
    out
}

impl Provider {
    pub fn new(
        issuer: &str,
        clients: ClientRegistry,
        keys: KeySet,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        random: Arc<dyn SecretSource>,
        lifetimes: Lifetimes,
    ) -> Self {
        Provider {
            issuer: issuer.trim_end_matches('/').to_owned(),
            clients,
            keys,
            store,
            clock,
            random,
            lifetimes,
        }
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn clients(&self) -> &ClientRegistry {
        &self.clients
    }

    fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.issuer)
    }

    pub fn metadata(&self) -> ProviderMetadata {
        ProviderMetadata {
            issuer: self.issuer.clone(),
            authorization_endpoint: self.endpoint("/authorize"),
            token_endpoint: self.endpoint("/token"),
            userinfo_endpoint: self.endpoint("/userinfo"),
            jwks_uri: self.endpoint("/jwks.json"),
            scopes_supported: SUPPORTED_SCOPES.to_vec(),
            response_types_supported: vec!["code"],
            response_modes_supported: vec!["query"],
            grant_types_supported: vec!["authorization_code"],
            subject_types_supported: vec!["public"],
            id_token_signing_alg_values_supported: self
                .keys
                .algorithms()
                .into_iter()
                .map(SigningAlg::as_str)
                .collect(),
            token_endpoint_auth_methods_supported: vec![
                "client_secret_basic",
                "client_secret_post",
                "none",
            ],
            code_challenge_methods_supported: vec!["S256"],
            claims_supported: vec![
                "iss",
                "sub",
                "aud",
                "azp",
                "exp",
                "iat",
                "auth_time",
                "nonce",
                "amr",
                "acr",
                "at_hash",
                "phone_number",
                "phone_number_verified",
            ],
            prompt_values_supported: vec!["none", "login", "consent", "select_account"],
            display_values_supported: vec!["page"],
            claim_types_supported: vec!["normal"],
            authorization_response_iss_parameter_supported: true,
            claims_parameter_supported: false,
            request_parameter_supported: false,
            request_uri_parameter_supported: false,
            require_request_uri_registration: false,
        }
    }

    pub fn jwks(&self) -> JwkSet {
        self.keys.jwks()
    }

    pub fn validate_authorization(
        &self,
        params: &Params,
    ) -> Result<PendingAuthorization, AuthorizeOutcome> {
        authorize::validate(params, &self.clients, self.clock.now())
    }

    /// The redirect that reports `error` to the client (RFC 6749 §4.1.2.1, RFC 9207 `iss`).
    pub fn error_redirect(&self, error: &AuthorizeRedirectError) -> String {
        with_query(
            &error.redirect_uri,
            &[
                ("error", Some(error.code.as_str())),
                ("error_description", Some(&error.description)),
                ("state", error.state.as_deref()),
                ("iss", Some(&self.issuer)),
            ],
        )
    }

    /// Stores a single-use code for a completed login and returns the redirect to the client.
    pub async fn issue_code(
        &self,
        pending: &PendingAuthorization,
        subject: &AuthenticatedSubject,
    ) -> Result<String, CodeIssueError> {
        if self.clients.get(&pending.client_id).is_none() {
            return Err(CodeIssueError::UnknownClient);
        }
        let now = self.clock.now();
        let code = random_token(self.random.as_ref(), 32);
        let record = AuthorizationCode {
            client_id: pending.client_id.clone(),
            redirect_uri: pending.redirect_uri.clone(),
            scopes: pending.scopes.clone(),
            nonce: pending.nonce.clone(),
            code_challenge: pending.code_challenge.clone(),
            subject: subject.sub.clone(),
            auth_time: subject.auth_time,
            amr: subject.amr.clone(),
            acr: subject.acr.clone(),
            issued_at: now,
            expires_at: now.plus(self.lifetimes.authorization_code),
        };
        self.store
            .insert_code(&code_key(&code), &record, self.lifetimes.authorization_code)
            .await?;
        Ok(with_query(
            &pending.redirect_uri,
            &[
                ("code", Some(&code)),
                ("state", pending.state.as_deref()),
                ("iss", Some(&self.issuer)),
            ],
        ))
    }

    /// The token endpoint (RFC 6749 §3.2, OIDC Core §3.1.3).
    pub async fn token(
        &self,
        params: &Params,
        basic: Option<&ClientCredentials>,
    ) -> Result<TokenResponse, TokenError> {
        let client = token::authenticate(&self.clients, params, basic)?;
        match token::grant_type(params)? {
            "authorization_code" => {}
            _ => {
                return Err(TokenError::UnsupportedGrantType(
                    "only authorization_code is supported",
                ));
            }
        }
        let grant = token::code_grant(params)?;
        let unavailable = |_| TokenError::TemporarilyUnavailable("storage is unavailable");
        let code = self
            .store
            .take_code(&code_key(grant.code))
            .await
            .map_err(unavailable)?
            .ok_or(TokenError::InvalidGrant(
                "the authorization code is invalid, expired or already used",
            ))?;
        let now = self.clock.now();
        if code.expires_at <= now {
            return Err(TokenError::InvalidGrant(
                "the authorization code has expired",
            ));
        }
        if code.client_id != client.id {
            return Err(TokenError::InvalidGrant(
                "the authorization code was issued to another client",
            ));
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
        let user = self
            .store
            .get_user(&code.subject)
            .await
            .map_err(unavailable)?
            .ok_or(TokenError::InvalidGrant("the user no longer exists"))?;

        let scope = code.scopes.join(" ");
        let signing_failed = |e: KeyError| {
            tracing::error!(error = %e, "token signing failed");
            TokenError::TemporarilyUnavailable("tokens cannot be signed right now")
        };
        let access = AccessTokenClaims {
            iss: self.issuer.clone(),
            sub: user.sub.clone(),
            aud: self.endpoint("/userinfo"),
            client_id: client.id.clone(),
            exp: now.plus(self.lifetimes.access_token).secs(),
            iat: now.secs(),
            jti: random_token(self.random.as_ref(), 16),
            scope: scope.clone(),
            auth_time: code.auth_time.secs(),
        };
        let access_token = self
            .keys
            .signer(SigningAlg::RS256)
            .and_then(|k| k.sign(ACCESS_TOKEN_TYP, &access))
            .map_err(signing_failed)?;

        let phone = code.scopes.iter().any(|s| s == SCOPE_PHONE);
        let id_signer = self
            .keys
            .signer(client.id_token_alg)
            .map_err(signing_failed)?;
        let id = IdTokenClaims {
            iss: self.issuer.clone(),
            sub: user.sub.clone(),
            aud: client.id.clone(),
            azp: client.id.clone(),
            exp: now.plus(self.lifetimes.id_token).secs(),
            iat: now.secs(),
            auth_time: code.auth_time.secs(),
            nonce: code.nonce.clone(),
            amr: code.amr.clone(),
            acr: code.acr.clone(),
            at_hash: Some(at_hash(id_signer.alg(), &access_token)),
            phone_number: phone.then(|| user.phone.clone()),
            phone_number_verified: phone.then_some(user.phone_verified),
        };
        let id_token = id_signer.sign(ID_TOKEN_TYP, &id).map_err(signing_failed)?;
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: self.lifetimes.access_token.as_secs(),
            id_token,
            scope,
        })
    }

    /// Verifies one of our access tokens with our clock.
    fn access_claims(&self, token: &str) -> Result<AccessTokenClaims, BearerError> {
        let claims: AccessTokenClaims = self
            .keys
            .verify(token, ACCESS_TOKEN_TYP)
            .map_err(|_| BearerError::InvalidToken("the access token is invalid"))?;
        if claims.iss != self.issuer || claims.aud != self.endpoint("/userinfo") {
            return Err(BearerError::InvalidToken(
                "the access token is not for this server",
            ));
        }
        if claims.exp <= self.clock.now().secs() {
            return Err(BearerError::InvalidToken("the access token has expired"));
        }
        Ok(claims)
    }

    /// Userinfo (OIDC Core §5.3): claims by scope for the token's subject.
    pub async fn userinfo(
        &self,
        authorization: Option<&str>,
        form: Option<&Params>,
    ) -> Result<Map<String, Value>, BearerError> {
        let token = userinfo::bearer_token(authorization, form)?;
        let claims = self.access_claims(token)?;
        if !claims.has_scope(crate::SCOPE_OPENID) {
            return Err(BearerError::InsufficientScope(
                "the openid scope is required",
            ));
        }
        let user = self
            .store
            .get_user(&claims.sub)
            .await
            .map_err(|_| BearerError::TemporarilyUnavailable("storage is unavailable"))?
            .ok_or(BearerError::InvalidToken("the user no longer exists"))?;
        let mut out = Map::new();
        out.insert("sub".into(), json!(user.sub));
        if claims.has_scope(SCOPE_PHONE) {
            out.insert("phone_number".into(), json!(user.phone));
            out.insert("phone_number_verified".into(), json!(user.phone_verified));
        }
        Ok(out)
    }

    /// Verifies an ID token we issued to `client_id` (used by the built-in demo portal).
    pub fn verify_id_token(
        &self,
        token: &str,
        client_id: &str,
        nonce: Option<&str>,
    ) -> Result<IdTokenClaims, KeyError> {
        let claims: IdTokenClaims = self.keys.verify(token, ID_TOKEN_TYP)?;
        if claims.iss != self.issuer || claims.aud != client_id {
            return Err(KeyError::Rejected("wrong issuer or audience"));
        }
        if claims.exp <= self.clock.now().secs() {
            return Err(KeyError::Rejected("expired"));
        }
        if claims.nonce.as_deref() != nonce {
            return Err(KeyError::Rejected("nonce mismatch"));
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_keep_existing_queries_and_encode_values() {
        assert_eq!(
            with_query("https://rp/cb", &[("code", Some("a b")), ("state", None)]),
            "https://rp/cb?code=a+b"
        );
        assert_eq!(
            with_query("https://rp/cb?x=1", &[("code", Some("c"))]),
            "https://rp/cb?x=1&code=c"
        );
        assert_eq!(
            with_query("https://rp/cb#frag", &[("code", Some("c"))]),
            "https://rp/cb?code=c"
        );
    }
}
