//! The token endpoint: client authentication (RFC 6749 §2.3.1) and the grants.

use crate::error::TokenError;
use crate::params::Params;
use crate::{Client, ClientRegistry};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;

/// Longest authorization code or verifier worth looking at.
const MAX_CODE_LEN: usize = 512;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub scope: String,
}

/// Credentials a client presented in the `Authorization: Basic` header.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    /// Parses an `Authorization` header value. `Ok(None)` when it is not Basic at all.
    pub fn from_basic_header(value: &str) -> Result<Option<Self>, TokenError> {
        let bad = TokenError::InvalidClient("malformed Basic credentials");
        let Some((scheme, rest)) = value.trim().split_once(' ') else {
            return Ok(None);
        };
        if !scheme.eq_ignore_ascii_case("basic") {
            return Ok(None);
        }
        let decoded = STANDARD.decode(rest.trim()).map_err(|_| bad.clone())?;
        let decoded = String::from_utf8(decoded).map_err(|_| bad.clone())?;
        let (id, secret) = decoded.split_once(':').ok_or(bad.clone())?;
        // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
        let unescape = |s: &str| -> String {
            url::form_urlencoded::parse(format!("v={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        let creds = ClientCredentials {
            client_id: unescape(id),
            client_secret: unescape(secret),
        };
        if creds.client_id.is_empty() {
            return Err(bad);
        }
        Ok(Some(creds))
    }
}

pub(crate) fn param<'a>(
    params: &'a Params,
    name: &'static str,
) -> Result<Option<&'a str>, TokenError> {
    params
        .get(name)
        .map_err(|_| TokenError::InvalidRequest("a parameter is repeated"))
}

/// Authenticates the client of a token request by exactly one method.
pub fn authenticate<'c>(
    clients: &'c ClientRegistry,
    params: &Params,
    basic: Option<&ClientCredentials>,
) -> Result<&'c Client, TokenError> {
    let body_id = param(params, "client_id")?;
    let body_secret = param(params, "client_secret")?;
    let (client_id, secret) = match (basic, body_secret) {
        (Some(_), Some(_)) => {
            return Err(TokenError::InvalidRequest(
                "use one client authentication method, not two",
            ));
        }
        (Some(b), None) => {
            if body_id.is_some_and(|id| id != b.client_id) {
                return Err(TokenError::InvalidRequest(
                    "client_id does not match the authenticated client",
                ));
            }
            (b.client_id.as_str(), Some(b.client_secret.as_str()))
        }
        (None, secret) => match body_id {
            Some(id) => (id, secret),
            None => {
                return Err(TokenError::InvalidClient(
                    "client authentication is required",
                ));
            }
        },
    };
    let client = clients
        .get(client_id)
        .ok_or(TokenError::InvalidClient("client authentication failed"))?;
    match (&client.secret, secret) {
        (Some(digest), Some(presented)) if digest.matches(presented) => Ok(client),
        (None, None) => Ok(client),
        _ => Err(TokenError::InvalidClient("client authentication failed")),
    }
}

/// The parameters of an `authorization_code` grant, checked for shape.
pub struct CodeGrant<'a> {
    pub code: &'a str,
    pub redirect_uri: &'a str,
    pub code_verifier: Option<&'a str>,
}

pub fn code_grant(params: &Params) -> Result<CodeGrant<'_>, TokenError> {
    let code = param(params, "code")?.ok_or(TokenError::InvalidRequest("code is required"))?;
    let redirect_uri = param(params, "redirect_uri")?
        .ok_or(TokenError::InvalidRequest("redirect_uri is required"))?;
    let code_verifier = param(params, "code_verifier")?;
    if code.len() > MAX_CODE_LEN || code_verifier.is_some_and(|v| v.len() > MAX_CODE_LEN) {
        return Err(TokenError::InvalidGrant(
            "the authorization code is invalid",
        ));
    }
    Ok(CodeGrant {
        code,
        redirect_uri,
        code_verifier,
    })
}

pub fn grant_type(params: &Params) -> Result<&str, TokenError> {
    param(params, "grant_type")?.ok_or(TokenError::InvalidRequest("grant_type is required"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> ClientRegistry {
        ClientRegistry::new(vec![
            Client::new("conf", "C", Some(&"s".repeat(32)), vec![]).unwrap(),
            Client::new("pub", "P", None, vec![]).unwrap(),
        ])
    }

    fn basic(id: &str, secret: &str) -> ClientCredentials {
        let header = format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")));
        ClientCredentials::from_basic_header(&header)
            .unwrap()
            .unwrap()
    }

    #[test]
    fn basic_header_is_decoded_and_unescaped() {
        let c = basic("my%3Aclient", "a+b%25");
        assert_eq!(c.client_id, "my:client");
        assert_eq!(c.client_secret, "a b%");
        assert_eq!(ClientCredentials::from_basic_header("Bearer x"), Ok(None));
        assert!(ClientCredentials::from_basic_header("Basic !!!").is_err());
        assert!(
            ClientCredentials::from_basic_header(&format!("Basic {}", STANDARD.encode("nocolon")))
                .is_err()
        );
    }

    #[test]
    fn exactly_one_method_and_the_right_secret() {
        let r = registry();
        let secret = "s".repeat(32);
        let none = Params::default();
        assert_eq!(
            authenticate(&r, &none, Some(&basic("conf", &secret)))
                .unwrap()
                .id,
            "conf"
        );
        let post = Params::parse(format!("client_id=conf&client_secret={secret}").as_bytes());
        assert_eq!(authenticate(&r, &post, None).unwrap().id, "conf");
        assert!(matches!(
            authenticate(&r, &post, Some(&basic("conf", &secret))),
            Err(TokenError::InvalidRequest(_))
        ));
        assert!(matches!(
            authenticate(&r, &none, Some(&basic("conf", "wrong"))),
            Err(TokenError::InvalidClient(_))
        ));
        assert!(matches!(
            authenticate(&r, &Params::parse(b"client_id=conf"), None),
            Err(TokenError::InvalidClient(_))
        ));
        assert!(matches!(
            authenticate(&r, &none, None),
            Err(TokenError::InvalidClient(_))
        ));
        assert!(matches!(
            authenticate(&r, &Params::parse(b"client_id=ghost"), None),
            Err(TokenError::InvalidClient(_))
        ));
        let mismatch = Params::parse(b"client_id=pub");
        assert!(matches!(
            authenticate(&r, &mismatch, Some(&basic("conf", &secret))),
            Err(TokenError::InvalidRequest(_))
        ));
    }

    #[test]
    fn public_clients_send_no_secret() {
        let r = registry();
        assert_eq!(
            authenticate(&r, &Params::parse(b"client_id=pub"), None)
                .unwrap()
                .id,
            "pub"
        );
        let with_secret = Params::parse(b"client_id=pub&client_secret=whatever");
        assert!(matches!(
            authenticate(&r, &with_secret, None),
            Err(TokenError::InvalidClient(_))
        ));
    }
}
