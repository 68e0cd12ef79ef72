//! The token endpoint's refusals (RFC 6749 §5.2, OIDC Core §3.1.3.2, RFC 9700 §2.1.1).

use crate::support::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use std::time::Duration;

struct Answer {
    status: u16,
    body: Value,
    cache_control: String,
    www_authenticate: Option<String>,
}

async fn token_request(
    server: &TestServer,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> Answer {
    let mut req = rp_http()
        .post(format!("{}/token", server.issuer))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form)
                .finish(),
        );
    if let Some((id, secret)) = basic {
        req = req.header(
            "Authorization",
            format!("Basic {}", STANDARD.encode(format!("{id}:{secret}"))),
        );
    }
    let res = req.send().await.unwrap();
    let header = |n: &str| res.headers().get(n).map(|v| v.to_str().unwrap().to_owned());
    let (cache_control, www_authenticate) = (
        header("cache-control").unwrap_or_default(),
        header("www-authenticate"),
    );
    let status = res.status().as_u16();
    Answer {
        status,
        body: res.json().await.unwrap(),
        cache_control,
        www_authenticate,
    }
}

fn grant(code: &str) -> Vec<(&str, &str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", CALLBACK),
    ]
}

fn assert_error(a: &Answer, status: u16, error: &str) {
    assert_eq!(a.status, status, "{}", a.body);
    assert_eq!(a.body["error"], error, "{}", a.body);
    assert!(a.body["error_description"].is_string());
    assert_eq!(a.cache_control, "no-store");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_works_once_and_answers_carry_no_store() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let (c, _) = obtain_code(&server, &portal, false).await;
    let first = token_request(&server, Some(("portal", PORTAL_SECRET)), &grant(&c)).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.cache_control, "no-store");
    assert_eq!(first.body["token_type"], "Bearer");
    assert_eq!(first.body["scope"], "openid phone");
    assert!(first.body["expires_in"].as_u64().unwrap() > 0);
    let again = token_request(&server, Some(("portal", PORTAL_SECRET)), &grant(&c)).await;
    assert_error(&again, 400, "invalid_grant");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_authentication_failures_are_401_with_a_challenge() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let (c, _) = obtain_code(&server, &portal, false).await;
    for basic in [
        Some(("portal", "wrong-secret-wrong-secret-wrong-secret")),
        Some(("nobody", PORTAL_SECRET)),
        None,
    ] {
        let a = token_request(&server, basic, &grant(&c)).await;
        assert_error(&a, 401, "invalid_client");
        assert!(
            a.www_authenticate
                .as_deref()
                .unwrap_or_default()
                .starts_with("Basic")
        );
    }
    // Two methods at once is a malformed request.
    let mut form = grant(&c);
    form.push(("client_secret", PORTAL_SECRET));
    let a = token_request(&server, Some(("portal", PORTAL_SECRET)), &form).await;
    assert_error(&a, 400, "invalid_request");
    // None of this consumed the code: the right client still redeems it.
    let ok = token_request(&server, Some(("portal", PORTAL_SECRET)), &grant(&c)).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_code_is_bound_to_client_and_redirect_uri() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let (c, _) = obtain_code(&server, &portal, false).await;
    let other = token_request(&server, Some(("es-portal", PORTAL_SECRET)), &grant(&c)).await;
    assert_error(&other, 400, "invalid_grant");
    // Another client's attempt neither burned the code nor revoked anything.
    let mine = token_request(&server, Some(("portal", PORTAL_SECRET)), &grant(&c)).await;
    assert_eq!(mine.status, 200, "{}", mine.body);

    let (c, _) = obtain_code(&server, &portal, false).await;
    let wrong_redirect = [
        ("grant_type", "authorization_code"),
        ("code", c.as_str()),
        ("redirect_uri", "http://127.0.0.1:3000/other"),
    ];
    let a = token_request(&server, Some(("portal", PORTAL_SECRET)), &wrong_redirect).await;
    assert_error(&a, 400, "invalid_grant");
    let missing = [("grant_type", "authorization_code"), ("code", c.as_str())];
    let a = token_request(&server, Some(("portal", PORTAL_SECRET)), &missing).await;
    assert_error(&a, 400, "invalid_request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pkce_is_enforced_both_ways() {
    let server = default_server().await;
    let spa = rp(&server, "spa", None).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;

    let (c, _) = obtain_code(&server, &spa, true).await;
    let mut form = grant(&c);
    form.push(("client_id", "spa"));
    assert_error(
        &token_request(&server, None, &form).await,
        400,
        "invalid_grant",
    );

    let (c, _) = obtain_code(&server, &spa, true).await;
    let wrong = "x".repeat(64);
    let mut form = grant(&c);
    form.extend([("client_id", "spa"), ("code_verifier", wrong.as_str())]);
    assert_error(
        &token_request(&server, None, &form).await,
        400,
        "invalid_grant",
    );

    // Downgrade: a verifier for a code that was issued without a challenge.
    let (c, _) = obtain_code(&server, &portal, false).await;
    let mut form = grant(&c);
    form.push(("code_verifier", wrong.as_str()));
    assert_error(
        &token_request(&server, Some(("portal", PORTAL_SECRET)), &form).await,
        400,
        "invalid_grant",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grant_types_and_media_types() {
    let server = default_server().await;
    let basic = Some(("portal", PORTAL_SECRET));
    let a = token_request(
        &server,
        basic,
        &[("grant_type", "password"), ("username", "u")],
    )
    .await;
    assert_error(&a, 400, "unsupported_grant_type");
    let a = token_request(&server, basic, &[("code", "x")]).await;
    assert_error(&a, 400, "invalid_request");
    let a = token_request(
        &server,
        basic,
        &[
            ("grant_type", "authorization_code"),
            ("grant_type", "authorization_code"),
        ],
    )
    .await;
    assert_error(&a, 400, "invalid_request");

    let res = rp_http()
        .post(format!("{}/token", server.issuer))
        .header(
            "Authorization",
            format!(
                "Basic {}",
                STANDARD.encode(format!("portal:{PORTAL_SECRET}"))
            ),
        )
        .json(&serde_json::json!({"grant_type": "authorization_code"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_expire() {
    let (server, clock) = start_with_clock(|_| {}).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let (c, _) = obtain_code(&server, &portal, false).await;
    clock.advance(Duration::from_secs(61));
    let a = token_request(&server, Some(("portal", PORTAL_SECRET)), &grant(&c)).await;
    assert_error(&a, 400, "invalid_grant");
}
