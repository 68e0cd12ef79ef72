//! Validation: every problem of a configuration, at once, then the runtime settings.

use super::settings::DEMO_CLIENT_ID;
use super::{Config, Delivery, OtpBackendKind, Settings, Source, StorageKind};
use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use url::Url;
use wagate_core::{LoginPolicy, PhonePolicy, is_loopback, outbound_url};
use wagate_oidc::{Client, GrantType, Lifetimes, SigningAlg, SigningKey};
use wagate_storage::{RedisConfig, RedisTopology, Secret};

/// Collects problems (and warnings) while reading a configuration.
#[derive(Default)]
pub(super) struct Problems(Vec<String>, Vec<String>);

impl Problems {
    pub(super) fn add(&mut self, p: impl Into<String>) {
        self.0.push(p.into());
    }

    /// Something that works but should not be left so.
    pub(super) fn warn(&mut self, w: impl Into<String>) {
        self.1.push(w.into());
    }

    pub(super) fn check(&mut self, ok: bool, p: impl Into<String>) {
        if !ok {
            self.add(p);
        }
    }
}

/// A redirect URI we are willing to send codes to (RFC 9700 §2.6): absolute, no fragment,
/// https, or http on loopback, or a private-use scheme of a native app ("com.example.app:/cb").
fn check_redirect_uri(uri: &str) -> Result<(), &'static str> {
    // The URL parser drops whitespace silently; the registered string must be clean itself,
    // since it is compared and sent back exactly as written.
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces or control characters");
    }
    let url = Url::parse(uri).map_err(|_| "is not an absolute URI")?;
    if url.fragment().is_some() {
        return Err("must not have a fragment");
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        "http" => Err("must use https (plain http only for loopback addresses)"),
        s if s.contains('.') => Ok(()),
        _ => Err("must use https, loopback http, or a reverse-domain private-use scheme"),
    }
}

/// A web origin as browsers send it in `Origin`: `https://host[:port]`, or http on loopback.
fn check_origin(origin: &str) -> Result<(), &'static str> {
    let url = outbound_url(origin)
        .map_err(|_| "must be https://host[:port] (plain http only for loopback addresses)")?;
    if url.origin().ascii_serialization() != origin {
        return Err("must be an origin only: scheme, host and port, no path or trailing /");
    }
    Ok(())
}

/// A secret or key file that other users of the host can read.
pub(super) fn warn_if_shared(problems: &mut Problems, what: &str, path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            problems.warn(format!(
                "{what}: {} can be read by other users (mode {mode:04o}); make it readable by wagate's user alone (chmod 600)",
                path.display()
            ));
        }
    }
}

pub(super) fn read_secret(
    problems: &mut Problems,
    what: &str,
    inline: &Option<Secret>,
    file: &Option<std::path::PathBuf>,
) -> Option<Secret> {
    match (inline, file) {
        (Some(_), Some(_)) => {
            problems.add(format!("{what}: set the secret or its _file, not both"));
            None
        }
        (Some(s), None) => Some(s.clone()),
        (None, Some(path)) => match std::fs::read_to_string(path) {
            // Files written by editors and secret managers often end in a newline.
            Ok(s) => {
                warn_if_shared(problems, what, path);
                Some(Secret::new(s.trim_end_matches(['\r', '\n'])))
            }
            Err(e) => {
                problems.add(format!("{what}: cannot read {}: {e}", path.display()));
                None
            }
        },
        (None, None) => None,
    }
}

fn addr(problems: &mut Problems, key: &str, value: &str) -> Option<SocketAddr> {
    match value.parse::<SocketAddr>() {
        Ok(a) => Some(a),
        Err(_) => {
            problems.add(format!(
                "{key}: {value:?} is not an address like 127.0.0.1:8080"
            ));
            None
        }
    }
}

fn secs(v: u64) -> Duration {
    Duration::from_secs(v)
}

pub fn resolve(config: &Config, source: &Source) -> Result<Settings, Vec<String>> {
    let mut p = Problems::default();

    // issuer
    let issuer = config.issuer.trim_end_matches('/').to_owned();
    let issuer_url = match Url::parse(&issuer) {
        Ok(u) => {
            p.check(
                u.scheme() == "https" || (u.scheme() == "http" && is_loopback(&u)),
                "issuer: must use https (plain http only for loopback addresses)",
            );
            p.check(
                u.query().is_none() && u.fragment().is_none(),
                "issuer: must not have a query or fragment",
            );
            Some(u)
        }
        Err(_) => {
            p.add(format!(
                "issuer: {:?} is not an absolute URL",
                config.issuer
            ));
            None
        }
    };
    let base_path = issuer_url
        .as_ref()
        .map(|u| u.path().trim_end_matches('/').to_owned())
        .unwrap_or_default();
    let secure_cookies = issuer_url.as_ref().is_some_and(|u| u.scheme() == "https");

    let listen = addr(&mut p, "http.listen", &config.http.listen);
    let ops_listen = addr(&mut p, "ops.listen", &config.ops.listen);
    p.check(
        (1024..=1024 * 1024).contains(&config.http.max_body_bytes),
        "http.max_body_bytes: must be between 1024 and 1048576",
    );
    p.check(
        (1..=300).contains(&config.http.body_timeout_secs),
        "http.body_timeout_secs: must be between 1 and 300",
    );
    p.check(
        config.http.hsts_max_age_secs <= 2 * 31_536_000,
        "http.hsts_max_age_secs: must be at most 63072000 (two years); 0 sends no HSTS",
    );
    let hsts_max_age = (secure_cookies && config.http.hsts_max_age_secs > 0)
        .then(|| secs(config.http.hsts_max_age_secs));

    let mut trusted_proxies = Vec::new();
    for cidr in &config.http.trusted_proxies {
        // A bare address means just that host.
        match cidr
            .parse::<ipnet::IpNet>()
            .or_else(|_| cidr.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        {
            Ok(net) => trusted_proxies.push(net),
            Err(_) => p.add(format!(
                "http.trusted_proxies: {cidr:?} is not an address or CIDR like 10.0.0.0/8"
            )),
        }
    }

    let rfc7239 = match config.http.forwarded_header.as_str() {
        "x-forwarded" => false,
        "forwarded" => true,
        other => {
            p.add(format!(
                "http.forwarded_header: {other:?} is not x-forwarded or forwarded"
            ));
            false
        }
    };
    let st = &config.storage;
    p.check(
        !st.key_prefix.contains(['{', '}']),
        "storage.key_prefix: must not contain { or } (they would change Redis Cluster hash tags)",
    );
    p.check(
        (10..=60_000).contains(&st.timeout_ms),
        "storage.timeout_ms: must be between 10 and 60000",
    );
    let storage = match st.backend.as_str() {
        "memory" => Some(StorageKind::Memory),
        "redis" => {
            // A fragment (`#insecure`: TLS without certificate checks) is not supported.
            let url_ok = |u: &str| {
                Url::parse(u).is_ok_and(|u| {
                    matches!(u.scheme(), "redis" | "rediss") && u.fragment().is_none()
                })
            };
            let given = [
                st.url.is_some(),
                !st.cluster_nodes.is_empty(),
                !st.sentinel_nodes.is_empty(),
            ];
            let all_ok = st
                .url
                .iter()
                .chain(&st.cluster_nodes)
                .chain(&st.sentinel_nodes)
                .all(|u| url_ok(u));
            let topology = match given {
                _ if !all_ok => {
                    p.add("storage.url / cluster_nodes / sentinel_nodes: must be redis:// or rediss:// URLs, without a fragment (#insecure is not supported)");
                    None
                }
                [true, false, false] => st.url.clone().map(RedisTopology::Standalone),
                [false, true, false] => Some(RedisTopology::Cluster(st.cluster_nodes.clone())),
                [false, false, true] => match &st.sentinel_master {
                    Some(master) => Some(RedisTopology::Sentinel {
                        nodes: st.sentinel_nodes.clone(),
                        master: master.clone(),
                    }),
                    None => {
                        p.add("storage.sentinel_master: required with sentinel_nodes");
                        None
                    }
                },
                [false, false, false] => {
                    p.add("storage.url: required for the redis backend (or cluster_nodes, or sentinel_nodes)");
                    None
                }
                _ => {
                    p.add("storage: give one of url, cluster_nodes and sentinel_nodes");
                    None
                }
            };
            // What the client library cannot carry through yet is refused, not ignored.
            if st.tls_ca_file.is_some() && st.url.is_none() {
                p.add("storage.tls_ca_file: only for a standalone url (not cluster_nodes or sentinel_nodes)");
            }
            for node in &st.sentinel_nodes {
                match Url::parse(node) {
                    Ok(u) if u.scheme() == "rediss" => p.add(format!(
                        "storage.sentinel_nodes: {node:?}: TLS with Sentinel is not supported"
                    )),
                    Ok(u) if u.password().is_some() || !u.username().is_empty() => p.add(format!(
                        "storage.sentinel_nodes: credentials with Sentinel are not supported ({})",
                        u.host_str().unwrap_or_default()
                    )),
                    _ => {}
                }
            }
            let tls_ca_pem = match &st.tls_ca_file {
                None => None,
                Some(path) => match std::fs::read(path) {
                    Ok(pem) => Some(pem),
                    Err(e) => {
                        p.add(format!(
                            "storage.tls_ca_file: cannot read {}: {e}",
                            path.display()
                        ));
                        None
                    }
                },
            };
            topology.map(|topology| {
                StorageKind::Redis(RedisConfig {
                    topology,
                    key_prefix: st.key_prefix.clone(),
                    timeout: Duration::from_millis(st.timeout_ms),
                    tls_ca_pem,
                })
            })
        }
        other => {
            p.add(format!(
                "storage.backend: unknown backend {other:?} (memory)"
            ));
            None
        }
    };

    // login
    let l = &config.login;
    let backend = match l.backend.as_str() {
        "local" => Some(OtpBackendKind::Local),
        "cripsa" => super::cripsa::resolve(&mut p, &config.cripsa)
            .map(|c| OtpBackendKind::Cripsa(Box::new(c))),
        other => {
            p.add(format!(
                "login.backend: unknown backend {other:?} (local, cripsa)"
            ));
            None
        }
    };
    p.check(
        wagate_core::CODE_LENGTHS.contains(&l.code_length),
        format!(
            "login.code_length: must be between {} and {}",
            wagate_core::CODE_LENGTHS.start(),
            wagate_core::CODE_LENGTHS.end()
        ),
    );
    p.check(
        (30..=600).contains(&l.code_ttl_secs),
        "login.code_ttl_secs: must be between 30 and 600 (codes live at most 10 minutes)",
    );
    p.check(
        (1..=20).contains(&l.max_attempts),
        "login.max_attempts: must be between 1 and 20",
    );
    p.check(
        l.resend_cooldown_secs >= 6,
        "login.resend_cooldown_secs: must be at least 6 (WhatsApp's per-recipient pacing)",
    );
    p.check(
        l.flow_ttl_secs >= l.code_ttl_secs && l.flow_ttl_secs <= 3600,
        "login.flow_ttl_secs: must be at least code_ttl_secs and at most 3600",
    );
    p.check(
        l.max_sends_per_flow >= 1,
        "login.max_sends_per_flow: must be at least 1",
    );
    p.check(
        l.sends_per_number_per_hour >= 1
            && l.sends_per_ip_per_hour >= 1
            && l.flows_per_ip_per_minute >= 1,
        "login.sends_per_number_per_hour, sends_per_ip_per_hour and flows_per_ip_per_minute: must be at least 1",
    );
    let phones = PhonePolicy::new(l.default_region.as_deref(), &l.allowed_countries)
        .map_err(|e| p.add(format!("login: {e}")))
        .ok();

    // delivery
    let d = &config.delivery;
    let delivery = match d.channel.as_str() {
        "log" => Some(Delivery::Log),
        "webhook" => {
            let url = match d.webhook_url.as_deref().map(outbound_url) {
                Some(Ok(u)) => Some(u.to_string()),
                Some(Err(why)) => {
                    p.add(format!("delivery.webhook_url: {why}"));
                    None
                }
                None => {
                    p.add("delivery.webhook_url: required for the webhook channel");
                    None
                }
            };
            let secret = read_secret(
                &mut p,
                "delivery.webhook_secret",
                &d.webhook_secret,
                &d.webhook_secret_file,
            );
            match &secret {
                None => p.add(
                    "delivery.webhook_secret: required for the webhook channel (or webhook_secret_file)",
                ),
                Some(s) if s.expose().chars().count() < 16 => {
                    p.add("delivery.webhook_secret: must be at least 16 characters")
                }
                Some(_) => {}
            }
            p.check(
                (1..=60).contains(&d.webhook_timeout_secs),
                "delivery.webhook_timeout_secs: must be between 1 and 60",
            );
            match (url, secret) {
                (Some(url), Some(secret)) => Some(Delivery::Webhook {
                    url,
                    secret,
                    timeout: secs(d.webhook_timeout_secs),
                }),
                _ => None,
            }
        }
        other => {
            p.add(format!(
                "delivery.channel: unknown channel {other:?} (log, webhook)"
            ));
            None
        }
    };

    // tokens
    let t = &config.tokens;
    p.check(
        (10..=600).contains(&t.authorization_code_ttl_secs),
        "tokens.authorization_code_ttl_secs: must be between 10 and 600",
    );
    p.check(
        (60..=86_400).contains(&t.access_token_ttl_secs),
        "tokens.access_token_ttl_secs: must be between 60 and 86400",
    );
    p.check(
        (60..=86_400).contains(&t.id_token_ttl_secs),
        "tokens.id_token_ttl_secs: must be between 60 and 86400",
    );
    p.check(
        t.refresh_token_idle_ttl_secs >= 60
            && t.refresh_token_idle_ttl_secs <= t.refresh_token_absolute_ttl_secs
            && t.refresh_token_absolute_ttl_secs <= 400 * 86_400,
        "tokens.refresh_token_idle_ttl_secs: must be at least 60 and at most refresh_token_absolute_ttl_secs (at most 400 days)",
    );
    let sess = &config.sessions;
    p.check(
        sess.idle_ttl_secs >= 60
            && sess.idle_ttl_secs <= sess.absolute_ttl_secs
            && sess.absolute_ttl_secs <= 400 * 86_400,
        "sessions.idle_ttl_secs: must be at least 60 and at most absolute_ttl_secs (at most 400 days)",
    );

    // keys
    let mut keys = Vec::new();
    for (i, k) in config.keys.iter().enumerate() {
        let what = format!("keys[{i}]");
        let Ok(alg) = k.alg.parse::<SigningAlg>() else {
            p.add(format!(
                "{what}.alg: {:?} is not RS256, ES256 or EdDSA",
                k.alg
            ));
            continue;
        };
        match std::fs::read(&k.private_key_file) {
            Ok(pem) => {
                warn_if_shared(
                    &mut p,
                    &format!("{what}.private_key_file"),
                    &k.private_key_file,
                );
                match SigningKey::from_pem(alg, &pem, k.kid.clone()) {
                    Ok(key) => keys.push(key),
                    Err(e) => p.add(format!("{what}: {}: {e}", k.private_key_file.display())),
                }
            }
            Err(e) => p.add(format!(
                "{what}.private_key_file: cannot read {}: {e}",
                k.private_key_file.display()
            )),
        }
    }
    let kek = read_secret(
        &mut p,
        "signing.key_encryption_key",
        &config.signing.key_encryption_key,
        &config.signing.key_encryption_key_file,
    );
    if let Some(k) = &kek {
        p.check(
            k.expose().chars().count() >= wagate_oidc::shared_keys::MIN_KEK_LEN,
            "signing.key_encryption_key: must be at least 32 characters",
        );
    }
    p.check(
        !(config.storage.backend == "redis" && kek.is_none()),
        "signing.key_encryption_key: required with Redis storage (instances share refresh-token keys, and generated signing keys, through it)",
    );
    let mut kids = HashSet::new();
    for k in &keys {
        p.check(
            kids.insert(k.kid().to_owned()),
            format!("keys: kid {:?} is used twice", k.kid()),
        );
    }
    let available: Vec<SigningAlg> = if config.keys.is_empty() {
        SigningAlg::ALL.to_vec()
    } else {
        config
            .keys
            .iter()
            .filter_map(|k| k.alg.parse().ok())
            .collect()
    };
    p.check(
        available.contains(&SigningAlg::RS256),
        "keys: an RS256 key is required (OpenID Connect requires RS256 support)",
    );

    // clients
    let mut clients = Vec::new();
    let mut ids = HashSet::new();
    let mut client_configs = config.clients.clone();
    if config.demo.enabled && !client_configs.iter().any(|c| c.client_id == DEMO_CLIENT_ID) {
        client_configs.push(super::ClientConfig {
            client_id: DEMO_CLIENT_ID.into(),
            name: Some("wagate demo portal".into()),
            redirect_uris: vec![
                format!("{issuer}/demo/callback"),
                "http://127.0.0.1:3000/callback".into(),
            ],
            post_logout_redirect_uris: vec![format!("{issuer}/")],
            ..Default::default()
        });
    }
    for (i, c) in client_configs.iter().enumerate() {
        let what = if c.client_id.is_empty() {
            format!("clients[{i}]")
        } else {
            format!("clients[{i}] ({})", c.client_id)
        };
        p.check(
            !c.client_id.is_empty(),
            format!("{what}.client_id: required"),
        );
        p.check(
            c.client_id != crate::http::ACCOUNT_FLOW,
            format!(
                "{what}.client_id: {:?} is reserved for the account page",
                c.client_id
            ),
        );
        p.check(
            c.client_id.len() <= 255 && !c.client_id.chars().any(char::is_control),
            format!("{what}.client_id: at most 255 printable characters"),
        );
        p.check(
            ids.insert(c.client_id.clone()),
            format!("{what}.client_id: registered twice"),
        );
        p.check(
            !c.redirect_uris.is_empty(),
            format!("{what}.redirect_uris: at least one is required"),
        );
        for uri in c.redirect_uris.iter().chain(&c.post_logout_redirect_uris) {
            if let Err(why) = check_redirect_uri(uri) {
                p.add(format!("{what}: redirect URI {uri:?} {why}"));
            }
        }
        if let Some(uri) = &c.backchannel_logout_uri
            && let Err(why) = outbound_url(uri)
        {
            // Called by wagate itself, with a signed logout token.
            p.add(format!("{what}.backchannel_logout_uri: {uri:?} {why}"));
        }
        for origin in &c.allowed_origins {
            if let Err(why) = check_origin(origin) {
                p.add(format!("{what}.allowed_origins: {origin:?} {why}"));
            }
        }
        let grants: Vec<GrantType> = match &c.grant_types {
            None => GrantType::ALL.to_vec(),
            Some(names) => names
                .iter()
                .filter_map(|g| {
                    g.parse()
                        .map_err(|_| {
                            let known = GrantType::ALL.map(GrantType::as_str).join(", ");
                            p.add(format!(
                                "{what}.grant_types: unknown grant type {g:?} ({known})"
                            ))
                        })
                        .ok()
                })
                .collect(),
        };
        p.check(
            grants.contains(&GrantType::AuthorizationCode),
            format!("{what}.grant_types: authorization_code is required"),
        );
        let secret = read_secret(
            &mut p,
            &format!("{what}.client_secret"),
            &c.client_secret,
            &c.client_secret_file,
        );
        let alg = match c.id_token_signed_response_alg.as_deref() {
            None => Some(SigningAlg::RS256),
            Some(a) => match a.parse::<SigningAlg>() {
                Ok(alg) if available.contains(&alg) => Some(alg),
                Ok(_) => {
                    p.add(format!(
                        "{what}.id_token_signed_response_alg: no {a} key is configured"
                    ));
                    None
                }
                Err(_) => {
                    p.add(format!(
                        "{what}.id_token_signed_response_alg: {a:?} is not RS256, ES256 or EdDSA"
                    ));
                    None
                }
            },
        };
        let name = c.name.clone().unwrap_or_else(|| c.client_id.clone());
        match Client::new(
            c.client_id.clone(),
            name,
            secret.as_ref().map(Secret::expose),
            c.redirect_uris.clone(),
        ) {
            Ok(mut client) => {
                client.post_logout_redirect_uris = c.post_logout_redirect_uris.clone();
                client.grants = grants;
                client.backchannel_logout_uri = c.backchannel_logout_uri.clone();
                client.require_mfa = c.require_mfa;
                client.allowed_origins = c.allowed_origins.clone();
                if let Some(alg) = alg {
                    client.id_token_alg = alg;
                }
                clients.push(client);
            }
            Err(e) => p.add(format!("{what}.client_secret: {e}")),
        }
    }

    let totp = super::totp::resolve(config, &mut p);
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
    let log_format_json = match config.log.format.as_str() {
        "text" => false,
        "json" => true,
        other => {
            p.add(format!("log.format: {other:?} is not text or json"));
            false
        }
    };

    match (
        p.0.is_empty(),
        listen,
        ops_listen,
        storage,
        phones,
        delivery,
        backend,
    ) {
        (
            true,
            Some(listen),
            Some(ops_listen),
            Some(storage),
            Some(phones),
            Some(delivery),
            Some(backend),
        ) => Ok(Settings {
            issuer,
            base_path,
            secure_cookies,
            listen,
            workers: config.http.workers,
            max_body_bytes: config.http.max_body_bytes,
            body_timeout: secs(config.http.body_timeout_secs),
            hsts_max_age,
            trusted_proxies,
            rfc7239,
            ops_listen,
            storage,
            login: LoginPolicy {
                flow_ttl: secs(l.flow_ttl_secs),
                max_attempts: l.max_attempts,
                resend_cooldown: secs(l.resend_cooldown_secs),
                max_sends_per_flow: l.max_sends_per_flow,
                sends_per_number_per_hour: l.sends_per_number_per_hour,
                sends_per_ip_per_hour: l.sends_per_ip_per_hour,
                flows_per_ip_per_minute: l.flows_per_ip_per_minute,
                totp_failures_per_number_per_hour: config.totp.failures_per_number_per_hour,
            },
            phones,
            code_length: l.code_length,
            code_ttl: secs(l.code_ttl_secs),
            delivery,
            backend,
            lifetimes: Lifetimes {
                authorization_code: secs(t.authorization_code_ttl_secs),
                access_token: secs(t.access_token_ttl_secs),
                id_token: secs(t.id_token_ttl_secs),
                refresh_token_idle: secs(t.refresh_token_idle_ttl_secs),
                refresh_token_absolute: secs(t.refresh_token_absolute_ttl_secs),
                session_idle: secs(sess.idle_ttl_secs),
                session_absolute: secs(sess.absolute_ttl_secs),
            },
            keys,
            key_encryption_key: kek,
            clients,
            totp,
            demo: config.demo.enabled,
            log_format_json,
            log_level: config.log.level.clone(),
            embedded: *source == Source::Embedded,
            warnings: p.1,
        }),
        _ => Err(p.0),
    }
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
    use super::*;

    #[test]
    fn redirect_uri_rules() {
        assert!(check_redirect_uri("https://rp.example/cb").is_ok());
        assert!(check_redirect_uri("http://127.0.0.1:3000/cb").is_ok());
        assert!(check_redirect_uri("http://localhost/cb").is_ok());
        assert!(check_redirect_uri("com.example.app:/cb").is_ok());
        assert!(check_redirect_uri("/relative").is_err());
        assert!(check_redirect_uri("http://rp.example/cb").is_err());
        assert!(check_redirect_uri("https://rp.example/cb#x").is_err());
        assert!(check_redirect_uri("javascript:alert(1)").is_err());
        assert!(check_redirect_uri("https://rp.example/cb\n").is_err());
        assert!(check_redirect_uri("https://rp.example/c b").is_err());
    }

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
        assert!(matches!(s.delivery, Delivery::Log));
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
            client_id: crate::http::ACCOUNT_FLOW.into(),
            ..portal()
        });
        let text = resolve(&c, &Source::Embedded).unwrap_err().join("\n");
        assert!(text.contains("reserved for the account page"), "{text}");
    }
}
