//! RFC 7009 revocation and RFC 7662 introspection, of both token kinds.

use crate::support::*;
use serde_json::Value;

async fn offline_tokens(server: &TestServer) -> Value {
    let portal = rp(server, "portal", Some(PORTAL_SECRET)).await;
    let pending = authorize_url(&portal, false, &[]);
    let url = pending
        .url
        .replace("scope=openid+phone", "scope=openid+phone+offline_access");
    let back = login_json(server, &browser(), &url, &fresh_phone()).await;
    redeem_raw(server, &query(&back, "code").unwrap()).await.1
}

async fn introspect(server: &TestServer, client: (&str, &str), token: &str) -> Value {
    let (status, body) = client_post(server, "/introspect", client, &[("token", token)]).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn revoke(server: &TestServer, client: (&str, &str), token: &str) -> (u16, Value) {
    client_post(server, "/revoke", client, &[("token", token)]).await
}

const OTHER: (&str, &str) = ("es-portal", PORTAL_SECRET);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_tokens_introspect_and_revoke() {
    let server = default_server().await;
    let tokens = offline_tokens(&server).await;
    let at = tokens["access_token"].as_str().unwrap();

    let info = introspect(&server, PORTAL, at).await;
    assert_eq!(info["active"], true);
    assert_eq!(info["client_id"], "portal");
    assert_eq!(info["token_type"], "Bearer");
    assert_eq!(info["scope"], "openid phone offline_access");
    assert!(info["sub"].is_string() && info["exp"].is_i64() && info["iat"].is_i64());
    assert_eq!(
        introspect(&server, OTHER, at).await,
        serde_json::json!({"active": false}),
        "foreign"
    );

    // Another client may not revoke it.
    let (status, body) = revoke(&server, OTHER, at).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(userinfo_status(&server, at).await, 200);

    let (status, _) = revoke(&server, PORTAL, at).await;
    assert_eq!(status, 200);
    assert_eq!(introspect(&server, PORTAL, at).await["active"], false);
    assert_eq!(
        userinfo_status(&server, at).await,
        401,
        "userinfo refuses revoked tokens"
    );
    // Revoking again, or revoking nonsense, is fine.
    assert_eq!(revoke(&server, PORTAL, at).await.0, 200);
    assert_eq!(revoke(&server, PORTAL, "not-a-token").await.0, 200);
    assert_eq!(
        introspect(&server, PORTAL, "not-a-token").await,
        serde_json::json!({"active": false})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_tokens_introspect_and_revoke_their_family() {
    let server = default_server().await;
    let tokens = offline_tokens(&server).await;
    let rt = tokens["refresh_token"].as_str().unwrap();
    let at = tokens["access_token"].as_str().unwrap();

    let (status, body) = client_post(
        &server,
        "/introspect",
        PORTAL,
        &[("token", rt), ("token_type_hint", "refresh_token")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["active"], true);
    assert_eq!(body["token_type"], "refresh_token");
    assert_eq!(introspect(&server, OTHER, rt).await["active"], false);

    let (status, _) = revoke(&server, OTHER, rt).await;
    assert_eq!(status, 400, "not the other client's to revoke");
    assert_eq!(revoke(&server, PORTAL, rt).await.0, 200);
    assert_eq!(introspect(&server, PORTAL, rt).await["active"], false);
    assert_eq!(
        userinfo_status(&server, at).await,
        401,
        "the family's access tokens die with it"
    );
    let (status, body) = client_post(
        &server,
        "/token",
        PORTAL,
        &[("grant_type", "refresh_token"), ("refresh_token", rt)],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_endpoints_need_client_authentication() {
    let server = default_server().await;
    for path in ["/revoke", "/introspect"] {
        let (status, body) = client_post(
            &server,
            path,
            ("portal", "wrong-secret-wrong-secret-wrong!!"),
            &[("token", "x")],
        )
        .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("invalid_client")),
            "{path}"
        );
        let (status, body) = client_post(&server, path, PORTAL, &[]).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_request")),
            "{path}"
        );
    }
    // A public client authenticates by nothing, so it learns nothing from introspection.
    let res = rp_http()
        .post(format!("{}/introspect", server.issuer))
        .form(&[("client_id", "spa"), ("token", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}
