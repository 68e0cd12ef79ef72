//! The OTP policy seen from outside: attempts, expiry, resend, budgets, delivery, races.

use crate::authorize_errors::get_json;
use crate::support::*;
use serde_json::json;
use std::sync::atomic::Ordering;
use std::time::Duration;

async fn new_flow(server: &TestServer, b: &reqwest::Client) -> String {
    let spa = rp(server, "portal", Some(PORTAL_SECRET)).await;
    open_flow(b, &authorize_url(&spa, false, &[]).url).await
}

fn wrong(code: &str) -> String {
    if code == "000000" {
        "111111".into()
    } else {
        "000000".into()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_codes_count_down_then_the_flow_is_dead() {
    let server = default_server().await;
    let b = browser();
    let flow = new_flow(&server, &b).await;
    let phone = fresh_phone();
    let code = send_code(&server, &b, &flow, &phone).await;
    for left in (0..5).rev() {
        let (status, body) =
            post_json(&b, &format!("{flow}/code"), json!({"code": wrong(&code)})).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"], "invalid_code");
        assert_eq!(body["attempts_left"], left);
    }
    // Even the right code is refused now.
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": code})).await;
    assert_eq!(status, 410, "{body}");
    assert_eq!(body["error"], "flow_expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_never_exceed_the_attempt_limit() {
    let server = default_server().await;
    let b = browser();
    let flow = new_flow(&server, &b).await;
    let code = send_code(&server, &b, &flow, &fresh_phone()).await;
    let guesses = (0..12).map(|_| {
        let (b, url, guess) = (b.clone(), format!("{flow}/code"), wrong(&code));
        tokio::spawn(async move { post_json(&b, &url, json!({"code": guess})).await })
    });
    let mut checked = 0;
    for g in guesses {
        let (status, body) = g.await.unwrap();
        match status {
            400 => {
                assert_eq!(body["error"], "invalid_code");
                checked += 1;
            }
            410 => assert_eq!(body["error"], "flow_expired"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(checked, 5, "exactly max_attempts guesses were checked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_right_answers_complete_one_login() {
    let server = default_server().await;
    let b = browser();
    let flow = new_flow(&server, &b).await;
    let code = send_code(&server, &b, &flow, &fresh_phone()).await;
    let tries = (0..8).map(|_| {
        let (b, url, code) = (b.clone(), format!("{flow}/code"), code.clone());
        tokio::spawn(async move { post_json(&b, &url, json!({"code": code})).await })
    });
    let mut done = 0;
    for t in tries {
        let (status, body) = t.await.unwrap();
        if status == 200 {
            assert_eq!(body["step"], "done");
            done += 1;
        } else {
            assert_eq!(status, 410, "{body}");
        }
    }
    assert_eq!(done, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resend_waits_for_the_cooldown_and_replaces_the_code() {
    let (server, clock) = start_with_clock(|_| {}).await;
    let b = browser();
    let flow = new_flow(&server, &b).await;
    let phone = fresh_phone();
    let first = send_code(&server, &b, &flow, &phone).await;

    let res = b
        .post(format!("{flow}/resend"))
        .header("Accept", "application/json")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.headers().get("retry-after").is_some());
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "resend_too_soon");
    assert_eq!(body["retry_in"], 30);

    clock.advance(Duration::from_secs(30));
    let (status, body) = post_json(&b, &format!("{flow}/resend"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["resend_in"], 30);
    assert_eq!(server.hook.count_for(&phone), 2);
    let second = server.hook.last_code_for(&phone);
    if first != second {
        let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": first})).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_code")),
            "the old code died"
        );
    }
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": second})).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_expire_and_can_be_replaced() {
    let (server, clock) = start_with_clock(|_| {}).await;
    let b = browser();
    let flow = new_flow(&server, &b).await;
    let phone = fresh_phone();
    let code = send_code(&server, &b, &flow, &phone).await;
    clock.advance(Duration::from_secs(300));
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": code})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("code_expired")),
        "{body}"
    );
    let (status, _) = post_json(&b, &format!("{flow}/resend"), json!({})).await;
    assert_eq!(status, 200);
    let fresh = server.hook.last_code_for(&phone);
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": fresh})).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flows_expire() {
    let (server, clock) = start_with_clock(|_| {}).await;
    let b = browser();
    let flow = new_flow(&server, &b).await;
    clock.advance(Duration::from_secs(901));
    let (status, body) = get_json(&b, &flow).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (410, Some("flow_expired"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_does_not_reveal_whether_a_number_is_known() {
    // A clock of the test's own: a second ticking over between two answers is no difference.
    let (server, _clock) = start_with_clock(|_| {}).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let known = fresh_phone();
    login_json(
        &server,
        &browser(),
        &authorize_url(&portal, false, &[]).url,
        &known,
    )
    .await;
    let mut answers = Vec::new();
    for phone in [known, fresh_phone()] {
        let b = browser();
        let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
        answers.push(post_json(&b, &format!("{flow}/phone"), json!({"phone": phone})).await);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(
        answers[0].1,
        json!({"step": "code", "channel": "whatsapp", "delivery": "sent", "fallback": null,
               "new_code": true, "code_length": 6, "expires_in": 300, "resend_in": 30})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hourly_budget_of_a_number_holds_across_flows() {
    let server = start(|c| c.login.sends_per_number_per_hour = 2).await;
    let phone = fresh_phone();
    for expected in [200, 200, 429] {
        let b = browser();
        let flow = new_flow(&server, &b).await;
        let (status, body) = post_json(&b, &format!("{flow}/phone"), json!({"phone": phone})).await;
        assert_eq!(status, expected, "{body}");
        if status == 429 {
            assert_eq!(body["error"], "send_limit_reached");
        }
    }
    assert_eq!(
        server.hook.count_for(&phone),
        2,
        "the third code was never sent"
    );
}

async fn phone_step(b: &reqwest::Client, flow: &str, phone: &str) -> (u16, serde_json::Value) {
    post_json(b, &format!("{flow}/phone"), json!({"phone": phone})).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_cannot_be_reached_gives_the_send_back() {
    // Nothing listens there: no connection, so certainly nothing was sent.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/otp", closed.local_addr().unwrap());
    drop(closed);
    let server = start(|c| {
        c.delivery.webhook_url = Some(url);
        c.login.sends_per_number_per_hour = 1;
    })
    .await;
    let b = browser();
    let flow = new_flow(&server, &b).await;
    let phone = fresh_phone();
    // Neither the flow's cooldown nor the number's budget of one was spent.
    for _ in 0..3 {
        let (status, body) = phone_step(&b, &flow, &phone).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (503, Some("delivery_failed")),
            "{body}"
        );
        assert!(
            !body["error_description"]
                .as_str()
                .unwrap()
                .contains("refused"),
            "no internals leak"
        );
    }
    let other = new_flow(&server, &b).await;
    let (status, body) = phone_step(&b, &other, &phone).await;
    assert_eq!(status, 503, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_error_answer_counts_as_a_send() {
    let server = start(|c| c.login.sends_per_number_per_hour = 1).await;
    let b = browser();
    let flow = new_flow(&server, &b).await;
    let phone = fresh_phone();
    server.hook.fail.store(true, Ordering::SeqCst);
    let (status, body) = phone_step(&b, &flow, &phone).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("delivery_failed")),
        "{body}"
    );
    assert!(
        !body["error_description"].as_str().unwrap().contains("500"),
        "no internals leak"
    );
    // The gateway had the message in hand: the cooldown and the number's budget hold.
    server.hook.fail.store(false, Ordering::SeqCst);
    let (status, body) = phone_step(&b, &flow, &phone).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("resend_too_soon")),
        "{body}"
    );
    let other = new_flow(&server, &b).await;
    let (status, body) = phone_step(&b, &other, &phone).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("send_limit_reached")),
        "{body}"
    );
    assert_eq!(server.hook.arrived.load(Ordering::SeqCst), 1);
    assert_eq!(server.hook.bad_signatures.load(Ordering::SeqCst), 0);

    // Another number goes through, signed and complete.
    let code = send_code(&server, &b, &other, &fresh_phone()).await;
    let (status, _) = post_json(&b, &format!("{other}/code"), json!({"code": code})).await;
    assert_eq!(status, 200);
    let delivered = server.hook.all();
    let last = delivered.last().unwrap();
    assert_eq!(last.expires_in, 300);
    assert!(last.message.contains(&last.code));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_gateway_does_not_make_sends_free() {
    let server = start(|c| {
        c.delivery.webhook_timeout_secs = 1;
        c.login.sends_per_number_per_hour = 2;
    })
    .await;
    // It takes the message, and answers after wagate stopped waiting.
    server.hook.delay_ms.store(2_500, Ordering::SeqCst);
    let b = browser();
    let flow = new_flow(&server, &b).await;
    let phone = fresh_phone();
    let (status, body) = phone_step(&b, &flow, &phone).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("delivery_failed")),
        "{body}"
    );
    // The page says what is known: maybe nothing arrived; a new code after the cooldown.
    let html = b.get(&flow).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("could not confirm that a code reached"),
        "{html}"
    );
    assert!(!html.contains("0-digit"), "{html}");
    // Seven more at once in the same flow: the cooldown holds, nothing more goes out.
    for _ in 0..7 {
        let (status, body) = phone_step(&b, &flow, &phone).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (429, Some("resend_too_soon")),
            "{body}"
        );
        assert!(body["retry_in"].as_u64().unwrap() > 0);
    }
    // Other flows for the number: the hourly budget counts the timed-out sends.
    let (status, _) = phone_step(&b, &new_flow(&server, &b).await, &phone).await;
    assert_eq!(status, 503);
    let (status, body) = phone_step(&b, &new_flow(&server, &b).await, &phone).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("send_limit_reached")),
        "{body}"
    );
    assert_eq!(server.hook.arrived.load(Ordering::SeqCst), 2);
}

async fn send_from(server: &TestServer, forwarded_for: &str) -> u16 {
    send_with(server, "X-Forwarded-For", forwarded_for).await
}

async fn send_with(server: &TestServer, header: &str, value: &str) -> u16 {
    let b = browser();
    let flow = new_flow(server, &b).await;
    b.post(format!("{flow}/phone"))
        .header("Accept", "application/json")
        .header(header, value)
        .json(&json!({"phone": fresh_phone()}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_address_budget_follows_x_forwarded_for_only_from_trusted_proxies() {
    let behind_proxy = start(|c| {
        c.http.trusted_proxies = vec!["127.0.0.1".into()];
        c.login.sends_per_ip_per_hour = 1;
    })
    .await;
    assert_eq!(send_from(&behind_proxy, "198.51.100.1").await, 200);
    assert_eq!(
        send_from(&behind_proxy, "198.51.100.2").await,
        200,
        "another client"
    );
    assert_eq!(
        send_from(&behind_proxy, "6.6.6.6, 198.51.100.1").await,
        429,
        "a forged hop changes nothing"
    );
    // A client's own Forwarded header is not what this proxy writes: ignored (the address is
    // the proxy's, whose budget is still whole; the second try is over it).
    assert_eq!(
        send_with(&behind_proxy, "Forwarded", "for=198.51.100.9").await,
        200
    );
    assert_eq!(
        send_with(&behind_proxy, "Forwarded", "for=198.51.100.10").await,
        429
    );

    // A proxy configured to write RFC 7239 Forwarded: that header, and only it, is read.
    let rfc7239 = start(|c| {
        c.http.trusted_proxies = vec!["127.0.0.1".into()];
        c.http.forwarded_header = "forwarded".into();
        c.login.sends_per_ip_per_hour = 1;
    })
    .await;
    assert_eq!(
        send_with(&rfc7239, "Forwarded", "for=198.51.100.3;proto=https").await,
        200
    );
    assert_eq!(
        send_with(&rfc7239, "Forwarded", "for=\"198.51.100.3:4711\"").await,
        429
    );
    assert_eq!(
        send_with(&rfc7239, "Forwarded", "for=\"[2001:db8::1]\"").await,
        200
    );
    assert_eq!(
        send_from(&rfc7239, "198.51.100.3").await,
        200,
        "X-Forwarded-For is not read then"
    );

    let direct = start(|c| c.login.sends_per_ip_per_hour = 1).await;
    assert_eq!(send_from(&direct, "198.51.100.1").await, 200);
    assert_eq!(
        send_from(&direct, "198.51.100.2").await,
        429,
        "an untrusted peer cannot pick its address"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_logins_is_limited_per_address() {
    let server = start(|c| c.login.flows_per_ip_per_minute = 2).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let url = authorize_url(&portal, false, &[]).url;
    for _ in 0..2 {
        open_flow(&browser(), &url).await;
    }
    let res = browser().get(&url).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let back = url::Url::parse(&location(&res)).unwrap();
    assert!(back.as_str().starts_with(CALLBACK), "{back}");
    assert_eq!(
        query(&back, "error").as_deref(),
        Some("temporarily_unavailable")
    );
    assert_eq!(query(&back, "iss").as_deref(), Some(server.issuer.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_behind_a_tls_proxy_is_sent_to_https() {
    let server = start(|c| {
        c.issuer = c.issuer.replace("http://", "https://");
        c.http.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    let http = rp_http();
    let url = format!("{}/.well-known/openid-configuration?x=1", server.public);
    // The trusted proxy says the client used plain http: GETs go to https, the rest is refused.
    let res = http
        .get(&url)
        .header("X-Forwarded-Proto", "http")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 308);
    assert_eq!(
        location(&res),
        format!("{}/.well-known/openid-configuration?x=1", server.issuer)
    );
    let res = http
        .post(format!("{}/token", server.public))
        .header("X-Forwarded-Proto", "http")
        .form(&[("grant_type", "authorization_code")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    // Over https (or with no word from the proxy) it is served.
    let res = http
        .get(&url)
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(http.get(&url).send().await.unwrap().status(), 200);
}
