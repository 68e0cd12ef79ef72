//! Malformed input at the authenticator endpoints: a 4xx with a code, never a 5xx, and no
//! attempt spent on what cannot be a code.

use crate::support::*;
use crate::totp::{MFA, enrolled};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_authenticator_step_refuses_what_cannot_be_a_code() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    let step = format!("{flow}/totp");
    let phone = fresh_phone();
    for (body, error) in [
        (json!({"phone": phone, "code": 123456}), "invalid_request"),
        (json!({"phone": phone}), "invalid_request"),
        (json!({"phone": phone, "code": "12345"}), "invalid_request"),
        (json!({"phone": phone, "code": "abcdef"}), "invalid_request"),
        (
            json!({"phone": phone, "code": "1".repeat(4000)}),
            "invalid_request",
        ),
        (json!({"code": "123456"}), "invalid_request"),
        (
            json!({"phone": 14155550100u64, "code": "123456"}),
            "invalid_request",
        ),
        (json!({"phone": "hello", "code": "123456"}), "invalid_phone"),
    ] {
        let (status, answer) = post_json(&b, &step, body.clone()).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some(error)),
            "{body}: {answer}"
        );
    }
    // None of those cost an attempt.
    let (status, wrong) = post_json(&b, &step, json!({"phone": phone, "code": "000000"})).await;
    assert_eq!(
        (status, wrong["attempts_left"].as_u64()),
        (400, Some(4)),
        "{wrong}"
    );
    // Digits of other scripts (full-width, Arabic-Indic) are digits: such a code is checked,
    // and a wrong one costs a try like any other.
    for other in ["１２３４５６", "١٢٣٤٥٦"] {
        let (status, answer) = post_json(&b, &step, json!({"phone": phone, "code": other})).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_code")),
            "{answer}"
        );
    }

    let (status, _) = json_answer(
        b.post(&step)
            .header("Content-Type", "text/plain")
            .body("code=1"),
    )
    .await;
    assert_eq!(status, 415);
    let (status, answer) = json_answer(
        b.post(&step)
            .form(&[("phone", &phone), ("code", &"123456".to_owned())]),
    )
    .await;
    assert_eq!(status, 403, "a form without the page's token: {answer}");
    let (status, answer) =
        post_json(&browser(), &step, json!({"phone": phone, "code": "123456"})).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (403, Some("wrong_browser"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flow_waiting_for_the_app_takes_nothing_else() {
    let (server, _clock, portal, person) = enrolled(|_| {}).await;
    let b = browser();
    let flow = open_flow(
        &b,
        &authorize_url(&portal, false, &[("acr_values", MFA)]).url,
    )
    .await;
    let code = send_code(&server, &b, &flow, &person.phone).await;
    let (_, next) = post_json(&b, &format!("{flow}/code"), json!({"code": code})).await;
    assert_eq!(next["step"], "totp");
    for (path, body) in [
        ("phone", json!({"phone": person.phone})),
        ("phone", json!({"phone": fresh_phone()})),
        ("resend", json!({})),
        ("code", json!({"code": code})),
    ] {
        let (status, answer) = post_json(&b, &format!("{flow}/{path}"), body).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (409, Some("wrong_step")),
            "{path}: {answer}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_api_refuses_malformed_requests() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let account = format!("{}/account", server.public);

    // Cookies that are not sessions are no session.
    for cookie in [
        "wagate_session=garbage",
        "wagate_session=a.b",
        "wagate_session=.",
        "wagate_session=%00%ff",
    ] {
        let (status, answer) = json_answer(browser().get(&account).header("Cookie", cookie)).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (401, Some("login_required")),
            "{cookie}"
        );
    }

    let b = browser();
    login_in(&server, &b, &portal, &fresh_phone(), &[]).await;
    let (status, _) = json_answer(
        b.post(format!("{account}/totp"))
            .header("Content-Type", "text/plain")
            .body("x"),
    )
    .await;
    assert_eq!(status, 415);
    let (status, answer) = json_answer(
        b.post(format!("{account}/totp"))
            .header("Content-Type", "application/json")
            .body("[1,2]"),
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, answer) = post_json(
        &b,
        &format!("{account}/totp/confirm"),
        json!({"code": "123456"}),
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (409, Some("no_enrollment")),
        "{answer}"
    );
    let (status, answer) = json_answer(b.delete(format!("{account}/totp"))).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (404, Some("not_enrolled"))
    );

    let (status, _) = post_json(&b, &format!("{account}/totp"), json!({})).await;
    assert_eq!(status, 200);
    for body in [
        json!({"code": 123456}),
        json!({}),
        json!({"code": "12a456"}),
        json!({"code": "9".repeat(3000)}),
    ] {
        let (status, answer) =
            post_json(&b, &format!("{account}/totp/confirm"), body.clone()).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_request")),
            "{body}: {answer}"
        );
    }
    let (status, answer) = json_answer(b.put(format!("{account}/totp"))).await;
    assert!((400..500).contains(&status), "{status} {answer}");
}
