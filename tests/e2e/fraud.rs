//! What keeps message costs from being abused, across two instances on one Redis: a walk over
//! a number range, denied countries, the overall cap and its proof of work, the conversion
//! floor, test numbers, back-off and the safe list.

use crate::support::*;
use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use wagate_server::Deps;
use wagate_server::config::{ChannelPrices, Config, CountryRuleConfig, TestNumberConfig};
use wagate_storage::{Clock, ManualClock, Secret, SystemClock};

const SHARED_REDIS: &str = "redis://127.0.0.1:6379";

/// Two instances on one Redis (one issuer, as behind a load balancer), with one clock.
struct Pair {
    a: TestServer,
    b: TestServer,
    clock: Arc<ManualClock>,
    prefix: String,
}

impl Pair {
    /// Moves wagate's clock, and Redis's expiry of this pair's keys with it.
    async fn travel(&self, by: Duration) {
        self.clock.advance(by);
        let client = redis::Client::open(SHARED_REDIS).unwrap();
        let mut c = client.get_multiplexed_async_connection().await.unwrap();
        crate::redis_time::shorten_ttls(&mut c, &self.prefix, by).await;
    }
}

async fn pair(tweak: impl Fn(&mut Config)) -> Pair {
    let prefix = redis_prefix();
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let deps = || Deps {
        clock: clock.clone(),
        ..Deps::default()
    };
    let setup = |c: &mut Config| {
        use_redis(c, SHARED_REDIS, &prefix);
        c.clients.retain(|client| client.client_id == "portal");
        // These tests are about the rules across numbers: the per-address budgets of one
        // test machine stay out of the way, and the defaults of `[fraud]` come back.
        c.login.sends_per_ip_per_hour = 1_000_000;
        c.login.flows_per_ip_per_minute = 1_000_000;
        c.login.sends_per_number_per_hour = 1_000;
        c.fraud = Default::default();
        tweak(c);
    };
    let a = start_with(deps(), setup).await;
    let issuer = a.issuer.clone();
    let b = start_with(deps(), |c| {
        setup(c);
        c.issuer = issuer.clone();
    })
    .await;
    Pair {
        a,
        b,
        clock,
        prefix,
    }
}

/// Asks for a code to `phone` in a new login on `server`; the status and the answer.
async fn ask(server: &TestServer, phone: &str, solution: Option<&str>) -> (u16, Value) {
    let portal = rp(server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    let mut body = json!({ "phone": phone });
    if let Some(s) = solution {
        body["altcha"] = json!(s);
    }
    post_json(&b, &format!("{flow}/phone"), body).await
}

/// Solves an ALTCHA challenge as the page's script does: the base64 payload.
fn solve(challenge: &Value) -> String {
    let salt = challenge["salt"].as_str().unwrap();
    let target = challenge["challenge"].as_str().unwrap();
    let max = challenge["maxnumber"].as_u64().unwrap();
    let number = (0..=max)
        .find(|n| hex::encode(Sha256::digest(format!("{salt}{n}"))) == target)
        .expect("the puzzle has a solution");
    let payload = json!({
        "algorithm": challenge["algorithm"], "challenge": target, "number": number,
        "salt": salt, "signature": challenge["signature"],
    });
    base64::engine::general_purpose::STANDARD.encode(payload.to_string())
}

fn arrived(a: &TestServer, b: &TestServer) -> usize {
    a.hook.all().len() + b.hook.all().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walking_a_number_range_trips_the_prefix_cap_on_every_instance() {
    // Unverified sends would soon ask for the challenge too (the conversion floor); this
    // test is about the prefix alone.
    let p = pair(|c| {
        c.fraud.conversion_floor = 0.0;
        c.costs.channels.insert(
            "webhook".into(),
            ChannelPrices {
                per_message: Some(0.05),
                countries: [("GB".to_owned(), 0.01)].into_iter().collect(),
            },
        );
    })
    .await;
    let (a, b) = (&p.a, &p.b);
    let mut accepted = 0;
    let mut refused = 0;
    for i in 0..500 {
        let server = if i % 2 == 0 { a } else { b };
        let (status, body) = ask(server, &format!("+44740090{i:04}"), None).await;
        match status {
            200 => accepted += 1,
            429 => {
                assert_eq!(body["error"], "send_limit_reached", "{body}");
                refused += 1;
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(
        (accepted, refused),
        (30, 470),
        "the default: 30 per prefix and hour"
    );
    assert_eq!(arrived(a, b), 30, "refused sends cost nothing");
    // Another prefix is untouched.
    assert_eq!(ask(a, "+447400910000", None).await.0, 200);
    let m = metrics(a).await + &metrics(b).await;
    assert!(
        m.contains(r#"wagate_fraud_refusals_total{rule="prefix_cap"}"#),
        "{m}"
    );
    // 31 messages to the United Kingdom at 0.01 each, estimated.
    let spent: f64 = m
        .lines()
        .filter(|l| l.starts_with(r#"wagate_delivery_cost_total{channel="webhook",region="GB"}"#))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum();
    assert!((spent - 0.31).abs() < 1e-9, "{spent}: {m}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_country_is_refused_before_anything_is_sent_and_caps_count_per_country() {
    let p = pair(|c| {
        c.fraud
            .countries
            .insert("FR".into(), CountryRuleConfig::Word("deny".into()));
        c.fraud
            .countries
            .insert("BR".into(), CountryRuleConfig::HourlyCap(2));
    })
    .await;
    let (a, b) = (&p.a, &p.b);
    let (status, body) = ask(a, "+33612345678", None).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "phone_not_allowed");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("cannot sign in"),
        "{body}"
    );
    assert_eq!(arrived(a, b), 0);

    assert_eq!(ask(a, "+5511912345601", None).await.0, 200);
    assert_eq!(ask(b, "+5511912345602", None).await.0, 200);
    let (status, body) = ask(a, "+5521912345603", None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("send_limit_reached"))
    );
    assert_eq!(
        ask(b, "+447400920001", None).await.0,
        200,
        "other countries go on"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_overall_cap_a_send_needs_a_solved_proof_of_work_used_once() {
    let p = pair(|c| {
        c.fraud.sends_per_hour = 3;
        c.fraud.challenge_difficulty = 5_000;
    })
    .await;
    let (a, b) = (&p.a, &p.b);
    for (i, server) in [a, b, a].into_iter().enumerate() {
        assert_eq!(ask(server, &format!("+44740093000{i}"), None).await.0, 200);
    }
    // Both instances now ask for the challenge; nothing is sent without it.
    let (status, body) = ask(b, "+447400930010", None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("challenge_required"))
    );
    let challenge = body["challenge"].clone();
    assert_eq!(challenge["algorithm"], "SHA-256");
    assert_eq!(challenge["maxnumber"], 5_000);
    assert_eq!(arrived(a, b), 3);

    let solution = solve(&challenge);
    let (status, body) = ask(a, "+447400930010", Some(&solution)).await;
    assert_eq!(status, 200, "{body}");
    a.hook.wait_for_code("+447400930010", 1).await;

    // Used once: the same solution on the other instance is refused, with a new challenge.
    let (status, body) = ask(b, "+447400930011", Some(&solution)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_challenge"))
    );
    let fresh = body["challenge"].clone();
    assert_ne!(fresh["signature"], challenge["signature"]);

    // A wrong number, a forged signature, and an expired solution are refused.
    let good = solve(&fresh);
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&good)
        .unwrap();
    let mut payload: Value = serde_json::from_slice(&decoded).unwrap();
    payload["number"] = json!(payload["number"].as_u64().unwrap() + 1);
    let wrong = base64::engine::general_purpose::STANDARD.encode(payload.to_string());
    assert_eq!(
        ask(a, "+447400930012", Some(&wrong)).await.1["error"],
        "invalid_challenge"
    );
    assert_eq!(
        ask(a, "+447400930012", Some("not a solution")).await.1["error"],
        "invalid_challenge"
    );
    p.travel(Duration::from_secs(301)).await;
    assert_eq!(
        ask(b, "+447400930012", Some(&good)).await.1["error"],
        "invalid_challenge",
        "expired"
    );
    assert_eq!(arrived(a, b), 4);
    let m = metrics(a).await + &metrics(b).await;
    assert!(
        m.contains(r#"wagate_fraud_challenges_total{reason="hourly_cap"}"#),
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_country_whose_codes_go_unverified_needs_the_challenge_alone() {
    let p = pair(|c| {
        c.fraud.conversion_floor = 0.5;
        c.fraud.conversion_min_sends = 4;
    })
    .await;
    let (a, b) = (&p.a, &p.b);
    // Brazil: four codes sent, none typed.
    for i in 0..4 {
        let server = if i % 2 == 0 { a } else { b };
        assert_eq!(ask(server, &format!("+551191234560{i}"), None).await.0, 200);
    }
    let (status, body) = ask(a, "+5511912345699", None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("challenge_required"))
    );
    // The United Kingdom: its people type their codes, and it asks for nothing.
    for i in 0..4 {
        let phone = format!("+44740094000{i}");
        let url = login_json(
            a,
            &browser(),
            &authorize_url(&rp(a, "portal", Some(PORTAL_SECRET)).await, false, &[]).url,
            &phone,
        )
        .await;
        assert!(query(&url, "code").is_some());
    }
    assert_eq!(ask(b, "+447400940099", None).await.0, 200);
    let m = metrics(a).await;
    assert!(
        m.contains(r#"wagate_fraud_challenges_total{reason="low_conversion"}"#),
        "{m}"
    );
    assert!(
        m.contains(r#"wagate_codes_verified_total{channel="webhook",region="GB"} 4"#),
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_numbers_sign_in_with_their_code_and_no_message() {
    let p = pair(|c| {
        c.fraud.test_numbers = vec![TestNumberConfig {
            number: "+44 7400 950000".into(),
            code: Secret::new("24682468"),
        }];
    })
    .await;
    let (a, b) = (&p.a, &p.b);
    let portal = rp(a, "portal", Some(PORTAL_SECRET)).await;
    let browser = browser();
    let flow = open_flow(&browser, &authorize_url(&portal, false, &[]).url).await;
    let (status, sent) = post_json(
        &browser,
        &format!("{flow}/phone"),
        json!({"phone": "+447400950000"}),
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["code_length"], 8);
    let (status, wrong) = post_json(
        &browser,
        &format!("{flow}/code"),
        json!({"code": "13571357"}),
    )
    .await;
    assert_eq!(
        (status, wrong["error"].as_str()),
        (400, Some("invalid_code"))
    );
    let (status, done) = post_json(
        &browser,
        &format!("{flow}/code"),
        json!({"code": "24682468"}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["step"], "done");
    assert_eq!(arrived(a, b), 0, "no message at all");
    assert!(a.hook.arrived.load(std::sync::atomic::Ordering::SeqCst) == 0);
    let m = metrics(a).await;
    assert!(m.contains("wagate_test_number_sends_total 1"), "{m}");
    assert!(
        !m.contains("wagate_codes_verified_total{"),
        "a test number's code is no code of the funnel: {m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_that_keeps_asking_waits_longer_each_time() {
    let p = pair(|_| {}).await;
    let (a, b) = (&p.a, &p.b);
    let phone = "+447400960000";
    // Three sends are free (the default), each in a login of its own.
    for server in [a, b, a] {
        assert_eq!(ask(server, phone, None).await.0, 200);
    }
    let mut waits = Vec::new();
    for _ in 0..3 {
        // The next send goes, and holds the one after it for longer than the last.
        assert_eq!(ask(b, phone, None).await.0, 200);
        let (status, body) = ask(a, phone, None).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (429, Some("resend_too_soon")),
            "{body}"
        );
        let wait = body["retry_in"].as_u64().unwrap();
        waits.push(wait);
        p.travel(Duration::from_secs(wait + 1)).await;
    }
    // 60 s, then 120 s, then 240 s, each between half and all of it.
    assert!((30..=60).contains(&waits[0]), "{waits:?}");
    assert!((60..=120).contains(&waits[1]), "{waits:?}");
    assert!((120..=240).contains(&waits[2]), "{waits:?}");
    // Left alone for the quiet hour, the number starts afresh.
    p.travel(Duration::from_secs(3600)).await;
    for server in [a, b, a] {
        assert_eq!(ask(server, phone, None).await.0, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_safe_list_bypasses_every_budget_and_rule() {
    let p = pair(|c| {
        c.fraud.safe_numbers = vec!["+33 6 12 34 56 78".into()];
        c.fraud
            .countries
            .insert("FR".into(), CountryRuleConfig::Word("deny".into()));
        c.fraud.sends_per_hour = 1;
        c.login.sends_per_number_per_hour = 2;
    })
    .await;
    let (a, b) = (&p.a, &p.b);
    for i in 0..8 {
        let server = if i % 2 == 0 { a } else { b };
        let (status, body) = ask(server, "+33612345678", None).await;
        assert_eq!(status, 200, "send {i}: {body}");
    }
    assert_eq!(arrived(a, b), 8);
    // Others in that country are refused, and everyone else meets the overall cap.
    assert_eq!(
        ask(a, "+33612345679", None).await.1["error"],
        "phone_not_allowed"
    );
    assert_eq!(ask(a, "+447400970000", None).await.0, 200);
    assert_eq!(
        ask(b, "+447400970001", None).await.1["error"],
        "challenge_required"
    );
}

/// A captcha provider's `siteverify`, as far as wagate can tell: each solved token works once.
struct FakeSiteverify {
    url: String,
    secrets: std::sync::Mutex<Vec<String>>,
    used: std::sync::Mutex<Vec<String>>,
}

async fn siteverify(
    form: actix_web::web::Form<std::collections::HashMap<String, String>>,
    fake: actix_web::web::Data<Arc<FakeSiteverify>>,
) -> actix_web::HttpResponse {
    fake.secrets
        .lock()
        .unwrap()
        .push(form.get("secret").cloned().unwrap_or_default());
    let token = form.get("response").cloned().unwrap_or_default();
    let mut used = fake.used.lock().unwrap();
    let success = token.starts_with("solved-") && !used.contains(&token);
    used.push(token);
    actix_web::HttpResponse::Ok().json(json!({ "success": success }))
}

async fn fake_siteverify() -> Arc<FakeSiteverify> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let fake = Arc::new(FakeSiteverify {
        url: format!("http://{}/siteverify", listener.local_addr().unwrap()),
        secrets: Default::default(),
        used: Default::default(),
    });
    let data = actix_web::web::Data::new(fake.clone());
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .app_data(data.clone())
            .route("/siteverify", actix_web::web::post().to(siteverify))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    fake
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operators_captcha_can_stand_in_for_the_proof_of_work() {
    let fake = fake_siteverify().await;
    let p = pair(|c| {
        c.fraud.sends_per_hour = 1;
        c.fraud.challenge = "turnstile".into();
        c.fraud.captcha_site_key = Some("0x-site-key".into());
        c.fraud.captcha_secret = Some(Secret::new("captcha-secret-0123456789"));
        c.fraud.captcha_verify_url = Some(fake.url.clone());
    })
    .await;
    let (a, b) = (&p.a, &p.b);
    assert_eq!(ask(a, "+447400980000", None).await.0, 200);
    let (status, body) = ask(b, "+447400980001", None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("challenge_required"))
    );
    assert_eq!(
        body["challenge"],
        json!({"type": "turnstile", "site_key": "0x-site-key"})
    );
    let (_, body) = ask(a, "+447400980001", Some("forged")).await;
    assert_eq!(body["error"], "invalid_challenge");
    assert_eq!(ask(b, "+447400980001", Some("solved-1")).await.0, 200);
    let (_, body) = ask(a, "+447400980002", Some("solved-1")).await;
    assert_eq!(body["error"], "invalid_challenge", "a token works once");
    assert!(
        fake.secrets
            .lock()
            .unwrap()
            .iter()
            .all(|s| s == "captcha-secret-0123456789")
    );

    // The page shows the provider's widget, and its policy allows the provider alone.
    let portal = rp(a, "portal", Some(PORTAL_SECRET)).await;
    let browser = browser();
    let flow = open_flow(&browser, &authorize_url(&portal, false, &[]).url).await;
    let (_, html, _) = crate::pages::page(&browser, &flow).await;
    let csrf = crate::pages::csrf_of(&html);
    let res = crate::pages::post_form(
        &browser,
        &format!("{flow}/phone"),
        &[("csrf", &csrf), ("phone", "+447400980003")],
    )
    .await;
    assert_eq!(res.status(), 400);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = res.text().await.unwrap();
    assert!(
        html.contains(r#"<div class="cf-turnstile" data-sitekey="0x-site-key"></div>"#),
        "{html}"
    );
    assert!(html.contains(
        r#"<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer>"#
    ));
    assert!(
        csp.contains("frame-src https://challenges.cloudflare.com"),
        "{csp}"
    );
    assert!(csp.contains("script-src 'sha256-"), "{csp}");
    // The widget's token comes back in its own field.
    let res = crate::pages::post_form(
        &browser,
        &format!("{flow}/phone"),
        &[
            ("csrf", &csrf),
            ("phone", "+447400980003"),
            ("cf-turnstile-response", "solved-2"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303, "on to the code page");
}
