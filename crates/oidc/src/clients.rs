//! Registered clients (portals), from the configuration.

use crate::{GrantType, SigningAlg};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fmt;
use subtle::ConstantTimeEq;
use thiserror::Error;

/// Shortest client secret we accept: at this entropy a fast digest is as safe as a slow hash,
/// and the token endpoint stays fast.
pub const MIN_SECRET_LEN: usize = 32;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ClientSecretError {
    #[error("client secret must be at least {MIN_SECRET_LEN} characters")]
    TooShort,
}

/// SHA-256 of a client secret; the secret itself is not kept.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretDigest([u8; 32]);

impl SecretDigest {
    pub fn of(secret: &str) -> Result<Self, ClientSecretError> {
        if secret.chars().count() < MIN_SECRET_LEN {
            return Err(ClientSecretError::TooShort);
        }
        Ok(SecretDigest(Sha256::digest(secret.as_bytes()).into()))
    }

    /// Constant time in the presented secret's content.
    pub fn matches(&self, presented: &str) -> bool {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        self.0.ct_eq(&digest).into()
    }
}

impl fmt::Debug for SecretDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretDigest([redacted])")
    }
}

#[derive(Clone, Debug)]
pub struct Client {
    pub id: String,
    pub name: String,
    /// `None` for a public client, which authenticates by PKCE alone.
    pub secret: Option<SecretDigest>,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub id_token_alg: SigningAlg,
    /// The grants it may use: `authorization_code` always; `refresh_token` (and so
    /// `offline_access`) unless left out.
    pub grants: Vec<GrantType>,
    /// Where back-channel logout tokens go (OIDC Back-Channel Logout 1.0).
    pub backchannel_logout_uri: Option<String>,
    /// Every login for this client needs the WhatsApp code and the authenticator.
    pub require_mfa: bool,
    /// Web origins (`https://app.example`) allowed to call the token, userinfo and revocation
    /// endpoints from a browser, besides the origins of the redirect URIs.
    pub allowed_origins: Vec<String>,
    /// What a machine client may ask for with `client_credentials` (`SERVICE_SCOPES`).
    pub scopes: Vec<String>,
}

impl Client {
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        secret: Option<&str>,
        redirect_uris: Vec<String>,
    ) -> Result<Self, ClientSecretError> {
        Ok(Client {
            id: id.into(),
            name: name.into(),
            secret: secret.map(SecretDigest::of).transpose()?,
            redirect_uris,
            post_logout_redirect_uris: Vec::new(),
            id_token_alg: SigningAlg::RS256,
            grants: GrantType::DEFAULT.to_vec(),
            backchannel_logout_uri: None,
            require_mfa: false,
            allowed_origins: Vec::new(),
            scopes: Vec::new(),
        })
    }

    pub fn allows(&self, grant: GrantType) -> bool {
        self.grants.contains(&grant)
    }

    pub fn is_public(&self) -> bool {
        self.secret.is_none()
    }

    /// Exact string comparison (OIDC Core §3.1.2.1, RFC 9700 §2.1).
    pub fn has_redirect_uri(&self, uri: &str) -> bool {
        self.redirect_uris.iter().any(|r| r == uri)
    }

    /// The web origins this client's pages run on: those of its http(s) redirect URIs, and
    /// its `allowed_origins`, as browsers write them in `Origin`.
    pub fn web_origins(&self) -> impl Iterator<Item = String> + '_ {
        self.redirect_uris
            .iter()
            .chain(&self.allowed_origins)
            .filter_map(|uri| web_origin(uri))
    }
}

/// `scheme://host[:port]` of an http(s) URL (default ports left out), or `None`.
pub fn web_origin(uri: &str) -> Option<String> {
    let url = url::Url::parse(uri).ok()?;
    matches!(url.scheme(), "http" | "https")
        .then(|| url.origin().ascii_serialization())
        .filter(|o| o != "null")
}

#[derive(Clone, Debug, Default)]
pub struct ClientRegistry {
    clients: HashMap<String, Client>,
    /// Every registered client's web origins (see `Client::web_origins`).
    origins: HashSet<String>,
}

impl ClientRegistry {
    pub fn new(clients: Vec<Client>) -> Self {
        let origins = clients.iter().flat_map(Client::web_origins).collect();
        ClientRegistry {
            clients: clients.into_iter().map(|c| (c.id.clone(), c)).collect(),
            origins,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Client> {
        self.clients.get(id)
    }

    /// Whether a browser page of `origin` may call the endpoints public clients use (CORS):
    /// for the client `client_id` when the request names it, else for any client (a
    /// preflight names none).
    pub fn allows_origin(&self, origin: &str, client_id: Option<&str>) -> bool {
        match client_id {
            None => self.origins.contains(origin),
            Some(id) => self
                .get(id)
                .is_some_and(|c| c.web_origins().any(|o| o == origin)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_and_compared_by_digest() {
        assert_eq!(SecretDigest::of("short"), Err(ClientSecretError::TooShort));
        let s = "a".repeat(32);
        let d = SecretDigest::of(&s).unwrap();
        assert!(d.matches(&s));
        assert!(!d.matches(&"a".repeat(31)));
        assert_eq!(format!("{d:?}"), "SecretDigest([redacted])");
    }

    #[test]
    fn web_origins_come_from_redirect_uris_and_allowed_origins() {
        let mut c = Client::new(
            "spa",
            "SPA",
            None,
            vec![
                "https://app.example/cb".into(),
                "http://127.0.0.1:3000/callback".into(),
                "https://app.example:443/other".into(),
                "com.example.app:/cb".into(),
            ],
        )
        .unwrap();
        c.allowed_origins = vec!["https://admin.example".into()];
        let registry = ClientRegistry::new(vec![c]);
        for yes in [
            "https://app.example",
            "http://127.0.0.1:3000",
            "https://admin.example",
        ] {
            assert!(registry.allows_origin(yes, None), "{yes}");
            assert!(registry.allows_origin(yes, Some("spa")), "{yes}");
            assert!(!registry.allows_origin(yes, Some("other")), "{yes}");
        }
        for no in [
            "https://app.example:8443",
            "http://app.example",
            "https://evil.example",
            "null",
            "com.example.app:",
        ] {
            assert!(!registry.allows_origin(no, None), "{no}");
        }
    }

    #[test]
    fn redirect_uris_match_exactly() {
        let c = Client::new("c", "C", None, vec!["https://rp.example/cb".into()]).unwrap();
        assert!(c.has_redirect_uri("https://rp.example/cb"));
        for near in [
            "https://rp.example/cb/",
            "https://RP.example/cb",
            "https://rp.example/cb?x=1",
            "https://rp.example:443/cb",
            "http://rp.example/cb",
        ] {
            assert!(!c.has_redirect_uri(near), "{near}");
        }
    }
}
