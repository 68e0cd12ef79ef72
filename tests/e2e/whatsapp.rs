//! The WhatsApp Cloud API channel end to end: wagate sends through the fake Cloud API that
//! ships with it, receives its signed status webhooks (on any instance, over Redis), sorts
//! Meta's errors, and sends the same code by the fallback channel (the test's webhook
//! gateway, an "SMS" one) for each of its three triggers.

use crate::support::*;
use openidconnect::TokenResponse;
use serde_json::{Value, json};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;
use wagate_dev::whatsapp::{self as magic, FakeWhatsApp, FakeWhatsAppSettings, hub_signature};
use wagate_server::config::Config;
use wagate_storage::Secret;

const TOKEN: &str = "e2e-whatsapp-access-token";
const APP_SECRET: &str = "e2e-whatsapp-app-secret-0123456789";
const VERIFY: &str = "e2e-verify-token";
const PHONE_NUMBER_ID: &str = "106540352242922";

struct Fake {
    api: Arc<FakeWhatsApp>,
    url: String,
}

/// How long after a send the fake reports on it: long enough for wagate to have kept the
/// message on a loaded machine (a report for a message it does not know yet is dropped), as
/// Meta's reports come well after its answer.
const REPORT_DELAY: Duration = Duration::from_millis(500);

/// The fake Cloud API on a free port; `status_delay`: automatic reports, else by hand.
async fn start_fake(status_delay: Option<Duration>) -> Fake {
    let api = Arc::new(FakeWhatsApp::new(FakeWhatsAppSettings {
        phone_number_id: PHONE_NUMBER_ID.into(),
        access_token: Secret::new(TOKEN),
        app_secret: Secret::new(APP_SECRET),
        callback_url: None,
        status_delay,
        late_delay: Duration::from_secs(600),
    }));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = wagate_dev::serve_fake_whatsapp(listener, api.clone()).unwrap();
    tokio::spawn(server);
    Fake { api, url }
}

/// WhatsApp as the channel; with `fallback`, the test's webhook gateway (SMS) behind it.
fn whatsapp(config: &mut Config, fake: &Fake, fallback: bool) {
    let d = &mut config.delivery;
    d.channel = "whatsapp".into();
    d.fallback = fallback.then(|| "webhook".into());
    d.webhook_medium = "sms".into();
    let w = &mut d.whatsapp;
    w.api_base_url = fake.url.clone();
    w.phone_number_id = Some(PHONE_NUMBER_ID.into());
    w.access_token = Some(Secret::new(TOKEN));
    w.app_secret = Some(Secret::new(APP_SECRET));
    w.verify_token = Some(Secret::new(VERIFY));
    w.languages = [("pt-BR", "pt_BR"), ("es", "es_MX")]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
}

async fn server_on(fake: &Fake, fallback: bool) -> TestServer {
    let server = start(|c| whatsapp(c, fake, fallback)).await;
    fake.api.set_callback_url(Some(hook_url(&server)));
    server
}

fn hook_url(server: &TestServer) -> String {
    format!("{}/hooks/whatsapp", server.public)
}

/// A UK mobile number (in Great Britain's own range, so its region is GB) ending in the
/// fake's magic `suffix` (`99xx`).
fn magic_phone(suffix: &str) -> String {
    let pid = u64::from(std::process::id()) % 100;
    format!("+447400{pid:02}{suffix}")
}

/// A login opened by the portal; the browser and the flow's URL.
async fn open(server: &TestServer, extra: &[(&str, &str)]) -> (reqwest::Client, String) {
    let rp = rp(server, "portal", Some(PORTAL_SECRET)).await;
    let pending = authorize_url(&rp, false, extra);
    let browser = browser();
    let flow = open_flow(&browser, &pending.url).await;
    (browser, flow)
}

async fn phone_step(browser: &reqwest::Client, flow: &str, phone: &str) -> (u16, Value) {
    post_json(browser, &format!("{flow}/phone"), json!({"phone": phone})).await
}

async fn flow_state(browser: &reqwest::Client, flow: &str) -> Value {
    let (status, body) = json_answer(browser.get(flow)).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The code page, as a person sees it.
async fn page(browser: &reqwest::Client, flow: &str) -> String {
    browser
        .get(flow)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_full_login_over_whatsapp_with_automatic_signed_reports() {
    let fake = start_fake(Some(REPORT_DELAY)).await;
    let server = server_on(&fake, false).await;
    let rp = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let pending = authorize_url(&rp, false, &[("ui_locales", "pt-BR en")]);
    let browser = browser();
    let flow = open_flow(&browser, &pending.url).await;
    let phone = fresh_phone();

    let (status, sent) = phone_step(&browser, &flow, &phone).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["channel"], "whatsapp");
    assert_eq!(sent["delivery"], "sent");
    let message = fake
        .api
        .last_message(&phone)
        .expect("the fake got the message");
    assert_eq!(message.to, phone.trim_start_matches('+'));
    assert_eq!(message.template, "wagate_code");
    assert_eq!(message.language, "pt_BR", "the template follows ui_locales");

    let answered = fake
        .api
        .wait_posted(&message.id, "delivered", Duration::from_secs(10))
        .await;
    assert_eq!(answered, Some(200), "wagate accepts the signed report");
    assert_eq!(flow_state(&browser, &flow).await["delivery"], "delivered");
    let shown = page(&browser, &flow).await;
    assert!(shown.contains(r#"<html lang="pt-BR""#), "{shown}");
    assert!(
        shown.contains("A mensagem foi entregue no seu celular."),
        "{shown}"
    );

    let (status, done) = post_json(
        &browser,
        &format!("{flow}/code"),
        json!({"code": message.code}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    let back = url::Url::parse(done["redirect_to"].as_str().unwrap()).unwrap();
    let code = query(&back, "code").unwrap();
    let tokens = redeem(&rp, &code, None).await;
    let id_token = tokens.id_token().expect("an ID token");
    let claims = claims_of(&id_token.to_string());
    assert_eq!(claims["phone_number"], phone);

    let m = metrics(&server).await;
    assert!(
        m.contains(
            r#"wagate_delivery_messages_total{channel="whatsapp",outcome="sent",region="GB"} 1"#
        ),
        "{m}"
    );
    assert!(
        m.contains(r#"wagate_delivery_statuses_total{channel="whatsapp",status="delivered"} 1"#),
        "{m}"
    );
    assert!(
        m.contains(r#"wagate_delivery_seconds_count{channel="whatsapp"} 1"#),
        "{m}"
    );
    assert!(!m.contains(&phone[1..]), "no number in the metrics");
}

#[tokio::test]
async fn the_template_language_follows_the_person() {
    let fake = start_fake(None).await;
    let server = server_on(&fake, false).await;
    for (extra, accept, expected) in [
        (vec![("ui_locales", "es-AR")], "pt-BR", "es_MX"),
        (vec![], "pt-BR,pt;q=0.9", "pt_BR"),
        (vec![("ui_locales", "fr")], "de", "en_US"),
    ] {
        let (browser, flow) = open(&server, &extra).await;
        let phone = fresh_phone();
        let (status, body) = json_answer(
            browser
                .post(format!("{flow}/phone"))
                .header("Accept-Language", accept)
                .json(&json!({"phone": phone})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let message = fake.api.last_message(&phone).unwrap();
        assert_eq!(message.language, expected, "{extra:?} {accept}");
    }
}

#[tokio::test]
async fn metas_errors_are_sorted_by_what_they_mean() {
    let fake = start_fake(None).await;
    let server = server_on(&fake, false).await;

    // Not on WhatsApp: refused, and not counted (the flow may send again at once).
    let (browser, flow) = open(&server, &[]).await;
    let (status, body) = phone_step(&browser, &flow, &magic_phone(magic::NOT_ON_WHATSAPP)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("not_deliverable")),
        "{body}"
    );
    let (status, body) = phone_step(&browser, &flow, &fresh_phone()).await;
    assert_eq!(
        status, 200,
        "no cooldown after a send that never left: {body}"
    );

    // wagate's set-up is wrong: temporarily unavailable, counted for operators.
    for suffix in [
        magic::TEMPLATE_MISSING,
        magic::TOKEN_EXPIRED,
        magic::ACCOUNT_LOCKED,
    ] {
        let (browser, flow) = open(&server, &[]).await;
        let (status, body) = phone_step(&browser, &flow, &magic_phone(suffix)).await;
        assert_eq!(status, 503, "{suffix}: {body}");
        assert_eq!(body["error"], "temporarily_unavailable", "{suffix}");
        let (status, _) = phone_step(&browser, &flow, &fresh_phone()).await;
        assert_eq!(status, 200, "{suffix}: nothing was sent, nothing counted");
    }
    let m = metrics(&server).await;
    assert!(
        m.contains(r#"wagate_delivery_messages_total{channel="whatsapp",outcome="misconfigured",region="GB"} 3"#),
        "{m}"
    );

    // Throttled: wait, with a time.
    for (suffix, wait) in [
        (magic::PAIR_RATE_LIMIT, "10"),
        (magic::SPAM_RATE_LIMIT, "60"),
    ] {
        let (browser, flow) = open(&server, &[]).await;
        let res = browser
            .post(format!("{flow}/phone"))
            .header("Accept", "application/json")
            .json(&json!({"phone": magic_phone(suffix)}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 429, "{suffix}");
        assert_eq!(res.headers()["retry-after"], wait, "{suffix}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"], "rate_limited");
        assert_eq!(body["retry_in"].to_string(), wait);
        let (status, _) = phone_step(&browser, &flow, &fresh_phone()).await;
        assert_eq!(status, 200, "{suffix}: Meta refused it, nothing counted");
    }

    // A server error may have sent it: the send counts, the cooldown holds.
    let (browser, flow) = open(&server, &[]).await;
    let (status, body) = phone_step(&browser, &flow, &magic_phone(magic::SERVER_ERROR)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("delivery_failed")),
        "{body}"
    );
    let (status, body) = post_json(&browser, &format!("{flow}/resend"), json!({})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("resend_too_soon")),
        "{body}"
    );
}

#[tokio::test]
async fn a_number_not_on_whatsapp_gets_the_same_login_by_sms_at_once() {
    let fake = start_fake(None).await;
    let server = server_on(&fake, true).await;
    let (browser, flow) = open(&server, &[]).await;
    let phone = magic_phone(magic::NOT_ON_WHATSAPP);
    let (status, sent) = phone_step(&browser, &flow, &phone).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["channel"], "sms");
    assert_eq!(sent["fallback"], Value::Null, "no third way");
    assert!(fake.api.last_message(&phone).is_none());
    let code = server.hook.last_code_for(&phone);
    let (status, done) = post_json(&browser, &format!("{flow}/code"), json!({"code": code})).await;
    assert_eq!(status, 200, "{done}");
    let m = metrics(&server).await;
    assert!(
        m.contains(r#"wagate_delivery_fallbacks_total{reason="undeliverable"} 1"#),
        "{m}"
    );
    assert!(
        m.contains(r#"wagate_delivery_messages_total{channel="whatsapp",outcome="undeliverable",region="GB"} 1"#),
        "{m}"
    );
}

#[tokio::test]
async fn a_failed_report_sends_the_same_code_by_sms() {
    let fake = start_fake(None).await;
    let server = server_on(&fake, true).await;
    let (browser, flow) = open(&server, &[]).await;
    let phone = fresh_phone();
    assert_eq!(phone_step(&browser, &flow, &phone).await.0, 200);
    let message = fake.api.last_message(&phone).unwrap();

    let answered = fake
        .api
        .post_status(&message.id, "failed", Some(131026))
        .await
        .unwrap();
    assert_eq!(answered, 200);
    let by_sms = server.hook.wait_for_code(&phone, 1).await;
    assert_eq!(by_sms.code, message.code, "the same code");
    let state = flow_state(&browser, &flow).await;
    assert_eq!(state["channel"], "sms", "{state}");
    // A repeated failure report changes nothing.
    assert_eq!(
        fake.api
            .post_status(&message.id, "failed", Some(131026))
            .await
            .unwrap(),
        200
    );
    let (status, done) = post_json(
        &browser,
        &format!("{flow}/code"),
        json!({"code": by_sms.code}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(server.hook.count_for(&phone), 1);
    let m = metrics(&server).await;
    assert!(
        m.contains(r#"wagate_delivery_fallbacks_total{reason="failed"} 1"#),
        "{m}"
    );
    // The code is verified on the channel that got it through; the WhatsApp message is the
    // funnel's abandoned one.
    assert!(
        m.contains(r#"wagate_codes_verified_total{channel="webhook",region="GB"} 1"#),
        "{m}"
    );
    assert!(
        !m.contains(r#"wagate_codes_verified_total{channel="whatsapp""#),
        "{m}"
    );
}

#[tokio::test]
async fn the_fakes_own_reports_drive_the_fallback() {
    let fake = start_fake(Some(REPORT_DELAY)).await;
    let server = server_on(&fake, true).await;
    let (browser, flow) = open(&server, &[]).await;
    let phone = magic_phone(magic::FAILED_AFTER_SENDING);
    assert_eq!(phone_step(&browser, &flow, &phone).await.0, 200);
    let message = fake.api.last_message(&phone).unwrap();
    let by_sms = server.hook.wait_for_code(&phone, 1).await;
    assert_eq!(by_sms.code, message.code);

    // Read at once, without a delivered report: seen on the phone, no fallback.
    let (browser, flow) = open(&server, &[]).await;
    let phone = magic_phone(magic::READ_AT_ONCE);
    phone_step(&browser, &flow, &phone).await;
    let id = fake.api.last_message(&phone).unwrap().id;
    let answered = fake
        .api
        .wait_posted(&id, "read", Duration::from_secs(10))
        .await;
    assert_eq!(answered, Some(200));
    let state = flow_state(&browser, &flow).await;
    assert_eq!(state["delivery"], "read", "{state}");
    assert_eq!(state["fallback"], Value::Null);
}

#[tokio::test]
async fn the_person_may_ask_for_sms_when_no_report_came_in_time() {
    let fake = start_fake(None).await;
    let (server, clock) = start_with_clock(|c| whatsapp(c, &fake, true)).await;
    fake.api.set_callback_url(Some(hook_url(&server)));
    let (browser, flow) = open(&server, &[("ui_locales", "pt-BR")]).await;
    let phone = fresh_phone();
    let (_, sent) = phone_step(&browser, &flow, &phone).await;
    assert_eq!(
        sent["fallback"],
        json!({"channel": "sms", "available_in": 20})
    );
    let whatsapp_code = fake.api.last_message(&phone).unwrap().code;

    let resend = format!("{flow}/resend");
    for bad in [
        json!({"channel": 1}),
        json!({"channel": "sms"}),
        json!({"channel": null}),
    ] {
        let (status, body) = post_json(&browser, &resend, bad.clone()).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_request")),
            "{bad}: {body}"
        );
    }
    let ask = || post_json(&browser, &resend, json!({"channel": "fallback"}));
    let (status, body) = ask().await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("resend_too_soon")),
        "{body}"
    );

    clock.advance(Duration::from_secs(21));
    let shown = page(&browser, &flow).await;
    assert!(
        shown.contains("Enviar por SMS"),
        "in the portal's language: {shown}"
    );
    let (status, body) = ask().await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["channel"], "sms");
    assert_eq!(body["new_code"], false);
    let by_sms = server.hook.wait_for_code(&phone, 1).await;
    assert_eq!(by_sms.code, whatsapp_code, "the same code");
    assert_eq!(
        by_sms.locale.as_deref(),
        Some("pt-BR"),
        "the gateway gets the language"
    );
    assert_eq!(
        by_sms.id.len(),
        22,
        "a unique id for the gateway: {}",
        by_sms.id
    );
    let (status, body) = ask().await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("fallback_unavailable")),
        "{body}"
    );

    // A delivered message is not sent again another way.
    let (browser, flow) = open(&server, &[]).await;
    let phone = fresh_phone();
    phone_step(&browser, &flow, &phone).await;
    let id = fake.api.last_message(&phone).unwrap().id;
    assert_eq!(fake.api.post_status(&id, "read", None).await.unwrap(), 200);
    clock.advance(Duration::from_secs(21));
    let state = flow_state(&browser, &flow).await;
    assert_eq!(
        (state["delivery"].as_str(), &state["fallback"]),
        (Some("read"), &Value::Null)
    );
    let (status, _) = post_json(
        &browser,
        &format!("{flow}/resend"),
        json!({"channel": "fallback"}),
    )
    .await;
    assert_eq!(status, 409);

    // Without JavaScript: the page's own form.
    let (browser, flow) = open(&server, &[]).await;
    let phone = fresh_phone();
    phone_step(&browser, &flow, &phone).await;
    clock.advance(Duration::from_secs(21));
    let csrf = crate::pages::csrf_of(&page(&browser, &flow).await);
    let form = [("csrf", csrf.as_str()), ("channel", "fallback")];
    let res = crate::pages::post_form(&browser, &format!("{flow}/resend"), &form).await;
    assert_eq!(res.status(), 303);
    let after = page(&browser, &flow).await;
    assert!(after.contains("code by SMS to"), "{after}");
    assert_eq!(server.hook.wait_for_code(&phone, 1).await.to, phone);
}

#[tokio::test]
async fn the_hook_checks_metas_set_up_and_every_signature() {
    let fake = start_fake(None).await;
    let server = server_on(&fake, false).await;
    let http = reqwest::Client::new();
    let verify = |token: &str| {
        http.get(hook_url(&server))
            .query(&[
                ("hub.mode", "subscribe"),
                ("hub.verify_token", token),
                ("hub.challenge", "1158201444"),
            ])
            .send()
    };
    let ok = verify(VERIFY).await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "1158201444");
    assert_eq!(verify("guess").await.unwrap().status(), 403);

    let (browser, flow) = open(&server, &[]).await;
    let phone = fresh_phone();
    phone_step(&browser, &flow, &phone).await;
    let id = fake.api.last_message(&phone).unwrap().id;
    let body = fake.api.status_body(&id, "delivered", None);
    let post = |body: Vec<u8>, signature: Option<String>| {
        let mut req = http
            .post(hook_url(&server))
            .header("Content-Type", "application/json")
            .body(body);
        if let Some(s) = signature {
            req = req.header("X-Hub-Signature-256", s);
        }
        req.send()
    };
    let forged = hub_signature(&Secret::new("not-the-app-secret"), &body);
    assert_eq!(
        post(body.clone(), Some(forged)).await.unwrap().status(),
        401
    );
    assert_eq!(post(body.clone(), None).await.unwrap().status(), 401);
    // A signature of an earlier report, on another body.
    let earlier = fake.api.status_body(&id, "sent", None);
    let stale = hub_signature(&Secret::new(APP_SECRET), &earlier);
    assert_eq!(post(body.clone(), Some(stale)).await.unwrap().status(), 401);
    assert_eq!(
        flow_state(&browser, &flow).await["delivery"],
        "sent",
        "nothing recorded"
    );

    let good = hub_signature(&Secret::new(APP_SECRET), &body);
    assert_eq!(post(body.clone(), Some(good)).await.unwrap().status(), 200);
    assert_eq!(flow_state(&browser, &flow).await["delivery"], "delivered");
    // Reports for logins long gone are answered too.
    let gone = fake.api.status_body("wamid.gone", "read", None);
    let signed = hub_signature(&Secret::new(APP_SECRET), &gone);
    assert_eq!(post(gone, Some(signed)).await.unwrap().status(), 200);
    let m = metrics(&server).await;
    assert!(
        m.contains(r#"wagate_whatsapp_webhooks_total{outcome="bad_signature"} 3"#),
        "{m}"
    );
}

#[tokio::test]
async fn reports_reach_a_login_started_on_another_instance() {
    let prefix = redis_prefix();
    let fake = start_fake(None).await;
    let shared = |c: &mut Config| {
        whatsapp(c, &fake, true);
        // The key-encryption key seals the fallback codes too: both instances have it.
        use_redis(c, "redis://127.0.0.1:6379", &prefix);
    };
    let a = start(shared).await;
    let b = start(shared).await;
    // Meta's webhooks go to instance B only.
    fake.api.set_callback_url(Some(hook_url(&b)));

    let (browser, flow) = open(&a, &[]).await;
    let phone = fresh_phone();
    assert_eq!(phone_step(&browser, &flow, &phone).await.0, 200);
    let message = fake.api.last_message(&phone).unwrap();
    assert_eq!(
        fake.api
            .post_status(&message.id, "delivered", None)
            .await
            .unwrap(),
        200
    );
    assert_eq!(flow_state(&browser, &flow).await["delivery"], "delivered");

    // A failure reported to B: B sends A's code by SMS (its sealed form opens there too).
    let (browser, flow) = open(&a, &[]).await;
    let phone = fresh_phone();
    phone_step(&browser, &flow, &phone).await;
    let message = fake.api.last_message(&phone).unwrap();
    assert_eq!(
        fake.api
            .post_status(&message.id, "failed", Some(131026))
            .await
            .unwrap(),
        200
    );
    let by_sms = b.hook.wait_for_code(&phone, 1).await;
    assert_eq!(by_sms.code, message.code);
    let (status, done) = post_json(
        &browser,
        &format!("{flow}/code"),
        json!({"code": by_sms.code}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
}
