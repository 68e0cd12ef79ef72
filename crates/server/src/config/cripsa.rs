//! The `[cripsa]` section, read only when `login.backend = "cripsa"`.

use super::cripsa_file::{CripsaConfig, CripsaHttpConfig, CripsaModeName};
use super::problems::{Problems, read_secret};
use super::{CripsaHttpSettings, CripsaMode, CripsaSettings};
use std::time::Duration;
use url::Url;
use wagate_cripsa::{
    AnswerFields, AuthHeader, AuthHeaderError, Field, HttpShape, PhoneFormat, PoolError,
    RequestFields, UserPool, safe_url,
};

pub(super) fn resolve(p: &mut Problems, c: &CripsaConfig) -> Option<CripsaSettings> {
    let mode = match c.mode.resolve("cripsa.mode", "cognito, http", p) {
        Some(CripsaModeName::Cognito) => Some(CripsaMode::Cognito),
        Some(CripsaModeName::Http) => {
            http(p, &c.http, c.sign_up_unknown_numbers).map(|h| CripsaMode::Http(Box::new(h)))
        }
        None => None,
    };
    let pool = if c.user_pool_id.is_empty() {
        p.add("cripsa.user_pool_id: required (the UserPoolId from the Cripsa dashboard)");
        None
    } else {
        UserPool::new(&c.user_pool_id, c.endpoint.as_deref())
            .and_then(|pool| pool.with_token_source(c.issuer.as_deref(), c.jwks_uri.as_deref()))
            .map_err(|e| {
                let key = match e {
                    PoolError::BadPoolId(_) => "cripsa.user_pool_id",
                    PoolError::BadEndpoint(_) => "cripsa.endpoint",
                    PoolError::BadIssuer(_) => "cripsa.issuer",
                    PoolError::BadJwksUri(_) => "cripsa.jwks_uri",
                };
                p.add(format!("{key}: {e}"));
            })
            .ok()
    };
    p.check(
        !c.client_id.is_empty() && c.client_id.bytes().all(|b| b.is_ascii_alphanumeric()),
        "cripsa.client_id: required, letters and digits (the ClientId from the Cripsa dashboard)",
    );
    let secret = read_secret(
        p,
        "cripsa.client_secret",
        &c.client_secret,
        &c.client_secret_file,
    )
    .filter(|s| !s.expose().is_empty());
    // Cognito always wants the SECRET_HASH; Cripsa's wrapper only if configured to send it.
    let needs_secret = c.mode != CripsaModeName::Http || c.http.secret_hash;
    if needs_secret && secret.is_none() {
        p.add("cripsa.client_secret: required (or client_secret_file, or WAGATE__CRIPSA__CLIENT_SECRET)");
    }
    p.check(
        (180..=900).contains(&c.session_ttl_secs),
        "cripsa.session_ttl_secs: must be between 180 and 900 (Cognito's AuthSessionValidity, 3 to 15 minutes)",
    );
    p.check(
        (1..=10).contains(&c.attempts),
        "cripsa.attempts: must be between 1 and 10 (the pool's challenge trigger allows 3 in Cripsa's samples)",
    );
    p.check(
        (100..=30_000).contains(&c.timeout_ms),
        "cripsa.timeout_ms: must be between 100 and 30000",
    );
    Some(CripsaSettings {
        mode: mode?,
        pool: pool?,
        client_id: c.client_id.clone(),
        client_secret: if needs_secret { Some(secret?) } else { secret },
        session_ttl: Duration::from_secs(c.session_ttl_secs),
        attempts: c.attempts,
        sign_up_unknown_numbers: c.sign_up_unknown_numbers,
        timeout: Duration::from_millis(c.timeout_ms),
    })
}

/// `[cripsa.http]`: every pointer and name checked, all problems reported at once.
fn http(p: &mut Problems, h: &CripsaHttpConfig, sign_up: bool) -> Option<CripsaHttpSettings> {
    if sign_up {
        p.add("cripsa.sign_up_unknown_numbers: Cripsa documents no sign-up operation; only mode = \"cognito\" can register numbers");
    }
    let base_url = base_url(p, h);
    let shape = shape(p, h);
    let auth = auth_header(p, h);
    Some(CripsaHttpSettings {
        base_url: base_url?,
        shape: shape?,
        auth: auth?,
    })
}

/// Where requests go: a base URL and the two paths under it.
fn base_url(p: &mut Problems, h: &CripsaHttpConfig) -> Option<Url> {
    let base_url = match safe_url(&h.base_url) {
        Some(u) if u.path().ends_with('/') && u.query().is_none() => Some(u),
        Some(_) => {
            p.add("cripsa.http.base_url: must end with / (the paths are joined to it) and have no query");
            None
        }
        None => {
            p.add("cripsa.http.base_url: required in http mode, an absolute https URL (plain http only on loopback)");
            None
        }
    };
    for (key, path) in [
        ("signin_path", &h.signin_path),
        ("respond_path", &h.respond_path),
    ] {
        p.check(
            !path.is_empty()
                && !path.starts_with('/')
                && !path.contains("://")
                && !path.contains(['?', '#', ' ']),
            format!("cripsa.http.{key}: a relative path under base_url, without a leading /"),
        );
    }
    base_url
}

/// Where each request field goes and each answer field is read from.
fn shape(p: &mut Problems, h: &CripsaHttpConfig) -> Option<HttpShape> {
    let mut field = |key: &str, raw: &str, optional: bool| -> Option<Option<Field>> {
        let parsed = if optional {
            Field::optional(raw)
        } else {
            Field::parse(raw).map(Some)
        };
        parsed
            .map_err(|e| p.add(format!("cripsa.http.{key}: {e}")))
            .ok()
    };
    let r = &h.request;
    let a = &h.answer;
    // Every pointer is read before any is used, so all their problems are reported together.
    let client_id = field("request.client_id", &r.client_id, true);
    let phone = field("request.phone", &r.phone, false);
    let signin_hash = field("request.signin_secret_hash", &r.signin_secret_hash, true);
    let session = field("request.session", &r.session, false);
    let username = field("request.username", &r.username, true);
    let code = field("request.code", &r.code, false);
    let respond_hash = field("request.respond_secret_hash", &r.respond_secret_hash, true);
    let a_session = field("answer.session", &a.session, false);
    let a_username = field("answer.username", &a.username, true);
    let a_id_token = field("answer.id_token", &a.id_token, false);
    let a_error_type = field("answer.error_type", &a.error_type, false);
    let a_error_message = field("answer.error_message", &a.error_message, true);
    let phone_format = PhoneFormat::parse(&h.phone_format)
        .map_err(|e| p.add(format!("cripsa.http.phone_format: {e}")))
        .ok();
    // Without SECRET_HASH the pointers for it are not used.
    let hashed = |f: Option<Field>| f.filter(|_| h.secret_hash);
    let shape = HttpShape {
        signin_path: h.signin_path.clone(),
        respond_path: h.respond_path.clone(),
        phone_format: phone_format?,
        request: RequestFields {
            client_id: client_id?,
            phone: phone??,
            signin_secret_hash: hashed(signin_hash?),
            session: session??,
            username: username?,
            code: code??,
            respond_secret_hash: hashed(respond_hash?),
        },
        answer: AnswerFields {
            session: a_session??,
            username: a_username?,
            id_token: a_id_token??,
            error_type: a_error_type??,
            error_message: a_error_message?,
        },
    };
    for clash in shape.clashes() {
        p.add(format!("cripsa.http.request: {clash}"));
    }
    Some(shape)
}

/// `Some(None)`: no header configured; `None`: a problem was reported.
fn auth_header(p: &mut Problems, h: &CripsaHttpConfig) -> Option<Option<AuthHeader>> {
    let value = read_secret(
        p,
        "cripsa.http.auth_value",
        &h.auth_value,
        &h.auth_value_file,
    );
    match (h.auth_header.is_empty(), value) {
        (true, None) => Some(None),
        (true, Some(_)) => {
            p.add("cripsa.http.auth_header: required when auth_value is set (e.g. \"Authorization\" or \"x-api-key\")");
            None
        }
        (false, None) => {
            p.add("cripsa.http.auth_value: required when auth_header is set (or auth_value_file, or WAGATE__CRIPSA__HTTP__AUTH_VALUE)");
            None
        }
        (false, Some(value)) => AuthHeader::new(&h.auth_header, &value)
            .map(Some)
            .map_err(|e| {
                let key = match e {
                    AuthHeaderError::Name => "auth_header",
                    AuthHeaderError::Value => "auth_value",
                };
                p.add(format!("cripsa.http.{key}: {e}"));
            })
            .ok(),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, OtpBackendKind, Source, resolve};
    use wagate_storage::Secret;

    fn cripsa() -> Config {
        let mut c = Config::embedded();
        c.login.backend = "cripsa".into();
        c
    }

    fn problems(c: &Config) -> Vec<String> {
        resolve(c, &Source::Embedded).unwrap_err()
    }

    fn names(problems: &[String], key: &str) -> bool {
        problems.iter().any(|p| p.starts_with(&format!("{key}:")))
    }

    #[test]
    fn every_missing_value_is_reported_at_once() {
        let found = problems(&cripsa());
        for key in [
            "cripsa.user_pool_id",
            "cripsa.client_id",
            "cripsa.client_secret",
        ] {
            assert!(names(&found, key), "{key}: {found:?}");
        }
    }

    #[test]
    fn a_complete_section_resolves_with_the_regional_endpoint() {
        let mut c = cripsa();
        c.cripsa.user_pool_id = "eu-west-1_AbC123".into();
        c.cripsa.client_id = "1example23456789".into();
        c.cripsa.client_secret = Some(Secret::new("upstream-secret"));
        let s = resolve(&c, &Source::Embedded).unwrap();
        let OtpBackendKind::Cripsa(cs) = s.backend else {
            panic!("cripsa backend expected");
        };
        assert_eq!(
            cs.pool.endpoint().as_str(),
            "https://cognito-idp.eu-west-1.amazonaws.com/"
        );
        assert_eq!(cs.session_ttl.as_secs(), 180);
        assert!(!format!("{cs:?}").contains("upstream-secret"));
    }

    #[test]
    fn bad_values_name_their_key() {
        let mut c = cripsa();
        c.cripsa.mode = "smtp".into();
        c.cripsa.user_pool_id = "eu-west-1_AbC123".into();
        c.cripsa.endpoint = Some("cognito.local".into());
        c.cripsa.issuer = Some("http://idp.example.com/".into());
        c.cripsa.attempts = 0;
        c.cripsa.client_id = "has space".into();
        c.cripsa.client_secret = Some(Secret::new("s"));
        c.cripsa.client_secret_file = Some("/nonexistent".into());
        c.cripsa.session_ttl_secs = 60;
        c.cripsa.timeout_ms = 0;
        let found = problems(&c);
        for key in [
            "cripsa.mode",
            "cripsa.endpoint",
            "cripsa.client_id",
            "cripsa.client_secret",
            "cripsa.session_ttl_secs",
            "cripsa.attempts",
            "cripsa.timeout_ms",
        ] {
            assert!(names(&found, key), "{key}: {found:?}");
        }
        c.cripsa.user_pool_id = "eu-west-1".into();
        assert!(names(&problems(&c), "cripsa.user_pool_id"));
        c.login.backend = "smoke-signals".into();
        assert!(names(&problems(&c), "login.backend"));
    }

    fn http_mode() -> Config {
        let mut c = cripsa();
        c.cripsa.mode = "http".into();
        c.cripsa.user_pool_id = "eu-west-1_AbC123".into();
        c.cripsa.client_id = "1example23456789".into();
        c.cripsa.client_secret = Some(Secret::new("upstream-secret"));
        c.cripsa.http.base_url = "https://api.cripsa.example/prod/".into();
        c
    }

    #[test]
    fn http_mode_resolves_with_the_documented_defaults() {
        let s = resolve(&http_mode(), &Source::Embedded).unwrap();
        let OtpBackendKind::Cripsa(cs) = s.backend else {
            panic!("cripsa backend expected");
        };
        let crate::config::CripsaMode::Http(h) = cs.mode else {
            panic!("http mode expected");
        };
        assert_eq!(h.base_url.as_str(), "https://api.cripsa.example/prod/");
        assert_eq!(h.shape.signin_path, "whatsapp-signin");
        assert_eq!(h.shape.respond_path, "whatsapp-responseToauth");
        assert_eq!(h.shape.request.phone.as_str(), "/AuthParameters/USERNAME");
        assert!(h.auth.is_none());
        // Tokens still come from the pool.
        assert_eq!(
            cs.pool.issuer(),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"
        );
    }

    #[test]
    fn http_mode_without_secret_hash_needs_no_client_secret() {
        let mut c = http_mode();
        c.cripsa.client_secret = None;
        assert!(names(&problems(&c), "cripsa.client_secret"));
        c.cripsa.http.secret_hash = false;
        c.cripsa.http.auth_header = "x-api-key".into();
        c.cripsa.http.auth_value = Some(Secret::new("developer-token"));
        let s = resolve(&c, &Source::Embedded).unwrap();
        let OtpBackendKind::Cripsa(cs) = s.backend else {
            panic!("cripsa backend expected");
        };
        let crate::config::CripsaMode::Http(h) = cs.mode else {
            panic!("http mode expected");
        };
        assert!(h.shape.request.signin_secret_hash.is_none());
        assert_eq!(h.auth.unwrap().name.as_str(), "x-api-key");
    }

    #[test]
    fn every_http_problem_is_reported_at_once() {
        let mut c = http_mode();
        c.cripsa.sign_up_unknown_numbers = true;
        c.cripsa.http.base_url = "https://api.cripsa.example/prod".into();
        c.cripsa.http.signin_path = "/whatsapp-signin".into();
        c.cripsa.http.phone_format = "national".into();
        c.cripsa.http.auth_header = "bad header".into();
        c.cripsa.http.auth_value = Some(Secret::new("x"));
        c.cripsa.http.request.phone = "phone".into();
        c.cripsa.http.answer.id_token = "".into();
        let found = problems(&c);
        for key in [
            "cripsa.sign_up_unknown_numbers",
            "cripsa.http.base_url",
            "cripsa.http.signin_path",
            "cripsa.http.phone_format",
            "cripsa.http.auth_header",
            "cripsa.http.request.phone",
            "cripsa.http.answer.id_token",
        ] {
            assert!(names(&found, key), "{key}: {found:?}");
        }
        let mut c = http_mode();
        c.cripsa.http.request.code = "/ChallengeResponses".into();
        assert!(names(&problems(&c), "cripsa.http.request"));
        let mut c = http_mode();
        c.cripsa.http.auth_value = Some(Secret::new("token"));
        assert!(names(&problems(&c), "cripsa.http.auth_header"));
    }
}
