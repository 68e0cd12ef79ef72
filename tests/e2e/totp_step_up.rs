//! Two factors across a session: what a one-factor session is asked for when a portal needs
//! both, `prompt=none`, clients that always need both, the second factor's own limits.

use crate::support::*;
use crate::totp::{
    Enrolled, MFA, MFA_DEMAND, acr_amr, add_strict_client, code_of, enroll, enrolled, get_json,
    now, totp,
};
use serde_json::{Value, json};
use std::time::Duration;
use wagate_storage::ManualClock;

/// `GET /authorize` in `b`: the absolute Location it answers with.
async fn authorize_in(b: &reqwest::Client, url: &str) -> (u16, String) {
    let res = b.get(url).send().await.unwrap();
    let status = res.status().as_u16();
    match res.headers().get("location") {
        Some(_) => (status, absolute(url, &location(&res))),
        None => (status, res.text().await.unwrap()),
    }
}

/// The app's code for the step after the last one this test used.
fn next_code(person: &Enrolled, clock: &ManualClock) -> String {
    clock.advance(Duration::from_secs(30));
    totp(&person.secret, now(clock))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_factor_session_is_asked_only_for_the_missing_factor() {
    let (server, clock) = start_with_clock(add_strict_client).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let strict = rp(&server, "strict", Some(PORTAL_SECRET)).await;
    let person = enroll(&server, &clock, &portal).await;

    // prompt=none cannot ask: a demand is interaction_required, by redirect...
    let pending = authorize_url(&portal, false, &[MFA_DEMAND, ("prompt", "none")]);
    let (status, back) = authorize_in(&person.browser, &pending.url).await;
    assert_eq!(status, 303);
    let back = url::Url::parse(&back).unwrap();
    assert_eq!(
        query(&back, "error").as_deref(),
        Some("interaction_required")
    );
    // ...and a preference is answered at the session's level.
    let pending = authorize_url(&portal, false, &[("acr_values", MFA), ("prompt", "none")]);
    let (_, back) = authorize_in(&person.browser, &pending.url).await;
    let back = url::Url::parse(&back).unwrap();
    let (acr, amr) = acr_amr(&portal, &query(&back, "code").unwrap(), &pending).await;
    assert_eq!(
        (acr.as_str(), amr),
        ("urn:wagate:acr:1fa", vec!["whatsapp".into()])
    );

    // Without prompt=none, a preference is a step-up for a person with an app.
    let pending = authorize_url(&portal, false, &[("acr_values", MFA)]);
    let flow = open_flow(&person.browser, &pending.url).await;
    let (_, view) = get_json(&person.browser, &flow).await;
    assert_eq!(view["step"], "totp");

    // A client that always needs both: the session's WhatsApp code stands, the app is asked.
    let (_, first) = get_json(&person.browser, &format!("{}/account", server.public)).await;
    assert_eq!(first["totp"]["active"], true);
    let pending = authorize_url(&strict, false, &[]);
    let flow = open_flow(&person.browser, &pending.url).await;
    let (_, view) = get_json(&person.browser, &flow).await;
    assert_eq!(view["step"], "totp");
    let (status, done) = post_json(
        &person.browser,
        &format!("{flow}/totp"),
        json!({"code": next_code(&person, &clock)}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    let (acr, amr) = acr_amr(&strict, &code_of(&done), &pending).await;
    assert_eq!(
        (acr.as_str(), amr),
        (MFA, vec!["whatsapp".into(), "otp".into(), "mfa".into()])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_only_session_is_asked_for_whatsapp_and_keeps_its_login_time() {
    let (server, clock, portal, person) = enrolled(|_| {}).await;

    // Signed in with the app alone.
    let b = browser();
    let pending = authorize_url(&portal, false, &[]);
    let flow = open_flow(&b, &pending.url).await;
    let (_, done) = post_json(
        &b,
        &format!("{flow}/totp"),
        json!({"phone": person.phone, "code": next_code(&person, &clock)}),
    )
    .await;
    let (_, first) = redeem_raw(&server, &code_of(&done)).await;
    let first = claims_of(first["id_token"].as_str().unwrap());
    assert_eq!(first["amr"], json!(["otp"]));

    // An hour later a portal needs both: only the WhatsApp code, for the same number.
    clock.advance(Duration::from_secs(3600));
    let pending = authorize_url(&portal, false, &[("acr_values", MFA)]);
    let flow = open_flow(&b, &pending.url).await;
    let (_, view) = get_json(&b, &flow).await;
    assert_eq!(view["step"], "phone");
    assert_eq!(view["phone_locked"], true);
    assert_eq!(view["login_hint"], person.phone.as_str());
    let code = send_code(&server, &b, &flow, &person.phone).await;
    let (status, done) = post_json(&b, &format!("{flow}/code"), json!({"code": code})).await;
    assert_eq!(status, 200, "{done}");
    let (_, tokens) = redeem_raw(&server, &code_of(&done)).await;
    let id = claims_of(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["amr"], json!(["otp", "whatsapp", "mfa"]));
    assert_eq!(id["acr"], MFA);
    assert_eq!(id["sid"], first["sid"], "the same session, stepped up");
    assert_eq!(
        id["auth_time"], first["auth_time"],
        "an hour-old factor does not make a fresh login"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_without_an_app_meets_an_mfa_demand_with_a_page() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    login_in(&server, &b, &portal, &fresh_phone(), &[]).await;
    let pending = authorize_url(&portal, false, &[MFA_DEMAND]);
    let (status, html) = authorize_in(&b, &pending.url).await;
    assert_eq!(status, 403);
    assert!(html.contains("Authenticator app needed"), "{html}");
    assert!(
        html.contains("error=unmet_authentication_requirements"),
        "{html}"
    );
    // A preference is met at once with what the session has.
    let pending = authorize_url(&portal, false, &[("acr_values", MFA)]);
    let (status, back) = authorize_in(&b, &pending.url).await;
    assert_eq!(status, 303);
    let back = url::Url::parse(&back).unwrap();
    let (acr, _) = acr_amr(&portal, &query(&back, "code").unwrap(), &pending).await;
    assert_eq!(acr, "urn:wagate:acr:1fa");
}

/// An MFA login of `phone` in a new browser, up to the authenticator step.
async fn whatsapp_then_app(
    server: &TestServer,
    portal: &Rp,
    phone: &str,
) -> (reqwest::Client, String, Pending) {
    let b = browser();
    let pending = authorize_url(portal, false, &[("acr_values", MFA)]);
    let flow = open_flow(&b, &pending.url).await;
    let code = send_code(server, &b, &flow, phone).await;
    let (_, next) = post_json(&b, &format!("{flow}/code"), json!({"code": code})).await;
    assert_eq!(next["step"], "totp");
    (b, flow, pending)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_cannot_spend_the_second_factors_budget() {
    let (server, clock, portal, person) =
        enrolled(|c| c.totp.failures_per_number_per_hour = 2).await;

    // Someone who only knows the number uses up its first-factor budget.
    for expected in [400, 400, 429] {
        let b = browser();
        let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
        let (status, _) = post_json(
            &b,
            &format!("{flow}/totp"),
            json!({"phone": person.phone, "code": "000000"}),
        )
        .await;
        assert_eq!(status, expected);
    }

    // The owner, behind their WhatsApp code, is not locked out: one wrong try, then a
    // recovery code completes the second factor, and says so.
    let (b, flow, pending) = whatsapp_then_app(&server, &portal, &person.phone).await;
    let (status, wrong) = post_json(&b, &format!("{flow}/totp"), json!({"code": "000000"})).await;
    assert_eq!((status, wrong["attempts_left"].as_u64()), (400, Some(3)));
    let (status, done) = post_json(
        &b,
        &format!("{flow}/totp"),
        json!({"code": person.recovery[0]}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    let (_, amr) = acr_amr(&portal, &code_of(&done), &pending).await;
    assert_eq!(amr, vec!["whatsapp", "recovery", "mfa"]);

    // The second factor has a budget of its own, across flows: a session could otherwise open
    // step-up flows and guess without end.
    let (b, flow, _) = whatsapp_then_app(&server, &portal, &person.phone).await;
    let (status, _) = post_json(&b, &format!("{flow}/totp"), json!({"code": "000000"})).await;
    assert_eq!(status, 400);
    let (status, locked) = post_json(
        &b,
        &format!("{flow}/totp"),
        json!({"code": next_code(&person, &clock)}),
    )
    .await;
    assert_eq!(
        (status, locked["error"].as_str()),
        (429, Some("too_many_attempts"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn step_up_flows_share_one_budget_for_guesses() {
    let (_server, _clock, portal, person) =
        enrolled(|c| c.totp.failures_per_number_per_hour = 3).await;
    // The enrolling browser holds a WhatsApp session: each MFA request opens a step-up flow
    // without any new code. Guesses spread over flows still meet one budget.
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let pending = authorize_url(&portal, false, &[("acr_values", MFA)]);
        let flow = open_flow(&person.browser, &pending.url).await;
        let (status, _) = post_json(
            &person.browser,
            &format!("{flow}/totp"),
            json!({"code": "000000"}),
        )
        .await;
        statuses.push(status);
    }
    assert_eq!(statuses, vec![400, 400, 400, 429]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flows_attempts_still_end_it() {
    let (server, _clock, portal, person) = enrolled(|_| {}).await;
    // Five attempts per flow; the WhatsApp code used one.
    let (b, flow, _) = whatsapp_then_app(&server, &portal, &person.phone).await;
    let mut last = json!(null);
    for _ in 0..5 {
        last = post_json(&b, &format!("{flow}/totp"), json!({"code": "000000"}))
            .await
            .1;
    }
    assert_eq!(last["error"], "flow_expired", "{last}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mfa_demands_are_refused_at_once_when_apps_are_off() {
    let server = start(|c| c.totp.enabled = false).await;
    let meta = metadata(&server).await;
    assert_eq!(meta["acr_values_supported"], json!(["urn:wagate:acr:1fa"]));
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let pending = authorize_url(&portal, false, &[MFA_DEMAND]);
    let (status, back) = authorize_in(&browser(), &pending.url).await;
    assert_eq!(status, 303);
    let back = url::Url::parse(&back).unwrap();
    assert_eq!(
        query(&back, "error").as_deref(),
        Some("unmet_authentication_requirements")
    );
    assert_eq!(query(&back, "state").unwrap(), *pending.state.secret());
    // A preference is no error: one factor is what there is.
    let pending = authorize_url(&portal, false, &[("acr_values", MFA)]);
    let (_, flow) = authorize_in(&browser(), &pending.url).await;
    assert!(flow.contains("/login/"), "{flow}");
    // The rest works as ever, and the authenticator endpoints say they are off.
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    let (_, view) = get_json(&b, &flow).await;
    assert_eq!(view["authenticator"], false);
    let (status, off) = post_json(
        &b,
        &format!("{flow}/totp"),
        json!({"phone": fresh_phone(), "code": "123456"}),
    )
    .await;
    assert_eq!((status, off["error"].as_str()), (404, Some("not_enabled")));
    // The account page stays (sessions, number, deletion); its authenticator calls are off.
    let (status, _) = get_json(&b, &format!("{}/account", server.public)).await;
    assert_eq!(status, 401, "sign in first");
    let back = login_json(
        &server,
        &b,
        &authorize_url(&portal, false, &[]).url,
        &fresh_phone(),
    )
    .await;
    assert!(query(&back, "code").is_some());
    let (status, mine) = get_json(&b, &format!("{}/account", server.public)).await;
    assert_eq!((status, &mine["totp"]), (200, &Value::Null), "{mine}");
    let (status, off) = post_json(&b, &format!("{}/account/totp", server.public), json!({})).await;
    assert_eq!((status, off["error"].as_str()), (404, Some("not_enabled")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_code_sent_twice_at_once_signs_in_once() {
    let (_server, clock, portal, person) = enrolled(|_| {}).await;
    let code = next_code(&person, &clock);
    let mut flows = Vec::new();
    for _ in 0..6 {
        let b = browser();
        let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
        flows.push((b, flow));
    }
    let mut tries = tokio::task::JoinSet::new();
    for (b, flow) in flows {
        let body = json!({"phone": person.phone, "code": code});
        tries.spawn(async move { post_json(&b, &format!("{flow}/totp"), body).await });
    }
    let results = tries.join_all().await;
    let won = results.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(won, 1, "{results:?}");
    assert!(
        results
            .iter()
            .all(|(s, b)| *s == 200 || b["error"] == "invalid_code")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_up_needs_its_session_to_last() {
    let (server, clock, portal, person) = enrolled(|_| {}).await;
    let pending = authorize_url(&portal, false, &[("acr_values", MFA)]);
    let flow = open_flow(&person.browser, &pending.url).await;
    let (_, view) = get_json(&person.browser, &flow).await;
    assert_eq!(view["step"], "totp");
    // Meanwhile the session that proved WhatsApp ends (a sign-out in another tab).
    let res = person
        .browser
        .get(&authorize_url(&portal, false, &[]).url)
        .send()
        .await
        .unwrap();
    let sso = query(&url::Url::parse(&location(&res)).unwrap(), "code").unwrap();
    let (_, tokens) = redeem_raw(&server, &sso).await;
    let hint = tokens["id_token"].as_str().unwrap();
    person
        .browser
        .get(format!("{}/logout?id_token_hint={hint}", server.issuer))
        .send()
        .await
        .unwrap();
    let (status, answer) = post_json(
        &person.browser,
        &format!("{flow}/totp"),
        json!({"code": next_code(&person, &clock)}),
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (410, Some("flow_expired")),
        "{answer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn continuing_as_a_person_who_signed_out_meanwhile_opens_no_session() {
    let server = start(add_strict_client).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let strict = rp(&server, "strict", Some(PORTAL_SECRET)).await;
    let b = browser();
    let (_, code) = login_in(&server, &b, &portal, &fresh_phone(), &[]).await;
    let (_, tokens) = redeem_raw(&server, &code).await;
    let hint = tokens["id_token"].as_str().unwrap().to_owned();
    // A portal that always needs both factors asks which account; the person has no app.
    let pending = authorize_url(&strict, false, &[("prompt", "select_account")]);
    let flow = open_flow(&b, &pending.url).await;
    let (_, view) = get_json(&b, &flow).await;
    assert_eq!(view["step"], "choose_account");
    // They sign out in another tab and leave; someone else presses "Continue as".
    b.get(format!("{}/logout?id_token_hint={hint}", server.issuer))
        .send()
        .await
        .unwrap();
    let res = b
        .post(format!("{flow}/account"))
        .header("Accept", "application/json")
        .json(&json!({"choice": "continue"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 410);
    let session_set = res.headers().get_all("set-cookie").iter().any(|c| {
        c.to_str().unwrap().starts_with("wagate_session=")
            && !c.to_str().unwrap().starts_with("wagate_session=;")
    });
    assert!(!session_set, "no session for the person who left");
    let (status, _) = get_json(&b, &format!("{}/account", server.public)).await;
    assert_eq!(status, 401);
}
