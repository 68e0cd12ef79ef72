//! Reading the bearer token of a userinfo request (RFC 6750 §2.1, §2.2).

use crate::BearerError;
use crate::params::Params;

/// The access token from the header, or from a form body (POST only); never from both.
pub fn bearer_token<'a>(
    authorization: Option<&'a str>,
    form: Option<&'a Params>,
) -> Result<&'a str, BearerError> {
    let from_header = match authorization {
        None => None,
        Some(value) => {
            let (scheme, token) =
                value
                    .trim()
                    .split_once(' ')
                    .ok_or(BearerError::InvalidRequest(
                        "malformed Authorization header",
                    ))?;
            // RFC 6750 §3.1: a request without a bearer token gets a bare challenge.
            if !scheme.eq_ignore_ascii_case("bearer") {
                return Err(BearerError::Missing);
            }
            Some(token.trim())
        }
    };
    let from_body = match form {
        None => None,
        Some(p) => p
            .get("access_token")
            .map_err(|_| BearerError::InvalidRequest("access_token is repeated"))?,
    };
    match (from_header, from_body) {
        (Some(_), Some(_)) => Err(BearerError::InvalidRequest(
            "send the access token one way only",
        )),
        (Some(t), None) | (None, Some(t)) if !t.is_empty() => Ok(t),
        _ => Err(BearerError::Missing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_or_body_but_not_both() {
        assert_eq!(bearer_token(Some("Bearer abc"), None), Ok("abc"));
        assert_eq!(bearer_token(Some("bearer abc"), None), Ok("abc"));
        let form = Params::parse(b"access_token=xyz");
        assert_eq!(bearer_token(None, Some(&form)), Ok("xyz"));
        assert!(matches!(
            bearer_token(Some("Bearer abc"), Some(&form)),
            Err(BearerError::InvalidRequest(_))
        ));
        assert_eq!(bearer_token(None, None), Err(BearerError::Missing));
        assert_eq!(
            bearer_token(Some("Basic abc"), None),
            Err(BearerError::Missing)
        );
        assert!(matches!(
            bearer_token(Some("Bearer"), None),
            Err(BearerError::InvalidRequest(_))
        ));
    }
}
