//! Validation: every section of a configuration in turn, every problem at once, then the
//! runtime settings. Each section's rules live in its own module.

use super::file::LogFormat;
use super::problems::Problems;
use super::{Config, Settings, Source};
use std::path::Path;

pub fn resolve(config: &Config, source: &Source) -> Result<Settings, Vec<String>> {
    let mut p = Problems::default();
    let listeners = super::http::resolve(config, &mut p);
    let storage = super::storage::resolve(&config.storage, &mut p);
    let login = super::login::resolve(config, &mut p);
    let delivery = super::delivery::resolve(&config.delivery, &mut p);
    let lifetimes = super::lifetimes::resolve(config, &mut p);
    let keys = super::keys::resolve(config, &mut p);
    let issuer = config.issuer.trim_end_matches('/');
    let clients = super::clients::resolve(config, issuer, &keys.available, &mut p);
    let totp = super::totp::resolve(config, &mut p);
    let texts = super::i18n::resolve(&config.i18n, &mut p);
    let branding = super::branding::resolve(config, &mut p);
    let fraud = super::fraud::resolve(config, &mut p);
    let prices = super::costs::resolve(config, &mut p);
    let events = super::events::resolve(config, &mut p);
    let telemetry = super::telemetry::resolve(config, &mut p);
    p.check(
        config.totp.enabled || !config.clients.iter().any(|c| c.require_mfa),
        "clients: require_mfa needs authenticator apps (totp.enabled = true)",
    );
    if tracing_subscriber::EnvFilter::try_new(&config.log.level).is_err() {
        p.add(format!(
            "log.level: {:?} is not a log filter (e.g. \"info\" or \"wagate=debug,info\")",
            config.log.level
        ));
    }
    let log_format = config
        .log
        .format
        .resolve("log.format", "text, json", &mut p);
    let warnings = p.finish()?;
    let parts = (listeners, storage, login, delivery, log_format, texts);
    let (Some(web), Some(storage), Some(login), Some(delivery), Some(log_format), Some(texts)) =
        parts
    else {
        // Every section that gave nothing has reported why; this is a safety net.
        return Err(vec!["configuration: a section could not be read".into()]);
    };
    Ok(Settings {
        issuer: web.issuer,
        base_path: web.base_path,
        secure_cookies: web.secure_cookies,
        listen: web.listen,
        workers: config.http.workers,
        max_body_bytes: config.http.max_body_bytes,
        body_timeout: web.body_timeout,
        hsts_max_age: web.hsts_max_age,
        trusted_proxies: web.trusted_proxies,
        rfc7239: web.rfc7239,
        ops_listen: web.ops_listen,
        storage,
        login: login.policy,
        phones: login.phones,
        code_length: login.code_length,
        code_ttl: login.code_ttl,
        delivery,
        backend: login.backend,
        lifetimes,
        keys: keys.files,
        access_token_alg: keys.access_token_alg,
        key_encryption_key: keys.key_encryption_key,
        clients,
        totp,
        texts,
        branding,
        fraud,
        prices,
        events,
        fresh_auth: std::time::Duration::from_secs(config.totp.fresh_auth_secs),
        demo: config.demo.enabled,
        log_format_json: log_format == LogFormat::Json,
        log_level: config.log.level.clone(),
        telemetry,
        watch_config: config.reload.watch,
        embedded: *source == Source::Embedded,
        warnings,
    })
}

/// Loads and resolves in one go, as `serve` and `check-config` do.
pub fn load_settings(path: Option<&Path>) -> Result<Settings, Vec<String>> {
    let loaded = super::load(path)?;
    match resolve(&loaded.config, &loaded.source) {
        Ok(settings) if loaded.problems.is_empty() => Ok(settings),
        Ok(_) => Err(loaded.problems),
        Err(problems) => Err(loaded.problems.into_iter().chain(problems).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{DEMO_CLIENT_ID, Delivery};
    use super::*;
    use wagate_storage::Secret;

    #[test]
    fn embedded_defaults_resolve_with_the_demo_client() {
        let s = resolve(&Config::embedded(), &Source::Embedded).unwrap();
        assert!(s.demo && s.embedded);
        assert_eq!(s.issuer, "http://127.0.0.1:8080");
        assert!(
            s.clients
                .iter()
                .any(|c| c.id == DEMO_CLIENT_ID && c.is_public())
        );
        assert!(matches!(s.delivery.channel, Delivery::Log));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut c = Config {
            issuer: "not a url".into(),
            ..Config::default()
        };
        c.http.listen = "nowhere".into();
        c.delivery.channel = "webhook".into();
        c.login.code_length = 4;
        c.clients.push(super::super::ClientConfig {
            client_id: "portal".into(),
            client_secret: Some(Secret::new("short")),
            redirect_uris: vec!["/cb".into()],
            ..Default::default()
        });
        let problems = resolve(&c, &Source::File("x".into())).unwrap_err();
        let text = problems.join("\n");
        for needle in [
            "issuer",
            "http.listen",
            "webhook_url",
            "webhook_secret",
            "code_length",
            "\"/cb\" is not an absolute URI",
            "at least 32 characters",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
        }
    }

    fn portal() -> super::super::ClientConfig {
        super::super::ClientConfig {
            client_id: "portal".into(),
            redirect_uris: vec!["https://rp.example/cb".into()],
            ..Default::default()
        }
    }

    #[test]
    fn authenticators_need_a_key_outside_the_demo() {
        let file = Source::File("x".into());
        // The demo on memory makes a throwaway key.
        assert!(
            resolve(&Config::embedded(), &Source::Embedded)
                .unwrap()
                .totp
                .is_some()
        );

        let mut c = Config::default();
        c.clients.push(portal());
        let text = resolve(&c, &file).unwrap_err().join("\n");
        assert!(text.contains("totp.encryption_key: required"), "{text}");

        c.totp.encryption_key = Some(Secret::new("too short"));
        let text = resolve(&c, &file).unwrap_err().join("\n");
        assert!(text.contains("at least 32 characters"), "{text}");

        c.totp.encryption_key = Some(Secret::new("k".repeat(32)));
        let s = resolve(&c, &file).unwrap();
        assert_eq!(s.totp.unwrap().settings.issuer, "wagate");

        // Switched off: no key needed, but then no client may require MFA.
        c.totp = super::super::TotpConfig {
            enabled: false,
            ..Default::default()
        };
        assert!(resolve(&c, &file).unwrap().totp.is_none());
        c.clients[0].require_mfa = true;
        let text = resolve(&c, &file).unwrap_err().join("\n");
        assert!(
            text.contains("require_mfa needs authenticator apps"),
            "{text}"
        );
    }

    #[test]
    fn the_account_flow_id_is_not_a_client_id() {
        let mut c = Config::embedded();
        c.clients.push(super::super::ClientConfig {
            client_id: wagate_core::ACCOUNT_CLIENT_ID.into(),
            ..portal()
        });
        let text = resolve(&c, &Source::Embedded).unwrap_err().join("\n");
        assert!(text.contains("reserved for the account page"), "{text}");
    }
}
