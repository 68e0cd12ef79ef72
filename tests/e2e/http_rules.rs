//! HTTP itself: methods (HEAD, 405 with Allow), slow bodies, HSTS, and cross-origin calls from
//! single-page apps.

use crate::support::*;
use reqwest::Method;
use serde_json::Value;
use std::io::{Read, Write};

async fn call(method: Method, url: &str) -> reqwest::Response {
    rp_http().request(method, url).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_routes_answer_head_and_wrong_methods_get_405_with_allow() {
    let server = default_server().await;
    let base = &server.issuer;
    let stylesheet = crate::branding::stylesheet_of(&server).await;
    for path in [
        "/.well-known/openid-configuration",
        "/jwks.json",
        "/",
        stylesheet.as_str(),
    ] {
        let get = call(Method::GET, &format!("{base}{path}")).await;
        let head = call(Method::HEAD, &format!("{base}{path}")).await;
        assert_eq!(head.status(), 200, "{path}");
        assert_eq!(
            head.headers().get("content-type"),
            get.headers().get("content-type"),
            "{path}"
        );
        assert!(
            head.bytes().await.unwrap().is_empty(),
            "{path}: HEAD has no body"
        );
    }
    let flow = open_flow(
        &browser(),
        &authorize_url(
            &rp(&server, "portal", Some(PORTAL_SECRET)).await,
            false,
            &[],
        )
        .url,
    )
    .await;
    assert_eq!(
        call(Method::HEAD, &flow).await.status(),
        403,
        "not this browser's flow"
    );

    for (method, path, allow) in [
        (Method::DELETE, "/token", "OPTIONS, POST"),
        (Method::GET, "/token", "OPTIONS, POST"),
        (
            Method::PUT,
            "/.well-known/openid-configuration",
            "GET, HEAD",
        ),
        (Method::POST, "/jwks.json", "GET, HEAD"),
        (Method::PATCH, "/authorize", "GET, POST"),
        // GETs that act (open a login, sign out) have no HEAD: a HEAD must not act.
        (Method::HEAD, "/authorize", "GET, POST"),
        (Method::HEAD, "/logout", "GET, POST"),
        (Method::GET, "/introspect", "POST"),
        (Method::OPTIONS, "/introspect", "POST"),
        (Method::GET, "/account/totp", "DELETE, POST"),
    ] {
        let res = call(method.clone(), &format!("{base}{path}")).await;
        assert_eq!(res.status(), 405, "{method} {path}");
        assert_eq!(
            res.headers().get("allow").and_then(|v| v.to_str().ok()),
            Some(allow),
            "{method} {path}"
        );
    }
    let missing = call(Method::GET, &format!("{base}/nowhere")).await;
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get("allow").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_trickles_in_is_cut_off_with_408() {
    let server = start(|c| c.http.body_timeout_secs = 1).await;
    let addr = server.public.trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(15)))
        .unwrap();
    write!(
        stream,
        "POST /token HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 16000\r\n\r\ng"
    )
    .unwrap();
    // One more byte now and then, as a slow client would send them.
    let mut writer = stream.try_clone().unwrap();
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let trickle = std::thread::spawn(move || {
        while stopped
            .recv_timeout(std::time::Duration::from_millis(300))
            .is_err()
        {
            if writer.write_all(b"r").is_err() {
                return;
            }
        }
    });
    let mut answer = [0u8; 4096];
    let n = stream.read(&mut answer).expect("an answer before 15 s");
    drop(stop);
    trickle.join().unwrap();
    let head = String::from_utf8_lossy(&answer[..n]).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 408"), "{head}");
    assert!(head.contains("connection: close"), "{head}");
    assert!(head.contains("invalid_request"), "{head}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_issuer_sends_hsts() {
    let hsts = |res: &reqwest::Response| {
        res.headers()
            .get("strict-transport-security")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let server = start(|c| c.issuer = "https://login.example.test".into()).await;
    let discovery = format!("{}/.well-known/openid-configuration", server.public);
    assert_eq!(
        hsts(&call(Method::GET, &discovery).await).as_deref(),
        Some("max-age=31536000")
    );
    let missing = call(Method::GET, &format!("{}/nowhere", server.public)).await;
    assert_eq!(hsts(&missing).as_deref(), Some("max-age=31536000"));

    let shorter = start(|c| {
        c.issuer = "https://login.example.test".into();
        c.http.hsts_max_age_secs = 600;
    })
    .await;
    let discovery = format!("{}/.well-known/openid-configuration", shorter.public);
    assert_eq!(
        hsts(&call(Method::GET, &discovery).await).as_deref(),
        Some("max-age=600")
    );
    let plain = default_server().await;
    let discovery = format!("{}/.well-known/openid-configuration", plain.public);
    assert_eq!(
        hsts(&call(Method::GET, &discovery).await),
        None,
        "not over http"
    );
}

/// What a browser does for a page of `origin` calling `url` with `fetch`: a preflight for
/// anything beyond a simple request, then the call; the page sees the answer only if every
/// step allows its origin. `Err` is what the page would see as a network error.
async fn fetch(
    origin: &str,
    method: Method,
    url: &str,
    headers: &[(&str, String)],
    form: Option<&[(&str, &str)]>,
) -> Result<(u16, Value), String> {
    let simple = method == Method::POST && headers.is_empty() && form.is_some()
        || method == Method::GET && headers.is_empty();
    if !simple {
        let names: Vec<&str> = headers.iter().map(|(n, _)| *n).collect();
        let pre = rp_http()
            .request(Method::OPTIONS, url)
            .header("Origin", origin)
            .header("Access-Control-Request-Method", method.as_str())
            .header("Access-Control-Request-Headers", names.join(","))
            .send()
            .await
            .unwrap();
        let allowed = pre.status().is_success()
            && pre
                .headers()
                .get("access-control-allow-origin")
                .is_some_and(|o| o == origin)
            && pre
                .headers()
                .get("access-control-allow-methods")
                .and_then(|m| m.to_str().ok())
                .is_some_and(|m| m.split(", ").any(|m| m == method.as_str()));
        if !allowed {
            return Err(format!("preflight refused ({})", pre.status()));
        }
        assert!(
            pre.headers()
                .get("access-control-allow-credentials")
                .is_none(),
            "no credentials"
        );
    }
    let mut req = rp_http().request(method, url).header("Origin", origin);
    for (name, value) in headers {
        req = req.header(*name, value);
    }
    if let Some(form) = form {
        req = req.form(form);
    }
    let res = req.send().await.unwrap();
    let vary = res
        .headers()
        .get_all("vary")
        .iter()
        .any(|v| v.to_str().unwrap().contains("Origin"));
    assert!(vary, "answers that differ by origin say so");
    if res
        .headers()
        .get("access-control-allow-origin")
        .is_none_or(|o| o != origin)
    {
        return Err("answer not shared with the page".into());
    }
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_page_app_signs_in_across_origins_with_pkce() {
    let server = start(|c| {
        let mut other = client("other", Some(PORTAL_SECRET), None);
        other.redirect_uris = vec!["https://other.example/cb".into()];
        c.clients.push(other);
    })
    .await;
    // The SPA's page runs on the origin of its redirect URI (http://127.0.0.1:3000).
    let origin = "http://127.0.0.1:3000";
    let spa = rp(&server, "spa", None).await;
    let pending = authorize_url(&spa, true, &[]);
    let url = pending
        .url
        .replace("scope=openid+phone", "scope=openid+phone+offline_access");
    let back = login_json(&server, &browser(), &url, &fresh_phone()).await;
    let code = query(&back, "code").unwrap();
    let verifier = pending.verifier.unwrap();
    let token_url = format!("{}/token", server.issuer);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("client_id", "spa"),
        ("code_verifier", verifier.secret().as_str()),
    ];
    // A page of another site cannot read the answer, and cannot preflight.
    let evil = fetch(
        "https://evil.example",
        Method::POST,
        &token_url,
        &[("content-type", "application/x-www-form-urlencoded".into())],
        Some(&form[..1]),
    )
    .await;
    assert!(evil.is_err(), "{evil:?}");
    // Nor with a simple form post (no preflight): the answer is not shared with it.
    let simple = fetch(
        "https://evil.example",
        Method::POST,
        &token_url,
        &[],
        Some(&form[..1]),
    )
    .await;
    assert!(simple.is_err(), "{simple:?}");
    // Another client's page may preflight, but not read answers meant for this client.
    let other = fetch(
        "https://other.example",
        Method::POST,
        &token_url,
        &[("content-type", "application/x-www-form-urlencoded".into())],
        Some(&[("grant_type", "authorization_code"), ("client_id", "spa")]),
    )
    .await;
    assert_eq!(other, Err("answer not shared with the page".into()));

    let (status, tokens) = fetch(
        origin,
        Method::POST,
        &token_url,
        &[("content-type", "application/x-www-form-urlencoded".into())],
        Some(&form),
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_owned();

    let userinfo_url = format!("{}/userinfo", server.issuer);
    let bearer = [("authorization", format!("Bearer {access}"))];
    let (status, claims) = fetch(origin, Method::GET, &userinfo_url, &bearer, None)
        .await
        .unwrap();
    assert_eq!(status, 200, "{claims}");
    assert!(claims["sub"].is_string());
    // An error answer is readable too (the page must see why).
    let wrong = [("authorization", "Bearer nope".to_owned())];
    let (status, _) = fetch(origin, Method::GET, &userinfo_url, &wrong, None)
        .await
        .unwrap();
    assert_eq!(status, 401);

    let refresh = tokens["refresh_token"].as_str().unwrap();
    let (status, _) = fetch(
        origin,
        Method::POST,
        &format!("{}/revoke", server.issuer),
        &[("content-type", "application/x-www-form-urlencoded".into())],
        Some(&[("token", refresh), ("client_id", "spa")]),
    )
    .await
    .unwrap();
    assert_eq!(status, 200);

    // The login API and introspection stay same-origin.
    for path in ["/introspect", "/login/x/phone", "/authorize"] {
        let pre = rp_http()
            .request(Method::OPTIONS, format!("{}{path}", server.issuer))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .send()
            .await
            .unwrap();
        assert!(!pre.status().is_success(), "{path}: {}", pre.status());
        assert!(
            pre.headers().get("access-control-allow-origin").is_none(),
            "{path}"
        );
    }
}
