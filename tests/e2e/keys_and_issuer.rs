//! Signing keys from PEM files, and an issuer that lives under a path.

use crate::support::*;
use openidconnect::TokenResponse;
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
