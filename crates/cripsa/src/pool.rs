//! A Cognito user pool as wagate addresses it: its id, region, API endpoint and token issuer.

use thiserror::Error;
use url::Url;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum PoolError {
    #[error("user pool id {0:?} is not of the form <region>_<id>, e.g. eu-west-1_AbC123xyz")]
    BadPoolId(String),
    #[error("endpoint {0:?} is not an absolute https URL (plain http only on loopback)")]
    BadEndpoint(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPool {
    id: String,
    region: String,
    endpoint: Url,
}

impl UserPool {
    /// `endpoint` overrides the regional default (tests, proxies, the fake upstream).
    pub fn new(id: &str, endpoint: Option<&str>) -> Result<UserPool, PoolError> {
        let region = region_of(id).ok_or_else(|| PoolError::BadPoolId(id.to_owned()))?;
        let raw = match endpoint {
            Some(e) => e.to_owned(),
            None => format!("https://cognito-idp.{region}.amazonaws.com/"),
        };
        let endpoint = Url::parse(&raw)
            .ok()
            // Over plain http anyone on the path could swap the JWKS and the token.
            .filter(|u| match u.scheme() {
                "https" => u.host().is_some(),
                "http" => is_loopback(u),
                _ => false,
            })
            .ok_or(PoolError::BadEndpoint(raw))?;
        Ok(UserPool {
            id: id.to_owned(),
            region: region.to_owned(),
            endpoint,
        })
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
        format!(
            "{}/{}",
            self.endpoint.as_str().trim_end_matches('/'),
            self.id
        )
    }

    pub fn jwks_uri(&self) -> String {
        format!("{}/.well-known/jwks.json", self.issuer())
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
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
