//! wagate on Redis: logins across two instances sharing one Redis, and surviving a Redis outage.

use crate::support::*;
use serde_json::json;
use std::path::PathBuf;
use wagate_oidc::{SigningAlg, generate_pem};
use wagate_server::config::{Config, KeyConfig};

const SHARED_REDIS: &str = "redis://127.0.0.1:6379";

fn shared_keys() -> Vec<KeyConfig> {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("redis-rs256-{}.pem", std::process::id()));
    if !path.exists() {
        std::fs::write(&path, generate_pem(SigningAlg::RS256).unwrap()).unwrap();
    }
    vec![KeyConfig {
        alg: "RS256".into(),
        private_key_file: path,
        kid: Some("shared".into()),
    }]
}

fn on_shared_redis(prefix: &str) -> impl Fn(&mut Config) + '_ {
    move |c: &mut Config| {
        use_redis(c, SHARED_REDIS, prefix);
        c.keys = shared_keys();
        c.clients
            .retain(|client| client.client_id == "portal" || client.client_id == "spa");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_step_may_land_on_either_instance() {
    let prefix = redis_prefix();
    let a = start(on_shared_redis(&prefix)).await;
    // One issuer for both, as behind a load balancer.
    let b = start(|c| {
        on_shared_redis(&prefix)(c);
        c.issuer = a.issuer.clone();
    })
    .await;
    let portal = rp(&a, "portal", Some(PORTAL_SECRET)).await;
    let browser = browser();
    let phone = fresh_phone();

    // /authorize on A, the phone step on B, the code step on A, the token on B, userinfo on A.
    let pending = authorize_url(&portal, false, &[]);
    let url = pending
        .url
        .replace("scope=openid+phone", "scope=openid+phone+offline_access");
    let flow_on_a = open_flow(&browser, &url).await;
    let flow_on_b = flow_on_a.replace(&a.public, &b.public);
    let (status, body) = post_json(
        &browser,
        &format!("{flow_on_b}/phone"),
        json!({"phone": phone}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let code = b.hook.last_code_for(&phone);
    let (status, body) = post_json(
        &browser,
        &format!("{flow_on_a}/code"),
        json!({"code": code}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let back = url::Url::parse(body["redirect_to"].as_str().unwrap()).unwrap();
    let (status, tokens) = redeem_raw(&b, &query(&back, "code").unwrap()).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(
        userinfo_status(&a, tokens["access_token"].as_str().unwrap()).await,
        200
    );

    // A refresh on A, the reuse of the old token on B: the family dies everywhere.
    let rt1 = tokens["refresh_token"].as_str().unwrap();
    let form = |rt: &str| {
        vec![
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", rt.to_owned()),
        ]
    };
    let refreshed: serde_json::Value = fetch_json(
        rp_http()
            .post(format!("{}/token", a.issuer))
            .basic_auth("portal", Some(PORTAL_SECRET))
            .form(&form(rt1)),
    )
    .await;
    let at2 = refreshed["access_token"].as_str().unwrap();
    let reuse = rp_http()
        .post(format!("{}/token", b.public))
        .basic_auth("portal", Some(PORTAL_SECRET))
        .form(&form(rt1))
        .send()
        .await
        .unwrap();
    assert_eq!(reuse.status(), 400);
    assert_eq!(userinfo_status(&a, at2).await, 401);
    let on_b = rp_http()
        .get(format!("{}/userinfo", b.public))
        .bearer_auth(at2)
        .send()
        .await
        .unwrap();
    assert_eq!(on_b.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attempts_and_budgets_are_shared_by_the_instances() {
    let prefix = redis_prefix();
    let a = start(on_shared_redis(&prefix)).await;
    let b = start(|c| {
        on_shared_redis(&prefix)(c);
        c.issuer = a.issuer.clone();
    })
    .await;
    let portal = rp(&a, "portal", Some(PORTAL_SECRET)).await;
    let browser = browser();
    let flow_a = open_flow(&browser, &authorize_url(&portal, false, &[]).url).await;
    let flow_b = flow_a.replace(&a.public, &b.public);
    let code = send_code(&a, &browser, &flow_a, &fresh_phone()).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    // Wrong codes alternate between the instances: one count of five.
    for (i, flow) in [&flow_a, &flow_b, &flow_a, &flow_b, &flow_a]
        .into_iter()
        .enumerate()
    {
        let (status, body) =
            post_json(&browser, &format!("{flow}/code"), json!({"code": wrong})).await;
        assert_eq!(status, 400);
        assert_eq!(body["attempts_left"], 4 - i);
    }
    let (status, _) = post_json(&browser, &format!("{flow_b}/code"), json!({"code": code})).await;
    assert_eq!(status, 410, "the flow died on both instances");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_outage_is_a_clean_503_and_service_resumes_by_itself() {
    let mut redis = PrivateRedis::start();
    let prefix = redis_prefix();
    let url = redis.url();
    let server = start(|c| use_redis(c, &url, &prefix)).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let ready = |server: &TestServer| {
        let url = format!("{}/healthz/ready", server.ops);
        async move { rp_http().get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(ready(&server).await, 200);
    login_json(
        &server,
        &browser(),
        &authorize_url(&portal, false, &[]).url,
        &fresh_phone(),
    )
    .await;

    // Load while Redis goes away: every answer is a clean 503 or a redirect with
    // temporarily_unavailable, never a 500, never a hang past the timeout.
    redis.stop();
    assert_eq!(ready(&server).await, 503);
    let mut load = Vec::new();
    for _ in 0..8 {
        let (url, issuer) = (
            authorize_url(&portal, false, &[]).url,
            server.issuer.clone(),
        );
        load.push(tokio::spawn(async move {
            let started = std::time::Instant::now();
            let res = browser().get(&url).send().await.unwrap();
            let status = res.status().as_u16();
            let location = location(&res);
            let token = rp_http()
                .post(format!("{issuer}/token"))
                .basic_auth("portal", Some(PORTAL_SECRET))
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("code", "x"),
                    ("redirect_uri", CALLBACK),
                ])
                .send()
                .await
                .unwrap();
            (
                started.elapsed(),
                status,
                location,
                token.status().as_u16(),
                token.text().await.unwrap(),
            )
        }));
    }
    for task in load {
        let (took, status, location, token_status, token_body) = task.await.unwrap();
        assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
        assert_eq!(status, 303);
        assert!(
            location.contains("error=temporarily_unavailable"),
            "{location}"
        );
        assert_eq!(token_status, 503, "{token_body}");
        assert!(token_body.contains("temporarily_unavailable"));
    }

    // Redis is back (empty, as after a crash): service resumes without a restart.
    redis.resume();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while ready(&server).await != 200 {
        assert!(
            std::time::Instant::now() < deadline,
            "never got ready again"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    login_json(
        &server,
        &browser(),
        &authorize_url(&portal, false, &[]).url,
        &fresh_phone(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_keys_are_shared_through_redis_and_rotate() {
    let prefix = redis_prefix();
    let configure = |c: &mut Config| {
        use_redis(c, SHARED_REDIS, &prefix);
        c.signing.key_encryption_key = Some(wagate_storage::Secret::new(
            "a-key-encryption-key-of-32-chars!!",
        ));
        c.clients.retain(|client| client.client_id == "portal");
    };
    // One clock for both instances and the operator's rotate command.
    let clock = std::sync::Arc::new(wagate_storage::ManualClock::new(
        wagate_storage::Clock::now(&wagate_storage::SystemClock),
    ));
    let deps = wagate_server::Deps {
        clock: clock.clone(),
        ..wagate_server::Deps::default()
    };
    let a = start_with(deps.clone(), configure).await;
    let b = start_with(deps.clone(), |c| {
        configure(c);
        c.issuer = a.issuer.clone();
    })
    .await;
    let jwks = |base: String| async move {
        let v: serde_json::Value = fetch_json(rp_http().get(format!("{base}/jwks.json"))).await;
        let mut kids: Vec<String> = v["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap().to_owned())
            .collect();
        kids.sort();
        kids
    };
    let before = jwks(a.public.clone()).await;
    assert_eq!(before.len(), 3, "one key per algorithm, generated once");
    assert_eq!(
        jwks(b.public.clone()).await,
        before,
        "both instances publish the same keys"
    );

    let portal = rp(&a, "portal", Some(PORTAL_SECRET)).await;
    let (c, _) = obtain_code(&a, &portal, false).await;
    let (_, old_tokens) = redeem_raw(&a, &c).await;
    let old_access = old_tokens["access_token"].as_str().unwrap().to_owned();
    let on_b = |token: String| {
        let url = format!("{}/userinfo", b.public);
        async move {
            rp_http()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        on_b(old_access.clone()).await,
        200,
        "B verifies what A signed"
    );

    // wagate keys rotate, as an operator runs it with the instances' configuration.
    let mut config = Config::default();
    configure(&mut config);
    config.issuer = a.issuer.clone();
    config.totp.encryption_key = Some(wagate_storage::Secret::new(TOTP_KEY));
    let settings = wagate_server::config::resolve(
        &config,
        &wagate_server::config::Source::File("rotate".into()),
    )
    .unwrap();
    let new_kids = wagate_server::rotate_keys(settings, &deps).await.unwrap();
    assert_eq!(new_kids.len(), 3);
    a.keys.reload().await;
    b.keys.reload().await;
    let after = jwks(a.public.clone()).await;
    assert_eq!(
        after.len(),
        6,
        "new keys are published at once, old keys stay"
    );
    assert_eq!(jwks(b.public.clone()).await, after);

    // Until every instance has had time to reload, the old key keeps signing.
    let (c, _) = obtain_code(&a, &portal, false).await;
    let (_, tokens) = redeem_raw(&a, &c).await;
    let header = jsonwebtoken::decode_header(tokens["id_token"].as_str().unwrap()).unwrap();
    assert!(
        !new_kids.contains(&header.kid.unwrap()),
        "the new key waits"
    );

    clock.advance(2 * wagate_server::signing::KEY_RELOAD_INTERVAL);
    a.keys.reload().await;
    b.keys.reload().await;
    let (c, _) = obtain_code(&a, &portal, false).await;
    let (_, new_tokens) = redeem_raw(&a, &c).await;
    let header = jsonwebtoken::decode_header(new_tokens["id_token"].as_str().unwrap()).unwrap();
    assert!(new_kids.contains(&header.kid.unwrap()), "the new key signs");
    assert_eq!(
        on_b(new_tokens["access_token"].as_str().unwrap().to_owned()).await,
        200
    );
    assert_eq!(
        on_b(old_access).await,
        200,
        "tokens of the old key stay valid"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wagate_starts_without_redis_and_gets_ready_when_it_comes() {
    let mut redis = PrivateRedis::start();
    redis.stop();
    let (url, prefix) = (redis.url(), redis_prefix());
    let server = start(|c| use_redis(c, &url, &prefix)).await;
    let status = |path: &'static str| {
        let url = format!("{}{path}", server.ops);
        async move { rp_http().get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(status("/healthz/live").await, 200);
    assert_eq!(status("/healthz/ready").await, 503);
    // Without Redis the token endpoint answers a clean 503.
    let (code, body) = redeem_raw(&server, "x").await;
    assert_eq!(
        (code, body["error"].as_str()),
        (503, Some("temporarily_unavailable"))
    );

    redis.resume();
    // Readiness follows Redis by itself; under a loaded machine the first connection may take
    // longer than the call timeout, so look again until it turns (bounded).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while status("/healthz/ready").await != 200 {
        assert!(std::time::Instant::now() < deadline, "never got ready");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Ready means able to sign: the keys were loaded by the instance's own retries.
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let (c, _) = obtain_code(&server, &portal, false).await;
    let (code, tokens) = redeem_raw(&server, &c).await;
    assert_eq!(code, 200, "{tokens}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authenticators_are_shared_and_used_once_across_instances() {
    use crate::totp::{enroll, get_json, now, totp};
    let prefix = redis_prefix();
    let clock = std::sync::Arc::new(wagate_storage::ManualClock::new(
        wagate_storage::Clock::now(&wagate_storage::SystemClock),
    ));
    let deps = || wagate_server::Deps {
        clock: clock.clone(),
        ..Default::default()
    };
    let a = start_with(deps(), on_shared_redis(&prefix)).await;
    let b = start_with(deps(), |c| {
        on_shared_redis(&prefix)(c);
        c.issuer = a.issuer.clone();
    })
    .await;
    let portal = rp(&a, "portal", Some(PORTAL_SECRET)).await;
    // Enrolled on A (sealed secret, revision and recovery digests in Redis), seen on B.
    let person = enroll(&a, &clock, &portal).await;
    let (_, state) = get_json(&person.browser, &format!("{}/account", b.public)).await;
    assert_eq!(state["totp"]["active"], true);
    assert_eq!(state["totp"]["recovery_codes_left"], 10);

    // The next code signs in on B; the same code is then refused on A.
    let code = totp(&person.secret, now(&clock) + 30);
    let mut answers = Vec::new();
    for server in [&b, &a] {
        let browser = browser();
        let flow = open_flow(&browser, &authorize_url(&portal, false, &[]).url).await;
        let flow = flow.replace(&a.public, &server.public);
        answers.push(
            post_json(
                &browser,
                &format!("{flow}/totp"),
                json!({"phone": person.phone, "code": code}),
            )
            .await,
        );
    }
    assert_eq!(answers[0].0, 200, "{}", answers[0].1);
    assert_eq!(answers[0].1["step"], "done");
    assert_eq!(
        (answers[1].0, answers[1].1["error"].as_str()),
        (400, Some("invalid_code"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_removes_a_lost_authenticator() {
    use crate::totp::{enrolled, get_json};
    let prefix = redis_prefix();
    let (server, _clock, _portal, person) = enrolled(on_shared_redis(&prefix)).await;

    // As `wagate users remove-authenticator` runs it, with the instances' configuration.
    let settings = || {
        let mut config = Config::default();
        on_shared_redis(&prefix)(&mut config);
        config.totp.encryption_key = Some(wagate_storage::Secret::new(TOTP_KEY));
        wagate_server::config::resolve(&config, &wagate_server::config::Source::File("x".into()))
            .unwrap()
    };
    let deps = wagate_server::Deps::default();
    let remove = |phone: &str| wagate_server::UsersCommand::RemoveAuthenticator {
        phone: Some(phone.to_owned()),
        sub: None,
    };
    // Typed as people type it, with a space.
    let typed = format!("{} {}", &person.phone[..3], &person.phone[3..]);
    let shown = wagate_server::users(settings(), remove(&typed), &deps)
        .await
        .unwrap();
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["authenticator"], false);
    assert_eq!(shown["phone_number"], person.phone.as_str());
    let (_, state) = get_json(&person.browser, &format!("{}/account", server.public)).await;
    assert_eq!(state["totp"]["active"], false);
    let again = wagate_server::users(settings(), remove(&person.phone), &deps).await;
    assert!(
        again
            .as_ref()
            .is_err_and(|e| e.contains("no authenticator")),
        "nothing left to remove: {again:?}"
    );
    assert!(
        wagate_server::users(settings(), remove("not a number"), &deps)
            .await
            .is_err()
    );
}
