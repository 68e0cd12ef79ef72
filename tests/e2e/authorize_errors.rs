//! /authorize: what is shown to people and what is sent back to portals.

use crate::support::*;

const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn url(server: &TestServer, query: &str) -> String {
    format!("{}/authorize?{query}", server.issuer)
}

fn base_query(client: &str) -> String {
    format!(
        "client_id={client}&redirect_uri={}&response_type=code&scope=openid&state=st-1&nonce=n-1",
        urlencode(CALLBACK)
    )
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_clients_and_redirect_uris_get_a_page_never_a_redirect() {
    let server = default_server().await;
    let b = browser();
    for query in [
        base_query("nobody"),
        base_query("portal").replace(
            &urlencode(CALLBACK),
            &urlencode("http://127.0.0.1:3000/callback/"),
        ),
        base_query("portal").replace(
            &urlencode(CALLBACK),
            &urlencode("https://evil.example/callback"),
        ),
        base_query("portal").replace(&format!("redirect_uri={}&", urlencode(CALLBACK)), ""),
        format!("{}&client_id=spa", base_query("portal")),
        "response_type=code".to_owned(),
    ] {
        let res = b.get(url(&server, &query)).send().await.unwrap();
        assert_eq!(res.status(), 400, "{query}");
        assert!(
            res.headers().get("location").is_none(),
            "{query} redirected"
        );
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains("frame-ancestors 'none'"));
        let html = res.text().await.unwrap();
        assert!(html.contains("not valid"), "{html}");
    }
}

async fn redirected_error(server: &TestServer, query: &str) -> url::Url {
    let res = browser().get(url(server, query)).send().await.unwrap();
    assert_eq!(res.status(), 303, "{query}");
    let back = url::Url::parse(&location(&res)).unwrap();
    assert!(back.as_str().starts_with(CALLBACK), "{back}");
    assert_eq!(query_of(&back, "state").as_deref(), Some("st-1"), "{query}");
    assert_eq!(
        query_of(&back, "iss").as_deref(),
        Some(server.issuer.as_str())
    );
    assert!(query_of(&back, "error_description").is_some());
    back
}

fn query_of(u: &url::Url, k: &str) -> Option<String> {
    query(u, k)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_errors_go_back_to_the_portal_with_state_and_iss() {
    let server = default_server().await;
    let conf = base_query("portal");
    let public = base_query("spa");
    for (query, error) in [
        (
            conf.replace("response_type=code", "response_type=token"),
            "unsupported_response_type",
        ),
        (
            conf.replace("response_type=code", "response_type=code%20id_token"),
            "unsupported_response_type",
        ),
        (conf.replace("&response_type=code", ""), "invalid_request"),
        (conf.replace("scope=openid", "scope=phone"), "invalid_scope"),
        (
            format!("{conf}&code_challenge={CHALLENGE}&code_challenge_method=plain"),
            "invalid_request",
        ),
        (
            format!("{conf}&code_challenge={CHALLENGE}"),
            "invalid_request",
        ),
        (public.clone(), "invalid_request"),
        (format!("{conf}&prompt=none"), "login_required"),
        (format!("{conf}&max_age=soon"), "invalid_request"),
        (format!("{conf}&scope=openid"), "invalid_request"),
        (
            format!("{conf}&request=eyJhbGciOiJub25lIn0.e30."),
            "request_not_supported",
        ),
    ] {
        let back = redirected_error(&server, &query).await;
        assert_eq!(query_of(&back, "error").as_deref(), Some(error), "{query}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_good_request_by_post_opens_a_login_bound_to_the_browser() {
    let server = default_server().await;
    let b = browser();
    let body = format!(
        "{}&code_challenge={CHALLENGE}&code_challenge_method=S256",
        base_query("spa")
    );
    let res = b
        .post(format!("{}/authorize", server.issuer))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let flow = absolute(&server.issuer, &location(&res));
    // Same browser: the flow answers. Another browser: refused.
    let (status, body) = get_json(&b, &flow).await;
    assert_eq!((status, body["step"].as_str()), (200, Some("phone")));
    let (status, body) = get_json(&browser(), &flow).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "wrong_browser");
}

pub async fn get_json(b: &reqwest::Client, url: &str) -> (u16, serde_json::Value) {
    let res = b
        .get(url)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_input_never_reaches_the_portal_in_error_description() {
    let server = default_server().await;
    let attack = "<svg/onload=alert(1)>\"\\";
    for extra in [
        format!("&prompt={}", urlencode(attack)),
        format!("&{0}=1&{0}=2", urlencode(attack)),
        format!("&max_age={}", urlencode(attack)),
    ] {
        let res = browser()
            .get(url(&server, &format!("{}{extra}", base_query("portal"))))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let back = url::Url::parse(&location(&res)).unwrap();
        assert_eq!(query(&back, "error").as_deref(), Some("invalid_request"));
        let description = query(&back, "error_description").unwrap();
        assert!(!description.contains("svg"), "{description}");
        assert!(
            description
                .bytes()
                .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5B | 0x5D..=0x7E)),
            "{description}"
        );
    }
}

/// A browser whose cookie jar the test can fill, as a sibling site could.
fn browser_with_jar() -> (reqwest::Client, std::sync::Arc<reqwest::cookie::Jar>) {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    (client, jar)
}

/// The binding values a response sets, newest first (one per login open in the browser).
fn bindings_set_by(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("wagate_browser="))
        .map(|c| {
            c.split(';')
                .next()
                .unwrap()
                .split('.')
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_binding_is_chosen_by_wagate_and_renewed_at_login() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let (b, jar) = browser_with_jar();
    let planted = "planted-by-a-sibling-site-0123456789abcdef";
    let issuer = url::Url::parse(&server.issuer).unwrap();
    jar.add_cookie_str(&format!("wagate_browser={planted}; Path=/"), &issuer);

    let pending = authorize_url(&portal, false, &[]);
    let res = b.get(&pending.url).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let set = bindings_set_by(&res);
    let chosen = set.first().expect("wagate sets its own binding").clone();
    assert_ne!(chosen, planted);
    let flow = absolute(&pending.url, &location(&res));

    // Whoever planted the value cannot use the flow.
    let (attacker, attacker_jar) = browser_with_jar();
    attacker_jar.add_cookie_str(&format!("wagate_browser={planted}; Path=/"), &issuer);
    let (status, body) = get_json(&attacker, &flow).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("wrong_browser"))
    );

    // The person signs in; the binding that login used is replaced.
    let phone = fresh_phone();
    let code = send_code(&server, &b, &flow, &phone).await;
    let res = b
        .post(format!("{flow}/code"))
        .header("Accept", "application/json")
        .json(&serde_json::json!({"code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let renewed = bindings_set_by(&res);
    assert!(!renewed.is_empty(), "a new binding after the login");
    assert!(
        !renewed.contains(&chosen),
        "the login's binding is spent: {renewed:?}"
    );
    assert_ne!(renewed[0], planted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_open_in_two_tabs_both_complete() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let spa = rp(&server, "spa", None).await;
    let b = browser();
    let first = authorize_url(&portal, false, &[]);
    let first_flow = open_flow(&b, &first.url).await;
    let second = authorize_url(&spa, true, &[]);
    let second_flow = open_flow(&b, &second.url).await;
    let phone = fresh_phone();
    // The older tab first, then the newer one (after the first login it is single sign-on
    // for the portal, but this flow was opened before and still asks).
    for flow in [&first_flow, &second_flow] {
        let code = send_code(&server, &b, flow, &phone).await;
        let (status, body) = post_json(
            &b,
            &format!("{flow}/code"),
            serde_json::json!({"code": code}),
        )
        .await;
        assert_eq!(
            (status, body["step"].as_str()),
            (200, Some("done")),
            "{body}"
        );
    }
}
