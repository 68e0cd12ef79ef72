//! /userinfo: claims by scope, RFC 6750 errors.

use crate::support::*;
use serde_json::Value;
use std::time::Duration;

async fn access_token(server: &TestServer, scope_phone: bool) -> String {
    let portal = rp(server, "portal", Some(PORTAL_SECRET)).await;
    let pending = if scope_phone {
        authorize_url(&portal, false, &[])
    } else {
        let mut p = authorize_url(&portal, false, &[]);
        p.url = p.url.replace("scope=openid+phone", "scope=openid");
        p
    };
    let back = login_json(server, &browser(), &pending.url, &fresh_phone()).await;
    let res = rp_http()
        .post(format!("{}/token", server.issuer))
        .basic_auth("portal", Some(PORTAL_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &query(&back, "code").unwrap()),
            ("redirect_uri", CALLBACK),
        ])
        .send()
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_follow_the_scope_and_post_works() {
    let server = default_server().await;
    let url = format!("{}/userinfo", server.issuer);
    let with_phone = access_token(&server, true).await;
    let res = rp_http()
        .post(&url)
        .form(&[("access_token", with_phone.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body: Value = res.json().await.unwrap();
    assert!(body["phone_number"].as_str().unwrap().starts_with("+44"));

    let without = access_token(&server, false).await;
    let body: Value = fetch_json(rp_http().get(&url).bearer_auth(&without)).await;
    assert!(body["sub"].is_string());
    assert!(body.get("phone_number").is_none(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearer_errors_follow_rfc6750() {
    let (server, clock) = start_with_clock(|_| {}).await;
    let url = format!("{}/userinfo", server.issuer);
    let http = rp_http();

    let res = http.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["www-authenticate"], "Bearer realm=\"wagate\"");

    for token in ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."] {
        let res = http.get(&url).bearer_auth(token).send().await.unwrap();
        assert_eq!(res.status(), 401, "{token}");
        let challenge = res.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    }

    let token = access_token(&server, true).await;
    let res = http
        .post(&url)
        .bearer_auth(&token)
        .form(&[("access_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");

    clock.advance(Duration::from_secs(3601));
    let res = http.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), 401, "expired tokens are refused");
}
