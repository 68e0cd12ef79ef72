//! `login.backend = "cripsa"` end to end: wagate talks to the fake upstream that ships with it
//! (new session after a wrong code, three attempts, SECRET_HASH with the internal username,
//! RS256 ID tokens from its own JWKS) in both modes, and a portal logs in through plain OIDC.

use crate::support::*;
use openidconnect::TokenResponse;
use serde_json::json;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;
use wagate_dev::cripsa::{
    FAILING_NUMBER, FakeSettings, FakeUpstream, THROTTLED_NUMBER, UNKNOWN_NUMBER,
};
use wagate_storage::{ManualClock, Secret};

const POOL: &str = "eu-west-1_Fake";
const CLIENT_ID: &str = "fakeclient1";
const CLIENT_SECRET: &str = "fake-upstream-client-secret";
const DEVELOPER_TOKEN: &str = "fake-developer-token";

struct Fake {
    url: String,
    upstream: Arc<FakeUpstream>,
    /// The upstream's own clock, to expire its sessions.
    clock: Arc<ManualClock>,
}

impl Fake {
    fn last_code(&self, phone: &str) -> String {
        self.upstream.last_code(phone).expect("a code was sent")
    }
}

/// The fake that ships with wagate (`wagate dev fake-cripsa`), on a free port.
async fn start_fake() -> Fake {
    start_fake_with(None).await
}

async fn start_fake_with(developer_token: Option<&str>) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let deps = wagate_server::Deps::default();
    let clock = Arc::new(ManualClock::new(deps.clock.now()));
    let settings = FakeSettings {
        base_url: url.clone(),
        pool_id: POOL.into(),
        client_id: CLIENT_ID.into(),
        client_secret: Secret::new(CLIENT_SECRET),
        session_ttl_secs: 180,
        developer_token: developer_token.map(Secret::new),
    };
    let upstream = Arc::new(
        FakeUpstream::new(settings, clock.clone(), deps.random, Box::new(|_, _| {})).unwrap(),
    );
    let server = wagate_dev::serve_fake_cripsa(listener, upstream.clone()).unwrap();
    tokio::spawn(server);
    Fake {
        url,
        upstream,
        clock,
    }
}

async fn cripsa_server(fake: &Fake, client_secret: &str) -> TestServer {
    cripsa_server_with(fake, client_secret, |_, _| {}).await
}

/// A wagate on the fake; `more` adjusts the configuration (it gets the fake's URL).
async fn cripsa_server_with(
    fake: &Fake,
    client_secret: &str,
    more: impl FnOnce(&mut wagate_server::config::Config, &str) + Send + 'static,
) -> TestServer {
    let client_secret = Secret::new(client_secret);
    let url = fake.url.clone();
    start(move |c| {
        c.login.backend = "cripsa".into();
        c.cripsa.user_pool_id = POOL.into();
        c.cripsa.client_id = CLIENT_ID.into();
        c.cripsa.client_secret = Some(client_secret);
        c.cripsa.endpoint = Some(url.clone());
        more(c, &url);
    })
    .await
}

/// `mode = "http"` on the fake, with the developer token in `Authorization`.
async fn http_mode_server(fake: &Fake, token: &str) -> TestServer {
    let value = format!("Bearer {token}");
    cripsa_server_with(fake, CLIENT_SECRET, move |c, url| {
        c.cripsa.mode = "http".into();
        c.cripsa.http.base_url = url.into();
        c.cripsa.http.auth_header = "Authorization".into();
        c.cripsa.http.auth_value = Some(Secret::new(value));
    })
    .await
}

/// A code that is not `right`.
fn wrong_code(right: &str) -> &'static str {
    if right == "111111" {
        "222222"
    } else {
        "111111"
    }
}

/// Phone, a wrong code (the upstream answers with a new session, which wagate must keep), the
/// right code and the token exchange; returns the verified phone claim of wagate's ID token.
async fn full_login(fake: &Fake, server: &TestServer, phone: &str) -> String {
    let rp = rp(server, "portal", Some(PORTAL_SECRET)).await;
    let pending = authorize_url(&rp, false, &[]);
    let b = browser();
    let flow = open_flow(&b, &pending.url).await;
    let (status, body) = post_json(&b, &format!("{flow}/phone"), json!({"phone": phone})).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        server.hook.all().is_empty(),
        "the upstream delivers, not wagate"
    );
    let right = fake.last_code(phone);
    let wrong = wrong_code(&right);
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": wrong})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_code")),
        "{body}"
    );
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": right})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["step"], "done");
    let back = url::Url::parse(body["redirect_to"].as_str().unwrap()).unwrap();
    let tokens = redeem(&rp, &query(&back, "code").unwrap(), None).await;
    let claims = tokens
        .id_token()
        .unwrap()
        .claims(&rp.id_token_verifier(), &pending.nonce)
        .expect("wagate's ID token verifies");
    assert_eq!(claims.issuer().as_str(), server.issuer);
    // The upstream's tokens stay inside wagate.
    let raw = serde_json::to_string(&tokens).unwrap();
    assert!(
        !raw.contains("fake-upstream-access-token") && !raw.contains("fake-upstream-refresh-token")
    );
    claims.phone_number().unwrap().as_str().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_logs_in_through_the_cognito_upstream() {
    let fake = start_fake().await;
    let server = cripsa_server(&fake, CLIENT_SECRET).await;
    let phone = fresh_phone();
    assert_eq!(full_login(&fake, &server, &phone).await, phone);
    assert_eq!(
        fake.upstream.calls(),
        [
            "InitiateAuth",
            "RespondToAuthChallenge",
            "RespondToAuthChallenge"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_number_answers_like_any_other() {
    let fake = start_fake().await;
    let server = cripsa_server(&fake, CLIENT_SECRET).await;
    let rp = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let phone = UNKNOWN_NUMBER;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&rp, false, &[]).url).await;
    let (status, unknown) = post_json(&b, &format!("{flow}/phone"), json!({"phone": phone})).await;
    assert_eq!(status, 200, "{unknown}");
    let b2 = browser();
    let flow2 = open_flow(&b2, &authorize_url(&rp, false, &[]).url).await;
    let known_phone = &fresh_phone();
    let (status, known) = post_json(
        &b2,
        &format!("{flow2}/phone"),
        json!({"phone": known_phone}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(unknown["step"], known["step"]);
    assert_eq!(
        unknown.as_object().unwrap().keys().collect::<Vec<_>>(),
        known.as_object().unwrap().keys().collect::<Vec<_>>()
    );
    // Both run out of attempts at the same point with the same answers.
    let known_code = fake.upstream.last_code(known_phone).unwrap();
    let wrong = wrong_code(&known_code);
    // The ways out of an ended login carry each portal request's own state: not the number's.
    let alike = |mut v: serde_json::Value| {
        if let Some(o) = v.as_object_mut() {
            o.remove("start_again");
            o.remove("back_to");
        }
        v
    };
    for _ in 0..3 {
        let (s1, a1) = post_json(&b, &format!("{flow}/code"), json!({"code": wrong})).await;
        let (s2, a2) = post_json(&b2, &format!("{flow2}/code"), json!({"code": wrong})).await;
        let (a1, a2) = (alike(a1), alike(a2));
        assert_eq!(
            (s1, &a1),
            (s2, &a2),
            "unknown and known numbers must look alike"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_client_secret_is_a_clear_503_not_a_leak() {
    let fake = start_fake().await;
    let server = cripsa_server(&fake, "not-the-secret").await;
    let rp = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&rp, false, &[]).url).await;
    let (status, body) = post_json(
        &b,
        &format!("{flow}/phone"),
        json!({"phone": fresh_phone()}),
    )
    .await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"], "temporarily_unavailable");
    assert!(
        !body.to_string().contains("secret hash"),
        "upstream text stays in the log"
    );
}

/// Opens a login for the portal and submits `phone`; returns the flow and the answer.
async fn phone_step(
    server: &TestServer,
    phone: &str,
) -> (reqwest::Client, String, u16, serde_json::Value) {
    let rp = rp(server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&rp, false, &[]).url).await;
    let (status, body) = post_json(&b, &format!("{flow}/phone"), json!({"phone": phone})).await;
    (b, flow, status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_throttling_and_send_failures_are_clear() {
    let fake = start_fake().await;
    let server = cripsa_server(&fake, CLIENT_SECRET).await;
    let (_, _, status, body) = phone_step(&server, THROTTLED_NUMBER).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("rate_limited")),
        "{body}"
    );
    let (_, _, status, body) = phone_step(&server, FAILING_NUMBER).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("delivery_failed")),
        "{body}"
    );
    assert!(
        !body.to_string().contains("Lambda"),
        "upstream text stays in the log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upstream_attempt_limit_ends_the_login() {
    let fake = start_fake().await;
    // wagate allows five attempts; the upstream's three end the login first.
    let server = cripsa_server(&fake, CLIENT_SECRET).await;
    let phone = fresh_phone();
    let (b, flow, status, _) = phone_step(&server, &phone).await;
    assert_eq!(status, 200);
    let right = fake.last_code(&phone);
    let wrong = wrong_code(&right);
    for _ in 0..2 {
        let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": wrong})).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_code")),
            "{body}"
        );
    }
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": wrong})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (410, Some("flow_expired")),
        "{body}"
    );
    // Even the right code cannot revive it.
    let (status, _) = post_json(&b, &format!("{flow}/code"), json!({"code": right})).await;
    assert_ne!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_upstream_session_asks_for_a_new_code() {
    let fake = start_fake().await;
    let server = cripsa_server(&fake, CLIENT_SECRET).await;
    let phone = fresh_phone();
    let (b, flow, status, _) = phone_step(&server, &phone).await;
    assert_eq!(status, 200);
    let code = fake.last_code(&phone);
    fake.clock.advance(Duration::from_secs(181));
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": code})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("code_expired")),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_logs_in_through_cripsas_http_operations() {
    let fake = start_fake_with(Some(DEVELOPER_TOKEN)).await;
    let server = http_mode_server(&fake, DEVELOPER_TOKEN).await;
    let phone = fresh_phone();
    assert_eq!(full_login(&fake, &server, &phone).await, phone);
    // The same session handling as Cognito mode: the wrong code's new session was used.
    assert_eq!(
        fake.upstream.calls(),
        [
            "whatsapp-signin",
            "whatsapp-responseToauth",
            "whatsapp-responseToauth"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_mode_with_a_refused_developer_token_is_a_clear_503() {
    let fake = start_fake_with(Some(DEVELOPER_TOKEN)).await;
    let server = http_mode_server(&fake, "not-the-token").await;
    let (_, _, status, body) = phone_step(&server, &fresh_phone()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("temporarily_unavailable")),
        "{body}"
    );
    assert!(
        !body.to_string().contains("Forbidden"),
        "upstream text stays in the log"
    );
    assert!(
        fake.upstream.calls().is_empty(),
        "refused before any operation ran"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_mode_keeps_the_no_enumeration_rule_and_error_classes() {
    let fake = start_fake().await;
    let server = cripsa_server_with(&fake, CLIENT_SECRET, |c, url| {
        c.cripsa.mode = "http".into();
        c.cripsa.http.base_url = url.into();
    })
    .await;
    let (_, _, status, unknown) = phone_step(&server, UNKNOWN_NUMBER).await;
    let (_, _, known_status, known) = phone_step(&server, &fresh_phone()).await;
    assert_eq!((status, &unknown["step"]), (known_status, &known["step"]));
    let (_, _, status, body) = phone_step(&server, THROTTLED_NUMBER).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("rate_limited")),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_number_signs_up_upstream_when_the_operator_allows_it() {
    let fake = start_fake().await;
    let server = cripsa_server_with(&fake, CLIENT_SECRET, |c, _| {
        c.cripsa.sign_up_unknown_numbers = true;
    })
    .await;
    assert_eq!(
        full_login(&fake, &server, UNKNOWN_NUMBER).await,
        UNKNOWN_NUMBER
    );
    assert_eq!(
        fake.upstream.calls()[..3],
        ["InitiateAuth", "SignUp", "InitiateAuth"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_that_may_have_gone_out_still_counts_against_the_budget() {
    let fake = start_fake().await;
    let server = cripsa_server_with(&fake, CLIENT_SECRET, |c, _| {
        c.login.sends_per_number_per_hour = 2;
    })
    .await;
    // The sending Lambda failed after the upstream took the call: the message may be out.
    for _ in 0..2 {
        let (_, _, status, body) = phone_step(&server, FAILING_NUMBER).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (503, Some("delivery_failed")),
            "{body}"
        );
    }
    let (_, _, status, body) = phone_step(&server, FAILING_NUMBER).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("send_limit_reached")),
        "{body}"
    );
    // A throttled upstream sent nothing: that does not use up the number's budget.
    for _ in 0..3 {
        let (_, _, status, _) = phone_step(&server, THROTTLED_NUMBER).await;
        assert_eq!(status, 429);
    }
    let throttled_calls = fake
        .upstream
        .calls()
        .iter()
        .filter(|c| *c == "InitiateAuth")
        .count();
    assert_eq!(
        throttled_calls, 5,
        "2 failing sends, 3 throttled ones all reached upstream"
    );
}
