//! The provider: clients, keys, storage, clock and randomness, and what every endpoint shares.
//! The endpoints' logic lives in `sessions.rs` (authorize with SSO), `grants.rs` (token),
//! `revocation.rs` (revoke, introspect, userinfo) and `logout.rs`.

use crate::backchannel::Backchannel;
use crate::claims::{ID_TOKEN_TYP, IdTokenClaims, SUPPORTED_SCOPES};
use crate::error::AuthorizeRedirectError;
use crate::{ClientRegistry, KeyError, KeySet, ProviderMetadata, SigningAlg};
use jsonwebtoken::jwk::JwkSet;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use wagate_storage::{Clock, Marker, Secret, SecretSource, Store, StoreError, UnixTime};

#[derive(Debug, Clone)]
pub struct Lifetimes {
    pub authorization_code: Duration,
    pub access_token: Duration,
    pub id_token: Duration,
    /// A refresh token unused this long dies.
    pub refresh_token_idle: Duration,
    /// No refresh token of a grant outlives this, counted from the code redemption.
    pub refresh_token_absolute: Duration,
    /// A session unused this long ends.
    pub session_idle: Duration,
    /// No session outlives this, counted from the login.
    pub session_absolute: Duration,
    /// Access tokens of machine clients (`client_credentials`).
    pub service_token: Duration,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Lifetimes {
            authorization_code: Duration::from_secs(60),
            access_token: Duration::from_secs(3600),
            id_token: Duration::from_secs(3600),
            refresh_token_idle: Duration::from_secs(14 * 86_400),
            refresh_token_absolute: Duration::from_secs(90 * 86_400),
            session_idle: Duration::from_secs(86_400),
            session_absolute: Duration::from_secs(14 * 86_400),
            service_token: Duration::from_secs(300),
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

impl AuthenticatedSubject {
    /// A login that just proved `amr`; its `acr` is the level those methods reach.
    pub fn logged_in(sub: String, auth_time: UnixTime, amr: Vec<String>) -> Self {
        let acr = Some(crate::acr::reached(&amr).to_owned());
        AuthenticatedSubject {
            sub,
            auth_time,
            amr,
            acr,
        }
    }
}

pub struct Provider {
    pub(crate) issuer: String,
    pub(crate) clients: ClientRegistry,
    /// Swapped whole when shared keys are reloaded; readers keep the set they took.
    keys: std::sync::RwLock<Arc<KeySet>>,
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) random: Arc<dyn SecretSource>,
    pub(crate) lifetimes: Lifetimes,
    pub(crate) backchannel: Backchannel,
    pub(crate) events: Arc<dyn crate::ProviderEvents>,
    /// Keys refresh-token MACs. Random per process unless set (instances sharing storage must
    /// share it: see `set_refresh_key`).
    pub(crate) refresh_key: Secret,
    /// Authenticator apps are on, so MFA requests can succeed (discovery says so).
    mfa_available: bool,
    /// The languages people may be served in (discovery's `ui_locales_supported`).
    ui_locales: Vec<String>,
    /// What access tokens are signed with (RS256 unless set).
    pub(crate) access_token_alg: SigningAlg,
}

/// Tokens, codes and session secrets are stored under their digest, so a storage dump holds
/// nothing redeemable.
pub(crate) fn digest_key(secret: &str) -> String {
    base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        Sha256::digest(secret.as_bytes()),
    )
}

/// `uri` with `pairs` added to its query.
pub(crate) fn with_query(uri: &str, pairs: &[(&str, Option<&str>)]) -> String {
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
        let refresh_key = Secret::new(wagate_storage::random_token(random.as_ref(), 32));
        Provider {
            issuer: issuer.trim_end_matches('/').to_owned(),
            clients,
            keys: std::sync::RwLock::new(Arc::new(keys)),
            store,
            clock,
            random,
            lifetimes,
            refresh_key,
            backchannel: Backchannel::new(),
            events: Arc::new(crate::NoEvents),
            mfa_available: true,
            ui_locales: Vec::new(),
            access_token_alg: SigningAlg::RS256,
        }
    }

    /// Signs access tokens with `alg` (a key of it must be in the key set). Portals treat
    /// access tokens as opaque; only resource servers that verify them locally care.
    pub fn set_access_token_alg(&mut self, alg: SigningAlg) {
        self.access_token_alg = alg;
    }

    /// Where security events go.
    pub fn set_events(&mut self, events: Arc<dyn crate::ProviderEvents>) {
        self.events = events;
    }

    /// The languages the pages are written in, for discovery.
    pub fn set_ui_locales(&mut self, languages: Vec<String>) {
        self.ui_locales = languages;
    }

    /// Says whether MFA requests can succeed (authenticator apps are on).
    pub fn set_mfa_available(&mut self, available: bool) {
        self.mfa_available = available;
    }

    pub fn mfa_available(&self) -> bool {
        self.mfa_available
    }

    /// The key of refresh-token MACs; every instance sharing storage must use the same.
    pub fn set_refresh_key(&mut self, key: Secret) {
        self.refresh_key = key;
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn clients(&self) -> &ClientRegistry {
        &self.clients
    }

    pub fn lifetimes(&self) -> &Lifetimes {
        &self.lifetimes
    }

    /// The keys in force now.
    pub(crate) fn keys(&self) -> Arc<KeySet> {
        self.keys
            .read()
            .map(|k| k.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Whether there is a key to sign ID tokens with (not yet, when shared storage was down at
    /// start).
    pub fn can_sign(&self) -> bool {
        !self.keys().algorithms().is_empty()
    }

    /// For each algorithm, when its signing key was made (if known): for the key-age metric.
    pub fn signing_key_dates(&self) -> Vec<(&'static str, Option<u64>)> {
        self.keys().signing_dates()
    }

    /// Replaces the keys (after `wagate keys rotate`, every instance reloads them).
    pub fn set_keys(&self, keys: KeySet) {
        let mut slot = self.keys.write().unwrap_or_else(|p| p.into_inner());
        *slot = Arc::new(keys);
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub(crate) fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.issuer)
    }

    pub(crate) fn now(&self) -> UnixTime {
        self.clock.now()
    }

    pub(crate) fn random_token(&self, bytes: usize) -> String {
        wagate_storage::random_token(self.random.as_ref(), bytes)
    }

    pub fn metadata(&self) -> ProviderMetadata {
        let auth_methods = vec!["client_secret_basic", "client_secret_post", "none"];
        ProviderMetadata {
            issuer: self.issuer.clone(),
            authorization_endpoint: self.endpoint("/authorize"),
            token_endpoint: self.endpoint("/token"),
            userinfo_endpoint: self.endpoint("/userinfo"),
            jwks_uri: self.endpoint("/jwks.json"),
            revocation_endpoint: self.endpoint("/revoke"),
            introspection_endpoint: self.endpoint("/introspect"),
            end_session_endpoint: self.endpoint("/logout"),
            scopes_supported: SUPPORTED_SCOPES.to_vec(),
            response_types_supported: vec!["code"],
            response_modes_supported: vec!["query"],
            grant_types_supported: crate::GrantType::ALL.map(crate::GrantType::as_str).to_vec(),
            subject_types_supported: vec!["public"],
            id_token_signing_alg_values_supported: self
                .keys()
                .algorithms()
                .into_iter()
                .map(SigningAlg::as_str)
                .collect(),
            token_endpoint_auth_methods_supported: auth_methods.clone(),
            revocation_endpoint_auth_methods_supported: auth_methods,
            introspection_endpoint_auth_methods_supported: vec![
                "client_secret_basic",
                "client_secret_post",
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
                "sid",
                "phone_number",
                "phone_number_verified",
            ],
            acr_values_supported: if self.mfa_available {
                crate::acr::ACR_VALUES_SUPPORTED.to_vec()
            } else {
                vec![crate::acr::ACR_ONE_FACTOR]
            },
            prompt_values_supported: vec!["none", "login", "consent", "select_account"],
            display_values_supported: vec!["page"],
            claim_types_supported: vec!["normal"],
            authorization_response_iss_parameter_supported: true,
            backchannel_logout_supported: true,
            backchannel_logout_session_supported: true,
            frontchannel_logout_supported: false,
            claims_parameter_supported: true,
            request_parameter_supported: false,
            request_uri_parameter_supported: false,
            require_request_uri_registration: false,
            ui_locales_supported: self.ui_locales.clone(),
        }
    }

    pub fn jwks(&self) -> JwkSet {
        self.keys().jwks()
    }

    /// The redirect that reports `error` to the client (RFC 6749 §4.1.2.1, RFC 9207 `iss`).
    pub fn error_redirect(&self, error: &AuthorizeRedirectError) -> String {
        with_query(
            &error.redirect_uri,
            &[
                ("error", Some(error.code.as_str())),
                (
                    "error_description",
                    // Our own fixed texts; a wrong one is dropped rather than sent.
                    crate::error::is_valid_description(error.description)
                        .then_some(error.description),
                ),
                ("state", error.state.as_deref()),
                ("iss", Some(&self.issuer)),
            ],
        )
    }

    /// Revokes everything issued under a grant: its refresh tokens and its access tokens. The
    /// marker outlives every token the grant can have.
    pub(crate) async fn revoke_grant(&self, grant_id: &str) -> Result<(), StoreError> {
        let longest = self
            .lifetimes
            .refresh_token_absolute
            .max(self.lifetimes.access_token);
        self.store
            .set_marker(&Marker::RevokedGrant(grant_id.to_owned()), longest)
            .await
    }

    pub(crate) async fn grant_revoked(&self, grant_id: &str) -> Result<bool, StoreError> {
        self.store
            .has_marker(&Marker::RevokedGrant(grant_id.to_owned()))
            .await
    }

    /// An ID token we issued, signature and issuer checked; expiry is the caller's business
    /// (hints may be expired).
    pub(crate) fn our_id_token(&self, token: &str) -> Result<IdTokenClaims, KeyError> {
        let claims: IdTokenClaims = self.keys().verify(token, ID_TOKEN_TYP)?;
        if claims.iss != self.issuer {
            return Err(KeyError::Rejected("issued by someone else"));
        }
        Ok(claims)
    }

    /// Verifies an ID token we issued to `client_id` (used by the built-in demo portal).
    pub fn verify_id_token(
        &self,
        token: &str,
        client_id: &str,
        nonce: Option<&str>,
    ) -> Result<IdTokenClaims, KeyError> {
        let claims = self.our_id_token(token)?;
        if claims.aud != client_id {
            return Err(KeyError::Rejected("wrong audience"));
        }
        if claims.exp <= self.now().secs() {
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
