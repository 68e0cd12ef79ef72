//! RP-initiated logout (with and without an id_token_hint) and back-channel logout, whose
//! token the test portal verifies against the JWKS.

use crate::support::*;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation};
use regex::Regex;
use serde_json::Value;

async fn signed_in(server: &TestServer, b: &reqwest::Client) -> Value {
    let portal = rp(server, "portal", Some(PORTAL_SECRET)).await;
    let (_, code) = login_in(server, b, &portal, &fresh_phone(), &[]).await;
    redeem_raw(server, &code).await.1
}

/// Whether `b` still has a session: prompt=none answers with a code or login_required.
async fn has_session(server: &TestServer, b: &reqwest::Client) -> bool {
    let portal = rp(server, "portal", Some(PORTAL_SECRET)).await;
    let url = authorize_url(&portal, false, &[("prompt", "none")]).url;
    let res = b.get(&url).send().await.unwrap();
    let back = url::Url::parse(&location(&res)).unwrap();
    query(&back, "code").is_some()
}

async fn verify_logout_token(server: &TestServer, token: &str) -> Value {
    let jwks: JwkSet = fetch_json(rp_http().get(format!("{}/jwks.json", server.issuer))).await;
    let header = jsonwebtoken::decode_header(token).unwrap();
    assert_eq!(header.typ.as_deref(), Some("logout+jwt"));
    let jwk = jwks
        .find(header.kid.as_deref().unwrap())
        .expect("the kid is in the JWKS");
    let mut validation = Validation::new(header.alg);
    validation.set_audience(&["portal"]);
    validation.set_issuer(&[server.issuer.as_str()]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
    jsonwebtoken::decode::<Value>(token, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
        .expect("the logout token verifies against the JWKS")
        .claims
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_with_a_hint_ends_the_session_and_tells_the_portal() {
    // The spa's back-channel endpoint is down: the logout must not wait for it or fail.
    let server = start(|c| {
        c.clients[1].backchannel_logout_uri = Some("http://127.0.0.1:9/down".into());
    })
    .await;
    let b = browser();
    let tokens = signed_in(&server, &b).await;
    let spa = rp(&server, "spa", None).await;
    let res = b
        .get(&authorize_url(&spa, true, &[]).url)
        .send()
        .await
        .unwrap();
    assert!(
        location(&res).starts_with(CALLBACK),
        "the spa joined the session"
    );
    let id_token = tokens["id_token"].as_str().unwrap();
    let id = claims_of(id_token);
    assert!(has_session(&server, &b).await);

    let url = format!(
        "{}/logout?id_token_hint={id_token}&post_logout_redirect_uri={}&state=bye",
        server.issuer,
        url::form_urlencoded::byte_serialize(AFTER_LOGOUT.as_bytes()).collect::<String>()
    );
    let res = b.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("{AFTER_LOGOUT}?state=bye"));
    assert!(!has_session(&server, &b).await, "the session is over");

    let logout = verify_logout_token(&server, &server.hook.logout_token(1).await).await;
    assert_eq!(logout["sub"], id["sub"]);
    assert_eq!(logout["sid"], id["sid"]);
    assert!(logout["jti"].is_string());
    assert!(logout["events"]["http://schemas.openid.net/event/backchannel-logout"].is_object());
    assert!(logout.get("nonce").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_without_a_hint_asks_first() {
    let server = default_server().await;
    let b = browser();
    signed_in(&server, &b).await;

    let url = format!("{}/logout?client_id=portal&state=s1", server.issuer);
    let res = b.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Sign out?"), "{html}");
    assert!(
        has_session(&server, &b).await,
        "nothing happened before the person agreed"
    );

    // A forged confirmation (wrong token) changes nothing.
    let forged = b
        .post(format!("{}/logout", server.issuer))
        .form(&[("csrf", "guess"), ("client_id", "portal")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 200);
    assert!(has_session(&server, &b).await);

    let csrf = Regex::new(r#"name="csrf" value="([^"]+)""#)
        .unwrap()
        .captures(&html)
        .unwrap()[1]
        .to_owned();
    let res = b
        .post(format!("{}/logout", server.issuer))
        .form(&[
            ("csrf", csrf.as_str()),
            ("client_id", "portal"),
            ("state", "s1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("signed out"), "{page}");
    assert!(
        page.contains(r#"/account">Your account</a>"#),
        "somewhere to go next: {page}"
    );
    assert!(!has_session(&server, &b).await);
    assert_eq!(server.hook.logout_token(1).await.split('.').count(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_logout_requests_get_a_page_not_a_redirect() {
    let server = default_server().await;
    let b = browser();
    let tokens = signed_in(&server, &b).await;
    let id_token = tokens["id_token"].as_str().unwrap();
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    for query in [
        format!("post_logout_redirect_uri={}", enc(AFTER_LOGOUT)),
        format!(
            "client_id=portal&post_logout_redirect_uri={}",
            enc("https://evil.example/")
        ),
        format!("id_token_hint={id_token}&client_id=spa"),
        "client_id=nobody".to_owned(),
    ] {
        let res = b
            .get(format!("{}/logout?{query}", server.issuer))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{query}");
        assert!(res.headers().get("location").is_none());
    }
    // A hint we cannot verify is ignored: the person is asked.
    let res = b
        .get(format!(
            "{}/logout?id_token_hint=forged.token.here",
            server.issuer
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Sign out?"));
    // A cross-site POST does not carry the (Lax) cookie: it must not clear it either.
    let res = rp_http()
        .post(format!("{}/logout", server.issuer))
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("set-cookie").is_none());
    assert!(
        has_session(&server, &b).await,
        "none of that signed anyone out"
    );
    assert_eq!(server.hook.logout_count(), 0);

    // Signed out already: a plain page.
    let res = browser()
        .get(format!("{}/logout", server.issuer))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("signed out"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_hint_asks_first_and_the_confirmation_returns_to_the_portal() {
    let server = default_server().await;
    let b = browser();
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let phone = fresh_phone();
    let (_, code) = login_in(&server, &b, &portal, &phone, &[]).await;
    let old_hint = redeem_raw(&server, &code).await.1["id_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // Sign out, then in again: a new session for the same person.
    let out = format!("{}/logout?id_token_hint={old_hint}", server.issuer);
    assert_eq!(b.get(&out).send().await.unwrap().status(), 200);
    login_in(&server, &b, &portal, &phone, &[]).await;
    assert!(has_session(&server, &b).await);

    // The old ID token names the person but not this session: ask first.
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let url = format!(
        "{}/logout?id_token_hint={old_hint}&post_logout_redirect_uri={}&state=later",
        server.issuer,
        enc(AFTER_LOGOUT)
    );
    let html = b.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Sign out?"), "{html}");
    assert!(has_session(&server, &b).await);

    // The form carries what is needed to come back: the client (from the hint), uri, state.
    let unescape = |v: &str| {
        v.replace("&#34;", "\"")
            .replace("&#38;", "&")
            .replace("&#x2f;", "/")
            .replace("&#x2F;", "/")
            .replace("&#47;", "/")
    };
    let fields: Vec<(String, String)> = Regex::new(r#"name="([^"]+)" value="([^"]*)""#)
        .unwrap()
        .captures_iter(&html)
        .map(|c| (c[1].to_owned(), unescape(&c[2])))
        .collect();
    assert!(
        fields
            .iter()
            .any(|(k, v)| k == "client_id" && v == "portal"),
        "{fields:?}"
    );
    let res = b
        .post(format!("{}/logout", server.issuer))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("{AFTER_LOGOUT}?state=later"));
    assert!(!has_session(&server, &b).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_of_an_ended_session_gets_no_tokens() {
    let server = default_server().await;
    let b = browser();
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let (_, first) = login_in(&server, &b, &portal, &fresh_phone(), &[]).await;
    let hint = redeem_raw(&server, &first).await.1["id_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // A code issued by the session, then the session ends before the portal redeems it.
    let res = b
        .get(&authorize_url(&portal, false, &[]).url)
        .send()
        .await
        .unwrap();
    let code = query(&url::Url::parse(&location(&res)).unwrap(), "code").unwrap();
    b.get(format!("{}/logout?id_token_hint={hint}", server.issuer))
        .send()
        .await
        .unwrap();
    let (status, body) = redeem_raw(&server, &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
}
