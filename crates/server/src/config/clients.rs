//! `[[clients]]`: the portals and apps that may use wagate (and the built-in demo's client).

use super::Config;
use super::file::ClientConfig;
use super::keys::usable_alg;
use super::problems::{Problems, read_secret};
use super::settings::DEMO_CLIENT_ID;
use std::collections::HashSet;
use url::Url;
use wagate_core::{is_loopback, outbound_url};
use wagate_oidc::{Client, GrantType, SERVICE_SCOPES, SigningAlg};
use wagate_storage::Secret;

/// Every registered client, and the demo's when the demo is on. `available`: the algorithms
/// there are keys for.
pub(super) fn resolve(
    config: &Config,
    issuer: &str,
    available: &[SigningAlg],
    p: &mut Problems,
) -> Vec<Client> {
    let mut configs = config.clients.clone();
    if config.demo.enabled && !configs.iter().any(|c| c.client_id == DEMO_CLIENT_ID) {
        configs.push(ClientConfig {
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
    let mut ids = HashSet::new();
    let mut clients = Vec::new();
    for (i, c) in configs.iter().enumerate() {
        let what = if c.client_id.is_empty() {
            format!("clients[{i}]")
        } else {
            format!("clients[{i}] ({})", c.client_id)
        };
        p.check(
            ids.insert(c.client_id.clone()),
            format!("{what}.client_id: registered twice"),
        );
        if let Some(client) = client(c, &what, available, p) {
            clients.push(client);
        }
    }
    clients
}

fn client(
    c: &ClientConfig,
    what: &str,
    available: &[SigningAlg],
    p: &mut Problems,
) -> Option<Client> {
    p.check(
        !c.client_id.is_empty(),
        format!("{what}.client_id: required"),
    );
    p.check(
        c.client_id != wagate_core::ACCOUNT_CLIENT_ID,
        format!(
            "{what}.client_id: {:?} is reserved for the account page",
            c.client_id
        ),
    );
    p.check(
        c.client_id.len() <= 255 && !c.client_id.chars().any(char::is_control),
        format!("{what}.client_id: at most 255 printable characters"),
    );
    let grants = grants(c, what, p);
    if grants.contains(&GrantType::AuthorizationCode) {
        addresses(c, what, p);
    }
    service_scopes(c, what, &grants, p);
    let secret = read_secret(
        p,
        &format!("{what}.client_secret"),
        &c.client_secret,
        &c.client_secret_file,
    );
    let alg = id_token_alg(c, what, available, p);
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
            client.scopes = c.scopes.clone();
            if let Some(alg) = alg {
                client.id_token_alg = alg;
            }
            Some(client)
        }
        Err(e) => {
            p.add(format!("{what}.client_secret: {e}"));
            None
        }
    }
}

/// Redirect URIs, the back-channel URI and the web origins.
fn addresses(c: &ClientConfig, what: &str, p: &mut Problems) {
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
}

/// A machine client: confidential, with the scopes it may ask for; other clients have none.
fn service_scopes(c: &ClientConfig, what: &str, grants: &[GrantType], p: &mut Problems) {
    if !grants.contains(&GrantType::ClientCredentials) {
        p.check(
            c.scopes.is_empty(),
            format!("{what}.scopes: only for clients with the client_credentials grant"),
        );
        return;
    }
    p.check(
        c.client_secret.is_some() || c.client_secret_file.is_some(),
        format!("{what}: client_credentials needs a client_secret"),
    );
    p.check(
        !c.scopes.is_empty(),
        format!(
            "{what}.scopes: name what the client may ask for ({})",
            SERVICE_SCOPES.join(", ")
        ),
    );
    for scope in &c.scopes {
        p.check(
            SERVICE_SCOPES.contains(&scope.as_str()),
            format!(
                "{what}.scopes: {scope:?} is not one of {}",
                SERVICE_SCOPES.join(", ")
            ),
        );
    }
}

/// `authorization_code` for portals (and `refresh_token` unless left out); a machine client
/// may have `client_credentials` alone.
fn grants(c: &ClientConfig, what: &str, p: &mut Problems) -> Vec<GrantType> {
    let grants: Vec<GrantType> = match &c.grant_types {
        None => GrantType::DEFAULT.to_vec(),
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
        grants.contains(&GrantType::AuthorizationCode)
            || grants == [GrantType::ClientCredentials],
        format!(
            "{what}.grant_types: authorization_code is required (or client_credentials alone, for a machine client)"
        ),
    );
    grants
}

fn id_token_alg(
    c: &ClientConfig,
    what: &str,
    available: &[SigningAlg],
    p: &mut Problems,
) -> Option<SigningAlg> {
    match c.id_token_signed_response_alg.as_deref() {
        None => Some(SigningAlg::RS256),
        Some(a) => usable_alg(
            a,
            &format!("{what}.id_token_signed_response_alg"),
            available,
            p,
        ),
    }
}

/// A redirect URI we are willing to send codes to (RFC 9700 §2.6): absolute, no fragment,
/// https, or http on loopback, or a private-use scheme of a native app ("com.example.app:/cb").
pub(super) fn check_redirect_uri(uri: &str) -> Result<(), &'static str> {
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
}
