//! Refresh tokens: issued for offline_access, rotated on every use, and a reused one revokes
//! its whole grant. A replayed authorization code revokes what its first redemption issued.

use crate::support::*;
use openidconnect::{OAuth2TokenResponse, RefreshToken, Scope, TokenResponse};
use serde_json::Value;
use std::time::Duration;

async fn offline_tokens(server: &TestServer) -> Value {
    let portal = rp(server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let pending = authorize_url(&portal, false, &[]);
    let url = pending
        .url
        .replace("scope=openid+phone", "scope=openid+phone+offline_access");
    let back = login_json(server, &b, &url, &fresh_phone()).await;
    let (status, tokens) = redeem_raw(server, &query(&back, "code").unwrap()).await;
    assert_eq!(status, 200, "{tokens}");
    tokens
}

async fn refresh(server: &TestServer, token: &str, extra: &[(&str, &str)]) -> (u16, Value) {
    let mut form = vec![("grant_type", "refresh_token"), ("refresh_token", token)];
    form.extend_from_slice(extra);
    client_post(server, "/token", PORTAL, &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_rotates_and_keeps_the_person_and_auth_time() {
    let server = default_server().await;
    let first = offline_tokens(&server).await;
    assert_eq!(first["scope"], "openid phone offline_access");
    let rt1 = first["refresh_token"]
        .as_str()
        .expect("offline_access gives a refresh token");

    // Through the OIDC library, as a portal would.
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let second = portal
        .exchange_refresh_token(&RefreshToken::new(rt1.to_owned()))
        .unwrap()
        .request_async(&rp_http())
        .await
        .expect("refresh");
    let rt2 = second
        .refresh_token()
        .expect("a new refresh token")
        .secret()
        .clone();
    assert_ne!(rt2, rt1);
    let (a, b) = (
        claims_of(first["id_token"].as_str().unwrap()),
        claims_of(&second.id_token().unwrap().to_string()),
    );
    assert_eq!(a["sub"], b["sub"]);
    assert_eq!(a["auth_time"], b["auth_time"]);
    assert_eq!(a["sid"], b["sid"]);
    assert!(b.get("nonce").is_none(), "no nonce on refreshed ID tokens");
    assert_eq!(
        userinfo_status(&server, second.access_token().secret()).await,
        200
    );

    // Scopes only narrow.
    let (status, narrowed) = refresh(&server, &rt2, &[("scope", "openid")]).await;
    assert_eq!(status, 200, "{narrowed}");
    assert_eq!(narrowed["scope"], "openid");
    let rt3 = narrowed["refresh_token"].as_str().unwrap();
    let (status, body) = refresh(&server, rt3, &[("scope", "openid phone email")]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope"))
    );
    let widened = portal
        .exchange_refresh_token(&RefreshToken::new(rt3.to_owned()))
        .unwrap()
        .add_scope(Scope::new("phone".into()))
        .request_async(&rp_http())
        .await;
    assert!(
        widened.is_ok(),
        "phone was granted at first, so asking for it again is fine"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reused_refresh_token_revokes_the_whole_family() {
    let server = default_server().await;
    let first = offline_tokens(&server).await;
    let rt1 = first["refresh_token"].as_str().unwrap();
    let (_, second) = refresh(&server, rt1, &[]).await;
    let rt2 = second["refresh_token"].as_str().unwrap();
    let at2 = second["access_token"].as_str().unwrap();
    assert_eq!(userinfo_status(&server, at2).await, 200);

    // rt1 again: a thief or a bug. Everything of the grant dies.
    let (status, body) = refresh(&server, rt1, &[]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, _) = refresh(&server, rt2, &[]).await;
    assert_eq!(
        status, 400,
        "the current token of the family is revoked too"
    );
    assert_eq!(userinfo_status(&server, at2).await, 401);
    assert_eq!(
        userinfo_status(&server, first["access_token"].as_str().unwrap()).await,
        401
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_tokens_are_bound_to_their_client() {
    let server = default_server().await;
    let tokens = offline_tokens(&server).await;
    let rt = tokens["refresh_token"].as_str().unwrap();
    let (status, body) = client_post(
        &server,
        "/token",
        ("es-portal", PORTAL_SECRET),
        &[("grant_type", "refresh_token"), ("refresh_token", rt)],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, _) = refresh(&server, rt, &[]).await;
    assert_eq!(
        status, 200,
        "the other client's attempt did not burn the token"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_offline_access_no_refresh_token_and_clients_can_be_denied_it() {
    let server = start(|c| {
        c.clients[2].grant_types = Some(vec!["authorization_code".into()]);
    })
    .await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let (c, _) = obtain_code(&server, &portal, false).await;
    let (_, tokens) = redeem_raw(&server, &c).await;
    assert!(tokens.get("refresh_token").is_none());

    // es-portal may not refresh: offline_access is not granted to it.
    let es = rp(&server, "es-portal", Some(PORTAL_SECRET)).await;
    let pending = authorize_url(&es, false, &[]);
    let url = pending
        .url
        .replace("scope=openid+phone", "scope=openid+offline_access");
    let back = login_json(&server, &browser(), &url, &fresh_phone()).await;
    let (_, tokens) = client_post(
        &server,
        "/token",
        ("es-portal", PORTAL_SECRET),
        &[
            ("grant_type", "authorization_code"),
            ("code", &query(&back, "code").unwrap()),
            ("redirect_uri", CALLBACK),
        ],
    )
    .await;
    assert_eq!(tokens["scope"], "openid");
    assert!(tokens.get("refresh_token").is_none());
    let (status, body) = client_post(
        &server,
        "/token",
        ("es-portal", PORTAL_SECRET),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "whatever"),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_absolute_lifetimes() {
    let (server, clock) = start_with_clock(|c| {
        c.tokens.refresh_token_idle_ttl_secs = 3600;
        c.tokens.refresh_token_absolute_ttl_secs = 3 * 3600;
    })
    .await;
    let tokens = offline_tokens(&server).await;
    let mut rt = tokens["refresh_token"].as_str().unwrap().to_owned();
    // Used every 50 minutes, it lives until the absolute end.
    for _ in 0..3 {
        clock.advance(Duration::from_secs(3000));
        let (status, body) = refresh(&server, &rt, &[]).await;
        assert_eq!(status, 200, "{body}");
        rt = body["refresh_token"].as_str().unwrap().to_owned();
    }
    clock.advance(Duration::from_secs(3000));
    let (status, _) = refresh(&server, &rt, &[]).await;
    assert_eq!(status, 400, "past the absolute lifetime");

    let idle = offline_tokens(&server).await;
    clock.advance(Duration::from_secs(3601));
    let (status, _) = refresh(&server, idle["refresh_token"].as_str().unwrap(), &[]).await;
    assert_eq!(status, 400, "unused past the idle lifetime");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_code_revokes_what_it_issued() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let pending = authorize_url(&portal, false, &[]);
    let url = pending
        .url
        .replace("scope=openid+phone", "scope=openid+offline_access");
    let back = login_json(&server, &browser(), &url, &fresh_phone()).await;
    let code = query(&back, "code").unwrap();
    let (status, first) = redeem_raw(&server, &code).await;
    assert_eq!(status, 200);
    let access = first["access_token"].as_str().unwrap();
    assert_eq!(userinfo_status(&server, access).await, 200);

    let (status, body) = redeem_raw(&server, &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(
        userinfo_status(&server, access).await,
        401,
        "the first redemption's access token is revoked"
    );
    let (status, _) = refresh(&server, first["refresh_token"].as_str().unwrap(), &[]).await;
    assert_eq!(status, 400, "and its refresh token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_token_has_one_spelling() {
    let server = default_server().await;
    let tokens = offline_tokens(&server).await;
    let rt = tokens["refresh_token"].as_str().unwrap();
    // The first generation is 0: `grant.0.mac`; `grant.00.mac` is another string.
    let (grant, rest) = rt.split_once('.').unwrap();
    let (generation, mac) = rest.split_once('.').unwrap();
    assert_eq!(generation, "0");
    let respelled = format!("{grant}.00.{mac}");
    let (status, body) = refresh(&server, &respelled, &[]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    // Refused as unknown, not taken for a reuse: the real token still works.
    let (status, body) = refresh(&server, rt, &[]).await;
    assert_eq!(status, 200, "{body}");
}
