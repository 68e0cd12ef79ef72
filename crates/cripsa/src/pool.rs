//! A Cognito user pool as wagate addresses it: its id, region, API endpoint and token issuer.

use thiserror::Error;
use url::Url;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum PoolError {
    #[error("user pool id {0:?} is not of the form <region>_<id>, e.g. eu-west-1_AbC123xyz")]
    BadPoolId(String),
    #[error("endpoint {0:?} is not an absolute https URL (plain http only on loopback)")]
    BadEndpoint(String),
    #[error("issuer {0:?} is not an absolute https URL (plain http only on loopback)")]
    BadIssuer(String),
    #[error("jwks_uri {0:?} is not an absolute https URL (plain http only on loopback)")]
    BadJwksUri(String),
}

/// Parses `raw` as an absolute https URL, or plain http on loopback only: over plain http
/// anyone on the path could swap the JWKS, the token or read the secrets.
pub fn safe_url(raw: &str) -> Option<Url> {
    wagate_core::outbound_url(raw).ok()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPool {
    id: String,
    region: String,
    endpoint: Url,
    /// Overrides for a proxy or a relay that re-serves the pool's keys.
    issuer: Option<Url>,
    jwks_uri: Option<Url>,
}

impl UserPool {
    /// `endpoint` overrides the regional default (tests, proxies, the fake upstream).
    pub fn new(id: &str, endpoint: Option<&str>) -> Result<UserPool, PoolError> {
        let region = region_of(id).ok_or_else(|| PoolError::BadPoolId(id.to_owned()))?;
        let raw = match endpoint {
            Some(e) => e.to_owned(),
            None => format!("https://cognito-idp.{region}.amazonaws.com/"),
        };
        let endpoint = safe_url(&raw).ok_or(PoolError::BadEndpoint(raw))?;
        Ok(UserPool {
            id: id.to_owned(),
            region: region.to_owned(),
            endpoint,
            issuer: None,
            jwks_uri: None,
        })
    }

    /// Tokens checked against another issuer and key set than `{endpoint}/{pool id}` (a
    /// proxy in front of Cognito, or Cripsa's own host in `http` mode). Without a `jwks_uri`
    /// the keys are at `{issuer}/.well-known/jwks.json`.
    pub fn with_token_source(
        mut self,
        issuer: Option<&str>,
        jwks_uri: Option<&str>,
    ) -> Result<UserPool, PoolError> {
        if let Some(raw) = issuer {
            self.issuer = Some(safe_url(raw).ok_or_else(|| PoolError::BadIssuer(raw.into()))?);
        }
        if let Some(raw) = jwks_uri {
            self.jwks_uri = Some(safe_url(raw).ok_or_else(|| PoolError::BadJwksUri(raw.into()))?);
        }
        Ok(self)
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// Where `InitiateAuth` and `RespondToAuthChallenge` are posted.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The `iss` of the pool's tokens: `{endpoint}/{pool id}`, without a doubled slash.
    pub fn issuer(&self) -> String {
        match &self.issuer {
            // Compared with `iss` as written, so no trailing slash from URL parsing.
            Some(url) => url.as_str().trim_end_matches('/').to_owned(),
            None => format!(
                "{}/{}",
                self.endpoint.as_str().trim_end_matches('/'),
                self.id
            ),
        }
    }

    pub fn jwks_uri(&self) -> String {
        match &self.jwks_uri {
            Some(url) => url.as_str().to_owned(),
            None => format!("{}/.well-known/jwks.json", self.issuer()),
        }
    }
}

/// The region is the part before `_`; both parts are checked for shape so a typo fails at start,
/// not as a DNS error at the first login.
fn region_of(id: &str) -> Option<&str> {
    let (region, rest) = id.split_once('_')?;
    let region_ok = region.split('-').count() >= 3
        && region.split('-').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    let rest_ok = !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric());
    (region_ok && rest_ok).then_some(region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_and_default_endpoint_come_from_the_pool_id() {
        let pool = UserPool::new("eu-west-1_AbC123xyz", None).unwrap();
        assert_eq!(pool.region(), "eu-west-1");
        assert_eq!(
            pool.endpoint().as_str(),
            "https://cognito-idp.eu-west-1.amazonaws.com/"
        );
        assert_eq!(
            pool.issuer(),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyz"
        );
        assert_eq!(
            pool.jwks_uri(),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyz/.well-known/jwks.json"
        );
        let gov = UserPool::new("us-gov-west-1_Q9", None).unwrap();
        assert_eq!(gov.region(), "us-gov-west-1");
    }

    #[test]
    fn an_override_keeps_the_issuer_consistent() {
        let pool = UserPool::new("us-east-1_X", Some("http://127.0.0.1:9000/cognito")).unwrap();
        assert_eq!(pool.issuer(), "http://127.0.0.1:9000/cognito/us-east-1_X");
        let pool = UserPool::new("us-east-1_X", Some("http://127.0.0.1:9000/")).unwrap();
        assert_eq!(pool.issuer(), "http://127.0.0.1:9000/us-east-1_X");
    }

    #[test]
    fn the_token_source_can_be_overridden() {
        let pool = UserPool::new("eu-west-1_AbC", None)
            .unwrap()
            .with_token_source(Some("https://idp.example.com/pool"), None)
            .unwrap();
        assert_eq!(pool.issuer(), "https://idp.example.com/pool");
        assert_eq!(
            pool.jwks_uri(),
            "https://idp.example.com/pool/.well-known/jwks.json"
        );
        let pool = pool
            .with_token_source(None, Some("https://keys.example.com/jwks"))
            .unwrap();
        assert_eq!(pool.jwks_uri(), "https://keys.example.com/jwks");
        let base = UserPool::new("eu-west-1_AbC", None).unwrap();
        assert!(matches!(
            base.clone()
                .with_token_source(Some("http://idp.example.com/"), None),
            Err(PoolError::BadIssuer(_))
        ));
        assert!(matches!(
            base.with_token_source(None, Some("jwks.json")),
            Err(PoolError::BadJwksUri(_))
        ));
    }

    #[test]
    fn bad_ids_and_endpoints_are_refused() {
        for bad in [
            "",
            "eu-west-1",
            "_abc",
            "eu-west-1_",
            "EU-WEST-1_abc",
            "eu_abc",
            "eu-west-1_a/b",
        ] {
            assert_eq!(
                UserPool::new(bad, None),
                Err(PoolError::BadPoolId(bad.to_owned())),
                "{bad:?}"
            );
        }
        for bad in [
            "cognito.local",
            "ftp://x/",
            "http://",
            "http://cognito.example/",
        ] {
            assert!(
                matches!(
                    UserPool::new("eu-west-1_a", Some(bad)),
                    Err(PoolError::BadEndpoint(_))
                ),
                "{bad:?}"
            );
        }
    }
}
