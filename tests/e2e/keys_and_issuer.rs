//! Signing keys from PEM files, and an issuer that lives under a path.

use crate::support::*;
use openidconnect::{AccessTokenHash, OAuth2TokenResponse, TokenResponse};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use wagate_oidc::{SigningAlg, generate_pem};
use wagate_server::config::KeyConfig;

fn key_file(name: &str, alg: SigningAlg) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{name}-{}.pem", std::process::id()));
    std::fs::write(&path, generate_pem(alg).unwrap()).unwrap();
    path
}

async fn json(url: String) -> Value {
    rp_http()
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_from_pem_files_sign_and_are_shared_by_instances() {
    let rsa = key_file("rs256", SigningAlg::RS256);
    let ec = key_file("es256", SigningAlg::ES256);
    let keys = vec![
        KeyConfig {
            alg: "RS256".into(),
            private_key_file: rsa,
            kid: Some("rsa-2026".into()),
        },
        KeyConfig {
            alg: "ES256".into(),
            private_key_file: ec,
            kid: None,
        },
    ];
    let configure = |c: &mut wagate_server::config::Config| {
        c.keys = keys.clone();
        c.clients.retain(|client| client.client_id != "ed-portal");
    };
    let one = start(configure).await;
    let two = start(configure).await;

    let doc = json(format!("{}/.well-known/openid-configuration", one.issuer)).await;
    assert_eq!(
        doc["id_token_signing_alg_values_supported"],
        serde_json::json!(["RS256", "ES256"])
    );
    let jwks_one = json(format!("{}/jwks.json", one.issuer)).await;
    let jwks_two = json(format!("{}/jwks.json", two.issuer)).await;
    assert_eq!(
        jwks_one, jwks_two,
        "two instances with the same key files publish the same keys"
    );
    let kids: BTreeSet<&str> = jwks_one["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert!(kids.contains("rsa-2026"));
    assert_eq!(kids.len(), 2);

    let portal = rp(&one, "portal", Some(PORTAL_SECRET)).await;
    let (c, pending) = obtain_code(&one, &portal, false).await;
    let tokens = redeem(&portal, &c, None).await;
    let id_token = tokens.id_token().unwrap();
    id_token
        .claims(&portal.id_token_verifier(), &pending.nonce)
        .expect("verifies against the JWKS");
    let header: Value = serde_json::from_slice(
        &base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            id_token.to_string().split('.').next().unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(header["kid"], "rsa-2026");
    assert_eq!(header["typ"], "JWT");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_issuer_with_a_path_serves_everything_under_it() {
    let server = start(|c| c.issuer = format!("{}/auth/", c.issuer)).await;
    assert!(server.issuer.ends_with("/auth"));
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let (c, pending) = obtain_code(&server, &portal, false).await;
    let tokens = redeem(&portal, &c, None).await;
    let claims = tokens
        .id_token()
        .unwrap()
        .claims(&portal.id_token_verifier(), &pending.nonce)
        .unwrap();
    assert_eq!(claims.issuer().as_str(), server.issuer);
    let root = server.issuer.trim_end_matches("/auth");
    let res = rp_http()
        .get(format!("{root}/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

fn header_of(jwt: &str) -> Value {
    serde_json::from_slice(
        &base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            jwt.split('.').next().unwrap(),
        )
        .unwrap(),
    )
    .unwrap()
}

/// `[tokens] access_token_signing_alg`: access tokens change algorithm, ID tokens keep the
/// client's; an algorithm without a key, or no algorithm at all, is refused at start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_access_tokens_algorithm_is_a_setting() {
    let server = start(|c| c.tokens.access_token_signing_alg = "EdDSA".into()).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let (c, pending) = obtain_code(&server, &portal, false).await;
    let tokens = redeem(&portal, &c, None).await;
    let access = tokens.access_token().secret();
    assert_eq!(header_of(access)["alg"], "EdDSA");
    assert_eq!(header_of(access)["typ"], "at+jwt");
    let id_token = tokens.id_token().unwrap();
    assert_eq!(header_of(&id_token.to_string())["alg"], "RS256");
    // The ID token's at_hash still matches the access token (it follows the ID token's alg).
    let verifier = portal.id_token_verifier();
    let claims = id_token.claims(&verifier, &pending.nonce).unwrap();
    let expected = AccessTokenHash::from_token(
        tokens.access_token(),
        id_token.signing_alg().unwrap(),
        id_token.signing_key(&verifier).unwrap(),
    )
    .unwrap();
    assert_eq!(claims.access_token_hash(), Some(&expected));
    // The key is published, and the token works where access tokens are used.
    let jwks = json(format!("{}/jwks.json", server.issuer)).await;
    let kid = header_of(access)["kid"].clone();
    assert!(
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["kid"] == kid)
    );
    assert_eq!(userinfo_status(&server, access).await, 200);
    assert_eq!(userinfo_status(&server, access).await, 200, "and again");

    let refused = |alg: &str, keys: Vec<KeyConfig>| {
        let mut config = wagate_server::config::Config::default();
        config.tokens.access_token_signing_alg = alg.into();
        config.keys = keys;
        wagate_server::config::resolve(&config, &wagate_server::config::Source::File("x".into()))
            .err()
            .unwrap_or_default()
    };
    let rsa_only = vec![KeyConfig {
        alg: "RS256".into(),
        private_key_file: key_file("rs256-only", SigningAlg::RS256),
        kid: None,
    }];
    let problems = refused("ES256", rsa_only.clone());
    assert!(
        problems
            .iter()
            .any(|p| p == "tokens.access_token_signing_alg: no ES256 key is configured"),
        "{problems:?}"
    );
    let problems = refused("HS256", rsa_only.clone());
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("tokens.access_token_signing_alg: \"HS256\"")),
        "{problems:?}"
    );
    let problems = refused("RS256", rsa_only);
    assert!(
        !problems
            .iter()
            .any(|p| p.contains("access_token_signing_alg")),
        "RS256 with an RS256 key is fine: {problems:?}"
    );
}
