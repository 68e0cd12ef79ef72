//! The whole login, as a portal sees it through the `openidconnect` crate.

use crate::support::*;
use openidconnect::core::{CoreJwsSigningAlgorithm, CoreUserInfoClaims};
use openidconnect::{AccessTokenHash, AuthType, OAuth2TokenResponse, TokenResponse};
use std::time::{SystemTime, UNIX_EPOCH};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confidential_client_logs_in_with_a_whatsapp_code() {
    let server = default_server().await;
    let rp = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let pending = authorize_url(&rp, false, &[]);
    let phone = fresh_phone();
    let before = now();
    let back = login_json(&server, &browser(), &pending.url, &phone).await;

    assert!(back.as_str().starts_with(CALLBACK));
    assert_eq!(query(&back, "state").unwrap(), *pending.state.secret());
    assert_eq!(query(&back, "iss").unwrap(), server.issuer);
    let http = rp_http();
    let tokens = redeem(&rp, &query(&back, "code").unwrap(), None).await;
    assert_eq!(tokens.token_type().as_ref(), "bearer");

    let id_token = tokens.id_token().expect("an ID token");
    let verifier = rp.id_token_verifier();
    let claims = id_token
        .claims(&verifier, &pending.nonce)
        .expect("ID token verifies");
    assert_eq!(claims.issuer().as_str(), server.issuer);
    assert_eq!(claims.audiences()[0].as_str(), "portal");
    assert_eq!(claims.authorized_party().unwrap().as_str(), "portal");
    assert_eq!(claims.nonce().unwrap().secret(), pending.nonce.secret());
    let auth_time = claims.auth_time().expect("auth_time").timestamp();
    assert!(
        auth_time >= before && auth_time <= now(),
        "auth_time {auth_time}"
    );
    let amr: Vec<String> = claims
        .auth_method_refs()
        .unwrap()
        .iter()
        .map(|a| a.to_string())
        .collect();
    assert_eq!(amr, vec!["whatsapp"]);
    assert_eq!(claims.phone_number().unwrap().as_str(), phone);
    assert_eq!(claims.phone_number_verified(), Some(true));
    // The subject is opaque: never the number.
    assert!(!claims.subject().as_str().contains(&phone[1..]));

    let expected_hash = AccessTokenHash::from_token(
        tokens.access_token(),
        id_token.signing_alg().unwrap(),
        id_token.signing_key(&verifier).unwrap(),
    )
    .unwrap();
    assert_eq!(claims.access_token_hash(), Some(&expected_hash));
    assert_eq!(
        id_token.signing_alg().unwrap(),
        &CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256
    );

    let info: CoreUserInfoClaims = rp
        .user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        )
        .unwrap()
        .request_async(&http)
        .await
        .expect("userinfo");
    assert_eq!(info.subject(), claims.subject());
    assert_eq!(info.phone_number().unwrap().as_str(), phone);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_client_authenticates_with_pkce_alone() {
    let server = default_server().await;
    let rp = rp(&server, "spa", None).await;
    let (c, pending) = obtain_code(&server, &rp, true).await;
    let tokens = redeem(&rp, &c, Some(pending.verifier.unwrap())).await;
    let claims = tokens
        .id_token()
        .unwrap()
        .claims(&rp.id_token_verifier(), &pending.nonce)
        .unwrap();
    assert_eq!(claims.audiences()[0].as_str(), "spa");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_secret_post_and_confidential_pkce_work() {
    let server = default_server().await;
    let rp = rp(&server, "portal", Some(PORTAL_SECRET))
        .await
        .set_auth_type(AuthType::RequestBody);
    let (c, pending) = obtain_code(&server, &rp, true).await;
    let tokens = redeem(&rp, &c, Some(pending.verifier.unwrap())).await;
    assert!(tokens.id_token().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_number_is_one_person() {
    let server = default_server().await;
    let rp = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let phone = fresh_phone();
    let mut subs = Vec::new();
    for number in [&phone, &phone, &fresh_phone()] {
        let pending = authorize_url(&rp, false, &[]);
        let back = login_json(&server, &browser(), &pending.url, number).await;
        let tokens = redeem(&rp, &query(&back, "code").unwrap(), None).await;
        let claims = tokens
            .id_token()
            .unwrap()
            .claims(&rp.id_token_verifier(), &pending.nonce)
            .unwrap()
            .clone();
        subs.push(claims.subject().to_string());
    }
    assert_eq!(
        subs[0], subs[1],
        "the same number logs in as the same person"
    );
    assert_ne!(subs[0], subs[2], "another number is another person");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_client_signing_algorithms() {
    let server = default_server().await;
    for (client_id, alg) in [
        ("es-portal", CoreJwsSigningAlgorithm::EcdsaP256Sha256),
        ("ed-portal", CoreJwsSigningAlgorithm::EdDsa),
    ] {
        let rp = rp(&server, client_id, Some(PORTAL_SECRET)).await;
        let (c, pending) = obtain_code(&server, &rp, false).await;
        let tokens = redeem(&rp, &c, None).await;
        let id_token = tokens.id_token().unwrap();
        assert_eq!(id_token.signing_alg().unwrap(), &alg, "{client_id}");
        let verifier = rp.id_token_verifier().set_allowed_algs([alg.clone()]);
        let claims = id_token
            .claims(&verifier, &pending.nonce)
            .expect("verifies");
        let expected = AccessTokenHash::from_token(
            tokens.access_token(),
            &alg,
            id_token.signing_key(&verifier).unwrap(),
        )
        .unwrap();
        assert_eq!(
            claims.access_token_hash(),
            Some(&expected),
            "{client_id} at_hash"
        );
    }
}
