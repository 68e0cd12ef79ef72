//! The `[cripsa]` section, read only when `login.backend = "cripsa"`.

use super::CripsaSettings;
use super::file::CripsaConfig;
use super::resolve::{Problems, read_secret};
use std::time::Duration;
use wagate_cripsa::UserPool;

pub(super) fn resolve(p: &mut Problems, c: &CripsaConfig) -> Option<CripsaSettings> {
    match c.mode.as_str() {
        "cognito" => {}
        // Cripsa's own whatsapp-signin operations: their wire format is configuration still
        // to come (issue 5), so refuse rather than guess.
        "http" => p.add("cripsa.mode: \"http\" is not available yet; use \"cognito\""),
        other => p.add(format!("cripsa.mode: unknown mode {other:?} (cognito)")),
    }
    let pool = if c.user_pool_id.is_empty() {
        p.add("cripsa.user_pool_id: required (the UserPoolId from the Cripsa dashboard)");
        None
    } else {
        UserPool::new(&c.user_pool_id, c.endpoint.as_deref())
            .map_err(|e| {
                let key = match e {
                    wagate_cripsa::PoolError::BadPoolId(_) => "cripsa.user_pool_id",
                    wagate_cripsa::PoolError::BadEndpoint(_) => "cripsa.endpoint",
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
    );
    if secret.as_ref().is_none_or(|s| s.expose().is_empty()) {
        p.add("cripsa.client_secret: required (or client_secret_file, or WAGATE__CRIPSA__CLIENT_SECRET)");
    }
    p.check(
        (180..=900).contains(&c.session_ttl_secs),
        "cripsa.session_ttl_secs: must be between 180 and 900 (Cognito's AuthSessionValidity, 3 to 15 minutes)",
    );
    p.check(
        (100..=30_000).contains(&c.timeout_ms),
        "cripsa.timeout_ms: must be between 100 and 30000",
    );
    Some(CripsaSettings {
        pool: pool?,
        client_id: c.client_id.clone(),
        client_secret: secret?,
        session_ttl: Duration::from_secs(c.session_ttl_secs),
        timeout: Duration::from_millis(c.timeout_ms),
    })
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
        c.cripsa.mode = "http".into();
        c.cripsa.user_pool_id = "eu-west-1_AbC123".into();
        c.cripsa.endpoint = Some("cognito.local".into());
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
            "cripsa.timeout_ms",
        ] {
            assert!(names(&found, key), "{key}: {found:?}");
        }
        c.cripsa.user_pool_id = "eu-west-1".into();
        assert!(names(&problems(&c), "cripsa.user_pool_id"));
        c.login.backend = "smoke-signals".into();
        assert!(names(&problems(&c), "login.backend"));
    }
}
