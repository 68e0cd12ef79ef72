use super::*;
use serde_json::{Value, json};
use std::sync::Arc;

pub(crate) const PHONE_NUMBER_ID: &str = "106540352242922";
pub(crate) const TOKEN: &str = "test-access-token";
pub(crate) const APP_SECRET: &str = "test-app-secret";
const DELAY: Duration = Duration::from_secs(1);
const LATE: Duration = Duration::from_secs(30);

/// No callback: nothing is posted unless a test sets one.
pub(crate) fn settings() -> FakeWhatsAppSettings {
    FakeWhatsAppSettings {
        phone_number_id: PHONE_NUMBER_ID.to_owned(),
        access_token: Secret::new(TOKEN),
        app_secret: Secret::new(APP_SECRET),
        callback_url: None,
        status_delay: Some(DELAY),
        late_delay: LATE,
    }
}

pub(crate) fn send_body(to: &str, code: &str) -> Value {
    json!({
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
        "type": "template",
        "template": {
            "name": "login_code", "language": {"code": "en_US"},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": code}]},
                {"type": "button", "sub_type": "url", "index": "0",
                 "parameters": [{"type": "text", "text": code}]},
            ],
        },
    })
}

fn send(fake: &FakeWhatsApp, body: &Value) -> Answer {
    let bearer = format!("Bearer {TOKEN}");
    fake.handle(
        PHONE_NUMBER_ID,
        Some(&bearer),
        Some("application/json"),
        body.to_string().as_bytes(),
    )
}

fn with_callback() -> FakeWhatsApp {
    FakeWhatsApp::new(FakeWhatsAppSettings {
        callback_url: Some("http://127.0.0.1:1/hooks/whatsapp".to_owned()),
        ..settings()
    })
}

/// Asserts a refusal's status, code and shape; returns its `error_data.details`.
fn refused(answer: &Answer, http: u16, code: i64) -> String {
    assert_eq!(answer.reply.status, http, "{}", answer.reply.body);
    let error = &answer.reply.body["error"];
    assert_eq!(error["code"], code, "{error}");
    assert_eq!(error["type"], "OAuthException");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(error["fbtrace_id"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(answer.message_id.is_none() && answer.steps.is_empty());
    error["error_data"]["details"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_good_request_is_accepted_and_recorded() {
    let fake = FakeWhatsApp::new(settings());
    let answer = send(&fake, &send_body("447911123456", "123456"));
    assert_eq!(answer.reply.status, 200);
    let id = answer.message_id.clone().unwrap();
    assert!(id.starts_with("wamid.") && id.len() > 20);
    assert_eq!(
        answer.reply.body,
        json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": "447911123456", "wa_id": "447911123456"}],
            "messages": [{"id": id}],
        })
    );
    let sent = fake.last_message("+447911123456").unwrap();
    assert_eq!(
        (sent.id.as_str(), sent.code.as_str()),
        (id.as_str(), "123456")
    );
    assert_eq!(
        (sent.template.as_str(), sent.language.as_str()),
        ("login_code", "en_US")
    );
    assert_eq!(fake.last_message("447911123456").unwrap().id, id);
    assert_eq!(fake.messages().len(), 1);
    assert_eq!(fake.requests(), 1);
    // No callback URL: no automatic statuses.
    assert!(answer.steps.is_empty());
}

#[test]
fn the_last_message_is_the_newest_and_the_hook_sees_each() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let fake = FakeWhatsApp::new(settings())
        .with_on_message(Box::new(move |m| log.lock().unwrap().push(m.code.clone())));
    send(&fake, &send_body("447911123456", "1111"));
    send(&fake, &send_body("447911123456", "2222"));
    assert_eq!(fake.last_message("+447911123456").unwrap().code, "2222");
    assert_eq!(*seen.lock().unwrap(), ["1111", "2222"]);
    assert!(fake.last_message("+447911000000").is_none());
}

#[test]
fn a_missing_or_wrong_token_is_refused_with_190() {
    let fake = FakeWhatsApp::new(settings());
    let body = send_body("447911123456", "123456").to_string();
    let json = Some("application/json");
    for auth in [
        None,
        Some("Bearer nope"),
        Some(TOKEN),
        Some("Basic dGVzdA=="),
    ] {
        let answer = fake.handle(PHONE_NUMBER_ID, auth, json, body.as_bytes());
        assert_eq!(refused(&answer, 401, 190), "");
        let error = &answer.reply.body["error"];
        assert_eq!(
            error["message"],
            "Invalid OAuth access token - Cannot parse access token"
        );
        assert!(error.get("error_data").is_none());
    }
    assert_eq!(fake.requests(), 4);
    assert!(fake.messages().is_empty());
}

#[test]
fn another_phone_number_id_is_refused_with_100() {
    let fake = FakeWhatsApp::new(settings());
    let bearer = format!("Bearer {TOKEN}");
    let body = send_body("447911123456", "123456").to_string();
    let answer = fake.handle(
        "999",
        Some(&bearer),
        Some("application/json"),
        body.as_bytes(),
    );
    refused(&answer, 400, 100);
    let message = answer.reply.body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("Unsupported post request"), "{message}");
    assert!(fake.messages().is_empty());
}

#[test]
fn a_body_that_is_not_json_is_refused_with_100() {
    let fake = FakeWhatsApp::new(settings());
    let bearer = format!("Bearer {TOKEN}");
    let body = send_body("447911123456", "123456").to_string();
    let form = Some("application/x-www-form-urlencoded");
    let answer = fake.handle(PHONE_NUMBER_ID, Some(&bearer), form, body.as_bytes());
    assert!(refused(&answer, 400, 100).contains("Content-Type"));
    let json = Some("application/json");
    let answer = fake.handle(PHONE_NUMBER_ID, Some(&bearer), json, b"{");
    assert!(refused(&answer, 400, 100).contains("not JSON"));
}

#[test]
fn every_drift_from_the_template_shape_is_refused_with_100_and_named() {
    let cases: [(&str, Value, &str); 14] = [
        ("/to", json!("+447911123456"), "to must be 8 to 15 digits"),
        ("/to", json!("1234567"), "to must be 8 to 15 digits"),
        (
            "/to",
            json!("1234567890123456"),
            "to must be 8 to 15 digits",
        ),
        (
            "/messaging_product",
            json!("sms"),
            "messaging_product must be",
        ),
        ("/recipient_type", json!("group"), "recipient_type must be"),
        ("/type", json!("text"), "type must be \"template\""),
        ("/preview_url", json!(false), "preview_url is not expected"),
        (
            "/template/name",
            json!(""),
            "template.name must be a non-empty",
        ),
        (
            "/template/language",
            json!("en_US"),
            "template.language must be an object",
        ),
        (
            "/template/components/1/sub_type",
            json!("quick_reply"),
            "[1].sub_type",
        ),
        (
            "/template/components/1/index",
            json!(0),
            "[1].index must be \"0\"",
        ),
        (
            "/template/components/0/type",
            json!("header"),
            "[0].type must be \"body\"",
        ),
        (
            "/template/components/0/parameters/0/type",
            json!("currency"),
            "[0].type",
        ),
        (
            "/template/components/1/parameters",
            json!([]),
            "must hold one parameter",
        ),
    ];
    let fake = FakeWhatsApp::new(settings());
    for (pointer, value, detail) in cases {
        let mut body = send_body("447911123456", "123456");
        match body.pointer_mut(pointer) {
            Some(slot) => *slot = value,
            None => {
                body[pointer.trim_start_matches('/')] = value;
            }
        }
        let details = refused(&send(&fake, &body), 400, 100);
        assert!(details.contains(detail), "{pointer}: {details}");
    }
    let mut body = send_body("447911123456", "123456");
    body["template"]["components"].as_array_mut().unwrap().pop();
    assert!(refused(&send(&fake, &body), 400, 100).contains("a body and a button"));
    assert!(fake.messages().is_empty());
}

#[test]
fn codes_must_match_and_have_4_to_15_characters() {
    let fake = FakeWhatsApp::new(settings());
    let mut body = send_body("447911123456", "123456");
    body["template"]["components"][1]["parameters"][0]["text"] = json!("654321");
    assert!(refused(&send(&fake, &body), 400, 100).contains("differs"));
    for code in ["123", "1234567890123456"] {
        let details = refused(&send(&fake, &send_body("447911123456", code)), 400, 100);
        assert!(details.contains("4 to 15"), "{details}");
    }
    for code in ["1234", "123456789012345"] {
        assert_eq!(
            send(&fake, &send_body("447911123456", code)).reply.status,
            200
        );
    }
}

#[test]
fn each_refusing_magic_number_gets_metas_error() {
    let cases: [(&str, u16, i64); 9] = [
        (NOT_ON_WHATSAPP, 400, 131026),
        (COUNTRY_RESTRICTED, 400, 130497),
        (THROUGHPUT_LIMIT, 400, 130429),
        (PAIR_RATE_LIMIT, 400, 131056),
        (SPAM_RATE_LIMIT, 400, 131048),
        (TOKEN_EXPIRED, 401, 190),
        (TEMPLATE_MISSING, 400, 132001),
        (ACCOUNT_LOCKED, 400, 131031),
        (SERVER_ERROR, 500, 131000),
    ];
    let fake = with_callback();
    for (suffix, http, code) in cases {
        let answer = send(&fake, &send_body(&format!("4479110{suffix}"), "123456"));
        refused(&answer, http, code);
    }
    let expired = send(&fake, &send_body("447911109906", "123456"));
    assert_eq!(expired.reply.body["error"]["error_subcode"], 463);
    let gone = send(&fake, &send_body("447911109901", "123456"));
    assert_eq!(
        gone.reply.body["error"]["error_data"]["details"],
        "Message undeliverable"
    );
    assert!(fake.messages().is_empty());
    assert_eq!(fake.requests(), 11);
}

#[test]
fn each_accepting_magic_number_gets_its_statuses() {
    let at = |after, status| Step {
        after,
        status,
        error_code: None,
    };
    let zero = Duration::ZERO;
    let failed = Step {
        error_code: Some(131026),
        ..at(DELAY, "failed")
    };
    let cases = [
        ("1234", vec![at(zero, "sent"), at(DELAY, "delivered")]),
        (
            DELIVERED_LATE,
            vec![at(zero, "sent"), at(LATE, "delivered")],
        ),
        (NEVER_DELIVERED, vec![at(zero, "sent")]),
        (FAILED_AFTER_SENDING, vec![at(zero, "sent"), failed]),
        (READ_AT_ONCE, vec![at(DELAY, "read")]),
    ];
    let fake = with_callback();
    for (suffix, steps) in cases {
        let to = format!("4479111{suffix}");
        let answer = send(&fake, &send_body(&to, "123456"));
        assert_eq!(answer.reply.status, 200, "{suffix}");
        assert_eq!(answer.steps, steps, "{suffix}");
    }
    assert_eq!(fake.messages().len(), 5);
}

#[test]
fn statuses_are_automatic_only_with_a_callback_and_a_delay() {
    let fake = with_callback();
    fake.set_callback_url(None);
    assert!(
        send(&fake, &send_body("447911123456", "123456"))
            .steps
            .is_empty()
    );
    let fake = FakeWhatsApp::new(FakeWhatsAppSettings {
        status_delay: None,
        ..settings()
    });
    fake.set_callback_url(Some("http://127.0.0.1:1/".to_owned()));
    assert!(
        send(&fake, &send_body("447911123456", "123456"))
            .steps
            .is_empty()
    );
}

fn status_of(body: &[u8]) -> (Value, Value) {
    let body: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(body["object"], "whatsapp_business_account");
    let change = &body["entry"][0]["changes"][0];
    assert_eq!(change["field"], "messages");
    let value = change["value"].clone();
    (value.clone(), value["statuses"][0].clone())
}

#[test]
fn a_status_body_has_metas_nesting() {
    let fake = FakeWhatsApp::new(settings());
    let id = send(&fake, &send_body("447911123456", "123456"))
        .message_id
        .unwrap();
    let (value, status) = status_of(&fake.status_body(&id, "delivered", None));
    assert_eq!(value["messaging_product"], "whatsapp");
    assert_eq!(value["metadata"]["phone_number_id"], PHONE_NUMBER_ID);
    assert_eq!(
        value["metadata"]["display_phone_number"],
        DISPLAY_PHONE_NUMBER
    );
    assert_eq!(
        (&status["id"], &status["status"]),
        (&json!(id), &json!("delivered"))
    );
    assert_eq!(status["recipient_id"], "447911123456");
    let timestamp = status["timestamp"].as_str().unwrap();
    assert!(timestamp.parse::<i64>().unwrap() > 1_700_000_000);
    assert_eq!(status["pricing"]["category"], "authentication");
    assert!(status.get("errors").is_none());
}

#[test]
fn a_failed_status_carries_its_errors() {
    let fake = FakeWhatsApp::new(settings());
    let (_, status) = status_of(&fake.status_body("wamid.unknown", "failed", Some(131026)));
    assert_eq!(status["status"], "failed");
    assert_eq!(status["recipient_id"], "");
    let error = &status["errors"][0];
    assert_eq!(error["code"], 131026);
    assert_eq!(error["title"], "Message undeliverable");
    assert_eq!(error["message"], "Message undeliverable");
    assert!(error["error_data"]["details"].as_str().is_some());
    assert!(status.get("pricing").is_none());
}

#[tokio::test]
async fn wait_posted_wakes_on_the_post_and_gives_up_at_the_timeout() {
    let fake = Arc::new(FakeWhatsApp::new(settings()));
    let poster = fake.clone();
    let waiting = tokio::spawn(async move {
        poster
            .wait_posted("wamid.a", "delivered", Duration::from_secs(30))
            .await
    });
    fake.record_posted("wamid.a", "sent", Ok(200));
    fake.record_posted("wamid.a", "delivered", Ok(403));
    assert_eq!(waiting.await.unwrap(), Some(403));
    assert_eq!(
        fake.wait_posted("wamid.a", "sent", Duration::ZERO).await,
        Some(200)
    );
    fake.record_posted("wamid.b", "sent", Err("refused".to_owned()));
    assert_eq!(
        fake.wait_posted("wamid.b", "sent", Duration::ZERO).await,
        None
    );
    let never = fake.wait_posted("wamid.c", "sent", Duration::from_millis(1));
    assert_eq!(never.await, None);
}
