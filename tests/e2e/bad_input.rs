//! Hostile and malformed input: always a 4xx with a code, never a 5xx, nothing damaged.

use crate::support::*;
use serde_json::{Value, json};

async fn status_of(req: reqwest::RequestBuilder) -> (u16, String) {
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_login_requests_get_4xx_with_codes() {
    let server = default_server().await;
    let b = browser();
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;

    // Unknown and absurd flow ids.
    for id in [
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "x",
        &"y".repeat(500),
        "..%2f..%2fetc",
    ] {
        let (status, body) = post_json(
            &b,
            &format!("{}/login/{id}/phone", server.issuer),
            json!({"phone": "+14155550100"}),
        )
        .await;
        assert!((400..500).contains(&status), "{id}: {status} {body}");
        assert!(body["error"].is_string(), "{id}: {body}");
    }
    // Numbers that are not phone numbers.
    for phone in [
        "",
        "hello",
        "+1",
        "12345678901234567890123",
        "+999 123",
        "<script>",
    ] {
        let (status, body) = post_json(&b, &format!("{flow}/phone"), json!({"phone": phone})).await;
        assert_eq!(status, 400, "{phone:?}: {body}");
        assert_eq!(body["error"], "invalid_phone", "{phone:?}");
    }
    // Wrong types and missing fields.
    for body in [
        json!({"phone": 14155550100u64}),
        json!({}),
        json!({"telephone": "+14155550100"}),
    ] {
        let (status, answer) = post_json(&b, &format!("{flow}/phone"), body.clone()).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_request")),
            "{body}"
        );
    }
    // Broken JSON, arrays, the wrong media type.
    for raw in [
        "{",
        "[1,2]",
        "null",
        "\"phone\"",
        "{\"phone\": \"+1415\u{0}\"}",
    ] {
        let (status, text) = status_of(
            b.post(format!("{flow}/phone"))
                .header("Content-Type", "application/json")
                .body(raw),
        )
        .await;
        assert!((400..500).contains(&status), "{raw:?}: {status} {text}");
    }
    let (status, _) = status_of(
        b.post(format!("{flow}/phone"))
            .header("Content-Type", "text/plain")
            .body("phone=1"),
    )
    .await;
    assert_eq!(status, 415);

    // Codes with letters, before any code was sent.
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": "12ab56"})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": "123456"})).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("wrong_step")));

    // After all that the flow still works.
    let phone = fresh_phone();
    let code = send_code(&server, &b, &flow, &phone).await;
    // A code of the wrong length is refused without spending one of the five attempts.
    for short_or_long in ["1234", "1234567890"] {
        let (status, body) =
            post_json(&b, &format!("{flow}/code"), json!({"code": short_or_long})).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_request")),
            "{body}"
        );
    }
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (_, body) = post_json(&b, &format!("{flow}/code"), json!({"code": wrong})).await;
    assert_eq!(body["attempts_left"], 4);
    let (status, body) = post_json(
        &b,
        &format!("{flow}/code"),
        json!({"code": format!("{} {}", &code[..3], &code[3..])}),
    )
    .await;
    assert_eq!(status, 200, "spaces inside a code are fine: {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_megabyte_bodies_are_refused_everywhere() {
    let server = default_server().await;
    let b = browser();
    let big = "a=".to_owned() + &"x".repeat(2 * 1024 * 1024);
    let form = "application/x-www-form-urlencoded";
    for (path, media) in [
        ("/token", form),
        ("/authorize", form),
        ("/userinfo", form),
        ("/login/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/phone", form),
        (
            "/login/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/code",
            "application/json",
        ),
    ] {
        let (status, text) = status_of(
            b.post(format!("{}{path}", server.issuer))
                .header("Content-Type", media)
                .body(big.clone()),
        )
        .await;
        assert!(
            (400..500).contains(&status),
            "{path}: {status} {}",
            &text[..text.len().min(200)]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_barrage_of_junk_never_gets_a_5xx() {
    let server = default_server().await;
    let b = browser();
    let junk_queries = [
        "",
        "client_id=%FF%FE",
        "client_id=portal&redirect_uri=%00",
        "client_id[]=portal",
        "&&&===",
        "client_id=portal&client_id=portal",
        &format!(
            "client_id=portal&redirect_uri={}&response_type=code&scope=openid&state={}",
            url::form_urlencoded::byte_serialize(CALLBACK.as_bytes()).collect::<String>(),
            "s".repeat(5000)
        ),
    ];
    for q in junk_queries {
        let (status, _) = status_of(b.get(format!("{}/authorize?{q}", server.issuer))).await;
        assert!(status < 500, "authorize?{q}: {status}");
    }
    for body in [
        "",
        "grant_type",
        "grant_type=authorization_code&code=%ZZ",
        "\u{0}\u{1}",
    ] {
        let (status, text) = status_of(
            b.post(format!("{}/token", server.issuer))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic %%%%")
                .body(body),
        )
        .await;
        assert!(status < 500, "token {body:?}: {status} {text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert!(v["error"].is_string());
    }
    let auths: [&[u8]; 5] = [
        b"Bearer",
        b"Bearer \xe9\xff",
        b"Basic abc",
        b"Bearer a b c",
        b"bearer ...",
    ];
    for auth in auths {
        let value = reqwest::header::HeaderValue::from_bytes(auth).unwrap();
        let (status, _) = status_of(
            b.get(format!("{}/userinfo", server.issuer))
                .header("Authorization", value),
        )
        .await;
        assert!((400..500).contains(&status), "{auth:?}: {status}");
    }
    let (status, _) = status_of(b.get(format!("{}/no/such/thing", server.issuer))).await;
    assert_eq!(status, 404);
    // Nothing above hurt the server: a full login still works.
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    obtain_code(&server, &portal, false).await;
}
