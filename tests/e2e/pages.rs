//! The hosted pages, walked as a browser without JavaScript would: forms, 303s, cookies.

use crate::support::*;
use openidconnect::TokenResponse;
use regex::Regex;

pub(crate) fn csrf_of(html: &str) -> String {
    Regex::new(r#"name="csrf" value="([^"]+)""#)
        .unwrap()
        .captures(html)
        .unwrap_or_else(|| panic!("no csrf field in {html}"))[1]
        .to_owned()
}

pub(crate) async fn page(
    b: &reqwest::Client,
    url: &str,
) -> (u16, String, reqwest::header::HeaderMap) {
    let res = b.get(url).send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, res.text().await.unwrap(), headers)
}

pub(crate) async fn post_form(
    b: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    b.post(url).form(form).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_signs_in_through_the_pages() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let pending = authorize_url(&portal, false, &[("login_hint", "+44 7400 000000")]);
    let b = browser();
    let flow = open_flow(&b, &pending.url).await;

    let (status, html, headers) = page(&b, &flow).await;
    assert_eq!(status, 200);
    assert!(html.contains("portal portal"), "the client's name is shown");
    assert!(
        html.contains("value=\"+44 7400 000000\""),
        "login_hint pre-fills the number"
    );
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"));
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["cache-control"], "no-store");
    let csrf = csrf_of(&html);

    // A forged post (no token) is refused.
    let phone = fresh_phone();
    let forged = post_form(&b, &format!("{flow}/phone"), &[("phone", phone.as_str())]).await;
    assert_eq!(forged.status(), 403);
    assert_eq!(server.hook.count_for(&phone), 0);

    // A number people type, with spaces and dashes.
    let typed = format!("{} {}-{}", &phone[..3], &phone[3..7], &phone[7..]);
    let res = post_form(
        &b,
        &format!("{flow}/phone"),
        &[("csrf", &csrf), ("phone", &typed)],
    )
    .await;
    assert_eq!(res.status(), 303, "a form post is answered with 303");
    assert_eq!(absolute(&flow, &location(&res)), flow);

    let (_, html, _) = page(&b, &flow).await;
    // A UK mobile, grouped as people read it: +44 7400 123456.
    let grouped = format!("{} {} {}", &phone[..3], &phone[3..7], &phone[7..]);
    assert!(
        html.contains(&grouped),
        "the code page says where the code went: {html}"
    );
    assert!(html.contains("autocomplete=\"one-time-code\""));

    let res = post_form(
        &b,
        &format!("{flow}/code"),
        &[("csrf", &csrf), ("code", "00000a")],
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("digits only"));

    let code = server.hook.last_code_for(&phone);
    let res = post_form(
        &b,
        &format!("{flow}/code"),
        &[("csrf", &csrf), ("code", &code)],
    )
    .await;
    assert_eq!(res.status(), 303, "never 307 after a form with credentials");
    let back = url::Url::parse(&location(&res)).unwrap();
    assert!(back.as_str().starts_with(CALLBACK));
    assert_eq!(query(&back, "state").unwrap(), *pending.state.secret());

    let tokens = redeem(&portal, &query(&back, "code").unwrap(), None).await;
    let claims = tokens
        .id_token()
        .unwrap()
        .claims(&portal.id_token_verifier(), &pending.nonce)
        .unwrap();
    assert_eq!(claims.phone_number().unwrap().as_str(), phone);

    // The finished flow is gone.
    let (status, html, _) = page(&b, &flow).await;
    assert_eq!(status, 410);
    assert!(html.contains("start again"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_input_is_explained_on_the_page() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    let (_, html, _) = page(&b, &flow).await;
    let csrf = csrf_of(&html);
    let res = post_form(
        &b,
        &format!("{flow}/phone"),
        &[("csrf", &csrf), ("phone", "not a number")],
    )
    .await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.unwrap();
    assert!(html.contains("does not look like a phone number"), "{html}");
    assert!(
        html.contains("value=\"not a number\""),
        "what was typed is kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_runs_a_real_login_on_embedded_defaults() {
    let server = start(|c| c.demo.enabled = true).await;
    let b = browser();
    let (status, html, _) = page(&b, &format!("{}/", server.issuer)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Try a login"));

    let res = b
        .get(format!("{}/demo/start", server.issuer))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let authorize = absolute(&server.issuer, &location(&res));
    assert!(authorize.contains("code_challenge_method=S256"));
    let flow = open_flow(&b, &authorize).await;
    let (_, html, _) = page(&b, &flow).await;
    let csrf = csrf_of(&html);
    let phone = fresh_phone();
    post_form(
        &b,
        &format!("{flow}/phone"),
        &[("csrf", &csrf), ("phone", &phone)],
    )
    .await;
    let code = server.hook.last_code_for(&phone);
    let res = post_form(
        &b,
        &format!("{flow}/code"),
        &[("csrf", &csrf), ("code", &code)],
    )
    .await;
    let callback = location(&res);
    assert!(callback.starts_with(&format!("{}/demo/callback", server.issuer)));
    let (status, html, _) = page(&b, &callback).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("ID token claims"));
    assert!(html.contains(&phone));
    assert!(html.contains("&#34;amr&#34;") || html.contains("\"amr\""));

    // The demo's sign-out link ends the session and comes back to the start page.
    let logout = Regex::new(r#"href="([^"]*/logout\?[^"]+)""#)
        .unwrap()
        .captures(&html)
        .unwrap()[1]
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    let res = b
        .get(absolute(&server.issuer, &logout))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("{}/", server.issuer));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_is_off_unless_enabled() {
    let server = default_server().await;
    let (status, _, _) = page(&browser(), &format!("{}/demo/start", server.issuer)).await;
    assert_eq!(status, 404);
    let (_, html, _) = page(&browser(), &format!("{}/", server.issuer)).await;
    assert!(!html.contains("Try a login"));
}
